/* Array memory: reference-counted blocks, and the live list that lets a
 * wrapper free what a failed call left behind. */
#include "internal.h"

#include <stdlib.h>

/* Blocks allocated by compiled code and not yet handed to Python, newest
 * first. One list per module (the runtime is linked into each); the GIL
 * serialises access. */
static pyaot_meminfo *live_head;
static uint64_t next_serial = 1;

static void live_unlink(pyaot_meminfo *mi) {
    if (mi->live_prev)
        mi->live_prev->live_next = mi->live_next;
    else if (live_head == mi)
        live_head = mi->live_next;
    if (mi->live_next)
        mi->live_next->live_prev = mi->live_prev;
    mi->live_prev = mi->live_next = NULL;
}

pyaot_meminfo *pyaot_rt_alloc(int64_t nbytes, int32_t zeroed) {
    size_t size = (size_t)(nbytes > 0 ? nbytes : 1);
    pyaot_meminfo *mi = malloc(sizeof *mi);
    void *data = NULL;
    if (mi && nbytes >= 0 && (uint64_t)nbytes < ((uint64_t)1 << 62)) {
        // calloc: large zeroed blocks come straight from the kernel's zero
        // pages, which is what makes np.zeros cheap. Other large blocks
        // start on a cache line.
        if (zeroed)
            data = calloc(1, size);
        else if (size >= 256)
            data = aligned_alloc(64, (size + 63) & ~(size_t)63);
        else
            data = malloc(size);
    }
    if (!mi || !data) {
        free(mi);
        free(data);
        PyErr_NoMemory();
        return NULL;
    }
    mi->refcount = 1;
    mi->data = data;
    mi->nbytes = nbytes;
    mi->owner = NULL;
    mi->serial = next_serial++;
    mi->live_prev = NULL;
    mi->live_next = live_head;
    if (live_head)
        live_head->live_prev = mi;
    live_head = mi;
    return mi;
}

static void free_block(pyaot_meminfo *mi) {
    live_unlink(mi);
    free(mi->data);
    free(mi);
}

void pyaot_rt_incref(pyaot_meminfo *mi) {
    if (mi)
        mi->refcount++;
}

void pyaot_rt_decref(pyaot_meminfo *mi) {
    if (mi && --mi->refcount == 0 && !mi->owner)
        free_block(mi);
}

uint64_t pyaot_rt_live_mark(void) {
    return next_serial;
}

void pyaot_rt_live_release(uint64_t mark) {
    // Newest first: everything before the first older block is ours.
    while (live_head && live_head->serial >= mark)
        free_block(live_head);
}

void pyaot_rt_live_forget(pyaot_meminfo *mi) {
    live_unlink(mi);
}
