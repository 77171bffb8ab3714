"""Comprehensions, generator expressions, nested functions, closures and
lambdas, and functions passed to other compiled functions."""
import random

import numpy as np
import pytest

from conftest import check

SOURCE = '''
import numpy as np

def square(x):
    return x * x

def apply(f, a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = f(a[i])
    return out

def twice(f, x):
    return f(f(x))

def comprehensions(n, a):
    evens = [i * 2 for i in range(n) if i % 3 != 0]
    pairs = [x + y for x in range(n) for y in range(x) if (x + y) % 2 == 0]
    grid = [[i * j for j in range(3)] for i in range(n)]
    squares = [v * v for v in a]
    return evens, pairs, grid, squares, [p for p in evens if p > n]

def generators(a):
    return (sum(v * v for v in a), min(v for v in a), max(v - 1 for v in a),
            any(v > 2 for v in a), all(v >= 0 for v in a), list(v for v in a if v),
            sorted(-v for v in a), np.array([v * 2 for v in a]))

def closures(n, a, scale):
    k = n + 1
    g = lambda t: t * k
    def inner(t):
        return t + k + n
    def uses_array(i):
        return a[i] * scale
    return (g(2.5), inner(1), uses_array(0), apply(square, a), apply(g, a), apply(lambda z: z - k, a),
            twice(lambda z: z * 2 + n, 3), twice(inner, 0), [uses_array(i) for i in range(len(a))])

def keyed(a):
    return sum(square(v) for v in a), [square(v) for v in a if square(v) > 1]

def loop_made(n):
    s = 0
    for i in range(n):
        f = lambda x: x + i
        s += f(10)
    return s
'''

SIGS = [
    "comprehensions=(int64, float64[:])",
    "generators=(float64[:],)",
    "closures=(int64, float64[:], float64)",
    "keyed=(int64[:],)",
    "loop_made=int64(int64)",
]


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, SIGS)


def test_comprehensions(mod):
    rng = np.random.default_rng(5)
    arrays = [np.zeros(0), np.array([1.5]), rng.uniform(-3, 3, 7)]
    check(mod, "comprehensions", [(n, a) for n in (0, 1, 5) for a in arrays])


def test_generator_expressions(mod):
    rng = np.random.default_rng(6)
    check(mod, "generators", [(np.array([0.0, 1.0, 3.0]),), (rng.uniform(-3, 3, 9),), (np.array([2.0]),)])
    check(mod, "generators", [(np.zeros(0),)])  # min() of nothing: CPython's ValueError


def test_closures_and_lambdas(mod):
    rng = np.random.default_rng(7)
    check(mod, "closures", [(n, rng.uniform(-3, 3, 5), s) for n in (0, 2) for s in (1.0, -0.5)])
    check(mod, "keyed", [(np.array([0, 1, -2, 3]),), (np.zeros(0, dtype=np.int64),)])
    check(mod, "loop_made", [(n,) for n in (0, 1, 5)])
