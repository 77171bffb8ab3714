/* Typing of lists: displays, indexing, operators and methods.
 *
 * A list has one item type (Numba's reflected list). An empty display has
 * none yet: its type is "undecided", tied to the display that made it, and
 * the first operation that puts an item in (append, insert, extend, item
 * assignment) decides it, as Numba's first append does. The decision is
 * kept on the display (its optype), so the next pass types the display
 * itself, and block parameters widen from the undecided list to the
 * decided one. The primitives (len, indexing, append, pop, insert, slices)
 * are compiled directly (lower/list.c); the rest are pyaot's library code
 * (lib/lists_impl.py), specialised where called. */
#include "infer.h"

#include <string.h>

static Instr *origin_of(const Type *list) {
    return (Instr *)list->origin;
}

/* "list 'x'" or "this list", for messages. */
static const char *list_label(Infer *I, const Type *list) {
    const Instr *o = list->origin ? origin_of(list) : NULL;
    if (o && o->name)
        return arena_printf(I->b->arena, "list '%s'", o->name);
    return "this list";
}

const Type *infer_list_undecided(Infer *I, const Instr *in, const Type *list) {
    if (!I->final)
        return NULL;
    const Instr *o = list->origin ? origin_of(list) : NULL;
    return infer_fail(I, in,
                      "the item type of %s%s%s is not known here: give it items first (its first append, "
                      "insert, extend or item assignment decides it), or start it with an item",
                      list_label(I, list), o ? arena_printf(I->b->arena, " (made at line %d)", o->pos.line) : "",
                      "");
}

bool infer_list_decide(Infer *I, const Type *list, const Type *item) {
    if (list->kind != TY_LIST || list->item->kind != TY_UNKNOWN)
        return false;
    if (item->kind == TY_UNKNOWN || !ty_is_runtime(item) || item->kind == TY_RANGE || item->kind == TY_SLICE ||
        item->kind == TY_ITER || item->kind == TY_ENUMERATE || item->kind == TY_ZIP || item->kind == TY_NONE)
        return false;
    Instr *o = origin_of(list);
    if (!o || o->optype)
        return false;
    o->optype = item;
    I->decided = true;
    return true;
}

bool infer_item_fits(TypeTable *tt, const Type *item, const Type *to) {
    if (item == to)
        return true;
    if (ty_is_number(item) && ty_is_number(to))
        return ty_unify(tt, item, to) == to || (ty_is_integer(item) && to->kind != TY_BOOL);
    return ty_can_convert(item, to);
}

static const Type *store_fail(Infer *I, Instr *in, const Type *list, const Type *item) {
    return infer_fail(I, in, "cannot put %s into %s: a list holds items of one type (make the first item a %s, "
                             "or convert with %s(x))",
                      infer_tystr(I, item), infer_tystr(I, list), infer_tystr(I, item), infer_tystr(I, list->item));
}

/* Settles the item a store puts into `list`: decides an undecided list,
 * checks a decided one. NULL (waiting or failed) otherwise. */
static const Type *store_item(Infer *I, Instr *in, const Type *list, const Type *item) {
    if (list->item->kind == TY_UNKNOWN) {
        if (!infer_list_decide(I, list, item) && I->final)
            return infer_fail(I, in, "a list cannot hold %s", infer_tystr(I, item));
        return NULL; // typed in the next pass
    }
    if (!infer_item_fits(I->tt, item, list->item))
        return store_fail(I, in, list, item);
    return list->item;
}

static bool storable(const Type *t) {
    return ty_is_runtime(t) && t->kind != TY_RANGE && t->kind != TY_SLICE && t->kind != TY_ITER &&
           t->kind != TY_ENUMERATE && t->kind != TY_ZIP && t->kind != TY_NONE && t->kind != TY_DICT_VIEW;
}

const Type *infer_build_list(Infer *I, Instr *in) {
    if (in->nargs == 0) {
        if (in->optype)
            return ty_list(I->tt, in->optype);
        const Type *t = ty_list_undecided(I->tt, in);
        if (I->final)
            return infer_fail(I, in,
                              "the item type of %s is never decided: append an item to it (its first append "
                              "decides the type, as in Numba), or start it with one",
                              in->name ? arena_printf(I->b->arena, "the empty list '%s'", in->name)
                                       : "this empty list");
        return t;
    }
    const Type *u = NULL;
    for (int i = 0; i < in->nargs; i++) {
        const Type *t = in->args[i]->type;
        if (!storable(t))
            return infer_fail(I, in, "a list cannot hold %s", infer_tystr(I, t));
        const Type *next = u ? ty_unify(I->tt, u, t) : t;
        if (!next)
            return infer_fail(I, in, "a list holds items of one type, but this one mixes %s and %s%s",
                              infer_tystr(I, u ? u : t), infer_tystr(I, t),
                              storable(t) ? "" : " (which a list cannot hold)");
        u = next;
    }
    in->optype = u;
    return ty_list(I->tt, u);
}

