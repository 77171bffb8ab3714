"""numpy's functions from pyaot's library (lib/numpy_impl.py): each compared
with numpy on random inputs of several dtypes and layouts, empty and size-1
axes, every axis (negative ones too) and keepdims; float results equal
numpy's to the last bit where numpy's order is followed, and numpy's errors
where it raises."""
import numpy as np
import pytest

from conftest import check, outcome, same_value

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

def mixed_joins(a, k, m):
    # Items of different dtypes and layouts: numpy's result dtype.
    return np.concatenate((m, m.T)), np.concatenate((a, k, a)), np.stack((k, a)), np.hstack((k, k)), \
        np.vstack((a, k)), np.column_stack((a, k)), np.concatenate((k, k))

def linalg(a, v):
    return np.linalg.solve(a, v), np.linalg.inv(a), np.linalg.det(a), np.linalg.slogdet(a), np.linalg.eigh(a + a.T), \
        np.linalg.svd(a), np.linalg.svd(a, False, False), np.linalg.qr(a), np.linalg.lstsq(a, v), \
        np.linalg.pinv(a), np.linalg.matrix_rank(a), np.linalg.cond(a), np.linalg.eigvalsh(a + a.T), \
        np.linalg.eigvals(a + a.T), np.linalg.matrix_power(a, 3)

def factor(a):
    return np.linalg.eig(a), np.linalg.cholesky(a)

def fourier(a, m, n):
    return np.fft.fft(a), np.fft.ifft(np.fft.fft(a)), np.fft.rfft(a), np.fft.irfft(np.fft.rfft(a)), np.fft.fft(a, n), \
        np.fft.fft2(m), np.fft.ifft2(m), np.fft.fftfreq(n, 0.1), np.fft.fftshift(a), np.fft.ifftshift(a), \
        np.fft.fft(m, None, 0)

def sorts(v):
    return np.sort(v), np.median(v), np.unique(v), np.sort(v.reshape(2, -1))

def histograms(a, m, k):
    return np.histogram(a), np.histogram(a, 7), np.histogram(a, 5, (0.2, 0.7)), \
        np.histogram(a, np.array([0.0, 0.1, 0.5, 1.0])), np.histogram(k, 4), np.where(m > 0.5), \
        np.squeeze(m[:1], 0), np.squeeze(m[:, :1], axis=1)

def transposes(c, m, k):
    v = np.transpose(c, (2, 0, 1))
    v[0, 0, 0] = -1.0  # a view: the write shows in c
    return np.transpose(c, (1, 0, 2)), c.transpose((0, 2, 1)), np.transpose(m, (1, 0)), \
        np.transpose(c, (-1, 0, 1)), c, np.transpose(c, (0, k, 1))

def squeeze_wrong(m):
    return np.squeeze(m, 1)

def sort_rows(a):
    return np.sort(a), np.argsort(a, axis=-1)

def search(a, x):
    return np.searchsorted(a, x), np.searchsorted(a, x, side="right"), np.searchsorted(a, a[::-1] + x), \
        np.searchsorted(a, np.reshape(a[:4], (2, 2)), side="right")

def bad_axis(a, k):
    return np.sum(a, axis=k)

def nan_aware(a, m):
    return np.nansum(a), np.nanmean(m, axis=0), np.nanmax(a), np.nanmin(m, axis=1), np.nanmax(m, axis=0)

def statistics(a, m):
    return np.median(a), np.median(m, axis=0), np.median(m, axis=1), np.average(a, weights=a + 1.0)

def closeness(a, b):
    return np.isclose(a, b), np.allclose(a, a), np.array_equal(a, b), np.isclose(a, b, 0.0, 0.1, True)

def locate(a, m, k):
    return np.nonzero(m > 0.5), np.flatnonzero(a > 0.5), np.argwhere(m > 0.5), np.unique(k), np.bincount(k - k.min()), \
        np.digitize(a, np.array([0.1, 0.5, 0.9])), np.digitize(a, np.array([0.9, 0.5, 0.1]), True), \
        np.interp(a, np.array([0.0, 0.5, 1.0]), np.array([1.0, 3.0, 2.0]))

def shapes(a, m):
    xx, yy = np.meshgrid(a, a[:3])  # numpy gives a list, pyaot a tuple
    return np.atleast_2d(a), np.expand_dims(a, 0), np.expand_dims(m, 2), np.column_stack((a, a)), np.tile(a, 2), \
        np.repeat(a, 3), np.roll(a, 2), np.roll(m, -1, axis=1), np.roll(m, 5), np.triu(m), np.tril(m, -1), \
        xx, yy, np.swapaxes(m, 0, 1), np.ascontiguousarray(m.T), np.copy(a)

def geometry(a, m):
    return np.cross(a[:3], a[1:4]), np.linalg.norm(a), np.linalg.norm(m, axis=1), np.linalg.norm(a, 1), \
        np.linalg.norm(m), np.array([1.0, 2.0, 3.5]), np.array([[1, 2], [3, 4]]), np.asarray(a), \
        np.array((1, 2.5, True)), np.array(m, dtype=np.float32)
