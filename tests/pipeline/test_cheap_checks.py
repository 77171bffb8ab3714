"""Python's checks kept, made cheap: int() of a float through x86's truncating
conversion (one compare), C's bounds check first with negative indices on a
slow path, range items known to lie between start and stop, abs() of a
complex through hypot alone, and a variant for array arguments of equal
shapes, whose bounds checks fold together. Each is compared with CPython at
its edges, the variant on both sides of its dispatch."""
import math

import numpy as np
import pytest

from conftest import check

SOURCE = '''
import math
import numpy as np

def to_int(x):
    return int(x)

def rounded(x):
    return math.floor(x), math.ceil(x), math.trunc(x), round(x)

def histogram(data, lo, hi, nbins):
    counts = np.zeros(nbins, np.int64)
    scale = nbins / (hi - lo)
    for i in range(len(data)):
        x = data[i]
        if x >= lo and x < hi:
            b = int((x - lo) * scale)
            if b >= nbins:
                b = nbins - 1
            counts[b] += 1
    return counts

def pick(a, i):
    return a[i]

def pick2(m, i, j):
    return m[i, j]

def bump(a, i):
    a[i] += 1.0
    return a[i]

def walk_range(a, start, stop, step):
    s = 0.0
    k = 0
    for i in range(start, stop, step):
        s += a[i] * k
        k += 1
    return s, k

def first_items(a, n):
    s = 0.0
    for i in range(n):
        s += a[i]
    return s

def window(m, r):
    h, w = m.shape
    out = np.zeros((h, w))
    for i in range(h):
        for j in range(w):
            for ii in range(max(0, i - r), min(h, i + r + 1)):
                for jj in range(max(0, j - r), min(w, j + r + 1)):
                    out[i, j] += m[ii, jj]
    return out

def escape(z, c, limit):
    n = 0
    while n < limit and abs(z) < 2.0:
        z = z * z + c
        n += 1
    return n

def magnitude(z):
    return abs(z)

def blend(a, b, out, w):
    n, m = a.shape
    for i in range(n):
        for j in range(m):
            out[i, j] = a[i, j] * w + b[i, j] * (1.0 - w)
    return n * m

def ranks(v, a, u, b):
    s = 0.0
    for i in range(len(v)):
        s += v[i] * u[i]
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] - b[i, j]
    return s
'''

SIGS = ["to_int=int64(float64)", "to_int=int64(float32)",
        "rounded=UniTuple(int64, 4)(float64)",
        "histogram=int64[:](float64[:], float64, float64, int64)",
        "pick=float64(float64[:], int64)", "pick2=float64(float64[:, :], int64, int64)",
        "bump=float64(float64[:], int64)",
        "walk_range=Tuple((float64, int64))(float64[:], int64, int64, int64)",
        "first_items=float64(float64[:], int64)",
        "window=float64[:, :](float64[:, :], int64)",
        "escape=int64(complex128, complex128, int64)",
        "magnitude=float64(complex128)",
        "blend=int64(float64[:, :], float64[:, :], float64[:, :], float64)",
        "ranks=float64(float64[:], float64[:, :], float64[:], float64[:, :])"]

INT64_EDGE = 2.0 ** 63


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS)


FLOAT_EDGES = [0.0, -0.0, 0.5, -0.5, 0.999, -0.999, 1.5, -2.5, 1e18, -1e18,
               INT64_EDGE, -INT64_EDGE, math.nextafter(INT64_EDGE, 0), -math.nextafter(INT64_EDGE, 0),
               math.nextafter(-INT64_EDGE, -math.inf), 1e19, -1e19, 1e300, -1e300, 5e-324,
               math.inf, -math.inf, math.nan, -math.nan]


def int64_of(x):
    """int(x) as compiled code gives it: CPython's, or OverflowError past int64."""
    try:
        v = int(x)
    except (ValueError, OverflowError) as e:
        return (type(e).__name__, str(e))
    if not -2**63 <= v < 2**63:
        return ("OverflowError", "float out of range for int64")
    return ("value", v)


def outcome(f, x):
    try:
        return ("value", f(x))
    except (ValueError, OverflowError) as e:
        return (type(e).__name__, str(e))


def test_int_of_float_at_the_int64_edges(m):
    # -2**63 itself converts; 2**63 and anything below -2**63 overflow.
    for x in FLOAT_EDGES:
        assert outcome(m.compiled.to_int, x) == int64_of(x), x
    check(m, "rounded", [(x,) for x in FLOAT_EDGES if abs(x) < 1e18 or not math.isfinite(x)])


def test_int_of_float32(m):
    for x in (0.5, -1.5, 3e9, -3e9, 9.2233715e18, -9.223372e18, 1e20, -1e20, math.inf, -math.inf, math.nan):
        x = np.float32(x)
        assert outcome(m.compiled.to_int, x) == int64_of(x), x


