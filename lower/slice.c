/* Slices of arrays: slice values, the views that indices with slices cut
 * from an array, and assignment into views (`a[1:-1] = 0`, `a[i, :] = row`,
 * `m[0] = v`). A slice means what it means in CPython: None parts are
 * filled in as PySlice_Unpack does, bounds clamped as PySlice_AdjustIndices
 * does (the runtime's numeric.c). An array assigned into a view broadcasts
 * as numpy's does, and goes through a copy when the two overlap. */
#include "lw.h"

#include <stdint.h>

enum { SLICE_START, SLICE_STOP, SLICE_STEP };

static LLVMValueRef i64_const(LwModule *m, int64_t v) {
    return LLVMConstInt(m->i64, (unsigned long long)v, 1);
}

/* Part k of slice(...) as i64, or NULL when it is absent or None. */
static LLVMValueRef slice_part(LwFn *fn, const Instr *in, int k) {
    if (k >= in->nargs || in->args[k]->type->kind == TY_NONE)
        return NULL;
    return lw_convert(fn, lw_val(fn, in->args[k]), in->args[k]->type, ty_int64(fn->m->tt));
}

LLVMValueRef lw_build_slice(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef step = slice_part(fn, in, SLICE_STEP);
    LLVMValueRef backwards = LLVMConstInt(m->i1, 0, 0);
    if (step) {
        // So that -step cannot overflow; zero is refused where it is used.
        LLVMValueRef lowest = i64_const(m, -INT64_MAX);
        step = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, step, lowest, ""), lowest, step, "step");
        backwards = LLVMBuildICmp(B, LLVMIntSLT, step, i64_const(m, 0), "");
    } else {
        step = i64_const(m, 1);
    }
    LLVMValueRef start = slice_part(fn, in, SLICE_START);
    if (!start)
        start = LLVMBuildSelect(B, backwards, i64_const(m, INT64_MAX), i64_const(m, 0), "start");
    LLVMValueRef stop = slice_part(fn, in, SLICE_STOP);
    if (!stop)
        stop = LLVMBuildSelect(B, backwards, i64_const(m, INT64_MIN), i64_const(m, INT64_MAX), "stop");
    LLVMValueRef v = LLVMGetUndef(lw_type(m, in->type));
    v = LLVMBuildInsertValue(B, v, start, SLICE_START, "");
    v = LLVMBuildInsertValue(B, v, stop, SLICE_STOP, "");
    return LLVMBuildInsertValue(B, v, step, SLICE_STEP, "");
}

/* Cuts axis `axis` of arr by slice `s`: *dim and *stride become the view's,
 * and the offset (in items) of its first item is returned. */
static LLVMValueRef cut_axis(LwFn *fn, LLVMValueRef s, LLVMValueRef *dim, LLVMValueRef *stride) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef step = LLVMBuildExtractValue(B, s, SLICE_STEP, "step");
    lw_raise_if(fn, LLVMBuildICmp(B, LLVMIntEQ, step, i64_const(m, 0), ""), EXC_VALUE, "slice step cannot be zero");
    LLVMValueRef start = lw_entry_alloca(fn, m->i64, "start");
    LLVMValueRef stop = lw_entry_alloca(fn, m->i64, "stop");
    LLVMBuildStore(B, LLVMBuildExtractValue(B, s, SLICE_START, ""), start);
    LLVMBuildStore(B, LLVMBuildExtractValue(B, s, SLICE_STOP, ""), stop);
    LLVMValueRef args[4] = {*dim, start, stop, step};
    *dim = lw_call(fn, "pyaot_rt_slice_adjust", args, 4);
    LLVMValueRef first = LLVMBuildLoad2(B, m->i64, start, "first");
    LLVMValueRef offset = LLVMBuildMul(B, first, *stride, "");
    *stride = LLVMBuildMul(B, *stride, step, "");
    return offset;
}

