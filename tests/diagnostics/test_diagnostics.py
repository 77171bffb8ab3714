"""Bad input of every kind and the exact error each must give: compile-time
diagnostics (file:line:col: error: ..., exit 1, no traceback, nothing left in
the output directory), usage errors (exit 2), and run-time errors in compiled
modules (the Python exception and message a user expects, the interpreter
healthy afterwards, no memory leaked by failing calls)."""
import os
import subprocess
import sys
import sysconfig

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYAOT = os.environ.get("PYAOT", os.path.join(ROOT, "build", "pyaot"))
FLAGS = os.environ.get("PYAOT_FLAGS", "").split()
sys.path.insert(0, os.path.join(ROOT, "tests", "pipeline"))
from conftest import build  # noqa: E402

EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")

# (name, source, --sig, expected "LINE:COL" or None for no position, message)
COMPILE_ERRORS = [
    ("generator", "def f(x):\n    yield x\n", "f=int64(int64)", "1:", "'f' is a generator: generators are not supported"),
    ("try_except", "def f(x):\n    try:\n        return 1 // x\n    except ZeroDivisionError:\n        return 0\n",
     "f=int64(int64)", "3:", "try/except and with statements are not supported"),
    ("with_stmt", "def f(x):\n    with open('a') as h:\n        pass\n    return x\n", "f=int64(int64)", "2:",
     "try/except and with statements are not supported"),
    ("nonlocal_write", "def f(x):\n    def g():\n        nonlocal x\n        x = 2\n    g()\n    return x\n",
     "f=int64(int64)", "4:", "assigning to 'x' of the enclosing function (nonlocal) is not supported"),
    ("captured_reassigned", "def f(x):\n    y = 1\n    g = lambda: y\n    y = 2\n    return g()\n",
     "f=int64(int64)", "4:", "'y' is read by a nested function and assigned more than once"),
    ("function_in_list", "def f(x):\n    g = lambda y: y\n    a = [g]\n    return x\n", "f=int64(int64)", "3:9",
     "a list cannot hold function 'lambda'"),
    ("return_function", "def f(x):\n    return lambda y: y\n", "f=int64(int64)", "2:",
     "cannot return function 'lambda' from a compiled function"),
    ("choose_function", "def f(x):\n    if x > 0:\n        g = lambda y: y\n    else:\n        g = lambda y: -y\n"
     "    return g(x)\n", "f=int64(int64)", None, "choosing between functions at run time is not supported"),
    ("empty_list_never_typed", "def f(x):\n    a = []\n    return x\n", "f=int64(int64)", "2:9",
     "the item type of the empty list 'a' is never decided"),
    ("mixed_list", "def f(x):\n    a = [x, 1.0]\n    return 1\n", "f=int64(float64[:])", "2:9",
     "a list holds items of one type, but this one mixes float64[:] and float64"),
    ("class_def", "def f(x):\n    class A:\n        pass\n    return x\n", "f=int64(int64)", "2:5",
     "class definitions are not supported"),
    ("frozen_array_store", "import numpy as np\nT = np.ones(3)\ndef f(x):\n    T[0] = x\n    return x\n",
     "f=float64(float64)", "4:5", "module-level array 'T' is read-only in compiled code"),
    ("frozen_array_view_store", "import numpy as np\nT = np.ones((2, 2))\ndef f(x):\n    r = T[1]\n    r += x\n    return x\n",
     "f=float64(float64)", "5:5", "module-level array 'T' is read-only in compiled code"),
    ("module_object_array", "import numpy as np\nT = np.array(['a'])\ndef f(x):\n    return T[0]\n",
     "f=float64(float64)", "4:12", "compiled code takes module-level arrays of numbers"),
    ("default_not_a_number", "def f(x, mode='wrap'):\n    return x\n", "f=float64(float64)", "",
     "leaves out parameter 'mode' of 'f', whose default is not a number"),
    ("list_append_other_type", "def f(x):\n    a = [1, 2]\n    a.append(x)\n    return 1\n", "f=int64(float64)",
     "3:5", "cannot put float64 into reflected list(int64)"),
    ("list_param_of_arrays", "def f(x):\n    return len(x)\n", "f=int64(list(float64[:]))", None,
     "list parameters of arrays or lists are not supported"),
    ("fstring", "def f(x):\n    s = f'{x}'\n    return x\n", "f=int64(int64)", "2:9",
     "f-strings and string formatting are not supported"),
    ("star_args", "def f(*a):\n    return 1\n", "f=int64(int64)", "1:",
     "'f' takes *args: variable arguments are not supported"),
    ("kwargs", "def f(x, **k):\n    return x\n", "f=int64(int64)", "1:",
     "variable keyword arguments are not supported"),
    ("global_stmt", "G = 1\ndef f(x):\n    global G\n    G = x\n    return x\n", "f=int64(int64)", "4:5",
     "assigning to global variables is not supported"),
    ("async_def", "async def f(x):\n    return x\n", "f=int64(int64)", "1:", "async functions are not supported"),
    ("print_flush", "def f(x):\n    print(x, flush=True)\n    return x\n", "f=int64(int64)", "2:5",
     "print() argument 'flush' is not supported (only sep and end)"),
    ("print_range", "def f(x):\n    print(range(x))\n    return x\n", "f=int64(int64)", "2:5",
     "print() of range is not supported"),
    ("print_sep_variable", "def f(x, y):\n    print(x, sep=y)\n    return x\n", "f=int64(int64, int64)", "2:5",
     "print() argument 'sep' must be a constant string, not int64"),
    ("np_unknown_module", "import numpy as np\ndef f(x):\n    return np.polynomial.foo(x)\n", "f=float64[:](float64[:])",
     "3:12", "numpy.polynomial is not supported in compiled code"),
    ("np_unknown_function", "import numpy as np\ndef f(x):\n    return np.fft.hfft(x)\n", "f=float64[:](float64[:])",
     "3:12", "numpy.fft.hfft is not supported in compiled code"),
    ("np_sum_axis_out_of_bounds", "import numpy as np\ndef f(x):\n    return np.sum(x, 2)\n",
     "f=float64[:](float64[:,:])", "3:12", "np.sum: axis 2 is out of bounds for array of dimension 2"),
    ("np_cumsum_negative_axis", "import numpy as np\ndef f(x):\n    return np.cumsum(x, axis=-3)\n",
     "f=float64[:, :](float64[:,:])", "3:12", "np.cumsum: axis -3 is out of bounds for array of dimension 2"),
    ("sum_method_dtype", "import numpy as np\ndef f(x):\n    return x.sum(axis=0, dtype=np.float32)\n",
     "f=float32[:](float64[:,:])", "3:12", "np.sum: dtype= is not supported yet"),
    ("np_sum_scalar", "import numpy as np\ndef f(x):\n    return np.sum(x)\n", "f=float64(float64)", "3:12",
     "np.sum() needs an array, not float64"),
    ("complex_sum", "def f(x):\n    return x.sum()\n", "f=complex128(complex128[:])", "2:12",
     "sum() of a complex array is not supported yet"),
    ("module_function", "import os\ndef f(x):\n    return os.getpid()\n", "f=int64(int64)", "3:12",
     "os.getpid is not supported in compiled code"),
    ("math_unsupported", "import math\ndef f(x):\n    return math.frexp(x)\n", "f=int64(float64)", "3:12",
     "math.frexp is not supported in compiled code"),
    ("array_method", "def f(x):\n    return x.byteswap()\n", "f=int64(float64[:])", "2:12",
     "attribute 'byteswap' of float64[:] is not supported"),
    ("unknown_global", "def f(x):\n    return x + zzz\n", "f=int64(int64)", "2:16", "name 'zzz' is not defined"),
    ("add_array_tuple", "def f(a, t):\n    return a + t\n", "f=int64[:](int64[:], UniTuple(int64, 2))", "2:12",
     "cannot add int64[:] and UniTuple(int64, 2)"),
    ("return_argument_mismatch", "def f(a):\n    b = a * 2\n    return a\n", "f=int64(float64[:])", "3:12",
     "'f' returns float64[:] here, but its signature declares int64"),
    ("return_variable_mismatch", "def f(x):\n    y = x * 1.5\n    z = 2\n    return y\n", "f=int64(int64)", "4:12",
     "'f' returns float64 here, but its signature declares int64"),
    ("return_mismatch", "def f(x):\n    if x > 0:\n        return 1\n    return (1, 2)\n", "f=int64(int64)", "4:12",
     "'f' returns UniTuple(int64, 2) here, but its signature declares int64"),
    ("assert_message_not_constant", "def f(x):\n    assert x > 0, x\n    return x\n", "f=int64(int64)", "2:12",
     "exception arguments must be one constant string, e.g. AssertionError(\"bad value\")"),
    ("return_str", "def f(x):\n    return 'abc'\n", "f=int64(int64)", "2:12", "cannot return str from a compiled function"),
    ("return_tuple_field_float_to_int", "def f(x):\n    return x, x * 1.5\n", "f=UniTuple(int64, 2)(int64)", "2:12",
     "'f' returns Tuple(int64, float64) here, but its signature declares UniTuple(int64, 2)"),
    ("array_compare_as_bool", "def f(a, b):\n    return a < b\n", "f=boolean(float64[:], float64[:])", "2:12",
     "'f' returns bool[::1] here, but its signature declares bool"),
    ("array_truth", "def f(a):\n    if a:\n        return 1\n    return 0\n", "f=int64(float64[:])", "2:",
     "the truth value of an array with more than one element is ambiguous"),
    # Whole-array operations refuse what numpy refuses.
    ("inplace_unsafe_cast", "def f(a):\n    a += 1.5\n", "f=void(int64[:])", "2:5",
     "Cannot cast ufunc 'add' output from dtype('float64') to dtype('int64') with casting rule 'same_kind'"),
    ("inplace_true_divide_int", "def f(a, b):\n    a /= b\n", "f=void(int32[:], int32[:])", "2:5",
     "Cannot cast ufunc 'true_divide' output from dtype('float64') to dtype('int32')"),
    ("inplace_more_dims", "def f(a, m):\n    a += m\n", "f=void(float64[:], float64[:, :])", "2:5",
     "non-broadcastable output operand: the result has 2 dimensions, but float64[:] has 1"),
    ("bool_subtract", "def f(a, b):\n    return a - b\n", "f=boolean[:](boolean[:], boolean[:])", "2:12",
     "numpy boolean subtract, the `-` operator, is not supported"),
    ("bool_negative", "def f(a):\n    return -a\n", "f=boolean[:](boolean[:])", "2:12",
     "the numpy boolean negative, the `-` operator, is not supported"),
    ("float16_result", "import numpy as np\ndef f(a):\n    return np.sqrt(a)\n", "f=float32[:](int8[:])", "3:12",
     "np.sqrt: numpy computes this for int8 in float16, which pyaot does not support"),
    ("complex_sqrt", "import numpy as np\ndef f(a):\n    return np.sqrt(a)\n", "f=complex128[:](complex128[:])",
     "3:12", "np.sqrt of complex numbers is not supported"),
    ("complex_ordering", "def f(a, b):\n    return a < b\n", "f=boolean[:](complex128[:], complex128[:])", "2:12",
     "ordering complex numbers ('<') is not supported"),
    ("shift_floats", "def f(a):\n    return a << 1.5\n", "f=int64[:](int64[:])", "2:12",
     "'<<': numpy has no loop for int64, float64"),
    ("matmul_numbers", "import numpy as np\ndef f(a, b):\n    return a @ b\n", "f=float64(float64, float64)",
     "3:12", "np.matmul: @ (matmul) needs arrays, not numbers"),
    ("math_on_array", "import math\ndef f(a):\n    return math.sqrt(a)\n", "f=float64[:](float64[:])", "3:12",
     "sqrt() needs a number, not float64[:]"),
    ("where_no_array", "import numpy as np\ndef f(x):\n    return np.where(x > 0, 1, 2)\n", "f=int64(int64)", "3:12",
     "np.where() of numbers is not supported: it needs an array"),
    ("two_index_arrays", "def f(a, i, j):\n    return a[i, j]\n", "f=float64[:](float64[:, :], int64[:], int64[:])",
     "2:12", "indexing with more than one array at a time is not supported yet"),
    ("two_ellipses", "def f(a):\n    return a[..., 0, ...]\n", "f=float64[:](float64[:, :, :])", "2:12",
     "an index can only have a single ellipsis ('...')"),
    ("float_index_array", "def f(a, i):\n    return a[i]\n", "f=float64[:](float64[:], float64[:])", "2:12",
     "arrays used as indices must be of integer (or boolean) type, not float64[:]"),
    ("reshape_two_unknown", "def f(a):\n    return a.reshape(-1, -1)\n", "f=float64[:, :](float64[:])", "2:12",
     "can only specify one unknown dimension"),
    ("astype_bad_dtype", "def f(a):\n    return a.astype(3)\n", "f=float64[:](float64[:])", "2:12",
     "astype() needs a numpy scalar type such as np.float32, not int64"),
    ("tuple_item_assign", "def f(x):\n    t = (1, 2)\n    t[0] = x\n    return x\n", "f=int64(int64)", "3:5",
     "tuples are immutable: cannot assign to an item"),
    ("unpack_count", "def f(x):\n    a, b = (1, 2, 3)\n    return a\n", "f=int64(int64)", "2:5",
     "cannot unpack UniTuple(int64, 3) into 2 variables"),
    ("raise_int", "def f(x):\n    raise 5\n", "f=int64(int64)", "2:5", "can only raise builtin exception classes"),
    ("bad_dtype", "import numpy as np\ndef f(n):\n    return np.zeros(n, dtype=n)\n", "f=float64[:](int64)", "3:12",
     "dtype must be a numpy scalar type such as np.float64, not int64"),
    ("range_float", "def f(x):\n    s = 0\n    for i in range(x):\n        s += 1\n    return s\n", "f=int64(float64)",
     "3:14", "range() arguments must be integers, not float64"),
    ("float_index", "def f(a, x):\n    return a[x]\n", "f=float64(float64[:], float64)", "2:12",
     "cannot index float64[:] with float64: only integers, slices, None, `...` and arrays of integers or booleans "
     "are valid indices, not float64"),
    ("float_slice", "def f(a):\n    return a[1.5:2]\n", "f=float64[:](float64[:])", "2:14",
     "slice indices must be integers or None, not float64"),
    ("tuple_slice", "def f(t):\n    return t[1:]\n", "f=int64(UniTuple(int64, 3))", "2:12",
     "cannot index UniTuple(int64, 3) with slice"),
    ("slice_too_many", "def f(a):\n    return a[1:, 2:, 0]\n", "f=float64[:](float64[:,:])", "2:12",
     "too many indices for array: array is 2-dimensional, but 3 were indexed"),
    ("column_not_contiguous", "def f(a):\n    return a[:, 0]\n", "f=float64[::1](float64[:,::1])", "2:12",
     "'f' returns float64[:] here, but its signature declares float64[::1]"),
    ("too_many_indices", "def f(a):\n    return a[0, 0]\n", "f=float64(float64[:])", "2:12",
     "too many indices for array: array is 1-dimensional, but 2 were indexed"),
    ("assign_more_dims", "def f(a, m):\n    a[:] = m\n", "f=void(float64[:], float64[:,:])", "2:5",
     "cannot assign float64[:, :] to float64[:]"),
    ("assign_complex_slice", "def f(a):\n    a[1:] = 1j\n", "f=void(float64[:])", "2:5",
     "cannot store complex into float64[:] (it would drop the imaginary part)"),
    ("no_attribute", "def f(x):\n    return x.foo\n", "f=int64(int64)", "2:12", "int64 has no attribute 'foo'"),
    ("not_callable", "K = 3\ndef f(x):\n    return K(x)\n", "f=int64(int64)", "3:12", "int64 is not callable"),
    ("recursion_without_base_case", "def f(n):\n    return g(n)\ndef g(n):\n    return g(n - 1)\n",
     "f=int64(int64)", "4:", "'g' calls itself recursively and no return type is known"),
    ("float_to_int_arg", "def g(n):\n    return n\ndef f(x):\n    return g(x)\n", "f=int64(float64)", "4:12",
     "'f' returns float64 here, but its signature declares int64"),
    ("string_concat", "def f(x):\n    return x + 'a'\n", "f=int64(int64)", "2:12", "cannot add int64 and str"),
    # Signatures: the message quotes the signature and points into it.
    ("sig_unknown_type", "def f(x):\n    return x\n", "f=foo(int64)", None, "invalid signature: unknown type 'foo'"),
    ("sig_unbalanced", "def f(x):\n    return x\n", "f=int64(int64", None, "invalid signature"),
    ("sig_bracket", "def f(x):\n    return x\n", "f=int64[:(int64)", None, "invalid signature: expected ']'"),
    ("sig_trailing", "def f(x):\n    return x\n", "f=int64(int64) junk", None, "invalid signature"),
    ("sig_unituple", "def f(x):\n    return x\n", "f=UniTuple(int64)(int64)", None, "invalid signature"),
    ("sig_arity", "def f(x):\n    return x\n", "f=int64(int64, int64)", None,
     "signature 'int64(int64, int64)' has 2 parameters but 'f' takes 1"),
    ("sig_no_function", "def f(x):\n    return x\n", "nope=int64(int64)", None,
     "--sig nope=...: the module has no function named 'nope'"),
    ("sig_repeated", "def f(x):\n    return x\n", ["f=int64(int64)", "f=float64(int64)"], None,
     "repeats the parameter types of an earlier signature of 'f'"),
    ("bare_sig_many_functions", "def f(x):\n    return x\ndef g(x):\n    return x\n", "int64(int64)", None,
     "use --sig NAME=SIG"),
    ("nothing_to_compile", "def f(x):\n    return x\n", [], None, "nothing to compile"),
    # The module itself.
    ("syntax_error", "def f(x)\n    return x\n", "f=int64(int64)", "1:", "SyntaxError"),
    ("import_raises", "X = 1 // 0\ndef f(x):\n    return x\n", "f=int64(int64)", "1:",
     "raised ZeroDivisionError: integer division or modulo by zero"),
    ("import_missing_module", "import no_such_module_here\ndef f(x):\n    return x\n", "f=int64(int64)", "1:",
     "raised ModuleNotFoundError: No module named 'no_such_module_here'"),
    ("dict_mixed_keys", "def f(x):\n    d = {1: 2, (1, 2): 3}\n    return x\n", "f=int64(int64)", "2:9",
     "a dict holds keys of one type, but this one mixes int64 and UniTuple(int64, 2)"),
    ("dict_store_other_key", "def f(x):\n    d = {}\n    d[1] = 2\n    d[(1, 2)] = 3\n    return x\n",
     "f=int64(int64)", "4:5", "dict 'd' has keys of type int64: a key of type UniTuple(int64, 2) cannot be one"),
    ("dict_float_key_into_int_keys", "def f(x):\n    d = {1: 2}\n    return d[x]\n", "f=int64(float64)", "3:12",
     "has keys of type int64: a key of type float64 is not converted to it (convert it yourself: int(x), float(x))"),
    ("dict_value_other_type", "def f(x):\n    d = {1: 2}\n    d[2] = x\n    return 1\n", "f=int64(float64)", "3:5",
     "cannot store float64 in dict 'd': its values are int64"),
    ("dict_array_key", "def f(x):\n    d = {}\n    d[x] = 1\n    return 1\n", "f=int64(float64[:])", "3:5",
     "float64[:] cannot be a key of a dict or an item of a set (unhashable type): use a tuple of numbers"),
    ("set_list_item", "def f(x):\n    s = set()\n    s.add([x])\n    return 1\n", "f=int64(int64)", "3:5",
     "reflected list(int64) cannot be a key of a dict or an item of a set (unhashable type)"),
    ("empty_dict_never_typed", "def f(x):\n    d = {}\n    return x\n", "f=int64(int64)", "2:9",
     "the key and value types of the empty dict 'd' are never decided"),
    ("dict_popitem", "def f(x):\n    d = {1: 2}\n    return d.popitem()\n", "f=int64(int64)", "3:12",
     "dict.popitem() is not supported"),
    ("dict_get_without_default", "def f(x):\n    d = {1: 2}\n    return d.get(x)\n", "f=int64(int64)", "3:12",
     "d.get(key) without a default is not supported"),
    ("dict_star_star", "def f(x):\n    d = {1: 2}\n    e = {**d}\n    return x\n", "f=int64(int64)", "3:9",
     "`{**d}` in a dict display is not supported"),
    ("set_subscript", "def f(x):\n    s = {1, 2}\n    return s[0]\n", "f=int64(int64)", "3:12",
     "'set' object is not subscriptable"),
    ("dict_parameter_of_arrays", "def f(d):\n    return len(d)\n", "f=int64(DictType(int64, float64[:]))", None,
     "dict parameters hold numbers or tuples of numbers"),
    ("set_parameter_of_arrays", "def f(s):\n    return len(s)\n", "f=int64(set(float64[:]))", None,
     "a set's item must be a number or a tuple of numbers"),
    ("return_dict_view", "def f(x):\n    d = {1: x}\n    return d.keys()\n", "f=(int64,)", "3:12",
     "'f' returns keys of DictType(int64, int64), which cannot be returned to Python"),
    ("return_range", "def f(x):\n    return range(x)\n", "f=(int64,)", "2:12",
     "'f' returns range, which cannot be returned to Python"),
]


