/* Numbers with Python's semantics at fixed width: conversions, truth,
 * unary and binary operators, comparisons. Integers wrap (Numba); `//` and
 * `%` take the sign of the divisor; division by zero raises CPython's
 * ZeroDivisionError unless --error-model=numpy asks for numpy's answers. */
#include "lw.h"

#include <string.h>

static LLVMTypeRef float_part(LwModule *m, const Type *complex) {
    return complex->bits == 64 ? m->f32 : m->f64;
}

LLVMValueRef lw_complex(LwFn *fn, LLVMValueRef re, LLVMValueRef im, const Type *t) {
    LLVMValueRef v = LLVMGetUndef(lw_type(fn->m, t));
    v = LLVMBuildInsertValue(fn->b, v, re, 0, "");
    return LLVMBuildInsertValue(fn->b, v, im, 1, "");
}

/* A real number (bool, int, float) to an LLVM float type. */
static LLVMValueRef real_to_float(LwFn *fn, LLVMValueRef v, const Type *from, LLVMTypeRef ft) {
    switch (from->kind) {
    case TY_BOOL:
        return LLVMBuildUIToFP(fn->b, v, ft, "");
    case TY_INT:
        return from->is_signed ? LLVMBuildSIToFP(fn->b, v, ft, "") : LLVMBuildUIToFP(fn->b, v, ft, "");
    case TY_FLOAT:
        return LLVMBuildFPCast(fn->b, v, ft, "");
    default:
        diag_internal(fn->m->d, "real_to_float of %s", ty_str(fn->m->arena, from));
    }
}

LLVMValueRef lw_convert(LwFn *fn, LLVMValueRef v, const Type *from, const Type *to) {
    LwModule *m = fn->m;
    if (from == to || !v)
        return v;
    if (to->kind == TY_ARRAY && from->kind == TY_ARRAY)
        return v; // layouts differ only at compile time
    if (to->kind == TY_TUPLE && from->kind == TY_TUPLE) {
        LLVMValueRef out = LLVMGetUndef(lw_type(m, to));
        for (int i = 0; i < to->nfields; i++) {
            LLVMValueRef f = LLVMBuildExtractValue(fn->b, v, (unsigned)i, "");
            out = LLVMBuildInsertValue(fn->b, out, lw_convert(fn, f, from->fields[i], to->fields[i]), (unsigned)i, "");
        }
        return out;
    }
    if (!ty_is_number(from) || !ty_is_number(to))
        diag_internal(m->d, "cannot convert %s to %s", ty_str(m->arena, from), ty_str(m->arena, to));
    LLVMTypeRef tt = lw_type(m, to);
    switch (to->kind) {
    case TY_BOOL:
        return lw_truth(fn, v, from);
    case TY_INT:
        if (from->kind == TY_BOOL)
            return LLVMBuildZExt(fn->b, v, tt, "");
        if (from->kind == TY_INT) {
            if (from->bits > to->bits)
                return LLVMBuildTrunc(fn->b, v, tt, "");
            if (from->bits < to->bits)
                return from->is_signed ? LLVMBuildSExt(fn->b, v, tt, "") : LLVMBuildZExt(fn->b, v, tt, "");
            return v;
        }
        if (from->kind == TY_FLOAT) {
            // Saturating, so out-of-range values are defined (NaN gives 0).
            LLVMTypeRef types[2] = {tt, lw_type(m, from)};
            return lw_intrinsic(fn, to->is_signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat", types, 2, &v, 1);
        }
        diag_internal(m->d, "complex to int conversion");
    case TY_FLOAT:
        if (from->kind == TY_COMPLEX)
            return LLVMBuildFPCast(fn->b, LLVMBuildExtractValue(fn->b, v, 0, ""), tt, "");
        return real_to_float(fn, v, from, tt);
    case TY_COMPLEX: {
        LLVMTypeRef ft = float_part(m, to);
        if (from->kind == TY_COMPLEX) {
            LLVMValueRef re = LLVMBuildFPCast(fn->b, LLVMBuildExtractValue(fn->b, v, 0, ""), ft, "");
            LLVMValueRef im = LLVMBuildFPCast(fn->b, LLVMBuildExtractValue(fn->b, v, 1, ""), ft, "");
            return lw_complex(fn, re, im, to);
        }
        return lw_complex(fn, real_to_float(fn, v, from, ft), LLVMConstReal(ft, 0.0), to);
    }
    default:
        diag_internal(m->d, "cannot convert to %s", ty_str(m->arena, to));
    }
}

LLVMValueRef lw_truth(LwFn *fn, LLVMValueRef v, const Type *t) {
    LwModule *m = fn->m;
    switch (t->kind) {
    case TY_BOOL:
        return v;
    case TY_LIST:
        return LLVMBuildICmp(fn->b, LLVMIntNE, lw_list_len(fn, v), LLVMConstInt(m->i64, 0, 0), "");
    case TY_DICT: case TY_SET:
        return LLVMBuildICmp(fn->b, LLVMIntNE, lw_dict_len(fn, v), LLVMConstInt(m->i64, 0, 0), "");
    case TY_INT:
        return LLVMBuildICmp(fn->b, LLVMIntNE, v, LLVMConstNull(LLVMTypeOf(v)), "");
    case TY_FLOAT:
        return LLVMBuildFCmp(fn->b, LLVMRealUNE, v, LLVMConstNull(LLVMTypeOf(v)), "");
    case TY_COMPLEX: {
        LLVMValueRef re = LLVMBuildExtractValue(fn->b, v, 0, ""), im = LLVMBuildExtractValue(fn->b, v, 1, "");
        LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(re));
        return LLVMBuildOr(fn->b, LLVMBuildFCmp(fn->b, LLVMRealUNE, re, zero, ""),
                           LLVMBuildFCmp(fn->b, LLVMRealUNE, im, zero, ""), "");
    }
    case TY_NONE:
        return LLVMConstInt(m->i1, 0, 0);
    case TY_TUPLE:
        return LLVMConstInt(m->i1, t->nfields > 0, 0);
    default:
        diag_internal(m->d, "no truth value for %s", ty_str(m->arena, t));
    }
}