'''

SIGS = ["sums=(float64[:, :])", "sums=(int32[:, :])", "sums=(bool[:, :])", "prods=(float64[:, :])",
        "prods=(int64[:, :])", "means=(float64[:, :])", "means=(float32[:, :])", "means=(int16[:, :])",
        "extremes=(float64[:, :])", "extremes=(uint8[:, :])", "places=(float64[:, :])", "places=(int32[:, :])",
        "truths=(float64[:, :])", "spreads=(float64[:, :])", "spreads=(float32[:, :])", "running=(float64[:, :])",
        "running=(int64[:, :])", "cube=(float64[:, :, :])", "cube=(int8[:, :, :])", "vector=(float64[:])",
        "vector=(int32[:])", "products=(float64[:, :], float64[:, :], float64[:])",
        "products=(int64[:, :], int64[:, :], int64[:])", "builds=(int64, float64[:])",
        "joins=(float64[:, :], float64[:, :])",
        "mixed_joins=(float64[:], int64[:], float64[:, :])",
        "linalg=(float64[:, :], float64[:])", "linalg=(float32[:, :], float32[:])", "linalg=(int64[:, :], int64[:])",
        "linalg=(complex128[:, :], complex128[:])", "factor=(float64[:, :])",
        "fourier=(float64[:], float64[:, :], int64)", "fourier=(float32[:], complex64[:, :], int64)",
        "mixed_joins=(float32[:], int16[:], float32[:, :])", "sort_rows=(float64[:, :])", "sorts=(float64[:])", "sorts=(int64[:])",
        "sorts=(float32[:])",
        "histograms=(float64[:], float64[:, :], int64[:])", "squeeze_wrong=(float64[:, :])",
        "transposes=(float64[:, :, :], int64[:, :], int64)", "search=(float64[:], float64)",
        "bad_axis=(float64[:, :], int64)", "nan_aware=(float64[:], float64[:, :])",
        "statistics=(float64[:], float64[:, :])", "closeness=(float64[:], float64[:])",
        "locate=(float64[:], float64[:, :], int64[:])", "shapes=(float64[:], float64[:, :])",
        "geometry=(float64[:], float64[:, :])"]


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
    for n in (0, 1, 3):
        for dt, it in ((np.float64, np.int64), (np.float32, np.int16)):
            run(lib, "mixed_joins", (rng.random(n).astype(dt), rng.integers(-9, 9, n).astype(it),
                                     rng.random((n, n)).astype(dt)[::-1]))
    a = np.sort(rng.standard_normal(20))
    for x in (-5.0, a[3], a[3] + 1e-9, 5.0):
        run(lib, "search", (a, x))


def test_linalg_and_fft_are_numpys(lib):
    rng = np.random.default_rng(17)
    for n in (1, 3, 6):
        for make in (lambda s: rng.standard_normal(s), lambda s: rng.integers(-4, 5, s),
                     lambda s: (rng.standard_normal(s) + 1j * rng.standard_normal(s)).astype(np.complex128),
                     lambda s: rng.standard_normal(s).astype(np.float32)):
            for a in layouts_of(make((n, n))):
                run(lib, "linalg", (a, make(n)), rel=1e-12)
    singular = np.ones((3, 3))
    run(lib, "linalg", (singular, np.ones(3)))  # numpy's LinAlgError, from numpy
    spd = rng.standard_normal((4, 4))
    run(lib, "factor", (spd @ spd.T + 4 * np.eye(4),))
    run(lib, "factor", (-np.eye(3),))  # not positive definite: numpy's error
    rotation = np.array([[0.0, 1.0], [-1.0, 0.0]])  # complex eigenvalues: refused, as in Numba
    with pytest.raises(TypeError, match="numpy.linalg.eig returned .* complex128 where compiled code expects float64"):
        lib.compiled.factor(rotation)
    for n in (1, 2, 7, 8):
        for a, m in ((rng.random(n), rng.random((3, n))),
                     (rng.random(n).astype(np.float32), (rng.random((2, n)) + 1j).astype(np.complex64))):
            run(lib, "fourier", (a, m, n + 1))
    run(lib, "fourier", (rng.random(4), rng.random((2, 2)), 0))  # numpy's ValueError for n=0


def layouts_of(a):
    return [a, np.asfortranarray(a), np.repeat(np.repeat(a, 2, 0), 2, 1)[::2, ::2]]


def test_histograms_where_squeeze(lib):
    rng = np.random.default_rng(29)
    for n in (1, 2, 5, 100, 1000):
        run(lib, "histograms", (rng.random(n), rng.random((3, 4)), rng.integers(-5, 5, n)))
    run(lib, "histograms", (np.full(3, 2.0), np.ones((2, 1)), np.zeros(3, dtype=np.int64)))
    run(lib, "squeeze_wrong", (np.ones((2, 3)),))
    for k in (0, 1, 2, 3, -1, -4):
        c = rng.random((2, 3, 4))
        run(lib, "transposes", (c, np.arange(6).reshape(2, 3), k))
        run(lib, "transposes", (c[:, ::-1, 1:], np.arange(6).reshape(3, 2).T, k))
    run(lib, "squeeze_wrong", (np.ones((2, 1)),))


def test_sorting_many_shapes_of_input(lib):
    # Sizes around the insertion-sort cutoff, sorted and reversed runs (the
    # quicksort's bad cases), many equal items, NaNs anywhere.
    rng = np.random.default_rng(23)
    for n in (2, 4, 16, 18, 34, 100, 1000, 5000):
        cases = [rng.standard_normal(n), np.arange(n * 1.0), np.arange(n * 1.0)[::-1], rng.integers(0, 3, n) * 1.0,
                 np.tile(np.arange(n // 2 * 1.0), 2)]
        nan = rng.standard_normal(n)
        nan[rng.integers(0, n, n // 4 + 1)] = np.nan
        cases.append(nan)
        for v in cases:
            run(lib, "sorts", (v,))
            run(lib, "sorts", (v.astype(np.float32),))
            if not np.isnan(v).any():
                run(lib, "sorts", ((v * 7).astype(np.int64),))


def test_axis_errors(lib):
    a = np.ones((2, 3))
    for k in (-3, -2, -1, 0, 1, 2, 5):
        run(lib, "bad_axis", (a, k))


def test_nan_statistics_searching_shapes(lib):
    rng = np.random.default_rng(13)
    for n, shape in ((9, (3, 4)), (1, (1, 1)), (6, (2, 5)), (0, (0, 3))):
        a, m = rng.random(n), rng.random(shape)
        if n > 3:
            a[3] = np.nan
            m.flat[1] = np.nan
        if m.size and n:
            run(lib, "nan_aware", (a, m))
            run(lib, "statistics", (a, m), rel=1e-15)
        run(lib, "closeness", (a, a + rng.random(n) * 1e-9))
        run(lib, "closeness", (a, rng.random(n)))
        run(lib, "locate", (a, m, rng.integers(-4, 6, n + 1)))
        if n >= 4:
            run(lib, "shapes", (a, m))
            run(lib, "geometry", (a, m))


AXES_SOURCE = '''
import numpy as np

