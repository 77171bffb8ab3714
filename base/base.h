/* base/ — the support every stage shares: one arena per build (all compiler
 * memory lives there and is freed at once), growable arrays inside it, and
 * diagnostics that point at the user's source and unwind to the driver.
 *
 * Nothing here knows about Python, LLVM or ELF. */
#ifndef PYAOT_BASE_H
#define PYAOT_BASE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

// arena.c

/* A bump allocator. Memory is zeroed and never freed on its own. */
typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap);

#define ARENA_NEW(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

/* A growable array in the arena: `Vec(Foo *) items;` then
 * `vec_push(arena, &items, x)`. Growing copies into a new arena block; the old
 * one is garbage until the arena is freed, which costs at most 2x. */
#define Vec(T) struct { T *data; int len, cap; }

#define vec_push(arena, v, x)                                                   \
    do {                                                                        \
        if ((v)->len == (v)->cap)                                               \
            vec_grow_((arena), (void **)&(v)->data, &(v)->cap, sizeof(*(v)->data)); \
        (v)->data[(v)->len++] = (x);                                            \
    } while (0)

void vec_grow_(Arena *a, void **data, int *cap, size_t elem_size);

/* memcpy that accepts n == 0 with NULL pointers (an empty Vec has no data),
 * where memcpy itself is undefined. */
static inline void mem_copy(void *dst, const void *src, size_t n) {
    if (n)
        __builtin_memcpy(dst, src, n);
}

/* A string builder in the arena. */
typedef struct StrBuf { char *data; size_t len, cap; Arena *arena; } StrBuf;
void sb_init(StrBuf *sb, Arena *a);
void sb_append(StrBuf *sb, const char *s);
void sb_printf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// diag.c

/* A place in the user's source. Lines and columns count from 1; 0 means
 * unknown. `text`, when set, is the line to quote under the message (for
 * errors inside a signature string); otherwise the line is read from `file`. */
typedef struct SrcPos {
    const char *file;
    int line;
    int col;
    int end_col;
    const char *text;
} SrcPos;

/* Where errors go. A stage that finds an error calls diag_error(), which
 * records it and longjmps back to the driver's diag_try point; everything the
 * stage made lives in the arena, so unwinding leaks nothing. */
typedef struct Diag {
    Arena *arena;
    jmp_buf *unwind;
    bool failed;
    bool internal;   // a bug in pyaot rather than in the user's program
    SrcPos pos;
    char *message;
    char *note;      // optional second line ("note: ...")
    /* While pyaot's own library code (its numpy functions, written in
     * Python) is compiled for a call in the user's code, an error located
     * in `library_file` is reported at that call, as `label: message`. */
    const char *library_file;
    SrcPos library_call;
    const char *library_label;
    struct DiagGiven *given; // the warnings printed so far: each is given once
} Diag;

_Noreturn void diag_error(Diag *d, SrcPos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
_Noreturn void diag_errorv(Diag *d, SrcPos pos, const char *fmt, va_list ap);
/* Adds a note to the next error; cleared when it is printed. */
void diag_note(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A broken invariant inside pyaot: reported with pyaot's own file:line. */
_Noreturn void diag_internal_at(Diag *d, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define diag_internal(d, ...) diag_internal_at((d), __FILE__, __LINE__, __VA_ARGS__)
/* Prints `file:line:col: error: message`, the source line and a caret. */
void diag_print(FILE *out, const Diag *d);
/* A warning, printed to stderr at once in the same form; the build goes on.
 * The same warning at the same place is printed once (a function is
 * compiled once per signature, and more). */
void diag_warning(Diag *d, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same as a `note:` of its own: something the user may want to know. */
void diag_remark(Diag *d, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
