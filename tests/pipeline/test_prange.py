"""prange loops on the runtime's thread pool, against CPython running the same
source (where prange is range): reductions of every kind with 1, 2 and 5
threads (exact for integers, and for floats with one thread), array writes,
inner serial loops, nested prange, calls, allocation, exceptions raised in
an iteration, recursion in a body, and many Python threads at once."""
import threading

import numpy as np
import pytest

from conftest import check

SOURCE = '''
import math
import numpy as np
from pyaot import prange

def isum(a):
    s = 0
    for i in prange(len(a)):
        s += a[i]
    return s

def ibits(a):
    o = 0
    n = -1
    x = 7
    for i in prange(a.shape[0]):
        o |= a[i]
        n &= a[i] | 1
        x ^= a[i]
    return o, n, x

def iminmax(a):
    lo = 10**9
    hi = -10**9
    for i in prange(len(a)):
        lo = min(lo, a[i])
        hi = max(a[i], hi)
    return lo, hi

def iprod(a):
    p = 1
    for i in prange(len(a)):
        p *= a[i]
    return p

def fsum(a):
    s = 0.0
    for i in prange(len(a)):
        s += a[i] * 0.5
    return s

def fsub(a):
    s = 1000.0
    t = 3
    for i in prange(len(a)):
        s -= a[i]
        t = t - i
    return s, t

def fprod(a):
    p = 1.0
    for i in prange(len(a)):
        p = p * (1.0 + a[i] * 1e-3)
    return p

def fminmax(a):
    lo = math.inf
    hi = -1.0
    for i in prange(len(a)):
        lo = min(lo, a[i])
        hi = max(hi, a[i])
    return lo, hi

def branches(a):
    pos = 0.0
    neg = 0.0
    count = 0
    for i in prange(len(a)):
        if a[i] > 0:
            pos += a[i]
        elif a[i] < -0.5:
            neg = min(neg, a[i])
            count += 1
    return pos, neg, count

def ranged(start, stop, step):
    s = 0
    x = 0
    for i in prange(start, stop, step):
        s += i % 1000
        x ^= i
    return s, x

def untyped_start(n):
    s = 0
    for i in prange(n):
        s += 1.5
    return s

def squares(a):
    out = np.empty_like(a)
    for i in prange(len(a)):
        out[i] = a[i] * a[i] + math.sqrt(abs(a[i]))
    return out

def row_norms(m):
    out = np.zeros(m.shape[0])
    for i in prange(m.shape[0]):
        t = 0.0
        for j in range(m.shape[1]):
            t += m[i, j] * m[i, j]
        out[i] = math.sqrt(t)
    return out

def mandelbrot(h, w, maxit):
    out = np.zeros((h, w), dtype=np.int64)
    for y in prange(h):
        ci = -1.2 + 2.4 * y / h
        for x in range(w):
            cr = -2.0 + 3.0 * x / w
            zr = 0.0
            zi = 0.0
            k = 0
            while k < maxit and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                k += 1
            out[y, x] = k
    return out

def nested(m):
    out = np.zeros(m.shape[0])
    total = 0.0
    for i in prange(m.shape[0]):
        t = 0.0
        for j in prange(m.shape[1]):
            t += m[i, j]
        out[i] = t
        total += t
    return out, total

def poly(x, k):
    return x * x * k - 3.0 * x + 1.0

def calls(a, k):
    out = np.zeros_like(a)
    s = 0.0
    for i in prange(len(a)):
        v = poly(a[i], k)
        out[i] = v
        s += v
    return out, s

def allocates(n, k):
    out = np.zeros(n)
    rows = np.zeros((n, k))
    for i in prange(n):
        tmp = np.zeros(k)
        for j in range(k):
            tmp[j] = i + j * 0.5
        out[i] = tmp.sum()
        rows[i, :] = tmp * 2.0
    return out, rows

def gather(a, idx):
    s = 0.0
    for i in prange(len(idx)):
        s += a[idx[i]]
    return s

def divide(a, d):
    out = np.zeros(len(a), dtype=np.int64)
    for i in prange(len(a)):
        out[i] = int(a[i]) // int(d[i])
    return out

def raises(a):
    s = 0
    for i in prange(len(a)):
        if a[i] == 13:
            raise ValueError("unlucky")
        s += a[i]
    return s

def tuples(a, t):
    s = 0.0
    for i in prange(len(a)):
        s += a[i] * t[0] + t[1]
    return s

def views(m, r):
    s = 0.0
    row = m[r, ::2]
    for i in prange(len(row)):
        s += row[i]
    return s

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def fibs(ns):
    out = np.zeros(len(ns), dtype=np.int64)
    for i in prange(len(ns)):
        out[i] = fib(ns[i])
    return out

def down(n):
    if n == -12345:
        return 0
    return down(n + 1) + 1

def runaway(ns):
    s = 0
    for i in prange(len(ns)):
        s += down(ns[i])
    return s

def mixed(a):
    s = 0.0
    found = False
    c = 0j
    lo = 10**9
    for i in prange(len(a)):
        if a[i] > 0.5:
            s += a[i]
            continue
        s -= 2.0 * a[i]
        found |= a[i] < 0.01
        c += complex(a[i], -a[i])
        lo = min(lo, i + 7)
    return s, found, c, lo

def small_types(a, b):
    s = np.float32(0.0)
    m = np.uint8(255)
    for i in prange(len(a)):
        s += a[i]
        m = min(m, b[i])
    return s, m

def inside_loops(m, reps):
    total = 0.0
    k = 0
    while k < reps:
        for r in range(2):
            for i in prange(m.shape[0]):
                total += m[i, r] * (k + 1)
        k += 1
    return total

def rec_prange(n, a):
    if n <= 0:
        return 0.0
    s = 0.0
    for i in prange(len(a)):
        s += a[i] + rec_prange(n - 1, a[:2])
    return s

def printing(n):
    s = 0
    for i in prange(n):
        if i == 2:
            print("iteration", i)
        s += i
    return s
'''

