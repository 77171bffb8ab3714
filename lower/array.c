/* Arrays: the native struct {meminfo, data, shape[N], strides[N]} (strides
 * in elements), element access with Python's negative indices and numpy's
 * IndexError, views, attributes, and the loops that make new arrays. */
#include "lw.h"

#include <string.h>

enum { FIELD_MEMINFO, FIELD_DATA, FIELD_SHAPE, FIELD_STRIDES };

LLVMTypeRef lw_mem_type(LwModule *m, const Type *scalar) {
    return scalar->kind == TY_BOOL ? m->i8 : lw_type(m, scalar);
}

LLVMValueRef lw_load_elem(LwFn *fn, LLVMValueRef ptr, const Type *scalar) {
    LLVMValueRef v = LLVMBuildLoad2(fn->b, lw_mem_type(fn->m, scalar), ptr, "");
    if (scalar->kind == TY_BOOL)
        return LLVMBuildICmp(fn->b, LLVMIntNE, v, LLVMConstInt(fn->m->i8, 0, 0), "");
    return v;
}

void lw_store_elem(LwFn *fn, LLVMValueRef ptr, LLVMValueRef v, const Type *scalar) {
    if (scalar->kind == TY_BOOL)
        v = LLVMBuildZExt(fn->b, v, fn->m->i8, "");
    LLVMBuildStore(fn->b, v, ptr);
}

void lw_loop(LwFn *fn, LLVMValueRef n, LwLoopBody body, void *ctx) {
    LwModule *m = fn->m;
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(fn->b);
    LLVMBasicBlockRef head = lw_block(fn, "loop"), inner = lw_block(fn, "loop.body"), done = lw_block(fn, "loop.end");
    LLVMBuildBr(fn->b, head);
    LLVMPositionBuilderAtEnd(fn->b, head);
    LLVMValueRef i = LLVMBuildPhi(fn->b, m->i64, "i");
    LLVMValueRef zero = LLVMConstInt(m->i64, 0, 0);
    LLVMAddIncoming(i, &zero, &pre, 1);
    LLVMBuildCondBr(fn->b, LLVMBuildICmp(fn->b, LLVMIntSLT, i, n, ""), inner, done);
    LLVMPositionBuilderAtEnd(fn->b, inner);
    body(fn, i, ctx);
    LLVMValueRef next = LLVMBuildNSWAdd(fn->b, i, LLVMConstInt(m->i64, 1, 0), "");
    LLVMBasicBlockRef latch = LLVMGetInsertBlock(fn->b);
    LLVMAddIncoming(i, &next, &latch, 1);
    LLVMBuildBr(fn->b, head);
    LLVMPositionBuilderAtEnd(fn->b, done);
}

LLVMValueRef lw_array_data(LwFn *fn, LLVMValueRef arr) {
    return LLVMBuildExtractValue(fn->b, arr, FIELD_DATA, "data");
}

LLVMValueRef lw_array_meminfo(LwFn *fn, LLVMValueRef arr) {
    return LLVMBuildExtractValue(fn->b, arr, FIELD_MEMINFO, "mi");
}

LLVMValueRef lw_array_dim(LwFn *fn, LLVMValueRef arr, int i) {
    LLVMValueRef shape = LLVMBuildExtractValue(fn->b, arr, FIELD_SHAPE, "");
    return LLVMBuildExtractValue(fn->b, shape, (unsigned)i, "dim");
}

LLVMValueRef lw_array_stride(LwFn *fn, LLVMValueRef arr, const Type *t, int i) {
    // The innermost stride of a C-contiguous array is known, which is what
    // lets LLVM vectorise loops over it.
    if (t->layout == 'C' && i == t->ndim - 1)
        return LLVMConstInt(fn->m->i64, 1, 0);
    LLVMValueRef strides = LLVMBuildExtractValue(fn->b, arr, FIELD_STRIDES, "");
    return LLVMBuildExtractValue(fn->b, strides, (unsigned)i, "stride");
}

LLVMValueRef lw_array_size(LwFn *fn, LLVMValueRef arr, const Type *t) {
    LLVMValueRef size = LLVMConstInt(fn->m->i64, 1, 0);
    for (int i = 0; i < t->ndim; i++)
        size = LLVMBuildNSWMul(fn->b, size, lw_array_dim(fn, arr, i), "");
    return size;
}

