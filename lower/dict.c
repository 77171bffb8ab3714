/* Dicts and sets in compiled code: one pointer to the runtime's pyaot_dict
 * (link/runtime/pyaot_rt.h). Keys are converted to the dict's key type and
 * passed by address from a stack slot; the runtime finds or makes the
 * entry and hands back the address of its value, which compiled code loads
 * and stores itself (the runtime's small functions inline, as the whole
 * runtime is merged into the module). Values lie as list items do:
 * numbers as arrays store them, other values as their native struct. */
#include "lw.h"

static LLVMTypeRef slot_type(LwModule *m, const Type *t) {
    return ty_is_number(t) ? lw_mem_type(m, t) : lw_type(m, t);
}

static LLVMValueRef load_slot(LwFn *fn, LLVMValueRef p, const Type *t) {
    if (ty_is_number(t))
        return lw_load_elem(fn, p, t);
    return LLVMBuildLoad2(fn->b, lw_type(fn->m, t), p, "");
}

static void store_slot(LwFn *fn, LLVMValueRef p, const Type *t, LLVMValueRef v) {
    if (ty_is_number(t))
        lw_store_elem(fn, p, v, t);
    else
        LLVMBuildStore(fn->b, v, p);
}

static int64_t slot_size(LwModule *m, const Type *t) {
    return t->kind == TY_NONE ? 0 : (int64_t)LLVMABISizeOfType(m->td, slot_type(m, t));
}

static const Type *key_type(const Type *t) {
    return t->kind == TY_DICT_VIEW ? t->iterable->item : t->item;
}

static bool is_set(const Type *t) {
    return t->kind == TY_SET;
}

static void fail_if_null(LwFn *fn, LLVMValueRef p) {
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildIsNull(fn->b, p, ""), &ok);
    lw_fail(fn);
    lw_resume(fn, ok);
}

/* The address of a stack slot holding v (of type `from`) as a key of t. */
static LLVMValueRef key_at(LwFn *fn, const Type *t, LLVMValueRef v, const Type *from) {
    const Type *kt = key_type(t);
    LLVMValueRef p = lw_entry_alloca(fn, slot_type(fn->m, kt), "key");
    store_slot(fn, p, kt, lw_convert(fn, v, from, kt));
    return p;
}

static LLVMValueRef key_of(LwFn *fn, const Type *t, const Instr *k) {
    return key_at(fn, t, lw_val(fn, k), k->type);
}

/* KeyError(key) when slot is NULL. */
static void key_error_if_null(LwFn *fn, const Type *t, LLVMValueRef slot, LLVMValueRef key) {
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildIsNull(fn->b, slot, ""), &ok);
    LLVMValueRef args[2] = {key, lw_type_desc(fn->m, key_type(t), false)};
    lw_call(fn, "pyaot_rt_dict_key_error", args, 2);
    lw_fail(fn);
    lw_resume(fn, ok);
}

LLVMValueRef lw_dict_len(LwFn *fn, LLVMValueRef d) {
    return lw_call(fn, "pyaot_rt_dict_len", &d, 1);
}

static LLVMValueRef new_dict(LwFn *fn, const Type *t) {
    LwModule *m = fn->m;
    const Type *kt = key_type(t);
    LLVMValueRef args[4] = {lw_type_desc(m, kt, false), LLVMConstInt(m->i64, (unsigned long long)slot_size(m, kt), 0),
                            LLVMConstNull(m->ptr), LLVMConstInt(m->i64, 0, 0)};
    if (!is_set(t)) {
        args[2] = lw_type_desc(m, t->value, false);
        args[3] = LLVMConstInt(m->i64, (unsigned long long)slot_size(m, t->value), 0);
    }
    LLVMValueRef d = lw_call(fn, "pyaot_rt_dict_new", args, 4);
    fail_if_null(fn, d);
    return d;
}

