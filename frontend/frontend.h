/* frontend/ — everything that understands Python.
 *
 * Input: the user's functions as plain data (FeFunction, FeCode), filled in
 * by aot/ from the live code objects, with every global name already resolved
 * to a compile-time fact (FeGlobal). Output: typed SSA functions (Func), one
 * per specialisation, that lower/ turns into LLVM IR without ever looking at
 * bytecode again.
 *
 * The passes, in order (fe_build_spec runs 3-5 for each specialisation):
 *   1. sig.c     signature text      -> interned Types
 *   2. decode.c  co_code             -> instructions (EXTENDED_ARG, CACHE, jumps)
 *   3. ssa.c     instructions        -> blocks of untyped SSA (stack and locals
 *                                       become values and block parameters)
 *   4. infer.c   untyped SSA         -> every value typed, every call resolved
 *      fuse.c    element-wise operations -> one loop each
 *      parallel.c prange loops       -> functions of their own, run on the pool
 *   5. verify.c  checks the IR's invariants (debug builds and tests)
 */
#ifndef PYAOT_FRONTEND_H
#define PYAOT_FRONTEND_H

#include "base.h"

typedef struct Type Type;
typedef struct FeCode FeCode;
typedef struct FeFunction FeFunction;
typedef struct Instr Instr;
typedef struct Block Block;
typedef struct Func Func;
typedef struct FeBuild FeBuild;
typedef struct FeParallel FeParallel;

/* ======================================================================
 * Input: code objects and globals as plain data (filled in by aot/)
 * ====================================================================== */

typedef enum FeConstKind {
    FE_CONST_NONE,
    FE_CONST_BOOL,    // i
    FE_CONST_INT,     // i (fits int64)
    FE_CONST_UINT,    // u (fits uint64 but not int64)
    FE_CONST_BIGINT,  // an int beyond 64 bits: s holds its digits
    FE_CONST_FLOAT,   // f
    FE_CONST_COMPLEX, // f + imag j
    FE_CONST_STR,     // s
    FE_CONST_TUPLE,   // items
    FE_CONST_CODE,    // a nested code object (lambda, comprehension, def)
    FE_CONST_ELLIPSIS,// `...`
    FE_CONST_OTHER,   // anything else: s describes it ("bytes", "Ellipsis")
} FeConstKind;

typedef struct FeConst {
    FeConstKind kind;
    int64_t i;
    uint64_t u;
    double f, imag;
    const char *s;
    int nitems;
    struct FeConst **items;
    FeCode *code;  // CODE: the nested code object (NULL when not converted)
} FeConst;

typedef enum FeGlobalKind {
    FE_GLOBAL_UNDEFINED, // not in the module's globals nor in builtins
    FE_GLOBAL_MODULE,    // name: "numpy", "math", "cmath"
    FE_GLOBAL_LIBRARY,   // a known library object; name: "numpy.zeros", "builtins.len"
    FE_GLOBAL_FUNCTION,  // a Python function of the user's module: func
    FE_GLOBAL_CONST,     // a value frozen at build time: value
    FE_GLOBAL_EXCEPTION, // a builtin exception class; name: "ValueError"
    FE_GLOBAL_ARRAY,     // a numpy array frozen at build time (read-only): array
    FE_GLOBAL_OTHER,     // anything else; name describes it for errors
} FeGlobalKind;

/* A module-level numpy array's contents, in C order and native byte order. */
typedef struct FeFrozenArray {
    const char *dtype; // "float64"
    int ndim;
    const int64_t *shape;
    const uint8_t *data;
    int64_t nbytes;
} FeFrozenArray;

typedef struct FeGlobal {
    FeGlobalKind kind;
    const char *name;
    FeConst *value;
    FeFunction *func;
    FeFrozenArray *array;
} FeGlobal;

/* Source position of one code unit, from co_positions (0 = unknown). */
typedef struct FePosition {
    int line, end_line, col, end_col; // col is 0-based, as CPython gives it
} FePosition;

struct FeCode {
    const char *name;
    const char *qualname;
    const char *filename;
    int firstlineno;
    int argcount, posonlyargcount, kwonlyargcount;
    int flags;                 // co_flags (CO_GENERATOR, CO_VARARGS, ...)
    const uint8_t *code;       // co_code, including CACHE entries
    int ncode;                 // bytes
    FeConst **consts;
    int nconsts;
    const char **names;        // co_names
    FeGlobal **globals;        // globals[i]: names[i] resolved as a global
    int nnames;
    const char **varnames;     // co_varnames (arguments first)
    int nvarnames;
    int ncellvars, nfreevars;
    const char **cellvars, **freevars; // co_cellvars, co_freevars
    const uint8_t *exceptiontable;
    int nexceptiontable;
    FePosition *positions;     // one per code unit (ncode / 2)
};

enum {
    FE_CO_VARARGS = 0x04,
    FE_CO_VARKEYWORDS = 0x08,
    FE_CO_GENERATOR = 0x20,
    FE_CO_COROUTINE = 0x80,
    FE_CO_ASYNC_GENERATOR = 0x200,
};

/* A signature given for a function, with where it was written. */
typedef struct FeSigText {
    const char *text;
    SrcPos pos; // col points at the first character of text (text-only when unknown)
} FeSigText;

/* An option a function may set for itself (a Numba decorator's
 * boundscheck=, error_model=) over the build's command-line choice. */
typedef enum FeSwitch {
    FE_SWITCH_BUILD,
    FE_SWITCH_ON,
    FE_SWITCH_OFF,
    FE_SWITCH_IF_ASKED, // off unless the build turns it on (Numba's parallel: only with parallel=True)
} FeSwitch;

enum { FE_FASTMATH_BUILD = -1 };

/* A Python function of the user's module. */
struct FeFunction {
    const char *name;
    FeCode *code;
    FeConst **defaults; // __defaults__, for the last ndefaults positional parameters
    int ndefaults;
    FeSwitch boundscheck;       // IndexError on out-of-range indices
    FeSwitch error_model_numpy; // numpy's answers for division by zero
    int fastmath;               // LLVM fast-math flags for its float arithmetic, or FE_FASTMATH_BUILD
    FeSwitch nogil;             // off: calls from Python keep the GIL (released by default)
    FeSwitch parallel;          // prange loops run on the thread pool
    /* Part of pyaot's library (lib/numpy_impl.py): specialised on the
     * constant arguments of each call too, and its errors reported at the
     * user's call as `label: ...` ("np.cumsum"). */
    bool library;
    const char *label;
};

/* A numpy name pyaot's library implements ("numpy.cumsum", "ndarray.sum"). */
typedef struct FeLibraryEntry {
    const char *name;
    FeFunction *func;
} FeLibraryEntry;

/* ======================================================================
 * Types (types.c): interned, compare with ==
 * ====================================================================== */

