"""Calls between compiled functions through the native convention: results
in registers with the failure status beside them (or none for functions that
cannot fail), borrowed array arguments, aggregates passed as their parts,
recursion unrolled into copies, and runaway recursion that returns to the
wrapper with RecursionError. Everything is compared with CPython running the
same source, at depths CPython allows, and with closed forms beyond them."""
import sys
import threading

import numpy as np
import pytest

from conftest import check

SOURCE = '''
import numpy as np

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def walk(left, right, value, node, depth):
    if node < 0:
        return 0.0
    return (value[node] * depth
            + walk(left, right, value, left[node], depth + 1)
            + walk(left, right, value, right[node], depth + 1))

def count_down(a, i):
    if i == 0:
        return a
    a[i - 1] += 1.0
    return count_down(a, i - 1)

def divide_chain(n, d):
    if n == 0:
        return 10 // d
    return divide_chain(n - 1, d) + 1

def alloc_chain(n, bad):
    keep = np.zeros(4)
    keep[0] = n
    if n == 0:
        return keep[bad]
    return alloc_chain(n - 1, bad) + keep[0]

def is_even(n, a):
    if n == 0:
        return True
    return is_odd(n - 1, a)

def is_odd(n, a):
    if n == 0:
        return a[0] > 0.0
    return is_even(n - 1, a)

def pair_walk(t, n):
    if n == 0:
        return t
    x, y = t
    return pair_walk((y, x + y), n - 1)

def cpow(z, n):
    if n == 0:
        return 1 + 0j
    return z * cpow(z, n - 1)

def nested(t, n):
    a, (s, k) = t
    if n == 0:
        return a[k] * s
    return nested((a, (s * 2.0, k)), n - 1)

def nested_entry(a, s, k, n):
    return nested((a, (s, k)), n)

def fill_down(a, n):
    if n == 0:
        return
    a[n - 1] = n
    fill_down(a, n - 1)

def spin(n):
    if n == 0:
        return 0
    return spin(n + 1) + 1

def noisy(n):
    if n == 0:
        return 0
    print(n)
    return noisy(n - 1) + 1
'''

SIGS = ["fib=int64(int64)",
        "walk=float64(int64[:], int64[:], float64[:], int64, int64)",
        "count_down=float64[:](float64[:], int64)",
        "divide_chain=int64(int64, int64)",
        "alloc_chain=float64(int64, int64)",
        "is_even=boolean(int64, float64[:])", "is_odd=boolean(int64, float64[:])",
        "pair_walk=UniTuple(int64, 2)(UniTuple(int64, 2), int64)",
        "cpow=complex128(complex128, int64)",
        "nested=float64(Tuple((float64[:], Tuple((float64, int64)))), int64)",
        "nested_entry=float64(float64[:], float64, int64, int64)",
        "fill_down=void(float64[:], int64)",
        "spin=int64(int64)", "noisy=int64(int64)"]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS)


def random_tree(n, rng):
    """Children by index in preorder, -1 for none: a random binary search tree's shape."""
    left, right = np.full(n, -1, np.int64), np.full(n, -1, np.int64)
    split = rng.random(n)
    stack = [(0, n)]
    while stack:
        node, size = stack.pop()
        n_left = int(split[node] * size)
        if n_left:
            left[node] = node + 1
            stack.append((node + 1, n_left))
        if size - 1 - n_left:
            right[node] = node + 1 + n_left
            stack.append((node + 1 + n_left, size - 1 - n_left))
    return left, right


def test_recursion_that_cannot_fail(m):
    check(m, "fib", [(n,) for n in list(range(-3, 26))])


def test_recursion_with_arrays_and_errors_deep_down(m):
    rng = np.random.default_rng(5)
    cases = []
    for n in (1, 2, 3, 10, 200):
        left, right = random_tree(n, rng)
        value = rng.standard_normal(n)
        cases.append((left, right, value, 0, 1))
        # A strided view of the values, and a child index out of range at the deepest node.
        cases.append((left, right, np.repeat(value, 2)[::2], 0, 1))
        broken = left.copy()
        broken[np.flatnonzero(left < 0)[-1]] = n + 5
        cases.append((broken, right, value, 0, 1))
        cases.append((left, right, value[:-1], 0, 1))
    check(m, "walk", cases)


def test_failures_propagate_through_many_frames(m):
    check(m, "divide_chain", [(n, d) for n in (0, 1, 7, 300) for d in (0, 3, -4)])
    check(m, "alloc_chain", [(n, bad) for n in (0, 1, 50) for bad in (1, -4, 4, -5)])
    check(m, "is_even", [(n, a) for n in (0, 1, 6, 7, 101) for a in (np.ones(1), -np.ones(2), np.zeros(0))])
    check(m, "fill_down", [(np.zeros(k), n) for n in (0, 1, 40) for k in (0, 20, 40)])


