/* numpy's element-wise functions (ufuncs) and how numpy 1.x picks the type
 * each one computes in, so that a result has numpy's dtype.
 *
 * A ufunc is a list of inner loops, each for one type ("ff->f": float32 in,
 * float32 out), in numpy's order (`np.add.types`). numpy picks a loop in one
 * of two ways, and which one a ufunc uses is part of its definition:
 *  - uniform: the operands' common type (np.result_type), then the first
 *    loop that type casts to safely (add, subtract, multiply, minimum,
 *    maximum, the comparisons);
 *  - linear: the first loop every operand casts to safely (the rest).
 * true_divide computes integers in float64 whatever the loops say.
 *
 * Python scalars among array operands are cast by value (numpy 1.x): the
 * constant 1 is a uint8 that also fits int8, so int8_array + 1 stays int8,
 * while int8_array + 1000 becomes int16. That applies only when no scalar
 * is of a higher category (bool < integer < float and complex) than every
 * array. A scalar whose value is known only at run time is taken as the
 * smallest value of its category (0 for integers), which is numpy's answer
 * whenever the value fits the array's type, and NEP 50's in any case. */
#include "frontend.h"

#include <math.h>
#include <string.h>

/* numpy's dtypes as pyaot sees them, in numpy's type-number order (which
 * breaks ties in promotion). F16 exists only as an answer to refuse. */
typedef enum NpType {
    NP_BOOL, NP_I8, NP_U8, NP_I16, NP_U16, NP_I32, NP_U32, NP_I64, NP_U64,
    NP_F16, NP_F32, NP_F64, NP_C64, NP_C128, NP_NONE
} NpType;

static const char np_codes[] = "?bBhHiIqQefdFD"; // numpy's type characters, by NpType

static NpType from_code(char c) {
    const char *p = strchr(np_codes, c);
    return p && c ? (NpType)(p - np_codes) : NP_NONE;
}

static NpType np_of(const Type *t) {
    switch (t->kind) {
    case TY_BOOL: return NP_BOOL;
    case TY_INT:
        switch (t->bits) {
        case 8: return t->is_signed ? NP_I8 : NP_U8;
        case 16: return t->is_signed ? NP_I16 : NP_U16;
        case 32: return t->is_signed ? NP_I32 : NP_U32;
        default: return t->is_signed ? NP_I64 : NP_U64;
        }
    case TY_FLOAT: return t->bits == 32 ? NP_F32 : NP_F64;
    case TY_COMPLEX: return t->bits == 64 ? NP_C64 : NP_C128;
    default: return NP_NONE;
    }
}

static const Type *type_of(TypeTable *tt, NpType n) {
    switch (n) {
    case NP_BOOL: return ty_bool(tt);
    case NP_I8: return ty_int(tt, 8, true);
    case NP_U8: return ty_int(tt, 8, false);
    case NP_I16: return ty_int(tt, 16, true);
    case NP_U16: return ty_int(tt, 16, false);
    case NP_I32: return ty_int(tt, 32, true);
    case NP_U32: return ty_int(tt, 32, false);
    case NP_I64: return ty_int(tt, 64, true);
    case NP_U64: return ty_int(tt, 64, false);
    case NP_F32: return ty_float(tt, 32);
    case NP_F64: return ty_float64(tt);
    case NP_C64: return ty_complex(tt, 64);
    case NP_C128: return ty_complex(tt, 128);
    default: return NULL;
    }
}

static bool is_unsigned(NpType t) { return t == NP_U8 || t == NP_U16 || t == NP_U32 || t == NP_U64; }
static bool is_signed_int(NpType t) { return t == NP_I8 || t == NP_I16 || t == NP_I32 || t == NP_I64; }
static bool is_float(NpType t) { return t == NP_F16 || t == NP_F32 || t == NP_F64; }
static bool is_complex(NpType t) { return t == NP_C64 || t == NP_C128; }

