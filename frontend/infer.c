/* Type inference: a fixed point over the function's SSA form.
 *
 * Every value starts unknown (the bottom of the lattice); each pass types
 * the instructions from their operands and widens block parameters to the
 * unification of what their edges bring (int64 meeting float64 gives
 * float64, as in Numba). Types only grow, so this ends. Errors are held back
 * until a last pass over the converged types, which also records how each
 * operation is resolved for lower/. */
#include "infer.h"

#include <string.h>

const Type *infer_fail(Infer *I, const Instr *in, const char *fmt, ...) {
    if (!I->final)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    diag_errorv(I->b->diag, in->pos, fmt, ap);
}

const char *infer_tystr(Infer *I, const Type *t) {
    return ty_str(I->b->arena, t);
}

bool infer_waiting(const Instr *in) {
    for (int i = 0; i < in->nargs; i++)
        if (in->args[i]->type->kind == TY_UNKNOWN)
            return true;
    return false;
}

static const char *binary_verb(int op) {
    switch (op % FE_NB_INPLACE) {
    case NB_ADD: return "add";
    case NB_SUBTRACT: return "subtract";
    case NB_MULTIPLY: return "multiply";
    case NB_TRUE_DIVIDE: return "divide";
    case NB_FLOOR_DIVIDE: return "floor-divide";
    case NB_REMAINDER: return "take the remainder of";
    case NB_POWER: return "raise to a power";
    case NB_LSHIFT: case NB_RSHIFT: return "shift";
    case NB_AND: return "bitwise-and";
    case NB_OR: return "bitwise-or";
    case NB_XOR: return "bitwise-xor";
    case NB_MATRIX_MULTIPLY: return "matrix-multiply";
    }
    return "combine";
}

static const Type *binary_fail(Infer *I, Instr *in, const Type *a, const Type *b) {
    return infer_fail(I, in, "cannot %s %s and %s", binary_verb(in->sub), infer_tystr(I, a),
                      infer_tystr(I, b));
}

/* Tuples: `+` concatenates. Their length is part of their type, so a
 * recursive function that returns a longer tuple at each level would grow
 * it forever: long tuples are refused. */
enum { MAX_TUPLE_ITEMS = 1024 };
static const Type *tuple_concat(Infer *I, Instr *in, const Type *a, const Type *b) {
    int n = a->nfields + b->nfields;
    if (n > MAX_TUPLE_ITEMS)
        return infer_fail(I, in, "a tuple of more than %d items (does a recursive function make its "
                                 "result longer at each call?)", MAX_TUPLE_ITEMS);
    const Type **fields = ARENA_ARRAY(I->b->arena, const Type *, n > 0 ? n : 1);
    mem_copy(fields, a->fields, sizeof(Type *) * (size_t)a->nfields);
    mem_copy(fields + a->nfields, b->fields, sizeof(Type *) * (size_t)b->nfields);
    return ty_tuple(I->tt, fields, n);
}