LLVMValueRef lw_array_view(LwFn *fn, LLVMValueRef arr, const Type *t, const Instr *idx, const Type *view,
                           bool counted) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    FeIndex plan;
    const char *error;
    if (!fe_index_plan(m->arena, t, idx->type, &plan, &error))
        diag_internal(m->d, "index plan: %s", error);
    LLVMValueRef index = lw_val(fn, idx);
    LLVMValueRef offset = i64_const(m, 0);
    LLVMValueRef dims[64], strides[64];
    int kept = 0, axis = 0;
    for (int i = 0; i < plan.nitems; i++) {
        const FeIndexItem *it = &plan.items[i];
        LLVMValueRef item = plan.tuple ? LLVMBuildExtractValue(B, index, (unsigned)i, "") : index;
        switch (it->kind) {
        case IX_INT: {
            // An integer picks one position: the axis goes.
            LLVMValueRef k = lw_array_index(fn, arr, axis, lw_convert(fn, item, it->type, ty_int64(m->tt)));
            offset = LLVMBuildAdd(B, offset, LLVMBuildMul(B, k, lw_array_stride(fn, arr, t, axis), ""), "");
            break;
        }
        case IX_SLICE: {
            LLVMValueRef dim = lw_array_dim(fn, arr, axis), stride = lw_array_stride(fn, arr, t, axis);
            offset = LLVMBuildAdd(B, offset, cut_axis(fn, item, &dim, &stride), "");
            dims[kept] = dim;
            strides[kept++] = stride;
            break;
        }
        case IX_NEWAXIS:
            dims[kept] = i64_const(m, 1);
            strides[kept++] = i64_const(m, 0);
            break;
        default: // `...`, and arrays (applied afterwards, index.c): whole axes
            for (int k = 0; k < it->naxes; k++) {
                dims[kept] = lw_array_dim(fn, arr, axis + k);
                strides[kept++] = lw_array_stride(fn, arr, t, axis + k);
            }
            break;
        }
        axis += it->naxes;
    }
    for (; axis < t->ndim; axis++) {
        dims[kept] = lw_array_dim(fn, arr, axis);
        strides[kept++] = lw_array_stride(fn, arr, t, axis);
    }
    // Not inbounds: an empty view may start one item before the data.
    LLVMValueRef data = LLVMBuildGEP2(B, lw_mem_type(m, t->dtype), lw_array_data(fn, arr), &offset, 1, "view");
    LLVMValueRef v = lw_array_struct(fn, view, lw_array_meminfo(fn, arr), data, dims, strides);
    if (counted)
        lw_incref(fn, v, view);
    return v;
}

/* src with dst's axes, as numpy broadcasts it: aligned at the last axis, an
 * axis of length 1 (or a missing leading one) repeats with stride 0.
 * ValueError when the shapes do not fit. */
static LLVMValueRef broadcast_to(LwFn *fn, LLVMValueRef src, const Type *st, LLVMValueRef dst, const Type *dt,
                                 const Type *bt) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    int lead = dt->ndim - st->ndim;
    LLVMValueRef dims[64], strides[64];
    LLVMValueRef misfit = LLVMConstInt(m->i1, 0, 0);
    for (int j = 0; j < dt->ndim; j++) {
        dims[j] = lw_array_dim(fn, dst, j);
        if (j < lead) {
            strides[j] = i64_const(m, 0);
            continue;
        }
        LLVMValueRef sdim = lw_array_dim(fn, src, j - lead);
        LLVMValueRef same = LLVMBuildICmp(B, LLVMIntEQ, sdim, dims[j], "");
        LLVMValueRef one = LLVMBuildICmp(B, LLVMIntEQ, sdim, i64_const(m, 1), "");
        misfit = LLVMBuildOr(B, misfit, LLVMBuildNot(B, LLVMBuildOr(B, same, one, ""), ""), "");
        strides[j] = LLVMBuildSelect(B, same, lw_array_stride(fn, src, st, j - lead), i64_const(m, 0), "");
    }
    LLVMBasicBlockRef ok;
    lw_check(fn, misfit, &ok);
    LLVMValueRef sshape, sstrides, dshape, dstrides;
    lw_array_layout_ptrs(fn, src, st, &sshape, &sstrides);
    lw_array_layout_ptrs(fn, dst, dt, &dshape, &dstrides);
    LLVMValueRef args[4] = {sshape, LLVMConstInt(m->i32, (unsigned)st->ndim, 0), dshape,
                            LLVMConstInt(m->i32, (unsigned)dt->ndim, 0)};
    lw_call(fn, "pyaot_rt_raise_broadcast", args, 4);
    lw_fail(fn);
    lw_resume(fn, ok);
    return lw_array_struct(fn, bt, lw_array_meminfo(fn, src), lw_array_data(fn, src), dims, strides);
}