def compile_source(tmp_path, name, source, sigs, outdir=None):
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    out = outdir or tmp_path / "out"
    out.mkdir(exist_ok=True)
    sigs = [sigs] if isinstance(sigs, str) else sigs
    cmd = [PYAOT, "build", str(path), "-o", str(out)] + FLAGS
    for s in sigs:
        cmd += ["--sig", s]
    return subprocess.run(cmd, capture_output=True, text=True), out


@pytest.mark.parametrize("name, source, sigs, where, message", COMPILE_ERRORS, ids=[c[0] for c in COMPILE_ERRORS])
def test_compile_errors(tmp_path, name, source, sigs, where, message):
    done, out = compile_source(tmp_path, name, source, sigs)
    assert done.returncode == 1, done.stderr
    first = done.stderr.splitlines()[0]
    assert message in done.stderr, done.stderr
    if where:
        assert first.startswith(f"{tmp_path / name}.py:{where}"), first
        assert ": error: " in first
    else:
        assert ": error: " in first
    assert "Traceback" not in done.stderr and "internal compiler error" not in done.stderr
    assert os.listdir(out) == []  # no module, no temporary file


def test_errors_in_callees_name_the_call(tmp_path):
    source = ("def inner(x):\n    return x + 'a'\n\n"
              "def mid(x, t):\n    return inner(x + 1)\n\n"
              "def top(x):\n    y = mid(x, (1, 2.5))\n    return 1\n")
    done, _ = compile_source(tmp_path, "calls", source, "top=int64(int64)")
    lines = done.stderr.splitlines()
    assert lines[0] == f"{tmp_path}/calls.py:2:12: error: cannot add int64 and str", done.stderr
    # The innermost call: the one whose callee holds the error.
    assert lines[-1] == f"note: in 'inner(int64)', called from {tmp_path}/calls.py:5:12", done.stderr
    # An error after a call returned is the caller's own: no note.
    source = "def h(x):\n    return x\n\ndef top(x):\n    a = h(x)\n    return a + (1, 2)\n"
    done, _ = compile_source(tmp_path, "after", source, "top=int64(int64)")
    assert done.stderr.splitlines()[0].endswith("after.py:6:12: error: cannot add int64 and UniTuple(int64, 2)")
    assert "note:" not in done.stderr, done.stderr


