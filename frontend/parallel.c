/* prange loops, outlined for the thread pool.
 *
 * After inference, each `for i in prange(...)` loop of a function that may
 * run in parallel moves into a function of its own (a Func like any other,
 * so lowering, reference counting and failure work unchanged), and one
 * PARALLEL_FOR takes the loop's place in its caller:
 *
 *   caller:  r = prange(start, stop, step)            body(captured..., starts..., rr):
 *            t = PARALLEL_FOR r, captured..., starts     for i in rr: <the loop's blocks>
 *            s = t[0] ...                                return (s, ...)
 *
 * `captured` are the values defined before the loop that its blocks read
 * (compile-time values are copied instead); lower/parallel.c runs the body
 * over chunks of the range on the pool. The loop's header parameters are
 * the variables it assigns that are live at the next iteration or after the
 * loop: each must be a reduction (`s += x`, `s = min(s, x)`, ...), which the
 * body carries from a starting value it is given, so each worker keeps a
 * partial result; anything else would depend on the order of the
 * iterations and is a compile error. Loops that leave early (break,
 * return) run serially, with a warning. */
#include "frontend.h"

#include <string.h>

typedef Vec(Block *) Blocks;

typedef struct Loop {
    FeBuild *b;
    Func *f;
    Block *header;     // ends in the FOR_ITER (and holds nothing else)
    Block *pre;        // jumps into the header from before the loop
    Instr *iter;       // the GET_ITER of the range, in pre
    Instr *range;      // the prange call
    bool *in;          // by block id: the header or a block of the body
    bool *chain;       // by value id: a reduction's value (the variable or an update of it)
} Loop;

static bool parallel_enabled(const FeBuild *b, const FeFunction *fn) {
    if (fn->library)
        return false;
    switch (fn->parallel) {
    case FE_SWITCH_ON: return true;
    case FE_SWITCH_OFF: return false;
    case FE_SWITCH_IF_ASKED: return b->parallel == FE_SWITCH_ON;
    default: return b->parallel != FE_SWITCH_OFF;
    }
}

/* The prange call whose iterator the FOR_ITER ending `blk` advances, or NULL. */
static Instr *prange_of(const Block *blk) {
    Instr *t = ir_terminator(blk);
    if (!t || t->op != OP_FOR_ITER || t->args[0]->op != OP_GET_ITER)
        return NULL;
    Instr *r = t->args[0]->args[0];
    return r->op == OP_CALL && r->resolved == RES_BUILTIN && r->builtin == B_PRANGE ? r : NULL;
}

/* Marks in `seen` the blocks reachable from `from` without passing `stop`. */
static void reach(Func *f, Block *from, const Block *stop, bool *seen) {
    Vec(Block *) work = {0};
    seen[from->id] = true;
    vec_push(f->arena, &work, from);
    while (work.len) {
        Block *blk = work.data[--work.len];
        Instr *t = ir_terminator(blk);
        for (int s = 0; t && s < t->nsucc; s++) {
            Block *to = t->succ[s].to;
            if (to != stop && !seen[to->id]) {
                seen[to->id] = true;
                vec_push(f->arena, &work, to);
            }
        }
    }
}

/* Finds the loop's blocks; false (with a warning) when it cannot be
 * outlined and runs serially. */