LLVMValueRef lw_array_elem_ptr(LwFn *fn, LLVMValueRef arr, const Type *t, LLVMValueRef *idx, int n) {
    LwModule *m = fn->m;
    LLVMValueRef offset = LLVMConstInt(m->i64, 0, 0);
    for (int i = 0; i < n; i++)
        offset = LLVMBuildNSWAdd(fn->b, offset, LLVMBuildNSWMul(fn->b, idx[i], lw_array_stride(fn, arr, t, i), ""), "");
    return LLVMBuildInBoundsGEP2(fn->b, lw_mem_type(m, t->dtype), lw_array_data(fn, arr), &offset, 1, "elem");
}

/* An index of any integer type as i64. */
static LLVMValueRef index_i64(LwFn *fn, LLVMValueRef v, const Type *t) {
    return lw_convert(fn, v, t, ty_int64(fn->m->tt));
}

LLVMValueRef lw_array_index(LwFn *fn, LLVMValueRef arr, int axis, LLVMValueRef idx) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef dim = lw_array_dim(fn, arr, axis);
    LLVMValueRef zero = LLVMConstInt(m->i64, 0, 0);
    if (!m->opt.boundscheck) {
        LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, idx, zero, "");
        return LLVMBuildSelect(B, neg, LLVMBuildAdd(B, idx, dim, ""), idx, "index");
    }
    // The fast path is C's bounds check, one unsigned compare (which LLVM
    // drops where it knows 0 <= idx < dim). A negative index takes the slow
    // path, where it is wrapped and checked again.
    LLVMBasicBlockRef fast = LLVMGetInsertBlock(B), ok;
    lw_check(fn, LLVMBuildICmp(B, LLVMIntUGE, idx, dim, ""), &ok);
    LLVMValueRef wrapped = LLVMBuildAdd(B, idx, dim, "");
    LLVMValueRef fits = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntSLT, idx, zero, ""),
                                     LLVMBuildICmp(B, LLVMIntSGE, wrapped, zero, ""), "");
    LLVMBasicBlockRef slow = LLVMGetInsertBlock(B), bad = lw_block(fn, "index_error");
    LLVMBuildCondBr(B, fits, ok, bad);
    LLVMPositionBuilderAtEnd(B, bad);
    LLVMValueRef args[3] = {idx, dim, LLVMConstInt(m->i32, (unsigned)axis, 0)};
    lw_call(fn, "pyaot_rt_raise_index", args, 3);
    lw_fail(fn);
    lw_resume(fn, ok);
    LLVMValueRef index = LLVMBuildPhi(B, m->i64, "index");
    LLVMValueRef values[2] = {idx, wrapped};
    LLVMBasicBlockRef from[2] = {fast, slow};
    LLVMAddIncoming(index, values, from, 2);
    return index;
}

LLVMValueRef lw_array_struct(LwFn *fn, const Type *t, LLVMValueRef mi, LLVMValueRef data, LLVMValueRef *dims,
                             LLVMValueRef *strides) {
    LwModule *m = fn->m;
    LLVMValueRef shape_v = LLVMGetUndef(LLVMArrayType2(m->i64, (uint64_t)t->ndim));
    LLVMValueRef strides_v = shape_v;
    for (int i = 0; i < t->ndim; i++) {
        shape_v = LLVMBuildInsertValue(fn->b, shape_v, dims[i], (unsigned)i, "");
        strides_v = LLVMBuildInsertValue(fn->b, strides_v, strides[i], (unsigned)i, "");
    }
    LLVMValueRef v = LLVMGetUndef(lw_type(m, t));
    v = LLVMBuildInsertValue(fn->b, v, mi, FIELD_MEMINFO, "");
    v = LLVMBuildInsertValue(fn->b, v, data, FIELD_DATA, "");
    v = LLVMBuildInsertValue(fn->b, v, shape_v, FIELD_SHAPE, "");
    return LLVMBuildInsertValue(fn->b, v, strides_v, FIELD_STRIDES, "");
}

