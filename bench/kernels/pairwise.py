"""Euclidean distance between every pair of points (rows)."""
import math

import numpy as np

SIGNATURES = {"pairwise": "float64[:, :](float64[:, :])"}
# (points, dimensions)
SIZES = {"check": (20, 3), "quick": (250, 3), "full": (3000, 3)}


def pairwise(points):
    n, dims = points.shape
    dist = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(dims):
                d = points[i, k] - points[j, k]
                s += d * d
            dist[i, j] = math.sqrt(s)
    return dist


def make_inputs(size, rng):
    return (rng.random(size),)


def numpy_version(points):
    diff = points[:, None, :] - points[None, :, :]
    return np.sqrt((diff * diff).sum(axis=-1))
