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

typedef struct LnInput {
    const unsigned char *object; // ELF64 relocatable object (x86-64, PIC) as LLVM emits it
    size_t object_size;
    const char *init_symbol;     // "PyInit_<module>": the one symbol the .so exports
    bool keep_debug;             // pass .debug_* sections through (pyaot build -g)
    /* Bind imports to the symbol versions this machine's libc and libm
     * define as default (exp@GLIBC_2.29, not the old compatibility exp), as
     * the system linker does. Off for portable builds (wheels): unversioned
     * imports bind to the oldest versions, which every glibc has. */
    bool host_versions;
} LnInput;

enum { LN_ERROR_MAX = 512 };
typedef struct LnError {
    char message[LN_ERROR_MAX]; // one line, no trailing newline
} LnError;

/* Writes the shared object to `out_path` (the driver writes to a temporary
 * name and renames it into place). Returns 0, or -1 with `err` filled in. */
int ln_link(LnLinker linker, const LnInput *in, const char *out_path, LnError *err);

// elf/ (pyaot's own ELF writer)
int ln_link_elf(const LnInput *in, const char *out_path, LnError *err);

// system.c
int ln_link_system(const LnInput *in, const char *out_path, LnError *err);
/* True when a system C compiler driver is on PATH (tests of --linker=system). */
bool ln_system_linker_available(void);

#endif
