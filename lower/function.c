/* One native function per specialisation, with LLVM's fast calling
 * convention and its result in registers:
 *
 *   fastcc T       @pyaot.NAME.N(<arguments...>)   when it cannot fail
 *   fastcc {T, i1} @pyaot.NAME.N(<arguments...>)   when it can: i1 true means
 *                                                  a Python exception is set
 *
 * (void and i1 for a none result). Whether a function can fail is learnt by
 * lowering it: callees are lowered before their callers, and the members of
 * a call cycle are first taken not to fail, then lowered again with the
 * failing convention for those that turned out to fail, until that holds.
 * Array arguments are borrowed: the caller's reference outlives the call.
 * Aggregate arguments (arrays, tuples, complex numbers) travel as their
 * scalar leaves, so that LLVM drops the parts a callee never reads (the
 * meminfo nothing counts, the constant strides of a contiguous array) and
 * keeps the rest in registers, as gcc's IPA-SRA does for C.
 *
 * IR blocks map to LLVM blocks, block parameters to phis; an edge that
 * converts values or moves references gets a block of its own. */
#include "lw.h"

#include <string.h>

static int leaf_count(LLVMTypeRef t) {
    int n = 0;
    switch (LLVMGetTypeKind(t)) {
    case LLVMStructTypeKind:
        for (unsigned i = 0; i < LLVMCountStructElementTypes(t); i++)
            n += leaf_count(LLVMStructGetTypeAtIndex(t, i));
        return n;
    case LLVMArrayTypeKind:
        return (int)LLVMGetArrayLength2(t) * leaf_count(LLVMGetElementType(t));
    default:
        return 1;
    }
}

/* The leaves of v (of type t) into out[*n...], or their types when b is NULL. */
static void split_leaves(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, LLVMValueRef *out, LLVMTypeRef *types,
                         int *n) {
    LLVMTypeKind kind = LLVMGetTypeKind(t);
    if (kind != LLVMStructTypeKind && kind != LLVMArrayTypeKind) {
        if (b)
            out[*n] = v;
        else
            types[*n] = t;
        (*n)++;
        return;
    }
    unsigned count = kind == LLVMStructTypeKind ? LLVMCountStructElementTypes(t) : (unsigned)LLVMGetArrayLength2(t);
    for (unsigned i = 0; i < count; i++) {
        LLVMTypeRef item = kind == LLVMStructTypeKind ? LLVMStructGetTypeAtIndex(t, i) : LLVMGetElementType(t);
        split_leaves(b, b ? LLVMBuildExtractValue(b, v, i, "") : NULL, item, out, types, n);
    }
}

/* A value of type t rebuilt from fn's parameters *next... */
static LLVMValueRef join_leaves(LLVMBuilderRef b, LLVMValueRef fn, LLVMTypeRef t, unsigned *next) {
    LLVMTypeKind kind = LLVMGetTypeKind(t);
    if (kind != LLVMStructTypeKind && kind != LLVMArrayTypeKind)
        return LLVMGetParam(fn, (*next)++);
    unsigned count = kind == LLVMStructTypeKind ? LLVMCountStructElementTypes(t) : (unsigned)LLVMGetArrayLength2(t);
    LLVMValueRef v = LLVMGetUndef(t);
    for (unsigned i = 0; i < count; i++) {
        LLVMTypeRef item = kind == LLVMStructTypeKind ? LLVMStructGetTypeAtIndex(t, i) : LLVMGetElementType(t);
        v = LLVMBuildInsertValue(b, v, join_leaves(b, fn, item, next), i, "");
    }
    return v;
}

int lw_shape_leader(LwModule *m, const Func *f, int i) {
    const Type *t = f->argtypes[i];
    if (t->kind != TY_ARRAY || lw_func_entry(m, f)->on_cycle)
        return -1; // a recursive call might pass other shapes
    for (int k = 0; k < i; k++)
        if (f->argtypes[k]->kind == TY_ARRAY && f->argtypes[k]->ndim == t->ndim)
            return k;
    return -1;
}

/* Argument i of the function being lowered, put together from its leaves
 * (in the variant for equal shapes, with the shape of its rank's first). */
