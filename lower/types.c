/* Native representations of types (the layouts link/runtime/pyaot_rt.h
 * documents) and the runtime's type descriptors. */
#include "lw.h"

#include <string.h>

/* enum pyaot_kind of link/runtime/pyaot_rt.h */
enum { RT_NONE, RT_BOOL, RT_INT, RT_UINT, RT_FLOAT, RT_COMPLEX, RT_ARRAY, RT_TUPLE, RT_LIST, RT_DICT, RT_SET };

static LLVMTypeRef make_type(LwModule *m, const Type *t) {
    switch (t->kind) {
    case TY_NONE: case TY_ELLIPSIS: return m->i8; // a byte never read: `...` sits in index tuples
    case TY_BOOL: return m->i1;
    case TY_INT: return LLVMIntTypeInContext(m->ctx, (unsigned)t->bits);
    case TY_FLOAT: return t->bits == 32 ? m->f32 : m->f64;
    case TY_COMPLEX: {
        LLVMTypeRef part = t->bits == 64 ? m->f32 : m->f64;
        LLVMTypeRef parts[2] = {part, part};
        return LLVMStructTypeInContext(m->ctx, parts, 2, 0);
    }
    case TY_ARRAY: {
        LLVMTypeRef dims = LLVMArrayType2(m->i64, (uint64_t)t->ndim);
        LLVMTypeRef fields[4] = {m->ptr, m->ptr, dims, dims};
        return LLVMStructTypeInContext(m->ctx, fields, 4, 0);
    }
    case TY_FUNCTION: // what a nested function captured; nothing for the others
        if (t->nfields == 0)
            return NULL;
        // fall through
    case TY_TUPLE: case TY_ZIP: {
        LLVMTypeRef *fields = ARENA_ARRAY(m->arena, LLVMTypeRef, t->nfields + 1);
        for (int i = 0; i < t->nfields; i++) {
            fields[i] = lw_type(m, t->fields[i]);
            if (!fields[i])
                return NULL;
        }
        return LLVMStructTypeInContext(m->ctx, fields, (unsigned)t->nfields, 0);
    }
    case TY_RANGE: case TY_SLICE: {
        LLVMTypeRef fields[3] = {m->i64, m->i64, m->i64}; // start, stop, step
        return LLVMStructTypeInContext(m->ctx, fields, 3, 0);
    }
    case TY_ENUMERATE: {
        LLVMTypeRef inner = lw_type(m, t->iterable);
        if (!inner)
            return NULL;
        LLVMTypeRef fields[2] = {inner, m->i64}; // iterable, start
        return LLVMStructTypeInContext(m->ctx, fields, 2, 0);
    }
    case TY_ITER:
        return m->ptr; // to the iterator's state (iter.c)
    case TY_LIST:
        return m->ptr; // to the runtime's pyaot_list (list.c)
    case TY_DICT: case TY_SET: case TY_DICT_VIEW:
        return m->ptr; // to the runtime's pyaot_dict (dict.c)
    default:
        return NULL; // compile time only
    }
}

LLVMTypeRef lw_type(LwModule *m, const Type *t) {
    for (int i = 0; i < m->types.len; i++)
        if (m->types.data[i].t == t)
            return m->types.data[i].llvm;
    LLVMTypeRef llvm = make_type(m, t);
    vec_push(m->arena, &m->types, ((LwTypeEntry){t, llvm}));
    return llvm;
}

int lw_elem_size(const Type *t) {
    switch (t->kind) {
    case TY_BOOL: return 1;
    case TY_INT: case TY_FLOAT: case TY_COMPLEX: return t->bits / 8;
    default: return 0;
    }
}

bool lw_is_signed(const Type *t) {
    return t->kind == TY_INT && t->is_signed;
}

int lw_rt_kind(const Type *t) {
    switch (t->kind) {
    case TY_NONE: return RT_NONE;
    case TY_BOOL: return RT_BOOL;
    case TY_INT: return t->is_signed ? RT_INT : RT_UINT;
    case TY_FLOAT: return RT_FLOAT;
    case TY_COMPLEX: return RT_COMPLEX;
    case TY_ARRAY: return RT_ARRAY;
    case TY_TUPLE: return RT_TUPLE;
    case TY_LIST: return RT_LIST;
    case TY_DICT: return RT_DICT;
    case TY_SET: return RT_SET;
    default: return -1;
    }
}

