"""Naive recursive Fibonacci: measures the cost of a native-to-native call."""

SIGNATURES = {"fib": "int64(int64)"}
SIZES = {"check": 15, "quick": 22, "full": 35}


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def make_inputs(n, rng):
    return (n,)