static LLVMValueRef native_arg(LwFn *fn, int i) {
    if (!lw_type(fn->m, fn->f->argtypes[i]))
        return NULL; // compile time only
    unsigned first = 0;
    for (int k = 0; k < i; k++)
        if (lw_type(fn->m, fn->f->argtypes[k]))
            first += (unsigned)leaf_count(lw_type(fn->m, fn->f->argtypes[k]));
    LLVMValueRef v = join_leaves(fn->b, fn->fn, lw_type(fn->m, fn->f->argtypes[i]), &first);
    int leader = fn->copy == LW_SHARED_SHAPES ? lw_shape_leader(fn->m, fn->f, i) : -1;
    if (leader < 0)
        return v;
    LLVMValueRef shape = LLVMBuildExtractValue(fn->b, native_arg(fn, leader), 2, "shared_shape");
    return LLVMBuildInsertValue(fn->b, v, shape, 2, "");
}

/* Arguments known only at compile time (a dtype, a string passed to
 * library code) have no leaves. */
static int native_param_count(LwModule *m, const Func *f) {
    int n = 0;
    for (int i = 0; i < f->nargs; i++) {
        LLVMTypeRef t = lw_type(m, f->argtypes[i]);
        n += t ? leaf_count(t) : 0;
    }
    return n;
}

static LLVMTypeRef native_type(LwModule *m, const LwFuncEntry *e) {
    const Func *f = e->f;
    int n = 0;
    LLVMTypeRef *params = ARENA_ARRAY(m->arena, LLVMTypeRef, native_param_count(m, f) + 1);
    for (int i = 0; i < f->nargs; i++)
        if (lw_type(m, f->argtypes[i]))
            split_leaves(NULL, NULL, lw_type(m, f->argtypes[i]), NULL, params, &n);
    LLVMTypeRef value = f->ret->kind == TY_NONE ? NULL : lw_type(m, f->ret);
    LLVMTypeRef ret = value ? value : m->void_;
    if (e->may_fail && value) {
        LLVMTypeRef fields[2] = {value, m->i1};
        ret = LLVMStructTypeInContext(m->ctx, fields, 2, 0);
    } else if (e->may_fail) {
        ret = m->i1;
    }
    return LLVMFunctionType(ret, params, (unsigned)n, 0);
}

/* Copy `copy` of f's native function, declared on first use. */
static LLVMValueRef native_fn(LwModule *m, LwFuncEntry *e, int copy) {
    int base = lw_copy_base(copy);
    LLVMValueRef *slot = copy == LW_SHARED_SHAPES ? &e->shared
                       : lw_copy_threaded(copy)   ? &e->thread_fns[base]
                                                  : &e->fns[copy];
    if (*slot)
        return *slot;
    if (!e->type)
        e->type = native_type(m, e);
    const char *name = copy == LW_SHARED_SHAPES ? arena_printf(m->arena, "%s.shared", e->f->symbol)
                     : base                     ? arena_printf(m->arena, "%s.copy%d", e->f->symbol, base)
                                                : e->f->symbol;
    if (lw_copy_threaded(copy))
        name = arena_printf(m->arena, "%s.thread", name);
    LLVMValueRef fn = LLVMAddFunction(m->mod, name, e->type);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    LLVMSetFunctionCallConv(fn, LLVMFastCallConv);
    LLVMAttributeRef cpu = LLVMCreateStringAttribute(m->ctx, "target-cpu", 10, m->cpu, (unsigned)strlen(m->cpu));
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, cpu);
    if (*m->features) {
        LLVMAttributeRef feat = LLVMCreateStringAttribute(m->ctx, "target-features", 15, m->features,
                                                          (unsigned)strlen(m->features));
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, feat);
    }
    if (base > 0) {
        // Unrolled recursion: inlined into the copy before it (recursion.c).
        unsigned always = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(m->ctx, always, 0));
    }
    if (e->on_cycle) {
        // No tail-recursion elimination: it would turn runaway recursion
        // into a loop that never reaches the stack check (an endless loop
        // where Python raises RecursionError).
        LLVMAttributeRef no_tre = LLVMCreateStringAttribute(m->ctx, "disable-tail-calls", 18, "true", 4);
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, no_tre);
    }
    *slot = fn;
    return fn;
}

static bool lower_copy(LwModule *m, LwFuncEntry *e, int copy);

/* Drops f's lowered copies, to lower them again with another convention. */
static void forget(LwFuncEntry *e) {
    for (int c = 0; c < 2 * e->ncopies; c++) {
        LLVMValueRef *slot = c < e->ncopies ? &e->fns[c] : &e->thread_fns[c - e->ncopies];
        if (!*slot)
            continue;
        LLVMReplaceAllUsesWith(*slot, LLVMGetPoison(LLVMTypeOf(*slot)));
        LLVMDeleteFunction(*slot);
        *slot = NULL;
    }
    e->type = NULL;
}