LLVMValueRef lw_unary(LwFn *fn, const Instr *in) {
    const Instr *x = in->args[0];
    LLVMValueRef v = fn->vals[x->id];
    if (in->sub == UN_NOT)
        return LLVMBuildNot(fn->b, lw_truth(fn, v, x->type), "");
    const Type *t = in->optype;
    v = lw_convert(fn, v, x->type, t);
    switch (in->sub) {
    case UN_POS:
        return v;
    case UN_NEG:
        if (t->kind == TY_INT)
            return LLVMBuildNeg(fn->b, v, "");
        if (t->kind == TY_FLOAT)
            return LLVMBuildFNeg(fn->b, v, "");
        return lw_complex(fn, LLVMBuildFNeg(fn->b, LLVMBuildExtractValue(fn->b, v, 0, ""), ""),
                          LLVMBuildFNeg(fn->b, LLVMBuildExtractValue(fn->b, v, 1, ""), ""), t);
    case UN_INVERT:
        return LLVMBuildNot(fn->b, v, "");
    }
    diag_internal(fn->m->d, "unary op %d", in->sub);
}

static LLVMValueRef is_zero(LwFn *fn, LLVMValueRef v, const Type *t) {
    if (t->kind == TY_FLOAT)
        return LLVMBuildFCmp(fn->b, LLVMRealOEQ, v, LLVMConstNull(LLVMTypeOf(v)), "");
    if (t->kind == TY_COMPLEX)
        return LLVMBuildNot(fn->b, lw_truth(fn, v, t), "");
    return LLVMBuildICmp(fn->b, LLVMIntEQ, v, LLVMConstNull(LLVMTypeOf(v)), "");
}

/* numpy's answers instead of Python's exceptions: --error-model=numpy, or
 * inside an element-wise operation on arrays (numpy's own rule there). */
static bool numpy_errors(LwFn *fn) {
    return fn->m->opt.error_model_numpy || fn->in_elementwise;
}

static void check_divisor(LwFn *fn, LLVMValueRef b, const Type *t, const char *msg) {
    if (!numpy_errors(fn))
        lw_raise_if(fn, is_zero(fn, b, t), EXC_ZERO_DIVISION, msg);
}

/* a // b and a % b for integers: the quotient rounds towards minus infinity
 * and the remainder takes the divisor's sign. A zero divisor (numpy model)
 * gives 0 for both, like numpy. */
