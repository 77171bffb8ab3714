/* The worker threads. A run hands one function to `width` threads (the
 * caller as id 0, and workers 1 .. width - 1) and returns when all have
 * returned; in between runs the workers sleep in the kernel (futex), using
 * no CPU.
 *
 * Synchronisation is a 32-bit word per worker and one for the run, each a
 * futex:
 *  - a worker's `signal` changes (release) when the caller wants it in the
 *    run; only the workers of the run are woken, so threads left over from
 *    a larger setting sleep on;
 *  - `remaining` counts the workers of the run still working; the last to
 *    finish wakes the caller.
 * The run's function, argument and width are written before the signals
 * and read after them, and rewritten only once every worker of the run is
 * done. A waiter polls for a few microseconds before it sleeps.
 *
 * No pthread mutex or condition variable: glibc has two versions of the
 * condition variable functions, and a module linked for old glibcs asks for
 * each symbol's oldest version, which for those is the pre-2.3.2 ABI.
 *
 * One run at a time: a second caller (another thread, or a body calling a
 * loop) finds the pool busy and does its work itself, instead of waiting
 * (it may hold the GIL a running worker wants) or queueing.
 *
 * After fork() the child has none of the workers: a handler registered with
 * pthread_atfork forgets the pool in the child, and the first run there
 * starts a fresh one, whatever state the parent's was in. The size setting
 * survives. */
#define _GNU_SOURCE // syscall
#include "internal.h"

#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* How long a waiting thread polls before it sleeps, in time-stamp counter
 * ticks (some 25 us at 2.4 GHz): loops that follow each other closely then
 * skip a sleep and a wake, some 5 us. It polls with sched_yield, not a
 * pause: on a machine with no CPU to spare, a thread spinning in place
 * holds the CPU the thread it waits for needs (a loop of 2 threads then
 * took 80 us, against 6 us yielding and 8 us sleeping at once). Not at all
 * when the pool has more threads than CPUs. */
enum { SPIN_TICKS = 60000 };

/* A word one thread waits on for a change, and whether it sleeps: the
 * thread that changes the word makes the system call to wake it only then. */
typedef struct Waiter {
    _Atomic uint32_t word;
    atomic_int sleeping;
} Waiter;

