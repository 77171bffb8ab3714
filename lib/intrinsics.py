"""Primitives for pyaot's library code (lib/numpy_impl.py), each compiled by
pyaot itself (frontend builtins named "_pyaot_intrinsics.NAME"). They exist to
be compiled: calling one from plain Python raises."""


def _compiled_only(name):
    raise RuntimeError("%s() runs only in code pyaot compiles" % name)


def compile_error(message, *values):
    """A compile error at the user's call, when reached once constant
    branches are decided; %d and %s in message take the values, which must
    be constants."""
    _compiled_only("compile_error")


def axis_error(axis, ndim):
    """Raises numpy's AxisError ("axis 2 is out of bounds for array of
    dimension 2") when the code runs."""
    _compiled_only("axis_error")


def shape_without(shape, k):
    """The tuple shape without item k (k may be known only at run time)."""
    _compiled_only("shape_without")


def shape_with(shape, k, n):
    """The tuple shape with item k replaced by n."""
    _compiled_only("shape_with")


def move_axis_last(a, k):
    """A view of a with axis k moved to the end."""
    _compiled_only("move_axis_last")


def innermost_axis(a):
    """The axis a's items are closest together along (the last among
    equals), which numpy's reductions loop over innermost."""
    _compiled_only("innermost_axis")


def result_dtype(arrays):
    """numpy's result_type of a tuple of arrays, a dtype known at compile
    time."""
    _compiled_only("result_dtype")


def float_dtype(arrays):
    """result_dtype, with integers and bool as float64: the dtype numpy's
    linalg computes in."""
    _compiled_only("float_dtype")


def real_dtype(dtype):
    """The real dtype of a complex one (complex64: float32); others as
    they are."""
    _compiled_only("real_dtype")


def runtime(name, *args):
    """Calls the runtime function `name` lists in frontend/runtime_calls.c
    (random_normal: numpy's legacy normal draw), arguments converted to its
    parameter types; its errors raise numpy's exceptions."""
    _compiled_only("runtime")


def numpy_call(module, name, result, *args):
    """Calls numpy's module.name(*args) itself, through Python (taking the
    GIL for the call): for LAPACK, FFT and BLAS, which nothing compiled
    beats. `result` is the type the result is converted to, written as
    (dtype, ndim) (ndim 0 for a scalar) or a tuple of those; arrays come back
    as new C-contiguous arrays, and a result of another type raises
    TypeError."""
    _compiled_only("numpy_call")


def value_error(message, *values):
    """Raises ValueError(message) when the code runs, each %d in message
    replaced by the next integer value."""
    _compiled_only("value_error")


def not_in_list(x):
    """Raises CPython's ValueError for list.index: "3 is not in list", x
    as repr() shows it."""
    _compiled_only("not_in_list")
