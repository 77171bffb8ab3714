/* Imports the user's module (its top-level code runs, as with numba.pycc)
 * and turns what introspect.py describes into the frontend's plain structs:
 * code objects become FeCode, globals become FeGlobal facts. After this no
 * stage touches a Python object. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "aot.h"

typedef struct Loader {
    Arena *a;
    Diag *d;
    const char *path;
    PyObject *intro;         // the _pyaot_introspect module
    FeFunction **funcs;      // one per described function
    int nfuncs;
    PyObject *nested;        // the function being converted: {nested code object: its globals}
    bool library;            // ...and whether it is pyaot's library code
} Loader;

static FeCode *convert_code(Loader *L, PyObject *code, PyObject *globals, bool library);

static _Noreturn void internal_python_error(Loader *L, const char *what) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *text = value ? PyObject_Str(value) : NULL;
    const char *msg = text ? PyUnicode_AsUTF8(text) : NULL;
    diag_internal(L->d, "%s: %s", what, msg ? msg : "unknown Python error");
}

static const char *utf8(Loader *L, PyObject *s) {
    const char *c = PyUnicode_AsUTF8(s);
    if (!c)
        internal_python_error(L, "reading a string");
    return arena_strdup(L->a, c);
}

static PyObject *attr(Loader *L, PyObject *obj, const char *name) {
    PyObject *v = PyObject_GetAttrString(obj, name);
    if (!v)
        internal_python_error(L, name);
    return v;
}

static int int_attr(Loader *L, PyObject *obj, const char *name) {
    PyObject *v = attr(L, obj, name);
    long n = PyLong_AsLong(v);
    Py_DECREF(v);
    return (int)n;
}

static const char *str_attr(Loader *L, PyObject *obj, const char *name) {
    PyObject *v = attr(L, obj, name);
    const char *s = utf8(L, v);
    Py_DECREF(v);
    return s;
}

static const uint8_t *bytes_attr(Loader *L, PyObject *obj, const char *name, int *n) {
    PyObject *v = attr(L, obj, name);
    char *data;
    Py_ssize_t len;
    if (PyBytes_AsStringAndSize(v, &data, &len) < 0)
        internal_python_error(L, name);
    uint8_t *copy = arena_alloc(L->a, (size_t)len + 1);
    mem_copy(copy, data, (size_t)len);
    *n = (int)len;
    Py_DECREF(v);
    return copy;
}

static const char **str_tuple(Loader *L, PyObject *tuple, int *n) {
    *n = (int)PyTuple_Size(tuple);
    const char **out = ARENA_ARRAY(L->a, const char *, *n + 1);
    for (int i = 0; i < *n; i++)
        out[i] = utf8(L, PyTuple_GET_ITEM(tuple, i));
    return out;
}

static FeConst *convert_const(Loader *L, PyObject *v) {
    FeConst *c = ARENA_NEW(L->a, FeConst);
    if (v == Py_None) {
        c->kind = FE_CONST_NONE;
    } else if (PyBool_Check(v)) {
        c->kind = FE_CONST_BOOL;
        c->i = v == Py_True;
    } else if (PyLong_CheckExact(v)) {
        int overflow;
        long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (!overflow) {
            c->kind = FE_CONST_INT;
            c->i = x;
        } else {
            unsigned long long u = overflow > 0 ? PyLong_AsUnsignedLongLong(v) : 0;
            if (overflow > 0 && !PyErr_Occurred()) {
                c->kind = FE_CONST_UINT;
                c->u = u;
            } else {
                PyErr_Clear();
                PyObject *s = PyObject_Str(v);
                c->kind = FE_CONST_BIGINT;
                c->s = s ? utf8(L, s) : "?";
                Py_XDECREF(s);
            }
        }
    } else if (PyFloat_CheckExact(v)) {
        c->kind = FE_CONST_FLOAT;
        c->f = PyFloat_AsDouble(v);
    } else if (PyComplex_CheckExact(v)) {
        c->kind = FE_CONST_COMPLEX;
        c->f = PyComplex_RealAsDouble(v);
        c->imag = PyComplex_ImagAsDouble(v);
    } else if (PyUnicode_Check(v)) {
        c->kind = FE_CONST_STR;
        c->s = utf8(L, v);
    } else if (PyTuple_Check(v)) {
        c->kind = FE_CONST_TUPLE;
        c->nitems = (int)PyTuple_Size(v);
        c->items = ARENA_ARRAY(L->a, FeConst *, c->nitems + 1);
        for (int i = 0; i < c->nitems; i++)
            c->items[i] = convert_const(L, PyTuple_GET_ITEM(v, i));
    } else if (PyFrozenSet_Check(v)) {
        // `{1, 2}` and `x in {1, 2}` hold their items as a frozenset: its
        // items in its own order, as a tuple.
        PyObject *items = PySequence_Tuple(v);
        c->kind = FE_CONST_TUPLE;
        c->nitems = items ? (int)PyTuple_Size(items) : 0;
        c->items = ARENA_ARRAY(L->a, FeConst *, c->nitems + 1);
        for (int i = 0; i < c->nitems; i++)
            c->items[i] = convert_const(L, PyTuple_GET_ITEM(items, i));
        Py_XDECREF(items);
        PyErr_Clear();
    } else if (PyCode_Check(v)) {
        c->kind = FE_CONST_CODE;
        PyObject *globals = L->nested ? PyDict_GetItem(L->nested, v) : NULL; // borrowed
        if (globals)
            c->code = convert_code(L, v, globals, L->library);
    } else if (v == Py_Ellipsis) {
        c->kind = FE_CONST_ELLIPSIS;
    } else {
        c->kind = FE_CONST_OTHER;
        c->s = arena_strdup(L->a, Py_TYPE(v)->tp_name);
    }
    return c;
}

/* co_positions(): one (line, end_line, col, end_col) per code unit, None as 0/-1. */
static FePosition *convert_positions(Loader *L, PyObject *code, int nunits) {
    FePosition *pos = ARENA_ARRAY(L->a, FePosition, nunits + 1);
    PyObject *it = PyObject_CallMethod(code, "co_positions", NULL);
    if (!it)
        internal_python_error(L, "co_positions");
    PyObject *item;
    for (int i = 0; (item = PyIter_Next(it)) != NULL; i++) {
        if (i < nunits && PyTuple_Check(item) && PyTuple_Size(item) == 4) {
            int *fields[4] = {&pos[i].line, &pos[i].end_line, &pos[i].col, &pos[i].end_col};
            for (int k = 0; k < 4; k++) {
                PyObject *f = PyTuple_GET_ITEM(item, k);
                *fields[k] = f == Py_None ? (k < 2 ? 0 : -1) : (int)PyLong_AsLong(f);
            }
        }
        Py_DECREF(item);
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        internal_python_error(L, "co_positions");
    return pos;
}

/* (dtype name, shape, bytes) from introspect.frozen_array. */
static FeFrozenArray *convert_frozen_array(Loader *L, PyObject *payload) {
    FeFrozenArray *a = ARENA_NEW(L->a, FeFrozenArray);
    PyObject *shape = PyTuple_GET_ITEM(payload, 1), *bytes = PyTuple_GET_ITEM(payload, 2);
    a->dtype = utf8(L, PyTuple_GET_ITEM(payload, 0));
    a->ndim = (int)PyTuple_Size(shape);
    int64_t *dims = ARENA_ARRAY(L->a, int64_t, a->ndim + 1);
    for (int i = 0; i < a->ndim; i++)
        dims[i] = PyLong_AsLongLong(PyTuple_GET_ITEM(shape, i));
    a->shape = dims;
    char *data;
    Py_ssize_t len;
    if (PyBytes_AsStringAndSize(bytes, &data, &len) < 0)
        internal_python_error(L, "frozen array");
    uint8_t *copy = arena_alloc(L->a, (size_t)len + 1);
    mem_copy(copy, data, (size_t)len);
    a->data = copy;
    a->nbytes = len;
    return a;
}

/* options[key], an int introspect.py always provides. */
static long option(Loader *L, PyObject *options, const char *key) {
    PyObject *v = PyDict_GetItemString(options, key);
    if (!v)
        diag_internal(L->d, "function option %s missing", key);
    return PyLong_AsLong(v);
}

static FeGlobal *convert_global(Loader *L, PyObject *desc) {
    FeGlobal *g = ARENA_NEW(L->a, FeGlobal);
    const char *kind = PyUnicode_AsUTF8(PyTuple_GET_ITEM(desc, 0));
    PyObject *payload = PyTuple_GET_ITEM(desc, 1);
    if (strcmp(kind, "module") == 0) {
        g->kind = FE_GLOBAL_MODULE;
        g->name = utf8(L, payload);
    } else if (strcmp(kind, "library") == 0) {
        g->kind = FE_GLOBAL_LIBRARY;
        g->name = utf8(L, payload);
    } else if (strcmp(kind, "function") == 0) {
        g->kind = FE_GLOBAL_FUNCTION;
        long index = PyLong_AsLong(payload);
        if (index < 0 || index >= L->nfuncs)
            diag_internal(L->d, "function index %ld out of range", index);
        g->func = L->funcs[index];
        g->name = g->func->name;
    } else if (strcmp(kind, "const") == 0) {
        g->kind = FE_GLOBAL_CONST;
        g->value = convert_const(L, payload);
    } else if (strcmp(kind, "array") == 0) {
        g->kind = FE_GLOBAL_ARRAY;
        g->array = convert_frozen_array(L, payload);
    } else if (strcmp(kind, "exception") == 0) {
        g->kind = FE_GLOBAL_EXCEPTION;
        g->name = utf8(L, payload);
    } else if (strcmp(kind, "undefined") == 0) {
        g->kind = FE_GLOBAL_UNDEFINED;
        g->name = utf8(L, payload);
    } else {
        g->kind = FE_GLOBAL_OTHER;
        g->name = utf8(L, payload);
    }
    return g;
}

static FeCode *convert_code(Loader *L, PyObject *code, PyObject *globals, bool library) {
    FeCode *c = ARENA_NEW(L->a, FeCode);
    c->name = str_attr(L, code, "co_name");
    c->qualname = str_attr(L, code, "co_qualname");
    // The user's file as they named it, for messages; pyaot's library code
    // under its own name, which diagnostics redirect to the user's call.
    c->filename = library ? str_attr(L, code, "co_filename") : L->path;
    c->firstlineno = int_attr(L, code, "co_firstlineno");
    c->argcount = int_attr(L, code, "co_argcount");
    c->posonlyargcount = int_attr(L, code, "co_posonlyargcount");
    c->kwonlyargcount = int_attr(L, code, "co_kwonlyargcount");
    c->flags = int_attr(L, code, "co_flags");
    c->code = bytes_attr(L, code, "co_code", &c->ncode);
    c->exceptiontable = bytes_attr(L, code, "co_exceptiontable", &c->nexceptiontable);

    PyObject *consts = attr(L, code, "co_consts");
    c->nconsts = (int)PyTuple_Size(consts);
    c->consts = ARENA_ARRAY(L->a, FeConst *, c->nconsts + 1);
    for (int i = 0; i < c->nconsts; i++)
        c->consts[i] = convert_const(L, PyTuple_GET_ITEM(consts, i));
    Py_DECREF(consts);

    PyObject *names = attr(L, code, "co_names");
    c->names = str_tuple(L, names, &c->nnames);
    Py_DECREF(names);
    c->globals = ARENA_ARRAY(L->a, FeGlobal *, c->nnames + 1);
    for (int i = 0; i < c->nnames; i++)
        c->globals[i] = convert_global(L, PyTuple_GET_ITEM(globals, i));

    PyObject *varnames = attr(L, code, "co_varnames");
    c->varnames = str_tuple(L, varnames, &c->nvarnames);
    Py_DECREF(varnames);
    PyObject *cells = attr(L, code, "co_cellvars"), *frees = attr(L, code, "co_freevars");
    c->cellvars = str_tuple(L, cells, &c->ncellvars);
    c->freevars = str_tuple(L, frees, &c->nfreevars);
    Py_DECREF(cells);
    Py_DECREF(frees);
    c->positions = convert_positions(L, code, c->ncode / 2);
    return c;
}

/* Reports the exception the import (or collect) raised as a user error. */
static _Noreturn void import_failed(Loader *L, const char *file) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb && value)
        PyException_SetTraceback(value, tb);
    SrcPos pos = {.file = file};
    PyObject *user_error = PyObject_GetAttrString(L->intro, "UserError");
    if (user_error && PyErr_GivenExceptionMatches(type, user_error)) {
        PyObject *args = PyObject_GetAttrString(value, "args");
        const char *msg = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 0));
        pos.line = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 1));
        pos.col = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 2));
        diag_error(L->d, pos, "%s", msg ? msg : "?");
    }
    PyObject *loc = PyObject_CallMethod(L->intro, "error_location", "Os", value, L->path);
    if (loc && PyTuple_Check(loc)) {
        pos.line = (int)PyLong_AsLong(PyTuple_GET_ITEM(loc, 0));
        pos.col = (int)PyLong_AsLong(PyTuple_GET_ITEM(loc, 1));
    }
    PyErr_Clear();
    const char *tname = ((PyTypeObject *)type)->tp_name;
    if (PyErr_GivenExceptionMatches(type, PyExc_SyntaxError)) {
        PyObject *msg = PyObject_GetAttrString(value, "msg");
        const char *m = msg ? PyUnicode_AsUTF8(msg) : NULL;
        PyErr_Clear();
        diag_error(L->d, pos, "%s: %s", tname, m ? m : "invalid syntax");
    }
    PyObject *text = value ? PyObject_Str(value) : NULL;
    const char *m = text ? PyUnicode_AsUTF8(text) : NULL;
    PyErr_Clear();
    const char *base = strrchr(L->path, '/');
    diag_error(L->d, pos, "importing %s raised %s%s%s", base ? base + 1 : L->path, tname,
               m && *m ? ": " : "", m ? m : "");
}

