"""2-D finite-difference time-domain (Yee, TMz) wave propagation from a point source."""
import math

import numpy as np

SIGNATURES = {"fdtd": "float64[:, :](int64, int64, int64)"}
# (nx, ny, time steps)
SIZES = {"check": (20, 24, 10), "quick": (80, 80, 15), "full": (500, 500, 100)}


def fdtd(nx, ny, steps):
    ez = np.zeros((nx, ny))
    hx = np.zeros((nx, ny))
    hy = np.zeros((nx, ny))
    for t in range(steps):
        for i in range(nx):
            for j in range(ny - 1):
                hx[i, j] -= 0.5 * (ez[i, j + 1] - ez[i, j])
        for i in range(nx - 1):
            for j in range(ny):
                hy[i, j] += 0.5 * (ez[i + 1, j] - ez[i, j])
        for i in range(1, nx):
            for j in range(1, ny):
                ez[i, j] += 0.5 * ((hy[i, j] - hy[i - 1, j]) - (hx[i, j] - hx[i, j - 1]))
        g = (t - 30.0) / 10.0
        ez[nx // 2, ny // 2] = math.exp(-0.5 * g * g)
    return ez


def make_inputs(size, rng):
    return size


def numpy_version(nx, ny, steps):
    ez = np.zeros((nx, ny))
    hx = np.zeros((nx, ny))
    hy = np.zeros((nx, ny))
    for t in range(steps):
        hx[:, :-1] -= 0.5 * (ez[:, 1:] - ez[:, :-1])
        hy[:-1, :] += 0.5 * (ez[1:, :] - ez[:-1, :])
        ez[1:, 1:] += 0.5 * ((hy[1:, 1:] - hy[:-1, 1:]) - (hx[1:, 1:] - hx[1:, :-1]))
        g = (t - 30.0) / 10.0
        ez[nx // 2, ny // 2] = math.exp(-0.5 * g * g)
    return ez
