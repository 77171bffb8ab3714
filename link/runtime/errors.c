/* Exceptions raised by compiled code. */
#include "internal.h"

void pyaot_rt_raise(int32_t exc, const char *msg) {
    PyObject *type;
    switch (exc) {
    case PYAOT_EXC_ZERO_DIVISION: type = PyExc_ZeroDivisionError; break;
    case PYAOT_EXC_INDEX: type = PyExc_IndexError; break;
    case PYAOT_EXC_VALUE: type = PyExc_ValueError; break;
    case PYAOT_EXC_OVERFLOW: type = PyExc_OverflowError; break;
    case PYAOT_EXC_TYPE: type = PyExc_TypeError; break;
    case PYAOT_EXC_MEMORY: type = PyExc_MemoryError; break;
    case PYAOT_EXC_ASSERTION: type = PyExc_AssertionError; break;
    case PYAOT_EXC_RECURSION: type = PyExc_RecursionError; break;
    default: type = PyExc_SystemError; break;
    }
    PyErr_SetString(type, msg);
}

void pyaot_rt_raise_index(int64_t index, int64_t size, int32_t axis) {
    PyErr_Format(PyExc_IndexError, "index %lld is out of bounds for axis %d with size %lld", (long long)index,
                 (int)axis, (long long)size);
}

void pyaot_rt_raise_builtin(const char *name, const char *msg) {
    PyObject *builtins = PyEval_GetBuiltins(); // borrowed
    PyObject *type = builtins ? PyDict_GetItemString(builtins, name) : NULL;
    if (!type || !PyType_Check(type) || !PyType_IsSubtype((PyTypeObject *)type, (PyTypeObject *)PyExc_BaseException)) {
        PyErr_Format(PyExc_SystemError, "compiled code raised unknown exception class %s", name);
        return;
    }
    if (msg)
        PyErr_SetString(type, msg);
    else
        PyErr_SetNone(type);
}

/* A shape as numpy prints it in this message: (3,) (2,3) (). */
static PyObject *shape_text(const int64_t *shape, int32_t ndim) {
    PyObject *parts = PyList_New(0);
    for (int32_t i = 0; parts && i < ndim; i++) {
        PyObject *n = PyUnicode_FromFormat("%lld", (long long)shape[i]);
        if (!n || PyList_Append(parts, n) < 0) {
            Py_XDECREF(n);
            Py_CLEAR(parts);
            break;
        }
        Py_DECREF(n);
    }
    if (!parts)
        return NULL;
    PyObject *comma = PyUnicode_FromString(",");
    PyObject *joined = comma ? PyUnicode_Join(comma, parts) : NULL;
    Py_XDECREF(comma);
    Py_DECREF(parts);
    if (!joined)
        return NULL;
    PyObject *text = PyUnicode_FromFormat(ndim == 1 ? "(%U,)" : "(%U)", joined);
    Py_DECREF(joined);
    return text;
}

void pyaot_rt_raise_broadcast(const int64_t *from, int32_t from_ndim, const int64_t *to, int32_t to_ndim) {
    PyObject *a = shape_text(from, from_ndim);
    PyObject *b = a ? shape_text(to, to_ndim) : NULL;
    if (b)
        PyErr_Format(PyExc_ValueError, "could not broadcast input array from shape %U into shape %U", a, b);
    Py_XDECREF(a);
    Py_XDECREF(b);
}