typedef enum TypeKind {
    TY_UNKNOWN,  // bottom of the lattice while inferring
    TY_NONE,
    TY_BOOL,
    TY_INT,      // bits, is_signed
    TY_FLOAT,    // bits 32/64
    TY_COMPLEX,  // bits 64/128
    TY_ARRAY,    // dtype, ndim, layout
    TY_TUPLE,    // fields
    TY_RANGE,    // range(start, stop, step) of int64
    TY_SLICE,    // slice(start, stop, step) of int64, None filled in as PySlice_Unpack does
    TY_ITER,     // an iterator over `iterable` (kept in mutable state)
    TY_ENUMERATE,// enumerate(iterable, start)
    TY_ZIP,      // zip(fields...)
    TY_LIST,     // a typed list of `item` (unknown until decided: `origin` is the [] that made it)
    TY_DICT,     // a typed dict of keys `item` to `value` (both unknown until decided, as lists)
    TY_SET,      // a typed set of `item` (unknown until decided, as lists)
    TY_DICT_VIEW,// d.keys(), d.values(), d.items() of the dict `iterable`: bits is enum FeDictView
    // Compile-time only: these have no run-time representation.
    TY_MODULE,   // name
    TY_LIBRARY,  // a library callable or constant; builtin
    TY_FUNCTION, // a user function; func (a nested one: fields are its captured values' types)
    TY_METHOD,   // obj.name bound: fields[0] is the receiver, name the method
    TY_DTYPE,    // a numpy dtype / scalar type object; dtype
    TY_STR,      // a string constant; name holds it
    TY_EXC_CLASS,// a builtin exception class; name
    TY_NULL,     // CPython's NULL stack marker before a callable
    TY_ELLIPSIS, // `...` in an index
} TypeKind;

struct Type {
    TypeKind kind;
    int bits;
    bool is_signed;
    const Type *dtype;        // ARRAY, DTYPE
    int ndim;                 // ARRAY
    char layout;              // ARRAY: 'C', 'F' or 'A'
    int nfields;              // TUPLE, ZIP, METHOD
    const Type **fields;
    const Type *iterable;     // ITER, ENUMERATE
    const char *name;         // MODULE, METHOD, STR, EXC_CLASS
    int builtin;              // LIBRARY: enum Builtin
    FeFunction *func;         // FUNCTION
    const Type *item;         // LIST, SET; DICT: the keys
    const Type *value;        // DICT: the values
    const void *origin;       // LIST, DICT, SET of unknown items: the instruction that made it
};

/* What a TY_DICT_VIEW walks. */
typedef enum FeDictView { DV_KEYS, DV_VALUES, DV_ITEMS } FeDictView;

typedef struct TypeTable {
    Arena *arena;
    Vec(Type *) all;
} TypeTable;

void ty_init(TypeTable *tt, Arena *a);
const Type *ty_intern(TypeTable *tt, const Type *proto);
const Type *ty_simple(TypeTable *tt, TypeKind kind);
const Type *ty_int(TypeTable *tt, int bits, bool is_signed);
const Type *ty_float(TypeTable *tt, int bits);
const Type *ty_complex(TypeTable *tt, int bits);
const Type *ty_bool(TypeTable *tt);
const Type *ty_none(TypeTable *tt);
const Type *ty_int64(TypeTable *tt);
const Type *ty_float64(TypeTable *tt);
const Type *ty_array(TypeTable *tt, const Type *dtype, int ndim, char layout);
const Type *ty_tuple(TypeTable *tt, const Type **fields, int n);
const Type *ty_unituple(TypeTable *tt, const Type *t, int n);
const Type *ty_named(TypeTable *tt, TypeKind kind, const char *name);
const Type *ty_wrap(TypeTable *tt, TypeKind kind, const Type *inner); // ITER, DTYPE
const Type *ty_list(TypeTable *tt, const Type *item);
/* A list whose items are not decided yet, made by `origin` ([] or list()). */
const Type *ty_list_undecided(TypeTable *tt, const void *origin);
const Type *ty_dict(TypeTable *tt, const Type *key, const Type *value);
const Type *ty_set(TypeTable *tt, const Type *item);
/* A dict or set (kind) whose types are not decided yet, made by `origin`. */
const Type *ty_container_undecided(TypeTable *tt, TypeKind kind, const void *origin);
const Type *ty_dict_view(TypeTable *tt, const Type *dict, FeDictView which);
/* A dict key or set item pyaot can hash: a number or a tuple of them. */
bool ty_is_hashable(const Type *t);
/* The form keys are kept in: integers as int64 (uint64 as it is), floats
 * as float64, complex as complex128, tuples field by field. */
const Type *ty_key_form(TypeTable *tt, const Type *t);
/* A list, dict or set whose items are not decided yet. */
bool ty_is_undecided(const Type *t);
/* A list whose item type is still unknown, or a type holding one. */
bool ty_has_undecided(const Type *t);

bool ty_is_number(const Type *t);    // bool, int, float, complex
bool ty_is_integer(const Type *t);   // int or bool
bool ty_is_scalar(const Type *t);    // number or none
bool ty_is_runtime(const Type *t);   // has a run-time representation
bool ty_is_refcounted(const Type *t);// holds array references
/* Has a Python counterpart a result can be boxed into: numbers, None,
 * arrays, and tuples, lists, dicts and sets of those (not ranges, iterators
 * or a dict's views). */
bool ty_is_boxable(const Type *t);
/* Numba's spelling: "int64", "float64[:, ::1]", "UniTuple(int64, 2)". */
const char *ty_str(Arena *a, const Type *t);

/* Numba's rules for mixing numeric types. */
const Type *ty_unify(TypeTable *tt, const Type *a, const Type *b);     // joins (phis); NULL if none
/* The type of a tuple's items taken by a run-time index (iteration): the
 * one type they share, arrays differing only in layout as layout 'A' (the
 * same machine type); NULL if they differ otherwise. */
const Type *ty_tuple_item(TypeTable *tt, const Type *t);
/* The type a constant has in compiled code (Python's int is int64), or
 * NULL for constants it cannot hold (big ints, code objects). */
const Type *ty_of_const(TypeTable *tt, const FeConst *c);
const Type *ty_arith_int(TypeTable *tt, const Type *a, const Type *b); // int op int -> (u)int64
const Type *ty_promote(TypeTable *tt, const Type *a, const Type *b);   // common type for + - * etc.
bool ty_can_convert(const Type *from, const Type *to);                 // implicitly, value-wise

/* ======================================================================
 * Signatures (sig.c)
 * ====================================================================== */

typedef struct FeSig {
    const Type *ret;   // NULL when the signature gives no return type
    const Type **params;
    int nparams;
} FeSig;

/* Parses Numba's signature syntax ("float64[:](float64[:], int64)").
 * Reports errors through d, pointing into the text. */
FeSig fe_parse_sig(TypeTable *tt, Diag *d, const FeSigText *sig);
/* Parses one type ("int64[:, ::1]"). */
const Type *fe_parse_type(TypeTable *tt, Diag *d, const FeSigText *text);

/* ======================================================================
 * Bytecode (decode.c): CPython 3.11
 * ====================================================================== */

