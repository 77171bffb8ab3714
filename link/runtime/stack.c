/* The C stack under compiled recursion. A function that lies on a call cycle
 * compares the stack pointer with its thread's floor on entry and raises
 * RecursionError below it (where CPython would raise too), instead of running
 * into the guard page. The floor is a little above the lowest address of the
 * thread's stack, found once per thread (thread.c keeps it). Wrappers that can
 * reach a cycle call pyaot_rt_stack_enter first, which copies the calling
 * thread's floor to pyaot_rt_stack_floor, the one variable compiled code reads:
 * right while the GIL is held throughout compiled calls; code that runs
 * without it reads pyaot_rt_stack_floor_here(). */
#define _GNU_SOURCE // pthread_getattr_np
#include "internal.h"

#include <pthread.h>

/* Room left below the floor: the frames of non-recursive callees, libm, and
 * CPython setting the exception. */
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

void pyaot_rt_stack_enter(void) {
    pyaot_thread *t = pyaot_rt_thread();
    uintptr_t floor = t ? pyaot_rt_stack_floor_of(t) : 0;
    // Relaxed: compiled code reads the variable plainly, while the GIL keeps
    // compiled calls one at a time.
    __atomic_store_n(&pyaot_rt_stack_floor, floor, __ATOMIC_RELAXED);
}
