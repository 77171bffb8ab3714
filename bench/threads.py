"""Python threads calling compiled code: does the work scale with threads?

    /usr/bin/python3 bench/threads.py [--size N] [--repeat R]

For a compute-bound kernel (a truncated sine series per item of a 2-D
array), built by pyaot and by Numba (njit with nogil=True, and njit as
Numba's default, which holds the GIL):
  * two calls made one after the other on one thread, against the same two
    calls made at once from two Python threads;
  * dask.array.map_blocks over 8 row blocks with Dask's threaded scheduler,
    1 worker against 2.
Prints a markdown table of the best of R wall-clock times and the speed-up
from 1 to 2 threads (2.0x is the most 2 threads can give). The machine
should be otherwise idle: a busy core shows as a lower speed-up."""
import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SOURCE = '''
import numpy as np

def series(block):
    out = np.empty_like(block)
    n, m = block.shape
    for i in range(n):
        for j in range(m):
            x = block[i, j]
            s = 0.0
            for k in range(1, 17):
                s += np.sin(x * k) / k
            out[i, j] = s
    return out
'''
SIG = "float64[:, :](float64[:, :])"


def build_pyaot(tmp):
    path = os.path.join(tmp, "threads_kernel.py")
    with open(path, "w") as f:
        f.write(SOURCE)
    pyaot = os.environ.get("PYAOT", os.path.join(ROOT, "build", "pyaot"))
    subprocess.run([pyaot, "build", path, "--sig", "series=" + SIG, "-o", tmp], check=True)
    sys.path.insert(0, tmp)
    import threads_kernel
    return threads_kernel.series


def build_numba(nogil):
    import numba
    namespace = {"np": np}
    exec(SOURCE, namespace)
    return numba.njit(SIG, nogil=nogil)(namespace["series"])


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def serial_calls(kernel, x):
    kernel(x)
    kernel(x)


def threaded_calls(kernel, x):
    threads = [threading.Thread(target=kernel, args=(x,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def dask_run(kernel, x, workers):
    import dask.array as da
    arr = da.from_array(x, chunks=(x.shape[0] // 8, x.shape[1]))
    arr.map_blocks(kernel, dtype=np.float64).compute(scheduler="threads", num_workers=workers)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=800, help="the array is size x size")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    x = np.random.default_rng(0).standard_normal((args.size, args.size))
    with tempfile.TemporaryDirectory() as tmp:
        engines = [("pyaot", build_pyaot(tmp))]
        try:
            engines += [("numba nogil=True", build_numba(True)), ("numba (GIL held)", build_numba(False))]
        except ImportError as e:
            print("numba: MISSING (%s)" % e, file=sys.stderr)
        reference = engines[0][1](x)
        rows = []
        for name, kernel in engines:
            np.testing.assert_allclose(kernel(x), reference, rtol=1e-12)
            kernel(x)  # warm
            one = best(lambda: serial_calls(kernel, x), args.repeat)
            two = best(lambda: threaded_calls(kernel, x), args.repeat)
            d1 = best(lambda: dask_run(kernel, x, 1), args.repeat)
            d2 = best(lambda: dask_run(kernel, x, 2), args.repeat)
            rows.append((name, one, two, d1, d2))
    print("| engine | 2 calls, 1 thread | 2 calls, 2 threads | speed-up | dask 1 worker | dask 2 workers | speed-up |")
    print("|---|---|---|---|---|---|---|")
    for name, one, two, d1, d2 in rows:
        print("| %s | %.1f ms | %.1f ms | %.2fx | %.1f ms | %.1f ms | %.2fx |"
              % (name, one * 1e3, two * 1e3, one / two, d1 * 1e3, d2 * 1e3, d1 / d2))


if __name__ == "__main__":
    main()
