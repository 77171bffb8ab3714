/* The system toolchain as a linker: writes the object to a temporary file and
 * runs `cc -shared`. Kept as a cross-check of link/elf/; pyaot never needs
 * it otherwise. */
#define _POSIX_C_SOURCE 200809L
#include "link.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *find_cc(void) {
    static const char *const names[] = {"cc", "gcc", "clang"};
    const char *path = getenv("PATH");
    if (!path)
        return NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *p = path;
        while (*p) {
            const char *end = strchr(p, ':');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            char full[4096];
            if (n > 0 && n + strlen(names[i]) + 2 < sizeof full) {
                snprintf(full, sizeof full, "%.*s/%s", (int)n, p, names[i]);
                if (access(full, X_OK) == 0)
                    return names[i];
            }
            p += n;
            if (*p == ':')
                p++;
        }
    }
    return NULL;
}

bool ln_system_linker_available(void) {
    return find_cc() != NULL;
}

int ln_link_system(const LnInput *in, const char *out_path, LnError *err) {
    const char *cc = find_cc();
    if (!cc) {
        snprintf(err->message, sizeof err->message,
                 "--linker=system needs a C compiler driver (cc, gcc or clang) on PATH");
        return -1;
    }
    char obj_path[] = "/tmp/pyaot-XXXXXX.o";
    int fd = mkstemps(obj_path, 2);
    if (fd < 0) {
        snprintf(err->message, sizeof err->message, "cannot create a temporary object file: %s",
                 strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < in->object_size) {
        ssize_t w = write(fd, in->object + done, in->object_size - done);
        if (w < 0) {
            snprintf(err->message, sizeof err->message, "cannot write %s: %s", obj_path,
                     strerror(errno));
            close(fd);
            unlink(obj_path);
            return -1;
        }
        done += (size_t)w;
    }
    close(fd);

    // Export only PyInit: the object gives every other symbol internal or
    // hidden visibility, so -shared alone exports just that one.
    char *argv[] = {(char *)cc, "-shared", "-o", (char *)out_path, obj_path,
                    "-Wl,-z,relro,-z,now", "-Wl,-z,noexecstack", "-Wl,--as-needed",
                    "-lm", in->keep_debug ? "-g" : "-s", NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, cc, NULL, NULL, argv, environ);
    int status = 0;
    if (rc == 0 && waitpid(pid, &status, 0) < 0)
        rc = errno;
    unlink(obj_path);
    if (rc != 0) {
        snprintf(err->message, sizeof err->message, "cannot run %s: %s", cc, strerror(rc));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err->message, sizeof err->message, "%s -shared failed (status %d)", cc,
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return -1;
    }
    return 0;
}
