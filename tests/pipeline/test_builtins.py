"""Builtins, the math module and numpy's scalar functions."""
import math
import random

import numpy as np
import pytest

from conftest import check

SOURCE = '''
import math
import numpy as np

def builtins_int(a, b):
    return abs(a), min(a, b), max(a, b), max(a, b, 3), int(a), float(a), bool(a), round(a), divmod(a, b), pow(a, 2)

def builtins_float(x, y):
    return abs(x), min(x, y), max(x, y), float(x), bool(x), round(x, 2), complex(x, y), pow(x, y)

def rounding(x):
    return round(x), int(x), math.floor(x), math.ceil(x), math.trunc(x)

def unary_math(x):
    return (math.sqrt(x), math.exp(x), math.log(x), math.log10(x), math.log1p(x), math.expm1(x),
            math.sin(x), math.cos(x), math.tan(x), math.atan(x), math.sinh(x), math.cosh(x),
            math.tanh(x), math.fabs(x), math.asin(x), math.acos(x))

def binary_math(x, y):
    return math.atan2(x, y), math.hypot(x, y), math.copysign(x, y), math.pow(x, y)

def predicates(x):
    return math.isnan(x), math.isinf(x), math.isfinite(x)

def constants():
    return math.pi, math.e, math.inf, np.pi, math.tau

def nan_constant():
    return math.nan

def numpy_scalar(x, y):
    return np.sqrt(x), np.exp(x), np.cos(x), np.sin(y), np.arctan2(x, y), np.log(x), np.abs(y), np.floor(y)

def reductions(a):
    return min(a), max(a), len(a)

def complex_parts(z):
    return z.real, z.imag, abs(z), z.conjugate()
'''

SIGS = ["builtins_int=Tuple((int64, int64, int64, int64, int64, float64, boolean, int64, UniTuple(int64, 2), int64))(int64, int64)",
        "builtins_float=Tuple((float64, float64, float64, float64, boolean, float64, complex128, float64))(float64, float64)",
        "rounding=UniTuple(int64, 5)(float64)", "unary_math=UniTuple(float64, 16)(float64)",
        "binary_math=UniTuple(float64, 4)(float64, float64)", "predicates=UniTuple(boolean, 3)(float64)",
        "constants=UniTuple(float64, 5)()", "nan_constant=float64()",
        "numpy_scalar=UniTuple(float64, 8)(float64, float64)", "reductions=Tuple((float64, float64, int64))(float64[:])",
        "complex_parts=Tuple((float64, float64, float64, complex128))(complex128)"]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS)


def test_int_builtins(m):
    rng = random.Random(1)
    cases = [(a, b) for a in [0, 1, -1, 5, -5, 2**30] for b in [1, -1, 3, -7, 2**20]]
    cases += [(rng.randint(-10**6, 10**6), rng.choice([1, -1]) * rng.randint(1, 1000)) for _ in range(100)]
    check(m, "builtins_int", cases)
    check(m, "builtins_int", [(3, 0)])  # divmod by zero


def test_float_builtins(m):
    rng = random.Random(2)
    cases = [(x, y) for x in [0.0, -0.0, 1.5, -2.5, 2.675, 0.125, 1e300] for y in [1.0, -3.25, 0.5, 2.0]]
    cases += [(rng.uniform(0, 100), rng.uniform(-3, 3)) for _ in range(100)]
    # CPython's float ** gives a complex for a negative base and a fractional
    # exponent, and OverflowError past the float range; compiled code gives
    # float64 nan / inf (Numba).
    cases = [(x, y) for x, y in cases if not (x < 0 and y != int(y)) and abs(x) < 1e100]
    check(m, "builtins_float", cases)


def test_rounding(m):
    values = [0.5, 1.5, 2.5, -0.5, -1.5, 2.675, -7.3, 7.3, 1e15 + 0.5, -0.0, 123456.789]
    check(m, "rounding", [(x,) for x in values])
    check(m, "rounding", [(math.nan,)])  # ValueError
    check(m, "rounding", [(math.inf,)])  # OverflowError
    with pytest.raises(OverflowError):  # past int64, where CPython's int grows
        m.compiled.rounding(1e19)


def test_math_functions(m):
    rng = random.Random(3)
    xs = [0.1, 0.5, 0.9, 0.25, 0.75] + [rng.uniform(0.01, 0.99) for _ in range(50)]
    # libm may differ from CPython's in the last bit for some functions.
    check(m, "unary_math", [(x,) for x in xs], rel=1e-14)
    pairs = [(x, y) for x in [0.0, -0.0, 1.0, -2.0, 3.5] for y in [0.0, -0.0, 1.0, -1.5, 2.0]]
    check(m, "binary_math", [p for p in pairs if not (p[0] == 0 and p[1] < 0) and not (p[0] < 0 and p[1] != int(p[1]))],
          rel=1e-15)
    check(m, "predicates", [(x,) for x in [0.0, 1.0, math.inf, -math.inf, math.nan]])
    check(m, "constants", [()])
    assert math.isnan(m.compiled.nan_constant())


def test_math_domain_follows_numba(m):
    # Outside the domain compiled code gives NaN (Numba), where CPython raises.
    values = m.compiled.unary_math(-2.0)
    assert all(math.isnan(values[i]) for i in (0, 2, 3, 4, 14, 15))  # sqrt log log10 log1p asin acos


def test_numpy_scalar_functions(m):
    check(m, "numpy_scalar", [(x, y) for x in [0.25, 1.0, 4.0, 9.5] for y in [-2.5, 0.0, 3.0]], rel=1e-15)


def test_reductions(m):
    rng = np.random.default_rng(4)
    arrays = [np.array([3.0]), rng.standard_normal(20), rng.standard_normal(21)[::2], np.array([1.0, np.nan, 0.0]),
              np.array([np.nan, 1.0])]
    check(m, "reductions", [(a,) for a in arrays])
    check(m, "reductions", [(np.zeros(0),)])  # ValueError: empty sequence


def test_complex_parts(m):
    check(m, "complex_parts", [(z,) for z in [0j, 1 + 2j, -3.5 - 0.5j, complex(math.inf, 1), complex(3, 4)]])
