/* The runtime every compiled module carries.
 *
 * This header is the contract between the code lower/ generates and the C in
 * this folder. The C is compiled to LLVM bitcode when pyaot is built; lower/
 * merges that bitcode into each module before optimisation, finds these
 * functions by name, and everything not called is dropped. So the runtime
 * costs nothing it does not use, and small helpers inline into the user's
 * loops.
 *
 * Rules for everything declared here:
 *  - Only CPython's limited API (Py_LIMITED_API 0x030B0000), so one build of a
 *    module serves every CPython from 3.11 on. No numpy C API: arrays come in
 *    through the buffer protocol and go out through numpy.asarray().
 *  - Parameters are scalars and pointers only (no structs by value), so the
 *    LLVM signatures are the plain C ones with no ABI coercion.
 *  - A function that can fail returns -1 (or NULL) with a Python exception
 *    set; the caller unwinds.
 *  - Compiled code may run without the GIL (a wrapper that let go of it, a
 *    worker of the thread pool): every function here that compiled code
 *    calls takes the GIL itself where it touches Python, except the
 *    boxing and unboxing the wrappers do (pyaot_rt_bind ... pyaot_rt_drop),
 *    which need it held. See "Threads" at the end.
 *
 * Native representations (how compiled code holds each type; lower/ lays out
 * the same structs with the same C alignment rules):
 *    bool          uint8_t, 0 or 1
 *    intN / uintN  intN_t / uintN_t
 *    float32/64    float / double
 *    complex64/128 struct { float re, im; } / struct { double re, im; }
 *    none          nothing (0 bytes)
 *    array, ndim N struct { pyaot_meminfo *mi; char *data;
 *                           int64_t shape[N]; int64_t strides[N]; }
 *                  strides count ELEMENTS, not bytes (so LLVM can version a
 *                  loop on stride == 1); the element size is the dtype's.
 *    tuple         a C struct of its fields in order.
 *    list          pyaot_list * (see the end of this file)
 *    dict, set     pyaot_dict * (a set is a dict whose values are none)
 */
#ifndef PYAOT_RT_H
#define PYAOT_RT_H

#include <setjmp.h>
#include <stdint.h>

#ifndef Py_LIMITED_API
#define Py_LIMITED_API 0x030B0000
#endif
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* ---- Memory of arrays ------------------------------------------------- */

/* The reference-counted owner of an array's memory. Views (rows of a 2-D
 * array, the array itself passed around) share one meminfo.
 *
 * Two kinds:
 *  - allocated by compiled code (pyaot_rt_alloc): owner == NULL, freed when
 *    refcount reaches 0. While compiled code holds it, it is on the live list
 *    (below); once handed to Python it is not.
 *  - borrowed from an argument: the wrapper initialises one on its stack for
 *    each array argument (pyaot_rt_unbox), owner = the argument object,
 *    refcount = 1 held by the wrapper. Never freed by the runtime. */
typedef struct pyaot_meminfo {
    _Atomic int64_t refcount;        // changed from any thread
    void *data;                      // start of the block
    int64_t nbytes;
    PyObject *owner;                 // borrowed reference; NULL for allocated blocks
    struct pyaot_meminfo *live_prev; // live list, allocated blocks only
    struct pyaot_meminfo *live_next;
    uint64_t serial;                 // allocation order, for pyaot_rt_live_release
    struct pyaot_live *live_list;    // the (per-thread) live list it is on, or NULL
} pyaot_meminfo;

/* Allocates a block of `nbytes` (>= 0; 0 still gives a valid pointer),
 * zero-filled when `zeroed`, aligned to at least 16 bytes, with refcount 1,
 * and puts it on the live list. NULL with MemoryError when it cannot. */
pyaot_meminfo *pyaot_rt_alloc(int64_t nbytes, int32_t zeroed);

/* The meminfo of a module-level array whose `nbytes` of items, frozen into
 * the module at build time, are at `data`: made on first use and kept in
 * *slot (a module global, NULL at first). It is never freed, and boxing it
 * gives Python a read-only array. NULL with MemoryError. */
pyaot_meminfo *pyaot_rt_frozen(pyaot_meminfo **slot, void *data, int64_t nbytes);

/* Both accept NULL, and are atomic: views of one block may be taken and
 * dropped on several threads at once. decref frees an allocated block at
 * zero. A borrowed meminfo's count is not kept (it is never freed here). */
void pyaot_rt_incref(pyaot_meminfo *mi);
void pyaot_rt_decref(pyaot_meminfo *mi);

/* Error-path cleanup. A compiled call that fails unwinds without running its
 * decrefs; the wrapper then frees every block allocated since its mark that
 * is still live (none of them can have escaped: a failed call returns
 * nothing, and boxing takes a block off the live list). Marks and lists are
 * the calling thread's: a block is freed by the thread that made it, or by
 * whichever thread drops it once Python or compiled code on another thread
 * holds it (boxed, or handed over at the end of a parallel loop). */