LLVMValueRef lw_call_native(LwModule *m, LLVMBuilderRef b, Func *f, int copy, LLVMValueRef *args,
                            LLVMValueRef *failed) {
    LwFuncEntry *e = lw_func_entry(m, f);
    if ((copy == LW_SHARED_SHAPES && !e->shared) || (lw_copy_threaded(copy) && !e->thread_fns[lw_copy_base(copy)]))
        lower_copy(m, e, copy); // on first call: only the pool's threads and wrappers need these
    LLVMValueRef target = native_fn(m, e, copy);
    int n = 0;
    LLVMValueRef *leaves = ARENA_ARRAY(m->arena, LLVMValueRef, native_param_count(m, f) + 1);
    for (int i = 0; i < f->nargs; i++)
        if (lw_type(m, f->argtypes[i]))
            split_leaves(b, args[i], lw_type(m, f->argtypes[i]), leaves, NULL, &n);
    LLVMValueRef call = LLVMBuildCall2(b, e->type, target, leaves, (unsigned)n, "");
    LLVMSetInstructionCallConv(call, LLVMFastCallConv);
    bool none = f->ret->kind == TY_NONE;
    LLVMValueRef nothing = LLVMConstInt(m->i8, 0, 0);
    *failed = NULL;
    if (!e->may_fail)
        return none ? nothing : call;
    if (none) {
        *failed = call;
        return nothing;
    }
    *failed = LLVMBuildExtractValue(b, call, 1, "failed");
    return LLVMBuildExtractValue(b, call, 0, "");
}

/* Returns `value` (NULL for none) from the function being lowered, failed or not. */
static void build_return(LwFn *fn, LLVMValueRef value, bool failed) {
    LwModule *m = fn->m;
    LLVMValueRef flag = LLVMConstInt(m->i1, failed, 0);
    if (!fn->entry->may_fail) {
        if (value)
            LLVMBuildRet(fn->b, value);
        else
            LLVMBuildRetVoid(fn->b);
        return;
    }
    if (!value) {
        LLVMBuildRet(fn->b, flag);
        return;
    }
    // One exit that pairs a phi of values with a phi of flags. Returns of
    // whole pairs, merged by LLVM into a phi of pairs, would survive
    // inlining as a test of the flag after every call (LLVM splits such a
    // phi only when no incoming pair is a constant, and the failing one is).
    if (!fn->exit_bb) {
        LLVMBasicBlockRef here = LLVMGetInsertBlock(fn->b);
        LLVMMetadataRef loc = LLVMGetCurrentDebugLocation2(fn->b);
        fn->exit_bb = lw_block(fn, "exit");
        LLVMPositionBuilderAtEnd(fn->b, fn->exit_bb);
        LLVMSetCurrentDebugLocation2(fn->b, NULL);
        fn->exit_value = LLVMBuildPhi(fn->b, LLVMTypeOf(value), "value");
        fn->exit_failed = LLVMBuildPhi(fn->b, m->i1, "failed");
        LLVMValueRef pair = LLVMGetPoison(LLVMGetReturnType(fn->entry->type));
        pair = LLVMBuildInsertValue(fn->b, pair, fn->exit_value, 0, "");
        LLVMBuildRet(fn->b, LLVMBuildInsertValue(fn->b, pair, fn->exit_failed, 1, ""));
        LLVMPositionBuilderAtEnd(fn->b, here);
        LLVMSetCurrentDebugLocation2(fn->b, loc);
    }
    LLVMBasicBlockRef here = LLVMGetInsertBlock(fn->b);
    LLVMAddIncoming(fn->exit_value, &value, &here, 1);
    LLVMAddIncoming(fn->exit_failed, &flag, &here, 1);
    LLVMBuildBr(fn->b, fn->exit_bb);
}

LLVMValueRef lw_val(LwFn *fn, const Instr *v) {
    return fn->vals[v->id];
}

LLVMBasicBlockRef lw_block(LwFn *fn, const char *name) {
    return LLVMAppendBasicBlockInContext(fn->m->ctx, fn->fn, name);
}

LLVMValueRef lw_call(LwFn *fn, const char *runtime_name, LLVMValueRef *args, int n) {
    LLVMTypeRef type;
    LLVMValueRef callee = lw_runtime_fn(fn->m, runtime_name, &type);
    return LLVMBuildCall2(fn->b, type, callee, args, (unsigned)n, "");
}

