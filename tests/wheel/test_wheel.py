"""pyaot wheel: the wheel's contents, installing it into a fresh venv and
importing it with a clean environment, the stable-ABI and portability checks
an auditor would make on the module inside, and auditwheel's own verdict
(from PyPI) on every wheel built here."""
import base64
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYAOT = os.environ.get("PYAOT", os.path.join(ROOT, "build", "pyaot"))
FLAGS = os.environ.get("PYAOT_FLAGS", "").split()
sys.path.insert(0, os.path.join(ROOT, "tests"))
from pypi import environment  # noqa: E402

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

KERNEL_SIGS = ["--sig", "scale=float64[:](float64[:], float64)", "--sig", "add=int64(int64, int64)",
               "--sig", "add=float64(float64, float64)", "--sig", "depth=int64(int64)",
               "--sig", "summary=float64(float64[:])"]

# Numbers only: no arrays, so no numpy at run time.
PLAIN = '''
import math

def hyp(x, y):
    return math.hypot(x, y) + math.exp(-x * x)

def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
'''

# Every wheel the tests build: (module, source, arguments after the source).
WHEELS = {
    "kernels": ("kernels", SOURCE, ["--name", "my-kernels", "--version", "1.0.2"] + KERNEL_SIGS),
    "plain": ("plain", PLAIN, ["--sig", "hyp=float64(float64, float64)", "--sig", "collatz=int64(int64)"]),
    "no-abi3": ("kernels", SOURCE, ["--name", "kernels-311", "--no-abi3"] + KERNEL_SIGS),
    "baseline": ("m", "def f(a):\n    s = 0.0\n    for x in a:\n        s += x * 2.0\n    return s\n",
                 ["--sig", "float64(float64[::1])"]),
    # The system linker binds this machine's default symbol versions: the
    # tag must follow them, however new.
    "system-linker": ("kernels", SOURCE, ["--name", "kernels-sys", "--linker=system"] + KERNEL_SIGS),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """built(name) -> path of WHEELS[name], built once."""
    paths = {}

    def build(name):
        if name not in paths:
            module, source, args = WHEELS[name]
            work = tmp_path_factory.mktemp(name)
            (work / f"{module}.py").write_text(source)
            dist = work / "dist"
            done = subprocess.run([PYAOT, "wheel", str(work / f"{module}.py"), "-o", str(dist)] + args + FLAGS,
                                  capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            wheels = glob.glob(str(dist / "*.whl"))
            assert len(wheels) == 1 and os.listdir(dist) == [os.path.basename(wheels[0])]
            paths[name] = wheels[0]
        return paths[name]
    return build


@pytest.fixture(scope="module")
def wheel(built):
    return built("kernels")


def platform_tags(wheel):
    """The platform tags a wheel's file name claims (PEP 425: dot-separated)."""
    return os.path.basename(wheel)[:-len(".whl")].split("-")[-1].split(".")


def test_file_name_and_tags(wheel):
    assert os.path.basename(wheel) == "my_kernels-1.0.2-cp311-abi3-manylinux_2_5_x86_64.whl"
    with zipfile.ZipFile(wheel) as z:
        info = z.read("my_kernels-1.0.2.dist-info/WHEEL").decode()
        meta = z.read("my_kernels-1.0.2.dist-info/METADATA").decode()
    assert "Tag: cp311-abi3-manylinux_2_5_x86_64" in info
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


def module_path(wheel, directory):
    """Extracts the wheel's extension module into directory; its path."""
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".so"))
        z.extract(name, directory)
    return str(directory / name)


def _limited_api_names():
    """Every Py name the limited API (3.11) declares, from the headers."""
    pre = subprocess.run(["gcc", "-E", "-DPy_LIMITED_API=0x030B0000", "-DPY_SSIZE_T_CLEAN",
                          "-I/usr/include/python3.11", "-x", "c", "-"],
                         input="#include <Python.h>\n", capture_output=True, text=True, check=True)
    return set(re.findall(r"\b_?Py\w+", pre.stdout))


