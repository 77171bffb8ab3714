/* The embedded CPython that imports the user's module at build time. It
 * runs as Debian's /usr/bin/python3 would (same prefix and site-packages, so
 * numpy is there), with the `pyaot` package built into this binary. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "aot.h"

extern const unsigned char pyaot_package_source[];
extern const unsigned char pyaot_introspect_source[];
extern const unsigned char pyaot_numba_hook_source[];
extern const unsigned char pyaot_numba_reader_source[];
extern const unsigned char pyaot_numba_standin_source[];
extern const unsigned char pyaot_numpy_impl_source[];
extern const unsigned char pyaot_intrinsics_source[];
extern const unsigned char pyaot_lists_impl_source[];
extern const unsigned char pyaot_dicts_impl_source[];

/* Makes module `name` from source text built into pyaot. */
static PyObject *module_from_source(const char *name, const char *source, const char *filename) {
    PyObject *code = Py_CompileString(source, filename, Py_file_input);
    if (!code)
        return NULL;
    PyObject *module = PyImport_ExecCodeModuleEx(name, code, filename);
    Py_DECREF(code);
    return module;
}

static _Noreturn void python_failed(Diag *d, const char *what) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *text = value ? PyObject_Str(value) : NULL;
    const char *msg = text ? PyUnicode_AsUTF8(text) : NULL;
    diag_internal(d, "%s: %s", what, msg ? msg : "unknown Python error");
}

void aot_python_start(Diag *d) {
    if (Py_IsInitialized())
        return;
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    config.parse_argv = 0;
    config.install_signal_handlers = 0;
    // Compute paths as the system interpreter does, so its site-packages
    // (numpy) are importable whatever python3 is first on PATH.
    PyStatus status = PyConfig_SetString(&config, &config.program_name, L"/usr/bin/python3");
    if (!PyStatus_Exception(status))
        status = PyConfig_SetString(&config, &config.executable, L"/usr/bin/python3");
    if (!PyStatus_Exception(status))
        status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status))
        diag_error(d, (SrcPos){0}, "cannot start the embedded Python interpreter: %s",
                   status.err_msg ? status.err_msg : "unknown error");
    // A user module importing `pyaot` gets this build's package, not
    // whatever may be installed.
    PyObject *pkg = module_from_source("pyaot", (const char *)pyaot_package_source, "<pyaot>");
    if (!pkg)
        python_failed(d, "loading the pyaot package");
    Py_DECREF(pkg);
    // The import hook for modules that import numba; it compiles the reader
    // and the stand-in from their sources only when a module needs them.
    PyObject *hook = module_from_source("_pyaot_numba_hook", (const char *)pyaot_numba_hook_source,
                                        "<pyaot numba hook>");
    if (!hook)
        python_failed(d, "loading the Numba import hook");
    const struct { const char *attr; const unsigned char *text; } later[] = {
        {"READER_SOURCE", pyaot_numba_reader_source},
        {"STANDIN_SOURCE", pyaot_numba_standin_source},
    };
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
        PyObject *text = PyUnicode_FromString((const char *)later[i].text);
        if (!text || PyObject_SetAttrString(hook, later[i].attr, text) < 0)
            python_failed(d, "loading the Numba import hook");
        Py_DECREF(text);
    }
    Py_DECREF(hook);
    PyObject *intro = module_from_source("_pyaot_introspect", (const char *)pyaot_introspect_source,
                                         "<pyaot introspect>");
    if (!intro)
        python_failed(d, "loading the introspection module");
    // pyaot's library code, compiled by the introspection module when a
    // module using numpy is collected.
    const struct { const char *attr; const unsigned char *text; } library[] = {
        {"NUMPY_IMPL_SOURCE", pyaot_numpy_impl_source},
        {"INTRINSICS_SOURCE", pyaot_intrinsics_source},
        {"LISTS_IMPL_SOURCE", pyaot_lists_impl_source},
        {"DICTS_IMPL_SOURCE", pyaot_dicts_impl_source},
    };
    for (size_t i = 0; i < sizeof library / sizeof library[0]; i++) {
        PyObject *text = PyUnicode_FromString((const char *)library[i].text);
        if (!text || PyObject_SetAttrString(intro, library[i].attr, text) < 0)
            python_failed(d, "loading pyaot's library code");
        Py_DECREF(text);
    }
    Py_DECREF(intro);
}

void aot_python_stop(void) {
    if (Py_IsInitialized())
        Py_FinalizeEx();
}
