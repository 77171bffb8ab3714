"""Build-time introspection of the user's module, run inside pyaot's embedded
interpreter. It imports the module and describes what the compiler needs as
plain data: the functions to compile (exported ones and everything they call),
what they are exported as and with which signatures, and every global name
each one uses, classified into a compile-time fact. The C driver (aot/load.c)
turns this into frontend structs. Modules written for Numba are read through
numba_reader.py, which numba_hook.py loads when the module has imported numba.
"""

import builtins
import cmath
import importlib.util
import math
import os
import sys
import types

import _pyaot_numba_hook as numba_hook
import pyaot

try:
    import numpy
except ImportError:  # modules that do not use numpy still compile
    numpy = None

LIBRARIES = [("builtins", builtins), ("math", math), ("cmath", cmath), ("pyaot", pyaot)]

# pyaot's own library code (lib/): numpy functions written in Python and the
# primitives they use. The driver sets the sources; they are compiled when a
# module that imports numpy is collected.
LIBRARY_FILE = "<pyaot numpy library>"
NUMPY_IMPL_SOURCE = None
INTRINSICS_SOURCE = None
LISTS_IMPL_SOURCE = None
LISTS_LIBRARY_FILE = "<pyaot list library>"
DICTS_IMPL_SOURCE = None
DICTS_LIBRARY_FILE = "<pyaot dict library>"
_library_module = None
_lists_module = None
_dicts_module = None


_intrinsics_module = None


def intrinsics_module():
    """The primitives library code calls (made once)."""
    global _intrinsics_module
    if _intrinsics_module is None:
        intrinsics = types.ModuleType("_pyaot_intrinsics")
        exec(compile(INTRINSICS_SOURCE, "<pyaot intrinsics>", "exec"), intrinsics.__dict__)
        sys.modules["_pyaot_intrinsics"] = intrinsics
        LIBRARIES.append(("_pyaot_intrinsics", intrinsics))
        _intrinsics_module = intrinsics
    return _intrinsics_module


def lists_module():
    """The module of pyaot's list methods and builtins over iterables
    (made once; plain Python, needed by every module)."""
    global _lists_module
    if _lists_module is None:
        intrinsics_module()
        impl = types.ModuleType("_pyaot_lists")
        impl.__file__ = LISTS_LIBRARY_FILE
        exec(compile(LISTS_IMPL_SOURCE, LISTS_LIBRARY_FILE, "exec"), impl.__dict__)
        _lists_module = impl
    return _lists_module


def dicts_module():
    """The module of pyaot's dict and set methods (made once; plain Python,
    needed by every module)."""
    global _dicts_module
    if _dicts_module is None:
        impl = types.ModuleType("_pyaot_dicts")
        impl.__file__ = DICTS_LIBRARY_FILE
        exec(compile(DICTS_IMPL_SOURCE, DICTS_LIBRARY_FILE, "exec"), impl.__dict__)
        _dicts_module = impl
    return _dicts_module


def library_module():
    """The module of pyaot's numpy functions (made once)."""
    global _library_module
    if _library_module is None:
        intrinsics_module()
        impl = types.ModuleType("_pyaot_numpy")
        impl.__file__ = LIBRARY_FILE
        exec(compile(NUMPY_IMPL_SOURCE, LIBRARY_FILE, "exec"), impl.__dict__)
        _library_module = impl
    return _library_module
if numpy is not None:
    LIBRARIES.append(("numpy", numpy))


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


class NoNumba:
    """The Numba reader's part for a module that never imported numba."""
    source = None
    unsupported = {}

    def describe_unsupported(self, name):
        return None

    def library_name(self, obj):
        return None

    def describe_object(self, obj):
        return None

    def compilers(self):
        return []

    def jit_signatures(self, obj):
        return None

    def function_options(self, obj):
        return {}  # the build's

    def check_function(self, func):
        pass


class UserError(Exception):
    """An error in the user's input; args: (message, line, col)."""


def load(path, name):
    """Imports the file as module `name` (its top-level code runs)."""
    numba_hook.install()
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        numba_hook.cleanup()  # collect() would have
        raise
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


def is_constant(value):
    if type(value) in (bool, int, float, complex, str):
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
        return "a numpy array of %s with %d dimensions (compiled code takes module-level arrays of numbers with " \
            "1 to 32 dimensions)" % (obj.dtype, obj.ndim)
    return "a %s object" % kind.__name__


def frozen_array(obj):
    """(dtype name, shape, bytes in C order and native byte order) of a
    module-level array compiled code can hold, or None."""
    if numpy is None or not isinstance(obj, numpy.ndarray) or obj.dtype.kind not in "biufc" or \
            not 1 <= obj.ndim <= 32 or obj.dtype.name == "float16":
        return None
    native = numpy.ascontiguousarray(obj, dtype=obj.dtype.newbyteorder("="))
    return (native.dtype.name, tuple(int(d) for d in native.shape), native.tobytes())


