/* Typing of element-wise work on arrays: operators with an array operand,
 * numpy's ufuncs (np.sqrt(a), np.add(a, b, out=c)), np.where, np.clip and
 * .astype. The result has numpy's dtype (ufunc.c), as many dimensions as
 * the widest operand, and is a new C-contiguous array, or the array written
 * in place (a += b, out=c). fuse.c later turns these into loops. */
#include "infer.h"

#include <string.h>

static bool is_array(const Instr *v) { return v->type->kind == TY_ARRAY; }

static FeOperand operand_of(const Instr *v) {
    FeOperand op = {.dtype = is_array(v) ? v->type->dtype : v->type, .is_array = is_array(v)};
    if (!op.is_array)
        op.value = infer_const_of(v);
    return op;
}

bool infer_any_array(Instr *const *operands, int n) {
    for (int i = 0; i < n; i++)
        if (operands[i] && is_array(operands[i]))
            return true;
    return false;
}

/* What the operation is called in messages: "np.sqrt", "+". */
static const char *op_label(Infer *I, const Instr *in) {
    switch (in->op) {
    case OP_BINARY: return arena_printf(I->b->arena, "'%s'", fe_binary_op_str(in->sub));
    case OP_UNARY: return arena_printf(I->b->arena, "unary '%s'", fe_unary_op_str(in->sub));
    case OP_COMPARE: return arena_printf(I->b->arena, "'%s'", fe_compare_op_str(in->sub));
    default: break;
    }
    if (in->resolved == RES_BUILTIN || in->builtin) {
        const char *name = fe_builtin_name((Builtin)in->builtin);
        if (strncmp(name, "numpy.", 6) == 0)
            return arena_printf(I->b->arena, "np.%s", name + 6);
        if (strncmp(name, "builtins.", 9) == 0)
            return name + 9;
        return name;
    }
    return arena_printf(I->b->arena, "np.%s", fe_ufunc_name((FeUfunc)in->ufunc));
}

const Type *infer_elementwise(Infer *I, Instr *in, FeUfunc u, Instr *const *operands, int n, Instr *dest) {
    FeOperand ops[8];
    int ndim = 0;
    for (int i = 0; i < n; i++) {
        const Type *t = operands[i]->type;
        const Type *d = is_array(operands[i]) ? t->dtype : t;
        if (!ty_is_number(d)) {
            StrBuf sb;
            sb_init(&sb, I->b->arena);
            for (int k = 0; k < n; k++)
                sb_printf(&sb, "%s%s", k ? " and " : "", infer_tystr(I, operands[k]->type));
            return infer_fail(I, in, "%s does not support %s", op_label(I, in), sb.data);
        }
        ops[i] = operand_of(operands[i]);
        if (is_array(operands[i]) && t->ndim > ndim)
            ndim = t->ndim;
    }
    in->ufunc = u;
    const Type *out;
    if (u == UF_ASTYPE) {
        out = in->optype; // the caller set the target
    } else {
        const char *why;
        const Type *loop_in = NULL;
        out = fe_ufunc_resolve(I->tt, I->b->arena, u, ops, n, &loop_in, &why);
        if (!out)
            return infer_fail(I, in, "%s: %s", op_label(I, in), why);
        in->optype = loop_in;
    }
    in->resolved = RES_ELEMENTWISE;
    in->dest = dest;
    if (!dest)
        return ty_array(I->tt, out, ndim, 'C');
    // In place (a += b, out=c): numpy casts the loop's result into dest by
    // its 'same_kind' rule, and never broadcasts dest itself.
    const Type *dt = dest->type;
    if (dt->kind != TY_ARRAY)
        return infer_fail(I, in, "%s: out must be an array, not %s", op_label(I, in), infer_tystr(I, dt));
    if (!fe_can_cast_same_kind(out, dt->dtype))
        return infer_fail(I, in, "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule "
                                 "'same_kind'",
                          fe_ufunc_name(u), fe_np_dtype_name(out), fe_np_dtype_name(dt->dtype));
    if (ndim > dt->ndim)
        return infer_fail(I, in, "non-broadcastable output operand: the result has %d dimensions, but %s has %d",
                          ndim, infer_tystr(I, dt), dt->ndim);
    return dt;
}

/* ---- operators ------------------------------------------------------------ */

static FeUfunc binary_ufunc(int op) {
    switch (op % FE_NB_INPLACE) {
    case NB_ADD: return UF_ADD;
    case NB_SUBTRACT: return UF_SUBTRACT;
    case NB_MULTIPLY: return UF_MULTIPLY;
    case NB_TRUE_DIVIDE: return UF_TRUE_DIVIDE;
    case NB_FLOOR_DIVIDE: return UF_FLOOR_DIVIDE;
    case NB_REMAINDER: return UF_REMAINDER;
    case NB_POWER: return UF_POWER;
    case NB_LSHIFT: return UF_LEFT_SHIFT;
    case NB_RSHIFT: return UF_RIGHT_SHIFT;
    case NB_AND: return UF_BITWISE_AND;
    case NB_OR: return UF_BITWISE_OR;
    case NB_XOR: return UF_BITWISE_XOR;
    default: return UF_NONE;
    }
}

