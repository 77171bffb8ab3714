/* Indexing with an array, numpy's "advanced" indexing: a[idx] gathers the
 * items an integer array picks (its shape replaces the axis it indexes),
 * a[mask] those a boolean mask selects (the axes it covers become one, as
 * long as its count of true items), into a new array; a[idx] = v and
 * a[mask] = v scatter a number or an array (broadcast to the selection)
 * into them. The index's other items cut a view first (slice.c), in which
 * the array item's axes stay whole. */
#include "lw.h"

enum { MAXDIM = 64 };

/* What the array item of an index selects, over the view the others cut. */
typedef struct Selection {
    const FeIndexItem *item;
    LLVMValueRef view;
    const Type *vt;
    int q;                        // the view's first axis the array applies to
    LLVMValueRef index;           // the integer array or the mask
    const Type *index_t;
    LLVMValueRef coords;          // masks: the true items' positions, naxes each
    const Type *coords_t;
    int ndim;                     // of what is selected: the view's axes before q,
    LLVMValueRef dims[MAXDIM];    // the selection's, the view's after
    int sel_ndim;                 // axes of the selection itself
} Selection;

static LLVMValueRef i64c(LwModule *m, int64_t v) { return LLVMConstInt(m->i64, (unsigned long long)v, 1); }

typedef struct Count {
    Selection *s;
    LLVMValueRef slot;
} Count;

static void count_true(LwFn *fn, LLVMValueRef *idx, void *ctx) {
    Count *c = ctx;
    LLVMValueRef on = lw_load_elem(fn, lw_array_elem_ptr(fn, c->s->index, c->s->index_t, idx, c->s->index_t->ndim),
                                   c->s->index_t->dtype);
    LLVMValueRef n = LLVMBuildLoad2(fn->b, fn->m->i64, c->slot, "");
    LLVMBuildStore(fn->b, LLVMBuildAdd(fn->b, n, LLVMBuildZExt(fn->b, on, fn->m->i64, ""), ""), c->slot);
}

static void record_true(LwFn *fn, LLVMValueRef *idx, void *ctx) {
    Count *c = ctx;
    Selection *s = c->s;
    LwModule *m = fn->m;
    LLVMValueRef on = lw_load_elem(fn, lw_array_elem_ptr(fn, s->index, s->index_t, idx, s->index_t->ndim),
                                   s->index_t->dtype);
    LLVMBasicBlockRef yes = lw_block(fn, "mask.true"), next = lw_block(fn, "mask.next");
    LLVMBuildCondBr(fn->b, on, yes, next);
    LLVMPositionBuilderAtEnd(fn->b, yes);
    LLVMValueRef n = LLVMBuildLoad2(fn->b, m->i64, c->slot, "");
    LLVMValueRef data = lw_array_data(fn, s->coords);
    int naxes = s->item->naxes;
    for (int j = 0; j < naxes; j++) {
        LLVMValueRef at = LLVMBuildAdd(fn->b, LLVMBuildMul(fn->b, n, i64c(m, naxes), ""), i64c(m, j), "");
        LLVMBuildStore(fn->b, idx[j], LLVMBuildInBoundsGEP2(fn->b, m->i64, data, &at, 1, ""));
    }
    LLVMBuildStore(fn->b, LLVMBuildAdd(fn->b, n, i64c(m, 1), ""), c->slot);
    LLVMBuildBr(fn->b, next);
    LLVMPositionBuilderAtEnd(fn->b, next);
}

/* The positions of a mask's true items, after checking its shape. */
static void select_mask(LwFn *fn, Selection *s) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    int naxes = s->item->naxes;
    LLVMValueRef mask_dims[MAXDIM];
    for (int j = 0; j < naxes; j++) {
        mask_dims[j] = lw_array_dim(fn, s->index, j);
        LLVMValueRef dim = lw_array_dim(fn, s->view, s->q + j);
        LLVMBasicBlockRef ok;
        lw_check(fn, LLVMBuildICmp(B, LLVMIntNE, dim, mask_dims[j], ""), &ok);
        LLVMValueRef args[3] = {LLVMConstInt(m->i32, (unsigned)(s->item->axis + j), 0), dim, mask_dims[j]};
        lw_call(fn, "pyaot_rt_raise_mask_mismatch", args, 3);
        lw_fail(fn);
        lw_resume(fn, ok);
    }
    Count c = {s, lw_entry_alloca(fn, m->i64, "count")};
    LLVMBuildStore(B, i64c(m, 0), c.slot);
    lw_for_each_index(fn, mask_dims, naxes, count_true, &c);
    LLVMValueRef count = LLVMBuildLoad2(B, m->i64, c.slot, "count");
    s->coords_t = ty_array(m->tt, ty_int64(m->tt), 1, 'C');
    LLVMValueRef total = LLVMBuildMul(B, count, i64c(m, naxes), "");
    s->coords = lw_array_new(fn, s->coords_t, &total, false);
    LLVMBuildStore(B, i64c(m, 0), c.slot);
    lw_for_each_index(fn, mask_dims, naxes, record_true, &c);
    s->sel_ndim = 1;
    s->dims[s->q] = count;
}

