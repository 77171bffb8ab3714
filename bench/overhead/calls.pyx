# cython: boundscheck=False, wraparound=False, language_level=3

def add(long a, long b):
    return a + b


def first_sum(double[::1] a, double[::1] b):
    return a[0] + b[0]