static const Type *type_binary(Infer *I, Instr *in) {
    const Type *a = in->args[0]->type, *b = in->args[1]->type;
    int op = in->sub % FE_NB_INPLACE;
    if (a->kind == TY_LIST || b->kind == TY_LIST)
        return infer_list_binary(I, in);
    if (a->kind == TY_SET || b->kind == TY_SET)
        return infer_set_binary(I, in);
    if (a->kind == TY_TUPLE && b->kind == TY_TUPLE && op == NB_ADD) {
        in->optype = NULL;
        return tuple_concat(I, in, a, b);
    }
    if (a->kind == TY_ARRAY || b->kind == TY_ARRAY) {
        const Type *da = a->kind == TY_ARRAY ? a->dtype : a, *db = b->kind == TY_ARRAY ? b->dtype : b;
        if (!ty_is_number(da) || !ty_is_number(db))
            return binary_fail(I, in, a, b);
        return infer_array_binary(I, in);
    }
    if (!ty_is_number(a) || !ty_is_number(b))
        return binary_fail(I, in, a, b);
    bool ints = ty_is_integer(a) && ty_is_integer(b);
    bool complex = a->kind == TY_COMPLEX || b->kind == TY_COMPLEX;
    const Type *result;
    switch (op) {
    case NB_ADD: case NB_SUBTRACT: case NB_MULTIPLY:
        result = ty_promote(I->tt, a, b);
        in->optype = result;
        return result;
    case NB_FLOOR_DIVIDE: case NB_REMAINDER:
        if (complex)
            return infer_fail(I, in, "cannot %s complex numbers", binary_verb(in->sub));
        result = ty_promote(I->tt, a, b);
        in->optype = result;
        return result;
    case NB_TRUE_DIVIDE:
        result = ints ? ty_float64(I->tt) : ty_unify(I->tt, a, b);
        in->optype = result;
        return result;
    case NB_POWER:
        if (ints) {
            result = ty_arith_int(I->tt, a, b);
            in->optype = result;
            return result;
        }
        // float ** int keeps the float's type (Numba); otherwise unify.
        result = (a->kind == TY_FLOAT && ty_is_integer(b)) ? a : ty_unify(I->tt, a, b);
        in->optype = result;
        return result;
    case NB_LSHIFT: case NB_RSHIFT:
        if (!ints)
            return binary_fail(I, in, a, b);
        // Only the left operand's signedness matters (Numba).
        result = ty_int(I->tt, 64, a->kind == TY_BOOL || a->is_signed);
        in->optype = result;
        return result;
    case NB_AND: case NB_OR: case NB_XOR:
        if (!ints)
            return binary_fail(I, in, a, b);
        result = (a->kind == TY_BOOL && b->kind == TY_BOOL) ? a : ty_arith_int(I->tt, a, b);
        in->optype = result;
        return result;
    default:
        return binary_fail(I, in, a, b);
    }
}

static const Type *type_unary(Infer *I, Instr *in) {
    const Type *t = in->args[0]->type;
    if (in->sub == UN_NOT) {
        if (!ty_is_number(t) && t->kind != TY_NONE && t->kind != TY_TUPLE && t->kind != TY_LIST &&
            t->kind != TY_DICT && t->kind != TY_SET)
            return infer_fail(I, in, "`not` needs a number, bool or None, not %s", infer_tystr(I, t));
        in->optype = t;
        return ty_bool(I->tt);
    }
    if (t->kind == TY_ARRAY)
        return infer_array_unary(I, in);
    if (!ty_is_number(t))
        return infer_fail(I, in, "bad operand type for unary %s: %s", fe_unary_op_str(in->sub),
                          infer_tystr(I, t));
    const Type *result;
    if (ty_is_integer(t))
        result = ty_int(I->tt, 64, t->kind == TY_BOOL || t->is_signed);
    else if (in->sub == UN_INVERT)
        return infer_fail(I, in, "bad operand type for unary ~: %s", infer_tystr(I, t));
    else
        result = t;
    in->optype = result;
    return result;
}

static bool is_none(const Type *t) { return t->kind == TY_NONE; }

