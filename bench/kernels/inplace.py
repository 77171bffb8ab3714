"""Repeated in-place updates of whole arrays: a damped oscillator stepped with
+=, -= and *= on arrays."""
import numpy as np

SIGNATURES = {"inplace": "float64[:](float64[:], float64[:], float64, int64)"}
SIZES = {"check": (1000, 3), "quick": (200_000, 10), "full": (2_000_000, 20)}


def inplace(pos, vel, dt, steps):
    p = pos.copy()
    v = vel.copy()
    for _ in range(steps):
        v -= dt * p
        v *= 0.999
        p += dt * v
    return p


def make_inputs(size, rng):
    n, steps = size
    return rng.standard_normal(n), rng.standard_normal(n), 0.01, steps


numpy_version = inplace
