"""numpy's functions from pyaot's library (lib/numpy_impl.py): each compared
with numpy on random inputs of several dtypes and layouts, empty and size-1
axes, every axis (negative ones too) and keepdims; float results equal
numpy's to the last bit where numpy's order is followed, and numpy's errors
where it raises."""
import numpy as np
import pytest

from conftest import outcome, same_value

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SOURCE = '''
import numpy as np

def sums(a):
    return np.sum(a, axis=0), a.sum(axis=1), np.sum(a, axis=-1, keepdims=True), a.sum(), a.sum(keepdims=True)

def prods(a):
    return np.prod(a, axis=0), a.prod(axis=-1, keepdims=True)

def means(a):
    return np.mean(a, axis=0), a.mean(axis=1), np.mean(a, axis=-2, keepdims=True)

def extremes(a):
    return np.max(a, axis=0), a.min(axis=1), np.amax(a, axis=-1, keepdims=True), np.ptp(a, axis=0)

def places(a):
    return np.argmax(a), a.argmin(), np.argmax(a, axis=0), a.argmin(axis=1)

def truths(a):
    return np.any(a > 0.5), a.all(), np.any(a > 0.9, axis=0), np.all(a > 0.1, axis=1), np.count_nonzero(a > 0.5)

def spreads(a):
    return np.var(a), a.std(), np.var(a, axis=0), a.std(axis=1, ddof=1)

def running(a):
    return np.cumsum(a), a.cumprod(), np.cumsum(a, axis=0), np.cumprod(a, axis=1), np.diff(a), np.diff(a, 2, 0)

def cube(c):
    return c.sum(axis=1), np.max(c, axis=2), np.cumsum(c, axis=1), np.argmax(c, axis=0)

def vector(v):
    return np.sort(v), np.argsort(v), np.cumsum(v), np.diff(v, 2), np.argmax(v), np.flip(v), v.max()

def products(a, b, v):
    return np.dot(a, b), a @ b, np.dot(a, v), v @ b, np.dot(v, v), np.outer(v, v), np.trace(a @ b), np.vdot(v, v)

def builds(n, v):
    return np.eye(n), np.eye(n, n + 1, 1), np.identity(n), np.diag(v), np.diag(np.diag(v), 1)

def joins(a, b):
    return np.concatenate((a, b)), np.concatenate((a, b), axis=1), np.stack((a, b)), np.stack((a, b), axis=2), \\
        np.vstack((a, b)), np.hstack((a, b))

def sort_rows(a):
    return np.sort(a), np.argsort(a, axis=-1)

def search(a, x):
    return np.searchsorted(a, x), np.searchsorted(a, x, side="right")

def bad_axis(a, k):
    return np.sum(a, axis=k)
'''

SIGS = ["sums=(float64[:, :])", "sums=(int32[:, :])", "sums=(bool[:, :])", "prods=(float64[:, :])",
        "prods=(int64[:, :])", "means=(float64[:, :])", "means=(float32[:, :])", "means=(int16[:, :])",
        "extremes=(float64[:, :])", "extremes=(uint8[:, :])", "places=(float64[:, :])", "places=(int32[:, :])",
        "truths=(float64[:, :])", "spreads=(float64[:, :])", "spreads=(float32[:, :])", "running=(float64[:, :])",
        "running=(int64[:, :])", "cube=(float64[:, :, :])", "cube=(int8[:, :, :])", "vector=(float64[:])",
        "vector=(int32[:])", "products=(float64[:, :], float64[:, :], float64[:])",
        "products=(int64[:, :], int64[:, :], int64[:])", "builds=(int64, float64[:])",
        "joins=(float64[:, :], float64[:, :])", "sort_rows=(float64[:, :])", "search=(float64[:], float64)",
        "bad_axis=(float64[:, :], int64)"]


@pytest.fixture(scope="module")
def lib(compile_module):
    return compile_module(SOURCE, SIGS)


