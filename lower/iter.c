/* for-loops. An iterator is a small state on the stack,
 *
 *     { iterable, i64 position, i64 length }
 *
 * holding its own reference to the iterable. Every iterable pyaot supports
 * (range, arrays, homogeneous tuples, enumerate and zip of those) has a
 * length known when the loop starts and an element computable from the
 * position, so a loop is a counted loop that LLVM's loop passes understand. */
#include "lw.h"

enum { STATE_ITERABLE, STATE_POS, STATE_LEN };

static LLVMTypeRef state_type(LwModule *m, const Type *iterable) {
    LLVMTypeRef fields[3] = {lw_type(m, iterable), m->i64, m->i64};
    return LLVMStructTypeInContext(m->ctx, fields, 3, 0);
}

LLVMValueRef lw_range_len(LwFn *fn, LLVMValueRef range) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef start = LLVMBuildExtractValue(B, range, 0, "start");
    LLVMValueRef stop = LLVMBuildExtractValue(B, range, 1, "stop");
    LLVMValueRef step = LLVMBuildExtractValue(B, range, 2, "step");
    LLVMValueRef zero = LLVMConstInt(m->i64, 0, 0), one = LLVMConstInt(m->i64, 1, 0);
    // Unsigned arithmetic: the distance between two int64s may not fit int64.
    LLVMValueRef up = LLVMBuildICmp(B, LLVMIntSGT, step, zero, "");
    LLVMValueRef lo = LLVMBuildSelect(B, up, start, stop, "");
    LLVMValueRef hi = LLVMBuildSelect(B, up, stop, start, "");
    LLVMValueRef mag = LLVMBuildSelect(B, up, step, LLVMBuildNeg(B, step, ""), "");
    LLVMValueRef span = LLVMBuildSub(B, LLVMBuildSub(B, hi, lo, ""), one, "");
    LLVMValueRef n = LLVMBuildAdd(B, LLVMBuildUDiv(B, span, mag, ""), one, "");
    return LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, lo, hi, ""), n, zero, "len");
}

static LLVMValueRef length_of(LwFn *fn, LLVMValueRef v, const Type *t) {
    LwModule *m = fn->m;
    switch (t->kind) {
    case TY_RANGE:
        return lw_range_len(fn, v);
    case TY_LIST:
        return lw_list_len(fn, v);
    case TY_DICT: case TY_SET: case TY_DICT_VIEW:
        return lw_dict_len(fn, v); // at the start: a change of size is an error
    case TY_ARRAY:
        return lw_array_dim(fn, v, 0);
    case TY_TUPLE:
        return LLVMConstInt(m->i64, (unsigned)t->nfields, 0);
    case TY_ENUMERATE:
        return length_of(fn, LLVMBuildExtractValue(fn->b, v, 0, ""), t->iterable);
    case TY_ZIP: {
        LLVMValueRef n = NULL;
        for (int i = 0; i < t->nfields; i++) {
            LLVMValueRef k = length_of(fn, LLVMBuildExtractValue(fn->b, v, (unsigned)i, ""), t->fields[i]);
            n = n ? LLVMBuildSelect(fn->b, LLVMBuildICmp(fn->b, LLVMIntSLT, k, n, ""), k, n, "") : k;
        }
        return n;
    }
    default:
        diag_internal(m->d, "no length for %s", ty_str(m->arena, t));
    }
}

/* Element `pos` of the iterable of type t stored at `ptr` (a new reference
 * when it holds arrays). */
