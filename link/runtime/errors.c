/* Exceptions raised by compiled code. Compiled code may run without the
 * GIL, so each function here takes it around its work (gil.c). */
#include "internal.h"

#include <stdio.h>

static PyObject *exception_type(int32_t exc) {
    switch (exc) {
    case PYAOT_EXC_ZERO_DIVISION: return PyExc_ZeroDivisionError;
    case PYAOT_EXC_INDEX: return PyExc_IndexError;
    case PYAOT_EXC_VALUE: return PyExc_ValueError;
    case PYAOT_EXC_OVERFLOW: return PyExc_OverflowError;
    case PYAOT_EXC_TYPE: return PyExc_TypeError;
    case PYAOT_EXC_MEMORY: return PyExc_MemoryError;
    case PYAOT_EXC_ASSERTION: return PyExc_AssertionError;
    case PYAOT_EXC_RECURSION: return PyExc_RecursionError;
    default: return PyExc_SystemError;
    }
}

void pyaot_rt_raise_format(int32_t exc, const char *format, const int64_t *values, int32_t n) {
    int64_t py = pyaot_rt_python_enter();
    // %d takes the next value; everything else is copied.
    char text[1024];
    size_t at = 0;
    int32_t k = 0;
    for (const char *p = format; *p && at + 24 < sizeof text; p++) {
        if (p[0] == '%' && p[1] == 'd' && k < n) {
            at += (size_t)snprintf(text + at, sizeof text - at, "%lld", (long long)values[k++]);
            p++;
        } else {
            text[at++] = *p;
        }
    }
    text[at] = 0;
    PyErr_SetString(exception_type(exc), text);
    pyaot_rt_python_leave(py);
}

void pyaot_rt_raise(int32_t exc, const char *msg) {
    int64_t py = pyaot_rt_python_enter();
    PyErr_SetString(exception_type(exc), msg);
    pyaot_rt_python_leave(py);
}

void pyaot_rt_raise_index(int64_t index, int64_t size, int32_t axis) {
    int64_t py = pyaot_rt_python_enter();
    PyErr_Format(PyExc_IndexError, "index %lld is out of bounds for axis %d with size %lld", (long long)index,
                 (int)axis, (long long)size);
    pyaot_rt_python_leave(py);
}