LLVMValueRef lw_array_subview(LwFn *fn, LLVMValueRef arr, const Type *t, LLVMValueRef *idx, int n,
                              const Type *result) {
    LLVMValueRef dims[64], strides[64];
    for (int i = n; i < t->ndim; i++) {
        dims[i - n] = lw_array_dim(fn, arr, i);
        strides[i - n] = lw_array_stride(fn, arr, t, i);
    }
    LLVMValueRef v = lw_array_struct(fn, result, lw_array_meminfo(fn, arr), lw_array_elem_ptr(fn, arr, t, idx, n),
                                     dims, strides);
    lw_incref(fn, v, result);
    return v;
}

/* The indices of obj[idx] as i64, wrapped and checked. Returns how many. */
static int gather_indices(LwFn *fn, LLVMValueRef arr, const Instr *idx, LLVMValueRef *out) {
    LLVMValueRef v = lw_val(fn, idx);
    const Type *t = idx->type;
    if (t->kind != TY_TUPLE) {
        out[0] = lw_array_index(fn, arr, 0, index_i64(fn, v, t));
        return 1;
    }
    for (int i = 0; i < t->nfields; i++) {
        LLVMValueRef item = LLVMBuildExtractValue(fn->b, v, (unsigned)i, "");
        out[i] = lw_array_index(fn, arr, i, index_i64(fn, item, t->fields[i]));
    }
    return t->nfields;
}

/* t[i] for a tuple whose items share one type, i known only at run time. */
static LLVMValueRef tuple_dynamic_get(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Instr *tup = in->args[0], *idx = in->args[1];
    LLVMTypeRef tt = lw_type(m, tup->type);
    LLVMValueRef slot = lw_entry_alloca(fn, tt, "tuple");
    LLVMBuildStore(fn->b, lw_val(fn, tup), slot);
    LLVMValueRef i = index_i64(fn, lw_val(fn, idx), idx->type);
    LLVMValueRef n = LLVMConstInt(m->i64, (unsigned)tup->type->nfields, 0);
    LLVMValueRef neg = LLVMBuildICmp(fn->b, LLVMIntSLT, i, LLVMConstInt(m->i64, 0, 0), "");
    i = LLVMBuildSelect(fn->b, neg, LLVMBuildAdd(fn->b, i, n, ""), i, "");
    lw_raise_if(fn, LLVMBuildICmp(fn->b, LLVMIntUGE, i, n, ""), EXC_INDEX, "tuple index out of range");
    // A struct takes only constant field numbers; items of one type are
    // laid out as an array of that type, so step over them as one.
    LLVMTypeRef item = lw_type(m, in->type);
    LLVMValueRef ptr = LLVMBuildInBoundsGEP2(fn->b, item, slot, &i, 1, "");
    LLVMValueRef v = LLVMBuildLoad2(fn->b, item, ptr, "");
    if (ty_is_refcounted(in->type))
        lw_incref(fn, v, in->type);
    return v;
}

/* How in->args[1] indexes in->args[0]. */
static FeIndex plan_of(LwFn *fn, const Instr *in) {
    FeIndex plan;
    const char *error;
    if (!fe_index_plan(fn->m->arena, in->args[0]->type, in->args[1]->type, &plan, &error))
        diag_internal(fn->m->d, "index plan: %s", error);
    return plan;
}

LLVMValueRef lw_getitem(LwFn *fn, const Instr *in) {
    const Instr *obj = in->args[0];
    if (obj->type->kind == TY_LIST)
        return lw_list_getitem(fn, in);
    if (obj->type->kind == TY_DICT)
        return lw_dict_getitem(fn, in);
    if (obj->type->kind == TY_TUPLE) {
        if (in->sub < 0)
            return tuple_dynamic_get(fn, in);
        LLVMValueRef v = LLVMBuildExtractValue(fn->b, lw_val(fn, obj), (unsigned)in->sub, "");
        if (ty_is_refcounted(in->type))
            lw_incref(fn, v, in->type);
        return v;
    }
    const Type *t = obj->type;
    LLVMValueRef arr = lw_val(fn, obj);
    FeIndex plan = plan_of(fn, in);
    if (plan.advanced >= 0)
        return lw_index_gather(fn, in, &plan);
    if (!fe_index_is_basic_prefix(&plan))
        return lw_array_view(fn, arr, t, in->args[1], in->type, true);
    LLVMValueRef idx[64];
    int n = gather_indices(fn, arr, in->args[1], idx);
    if (n == t->ndim)
        return lw_load_elem(fn, lw_array_elem_ptr(fn, arr, t, idx, n), t->dtype);
    return lw_array_subview(fn, arr, t, idx, n, in->type);
}