/* The value slot of key (made when missing): *added says whether it was. */
static LLVMValueRef insert(LwFn *fn, LLVMValueRef d, LLVMValueRef key, LLVMValueRef *added) {
    LLVMValueRef flag = lw_entry_alloca(fn, fn->m->i32, "added");
    LLVMValueRef args[3] = {d, key, flag};
    LLVMValueRef slot = lw_call(fn, "pyaot_rt_dict_insert", args, 3);
    fail_if_null(fn, slot);
    if (added)
        *added = LLVMBuildICmp(fn->b, LLVMIntNE, LLVMBuildLoad2(fn->b, fn->m->i32, flag, ""),
                               LLVMConstInt(fn->m->i32, 0, 0), "");
    return slot;
}

/* d[key] = v: v (borrowed) takes a reference of its own; a value it
 * replaces is dropped. */
static void store_value(LwFn *fn, const Type *t, LLVMValueRef d, LLVMValueRef key, LLVMValueRef v) {
    LLVMValueRef added;
    LLVMValueRef slot = insert(fn, d, key, &added);
    if (ty_is_refcounted(t->value)) {
        lw_incref(fn, v, t->value);
        LLVMBasicBlockRef drop = lw_block(fn, "drop_old"), store = lw_block(fn, "store");
        LLVMBuildCondBr(fn->b, added, store, drop);
        LLVMPositionBuilderAtEnd(fn->b, drop);
        lw_decref(fn, load_slot(fn, slot, t->value), t->value);
        LLVMBuildBr(fn->b, store);
        LLVMPositionBuilderAtEnd(fn->b, store);
    }
    store_slot(fn, slot, t->value, v);
}

LLVMValueRef lw_build_dict(LwFn *fn, const Instr *in) {
    const Type *t = in->type;
    LLVMValueRef d = new_dict(fn, t);
    if (is_set(t)) {
        for (int i = 0; i < in->nargs; i++)
            insert(fn, d, key_of(fn, t, in->args[i]), NULL);
        return d;
    }
    for (int i = 0; i + 1 < in->nargs; i += 2) {
        const Instr *v = in->args[i + 1];
        store_value(fn, t, d, key_of(fn, t, in->args[i]), lw_convert(fn, lw_val(fn, v), v->type, t->value));
    }
    return d;
}

LLVMValueRef lw_dict_getitem(LwFn *fn, const Instr *in) {
    const Type *t = in->args[0]->type;
    LLVMValueRef key = key_of(fn, t, in->args[1]);
    LLVMValueRef args[2] = {lw_val(fn, in->args[0]), key};
    LLVMValueRef slot = lw_call(fn, "pyaot_rt_dict_lookup", args, 2);
    key_error_if_null(fn, t, slot, key);
    LLVMValueRef v = load_slot(fn, slot, t->value);
    if (ty_is_refcounted(t->value))
        lw_incref(fn, v, t->value);
    return v;
}

void lw_dict_setitem(LwFn *fn, const Instr *in) {
    const Type *t = in->args[0]->type;
    const Instr *v = in->args[2];
    store_value(fn, t, lw_val(fn, in->args[0]), key_of(fn, t, in->args[1]),
                lw_convert(fn, lw_val(fn, v), v->type, t->value));
}

LLVMValueRef lw_dict_contains(LwFn *fn, const Instr *in) {
    const Type *t = in->args[1]->type;
    LLVMValueRef args[2] = {lw_val(fn, in->args[1]), key_of(fn, t, in->args[0])};
    LLVMValueRef slot = lw_call(fn, "pyaot_rt_dict_lookup", args, 2);
    return in->sub == CMP_IN ? LLVMBuildIsNotNull(fn->b, slot, "") : LLVMBuildIsNull(fn->b, slot, "");
}

