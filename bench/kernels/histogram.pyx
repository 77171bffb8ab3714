# cython: boundscheck=False, wraparound=False, language_level=3
import numpy as np


def histogram(double[::1] data, double lo, double hi, long nbins):
    cdef Py_ssize_t i, b
    cdef double x, scale = nbins / (hi - lo)
    result = np.zeros(nbins, np.int64)
    cdef long[::1] counts = result
    for i in range(data.shape[0]):
        x = data[i]
        if x >= lo and x < hi:
            b = <Py_ssize_t>((x - lo) * scale)
            if b >= nbins:
                b = nbins - 1
            counts[b] += 1
    return result
