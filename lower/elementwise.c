/* Element-wise expressions as loops: an ELEMENTWISE (fuse.c) is one loop
 * nest over the broadcast shape of its leaves, computing each item with the
 * scalar code of its expression. No temporary arrays: the items go straight
 * into the result, into the array written in place, into the view being
 * assigned, or to the reduction consuming them.
 *
 * numpy's rules, checked once per expression before the loop: every ufunc
 * of the expression broadcasts its operands (ValueError naming their shapes
 * otherwise); an array written in place is never broadcast itself; and when
 * the array written shares memory with an input at other positions
 * (a[1:] += a[:-1]), the items go to a temporary first, as numpy's copy.
 *
 * Two versions of the loop: one flat loop over the items when every array
 * (the one written too) is C-contiguous with the loop's shape, which LLVM
 * vectorises; the general nest otherwise, with stride 0 along the axes an
 * operand is broadcast over. */
#include "lw.h"

#include <string.h>

enum { MAXDIM = 64 };

typedef struct Shape {
    int ndim;
    LLVMValueRef *dims;
} Shape;

typedef struct Leaf {
    const Instr *v;
    bool array;
    LLVMValueRef val;
    LLVMValueRef data;      // arrays: the first item
    Shape shape;            // arrays: theirs; numbers: 0 dimensions
    LLVMValueRef *strides;  // arrays: along the loop's axes, 0 where broadcast
} Leaf;

typedef struct Loop {
    LwFn *fn;
    const Instr *in;
    const FeExpr *e;
    Leaf *leaves;
    int nleaves;
    Shape shape;            // the loop's
    // Items are stored at out_data (strides out_strides, as out_dtype), or
    // handed to sink.
    LLVMValueRef out_data;
    LLVMValueRef *out_strides;
    const Type *out_dtype;
    LwItemSink sink;
    void *ctx;
    LLVMValueRef fill;      // masked fill: the items are conditions, and where one
                            // holds, fill is stored (a[cond] = fill)
    // Or stored in chunks at chunk_buffer, each handed to flush.
    LLVMValueRef chunk_buffer, chunk_fill; // chunk_fill: a slot, items buffered (strided loop)
    LwChunkFlush flush;
    LLVMValueRef idx[MAXDIM];
    int level;
} Loop;

static LLVMValueRef i64c(LwModule *m, int64_t v) { return LLVMConstInt(m->i64, (unsigned long long)v, 1); }

static Shape new_shape(LwFn *fn, int ndim) {
    Shape s = {ndim, ARENA_ARRAY(fn->m->arena, LLVMValueRef, ndim + 1)};
    return s;
}

static Shape array_shape(LwFn *fn, LLVMValueRef arr, const Type *t) {
    Shape s = new_shape(fn, t->ndim);
    for (int i = 0; i < t->ndim; i++)
        s.dims[i] = lw_array_dim(fn, arr, i);
    return s;
}

LLVMValueRef lw_array_is_c_contiguous(LwFn *fn, LLVMValueRef arr, const Type *t) {
    LwModule *m = fn->m;
    if (t->layout == 'C')
        return LLVMConstInt(m->i1, 1, 0);
    LLVMValueRef ok = LLVMConstInt(m->i1, 1, 0), expected = i64c(m, 1);
    for (int j = t->ndim - 1; j >= 0; j--) {
        LLVMValueRef d = lw_array_dim(fn, arr, j);
        LLVMValueRef fits = LLVMBuildOr(fn->b, LLVMBuildICmp(fn->b, LLVMIntEQ, d, i64c(m, 1), ""),
                                        LLVMBuildICmp(fn->b, LLVMIntEQ, lw_array_stride(fn, arr, t, j), expected, ""), "");
        ok = LLVMBuildAnd(fn->b, ok, fits, "");
        expected = LLVMBuildMul(fn->b, expected, d, "");
    }
    return ok;
}

