/* The set of specialisations a build compiles: the exported signatures, and
 * every (function, argument types) pair that typing them calls for. */
#include "frontend.h"

#include <string.h>

void fe_build_init(FeBuild *b, Arena *a, Diag *d) {
    memset(b, 0, sizeof *b);
    b->arena = a;
    b->diag = d;
    ty_init(&b->types, a);
}

static Func *new_spec(FeBuild *b, FeFunction *fn, const Type **argtypes, const FeConst **arg_consts, int nargs,
                      const Type *declared_ret) {
    Func *f = ARENA_NEW(b->arena, Func);
    f->arena = b->arena;
    f->src = fn;
    f->name = fn->name;
    int n = 0;
    for (int i = 0; i < b->specs.len; i++)
        if (b->specs.data[i]->src == fn)
            n++;
    f->symbol = arena_printf(b->arena, "pyaot.%s.%d", fn->name, n);
    f->argtypes = ARENA_ARRAY(b->arena, const Type *, nargs > 0 ? nargs : 1);
    mem_copy(f->argtypes, argtypes, sizeof(Type *) * (size_t)nargs);
    f->nargs = nargs;
    if (arg_consts) {
        f->arg_consts = ARENA_ARRAY(b->arena, const FeConst *, nargs > 0 ? nargs : 1);
        mem_copy(f->arg_consts, arg_consts, sizeof(FeConst *) * (size_t)nargs);
    }
    f->declared_ret = declared_ret;
    vec_push(b->arena, &b->specs, f);
    return f;
}

enum { MAX_NESTED_BUILDS = 256 };

static void build_and_infer(FeBuild *b, Func *f) {
    f->blocks.len = 0;
    f->next_id = 0;
    vec_push(b->arena, &b->inferring, f);
    fe_build_ssa(b, f);
    fe_infer(b, f);
    fe_fuse(b, f);
    fe_outline_prange(b, f);
    b->inferring.len--;
}

/* Builds f; while a caller's argument types may still change, a failure
 * only marks the attempt failed (the caller's last pass reports the error if
 * the call survives). */
static bool run(FeBuild *b, Func *f) {
    if (!b->speculative) {
        build_and_infer(b, f);
        return true;
    }
    jmp_buf trap;
    jmp_buf *outer = b->diag->unwind;
    int specs = b->specs.len, depth = b->inferring.len;
    b->diag->unwind = &trap;
    if (setjmp(trap)) {
        b->diag->unwind = outer;
        b->diag->failed = false;
        b->diag->internal = false;
        b->diag->note = NULL;
        // Everything the failed attempt started is forgotten: specialisations
        // it created, and those it left half-typed on the stack.
        for (int i = depth; i < b->inferring.len; i++) {
            b->inferring.data[i]->inferring = false;
            b->inferring.data[i]->typed = false;
        }
        b->inferring.len = depth;
        if (b->specs.len > specs)
            b->specs.len = specs;
        return false;
    }
    build_and_infer(b, f);
    b->diag->unwind = outer;
    return true;
}

/* Builds f for a call at call_pos. An error anywhere in f's build names
 * the call that led there (the innermost one, when calls nest); an error in
 * library code is reported at the user's call into the library. */
