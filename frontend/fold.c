/* Values known at compile time, and the branches they decide.
 *
 * Inference folds comparisons, truth tests, `not` and integer arithmetic of
 * constants (`a.ndim == 1`, `axis is None`, `n - 1` of a constant n) into
 * constants (RES_CONST_VALUE). A branch on a constant takes one way only:
 * inference never types the other (code for another type of argument may
 * not type at all there), and fe_prune removes it once types are settled.
 * That is what lets one Python function serve several argument types:
 *
 *     if axis is None:
 *         return a.sum()
 *     ...   # typed only when axis is an int */
#include "infer.h"

#include <math.h>

const FeConst *infer_const_of(const Instr *v) {
    if (v->op == OP_CONST)
        return v->cst;
    // A call still runs (it may raise), but its value is known.
    if (v->op == OP_CALL && v->resolved == RES_USER_CALL && v->callee && v->callee->typed)
        return v->callee->ret_const;
    if (v->op == OP_GLOBAL && v->global->kind == FE_GLOBAL_CONST)
        return v->global->value;
    if (v->resolved == RES_CONST_VALUE && v->cst)
        return v->cst;
    return NULL;
}

static FeConst *new_const(Infer *I, FeConstKind kind) {
    FeConst *c = ARENA_NEW(I->b->arena, FeConst);
    c->kind = kind;
    return c;
}

static void fold_to(Instr *in, FeConst *c) {
    in->resolved = RES_CONST_VALUE;
    in->cst = c;
}

static bool is_real_const(const FeConst *c) {
    return c && (c->kind == FE_CONST_BOOL || c->kind == FE_CONST_INT || c->kind == FE_CONST_FLOAT);
}

static double real_value(const FeConst *c) {
    return c->kind == FE_CONST_FLOAT ? c->f : (double)c->i;
}

/* Python's truth of a constant; false when it has none known. */
static bool const_truth(const Instr *v, bool *out) {
    const Type *t = v->type;
    if (t->kind == TY_NONE) {
        *out = false;
        return true;
    }
    if (t->kind == TY_TUPLE) { // its length is its type's
        *out = t->nfields > 0;
        return true;
    }
    const FeConst *c = infer_const_of(v);
    if (!c)
        return false;
    switch (c->kind) {
    case FE_CONST_BOOL: case FE_CONST_INT: *out = c->i != 0; return true;
    case FE_CONST_UINT: *out = c->u != 0; return true;
    case FE_CONST_FLOAT: *out = c->f != 0; return true;
    case FE_CONST_COMPLEX: *out = c->f != 0 || c->imag != 0; return true;
    default: return false;
    }
}

static void fold_bool(Infer *I, Instr *in, bool value) {
    FeConst *c = new_const(I, FE_CONST_BOOL);
    c->i = value;
    fold_to(in, c);
}

static void fold_compare(Infer *I, Instr *in) {
    const FeConst *a = infer_const_of(in->args[0]), *b = infer_const_of(in->args[1]);
    if (in->sub > CMP_GE || !is_real_const(a) || !is_real_const(b))
        return;
    bool ints = a->kind != FE_CONST_FLOAT && b->kind != FE_CONST_FLOAT;
    int order; // -1, 0, 1, or 2 for unordered (NaN)
    if (ints)
        order = a->i < b->i ? -1 : a->i > b->i;
    else {
        double x = real_value(a), y = real_value(b);
        order = isnan(x) || isnan(y) ? 2 : x < y ? -1 : x > y;
    }
    bool r;
    switch (in->sub) {
    case CMP_LT: r = order == -1; break;
    case CMP_LE: r = order == -1 || order == 0; break;
    case CMP_EQ: r = order == 0; break;
    case CMP_NE: r = order != 0; break;
    case CMP_GT: r = order == 1; break;
    default: r = order == 1 || order == 0; break; // CMP_GE
    }
    fold_bool(I, in, r);
}

/* Integer + - * // % of constants, with Python's signs, wrapping at 64
 * bits as compiled code does; a zero divisor is left to run time. */
