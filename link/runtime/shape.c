/* Reshaping: which new shape an array takes (one -1 resolved from its size)
 * and whether the new shape can be a view of the same items in the same C
 * order, as numpy decides it. */
#include "internal.h"

/* The shape as numpy prints it in reshape's message: -1 as "newaxis". */
static void shape_error(int64_t size, const int64_t *shape, int32_t ndim) {
    int64_t py = pyaot_rt_python_enter(); // compiled code may run without the GIL
    PyObject *text = PyUnicode_FromString("(");
    for (int32_t i = 0; text && i < ndim; i++) {
        PyObject *more = shape[i] == -1 ? PyUnicode_FromFormat("%U%snewaxis", text, i ? "," : "")
                                        : PyUnicode_FromFormat("%U%s%lld", text, i ? "," : "", (long long)shape[i]);
        Py_DECREF(text);
        text = more;
    }
    if (text)
        PyErr_Format(PyExc_ValueError, "cannot reshape array of size %lld into shape %U%s)", (long long)size, text,
                     ndim == 1 ? "," : "");
    Py_XDECREF(text);
    pyaot_rt_python_leave(py);
}

static void value_error(const char *message) {
    int64_t py = pyaot_rt_python_enter();
    PyErr_SetString(PyExc_ValueError, message);
    pyaot_rt_python_leave(py);
}

/* The new axes [j, j_end) cover the old axes [i, i_end) (equal products):
 * a view needs those old axes to step through memory as one C-ordered run. */
static int regroup(const int64_t *od, const int64_t *os, int i, int i_end, const int64_t *nd, int64_t *ns, int j,
                   int j_end) {
    for (int k = i; k + 1 < i_end; k++)
        if (os[k] != od[k + 1] * os[k + 1])
            return 0;
    ns[j_end - 1] = os[i_end - 1];
    for (int k = j_end - 1; k > j; k--)
        ns[k - 1] = ns[k] * nd[k];
    return 1;
}

int32_t pyaot_rt_reshape(const int64_t *old_shape, const int64_t *old_strides, int32_t old_ndim, int64_t *shape,
                         int64_t *strides, int32_t ndim) {
    int64_t size = 1, known = 1;
    int32_t unknown = -1;
    for (int32_t i = 0; i < old_ndim; i++)
        size *= old_shape[i];
    for (int32_t i = 0; i < ndim; i++) {
        if (shape[i] == -1) {
            if (unknown >= 0) {
                value_error("can only specify one unknown dimension");
                return -1;
            }
            unknown = i;
        } else if (shape[i] < 0) {
            value_error("negative dimensions not allowed");
            return -1;
        } else {
            known *= shape[i];
        }
    }
    if (unknown >= 0) {
        if (known == 0 || size % known != 0) {
            shape_error(size, shape, ndim);
            return -1;
        }
        shape[unknown] = size / known;
    } else if (known != size) {
        shape_error(size, shape, ndim);
        return -1;
    }
    // C-contiguous strides serve when there are no items to lay out.
    int64_t step = 1;
    for (int32_t i = ndim - 1; i >= 0; i--) {
        strides[i] = step;
        step *= shape[i] > 0 ? shape[i] : 1;
    }
    if (size == 0)
        return 1;
    // Axes of length 1 lay nothing out; drop them from the old shape.
    int64_t od[64], os[64];
    int on = 0;
    for (int32_t i = 0; i < old_ndim && on < 64; i++)
        if (old_shape[i] != 1) {
            od[on] = old_shape[i];
            os[on++] = old_strides[i];
        }
    int i = 0, j = 0;
    while (i < on && j < ndim) {
        int i_end = i + 1, j_end = j + 1;
        int64_t po = od[i], pn = shape[j];
        while (po != pn) {
            if (pn < po)
                pn *= shape[j_end++];
            else
                po *= od[i_end++];
        }
        if (!regroup(od, os, i, i_end, shape, strides, j, j_end))
            return 0;
        i = i_end;
        j = j_end;
    }
    return 1;
}