static bool run_called(FeBuild *b, Func *f, SrcPos call_pos) {
    char *caller_note = b->diag->note;
    Diag *d = b->diag;
    // Each constant argument makes a new copy: recursion that changes one
    // without end would build copies until the stack runs out.
    if (b->inferring.len >= MAX_NESTED_BUILDS)
        diag_error(d, call_pos, "calls nest more than %d deep while compiling: a recursive call whose "
                                "constant arguments never repeat (each value compiles a new copy)", MAX_NESTED_BUILDS);
    const char *outer_label = d->library_label;
    SrcPos outer_call = d->library_call;
    if (f->src->library && outer_label) // library code calling itself: no note of its own
        return run(b, f);
    if (f->src->library && !outer_label && call_pos.file) {
        d->library_file = f->src->code->filename;
        d->library_call = call_pos;
        d->library_label = f->src->label;
        bool ok = run(b, f);
        d->library_label = outer_label;
        d->library_call = outer_call;
        return ok;
    }
    if (call_pos.file && call_pos.line > 0) {
        const char *types = "";
        for (int i = 0; i < f->nargs; i++)
            types = arena_printf(b->arena, "%s%s%s", types, i ? ", " : "", ty_str(b->arena, f->argtypes[i]));
        diag_note(b->diag, "in '%s(%s)', called from %s:%d:%d", f->name, types, call_pos.file, call_pos.line,
                  call_pos.col);
    }
    bool ok = run(b, f);
    b->diag->note = caller_note;
    return ok;
}

static bool same_const(const FeConst *a, const FeConst *b) {
    if (!a || !b)
        return a == b;
    return a->kind == b->kind && a->i == b->i && a->u == b->u;
}

Func *fe_specialize(FeBuild *b, FeFunction *fn, const Type **argtypes, const FeConst **arg_consts, int nargs,
                    const Type *declared_ret, SrcPos call_pos) {
    for (int i = 0; i < b->specs.len; i++) {
        Func *f = b->specs.data[i];
        if (f->src != fn || f->nargs != nargs || f->parallel)
            continue;
        bool same = true;
        for (int k = 0; k < nargs && same; k++)
            same = f->argtypes[k] == argtypes[k] &&
                   same_const(f->arg_consts ? f->arg_consts[k] : NULL, arg_consts ? arg_consts[k] : NULL);
        if (!same)
            continue;
        if (!f->typed && !f->inferring && !run_called(b, f, call_pos))
            return NULL;
        return f;
    }
    Func *f = new_spec(b, fn, argtypes, arg_consts, nargs, declared_ret);
    return run_called(b, f, call_pos) ? f : NULL;
}

FeFunction *fe_library_lookup(const FeBuild *b, const char *qualified_name) {
    for (int i = 0; i < b->library.len; i++)
        if (strcmp(b->library.data[i].name, qualified_name) == 0)
            return b->library.data[i].func;
    return NULL;
}

void fe_add_export(FeBuild *b, const char *name, FeFunction *fn, const FeSigText *sigs, int nsigs) {
    FeExport ex = {.name = name, .func = fn};
    const FeCode *code = fn->code;
    // Before the signatures: `def f(*a)` takes no fixed parameters, and
    // saying so beats saying that the signature has too many.
    fe_check_code_flags(b, code);
    for (int i = 0; i < nsigs; i++) {
        const FeSigText *text = &sigs[i];
        FeSig sig = fe_parse_sig(&b->types, b->diag, text);
        // Trailing parameters the signature leaves out take their defaults'
        // types (def f(a, k=2) with "f8(f8)": k is an int64 that defaults to 2).
        int first_default = code->argcount - fn->ndefaults;
        if (sig.nparams < code->argcount && sig.nparams >= first_default) {
            const Type **params = ARENA_ARRAY(b->arena, const Type *, code->argcount);
            mem_copy(params, sig.params, sizeof(Type *) * (size_t)sig.nparams);
            for (int p = sig.nparams; p < code->argcount; p++) {
                const FeConst *d = fn->defaults[p - first_default];
                const Type *t = ty_of_const(&b->types, d);
                if (!t || !ty_is_runtime(t))
                    diag_error(b->diag, text->pos.col ? text->pos : (SrcPos){.text = text->text, .col = 1},
                               "signature '%s' leaves out parameter '%s' of '%s', whose default is not a number "
                               "or a tuple of numbers: give its type in the signature",
                               text->text, code->varnames[p], fn->name);
                params[p] = t;
            }
            sig.params = params;
            sig.nparams = code->argcount;
        }
        if (sig.nparams != code->argcount) {
            SrcPos pos = text->pos;
            if (pos.col == 0) {
                pos.text = text->text;
                pos.col = 1;
            }
            pos.end_col = pos.col + (int)strlen(text->text);
            diag_error(b->diag, pos, "signature '%s' has %d parameter%s but '%s' takes %d",
                       text->text, sig.nparams, sig.nparams == 1 ? "" : "s", fn->name, code->argcount);
        }
        // A list argument is unboxed into a list of its own for the call:
        // items holding references (arrays, lists) would need their buffers
        // held for as long, which the wrapper does not do yet.
        for (int p = 0; p < sig.nparams; p++)
            if (sig.params[p]->kind == TY_LIST && ty_is_refcounted(sig.params[p]->item))
                diag_error(b->diag, text->pos.col ? text->pos : (SrcPos){.text = text->text, .col = 1},
                           "signature '%s': list parameters of arrays or lists are not supported (pass a tuple of "
                           "arrays, or a 2-D array)", text->text);
        for (int k = 0; k < ex.overloads.len; k++) {
            Func *other = ex.overloads.data[k];
            bool same = true;
            for (int p = 0; p < sig.nparams && same; p++)
                same = other->argtypes[p] == sig.params[p];
            if (same)
                diag_error(b->diag, text->pos.col ? text->pos : (SrcPos){.text = text->text, .col = 1},
                           "signature '%s' repeats the parameter types of an earlier signature of '%s'",
                           text->text, name);
        }
        Func *f = new_spec(b, fn, sig.params, NULL, sig.nparams, sig.ret);
        vec_push(b->arena, &ex.overloads, f);
    }
    vec_push(b->arena, &b->exports, ex);
}

