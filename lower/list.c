/* Lists in compiled code: one pointer to the runtime's pyaot_list header
 * (link/runtime/pyaot_rt.h). The hot operations are inlined here (len,
 * indexing, item assignment, append's fast path, pop from the end), so
 * loops over lists see plain loads and stores; the rest call the runtime.
 * Items lie in their native form, numbers as arrays store them. */
#include "lw.h"

#include <stdint.h>

enum { L_MI, L_LEN, L_CAP, L_ITEMS, L_ITEMS_MI, L_ITEMSIZE, L_ITEM, L_NFIELDS };

static LLVMTypeRef header_type(LwModule *m) {
    LLVMTypeRef f[L_NFIELDS] = {m->ptr, m->i64, m->i64, m->ptr, m->ptr, m->i64, m->ptr};
    return LLVMStructTypeInContext(m->ctx, f, L_NFIELDS, 0);
}

static LLVMValueRef field_ptr(LwFn *fn, LLVMValueRef l, int field) {
    return LLVMBuildStructGEP2(fn->b, header_type(fn->m), l, (unsigned)field, "");
}

LLVMValueRef lw_list_len(LwFn *fn, LLVMValueRef l) {
    return LLVMBuildLoad2(fn->b, fn->m->i64, field_ptr(fn, l, L_LEN), "len");
}

static LLVMValueRef items_of(LwFn *fn, LLVMValueRef l) {
    return LLVMBuildLoad2(fn->b, fn->m->ptr, field_ptr(fn, l, L_ITEMS), "items");
}

/* How an item lies in the list: numbers as arrays store them (bool as a
 * byte), other values as their native struct. */
static LLVMTypeRef item_type(LwModule *m, const Type *item) {
    return ty_is_number(item) ? lw_mem_type(m, item) : lw_type(m, item);
}

static LLVMValueRef item_ptr(LwFn *fn, LLVMValueRef l, const Type *item, LLVMValueRef i) {
    return LLVMBuildInBoundsGEP2(fn->b, item_type(fn->m, item), items_of(fn, l), &i, 1, "");
}

/* Item i (no reference taken). */
static LLVMValueRef load_item(LwFn *fn, LLVMValueRef l, const Type *item, LLVMValueRef i) {
    LLVMValueRef p = item_ptr(fn, l, item, i);
    if (ty_is_number(item))
        return lw_load_elem(fn, p, item);
    return LLVMBuildLoad2(fn->b, lw_type(fn->m, item), p, "");
}

static void store_at(LwFn *fn, LLVMValueRef p, const Type *item, LLVMValueRef v) {
    if (ty_is_number(item))
        lw_store_elem(fn, p, v, item);
    else
        LLVMBuildStore(fn->b, v, p);
}

LLVMValueRef lw_list_item(LwFn *fn, LLVMValueRef l, const Type *item, LLVMValueRef i) {
    LLVMValueRef v = load_item(fn, l, item, i);
    if (ty_is_refcounted(item))
        lw_incref(fn, v, item);
    return v;
}

static LLVMValueRef i64_const(LwModule *m, int64_t v) {
    return LLVMConstInt(m->i64, (unsigned long long)v, 1);
}

/* Fails the function when p (a pointer a runtime call returned) is NULL. */
static void fail_if_null(LwFn *fn, LLVMValueRef p) {
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildIsNull(fn->b, p, ""), &ok);
    lw_fail(fn);
    lw_resume(fn, ok);
}

static void fail_if_negative(LwFn *fn, LLVMValueRef st) {
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildICmp(fn->b, LLVMIntSLT, st, LLVMConstInt(fn->m->i32, 0, 0), ""), &ok);
    lw_fail(fn);
    lw_resume(fn, ok);
}

/* A new list of type t with n items to be filled. */
static LLVMValueRef new_list(LwFn *fn, const Type *t, LLVMValueRef n) {
    LwModule *m = fn->m;
    LLVMValueRef args[3] = {n, i64_const(m, (int64_t)LLVMABISizeOfType(m->td, item_type(m, t->item))),
                            lw_type_desc(m, t->item, false)};
    LLVMValueRef l = lw_call(fn, "pyaot_rt_list_new", args, 3);
    fail_if_null(fn, l);
    return l;
}

LLVMValueRef lw_build_list(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Type *item = in->type->item;
    LLVMValueRef l = new_list(fn, in->type, i64_const(m, in->nargs));
    for (int i = 0; i < in->nargs; i++) {
        const Instr *a = in->args[i];
        LLVMValueRef v = lw_convert(fn, lw_val(fn, a), a->type, item);
        if (ty_is_refcounted(item))
            lw_incref(fn, v, item);
        store_at(fn, item_ptr(fn, l, item, i64_const(m, i)), item, v);
    }
    return l;
}

