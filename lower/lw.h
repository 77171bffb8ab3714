/* Shared by the files of lower/: the module and per-function lowering state,
 * and the helpers every operation uses. */
#ifndef PYAOT_LW_H
#define PYAOT_LW_H

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "lower.h"

/* How one specialisation is called natively (function.c, recursion.c). */
typedef struct LwFuncEntry {
    Func *f;
    int scc;            // its strongly connected component of the call graph
    bool on_cycle;      // it calls itself, directly or through others
    int ncopies;        // copies of its body (unrolled recursion); copy c calls copy (c+1) % ncopies within its SCC
    bool may_fail;      // returns {T, i1} (i1 alone for none), true when an exception is set
    LLVMValueRef *fns;  // by copy, NULL until referenced
    LLVMValueRef *thread_fns; // by copy: the copies for the pool's threads (LW_THREAD_FLOOR), NULL until called
    LLVMValueRef shared;// the variant for equal shapes (LW_SHARED_SHAPES), NULL until called
    LLVMTypeRef type;
} LwFuncEntry;

/* The copy number of a function's variant that takes array arguments of
 * equal rank to have equal shapes (the first one's): their bounds checks are
 * then the same and fold together. Only wrappers call it, after checking. */
enum { LW_SHARED_SHAPES = -1 };
/* copy | LW_THREAD_FLOOR: a copy for code that a prange body runs on the
 * pool. Its stack check compares with the running thread's own floor
 * (pyaot_rt_stack_floor_here), not the one of the thread that entered the
 * module, and its calls that can reach a cycle go to such copies. */
enum { LW_THREAD_FLOOR = 1 << 20 };
static inline bool lw_copy_threaded(int copy) { return copy >= 0 && (copy & LW_THREAD_FLOOR); }
static inline int lw_copy_base(int copy) { return copy >= 0 ? copy & ~LW_THREAD_FLOOR : copy; }
typedef struct LwTypeEntry { const Type *t; LLVMTypeRef llvm; } LwTypeEntry;
typedef struct LwDescEntry { const Type *t; bool writable; LLVMValueRef global; } LwDescEntry;

struct LwModule {
    Arena *arena;
    Diag *d;
    LwOptions opt;
    const char *name;
    TypeTable *tt;            // the build's types (lowering sometimes forms a common type)
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMTargetMachineRef tm;
    LLVMTargetDataRef td;
    char *cpu, *features;
    LLVMTypeRef i1, i8, i16, i32, i64, f32, f64, ptr, void_;
    Vec(LwFuncEntry) funcs;   // every lowered specialisation, callees before callers (recursion.c)
    Vec(LwTypeEntry) types;
    Vec(LwDescEntry) descs;
    LLVMMemoryBufferRef object;
    int64_t sizeof_py_buffer, sizeof_meminfo, sizeof_jmp_buf; // read from the runtime bitcode
    int nstrings;
    LLVMDIBuilderRef dib;     // -g: the DWARF being built (debuginfo.c)
    LLVMMetadataRef di_cu;
};

typedef Vec(Instr *) LwValues;

/* enum pyaot_exc of link/runtime/pyaot_rt.h */
enum { EXC_ZERO_DIVISION, EXC_INDEX, EXC_VALUE, EXC_OVERFLOW, EXC_TYPE, EXC_MEMORY, EXC_ASSERTION, EXC_RECURSION };

/* Reference counting decisions for one function (liveness.c). */
typedef struct LwLiveness {
    LwValues *after;       // by instruction id: values whose last use it is
    LwValues *edge_deaths; // by block id * 2 + successor: values that die on that edge
} LwLiveness;

/* Lowering one specialisation. */
typedef struct LwFn {
    LwModule *m;
    Func *f;
    LLVMValueRef fn;
    LwFuncEntry *entry;       // how f is called
    int copy;                 // which copy of f's body this is (entry->ncopies)
    LLVMBuilderRef b;
    LLVMBuilderRef alloca_b;  // at the top of the entry block
    LLVMValueRef *vals;       // by instruction id
    LLVMBasicBlockRef *bbs;   // by block id
    LLVMBasicBlockRef fail_bb;// returns failure: an exception is set
    LLVMBasicBlockRef exit_bb;// the one return of a function that can fail and has a value
    LLVMValueRef exit_value, exit_failed; // its phis
    const Instr *cur;         // the instruction being lowered
    LwLiveness live;
    LLVMMetadataRef di_scope; // -g: the function's DISubprogram
    bool in_elementwise;      // lowering an item of an element-wise expression: numpy's error rules
} LwFn;

