"""Explicit 2-D heat equation: a five-point stencil swept `steps` times."""
import numpy as np

SIGNATURES = {"diffusion": "float64[:, :](float64[:, :], int64)"}
# (grid side, time steps)
SIZES = {"check": (20, 5), "quick": (150, 10), "full": (1000, 40)}


def diffusion(u0, steps):
    n, m = u0.shape
    u = u0.copy()
    v = u0.copy()
    for step in range(steps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                v[i, j] = u[i, j] + 0.2 * (
                    u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1]
                    - 4.0 * u[i, j])
        u, v = v, u
    return u


def make_inputs(size, rng):
    side, steps = size
    return rng.random((side, side)), steps


def numpy_version(u0, steps):
    u = u0.copy()
    v = u0.copy()
    for _ in range(steps):
        v[1:-1, 1:-1] = u[1:-1, 1:-1] + 0.2 * (
            u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:]
            - 4.0 * u[1:-1, 1:-1])
        u, v = v, u
    return u