static const Type *type_compare(Infer *I, Instr *in) {
    const Type *a = in->args[0]->type, *b = in->args[1]->type;
    const Type *boolean = ty_bool(I->tt);
    switch (in->sub) {
    case CMP_IS: case CMP_IS_NOT:
        // Only `x is None` has a meaning for values without identity; when one
        // side is None the answer is known from the types.
        if (!is_none(a) && !is_none(b))
            return infer_fail(I, in, "`is` is only supported against None (compare %s with ==)",
                              infer_tystr(I, a));
        in->resolved = RES_CONST_VALUE;
        in->cst = ARENA_NEW(I->b->arena, FeConst);
        in->cst->kind = FE_CONST_BOOL;
        in->cst->i = (is_none(a) && is_none(b)) == (in->sub == CMP_IS);
        return boolean;
    case CMP_IN: case CMP_NOT_IN:
        if (b->kind == TY_LIST)
            return infer_list_compare(I, in);
        if (b->kind == TY_DICT || b->kind == TY_SET || b->kind == TY_DICT_VIEW)
            return infer_dict_contains(I, in);
        if (b->kind == TY_TUPLE) {
            for (int i = 0; i < b->nfields; i++)
                if (!ty_is_number(b->fields[i]) || !ty_is_number(a))
                    return infer_fail(I, in, "`in` on a tuple needs numbers, not %s in %s",
                                      infer_tystr(I, a), infer_tystr(I, b));
            in->optype = a;
            return boolean;
        }
        return infer_fail(I, in, "`in` is not supported for %s in %s", infer_tystr(I, a),
                          infer_tystr(I, b));
    default:
        break;
    }
    if (a->kind == TY_ARRAY || b->kind == TY_ARRAY)
        return infer_array_compare(I, in);
    if (a->kind == TY_LIST || b->kind == TY_LIST)
        return infer_list_compare(I, in);
    if (a->kind == TY_DICT || a->kind == TY_SET || b->kind == TY_DICT || b->kind == TY_SET)
        return infer_dict_equal(I, in);
    // Known at compile time: strings, and dtypes (a.dtype == np.float32).
    if ((in->sub == CMP_EQ || in->sub == CMP_NE) &&
        ((a->kind == TY_STR && b->kind == TY_STR) || (infer_dtype_of(I, in->args[0]) && infer_dtype_of(I, in->args[1])))) {
        bool same = a->kind == TY_STR ? strcmp(a->name, b->name) == 0
                                      : infer_dtype_of(I, in->args[0]) == infer_dtype_of(I, in->args[1]);
        in->resolved = RES_CONST_VALUE;
        in->cst = ARENA_NEW(I->b->arena, FeConst);
        in->cst->kind = FE_CONST_BOOL;
        in->cst->i = same == (in->sub == CMP_EQ);
        return boolean;
    }
    if (ty_is_number(a) && ty_is_number(b)) {
        bool ordering = in->sub != CMP_EQ && in->sub != CMP_NE;
        if (ordering && (a->kind == TY_COMPLEX || b->kind == TY_COMPLEX))
            return infer_fail(I, in, "complex numbers have no ordering ('%s')", fe_compare_op_str(in->sub));
        in->optype = ty_unify(I->tt, a, b);
        return boolean;
    }
    if (is_none(a) || is_none(b)) {
        if (in->sub == CMP_EQ || in->sub == CMP_NE) {
            in->resolved = RES_CONST_VALUE;
            in->cst = ARENA_NEW(I->b->arena, FeConst);
            in->cst->kind = FE_CONST_BOOL;
            in->cst->i = (is_none(a) && is_none(b)) == (in->sub == CMP_EQ);
            return boolean;
        }
    }
    // a.dtype == np.float32: dtypes are known at compile time.
    const Type *da = a->kind == TY_STR && b->kind == TY_STR ? NULL : infer_dtype_of(I, in->args[0]);
    const Type *db = da ? infer_dtype_of(I, in->args[1]) : NULL;
    if (da && db && (in->sub == CMP_EQ || in->sub == CMP_NE)) {
        in->resolved = RES_CONST_VALUE;
        in->cst = ARENA_NEW(I->b->arena, FeConst);
        in->cst->kind = FE_CONST_BOOL;
        in->cst->i = (da == db) == (in->sub == CMP_EQ);
        return boolean;
    }
    if (a->kind == TY_TUPLE && b->kind == TY_TUPLE && (in->sub == CMP_EQ || in->sub == CMP_NE) &&
        a->nfields == b->nfields) {
        for (int i = 0; i < a->nfields; i++)
            if (!ty_is_number(a->fields[i]) || !ty_is_number(b->fields[i]))
                return infer_fail(I, in, "cannot compare %s and %s", infer_tystr(I, a), infer_tystr(I, b));
        in->optype = NULL;
        return boolean;
    }
    return infer_fail(I, in, "cannot compare %s and %s with '%s'", infer_tystr(I, a), infer_tystr(I, b),
                      fe_compare_op_str(in->sub));
}

