"""Control flow: branches, while, for over range/arrays/rows/enumerate/zip,
break, continue, early return, nested loops."""
import numpy as np
import pytest

from conftest import check

SOURCE = '''
import numpy as np

def branches(x):
    if x < -10:
        return -2
    elif x < 0:
        return -1
    elif x == 0:
        return 0
    else:
        if x > 100:
            return 2
    return 1

def while_loop(n):
    total = 0
    i = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        if total > 1000:
            break
        total += i
    return total

def ranges(n):
    s = 0
    for i in range(n):
        s += i
    for i in range(2, n):
        s += 2 * i
    for i in range(n, -n, -3):
        s -= i
    for i in range(0, n, 4):
        s += i * i
    return s

def nested(n, m):
    count = 0
    for i in range(n):
        for j in range(m):
            if (i + j) % 5 == 0:
                continue
            if j > i + 3:
                break
            count += i * j
    return count

def early_return(a, target):
    for i in range(len(a)):
        if a[i] == target:
            return i
    return -1

def elements(a):
    s = 0.0
    for v in a:
        s += v * v
    return s

def rows(m):
    s = 0.0
    for row in m:
        for v in row:
            s += v
    return s

def with_enumerate(a):
    best = -1
    best_value = -np.inf
    for i, v in enumerate(a):
        if v > best_value:
            best = i
            best_value = v
    return best

def enumerate_start(a):
    s = 0
    for i, v in enumerate(a, 10):
        s += i * v
    return s

def with_zip(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s

def collatz(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps

def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

def type_changes(n):
    x = 0
    for i in range(n):
        x = x + 0.5
    return x

def none_tests(x, y):
    # `is None` / `is not None` on values that never are None: constant
    # branches, which jump straight from the comparison (POP_JUMP_IF_NONE).
    n = 0
    if x is None:
        n += 1
    if y is not None:
        n += 10
    while x is None:
        n += 100
    both = x is None or y is not None
    return n + int(both)
'''

SIGS = ["branches=int64(int64)", "while_loop=int64(int64)", "ranges=int64(int64)",
        "nested=int64(int64,int64)", "early_return=int64(int64[:],int64)", "elements=float64(float64[:])",
        "rows=float64(float64[:,:])", "with_enumerate=int64(float64[:])", "enumerate_start=int64(int64[:])",
        "with_zip=float64(float64[:],float64[:])", "collatz=int64(int64)", "fib=int64(int64)",
        "type_changes=float64(int64)", "none_tests=int64(int64, float64)"]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS)


def test_branches(m):
    check(m, "branches", [(x,) for x in [-100, -11, -10, -5, -1, 0, 1, 50, 100, 101, 10**12]])


def test_is_none(m):
    check(m, "none_tests", [(0, 0.0), (-3, float("nan")), (2**63 - 1, -1.5)])


def test_while_break_continue(m):
    check(m, "while_loop", [(n,) for n in [0, 1, 2, 3, 10, 50, 100, 1000]])


def test_ranges(m):
    check(m, "ranges", [(n,) for n in [-5, -1, 0, 1, 2, 3, 7, 100]])


def test_range_of_extreme_bounds(compile_module):
    src = "def f(a, b, c):\n    n = 0\n    for i in range(a, b, c):\n        n += 1\n        if n > 5:\n            break\n    return n\n"
    b = compile_module(src, ["int64(int64,int64,int64)"])
    big = 2**63 - 1
    check(b, "f", [(-big, big, 1), (big, -big, -1), (-big - 1, big, big), (0, 10, 3), (10, 0, -3),
                   (5, 5, 1), (0, 1, 0)])


def test_nested(m):
    check(m, "nested", [(n, k) for n in [0, 1, 5, 20] for k in [0, 3, 12]])


def test_early_return(m):
    a = np.array([5, 3, 9, 3, 1], dtype=np.int64)
    check(m, "early_return", [(a, t) for t in [5, 3, 1, 7]] + [(np.zeros(0, np.int64), 1)])


def test_iterate_arrays(m):
    rng = np.random.default_rng(0)
    vectors = [np.zeros(0), np.ones(1), rng.standard_normal(100), rng.standard_normal(101)[::3],
               rng.standard_normal(50)[::-1], np.array([np.nan, 1.0, np.inf])]
    check(m, "elements", [(v,) for v in vectors])
    mats = [np.zeros((0, 3)), np.zeros((3, 0)), rng.standard_normal((4, 5)), rng.standard_normal((6, 5)).T,
            rng.standard_normal((8, 8))[::2, 1::3]]
    check(m, "rows", [(x,) for x in mats])
    check(m, "with_enumerate", [(v,) for v in vectors])
    check(m, "enumerate_start", [(np.arange(n, dtype=np.int64),) for n in [0, 1, 10]])
    check(m, "with_zip", [(v, v[::-1].copy()) for v in vectors] + [(np.ones(3), np.ones(5))])


def test_scalar_loops(m):
    check(m, "collatz", [(n,) for n in [1, 2, 3, 7, 27, 97, 871, 10**6 + 1]])
    check(m, "fib", [(n,) for n in [0, 1, 2, 10, 50, 90]])
    # x is int at first and float later: typed float64 throughout (Numba's
    # unification), so n = 0 returns 0.0 where CPython returns 0.
    check(m, "type_changes", [(n,) for n in [1, 7]])
    assert m.compiled.type_changes(0) == 0.0


PRANGE = '''
import numpy as np
import pyaot
from pyaot import prange

def row_sums(m):
    out = np.zeros(m.shape[0])
    for i in prange(m.shape[0]):
        for j in pyaot.prange(1, m.shape[1], 2):
            out[i] += m[i, j]
    return out

def down(n):
    s = 0
    for i in prange(n, -n, -3):
        s += i * 3 - 1
    return s
'''


def test_prange_gives_what_range_gives(compile_module):
    # pyaot.prange loops run on the pool (tests/pipeline/test_prange.py has the rest).
    b = compile_module(PRANGE, ["row_sums=float64[:](float64[:, :])", "down=int64(int64)"])
    rng = np.random.default_rng(3)
    check(b, "row_sums", [(rng.standard_normal(s),) for s in [(0, 3), (3, 0), (1, 1), (5, 7), (4, 2)]]
          + [(rng.standard_normal((6, 9))[::2, ::-1],)])
    check(b, "down", [(n,) for n in [-3, 0, 1, 2, 10, 31]])


def test_prange_rejects_what_range_rejects(tmp_path):
    import subprocess
    from conftest import PYAOT
    path = tmp_path / "bad_prange.py"
    path.write_text("from pyaot import prange\ndef f(x):\n    for i in prange(x):\n        pass\n    return 0\n")
    done = subprocess.run([PYAOT, "build", str(path), "--sig", "int64(float64)", "-o", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "bad_prange.py:3:14: error: prange() arguments must be integers, not float64" in done.stderr
