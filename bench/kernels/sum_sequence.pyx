# cython: boundscheck=False, wraparound=False, language_level=3
import numpy as np


def sum_sequence(long[::1] a, long[::1] b):
    cdef Py_ssize_t i, n = a.shape[0]
    result = np.zeros(n, np.int64)
    cdef long[::1] out = result
    for i in range(n):
        out[i] = a[i] - b[i]
    return result
