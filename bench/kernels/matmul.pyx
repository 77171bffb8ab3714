# cython: boundscheck=False, wraparound=False, language_level=3
import numpy as np


def matmul(double[:, ::1] a, double[:, ::1] b):
    cdef Py_ssize_t i, j, k
    cdef Py_ssize_t n = a.shape[0], m = a.shape[1], p = b.shape[1]
    cdef double s
    result = np.zeros((n, p))
    cdef double[:, ::1] c = result
    for i in range(n):
        for j in range(p):
            s = 0.0
            for k in range(m):
                s += a[i, k] * b[k, j]
            c[i, j] = s
    return result
