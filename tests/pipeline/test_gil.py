"""Compiled calls let go of the GIL: other Python threads run while one is in
compiled code, unless the function says nogil=False (pyaot.export's, or
Numba's nogil=False) or can recurse. Errors, printing and calls into numpy
from compiled code still work without it."""
import threading
import time

import numpy as np
import pytest

SOURCE = '''
import numpy as np
from pyaot import export

@export("float64(float64[:], int64)")
def spin(a, rounds):
    s = 0.0
    for k in range(rounds):
        for i in range(a.shape[0]):
            s += a[i] * 1.0000001
    return s

@export("float64(float64[:], int64)", nogil=False)
def spin_holding(a, rounds):
    s = 0.0
    for k in range(rounds):
        for i in range(a.shape[0]):
            s += a[i] * 1.0000001
    return s

@export("int64(int64[:], int64)")
def at(a, i):
    return int(a[i]) // (i - 3)

@export("float64(float64[:, :], float64[:, :])")
def matmul_trace(a, b):
    return np.trace(a @ b)

@export("int64(int64)")
def noisy(n):
    s = 0
    for i in range(n):
        s += i
    print("sum", s)
    return s

@export("float64(float64[:])")
def normal_sum(a):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = a[i] * 2.0
    return out.sum()
'''


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, [])


def longest_stall(call):
    """Runs call() in another thread while this one keeps taking timestamps:
    (the longest gap between them while the call ran, the call's duration).
    A call holding the GIL stalls this thread for all of it."""
    started, done = threading.Event(), threading.Event()
    span = []

    def run():
        started.set()
        t0 = time.perf_counter()
        call()
        span.append((t0, time.perf_counter()))
        done.set()

    t = threading.Thread(target=run)
    stamps = []
    t.start()
    started.wait()
    while not done.is_set():
        stamps.append(time.perf_counter())
    t.join()
    t0, t1 = span[0]
    inside = [s for s in stamps if t0 <= s <= t1] + [t1]
    gaps = [b - a for a, b in zip([t0] + inside, inside)]
    return max(gaps), t1 - t0


def rounds_for(m, a, seconds):
    t0 = time.perf_counter()
    m.compiled.spin(a, 1)
    once = max(time.perf_counter() - t0, 1e-6)
    return max(1, int(seconds / once))


def test_other_threads_run_during_a_call(m):
    a = np.random.default_rng(0).random(100_000)
    rounds = rounds_for(m, a, 0.4)
    stall, took = longest_stall(lambda: m.compiled.spin(a, rounds))
    assert stall < 0.5 * took, (stall, took)


def test_nogil_false_keeps_the_gil(m):
    a = np.random.default_rng(0).random(100_000)
    rounds = rounds_for(m, a, 0.4)
    stall, took = longest_stall(lambda: m.compiled.spin_holding(a, rounds))
    assert stall > 0.8 * took, (stall, took)


def test_many_threads_calling_at_once(m):
    rng = np.random.default_rng(1)
    arrays = [rng.random(n) for n in (0, 1, 1000, 50_000, 123_457, 7)]
    expected = [m.reference.spin(a, 3) for a in arrays]
    results, errors = {}, []

    def worker(k):
        try:
            for _ in range(20):
                for j, a in enumerate(arrays):
                    got = m.compiled.spin(a, 3)
                    if got != expected[j]:
                        results[(k, j)] = got
                    assert m.compiled.normal_sum(a) == m.reference.normal_sum(a)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and not results, (errors, results)


def test_errors_without_the_gil(m):
    a = np.arange(10, dtype=np.int64)
    for i in (0, 2, 4, 9, 3, 10, -11):
        try:
            expected = ("ok", m.reference.at(a, i))
        except Exception as e:
            expected = (type(e), str(e))
        try:
            got = ("ok", m.compiled.at(a, i))
        except Exception as e:
            got = (type(e), str(e))
        assert got[0] == expected[0], (i, got, expected)
        if got[0] is ZeroDivisionError or got[0] == "ok":
            assert got == expected


def test_errors_in_many_threads(m):
    a = np.arange(10, dtype=np.int64)
    failures = []

    def worker():
        for _ in range(200):
            try:
                m.compiled.at(a, 3)
                failures.append("no error")
            except ZeroDivisionError:
                pass
            except Exception as e:
                failures.append(e)
            if m.compiled.at(a, 5) != 2:
                failures.append("wrong")

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:3]


def test_numpy_and_print_without_the_gil(m, capfd):
    rng = np.random.default_rng(2)
    a, b = rng.random((64, 64)), rng.random((64, 64))
    assert m.compiled.matmul_trace(a, b) == pytest.approx(m.reference.matmul_trace(a, b), rel=1e-12)
    assert m.compiled.noisy(10) == 45
    assert "sum 45" in capfd.readouterr().out
