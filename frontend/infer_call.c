/* Typing of globals, attributes and calls: the builtins pyaot knows (their
 * rules follow Numba's), methods of arrays and complex numbers, and calls to
 * the user's own functions, which are specialised for the argument types. */
#include "infer.h"

#include <string.h>

static const Type *user_call(Infer *I, Instr *call, FeFunction *fn, bool receiver);
static const Type *specialize_call(Infer *I, Instr *call, FeFunction *fn, const Type **argtypes,
                                   const FeConst **consts, int nparams);

const Type *infer_const_type(Infer *I, const Instr *in, const FeConst *c) {
    switch (c->kind) {
    case FE_CONST_NONE: case FE_CONST_BOOL: case FE_CONST_INT: case FE_CONST_UINT: case FE_CONST_FLOAT:
    case FE_CONST_COMPLEX: case FE_CONST_STR:
        return ty_of_const(I->tt, c);
    case FE_CONST_TUPLE: {
        const Type **fields = ARENA_ARRAY(I->b->arena, const Type *, c->nitems > 0 ? c->nitems : 1);
        for (int i = 0; i < c->nitems; i++) {
            fields[i] = infer_const_type(I, in, c->items[i]);
            if (!fields[i])
                return NULL;
        }
        return ty_tuple(I->tt, fields, c->nitems);
    }
    case FE_CONST_BIGINT:
        return infer_fail(I, in, "integer constant %s does not fit in 64 bits", c->s);
    case FE_CONST_ELLIPSIS:
        return ty_simple(I->tt, TY_ELLIPSIS);
    case FE_CONST_CODE: // read by MAKE_FUNCTION only, at compile time
        if (c->code)
            return ty_simple(I->tt, TY_NULL);
        return infer_fail(I, in, "this nested function's code was not loaded");
    case FE_CONST_OTHER:
        return infer_fail(I, in, "constants of type %s are not supported", c->s);
    }
    return NULL;
}

const Type *infer_global(Infer *I, Instr *in) {
    const FeGlobal *g = in->global;
    switch (g->kind) {
    case FE_GLOBAL_MODULE:
        return ty_named(I->tt, TY_MODULE, g->name);
    case FE_GLOBAL_LIBRARY: {
        Builtin b = fe_builtin_lookup(g->name);
        FeFunction *lib = fe_library_lookup(I->b, g->name);
        if (b == B_NONE && lib)
            return ty_intern(I->tt, &(Type){.kind = TY_FUNCTION, .func = lib});
        if (b == B_NONE)
            return infer_fail(I, in, "'%s' (%s) is not supported in compiled code", in->name, g->name);
        return ty_intern(I->tt, &(Type){.kind = TY_LIBRARY, .builtin = b});
    }
    case FE_GLOBAL_FUNCTION:
        return ty_intern(I->tt, &(Type){.kind = TY_FUNCTION, .func = g->func});
    case FE_GLOBAL_CONST:
        return infer_const_type(I, in, g->value);
    case FE_GLOBAL_EXCEPTION:
        return ty_named(I->tt, TY_EXC_CLASS, g->name);
    case FE_GLOBAL_ARRAY: {
        FeSigText text = {.text = g->array->dtype, .pos = in->pos};
        const Type *dt = fe_parse_type(I->tt, I->b->diag, &text);
        return ty_array(I->tt, dt, g->array->ndim, 'C');
    }
    case FE_GLOBAL_UNDEFINED:
        return infer_fail(I, in, "name '%s' is not defined", in->name);
    case FE_GLOBAL_OTHER:
        return infer_fail(I, in, "global '%s' is %s, which compiled code cannot use", in->name, g->name);
    }
    return NULL;
}

/* Constants reached as module attributes (math.pi). */
static bool library_constant(Builtin b, double *value) {
    switch (b) {
    case B_MATH_PI: case B_NP_PI: *value = 3.141592653589793; return true;
    case B_MATH_E: case B_NP_E: *value = 2.718281828459045; return true;
    case B_MATH_TAU: *value = 6.283185307179586; return true;
    case B_MATH_INF: case B_NP_INF: *value = __builtin_inf(); return true;
    case B_MATH_NAN: case B_NP_NAN: *value = __builtin_nan(""); return true;
    default: return false;
    }
}

static const Type *const_float(Infer *I, Instr *in, double value) {
    in->resolved = RES_CONST_VALUE;
    in->cst = ARENA_NEW(I->b->arena, FeConst);
    in->cst->kind = FE_CONST_FLOAT;
    in->cst->f = value;
    return ty_float64(I->tt);
}

static const Type *const_int(Infer *I, Instr *in, int64_t value) {
    in->resolved = RES_CONST_VALUE;
    in->cst = ARENA_NEW(I->b->arena, FeConst);
    in->cst->kind = FE_CONST_INT;
    in->cst->i = value;
    return ty_int64(I->tt);
}

static const Type *method(Infer *I, const Type *recv, const char *name) {
    const Type *fields[1] = {recv};
    return ty_intern(I->tt, &(Type){.kind = TY_METHOD, .fields = fields, .nfields = 1, .name = name});
}

static int dtype_size(const Type *t) {
    switch (t->kind) {
    case TY_BOOL: return 1;
    case TY_INT: case TY_FLOAT: case TY_COMPLEX: return t->bits / 8;
    default: return 0;
    }
}

/* Whether the library implements something in module `qual` (numpy.linalg). */
static bool library_has_module(const FeBuild *b, const char *qual) {
    size_t n = strlen(qual);
    for (int i = 0; i < b->library.len; i++)
        if (strncmp(b->library.data[i].name, qual, n) == 0 && b->library.data[i].name[n] == '.')
            return true;
    return false;
}

const Type *infer_getattr(Infer *I, Instr *in) {
    const Type *t = in->args[0]->type;
    const char *name = in->name;
    if (in->sub == FE_ATTR_ASSIGNED &&
        (t->kind != TY_ARRAY || (strcmp(name, "real") != 0 && strcmp(name, "imag") != 0)))
        return infer_fail(I, in, "assigning to attribute '%s' of %s is not supported: only an array's .real and "
                                 ".imag can be assigned",
                          name, infer_tystr(I, t));
    if (t->kind == TY_MODULE) {
        const char *qual = arena_printf(I->b->arena, "%s.%s", t->name, name);
        Builtin b = fe_builtin_lookup(qual);
        FeFunction *lib = fe_library_lookup(I->b, qual);
        if (b == B_NONE && lib)
            return ty_intern(I->tt, &(Type){.kind = TY_FUNCTION, .func = lib});
        if (b == B_NONE && library_has_module(I->b, qual)) // np.linalg, for np.linalg.norm
            return ty_named(I->tt, TY_MODULE, qual);
        if (b == B_NONE)
            return infer_fail(I, in, "%s is not supported in compiled code", qual);
        double value;
        if (library_constant(b, &value))
            return const_float(I, in, value);
        if (b == B_NP_NEWAXIS) {
            in->resolved = RES_CONST_VALUE;
            in->cst = ARENA_NEW(I->b->arena, FeConst);
            in->cst->kind = FE_CONST_NONE;
            return ty_none(I->tt);
        }
        return ty_intern(I->tt, &(Type){.kind = TY_LIBRARY, .builtin = b});
    }
    if (t->kind == TY_ARRAY) {
        in->resolved = RES_ATTR;
        if (strcmp(name, "shape") == 0)
            return ty_unituple(I->tt, ty_int64(I->tt), t->ndim);
        if (strcmp(name, "strides") == 0)
            return ty_unituple(I->tt, ty_int64(I->tt), t->ndim);
        if (strcmp(name, "size") == 0)
            return ty_int64(I->tt);
        if (strcmp(name, "ndim") == 0)
            return const_int(I, in, t->ndim);
        if (strcmp(name, "itemsize") == 0)
            return const_int(I, in, dtype_size(t->dtype));
        if (strcmp(name, "nbytes") == 0)
            return ty_int64(I->tt);
        if (strcmp(name, "dtype") == 0)
            return ty_wrap(I->tt, TY_DTYPE, t->dtype);
        if (strcmp(name, "real") == 0 || strcmp(name, "imag") == 0)
            return infer_part_type(I, t, name[0] == 'i');
        if (strcmp(name, "T") == 0) {
            char layout = t->layout == 'C' ? 'F' : t->layout == 'F' ? 'C' : 'A';
            if (t->ndim == 1)
                layout = t->layout;
            return ty_array(I->tt, t->dtype, t->ndim, layout);
        }
        in->resolved = RES_NONE;
        if (strcmp(name, "copy") == 0 || strcmp(name, "fill") == 0 || strcmp(name, "sum") == 0 ||
            strcmp(name, "prod") == 0 || strcmp(name, "mean") == 0 || strcmp(name, "min") == 0 ||
            strcmp(name, "max") == 0 || strcmp(name, "astype") == 0 || strcmp(name, "reshape") == 0 ||
            strcmp(name, "ravel") == 0 || strcmp(name, "flatten") == 0 || strcmp(name, "transpose") == 0 ||
            strcmp(name, "conj") == 0 || strcmp(name, "conjugate") == 0 ||
            fe_library_lookup(I->b, arena_printf(I->b->arena, "ndarray.%s", name)))
            return method(I, t, name);
        return infer_fail(I, in, "attribute '%s' of %s is not supported", name, infer_tystr(I, t));
    }
    if (ty_is_number(t)) {
        if (strcmp(name, "real") == 0 || strcmp(name, "imag") == 0) {
            in->resolved = RES_ATTR;
            if (t->kind == TY_COMPLEX)
                return ty_float(I->tt, t->bits / 2);
            return t->kind == TY_BOOL ? ty_int64(I->tt) : t;
        }
        if (strcmp(name, "conjugate") == 0)
            return method(I, t, name);
        return infer_fail(I, in, "%s has no attribute '%s'", infer_tystr(I, t), name);
    }
    if (t->kind == TY_DTYPE) {
        if (strcmp(name, "itemsize") == 0)
            return const_int(I, in, dtype_size(t->dtype));
        if (strcmp(name, "type") == 0)
            return t;
    }
    if (t->kind == TY_LIST) {
        static const char *const methods[] = {"append", "insert", "extend", "pop", "clear", "copy", "reverse",
                                              "__delitem__", "index", "count", "remove", "sort"};
        for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
            if (strcmp(name, methods[i]) == 0)
                return method(I, t, name);
        return infer_fail(I, in, "list has no attribute '%s' pyaot supports", name);
    }
    if (t->kind == TY_DICT || t->kind == TY_SET) {
        if (infer_dict_has_method(t, name))
            return method(I, t, name);
        return infer_fail(I, in, "%s.%s() is not supported%s", t->kind == TY_SET ? "set" : "dict", name,
                          t->kind == TY_SET ? " (sets support add, update, discard, remove, pop, clear, copy)"
                                            : " (dicts support get, setdefault, pop, keys, values, items, "
                                              "update, clear, copy)");
    }
    return infer_fail(I, in, "%s has no attribute '%s' pyaot supports", infer_tystr(I, t), name);
}

