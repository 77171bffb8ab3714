"""Call-overhead probes: almost no work, so the time is the boundary crossing."""

SIGNATURES = {
    "add": "int64(int64, int64)",
    "first_sum": "float64(float64[:], float64[:])",
}


def add(a, b):
    return a + b


def first_sum(a, b):
    return a[0] + b[0]
