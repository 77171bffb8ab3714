"""Monte-Carlo sampling with numpy's legacy generator: random walks with
normal steps, seeded, summarised by how far they end up. Every engine that
reproduces numpy's generator gives numpy's answer to the last bit."""
import numpy as np

SIGNATURES = {"random_walks": "float64(int64, int64, int64)"}
SIZES = {"check": (3, 20, 50), "quick": (3, 200, 2_000), "full": (3, 2_000, 2_000)}


def random_walks(seed, walks, steps):
    np.random.seed(seed)
    total = 0.0
    for _ in range(walks):
        x = np.cumsum(np.random.normal(0.0, 1.0, steps))
        total += np.abs(x).max() + np.random.poisson(2.0)
    return total / walks


def make_inputs(size, rng):
    return size


numpy_version = random_walks
