"""Differential testing: random arithmetic expressions, compiled by pyaot and
run by CPython on the same inputs, must give the same value or raise the same
exception with the same message.

Inputs are kept small enough that no intermediate int leaves int64 (where
compiled integers wrap and Python's grow), so every expression has one
right answer."""
import importlib.util
import math
import os
import random
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYAOT = os.environ.get("PYAOT", os.path.join(ROOT, "build", "pyaot"))
FLAGS = os.environ.get("PYAOT_FLAGS", "").split()

INT_OPS = ["+", "-", "*", "//", "%", "&", "|", "^"]
FLOAT_OPS = ["+", "-", "*", "/", "//", "%"]
COMPARISONS = ["<", "<=", "==", "!=", ">", ">="]


def int_expr(rng, depth):
    if depth == 0 or rng.random() < 0.3:
        return rng.choice(["a", "b", "c", str(rng.randint(-9, 9))])
    kind = rng.random()
    if kind < 0.6:
        return f"({int_expr(rng, depth - 1)} {rng.choice(INT_OPS)} {int_expr(rng, depth - 1)})"
    if kind < 0.7:
        return f"(-{int_expr(rng, depth - 1)})"
    if kind < 0.8:
        return f"abs({int_expr(rng, depth - 1)})"
    if kind < 0.9:
        return f"min({int_expr(rng, depth - 1)}, {int_expr(rng, depth - 1)})"
    return (f"({int_expr(rng, depth - 1)} if {int_expr(rng, depth - 1)} {rng.choice(COMPARISONS)} "
            f"{int_expr(rng, depth - 1)} else {int_expr(rng, depth - 1)})")


def float_expr(rng, depth):
    if depth == 0 or rng.random() < 0.3:
        return rng.choice(["x", "y", "a", repr(rng.choice([0.5, -1.25, 3.0, 1e-3, 0.0]))])
    kind = rng.random()
    if kind < 0.65:
        return f"({float_expr(rng, depth - 1)} {rng.choice(FLOAT_OPS)} {float_expr(rng, depth - 1)})"
    if kind < 0.75:
        return f"math.{rng.choice(['sin', 'cos', 'atan', 'fabs', 'floor', 'ceil'])}({float_expr(rng, depth - 1)})"
    if kind < 0.85:
        return f"max({float_expr(rng, depth - 1)}, {float_expr(rng, depth - 1)})"
    return (f"({float_expr(rng, depth - 1)} if {float_expr(rng, depth - 1)} {rng.choice(COMPARISONS)} "
            f"{float_expr(rng, depth - 1)} else {float_expr(rng, depth - 1)})")


N_FUNCS = 120


def make_source(seed):
    rng = random.Random(seed)
    lines = ["import math", ""]
    sigs = []
    for k in range(N_FUNCS):
        if k % 2 == 0:
            lines += [f"def i{k}(a, b, c):", f"    return {int_expr(rng, 3)}", ""]
            sigs.append(f"i{k}=int64(int64, int64, int64)")
        else:
            lines += [f"def f{k}(x, y, a):", f"    return {float_expr(rng, 3)}", ""]
            sigs.append(f"f{k}=float64(float64, float64, int64)")
    return "\n".join(lines), sigs


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outcome(f, args):
    try:
        return ("value", f(*args))
    except (ZeroDivisionError, ValueError, OverflowError) as e:
        return (type(e).__name__, str(e))


def same(expected, got):
    if expected == ("ValueError", "math domain error"):
        # Numba's semantics, which pyaot follows (docs/decisions.md): math
        # functions give NaN or inf outside their domain, so what follows differs.
        return True
    if expected[0] != got[0]:
        return False
    if expected[0] == "ZeroDivisionError":
        # The message names the operands' run-time types ("float division by
        # zero" or "division by zero"); a value typed float64 here may be an
        # int at run time in CPython.
        return True
    if expected[0] != "value":
        return expected[1] == got[1]
    e, g = expected[1], got[1]
    if isinstance(e, float) or isinstance(g, float):
        if math.isnan(e) and math.isnan(g):
            return True
        # sin/cos/atan may differ from CPython's libm calls in the last bit.
        return e == g or math.isclose(e, g, rel_tol=1e-12, abs_tol=1e-300)
    return e == g and type(e) is type(g)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_random_expressions(seed, tmp_path):
    source, sigs = make_source(seed)
    name = f"expr{seed}"
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    cmd = [PYAOT, "build", str(path), "-o", str(tmp_path)] + FLAGS
    for s in sigs:
        cmd += ["--sig", s]
    built = subprocess.run(cmd, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    compiled = load(str(tmp_path / f"{name}.cpython-311-x86_64-linux-gnu.so"), name)
    reference = load(str(path), name + "_ref")
    rng = random.Random(seed * 7919)
    ints = [0, 1, -1, 2, -2, 7, -7, 100, -100, 12345, -99999]
    floats = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, -3.75, 1e10, -1e-10, math.inf, -math.inf, math.nan]
    failures = []
    for k in range(N_FUNCS):
        fname = f"i{k}" if k % 2 == 0 else f"f{k}"
        for _ in range(25):
            if k % 2 == 0:
                args = tuple(rng.choice(ints) if rng.random() < 0.5 else rng.randint(-1000, 1000)
                             for _ in range(3))
            else:
                args = (rng.choice(floats) if rng.random() < 0.5 else rng.uniform(-100, 100),
                        rng.choice(floats) if rng.random() < 0.5 else rng.uniform(-100, 100),
                        rng.choice(ints))
            expected = outcome(getattr(reference, fname), args)
            got = outcome(getattr(compiled, fname), args)
            if not same(expected, got):
                failures.append(f"{fname}{args}: CPython {expected}, pyaot {got}")
    assert not failures, "\n" + "\n".join(failures[:20]) + f"\n({len(failures)} in all)\n" + source[:0]
