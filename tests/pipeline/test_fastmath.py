"""fastmath: per function (pyaot.export's fastmath=, Numba's), or --fastmath for
the build. Results stay within rounding of strict ones; NaN tests keep their
meaning unless 'nnan' is asked for; numpy's library code stays strict."""
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import PYAOT

SOURCE = '''
import numpy as np
from pyaot import export

@export("float64(float64[:])", fastmath=True)
def fast_sum(a):
    s = 0.0
    for x in a:
        s += x
    return s

@export("float64(float64[:])")
def strict_sum(a):
    s = 0.0
    for x in a:
        s += x
    return s

@export("float64(float64[:])", fastmath=True)
def fast_nan_aware(a):
    s = 0.0
    for x in a:
        if x == x:
            s += x
    return s + np.nansum(a)

@export("float64(float64[:], float64[:])", fastmath={"reassoc", "contract"})
def fast_dot(a, b):
    return (a * b).sum()
'''


@pytest.fixture(scope="module")
def fm(compile_module):
    return compile_module(SOURCE, [])


def test_fast_results_within_rounding(fm):
    rng = np.random.default_rng(3)
    for n in (0, 1, 7, 1000, 100_001):
        a, b = rng.random(n), rng.random(n)
        assert fm.compiled.strict_sum(a) == fm.reference.strict_sum(a)  # strict: bit for bit
        assert fm.compiled.fast_sum(a) == pytest.approx(fm.reference.fast_sum(a), rel=1e-12, abs=1e-12)
        assert fm.compiled.fast_dot(a, b) == pytest.approx(fm.reference.fast_dot(a, b), rel=1e-12, abs=1e-12)


def test_nan_tests_keep_their_meaning(fm):
    a = np.array([1.0, np.nan, 2.5, np.nan, -1.0])
    assert fm.compiled.fast_nan_aware(a) == fm.reference.fast_nan_aware(a) == 5.0


def test_flags_reach_the_code(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    done = subprocess.run([PYAOT, "build", str(path), "-o", str(tmp_path), "--emit-llvm"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    ir = (tmp_path / "m.ll").read_text()
    assert "fadd reassoc nsz arcp contract afn" in ir
    # The build's switch: every function of a plain module.
    plain = tmp_path / "plain.py"
    plain.write_text("def total(a):\n    s = 0.0\n    for x in a:\n        s += x\n    return s\n")
    for flag, expect in ((["--fastmath"], True), ([], False)):
        done = subprocess.run([PYAOT, "build", str(plain), "--sig", "total=float64(float64[:])", "-o",
                               str(tmp_path), "--emit-llvm"] + flag, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert ("fadd reassoc" in (tmp_path / "plain.ll").read_text()) == expect


def test_bad_fastmath_values_are_refused():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
    import pyaot
    with pytest.raises(ValueError, match="fastmath flag 'quick'"):
        pyaot.export("f8(f8)", fastmath={"quick"})
    with pytest.raises(TypeError, match="export\\(\\) has no option 'fast_math'"):
        pyaot.export("f8(f8)", fast_math=True)
    with pytest.raises(ValueError, match="boundscheck must be True, False or None"):
        pyaot.export("f8(f8)", boundscheck="yes")
