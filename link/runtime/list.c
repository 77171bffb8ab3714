/* Typed lists: a header and an items block, both allocated blocks (so a
 * failed call frees them through the live list like arrays), one element
 * type per list. Compiled code reads len and items itself and calls here
 * to grow, shrink, copy, and to cross the Python boundary. */
#include "internal.h"

#include <string.h>

/* Items holding array references are kept and dropped through the item's
 * descriptor; lists of plain numbers pay nothing for it. */
void pyaot_rt_keep(const void *native, const pyaot_type *t) {
    const char *p = native;
    if (t->kind == PYAOT_ARRAY)
        pyaot_rt_incref(*(pyaot_meminfo *const *)p);
    else if (t->kind == PYAOT_LIST)
        pyaot_rt_list_incref(*(pyaot_list *const *)p);
    else if (t->kind == PYAOT_DICT || t->kind == PYAOT_SET)
        pyaot_rt_dict_incref(*(pyaot_dict *const *)p);
    else if (t->kind == PYAOT_TUPLE)
        for (int i = 0; i < t->nfields; i++)
            pyaot_rt_keep(p + t->offsets[i], t->fields[i]);
}

int pyaot_rt_holds_references(const pyaot_type *t) {
    if (t->kind == PYAOT_ARRAY || t->kind == PYAOT_LIST || t->kind == PYAOT_DICT || t->kind == PYAOT_SET)
        return 1;
    if (t->kind == PYAOT_TUPLE)
        for (int i = 0; i < t->nfields; i++)
            if (pyaot_rt_holds_references(t->fields[i]))
                return 1;
    return 0;
}

static void keep_items(pyaot_list *l, int64_t from, int64_t to) {
    if (l->item && pyaot_rt_holds_references(l->item))
        for (int64_t i = from; i < to; i++)
            pyaot_rt_keep(l->items + i * l->itemsize, l->item);
}

static void drop_items(pyaot_list *l, int64_t from, int64_t to) {
    if (l->item && pyaot_rt_holds_references(l->item))
        for (int64_t i = from; i < to; i++)
            pyaot_rt_drop(l->items + i * l->itemsize, l->item);
}

/* MemoryError, from any thread (compiled code may run without the GIL). */
static void no_memory(void) {
    int64_t py = pyaot_rt_python_enter();
    PyErr_NoMemory();
    pyaot_rt_python_leave(py);
}

pyaot_list *pyaot_rt_list_new(int64_t len, int64_t itemsize, const pyaot_type *item) {
    int64_t cap = len < 4 ? 4 : len;
    if (len < 0 || (uint64_t)cap > ((uint64_t)1 << 60) / (uint64_t)(itemsize > 0 ? itemsize : 1)) {
        no_memory();
        return NULL;
    }
    pyaot_meminfo *mi = pyaot_rt_alloc((int64_t)sizeof(pyaot_list), 0);
    if (!mi)
        return NULL;
    pyaot_meminfo *items = pyaot_rt_alloc(cap * itemsize, 0);
    if (!items) {
        pyaot_rt_decref(mi);
        return NULL;
    }
    pyaot_list *l = mi->data;
    l->mi = mi;
    l->len = len;
    l->cap = cap;
    l->items = items->data;
    l->items_mi = items;
    l->itemsize = itemsize;
    l->item = item;
    return l;
}

void pyaot_rt_list_incref(pyaot_list *l) {
    if (l)
        l->mi->refcount++;
}

void pyaot_rt_list_decref(pyaot_list *l) {
    if (!l || l->mi->refcount > 1) {
        if (l)
            l->mi->refcount--;
        return;
    }
    drop_items(l, 0, l->len);
    pyaot_rt_decref(l->items_mi);
    pyaot_rt_decref(l->mi);
}

int32_t pyaot_rt_list_reserve(pyaot_list *l, int64_t n) {
    if (n <= l->cap)
        return 0;
    int64_t cap = l->cap * 2 > n ? l->cap * 2 : n;
    if ((uint64_t)cap > ((uint64_t)1 << 60) / (uint64_t)(l->itemsize > 0 ? l->itemsize : 1)) {
        no_memory();
        return -1;
    }
    pyaot_meminfo *items = pyaot_rt_alloc(cap * l->itemsize, 0);
    if (!items)
        return -1;
    memcpy(items->data, l->items, (size_t)(l->len * l->itemsize));
    pyaot_rt_decref(l->items_mi);
    l->items_mi = items;
    l->items = items->data;
    l->cap = cap;
    return 0;
}

