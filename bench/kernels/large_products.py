"""Products of large float matrices, where BLAS decides the speed: a few
steps of a power iteration on a dense matrix."""
import numpy as np

SIGNATURES = {"large_products": "float64[:, :](float64[:, :], float64[:, :], int64)"}
SIZES = {"check": (20, 2), "quick": (200, 3), "full": (800, 3)}


def large_products(a, x, steps):
    for _ in range(steps):
        x = np.dot(a, x)
        x = x / np.sqrt(np.sum(x * x))
    return x


def make_inputs(size, rng):
    n, steps = size
    return rng.standard_normal((n, n)) / n, rng.standard_normal((n, n)), steps


numpy_version = large_products