uint64_t pyaot_rt_live_mark(void);
void pyaot_rt_live_release(uint64_t mark);

/* Whether the memory of two views may overlap: their address ranges meet.
 * Shapes and strides (in items of the view's itemsize, in bytes) of ndim
 * axes each. An assignment between overlapping views goes through a copy,
 * as numpy's does. */
int32_t pyaot_rt_memory_overlap(const char *a, const int64_t *a_shape, const int64_t *a_strides, int32_t a_ndim,
                                int64_t a_itemsize, const char *b, const int64_t *b_shape, const int64_t *b_strides,
                                int32_t b_ndim, int64_t b_itemsize);

/* ---- Type descriptors ------------------------------------------------- */

enum pyaot_kind {
    PYAOT_NONE,
    PYAOT_BOOL,
    PYAOT_INT,     // signed integer of `size` bytes
    PYAOT_UINT,    // unsigned integer of `size` bytes
    PYAOT_FLOAT,   // size 4 or 8
    PYAOT_COMPLEX, // size 8 or 16 (both parts)
    PYAOT_ARRAY,
    PYAOT_TUPLE,
    PYAOT_LIST,    // fields[0] describes the items
    PYAOT_DICT,    // fields[0] the keys, fields[1] the values
    PYAOT_SET,     // fields[0] the items
};

/* Describes one type at the Python boundary. lower/ emits these as constant
 * data; the runtime reads them to check, convert and box values. */
typedef struct pyaot_type {
    uint8_t kind;       // enum pyaot_kind
    uint8_t size;       // scalars: bytes; arrays: the element's bytes
    uint8_t elem_kind;  // arrays: the element's kind (BOOL..COMPLEX)
    uint8_t ndim;       // arrays: 1..32
    uint8_t layout;     // arrays: 'A' any strides, 'C' C-contiguous required
    uint8_t writable;   // arrays: compiled code stores into it
    uint16_t nfields;   // tuples
    uint32_t native_size;                    // bytes of the native representation
    const struct pyaot_type *const *fields;  // tuples: nfields descriptors
    const uint32_t *offsets;                 // tuples: byte offset of each field
    const char *name;   // Numba spelling, "float64[:, ::1]", for messages
} pyaot_type;

/* ---- Calls from Python ------------------------------------------------ */

/* One exported Python callable; its overloads share parameter names. */
typedef struct pyaot_func {
    const char *name;                 // "sum_sequence"
    int32_t nparams;
    int32_t nrequired;                // the first nrequired have no default
    const char *const *param_names;
    int32_t noverloads;
    const char *const *signatures;    // one per overload: "int64[:](int64[:], int64[:])"
} pyaot_func;

/* Binds positional and keyword arguments (METH_FASTCALL | METH_KEYWORDS
 * convention) to parameters: bound[i] is a borrowed reference, or NULL for
 * an omitted parameter that has a default. TypeError on a wrong count, an
 * unknown or repeated keyword, or a missing required argument, in CPython's
 * wording ("f() missing required argument 'b' (pos 2)"). */
int32_t pyaot_rt_bind(const pyaot_func *f, PyObject *const *args, Py_ssize_t nargs,
                      PyObject *kwnames, PyObject **bound);

/* How well `o` fits `t`, never raising: 2 exact (an int for an integer type,
 * a float for float64, an array of exactly that dtype and ndim...), 1
 * convertible (an int for a float type, a float64 scalar for float32...),
 * 0 no. NULL `o` (an omitted argument with a default) scores 2. Used to pick
 * an overload: the one whose lowest parameter score is highest, earliest
 * first among equals. */
int32_t pyaot_rt_match(PyObject *o, const pyaot_type *t);

/* Raises TypeError for a call that fits no overload: names the function,
 * lists its signatures and the types actually passed. Returns -1. */
int32_t pyaot_rt_no_match(const pyaot_func *f, PyObject **bound, Py_ssize_t n);

/* Converts argument `param` of `f` to its native representation at `out`.
 *  - integers: exact range check, OverflowError if the value does not fit
 *    ("sum() argument 'n': Python int too large to convert to int32");
 *    accepts int, bool and objects with __index__ (numpy integers), not float.
 *  - floats accept float, int, bool, numpy scalars; complex also complex.
 *  - bool accepts bool and numpy's bool scalars (0-D buffers of format '?') only.
 *  - arrays: PyObject_GetBuffer into *view (writable when t->writable),
 *    checks format (native byte order), ndim, C-contiguity for layout 'C',
 *    and that data and strides are multiples of the item size; initialises
 *    *mi as a borrowed meminfo owned by `o` and writes the native struct.
 *  - tuples: a tuple of the right length, fields converted recursively
 *    (arrays inside tuple parameters are not supported by lower/).
 * On failure: -1 with TypeError/OverflowError naming the function, the
 * parameter and what was expected, e.g.
 *   "sum_sequence() argument 'a': expected int64[:] (1-D array of int64),
 *    got numpy.ndarray of float64"
 * and nothing left to release. `mi` and `view` are used for arrays only. */
