"""Direct-sum gravitational n-body simulation (softened), symplectic Euler."""
import math

import numpy as np

SIGNATURES = {
    "nbody": "float64[:, :](float64[:, :], float64[:, :], float64[:], float64, int64)"}
# (bodies, time steps)
SIZES = {"check": (16, 3), "quick": (100, 5), "full": (1000, 10)}


def accelerations(pos, mass, acc):
    n = pos.shape[0]
    for i in range(n):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(n):
            if i != j:
                dx = pos[j, 0] - pos[i, 0]
                dy = pos[j, 1] - pos[i, 1]
                dz = pos[j, 2] - pos[i, 2]
                r2 = dx * dx + dy * dy + dz * dz + 0.01
                scale = mass[j] / (r2 * math.sqrt(r2))
                ax += dx * scale
                ay += dy * scale
                az += dz * scale
        acc[i, 0] = ax
        acc[i, 1] = ay
        acc[i, 2] = az


def nbody(pos0, vel0, mass, dt, steps):
    pos = pos0.copy()
    vel = vel0.copy()
    acc = np.zeros_like(pos)
    n = pos.shape[0]
    for step in range(steps):
        accelerations(pos, mass, acc)
        for i in range(n):
            for d in range(3):
                vel[i, d] += dt * acc[i, d]
                pos[i, d] += dt * vel[i, d]
    return pos


def make_inputs(size, rng):
    bodies, steps = size
    pos = rng.random((bodies, 3))
    vel = rng.random((bodies, 3)) * 0.01
    mass = rng.random(bodies) / bodies
    return pos, vel, mass, 0.001, steps
