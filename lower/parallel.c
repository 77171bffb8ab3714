/* PARALLEL_FOR: a prange loop outlined into its own function (the body,
 * frontend/parallel.c), run on the runtime's pool:
 *
 *   nt = pyaot_rt_num_threads()                 partials[nt] on the stack
 *   partials[0] = the reductions' values before the loop, the others their identities
 *   ctx = {captured values..., start, stop, step, n, partials}
 *   pyaot_rt_parallel_for(n, chunk, &ctx)       failure: the loop's exception, raised here
 *   result = partials[0] OP partials[1] OP ... in worker order
 *
 * `chunk` (one per loop, internal) runs iterations [begin, end) of the range
 * as worker w: it calls the body with partials[w] as the reductions'
 * starting values and the sub-range, and stores what it returns back into
 * partials[w]. Worker 0 starting from the values before the loop makes a
 * one-thread run compute exactly what the serial loop computes, in the same
 * order; more threads regroup the same operations (floats: within rounding).
 *
 * A body that can reach a call cycle is called in its LW_THREAD_FLOOR copy:
 * recursive functions reached from it check the stack against the floor of
 * the thread they run on, and a runaway recursion jumps back to the chunk
 * (the runtime's run_chunk is the jump target), failing the loop with
 * RecursionError. */
#include "lw.h"

#include <math.h>
#include <string.h>

enum { CTX_START, CTX_STOP, CTX_STEP, CTX_N, CTX_PARTIALS, CTX_FIELDS }; // after the captured values

static LLVMValueRef identity(LwModule *m, FeReductionOp op, const Type *t) {
    LLVMTypeRef lt = lw_type(m, t);
    if (t->kind == TY_FLOAT) {
        double v = op == RED_MUL ? 1.0 : op == RED_MIN ? INFINITY : op == RED_MAX ? -INFINITY : 0.0;
        return LLVMConstReal(lt, v);
    }
    if (t->kind == TY_COMPLEX) {
        LLVMTypeRef part = LLVMStructGetTypeAtIndex(lt, 0);
        LLVMValueRef parts[2] = {LLVMConstReal(part, op == RED_MUL ? 1.0 : 0.0), LLVMConstReal(part, 0.0)};
        return LLVMConstStructInContext(m->ctx, parts, 2, 0);
    }
    unsigned bits = LLVMGetIntTypeWidth(lt);
    bool is_signed = t->kind == TY_INT && t->is_signed;
    unsigned long long top = 1ull << (bits - 1); // the sign bit
    switch (op) {
    case RED_MUL: return LLVMConstInt(lt, 1, 0);
    case RED_AND: return LLVMConstAllOnes(lt);
    case RED_MIN: return is_signed ? LLVMConstInt(lt, top - 1, 0) : LLVMConstAllOnes(lt);
    case RED_MAX: return is_signed ? LLVMConstInt(lt, top, 0) : LLVMConstNull(lt);
    default: return LLVMConstNull(lt);
    }
}

/* a OP b for partial results, as the loop's updates compute: min and max
 * keep the first of equals, as Python's do. */
static LLVMValueRef combine(LwFn *fn, FeReductionOp op, LLVMValueRef a, LLVMValueRef b, const Type *t) {
    switch (op) {
    case RED_ADD: return lw_arith(fn, NB_ADD, a, b, t, false);
    case RED_MUL: return lw_arith(fn, NB_MULTIPLY, a, b, t, false);
    case RED_OR: return lw_arith(fn, NB_OR, a, b, t, false);
    case RED_AND: return lw_arith(fn, NB_AND, a, b, t, false);
    case RED_XOR: return lw_arith(fn, NB_XOR, a, b, t, false);
    case RED_MIN: case RED_MAX: {
        LLVMValueRef better = lw_compare_values(fn, op == RED_MIN ? CMP_LT : CMP_GT, b, a, t);
        return LLVMBuildSelect(fn->b, better, b, a, "");
    }
    }
    return a;
}

