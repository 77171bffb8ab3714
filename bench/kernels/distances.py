"""Pairwise distances between points, by broadcasting columns against rows."""
import numpy as np

SIGNATURES = {"distances": "float64[:, :](float64[:], float64[:], float64[:])"}
SIZES = {"check": 50, "quick": 800, "full": 3000}


def distances(x, y, z):
    dx = x.reshape((-1, 1)) - x.reshape((1, -1))
    dy = y.reshape((-1, 1)) - y.reshape((1, -1))
    dz = z.reshape((-1, 1)) - z.reshape((1, -1))
    return np.sqrt(dx * dx + dy * dy + dz * dz)


def make_inputs(n, rng):
    return rng.random(n), rng.random(n), rng.random(n)


numpy_version = distances
