/* The CPython side of a module: one METH_FASTCALL | METH_KEYWORDS wrapper per
 * exported function, and PyInit_<module>.
 *
 * A wrapper binds the arguments to parameters, picks the overload whose
 * parameter types fit best (pyaot_rt_match), unboxes each argument into its
 * native form (arrays through the buffer protocol, with a meminfo on the
 * wrapper's stack that borrows the argument's memory), calls the native
 * function, releases the buffers and boxes the result. When the native call
 * fails, every array it allocated and still holds is freed through the
 * runtime's live list, since a failing native function skips its decrefs.
 * Where array arguments of one rank turn out to share their shape (checked
 * in a few compares), the wrapper calls the function's variant that knows
 * it, whose bounds checks against those shapes fold together. */
#include "lw.h"

#include <stdlib.h>
#include <string.h>

typedef struct Wrapper {
    LwModule *m;
    LLVMBuilderRef b;
    LLVMBuilderRef alloca_b; // stack slots go in the entry block, where SROA finds them
    LLVMValueRef fn;
    LLVMValueRef func_desc; // the pyaot_func
    LLVMValueRef bound;     // PyObject *bound[nparams]
    FeExport *ex;
    int nparams, nrequired;
} Wrapper;

static LLVMValueRef call_rt(Wrapper *w, const char *name, LLVMValueRef *args, int n) {
    LLVMTypeRef type;
    LLVMValueRef f = lw_runtime_fn(w->m, name, &type);
    return LLVMBuildCall2(w->b, type, f, args, (unsigned)n, "");
}

static LLVMValueRef slot(Wrapper *w, LLVMTypeRef type, const char *name) {
    return LLVMBuildAlloca(w->alloca_b, type, name);
}

static LLVMValueRef alloca_bytes(Wrapper *w, int64_t size, const char *name) {
    LLVMValueRef a = slot(w, LLVMArrayType2(w->m->i8, (uint64_t)size), name);
    LLVMSetAlignment(a, 16);
    return a;
}

static LLVMValueRef const_global(LwModule *m, LLVMValueRef init, const char *name) {
    LLVMValueRef g = LLVMAddGlobal(m->mod, LLVMTypeOf(init), name);
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    return g;
}

