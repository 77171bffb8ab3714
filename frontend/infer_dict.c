/* Typing of dicts and sets: displays, item access, `in`, methods.
 *
 * A dict has one key type and one value type, a set one item type (Numba's
 * typed dict and set). An empty display (`{}`, `dict()`, `set()`) decides
 * them at its first store, as lists do (infer_list.c): the decision is kept
 * on the display (its optype is the decided type) and inference passes
 * again. Keys are numbers or tuples of numbers, held in a normal form
 * (integers as int64, floats as float64), and every key used on a dict is
 * converted to it: `d[1]` and `d[np.int32(1)]` find the same entry, as in
 * Python. The primitives are compiled directly (lower/dict.c); the rest
 * are pyaot's library code (lib/dicts_impl.py). */
#include "infer.h"

#include <string.h>

/* "dict 'd'" or "this dict", for messages; c is the container's value
 * where the message is about (a variable's value has its name). */
static const char *label_of(Infer *I, const Instr *c, const Type *t) {
    const Instr *o = c && c->name ? c : t->origin;
    const char *what = t->kind == TY_SET ? "set" : "dict";
    if (o && o->name)
        return arena_printf(I->b->arena, "%s '%s'", what, o->name);
    return arena_printf(I->b->arena, "this %s", what);
}

const Type *infer_dict_undecided(Infer *I, const Instr *in, const Type *t) {
    if (!I->final)
        return NULL;
    const Instr *o = t->origin;
    const char *first = t->kind == TY_SET ? "its first add decides it" : "its first item assignment decides them";
    return infer_fail(I, in, "the %s of %s%s %s not known here: put an item in first (%s), or start it with one",
                      t->kind == TY_SET ? "item type" : "key and value types", label_of(I, NULL, t),
                      o ? arena_printf(I->b->arena, " (made at line %d)", o->pos.line) : "",
                      t->kind == TY_SET ? "is" : "are", first);
}

/* ---- keys ------------------------------------------------------------------ */

/* Reported at once, in any pass: a type only widens, and no widening of
 * an unhashable type is hashable (the store would otherwise wait forever,
 * and the error be the display's "never decided"). */
static const Type *unhashable(Infer *I, const Instr *in, const Type *t) {
    if (t->kind == TY_UNKNOWN || ty_has_undecided(t))
        return NULL;
    const char *instead = t->kind == TY_ARRAY || t->kind == TY_LIST
                              ? ": use a tuple of numbers as the key (a tuple of a short array's items)"
                              : t->kind == TY_STR ? ": strings are not compiled yet"
                                                  : ": keys are numbers or tuples of numbers";
    diag_error(I->b->diag, in->pos, "%s cannot be a key of a dict or an item of a set (unhashable type)%s",
               infer_tystr(I, t), instead);
}

/* Whether a key of type k finds the keys of type `to` by converting it:
 * what Python's == would say of the converted value. */
static bool key_fits(const Type *k, const Type *to) {
    if (to->kind == TY_TUPLE) {
        if (k->kind != TY_TUPLE || k->nfields != to->nfields)
            return false;
        for (int i = 0; i < k->nfields; i++)
            if (!key_fits(k->fields[i], to->fields[i]))
                return false;
        return true;
    }
    if (!ty_is_number(k))
        return false;
    switch (to->kind) {
    case TY_BOOL: return k->kind == TY_BOOL;
    case TY_INT: return ty_is_integer(k);
    case TY_FLOAT: return k->kind != TY_COMPLEX;
    case TY_COMPLEX: return true;
    default: return false;
    }
}

/* Checks a key used on container t (decided); false after the error. */
static bool check_key(Infer *I, const Instr *in, const Instr *c, const Type *t, const Type *k) {
    if (!ty_is_hashable(k)) {
        unhashable(I, in, k);
        return false;
    }
    if (key_fits(k, t->item))
        return true;
    infer_fail(I, in, "%s has keys of type %s: a key of type %s %s", label_of(I, c, t), infer_tystr(I, t->item),
               infer_tystr(I, k),
               ty_is_number(k) && ty_is_number(t->item) ? "is not converted to it (convert it yourself: int(x), "
                                                          "float(x))"
                                                        : "cannot be one");
    return false;
}

