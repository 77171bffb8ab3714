/* Arguments from Python: binding to parameters, choosing an overload, and
 * converting each argument to its native representation. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

int32_t pyaot_rt_bind(const pyaot_func *f, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                      PyObject **bound) {
    int n = f->nparams;
    if (nargs > n) {
        if (f->nrequired == n)
            PyErr_Format(PyExc_TypeError, "%s() takes %d positional argument%s but %zd %s given", f->name, n,
                         n == 1 ? "" : "s", nargs, nargs == 1 ? "was" : "were");
        else
            PyErr_Format(PyExc_TypeError, "%s() takes from %d to %d positional arguments but %zd were given",
                         f->name, f->nrequired, n, nargs);
        return -1;
    }
    for (int i = 0; i < n; i++)
        bound[i] = i < nargs ? args[i] : NULL;
    Py_ssize_t nkw = kwnames ? PyTuple_Size(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *name = PyTuple_GetItem(kwnames, k);
        int p = -1;
        for (int i = 0; i < n && p < 0; i++)
            if (PyUnicode_CompareWithASCIIString(name, f->param_names[i]) == 0)
                p = i;
        if (p < 0) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", f->name, name);
            return -1;
        }
        if (bound[p]) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", f->name, f->param_names[p]);
            return -1;
        }
        bound[p] = args[nargs + k];
    }
    for (int i = 0; i < f->nrequired; i++)
        if (!bound[i]) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %d)", f->name, f->param_names[i],
                         i + 1);
            return -1;
        }
    return 0;
}

/* The name of o's type as a user knows it: "float", "numpy.ndarray". */
static void type_name(PyObject *o, char *buf, size_t size) {
    PyObject *type = (PyObject *)Py_TYPE(o);
    PyObject *mod = PyObject_GetAttrString(type, "__module__");
    PyObject *name = PyObject_GetAttrString(type, "__qualname__");
    const char *m = mod && PyUnicode_Check(mod) ? PyUnicode_AsUTF8AndSize(mod, NULL) : NULL;
    const char *q = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, NULL) : NULL;
    if (m && strcmp(m, "builtins") != 0)
        snprintf(buf, size, "%s.%s", m, q ? q : "?");
    else
        snprintf(buf, size, "%s", q ? q : "?");
    Py_XDECREF(mod);
    Py_XDECREF(name);
    PyErr_Clear();
}

/* What o is, for messages: "float", "numpy.ndarray of float64 (2-D)". */
static void object_description(PyObject *o, char *buf, size_t size) {
    char tname[128];
    type_name(o, tname, sizeof tname);
    Py_buffer view;
    if (!PyLong_Check(o) && !PyFloat_Check(o) && PyObject_GetBuffer(o, &view, PyBUF_RECORDS_RO) == 0) {
        int kind, isize;
        if (pyaot_rt_format_kind(view.format, &kind, &isize)) {
            snprintf(buf, size, "%s of %s (%d-D)", tname, pyaot_rt_scalar_name(kind, isize), view.ndim);
        } else {
            snprintf(buf, size, "%s with format '%s' (%d-D)", tname, view.format ? view.format : "B", view.ndim);
        }
        PyBuffer_Release(&view);
        return;
    }
    PyErr_Clear();
    snprintf(buf, size, "%s", tname);
}

/* A bool scalar other than Python's: numpy's (numpy.bool_ in 1.x, numpy.bool
 * in 2.x) says so through its buffer, a 0-D buffer of format '?', whatever
 * numpy calls the type. */
static int is_bool_scalar(PyObject *o) {
    if (PyLong_Check(o) || PyFloat_Check(o) || !PyObject_CheckBuffer(o))
        return 0;
    Py_buffer view;
    if (PyObject_GetBuffer(o, &view, PyBUF_RECORDS_RO) != 0) {
        PyErr_Clear();
        return 0;
    }
    int kind, size;
    int is_bool = view.ndim == 0 && pyaot_rt_format_kind(view.format, &kind, &size) && kind == PYAOT_BOOL;
    PyBuffer_Release(&view);
    return is_bool;
}

static int is_complex_like(PyObject *o) {
    if (PyComplex_Check(o))
        return 1;
    int has = PyObject_HasAttrString((PyObject *)Py_TYPE(o), "__complex__");
    return has && !PyFloat_Check(o);
}