/* ---- argument binding ---------------------------------------------------- */

/* Binds call arguments to the parameter names of a builtin: argmap[i] is the
 * index in call->args of parameter i, or -1 when not given. */
bool infer_bind(Infer *I, Instr *call, const char *fname, const char *const *names, int nparams,
                 int nrequired) {
    int npos = call->nargs - 1 - call->nkw;
    if (npos > nparams) {
        infer_fail(I, call, "%s() takes at most %d arguments (%d given)", fname, nparams, npos);
        return false;
    }
    call->argmap = ARENA_ARRAY(I->b->arena, int, nparams > 0 ? nparams : 1);
    call->nargmap = nparams;
    for (int i = 0; i < nparams; i++)
        call->argmap[i] = i < npos ? i + 1 : -1;
    for (int k = 0; k < call->nkw; k++) {
        const char *kw = call->kwnames[k];
        int p = -1;
        for (int i = 0; i < nparams; i++)
            if (strcmp(names[i], kw) == 0)
                p = i;
        if (p < 0) {
            infer_fail(I, call, "%s() got an unexpected keyword argument '%s'", fname, kw);
            return false;
        }
        if (call->argmap[p] != -1) {
            infer_fail(I, call, "%s() got multiple values for argument '%s'", fname, kw);
            return false;
        }
        call->argmap[p] = 1 + npos + k;
    }
    for (int i = 0; i < nrequired; i++)
        if (call->argmap[i] == -1) {
            infer_fail(I, call, "%s() missing required argument '%s' (pos %d)", fname, names[i], i + 1);
            return false;
        }
    return true;
}

Instr *infer_param(Instr *call, int i) {
    return i < call->nargmap && call->argmap[i] > 0 ? call->args[call->argmap[i]] : NULL;
}

/* All positional, no keywords: for the variadic builtins. */
static bool positional_only(Infer *I, Instr *call, const char *fname) {
    if (call->nkw) {
        infer_fail(I, call, "%s() does not take keyword arguments here", fname);
        return false;
    }
    return true;
}

static const Type *resolved(Instr *call, Builtin b, const Type *t) {
    if (t) {
        call->resolved = RES_BUILTIN;
        call->builtin = b;
    }
    return t;
}

/* ---- dtypes -------------------------------------------------------------- */

const Type *infer_dtype_of(Infer *I, const Instr *v) {
    const Type *t = v->type;
    if (t->kind == TY_DTYPE)
        return t->dtype;
    if (t->kind == TY_LIBRARY)
        return fe_builtin_scalar_type(I->tt, t->builtin);
    if (t->kind == TY_STR) {
        static const char *const names[] = {
            "bool", "bool_", "b1", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
            "uint64", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "float32", "float64", "f4",
            "f8", "complex64", "complex128", "c8", "c16", "intp", "uintp", "float", "int", "complex"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(names[i], t->name) == 0) {
                if (strcmp(t->name, "float") == 0)
                    return ty_float64(I->tt);
                if (strcmp(t->name, "int") == 0)
                    return ty_int64(I->tt);
                if (strcmp(t->name, "complex") == 0)
                    return ty_complex(I->tt, 128);
                FeSigText text = {.text = t->name, .pos = v->pos};
                return fe_parse_type(I->tt, I->b->diag, &text);
            }
    }
    return NULL;
}

/* The dtype argument of an array constructor; `fallback` when omitted. */
static const Type *dtype_arg(Infer *I, Instr *call, Instr *arg, const Type *fallback) {
    if (!arg || arg->type->kind == TY_NONE)
        return fallback;
    const Type *dt = infer_dtype_of(I, arg);
    if (!dt)
        return infer_fail(I, call, "dtype must be a numpy scalar type such as np.float64, not %s",
                          infer_tystr(I, arg->type));
    return dt;
}

/* The number of dimensions a shape argument gives: an int, or a tuple of ints. */
static int shape_ndim(Infer *I, Instr *call, Instr *shape) {
    const Type *t = shape->type;
    if (ty_is_integer(t) && t->kind != TY_BOOL)
        return 1;
    if (t->kind == TY_TUPLE) {
        for (int i = 0; i < t->nfields; i++)
            if (t->fields[i]->kind != TY_INT) {
                infer_fail(I, call, "array shape entries must be integers, not %s", infer_tystr(I, t->fields[i]));
                return -1;
            }
        if (t->nfields == 0) {
            infer_fail(I, call, "0-dimensional arrays are not supported");
            return -1;
        }
        return t->nfields;
    }
    infer_fail(I, call, "array shape must be an int or a tuple of ints, not %s", infer_tystr(I, t));
    return -1;
}

/* ---- builtins ------------------------------------------------------------ */

static const Type *float_of(Infer *I, const Type *t) {
    // Numba's math rules: float32 stays float32, everything else is float64.
    return t->kind == TY_FLOAT && t->bits == 32 ? t : ty_float64(I->tt);
}

static bool is_real(const Type *t) {
    return t->kind == TY_BOOL || t->kind == TY_INT || t->kind == TY_FLOAT;
}

static const Type *need_real(Infer *I, Instr *call, const char *fname, const Type *t) {
    if (is_real(t))
        return t;
    if (t->kind == TY_COMPLEX)
        return infer_fail(I, call, "%s() does not accept complex arguments", fname);
    return infer_fail(I, call, "%s() needs a number, not %s", fname, infer_tystr(I, t));
}

static const Type *unary_math(Infer *I, Instr *call, Builtin b, const char *fname) {
    static const char *const names[] = {"x"};
    if (!infer_bind(I, call, fname, names, 1, 1))
        return NULL;
    const Type *t = need_real(I, call, fname, infer_param(call, 0)->type);
    if (!t)
        return NULL;
    call->optype = float_of(I, t);
    return resolved(call, b, call->optype);
}

static const Type *binary_math(Infer *I, Instr *call, Builtin b, const char *fname) {
    static const char *const names[] = {"x", "y"};
    if (!infer_bind(I, call, fname, names, 2, 2))
        return NULL;
    const Type *x = need_real(I, call, fname, infer_param(call, 0)->type);
    const Type *y = x ? need_real(I, call, fname, infer_param(call, 1)->type) : NULL;
    if (!y)
        return NULL;
    bool single = x->kind == TY_FLOAT && x->bits == 32 && y->kind == TY_FLOAT && y->bits == 32;
    call->optype = single ? x : ty_float64(I->tt);
    return resolved(call, b, call->optype);
}

static const Type *predicate(Infer *I, Instr *call, Builtin b, const char *fname) {
    static const char *const names[] = {"x"};
    if (!infer_bind(I, call, fname, names, 1, 1))
        return NULL;
    const Type *t = infer_param(call, 0)->type;
    if (!ty_is_number(t))
        return infer_fail(I, call, "%s() needs a number, not %s", fname, infer_tystr(I, t));
    call->optype = t;
    return resolved(call, b, ty_bool(I->tt));
}

