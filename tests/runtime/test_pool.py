"""The runtime's thread pool and parallel loops (link/runtime/pool.c,
parallel.c and what they lean on), driven through pool_shim.c.

The runtime files and the shim are compiled into a shared library with the
runtime's own flags (read from link/runtime/meson.build) and loaded with
ctypes.PyDLL: the GIL is held on entry, as in a compiled module's wrapper,
and an exception the call leaves set is raised. The shim plays compiled code:
its loop body sums a function of the index into per-worker partials sized by
pyaot_rt_num_threads(), counts every visit, raises through errors.c at chosen
indices, allocates through memory.c, and when asked lets go of the GIL as a
wrapper will. Sums are compared exactly with numpy's, visits must be exactly
one per index, and the shim counts every breach of the contract it can see
(a worker id out of range or used by two chunks at once, a nested loop with
another id, a thread without a stack floor).

scripts/test-threads runs this file again with the shim built under
ThreadSanitizer (PYAOT_POOL_SANITIZE=thread, libtsan preloaded)."""
import ctypes
import json
import os
import random
import re
import subprocess
import sys
import sysconfig
import textwrap
import threading
import time

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNTIME = os.path.join(ROOT, "link", "runtime")
HERE = os.path.dirname(os.path.abspath(__file__))
# The runtime files the pool needs, and the shim.
SOURCES = ["memory.c", "thread.c", "gil.c", "pool.c", "pool_python.c", "parallel.c", "stack.c", "errors.c",
           "module.c"]
SANITIZE = os.environ.get("PYAOT_POOL_SANITIZE", "")
CPUS = len(os.sched_getaffinity(0))
CAPSULE = b"pyaot.runtime.pool.v1"


def runtime_flags():
    """runtime_clang_args from link/runtime/meson.build, less the target
    (clang's alone) and the include path (meson's variable)."""
    with open(os.path.join(RUNTIME, "meson.build")) as f:
        text = re.sub(r"#.*", "", f.read())
    block = re.search(r"runtime_clang_args = \[(.*?)\]", text, re.S).group(1)
    flags = re.findall(r"'([^']*)'", block)
    return [f for f in flags if f != "-I" and not f.startswith("--target=")]


def build_shim(out):
    """One copy of the runtime with the shim, as a shared library."""
    extra = ["-fsanitize=thread", "-g"] if SANITIZE == "thread" else []
    command = ["gcc", *runtime_flags(), *extra, "-I" + sysconfig.get_paths()["include"], "-I" + RUNTIME,
               "-shared", "-o", str(out)] + [os.path.join(RUNTIME, s) for s in SOURCES] + \
              [os.path.join(HERE, "pool_shim.c"), "-lm", "-pthread"]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stderr}"
    return str(out)


class Spec(ctypes.Structure):
    _fields_ = [("n", ctypes.c_int64), ("fail_at", ctypes.c_int64), ("fail_from", ctypes.c_int64),
                ("work", ctypes.c_int64), ("alloc_bytes", ctypes.c_int64), ("keep", ctypes.c_int32),
                ("release_gil", ctypes.c_int32), ("nested", ctypes.c_int32), ("resize_to", ctypes.c_int32),
                ("fail_where", ctypes.c_int32), ("pad", ctypes.c_int32),
                ("visits", ctypes.POINTER(ctypes.c_int32)), ("tids", ctypes.POINTER(ctypes.c_int64)),
                ("sum", ctypes.c_int64), ("chunks", ctypes.c_int64), ("live_before", ctypes.c_int64),
                ("live_after", ctypes.c_int64), ("live_released", ctypes.c_int64), ("workers", ctypes.c_int32),
                ("violations", ctypes.c_int32), ("max_worker", ctypes.c_int32), ("failed_on_caller", ctypes.c_int32)]


