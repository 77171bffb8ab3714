/* Arrays seen another way: reshape, ravel and flatten (views where numpy
 * gives views, copies otherwise), transpose, and the real and imaginary
 * parts of complex arrays (views with twice the stride, writable). */
#include "lw.h"

enum { MAXDIM = 64 };

static LLVMValueRef i64c(LwModule *m, int64_t v) { return LLVMConstInt(m->i64, (unsigned long long)v, 1); }

/* The array a view function applies to: the method's receiver, or its
 * first argument. */
static const Instr *subject(const Instr *call) {
    return call->args[0]->type->kind == TY_METHOD ? call->args[0]->args[0] : lw_call_arg(call, 0);
}

typedef struct FlatCopy {
    LLVMValueRef dst;     // data of a C-contiguous array
    LLVMValueRef slot;    // items copied so far
    const Type *dtype;
} FlatCopy;

static void copy_next(LwFn *fn, LLVMValueRef item, void *ctx) {
    FlatCopy *c = ctx;
    LLVMValueRef n = LLVMBuildLoad2(fn->b, fn->m->i64, c->slot, "");
    LLVMTypeRef mt = lw_mem_type(fn->m, c->dtype);
    LLVMBuildStore(fn->b, LLVMBuildLoad2(fn->b, mt, item, ""), LLVMBuildInBoundsGEP2(fn->b, mt, c->dst, &n, 1, ""));
    LLVMBuildStore(fn->b, LLVMBuildAdd(fn->b, n, i64c(fn->m, 1), ""), c->slot);
}

/* A new C-contiguous array of type rt and shape dims holding src's items
 * in C order. */
static LLVMValueRef copy_flat(LwFn *fn, LLVMValueRef src, const Type *st, const Type *rt, LLVMValueRef *dims) {
    LLVMValueRef dst = lw_array_new(fn, rt, dims, false);
    FlatCopy c = {lw_array_data(fn, dst), lw_entry_alloca(fn, fn->m->i64, "copied"), st->dtype};
    LLVMBuildStore(fn->b, i64c(fn->m, 0), c.slot);
    lw_array_each(fn, src, st, copy_next, &c);
    return dst;
}

/* The dimensions a.reshape(...) / np.reshape(a, shape) asks for. */
static int requested_shape(LwFn *fn, const Instr *call, LLVMValueRef *dims) {
    const Type *i64 = ty_int64(fn->m->tt);
    const Instr *shape;
    if (call->args[0]->type->kind == TY_METHOD && call->nargs > 2) {
        for (int i = 1; i < call->nargs; i++)
            dims[i - 1] = lw_convert(fn, lw_val(fn, call->args[i]), call->args[i]->type, i64);
        return call->nargs - 1;
    }
    shape = call->args[0]->type->kind == TY_METHOD ? call->args[1] : lw_call_arg(call, 1);
    if (shape->type->kind != TY_TUPLE) {
        dims[0] = lw_convert(fn, lw_val(fn, shape), shape->type, i64);
        return 1;
    }
    for (int i = 0; i < shape->type->nfields; i++)
        dims[i] = lw_convert(fn, LLVMBuildExtractValue(fn->b, lw_val(fn, shape), (unsigned)i, ""),
                             shape->type->fields[i], i64);
    return shape->type->nfields;
}

static LLVMValueRef reshape(LwFn *fn, const Instr *call) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    const Instr *a = subject(call);
    const Type *st = a->type, *rt = call->type;
    LLVMValueRef src = lw_val(fn, a);
    LLVMValueRef want[MAXDIM];
    int n = requested_shape(fn, call, want);
    LLVMTypeRef at = LLVMArrayType2(m->i64, (uint64_t)n);
    LLVMValueRef shape = lw_entry_alloca(fn, at, "new_shape"), strides = lw_entry_alloca(fn, at, "new_strides");
    for (int i = 0; i < n; i++) {
        LLVMValueRef k = i64c(m, i);
        LLVMBuildStore(B, want[i], LLVMBuildInBoundsGEP2(B, m->i64, shape, &k, 1, ""));
    }
    LLVMValueRef old_shape, old_strides;
    lw_array_layout_ptrs(fn, src, st, &old_shape, &old_strides);
    LLVMValueRef args[6] = {old_shape, old_strides, LLVMConstInt(m->i32, (unsigned)st->ndim, 0), shape, strides,
                            LLVMConstInt(m->i32, (unsigned)n, 0)};
    LLVMValueRef how = lw_call(fn, "pyaot_rt_reshape", args, 6);
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildICmp(B, LLVMIntSLT, how, LLVMConstInt(m->i32, 0, 0), ""), &ok);
    lw_fail(fn);
    lw_resume(fn, ok);
    LLVMValueRef dims[MAXDIM], vstrides[MAXDIM];
    for (int i = 0; i < n; i++) {
        LLVMValueRef k = i64c(m, i);
        dims[i] = LLVMBuildLoad2(B, m->i64, LLVMBuildInBoundsGEP2(B, m->i64, shape, &k, 1, ""), "");
        vstrides[i] = LLVMBuildLoad2(B, m->i64, LLVMBuildInBoundsGEP2(B, m->i64, strides, &k, 1, ""), "");
    }
    LLVMValueRef view = lw_array_struct(fn, rt, lw_array_meminfo(fn, src), lw_array_data(fn, src), dims, vstrides);
    if (st->layout == 'C') { // always a view
        lw_incref(fn, view, rt);
        return view;
    }
    LLVMBasicBlockRef copy = lw_block(fn, "reshape.copy"),
                      as_view = lw_block(fn, "reshape.view"), join = lw_block(fn, "reshaped");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, how, LLVMConstInt(m->i32, 1, 0), ""), as_view, copy);
    LLVMPositionBuilderAtEnd(B, as_view);
    lw_incref(fn, view, rt);
    LLVMBuildBr(B, join);
    LLVMPositionBuilderAtEnd(B, copy);
    LLVMValueRef copied = copy_flat(fn, src, st, rt, dims);
    LLVMBasicBlockRef copied_bb = LLVMGetInsertBlock(B);
    LLVMBuildBr(B, join);
    LLVMPositionBuilderAtEnd(B, join);
    LLVMValueRef r = LLVMBuildPhi(B, lw_type(m, rt), "reshaped");
    LLVMValueRef vals[2] = {view, copied};
    LLVMBasicBlockRef bbs[2] = {as_view, copied_bb};
    LLVMAddIncoming(r, vals, bbs, 2);
    return r;
}