static bool find_loop(Loop *L, Block *header) {
    Func *f = L->f;
    int n = f->blocks.len;
    Instr *t = ir_terminator(header);
    L->header = header;
    L->iter = t->args[0];
    L->range = L->iter->args[0];
    L->in = ARENA_ARRAY(f->arena, bool, n);
    bool *after = ARENA_ARRAY(f->arena, bool, n);
    reach(f, t->succ[0].to, header, L->in);
    reach(f, t->succ[1].to, header, after);
    const char *why = NULL;
    for (int i = 0; i < n && !why; i++) {
        Block *blk = f->blocks.data[i];
        if (L->in[i] && after[i])
            why = "it is left by break";
        else if (L->in[i] && ir_terminator(blk)->op == OP_RETURN)
            why = "it returns from inside the loop";
    }
    L->in[header->id] = true;
    L->pre = NULL;
    for (int p = 0; p < header->preds.len && !why; p++) {
        Block *pred = header->preds.data[p];
        if (L->in[pred->id])
            continue;
        if (L->pre || ir_terminator(pred)->op != OP_JUMP || L->iter->block != pred)
            why = "its entry is not a plain one";
        L->pre = pred;
    }
    if (!why && header->instrs.len != 1)
        why = "its header does more than take the next item";
    for (int k = 0; k < header->params.len && !why; k++)
        if (!header->params.data[k]->name)
            why = "a value on the interpreter's stack lives across it";
    if (why) {
        diag_warning(L->b->diag, L->range->pos, "this prange loop runs serially: %s", why);
        return false;
    }
    return true;
}

static bool is_chain(const Loop *L, const Instr *v) {
    return L->chain[v->id];
}

/* The kind of reduction instruction u would be as an update, or -1; *acc
 * and *other are its operands, and *left_only says that only *acc may be
 * the variable (s - x, not x - s). */
static int update_op(const Instr *u, const Instr **acc, const Instr **other, bool *left_only) {
    *left_only = false;
    if (u->op == OP_BINARY) {
        int op = u->sub >= FE_NB_INPLACE ? u->sub - FE_NB_INPLACE : u->sub;
        *acc = u->args[0];
        *other = u->args[1];
        switch (op) {
        case NB_ADD: return RED_ADD;
        case NB_SUBTRACT: // partials hold minus what each worker subtracted, and add up
            *left_only = true;
            return RED_ADD;
        case NB_MULTIPLY: return RED_MUL;
        case NB_OR: return RED_OR;
        case NB_AND: return RED_AND;
        case NB_XOR: return RED_XOR;
        default: return -1;
        }
    }
    if (u->op == OP_CALL && u->resolved == RES_BUILTIN && (u->builtin == B_MIN || u->builtin == B_MAX) &&
        u->nargs == 3 && u->nkw == 0) {
        *acc = u->args[1];
        *other = u->args[2];
        return u->builtin == B_MIN ? RED_MIN : RED_MAX;
    }
    return -1;
}

/* The kind of reduction update u is when exactly one accumulating operand
 * of it is of the chain, or -1. */
static int chain_update(const Loop *L, const Instr *u) {
    const Instr *acc, *other;
    bool left_only;
    int op = update_op(u, &acc, &other, &left_only);
    if (op < 0)
        return -1;
    bool in_acc = is_chain(L, acc), in_other = is_chain(L, other);
    return in_acc == in_other || (in_other && left_only) ? -1 : op;
}

static int param_index(const Block *blk, const Instr *p) {
    for (int k = 0; k < blk->params.len; k++)
        if (blk->params.data[k] == p)
            return k;
    return -1;
}

/* The first instruction outside the loop that reads v, or NULL when only
 * an edge does. *used: anything outside reads it. */
static const Instr *use_after(const Loop *L, const Instr *v, bool *used) {
    Func *f = L->f;
    *used = false;
    const Instr *t = ir_terminator(L->header);
    for (int a = 0; a < t->succ[1].nargs; a++)
        *used |= t->succ[1].args[a] == v;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *blk = f->blocks.data[bi];
        if (L->in[bi])
            continue;
        for (int ii = 0; ii < blk->instrs.len; ii++) {
            const Instr *in = blk->instrs.data[ii];
            for (int a = 0; a < in->nargs; a++)
                if (in->args[a] == v) {
                    *used = true;
                    return in;
                }
            for (int s = 0; s < in->nsucc; s++)
                for (int a = 0; a < in->succ[s].nargs; a++)
                    *used |= in->succ[s].args[a] == v;
        }
    }
    return NULL;
}