/* Writes n shapes one after another into stack buffers for the runtime. */
static void shapes_for_runtime(LwFn *fn, const Shape *const *shapes, int n, LLVMValueRef *dims_buf,
                               LLVMValueRef *ndims_buf) {
    LwModule *m = fn->m;
    int total = 0;
    for (int i = 0; i < n; i++)
        total += shapes[i]->ndim;
    *dims_buf = lw_entry_alloca(fn, LLVMArrayType2(m->i64, (uint64_t)(total > 0 ? total : 1)), "shapes");
    *ndims_buf = lw_entry_alloca(fn, LLVMArrayType2(m->i32, (uint64_t)n), "ndims");
    int at = 0;
    for (int i = 0; i < n; i++) {
        LLVMValueRef k = i64c(m, i);
        LLVMBuildStore(fn->b, LLVMConstInt(m->i32, (unsigned)shapes[i]->ndim, 0),
                       LLVMBuildInBoundsGEP2(fn->b, m->i32, *ndims_buf, &k, 1, ""));
        for (int j = 0; j < shapes[i]->ndim; j++, at++) {
            LLVMValueRef p = i64c(m, at);
            LLVMBuildStore(fn->b, shapes[i]->dims[j], LLVMBuildInBoundsGEP2(fn->b, m->i64, *dims_buf, &p, 1, ""));
        }
    }
}

/* The broadcast of the operands' shapes; ValueError when they do not fit. */
static Shape broadcast(LwFn *fn, const Shape *const *ops, int n) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    int nd = 0, arrays = 0;
    const Shape *only = NULL;
    for (int i = 0; i < n; i++) {
        nd = ops[i]->ndim > nd ? ops[i]->ndim : nd;
        if (ops[i]->ndim > 0) {
            arrays++;
            only = ops[i];
        }
    }
    if (arrays <= 1)
        return only ? *only : new_shape(fn, 0);
    Shape r = new_shape(fn, nd);
    LLVMValueRef one = i64c(m, 1), bad = LLVMConstInt(m->i1, 0, 0);
    for (int j = 0; j < nd; j++) {
        LLVMValueRef d = one;
        for (int i = 0; i < n; i++) {
            int k = j - (nd - ops[i]->ndim);
            if (k >= 0)
                d = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntEQ, d, one, ""), ops[i]->dims[k], d, "dim");
        }
        for (int i = 0; i < n; i++) {
            int k = j - (nd - ops[i]->ndim);
            if (k < 0)
                continue;
            LLVMValueRef od = ops[i]->dims[k];
            bad = LLVMBuildOr(B, bad, LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntNE, od, d, ""),
                                                   LLVMBuildICmp(B, LLVMIntNE, od, one, ""), ""), "");
        }
        r.dims[j] = d;
    }
    LLVMBasicBlockRef ok;
    lw_check(fn, bad, &ok);
    LLVMValueRef dims, ndims;
    shapes_for_runtime(fn, ops, n, &dims, &ndims);
    LLVMValueRef args[3] = {dims, ndims, LLVMConstInt(m->i32, (unsigned)n, 0)};
    lw_call(fn, "pyaot_rt_raise_broadcast_operands", args, 3);
    lw_fail(fn);
    lw_resume(fn, ok);
    return r;
}

/* The values an item instruction combines (a CALL's callee is not one). */
static int item_operands(const Instr *op, const Instr **out) {
    int first = op->op == OP_CALL ? 1 : 0;
    for (int i = first; i < op->nargs; i++)
        out[i - first] = op->args[i];
    return op->nargs - first;
}

/* The shape of every step of the expression, checking each broadcast. */
static Shape expression_shape(Loop *L) {
    LwFn *fn = L->fn;
    Shape **by_id = ARENA_ARRAY(fn->m->arena, Shape *, fn->f->next_id + 1);
    for (int k = 0; k < L->e->elems.len; k++)
        if (L->e->elems.data[k])
            by_id[L->e->elems.data[k]->id] = &L->leaves[k].shape;
    Shape *last = NULL;
    for (int i = 0; i < L->e->ops.len; i++) {
        const Instr *op = L->e->ops.data[i];
        const Instr *args[8];
        const Shape *shapes[8];
        int n = item_operands(op, args);
        for (int a = 0; a < n; a++)
            shapes[a] = by_id[args[a]->id];
        // numpy broadcasts the array written in place with the last ufunc's
        // operands (a += b is np.add(a, b, out=a)).
        if (i == L->e->ops.len - 1 && L->e->dest_leaf >= 0)
            shapes[n++] = &L->leaves[L->e->dest_leaf].shape;
        last = ARENA_NEW(fn->m->arena, Shape);
        *last = broadcast(fn, shapes, n);
        by_id[op->id] = last;
    }
    return *last;
}

