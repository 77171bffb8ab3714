# cython: cdivision=True, language_level=3

cdef long collatz_steps(long n) nogil:
    cdef long steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def collatz(long limit):
    cdef long i, total = 0
    for i in range(1, limit):
        total += collatz_steps(i)
    return total
