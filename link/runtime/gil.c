/* Python from threads that may not hold the GIL. Compiled code runs with
 * the GIL let go (pyaot_rt_gil_release) or on the pool's workers, which
 * have no Python thread state at all; the runtime's functions that touch
 * Python take the GIL through PyGILState_Ensure, which works on every
 * thread, and give it back after.
 *
 * On a thread with no Python thread state, PyGILState_Ensure makes one and
 * PyGILState_Release deletes it, and with it any exception raised in
 * between. So leaving such a bracket with an exception set moves the
 * exception into the thread's runtime state (`pending`), where the loop
 * running on the thread takes it (pyaot_rt_exception_take) and carries it
 * to the thread that started the loop. */
#include "internal.h"

/* A token packs what leave needs: the PyGILState_STATE, whether the thread
 * had a Python thread state before, and its count of GIL releases (zero
 * while the bracket holds the GIL). */
enum { TOKEN_LOCKED = 1, TOKEN_HAD_STATE = 2, TOKEN_COUNT_SHIFT = 2 };

int64_t pyaot_rt_python_enter(void) {
    int64_t token = PyGILState_GetThisThreadState() ? TOKEN_HAD_STATE : 0;
    if (PyGILState_Ensure() == PyGILState_LOCKED)
        token |= TOKEN_LOCKED;
    pyaot_thread *t = pyaot_rt_thread();
    if (t) {
        token |= (int64_t)t->gil_released << TOKEN_COUNT_SHIFT;
        t->gil_released = 0; // held, for a loop started in between
    }
    return token;
}

static void keep_pending(pyaot_thread *t) {
    for (int i = 0; i < 3; i++)
        Py_CLEAR(t->pending[i]);
    PyErr_Fetch(&t->pending[0], &t->pending[1], &t->pending[2]);
}

void pyaot_rt_python_leave(int64_t token) {
    pyaot_thread *t = pyaot_rt_thread();
    if (t) {
        if (!(token & TOKEN_HAD_STATE) && PyErr_Occurred())
            keep_pending(t);
        t->gil_released = (int32_t)(token >> TOKEN_COUNT_SHIFT);
    }
    PyGILState_Release(token & TOKEN_LOCKED ? PyGILState_LOCKED : PyGILState_UNLOCKED);
}

void *pyaot_rt_gil_release(void) {
    pyaot_thread *t = pyaot_rt_thread();
    if (t)
        t->gil_released++;
    return PyEval_SaveThread();
}

void pyaot_rt_gil_restore(void *state) {
    PyEval_RestoreThread(state);
    pyaot_thread *t = pyaot_rt_thread();
    if (t && t->gil_released > 0)
        t->gil_released--;
}

void pyaot_rt_exception_take(PyObject **exc) {
    PyObject *e[3] = {NULL, NULL, NULL};
    pyaot_thread *t = pyaot_rt_thread();
    int64_t py = pyaot_rt_python_enter();
    if (t && t->pending[0]) {
        for (int i = 0; i < 3; i++) {
            e[i] = t->pending[i];
            t->pending[i] = NULL;
        }
    } else {
        PyErr_Fetch(&e[0], &e[1], &e[2]);
    }
    for (int i = 0; i < 3; i++) {
        if (exc)
            exc[i] = e[i];
        else
            Py_XDECREF(e[i]);
    }
    pyaot_rt_python_leave(py);
}

void pyaot_rt_exception_restore(PyObject **exc) {
    int64_t py = pyaot_rt_python_enter();
    PyErr_Restore(exc[0], exc[1], exc[2]);
    pyaot_rt_python_leave(py); // kept aside if the thread has no Python thread state
}
