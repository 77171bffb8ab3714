"""Jacobi iterations of the Laplace equation written with slices, the numpy way:
each step one whole-array expression assigned into the interior."""
import numpy as np

SIGNATURES = {"laplace": "float64[:, :](float64[:, :], int64)"}
SIZES = {"check": (20, 5), "quick": (300, 20), "full": (1000, 50)}


def laplace(u, steps):
    for _ in range(steps):
        u[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return u


def make_inputs(size, rng):
    n, steps = size
    u = np.zeros((n, n))
    u[0, :] = 1.0
    u[:, 0] = rng.random(n)
    return u, steps


numpy_version = laplace