static int is_real_number(PyObject *o) {
    if (PyFloat_Check(o) || PyLong_Check(o))
        return 1;
    if (is_complex_like(o))
        return 0;
    return PyObject_HasAttrString((PyObject *)Py_TYPE(o), "__float__") || PyIndex_Check(o);
}

/* C-contiguity of a buffer: dimensions of length 1 may have any stride. */
static int c_contiguous(const Py_buffer *v) {
    if (!v->strides)
        return 1;
    Py_ssize_t expected = v->itemsize;
    for (int d = v->ndim - 1; d >= 0; d--) {
        if (v->shape[d] == 0)
            return 1;
        if (v->shape[d] != 1 && v->strides[d] != expected)
            return 0;
        expected *= v->shape[d];
    }
    return 1;
}

/* Why buffer v cannot be passed as t, or NULL when it can. */
static const char *array_mismatch(const Py_buffer *v, const pyaot_type *t) {
    int kind, size;
    if (!pyaot_rt_format_kind(v->format, &kind, &size) || kind != t->elem_kind || size != t->size ||
        v->itemsize != t->size)
        return "wrong dtype";
    if (v->ndim != t->ndim)
        return "wrong number of dimensions";
    if (t->layout == 'C' && !c_contiguous(v))
        return "the array is not C-contiguous";
    int align = t->size > 8 ? 8 : t->size;
    if ((uintptr_t)v->buf % (uintptr_t)align)
        return "the array's data is not aligned";
    for (int d = 0; d < v->ndim; d++)
        if (v->strides && v->strides[d] % t->size)
            return "the array's strides are not multiples of its item size";
    return NULL;
}

int32_t pyaot_rt_match(PyObject *o, const pyaot_type *t) {
    if (!o)
        return 2;
    switch (t->kind) {
    case PYAOT_NONE:
        return o == Py_None ? 2 : 0;
    case PYAOT_BOOL:
        return PyBool_Check(o) || is_bool_scalar(o) ? 2 : 0;
    case PYAOT_INT: case PYAOT_UINT:
        if (PyBool_Check(o))
            return 1;
        if (PyLong_Check(o))
            return 2;
        return !PyFloat_Check(o) && PyIndex_Check(o) ? 1 : 0;
    case PYAOT_FLOAT:
        if (PyFloat_Check(o))
            return t->size == 8 ? 2 : 1;
        return is_real_number(o) && !PyBool_Check(o) ? 1 : 0;
    case PYAOT_COMPLEX:
        if (PyComplex_Check(o))
            return t->size == 16 ? 2 : 1;
        return is_complex_like(o) || (is_real_number(o) && !PyBool_Check(o)) ? 1 : 0;
    case PYAOT_TUPLE: {
        if (!PyTuple_Check(o) || PyTuple_Size(o) != t->nfields)
            return 0;
        int32_t score = 2;
        for (int i = 0; i < t->nfields; i++) {
            int32_t s = pyaot_rt_match(PyTuple_GetItem(o, i), t->fields[i]);
            score = s < score ? s : score;
        }
        return score;
    }
    case PYAOT_LIST:
        return pyaot_rt_list_match(o, t);
    case PYAOT_DICT: case PYAOT_SET:
        return pyaot_rt_dict_match(o, t);
    case PYAOT_ARRAY: {
        Py_buffer v;
        if (PyLong_Check(o) || PyFloat_Check(o) || PyObject_GetBuffer(o, &v, PyBUF_RECORDS_RO) != 0) {
            PyErr_Clear();
            return 0;
        }
        int ok = !array_mismatch(&v, t) && !(t->writable && v.readonly);
        PyBuffer_Release(&v);
        return ok ? 2 : 0;
    }
    default:
        return 0;
    }
}

int32_t pyaot_rt_no_match(const pyaot_func *f, PyObject **bound, Py_ssize_t n) {
    char passed[1024] = "", item[160];
    size_t len = 0;
    for (Py_ssize_t i = 0; i < n && len < sizeof passed - 1; i++) {
        if (bound[i])
            object_description(bound[i], item, sizeof item);
        else
            snprintf(item, sizeof item, "default");
        len += (size_t)snprintf(passed + len, sizeof passed - len, "%s%s", i ? ", " : "", item);
    }
    char sigs[2048] = "";
    len = 0;
    for (int k = 0; k < f->noverloads && len < sizeof sigs - 1; k++)
        len += (size_t)snprintf(sigs + len, sizeof sigs - len, "\n    %s", f->signatures[k]);
    PyErr_Format(PyExc_TypeError, "%s(): no compiled signature accepts (%s); it was compiled for:%s", f->name, passed,
                 sigs);
    return -1;
}

