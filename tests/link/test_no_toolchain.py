"""pyaot needs no C compiler or linker: builds with a PATH holding only
python3, and agrees with the system toolchain (--linker=system) where one
exists."""
import importlib.util
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from elfcheck import hardening_problems  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYAOT = os.environ.get("PYAOT", os.path.join(ROOT, "build", "pyaot"))
SEED = os.path.join(ROOT, "samples", "sum_sequence.py")
SIG = "int64[:](int64[:],int64[:])"


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builds_with_only_python_on_path(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to("/usr/bin/python3")
    out = tmp_path / "out"
    out.mkdir()
    # strace would show it; here: no cc/ld/as can be found, so none can run.
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    env.update({k: v for k, v in os.environ.items() if k.endswith("SAN_OPTIONS")})  # sanitizer runs
    for tool in ("cc", "gcc", "clang", "ld", "as"):
        assert shutil.which(tool, path=env["PATH"]) is None
    done = subprocess.run([PYAOT, "build", SEED, "--sig", SIG, "-o", str(out)], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    so = out / "sum_sequence.cpython-311-x86_64-linux-gnu.so"
    assert hardening_problems(so, "PyInit_sum_sequence") == []
    m = load(str(so), "sum_sequence")
    assert m.sum_sequence(np.arange(4), np.ones(4, np.int64)).tolist() == [-1, 0, 1, 2]
    # The system linker cannot be used there, and says so.
    done = subprocess.run([PYAOT, "build", SEED, "--sig", SIG, "-o", str(out), "--linker=system"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 1 and "error" in done.stderr


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                    reason="no system C compiler: the --linker=system cross-check cannot run")
def test_same_results_with_the_system_linker(tmp_path):
    results = {}
    for linker in ("elf", "system"):
        out = tmp_path / linker
        out.mkdir()
        done = subprocess.run([PYAOT, "build", SEED, "--sig", SIG, "-o", str(out), f"--linker={linker}"],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        m = load(str(out / "sum_sequence.cpython-311-x86_64-linux-gnu.so"), "sum_sequence")
        rng = np.random.default_rng(7)
        a, b = rng.integers(-100, 100, 1000), rng.integers(-100, 100, 1000)
        results[linker] = (m.sum_sequence(a, b), m.sum_sequence(a[::3], b[::3]))
        with pytest.raises(IndexError):
            m.sum_sequence(a, b[:5])
    for x, y in zip(results["elf"], results["system"]):
        assert np.array_equal(x, y)


def test_imports_bind_to_the_hosts_default_versions(tmp_path):
    # libm keeps exp@GLIBC_2.2.5 (old, with SVID error handling) beside the
    # default exp@@GLIBC_2.29; a module built for this machine asks for the
    # default, as the system linker would. Wheels ask for the oldest versions
    # (tests/wheel).
    libm = subprocess.run(["objdump", "-T", "/lib/x86_64-linux-gnu/libm.so.6"], capture_output=True, text=True)
    if "GLIBC_2.29  exp" not in libm.stdout:
        pytest.skip("this libm has no GLIBC_2.29 exp")
    (tmp_path / "e.py").write_text("import math\ndef f(x):\n    return math.exp(x) + math.log(x)\n")
    done = subprocess.run([PYAOT, "build", str(tmp_path / "e.py"), "--sig", "float64(float64)", "-o", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    so = tmp_path / "e.cpython-311-x86_64-linux-gnu.so"
    syms = subprocess.run(["objdump", "-T", str(so)], capture_output=True, text=True, check=True).stdout
    assert "(GLIBC_2.29) exp" in syms and "(GLIBC_2.29) log" in syms
    assert hardening_problems(so, "PyInit_e") == []
    assert load(str(so), "e").f(1.0) == 2.718281828459045
