"""One GrowCut cellular-automaton step on a grey-level image (writes into outputs)."""
import numpy as np

SIGNATURES = {
    "growcut": "void(float64[:, :], float64[:, :], float64[:, :], "
               "float64[:, :], float64[:, :], int64)"}
# (image side, window radius)
SIZES = {"check": (12, 1), "quick": (70, 1), "full": (800, 2)}


def growcut(image, label, strength, out_label, out_strength, radius):
    height, width = image.shape
    for i in range(height):
        for j in range(width):
            best_label = label[i, j]
            best_strength = strength[i, j]
            for ii in range(max(0, i - radius), min(height, i + radius + 1)):
                for jj in range(max(0, j - radius), min(width, j + radius + 1)):
                    if ii == i and jj == j:
                        continue
                    similarity = 1.0 - abs(image[i, j] - image[ii, jj])
                    attack = similarity * strength[ii, jj]
                    if attack > best_strength:
                        best_label = label[ii, jj]
                        best_strength = attack
            out_label[i, j] = best_label
            out_strength[i, j] = best_strength


def make_inputs(size, rng):
    side, radius = size
    image = rng.random((side, side))
    label = np.zeros((side, side))
    strength = np.zeros((side, side))
    seeds = rng.integers(0, side, (max(2, side // 4), 2))
    for k, (y, x) in enumerate(seeds):
        label[y, x] = 1.0 if k % 2 == 0 else -1.0
        strength[y, x] = 1.0
    return image, label, strength, np.zeros((side, side)), np.zeros((side, side)), radius