/* Grows the chain of header parameter p: its updates (all of one kind, in
 * *op), and the block parameters its values flow into. */
static void grow_chain(Loop *L, Instr *p, int *op, SrcPos *first_update) {
    Func *f = L->f;
    L->chain = ARENA_ARRAY(f->arena, bool, f->next_id + 1);
    L->chain[p->id] = true;
    *op = -1;
    for (bool changed = true; changed;) {
        changed = false;
        for (int bi = 0; bi < f->blocks.len; bi++) {
            Block *blk = f->blocks.data[bi];
            for (int ii = 0; L->in[bi] && ii < blk->instrs.len; ii++) {
                Instr *u = blk->instrs.data[ii];
                int uop = is_chain(L, u) ? -1 : chain_update(L, u);
                if (uop >= 0 && (*op < 0 || *op == uop)) {
                    *op = uop;
                    L->chain[u->id] = changed = true;
                    if (!first_update->line)
                        *first_update = u->pos;
                }
                for (int s = 0; s < u->nsucc; s++) {
                    const Edge *e = &u->succ[s];
                    for (int a = 0; e->to != L->header && L->in[e->to->id] && a < e->nargs; a++)
                        if (is_chain(L, e->args[a]) && !is_chain(L, e->to->params.data[a]))
                            L->chain[e->to->params.data[a]->id] = changed = true;
                }
            }
        }
    }
}

/* Where the chain of header parameter k is read other than by its own
 * updates (*read), or a variable of it receives another value (0 line:
 * nowhere). */
static SrcPos misuse(const Loop *L, int k, bool *read) {
    Func *f = L->f;
    const Instr *next = ir_terminator(L->header);
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *blk = f->blocks.data[bi];
        for (int ii = 0; L->in[bi] && ii < blk->instrs.len; ii++) {
            Instr *u = blk->instrs.data[ii];
            SrcPos at = u->pos.line ? u->pos : L->range->pos;
            *read = true;
            for (int a = 0; a < u->nargs; a++)
                if (is_chain(L, u->args[a]) && !(is_chain(L, u) && chain_update(L, u) >= 0))
                    return at;
            *read = false;
            for (int s = 0; s < u->nsucc; s++) {
                const Edge *e = &u->succ[s];
                if (!L->in[e->to->id] || (u == next && s == 1))
                    continue;
                for (int a = 0; a < e->nargs; a++) {
                    bool from = is_chain(L, e->args[a]);
                    bool to = e->to == L->header ? a == k : is_chain(L, e->to->params.data[a]);
                    *read = from; // a value of the chain flows into another variable
                    if (from != to)
                        return at;
                }
            }
        }
    }
    return (SrcPos){0};
}

/* Checks that header parameter p is a reduction and says which; reports
 * the variables whose values would depend on the order of iterations. */
static FeReduction reduction_of(Loop *L, Instr *p) {
    Diag *d = L->b->diag;
    int op;
    SrcPos first_update = {0};
    grow_chain(L, p, &op, &first_update);
    bool read = false;
    SrcPos bad = misuse(L, param_index(L->header, p), &read);
    bool used = false;
    const Instr *after = use_after(L, p, &used);
    const char *name = p->name;
    // A reduction read in the loop: its value there depends on the order.
    if ((bad.line && read && op >= 0) || (!used && (bad.line || op < 0)))
        diag_error(d, bad.line ? bad : first_update.line ? first_update : L->range->pos,
                   "'%s' is read in a prange loop other than by its own update (%s += ..., %s = min(%s, ...)): "
                   "its value would depend on the order of the iterations", name, name, name, name);
    if (bad.line || op < 0 || !ty_is_number(p->type))
        diag_error(d, after && after->pos.line ? after->pos : L->range->pos,
                   "'%s' is assigned in a prange loop and used after it: only reductions (s += ..., "
                   "s = min(s, ...)) may be", name);
    return (FeReduction){.op = (FeReductionOp)op, .type = p->type, .name = name};
}