#define FE_OPCODES(X)                                                             \
    X(CACHE, 0) X(POP_TOP, 1) X(PUSH_NULL, 2) X(NOP, 9)                            \
    X(UNARY_POSITIVE, 10) X(UNARY_NEGATIVE, 11) X(UNARY_NOT, 12)                   \
    X(UNARY_INVERT, 15) X(BINARY_SUBSCR, 25) X(GET_LEN, 30)                        \
    X(MATCH_MAPPING, 31) X(MATCH_SEQUENCE, 32) X(MATCH_KEYS, 33)                   \
    X(PUSH_EXC_INFO, 35) X(CHECK_EXC_MATCH, 36) X(CHECK_EG_MATCH, 37)              \
    X(WITH_EXCEPT_START, 49) X(GET_AITER, 50) X(GET_ANEXT, 51)                     \
    X(BEFORE_ASYNC_WITH, 52) X(BEFORE_WITH, 53) X(END_ASYNC_FOR, 54)               \
    X(STORE_SUBSCR, 60) X(DELETE_SUBSCR, 61) X(GET_ITER, 68)                       \
    X(GET_YIELD_FROM_ITER, 69) X(PRINT_EXPR, 70) X(LOAD_BUILD_CLASS, 71)           \
    X(LOAD_ASSERTION_ERROR, 74) X(RETURN_GENERATOR, 75) X(LIST_TO_TUPLE, 82)       \
    X(RETURN_VALUE, 83) X(IMPORT_STAR, 84) X(SETUP_ANNOTATIONS, 85)                \
    X(YIELD_VALUE, 86) X(ASYNC_GEN_WRAP, 87) X(PREP_RERAISE_STAR, 88)              \
    X(POP_EXCEPT, 89) X(STORE_NAME, 90) X(DELETE_NAME, 91)                         \
    X(UNPACK_SEQUENCE, 92) X(FOR_ITER, 93) X(UNPACK_EX, 94) X(STORE_ATTR, 95)      \
    X(DELETE_ATTR, 96) X(STORE_GLOBAL, 97) X(DELETE_GLOBAL, 98) X(SWAP, 99)        \
    X(LOAD_CONST, 100) X(LOAD_NAME, 101) X(BUILD_TUPLE, 102) X(BUILD_LIST, 103)    \
    X(BUILD_SET, 104) X(BUILD_MAP, 105) X(LOAD_ATTR, 106) X(COMPARE_OP, 107)       \
    X(IMPORT_NAME, 108) X(IMPORT_FROM, 109) X(JUMP_FORWARD, 110)                   \
    X(JUMP_IF_FALSE_OR_POP, 111) X(JUMP_IF_TRUE_OR_POP, 112)                       \
    X(POP_JUMP_FORWARD_IF_FALSE, 114) X(POP_JUMP_FORWARD_IF_TRUE, 115)             \
    X(LOAD_GLOBAL, 116) X(IS_OP, 117) X(CONTAINS_OP, 118) X(RERAISE, 119)          \
    X(COPY, 120) X(BINARY_OP, 122) X(SEND, 123) X(LOAD_FAST, 124)                  \
    X(STORE_FAST, 125) X(DELETE_FAST, 126) X(POP_JUMP_FORWARD_IF_NOT_NONE, 128)    \
    X(POP_JUMP_FORWARD_IF_NONE, 129) X(RAISE_VARARGS, 130) X(GET_AWAITABLE, 131)   \
    X(MAKE_FUNCTION, 132) X(BUILD_SLICE, 133) X(JUMP_BACKWARD_NO_INTERRUPT, 134)   \
    X(MAKE_CELL, 135) X(LOAD_CLOSURE, 136) X(LOAD_DEREF, 137) X(STORE_DEREF, 138)  \
    X(DELETE_DEREF, 139) X(JUMP_BACKWARD, 140) X(CALL_FUNCTION_EX, 142)            \
    X(EXTENDED_ARG, 144) X(LIST_APPEND, 145) X(SET_ADD, 146) X(MAP_ADD, 147)       \
    X(LOAD_CLASSDEREF, 148) X(COPY_FREE_VARS, 149) X(RESUME, 151)                  \
    X(MATCH_CLASS, 152) X(FORMAT_VALUE, 155) X(BUILD_CONST_KEY_MAP, 156)           \
    X(BUILD_STRING, 157) X(LOAD_METHOD, 160) X(LIST_EXTEND, 162)                   \
    X(SET_UPDATE, 163) X(DICT_MERGE, 164) X(DICT_UPDATE, 165) X(PRECALL, 166)      \
    X(CALL, 171) X(KW_NAMES, 172) X(POP_JUMP_BACKWARD_IF_NOT_NONE, 173)            \
    X(POP_JUMP_BACKWARD_IF_NONE, 174) X(POP_JUMP_BACKWARD_IF_FALSE, 175)           \
    X(POP_JUMP_BACKWARD_IF_TRUE, 176)

typedef enum FeOpcode {
#define FE_OPCODE_ENUM(name, num) BC_##name = num,
    FE_OPCODES(FE_OPCODE_ENUM)
#undef FE_OPCODE_ENUM
} FeOpcode;

/* One decoded instruction. Offsets count code units (2 bytes), as CPython's
 * jump arguments do. */
typedef struct FeInsn {
    int offset;       // of the opcode itself (after any EXTENDED_ARG prefixes)
    int start;        // of the first EXTENDED_ARG prefix, where jumps land
    int opcode;
    int arg;          // with EXTENDED_ARG folded in
    int next;         // offset of the following instruction (past CACHE entries)
    int jump;         // jump target offset, or -1
    FePosition pos;
} FeInsn;

typedef struct FeInsns {
    FeInsn *insns;
    int n;
    int *index_of;    // code-unit offset -> instruction index, or -1
} FeInsns;

/* Decodes co_code. Malformed code (truncated, unknown opcode, a jump out of
 * range) is reported through d. */
FeInsns fe_decode(Arena *a, Diag *d, const FeCode *code);
const char *fe_opcode_name(int opcode); // NULL for an unknown number
int fe_opcode_caches(int opcode);       // CACHE entries after the opcode
bool fe_opcode_known(int opcode);

/* The exception table: the ranges that have a handler. */
typedef struct FeExcEntry { int start, end, target, depth; bool lasti; } FeExcEntry;
int fe_decode_exception_table(Arena *a, Diag *d, const FeCode *code, FeExcEntry **out);

/* ======================================================================
 * Builtins (builtins.c): every library name pyaot understands
 * ====================================================================== */

/* X(id, "qualified.name") — grep ORDER BUILTIN if you change these. The
 * typing rule of each is in infer_call.c, its code in lower/. */