static bool storable(const Type *t) {
    return ty_is_runtime(t) && t->kind != TY_RANGE && t->kind != TY_SLICE && t->kind != TY_ITER &&
           t->kind != TY_ENUMERATE && t->kind != TY_ZIP && t->kind != TY_NONE && t->kind != TY_DICT_VIEW;
}

/* ---- deciding -------------------------------------------------------------- */

static bool decide(Infer *I, const Type *t, const Type *decided) {
    Instr *o = (Instr *)t->origin;
    if (!o || o->optype)
        return false;
    o->optype = decided;
    I->decided = true;
    return true;
}

/* The first key (and value) put into an undecided container decide its
 * types; NULL while waiting or after an error. For a decided one, checks
 * them and gives the container's value type (its item type for sets). */
static const Type *store(Infer *I, Instr *in, const Instr *c, const Type *t, const Type *k, const Type *v) {
    if (!ty_is_hashable(k))
        return unhashable(I, in, k);
    if (t->kind == TY_DICT && !storable(v))
        return infer_fail(I, in, "a dict cannot hold %s as a value", infer_tystr(I, v));
    if (t->item->kind == TY_UNKNOWN) {
        const Type *form = ty_key_form(I->tt, k);
        if (!decide(I, t, t->kind == TY_SET ? ty_set(I->tt, form) : ty_dict(I->tt, form, v)) && I->final)
            return infer_dict_undecided(I, in, t);
        return NULL; // typed in the next pass
    }
    if (!check_key(I, in, c, t, k))
        return NULL;
    if (t->kind == TY_SET)
        return t->item;
    if (!infer_item_fits(I->tt, v, t->value))
        return infer_fail(I, in, "cannot store %s in %s: its values are %s (make the first value a %s, or "
                                 "convert with %s(x))",
                          infer_tystr(I, v), label_of(I, c, t), infer_tystr(I, t->value), infer_tystr(I, v),
                          infer_tystr(I, t->value));
    return t->value;
}

/* ---- displays -------------------------------------------------------------- */

/* The one type of items i, i + step, ... of `in`, as a display unifies them. */
static const Type *unify_items(Infer *I, Instr *in, int first, int step, bool keys) {
    const Type *u = NULL;
    for (int i = first; i < in->nargs; i += step) {
        const Type *t = in->args[i]->type;
        if (keys && !ty_is_hashable(t))
            return unhashable(I, in, t);
        if (!keys && !storable(t))
            return infer_fail(I, in, "a dict cannot hold %s as a value", infer_tystr(I, t));
        const Type *next = u ? ty_unify(I->tt, u, t) : t;
        if (!next)
            return infer_fail(I, in, "a %s holds %s of one type, but this one mixes %s and %s",
                              in->op == OP_BUILD_SET ? "set" : "dict", keys ? "keys" : "values", infer_tystr(I, u),
                              infer_tystr(I, t));
        u = next;
    }
    return u;
}

const Type *infer_build_dict(Infer *I, Instr *in) {
    bool set = in->op == OP_BUILD_SET;
    if (in->nargs == 0) {
        if (in->optype)
            return in->optype;
        if (I->final)
            return infer_fail(I, in,
                              "the %s of %s %s never decided: put an item in it (its first %s, as in "
                              "Numba), or start it with one",
                              set ? "item type" : "key and value types",
                              in->name ? arena_printf(I->b->arena, "the empty %s '%s'", set ? "set" : "dict", in->name)
                                       : set ? "this empty set" : "this empty dict",
                              set ? "is" : "are", set ? "add decides it" : "item assignment decides them");
        return ty_container_undecided(I->tt, set ? TY_SET : TY_DICT, in);
    }
    const Type *k = unify_items(I, in, 0, set ? 1 : 2, true);
    if (!k)
        return NULL;
    if (set)
        return ty_set(I->tt, ty_key_form(I->tt, k));
    const Type *v = unify_items(I, in, 1, 2, false);
    return v ? ty_dict(I->tt, ty_key_form(I->tt, k), v) : NULL;
}