LLVMValueRef lw_intrinsic(LwFn *fn, const char *name, LLVMTypeRef *types, int ntypes,
                          LLVMValueRef *args, int nargs) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    if (!id)
        diag_internal(fn->m->d, "unknown LLVM intrinsic %s", name);
    LLVMValueRef decl = LLVMGetIntrinsicDeclaration(fn->m->mod, id, types, (size_t)ntypes);
    LLVMTypeRef type = LLVMIntrinsicGetType(fn->m->ctx, id, types, (size_t)ntypes);
    return LLVMBuildCall2(fn->b, type, decl, args, (unsigned)nargs, "");
}

LLVMValueRef lw_entry_alloca(LwFn *fn, LLVMTypeRef type, const char *name) {
    return LLVMBuildAlloca(fn->alloca_b, type, name);
}

LLVMBasicBlockRef lw_check(LwFn *fn, LLVMValueRef bad, LLVMBasicBlockRef *ok) {
    LLVMTypeRef i1 = fn->m->i1;
    LLVMValueRef args[2] = {bad, LLVMConstInt(i1, 0, 0)};
    LLVMValueRef expected = lw_intrinsic(fn, "llvm.expect", &i1, 1, args, 2);
    LLVMBasicBlockRef err = lw_block(fn, "error");
    *ok = lw_block(fn, "ok");
    LLVMBuildCondBr(fn->b, expected, err, *ok);
    LLVMPositionBuilderAtEnd(fn->b, err);
    return err;
}

void lw_fail(LwFn *fn) {
    LLVMBuildBr(fn->b, fn->fail_bb);
}

void lw_resume(LwFn *fn, LLVMBasicBlockRef ok) {
    LLVMPositionBuilderAtEnd(fn->b, ok);
}

void lw_raise_if(LwFn *fn, LLVMValueRef bad, int exc, const char *msg) {
    LLVMBasicBlockRef ok;
    lw_check(fn, bad, &ok);
    LLVMValueRef args[2] = {LLVMConstInt(fn->m->i32, (unsigned)exc, 0), lw_cstring(fn->m, msg)};
    lw_call(fn, "pyaot_rt_raise", args, 2);
    lw_fail(fn);
    lw_resume(fn, ok);
}

static void refcount(LwFn *fn, LLVMValueRef v, const Type *t, bool inc) {
    switch (t->kind) {
    case TY_ARRAY: {
        LLVMValueRef mi = LLVMBuildExtractValue(fn->b, v, 0, "mi");
        lw_call(fn, inc ? "pyaot_rt_incref" : "pyaot_rt_decref", &mi, 1);
        return;
    }
    case TY_TUPLE: case TY_ZIP: case TY_FUNCTION:
        for (int i = 0; i < t->nfields; i++)
            if (ty_is_refcounted(t->fields[i]))
                refcount(fn, LLVMBuildExtractValue(fn->b, v, (unsigned)i, ""), t->fields[i], inc);
        return;
    case TY_ENUMERATE:
        if (ty_is_refcounted(t->iterable))
            refcount(fn, LLVMBuildExtractValue(fn->b, v, 0, ""), t->iterable, inc);
        return;
    case TY_LIST:
        lw_call(fn, inc ? "pyaot_rt_list_incref" : "pyaot_rt_list_decref", &v, 1);
        return;
    case TY_DICT: case TY_SET: case TY_DICT_VIEW:
        lw_call(fn, inc ? "pyaot_rt_dict_incref" : "pyaot_rt_dict_decref", &v, 1);
        return;
    case TY_ITER:
        if (inc)
            diag_internal(fn->m->d, "an iterator cannot be copied");
        lw_iter_drop(fn, v, t);
        return;
    default:
        return;
    }
}

void lw_incref(LwFn *fn, LLVMValueRef v, const Type *t) { refcount(fn, v, t, true); }
void lw_decref(LwFn *fn, LLVMValueRef v, const Type *t) { refcount(fn, v, t, false); }

static bool owned(const Type *t) {
    return t->kind == TY_ITER ? ty_is_refcounted(t->iterable) : ty_is_refcounted(t);
}

/* A tuple, or a nested function's captured values, made of in's operands;
 * it holds its own references to them. */
static LLVMValueRef aggregate_of_args(LwFn *fn, const Instr *in) {
    LLVMTypeRef t = lw_type(fn->m, in->type);
    if (!t)
        return NULL;
    LLVMValueRef v = LLVMGetUndef(t);
    for (int i = 0; i < in->nargs; i++) {
        LLVMValueRef item = fn->vals[in->args[i]->id];
        if (!item) // a function captured with nothing of its own
            item = LLVMGetUndef(LLVMStructGetTypeAtIndex(t, (unsigned)i));
        else if (owned(in->args[i]->type))
            lw_incref(fn, item, in->args[i]->type);
        v = LLVMBuildInsertValue(fn->b, v, item, (unsigned)i, "");
    }
    return v;
}