/* min/max: of several numbers, or of one iterable (1-D array, tuple). */
static const Type *min_max(Infer *I, Instr *call, Builtin b, const char *fname) {
    if (!positional_only(I, call, fname))
        return NULL;
    int n = call->nargs - 1;
    if (n == 0)
        return infer_fail(I, call, "%s expected at least 1 argument, got 0", fname);
    if (n == 1) {
        const Type *t = call->args[1]->type;
        if (t->kind == TY_LIST) {
            if (t->item->kind == TY_UNKNOWN)
                return infer_list_undecided(I, call, t);
            if (!infer_list_orderable(I, call, t))
                return NULL;
            int argmap[1] = {1};
            return infer_library_call(I, call, b == B_MIN ? "list.__min__" : "list.__max__", &t, argmap, 1);
        }
        if (t->kind == TY_DICT || t->kind == TY_SET || t->kind == TY_DICT_VIEW) {
            const Type *item = infer_iter_elem(I, t);
            if (!item)
                return infer_dict_undecided(I, call, t);
            if (!ty_is_number(item) || item->kind == TY_COMPLEX)
                return infer_fail(I, call, "%s() of %s is not supported: items must be real numbers", fname,
                                  infer_tystr(I, t));
            int argmap[1] = {1};
            return infer_library_call(I, call, b == B_MIN ? "dict.__min__" : "dict.__max__", &t, argmap, 1);
        }
        if (t->kind == TY_ARRAY && t->ndim == 1 && is_real(t->dtype)) {
            call->optype = t->dtype;
            return resolved(call, b, t->dtype);
        }
        if (t->kind == TY_TUPLE && t->nfields > 0) {
            const Type *u = t->fields[0];
            for (int i = 0; i < t->nfields && u; i++)
                u = is_real(t->fields[i]) ? ty_unify(I->tt, u, t->fields[i]) : NULL;
            if (!u)
                return infer_fail(I, call, "%s() of %s: items must be real numbers", fname, infer_tystr(I, t));
            call->optype = u;
            return resolved(call, b, u);
        }
        return infer_fail(I, call, "%s() of one argument needs a 1-D array or a tuple, not %s", fname,
                          infer_tystr(I, t));
    }
    const Type *u = NULL;
    for (int i = 1; i <= n; i++) {
        const Type *t = call->args[i]->type;
        if (!is_real(t))
            return infer_fail(I, call, "%s() arguments must be real numbers, not %s", fname, infer_tystr(I, t));
        u = u ? ty_unify(I->tt, u, t) : t;
    }
    call->optype = u;
    return resolved(call, b, u);
}

/* How many times `v` is read in the function. */
static int uses_of(const Func *f, const Instr *v) {
    int n = 0;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *b = f->blocks.data[bi];
        for (int ii = 0; ii < b->instrs.len; ii++) {
            const Instr *in = b->instrs.data[ii];
            for (int a = 0; a < in->nargs; a++)
                n += in->args[a] == v;
            for (int e = 0; e < in->nsucc; e++)
                for (int a = 0; a < in->succ[e].nargs; a++)
                    n += in->succ[e].args[a] == v;
        }
    }
    return n;
}

/* A list display read once (np.array([[1, 2], [3, x]])) is made a tuple,
 * with the displays inside it: the array is then made straight from the
 * items, with no list on the way. */
static bool display_as_tuple(Infer *I, Instr *v) {
    if (v->op != OP_BUILD_LIST || v->nargs == 0 || uses_of(I->f, v) != 1)
        return false;
    for (int i = 0; i < v->nargs; i++)
        display_as_tuple(I, v->args[i]);
    v->op = OP_BUILD_TUPLE;
    v->optype = NULL;
    I->decided = true; // typed again in the next pass
    return true;
}

/* np.array(list): a list of numbers (1-D), or of equal-length lists, tuples
 * or 1-D arrays (2-D), made by the library code. */
static const Type *array_of_list(Infer *I, Instr *call, const char *fname, Instr *list, Instr *dtype) {
    if (display_as_tuple(I, list))
        return NULL;
    const Type *t = list->type, *item = t->item;
    if (item->kind == TY_UNKNOWN)
        return infer_list_undecided(I, call, t);
    FeOperand ops[64];
    int nops = 0, ndim = 1;
    if (ty_is_number(item)) {
        ops[nops++] = (FeOperand){.dtype = item};
    } else if (item->kind == TY_LIST && ty_is_number(item->item)) {
        ops[nops++] = (FeOperand){.dtype = item->item};
        ndim = 2;
    } else if (item->kind == TY_ARRAY && item->ndim == 1) {
        ops[nops++] = (FeOperand){.dtype = item->dtype, .is_array = true};
        ndim = 2;
    } else if (item->kind == TY_TUPLE && item->nfields > 0 && item->nfields <= 64 && ty_tuple_item(I->tt, item)) {
        for (int i = 0; i < item->nfields; i++) {
            if (!ty_is_number(item->fields[i]))
                return infer_fail(I, call, "%s() of %s: items must be numbers", fname, infer_tystr(I, t));
            ops[nops++] = (FeOperand){.dtype = item->fields[i]};
        }
        ndim = 2;
    } else {
        return infer_fail(I, call, "%s() of %s is not supported: it takes a list of numbers, or of equal-length "
                                   "lists, tuples (of one item type) or 1-D arrays", fname, infer_tystr(I, t));
    }
    const Type *dt = dtype_arg(I, call, dtype, fe_result_type(I->tt, ops, nops));
    if (!dt)
        return NULL;
    const Type *argtypes[2] = {t, ty_wrap(I->tt, TY_DTYPE, dt)};
    int argmap[2] = {call->argmap[0], -1};
    return infer_library_call(I, call, ndim == 1 ? "numpy.__array_from_list" : "numpy.__array_from_rows", argtypes,
                              argmap, 2);
}

static const Type *array_creation(Infer *I, Instr *call, Builtin b, const char *fname) {
    switch (b) {
    case B_NP_EMPTY: case B_NP_ZEROS: case B_NP_ONES: {
        static const char *const names[] = {"shape", "dtype"};
        if (!infer_bind(I, call, fname, names, 2, 1))
            return NULL;
        int ndim = shape_ndim(I, call, infer_param(call, 0));
        const Type *dt = ndim > 0 ? dtype_arg(I, call, infer_param(call, 1), ty_float64(I->tt)) : NULL;
        return dt ? resolved(call, b, ty_array(I->tt, dt, ndim, 'C')) : NULL;
    }
    case B_NP_FULL: {
        static const char *const names[] = {"shape", "fill_value", "dtype"};
        if (!infer_bind(I, call, fname, names, 3, 2))
            return NULL;
        int ndim = shape_ndim(I, call, infer_param(call, 0));
        const Type *fill = infer_param(call, 1)->type;
        if (ndim < 0)
            return NULL;
        if (!ty_is_number(fill))
            return infer_fail(I, call, "np.full() fill value must be a number, not %s", infer_tystr(I, fill));
        const Type *dt = dtype_arg(I, call, infer_param(call, 2), fill->kind == TY_BOOL ? fill : fill);
        return dt ? resolved(call, b, ty_array(I->tt, dt, ndim, 'C')) : NULL;
    }
    case B_NP_EMPTY_LIKE: case B_NP_ZEROS_LIKE: case B_NP_ONES_LIKE: {
        static const char *const names[] = {"a", "dtype"};
        if (!infer_bind(I, call, fname, names, 2, 1))
            return NULL;
        const Type *a = infer_param(call, 0)->type;
        if (a->kind != TY_ARRAY)
            return infer_fail(I, call, "%s() needs an array, not %s", fname, infer_tystr(I, a));
        const Type *dt = dtype_arg(I, call, infer_param(call, 1), a->dtype);
        return dt ? resolved(call, b, ty_array(I->tt, dt, a->ndim, 'C')) : NULL;
    }
    case B_NP_FULL_LIKE: {
        static const char *const names[] = {"a", "fill_value", "dtype"};
        if (!infer_bind(I, call, fname, names, 3, 2))
            return NULL;
        const Type *a = infer_param(call, 0)->type;
        if (a->kind != TY_ARRAY)
            return infer_fail(I, call, "%s() needs an array, not %s", fname, infer_tystr(I, a));
        if (!ty_is_number(infer_param(call, 1)->type))
            return infer_fail(I, call, "np.full_like() fill value must be a number");
        const Type *dt = dtype_arg(I, call, infer_param(call, 2), a->dtype);
        return dt ? resolved(call, b, ty_array(I->tt, dt, a->ndim, 'C')) : NULL;
    }
    case B_NP_ARANGE: {
        static const char *const names[] = {"start", "stop", "step", "dtype"};
        if (!infer_bind(I, call, fname, names, 4, 1))
            return NULL;
        const Type *u = NULL;
        for (int i = 0; i < 3; i++) {
            Instr *a = infer_param(call, i);
            if (!a || a->type->kind == TY_NONE)
                continue;
            if (!is_real(a->type))
                return infer_fail(I, call, "np.arange() arguments must be real numbers, not %s",
                                  infer_tystr(I, a->type));
            u = u ? ty_unify(I->tt, u, a->type) : a->type;
        }
        // Integer arguments give int64, any float gives float64 (numpy).
        const Type *natural = u->kind == TY_FLOAT ? ty_float64(I->tt) : ty_int64(I->tt);
        const Type *dt = dtype_arg(I, call, infer_param(call, 3), natural);
        if (dt && dt->kind == TY_COMPLEX)
            return infer_fail(I, call, "np.arange() with a complex dtype is not supported");
        call->optype = natural;
        return dt ? resolved(call, b, ty_array(I->tt, dt, 1, 'C')) : NULL;
    }
    case B_NP_ARRAY: case B_NP_ASARRAY: {
        // From an array (a copy, or the array itself), or from numbers written
        // as a tuple or list, nested once for 2-D.
        static const char *const names[] = {"object", "dtype"};
        if (!infer_bind(I, call, fname, names, 2, 1))
            return NULL;
        const Type *t = infer_param(call, 0)->type;
        if (t->kind == TY_LIST)
            return array_of_list(I, call, fname, infer_param(call, 0), infer_param(call, 1));
        if (t->kind == TY_ARRAY) {
            const Type *dt = dtype_arg(I, call, infer_param(call, 1), t->dtype);
            if (!dt)
                return NULL;
            if (b == B_NP_ASARRAY && dt == t->dtype)
                return resolved(call, b, t);
            return resolved(call, b, ty_array(I->tt, dt, t->ndim, 'C'));
        }
        if (t->kind != TY_TUPLE || t->nfields == 0)
            return infer_fail(I, call, "%s() needs an array or a list or tuple of numbers, not %s", fname,
                              infer_tystr(I, t));
        int ndim = t->fields[0]->kind == TY_TUPLE ? 2 : 1;
        FeOperand items[256];
        int n = 0;
        for (int i = 0; i < t->nfields; i++) {
            const Type *row = t->fields[i];
            int cols = ndim == 2 ? row->nfields : 1;
            if ((ndim == 2) != (row->kind == TY_TUPLE) || (ndim == 2 && cols != t->fields[0]->nfields))
                return infer_fail(I, call, "%s() needs rows of one length (a rectangular list of numbers)", fname);
            for (int j = 0; j < cols; j++) {
                const Type *x = ndim == 2 ? row->fields[j] : row;
                if (!ty_is_number(x))
                    return infer_fail(I, call, "%s() of %s: items must be numbers", fname, infer_tystr(I, t));
                if (n < 256)
                    items[n++] = (FeOperand){.dtype = x};
            }
        }
        const Type *natural = fe_result_type(I->tt, items, n);
        const Type *dt = dtype_arg(I, call, infer_param(call, 1), natural);
        return dt ? resolved(call, b, ty_array(I->tt, dt, ndim, 'C')) : NULL;
    }
    case B_NP_LINSPACE: {
        static const char *const names[] = {"start", "stop", "num", "endpoint"};
        if (!infer_bind(I, call, fname, names, 4, 2))
            return NULL;
        for (int i = 0; i < 2; i++)
            if (!need_real(I, call, fname, infer_param(call, i)->type))
                return NULL;
        Instr *num = infer_param(call, 2);
        if (num && !ty_is_integer(num->type))
            return infer_fail(I, call, "np.linspace() num must be an integer, not %s", infer_tystr(I, num->type));
        Instr *endpoint = infer_param(call, 3);
        if (endpoint && !ty_is_integer(endpoint->type))
            return infer_fail(I, call, "np.linspace() endpoint must be a bool");
        return resolved(call, b, ty_array(I->tt, ty_float64(I->tt), 1, 'C'));
    }
    default:
        return NULL;
    }
}

