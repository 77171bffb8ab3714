# cython: boundscheck=False, wraparound=False, language_level=3
from libc.math cimport sqrt
import numpy as np


def pairwise(double[:, ::1] points):
    cdef Py_ssize_t i, j, k
    cdef Py_ssize_t n = points.shape[0], dims = points.shape[1]
    cdef double s, d
    result = np.empty((n, n))
    cdef double[:, ::1] dist = result
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(dims):
                d = points[i, k] - points[j, k]
                s += d * d
            dist[i, j] = sqrt(s)
    return result