#define FE_BUILTINS(X)                                                         \
    /* builtins */                                                             \
    X(LEN, "builtins.len")           X(ABS, "builtins.abs")                    \
    X(MIN, "builtins.min")           X(MAX, "builtins.max")                    \
    X(INT, "builtins.int")           X(FLOAT, "builtins.float")                \
    X(BOOL, "builtins.bool")         X(COMPLEX, "builtins.complex")            \
    X(ROUND, "builtins.round")       X(RANGE, "builtins.range")                \
    X(ENUMERATE, "builtins.enumerate") X(ZIP, "builtins.zip")                  \
    X(POW, "builtins.pow")           X(DIVMOD, "builtins.divmod")              \
    X(PRINT, "builtins.print")       X(ISINSTANCE, "builtins.isinstance")      \
    X(TUPLE, "builtins.tuple")       X(NP_NDARRAY, "numpy.ndarray")            \
    /* range whose iterations may run in parallel (numba.prange): parallel.c */ \
    X(PRANGE, "pyaot.prange")                                                  \
    /* primitives of pyaot's library code (lib/intrinsics.py) */               \
    X(LIB_COMPILE_ERROR, "_pyaot_intrinsics.compile_error")                    \
    X(LIB_AXIS_ERROR, "_pyaot_intrinsics.axis_error")                          \
    X(LIB_VALUE_ERROR, "_pyaot_intrinsics.value_error")                        \
    X(LIB_SHAPE_WITHOUT, "_pyaot_intrinsics.shape_without")                    \
    X(LIB_SHAPE_WITH, "_pyaot_intrinsics.shape_with")                          \
    X(LIB_MOVE_AXIS_LAST, "_pyaot_intrinsics.move_axis_last")                  \
    X(LIB_INNERMOST_AXIS, "_pyaot_intrinsics.innermost_axis")                  \
    X(LIB_RESULT_DTYPE, "_pyaot_intrinsics.result_dtype")                      \
    X(LIB_FLOAT_DTYPE, "_pyaot_intrinsics.float_dtype")                        \
    X(LIB_REAL_DTYPE, "_pyaot_intrinsics.real_dtype")                          \
    X(LIB_NUMPY_CALL, "_pyaot_intrinsics.numpy_call")                          \
    X(LIB_RUNTIME, "_pyaot_intrinsics.runtime")                                \
    X(LIB_NOT_IN_LIST, "_pyaot_intrinsics.not_in_list")                        \
    /* math: f(float) -> float */                                              \
    X(SQRT, "math.sqrt")     X(EXP, "math.exp")       X(LOG, "math.log")       \
    X(LOG10, "math.log10")   X(LOG2, "math.log2")     X(LOG1P, "math.log1p")   \
    X(EXPM1, "math.expm1")   X(SIN, "math.sin")       X(COS, "math.cos")       \
    X(TAN, "math.tan")       X(ASIN, "math.asin")     X(ACOS, "math.acos")     \
    X(ATAN, "math.atan")     X(SINH, "math.sinh")     X(COSH, "math.cosh")     \
    X(TANH, "math.tanh")     X(ASINH, "math.asinh")   X(ACOSH, "math.acosh")   \
    X(ATANH, "math.atanh")   X(FABS, "math.fabs")     X(ERF, "math.erf")       \
    X(ERFC, "math.erfc")     X(GAMMA, "math.gamma")   X(LGAMMA, "math.lgamma") \
    X(DEGREES, "math.degrees") X(RADIANS, "math.radians")                      \
    /* math: other shapes */                                                   \
    X(ATAN2, "math.atan2")   X(HYPOT, "math.hypot")   X(COPYSIGN, "math.copysign") \
    X(MATH_POW, "math.pow")  X(FMOD, "math.fmod")                              \
    X(FLOOR, "math.floor")   X(CEIL, "math.ceil")     X(TRUNC, "math.trunc")   \
    X(ISNAN, "math.isnan")   X(ISINF, "math.isinf")   X(ISFINITE, "math.isfinite") \
    X(MATH_PI, "math.pi")    X(MATH_E, "math.e")      X(MATH_INF, "math.inf")  \
    X(MATH_NAN, "math.nan")  X(MATH_TAU, "math.tau")                           \
    /* numpy functions on scalars (and dtype-preserving rules) */              \
    X(NP_SQRT, "numpy.sqrt")   X(NP_EXP, "numpy.exp")     X(NP_LOG, "numpy.log")   \
    X(NP_LOG10, "numpy.log10") X(NP_LOG2, "numpy.log2")   X(NP_LOG1P, "numpy.log1p") \
    X(NP_EXPM1, "numpy.expm1") X(NP_SIN, "numpy.sin")     X(NP_COS, "numpy.cos")   \
    X(NP_TAN, "numpy.tan")     X(NP_ARCSIN, "numpy.arcsin") X(NP_ARCCOS, "numpy.arccos") \
    X(NP_ARCTAN, "numpy.arctan") X(NP_SINH, "numpy.sinh") X(NP_COSH, "numpy.cosh") \
    X(NP_TANH, "numpy.tanh")   X(NP_ARCSINH, "numpy.arcsinh") X(NP_ARCCOSH, "numpy.arccosh") \
    X(NP_ARCTANH, "numpy.arctanh") X(NP_FABS, "numpy.fabs") X(NP_ABS, "numpy.abs") \
    X(NP_ABSOLUTE, "numpy.absolute") X(NP_FLOOR, "numpy.floor") X(NP_CEIL, "numpy.ceil") \
    X(NP_TRUNC, "numpy.trunc") X(NP_RINT, "numpy.rint")   X(NP_SIGN, "numpy.sign") \
    X(NP_ARCTAN2, "numpy.arctan2") X(NP_HYPOT, "numpy.hypot") X(NP_POWER, "numpy.power") \
    X(NP_COPYSIGN, "numpy.copysign") X(NP_MINIMUM, "numpy.minimum") X(NP_MAXIMUM, "numpy.maximum") \
    X(NP_ISNAN, "numpy.isnan") X(NP_ISINF, "numpy.isinf") X(NP_ISFINITE, "numpy.isfinite") \
    X(NP_DEG2RAD, "numpy.deg2rad") X(NP_RAD2DEG, "numpy.rad2deg")              \
    /* numpy ufuncs that operators also reach (a + b is np.add(a, b)) */     \
    X(NP_ADD, "numpy.add")     X(NP_SUBTRACT, "numpy.subtract") X(NP_MULTIPLY, "numpy.multiply") \
    X(NP_TRUE_DIVIDE, "numpy.true_divide") X(NP_FLOOR_DIVIDE, "numpy.floor_divide") \
    X(NP_REMAINDER, "numpy.remainder") X(NP_NEGATIVE, "numpy.negative") X(NP_POSITIVE, "numpy.positive") \
    X(NP_SQUARE, "numpy.square") X(NP_LEFT_SHIFT, "numpy.left_shift") X(NP_RIGHT_SHIFT, "numpy.right_shift") \
    X(NP_BITWISE_AND, "numpy.bitwise_and") X(NP_BITWISE_OR, "numpy.bitwise_or") \
    X(NP_BITWISE_XOR, "numpy.bitwise_xor") X(NP_INVERT, "numpy.invert")        \
    X(NP_LESS, "numpy.less")   X(NP_LESS_EQUAL, "numpy.less_equal") X(NP_EQUAL, "numpy.equal") \
    X(NP_NOT_EQUAL, "numpy.not_equal") X(NP_GREATER, "numpy.greater")          \
    X(NP_GREATER_EQUAL, "numpy.greater_equal")                                 \
    X(NP_LOGICAL_AND, "numpy.logical_and") X(NP_LOGICAL_OR, "numpy.logical_or") \
    X(NP_LOGICAL_XOR, "numpy.logical_xor") X(NP_LOGICAL_NOT, "numpy.logical_not") \
    X(NP_CONJUGATE, "numpy.conjugate")                                         \
    /* element-wise numpy functions that are not ufuncs */                     \
    X(NP_WHERE, "numpy.where") X(NP_CLIP, "numpy.clip")                        \
    /* numpy functions that make views */                                      \
    X(NP_REAL, "numpy.real")   X(NP_IMAG, "numpy.imag")   X(NP_RESHAPE, "numpy.reshape") \
    X(NP_RAVEL, "numpy.ravel") X(NP_TRANSPOSE, "numpy.transpose")              \
    X(NP_NEWAXIS, "numpy.newaxis")                                             \
    X(NP_PI, "numpy.pi")       X(NP_E, "numpy.e")         X(NP_INF, "numpy.inf")   \
    X(NP_NAN, "numpy.nan")                                                     \
    /* numpy array creation */                                                 \
    X(NP_EMPTY, "numpy.empty") X(NP_ZEROS, "numpy.zeros") X(NP_ONES, "numpy.ones") \
    X(NP_FULL, "numpy.full")                                                   \
    X(NP_EMPTY_LIKE, "numpy.empty_like") X(NP_ZEROS_LIKE, "numpy.zeros_like")  \
    X(NP_ONES_LIKE, "numpy.ones_like") X(NP_FULL_LIKE, "numpy.full_like")      \
    X(NP_ARANGE, "numpy.arange") X(NP_LINSPACE, "numpy.linspace")              \
    X(NP_ARRAY, "numpy.array") X(NP_ASARRAY, "numpy.asarray")                  \
    /* numpy reductions of a whole array (also as methods: a.sum()) */        \
    X(NP_SUM, "numpy.sum")     X(NP_PROD, "numpy.prod")   X(NP_MEAN, "numpy.mean") \
    X(NP_MIN, "numpy.min")     X(NP_MAX, "numpy.max")                          \
    /* numpy scalar types, usable as dtypes and as conversion functions */    \
    X(NP_BOOL, "numpy.bool_")                                                  \
    X(NP_INT8, "numpy.int8")   X(NP_INT16, "numpy.int16") X(NP_INT32, "numpy.int32") \
    X(NP_INT64, "numpy.int64") X(NP_UINT8, "numpy.uint8") X(NP_UINT16, "numpy.uint16") \
    X(NP_UINT32, "numpy.uint32") X(NP_UINT64, "numpy.uint64")                  \
    X(NP_INTP, "numpy.intp")   X(NP_UINTP, "numpy.uintp")                      \
    X(NP_FLOAT32, "numpy.float32") X(NP_FLOAT64, "numpy.float64")              \
    X(NP_COMPLEX64, "numpy.complex64") X(NP_COMPLEX128, "numpy.complex128")    \
    /* array methods and attributes reached through obj.name */               \
    X(ARR_COPY, "ndarray.copy") X(ARR_FILL, "ndarray.fill")                    \
    X(ARR_ASTYPE, "ndarray.astype") X(ARR_FLATTEN, "ndarray.flatten")          \
    X(C_CONJUGATE, "complex.conjugate")                                        \
    /* list methods compiled directly (the rest are lib/lists_impl.py's) */    \
    X(LIST_APPEND, "list.append") X(LIST_INSERT, "list.insert")                \
    X(LIST_POP, "list.pop")       X(LIST_CLEAR, "list.clear")                  \
    X(LIST_COPY, "list.copy")     X(LIST_REVERSE, "list.reverse")              \
    X(LIST_DELITEM, "list.__delitem__") X(LIST_EXTEND, "list.extend")         \
    /* dict and set methods compiled directly (the rest are lib/dicts_impl.py's) */ \
    X(DICT_GET, "dict.get")       X(DICT_SETDEFAULT, "dict.setdefault")        \
    X(DICT_POP, "dict.pop")       X(DICT_DELITEM, "dict.__delitem__")          \
    X(DICT_VIEW, "dict.keys")     X(DICT_CLEAR, "dict.clear")                  \
    X(DICT_COPY, "dict.copy")     X(SET_ADD, "set.add")                        \
    X(SET_DISCARD, "set.discard") X(SET_REMOVE, "set.remove")                  \
    X(SET_POP, "set.pop")