class Runtime:
    """One loaded copy of the runtime."""

    def __init__(self, path, name):
        self.lib = lib = ctypes.PyDLL(path)
        lib.shim_run.argtypes = [ctypes.POINTER(Spec)]
        lib.shim_run.restype = ctypes.c_int32
        lib.shim_module.argtypes = [ctypes.c_char_p]
        lib.shim_module.restype = ctypes.py_object
        lib.shim_pool_in_use.restype = ctypes.c_size_t
        lib.shim_pool_of_this_copy.restype = ctypes.c_size_t
        lib.shim_refcount_storm.argtypes = [ctypes.c_int32, ctypes.c_int64, ctypes.POINTER(ctypes.c_int64)]
        lib.shim_refcount_storm.restype = ctypes.c_int32
        lib.shim_small_loops.argtypes = [ctypes.c_int64, ctypes.c_int64, ctypes.c_int32]
        lib.shim_small_loops.restype = ctypes.c_int64
        lib.shim_mandelbrot.argtypes = [ctypes.c_int32] * 3 + [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32]
        lib.shim_mandelbrot.restype = ctypes.c_int32
        self.module = lib.shim_module(name.encode())  # joins the process's pool, as PyInit does

    def set_threads(self, n):
        self.module._pyaot_set_num_threads(n)

    def run(self, n, visits=False, tids=False, **fields):
        """Runs one loop; returns its Spec (and the visit counts), or raises
        what the loop raised, with the Spec as the exception's .spec."""
        spec = Spec(n=n, **dict({"fail_at": -1, "fail_from": -1}, **fields))
        counts = np.zeros(max(n, 1), dtype=np.int32) if visits else None
        threads = np.zeros(64, dtype=np.int64) if tids else None
        if visits:
            spec.visits = counts.ctypes.data_as(ctypes.POINTER(ctypes.c_int32))
        if tids:
            spec.tids = threads.ctypes.data_as(ctypes.POINTER(ctypes.c_int64))
        try:
            status = self.lib.shim_run(ctypes.byref(spec))
        except Exception as e:
            e.spec, e.visits = spec, counts
            raise
        assert status == 0
        spec.visits_array, spec.tids_array = counts, threads
        return spec


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two copies of the runtime, built separately, as two modules carry it."""
    folder = tmp_path_factory.mktemp("pool")
    return [build_shim(folder / "pool_a.so"), build_shim(folder / "pool_b.so")]


@pytest.fixture(scope="module")
def rt(built):
    return Runtime(built[0], "pool_a")


@pytest.fixture(scope="module")
def rt_b(built, rt):
    return Runtime(built[1], "pool_b")


@pytest.fixture(autouse=True)
def default_threads(rt):
    yield
    rt.set_threads(2)


def wrap(x):
    """x as an int64 wraps it."""
    return (x + 2**63) % 2**64 - 2**63


def value_sum(begin, end):
    """The shim's value(i) = (i * 2654435761) ^ (i >> 3), summed with int64 wrap-around."""
    total = 0
    for lo in range(begin, end, 1 << 22):
        i = np.arange(lo, min(end, lo + (1 << 22)), dtype=np.int64)
        total += int(((i * np.int64(2654435761)) ^ (i >> 3)).sum())
    return wrap(total)


def shared_run(copy, n, work, **fields):
    """A loop in which the caller and worker 1 both ran chunks. Whether they
    do depends on the scheduler (this machine is shared): a few tries."""
    for _ in range(400):
        spec = copy.run(n, tids=True, work=work, **fields)
        if spec.tids_array[0] and spec.tids_array[1]:
            return spec
    raise AssertionError("worker 1 never took part")


def check_loop(spec, n, threads):
    assert spec.violations == 0
    assert spec.workers == threads
    assert spec.max_worker < threads
    assert spec.sum == value_sum(0, n)
    if spec.visits_array is not None:
        assert (spec.visits_array[:n] == 1).all(), "every index exactly once"


SIZES = [0, 1, 2, 3, 5, 7, 8, 9, 16, 17, 100, 1000, 4097, 123457]


@pytest.mark.parametrize("threads", [1, 2, 8])
@pytest.mark.parametrize("release_gil", [0, 1])
def test_sums_equal_the_serial_sum(rt, threads, release_gil):
    rt.set_threads(threads)
    for n in SIZES + [random.Random(threads).randrange(10, 50000) for _ in range(10)]:
        check_loop(rt.run(n, visits=True, release_gil=release_gil), n, threads)


