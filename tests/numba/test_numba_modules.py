"""Modules written for Numba, as Numba's documentation shows them, built by
pyaot with no edits: a numba.pycc module and an @njit module, each built once
with the real Numba importable and once with Numba hidden from the build (the
driver then uses its stand-in). Each built module runs in an interpreter that
cannot import Numba, and every exported function is compared with the same
source run by CPython on many inputs."""
import os

import numpy as np
import pytest

from numba_helpers import (EXT_SUFFIX, build, compare, line_of, load_source, run_without_numba, write)

MODES = ["numba-installed", "numba-hidden"]

# Numba's "Compiling code ahead of time" example, and more of the same kind.
PYCC_SOURCE = '''\
import numpy as np
from numba import njit, float64, int64, types
from numba.pycc import CC

cc = CC('my_module')
# Uncomment the following line to print out the compilation steps
#cc.verbose = True


@cc.export('multf', 'f8(f8, f8)')
@cc.export('multi', 'i4(i4, i4)')
def mult(a, b):
    return a * b


@cc.export('square', 'f8(f8)')
def square(a):
    return a ** 2


@cc.export('centdiff_1d', 'f8[:](f8[:], f8)')
def centdiff_1d(u, dx):
    D = np.empty_like(u)
    D[0] = 0
    D[-1] = 0
    for i in range(1, len(D) - 1):
        D[i] = (u[i+1] - 2 * u[i] + u[i-1]) / dx**2
    return D


@njit
def clip(x, lo, hi):
    return min(max(x, lo), hi)


@cc.export('norm_clipped', float64(float64[:], float64))
def norm_clipped(a, limit):
    s = 0.0
    for x in a:
        c = clip(x, -limit, limit)
        s += c * c
    return np.sqrt(s)


@cc.export('minmax', 'UniTuple(f8, 2)(f8[:, ::1])')
def minmax(m):
    lo = np.inf
    hi = -np.inf
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            lo = min(lo, m[i, j])
            hi = max(hi, m[i, j])
    return lo, hi


@cc.export('count_above', types.int64(types.Array(types.float64, 1, 'A'), types.float64))
def count_above(a, t):
    n = 0
    for x in a:
        if x > t:
            n += 1
    return n


@cc.export('scale_inplace', 'void(f8[::1], f8)')
def scale_inplace(a, f):
    for i in range(a.shape[0]):
        a[i] *= f


@cc.export('first_index', 'i8(i8[:], i8)')
def first_index(a, x):
    for i in range(len(a)):
        if a[i] == x:
            return i
    raise ValueError("not found")


if __name__ == "__main__":
    cc.compile()
'''

# @njit and @jit with signatures, as Numba's documentation writes them.
NJIT_SOURCE = '''\
import math
import numpy as np
import numba
from numba import njit, jit, prange, float64, int64, types


@njit
def _square(x):
    return x * x


@jit(nopython=True)
def _halve(x):
    return x / 2


@njit(["int64(int64)", "float64(float64)"])
def cube(x):
    return x * _square(x)


@jit(float64(float64[:]), nopython=True, cache=True)
def mean(a):
    s = 0.0
    for x in a:
        s += x
    return s / len(a)


@njit("f8(f8[:, :])")
def go_fast(a):
    trace = 0.0
    for i in range(a.shape[0]):
        trace += np.tanh(a[i, i])
    return a[0, 0] + trace


@njit("i8(i8[:])", parallel=True)
def prange_test(A):
    s = 0
    # Without "parallel=True" in the jit-decorator
    # the prange statement is equivalent to range
    for i in prange(A.shape[0]):
        s += A[i]
    return s


@njit(types.UniTuple(float64, 2)(types.Array(float64, 1, 'C')), fastmath=True)
def mean_std(a):
    m = 0.0
    for x in a:
        m += x
    m /= a.size
    v = 0.0
    for i in numba.prange(a.size):
        v += (a[i] - m) ** 2
    return m, math.sqrt(v / a.size)


@njit("Tuple((int64, float64))(float64[:])", nogil=True)
def argmax_value(vals):
    best = 0
    for i in range(vals.shape[0]):
        if vals[i] > vals[best]:
            best = i
    return best, vals[best]


@njit("void(float64[:, ::1], float64)")
def scale(m, f):
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            m[i, j] = m[i, j] * f


@njit("boolean(intp, b1)")
def same_sign(n, positive):
    return (n > 0) == positive


@njit("f8(i8)")
def half(n):
    return _halve(numba.float64(n)) + float64(0)


@njit(int64(int64), cache=True)
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@njit("f8(f8, f8)")
def ratio(a, b):
    return a / b


@njit("f8(f8, f8)", error_model="numpy")
def ratio_numpy(a, b):
    return a / b


@njit("i8(i8, i8)", error_model="numpy")
def floordiv_numpy(a, b):
    return a // b


@njit("f8(f8[:], i8)", boundscheck=True)
def at(a, i):
    return a[i]
'''


