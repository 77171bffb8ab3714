# cython: boundscheck=False, wraparound=False, cdivision=True, language_level=3
import numpy as np


cdef long escape_time(double complex c, long max_iter) nogil:
    cdef double complex z = 0
    cdef long i
    for i in range(max_iter):
        z = z * z + c
        if z.real * z.real + z.imag * z.imag > 4.0:
            return i
    return max_iter


def mandelbrot(double xmin, double xmax, double ymin, double ymax,
               long width, long height, long max_iter):
    cdef long x, y
    cdef double cr, ci
    result = np.zeros((height, width), np.int64)
    cdef long[:, ::1] image = result
    for y in range(height):
        ci = ymin + (ymax - ymin) * y / height
        for x in range(width):
            cr = xmin + (xmax - xmin) * x / width
            image[y, x] = escape_time(cr + ci * 1j, max_iter)
    return result
