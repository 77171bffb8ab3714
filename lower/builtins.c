/* Calls of the builtins infer_call.c resolved: Python's builtins, the math
 * module, numpy's functions on scalars, array creation and array methods.
 * Math follows Numba: domain errors give NaN (or inf) rather than raising. */
#include "lw.h"

#include <string.h>

const Instr *lw_call_arg(const Instr *call, int i) {
    return i < call->nargmap && call->argmap[i] > 0 ? call->args[call->argmap[i]] : NULL;
}

/* Argument i converted to `t`. */
static LLVMValueRef arg_as(LwFn *fn, const Instr *call, int i, const Type *t) {
    const Instr *a = lw_call_arg(call, i);
    return lw_convert(fn, lw_val(fn, a), a->type, t);
}

/* A C library function double(double...) or float(float...), declared on
 * first use (the runtime may have declared it already). No errno is read
 * after these calls, so each call is pure (memory(none)), hoisted and
 * merged like arithmetic; nobuiltin: not recognised as libm's, so never
 * vectorised (see MathFn). The attributes are the call's: a declaration from
 * the runtime keeps its own. */
static LLVMValueRef libm(LwFn *fn, const char *name, LLVMTypeRef ft, LLVMValueRef *args, int n) {
    LwModule *m = fn->m;
    LLVMTypeRef params[2] = {ft, ft};
    LLVMTypeRef type = LLVMFunctionType(ft, params, (unsigned)n, 0);
    LLVMValueRef f = LLVMGetNamedFunction(m->mod, name);
    if (!f)
        f = LLVMAddFunction(m->mod, name, type);
    LLVMValueRef call = LLVMBuildCall2(fn->b, type, f, args, (unsigned)n, "");
    static const char *const attrs[] = {"nounwind", "willreturn", "nobuiltin", "memory"};
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        unsigned kind = LLVMGetEnumAttributeKindForName(attrs[i], strlen(attrs[i]));
        LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(m->ctx, kind, 0));
    }
    return call;
}

typedef struct MathFn {
    Builtin b;
    const char *intrinsic; // an LLVM intrinsic, or NULL
    const char *c_name;    // the libm double function (float: with an f suffix)
} MathFn;

static const MathFn math_fns[] = {
    {B_SQRT, "llvm.sqrt", "sqrt"},    {B_NP_SQRT, "llvm.sqrt", "sqrt"},
    {B_EXP, NULL, "exp"},            {B_NP_EXP, NULL, "exp"},
    {B_LOG, NULL, "log"},            {B_NP_LOG, NULL, "log"},
    {B_LOG10, NULL, "log10"},        {B_NP_LOG10, NULL, "log10"},
    {B_LOG2, NULL, "log2"},          {B_NP_LOG2, NULL, "log2"},
    {B_LOG1P, NULL, "log1p"},         {B_NP_LOG1P, NULL, "log1p"},
    {B_EXPM1, NULL, "expm1"},         {B_NP_EXPM1, NULL, "expm1"},
    {B_SIN, NULL, "sin"},            {B_NP_SIN, NULL, "sin"},
    {B_COS, NULL, "cos"},            {B_NP_COS, NULL, "cos"},
    {B_TAN, NULL, "tan"},             {B_NP_TAN, NULL, "tan"},
    {B_ASIN, NULL, "asin"},           {B_NP_ARCSIN, NULL, "asin"},
    {B_ACOS, NULL, "acos"},           {B_NP_ARCCOS, NULL, "acos"},
    {B_ATAN, NULL, "atan"},           {B_NP_ARCTAN, NULL, "atan"},
    {B_SINH, NULL, "sinh"},           {B_NP_SINH, NULL, "sinh"},
    {B_COSH, NULL, "cosh"},           {B_NP_COSH, NULL, "cosh"},
    {B_TANH, NULL, "tanh"},           {B_NP_TANH, NULL, "tanh"},
    {B_ASINH, NULL, "asinh"},         {B_NP_ARCSINH, NULL, "asinh"},
    {B_ACOSH, NULL, "acosh"},         {B_NP_ARCCOSH, NULL, "acosh"},
    {B_ATANH, NULL, "atanh"},         {B_NP_ARCTANH, NULL, "atanh"},
    {B_FABS, "llvm.fabs", "fabs"},    {B_NP_FABS, "llvm.fabs", "fabs"},
    {B_ERF, NULL, "erf"},             {B_ERFC, NULL, "erfc"},
    {B_GAMMA, NULL, "tgamma"},        {B_LGAMMA, NULL, "lgamma"},
    {B_NP_FLOOR, "llvm.floor", "floor"}, {B_NP_CEIL, "llvm.ceil", "ceil"},
    {B_NP_TRUNC, "llvm.trunc", "trunc"}, {B_NP_RINT, "llvm.rint", "rint"},
    {B_ATAN2, NULL, "atan2"},         {B_NP_ARCTAN2, NULL, "atan2"},
    {B_HYPOT, NULL, "hypot"},         {B_NP_HYPOT, NULL, "hypot"},
    {B_COPYSIGN, "llvm.copysign", "copysign"}, {B_NP_COPYSIGN, "llvm.copysign", "copysign"},
    {B_MATH_POW, "llvm.pow", "pow"},  {B_FMOD, NULL, "fmod"},
};