static LLVMValueRef int_divmod(LwFn *fn, LLVMValueRef a, LLVMValueRef b, const Type *t, bool want_mod) {
    LLVMTypeRef it = LLVMTypeOf(a);
    LLVMValueRef zero = LLVMConstNull(it), one = LLVMConstInt(it, 1, 0);
    LLVMValueRef b_zero = LLVMBuildICmp(fn->b, LLVMIntEQ, b, zero, "");
    if (!t->is_signed) {
        LLVMValueRef safe = LLVMBuildSelect(fn->b, b_zero, one, b, "");
        LLVMValueRef r = want_mod ? LLVMBuildURem(fn->b, a, safe, "") : LLVMBuildUDiv(fn->b, a, safe, "");
        return LLVMBuildSelect(fn->b, b_zero, zero, r, "");
    }
    // INT_MIN / -1 overflows in hardware: divide by 1 instead and negate.
    LLVMValueRef minus_one = LLVMConstAllOnes(it);
    LLVMValueRef b_m1 = LLVMBuildICmp(fn->b, LLVMIntEQ, b, minus_one, "");
    LLVMValueRef safe = LLVMBuildSelect(fn->b, LLVMBuildOr(fn->b, b_zero, b_m1, ""), one, b, "");
    LLVMValueRef q = LLVMBuildSDiv(fn->b, a, safe, "");
    LLVMValueRef r = LLVMBuildSRem(fn->b, a, safe, "");
    // Adjust when the remainder is non-zero and its sign differs from b's.
    LLVMValueRef adjust = LLVMBuildAnd(fn->b, LLVMBuildICmp(fn->b, LLVMIntNE, r, zero, ""),
                                       LLVMBuildICmp(fn->b, LLVMIntSLT, LLVMBuildXor(fn->b, r, b, ""), zero, ""), "");
    LLVMValueRef result;
    if (want_mod) {
        result = LLVMBuildSelect(fn->b, adjust, LLVMBuildAdd(fn->b, r, b, ""), r, "");
        result = LLVMBuildSelect(fn->b, b_m1, zero, result, "");
    } else {
        result = LLVMBuildSelect(fn->b, adjust, LLVMBuildSub(fn->b, q, one, ""), q, "");
        result = LLVMBuildSelect(fn->b, b_m1, LLVMBuildNeg(fn->b, a, ""), result, "");
    }
    return LLVMBuildSelect(fn->b, b_zero, zero, result, "");
}

/* Shifts with Python's meaning for large counts (no poison): << by 64 or
 * more gives 0, >> gives the sign; a negative count is a ValueError. */
static LLVMValueRef int_shift(LwFn *fn, LLVMValueRef a, LLVMValueRef b, const Type *t, bool left) {
    LLVMTypeRef it = LLVMTypeOf(a);
    LLVMValueRef zero = LLVMConstNull(it);
    // numpy shifts by a negative count as by a huge one (the unsigned
    // compare below); Python refuses it.
    if (t->is_signed && !fn->in_elementwise)
        lw_raise_if(fn, LLVMBuildICmp(fn->b, LLVMIntSLT, b, zero, ""), EXC_VALUE, "negative shift count");
    LLVMValueRef width = LLVMConstInt(it, (unsigned)t->bits, 0);
    LLVMValueRef big = LLVMBuildICmp(fn->b, LLVMIntUGE, b, width, "");
    LLVMValueRef count = LLVMBuildSelect(fn->b, big, LLVMConstNull(it), b, "");
    if (left)
        return LLVMBuildSelect(fn->b, big, zero, LLVMBuildShl(fn->b, a, count, ""), "");
    if (t->is_signed) {
        LLVMValueRef sign = LLVMBuildAShr(fn->b, a, LLVMConstInt(it, (unsigned)t->bits - 1, 0), "");
        return LLVMBuildSelect(fn->b, big, sign, LLVMBuildAShr(fn->b, a, count, ""), "");
    }
    return LLVMBuildSelect(fn->b, big, zero, LLVMBuildLShr(fn->b, a, count, ""), "");
}