char *pyaot_rt_list_append_slot(pyaot_list *l) {
    if (l->len == l->cap && pyaot_rt_list_reserve(l, l->len + 1) < 0)
        return NULL;
    return l->items + l->len++ * l->itemsize;
}

char *pyaot_rt_list_insert_slot(pyaot_list *l, int64_t index) {
    if (index < 0)
        index = index + l->len < 0 ? 0 : index + l->len;
    if (index > l->len)
        index = l->len;
    if (pyaot_rt_list_reserve(l, l->len + 1) < 0)
        return NULL;
    char *at = l->items + index * l->itemsize;
    memmove(at + l->itemsize, at, (size_t)((l->len - index) * l->itemsize));
    l->len++;
    return at;
}

void pyaot_rt_list_remove_at(pyaot_list *l, int64_t index, int32_t drop) {
    if (drop)
        drop_items(l, index, index + 1);
    char *at = l->items + index * l->itemsize;
    memmove(at, at + l->itemsize, (size_t)((l->len - index - 1) * l->itemsize));
    l->len--;
}

void pyaot_rt_list_clear(pyaot_list *l) {
    drop_items(l, 0, l->len);
    l->len = 0;
}

pyaot_list *pyaot_rt_list_slice(pyaot_list *l, int64_t start, int64_t stop, int64_t step) {
    int64_t n = pyaot_rt_slice_adjust(l->len, &start, &stop, step);
    pyaot_list *r = pyaot_rt_list_new(n, l->itemsize, l->item);
    if (!r)
        return NULL;
    for (int64_t i = 0; i < n; i++)
        memcpy(r->items + i * l->itemsize, l->items + (start + i * step) * l->itemsize, (size_t)l->itemsize);
    keep_items(r, 0, n);
    return r;
}

int32_t pyaot_rt_list_delete_slice(pyaot_list *l, int64_t start, int64_t stop, int64_t step) {
    int64_t n = pyaot_rt_slice_adjust(l->len, &start, &stop, step);
    if (n == 0)
        return 0;
    if (step < 0) { // the same items, walked upwards
        start = start + (n - 1) * step;
        step = -step;
    }
    int64_t w = start;
    for (int64_t i = start; i < l->len; i++) {
        int64_t k = i - start;
        if (k % step == 0 && k / step < n) {
            drop_items(l, i, i + 1);
            continue;
        }
        if (w != i)
            memcpy(l->items + w * l->itemsize, l->items + i * l->itemsize, (size_t)l->itemsize);
        w++;
    }
    l->len = w;
    return 0;
}

int32_t pyaot_rt_list_extend(pyaot_list *l, pyaot_list *other) {
    int64_t n = other->len; // read first: other may be l
    if (pyaot_rt_list_reserve(l, l->len + n) < 0)
        return -1;
    memcpy(l->items + l->len * l->itemsize, other->items, (size_t)(n * l->itemsize));
    l->len += n;
    keep_items(l, l->len - n, l->len);
    return 0;
}

pyaot_list *pyaot_rt_list_repeat(pyaot_list *l, int64_t times) {
    if (times < 0)
        times = 0;
    if (times > 0 && l->len > ((int64_t)1 << 60) / times) {
        no_memory();
        return NULL;
    }
    pyaot_list *r = pyaot_rt_list_new(l->len * times, l->itemsize, l->item);
    if (!r)
        return NULL;
    for (int64_t k = 0; k < times; k++)
        memcpy(r->items + k * l->len * l->itemsize, l->items, (size_t)(l->len * l->itemsize));
    keep_items(r, 0, r->len);
    return r;
}