/* The specialisation of overload f for C-contiguous arrays in place of its
 * any-layout array parameters, or NULL when it has none (or when typing it
 * fails, which only costs the fast path). */
static Func *contiguous_variant(FeBuild *b, Func *f) {
    const Type **types = ARENA_ARRAY(b->arena, const Type *, f->nargs > 0 ? f->nargs : 1);
    bool any = false;
    for (int i = 0; i < f->nargs; i++) {
        const Type *t = f->argtypes[i];
        if (t->kind == TY_ARRAY && t->layout != 'C') {
            t = ty_array(&b->types, t->dtype, t->ndim, 'C');
            any = true;
        }
        types[i] = t;
    }
    if (!any)
        return NULL;
    b->speculative++;
    Func *c = fe_specialize(b, f->src, types, NULL, f->nargs, f->declared_ret, (SrcPos){0});
    b->speculative--;
    return c;
}

/* An exported function returns its result to Python: a range, an iterator
 * or a dict's view has no Python counterpart pyaot makes. */
static void report_unboxable_return(FeBuild *b, Func *f) {
    SrcPos pos = {.file = f->src->code->filename, .line = f->src->code->firstlineno};
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Instr *t = ir_terminator(f->blocks.data[bi]);
        if (t && t->op == OP_RETURN && !ty_is_boxable(t->args[0]->type)) {
            pos = t->pos;
            break;
        }
    }
    const char *what = ty_str(b->arena, f->ret);
    diag_error(b->diag, pos, "'%s' returns %s, which cannot be returned to Python: return a list of it (list(x)) "
               "or the container itself", f->name, what);
}

void fe_infer_exports(FeBuild *b) {
    for (int i = 0; i < b->exports.len; i++) {
        FeExport *ex = &b->exports.data[i];
        for (int k = 0; k < ex->overloads.len; k++) {
            Func *f = ex->overloads.data[k];
            if (!f->typed && !f->inferring)
                build_and_infer(b, f);
            if (!ty_is_boxable(f->ret))
                report_unboxable_return(b, f);
        }
    }
    for (int i = 0; i < b->exports.len; i++) {
        FeExport *ex = &b->exports.data[i];
        for (int k = 0; k < ex->overloads.len; k++)
            vec_push(b->arena, &ex->contiguous, contiguous_variant(b, ex->overloads.data[k]));
    }
}
