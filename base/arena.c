/* The build's bump allocator: chunks of at least 1 MiB, memory zeroed,
 * everything freed together by arena_free(). */
#include "base.h"

#include <stdlib.h>
#include <string.h>

enum { CHUNK_SIZE = 1 << 20, ALIGN = 16 };

typedef struct Chunk {
    struct Chunk *prev;
    size_t used, size;
    _Alignas(ALIGN) unsigned char bytes[];
} Chunk;

struct Arena {
    Chunk *head;
};

static _Noreturn void out_of_memory(void) {
    fputs("pyaot: out of memory\n", stderr);
    abort();
}

Arena *arena_new(void) {
    Arena *a = calloc(1, sizeof *a);
    if (!a)
        out_of_memory();
    return a;
}

void arena_free(Arena *a) {
    if (!a)
        return;
    for (Chunk *c = a->head, *prev; c; c = prev) {
        prev = c->prev;
        free(c);
    }
    free(a);
}

void *arena_alloc(Arena *a, size_t size) {
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    Chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t cap = size > CHUNK_SIZE ? size : CHUNK_SIZE;
        c = calloc(1, sizeof(Chunk) + cap);
        if (!c)
            out_of_memory();
        c->size = cap;
        c->prev = a->head;
        a->head = c;
    }
    void *p = c->bytes + c->used;
    c->used += size;
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    mem_copy(p, s, n);
    return p;
}

char *arena_strdup(Arena *a, const char *s) {
    return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(Arena *a, const char *fmt, va_list ap) {
    // Most messages fit the stack buffer and are formatted once.
    char small[256];
    if (!fmt) // never, but gcc's sanitizer builds cannot tell
        return arena_strdup(a, "");
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0)
        n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof small)
        mem_copy(p, small, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(Arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void vec_grow_(Arena *a, void **data, int *cap, size_t elem_size) {
    int new_cap = *cap ? *cap * 2 : 8;
    void *p = arena_alloc(a, elem_size * (size_t)new_cap);
    if (*cap)
        mem_copy(p, *data, elem_size * (size_t)*cap);
    *data = p;
    *cap = new_cap;
}

void sb_init(StrBuf *sb, Arena *a) {
    sb->arena = a;
    sb->len = 0;
    sb->cap = 64;
    sb->data = arena_alloc(a, sb->cap);
}

static void sb_reserve(StrBuf *sb, size_t extra) {
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap * 2;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *p = arena_alloc(sb->arena, cap);
    mem_copy(p, sb->data, sb->len);
    sb->data = p;
    sb->cap = cap;
}

void sb_append(StrBuf *sb, const char *s) {
    size_t n = strlen(s);
    sb_reserve(sb, n);
    mem_copy(sb->data + sb->len, s, n + 1);
    sb->len += n;
}

void sb_printf(StrBuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(sb->arena, fmt, ap);
    va_end(ap);
    sb_append(sb, s);
}