int32_t pyaot_rt_unbox(PyObject *o, const pyaot_type *t, void *out, pyaot_meminfo *mi,
                       Py_buffer *view, const pyaot_func *f, int32_t param);

/* Releases what pyaot_rt_unbox took for an array parameter. */
void pyaot_rt_release(Py_buffer *view);

/* Fast paths the wrappers try first for int64 and float64 parameters: an
 * exact int that fits, an exact float. They return 1 having stored the
 * value, or 0 leaving no exception set, and pyaot_rt_unbox then does the
 * full conversion (and its error messages). Small enough to inline. */
int32_t pyaot_rt_unbox_int64_fast(PyObject *o, int64_t *out);
int32_t pyaot_rt_unbox_float64_fast(PyObject *o, double *out);

/* Converts a native value to a new Python object, consuming the array
 * references it holds (on failure too). Scalars give int/float/complex/bool
 * (not numpy scalars), tuples a tuple, none None. An array becomes a
 * numpy.ndarray sharing the memory: the argument object itself when the
 * array is exactly an argument's whole buffer; otherwise a buffer exporter
 * (holding the meminfo, or the owner for views of arguments) passed to
 * numpy.asarray, so the memory is freed when Python drops the array. The
 * block leaves the live list. NULL with an exception on failure. */
PyObject *pyaot_rt_box(const void *native, const pyaot_type *t);

/* Decrefs every array a native value holds (a value dropped unboxed). */
void pyaot_rt_drop(const void *native, const pyaot_type *t);

/* ---- Exceptions raised by compiled code -------------------------------- */

enum pyaot_exc {
    PYAOT_EXC_ZERO_DIVISION, // ZeroDivisionError
    PYAOT_EXC_INDEX,         // IndexError
    PYAOT_EXC_VALUE,         // ValueError
    PYAOT_EXC_OVERFLOW,      // OverflowError
    PYAOT_EXC_TYPE,          // TypeError
    PYAOT_EXC_MEMORY,        // MemoryError
    PYAOT_EXC_ASSERTION,     // AssertionError
    PYAOT_EXC_RECURSION,     // RecursionError
};

/* Sets the exception; the caller then returns its failure status. */
void pyaot_rt_raise(int32_t exc, const char *msg);
/* The same with each %d of format replaced by the next of n values. */
void pyaot_rt_raise_format(int32_t exc, const char *format, const int64_t *values, int32_t n);
/* IndexError in numpy's words: "index 7 is out of bounds for axis 0 with size 5". */
void pyaot_rt_raise_index(int64_t index, int64_t size, int32_t axis);
/* numpy's ValueError for an array that cannot be assigned into another:
 * "could not broadcast input array from shape (3,) into shape (2,)". */
void pyaot_rt_raise_broadcast(const int64_t *from, int32_t from_ndim, const int64_t *to, int32_t to_ndim);
/* numpy's ValueError for operands whose shapes do not broadcast: "operands
 * could not be broadcast together with shapes (3,) (4,) ". The n shapes lie
 * one after another in `shapes`, ndims[i] items each (0 for a number). */
void pyaot_rt_raise_broadcast_operands(const int64_t *shapes, const int32_t *ndims, int32_t n);
/* numpy's ValueError for a result that does not fit the array written
 * (a += b, out=c): "non-broadcastable output operand with shape (1,)
 * doesn't match the broadcast shape (3,)". */
void pyaot_rt_raise_output_shape(const int64_t *out, int32_t out_ndim, const int64_t *result, int32_t result_ndim);
/* numpy's IndexError for a boolean mask whose shape differs from the axes
 * it indexes. */
void pyaot_rt_raise_mask_mismatch(int32_t axis, int64_t size, int64_t mask_size);
/* numpy's ValueError for a[idx] = v where v does not broadcast to what idx
 * selects (whole_mask: idx is one boolean mask over every axis). */
void pyaot_rt_raise_selection_shape(const int64_t *value, int32_t value_ndim, const int64_t *selection,
                                    int32_t selection_ndim, int32_t whole_mask);
/* numpy's AxisError: "axis 2 is out of bounds for array of dimension 2". */
void pyaot_rt_raise_axis_error(int64_t axis, int64_t ndim);
/* `raise Name("msg")` / `raise Name` in compiled code: Name is a builtin
 * exception class looked up in the builtins module ("ValueError"); msg NULL
 * raises it without arguments. */
void pyaot_rt_raise_builtin(const char *name, const char *msg);

