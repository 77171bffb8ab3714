/* Reductions of a whole array: np.sum, np.prod, np.mean, np.min, np.max and
 * the same as methods. Float sums, products and means go through the
 * runtime, which takes the items in numpy's order so results agree to the
 * last bit; integer sums and products wrap as numpy's do; min and max
 * propagate NaN and, between equal items (0.0 and -0.0), keep the later
 * one, as numpy's do. */
#include "lw.h"

typedef struct Fold {
    LLVMValueRef acc;       // stack slot of the running result
    const Type *item, *acc_type;
    int op;                 // B_NP_SUM, B_NP_PROD, B_NP_MIN, B_NP_MAX
} Fold;

static void fold_value(LwFn *fn, LLVMValueRef item, void *ctx) {
    Fold *f = ctx;
    LLVMBuilderRef B = fn->b;
    LLVMTypeRef at = lw_type(fn->m, f->acc_type);
    LLVMValueRef acc = LLVMBuildLoad2(B, at, f->acc, "");
    LLVMValueRef x = lw_convert(fn, item, f->item, f->acc_type);
    bool real = f->acc_type->kind == TY_FLOAT;
    LLVMValueRef next;
    if ((f->op == B_NP_SUM || f->op == B_NP_PROD) && real) { // floats one after another, in numpy's order
        next = f->op == B_NP_SUM ? LLVMBuildFAdd(B, acc, x, "") : LLVMBuildFMul(B, acc, x, "");
    } else if (f->op == B_NP_SUM || f->op == B_NP_PROD) { // integers, which wrap in any order
        next = f->op == B_NP_SUM ? LLVMBuildAdd(B, acc, x, "") : LLVMBuildMul(B, acc, x, "");
    } else if (real) {
        // Take x when it is as far or further (ties go to the later item) or
        // NaN; once the result is NaN it stays.
        LLVMValueRef further = LLVMBuildFCmp(B, f->op == B_NP_MAX ? LLVMRealUGE : LLVMRealULE, x, acc, "");
        LLVMValueRef acc_nan = LLVMBuildFCmp(B, LLVMRealUNO, acc, acc, "");
        next = LLVMBuildSelect(B, LLVMBuildAnd(B, further, LLVMBuildNot(B, acc_nan, ""), ""), x, acc, "");
    } else {
        bool is_signed = lw_is_signed(f->acc_type);
        LLVMIntPredicate p = f->op == B_NP_MAX ? (is_signed ? LLVMIntSGE : LLVMIntUGE)
                                               : (is_signed ? LLVMIntSLE : LLVMIntULE);
        next = LLVMBuildSelect(B, LLVMBuildICmp(B, p, x, acc, ""), x, acc, "");
    }
    LLVMBuildStore(B, next, f->acc);
}

static void fold_item(LwFn *fn, LLVMValueRef ptr, void *ctx) {
    fold_value(fn, lw_load_elem(fn, ptr, ((Fold *)ctx)->item), ctx);
}

/* The running result starts from `init` and takes in every item. */
static LLVMValueRef fold(LwFn *fn, LLVMValueRef arr, const Type *t, int op, const Type *result, LLVMValueRef init) {
    Fold f = {lw_entry_alloca(fn, lw_type(fn->m, result), "acc"), t->dtype, result, op};
    LLVMBuildStore(fn->b, init, f.acc);
    lw_array_each(fn, arr, t, fold_item, &f);
    return LLVMBuildLoad2(fn->b, lw_type(fn->m, result), f.acc, "");
}

/* The float sum (or product) of arr's items in numpy's order, as `result`
 * (float32 or float64; a product's items are of that type). */
