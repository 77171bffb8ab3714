"""The seed kernel: element-wise difference of two int64 sequences."""
import numpy as np

SIGNATURES = {"sum_sequence": "int64[:](int64[:], int64[:])"}
SIZES = {"check": 1000, "quick": 1_000_000, "full": 10_000_000}


def sum_sequence(a, b):
    result = np.zeros_like(a)
    for i in range(len(a)):
        result[i] = a[i] - b[i]
    return result


def make_inputs(n, rng):
    limit = 10**12
    return rng.integers(-limit, limit, n), rng.integers(-limit, limit, n)


def numpy_version(a, b):
    return a - b
