"""The generated CPython wrappers: argument checking, keywords, overloads,
conversions at the boundary, and errors raised in compiled code."""
import numpy as np
import pytest

SOURCE = '''
import numpy as np

def scale(a, k):
    for i in range(len(a)):
        a[i] = a[i] * k

def norm(v):
    s = 0.0
    for x in v:
        s += x * x
    return s

def small(n):
    return n + 1

def any_number(x):
    return x * 2

def fails(x):
    if x < 0:
        raise ValueError("x must not be negative")
    if x == 0:
        raise ZeroDivisionError
    return 10 // x

def flag(b):
    return not b
'''

SIGS = ["scale=void(float64[:], float64)", "norm=float64(float64[::1])", "small=int32(int32)",
        "small=uint8(uint8)", "any_number=int64(int64)", "any_number=float64(float64)",
        "any_number=complex128(complex128)", "fails=int64(int64)", "flag=boolean(boolean)"]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS).compiled


def error(f, *args, **kwargs):
    with pytest.raises(Exception) as info:
        f(*args, **kwargs)
    return info.type, str(info.value)


def test_argument_count_and_keywords(m):
    assert error(m.norm) == (TypeError, "norm() missing required argument 'v' (pos 1)")
    assert error(m.norm, np.ones(2), 3) == (TypeError, "norm() takes 1 positional argument but 2 were given")
    assert error(m.norm, w=np.ones(2)) == (TypeError, "norm() got an unexpected keyword argument 'w'")
    assert error(m.scale, np.ones(2), 2.0, a=np.ones(2)) == (TypeError, "scale() got multiple values for argument 'a'")
    a = np.ones(3)
    m.scale(k=4.0, a=a)
    assert a.tolist() == [4.0, 4.0, 4.0]


@pytest.mark.parametrize("bad, what", [(None, "NoneType"), ([1.0, 2.0], "list"), ("abc", "str"),
                                       (np.ones(3, np.float32), "float32"), (np.ones((2, 2)), "2-D")])
def test_wrong_types_name_function_parameter_and_expectation(m, bad, what):
    kind, msg = error(m.norm, bad)
    assert kind is TypeError
    assert msg.startswith("norm() argument 'v': expected float64[::1]"), msg
    assert what in msg


def test_non_contiguous_for_contiguous_parameter(m):
    kind, msg = error(m.norm, np.ones(6)[::2])
    assert kind is TypeError and "not C-contiguous" in msg


def test_read_only_array_for_a_function_that_writes(m):
    a = np.ones(3)
    a.setflags(write=False)
    kind, msg = error(m.scale, a, 2.0)
    assert kind is TypeError and "read-only" in msg and "scale() argument 'a'" in msg
    # Reading a read-only array is fine.
    assert m.norm(a) == 3.0


def test_integer_range_at_the_boundary(m):
    assert m.small(5) == 6 and m.small(2**31 - 2) == 2**31 - 1
    kind, msg = error(m.small, 2**40)  # fits no overload
    assert kind is TypeError or kind is OverflowError
    assert m.any_number(2**62) == -2**63  # int64 wraps (Numba)
    kind, msg = error(m.any_number, 2**64)
    assert kind is OverflowError and "any_number() argument 'x'" in msg


def test_overloads_pick_by_argument_type(m):
    assert m.any_number(3) == 6 and type(m.any_number(3)) is int
    assert m.any_number(1.5) == 3.0
    assert m.any_number(1 + 1j) == 2 + 2j
    assert m.any_number(np.int64(4)) == 8
    assert m.any_number(np.float32(0.5)) == 1.0
    kind, msg = error(m.any_number, "x")
    assert kind is TypeError and "no compiled signature accepts (str)" in msg
    assert "int64(int64)" in msg and "complex128(complex128)" in msg


def test_bool_parameter(m):
    assert m.flag(True) is False and m.flag(np.bool_(False)) is True
    assert error(m.flag, 1)[0] is TypeError


def test_exceptions_from_compiled_code(m):
    assert error(m.fails, -1) == (ValueError, "x must not be negative")
    assert error(m.fails, 0) == (ZeroDivisionError, "")
    assert m.fails(3) == 3  # healthy afterwards


def test_docstring_and_signature(m):
    import inspect
    assert str(inspect.signature(m.scale)) == "(a, k)"
    assert "none(float64[:], float64)" in m.scale.__doc__
