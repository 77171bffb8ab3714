/* Element-wise operations on arrays become loops (this pass decides which
 * operations share one).
 *
 * After inference, every operator or numpy function applied item by item to
 * arrays is an instruction resolved RES_ELEMENTWISE. Such an instruction
 * whose only use is another one in the same block, with nothing between
 * them that writes memory, is folded into its user: `a * b + np.sqrt(c)` is
 * one ELEMENTWISE instruction whose leaves are a, b and c and whose
 * expression computes one item, so it runs as one loop that allocates one
 * result and reads each input once. An expression whose only use is an
 * assignment into a view (a[1:-1] = ...) or a reduction ((a * b).sum()) is
 * computed inside that use (`consumer`) and never allocated at all.
 *
 * The expression is made of scalar instructions (BINARY, CALL of a math
 * builtin, ...) typed with numpy's loop types, so lowering an item reuses
 * the scalar code; inside them numpy's error rules hold (lower/). */
#include "frontend.h"

#include <string.h>

typedef struct Fuse {
    FeBuild *b;
    Func *f;
    int *uses;      // by id: how often a value is used
    Instr **user;   // by id: its last user
    bool *shared;   // by id: used by more than one instruction
    int *position;  // by id: its index in its block
    bool *absorbed; // by id: folded into its user's expression
} Fuse;

static bool elementwise(const Instr *in) {
    return in->resolved == RES_ELEMENTWISE;
}

/* The values an element-wise instruction combines, in order. */
static int operands_of(const Instr *in, Instr **out) {
    switch (in->op) {
    case OP_BINARY: case OP_COMPARE:
        out[0] = in->args[0];
        out[1] = in->args[1];
        return 2;
    case OP_UNARY:
        out[0] = in->args[0];
        return 1;
    default: break;
    }
    if (in->args[0]->type->kind == TY_METHOD) { // a.astype(t), a.conj()
        out[0] = in->args[0]->args[0];
        return 1;
    }
    int n = in->ufunc == UF_WHERE ? 3 : fe_ufunc_nin((FeUfunc)in->ufunc);
    for (int i = 0; i < n; i++)
        out[i] = in->args[in->argmap[i]];
    return n;
}

/* Whether `in` writes memory or has effects that evaluation must not be
 * moved past. */
static bool barrier(const Instr *in) {
    switch (in->op) {
    case OP_SETITEM:
        return true;
    case OP_CALL:
        if (in->resolved == RES_USER_CALL)
            return true;
        if (in->resolved == RES_BUILTIN)
            return in->builtin == B_PRINT || in->builtin == B_ARR_FILL;
        return in->resolved == RES_ELEMENTWISE && in->dest;
    case OP_BINARY:
        return in->resolved == RES_ELEMENTWISE && in->dest;
    default:
        return false;
    }
}

/* Nothing between a and b (same block, a first) is a barrier. */
static bool clear_between(Fuse *F, const Instr *a, const Instr *b) {
    if (a->block != b->block || F->position[a->id] >= F->position[b->id])
        return false;
    const Block *blk = a->block;
    for (int i = F->position[a->id] + 1; i < F->position[b->id]; i++)
        if (barrier(blk->instrs.data[i]))
            return false;
    return true;
}

static bool is_operand_of(const Instr *x, const Instr *u) {
    Instr *ops[4];
    int n = operands_of(u, ops);
    for (int i = 0; i < n; i++)
        if (ops[i] == x)
            return true;
    return false;
}

/* x can be computed inside its user's expression: the user is its only one
 * (`d * d` uses d twice, but once per item). */
static bool can_absorb(Fuse *F, const Instr *x) {
    if (!elementwise(x) || x->dest || F->shared[x->id])
        return false;
    const Instr *u = F->user[x->id];
    return u && elementwise(u) && is_operand_of(x, u) && clear_between(F, x, u);
}

/* ---- building an expression ------------------------------------------------ */

typedef struct Builder {
    Fuse *F;
    Instr *root;
    FeExpr *e;
    Vec(Instr *) leaves;
    Instr *callable; // stands for the callee of the expression's CALLs
    Instr **built;   // by id: the item of an operation already in `ops`
} Builder;

static Instr *scalar_new(Builder *B, Op op, int nargs, const Type *type) {
    Instr *i = ir_new(B->F->f, op, B->root->pos, nargs);
    i->type = type;
    vec_push(B->F->f->arena, &B->e->ops, i);
    return i;
}