/* ---- The C stack under recursion (stack.c) -----------------------------
 * A function on a call cycle calls pyaot_rt_stack_overflow on entry when the
 * stack pointer is below pyaot_rt_stack_floor (0: no limit known); it raises
 * RecursionError and longjmps to the jmp_buf given to pyaot_rt_stack_enter,
 * which wrappers from which a cycle can be reached call (and then setjmp)
 * before the call; a parallel loop's chunk is such a target too.
 * pyaot_rt_stack_enter also copies the calling thread's floor to
 * pyaot_rt_stack_floor, the variable compiled code compares with. One
 * variable serves only while one thread at a time runs compiled code (the
 * GIL held throughout the call): code that runs without the GIL, or on the
 * pool's workers, must compare with pyaot_rt_stack_floor_here(), the
 * calling thread's own floor (pyaot's linker has no thread-local storage,
 * so there is no per-thread variable to read). */
extern uintptr_t pyaot_rt_stack_floor;
void pyaot_rt_stack_enter(jmp_buf *exit);
_Noreturn void pyaot_rt_stack_overflow(const char *function);
/* The same for every call on one thread, hence const: LLVM calls it once
 * per function. */
__attribute__((const)) uintptr_t pyaot_rt_stack_floor_here(void);

/* ---- Sums and products in numpy's order (reduce.c) ----------------------
 * The sum of an array's items as float64 or float32 (items of any real
 * kind, converted as numpy converts them), added in the
 * order numpy adds them, so that results agree to the last bit. Shapes and
 * strides (in items) of ndim axes. -1 with MemoryError if a buffer cannot be
 * had. */
int32_t pyaot_rt_sum_f64(const char *data, const int64_t *shape, const int64_t *strides, int32_t ndim,
                         int32_t kind, int32_t size, double *out);
int32_t pyaot_rt_sum_f32(const char *data, const int64_t *shape, const int64_t *strides, int32_t ndim,
                         int32_t kind, int32_t size, float *out);
/* numpy's pairwise sum of n contiguous items (one chunk of a sum). */
double pyaot_rt_pairwise_f64(const double *items, int64_t n);
float pyaot_rt_pairwise_f32(const float *items, int64_t n);
/* The product of a float array's items, multiplied in numpy's order. */
int32_t pyaot_rt_prod_f64(const double *data, const int64_t *shape, const int64_t *strides, int32_t ndim,
                          double *out);
int32_t pyaot_rt_prod_f32(const float *data, const int64_t *shape, const int64_t *strides, int32_t ndim,
                          float *out);

/* ---- Reshaping (shape.c) ------------------------------------------------
 * numpy's a.reshape(shape): resolves one -1 in shape[ndim] from the size,
 * writes C-contiguous strides (in items) to `strides`, then, when the items
 * of the old shape and strides can be read in C order through the new
 * shape, the strides of that view. Returns 1 for a view, 0 when the items
 * must be copied, -1 with numpy's ValueError ("cannot reshape array of size
 * 7 into shape (2,4)"). */
int32_t pyaot_rt_reshape(const int64_t *old_shape, const int64_t *old_strides, int32_t old_ndim, int64_t *shape,
                         int64_t *strides, int32_t ndim);

/* ---- print() (print.c) --------------------------------------------------
 * Calls Python's print with the n objects in items (new references, all
 * consumed; a NULL one means its conversion failed with an exception set)
 * and sep/end when not NULL. -1 with an exception on failure. */
int32_t pyaot_rt_print(PyObject **items, int32_t n, const char *sep, const char *end);
/* A str from UTF-8 text (a new reference), or NULL with an exception. */
PyObject *pyaot_rt_unicode(const char *utf8);

/* ---- Calls into numpy -------------------------------------------------- */

/* Calls numpy's module.name (import numpy.linalg, take "solve") with the
 * values of the native tuple `args` (described by args_t) as positional
 * arguments, and converts the result to out_t at `out`: arrays come back as
 * new C-contiguous blocks on the live list, scalars as numpy returned them
 * (the dtype must be out_t's), tuples item by item. The args' arrays are
 * consumed (pass copies: numpy may keep them). Takes the GIL for the call
 * whether or not the caller holds it. -1 with numpy's exception (or a
 * TypeError naming the function when the result is not what was compiled
 * for: eig of a real matrix whose eigenvalues are complex). */
int32_t pyaot_rt_call_numpy(const char *module, const char *name, const void *args, const pyaot_type *args_t,
                            void *out, const pyaot_type *out_t);

/* ---- Layout facts for lower/ --------------------------------------------
 * The wrappers lower/ generates keep Py_buffer and pyaot_meminfo slots on
 * their stack; they read the sizes from these constants in the bitcode, so
 * lower/ needs no Python headers. (layout.c) */
extern const int64_t pyaot_rt_sizeof_py_buffer;
extern const int64_t pyaot_rt_sizeof_meminfo;
extern const int64_t pyaot_rt_sizeof_jmp_buf;

/* ---- Module ------------------------------------------------------------ */

typedef PyObject *(*pyaot_fastcall)(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kwnames);

typedef struct pyaot_export {
    const char *name;
    pyaot_fastcall impl; // the generated wrapper
    const char *doc;     // signatures, one per line
} pyaot_export;

/* Creates the module object for PyInit_<name>: one builtin function per
 * export (METH_FASTCALL | METH_KEYWORDS). */