static void raise_builtin(const char *name, const char *msg) {
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

/* A shape as numpy prints it in its messages: (3,) (2,3) (). */
PyObject *pyaot_rt_shape_text(const int64_t *shape, int32_t ndim) {
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

void pyaot_rt_raise_builtin(const char *name, const char *msg) {
    int64_t py = pyaot_rt_python_enter();
    raise_builtin(name, msg);
    pyaot_rt_python_leave(py);
}

void pyaot_rt_raise_broadcast(const int64_t *from, int32_t from_ndim, const int64_t *to, int32_t to_ndim) {
    int64_t py = pyaot_rt_python_enter();
    PyObject *a = pyaot_rt_shape_text(from, from_ndim);
    PyObject *b = a ? pyaot_rt_shape_text(to, to_ndim) : NULL;
    if (b)
        PyErr_Format(PyExc_ValueError, "could not broadcast input array from shape %U into shape %U", a, b);
    Py_XDECREF(a);
    Py_XDECREF(b);
    pyaot_rt_python_leave(py);
}

void pyaot_rt_raise_broadcast_operands(const int64_t *shapes, const int32_t *ndims, int32_t n) {
    int64_t py = pyaot_rt_python_enter();
    PyObject *text = PyUnicode_FromString("");
    for (int32_t i = 0; text && i < n; i++) {
        PyObject *shape = pyaot_rt_shape_text(shapes, ndims[i]);
        PyObject *more = shape ? PyUnicode_FromFormat("%U%U ", text, shape) : NULL;
        Py_XDECREF(shape);
        Py_DECREF(text);
        text = more;
        shapes += ndims[i];
    }
    if (text)
        PyErr_Format(PyExc_ValueError, "operands could not be broadcast together with shapes %U", text);
    Py_XDECREF(text);
    pyaot_rt_python_leave(py);
}

static void raise_output_shape(const int64_t *out, int32_t out_ndim, const int64_t *result, int32_t result_ndim) {
    // The output fits when the result's shape broadcasts to it; when both
    // broadcast to a larger one, numpy names that one.
    int64_t merged[64];
    int ok = result_ndim <= out_ndim && out_ndim <= 64;
    for (int32_t i = 0; ok && i < out_ndim; i++) {
        int32_t j = i - (out_ndim - result_ndim);
        int64_t r = j >= 0 ? result[j] : 1, o = out[i];
        ok = r == o || r == 1 || o == 1;
        merged[i] = o == 1 ? r : o;
    }
    if (!ok) {
        int64_t shapes[128];
        int32_t ndims[2] = {result_ndim, out_ndim};
        for (int32_t i = 0; i < result_ndim && i < 64; i++)
            shapes[i] = result[i];
        for (int32_t i = 0; i < out_ndim && i < 64; i++)
            shapes[result_ndim + i] = out[i];
        pyaot_rt_raise_broadcast_operands(shapes, ndims, 2);
        return;
    }
    PyObject *a = pyaot_rt_shape_text(out, out_ndim);
    PyObject *b = a ? pyaot_rt_shape_text(merged, out_ndim) : NULL;
    if (b)
        PyErr_Format(PyExc_ValueError, "non-broadcastable output operand with shape %U doesn't match the broadcast "
                                       "shape %U", a, b);
    Py_XDECREF(a);
    Py_XDECREF(b);
}

void pyaot_rt_raise_output_shape(const int64_t *out, int32_t out_ndim, const int64_t *result, int32_t result_ndim) {
    int64_t py = pyaot_rt_python_enter();
    raise_output_shape(out, out_ndim, result, result_ndim);
    pyaot_rt_python_leave(py);
}

void pyaot_rt_raise_mask_mismatch(int32_t axis, int64_t size, int64_t mask_size) {
    int64_t py = pyaot_rt_python_enter();
    PyErr_Format(PyExc_IndexError, "boolean index did not match indexed array along dimension %d; dimension is %lld "
                                   "but corresponding boolean dimension is %lld",
                 (int)axis, (long long)size, (long long)mask_size);
    pyaot_rt_python_leave(py);
}

static void raise_selection_shape(const int64_t *value, int32_t value_ndim, const int64_t *selection,
                                  int32_t selection_ndim, int32_t whole_mask) {
    int64_t nvalue = 1, nselected = 1;
    for (int32_t i = 0; i < value_ndim; i++)
        nvalue *= value[i];
    for (int32_t i = 0; i < selection_ndim; i++)
        nselected *= selection[i];
    if (whole_mask && value_ndim <= 1) {
        PyErr_Format(PyExc_ValueError, "NumPy boolean array indexing assignment cannot assign %lld input values to "
                                       "the %lld output values where the mask is true",
                     (long long)nvalue, (long long)nselected);
        return;
    }
    PyObject *a = pyaot_rt_shape_text(value, value_ndim);
    PyObject *b = a ? pyaot_rt_shape_text(selection, selection_ndim) : NULL;
    if (b)
        PyErr_Format(PyExc_ValueError, "shape mismatch: value array of shape %U could not be broadcast to indexing "
                                       "result of shape %U", a, b);
    Py_XDECREF(a);
    Py_XDECREF(b);
}

void pyaot_rt_raise_selection_shape(const int64_t *value, int32_t value_ndim, const int64_t *selection,
                                    int32_t selection_ndim, int32_t whole_mask) {
    int64_t py = pyaot_rt_python_enter();
    raise_selection_shape(value, value_ndim, selection, selection_ndim, whole_mask);
    pyaot_rt_python_leave(py);
}

void pyaot_rt_raise_axis_error(int64_t axis, int64_t ndim) {
    int64_t py = pyaot_rt_python_enter();
    // numpy's own class (numpy.exceptions.AxisError from 1.25, numpy.AxisError
    // before), so that callers catch it as they would numpy's.
    PyObject *numpy = PyImport_ImportModule("numpy");
    PyObject *where = numpy ? PyObject_GetAttrString(numpy, "exceptions") : NULL;
    PyObject *cls = where ? PyObject_GetAttrString(where, "AxisError") : NULL;
    if (!cls) {
        PyErr_Clear();
        cls = numpy ? PyObject_GetAttrString(numpy, "AxisError") : NULL;
    }
    PyErr_Clear();
    if (cls) {
        PyObject *exc = PyObject_CallFunction(cls, "LL", (long long)axis, (long long)ndim);
        if (exc) {
            PyErr_SetObject(cls, exc);
            Py_DECREF(exc);
        }
    } else {
        PyErr_Format(PyExc_ValueError, "axis %lld is out of bounds for array of dimension %lld", (long long)axis,
                     (long long)ndim);
    }
    Py_XDECREF(cls);
    Py_XDECREF(where);
    Py_XDECREF(numpy);
    pyaot_rt_python_leave(py);
}
