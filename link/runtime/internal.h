/* Shared by the runtime's files, not part of the contract with lower/. */
#ifndef PYAOT_RT_INTERNAL_H
#define PYAOT_RT_INTERNAL_H

#include "pyaot_rt.h"

#include <pthread.h>

/* Whether mi is a module-level array's (frozen.c): never freed, read-only. */
int pyaot_rt_is_frozen(const pyaot_meminfo *mi);

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

/* The stack state of stack.c, saved and put back around calls into Python
 * that may run another thread's compiled code meanwhile (print.c). */
typedef struct pyaot_stack_state {
    uintptr_t floor;
    pthread_t thread;
    int known;
    jmp_buf *exit;
} pyaot_stack_state;
void pyaot_rt_stack_save(pyaot_stack_state *state);
void pyaot_rt_stack_restore(const pyaot_stack_state *state);

#endif
