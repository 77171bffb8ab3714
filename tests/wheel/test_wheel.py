"""pyaot wheel: the wheel's contents, installing it into a fresh venv and
importing it with a clean environment, and the stable-ABI and portability
checks an auditor would make on the module inside."""
import base64
import glob
import hashlib
import os
import re
import subprocess
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYAOT = os.environ.get("PYAOT", os.path.join(ROOT, "build", "pyaot"))
FLAGS = os.environ.get("PYAOT_FLAGS", "").split()

SOURCE = '''
import numpy as np

def scale(a, k=2.0):
    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = a[i] * k
    return out

def add(x, y):
    return x + y

# Slices, reductions, print and the recursion guard use runtime code of
# their own, so the module's stable-ABI and glibc checks cover them too.
def depth(n):
    if n <= 0:
        return 0
    return depth(n - 1) + 1

def summary(a):
    print("head", a[:3].sum(), depth(len(a)))
    return np.mean(a[1:]) + a.max()
'''


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    (work / "kernels.py").write_text(SOURCE)
    dist = work / "dist"
    dist.mkdir()
    cmd = [PYAOT, "wheel", str(work / "kernels.py"), "-o", str(dist), "--name", "my-kernels",
           "--version", "1.0.2", "--sig", "scale=float64[:](float64[:], float64)",
           "--sig", "add=int64(int64, int64)", "--sig", "add=float64(float64, float64)",
           "--sig", "depth=int64(int64)", "--sig", "summary=float64(float64[:])"] + FLAGS
    built = subprocess.run(cmd, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    wheels = glob.glob(str(dist / "*.whl"))
    assert len(wheels) == 1 and os.listdir(dist) == [os.path.basename(wheels[0])]
    return wheels[0]


def test_file_name_and_tags(wheel):
    assert os.path.basename(wheel) == "my_kernels-1.0.2-cp311-abi3-manylinux_2_17_x86_64.whl"
    with zipfile.ZipFile(wheel) as z:
        info = z.read("my_kernels-1.0.2.dist-info/WHEEL").decode()
        meta = z.read("my_kernels-1.0.2.dist-info/METADATA").decode()
    assert "Tag: cp311-abi3-manylinux_2_17_x86_64" in info
    assert "Root-Is-Purelib: false" in info
    assert "Name: my-kernels\n" in meta and "Version: 1.0.2\n" in meta
    assert "Requires-Dist: numpy" in meta  # scale takes arrays


def test_record_hashes_every_file(wheel):
    with zipfile.ZipFile(wheel) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        record = z.read("my_kernels-1.0.2.dist-info/RECORD").decode().splitlines()
        listed = set()
        for line in record:
            path, digest, size = line.split(",")
            listed.add(path)
            if path.endswith("RECORD"):
                assert digest == "" and size == ""
                continue
            data = z.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert digest == "sha256=" + expected, path
            assert int(size) == len(data)
    assert listed == names
    assert {"kernels/kernels.abi3.so", "kernels/__init__.py", "kernels/__init__.pyi",
            "kernels/py.typed"} <= names


def test_stub_has_overloads_and_hints(wheel):
    with zipfile.ZipFile(wheel) as z:
        stub = z.read("kernels/__init__.pyi").decode()
    assert "@overload\ndef add(x: int, y: int) -> int: ..." in stub
    assert "@overload\ndef add(x: float, y: float) -> float: ..." in stub
    assert "def scale(a: npt.NDArray[np.float64], k: float = ...) -> npt.NDArray[np.float64]: ..." in stub
    compile(stub, "__init__.pyi", "exec")  # valid Python


def test_installs_into_a_venv_and_runs_without_pyaot(wheel, tmp_path):
    venv = tmp_path / "venv"
    # System site-packages only for numpy: there is no package index here.
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-index", wheel],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    probe = ("import sys, numpy as np, kernels\n"
             "print(kernels.add(3, 4), kernels.add(1.5, 2.0), list(kernels.scale(np.arange(3.0))))\n"
             "print(kernels.__file__)\n"
             "print(sorted(m for m in sys.modules if 'pyaot' in m or 'llvm' in m))\n"
             "print(kernels.summary(np.arange(5.0)))\n")
    run = subprocess.run(["env", "-i", str(venv / "bin" / "python"), "-c", probe], capture_output=True,
                         text=True, cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "7 3.5 [0.0, 2.0, 4.0]"
    assert lines[1].startswith(str(venv))
    assert lines[2] == "[]"
    assert lines[3:] == ["head 3.0 5", "6.5"]


def _module_bytes(wheel, tmp_path):
    with zipfile.ZipFile(wheel) as z:
        z.extract("kernels/kernels.abi3.so", tmp_path)
    return str(tmp_path / "kernels" / "kernels.abi3.so")


def _limited_api_names():
    """Every Py name the limited API (3.11) declares, from the headers."""
    pre = subprocess.run(["gcc", "-E", "-DPy_LIMITED_API=0x030B0000", "-DPY_SSIZE_T_CLEAN",
                          "-I/usr/include/python3.11", "-x", "c", "-"],
                         input="#include <Python.h>\n", capture_output=True, text=True, check=True)
    return set(re.findall(r"\b_?Py\w+", pre.stdout))


def test_only_stable_abi_symbols(wheel, tmp_path):
    so = _module_bytes(wheel, tmp_path)
    nm = subprocess.run(["nm", "-D", "--undefined-only", so], capture_output=True, text=True, check=True)
    undefined = {line.split()[-1].split("@")[0] for line in nm.stdout.splitlines() if line.strip()}
    python_symbols = {s for s in undefined if re.match(r"_?Py", s)}
    assert python_symbols, "the module should call into CPython"
    assert python_symbols <= _limited_api_names(), python_symbols - _limited_api_names()


def test_portable_platform(wheel, tmp_path):
    so = _module_bytes(wheel, tmp_path)
    dyn = subprocess.run(["readelf", "-d", "-W", so], capture_output=True, text=True, check=True).stdout
    needed = set(re.findall(r"Shared library: \[([^\]]+)\]", dyn))
    assert needed <= {"libc.so.6", "libm.so.6"}
    versions = subprocess.run(["objdump", "-T", so], capture_output=True, text=True, check=True).stdout
    for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", versions):
        assert (int(major), int(minor)) <= (2, 17), f"needs GLIBC_{major}.{minor}"


def test_portable_cpu_baseline(tmp_path):
    # pyaot wheel compiles for x86-64-v2 by default: no AVX in the module.
    (tmp_path / "m.py").write_text("def f(a):\n    s = 0.0\n    for x in a:\n        s += x * 2.0\n    return s\n")
    built = subprocess.run([PYAOT, "wheel", str(tmp_path / "m.py"), "-o", str(tmp_path), "--sig",
                            "float64(float64[::1])"] + FLAGS, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(glob.glob(str(tmp_path / "*.whl"))[0]) as z:
        z.extract("m/m.abi3.so", tmp_path)
    dis = subprocess.run(["objdump", "-d", str(tmp_path / "m" / "m.abi3.so")], capture_output=True, text=True,
                         check=True).stdout
    assert "%ymm" not in dis and "%zmm" not in dis