/* ValueError unless `result` broadcasts to `target` (which is not
 * broadcast itself); `setitem` picks the message numpy gives. */
static void check_fits(LwFn *fn, Shape result, Shape target, bool setitem) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef bad = LLVMConstInt(m->i1, 0, 0);
    for (int j = 0; j < result.ndim; j++) {
        LLVMValueRef r = result.dims[j], t = target.dims[j + target.ndim - result.ndim];
        bad = LLVMBuildOr(B, bad, LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntNE, r, t, ""),
                                               LLVMBuildICmp(B, LLVMIntNE, r, i64c(m, 1), ""), ""), "");
    }
    LLVMBasicBlockRef ok;
    lw_check(fn, bad, &ok);
    const Shape *both[2] = {&result, &target};
    LLVMValueRef dims, ndims;
    shapes_for_runtime(fn, both, 2, &dims, &ndims);
    LLVMValueRef at = i64c(m, result.ndim);
    LLVMValueRef target_dims = LLVMBuildInBoundsGEP2(B, m->i64, dims, &at, 1, "");
    LLVMValueRef rn = LLVMConstInt(m->i32, (unsigned)result.ndim, 0), tn = LLVMConstInt(m->i32, (unsigned)target.ndim, 0);
    if (setitem) {
        LLVMValueRef args[4] = {dims, rn, target_dims, tn};
        lw_call(fn, "pyaot_rt_raise_broadcast", args, 4);
    } else {
        LLVMValueRef args[4] = {target_dims, tn, dims, rn};
        lw_call(fn, "pyaot_rt_raise_output_shape", args, 4);
    }
    lw_fail(fn);
    lw_resume(fn, ok);
}

static void gather_leaves(Loop *L) {
    LwFn *fn = L->fn;
    L->nleaves = L->in->nargs;
    L->leaves = ARENA_ARRAY(fn->m->arena, Leaf, L->nleaves + 1);
    for (int k = 0; k < L->nleaves; k++) {
        Leaf *lf = &L->leaves[k];
        lf->v = L->in->args[k];
        lf->val = lw_val(fn, lf->v);
        lf->array = lf->v->type->kind == TY_ARRAY;
        if (lf->array) {
            lf->data = lw_array_data(fn, lf->val);
            lf->shape = array_shape(fn, lf->val, lf->v->type);
        } else {
            lf->shape = new_shape(fn, 0);
        }
    }
}

/* Each array leaf's strides along the loop's axes: its own where its length
 * is the loop's, 0 where it is broadcast (missing or of length 1). */
static void leaf_strides(Loop *L) {
    LwFn *fn = L->fn;
    int nd = L->shape.ndim;
    for (int k = 0; k < L->nleaves; k++) {
        Leaf *lf = &L->leaves[k];
        if (!lf->array)
            continue;
        lf->strides = ARENA_ARRAY(fn->m->arena, LLVMValueRef, nd + 1);
        int lead = nd - lf->shape.ndim;
        for (int j = 0; j < nd; j++) {
            if (j < lead) {
                lf->strides[j] = i64c(fn->m, 0);
                continue;
            }
            LLVMValueRef same = LLVMBuildICmp(fn->b, LLVMIntEQ, lf->shape.dims[j - lead], L->shape.dims[j], "");
            lf->strides[j] = LLVMBuildSelect(fn->b, same, lw_array_stride(fn, lf->val, lf->v->type, j - lead),
                                             i64c(fn->m, 0), "");
        }
    }
}

/* ---- the loops ----------------------------------------------------------------- */

enum { CHUNK = 8192 };

static LLVMValueRef item_ptr(LwFn *fn, const Type *dtype, LLVMValueRef data, LLVMValueRef offset) {
    return LLVMBuildGEP2(fn->b, lw_mem_type(fn->m, dtype), data, &offset, 1, "");
}

/* In the strided loop, items gather in the chunk buffer, which is handed
 * on whenever it is full. */