/* int(x), float(x), np.float32(x)...: conversions. */
static const Type *conversion(Infer *I, Instr *call, Builtin b, const char *fname) {
    static const char *const names[] = {"x"};
    if (!infer_bind(I, call, fname, names, 1, 0))
        return NULL;
    Instr *x = infer_param(call, 0);
    const Type *target = fe_builtin_scalar_type(I->tt, b);
    if (!x) // int() == 0, float() == 0.0
        return resolved(call, b, target);
    const Type *t = x->type;
    if (!ty_is_number(t))
        return infer_fail(I, call, "%s() of %s is not supported", fname, infer_tystr(I, t));
    if (t->kind == TY_COMPLEX && target->kind != TY_COMPLEX && target->kind != TY_BOOL)
        return infer_fail(I, call, "cannot convert complex to %s", infer_tystr(I, target));
    // int(x) of an integer keeps its type (Numba).
    if (b == B_INT && ty_is_integer(t))
        target = t->kind == TY_BOOL ? ty_int64(I->tt) : t;
    call->optype = t;
    return resolved(call, b, target);
}

/* ---- primitives of pyaot's library code (lib/intrinsics.py) -------------- */

/* message with %d and %s replaced by the constant values, in turn. */
static const char *format_constants(Infer *I, const char *message, Instr *const *values, int n) {
    StrBuf sb;
    sb_init(&sb, I->b->arena);
    int k = 0;
    for (const char *p = message; *p; p++) {
        if (p[0] != '%' || (p[1] != 'd' && p[1] != 's')) {
            char c[2] = {*p, 0};
            sb_append(&sb, c);
            continue;
        }
        const FeConst *v = k < n ? infer_const_of(values[k]) : NULL;
        if (!v && k < n && values[k]->type->kind == TY_STR)
            sb_append(&sb, values[k]->type->name);
        else if (v && (v->kind == FE_CONST_INT || v->kind == FE_CONST_BOOL))
            sb_printf(&sb, "%lld", (long long)v->i);
        else if (v && v->kind == FE_CONST_NONE)
            sb_append(&sb, "None");
        else
            diag_internal(I->b->diag, "compile_error(): value %d of '%s' is not a constant", k, message);
        k++;
        p++;
    }
    return sb.data;
}

/* numpy_call's result type, written (dtype, ndim) or a tuple of those:
 * read from the instructions that build it, as its items are constants. */
static const Type *numpy_result_spec(Infer *I, const Instr *spec) {
    if (spec->op != OP_BUILD_TUPLE || spec->nargs == 0)
        return NULL;
    const Type *dt = infer_dtype_of(I, spec->args[0]);
    if (dt && spec->nargs == 2) {
        const FeConst *nd = infer_const_of(spec->args[1]);
        if (!nd || nd->kind != FE_CONST_INT || nd->i < 0 || nd->i > 32)
            return NULL;
        return nd->i == 0 ? dt : ty_array(I->tt, dt, (int)nd->i, 'C');
    }
    const Type **fields = ARENA_ARRAY(I->b->arena, const Type *, spec->nargs);
    for (int i = 0; i < spec->nargs; i++)
        if (!(fields[i] = numpy_result_spec(I, spec->args[i])))
            return NULL;
    return ty_tuple(I->tt, fields, spec->nargs);
}

static const Type *intrinsic_call(Infer *I, Instr *call, Builtin b) {
    int n = call->nargs - 1;
    Instr *const *args = call->args + 1;
    if (call->nkw)
        return infer_fail(I, call, "%s() takes no keyword arguments", fe_builtin_name(b));
    call->argmap = ARENA_ARRAY(I->b->arena, int, n > 0 ? n : 1);
    call->nargmap = n;
    for (int i = 0; i < n; i++)
        call->argmap[i] = i + 1;
    switch (b) {
    case B_LIB_COMPILE_ERROR:
        // Reached once constant branches are decided: the call cannot work.
        if (I->final)
            diag_error(I->b->diag, call->pos, "%s", format_constants(I, args[0]->type->name, args + 1, n - 1));
        return resolved(call, b, ty_none(I->tt));
    case B_LIB_AXIS_ERROR: {
        const FeConst *axis = infer_const_of(args[0]), *ndim = infer_const_of(args[1]);
        if (I->final && axis && ndim) // numpy's AxisError, known at compile time
            diag_error(I->b->diag, call->pos, "axis %lld is out of bounds for array of dimension %lld",
                       (long long)axis->i, (long long)ndim->i);
        return resolved(call, b, ty_none(I->tt));
    }
    case B_LIB_VALUE_ERROR:
        if (n < 1 || args[0]->type->kind != TY_STR)
            return infer_fail(I, call, "internal: value_error() needs a message");
        for (int i = 1; i < n; i++)
            if (!ty_is_integer(args[i]->type))
                return infer_fail(I, call, "internal: value_error() values must be integers");
        return resolved(call, b, ty_none(I->tt));
    case B_LIB_SHAPE_WITHOUT: case B_LIB_SHAPE_WITH: {
        const Type *shape = args[0]->type;
        if (shape->kind != TY_TUPLE || !ty_is_integer(args[1]->type))
            return infer_fail(I, call, "internal: %s(%s, %s)", fe_builtin_name(b), infer_tystr(I, shape),
                              infer_tystr(I, args[1]->type));
        int len = shape->nfields - (b == B_LIB_SHAPE_WITHOUT);
        return resolved(call, b, ty_unituple(I->tt, ty_int64(I->tt), len > 0 ? len : 0));
    }
    case B_LIB_MOVE_AXIS_LAST: {
        const Type *a = args[0]->type;
        if (a->kind != TY_ARRAY)
            return infer_fail(I, call, "internal: move_axis_last(%s)", infer_tystr(I, a));
        return resolved(call, b, ty_array(I->tt, a->dtype, a->ndim, 'A'));
    }
    case B_LIB_REAL_DTYPE: {
        const Type *dt = infer_dtype_of(I, args[0]);
        if (!dt)
            return infer_fail(I, call, "internal: real_dtype(%s)", infer_tystr(I, args[0]->type));
        if (dt->kind == TY_COMPLEX)
            dt = ty_float(I->tt, dt->bits / 2);
        return resolved(call, b, ty_wrap(I->tt, TY_DTYPE, dt));
    }
    case B_LIB_RESULT_DTYPE: case B_LIB_FLOAT_DTYPE: {
        const Type *t = args[0]->type;
        FeOperand ops[64];
        int nops = t->kind == TY_TUPLE ? t->nfields : 1;
        for (int i = 0; i < nops && i < 64; i++) {
            const Type *x = t->kind == TY_TUPLE ? t->fields[i] : t;
            if (x->kind != TY_ARRAY)
                return infer_fail(I, call, "internal: result_dtype(%s)", infer_tystr(I, t));
            ops[i] = (FeOperand){.dtype = x->dtype, .is_array = true};
        }
        const Type *rt = fe_result_type(I->tt, ops, nops < 64 ? nops : 64);
        if (rt && b == B_LIB_FLOAT_DTYPE && ty_is_integer(rt))
            rt = ty_float64(I->tt);
        return rt ? resolved(call, b, ty_wrap(I->tt, TY_DTYPE, rt)) : NULL;
    }
    case B_LIB_RUNTIME: {
        const FeRuntimeCall *rc = n >= 1 && args[0]->type->kind == TY_STR ? fe_runtime_call(args[0]->type->name) : NULL;
        if (!rc)
            return infer_fail(I, call, "internal: runtime() of an unknown function");
        if (n - 1 != (int)strlen(rc->params))
            return infer_fail(I, call, "internal: runtime('%s') takes %d arguments", rc->name, (int)strlen(rc->params));
        for (int i = 1; i < n; i++)
            if (!ty_is_number(args[i]->type) ||
                !ty_can_convert(args[i]->type, fe_runtime_type(I->tt, rc->params[i - 1])))
                return infer_fail(I, call, "internal: runtime('%s') argument %d is %s", rc->name, i,
                                  infer_tystr(I, args[i]->type));
        return resolved(call, b, fe_runtime_type(I->tt, rc->ret));
    }
    case B_LIB_NUMPY_CALL: {
        if (n < 3 || args[0]->type->kind != TY_STR || args[1]->type->kind != TY_STR)
            return infer_fail(I, call, "internal: numpy_call(module, name, result, *args)");
        for (int i = 3; i < n; i++)
            if (!ty_is_runtime(args[i]->type) || args[i]->type->kind == TY_RANGE || args[i]->type->kind == TY_SLICE ||
                args[i]->type->kind == TY_ITER)
                return infer_fail(I, call, "internal: numpy_call() of %s", infer_tystr(I, args[i]->type));
        const Type *r = numpy_result_spec(I, args[2]);
        return r ? resolved(call, b, r) : infer_fail(I, call, "internal: numpy_call() result must be (dtype, ndim)");
    }
    case B_LIB_NOT_IN_LIST:
        if (n != 1 || !ty_is_runtime(args[0]->type) || ty_is_refcounted(args[0]->type))
            return infer_fail(I, call, "internal: not_in_list() of a number or tuple");
        return resolved(call, b, ty_none(I->tt));
    case B_LIB_INNERMOST_AXIS:
        if (args[0]->type->kind != TY_ARRAY)
            return infer_fail(I, call, "internal: innermost_axis(%s)", infer_tystr(I, args[0]->type));
        return resolved(call, b, ty_int64(I->tt));
    default:
        return NULL;
    }
}