static Selection select_begin(LwFn *fn, const Instr *in, const FeIndex *plan) {
    LwModule *m = fn->m;
    const Instr *obj = in->args[0], *idx = in->args[1];
    const Type *t = obj->type;
    Selection s = {.item = &plan->items[plan->advanced]};
    s.vt = ty_array(m->tt, t->dtype, plan->view_ndim, 'A');
    s.view = lw_array_view(fn, lw_val(fn, obj), t, idx, s.vt, false);
    s.q = s.item->view_axis;
    s.index_t = s.item->type;
    s.index = plan->tuple ? LLVMBuildExtractValue(fn->b, lw_val(fn, idx), (unsigned)plan->advanced, "")
                          : lw_val(fn, idx);
    for (int j = 0; j < s.q; j++)
        s.dims[j] = lw_array_dim(fn, s.view, j);
    if (s.item->kind == IX_BOOL_ARRAY) {
        select_mask(fn, &s);
    } else {
        s.sel_ndim = s.index_t->ndim;
        for (int j = 0; j < s.sel_ndim; j++)
            s.dims[s.q + j] = lw_array_dim(fn, s.index, j);
    }
    int after = s.q + s.item->naxes;
    s.ndim = s.q + s.sel_ndim + (plan->view_ndim - after);
    for (int j = after; j < plan->view_ndim; j++)
        s.dims[s.q + s.sel_ndim + (j - after)] = lw_array_dim(fn, s.view, j);
    return s;
}

static void select_end(LwFn *fn, Selection *s) {
    if (s->coords)
        lw_decref(fn, s->coords, s->coords_t);
}

/* The view's indices of the selected item at idx (an index of what is
 * selected); IndexError for an integer out of range. */
static void view_indices(LwFn *fn, Selection *s, LLVMValueRef *idx, LLVMValueRef *out) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    int naxes = s->item->naxes, k = 0;
    for (int j = 0; j < s->q; j++)
        out[k++] = idx[j];
    if (s->item->kind == IX_BOOL_ARRAY) {
        LLVMValueRef data = lw_array_data(fn, s->coords);
        for (int j = 0; j < naxes; j++) {
            LLVMValueRef at = LLVMBuildAdd(B, LLVMBuildMul(B, idx[s->q], i64c(m, naxes), ""), i64c(m, j), "");
            out[k++] = LLVMBuildLoad2(B, m->i64, LLVMBuildInBoundsGEP2(B, m->i64, data, &at, 1, ""), "");
        }
    } else {
        LLVMValueRef ptr = lw_array_elem_ptr(fn, s->index, s->index_t, idx + s->q, s->sel_ndim);
        LLVMValueRef pos = lw_convert(fn, lw_load_elem(fn, ptr, s->index_t->dtype), s->index_t->dtype, ty_int64(m->tt));
        LLVMValueRef dim = lw_array_dim(fn, s->view, s->q);
        LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, pos, i64c(m, 0), "");
        LLVMValueRef wrapped = LLVMBuildSelect(B, neg, LLVMBuildAdd(B, pos, dim, ""), pos, "");
        // Always checked: these indices come from data, not from code.
        LLVMBasicBlockRef ok;
        lw_check(fn, LLVMBuildICmp(B, LLVMIntUGE, wrapped, dim, ""), &ok);
        LLVMValueRef args[3] = {pos, dim, LLVMConstInt(m->i32, (unsigned)s->item->axis, 0)};
        lw_call(fn, "pyaot_rt_raise_index", args, 3);
        lw_fail(fn);
        lw_resume(fn, ok);
        out[k++] = wrapped;
    }
    for (int j = s->q + s->sel_ndim; j < s->ndim; j++)
        out[k++] = idx[j];
}

/* ---- gather ------------------------------------------------------------------ */

typedef struct Gather {
    Selection *s;
    LLVMValueRef result;
    const Type *rt;
} Gather;

static void gather_item(LwFn *fn, LLVMValueRef *idx, void *ctx) {
    Gather *g = ctx;
    LLVMValueRef vidx[MAXDIM];
    view_indices(fn, g->s, idx, vidx);
    const Type *vt = g->s->vt;
    LLVMValueRef v = lw_load_elem(fn, lw_array_elem_ptr(fn, g->s->view, vt, vidx, vt->ndim), vt->dtype);
    lw_store_elem(fn, lw_array_elem_ptr(fn, g->result, g->rt, idx, g->rt->ndim), v, g->rt->dtype);
}