/* Warnings and notes about the module (Numba options pyaot does not
 * honour, features it leaves out): (kind, message, line, col) each. */
static void report_messages(Loader *L, PyObject *messages) {
    for (Py_ssize_t i = 0; i < PyList_Size(messages); i++) {
        PyObject *m = PyList_GET_ITEM(messages, i);
        const char *kind = utf8(L, PyTuple_GET_ITEM(m, 0));
        const char *text = utf8(L, PyTuple_GET_ITEM(m, 1));
        SrcPos pos = {.file = L->path, .line = (int)PyLong_AsLong(PyTuple_GET_ITEM(m, 2)),
                      .col = (int)PyLong_AsLong(PyTuple_GET_ITEM(m, 3))};
        if (strcmp(kind, "warning") == 0)
            diag_warning(L->d, pos, "%s", text);
        else
            diag_remark(L->d, pos, "%s", text);
    }
}

static const char *module_name(Loader *L, const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    SrcPos pos = {.file = path};
    if (n < 4 || strcmp(base + n - 3, ".py") != 0)
        diag_error(L->d, pos, "the input must be a Python source file ending in .py");
    char *name = arena_strndup(L->a, base, n - 3);
    bool ok = isalpha((unsigned char)name[0]) || name[0] == '_';
    for (char *p = name; *p && ok; p++)
        ok = isalnum((unsigned char)*p) || *p == '_';
    if (!ok)
        diag_error(L->d, pos, "'%s' is not a valid module name: the file name must be a Python identifier",
                   name);
    return name;
}