def cases_pycc(rng):
    vectors = [np.zeros(1), np.ones(2), rng.standard_normal(9), rng.standard_normal(100) * 10,
               np.array([np.nan, 1.0, -np.inf, 3.0])]
    calls = []
    for a, b in [(1.5, 2.0), (-0.0, 3.0), (np.inf, 0.0), (1e308, 10.0), (np.nan, 1.0)]:
        calls.append(("multf", (a, b)))
    for a, b in [(3, 4), (-7, 9), (0, -5), (46340, 46340), (2**31 - 1, 1), (-2**31, 1)]:
        calls.append(("multi", (a, b)))
    calls += [("square", (x,)) for x in (0.0, -3.5, 1e100, np.nan)]
    calls += [("centdiff_1d", (u, dx)) for u in vectors + [np.zeros(0)] for dx in (0.5, 1e-3)]
    calls += [("norm_clipped", (v, lim)) for v in vectors for lim in (0.5, 100.0)]
    calls += [("minmax", (m,)) for m in (rng.standard_normal((3, 4)), np.ones((1, 1)), np.zeros((2, 0)))]
    calls += [("count_above", (v, t)) for v in vectors + [rng.standard_normal(50)[::-3]] for t in (0.0, 1.0)]
    calls += [("scale_inplace", (v.copy(), 2.5)) for v in vectors]
    calls += [("first_index", (np.array([4, 8, 15, 16, 23, 42]), x)) for x in (4, 23, 42, 7)]
    return calls


def cases_njit(rng):
    vectors = [np.ones(1), rng.standard_normal(2), rng.standard_normal(31), np.array([1e300, -1e300, 5.0])]
    calls = [("cube", (x,)) for x in (0, 3, -4, 2**20, 1.5, -2.25, np.inf)]
    calls += [("mean", (v,)) for v in vectors + [rng.standard_normal(40)[::2]]]
    calls += [("go_fast", (m,)) for m in (np.arange(100.0).reshape(10, 10), rng.standard_normal((3, 5)),
                                          rng.standard_normal((6, 6)).T)]
    calls += [("prange_test", (np.arange(n, dtype=np.int64),)) for n in (0, 1, 10, 1000)]
    calls += [("mean_std", (v,)) for v in vectors]
    calls += [("argmax_value", (v,)) for v in vectors + [np.array([2.0, 2.0, 1.0])]]
    calls += [("scale", (rng.standard_normal(s), f)) for s in ((2, 3), (1, 1), (0, 4)) for f in (2.0, -0.5)]
    calls += [("same_sign", (n, b)) for n in (-5, 0, 7) for b in (True, False)]
    calls += [("half", (n,)) for n in (0, 7, -9, 2**53 + 1)]
    calls += [("fib", (n,)) for n in (0, 1, 2, 10, 20)]
    calls += [("ratio", (a, b)) for a, b in ((1.0, 2.0), (1.0, 0.0), (-3.0, 0.5))]
    calls += [("at", (np.arange(5.0), i)) for i in (0, 4, -1, -5, 5, -6, 100)]
    return calls


@pytest.fixture(scope="module", params=MODES)
def pycc_module(request, tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("pycc"))
    path = write(tmp, "pycc_example.py", PYCC_SOURCE)
    done = build(tmp, path, hide_numba=request.param == "numba-hidden")
    assert done.returncode == 0, done.stderr
    return tmp, done


@pytest.fixture(scope="module", params=MODES)
def njit_module(request, tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("njit"))
    path = write(tmp, "njit_example.py", NJIT_SOURCE)
    done = build(tmp, path, hide_numba=request.param == "numba-hidden")
    assert done.returncode == 0, done.stderr
    return tmp, done


@pytest.fixture(scope="module")
def pycc_reference(tmp_path_factory):
    path = write(str(tmp_path_factory.mktemp("pycc_ref")), "pycc_example.py", PYCC_SOURCE)
    module = load_source(path, "pycc_example_reference")
    # Real Numba's CC knows what the module exports: name -> function.
    return {name: entry.function for name, entry in module.cc._exported_functions.items()}


