# cython: boundscheck=False, wraparound=False, language_level=3

cdef double walk(const long[::1] left, const long[::1] right, const double[::1] value,
                 long node, long depth) nogil:
    if node < 0:
        return 0.0
    return (value[node] * depth
            + walk(left, right, value, left[node], depth + 1)
            + walk(left, right, value, right[node], depth + 1))


def tree_walk(const long[::1] left, const long[::1] right, const double[::1] value,
              long node, long depth):
    return walk(left, right, value, node, depth)