static const Type *type_truth(Infer *I, Instr *in) {
    const Type *t = in->args[0]->type;
    if (ty_is_number(t) || t->kind == TY_NONE || t->kind == TY_TUPLE || t->kind == TY_LIST || t->kind == TY_DICT ||
        t->kind == TY_SET)
        return ty_bool(I->tt);
    if (t->kind == TY_ARRAY)
        return infer_fail(I, in, "the truth value of an array with more than one element is ambiguous: "
                                 "test len(a) > 0 or the elements");
    return infer_fail(I, in, "%s cannot be used as a condition", infer_tystr(I, t));
}

static const Type *type_build_slice(Infer *I, Instr *in) {
    for (int i = 0; i < in->nargs; i++) {
        const Type *t = in->args[i]->type;
        if (!ty_is_integer(t) && t->kind != TY_NONE)
            return infer_fail(I, in, "slice indices must be integers or None, not %s", infer_tystr(I, t));
    }
    return ty_simple(I->tt, TY_SLICE);
}

static bool const_int(const Instr *v, int64_t *out) {
    const FeConst *c = infer_const_of(v);
    if (c && (c->kind == FE_CONST_INT || c->kind == FE_CONST_BOOL)) {
        *out = c->i;
        return true;
    }
    return false;
}

static const Type *type_getitem(Infer *I, Instr *in) {
    const Type *obj = in->args[0]->type, *idx = in->args[1]->type;
    if (obj->kind == TY_ARRAY)
        return infer_array_getitem(I, in);
    if (obj->kind == TY_LIST)
        return infer_list_getitem(I, in);
    if (obj->kind == TY_DICT || obj->kind == TY_SET)
        return infer_dict_getitem(I, in);
    if (obj->kind == TY_TUPLE) {
        int64_t k;
        if (const_int(in->args[1], &k)) {
            if (k < 0)
                k += obj->nfields;
            if (k < 0 || k >= obj->nfields)
                return infer_fail(I, in, "tuple index out of range: %s has %d items", infer_tystr(I, obj),
                                  obj->nfields);
            in->sub = (int)k;
            in->resolved = RES_CONST_VALUE; // a constant field index
            return obj->fields[k];
        }
        if (ty_is_integer(idx) && obj->nfields > 0) {
            const Type *item = ty_tuple_item(I->tt, obj);
            if (!item)
                return infer_fail(I, in, "indexing %s needs a constant index (its items differ in type)",
                                  infer_tystr(I, obj));
            in->sub = -1;
            return item;
        }
        return infer_fail(I, in, "cannot index %s with %s", infer_tystr(I, obj), infer_tystr(I, idx));
    }
    return infer_fail(I, in, "%s is not subscriptable", infer_tystr(I, obj));
}

static const Type *type_setitem(Infer *I, Instr *in) {
    const Type *obj = in->args[0]->type;
    if (obj->kind == TY_LIST)
        return infer_list_setitem(I, in);
    if (obj->kind == TY_DICT || obj->kind == TY_SET)
        return infer_dict_setitem(I, in);
    if (obj->kind == TY_TUPLE)
        return infer_fail(I, in, "tuples are immutable: cannot assign to an item");
    if (obj->kind != TY_ARRAY)
        return infer_fail(I, in, "%s does not support item assignment", infer_tystr(I, obj));
    return infer_array_setitem(I, in);
}

static const Type *type_tuple_get(Infer *I, Instr *in) {
    const Type *t = in->args[0]->type;
    int expected = in->nkw;
    if (t->kind != TY_TUPLE)
        return infer_fail(I, in, "cannot unpack %s: only tuples can be unpacked", infer_tystr(I, t));
    if (t->nfields != expected)
        return infer_fail(I, in, "cannot unpack %s into %d variables", infer_tystr(I, t), expected);
    return t->fields[in->sub];
}