static void release_after(LwFn *fn, const Instr *in) {
    LwValues *list = &fn->live.after[in->id];
    for (int i = 0; i < list->len; i++) {
        const Instr *v = list->data[i];
        if (fn->vals[v->id])
            lw_decref(fn, fn->vals[v->id], v->type);
    }
}

/* The target block of edge `e` of `from`, with phis fed; an edge block is
 * made when values need converting or references moving. */
static LLVMBasicBlockRef lower_edge(LwFn *fn, const Block *from, int e, const Edge *ed,
                                    LLVMBasicBlockRef here) {
    LwValues *deaths = &fn->live.edge_deaths[from->id * 2 + e];
    bool needs_code = deaths->len > 0;
    for (int k = 0; k < ed->nargs && !needs_code; k++) {
        const Instr *p = ed->to->params.data[k];
        if (!lw_type(fn->m, p->type))
            continue;
        needs_code = ed->args[k]->type != p->type || owned(p->type);
    }
    LLVMBasicBlockRef target = fn->bbs[ed->to->id];
    LLVMBasicBlockRef src = here;
    if (needs_code) {
        src = lw_block(fn, "edge");
        LLVMPositionBuilderAtEnd(fn->b, src);
    }
    for (int k = 0; k < ed->nargs; k++) {
        const Instr *p = ed->to->params.data[k];
        LLVMValueRef phi = fn->vals[p->id];
        if (!phi)
            continue;
        const Instr *a = ed->args[k];
        LLVMValueRef v = fn->vals[a->id];
        if (!v) // an undefined local on this path
            v = LLVMConstNull(lw_type(fn->m, p->type));
        else if (a->type != p->type)
            v = lw_convert(fn, v, a->type, p->type);
        if (owned(p->type) && a->op != OP_UNDEF)
            lw_incref(fn, v, p->type);
        LLVMAddIncoming(phi, &v, &src, 1);
    }
    if (needs_code) {
        for (int i = 0; i < deaths->len; i++) {
            const Instr *v = deaths->data[i];
            if (fn->vals[v->id])
                lw_decref(fn, fn->vals[v->id], v->type);
        }
        LLVMBuildBr(fn->b, target);
        LLVMPositionBuilderAtEnd(fn->b, here);
        return src;
    }
    return target;
}

static void lower_raise(LwFn *fn, const Instr *in) {
    const Instr *exc = in->args[0];
    const char *msg = NULL;
    const char *name = exc->type->name;
    if (exc->op == OP_CALL && exc->nargs == 2)
        msg = exc->args[1]->type->name; // the constant message (a TY_STR)
    LLVMValueRef args[2] = {lw_cstring(fn->m, name),
                            msg ? lw_cstring(fn->m, msg) : LLVMConstNull(fn->m->ptr)};
    lw_call(fn, "pyaot_rt_raise_builtin", args, 2);
    lw_fail(fn);
}

static void lower_return(LwFn *fn, const Instr *in) {
    const Instr *v = in->args[0];
    const Type *ret = fn->f->ret;
    LLVMValueRef val = fn->vals[v->id], out = NULL;
    if (ret->kind != TY_NONE) {
        out = val ? lw_convert(fn, val, v->type, ret) : LLVMGetPoison(lw_type(fn->m, ret));
        if (owned(ret))
            lw_incref(fn, out, ret);
    }
    release_after(fn, in);
    build_return(fn, out, false);
}

