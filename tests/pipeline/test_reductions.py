"""Whole-array reductions, as methods and numpy functions: sum, prod, mean,
min, max (amin, amax). Results must be numpy's to the last bit and of
numpy's type, for every dtype and layout (float sums depend on the order
numpy adds in: pairwise, in chunks of 8192, in memory order), with numpy's
NaN, signed-zero and empty-array behaviour."""
import numpy as np
import pytest

from conftest import check

# numpy, running the reference, warns about the overflows and NaNs these
# inputs are made of.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SOURCE = '''
import numpy as np

def total(a):
    return a.sum()

def np_total(a):
    return np.sum(a)

def product(a):
    return a.prod()

def np_product(a):
    return np.prod(a)

def average(a):
    return np.mean(a)

def average_method(a):
    return a.mean()

def smallest(a):
    return np.min(a)

def largest(a):
    return a.max()

def spread(a):
    return np.amax(a) - np.amin(a)

def smallest_method(a):
    return a.min()

def np_largest(a):
    return np.max(a)

def normalise(a):
    out = np.empty_like(a)
    s = a.sum()
    for i in range(len(a)):
        out[i] = a[i] / s
    return out
'''

NAMES = ["total", "np_total", "product", "np_product", "average", "average_method", "smallest", "largest",
         "spread", "smallest_method", "np_largest"]
DTYPES = ["float64", "float32", "int64", "int32", "uint8", "boolean"]
RESULT = {"total": {"float64": "float64", "float32": "float32", "int64": "int64", "int32": "int64",
                    "uint8": "uint64", "boolean": "int64"},
          "average": {"float64": "float64", "float32": "float32", "int64": "float64", "int32": "float64",
                      "uint8": "float64", "boolean": "float64"}}
RESULT["np_total"] = RESULT["product"] = RESULT["np_product"] = RESULT["total"]
RESULT["average_method"] = RESULT["average"]


def signatures():
    sigs = ["normalise=float64[:](float64[:])"]
    for name in NAMES:
        for dtype in DTYPES:
            if name == "spread" and dtype == "boolean":
                continue  # numpy refuses to subtract booleans
            result = RESULT.get(name, {}).get(dtype, dtype)
            for dims in ("[:]", "[:, :]", "[:, :, :]"):
                sigs.append(f"{name}={result}({dtype}{dims})")
    return sigs


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, signatures())


RNG = np.random.default_rng(2026)


def random_items(dtype, n):
    if dtype == np.bool_:
        return RNG.random(n) < 0.5
    if np.dtype(dtype).kind == "f":
        return (RNG.standard_normal(n) * 10.0 ** RNG.integers(-3, 6, n)).astype(dtype)
    info = np.iinfo(dtype)
    return RNG.integers(max(info.min, -10**6), min(info.max, 10**6), n, endpoint=True).astype(dtype)


def layouts(dtype):
    """Arrays whose lengths straddle numpy's summation blocks (8, 128, 8192),
    strided and reversed views, transposes, and 3-D."""
    for n in [0, 1, 2, 7, 8, 9, 16, 17, 127, 128, 129, 1000, 8191, 8192, 8193, 20000]:
        a = random_items(dtype, n)
        yield a
        yield a[::3]
        yield a[::-1]
    for shape in [(3, 4), (17, 23), (0, 5), (150, 120)]:
        a = random_items(dtype, shape[0] * shape[1]).reshape(shape)
        yield a
        yield a.T
        yield a[:, ::2]
        yield a[::-1, 1:]
    c = random_items(dtype, 2 * 30 * 40).reshape(2, 30, 40)
    yield c
    yield c.transpose(2, 0, 1)
    yield c[:, ::2, ::-3]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_])
def test_every_layout_agrees_with_numpy(m, dtype):
    cases = [(a,) for a in layouts(dtype)]
    for name in NAMES:
        if name == "spread" and dtype == np.bool_:
            continue
        check(m, name, cases)


def test_nan_infinities_and_signed_zeros(m):
    nan, inf = float("nan"), float("inf")
    special = [[nan], [1.0, nan, 3.0], [nan, 1.0], [inf, -inf], [inf, 1.0], [-0.0], [-0.0, -0.0], [0.0, -0.0],
               [-0.0, 0.0], [1e308, 1e308], [-1e308, 1e308, 1e308]]
    cases = [(np.array(x, dtype),) for x in special for dtype in (np.float64, np.float32)]
    # Ties between 0.0 and -0.0 at every position of a longer array.
    for k in (0, 1, 7, 8, 100, 999):
        zeros = np.zeros(1000)
        zeros[k] = -0.0
        cases += [(zeros,), (-zeros,)]
    for name in NAMES:
        check(m, name, cases)


def test_integers_wrap_as_numpys_do(m):
    big = np.array([2**62, 2**62, 2**62], np.int64)
    check(m, "total", [(big,), (-big,)])
    check(m, "product", [(big,), (np.array([3] * 50, np.int64),), (np.array([255] * 9, np.uint8),)])


def test_empty_arrays(m):
    for dtype in (np.float64, np.int32, np.bool_):
        empty = np.zeros(0, dtype)
        check(m, "total", [(empty,)])
        check(m, "product", [(empty,)])
        check(m, "smallest", [(empty,)])  # ValueError: zero-size array to reduction operation minimum ...
        check(m, "largest", [(empty,)])
        check(m, "smallest", [(np.zeros((3, 0), dtype),)])


def test_reduction_inside_a_kernel(m):
    check(m, "normalise", [(np.arange(1.0, n + 1.0),) for n in (1, 10, 1000)])
