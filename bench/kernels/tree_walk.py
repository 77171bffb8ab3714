"""Recursive walk of a binary tree stored in arrays (children by index, -1 for none):
the sum of each node's value times its depth. Measures calls that pass arrays."""
import numpy as np

SIGNATURES = {"tree_walk": "float64(int64[::1], int64[::1], float64[::1], int64, int64)"}
SIZES = {"check": 1000, "quick": 100_000, "full": 1_000_000}


def tree_walk(left, right, value, node, depth):
    if node < 0:
        return 0.0
    return (value[node] * depth
            + tree_walk(left, right, value, left[node], depth + 1)
            + tree_walk(left, right, value, right[node], depth + 1))


def make_inputs(n, rng):
    """A random binary search tree's shape (each subtree splits its size
    uniformly), nodes numbered in preorder as a recursive builder would;
    the walk starts at the root, depth 1."""
    left = np.full(n, -1, np.int64)
    right = np.full(n, -1, np.int64)
    split = rng.random(n)
    stack = [(0, n)]
    while stack:
        node, size = stack.pop()
        n_left = int(split[node] * size)
        n_right = size - 1 - n_left
        if n_left:
            left[node] = node + 1
            stack.append((node + 1, n_left))
        if n_right:
            right[node] = node + 1 + n_left
            stack.append((node + 1 + n_left, n_right))
    return left, right, rng.random(n), 0, 1