static const MathFn *find_math(Builtin b) {
    for (size_t i = 0; i < sizeof math_fns / sizeof math_fns[0]; i++)
        if (math_fns[i].b == b)
            return &math_fns[i];
    return NULL;
}

/* f(x) or f(x, y) on floats of type in->optype. */
static LLVMValueRef math_call(LwFn *fn, const Instr *in, const MathFn *mf) {
    const Type *t = in->optype;
    LLVMTypeRef ft = lw_type(fn->m, t);
    int n = lw_call_arg(in, 1) ? 2 : 1;
    LLVMValueRef args[2];
    for (int i = 0; i < n; i++)
        args[i] = arg_as(fn, in, i, t);
    if (mf->intrinsic)
        return lw_intrinsic(fn, mf->intrinsic, &ft, 1, args, n);
    const char *name = t->bits == 32 ? arena_printf(fn->m->arena, "%sf", mf->c_name) : mf->c_name;
    return libm(fn, name, ft, args, n);
}

static LLVMValueRef fconst(LLVMTypeRef ft, double v) { return LLVMConstReal(ft, v); }

/* max(a, b) as Python computes it: keep the first unless the next is larger
 * (`item > best`), so NaN handling follows the argument order. */
static LLVMValueRef keep_or_take(LwFn *fn, bool is_max, LLVMValueRef best, LLVMValueRef item, const Type *t) {
    LLVMValueRef better = lw_compare_values(fn, is_max ? CMP_GT : CMP_LT, item, best, t);
    return LLVMBuildSelect(fn->b, better, item, best, "");
}

typedef struct Reduce { LLVMValueRef arr, slot; const Type *at; bool is_max; } Reduce;

static void reduce_step(LwFn *fn, LLVMValueRef i, void *ctx) {
    Reduce *r = ctx;
    const Type *t = r->at->dtype;
    LLVMValueRef item = lw_load_elem(fn, lw_array_elem_ptr(fn, r->arr, r->at, &i, 1), t);
    LLVMValueRef best = LLVMBuildLoad2(fn->b, lw_type(fn->m, t), r->slot, "");
    LLVMBuildStore(fn->b, keep_or_take(fn, r->is_max, best, item, t), r->slot);
}

static LLVMValueRef min_max(LwFn *fn, const Instr *in, bool is_max) {
    LwModule *m = fn->m;
    const Type *t = in->optype;
    int n = in->nargs - 1;
    if (n == 1 && in->args[1]->type->kind == TY_ARRAY) {
        const Type *at = in->args[1]->type;
        LLVMValueRef arr = lw_val(fn, in->args[1]);
        LLVMValueRef len = lw_array_dim(fn, arr, 0);
        lw_raise_if(fn, LLVMBuildICmp(fn->b, LLVMIntEQ, len, LLVMConstInt(m->i64, 0, 0), ""), EXC_VALUE,
                    is_max ? "max() arg is an empty sequence" : "min() arg is an empty sequence");
        Reduce r = {arr, lw_entry_alloca(fn, lw_type(m, t), "best"), at, is_max};
        LLVMValueRef zero = LLVMConstInt(m->i64, 0, 0);
        LLVMBuildStore(fn->b, lw_load_elem(fn, lw_array_elem_ptr(fn, arr, at, &zero, 1), t), r.slot);
        lw_loop(fn, len, reduce_step, &r);
        return LLVMBuildLoad2(fn->b, lw_type(m, t), r.slot, "");
    }
    LLVMValueRef items[64] = {0};
    const Type *types[64] = {0};
    int count = 0;
    if (n == 1) { // a tuple
        const Instr *tup = in->args[1];
        for (int i = 0; i < tup->type->nfields && count < 64; i++) {
            items[count] = LLVMBuildExtractValue(fn->b, lw_val(fn, tup), (unsigned)i, "");
            types[count++] = tup->type->fields[i];
        }
    } else {
        for (int i = 1; i <= n && count < 64; i++) {
            items[count] = lw_val(fn, in->args[i]);
            types[count++] = in->args[i]->type;
        }
    }
    LLVMValueRef best = lw_convert(fn, items[0], types[0], t);
    for (int i = 1; i < count; i++)
        best = keep_or_take(fn, is_max, best, lw_convert(fn, items[i], types[i], t), t);
    return best;
}

