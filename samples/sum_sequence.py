"""The seed kernel: element-wise difference of two sequences."""
import numpy as np


def sum_sequence(a, b):
    result = np.zeros_like(a)
    for i in range(len(a)):
        result[i] = a[i] - b[i]
    return result