def test_recursion_growing_a_tuple_is_refused(tmp_path):
    # The result's length depends on the depth: no type fits every call.
    source = ("def g(t, i):\n    x = t[i] * 2\n    if i == len(t) - 1:\n        return (x,)\n"
              "    return (x,) + g(t, i + 1)\n\ndef f(a):\n    return g((a, a + 1, a + 2), 0)\n")
    done, _ = compile_source(tmp_path, "grow", source, "f=(int64)")
    assert done.returncode == 1, done.stderr
    assert "grow.py:1: error: the types in 'g' do not settle" in done.stderr, done.stderr
    assert "internal" not in done.stderr


def test_caret_under_the_column(tmp_path):
    done, _ = compile_source(tmp_path, "caret", "def f(x):\n    return x + zzz\n", "f=int64(int64)")
    lines = done.stderr.splitlines()
    assert lines[1].endswith("return x + zzz")
    assert lines[2].index("^") == lines[1].index("zzz")


@pytest.mark.parametrize("args, code, message", [
    (["build", "missing.py", "--sig", "int64(int64)"], 1, "cannot open input file"),
    (["build", "notpython.txt"], 1, "must be a Python source file ending in .py"),
    (["build", "my-module.py"], 1, "is not a valid module name"),
    (["build"], 2, "no input file"),
    (["frobnicate"], 2, "unknown command"),
    (["build", "a.py", "-O9"], 2, "unknown optimisation level"),
    (["build", "a.py", "--linker=gold"], 2, "takes elf or system"),
    (["build", "a.py", "--error-model=c"], 2, "takes python or numpy"),
    (["build", "a.py", "--sig"], 2, "needs a signature"),
], ids=lambda x: str(x)[:30])
def test_files_and_usage(tmp_path, args, code, message):
    for name in ("notpython.txt", "my-module.py"):
        (tmp_path / name).write_text("def f(x):\n    return x\n")
    done = subprocess.run([PYAOT, *args], capture_output=True, text=True, cwd=str(tmp_path))
    assert done.returncode == code
    assert message in done.stderr