static LLVMValueRef abs_of(LwFn *fn, const Instr *in) {
    const Type *t = in->optype;
    LLVMValueRef v = lw_val(fn, in->args[in->argmap[0]]);
    switch (t->kind) {
    case TY_BOOL:
        return lw_convert(fn, v, t, in->type);
    case TY_INT:
        if (!t->is_signed)
            return v;
        return LLVMBuildSelect(fn->b, LLVMBuildICmp(fn->b, LLVMIntSLT, v, LLVMConstNull(LLVMTypeOf(v)), ""),
                               LLVMBuildNeg(fn->b, v, ""), v, "");
    case TY_FLOAT: {
        LLVMTypeRef ft = LLVMTypeOf(v);
        return lw_intrinsic(fn, "llvm.fabs", &ft, 1, &v, 1);
    }
    case TY_COMPLEX: {
        LwModule *m = fn->m;
        LLVMValueRef args[2] = {LLVMBuildFPCast(fn->b, LLVMBuildExtractValue(fn->b, v, 0, ""), m->f64, ""),
                                LLVMBuildFPCast(fn->b, LLVMBuildExtractValue(fn->b, v, 1, ""), m->f64, "")};
        return LLVMBuildFPCast(fn->b, lw_call(fn, "pyaot_rt_cabs", args, 2), lw_type(m, in->type), "");
    }
    default:
        diag_internal(fn->m->d, "abs of %s", ty_str(fn->m->arena, t));
    }
}

/* int(x), float(x), np.float32(x)...: Python's int() raises on NaN and
 * infinity; numpy's scalar types convert like numpy (saturating here). */
static LLVMValueRef conversion(LwFn *fn, const Instr *in) {
    const Instr *x = lw_call_arg(in, 0);
    if (!x)
        return LLVMConstNull(lw_type(fn->m, in->type));
    LLVMValueRef v = lw_val(fn, x);
    if (in->builtin == B_INT && x->type->kind == TY_FLOAT)
        return lw_float_to_int_checked(fn, v, x->type, in->type);
    return lw_convert(fn, v, x->type, in->type);
}

static LLVMValueRef round_of(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Instr *x = lw_call_arg(in, 0), *nd = lw_call_arg(in, 1);
    LLVMValueRef v = lw_val(fn, x);
    if (x->type->kind != TY_FLOAT)
        return lw_convert(fn, v, x->type, in->type);
    LLVMTypeRef ft = LLVMTypeOf(v);
    if (nd && nd->type->kind != TY_NONE) {
        LLVMValueRef args[2] = {LLVMBuildFPCast(fn->b, v, m->f64, ""),
                                lw_convert(fn, lw_val(fn, nd), nd->type, ty_int64(m->tt))};
        return LLVMBuildFPCast(fn->b, lw_call(fn, "pyaot_rt_round_ndigits", args, 2), ft, "");
    }
    // Halves go to the even neighbour: rint in the default rounding mode.
    LLVMValueRef r = lw_intrinsic(fn, "llvm.rint", &ft, 1, &v, 1);
    return lw_float_to_int_checked(fn, r, x->type, in->type);
}

static LLVMValueRef floor_ceil(LwFn *fn, const Instr *in) {
    const Type *t = in->optype;
    LLVMValueRef v = arg_as(fn, in, 0, t);
    if (t->kind != TY_FLOAT)
        return lw_convert(fn, v, t, in->type);
    LLVMTypeRef ft = LLVMTypeOf(v);
    const char *name = in->builtin == B_FLOOR ? "llvm.floor" : in->builtin == B_CEIL ? "llvm.ceil" : "llvm.trunc";
    return lw_float_to_int_checked(fn, lw_intrinsic(fn, name, &ft, 1, &v, 1), t, in->type);
}

static LLVMValueRef predicate(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Type *t = in->optype;
    LLVMValueRef v = arg_as(fn, in, 0, t);
    bool nan = in->builtin == B_ISNAN || in->builtin == B_NP_ISNAN;
    bool inf = in->builtin == B_ISINF || in->builtin == B_NP_ISINF;
    if (t->kind != TY_FLOAT && t->kind != TY_COMPLEX)
        return LLVMConstInt(m->i1, !nan && !inf, 0); // integers are finite
    LLVMValueRef parts[2] = {v, NULL};
    int n = 1;
    if (t->kind == TY_COMPLEX) {
        parts[0] = LLVMBuildExtractValue(fn->b, v, 0, "");
        parts[1] = LLVMBuildExtractValue(fn->b, v, 1, "");
        n = 2;
    }
    LLVMValueRef r = NULL;
    for (int i = 0; i < n; i++) {
        LLVMValueRef p = parts[i], q;
        LLVMTypeRef ft = LLVMTypeOf(p);
        LLVMValueRef mag = lw_intrinsic(fn, "llvm.fabs", &ft, 1, &p, 1);
        if (nan)
            q = LLVMBuildFCmp(fn->b, LLVMRealUNO, p, p, "");
        else if (inf)
            q = LLVMBuildFCmp(fn->b, LLVMRealOEQ, mag, fconst(ft, __builtin_inf()), "");
        else
            q = LLVMBuildFCmp(fn->b, LLVMRealOLT, mag, fconst(ft, __builtin_inf()), "");
        // A complex is NaN or inf if either part is, finite if both are.
        r = !r ? q : (nan || inf) ? LLVMBuildOr(fn->b, r, q, "") : LLVMBuildAnd(fn->b, r, q, "");
    }
    return r;
}

