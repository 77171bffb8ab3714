/* Which array arguments a function stores into. The wrapper asks Python for
 * a writable buffer only for those, so read-only arrays (a.setflags(write=
 * False), read-only memory maps) can be passed wherever nothing writes them.
 *
 * A store writes an argument when the array stored into may share the
 * argument's memory: the argument itself, a view of it (an index or slice,
 * .T, .real, reshape), a value that may be either through a branch, or what
 * a called function returns. Arrays that functions make from an argument
 * (np.zeros_like(a), a.copy(), a + 1, a[mask]) share nothing with it.
 *
 * A module-level array is frozen into the module, read-only: a store that
 * surely reaches one is a compile error. (One reached only through what a
 * called function returns, which may or may not be a view, is allowed.) */
#include "frontend.h"

typedef struct Writes {
    Func *f;
    Diag *d;
    bool *visited;      // block parameters already followed, by id
    const Instr *store; // the store being followed
    int maybe;          // > 0 past a called function's result
} Writes;

static void mark(Writes *w, Instr *v);

static void mark_all_arrays(Writes *w, Instr *const *args, int n) {
    for (int i = 0; i < n; i++)
        if (ty_is_refcounted(args[i]->type) || args[i]->type->kind == TY_ENUMERATE || args[i]->type->kind == TY_ZIP)
            mark(w, args[i]);
}

/* An index with an array in it selects into a new array. */
static bool index_copies(const Type *idx) {
    if (idx->kind == TY_ARRAY)
        return true;
    for (int i = 0; idx->kind == TY_TUPLE && i < idx->nfields; i++)
        if (idx->fields[i]->kind == TY_ARRAY)
            return true;
    return false;
}

/* The receiver of a method call (obj.m()), or the call's first argument. */
static Instr *subject(Instr *call) {
    if (call->args[0]->type->kind == TY_METHOD)
        return call->args[0]->args[0];
    return call->nargmap > 0 && call->argmap[0] > 0 ? call->args[call->argmap[0]] : NULL;
}

static void mark_call(Writes *w, Instr *v) {
    if (v->resolved == RES_USER_CALL) {
        w->maybe++;
        mark_all_arrays(w, v->args + 1, v->nargs - 1); // the result may be a view of any
        if (v->args[0]->type->kind == TY_METHOD)
            mark_all_arrays(w, v->args[0]->args, 1);
        w->maybe--;
        return;
    }
    if (v->resolved == RES_ELEMENTWISE) {
        if (v->dest)
            mark(w, v->dest);
        return;
    }
    if (v->resolved != RES_BUILTIN)
        return;
    switch (v->builtin) {
    case B_NP_RESHAPE: case B_NP_RAVEL: case B_NP_TRANSPOSE: case B_NP_REAL: case B_NP_IMAG: {
        Instr *s = subject(v);
        if (s)
            mark(w, s);
        return;
    }
    case B_ENUMERATE: case B_ZIP:
        mark_all_arrays(w, v->args + 1, v->nargs - 1);
        return;
    default:
        return; // new arrays, or numbers
    }
}

static void mark(Writes *w, Instr *v) {
    switch (v->op) {
    case OP_ARG:
        if (v->sub < 64)
            w->f->writes_arg[v->sub] = true;
        return;
    case OP_GLOBAL:
        if (v->global->kind == FE_GLOBAL_ARRAY && !w->maybe && w->store)
            diag_error(w->d, w->store->pos, "module-level array '%s' is read-only in compiled code (frozen "
                                                  "into the module when it is built): copy it to change it",
                       v->name ? v->name : "?");
        return;
    case OP_GETITEM:
        if (v->args[0]->type->kind == TY_LIST && v->args[1]->type->kind == TY_SLICE)
            return; // a new list
        if (!index_copies(v->args[1]->type))
            mark(w, v->args[0]);
        return;
    case OP_GETATTR:
        if (v->resolved == RES_ATTR && v->type->kind == TY_ARRAY)
            mark(w, v->args[0]); // .T, .real, .imag
        return;
    case OP_TUPLE_GET: case OP_ITER_VALUE: case OP_GET_ITER:
        mark(w, v->args[0]);
        return;
    case OP_BUILD_TUPLE: case OP_BUILD_LIST: case OP_BUILD_DICT:
        mark_all_arrays(w, v->args, v->nargs);
        return;
    case OP_BINARY: case OP_UNARY: case OP_COMPARE:
        if (v->resolved == RES_ELEMENTWISE && v->dest)
            mark(w, v->dest); // a += b is a
        return;
    case OP_CALL:
        mark_call(w, v);
        return;
    case OP_PARAM: {
        if (w->visited[v->id])
            return;
        w->visited[v->id] = true;
        Block *b = v->block;
        int k = 0;
        while (k < b->params.len && b->params.data[k] != v)
            k++;
        for (int pi = 0; pi < b->preds.len; pi++) {
            Instr *t = ir_terminator(b->preds.data[pi]);
            for (int e = 0; e < t->nsucc; e++)
                if (t->succ[e].to == b)
                    mark(w, t->succ[e].args[k]);
        }
        return;
    }
    default:
        return;
    }
}

/* A list, dict or set method or operator that changes its container (the
 * receiver, or a of a += b). */
static bool changes_list(const Instr *in) {
    if (in->op == OP_BINARY)
        return in->type->kind == TY_LIST && in->sub >= FE_NB_INPLACE;
    if (in->op != OP_CALL || in->resolved != RES_BUILTIN)
        return false;
    switch (in->builtin) {
    case B_LIST_APPEND: case B_LIST_INSERT: case B_LIST_POP: case B_LIST_CLEAR: case B_LIST_REVERSE:
    case B_LIST_DELITEM: case B_LIST_EXTEND: case B_DICT_SETDEFAULT: case B_DICT_POP: case B_DICT_DELITEM:
    case B_DICT_CLEAR: case B_SET_ADD: case B_SET_DISCARD: case B_SET_REMOVE: case B_SET_POP:
        return true;
    default:
        return false;
    }
}

void fe_compute_writes(Func *f, Diag *d) {
    Writes w = {.f = f, .d = d, .visited = ARENA_ARRAY(f->arena, bool, f->next_id + 1)};
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        for (int ii = 0; ii < b->instrs.len; ii++) {
            Instr *in = b->instrs.data[ii];
            w.store = in;
            TypeKind k = in->op == OP_SETITEM ? in->args[0]->type->kind : TY_UNKNOWN;
            if (k == TY_ARRAY || k == TY_LIST || k == TY_DICT)
                mark(&w, in->args[0]);
            if (changes_list(in))
                mark(&w, in->op == OP_CALL ? in->args[0]->args[0] : in->args[0]);
            if (in->resolved == RES_ELEMENTWISE && in->dest)
                mark(&w, in->dest);
            if (in->op == OP_CALL && in->resolved == RES_BUILTIN && in->builtin == B_ARR_FILL)
                mark(&w, in->args[0]->args[0]);
            // A callee that writes its parameter writes what we pass it.
            if (in->op == OP_CALL && in->resolved == RES_USER_CALL) {
                Func *c = in->callee;
                for (int p = 0; p < in->nargmap && p < 64; p++) {
                    if (!c->writes_arg[p] && !c->inferring)
                        continue;
                    if (in->argmap[p] > 0)
                        mark(&w, in->args[in->argmap[p]]);
                    else if (in->argmap[p] == 0) // a method's receiver
                        mark(&w, in->args[0]->args[0]);
                }
            }
        }
    }
}