static void buffer_item(Loop *L, LLVMValueRef item, const Type *type) {
    LwFn *fn = L->fn;
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef n = LLVMBuildLoad2(B, m->i64, L->chunk_fill, "");
    lw_store_elem(fn, item_ptr(fn, L->out_dtype, L->chunk_buffer, n), lw_convert(fn, item, type, L->out_dtype), L->out_dtype);
    LLVMValueRef filled = LLVMBuildAdd(B, n, i64c(m, 1), "");
    LLVMBuildStore(B, filled, L->chunk_fill);
    LLVMBasicBlockRef full = lw_block(fn, "chunk.full"), next = lw_block(fn, "chunk.next");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, filled, i64c(m, CHUNK), ""), full, next);
    LLVMPositionBuilderAtEnd(B, full);
    L->flush(fn, filled, L->ctx);
    LLVMBuildStore(B, i64c(m, 0), L->chunk_fill);
    LLVMBuildBr(B, next);
    LLVMPositionBuilderAtEnd(B, next);
}

static void emit_item(Loop *L, LLVMValueRef *ptrs, LLVMValueRef out_ptr) {
    LwFn *fn = L->fn;
    for (int k = 0; k < L->nleaves; k++) {
        const Instr *elem = k < L->e->elems.len ? L->e->elems.data[k] : NULL;
        if (!elem)
            continue;
        fn->vals[elem->id] = L->leaves[k].array ? lw_load_elem(fn, ptrs[k], elem->type) : L->leaves[k].val;
    }
    bool was = fn->in_elementwise;
    fn->in_elementwise = true;
    const Instr *last = NULL;
    for (int i = 0; i < L->e->ops.len; i++) {
        last = L->e->ops.data[i];
        fn->vals[last->id] = lw_lower_value(fn, last);
    }
    fn->in_elementwise = was;
    LLVMValueRef item = fn->vals[last->id];
    if (out_ptr && L->fill) // a select, not a branch, so that the loop vectorises
        lw_store_elem(fn, out_ptr, LLVMBuildSelect(fn->b, item, L->fill, lw_load_elem(fn, out_ptr, L->out_dtype), ""),
                      L->out_dtype);
    else if (out_ptr)
        lw_store_elem(fn, out_ptr, lw_convert(fn, item, last->type, L->out_dtype), L->out_dtype);
    else if (L->sink)
        L->sink(fn, item, L->ctx);
    else
        buffer_item(L, item, last->type);
}

static void flat_body(LwFn *fn, LLVMValueRef i, void *ctx) {
    Loop *L = ctx;
    LLVMValueRef ptrs[MAXDIM];
    for (int k = 0; k < L->nleaves && k < MAXDIM; k++)
        if (L->leaves[k].array)
            ptrs[k] = item_ptr(fn, L->leaves[k].v->type->dtype, L->leaves[k].data, i);
    emit_item(L, ptrs, L->out_data ? item_ptr(fn, L->out_dtype, L->out_data, i) : NULL);
}

static LLVMValueRef loop_size(LwFn *fn, Shape s) {
    LLVMValueRef n = i64c(fn->m, 1);
    for (int j = 0; j < s.ndim; j++)
        n = LLVMBuildMul(fn->b, n, s.dims[j], "");
    return n;
}

/* One chunk of the flat loop: its items into the buffer, then handed on. */
typedef struct Chunk {
    Loop *L;
    LLVMValueRef start;
} Chunk;

static void chunk_item(LwFn *fn, LLVMValueRef i, void *ctx) {
    Chunk *c = ctx;
    Loop *L = c->L;
    LLVMValueRef at = LLVMBuildAdd(fn->b, c->start, i, "");
    LLVMValueRef ptrs[MAXDIM];
    for (int k = 0; k < L->nleaves && k < MAXDIM; k++)
        if (L->leaves[k].array)
            ptrs[k] = item_ptr(fn, L->leaves[k].v->type->dtype, L->leaves[k].data, at);
    emit_item(L, ptrs, item_ptr(fn, L->out_dtype, L->chunk_buffer, i));
}

static void chunk_body(LwFn *fn, LLVMValueRef k, void *ctx) {
    Loop *L = ctx;
    LwModule *m = fn->m;
    LLVMValueRef start = LLVMBuildMul(fn->b, k, i64c(m, CHUNK), "");
    LLVMValueRef rest = LLVMBuildSub(fn->b, loop_size(fn, L->shape), start, "");
    LLVMValueRef len = LLVMBuildSelect(fn->b, LLVMBuildICmp(fn->b, LLVMIntSLT, rest, i64c(m, CHUNK), ""), rest,
                                       i64c(m, CHUNK), "");
    Chunk c = {L, start};
    lw_loop(fn, len, chunk_item, &c);
    L->flush(fn, len, L->ctx);
}

