/* Which specialisations lie on a call cycle, and which can reach one. A
 * function on a cycle checks the stack on entry (the runtime's stack.c), so
 * runaway recursion raises RecursionError instead of overflowing the C
 * stack; the wrapper of an export that can reach a cycle sets the stack
 * floor for the calling thread first. Everything else pays nothing. A module
 * has few functions, so plain searches do. */
#include "lw.h"

typedef Vec(Func *) FuncSet;

static bool contains(const FuncSet *s, const Func *f) {
    for (int i = 0; i < s->len; i++)
        if (s->data[i] == f)
            return true;
    return false;
}

/* Adds to `seen` every function that f calls, directly or not. */
static void add_callees(Arena *a, const Func *f, FuncSet *seen) {
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *b = f->blocks.data[bi];
        for (int ii = 0; ii < b->instrs.len; ii++) {
            const Instr *in = b->instrs.data[ii];
            Func *g = in->callee;
            if (in->resolved != RES_USER_CALL || contains(seen, g))
                continue;
            vec_push(a, seen, g);
            add_callees(a, g, seen);
        }
    }
}

bool lw_on_call_cycle(LwModule *m, const Func *f) {
    FuncSet reached = {0};
    add_callees(m->arena, f, &reached);
    return contains(&reached, f);
}

bool lw_reaches_call_cycle(LwModule *m, const Func *f) {
    FuncSet reached = {0};
    add_callees(m->arena, f, &reached);
    // f itself is among them when it is on a cycle.
    for (int i = 0; i < reached.len; i++)
        if (lw_on_call_cycle(m, reached.data[i]))
            return true;
    return false;
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
    LLVMValueRef floor = LLVMBuildLoad2(fn->b, m->i64, stack_floor(m), "stack_floor");
    const char *msg = arena_printf(m->arena, "maximum recursion depth exceeded in compiled function '%s'", fn->f->name);
    lw_raise_if(fn, LLVMBuildICmp(fn->b, LLVMIntULT, sp, floor, ""), EXC_RECURSION, msg);
}