// module.c
LLVMValueRef lw_runtime_fn(LwModule *m, const char *name, LLVMTypeRef *type);
LLVMValueRef lw_cstring(LwModule *m, const char *s);

// types.c
LLVMTypeRef lw_type(LwModule *m, const Type *t);
/* The runtime's descriptor (pyaot_type) of t, a constant global. */
LLVMValueRef lw_type_desc(LwModule *m, const Type *t, bool writable);
int lw_elem_size(const Type *scalar);
/* t's kind as the runtime numbers it (enum pyaot_kind). */
int lw_rt_kind(const Type *t);
bool lw_is_signed(const Type *t);
/* The LLVM constant for a frozen value converted to type t. */
LLVMValueRef lw_const_value(LwModule *m, const FeConst *c, const Type *t);

// function.c
/* Lowers every specialisation, callees first, deciding which can fail. */
void lw_lower_functions(LwModule *m);
/* Calls copy `copy` of f's native function (or LW_SHARED_SHAPES) with its
 * arguments. Returns the result (an i8 for none) and sets *failed to an i1
 * that holds when it raised, or to NULL when f cannot fail. */
LLVMValueRef lw_call_native(LwModule *m, LLVMBuilderRef b, Func *f, int copy, LLVMValueRef *args,
                            LLVMValueRef *failed);
/* The array argument of f whose shape argument i shares in the variant for
 * equal shapes (the first of its rank), or -1. */
int lw_shape_leader(LwModule *m, const Func *f, int i);
/* The LLVM value of an IR value (NULL for compile-time-only values). */
LLVMValueRef lw_val(LwFn *fn, const Instr *v);
/* Emits the code of one instruction (not a terminator) and returns its
 * value; no reference counting around it. */
LLVMValueRef lw_lower_value(LwFn *fn, const Instr *in);
/* A new block in the current function. */
LLVMBasicBlockRef lw_block(LwFn *fn, const char *name);
/* Branches on `bad` (i1) to a new block that runs `raise` and fails; continues
 * in the ok block. Returns the error block for the caller to fill, with the
 * builder positioned in it; the caller then calls lw_fail and lw_resume. */
LLVMBasicBlockRef lw_check(LwFn *fn, LLVMValueRef bad, LLVMBasicBlockRef *ok);
void lw_fail(LwFn *fn);                     // branch to the failure exit
void lw_resume(LwFn *fn, LLVMBasicBlockRef ok);
/* Raises exception `exc` (enum pyaot_exc) with `msg` when `bad` holds. */
void lw_raise_if(LwFn *fn, LLVMValueRef bad, int exc, const char *msg);
void lw_incref(LwFn *fn, LLVMValueRef v, const Type *t);
void lw_decref(LwFn *fn, LLVMValueRef v, const Type *t);
LLVMValueRef lw_call(LwFn *fn, const char *runtime_name, LLVMValueRef *args, int n);
LLVMValueRef lw_intrinsic(LwFn *fn, const char *name, LLVMTypeRef *types, int ntypes,
                          LLVMValueRef *args, int nargs);
LLVMValueRef lw_entry_alloca(LwFn *fn, LLVMTypeRef type, const char *name);

// liveness.c
void lw_liveness(LwFn *fn);

// arith.c
/* Converts a value of type `from` to type `to` (numbers, arrays, tuples). */
LLVMValueRef lw_convert(LwFn *fn, LLVMValueRef v, const Type *from, const Type *to);
LLVMValueRef lw_truth(LwFn *fn, LLVMValueRef v, const Type *t);
LLVMValueRef lw_unary(LwFn *fn, const Instr *in);
LLVMValueRef lw_binary(LwFn *fn, const Instr *in);
LLVMValueRef lw_compare(LwFn *fn, const Instr *in);
/* Python's a op b on two values already converted to `t` (op: NB_*). */
LLVMValueRef lw_arith(LwFn *fn, int op, LLVMValueRef a, LLVMValueRef b, const Type *t,
                      bool ints_to_float);