def layouts(rng, shape, dtype):
    """The same kind of values as a contiguous array, a transposed one and a
    strided, reversed view."""
    def make(s):
        if dtype == "bool":
            return rng.random(s) > 0.5
        if dtype.startswith("int") or dtype.startswith("uint"):
            return rng.integers(0 if dtype.startswith("u") else -9, 10, s).astype(dtype)
        return rng.random(s).astype(dtype)
    base = make(shape)
    out = [base, np.ascontiguousarray(make(shape[::-1])).T]
    big = make(tuple(2 * s + 1 for s in shape))
    out.append(big[tuple(slice(None, 2 * s, 2) for s in shape)][::-1])
    return out


def run(lib, name, args, rel=0.0):
    expected = outcome(getattr(lib.reference, name), args)
    got = outcome(getattr(lib.compiled, name), args)
    assert expected[0] == got[0], (name, args, expected, got)
    if expected[0] == "value":
        assert same_value(expected[1], got[1], rel), (name, args, expected, got)
    else:
        assert expected[1] == got[1], (name, args, expected, got)


SHAPES_2D = [(3, 4), (1, 5), (4, 1), (6, 7), (2, 0), (0, 3)]


@pytest.mark.parametrize("name, dtypes", [
    ("sums", ["float64", "int32", "bool"]), ("prods", ["float64", "int64"]), ("means", ["float64", "float32", "int16"]),
    ("extremes", ["float64", "uint8"]), ("places", ["float64", "int32"]), ("truths", ["float64"]),
    ("spreads", ["float64", "float32"]), ("running", ["float64", "int64"]), ("sort_rows", ["float64"]),
])
def test_axis_functions_on_matrices(lib, name, dtypes):
    rng = np.random.default_rng(len(name))
    for dtype in dtypes:
        for shape in SHAPES_2D:
            for a in layouts(rng, shape, dtype):
                # Spreads square into arrays laid out in C order where numpy
                # follows the input's order, so sums over them may differ in
                # the last bits for transposed inputs; the rest are exact.
                rel = (1e-5 if dtype == "float32" else 1e-12) if name == "spreads" else 0.0
                run(lib, name, (a,), rel=rel)


def test_three_dimensions(lib):
    rng = np.random.default_rng(5)
    for dtype in ("float64", "int8"):
        for shape in ((2, 3, 4), (3, 1, 2), (2, 0, 3)):
            for c in layouts(rng, shape, dtype):
                run(lib, "cube", (c,))


def test_vectors(lib):
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 40, 1000):
        v = rng.standard_normal(n)
        run(lib, "vector", (v,))
        run(lib, "vector", (v[::-2],))
        # Distinct items: numpy's quicksort orders equal ones its own way.
        run(lib, "vector", (rng.permutation(3 * n)[:n].astype(np.int32) - n,))
    with_nan = np.array([3.0, np.nan, -1.0, 2.0, np.nan, 0.5])
    run(lib, "vector", (with_nan,))
    run(lib, "vector", (np.zeros(0),))


def test_products_and_builders(lib):
    rng = np.random.default_rng(9)
    for n, m, p in ((3, 4, 2), (1, 1, 1), (5, 2, 6), (2, 0, 3)):
        a, b, v = rng.standard_normal((n, m)), rng.standard_normal((m, p)), rng.standard_normal(m)
        run(lib, "products", (a, b, v), rel=1e-13)
        run(lib, "products", (np.ascontiguousarray(a.T).T, b[::-1][::-1], v), rel=1e-13)
        ints = [rng.integers(-5, 5, s) for s in ((n, m), (m, p), (m,))]
        run(lib, "products", tuple(ints))
    run(lib, "products", (np.ones((2, 3)), np.ones((4, 2)), np.ones(3)))
    for k in (0, 1, 4):
        run(lib, "builds", (k, rng.standard_normal(k)))


def test_joins_sorting_search(lib):
    rng = np.random.default_rng(11)
    for shape in ((2, 3), (1, 4), (3, 1)):
        run(lib, "joins", (rng.standard_normal(shape), rng.standard_normal(shape)))
    a = np.sort(rng.standard_normal(20))
    for x in (-5.0, a[3], a[3] + 1e-9, 5.0):
        run(lib, "search", (a, x))


def test_axis_errors(lib):
    a = np.ones((2, 3))
    for k in (-3, -2, -1, 0, 1, 2, 5):
        run(lib, "bad_axis", (a, k))
