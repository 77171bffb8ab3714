"""np.random in compiled code draws numpy's legacy numbers: after
np.random.seed(s) in compiled code, every function gives what numpy gives
after np.random.seed(s), bit for bit, errors included."""
import threading

import numpy as np
import pytest

from conftest import outcome, same_value

SOURCE = '''
import numpy as np

def draws(s, n):
    np.random.seed(s)
    return (np.random.rand(n), np.random.randn(n, 2), np.random.normal(1.0, 2.0, n),
            np.random.uniform(-1.0, 1.0, (2, n)), np.random.randint(0, 10, n), np.random.poisson(3.5, n),
            np.random.poisson(250.0, n), np.random.exponential(2.0, n), np.random.standard_exponential(n),
            np.random.standard_normal((n, 3)), np.random.random_sample(n), np.random.random((2, n)),
            np.random.randint(-2**62, 2**62, n), np.random.randint(n + 1, size=3))

def scalars(s):
    np.random.seed(s)
    return (np.random.random(), np.random.rand(), np.random.randn(), np.random.randint(5), np.random.randint(-3, 3),
            np.random.normal(), np.random.normal(5.0), np.random.uniform(), np.random.uniform(2.0, 3.0),
            np.random.exponential(), np.random.standard_normal(), np.random.poisson(), np.random.poisson(0.0),
            np.random.choice(7), np.random.rand(2, 3), np.random.randn(1, 2, 2))

def shuffles(s, x, m):
    np.random.seed(s)
    np.random.shuffle(x)
    np.random.shuffle(m)
    return x, m, np.random.permutation(x), np.random.permutation(len(x)), np.random.choice(x, 4), \\
        np.random.choice(len(x), (2, 2)), np.random.choice(x, len(x) // 2, False), np.random.choice(x)

def interleaved(s, n):
    np.random.seed(s)
    total = 0.0
    for i in range(n):
        if i % 3 == 0:
            total += np.random.randn()
        elif i % 3 == 1:
            total += np.random.randint(0, i + 1)
        else:
            total += np.random.poisson(i * 0.7) + np.random.rand()
    return total

def refused(s, what, x):
    np.random.seed(s)
    if what == 0:
        return np.random.normal(0.0, x)
    if what == 1:
        return np.random.exponential(x)
    if what == 2:
        return float(np.random.poisson(x))
    if what == 3:
        return np.random.uniform(0.0, x)
    if what == 4:
        return float(np.random.randint(5, int(x)))
    if what == 5:
        return float(np.random.choice(int(x)))
    return float(np.random.choice(np.arange(3.0), int(x), False)[0])
'''

SIGS = ["draws=(int64, int64)", "scalars=(int64)", "shuffles=(int64, float64[:], int64[:, :])",
        "shuffles=(int64, int32[:], float64[:, :])", "interleaved=(int64, int64)",
        "refused=(int64, int64, float64)"]

SEEDS = (0, 1, 42, 12345, 2**31, 2**32 - 1)


@pytest.fixture(scope="module")
def rnd(compile_module):
    return compile_module(SOURCE, SIGS)


def same(rnd, name, args):
    # Each side gets its own copies: shuffle works in place.
    def fresh():
        return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    expected = outcome(getattr(rnd.reference, name), fresh())
    got = outcome(getattr(rnd.compiled, name), fresh())
    assert expected[0] == got[0], (name, args, expected, got)
    if expected[0] == "value":
        assert same_value(expected[1], got[1]), (name, args, expected, got)
    else:
        assert expected[1] == got[1], (name, args, expected, got)


def test_every_draw_is_numpys(rnd):
    for s in SEEDS:
        for n in (0, 1, 2, 7, 100):
            same(rnd, "draws", (s, n))
        same(rnd, "scalars", (s,))
        same(rnd, "interleaved", (s, 200))


def test_shuffles_and_choices(rnd):
    for s in SEEDS:
        for n in (1, 2, 9, 64):
            same(rnd, "shuffles", (s, np.arange(n * 1.0), np.arange(n * 3).reshape(n, 3)))
            same(rnd, "shuffles", (s, np.arange(2 * n, dtype=np.int32)[::2], np.arange(n * 2.0).reshape(n, 2).T.copy().T))


def test_numpys_errors(rnd):
    for what, values in ((0, (-1.0, -0.0, np.nan, 1.0)), (1, (-2.0, 0.0, 3.0)), (2, (-1.0, np.nan, 1e19, 5.0)),
                         (3, (np.inf, 1.0)), (4, (5.0, 4.0, 6.0)), (5, (0.0, -2.0, 3.0)), (6, (4.0, -1.0, 2.0))):
        for x in values:
            same(rnd, "refused", (3, what, x))
    for s in (-1, 2**32, -2**63):
        same(rnd, "scalars", (s,))


def test_one_generator_per_thread(rnd):
    # Two threads seeded differently, drawing at once, each see their seed's numbers.
    results = {}

    def work(s):
        results[s] = [rnd.compiled.interleaved(s, 300) for _ in range(20)]

    threads = [threading.Thread(target=work, args=(s,)) for s in (5, 6, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in (5, 6, 7):
        assert results[s] == [rnd.reference.interleaved(s, 300)] * 20
