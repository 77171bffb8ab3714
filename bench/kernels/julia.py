"""Julia set escape times for a complex parameter c (uses abs() of a complex)."""
import numpy as np

SIGNATURES = {"julia": "int64[:, :](complex128, int64, int64, int64)"}
# (width, height, max iterations)
SIZES = {"check": (24, 16, 50), "quick": (120, 80, 100), "full": (800, 600, 200)}


def julia(c, width, height, max_iter):
    image = np.zeros((height, width), np.int64)
    for y in range(height):
        zi = -1.0 + 2.0 * y / height
        for x in range(width):
            z = -1.5 + 3.0 * x / width + zi * 1j
            count = 0
            while count < max_iter and abs(z) < 2.0:
                z = z * z + c
                count += 1
            image[y, x] = count
    return image


def make_inputs(size, rng):
    width, height, max_iter = size
    return -0.8 + 0.156j, width, height, max_iter