static const char *signature_text(Arena *a, const Func *f) {
    StrBuf sb;
    sb_init(&sb, a);
    sb_printf(&sb, "%s(", ty_str(a, f->declared_ret ? f->declared_ret : f->ret));
    for (int i = 0; i < f->nargs; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", ty_str(a, f->argtypes[i]));
    sb_append(&sb, ")");
    return sb.data;
}

/* Parameters from the first array on cannot take their defaults (a default
 * is a constant, never an array), so they count as required. */
static int required_params(const FeExport *ex) {
    const FeFunction *fn = ex->func;
    int nparams = fn->code->argcount, nrequired = nparams - fn->ndefaults;
    for (int k = 0; k < ex->overloads.len; k++)
        for (int i = nrequired; i < nparams; i++)
            if (!ty_is_scalar(ex->overloads.data[k]->argtypes[i]) &&
                ex->overloads.data[k]->argtypes[i]->kind != TY_TUPLE)
                nrequired = i + 1;
    return nrequired;
}

static LLVMValueRef make_func_desc(LwModule *m, const FeExport *ex, int nrequired) {
    const FeFunction *fn = ex->func;
    int nparams = fn->code->argcount;
    LLVMValueRef *names = ARENA_ARRAY(m->arena, LLVMValueRef, nparams + 1);
    for (int i = 0; i < nparams; i++)
        names[i] = lw_cstring(m, fn->code->varnames[i]);
    LLVMValueRef *sigs = ARENA_ARRAY(m->arena, LLVMValueRef, ex->overloads.len + 1);
    for (int k = 0; k < ex->overloads.len; k++)
        sigs[k] = lw_cstring(m, signature_text(m->arena, ex->overloads.data[k]));
    LLVMValueRef fields[] = {
        lw_cstring(m, ex->name),
        LLVMConstInt(m->i32, (unsigned)nparams, 0),
        LLVMConstInt(m->i32, (unsigned)nrequired, 0),
        const_global(m, LLVMConstArray2(m->ptr, names, (uint64_t)nparams), "pyaot.params"),
        LLVMConstInt(m->i32, (unsigned)ex->overloads.len, 0),
        const_global(m, LLVMConstArray2(m->ptr, sigs, (uint64_t)ex->overloads.len), "pyaot.sigs"),
    };
    return const_global(m, LLVMConstStructInContext(m->ctx, fields, sizeof fields / sizeof fields[0], 0),
                        "pyaot.func");
}

static LLVMValueRef bound_arg(Wrapper *w, int i) {
    LLVMValueRef idx = LLVMConstInt(w->m->i64, (unsigned)i, 0);
    LLVMValueRef p = LLVMBuildInBoundsGEP2(w->b, w->m->ptr, w->bound, &idx, 1, "");
    return LLVMBuildLoad2(w->b, w->m->ptr, p, "arg");
}

static void return_null(Wrapper *w) {
    LLVMBuildRet(w->b, LLVMConstNull(w->m->ptr));
}

/* The index of the overload to call (straight-line code: the overloads of
 * one function are few). Returns i32; -1 after raising TypeError. */
static LLVMValueRef choose_overload(Wrapper *w) {
    LwModule *m = w->m;
    LLVMBuilderRef B = w->b;
    LLVMValueRef best = LLVMConstInt(m->i32, 0, 0), best_score = LLVMConstInt(m->i32, (unsigned long long)-1, 1);
    for (int k = 0; k < w->ex->overloads.len; k++) {
        Func *f = w->ex->overloads.data[k];
        LLVMValueRef score = LLVMConstInt(m->i32, 2, 0);
        for (int i = 0; i < w->nparams; i++) {
            LLVMValueRef args[2] = {bound_arg(w, i), lw_type_desc(m, f->argtypes[i], f->writes_arg[i])};
            LLVMValueRef s = call_rt(w, "pyaot_rt_match", args, 2);
            score = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, s, score, ""), s, score, "");
        }
        LLVMValueRef better = LLVMBuildICmp(B, LLVMIntSGT, score, best_score, "");
        best = LLVMBuildSelect(B, better, LLVMConstInt(m->i32, (unsigned)k, 0), best, "");
        best_score = LLVMBuildSelect(B, better, score, best_score, "");
    }
    LLVMBasicBlockRef none = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "no_match");
    LLVMBasicBlockRef found = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "found");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, best_score, LLVMConstInt(m->i32, 0, 0), ""), none, found);
    LLVMPositionBuilderAtEnd(B, none);
    LLVMValueRef args[3] = {w->func_desc, w->bound, LLVMConstInt(m->i64, (unsigned)w->nparams, 0)};
    call_rt(w, "pyaot_rt_no_match", args, 3);
    return_null(w);
    LLVMPositionBuilderAtEnd(B, found);
    return best;
}

/* Releases the buffers of array parameters [0, upto) of f. */
static void release_views(Wrapper *w, const Func *f, LLVMValueRef *views, int upto) {
    for (int i = upto - 1; i >= 0; i--)
        if (f->argtypes[i]->kind == TY_ARRAY)
            call_rt(w, "pyaot_rt_release", &views[i], 1);
}

/* List, dict and set arguments are native containers made by unboxing:
 * after the call the Python object takes the native one's items when the
 * function can change it (reflection, as Numba), and the native one is
 * dropped; after a failed call, or a failed unboxing of a later argument,
 * it is freed outright. These name the runtime's functions for each. */
typedef struct ContainerArg { const char *release, *reflect, *decref; } ContainerArg;

static const ContainerArg *container_arg(const Type *t) {
    static const ContainerArg list = {"pyaot_rt_list_release_arg", "pyaot_rt_list_reflect", "pyaot_rt_list_decref"};
    static const ContainerArg dict = {"pyaot_rt_dict_release_arg", "pyaot_rt_dict_reflect", "pyaot_rt_dict_decref"};
    return t->kind == TY_LIST ? &list : t->kind == TY_DICT || t->kind == TY_SET ? &dict : NULL;
}

static void release_lists(Wrapper *w, const Func *f, LLVMValueRef *args, int upto) {
    for (int i = 0; i < upto; i++)
        if (container_arg(f->argtypes[i]))
            call_rt(w, container_arg(f->argtypes[i])->release, &args[i], 1);
}

