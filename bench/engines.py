"""The engines the harness compares, how to find them and how to build a module with each.

A benchmark module (a kernel, or the call-overhead probes) is a plain Python file
with a SIGNATURES table.  Each compiled engine turns it into an extension module in a
scratch directory of its own; `build()` returns a BuildResult saying where the module
is, how long the build took and how big it is, or why it failed.

Numba JIT, numpy and CPython have no build step: the measuring worker loads them
straight from the kernel source (Numba's compile time is measured there instead).

Every engine runs under Debian's interpreter except `numba-pypi`: Numba's newest
release, with the numpy it asks for, in its own virtual environment from PyPI
(scripts/pyenv numba), so that Debian's Numba and PyPI's never meet in one process.
"""

import ast
import dataclasses
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ENGINES = ["pyaot", "numba", "numba-pypi", "numba-aot", "pythran", "cython", "numpy", "cpython"]
COMPILED = {"pyaot", "numba-aot", "pythran", "cython"}  # engines with a build step
HARNESS_NAMES = {"SIGNATURES", "SIZES", "make_inputs", "numpy_version"}

PYTHON = sys.executable
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
REPO = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT = 300  # seconds; pythran's error recovery alone can take minutes


@dataclasses.dataclass
class Engine:
    name: str
    available: bool
    detail: str  # version when available, else why not
    python: str = PYTHON  # the interpreter its measurements run in


@dataclasses.dataclass
class BuildResult:
    ok: bool
    seconds: float = 0.0
    so_path: str = ""
    so_bytes: int = 0
    message: str = ""


def pyaot_path():
    return Path(os.environ.get("PYAOT", REPO / "build" / "pyaot"))


def _version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout + out.stderr).strip()
    return text.splitlines()[0] if out.returncode == 0 and text else None


def _module_version(name, python=PYTHON):
    code = f"import {name}; print({name}.__version__)"
    return _version([python, "-W", "ignore", "-c", code])


def _pypi_numba():
    """Numba's newest release in its own venv (made on first use, about 15 s)."""
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "pyenv"), "numba"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["scripts/pyenv numba failed"])[-1]
        return Engine("numba-pypi", False, why)
    python = done.stdout.strip()
    numba, numpy = _module_version("numba", python), _module_version("numpy", python)
    if not numba:
        return Engine("numba-pypi", False, f"numba does not import in {python}")
    return Engine("numba-pypi", True, f"{numba} (numpy {numpy}, from PyPI)", python)


def detect_engines():
    """Find out which engines this machine has; a missing one says what is missing."""
    found = {}
    exe = pyaot_path()
    if exe.is_file() and os.access(exe, os.X_OK):
        found["pyaot"] = Engine("pyaot", True, _version([str(exe), "--version"]) or str(exe))
    else:
        found["pyaot"] = Engine("pyaot", False, f"no executable at {exe} (set PYAOT)")

    numba_version = _module_version("numba") if importlib.util.find_spec("numba") else None
    if numba_version:
        found["numba"] = Engine("numba", True, numba_version)
        found["numba-aot"] = Engine("numba-aot", True, f"numba.pycc {numba_version}")
    else:
        found["numba"] = Engine("numba", False, "python module numba not importable")
        found["numba-aot"] = Engine("numba-aot", False, "python module numba not importable")

    found["numba-pypi"] = _pypi_numba()

    pythran_exe = shutil.which("pythran")
    pythran_version = _module_version("pythran") if pythran_exe else None
    found["pythran"] = (Engine("pythran", True, pythran_version) if pythran_version
                        else Engine("pythran", False, "pythran command or module not found"))

    cython_exe = shutil.which("cython3") or shutil.which("cython")
    gcc = shutil.which("gcc")
    if cython_exe and gcc:
        found["cython"] = Engine("cython", True, _version([cython_exe, "--version"]) or cython_exe)
    else:
        found["cython"] = Engine("cython", False, "needs cython3 and gcc on PATH")

    numpy_version = _module_version("numpy")
    found["numpy"] = (Engine("numpy", True, numpy_version) if numpy_version
                      else Engine("numpy", False, "python module numpy not importable"))
    found["cpython"] = Engine("cpython", True, sys.version.split()[0])
    return found