static void futex_wait(_Atomic uint32_t *word, uint32_t value) {
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

/* Waits until the word is not `value` any more; returns what it is. */
static uint32_t wait_for_change(Waiter *w, uint32_t value, int spin) {
    uint32_t now;
    for (uint64_t start = __builtin_ia32_rdtsc(); spin && __builtin_ia32_rdtsc() - start < SPIN_TICKS;) {
        if ((now = atomic_load_explicit(&w->word, memory_order_acquire)) != value)
            return now;
        sched_yield();
    }
    // Sequentially consistent, as the waker's change and load: either it
    // sees the flag, or this thread sees the change and does not sleep.
    atomic_store(&w->sleeping, 1);
    while ((now = atomic_load(&w->word)) == value)
        futex_wait(&w->word, value);
    atomic_store_explicit(&w->sleeping, 0, memory_order_relaxed);
    return now;
}

/* After a sequentially consistent change of the word. */
static void wake(Waiter *w) {
    if (atomic_load(&w->sleeping))
        syscall(SYS_futex, (uint32_t *)&w->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

typedef struct Worker {
    Waiter signal; // changes when the worker is wanted in a run
    int32_t id;
    struct Pool *pool;
} Worker;

typedef struct Pool {
    Waiter remaining;                // workers of the current run not done yet
    atomic_int busy;                 // a run is going on
    atomic_int spin;                 // waiters may spin: the latest run had no more threads than CPUs
    int32_t cpus;                    // this process may run on
    int32_t started;                 // workers started, ids 1..started (changed while busy)
    pyaot_pool_work work;            // the current run's (written while busy)
    void *ctx;
    int32_t width;
    Worker *workers[PYAOT_POOL_MAX]; // [id]
} Pool;

static Pool *_Atomic current_pool;
static atomic_int configured_threads; // 0: not set yet

static void *worker_main(void *arg) {
    Worker *self = arg;
    Pool *pool = self->pool;
    uint32_t seen = 0;
    for (;;) {
        seen = wait_for_change(&self->signal, seen, atomic_load_explicit(&pool->spin, memory_order_relaxed));
        pool->work(pool->ctx, self->id, pool->width);
        if (atomic_fetch_sub(&pool->remaining.word, 1) == 1)
            wake(&pool->remaining);
    }
    return NULL;
}

/* Starts worker `id`. Its signals are blocked, so that Python's handlers run
 * in Python's threads. */
static int start_worker(Pool *pool, int32_t id) {
    Worker *worker = calloc(1, sizeof *worker);
    if (!worker)
        return -1;
    worker->id = id;
    worker->pool = pool;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) {
        free(worker);
        return -1;
    }
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t thread;
    int failed = pthread_create(&thread, &attr, worker_main, worker);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (failed) {
        free(worker);
        return -1;
    }
    pool->workers[id] = worker;
    return 0;
}

static int32_t cpus_available(void) {
    // The raw system call: glibc's oldest sched_getaffinity, which modules
    // for old glibcs would bind, takes other arguments.
    uint64_t mask[PYAOT_POOL_MAX / 64];
    long bytes = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
    int32_t n = 0;
    for (long i = 0; i < bytes / 8; i++)
        n += __builtin_popcountll(mask[i]);
    return n >= 1 ? n : 1;
}

static void forget_pool_in_child(void) {
    // The workers did not come along; their pool may be mid-run.
    atomic_store_explicit(&current_pool, NULL, memory_order_relaxed);
}

static void register_fork_handler(void) {
    pthread_atfork(NULL, NULL, forget_pool_in_child);
}

static Pool *get_pool(void) {
    Pool *pool = atomic_load_explicit(&current_pool, memory_order_acquire);
    if (pool)
        return pool;
    static pthread_once_t fork_handler_once = PTHREAD_ONCE_INIT;
    pthread_once(&fork_handler_once, register_fork_handler);
    Pool *made = calloc(1, sizeof *made);
    if (!made)
        return NULL;
    made->cpus = cpus_available();
    if (!atomic_compare_exchange_strong_explicit(&current_pool, &pool, made, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        free(made); // another thread's came first
        return pool;
    }
    return made;
}

/* ---- Size ---------------------------------------------------------------- */

int32_t pyaot_pool_size_from_env(const char **bad) {
    *bad = NULL;
    const char *text = getenv("PYAOT_NUM_THREADS");
    if (text && *text) {
        const char *p = text;
        while (*p == ' ' || *p == '\t')
            p++;
        long n = 0;
        int digits = 0;
        for (; *p >= '0' && *p <= '9' && n <= PYAOT_POOL_MAX; p++, digits++)
            n = n * 10 + (*p - '0');
        while (*p == ' ' || *p == '\t')
            p++;
        if (digits && !*p && n >= 1 && n <= PYAOT_POOL_MAX)
            return (int32_t)n;
        *bad = text;
    }
    return cpus_available();
}

static int32_t pool_threads(void) {
    int32_t n = atomic_load_explicit(&configured_threads, memory_order_relaxed);
    if (n > 0)
        return n;
    const char *bad;
    int32_t from_env = pyaot_pool_size_from_env(&bad); // warned about at import, if at all
    atomic_compare_exchange_strong_explicit(&configured_threads, &n, from_env, memory_order_relaxed,
                                            memory_order_relaxed);
    return atomic_load_explicit(&configured_threads, memory_order_relaxed);
}

static int32_t pool_set_threads(int32_t n) {
    if (n < 1 || n > PYAOT_POOL_MAX)
        return -1;
    atomic_store_explicit(&configured_threads, n, memory_order_relaxed);
    return 0;
}

/* ---- Runs ------------------------------------------------------------------ */

static int32_t pool_run(pyaot_pool_work work, void *ctx, int32_t width) {
    if (width < 2)
        return 0;
    if (width > PYAOT_POOL_MAX)
        width = PYAOT_POOL_MAX;
    Pool *pool = get_pool();
    int idle = 0;
    if (!pool || !atomic_compare_exchange_strong_explicit(&pool->busy, &idle, 1, memory_order_acquire,
                                                          memory_order_relaxed))
        return 0;
    while (pool->started < width - 1 && start_worker(pool, pool->started + 1) == 0)
        pool->started++;
    if (width > pool->started + 1)
        width = pool->started + 1;
    if (width < 2) {
        atomic_store_explicit(&pool->busy, 0, memory_order_release);
        return 0;
    }
    pool->work = work;
    pool->ctx = ctx;
    pool->width = width;
    atomic_store_explicit(&pool->spin, width <= pool->cpus, memory_order_relaxed);
    atomic_store_explicit(&pool->remaining.word, (uint32_t)(width - 1), memory_order_relaxed);
    for (int32_t id = 1; id < width; id++) {
        atomic_fetch_add(&pool->workers[id]->signal.word, 1);
        wake(&pool->workers[id]->signal);
    }
    work(ctx, 0, width);
    uint32_t left;
    while ((left = atomic_load_explicit(&pool->remaining.word, memory_order_acquire)) != 0)
        wait_for_change(&pool->remaining, left, width <= pool->cpus);
    atomic_store_explicit(&pool->busy, 0, memory_order_release);
    return width;
}

const pyaot_pool_api pyaot_pool_local = {
    .size_of = sizeof(pyaot_pool_api),
    .threads = pool_threads,
    .set_threads = pool_set_threads,
    .run = pool_run,
};
