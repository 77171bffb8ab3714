/* Diagnostics in the form C compilers use:
 *
 *   module.py:12:9: error: cannot index float64 with float64
 *      12 |     x = a[f]
 *         |         ^~~~
 *
 * The error is recorded in the Diag and control jumps back to the driver.
 * Warnings (`file:line:col: warning: ...`) are printed as they occur and
 * do not stop the build. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

_Noreturn void diag_errorv(Diag *d, SrcPos pos, const char *fmt, va_list ap) {
    d->failed = true;
    d->pos = pos;
    d->message = arena_vprintf(d->arena, fmt, ap);
    // The user has no library source to look at: point at their call.
    if (d->library_label && pos.file && d->library_file && strcmp(pos.file, d->library_file) == 0) {
        d->pos = d->library_call;
        d->message = arena_printf(d->arena, "%s: %s", d->library_label, d->message);
        if (!d->internal && !d->note && pos.line > 0)
            d->note = arena_printf(d->arena, "in pyaot's implementation of %s, line %d of %s", d->library_label,
                                   pos.line, pos.file);
    }
    if (!d->unwind) {
        // No driver to return to (a unit test without a try point): stop here.
        diag_print(stderr, d);
        exit(1);
    }
    longjmp(*d->unwind, 1);
}

_Noreturn void diag_error(Diag *d, SrcPos pos, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    diag_errorv(d, pos, fmt, ap);
}

void diag_note(Diag *d, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    d->note = arena_vprintf(d->arena, fmt, ap);
    va_end(ap);
}

_Noreturn void diag_internal_at(Diag *d, const char *file, int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *what = arena_vprintf(d->arena, fmt, ap);
    va_end(ap);
    d->internal = true;
    diag_error(d, d->pos, "internal compiler error at %s:%d: %s", file, line, what);
}

/* Returns line `line` of `file` (1-based) in the arena, or NULL. */
static char *read_source_line(Arena *a, const char *file, int line) {
    FILE *f = fopen(file, "r");
    if (!f)
        return NULL;
    char buf[4096];
    char *result = NULL;
    for (int n = 1; fgets(buf, sizeof buf, f); n++) {
        size_t len = strlen(buf);
        bool whole = len > 0 && buf[len - 1] == '\n';
        if (n == line) {
            while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
                len--;
            result = arena_strndup(a, buf, len);
            break;
        }
        // A line longer than the buffer continues in the next fgets.
        while (!whole && fgets(buf, sizeof buf, f)) {
            len = strlen(buf);
            whole = len > 0 && buf[len - 1] == '\n';
        }
    }
    fclose(f);
    return result;
}

/* The located message, the quoted line and its caret, then the note:
 * shared by errors and by the warnings printed as they occur. */
static void print_located(FILE *out, Arena *a, const char *kind, const SrcPos *p, const char *message,
                          const char *note) {
    // A column into quoted text (a signature) is no column of the file.
    if (p->file && p->line > 0 && p->col > 0 && !p->text)
        fprintf(out, "%s:%d:%d: ", p->file, p->line, p->col);
    else if (p->file && p->line > 0)
        fprintf(out, "%s:%d: ", p->file, p->line);
    else if (p->file)
        fprintf(out, "%s: ", p->file);
    else
        fputs("pyaot: ", out);
    fprintf(out, "%s: %s\n", kind, message);

    const char *text = p->text;
    if (!text && p->file && p->line > 0)
        text = read_source_line(a, p->file, p->line);
    if (text) {
        char gutter[32];
        int width = p->text ? 0 : snprintf(gutter, sizeof gutter, "%5d", p->line);
        if (p->text)
            fprintf(out, "    %s\n", text);
        else
            fprintf(out, "%s | %s\n", gutter, text);
        if (p->col > 0) {
            fputs(p->text ? "    " : "", out);
            if (!p->text)
                fprintf(out, "%*s | ", width, "");
            // Keep tabs so the caret lines up under tab-indented source.
            for (int i = 0; i < p->col - 1 && text[i]; i++)
                fputc(text[i] == '\t' ? '\t' : ' ', out);
            fputc('^', out);
            for (int i = p->col; i < p->end_col - 1 && text[i]; i++)
                fputc('~', out);
            fputc('\n', out);
        }
    }
    if (note)
        fprintf(out, "note: %s\n", note);
}

void diag_print(FILE *out, const Diag *d) {
    print_located(out, d->arena, "error", &d->pos, d->message, d->note);
}

struct DiagGiven {
    struct DiagGiven *next;
    SrcPos pos;
    const char *message;
};

static void report(Diag *d, const char *kind, SrcPos pos, const char *fmt, va_list ap) {
    char *message = arena_vprintf(d->arena, fmt, ap);
    for (struct DiagGiven *g = d->given; g; g = g->next)
        if (g->pos.line == pos.line && g->pos.col == pos.col && strcmp(g->message, message) == 0 &&
            (g->pos.file == pos.file || (g->pos.file && pos.file && strcmp(g->pos.file, pos.file) == 0)))
            return;
    struct DiagGiven *given = ARENA_NEW(d->arena, struct DiagGiven);
    *given = (struct DiagGiven){.next = d->given, .pos = pos, .message = message};
    d->given = given;
    fflush(stdout);
    print_located(stderr, d->arena, kind, &pos, message, NULL);
}

void diag_warning(Diag *d, SrcPos pos, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    report(d, "warning", pos, fmt, ap);
    va_end(ap);
}

void diag_remark(Diag *d, SrcPos pos, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    report(d, "note", pos, fmt, ap);
    va_end(ap);
}
