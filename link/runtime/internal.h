/* Shared by the runtime's files, not part of the contract with lower/. */
#ifndef PYAOT_RT_INTERNAL_H
#define PYAOT_RT_INTERNAL_H

#include "pyaot_rt.h"

#include <pthread.h>

/* Whether mi is a module-level array's (frozen.c): never freed, read-only. */
int pyaot_rt_is_frozen(const pyaot_meminfo *mi);

/* Takes one more reference of every block a native value holds (list.c). */
void pyaot_rt_keep(const void *native, const pyaot_type *t);
/* Whether values of type t hold references (arrays, lists, dicts). */
int pyaot_rt_holds_references(const pyaot_type *t);

/* Takes an allocated block off the live list: Python owns it now (box.c). */
void pyaot_rt_live_forget(pyaot_meminfo *mi);
/* Takes every block off the calling thread's live list, as a chain linked
 * through live_next (its last block in *tail), for another thread to adopt:
 * a worker's blocks that outlive its part of a loop (parallel.c). */
pyaot_meminfo *pyaot_rt_live_take_all(pyaot_meminfo **tail);
/* Puts a chain on the calling thread's live list, as if allocated now. */
void pyaot_rt_live_adopt(pyaot_meminfo *chain);

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
    int32_t worker;         // the worker id of the loop body running here, or -1 (parallel.c)
    int32_t loop_width;     // and that loop's number of workers
    int32_t promised;       // what pyaot_rt_num_threads last returned here, 0 once used
    PyObject *pending[3];   // an exception raised with no Python thread state (gil.c)
    jmp_buf *overflow_exit; // where running out of stack jumps to (stack.c)
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

/* ---- The worker threads (pool.c) -----------------------------------------
 * Threads that run a function side by side and sleep in between. No Python
 * in here: what the work does with Python is the caller's business. One
 * pool serves the process: the first module imported offers its copy of
 * these functions to the others (pool_python.c), so the table below is an
 * interface between copies of the runtime built by different pyaot
 * releases. Its name carries a version (POOL_CAPSULE); fields may be added
 * at the end, never changed. */

#define PYAOT_POOL_MAX 1024 // threads, the caller included

/* Work a run hands to each thread: its id in [0, width), width the number
 * of threads taking part. */
typedef void (*pyaot_pool_work)(void *ctx, int32_t id, int32_t width);

typedef struct pyaot_pool_api {
    uint32_t size_of; // sizeof the table in the copy that made it
    /* The threads a run started now would use, the caller included (>= 1). */
    int32_t (*threads)(void);
    /* Sets that number for runs started from now on; -1 if n is outside
     * [1, PYAOT_POOL_MAX]. Safe while runs are going on. */
    int32_t (*set_threads)(int32_t n);
    /* Runs work(ctx, id, w) for every id in [0, w) on w threads, id 0 on
     * the calling thread, and returns w once all have returned; w is width,
     * or fewer if threads could not be started. Returns 0 having run
     * nothing when width < 2, when fewer than 2 threads are available, or
     * when the pool is running other work (of another thread, or of this
     * one: the caller is inside a run): the caller then does the work
     * itself. */
    int32_t (*run)(pyaot_pool_work work, void *ctx, int32_t width);
} pyaot_pool_api;

/* This copy's pool. */
extern const pyaot_pool_api pyaot_pool_local;

/* The size PYAOT_NUM_THREADS asks for, else the number of CPUs this process
 * may run on. *bad is the variable's text when it is set but not a whole
 * number in [1, PYAOT_POOL_MAX], else NULL. */
int32_t pyaot_pool_size_from_env(const char **bad);

/* ---- The process's pool, from Python (pool_python.c) --------------------- */

/* The pool this copy uses: the process's, once pyaot_rt_pool_attach has run. */
const pyaot_pool_api *pyaot_rt_pool(void);
/* At module import (GIL held): finds the pool of the first pyaot module
 * imported in the process, or makes this copy's that pool, sized by
 * PYAOT_NUM_THREADS (a RuntimeWarning if it is not a valid number). -1
 * with an exception if the warning was made an error or sys refused. */
int32_t pyaot_rt_pool_attach(void);
/* The module functions _pyaot_set_num_threads(n) and _pyaot_get_num_threads(). */
PyObject *pyaot_rt_set_num_threads(PyObject *module, PyObject *n);
PyObject *pyaot_rt_get_num_threads(PyObject *module, PyObject *unused);

/* The stack state of stack.c, saved and put back around calls into Python
 * that may run another thread's compiled code meanwhile (print.c). */
typedef struct pyaot_stack_state {
    uintptr_t floor;
    jmp_buf *exit;
} pyaot_stack_state;
void pyaot_rt_stack_save(pyaot_stack_state *state);
void pyaot_rt_stack_restore(const pyaot_stack_state *state);

#endif
