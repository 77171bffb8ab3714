# cython: boundscheck=False, wraparound=False, language_level=3

def dot(double[::1] a, double[::1] b):
    cdef Py_ssize_t i
    cdef double total = 0.0
    for i in range(a.shape[0]):
        total += a[i] * b[i]
    return total
