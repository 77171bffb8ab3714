/* The module object PyInit_<name> returns. */
#include "internal.h"

#include <stdlib.h>

/* Functions every module has besides its exports: the thread pool's size,
 * which all pyaot modules of the process share (pool_python.c). */
static const PyMethodDef runtime_methods[] = {
    {"_pyaot_set_num_threads", pyaot_rt_set_num_threads, METH_O,
     "Sets the number of threads parallel loops use from now on (>= 1), in every pyaot module of the process."},
    {"_pyaot_get_num_threads", pyaot_rt_get_num_threads, METH_NOARGS,
     "The number of threads parallel loops use, shared by every pyaot module of the process."},
};
enum { NRUNTIME_METHODS = sizeof runtime_methods / sizeof runtime_methods[0] };

PyObject *pyaot_rt_module_init(const char *name, const char *doc, const pyaot_export *exports, int32_t nexports) {
    if (pyaot_rt_pool_attach() < 0)
        return NULL;
    // The method table and definition live as long as the process, as a
    // static PyModuleDef would.
    PyMethodDef *methods = calloc((size_t)nexports + NRUNTIME_METHODS + 1, sizeof *methods);
    PyModuleDef *def = calloc(1, sizeof *def);
    if (!methods || !def) {
        free(methods);
        free(def);
        return PyErr_NoMemory();
    }
    for (int32_t i = 0; i < nexports; i++) {
        methods[i].ml_name = exports[i].name;
        methods[i].ml_meth = (PyCFunction)(void (*)(void))exports[i].impl;
        methods[i].ml_flags = METH_FASTCALL | METH_KEYWORDS;
        methods[i].ml_doc = exports[i].doc;
    }
    for (int32_t i = 0; i < NRUNTIME_METHODS; i++)
        methods[nexports + i] = runtime_methods[i];
    PyModuleDef init = {PyModuleDef_HEAD_INIT, name, doc && *doc ? doc : NULL, 0, methods, NULL, NULL, NULL, NULL};
    *def = init;
    return PyModule_Create(def);
}
