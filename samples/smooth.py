"""A centred moving average, scaled to a peak of 1: slices and whole-array
reductions; the signature in the source."""
import numpy as np

from pyaot import export


@export("float64[:](float64[:], int64)")
def smooth(signal, width):
    n = len(signal)
    half = width // 2
    out = np.zeros(n)
    for i in range(half, n - half):
        out[i] = signal[i - half:i + half + 1].sum() / width
    peak = out.max()
    if peak > 0.0:
        for i in range(n):
            out[i] /= peak
    return out
