"""The import hook for modules written for Numba, inside pyaot's embedded
interpreter: the first `import numba` of a build gets the real Numba when it
imports, and pyaot's stand-in (numba_standin.py) when it does not; `numba.pycc`
is always the stand-in's. Either way in the build process only, never in the
built module. Small on purpose: every build loads it, and the reader
(numba_reader.py) is compiled only for modules that import numba.
"""

import importlib
import importlib.util
import os
import sys
import types

# Set by aot/python.c: the sources compiled when a module needs them.
READER_SOURCE = None
STANDIN_SOURCE = None


# ------------------------------------------------------------ import hook

class _NumbaFinder:
    """First on sys.meta_path. The first `import numba` tries the real one;
    if that fails for any reason the stand-in takes its place."""

    def __init__(self):
        self.mode = None  # None until numba is imported; then "trying", "real" or "standin"
        self.standin = None
        self.cache_dir = None

    def find_spec(self, name, path=None, target=None):
        if name == "numba" and self.mode is None:
            return importlib.util.spec_from_loader(name, self, is_package=True)
        if name == "numba.pycc" and self.mode == "real":
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if module.__name__ == "numba.pycc":
            _fill(module, self.standin_namespace(), "pycc")
            return
        placeholder = sys.modules.pop("numba")
        self.mode = "trying"
        # Real Numba compiles eagerly declared signatures while the module is
        # imported; its cache files (cache=True) go to a directory of the
        # build's own, and NUMBA_DISABLE_JIT would hide the signatures.
        import tempfile
        self.cache_dir = tempfile.mkdtemp(prefix="pyaot-numba-cache-")
        os.environ["NUMBA_CACHE_DIR"] = self.cache_dir
        os.environ.pop("NUMBA_DISABLE_JIT", None)
        try:
            importlib.import_module("numba")
            self.mode = "real"
            return  # the real module replaced the placeholder in sys.modules
        except Exception:  # missing, or installed but broken: either way not importable
            for name in [n for n in sys.modules if n == "numba" or n.startswith("numba.")]:
                del sys.modules[name]
        self.mode = "standin"
        namespace = self.standin_namespace()
        for name in namespace["PUBLIC"]:
            setattr(placeholder, name, namespace[name])
        for sub in namespace["SUBMODULES"]:
            m = types.ModuleType("numba." + sub)
            _fill(m, namespace, sub)
            sys.modules[m.__name__] = m
        for sub in namespace["SUBMODULES"]:  # numba.core.types is numba.core's attribute `types`
            parent, _, leaf = ("numba." + sub).rpartition(".")
            setattr(sys.modules[parent] if parent != "numba" else placeholder, leaf, sys.modules["numba." + sub])
        sys.modules["numba"] = placeholder

    def standin_namespace(self):
        if self.standin is None:
            module = types.ModuleType("numba")  # so that its objects say numba.njit, numba.types.Array
            exec(compile(STANDIN_SOURCE, "<pyaot numba stand-in>", "exec"), module.__dict__)
            self.standin = module.__dict__
        return self.standin

    def cleanup(self):
        if self.cache_dir:
            import shutil
            shutil.rmtree(self.cache_dir, ignore_errors=True)
            self.cache_dir = None


def _fill(module, namespace, sub):
    for name in namespace["SUBMODULES"][sub]:
        setattr(module, name, namespace[name])
    for name, value in namespace["SUBMODULE_EXTRAS"].get(sub, {}).items():
        setattr(module, name, value)


_finder = _NumbaFinder()


def install():
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def cleanup():
    _finder.cleanup()


_reader = None


def reader():
    """numba_reader.py as a module, compiled on first use."""
    global _reader
    if _reader is None:
        module = types.ModuleType("_pyaot_numba_reader")
        exec(compile(READER_SOURCE, "<pyaot numba reader>", "exec"), module.__dict__)
        sys.modules[module.__name__] = _reader = module
    return _reader
