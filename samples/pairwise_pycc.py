"""Pairwise distances between points, written for numba.pycc (Numba's
ahead-of-time compiler) and built by pyaot unchanged:

    pyaot build samples/pairwise_pycc.py -o out/

writes out/pairwise_aot<EXT_SUFFIX>, the module named by CC() below, with
`pairwise` and `nearest` in it. Numba does not need to be installed, neither
to build nor to run it. `python3 pairwise_pycc.py` still builds it with Numba.
"""
import math

import numpy as np
from numba import njit
from numba.pycc import CC

cc = CC('pairwise_aot')


@njit
def distance(x, i, j):
    s = 0.0
    for k in range(x.shape[1]):
        d = x[i, k] - x[j, k]
        s += d * d
    return math.sqrt(s)


@cc.export('pairwise', 'f8[:, :](f8[:, :])')
def pairwise(x):
    n = x.shape[0]
    out = np.empty((n, n))
    for i in range(n):
        out[i, i] = 0.0
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = distance(x, i, j)
    return out


@cc.export('nearest', 'i8[:](f8[:, :])')
def nearest(x):
    n = x.shape[0]
    best = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        closest = np.inf
        for j in range(n):
            if j != i:
                d = distance(x, i, j)
                if d < closest:
                    closest = d
                    best[i] = j
    return best


if __name__ == "__main__":
    cc.compile()
