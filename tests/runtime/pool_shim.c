/* Drives the runtime's thread pool and parallel loops from test_pool.py
 * (ctypes.PyDLL, so the GIL is held on entry and an exception set on return
 * is raised). It stands where compiled code will: a loop body, the per-worker
 * partial sums a reduction keeps, raising through errors.c, allocating
 * through memory.c, and, like a wrapper, letting go of the GIL around the
 * call when asked. Everything it observes that the contract forbids is
 * counted in `violations`. */
#define _GNU_SOURCE // gettid through syscall
#include "internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SHIM __attribute__((visibility("default")))

typedef struct Spec {
    int64_t n;
    int64_t fail_at;     // this index raises ValueError("failed at <i>"); -1 never
    int64_t fail_from;   // every index from here raises; -1 never
    int64_t work;        // busy iterations for index i: work * (i % 8), so chunks cost unevenly
    int64_t alloc_bytes; // > 0: each chunk allocates a block this big and writes it
    int32_t keep;        // the blocks of chunks that succeed are kept (outlive their chunk)
    int32_t release_gil; // call as a wrapper that lets go of the GIL does
    int32_t nested;      // > 0: each index also runs an inner loop of this many iterations
    int32_t resize_to;   // > 0: _pyaot_set_num_threads(resize_to) between num_threads and the loop
    int32_t fail_where;  // 1: fail_at raises only on the calling thread, at the first index >= fail_at it
                         // runs; 2: only on another thread. The other threads' chunks wait for it.
    int32_t pad;
    int32_t *visits;     // per index: how many times it ran (or NULL)
    int64_t *tids;       // per worker id: the kernel thread id that ran it last (or NULL)
    // results
    int64_t sum;         // of value(i) over every index (and the inner loops' values)
    int64_t chunks;      // body calls
    int64_t live_before, live_after, live_released; // blocks on the caller's live list
    int32_t workers;     // pyaot_rt_num_threads() before the loop
    int32_t violations;
    int32_t max_worker;
    int32_t failed_on_caller; // the failing chunk ran on the calling thread
} Spec;

typedef struct Run {
    Spec *spec;
    int64_t *partial;     // per worker, sized by the count the loop was promised
    atomic_int *in_use;   // per worker: a chunk with this id is running
    atomic_int violations;
    atomic_int max_worker;
    atomic_int failed_on_caller;
    _Atomic int64_t chunks;
    atomic_int designated_failed; // fail_where: the chosen kind of thread has failed
    pthread_t caller;
    int32_t inner_worker; // for the nested loop's body
} Run;

static int64_t value(int64_t i) {
    return (i * 2654435761) ^ (i >> 3);
}

static void note_worker(Run *run, int32_t worker) {
    int seen = atomic_load(&run->max_worker);
    while (worker > seen && !atomic_compare_exchange_weak(&run->max_worker, &seen, worker))
        ;
}

typedef struct Inner {
    Run *run;
    int32_t outer_worker;
} Inner;

static int32_t inner_body(void *ctx, int64_t begin, int64_t end, int32_t worker) {
    Inner *inner = ctx;
    if (worker != inner->outer_worker)
        atomic_fetch_add(&inner->run->violations, 1);
    for (int64_t i = begin; i < end; i++)
        inner->run->partial[worker] += value(i);
    return 0;
}

