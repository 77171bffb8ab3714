"""Building modules written for Numba with pyaot, with the real Numba
importable or hidden, and running the built modules in an interpreter that
cannot import Numba at all."""
import importlib.util
import os
import pickle
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "pipeline"))
from conftest import FLAGS, PYAOT, outcome, same_value  # noqa: E402,F401

# Installed as sitecustomize.py on PYTHONPATH: to that interpreter (pyaot's
# embedded one, or python3), Numba and llvmlite are not installed.
HIDE_NUMBA = '''
import sys

class _NumbaNotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("numba", "llvmlite"):
            raise ModuleNotFoundError("No module named %r" % name, name=name)
        return None

sys.meta_path.insert(0, _NumbaNotInstalled())
'''

# Imports a built module, makes the calls, and reports the outcomes, the
# arguments afterwards (in-place changes), which numba modules got loaded,
# and the module's public names.
RUNNER = '''
import importlib.util, pickle, sys
so, name, calls_file = sys.argv[1:4]
spec = importlib.util.spec_from_file_location(name, so)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
with open(calls_file, "rb") as f:
    calls = pickle.load(f)
results = []
for fname, args in calls:
    try:
        results.append((("value", getattr(module, fname)(*args)), args))
    except Exception as e:
        results.append(((type(e).__name__, str(e)), args))
loaded = sorted(n for n in sys.modules if n.partition(".")[0] in ("numba", "llvmlite"))
public = sorted(n for n in dir(module) if not n.startswith("_"))
sys.stdout.buffer.write(pickle.dumps((results, loaded, public)))
'''

EXT_SUFFIX = ".cpython-311-x86_64-linux-gnu.so"


def environment(tmp_dir, hide_numba):
    env = dict(os.environ)
    if hide_numba:
        hide = os.path.join(tmp_dir, "numba-not-installed")
        os.makedirs(hide, exist_ok=True)
        with open(os.path.join(hide, "sitecustomize.py"), "w") as f:
            f.write(HIDE_NUMBA)
        env["PYTHONPATH"] = hide + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def write(tmp_dir, filename, source):
    path = os.path.join(tmp_dir, filename)
    with open(path, "w") as f:
        f.write(source)
    return path


def build(tmp_dir, path, hide_numba, args=("-o", "out")):
    """Runs `pyaot build path *args` in tmp_dir; returns the CompletedProcess."""
    cmd = [PYAOT, "build", path] + list(args) + FLAGS
    return subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_dir, env=environment(tmp_dir, hide_numba))


def run_without_numba(tmp_dir, so, name, calls):
    """Calls [(function name, args)] in the module `so` from a python3 that
    cannot import Numba; returns ([(outcome, args after)], numba modules
    loaded, public names)."""
    calls_file = os.path.join(tmp_dir, "calls.pickle")
    with open(calls_file, "wb") as f:
        pickle.dump(calls, f)
    done = subprocess.run(["/usr/bin/python3", "-c", RUNNER, so, name, calls_file], capture_output=True,
                          env=environment(tmp_dir, True))
    assert done.returncode == 0, done.stderr.decode()
    return pickle.loads(done.stdout)


def load_source(path, name):
    """The source run by CPython: imported with the real Numba's JIT
    disabled (NUMBA_DISABLE_JIT), so that @njit leaves plain functions and
    their calls to each other stay in CPython."""
    from numba.core import config
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    saved, config.DISABLE_JIT = config.DISABLE_JIT, True
    try:
        spec.loader.exec_module(module)
    finally:
        config.DISABLE_JIT = saved
    return module


def compare(reference, results, calls, rel=None):
    """Failures, as text, between the reference functions and what the
    built module returned for the same calls. rel: {function: relative
    tolerance} where numpy computes differently from libm."""
    failures = []
    for (fname, args), (got, args_after) in zip(calls, results):
        ref_args = tuple(a.copy() if hasattr(a, "copy") else a for a in args)
        expected = outcome(reference[fname], ref_args)
        tolerance = (rel or {}).get(fname, 0.0)
        ok = expected[0] == got[0] and (same_value(expected[1], got[1], tolerance) if expected[0] == "value"
                                        else expected[1] == got[1])
        ok = ok and all(same_value(x, y) for x, y in zip(ref_args, args_after) if hasattr(x, "shape"))
        if not ok:
            failures.append("%s%r: CPython %r, pyaot %r" % (fname, args, expected, got))
    return failures


def line_of(source, text, occurrence=1):
    """1-based line of the occurrence-th line containing text."""
    seen = 0
    for n, line in enumerate(source.split("\n"), 1):
        if text in line:
            seen += 1
            if seen == occurrence:
                return n
    raise ValueError(text)
