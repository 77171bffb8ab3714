"""Slicing arrays: views cut by slices and integers (every bound and step,
negative ones, empty results, strided sources), what they share and keep
alive, and assignment into views (scalars, arrays broadcast as numpy does,
overlapping source and destination)."""
import gc
import itertools

import numpy as np
import pytest

from conftest import check

SOURCE = '''
import numpy as np

def cut(a, i, j):
    return a[i:j]

def cut_step(a, i, j, k):
    return a[i:j:k]

def cut_optional(a, k):
    return a[:], a[::k], a[k:], a[:k]

def reverse(a):
    return a[::-1]

def inner(a):
    return a[1:-1]

def row(m, i):
    return m[i, :]

def column(m, j):
    return m[:, j]

def block(m, i, j):
    return m[i:j, ::2]

def plane(c, k):
    return c[k, 1:, ::-1]

def sum_tail(a):
    s = 0.0
    for x in a[1:]:
        s += x
    return s

def sum_rows(m):
    s = 0.0
    for i in range(m.shape[0]):
        r = m[i, :]
        for j in range(len(r)):
            s += r[j] * (j + 1)
    return s

def fill(a, v):
    a[2:5] = v

def fill_every_other(m, v):
    m[::2, 1::2] = v

def shift_right(a):
    a[1:] = a[:-1]

def shift_left(a):
    a[:-1] = a[1:]

def spread(m, r):
    m[:, 1:3] = r

def set_row(m, r):
    m[0] = r

def stencil(u):
    out = u.copy()
    out[1:-1] = 0.0
    for i in range(1, len(u) - 1):
        left = u[i - 1:i]
        right = u[i + 1:i + 2]
        out[i] = left[0] + right[0] - 2.0 * u[i]
    return out
'''

SIGS = ["cut=float64[:](float64[:], int64, int64)", "cut_step=float64[:](float64[:], int64, int64, int64)",
        "cut_optional=UniTuple(float64[:], 4)(float64[:], int64)",
        "reverse=float64[:](float64[:])", "inner=float64[::1](float64[::1])",
        "row=float64[::1](float64[:, ::1], int64)", "column=float64[:](float64[:, :], int64)",
        "block=float64[:, :](float64[:, :], int64, int64)", "plane=int32[:, :](int32[:, :, :], int64)",
        "sum_tail=float64(float64[:])", "sum_rows=float64(float64[:, :])",
        "fill=void(float64[:], float64)", "fill_every_other=void(int16[:, :], int64)",
        "shift_right=void(int64[:])", "shift_left=void(int64[:])",
        "spread=void(float64[:, :], float64[:])", "set_row=void(float64[:, :], int32[:])",
        "stencil=float64[:](float64[:])"]

ARRAYS_1D = [np.arange(7.0), np.arange(15.0)[::2], np.arange(6.0)[::-1], np.zeros(0), np.ones(1)]
BOUNDS = [-9, -7, -3, -1, 0, 1, 2, 6, 7, 9]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS)


def test_every_start_and_stop(m):
    check(m, "cut", [(a, i, j) for a in ARRAYS_1D for i, j in itertools.product(BOUNDS, repeat=2)])


def test_every_step(m):
    steps = [-2**63, -3, -1, 1, 2, 5, 2**63 - 1]  # the lowest step is clamped, as CPython does
    check(m, "cut_step", [(a, i, j, k) for a in ARRAYS_1D[:3] for i in BOUNDS[::2] for j in BOUNDS[1::2]
                          for k in steps])
    check(m, "cut_step", [(np.arange(4.0), -2**63, 2**63 - 1, 1), (np.arange(4.0), 2**63 - 1, -2**63, -1)])
    check(m, "cut_step", [(np.arange(4.0), 0, 3, 0)])  # ValueError: slice step cannot be zero


def test_omitted_bounds(m):
    check(m, "cut_optional", [(a, k) for a in ARRAYS_1D for k in (-2, -1, 1, 3)])
    check(m, "reverse", [(a,) for a in ARRAYS_1D])
    check(m, "inner", [(np.arange(n, dtype=np.float64),) for n in range(4)])


def test_rows_columns_blocks(m):
    mat = np.arange(20.0).reshape(4, 5)
    check(m, "row", [(mat, i) for i in range(-4, 4)] + [(mat, 4), (mat, -5)])
    check(m, "column", [(x, j) for x in (mat, mat.T, mat[::-1, ::2]) for j in range(-3, 3)])
    check(m, "block", [(x, i, i + 3) for x in (mat, mat[::-1]) for i in range(-5, 5)])
    cube = np.arange(60, dtype=np.int32).reshape(3, 4, 5)
    check(m, "plane", [(x, k) for x in (cube, cube[:, ::-1, ::2]) for k in (-3, 0, 2, 3)])


def test_loops_over_views(m):
    check(m, "sum_tail", [(a,) for a in ARRAYS_1D])
    mat = np.arange(12.0).reshape(3, 4)
    check(m, "sum_rows", [(mat,), (mat.T,), (mat[:, ::-2],), (np.zeros((0, 3)),)])
    check(m, "stencil", [(np.arange(n, dtype=np.float64) ** 2,) for n in (0, 1, 2, 3, 10)])


def test_views_share_memory_and_keep_it_alive(m):
    a = np.arange(10.0)
    v = m.compiled.cut(a, 2, 6)
    assert np.shares_memory(a, v) and v.flags.c_contiguous
    v[0] = -1.0
    assert a[2] == -1.0
    r = m.compiled.row(np.arange(20.0).reshape(4, 5), 2)  # its source is dropped at once
    gc.collect()
    junk = [np.full(20, 9.0) for _ in range(100)]
    assert r.tolist() == [10.0, 11.0, 12.0, 13.0, 14.0] and len(junk) == 100
    read_only = np.arange(5.0)
    read_only.flags.writeable = False
    assert not m.compiled.reverse(read_only).flags.writeable


def test_assignment_into_views(m):
    check(m, "fill", [(a.copy(), v) for a in (np.arange(8.0), np.arange(3.0), np.arange(10.0)[::2]) for v in (0.5, -2)])
    check(m, "fill_every_other", [(np.zeros((4, 5), np.int16), 7), (np.zeros((1, 1), np.int16), -300)])
    for name in ("shift_right", "shift_left"):  # source and destination overlap
        check(m, name, [(np.arange(6),), (np.arange(12)[::2],), (np.arange(7)[::-1],), (np.zeros(0, np.int64),)])
    rows = [np.array([7.0, 8.0]), np.array([9.0]), np.array([1.0, 2.0, 3.0]), np.zeros(0)]
    check(m, "spread", [(np.zeros(shape), r) for shape in ((3, 4), (3, 1), (0, 4)) for r in rows])
    check(m, "set_row", [(np.zeros((2, 4)), np.array(r, np.int32)) for r in ([1, 2, 3, 4], [5], [1, 2])])
