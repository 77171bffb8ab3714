"""Scalars: every operator on every numeric type, Python's sign rules,
Numba's promotion, and division by zero."""
import itertools
import math
import random

import numpy as np
import pytest

from conftest import check

SOURCE = '''
def add(a, b): return a + b
def sub(a, b): return a - b
def mul(a, b): return a * b
def div(a, b): return a / b
def floordiv(a, b): return a // b
def mod(a, b): return a % b
def power(a, b): return a ** b
def neg(a): return -a
def pos(a): return +a
def inv(a): return ~a
def lnot(a): return not a
def band(a, b): return a & b
def bor(a, b): return a | b
def bxor(a, b): return a ^ b
def lshift(a, b): return a << b
def rshift(a, b): return a >> b
def cmp(a, b): return (a < b, a <= b, a == b, a != b, a > b, a >= b)
def chained(a, b, c): return a < b < c, a <= b > c, a == b == c
def logic(a, b): return (a > 0 and b > 0) or (a < 0 and not b < 0)
def augmented(a, b):
    x = a
    x += b
    x *= 3
    x -= a
    x //= 2
    x %= 1000
    return x
def mixed(i, f): return i + f, i * f, i / f, i - f
'''

INT = "int64"
SIGS = [f"{n}={INT}({INT},{INT})" for n in ["add", "sub", "mul", "floordiv", "mod", "band", "bor", "bxor",
                                             "lshift", "rshift", "augmented"]]
SIGS += [f"add=float64(float64,float64)", "sub=float64(float64,float64)", "mul=float64(float64,float64)",
         "floordiv=float64(float64,float64)", "mod=float64(float64,float64)",
         "add=complex128(complex128,complex128)", "sub=complex128(complex128,complex128)",
         "mul=complex128(complex128,complex128)",
         "div=float64(int64,int64)", "div=float64(float64,float64)", "div=complex128(complex128,complex128)",
         "power=int64(int64,int64)", "power=float64(float64,float64)", "power=float64(float64,int64)",
         "power=complex128(complex128,complex128)",
         "neg=int64(int64)", "neg=float64(float64)", "neg=complex128(complex128)", "pos=int64(int64)",
         "pos=float64(float64)", "inv=int64(int64)", "lnot=boolean(int64)", "lnot=boolean(float64)",
         "cmp=UniTuple(boolean,6)(int64,int64)", "cmp=UniTuple(boolean,6)(float64,float64)",
         "chained=UniTuple(boolean,3)(int64,int64,int64)", "logic=boolean(int64,int64)",
         "augmented=float64(float64,float64)", "mixed=UniTuple(float64,4)(int64,float64)"]

EDGE_INTS = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 255, -256, 2**31 - 1, -2**31, 12345678, -98765432]
EDGE_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e300, -1e-300, 5e-324, math.inf, -math.inf, math.nan,
               7.25, -7.25]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS)


def int_pairs(rng, n=200):
    pairs = list(itertools.product(EDGE_INTS[:11], repeat=2))
    pairs += [(rng.randint(-10**6, 10**6), rng.randint(-1000, 1000)) for _ in range(n)]
    return pairs


def float_pairs(rng, n=200):
    pairs = list(itertools.product(EDGE_FLOATS, repeat=2))
    pairs += [(rng.uniform(-1e3, 1e3), rng.uniform(-1e3, 1e3)) for _ in range(n)]
    return pairs


@pytest.mark.parametrize("op", ["add", "sub", "mul", "floordiv", "mod", "band", "bor", "bxor", "augmented"])
def test_int_binary(m, op):
    check(m, op, int_pairs(random.Random(op)))


def test_int_shifts(m):
    rng = random.Random(1)
    cases = [(a, b) for a in EDGE_INTS for b in [0, 1, 5, 31, 62]]
    cases += [(rng.randint(-10**6, 10**6), rng.randint(0, 40)) for _ in range(200)]
    check(m, "lshift", [(a, b) for a, b in cases if -2**63 <= a << b < 2**63])
    check(m, "rshift", cases + [(a, b) for a in EDGE_INTS for b in [63, 64, 100]])
    check(m, "lshift", [(1, -1)])  # ValueError: negative shift count


def test_int_power(m):
    cases = [(a, b) for a in range(-5, 6) for b in range(0, 12)] + [(2, 62), (-2, 63), (0, 0)]
    check(m, "power", cases)
    # Numba's rule for negative exponents (CPython would give a float).
    f = m.compiled.power
    assert (f(2, -1), f(1, -3), f(-1, -3), f(-1, -4)) == (0, 1, -1, 1)
    with pytest.raises(ZeroDivisionError):
        f(0, -1)


def test_int_division_true(m):
    check(m, "div", int_pairs(random.Random(3)))


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "floordiv", "mod", "augmented"])
def test_float_binary(m, op):
    check(m, op, float_pairs(random.Random(op)))


