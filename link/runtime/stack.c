/* The C stack under compiled recursion. A function that lies on a call cycle
 * compares the stack pointer with pyaot_rt_stack_floor on entry and raises
 * RecursionError below it (where CPython would raise too), instead of running
 * into the guard page. The floor is a little above the lowest address of the
 * calling thread's stack; wrappers that can reach a cycle call
 * pyaot_rt_stack_enter first, which finds it when the thread changes. The GIL
 * is held throughout a compiled call, so one floor per module is enough. */
#define _GNU_SOURCE // pthread_getattr_np
#include "internal.h"

#include <pthread.h>

/* Room left below the floor: the frames of non-recursive callees, libm, and
 * CPython setting the exception. */
#define STACK_MARGIN ((uintptr_t)128 << 10)

uintptr_t pyaot_rt_stack_floor;
static pthread_t floor_thread;
static int floor_known;

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

void pyaot_rt_stack_enter(void) {
    pthread_t self = pthread_self();
    if (floor_known && pthread_equal(self, floor_thread))
        return;
    pyaot_rt_stack_floor = thread_stack_floor(self);
    floor_thread = self;
    floor_known = 1;
}
