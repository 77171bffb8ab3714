"""Total Collatz stopping time of 1..limit-1: integer // and % in a scalar loop."""

SIGNATURES = {"collatz": "int64(int64)"}
SIZES = {"check": 500, "quick": 10_000, "full": 300_000}


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def collatz(limit):
    total = 0
    for i in range(1, limit):
        total += collatz_steps(i)
    return total


def make_inputs(n, rng):
    return (n,)