# --------------------------------------------------------------------------------------
# Numba signature strings -> Pythran export types


_SHORT_TYPES = {
    "i1": "int8", "i2": "int16", "i4": "int32", "i8": "int64",
    "u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64",
    "f4": "float32", "f8": "float64", "c8": "complex64", "c16": "complex128",
    "b1": "bool", "boolean": "bool", "bool_": "bool", "intp": "int64", "uintp": "uint64",
}


def split_top_level(text, sep=","):
    """Split on `sep` where it is not nested inside (), [] or {}."""
    parts, depth, start = [], 0, 0
    for pos, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == sep and depth == 0:
            parts.append(text[start:pos].strip())
            start = pos + 1
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def split_signature(sig):
    """'float64(int64[:], int64)' -> ('float64', ['int64[:]', 'int64'])."""
    sig = sig.strip()
    depth = 0
    # The argument list is the last top-level parenthesised group.
    for pos in range(len(sig) - 1, -1, -1):
        if sig[pos] == ")":
            depth += 1
        elif sig[pos] == "(":
            depth -= 1
            if depth == 0:
                return sig[:pos].strip(), split_top_level(sig[pos + 1:-1])
    raise ValueError(f"not a function signature: {sig!r}")


def pythran_type(numba_type):
    text = numba_type.replace(" ", "")
    tuple_match = re.fullmatch(r"(?:Uni)?Tuple\((.*)\)", text)
    if tuple_match:
        items = split_top_level(tuple_match.group(1))
        if text.startswith("UniTuple"):
            items = [items[0]] * int(items[1])
        return "(" + ", ".join(pythran_type(item) for item in items) + ")"
    array_match = re.fullmatch(r"(\w+)\[(.*)\]", text)
    if array_match:
        dtype, dims = array_match.groups()
        ndim = len(split_top_level(dims))
        return f"{_SHORT_TYPES.get(dtype, dtype)}[{','.join([':'] * ndim)}]"
    return _SHORT_TYPES.get(text, text)


def pythran_export(name, sig):
    _, args = split_signature(sig)
    return f"#pythran export {name}({', '.join(pythran_type(arg) for arg in args)})"


# --------------------------------------------------------------------------------------
# Building


def read_signatures(source):
    """SIGNATURES from a kernel file, read without importing it."""
    tree = ast.parse(Path(source).read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "SIGNATURES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise ValueError(f"{source}: no SIGNATURES table")


def kernel_only_source(source):
    """The kernel file without the harness's own tables and helpers.

    Pythran compiles every function in the file, and none of the peers should be
    charged (in build time or .so size) for the input generator or the numpy version.
    """
    tree = ast.parse(Path(source).read_text())
    kept = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and (
                node.name in HARNESS_NAMES or node.name.startswith("_numpy")):
            continue
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in HARNESS_NAMES for t in node.targets):
            continue
        kept.append(node)
    tree.body = kept
    return ast.unparse(tree) + "\n"


def first_error_line(text):
    """The most telling line of a failed tool's output."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if "warning" not in line.lower()]
    for line in lines:
        if re.search(r"\berror\b", line, re.IGNORECASE) and not line.startswith("Traceback"):
            return line[:300]
    return (lines[-1] if lines else "no output")[:300]


def _run(cmd, cwd, env=None):
    merged = dict(os.environ, PYTHONWARNINGS="ignore", **(env or {}))
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                              timeout=BUILD_TIMEOUT, env=merged)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {BUILD_TIMEOUT} s"
    except OSError as error:
        return False, str(error)
    if done.returncode != 0:
        return False, first_error_line(done.stderr + "\n" + done.stdout)
    return True, ""


def _find_so(outdir, stem):
    matches = sorted(Path(outdir).glob(f"{stem}*.so"))
    return matches[0] if matches else None


def build_pyaot(source, signatures, outdir):
    cmd = [str(pyaot_path()), "build", str(source)]
    for name, sig in signatures.items():
        cmd += ["--sig", f"{name}={sig}"]
    cmd += ["-o", str(outdir)]
    return _run(cmd, outdir)


_NUMBA_AOT_SCRIPT = """\
import importlib.util, sys, types
import numba
from numba.pycc import CC

