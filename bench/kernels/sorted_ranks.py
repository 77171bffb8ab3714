"""Sort-based statistics: each query's rank in a sorted sample, the sample's
median and its distinct values, with np.sort, np.searchsorted and np.unique."""
import numpy as np

SIGNATURES = {"sorted_ranks": "float64(float64[:], float64[:], int64[:])"}
SIZES = {"check": 500, "quick": 200_000, "full": 2_000_000}


def sorted_ranks(sample, queries, labels):
    s = np.sort(sample)
    ranks = np.searchsorted(s, queries)
    distinct = np.unique(labels)
    return ranks.mean() + np.median(sample) + distinct.shape[0]


def make_inputs(n, rng):
    return rng.standard_normal(n), rng.standard_normal(n // 4), rng.integers(0, n // 10, n)


numpy_version = sorted_ranks