/* Reflects and drops the list arguments; returns an i1 that is true when
 * a reflection failed (an exception is set). */
static LLVMValueRef reflect_lists(Wrapper *w, const Func *f, LLVMValueRef *args) {
    LwModule *m = w->m;
    LLVMValueRef bad = LLVMConstInt(m->i1, 0, 0);
    for (int i = 0; i < f->nargs; i++) {
        const ContainerArg *c = container_arg(f->argtypes[i]);
        if (!c)
            continue;
        if (f->writes_arg[i]) {
            LLVMValueRef rargs[2] = {bound_arg(w, i), args[i]};
            LLVMValueRef st = call_rt(w, c->reflect, rargs, 2);
            bad = LLVMBuildOr(w->b, bad, LLVMBuildICmp(w->b, LLVMIntSLT, st, LLVMConstInt(m->i32, 0, 0), ""), "");
        }
        call_rt(w, c->decref, &args[i], 1);
    }
    return bad;
}

/* True when every any-layout array argument of f is in fact C-contiguous
 * (dimensions of length 1 may have any stride). */
static LLVMValueRef all_contiguous(Wrapper *w, const Func *f, LLVMValueRef *args) {
    LwModule *m = w->m;
    LLVMBuilderRef B = w->b;
    LLVMValueRef ok = LLVMConstInt(m->i1, 1, 0);
    for (int i = 0; i < f->nargs; i++) {
        const Type *t = f->argtypes[i];
        if (t->kind != TY_ARRAY || t->layout == 'C')
            continue;
        LLVMValueRef shape = LLVMBuildExtractValue(B, args[i], 2, "");
        LLVMValueRef strides = LLVMBuildExtractValue(B, args[i], 3, "");
        LLVMValueRef expected = LLVMConstInt(m->i64, 1, 0);
        for (int d = t->ndim - 1; d >= 0; d--) {
            LLVMValueRef n = LLVMBuildExtractValue(B, shape, (unsigned)d, "");
            LLVMValueRef s = LLVMBuildExtractValue(B, strides, (unsigned)d, "");
            LLVMValueRef fits = LLVMBuildOr(B, LLVMBuildICmp(B, LLVMIntEQ, s, expected, ""),
                                            LLVMBuildICmp(B, LLVMIntEQ, n, LLVMConstInt(m->i64, 1, 0), ""), "");
            ok = LLVMBuildAnd(B, ok, fits, "");
            expected = LLVMBuildMul(B, expected, n, "");
        }
    }
    return ok;
}

/* True when every array argument of f has the shape of the first of its
 * rank; NULL when f has no two arrays of one rank. */
static LLVMValueRef shapes_equal(Wrapper *w, Func *f, LLVMValueRef *args) {
    LwModule *m = w->m;
    LLVMBuilderRef B = w->b;
    LLVMValueRef ok = NULL;
    for (int i = 0; i < f->nargs; i++) {
        int k = lw_shape_leader(m, f, i);
        if (k < 0)
            continue;
        LLVMValueRef mine = LLVMBuildExtractValue(B, args[i], 2, ""), first = LLVMBuildExtractValue(B, args[k], 2, "");
        for (int d = 0; d < f->argtypes[i]->ndim; d++) {
            LLVMValueRef same = LLVMBuildICmp(B, LLVMIntEQ, LLVMBuildExtractValue(B, mine, (unsigned)d, ""),
                                              LLVMBuildExtractValue(B, first, (unsigned)d, ""), "");
            ok = ok ? LLVMBuildAnd(B, ok, same, "") : same;
        }
    }
    return ok;
}

/* f on the unboxed arguments, through its variant for equal shapes when
 * `shared` and the shapes are equal. */
