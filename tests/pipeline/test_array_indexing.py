"""Indexing arrays the numpy way beyond integers and slices: new axes (None,
np.newaxis), `...`, boolean masks and integer arrays, reading (new arrays)
and writing (numbers and arrays broadcast to the selection), with numpy's
errors. Compared with the same source run by CPython with numpy."""
import numpy as np
import pytest

from conftest import outcome, same_value

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SOURCE = '''
import numpy as np

def column(a):
    return a[:, None]

def row(a):
    return a[np.newaxis, :]

def both(a):
    return a[None, :, None]

def last(c):
    return c[..., 0]

def first(c):
    return c[0, ...]

def middle(c):
    return c[:, ..., 1:]

def outer(x, y):
    return x[:, None] * y[None, :]

def positive(a):
    return a[a > 0]

def by_mask(a, m):
    return a[m]

def rows_by_mask(m, keep):
    return m[keep]

def cols_by_mask(m, keep):
    return m[:, keep]

def clamp(x):
    x[x < 0] = 0
    return x

def clamp_far(x, lo):
    x[(x < lo) | (x > 2 * lo)] = lo
    return x

def set_by_mask(a, m, v):
    a[m] = v
    return a

def copy_masked(a, b):
    a[a > b] = b[a > b]
    return a

def take(a, idx):
    return a[idx]

def take_rows(m, idx):
    return m[idx, :]

def take_cols(m, idx):
    return m[:, idx]

def take_2d(a, idx):
    return a[idx]

def put(a, idx, v):
    a[idx] = v
    return a

def put_rows(m, idx, r):
    m[idx] = r
    return m

def reverse_by_index(a, idx):
    a[idx] = a[::-1]
    return a

def masked_sum(a):
    return a[a > 0.5].sum()
'''

SIGS = ["column=(float64[:])", "row=(float64[:])", "both=(int32[:])", "last=(float64[:, :, :])",
        "first=(float64[:, :, :])", "middle=(float64[:, :, :])", "outer=(float64[:], float64[:])",
        "positive=(float64[:])", "positive=(int64[:, :])", "by_mask=(float64[:], bool[:])",
        "by_mask=(float64[:, :], bool[:, :])", "rows_by_mask=(float64[:, :], bool[:])",
        "cols_by_mask=(float64[:, :], bool[:])", "clamp=(float64[:])", "clamp=(int16[:, :])",
        "clamp_far=(float64[:], float64)", "set_by_mask=(float64[:], bool[:], float64)",
        "set_by_mask=(float64[:], bool[:], float64[:])", "set_by_mask=(int32[:, :], bool[:, :], int64[:])",
        "copy_masked=(float64[:], float64[:])", "take=(float64[:], int64[:])", "take=(float64[:], int8[:])",
        "take_rows=(float64[:, :], int64[:])", "take_cols=(float64[:, :], int32[:])",
        "take_2d=(float64[:], int64[:, :])", "put=(float64[:], int64[:], float64)",
        "put=(float64[:], int64[:], float64[:])", "put_rows=(float64[:, :], int64[:], float64[:])",
        "reverse_by_index=(float64[:], int64[:])", "masked_sum=(float64[:])"]


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, SIGS)


def run(mod, name, make):
    """Runs `name` compiled and in CPython on the same values (made twice)."""
    args_r, args_c = make(np.random.default_rng(7)), make(np.random.default_rng(7))
    expected = outcome(getattr(mod.reference, name), args_r)
    got = outcome(getattr(mod.compiled, name), args_c)
    assert expected[0] == got[0], (name, expected, got)
    if expected[0] != "value":
        assert expected[1] == got[1], (name, expected, got)
        return
    assert same_value(expected[1], got[1]), (name, expected, got)
    for x, y in zip(args_r, args_c):
        if isinstance(x, np.ndarray):
            assert same_value(x, y), (name, "argument", x, y)


def test_new_axes_and_ellipsis(mod):
    for n in (0, 1, 5):
        run(mod, "column", lambda g: (g.standard_normal(n),))
        run(mod, "row", lambda g: (g.standard_normal(n)[::-1],))
        run(mod, "both", lambda g: (np.arange(n, dtype=np.int32),))
        run(mod, "outer", lambda g: (g.standard_normal(n), g.standard_normal(3)))
    for shape in ((2, 3, 4), (1, 0, 3), (3, 1, 2)):
        for name in ("last", "first", "middle"):
            run(mod, name, lambda g: (g.standard_normal(shape),))
            run(mod, name, lambda g: (g.standard_normal(shape)[::-1, :, ::-1],))