static LLVMValueRef make_range(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    int n = in->nargs - 1;
    LLVMValueRef a[3] = {0};
    for (int i = 0; i < n; i++)
        a[i] = lw_convert(fn, lw_val(fn, in->args[i + 1]), in->args[i + 1]->type, ty_int64(m->tt));
    LLVMValueRef start = n == 1 ? LLVMConstInt(m->i64, 0, 0) : a[0];
    LLVMValueRef stop = n == 1 ? a[0] : a[1];
    LLVMValueRef step = n == 3 ? a[2] : LLVMConstInt(m->i64, 1, 0);
    if (n == 3)
        lw_raise_if(fn, LLVMBuildICmp(fn->b, LLVMIntEQ, step, LLVMConstInt(m->i64, 0, 0), ""), EXC_VALUE,
                    "range() arg 3 must not be zero");
    LLVMValueRef r = LLVMGetUndef(lw_type(m, in->type));
    r = LLVMBuildInsertValue(fn->b, r, start, 0, "");
    r = LLVMBuildInsertValue(fn->b, r, stop, 1, "");
    return LLVMBuildInsertValue(fn->b, r, step, 2, "");
}

/* enumerate and zip hold their iterables (and a reference to each). */
static LLVMValueRef make_enumerate_zip(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    LLVMValueRef v = LLVMGetUndef(lw_type(m, in->type));
    if (in->builtin == B_ENUMERATE) {
        const Instr *it = lw_call_arg(in, 0), *start = lw_call_arg(in, 1);
        LLVMValueRef inner = lw_val(fn, it);
        if (ty_is_refcounted(it->type))
            lw_incref(fn, inner, it->type);
        v = LLVMBuildInsertValue(fn->b, v, inner, 0, "");
        LLVMValueRef s = start ? lw_convert(fn, lw_val(fn, start), start->type, ty_int64(m->tt))
                               : LLVMConstInt(m->i64, 0, 0);
        return LLVMBuildInsertValue(fn->b, v, s, 1, "");
    }
    for (int i = 1; i < in->nargs; i++) {
        LLVMValueRef item = lw_val(fn, in->args[i]);
        if (ty_is_refcounted(in->args[i]->type))
            lw_incref(fn, item, in->args[i]->type);
        v = LLVMBuildInsertValue(fn->b, v, item, (unsigned)(i - 1), "");
    }
    return v;
}

/* ---- array creation ------------------------------------------------------- */

/* The dimensions a shape argument (an int or a tuple of ints) gives. */
static void shape_dims(LwFn *fn, const Instr *shape, LLVMValueRef *dims) {
    const Type *i64 = ty_int64(fn->m->tt);
    LLVMValueRef v = lw_val(fn, shape);
    if (shape->type->kind != TY_TUPLE) {
        dims[0] = lw_convert(fn, v, shape->type, i64);
        return;
    }
    for (int i = 0; i < shape->type->nfields; i++)
        dims[i] = lw_convert(fn, LLVMBuildExtractValue(fn->b, v, (unsigned)i, ""), shape->type->fields[i], i64);
}

static LLVMValueRef one_of(LwFn *fn, const Type *dtype) {
    FeConst one = {.kind = FE_CONST_INT, .i = 1};
    return lw_const_value(fn->m, &one, dtype);
}

typedef struct RangeFill {
    LLVMValueRef data, start, step, divisor, delta, stop, last;
    const Type *dtype, *work; // element type, and the type the values are computed in
} RangeFill;

static void arange_elem(LwFn *fn, LLVMValueRef i, void *ctx) {
    RangeFill *r = ctx;
    LLVMValueRef iv = lw_convert(fn, i, ty_int64(fn->m->tt), r->work);
    LLVMValueRef v = r->work->kind == TY_INT ? LLVMBuildAdd(fn->b, r->start, LLVMBuildMul(fn->b, iv, r->step, ""), "")
                                             : LLVMBuildFAdd(fn->b, r->start, LLVMBuildFMul(fn->b, iv, r->step, ""), "");
    LLVMValueRef ptr = LLVMBuildInBoundsGEP2(fn->b, lw_mem_type(fn->m, r->dtype), r->data, &i, 1, "");
    lw_store_elem(fn, ptr, lw_convert(fn, v, r->work, r->dtype), r->dtype);
}