# The functions with signatures; the others are helpers.
NJIT_EXPORTS = ["argmax_value", "at", "cube", "fib", "floordiv_numpy", "go_fast", "half", "mean", "mean_std",
                "prange_test", "ratio", "ratio_numpy", "same_sign", "scale"]


@pytest.fixture(scope="module")
def njit_reference(tmp_path_factory):
    path = write(str(tmp_path_factory.mktemp("njit_ref")), "njit_example.py", NJIT_SOURCE)
    module = load_source(path, "njit_example_reference")
    return {name: getattr(module, name) for name in NJIT_EXPORTS}


def test_pycc_module_builds_under_the_cc_name_and_matches_cpython(pycc_module, pycc_reference):
    tmp, done = pycc_module
    # The module is named by CC('my_module'), not by the file.
    assert os.listdir(os.path.join(tmp, "out")) == ["my_module" + EXT_SUFFIX]
    calls = cases_pycc(np.random.default_rng(17))
    assert {f for f, _ in calls} == set(pycc_reference)
    results, loaded, public = run_without_numba(tmp, os.path.join(tmp, "out", "my_module" + EXT_SUFFIX),
                                                "my_module", calls)
    assert loaded == []
    # Every cc.export name, both names of mult, nothing else (no helpers).
    assert public == sorted(pycc_reference)
    failures = compare(pycc_reference, results, calls)
    assert not failures, "\n".join(failures)


def test_pycc_signatures_are_the_exported_ones(pycc_module):
    tmp, _ = pycc_module
    # One signature per export name, as cc.export declared it.
    calls = [("multi", (2**31, 1)), ("multf", (2, 3)), ("multi", (2.5, 1)), ("count_above", (np.ones(3, np.int64), 0.0))]
    results, _, _ = run_without_numba(tmp, os.path.join(tmp, "out", "my_module" + EXT_SUFFIX), "my_module", calls)
    kinds = [r[0][0] for r in results]
    assert kinds == ["OverflowError", "value", "TypeError", "TypeError"], results
    assert results[1][0][1] == 6.0 and type(results[1][0][1]) is float


def test_njit_module_matches_cpython(njit_module, njit_reference):
    tmp, done = njit_module
    calls = cases_njit(np.random.default_rng(5))
    so = os.path.join(tmp, "out", "njit_example" + EXT_SUFFIX)
    results, loaded, public = run_without_numba(tmp, so, "njit_example", calls)
    assert loaded == []
    # Every function with signatures; the helpers without are compiled only as callees.
    assert public == NJIT_EXPORTS
    # numpy's own tanh (SIMD) and libm's, which compiled code calls as Numba's does, may differ in the
    # last bit, and a[0, 0] + trace can cancel digits.
    failures = compare(njit_reference, results, calls, rel={"go_fast": 1e-12, "mean_std": 1e-12})  # mean_std: fastmath
    assert not failures, "\n".join(failures)


def test_njit_overloads_follow_the_signature_list(njit_module):
    tmp, _ = njit_module
    so = os.path.join(tmp, "out", "njit_example" + EXT_SUFFIX)
    calls = [("cube", (3,)), ("cube", (3.0,)), ("cube", (np.int32(2),)), ("same_sign", (1, 2.5))]
    results, _, _ = run_without_numba(tmp, so, "njit_example", calls)
    assert [r[0] for r in results[:3]] == [("value", 27), ("value", 27.0), ("value", 8)]
    assert results[3][0][0] == "TypeError"