def test_output_directory_problems(tmp_path):
    src = "def f(x):\n    return x\n"
    done, _ = compile_source(tmp_path, "m", src, "f=int64(int64)", outdir=tmp_path / "out")
    assert done.returncode == 0
    # A missing directory is created with its parents, as `mkdir -p` does.
    missing = tmp_path / "missing" / "deeper"
    (tmp_path / "m.py").write_text(src)
    done = subprocess.run([PYAOT, "build", str(tmp_path / "m.py"), "--sig", "f=int64(int64)", "-o", str(missing) + "/"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in missing.iterdir()] == ["m" + EXT_SUFFIX]
    # A failed compile creates no directory.
    (tmp_path / "bad.py").write_text("def f(x):\n    return x +\n")
    never = tmp_path / "never"
    done = subprocess.run([PYAOT, "build", str(tmp_path / "bad.py"), "--sig", "f=int64(int64)", "-o", str(never)],
                          capture_output=True, text=True)
    assert done.returncode == 1 and not never.exists()
    a_file = tmp_path / "plain_file"
    a_file.write_text("")
    for target in (a_file, a_file / "below"):
        done = subprocess.run([PYAOT, "build", str(tmp_path / "m.py"), "--sig", "f=int64(int64)", "-o", str(target)],
                              capture_output=True, text=True)
        assert done.returncode == 1 and f"output path '{a_file}' is not a directory" in done.stderr
    done = subprocess.run([PYAOT, "build", str(tmp_path / "m.py"), "--sig", "f=int64(int64)", "-o", ""],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "-o: empty directory name" in done.stderr


RUNTIME_SOURCE = '''
import numpy as np

def get(a, i):
    return a[i]

def get2(m, i, j):
    return m[i, j]

def idiv(a, b):
    return a // b

def imod(a, b):
    return a % b

def itruediv(a, b):
    return a / b

def fdiv(a, b):
    return a / b

def ffloordiv(a, b):
    return a // b

def fmod(a, b):
    return a % b

def cdiv(a, b):
    return a / b

def ipow(a, b):
    return a ** b

def shift(a, b):
    return a << b

def small(n):
    return n

def tiny(n):
    return n

def total(a):
    s = 0.0
    for x in a:
        s += x
    return s

def scale(a, k):
    for i in range(len(a)):
        a[i] *= k

def checked(x):
    if x < 0:
        raise ValueError("x must be >= 0")
    return x

def sliced(a, k):
    return a[::k]

def assign_rows(m, r):
    m[1:] = r

def asserted(x):
    assert x != 0
    assert x > 0, "x must be positive"
    return x

def stepped(a, b, c):
    n = 0
    for i in range(a, b, c):
        n += 1
    return n

def largest(a):
    return max(a)

def to_int(x):
    return int(x)

def make(n):
    return np.zeros(n)

def allocate_then_fail(n, i):
    tmp = np.ones(n)
    other = np.empty(n)
    return tmp[i] + other[0]

def descend(n):
    if n == 0:
        return 0
    return descend(n - 1) + 1

def ping(n):
    if n == 0:
        return 0
    return pong(n - 1) + 1

def pong(n):
    return ping(n - 1) + 1

def hoard(n):
    keep = np.zeros(8)
    if n == 0:
        return keep[0]
    return hoard(n - 1) + keep[1]
'''

RUNTIME_SIGS = ["get=float64(float64[:], int64)", "get2=float64(float64[:,:], int64, int64)",
                "idiv=int64(int64, int64)", "imod=int64(int64, int64)", "itruediv=float64(int64, int64)",
                "fdiv=float64(float64, float64)", "ffloordiv=float64(float64, float64)",
                "fmod=float64(float64, float64)", "cdiv=complex128(complex128, complex128)",
                "ipow=int64(int64, int64)", "shift=int64(int64, int64)", "small=int32(int32)",
                "tiny=uint8(uint8)", "total=float64(float64[::1])", "scale=void(float64[:], float64)",
                "checked=int64(int64)", "asserted=int64(int64)", "sliced=float64[:](float64[:], int64)",
                "assign_rows=void(float64[:,:], float64[:,:])", "stepped=int64(int64, int64, int64)", "largest=float64(float64[:])",
                "to_int=int64(float64)", "make=float64[:](int64)", "allocate_then_fail=float64(int64, int64)",
                "descend=int64(int64)", "ping=int64(int64)", "pong=int64(int64)", "hoard=float64(int64)"]

RO = np.arange(3.0)
RO.setflags(write=False)

# (function, args, kwargs, exception, message or message start)
RUNTIME_ERRORS = [
    ("get", (np.arange(3.0), 5), {}, IndexError, "index 5 is out of bounds for axis 0 with size 3"),
    ("get", (np.arange(3.0), -4), {}, IndexError, "index -4 is out of bounds for axis 0 with size 3"),
    ("get", (np.zeros(0), 0), {}, IndexError, "index 0 is out of bounds for axis 0 with size 0"),
    ("get2", (np.zeros((2, 4)), 1, 4), {}, IndexError, "index 4 is out of bounds for axis 1 with size 4"),
    ("get2", (np.zeros((2, 4)), -3, 0), {}, IndexError, "index -3 is out of bounds for axis 0 with size 2"),
    ("idiv", (7, 0), {}, ZeroDivisionError, "integer division or modulo by zero"),
    ("imod", (7, 0), {}, ZeroDivisionError, "integer modulo by zero"),
    ("itruediv", (7, 0), {}, ZeroDivisionError, "division by zero"),
    ("fdiv", (1.0, 0.0), {}, ZeroDivisionError, "float division by zero"),
    ("ffloordiv", (1.0, -0.0), {}, ZeroDivisionError, "float floor division by zero"),
    ("fmod", (1.0, 0.0), {}, ZeroDivisionError, "float modulo"),
    ("cdiv", (1j, 0j), {}, ZeroDivisionError, "complex division by zero"),
    ("ipow", (0, -1), {}, ZeroDivisionError, "0.0 cannot be raised to a negative power"),
    ("shift", (1, -1), {}, ValueError, "negative shift count"),
    ("small", (2**40,), {}, OverflowError, "small() argument 'n': Python int too large to convert to int32"),
    ("small", (-2**31 - 1,), {}, OverflowError, "small() argument 'n': Python int too large to convert to int32"),
    ("tiny", (300,), {}, OverflowError, "tiny() argument 'n': Python int out of range for uint8"),
    ("tiny", (-1,), {}, OverflowError, "tiny() argument 'n': Python int out of range for uint8"),
    ("small", (1.5,), {}, TypeError, "small() argument 'n': expected int32, got float"),
    ("small", (), {}, TypeError, "small() missing required argument 'n' (pos 1)"),
    ("small", (1, 2), {}, TypeError, "small() takes 1 positional argument but 2 were given"),
    ("small", (), {"m": 1}, TypeError, "small() got an unexpected keyword argument 'm'"),
    ("total", (None,), {}, TypeError, "total() argument 'a': expected float64[::1] (1-D C-contiguous array of float64), got NoneType"),
    ("total", ([1.0, 2.0],), {}, TypeError, "total() argument 'a': expected float64[::1] (1-D C-contiguous array of float64), got list"),
    ("total", ("abc",), {}, TypeError, "total() argument 'a': expected float64[::1] (1-D C-contiguous array of float64), got str"),
    ("total", (np.zeros(3, np.int64),), {}, TypeError, "expected float64[::1] (1-D C-contiguous array of float64), got numpy.ndarray of int64 (1-D): wrong dtype"),
    ("total", (np.zeros((2, 2)),), {}, TypeError, "expected float64[::1] (1-D C-contiguous array of float64), got numpy.ndarray of float64 (2-D): wrong number of dimensions"),
    ("total", (np.zeros(6)[::2],), {}, TypeError, "the array is not C-contiguous"),
    ("scale", (RO, 2.0), {}, TypeError, "scale() argument 'a': expected float64[:] (1-D array of float64), got numpy.ndarray of float64 (1-D): the array is read-only and the function stores into it"),
    ("checked", (-1,), {}, ValueError, "x must be >= 0"),
    ("asserted", (-1,), {}, AssertionError, "x must be positive"),
    ("sliced", (np.arange(3.0), 0), {}, ValueError, "slice step cannot be zero"),
    ("assign_rows", (np.zeros((3, 4)), np.ones((3, 4))), {}, ValueError,
     "could not broadcast input array from shape (3,4) into shape (2,4)"),
    ("assign_rows", (np.zeros((3, 4)), np.ones((2, 3))), {}, ValueError,
     "could not broadcast input array from shape (2,3) into shape (2,4)"),
    ("asserted", (0,), {}, AssertionError, ""),
    ("stepped", (0, 10, 0), {}, ValueError, "range() arg 3 must not be zero"),
    ("largest", (np.zeros(0),), {}, ValueError, "max() arg is an empty sequence"),
    ("to_int", (float("nan"),), {}, ValueError, "cannot convert float NaN to integer"),
    ("to_int", (float("inf"),), {}, OverflowError, "cannot convert float infinity to integer"),
    ("to_int", (1e300,), {}, OverflowError, "float out of range for int64"),
    ("make", (-1,), {}, ValueError, "negative dimensions are not allowed"),
    ("allocate_then_fail", (10, 10), {}, IndexError, "index 10 is out of bounds for axis 0 with size 10"),
    # Runaway recursion stops before the C stack overflows, as CPython's does.
    ("descend", (-1,), {}, RecursionError, "maximum recursion depth exceeded in compiled function 'descend'"),
    ("ping", (-1,), {}, RecursionError, "maximum recursion depth exceeded in compiled function 'p"),
    ("hoard", (-1,), {}, RecursionError, "maximum recursion depth exceeded in compiled function 'hoard'"),
]

HEALTHY = {"get": ((np.arange(3.0), 1), 1.0), "idiv": ((7, 2), 3), "small": ((5,), 5), "total": ((np.ones(4),), 4.0),
           "checked": ((3,), 3), "asserted": ((2,), 2), "to_int": ((2.7,), 2), "allocate_then_fail": ((3, 1), 1.0),
           "descend": ((50_000,), 50_000), "ping": ((6,), 6), "hoard": ((1000,), 0.0)}


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return build(str(tmp_path_factory.mktemp("rt")), RUNTIME_SOURCE, RUNTIME_SIGS).compiled


@pytest.mark.parametrize("fname, args, kwargs, exc, message", RUNTIME_ERRORS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(RUNTIME_ERRORS)])
def test_runtime_errors(rt, fname, args, kwargs, exc, message):
    f = getattr(rt, fname)
    with pytest.raises(exc) as info:
        f(*args, **kwargs)
    # The whole message, its end where the table gives only the reason, or
    # its start where the table ends in a name cut short.
    text = str(info.value)
    assert text == message or (message != "" and (text.endswith(message) or
                                                 (message.endswith("'p") and text.startswith(message)))), text
    # The interpreter and the module are healthy afterwards.
    if fname in HEALTHY:
        good_args, expected = HEALTHY[fname]
        assert f(*good_args) == expected


def test_failing_calls_leak_nothing(rt):
    def rss_kb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4

    for _ in range(1000):  # warm up allocator pools
        for bad in ((rt.allocate_then_fail, (100, 500)), (rt.total, (None,)), (rt.small, (2**40,))):
            try:
                bad[0](*bad[1])
            except (IndexError, TypeError, OverflowError):
                pass
    before = rss_kb()
    for _ in range(100_000):
        for bad in ((rt.allocate_then_fail, (100, 500)), (rt.total, (None,)), (rt.small, (2**40,))):
            try:
                bad[0](*bad[1])
            except (IndexError, TypeError, OverflowError):
                pass
    # 10^5 leaked pairs of 800-byte arrays would be 160 MB.
    assert rss_kb() - before < 4000


def test_runaway_recursion_in_threads_of_any_stack_size(rt):
    import threading
    results = {}

    def run(size):
        try:
            results[size] = (rt.descend(1000), None)
            rt.descend(-1)
        except RecursionError as e:
            results[size] = (results[size][0], str(e))

    try:
        for size in (256 << 10, 1 << 20, 64 << 20):
            threading.stack_size(size)
            t = threading.Thread(target=run, args=(size,))
            t.start()
            t.join()
    finally:
        threading.stack_size(0)
    message = "maximum recursion depth exceeded in compiled function 'descend'"
    assert results == {size: (1000, message) for size in (256 << 10, 1 << 20, 64 << 20)}
    # Back on the main thread, whose stack is elsewhere.
    with pytest.raises(RecursionError):
        rt.descend(-1)
    assert rt.descend(50_000) == 50_000


def test_runaway_recursion_frees_what_each_level_allocated(rt):
    def rss_kb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4

    for _ in range(3):
        with pytest.raises(RecursionError):
            rt.hoard(-1)
    before = rss_kb()
    for _ in range(30):
        with pytest.raises(RecursionError):
            rt.hoard(-1)
    # Each runaway call holds tens of thousands of arrays when it fails;
    # leaked, 30 calls would be hundreds of MB.
    assert rss_kb() - before < 8000


MODEL_SOURCE = '''
def get(a, i):
    return a[i]

def fdiv(a, b):
    return a / b

def ifloordiv(a, b):
    return a // b

def imod(a, b):
    return a % b

def fmod(a, b):
    return a % b
'''


def test_boundscheck_off_removes_the_checks(tmp_path):
    m = build(str(tmp_path), MODEL_SOURCE, ["get=float64(float64[:], int64)"], ["--boundscheck=off"]).compiled
    parent = np.arange(10.0)
    view = parent[:3]
    assert m.get(view, 5) == 5.0  # no IndexError: reads the parent's memory, as C would
    assert m.get(view, -1) == 2.0  # negative indices still wrap


def test_numpy_error_model_gives_numpys_results(tmp_path):
    m = build(str(tmp_path), MODEL_SOURCE, ["fdiv=float64(float64, float64)", "ifloordiv=int64(int64, int64)",
                                           "imod=int64(int64, int64)", "fmod=float64(float64, float64)"],
              ["--error-model=numpy"]).compiled
    with np.errstate(all="ignore"):
        assert m.fdiv(1.0, 0.0) == np.float64(1.0) / np.float64(0.0) == np.inf
        assert m.fdiv(-1.0, 0.0) == -np.inf
        assert np.isnan(m.fdiv(0.0, 0.0))
        assert m.ifloordiv(7, 0) == np.int64(7) // np.int64(0) == 0
        assert m.imod(7, 0) == np.int64(7) % np.int64(0) == 0
        assert np.isnan(m.fmod(1.0, 0.0)) and np.isnan(np.float64(1.0) % np.float64(0.0))
    assert m.fdiv(3.0, 2.0) == 1.5 and m.ifloordiv(-7, 2) == -4  # Python's rules otherwise


# prange loops whose result would depend on the order of their iterations.
_PRANGE_HEAD = "from pyaot import prange\n\ndef f(a, n):\n    s = 0\n    x = 0\n    for i in prange(n):\n"
PRANGE_ERRORS = [
    ("prange_assigned_used_after", _PRANGE_HEAD + "        x = a[i] * 2\n    return x\n", "8:12",
     "'x' is assigned in a prange loop and used after it: only reductions (s += ..., s = min(s, ...)) may be"),
    ("prange_last_index", _PRANGE_HEAD + "        s += a[i]\n    return s + i\n", "8:12",
     "'i' is assigned in a prange loop and used after it"),
    ("prange_reset_in_branch", _PRANGE_HEAD + "        if a[i] > 0:\n            s += a[i]\n        else:\n"
     "            s = 0\n    return s\n", "11:12", "'s' is assigned in a prange loop and used after it"),
    ("prange_reduction_read", _PRANGE_HEAD + "        s += a[i]\n        a[i] = s\n    return s\n", "8:9",
     "'s' is read in a prange loop other than by its own update (s += ..., s = min(s, ...)): its value would "
     "depend on the order of the iterations"),
    ("prange_not_a_reduction", _PRANGE_HEAD + "        s = s * 3 + a[i]\n    return s\n", "7:13",
     "'s' is read in a prange loop other than by its own update"),
    ("prange_mixed_ops", _PRANGE_HEAD + "        s = min(s, a[i])\n        s += 1\n    return s\n", "8:9",
     "'s' is read in a prange loop other than by its own update"),
    ("prange_previous_iteration", _PRANGE_HEAD + "        a[i] = x\n        x = i\n    return s\n", "7:9",
     "'x' is read in a prange loop other than by its own update"),
    ("prange_subtracted_from", _PRANGE_HEAD + "        s = a[i] - s\n    return s\n", "8:12",
     "'s' is assigned in a prange loop and used after it"),
    ("prange_float_range", "from pyaot import prange\n\ndef f(a, n):\n    s = 0\n    for i in prange(n * 0.5):\n"
     "        s += i\n    return s\n", "5:14", "prange() arguments must be integers, not float64"),
]


@pytest.mark.parametrize("name, source, where, message", PRANGE_ERRORS, ids=[c[0] for c in PRANGE_ERRORS])
def test_prange_errors(tmp_path, name, source, where, message):
    done, out = compile_source(tmp_path, name, source, "f=int64(int64[:], int64)")
    assert done.returncode == 1, done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"{tmp_path / name}.py:{where}: error: "), done.stderr
    assert message in first, done.stderr
    assert "Traceback" not in done.stderr and "internal compiler error" not in done.stderr
    assert os.listdir(out) == []


