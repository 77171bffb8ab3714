/* Module-level arrays, frozen into the module when it is built: their items
 * are module data, and a meminfo made on first use owns nothing. Its
 * refcount starts so high that it never reaches zero, and boxing one gives
 * Python a read-only array, so neither side can free or change them. */
#include "internal.h"

#include <stdlib.h>

#define FROZEN_REFCOUNT ((int64_t)1 << 62)

pyaot_meminfo *pyaot_rt_frozen(pyaot_meminfo **slot, void *data, int64_t nbytes) {
    pyaot_meminfo *mi = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (mi)
        return mi;
    mi = calloc(1, sizeof *mi);
    if (!mi) {
        int64_t py = pyaot_rt_python_enter();
        PyErr_NoMemory();
        pyaot_rt_python_leave(py);
        return NULL;
    }
    mi->refcount = FROZEN_REFCOUNT;
    mi->data = data;
    mi->nbytes = nbytes;
    pyaot_meminfo *first = NULL;
    // Two threads may get here at once: the first one's meminfo serves both.
    if (!__atomic_compare_exchange_n(slot, &first, mi, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        free(mi);
        return first;
    }
    return mi;
}

int pyaot_rt_is_frozen(const pyaot_meminfo *mi) {
    return mi && mi->refcount >= FROZEN_REFCOUNT / 2;
}