def test_only_stable_abi_symbols(wheel, tmp_path):
    so = module_path(wheel, tmp_path)
    nm = subprocess.run(["nm", "-D", "--undefined-only", so], capture_output=True, text=True, check=True)
    undefined = {line.split()[-1].split("@")[0] for line in nm.stdout.splitlines() if line.strip()}
    python_symbols = {s for s in undefined if re.match(r"_?Py", s)}
    assert python_symbols, "the module should call into CPython"
    assert python_symbols <= _limited_api_names(), python_symbols - _limited_api_names()


def glibc_imports(so):
    """{symbol: (major, minor) or None} for the module's libc/libm imports."""
    table = subprocess.run(["objdump", "-T", so], capture_output=True, text=True, check=True).stdout
    imports = {}
    for line in table.splitlines():
        fields = line.split()
        if "*UND*" in fields and not re.match(r"_?Py", fields[-1]) and fields[-1] != "__cxa_finalize":
            version = re.search(r"GLIBC_(\d+)\.(\d+)", line)
            imports[fields[-1]] = (int(version[1]), int(version[2])) if version else None
    return imports


def expected_tag(newest):
    """The oldest manylinux policy allowing glibc `newest`: manylinux1, 2010
    and 2014 up to 2.17, PEP 600's exact version past it."""
    major, minor = newest
    minor = next((m for m in (5, 12, 17) if minor <= m), minor) if major == 2 else minor
    return f"manylinux_{major}_{minor}_x86_64"


@pytest.mark.parametrize("name", WHEELS)
def test_tag_is_the_oldest_policy_the_imports_allow(built, name, tmp_path):
    wheel = built(name)
    so = module_path(wheel, tmp_path)
    dyn = subprocess.run(["readelf", "-d", "-W", so], capture_output=True, text=True, check=True).stdout
    assert set(re.findall(r"Shared library: \[([^\]]+)\]", dyn)) <= {"libc.so.6", "libm.so.6"}
    imports = glibc_imports(so)
    versions = [v for v in imports.values() if v]
    assert platform_tags(wheel) == [expected_tag(max(versions))]
    if name != "system-linker":
        # pyaot's linker asks for each symbol's oldest version, by name: the
        # module says what it needs, and loads into any glibc from 2.17 on.
        assert None not in imports.values(), f"unversioned imports: {imports}"
        newest = max(imports, key=imports.get)
        assert imports[newest] <= (2, 17), f"{newest} needs GLIBC_{imports[newest]}"


def test_modules_load_into_the_oldest_glibcs(built, tmp_path):
    # Blocks aligned by posix_memalign, not aligned_alloc (glibc 2.16): every
    # import, arrays or not, is as old as x86-64's glibc, and the wheel says
    # manylinux_2_5 (manylinux1).
    for name in ("plain", "kernels"):
        imports = glibc_imports(module_path(built(name), tmp_path))
        assert set(imports.values()) == {(2, 2)}, imports
        assert platform_tags(built(name)) == ["manylinux_2_5_x86_64"]