def test_huge_loops(rt):
    n = 3 * 10**7 if not SANITIZE else 10**6
    for threads in (2, 8):
        rt.set_threads(threads)
        check_loop(rt.run(n), n, threads)


def test_one_thread_runs_inline(rt):
    rt.set_threads(1)
    spec = rt.run(100000, visits=True, tids=True, work=3)
    check_loop(spec, 100000, 1)
    assert spec.chunks == 1 and spec.max_worker == 0
    assert spec.tids_array[0] == threading.get_native_id()


def test_uneven_work_is_shared(rt):
    # Index i costs work * (i % 8): chunks are handed out as the loop goes,
    # so both threads take part and chunks outnumber threads.
    rt.set_threads(2)
    spec = shared_run(rt, 4000, 400, visits=True)
    check_loop(spec, 4000, 2)
    assert spec.max_worker == 1 and spec.chunks > 8
    assert spec.tids_array[0] == threading.get_native_id() and spec.tids_array[1] != spec.tids_array[0]


@pytest.mark.parametrize("threads", [2, 8])
@pytest.mark.parametrize("release_gil", [0, 1])
def test_a_raising_chunk_raises_once_in_the_caller(rt, threads, release_gil):
    rt.set_threads(threads)
    rng = random.Random(threads * 10 + release_gil)
    for trial in range(40):
        n = rng.choice([2, 10, 1000, 5000])
        k = rng.randrange(n)
        with pytest.raises(ValueError) as caught:
            rt.run(n, visits=True, fail_at=k, work=20, release_gil=release_gil)
        assert str(caught.value) == f"failed at {k}"
        spec, visits = caught.value.spec, caught.value.visits
        assert spec.violations == 0
        assert visits[k] == 1 and visits.max() == 1, "no index twice, the failing one once"
        # Nothing left behind: the next loop runs clean.
        check_loop(rt.run(1000, visits=True), 1000, threads)


