/* link/ — the last stage: turns the relocatable object that lower/ emits
 * (kept in memory) into the extension module, a shared object whose only
 * exported symbol is PyInit_<module>.
 *
 * Two linkers sit behind one entry point: pyaot's own ELF writer (libelf;
 * no compiler or linker needed on the user's machine) and the system
 * toolchain (`cc -shared`), kept as a cross-check.
 *
 * The runtime every module carries (link/runtime/) is not linked here: it is
 * compiled to LLVM bitcode when pyaot is built and merged into each module's
 * LLVM IR by lower/, so it is optimised together with the user's code. */
#ifndef PYAOT_LINK_H
#define PYAOT_LINK_H

#include <stdbool.h>
#include <stddef.h>

typedef enum LnLinker {
    LN_LINKER_ELF,    // link/elf/
    LN_LINKER_SYSTEM, // link/system.c
} LnLinker;

/* Which glibc symbol versions a module's imports ask for. */
typedef enum LnSymbolVersions {
    LN_VERSIONS_NONE,     // unversioned (tests of the linker alone)
    /* The versions this machine's libc and libm define as default
     * (exp@GLIBC_2.29, not the old compatibility exp), as the system linker
     * does: for modules built to run here (pyaot build). */
    LN_VERSIONS_HOST_DEFAULT,
    /* Each symbol's oldest version (exp@GLIBC_2.2.5, aligned_alloc@GLIBC_2.16):
     * what an unversioned import binds to anyway, but written down, so the
     * module states the oldest glibc it loads into (pyaot wheel). */
    LN_VERSIONS_OLDEST,
} LnSymbolVersions;

typedef struct LnInput {
    const unsigned char *object; // ELF64 relocatable object (x86-64, PIC) as LLVM emits it
    size_t object_size;
    const char *init_symbol;     // "PyInit_<module>": the one symbol the .so exports
    bool keep_debug;             // pass .debug_* sections through (pyaot build -g)
    LnSymbolVersions versions;         // pyaot's own linker; the system linker always binds host defaults
} LnInput;

enum { LN_ERROR_MAX = 512 };
typedef struct LnError {
    char message[LN_ERROR_MAX]; // one line, no trailing newline
} LnError;

/* Writes the shared object to `out_path` (the driver writes to a temporary
 * name and renames it into place). Returns 0, or -1 with `err` filled in. */
int ln_link(LnLinker linker, const LnInput *in, const char *out_path, LnError *err);

/* The newest glibc a linked module asks for through its symbol versions
 * (GLIBC_2.16 gives 2 and 16), read from its .gnu.version_r, whichever
 * linker made it; 2.0 when it asks for none. -1 if `so` is not an ELF file. */
int ln_glibc_needed(const void *so, size_t size, int *major, int *minor);

// elf/ (pyaot's own ELF writer)
int ln_link_elf(const LnInput *in, const char *out_path, LnError *err);

// system.c
int ln_link_system(const LnInput *in, const char *out_path, LnError *err);
/* True when a system C compiler driver is on PATH (tests of --linker=system). */
bool ln_system_linker_available(void);

#endif
