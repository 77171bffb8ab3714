"""The command line: help, version, options, exit statuses, outputs."""
import os
import subprocess

import pytest

from conftest import FLAGS, PYAOT

SOURCE = "import numpy as np\n\ndef f(a):\n    s = 0.0\n    for x in a:\n        s += x\n    return s\n\ndef g(n):\n    yield n\n"


def run(*args, cwd=None):
    return subprocess.run([PYAOT, *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def module(tmp_path):
    p = tmp_path / "mod.py"
    p.write_text(SOURCE)
    return p


def test_help_and_version():
    done = run("--help")
    assert done.returncode == 0 and "pyaot build FILE.py" in done.stdout and "--emit-llvm" in done.stdout
    done = run("--version")
    assert done.returncode == 0 and done.stdout.startswith("pyaot ")


@pytest.mark.parametrize("args, message", [
    ((), "usage"), (("compile", "x.py"), "unknown command"), (("build",), "no input file"),
    (("build", "a.py", "b.py"), "only one input file"), (("build", "a.py", "-O7"), "optimisation level"),
    (("build", "a.py", "--sig"), "needs a signature"), (("build", "a.py", "--frobnicate"), "unknown option"),
    (("build", "a.py", "--boundscheck=maybe"), "on or off")])
def test_usage_errors_exit_2(args, message):
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr


def test_build_into_current_directory_by_default(module, tmp_path):
    done = run("build", str(module), "--sig", "f=float64(float64[:])", *FLAGS, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "mod.cpython-311-x86_64-linux-gnu.so").exists()


@pytest.mark.parametrize("level", ["-O0", "-O1", "-O2", "-O3"])
def test_optimisation_levels(module, tmp_path, level):
    out = tmp_path / "out"
    out.mkdir()
    done = run("build", str(module), "--sig", "f=float64(float64[:])", level,
               "-o", str(out), *FLAGS)
    assert done.returncode == 0, done.stderr
    check = subprocess.run(["/usr/bin/python3", "-c", "import numpy as np, mod; print(mod.f(np.arange(5.0)))"],
                           capture_output=True, text=True, cwd=str(out))
    assert check.stdout.strip() == "10.0", check.stderr


def test_emit_llvm_writes_ll_beside_module(module, tmp_path):
    done = run("build", str(module), "--sig", "f=float64(float64[:])", "--emit-llvm", "-o", str(tmp_path), *FLAGS)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "mod.ll").read_text()
    assert "define" in text and "PyInit_mod" in text


def test_uncompilable_functions_that_are_not_exported_are_fine(module, tmp_path):
    # g is a generator; only f is compiled.
    done = run("build", str(module), "--sig", "f=float64(float64[:])", "-o", str(tmp_path), *FLAGS)
    assert done.returncode == 0, done.stderr


def test_compile_error_exit_1_and_nothing_left(module, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    done = run("build", str(module), "--sig", "g=int64(int64)", "-o", str(out), *FLAGS)
    assert done.returncode == 1
    assert "mod.py:9:" in done.stderr and "generators are not supported" in done.stderr
    assert "Traceback" not in done.stderr
    assert os.listdir(out) == []


def test_missing_input_and_bad_output_directory(module, tmp_path):
    done = run("build", str(tmp_path / "nope.py"), "--sig", "int64(int64)", *FLAGS)
    assert done.returncode == 1 and "cannot open input file" in done.stderr
    done = run("build", str(module), "--sig", "f=float64(float64[:])", "-o", str(tmp_path / "plain"), *FLAGS)
    assert done.returncode == 0
    (tmp_path / "plain" / "file").write_text("")
    done = run("build", str(module), "--sig", "f=float64(float64[:])", "-o", str(tmp_path / "plain" / "file"), *FLAGS)
    assert done.returncode == 1 and "is not a directory" in done.stderr


def test_signatures_in_the_source(tmp_path):
    (tmp_path / "dec.py").write_text(
        "from pyaot import export\n\n@export('int64(int64)', 'float64(float64)')\ndef twice(x):\n    return 2 * x\n")
    done = run("build", str(tmp_path / "dec.py"), "-o", str(tmp_path), *FLAGS)
    assert done.returncode == 0, done.stderr
    check = subprocess.run(["/usr/bin/python3", "-c", "import dec; print(dec.twice(4), dec.twice(1.5))"],
                           capture_output=True, text=True, cwd=str(tmp_path))
    assert check.stdout.strip() == "8 3.0", check.stderr
