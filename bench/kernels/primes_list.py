"""Primes by trial division against a growing list of the primes found so
far, then the gaps between them by a comprehension: list append, indexing,
iteration and a list comprehension in the hot loop, as everyday code writes
them."""

SIGNATURES = {"primes_list": "Tuple((int64, int64, int64))(int64)"}
SIZES = {"check": 2_000, "quick": 50_000, "full": 400_000}


def primes_list(limit):
    primes = []
    for n in range(2, limit):
        is_prime = True
        for p in primes:
            if p * p > n:
                break
            if n % p == 0:
                is_prime = False
                break
        if is_prime:
            primes.append(n)
    gaps = [primes[i + 1] - primes[i] for i in range(len(primes) - 1)]
    return len(primes), max(gaps), sum(gaps)


def make_inputs(n, rng):
    return (n,)
