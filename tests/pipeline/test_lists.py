"""Typed lists: displays, [] typed by its first append, methods, indexing,
slices, operators, builtins over lists, lists of tuples and arrays, lists
as parameters (reflected back into the caller's list) and results, and
CPython's run-time errors."""
import random

import numpy as np
import pytest

from conftest import check, same_value

SOURCE = '''
import numpy as np

def grow(n):
    x = []
    for i in range(n):
        x.append(i * 0.5)
    return x

def total(a):
    s = 0.0
    for v in a:
        s += v
    return s

def mutate(a, v):
    a.append(v)
    if len(a) > 1:
        a[0] = a[-1] * 2.0
    return len(a)

def read_only(a):
    return a[0] + a[-1]

def index_at(a, i):
    return a[i]

def assign_at(a, i, v):
    a[i] = v
    return a

def pop_at(a, i):
    v = a.pop(i)
    return v, a

def pop_last(a):
    return a.pop(), a

def methods(n):
    x = [3, 1, 2]
    x.insert(0, n)
    x.insert(-1, n + 1)
    x.insert(100, 7)
    y = x.pop()
    del x[0]
    x.extend([5, 5])
    x.extend(range(3))
    z = x + [7, 8]
    w = z * 2
    c = w.copy()
    c.reverse()
    c.remove(5)
    c.sort()
    d = c.copy()
    d.sort(reverse=True)
    d.clear()
    return w, y, 2 in w, n in w, 9 not in w, w.index(7), w.count(5), c, d, len(d), w == z + z, w != c

def builtins(a):
    return sum(a), min(a), max(a), any(a), all(a), sorted(a), sorted(a, reverse=True), list(a)

def slices(a, i, j):
    b = a[i:j]
    c = a[::-1]
    d = a[i::2]
    del b[::2]
    return b, c, d

def search(a, x):
    return a.index(x)

def remove(a, x):
    a.remove(x)
    return a

def tuples(n):
    pts = [(i, i * 0.5) for i in range(n)]
    pts.append((n, 1.5))
    s = 0.0
    for i, v in pts:
        s += i * v
    return pts, s, pts[-1], (2, 1.0) in pts

def aliasing(n):
    a = [1.0]
    b = a
    for i in range(n):
        b.append(i)
    c = a[:]
    c.append(-1.0)
    return a, b, c, len(a) == len(b)

def enum_zip(a, b):
    s = 0.0
    for i, (x, y) in enumerate(zip(a, b)):
        s += i * x + y
    return s

def arrays(n):
    rows = []
    for i in range(n):
        rows.append(np.arange(3.0) + i)
    total = 0.0
    for r in rows:
        total += r.sum()
    m = np.array(rows)
    rows[0][1] = 100.0
    return total, m, rows[0], len(rows)

def to_array(n):
    l = [i * 1.5 for i in range(n)]
    return np.array(l), np.asarray([1, 2, n]), np.array([[1, 2], [3, n]]), np.array([(i, 2 * i) for i in range(n)])

def nested(n):
    grid = []
    for i in range(n):
        row = []
        for j in range(i + 1):
            row.append(i * j)
        grid.append(row)
    grid[0].append(5)
    return grid, len(grid), sum(grid[-1]) if n else 0

def truthy(a):
    if a:
        return len(a)
    return -1

def ints(a):
    out = []
    for v in a:
        if v % 2 == 0:
            out.append(v // 2)
    return out

def bools(n):
    flags = [True] * n
    for i in range(0, n, 3):
        flags[i] = False
    return flags, flags.count(True)

def sieve(n):
    is_prime = [True] * (n + 1)
    primes = []
    for i in range(2, n + 1):
        if is_prime[i]:
            primes.append(i)
            for j in range(i * i, n + 1, i):
                is_prime[j] = False
    return primes

def pass_along(a):
    helper(a)
    return len(a)

def helper(a):
    a.append(42.0)
'''

SIGS = [
    "grow=list(float64)(int64)",
    "total=float64(reflected list(float64))",
    "mutate=int64(List(float64), float64)",
    "read_only=float64(list(float64))",
    "index_at=int64(list(int64), int64)",
    "assign_at=list(int64)(list(int64), int64, int64)",
    "pop_at=(list(int64), int64)",
    "pop_last=(list(int64),)",
    "methods=(int64,)",
    "builtins=(list(float64),)",
    "slices=(list(int64), int64, int64)",
    "search=int64(list(float64), float64)",
    "remove=list(int64)(list(int64), int64)",
    "tuples=(int64,)",
    "aliasing=(int64,)",
    "enum_zip=float64(list(float64), list(float64))",
    "arrays=(int64,)",
    "to_array=(int64,)",
    "nested=(int64,)",
    "truthy=int64(list(int64))",
    "ints=list(int64)(list(int64))",
    "bools=(int64,)",
    "sieve=list(int64)(int64)",
    "pass_along=int64(list(float64))",
]


