"""Mandelbrot set escape times, with complex scalar arithmetic."""
import numpy as np

SIGNATURES = {
    "mandelbrot": "int64[:, :](float64, float64, float64, float64, int64, int64, int64)"}
# (width, height, max iterations)
SIZES = {"check": (24, 16, 50), "quick": (120, 80, 100), "full": (1200, 800, 200)}


def escape_time(c, max_iter):
    z = 0j
    for i in range(max_iter):
        z = z * z + c
        if z.real * z.real + z.imag * z.imag > 4.0:
            return i
    return max_iter


def mandelbrot(xmin, xmax, ymin, ymax, width, height, max_iter):
    image = np.zeros((height, width), np.int64)
    for y in range(height):
        ci = ymin + (ymax - ymin) * y / height
        for x in range(width):
            cr = xmin + (xmax - xmin) * x / width
            image[y, x] = escape_time(cr + ci * 1j, max_iter)
    return image


def make_inputs(size, rng):
    width, height, max_iter = size
    return -2.0, 1.0, -1.0, 1.0, width, height, max_iter