/* ---- indexing -------------------------------------------------------------- */

const Type *infer_list_getitem(Infer *I, Instr *in) {
    const Type *l = in->args[0]->type, *idx = in->args[1]->type;
    if (l->item->kind == TY_UNKNOWN)
        return infer_list_undecided(I, in, l);
    if (idx->kind == TY_SLICE)
        return l;
    if (!ty_is_integer(idx))
        return infer_fail(I, in, "list indices must be integers or slices, not %s", infer_tystr(I, idx));
    return l->item;
}

const Type *infer_list_setitem(Infer *I, Instr *in) {
    const Type *l = in->args[0]->type, *idx = in->args[1]->type, *v = in->args[2]->type;
    if (idx->kind == TY_SLICE)
        return infer_fail(I, in, "assigning to a slice of a list is not supported: assign the items one by one");
    if (!ty_is_integer(idx))
        return infer_fail(I, in, "list indices must be integers, not %s", infer_tystr(I, idx));
    if (!store_item(I, in, l, v))
        return NULL;
    return ty_none(I->tt);
}

/* ---- methods ----------------------------------------------------------------- */

static const Type *builtin(Instr *call, Builtin b, const Type *t) {
    call->resolved = RES_BUILTIN;
    call->builtin = b;
    return t;
}

static Instr *method_arg(Instr *call, int i) {
    return infer_param(call, i);
}

const Type *infer_list_method(Infer *I, Instr *call, const Type *m) {
    const Type *l = m->fields[0];
    const char *name = m->name;
    if (strcmp(name, "append") == 0) {
        static const char *const names[] = {"object"};
        if (!infer_bind(I, call, "append", names, 1, 1))
            return NULL;
        if (!store_item(I, call, l, method_arg(call, 0)->type))
            return NULL;
        return builtin(call, B_LIST_APPEND, ty_none(I->tt));
    }
    if (strcmp(name, "insert") == 0) {
        static const char *const names[] = {"index", "object"};
        if (!infer_bind(I, call, "insert", names, 2, 2))
            return NULL;
        if (!ty_is_integer(method_arg(call, 0)->type))
            return infer_fail(I, call, "list.insert() index must be an integer, not %s",
                              infer_tystr(I, method_arg(call, 0)->type));
        if (!store_item(I, call, l, method_arg(call, 1)->type))
            return NULL;
        return builtin(call, B_LIST_INSERT, ty_none(I->tt));
    }
    if (strcmp(name, "extend") == 0) {
        static const char *const names[] = {"iterable"};
        if (!infer_bind(I, call, "extend", names, 1, 1))
            return NULL;
        const Type *src = method_arg(call, 0)->type;
        const Type *item = src->kind == TY_LIST ? src->item : infer_iter_elem(I, src);
        if (!item)
            return infer_fail(I, call, "%s is not iterable", infer_tystr(I, src));
        if (item->kind == TY_UNKNOWN)
            return infer_list_undecided(I, call, src);
        if (!store_item(I, call, l, item))
            return NULL;
        if (src == l)
            return builtin(call, B_LIST_EXTEND, ty_none(I->tt));
        return infer_library_method(I, call, "list.extend");
    }
    if (l->item->kind == TY_UNKNOWN)
        return infer_list_undecided(I, call, l);
    if (strcmp(name, "pop") == 0) {
        static const char *const names[] = {"index"};
        if (!infer_bind(I, call, "pop", names, 1, 0))
            return NULL;
        if (method_arg(call, 0) && !ty_is_integer(method_arg(call, 0)->type))
            return infer_fail(I, call, "list.pop() index must be an integer, not %s",
                              infer_tystr(I, method_arg(call, 0)->type));
        return builtin(call, B_LIST_POP, l->item);
    }
    if (strcmp(name, "clear") == 0 || strcmp(name, "copy") == 0 || strcmp(name, "reverse") == 0) {
        if (!infer_bind(I, call, name, NULL, 0, 0))
            return NULL;
        Builtin b = name[1] == 'l' ? B_LIST_CLEAR : name[0] == 'c' ? B_LIST_COPY : B_LIST_REVERSE;
        return builtin(call, b, b == B_LIST_COPY ? l : ty_none(I->tt));
    }
    if (strcmp(name, "__delitem__") == 0) {
        static const char *const names[] = {"index"};
        if (!infer_bind(I, call, "__delitem__", names, 1, 1))
            return NULL;
        const Type *idx = method_arg(call, 0)->type;
        if (!ty_is_integer(idx) && idx->kind != TY_SLICE)
            return infer_fail(I, call, "list indices must be integers or slices, not %s", infer_tystr(I, idx));
        return builtin(call, B_LIST_DELITEM, ty_none(I->tt));
    }
    if (strcmp(name, "index") == 0 || strcmp(name, "count") == 0 || strcmp(name, "remove") == 0) {
        Instr *x = call->nargs > 1 ? call->args[1] : NULL;
        if (x && !infer_list_comparable(I, call, l, x->type))
            return NULL;
        return infer_library_method(I, call, arena_printf(I->b->arena, "list.%s", name));
    }
    if (strcmp(name, "sort") == 0) {
        if (!infer_list_orderable(I, call, l))
            return NULL;
        return infer_library_method(I, call, "list.sort");
    }
    return infer_fail(I, call, "list.%s() is not supported", name);
}