static LLVMValueRef int_power(LwFn *fn, LLVMValueRef a, LLVMValueRef b, const Type *t) {
    LwModule *m = fn->m;
    LLVMValueRef slot = lw_entry_alloca(fn, m->i64, "pow");
    LLVMValueRef args[3] = {LLVMBuildZExt(fn->b, a, m->i64, ""), LLVMBuildZExt(fn->b, b, m->i64, ""), slot};
    if (t->is_signed) {
        args[0] = LLVMBuildSExt(fn->b, a, m->i64, "");
        args[1] = LLVMBuildSExt(fn->b, b, m->i64, "");
    }
    if (t->is_signed && fn->in_elementwise) // numpy refuses what Numba and Python compute
        lw_raise_if(fn, LLVMBuildICmp(fn->b, LLVMIntSLT, b, LLVMConstNull(LLVMTypeOf(b)), ""), EXC_VALUE,
                    "Integers to negative integer powers are not allowed.");
    LLVMValueRef status = lw_call(fn, t->is_signed ? "pyaot_rt_pow_i64" : "pyaot_rt_pow_u64", args, 3);
    if (!numpy_errors(fn))
        lw_raise_if(fn, LLVMBuildICmp(fn->b, LLVMIntNE, status, LLVMConstNull(m->i32), ""), EXC_ZERO_DIVISION,
                    "0.0 cannot be raised to a negative power");
    LLVMValueRef r = LLVMBuildLoad2(fn->b, m->i64, slot, "");
    return LLVMBuildTrunc(fn->b, r, LLVMTypeOf(a), "");
}

static LLVMValueRef float_call2(LwFn *fn, const char *name64, const char *name32, LLVMValueRef a,
                                LLVMValueRef b, const Type *t) {
    LLVMValueRef args[2] = {a, b};
    return lw_call(fn, t->bits == 32 ? name32 : name64, args, 2);
}

/* numpy's complex division (Smith's method scaled by a reciprocal, in the
 * type's own precision), which differs from CPython's in the last bits and
 * gives inf or nan for a zero divisor. */
static LLVMValueRef numpy_complex_divide(LwFn *fn, LLVMValueRef ar, LLVMValueRef ai, LLVMValueRef br, LLVMValueRef bi,
                                         const Type *t) {
    LLVMBuilderRef B = fn->b;
    LLVMTypeRef ft = LLVMTypeOf(ar);
    LLVMValueRef one = LLVMConstReal(ft, 1.0), zero = LLVMConstReal(ft, 0.0);
    LLVMValueRef abs_r = lw_intrinsic(fn, "llvm.fabs", &ft, 1, &br, 1), abs_i = lw_intrinsic(fn, "llvm.fabs", &ft, 1, &bi, 1);
    // |br| >= |bi|: ratio bi/br; otherwise br/bi.
    LLVMValueRef real_wide = LLVMBuildFCmp(B, LLVMRealOGE, abs_r, abs_i, "");
    LLVMValueRef rat1 = LLVMBuildFDiv(B, bi, br, ""), scl1 = LLVMBuildFDiv(B, one, LLVMBuildFAdd(B, br, LLVMBuildFMul(B, bi, rat1, ""), ""), "");
    LLVMValueRef re1 = LLVMBuildFMul(B, LLVMBuildFAdd(B, ar, LLVMBuildFMul(B, ai, rat1, ""), ""), scl1, "");
    LLVMValueRef im1 = LLVMBuildFMul(B, LLVMBuildFSub(B, ai, LLVMBuildFMul(B, ar, rat1, ""), ""), scl1, "");
    LLVMValueRef rat2 = LLVMBuildFDiv(B, br, bi, ""), scl2 = LLVMBuildFDiv(B, one, LLVMBuildFAdd(B, bi, LLVMBuildFMul(B, br, rat2, ""), ""), "");
    LLVMValueRef re2 = LLVMBuildFMul(B, LLVMBuildFAdd(B, LLVMBuildFMul(B, ar, rat2, ""), ai, ""), scl2, "");
    LLVMValueRef im2 = LLVMBuildFMul(B, LLVMBuildFSub(B, LLVMBuildFMul(B, ai, rat2, ""), ar, ""), scl2, "");
    // A zero divisor: each part divided by |br| (0), so inf or nan.
    LLVMValueRef both_zero = LLVMBuildAnd(B, LLVMBuildFCmp(B, LLVMRealOEQ, abs_r, zero, ""),
                                          LLVMBuildFCmp(B, LLVMRealOEQ, abs_i, zero, ""), "");
    LLVMValueRef re0 = LLVMBuildFDiv(B, ar, abs_r, ""), im0 = LLVMBuildFDiv(B, ai, abs_r, "");
    LLVMValueRef re = LLVMBuildSelect(B, real_wide, LLVMBuildSelect(B, both_zero, re0, re1, ""), re2, "");
    LLVMValueRef im = LLVMBuildSelect(B, real_wide, LLVMBuildSelect(B, both_zero, im0, im1, ""), im2, "");
    return lw_complex(fn, re, im, t);
}