/* The ELEM standing for the items of leaf v. */
static Instr *leaf(Builder *B, Instr *v) {
    for (int k = 0; k < B->leaves.len; k++)
        if (B->leaves.data[k] == v)
            return B->e->elems.data[k];
    Instr *elem = ir_new(B->F->f, OP_ELEM, v->pos, 0);
    elem->type = v->type->kind == TY_ARRAY ? v->type->dtype : v->type;
    elem->sub = B->leaves.len;
    vec_push(B->F->f->arena, &B->leaves, v);
    vec_push(B->F->f->arena, &B->e->elems, elem);
    return elem;
}

static Instr *builtin_call(Builder *B, Builtin b, Instr **args, int n, const Type *optype, const Type *type) {
    Instr *c = scalar_new(B, OP_CALL, n + 1, type);
    c->args[0] = B->callable;
    c->argmap = ARENA_ARRAY(B->F->f->arena, int, n);
    c->nargmap = n;
    for (int i = 0; i < n; i++) {
        c->args[i + 1] = args[i];
        c->argmap[i] = i + 1;
    }
    c->resolved = RES_BUILTIN;
    c->builtin = b;
    c->optype = optype;
    return c;
}

static Instr *binary(Builder *B, int op, Instr *a, Instr *b, const Type *optype, const Type *type) {
    Instr *i = scalar_new(B, OP_BINARY, 2, type);
    i->sub = op;
    i->args[0] = a;
    i->args[1] = b;
    i->optype = optype;
    return i;
}

static Instr *unary(Builder *B, int op, Instr *a, const Type *optype, const Type *type) {
    Instr *i = scalar_new(B, OP_UNARY, 1, type);
    i->sub = op;
    i->args[0] = a;
    i->optype = optype;
    return i;
}

static Instr *truth(Builder *B, Instr *a) {
    Instr *i = scalar_new(B, OP_TRUTH, 1, ty_bool(&B->F->b->types));
    i->args[0] = a;
    return i;
}

/* The type numpy's loop gives out, from the type it takes in. */
static const Type *loop_out(TypeTable *tt, FeUfunc u, const Type *in) {
    switch (u) {
    case UF_LESS: case UF_LESS_EQUAL: case UF_EQUAL: case UF_NOT_EQUAL: case UF_GREATER: case UF_GREATER_EQUAL:
    case UF_LOGICAL_AND: case UF_LOGICAL_OR: case UF_LOGICAL_XOR: case UF_LOGICAL_NOT: case UF_IS_CLASS:
        return ty_bool(tt);
    case UF_ABSOLUTE:
        return in->kind == TY_COMPLEX ? ty_float(tt, in->bits / 2) : in;
    default:
        return in;
    }
}

static int binary_op_of(FeUfunc u) {
    switch (u) {
    case UF_ADD: return NB_ADD;
    case UF_SUBTRACT: return NB_SUBTRACT;
    case UF_MULTIPLY: return NB_MULTIPLY;
    case UF_TRUE_DIVIDE: return NB_TRUE_DIVIDE;
    case UF_FLOOR_DIVIDE: return NB_FLOOR_DIVIDE;
    case UF_REMAINDER: return NB_REMAINDER;
    case UF_POWER: return NB_POWER;
    case UF_LEFT_SHIFT: return NB_LSHIFT;
    case UF_RIGHT_SHIFT: return NB_RSHIFT;
    case UF_BITWISE_AND: case UF_LOGICAL_AND: return NB_AND;
    case UF_BITWISE_OR: case UF_LOGICAL_OR: return NB_OR;
    case UF_BITWISE_XOR: case UF_LOGICAL_XOR: return NB_XOR;
    default: return -1;
    }
}