/* Bytes of an integer type; of a float or complex, of one real part. */
static int width(NpType t) {
    static const int w[] = {1, 1, 1, 2, 2, 4, 4, 8, 8, 2, 4, 8, 4, 8};
    return w[t];
}

/* The categories value-based casting compares: bool, integer, inexact. */
static int category(NpType t) {
    return t == NP_BOOL ? 0 : is_unsigned(t) || is_signed_int(t) ? 1 : 2;
}

/* The kinds 'same_kind' casting orders: b < u < i < f < c. */
static int kind_order(NpType t) {
    return t == NP_BOOL ? 0 : is_unsigned(t) ? 1 : is_signed_int(t) ? 2 : is_float(t) ? 3 : 4;
}

/* np.can_cast(from, to, 'safe'). */
static bool can_cast_safe(NpType from, NpType to) {
    if (from == to || from == NP_BOOL)
        return true;
    if (to == NP_BOOL)
        return false;
    if (is_unsigned(from) || is_signed_int(from)) {
        if (is_unsigned(to))
            return is_unsigned(from) && width(to) >= width(from);
        if (is_signed_int(to))
            return is_signed_int(from) ? width(to) >= width(from) : width(to) > width(from);
        // Integers of up to 8 bits fit float16 exactly, up to 16 float32
        // (and complex64), any float64 (numpy calls that safe too).
        return width(from) <= width(to) / 2 || width(to) == 8;
    }
    if (is_float(from))
        return (is_float(to) && width(to) >= width(from)) || (is_complex(to) && width(to) >= width(from));
    return is_complex(to) && width(to) >= width(from);
}

/* np.promote_types(a, b): the smallest type both cast to safely, the
 * earliest in numpy's order when several fit (int64 with uint64 gives
 * float64). */
static NpType promote(NpType a, NpType b) {
    for (int t = 0; t < NP_NONE; t++)
        if (can_cast_safe(a, (NpType)t) && can_cast_safe(b, (NpType)t))
            return (NpType)t;
    return NP_NONE;
}

/* numpy's min_scalar_type of a constant; *small_unsigned when a
 * non-negative integer also fits the signed type of the same width. */
static NpType min_scalar_type(const FeConst *c, bool *small_unsigned) {
    *small_unsigned = false;
    switch (c->kind) {
    case FE_CONST_BOOL:
        return NP_BOOL;
    case FE_CONST_INT: case FE_CONST_UINT: {
        bool negative = c->kind == FE_CONST_INT && c->i < 0;
        if (!negative) {
            uint64_t v = c->kind == FE_CONST_INT ? (uint64_t)c->i : c->u;
            static const NpType u[] = {NP_U8, NP_U16, NP_U32, NP_U64};
            for (int k = 0; k < 4; k++) {
                int bits = 8 << k;
                if (bits == 64 || v < ((uint64_t)1 << bits)) {
                    *small_unsigned = bits == 64 ? v < ((uint64_t)1 << 63) : v < ((uint64_t)1 << (bits - 1));
                    return u[k];
                }
            }
        }
        int64_t v = c->i;
        return v >= -128 ? NP_I8 : v >= -32768 ? NP_I16 : v >= INT32_MIN ? NP_I32 : NP_I64;
    }
    case FE_CONST_FLOAT: {
        double v = c->f;
        if ((v > -65000 && v < 65000) || !isfinite(v))
            return NP_F16;
        return v > -3.4e38 && v < 3.4e38 ? NP_F32 : NP_F64;
    }
    case FE_CONST_COMPLEX: {
        bool fits = true;
        double parts[2] = {c->f, c->imag};
        for (int i = 0; i < 2; i++)
            fits = fits && (!isfinite(parts[i]) || (parts[i] > -3.4e38 && parts[i] < 3.4e38));
        return fits ? NP_C64 : NP_C128;
    }
    default:
        return NP_NONE;
    }
}

/* The smallest value of a scalar's category, for scalars known only at run
 * time: integers as 0 (a small uint8), floats as float16, complex as
 * complex64, bool as bool. */
