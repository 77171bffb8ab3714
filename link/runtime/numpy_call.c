/* Calls from compiled code into numpy itself, for the few functions where
 * numpy's own code is the best there is (LAPACK behind np.linalg, pocketfft
 * behind np.fft, BLAS behind large products). The arguments leave as Python
 * objects (arrays as copies the call may keep), the result comes back
 * converted to the type the compiler fixed, arrays copied into blocks of
 * compiled code's own, so nothing Python owns outlives the call. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

enum { MAX_DIMS = 32 };

static int result_mismatch(const char *module, const char *name, const pyaot_type *t, const char *got) {
    char expected[160];
    pyaot_rt_describe(t, expected, sizeof expected);
    PyErr_Format(PyExc_TypeError, "%s.%s returned %s where compiled code expects %s", module, name, got, expected);
    return -1;
}

/* Copies the items of a strided buffer into dst in C order. */
static void copy_c_order(char *dst, const Py_buffer *v) {
    int64_t index[MAX_DIMS] = {0};
    int64_t count = 1;
    for (int d = 0; d < v->ndim; d++)
        count *= v->shape[d];
    for (int64_t i = 0; i < count; i++) {
        const char *src = v->buf;
        for (int d = 0; d < v->ndim; d++)
            src += index[d] * (v->strides ? v->strides[d] : 0);
        memcpy(dst + i * v->itemsize, src, (size_t)v->itemsize);
        for (int d = v->ndim - 1; d >= 0; d--) { // the next index, last axis fastest
            if (++index[d] < v->shape[d])
                break;
            index[d] = 0;
        }
    }
}

/* Whether numpy's items of `kind` may be converted to t's kind: another
 * size of the same kind, or a wider kind (numpy versions differ here: fft
 * of float32 gives complex64 in numpy 2, complex128 before), never a loss
 * of kind (complex eigenvalues where real ones were compiled for). */
static int widens(int kind, int to) {
    int rank_from = kind == PYAOT_COMPLEX ? 3 : kind == PYAOT_FLOAT ? 2 : 1;
    int rank_to = to == PYAOT_COMPLEX ? 3 : to == PYAOT_FLOAT ? 2 : 1;
    return kind != PYAOT_BOOL && to != PYAOT_BOOL && rank_from <= rank_to;
}

static int array_from_python(PyObject *o, const pyaot_type *t, char *out, const char *module, const char *name);

/* o.astype(t's dtype), then as t. */
static int converted_array(PyObject *o, const pyaot_type *t, char *out, const char *module, const char *name) {
    PyObject *c = PyObject_CallMethod(o, "astype", "s", pyaot_rt_scalar_name(t->elem_kind, t->size));
    if (!c)
        return -1;
    int status = array_from_python(c, t, out, module, name);
    Py_DECREF(c);
    return status;
}

static int array_from_python(PyObject *o, const pyaot_type *t, char *out, const char *module, const char *name) {
    Py_buffer view;
    if (PyObject_GetBuffer(o, &view, PyBUF_RECORDS_RO) != 0) {
        PyErr_Clear();
        return result_mismatch(module, name, t, Py_TYPE(o) == &PyFloat_Type ? "a float" : "an object that is no array");
    }
    int kind = 0, size = 0;
    int known = pyaot_rt_format_kind(view.format, &kind, &size);
    if (known && view.ndim == t->ndim && (kind != t->elem_kind || size != t->size) && widens(kind, t->elem_kind)) {
        PyBuffer_Release(&view);
        return converted_array(o, t, out, module, name);
    }
    if (!known || kind != t->elem_kind || size != t->size || view.ndim != t->ndim) {
        char got[64];
        snprintf(got, sizeof got, "a %d-dimensional array of %s", view.ndim,
                 pyaot_rt_format_kind(view.format, &kind, &size) ? pyaot_rt_scalar_name(kind, size) : view.format);
        PyBuffer_Release(&view);
        return result_mismatch(module, name, t, got);
    }
    pyaot_meminfo *mi = pyaot_rt_alloc(view.len, 0);
    if (!mi) {
        PyBuffer_Release(&view);
        return -1;
    }
    if (!view.strides && view.len) // contiguous: PEP 3118 leaves strides out
        memcpy(mi->data, view.buf, (size_t)view.len);
    else
        copy_c_order(mi->data, &view);
    *(pyaot_meminfo **)out = mi;
    *(void **)(out + 8) = mi->data;
    int64_t *shape = (int64_t *)(out + 16), *strides = shape + t->ndim;
    int64_t stride = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        shape[d] = view.shape[d];
        strides[d] = stride;
        stride *= view.shape[d];
    }
    PyBuffer_Release(&view);
    return 0;
}

