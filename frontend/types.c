/* Interned types and Numba's rules for mixing numeric types.
 *
 * Every distinct type exists once, so types compare with ==. The tables are
 * small (tens of types per build), so interning is a linear scan. */
#include "frontend.h"

#include <string.h>

void ty_init(TypeTable *tt, Arena *a) {
    memset(tt, 0, sizeof *tt);
    tt->arena = a;
}

static bool same_fields(const Type *a, const Type *b) {
    if (a->nfields != b->nfields)
        return false;
    for (int i = 0; i < a->nfields; i++)
        if (a->fields[i] != b->fields[i])
            return false;
    return true;
}

static bool same_name(const char *a, const char *b) {
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool type_equal(const Type *a, const Type *b) {
    return a->kind == b->kind && a->bits == b->bits && a->is_signed == b->is_signed &&
           a->dtype == b->dtype && a->ndim == b->ndim && a->layout == b->layout &&
           same_fields(a, b) && a->iterable == b->iterable && same_name(a->name, b->name) &&
           a->builtin == b->builtin && a->func == b->func && a->item == b->item && a->value == b->value &&
           a->origin == b->origin;
}

const Type *ty_intern(TypeTable *tt, const Type *proto) {
    for (int i = 0; i < tt->all.len; i++)
        if (type_equal(tt->all.data[i], proto))
            return tt->all.data[i];
    Type *t = ARENA_NEW(tt->arena, Type);
    *t = *proto;
    if (proto->nfields) {
        t->fields = ARENA_ARRAY(tt->arena, const Type *, proto->nfields);
        mem_copy(t->fields, proto->fields, sizeof(Type *) * (size_t)proto->nfields);
    }
    if (proto->name)
        t->name = arena_strdup(tt->arena, proto->name);
    vec_push(tt->arena, &tt->all, t);
    return t;
}

const Type *ty_simple(TypeTable *tt, TypeKind kind) {
    return ty_intern(tt, &(Type){.kind = kind});
}

const Type *ty_int(TypeTable *tt, int bits, bool is_signed) {
    return ty_intern(tt, &(Type){.kind = TY_INT, .bits = bits, .is_signed = is_signed});
}

const Type *ty_float(TypeTable *tt, int bits) {
    return ty_intern(tt, &(Type){.kind = TY_FLOAT, .bits = bits});
}

const Type *ty_complex(TypeTable *tt, int bits) {
    return ty_intern(tt, &(Type){.kind = TY_COMPLEX, .bits = bits});
}

const Type *ty_bool(TypeTable *tt) { return ty_simple(tt, TY_BOOL); }
const Type *ty_none(TypeTable *tt) { return ty_simple(tt, TY_NONE); }
const Type *ty_int64(TypeTable *tt) { return ty_int(tt, 64, true); }
const Type *ty_float64(TypeTable *tt) { return ty_float(tt, 64); }

const Type *ty_array(TypeTable *tt, const Type *dtype, int ndim, char layout) {
    // One dimension that is C-contiguous is also F-contiguous: one spelling.
    if (ndim == 1 && layout == 'F')
        layout = 'C';
    return ty_intern(tt, &(Type){.kind = TY_ARRAY, .dtype = dtype, .ndim = ndim, .layout = layout});
}

const Type *ty_tuple(TypeTable *tt, const Type **fields, int n) {
    return ty_intern(tt, &(Type){.kind = TY_TUPLE, .fields = fields, .nfields = n});
}

const Type *ty_unituple(TypeTable *tt, const Type *t, int n) {
    const Type **fields = ARENA_ARRAY(tt->arena, const Type *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        fields[i] = t;
    return ty_tuple(tt, fields, n);
}

const Type *ty_named(TypeTable *tt, TypeKind kind, const char *name) {
    return ty_intern(tt, &(Type){.kind = kind, .name = name});
}

const Type *ty_wrap(TypeTable *tt, TypeKind kind, const Type *inner) {
    if (kind == TY_DTYPE)
        return ty_intern(tt, &(Type){.kind = kind, .dtype = inner});
    return ty_intern(tt, &(Type){.kind = kind, .iterable = inner});
}

const Type *ty_list(TypeTable *tt, const Type *item) {
    return ty_intern(tt, &(Type){.kind = TY_LIST, .item = item});
}

const Type *ty_list_undecided(TypeTable *tt, const void *origin) {
    return ty_intern(tt, &(Type){.kind = TY_LIST, .item = ty_simple(tt, TY_UNKNOWN), .origin = origin});
}

const Type *ty_dict(TypeTable *tt, const Type *key, const Type *value) {
    return ty_intern(tt, &(Type){.kind = TY_DICT, .item = key, .value = value});
}

const Type *ty_set(TypeTable *tt, const Type *item) {
    return ty_intern(tt, &(Type){.kind = TY_SET, .item = item});
}

const Type *ty_container_undecided(TypeTable *tt, TypeKind kind, const void *origin) {
    const Type *unknown = ty_simple(tt, TY_UNKNOWN);
    return ty_intern(tt, &(Type){.kind = kind, .item = unknown, .value = kind == TY_DICT ? unknown : NULL,
                                 .origin = origin});
}

const Type *ty_dict_view(TypeTable *tt, const Type *dict, FeDictView which) {
    return ty_intern(tt, &(Type){.kind = TY_DICT_VIEW, .iterable = dict, .bits = (int)which});
}

bool ty_is_hashable(const Type *t) {
    if (ty_is_number(t))
        return true;
    if (t->kind == TY_TUPLE) {
        for (int i = 0; i < t->nfields; i++)
            if (!ty_is_hashable(t->fields[i]))
                return false;
        return t->nfields > 0;
    }
    return false;
}

const Type *ty_key_form(TypeTable *tt, const Type *t) {
    switch (t->kind) {
    case TY_INT:
        return t->bits == 64 && !t->is_signed ? t : ty_int64(tt);
    case TY_FLOAT:
        return ty_float64(tt);
    case TY_COMPLEX:
        return ty_complex(tt, 128);
    case TY_TUPLE: {
        const Type **fields = ARENA_ARRAY(tt->arena, const Type *, t->nfields);
        for (int i = 0; i < t->nfields; i++)
            fields[i] = ty_key_form(tt, t->fields[i]);
        return ty_tuple(tt, fields, t->nfields);
    }
    default:
        return t;
    }
}

bool ty_is_undecided(const Type *t) {
    return (t->kind == TY_LIST || t->kind == TY_DICT || t->kind == TY_SET) && t->item->kind == TY_UNKNOWN;
}

bool ty_has_undecided(const Type *t) {
    if (t->kind == TY_LIST || t->kind == TY_SET)
        return t->item->kind == TY_UNKNOWN || ty_has_undecided(t->item);
    if (t->kind == TY_DICT)
        return t->item->kind == TY_UNKNOWN || ty_has_undecided(t->value);
    if (t->kind == TY_DICT_VIEW)
        return ty_has_undecided(t->iterable);
    if (t->kind == TY_TUPLE || t->kind == TY_ZIP)
        for (int i = 0; i < t->nfields; i++)
            if (ty_has_undecided(t->fields[i]))
                return true;
    if ((t->kind == TY_ITER || t->kind == TY_ENUMERATE) && t->iterable)
        return ty_has_undecided(t->iterable);
    return false;
}

bool ty_is_number(const Type *t) {
    return t->kind == TY_BOOL || t->kind == TY_INT || t->kind == TY_FLOAT || t->kind == TY_COMPLEX;
}

bool ty_is_integer(const Type *t) { return t->kind == TY_BOOL || t->kind == TY_INT; }

bool ty_is_scalar(const Type *t) { return ty_is_number(t) || t->kind == TY_NONE; }

bool ty_is_runtime(const Type *t) {
    switch (t->kind) {
    case TY_NONE: case TY_BOOL: case TY_INT: case TY_FLOAT: case TY_COMPLEX:
    case TY_ARRAY: case TY_RANGE: case TY_SLICE: case TY_ITER: case TY_ENUMERATE: case TY_ZIP:
        return true;
    case TY_TUPLE:
        for (int i = 0; i < t->nfields; i++)
            if (!ty_is_runtime(t->fields[i]))
                return false;
        return true;
    case TY_LIST: case TY_SET:
        return t->item->kind != TY_UNKNOWN && ty_is_runtime(t->item);
    case TY_DICT:
        return t->item->kind != TY_UNKNOWN && ty_is_runtime(t->item) && ty_is_runtime(t->value);
    case TY_DICT_VIEW:
        return ty_is_runtime(t->iterable);
    default:
        return false;
    }
}

bool ty_is_boxable(const Type *t) {
    switch (t->kind) {
    case TY_NONE: case TY_BOOL: case TY_INT: case TY_FLOAT: case TY_COMPLEX: case TY_ARRAY:
        return true;
    case TY_TUPLE:
        for (int i = 0; i < t->nfields; i++)
            if (!ty_is_boxable(t->fields[i]))
                return false;
        return true;
    case TY_LIST: case TY_SET:
        return ty_is_boxable(t->item);
    case TY_DICT:
        return ty_is_boxable(t->item) && ty_is_boxable(t->value);
    default:
        return false;
    }
}

bool ty_is_refcounted(const Type *t) {
    switch (t->kind) {
    case TY_ARRAY: case TY_LIST: case TY_DICT: case TY_SET: case TY_DICT_VIEW:
        return true;
    case TY_TUPLE: case TY_ZIP:
        for (int i = 0; i < t->nfields; i++)
            if (ty_is_refcounted(t->fields[i]))
                return true;
        return false;
    case TY_ENUMERATE:
        return ty_is_refcounted(t->iterable);
    case TY_FUNCTION: // what it captured
        for (int i = 0; i < t->nfields; i++)
            if (ty_is_refcounted(t->fields[i]))
                return true;
        return false;
    default:
        return false;
    }
}

static void type_to_sb(StrBuf *sb, const Type *t);

/* "open" then the fields, comma-separated, then ")". */
static void fields_to_sb(StrBuf *sb, const char *open, const Type *t) {
    sb_append(sb, open);
    for (int i = 0; i < t->nfields; i++) {
        if (i)
            sb_append(sb, ", ");
        type_to_sb(sb, t->fields[i]);
    }
    sb_append(sb, ")");
}

static void type_to_sb(StrBuf *sb, const Type *t) {
    switch (t->kind) {
    case TY_UNKNOWN: sb_append(sb, "unknown"); return;
    case TY_NONE: sb_append(sb, "none"); return;
    case TY_BOOL: sb_append(sb, "bool"); return;
    case TY_INT: sb_printf(sb, "%sint%d", t->is_signed ? "" : "u", t->bits); return;
    case TY_FLOAT: sb_printf(sb, "float%d", t->bits); return;
    case TY_COMPLEX: sb_printf(sb, "complex%d", t->bits); return;
    case TY_ARRAY:
        type_to_sb(sb, t->dtype);
        sb_append(sb, "[");
        for (int i = 0; i < t->ndim; i++) {
            if (i)
                sb_append(sb, ", ");
            bool unit = (t->layout == 'C' && i == t->ndim - 1) || (t->layout == 'F' && i == 0);
            sb_append(sb, unit ? "::1" : ":");
        }
        sb_append(sb, "]");
        return;
    case TY_TUPLE: {
        bool uniform = t->nfields > 0;
        for (int i = 1; i < t->nfields; i++)
            uniform = uniform && t->fields[i] == t->fields[0];
        if (uniform) {
            sb_append(sb, "UniTuple(");
            type_to_sb(sb, t->fields[0]);
            sb_printf(sb, ", %d)", t->nfields);
            return;
        }
        fields_to_sb(sb, "Tuple(", t);
        return;
    }
    case TY_RANGE: sb_append(sb, "range"); return;
    case TY_SLICE: sb_append(sb, "slice"); return;
    case TY_ITER: sb_append(sb, "iterator over "); type_to_sb(sb, t->iterable); return;
    case TY_ENUMERATE: sb_append(sb, "enumerate("); type_to_sb(sb, t->iterable); sb_append(sb, ")"); return;
    case TY_ZIP:
        fields_to_sb(sb, "zip(", t);
        return;
    case TY_LIST:
        if (t->item->kind == TY_UNKNOWN) {
            sb_append(sb, "list of undecided items");
            return;
        }
        sb_append(sb, "reflected list(");
        type_to_sb(sb, t->item);
        sb_append(sb, ")");
        return;
    case TY_DICT:
        if (t->item->kind == TY_UNKNOWN) {
            sb_append(sb, "dict of undecided types");
            return;
        }
        sb_append(sb, "DictType(");
        type_to_sb(sb, t->item);
        sb_append(sb, ", ");
        type_to_sb(sb, t->value);
        sb_append(sb, ")");
        return;
    case TY_SET:
        if (t->item->kind == TY_UNKNOWN) {
            sb_append(sb, "set of undecided items");
            return;
        }
        sb_append(sb, "set(");
        type_to_sb(sb, t->item);
        sb_append(sb, ")");
        return;
    case TY_DICT_VIEW:
        sb_append(sb, t->bits == DV_KEYS ? "keys of " : t->bits == DV_VALUES ? "values of " : "items of ");
        type_to_sb(sb, t->iterable);
        return;
    case TY_MODULE: sb_printf(sb, "module '%s'", t->name); return;
    case TY_LIBRARY: sb_printf(sb, "'%s'", fe_builtin_name(t->builtin)); return;
    case TY_FUNCTION: sb_printf(sb, "function '%s'", t->func->name); return;
    case TY_METHOD:
        sb_printf(sb, "method '%s' of ", t->name);
        type_to_sb(sb, t->fields[0]);
        return;
    case TY_DTYPE: sb_append(sb, "dtype("); type_to_sb(sb, t->dtype); sb_append(sb, ")"); return;
    case TY_STR: sb_append(sb, "str"); return;
    case TY_EXC_CLASS: sb_printf(sb, "exception class %s", t->name); return;
    case TY_NULL: sb_append(sb, "NULL"); return;
    case TY_ELLIPSIS: sb_append(sb, "ellipsis"); return;
    }
    sb_append(sb, "?");
}

const char *ty_str(Arena *a, const Type *t) {
    StrBuf sb;
    sb_init(&sb, a);
    type_to_sb(&sb, t);
    return sb.data;
}

/* Numba's unification of two integer types (its typeconv rules): the
 * smallest type holding both ranges; uint64 with a signed type has none and
 * becomes float64. */
static const Type *unify_int(TypeTable *tt, const Type *a, const Type *b) {
    if (a->kind == TY_BOOL)
        return b;
    if (b->kind == TY_BOOL)
        return a;
    if (a->is_signed == b->is_signed)
        return ty_int(tt, a->bits > b->bits ? a->bits : b->bits, a->is_signed);
    const Type *s = a->is_signed ? a : b, *u = a->is_signed ? b : a;
    if (s->bits > u->bits)
        return s;
    if (u->bits < 64)
        return ty_int(tt, u->bits * 2, true);
    return ty_float64(tt);
}

/* An integer converts to float32 without loss only up to 16 bits. */
static bool int_fits_float32(const Type *t) {
    return t->kind == TY_BOOL || t->bits <= 16;
}

const Type *ty_unify(TypeTable *tt, const Type *a, const Type *b) {
    if (a == b)
        return a;
    if (a->kind == TY_UNKNOWN)
        return b;
    if (b->kind == TY_UNKNOWN)
        return a;
    if (ty_is_number(a) && ty_is_number(b)) {
        if (ty_is_integer(a) && ty_is_integer(b))
            return unify_int(tt, a, b);
        // Order so that a is the "larger" kind: complex > float > int.
        if (a->kind < b->kind) {
            const Type *t = a;
            a = b;
            b = t;
        }
        if (a->kind == TY_FLOAT) {
            if (a->bits == 64 || b->kind == TY_FLOAT || !int_fits_float32(b))
                return ty_float64(tt);
            return a;
        }
        // a is complex
        bool small = a->bits == 64 &&
                     ((b->kind == TY_COMPLEX && b->bits == 64) ||
                      (b->kind == TY_FLOAT && b->bits == 32) ||
                      (ty_is_integer(b) && int_fits_float32(b)));
        return small ? a : ty_complex(tt, 128);
    }
    if (a->kind == TY_ARRAY && b->kind == TY_ARRAY && a->dtype == b->dtype && a->ndim == b->ndim)
        return ty_array(tt, a->dtype, a->ndim, 'A');
    // A list whose items are not decided yet takes the other's type (one
    // list: `x = []` before `x.append(1.0)`); decided lists must agree.
    if (a->kind == TY_LIST && b->kind == TY_LIST) {
        if (a->item->kind == TY_UNKNOWN)
            return b;
        if (b->item->kind == TY_UNKNOWN)
            return a;
        return NULL; // items are stored as they are: one list has one item type
    }
    if ((a->kind == TY_DICT || a->kind == TY_SET) && b->kind == a->kind) { // as lists
        if (a->item->kind == TY_UNKNOWN)
            return b;
        if (b->item->kind == TY_UNKNOWN)
            return a;
        return NULL;
    }
    if (a->kind == TY_TUPLE && b->kind == TY_TUPLE && a->nfields == b->nfields) {
        const Type **fields = ARENA_ARRAY(tt->arena, const Type *, a->nfields);
        for (int i = 0; i < a->nfields; i++) {
            fields[i] = ty_unify(tt, a->fields[i], b->fields[i]);
            if (!fields[i])
                return NULL;
        }
        return ty_tuple(tt, fields, a->nfields);
    }
    return NULL;
}

const Type *ty_of_const(TypeTable *tt, const FeConst *c) {
    switch (c->kind) {
    case FE_CONST_NONE: return ty_none(tt);
    case FE_CONST_BOOL: return ty_bool(tt);
    case FE_CONST_INT: return ty_int64(tt);
    case FE_CONST_UINT: return ty_int(tt, 64, false);
    case FE_CONST_FLOAT: return ty_float64(tt);
    case FE_CONST_COMPLEX: return ty_complex(tt, 128);
    case FE_CONST_STR: return ty_named(tt, TY_STR, c->s);
    case FE_CONST_TUPLE: {
        const Type **fields = ARENA_ARRAY(tt->arena, const Type *, c->nitems > 0 ? c->nitems : 1);
        for (int i = 0; i < c->nitems; i++)
            if (!(fields[i] = ty_of_const(tt, c->items[i])))
                return NULL;
        return ty_tuple(tt, fields, c->nitems);
    }
    default:
        return NULL;
    }
}

const Type *ty_tuple_item(TypeTable *tt, const Type *t) {
    if (t->kind != TY_TUPLE || t->nfields == 0)
        return NULL;
    const Type *item = t->fields[0];
    for (int i = 1; i < t->nfields; i++) {
        const Type *f = t->fields[i];
        if (f == item)
            continue;
        if (f->kind != TY_ARRAY || item->kind != TY_ARRAY || f->dtype != item->dtype || f->ndim != item->ndim)
            return NULL;
        item = ty_array(tt, item->dtype, item->ndim, 'A');
    }
    return item;
}

const Type *ty_arith_int(TypeTable *tt, const Type *a, const Type *b) {
    bool is_signed = a->kind == TY_BOOL || b->kind == TY_BOOL || a->is_signed || b->is_signed;
    return ty_int(tt, 64, is_signed);
}

const Type *ty_promote(TypeTable *tt, const Type *a, const Type *b) {
    if (ty_is_integer(a) && ty_is_integer(b))
        return ty_arith_int(tt, a, b);
    return ty_unify(tt, a, b);
}

bool ty_can_convert(const Type *from, const Type *to) {
    if (from == to)
        return true;
    if (ty_is_number(from) && ty_is_number(to))
        return to->kind == TY_COMPLEX || from->kind != TY_COMPLEX;
    if (from->kind == TY_ARRAY && to->kind == TY_ARRAY)
        return from->dtype == to->dtype && from->ndim == to->ndim &&
               (to->layout == 'A' || to->layout == from->layout);
    if (from->kind == TY_TUPLE && to->kind == TY_TUPLE && from->nfields == to->nfields) {
        for (int i = 0; i < from->nfields; i++)
            if (!ty_can_convert(from->fields[i], to->fields[i]))
                return false;
        return true;
    }
    return false;
}