/* The value at slot, or `dflt` when slot is NULL; a new reference. */
static LLVMValueRef value_or(LwFn *fn, const Type *t, LLVMValueRef slot, const Instr *dflt) {
    LLVMBuilderRef B = fn->b;
    LLVMValueRef dv = lw_convert(fn, lw_val(fn, dflt), dflt->type, t->value);
    LLVMBasicBlockRef from = LLVMGetInsertBlock(B);
    LLVMBasicBlockRef found = lw_block(fn, "found"), done = lw_block(fn, "got");
    LLVMBuildCondBr(B, LLVMBuildIsNull(B, slot, ""), done, found);
    LLVMPositionBuilderAtEnd(B, found);
    LLVMValueRef v = load_slot(fn, slot, t->value);
    LLVMBasicBlockRef found_end = LLVMGetInsertBlock(B);
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, done);
    LLVMValueRef r = LLVMBuildPhi(B, LLVMTypeOf(v), "");
    LLVMValueRef vals[2] = {dv, v};
    LLVMBasicBlockRef bbs[2] = {from, found_end};
    LLVMAddIncoming(r, vals, bbs, 2);
    return r;
}

static LLVMValueRef dict_call(LwFn *fn, const Instr *in, const Instr *recv) {
    LwModule *m = fn->m;
    const Type *t = recv->type;
    LLVMValueRef d = lw_val(fn, recv);
    LLVMValueRef none = LLVMConstInt(m->i8, 0, 0);
    switch (in->builtin) {
    case B_DICT_GET: {
        LLVMValueRef args[2] = {d, key_of(fn, t, lw_call_arg(in, 0))};
        LLVMValueRef r = value_or(fn, t, lw_call(fn, "pyaot_rt_dict_lookup", args, 2), lw_call_arg(in, 1));
        if (ty_is_refcounted(t->value))
            lw_incref(fn, r, t->value);
        return r;
    }
    case B_DICT_SETDEFAULT: {
        LLVMValueRef added;
        LLVMValueRef slot = insert(fn, d, key_of(fn, t, lw_call_arg(in, 0)), &added);
        const Instr *dflt = lw_call_arg(in, 1);
        LLVMBasicBlockRef fill = lw_block(fn, "fill"), done = lw_block(fn, "filled");
        LLVMBuildCondBr(fn->b, added, fill, done);
        LLVMPositionBuilderAtEnd(fn->b, fill);
        LLVMValueRef dv = lw_convert(fn, lw_val(fn, dflt), dflt->type, t->value);
        if (ty_is_refcounted(t->value))
            lw_incref(fn, dv, t->value);
        store_slot(fn, slot, t->value, dv);
        LLVMBuildBr(fn->b, done);
        LLVMPositionBuilderAtEnd(fn->b, done);
        LLVMValueRef v = load_slot(fn, slot, t->value);
        if (ty_is_refcounted(t->value))
            lw_incref(fn, v, t->value);
        return v;
    }
    case B_DICT_POP: case B_DICT_DELITEM: case B_SET_REMOVE: case B_SET_DISCARD: {
        LLVMValueRef key = key_of(fn, t, lw_call_arg(in, 0));
        LLVMValueRef args[2] = {d, key};
        LLVMValueRef slot = lw_call(fn, "pyaot_rt_dict_remove", args, 2);
        if (in->builtin == B_SET_DISCARD)
            return none;
        const Instr *dflt = in->builtin == B_DICT_POP ? lw_call_arg(in, 1) : NULL;
        if (dflt) { // the removed value's reference passes on; the default takes one
            LLVMValueRef r = value_or(fn, t, slot, dflt);
            if (ty_is_refcounted(t->value)) {
                LLVMBasicBlockRef keep = lw_block(fn, "keep_default"), done = lw_block(fn, "popped");
                LLVMBuildCondBr(fn->b, LLVMBuildIsNull(fn->b, slot, ""), keep, done);
                LLVMPositionBuilderAtEnd(fn->b, keep);
                lw_incref(fn, r, t->value);
                LLVMBuildBr(fn->b, done);
                LLVMPositionBuilderAtEnd(fn->b, done);
            }
            return r;
        }
        key_error_if_null(fn, t, slot, key);
        if (in->builtin == B_SET_REMOVE)
            return none;
        LLVMValueRef v = load_slot(fn, slot, t->value);
        if (in->builtin == B_DICT_POP)
            return v;
        if (ty_is_refcounted(t->value))
            lw_decref(fn, v, t->value);
        return none;
    }
    case B_DICT_VIEW:
        lw_incref(fn, d, t);
        return d;
    case B_DICT_CLEAR:
        lw_call(fn, "pyaot_rt_dict_clear", &d, 1);
        return none;
    case B_DICT_COPY: {
        LLVMValueRef r = lw_call(fn, "pyaot_rt_dict_copy", &d, 1);
        fail_if_null(fn, r);
        return r;
    }
    case B_SET_ADD:
        insert(fn, d, key_of(fn, t, lw_call_arg(in, 0)), NULL);
        return none;
    case B_SET_POP: {
        LLVMValueRef slot = lw_call(fn, "pyaot_rt_dict_pop_first", &d, 1);
        LLVMBasicBlockRef ok;
        lw_check(fn, LLVMBuildIsNull(fn->b, slot, ""), &ok);
        lw_call(fn, "pyaot_rt_set_empty_error", NULL, 0);
        lw_fail(fn);
        lw_resume(fn, ok);
        return load_slot(fn, slot, t->item);
    }
    default:
        diag_internal(m->d, "no lowering for dict method %s", fe_builtin_name(in->builtin));
    }
}