def test_float_power(m):
    rng = random.Random(5)
    cases = [(a, b) for a in [0.0, 1.0, -1.0, 2.0, 0.5, -2.5, math.inf, math.nan] for b in [0.0, 1.0, 2.0, -1.0, 0.5, 3.0]]
    cases += [(rng.uniform(0, 10), rng.uniform(-5, 5)) for _ in range(100)]
    check(m, "power", [c for c in cases if not (c[0] < 0 and c[1] != int(c[1]))])  # CPython: complex result
    check(m, "power", [(2.0, 10), (-1.5, 3), (0.5, -2), (0.0, -1)])
    check(m, "power", [(0.0, -1.0)])


def test_complex(m):
    rng = random.Random(6)
    values = [0j, 1 + 0j, -1j, 1 + 2j, -3.5 + 0.25j, complex(math.inf, 1), complex(1e300, 1e300)]
    values += [complex(rng.uniform(-10, 10), rng.uniform(-10, 10)) for _ in range(30)]
    pairs = [(a, b) for a in values[:12] for b in values[:12]]
    for op in ["add", "sub", "mul", "div"]:
        check(m, op, pairs)
    # Infinite bases are left out: CPython reports them through errno
    # (OverflowError, ZeroDivisionError) where pyaot, like Numba, gives inf/nan.
    finite = [v for v in values[:10] if math.isfinite(abs(v))]
    check(m, "power", [(a, b) for a in finite for b in [0j, 1 + 0j, 2 + 0j, -1 + 0j, 0.5 + 0.5j, 3 + 0j]])


def test_unary(m):
    check(m, "neg", [(x,) for x in EDGE_INTS])
    check(m, "neg", [(x,) for x in EDGE_FLOATS])
    check(m, "neg", [(1 + 2j,), (-0.0 + 0j,)])
    check(m, "pos", [(x,) for x in EDGE_INTS])
    check(m, "inv", [(x,) for x in EDGE_INTS])
    check(m, "lnot", [(x,) for x in EDGE_INTS])
    check(m, "lnot", [(x,) for x in EDGE_FLOATS])


def test_comparisons(m):
    check(m, "cmp", int_pairs(random.Random(7), 50))
    check(m, "cmp", float_pairs(random.Random(8), 50))
    check(m, "chained", [(a, b, c) for a in [-1, 0, 2] for b in [-1, 0, 2] for c in [-1, 0, 2]])
    check(m, "logic", int_pairs(random.Random(9), 50))


def test_mixed_promotion(m):
    check(m, "mixed", [(i, f) for i in [0, 3, -7] for f in [0.5, -2.0, 1e10]])


def test_int64_wraps_like_numba(m):
    big = 2**63 - 1
    assert m.compiled.add(big, 1) == -2**63
    assert m.compiled.mul(2**62, 4) == 0
    assert m.compiled.sub(-2**63, 1) == big
    assert m.compiled.neg(-2**63) == -2**63
    assert m.compiled.floordiv(-2**63, -1) == -2**63  # no hardware trap
    assert m.compiled.mod(-2**63, -1) == 0


SMALL_TYPES = '''
def add(a, b): return a + b
def mul(a, b): return a * b
def floordiv(a, b): return a // b
def mod(a, b): return a % b
def neg(a): return -a
def inv(a): return ~a
'''


@pytest.mark.parametrize("t", ["int8", "int16", "int32", "uint8", "uint16", "uint32", "uint64"])
def test_narrow_integers(compile_module, t):
    # Numba: int op int computes in (u)int64, so these agree with Python
    # for in-range inputs.
    res = "uint64" if t.startswith("u") else "int64"
    b = compile_module(SMALL_TYPES, [f"add={res}({t},{t})", f"mul={res}({t},{t})", f"floordiv={res}({t},{t})",
                                     f"mod={res}({t},{t})", f"neg={res}({t})", f"inv={res}({t})"])
    info = np.iinfo(t)
    values = [0, 1, 2, 7, int(info.max), int(info.min)] + ([-1, -7] if info.min < 0 else [])
    pairs = [(a, c) for a in values for c in values]
    if t.startswith("u"):
        check(b, "add", [(a, c) for a, c in pairs if a + c < 2**64])
        check(b, "floordiv", pairs)
        check(b, "mod", pairs)
    else:
        for op in ["add", "mul", "floordiv", "mod"]:
            check(b, op, pairs)
        check(b, "neg", [(a,) for a in values])
        check(b, "inv", [(a,) for a in values])


def test_float32_stays_float32(compile_module):
    b = compile_module("def f(a, b):\n    return a * b + a / b\n", ["float32(float32, float32)"])
    rng = np.random.default_rng(0)
    for _ in range(100):
        a, c = np.float32(rng.uniform(-10, 10)), np.float32(rng.uniform(0.1, 10))
        expected = np.float32(np.float32(a * c) + np.float32(a / c))
        assert b.compiled.f(float(a), float(c)) == float(expected)


def test_booleans(compile_module):
    src = "def f(a, b):\n    return (a and b, a or b, a == b, a & b, a | b, a ^ b, not a)\n"
    b = compile_module(src, ["UniTuple(boolean, 7)(boolean, boolean)"])
    check(b, "f", [(x, y) for x in [True, False] for y in [True, False]])
