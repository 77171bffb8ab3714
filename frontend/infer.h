/* Shared by the type inference files (infer.c: the fixed point and the
 * operators; infer_call.c: calls, attributes and the builtins). */
#ifndef PYAOT_INFER_H
#define PYAOT_INFER_H

#include "frontend.h"

typedef struct Infer {
    FeBuild *b;
    Func *f;
    TypeTable *tt;
    bool final; // the last pass: report errors and record resolutions
    bool *live; // by block id: reached by an edge a constant condition does not close
    bool decided; // a list's item type was decided in this pass (infer_list.c): pass again
    bool weak_decisions; // d.get(k, default) may decide an undecided dict (infer_dict.c)
} Infer;

/* A type error at `in`. Before the last pass types may still be incomplete,
 * so it returns NULL (the value stays unknown for now); in the last pass it
 * reports the error. */
const Type *infer_fail(Infer *I, const Instr *in, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The type of a value as a message shows it: "float64", "module 'numpy'". */
const char *infer_tystr(Infer *I, const Type *t);

/* The array left by indexing the first `nindex` dimensions of arr. */
const Type *infer_subarray(Infer *I, const Type *arr, int nindex);

/* True when any argument is still unknown: the instruction waits. */
bool infer_waiting(const Instr *in);

// fold.c
/* The value of v when known at compile time, or NULL. */
const FeConst *infer_const_of(const Instr *v);
/* Folds `in` (just typed) into a constant when its operands are constants. */
void infer_fold(Infer *I, Instr *in);
/* The successor a BRANCH on a constant takes (0 or 1), or -1. */
int infer_branch_taken(const Instr *t);

// infer_call.c
const Type *infer_call(Infer *I, Instr *call);
/* Binds a call's arguments to parameter `names` (call->argmap); false after
 * failing on a missing, unknown or repeated argument. */
bool infer_bind(Infer *I, Instr *call, const char *fname, const char *const *names, int nparams, int nrequired);
/* The argument bound to parameter i, or NULL. */
Instr *infer_param(Instr *call, int i);
const Type *infer_getattr(Infer *I, Instr *in);
const Type *infer_global(Infer *I, Instr *in);
/* The element type of iterating over a value of type t, or NULL. */
const Type *infer_iter_elem(Infer *I, const Type *t);
/* The scalar type a dtype-like value names (np.float64, 'float64', a.dtype, float), or NULL. */
const Type *infer_dtype_of(Infer *I, const Instr *v);
/* The type of a constant. */
const Type *infer_const_type(Infer *I, const Instr *in, const FeConst *c);

/* A call of pyaot's library function `name` ("list.index") as a method of
 * the call's receiver. */
const Type *infer_library_method(Infer *I, Instr *call, const char *name);
/* `in` (a call, an operator, a comparison) as a call of library function
 * `name` with these argument types; parameter i is in->args[argmap[i]]. */
const Type *infer_library_call(Infer *I, Instr *in, const char *name, const Type **argtypes, const int *argmap, int n);

// infer_list.c
const Type *infer_build_list(Infer *I, Instr *in);
const Type *infer_list_getitem(Infer *I, Instr *in);
const Type *infer_list_setitem(Infer *I, Instr *in);
const Type *infer_list_method(Infer *I, Instr *call, const Type *m);
const Type *infer_list_compare(Infer *I, Instr *in);
const Type *infer_list_binary(Infer *I, Instr *in);
/* Decides an undecided list's item type (true when it did). */
bool infer_list_decide(Infer *I, const Type *list, const Type *item);
/* Waits while `list` is undecided; in the last pass, the error saying so. */
const Type *infer_list_undecided(Infer *I, const Instr *in, const Type *list);
bool infer_list_comparable(Infer *I, Instr *in, const Type *l, const Type *x);
/* Whether a value of type `item` can be stored where items are `to`
 * (a list's items, a dict's values). */
bool infer_item_fits(TypeTable *tt, const Type *item, const Type *to);

// infer_dict.c
/* OP_BUILD_DICT and OP_BUILD_SET. */
const Type *infer_build_dict(Infer *I, Instr *in);
const Type *infer_dict_getitem(Infer *I, Instr *in);
const Type *infer_dict_setitem(Infer *I, Instr *in);
/* k in d, k in s, k in d.keys(). */
const Type *infer_dict_contains(Infer *I, Instr *in);
const Type *infer_dict_method(Infer *I, Instr *call, const Type *m);
bool infer_dict_has_method(const Type *t, const char *name);
/* d == e, s != t (of one type). */
const Type *infer_dict_equal(Infer *I, Instr *in);
/* s | t, s & t, s - t. */
const Type *infer_set_binary(Infer *I, Instr *in);
/* Waits while a dict or set is undecided; in the last pass, the error saying so. */
const Type *infer_dict_undecided(Infer *I, const Instr *in, const Type *t);
bool infer_list_orderable(Infer *I, Instr *in, const Type *l);

// infer_index.c
const Type *infer_array_getitem(Infer *I, Instr *in);
const Type *infer_array_setitem(Infer *I, Instr *in);

// infer_elementwise.c
bool infer_any_array(Instr *const *operands, int n);
/* Types `in` as ufunc u applied item by item to the operands (numbers and
 * arrays, at least one array), into dest when not NULL. */
const Type *infer_elementwise(Infer *I, Instr *in, FeUfunc u, Instr *const *operands, int n, Instr *dest);
const Type *infer_array_binary(Infer *I, Instr *in);
const Type *infer_array_unary(Infer *I, Instr *in);
const Type *infer_array_compare(Infer *I, Instr *in);
/* np.sqrt(a), np.add(a, b, out=c), np.where(c, x, y), np.clip(a, lo, hi). */
const Type *infer_ufunc_call(Infer *I, Instr *call, Builtin b);
// infer_view.c
/* reshape, ravel, flatten, transpose, np.real/np.imag: of `recv` for a
 * method, of the first argument otherwise. */
const Type *infer_view_call(Infer *I, Instr *call, Builtin b, Instr *recv);
/* The type of arr.real or arr.imag. */
const Type *infer_part_type(Infer *I, const Type *arr, bool imag);
/* a.astype(dtype). */
const Type *infer_astype(Infer *I, Instr *call, Instr *recv);

#endif
