"""Black-Scholes European call prices written with whole arrays, as in numpy."""
import numpy as np

SIGNATURES = {
    "black_scholes_vec": "float64[:](float64[:], float64[:], float64[:], float64, float64)"}
SIZES = {"check": 1000, "quick": 100_000, "full": 2_000_000}


def black_scholes_vec(price, strike, years, rate, vol):
    sqrt_t = np.sqrt(years)
    d1 = (np.log(price / strike) + (rate + 0.5 * vol * vol) * years) / (vol * sqrt_t)
    d2 = d1 - vol * sqrt_t
    k1 = 1.0 / (1.0 + 0.2316419 * np.abs(d1))
    k2 = 1.0 / (1.0 + 0.2316419 * np.abs(d2))
    p1 = k1 * (0.31938153 + k1 * (-0.356563782 + k1 * (1.781477937 + k1 * (-1.821255978 + k1 * 1.330274429))))
    p2 = k2 * (0.31938153 + k2 * (-0.356563782 + k2 * (1.781477937 + k2 * (-1.821255978 + k2 * 1.330274429))))
    t1 = 0.3989422804014327 * np.exp(-0.5 * d1 * d1) * p1
    t2 = 0.3989422804014327 * np.exp(-0.5 * d2 * d2) * p2
    n1 = np.where(d1 > 0.0, 1.0 - t1, t1)
    n2 = np.where(d2 > 0.0, 1.0 - t2, t2)
    return price * n1 - strike * np.exp(-rate * years) * n2


def make_inputs(n, rng):
    price = rng.uniform(5.0, 30.0, n)
    strike = rng.uniform(1.0, 100.0, n)
    years = rng.uniform(0.25, 10.0, n)
    return price, strike, years, 0.02, 0.30


numpy_version = black_scholes_vec
