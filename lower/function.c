/* One native function per specialisation:
 *
 *   i32 @pyaot.NAME.N(ptr %result, <arguments...>)
 *
 * returns 0 with the result stored at %result, or 1 with a Python exception
 * set. IR blocks map to LLVM blocks, block parameters to phis; an edge that
 * converts values or moves references gets a block of its own. */
#include "lw.h"

#include <string.h>

LLVMValueRef lw_func_ref(LwModule *m, Func *f, LLVMTypeRef *type) {
    for (int i = 0; i < m->funcs.len; i++)
        if (m->funcs.data[i].f == f) {
            if (type)
                *type = m->funcs.data[i].type;
            return m->funcs.data[i].fn;
        }
    // Arguments known only at compile time (a dtype, a string passed to
    // library code) take no parameter.
    LLVMTypeRef *params = ARENA_ARRAY(m->arena, LLVMTypeRef, f->nargs + 1);
    int nparams = 0;
    params[nparams++] = m->ptr;
    for (int i = 0; i < f->nargs; i++)
        if (lw_type(m, f->argtypes[i]))
            params[nparams++] = lw_type(m, f->argtypes[i]);
    LLVMTypeRef ft = LLVMFunctionType(m->i32, params, (unsigned)nparams, 0);
    LLVMValueRef fn = LLVMAddFunction(m->mod, f->symbol, ft);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    LLVMAttributeRef cpu = LLVMCreateStringAttribute(m->ctx, "target-cpu", 10, m->cpu, (unsigned)strlen(m->cpu));
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, cpu);
    if (*m->features) {
        LLVMAttributeRef feat = LLVMCreateStringAttribute(m->ctx, "target-features", 15, m->features,
                                                          (unsigned)strlen(m->features));
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, feat);
    }
    vec_push(m->arena, &m->funcs, ((LwFuncEntry){f, fn, ft}));
    if (type)
        *type = ft;
    return fn;
}

/* The LLVM parameter of f's argument k, or NULL when it is compile-time only. */
static LLVMValueRef arg_param(LwFn *fn, int k) {
    if (!lw_type(fn->m, fn->f->argtypes[k]))
        return NULL;
    unsigned p = 1;
    for (int i = 0; i < k; i++)
        p += lw_type(fn->m, fn->f->argtypes[i]) != NULL;
    return LLVMGetParam(fn->fn, p);
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
    LLVMValueRef val = fn->vals[v->id];
    if (ret->kind != TY_NONE && val) {
        LLVMValueRef out = lw_convert(fn, val, v->type, ret);
        if (owned(ret))
            lw_incref(fn, out, ret);
        LLVMBuildStore(fn->b, out, fn->ret_ptr);
    }
    release_after(fn, in);
    LLVMBuildRet(fn->b, LLVMConstInt(fn->m->i32, 0, 0));
}