LLVMValueRef lw_compare_values(LwFn *fn, int op, LLVMValueRef a, LLVMValueRef b, const Type *t);
/* Complex parts. */
LLVMValueRef lw_complex(LwFn *fn, LLVMValueRef re, LLVMValueRef im, const Type *t);
/* int(x) of a float: ValueError for NaN, OverflowError outside the target. */
LLVMValueRef lw_float_to_int_checked(LwFn *fn, LLVMValueRef x, const Type *from, const Type *to);

// array.c
LLVMValueRef lw_array_data(LwFn *fn, LLVMValueRef arr);
LLVMValueRef lw_array_meminfo(LwFn *fn, LLVMValueRef arr);
LLVMValueRef lw_array_dim(LwFn *fn, LLVMValueRef arr, int i);
LLVMValueRef lw_array_stride(LwFn *fn, LLVMValueRef arr, const Type *t, int i);
LLVMValueRef lw_array_size(LwFn *fn, LLVMValueRef arr, const Type *t);
/* Pointer to the element at the given indices (already wrapped and checked). */
LLVMValueRef lw_array_elem_ptr(LwFn *fn, LLVMValueRef arr, const Type *t, LLVMValueRef *idx, int n);
/* Wraps a negative index and checks it against dimension `axis`. */
LLVMValueRef lw_array_index(LwFn *fn, LLVMValueRef arr, int axis, LLVMValueRef idx);
/* The view left by fixing the first n indices (shares the meminfo: increfs). */
LLVMValueRef lw_array_subview(LwFn *fn, LLVMValueRef arr, const Type *t, LLVMValueRef *idx, int n,
                              const Type *result);
/* An array value of type t from its parts (no reference is taken). */
/* A module-level array's value (frozen.c): its items are module data. */
LLVMValueRef lw_frozen_array(LwFn *fn, const Instr *in);

LLVMValueRef lw_array_struct(LwFn *fn, const Type *t, LLVMValueRef mi, LLVMValueRef data, LLVMValueRef *dims,
                             LLVMValueRef *strides);
LLVMValueRef lw_getitem(LwFn *fn, const Instr *in);
void lw_setitem(LwFn *fn, const Instr *in);
/* A new C-contiguous array of `type` with the given dims, uninitialised or zeroed. */
LLVMValueRef lw_array_new(LwFn *fn, const Type *type, LLVMValueRef *dims, bool zeroed);
LLVMValueRef lw_array_copy(LwFn *fn, LLVMValueRef src, const Type *from, const Type *to);
/* The shape and strides of arr as pointers to [ndim x i64] stack slots, for
 * the runtime's helpers. */
void lw_array_layout_ptrs(LwFn *fn, LLVMValueRef arr, const Type *t, LLVMValueRef *shape, LLVMValueRef *strides);
/* Calls body with a pointer to every item of arr, in C order. */
typedef void (*LwItemBody)(LwFn *fn, LLVMValueRef item, void *ctx);
void lw_array_each(LwFn *fn, LLVMValueRef arr, const Type *t, LwItemBody body, void *ctx);
/* Copies src's items into dst, converting; src has dst's shape. */
void lw_array_copy_into(LwFn *fn, LLVMValueRef src, const Type *from, LLVMValueRef dst, const Type *to);
void lw_array_fill(LwFn *fn, LLVMValueRef arr, const Type *t, LLVMValueRef value);
LLVMValueRef lw_array_transpose(LwFn *fn, LLVMValueRef arr, const Type *t);
/* The element type arrays store (bool as a byte). */
LLVMTypeRef lw_mem_type(LwModule *m, const Type *scalar);
LLVMValueRef lw_load_elem(LwFn *fn, LLVMValueRef ptr, const Type *scalar);
void lw_store_elem(LwFn *fn, LLVMValueRef ptr, LLVMValueRef v, const Type *scalar);
/* Calls body with every multi-index of the shape dims, in C order (once,
 * with no index, for 0 dimensions). */
typedef void (*LwIndexBody)(LwFn *fn, LLVMValueRef *idx, void *ctx);
void lw_for_each_index(LwFn *fn, LLVMValueRef *dims, int ndim, LwIndexBody body, void *ctx);
/* Emits `for i in range(n): body(i)` (i64, counting up from 0). */
typedef void (*LwLoopBody)(LwFn *fn, LLVMValueRef i, void *ctx);
void lw_loop(LwFn *fn, LLVMValueRef n, LwLoopBody body, void *ctx);
LLVMValueRef lw_array_attr(LwFn *fn, const Instr *in);