PyObject *pyaot_rt_module_init(const char *name, const char *doc, const pyaot_export *exports,
                               int32_t nexports);

/* ---- Numeric helpers with Python's (or Numba's) exact semantics ----------
 * Pure functions, no Python objects. The callers check for zero divisors
 * (they raise or, with --error-model=numpy, give numpy's answer) except where
 * said. Results must agree bit for bit with CPython's for the same inputs. */

/* a ** b for integers, Numba's rule: b < 0 gives 0 unless a is 1 or -1
 * (1 or ±1), and 0 ** negative fails: returns -1 without raising, the
 * caller raises ZeroDivisionError. Wraps on overflow. */
int32_t pyaot_rt_pow_i64(int64_t a, int64_t b, int64_t *out);
int32_t pyaot_rt_pow_u64(uint64_t a, uint64_t b, uint64_t *out);

/* Python's float // and % (floatobject.c float_divmod), b != 0. */
double pyaot_rt_floordiv_f64(double a, double b);
double pyaot_rt_mod_f64(double a, double b);
float pyaot_rt_floordiv_f32(float a, float b);
float pyaot_rt_mod_f32(float a, float b);

/* Python's complex / (complexobject.c _Py_c_quot), b != 0. out[0] re, out[1] im. */
void pyaot_rt_cdiv(double ar, double ai, double br, double bi, double *out);
/* Python's complex ** (complex_pow: small integer exponents by repeated
 * multiplication, else _Py_c_pow). Returns -1 for 0 ** negative or
 * 0 ** complex (the caller raises ZeroDivisionError), else 0. */
int32_t pyaot_rt_cpow(double ar, double ai, double br, double bi, double *out);
/* numpy's complex power, in double and in single precision: for element-wise
 * operations on arrays, where numpy's rules hold. out[0] re, out[1] im. */
void pyaot_rt_np_cpow(double ar, double ai, double br, double bi, double *out);
void pyaot_rt_np_cpowf(float ar, float ai, float br, float bi, float *out);
/* abs() of a complex, as CPython computes it (hypot, inf/nan rules). */
double pyaot_rt_cabs(double re, double im);
/* round(x, ndigits) for floats, as CPython's float.__round__ does. */
double pyaot_rt_round_ndigits(double x, int64_t ndigits);

/* CPython's PySlice_AdjustIndices: clamps *start and *stop of a slice (None
 * already filled in as PySlice_Unpack does; step != 0 and step >=
 * -INT64_MAX) to an axis of `length`, and returns how many items it takes.
 * *start is then the index of the first. */
int64_t pyaot_rt_slice_adjust(int64_t length, int64_t *start, int64_t *stop, int64_t step);

/* ---- numpy's legacy random numbers (random.c) ------------------------------
 * np.random's functions as numpy's RandomState computes them: after
 * pyaot_rt_random_seed(s) the draws equal numpy's after np.random.seed(s),
 * bit for bit (numpy 1.24's legacy streams, which numpy keeps frozen).
 *
 * State: one Mersenne Twister per thread (and per module: each module
 * carries its own runtime), made on the thread's first draw and seeded from
 * the OS as numpy seeds a RandomState given no seed; freed when the thread
 * ends. numpy's own np.random state is a different one: seeding either
 * leaves the other alone, as with Numba.
 *
 * Functions that can refuse their arguments check them before drawing (a
 * refused call leaves the state as it was) and write an error code to
 * *error: PYAOT_RANDOM_OK, or one of the codes below, for which the caller
 * raises with pyaot_rt_random_raise and unwinds. `error` may be NULL.
 *
 * How numpy's functions are made of these, in the order numpy draws (arrays
 * are filled in C order, one draw per item, so rand(n) is n doubles in turn):
 *    random_sample, random, rand          pyaot_rt_random_double
 *    standard_normal, randn               pyaot_rt_random_gauss
 *    normal(loc, scale)                   pyaot_rt_random_normal
 *    standard_exponential                 pyaot_rt_random_standard_exponential
 *    exponential(scale)                   pyaot_rt_random_exponential
 *    uniform(low, high)                   pyaot_rt_random_uniform
 *    randint(low, high) (int64)           pyaot_rt_random_randint
 *    randint(high)                        pyaot_rt_random_randint(0, high)
 *    poisson(lam)                         pyaot_rt_random_poisson
 *    choice(n) / choice(a) (replace, no p) randint(0, n) for each item:
 *                                         pyaot_rt_random_interval(n - 1)
 *    choice(n, k, replace=False) (no p)   permutation(n)[:k]: a whole
 *                                         shuffle of arange(n), then k items
 *    shuffle(x)                           for i = len(x)-1 down to 1:
 *                                         j = pyaot_rt_random_interval(i),
 *                                         swap x[i] and x[j] (rows of an
 *                                         N-D array); pyaot_rt_random_shuffle
 *                                         does it for equally spaced items
 *    permutation(n)                       arange(n), shuffled
 *    permutation(x)                       a copy of x shuffled (1-D); for N-D
 *                                         x, x[shuffled arange(len(x))]
 */