const Type *infer_array_binary(Infer *I, Instr *in) {
    FeUfunc u = binary_ufunc(in->sub);
    if (u == UF_NONE)
        return infer_fail(I, in, "'%s' on arrays is not supported yet", fe_binary_op_str(in->sub));
    // `a += b` writes into a when a is an array; `s += a` for a number s
    // rebinds s to a new array, as in Python.
    bool inplace = in->sub >= FE_NB_INPLACE && is_array(in->args[0]);
    return infer_elementwise(I, in, u, in->args, 2, inplace ? in->args[0] : NULL);
}

const Type *infer_array_unary(Infer *I, Instr *in) {
    FeUfunc u = in->sub == UN_NEG ? UF_NEGATIVE : in->sub == UN_POS ? UF_POSITIVE : UF_INVERT;
    return infer_elementwise(I, in, u, in->args, 1, NULL);
}

const Type *infer_array_compare(Infer *I, Instr *in) {
    static const FeUfunc by_op[] = {UF_LESS, UF_LESS_EQUAL, UF_EQUAL, UF_NOT_EQUAL, UF_GREATER, UF_GREATER_EQUAL};
    if (in->sub > CMP_GE)
        return infer_fail(I, in, "'%s' is not supported for arrays", fe_compare_op_str(in->sub));
    const Instr *a = in->args[0], *b = in->args[1];
    const Type *da = is_array(a) ? a->type->dtype : a->type, *db = is_array(b) ? b->type->dtype : b->type;
    bool ordering = in->sub != CMP_EQ && in->sub != CMP_NE;
    if (ordering && (da->kind == TY_COMPLEX || db->kind == TY_COMPLEX))
        return infer_fail(I, in, "ordering complex numbers ('%s') is not supported", fe_compare_op_str(in->sub));
    return infer_elementwise(I, in, by_op[in->sub], in->args, 2, NULL);
}

/* ---- calls ---------------------------------------------------------------- */

/* Whether numpy's loop for u works on complex numbers in pyaot. */
static bool complex_supported(FeUfunc u) {
    switch (u) {
    case UF_ADD: case UF_SUBTRACT: case UF_MULTIPLY: case UF_TRUE_DIVIDE: case UF_POWER: case UF_EQUAL:
    case UF_NOT_EQUAL: case UF_NEGATIVE: case UF_POSITIVE: case UF_ABSOLUTE: case UF_SQUARE: case UF_CONJUGATE:
    case UF_WHERE: case UF_IS_CLASS: case UF_ASTYPE: case UF_LOGICAL_AND: case UF_LOGICAL_OR:
    case UF_LOGICAL_XOR: case UF_LOGICAL_NOT:
        return true;
    default:
        return false;
    }
}

const Type *infer_ufunc_call(Infer *I, Instr *call, Builtin b) {
    FeUfunc u = fe_builtin_ufunc(b);
    call->builtin = b;
    const char *label = op_label(I, call);
    static const char *const one[] = {"x", "out"}, *const two[] = {"x1", "x2", "out"};
    static const char *const where[] = {"condition", "x", "y"}, *const clip[] = {"a", "a_min", "a_max", "out"};
    const char *const *names = u == UF_WHERE ? where : u == UF_CLIP ? clip : fe_ufunc_nin(u) == 1 ? one : two;
    int nin = u == UF_WHERE ? 3 : fe_ufunc_nin(u);
    bool has_out = u != UF_WHERE;
    if (!infer_bind(I, call, label, names, nin + has_out, nin))
        return NULL;
    Instr *operands[3];
    for (int i = 0; i < nin; i++)
        operands[i] = infer_param(call, i);
    Instr *out = has_out ? infer_param(call, nin) : NULL;
    if (out && out->type->kind == TY_NONE)
        out = NULL;
    if (!infer_any_array(operands, nin) && !out)
        return infer_fail(I, call, "%s() of numbers is not supported: it needs an array", label);
    const Type *r;
    if (u == UF_WHERE) {
        // The condition broadcasts with x and y but takes no part in the type.
        const Type *c = operands[0]->type;
        if (!ty_is_number(c->kind == TY_ARRAY ? c->dtype : c))
            return infer_fail(I, call, "np.where() condition must be numbers or an array of them, not %s",
                              infer_tystr(I, c));
        r = infer_elementwise(I, call, u, operands + 1, 2, NULL);
        if (r && c->kind == TY_ARRAY && c->ndim > r->ndim)
            r = ty_array(I->tt, r->dtype, c->ndim, 'C');
    } else {
        r = infer_elementwise(I, call, u, operands, nin, out);
    }
    if (r && call->optype && call->optype->kind == TY_COMPLEX && !complex_supported(u))
        return infer_fail(I, call, "%s of complex numbers is not supported", label);
    if (r && u == UF_FLOAT_FN && call->optype->kind == TY_COMPLEX)
        return infer_fail(I, call, "%s of complex numbers is not supported", label);
    return r;
}

const Type *infer_astype(Infer *I, Instr *call, Instr *recv) {
    static const char *const names[] = {"dtype"};
    if (!infer_bind(I, call, "astype", names, 1, 1))
        return NULL;
    const Type *dt = infer_dtype_of(I, infer_param(call, 0));
    if (!dt)
        return infer_fail(I, call, "astype() needs a numpy scalar type such as np.float32, not %s",
                          infer_tystr(I, infer_param(call, 0)->type));
    call->builtin = B_ARR_ASTYPE;
    call->optype = dt;
    return infer_elementwise(I, call, UF_ASTYPE, &recv, 1, NULL);
}