void lw_setitem(LwFn *fn, const Instr *in) {
    if (in->args[0]->type->kind == TY_LIST) {
        lw_list_setitem(fn, in);
        return;
    }
    if (in->args[0]->type->kind == TY_DICT) {
        lw_dict_setitem(fn, in);
        return;
    }
    if (in->optype) {
        const Instr *mask = in->args[1];
        if (mask->op == OP_ELEMENTWISE && mask->consumer == in) { // x[x < 0] = 0
            const Type *t = in->args[0]->type;
            const Instr *v = in->args[2];
            lw_elementwise_masked_fill(fn, mask, lw_val(fn, in->args[0]), t,
                                       lw_convert(fn, lw_val(fn, v), v->type, t->dtype));
            return;
        }
        FeIndex plan = plan_of(fn, in);
        if (plan.advanced >= 0)
            lw_index_scatter(fn, in, &plan);
        else
            lw_assign_view(fn, in);
        return;
    }
    const Instr *obj = in->args[0], *value = in->args[2];
    const Type *t = obj->type;
    LLVMValueRef arr = lw_val(fn, obj);
    LLVMValueRef idx[64];
    int n = gather_indices(fn, arr, in->args[1], idx);
    LLVMValueRef v = lw_convert(fn, lw_val(fn, value), value->type, t->dtype);
    lw_store_elem(fn, lw_array_elem_ptr(fn, arr, t, idx, n), v, t->dtype);
}

/* ---- new arrays ----------------------------------------------------------- */

LLVMValueRef lw_array_new(LwFn *fn, const Type *type, LLVMValueRef *dims, bool zeroed) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMTypeRef i64 = m->i64;
    // nbytes = itemsize * prod(dims), refusing negative dimensions and sizes
    // that overflow (numpy's ValueErrors).
    LLVMValueRef negative = LLVMConstInt(m->i1, 0, 0);
    LLVMValueRef overflow = LLVMConstInt(m->i1, 0, 0);
    LLVMValueRef nbytes = LLVMConstInt(i64, (unsigned)lw_elem_size(type->dtype), 0);
    for (int i = 0; i < type->ndim; i++) {
        negative = LLVMBuildOr(B, negative, LLVMBuildICmp(B, LLVMIntSLT, dims[i], LLVMConstInt(i64, 0, 0), ""), "");
        LLVMValueRef args[2] = {nbytes, dims[i]};
        LLVMValueRef r = lw_intrinsic(fn, "llvm.smul.with.overflow", &i64, 1, args, 2);
        nbytes = LLVMBuildExtractValue(B, r, 0, "");
        overflow = LLVMBuildOr(B, overflow, LLVMBuildExtractValue(B, r, 1, ""), "");
    }
    lw_raise_if(fn, negative, EXC_VALUE, "negative dimensions are not allowed");
    lw_raise_if(fn, overflow, EXC_VALUE, "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
    LLVMValueRef args[2] = {nbytes, LLVMConstInt(m->i32, zeroed, 0)};
    LLVMValueRef mi = lw_call(fn, "pyaot_rt_alloc", args, 2);
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildIsNull(B, mi, ""), &ok);
    lw_fail(fn); // MemoryError is set
    lw_resume(fn, ok);
    // pyaot_meminfo.data sits after the int64 refcount.
    LLVMValueRef eight = LLVMConstInt(i64, 8, 0);
    LLVMValueRef data_field = LLVMBuildInBoundsGEP2(B, m->i8, mi, &eight, 1, "");
    LLVMValueRef data = LLVMBuildLoad2(B, m->ptr, data_field, "data");
    LLVMValueRef v = LLVMGetUndef(lw_type(m, type));
    v = LLVMBuildInsertValue(B, v, mi, FIELD_MEMINFO, "");
    v = LLVMBuildInsertValue(B, v, data, FIELD_DATA, "");
    LLVMValueRef shape = LLVMGetUndef(LLVMArrayType2(i64, (uint64_t)type->ndim));
    LLVMValueRef strides = shape;
    LLVMValueRef stride = LLVMConstInt(i64, 1, 0);
    for (int i = type->ndim - 1; i >= 0; i--) {
        shape = LLVMBuildInsertValue(B, shape, dims[i], (unsigned)i, "");
        strides = LLVMBuildInsertValue(B, strides, stride, (unsigned)i, "");
        stride = LLVMBuildNSWMul(B, stride, dims[i], "");
    }
    v = LLVMBuildInsertValue(B, v, shape, FIELD_SHAPE, "");
    return LLVMBuildInsertValue(B, v, strides, FIELD_STRIDES, "");
}

