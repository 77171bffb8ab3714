"""Worker: load one engine's version of one benchmark module, check it, time it.

Run by `bench/run` in a fresh interpreter per (module, engine), so that a crash in
one engine's code costs only that measurement, and no engine's import or JIT state
leaks into another's timing.  Input: one JSON argument.  Output: one JSON line.
"""

import gc
import importlib.machinery
import importlib.util
import json
import statistics
import sys
import time
import types
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "python"))
SEED = 20240611


def load_source(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    # Registered because Numba finds a recursive function's globals through
    # sys.modules; the names are unique per engine, so nothing is shadowed.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_extension(so_path, stem):
    # The extension's init symbol is PyInit_<stem>, so the spec must carry that
    # name; it is not put in sys.modules, so engines cannot shadow each other.
    loader = importlib.machinery.ExtensionFileLoader(stem, so_path)
    spec = importlib.util.spec_from_file_location(stem, so_path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def numba_jit(source, signatures):
    """The kernel functions under numba.njit with their explicit signatures.

    Helpers are compiled (as part of the exported function's compilation) for the
    types they are called with.  Returns the functions and the
    compile time, which is the JIT's equivalent of a build.
    """
    warnings.simplefilter("ignore")
    import numba
    module = load_source(source, Path(source).stem + "_numba")
    start = time.perf_counter()
    # Every function becomes a dispatcher before any compiles, so that calls to
    # helpers (and recursive calls) resolve to compiled code.
    for name, value in list(vars(module).items()):
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            setattr(module, name, numba.njit(value))
    for name, sig in signatures.items():
        dispatcher = getattr(module, name)
        dispatcher.compile(sig)
        dispatcher.disable_compile()  # as numba.njit(sig) does: no other versions
    compile_seconds = time.perf_counter() - start
    return {name: getattr(module, name) for name in signatures}, compile_seconds


def load_engine(job):
    """{function name: callable} for the job's engine, plus compile seconds if any."""
    source, engine, signatures = job["source"], job["engine"], job["signatures"]
    stem = Path(source).stem
    if engine in ("numba", "numba-pypi"):  # the worker's interpreter decides which Numba
        return numba_jit(source, signatures)
    if engine in ("cpython", "numpy"):
        module = load_source(source, stem + "_" + engine)
        if engine == "numpy":
            if not hasattr(module, "numpy_version"):
                return None, None
            return {job["function"]: module.numpy_version}, None
        return {name: getattr(module, name) for name in signatures}, None
    module = load_extension(job["so_path"], stem)
    return {name: getattr(module, name) for name in signatures}, None


def fresh(args):
    """A deep enough copy of the arguments: kernels may write into array arguments."""
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def describe_mismatch(expected, got):
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        expected, got = np.asarray(expected), np.asarray(got)
        if expected.shape != got.shape:
            return f"shape {got.shape} != {expected.shape}"
        if expected.dtype.kind in "fc" or got.dtype.kind in "fc":
            close = np.isclose(got, expected, rtol=1e-7, atol=1e-9, equal_nan=True)
        else:
            close = got == expected
        if close.all():
            return None
        where = tuple(int(i) for i in np.argwhere(~close)[0])
        return f"at {where}: {got[where]!r} != {expected[where]!r}"
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            return f"{got!r} != {expected!r}"
        for e, g in zip(expected, got):
            problem = describe_mismatch(e, g)
            if problem:
                return problem
        return None
    if isinstance(expected, (float, complex)) or isinstance(got, (float, complex)):
        if expected is None or got is None:
            return f"{got!r} != {expected!r}"
        if complex(got) == complex(expected) or abs(complex(got) - complex(expected)) <= (
                1e-9 + 1e-7 * abs(complex(expected))):
            return None
        return f"{got!r} != {expected!r}"
    return None if got == expected else f"{got!r} != {expected!r}"


def check(reference, candidate, args):
    """Compare the return value and every array argument after the call."""
    ref_args, cand_args = fresh(args), fresh(args)
    expected = reference(*ref_args)
    got = candidate(*cand_args)
    problem = describe_mismatch(expected, got)
    if problem:
        return "result " + problem
    for index, (e, g) in enumerate(zip(ref_args, cand_args)):
        if isinstance(e, np.ndarray):
            problem = describe_mismatch(e, g)
            if problem:
                return f"argument {index} after the call: {problem}"
    return None


def time_call(func, args, repeats, min_seconds, budget):
    """Median seconds per call, timeit-style: loops of `number` calls, `repeats` times.

    `number` grows until one loop takes `min_seconds`; repeating stops early once the
    budget is spent (slow engines such as CPython then get fewer repeats, never zero).
    """
    start = time.perf_counter()
    func(*args)  # warm-up: first-touch page faults, lazy imports, caches
    warm_up = time.perf_counter() - start
    if warm_up >= budget / 2:
        # Interpreted code on full-size inputs: nothing to warm up, and a second
        # call of many seconds would tell little more.
        return warm_up, 1, 1
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            func(*args)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            break
        number *= 10 if elapsed < min_seconds / 10 else 2
    samples = [elapsed / number]
    spent = elapsed
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        while len(samples) < repeats and spent < budget:
            start = time.perf_counter()
            for _ in range(number):
                func(*args)
            elapsed = time.perf_counter() - start
            samples.append(elapsed / number)
            spent += elapsed
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(samples), len(samples), number


def run_kernel(job, functions):
    kernel = load_source(job["source"], Path(job["source"]).stem + "_inputs")
    reference = getattr(kernel, job["function"])
    candidate = functions[job["function"]]
    check_args = kernel.make_inputs(kernel.SIZES["check"], np.random.default_rng(SEED))
    if job["engine"] != "cpython":
        problem = check(reference, candidate, check_args)
        if problem:
            return {"status": "wrong", "message": "wrong result: " + problem}
    args = kernel.make_inputs(kernel.SIZES[job["mode"]], np.random.default_rng(SEED + 1))
    seconds, repeats, number = time_call(candidate, args, job["repeats"],
                                         job["min_seconds"], job["budget"])
    return {"status": "ok", "seconds": seconds, "repeats": repeats, "number": number}


def run_calls(job, functions):
    """Per-call cost of the overhead probes (and of CPython builtins for scale)."""
    small = np.ones(1)
    probes = {"add": (functions["add"], (3, 4), 7),
              "first_sum": (functions["first_sum"], (small, small), 2.0)}
    if job["engine"] == "cpython":
        import operator
        probes["builtin operator.add(3, 4)"] = (operator.add, (3, 4), 7)
        probes["builtin max(3, 4)"] = (max, (3, 4), 4)
    result = {"status": "ok", "calls": {}}
    for label, (func, args, expected) in probes.items():
        got = func(*args)
        if got != expected:
            return {"status": "wrong", "message": f"wrong result: {label} gave {got!r}"}
        result["calls"][label] = time_call(func, args, 7, job["min_seconds"], 2.0)[0]
    return result


def main():
    job = json.loads(sys.argv[1])
    functions, compile_seconds = load_engine(job)
    if functions is None:
        result = {"status": "n/a", "message": "no numpy version"}
    elif job["kind"] == "calls":
        result = run_calls(job, functions)
    else:
        result = run_kernel(job, functions)
    if compile_seconds is not None:
        result["compile_seconds"] = compile_seconds
    print(json.dumps(result))


if __name__ == "__main__":
    main()
