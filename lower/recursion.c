/* The call graph of the specialisations, and what recursion costs.
 *
 * Functions are lowered callees first (Tarjan's strongly connected
 * components come out in that order), so a caller knows whether each callee
 * can fail before it calls it; the members of a component are lowered
 * together (function.c).
 *
 * A function on a call cycle checks the stack on entry, so runaway recursion
 * raises RecursionError instead of overflowing the C stack. The check does
 * not make the function fail in the calling convention: below the floor the
 * runtime raises and jumps straight back to the wrapper that began the call
 * (link/runtime/stack.c), the way a failing call would have unwound, with
 * nothing to run on the way since failing calls skip their decrefs anyway.
 * A recursive function that cannot fail otherwise (fib) therefore returns
 * its value alone, and LLVM may treat its recursion like C's.
 *
 * A small component is lowered as several copies of its bodies, copy c
 * calling copy c+1 and the last calling the first. Every copy but the first
 * is inlined where it is called, which unrolls the recursion as gcc does
 * for C: the base case of the next levels is tested in place instead of
 * called, and only the first copy checks the stack (every ncopies levels of
 * depth; the runtime's margin under the floor covers the levels between). */
#include "lw.h"

/* Recursion is unrolled while the unrolled bodies stay within this many IR
 * instructions, to at most MAX_COPIES levels. A body with c calls round the
 * cycle unrolled k levels holds 1 + c + ... + c^(k-1) copies of itself, so
 * fib (18 instructions, 2 calls) gets 7 levels, a 30-instruction tree walk
 * 6, and a large body none. (Measured in docs/decisions.md.) */
enum { UNROLL_BUDGET = 2500, MAX_COPIES = 8 };

typedef struct Tarjan {
    LwModule *m;
    Vec(Func *) nodes;
    int *index, *low;   // by node; index 0: not visited yet
    bool *on_stack;
    Vec(int) stack;
    int next_index, nscc;
} Tarjan;

static int node_of(Tarjan *t, const Func *f) {
    for (int i = 0; i < t->nodes.len; i++)
        if (t->nodes.data[i] == f)
            return i;
    return -1;
}

static int instr_count(const Func *f) {
    int n = 0;
    for (int bi = 0; bi < f->blocks.len; bi++)
        n += f->blocks.data[bi]->instrs.len;
    return n;
}

/* Calls from f to the members [first, end) of its component. */
static int calls_into(const LwModule *m, const Func *f, int first, int end) {
    int n = 0;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *b = f->blocks.data[bi];
        for (int ii = 0; ii < b->instrs.len; ii++) {
            const Instr *in = b->instrs.data[ii];
            for (int i = first; in->resolved == RES_USER_CALL && i < end; i++)
                n += m->funcs.data[i].f == in->callee;
        }
    }
    return n;
}

/* How many copies of the component [first, end) to lower (1: no unrolling). */
static int unroll_copies(const LwModule *m, int first, int end, int size) {
    int fanout = 1;
    for (int i = first; i < end; i++) {
        int c = calls_into(m, m->funcs.data[i].f, first, end);
        fanout = c > fanout ? c : fanout;
    }
    int copies = 1;
    long bodies = 1, level = 1; // bodies in `copies` levels; bodies on the last level
    while (copies < MAX_COPIES) {
        level *= fanout;
        if ((bodies + level) * size > UNROLL_BUDGET)
            break;
        bodies += level;
        copies++;
    }
    return copies;
}

/* Pops the component rooted at node v into m->funcs. */
static void emit_component(Tarjan *t, int v) {
    LwModule *m = t->m;
    int first = m->funcs.len, size = 0;
    for (;;) {
        int w = t->stack.data[--t->stack.len];
        t->on_stack[w] = false;
        Func *f = t->nodes.data[w];
        vec_push(m->arena, &m->funcs, ((LwFuncEntry){.f = f, .scc = t->nscc}));
        size += instr_count(f);
        if (w == v)
            break;
    }
    int n = m->funcs.len - first;
    bool cycle = n > 1 || calls_into(m, m->funcs.data[first].f, first, m->funcs.len) > 0;
    int copies = cycle && m->opt.opt_level >= 2 ? unroll_copies(m, first, m->funcs.len, size) : 1;
    for (int i = first; i < m->funcs.len; i++) {
        LwFuncEntry *e = &m->funcs.data[i];
        e->on_cycle = cycle;
        e->ncopies = copies;
        e->fns = ARENA_ARRAY(m->arena, LLVMValueRef, copies);
        e->thread_fns = ARENA_ARRAY(m->arena, LLVMValueRef, copies);
    }
    t->nscc++;
}

static void visit(Tarjan *t, int v) {
    t->index[v] = t->low[v] = ++t->next_index;
    vec_push(t->m->arena, &t->stack, v);
    t->on_stack[v] = true;
    const Func *f = t->nodes.data[v];
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *b = f->blocks.data[bi];
        for (int ii = 0; ii < b->instrs.len; ii++) {
            const Instr *in = b->instrs.data[ii];
            int w = in->resolved == RES_USER_CALL ? node_of(t, in->callee) : -1;
            if (w < 0)
                continue;
            if (!t->index[w]) {
                visit(t, w);
                if (t->low[w] < t->low[v])
                    t->low[v] = t->low[w];
            } else if (t->on_stack[w] && t->index[w] < t->low[v]) {
                t->low[v] = t->index[w];
            }
        }
    }
    if (t->low[v] == t->index[v])
        emit_component(t, v);
}