static LLVMValueRef lower_user_call(LwFn *fn, const Instr *in) {
    Func *callee = in->callee;
    LwFuncEntry *target = lw_func_entry(fn->m, callee);
    LLVMValueRef *args = ARENA_ARRAY(fn->m->arena, LLVMValueRef, callee->nargs + 1);
    int nrequired = callee->src->code->argcount - callee->src->ndefaults;
    for (int i = 0; i < callee->nargs; i++) {
        int k = i < in->nargmap ? in->argmap[i] : -1;
        if (!lw_type(fn->m, callee->argtypes[i])) {
            args[i] = NULL; // compile time only: no parameter
        } else if (i >= in->nargmap) { // what a nested function captured, after its arguments
            args[i] = LLVMBuildExtractValue(fn->b, fn->vals[in->args[0]->id], (unsigned)(i - in->nargmap), "");
        } else if (in->op != OP_CALL) { // an operator made a call (x in lst): argmap indexes its operands
            const Instr *a = in->args[k];
            args[i] = lw_convert(fn, fn->vals[a->id], a->type, callee->argtypes[i]);
        } else if (k >= 0) { // 0: a method's receiver (a library method: a.cumsum())
            const Instr *a = k > 0 ? in->args[k] : in->args[0]->args[0];
            args[i] = lw_convert(fn, fn->vals[a->id], a->type, callee->argtypes[i]);
        } else {
            args[i] = lw_const_value(fn->m, callee->src->defaults[i - nrequired], callee->argtypes[i]);
        }
    }
    // Round a cycle, each copy calls the next: the recursion unrolled.
    int copy = target->scc == fn->entry->scc && fn->copy >= 0 ? (lw_copy_base(fn->copy) + 1) % target->ncopies : 0;
    if (lw_copy_threaded(fn->copy) && lw_reaches_call_cycle(fn->m, callee))
        copy |= LW_THREAD_FLOOR;
    LLVMValueRef failed;
    LLVMValueRef result = lw_call_native(fn->m, fn->b, callee, copy, args, &failed);
    if (failed) {
        LLVMBasicBlockRef ok;
        lw_check(fn, failed, &ok);
        lw_fail(fn);
        lw_resume(fn, ok);
    }
    if (callee->ret->kind == TY_NONE)
        return result;
    // The result is ours: the callee passed its reference on. A value of
    // another type than the call's (a declared signature) is converted.
    return lw_convert(fn, result, callee->ret, in->type);
}

static LLVMValueRef lower_getattr(LwFn *fn, const Instr *in) {
    const Instr *obj = in->args[0];
    if (in->resolved == RES_CONST_VALUE)
        return lw_const_value(fn->m, in->cst, in->type);
    if (in->resolved != RES_ATTR)
        return NULL; // a module attribute or a method: compile time only
    if (obj->type->kind == TY_ARRAY)
        return lw_array_attr(fn, in);
    LLVMValueRef v = fn->vals[obj->id];
    bool real = strcmp(in->name, "real") == 0;
    if (obj->type->kind == TY_COMPLEX)
        return LLVMBuildExtractValue(fn->b, v, real ? 0 : 1, in->name);
    if (real)
        return lw_convert(fn, v, obj->type, in->type);
    return LLVMConstNull(lw_type(fn->m, in->type));
}

LLVMValueRef lw_lower_value(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    if (in->resolved == RES_CONST_VALUE && in->cst && in->op != OP_CONST) // folded at compile time
        return lw_type(m, in->type) ? lw_const_value(m, in->cst, in->type) : NULL;
    if (in->resolved == RES_USER_CALL && in->op != OP_CALL && in->op != OP_PARALLEL_FOR) // an operator of library code (x in lst)
        return lower_user_call(fn, in);
    switch (in->op) {
    case OP_CONST:
        return lw_type(m, in->type) ? lw_const_value(m, in->cst, in->type) : NULL;
    case OP_ARG: // borrowed: liveness.c never releases it
        return native_arg(fn, in->sub);
    case OP_UNDEF:
        return lw_type(m, in->type) ? LLVMConstNull(lw_type(m, in->type)) : NULL;
    case OP_NULL_MARK:
        return NULL;
    case OP_GLOBAL:
        if (in->global->kind == FE_GLOBAL_CONST && lw_type(m, in->type))
            return lw_const_value(m, in->global->value, in->type);
        if (in->global->kind == FE_GLOBAL_ARRAY)
            return lw_frozen_array(fn, in);
        return NULL;
    case OP_UNARY: return lw_unary(fn, in);
    case OP_BINARY: return lw_binary(fn, in);
    case OP_COMPARE: return lw_compare(fn, in);
    case OP_TRUTH: return lw_truth(fn, fn->vals[in->args[0]->id], in->args[0]->type);
    case OP_CONVERT: return lw_convert(fn, fn->vals[in->args[0]->id], in->args[0]->type, in->type);
    case OP_GETATTR: return lower_getattr(fn, in);
    case OP_CALL:
        if (in->resolved == RES_BUILTIN)
            return lw_builtin_call(fn, in);
        if (in->resolved == RES_USER_CALL)
            return lower_user_call(fn, in);
        return NULL; // an exception instance, built at compile time
    case OP_GETITEM: return lw_getitem(fn, in);
    case OP_SETITEM: lw_setitem(fn, in); return NULL;
    case OP_BUILD_TUPLE: case OP_MAKE_FUNCTION: return aggregate_of_args(fn, in);
    case OP_BUILD_SLICE: return lw_build_slice(fn, in);
    case OP_BUILD_LIST: return lw_build_list(fn, in);
    case OP_BUILD_DICT: case OP_BUILD_SET: return lw_build_dict(fn, in);
    case OP_TUPLE_GET: {
        LLVMValueRef v = LLVMBuildExtractValue(fn->b, fn->vals[in->args[0]->id], (unsigned)in->sub, "");
        if (owned(in->type))
            lw_incref(fn, v, in->type);
        return v;
    }
    case OP_GET_ITER: return lw_get_iter(fn, in);
    case OP_ITER_VALUE: return lw_iter_value(fn, fn->vals[in->args[0]->id], in->args[0]->type);
    case OP_ELEMENTWISE:
        // Computed inside its consumer, or here into an array.
        return in->consumer ? NULL : lw_elementwise(fn, in);
    case OP_PARALLEL_FOR: return lw_parallel_for(fn, in);
    case OP_SELECT: {
        const Instr *c = in->args[0], *a = in->args[1], *b = in->args[2];
        return LLVMBuildSelect(fn->b, lw_val(fn, c), lw_convert(fn, lw_val(fn, a), a->type, in->type),
                               lw_convert(fn, lw_val(fn, b), b->type, in->type), "");
    }
    default:
        diag_internal(m->d, "cannot lower op %d", in->op);
    }
}