static LLVMValueRef numpy_fold(LwFn *fn, LLVMValueRef arr, const Type *t, const Type *result, bool product) {
    LwModule *m = fn->m;
    LLVMValueRef shape, strides;
    lw_array_layout_ptrs(fn, arr, t, &shape, &strides);
    LLVMValueRef out = lw_entry_alloca(fn, lw_type(m, result), "sum");
    LLVMValueRef ndim = LLVMConstInt(m->i32, (unsigned)t->ndim, 0);
    LLVMValueRef status;
    bool single = result->bits == 32;
    if (product) {
        LLVMValueRef args[5] = {lw_array_data(fn, arr), shape, strides, ndim, out};
        status = lw_call(fn, single ? "pyaot_rt_prod_f32" : "pyaot_rt_prod_f64", args, 5);
    } else {
        const Type *d = t->dtype;
        LLVMValueRef args[7] = {lw_array_data(fn, arr), shape, strides, ndim,
                                LLVMConstInt(m->i32, (unsigned)lw_rt_kind(d), 0),
                                LLVMConstInt(m->i32, (unsigned)lw_elem_size(d), 0), out};
        status = lw_call(fn, single ? "pyaot_rt_sum_f32" : "pyaot_rt_sum_f64", args, 7);
    }
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildICmp(fn->b, LLVMIntNE, status, LLVMConstInt(m->i32, 0, 0), ""), &ok);
    lw_fail(fn); // MemoryError is set
    lw_resume(fn, ok);
    return LLVMBuildLoad2(fn->b, lw_type(m, result), out, "");
}

/* ---- reductions of an expression, computed item by item ------------------ */

/* Float sums take the items in chunks of numpy's buffer size, each summed
 * pairwise by the runtime: the order numpy sums the expression's array in. */
typedef struct ChunkSum {
    LLVMValueRef buffer;  // a chunk of items of the sum's type
    LLVMValueRef total;   // slot: the sum of the chunks so far
    const Type *sum;
} ChunkSum;

enum { CHUNK = 8192 };

static void add_chunk(LwFn *fn, LLVMValueRef len, void *ctx) {
    ChunkSum *c = ctx;
    LwModule *m = fn->m;
    LLVMTypeRef st = lw_type(m, c->sum);
    LLVMValueRef args[2] = {lw_array_data(fn, c->buffer), len};
    LLVMValueRef part = lw_call(fn, c->sum->bits == 32 ? "pyaot_rt_pairwise_f32" : "pyaot_rt_pairwise_f64", args, 2);
    LLVMBuildStore(fn->b, LLVMBuildFAdd(fn->b, LLVMBuildLoad2(fn->b, st, c->total, ""), part, ""), c->total);
}

/* The items of `expr` reduced by `op` into `result`. */
static LLVMValueRef reduce_expression(LwFn *fn, int op, const Instr *expr, const Type *result, LLVMValueRef *count) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    const Type *item = expr->type->dtype;
    LLVMTypeRef rt = lw_type(m, result);
    if ((op == B_NP_SUM || op == B_NP_MEAN) && result->kind == TY_FLOAT) {
        ChunkSum c = {.total = lw_entry_alloca(fn, rt, "total"), .sum = result};
        const Type *bt = ty_array(m->tt, result, 1, 'C');
        LLVMValueRef len = LLVMConstInt(m->i64, CHUNK, 0);
        c.buffer = lw_array_new(fn, bt, &len, false);
        LLVMBuildStore(B, LLVMConstReal(rt, 0.0), c.total);
        lw_elementwise_chunks(fn, expr, result, lw_array_data(fn, c.buffer), add_chunk, &c, count);
        lw_decref(fn, c.buffer, bt);
        return LLVMBuildLoad2(B, rt, c.total, "sum");
    }
    Fold f = {lw_entry_alloca(fn, rt, "acc"), item, result, op};
    LLVMValueRef init;
    switch (op) {
    case B_NP_SUM: init = LLVMConstNull(rt); break;
    case B_NP_PROD: {
        FeConst one = {.kind = FE_CONST_INT, .i = 1};
        init = lw_const_value(m, &one, result);
        break;
    }
    default: { // min and max start from the far end of the type
        bool is_min = op == B_NP_MIN;
        if (result->kind == TY_FLOAT)
            init = LLVMConstReal(rt, is_min ? __builtin_inf() : -__builtin_inf());
        else if (result->kind == TY_BOOL)
            init = LLVMConstInt(rt, is_min, 0);
        else if (lw_is_signed(result))
            init = LLVMConstInt(rt, is_min ? (1ull << (result->bits - 1)) - 1 : 1ull << (result->bits - 1), 0);
        else
            init = is_min ? LLVMConstAllOnes(rt) : LLVMConstNull(rt);
        break;
    }
    }
    LLVMBuildStore(B, init, f.acc);
    lw_elementwise_each(fn, expr, fold_value, &f, count);
    return LLVMBuildLoad2(B, rt, f.acc, "");
}