static int arg_error(PyObject *exc, const pyaot_func *f, int32_t param, const char *fmt, const char *what) {
    char msg[512];
    snprintf(msg, sizeof msg, fmt, what);
    PyErr_Format(exc, "%s() argument '%s': %s", f->name, f->param_names[param], msg);
    return -1;
}

static int type_mismatch(PyObject *o, const pyaot_type *t, const pyaot_func *f, int32_t param, const char *why) {
    char expected[160], got[200], msg[512];
    pyaot_rt_describe(t, expected, sizeof expected);
    object_description(o, got, sizeof got);
    snprintf(msg, sizeof msg, "expected %s, got %s%s%s", expected, got, why ? ": " : "", why ? why : "");
    return arg_error(PyExc_TypeError, f, param, "%s", msg);
}

static int unbox_integer(PyObject *o, const pyaot_type *t, void *out, const pyaot_func *f, int32_t param) {
    // Plain ints first, with no other type test and no __index__ call: this
    // path is most of a call's cost.
    PyObject *idx;
    if (PyLong_CheckExact(o)) {
        idx = Py_NewRef(o);
    } else {
        if (PyFloat_Check(o) || (!PyLong_Check(o) && !PyIndex_Check(o)))
            return type_mismatch(o, t, f, param, NULL);
        idx = PyNumber_Index(o);
    }
    int bits = t->size * 8;
    if (t->kind == PYAOT_INT) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(idx, &overflow);
        Py_DECREF(idx);
        if (v == -1 && PyErr_Occurred())
            return -1;
        long long lo = bits == 64 ? INT64_MIN : -(1LL << (bits - 1));
        long long hi = bits == 64 ? INT64_MAX : (1LL << (bits - 1)) - 1;
        if (overflow || v < lo || v > hi)
            return arg_error(PyExc_OverflowError, f, param, "Python int too large to convert to %s", t->name);
        switch (t->size) {
        case 1: *(int8_t *)out = (int8_t)v; break;
        case 2: *(int16_t *)out = (int16_t)v; break;
        case 4: *(int32_t *)out = (int32_t)v; break;
        default: *(int64_t *)out = (int64_t)v; break;
        }
        return 0;
    }
    int sign_overflow = 0;
    long long as_signed = PyLong_AsLongLongAndOverflow(idx, &sign_overflow);
    int negative = sign_overflow < 0 || (sign_overflow == 0 && as_signed < 0);
    unsigned long long v = negative ? 0 : PyLong_AsUnsignedLongLong(idx);
    Py_DECREF(idx);
    if (negative || (v == (unsigned long long)-1 && PyErr_Occurred()) || (bits < 64 && v >> bits)) {
        PyErr_Clear();
        return arg_error(PyExc_OverflowError, f, param, "Python int out of range for %s", t->name);
    }
    switch (t->size) {
    case 1: *(uint8_t *)out = (uint8_t)v; break;
    case 2: *(uint16_t *)out = (uint16_t)v; break;
    case 4: *(uint32_t *)out = (uint32_t)v; break;
    default: *(uint64_t *)out = (uint64_t)v; break;
    }
    return 0;
}

static int unbox_array(PyObject *o, const pyaot_type *t, void *out, pyaot_meminfo *mi, Py_buffer *view,
                       const pyaot_func *f, int32_t param) {
    if (PyLong_Check(o) || PyFloat_Check(o) || PyObject_GetBuffer(o, view, PyBUF_RECORDS_RO) != 0) {
        PyErr_Clear();
        return type_mismatch(o, t, f, param, NULL);
    }
    const char *why = array_mismatch(view, t);
    if (!why && t->writable && view->readonly)
        why = "the array is read-only and the function stores into it";
    if (why) {
        type_mismatch(o, t, f, param, why);
        PyBuffer_Release(view);
        return -1;
    }
    memset(mi, 0, sizeof *mi);
    mi->refcount = 1;
    mi->data = view->buf;
    mi->nbytes = view->len;
    mi->owner = o;
    char *p = out;
    *(pyaot_meminfo **)p = mi;
    *(void **)(p + 8) = view->buf;
    int64_t *shape = (int64_t *)(p + 16), *strides = shape + t->ndim;
    int64_t stride = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        shape[d] = view->shape[d];
        strides[d] = view->strides ? view->strides[d] / t->size : stride;
        stride *= view->shape[d];
    }
    return 0;
}