static LLVMValueRef element_at(LwFn *fn, LLVMValueRef ptr, const Type *t, LLVMValueRef pos) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMTypeRef lt = lw_type(m, t);
    switch (t->kind) {
    case TY_RANGE: {
        LLVMValueRef r = LLVMBuildLoad2(B, lt, ptr, "");
        LLVMValueRef start = LLVMBuildExtractValue(B, r, 0, ""), step = LLVMBuildExtractValue(B, r, 2, "");
        // Every item lies between start and stop: saying so lets LLVM know
        // that i >= 0 in range(n) (no wrapping of negative indices) and
        // i < n (bounds checks against n fold away). The arithmetic may
        // wrap on the way in ranges of more than 2**63 items.
        LLVMValueRef v = LLVMBuildAdd(B, start, LLVMBuildMul(B, pos, step, ""), "");
        LLVMValueRef stop = LLVMBuildExtractValue(B, r, 1, "");
        LLVMValueRef up = LLVMBuildICmp(B, LLVMIntSGT, step, LLVMConstInt(m->i64, 0, 0), "");
        LLVMValueRef within = LLVMBuildSelect(B, up,
            LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntSGE, v, start, ""), LLVMBuildICmp(B, LLVMIntSLT, v, stop, ""), ""),
            LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntSLE, v, start, ""), LLVMBuildICmp(B, LLVMIntSGT, v, stop, ""), ""), "");
        lw_intrinsic(fn, "llvm.assume", NULL, 0, &within, 1);
        return v;
    }
    case TY_LIST:
        return lw_list_item(fn, LLVMBuildLoad2(B, lt, ptr, ""), t->item, pos);
    case TY_DICT: case TY_SET: case TY_DICT_VIEW:
        return lw_dict_element(fn, LLVMBuildLoad2(B, lt, ptr, ""), t, pos);
    case TY_ARRAY: {
        LLVMValueRef arr = LLVMBuildLoad2(B, lt, ptr, "");
        if (t->ndim == 1)
            return lw_load_elem(fn, lw_array_elem_ptr(fn, arr, t, &pos, 1), t->dtype);
        const Type *row = ty_array(m->tt, t->dtype, t->ndim - 1, t->layout == 'C' ? 'C' : 'A');
        return lw_array_subview(fn, arr, t, &pos, 1, row);
    }
    case TY_TUPLE: {
        // A struct takes only constant field numbers; items of one type lie
        // as an array of that type, so step over them as one.
        LLVMTypeRef item = lw_type(m, t->fields[0]);
        LLVMValueRef p = LLVMBuildInBoundsGEP2(B, item, ptr, &pos, 1, "");
        LLVMValueRef v = LLVMBuildLoad2(B, item, p, "");
        if (ty_is_refcounted(t->fields[0]))
            lw_incref(fn, v, t->fields[0]);
        return v;
    }
    case TY_ENUMERATE: {
        LLVMValueRef inner = LLVMBuildStructGEP2(B, lt, ptr, 0, "");
        LLVMValueRef start = LLVMBuildLoad2(B, m->i64, LLVMBuildStructGEP2(B, lt, ptr, 1, ""), "");
        LLVMValueRef item = element_at(fn, inner, t->iterable, pos);
        LLVMTypeRef fields[2] = {m->i64, LLVMTypeOf(item)};
        LLVMValueRef v = LLVMGetUndef(LLVMStructTypeInContext(m->ctx, fields, 2, 0));
        v = LLVMBuildInsertValue(B, v, LLVMBuildAdd(B, start, pos, ""), 0, "");
        return LLVMBuildInsertValue(B, v, item, 1, "");
    }
    case TY_ZIP: {
        LLVMValueRef *items = ARENA_ARRAY(m->arena, LLVMValueRef, t->nfields);
        LLVMTypeRef *types = ARENA_ARRAY(m->arena, LLVMTypeRef, t->nfields);
        for (int i = 0; i < t->nfields; i++) {
            items[i] = element_at(fn, LLVMBuildStructGEP2(B, lt, ptr, (unsigned)i, ""), t->fields[i], pos);
            types[i] = LLVMTypeOf(items[i]);
        }
        LLVMValueRef v = LLVMGetUndef(LLVMStructTypeInContext(m->ctx, types, (unsigned)t->nfields, 0));
        for (int i = 0; i < t->nfields; i++)
            v = LLVMBuildInsertValue(B, v, items[i], (unsigned)i, "");
        return v;
    }
    default:
        diag_internal(m->d, "cannot iterate over %s", ty_str(m->arena, t));
    }
}

