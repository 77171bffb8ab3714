"""Counting integer keys with a dict, as everyday code writes it (`if k in
d: d[k] += 1 else: d[k] = 1`; Numba does not type d.get on a dict no store
has typed yet), then the number of distinct keys and the most common one
read back by iterating over the items: hashing, probing, insertion and
growth of the table in the hot loop."""

SIGNATURES = {"dict_count": "Tuple((int64, int64, int64))(int64[:])"}
SIZES = {"check": 2_000, "quick": 200_000, "full": 2_000_000}


def dict_count(keys):
    d = {}
    for k in keys:
        if k in d:
            d[k] += 1
        else:
            d[k] = 1
    best = -1
    best_n = 0
    for k, n in d.items():
        if n > best_n or (n == best_n and k < best):
            best = k
            best_n = n
    return len(d), best, best_n


def make_inputs(n, rng):
    # About n / 8 distinct keys spread over a wide range: a table of a few
    # megabytes at the full size, as a histogram of sparse ids makes.
    return (rng.integers(0, n // 8 + 1, n) * 7919 - 10**6,)