int32_t pyaot_rt_unbox(PyObject *o, const pyaot_type *t, void *out, pyaot_meminfo *mi, Py_buffer *view,
                       const pyaot_func *f, int32_t param) {
    switch (t->kind) {
    case PYAOT_NONE:
        if (o != Py_None)
            return type_mismatch(o, t, f, param, NULL);
        return 0;
    case PYAOT_BOOL:
        if (!PyBool_Check(o) && !is_bool_scalar(o))
            return type_mismatch(o, t, f, param, NULL);
        *(uint8_t *)out = (uint8_t)PyObject_IsTrue(o);
        return 0;
    case PYAOT_INT: case PYAOT_UINT:
        return unbox_integer(o, t, out, f, param);
    case PYAOT_FLOAT: {
        if (!PyFloat_CheckExact(o) && !is_real_number(o))
            return type_mismatch(o, t, f, param, NULL);
        double v = PyFloat_AsDouble(o);
        if (v == -1.0 && PyErr_Occurred())
            return -1;
        if (t->size == 4)
            *(float *)out = (float)v;
        else
            *(double *)out = v;
        return 0;
    }
    case PYAOT_COMPLEX: {
        if (!is_complex_like(o) && !is_real_number(o))
            return type_mismatch(o, t, f, param, NULL);
        PyObject *c = PyComplex_Check(o) ? (Py_INCREF(o), o)
                      : is_complex_like(o) ? PyObject_CallMethod(o, "__complex__", NULL)
                                           : PyComplex_FromDoubles(PyFloat_AsDouble(o), 0.0);
        if (!c)
            return -1;
        double re = PyComplex_RealAsDouble(c), im = PyComplex_ImagAsDouble(c);
        Py_DECREF(c);
        if (PyErr_Occurred())
            return -1;
        if (t->size == 8) {
            ((float *)out)[0] = (float)re;
            ((float *)out)[1] = (float)im;
        } else {
            ((double *)out)[0] = re;
            ((double *)out)[1] = im;
        }
        return 0;
    }
    case PYAOT_TUPLE: {
        if (!PyTuple_Check(o) || PyTuple_Size(o) != t->nfields)
            return type_mismatch(o, t, f, param, NULL);
        for (int i = 0; i < t->nfields; i++) {
            const pyaot_type *ft = t->fields[i];
            if (ft->kind == PYAOT_ARRAY || ft->kind == PYAOT_TUPLE) {
                if (ft->kind == PYAOT_ARRAY)
                    return arg_error(PyExc_TypeError, f, param, "%s", "arrays inside tuple arguments are not supported");
            }
            if (pyaot_rt_unbox(PyTuple_GetItem(o, i), ft, (char *)out + t->offsets[i], NULL, NULL, f, param) < 0)
                return -1;
        }
        return 0;
    }
    case PYAOT_ARRAY:
        return unbox_array(o, t, out, mi, view, f, param);
    case PYAOT_LIST:
        return pyaot_rt_list_unbox(o, t, out, f, param);
    case PYAOT_DICT: case PYAOT_SET:
        return pyaot_rt_dict_unbox(o, t, out, f, param);
    default:
        PyErr_SetString(PyExc_SystemError, "pyaot: bad type descriptor");
        return -1;
    }
}

void pyaot_rt_release(Py_buffer *view) {
    PyBuffer_Release(view);
}

int32_t pyaot_rt_unbox_int64_fast(PyObject *o, int64_t *out) {
    if (!PyLong_CheckExact(o))
        return 0;
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow)
        return 0;
    *out = v;
    return 1;
}

int32_t pyaot_rt_unbox_float64_fast(PyObject *o, double *out) {
    if (!PyFloat_CheckExact(o))
        return 0;
    *out = PyFloat_AsDouble(o);
    return 1;
}
