/* One pool per process, seen from Python. Every module carries its own copy
 * of the runtime, and each copy could start a pool of its own; instead, the
 * first module imported puts its pool's function table (pool.c) in the sys
 * module as a capsule, and every later module, finding it there at import,
 * uses that pool. Imports hold the GIL, so the first one is well defined.
 * The capsule's name carries the table's version: a module whose runtime
 * speaks another version keeps a pool of its own.
 *
 * The pool's size is read from PYAOT_NUM_THREADS when the first module is
 * imported (a RuntimeWarning names a value that is not a valid number, once,
 * and the default is used), and changed with _pyaot_set_num_threads, a
 * function of every module. */
#include "internal.h"

#include <stdatomic.h>

#define POOL_ATTRIBUTE "_pyaot_pool_v1"
#define POOL_CAPSULE "pyaot.runtime.pool.v1"

static const pyaot_pool_api *_Atomic attached;

const pyaot_pool_api *pyaot_rt_pool(void) {
    const pyaot_pool_api *pool = atomic_load_explicit(&attached, memory_order_acquire);
    return pool ? pool : &pyaot_pool_local;
}

/* The variable's text for a message: printable ASCII, and not too long. */
static void printable(const char *text, char *out, size_t size) {
    size_t n = 0;
    for (; *text && n + 4 < size; text++)
        out[n++] = *text >= ' ' && *text <= '~' ? *text : '?';
    if (*text)
        out[n++] = '.', out[n++] = '.', out[n++] = '.';
    out[n] = 0;
}

int32_t pyaot_rt_pool_attach(void) {
    if (atomic_load_explicit(&attached, memory_order_acquire))
        return 0;
    PyObject *found = PySys_GetObject(POOL_ATTRIBUTE); // borrowed; NULL without an exception
    if (found && PyCapsule_IsValid(found, POOL_CAPSULE)) {
        const pyaot_pool_api *pool = PyCapsule_GetPointer(found, POOL_CAPSULE);
        if (pool && pool->size_of >= sizeof *pool) {
            atomic_store_explicit(&attached, pool, memory_order_release);
            return 0;
        }
    }
    // The first module: this copy's pool becomes the process's.
    const char *bad;
    int32_t n = pyaot_pool_size_from_env(&bad);
    if (bad) {
        char shown[64];
        printable(bad, shown, sizeof shown);
        if (PyErr_WarnFormat(PyExc_RuntimeWarning, 1,
                             "PYAOT_NUM_THREADS='%s' is not a whole number from 1 to %d; using %d threads, the "
                             "CPUs this process may run on",
                             shown, PYAOT_POOL_MAX, (int)n) < 0)
            return -1;
    }
    pyaot_pool_local.set_threads(n);
    PyObject *capsule = PyCapsule_New((void *)&pyaot_pool_local, POOL_CAPSULE, NULL);
    if (!capsule || PySys_SetObject(POOL_ATTRIBUTE, capsule) < 0) {
        Py_XDECREF(capsule);
        return -1;
    }
    Py_DECREF(capsule);
    atomic_store_explicit(&attached, &pyaot_pool_local, memory_order_release);
    return 0;
}

PyObject *pyaot_rt_set_num_threads(PyObject *module, PyObject *arg) {
    (void)module;
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    if (n < 1 || n > PYAOT_POOL_MAX)
        return PyErr_Format(PyExc_ValueError, "_pyaot_set_num_threads(): the number of threads must be from 1 to %d, "
                                              "not %ld",
                            PYAOT_POOL_MAX, n);
    pyaot_rt_pool()->set_threads((int32_t)n);
    Py_RETURN_NONE;
}

PyObject *pyaot_rt_get_num_threads(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    return PyLong_FromLong(pyaot_rt_pool()->threads());
}