/* The scalar instructions computing one item of x from its operands' items. */
static Instr *item_of(Builder *B, Instr *x, Instr **a) {
    TypeTable *tt = &B->F->b->types;
    FeUfunc u = (FeUfunc)x->ufunc;
    const Type *in = x->optype, *out = loop_out(tt, u, in);
    switch (u) {
    case UF_LESS: case UF_LESS_EQUAL: case UF_EQUAL: case UF_NOT_EQUAL: case UF_GREATER: case UF_GREATER_EQUAL: {
        Instr *c = scalar_new(B, OP_COMPARE, 2, out);
        c->sub = CMP_LT + (u - UF_LESS); // grep ORDER UFUNC: the comparisons follow CMP_*'s order
        c->args[0] = a[0];
        c->args[1] = a[1];
        c->optype = in;
        return c;
    }
    case UF_LOGICAL_AND: case UF_LOGICAL_OR: case UF_LOGICAL_XOR:
        return binary(B, binary_op_of(u), truth(B, a[0]), truth(B, a[1]), out, out);
    case UF_LOGICAL_NOT:
        return unary(B, UN_NOT, a[0], a[0]->type, out);
    case UF_NEGATIVE: return unary(B, UN_NEG, a[0], in, out);
    case UF_POSITIVE: return unary(B, UN_POS, a[0], in, out);
    case UF_INVERT: return unary(B, UN_INVERT, a[0], in, out);
    case UF_SQUARE: return binary(B, NB_MULTIPLY, a[0], a[0], in, out);
    case UF_MINIMUM: return builtin_call(B, B_NP_MINIMUM, a, 2, in, out);
    case UF_MAXIMUM: return builtin_call(B, B_NP_MAXIMUM, a, 2, in, out);
    case UF_ABSOLUTE: return builtin_call(B, B_NP_ABS, a, 1, in, out);
    case UF_CONJUGATE: return builtin_call(B, B_NP_CONJUGATE, a, 1, in, out);
    case UF_SIGN: return builtin_call(B, B_NP_SIGN, a, 1, in, out);
    case UF_FLOAT_FN: case UF_FLOAT_FN2: case UF_IS_CLASS:
        return builtin_call(B, (Builtin)x->builtin, a, u == UF_FLOAT_FN2 ? 2 : 1, in, out);
    case UF_WHERE: {
        Instr *cond = truth(B, a[0]); // made first: ops run in the order made
        Instr *s = scalar_new(B, OP_SELECT, 3, out);
        s->args[0] = cond;
        s->args[1] = a[1];
        s->args[2] = a[2];
        return s;
    }
    case UF_CLIP: {
        Instr *low[2] = {a[0], a[1]};
        Instr *high[2] = {builtin_call(B, B_NP_MAXIMUM, low, 2, in, in), a[2]};
        return builtin_call(B, B_NP_MINIMUM, high, 2, in, out);
    }
    case UF_ASTYPE: {
        Instr *c = scalar_new(B, OP_CONVERT, 1, in);
        c->args[0] = a[0];
        return c;
    }
    default: {
        int op = binary_op_of(u);
        if (op < 0)
            diag_internal(B->F->b->diag, "no item form for ufunc %s", fe_ufunc_name(u));
        // numpy's bool loops: + is `or`, * is `and`.
        if (in->kind == TY_BOOL && op == NB_ADD)
            op = NB_OR;
        if (in->kind == TY_BOOL && op == NB_MULTIPLY)
            op = NB_AND;
        return binary(B, op, a[0], a[1], in, out);
    }
    }
}

static Instr *build(Builder *B, Instr *x) {
    if (B->built[x->id]) // used twice in the expression: computed once an item
        return B->built[x->id];
    Instr *ops[4], *items[4];
    int n = operands_of(x, ops);
    for (int i = 0; i < n; i++)
        items[i] = B->F->absorbed[ops[i]->id] ? build(B, ops[i]) : leaf(B, ops[i]);
    return B->built[x->id] = item_of(B, x, items);
}

/* Makes root an ELEMENTWISE over the expression of its fused tree. */
static void make_elementwise(Fuse *F, Instr *root) {
    Builder B = {.F = F, .root = root, .built = ARENA_ARRAY(F->f->arena, Instr *, F->f->next_id + 1)};
    B.e = ARENA_NEW(F->f->arena, FeExpr);
    B.callable = ir_new(F->f, OP_NULL_MARK, root->pos, 0);
    B.callable->type = ty_simple(&F->b->types, TY_NULL);
    build(&B, root);
    B.e->dest_leaf = -1;
    if (root->dest) {
        leaf(&B, root->dest); // read too (a += b), or only written (out=c)
        for (int k = 0; k < B.leaves.len; k++)
            if (B.leaves.data[k] == root->dest)
                B.e->dest_leaf = k;
    }
    root->op = OP_ELEMENTWISE;
    root->args = B.leaves.data;
    root->nargs = B.leaves.len;
    root->nkw = 0;
    root->expr = B.e;
}

/* ---- consumers -------------------------------------------------------------- */

static bool reduction(const Instr *call) {
    if (call->op != OP_CALL || call->resolved != RES_BUILTIN)
        return false;
    switch (call->builtin) {
    case B_NP_SUM: case B_NP_PROD: case B_NP_MEAN: case B_NP_MIN: case B_NP_MAX: return true;
    default: return false;
    }
}

/* An index with an array in it (a[mask] = ...) scatters rather than
 * writing a view. */
static bool index_has_array(const Type *idx) {
    if (idx->kind == TY_ARRAY)
        return true;
    for (int i = 0; idx->kind == TY_TUPLE && i < idx->nfields; i++)
        if (idx->fields[i]->kind == TY_ARRAY)
            return true;
    return false;
}

