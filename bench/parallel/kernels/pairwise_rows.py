"""Euclidean distance between every pair of points, rows in parallel."""
import math

import numpy as np
from pyaot import prange

SIGNATURE = "float64[:, :](float64[:, :])"
SIZES = {"check": (30, 3), "quick": (800, 3), "full": (3000, 3)}


def pairwise_rows(points):
    n = points.shape[0]
    dims = points.shape[1]
    dist = np.empty((n, n))
    for i in prange(n):  # omp parallel for
        for j in range(n):
            s = 0.0
            for k in range(dims):
                d = points[i, k] - points[j, k]
                s += d * d
            dist[i, j] = math.sqrt(s)
    return dist


def make_inputs(size, rng):
    return (rng.random(size),)
