/* Where arrays are released. Every SSA value holding array references owns
 * one reference per array (views incref their parent, block parameters
 * incref what their edges pass), except arguments, which borrow the
 * caller's reference for the duration of the call. A value is
 * decrefed where it dies: after its last use in a block, on the edge where
 * it stops being live, or right after its definition if nothing uses it.
 * Liveness is the classic backward dataflow over blocks, for owned values
 * only. Error exits skip all of this: the wrapper frees what the failed call
 * allocated from the runtime's live list. */
#include "lw.h"

#include <string.h>

typedef uint64_t Word;

typedef struct Sets {
    int nwords;
    Word *live_in, *live_out; // per block, nwords each
} Sets;

static bool owned(const Instr *v) {
    const Type *t = v->type;
    if (!t || v->op == OP_ARG)
        return false;
    if (t->kind == TY_ITER)
        return ty_is_refcounted(t->iterable);
    return ty_is_refcounted(t);
}

/* An element-wise expression computed inside its consumer (an assignment
 * or a reduction, fuse.c) reads its leaves there, not where it stands. */
static const Instr *deferred_expression(const Instr *arg, const Instr *user) {
    if (arg->op == OP_GETATTR && arg->nargs == 1) // expr.sum(): through the method
        arg = arg->args[0];
    return arg->op == OP_ELEMENTWISE && arg->consumer == user ? arg : NULL;
}

/* Calls visit(v, ctx) for every value `in` reads. A method call reads its
 * receiver (x.sum(): the bound method has no value of its own). */
typedef void (*ReadFn)(Instr *v, void *ctx);
static void each_read(const Instr *in, ReadFn visit, void *ctx) {
    for (int i = 0; i < in->nargs; i++) {
        visit(in->args[i], ctx);
        if (in->op == OP_CALL && i == 0 && in->args[0]->type->kind == TY_METHOD)
            visit(in->args[0]->args[0], ctx);
        const Instr *deferred = deferred_expression(in->args[i], in);
        for (int k = 0; deferred && k < deferred->nargs; k++)
            visit(deferred->args[k], ctx);
    }
}

static bool has(const Word *s, int id) { return (s[id / 64] >> (id % 64)) & 1; }
static void add(Word *s, int id) { s[id / 64] |= (Word)1 << (id % 64); }
static void del(Word *s, int id) { s[id / 64] &= ~((Word)1 << (id % 64)); }

static Word *row(Word *base, int nwords, int block) { return base + (size_t)block * (size_t)nwords; }

/* live_in(S) without S's parameters, unioned into out. */
static void add_live_in_minus_params(Sets *s, Word *out, Word *scratch, const Block *succ) {
    memcpy(scratch, row(s->live_in, s->nwords, succ->id), sizeof(Word) * (size_t)s->nwords);
    for (int k = 0; k < succ->params.len; k++)
        del(scratch, succ->params.data[k]->id);
    for (int w = 0; w < s->nwords; w++)
        out[w] |= scratch[w];
}

static void compute_live_out(Sets *s, const Block *b, Word *out, Word *scratch) {
    memset(out, 0, sizeof(Word) * (size_t)s->nwords);
    Instr *t = ir_terminator(b);
    for (int e = 0; t && e < t->nsucc; e++) {
        const Edge *ed = &t->succ[e];
        add_live_in_minus_params(s, out, scratch, ed->to);
        for (int a = 0; a < ed->nargs; a++)
            if (owned(ed->args[a]))
                add(out, ed->args[a]->id);
    }
}

static void use_in_set(Instr *v, void *set) {
    if (owned(v))
        add(set, v->id);
}