def test_histogram_like_kernel(m):
    rng = np.random.default_rng(9)
    data = rng.normal(0.5, 0.3, 2000)
    data[::97] = np.nan
    data[5] = np.inf
    cases = [(data, 0.0, 1.0, 10), (data, -1.0, 2.0, 1), (data, 0.25, 0.75, 7),
             (np.array([0.0, 0.999999, 1.0]), 0.0, 1.0, 3), (np.zeros(0), 0.0, 1.0, 4),
             (data, 0.0, 1.0, 0), (data, 0.0, 1.0, -2),
             # a negative bin count: the scale is negative, and int() gives
             # negative bins, which Python wraps from the end
             (np.array([0.1, 0.5, 0.9]), 0.0, 1.0, -3),
             (np.array([0.5]), 0.0, 1e-310, 3), (np.array([1e-300]), 0.0, 1e-300 * 2, 2**62)]
    check(m, "histogram", [c for c in cases if not (c[3] == 2**62)])


def test_negative_indices_take_the_slow_path(m):
    a = np.arange(5.0)
    check(m, "pick", [(a, i) for i in range(-7, 7)] + [(a, -2**63), (a, 2**63 - 1), (np.zeros(0), -1)])
    g = np.arange(12.0).reshape(3, 4)
    check(m, "pick2", [(g, i, j) for i in range(-4, 4) for j in range(-5, 5)])
    check(m, "pick2", [(g.T, i, j) for i in (-4, -1, 3) for j in (-3, 0, 2)])
    check(m, "bump", [(a, i) for i in (-5, -1, 0, 4, 5, -6)])


def test_range_items_lie_between_start_and_stop(m):
    a = np.arange(10.0) * 1.5
    cases = [(a, start, stop, step) for start in (-10, -3, 0, 2, 9, 10) for stop in (-11, -1, 0, 5, 10, 12)
             for step in (-3, -1, 1, 2, 7)]
    check(m, "walk_range", cases)
    check(m, "first_items", [(a, n) for n in (0, 1, 9, 10, 11)])
    g = np.arange(30.0).reshape(5, 6)
    check(m, "window", [(g, r) for r in (0, 1, 2, 7)] + [(np.zeros((0, 3)), 1), (g[::2, ::-1], 1)])


def test_range_items_near_the_int64_limits(m):
    # Indices that overflow nothing in CPython: all out of bounds, first one reported.
    a = np.zeros(3)
    check(m, "walk_range", [(a, 2**63 - 3, 2**63 - 1, 1), (a, -2**63, -2**63 + 2, 1),
                            (a, 2**63 - 1, 2**63 - 5, -2)])


def test_abs_of_complex(m):
    nan, inf = math.nan, math.inf
    values = [0j, 3 + 4j, -3 - 4j, complex(1e-320, 1e-320), complex(1e300, 1e300), complex(inf, nan),
              complex(nan, -inf), complex(nan, 1.0), complex(-nan, 1.0), complex(1.0, -nan), complex(-inf, 0)]
    got = [m.compiled.magnitude(z) for z in values[:4] + values[5:]]
    expected = [abs(z) for z in values[:4] + values[5:]]
    for g, e in zip(got, expected):
        # NaN results are CPython's own NaN, sign included.
        assert (g == e or (math.isnan(g) and math.isnan(e))) and math.copysign(1, g) == math.copysign(1, e), (g, e)
    check(m, "escape", [(z, c, 50) for z in (0j, 0.3 + 0.5j, 1.9 + 0.1j, complex(nan, 0), complex(0, inf))
                        for c in (-0.8 + 0.156j, 0.285 + 0.01j, 2.0 + 0j)])


def test_variant_for_equal_shapes_and_its_fallback(m):
    rng = np.random.default_rng(11)
    a, b = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    cases = [(a, b, np.zeros((4, 5)), 0.25),            # equal shapes: the variant
             (a, rng.standard_normal((4, 7)), np.zeros((4, 5)), 0.5),  # b wider: same results
             (a, rng.standard_normal((3, 5)), np.zeros((4, 5)), 0.5),  # b shorter: IndexError, axis 0
             (a, rng.standard_normal((4, 4)), np.zeros((4, 5)), 0.5),  # b narrower: IndexError, axis 1
             (a, b, np.zeros((4, 4)), 0.5),              # out narrower: IndexError after some stores
             (a, b, np.zeros((5, 5)), 1.0),
             (a[:, ::2], b[:, ::2], np.zeros((4, 3)), 0.5),  # strided: the general code
             (np.zeros((0, 5)), np.zeros((0, 5)), np.zeros((0, 5)), 0.5),
             (a.T.copy(), b.T.copy(), np.zeros((5, 4)), 2.0)]
    check(m, "blend", cases)
    v, u = rng.standard_normal(6), rng.standard_normal(6)
    check(m, "ranks", [(v, a, u, b), (v, a, u[:4], b), (v[:4], a, u, b), (v, a, u, b[:, :3]),
                       (v, a, u, rng.standard_normal((4, 6))), (v[::2], a, u[::2], b)])