static LLVMValueRef arange(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    const Type *work = in->optype, *dtype = in->type->dtype;
    const Instr *a0 = lw_call_arg(in, 0), *a1 = lw_call_arg(in, 1), *a2 = lw_call_arg(in, 2);
    if (a1 && a1->type->kind == TY_NONE)
        a1 = NULL;
    if (a2 && a2->type->kind == TY_NONE)
        a2 = NULL;
    FeConst zero_c = {.kind = FE_CONST_INT, .i = 0};
    LLVMValueRef start = a1 ? lw_convert(fn, lw_val(fn, a0), a0->type, work) : lw_const_value(m, &zero_c, work);
    LLVMValueRef stop = lw_convert(fn, lw_val(fn, a1 ? a1 : a0), (a1 ? a1 : a0)->type, work);
    LLVMValueRef step = a2 ? lw_convert(fn, lw_val(fn, a2), a2->type, work) : one_of(fn, work);
    LLVMValueRef len;
    if (work->kind == TY_INT) {
        lw_raise_if(fn, LLVMBuildICmp(B, LLVMIntEQ, step, LLVMConstInt(m->i64, 0, 0), ""), EXC_ZERO_DIVISION,
                    "division by zero");
        LLVMValueRef range = LLVMGetUndef(lw_type(m, ty_simple(m->tt, TY_RANGE)));
        range = LLVMBuildInsertValue(B, range, start, 0, "");
        range = LLVMBuildInsertValue(B, range, stop, 1, "");
        range = LLVMBuildInsertValue(B, range, step, 2, "");
        len = lw_range_len(fn, range);
    } else {
        lw_raise_if(fn, LLVMBuildFCmp(B, LLVMRealOEQ, step, fconst(m->f64, 0.0), ""), EXC_ZERO_DIVISION,
                    "division by zero");
        // numpy: ceil((stop - start) / step), at least 0.
        LLVMValueRef q = LLVMBuildFDiv(B, LLVMBuildFSub(B, stop, start, ""), step, "");
        LLVMTypeRef f64 = m->f64;
        q = lw_intrinsic(fn, "llvm.ceil", &f64, 1, &q, 1);
        lw_raise_if(fn, LLVMBuildFCmp(B, LLVMRealUNO, q, q, ""), EXC_VALUE, "arange: cannot compute length");
        LLVMValueRef pos = LLVMBuildFCmp(B, LLVMRealOGT, q, fconst(f64, 0.0), "");
        LLVMTypeRef types[2] = {m->i64, f64};
        len = LLVMBuildSelect(B, pos, lw_intrinsic(fn, "llvm.fptosi.sat", types, 2, &q, 1), LLVMConstInt(m->i64, 0, 0), "");
    }
    LLVMValueRef arr = lw_array_new(fn, in->type, &len, false);
    RangeFill r = {.data = lw_array_data(fn, arr), .start = start, .step = step, .dtype = dtype, .work = work};
    lw_loop(fn, len, arange_elem, &r);
    return arr;
}

static void linspace_elem(LwFn *fn, LLVMValueRef i, void *ctx) {
    RangeFill *r = ctx;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef x = LLVMBuildSIToFP(B, i, fn->m->f64, "");
    // numpy: i * step + start, or (i / div) * delta + start when step is 0.
    LLVMValueRef by_step = LLVMBuildFMul(B, x, r->step, "");
    LLVMValueRef by_delta = LLVMBuildFMul(B, LLVMBuildFDiv(B, x, r->divisor, ""), r->delta, "");
    LLVMValueRef step_zero = LLVMBuildAnd(B, LLVMBuildFCmp(B, LLVMRealOEQ, r->step, fconst(fn->m->f64, 0.0), ""),
                                          LLVMBuildFCmp(B, LLVMRealONE, r->divisor, fconst(fn->m->f64, 0.0), ""), "");
    LLVMValueRef v = LLVMBuildFAdd(B, LLVMBuildSelect(B, step_zero, by_delta, by_step, ""), r->start, "");
    LLVMValueRef is_last = LLVMBuildICmp(B, LLVMIntEQ, i, r->last, "");
    v = LLVMBuildSelect(B, is_last, r->stop, v, "");
    LLVMValueRef ptr = LLVMBuildInBoundsGEP2(B, fn->m->f64, r->data, &i, 1, "");
    LLVMBuildStore(B, v, ptr);
}

static LLVMValueRef linspace(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    const Type *f64 = ty_float64(m->tt), *i64 = ty_int64(m->tt);
    LLVMValueRef start = arg_as(fn, in, 0, f64), stop = arg_as(fn, in, 1, f64);
    LLVMValueRef num = lw_call_arg(in, 2) ? arg_as(fn, in, 2, i64) : LLVMConstInt(m->i64, 50, 0);
    LLVMValueRef endpoint = lw_call_arg(in, 3) ? arg_as(fn, in, 3, ty_bool(m->tt)) : LLVMConstInt(m->i1, 1, 0);
    lw_raise_if(fn, LLVMBuildICmp(B, LLVMIntSLT, num, LLVMConstInt(m->i64, 0, 0), ""), EXC_VALUE,
                "Number of samples must be non-negative.");
    LLVMValueRef div = LLVMBuildSelect(B, endpoint, LLVMBuildSub(B, num, LLVMConstInt(m->i64, 1, 0), ""), num, "");
    LLVMValueRef divf = LLVMBuildSIToFP(B, div, m->f64, "");
    LLVMValueRef delta = LLVMBuildFSub(B, stop, start, "");
    // div == 0 (one sample with the endpoint): numpy's step is NaN and the
    // value is start, which i * delta + start gives for i = 0.
    LLVMValueRef div_zero = LLVMBuildICmp(B, LLVMIntEQ, div, LLVMConstInt(m->i64, 0, 0), "");
    LLVMValueRef step = LLVMBuildSelect(B, div_zero, delta, LLVMBuildFDiv(B, delta, divf, ""), "");
    LLVMValueRef has_last = LLVMBuildAnd(B, endpoint, LLVMBuildICmp(B, LLVMIntSGT, num, LLVMConstInt(m->i64, 1, 0), ""), "");
    LLVMValueRef last = LLVMBuildSelect(B, has_last, LLVMBuildSub(B, num, LLVMConstInt(m->i64, 1, 0), ""),
                                        LLVMConstInt(m->i64, (unsigned long long)-1, 1), "");
    LLVMValueRef arr = lw_array_new(fn, in->type, &num, false);
    RangeFill r = {.data = lw_array_data(fn, arr), .start = start, .step = step, .divisor = divf,
                   .delta = delta, .stop = stop, .last = last};
    lw_loop(fn, num, linspace_elem, &r);
    return arr;
}