/* ---- item access ----------------------------------------------------------- */

const Type *infer_dict_getitem(Infer *I, Instr *in) {
    const Type *d = in->args[0]->type;
    if (d->kind == TY_SET)
        return infer_fail(I, in, "'set' object is not subscriptable");
    if (d->item->kind == TY_UNKNOWN)
        return infer_dict_undecided(I, in, d);
    if (!check_key(I, in, in->args[0], d, in->args[1]->type))
        return NULL;
    return d->value;
}

const Type *infer_dict_setitem(Infer *I, Instr *in) {
    const Type *d = in->args[0]->type;
    if (d->kind == TY_SET)
        return infer_fail(I, in, "'set' object does not support item assignment: use s.add(x)");
    if (!store(I, in, in->args[0], d, in->args[1]->type, in->args[2]->type))
        return NULL;
    return ty_none(I->tt);
}

const Type *infer_dict_contains(Infer *I, Instr *in) {
    const Type *a = in->args[0]->type, *d = in->args[1]->type;
    if (d->kind == TY_DICT_VIEW) {
        if (d->bits != DV_KEYS)
            return infer_fail(I, in, "`in` on %s is not supported: test the dict's keys", infer_tystr(I, d));
        d = d->iterable;
    }
    // Typed at once (a bool, whatever the keys): `if k in d: ... else: d[k] = v`
    // reaches the store that decides d only once the branch is typed.
    if (d->item->kind == TY_UNKNOWN)
        return I->final ? infer_dict_undecided(I, in, d) : ty_bool(I->tt);
    if (!check_key(I, in, in->args[1], d, a))
        return NULL;
    return ty_bool(I->tt);
}

/* ---- methods ----------------------------------------------------------------- */

static const Type *builtin(Instr *call, Builtin b, const Type *t) {
    call->resolved = RES_BUILTIN;
    call->builtin = b;
    return t;
}

static const Type *key_method(Infer *I, Instr *call, const Type *t, Builtin b, const char *name, int nparams,
                              int nrequired, const Type *result) {
    static const char *const names[] = {"key", "default"};
    if (!infer_bind(I, call, name, names, nparams, nrequired))
        return NULL;
    if (!check_key(I, call, call->args[0]->args[0], t, infer_param(call, 0)->type))
        return NULL;
    Instr *dflt = nparams > 1 ? infer_param(call, 1) : NULL;
    if (dflt && t->kind == TY_DICT && !infer_item_fits(I->tt, dflt->type, t->value))
        return infer_fail(I, call, "the default of %s.%s() must be a %s like its values, not %s",
                          label_of(I, call->args[0]->args[0], t), name,
                          infer_tystr(I, t->value), infer_tystr(I, dflt->type));
    return builtin(call, b, result);
}

