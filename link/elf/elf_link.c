/* ln_link_elf: the stages of pyaot's own linker (see elf_internal.h). */
#include "elf_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Everything the linker allocates, freed together at the end. */
struct LnBlock {
    struct LnBlock *next;
    _Alignas(16) unsigned char bytes[];
};

void *ln_alloc(Linker *L, size_t size) {
    struct LnBlock *b = calloc(1, sizeof(struct LnBlock) + (size ? size : 1));
    if (!b) {
        ln_fail(L, "out of memory");
        return NULL;
    }
    b->next = L->blocks;
    L->blocks = b;
    return b->bytes;
}

static void free_all(Linker *L) {
    while (L->blocks) {
        struct LnBlock *next = L->blocks->next;
        free(L->blocks);
        L->blocks = next;
    }
}

int ln_fail(Linker *L, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->err->message, sizeof L->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

int ln_link_elf(const LnInput *in, const char *out_path, LnError *err) {
    Linker L = {.in = in, .err = err};
    int rc = ln_read_object(&L);
    if (rc == 0)
        rc = ln_layout(&L);
    if (rc == 0)
        rc = ln_fill_synthetic(&L);
    if (rc == 0)
        rc = ln_write(&L, out_path);
    if (rc != 0)
        unlink(out_path); // never leave a half-written file
    if (L.elf)
        elf_end(L.elf);
    free_all(&L);
    return rc;
}