typedef enum Builtin {
    B_NONE,
#define FE_BUILTIN_ENUM(id, name) B_##id,
    FE_BUILTINS(FE_BUILTIN_ENUM)
#undef FE_BUILTIN_ENUM
    B_COUNT
} Builtin;

/* The builtin for a qualified name, or B_NONE. Aliases map to one id
 * ("numpy.absolute" and "numpy.abs" differ only in name). */
Builtin fe_builtin_lookup(const char *qualified_name);
const char *fe_builtin_name(Builtin b);
/* The scalar type a numpy scalar-type builtin names (NP_FLOAT64 -> float64), or NULL. */
const Type *fe_builtin_scalar_type(TypeTable *tt, Builtin b);

/* ======================================================================
 * numpy's element-wise functions (ufunc.c): numpy's result types
 * ====================================================================== */

#define UF_LOOPS_INT "bb BB hh HH ii II qq QQ "
#define UF_LOOPS_FLOAT "ee ff dd "
#define UF_LOOPS_COMPLEX "FF DD "
#define UF_LOOPS_TO_BOOL "?? b? B? h? H? i? I? q? Q? e? f? d? F? D? "
#define UF_LOOPS_ALL "?? " UF_LOOPS_INT UF_LOOPS_FLOAT UF_LOOPS_COMPLEX

/* X(id, "numpy name", how numpy picks a loop, inputs, loops) — the loops are
 * numpy's own (`np.add.types`) as "<input><output>" type characters, less
 * the object, time and long double ones. grep ORDER UFUNC if you change
 * these. */