class Collector:
    def __init__(self, module, path, reader):
        self.module = module
        self.path = os.path.abspath(path)
        self.globals = module.__dict__
        self.reader = reader
        self.functions = []  # FunctionType, in discovery order
        self.index = {}
        # The @jit/@njit object behind each function, for its options.
        self.decorated = {}
        for obj in self.globals.values():
            func = underlying_function(obj)
            if func is not None and func is not obj:
                self.decorated.setdefault(func, obj)

    def add(self, func):
        if func not in self.index:
            self.index[func] = len(self.functions)
            self.functions.append(func)
        return self.index[func]

    def compiled_here(self, func):
        """Whether func is compiled with the module: the module's own, or
        pyaot's library code."""
        return func.__globals__ is self.globals or (
            _library_module is not None and func.__globals__ is _library_module.__dict__) or (
            _lists_module is not None and func.__globals__ is _lists_module.__dict__) or (
            _dicts_module is not None and func.__globals__ is _dicts_module.__dict__)

    def classify(self, name, globals_=None):
        globals_ = self.globals if globals_ is None else globals_
        unsupported = self.reader.describe_unsupported(name) if globals_ is self.globals else None
        if unsupported and name in globals_:
            return ("other", unsupported)
        if name in globals_:
            obj = globals_[name]
        elif hasattr(builtins, name):
            obj = getattr(builtins, name)
        else:
            return ("undefined", name)
        if isinstance(obj, types.ModuleType):
            return ("module", obj.__name__)
        func = underlying_function(obj)
        if func is not None:
            if self.compiled_here(func):
                return ("function", self.add(func))
            name_of = "%s.%s" % (func.__module__, func.__qualname__)
            lib = self.library_name(obj)
            if lib:
                return ("library", lib)
            return ("other", "function %s from another module (only this module's functions are compiled)" % name_of)
        value = constant(obj)
        if is_constant(value):
            return ("const", value)
        frozen = frozen_array(obj)
        if frozen:
            return ("array", frozen)
        scalar = self.reader.library_name(obj)  # numba.float64 as a function
        if scalar:
            return ("library", scalar)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            if getattr(builtins, obj.__name__, None) is obj:
                return ("exception", obj.__name__)
            return ("other", "exception class %s (only builtin exceptions can be raised)" % obj.__name__)
        lib = self.library_name(obj)
        if lib:
            return ("library", lib)
        return ("other", self.reader.describe_object(obj) or describe_object(obj))

    @staticmethod
    def library_name(obj):
        name = getattr(obj, "__name__", None)
        if not isinstance(name, str):
            return None
        libraries = LIBRARIES
        if "numba" in sys.modules:  # numba.prange and the like
            libraries = LIBRARIES + [("numba", sys.modules["numba"])]
        for libname, lib in libraries:
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

    def export_signatures(self, obj, func):
        """[(text, line, col)] of @pyaot.export on func, or on the object
        that decorates it (@export over @njit)."""
        texts = getattr(func, "__pyaot_signatures__", ())
        if obj is not func:
            texts = tuple(texts) + tuple(getattr(obj, "__pyaot_signatures__", ()))
        return [(text,) + self.signature_position(func, text) for text in texts if isinstance(text, str)]

    def nested_globals(self, code, globals_):
        """{code object: its co_names classified} for the functions, lambdas
        and comprehensions defined inside code, at any depth."""
        nested = {}
        todo = [code]
        while todo:
            for k in todo.pop().co_consts:
                if isinstance(k, types.CodeType) and k not in nested:
                    nested[k] = tuple(self.classify(name, globals_) for name in k.co_names)
                    todo.append(k)
        return nested

    def describe(self, func):
        code = func.__code__
        if func.__globals__ is not self.globals:  # pyaot's library code
            globals_ = tuple(self.classify(name, func.__globals__) for name in code.co_names)
            # numpy's rules for its scalars too: x / 0.0 is inf or nan there.
            return (func.__name__, code, func.__defaults__ or (), globals_,
                    {"boundscheck": 0, "error_model": 1, "fastmath": -1, "nogil": 0, "parallel": 2}, True,
                    self.nested_globals(code, func.__globals__))
        self.reader.check_function(func)
        globals_ = tuple(self.classify(name) for name in code.co_names)
        return (func.__name__, code, func.__defaults__ or (), globals_, self.options(func), False,
                self.nested_globals(code, None))

    def options(self, func):
        """The function's own options over the build's: 0 (the build's), 1
        (on), 2 (off) for switches (error_model on: numpy's; nogil off: the
        GIL held during calls), LLVM flag bits or -1 for fastmath; parallel
        may also be 3 (on only with --parallel: Numba's functions without
        parallel=True). A Numba decorator's first, then @export's."""
        import pyaot
        options = {"boundscheck": 0, "error_model": 0, "fastmath": -1, "nogil": 0, "parallel": 0}
        decorated = self.decorated.get(func, func)
        options.update(self.reader.function_options(decorated))
        own = dict(getattr(func, "__pyaot_options__", {}))
        own.update(getattr(decorated, "__pyaot_options__", {}) if decorated is not func else {})
        for key, value in own.items():
            if key == "fastmath":
                options[key] = pyaot._fastmath_flags(value)
            elif key == "error_model" and value is not None:
                options[key] = 1 if value == "numpy" else 2
            elif key in options and value is not None:
                options[key] = 1 if value else 2
        return options


