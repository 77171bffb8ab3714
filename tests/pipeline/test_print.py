"""print() in compiled code: the same text as CPython's print for numbers,
strings, None, tuples and arrays (views too), with sep and end; output goes
wherever sys.stdout points; a failing sys.stdout raises its exception; many
prints of arrays leak nothing."""
import contextlib
import io

import numpy as np
import pytest

SOURCE = '''
def show(x, f, c, b, a, m):
    print("x =", x, "f:", f, c, b)
    print(a)
    print(m[1:, ::2], end="|\\\\n")
    print(x, f, sep=", ")
    print()
    print((x, f), None, (b, (c, -x)))
    return x

def steps(n):
    s = 0
    for i in range(n):
        s += i
        if i % 2 == 0:
            print("step", i, s)
    return s

def show_row(m, i):
    print(m[i])
    return m[i, 0]
'''

SIGS = ["show=int64(int64, float64, complex128, boolean, int32[:], float64[:, :])", "steps=int64(int64)",
        "show_row=float64(float64[:, :], int64)"]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, SIGS)


def printed(f, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = f(*args)
    return result, out.getvalue()


def test_same_text_as_cpython(m):
    arrays = (np.arange(4, dtype=np.int32), np.arange(12.0).reshape(3, 4))
    for args in [(-3, 2.5, 1 - 2j, True) + arrays, (2**63 - 1, float("nan"), complex(0, -0.0), False) + arrays,
                 (0, -1e300, 1j, True, np.zeros(0, np.int32), np.zeros((2, 0)))]:
        assert printed(m.compiled.show, *args) == printed(m.reference.show, *args)
    for n in (0, 1, 7):
        assert printed(m.compiled.steps, n) == printed(m.reference.steps, n)
    mat = np.arange(6.0).reshape(2, 3)
    assert printed(m.compiled.show_row, mat, -1) == printed(m.reference.show_row, mat, -1)
    # An error after printing: the text is out, the exception is CPython's.
    with pytest.raises(IndexError):
        printed(m.compiled.show_row, mat, 5)


def test_a_failing_stdout_raises_in_the_caller(m):
    class Broken(io.StringIO):
        def write(self, text):
            raise OSError("disk full")

    with contextlib.redirect_stdout(Broken()):
        with pytest.raises(OSError, match="disk full"):
            m.compiled.steps(3)
    assert printed(m.compiled.steps, 3) == printed(m.reference.steps, 3)  # healthy afterwards


def test_printing_arrays_leaks_nothing(m):
    def rss_kb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4

    big = np.ones((2, 100_000))
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        for _ in range(20):
            m.compiled.show_row(big, 0)
        before = rss_kb()
        for _ in range(300):
            m.compiled.show_row(big, 0)
            sink.seek(0)
            sink.truncate()
    # Each print copies a 800 KB row; 300 leaked copies would be 240 MB.
    assert rss_kb() - before < 20_000