static int32_t body(void *ctx, int64_t begin, int64_t end, int32_t worker) {
    Run *run = ctx;
    Spec *spec = run->spec;
    atomic_fetch_add(&run->chunks, 1);
    if (worker < 0 || worker >= spec->workers) {
        atomic_fetch_add(&run->violations, 1);
        return 0;
    }
    note_worker(run, worker);
    // Recursion checks need the floor of the thread the chunk runs on.
    uintptr_t floor = pyaot_rt_stack_floor_here(), here = (uintptr_t)&floor;
    if (!floor || floor >= here)
        atomic_fetch_add(&run->violations, 1);
    if (atomic_exchange(&run->in_use[worker], 1))
        atomic_fetch_add(&run->violations, 1); // two chunks at once with one id
    if (spec->tids)
        spec->tids[worker] = syscall(SYS_gettid);
    pyaot_meminfo *block = NULL;
    if (spec->alloc_bytes > 0) {
        block = pyaot_rt_alloc(spec->alloc_bytes, 0);
        if (!block) {
            atomic_store(&run->in_use[worker], 0);
            return -1;
        }
        memset(block->data, 1, (size_t)spec->alloc_bytes);
    }
    int on_caller = pthread_equal(pthread_self(), run->caller);
    if (spec->fail_where && on_caller != (spec->fail_where == 1))
        for (int k = 0; k < 1000000 && !atomic_load(&run->designated_failed); k++)
            sched_yield(); // leave the indices to the chosen thread (a few seconds at most)
    int32_t status = 0;
    for (int64_t i = begin; i < end && status == 0; i++) {
        if (spec->visits)
            __atomic_fetch_add(&spec->visits[i], 1, __ATOMIC_RELAXED);
        volatile int64_t spin = 0;
        for (int64_t k = 0; k < spec->work * (i % 8); k++)
            spin = spin + k;
        int fails = spec->fail_where == 0 ? i == spec->fail_at
                                          : spec->fail_at >= 0 && i >= spec->fail_at && on_caller == (spec->fail_where == 1);
        if (fails || (spec->fail_from >= 0 && i >= spec->fail_from)) {
            pyaot_rt_raise_format(PYAOT_EXC_VALUE, "failed at %d", &i, 1);
            if (on_caller)
                atomic_store(&run->failed_on_caller, 1);
            if (fails && spec->fail_where)
                atomic_store(&run->designated_failed, 1);
            status = -1;
            break;
        }
        run->partial[worker] += value(i);
        if (spec->nested > 0) {
            if (pyaot_rt_num_threads() <= worker) // a nested loop's count covers the outer id
                atomic_fetch_add(&run->violations, 1);
            Inner inner = {run, worker};
            if (pyaot_rt_parallel_for(spec->nested, inner_body, &inner) != 0)
                status = -1;
        }
    }
    atomic_store(&run->in_use[worker], 0);
    // A failing chunk unwinds without its decrefs, as compiled code does.
    if (block && status == 0 && !spec->keep)
        pyaot_rt_decref(block);
    return status;
}

static int64_t live_blocks(void) {
    int64_t n = 0;
    for (pyaot_meminfo *mi = pyaot_rt_thread()->live.head; mi; mi = mi->live_next)
        n++;
    return n;
}

SHIM int32_t shim_run(Spec *spec) {
    Run run = {.spec = spec, .caller = pthread_self()};
    atomic_init(&run.max_worker, -1);
    void *gil = spec->release_gil ? pyaot_rt_gil_release() : NULL;
    spec->workers = pyaot_rt_num_threads();
    if (spec->resize_to > 0)
        pyaot_rt_pool()->set_threads(spec->resize_to); // another thread could, at this moment
    run.partial = calloc((size_t)spec->workers, sizeof *run.partial);
    run.in_use = calloc((size_t)spec->workers, sizeof *run.in_use);
    spec->live_before = live_blocks();
    uint64_t mark = pyaot_rt_live_mark();
    int32_t status = pyaot_rt_parallel_for(spec->n, body, &run);
    spec->live_after = live_blocks();
    if (spec->keep)
        pyaot_rt_live_release(mark); // as the wrapper does when the call fails
    spec->live_released = live_blocks();
    spec->sum = 0;
    for (int32_t w = 0; w < spec->workers; w++)
        spec->sum += run.partial[w];
    spec->chunks = atomic_load(&run.chunks);
    spec->violations = atomic_load(&run.violations);
    spec->max_worker = atomic_load(&run.max_worker);
    spec->failed_on_caller = atomic_load(&run.failed_on_caller);
    free(run.partial);
    free(run.in_use);
    if (gil)
        pyaot_rt_gil_restore(gil);
    return status;
}

/* The module object a compiled module's PyInit makes: it joins the
 * process's pool and carries _pyaot_set_num_threads/_pyaot_get_num_threads. */
SHIM PyObject *shim_module(const char *name) {
    return pyaot_rt_module_init(name, NULL, NULL, 0);
}

/* The pool this copy of the runtime uses, and its own, as numbers. */
SHIM uintptr_t shim_pool_in_use(void) {
    return (uintptr_t)pyaot_rt_pool();
}

SHIM uintptr_t shim_pool_of_this_copy(void) {
    return (uintptr_t)&pyaot_pool_local;
}

/* ---- Reference counts under contention ------------------------------------ */

