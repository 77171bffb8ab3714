/* Parallel loops. pyaot_rt_parallel_for hands [0, n) out in chunks to the
 * threads of a pool run (pool.c), the calling thread among them, through
 * one atomic counter: each chunk is a share of what is left, so chunks
 * shrink towards the end and threads that drew cheap iterations take more.
 *
 * Everything that ties a loop to Python happens here, in the calling
 * module's copy of the runtime, even when the pool's threads belong to
 * another module's copy:
 *  - a failing chunk stops the handing out; the first failure's exception
 *    is taken from its thread (the GIL is taken for that) and raised in
 *    the caller's; later ones are dropped;
 *  - each chunk is a live-list mark: a failing chunk frees what it made;
 *  - each thread records which loop body it runs, so that a loop started
 *    inside a body runs serially, and knows its stack floor;
 *  - a caller that holds the GIL lets go of it while the pool runs, since
 *    the workers need it to raise. */
#include "internal.h"

#include <stdatomic.h>

typedef struct Loop {
    pyaot_rt_loop_body body;
    void *ctx;
    int64_t n;
    _Atomic int64_t next;           // the first iteration not handed out
    atomic_int failed;              // a chunk failed: hand out no more
    int32_t no_state;               // the first failure: a thread had no memory for its state
    PyObject *exc[3];               // the first failure's exception, written by its thread
    pyaot_meminfo *_Atomic escaped; // blocks made on workers that outlived their chunks
} Loop;

/* Claims the next chunk: a quarter of an even share of what is left. */
static int next_chunk(Loop *loop, int32_t width, int64_t *begin, int64_t *end) {
    int64_t at = atomic_load_explicit(&loop->next, memory_order_relaxed), size;
    do {
        if (at >= loop->n)
            return 0;
        size = (loop->n - at) / (4 * (int64_t)width);
        if (size < 1)
            size = 1;
    } while (!atomic_compare_exchange_weak_explicit(&loop->next, &at, at + size, memory_order_relaxed,
                                                    memory_order_relaxed));
    *begin = at;
    *end = at + size;
    return 1;
}

static void fail(Loop *loop, pyaot_thread *t) {
    if (atomic_exchange_explicit(&loop->failed, 1, memory_order_relaxed) == 0) {
        if (t)
            pyaot_rt_exception_take(loop->exc);
        else
            loop->no_state = 1;
    } else if (t) {
        pyaot_rt_exception_take(NULL); // only the first is raised, as in Numba
    }
}

/* A worker's blocks that outlived its chunks go to the caller, who adopts
 * them when the loop ends: after that, this thread may be running another
 * loop, and must not share its live list. */
static void hand_over_blocks(Loop *loop) {
    pyaot_meminfo *tail, *chain = pyaot_rt_live_take_all(&tail);
    if (!chain)
        return;
    pyaot_meminfo *head = atomic_load_explicit(&loop->escaped, memory_order_relaxed);
    do
        tail->live_next = head;
    while (!atomic_compare_exchange_weak_explicit(&loop->escaped, &head, chain, memory_order_release,
                                                  memory_order_relaxed));
}

/* One chunk, with running out of stack in it (pyaot_rt_stack_overflow)
 * jumping back here as the chunk's failure. */
static int32_t run_chunk(pyaot_thread *t, pyaot_rt_loop_body body, void *ctx, int64_t begin, int64_t end,
                         int32_t worker) {
    jmp_buf exit;
    if (_setjmp(exit))
        return -1;
    t->overflow_exit = &exit;
    return body(ctx, begin, end, worker);
}

/* What each thread of the run does (pyaot_pool_work). */
static void run_chunks(void *arg, int32_t id, int32_t width) {
    Loop *loop = arg;
    pyaot_thread *t = pyaot_rt_thread();
    if (!t) {
        fail(loop, NULL);
        return;
    }
    int32_t outer_worker = t->worker, outer_width = t->loop_width;
    jmp_buf *outer_exit = t->overflow_exit;
    t->worker = id;
    t->loop_width = width;
    pyaot_rt_stack_floor_of(t);
    int64_t begin, end;
    while (!atomic_load_explicit(&loop->failed, memory_order_relaxed) && next_chunk(loop, width, &begin, &end)) {
        uint64_t mark = pyaot_rt_live_mark();
        if (run_chunk(t, loop->body, loop->ctx, begin, end, id) != 0) {
            pyaot_rt_live_release(mark);
            fail(loop, t);
            break;
        }
    }
    if (id != 0)
        hand_over_blocks(loop);
    t->worker = outer_worker;
    t->loop_width = outer_width;
    t->overflow_exit = outer_exit;
}

/* The whole loop on the calling thread, as worker 0 of 1. */
static int32_t run_serially(pyaot_thread *t, pyaot_rt_loop_body body, void *ctx, int64_t n) {
    if (!t)
        return body(ctx, 0, n, 0);
    jmp_buf *outer_exit = t->overflow_exit;
    t->worker = 0;
    t->loop_width = 1;
    int32_t status = run_chunk(t, body, ctx, 0, n, 0);
    t->worker = -1;
    t->overflow_exit = outer_exit;
    return status;
}

static void raise_failure(Loop *loop) {
    if (loop->exc[0]) {
        pyaot_rt_exception_restore(loop->exc);
        return;
    }
    int64_t py = pyaot_rt_python_enter();
    if (loop->no_state)
        PyErr_NoMemory();
    else
        PyErr_SetString(PyExc_SystemError, "a parallel loop's body failed without raising an exception");
    pyaot_rt_python_leave(py);
}

int32_t pyaot_rt_num_threads(void) {
    pyaot_thread *t = pyaot_rt_thread();
    if (t && t->worker >= 0)
        return t->loop_width;
    int32_t n = pyaot_rt_pool()->threads();
    if (t)
        t->promised = n;
    return n;
}

int32_t pyaot_rt_parallel_for(int64_t n, pyaot_rt_loop_body body, void *ctx) {
    pyaot_thread *t = pyaot_rt_thread();
    if (t && t->worker >= 0)
        return n > 0 ? body(ctx, 0, n, t->worker) : 0; // nested in a body: serially, as that body's worker
    // The promise of pyaot_rt_num_threads covers this loop only, even an empty one.
    int32_t promised = t ? t->promised : 0;
    if (t)
        t->promised = 0;
    if (n <= 0)
        return 0;
    const pyaot_pool_api *pool = pyaot_rt_pool();
    int32_t width = pool->threads();
    if (promised > 0 && promised < width)
        width = promised;
    if (n < width)
        width = (int32_t)n;
    if (!t || width < 2)
        return run_serially(t, body, ctx, n);
    Loop loop = {.body = body, .ctx = ctx, .n = n};
    void *saved = t->gil_released == 0 ? pyaot_rt_gil_release() : NULL;
    int32_t status = 0;
    if (!pool->run(run_chunks, &loop, width))
        status = run_serially(t, body, ctx, n); // the pool is busy with another thread's loop
    if (saved)
        pyaot_rt_gil_restore(saved);
    pyaot_rt_live_adopt(atomic_load_explicit(&loop.escaped, memory_order_acquire));
    if (status || !atomic_load_explicit(&loop.failed, memory_order_relaxed))
        return status;
    raise_failure(&loop);
    return -1;
}
