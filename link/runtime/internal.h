/* Shared by the runtime's files, not part of the contract with lower/. */
#ifndef PYAOT_RT_INTERNAL_H
#define PYAOT_RT_INTERNAL_H

#include "pyaot_rt.h"

/* Takes an allocated block off the live list: Python owns it now (box.c). */
void pyaot_rt_live_forget(pyaot_meminfo *mi);

/* "int64[:] (1-D array of int64)"-style description of what t accepts. */
const char *pyaot_rt_describe(const pyaot_type *t, char *buf, size_t size);

/* "int64", "complex128", "bool" for a scalar kind and size in bytes. */
const char *pyaot_rt_scalar_name(int kind, int size);

/* The element kind and size a PEP 3118 format string denotes; 0 on failure. */
int pyaot_rt_format_kind(const char *format, int *kind, int *size);

/* A shape as numpy prints it in messages: "(3,)", "(2,3)", "()". */
PyObject *pyaot_rt_shape_text(const int64_t *shape, int32_t ndim);

/* ---- The calling thread's state (thread.c) ------------------------------
 * Compiled code runs on several threads at once (callers that let go of the
 * GIL, the pool's workers), so the state that was one per module is one per
 * thread and module. It hangs off a pthread key: pyaot's linker has no
 * thread-local storage. */

/* Blocks allocated by compiled code on one thread and not yet handed to
 * Python or to another thread, newest first (memory.c). */
typedef struct pyaot_live {
    pyaot_meminfo *head;
    uint64_t next_serial; // the next block's; a mark is the value at the time
} pyaot_live;

typedef struct pyaot_thread {
    pyaot_live live;
    uintptr_t stack_floor;  // stack.c, once stack_known
    int32_t stack_known;
    int32_t gil_released;   // pyaot_rt_gil_release calls not yet restored (gil.c)
    PyObject *pending[3];   // an exception raised with no Python thread state (gil.c)
} pyaot_thread;

/* The calling thread's state, made on its first use; NULL only when there
 * is no memory for it. const: the same for every call on a thread, so LLVM
 * fetches it once per function. */
__attribute__((const)) pyaot_thread *pyaot_rt_thread(void);

/* The floor of the calling thread's stack, found once (stack.c). */
uintptr_t pyaot_rt_stack_floor_of(pyaot_thread *t);

/* ---- Python from any thread (gil.c) --------------------------------------
 * The runtime's functions that touch Python bracket it with
 * pyaot_rt_python_enter/leave (pyaot_rt.h). */

/* Takes the calling thread's exception (kept aside, or set in its Python
 * thread state) into exc[3] as new references, all NULL if there is none;
 * with exc NULL, drops it. */
void pyaot_rt_exception_take(PyObject **exc);
/* Raises exc[3] (consumed) in the calling thread. */
void pyaot_rt_exception_restore(PyObject **exc);

#endif
