/* lower/ — typed IR to an optimised object file, through the LLVM 19 C API.
 *
 * The passes, in order:
 *   module.c    the LLVM module starts as the runtime's bitcode (link/runtime)
 *               so runtime helpers inline into the user's code
 *   recursion.c the call graph: callees before callers, unrolled recursion,
 *               the stack check of functions on a cycle
 *   function.c  one native function per specialisation (arith.c, array.c,
 *               iter.c, builtins.c lower the operations; liveness.c places
 *               the reference counting of arrays; parallel.c runs prange
 *               loops on the thread pool)
 *   wrapper.c   one CPython METH_FASTCALL wrapper per exported function, and
 *               PyInit_<module>
 *   optimize.c  internalise everything but PyInit, then `default<O3>`
 *   module.c    emit the object file into memory for link/
 *
 * lower/ never looks at bytecode: everything it needs is in the typed IR. */
#ifndef PYAOT_LOWER_H
#define PYAOT_LOWER_H

#include "base.h"
#include "frontend.h"

/* --fastmath: reassoc, nsz, arcp, contract, afn (pyaot.export's
 * fastmath=True): rounding may change, NaN and infinity keep their meaning. */
#define LW_FASTMATH_TRUE (1u | 8u | 16u | 32u | 64u)

typedef struct LwOptions {
    int opt_level;          // 0..3
    bool boundscheck;       // IndexError on out-of-range indices
    bool error_model_numpy; // division by zero gives numpy's answers instead of raising
    bool debug_info;        // -g (keep frame pointers, no stripping)
    unsigned fastmath;      // LLVM fast-math flags on float arithmetic; 0 for strict IEEE
    const char *cpu;        // target CPU; NULL for the host's
} LwOptions;

typedef struct LwModule LwModule;

/* A module for `name` (the Python module name), holding the runtime. */
LwModule *lw_create(Arena *a, Diag *d, const char *name, const LwOptions *opt);
/* Lowers every specialisation reachable from the exports, their wrappers
 * and PyInit_<name>. */
void lw_lower_program(LwModule *m, FeBuild *fb);
void lw_optimize(LwModule *m);
/* The module's LLVM IR as text, in the arena. */
char *lw_ir_text(LwModule *m);
/* The object file, valid until lw_dispose. */
void lw_emit_object(LwModule *m, const unsigned char **data, size_t *size);
void lw_dispose(LwModule *m);

#endif
