"""Calls between the module's functions, default arguments, recursion,
module-level constants, tuples in and out."""
import numpy as np
import pytest

from conftest import check

SOURCE = '''
import numpy as np

SCALE = 3
OFFSET = -0.5
LIMITS = (1, 10)

def helper(x, k=2):
    return x * k + OFFSET

def generic(a, b):
    return a + b

def uses_helpers(x):
    return helper(x) + helper(x, 5) + helper(k=1, x=x) + generic(1, 2) + generic(1.5, x)

def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)

def even(n):
    if n == 0:
        return True
    return odd(n - 1)

def odd(n):
    if n == 0:
        return False
    return even(n - 1)

def constants(x):
    return x * SCALE + LIMITS[1] - LIMITS[0]

def swap(a, b):
    a, b = b, a + b
    return a, b

def unpack(t):
    x, y, z = t
    return x + y * z

def fill(a, v):
    for i in range(len(a)):
        a[i] = v

def caller(n):
    a = np.zeros(n)
    fill(a, 2.5)
    s = 0.0
    for v in a:
        s += v
    return s

def stats(a):
    lo = a[0]
    hi = a[0]
    for v in a:
        lo = min(lo, v)
        hi = max(hi, v)
    return lo, hi

def nested_tuple(x):
    return (x, (x + 1, x * 2.0))

def pick_constant(i):
    t = (10, 20, 30)
    return t[i]

def pick_mixed(x, y, i):
    t = (x, y, x + y)
    return t[i] * 2.0

def pick_row(a, b, i):
    t = (a, b)
    r = t[i]
    return r[0] + r[len(r) - 1]

def pick_flag(i):
    t = (True, False, True)
    return t[i]

def pick_arg(t, i):
    return t[i]
'''

SIGS = ["uses_helpers=float64(int64)", "fact=int64(int64)", "even=boolean(int64)", "odd=boolean(int64)",
        "constants=int64(int64)", "swap=UniTuple(int64, 2)(int64, int64)",
        "unpack=float64(Tuple((int64, float64, float64)))", "caller=float64(int64)",
        "stats=UniTuple(float64, 2)(float64[:])", "nested_tuple=Tuple((int64, Tuple((int64, float64))))(int64)",
        "pick_constant=int64(int64)", "pick_mixed=float64(float32, float32, int32)",
        "pick_row=float64(float64[:], float64[:], int64)", "pick_flag=boolean(int64)",
        "pick_arg=int8(UniTuple(int8, 5), int64)"]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS)


def test_defaults_show_in_the_signature(compile_module):
    import inspect
    b = compile_module("def f(a, b=3, c=1.5, d=True, e=-0.25):\n    return a + b * c + d + e\n",
                       ["float64(int64, int64, float64, boolean, float64)"])
    assert str(inspect.signature(b.compiled.f)) == "(a, b=3, c=1.5, d=True, e=-0.25)"
    assert b.compiled.f(1) == b.reference.f(1) and b.compiled.f(1, e=2.0) == b.reference.f(1, e=2.0)


def test_specialised_calls_and_defaults(m):
    check(m, "uses_helpers", [(x,) for x in [-3, 0, 7, 10**6]])


def test_recursion_through_signatures(m):
    check(m, "fact", [(n,) for n in [0, 1, 5, 20]])
    check(m, "even", [(n,) for n in [0, 1, 10, 101]])
    check(m, "odd", [(n,) for n in [0, 1, 10, 101]])


def test_constants_frozen(m):
    check(m, "constants", [(x,) for x in [0, 4, -9]])


def test_tuples(m):
    check(m, "swap", [(1, 2), (-5, 5)])
    check(m, "unpack", [((1, 2.0, 3.5),), ((0, -1.0, 0.5),)])
    check(m, "nested_tuple", [(3,), (-1,)])
    check(m, "stats", [(np.array([3.0, -1.0, 7.5]),), (np.arange(5.0)[::-1],)])


def test_tuples_indexed_at_run_time(m):
    # Negative indices wrap; out of range is CPython's IndexError.
    indices = range(-6, 6)
    check(m, "pick_constant", [(i,) for i in indices])
    check(m, "pick_mixed", [(np.float32(1.5), np.float32(-2.25), i) for i in range(-4, 4)])
    check(m, "pick_row", [(np.arange(3.0), np.arange(5.0)[::-2], i) for i in range(-3, 3)])
    check(m, "pick_flag", [(i,) for i in indices])
    check(m, "pick_arg", [((1, 2, 3, 4, -5), i) for i in indices])


def test_arrays_passed_between_functions(m):
    check(m, "caller", [(0,), (1,), (100,)])


RECURSION_SOURCE = """
def f(n):
    return g(n) + h(n, 1.5)

def g(n):
    if n < 1:
        return 0
    return g(n - 1) + n

def h(n, x):
    if n <= 0:
        return x
    return h(n - 2, x * 0.5) + 1.0

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
"""


def test_recursion_without_signature_takes_the_base_case_type(compile_module):
    # As Numba infers it: the return that does not recurse fixes the type.
    m = compile_module(RECURSION_SOURCE, ["f=(int64)", "fib=(int64)"])
    check(m, "f", [(n,) for n in range(-2, 30)])
    check(m, "fib", [(n,) for n in range(20)])


def test_recursion_without_base_case_is_an_error(compile_module, tmp_path):
    import subprocess
    from conftest import PYAOT, FLAGS
    src = tmp_path / "rec.py"
    src.write_text("def f(n):\n    return g(n)\n\ndef g(n):\n    return g(n - 1)\n")
    done = subprocess.run([PYAOT, "build", str(src), "-o", str(tmp_path), "--sig", "f=int64(int64)"] + FLAGS,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "calls itself recursively and no return type is known" in done.stderr and "rec.py:5:" in done.stderr