static LLVMValueRef complex_binary(LwFn *fn, int op, LLVMValueRef a, LLVMValueRef b, const Type *t) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef ar = LLVMBuildExtractValue(B, a, 0, ""), ai = LLVMBuildExtractValue(B, a, 1, "");
    LLVMValueRef br = LLVMBuildExtractValue(B, b, 0, ""), bi = LLVMBuildExtractValue(B, b, 1, "");
    switch (op) {
    case NB_ADD:
        return lw_complex(fn, LLVMBuildFAdd(B, ar, br, ""), LLVMBuildFAdd(B, ai, bi, ""), t);
    case NB_SUBTRACT:
        return lw_complex(fn, LLVMBuildFSub(B, ar, br, ""), LLVMBuildFSub(B, ai, bi, ""), t);
    case NB_MULTIPLY: // CPython's _Py_c_prod, term by term
        return lw_complex(fn, LLVMBuildFSub(B, LLVMBuildFMul(B, ar, br, ""), LLVMBuildFMul(B, ai, bi, ""), ""),
                          LLVMBuildFAdd(B, LLVMBuildFMul(B, ar, bi, ""), LLVMBuildFMul(B, ai, br, ""), ""), t);
    case NB_TRUE_DIVIDE: case NB_POWER: {
        if (op == NB_TRUE_DIVIDE && fn->in_elementwise)
            return numpy_complex_divide(fn, ar, ai, br, bi, t);
        if (fn->in_elementwise) { // numpy's power, in the type's precision
            LLVMTypeRef ft = float_part(m, t);
            LLVMValueRef out = lw_entry_alloca(fn, LLVMArrayType2(ft, 2), "c");
            LLVMValueRef args[5] = {ar, ai, br, bi, out};
            lw_call(fn, t->bits == 64 ? "pyaot_rt_np_cpowf" : "pyaot_rt_np_cpow", args, 5);
            LLVMValueRef idx1 = LLVMConstInt(m->i64, 1, 0);
            return lw_complex(fn, LLVMBuildLoad2(B, ft, out, ""),
                              LLVMBuildLoad2(B, ft, LLVMBuildGEP2(B, ft, out, &idx1, 1, ""), ""), t);
        }
        if (op == NB_TRUE_DIVIDE)
            check_divisor(fn, b, t, "complex division by zero");
        // The runtime computes in double precision, as CPython does.
        LLVMValueRef parts[4] = {ar, ai, br, bi};
        for (int i = 0; i < 4; i++)
            parts[i] = LLVMBuildFPCast(B, parts[i], m->f64, "");
        LLVMValueRef out = lw_entry_alloca(fn, LLVMArrayType2(m->f64, 2), "c");
        LLVMValueRef args[5] = {parts[0], parts[1], parts[2], parts[3], out};
        LLVMValueRef status = lw_call(fn, op == NB_TRUE_DIVIDE ? "pyaot_rt_cdiv" : "pyaot_rt_cpow", args, 5);
        if (op == NB_POWER && !numpy_errors(fn))
            lw_raise_if(fn, LLVMBuildICmp(B, LLVMIntNE, status, LLVMConstNull(m->i32), ""), EXC_ZERO_DIVISION,
                        "0.0 to a negative or complex power");
        LLVMValueRef idx1 = LLVMConstInt(m->i64, 1, 0);
        LLVMValueRef re = LLVMBuildLoad2(B, m->f64, out, "");
        LLVMValueRef im = LLVMBuildLoad2(B, m->f64, LLVMBuildGEP2(B, m->f64, out, &idx1, 1, ""), "");
        LLVMTypeRef ft = float_part(m, t);
        return lw_complex(fn, LLVMBuildFPCast(B, re, ft, ""), LLVMBuildFPCast(B, im, ft, ""), t);
    }
    default:
        diag_internal(m->d, "complex op %d", op);
    }
}

