"""Build-time introspection of the user's module, run inside pyaot's embedded
interpreter. It imports the module and describes what the compiler needs as
plain data: the functions to compile (exported ones and everything they call),
their signatures, and every global name each one uses, classified into a
compile-time fact. The C driver (aot/load.c) turns this into frontend structs.
"""

import builtins
import cmath
import importlib.util
import math
import os
import sys
import types

import pyaot

try:
    import numpy
except ImportError:  # modules that do not use numpy still compile
    numpy = None

LIBRARIES = [("builtins", builtins), ("math", math), ("cmath", cmath), ("pyaot", pyaot)]
if numpy is not None:
    LIBRARIES.append(("numpy", numpy))


class UserError(Exception):
    """An error in the user's input; args: (message, line, col)."""


def load(path, name):
    """Imports the file as module `name` (its top-level code runs)."""
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def error_location(exc, path):
    """(line, col) in the user's file for an exception raised by its import."""
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename) == os.path.abspath(path):
        return exc.lineno or 0, exc.offset or 0
    line = 0
    tb = exc.__traceback__
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) == os.path.abspath(path):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line, 0


def underlying_function(obj):
    """The Python function behind a decorated object (numba's dispatchers
    keep it as py_func, functools.wraps as __wrapped__)."""
    if isinstance(obj, types.FunctionType):
        return obj
    for attr in ("py_func", "__wrapped__"):
        inner = getattr(obj, attr, None)
        if isinstance(inner, types.FunctionType):
            return inner
    return None


def is_constant(value):
    if type(value) in (bool, int, float, complex):
        return True
    if type(value) is tuple:
        return all(is_constant(v) for v in value)
    return False


def constant(value):
    if numpy is not None and isinstance(value, numpy.generic) and value.dtype.kind in "biufc":
        return value.item()
    return value


def describe_object(obj):
    kind = type(obj)
    if numpy is not None and isinstance(obj, numpy.ndarray):
        return "a numpy array (module-level arrays are not supported yet)"
    return "a %s object" % kind.__name__


class Collector:
    def __init__(self, module, path):
        self.module = module
        self.path = os.path.abspath(path)
        self.globals = module.__dict__
        self.functions = []  # FunctionType, in discovery order
        self.index = {}

    def add(self, func):
        if func not in self.index:
            self.index[func] = len(self.functions)
            self.functions.append(func)
        return self.index[func]

    def classify(self, name):
        if name in self.globals:
            obj = self.globals[name]
        elif hasattr(builtins, name):
            obj = getattr(builtins, name)
        else:
            return ("undefined", name)
        if isinstance(obj, types.ModuleType):
            return ("module", obj.__name__)
        func = underlying_function(obj)
        if func is not None:
            if func.__globals__ is self.globals:
                return ("function", self.add(func))
            name_of = "%s.%s" % (func.__module__, func.__qualname__)
            lib = self.library_name(obj)
            if lib:
                return ("library", lib)
            return ("other", "function %s from another module (only this module's functions are compiled)" % name_of)
        value = constant(obj)
        if is_constant(value):
            return ("const", value)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            if getattr(builtins, obj.__name__, None) is obj:
                return ("exception", obj.__name__)
            return ("other", "exception class %s (only builtin exceptions can be raised)" % obj.__name__)
        lib = self.library_name(obj)
        if lib:
            return ("library", lib)
        return ("other", describe_object(obj))

    @staticmethod
    def library_name(obj):
        name = getattr(obj, "__name__", None)
        if not isinstance(name, str):
            return None
        for libname, lib in LIBRARIES:
            try:
                if getattr(lib, name, None) is obj:
                    return "%s.%s" % (libname, name)
            except Exception:
                continue
        return None

    def signature_position(self, func, text):
        """(line, col) of a signature string in the source, 1-based, or (0, 0)."""
        try:
            with open(self.path, encoding="utf-8") as f:
                lines = f.read().split("\n")
        except OSError:
            return 0, 0
        first = func.__code__.co_firstlineno
        for lineno in range(max(1, first - 20), min(len(lines), first + 5) + 1):
            col = lines[lineno - 1].find(text)
            if col >= 0:
                return lineno, col + 1
        return 0, 0

    def describe(self, func):
        code = func.__code__
        globals_ = tuple(self.classify(name) for name in code.co_names)
        sigs = tuple(
            (text,) + self.signature_position(func, text)
            for text in getattr(func, "__pyaot_signatures__", ())
            if isinstance(text, str))
        return (func.__name__, code, func.__defaults__ or (), sigs, globals_)


def module_functions(module):
    """The functions defined in the module, by their global names."""
    found = {}
    for name, obj in vars(module).items():
        func = underlying_function(obj)
        if func is not None and func.__globals__ is module.__dict__ and not name.startswith("__"):
            found.setdefault(name, func)
    return found


def collect(module, path, cli_sigs):
    """Describes what to compile.

    cli_sigs: [(name or None, signature text)] from --sig.
    Returns (functions, exports): functions is a list of
    (name, code, defaults, sigs, globals) where sigs is ((text, line, col), ...)
    and globals[i] classifies code.co_names[i]; exports is a list of
    (function index, extra command-line signatures).
    """
    by_name = module_functions(module)
    declared = {name: f for name, f in by_name.items() if getattr(f, "__pyaot_signatures__", None)}
    extra = {}
    for name, text in cli_sigs:
        if name is None:
            candidates = sorted(n for n in by_name if n not in declared)
            if len(candidates) != 1:
                found = ", ".join(candidates) if candidates else "none"
                raise UserError(
                    "--sig without NAME= applies to the module's only function without a signature, "
                    "but there are %d (%s): use --sig NAME=SIG" % (len(candidates), found), 0, 0)
            name = candidates[0]
        if name not in by_name:
            known = ", ".join(sorted(by_name)) or "none"
            raise UserError("--sig %s=...: the module has no function named '%s' (functions: %s)"
                            % (name, name, known), 0, 0)
        extra.setdefault(name, []).append(text)
    exported = [n for n in by_name if n in declared or n in extra]
    if not exported:
        raise UserError("nothing to compile: give a signature with --sig NAME=SIG or "
                        "@pyaot.export(\"...\") in the source", 0, 0)
    c = Collector(module, path)
    exports = [(c.add(by_name[n]), tuple(extra.get(n, ()))) for n in exported]
    described = []
    i = 0
    while i < len(c.functions):  # describing may discover callees
        described.append(c.describe(c.functions[i]))
        i += 1
    return described, exports
