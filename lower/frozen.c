/* Module-level arrays (FE_GLOBAL_ARRAY): the items become module data, and
 * the runtime gives them a meminfo on first use (pyaot_rt_frozen), kept in
 * a module global next to them. */
#include "lw.h"

#include <stdio.h>

static LLVMValueRef module_global(LwModule *m, const char *name, LLVMValueRef init, unsigned align) {
    LLVMValueRef g = LLVMGetNamedGlobal(m->mod, name);
    if (g)
        return g;
    g = LLVMAddGlobal(m->mod, LLVMTypeOf(init), name);
    LLVMSetInitializer(g, init);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetAlignment(g, align);
    return g;
}

LLVMValueRef lw_frozen_array(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const FeFrozenArray *a = in->global->array;
    const Type *t = in->type;
    char name[300];
    // One copy per module-level name, however many functions read it.
    snprintf(name, sizeof name, "pyaot.frozen.%s", in->name ? in->name : "array");
    LLVMValueRef items = LLVMConstStringInContext(m->ctx, (const char *)a->data, (unsigned)a->nbytes, 1);
    // Writable memory: a store the compiler cannot see (through a called
    // function's result) changes this module's copy rather than crashing.
    LLVMValueRef data = module_global(m, name, items, 64);
    snprintf(name, sizeof name, "pyaot.frozen.%s.meminfo", in->name ? in->name : "array");
    LLVMValueRef slot = module_global(m, name, LLVMConstNull(m->ptr), 8);
    LLVMValueRef args[3] = {slot, data, LLVMConstInt(m->i64, (unsigned long long)a->nbytes, 0)};
    LLVMValueRef mi = lw_call(fn, "pyaot_rt_frozen", args, 3);
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildIsNull(fn->b, mi, ""), &ok);
    lw_fail(fn);
    lw_resume(fn, ok);
    LLVMValueRef dims[32], strides[32];
    int64_t stride = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        dims[d] = LLVMConstInt(m->i64, (unsigned long long)a->shape[d], 0);
        strides[d] = LLVMConstInt(m->i64, (unsigned long long)stride, 0);
        stride *= a->shape[d];
    }
    LLVMValueRef v = lw_array_struct(fn, t, mi, data, dims, strides);
    lw_incref(fn, v, t); // a value an instruction makes is its own reference
    return v;
}