static LLVMValueRef array_creation(LwFn *fn, const Instr *in) {
    const Type *t = in->type;
    LLVMValueRef dims[64];
    const Instr *first = lw_call_arg(in, 0);
    bool like = in->builtin == B_NP_EMPTY_LIKE || in->builtin == B_NP_ZEROS_LIKE ||
                in->builtin == B_NP_ONES_LIKE || in->builtin == B_NP_FULL_LIKE;
    if (like) {
        LLVMValueRef src = lw_val(fn, first);
        for (int i = 0; i < t->ndim; i++)
            dims[i] = lw_array_dim(fn, src, i);
    } else {
        shape_dims(fn, first, dims);
    }
    bool zeroed = in->builtin == B_NP_ZEROS || in->builtin == B_NP_ZEROS_LIKE;
    LLVMValueRef arr = lw_array_new(fn, t, dims, zeroed);
    LLVMValueRef fill = NULL;
    if (in->builtin == B_NP_ONES || in->builtin == B_NP_ONES_LIKE)
        fill = one_of(fn, t->dtype);
    else if (in->builtin == B_NP_FULL || in->builtin == B_NP_FULL_LIKE)
        fill = arg_as(fn, in, 1, t->dtype);
    if (fill)
        lw_array_fill(fn, arr, t, fill);
    return arr;
}

/* np.array(x) / np.asarray(x): of an array, a copy (or x itself); of
 * numbers in a tuple (or a list display), nested once for 2-D, their array. */
static LLVMValueRef array_of(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Instr *x = lw_call_arg(in, 0);
    const Type *t = x->type, *rt = in->type;
    LLVMValueRef v = lw_val(fn, x);
    if (t->kind == TY_ARRAY) {
        if (rt == t && in->builtin == B_NP_ASARRAY) {
            lw_incref(fn, v, t);
            return v;
        }
        return lw_array_copy(fn, v, t, rt);
    }
    bool rows = rt->ndim == 2;
    int cols = rows ? t->fields[0]->nfields : 1;
    LLVMValueRef dims[2] = {LLVMConstInt(m->i64, (unsigned)t->nfields, 0), LLVMConstInt(m->i64, (unsigned)cols, 0)};
    LLVMValueRef arr = lw_array_new(fn, rt, dims, false);
    LLVMValueRef data = lw_array_data(fn, arr);
    for (int i = 0; i < t->nfields; i++) {
        LLVMValueRef row = LLVMBuildExtractValue(fn->b, v, (unsigned)i, "");
        for (int j = 0; j < cols; j++) {
            const Type *it = rows ? t->fields[i]->fields[j] : t->fields[i];
            LLVMValueRef item = rows ? LLVMBuildExtractValue(fn->b, row, (unsigned)j, "") : row;
            LLVMValueRef at = LLVMConstInt(m->i64, (unsigned)(i * cols + j), 0);
            lw_store_elem(fn, LLVMBuildInBoundsGEP2(fn->b, lw_mem_type(m, rt->dtype), data, &at, 1, ""),
                          lw_convert(fn, item, it, rt->dtype), rt->dtype);
        }
    }
    return arr;
}

/* ---- numpy helpers on scalars --------------------------------------------- */

static LLVMValueRef np_sign(LwFn *fn, const Instr *in) {
    const Type *t = in->optype;
    LLVMValueRef v = arg_as(fn, in, 0, t);
    LLVMTypeRef lt = LLVMTypeOf(v);
    if (t->kind == TY_INT) {
        LLVMValueRef zero = LLVMConstNull(lt);
        LLVMValueRef pos = LLVMBuildZExt(fn->b, LLVMBuildICmp(fn->b, t->is_signed ? LLVMIntSGT : LLVMIntUGT, v, zero, ""), lt, "");
        if (!t->is_signed)
            return pos;
        LLVMValueRef neg = LLVMBuildZExt(fn->b, LLVMBuildICmp(fn->b, LLVMIntSLT, v, zero, ""), lt, "");
        return LLVMBuildSub(fn->b, pos, neg, "");
    }
    LLVMValueRef zero = fconst(lt, 0.0);
    LLVMValueRef r = LLVMBuildSelect(fn->b, LLVMBuildFCmp(fn->b, LLVMRealOLT, v, zero, ""), fconst(lt, -1.0), v, "");
    r = LLVMBuildSelect(fn->b, LLVMBuildFCmp(fn->b, LLVMRealOGT, v, zero, ""), fconst(lt, 1.0), r, "");
    // numpy's sign(±0.0) is 0.0, sign(nan) nan.
    return LLVMBuildSelect(fn->b, LLVMBuildFCmp(fn->b, LLVMRealOEQ, v, zero, ""), zero, r, "");
}

