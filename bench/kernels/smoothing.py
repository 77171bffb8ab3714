"""Exponential smoothing: a first-order recurrence, so no vectorised numpy form."""
import numpy as np

SIGNATURES = {"smoothing": "float64[:](float64[:], float64)"}
SIZES = {"check": 1000, "quick": 500_000, "full": 10_000_000}


def smoothing(x, alpha):
    out = np.empty_like(x)
    if len(x) == 0:
        return out
    level = x[0]
    for i in range(len(x)):
        level = alpha * x[i] + (1.0 - alpha) * level
        out[i] = level
    return out


def make_inputs(n, rng):
    return rng.standard_normal(n).cumsum(), 0.1
