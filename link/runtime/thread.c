/* The calling thread's runtime state: its live list, stack floor, GIL
 * count, the loop body it runs. One per thread and module, under a pthread
 * key (pyaot's linker has no thread-local storage), made on the thread's
 * first use and freed when the thread ends. */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static pthread_key_t state_key;
static pthread_once_t state_key_once = PTHREAD_ONCE_INIT;
static atomic_int state_key_made; // 1 made, -1 failed, 0 not yet

static void free_state(void *state) {
    // The thread is ending: compiled code no longer runs on it, and a loop
    // has taken any exception kept here before returning. Its blocks were
    // all boxed, freed or handed over; any left must not point back here.
    pyaot_thread *t = state;
    for (pyaot_meminfo *mi = t->live.head; mi; mi = mi->live_next)
        mi->live_list = NULL;
    free(t);
}

static void make_state_key(void) {
    int made = pthread_key_create(&state_key, free_state) == 0;
    atomic_store_explicit(&state_key_made, made ? 1 : -1, memory_order_release);
}

static pyaot_thread *new_state(void) {
    pthread_once(&state_key_once, make_state_key);
    if (atomic_load_explicit(&state_key_made, memory_order_acquire) < 0)
        return NULL;
    pyaot_thread *t = pthread_getspecific(state_key);
    if (t)
        return t;
    t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->live.next_serial = 1;
    t->worker = -1;
    if (pthread_setspecific(state_key, t) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

/* noinline: the const attribute would be lost in a caller it inlined into. */
__attribute__((const, noinline)) pyaot_thread *pyaot_rt_thread(void) {
    if (atomic_load_explicit(&state_key_made, memory_order_acquire) > 0) {
        pyaot_thread *t = pthread_getspecific(state_key);
        if (t)
            return t;
    }
    return new_state();
}
