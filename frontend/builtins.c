/* Library names pyaot understands, from the FE_BUILTINS table. */
#include "frontend.h"

#include <string.h>

static const char *const builtin_names[B_COUNT] = {
    [B_NONE] = "?",
#define FE_BUILTIN_NAME(id, name) [B_##id] = name,
    FE_BUILTINS(FE_BUILTIN_NAME)
#undef FE_BUILTIN_NAME
};

/* Other spellings of the same object. */
static const struct { const char *alias, *name; } aliases[] = {
    {"numpy.bool8", "numpy.bool_"},
    {"numpy.int_", "numpy.int64"},
    {"numpy.double", "numpy.float64"},
    {"numpy.single", "numpy.float32"},
    {"numpy.float_", "numpy.float64"},
    {"numpy.complex_", "numpy.complex128"},
    {"numpy.cdouble", "numpy.complex128"},
    {"numpy.csingle", "numpy.complex64"},
    {"numpy.amin", "numpy.min"},
    {"numpy.amax", "numpy.max"},
    {"numpy.Inf", "numpy.inf"},
    {"numpy.NaN", "numpy.nan"},
    {"numpy.NAN", "numpy.nan"},
    {"numpy.PINF", "numpy.inf"},
    {"numpy.degrees", "numpy.rad2deg"},
    {"numpy.radians", "numpy.deg2rad"},
    {"numpy.conj", "numpy.conjugate"},
    {"numpy.mod", "numpy.remainder"},
    {"numpy.divide", "numpy.true_divide"},
    {"cmath.pi", "math.pi"},
    {"cmath.e", "math.e"},
    {"cmath.inf", "math.inf"},
    {"cmath.nan", "math.nan"},
    // Numba's names for the same things (nb.prange, nb.float64(x)).
    {"numba.prange", "pyaot.prange"},
    {"numba.boolean", "numpy.bool_"},  {"numba.bool_", "numpy.bool_"},
    {"numba.int8", "numpy.int8"},      {"numba.int16", "numpy.int16"},
    {"numba.int32", "numpy.int32"},    {"numba.int64", "numpy.int64"},
    {"numba.uint8", "numpy.uint8"},    {"numba.uint16", "numpy.uint16"},
    {"numba.uint32", "numpy.uint32"},  {"numba.uint64", "numpy.uint64"},
    {"numba.intp", "numpy.intp"},      {"numba.uintp", "numpy.uintp"},
    {"numba.float32", "numpy.float32"}, {"numba.float64", "numpy.float64"},
    {"numba.complex64", "numpy.complex64"}, {"numba.complex128", "numpy.complex128"},
};

Builtin fe_builtin_lookup(const char *qualified_name) {
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].alias, qualified_name) == 0)
            qualified_name = aliases[i].name;
    for (int b = 1; b < B_COUNT; b++)
        if (strcmp(builtin_names[b], qualified_name) == 0)
            return (Builtin)b;
    return B_NONE;
}

const char *fe_builtin_name(Builtin b) {
    return b > B_NONE && b < B_COUNT ? builtin_names[b] : "?";
}

const Type *fe_builtin_scalar_type(TypeTable *tt, Builtin b) {
    switch (b) {
    case B_NP_BOOL: return ty_bool(tt);
    case B_NP_INT8: return ty_int(tt, 8, true);
    case B_NP_INT16: return ty_int(tt, 16, true);
    case B_NP_INT32: return ty_int(tt, 32, true);
    case B_NP_INT64: case B_NP_INTP: return ty_int(tt, 64, true);
    case B_NP_UINT8: return ty_int(tt, 8, false);
    case B_NP_UINT16: return ty_int(tt, 16, false);
    case B_NP_UINT32: return ty_int(tt, 32, false);
    case B_NP_UINT64: case B_NP_UINTP: return ty_int(tt, 64, false);
    case B_NP_FLOAT32: return ty_float(tt, 32);
    case B_NP_FLOAT64: return ty_float64(tt);
    case B_NP_COMPLEX64: return ty_complex(tt, 64);
    case B_NP_COMPLEX128: return ty_complex(tt, 128);
    // The Python types work as dtypes too: float -> float64, int -> int64...
    case B_FLOAT: return ty_float64(tt);
    case B_INT: return ty_int64(tt);
    case B_BOOL: return ty_bool(tt);
    case B_COMPLEX: return ty_complex(tt, 128);
    default: return NULL;
    }
}