static LLVMValueRef np_min_max(LwFn *fn, const Instr *in, bool is_max) {
    const Type *t = in->optype;
    LLVMValueRef a = arg_as(fn, in, 0, t), b = arg_as(fn, in, 1, t);
    if (t->kind == TY_FLOAT) { // NaN propagates, as in numpy
        LLVMTypeRef ft = LLVMTypeOf(a);
        LLVMValueRef args[2] = {a, b};
        return lw_intrinsic(fn, is_max ? "llvm.maximum" : "llvm.minimum", &ft, 1, args, 2);
    }
    LLVMValueRef better = lw_compare_values(fn, is_max ? CMP_GT : CMP_LT, b, a, t);
    return LLVMBuildSelect(fn->b, better, b, a, "");
}

static LLVMValueRef scaled(LwFn *fn, const Instr *in, double factor) {
    const Type *t = in->optype;
    LLVMValueRef v = arg_as(fn, in, 0, t);
    return LLVMBuildFMul(fn->b, v, fconst(LLVMTypeOf(v), factor), "");
}

static LLVMValueRef complex_of(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Type *c = in->type;
    const Instr *re = lw_call_arg(in, 0), *im = lw_call_arg(in, 1);
    LLVMValueRef zero = lw_complex(fn, fconst(m->f64, 0.0), fconst(m->f64, 0.0), c);
    LLVMValueRef a = re ? lw_convert(fn, lw_val(fn, re), re->type, c) : zero;
    if (!im)
        return a;
    // complex(a, b) is a + b*1j, also when a or b is complex.
    LLVMValueRef b = lw_convert(fn, lw_val(fn, im), im->type, c);
    LLVMValueRef ar = LLVMBuildExtractValue(fn->b, a, 0, ""), ai = LLVMBuildExtractValue(fn->b, a, 1, "");
    LLVMValueRef br = LLVMBuildExtractValue(fn->b, b, 0, ""), bi = LLVMBuildExtractValue(fn->b, b, 1, "");
    return lw_complex(fn, LLVMBuildFSub(fn->b, ar, bi, ""), LLVMBuildFAdd(fn->b, ai, br, ""), c);
}