static LLVMValueRef call_native(Wrapper *w, Func *f, LLVMValueRef *args, bool shared, LLVMValueRef *failed) {
    LwModule *m = w->m;
    LLVMBuilderRef B = w->b;
    LLVMValueRef equal = shared ? shapes_equal(w, f, args) : NULL;
    if (!equal)
        return lw_call_native(m, B, f, 0, args, failed);
    LLVMBasicBlockRef yes = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "equal_shapes");
    LLVMBasicBlockRef no = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "other_shapes");
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "called");
    LLVMBuildCondBr(B, equal, yes, no);
    LLVMValueRef values[2], flags[2];
    LLVMBasicBlockRef from[2];
    for (int k = 0; k < 2; k++) {
        LLVMPositionBuilderAtEnd(B, k == 0 ? yes : no);
        values[k] = lw_call_native(m, B, f, k == 0 ? LW_SHARED_SHAPES : 0, args, &flags[k]);
        from[k] = LLVMGetInsertBlock(B);
        LLVMBuildBr(B, join);
    }
    LLVMPositionBuilderAtEnd(B, join);
    LLVMValueRef value = LLVMBuildPhi(B, LLVMTypeOf(values[0]), "");
    LLVMAddIncoming(value, values, from, 2);
    *failed = NULL;
    if (flags[0]) {
        *failed = LLVMBuildPhi(B, m->i1, "");
        LLVMAddIncoming(*failed, flags, from, 2);
    }
    return value;
}

/* Whether a call of f is over too soon for letting go of the GIL (about
 * 40 ns) to pay: no loop, no call of compiled code, no array made (array
 * operations are loops). */
static bool runs_briefly(const Func *f) {
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *b = f->blocks.data[bi];
        if (b->rpo < 0)
            continue;
        for (int ii = 0; ii < b->instrs.len; ii++) {
            const Instr *in = b->instrs.data[ii];
            if (in->resolved == RES_USER_CALL || in->resolved == RES_ELEMENTWISE)
                return false;
            if (in->type && (in->type->kind == TY_ARRAY || in->type->kind == TY_LIST))
                return false;
            for (int e = 0; e < in->nsucc; e++)
                if (in->succ[e].to->rpo <= b->rpo) // a back edge: a loop
                    return false;
        }
    }
    return true;
}

/* Calls f on the unboxed arguments, releases the buffers (taken for the
 * parameters of `unboxed_as`) and returns the boxed result. `shared`: try
 * f's variant for equal shapes first. */
static void call_and_box(Wrapper *w, Func *f, const Func *unboxed_as, LLVMValueRef *args, LLVMValueRef *views,
                         bool shared) {
    LwModule *m = w->m;
    LLVMBuilderRef B = w->b;
    int n = f->nargs;
    const Type *ret = f->ret;
    LLVMValueRef mark = call_rt(w, "pyaot_rt_live_mark", NULL, 0);
    LLVMBasicBlockRef failed_bb = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "call_failed");
    if (lw_reaches_call_cycle(m, f)) {
        // A stack overflow deep down comes back here, RecursionError set.
        LLVMValueRef exit = alloca_bytes(w, m->sizeof_jmp_buf, "overflow_exit");
        LLVMValueRef unwound = lw_stack_guard(m, B, exit);
        LLVMBasicBlockRef unwound_bb = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "unwound");
        LLVMBasicBlockRef call_bb = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "call");
        LLVMBuildCondBr(B, unwound, unwound_bb, call_bb);
        LLVMPositionBuilderAtEnd(B, unwound_bb);
        release_views(w, unboxed_as, views, n);
        LLVMBuildBr(B, failed_bb);
        LLVMPositionBuilderAtEnd(B, call_bb);
    }
    // Compiled code needs no Python (the runtime takes the GIL where it
    // must): other Python threads run meanwhile. Not for calls that can
    // reach a call cycle, whose stack checks read one floor per module.
    bool release = f->src->nogil != FE_SWITCH_OFF && !lw_reaches_call_cycle(m, f) && !runs_briefly(f);
    LLVMValueRef gil = release ? call_rt(w, "pyaot_rt_gil_release", NULL, 0) : NULL;
    LLVMValueRef failed;
    LLVMValueRef value = call_native(w, f, args, shared, &failed);
    if (gil)
        call_rt(w, "pyaot_rt_gil_restore", &gil, 1);
    release_views(w, unboxed_as, views, n);
    LLVMBasicBlockRef ok = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "call_ok");
    if (failed)
        LLVMBuildCondBr(B, failed, failed_bb, ok);
    else
        LLVMBuildBr(B, ok);
    LLVMPositionBuilderAtEnd(B, failed_bb);
    release_lists(w, unboxed_as, args, n);
    call_rt(w, "pyaot_rt_live_release", &mark, 1);
    return_null(w);
    LLVMPositionBuilderAtEnd(B, ok);
    LLVMValueRef result = slot(w, ret->kind == TY_NONE ? m->i8 : lw_type(m, ret), "result");
    LLVMBuildStore(B, value, result);
    LLVMValueRef bargs[2] = {result, lw_type_desc(m, ret, false)};
    LLVMValueRef reflect_failed = reflect_lists(w, unboxed_as, args);
    LLVMBasicBlockRef good = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "reflected");
    LLVMBasicBlockRef bad = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "reflect_failed");
    LLVMBuildCondBr(B, reflect_failed, bad, good);
    LLVMPositionBuilderAtEnd(B, bad);
    call_rt(w, "pyaot_rt_drop", bargs, 2);
    return_null(w);
    LLVMPositionBuilderAtEnd(B, good);
    LLVMBuildRet(B, call_rt(w, "pyaot_rt_box", bargs, 2));
}

