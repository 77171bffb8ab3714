"""pyaot's stand-in for Numba, inside `pyaot build` only.

A module written for Numba imports `numba`; when the real one cannot be
imported on the build machine, it gets this instead (and it always gets this
module's `numba.pycc`, whose real CC probes for a C compiler pyaot does not
need). The decorators record what they are told -- signatures, options, the
names given to `cc.export` -- for aot/numba_reader.py to read, and return
objects that still run the function as plain Python, in case the module calls
it while it is imported. The type objects spell Numba's types with the same
class names and attributes as Numba's own, so one reader serves both.

Nothing here compiles anything, and nothing here is in the built module.
"""

import collections
import functools
import os
import types as _pytypes

import numpy as _np
import pyaot as _pyaot

__version__ = "0.0.0+pyaot.standin"


# ---------------------------------------------------------------- types

class Type:
    """A Numba type: index it for arrays (float64[:, ::1]), call it with
    types for a signature (float64(float64[:]))."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name

    def __eq__(self, other):
        return type(self) is type(other) and self.key == other.key

    def __hash__(self):
        return hash((type(self), self.key))

    @property
    def key(self):
        return self.name

    def __call__(self, *args):
        if all(isinstance(a, Type) for a in args):
            return Signature(self, args)
        return self.cast(*args)

    def cast(self, *args):
        raise TypeError("%s cannot be called with %r" % (self, args))

    def __getitem__(self, dims):
        def plain(s):
            return isinstance(s, slice) and s.start is None and s.stop is None and s.step in (None, 1)
        dims = dims if isinstance(dims, tuple) else (dims,)
        if not dims or not all(plain(d) for d in dims):
            raise TypeError("can only index numba types with slices with no start or stop, got %r" % (dims,))
        # Numba's rule: a unit step first is Fortran order, last is C order.
        layout = "F" if dims[0].step == 1 and len(dims) > 1 else "C" if dims[-1].step == 1 else "A"
        return Array(self, len(dims), layout)


class Boolean(Type):
    def cast(self, value):
        return _np.bool_(value)


class Integer(Type):
    def __init__(self, name, bitwidth, signed):
        super().__init__(name)
        self.bitwidth = bitwidth
        self.signed = signed

    def cast(self, value):
        return _np.dtype(self.name).type(value)


class Float(Type):
    def __init__(self, name, bitwidth):
        super().__init__(name)
        self.bitwidth = bitwidth

    def cast(self, value):
        return _np.dtype(self.name).type(value)


class Complex(Float):
    pass


class NoneType(Type):
    pass


class Opaque(Type):
    """A Numba type pyaot cannot represent (strings, typed containers...)."""


class Array(Type):
    def __init__(self, dtype, ndim, layout, readonly=False, aligned=True):
        if layout not in ("C", "F", "A"):
            raise ValueError("Invalid layout '%s'" % layout)
        super().__init__("array(%s, %dd, %s)" % (dtype, ndim, layout))
        self.dtype, self.ndim, self.layout = dtype, ndim, layout
        self.mutable = not readonly
        self.aligned = aligned

    @property
    def key(self):
        return (self.dtype, self.ndim, self.layout, self.mutable)


class BaseTuple(Type):
    pass


class UniTuple(BaseTuple):
    def __init__(self, dtype, count):
        super().__init__("UniTuple(%s x %d)" % (dtype, count))
        self.dtype, self.count = dtype, count

    @property
    def key(self):
        return (self.dtype, self.count)


class Tuple(BaseTuple):
    def __new__(cls, types):
        types = tuple(types)
        if types and all(t == types[0] for t in types):
            return UniTuple(types[0], len(types))  # as Numba does
        return super().__new__(cls)

    def __init__(self, types):
        self.types = tuple(types)
        super().__init__("Tuple(%s)" % ", ".join(map(str, self.types)))

    @property
    def key(self):
        return self.types


class Optional(Type):
    def __init__(self, type):
        super().__init__("OptionalType(%s)" % type)
        self.type = type

    @property
    def key(self):
        return self.type


def optional(type):
    return Optional(type)


class Signature:
    def __init__(self, return_type, args):
        self.return_type, self.args = return_type, tuple(args)

    def __repr__(self):
        return "%s -> %s" % (self.args, self.return_type)


boolean = bool_ = b1 = Boolean("bool")
none = void = NoneType("none")
int8 = i1 = char = Integer("int8", 8, True)
int16 = i2 = short = Integer("int16", 16, True)
int32 = i4 = intc = Integer("int32", 32, True)
int64 = i8 = intp = int_ = long_ = longlong = ssize_t = Integer("int64", 64, True)
uint8 = u1 = uchar = byte = Integer("uint8", 8, False)
uint16 = u2 = ushort = Integer("uint16", 16, False)
uint32 = u4 = uintc = Integer("uint32", 32, False)
uint64 = u8 = uintp = uint = ulong = ulonglong = size_t = Integer("uint64", 64, False)
float32 = f4 = float_ = Float("float32", 32)
float64 = f8 = double = Float("float64", 64)
complex64 = c8 = Complex("complex64", 64)
complex128 = c16 = Complex("complex128", 128)
float16 = f2 = Opaque("float16")
unicode_type = string = Opaque("unicode_type")
pyobject = Opaque("pyobject")
voidptr = Opaque("voidptr")


def ListType(item_type):
    return Opaque("ListType[%s]" % item_type)


def DictType(key_type, value_type):
    return Opaque("DictType[%s, %s]" % (key_type, value_type))


_SCALAR_BY_DTYPE = {t.name: t for t in (boolean, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
                                        float32, float64, complex64, complex128)}
_SCALAR_BY_DTYPE["bool"] = boolean


def from_dtype(dtype):
    dtype = _np.dtype(dtype)
    try:
        return _SCALAR_BY_DTYPE[dtype.name]
    except KeyError:
        raise NotImplementedError("pyaot has no type for dtype %s" % dtype) from None


def typeof(value):
    if isinstance(value, bool):
        return boolean
    if isinstance(value, int):
        return int64
    if isinstance(value, float):
        return float64
    if isinstance(value, complex):
        return complex128
    if isinstance(value, _np.ndarray):
        layout = "C" if value.flags.c_contiguous else "F" if value.flags.f_contiguous else "A"
        return Array(from_dtype(value.dtype), value.ndim, layout, readonly=not value.flags.writeable)
    if isinstance(value, _np.generic):
        return from_dtype(value.dtype)
    if isinstance(value, tuple):
        return Tuple(typeof(v) for v in value)
    if value is None:
        return none
    raise ValueError("cannot determine the Numba type of %r" % (value,))


# ---------------------------------------------------------------- @jit

class Dispatcher:
    """What @jit/@njit return: the function, its signatures and options.
    `_pyaot_signatures` is None without signatures (compiled on call)."""

    def __init__(self, py_func, sigs, targetoptions):
        self.py_func = py_func
        self.targetoptions = targetoptions
        self._pyaot_signatures = sigs
        functools.update_wrapper(self, py_func)

    def __call__(self, *args, **kwargs):
        return self.py_func(*args, **kwargs)

    def __repr__(self):
        return "<pyaot stand-in for a numba dispatcher of %s>" % self.py_func.__qualname__


def _is_signature(sig):
    return isinstance(sig, (str, tuple, Signature))


def jit(signature_or_function=None, locals={}, cache=False, pipeline_class=None, boundscheck=None, **options):
    """Numba's @jit: records signatures and options (nopython or not, pyaot
    compiles in nopython mode)."""
    options["boundscheck"] = boundscheck
    if signature_or_function is None:
        sigs, func = None, None
    elif isinstance(signature_or_function, list):
        sigs, func = signature_or_function, None
    elif _is_signature(signature_or_function):
        sigs, func = [signature_or_function], None
    else:
        sigs, func = None, signature_or_function

    def wrapper(func):
        if isinstance(func, Dispatcher):
            raise TypeError("A jit decorator was called on an already jitted function %s" % func)
        if not isinstance(func, _pytypes.FunctionType):
            raise TypeError("The decorated object is not a function (got type %s)." % type(func))
        return Dispatcher(func, sigs, dict(options))

    return wrapper(func) if func is not None else wrapper


def njit(*args, **kws):
    kws.pop("forceobj", None)
    kws["nopython"] = True
    return jit(*args, **kws)


def generated_jit(function=None, **options):
    def wrapper(func):
        return func
    return wrapper(function) if function is not None else wrapper


def jit_module(**options):
    """Numba jit-wraps the calling module's functions; pyaot compiles the
    functions that exported ones call anyway."""


# ----------------------------------------- what pyaot does not compile yet

def _decorator(apply):
    """A decorator usable bare (@d) or with arguments (@d(...))."""
    def decorator(*args, **kws):
        if len(args) == 1 and not kws and callable(args[0]) and not isinstance(args[0], (list, tuple, str)):
            return apply(args[0])
        return apply
    return decorator


class _NotRunnable:
    """A function made with a decorator the stand-in cannot run."""

    def __init__(self, func, feature):
        self.py_func, self._feature = func, feature
        functools.update_wrapper(self, func)

    def __call__(self, *args, **kwargs):
        raise NotImplementedError("%s functions cannot run while pyaot builds the module" % self._feature)


vectorize = _decorator(_np.vectorize)  # runs element by element, as the ufunc would
stencil = _decorator(lambda func: _NotRunnable(func, "@stencil"))


def guvectorize(*args, **kws):
    return lambda func: _NotRunnable(func, "@guvectorize")


def cfunc(sig, **kws):
    return lambda func: func


class _ObjMode:
    def __call__(self, *args, **kwargs):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


objmode = _ObjMode()
prange = _pyaot.prange


def pndindex(*shape):
    return _np.ndindex(*shape)


def literal_unroll(container):
    return container


def literally(value):
    return value


config = _pytypes.SimpleNamespace(DISABLE_JIT=False, NUMBA_NUM_THREADS=os.cpu_count() or 1,
                                  NUMBA_DEFAULT_NUM_THREADS=os.cpu_count() or 1, BOUNDSCHECK=None)


def set_num_threads(n):
    pass


def get_num_threads():
    return config.NUMBA_NUM_THREADS


def get_thread_id():
    return 0


def threading_layer():
    return "pyaot"


class NumbaError(Exception):
    pass


class TypingError(NumbaError):
    pass


class NumbaWarning(Warning):
    pass


class NumbaDeprecationWarning(NumbaWarning, DeprecationWarning):
    pass


class NumbaPendingDeprecationWarning(NumbaWarning, PendingDeprecationWarning):
    pass


class NumbaPerformanceWarning(NumbaWarning):
    pass


# ---------------------------------------------------------------- pycc

ExportEntry = collections.namedtuple("ExportEntry", "symbol signature function")


class CC:
    """numba.pycc.CC: the module's name and its exports, for pyaot to build.
    The settings the module makes are kept in `_settings` (name: value)."""

    def __init__(self, extension_name, source_module=None):
        if "." in extension_name:
            raise ValueError("basename should be a simple module name, not qualified name")
        self._basename = extension_name
        self._exported_functions = {}
        self._settings = {}
        self._output_dir = ""
        self._output_file = extension_name
        self._verbose = False
        self._target_cpu = ""
        self._use_nrt = True

    @property
    def name(self):
        return self._basename

    def _setting(attr):
        def get(self):
            return getattr(self, "_" + attr)

        def set(self, value):
            setattr(self, "_" + attr, value)
            self._settings[attr] = value
        return property(get, set)

    output_dir = _setting("output_dir")
    output_file = _setting("output_file")
    verbose = _setting("verbose")
    target_cpu = _setting("target_cpu")
    use_nrt = _setting("use_nrt")
    del _setting

    def export(self, exported_name, sig):
        if exported_name in self._exported_functions:
            raise KeyError("duplicated export symbol %s" % exported_name)

        def decorator(func):
            self._exported_functions[exported_name] = ExportEntry(exported_name, sig, func)
            return func
        return decorator

    def compile(self):
        raise RuntimeError("this module is built by pyaot: run `pyaot build` on its file")


# ------------------------------------------------------------ submodules

def _jitclass(cls_or_spec=None, spec=None):
    if isinstance(cls_or_spec, type):
        return cls_or_spec
    return lambda cls: cls


def _passthrough(*args, **kws):
    return lambda func: func


def register_jitable(*args, **kws):
    if len(args) == 1 and not kws and callable(args[0]):
        return args[0]
    return lambda func: func


_TYPE_NAMES = [
    "Type", "Boolean", "Integer", "Float", "Complex", "NoneType", "Opaque", "Array", "BaseTuple", "UniTuple",
    "Tuple", "Optional", "optional", "ListType", "DictType", "boolean", "bool_", "b1", "none", "void",
    "int8", "i1", "char", "int16", "i2", "short", "int32", "i4", "intc",
    "int64", "i8", "intp", "int_", "long_", "longlong", "ssize_t",
    "uint8", "u1", "uchar", "byte", "uint16", "u2", "ushort", "uint32", "u4", "uintc",
    "uint64", "u8", "uintp", "uint", "ulong", "ulonglong", "size_t",
    "float32", "f4", "float_", "float64", "f8", "double", "complex64", "c8", "complex128", "c16",
    "float16", "f2", "unicode_type", "string", "pyobject", "voidptr",
]
_ERROR_NAMES = ["NumbaError", "TypingError", "NumbaWarning", "NumbaDeprecationWarning",
                "NumbaPendingDeprecationWarning", "NumbaPerformanceWarning"]

# Submodule name: its names. The package itself gets the public names.
SUBMODULES = {
    "types": _TYPE_NAMES,
    "core": [],
    "core.types": _TYPE_NAMES,
    "core.errors": _ERROR_NAMES,
    "errors": _ERROR_NAMES,
    "typed": [],
    "experimental": [],
    "extending": ["register_jitable"],
    "cuda": [],
    "pycc": ["CC", "ExportEntry"],
}
# Names whose value differs in a submodule.
SUBMODULE_EXTRAS = {
    "typed": {"List": type("List", (list,), {"empty_list": staticmethod(lambda *a, **k: [])}),
              "Dict": type("Dict", (dict,), {"empty": staticmethod(lambda *a, **k: {})})},
    "experimental": {"jitclass": _jitclass},
    "extending": {"overload": _passthrough, "overload_method": _passthrough,
                  "overload_attribute": _passthrough, "intrinsic": _decorator(lambda f: f)},
    "cuda": {"jit": _decorator(lambda func: _NotRunnable(func, "@cuda.jit"))},
}
PUBLIC = [n for n in dir() if not n.startswith("_") and n not in ("SUBMODULES", "SUBMODULE_EXTRAS", "PUBLIC",
                                                                 "collections", "functools", "os")]