/* Building the body's function. */
typedef struct Outline {
    Loop *L;
    Func *g;
    Block *entry;
    Instr **map;             // by the caller's value id: its stand-in in g
    Vec(Instr *) captured;   // the caller's values g takes as parameters
    Vec(const Type *) types; // their types
    Instr *iter;             // g's iterator over its range
} Outline;

static bool copied_not_passed(const Instr *v) {
    if (!ty_is_runtime(v->type))
        return true; // compile time only: modules, functions, dtypes...
    return v->op == OP_CONST || v->op == OP_UNDEF || v->op == OP_NULL_MARK ||
           (v->op == OP_GLOBAL && v->global->kind == FE_GLOBAL_CONST);
}

/* g's stand-in for v, a value defined before the loop. */
static Instr *outside(Outline *O, Instr *v) {
    if (O->map[v->id])
        return O->map[v->id];
    Func *g = O->g;
    Instr *c;
    if (!copied_not_passed(v)) {
        if (v->type->kind == TY_ITER)
            diag_error(O->L->b->diag, O->L->range->pos,
                       "a prange loop cannot advance an iterator made before it");
        c = ir_new(g, OP_ARG, v->pos, 0);
        c->sub = O->captured.len;
        c->type = v->type;
        c->name = v->name;
        vec_push(g->arena, &O->captured, v);
        vec_push(g->arena, &O->types, v->type);
    } else {
        c = ARENA_NEW(g->arena, Instr);
        *c = *v;
        c->id = g->next_id++;
        if (v->op == OP_PARAM) // a compile-time value merged at a join: only its type matters
            c->op = OP_UNDEF;
        c->args = v->nargs ? ARENA_ARRAY(g->arena, Instr *, v->nargs) : NULL;
        for (int a = 0; a < v->nargs; a++)
            c->args[a] = outside(O, v->args[a]);
        c->nsucc = 0;
    }
    ir_append(g, O->entry, c);
    O->map[v->id] = c;
    return c;
}

static Instr *inside(Outline *O, Instr *v) {
    if (v == O->L->iter)
        return O->iter;
    return v->block && O->L->in[v->block->id] ? v : outside(O, v);
}

/* The loop's values read before it become g's parameters or copies. */
static void take_captures(Outline *O) {
    Loop *L = O->L;
    Func *f = L->f;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        if (!L->in[bi])
            continue;
        Block *blk = f->blocks.data[bi];
        for (int ii = 0; ii < blk->instrs.len; ii++) {
            Instr *in = blk->instrs.data[ii];
            for (int a = 0; a < in->nargs; a++)
                in->args[a] = inside(O, in->args[a]);
            if (in->dest)
                in->dest = inside(O, in->dest);
            for (int s = 0; s < in->nsucc; s++)
                for (int a = 0; a < in->succ[s].nargs; a++)
                    in->succ[s].args[a] = inside(O, in->succ[s].args[a]);
        }
    }
}

static void replace_pred(Block *blk, Block *from, Block *to) {
    for (int p = 0; p < blk->preds.len; p++)
        if (blk->preds.data[p] == from)
            blk->preds.data[p] = to;
}

static void renumber(Func *f) {
    for (int i = 0; i < f->blocks.len; i++)
        f->blocks.data[i]->id = f->blocks.data[i]->rpo = i;
}

static Instr *new_instr(Func *f, Block *blk, Op op, const Type *type, SrcPos pos, int nargs) {
    Instr *in = ir_new(f, op, pos, nargs);
    in->type = type;
    ir_append(f, blk, in);
    return in;
}