/* ---- comparisons and operators ------------------------------------------------ */

bool infer_list_comparable(Infer *I, Instr *in, const Type *l, const Type *x) {
    const Type *item = l->item;
    bool ok = (ty_is_number(item) && ty_is_number(x)) ||
              (item->kind == TY_TUPLE && x->kind == TY_TUPLE && item->nfields == x->nfields && !ty_is_refcounted(item) &&
               !ty_is_refcounted(x));
    if (!ok)
        infer_fail(I, in, "cannot compare the items of %s with %s", infer_tystr(I, l), infer_tystr(I, x));
    return ok;
}

bool infer_list_orderable(Infer *I, Instr *in, const Type *l) {
    if (ty_is_number(l->item) && l->item->kind != TY_COMPLEX)
        return true;
    infer_fail(I, in, "sorting %s is not supported: items must be real numbers", infer_tystr(I, l));
    return false;
}

const Type *infer_list_compare(Infer *I, Instr *in) {
    const Type *a = in->args[0]->type, *b = in->args[1]->type;
    if (in->sub == CMP_IN || in->sub == CMP_NOT_IN) {
        if (b->item->kind == TY_UNKNOWN)
            return infer_list_undecided(I, in, b);
        if (!infer_list_comparable(I, in, b, a))
            return NULL;
        int argmap[2] = {1, 0};
        const Type *argtypes[2] = {b, a};
        const char *fn = in->sub == CMP_IN ? "list.__contains__" : "list.__not_contains__";
        return infer_library_call(I, in, fn, argtypes, argmap, 2);
    }
    if ((in->sub == CMP_EQ || in->sub == CMP_NE) && a->kind == TY_LIST && b->kind == TY_LIST) {
        if (a->item->kind == TY_UNKNOWN || b->item->kind == TY_UNKNOWN)
            return infer_list_undecided(I, in, a->item->kind == TY_UNKNOWN ? a : b);
        if (!infer_list_comparable(I, in, a, b->item))
            return NULL;
        int argmap[2] = {0, 1};
        const Type *argtypes[2] = {a, b};
        return infer_library_call(I, in, in->sub == CMP_EQ ? "list.__eq__" : "list.__ne__", argtypes, argmap, 2);
    }
    return infer_fail(I, in, "cannot compare %s and %s with '%s'", infer_tystr(I, a), infer_tystr(I, b),
                      fe_compare_op_str(in->sub));
}

const Type *infer_list_binary(Infer *I, Instr *in) {
    const Type *a = in->args[0]->type, *b = in->args[1]->type;
    int op = in->sub % FE_NB_INPLACE;
    bool inplace = in->sub >= FE_NB_INPLACE;
    if (op == NB_ADD && a->kind == TY_LIST && b->kind == TY_LIST) {
        if (inplace) { // a += b extends a
            if (b->item->kind == TY_UNKNOWN)
                return infer_list_undecided(I, in, b);
            if (!store_item(I, in, a, b->item))
                return NULL;
            if (a != b)
                return infer_fail(I, in, "cannot extend %s by %s: the items differ in type", infer_tystr(I, a),
                                  infer_tystr(I, b));
            in->optype = a;
            return a;
        }
        if (a->item->kind == TY_UNKNOWN || b->item->kind == TY_UNKNOWN)
            return infer_list_undecided(I, in, a->item->kind == TY_UNKNOWN ? a : b);
        if (a != b)
            return infer_fail(I, in, "cannot concatenate %s and %s: the items differ in type", infer_tystr(I, a),
                              infer_tystr(I, b));
        in->optype = a;
        return a;
    }
    if (op == NB_MULTIPLY && ((a->kind == TY_LIST && ty_is_integer(b)) || (b->kind == TY_LIST && ty_is_integer(a)))) {
        const Type *l = a->kind == TY_LIST ? a : b;
        if (l->item->kind == TY_UNKNOWN)
            return infer_list_undecided(I, in, l);
        in->optype = l;
        return l;
    }
    return infer_fail(I, in, "cannot %s %s and %s", op == NB_ADD ? "add" : op == NB_MULTIPLY ? "multiply" : "combine",
                      infer_tystr(I, a), infer_tystr(I, b));
}
