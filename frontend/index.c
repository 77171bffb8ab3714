/* How an index applies to an array: a[i, 1:, None, ..., idx]. Integers pick
 * along an axis, slices cut one, None (np.newaxis) adds an axis of length 1,
 * `...` stands for as many `:` as the other items leave, and one array
 * (of integers, or a boolean mask) selects items numpy's advanced way. The
 * plan depends only on the types, so typing and lowering share it. */
#include "frontend.h"

static FeIndexKind kind_of(const Type *t) {
    switch (t->kind) {
    case TY_INT: return IX_INT;
    case TY_SLICE: return IX_SLICE;
    case TY_NONE: return IX_NEWAXIS;
    case TY_ELLIPSIS: return IX_ELLIPSIS;
    case TY_ARRAY: return t->dtype->kind == TY_BOOL ? IX_BOOL_ARRAY : IX_INT_ARRAY;
    default: return IX_INVALID;
    }
}

/* Axes of the indexed array an item consumes. */
static int axes_taken(FeIndexKind k, const Type *t) {
    switch (k) {
    case IX_INT: case IX_SLICE: case IX_INT_ARRAY: return 1;
    case IX_BOOL_ARRAY: return t->ndim;
    default: return 0;
    }
}

bool fe_index_plan(Arena *a, const Type *arr, const Type *idx, FeIndex *plan, const char **error) {
    *error = NULL;
    plan->tuple = idx->kind == TY_TUPLE;
    plan->nitems = plan->tuple ? idx->nfields : 1;
    plan->items = ARENA_ARRAY(a, FeIndexItem, plan->nitems + 1);
    plan->advanced = -1;
    int taken = 0, ellipsis = -1;
    for (int i = 0; i < plan->nitems; i++) {
        const Type *t = plan->tuple ? idx->fields[i] : idx;
        FeIndexItem *it = &plan->items[i];
        it->type = t;
        it->kind = kind_of(t);
        if (it->kind == IX_INVALID) {
            *error = arena_printf(a, "only integers, slices, None, `...` and arrays of integers or booleans are "
                                     "valid indices, not %s",
                                  ty_str(a, t));
            return false;
        }
        if (it->kind == IX_INT_ARRAY && !ty_is_integer(t->dtype)) {
            *error = arena_printf(a, "arrays used as indices must be of integer (or boolean) type, not %s",
                                  ty_str(a, t));
            return false;
        }
        if (it->kind == IX_ELLIPSIS) {
            if (ellipsis >= 0) {
                *error = "an index can only have a single ellipsis ('...')";
                return false;
            }
            ellipsis = i;
        }
        if (it->kind == IX_INT_ARRAY || it->kind == IX_BOOL_ARRAY) {
            if (plan->advanced >= 0) {
                *error = "indexing with more than one array at a time is not supported yet";
                return false;
            }
            plan->advanced = i;
        }
        taken += axes_taken(it->kind, t);
    }
    if (taken > arr->ndim) {
        *error = arena_printf(a, "too many indices for array: array is %d-dimensional, but %d were indexed",
                              arr->ndim, taken);
        return false;
    }
    // Lay the items over the array's axes; `...` takes what the others leave.
    int axis = 0, view_axis = 0;
    for (int i = 0; i < plan->nitems; i++) {
        FeIndexItem *it = &plan->items[i];
        it->axis = axis;
        it->view_axis = view_axis;
        it->naxes = it->kind == IX_ELLIPSIS ? arr->ndim - taken : axes_taken(it->kind, it->type);
        axis += it->naxes;
        switch (it->kind) {
        case IX_INT: break;
        case IX_NEWAXIS: view_axis++; break;
        default: view_axis += it->naxes; break; // slices, `...`, and arrays taken whole at first
        }
    }
    plan->view_ndim = view_axis + (arr->ndim - axis);
    if (plan->advanced < 0) {
        plan->ndim = plan->view_ndim;
    } else {
        const FeIndexItem *adv = &plan->items[plan->advanced];
        plan->ndim = plan->view_ndim - adv->naxes + (adv->kind == IX_BOOL_ARRAY ? 1 : adv->type->ndim);
    }
    return true;
}

bool fe_index_is_element(const FeIndex *plan, const Type *arr) {
    if (plan->advanced >= 0)
        return false;
    int ints = 0;
    for (int i = 0; i < plan->nitems; i++) {
        if (plan->items[i].kind != IX_INT)
            return false;
        ints++;
    }
    return ints == arr->ndim;
}

bool fe_index_is_basic_prefix(const FeIndex *plan) {
    for (int i = 0; i < plan->nitems; i++)
        if (plan->items[i].kind != IX_INT)
            return false;
    return true;
}