static LLVMValueRef lower_user_call(LwFn *fn, const Instr *in) {
    Func *callee = in->callee;
    LLVMTypeRef type;
    LLVMValueRef target = lw_func_ref(fn->m, callee, &type);
    LLVMValueRef *args = ARENA_ARRAY(fn->m->arena, LLVMValueRef, callee->nargs + 1);
    LLVMTypeRef ret_type = callee->ret->kind == TY_NONE ? fn->m->i8 : lw_type(fn->m, callee->ret);
    LLVMValueRef slot = lw_entry_alloca(fn, ret_type, "result");
    args[0] = slot;
    int nrequired = callee->src->code->argcount - callee->src->ndefaults;
    unsigned nargs = 1;
    for (int i = 0; i < callee->nargs; i++) {
        if (!lw_type(fn->m, callee->argtypes[i]))
            continue; // compile-time only: no parameter
        if (i >= in->nargmap) { // what a nested function captured, after its arguments
            LLVMValueRef captured = LLVMBuildExtractValue(fn->b, fn->vals[in->args[0]->id], (unsigned)(i - in->nargmap), "");
            args[nargs++] = captured;
            continue;
        }
        int k = in->argmap[i];
        if (in->op != OP_CALL) { // an operator made a call (x in lst): argmap indexes its operands
            const Instr *a = in->args[k];
            args[nargs++] = lw_convert(fn, fn->vals[a->id], a->type, callee->argtypes[i]);
        } else if (k == 0) { // a method's receiver (a library method: a.cumsum())
            const Instr *a = in->args[0]->args[0];
            args[nargs++] = lw_convert(fn, fn->vals[a->id], a->type, callee->argtypes[i]);
        } else if (k > 0) {
            const Instr *a = in->args[k];
            args[nargs++] = lw_convert(fn, fn->vals[a->id], a->type, callee->argtypes[i]);
        } else {
            args[nargs++] = lw_const_value(fn->m, callee->src->defaults[i - nrequired], callee->argtypes[i]);
        }
    }
    LLVMValueRef status = LLVMBuildCall2(fn->b, type, target, args, nargs, "");
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildICmp(fn->b, LLVMIntNE, status, LLVMConstInt(fn->m->i32, 0, 0), ""), &ok);
    lw_fail(fn);
    lw_resume(fn, ok);
    if (callee->ret->kind == TY_NONE)
        return LLVMConstInt(fn->m->i8, 0, 0);
    LLVMValueRef result = LLVMBuildLoad2(fn->b, ret_type, slot, "");
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
    if (in->resolved == RES_USER_CALL && in->op != OP_CALL) // an operator of library code (x in lst)
        return lower_user_call(fn, in);
    switch (in->op) {
    case OP_CONST:
        return lw_type(m, in->type) ? lw_const_value(m, in->cst, in->type) : NULL;
    case OP_ARG: {
        LLVMValueRef v = arg_param(fn, in->sub);
        if (!v)
            return NULL;
        if (owned(in->type))
            lw_incref(fn, v, in->type);
        return v;
    }
    case OP_UNDEF:
        return lw_type(m, in->type) ? LLVMConstNull(lw_type(m, in->type)) : NULL;
    case OP_NULL_MARK:
        return NULL;
    case OP_GLOBAL:
        if (in->global->kind == FE_GLOBAL_CONST && lw_type(m, in->type))
            return lw_const_value(m, in->global->value, in->type);
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
    case OP_BUILD_TUPLE: {
        LLVMTypeRef t = lw_type(m, in->type);
        if (!t)
            return NULL;
        LLVMValueRef v = LLVMGetUndef(t);
        for (int i = 0; i < in->nargs; i++) {
            LLVMValueRef item = fn->vals[in->args[i]->id];
            if (owned(in->args[i]->type))
                lw_incref(fn, item, in->args[i]->type);
            v = LLVMBuildInsertValue(fn->b, v, item, (unsigned)i, "");
        }
        return v;
    }
    case OP_BUILD_SLICE: return lw_build_slice(fn, in);
    case OP_BUILD_LIST: return lw_build_list(fn, in);
    case OP_MAKE_FUNCTION: {
        LLVMTypeRef t = lw_type(m, in->type);
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

void lw_lower_function(LwModule *m, Func *f) {
    LwFn fn = {.m = m, .f = f};
    fn.fn = lw_func_ref(m, f, NULL);
    fn.b = LLVMCreateBuilderInContext(m->ctx);
    fn.alloca_b = LLVMCreateBuilderInContext(m->ctx);
    fn.vals = ARENA_ARRAY(m->arena, LLVMValueRef, f->next_id + 1);
    fn.bbs = ARENA_ARRAY(m->arena, LLVMBasicBlockRef, f->blocks.len + 1);
    fn.ret_ptr = LLVMGetParam(fn.fn, 0);
    lw_liveness(&fn);
    lw_debug_function(&fn);

    LLVMBasicBlockRef entry = lw_block(&fn, "entry");
    for (int i = 0; i < f->blocks.len; i++)
        fn.bbs[i] = lw_block(&fn, "b");
    fn.fail_bb = lw_block(&fn, "fail");
    LLVMPositionBuilderAtEnd(fn.b, fn.fail_bb);
    LLVMBuildRet(fn.b, LLVMConstInt(m->i32, 1, 0));
    LLVMPositionBuilderAtEnd(fn.b, entry);
    LLVMValueRef to_first;
    if (lw_on_call_cycle(m, f)) {
        // Checked on entry (measured: half the cost of checking before each
        // call round the cycle), in a block of its own, since the entry
        // block keeps the allocas.
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
    LLVMDisposeBuilder(fn.b);
    LLVMDisposeBuilder(fn.alloca_b);
}