def test_error_model_per_function(njit_module):
    # error_model="numpy" on one function: numpy's answers there, Python's
    # ZeroDivisionError in the others of the same module.
    tmp, _ = njit_module
    so = os.path.join(tmp, "out", "njit_example" + EXT_SUFFIX)
    pairs = [(1.0, 0.0), (-2.0, 0.0), (0.0, 0.0), (3.0, 4.0)]
    ints = [(7, 0), (-7, 0), (7, -2), (-7, 2), (0, 0)]
    calls = [("ratio_numpy", p) for p in pairs] + [("floordiv_numpy", p) for p in ints] + \
        [("ratio", p) for p in pairs]
    results, _, _ = run_without_numba(tmp, so, "njit_example", calls)
    with np.errstate(all="ignore"):
        expected = [np.float64(a) / np.float64(b) for a, b in pairs] + \
            [np.int64(a) // np.int64(b) if b else 0 for a, b in ints]
    got = [r[0] for r in results]
    for e, g in zip(expected, got):
        assert g[0] == "value" and (g[1] == e or (np.isnan(e) and np.isnan(g[1]))), (e, g)
    assert got[len(expected)] == ("ZeroDivisionError", "float division by zero")


def test_boundscheck_per_function(tmp_path):
    # boundscheck=True on `at` holds in a build with --boundscheck=off.
    tmp = str(tmp_path)
    path = write(tmp, "njit_example.py", NJIT_SOURCE)
    done = build(tmp, path, hide_numba=True, args=("-o", "out", "--boundscheck=off"))
    assert done.returncode == 0, done.stderr
    so = os.path.join(tmp, "out", "njit_example" + EXT_SUFFIX)
    results, _, _ = run_without_numba(tmp, so, "njit_example", [("at", (np.arange(5.0), 5)),
                                                                 ("at", (np.arange(5.0), -6))])
    assert [r[0][0] for r in results] == ["IndexError", "IndexError"]


def test_njit_options_are_honoured_without_warnings(njit_module):
    _, done = njit_module
    err = done.stderr
    # cache=True is accepted silently; fastmath=True, nogil=True and
    # parallel=True are honoured: nothing warns.
    assert err.count("warning:") == 0, err
    assert "error" not in err


def test_pycc_notes_and_settings(tmp_path):
    # cc.output_dir is honoured when -o is not given; cc.verbose is noted.
    tmp = str(tmp_path)
    source = PYCC_SOURCE.replace("#cc.verbose = True", "cc.verbose = True\ncc.output_dir = 'built'")
    path = write(tmp, "pycc_example.py", source)
    done = build(tmp, path, hide_numba=True, args=())
    assert done.returncode == 0, done.stderr
    assert os.listdir(os.path.join(tmp, "built")) == ["my_module" + EXT_SUFFIX]
    line = line_of(source, "cc.verbose = True")
    assert "pycc_example.py:%d:1: note: cc.verbose is ignored" % line in done.stderr
    # -o wins over cc.output_dir, and says so.
    done = build(tmp, path, hide_numba=True, args=("-o", "elsewhere"))
    assert done.returncode == 0, done.stderr
    assert os.listdir(os.path.join(tmp, "elsewhere")) == ["my_module" + EXT_SUFFIX]
    assert "pycc_example.py:%d:1: note: cc.output_dir is overridden by -o" % (line + 1) in done.stderr


def test_pycc_target_cpu(tmp_path):
    # cc.target_cpu is the CPU the module is compiled for, unless --cpu says otherwise.
    tmp = str(tmp_path)
    source = PYCC_SOURCE.replace("#cc.verbose = True", "cc.target_cpu = 'x86-64'")
    path = write(tmp, "pycc_example.py", source)
    for args, cpu in [(("-o", "a", "--emit-llvm"), "x86-64"), (("-o", "b", "--emit-llvm", "--cpu", "x86-64-v3"),
                                                              "x86-64-v3")]:
        done = build(tmp, path, hide_numba=True, args=args)
        assert done.returncode == 0, done.stderr
        with open(os.path.join(tmp, args[1], "my_module.ll")) as f:
            ll = f.read()
        assert '"target-cpu"="%s"' % cpu in ll
    assert "cc.target_cpu is overridden by --cpu" in done.stderr


def test_pycc_wheel(tmp_path):
    # pyaot wheel on a pycc module: the package is the CC's module, with every export.
    import subprocess
    import zipfile
    from numba_helpers import PYAOT, environment
    tmp = str(tmp_path)
    path = write(tmp, "pycc_example.py", PYCC_SOURCE)
    done = subprocess.run([PYAOT, "wheel", path, "--name", "my-module", "--version", "2.0", "-o", "dist"],
                          capture_output=True, text=True, cwd=tmp, env=environment(tmp, True))
    assert done.returncode == 0, done.stderr
    wheel = os.path.join(tmp, "dist", "my_module-2.0-cp311-abi3-manylinux_2_5_x86_64.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        init = z.read("my_module/__init__.py").decode()
        z.extractall(os.path.join(tmp, "site"))
    assert "my_module/my_module.abi3.so" in names
    exports = ["centdiff_1d", "count_above", "first_index", "minmax", "multf", "multi", "norm_clipped",
               "scale_inplace", "square"]
    assert sorted(init.split("__all__ = [")[1].split("]")[0].replace('"', "").split(", ")) == exports
    results, loaded, public = run_without_numba(tmp, os.path.join(tmp, "site", "my_module", "my_module.abi3.so"),
                                                "my_module.my_module", [("multi", (6, 7)), ("square", (1.5,))])
    assert [r[0] for r in results] == [("value", 42), ("value", 2.25)] and loaded == [] and public == exports
