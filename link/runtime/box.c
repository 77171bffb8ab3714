/* Native values to Python objects. Arrays leave as numpy.ndarray sharing
 * their memory: a small exporter object offers the memory through the
 * buffer protocol, numpy.asarray wraps it, and the exporter (kept alive by
 * the ndarray's .base) frees the block when the last view goes. */
#include "internal.h"

#include <string.h>

enum { MAX_DIMS = 32 };

typedef struct Exporter {
    PyObject_HEAD
    pyaot_meminfo *mi;  // an allocated block this exporter holds a reference to, or NULL
    PyObject *owner;    // or the Python object whose memory this views
    void *data;
    int ndim;
    int readonly;
    Py_ssize_t itemsize;
    char format[4];
    Py_ssize_t shape[MAX_DIMS];
    Py_ssize_t strides[MAX_DIMS]; // bytes
} Exporter;

static PyTypeObject *exporter_type;
static PyObject *numpy_asarray;

static int exporter_getbuffer(PyObject *self, Py_buffer *view, int flags) {
    Exporter *e = (Exporter *)self;
    if ((flags & PyBUF_WRITABLE) && e->readonly) {
        PyErr_SetString(PyExc_BufferError, "the array is read-only");
        return -1;
    }
    Py_ssize_t len = e->itemsize;
    for (int d = 0; d < e->ndim; d++)
        len *= e->shape[d];
    view->buf = e->data;
    view->obj = Py_NewRef(self);
    view->len = len;
    view->readonly = e->readonly;
    view->itemsize = e->itemsize;
    view->format = (flags & PyBUF_FORMAT) ? e->format : NULL;
    view->ndim = e->ndim;
    view->shape = e->shape;
    view->strides = e->strides;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

static void exporter_releasebuffer(PyObject *self, Py_buffer *view) {
    (void)self;
    (void)view;
}

static void exporter_dealloc(PyObject *self) {
    Exporter *e = (Exporter *)self;
    PyTypeObject *tp = Py_TYPE(self);
    pyaot_rt_decref(e->mi);
    Py_XDECREF(e->owner);
    freefunc tp_free = (freefunc)PyType_GetSlot(tp, Py_tp_free);
    tp_free(self);
    Py_DECREF(tp);
}

static int ensure_types(void) {
    if (!exporter_type) {
        PyType_Slot slots[] = {
            {Py_bf_getbuffer, (void *)exporter_getbuffer},
            {Py_bf_releasebuffer, (void *)exporter_releasebuffer},
            {Py_tp_dealloc, (void *)exporter_dealloc},
            {Py_tp_doc, (void *)"Memory of an array made by compiled code."},
            {0, NULL},
        };
        PyType_Spec spec = {"pyaot.ArrayMemory", sizeof(Exporter), 0, Py_TPFLAGS_DEFAULT, slots};
        exporter_type = (PyTypeObject *)PyType_FromSpec(&spec);
        if (!exporter_type)
            return -1;
    }
    if (!numpy_asarray) {
        PyObject *numpy = PyImport_ImportModule("numpy");
        if (!numpy)
            return -1;
        numpy_asarray = PyObject_GetAttrString(numpy, "asarray");
        Py_DECREF(numpy);
        if (!numpy_asarray)
            return -1;
    }
    return 0;
}

static void format_of(int kind, int size, char *out) {
    // 8-byte integers as C long, numpy's own int64 on LP64 Linux: 'q' would
    // make numpy's longlong, equal in value but shown as dtype=int64.
    static const char signed_codes[] = {'b', 'h', 0, 'i', 0, 0, 0, 'l'};
    static const char unsigned_codes[] = {'B', 'H', 0, 'I', 0, 0, 0, 'L'};
    memset(out, 0, 4);
    switch (kind) {
    case PYAOT_BOOL: out[0] = '?'; break;
    case PYAOT_INT: out[0] = signed_codes[size - 1]; break;
    case PYAOT_UINT: out[0] = unsigned_codes[size - 1]; break;
    case PYAOT_FLOAT: out[0] = size == 4 ? 'f' : 'd'; break;
    case PYAOT_COMPLEX: out[0] = 'Z'; out[1] = size == 8 ? 'f' : 'd'; break;
    }
}

/* The whole of an argument's buffer, unchanged: give back the argument. */
static int is_whole_owner(PyObject *owner, const char *data, int ndim, const int64_t *shape, const int64_t *strides,
                          int itemsize) {
    Py_buffer v;
    if (PyObject_GetBuffer(owner, &v, PyBUF_RECORDS_RO) != 0) {
        PyErr_Clear();
        return 0;
    }
    // The item size too: z.real starts where z does, with z's byte strides.
    int same = v.buf == data && v.ndim == ndim && v.strides && v.itemsize == itemsize;
    for (int d = 0; same && d < ndim; d++)
        same = v.shape[d] == shape[d] && v.strides[d] == strides[d] * itemsize;
    PyBuffer_Release(&v);
    return same;
}

static PyObject *box_array(const char *native, const pyaot_type *t) {
    pyaot_meminfo *mi = *(pyaot_meminfo *const *)native;
    char *data = *(char *const *)(native + 8);
    const int64_t *shape = (const int64_t *)(native + 16), *strides = shape + t->ndim;
    if (mi->owner && is_whole_owner(mi->owner, data, t->ndim, shape, strides, t->size)) {
        PyObject *o = Py_NewRef(mi->owner);
        pyaot_rt_decref(mi);
        return o;
    }
    if (ensure_types() < 0 || t->ndim > MAX_DIMS) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "too many dimensions");
        pyaot_rt_decref(mi);
        return NULL;
    }
    Exporter *e = PyObject_New(Exporter, exporter_type);
    if (!e) {
        pyaot_rt_decref(mi);
        return NULL;
    }
    e->data = data;
    e->ndim = t->ndim;
    e->itemsize = t->size;
    format_of(t->elem_kind, t->size, e->format);
    for (int d = 0; d < t->ndim; d++) {
        e->shape[d] = shape[d];
        e->strides[d] = strides[d] * t->size;
    }
    if (mi->owner) {
        // A view of an argument: keep the argument alive, not the stack meminfo.
        Py_buffer v;
        e->readonly = 1;
        if (PyObject_GetBuffer(mi->owner, &v, PyBUF_RECORDS_RO) == 0) {
            e->readonly = v.readonly;
            PyBuffer_Release(&v);
        }
        PyErr_Clear();
        e->owner = Py_NewRef(mi->owner);
        e->mi = NULL;
        pyaot_rt_decref(mi);
    } else {
        // The block now belongs to Python: the native reference moves to the exporter.
        pyaot_rt_live_forget(mi);
        e->owner = NULL;
        e->mi = mi;
        e->readonly = pyaot_rt_is_frozen(mi);
    }
    PyObject *array = PyObject_CallFunctionObjArgs(numpy_asarray, (PyObject *)e, NULL);
    Py_DECREF(e);
    return array;
}