source, stem, outdir, signatures = sys.argv[1], sys.argv[2], sys.argv[3], eval(sys.argv[4])
spec = importlib.util.spec_from_file_location(stem + "_source", source)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module  # Numba resolves recursive calls through sys.modules
spec.loader.exec_module(module)
# Whatever the kernel calls (helpers, itself when recursive) must be a Numba
# function too, so every function in the module becomes one before any compiles.
for name, value in list(vars(module).items()):
    if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
        setattr(module, name, numba.njit(value))
# A recursive exported function needs its typed version compiled in the dispatcher
# its own body calls, or pycc's type inference fails.
for name, sig in signatures.items():
    getattr(module, name).compile(sig)
cc = CC(stem)
cc.output_dir = outdir
cc.verbose = False
for name, sig in signatures.items():
    cc.export(name, sig)(getattr(module, name).py_func)
cc.compile()
"""


def build_numba_aot(source, signatures, outdir):
    stem = Path(source).stem
    script = Path(outdir) / "_build_numba_aot.py"
    script.write_text(_NUMBA_AOT_SCRIPT)
    return _run([PYTHON, str(script), str(source), stem, str(outdir), repr(signatures)],
                outdir, env={"PYTHONPATH": str(REPO / "python")})


def build_pythran(source, signatures, outdir):
    stem = Path(source).stem
    exports = "\n".join(pythran_export(name, sig) for name, sig in signatures.items())
    target = Path(outdir) / f"{stem}.py"
    target.write_text(exports + "\n" + kernel_only_source(source))
    return _run(["pythran", "-O3", "-march=native", target.name,
                 "-o", f"{stem}{EXT_SUFFIX}"], outdir)


def build_cython(source, signatures, outdir):
    """The typed .pyx beside the kernel if there is one, else the plain source."""
    stem = Path(source).stem
    typed = Path(source).with_suffix(".pyx")
    if typed.exists():
        target = Path(outdir) / f"{stem}.pyx"
        shutil.copyfile(typed, target)
    else:
        target = Path(outdir) / f"{stem}.py"
        target.write_text(kernel_only_source(source))
    cython = shutil.which("cython3") or "cython"
    ok, message = _run([cython, "-3", target.name, "-o", f"{stem}.c"], outdir)
    if not ok:
        return ok, message
    import numpy  # only for its headers; the built module need not use them
    return _run(["gcc", "-O3", "-march=native", "-shared", "-fPIC",
                 "-I" + sysconfig.get_paths()["include"], "-I" + numpy.get_include(),
                 f"{stem}.c", "-o", f"{stem}{EXT_SUFFIX}", "-lm"], outdir)


BUILDERS = {
    "pyaot": build_pyaot,
    "numba-aot": build_numba_aot,
    "pythran": build_pythran,
    "cython": build_cython,
}


def build(engine, source, signatures, outdir):
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    ok, message = BUILDERS[engine](Path(source).resolve(), signatures, outdir)
    seconds = time.perf_counter() - start
    if not ok:
        return BuildResult(False, seconds, message=f"build failed: {message}")
    so = _find_so(outdir, Path(source).stem)
    if so is None:
        return BuildResult(False, seconds, message="build failed: no .so produced")
    return BuildResult(True, seconds, str(so), so.stat().st_size)