SIGS = ["isum=int64(int64[:])", "ibits=UniTuple(int64, 3)(int64[:])", "iminmax=UniTuple(int64, 2)(int32[:])",
        "iprod=int64(int64[:])", "fsum=float64(float64[:])", "fsub=Tuple((float64, int64))(float64[:])",
        "fprod=float64(float64[:])", "fminmax=UniTuple(float64, 2)(float64[:])",
        "branches=Tuple((float64, float64, int64))(float64[:])",
        "ranged=UniTuple(int64, 2)(int64, int64, int64)", "untyped_start=float64(int64)",
        "squares=float64[:](float64[:])", "row_norms=float64[:](float64[:, :])",
        "mandelbrot=int64[:, :](int64, int64, int64)", "nested=Tuple((float64[:], float64))(float64[:, :])",
        "calls=Tuple((float64[:], float64))(float64[:], float64)",
        "allocates=Tuple((float64[:], float64[:, :]))(int64, int64)",
        "gather=float64(float64[:], int64[:])", "divide=int64[:](int64[:], int64[:])", "raises=int64(int64[:])",
        "tuples=float64(float64[:], UniTuple(float64, 2))", "views=float64(float64[:, :], int64)",
        "fibs=int64[:](int64[:])", "runaway=int64(int64[:])", "printing=int64(int64)",
        "mixed=Tuple((float64, boolean, complex128, int64))(float64[:])",
        "small_types=Tuple((float32, uint8))(float32[:], uint8[:])",
        "inside_loops=float64(float64[:, :], int64)", "rec_prange=float64(int64, float64[:])"]

SIZES = [0, 1, 2, 3, 4, 7, 100, 1001, 100_000]
THREADS = [1, 2, 5]


@pytest.fixture(scope="module")
def built(compile_module):
    b = compile_module(SOURCE, SIGS)
    default = b.compiled._pyaot_get_num_threads()
    yield b
    b.compiled._pyaot_set_num_threads(default)


def per_threads(built, name, cases, rel=1e-12):
    """Exact with one thread (the serial order), within `rel` with more."""
    for t in THREADS:
        built.compiled._pyaot_set_num_threads(t)
        check(built, name, cases, rel=0.0 if t == 1 else rel)


def test_integer_reductions_are_exact(built):
    rng = np.random.default_rng(1)
    arrays = [rng.integers(-10**6, 10**6, n) for n in SIZES] + [np.arange(1_000_000)]
    for t in THREADS:
        built.compiled._pyaot_set_num_threads(t)
        check(built, "isum", [(a,) for a in arrays])
        check(built, "ibits", [(a,) for a in arrays])
        check(built, "iminmax", [(a.astype(np.int32),) for a in arrays])
        check(built, "ranged", [(0, n, 1) for n in SIZES] + [
            (10, -10, -3), (5, 5, 1), (5, 0, 1), (0, 5, -1), (-7, 1000, 7), (1000, -7, -7),
            (-2**62, 2**62, 2**59 + 3), (2**63 - 10, 2**63 - 1, 3), (-2**63, -2**63 + 10, 4),
            (-2**63 + 5, 2**63 - 5, 2**62), (2**63 - 1, -2**63, -2**62 - 1)])
        # Products stay in range: items of -1, 1 and 2, at most 40 twos.
        check(built, "iprod", [(np.where(rng.random(n) < 0.5, 1, -1) * np.where(np.arange(n) < 40, 2, 1),)
                               for n in SIZES])


def test_float_reductions(built):
    rng = np.random.default_rng(2)
    arrays = [rng.random(n) for n in SIZES] + [rng.random(1_000_000)]
    per_threads(built, "fsum", [(a,) for a in arrays])
    per_threads(built, "fsub", [(a,) for a in arrays])
    per_threads(built, "fprod", [(a,) for a in arrays])
    per_threads(built, "fminmax", [(a,) for a in arrays] + [(np.array([np.nan, 1.0, -0.0, 0.0]),),
                                                            (np.full(9, -np.inf),)])
    per_threads(built, "branches", [(a - 0.6,) for a in arrays])
    per_threads(built, "untyped_start", [(n,) for n in SIZES if n])  # n = 0: 0.0 where CPython keeps the int