@pytest.mark.parametrize("where", ["caller", "worker"])
@pytest.mark.parametrize("release_gil", [0, 1])
def test_the_exception_comes_from_whichever_thread_raised(rt, where, release_gil):
    # The chunk fails only on the calling thread, or only on another one
    # (the first index from k that thread runs).
    rt.set_threads(2)
    rng = random.Random(release_gil)
    for trial in range(20):
        n = rng.choice([50, 1000, 5000])
        k = rng.randrange(n // 2)
        with pytest.raises(ValueError) as caught:
            rt.run(n, visits=True, fail_at=k, fail_where=1 if where == "caller" else 2, work=20,
                   release_gil=release_gil)
        spec, visits = caught.value.spec, caught.value.visits
        failed = int(str(caught.value).split()[-1])
        assert str(caught.value) == f"failed at {failed}" and failed >= k and visits[failed] == 1
        assert spec.failed_on_caller == (where == "caller") and spec.violations == 0
        assert visits.max() == 1


def test_many_failures_raise_the_first_alone(rt):
    rt.set_threads(8)
    for n in (50, 5000):
        with pytest.raises(ValueError) as caught:
            rt.run(n, visits=True, fail_from=n // 3, work=5)
        k = int(str(caught.value).split()[-1])
        assert k >= n // 3 and caught.value.visits[k] == 1
        assert caught.value.visits.max() == 1


def test_failing_chunks_free_what_they_allocated(rt):
    # A chunk that fails unwinds without its decrefs (as compiled code does);
    # on every thread, the loop frees what that chunk made. A block left on a
    # worker's list would come back to the caller's when the loop ends, so
    # the caller's list is the whole account.
    rt.set_threads(8)
    for trial in range(60):
        with pytest.raises(ValueError) as caught:
            rt.run(3000, fail_at=1000 + trial * 30, work=3, alloc_bytes=4096)
        spec = caught.value.spec
        assert spec.live_after == spec.live_before, "blocks of failed chunks left live"
    spec = rt.run(3000, work=3, alloc_bytes=4096)
    assert spec.live_after == spec.live_before


def test_blocks_that_outlive_their_chunk_join_the_caller(rt):
    # keep: each chunk's block outlives it (as a per-worker array would); the
    # caller's list has them all when the loop ends, and its mark frees them.
    for threads in (1, 2, 8):
        rt.set_threads(threads)
        spec = rt.run(20000, work=2, alloc_bytes=256, keep=1)
        assert spec.live_after - spec.live_before == spec.chunks
        assert spec.live_released == spec.live_before


@pytest.mark.parametrize("threads", [2, 8])
def test_nested_loops_run_serially_as_their_worker(rt, threads):
    rt.set_threads(threads)
    for n, inner in ((1000, 37), (17, 500), (1, 10)):
        spec = rt.run(n, visits=True, nested=inner, work=2)
        assert spec.violations == 0
        assert spec.sum == wrap(value_sum(0, n) + n * value_sum(0, inner))
        assert (spec.visits_array[:n] == 1).all()


def test_a_nested_loop_raises_through_the_outer_one(rt):
    rt.set_threads(2)
    with pytest.raises(ValueError, match="^failed at 40$"):
        rt.run(500, fail_at=40, nested=20)


def test_worker_ids_stay_below_the_promised_count(rt):
    # _pyaot_set_num_threads between pyaot_rt_num_threads and the loop (from
    # another thread, say) must not give ids past what the caller sized for.
    for promised, resized in ((2, 8), (8, 2), (3, 1), (1, 8)):
        rt.set_threads(promised)
        spec = rt.run(5000, visits=True, work=20, resize_to=resized)
        assert spec.workers == promised and spec.violations == 0
        assert spec.max_worker < min(promised, resized)
        assert spec.sum == value_sum(0, 5000)


@pytest.mark.parametrize("threads", [2, 8])
def test_many_small_loops_back_to_back(rt, threads):
    # Every handoff to the workers and back, 20000 times over: a lost wake-up
    # would hang here.
    rt.set_threads(threads)
    loops = 20000 if not SANITIZE else 2000
    for n, release_gil in ((2, 0), (3, 1), (64, 1)):
        assert rt.lib.shim_small_loops(loops, n, release_gil) == loops * n * (n - 1) // 2


def mandelbrot_numpy(width, height, maxiter):
    """The shim's image, computed by numpy with the same operations in the
    same order (so the same doubles)."""
    cy = -1.5 + 3.0 * np.arange(height, dtype=np.float64) / height
    cx = -2.25 + 3.0 * np.arange(width, dtype=np.float64) / width
    cx, cy = np.meshgrid(cx, cy)
    zx, zy = np.zeros_like(cx), np.zeros_like(cx)
    counts = np.zeros(cx.shape, dtype=np.int32)
    going = np.ones(cx.shape, dtype=bool)
    for _ in range(maxiter):
        going &= zx * zx + zy * zy <= 4.0
        if not going.any():
            break
        t = zx * zx - zy * zy + cx
        zy = np.where(going, 2.0 * zx * zy + cy, zy)
        zx = np.where(going, t, zx)
        counts += going
    return counts


def test_mandelbrot_rows_of_uneven_cost(rt):
    # Rows through the set cost maxiter per pixel, rows outside a few: the
    # chunks handed out as the loop goes share them out, and the image is
    # numpy's to the last count.
    width, height, maxiter = 300, 200, 200
    want = mandelbrot_numpy(width, height, maxiter)
    for threads in (1, 2, 8):
        rt.set_threads(threads)
        for attempt in range(20):  # whether workers get a CPU in time is the machine's say
            counts = np.zeros((height, width), dtype=np.int32)
            rows = np.zeros(height, dtype=np.int64)
            assert rt.lib.shim_mandelbrot(width, height, maxiter, counts.ctypes.data, rows.ctypes.data, 1) == 0
            assert (counts == want).all()
            if threads == 1 or len(set(rows)) > 1:
                break
        assert (len(set(rows)) > 1) == (threads > 1), "rows computed by one thread, or by several with one"


def test_set_num_threads_while_loops_run(rt):
    rt.set_threads(4)
    errors, done = [], threading.Event()

    def loops(release_gil):
        try:
            while not done.is_set():
                spec = rt.run(3000, visits=True, work=5, release_gil=release_gil)
                assert spec.violations == 0 and spec.sum == value_sum(0, 3000)
                assert (spec.visits_array[:3000] == 1).all()
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    runners = [threading.Thread(target=loops, args=(k % 2,)) for k in range(3)]
    for t in runners:
        t.start()
    rng = random.Random(5)
    for _ in range(200):
        rt.set_threads(rng.randrange(1, 9))
        time.sleep(0.001)
    done.set()
    for t in runners:
        t.join()
    assert not errors, errors[0]


def test_many_python_threads_start_loops_at_once(rt):
    rt.set_threads(CPUS if CPUS > 1 else 2)
    errors = []
    start = threading.Barrier(8)

    def caller(k):
        try:
            start.wait()
            rng = random.Random(k)
            for _ in range(25):
                n = rng.randrange(1, 20000)
                fail = rng.random() < 0.3
                k_fail = rng.randrange(n) if fail else -1
                try:
                    spec = rt.run(n, visits=True, work=rng.randrange(3), fail_at=k_fail, release_gil=rng.randrange(2))
                except ValueError as e:
                    assert fail and str(e) == f"failed at {k_fail}", e
                    continue
                assert not fail
                assert spec.violations == 0 and spec.sum == value_sum(0, n)
                assert (spec.visits_array[:n] == 1).all()
        except BaseException as e:
            errors.append(e)

    callers = [threading.Thread(target=caller, args=(k,)) for k in range(8)]
    for t in callers:
        t.start()
    for t in callers:
        t.join()
    assert not errors, errors[0]


def test_a_caller_holding_the_gil_lets_python_run_during_the_loop(rt):
    rt.set_threads(2)
    ticks = [0]
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.01)
    # The GIL is held from reading `before` to the loop's start and from the
    # loop's end to reading the ticks again: the ticker can only count while
    # the loop runs. Whether it is scheduled then is up to the machine.
    during, deadline = 0, time.monotonic() + 10
    while during == 0 and time.monotonic() < deadline:
        before = ticks[0]
        rt.run(2000, work=3000, release_gil=0)
        during = ticks[0] - before
    stop.set()
    t.join()
    assert during > 0


def test_refcounts_are_atomic(rt):
    rounds = 1000000 if not SANITIZE else 20000
    for threads in (2, 8):
        counts = (ctypes.c_int64 * 2)()
        assert rt.lib.shim_refcount_storm(threads, rounds, counts) == 0
        assert list(counts) == [1 + threads * rounds, 1]


def capsule_pointer():
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.argtypes = [ctypes.py_object, ctypes.c_char_p]
    get.restype = ctypes.c_void_p
    return get(sys._pyaot_pool_v1, CAPSULE)


def test_two_copies_share_one_pool(rt, rt_b):
    shared = capsule_pointer()
    assert rt.lib.shim_pool_in_use() == shared and rt_b.lib.shim_pool_in_use() == shared
    assert rt_b.lib.shim_pool_of_this_copy() != shared, "the second copy left its own pool unused"
    rt.set_threads(3)
    assert rt_b.module._pyaot_get_num_threads() == 3
    rt_b.set_threads(2)
    assert rt.module._pyaot_get_num_threads() == 2
    # The same worker threads run both copies' loops.
    a = shared_run(rt, 4000, 300)
    b = shared_run(rt_b, 4000, 300)
    check_loop(b, 4000, 2)
    assert a.tids_array[1] == b.tids_array[1] != 0
    # Loops of both copies at once, from two Python threads.
    errors = []

    def loops(copy):
        try:
            for _ in range(30):
                spec = copy.run(3000, visits=True, work=10, release_gil=1)
                assert spec.violations == 0 and spec.sum == value_sum(0, 3000)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=loops, args=(c,)) for c in (rt, rt_b, rt, rt_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def test_module_functions_refuse_bad_counts(rt):
    for bad in (0, -1, 1025):
        with pytest.raises(ValueError, match=r"_pyaot_set_num_threads\(\): the number of threads must be from 1 "
                                             rf"to 1024, not {bad}"):
            rt.set_threads(bad)
    with pytest.raises(TypeError):
        rt.set_threads(2.0)
    with pytest.raises(OverflowError):
        rt.set_threads(2**70)
    rt.set_threads(1024)
    assert rt.module._pyaot_get_num_threads() == 1024
    rt.set_threads(True)
    assert rt.module._pyaot_get_num_threads() == 1


def run_python(code, env=None, timeout=60):
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


ENV_PROBE = '''
import ctypes, json, sys, warnings
sys.path.insert(0, {here!r})
from test_pool import Runtime
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    a = Runtime({a!r}, "pool_a")
    a2 = a.lib.shim_module(b"pool_a2")   # the same copy, a second module
    b = Runtime({b!r}, "pool_b")        # another copy
print(json.dumps({{"warnings": [(w.category.__name__, str(w.message)) for w in caught],
                  "threads": b.module._pyaot_get_num_threads()}}))
'''


@pytest.mark.parametrize("text,threads", [("3", 3), (" 5 ", 5), ("1", 1), ("1024", 1024), ("", None)])
def test_num_threads_from_the_environment(built, text, threads):
    out = run_python(ENV_PROBE.format(here=HERE, a=built[0], b=built[1]), {"PYAOT_NUM_THREADS": text})
    got = json.loads(out)
    assert got == {"warnings": [], "threads": threads or CPUS}


@pytest.mark.parametrize("text,shown", [("garbage", "garbage"), ("0", "0"), ("-2", "-2"), ("1025", "1025"),
                                        ("2.5", "2.5"), ("4x", "4x"), ("99999999999999999999", "99999999999999999999"),
                                        ("\t\n", "??"), ("é", "??")])
def test_a_bad_num_threads_warns_once_and_falls_back(built, text, shown):
    out = run_python(ENV_PROBE.format(here=HERE, a=built[0], b=built[1]), {"PYAOT_NUM_THREADS": text})
    got = json.loads(out)
    assert got["threads"] == CPUS
    assert got["warnings"] == [["RuntimeWarning", f"PYAOT_NUM_THREADS='{shown}' is not a whole number from 1 to "
                                                  f"1024; using {CPUS} threads, the CPUs this process may run on"]]


FORK_PROBE = '''
import os, signal, sys, threading, time
sys.path.insert(0, {here!r})
from test_pool import Runtime, value_sum, shared_run
rt = Runtime({a!r}, "pool_a")
rt.set_threads(2)
stop = threading.Event()
busy = [0]

def loops():
    # The pool is mid-run whenever the main thread forks.
    while not stop.is_set():
        spec = rt.run(20000, work=20, release_gil=1)
        assert spec.sum == value_sum(0, 20000)
        busy[0] += 1

t = threading.Thread(target=loops, daemon=True)  # a failure below must not wait for it
t.start()
while busy[0] < 2:
    time.sleep(0.001)
for trial in range(5):
    time.sleep(0.003 * trial)
    pid = os.fork()
    if pid == 0:
        signal.alarm(100)  # a deadlock ends the child instead of hanging
        ok = True
        for threads in (2, 3):
            rt.set_threads(threads)
            spec = shared_run(rt, 4000, 300, visits=True)
            ok = ok and spec.violations == 0 and spec.sum == value_sum(0, 4000)
            ok = ok and (spec.visits_array[:4000] == 1).all()
            ok = ok and spec.tids_array[1] != threading.get_native_id()
        try:
            rt.run(100, fail_at=50)
            ok = False
        except ValueError as e:
            ok = ok and str(e) == "failed at 50"
        os._exit(0 if ok else 3)
    deadline = time.monotonic() + 120
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise SystemExit("the child hung")
        time.sleep(0.01)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        raise SystemExit(f"child {{trial}} ended with status {{status}}")
stop.set()
t.join()
print("ok")
'''


@pytest.mark.skipif(SANITIZE != "", reason="ThreadSanitizer does not follow threads started after a fork")
def test_fork_while_the_pool_runs(built):
    assert run_python(FORK_PROBE.format(here=HERE, a=built[0]), timeout=900).strip() == "ok"