typedef struct Storm {
    pyaot_meminfo *block;
    int64_t rounds;
    int32_t up; // incref, else decref
    atomic_int *go;
} Storm;

static void *storm_thread(void *arg) {
    Storm *storm = arg;
    while (!atomic_load(storm->go))
        ;
    for (int64_t i = 0; i < storm->rounds; i++) {
        if (storm->up)
            pyaot_rt_incref(storm->block);
        else
            pyaot_rt_decref(storm->block);
    }
    return NULL;
}

/* nthreads threads at once incref one block `rounds` times each, then at
 * once decref it as often. counts[0] and counts[1]: the count after each
 * phase (1 + nthreads * rounds, then 1, when no change was lost). The block
 * is then freed. */
SHIM int32_t shim_refcount_storm(int32_t nthreads, int64_t rounds, int64_t *counts) {
    pyaot_meminfo *block = pyaot_rt_alloc(64, 1);
    if (!block || nthreads > 64)
        return -1;
    for (int32_t phase = 0; phase < 2; phase++) {
        pthread_t threads[64];
        atomic_int go = 0;
        Storm storm = {block, rounds, phase == 0, &go};
        int32_t started = 0;
        for (; started < nthreads; started++)
            if (pthread_create(&threads[started], NULL, storm_thread, &storm) != 0)
                break;
        atomic_store(&go, 1);
        for (int32_t i = 0; i < started; i++)
            pthread_join(threads[i], NULL);
        if (started < nthreads)
            return -1;
        counts[phase] = atomic_load(&block->refcount);
    }
    pyaot_rt_decref(block);
    return 0;
}

/* ---- Many small loops, one after another ------------------------------------ */

static int32_t add_indices(void *ctx, int64_t begin, int64_t end, int32_t worker) {
    int64_t *partial = ctx;
    for (int64_t i = begin; i < end; i++)
        partial[worker * 8] += i; // a cache line each
    return 0;
}

/* `loops` loops of n iterations each, back to back, as a prange inside a
 * Python-level loop runs: the sum of all their indices. */
SHIM int64_t shim_small_loops(int64_t loops, int64_t n, int32_t release_gil) {
    void *gil = release_gil ? pyaot_rt_gil_release() : NULL;
    int64_t total = 0;
    for (int64_t k = 0; k < loops; k++) {
        int32_t workers = pyaot_rt_num_threads();
        int64_t *partial = calloc((size_t)workers * 8, sizeof *partial);
        if (pyaot_rt_parallel_for(n, add_indices, partial) != 0)
            total = -1;
        for (int32_t w = 0; w < workers; w++)
            total += partial[w * 8];
        free(partial);
    }
    if (gil)
        pyaot_rt_gil_restore(gil);
    return total;
}

/* ---- A Mandelbrot image, rows of very different cost ------------------------- */

typedef struct Image {
    int32_t width, height, maxiter;
    int32_t *counts;      // height x width escape counts
    int64_t *row_threads; // the kernel thread that computed each row
} Image;

static int32_t mandelbrot_rows(void *ctx, int64_t begin, int64_t end, int32_t worker) {
    (void)worker;
    Image *im = ctx;
    for (int64_t y = begin; y < end; y++) {
        double cy = -1.5 + 3.0 * (double)y / im->height;
        for (int32_t x = 0; x < im->width; x++) {
            double cx = -2.25 + 3.0 * (double)x / im->width, zx = 0.0, zy = 0.0;
            int32_t k = 0;
            while (k < im->maxiter && zx * zx + zy * zy <= 4.0) {
                double t = zx * zx - zy * zy + cx;
                zy = 2.0 * zx * zy + cy;
                zx = t;
                k++;
            }
            im->counts[y * im->width + x] = k;
        }
        im->row_threads[y] = syscall(SYS_gettid);
    }
    return 0;
}

SHIM int32_t shim_mandelbrot(int32_t width, int32_t height, int32_t maxiter, int32_t *counts, int64_t *row_threads,
                             int32_t release_gil) {
    Image im = {width, height, maxiter, counts, row_threads};
    void *gil = release_gil ? pyaot_rt_gil_release() : NULL;
    pyaot_rt_num_threads();
    int32_t status = pyaot_rt_parallel_for(height, mandelbrot_rows, &im);
    if (gil)
        pyaot_rt_gil_restore(gil);
    return status;
}
