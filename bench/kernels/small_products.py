"""Many products of small matrices: a 3x3 rotation applied again and again,
as in particle or robotics code, where each np.dot call is tiny."""
import numpy as np

SIGNATURES = {"small_products": "float64[:, :](float64[:, :], float64[:, :], int64)"}
SIZES = {"check": 50, "quick": 20_000, "full": 500_000}


def small_products(rot, points, steps):
    p = points.copy()
    for _ in range(steps):
        p = np.dot(p, rot)
    return p


def make_inputs(steps, rng):
    t = 0.001
    c, s = np.cos(t), np.sin(t)
    rot = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    return rot, rng.standard_normal((4, 3)), steps


numpy_version = small_products
