"""Mandelbrot escape times with complex arithmetic; signatures in the source."""
import numpy as np

from pyaot import export


def escape_time(c, max_iter):
    z = 0j
    for i in range(max_iter):
        z = z * z + c
        if z.real * z.real + z.imag * z.imag > 4.0:
            return i
    return max_iter


@export("int32[:, :](float64, float64, float64, float64, int64, int64, int64)")
def mandelbrot(xmin, xmax, ymin, ymax, width, height, max_iter):
    image = np.zeros((height, width), np.int32)
    for y in range(height):
        ci = ymin + (ymax - ymin) * y / height
        for x in range(width):
            cr = xmin + (xmax - xmin) * x / width
            image[y, x] = escape_time(cr + ci * 1j, max_iter)
    return image