static const Type *type_get_iter(Infer *I, Instr *in) {
    const Type *t = in->args[0]->type;
    if (!infer_iter_elem(I, t))
        return infer_fail(I, in, "%s is not iterable", infer_tystr(I, t));
    return ty_wrap(I->tt, TY_ITER, t);
}

static const Type *type_raise(Infer *I, Instr *in) {
    const Instr *exc = in->args[0];
    if (exc->type->kind != TY_EXC_CLASS)
        return infer_fail(I, in, "can only raise builtin exception classes (ValueError(\"...\")), not %s",
                          infer_tystr(I, exc->type));
    return ty_none(I->tt);
}

static const Type *type_instr(Infer *I, Instr *in) {
    switch (in->op) {
    case OP_CONST: return infer_const_type(I, in, in->cst);
    case OP_ARG:
        if (I->f->arg_consts && I->f->arg_consts[in->sub]) { // a library function's constant argument
            in->resolved = RES_CONST_VALUE;
            in->cst = (FeConst *)I->f->arg_consts[in->sub];
        }
        return I->f->argtypes[in->sub];
    case OP_PARAM: return in->type; // set from the edges
    case OP_UNDEF: return ty_simple(I->tt, TY_UNKNOWN);
    case OP_NULL_MARK: return ty_simple(I->tt, TY_NULL);
    case OP_GLOBAL: return infer_global(I, in);
    default: break;
    }
    if (infer_waiting(in)) {
        if (I->final)
            return infer_fail(I, in, "cannot determine the type of this expression "
                                     "(a variable is only ever assigned from itself?)");
        return NULL;
    }
    switch (in->op) {
    case OP_UNARY: return type_unary(I, in);
    case OP_BINARY: return type_binary(I, in);
    case OP_COMPARE: return type_compare(I, in);
    case OP_TRUTH: return type_truth(I, in);
    case OP_CONVERT: return in->type;
    case OP_GETATTR: return infer_getattr(I, in);
    case OP_CALL: return infer_call(I, in);
    case OP_GETITEM: return type_getitem(I, in);
    case OP_SETITEM: return type_setitem(I, in);
    case OP_BUILD_TUPLE: {
        const Type **fields = ARENA_ARRAY(I->b->arena, const Type *, in->nargs > 0 ? in->nargs : 1);
        for (int i = 0; i < in->nargs; i++)
            fields[i] = in->args[i]->type;
        return ty_tuple(I->tt, fields, in->nargs);
    }
    case OP_BUILD_LIST: return infer_build_list(I, in);
    case OP_BUILD_DICT: case OP_BUILD_SET: return infer_build_dict(I, in);
    case OP_MAKE_FUNCTION: {
        const Type **fields = ARENA_ARRAY(I->b->arena, const Type *, in->nargs + 1);
        for (int i = 0; i < in->nargs; i++) {
            fields[i] = in->args[i]->type;
            if (!ty_is_runtime(fields[i]) && fields[i]->kind != TY_FUNCTION)
                return infer_fail(I, in, "a nested function cannot capture %s", infer_tystr(I, fields[i]));
        }
        return ty_intern(I->tt, &(Type){.kind = TY_FUNCTION, .func = in->global->func, .fields = fields,
                                        .nfields = in->nargs});
    }
    case OP_TUPLE_GET: return type_tuple_get(I, in);
    case OP_BUILD_SLICE: return type_build_slice(I, in);
    case OP_GET_ITER: return type_get_iter(I, in);
    case OP_ITER_VALUE: {
        const Type *it = in->args[0]->type;
        if (it->kind != TY_ITER)
            return infer_fail(I, in, "internal: ITER_VALUE of %s", infer_tystr(I, it));
        return infer_iter_elem(I, it->iterable);
    }
    case OP_RAISE: return type_raise(I, in);
    case OP_RETURN:
        return ty_none(I->tt);
    case OP_JUMP: case OP_BRANCH: case OP_FOR_ITER:
        return ty_none(I->tt);
    default:
        diag_internal(I->b->diag, "no typing rule for op %d", in->op);
    }
}