def module_functions(module, reader):
    """The functions defined in the module, by their global names."""
    found = {}
    for name, obj in vars(module).items():
        func = underlying_function(obj)
        if func is not None and func.__globals__ is module.__dict__ and not name.startswith("__") \
                and name not in reader.unsupported:
            found.setdefault(name, func)
    return found


def collect(module, path, cli_sigs, flags):
    """Describes what to compile.

    cli_sigs: [(name or None, signature text)] from --sig.
    flags: {"outdir_given", "cpu_given", "wheel"}: what the command line set.
    Returns (functions, exports, module, messages, library):
      functions: [(name, code, defaults, globals, options, is pyaot's library
        code)], globals[i] classifying code.co_names[i]; options as
        Collector.options gives them;
      exports: [(export name, function index, ((text, line, col), ...))],
        line 0 for a signature given on the command line;
      module: (name, output directory, cpu), each None for the command line's
        or the file's (a numba.pycc CC names its module);
      messages: [(kind, message, line, col)], kind "warning" or "note";
      library: [(numpy name, function index)]: numpy's functions and methods
        ("numpy.cumsum", "ndarray.cumsum") pyaot's library implements.
    """
    del MESSAGES[:]
    try:
        return _collect(module, path, cli_sigs, flags)
    finally:
        numba_hook.cleanup()


# The warnings and notes of the last collect(), kept when it fails: the
# driver prints them before the error.
MESSAGES = []


def _collect(module, path, cli_sigs, flags):
    if "numba" in sys.modules:  # the module (or one it imports) imported numba
        reader = numba_hook.reader().Reader(module, path, UserError, MESSAGES, underlying_function)
    else:
        reader = NoNumba()
    c = Collector(module, path, reader)
    by_name = module_functions(module, reader)
    exports = []  # [export name, function, [(text, line, col)]]
    module_info = (None, None, None)
    compilers = reader.compilers()
    if len(compilers) > 1:
        names = ", ".join(n for n, _ in compilers)
        raise UserError("this file defines %d numba.pycc CC objects (%s): pyaot builds one module per file"
                        % (len(compilers), names), *reader.binding_at(compilers[1][0]))
    if compilers:
        name, cc_exports, outdir, cpu = reader.read_cc(compilers[0][0], compilers[0][1], flags)
        module_info = (name, outdir, cpu)
        exports += [[symbol, func, sigs] for symbol, func, sigs in cc_exports]
    for name, func in by_name.items():
        obj = vars(module)[name]
        sigs = c.export_signatures(obj, func)
        if not compilers:  # in a pycc module, @njit signatures are the helpers' business
            sigs += reader.jit_signatures(obj) or []
        if sigs:
            if any(e[0] == name for e in exports):
                raise UserError("'%s' is exported twice: by the CC and by @pyaot.export" % name,
                                *c.signature_position(func, sigs[0][0]))
            exports.append([name, func, sigs])
    for name, text in cli_sigs:
        if name is None:
            exported = {id(e[1]) for e in exports}
            candidates = sorted(n for n, f in by_name.items() if id(f) not in exported)
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
        export = next((e for e in exports if e[0] == name and e[1] is by_name[name]), None)
        if export is None:
            export = [name, by_name[name], []]
            exports.append(export)
        export[2].append((text, 0, 0))
    if not exports and compilers:
        raise UserError("CC(%r) exports nothing: decorate functions with @%s.export(NAME, SIGNATURE)"
                        % (module_info[0], compilers[0][0]), *reader.binding_at(compilers[0][0]))
    if not exports:
        raise UserError("nothing to compile: give a signature with --sig NAME=SIG, @pyaot.export(\"...\"), "
                        "@njit(\"...\") or numba.pycc's @cc.export(NAME, \"...\") in the source", 0, 0)
    exports = [(name, c.add(func), tuple(sigs)) for name, func, sigs in exports]
    # numpy's functions pyaot implements in Python: described with the
    # module, compiled only where called.
    library = [(qualified, c.add(func)) for qualified, func in lists_module().IMPLEMENTS.items()]
    library += [(qualified, c.add(func)) for qualified, func in dicts_module().IMPLEMENTS.items()]
    if numpy is not None and "numpy" in sys.modules:
        for qualified, func in library_module().IMPLEMENTS.items():
            library.append((qualified, c.add(func)))
    described = []
    i = 0
    while i < len(c.functions):  # describing may discover callees
        described.append(c.describe(c.functions[i]))
        i += 1
    return described, exports, module_info, MESSAGES, library