static LLVMValueRef reduce_deferred(LwFn *fn, const Instr *in, const Instr *expr) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    const Type *r = in->type;
    LLVMValueRef count;
    if (in->builtin == B_NP_MEAN) {
        LLVMValueRef sum = lw_convert(fn, reduce_expression(fn, B_NP_SUM, expr, r, &count), r, ty_float64(m->tt));
        LLVMValueRef n = LLVMBuildSIToFP(B, count, m->f64, "");
        return lw_convert(fn, LLVMBuildFDiv(B, sum, n, "mean"), ty_float64(m->tt), r);
    }
    LLVMValueRef v = reduce_expression(fn, in->builtin, expr, r, &count);
    if (in->builtin == B_NP_MIN || in->builtin == B_NP_MAX) { // no items: no answer
        const char *msg = in->builtin == B_NP_MIN
                              ? "zero-size array to reduction operation minimum which has no identity"
                              : "zero-size array to reduction operation maximum which has no identity";
        lw_raise_if(fn, LLVMBuildICmp(B, LLVMIntEQ, count, LLVMConstInt(m->i64, 0, 0), ""), EXC_VALUE, msg);
    }
    return v;
}

LLVMValueRef lw_reduce(LwFn *fn, const Instr *in, const Instr *array) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    if (array->op == OP_ELEMENTWISE && array->consumer == in)
        return reduce_deferred(fn, in, array); // (a * b).sum(): no array in between
    const Type *t = array->type, *r = in->type;
    LLVMValueRef arr = lw_val(fn, array);
    switch (in->builtin) {
    case B_NP_SUM:
        if (r->kind == TY_FLOAT)
            return numpy_fold(fn, arr, t, r, false);
        return fold(fn, arr, t, B_NP_SUM, r, LLVMConstInt(lw_type(m, r), 0, 0));
    case B_NP_PROD:
        if (r->kind == TY_FLOAT)
            return numpy_fold(fn, arr, t, r, true);
        return fold(fn, arr, t, B_NP_PROD, r, LLVMConstInt(lw_type(m, r), 1, 0));
    case B_NP_MEAN: {
        // numpy: the sum (float64, or float32 for float32 items) divided by
        // the count in float64, then rounded to the result type.
        LLVMValueRef sum = lw_convert(fn, numpy_fold(fn, arr, t, r, false), r, ty_float64(m->tt));
        LLVMValueRef n = LLVMBuildSIToFP(B, lw_array_size(fn, arr, t), m->f64, "");
        return lw_convert(fn, LLVMBuildFDiv(B, sum, n, "mean"), ty_float64(m->tt), r);
    }
    default: { // B_NP_MIN, B_NP_MAX: the first item starts the fold
        LLVMValueRef size = lw_array_size(fn, arr, t);
        const char *msg = in->builtin == B_NP_MIN
                              ? "zero-size array to reduction operation minimum which has no identity"
                              : "zero-size array to reduction operation maximum which has no identity";
        lw_raise_if(fn, LLVMBuildICmp(B, LLVMIntEQ, size, LLVMConstInt(m->i64, 0, 0), ""), EXC_VALUE, msg);
        LLVMValueRef zeros[64];
        for (int i = 0; i < t->ndim; i++)
            zeros[i] = LLVMConstInt(m->i64, 0, 0);
        LLVMValueRef first = lw_load_elem(fn, lw_array_elem_ptr(fn, arr, t, zeros, t->ndim), t->dtype);
        return fold(fn, arr, t, in->builtin, r, lw_convert(fn, first, t->dtype, r));
    }
    }
}
