"""Dot product of two float64 vectors (a sequential reduction)."""
import numpy as np

SIGNATURES = {"dot": "float64(float64[:], float64[:])"}
SIZES = {"check": 1000, "quick": 1_000_000, "full": 20_000_000}


def dot(a, b):
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total


def make_inputs(n, rng):
    return rng.random(n), rng.random(n)


def numpy_version(a, b):
    return np.dot(a, b)
