/* print(...) in compiled code: each value becomes a Python object and
 * Python's own print writes them (the runtime's print.c). An array is boxed
 * as a copy, so the array itself stays with compiled code and its cleanup
 * on errors is unchanged. */
#include "lw.h"

#include <string.h>

/* The constant string passed as keyword `name`, or a null pointer. */
static LLVMValueRef keyword_text(LwFn *fn, const Instr *in, const char *name) {
    int npos = in->nargs - 1 - in->nkw;
    for (int k = 0; k < in->nkw; k++)
        if (strcmp(in->kwnames[k], name) == 0)
            return lw_cstring(fn->m, in->args[1 + npos + k]->type->name);
    return LLVMConstNull(fn->m->ptr);
}

LLVMValueRef lw_print(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    int n = in->nargs - 1 - in->nkw;
    // First every value that may fail to be made (array copies), then the
    // boxing, so that no Python object is left behind by a failure between.
    LLVMValueRef *natives = ARENA_ARRAY(m->arena, LLVMValueRef, n + 1);
    const Type **types = ARENA_ARRAY(m->arena, const Type *, n + 1);
    for (int i = 0; i < n; i++) {
        const Instr *a = in->args[1 + i];
        types[i] = a->type;
        if (a->type->kind == TY_STR)
            continue;
        natives[i] = lw_val(fn, a);
        if (a->type->kind == TY_ARRAY) {
            types[i] = ty_array(m->tt, a->type->dtype, a->type->ndim, 'C');
            natives[i] = lw_array_copy(fn, natives[i], a->type, types[i]);
        }
        // Boxing consumes a reference: one of its own.
        if (a->type->kind == TY_LIST || a->type->kind == TY_DICT || a->type->kind == TY_SET)
            lw_incref(fn, natives[i], a->type);
    }
    // Boxing makes Python objects: under the GIL, which compiled code may
    // have let go of (and a prange body on the pool never held).
    LLVMValueRef python = lw_call(fn, "pyaot_rt_python_enter", NULL, 0);
    LLVMTypeRef items_type = LLVMArrayType2(m->ptr, (uint64_t)(n > 0 ? n : 1));
    LLVMValueRef items = lw_entry_alloca(fn, items_type, "print_items");
    for (int i = 0; i < n; i++) {
        LLVMValueRef obj;
        if (types[i]->kind == TY_STR) {
            LLVMValueRef text = lw_cstring(m, types[i]->name);
            obj = lw_call(fn, "pyaot_rt_unicode", &text, 1);
        } else {
            LLVMValueRef slot = lw_entry_alloca(fn, lw_type(m, types[i]), "print_value");
            LLVMBuildStore(B, natives[i], slot);
            LLVMValueRef args[2] = {slot, lw_type_desc(m, types[i], false)};
            obj = lw_call(fn, "pyaot_rt_box", args, 2); // consumes the copy
        }
        LLVMValueRef at[2] = {LLVMConstInt(m->i64, 0, 0), LLVMConstInt(m->i64, (unsigned)i, 0)};
        LLVMBuildStore(B, obj, LLVMBuildInBoundsGEP2(B, items_type, items, at, 2, ""));
    }
    LLVMValueRef args[4] = {items, LLVMConstInt(m->i32, (unsigned)n, 0), keyword_text(fn, in, "sep"),
                            keyword_text(fn, in, "end")};
    LLVMValueRef status = lw_call(fn, "pyaot_rt_print", args, 4);
    lw_call(fn, "pyaot_rt_python_leave", &python, 1);
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildICmp(B, LLVMIntNE, status, LLVMConstInt(m->i32, 0, 0), ""), &ok);
    lw_fail(fn);
    lw_resume(fn, ok);
    return LLVMConstInt(m->i8, 0, 0);
}