/* ---- isinstance ----------------------------------------------------------- */

/* Whether a value of type t is an instance of the class `cls` names (a
 * TY_LIBRARY), as Python says for the value it stands for: bool is an int,
 * integers of every width are ints, numpy scalar types name their dtype. */
static int instance_of(Infer *I, const Type *t, const Type *cls) {
    if (cls->kind == TY_DTYPE)
        return t == cls->dtype;
    if (cls->kind != TY_LIBRARY)
        return -1;
    switch (cls->builtin) {
    case B_INT: return ty_is_integer(t);
    case B_FLOAT: return t->kind == TY_FLOAT;
    case B_COMPLEX: return t->kind == TY_COMPLEX;
    case B_BOOL: return t->kind == TY_BOOL;
    case B_TUPLE: return t->kind == TY_TUPLE;
    case B_NP_NDARRAY: return t->kind == TY_ARRAY;
    default: {
        const Type *scalar = fe_builtin_scalar_type(I->tt, (Builtin)cls->builtin);
        return scalar ? t == scalar : -1;
    }
    }
}

/* isinstance(x, T): known from x's type, so a constant that can decide a
 * branch at compile time. */
static const Type *isinstance_call(Infer *I, Instr *call) {
    static const char *const names[] = {"obj", "classinfo"};
    if (!infer_bind(I, call, "isinstance", names, 2, 2))
        return NULL;
    const Type *t = infer_param(call, 0)->type, *c = infer_param(call, 1)->type;
    int n = c->kind == TY_TUPLE ? c->nfields : 1;
    bool yes = false;
    for (int i = 0; i < n; i++) {
        int r = instance_of(I, t, c->kind == TY_TUPLE ? c->fields[i] : c);
        if (r < 0)
            return infer_fail(I, call, "isinstance() needs a class such as int, float, tuple or np.ndarray, not %s",
                              infer_tystr(I, c->kind == TY_TUPLE ? c->fields[i] : c));
        yes = yes || r;
    }
    call->cst = ARENA_NEW(I->b->arena, FeConst);
    call->cst->kind = FE_CONST_BOOL;
    call->cst->i = yes;
    call->resolved = RES_CONST_VALUE;
    return ty_bool(I->tt);
}

/* ---- print ---------------------------------------------------------------- */

/* print(values..., sep=..., end=...): the values are handed to Python's own
 * print, so output matches CPython's; sep and end must be constant strings. */
static const Type *print_call(Infer *I, Instr *call) {
    int npos = call->nargs - 1 - call->nkw;
    for (int k = 0; k < call->nkw; k++) {
        const Type *t = call->args[1 + npos + k]->type;
        if (strcmp(call->kwnames[k], "sep") != 0 && strcmp(call->kwnames[k], "end") != 0)
            return infer_fail(I, call, "print() argument '%s' is not supported (only sep and end)",
                              call->kwnames[k]);
        if (t->kind != TY_STR)
            return infer_fail(I, call, "print() argument '%s' must be a constant string, not %s", call->kwnames[k],
                              infer_tystr(I, t));
    }
    for (int i = 1; i <= npos; i++) {
        const Type *t = call->args[i]->type;
        bool tuple_of_arrays = ((t->kind == TY_TUPLE || t->kind == TY_LIST) && ty_is_refcounted(t) &&
                                (t->kind != TY_LIST || ty_is_refcounted(t->item))) ||
                               (t->kind == TY_DICT && ty_is_refcounted(t->value));
        if (t->kind != TY_STR && (!ty_is_runtime(t) || tuple_of_arrays || t->kind == TY_RANGE ||
                                  t->kind == TY_SLICE || t->kind == TY_ITER || t->kind == TY_ENUMERATE ||
                                  t->kind == TY_ZIP || t->kind == TY_DICT_VIEW))
            return infer_fail(I, call, "print() of %s is not supported", infer_tystr(I, t));
    }
    return resolved(call, B_PRINT, ty_none(I->tt));
}

/* ---- reductions ---------------------------------------------------------- */

/* np.sum(a), a.sum() and the like: the whole array reduced to one number of
 * numpy's result type. */
static const Type *reduction(Infer *I, Instr *call, Builtin b, const char *fname, const Type *arr) {
    if (arr->kind != TY_ARRAY)
        return infer_fail(I, call, "%s() needs an array, not %s", fname, infer_tystr(I, arr));
    const Type *d = arr->dtype;
    if (d->kind == TY_COMPLEX)
        return infer_fail(I, call, "%s() of a complex array is not supported yet", fname);
    switch (b) {
    case B_NP_SUM: case B_NP_PROD: // integers widen to 64 bits, bool counts as int64
        return resolved(call, b, d->kind == TY_FLOAT ? d : ty_int(I->tt, 64, d->kind != TY_INT || d->is_signed));
    case B_NP_MEAN:
        return resolved(call, b, d->kind == TY_FLOAT ? d : ty_float64(I->tt));
    default:
        return resolved(call, b, d);
    }
}

static bool is_reduction(Builtin b) {
    return b == B_NP_SUM || b == B_NP_PROD || b == B_NP_MEAN || b == B_NP_MIN || b == B_NP_MAX;
}

static bool any_array_argument(const Instr *call) {
    for (int i = 1; i < call->nargs; i++)
        if (call->args[i]->type->kind == TY_ARRAY)
            return true;
    return false;
}

