/* Typed dicts and sets: CPython's compact dict (entries in insertion order,
 * an open-addressed index of entry numbers), with keys and values stored
 * natively and compared through their descriptors. A set is a dict whose
 * values take no space. Compiled code converts every key to the dict's key
 * type before it gets here, so one key type is all a table ever sees. */
#include "internal.h"

#include <string.h>

enum { EMPTY = -1, DUMMY = -2, MIN_SLOTS = 8 };

static int64_t round8(int64_t n) {
    return (n + 7) & ~(int64_t)7;
}

/* MemoryError, from any thread. */
static void no_memory(void) {
    int64_t py = pyaot_rt_python_enter();
    PyErr_NoMemory();
    pyaot_rt_python_leave(py);
}

/* ---- hashing and equality of native keys ------------------------------- */

static uint64_t mix(uint64_t x) { // splitmix64's finaliser: every bit counts in the low bits
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t float_bits(double v) {
    if (v == 0.0)
        v = 0.0; // -0.0 == 0.0: one hash
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t raw_hash(const char *p, const pyaot_type *t) {
    switch (t->kind) {
    case PYAOT_BOOL: return *(const uint8_t *)p & 1;
    case PYAOT_INT:
        switch (t->size) {
        case 1: return (uint64_t)(int64_t)*(const int8_t *)p;
        case 2: return (uint64_t)(int64_t)*(const int16_t *)p;
        case 4: return (uint64_t)(int64_t)*(const int32_t *)p;
        default: return (uint64_t)*(const int64_t *)p;
        }
    case PYAOT_UINT:
        switch (t->size) {
        case 1: return *(const uint8_t *)p;
        case 2: return *(const uint16_t *)p;
        case 4: return *(const uint32_t *)p;
        default: return *(const uint64_t *)p;
        }
    case PYAOT_FLOAT:
        return float_bits(t->size == 4 ? (double)*(const float *)p : *(const double *)p);
    case PYAOT_COMPLEX: {
        double re = t->size == 8 ? ((const float *)p)[0] : ((const double *)p)[0];
        double im = t->size == 8 ? ((const float *)p)[1] : ((const double *)p)[1];
        return float_bits(re) * 1000003u ^ float_bits(im);
    }
    case PYAOT_TUPLE: {
        uint64_t h = 0x345678;
        for (int i = 0; i < t->nfields; i++)
            h = (h ^ mix(raw_hash(p + t->offsets[i], t->fields[i]))) * 1000003u;
        return h;
    }
    default:
        return 0;
    }
}

static int64_t hash_of(const pyaot_dict *d, const void *key) {
    int64_t h = (int64_t)mix(d->int_keys ? *(const uint64_t *)key : raw_hash(key, d->key));
    return h == PYAOT_DICT_REMOVED ? 0 : h;
}

/* Python's ==: floats as numbers (NaN equals nothing, as in Numba's typed
 * dict), the rest bit for bit. */
static int equal(const char *a, const char *b, const pyaot_type *t) {
    switch (t->kind) {
    case PYAOT_FLOAT:
        return t->size == 4 ? *(const float *)a == *(const float *)b : *(const double *)a == *(const double *)b;
    case PYAOT_COMPLEX:
        if (t->size == 8)
            return ((const float *)a)[0] == ((const float *)b)[0] && ((const float *)a)[1] == ((const float *)b)[1];
        return ((const double *)a)[0] == ((const double *)b)[0] && ((const double *)a)[1] == ((const double *)b)[1];
    case PYAOT_BOOL:
        return (*(const uint8_t *)a & 1) == (*(const uint8_t *)b & 1);
    case PYAOT_TUPLE:
        for (int i = 0; i < t->nfields; i++)
            if (!equal(a + t->offsets[i], b + t->offsets[i], t->fields[i]))
                return 0;
        return 1;
    default:
        return memcmp(a, b, t->size) == 0;
    }
}

/* ---- the table ---------------------------------------------------------- */

static char *entry(const pyaot_dict *d, int64_t i) {
    return d->entries + i * d->entrysize;
}

static int64_t entry_hash(const pyaot_dict *d, int64_t i) {
    return *(const int64_t *)entry(d, i);
}

static char *entry_key(const pyaot_dict *d, int64_t i) {
    return entry(d, i) + 8;
}

static char *entry_value(const pyaot_dict *d, int64_t i) {
    return entry(d, i) + d->valueoff;
}

/* A table with `slots` index slots (a power of two), holding d's live
 * entries compacted. */
static int32_t rebuild(pyaot_dict *d, int64_t slots) {
    int64_t cap = slots * 2 / 3;
    // Entry numbers are int32 in the index (half the memory of int64 and
    // as CPython's tables below 2**31 entries).
    if (cap > INT32_MAX || (uint64_t)slots > ((uint64_t)1 << 56) / (uint64_t)(d->entrysize + 4)) {
        no_memory();
        return -1;
    }
    pyaot_meminfo *mi = pyaot_rt_alloc(cap * d->entrysize + slots * 4, 0);
    if (!mi)
        return -1;
    char *entries = mi->data;
    int32_t *index = (int32_t *)(entries + cap * d->entrysize);
    memset(index, 0xff, (size_t)(slots * 4)); // EMPTY
    int64_t n = 0;
    for (int64_t i = 0; i < d->used; i++) {
        int64_t h = entry_hash(d, i);
        if (h == PYAOT_DICT_REMOVED)
            continue;
        memcpy(entries + n * d->entrysize, entry(d, i), (size_t)d->entrysize);
        uint64_t perturb = (uint64_t)h, j = (uint64_t)h & (uint64_t)(slots - 1);
        while (index[j] != EMPTY) {
            perturb >>= 5;
            j = (j * 5 + perturb + 1) & (uint64_t)(slots - 1);
        }
        index[j] = (int32_t)n++;
    }
    if (d->table_mi)
        pyaot_rt_decref(d->table_mi);
    d->table_mi = mi;
    d->entries = entries;
    d->index = index;
    d->mask = slots - 1;
    d->cap = cap;
    d->used = n;
    return 0;
}

pyaot_dict *pyaot_rt_dict_new(const pyaot_type *key, int64_t keysize, const pyaot_type *value, int64_t valuesize) {
    pyaot_meminfo *mi = pyaot_rt_alloc((int64_t)sizeof(pyaot_dict), 1);
    if (!mi)
        return NULL;
    pyaot_dict *d = mi->data;
    d->mi = mi;
    d->key = key;
    d->value = value; // NULL: a set
    d->keysize = keysize;
    d->int_keys = (key->kind == PYAOT_INT || key->kind == PYAOT_UINT) && key->size == 8;
    d->valueoff = 8 + round8(keysize);
    d->entrysize = d->valueoff + round8(valuesize);
    if (rebuild(d, MIN_SLOTS) < 0) {
        pyaot_rt_decref(mi);
        return NULL;
    }
    return d;
}

void pyaot_rt_dict_incref(pyaot_dict *d) {
    if (d)
        d->mi->refcount++;
}

static void drop_values(pyaot_dict *d) {
    if (!d->value || !pyaot_rt_holds_references(d->value))
        return;
    for (int64_t i = 0; i < d->used; i++)
        if (entry_hash(d, i) != PYAOT_DICT_REMOVED)
            pyaot_rt_drop(entry_value(d, i), d->value);
}

void pyaot_rt_dict_decref(pyaot_dict *d) {
    if (!d || d->mi->refcount > 1) {
        if (d)
            d->mi->refcount--;
        return;
    }
    drop_values(d);
    pyaot_rt_decref(d->table_mi);
    pyaot_rt_decref(d->mi);
}

/* The index slot holding key's entry, or -1. */
static int64_t find(const pyaot_dict *d, const void *key, int64_t h) {
    uint64_t perturb = (uint64_t)h, j = (uint64_t)h & (uint64_t)d->mask;
    if (d->int_keys) { // the common case, with no call per probe
        int64_t k = *(const int64_t *)key;
        for (;;) {
            int64_t e = d->index[j];
            if (e == EMPTY)
                return -1;
            if (e >= 0 && *(const int64_t *)entry_key(d, e) == k)
                return (int64_t)j;
            perturb >>= 5;
            j = (j * 5 + perturb + 1) & (uint64_t)d->mask;
        }
    }
    for (;;) {
        int64_t e = d->index[j];
        if (e == EMPTY)
            return -1;
        if (e >= 0 && entry_hash(d, e) == h && equal(entry_key(d, e), key, d->key))
            return (int64_t)j;
        perturb >>= 5;
        j = (j * 5 + perturb + 1) & (uint64_t)d->mask;
    }
}

char *pyaot_rt_dict_lookup(pyaot_dict *d, const void *key) {
    int64_t j = find(d, key, hash_of(d, key));
    return j < 0 ? NULL : entry_value(d, d->index[j]);
}

char *pyaot_rt_dict_insert(pyaot_dict *d, const void *key, int32_t *added) {
    int64_t h = hash_of(d, key);
    int64_t j = find(d, key, h);
    if (j >= 0) {
        *added = 0;
        return entry_value(d, d->index[j]);
    }
    if (d->used == d->cap) {
        int64_t slots = MIN_SLOTS;
        while (slots * 2 / 3 <= d->len * 2) // room to double before the next rebuild
            slots *= 2;
        if (rebuild(d, slots) < 0)
            return NULL;
    }
    uint64_t perturb = (uint64_t)h, k = (uint64_t)h & (uint64_t)d->mask;
    while (d->index[k] >= 0) {
        perturb >>= 5;
        k = (k * 5 + perturb + 1) & (uint64_t)d->mask;
    }
    int64_t e = d->used++;
    d->index[k] = (int32_t)e;
    *(int64_t *)entry(d, e) = h;
    memcpy(entry_key(d, e), key, (size_t)d->keysize);
    d->len++;
    *added = 1;
    return entry_value(d, e);
}

static char *remove_at(pyaot_dict *d, int64_t j) {
    int64_t e = d->index[j];
    d->index[j] = DUMMY;
    *(int64_t *)entry(d, e) = PYAOT_DICT_REMOVED;
    d->len--;
    return entry_value(d, e);
}

char *pyaot_rt_dict_remove(pyaot_dict *d, const void *key) {
    int64_t j = find(d, key, hash_of(d, key));
    return j < 0 ? NULL : remove_at(d, j);
}

char *pyaot_rt_dict_pop_first(pyaot_dict *d) {
    for (int64_t e = 0; e < d->used; e++) {
        int64_t h = entry_hash(d, e);
        if (h == PYAOT_DICT_REMOVED)
            continue;
        remove_at(d, find(d, entry_key(d, e), h));
        return entry_key(d, e);
    }
    return NULL;
}

void pyaot_rt_dict_clear(pyaot_dict *d) {
    drop_values(d);
    d->len = 0;
    d->used = 0;
    memset(d->index, 0xff, (size_t)((d->mask + 1) * 4));
}

pyaot_dict *pyaot_rt_dict_copy(pyaot_dict *d) {
    pyaot_dict *r = pyaot_rt_dict_new(d->key, d->keysize, d->value, d->entrysize - d->valueoff);
    if (!r)
        return NULL;
    int64_t slots = MIN_SLOTS;
    while (slots * 2 / 3 <= d->len)
        slots *= 2;
    // Rebuilt from d's entries into r's table: r borrows them for the copy.
    r->entries = d->entries;
    r->used = d->used;
    r->len = d->len;
    if (rebuild(r, slots) < 0) {
        r->used = r->len = 0;
        pyaot_rt_dict_decref(r);
        return NULL;
    }
    if (r->value && pyaot_rt_holds_references(r->value))
        for (int64_t i = 0; i < r->used; i++)
            pyaot_rt_keep(entry_value(r, i), r->value);
    return r;
}

void pyaot_rt_set_empty_error(void) {
    int64_t py = pyaot_rt_python_enter();
    PyErr_SetString(PyExc_KeyError, "pop from an empty set");
    pyaot_rt_python_leave(py);
}

void pyaot_rt_dict_key_error(const void *key, const pyaot_type *t) {
    int64_t py = pyaot_rt_python_enter();
    PyObject *k = pyaot_rt_box(key, t);
    PyObject *args = k ? PyTuple_Pack(1, k) : NULL; // a tuple key stays one argument
    if (args)
        PyErr_SetObject(PyExc_KeyError, args);
    Py_XDECREF(args);
    Py_XDECREF(k);
    pyaot_rt_python_leave(py);
}

int64_t pyaot_rt_dict_next(pyaot_dict *d, int64_t pos, int64_t start_len) {
    if (d->len != start_len) {
        int64_t py = pyaot_rt_python_enter();
        PyErr_SetString(PyExc_RuntimeError,
                        d->value ? "dictionary changed size during iteration" : "Set changed size during iteration");
        pyaot_rt_python_leave(py);
        return -2;
    }
    while (pos < d->used && entry_hash(d, pos) == PYAOT_DICT_REMOVED)
        pos++;
    return pos < d->used ? pos : -1;
}

int64_t pyaot_rt_dict_len(const pyaot_dict *d) {
    return d->len;
}

char *pyaot_rt_dict_key_at(const pyaot_dict *d, int64_t pos) {
    return entry_key(d, pos);
}

char *pyaot_rt_dict_value_at(const pyaot_dict *d, int64_t pos) {
    return entry_value(d, pos);
}

/* ---- the Python boundary ------------------------------------------------ */

/* Adds d's entries to r (a new or emptied dict or set); -1 on failure. */
static int fill(PyObject *r, pyaot_dict *d) {
    int is_set = !d->value;
    for (int64_t i = 0; i < d->used; i++) {
        if (entry_hash(d, i) == PYAOT_DICT_REMOVED)
            continue;
        PyObject *k = pyaot_rt_box(entry_key(d, i), d->key);
        int st = -1;
        if (k && is_set) {
            st = PySet_Add(r, k);
        } else if (k) {
            PyObject *v = Py_None;
            if (d->value) {
                pyaot_rt_keep(entry_value(d, i), d->value); // boxing consumes one
                v = pyaot_rt_box(entry_value(d, i), d->value);
            } else {
                Py_INCREF(v);
            }
            st = v ? PyDict_SetItem(r, k, v) : -1;
            Py_XDECREF(v);
        }
        Py_XDECREF(k);
        if (st < 0)
            return -1;
    }
    return 0;
}

PyObject *pyaot_rt_dict_box(pyaot_dict *d) {
    PyObject *r = d->value ? PyDict_New() : PySet_New(NULL);
    if (r && fill(r, d) < 0)
        Py_CLEAR(r);
    pyaot_rt_dict_decref(d);
    return r;
}

int32_t pyaot_rt_dict_reflect(PyObject *o, pyaot_dict *d) {
    if (d->value)
        PyDict_Clear(o);
    else if (PySet_Clear(o) < 0)
        return -1;
    return fill(o, d);
}

static int is_set_object(PyObject *o) {
    return PyAnySet_Check(o);
}

int32_t pyaot_rt_dict_match(PyObject *o, const pyaot_type *t) {
    int set = t->kind == PYAOT_SET;
    if (set ? !is_set_object(o) : !PyDict_Check(o))
        return 0;
    int32_t score = 2;
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    if (set) {
        PyObject *it = PyObject_GetIter(o);
        while (it && score > 0 && (k = PyIter_Next(it))) {
            int32_t s = pyaot_rt_match(k, t->fields[0]);
            score = s < score ? s : score;
            Py_DECREF(k);
        }
        Py_XDECREF(it);
        PyErr_Clear();
        return score;
    }
    while (score > 0 && PyDict_Next(o, &pos, &k, &v)) {
        int32_t s = pyaot_rt_match(k, t->fields[0]);
        int32_t sv = pyaot_rt_match(v, t->fields[1]);
        score = s < score ? s : score;
        score = sv < score ? sv : score;
    }
    return score;
}

/* TypeError for a key or value of the wrong kind. */
static int32_t bad_item(PyObject *x, const pyaot_type *t, const pyaot_func *f, int32_t param, const char *what) {
    char expected[160];
    PyObject *got = PyType_GetName(Py_TYPE(x));
    if (!got) {
        PyErr_Clear();
        got = PyUnicode_FromString("?");
    }
    PyErr_Format(PyExc_TypeError, "%s() argument '%s': expected %s, but a %s is %S", f->name, f->param_names[param],
                 pyaot_rt_describe(t, expected, sizeof expected), what, got);
    Py_XDECREF(got);
    return -1;
}

/* Converts one key (and value) of a Python argument into d. */
static int32_t unbox_entry(pyaot_dict *d, PyObject *k, PyObject *v, const pyaot_type *t, const pyaot_func *f,
                           int32_t param) {
    char key[256];
    if (d->keysize > (int64_t)sizeof key) {
        PyErr_Format(PyExc_TypeError, "%s() argument '%s': keys too large", f->name, f->param_names[param]);
        return -1;
    }
    if (!pyaot_rt_match(k, d->key))
        return bad_item(k, t, f, param, "key");
    if (v && !pyaot_rt_match(v, d->value))
        return bad_item(v, t, f, param, "value");
    if (pyaot_rt_unbox(k, d->key, key, NULL, NULL, f, param) < 0)
        return -1;
    int32_t added;
    char *slot = pyaot_rt_dict_insert(d, key, &added);
    if (!slot)
        return -1;
    if (v && pyaot_rt_unbox(v, d->value, slot, NULL, NULL, f, param) < 0)
        return -1;
    return 0;
}

int32_t pyaot_rt_dict_unbox(PyObject *o, const pyaot_type *t, void *out, const pyaot_func *f, int32_t param) {
    int set = t->kind == PYAOT_SET;
    if (set ? !is_set_object(o) : !PyDict_Check(o)) {
        char expected[160];
        PyObject *got = PyType_GetName(Py_TYPE(o));
        PyErr_Format(PyExc_TypeError, "%s() argument '%s': expected %s, got %S", f->name, f->param_names[param],
                     pyaot_rt_describe(t, expected, sizeof expected), got);
        Py_XDECREF(got);
        return -1;
    }
    const pyaot_type *key = t->fields[0], *value = set ? NULL : t->fields[1];
    pyaot_dict *d = pyaot_rt_dict_new(key, key->native_size, value, value ? value->native_size : 0);
    if (!d)
        return -1;
    int32_t st = 0;
    if (set) {
        PyObject *it = PyObject_GetIter(o), *k;
        while (st == 0 && it && (k = PyIter_Next(it))) {
            st = unbox_entry(d, k, NULL, t, f, param);
            Py_DECREF(k);
        }
        if (!it || PyErr_Occurred())
            st = -1;
        Py_XDECREF(it);
    } else {
        Py_ssize_t pos = 0;
        PyObject *k, *v;
        while (st == 0 && PyDict_Next(o, &pos, &k, &v))
            st = unbox_entry(d, k, v, t, f, param);
    }
    if (st < 0) {
        pyaot_rt_dict_decref(d);
        return -1;
    }
    *(pyaot_dict **)out = d;
    return 0;
}

void pyaot_rt_dict_release_arg(pyaot_dict *d) {
    // After a failed call its references are not counted: free it outright
    // (its values are numbers: dict parameters hold no arrays).
    d->mi->refcount = 1;
    pyaot_rt_dict_decref(d);
}