/* The index i of a list of length n, negative ones from the end, checked:
 * IndexError with CPython's message otherwise. */
static LLVMValueRef checked_index(LwFn *fn, LLVMValueRef n, LLVMValueRef i, const char *msg) {
    LLVMBuilderRef B = fn->b;
    LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, i, i64_const(fn->m, 0), "");
    i = LLVMBuildSelect(B, neg, LLVMBuildAdd(B, i, n, ""), i, "");
    lw_raise_if(fn, LLVMBuildICmp(B, LLVMIntUGE, i, n, ""), EXC_INDEX, msg);
    return i;
}

static LLVMValueRef as_i64(LwFn *fn, const Instr *v) {
    return lw_convert(fn, lw_val(fn, v), v->type, ty_int64(fn->m->tt));
}

/* start, stop, step of a slice value, for the runtime. */
static void slice_parts(LwFn *fn, LLVMValueRef s, LLVMValueRef *parts) {
    for (int i = 0; i < 3; i++)
        parts[i] = LLVMBuildExtractValue(fn->b, s, (unsigned)i, "");
}

LLVMValueRef lw_list_getitem(LwFn *fn, const Instr *in) {
    const Instr *obj = in->args[0], *idx = in->args[1];
    LLVMValueRef l = lw_val(fn, obj);
    if (idx->type->kind == TY_SLICE) {
        LLVMValueRef args[4] = {l};
        slice_parts(fn, lw_val(fn, idx), args + 1);
        lw_raise_if(fn, LLVMBuildICmp(fn->b, LLVMIntEQ, args[3], i64_const(fn->m, 0), ""), EXC_VALUE,
                    "slice step cannot be zero");
        LLVMValueRef r = lw_call(fn, "pyaot_rt_list_slice", args, 4);
        fail_if_null(fn, r);
        return r;
    }
    LLVMValueRef i = checked_index(fn, lw_list_len(fn, l), as_i64(fn, idx), "list index out of range");
    return lw_list_item(fn, l, obj->type->item, i);
}

void lw_list_setitem(LwFn *fn, const Instr *in) {
    const Instr *obj = in->args[0], *idx = in->args[1], *val = in->args[2];
    const Type *item = obj->type->item;
    LLVMValueRef l = lw_val(fn, obj);
    LLVMValueRef i = checked_index(fn, lw_list_len(fn, l), as_i64(fn, idx), "list assignment index out of range");
    LLVMValueRef v = lw_convert(fn, lw_val(fn, val), val->type, item);
    if (ty_is_refcounted(item)) {
        lw_incref(fn, v, item);
        lw_decref(fn, load_item(fn, l, item, i), item);
    }
    store_at(fn, item_ptr(fn, l, item, i), item, v);
}

/* Appends v (already of the item type, its reference taken). */
static void append(LwFn *fn, LLVMValueRef l, const Type *item, LLVMValueRef v) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef n = lw_list_len(fn, l);
    LLVMValueRef cap = LLVMBuildLoad2(B, m->i64, field_ptr(fn, l, L_CAP), "cap");
    LLVMBasicBlockRef grow = lw_block(fn, "grow"), store = lw_block(fn, "store");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, n, cap, ""), grow, store);
    LLVMPositionBuilderAtEnd(B, grow);
    LLVMValueRef args[2] = {l, LLVMBuildAdd(B, n, i64_const(m, 1), "")};
    fail_if_negative(fn, lw_call(fn, "pyaot_rt_list_reserve", args, 2));
    LLVMBuildBr(B, store);
    LLVMPositionBuilderAtEnd(B, store);
    store_at(fn, item_ptr(fn, l, item, n), item, v);
    LLVMBuildStore(B, LLVMBuildAdd(B, n, i64_const(m, 1), ""), field_ptr(fn, l, L_LEN));
}

static LLVMValueRef arg_of(LwFn *fn, const Instr *call, int i, const Type *to) {
    const Instr *a = lw_call_arg(call, i);
    return lw_convert(fn, lw_val(fn, a), a->type, to);
}

static LLVMValueRef pop(LwFn *fn, const Instr *in, LLVMValueRef l, const Type *item) {
    LwModule *m = fn->m;
    LLVMBuilderRef B = fn->b;
    LLVMValueRef n = lw_list_len(fn, l);
    lw_raise_if(fn, LLVMBuildICmp(B, LLVMIntEQ, n, i64_const(m, 0), ""), EXC_INDEX, "pop from empty list");
    LLVMValueRef last = LLVMBuildSub(B, n, i64_const(m, 1), "");
    LLVMValueRef i = lw_call_arg(in, 0) ? checked_index(fn, n, arg_of(fn, in, 0, ty_int64(m->tt)), "pop index out of range")
                                        : last;
    // The item's reference passes to the caller.
    LLVMValueRef v = load_item(fn, l, item, i);
    LLVMBasicBlockRef end = lw_block(fn, "pop_end"), middle = lw_block(fn, "pop_middle"), done = lw_block(fn, "popped");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, i, last, ""), end, middle);
    LLVMPositionBuilderAtEnd(B, end);
    LLVMBuildStore(B, last, field_ptr(fn, l, L_LEN));
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, middle);
    LLVMValueRef args[3] = {l, i, LLVMConstInt(m->i32, 0, 0)};
    lw_call(fn, "pyaot_rt_list_remove_at", args, 3);
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, done);
    return v;
}