static LLVMValueRef offset_of(LwFn *fn, Loop *L, LLVMValueRef *strides) {
    LLVMValueRef off = i64c(fn->m, 0);
    for (int j = 0; j < L->shape.ndim; j++)
        off = LLVMBuildAdd(fn->b, off, LLVMBuildMul(fn->b, L->idx[j], strides[j], ""), "");
    return off;
}

static void nest_body(LwFn *fn, LLVMValueRef i, void *ctx) {
    Loop *L = ctx;
    L->idx[L->level] = i;
    if (L->level + 1 < L->shape.ndim) {
        L->level++;
        lw_loop(fn, L->shape.dims[L->level], nest_body, L);
        L->level--;
        return;
    }
    LLVMValueRef ptrs[MAXDIM];
    for (int k = 0; k < L->nleaves && k < MAXDIM; k++)
        if (L->leaves[k].array)
            ptrs[k] = item_ptr(fn, L->leaves[k].v->type->dtype, L->leaves[k].data, offset_of(fn, L, L->leaves[k].strides));
    emit_item(L, ptrs, L->out_data ? item_ptr(fn, L->out_dtype, L->out_data, offset_of(fn, L, L->out_strides)) : NULL);
}

/* True when strides are C-contiguous ones for the loop's shape. */
static LLVMValueRef contiguous_strides(LwFn *fn, Shape s, LLVMValueRef *strides) {
    LwModule *m = fn->m;
    LLVMValueRef ok = LLVMConstInt(m->i1, 1, 0), expected = i64c(m, 1);
    for (int j = s.ndim - 1; j >= 0; j--) {
        LLVMValueRef fits = LLVMBuildOr(fn->b, LLVMBuildICmp(fn->b, LLVMIntEQ, s.dims[j], i64c(m, 1), ""),
                                        LLVMBuildICmp(fn->b, LLVMIntEQ, strides[j], expected, ""), "");
        ok = LLVMBuildAnd(fn->b, ok, fits, "");
        expected = LLVMBuildMul(fn->b, expected, s.dims[j], "");
    }
    return ok;
}

/* Both versions of the loop, chosen at run time. */
static void run_loops(Loop *L, bool out_contiguous_known) {
    LwFn *fn = L->fn;
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef flat = out_contiguous_known ? LLVMConstInt(m->i1, 1, 0)
                                             : contiguous_strides(fn, L->shape, L->out_strides);
    for (int k = 0; k < L->nleaves; k++) {
        Leaf *lf = &L->leaves[k];
        if (!lf->array)
            continue;
        if (lf->shape.ndim != L->shape.ndim) {
            flat = LLVMConstInt(m->i1, 0, 0);
            break;
        }
        for (int j = 0; j < L->shape.ndim; j++)
            flat = LLVMBuildAnd(B, flat, LLVMBuildICmp(B, LLVMIntEQ, lf->shape.dims[j], L->shape.dims[j], ""), "");
        flat = LLVMBuildAnd(B, flat, lw_array_is_c_contiguous(fn, lf->val, lf->v->type), "");
    }
    LLVMBasicBlockRef flat_bb = lw_block(fn, "items.flat"), nest_bb = lw_block(fn, "items.strided"),
                      done = lw_block(fn, "items.done");
    LLVMBuildCondBr(B, flat, flat_bb, nest_bb);
    LLVMPositionBuilderAtEnd(B, flat_bb);
    if (L->chunk_buffer)
        lw_loop(fn, LLVMBuildUDiv(B, LLVMBuildAdd(B, loop_size(fn, L->shape), i64c(m, CHUNK - 1), ""), i64c(m, CHUNK), ""),
                chunk_body, L);
    else
        lw_loop(fn, loop_size(fn, L->shape), flat_body, L);
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, nest_bb);
    if (L->shape.ndim > 0) {
        L->level = 0;
        lw_loop(fn, L->shape.dims[0], nest_body, L);
    }
    if (L->chunk_buffer) { // what is left in the buffer
        LLVMValueRef left = LLVMBuildLoad2(B, m->i64, L->chunk_fill, "");
        LLVMBasicBlockRef last = lw_block(fn, "chunk.last");
        LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSGT, left, i64c(m, 0), ""), last, done);
        LLVMPositionBuilderAtEnd(B, last);
        L->flush(fn, left, L->ctx);
    }
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, done);
}

