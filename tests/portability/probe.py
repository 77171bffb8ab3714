"""Makes every call of numpy_cases.cases() under this interpreter's numpy and
writes what each did, as JSON, for test_numpy_versions.py to compare.

    python probe.py compiled|reference MODULE_DIR OUT.json

`compiled` loads the extension modules pyaot built in MODULE_DIR; `reference`
runs the same sources (MODULE_DIR/NAME.py) as plain Python. Runs under any
numpy from 1.24 on, with no pytest and nothing of pyaot's.
"""
import contextlib
import importlib.machinery
import importlib.util
import io
import json
import os
import sys
import sysconfig
import warnings

import numpy as np

import numpy_cases


def load(directory, name, mode):
    if mode == "compiled":
        path = os.path.join(directory, name + sysconfig.get_config_var("EXT_SUFFIX"))
        loader = importlib.machinery.ExtensionFileLoader(name, path)
        spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    else:
        spec = importlib.util.spec_from_file_location(name + "_py", os.path.join(directory, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def encode(x, args):
    """What Python sees of a value; numpy scalars as the numbers they hold
    (compiled code returns Python numbers, as Numba does)."""
    if isinstance(x, np.ndarray):
        # Strides tell the layout only along axes longer than 1, and not at
        # all in an empty array (numpy itself leaves them 0 there).
        strides = [s if n > 1 else None for s, n in zip(x.strides, x.shape)] if x.size else None
        return {"dtype": x.dtype.str, "shape": list(x.shape), "strides": strides,
                "writeable": bool(x.flags.writeable), "data": x.tobytes().hex(),
                "shares_memory_with": [k for k, a in enumerate(args)
                                       if isinstance(a, np.ndarray) and np.shares_memory(a, x)]}
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, bool):
        return ["bool", x]
    if isinstance(x, int):
        return ["int", str(x)]
    if isinstance(x, float):
        return ["float", x.hex()]
    if isinstance(x, complex):
        return ["complex", x.real.hex(), x.imag.hex()]
    if isinstance(x, tuple):
        return ["tuple", [encode(item, args) for item in x]]
    return [type(x).__name__, repr(x)]


def call(function, case):
    out = io.StringIO()
    record = {}
    with contextlib.redirect_stdout(out):
        try:
            record["value"] = encode(function(*case.args, **case.kwargs), case.args)
        except Exception as error:  # recorded and compared, not swallowed
            record["raised"] = [type(error).__name__, str(error)]
    record["printed"] = out.getvalue()
    # In-place changes to the arguments count as results too.
    record["arguments_after"] = [encode(a, ()) for a in case.args if isinstance(a, np.ndarray)]
    return record


def main():
    mode, directory, target = sys.argv[1:]
    warnings.simplefilter("ignore")  # numpy's overflow warnings, in the reference
    modules = {name: load(directory, name, mode) for name in numpy_cases.MODULES}
    records = [call(getattr(modules[c.module], c.function), c) for c in numpy_cases.cases()]
    with open(target, "w") as f:
        json.dump({"numpy": np.__version__, "records": records}, f)


if __name__ == "__main__":
    main()
