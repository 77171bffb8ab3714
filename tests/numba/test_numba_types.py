"""Numba's type objects as pyaot signature text (aot/numba_reader.py): the
real Numba's objects and the stand-in's (aot/numba_standin.py) must come out
the same for every spelling, since a module gets one or the other depending
on whether Numba is installed on the build machine."""
import importlib.util
import os
import sys
import types

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reader = _load(os.path.join(ROOT, "aot", "numba_reader.py"), "numba_reader_under_test")
standin = types.ModuleType("numba")  # as the build makes it
with open(os.path.join(ROOT, "aot", "numba_standin.py")) as f:
    exec(compile(f.read(), "numba_standin.py", "exec"), standin.__dict__)

# Signature strings as Numba evaluates them (in numba.types' namespace), with
# the pyaot text each must become.
SIGNATURES = [
    ("float64(float64[:])", "float64(float64[:])"),
    ("f8[:, ::1](i8, u1, b1, intp)", "float64[:, ::1](int64, uint8, boolean, int64)"),
    ("void(float64[::1, :], int32[:, :, ::1])", "none(float64[::1, :], int32[:, :, ::1])"),
    ("none(complex128[:], c8, f4)", "none(complex128[:], complex64, float32)"),
    ("UniTuple(float64, 3)(int64)", "UniTuple(float64, 3)(int64)"),
    ("Tuple((int64, float64))(uint64)", "Tuple((int64, float64))(uint64)"),
    ("Tuple((int64, int64))(int16)", "UniTuple(int64, 2)(int16)"),  # Numba makes it a UniTuple
    ("Array(float64, 2, 'C')(Array(int32, 3, 'A'), Array(u2, 2, 'F'))",
     "float64[:, ::1](int32[:, :, :], uint16[::1, :])"),
    ("(float32[:], boolean)", "(float32[:], boolean)"),
    ("byte(char, uchar, int_, uint, size_t, ssize_t, float_, double)",
     "uint8(int8, uint8, int64, uint64, uint64, int64, float32, float64)"),
    ("float64(optional(float64))", "float64(optional(float64))"),  # sig.c names what is unsupported
    ("int64(unicode_type)", "int64(unicode_type)"),
]


@pytest.mark.parametrize("text,expected", SIGNATURES, ids=[s[0] for s in SIGNATURES])
def test_real_and_standin_types_give_the_same_text(text, expected):
    from numba.core import types as real_types
    real = eval(text, {}, dict(vars(real_types)))
    fake = eval(text, {}, standin.__dict__)
    assert reader.signature_text(real) == expected
    assert reader.signature_text(fake) == expected


def test_scalar_types_used_as_functions():
    import numba
    for name, expected in [("float64", "numpy.float64"), ("int32", "numpy.int32"), ("boolean", "numpy.bool_"),
                           ("uint8", "numpy.uint8"), ("complex64", "numpy.complex64")]:
        assert reader.scalar_library_name(getattr(numba, name)) == expected
        assert reader.scalar_library_name(standin.__dict__[name]) == expected
    assert reader.scalar_library_name(numba.float64[:]) is None
    assert reader.scalar_library_name(3.0) is None


def test_not_signatures():
    for bad in (3, standin.float64, [standin.float64]):
        with pytest.raises(reader.Unsupported):
            reader.signature_text(bad)
    with pytest.raises(reader.Unsupported, match="read-only array types"):
        reader.signature_text(standin.float64(standin.Array(standin.float64, 1, "C", readonly=True)))