/* ---- where the items go ------------------------------------------------------- */

static Loop start(LwFn *fn, const Instr *in) {
    Loop L = {.fn = fn, .in = in, .e = in->expr};
    gather_leaves(&L);
    return L;
}

/* When the array written shares memory with a leaf read at other
 * positions, the items must be computed before any is stored. */
static LLVMValueRef needs_temporary(Loop *L, LLVMValueRef dst, const Type *dt) {
    LwFn *fn = L->fn;
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef need = LLVMConstInt(m->i1, 0, 0);
    LLVMValueRef dshape, dstrides;
    lw_array_layout_ptrs(fn, dst, dt, &dshape, &dstrides);
    for (int k = 0; k < L->nleaves; k++) {
        Leaf *lf = &L->leaves[k];
        if (!lf->array || lw_elem_size(lf->v->type->dtype) == 0)
            continue;
        const Type *lt = lf->v->type;
        LLVMValueRef lshape, lstrides;
        lw_array_layout_ptrs(fn, lf->val, lt, &lshape, &lstrides);
        LLVMValueRef args[10] = {lf->data, lshape, lstrides, LLVMConstInt(m->i32, (unsigned)lt->ndim, 0),
                                 i64c(m, lw_elem_size(lt->dtype)), lw_array_data(fn, dst), dshape, dstrides,
                                 LLVMConstInt(m->i32, (unsigned)dt->ndim, 0), i64c(m, lw_elem_size(dt->dtype))};
        LLVMValueRef overlap = LLVMBuildICmp(B, LLVMIntNE, lw_call(fn, "pyaot_rt_memory_overlap", args, 10),
                                             LLVMConstInt(m->i32, 0, 0), "");
        if (lw_elem_size(lt->dtype) != lw_elem_size(dt->dtype)) {
            need = LLVMBuildOr(B, need, overlap, "");
            continue;
        }
        // Reading each item where it is written is safe: a += b, a[:] = a * 2.
        LLVMValueRef same = LLVMBuildICmp(B, LLVMIntEQ, lf->data, lw_array_data(fn, dst), "");
        for (int j = 0; j < L->shape.ndim; j++) {
            LLVMValueRef trivial = LLVMBuildICmp(B, LLVMIntSLE, L->shape.dims[j], i64c(m, 1), "");
            LLVMValueRef eq = LLVMBuildICmp(B, LLVMIntEQ, lf->strides[j], L->out_strides[j], "");
            same = LLVMBuildAnd(B, same, LLVMBuildOr(B, trivial, eq, ""), "");
        }
        need = LLVMBuildOr(B, need, LLVMBuildAnd(B, overlap, LLVMBuildNot(B, same, ""), ""), "");
    }
    return need;
}

/* Items into dst (of the loop's shape), through a temporary when dst
 * overlaps what is read. The two are separate loops: storing straight into
 * dst, LLVM sees that a += b reads and writes each item at one address,
 * and vectorises without checking for overlap at run time. */
static void store_into(Loop *L, LLVMValueRef dst, const Type *dt) {
    LwFn *fn = L->fn;
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    int nd = L->shape.ndim;
    L->out_dtype = dt->dtype;
    L->out_data = lw_array_data(fn, dst);
    L->out_strides = ARENA_ARRAY(m->arena, LLVMValueRef, nd + 1);
    for (int j = 0; j < nd; j++)
        L->out_strides[j] = lw_array_stride(fn, dst, dt, j);
    leaf_strides(L);
    LLVMValueRef need = needs_temporary(L, dst, dt);
    LLVMBasicBlockRef direct = lw_block(fn, "store.direct"), via = lw_block(fn, "store.temporary"),
                      done = lw_block(fn, "stored");
    LLVMBuildCondBr(B, need, via, direct);
    LLVMPositionBuilderAtEnd(B, direct);
    run_loops(L, dt->layout == 'C');
    LLVMBuildBr(B, done);
    // The temporary is C-contiguous, of dst's dtype; the items are copied
    // into dst once all are computed.
    LLVMPositionBuilderAtEnd(B, via);
    const Type *tt = ty_array(m->tt, dt->dtype, nd, 'C');
    LLVMValueRef temp = lw_array_new(fn, tt, L->shape.dims, false);
    if (L->fill) // items not filled keep their value
        lw_array_copy_into(fn, dst, dt, temp, tt);
    L->out_data = lw_array_data(fn, temp);
    for (int j = 0; j < nd; j++)
        L->out_strides[j] = lw_array_stride(fn, temp, tt, j);
    run_loops(L, true);
    lw_array_copy_into(fn, temp, tt, dst, dt);
    lw_decref(fn, temp, tt);
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, done);
}