static NpType weak_scalar_type(NpType t, bool *small_unsigned) {
    *small_unsigned = false;
    switch (category(t)) {
    case 0: return NP_BOOL;
    case 1: *small_unsigned = true; return NP_U8;
    default: return is_complex(t) ? NP_C64 : NP_F16;
    }
}

static NpType unsigned_to_signed(NpType t) {
    switch (t) {
    case NP_U8: return NP_I8;
    case NP_U16: return NP_I16;
    case NP_U32: return NP_I32;
    case NP_U64: return NP_I64;
    default: return t;
    }
}

/* What each operand counts as in type resolution. */
typedef struct ResolvedOp {
    NpType type;
    bool small_unsigned;
} ResolvedOp;

/* Whether scalars are cast by value: some operand is an array and no scalar
 * is of a higher category than every array. */
static bool use_min_scalar(const FeOperand *ops, int n) {
    int max_array = -1, max_scalar = -1;
    for (int i = 0; i < n; i++) {
        int c = category(np_of(ops[i].dtype));
        if (ops[i].is_array)
            max_array = c > max_array ? c : max_array;
        else
            max_scalar = c > max_scalar ? c : max_scalar;
    }
    return max_array >= 0 && max_scalar >= 0 && max_scalar <= max_array;
}

static ResolvedOp resolve_operand(const FeOperand *op, bool by_value) {
    ResolvedOp r = {np_of(op->dtype), false};
    if (op->is_array || !by_value)
        return r;
    if (op->value)
        r.type = min_scalar_type(op->value, &r.small_unsigned);
    else
        r.type = weak_scalar_type(r.type, &r.small_unsigned);
    return r;
}

/* Can this operand go into a loop of type `to`? (numpy's can_cast_scalar_to
 * for by-value scalars: a small unsigned value may go to a signed type.) */
static bool operand_casts_to(ResolvedOp op, NpType to) {
    NpType from = op.type;
    if (op.small_unsigned && !is_unsigned(to))
        from = unsigned_to_signed(from);
    return can_cast_safe(from, to);
}

/* np.result_type of the operands. */
static NpType result_type(const FeOperand *ops, int n) {
    bool by_value = use_min_scalar(ops, n);
    NpType ret = NP_NONE;
    bool ret_small = false;
    for (int i = 0; i < n; i++) {
        ResolvedOp r = resolve_operand(&ops[i], by_value);
        if (ret == NP_NONE) {
            ret = r.type;
            ret_small = r.small_unsigned;
            continue;
        }
        if (r.type == ret) {
            ret_small = ret_small && r.small_unsigned;
            continue;
        }
        // A small unsigned value meeting a signed type counts as signed.
        NpType a = r.type, b = ret;
        if (r.small_unsigned && !ret_small && b != NP_BOOL && !is_unsigned(b))
            a = unsigned_to_signed(a);
        else if (ret_small && !r.small_unsigned && a != NP_BOOL && !is_unsigned(a))
            b = unsigned_to_signed(b);
        ret = promote(a, b);
        ret_small = false;
    }
    return ret;
}

/* ---- the ufuncs ------------------------------------------------------- */

typedef enum Resolver { BY_RESULT_TYPE, BY_LINEAR_SEARCH, BY_TRUE_DIVIDE } Resolver;

#define LOOPS_INT "bb BB hh HH ii II qq QQ "
#define LOOPS_FLOAT "ee ff dd "
#define LOOPS_COMPLEX "FF DD "
#define LOOPS_ALL_TO_BOOL "?? b? B? h? H? i? I? q? Q? e? f? d? F? D? "

/* One ufunc: numpy's name, its loops as "<input type><output type>" pairs
 * (every input of a loop has the one type), how numpy picks among them,
 * and how many operands it takes. */
typedef struct UfuncDef {
    const char *name;
    Resolver resolver;
    int nin;
    const char *loops;
} UfuncDef;