void pyaot_rt_list_reverse(pyaot_list *l) {
    char tmp[256];
    int64_t size = l->itemsize;
    for (int64_t i = 0, j = l->len - 1; i < j; i++, j--) {
        char *a = l->items + i * size, *b = l->items + j * size;
        for (int64_t off = 0; off < size; off += (int64_t)sizeof tmp) {
            size_t chunk = (size_t)(size - off < (int64_t)sizeof tmp ? size - off : (int64_t)sizeof tmp);
            memcpy(tmp, a + off, chunk);
            memcpy(a + off, b + off, chunk);
            memcpy(b + off, tmp, chunk);
        }
    }
}

/* ---- the Python boundary ------------------------------------------------ */

int32_t pyaot_rt_list_match(PyObject *o, const pyaot_type *t) {
    if (!PyList_Check(o))
        return 0;
    int32_t score = 2;
    Py_ssize_t n = PyList_Size(o);
    for (Py_ssize_t i = 0; i < n && score > 0; i++) {
        int32_t s = pyaot_rt_match(PyList_GetItem(o, i), t->fields[0]);
        score = s < score ? s : score;
    }
    return score;
}

/* The name of o's type (a new reference), for messages. */
static PyObject *type_name_of(PyObject *o) {
    PyObject *name = PyType_GetName(Py_TYPE(o));
    if (!name) {
        PyErr_Clear();
        name = PyUnicode_FromString("?");
    }
    return name;
}

int32_t pyaot_rt_list_unbox(PyObject *o, const pyaot_type *t, void *out, const pyaot_func *f, int32_t param) {
    const pyaot_type *item = t->fields[0];
    char expected[160];
    if (!PyList_Check(o)) {
        PyObject *got = type_name_of(o);
        PyErr_Format(PyExc_TypeError, "%s() argument '%s': expected %s, got %S", f->name, f->param_names[param],
                     pyaot_rt_describe(t, expected, sizeof expected), got);
        Py_XDECREF(got);
        return -1;
    }
    Py_ssize_t n = PyList_Size(o);
    pyaot_list *l = pyaot_rt_list_new(n, item->native_size, item);
    if (!l)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PyList_GetItem(o, i);
        if (!pyaot_rt_match(x, item)) {
            PyObject *got = type_name_of(x);
            PyErr_Format(PyExc_TypeError, "%s() argument '%s': expected %s, but item %zd is %S", f->name,
                         f->param_names[param], pyaot_rt_describe(t, expected, sizeof expected), i, got);
            Py_XDECREF(got);
            l->len = i;
            pyaot_rt_list_decref(l);
            return -1;
        }
        if (pyaot_rt_unbox(x, item, l->items + i * l->itemsize, NULL, NULL, f, param) < 0) {
            l->len = i;
            pyaot_rt_list_decref(l);
            return -1;
        }
    }
    *(pyaot_list **)out = l;
    return 0;
}

/* A new Python list of l's items; l keeps its own references. */
static PyObject *list_items(pyaot_list *l) {
    PyObject *r = PyList_New(l->len);
    for (int64_t i = 0; r && i < l->len; i++) {
        const char *p = l->items + i * l->itemsize;
        pyaot_rt_keep(p, l->item);
        PyObject *x = pyaot_rt_box(p, l->item);
        if (!x) {
            Py_DECREF(r);
            return NULL;
        }
        PyList_SetItem(r, i, x);
    }
    return r;
}

PyObject *pyaot_rt_list_box(pyaot_list *l) {
    PyObject *r = list_items(l);
    pyaot_rt_list_decref(l);
    return r;
}

int32_t pyaot_rt_list_reflect(PyObject *o, pyaot_list *l) {
    PyObject *items = list_items(l);
    if (!items)
        return -1;
    int32_t st = PyList_SetSlice(o, 0, PyList_Size(o), items);
    Py_DECREF(items);
    return st;
}

void pyaot_rt_list_release_arg(pyaot_list *l) {
    // After a failed call its references are not counted: free it outright
    // (its items are numbers: list parameters hold no arrays).
    l->mi->refcount = 1;
    l->len = 0;
    pyaot_rt_list_decref(l);
}

void pyaot_rt_list_not_in_list(void *item, const pyaot_type *t) {
    int64_t py = pyaot_rt_python_enter();
    PyObject *x = pyaot_rt_box(item, t);
    if (x)
        PyErr_Format(PyExc_ValueError, "%R is not in list", x);
    Py_XDECREF(x);
    pyaot_rt_python_leave(py);
}