static void copy_target(LwModule *m, LLVMValueRef from, LLVMValueRef to) {
    static const char *const names[] = {"target-cpu", "target-features"};
    for (int i = 0; i < 2; i++) {
        LLVMAttributeRef attr =
            LLVMGetStringAttributeAtIndex(from, LLVMAttributeFunctionIndex, names[i], (unsigned)strlen(names[i]));
        if (attr)
            LLVMAddAttributeAtIndex(to, LLVMAttributeFunctionIndex, attr);
    }
    (void)m;
}

/* The loop body as the pool calls it: int32 chunk(ctx, begin, end, worker). */
static LLVMValueRef make_chunk(LwFn *fn, Func *body, LLVMTypeRef ctx_t) {
    LwModule *m = fn->m;
    const FeParallel *par = body->parallel;
    int ncap = par->ncaptured, nred = par->nreductions;
    LLVMTypeRef params[4] = {m->ptr, m->i64, m->i64, m->i32};
    LLVMTypeRef type = LLVMFunctionType(m->i32, params, 4, 0);
    LLVMValueRef chunk = LLVMAddFunction(m->mod, arena_printf(m->arena, "%s.chunk", body->symbol), type);
    LLVMSetLinkage(chunk, LLVMInternalLinkage);
    copy_target(m, fn->fn, chunk);
    LLVMBuilderRef B = LLVMCreateBuilderInContext(m->ctx);
    LLVMPositionBuilderAtEnd(B, LLVMAppendBasicBlockInContext(m->ctx, chunk, "entry"));
    LLVMValueRef ctx = LLVMGetParam(chunk, 0), begin = LLVMGetParam(chunk, 1), end = LLVMGetParam(chunk, 2);
    LLVMValueRef worker = LLVMBuildSExt(B, LLVMGetParam(chunk, 3), m->i64, "worker");
    LLVMValueRef *args = ARENA_ARRAY(m->arena, LLVMValueRef, body->nargs + 1);
    for (int i = 0; i < ncap; i++) {
        LLVMTypeRef t = lw_type(m, body->argtypes[i]);
        args[i] = LLVMBuildLoad2(B, t, LLVMBuildStructGEP2(B, ctx_t, ctx, (unsigned)i, ""), "");
    }
    LLVMValueRef field[CTX_FIELDS];
    for (int k = 0; k < CTX_FIELDS; k++)
        field[k] = LLVMBuildLoad2(B, k == CTX_PARTIALS ? m->ptr : m->i64,
                                  LLVMBuildStructGEP2(B, ctx_t, ctx, (unsigned)(ncap + k), ""), "");
    // Items start + k * step for k in [begin, end); the last chunk stops at
    // stop itself, since start + n * step may lie beyond int64.
    LLVMValueRef step = field[CTX_STEP];
    LLVMValueRef lo = LLVMBuildAdd(B, field[CTX_START], LLVMBuildMul(B, begin, step, ""), "lo");
    LLVMValueRef hi = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntEQ, end, field[CTX_N], ""), field[CTX_STOP],
                                      LLVMBuildAdd(B, field[CTX_START], LLVMBuildMul(B, end, step, ""), ""), "hi");
    LLVMValueRef range = LLVMGetUndef(lw_type(m, body->argtypes[ncap + nred]));
    range = LLVMBuildInsertValue(B, range, lo, 0, "");
    range = LLVMBuildInsertValue(B, range, hi, 1, "");
    args[ncap + nred] = LLVMBuildInsertValue(B, range, step, 2, "");
    LLVMTypeRef red_t = nred ? lw_type(m, body->ret) : NULL;
    LLVMValueRef slot = NULL;
    if (nred) {
        slot = LLVMBuildInBoundsGEP2(B, red_t, field[CTX_PARTIALS], &worker, 1, "partial");
        LLVMValueRef partial = LLVMBuildLoad2(B, red_t, slot, "");
        for (int k = 0; k < nred; k++)
            args[ncap + k] = LLVMBuildExtractValue(B, partial, (unsigned)k, "");
    }
    // Recursion reached from the body checks the stack of the thread it runs on.
    int copy = lw_reaches_call_cycle(m, body) ? LW_THREAD_FLOOR : 0;
    LLVMValueRef failed;
    LLVMValueRef result = lw_call_native(m, B, body, copy, args, &failed);
    if (failed) {
        LLVMBasicBlockRef fail = LLVMAppendBasicBlockInContext(m->ctx, chunk, "fail");
        LLVMBasicBlockRef ok = LLVMAppendBasicBlockInContext(m->ctx, chunk, "ok");
        LLVMBuildCondBr(B, failed, fail, ok);
        LLVMPositionBuilderAtEnd(B, fail);
        LLVMBuildRet(B, LLVMConstInt(m->i32, (unsigned long long)-1, 1));
        LLVMPositionBuilderAtEnd(B, ok);
    }
    if (nred)
        LLVMBuildStore(B, result, slot);
    LLVMBuildRet(B, LLVMConstInt(m->i32, 0, 0));
    LLVMDisposeBuilder(B);
    return chunk;
}