static const Type *dict_method(Infer *I, Instr *call, const Type *d, const char *name) {
    if (strcmp(name, "get") == 0 || strcmp(name, "setdefault") == 0) {
        Instr *k = call->nargs > 1 ? call->args[1] : NULL, *dflt = call->nargs > 2 ? call->args[2] : NULL;
        if (!dflt || call->nkw)
            return infer_fail(I, call, "d.%s(key) without a default is not supported (it would give None or a "
                                       "value): write d.%s(key, default)",
                              name, name);
        if (d->item->kind == TY_UNKNOWN) {
            // d.get(k, 0) decides as d[k] = 0 would, when no store has
            // decided: `d[k] = d.get(k, 0) + 1` has no store it could wait for.
            if (I->final)
                return infer_dict_undecided(I, call, d);
            if (I->weak_decisions)
                store(I, call, call->args[0]->args[0], d, k->type, dflt->type);
            return NULL;
        }
        bool get = name[0] == 'g';
        if (!get && !store(I, call, call->args[0]->args[0], d, k->type, dflt->type))
            return NULL;
        return key_method(I, call, d, get ? B_DICT_GET : B_DICT_SETDEFAULT, name, 2, 2, d->value);
    }
    if (d->item->kind == TY_UNKNOWN && strcmp(name, "update") != 0)
        return infer_dict_undecided(I, call, d);
    if (strcmp(name, "pop") == 0)
        return key_method(I, call, d, B_DICT_POP, "pop", 2, 1, d->value);
    if (strcmp(name, "__delitem__") == 0)
        return key_method(I, call, d, B_DICT_DELITEM, "__delitem__", 1, 1, ty_none(I->tt));
    if (strcmp(name, "keys") == 0 || strcmp(name, "values") == 0 || strcmp(name, "items") == 0) {
        if (!infer_bind(I, call, name, NULL, 0, 0))
            return NULL;
        FeDictView which = name[0] == 'k' ? DV_KEYS : name[0] == 'v' ? DV_VALUES : DV_ITEMS;
        return builtin(call, B_DICT_VIEW, ty_dict_view(I->tt, d, which));
    }
    if (strcmp(name, "update") == 0) {
        static const char *const names[] = {"other"};
        if (!infer_bind(I, call, "update", names, 1, 1))
            return NULL;
        const Type *o = infer_param(call, 0)->type;
        if (o->kind != TY_DICT)
            return infer_fail(I, call, "dict.update() takes a dict here, not %s", infer_tystr(I, o));
        if (o->item->kind == TY_UNKNOWN)
            return infer_dict_undecided(I, call, o);
        if (d->item->kind == TY_UNKNOWN) {
            if (!decide(I, d, o) && I->final)
                return infer_dict_undecided(I, call, d);
            return NULL;
        }
        if (!store(I, call, call->args[0]->args[0], d, o->item, o->value))
            return NULL;
        return infer_library_method(I, call, "dict.update");
    }
    return infer_fail(I, call, "dict.%s() is not supported", name);
}

static const Type *set_method(Infer *I, Instr *call, const Type *s, const char *name) {
    if (strcmp(name, "add") == 0) {
        static const char *const names[] = {"elem"};
        if (!infer_bind(I, call, "add", names, 1, 1))
            return NULL;
        if (!store(I, call, call->args[0]->args[0], s, infer_param(call, 0)->type, NULL))
            return NULL;
        return builtin(call, B_SET_ADD, ty_none(I->tt));
    }
    if (strcmp(name, "update") == 0) {
        static const char *const names[] = {"iterable"};
        if (!infer_bind(I, call, "update", names, 1, 1))
            return NULL;
        const Type *src = infer_param(call, 0)->type;
        const Type *item = infer_iter_elem(I, src);
        if (!item)
            return ty_is_undecided(src) ? infer_dict_undecided(I, call, src)
                                        : infer_fail(I, call, "%s is not iterable", infer_tystr(I, src));
        if (!store(I, call, call->args[0]->args[0], s, item, NULL))
            return NULL;
        return infer_library_method(I, call, "set.update");
    }
    if (s->item->kind == TY_UNKNOWN)
        return infer_dict_undecided(I, call, s);
    if (strcmp(name, "discard") == 0 || strcmp(name, "remove") == 0) {
        static const char *const names[] = {"elem"};
        if (!infer_bind(I, call, name, names, 1, 1) ||
            !check_key(I, call, call->args[0]->args[0], s, infer_param(call, 0)->type))
            return NULL;
        return builtin(call, name[0] == 'd' ? B_SET_DISCARD : B_SET_REMOVE, ty_none(I->tt));
    }
    if (strcmp(name, "pop") == 0) {
        if (!infer_bind(I, call, "pop", NULL, 0, 0))
            return NULL;
        return builtin(call, B_SET_POP, s->item);
    }
    return infer_fail(I, call, "set.%s() is not supported", name);
}