#define FE_UFUNCS(X)                                                               \
    X(ADD, "add", BY_RESULT_TYPE, 2, UF_LOOPS_ALL)                                  \
    X(SUBTRACT, "subtract", BY_RESULT_TYPE, 2, UF_LOOPS_INT UF_LOOPS_FLOAT UF_LOOPS_COMPLEX) \
    X(MULTIPLY, "multiply", BY_RESULT_TYPE, 2, UF_LOOPS_ALL)                        \
    X(TRUE_DIVIDE, "true_divide", BY_TRUE_DIVIDE, 2, UF_LOOPS_FLOAT UF_LOOPS_COMPLEX) \
    X(FLOOR_DIVIDE, "floor_divide", BY_LINEAR_SEARCH, 2, UF_LOOPS_INT UF_LOOPS_FLOAT) \
    X(REMAINDER, "remainder", BY_LINEAR_SEARCH, 2, UF_LOOPS_INT UF_LOOPS_FLOAT)   \
    X(POWER, "power", BY_LINEAR_SEARCH, 2, UF_LOOPS_INT UF_LOOPS_FLOAT UF_LOOPS_COMPLEX) \
    X(LEFT_SHIFT, "left_shift", BY_LINEAR_SEARCH, 2, UF_LOOPS_INT)                 \
    X(RIGHT_SHIFT, "right_shift", BY_LINEAR_SEARCH, 2, UF_LOOPS_INT)               \
    X(BITWISE_AND, "bitwise_and", BY_LINEAR_SEARCH, 2, "?? " UF_LOOPS_INT)         \
    X(BITWISE_OR, "bitwise_or", BY_LINEAR_SEARCH, 2, "?? " UF_LOOPS_INT)           \
    X(BITWISE_XOR, "bitwise_xor", BY_LINEAR_SEARCH, 2, "?? " UF_LOOPS_INT)         \
    X(LESS, "less", BY_RESULT_TYPE, 2, UF_LOOPS_TO_BOOL)                           \
    X(LESS_EQUAL, "less_equal", BY_RESULT_TYPE, 2, UF_LOOPS_TO_BOOL)               \
    X(EQUAL, "equal", BY_RESULT_TYPE, 2, UF_LOOPS_TO_BOOL)                         \
    X(NOT_EQUAL, "not_equal", BY_RESULT_TYPE, 2, UF_LOOPS_TO_BOOL)                 \
    X(GREATER, "greater", BY_RESULT_TYPE, 2, UF_LOOPS_TO_BOOL)                     \
    X(GREATER_EQUAL, "greater_equal", BY_RESULT_TYPE, 2, UF_LOOPS_TO_BOOL)         \
    X(MINIMUM, "minimum", BY_RESULT_TYPE, 2, UF_LOOPS_ALL)                         \
    X(MAXIMUM, "maximum", BY_RESULT_TYPE, 2, UF_LOOPS_ALL)                         \
    X(LOGICAL_AND, "logical_and", BY_RESULT_TYPE, 2, UF_LOOPS_TO_BOOL)             \
    X(LOGICAL_OR, "logical_or", BY_RESULT_TYPE, 2, UF_LOOPS_TO_BOOL)               \
    X(LOGICAL_XOR, "logical_xor", BY_RESULT_TYPE, 2, UF_LOOPS_TO_BOOL)             \
    X(LOGICAL_NOT, "logical_not", BY_LINEAR_SEARCH, 1, UF_LOOPS_TO_BOOL)           \
    X(NEGATIVE, "negative", BY_LINEAR_SEARCH, 1, UF_LOOPS_INT UF_LOOPS_FLOAT UF_LOOPS_COMPLEX) \
    X(POSITIVE, "positive", BY_LINEAR_SEARCH, 1, UF_LOOPS_INT UF_LOOPS_FLOAT UF_LOOPS_COMPLEX) \
    X(ABSOLUTE, "absolute", BY_LINEAR_SEARCH, 1, "?? " UF_LOOPS_INT UF_LOOPS_FLOAT "Ff Dd ") \
    X(INVERT, "invert", BY_LINEAR_SEARCH, 1, "?? " UF_LOOPS_INT)                   \
    X(SQUARE, "square", BY_LINEAR_SEARCH, 1, UF_LOOPS_INT UF_LOOPS_FLOAT UF_LOOPS_COMPLEX) \
    X(CONJUGATE, "conjugate", BY_LINEAR_SEARCH, 1, UF_LOOPS_INT UF_LOOPS_FLOAT UF_LOOPS_COMPLEX) \
    X(SIGN, "sign", BY_LINEAR_SEARCH, 1, UF_LOOPS_INT UF_LOOPS_FLOAT UF_LOOPS_COMPLEX) \
    X(FLOAT_FN, "(float function)", BY_LINEAR_SEARCH, 1, UF_LOOPS_FLOAT UF_LOOPS_COMPLEX) \
    X(FLOAT_FN2, "(float function)", BY_LINEAR_SEARCH, 2, UF_LOOPS_FLOAT)          \
    X(IS_CLASS, "(isnan)", BY_LINEAR_SEARCH, 1, UF_LOOPS_TO_BOOL)                  \
    X(WHERE, "where", BY_RESULT_TYPE, 2, UF_LOOPS_ALL)                             \
    X(CLIP, "clip", BY_RESULT_TYPE, 3, "?? " UF_LOOPS_INT UF_LOOPS_FLOAT)          \
    X(ASTYPE, "astype", BY_LINEAR_SEARCH, 1, "")

typedef enum FeUfunc {
    UF_NONE,
#define FE_UFUNC_ENUM(id, name, resolver, nin, loops) UF_##id,
    FE_UFUNCS(FE_UFUNC_ENUM)
#undef FE_UFUNC_ENUM
    UF_COUNT
} FeUfunc;

/* One operand as numpy's type resolution sees it. */
typedef struct FeOperand {
    const Type *dtype;     // the array's dtype, or the scalar's type
    bool is_array;
    const FeConst *value;  // a scalar known at build time (cast by value), or NULL
} FeOperand;

/* The ufunc `b` computes item by item on arrays (np.sqrt: UF_FLOAT_FN), or UF_NONE. */
FeUfunc fe_builtin_ufunc(Builtin b);
const char *fe_ufunc_name(FeUfunc u);
int fe_ufunc_nin(FeUfunc u);
/* The type of numpy's loop for u on these operands (*loop_in: what its
 * inputs are converted to), or NULL with *why saying why there is none. */
const Type *fe_ufunc_resolve(TypeTable *tt, Arena *a, FeUfunc u, const FeOperand *ops, int n,
                             const Type **loop_in, const char **why);
/* A runtime function library code calls by name through
 * _pyaot_intrinsics.runtime (runtime_calls.c). Types are letters: 'd'
 * float64, 'l' int64, 'v' nothing (results only). */
typedef struct FeRuntimeCall {
    const char *name;    // as library code names it: "random_normal"
    const char *symbol;  // the C function in link/runtime
    char ret;
    const char *params;  // one letter per parameter
    const char *raiser;  // with an `int32_t *error` last parameter: called with a nonzero code; or NULL
} FeRuntimeCall;
const FeRuntimeCall *fe_runtime_call(const char *name);
const Type *fe_runtime_type(TypeTable *tt, char code);

/* np.result_type of the operands (NULL if one is no number). */
const Type *fe_result_type(TypeTable *tt, const FeOperand *ops, int n);
/* np.can_cast(from, to, 'same_kind'): what in-place operations allow. */
bool fe_can_cast_same_kind(const Type *from, const Type *to);
/* numpy's name of a dtype: "float64". */
const char *fe_np_dtype_name(const Type *t);

/* ======================================================================
 * Indexing arrays (index.c)
 * ====================================================================== */

typedef enum FeIndexKind {
    IX_INVALID,
    IX_INT,        // picks one position: the axis goes
    IX_SLICE,      // cuts the axis
    IX_NEWAXIS,    // None / np.newaxis: a new axis of length 1
    IX_ELLIPSIS,   // `...`: `:` for the axes no other item takes
    IX_INT_ARRAY,  // picks positions: its shape replaces the axis
    IX_BOOL_ARRAY, // a mask over naxes axes: they become one, of its true count
} FeIndexKind;

typedef struct FeIndexItem {
    FeIndexKind kind;
    const Type *type;
    int axis;      // the first axis of the array it applies to
    int naxes;     // how many axes of the array it takes
    int view_axis; // where its axes are in the basic view (arrays taken as `:`)
} FeIndexItem;

typedef struct FeIndex {
    bool tuple;        // the index is a tuple of items, else a single item
    int nitems;
    FeIndexItem *items;
    int advanced;      // the item that is an array, or -1
    int view_ndim;     // dimensions of the view the items other than the array cut
    int ndim;          // dimensions of the result (unless it is one element)
} FeIndex;

/* How idx applies to arr; false with *error when it cannot. */
bool fe_index_plan(Arena *a, const Type *arr, const Type *idx, FeIndex *plan, const char **error);
/* An integer for every axis: the index names one element. */
bool fe_index_is_element(const FeIndex *plan, const Type *arr);
/* Only integers (fewer than the axes): a sub-array of the leading axes. */
bool fe_index_is_basic_prefix(const FeIndex *plan);

/* ======================================================================
 * IR (ir.c): typed SSA in blocks with parameters
 * ====================================================================== */

/* X(name, operands, meaning) — grep ORDER OP if you change these; the
 * names are generated for the IR printer from this list. */