typedef struct Partials {
    const FeParallel *par;
    LLVMTypeRef type;   // the tuple of the reductions
    LLVMValueRef array; // partials[nt]
    LLVMValueRef acc;   // the combined result so far (a stack slot)
} Partials;

static LLVMValueRef partial_at(LwFn *fn, Partials *p, LLVMValueRef i) {
    LLVMValueRef w = LLVMBuildAdd(fn->b, i, LLVMConstInt(fn->m->i64, 1, 0), "");
    return LLVMBuildInBoundsGEP2(fn->b, p->type, p->array, &w, 1, "");
}

static void start_partial(LwFn *fn, LLVMValueRef i, void *ctx) {
    Partials *p = ctx;
    LLVMValueRef v = LLVMGetUndef(p->type);
    for (int k = 0; k < p->par->nreductions; k++)
        v = LLVMBuildInsertValue(fn->b, v, identity(fn->m, p->par->reductions[k].op, p->par->reductions[k].type),
                                 (unsigned)k, "");
    LLVMBuildStore(fn->b, v, partial_at(fn, p, i));
}

static void combine_partial(LwFn *fn, LLVMValueRef i, void *ctx) {
    Partials *p = ctx;
    LLVMValueRef acc = LLVMBuildLoad2(fn->b, p->type, p->acc, "");
    LLVMValueRef next = LLVMBuildLoad2(fn->b, p->type, partial_at(fn, p, i), "");
    for (int k = 0; k < p->par->nreductions; k++) {
        const FeReduction *r = &p->par->reductions[k];
        LLVMValueRef a = LLVMBuildExtractValue(fn->b, acc, (unsigned)k, "");
        LLVMValueRef b = LLVMBuildExtractValue(fn->b, next, (unsigned)k, "");
        acc = LLVMBuildInsertValue(fn->b, acc, combine(fn, r->op, a, b, r->type), (unsigned)k, "");
    }
    LLVMBuildStore(fn->b, acc, p->acc);
}

static LLVMValueRef stack_intrinsic(LwFn *fn, const char *name, LLVMValueRef *arg) {
    LLVMTypeRef ptr = fn->m->ptr;
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    bool overloaded = id && LLVMIntrinsicIsOverloaded(id);
    return lw_intrinsic(fn, name, overloaded ? &ptr : NULL, overloaded ? 1 : 0, arg, arg ? 1 : 0);
}