static void compute_sets(LwFn *fn, Sets *s) {
    Func *f = fn->f;
    int nblocks = f->blocks.len;
    s->nwords = (f->next_id + 63) / 64;
    s->live_in = ARENA_ARRAY(fn->m->arena, Word, (size_t)nblocks * (size_t)s->nwords + 1);
    s->live_out = ARENA_ARRAY(fn->m->arena, Word, (size_t)nblocks * (size_t)s->nwords + 1);
    Word *tmp = ARENA_ARRAY(fn->m->arena, Word, s->nwords + 1);
    Word *scratch = ARENA_ARRAY(fn->m->arena, Word, s->nwords + 1);
    bool changed = true;
    while (changed) {
        changed = false;
        for (int bi = nblocks - 1; bi >= 0; bi--) {
            const Block *b = f->blocks.data[bi];
            Word *out = row(s->live_out, s->nwords, bi);
            compute_live_out(s, b, tmp, scratch);
            memcpy(out, tmp, sizeof(Word) * (size_t)s->nwords);
            // Walk the block backwards: defs leave, uses enter.
            for (int ii = b->instrs.len - 1; ii >= 0; ii--) {
                const Instr *in = b->instrs.data[ii];
                del(tmp, in->id);
                each_read(in, use_in_set, tmp);
            }
            for (int k = 0; k < b->params.len; k++)
                del(tmp, b->params.data[k]->id);
            Word *in = row(s->live_in, s->nwords, bi);
            if (memcmp(in, tmp, sizeof(Word) * (size_t)s->nwords) != 0) {
                memcpy(in, tmp, sizeof(Word) * (size_t)s->nwords);
                changed = true;
            }
        }
    }
}

static void note(Arena *a, LwValues *list, Instr *v) {
    for (int i = 0; i < list->len; i++)
        if (list->data[i] == v)
            return;
    vec_push(a, list, v);
}

/* Walking a block backwards: a read of a value not live below is its last. */
typedef struct LastUse {
    Arena *arena;
    Word *live;
    LwValues *after;
} LastUse;

static void note_last_use(Instr *v, void *ctx) {
    LastUse *u = ctx;
    if (owned(v) && !has(u->live, v->id)) {
        note(u->arena, u->after, v);
        add(u->live, v->id);
    }
}

void lw_liveness(LwFn *fn) {
    Func *f = fn->f;
    Arena *a = fn->m->arena;
    Sets s;
    compute_sets(fn, &s);
    fn->live.after = ARENA_ARRAY(a, LwValues, f->next_id + 1);
    fn->live.edge_deaths = ARENA_ARRAY(a, LwValues, 2 * f->blocks.len + 1);
    Word *live = ARENA_ARRAY(a, Word, s.nwords + 1);
    Word *keep = ARENA_ARRAY(a, Word, s.nwords + 1);
    Word *scratch = ARENA_ARRAY(a, Word, s.nwords + 1);
    Instr **by_id = ARENA_ARRAY(a, Instr *, f->next_id + 1);
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        for (int k = 0; k < b->params.len; k++)
            by_id[b->params.data[k]->id] = b->params.data[k];
        for (int k = 0; k < b->instrs.len; k++)
            by_id[b->instrs.data[k]->id] = b->instrs.data[k];
    }
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        Word *out = row(s.live_out, s.nwords, bi);
        Instr *t = ir_terminator(b);
        // Edge deaths: live out of B but not needed by this successor.
        for (int e = 0; t && e < t->nsucc; e++) {
            memset(keep, 0, sizeof(Word) * (size_t)s.nwords);
            add_live_in_minus_params(&s, keep, scratch, t->succ[e].to);
            for (int id = 0; id < f->next_id; id++)
                if (has(out, id) && !has(keep, id) && by_id[id])
                    note(a, &fn->live.edge_deaths[bi * 2 + e], by_id[id]);
        }
        // Within the block, backwards.
        memcpy(live, out, sizeof(Word) * (size_t)s.nwords);
        for (int ii = b->instrs.len - 1; ii >= 0; ii--) {
            Instr *in = b->instrs.data[ii];
            if (in->op == OP_RAISE)
                continue; // the error path frees through the live list
            if (owned(in) && !has(live, in->id))
                note(a, &fn->live.after[in->id], in); // never used
            del(live, in->id);
            LastUse u = {a, live, &fn->live.after[in->id]};
            each_read(in, note_last_use, &u);
        }
        for (int k = 0; k < b->params.len; k++) {
            Instr *p = b->params.data[k];
            if (owned(p) && !has(live, p->id))
                note(a, &fn->live.after[p->id], p);
        }
    }
}
