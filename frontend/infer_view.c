/* Typing of what reinterprets an array without computing on its items:
 * reshape, ravel, flatten, transpose, and the real and imaginary parts of
 * complex arrays. Where numpy returns a view these share memory too
 * (lower/reshape.c), so their layout is only known to be C-contiguous when
 * the source is. */
#include "infer.h"

#include <string.h>

static const Type *resolved_view(Instr *call, Builtin b, const Type *t) {
    if (t) {
        call->resolved = RES_BUILTIN;
        call->builtin = b;
    }
    return t;
}

/* The shape items of a.reshape(...) / np.reshape(a, shape): one int or
 * tuple argument, or (methods only) several ints. Returns how many, or -1
 * after failing. */
static int reshape_items(Infer *I, Instr *call, Instr *const *args, int nargs) {
    if (nargs == 0) {
        infer_fail(I, call, "reshape() needs a shape");
        return -1;
    }
    const Type *only = args[0]->type;
    int n = nargs;
    const Type *const *items = NULL;
    if (nargs == 1 && only->kind == TY_TUPLE) {
        n = only->nfields;
        items = only->fields;
    }
    int unknown = 0;
    for (int i = 0; i < n; i++) {
        const Type *t = items ? items[i] : args[i]->type;
        if (t->kind != TY_INT) {
            infer_fail(I, call, "reshape() shape entries must be integers, not %s", infer_tystr(I, t));
            return -1;
        }
        const Instr *v = items ? NULL : args[i];
        if (v && v->op == OP_CONST && v->cst->kind == FE_CONST_INT && v->cst->i == -1)
            unknown++;
    }
    if (args[0]->op == OP_CONST && args[0]->cst->kind == FE_CONST_TUPLE)
        for (int i = 0; i < args[0]->cst->nitems; i++)
            unknown += args[0]->cst->items[i]->kind == FE_CONST_INT && args[0]->cst->items[i]->i == -1;
    if (unknown > 1) {
        infer_fail(I, call, "can only specify one unknown dimension");
        return -1;
    }
    if (n == 0) {
        infer_fail(I, call, "reshape() to 0 dimensions is not supported");
        return -1;
    }
    return n;
}

const Type *infer_view_call(Infer *I, Instr *call, Builtin b, Instr *recv) {
    bool method = recv != NULL;
    Instr *const *rest = call->args + 1; // arguments after the receiver (methods)
    int nrest = call->nargs - 1;
    const char *fname = fe_builtin_name(b);
    const char *dot = strrchr(fname, '.');
    fname = dot ? dot + 1 : fname;
    if (!method) {
        static const char *const one[] = {"a"}, *const two[] = {"a", "newshape"};
        bool reshape = b == B_NP_RESHAPE;
        if (!infer_bind(I, call, fname, reshape ? two : one, reshape ? 2 : 1, reshape ? 2 : 1))
            return NULL;
        recv = infer_param(call, 0);
        rest = reshape ? &call->args[call->argmap[1]] : NULL;
        nrest = reshape ? 1 : 0;
    } else if (call->nkw) {
        return infer_fail(I, call, "%s() keyword arguments are not supported", fname);
    }
    const Type *t = recv->type;
    if (t->kind != TY_ARRAY)
        return infer_fail(I, call, "%s() needs an array, not %s", fname, infer_tystr(I, t));
    if (b != B_NP_RESHAPE && method && nrest > 0)
        return infer_fail(I, call, "%s() with arguments is not supported", fname);
    switch (b) {
    case B_NP_RESHAPE: {
        int n = reshape_items(I, call, rest, nrest);
        if (n < 0)
            return NULL;
        return resolved_view(call, b, ty_array(I->tt, t->dtype, n, t->layout == 'C' ? 'C' : 'A'));
    }
    case B_NP_RAVEL: case B_ARR_FLATTEN:
        return resolved_view(call, b, ty_array(I->tt, t->dtype, 1, 'C'));
    case B_NP_TRANSPOSE: {
        char layout = t->ndim == 1 ? t->layout : t->layout == 'C' ? 'F' : t->layout == 'F' ? 'C' : 'A';
        return resolved_view(call, b, ty_array(I->tt, t->dtype, t->ndim, layout));
    }
    case B_NP_REAL: case B_NP_IMAG:
        return resolved_view(call, b, infer_part_type(I, t, b == B_NP_IMAG));
    default:
        return infer_fail(I, call, "%s is not supported", fname);
    }
}

const Type *infer_part_type(Infer *I, const Type *arr, bool imag) {
    const Type *d = arr->dtype;
    if (d->kind == TY_COMPLEX)
        return ty_array(I->tt, ty_float(I->tt, d->bits / 2), arr->ndim, 'A');
    // Of a real array, .real is the array itself and .imag new zeros.
    return imag ? ty_array(I->tt, d, arr->ndim, 'C') : arr;
}