// list.c
LLVMValueRef lw_list_len(LwFn *fn, LLVMValueRef l);
/* Item i of list l (a new reference when it holds arrays); i is checked. */
LLVMValueRef lw_list_item(LwFn *fn, LLVMValueRef l, const Type *item, LLVMValueRef i);
LLVMValueRef lw_build_list(LwFn *fn, const Instr *in);
LLVMValueRef lw_list_getitem(LwFn *fn, const Instr *in);
void lw_list_setitem(LwFn *fn, const Instr *in);
/* A list method compiled directly (B_LIST_*). */
LLVMValueRef lw_list_call(LwFn *fn, const Instr *in);
/* list + list, list += list, list * n. */
LLVMValueRef lw_list_binary(LwFn *fn, const Instr *in);

// dict.c
LLVMValueRef lw_dict_len(LwFn *fn, LLVMValueRef d);
/* OP_BUILD_DICT and OP_BUILD_SET. */
LLVMValueRef lw_build_dict(LwFn *fn, const Instr *in);
LLVMValueRef lw_dict_getitem(LwFn *fn, const Instr *in);
void lw_dict_setitem(LwFn *fn, const Instr *in);
/* k in d, k not in d (sets and d.keys() too). */
LLVMValueRef lw_dict_contains(LwFn *fn, const Instr *in);
/* A dict or set method compiled directly (B_DICT_*, B_SET_*). */
LLVMValueRef lw_dict_call(LwFn *fn, const Instr *in);
/* Moves *pos_ptr to the next live entry of d at or after it: an i1, false
 * at the end; fails with RuntimeError when d's size is not start_len. */
LLVMValueRef lw_dict_next(LwFn *fn, LLVMValueRef d, LLVMValueRef pos_ptr, LLVMValueRef start_len);
/* What iterating t (a dict, set or view) gives at entry pos (a new reference). */
LLVMValueRef lw_dict_element(LwFn *fn, LLVMValueRef d, const Type *t, LLVMValueRef pos);

// iter.c
LLVMValueRef lw_get_iter(LwFn *fn, const Instr *in);
LLVMValueRef lw_iter_valid(LwFn *fn, LLVMValueRef state, const Type *iter);
LLVMValueRef lw_iter_value(LwFn *fn, LLVMValueRef state, const Type *iter);
/* Decrefs the arrays an iterator state holds. */
void lw_iter_drop(LwFn *fn, LLVMValueRef state, const Type *iter);
LLVMValueRef lw_range_len(LwFn *fn, LLVMValueRef range);

// builtins.c
LLVMValueRef lw_builtin_call(LwFn *fn, const Instr *in);
/* Argument i of a builtin call as bound by inference, or NULL when omitted. */
const Instr *lw_call_arg(const Instr *call, int i);

// wrapper.c
void lw_lower_wrappers(LwModule *m, FeBuild *fb);

// slice.c
LLVMValueRef lw_build_slice(LwFn *fn, const Instr *in);
/* The view arr[idx] of type `view`: integer items of idx pick along their
 * axis, slices cut it, axes past idx stay whole. It shares arr's memory;
 * `counted`: it holds a reference of its own. */
LLVMValueRef lw_array_view(LwFn *fn, LLVMValueRef arr, const Type *t, const Instr *idx, const Type *view,
                           bool counted);
/* obj[idx] = value where obj[idx] is a view (in->optype): fill or copy in. */
void lw_assign_view(LwFn *fn, const Instr *in);

// elementwise.c
/* An ELEMENTWISE: its items computed into a new array (or into its
 * destination, a += b), in one loop over the leaves' broadcast shape. */
LLVMValueRef lw_elementwise(LwFn *fn, const Instr *in);
/* view[...] = the items of `in` (an ELEMENTWISE computed inside the
 * assignment), broadcast to the view's shape as numpy assigns. */
void lw_elementwise_into(LwFn *fn, const Instr *in, LLVMValueRef view, const Type *vt);
/* arr[in] = fill, `in` a boolean ELEMENTWISE of arr's shape computed inside
 * the assignment: one pass, no mask array. */
