/* aot/ — the driver: command line, the embedded CPython that imports the
 * user's module, and the list of stages a build runs (build.c). */
#ifndef PYAOT_AOT_H
#define PYAOT_AOT_H

#include "base.h"
#include "frontend.h"
#include "link.h"

#define PYAOT_VERSION "0.1.0"

/* One --sig argument: NAME=SIG, or a bare SIG (name NULL). */
typedef struct AotSigArg {
    const char *name;
    const char *text;
} AotSigArg;

typedef enum AotCommand {
    AOT_CMD_BUILD, // pyaot build: the module
    AOT_CMD_WHEEL, // pyaot wheel: a wheel holding it
} AotCommand;

typedef struct AotOptions {
    AotCommand command;
    const char *input;         // FILE.py
    const char *outdir;        // -o, default "."
    bool outdir_given;         // -o was given (it wins over a numba.pycc CC's output_dir)
    Vec(AotSigArg) sigs;
    int opt_level;             // -O0..-O3, default 3
    bool emit_llvm;            // --emit-llvm: write the optimised .ll beside the .so
    bool dump_ir;              // --dump-ir: print the typed IR to stdout
    bool debug_info;           // -g
    bool boundscheck;          // --boundscheck=on|off, default on
    bool error_model_numpy;    // --error-model=numpy|python, default python
    bool fastmath;             // --fastmath: LLVM's fast-math flags (pyaot.export's fastmath=True)
    int parallel;              // prange loops: FE_SWITCH_BUILD (default), --parallel ON, --no-parallel OFF
    LnLinker linker;           // --linker=elf|system
    const char *cpu;           // --cpu NAME, default the host's (wheel: x86-64-v2)
    bool cpu_given;            // --cpu was given (it wins over a CC's target_cpu)
    bool abi3;                 // --abi3: NAME.abi3.so on the stable ABI (wheel: default on)
    const char *dist_name;     // wheel --name, default the module's name
    const char *dist_version;  // wheel --version, default 0.1.0
} AotOptions;

enum { AOT_OK = 0, AOT_COMPILE_ERROR = 1, AOT_USAGE_ERROR = 2, AOT_EXIT_NOW = -1 };

// options.c
/* Parses argv; returns AOT_OK, AOT_USAGE_ERROR (message printed) or
 * AOT_EXIT_NOW (--help/--version printed). */
int aot_parse_args(Arena *a, int argc, char **argv, AotOptions *o);

// python.c
/* Starts the embedded interpreter (once) with the pyaot package importable. */
void aot_python_start(Diag *d);
void aot_python_stop(void);

// load.c
/* One function of the built module: a user function under a name, with
 * the signatures it is compiled for. */
typedef struct AotExport {
    const char *name;
    FeFunction *func;
    Vec(FeSigText) sigs;
} AotExport;

/* The user's module, imported and described for the frontend. */
typedef struct AotModule {
    const char *name;          // module name: the file's stem, or a numba.pycc CC's name
    const char *path;
    const char *ext_suffix;    // ".cpython-311-x86_64-linux-gnu.so"
    Vec(AotExport) exports;    // in the order they appear in the module
    const char *outdir;        // from the module (a CC's output_dir), or NULL
    const char *cpu;           // from the module (a CC's target_cpu), or NULL
    Vec(FeLibraryEntry) library; // numpy names pyaot's library code implements
} AotModule;

void aot_load(Arena *a, Diag *d, const AotOptions *o, AotModule *out);

// output.c
/* Writes files atomically: to a temporary name in the target directory,
 * renamed into place by aot_commit; aot_discard removes what is left. */
typedef struct AotOutput {
    const char *final_path;
    char *temp_path;
} AotOutput;

bool aot_output_begin(Arena *a, AotOutput *out, const char *dir, const char *name, Diag *d);
bool aot_output_write(AotOutput *out, const void *data, size_t size, Diag *d);
void aot_output_commit(AotOutput *out, Diag *d);
void aot_output_discard(AotOutput *out);

// build.c
int aot_build(const AotOptions *o);

// wheel.c
/* Writes DIST-VERSION-cp311-abi3-PLATFORM.whl holding the module `so` into
 * o->outdir through `out` (discarded by the caller on error). */
void aot_write_wheel(Arena *a, Diag *d, const AotOptions *o, const char *module, const FeBuild *fb,
                     const void *so, size_t so_size, AotOutput *out);

#endif