def test_prange_loops_left_early_warn_and_run_serially(tmp_path):
    source = ("from pyaot import export, prange\n\n"
              "def f(a, n):\n    s = 0\n    for i in prange(n):\n        s += a[i]\n        if s > 10:\n"
              "            break\n    return s\n\n"
              "def fact(k):\n    return 1 if k < 2 else k * fact(k - 1)\n\n"
              "def g(a, n):\n    s = 0\n    for i in prange(n):\n        s += fact(a[i])\n    return s\n\n"
              "@export('int64(int64[:], int64)', parallel=False)\n"
              "def h(a, n):\n    s = 0\n    for i in prange(n):\n        s = s * 3 + a[i]\n    return s\n")
    done, out = compile_source(tmp_path, "serial", source, ["f=int64(int64[:], int64)", "g=int64(int64[:], int64)"])
    assert done.returncode == 0, done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ": warning: " in ln]
    # g's body recurses, on the pool's threads: no warning.
    assert lines == [f"{tmp_path}/serial.py:5:14: warning: this prange loop runs serially: it is left by break"], \
        done.stderr
    code = ("import sys, numpy as np; sys.path.insert(0, %r); import serial as m\n"
            "a = np.arange(8)\nm._pyaot_set_num_threads(2)\n"
            "print(m.f(a, 8), m.g(a, 8), m.h(a, 8))\n" % str(out))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.split() == ["15", "5914", "1636"], run.stderr