/* ravel: a view when the items are C-contiguous; flatten: always a copy. */
static LLVMValueRef flatten(LwFn *fn, const Instr *call, bool may_view) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    const Instr *a = subject(call);
    const Type *st = a->type, *rt = call->type;
    LLVMValueRef src = lw_val(fn, a);
    LLVMValueRef size = lw_array_size(fn, src, st), one = i64c(m, 1);
    if (!may_view)
        return copy_flat(fn, src, st, rt, &size);
    LLVMValueRef view = lw_array_struct(fn, rt, lw_array_meminfo(fn, src), lw_array_data(fn, src), &size, &one);
    if (st->layout == 'C') {
        lw_incref(fn, view, rt);
        return view;
    }
    LLVMBasicBlockRef copy = lw_block(fn, "ravel.copy"), as_view = lw_block(fn, "ravel.view"),
                      join = lw_block(fn, "raveled");
    LLVMBuildCondBr(B, lw_array_is_c_contiguous(fn, src, st), as_view, copy);
    LLVMPositionBuilderAtEnd(B, as_view);
    lw_incref(fn, view, rt);
    LLVMBuildBr(B, join);
    LLVMPositionBuilderAtEnd(B, copy);
    LLVMValueRef copied = copy_flat(fn, src, st, rt, &size);
    LLVMBasicBlockRef copied_bb = LLVMGetInsertBlock(B);
    LLVMBuildBr(B, join);
    LLVMPositionBuilderAtEnd(B, join);
    LLVMValueRef r = LLVMBuildPhi(B, lw_type(m, rt), "raveled");
    LLVMValueRef vals[2] = {view, copied};
    LLVMBasicBlockRef bbs[2] = {as_view, copied_bb};
    LLVMAddIncoming(r, vals, bbs, 2);
    return r;
}

LLVMValueRef lw_array_part(LwFn *fn, LLVMValueRef arr, const Type *t, bool imag, const Type *rt) {
    LwModule *m = fn->m;
    if (t->dtype->kind != TY_COMPLEX) {
        if (!imag) {
            lw_incref(fn, arr, t);
            return arr;
        }
        LLVMValueRef dims[MAXDIM];
        for (int i = 0; i < t->ndim; i++)
            dims[i] = lw_array_dim(fn, arr, i);
        return lw_array_new(fn, rt, dims, true);
    }
    // A complex item is two floats: the part is every other float.
    LLVMValueRef dims[MAXDIM], strides[MAXDIM];
    for (int i = 0; i < t->ndim; i++) {
        dims[i] = lw_array_dim(fn, arr, i);
        strides[i] = LLVMBuildMul(fn->b, lw_array_stride(fn, arr, t, i), i64c(m, 2), "");
    }
    LLVMValueRef data = lw_array_data(fn, arr);
    if (imag) {
        LLVMValueRef one = i64c(m, 1);
        data = LLVMBuildGEP2(fn->b, lw_type(m, rt->dtype), data, &one, 1, "imag");
    }
    LLVMValueRef v = lw_array_struct(fn, rt, lw_array_meminfo(fn, arr), data, dims, strides);
    lw_incref(fn, v, rt);
    return v;
}

LLVMValueRef lw_view_call(LwFn *fn, const Instr *call) {
    const Instr *a = subject(call);
    switch (call->builtin) {
    case B_NP_RESHAPE: return reshape(fn, call);
    case B_NP_RAVEL: return flatten(fn, call, true);
    case B_ARR_FLATTEN: return flatten(fn, call, false);
    case B_NP_TRANSPOSE: return lw_array_transpose(fn, lw_val(fn, a), a->type);
    case B_NP_REAL: case B_NP_IMAG:
        return lw_array_part(fn, lw_val(fn, a), a->type, call->builtin == B_NP_IMAG, call->type);
    default:
        diag_internal(fn->m->d, "no view lowering for %s", fe_builtin_name((Builtin)call->builtin));
    }
}