LLVMValueRef lw_arith(LwFn *fn, int op, LLVMValueRef a, LLVMValueRef b, const Type *t, bool from_ints) {
    LLVMBuilderRef B = fn->b;
    op %= FE_NB_INPLACE;
    if (t->kind == TY_COMPLEX)
        return complex_binary(fn, op, a, b, t);
    if (t->kind == TY_BOOL) {
        switch (op) {
        case NB_AND: return LLVMBuildAnd(B, a, b, "");
        case NB_OR: return LLVMBuildOr(B, a, b, "");
        case NB_XOR: return LLVMBuildXor(B, a, b, "");
        default: diag_internal(fn->m->d, "bool op %d", op);
        }
    }
    if (t->kind == TY_INT) {
        switch (op) {
        case NB_ADD: return LLVMBuildAdd(B, a, b, "");
        case NB_SUBTRACT: return LLVMBuildSub(B, a, b, "");
        case NB_MULTIPLY: return LLVMBuildMul(B, a, b, "");
        case NB_FLOOR_DIVIDE:
            check_divisor(fn, b, t, "integer division or modulo by zero");
            return int_divmod(fn, a, b, t, false);
        case NB_REMAINDER:
            check_divisor(fn, b, t, "integer modulo by zero");
            return int_divmod(fn, a, b, t, true);
        case NB_POWER: return int_power(fn, a, b, t);
        case NB_LSHIFT: return int_shift(fn, a, b, t, true);
        case NB_RSHIFT: return int_shift(fn, a, b, t, false);
        case NB_AND: return LLVMBuildAnd(B, a, b, "");
        case NB_OR: return LLVMBuildOr(B, a, b, "");
        case NB_XOR: return LLVMBuildXor(B, a, b, "");
        default: diag_internal(fn->m->d, "int op %d", op);
        }
    }
    // Floats.
    switch (op) {
    case NB_ADD: return LLVMBuildFAdd(B, a, b, "");
    case NB_SUBTRACT: return LLVMBuildFSub(B, a, b, "");
    case NB_MULTIPLY: return LLVMBuildFMul(B, a, b, "");
    case NB_TRUE_DIVIDE:
        check_divisor(fn, b, t, from_ints ? "division by zero" : "float division by zero");
        return LLVMBuildFDiv(B, a, b, "");
    case NB_FLOOR_DIVIDE: case NB_REMAINDER: {
        bool mod = op == NB_REMAINDER;
        check_divisor(fn, b, t, mod ? "float modulo" : "float floor division by zero");
        LLVMValueRef r = mod ? float_call2(fn, "pyaot_rt_mod_f64", "pyaot_rt_mod_f32", a, b, t)
                             : float_call2(fn, "pyaot_rt_floordiv_f64", "pyaot_rt_floordiv_f32", a, b, t);
        if (!numpy_errors(fn))
            return r;
        // numpy: x // 0.0 is x / 0.0, x % 0.0 is nan.
        LLVMValueRef zero = is_zero(fn, b, t);
        LLVMValueRef at_zero = mod ? LLVMConstReal(LLVMTypeOf(a), __builtin_nan("")) : LLVMBuildFDiv(B, a, b, "");
        return LLVMBuildSelect(B, zero, at_zero, r, "");
    }
    case NB_POWER: {
        if (!numpy_errors(fn)) {
            LLVMValueRef bad = LLVMBuildAnd(B, is_zero(fn, a, t),
                                            LLVMBuildFCmp(B, LLVMRealOLT, b, LLVMConstNull(LLVMTypeOf(b)), ""), "");
            lw_raise_if(fn, bad, EXC_ZERO_DIVISION, "0.0 cannot be raised to a negative power");
        }
        LLVMTypeRef ft = LLVMTypeOf(a);
        LLVMValueRef args[2] = {a, b};
        return lw_intrinsic(fn, "llvm.pow", &ft, 1, args, 2);
    }
    default:
        diag_internal(fn->m->d, "float op %d", op);
    }
}

LLVMValueRef lw_binary(LwFn *fn, const Instr *in) {
    const Instr *x = in->args[0], *y = in->args[1];
    if (in->type->kind == TY_LIST)
        return lw_list_binary(fn, in);
    LLVMValueRef a = fn->vals[x->id], b = fn->vals[y->id];
    if (in->type->kind == TY_TUPLE) { // concatenation
        LLVMValueRef out = LLVMGetUndef(lw_type(fn->m, in->type));
        int n = 0;
        const Instr *parts[2] = {x, y};
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < parts[p]->type->nfields; i++) {
                LLVMValueRef f = LLVMBuildExtractValue(fn->b, fn->vals[parts[p]->id], (unsigned)i, "");
                if (ty_is_refcounted(parts[p]->type->fields[i]))
                    lw_incref(fn, f, parts[p]->type->fields[i]);
                out = LLVMBuildInsertValue(fn->b, out, f, (unsigned)n++, "");
            }
        return out;
    }
    const Type *t = in->optype;
    bool from_ints = ty_is_integer(x->type) && ty_is_integer(y->type);
    return lw_arith(fn, in->sub, lw_convert(fn, a, x->type, t), lw_convert(fn, b, y->type, t), t, from_ints);
}