/* Unbox, call, box for overload k; ends every path with a return. */
static void call_overload(Wrapper *w, int k) {
    Func *f = w->ex->overloads.data[k];
    LwModule *m = w->m;
    LLVMBuilderRef B = w->b;
    int n = f->nargs;
    LLVMValueRef *natives = ARENA_ARRAY(m->arena, LLVMValueRef, n + 1);
    LLVMValueRef *views = ARENA_ARRAY(m->arena, LLVMValueRef, n + 1);
    LLVMValueRef *args = ARENA_ARRAY(m->arena, LLVMValueRef, n + 1);
    int nrequired = f->nargs - f->src->ndefaults;
    for (int i = 0; i < n; i++) {
        const Type *t = f->argtypes[i];
        LLVMTypeRef lt = lw_type(m, t);
        natives[i] = slot(w, lt, "native");
        bool array = t->kind == TY_ARRAY;
        LLVMValueRef mi = array ? alloca_bytes(w, m->sizeof_meminfo, "meminfo") : LLVMConstNull(m->ptr);
        views[i] = array ? alloca_bytes(w, m->sizeof_py_buffer, "view") : LLVMConstNull(m->ptr);
        LLVMValueRef arg = bound_arg(w, i);
        LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "next");
        if (i >= nrequired && i >= w->nrequired) {
            // Omitted: the default, frozen at build time.
            LLVMBasicBlockRef given = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "given");
            LLVMBasicBlockRef omitted = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "omitted");
            LLVMBuildCondBr(B, LLVMBuildIsNull(B, arg, ""), omitted, given);
            LLVMPositionBuilderAtEnd(B, omitted);
            LLVMBuildStore(B, lw_const_value(m, f->src->defaults[i - nrequired], t), natives[i]);
            LLVMBuildBr(B, next);
            LLVMPositionBuilderAtEnd(B, given);
        }
        const char *fast = t->kind == TY_INT && t->bits == 64 && t->is_signed ? "pyaot_rt_unbox_int64_fast"
                         : t->kind == TY_FLOAT && t->bits == 64          ? "pyaot_rt_unbox_float64_fast"
                                                                         : NULL;
        if (fast) {
            // Plain ints and floats skip the general conversion.
            LLVMValueRef fargs[2] = {arg, natives[i]};
            LLVMValueRef done = call_rt(w, fast, fargs, 2);
            LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "slow");
            LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, done, LLVMConstInt(m->i32, 0, 0), ""), next, slow);
            LLVMPositionBuilderAtEnd(B, slow);
        }
        LLVMValueRef uargs[7] = {arg, lw_type_desc(m, t, f->writes_arg[i]), natives[i], mi, views[i], w->func_desc,
                                 LLVMConstInt(m->i32, (unsigned)i, 0)};
        LLVMValueRef st = call_rt(w, "pyaot_rt_unbox", uargs, 7);
        LLVMBasicBlockRef fail = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "unbox_failed");
        LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, st, LLVMConstInt(m->i32, 0, 0), ""), fail, next);
        LLVMPositionBuilderAtEnd(B, fail);
        release_views(w, f, views, i);
        release_lists(w, f, args, i);
        return_null(w);
        LLVMPositionBuilderAtEnd(B, next);
        args[i] = LLVMBuildLoad2(B, lt, natives[i], "");
    }
    // Arrays of one rank usually share their shape: the variant that knows
    // it is tried on the common path (the contiguous one where there is one).
    Func *fast = w->ex->contiguous.data[k];
    if (!fast) {
        call_and_box(w, f, f, args, views, true);
        return;
    }
    LLVMBasicBlockRef yes = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "contiguous");
    LLVMBasicBlockRef no = LLVMAppendBasicBlockInContext(m->ctx, w->fn, "strided");
    LLVMBuildCondBr(B, all_contiguous(w, f, args), yes, no);
    LLVMPositionBuilderAtEnd(B, yes);
    call_and_box(w, fast, f, args, views, true);
    LLVMPositionBuilderAtEnd(B, no);
    call_and_box(w, f, f, args, views, false);
}

