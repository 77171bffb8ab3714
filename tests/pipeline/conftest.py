"""Shared by the end-to-end tests: compile a module's source with pyaot,
import the result, and import the same source as plain Python to compare."""
import hashlib
import importlib.util
import math
import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYAOT = os.environ.get("PYAOT", os.path.join(ROOT, "build", "pyaot"))
FLAGS = os.environ.get("PYAOT_FLAGS", "").split()
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from elfcheck import hardening_problems  # noqa: E402


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Built:
    def __init__(self, compiled, reference, directory):
        self.compiled = compiled
        self.reference = reference
        self.directory = directory


def build(tmp_dir, source, sigs, extra=()):
    """Compiles `source` for the --sig arguments `sigs`; returns Built."""
    digest = hashlib.sha1((source + repr(sigs) + repr(extra)).encode()).hexdigest()[:10]
    name = f"m_{digest}"
    path = os.path.join(tmp_dir, name + ".py")
    with open(path, "w") as f:
        f.write(source)
    cmd = [PYAOT, "build", path, "-o", tmp_dir] + FLAGS + list(extra)
    for s in sigs:
        cmd += ["--sig", s]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    so = os.path.join(tmp_dir, name + ".cpython-311-x86_64-linux-gnu.so")
    assert hardening_problems(so, f"PyInit_{name}") == []
    compiled = load(so, name)
    reference = load(path, name + "_py")
    return Built(compiled, reference, tmp_dir)


@pytest.fixture(scope="module")
def compile_module(tmp_path_factory):
    def compile_(source, sigs, extra=()):
        return build(str(tmp_path_factory.mktemp("pyaot")), source, sigs, extra)
    return compile_


def outcome(f, args):
    try:
        return ("value", f(*args))
    except Exception as e:  # compared, not swallowed
        return (type(e).__name__, str(e))


def same_value(e, g, rel=0.0):
    # CPython running the source computes with numpy scalars where it reads
    # array elements; compiled code returns Python numbers (as Numba does).
    if isinstance(e, np.generic):
        e = e.item()
    if isinstance(e, tuple):
        return isinstance(g, tuple) and len(e) == len(g) and all(same_value(x, y, rel) for x, y in zip(e, g))
    if isinstance(e, np.ndarray):
        if not isinstance(g, np.ndarray) or e.dtype != g.dtype or e.shape != g.shape:
            return False
        if rel and e.dtype.kind in "fc":
            return np.allclose(e, g, rtol=rel, atol=0, equal_nan=True)
        return np.array_equal(e, g, equal_nan=e.dtype.kind in "fc")
    if isinstance(e, (float, complex)):
        if type(e) is not type(g):
            return False
        ec, gc = complex(e), complex(g)
        for a, b in ((ec.real, gc.real), (ec.imag, gc.imag)):
            if math.isnan(a) and math.isnan(b):
                continue
            if a == b and math.copysign(1, a) == math.copysign(1, b):
                continue
            if rel and math.isclose(a, b, rel_tol=rel):
                continue
            return False
        return True
    return e == g and type(e) is type(g)


def check(built, name, cases, rel=0.0):
    """Calls compiled and reference `name` on every argument tuple in cases."""
    f, r = getattr(built.compiled, name), getattr(built.reference, name)
    failures = []
    for args in cases:
        ref_args = tuple(a.copy() if isinstance(a, (np.ndarray, list)) else a for a in args)
        got_args = tuple(a.copy() if isinstance(a, (np.ndarray, list)) else a for a in args)
        expected, got = outcome(r, ref_args), outcome(f, got_args)
        ok = expected[0] == got[0] and (same_value(expected[1], got[1], rel) if expected[0] == "value"
                                        else expected[1] == got[1])
        # In-place changes to array and list arguments must match too.
        ok = ok and all(same_value(x, y) for x, y in zip(ref_args, got_args) if isinstance(x, np.ndarray))
        ok = ok and all(x == y for x, y in zip(ref_args, got_args) if isinstance(x, list))
        if not ok:
            failures.append(f"{name}{args!r}: CPython {expected!r}, pyaot {got!r}")
    assert not failures, "\n".join(failures[:15]) + f"\n({len(failures)} of {len(cases)} cases)"
