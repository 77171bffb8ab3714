"""A moving average through a cumulative sum, then the spread of what it
removed: np.cumsum, slices of it and a reduction."""
import numpy as np

SIGNATURES = {"running_filter": "float64[:](float64[:], int64)"}
SIZES = {"check": (1000, 5), "quick": (500_000, 25), "full": (10_000_000, 50)}


def running_filter(a, w):
    c = np.cumsum(a)
    smooth = (c[w:] - c[:-w]) / w
    residual = a[w:] - smooth
    return smooth - np.mean(residual) + np.std(residual)


def make_inputs(size, rng):
    n, w = size
    return np.cumsum(rng.standard_normal(n)), w


numpy_version = running_filter