LLVMValueRef lw_compare_values(LwFn *fn, int op, LLVMValueRef a, LLVMValueRef b, const Type *t) {
    LLVMBuilderRef B = fn->b;
    if (t->kind == TY_COMPLEX) {
        LLVMValueRef re = LLVMBuildFCmp(B, LLVMRealOEQ, LLVMBuildExtractValue(B, a, 0, ""), LLVMBuildExtractValue(B, b, 0, ""), "");
        LLVMValueRef im = LLVMBuildFCmp(B, LLVMRealOEQ, LLVMBuildExtractValue(B, a, 1, ""), LLVMBuildExtractValue(B, b, 1, ""), "");
        LLVMValueRef eq = LLVMBuildAnd(B, re, im, "");
        return op == CMP_EQ ? eq : LLVMBuildNot(B, eq, "");
    }
    if (t->kind == TY_FLOAT) {
        static const LLVMRealPredicate preds[] = {LLVMRealOLT, LLVMRealOLE, LLVMRealOEQ, LLVMRealUNE, LLVMRealOGT, LLVMRealOGE};
        return LLVMBuildFCmp(B, preds[op], a, b, "");
    }
    bool is_signed = t->kind == TY_INT && t->is_signed;
    static const LLVMIntPredicate spreds[] = {LLVMIntSLT, LLVMIntSLE, LLVMIntEQ, LLVMIntNE, LLVMIntSGT, LLVMIntSGE};
    static const LLVMIntPredicate upreds[] = {LLVMIntULT, LLVMIntULE, LLVMIntEQ, LLVMIntNE, LLVMIntUGT, LLVMIntUGE};
    return LLVMBuildICmp(B, is_signed ? spreds[op] : upreds[op], a, b, "");
}

LLVMValueRef lw_compare(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    if (in->resolved == RES_CONST_VALUE)
        return LLVMConstInt(m->i1, (unsigned long long)in->cst->i, 0);
    const Instr *x = in->args[0], *y = in->args[1];
    LLVMValueRef a = fn->vals[x->id], b = fn->vals[y->id];
    if ((in->sub == CMP_IN || in->sub == CMP_NOT_IN) && y->type->kind != TY_TUPLE)
        return lw_dict_contains(fn, in);
    if (in->sub == CMP_IN || in->sub == CMP_NOT_IN) {
        // x in (a, b, c): x == a or x == b or x == c, each in their common type.
        LLVMValueRef any = LLVMConstInt(m->i1, 0, 0);
        for (int i = 0; i < y->type->nfields; i++) {
            const Type *ft = y->type->fields[i];
            const Type *t = ty_unify(m->tt, x->type, ft);
            LLVMValueRef f = LLVMBuildExtractValue(fn->b, b, (unsigned)i, "");
            LLVMValueRef eq = lw_compare_values(fn, CMP_EQ, lw_convert(fn, a, x->type, t), lw_convert(fn, f, ft, t), t);
            any = LLVMBuildOr(fn->b, any, eq, "");
        }
        return in->sub == CMP_IN ? any : LLVMBuildNot(fn->b, any, "");
    }
    if (x->type->kind == TY_TUPLE) {
        LLVMValueRef all = LLVMConstInt(m->i1, 1, 0);
        for (int i = 0; i < x->type->nfields; i++) {
            const Type *fa = x->type->fields[i], *fb = y->type->fields[i];
            LLVMValueRef va = LLVMBuildExtractValue(fn->b, a, (unsigned)i, "");
            LLVMValueRef vb = LLVMBuildExtractValue(fn->b, b, (unsigned)i, "");
            const Type *t = ty_unify(m->tt, fa, fb);
            LLVMValueRef eq = lw_compare_values(fn, CMP_EQ, lw_convert(fn, va, fa, t), lw_convert(fn, vb, fb, t), t);
            all = LLVMBuildAnd(fn->b, all, eq, "");
        }
        return in->sub == CMP_EQ ? all : LLVMBuildNot(fn->b, all, "");
    }
    const Type *t = in->optype;
    return lw_compare_values(fn, in->sub, lw_convert(fn, a, x->type, t), lw_convert(fn, b, y->type, t), t);
}

