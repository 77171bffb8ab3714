"""Reductions of expressions: a root-mean-square error and a weighted norm, with
no array in between."""
import numpy as np

SIGNATURES = {"expr_reduction": "float64(float64[:], float64[:], float64[:])"}
SIZES = {"check": 1000, "quick": 500_000, "full": 10_000_000}


def expr_reduction(a, b, w):
    rmse = np.sqrt(((a - b) ** 2).mean())
    norm = np.sqrt((w * a * a).sum())
    return rmse + norm + (np.abs(a - b)).max()


def make_inputs(n, rng):
    return rng.standard_normal(n), rng.standard_normal(n), rng.random(n)


numpy_version = expr_reduction
