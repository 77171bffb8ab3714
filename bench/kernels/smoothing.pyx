# cython: boundscheck=False, wraparound=False, language_level=3
import numpy as np


def smoothing(double[::1] x, double alpha):
    cdef Py_ssize_t i, n = x.shape[0]
    result = np.empty(n)
    cdef double[::1] out = result
    if n == 0:
        return result
    cdef double level = x[0]
    for i in range(n):
        level = alpha * x[i] + (1.0 - alpha) * level
        out[i] = level
    return result