static const char *param_label(Arena *a, const Instr *p) {
    return p->name ? arena_printf(a, "variable '%s'", p->name) : "a value";
}

/* Widens the parameters of each edge's target and marks it live (an edge
 * a constant condition never takes is not); returns true on a change. */
static bool flow_edges(Infer *I, Instr *t) {
    bool changed = false;
    // Which way a branch goes may be known once its condition is typed.
    if (t->op == OP_BRANCH && t->args[0]->type->kind == TY_UNKNOWN)
        return false;
    int taken = infer_branch_taken(t);
    for (int e = 0; e < t->nsucc; e++) {
        Edge *ed = &t->succ[e];
        if (taken >= 0 && e != taken)
            continue;
        if (!I->live[ed->to->id]) {
            I->live[ed->to->id] = true;
            changed = true;
        }
        for (int k = 0; k < ed->nargs; k++) {
            Instr *p = ed->to->params.data[k];
            const Type *in_type = ed->args[k]->type;
            const Type *u = ty_unify(I->tt, p->type, in_type);
            if (!u) {
                if (I->final && in_type->kind == TY_FUNCTION && p->type->kind == TY_FUNCTION)
                    diag_error(I->b->diag, ed->args[k]->pos,
                               "%s is %s here but %s elsewhere: choosing between functions at run time is not "
                               "supported (call each where it is chosen)",
                               param_label(I->b->arena, p), infer_tystr(I, in_type), infer_tystr(I, p->type));
                if (I->final)
                    diag_error(I->b->diag, ed->args[k]->pos,
                               "%s is %s here but %s elsewhere: a variable must keep one type",
                               param_label(I->b->arena, p), infer_tystr(I, in_type),
                               infer_tystr(I, p->type));
                continue;
            }
            if (u != p->type) {
                p->type = u;
                changed = true;
            }
        }
    }
    return changed;
}

/* The return type so far: what the returns typed up to now unify to. A
 * recursive call takes it (a base case fixes it, as Numba infers). */
static bool guess_return_type(Infer *I) {
    Func *f = I->f;
    const Type *guess = NULL;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Instr *t = ir_terminator(f->blocks.data[bi]);
        if (!t || t->op != OP_RETURN || !I->live[f->blocks.data[bi]->id] || t->args[0]->type->kind == TY_UNKNOWN)
            continue;
        const Type *u = guess ? ty_unify(I->tt, guess, t->args[0]->type) : t->args[0]->type;
        if (u)
            guess = u;
    }
    if (guess == f->ret_guess)
        return false;
    f->ret_guess = guess;
    return true;
}

static bool infer_pass(Infer *I) {
    bool changed = false;
    I->decided = false;
    Func *f = I->f;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        if (!I->live[b->id])
            continue; // reached by no edge a constant condition leaves open (yet)
        for (int ii = 0; ii < b->instrs.len; ii++) {
            Instr *in = b->instrs.data[ii];
            const Type *t = type_instr(I, in);
            // A callee that failed under a speculative attempt leaves its
            // call untyped: this attempt fails too, and the caller's last
            // pass retries it for real, where the error is reported.
            if (!t && I->final && I->b->speculative)
                diag_error(I->b->diag, in->pos, "a call could not be typed");
            if (!t)
                t = ty_simple(I->tt, TY_UNKNOWN);
            if (t != in->type) {
                if (I->final)
                    diag_internal(I->b->diag, "type inference did not converge at v%d", in->id);
                in->type = t;
                changed = true;
            }
            if (t->kind != TY_UNKNOWN)
                infer_fold(I, in);
        }
        Instr *t = ir_terminator(b);
        if (t && flow_edges(I, t)) {
            if (I->final)
                diag_internal(I->b->diag, "block parameters changed in the last pass");
            changed = true;
        }
    }
    return changed || I->decided;
}

/* Numeric conversions allowed when returning a value declared as another
 * type: widening, int to float, anything to complex. Not float to int, in
 * a tuple's fields either. */