enum pyaot_random_error {
    PYAOT_RANDOM_OK,
    PYAOT_RANDOM_SEED_RANGE,     // ValueError: Seed must be between 0 and 2**32 - 1
    PYAOT_RANDOM_LOW_GE_HIGH,    // ValueError: low >= high
    PYAOT_RANDOM_HIGH_LE_ZERO,   // ValueError: high <= 0 (randint with low 0)
    PYAOT_RANDOM_LAM_NEGATIVE,   // ValueError: lam < 0 or lam is NaN
    PYAOT_RANDOM_LAM_TOO_LARGE,  // ValueError: lam value too large
    PYAOT_RANDOM_SCALE_NEGATIVE, // ValueError: scale < 0 (-0.0 too; NaN passes)
    PYAOT_RANDOM_RANGE_OVERFLOW, // OverflowError: Range exceeds valid bounds
};

/* Raises the Python exception numpy raises for a nonzero error code. */
void pyaot_rt_random_raise(int32_t error);

/* np.random.seed(seed): numpy's legacy seeding of an integer in
 * [0, 2**32) (the reference generator's init_genrand, not init_by_array)
 * for the calling thread; drops a kept normal. SEED_RANGE otherwise. */
void pyaot_rt_random_seed(int64_t seed, int32_t *error);

/* A double in [0, 1) from two 32-bit words (27 and 26 bits). */
double pyaot_rt_random_double(void);

/* A standard normal by numpy's legacy polar method: each round makes two
 * and keeps one for the next call (seeding drops it). */
double pyaot_rt_random_gauss(void);

/* -log(1 - U): numpy's legacy exponential, not the ziggurat. */
double pyaot_rt_random_standard_exponential(void);
/* scale * standard exponential; SCALE_NEGATIVE. */
double pyaot_rt_random_exponential(double scale, int32_t *error);

/* low + (high - low) * U; RANGE_OVERFLOW when high - low is not finite. */
double pyaot_rt_random_uniform(double low, double high, int32_t *error);

/* loc + scale * gauss; SCALE_NEGATIVE. */
double pyaot_rt_random_normal(double loc, double scale, int32_t *error);

/* Uniform in [0, max] by numpy's masked rejection: the bits of the
 * smallest all-ones mask >= max are drawn until the value is <= max, from
 * one 32-bit word per try when max < 2**32, else from a 64-bit draw (two
 * words, the first the high half). max 0 draws nothing. */
uint64_t pyaot_rt_random_interval(uint64_t max);

/* Uniform in [low, high) as np.random.randint(low, high) draws an int64:
 * low + interval(high - 1 - low). LOW_GE_HIGH, or HIGH_LE_ZERO when low is
 * 0. (numpy's randint(low, 2**63) has no int64 high: it is
 * low + interval(2**63 - 1 - low) with the sum wrapping.) */
int64_t pyaot_rt_random_randint(int64_t low, int64_t high, int32_t *error);

/* numpy's legacy Poisson: 0 for lam 0, multiplication of uniforms for
 * lam < 10, Hörmann's PTRS rejection above. LAM_NEGATIVE (NaN too),
 * LAM_TOO_LARGE past numpy's legacy bound (about 9.2e18). */
int64_t pyaot_rt_random_poisson(double lam, int32_t *error);

/* np.random.shuffle of n items of itemsize bytes each, `stride` bytes
 * apart (any sign): the draws and swaps listed above. */
void pyaot_rt_random_shuffle(char *data, int64_t n, int64_t stride, int64_t itemsize);

/* ---- Threads: the GIL, the pool, parallel loops -------------------------
 * (gil.c, pool.c, pool_python.c, parallel.c; the design in docs/decisions.md)
 *
 * A wrapper may let go of the GIL around the native call:
 *     void *s = pyaot_rt_gil_release(); status = native(...); pyaot_rt_gil_restore(s);
 * The two pair on one thread. The runtime counts them per thread: that is
 * how pyaot_rt_parallel_for knows whether its caller holds the GIL, so
 * compiled code is called either with the GIL held or inside such a pair. */
void *pyaot_rt_gil_release(void);       // PyEval_SaveThread
void pyaot_rt_gil_restore(void *state); // PyEval_RestoreThread

/* Brackets a call into Python from compiled code that may run without the
 * GIL (print's boxing): enter takes the GIL unless the thread holds it,
 * leave gives back what enter took. On a thread with no Python thread state
 * (a pool worker), an exception raised in between is kept for the thread,
 * where its loop finds it: the thread state Python makes for the bracket
 * dies at leave. The runtime's own functions bracket themselves. */
int64_t pyaot_rt_python_enter(void);
void pyaot_rt_python_leave(int64_t token);

/* A parallel loop's body: runs iterations [begin, end) as worker `worker`
 * and returns 0, or -1 with an exception raised (by the runtime's raise
 * functions, as any compiled code raises). */