def test_one_thread_is_the_serial_order(built):
    # Sums whose rounding depends on the order: one thread matches CPython to the bit.
    rng = np.random.default_rng(3)
    a = rng.standard_normal(200_001) * 10.0 ** rng.integers(-8, 8, 200_001)
    built.compiled._pyaot_set_num_threads(1)
    check(built, "fsum", [(a,)])
    check(built, "fsub", [(a,)])


def test_array_writes_and_inner_loops(built):
    rng = np.random.default_rng(4)
    per_threads(built, "squares", [(rng.standard_normal(n),) for n in SIZES])
    per_threads(built, "row_norms", [(rng.standard_normal(s),) for s in [(0, 3), (3, 0), (1, 1), (7, 5), (300, 40)]]
                + [(rng.standard_normal((40, 30))[::3, ::-2],)])
    per_threads(built, "mandelbrot", [(0, 5, 10), (1, 1, 10), (3, 4, 50), (60, 80, 100)])


def test_nested_prange_calls_and_allocation(built):
    rng = np.random.default_rng(5)
    per_threads(built, "nested", [(rng.random(s),) for s in [(0, 4), (4, 0), (1, 1), (9, 13), (200, 30)]])
    per_threads(built, "calls", [(rng.standard_normal(n), 0.25) for n in SIZES])
    per_threads(built, "allocates", [(n, k) for n in (0, 1, 5, 300) for k in (0, 1, 7)])
    per_threads(built, "tuples", [(rng.random(n), (0.5, -1.0)) for n in SIZES])
    per_threads(built, "views", [(rng.random((4, 21)), r) for r in (0, 3, -1, 4)])


def test_exceptions_from_an_iteration(built):
    a = np.arange(100.0)
    for t in THREADS:
        built.compiled._pyaot_set_num_threads(t)
        for n in (1, 2, 50, 3001):
            idx = np.arange(n) % 100
            bad = idx.copy()
            bad[n // 2] = 100 + n  # one iteration in the middle fails
            check(built, "gather", [(a, idx), (a, bad), (a, -1 - idx)])
            d = np.ones(n, dtype=np.int64)
            d[n // 2] = 0
            check(built, "divide", [(np.arange(n), d), (np.arange(n), d + 1)])
            r = np.zeros(n, dtype=np.int64)
            r[n // 2] = 13
            check(built, "raises", [(r,), (r + 1,)])


def test_recursion_in_a_body_runs_and_stops(built):
    for t in THREADS:
        built.compiled._pyaot_set_num_threads(t)
        check(built, "fibs", [(np.arange(n) % 20,) for n in (0, 1, 5, 60)])
        with pytest.raises(RecursionError):
            built.compiled.runaway(np.array([0, 1, -12345 - 10**7, 5]))
        assert built.compiled.runaway(np.array([-12345 - 10, -12345 - 3])) == 13
        # Deep but finite, on every thread: each checks its own stack.
        assert built.compiled.runaway(np.full(8, -12345 - 20000)) == 8 * 20000


def test_branches_continue_types_and_enclosing_loops(built):
    rng = np.random.default_rng(7)
    per_threads(built, "mixed", [(rng.random(n),) for n in SIZES])
    per_threads(built, "small_types", [(rng.random(n).astype(np.float32), rng.integers(0, 256, n).astype(np.uint8))
                                       for n in SIZES], rel=1e-5)
    per_threads(built, "inside_loops", [(rng.random((n, 2)), k) for n in (0, 1, 5, 1000) for k in (0, 1, 3)])
    per_threads(built, "rec_prange", [(n, rng.random(k)) for n in (0, 1, 2, 3) for k in (0, 1, 2, 5)])


def test_print_in_a_body(built, capfd):
    for t in THREADS:
        built.compiled._pyaot_set_num_threads(t)
        assert built.compiled.printing(5) == 10
    assert capfd.readouterr().out == "iteration 2\n" * len(THREADS)


def test_many_python_threads_at_once(built):
    rng = np.random.default_rng(6)
    a = rng.integers(-1000, 1000, 200_000)
    m = rng.random((64, 200))
    expected_sum = int(a.sum())
    expected_norms = np.sqrt((m * m).sum(axis=1))
    built.compiled._pyaot_set_num_threads(2)
    errors = []

    def work(k):
        try:
            for _ in range(20):
                assert built.compiled.isum(a) == expected_sum
                assert np.allclose(built.compiled.row_norms(m), expected_norms, rtol=1e-12)
                with pytest.raises(IndexError):
                    built.compiled.gather(np.arange(3.0), np.array([0, 1, 7, 2]))
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