const Type *infer_dict_method(Infer *I, Instr *call, const Type *m) {
    const Type *t = m->fields[0];
    const char *name = m->name;
    if (strcmp(name, "clear") == 0 || strcmp(name, "copy") == 0) {
        if (t->item->kind == TY_UNKNOWN)
            return infer_dict_undecided(I, call, t);
        if (!infer_bind(I, call, name, NULL, 0, 0))
            return NULL;
        return name[1] == 'l' ? builtin(call, B_DICT_CLEAR, ty_none(I->tt)) : builtin(call, B_DICT_COPY, t);
    }
    return t->kind == TY_SET ? set_method(I, call, t, name) : dict_method(I, call, t, name);
}

/* The methods pyaot knows, for attribute lookup. */
bool infer_dict_has_method(const Type *t, const char *name) {
    static const char *const dict_methods[] = {"get", "setdefault", "pop", "__delitem__", "keys", "values",
                                               "items", "update", "clear", "copy"};
    static const char *const set_methods[] = {"add", "update", "discard", "remove", "pop", "clear", "copy"};
    const char *const *names = t->kind == TY_SET ? set_methods : dict_methods;
    size_t n = t->kind == TY_SET ? sizeof set_methods / sizeof *set_methods
                                 : sizeof dict_methods / sizeof *dict_methods;
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/* ---- equality and set operators ----------------------------------------------- */

const Type *infer_dict_equal(Infer *I, Instr *in) {
    const Type *a = in->args[0]->type, *b = in->args[1]->type;
    if ((in->sub != CMP_EQ && in->sub != CMP_NE) || a->kind != b->kind)
        return infer_fail(I, in, "cannot compare %s and %s with '%s'%s", infer_tystr(I, a), infer_tystr(I, b),
                          fe_compare_op_str(in->sub),
                          a->kind == TY_SET && b->kind == TY_SET ? " (subset tests are not supported)" : "");
    if (ty_is_undecided(a) || ty_is_undecided(b))
        return infer_dict_undecided(I, in, ty_is_undecided(a) ? a : b);
    if (a != b)
        return infer_fail(I, in, "cannot compare %s and %s: their %s differ in type", infer_tystr(I, a),
                          infer_tystr(I, b), a->kind == TY_SET ? "items" : "keys or values");
    if (a->kind == TY_DICT && !(ty_is_number(a->value) || (a->value->kind == TY_TUPLE && ty_is_hashable(a->value))))
        return infer_fail(I, in, "comparing dicts of %s is not supported: values must be numbers or tuples of "
                                 "numbers", infer_tystr(I, a->value));
    int argmap[2] = {0, 1};
    const Type *argtypes[2] = {a, b};
    const char *fn = a->kind == TY_SET ? (in->sub == CMP_EQ ? "set.__eq__" : "set.__ne__")
                                       : (in->sub == CMP_EQ ? "dict.__eq__" : "dict.__ne__");
    return infer_library_call(I, in, fn, argtypes, argmap, 2);
}


const Type *infer_set_binary(Infer *I, Instr *in) {
    const Type *a = in->args[0]->type, *b = in->args[1]->type;
    int op = in->sub % FE_NB_INPLACE;
    const char *fn = op == NB_OR ? "set.__or__" : op == NB_AND ? "set.__and__" : op == NB_SUBTRACT ? "set.__sub__"
                                                                                                    : NULL;
    if (!fn || a->kind != TY_SET || b->kind != TY_SET || in->sub >= FE_NB_INPLACE)
        return infer_fail(I, in, "%s on %s and %s is not supported (sets support |, & and -)",
                          fe_binary_op_str(in->sub), infer_tystr(I, a), infer_tystr(I, b));
    if (a->item->kind == TY_UNKNOWN || b->item->kind == TY_UNKNOWN)
        return infer_dict_undecided(I, in, a->item->kind == TY_UNKNOWN ? a : b);
    if (a != b)
        return infer_fail(I, in, "cannot combine %s and %s: their items differ in type", infer_tystr(I, a),
                          infer_tystr(I, b));
    int argmap[2] = {0, 1};
    const Type *argtypes[2] = {a, b};
    return infer_library_call(I, in, fn, argtypes, argmap, 2);
}