void aot_load(Arena *a, Diag *d, const AotOptions *o, AotModule *out) {
    Loader L = {.a = a, .d = d, .path = o->input};
    memset(out, 0, sizeof *out);
    out->path = o->input;
    out->name = module_name(&L, o->input);
    FILE *probe = fopen(o->input, "r");
    if (!probe)
        diag_error(d, (SrcPos){.file = o->input}, "cannot open input file: %s", strerror(errno));
    fclose(probe);

    aot_python_start(d);
    L.intro = PyImport_ImportModule("_pyaot_introspect");
    if (!L.intro)
        internal_python_error(&L, "importing _pyaot_introspect");

    PyObject *sysconfig = PyImport_ImportModule("sysconfig");
    PyObject *suffix = sysconfig ? PyObject_CallMethod(sysconfig, "get_config_var", "s", "EXT_SUFFIX") : NULL;
    if (!suffix || !PyUnicode_Check(suffix))
        internal_python_error(&L, "sysconfig.get_config_var('EXT_SUFFIX')");
    out->ext_suffix = utf8(&L, suffix);
    Py_DECREF(suffix);
    Py_DECREF(sysconfig);

    PyObject *module = PyObject_CallMethod(L.intro, "load", "ss", o->input, out->name);
    if (!module)
        import_failed(&L, o->input);

    PyObject *cli = PyList_New(0);
    for (int i = 0; i < o->sigs.len; i++) {
        const AotSigArg *s = &o->sigs.data[i];
        PyObject *pair = Py_BuildValue("(zs)", s->name, s->text);
        PyList_Append(cli, pair);
        Py_DECREF(pair);
    }
    PyObject *flags = Py_BuildValue("{sOsOsO}", "outdir_given", o->outdir_given ? Py_True : Py_False,
                                    "cpu_given", o->cpu_given ? Py_True : Py_False,
                                    "wheel", o->command == AOT_CMD_WHEEL ? Py_True : Py_False);
    PyObject *result = PyObject_CallMethod(L.intro, "collect", "OsOO", module, o->input, cli, flags);
    Py_DECREF(cli);
    Py_DECREF(flags);
    if (!result) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyObject *pending = PyObject_GetAttrString(L.intro, "MESSAGES");
        if (pending)
            report_messages(&L, pending); // what was found before the error
        PyErr_Restore(type, value, tb);
        import_failed(&L, o->input);
    }

    PyObject *described = PyTuple_GET_ITEM(result, 0);
    PyObject *exports = PyTuple_GET_ITEM(result, 1);
    PyObject *module_info = PyTuple_GET_ITEM(result, 2);
    PyObject *messages = PyTuple_GET_ITEM(result, 3);
    report_messages(&L, messages);
    L.nfuncs = (int)PyList_Size(described);
    L.funcs = ARENA_ARRAY(a, FeFunction *, L.nfuncs + 1);
    for (int i = 0; i < L.nfuncs; i++)
        L.funcs[i] = ARENA_NEW(a, FeFunction);
    for (int i = 0; i < L.nfuncs; i++) {
        PyObject *desc = PyList_GET_ITEM(described, i);
        FeFunction *fn = L.funcs[i];
        fn->name = utf8(&L, PyTuple_GET_ITEM(desc, 0));
        PyObject *defaults = PyTuple_GET_ITEM(desc, 2);
        fn->ndefaults = (int)PyTuple_Size(defaults);
        fn->defaults = ARENA_ARRAY(a, FeConst *, fn->ndefaults + 1);
        for (int k = 0; k < fn->ndefaults; k++)
            fn->defaults[k] = convert_const(&L, PyTuple_GET_ITEM(defaults, k));
        PyObject *options = PyTuple_GET_ITEM(desc, 4);
        fn->boundscheck = (FeSwitch)option(&L, options, "boundscheck");
        fn->error_model_numpy = (FeSwitch)option(&L, options, "error_model");
        fn->fastmath = (int)option(&L, options, "fastmath");
        fn->nogil = (FeSwitch)option(&L, options, "nogil");
        fn->parallel = (FeSwitch)option(&L, options, "parallel");
        fn->library = PyObject_IsTrue(PyTuple_GET_ITEM(desc, 5));
        fn->label = fn->name;
        L.nested = PyTuple_GET_ITEM(desc, 6);
        L.library = fn->library;
        fn->code = convert_code(&L, PyTuple_GET_ITEM(desc, 1), PyTuple_GET_ITEM(desc, 3), fn->library);
        L.nested = NULL;
    }
    PyObject *library = PyTuple_GET_ITEM(result, 4);
    for (Py_ssize_t i = 0; i < PyList_Size(library); i++) {
        PyObject *entry = PyList_GET_ITEM(library, i);
        FeLibraryEntry e = {.name = utf8(&L, PyTuple_GET_ITEM(entry, 0)),
                            .func = L.funcs[PyLong_AsLong(PyTuple_GET_ITEM(entry, 1))]};
        // Messages name the function as users write it: np.cumsum.
        const char *dot = strchr(e.name, '.');
        if (strncmp(e.name, "numpy.", 6) == 0 && e.func->label == e.func->name)
            e.func->label = arena_printf(a, "np.%s", dot + 1);
        else if (strncmp(e.name, "builtins.", 9) == 0 && e.func->label == e.func->name)
            e.func->label = dot + 1;
        else if ((strncmp(e.name, "list.", 5) == 0 || strncmp(e.name, "dict.", 5) == 0 ||
                  strncmp(e.name, "set.", 4) == 0) && e.func->label == e.func->name)
            e.func->label = e.name;
        vec_push(a, &out->library, e);
    }
    for (Py_ssize_t i = 0; i < PyList_Size(exports); i++) {
        PyObject *e = PyList_GET_ITEM(exports, i);
        AotExport ex = {.name = utf8(&L, PyTuple_GET_ITEM(e, 0)),
                        .func = L.funcs[PyLong_AsLong(PyTuple_GET_ITEM(e, 1))]};
        PyObject *sigs = PyTuple_GET_ITEM(e, 2);
        for (Py_ssize_t k = 0; k < PyTuple_Size(sigs); k++) {
            PyObject *s = PyTuple_GET_ITEM(sigs, k);
            FeSigText text = {.text = utf8(&L, PyTuple_GET_ITEM(s, 0))};
            // Command-line signatures (line 0) have no place in the file:
            // messages quote the signature itself.
            SrcPos pos = {.file = o->input, .line = (int)PyLong_AsLong(PyTuple_GET_ITEM(s, 1)),
                          .col = (int)PyLong_AsLong(PyTuple_GET_ITEM(s, 2))};
            if (pos.line > 0)
                text.pos = pos;
            vec_push(a, &ex.sigs, text);
        }
        vec_push(a, &out->exports, ex);
    }
    const char **fields[3] = {&out->name, &out->outdir, &out->cpu};
    for (int k = 0; k < 3; k++) {
        PyObject *v = PyTuple_GET_ITEM(module_info, k);
        if (v != Py_None)
            *fields[k] = utf8(&L, v);
    }
    Py_DECREF(result);
    Py_DECREF(module);
}
