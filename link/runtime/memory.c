/* Array memory: reference-counted blocks, and the live list that lets a
 * wrapper free what a failed call left behind. */
#define _DEFAULT_SOURCE // mmap's MAP_ANONYMOUS, madvise
#include "internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

/* Blocks from this size on are mapped directly in 2 MiB-aligned huge pages
 * (as numpy does with madvise): a fresh 80 MB array then costs 40 page
 * faults instead of 20000. */
#define LARGE_BLOCK ((size_t)4 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static size_t large_size(size_t nbytes) {
    return (nbytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

static void *map_large(size_t size) {
    // Over-map by one huge page and trim, so the block starts on one.
    size_t span = size + HUGE_PAGE;
    char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *start = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (start > p)
        munmap(p, (size_t)(start - p));
    size_t tail = (size_t)((p + span) - (start + size));
    if (tail)
        munmap(start + size, tail);
    madvise(start, size, MADV_HUGEPAGE);
    return start;
}

/* Live lists are per thread (internal.h): compiled code on several threads
 * allocates at once, and a failed call frees what its own thread made. Each
 * block records the list it is on, so that whichever thread drops the last
 * reference takes it off the right one. */
static void live_push(pyaot_live *list, pyaot_meminfo *mi) {
    mi->serial = list->next_serial++;
    mi->live_list = list;
    mi->live_prev = NULL;
    mi->live_next = list->head;
    if (list->head)
        list->head->live_prev = mi;
    list->head = mi;
}

static void live_unlink(pyaot_meminfo *mi) {
    pyaot_live *list = mi->live_list;
    if (!list)
        return;
    if (mi->live_prev)
        mi->live_prev->live_next = mi->live_next;
    else
        list->head = mi->live_next;
    if (mi->live_next)
        mi->live_next->live_prev = mi->live_prev;
    mi->live_prev = mi->live_next = NULL;
    mi->live_list = NULL;
}

pyaot_meminfo *pyaot_rt_alloc(int64_t nbytes, int32_t zeroed) {
    size_t size = (size_t)(nbytes > 0 ? nbytes : 1);
    pyaot_thread *t = pyaot_rt_thread();
    pyaot_meminfo *mi = t ? malloc(sizeof *mi) : NULL;
    void *data = NULL;
    if (mi && nbytes >= 0 && (uint64_t)nbytes < ((uint64_t)1 << 62)) {
        // Blocks of a few hundred bytes and more start on a cache line, so
        // vector loops need no peeling.
        if (size >= LARGE_BLOCK)
            data = map_large(large_size(size)); // zero-filled by the kernel
        else if (zeroed)
            data = calloc(1, size);
        else if (size < 256)
            data = malloc(size);
        else if (posix_memalign(&data, 64, size) != 0) // C11's aligned_alloc needs glibc 2.16
            data = NULL;
    }
    if (!mi || !data) {
        free(mi);
        int64_t py = pyaot_rt_python_enter();
        PyErr_NoMemory();
        pyaot_rt_python_leave(py);
        return NULL;
    }
    atomic_init(&mi->refcount, 1);
    mi->data = data;
    mi->nbytes = nbytes;
    mi->owner = NULL;
    live_push(&t->live, mi);
    return mi;
}

static void free_block(pyaot_meminfo *mi) {
    live_unlink(mi);
    size_t size = (size_t)(mi->nbytes > 0 ? mi->nbytes : 1);
    if (size >= LARGE_BLOCK)
        munmap(mi->data, large_size(size));
    else
        free(mi->data);
    free(mi);
}

/* A block borrowed from an argument (owner set) is never freed by the
 * runtime, so its count is not kept: no atomic instruction for views of
 * arguments, and LLVM can take the test out of a loop. */
void pyaot_rt_incref(pyaot_meminfo *mi) {
    if (mi && !mi->owner)
        atomic_fetch_add_explicit(&mi->refcount, 1, memory_order_relaxed);
}

void pyaot_rt_decref(pyaot_meminfo *mi) {
    // Release: this thread's writes to the block happen before whichever
    // thread frees it; acquire there, before the free.
    if (mi && !mi->owner && atomic_fetch_sub_explicit(&mi->refcount, 1, memory_order_release) == 1) {
        atomic_thread_fence(memory_order_acquire);
        free_block(mi);
    }
}

uint64_t pyaot_rt_live_mark(void) {
    // No state yet: no block on this thread either, so all are after the mark.
    pyaot_thread *t = pyaot_rt_thread();
    return t ? t->live.next_serial : 0;
}

void pyaot_rt_live_release(uint64_t mark) {
    pyaot_thread *t = pyaot_rt_thread();
    // Newest first: everything before the first older block is ours.
    while (t && t->live.head && t->live.head->serial >= mark)
        free_block(t->live.head);
}

void pyaot_rt_live_forget(pyaot_meminfo *mi) {
    live_unlink(mi);
}

pyaot_meminfo *pyaot_rt_live_take_all(pyaot_meminfo **tail) {
    pyaot_thread *t = pyaot_rt_thread();
    pyaot_meminfo *chain = t ? t->live.head : NULL;
    *tail = NULL;
    for (pyaot_meminfo *mi = chain; mi; mi = mi->live_next) {
        mi->live_list = NULL; // on no list until adopted
        *tail = mi;
    }
    if (t)
        t->live.head = NULL;
    return chain;
}

void pyaot_rt_live_adopt(pyaot_meminfo *chain) {
    pyaot_thread *t = pyaot_rt_thread();
    while (t && chain) {
        pyaot_meminfo *next = chain->live_next;
        live_push(&t->live, chain); // a fresh serial: newer than any mark taken before
        chain = next;
    }
}

/* The byte range [lo, hi) a view's items span; false when it has none. */
static int view_extent(const char *data, const int64_t *shape, const int64_t *strides, int32_t ndim,
                       int64_t itemsize, uintptr_t *lo, uintptr_t *hi) {
    intptr_t low = 0, high = itemsize;
    for (int32_t i = 0; i < ndim; i++) {
        if (shape[i] == 0)
            return 0;
        intptr_t reach = (intptr_t)((shape[i] - 1) * strides[i] * itemsize);
        if (reach < 0)
            low += reach;
        else
            high += reach;
    }
    *lo = (uintptr_t)data + (uintptr_t)low;
    *hi = (uintptr_t)data + (uintptr_t)high;
    return 1;
}

int32_t pyaot_rt_memory_overlap(const char *a, const int64_t *a_shape, const int64_t *a_strides, int32_t a_ndim,
                                int64_t a_itemsize, const char *b, const int64_t *b_shape, const int64_t *b_strides,
                                int32_t b_ndim, int64_t b_itemsize) {
    uintptr_t alo, ahi, blo, bhi;
    if (!view_extent(a, a_shape, a_strides, a_ndim, a_itemsize, &alo, &ahi) ||
        !view_extent(b, b_shape, b_strides, b_ndim, b_itemsize, &blo, &bhi))
        return 0;
    return alo < bhi && blo < ahi;
}