LLVMValueRef lw_dict_call(LwFn *fn, const Instr *in) {
    return dict_call(fn, in, in->args[0]->args[0]); // the receiver: obj.method
}

/* ---- iteration ---------------------------------------------------------------- */

LLVMValueRef lw_dict_next(LwFn *fn, LLVMValueRef d, LLVMValueRef pos_ptr, LLVMValueRef start_len) {
    LwModule *m = fn->m;
    LLVMValueRef args[3] = {d, LLVMBuildLoad2(fn->b, m->i64, pos_ptr, "pos"), start_len};
    LLVMValueRef next = lw_call(fn, "pyaot_rt_dict_next", args, 3);
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildICmp(fn->b, LLVMIntEQ, next, LLVMConstInt(m->i64, (unsigned long long)-2, 1), ""), &ok);
    lw_fail(fn);
    lw_resume(fn, ok);
    LLVMValueRef more = LLVMBuildICmp(fn->b, LLVMIntSGE, next, LLVMConstInt(m->i64, 0, 0), "more");
    // At the end the position stays: a finished loop is not asked again.
    LLVMBuildStore(fn->b, LLVMBuildSelect(fn->b, more, next, args[1], ""), pos_ptr);
    return more;
}

LLVMValueRef lw_dict_element(LwFn *fn, LLVMValueRef d, const Type *t, LLVMValueRef pos) {
    LwModule *m = fn->m;
    LLVMValueRef args[2] = {d, pos};
    const Type *dict = t->kind == TY_DICT_VIEW ? t->iterable : t;
    int which = t->kind == TY_DICT_VIEW ? t->bits : DV_KEYS;
    LLVMValueRef key = NULL, value = NULL;
    if (which != DV_VALUES)
        key = load_slot(fn, lw_call(fn, "pyaot_rt_dict_key_at", args, 2), dict->item);
    if (which != DV_KEYS) {
        value = load_slot(fn, lw_call(fn, "pyaot_rt_dict_value_at", args, 2), dict->value);
        if (ty_is_refcounted(dict->value))
            lw_incref(fn, value, dict->value);
    }
    if (which == DV_KEYS)
        return key;
    if (which == DV_VALUES)
        return value;
    const Type *fields[2] = {dict->item, dict->value};
    LLVMValueRef pair = LLVMGetUndef(lw_type(m, ty_tuple(m->tt, fields, 2)));
    pair = LLVMBuildInsertValue(fn->b, pair, key, 0, "");
    return LLVMBuildInsertValue(fn->b, pair, value, 1, "");
}