/* x86's truncating conversion of `from` to `to`, or NULL. For NaN, the
 * infinities and anything out of range it gives INT_MIN ("integer
 * indefinite"), so one integer compare finds every bad input. */
static const char *truncating_conversion(const Type *from, const Type *to) {
    if (!to->is_signed || (to->bits != 32 && to->bits != 64))
        return NULL;
    if (from->bits == 64)
        return to->bits == 64 ? "llvm.x86.sse2.cvttsd2si64" : "llvm.x86.sse2.cvttsd2si";
    return to->bits == 64 ? "llvm.x86.sse.cvttss2si64" : "llvm.x86.sse.cvttss2si";
}

LLVMValueRef lw_float_to_int_checked(LwFn *fn, LLVMValueRef x, const Type *from, const Type *to) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMTypeRef ft = lw_type(m, from), it = lw_type(m, to);
    double hi = to->is_signed ? __builtin_ldexp(1.0, to->bits - 1) : __builtin_ldexp(1.0, to->bits);
    const char *cvt = truncating_conversion(from, to);
    LLVMValueRef result = NULL;
    LLVMBasicBlockRef ok;
    if (cvt) {
        // One compare on the fast path; INT_MIN itself is let through below.
        LLVMValueRef lanes = LLVMBuildInsertElement(B, LLVMGetUndef(LLVMVectorType(ft, from->bits == 64 ? 2 : 4)), x,
                                                    LLVMConstInt(m->i32, 0, 0), "");
        result = lw_intrinsic(fn, cvt, NULL, 0, &lanes, 1);
        lw_check(fn, LLVMBuildICmp(B, LLVMIntEQ, result, LLVMConstInt(it, 1ULL << (to->bits - 1), 0), ""), &ok);
        LLVMBasicBlockRef bad = lw_block(fn, "bad_float");
        LLVMBuildCondBr(B, LLVMBuildFCmp(B, LLVMRealOEQ, x, LLVMConstReal(ft, -hi), ""), ok, bad);
        LLVMPositionBuilderAtEnd(B, bad);
    } else {
        // One test on the fast path: lo <= x < hi is false for NaN and the
        // infinities too. Which error it was is sorted out on the slow path.
        LLVMValueRef in_range =
            LLVMBuildAnd(B, LLVMBuildFCmp(B, LLVMRealOLT, x, LLVMConstReal(ft, hi), ""),
                         to->is_signed ? LLVMBuildFCmp(B, LLVMRealOGE, x, LLVMConstReal(ft, -hi), "")
                                       : LLVMBuildFCmp(B, LLVMRealOGT, x, LLVMConstReal(ft, -1.0), ""), "");
        lw_check(fn, LLVMBuildNot(B, in_range, ""), &ok);
    }
    LLVMValueRef is_nan = LLVMBuildFCmp(B, LLVMRealUNO, x, x, "");
    LLVMValueRef mag = lw_intrinsic(fn, "llvm.fabs", &ft, 1, &x, 1);
    LLVMValueRef is_inf = LLVMBuildFCmp(B, LLVMRealOEQ, mag, LLVMConstReal(ft, __builtin_inf()), "");
    const char *range = arena_printf(m->arena, "float out of range for %s", ty_str(m->arena, to));
    LLVMValueRef msg = LLVMBuildSelect(B, is_nan, lw_cstring(m, "cannot convert float NaN to integer"),
                                       LLVMBuildSelect(B, is_inf, lw_cstring(m, "cannot convert float infinity to integer"),
                                                       lw_cstring(m, range), ""), "");
    LLVMValueRef exc = LLVMBuildSelect(B, is_nan, LLVMConstInt(m->i32, EXC_VALUE, 0),
                                       LLVMConstInt(m->i32, EXC_OVERFLOW, 0), "");
    LLVMValueRef args[2] = {exc, msg};
    lw_call(fn, "pyaot_rt_raise", args, 2);
    lw_fail(fn);
    lw_resume(fn, ok);
    if (result)
        return result;
    return to->is_signed ? LLVMBuildFPToSI(B, x, it, "") : LLVMBuildFPToUI(B, x, it, "");
}
