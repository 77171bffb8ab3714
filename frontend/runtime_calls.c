/* The runtime functions library code may call by name
 * (_pyaot_intrinsics.runtime("random_normal", loc, scale)): one table gives
 * inference the types and lowering the C function, so a new primitive is a
 * row here and a function in link/runtime, not a new builtin. */
#include "frontend.h"

#include <string.h>

static const FeRuntimeCall CALLS[] = {
    // numpy's legacy random numbers (link/runtime/random.c), one generator per thread
    {"random_seed", "pyaot_rt_random_seed", 'v', "l", "pyaot_rt_random_raise"},
    {"random_double", "pyaot_rt_random_double", 'd', "", NULL},
    {"random_gauss", "pyaot_rt_random_gauss", 'd', "", NULL},
    {"random_standard_exponential", "pyaot_rt_random_standard_exponential", 'd', "", NULL},
    {"random_exponential", "pyaot_rt_random_exponential", 'd', "d", "pyaot_rt_random_raise"},
    {"random_uniform", "pyaot_rt_random_uniform", 'd', "dd", "pyaot_rt_random_raise"},
    {"random_normal", "pyaot_rt_random_normal", 'd', "dd", "pyaot_rt_random_raise"},
    {"random_interval", "pyaot_rt_random_interval", 'l', "l", NULL},
    {"random_randint", "pyaot_rt_random_randint", 'l', "ll", "pyaot_rt_random_raise"},
    {"random_poisson", "pyaot_rt_random_poisson", 'l', "d", "pyaot_rt_random_raise"},
};

const FeRuntimeCall *fe_runtime_call(const char *name) {
    for (size_t i = 0; i < sizeof CALLS / sizeof CALLS[0]; i++)
        if (strcmp(CALLS[i].name, name) == 0)
            return &CALLS[i];
    return NULL;
}

const Type *fe_runtime_type(TypeTable *tt, char code) {
    switch (code) {
    case 'd': return ty_float64(tt);
    case 'l': return ty_int64(tt);
    default: return ty_none(tt);
    }
}