static void outline(Loop *L, FeReduction *reds, int nred) {
    FeBuild *b = L->b;
    Func *f = L->f;
    Block *header = L->header;
    Instr *for_iter = ir_terminator(header);
    SrcPos pos = L->range->pos;

    Func *g = ARENA_NEW(b->arena, Func);
    g->arena = b->arena;
    g->src = f->src;
    g->name = f->name;
    int n = 0;
    for (int i = 0; i < b->specs.len; i++)
        n += b->specs.data[i]->parallel != NULL;
    g->symbol = arena_printf(b->arena, "%s.prange%d", f->symbol, n);
    g->next_id = f->next_id;
    g->typed = true;

    Outline O = {.L = L, .g = g, .map = ARENA_ARRAY(b->arena, Instr *, f->next_id + 1)};
    O.entry = ir_new_block(b->arena, g);
    Instr *range_arg = ir_new(g, OP_ARG, pos, 0);
    range_arg->type = L->range->type;
    range_arg->name = "prange";
    O.iter = ir_new(g, OP_GET_ITER, L->iter->pos, 1);
    O.iter->type = L->iter->type;
    O.iter->args[0] = range_arg;
    take_captures(&O);

    // g's parameters: the captured values, the reductions' starting values, the range.
    int ncap = O.captured.len;
    g->nargs = ncap + nred + 1;
    g->argtypes = ARENA_ARRAY(b->arena, const Type *, g->nargs);
    mem_copy(g->argtypes, O.types.data, sizeof(Type *) * (size_t)ncap);
    const Type **red_types = ARENA_ARRAY(b->arena, const Type *, nred + 1);
    Instr *to_header = ir_new(g, OP_JUMP, pos, 0);
    to_header->type = ty_none(&b->types);
    to_header->nsucc = 1;
    to_header->succ[0] = (Edge){.to = header, .nargs = nred, .args = ARENA_ARRAY(b->arena, Instr *, nred + 1)};
    for (int k = 0; k < nred; k++) {
        Instr *start = ir_new(g, OP_ARG, pos, 0);
        start->sub = ncap + k;
        start->type = red_types[k] = g->argtypes[ncap + k] = reds[k].type;
        start->name = reds[k].name;
        ir_append(g, O.entry, start);
        to_header->succ[0].args[k] = start;
    }
    range_arg->sub = ncap + nred;
    g->argtypes[ncap + nred] = range_arg->type;
    ir_append(g, O.entry, range_arg);
    ir_append(g, O.entry, O.iter);
    ir_append(g, O.entry, to_header);
    g->ret = nred ? ty_tuple(&b->types, red_types, nred) : ty_none(&b->types);

    FeParallel *par = ARENA_NEW(b->arena, FeParallel);
    *par = (FeParallel){.ncaptured = ncap, .nreductions = nred, .reductions = reds, .pos = pos};
    g->parallel = par;

    // The caller: the loop becomes PARALLEL_FOR and the reductions' values.
    Block *pre = L->pre, *exit = for_iter->succ[1].to;
    Edge into = ir_terminator(pre)->succ[0];
    Vec(Instr *) kept = {0};
    for (int ii = 0; ii < pre->instrs.len - 1; ii++)
        if (pre->instrs.data[ii] != L->iter)
            vec_push(b->arena, &kept, pre->instrs.data[ii]);
    pre->instrs.data = kept.data;
    pre->instrs.len = kept.len;
    pre->instrs.cap = kept.cap;
    Instr *pf = new_instr(f, pre, OP_PARALLEL_FOR, g->ret, pos, 1 + ncap + nred);
    pf->resolved = RES_USER_CALL;
    pf->callee = g;
    pf->sub = ncap;
    pf->args[0] = L->range;
    mem_copy(pf->args + 1, O.captured.data, sizeof(Instr *) * (size_t)ncap);
    Instr **result = ARENA_ARRAY(b->arena, Instr *, f->next_id + 1);
    for (int k = 0; k < nred; k++) {
        pf->args[1 + ncap + k] = into.args[k];
        Instr *get = new_instr(f, pre, OP_TUPLE_GET, reds[k].type, pos, 1);
        get->args[0] = pf;
        get->sub = k;
        result[header->params.data[k]->id] = get;
    }
    Instr *jump = new_instr(f, pre, OP_JUMP, ty_none(&b->types), pos, 0);
    jump->nsucc = 1;
    jump->succ[0] = for_iter->succ[1];
    replace_pred(exit, header, pre);

    // g's exit returns the reductions.
    Block *done = ir_new_block(b->arena, g);
    vec_push(b->arena, &done->preds, header);
    Instr *ret = ir_new(g, OP_RETURN, pos, 1);
    ret->type = ty_none(&b->types);
    if (nred) {
        Instr *tuple = new_instr(g, done, OP_BUILD_TUPLE, g->ret, pos, nred);
        mem_copy(tuple->args, header->params.data, sizeof(Instr *) * (size_t)nred);
        ret->args[0] = tuple;
    } else {
        Instr *none = new_instr(g, done, OP_CONST, g->ret, pos, 0);
        none->cst = ARENA_NEW(b->arena, FeConst);
        none->cst->kind = FE_CONST_NONE;
        ret->args[0] = none;
    }
    ir_append(g, done, ret);
    for_iter->succ[1] = (Edge){.to = done};
    replace_pred(header, pre, O.entry);

    // Uses of the reductions after the loop read the results.
    Vec(Block *) rest = {0}, body = {0};
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *blk = f->blocks.data[bi];
        vec_push(b->arena, L->in[bi] ? &body : &rest, blk);
        if (L->in[bi])
            continue;
        for (int ii = 0; ii < blk->instrs.len; ii++) {
            Instr *in = blk->instrs.data[ii];
            for (int a = 0; a < in->nargs; a++)
                if (in->args[a]->op == OP_PARAM && in->args[a]->block == header)
                    in->args[a] = result[in->args[a]->id];
            for (int s = 0; s < in->nsucc; s++)
                for (int a = 0; a < in->succ[s].nargs; a++)
                    if (in->succ[s].args[a]->op == OP_PARAM && in->succ[s].args[a]->block == header)
                        in->succ[s].args[a] = result[in->succ[s].args[a]->id];
        }
    }
    f->blocks.data = rest.data;
    f->blocks.len = rest.len;
    f->blocks.cap = rest.cap;
    renumber(f);
    // g's blocks: entry, the loop in the caller's order (a reverse postorder still), exit.
    Vec(Block *) blocks = {0};
    vec_push(b->arena, &blocks, O.entry);
    for (int i = 0; i < body.len; i++)
        vec_push(b->arena, &blocks, body.data[i]);
    vec_push(b->arena, &blocks, done);
    g->blocks.data = blocks.data;
    g->blocks.len = blocks.len;
    g->blocks.cap = blocks.cap;
    renumber(g);
    if (g->next_id < f->next_id)
        g->next_id = f->next_id;
    vec_push(b->arena, &b->specs, g);
    fe_outline_prange(b, g); // a prange inside: outlined from g in turn (it runs serially there)
}

/* The first prange loop of f not yet seen, or NULL. */
static Block *next_prange(Func *f, const Blocks *seen_headers) {
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *blk = f->blocks.data[bi];
        if (!prange_of(blk))
            continue;
        bool seen = false;
        for (int i = 0; i < seen_headers->len; i++)
            seen |= seen_headers->data[i] == blk;
        if (!seen)
            return blk;
    }
    return NULL;
}

void fe_outline_prange(FeBuild *b, Func *f) {
    if (!parallel_enabled(b, f->src))
        return;
    Blocks seen = {0};
    for (Block *header; (header = next_prange(f, &seen));) {
        vec_push(b->arena, &seen, header);
        Loop L = {.b = b, .f = f};
        if (!find_loop(&L, header))
            continue;
        int nred = header->params.len;
        FeReduction *reds = ARENA_ARRAY(b->arena, FeReduction, nred + 1);
        for (int k = 0; k < nred; k++)
            reds[k] = reduction_of(&L, header->params.data[k]);
        outline(&L, reds, nred);
    }
}
