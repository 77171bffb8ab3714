/* Exceptions raised by compiled code. */
#include "internal.h"

void pyaot_rt_raise(int32_t exc, const char *msg) {
    PyObject *type;
    switch (exc) {
    case PYAOT_EXC_ZERO_DIVISION: type = PyExc_ZeroDivisionError; break;
    case PYAOT_EXC_INDEX: type = PyExc_IndexError; break;
    case PYAOT_EXC_VALUE: type = PyExc_ValueError; break;
    case PYAOT_EXC_OVERFLOW: type = PyExc_OverflowError; break;
    case PYAOT_EXC_TYPE: type = PyExc_TypeError; break;
    case PYAOT_EXC_MEMORY: type = PyExc_MemoryError; break;
    case PYAOT_EXC_ASSERTION: type = PyExc_AssertionError; break;
    case PYAOT_EXC_RECURSION: type = PyExc_RecursionError; break;
    default: type = PyExc_SystemError; break;
    }
    PyErr_SetString(type, msg);
}

void pyaot_rt_raise_index(int64_t index, int64_t size, int32_t axis) {
    PyErr_Format(PyExc_IndexError, "index %lld is out of bounds for axis %d with size %lld", (long long)index,
                 (int)axis, (long long)size);
}

void pyaot_rt_raise_builtin(const char *name, const char *msg) {
    PyObject *builtins = PyEval_GetBuiltins(); // borrowed
    PyObject *type = builtins ? PyDict_GetItemString(builtins, name) : NULL;
    if (!type || !PyType_Check(type) || !PyType_IsSubtype((PyTypeObject *)type, (PyTypeObject *)PyExc_BaseException)) {
        PyErr_Format(PyExc_SystemError, "compiled code raised unknown exception class %s", name);
        return;
    }
    if (msg)
        PyErr_SetString(type, msg);
    else
        PyErr_SetNone(type);
}