def over_axes(a):
    return (np.sum(a, axis=(0, 2)), a.sum(axis=(2, -3), keepdims=True), np.max(a, axis=(1, 2)),
            a.min(axis=(0, 1, 2)), np.any(a > 0.5, axis=(0, 1)), np.all(a > -2, axis=(2, 1), keepdims=True),
            np.prod(a, axis=(1,)), np.mean(a, axis=(0, 2)), a.mean(axis=(-1, 0), keepdims=True))

def spread_axes(a, ddof):
    return np.var(a, axis=(0, 2), ddof=ddof), a.std(axis=(1, 2), keepdims=True), np.std(a, axis=(0, 1, 2), ddof=ddof)

def f32_axes(a):
    return np.mean(a, axis=(0, 1)), a.mean(axis=(0, 1, 2)), np.var(a, axis=(2, 0), keepdims=True)

def int_axes(a):
    return np.sum(a, axis=(1, 0)), np.max(a, axis=(0,)), a.prod(axis=(0, 1)), np.mean(a, axis=(0, 1))

def repeated(a, k):
    return np.sum(a, axis=(0, k))
'''


def test_reductions_over_tuples_of_axes(compile_module):
    built = compile_module(AXES_SOURCE, ["over_axes=(float64[:, :, :])", "int_axes=(int32[:, :])",
                                         "repeated=(float64[:, :], int64)", "spread_axes=(float64[:, :, :], int64)",
                                         "f32_axes=(float32[:, :, :])"])
    rng = np.random.default_rng(21)
    cases = [(rng.standard_normal(s) * 2,) for s in [(2, 3, 4), (1, 1, 1), (4, 1, 5), (3, 0, 2), (5, 6, 7)]]
    cases.append((rng.standard_normal((6, 5, 4))[::2, ::-1, 1:],))  # a strided view
    check(built, "over_axes", cases, rel=1e-12)
    check(built, "spread_axes", [(a, ddof) for (a,) in cases for ddof in (0, 1)], rel=1e-12)
    check(built, "f32_axes", [(a.astype(np.float32),) for (a,) in cases], rel=1e-6)
    check(built, "int_axes", [(rng.integers(-3, 4, s).astype(np.int32),) for s in [(3, 4), (1, 5), (0, 3)]])
    # numpy's errors: a repeated axis (-2 is 0 here) and one out of range.
    check(built, "repeated", [(np.ones((2, 3)), k) for k in (1, 0, -2, 2, -3)])