LLVMValueRef lw_list_call(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Instr *recv = in->args[0]->args[0]; // the receiver: obj.method
    const Type *item = recv->type->item;
    LLVMValueRef l = lw_val(fn, recv);
    LLVMValueRef none = LLVMConstInt(m->i8, 0, 0);
    switch (in->builtin) {
    case B_LIST_APPEND: {
        LLVMValueRef v = arg_of(fn, in, 0, item);
        if (ty_is_refcounted(item))
            lw_incref(fn, v, item);
        append(fn, l, item, v);
        return none;
    }
    case B_LIST_INSERT: {
        LLVMValueRef v = arg_of(fn, in, 1, item);
        LLVMValueRef args[2] = {l, arg_of(fn, in, 0, ty_int64(m->tt))};
        LLVMValueRef slot = lw_call(fn, "pyaot_rt_list_insert_slot", args, 2);
        fail_if_null(fn, slot);
        if (ty_is_refcounted(item))
            lw_incref(fn, v, item);
        store_at(fn, slot, item, v);
        return none;
    }
    case B_LIST_POP:
        return pop(fn, in, l, item);
    case B_LIST_CLEAR:
        lw_call(fn, "pyaot_rt_list_clear", &l, 1);
        return none;
    case B_LIST_REVERSE:
        lw_call(fn, "pyaot_rt_list_reverse", &l, 1);
        return none;
    case B_LIST_COPY: {
        LLVMValueRef args[4] = {l, i64_const(m, 0), i64_const(m, INT64_MAX), i64_const(m, 1)};
        LLVMValueRef r = lw_call(fn, "pyaot_rt_list_slice", args, 4);
        fail_if_null(fn, r);
        return r;
    }
    case B_LIST_EXTEND: {
        LLVMValueRef args[2] = {l, lw_val(fn, lw_call_arg(in, 0))};
        fail_if_negative(fn, lw_call(fn, "pyaot_rt_list_extend", args, 2));
        return none;
    }
    case B_LIST_DELITEM: {
        const Instr *idx = lw_call_arg(in, 0);
        if (idx->type->kind == TY_SLICE) {
            LLVMValueRef args[4] = {l};
            slice_parts(fn, lw_val(fn, idx), args + 1);
            lw_raise_if(fn, LLVMBuildICmp(fn->b, LLVMIntEQ, args[3], i64_const(m, 0), ""), EXC_VALUE,
                        "slice step cannot be zero");
            lw_call(fn, "pyaot_rt_list_delete_slice", args, 4);
            return none;
        }
        LLVMValueRef i = checked_index(fn, lw_list_len(fn, l), as_i64(fn, idx), "list assignment index out of range");
        LLVMValueRef args[3] = {l, i, LLVMConstInt(m->i32, 1, 0)};
        lw_call(fn, "pyaot_rt_list_remove_at", args, 3);
        return none;
    }
    default:
        diag_internal(m->d, "no lowering for list method %s", fe_builtin_name(in->builtin));
    }
}

LLVMValueRef lw_list_binary(LwFn *fn, const Instr *in) {
    LwModule *m = fn->m;
    const Instr *a = in->args[0], *b = in->args[1];
    int op = in->sub % FE_NB_INPLACE;
    if (op == NB_MULTIPLY) {
        bool left = a->type->kind == TY_LIST;
        LLVMValueRef args[2] = {lw_val(fn, left ? a : b), as_i64(fn, left ? b : a)};
        LLVMValueRef r = lw_call(fn, "pyaot_rt_list_repeat", args, 2);
        fail_if_null(fn, r);
        return r;
    }
    LLVMValueRef la = lw_val(fn, a), lb = lw_val(fn, b);
    LLVMValueRef r = la;
    if (in->sub >= FE_NB_INPLACE) { // a += b: a, extended
        lw_incref(fn, la, a->type);
    } else {
        LLVMValueRef args[4] = {la, i64_const(m, 0), i64_const(m, INT64_MAX), i64_const(m, 1)};
        r = lw_call(fn, "pyaot_rt_list_slice", args, 4);
        fail_if_null(fn, r);
    }
    LLVMValueRef args[2] = {r, lb};
    fail_if_negative(fn, lw_call(fn, "pyaot_rt_list_extend", args, 2));
    return r;
}