/* The shape of `arr` as an array of values. */
static void dims_of(LwFn *fn, LLVMValueRef arr, const Type *t, LLVMValueRef *dims) {
    for (int i = 0; i < t->ndim; i++)
        dims[i] = lw_array_dim(fn, arr, i);
}

typedef struct NdLoop {
    LLVMValueRef *dims;
    LLVMValueRef idx[64];
    int ndim, level;
    LwIndexBody body;
    void *ctx;
} NdLoop;

static void nd_level(LwFn *fn, LLVMValueRef i, void *ctx) {
    NdLoop *L = ctx;
    L->idx[L->level] = i;
    if (L->level + 1 == L->ndim) {
        L->body(fn, L->idx, L->ctx);
        return;
    }
    L->level++;
    lw_loop(fn, L->dims[L->level], nd_level, L);
    L->level--;
}

void lw_for_each_index(LwFn *fn, LLVMValueRef *dims, int ndim, LwIndexBody body, void *ctx) {
    if (ndim == 0) {
        body(fn, NULL, ctx);
        return;
    }
    NdLoop L = {.dims = dims, .ndim = ndim, .body = body, .ctx = ctx};
    lw_loop(fn, dims[0], nd_level, &L);
}

typedef struct CopyCtx {
    LLVMValueRef src, dst;
    const Type *from, *to;
} CopyCtx;

static void copy_elem(LwFn *fn, LLVMValueRef *idx, void *ctx) {
    CopyCtx *c = ctx;
    LLVMValueRef v = lw_load_elem(fn, lw_array_elem_ptr(fn, c->src, c->from, idx, c->from->ndim), c->from->dtype);
    v = lw_convert(fn, v, c->from->dtype, c->to->dtype);
    lw_store_elem(fn, lw_array_elem_ptr(fn, c->dst, c->to, idx, c->to->ndim), v, c->to->dtype);
}

void lw_array_layout_ptrs(LwFn *fn, LLVMValueRef arr, const Type *t, LLVMValueRef *shape, LLVMValueRef *strides) {
    LwModule *m = fn->m;
    LLVMTypeRef at = LLVMArrayType2(m->i64, (uint64_t)t->ndim);
    *shape = lw_entry_alloca(fn, at, "shape");
    *strides = lw_entry_alloca(fn, at, "strides");
    for (int i = 0; i < t->ndim; i++) {
        LLVMValueRef at_i[2] = {LLVMConstInt(m->i64, 0, 0), LLVMConstInt(m->i64, (unsigned)i, 0)};
        LLVMBuildStore(fn->b, lw_array_dim(fn, arr, i), LLVMBuildInBoundsGEP2(fn->b, at, *shape, at_i, 2, ""));
        LLVMBuildStore(fn->b, lw_array_stride(fn, arr, t, i),
                       LLVMBuildInBoundsGEP2(fn->b, at, *strides, at_i, 2, ""));
    }
}

typedef struct EachCtx {
    LLVMValueRef arr;
    const Type *t;
    LwItemBody body;
    void *ctx;
} EachCtx;

static void each_flat(LwFn *fn, LLVMValueRef i, void *ctx) {
    EachCtx *c = ctx;
    c->body(fn, LLVMBuildInBoundsGEP2(fn->b, lw_mem_type(fn->m, c->t->dtype), lw_array_data(fn, c->arr), &i, 1, ""),
            c->ctx);
}

static void each_nd(LwFn *fn, LLVMValueRef *idx, void *ctx) {
    EachCtx *c = ctx;
    c->body(fn, lw_array_elem_ptr(fn, c->arr, c->t, idx, c->t->ndim), c->ctx);
}

