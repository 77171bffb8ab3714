/* The C stack under compiled recursion. A function that lies on a call cycle
 * compares the stack pointer with a floor on entry and, below it (where
 * CPython would raise too), calls pyaot_rt_stack_overflow instead of running
 * into the guard page. That raises RecursionError and jumps back to where
 * the compiled call began (the wrapper, or a parallel loop's chunk), which
 * fails the call as if every compiled frame in between had returned
 * failure: those frames have nothing to run on the way out (failing calls
 * skip their decrefs; the wrapper frees what the call allocated). So
 * recursive functions need no failure path for the check, and return their
 * values alone when nothing else in them can fail.
 *
 * The floor is a little above the lowest address of the thread's stack,
 * found once per thread (thread.c keeps it, and the jump target). Wrappers
 * that can reach a cycle call pyaot_rt_stack_enter first, which copies the
 * calling thread's floor to pyaot_rt_stack_floor, the one variable compiled
 * code reads: right while the GIL is held throughout compiled calls; code
 * that runs without it reads pyaot_rt_stack_floor_here(). Where compiled
 * code calls back into Python (print), another thread may run compiled code
 * meanwhile: the variable is saved and put back around those calls. */
#define _GNU_SOURCE // pthread_getattr_np
#include "internal.h"

#include <pthread.h>

/* Room left below the floor: the frames of non-recursive callees, libm,
 * CPython setting the exception, and the unrolled levels of recursion
 * between two checks. */
#define STACK_MARGIN ((uintptr_t)128 << 10)

uintptr_t pyaot_rt_stack_floor;

static uintptr_t thread_stack_floor(pthread_t thread) {
    pthread_attr_t attr;
    if (pthread_getattr_np(thread, &attr) != 0)
        return 0; // unknown: no check rather than a false error
    void *low = NULL;
    size_t size = 0;
    int bad = pthread_attr_getstack(&attr, &low, &size);
    pthread_attr_destroy(&attr);
    if (bad || !low)
        return 0;
    // A small thread stack keeps three quarters of itself for recursion.
    uintptr_t margin = size / 4 < STACK_MARGIN ? size / 4 : STACK_MARGIN;
    return (uintptr_t)low + margin;
}

uintptr_t pyaot_rt_stack_floor_of(pyaot_thread *t) {
    if (!t->stack_known) {
        t->stack_floor = thread_stack_floor(pthread_self());
        t->stack_known = 1;
    }
    return t->stack_floor;
}

__attribute__((const)) uintptr_t pyaot_rt_stack_floor_here(void) {
    pyaot_thread *t = pyaot_rt_thread();
    return t ? pyaot_rt_stack_floor_of(t) : 0;
}

void pyaot_rt_stack_enter(jmp_buf *exit) {
    pyaot_thread *t = pyaot_rt_thread();
    uintptr_t floor = 0; // no state: no limit known
    if (t) {
        t->overflow_exit = exit;
        floor = pyaot_rt_stack_floor_of(t);
    }
    // Relaxed: compiled code reads the variable plainly, while the GIL keeps
    // compiled calls one at a time.
    __atomic_store_n(&pyaot_rt_stack_floor, floor, __ATOMIC_RELAXED);
}

/* Only reached with the thread's state made, by pyaot_rt_stack_enter or a
 * parallel loop's chunk, which set the jump target: the floor is 0 without. */
__attribute__((cold, noinline)) _Noreturn void pyaot_rt_stack_overflow(const char *function) {
    int64_t py = pyaot_rt_python_enter();
    PyErr_Format(PyExc_RecursionError, "maximum recursion depth exceeded in compiled function '%s'", function);
    pyaot_rt_python_leave(py);
    longjmp(*pyaot_rt_thread()->overflow_exit, 1);
}

void pyaot_rt_stack_save(pyaot_stack_state *state) {
    pyaot_thread *t = pyaot_rt_thread();
    state->floor = __atomic_load_n(&pyaot_rt_stack_floor, __ATOMIC_RELAXED);
    state->exit = t ? t->overflow_exit : NULL;
}

void pyaot_rt_stack_restore(const pyaot_stack_state *state) {
    pyaot_thread *t = pyaot_rt_thread();
    __atomic_store_n(&pyaot_rt_stack_floor, state->floor, __ATOMIC_RELAXED);
    if (t)
        t->overflow_exit = state->exit;
}
