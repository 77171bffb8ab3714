"""Whole-array expressions: operators and numpy functions on arrays, numpy's
result types (every pair of dtypes, scalars cast by value), broadcasting on
random shapes (size-0 and size-1 axes, strided, reversed and read-only
views), in-place forms, out=, and numpy's errors. Every result is compared
with the same source run by CPython with numpy: values and dtypes."""
import itertools
import warnings

import numpy as np
import pytest

from conftest import outcome, same_value

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
          "complex64", "complex128"]

BINARY_OPS = {
    "add": "a + b", "sub": "a - b", "mul": "a * b", "div": "a / b", "floordiv": "a // b", "mod": "a % b",
    "pow": "a ** b", "band": "a & b", "bor": "a | b", "bxor": "a ^ b", "lshift": "a << b", "rshift": "a >> b",
    "lt": "a < b", "eq": "a == b", "ne": "a != b", "ge": "a >= b",
    "minimum": "np.minimum(a, b)", "maximum": "np.maximum(a, b)", "arctan2": "np.arctan2(a, b)",
}

# Inexact results whose last bits depend on the library computing them.
APPROXIMATE = {"pow", "div", "arctan2"}

# numpy orders complex numbers lexicographically; pyaot refuses to (a
# compile error, tested with the diagnostics).
ORDERING = {"lt", "ge", "minimum", "maximum"}


def refused(name, x, y):
    return name in ORDERING and (x.startswith("complex") or y.startswith("complex"))


def sample(dtype, n=7, offset=0):
    """Small values of every sign, wrapped into dtype as numpy wraps them."""
    base = (np.arange(n) + offset) % 7 - 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if dtype == "bool":
            return base > 0
        if dtype.startswith("complex"):
            return (base + 1j * (base[::-1] + 0.5)).astype(dtype)
        if dtype.startswith("float"):
            return (base * 0.75).astype(dtype)
        return base.astype(dtype)