def test_borrowed_arrays_come_back(m):
    cases = [(np.zeros(k), i) for k in (0, 3, 300) for i in (0, 1, 3, 300)]
    check(m, "count_down", cases)
    a = np.zeros(5)
    assert m.compiled.count_down(a, 5) is not None and np.array_equal(a, np.ones(5))
    # The returned array shares the argument's memory, as in CPython.
    b = m.compiled.count_down(a, 2)
    b[4] = 9.0
    assert a[4] == 9.0


def test_aggregates_through_recursion(m):
    check(m, "pair_walk", [((x, y), n) for x, y in ((0, 1), (2, -3)) for n in (0, 1, 2, 30)])
    check(m, "cpow", [(z, n) for z in (1j, 0.5 - 0.25j, complex(float("nan"), 1.0)) for n in (0, 1, 7)])
    a = np.arange(5.0)
    check(m, "nested_entry", [(a, 1.5, k, n) for k in (0, 4, -1, 5) for n in (0, 3)])


def test_recursion_beyond_cpythons_limit(m):
    # 100,000 levels: CPython would raise; the closed forms say what it computes.
    n = 100_000
    a = np.zeros(n)
    assert m.compiled.count_down(a, n) is not None and np.array_equal(a, np.ones(n))
    assert m.compiled.divide_chain(n, 3) == n + 3
    chain = np.arange(1, n + 1, dtype=np.int64)
    chain[-1] = -1
    value = np.random.default_rng(2).standard_normal(n)
    expected = 0.0
    for i in range(n - 1, -1, -1):
        expected = (value[i] * (i + 1) + expected) + 0.0
    assert m.compiled.walk(chain, np.full(n, -1, np.int64), value, 0, 1) == expected


def runaway(m):
    """Every kind of runaway recursion the module has, each to RecursionError."""
    loop = np.zeros(1, np.int64)  # node 0 is its own left child
    messages = []
    for call in (lambda: m.spin(1), lambda: m.walk(loop, loop - 1, np.ones(1), 0, 1),
                 lambda: m.divide_chain(-1, 1), lambda: m.alloc_chain(-1, 0)):
        try:
            call()
        except RecursionError as e:
            messages.append(str(e))
    return messages


EXPECTED_RUNAWAY = [f"maximum recursion depth exceeded in compiled function '{f}'"
                    for f in ("spin", "walk", "divide_chain", "alloc_chain")]


def test_runaway_recursion_raises_and_the_module_stays_healthy(m):
    for _ in range(3):
        assert runaway(m.compiled) == EXPECTED_RUNAWAY
    assert m.compiled.fib(20) == 6765 and m.compiled.divide_chain(1000, 3) == 1003


def test_runaway_recursion_in_threads_with_small_stacks(m):
    results = {}

    def run(size):
        results[size] = (runaway(m.compiled), m.compiled.fib(15))

    try:
        for size in (64 << 10, 256 << 10, 1 << 20):
            threading.stack_size(size)
            t = threading.Thread(target=run, args=(size,))
            t.start()
            t.join()
    finally:
        threading.stack_size(0)
    assert results == {size: (EXPECTED_RUNAWAY, 610) for size in (64 << 10, 256 << 10, 1 << 20)}


def test_threads_switching_inside_compiled_recursion(m):
    # print() inside the recursion runs Python, which lets the other thread
    # in: each thread must keep its own stack limit and its own way back.
    class SlowStdout:
        def write(self, text):
            return len(text)

        def flush(self):
            pass

    results = []

    def run():
        try:
            m.compiled.noisy(-1)
        except RecursionError as e:
            results.append(str(e))
        results.append(m.compiled.noisy(50))

    old_stdout, old_interval = sys.stdout, sys.getswitchinterval()
    sys.stdout = SlowStdout()
    sys.setswitchinterval(1e-6)
    try:
        threading.stack_size(256 << 10)
        threads = [threading.Thread(target=run) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        threading.stack_size(0)
        sys.stdout = old_stdout
        sys.setswitchinterval(old_interval)
    assert sorted(results, key=str) == [50] * 3 + ["maximum recursion depth exceeded in compiled function 'noisy'"] * 3


@pytest.mark.parametrize("flags", [("-O0",), ("-O1",), ("-g",)])
def test_other_optimisation_levels_and_debug_info(compile_module, flags):
    b = compile_module(SOURCE, SIGS, flags)
    check(b, "fib", [(n,) for n in range(12)])
    check(b, "divide_chain", [(5, 0), (5, 2)])
    check(b, "is_even", [(n, np.ones(1)) for n in range(5)] + [(3, np.zeros(0))])
    assert runaway(b.compiled) == EXPECTED_RUNAWAY
