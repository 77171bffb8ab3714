/* Atomic outputs: a build writes each file under a temporary name in the
 * target directory and renames it into place only when everything worked,
 * so a failed build leaves nothing behind, not even a half-written file. */
#include "aot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates `dir` and its missing parents, as `mkdir -p` does, so that
 * `-o out/` works on a fresh checkout. Outputs are begun only once the
 * module has compiled, so a failed compile creates no directory. */
static void make_directories(Arena *a, const char *dir, Diag *d) {
    char *path = arena_printf(a, "%s", dir);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        struct stat st;
        if (stat(path, &st) != 0) {
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                diag_error(d, (SrcPos){0}, "cannot create output directory '%s': %s", path, strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            diag_error(d, (SrcPos){0}, "output path '%s' is not a directory", path);
        }
        *p = saved;
        if (saved == '\0')
            return;
    }
}

bool aot_output_begin(Arena *a, AotOutput *out, const char *dir, const char *name, Diag *d) {
    make_directories(a, dir, d);
    out->final_path = arena_printf(a, "%s/%s", dir, name);
    out->temp_path = arena_printf(a, "%s/.%s.XXXXXX", dir, name);
    int fd = mkstemp(out->temp_path);
    if (fd < 0) {
        out->temp_path = NULL;
        diag_error(d, (SrcPos){0}, "cannot write to output directory '%s': %s", dir, strerror(errno));
    }
    close(fd);
    return true;
}

bool aot_output_write(AotOutput *out, const void *data, size_t size, Diag *d) {
    FILE *f = fopen(out->temp_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        diag_error(d, (SrcPos){0}, "cannot write '%s': %s", out->final_path, strerror(errno));
    return true;
}

void aot_output_commit(AotOutput *out, Diag *d) {
    // mkstemp made the file 0600; a module is read by everyone like any .so.
    mode_t mask = umask(0);
    umask(mask);
    chmod(out->temp_path, 0755 & ~mask);
    if (rename(out->temp_path, out->final_path) != 0)
        diag_error(d, (SrcPos){0}, "cannot create '%s': %s", out->final_path, strerror(errno));
    out->temp_path = NULL;
}

void aot_output_discard(AotOutput *out) {
    if (out->temp_path) {
        unlink(out->temp_path);
        out->temp_path = NULL;
    }
}