typedef int32_t (*pyaot_rt_loop_body)(void *ctx, int64_t begin, int64_t end, int32_t worker);

/* How many workers a loop started now from this thread may use (>= 1).
 * Compiled code that keeps state per worker (partial reductions) sizes it
 * by a call made just before pyaot_rt_parallel_for: that loop's worker ids
 * then stay below the value returned, whatever _pyaot_set_num_threads does
 * in between. The promise covers the next loop this thread starts, not the
 * ones after it. Inside a body, the running loop's count. */
int32_t pyaot_rt_num_threads(void);

/* Runs body over [0, n) on the thread pool, the calling thread taking part
 * as worker 0, and returns 0 once every iteration has run; n <= 0 runs
 * nothing.
 *  - Chunks are handed out while the loop runs, each a share of what is
 *    left, so iterations of uneven cost still balance.
 *  - Each worker id in [0, count) runs on one thread at a time; count is
 *    at most pyaot_rt_num_threads() (above) and n.
 *  - The caller runs it all itself, as one chunk, with no handoff to
 *    another thread, when: one thread is configured or n is 1; the call is
 *    made from inside a body (a nested loop: with that body's worker id);
 *    or the pool is running another thread's loop (loops are not queued).
 *  - A failing chunk stops the handing out; the chunks running finish; the
 *    first failure's exception is raised in the calling thread and -1
 *    returned. What a failing chunk on a worker allocated is freed there.
 *  - The caller may hold the GIL or not. When it does, the loop lets go of
 *    it while it runs (workers take it to raise) and takes it back.
 *  - Blocks allocated on a worker that outlive their chunk join the calling
 *    thread's live list when the loop ends. */
int32_t pyaot_rt_parallel_for(int64_t n, pyaot_rt_loop_body body, void *ctx);

/* ---- Typed lists (list.c) ---------------------------------------------------
 * A list is one pointer to this header. Its refcount is the header block's
 * (both the header and the items lie in allocated blocks, so a failed call
 * frees them through the live list). Items lie packed, `itemsize` bytes each,
 * in their native representation; `item` describes them for the boundary and
 * for items holding references (arrays, lists), which the list owns one
 * reference of each. lower/ reads len and items directly (field order is
 * part of the contract) and calls these for the rest. */
typedef struct pyaot_list {
    pyaot_meminfo *mi;       // the header's block
    int64_t len;
    int64_t cap;
    char *items;
    pyaot_meminfo *items_mi; // the items' block
    int64_t itemsize;
    const pyaot_type *item;
} pyaot_list;

/* A list of `len` uninitialised items (the caller fills them), refcount 1;
 * NULL with MemoryError. */
pyaot_list *pyaot_rt_list_new(int64_t len, int64_t itemsize, const pyaot_type *item);
void pyaot_rt_list_incref(pyaot_list *l);
/* At zero: drops the items' references and frees both blocks. NULL is fine. */
void pyaot_rt_list_decref(pyaot_list *l);
/* Capacity for n items (growing by doubling); -1 with MemoryError. */
int32_t pyaot_rt_list_reserve(pyaot_list *l, int64_t n);
/* One more item at the end: its slot, to be filled; NULL with MemoryError. */
char *pyaot_rt_list_append_slot(pyaot_list *l);
/* list.insert(index, x): the slot at index (clamped as Python clamps it)
 * after moving the rest up; NULL with MemoryError. */
char *pyaot_rt_list_insert_slot(pyaot_list *l, int64_t index);
/* Removes item index (0 <= index < len), dropping its references when
 * `drop` (pop hands them to the caller instead). */
void pyaot_rt_list_remove_at(pyaot_list *l, int64_t index, int32_t drop);
void pyaot_rt_list_clear(pyaot_list *l);
/* l[start:stop:step] as a new list (None filled in as for arrays' slices). */
pyaot_list *pyaot_rt_list_slice(pyaot_list *l, int64_t start, int64_t stop, int64_t step);
/* del l[start:stop:step]. */
int32_t pyaot_rt_list_delete_slice(pyaot_list *l, int64_t start, int64_t stop, int64_t step);
/* l.extend(other) for a list of the same item type (other may be l). */
int32_t pyaot_rt_list_extend(pyaot_list *l, pyaot_list *other);
/* l * times, a new list. */
pyaot_list *pyaot_rt_list_repeat(pyaot_list *l, int64_t times);
void pyaot_rt_list_reverse(pyaot_list *l);

/* The boundary. match and unbox as pyaot_rt_match/unbox do for a Python
 * list whose items all fit t->fields[0] (unbox makes a new native list on
 * the live list; a bad item is a TypeError naming the argument and the
 * item's index). box makes a new Python list and consumes l. reflect
 * replaces the items of the Python list o with l's (a list argument the
 * compiled code changed). release_arg frees a list argument after a failed
 * call, whatever its count. */