LLVMValueRef lw_get_iter(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Instr *x = in->args[0];
    LLVMTypeRef st = state_type(m, x->type);
    LLVMValueRef state = lw_entry_alloca(fn, st, "iter");
    LLVMValueRef v = lw_val(fn, x);
    if (ty_is_refcounted(x->type))
        lw_incref(fn, v, x->type);
    LLVMBuildStore(fn->b, v, LLVMBuildStructGEP2(fn->b, st, state, STATE_ITERABLE, ""));
    LLVMBuildStore(fn->b, LLVMConstInt(m->i64, 0, 0), LLVMBuildStructGEP2(fn->b, st, state, STATE_POS, ""));
    LLVMBuildStore(fn->b, length_of(fn, v, x->type), LLVMBuildStructGEP2(fn->b, st, state, STATE_LEN, ""));
    return state;
}

LLVMValueRef lw_iter_valid(LwFn *fn, LLVMValueRef state, const Type *iter) {
    LwModule *m = fn->m;
    LLVMTypeRef st = state_type(m, iter->iterable);
    LLVMValueRef pos_ptr = LLVMBuildStructGEP2(fn->b, st, state, STATE_POS, "");
    LLVMValueRef len = LLVMBuildLoad2(fn->b, m->i64, LLVMBuildStructGEP2(fn->b, st, state, STATE_LEN, ""), "len");
    // A dict's entries have gaps where keys were removed: the next live one.
    TypeKind k = iter->iterable->kind;
    if (k == TY_DICT || k == TY_SET || k == TY_DICT_VIEW) {
        LLVMValueRef d = LLVMBuildLoad2(fn->b, m->ptr, LLVMBuildStructGEP2(fn->b, st, state, STATE_ITERABLE, ""), "");
        return lw_dict_next(fn, d, pos_ptr, len);
    }
    LLVMValueRef pos = LLVMBuildLoad2(fn->b, m->i64, pos_ptr, "pos");
    // A list may change while it is walked: its length now, as CPython reads it.
    if (iter->iterable->kind == TY_LIST)
        len = lw_list_len(fn, LLVMBuildLoad2(fn->b, m->ptr, LLVMBuildStructGEP2(fn->b, st, state, STATE_ITERABLE, ""), ""));
    // Unsigned: range(-2**63, 2**63 - 1) has more than 2**63 items.
    return LLVMBuildICmp(fn->b, LLVMIntULT, pos, len, "more");
}

LLVMValueRef lw_iter_value(LwFn *fn, LLVMValueRef state, const Type *iter) {
    LwModule *m = fn->m;
    LLVMTypeRef st = state_type(m, iter->iterable);
    LLVMValueRef pos_ptr = LLVMBuildStructGEP2(fn->b, st, state, STATE_POS, "");
    LLVMValueRef pos = LLVMBuildLoad2(fn->b, m->i64, pos_ptr, "pos");
    LLVMBuildStore(fn->b, LLVMBuildAdd(fn->b, pos, LLVMConstInt(m->i64, 1, 0), ""), pos_ptr);
    return element_at(fn, LLVMBuildStructGEP2(fn->b, st, state, STATE_ITERABLE, ""), iter->iterable, pos);
}

void lw_iter_drop(LwFn *fn, LLVMValueRef state, const Type *iter) {
    LwModule *m = fn->m;
    if (!ty_is_refcounted(iter->iterable))
        return;
    LLVMTypeRef st = state_type(m, iter->iterable);
    LLVMValueRef v = LLVMBuildLoad2(fn->b, lw_type(m, iter->iterable),
                                    LLVMBuildStructGEP2(fn->b, st, state, STATE_ITERABLE, ""), "");
    lw_decref(fn, v, iter->iterable);
}