/* Copies the array src into the view dst. */
static void assign_array(LwFn *fn, LLVMValueRef src, const Type *st, LLVMValueRef dst, const Type *dt) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    // a[1:] = a[:-1] reads what it writes: numpy copies the source first.
    LLVMValueRef ss, sst, ds, dst_st;
    lw_array_layout_ptrs(fn, src, st, &ss, &sst);
    lw_array_layout_ptrs(fn, dst, dt, &ds, &dst_st);
    LLVMValueRef args[10] = {lw_array_data(fn, src), ss, sst, LLVMConstInt(m->i32, (unsigned)st->ndim, 0),
                             i64_const(m, lw_elem_size(st->dtype)), lw_array_data(fn, dst), ds, dst_st,
                             LLVMConstInt(m->i32, (unsigned)dt->ndim, 0), i64_const(m, lw_elem_size(dt->dtype))};
    LLVMValueRef overlap = LLVMBuildICmp(B, LLVMIntNE, lw_call(fn, "pyaot_rt_memory_overlap", args, 10),
                                         LLVMConstInt(m->i32, 0, 0), "");
    const Type *any = ty_array(m->tt, st->dtype, st->ndim, 'A');
    LLVMBasicBlockRef from = LLVMGetInsertBlock(B);
    LLVMBasicBlockRef copy = lw_block(fn, "copy_source");
    LLVMBasicBlockRef join = lw_block(fn, "source_ready");
    LLVMBuildCondBr(B, overlap, copy, join);
    LLVMPositionBuilderAtEnd(B, copy);
    LLVMValueRef temp = lw_array_copy(fn, src, st, any);
    LLVMBasicBlockRef copied = LLVMGetInsertBlock(B);
    LLVMBuildBr(B, join);
    LLVMPositionBuilderAtEnd(B, join);
    LLVMValueRef source = LLVMBuildPhi(B, lw_type(m, any), "source");
    LLVMValueRef incoming[2] = {src, temp};
    LLVMBasicBlockRef blocks[2] = {from, copied};
    LLVMAddIncoming(source, incoming, blocks, 2);
    const Type *bt = ty_array(m->tt, st->dtype, dt->ndim, 'A');
    lw_array_copy_into(fn, broadcast_to(fn, source, any, dst, dt, bt), bt, dst, dt);
    // The temporary, if one was made, is freed here.
    LLVMBasicBlockRef free_temp = lw_block(fn, "free_copy");
    LLVMBasicBlockRef done = lw_block(fn, "assigned");
    LLVMBuildCondBr(B, overlap, free_temp, done);
    LLVMPositionBuilderAtEnd(B, free_temp);
    lw_decref(fn, source, any);
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, done);
}

void lw_assign_view(LwFn *fn, const Instr *in) {
    const Instr *obj = in->args[0], *value = in->args[2];
    const Type *vt = in->optype;
    LLVMValueRef view = lw_array_view(fn, lw_val(fn, obj), obj->type, in->args[1], vt, false);
    if (value->op == OP_ELEMENTWISE && value->consumer == in) {
        lw_elementwise_into(fn, value, view, vt); // a[1:-1] = b[2:] - b[:-2], with no temporary
        return;
    }
    if (value->type->kind == TY_ARRAY) {
        assign_array(fn, lw_val(fn, value), value->type, view, vt);
        return;
    }
    lw_array_fill(fn, view, vt, lw_convert(fn, lw_val(fn, value), value->type, vt->dtype));
}
