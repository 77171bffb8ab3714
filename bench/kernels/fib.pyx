# cython: language_level=3

cdef long fib_native(long n) nogil:
    if n < 2:
        return n
    return fib_native(n - 1) + fib_native(n - 2)


def fib(long n):
    return fib_native(n)
