"""Fixed-width histogram over [lo, hi); values outside are ignored."""
import numpy as np

SIGNATURES = {"histogram": "int64[:](float64[:], float64, float64, int64)"}
SIZES = {"check": 1000, "quick": 1_000_000, "full": 10_000_000}


def histogram(data, lo, hi, nbins):
    counts = np.zeros(nbins, np.int64)
    scale = nbins / (hi - lo)
    for i in range(len(data)):
        x = data[i]
        if x >= lo and x < hi:
            b = int((x - lo) * scale)
            if b >= nbins:
                b = nbins - 1
            counts[b] += 1
    return counts


def make_inputs(n, rng):
    return rng.normal(0.5, 0.25, n), 0.0, 1.0, 100


def numpy_version(data, lo, hi, nbins):
    x = data[(data >= lo) & (data < hi)]
    bins = np.minimum(((x - lo) * (nbins / (hi - lo))).astype(np.int64), nbins - 1)
    return np.bincount(bins, minlength=nbins)