LLVMValueRef lw_elementwise(LwFn *fn, const Instr *in) {
    Loop L = start(fn, in);
    Shape result = expression_shape(&L);
    if (in->expr->dest_leaf < 0) {
        L.shape = result;
        LLVMValueRef arr = lw_array_new(fn, in->type, result.dims, false);
        L.out_dtype = in->type->dtype;
        L.out_data = lw_array_data(fn, arr);
        L.out_strides = ARENA_ARRAY(fn->m->arena, LLVMValueRef, result.ndim + 1);
        for (int j = 0; j < result.ndim; j++)
            L.out_strides[j] = lw_array_stride(fn, arr, in->type, j);
        leaf_strides(&L);
        run_loops(&L, true);
        return arr;
    }
    // In place: the array written keeps its shape, and the value is it.
    Leaf *dest = &L.leaves[in->expr->dest_leaf];
    check_fits(fn, result, dest->shape, false);
    L.shape = dest->shape;
    store_into(&L, dest->val, dest->v->type);
    lw_incref(fn, dest->val, in->type);
    return dest->val;
}

void lw_elementwise_into(LwFn *fn, const Instr *in, LLVMValueRef view, const Type *vt) {
    Loop L = start(fn, in);
    Shape result = expression_shape(&L);
    Shape target = array_shape(fn, view, vt);
    check_fits(fn, result, target, true);
    L.shape = target;
    store_into(&L, view, vt);
}

void lw_elementwise_each(LwFn *fn, const Instr *in, LwItemSink sink, void *ctx, LLVMValueRef *count) {
    Loop L = start(fn, in);
    L.shape = expression_shape(&L);
    L.sink = sink;
    L.ctx = ctx;
    L.out_strides = ARENA_ARRAY(fn->m->arena, LLVMValueRef, L.shape.ndim + 1);
    for (int j = 0; j < L.shape.ndim; j++)
        L.out_strides[j] = i64c(fn->m, 0);
    leaf_strides(&L);
    *count = loop_size(fn, L.shape);
    run_loops(&L, true);
}

void lw_elementwise_chunks(LwFn *fn, const Instr *in, const Type *item, LLVMValueRef buffer, LwChunkFlush flush,
                           void *ctx, LLVMValueRef *count) {
    Loop L = start(fn, in);
    L.shape = expression_shape(&L);
    L.out_dtype = item;
    L.chunk_buffer = buffer;
    L.chunk_fill = lw_entry_alloca(fn, fn->m->i64, "chunk.fill");
    LLVMBuildStore(fn->b, i64c(fn->m, 0), L.chunk_fill);
    L.flush = flush;
    L.ctx = ctx;
    L.out_strides = ARENA_ARRAY(fn->m->arena, LLVMValueRef, L.shape.ndim + 1);
    for (int j = 0; j < L.shape.ndim; j++)
        L.out_strides[j] = i64c(fn->m, 0);
    leaf_strides(&L);
    *count = loop_size(fn, L.shape);
    run_loops(&L, true);
}

void lw_elementwise_masked_fill(LwFn *fn, const Instr *in, LLVMValueRef arr, const Type *t, LLVMValueRef fill) {
    LwModule *m = fn->m;
    Loop L = start(fn, in);
    Shape mask = expression_shape(&L);
    Shape target = array_shape(fn, arr, t);
    // A mask is not broadcast: its shape is the array's (numpy's IndexError).
    for (int j = 0; j < t->ndim; j++) {
        LLVMBasicBlockRef ok;
        lw_check(fn, LLVMBuildICmp(fn->b, LLVMIntNE, mask.dims[j], target.dims[j], ""), &ok);
        LLVMValueRef args[3] = {LLVMConstInt(m->i32, (unsigned)j, 0), target.dims[j], mask.dims[j]};
        lw_call(fn, "pyaot_rt_raise_mask_mismatch", args, 3);
        lw_fail(fn);
        lw_resume(fn, ok);
    }
    L.shape = target;
    L.fill = fill;
    store_into(&L, arr, t);
}