static LLVMValueRef lower_wrapper(LwModule *m, FeExport *ex) {
    LLVMTypeRef params[4] = {m->ptr, m->ptr, m->i64, m->ptr};
    LLVMTypeRef type = LLVMFunctionType(m->ptr, params, 4, 0);
    Wrapper w = {.m = m, .ex = ex, .nparams = ex->func->code->argcount};
    w.fn = LLVMAddFunction(m->mod, arena_printf(m->arena, "pyaot.wrap.%s", ex->name), type);
    LLVMSetLinkage(w.fn, LLVMInternalLinkage);
    w.b = LLVMCreateBuilderInContext(m->ctx);
    w.nrequired = required_params(ex);
    w.func_desc = make_func_desc(m, ex, w.nrequired);
    w.alloca_b = LLVMCreateBuilderInContext(m->ctx);
    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(m->ctx, w.fn, "entry");
    LLVMBasicBlockRef start = LLVMAppendBasicBlockInContext(m->ctx, w.fn, "start");
    LLVMPositionBuilderAtEnd(w.b, entry);
    LLVMPositionBuilderBefore(w.alloca_b, LLVMBuildBr(w.b, start));
    LLVMPositionBuilderAtEnd(w.b, start);
    // -g: the wrapper sits on the def line, so inlined code keeps its lines.
    LLVMMetadataRef sp = lw_debug_subprogram(m, w.fn, ex->func->code, ex->name);
    lw_debug_at(m, w.b, sp, ex->func->code->firstlineno);
    w.bound = slot(&w, LLVMArrayType2(m->ptr, (uint64_t)(w.nparams > 0 ? w.nparams : 1)), "bound");
    LLVMValueRef bargs[5] = {w.func_desc, LLVMGetParam(w.fn, 1), LLVMGetParam(w.fn, 2), LLVMGetParam(w.fn, 3), w.bound};
    LLVMValueRef st = call_rt(&w, "pyaot_rt_bind", bargs, 5);
    LLVMBasicBlockRef bad = LLVMAppendBasicBlockInContext(m->ctx, w.fn, "bind_failed");
    LLVMBasicBlockRef good = LLVMAppendBasicBlockInContext(m->ctx, w.fn, "bound");
    LLVMBuildCondBr(w.b, LLVMBuildICmp(w.b, LLVMIntSLT, st, LLVMConstInt(m->i32, 0, 0), ""), bad, good);
    LLVMPositionBuilderAtEnd(w.b, bad);
    return_null(&w);
    LLVMPositionBuilderAtEnd(w.b, good);
    if (ex->overloads.len == 1) {
        call_overload(&w, 0);
    } else {
        LLVMValueRef which = choose_overload(&w);
        LLVMBasicBlockRef unreachable = LLVMAppendBasicBlockInContext(m->ctx, w.fn, "unreachable");
        LLVMValueRef sw = LLVMBuildSwitch(w.b, which, unreachable, (unsigned)ex->overloads.len);
        for (int k = 0; k < ex->overloads.len; k++) {
            LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(m->ctx, w.fn, "overload");
            LLVMAddCase(sw, LLVMConstInt(m->i32, (unsigned)k, 0), bb);
            LLVMPositionBuilderAtEnd(w.b, bb);
            call_overload(&w, k);
        }
        LLVMPositionBuilderAtEnd(w.b, unreachable);
        LLVMBuildUnreachable(w.b);
    }
    LLVMDisposeBuilder(w.b);
    LLVMDisposeBuilder(w.alloca_b);
    return w.fn;
}