LLVMValueRef lw_builtin_call(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    Builtin b = (Builtin)in->builtin;
    const MathFn *mf = find_math(b);
    if (mf)
        return math_call(fn, in, mf);
    switch (b) {
    case B_LEN: {
        const Instr *x = lw_call_arg(in, 0);
        if (x->type->kind == TY_TUPLE)
            return LLVMConstInt(m->i64, (unsigned)x->type->nfields, 0);
        if (x->type->kind == TY_RANGE)
            return lw_range_len(fn, lw_val(fn, x));
        if (x->type->kind == TY_LIST)
            return lw_list_len(fn, lw_val(fn, x));
        if (x->type->kind == TY_DICT || x->type->kind == TY_SET || x->type->kind == TY_DICT_VIEW)
            return lw_dict_len(fn, lw_val(fn, x));
        return lw_array_dim(fn, lw_val(fn, x), 0);
    }
    case B_ABS: case B_NP_ABS: case B_NP_ABSOLUTE:
        return abs_of(fn, in);
    case B_MIN: case B_MAX:
        return min_max(fn, in, b == B_MAX);
    case B_NP_MINIMUM: case B_NP_MAXIMUM:
        return np_min_max(fn, in, b == B_NP_MAXIMUM);
    case B_BOOL: {
        const Instr *x = lw_call_arg(in, 0);
        return x ? lw_truth(fn, lw_val(fn, x), x->type) : LLVMConstInt(m->i1, 0, 0);
    }
    case B_INT: case B_FLOAT: case B_NP_BOOL: case B_NP_INT8: case B_NP_INT16: case B_NP_INT32:
    case B_NP_INT64: case B_NP_UINT8: case B_NP_UINT16: case B_NP_UINT32: case B_NP_UINT64: case B_NP_INTP:
    case B_NP_UINTP: case B_NP_FLOAT32: case B_NP_FLOAT64: case B_NP_COMPLEX64: case B_NP_COMPLEX128:
        return conversion(fn, in);
    case B_COMPLEX:
        return complex_of(fn, in);
    case B_ROUND:
        return round_of(fn, in);
    case B_FLOOR: case B_CEIL: case B_TRUNC:
        return floor_ceil(fn, in);
    case B_ISNAN: case B_ISINF: case B_ISFINITE: case B_NP_ISNAN: case B_NP_ISINF: case B_NP_ISFINITE:
        return predicate(fn, in);
    case B_DEGREES: case B_NP_RAD2DEG:
        return scaled(fn, in, 180.0 / 3.141592653589793);
    case B_RADIANS: case B_NP_DEG2RAD:
        return scaled(fn, in, 3.141592653589793 / 180.0);
    case B_NP_SIGN:
        return np_sign(fn, in);
    case B_RANGE: case B_PRANGE: // a prange left in place runs serially (frontend/parallel.c)
        return make_range(fn, in);
    case B_ENUMERATE: case B_ZIP:
        return make_enumerate_zip(fn, in);
    case B_POW: case B_NP_POWER: {
        const Type *t = in->optype;
        const Instr *x = lw_call_arg(in, 0), *y = lw_call_arg(in, 1);
        LLVMValueRef a = lw_convert(fn, lw_val(fn, x), x->type, t);
        // float ** int keeps the float's type; the exponent goes as that float.
        LLVMValueRef e = lw_convert(fn, lw_val(fn, y), y->type, t);
        return lw_arith(fn, NB_POWER, a, e, t, false);
    }
    case B_DIVMOD: {
        const Type *t = in->optype;
        LLVMValueRef a = arg_as(fn, in, 0, t), c = arg_as(fn, in, 1, t);
        LLVMValueRef q = lw_arith(fn, NB_FLOOR_DIVIDE, a, c, t, false);
        LLVMValueRef r = lw_arith(fn, NB_REMAINDER, a, c, t, false);
        LLVMValueRef v = LLVMGetUndef(lw_type(m, in->type));
        v = LLVMBuildInsertValue(fn->b, v, q, 0, "");
        return LLVMBuildInsertValue(fn->b, v, r, 1, "");
    }
    case B_NP_EMPTY: case B_NP_ZEROS: case B_NP_ONES: case B_NP_FULL: case B_NP_EMPTY_LIKE:
    case B_NP_ZEROS_LIKE: case B_NP_ONES_LIKE: case B_NP_FULL_LIKE:
        return array_creation(fn, in);
    case B_NP_ARANGE:
        return arange(fn, in);
    case B_NP_ARRAY: case B_NP_ASARRAY:
        return array_of(fn, in);
    case B_NP_LINSPACE:
        return linspace(fn, in);
    case B_PRINT:
        return lw_print(fn, in);
    case B_NP_SUM: case B_NP_PROD: case B_NP_MEAN: case B_NP_MIN: case B_NP_MAX:
        // np.sum(a) or a.sum(): the array is the argument or the receiver.
        return lw_reduce(fn, in, in->args[0]->type->kind == TY_METHOD ? in->args[0]->args[0] : lw_call_arg(in, 0));
    case B_ARR_COPY: {
        const Instr *recv = in->args[0]->args[0]; // the method's receiver: obj.copy
        return lw_array_copy(fn, lw_val(fn, recv), recv->type, in->type);
    }
    case B_ARR_FILL: {
        const Instr *recv = in->args[0]->args[0];
        lw_array_fill(fn, lw_val(fn, recv), recv->type, arg_as(fn, in, 0, recv->type->dtype));
        return LLVMConstInt(m->i8, 0, 0);
    }
    case B_NP_RESHAPE: case B_NP_RAVEL: case B_ARR_FLATTEN: case B_NP_TRANSPOSE: case B_NP_REAL: case B_NP_IMAG:
        return lw_view_call(fn, in);
    case B_LIB_COMPILE_ERROR: case B_LIB_AXIS_ERROR: case B_LIB_VALUE_ERROR: case B_LIB_SHAPE_WITHOUT:
    case B_LIB_SHAPE_WITH: case B_LIB_MOVE_AXIS_LAST: case B_LIB_INNERMOST_AXIS: case B_LIB_NUMPY_CALL:
    case B_LIB_RUNTIME:
        return lw_intrinsic_call(fn, in);
    case B_LIB_RESULT_DTYPE: case B_LIB_FLOAT_DTYPE: case B_LIB_REAL_DTYPE:
        return NULL; // a dtype exists only at compile time
    case B_LIST_APPEND: case B_LIST_INSERT: case B_LIST_POP: case B_LIST_CLEAR: case B_LIST_COPY:
    case B_LIST_REVERSE: case B_LIST_DELITEM: case B_LIST_EXTEND:
        return lw_list_call(fn, in);
    case B_LIB_NOT_IN_LIST:
        return lw_intrinsic_call(fn, in);
    case B_DICT_GET: case B_DICT_SETDEFAULT: case B_DICT_POP: case B_DICT_DELITEM: case B_DICT_VIEW:
    case B_DICT_CLEAR: case B_DICT_COPY: case B_SET_ADD: case B_SET_DISCARD: case B_SET_REMOVE: case B_SET_POP:
        return lw_dict_call(fn, in);
    case B_NP_CONJUGATE: { // an item of np.conj(a)
        LLVMValueRef v = arg_as(fn, in, 0, in->optype);
        if (in->optype->kind != TY_COMPLEX)
            return v;
        return LLVMBuildInsertValue(fn->b, v, LLVMBuildFNeg(fn->b, LLVMBuildExtractValue(fn->b, v, 1, ""), ""), 1, "");
    }
    case B_C_CONJUGATE: {
        const Instr *recv = in->args[0]->args[0];
        LLVMValueRef v = lw_convert(fn, lw_val(fn, recv), recv->type, in->type);
        if (in->type->kind != TY_COMPLEX)
            return v;
        LLVMValueRef im = LLVMBuildFNeg(fn->b, LLVMBuildExtractValue(fn->b, v, 1, ""), "");
        return LLVMBuildInsertValue(fn->b, v, im, 1, "");
    }
    default:
        diag_internal(m->d, "no lowering for builtin %s", fe_builtin_name(b));
    }
}