def numpy_result(expr, a, b):
    """numpy's answer, or None where numpy refuses (or computes in float16)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = eval(expr, {"np": np, "a": a, "b": b})
        except (TypeError, ValueError):
            return None
    return None if r.dtype == np.float16 else r


def close(e, g, rel):
    if e.dtype != g.dtype or e.shape != g.shape:
        return False
    if rel and e.dtype.kind in "fc":
        return np.allclose(e, g, rtol=rel, atol=0, equal_nan=True)
    return np.array_equal(e, g, equal_nan=e.dtype.kind in "fc")


@pytest.fixture(scope="module")
def binary_module(compile_module):
    """One function per operator, with an overload for every pair of dtypes
    numpy has a loop for."""
    source = "import numpy as np\n" + "".join(f"def {name}(a, b):\n    return {expr}\n\n"
                                               for name, expr in BINARY_OPS.items())
    sigs = []
    for name, expr in BINARY_OPS.items():
        for x, y in itertools.product(DTYPES, DTYPES):
            if numpy_result(expr, sample(x), sample(y, offset=2)) is not None and not refused(name, x, y):
                sigs.append(f"{name}=({x}[:], {y}[:])")
    return compile_module(source, sigs, ["-O0"])


@pytest.mark.parametrize("name", list(BINARY_OPS))
def test_every_pair_of_dtypes(binary_module, name):
    expr = BINARY_OPS[name]
    f = getattr(binary_module.compiled, name)
    failures = []
    for x, y in itertools.product(DTYPES, DTYPES):
        a, b = sample(x), sample(y, offset=2)
        expected = numpy_result(expr, a, b)
        if expected is None or refused(name, x, y):
            continue
        got = outcome(f, (a, b))
        rel = 1e-5 if name in APPROXIMATE or (x.startswith("complex") or y.startswith("complex")) else 0
        if rel and expected.dtype in (np.float64, np.complex128) and name != "pow":
            rel = 1e-14
        if got[0] != "value" or not close(expected, got[1], rel):
            failures.append(f"{x} {expr} {y}: numpy {expected!r}, pyaot {got!r}")
    assert not failures, "\n".join(failures[:10]) + f"\n({len(failures)} failed)"


SCALAR_CONSTANTS = ["True", "1", "-1", "100", "200", "1000", "-200", "70000", "2**40", "0.5", "2.5", "1e10", "1e40",
                    "1j"]


@pytest.fixture(scope="module")
def scalar_module(compile_module):
    """a + C and C * a for constants C: numpy 1.x casts them by value."""
    source = "".join(f"def add_{i}(a):\n    return a + {c}\n\ndef rmul_{i}(a):\n    return {c} * a\n\n"
                     for i, c in enumerate(SCALAR_CONSTANTS))
    source += "def var_add(a, s):\n    return a + s\n\ndef var_mul(a, s):\n    return a * s\n"
    sigs = []
    for i, c in enumerate(SCALAR_CONSTANTS):
        for d in DTYPES:
            for fname, expr in ((f"add_{i}", f"a + {c}"), (f"rmul_{i}", f"{c} * a")):
                if numpy_result(expr, sample(d), None) is not None:
                    sigs.append(f"{fname}=({d}[:])")
    for d in DTYPES:
        for s in ("int64", "float64", "complex128", "bool"):
            sigs += [f"var_add=({d}[:], {s})", f"var_mul=({d}[:], {s})"]
    return compile_module(source, sigs, ["-O0"])


def test_constants_cast_by_value(scalar_module):
    failures = []
    for i, c in enumerate(SCALAR_CONSTANTS):
        for d in DTYPES:
            for fname, expr in ((f"add_{i}", f"a + {c}"), (f"rmul_{i}", f"{c} * a")):
                a = sample(d)
                expected = numpy_result(expr, a, None)
                if expected is None:
                    continue
                got = outcome(getattr(scalar_module.compiled, fname), (a,))
                if got[0] != "value" or not close(expected, got[1], 0):
                    failures.append(f"{expr} with a {d}: numpy {expected.dtype} {expected!r}, pyaot {got!r}")
    assert not failures, "\n".join(failures[:10]) + f"\n({len(failures)} failed)"


def test_variables_cast_as_small_values(scalar_module):
    # A number known only at run time takes no part in the result type beyond
    # its kind: what numpy 1.x gives for a value that fits the array's type.
    failures = []
    for d in DTYPES:
        for value in (True, 3, 2.5, 1.5 - 2j):
            for fname, expr in (("var_add", "a + s"), ("var_mul", "a * s")):
                a = sample(d)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    expected = eval(expr, {"a": a, "s": value})
                got = outcome(getattr(scalar_module.compiled, fname), (a, value))
                if got[0] != "value" or not close(expected, got[1], 0):
                    failures.append(f"{expr} with a {d}, s={value!r}: numpy {expected!r}, pyaot {got!r}")
    assert not failures, "\n".join(failures[:10]) + f"\n({len(failures)} failed)"


# ---- broadcasting -----------------------------------------------------------------

BROADCAST_SOURCE = '''
import numpy as np

def combine(a, b, c):
    return a * b - c / 2.0

def where_max(a, b):
    return np.where(a > b, a, b - 1.0)

def hypot_sum(a, b):
    return np.sqrt(a * a + b * b) + np.abs(a - b)

def outer_diff(x, y):
    return x[:, None] - y[None, :]

def with_scalar(a, s):
    return (a + s) * (s - a)
'''

BROADCAST_SIGS = [
    "combine=float64[:, :](float64[:, :], float64[:], float64[:, :])",
    "combine=float64[:, :](float64[:], float64[:, :], float64)",
    "combine=float64[:, :, :](float64[:, :, :], float64[:, :], float64[:])",
    "where_max=float64[:, :](float64[:, :], float64[:, :])",
    "where_max=float64[:, :](float64[:], float64[:, :])",
    "hypot_sum=float64[:, :](float64[:, :], float64[:, :])",
    "outer_diff=float64[:, :](float64[:], float64[:])",
    "with_scalar=float64[:, :](float64[:, :], float64)",
]


@pytest.fixture(scope="module")
def broadcast_module(compile_module):
    return compile_module(BROADCAST_SOURCE, BROADCAST_SIGS)


def layouts(rng, shape):
    """The same values as several layouts: contiguous, strided, reversed,
    transposed, read-only."""
    values = rng.standard_normal(shape)
    out = [values.copy()]
    big = np.zeros(tuple(2 * s for s in shape))
    view = big[tuple(slice(None, None, 2) for _ in shape)]
    view[...] = values
    out.append(view)
    out.append(np.ascontiguousarray(values[tuple(slice(None, None, -1) for _ in shape)])
               [tuple(slice(None, None, -1) for _ in shape)])
    if len(shape) == 2:
        out.append(np.ascontiguousarray(values.T).T)
    frozen = values.copy()
    frozen.setflags(write=False)
    out.append(frozen)
    return out


def broadcastable_shapes(rng, ndims):
    """Random shapes of the given ranks that broadcast together, with axes of
    length 0 and 1 among them."""
    nd = max(ndims)
    full = [int(rng.choice([0, 1, 2, 3, 5])) for _ in range(nd)]
    shapes = []
    for k in ndims:
        tail = full[nd - k:]
        shapes.append(tuple(1 if rng.random() < 0.3 else d for d in tail))
    return shapes


def compare(f, r, args):
    expected, got = outcome(r, args), outcome(f, args)
    if expected[0] != got[0]:
        return False
    if expected[0] != "value":
        return expected[1] == got[1]
    return same_value(expected[1], got[1], 1e-15)


@pytest.mark.parametrize("name, ranks", [("combine", (2, 1, 2)), ("combine", (1, 2, 0)), ("combine", (3, 2, 1)),
                                         ("where_max", (2, 2)), ("where_max", (1, 2)), ("hypot_sum", (2, 2))])
def test_broadcasting_random_shapes(broadcast_module, name, ranks):
    rng = np.random.default_rng(sum(ranks) * 7 + len(name))
    f, r = getattr(broadcast_module.compiled, name), getattr(broadcast_module.reference, name)
    failures = 0
    cases = 0
    for _ in range(40):
        shapes = broadcastable_shapes(rng, [k for k in ranks if k])
        choices = [layouts(rng, s) for s in shapes]
        for pick in range(5):
            args, k = [], 0
            for rank in ranks:
                if rank == 0:
                    args.append(float(rng.standard_normal()))
                    continue
                options = choices[k]
                args.append(options[pick % len(options)])
                k += 1
            cases += 1
            if not compare(f, r, tuple(args)):
                failures += 1
    assert failures == 0, f"{failures} of {cases} cases differ"


def test_shapes_that_do_not_broadcast(broadcast_module):
    f, r = broadcast_module.compiled, broadcast_module.reference
    cases = [
        ("combine", (np.ones((2, 3)), np.ones(4), np.ones((2, 3)))),
        ("combine", (np.ones((2, 3)), np.ones(3), np.ones((3, 3)))),
        ("combine", (np.ones((0, 3)), np.ones(2), np.ones((0, 3)))),
        ("where_max", (np.ones((2, 3)), np.ones((3, 2)))),
        ("hypot_sum", (np.ones((2, 1)), np.ones((3, 2)))),
    ]
    for name, args in cases:
        expected, got = outcome(getattr(r, name), args), outcome(getattr(f, name), args)
        assert expected[0] == "ValueError" and got == expected, (name, expected, got)


def test_outer_and_scalar_forms(broadcast_module):
    rng = np.random.default_rng(3)
    for n, m in ((0, 3), (1, 1), (4, 7), (13, 2)):
        x, y = rng.standard_normal(n), rng.standard_normal(m)
        assert compare(broadcast_module.compiled.outer_diff, broadcast_module.reference.outer_diff, (x, y))
        assert compare(broadcast_module.compiled.outer_diff, broadcast_module.reference.outer_diff, (x[::-1], y[::2]))
    for s in (0.0, -2.5, float("nan")):
        a = rng.standard_normal((3, 4))
        assert compare(broadcast_module.compiled.with_scalar, broadcast_module.reference.with_scalar, (a, s))


# ---- numpy functions ------------------------------------------------------------

UNARY_FUNCTIONS = ["sqrt", "exp", "log", "log10", "log2", "log1p", "expm1", "sin", "cos", "tan", "arcsin", "arccos",
                   "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "fabs", "floor", "ceil", "trunc",
                   "rint", "sign", "abs", "absolute", "isnan", "isinf", "isfinite", "deg2rad", "rad2deg", "degrees",
                   "radians", "negative", "square", "conj", "logical_not"]


@pytest.fixture(scope="module")
def function_module(compile_module):
    source = "import numpy as np\n" + "".join(f"def f_{fn}(a):\n    return np.{fn}(a)\n\n"
                                               for fn in UNARY_FUNCTIONS)
    source += '''
def into(a, out):
    np.sqrt(a, out=out)
    return out

def add_into(a, b, out):
    return np.add(a, b, out=out)

def clip(a, lo, hi):
    return np.clip(a, lo, hi)

def clip_const(a):
    return np.clip(a, -2, 300)

def where3(c, a, b):
    return np.where(c, a, b)

def parts(z):
    return np.real(z) + np.imag(z), z.real * 2.0, np.conj(z)

def logic(a, b):
    return np.logical_and(a > 0, b > 0) | np.logical_xor(a > 1, b < 1), ~(a > b)

def power_fn(a, b):
    return np.power(a, b), np.hypot(a, b), np.copysign(a, b)
'''
    sigs = []
    for fn in UNARY_FUNCTIONS:
        for d in ("float32", "float64", "int16", "int64"):
            a = sample(d)
            if numpy_result(f"np.{fn}(a)", a, None) is not None and not (
                    fn in ("sqrt", "exp", "log", "sin") and d.startswith("complex")):
                sigs.append(f"f_{fn}=({d}[:])")
    sigs += ["f_abs=(complex128[:])", "f_conj=(complex64[:])", "f_isnan=(complex128[:])", "f_square=(complex128[:])",
             "into=(float64[:], float64[:])", "into=(float32[:, :], float64[:, :])",
             "add_into=(int32[:], int32[:], int64[:])", "add_into=(float64[:, :], float64[:], float64[:, :])",
             "clip=(float64[:], float64, float64)", "clip=(int8[:], int64, int64)", "clip=(int64[:], float64, float64)",
             "clip_const=(int8[:])", "clip_const=(float32[:])",
             "where3=(bool[:], float64[:], int64)", "where3=(float64[:, :], int32[:], float32[:])",
             "parts=(complex128[:, :])", "parts=(float64[:])",
             "logic=(float64[:], int64[:])", "power_fn=(float64[:], float64[:])", "power_fn=(float32[:], float32)"]
    return compile_module(source, sigs)


def test_unary_functions(function_module):
    failures = []
    values = {
        "float32": np.array([-2.5, -1.0, -0.5, 0.0, 0.3, 1.0, 2.5, np.inf, -np.inf, np.nan], np.float32),
        "float64": np.array([-2.5, -1.0, -0.5, -0.0, 0.3, 0.5, 1.0, 2.5, 1e300, np.inf, np.nan]),
        "int16": np.array([-300, -2, -1, 0, 1, 2, 7, 32767], np.int16),
        "int64": np.array([-(2**40), -3, -1, 0, 1, 3, 2**40]),
        "complex128": np.array([1 + 2j, -0.5j, np.nan + 1j, 3.0]),
        "complex64": np.array([1 + 2j, -0.5j, 3.0], np.complex64),
    }
    for fn in UNARY_FUNCTIONS:
        f = getattr(function_module.compiled, f"f_{fn}")
        for d, a in values.items():
            expected = numpy_result(f"np.{fn}(a)", a, None)
            if expected is None:
                continue
            got = outcome(f, (a,))
            if got[0] == "TypeError" and "no compiled signature accepts" in got[1]:
                continue  # compiled for other dtypes
            rel = 2e-16 * 8 if expected.dtype.kind in "fc" else 0
            if expected.dtype in (np.float32, np.complex64):
                rel = 1e-6
            if got[0] != "value" or not close(expected, got[1], rel):
                failures.append(f"np.{fn} of {d}: numpy {expected!r}, pyaot {got!r}")
    assert not failures, "\n".join(failures[:10]) + f"\n({len(failures)} failed)"


def test_out_argument(function_module):
    c, r = function_module.compiled, function_module.reference
    rng = np.random.default_rng(5)
    a = np.abs(rng.standard_normal(6))
    for f, args in ((c.into, (a, np.empty(6))), (c.into, (a.astype(np.float32).reshape(2, 3), np.empty((2, 3))))):
        out = args[1]
        result = f(*args)
        assert result is out or np.shares_memory(result, out)
        assert same_value(np.sqrt(args[0]).astype(out.dtype), out)
    out = np.zeros(4, np.int64)
    c.add_into(np.arange(4, dtype=np.int32), np.arange(4, dtype=np.int32), out)
    assert list(out) == [0, 2, 4, 6]
    m = np.zeros((2, 3))
    c.add_into(np.ones((2, 3)), np.arange(3.0), m)
    assert same_value(m, np.ones((2, 3)) + np.arange(3.0))
    for args in ((a, np.empty(5)), (a, np.empty(1))):
        assert outcome(c.into, args) == outcome(r.into, args)


def test_where_clip_parts_logic(function_module):
    c, r = function_module.compiled, function_module.reference
    rng = np.random.default_rng(11)
    cases = {
        "clip": [(rng.standard_normal(9), -0.5, 0.5), (np.arange(-5, 5, dtype=np.int8), -2, 100),
                 (np.arange(-5, 5), 0.5, 2.5), (np.array([np.nan, 1.0]), 0.0, 0.5)],
        "where3": [(rng.random(5) > 0.5, rng.standard_normal(5), 7),
                   (rng.standard_normal((3, 4)), np.arange(4, dtype=np.int32), np.ones(4, np.float32))],
        "parts": [(rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3)),), (rng.standard_normal(4),)],
        "clip_const": [(np.arange(-5, 5, dtype=np.int8),), (rng.standard_normal(4).astype(np.float32),)],
        "logic": [(rng.standard_normal(8), np.arange(-4, 4))],
        "power_fn": [(np.abs(rng.standard_normal(5)), rng.standard_normal(5)),
                     (np.abs(rng.standard_normal(5)).astype(np.float32), np.float32(1.5))],
    }
    for name, argss in cases.items():
        for args in argss:
            expected, got = outcome(getattr(r, name), args), outcome(getattr(c, name), args)
            assert expected[0] == got[0] == "value", (name, expected, got)
            assert same_value(expected[1], got[1], 1e-6 if name == "power_fn" else 0), (name, args, expected, got)


# ---- in place ----------------------------------------------------------------------

INPLACE_SOURCE = '''
import numpy as np

def add_to(a, b):
    a += b
    return a

def scale_rows(m):
    m[1:-1, :] *= 2
    return m

def sub_every_other(a, b):
    a[::2] -= b
    return a

def shift_add(a):
    a[1:] += a[:-1]
    return a

def mixed(a, b):
    a *= b
    a -= 1
    return a

def rebind(s, a):
    s += a
    return s

def chain(a, b):
    t = a * 2
    a += b
    return t + a

def float_into_int8(a, b):
    a += b
    return a
'''


@pytest.fixture(scope="module")
def inplace_module(compile_module):
    sigs = ["add_to=float64[:, :](float64[:, :], float64[:])", "add_to=int8[:](int8[:], int64[:])",
            "scale_rows=(float64[:, :])", "sub_every_other=(int64[:], int64[:])", "shift_add=(int64[:])",
            "mixed=(float32[:], float64[:])", "rebind=(float64, float64[:])", "chain=(float64[:], float64[:])",
            "float_into_int8=(float32[:], int64[:])"]
    return compile_module(INPLACE_SOURCE, sigs)


def test_in_place(inplace_module):
    c, r = inplace_module.compiled, inplace_module.reference
    cases = [
        ("add_to", lambda g: (g.standard_normal((3, 4)), g.standard_normal(4))),
        ("add_to", lambda g: (np.arange(-3, 3, dtype=np.int8) * 40, np.arange(6) * 100)),
        ("add_to", lambda g: (np.zeros((2, 3)), np.ones(4))),
        ("add_to", lambda g: (np.zeros(3, np.int8), np.ones(1, np.int64))),
        ("scale_rows", lambda g: (g.standard_normal((4, 3)),)),
        ("scale_rows", lambda g: (g.standard_normal((5, 6))[::-1, ::2],)),
        ("sub_every_other", lambda g: (np.arange(7), np.arange(4) * 10)),
        ("sub_every_other", lambda g: (np.arange(7), np.arange(3))),
        ("shift_add", lambda g: (np.arange(8),)),
        ("mixed", lambda g: (g.standard_normal(5).astype(np.float32), g.standard_normal(5))),
        ("rebind", lambda g: (1.5, g.standard_normal(3))),
        ("chain", lambda g: (g.standard_normal(5), g.standard_normal(5))),
        ("float_into_int8", lambda g: (np.ones(3, np.float32), np.array([2**40, 3, -1]))),
    ]
    for k, (name, make) in enumerate(cases):
        # The same values twice, in memory of their own, layouts kept.
        args_r, args_c = make(np.random.default_rng(k)), make(np.random.default_rng(k))
        expected, got = outcome(getattr(r, name), args_r), outcome(getattr(c, name), args_c)
        assert expected[0] == got[0], (name, expected, got)
        if expected[0] != "value":
            assert expected[1] == got[1], (name, expected, got)
            continue
        assert same_value(expected[1], got[1]), (name, expected, got)
        for x, y in zip(args_r, args_c):
            if isinstance(x, np.ndarray):
                assert same_value(x, y), (name, x, y)


def test_in_place_writes_views_and_returns_them(inplace_module):
    m = np.arange(12.0).reshape(4, 3)
    v = m[::-1]
    out = inplace_module.compiled.scale_rows(v)
    assert np.shares_memory(out, m)
    expected = np.arange(12.0).reshape(4, 3)[::-1].copy()
    expected[1:-1] *= 2
    assert np.array_equal(v, expected)
    a = np.arange(6.0).reshape(2, 3)
    assert np.shares_memory(inplace_module.compiled.add_to(a, np.ones(3)), a)
    assert np.array_equal(a, np.arange(6.0).reshape(2, 3) + 1)
