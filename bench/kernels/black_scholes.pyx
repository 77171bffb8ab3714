# cython: boundscheck=False, wraparound=False, cdivision=True, language_level=3
from libc.math cimport exp, log, sqrt, fabs
import numpy as np


cdef inline double cnd(double d) nogil:
    cdef double k = 1.0 / (1.0 + 0.2316419 * fabs(d))
    cdef double poly = k * (0.31938153 + k * (-0.356563782 + k * (
        1.781477937 + k * (-1.821255978 + k * 1.330274429))))
    cdef double tail = 0.3989422804014327 * exp(-0.5 * d * d) * poly
    if d > 0.0:
        return 1.0 - tail
    return tail


def black_scholes(double[::1] price, double[::1] strike, double[::1] years,
                  double rate, double vol):
    cdef Py_ssize_t i, n = price.shape[0]
    cdef double s, k, t, sqrt_t, d1, d2
    result = np.empty(n)
    cdef double[::1] call = result
    for i in range(n):
        s = price[i]
        k = strike[i]
        t = years[i]
        sqrt_t = sqrt(t)
        d1 = (log(s / k) + (rate + 0.5 * vol * vol) * t) / (vol * sqrt_t)
        d2 = d1 - vol * sqrt_t
        call[i] = s * cnd(d1) - k * exp(-rate * t) * cnd(d2)
    return result
