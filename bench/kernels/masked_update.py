"""Clipping and zeroing through boolean masks: x[x < lo] = lo, the numpy way."""
import numpy as np

SIGNATURES = {"masked_update": "float64[:](float64[:], float64[:], float64, float64)"}
SIZES = {"check": 1000, "quick": 500_000, "full": 10_000_000}


def masked_update(x, noise, lo, hi):
    y = x + noise
    y[y < lo] = lo
    y[y > hi] = hi
    y[np.isnan(y)] = 0.0
    return y


def make_inputs(n, rng):
    x = rng.standard_normal(n)
    x[::97] = np.nan
    return x, 0.1 * rng.standard_normal(n), -1.0, 1.0


numpy_version = masked_update
