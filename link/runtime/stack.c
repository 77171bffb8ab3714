/* The C stack under compiled recursion. A function that lies on a call cycle
 * compares the stack pointer with pyaot_rt_stack_floor on entry and, below
 * it (where CPython would raise too), calls pyaot_rt_stack_overflow instead
 * of running into the guard page. That raises RecursionError and jumps back
 * to the wrapper that began the compiled call, which fails the call as if
 * every compiled frame in between had returned failure: those frames have
 * nothing to run on the way out (failing calls skip their decrefs; the
 * wrapper frees what the call allocated). So recursive functions need no
 * failure path for the check, and return their values alone when nothing
 * else in them can fail.
 *
 * The floor is a little above the lowest address of the calling thread's
 * stack. Wrappers that can reach a cycle call pyaot_rt_stack_enter first,
 * which finds the floor when the thread changes and records where to jump.
 * The GIL is held throughout a compiled call, so one state per module is
 * enough, except where compiled code calls back into Python (print), which
 * may let another thread run compiled code meanwhile: the state is saved
 * and put back around those calls. */
#define _GNU_SOURCE // pthread_getattr_np
#include "internal.h"

#include <pthread.h>

/* Room left below the floor: the frames of non-recursive callees, libm,
 * CPython setting the exception, and the unrolled levels of recursion
 * between two checks. */
#define STACK_MARGIN ((uintptr_t)128 << 10)

uintptr_t pyaot_rt_stack_floor;
static pthread_t floor_thread;
static int floor_known;
static jmp_buf *overflow_exit;

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

void pyaot_rt_stack_enter(jmp_buf *exit) {
    overflow_exit = exit;
    pthread_t self = pthread_self();
    if (floor_known && pthread_equal(self, floor_thread))
        return;
    pyaot_rt_stack_floor = thread_stack_floor(self);
    floor_thread = self;
    floor_known = 1;
}

__attribute__((cold, noinline)) _Noreturn void pyaot_rt_stack_overflow(const char *function) {
    PyErr_Format(PyExc_RecursionError, "maximum recursion depth exceeded in compiled function '%s'", function);
    longjmp(*overflow_exit, 1);
}

void pyaot_rt_stack_save(pyaot_stack_state *state) {
    state->floor = pyaot_rt_stack_floor;
    state->thread = floor_thread;
    state->known = floor_known;
    state->exit = overflow_exit;
}

void pyaot_rt_stack_restore(const pyaot_stack_state *state) {
    pyaot_rt_stack_floor = state->floor;
    floor_thread = state->thread;
    floor_known = state->known;
    overflow_exit = state->exit;
}