def test_views_from_new_axes_share_memory(mod):
    a = np.arange(4.0)
    c = mod.compiled.column(a)
    assert c.shape == (4, 1) and np.shares_memory(c, a)


def test_masks(mod):
    for n in (0, 1, 9):
        run(mod, "positive", lambda g: (g.standard_normal(n),))
        run(mod, "clamp", lambda g: (g.standard_normal(n),))
        run(mod, "clamp", lambda g: (g.standard_normal(n)[::-1],))
        run(mod, "by_mask", lambda g: (g.standard_normal(n), g.random(n) > 0.5))
        run(mod, "masked_sum", lambda g: (g.random(n),))
        run(mod, "copy_masked", lambda g: (g.standard_normal(n), g.standard_normal(n)))
        run(mod, "set_by_mask", lambda g: (g.standard_normal(n), g.random(n) > 0.3, -1.0))
    run(mod, "positive", lambda g: (g.integers(-5, 5, (3, 4)),))
    run(mod, "by_mask", lambda g: (g.standard_normal((3, 4)), g.random((3, 4)) > 0.5))
    run(mod, "rows_by_mask", lambda g: (g.standard_normal((4, 3)), np.array([True, False, True, True])))
    run(mod, "cols_by_mask", lambda g: (g.standard_normal((4, 3)), np.array([False, True, True])))
    run(mod, "clamp", lambda g: ((g.standard_normal((3, 5)) * 100).astype(np.int16),))
    run(mod, "clamp_far", lambda g: (g.standard_normal(20), 0.5))
    # Values assigned through a mask: as many as it selects, or one.
    run(mod, "set_by_mask", lambda g: (np.arange(5.0), np.array([1, 0, 1, 0, 1], bool), np.array([7.0, 8.0, 9.0])))
    run(mod, "set_by_mask", lambda g: (np.arange(5.0), np.array([1, 0, 1, 0, 1], bool), np.array([7.0])))
    run(mod, "set_by_mask", lambda g: (np.arange(6, dtype=np.int32).reshape(2, 3), np.eye(2, 3, dtype=bool),
                                       np.array([5, 6])))


def test_mask_errors(mod):
    run(mod, "by_mask", lambda g: (np.arange(5.0), np.ones(4, bool)))
    run(mod, "by_mask", lambda g: (np.ones((3, 4)), np.ones((3, 3), bool)))
    run(mod, "rows_by_mask", lambda g: (np.ones((3, 4)), np.ones(2, bool)))
    run(mod, "set_by_mask", lambda g: (np.arange(5.0), np.ones(5, bool), np.ones(3)))
    run(mod, "set_by_mask", lambda g: (np.arange(5.0), np.ones(4, bool), 1.0))


def test_integer_arrays(mod):
    run(mod, "take", lambda g: (g.standard_normal(6), np.array([0, 5, -1, -6, 2, 2])))
    run(mod, "take", lambda g: (g.standard_normal(6)[::-2], np.array([0, -1], np.int8)))
    run(mod, "take", lambda g: (g.standard_normal(6), np.array([], np.int64)))
    run(mod, "take_rows", lambda g: (g.standard_normal((4, 3)), np.array([3, 0, 0])))
    run(mod, "take_cols", lambda g: (g.standard_normal((4, 3)), np.array([2, -3], np.int32)))
    run(mod, "take_2d", lambda g: (g.standard_normal(5), np.array([[0, 1], [4, -1], [2, 2]])))
    run(mod, "put", lambda g: (np.zeros(5), np.array([1, 3, -1]), 2.5))
    run(mod, "put", lambda g: (np.zeros(5), np.array([1, 3, -1]), np.array([1.0, 2.0, 3.0])))
    run(mod, "put", lambda g: (np.zeros(5), np.array([4, 4]), np.array([1.0, 2.0])))
    run(mod, "put_rows", lambda g: (np.zeros((4, 3)), np.array([0, 2]), np.array([1.0, 2.0, 3.0])))
    run(mod, "reverse_by_index", lambda g: (np.arange(5.0), np.arange(5)))


def test_integer_array_errors(mod):
    run(mod, "take", lambda g: (np.arange(5.0), np.array([0, 5])))
    run(mod, "take", lambda g: (np.arange(5.0), np.array([-6])))
    run(mod, "take_cols", lambda g: (np.ones((3, 4)), np.array([4], np.int32)))
    run(mod, "put", lambda g: (np.zeros(5), np.array([0, 1, 2]), np.ones(2)))
    run(mod, "put_rows", lambda g: (np.zeros((4, 3)), np.array([0, 2]), np.ones(4)))
