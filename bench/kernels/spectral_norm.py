"""Spectral norm of the infinite matrix A[i, j] = 1 / ((i+j)(i+j+1)/2 + i + 1)."""
import math

import numpy as np

SIGNATURES = {"spectral_norm": "float64(int64, int64)"}
# (matrix order, power iterations).  The iteration count is an argument: with a
# constant trip count gcc -O3 fully unrolls the loop over the inlined helpers and
# takes minutes to compile the Pythran module.
SIZES = {"check": (30, 10), "quick": (60, 10), "full": (800, 10)}


def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def mult_av(v, out):
    n = v.shape[0]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(i, j) * v[j]
        out[i] = s


def mult_atv(v, out):
    n = v.shape[0]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(j, i) * v[j]
        out[i] = s


def mult_atav(v, out, tmp):
    mult_av(v, tmp)
    mult_atv(tmp, out)


def spectral_norm(n, iterations):
    u = np.ones(n)
    v = np.zeros(n)
    tmp = np.zeros(n)
    for k in range(iterations):
        mult_atav(u, v, tmp)
        mult_atav(v, u, tmp)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)


def make_inputs(size, rng):
    return size


def numpy_version(n, iterations):
    i = np.arange(n).reshape(-1, 1)
    j = np.arange(n).reshape(1, -1)
    a = 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)
    u = np.ones(n)
    v = np.zeros(n)
    for _ in range(iterations):
        v = a.T @ (a @ u)
        u = a.T @ (a @ v)
    return math.sqrt(np.dot(u, v) / np.dot(v, v))