def test_prange_flags_of_the_build(tmp_path):
    # --no-parallel: prange is range everywhere, so an order-dependent loop builds and runs in order.
    source = "from pyaot import prange\n\ndef f(n):\n    s = 1\n    for i in prange(n):\n        s = s * 3 % 1000 + i\n    return s\n"
    path = tmp_path / "flags.py"
    path.write_text(source)
    run = lambda *extra: subprocess.run([PYAOT, "build", str(path), "-o", str(tmp_path / "out"), "--sig",
                                         "int64(int64)"] + FLAGS + list(extra), capture_output=True, text=True)
    assert run().returncode == 1
    assert run("--parallel").returncode == 1
    done = run("--no-parallel")
    assert done.returncode == 0, done.stderr
    code = "import sys; sys.path.insert(0, %r); import flags; print(flags.f(50))" % str(tmp_path / "out")
    expected = 1
    for i in range(50):
        expected = expected * 3 % 1000 + i
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == str(expected)


def test_numba_prange_is_parallel_only_with_parallel_true(tmp_path):
    # Numba's rule: without parallel=True prange is range (an order-dependent loop is fine);
    # --parallel makes such functions parallel too, and then the loop is an error.
    source = ("from numba import njit, prange\n\n"
              "@njit('i8(i8)')\ndef serial(n):\n    s = 1\n    for i in prange(n):\n        s = s * 3 % 1000 + i\n"
              "    return s\n\n"
              "@njit('i8(i8)', parallel=True)\ndef par(n):\n    s = 0\n    for i in prange(n):\n        s += i\n"
              "    return s\n")
    path = tmp_path / "nb.py"
    path.write_text(source)
    cmd = [PYAOT, "build", str(path), "-o", str(tmp_path / "out"), "--dump-ir"] + FLAGS
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr, done.stderr
    funcs = done.stdout.split("func ")
    assert any(f.startswith("pyaot.par.") and "PARALLEL_FOR" in f for f in funcs), done.stdout
    assert not any(f.startswith("pyaot.serial.") and "PARALLEL_FOR" in f for f in funcs), done.stdout
    done = subprocess.run(cmd + ["--parallel"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "nb.py:7:13: error: 's' is read in a prange loop other than by its own update" in done.stderr, done.stderr