void lw_plan_calls(LwModule *m, FeBuild *fb) {
    Tarjan t = {.m = m};
    for (int i = 0; i < fb->specs.len; i++) {
        Func *f = fb->specs.data[i];
        if (f->typed && !f->failed)
            vec_push(m->arena, &t.nodes, f);
    }
    int n = t.nodes.len;
    t.index = ARENA_ARRAY(m->arena, int, n + 1);
    t.low = ARENA_ARRAY(m->arena, int, n + 1);
    t.on_stack = ARENA_ARRAY(m->arena, bool, n + 1);
    for (int v = 0; v < n; v++)
        if (!t.index[v])
            visit(&t, v);
}

LwFuncEntry *lw_func_entry(LwModule *m, const Func *f) {
    for (int i = 0; i < m->funcs.len; i++)
        if (m->funcs.data[i].f == f)
            return &m->funcs.data[i];
    diag_internal(m->d, "%s was not planned for lowering", f->symbol);
}

static bool reaches_cycle(LwModule *m, const Func *f, bool *seen) {
    LwFuncEntry *e = lw_func_entry(m, f);
    int i = (int)(e - m->funcs.data);
    if (seen[i])
        return false;
    seen[i] = true;
    if (e->on_cycle)
        return true;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *b = f->blocks.data[bi];
        for (int ii = 0; ii < b->instrs.len; ii++) {
            const Instr *in = b->instrs.data[ii];
            if (in->resolved == RES_USER_CALL && reaches_cycle(m, in->callee, seen))
                return true;
        }
    }
    return false;
}

bool lw_reaches_call_cycle(LwModule *m, const Func *f) {
    bool *seen = ARENA_ARRAY(m->arena, bool, m->funcs.len + 1);
    return reaches_cycle(m, f, seen);
}

static LLVMValueRef stack_floor(LwModule *m) {
    LLVMValueRef g = LLVMGetNamedGlobal(m->mod, "pyaot_rt_stack_floor");
    if (!g)
        diag_internal(m->d, "the runtime has no pyaot_rt_stack_floor");
    return g;
}

void lw_check_stack(LwFn *fn) {
    LwModule *m = fn->m;
    // The stack pointer itself: no frame pointer or stack slot is forced.
    // (x86-64's register name; another target names its own.)
    LLVMMetadataRef name = LLVMMDStringInContext2(m->ctx, "rsp", 3);
    LLVMValueRef arg = LLVMMetadataAsValue(m->ctx, LLVMMDNodeInContext2(m->ctx, &name, 1));
    LLVMValueRef sp = lw_intrinsic(fn, "llvm.read_register", &m->i64, 1, &arg, 1);
    LLVMValueRef floor = lw_copy_threaded(fn->copy) ? lw_call(fn, "pyaot_rt_stack_floor_here", NULL, 0)
                                                    : LLVMBuildLoad2(fn->b, m->i64, stack_floor(m), "stack_floor");
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildICmp(fn->b, LLVMIntULT, sp, floor, ""), &ok);
    // Raises RecursionError and returns to the wrapper: no failure status.
    LLVMValueRef fname = lw_cstring(m, fn->f->name);
    lw_call(fn, "pyaot_rt_stack_overflow", &fname, 1);
    LLVMBuildUnreachable(fn->b);
    lw_resume(fn, ok);
}

LLVMValueRef lw_stack_guard(LwModule *m, LLVMBuilderRef b, LLVMValueRef jmp_buf) {
    LLVMTypeRef type;
    LLVMValueRef enter = lw_runtime_fn(m, "pyaot_rt_stack_enter", &type);
    LLVMBuildCall2(b, type, enter, &jmp_buf, 1, "");
    // _setjmp is glibc's setjmp that leaves the signal mask alone.
    LLVMValueRef setjmp = LLVMGetNamedFunction(m->mod, "_setjmp");
    LLVMTypeRef setjmp_type = LLVMFunctionType(m->i32, &m->ptr, 1, 0);
    if (!setjmp) {
        setjmp = LLVMAddFunction(m->mod, "_setjmp", setjmp_type);
        unsigned kind = LLVMGetEnumAttributeKindForName("returns_twice", 13);
        LLVMAddAttributeAtIndex(setjmp, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(m->ctx, kind, 0));
    }
    LLVMValueRef call = LLVMBuildCall2(b, setjmp_type, setjmp, &jmp_buf, 1, "unwound");
    unsigned kind = LLVMGetEnumAttributeKindForName("returns_twice", 13);
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(m->ctx, kind, 0));
    return LLVMBuildICmp(b, LLVMIntNE, call, LLVMConstInt(m->i32, 0, 0), "");
}