static const Type *builtin_call(Infer *I, Instr *call, Builtin b) {
    const char *fname = fe_builtin_name(b);
    const char *dot = strrchr(fname, '.');
    const char *shortname = dot ? dot + 1 : fname;
    // np.where(cond), one argument, is np.nonzero(cond): the library's.
    if (b == B_NP_WHERE && call->nargs == 2 && call->nkw == 0 && fe_library_lookup(I->b, "numpy.nonzero"))
        return user_call(I, call, fe_library_lookup(I->b, "numpy.nonzero"), false);
    // On arrays, numpy's functions work item by item.
    if (fe_builtin_ufunc(b) != UF_NONE && any_array_argument(call))
        return infer_ufunc_call(I, call, b);
    switch (b) {
    case B_LEN: {
        static const char *const names[] = {"obj"};
        if (!infer_bind(I, call, "len", names, 1, 1))
            return NULL;
        const Type *t = infer_param(call, 0)->type;
        if (t->kind == TY_TUPLE)
            return const_int(I, call, t->nfields); // folded: no call is made
        if (t->kind == TY_ARRAY || t->kind == TY_RANGE || (t->kind == TY_LIST && t->item->kind != TY_UNKNOWN))
            return resolved(call, b, ty_int64(I->tt));
        if (t->kind == TY_LIST)
            return infer_list_undecided(I, call, t);
        if (ty_is_undecided(t))
            return infer_dict_undecided(I, call, t);
        if (t->kind == TY_DICT || t->kind == TY_SET || t->kind == TY_DICT_VIEW)
            return resolved(call, b, ty_int64(I->tt));
        return infer_fail(I, call, "len() of %s is not supported", infer_tystr(I, t));
    }
    case B_ABS: case B_NP_ABS: case B_NP_ABSOLUTE: {
        static const char *const names[] = {"x"};
        if (!infer_bind(I, call, shortname, names, 1, 1))
            return NULL;
        const Type *t = infer_param(call, 0)->type;
        if (!ty_is_number(t))
            return infer_fail(I, call, "bad operand type for abs(): %s", infer_tystr(I, t));
        call->optype = t;
        if (t->kind == TY_COMPLEX)
            return resolved(call, b, ty_float(I->tt, t->bits / 2));
        if (t->kind == TY_BOOL)
            return resolved(call, b, b == B_ABS ? ty_int64(I->tt) : t);
        return resolved(call, b, t);
    }
    case B_MIN: case B_MAX:
        return min_max(I, call, b, shortname);
    case B_INT: case B_FLOAT: case B_BOOL:
    case B_NP_BOOL: case B_NP_INT8: case B_NP_INT16: case B_NP_INT32: case B_NP_INT64:
    case B_NP_UINT8: case B_NP_UINT16: case B_NP_UINT32: case B_NP_UINT64: case B_NP_INTP:
    case B_NP_UINTP: case B_NP_FLOAT32: case B_NP_FLOAT64: case B_NP_COMPLEX64: case B_NP_COMPLEX128:
        if (b == B_BOOL) {
            static const char *const names[] = {"x"};
            if (!infer_bind(I, call, "bool", names, 1, 0))
                return NULL;
            Instr *x = infer_param(call, 0);
            TypeKind k = x ? x->type->kind : TY_NONE;
            if (x && !ty_is_number(x->type) && k != TY_NONE && k != TY_TUPLE && k != TY_LIST && k != TY_DICT &&
                k != TY_SET)
                return infer_fail(I, call, "bool() of %s is not supported", infer_tystr(I, x->type));
            call->optype = x ? x->type : NULL;
            return resolved(call, b, ty_bool(I->tt));
        }
        return conversion(I, call, b, shortname);
    case B_COMPLEX: {
        static const char *const names[] = {"real", "imag"};
        if (!infer_bind(I, call, "complex", names, 2, 0))
            return NULL;
        for (int i = 0; i < 2; i++) {
            Instr *a = infer_param(call, i);
            if (a && !ty_is_number(a->type))
                return infer_fail(I, call, "complex() arguments must be numbers, not %s", infer_tystr(I, a->type));
        }
        return resolved(call, b, ty_complex(I->tt, 128));
    }
    case B_ROUND: {
        static const char *const names[] = {"number", "ndigits"};
        if (!infer_bind(I, call, "round", names, 2, 1))
            return NULL;
        const Type *t = infer_param(call, 0)->type;
        Instr *nd = infer_param(call, 1);
        if (!is_real(t))
            return infer_fail(I, call, "round() needs a real number, not %s", infer_tystr(I, t));
        call->optype = t;
        if (nd && nd->type->kind != TY_NONE) {
            if (!ty_is_integer(nd->type))
                return infer_fail(I, call, "round() ndigits must be an integer");
            if (t->kind != TY_FLOAT)
                return infer_fail(I, call, "round(int, ndigits) is not supported");
            return resolved(call, b, t);
        }
        if (t->kind == TY_FLOAT)
            return resolved(call, b, ty_int64(I->tt));
        return resolved(call, b, t->kind == TY_BOOL ? ty_int64(I->tt) : t);
    }
    case B_RANGE: case B_PRANGE: {
        const char *what = b == B_PRANGE ? "prange" : "range";
        if (!positional_only(I, call, what))
            return NULL;
        int n = call->nargs - 1;
        if (n < 1 || n > 3)
            return infer_fail(I, call, "%s expected 1 to 3 arguments, got %d", what, n);
        for (int i = 1; i <= n; i++)
            if (!ty_is_integer(call->args[i]->type))
                return infer_fail(I, call, "%s() arguments must be integers, not %s", what,
                                  infer_tystr(I, call->args[i]->type));
        return resolved(call, b, ty_simple(I->tt, TY_RANGE));
    }
    case B_ENUMERATE: {
        static const char *const names[] = {"iterable", "start"};
        if (!infer_bind(I, call, "enumerate", names, 2, 1))
            return NULL;
        const Type *t = infer_param(call, 0)->type;
        if (!infer_iter_elem(I, t))
            return infer_fail(I, call, "%s is not iterable", infer_tystr(I, t));
        Instr *start = infer_param(call, 1);
        if (start && !ty_is_integer(start->type))
            return infer_fail(I, call, "enumerate() start must be an integer");
        return resolved(call, b, ty_intern(I->tt, &(Type){.kind = TY_ENUMERATE, .iterable = t}));
    }
    case B_ZIP: {
        if (!positional_only(I, call, "zip"))
            return NULL;
        int n = call->nargs - 1;
        if (n < 1)
            return infer_fail(I, call, "zip() needs at least one iterable");
        const Type **fields = ARENA_ARRAY(I->b->arena, const Type *, n);
        for (int i = 0; i < n; i++) {
            fields[i] = call->args[i + 1]->type;
            if (!infer_iter_elem(I, fields[i]))
                return infer_fail(I, call, "%s is not iterable", infer_tystr(I, fields[i]));
        }
        return resolved(call, b, ty_intern(I->tt, &(Type){.kind = TY_ZIP, .fields = fields, .nfields = n}));
    }
    case B_POW: case B_NP_POWER: {
        static const char *const names[] = {"base", "exp"};
        if (!infer_bind(I, call, shortname, names, 2, 2))
            return NULL;
        // The rule of the ** operator.
        const Type *a = infer_param(call, 0)->type, *c = infer_param(call, 1)->type;
        if (!ty_is_number(a) || !ty_is_number(c))
            return infer_fail(I, call, "%s() needs numbers, not %s and %s", shortname, infer_tystr(I, a),
                              infer_tystr(I, c));
        const Type *r;
        if (ty_is_integer(a) && ty_is_integer(c))
            r = ty_arith_int(I->tt, a, c);
        else
            r = (a->kind == TY_FLOAT && ty_is_integer(c)) ? a : ty_unify(I->tt, a, c);
        call->optype = r;
        return resolved(call, b, r);
    }
    case B_DIVMOD: {
        static const char *const names[] = {"a", "b"};
        if (!infer_bind(I, call, "divmod", names, 2, 2))
            return NULL;
        const Type *a = infer_param(call, 0)->type, *c = infer_param(call, 1)->type;
        if (!is_real(a) || !is_real(c))
            return infer_fail(I, call, "divmod() needs real numbers, not %s and %s", infer_tystr(I, a),
                              infer_tystr(I, c));
        const Type *r = ty_promote(I->tt, a, c);
        call->optype = r;
        return resolved(call, b, ty_unituple(I->tt, r, 2));
    }
    case B_PRINT:
        return print_call(I, call);
    case B_ISINSTANCE:
        return isinstance_call(I, call);
    case B_LIB_COMPILE_ERROR: case B_LIB_AXIS_ERROR: case B_LIB_VALUE_ERROR: case B_LIB_SHAPE_WITHOUT:
    case B_LIB_SHAPE_WITH: case B_LIB_MOVE_AXIS_LAST: case B_LIB_INNERMOST_AXIS: case B_LIB_RESULT_DTYPE:
    case B_LIB_FLOAT_DTYPE: case B_LIB_REAL_DTYPE: case B_LIB_NUMPY_CALL: case B_LIB_RUNTIME:
    case B_LIB_NOT_IN_LIST:
        return intrinsic_call(I, call, b);

    case B_SQRT: case B_EXP: case B_LOG: case B_LOG10: case B_LOG2: case B_LOG1P: case B_EXPM1:
    case B_SIN: case B_COS: case B_TAN: case B_ASIN: case B_ACOS: case B_ATAN: case B_SINH:
    case B_COSH: case B_TANH: case B_ASINH: case B_ACOSH: case B_ATANH: case B_FABS: case B_ERF:
    case B_ERFC: case B_GAMMA: case B_LGAMMA: case B_DEGREES: case B_RADIANS:
    case B_NP_SQRT: case B_NP_EXP: case B_NP_LOG: case B_NP_LOG10: case B_NP_LOG2: case B_NP_LOG1P:
    case B_NP_EXPM1: case B_NP_SIN: case B_NP_COS: case B_NP_TAN: case B_NP_ARCSIN: case B_NP_ARCCOS:
    case B_NP_ARCTAN: case B_NP_SINH: case B_NP_COSH: case B_NP_TANH: case B_NP_ARCSINH:
    case B_NP_ARCCOSH: case B_NP_ARCTANH: case B_NP_FABS: case B_NP_FLOOR: case B_NP_CEIL:
    case B_NP_TRUNC: case B_NP_RINT: case B_NP_DEG2RAD: case B_NP_RAD2DEG:
        return unary_math(I, call, b, shortname);
    case B_NP_SIGN: {
        static const char *const names[] = {"x"};
        if (!infer_bind(I, call, "sign", names, 1, 1))
            return NULL;
        const Type *t = need_real(I, call, "sign", infer_param(call, 0)->type);
        if (!t)
            return NULL;
        const Type *r = t->kind == TY_BOOL ? ty_int64(I->tt) : t;
        call->optype = r;
        return resolved(call, b, r);
    }
    case B_ATAN2: case B_HYPOT: case B_COPYSIGN: case B_MATH_POW: case B_FMOD:
    case B_NP_ARCTAN2: case B_NP_HYPOT: case B_NP_COPYSIGN:
        return binary_math(I, call, b, shortname);
    case B_NP_MINIMUM: case B_NP_MAXIMUM: {
        static const char *const names[] = {"x1", "x2"};
        if (!infer_bind(I, call, shortname, names, 2, 2))
            return NULL;
        const Type *x = need_real(I, call, shortname, infer_param(call, 0)->type);
        const Type *y = x ? need_real(I, call, shortname, infer_param(call, 1)->type) : NULL;
        if (!y)
            return NULL;
        call->optype = ty_unify(I->tt, x, y);
        return resolved(call, b, call->optype);
    }
    case B_FLOOR: case B_CEIL: case B_TRUNC: {
        static const char *const names[] = {"x"};
        if (!infer_bind(I, call, shortname, names, 1, 1))
            return NULL;
        const Type *t = need_real(I, call, shortname, infer_param(call, 0)->type);
        if (!t)
            return NULL;
        call->optype = t;
        // Python's math.floor returns an int.
        return resolved(call, b, t->kind == TY_FLOAT || t->kind == TY_BOOL ? ty_int64(I->tt) : t);
    }
    case B_ISNAN: case B_ISINF: case B_ISFINITE: case B_NP_ISNAN: case B_NP_ISINF: case B_NP_ISFINITE:
        return predicate(I, call, b, shortname);

    case B_NP_EMPTY: case B_NP_ZEROS: case B_NP_ONES: case B_NP_FULL: case B_NP_EMPTY_LIKE:
    case B_NP_ZEROS_LIKE: case B_NP_ONES_LIKE: case B_NP_FULL_LIKE: case B_NP_ARANGE:
    case B_NP_LINSPACE: case B_NP_ARRAY: case B_NP_ASARRAY:
        return array_creation(I, call, b, arena_printf(I->b->arena, "np.%s", shortname));
    case B_NP_SUM: case B_NP_PROD: case B_NP_MEAN: case B_NP_MIN: case B_NP_MAX: {
        static const char *const names[] = {"a"};
        FeFunction *lib = fe_library_lookup(I->b, fname);
        if (call->nargs > 2 && lib) // axis=, keepdims=...: the library's
            return user_call(I, call, lib, false);
        if (call->nargs > 2)
            return infer_fail(I, call, "np.%s() with axis, dtype or out is not supported: it reduces the whole array",
                              shortname);
        if (!infer_bind(I, call, shortname, names, 1, 1))
            return NULL;
        return reduction(I, call, b, arena_printf(I->b->arena, "np.%s", shortname), infer_param(call, 0)->type);
    }
    case B_NP_RESHAPE: case B_NP_RAVEL: case B_NP_TRANSPOSE: case B_NP_REAL: case B_NP_IMAG: {
        // np.transpose(a, axes): the library's, over the compiler's reversal.
        FeFunction *lib = b == B_NP_TRANSPOSE && call->nargs > 2 ? fe_library_lookup(I->b, "numpy.transpose") : NULL;
        if (lib)
            return user_call(I, call, lib, false);
        return infer_view_call(I, call, b, NULL);
    }
    default:
        if (fe_builtin_ufunc(b) != UF_NONE)
            return infer_ufunc_call(I, call, b);
        return infer_fail(I, call, "%s is not callable in compiled code", fname);
    }
}