void lw_array_each(LwFn *fn, LLVMValueRef arr, const Type *t, LwItemBody body, void *ctx) {
    EachCtx c = {arr, t, body, ctx};
    if (t->layout == 'C') { // one flat loop, which LLVM can vectorise
        lw_loop(fn, lw_array_size(fn, arr, t), each_flat, &c);
        return;
    }
    LLVMValueRef dims[64];
    dims_of(fn, arr, t, dims);
    lw_for_each_index(fn, dims, t->ndim, each_nd, &c);
}

void lw_array_copy_into(LwFn *fn, LLVMValueRef src, const Type *from, LLVMValueRef dst, const Type *to) {
    LLVMValueRef dims[64];
    dims_of(fn, dst, to, dims);
    CopyCtx c = {src, dst, from, to};
    lw_for_each_index(fn, dims, to->ndim, copy_elem, &c);
}

LLVMValueRef lw_array_copy(LwFn *fn, LLVMValueRef src, const Type *from, const Type *to) {
    LLVMValueRef dims[64];
    dims_of(fn, src, from, dims);
    LLVMValueRef dst = lw_array_new(fn, to, dims, false);
    lw_array_copy_into(fn, src, from, dst, to);
    return dst;
}

typedef struct FillCtx {
    LLVMValueRef value;
    const Type *t;
} FillCtx;

static void fill_item(LwFn *fn, LLVMValueRef ptr, void *ctx) {
    FillCtx *c = ctx;
    lw_store_elem(fn, ptr, c->value, c->t->dtype);
}

void lw_array_fill(LwFn *fn, LLVMValueRef arr, const Type *t, LLVMValueRef value) {
    FillCtx c = {value, t};
    lw_array_each(fn, arr, t, fill_item, &c);
}

LLVMValueRef lw_array_transpose(LwFn *fn, LLVMValueRef arr, const Type *t) {
    LLVMValueRef v = arr;
    LLVMValueRef shape = LLVMBuildExtractValue(fn->b, arr, FIELD_SHAPE, "");
    LLVMValueRef strides = shape;
    for (int i = 0; i < t->ndim; i++) {
        int j = t->ndim - 1 - i;
        shape = LLVMBuildInsertValue(fn->b, shape, lw_array_dim(fn, arr, j), (unsigned)i, "");
        strides = LLVMBuildInsertValue(fn->b, strides, lw_array_stride(fn, arr, t, j), (unsigned)i, "");
    }
    v = LLVMBuildInsertValue(fn->b, v, shape, FIELD_SHAPE, "");
    v = LLVMBuildInsertValue(fn->b, v, strides, FIELD_STRIDES, "");
    lw_incref(fn, v, t);
    return v;
}

LLVMValueRef lw_array_attr(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Instr *obj = in->args[0];
    const Type *t = obj->type;
    LLVMValueRef arr = lw_val(fn, obj);
    const char *name = in->name;
    if (strcmp(name, "shape") == 0 || strcmp(name, "strides") == 0) {
        bool bytes = name[0] == 's' && name[1] == 't';
        LLVMValueRef v = LLVMGetUndef(lw_type(m, in->type));
        for (int i = 0; i < t->ndim; i++) {
            LLVMValueRef d = bytes ? LLVMBuildNSWMul(fn->b, lw_array_stride(fn, arr, t, i),
                                                     LLVMConstInt(m->i64, (unsigned)lw_elem_size(t->dtype), 0), "")
                                   : lw_array_dim(fn, arr, i);
            v = LLVMBuildInsertValue(fn->b, v, d, (unsigned)i, "");
        }
        return v;
    }
    if (strcmp(name, "size") == 0)
        return lw_array_size(fn, arr, t);
    if (strcmp(name, "nbytes") == 0)
        return LLVMBuildNSWMul(fn->b, lw_array_size(fn, arr, t),
                               LLVMConstInt(m->i64, (unsigned)lw_elem_size(t->dtype), 0), "");
    if (strcmp(name, "T") == 0)
        return lw_array_transpose(fn, arr, t);
    if (strcmp(name, "real") == 0 || strcmp(name, "imag") == 0)
        return lw_array_part(fn, arr, t, name[0] == 'i', in->type);
    return NULL; // dtype: compile time only
}