#define FE_OPS(X)                                                                    \
    X(CONST,      "",            "a constant (cst)")                                   \
    X(ARG,        "",            "the function's parameter number `index`")            \
    X(PARAM,      "",            "a block parameter (phi); block edges pass the values") \
    X(UNDEF,      "",            "a local read before any assignment")                 \
    X(NULL_MARK,  "",            "CPython's NULL before a callable; compile time only") \
    X(GLOBAL,     "",            "a global name resolved at build time (global)")      \
    X(UNARY,      "x",           "sub(x): - + ~ not")                                  \
    X(BINARY,     "a b",         "a sub b: + - * / // % ** << >> & | ^ (and in-place)") \
    X(COMPARE,    "a b",         "a sub b: < <= == != > >= is, is not, in, not in")    \
    X(TRUTH,      "x",           "bool(x), for branches and `not`")                     \
    X(CONVERT,    "x",           "x converted to `type` (numeric casts)")              \
    X(GETATTR,    "obj",         "obj.name")                                           \
    X(CALL,       "f args...",   "f(args); `kwnames` names the trailing nkw args")     \
    X(GETITEM,    "obj idx",     "obj[idx]")                                           \
    X(SETITEM,    "obj idx v",   "obj[idx] = v")                                       \
    X(BUILD_TUPLE,"items...",    "(items...)")                                         \
    X(BUILD_LIST, "items...",    "[items...], a new list (`name`: the variable it is assigned to)") \
    X(BUILD_DICT, "k v k v...",  "{k: v, ...}, a new dict (`name`: the variable it is assigned to)") \
    X(BUILD_SET,  "items...",    "{items...}, a new set (`name`: the variable it is assigned to)") \
    X(BUILD_SLICE,"start stop [step]", "slice(start, stop, step); a part may be None")  \
    X(TUPLE_GET,  "t",           "t[index], index constant")                           \
    X(GET_ITER,   "x",           "iter(x): new iterator state")                        \
    X(ITER_VALUE, "it",          "the next value of it (first instr of a loop body)")  \
    X(MAKE_FUNCTION,"captured...", "a nested function (global->func) holding the values it captures") \
    X(RAISE,      "exc [msg]",   "raise exc(msg); terminator")                         \
    X(RETURN,     "v",           "return v; terminator")                               \
    X(JUMP,       "",            "goto succ[0]; terminator")                           \
    X(BRANCH,     "cond",        "if cond goto succ[0] else succ[1]; terminator")     \
    X(FOR_ITER,   "it",          "if it has a next value goto succ[0] else succ[1]; terminator") \
    X(ELEMENTWISE,"leaves...",   "the array `expr` computes item by item over the leaves' broadcast shape") \
    X(ELEM,       "",            "in an element-wise `expr`: the current item of leaf `sub`")  \
    X(SELECT,     "c a b",       "a if c else b, for numbers (np.where's item)")        \
    X(PARALLEL_FOR,"r captured... starts...", "a prange loop over range r outlined into `callee` (parallel.c): " \
                                 "its iterations on the thread pool; the value: the reductions' results")

typedef enum Op {
#define FE_OP_ENUM(name, operands, meaning) OP_##name,
    FE_OPS(FE_OP_ENUM)
#undef FE_OP_ENUM
    OP_COUNT
} Op;

/* Sub-operations of UNARY, BINARY and COMPARE. BINARY's follow CPython's
 * NB_* numbering (the in-place ones are NB_* + FE_NB_INPLACE). */
typedef enum FeUnaryOp { UN_NEG, UN_POS, UN_INVERT, UN_NOT } FeUnaryOp;
/* GETATTR's sub: the attribute is the target of `obj.name = v`. */
enum { FE_ATTR_ASSIGNED = 1 };
typedef enum FeBinaryOp {
    NB_ADD, NB_AND, NB_FLOOR_DIVIDE, NB_LSHIFT, NB_MATRIX_MULTIPLY, NB_MULTIPLY,
    NB_REMAINDER, NB_OR, NB_POWER, NB_RSHIFT, NB_SUBTRACT, NB_TRUE_DIVIDE, NB_XOR,
    FE_NB_INPLACE = 13,
} FeBinaryOp;
typedef enum FeCompareOp { CMP_LT, CMP_LE, CMP_EQ, CMP_NE, CMP_GT, CMP_GE, CMP_IS, CMP_IS_NOT, CMP_IN, CMP_NOT_IN } FeCompareOp;

const char *fe_binary_op_str(int op);  // "+", "//=", ...
const char *fe_compare_op_str(int op); // "<", "is not", ...
const char *fe_unary_op_str(int op);   // "-", "not", ...

/* A block edge: the successor and the values its parameters receive. */
typedef struct Edge {
    Block *to;
    Instr **args;
    int nargs;
} Edge;

/* What infer.c decided a CALL, GETATTR or operator does; lower/ switches on it. */
typedef enum Resolved {
    RES_NONE,
    RES_BUILTIN,     // call of builtin `builtin`
    RES_USER_CALL,   // call of the specialisation `callee`
    RES_ATTR,        // a data attribute: shape, size, ndim, real, imag, dtype...
    RES_CONST_VALUE, // the value is a compile-time constant folded into `cst`
    RES_ELEMENTWISE, // ufunc `ufunc` on arrays, item by item (fuse.c makes it an ELEMENTWISE)
} Resolved;

typedef struct FeExpr FeExpr;

struct Instr {
    Op op;
    int sub;               // UNARY/BINARY/COMPARE operator; TUPLE_GET/ARG index
    int id;                // numbering for printing; unique within a Func
    const Type *type;      // result type (TY_UNKNOWN before inference)
    const Type *optype;    // BINARY/COMPARE/UNARY: the type operands are converted to;
                           // SETITEM into a sub-array or slice: the view's type
    Block *block;
    SrcPos pos;
    Instr **args;
    int nargs;
    // Payload, by op:
    FeConst *cst;          // CONST; RES_CONST_VALUE
    FeGlobal *global;      // GLOBAL
    const char *name;      // GETATTR: attribute name; PARAM, UNDEF, BUILD_LIST/DICT/SET: the local's name
    const char **kwnames;  // CALL: names of the last nkw arguments
    int nkw;
    Edge succ[2];          // JUMP (1), BRANCH and FOR_ITER (2)
    int nsucc;
    // Set by inference:
    Resolved resolved;
    int builtin;           // RES_BUILTIN: enum Builtin
    Func *callee;          // RES_USER_CALL
    int *argmap;           // CALL: parameter i of the callee is args[argmap[i]], or -1: its default
    int nargmap;
    Instr *forward;        // ssa.c: this value was replaced by `forward`
    Instr *call_below;     // ssa.c, CALL: the two stack slots under the arguments
    Instr *call_callable;  // ([NULL, f] or [method, self]), decided once SSA is built
    int ufunc;             // RES_ELEMENTWISE: enum FeUfunc
    Instr *dest;           // RES_ELEMENTWISE: the array written (a += b, out=c), or NULL
    FeExpr *expr;          // ELEMENTWISE: what each item is
    Instr *consumer;       // ELEMENTWISE: computed inside this instruction (an assignment
                           // into a view, a reduction) instead of into an array of its own
};

struct Block {
    int id;
    Vec(Instr *) params;
    Vec(Instr *) instrs;   // the last one is the terminator
    Vec(Block *) preds;
    int bc_start;          // first bytecode offset (code units)
    int stack_in;          // operand stack depth on entry
    int rpo;               // reverse-postorder number (-1: unreachable)
    bool loop_body;        // entered only from a FOR_ITER; starts with ITER_VALUE
};