LLVMValueRef lw_type_desc(LwModule *m, const Type *t, bool writable) {
    for (int i = 0; i < m->descs.len; i++)
        if (m->descs.data[i].t == t && m->descs.data[i].writable == writable)
            return m->descs.data[i].global;
    int kind = lw_rt_kind(t);
    if (kind < 0)
        diag_internal(m->d, "no runtime descriptor for %s", ty_str(m->arena, t));
    LLVMValueRef fields_ptr = LLVMConstNull(m->ptr), offsets_ptr = LLVMConstNull(m->ptr);
    // A list's and a set's one field is their item, a dict's two its keys
    // and values, each at offset 0 of its slot.
    bool container = t->kind == TY_LIST || t->kind == TY_SET || t->kind == TY_DICT;
    int nfields = t->kind == TY_DICT ? 2 : container ? 1 : t->kind == TY_TUPLE ? t->nfields : 0;
    if (nfields > 0) {
        LLVMValueRef *descs = ARENA_ARRAY(m->arena, LLVMValueRef, nfields);
        LLVMValueRef *offs = ARENA_ARRAY(m->arena, LLVMValueRef, nfields);
        for (int i = 0; i < nfields; i++) {
            descs[i] = lw_type_desc(m, !container ? t->fields[i] : i == 0 ? t->item : t->value, writable);
            offs[i] = LLVMConstInt(m->i32, container ? 0 : LLVMOffsetOfElement(m->td, lw_type(m, t), (unsigned)i), 0);
        }
        LLVMValueRef darr = LLVMConstArray2(m->ptr, descs, (uint64_t)nfields);
        LLVMValueRef oarr = LLVMConstArray2(m->i32, offs, (uint64_t)nfields);
        fields_ptr = LLVMAddGlobal(m->mod, LLVMTypeOf(darr), "pyaot.desc.fields");
        LLVMSetInitializer(fields_ptr, darr);
        offsets_ptr = LLVMAddGlobal(m->mod, LLVMTypeOf(oarr), "pyaot.desc.offsets");
        LLVMSetInitializer(offsets_ptr, oarr);
        LLVMValueRef gs[2] = {fields_ptr, offsets_ptr};
        for (int i = 0; i < 2; i++) {
            LLVMSetGlobalConstant(gs[i], 1);
            LLVMSetLinkage(gs[i], LLVMPrivateLinkage);
        }
    }
    const Type *scalar = t->kind == TY_ARRAY ? t->dtype : t;
    LLVMTypeRef native = lw_type(m, t);
    uint64_t native_size = t->kind == TY_NONE ? 0 : LLVMABISizeOfType(m->td, native);
    LLVMValueRef vals[] = {
        LLVMConstInt(m->i8, (unsigned)kind, 0),
        LLVMConstInt(m->i8, (unsigned)lw_elem_size(scalar), 0),
        LLVMConstInt(m->i8, t->kind == TY_ARRAY ? (unsigned)lw_rt_kind(t->dtype) : 0, 0),
        LLVMConstInt(m->i8, t->kind == TY_ARRAY ? (unsigned)t->ndim : 0, 0),
        LLVMConstInt(m->i8, t->kind == TY_ARRAY ? (unsigned)(t->layout == 'C' ? 'C' : 'A') : 0, 0),
        LLVMConstInt(m->i8, writable && t->kind == TY_ARRAY, 0),
        LLVMConstInt(m->i16, (unsigned)nfields, 0),
        LLVMConstInt(m->i32, native_size, 0),
        fields_ptr,
        offsets_ptr,
        lw_cstring(m, ty_str(m->arena, t)),
    };
    LLVMValueRef init = LLVMConstStructInContext(m->ctx, vals, sizeof vals / sizeof vals[0], 0);
    LLVMValueRef g = LLVMAddGlobal(m->mod, LLVMTypeOf(init), "pyaot.desc");
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    vec_push(m->arena, &m->descs, ((LwDescEntry){t, writable, g}));
    return g;
}

LLVMValueRef lw_const_value(LwModule *m, const FeConst *c, const Type *t) {
    switch (t->kind) {
    case TY_NONE: case TY_ELLIPSIS:
        return LLVMConstInt(m->i8, 0, 0);
    case TY_BOOL: case TY_INT: {
        uint64_t v = c->kind == FE_CONST_UINT ? c->u
                   : c->kind == FE_CONST_FLOAT ? (uint64_t)(int64_t)c->f
                                               : (uint64_t)c->i;
        return LLVMConstInt(lw_type(m, t), t->kind == TY_BOOL ? (v != 0) : v, 0);
    }
    case TY_FLOAT: case TY_COMPLEX: {
        double re = c->kind == FE_CONST_FLOAT || c->kind == FE_CONST_COMPLEX ? c->f
                  : c->kind == FE_CONST_UINT ? (double)c->u
                                             : (double)c->i;
        LLVMTypeRef ft = (t->kind == TY_FLOAT ? t->bits == 32 : t->bits == 64) ? m->f32 : m->f64;
        if (t->kind == TY_FLOAT)
            return LLVMConstReal(ft, re);
        LLVMValueRef parts[2] = {LLVMConstReal(ft, re),
                                 LLVMConstReal(ft, c->kind == FE_CONST_COMPLEX ? c->imag : 0.0)};
        return LLVMConstStructInContext(m->ctx, parts, 2, 0);
    }
    case TY_TUPLE: {
        if (c->kind != FE_CONST_TUPLE || c->nitems != t->nfields)
            diag_internal(m->d, "constant does not match %s", ty_str(m->arena, t));
        LLVMValueRef *items = ARENA_ARRAY(m->arena, LLVMValueRef, t->nfields + 1);
        for (int i = 0; i < t->nfields; i++)
            items[i] = lw_const_value(m, c->items[i], t->fields[i]);
        return LLVMConstStructInContext(m->ctx, items, (unsigned)t->nfields, 0);
    }
    default:
        diag_internal(m->d, "no constant of type %s", ty_str(m->arena, t));
    }
}
