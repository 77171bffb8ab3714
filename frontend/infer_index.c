/* Typing of indexing an array (index.c plans how an index applies):
 * a[idx] is an element, a view sharing a's memory, or, with an array in the
 * index, a new array of the items it selects; a[idx] = v stores a number
 * into an element, or a number or an array (broadcast as numpy does) into
 * every item idx selects. */
#include "infer.h"

const Type *infer_subarray(Infer *I, const Type *arr, int nindex) {
    int ndim = arr->ndim - nindex;
    // Leading indices of a C array leave a C array; anything else is strided.
    return ty_array(I->tt, arr->dtype, ndim, arr->layout == 'C' ? 'C' : 'A');
}

static bool const_int(const Instr *v, int64_t *out) {
    if (v->op == OP_CONST && (v->cst->kind == FE_CONST_INT || v->cst->kind == FE_CONST_BOOL)) {
        *out = v->cst->i;
        return true;
    }
    return false;
}

/* A slice written with step 1 or none. */
static bool unit_step(const Instr *s) {
    int64_t step;
    return s->op == OP_BUILD_SLICE &&
           (s->nargs < 3 || s->args[2]->type->kind == TY_NONE || (const_int(s->args[2], &step) && step == 1));
}

/* `:` (or `::1`). */
static bool full_slice(const Instr *s) {
    return unit_step(s) && s->args[0]->type->kind == TY_NONE && s->args[1]->type->kind == TY_NONE;
}

/* The layout of the view a basic index cuts from arr. It is C-contiguous,
 * which lets loops over it vectorise, when it provably is: arr is, and the
 * index (seen in the code) is integers and new axes, then at most one slice
 * of unit step, then only `:`, `...` and new axes. */
static char view_layout(const Type *arr, const Instr *idx, const FeIndex *plan) {
    if (arr->layout != 'C')
        return 'A';
    if (plan->tuple && idx->op != OP_BUILD_TUPLE)
        return 'A'; // a tuple value: its slices are not in sight
    bool cut = false; // past the one slice that may be partial
    for (int i = 0; i < plan->nitems; i++) {
        const FeIndexItem *it = &plan->items[i];
        const Instr *item = plan->tuple ? idx->args[i] : idx;
        switch (it->kind) {
        case IX_NEWAXIS:
            break;
        case IX_INT:
            if (cut)
                return 'A';
            break;
        case IX_ELLIPSIS:
            cut = cut || it->naxes > 0;
            break;
        case IX_SLICE:
            if (cut ? !full_slice(item) : !unit_step(item))
                return 'A';
            cut = true;
            break;
        default:
            return 'A';
        }
    }
    return 'C';
}

/* The plan of obj[idx]; false after failing. */
static bool plan_index(Infer *I, Instr *in, const Type *obj, const Type *idx, FeIndex *plan) {
    const char *error;
    if (fe_index_plan(I->b->arena, obj, idx, plan, &error))
        return true;
    infer_fail(I, in, "cannot index %s with %s: %s", infer_tystr(I, obj), infer_tystr(I, idx), error);
    return false;
}

/* What obj[idx] reads, other than one element. */
static const Type *selection_type(Infer *I, const Type *obj, const Instr *idx, const FeIndex *plan) {
    if (plan->advanced >= 0)
        return ty_array(I->tt, obj->dtype, plan->ndim, 'C');
    if (fe_index_is_basic_prefix(plan))
        return infer_subarray(I, obj, plan->nitems);
    return ty_array(I->tt, obj->dtype, plan->ndim, view_layout(obj, idx, plan));
}

const Type *infer_array_getitem(Infer *I, Instr *in) {
    const Type *obj = in->args[0]->type, *idx = in->args[1]->type;
    FeIndex plan;
    if (!plan_index(I, in, obj, idx, &plan))
        return NULL;
    if (fe_index_is_element(&plan, obj))
        return obj->dtype;
    return selection_type(I, obj, in->args[1], &plan);
}

const Type *infer_array_setitem(Infer *I, Instr *in) {
    const Type *obj = in->args[0]->type, *idx = in->args[1]->type, *val = in->args[2]->type;
    FeIndex plan;
    if (!plan_index(I, in, obj, idx, &plan))
        return NULL;
    if (fe_index_is_element(&plan, obj)) {
        in->optype = NULL;
        if (!ty_is_number(val))
            return infer_fail(I, in, "cannot store %s into an element of %s", infer_tystr(I, val),
                              infer_tystr(I, obj));
        if (val->kind == TY_COMPLEX && obj->dtype->kind != TY_COMPLEX)
            return infer_fail(I, in, "cannot store complex into an element of %s (it would drop the imaginary part)",
                              infer_tystr(I, obj));
        return ty_none(I->tt);
    }
    // Into every item selected: a number fills them, an array is copied in
    // (broadcast as numpy does). optype is the selection's type as read.
    in->optype = selection_type(I, obj, in->args[1], &plan);
    const Type *vdt = val->kind == TY_ARRAY ? val->dtype : val;
    if (!ty_is_number(vdt) || (val->kind == TY_ARRAY && val->ndim > in->optype->ndim))
        return infer_fail(I, in, "cannot assign %s to %s", infer_tystr(I, val), infer_tystr(I, in->optype));
    if (vdt->kind == TY_COMPLEX && obj->dtype->kind != TY_COMPLEX)
        return infer_fail(I, in, "cannot store complex into %s (it would drop the imaginary part)",
                          infer_tystr(I, obj));
    return ty_none(I->tt);
}