static const UfuncDef ufuncs[UF_COUNT] = {
#define FE_UFUNC_DEF(id, name, resolver, nin, loops) [UF_##id] = {name, resolver, nin, loops},
    FE_UFUNCS(FE_UFUNC_DEF)
#undef FE_UFUNC_DEF
};

const char *fe_ufunc_name(FeUfunc u) {
    return u > UF_NONE && u < UF_COUNT ? ufuncs[u].name : "?";
}

int fe_ufunc_nin(FeUfunc u) {
    return ufuncs[u].nin;
}

/* The first loop every operand can go into; in/out its types. */
static bool search_loops(const UfuncDef *def, const ResolvedOp *ops, int n, NpType *in, NpType *out) {
    for (const char *l = def->loops; l[0] && l[1]; l += 3) {
        NpType lin = from_code(l[0]), lout = from_code(l[1]);
        bool fits = true;
        for (int i = 0; i < n && fits; i++)
            fits = operand_casts_to(ops[i], lin);
        if (fits) {
            *in = lin;
            *out = lout;
            return true;
        }
    }
    return false;
}

static const char *np_name(NpType t) {
    static const char *const names[] = {"bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64",
                                        "uint64", "float16", "float32", "float64", "complex64", "complex128"};
    return t < NP_NONE ? names[t] : "?";
}

const Type *fe_ufunc_resolve(TypeTable *tt, Arena *a, FeUfunc u, const FeOperand *ops, int n, const Type **loop_in,
                             const char **why) {
    const UfuncDef *def = &ufuncs[u];
    *why = NULL;
    for (int i = 0; i < n; i++)
        if (np_of(ops[i].dtype) == NP_NONE) {
            *why = arena_printf(a, "numpy has no loop for %s", ty_str(a, ops[i].dtype));
            return NULL;
        }
    bool by_value = use_min_scalar(ops, n);
    ResolvedOp r[8];
    for (int i = 0; i < n && i < 8; i++)
        r[i] = resolve_operand(&ops[i], by_value);
    NpType in = NP_NONE, out = NP_NONE;
    bool found;
    switch (def->resolver) {
    case BY_RESULT_TYPE: {
        NpType common = result_type(ops, n);
        ResolvedOp c = {common, false};
        found = search_loops(def, &c, 1, &in, &out);
        if (common == NP_BOOL && u == UF_SUBTRACT) {
            *why = "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` "
                   "operator, or the logical_xor function instead";
            return NULL;
        }
        break;
    }
    case BY_TRUE_DIVIDE: {
        bool all_integers = true;
        for (int i = 0; i < n; i++)
            all_integers = all_integers && category(np_of(ops[i].dtype)) <= 1;
        if (all_integers) {
            in = out = NP_F64;
            found = true;
            break;
        }
        found = search_loops(def, r, n, &in, &out);
        break;
    }
    default:
        found = search_loops(def, r, n, &in, &out);
        break;
    }
    if (u == UF_NEGATIVE && n == 1 && np_of(ops[0].dtype) == NP_BOOL) {
        *why = "the numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the "
               "logical_not function instead";
        return NULL;
    }
    if (!found) {
        StrBuf sb;
        sb_init(&sb, a);
        for (int i = 0; i < n; i++)
            sb_printf(&sb, "%s%s", i ? ", " : "", np_name(np_of(ops[i].dtype)));
        *why = arena_printf(a, "numpy has no loop for %s", sb.data);
        return NULL;
    }
    if (in == NP_F16 || out == NP_F16) {
        *why = arena_printf(a, "numpy computes this for %s in float16, which pyaot does not support: convert "
                               "first, e.g. with .astype(np.float32)",
                            np_name(np_of(ops[0].dtype)));
        return NULL;
    }
    *loop_in = type_of(tt, in);
    return type_of(tt, out);
}

const Type *fe_result_type(TypeTable *tt, const FeOperand *ops, int n) {
    for (int i = 0; i < n; i++)
        if (np_of(ops[i].dtype) == NP_NONE)
            return NULL;
    return type_of(tt, result_type(ops, n));
}

