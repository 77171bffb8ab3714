"""A compiled function as the kernel of dask.array.map_blocks under Dask's
threaded scheduler: every block equals CPython's answer, whatever the number
of threads, and the calls overlap (the GIL is let go of in compiled code)."""
import threading
import time

import numpy as np
import pytest

import dask.array as da  # Debian's python3-dask (scripts/install-deps)

SOURCE = '''
import numpy as np

def smooth(block):
    out = np.empty_like(block)
    n, m = block.shape
    for i in range(n):
        for j in range(m):
            x = block[i, j]
            s = 0.0
            for k in range(1, 9):
                s += np.sin(x * k) / k
            out[i, j] = s
    return out

def row_norms(block):
    out = np.empty((block.shape[0], 1))
    for i in range(block.shape[0]):
        s = 0.0
        for j in range(block.shape[1]):
            s += block[i, j] * block[i, j]
        out[i, 0] = np.sqrt(s)
    return out
'''

SIGS = ["smooth=float64[:, :](float64[:, :])", "row_norms=float64[:, :](float64[:, :])"]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS)


@pytest.mark.parametrize("workers", [1, 2, 5])
@pytest.mark.parametrize("shape,chunks", [((64, 48), (16, 48)), ((100, 37), (33, 10)), ((1, 1), (1, 1)),
                                          ((0, 5), (1, 5))])
def test_map_blocks_equals_cpython(m, workers, shape, chunks):
    x = np.random.default_rng(shape[0] * 7 + workers).standard_normal(shape)
    arr = da.from_array(x, chunks=chunks)
    got = arr.map_blocks(m.compiled.smooth, dtype=np.float64).compute(scheduler="threads", num_workers=workers)
    expected = m.reference.smooth(x)  # item by item: blocks change nothing
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=0)


def test_blocks_of_other_shapes_and_views(m):
    # Column chunks make the blocks non-contiguous views; the result has
    # another shape than the block (drop_axis/new chunks).
    x = np.random.default_rng(5).standard_normal((90, 60))
    arr = da.from_array(x, chunks=(30, 60))
    got = arr.map_blocks(m.compiled.row_norms, chunks=(30, 1), dtype=np.float64).compute(scheduler="threads")
    np.testing.assert_allclose(got[:, 0], np.sqrt((x * x).sum(axis=1)), rtol=1e-13)
    assert got.shape == (90, 1)


def test_calls_overlap_in_threads(m):
    # Two threads each call the kernel; the calls overlap in time only if
    # the GIL is let go of (with it held they would run one after the other).
    x = np.random.default_rng(1).standard_normal((400, 400))
    spans, barrier = [], threading.Barrier(2)

    def call():
        barrier.wait()
        t0 = time.perf_counter()
        m.compiled.smooth(x)
        spans.append((t0, time.perf_counter()))

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (a0, a1), (b0, b1) = sorted(spans)
    overlap = min(a1, b1) - b0
    assert overlap > 0.5 * min(a1 - a0, b1 - b0), spans


def test_errors_inside_a_block_reach_the_caller(m):
    arr = da.from_array(np.ones((4, 4), dtype=np.int64), chunks=(2, 2))
    with pytest.raises(TypeError, match="smooth"):
        arr.map_blocks(m.compiled.smooth, dtype=np.float64).compute(scheduler="threads")