@pytest.mark.parametrize("name", WHEELS)
def test_auditwheel_reports_the_tag_the_name_claims(built, name):
    auditwheel = os.path.join(os.path.dirname(environment("auditwheel")), "auditwheel")
    wheel = built(name)
    done = subprocess.run([auditwheel, "show", "--json", wheel], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["external_libs"] == {} and not report["unsupported_isa"], report
    assert [report["overall_tag"]] == platform_tags(wheel), report


def namespace_hiding_the_toolchain():
    """A shell prefix that runs a command where LLVM, the C compilers and the
    pyaot repository are hidden (mount namespace), or None if this machine
    cannot make one (it needs root)."""
    hide = ["/usr/lib/gcc", "/usr/libexec/gcc", ROOT] + glob.glob("/usr/lib/llvm-*")
    libraries = glob.glob("/usr/lib/x86_64-linux-gnu/libLLVM*") + glob.glob("/usr/lib/x86_64-linux-gnu/libclang*")
    files = sorted({os.path.realpath(f) for f in libraries if os.path.exists(f)})
    # Files first: some of them lie inside the folders hidden next.
    script = "set -e\n" + "".join(f"mount --bind /dev/null '{f}'\n" for f in files)
    script += "".join(f"mount -t tmpfs none '{d}'\n" for d in hide if os.path.isdir(d)) + 'exec "$@"\n'
    namespace = ["unshare", "--mount", "--propagation", "private"]
    if not shutil.which("unshare") or subprocess.run(namespace + ["true"], capture_output=True).returncode != 0:
        return None
    return namespace + ["sh", "-c", script, "hide"]


def fresh_install(wheel, tmp_path, find_links=None):
    """A venv without pip or system site-packages, the wheel installed into
    it by pip from outside (with its dependencies from find_links only)."""
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(venv)], check=True)
    source = ["--find-links", find_links] if find_links else []
    pip = subprocess.run(["/usr/bin/python3", "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                          "--quiet", "--no-index"] + source + [wheel], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return venv


def run_hidden(venv, probe, tmp_path):
    prefix = namespace_hiding_the_toolchain()
    if prefix is None:
        pytest.skip("cannot make a mount namespace here (needs root), so cannot hide LLVM and the compilers")
    done = subprocess.run(prefix + ["env", "-i", f"PATH={venv / 'bin'}", str(venv / "bin" / "python"), "-c",
                                    "import os, glob, sys\n"
                                    "hidden = [os.listdir(d) for d in glob.glob('/usr/lib/llvm-*')]\n"
                                    f"assert not any(hidden) and not os.path.exists({PYAOT!r})\n" + probe],
                          capture_output=True, text=True, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_fresh_venv_with_numpy_from_pypi(built, tmp_path):
    venv = fresh_install(built("kernels"), tmp_path, environment("wheels"))
    lines = run_hidden(venv, "import numpy as np, kernels\n"
                             "print(kernels.add(3, 4), kernels.add(1.5, 2.0), kernels.scale(np.arange(3.0)).tolist())\n"
                             "print(kernels.__file__.startswith(sys.prefix), np.__file__.startswith(sys.prefix))\n"
                             "print(sorted(m for m in sys.modules if 'pyaot' in m or 'llvm' in m))\n"
                             "print(kernels.summary(np.arange(5.0)))\n", tmp_path)
    assert lines == ["7 3.5 [0.0, 2.0, 4.0]", "True True", "[]", "head 3.0 5", "6.5"]


def test_fresh_venv_without_numpy(built, tmp_path):
    # A module without arrays needs no numpy: none is installed, none imported.
    venv = fresh_install(built("plain"), tmp_path)
    reference = {}
    exec(PLAIN, reference)
    lines = run_hidden(venv, "import importlib.util, plain\n"
                             "print(repr(plain.hyp(3.0, 4.0)), repr(plain.hyp(-0.5, 1e300)), plain.collatz(27))\n"
                             "print(importlib.util.find_spec('numpy'), 'numpy' in sys.modules)\n", tmp_path)
    expected = f"{reference['hyp'](3.0, 4.0)!r} {reference['hyp'](-0.5, 1e300)!r} {reference['collatz'](27)}"
    assert lines == [expected, "None False"]


def test_portable_cpu_baseline(built, tmp_path):
    # pyaot wheel compiles for x86-64-v2 by default: no AVX in the module.
    so = module_path(built("baseline"), tmp_path)
    dis = subprocess.run(["objdump", "-d", so], capture_output=True, text=True, check=True).stdout
    assert "%ymm" not in dis and "%zmm" not in dis
