/* Invariants of the typed IR, checked after inference in debug builds and
 * tests: a broken one is a bug in pyaot, reported as an internal error. */
#include "frontend.h"

static bool is_terminator(Op op) {
    return op == OP_JUMP || op == OP_BRANCH || op == OP_FOR_ITER || op == OP_RETURN || op == OP_RAISE;
}

/* Dominators by the iterative algorithm on reverse postorder (Cooper,
 * Harvey, Kennedy); idom[b] is the immediate dominator's index. */
static int *dominators(Arena *a, const Func *f) {
    int n = f->blocks.len;
    int *idom = ARENA_ARRAY(a, int, n);
    for (int i = 0; i < n; i++)
        idom[i] = -1;
    idom[0] = 0;
    bool changed = true;
    while (changed) {
        changed = false;
        for (int i = 1; i < n; i++) {
            const Block *b = f->blocks.data[i];
            int new_idom = -1;
            for (int p = 0; p < b->preds.len; p++) {
                int q = b->preds.data[p]->id;
                if (idom[q] < 0)
                    continue;
                if (new_idom < 0) {
                    new_idom = q;
                    continue;
                }
                int x = q, y = new_idom;
                while (x != y) {
                    while (x > y)
                        x = idom[x];
                    while (y > x)
                        y = idom[y];
                }
                new_idom = x;
            }
            if (new_idom != idom[i]) {
                idom[i] = new_idom;
                changed = true;
            }
        }
    }
    return idom;
}

static bool dominates(const int *idom, int a, int b) {
    while (b != a && b != 0)
        b = idom[b];
    return a == b;
}

void fe_verify(FeBuild *b, const Func *f) {
    Diag *d = b->diag;
    int *idom = dominators(b->arena, f);
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *blk = f->blocks.data[bi];
        if (blk->id != bi)
            diag_internal(d, "%s: block %d has id %d", f->symbol, bi, blk->id);
        for (int ii = 0; ii < blk->instrs.len; ii++) {
            Instr *in = blk->instrs.data[ii];
            if (in->block != blk)
                diag_internal(d, "%s: v%d is in b%d but says b%d", f->symbol, in->id, bi,
                              in->block ? in->block->id : -1);
            bool last = ii == blk->instrs.len - 1;
            if (is_terminator(in->op) != last)
                diag_internal(d, "%s: b%d: terminator misplaced at v%d", f->symbol, bi, in->id);
            // A local read before assignment keeps no type when nothing uses it.
            if (!in->type || (in->type->kind == TY_UNKNOWN && in->op != OP_UNDEF))
                diag_internal(d, "%s: v%d has no type", f->symbol, in->id);
        }
    }
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *blk = f->blocks.data[bi];
        for (int ii = 0; ii < blk->instrs.len; ii++) {
            const Instr *in = blk->instrs.data[ii];
            for (int a = 0; a < in->nargs; a++) {
                const Instr *arg = in->args[a];
                const Block *def = arg->block;
                if (!def)
                    diag_internal(d, "%s: v%d uses v%d, which is in no block", f->symbol, in->id, arg->id);
                if (def == blk && arg->op != OP_PARAM) {
                    bool before = false;
                    for (int k = 0; k < ii; k++)
                        before = before || blk->instrs.data[k] == arg;
                    if (!before)
                        diag_internal(d, "%s: v%d uses v%d before its definition", f->symbol, in->id, arg->id);
                } else if (!dominates(idom, def->id, blk->id)) {
                    diag_internal(d, "%s: v%d uses v%d, whose block b%d does not dominate b%d", f->symbol,
                                  in->id, arg->id, def->id, blk->id);
                }
            }
            for (int s = 0; s < in->nsucc; s++) {
                const Edge *e = &in->succ[s];
                if (e->nargs != e->to->params.len)
                    diag_internal(d, "%s: edge b%d->b%d passes %d values for %d parameters", f->symbol,
                                  bi, e->to->id, e->nargs, e->to->params.len);
                for (int a = 0; a < e->nargs; a++)
                    if (!dominates(idom, e->args[a]->block->id, blk->id))
                        diag_internal(d, "%s: edge b%d->b%d passes v%d from a block that does not dominate it",
                                      f->symbol, bi, e->to->id, e->args[a]->id);
            }
        }
    }
}