/* A numpy scalar of a narrower kind or size than t (int32 for int64). */
static int widened_scalar(PyObject *o, const pyaot_type *t, char *out, const char *module, const char *name) {
    PyObject *v = t->kind == PYAOT_COMPLEX ? PyObject_CallMethod(o, "__complex__", NULL)
                  : t->kind == PYAOT_FLOAT ? PyNumber_Float(o)
                                            : PyNumber_Index(o);
    if (!v)
        return -1;
    int status = 0;
    if (t->kind == PYAOT_COMPLEX) {
        double re = PyComplex_RealAsDouble(v), im = PyComplex_ImagAsDouble(v);
        if (t->size == 8) {
            ((float *)out)[0] = (float)re;
            ((float *)out)[1] = (float)im;
        } else {
            ((double *)out)[0] = re;
            ((double *)out)[1] = im;
        }
    } else if (t->kind == PYAOT_FLOAT) {
        double x = PyFloat_AsDouble(v);
        if (t->size == 4)
            *(float *)out = (float)x;
        else
            *(double *)out = x;
    } else if (t->size == 8 && t->kind == PYAOT_INT) {
        *(int64_t *)out = PyLong_AsLongLong(v);
    } else {
        status = result_mismatch(module, name, t, "an integer of another size");
    }
    Py_DECREF(v);
    return PyErr_Occurred() ? -1 : status;
}

/* A numpy scalar, or a Python number, as t. */
static int scalar_from_python(PyObject *o, const pyaot_type *t, char *out, const char *module, const char *name) {
    if (PyObject_CheckBuffer(o) && !PyLong_Check(o) && !PyFloat_Check(o) && !PyComplex_Check(o)) {
        // A 0-d array or numpy scalar: its item, numpy's type checked.
        Py_buffer view;
        if (PyObject_GetBuffer(o, &view, PyBUF_RECORDS_RO) == 0) {
            int kind = 0, size = 0;
            int fits = view.ndim == 0 && pyaot_rt_format_kind(view.format, &kind, &size) && kind == t->kind &&
                       size == t->size;
            int widened = !fits && view.ndim == 0 && kind && widens(kind, t->kind);
            if (fits)
                memcpy(out, view.buf, (size_t)size);
            PyBuffer_Release(&view);
            if (fits)
                return 0;
            if (widened) // through Python's int, float or complex
                return widened_scalar(o, t, out, module, name);
            char got[64];
            snprintf(got, sizeof got, "%s", kind ? pyaot_rt_scalar_name(kind, size) : "an array");
            return result_mismatch(module, name, t, got);
        }
        PyErr_Clear();
    }
    switch (t->kind) {
    case PYAOT_BOOL:
        if (!PyBool_Check(o))
            break;
        *(uint8_t *)out = o == Py_True;
        return 0;
    case PYAOT_FLOAT: {
        if (!PyFloat_Check(o) && !PyLong_Check(o))
            break;
        double v = PyFloat_AsDouble(o);
        if (v == -1.0 && PyErr_Occurred())
            return -1;
        if (t->size == 4)
            *(float *)out = (float)v;
        else
            *(double *)out = v;
        return 0;
    }
    case PYAOT_INT: {
        if (!PyLong_Check(o) || t->size != 8)
            break;
        long long v = PyLong_AsLongLong(o);
        if (v == -1 && PyErr_Occurred())
            return -1;
        *(int64_t *)out = v;
        return 0;
    }
    case PYAOT_COMPLEX:
        if (!PyComplex_Check(o) || t->size != 16)
            break;
        ((double *)out)[0] = PyComplex_RealAsDouble(o);
        ((double *)out)[1] = PyComplex_ImagAsDouble(o);
        return 0;
    default:
        break;
    }
    return result_mismatch(module, name, t, Py_TYPE(o) == &PyComplex_Type ? "a complex" : "another type");
}

static int from_python(PyObject *o, const pyaot_type *t, char *out, const char *module, const char *name) {
    switch (t->kind) {
    case PYAOT_NONE:
        return 0;
    case PYAOT_ARRAY:
        return array_from_python(o, t, out, module, name);
    case PYAOT_TUPLE: {
        // numpy's results of several arrays are tuples (named ones in numpy 2).
        if (!PyTuple_Check(o) || PyTuple_Size(o) != t->nfields)
            return result_mismatch(module, name, t, "another number of values");
        for (int i = 0; i < t->nfields; i++)
            if (from_python(PyTuple_GetItem(o, i), t->fields[i], out + t->offsets[i], module, name) < 0)
                return -1;
        return 0;
    }
    default:
        return scalar_from_python(o, t, out, module, name);
    }
}

int32_t pyaot_rt_call_numpy(const char *module, const char *name, const void *args, const pyaot_type *args_t,
                            void *out, const pyaot_type *out_t) {
    int64_t py = pyaot_rt_python_enter();
    int32_t status = -1;
    PyObject *callable = NULL, *pyargs = NULL, *result = NULL;
    PyObject *mod = PyImport_ImportModule(module);
    if (mod) {
        callable = PyObject_GetAttrString(mod, name);
        Py_DECREF(mod);
    }
    if (callable)
        pyargs = pyaot_rt_box(args, args_t); // consumes the arrays' references
    else
        pyaot_rt_drop(args, args_t);
    if (pyargs) {
        // numpy releases the GIL in LAPACK and FFT: another thread's compiled
        // code may run meanwhile.
        pyaot_stack_state stack;
        pyaot_rt_stack_save(&stack);
        result = PyObject_Call(callable, pyargs, NULL);
        pyaot_rt_stack_restore(&stack);
    }
    if (result)
        status = from_python(result, out_t, out, module, name) < 0 ? -1 : 0;
    Py_XDECREF(result);
    Py_XDECREF(pyargs);
    Py_XDECREF(callable);
    pyaot_rt_python_leave(py);
    return status;
}
