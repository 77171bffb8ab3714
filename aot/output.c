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

bool aot_output_begin(Arena *a, AotOutput *out, const char *dir, const char *name, Diag *d) {
    out->final_path = arena_printf(a, "%s/%s", dir, name);
    out->temp_path = arena_printf(a, "%s/.%s.XXXXXX", dir, name);
    int fd = mkstemp(out->temp_path);
    if (fd < 0) {
        out->temp_path = NULL;
        struct stat st;
        if (stat(dir, &st) != 0)
            diag_error(d, (SrcPos){0}, "output directory '%s' does not exist", dir);
        if (!S_ISDIR(st.st_mode))
            diag_error(d, (SrcPos){0}, "output path '%s' is not a directory", dir);
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
