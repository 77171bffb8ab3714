"""A Mandelbrot image, rows in parallel: rows near the set cost far more than
the others, so the pool's shrinking chunks have to balance them."""
import numpy as np
from pyaot import prange

SIGNATURE = "int64[:, :](int64, int64, int64)"
SIZES = {"check": (40, 60, 50), "quick": (300, 400, 100), "full": (1200, 1600, 200)}


def mandelbrot_rows(height, width, maxiter):
    out = np.zeros((height, width), dtype=np.int64)
    for y in prange(height):  # omp parallel for schedule(dynamic)
        ci = -1.2 + 2.4 * y / height
        for x in range(width):
            cr = -2.0 + 3.0 * x / width
            zr = 0.0
            zi = 0.0
            k = 0
            while k < maxiter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                k += 1
            out[y, x] = k
    return out


def make_inputs(size, rng):
    return size