bool fe_can_cast_same_kind(const Type *from, const Type *to) {
    NpType f = np_of(from), t = np_of(to);
    return can_cast_safe(f, t) || kind_order(f) <= kind_order(t);
}

const char *fe_np_dtype_name(const Type *t) {
    return np_name(np_of(t));
}

FeUfunc fe_builtin_ufunc(Builtin b) {
    switch (b) {
    case B_ABS: case B_NP_ABS: case B_NP_ABSOLUTE: return UF_ABSOLUTE;
    case B_NP_SQRT: case B_NP_EXP: case B_NP_LOG: case B_NP_LOG10: case B_NP_LOG2: case B_NP_LOG1P:
    case B_NP_EXPM1: case B_NP_SIN: case B_NP_COS: case B_NP_TAN: case B_NP_ARCSIN: case B_NP_ARCCOS:
    case B_NP_ARCTAN: case B_NP_SINH: case B_NP_COSH: case B_NP_TANH: case B_NP_ARCSINH: case B_NP_ARCCOSH:
    case B_NP_ARCTANH: case B_NP_FABS: case B_NP_FLOOR: case B_NP_CEIL: case B_NP_TRUNC: case B_NP_RINT:
    case B_NP_DEG2RAD: case B_NP_RAD2DEG:
        return UF_FLOAT_FN;
    case B_NP_ARCTAN2: case B_NP_HYPOT: case B_NP_COPYSIGN: return UF_FLOAT_FN2;
    case B_NP_ISNAN: case B_NP_ISINF: case B_NP_ISFINITE: return UF_IS_CLASS;
    case B_NP_SIGN: return UF_SIGN;
    case B_NP_POWER: return UF_POWER;
    case B_NP_MINIMUM: return UF_MINIMUM;
    case B_NP_MAXIMUM: return UF_MAXIMUM;
    case B_NP_ADD: return UF_ADD;
    case B_NP_SUBTRACT: return UF_SUBTRACT;
    case B_NP_MULTIPLY: return UF_MULTIPLY;
    case B_NP_TRUE_DIVIDE: return UF_TRUE_DIVIDE;
    case B_NP_FLOOR_DIVIDE: return UF_FLOOR_DIVIDE;
    case B_NP_REMAINDER: return UF_REMAINDER;
    case B_NP_NEGATIVE: return UF_NEGATIVE;
    case B_NP_POSITIVE: return UF_POSITIVE;
    case B_NP_SQUARE: return UF_SQUARE;
    case B_NP_LEFT_SHIFT: return UF_LEFT_SHIFT;
    case B_NP_RIGHT_SHIFT: return UF_RIGHT_SHIFT;
    case B_NP_BITWISE_AND: return UF_BITWISE_AND;
    case B_NP_BITWISE_OR: return UF_BITWISE_OR;
    case B_NP_BITWISE_XOR: return UF_BITWISE_XOR;
    case B_NP_INVERT: return UF_INVERT;
    case B_NP_LESS: return UF_LESS;
    case B_NP_LESS_EQUAL: return UF_LESS_EQUAL;
    case B_NP_EQUAL: return UF_EQUAL;
    case B_NP_NOT_EQUAL: return UF_NOT_EQUAL;
    case B_NP_GREATER: return UF_GREATER;
    case B_NP_GREATER_EQUAL: return UF_GREATER_EQUAL;
    case B_NP_LOGICAL_AND: return UF_LOGICAL_AND;
    case B_NP_LOGICAL_OR: return UF_LOGICAL_OR;
    case B_NP_LOGICAL_XOR: return UF_LOGICAL_XOR;
    case B_NP_LOGICAL_NOT: return UF_LOGICAL_NOT;
    case B_NP_CONJUGATE: return UF_CONJUGATE;
    case B_NP_WHERE: return UF_WHERE;
    case B_NP_CLIP: return UF_CLIP;
    default: return UF_NONE;
    }
}
