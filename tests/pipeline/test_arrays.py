"""Arrays: every numeric dtype, any layout (strided, reversed, transposed,
read-only), indexing with ints and tuples, negative indices, attributes,
creation, copies, returning arrays and changing arguments in place."""
import numpy as np
import pytest

from conftest import check

DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
          "complex64", "complex128", "bool"]
NUMBA = {"bool": "boolean"}

SOURCE = '''
import numpy as np

def first_last(a):
    return a[0], a[-1], a[len(a) // 2]

def total(a):
    s = a[0] - a[0]
    for i in range(len(a)):
        s += a[i]
    return s

def reverse_in_place(a):
    n = len(a)
    for i in range(n // 2):
        t = a[i]
        a[i] = a[n - 1 - i]
        a[n - 1 - i] = t

def double(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] + a[i]
    return out
'''


def numba_name(t):
    return NUMBA.get(t, t)


def sample(dtype, n, rng):
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if dtype.startswith("complex"):
        return (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
    if dtype.startswith("float"):
        return rng.standard_normal(n).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(max(info.min, -100), min(info.max, 100), n, endpoint=True).astype(dtype)


def layouts(a):
    ro = a.copy()
    ro.setflags(write=False)
    return [a, a[::2], a[::-1], a[1:], ro]


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_and_layouts(compile_module, dtype):
    t = numba_name(dtype)
    elem = "int64" if dtype == "bool" else dtype
    sigs = [f"first_last=Tuple(({t}, {t}, {t}))({t}[:])", f"reverse_in_place=void({t}[:])"]
    if dtype != "bool":
        sigs += [f"total={elem}({t}[:])", f"double={t}[:]({t}[:])"]
    b = compile_module(SOURCE, sigs)
    rng = np.random.default_rng(DTYPES.index(dtype))
    arrays = [a for n in [1, 2, 7, 64] for a in layouts(sample(dtype, n, rng))]
    check(b, "first_last", [(a,) for a in arrays])
    writable = [a for a in arrays if a.flags.writeable]
    check(b, "reverse_in_place", [(a,) for a in writable])
    if dtype != "bool":
        if dtype in ("float32", "complex64"):
            check(b, "total", [(a,) for a in arrays], rel=1e-5)
        elif not dtype.startswith(("int8", "int16", "int32", "uint")):
            check(b, "total", [(a,) for a in arrays])
        check(b, "double", [(a,) for a in arrays if dtype not in ("int8", "uint8")])


MULTI = '''
import numpy as np

def get2(m, i, j):
    return m[i, j]

def get_tuple(m, idx):
    return m[idx]

def set2(m, i, j, v):
    m[i, j] = v

def trace3(x):
    s = 0.0
    n, p, q = x.shape
    for i in range(min(n, min(p, q))):
        s += x[i, i, i]
    return s

def attributes(m):
    r, c = m.shape
    return r, c, m.size, m.ndim, len(m)

def row_sum(m, i):
    row = m[i]
    s = 0.0
    for v in row:
        s += v
    return s

def copy_and_change(m):
    c = m.copy()
    c[0, 0] = -1.0
    return c

def transpose(m):
    return m.T

def the_argument(m):
    return m

def a_row(m, i):
    return m[i]
'''

MULTI_SIGS = ["get2=float64(float64[:,:],int64,int64)", "get_tuple=float64(float64[:,:],UniTuple(int64,2))",
              "set2=void(float64[:,:],int64,int64,float64)", "trace3=float64(float64[:,:,:])",
              "attributes=UniTuple(int64,5)(float64[:,:])", "row_sum=float64(float64[:,:],int64)",
              "copy_and_change=float64[:,:](float64[:,:])", "transpose=float64[:,:](float64[:,:])",
              "the_argument=float64[:,:](float64[:,:])", "a_row=float64[:](float64[:,:],int64)"]


@pytest.fixture(scope="module")
def mm(compile_module):
    return compile_module(MULTI, MULTI_SIGS)


def matrices():
    rng = np.random.default_rng(3)
    m = rng.standard_normal((5, 7))
    return [m, m.T, m[::2, ::-3], np.asfortranarray(m), np.zeros((1, 1))]


def test_multi_index(mm):
    for m in matrices():
        r, c = m.shape
        idx = [(i, j) for i in range(-r, r) for j in range(-c, c)]
        check(mm, "get2", [(m, i, j) for i, j in idx])
        check(mm, "get_tuple", [(m, (i, j)) for i, j in idx])
        check(mm, "set2", [(m, i, j, 3.5) for i, j in idx[:10]])
        check(mm, "get2", [(m, r, 0), (m, 0, c), (m, -r - 1, 0)])  # IndexError


def test_three_dims(mm):
    x = np.arange(60.0).reshape(3, 4, 5)
    check(mm, "trace3", [(x,), (x[::-1],), (x.transpose(2, 0, 1),), (np.zeros((0, 2, 2)),)])


def test_attributes_rows_copies(mm):
    ms = matrices() + [np.zeros((0, 4)), np.zeros((4, 0))]
    check(mm, "attributes", [(m,) for m in ms])
    check(mm, "row_sum", [(m, i) for m in matrices() for i in (0, -1)])
    check(mm, "copy_and_change", [(m,) for m in matrices()])
    check(mm, "transpose", [(m,) for m in matrices()])
    check(mm, "a_row", [(m, 1) for m in matrices()[:3]])


def test_returned_arrays_share_memory_and_survive(mm):
    m = np.arange(12.0).reshape(3, 4)
    assert mm.compiled.the_argument(m) is m
    t = mm.compiled.transpose(m)
    assert np.shares_memory(t, m) and t.shape == (4, 3)
    row = mm.compiled.a_row(m, 1)
    row[0] = 100.0  # a view of the argument, as in numpy
    assert m[1, 0] == 100.0
    c = mm.compiled.copy_and_change(m)
    del m
    assert c.flags.c_contiguous and c[0, 0] == -1.0 and c[2, 3] == 11.0


CREATION = '''
import numpy as np

def creators(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i
    z = np.zeros((2, n), dtype=np.int32)
    o = np.ones(n, np.float32)
    e = np.empty_like(z)
    zl = np.zeros_like(a)
    ol = np.ones_like(z)
    return a, z, o, e.shape[1], zl, ol

def aranges(n):
    return np.arange(n), np.arange(2, n), np.arange(n, 0, -3), np.arange(0.5, n, 0.25)

def linspaces(a, b, n):
    return np.linspace(a, b, n), np.linspace(a, b, n, False)

def full(n, v):
    return np.full((n, 2), v)
'''


def test_creation(compile_module):
    b = compile_module(CREATION, [
        "creators=Tuple((float64[:], int32[:,:], float32[:], int64, float64[:], int32[:,:]))(int64)",
        "aranges=Tuple((int64[:], int64[:], int64[:], float64[:]))(int64)",
        "linspaces=UniTuple(float64[:], 2)(float64, float64, int64)",
        "full=float64[:,:](int64, float64)"])
    check(b, "creators", [(n,) for n in [0, 1, 5]])
    check(b, "aranges", [(n,) for n in [0, 1, 10, -3]])
    check(b, "linspaces", [(a, c, n) for a, c in [(0.0, 1.0), (-2.5, 7.0), (1.0, 1.0)] for n in [0, 1, 2, 5, 50]])
    check(b, "full", [(3, 1.5), (0, 2.0)])
    check(b, "creators", [(-1,)])  # ValueError: negative dimensions


def test_many_returned_arrays_do_not_leak(compile_module):
    b = compile_module(CREATION, ["full=float64[:,:](int64, float64)"])

    def rss_kb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4

    for _ in range(100):
        b.compiled.full(1000, 1.0)
    before = rss_kb()
    for _ in range(10000):
        b.compiled.full(1000, 1.0)  # 16 KB each, 160 MB in all if leaked
    assert rss_kb() - before < 20000