PyObject *pyaot_rt_box(const void *native, const pyaot_type *t) {
    const char *p = native;
    switch (t->kind) {
    case PYAOT_NONE:
        return Py_NewRef(Py_None);
    case PYAOT_BOOL:
        return PyBool_FromLong(*(const uint8_t *)p & 1);
    case PYAOT_INT:
        switch (t->size) {
        case 1: return PyLong_FromLong(*(const int8_t *)p);
        case 2: return PyLong_FromLong(*(const int16_t *)p);
        case 4: return PyLong_FromLong(*(const int32_t *)p);
        default: return PyLong_FromLongLong(*(const int64_t *)p);
        }
    case PYAOT_UINT:
        switch (t->size) {
        case 1: return PyLong_FromUnsignedLong(*(const uint8_t *)p);
        case 2: return PyLong_FromUnsignedLong(*(const uint16_t *)p);
        case 4: return PyLong_FromUnsignedLong(*(const uint32_t *)p);
        default: return PyLong_FromUnsignedLongLong(*(const uint64_t *)p);
        }
    case PYAOT_FLOAT:
        return PyFloat_FromDouble(t->size == 4 ? (double)*(const float *)p : *(const double *)p);
    case PYAOT_COMPLEX:
        if (t->size == 8)
            return PyComplex_FromDoubles(((const float *)p)[0], ((const float *)p)[1]);
        return PyComplex_FromDoubles(((const double *)p)[0], ((const double *)p)[1]);
    case PYAOT_ARRAY:
        return box_array(p, t);
    case PYAOT_LIST:
        return pyaot_rt_list_box(*(pyaot_list *const *)p);
    case PYAOT_DICT: case PYAOT_SET:
        return pyaot_rt_dict_box(*(pyaot_dict *const *)p);
    case PYAOT_TUPLE: {
        PyObject *tuple = PyTuple_New(t->nfields);
        for (int i = 0; i < t->nfields; i++) {
            PyObject *item = tuple ? pyaot_rt_box(p + t->offsets[i], t->fields[i]) : NULL;
            if (!item) {
                // Boxing consumes every reference: drop the fields not reached.
                for (int k = i + (tuple ? 1 : 0); k < t->nfields; k++)
                    pyaot_rt_drop(p + t->offsets[k], t->fields[k]);
                Py_XDECREF(tuple);
                return NULL;
            }
            PyTuple_SetItem(tuple, i, item);
        }
        return tuple;
    }
    default:
        PyErr_SetString(PyExc_SystemError, "pyaot: bad type descriptor");
        return NULL;
    }
}

void pyaot_rt_drop(const void *native, const pyaot_type *t) {
    const char *p = native;
    if (t->kind == PYAOT_ARRAY)
        pyaot_rt_decref(*(pyaot_meminfo *const *)p);
    else if (t->kind == PYAOT_LIST)
        pyaot_rt_list_decref(*(pyaot_list *const *)p);
    else if (t->kind == PYAOT_DICT || t->kind == PYAOT_SET)
        pyaot_rt_dict_decref(*(pyaot_dict *const *)p);
    else if (t->kind == PYAOT_TUPLE)
        for (int i = 0; i < t->nfields; i++)
            pyaot_rt_drop(p + t->offsets[i], t->fields[i]);
}
