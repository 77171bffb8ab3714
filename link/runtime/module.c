/* The module object PyInit_<name> returns. */
#include "internal.h"

#include <stdlib.h>

PyObject *pyaot_rt_module_init(const char *name, const char *doc, const pyaot_export *exports, int32_t nexports) {
    // The method table and definition live as long as the process, as a
    // static PyModuleDef would.
    PyMethodDef *methods = calloc((size_t)nexports + 1, sizeof *methods);
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
    PyModuleDef init = {PyModuleDef_HEAD_INIT, name, doc && *doc ? doc : NULL, 0, methods, NULL, NULL, NULL, NULL};
    *def = init;
    return PyModule_Create(def);
}