/* One specialisation of a user function for given argument types. */
struct Func {
    Arena *arena;
    FeFunction *src;
    const char *name;        // Python name
    const char *symbol;      // unique native symbol
    const Type **argtypes;
    const FeConst **arg_consts; // library functions: arguments known at compile time (NULL: none)
    int nargs;
    const Type *ret;         // return type (inferred, or declared)
    const Type *ret_guess;   // while inferring: the returns typed so far, for recursive calls
    const FeConst *ret_const;// every return gives this constant (library code: _axis(-1, 2) is 1)
    const Type *declared_ret;// from the signature, or NULL
    Vec(Block *) blocks;     // blocks[0] is the entry; reverse postorder after ssa.c
    int next_id;
    bool inferring;          // on the inference stack (recursion)
    bool typed;              // inference finished
    bool failed;             // inference failed (a speculative attempt)
    bool writes_arg[64];     // writes_arg[i]: the function stores into array argument i
    Vec(Instr *) undef_reads;// UNDEF values that reach uses (for diagnostics)
    FeParallel *parallel;    // the body of a prange loop (parallel.c), or NULL
};

Instr *ir_new(Func *f, Op op, SrcPos pos, int nargs);
void ir_append(Func *f, Block *b, Instr *i);
Block *ir_new_block(Arena *a, Func *f);
Instr *ir_terminator(const Block *b);
/* Prints a function's IR to out (for `--dump-ir` and tests). */
void fe_print_func(FILE *out, Arena *a, const Func *f);

/* ======================================================================
 * The build: specialisations, exports (build.c)
 * ====================================================================== */

/* One Python-visible function of the built module with its overloads. */
typedef struct FeExport {
    const char *name;        // its name in the module: the function's, or a numba.pycc export name
    FeFunction *func;
    Vec(Func *) overloads;   // one per signature, in the order given
    /* contiguous.data[k]: overload k specialised for C-contiguous arrays
     * where its signature accepts any layout (NULL when it has no such
     * parameter). The wrapper calls it when the arrays passed are
     * contiguous, which is the common case and lets loops vectorise. */
    Vec(Func *) contiguous;
} FeExport;

struct FeBuild {
    Arena *arena;
    Diag *diag;
    TypeTable types;
    Vec(Func *) specs;       // every specialisation, callees included
    Vec(FeExport) exports;
    Vec(Func *) inferring;   // the inference stack (a call being typed types its callee)
    Vec(FeLibraryEntry) library; // numpy names implemented by pyaot's library code
    int speculative;         // >0 while inferring a call whose arguments may still change
    Vec(FeFunction *) nested;// functions made for nested code objects (closure.c), one per code
    FeSwitch parallel;       // the build's choice for prange (--parallel: ON, --no-parallel: OFF)
};

void fe_build_init(FeBuild *b, Arena *a, Diag *d);
/* Exports fn as `name`: parses its signatures and declares one
 * specialisation per signature (typed later, so that exported functions can
 * call each other and themselves through their signatures). One function
 * may be exported under several names. */
void fe_add_export(FeBuild *b, const char *name, FeFunction *fn, const FeSigText *sigs, int nsigs);
/* Builds and types every exported specialisation and what they call. */
void fe_infer_exports(FeBuild *b);
/* The specialisation of fn for argument types (created and inferred on first use). */
Func *fe_specialize(FeBuild *b, FeFunction *fn, const Type **argtypes, const FeConst **arg_consts, int nargs,
                    const Type *declared_ret, SrcPos call_pos);
/* The library function implementing a numpy name, or NULL. */
FeFunction *fe_library_lookup(const FeBuild *b, const char *qualified_name);

/* An element-wise expression (fuse.c): the scalar operations that compute one
 * item of an ELEMENTWISE instruction's result, in the order they run. The
 * instruction's args are the leaves (arrays and numbers); inside `ops`, an
 * ELEM with sub = k stands for the current item of leaf k. */
struct FeExpr {
    Vec(Instr *) ops;   // the last one gives the item
    Vec(Instr *) elems; // elems.data[k]: the ELEM of leaf k
    int dest_leaf;      // the leaf written (a += b, out=c), or -1: a new array
};

// closure.c
/* The function a nested code object (def, lambda, comprehension) stands
 * for, made once per code object; `parent` lends its options. */
FeFunction *fe_nested_function(FeBuild *b, FeCode *code, const FeConst *defaults, const FeFunction *parent);
/* A list comprehension or generator expression: called with an iterable
 * (CPython passes the iterator) as `.0`. */
bool fe_is_comprehension(const FeCode *code);
bool fe_is_generator_expression(const FeCode *code);

// ssa.c
/* Builds the untyped SSA form of f's bytecode. */
void fe_build_ssa(FeBuild *b, Func *f);
/* Reports what no signature could fix: generators, async, *args, **kwargs,
 * keyword-only parameters, closures. */
void fe_check_code_flags(FeBuild *b, const FeCode *code);

// infer.c
/* Types every value of f and resolves every call. */
void fe_infer(FeBuild *b, Func *f);

// fold.c
/* Once types are settled: branches on constants become jumps, and blocks
 * that no `live` block reaches are removed. */
void fe_prune(Func *f, const bool *live);
/* f->ret_const: the integer every return of f gives, when known. */
void fe_find_return_constant(Func *f);

// fuse.c
/* Turns every element-wise operation on arrays into an ELEMENTWISE, folding
 * chains of them into one expression (`a * b + c` is one loop with no
 * temporary array), and hands an expression to the assignment or reduction
 * that consumes it. */
void fe_fuse(FeBuild *b, Func *f);

// parallel.c
/* How a prange loop's reduction variable is updated, and so how partial
 * results combine. RED_ADD covers s -= x too: partials then hold minus what
 * each worker subtracted, and add up. */
typedef enum FeReductionOp { RED_ADD, RED_MUL, RED_OR, RED_AND, RED_XOR, RED_MIN, RED_MAX } FeReductionOp;

typedef struct FeReduction {
    FeReductionOp op;
    const Type *type;
    const char *name;    // the variable's
} FeReduction;

/* A prange loop outlined into a function of its own: its parameters are the
 * ncaptured values of the caller it reads, then the starting value of each
 * reduction, then the range of iterations to run; it returns the tuple of
 * the reductions' values after them (none when there are none). */
struct FeParallel {
    int ncaptured;
    int nreductions;
    FeReduction *reductions;
    SrcPos pos;          // the prange call
};

/* Outlines every prange loop of f into a function of its own (when f's
 * options let it run in parallel), replacing the loop by one
 * PARALLEL_FOR. Reports the variables that make a loop's result depend on
 * the order of its iterations. */
void fe_outline_prange(FeBuild *b, Func *f);

// writes.c
/* Which array arguments f stores into (f->writes_arg): through views, not
 * through arrays made from them. */
void fe_compute_writes(Func *f, Diag *d);

// verify.c
/* Checks SSA invariants: every use dominated by its definition, edges
 * matching block parameters, one terminator per block, types set. */
void fe_verify(FeBuild *b, const Func *f);

/* Position of bytecode offset `off` (code units) in the user's source. */
SrcPos fe_pos(const FeCode *code, const FePosition *p);

#endif
