/* print() in compiled code hands the values, boxed, to Python's own print,
 * so the output, its formatting and any redirection of sys.stdout are
 * CPython's. Compiled code may run without the GIL: these take it. */
#include "internal.h"

PyObject *pyaot_rt_unicode(const char *utf8) {
    int64_t py = pyaot_rt_python_enter();
    PyObject *text = PyUnicode_FromString(utf8);
    pyaot_rt_python_leave(py);
    return text;
}

/* Adds key=value (a C string, if any) to kwargs. */
static int add_text(PyObject *kwargs, const char *key, const char *value) {
    if (!value)
        return 0;
    PyObject *text = PyUnicode_FromString(value);
    int bad = !text || PyDict_SetItemString(kwargs, key, text) < 0;
    Py_XDECREF(text);
    return bad ? -1 : 0;
}

int32_t pyaot_rt_print(PyObject **items, int32_t n, const char *sep, const char *end) {
    int64_t py = pyaot_rt_python_enter();
    int32_t status = -1;
    PyObject *args = NULL, *kwargs = NULL, *result = NULL;
    for (int32_t i = 0; i < n; i++)
        if (!items[i])
            goto done; // its conversion failed and set the exception
    args = PyTuple_New(n);
    if (!args)
        goto done;
    for (int32_t i = 0; i < n; i++) {
        PyTuple_SetItem(args, i, items[i]); // steals it
        items[i] = NULL;
    }
    kwargs = PyDict_New();
    if (!kwargs || add_text(kwargs, "sep", sep) < 0 || add_text(kwargs, "end", end) < 0)
        goto done;
    PyObject *builtins = PyEval_GetBuiltins(); // borrowed
    PyObject *print = builtins ? PyDict_GetItemString(builtins, "print") : NULL;
    if (!print) {
        PyErr_SetString(PyExc_RuntimeError, "print() is not available");
        goto done;
    }
    // Python code may run here, and let another thread into compiled code.
    pyaot_stack_state stack;
    pyaot_rt_stack_save(&stack);
    result = PyObject_Call(print, args, kwargs);
    pyaot_rt_stack_restore(&stack);
    status = result ? 0 : -1;
done:
    for (int32_t i = 0; i < n; i++)
        Py_XDECREF(items[i]);
    Py_XDECREF(args);
    Py_XDECREF(kwargs);
    Py_XDECREF(result);
    pyaot_rt_python_leave(py);
    return status;
}
