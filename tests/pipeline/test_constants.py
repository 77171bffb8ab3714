"""Values known at compile time decide branches: comparisons, `is None`,
`not`, integer arithmetic of constants, array ranks and isinstance() fold
to constants, and the branch they decide is the only one typed, so one
function can hold code for several argument types."""
import numpy as np
import pytest

from conftest import check

SOURCE = '''
import numpy as np

def total(a, axis=None):
    if axis is None:
        return a.sum()
    return a[axis] * 1.0

def by_rank(a):
    if a.ndim == 1:
        return a.sum()
    elif a.ndim == 2:
        return a[0, 0] * 2.0
    return a.undefined_here

def by_type(x):
    if isinstance(x, np.ndarray):
        return x.sum() * 1.0
    if isinstance(x, (int, bool)):
        return x * 10.0
    if isinstance(x, float):
        return x + 0.5
    return x.undefined_here

def arithmetic(n):
    k = 3
    if k * 2 - 1 > 4 and not (k % 2 == 0):
        return n + 1
    return n.undefined_here

def caller(a, m):
    return total(a) + total(a, 1) + by_rank(a) + by_rank(m) + by_type(a) + by_type(3) + by_type(True) + by_type(2.5)

def dtype_test(x):
    if isinstance(x, np.float32):
        return 1
    if isinstance(x, np.float64):
        return 2
    return 3
'''


@pytest.fixture(scope="module")
def built(compile_module):
    return compile_module(SOURCE, ["caller=float64(float64[:], float64[:, :])", "arithmetic=int64(int64)",
                                   "dtype_test=int64(float32)", "dtype_test=int64(float64)", "dtype_test=int64(int64)"])


def test_branches_decided_at_compile_time(built):
    rng = np.random.default_rng(0)
    check(built, "caller", [(rng.standard_normal(4), rng.standard_normal((2, 3))) for _ in range(5)])
    check(built, "arithmetic", [(0,), (-5,), (2**62,)])


def test_isinstance_of_dtypes(built):
    assert [built.compiled.dtype_test(np.float32(1)), built.compiled.dtype_test(1.0),
            built.compiled.dtype_test(7)] == [1, 2, 3]
