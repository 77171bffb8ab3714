"""Black-Scholes European call prices; the normal CDF is the Abramowitz-Stegun polynomial."""
import math

import numpy as np

SIGNATURES = {
    "black_scholes": "float64[:](float64[:], float64[:], float64[:], float64, float64)"}
SIZES = {"check": 1000, "quick": 100_000, "full": 2_000_000}


def cnd(d):
    k = 1.0 / (1.0 + 0.2316419 * abs(d))
    poly = k * (0.31938153 + k * (-0.356563782 + k * (
        1.781477937 + k * (-1.821255978 + k * 1.330274429))))
    tail = 0.3989422804014327 * math.exp(-0.5 * d * d) * poly
    if d > 0.0:
        return 1.0 - tail
    return tail


def black_scholes(price, strike, years, rate, vol):
    n = len(price)
    call = np.empty(n)
    for i in range(n):
        s = price[i]
        k = strike[i]
        t = years[i]
        sqrt_t = math.sqrt(t)
        d1 = (math.log(s / k) + (rate + 0.5 * vol * vol) * t) / (vol * sqrt_t)
        d2 = d1 - vol * sqrt_t
        call[i] = s * cnd(d1) - k * math.exp(-rate * t) * cnd(d2)
    return call


def make_inputs(n, rng):
    price = rng.uniform(5.0, 30.0, n)
    strike = rng.uniform(1.0, 100.0, n)
    years = rng.uniform(0.25, 10.0, n)
    return price, strike, years, 0.02, 0.30


def _numpy_cnd(d):
    k = 1.0 / (1.0 + 0.2316419 * np.abs(d))
    poly = k * (0.31938153 + k * (-0.356563782 + k * (
        1.781477937 + k * (-1.821255978 + k * 1.330274429))))
    tail = 0.3989422804014327 * np.exp(-0.5 * d * d) * poly
    return np.where(d > 0.0, 1.0 - tail, tail)


def numpy_version(price, strike, years, rate, vol):
    sqrt_t = np.sqrt(years)
    d1 = (np.log(price / strike) + (rate + 0.5 * vol * vol) * years) / (vol * sqrt_t)
    d2 = d1 - vol * sqrt_t
    return price * _numpy_cnd(d1) - strike * np.exp(-rate * years) * _numpy_cnd(d2)