/* ---- methods ------------------------------------------------------------- */

static const Type *method_call(Infer *I, Instr *call, const Type *m) {
    const Type *recv = m->fields[0];
    if (recv->kind == TY_LIST)
        return infer_list_method(I, call, m);
    if (recv->kind == TY_DICT || recv->kind == TY_SET)
        return infer_dict_method(I, call, m);
    FeFunction *lib = recv->kind == TY_ARRAY ? fe_library_lookup(I->b, arena_printf(I->b->arena, "ndarray.%s", m->name))
                                             : NULL;
    // What the compiler knows itself, it does; the rest of numpy's methods
    // (and the known ones with arguments it leaves to the library) are
    // pyaot's library code.
    if (lib && (!fe_builtin_lookup(arena_printf(I->b->arena, "numpy.%s", m->name)) || call->nargs > 1))
        return user_call(I, call, lib, true);
    Builtin reduce = recv->kind == TY_ARRAY ? fe_builtin_lookup(arena_printf(I->b->arena, "numpy.%s", m->name))
                                            : B_NONE;
    if (is_reduction(reduce)) {
        if (call->nargs > 1)
            return infer_fail(I, call, "%s() with arguments is not supported: it reduces the whole array",
                              m->name);
        return reduction(I, call, reduce, m->name, recv);
    }
    if (recv->kind == TY_ARRAY) {
        Instr *obj = call->args[0]->args[0]; // the receiver: obj.method
        static const struct { const char *name; Builtin b; } views[] = {
            {"reshape", B_NP_RESHAPE}, {"ravel", B_NP_RAVEL}, {"flatten", B_ARR_FLATTEN}, {"transpose", B_NP_TRANSPOSE}};
        for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
            if (strcmp(m->name, views[i].name) == 0)
                return infer_view_call(I, call, views[i].b, obj);
        if (strcmp(m->name, "astype") == 0)
            return infer_astype(I, call, obj);
        if (strcmp(m->name, "conj") == 0 || strcmp(m->name, "conjugate") == 0) {
            if (!infer_bind(I, call, m->name, NULL, 0, 0))
                return NULL;
            call->builtin = B_NP_CONJUGATE;
            return infer_elementwise(I, call, UF_CONJUGATE, &obj, 1, NULL);
        }
    }
    if (recv->kind == TY_ARRAY && strcmp(m->name, "copy") == 0) {
        if (!infer_bind(I, call, "copy", NULL, 0, 0))
            return NULL;
        return resolved(call, B_ARR_COPY, ty_array(I->tt, recv->dtype, recv->ndim, 'C'));
    }
    if (recv->kind == TY_ARRAY && strcmp(m->name, "fill") == 0) {
        static const char *const names[] = {"value"};
        if (!infer_bind(I, call, "fill", names, 1, 1))
            return NULL;
        const Type *v = infer_param(call, 0)->type;
        if (!ty_is_number(v) || (v->kind == TY_COMPLEX && recv->dtype->kind != TY_COMPLEX))
            return infer_fail(I, call, "cannot fill %s with %s", infer_tystr(I, recv), infer_tystr(I, v));
        return resolved(call, B_ARR_FILL, ty_none(I->tt));
    }
    if (ty_is_number(recv) && strcmp(m->name, "conjugate") == 0) {
        if (!infer_bind(I, call, "conjugate", NULL, 0, 0))
            return NULL;
        call->optype = recv;
        return resolved(call, B_C_CONJUGATE, recv->kind == TY_BOOL ? ty_int64(I->tt) : recv);
    }
    return infer_fail(I, call, "%s is not supported", infer_tystr(I, m));
}

/* ---- calls of the user's functions ---------------------------------------- */

static const FeExport *find_export(FeBuild *b, const FeFunction *fn) {
    for (int i = 0; i < b->exports.len; i++)
        if (b->exports.data[i].func == fn)
            return &b->exports.data[i];
    return NULL;
}

static bool exact_match(Func *spec, const Type **argtypes, int n) {
    for (int i = 0; i < n; i++)
        if (spec->argtypes[i] != argtypes[i])
            return false;
    return true;
}

static bool convertible_match(Func *spec, const Type **argtypes, int n) {
    for (int i = 0; i < n; i++) {
        const Type *from = argtypes[i], *to = spec->argtypes[i];
        if (!ty_can_convert(from, to))
            return false;
        // A float argument never silently becomes an integer parameter.
        if (ty_is_number(from) && ty_is_number(to) && !ty_is_integer(from) && ty_is_integer(to))
            return false;
    }
    return true;
}

/* Argument k of a call of fn: argmap 0 stands for a method's receiver. */
static Instr *user_arg(Instr *call, int k) {
    if (k < call->nargmap && call->argmap[k] == 0)
        return call->args[0]->args[0];
    return infer_param(call, k);
}

/* Binds the call's arguments to fn's parameters; with a receiver (a method
 * of pyaot's library: a.cumsum()), it is the first. */
static bool bind_user_call(Infer *I, Instr *call, FeFunction *fn, bool receiver) {
    const FeCode *code = fn->code;
    int nparams = code->argcount, nrequired = nparams - fn->ndefaults;
    const char *label = fn->library ? fn->label : fn->name;
    if (!receiver)
        return infer_bind(I, call, label, code->varnames, nparams, nrequired);
    if (nparams == 0 || !infer_bind(I, call, label, code->varnames + 1, nparams - 1, nrequired > 0 ? nrequired - 1 : 0))
        return false;
    int *argmap = ARENA_ARRAY(I->b->arena, int, nparams);
    argmap[0] = 0;
    mem_copy(argmap + 1, call->argmap, sizeof(int) * (size_t)(nparams - 1));
    call->argmap = argmap;
    call->nargmap = nparams;
    return true;
}