/* The instruction that can compute root's items itself, or NULL. */
static Instr *consumer_of(Fuse *F, Instr *root) {
    if (root->dest || F->uses[root->id] != 1)
        return NULL;
    Instr *c = F->user[root->id];
    if (!c || !clear_between(F, root, c))
        return NULL;
    if (c->op == OP_SETITEM && c->args[2] == root && c->args[0] != root && c->args[1] != root && c->optype &&
        !index_has_array(c->args[1]->type))
        return c;
    if (c->op == OP_SETITEM && c->args[1] == root && c->args[0] != root && c->args[2] != root &&
        root->type->dtype->kind == TY_BOOL && c->args[0]->type->kind == TY_ARRAY &&
        root->type->ndim == c->args[0]->type->ndim && c->args[2]->type->kind != TY_ARRAY)
        return c; // x[x < 0] = 0: the mask is tested where it is made
    if (reduction(c) && c->nargs == 2 && c->args[1] == root && c->args[0]->type->kind != TY_METHOD)
        return c; // np.sum(expr)
    if (c->op == OP_GETATTR && F->uses[c->id] == 1) { // expr.sum()
        Instr *call = F->user[c->id];
        if (call && reduction(call) && call->args[0] == c && call->nargs == 1 && clear_between(F, root, call))
            return call;
    }
    return NULL;
}

/* `m[i] *= 2` and `z.imag *= 2` store the view they just updated back into
 * itself. */
static bool redundant_store(const Instr *s) {
    if (s->op != OP_SETITEM || s->args[2]->op != OP_ELEMENTWISE || !s->args[2]->dest)
        return false;
    const Instr *view = s->args[2]->dest, *target = s->args[0];
    if (view->op == OP_GETITEM)
        return view->args[0] == target && view->args[1] == s->args[1] && !index_has_array(view->args[1]->type);
    // obj.name = v is obj.name[...] = v, the target a GETATTR of its own.
    return view->op == OP_GETATTR && target->op == OP_GETATTR && target->sub == FE_ATTR_ASSIGNED &&
           view->args[0] == target->args[0] && strcmp(view->name, target->name) == 0 &&
           s->args[1]->type->kind == TY_ELLIPSIS;
}

/* ---- the pass ---------------------------------------------------------------- */

static void note_use(Fuse *F, const Instr *v, Instr *user) {
    F->uses[v->id]++;
    if (F->user[v->id] && F->user[v->id] != user)
        F->shared[v->id] = true;
    F->user[v->id] = user;
}

static void count_uses(Fuse *F) {
    Func *f = F->f;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        for (int ii = 0; ii < b->instrs.len; ii++) {
            Instr *in = b->instrs.data[ii];
            F->position[in->id] = ii;
            for (int a = 0; a < in->nargs; a++)
                note_use(F, in->args[a], in);
            for (int e = 0; e < in->nsucc; e++)
                for (int a = 0; a < in->succ[e].nargs; a++)
                    note_use(F, in->succ[e].args[a], in);
        }
    }
}

void fe_fuse(FeBuild *b, Func *f) {
    int n = f->next_id + 1;
    Fuse F = {.b = b, .f = f};
    F.uses = ARENA_ARRAY(f->arena, int, n);
    F.user = ARENA_ARRAY(f->arena, Instr *, n);
    F.position = ARENA_ARRAY(f->arena, int, n);
    F.absorbed = ARENA_ARRAY(f->arena, bool, n);
    F.shared = ARENA_ARRAY(f->arena, bool, n);
    count_uses(&F);
    bool any = false;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *blk = f->blocks.data[bi];
        for (int ii = 0; ii < blk->instrs.len; ii++) {
            Instr *in = blk->instrs.data[ii];
            if (elementwise(in)) {
                F.absorbed[in->id] = can_absorb(&F, in);
                any = true;
            }
        }
    }
    if (!any)
        return;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *blk = f->blocks.data[bi];
        for (int ii = 0; ii < blk->instrs.len; ii++) {
            Instr *in = blk->instrs.data[ii];
            if (elementwise(in) && !F.absorbed[in->id] && in->op != OP_ELEMENTWISE) {
                make_elementwise(&F, in);
                in->consumer = consumer_of(&F, in);
            }
        }
    }
    // Drop what was folded into expressions, and stores made redundant.
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *blk = f->blocks.data[bi];
        int kept = 0;
        for (int ii = 0; ii < blk->instrs.len; ii++) {
            Instr *in = blk->instrs.data[ii];
            if (F.absorbed[in->id] || redundant_store(in)) {
                in->block = NULL;
                continue;
            }
            blk->instrs.data[kept++] = in;
        }
        blk->instrs.len = kept;
    }
}