static void fold_integer_arith(Infer *I, Instr *in) {
    const FeConst *a = infer_const_of(in->args[0]), *b = infer_const_of(in->args[1]);
    if (!a || !b || a->kind != FE_CONST_INT || b->kind != FE_CONST_INT || in->type->kind != TY_INT ||
        in->type->bits != 64 || !in->type->is_signed)
        return;
    uint64_t x = (uint64_t)a->i, y = (uint64_t)b->i;
    int64_t r;
    switch (in->sub % FE_NB_INPLACE) {
    case NB_ADD: r = (int64_t)(x + y); break;
    case NB_SUBTRACT: r = (int64_t)(x - y); break;
    case NB_MULTIPLY: r = (int64_t)(x * y); break;
    case NB_FLOOR_DIVIDE: case NB_REMAINDER: {
        if (b->i == 0 || (b->i == -1 && a->i == INT64_MIN))
            return;
        int64_t q = a->i / b->i, m = a->i % b->i;
        if (m != 0 && ((m < 0) != (b->i < 0))) {
            q -= 1;
            m += b->i;
        }
        r = in->sub % FE_NB_INPLACE == NB_FLOOR_DIVIDE ? q : m;
        break;
    }
    default:
        return;
    }
    FeConst *c = new_const(I, FE_CONST_INT);
    c->i = r;
    fold_to(in, c);
}

void infer_fold(Infer *I, Instr *in) {
    bool truth;
    switch (in->op) {
    case OP_TRUTH:
        if (const_truth(in->args[0], &truth))
            fold_bool(I, in, truth);
        return;
    case OP_UNARY: {
        if (in->sub == UN_NOT && const_truth(in->args[0], &truth)) {
            fold_bool(I, in, !truth);
            return;
        }
        const FeConst *c = infer_const_of(in->args[0]);
        if (in->sub != UN_NOT && c && c->kind == FE_CONST_INT && in->type->kind == TY_INT && in->type->bits == 64) {
            FeConst *r = new_const(I, FE_CONST_INT);
            uint64_t x = (uint64_t)c->i;
            r->i = in->sub == UN_NEG ? (int64_t)(0 - x) : in->sub == UN_INVERT ? (int64_t)~x : c->i;
            fold_to(in, r);
        }
        return;
    }
    case OP_COMPARE:
        if (in->resolved != RES_CONST_VALUE)
            fold_compare(I, in);
        return;
    case OP_BINARY:
        if (in->resolved != RES_ELEMENTWISE)
            fold_integer_arith(I, in);
        return;
    default:
        return;
    }
}

int infer_branch_taken(const Instr *t) {
    if (t->op != OP_BRANCH)
        return -1;
    const FeConst *c = infer_const_of(t->args[0]);
    if (!c || c->kind != FE_CONST_BOOL)
        return -1;
    return c->i ? 0 : 1;
}

/* ---- pruning ------------------------------------------------------------- */

static void drop_pred(Block *b, const Block *p) {
    int kept = 0;
    for (int i = 0; i < b->preds.len; i++)
        if (b->preds.data[i] != p)
            b->preds.data[kept++] = b->preds.data[i];
    b->preds.len = kept;
}

void fe_prune(Func *f, const bool *live) {
    // A branch decided at compile time becomes a jump.
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        Instr *t = ir_terminator(b);
        int taken = live[b->id] && t ? infer_branch_taken(t) : -1;
        if (taken < 0)
            continue;
        Block *dead = t->succ[1 - taken].to;
        if (dead != t->succ[taken].to)
            drop_pred(dead, b);
        t->succ[0] = t->succ[taken];
        t->nsucc = 1;
        t->op = OP_JUMP;
        t->nargs = 0;
    }
    // Blocks no live one reaches go, and the rest are numbered afresh.
    int kept = 0;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        if (!live[b->id]) {
            for (int k = 0; k < f->blocks.len; k++)
                drop_pred(f->blocks.data[k], b);
            continue;
        }
        f->blocks.data[kept++] = b;
    }
    f->blocks.len = kept;
    for (int bi = 0; bi < kept; bi++)
        f->blocks.data[bi]->id = bi;
}

void fe_find_return_constant(Func *f) {
    const FeConst *found = NULL;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Instr *t = ir_terminator(f->blocks.data[bi]);
        if (!t || t->op != OP_RETURN)
            continue;
        const FeConst *c = infer_const_of(t->args[0]);
        if (!c || (c->kind != FE_CONST_INT && c->kind != FE_CONST_BOOL) ||
            (found && (found->kind != c->kind || found->i != c->i)))
            return;
        found = c;
    }
    f->ret_const = found;
}