static void lower_terminator(LwFn *fn, const Block *b, const Instr *t) {
    LLVMBasicBlockRef here = LLVMGetInsertBlock(fn->b);
    switch (t->op) {
    case OP_RETURN:
        lower_return(fn, t);
        return;
    case OP_RAISE:
        lower_raise(fn, t);
        return;
    case OP_JUMP:
        LLVMBuildBr(fn->b, lower_edge(fn, b, 0, &t->succ[0], here));
        return;
    case OP_BRANCH: case OP_FOR_ITER: {
        LLVMValueRef cond = t->op == OP_BRANCH
                                ? fn->vals[t->args[0]->id]
                                : lw_iter_valid(fn, fn->vals[t->args[0]->id], t->args[0]->type);
        here = LLVMGetInsertBlock(fn->b);
        LLVMBasicBlockRef yes = lower_edge(fn, b, 0, &t->succ[0], here);
        LLVMBasicBlockRef no = lower_edge(fn, b, 1, &t->succ[1], here);
        LLVMBuildCondBr(fn->b, cond, yes, no);
        return;
    }
    default:
        diag_internal(fn->m->d, "bad terminator op %d", t->op);
    }
}

/* LLVM's fast-math flags on every instruction of fn that takes them. */
static void set_fastmath(LLVMValueRef fn, unsigned flags) {
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef in = LLVMGetFirstInstruction(bb); in; in = LLVMGetNextInstruction(in))
            if (LLVMCanValueUseFastMathFlags(in))
                LLVMSetFastMathFlags(in, (LLVMFastMathFlags)flags);
}

static bool lower_copy_body(LwModule *m, LwFuncEntry *e, int copy);

/* Lowers copy `copy` of f's body; true when it can fail. A function's own
 * options (Numba's boundscheck=, error_model=, fastmath=) hold while its
 * body is lowered, wherever lower/ reads m->opt. */
static bool lower_copy(LwModule *m, LwFuncEntry *e, int copy) {
    const FeFunction *src = e->f->src;
    LwOptions build = m->opt;
    if (src->boundscheck != FE_SWITCH_BUILD)
        m->opt.boundscheck = src->boundscheck == FE_SWITCH_ON;
    if (src->error_model_numpy != FE_SWITCH_BUILD)
        m->opt.error_model_numpy = src->error_model_numpy == FE_SWITCH_ON;
    if (src->fastmath != FE_FASTMATH_BUILD)
        m->opt.fastmath = (unsigned)src->fastmath;
    if (src->library)
        m->opt.fastmath = 0; // numpy's code keeps numpy's answers (its NaN tests above all)
    bool fails = lower_copy_body(m, e, copy);
    if (m->opt.fastmath)
        set_fastmath(native_fn(m, e, copy), m->opt.fastmath);
    m->opt = build;
    return fails;
}