int32_t pyaot_rt_list_match(PyObject *o, const pyaot_type *t);
int32_t pyaot_rt_list_unbox(PyObject *o, const pyaot_type *t, void *out, const pyaot_func *f, int32_t param);
PyObject *pyaot_rt_list_box(pyaot_list *l);
int32_t pyaot_rt_list_reflect(PyObject *o, pyaot_list *l);
void pyaot_rt_list_release_arg(pyaot_list *l);
/* list.index's ValueError: "3 is not in list", the item (of type t, at
 * item; consumed) as repr() shows it. From any thread. */
void pyaot_rt_list_not_in_list(void *item, const pyaot_type *t);

/* ---- Typed dicts and sets (dict.c) -----------------------------------------
 * A dict is one pointer to this header, refcounted like a list (header and
 * table are allocated blocks). Entries keep insertion order, packed in
 * `entries` as {int64 hash; key; value}, `entrysize` bytes each; a removed
 * entry's hash is PYAOT_DICT_REMOVED. `index` is an open-addressed table
 * of mask + 1 slots holding entry numbers (-1 empty, -2 a removed entry's
 * old slot), as CPython's compact dict. A set is a dict with values of 0
 * bytes. Keys hold no references (numbers and tuples of numbers); values
 * may (arrays, lists, dicts), owned one reference each. */
typedef struct pyaot_dict {
    pyaot_meminfo *mi;       // the header's block
    int64_t len;             // live entries
    int64_t used;            // entries written, removed ones included
    int64_t cap;             // entries the table has room for
    int64_t mask;            // index slots - 1 (a power of two less one)
    char *entries;
    int32_t *index;
    pyaot_meminfo *table_mi; // the block holding entries and index
    int64_t entrysize, keysize, valueoff;
    const pyaot_type *key, *value;
    int64_t int_keys;        // keys are 8-byte integers: hashed and compared as such
} pyaot_dict;

#define PYAOT_DICT_REMOVED INT64_MIN

/* An empty dict (value NULL: a set); NULL with MemoryError. */
pyaot_dict *pyaot_rt_dict_new(const pyaot_type *key, int64_t keysize, const pyaot_type *value, int64_t valuesize);
void pyaot_rt_dict_incref(pyaot_dict *d);
void pyaot_rt_dict_decref(pyaot_dict *d);
/* The value slot of key, or NULL when it is not there (nothing raised). */
char *pyaot_rt_dict_lookup(pyaot_dict *d, const void *key);
/* The value slot of key, made (with the key copied in) when missing:
 * *added says which; the caller stores the value (dropping the old one when
 * the key was there). NULL with MemoryError. */
char *pyaot_rt_dict_insert(pyaot_dict *d, const void *key, int32_t *added);
/* Removes key's entry and returns its value slot, whose reference passes
 * to the caller (read it before the dict changes again), or NULL when the
 * key is missing (nothing raised). */
char *pyaot_rt_dict_remove(pyaot_dict *d, const void *key);
/* Removes the first entry (set.pop): its key slot, or NULL when empty. */
char *pyaot_rt_dict_pop_first(pyaot_dict *d);
void pyaot_rt_dict_clear(pyaot_dict *d);
/* A new dict of d's entries, compacted (values kept). NULL with MemoryError. */
pyaot_dict *pyaot_rt_dict_copy(pyaot_dict *d);
/* KeyError(key), from any thread: the key of type t boxed as CPython shows it. */
void pyaot_rt_dict_key_error(const void *key, const pyaot_type *t);
/* set.pop()'s KeyError: "pop from an empty set". */
void pyaot_rt_set_empty_error(void);
/* Iteration: the first live entry at or after pos, or -1 at the end; -2
 * with RuntimeError when the dict's size is no longer start_len (CPython's
 * "dictionary changed size during iteration"). */
int64_t pyaot_rt_dict_next(pyaot_dict *d, int64_t pos, int64_t start_len);
/* Small reads compiled code inlines: the length, entry pos's key and value. */
int64_t pyaot_rt_dict_len(const pyaot_dict *d);
char *pyaot_rt_dict_key_at(const pyaot_dict *d, int64_t pos);
char *pyaot_rt_dict_value_at(const pyaot_dict *d, int64_t pos);
/* The Python boundary: box makes a new dict (or set) and consumes d.
 * Parameters (keys and values of numbers, as lists' items): match scores
 * o against t; unbox makes a new native dict on the live list (a bad key
 * or value is a TypeError naming the argument); reflect replaces o's
 * items with d's (an argument the compiled code changed); release_arg
 * frees an argument after a failed call. */
PyObject *pyaot_rt_dict_box(pyaot_dict *d);
int32_t pyaot_rt_dict_match(PyObject *o, const pyaot_type *t);
int32_t pyaot_rt_dict_unbox(PyObject *o, const pyaot_type *t, void *out, const pyaot_func *f, int32_t param);
int32_t pyaot_rt_dict_reflect(PyObject *o, pyaot_dict *d);
void pyaot_rt_dict_release_arg(pyaot_dict *d);

#endif
