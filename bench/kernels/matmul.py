"""Matrix product with the textbook triple loop."""
import numpy as np

SIGNATURES = {"matmul": "float64[:, :](float64[:, :], float64[:, :])"}
SIZES = {"check": 17, "quick": 80, "full": 400}


def matmul(a, b):
    n, m = a.shape
    p = b.shape[1]
    c = np.zeros((n, p))
    for i in range(n):
        for j in range(p):
            s = 0.0
            for k in range(m):
                s += a[i, k] * b[k, j]
            c[i, j] = s
    return c


def make_inputs(n, rng):
    return rng.random((n, n)), rng.random((n, n))


def numpy_version(a, b):
    return a @ b