static bool lower_copy_body(LwModule *m, LwFuncEntry *e, int copy) {
    Func *f = e->f;
    LwFn fn = {.m = m, .f = f, .entry = e, .copy = copy};
    fn.fn = native_fn(m, e, copy);
    fn.b = LLVMCreateBuilderInContext(m->ctx);
    fn.alloca_b = LLVMCreateBuilderInContext(m->ctx);
    fn.vals = ARENA_ARRAY(m->arena, LLVMValueRef, f->next_id + 1);
    fn.bbs = ARENA_ARRAY(m->arena, LLVMBasicBlockRef, f->blocks.len + 1);
    lw_liveness(&fn);
    lw_debug_function(&fn);

    LLVMBasicBlockRef entry = lw_block(&fn, "entry");
    for (int i = 0; i < f->blocks.len; i++)
        fn.bbs[i] = lw_block(&fn, "b");
    fn.fail_bb = lw_block(&fn, "fail");
    LLVMPositionBuilderAtEnd(fn.b, entry);
    LLVMValueRef to_first;
    if (e->on_cycle && lw_copy_base(copy) == 0) {
        // Checked on entry to the first copy, so every ncopies levels of
        // depth, in a block of its own, since the entry block keeps the allocas.
        LLVMBasicBlockRef guard = lw_block(&fn, "stack_check");
        to_first = LLVMBuildBr(fn.b, guard);
        LLVMPositionBuilderAtEnd(fn.b, guard);
        lw_debug_at(m, fn.b, fn.di_scope, f->src->code->firstlineno);
        lw_check_stack(&fn);
        LLVMBuildBr(fn.b, fn.bbs[0]);
    } else {
        to_first = LLVMBuildBr(fn.b, fn.bbs[0]);
    }
    LLVMPositionBuilderBefore(fn.alloca_b, to_first);

    // Phis first, so that back edges find them.
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *b = f->blocks.data[bi];
        LLVMPositionBuilderAtEnd(fn.b, fn.bbs[bi]);
        for (int k = 0; k < b->params.len; k++) {
            const Instr *p = b->params.data[k];
            LLVMTypeRef t = lw_type(m, p->type);
            if (t)
                fn.vals[p->id] = LLVMBuildPhi(fn.b, t, p->name ? p->name : "");
        }
    }
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *b = f->blocks.data[bi];
        LLVMPositionBuilderAtEnd(fn.b, fn.bbs[bi]);
        for (int k = 0; k < b->params.len; k++)
            release_after(&fn, b->params.data[k]);
        for (int ii = 0; ii < b->instrs.len; ii++) {
            const Instr *in = b->instrs.data[ii];
            fn.cur = in;
            lw_debug_location(&fn, in);
            if (ii == b->instrs.len - 1) {
                lower_terminator(&fn, b, in);
                break;
            }
            fn.vals[in->id] = lw_lower_value(&fn, in);
            release_after(&fn, in);
        }
    }
    bool fails = LLVMGetFirstUse(LLVMBasicBlockAsValue(fn.fail_bb)) != NULL;
    if (!fails) {
        LLVMDeleteBasicBlock(fn.fail_bb);
    } else {
        LLVMPositionBuilderAtEnd(fn.b, fn.fail_bb);
        LLVMSetCurrentDebugLocation2(fn.b, NULL);
        if (e->may_fail)
            build_return(&fn, f->ret->kind == TY_NONE ? NULL : LLVMGetPoison(lw_type(m, f->ret)), true);
        else
            LLVMBuildUnreachable(fn.b); // lowered again as failing
    }
    LLVMDisposeBuilder(fn.b);
    LLVMDisposeBuilder(fn.alloca_b);
    return fails;
}

/* The members [first, end) of one component of the call graph. */
static void lower_component(LwModule *m, int first, int end) {
    bool *fails = ARENA_ARRAY(m->arena, bool, end - first);
    for (;;) {
        for (int i = first; i < end; i++) {
            LwFuncEntry *e = &m->funcs.data[i];
            fails[i - first] = false;
            for (int c = 0; c < e->ncopies; c++)
                fails[i - first] |= lower_copy(m, e, c);
        }
        // The convention changes only between rounds: calls already built
        // in this one use the old.
        bool changed = false;
        for (int i = first; i < end; i++)
            if (fails[i - first] && !m->funcs.data[i].may_fail)
                changed = m->funcs.data[i].may_fail = true;
        if (!changed)
            return;
        for (int i = first; i < end; i++)
            forget(&m->funcs.data[i]);
    }
}

void lw_lower_functions(LwModule *m) {
    for (int first = 0, end; first < m->funcs.len; first = end) {
        for (end = first + 1; end < m->funcs.len && m->funcs.data[end].scc == m->funcs.data[first].scc; end++)
            ;
        lower_component(m, first, end);
    }
}