LLVMValueRef lw_index_gather(LwFn *fn, const Instr *in, const FeIndex *plan) {
    Selection s = select_begin(fn, in, plan);
    Gather g = {&s, lw_array_new(fn, in->type, s.dims, false), in->type};
    lw_for_each_index(fn, s.dims, s.ndim, gather_item, &g);
    select_end(fn, &s);
    return g.result;
}

/* ---- scatter ------------------------------------------------------------------ */

typedef struct Scatter {
    Selection *s;
    LLVMValueRef number;          // a number assigned, converted; or
    LLVMValueRef value;           // an array, broadcast to the selection
    const Type *value_t;
    LLVMValueRef strides[MAXDIM]; // the value's along the selection's axes
} Scatter;

static void scatter_item(LwFn *fn, LLVMValueRef *idx, void *ctx) {
    Scatter *c = ctx;
    LwModule *m = fn->m;
    const Type *vt = c->s->vt;
    LLVMValueRef item = c->number;
    if (!item) {
        LLVMValueRef off = i64c(m, 0);
        for (int j = 0; j < c->s->ndim; j++)
            off = LLVMBuildAdd(fn->b, off, LLVMBuildMul(fn->b, idx[j], c->strides[j], ""), "");
        LLVMValueRef ptr = LLVMBuildGEP2(fn->b, lw_mem_type(m, c->value_t->dtype), lw_array_data(fn, c->value), &off, 1, "");
        item = lw_convert(fn, lw_load_elem(fn, ptr, c->value_t->dtype), c->value_t->dtype, vt->dtype);
    }
    LLVMValueRef vidx[MAXDIM];
    view_indices(fn, c->s, idx, vidx);
    lw_store_elem(fn, lw_array_elem_ptr(fn, c->s->view, vt, vidx, vt->ndim), item, vt->dtype);
}

/* The value array along the selection's axes; ValueError when it does not
 * broadcast to them. */
static void value_strides(LwFn *fn, Scatter *c, const FeIndex *plan) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    Selection *s = c->s;
    const Type *t = c->value_t;
    int lead = s->ndim - t->ndim;
    LLVMValueRef bad = LLVMConstInt(m->i1, 0, 0);
    for (int j = 0; j < s->ndim; j++) {
        if (j < lead) {
            c->strides[j] = i64c(m, 0);
            continue;
        }
        LLVMValueRef d = lw_array_dim(fn, c->value, j - lead);
        LLVMValueRef same = LLVMBuildICmp(B, LLVMIntEQ, d, s->dims[j], "");
        bad = LLVMBuildOr(B, bad, LLVMBuildAnd(B, LLVMBuildNot(B, same, ""),
                                               LLVMBuildICmp(B, LLVMIntNE, d, i64c(m, 1), ""), ""), "");
        c->strides[j] = LLVMBuildSelect(B, same, lw_array_stride(fn, c->value, t, j - lead), i64c(m, 0), "");
    }
    LLVMBasicBlockRef ok;
    lw_check(fn, bad, &ok);
    LLVMValueRef vshape, vstrides;
    lw_array_layout_ptrs(fn, c->value, t, &vshape, &vstrides);
    LLVMValueRef sel = lw_entry_alloca(fn, LLVMArrayType2(m->i64, (uint64_t)(s->ndim > 0 ? s->ndim : 1)), "selection");
    for (int j = 0; j < s->ndim; j++) {
        LLVMValueRef at = i64c(m, j);
        LLVMBuildStore(B, s->dims[j], LLVMBuildInBoundsGEP2(B, m->i64, sel, &at, 1, ""));
    }
    bool whole_mask = plan->nitems == 1 && s->item->kind == IX_BOOL_ARRAY && s->ndim == 1;
    LLVMValueRef args[5] = {vshape, LLVMConstInt(m->i32, (unsigned)t->ndim, 0), sel,
                            LLVMConstInt(m->i32, (unsigned)s->ndim, 0), LLVMConstInt(m->i32, whole_mask, 0)};
    lw_call(fn, "pyaot_rt_raise_selection_shape", args, 5);
    lw_fail(fn);
    lw_resume(fn, ok);
}

void lw_index_scatter(LwFn *fn, const Instr *in, const FeIndex *plan) {
    const Instr *value = in->args[2];
    Selection s = select_begin(fn, in, plan);
    Scatter c = {.s = &s};
    if (value->type->kind != TY_ARRAY) {
        c.number = lw_convert(fn, lw_val(fn, value), value->type, s.vt->dtype);
        lw_for_each_index(fn, s.dims, s.ndim, scatter_item, &c);
        select_end(fn, &s);
        return;
    }
    // Items are assigned one after another in C order, reading the value
    // as they go: numpy does not copy a value that shares memory with the
    // array assigned into, and neither does this.
    c.value_t = value->type;
    c.value = lw_val(fn, value);
    value_strides(fn, &c, plan);
    lw_for_each_index(fn, s.dims, s.ndim, scatter_item, &c);
    select_end(fn, &s);
}