/* "name(a, b)\n--\n\n" gives the function a __text_signature__ (so
 * inspect.signature and help() show its parameters), then the signatures. */
/* A default value as the Python literal inspect.signature can read back, or
 * NULL when there is none (inf, nan, complex, tuples). */
static const char *default_literal(Arena *a, const FeConst *c) {
    switch (c->kind) {
    case FE_CONST_NONE: return "None";
    case FE_CONST_BOOL: return c->i ? "True" : "False";
    case FE_CONST_INT: return arena_printf(a, "%lld", (long long)c->i);
    case FE_CONST_UINT: return arena_printf(a, "%llu", (unsigned long long)c->u);
    case FE_CONST_FLOAT:
        if (c->f != c->f || c->f - c->f != 0)
            return NULL;
        // Enough digits to read back the same double, and a '.' or 'e' so it stays a float.
        for (int digits = 1; digits <= 17; digits++) {
            char *text = arena_printf(a, "%.*g", digits, c->f);
            if (strtod(text, NULL) == c->f)
                return strpbrk(text, ".e") ? text : arena_printf(a, "%s.0", text);
        }
        return NULL;
    default: return NULL;
    }
}

static const char *doc_text(Arena *a, const FeExport *ex) {
    const FeFunction *fn = ex->func;
    int nparams = fn->code->argcount, nrequired = nparams - fn->ndefaults;
    StrBuf params;
    sb_init(&params, a);
    bool readable = true;
    for (int i = 0; i < nparams; i++) {
        sb_printf(&params, "%s%s", i ? ", " : "", fn->code->varnames[i]);
        if (i >= nrequired) {
            const char *lit = default_literal(a, fn->defaults[i - nrequired]);
            readable = readable && lit;
            sb_printf(&params, "=%s", lit ? lit : "?");
        }
    }
    StrBuf sb;
    sb_init(&sb, a);
    // "name(a, b=2)\n--\n\n" becomes __text_signature__; a default it cannot
    // spell is shown in the text instead.
    if (readable)
        sb_printf(&sb, "%s(%s)\n--\n\n", ex->name, params.data);
    else
        sb_printf(&sb, "%s(%s)\n", ex->name, params.data);
    sb_append(&sb, "Compiled by pyaot for:\n");
    for (int k = 0; k < ex->overloads.len; k++)
        sb_printf(&sb, "    %s\n", signature_text(a, ex->overloads.data[k]));
    return sb.data;
}

void lw_lower_wrappers(LwModule *m, FeBuild *fb) {
    int n = fb->exports.len;
    LLVMValueRef *entries = ARENA_ARRAY(m->arena, LLVMValueRef, n + 1);
    for (int i = 0; i < n; i++) {
        FeExport *ex = &fb->exports.data[i];
        LLVMValueRef fields[3] = {lw_cstring(m, ex->name), lower_wrapper(m, ex),
                                  lw_cstring(m, doc_text(m->arena, ex))};
        entries[i] = LLVMConstStructInContext(m->ctx, fields, 3, 0);
    }
    LLVMTypeRef entry_fields[3] = {m->ptr, m->ptr, m->ptr};
    LLVMTypeRef entry_type = LLVMStructTypeInContext(m->ctx, entry_fields, 3, 0);
    LLVMValueRef table = const_global(m, LLVMConstArray2(entry_type, entries, (uint64_t)n), "pyaot.exports");

    LLVMTypeRef init_type = LLVMFunctionType(m->ptr, NULL, 0, 0);
    LLVMValueRef init = LLVMAddFunction(m->mod, arena_printf(m->arena, "PyInit_%s", m->name), init_type);
    LLVMSetVisibility(init, LLVMDefaultVisibility);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(m->ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(m->ctx, init, "entry"));
    LLVMTypeRef type;
    LLVMValueRef module_init = lw_runtime_fn(m, "pyaot_rt_module_init", &type);
    LLVMValueRef args[4] = {lw_cstring(m, m->name), lw_cstring(m, ""), table, LLVMConstInt(m->i32, (unsigned)n, 0)};
    LLVMBuildRet(b, LLVMBuildCall2(b, type, module_init, args, 4, ""));
    LLVMDisposeBuilder(b);
}