static bool return_convertible(const Type *from, const Type *to) {
    if (from == to)
        return true;
    if (ty_is_number(from) && ty_is_number(to)) {
        if (to->kind == TY_COMPLEX)
            return true;
        if (to->kind == TY_FLOAT)
            return from->kind != TY_COMPLEX;
        if (to->kind == TY_INT)
            return ty_is_integer(from);
        return from->kind == TY_BOOL;
    }
    if (from->kind == TY_TUPLE && to->kind == TY_TUPLE) {
        if (from->nfields != to->nfields)
            return false;
        for (int i = 0; i < from->nfields; i++)
            if (!return_convertible(from->fields[i], to->fields[i]))
                return false;
        return true;
    }
    return ty_can_convert(from, to);
}

static void infer_return_type(Infer *I) {
    Func *f = I->f;
    const Type *ret = NULL;
    const Instr *first = NULL;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Instr *t = ir_terminator(f->blocks.data[bi]);
        if (!t || t->op != OP_RETURN || !I->live[f->blocks.data[bi]->id])
            continue;
        const Type *rt = t->args[0]->type;
        if (!ty_is_runtime(rt))
            diag_error(I->b->diag, t->pos, "cannot return %s from a compiled function", infer_tystr(I, rt));
        if (f->declared_ret) {
            if (!return_convertible(rt, f->declared_ret))
                diag_error(I->b->diag, t->pos,
                           "'%s' returns %s here, but its signature declares %s", f->name,
                           infer_tystr(I, rt), infer_tystr(I, f->declared_ret));
            continue;
        }
        if (!ret) {
            ret = rt;
            first = t;
            continue;
        }
        const Type *u = ty_unify(I->tt, ret, rt);
        if (!u) {
            if (rt->kind == TY_NONE || ret->kind == TY_NONE)
                diag_error(I->b->diag, t->pos,
                           "'%s' returns %s here and %s at line %d: optional (None-or-value) "
                           "results are not supported",
                           f->name, infer_tystr(I, rt), infer_tystr(I, ret), first->pos.line);
            diag_error(I->b->diag, t->pos, "'%s' returns %s here and %s at line %d", f->name,
                       infer_tystr(I, rt), infer_tystr(I, ret), first->pos.line);
        }
        ret = u;
    }
    if (f->declared_ret)
        f->ret = f->declared_ret;
    else
        f->ret = ret ? ret : ty_none(I->tt); // a function that always raises
}

void fe_infer(FeBuild *b, Func *f) {
    Infer I = {.b = b, .f = f, .tt = &b->types};
    I.live = ARENA_ARRAY(b->arena, bool, f->blocks.len + 1);
    I.live[0] = true;
    const Type *unknown = ty_simple(I.tt, TY_UNKNOWN);
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *blk = f->blocks.data[bi];
        for (int k = 0; k < blk->params.len; k++)
            blk->params.data[k]->type = unknown;
        for (int ii = 0; ii < blk->instrs.len; ii++)
            blk->instrs.data[ii]->type = unknown;
    }
    f->inferring = true;
    int passes = 0;
    for (;;) {
        if (!(infer_pass(&I) | guess_return_type(&I))) {
            // Settled: a dict still undecided may be decided by its reads
            // with a default (d.get(k, 0)), but only once no store did.
            if (I.weak_decisions)
                break;
            I.weak_decisions = true;
            continue;
        }
        if (++passes > 10000) { // each pass only widens: this is a cycle, like a growing tuple
            const FeCode *code = f->src->code;
            diag_error(b->diag, (SrcPos){.file = code->filename, .line = code->firstlineno},
                       "the types in '%s' do not settle (does a recursive call return a tuple whose length "
                       "depends on the depth?)", f->name);
        }
    }
    I.final = true;
    infer_pass(&I);
    infer_return_type(&I);
    fe_prune(f, I.live);
    fe_find_return_constant(f);
    fe_compute_writes(f, b->diag);
    f->inferring = false;
    f->typed = true;
}