static const Type *user_call(Infer *I, Instr *call, FeFunction *fn, bool receiver) {
    // list(), dict() and set() are new empty containers, decided by what is put into them.
    bool dict = fn == fe_library_lookup(I->b, "builtins.dict"), set = fn == fe_library_lookup(I->b, "builtins.set");
    if (!receiver && call->nargs == 1 && call->op == OP_CALL &&
        (dict || set || fn == fe_library_lookup(I->b, "builtins.list"))) {
        call->op = dict ? OP_BUILD_DICT : set ? OP_BUILD_SET : OP_BUILD_LIST;
        call->nargs = 0;
        call->name = NULL;
        I->decided = true; // typed as a container in the next pass
        return NULL;
    }
    // dict(pairs) of anything but a dict: dict(zip(keys, values)).
    if (dict && !receiver && call->nargs == 2 && call->nkw == 0 && call->args[1]->type->kind != TY_DICT &&
        call->args[1]->type->kind != TY_UNKNOWN)
        fn = fe_library_lookup(I->b, "dict.__from_pairs__");
    const FeCode *code = fn->code;
    int nparams = code->argcount;
    int nrequired = nparams - fn->ndefaults;
    if (!bind_user_call(I, call, fn, receiver))
        return NULL;
    // A nested function takes the values it captured after its arguments.
    const Type *ft = !receiver && call->op == OP_CALL && call->args[0]->type->kind == TY_FUNCTION ? call->args[0]->type
                                                                                                   : NULL;
    int ncaptured = ft ? ft->nfields : 0;
    const Type **argtypes = ARENA_ARRAY(I->b->arena, const Type *, nparams + ncaptured + 1);
    for (int k = 0; k < ncaptured; k++)
        argtypes[nparams + k] = ft->fields[k];
    // Library code branches on its constant arguments (axis=1): it is
    // specialised on their values.
    const FeConst **consts = fn->library ? ARENA_ARRAY(I->b->arena, const FeConst *, nparams > 0 ? nparams : 1) : NULL;
    for (int i = 0; i < nparams; i++) {
        Instr *a = user_arg(call, i);
        if (a) {
            argtypes[i] = a->type;
            const FeConst *c = consts ? infer_const_of(a) : NULL;
            if (c && (c->kind == FE_CONST_INT || c->kind == FE_CONST_BOOL))
                consts[i] = c;
        } else {
            const FeConst *d = fn->defaults[i - nrequired];
            argtypes[i] = infer_const_type(I, call, d);
            if (!argtypes[i])
                return NULL;
            if (consts && (d->kind == FE_CONST_INT || d->kind == FE_CONST_BOOL))
                consts[i] = d;
        }
        // Library code also takes what is known at compile time: a dtype
        // (np.float32), a string (side="left").
        bool compile_time = argtypes[i]->kind == TY_STR || argtypes[i]->kind == TY_DTYPE ||
                            (argtypes[i]->kind == TY_LIBRARY && fe_builtin_scalar_type(I->tt, argtypes[i]->builtin));
        if (argtypes[i]->kind == TY_LIST && argtypes[i]->item->kind == TY_UNKNOWN)
            return infer_list_undecided(I, call, argtypes[i]);
        if (ty_is_undecided(argtypes[i]))
            return infer_dict_undecided(I, call, argtypes[i]);
        if (ty_has_undecided(argtypes[i]))
            return infer_fail(I, call, "the item type of a list passed to '%s' is not known here",
                              fn->library ? fn->label : fn->name);
        if (!ty_is_runtime(argtypes[i]) && !(fn->library && compile_time) && argtypes[i]->kind != TY_FUNCTION)
            return infer_fail(I, call, "cannot pass %s to '%s': only numbers, arrays, tuples and lists can be "
                                       "passed between compiled functions",
                              infer_tystr(I, argtypes[i]), fn->library ? fn->label : fn->name);
    }
    return specialize_call(I, call, fn, argtypes, consts, nparams + ncaptured);
}

/* Types `call` as a call of the specialisation of fn for argtypes (through
 * its declared signatures, if it has any). */
static const Type *specialize_call(Infer *I, Instr *call, FeFunction *fn, const Type **argtypes,
                                   const FeConst **consts, int nparams) {
    Func *spec = NULL;
    const FeExport *ex = find_export(I->b, fn);
    if (ex && ex->overloads.len > 0) {
        // A function with declared signatures is called through them.
        for (int i = 0; i < ex->overloads.len && !spec; i++)
            if (exact_match(ex->overloads.data[i], argtypes, nparams))
                spec = ex->overloads.data[i];
        for (int i = 0; i < ex->overloads.len && !spec; i++)
            if (convertible_match(ex->overloads.data[i], argtypes, nparams))
                spec = ex->overloads.data[i];
        if (!spec) {
            StrBuf sb;
            sb_init(&sb, I->b->arena);
            for (int i = 0; i < nparams; i++)
                sb_printf(&sb, "%s%s", i ? ", " : "", infer_tystr(I, argtypes[i]));
            return infer_fail(I, call, "no signature of '%s' accepts (%s)", fn->name, sb.data);
        }
        spec = fe_specialize(I->b, fn, spec->argtypes, NULL, nparams, spec->declared_ret, call->pos);
    } else {
        if (!I->final)
            I->b->speculative++;
        spec = fe_specialize(I->b, fn, argtypes, consts, nparams, NULL, call->pos);
        if (!I->final)
            I->b->speculative--;
    }
    if (!spec)
        return NULL; // a speculative attempt failed; the last pass reports it
    if (spec->inferring) {
        // A recursive call: its type is the one declared, or what the
        // function's other returns give (the base case's).
        const Type *ret = spec->declared_ret ? spec->declared_ret : spec->ret_guess;
        if (!ret)
            return infer_fail(I, call,
                              "'%s' calls itself recursively and no return type is known: give it a base "
                              "case that returns without recursing, or a signature (@export or --sig %s=...)",
                              fn->name, fn->name);
        call->callee = spec;
        call->resolved = RES_USER_CALL;
        return ret;
    }
    call->callee = spec;
    call->resolved = RES_USER_CALL;
    return spec->ret;
}

const Type *infer_library_method(Infer *I, Instr *call, const char *name) {
    FeFunction *lib = fe_library_lookup(I->b, name);
    if (!lib)
        return infer_fail(I, call, "internal: pyaot's library has no %s", name);
    return user_call(I, call, lib, true);
}

const Type *infer_library_call(Infer *I, Instr *in, const char *name, const Type **argtypes, const int *argmap,
                               int n) {
    FeFunction *lib = fe_library_lookup(I->b, name);
    if (!lib)
        return infer_fail(I, in, "internal: pyaot's library has no %s", name);
    // Parameters past those given take their defaults.
    int nparams = lib->code->argcount;
    const Type **types = ARENA_ARRAY(I->b->arena, const Type *, nparams + 1);
    in->argmap = ARENA_ARRAY(I->b->arena, int, nparams + 1);
    in->nargmap = nparams;
    for (int i = 0; i < nparams; i++) {
        if (i < n) {
            types[i] = argtypes[i];
            in->argmap[i] = argmap[i];
            continue;
        }
        types[i] = infer_const_type(I, in, lib->defaults[i - (nparams - lib->ndefaults)]);
        in->argmap[i] = -1;
    }
    return specialize_call(I, in, lib, types, NULL, nparams);
}

/* ---- calls ---------------------------------------------------------------- */

const Type *infer_call(Infer *I, Instr *call) {
    const Type *f = call->args[0]->type;
    switch (f->kind) {
    case TY_LIBRARY:
        return builtin_call(I, call, f->builtin);
    case TY_FUNCTION:
        return user_call(I, call, f->func, false);
    case TY_METHOD:
        return method_call(I, call, f);
    case TY_EXC_CLASS: {
        // ValueError("message"): an exception to raise, message known at build time.
        int n = call->nargs - 1;
        if (call->nkw || n > 1 || (n == 1 && call->args[1]->type->kind != TY_STR))
            return infer_fail(I, call, "exception arguments must be one constant string, e.g. %s(\"bad value\")",
                              f->name);
        return f;
    }
    case TY_DTYPE:
        return infer_fail(I, call, "calling a dtype object is not supported; use np.%s(x)",
                          infer_tystr(I, f->dtype));
    default:
        return infer_fail(I, call, "%s is not callable", infer_tystr(I, f));
    }
}

const Type *infer_iter_elem(Infer *I, const Type *t) {
    switch (t->kind) {
    case TY_RANGE:
        return ty_int64(I->tt);
    case TY_LIST: case TY_SET: case TY_DICT: // a dict's keys
        return t->item->kind == TY_UNKNOWN ? NULL : t->item;
    case TY_DICT_VIEW: {
        const Type *d = t->iterable;
        if (t->bits == DV_KEYS)
            return d->item;
        if (t->bits == DV_VALUES)
            return d->value;
        const Type *fields[2] = {d->item, d->value};
        return ty_tuple(I->tt, fields, 2);
    }
    case TY_ARRAY:
        return t->ndim == 1 ? t->dtype : infer_subarray(I, t, 1);
    case TY_TUPLE:
        if (t->nfields == 0)
            return ty_none(I->tt);
        return ty_tuple_item(I->tt, t); // NULL: a heterogeneous tuple cannot be a loop variable
    case TY_ENUMERATE: {
        const Type *elem = infer_iter_elem(I, t->iterable);
        if (!elem)
            return NULL;
        const Type *fields[2] = {ty_int64(I->tt), elem};
        return ty_tuple(I->tt, fields, 2);
    }
    case TY_ZIP: {
        const Type **fields = ARENA_ARRAY(I->b->arena, const Type *, t->nfields);
        for (int i = 0; i < t->nfields; i++) {
            fields[i] = infer_iter_elem(I, t->fields[i]);
            if (!fields[i])
                return NULL;
        }
        return ty_tuple(I->tt, fields, t->nfields);
    }
    default:
        return NULL;
    }
}
