"""A Monte-Carlo-style reduction: the share of points of a deterministic
pseudo-random sequence inside the unit circle, and the mean distance, summed
over a prange loop (two reductions, one of them in a branch)."""
import math

from pyaot import prange

SIGNATURE = "float64(int64)"
SIZES = {"check": 1000, "quick": 2_000_000, "full": 20_000_000}


def monte_carlo(n):
    inside = 0
    dist = 0.0
    for i in prange(n):  # omp parallel for reduction(+:inside, dist)
        x = ((i * 1103515245 + 12345) % 2147483648) / 2147483648.0
        y = ((i * 69069 + 1) % 4294967296) / 4294967296.0
        r = math.sqrt(x * x + y * y)
        dist += r
        if r < 1.0:
            inside += 1
    return 4.0 * inside / n + dist / n


def make_inputs(size, rng):
    return (size,)