LLVMValueRef lw_parallel_for(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    Func *body = in->callee;
    FeParallel *par = body->parallel;
    int ncap = par->ncaptured, nred = par->nreductions;
    LLVMValueRef *starts = ARENA_ARRAY(m->arena, LLVMValueRef, nred + 1);
    for (int k = 0; k < nred; k++) {
        const Instr *a = in->args[1 + ncap + k];
        const Type *t = par->reductions[k].type;
        LLVMValueRef v = lw_val(fn, a);
        starts[k] = v ? lw_convert(fn, v, a->type, t) : LLVMConstNull(lw_type(m, t));
    }
    // The context the chunks read: captured values, the range, the partials.
    LLVMTypeRef *fields = ARENA_ARRAY(m->arena, LLVMTypeRef, ncap + CTX_FIELDS);
    for (int i = 0; i < ncap; i++)
        fields[i] = lw_type(m, body->argtypes[i]);
    for (int k = 0; k < CTX_FIELDS; k++)
        fields[ncap + k] = k == CTX_PARTIALS ? m->ptr : m->i64;
    LLVMTypeRef ctx_t = LLVMStructTypeInContext(m->ctx, fields, (unsigned)(ncap + CTX_FIELDS), 0);
    LLVMValueRef ctx = lw_entry_alloca(fn, ctx_t, "prange_ctx");
    for (int i = 0; i < ncap; i++)
        LLVMBuildStore(B, lw_val(fn, in->args[1 + i]), LLVMBuildStructGEP2(B, ctx_t, ctx, (unsigned)i, ""));
    LLVMValueRef range = lw_val(fn, in->args[0]);
    LLVMValueRef n = lw_range_len(fn, range);
    LLVMValueRef value[CTX_FIELDS] = {LLVMBuildExtractValue(B, range, 0, ""), LLVMBuildExtractValue(B, range, 1, ""),
                                      LLVMBuildExtractValue(B, range, 2, ""), n, LLVMConstNull(m->ptr)};

    // Per-worker partial results, sized by the promise of pyaot_rt_num_threads.
    Partials p = {.par = par, .type = nred ? lw_type(m, body->ret) : NULL};
    LLVMValueRef saved = NULL, others = NULL;
    if (nred) {
        saved = stack_intrinsic(fn, "llvm.stacksave", NULL);
        LLVMValueRef nt = LLVMBuildZExt(B, lw_call(fn, "pyaot_rt_num_threads", NULL, 0), m->i64, "threads");
        p.array = value[CTX_PARTIALS] = LLVMBuildArrayAlloca(B, p.type, nt, "partials");
        LLVMValueRef first = LLVMGetUndef(p.type);
        for (int k = 0; k < nred; k++)
            first = LLVMBuildInsertValue(B, first, starts[k], (unsigned)k, "");
        LLVMBuildStore(B, first, p.array);
        others = LLVMBuildSub(B, nt, LLVMConstInt(m->i64, 1, 0), "");
        lw_loop(fn, others, start_partial, &p);
    }
    for (int k = 0; k < CTX_FIELDS; k++)
        LLVMBuildStore(B, value[k], LLVMBuildStructGEP2(B, ctx_t, ctx, (unsigned)(ncap + k), ""));
    LLVMValueRef args[3] = {n, make_chunk(fn, body, ctx_t), ctx};
    LLVMValueRef status = lw_call(fn, "pyaot_rt_parallel_for", args, 3);
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildICmp(B, LLVMIntNE, status, LLVMConstInt(m->i32, 0, 0), ""), &ok);
    lw_fail(fn); // the loop raised its exception here
    lw_resume(fn, ok);
    if (!nred)
        return LLVMConstInt(m->i8, 0, 0);
    p.acc = lw_entry_alloca(fn, p.type, "reduced");
    LLVMBuildStore(B, LLVMBuildLoad2(B, p.type, p.array, ""), p.acc);
    lw_loop(fn, others, combine_partial, &p);
    LLVMValueRef result = LLVMBuildLoad2(B, p.type, p.acc, "");
    stack_intrinsic(fn, "llvm.stackrestore", &saved);
    return result;
}