void lw_elementwise_masked_fill(LwFn *fn, const Instr *in, LLVMValueRef arr, const Type *t, LLVMValueRef fill);
/* Hands every item of `in` (an ELEMENTWISE computed inside a reduction) to
 * `sink`, in C order over its shape; *count is how many there are. */
typedef void (*LwItemSink)(LwFn *fn, LLVMValueRef item, void *ctx);
void lw_elementwise_each(LwFn *fn, const Instr *in, LwItemSink sink, void *ctx, LLVMValueRef *count);
/* Stores the items of `in`, converted to `item`, in chunks of 8192 at
 * `buffer` (of that many items), calling flush with each chunk's length as
 * it is filled: the order numpy's buffered reductions take them in. */
typedef void (*LwChunkFlush)(LwFn *fn, LLVMValueRef len, void *ctx);
void lw_elementwise_chunks(LwFn *fn, const Instr *in, const Type *item, LLVMValueRef buffer, LwChunkFlush flush,
                           void *ctx, LLVMValueRef *count);
/* An i1: arr's items are C-contiguous. */
LLVMValueRef lw_array_is_c_contiguous(LwFn *fn, LLVMValueRef arr, const Type *t);

// intrinsics.c
/* A primitive of pyaot's library code (_pyaot_intrinsics.*). */
LLVMValueRef lw_intrinsic_call(LwFn *fn, const Instr *call);

// reshape.c
/* reshape, ravel, flatten, transpose, np.real / np.imag calls. */
LLVMValueRef lw_view_call(LwFn *fn, const Instr *call);
/* arr.real or arr.imag (of type rt): a view of a complex array's parts; of
 * a real array, the array itself or new zeros. */
LLVMValueRef lw_array_part(LwFn *fn, LLVMValueRef arr, const Type *t, bool imag, const Type *rt);

// index.c
/* a[idx] where idx holds an array: the items it selects, in a new array. */
LLVMValueRef lw_index_gather(LwFn *fn, const Instr *in, const FeIndex *plan);
/* a[idx] = v where idx holds an array. */
void lw_index_scatter(LwFn *fn, const Instr *in, const FeIndex *plan);

// print.c
/* print(values..., sep=..., end=...). */
LLVMValueRef lw_print(LwFn *fn, const Instr *in);

// reduce.c
/* in (a call of np.sum, np.prod, np.mean, np.min or np.max, or the method)
 * applied to `array`. */
LLVMValueRef lw_reduce(LwFn *fn, const Instr *in, const Instr *array);

// parallel.c
/* A prange loop (PARALLEL_FOR) run on the thread pool; its value is the
 * tuple of its reductions' results (an i8 when there are none). */
LLVMValueRef lw_parallel_for(LwFn *fn, const Instr *in);

// recursion.c
/* Fills m->funcs with every specialisation to lower, callees before
 * callers, with their call-graph facts (SCC, cycle, copies). */
void lw_plan_calls(LwModule *m, FeBuild *fb);
LwFuncEntry *lw_func_entry(LwModule *m, const Func *f);
/* f, or a function it calls, lies on a call cycle. */
bool lw_reaches_call_cycle(LwModule *m, const Func *f);
/* On entry to a function on a cycle: RecursionError when the stack is nearly full. */
void lw_check_stack(LwFn *fn);
/* In a wrapper, before calling a function that can reach a cycle: sets the
 * stack floor for this thread and makes jmp_buf (sizeof_jmp_buf bytes) where
 * a stack overflow returns to. The i1 result holds on that return, with
 * RecursionError set. */
LLVMValueRef lw_stack_guard(LwModule *m, LLVMBuilderRef b, LLVMValueRef jmp_buf);

// debuginfo.c (all do nothing without -g)
void lw_debug_begin(LwModule *m, const char *source_path);
void lw_debug_function(LwFn *fn);
/* A DISubprogram for fn at code's first line (NULL without -g). */
LLVMMetadataRef lw_debug_subprogram(LwModule *m, LLVMValueRef fn, const FeCode *code, const char *name);
/* Sets b's location to `line` in scope (nothing when scope is NULL). */
void lw_debug_at(LwModule *m, LLVMBuilderRef b, LLVMMetadataRef scope, int line);
void lw_debug_location(LwFn *fn, const Instr *in);
void lw_debug_end(LwModule *m);

// optimize.c
/* Checks the module; invalid IR is a bug in pyaot (an internal error). */
void lw_verify(LwModule *m);

#endif