@pytest.fixture(scope="module")
def lists(compile_module):
    return compile_module(SOURCE, SIGS)


def floats(rng, n):
    return [rng.choice([0.0, -0.0, 1.5, -2.25, 1e300, rng.uniform(-5, 5)]) for _ in range(n)]


def ints(rng, n):
    return [rng.randint(-4, 9) for _ in range(n)]


def test_building_and_reading(lists):
    check(lists, "grow", [(n,) for n in (0, 1, 2, 5, 100, 1000)])
    rng = random.Random(1)
    check(lists, "total", [(floats(rng, n),) for n in (0, 1, 3, 17, 200)])
    check(lists, "read_only", [([1.0],), ([2.0, 3.0, 4.5],), ([],)])
    check(lists, "truthy", [([],), ([0],), ([1, 2],)])


def test_indexing_and_errors(lists):
    cases = [([1, 2, 3], i) for i in range(-5, 5)] + [([], 0)]
    check(lists, "index_at", cases)
    check(lists, "assign_at", [(a, i, 9) for a, i in cases])
    check(lists, "pop_at", cases)
    check(lists, "pop_last", [([],), ([1],), ([1, 2, 3],)])
    rng = random.Random(2)
    a = ints(rng, 12)
    check(lists, "slices", [(a, i, j) for i in range(-14, 14, 3) for j in range(-14, 14, 4)] + [([], 0, 1)])


def test_methods_and_operators(lists):
    check(lists, "methods", [(n,) for n in (-3, 0, 1, 2, 3, 5, 7)])
    rng = random.Random(3)
    check(lists, "builtins", [(floats(rng, n),) for n in (1, 2, 5, 40)] + [([0.0, 1.0],), ([],)])
    check(lists, "search", [([1.0, 2.5, 3.0], x) for x in (1.0, 3.0, 2.5, 7.0, -0.0)] + [([], 1.0)])
    check(lists, "remove", [([1, 2, 1, 3], x) for x in (1, 3, 9)] + [([], 0)])
    check(lists, "tuples", [(n,) for n in (0, 1, 4)])
    check(lists, "aliasing", [(n,) for n in (0, 3)])
    check(lists, "enum_zip", [([1.0, 2.0, 3.0], [0.5, 0.25]), ([], [1.0])])
    check(lists, "ints", [(ints(rng, n),) for n in (0, 1, 9, 50)])
    check(lists, "bools", [(n,) for n in (0, 1, 7)])
    check(lists, "sieve", [(n,) for n in (0, 1, 2, 30, 1000)])
    check(lists, "nested", [(n,) for n in (1, 4)])


def test_sorting_matches_cpython(lists):
    rng = random.Random(4)
    for n in (1, 2, 15, 16, 17, 33, 100, 1000):
        a = [float(rng.randint(-20, 20)) for _ in range(n)]
        assert lists.compiled.builtins(list(a))[5] == sorted(a)
        assert lists.compiled.builtins(list(a))[6] == sorted(a, reverse=True)


def test_arrays_in_lists(lists):
    check(lists, "arrays", [(n,) for n in (1, 3)])
    # np.array of an empty list of rows is 2-D (0, 0) here, 1-D (0,) in numpy.
    check(lists, "to_array", [(n,) for n in (1, 4)])


def test_reflection(lists):
    for a in ([], [1.0], [1.0, 2.0, 3.0]):
        ref, got = list(a), list(a)
        assert lists.reference.mutate(ref, 7.5) == lists.compiled.mutate(got, 7.5)
        assert ref == got
    a = [1.0, 2.0]
    lists.compiled.read_only(a)
    assert a == [1.0, 2.0]
    a = [1.0]
    assert lists.compiled.pass_along(a) == 2 and a == [1.0, 42.0]
    # A failed call leaves the caller's list as it was.
    a = [1, 2]
    with pytest.raises(IndexError, match="pop index out of range"):
        lists.compiled.pop_at(a, 5)
    assert a == [1, 2]


def test_bad_arguments(lists):
    with pytest.raises(TypeError, match=r"total\(\) argument 'a': expected reflected list\(float64\), but item 1 is str"):
        lists.compiled.total([1.0, "x"])
    with pytest.raises(TypeError, match=r"total\(\) argument 'a': expected reflected list\(float64\), got tuple"):
        lists.compiled.total((1.0,))
    with pytest.raises(OverflowError):
        lists.compiled.ints([2 ** 70])
    # numpy numbers are numbers
    assert lists.compiled.total([np.float64(1.5), np.int32(2)]) == 3.5


def test_results_are_python_lists(lists):
    r = lists.compiled.grow(3)
    assert type(r) is list and [type(x) for x in r] == [float] * 3
    assert same_value(tuple(lists.reference.tuples(3)), tuple(lists.compiled.tuples(3)))
