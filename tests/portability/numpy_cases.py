"""The modules and calls that must behave alike under every numpy.

Shared by test_numpy_versions.py (which builds MODULES with pyaot, against
Debian's numpy) and probe.py (which makes the calls under some numpy). It
imports nothing but numpy and the standard library, and builds its inputs
with Python's own random numbers and only numpy functions that every numpy
from 1.24 on has, so every interpreter makes the same inputs.

Each call is a Case with an expectation:
  SAME      pyaot equals CPython running the source, under every numpy;
  BUILD     numpy 2 changed what CPython computes (NEP 50 promotion, NEP 51
            scalar reprs): pyaot keeps numpy 1.x's result under every numpy,
            and CPython under numpy 2 must really differ (`why` says how);
  BOUNDARY  pyaot's own argument checks, with no CPython counterpart: the
            same outcome under every numpy.
"""
import dataclasses
import random

import numpy as np

SAME, BUILD, BOUNDARY = "same", "build", "boundary"

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
          "complex64", "complex128"]
SIGNED = ["int8", "int16", "int32", "int64"]
UNSIGNED = ["uint8", "uint16", "uint32", "uint64"]
REAL = SIGNED + UNSIGNED + ["float32", "float64"]
NUMBA = {"bool": "boolean"}


def nb(dtype):
    return NUMBA.get(dtype, dtype)


# ---------------------------------------------------------------------------
# The modules, built once by the test. Overloads pick by the array's dtype.

ELEMENTS = '''
import numpy as np

def first_last(a):
    return a[0], a[-1], a[len(a) // 2]

def reverse_in_place(a):
    n = len(a)
    for i in range(n // 2):
        t = a[i]
        a[i] = a[n - 1 - i]
        a[n - 1 - i] = t

def double(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] + a[i]
    return out

def total(a):
    s = a[0] - a[0]
    for x in a:
        s += x
    return s

def stats(a):
    return a.sum(), a.min(), a.max(), np.mean(a)

def dense_total(a):
    s = a[0] - a[0]
    for i in range(len(a)):
        s += a[i]
    return s
'''


def _elements_sigs():
    sigs = []
    for d in DTYPES:
        t = nb(d)
        sigs += [f"first_last=Tuple(({t}, {t}, {t}))({t}[:])", f"reverse_in_place=void({t}[:])"]
        if d != "bool":
            sigs += [f"double={t}[:]({t}[:])", f"total={t}({t}[:])"]
        if d in REAL:
            whole = "int64" if d in SIGNED else "uint64" if d in UNSIGNED else d
            mean = d if d == "float32" else "float64"
            sigs.append(f"stats=Tuple(({whole}, {d}, {d}, {mean}))({d}[:])")
    sigs += ["dense_total=float64(float64[::1])", "dense_total=int32(int32[::1])"]
    return sigs


MATRICES = '''
import numpy as np

def get2(m, i, j):
    return m[i, j]

def set2(m, i, j, v):
    m[i, j] = v

def attributes(m):
    r, c = m.shape
    return r, c, m.size, m.ndim, len(m)

def transpose(m):
    return m.T

def the_argument(m):
    return m

def a_row(m, i):
    return m[i]

def a_column(m, j):
    return m[:, j]

def block(m):
    return m[1:, ::2]

def copy_and_change(m):
    c = m.copy()
    c[0, 0] = c[0, 0] + c[0, 0]
    return c

def trace3(x):
    s = x[0, 0, 0] - x[0, 0, 0]
    n, p, q = x.shape
    for i in range(min(n, min(p, q))):
        s += x[i, i, i]
    return s

def fill_block(m, v):
    m[::2, 1:] = v
'''


def _matrices_sigs():
    sigs = []
    for d in ["float64", "int32", "complex128", "uint8", "bool", "float32"]:
        t = nb(d)
        sigs += [f"get2={t}({t}[:, :], int64, int64)", f"attributes=UniTuple(int64, 5)({t}[:, :])",
                 f"transpose={t}[:, :]({t}[:, :])", f"the_argument={t}[:, :]({t}[:, :])",
                 f"a_row={t}[:]({t}[:, :], int64)", f"a_column={t}[:]({t}[:, :], int64)",
                 f"block={t}[:, :]({t}[:, :])"]
        if d != "bool":
            sigs += [f"trace3={t}({t}[:, :, :])", f"copy_and_change={t}[:, :]({t}[:, :])", f"set2=void({t}[:, :], int64, int64, {t})",
                     f"fill_block=void({t}[:, :], {t})"]
    return sigs


MADE = '''
import numpy as np

def creators(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i * 0.5
    z = np.zeros((2, n), dtype=np.int32)
    o = np.ones(n, np.float32)
    e = np.empty_like(z)
    zl = np.zeros_like(a)
    ol = np.ones_like(z)
    return a, z, o, e.shape[1], zl, ol

def typed(n):
    return (np.zeros(n, np.uint8), np.ones(n, np.int16), np.zeros(n, np.uint64), np.ones(n, np.complex64),
            np.zeros(n, np.complex128), np.ones(n, np.bool_), np.zeros((n, 2), np.float32))

def aranges(n):
    return np.arange(n), np.arange(2, n), np.arange(n, 0, -3), np.arange(0.5, n, 0.25)

def spaced(a, b, n):
    return np.linspace(a, b, n), np.linspace(a, b, n, False)

def filled(n, v):
    return np.full((n, 2), v)

def filled_int(n, v):
    return np.full(n, v)

def every_other(n):
    return np.arange(n)[::2]

def inner_block(n):
    m = np.zeros((n, n + 1))
    for i in range(n):
        for j in range(n + 1):
            m[i, j] = i * 10 + j
    return m[1:, ::2]

def view_and_copy(a):
    return a[::-1], a.copy(), a

def flipped(m):
    return m.T.copy(), m.T
'''

MADE_SIGS = [
    "creators=Tuple((float64[:], int32[:, :], float32[:], int64, float64[:], int32[:, :]))(int64)",
    "typed=Tuple((uint8[:], int16[:], uint64[:], complex64[:], complex128[:], boolean[:], float32[:, :]))(int64)",
    "aranges=Tuple((int64[:], int64[:], int64[:], float64[:]))(int64)",
    "spaced=UniTuple(float64[:], 2)(float64, float64, int64)",
    "filled=float64[:, :](int64, float64)", "filled_int=int64[:](int64, int64)",
    "every_other=int64[:](int64)", "inner_block=float64[:, :](int64)",
    "view_and_copy=UniTuple(float32[:], 3)(float32[:])", "view_and_copy=UniTuple(complex64[:], 3)(complex64[:])",
    "flipped=UniTuple(int16[:, :], 2)(int16[:, :])",
]

SCALARS = "\n".join(f'''
def echo_{d}(x):
    return x

def twice_{d}(x):
    return x + x
''' for d in DTYPES if d != "bool") + '''

def negate(b):
    return not b

def mixed(i, f, c, b):
    if b:
        return i + f, c * f
    return i - f, c
'''

SCALARS_SIGS = ([f"echo_{d}={d}({d})" for d in DTYPES if d != "bool"]
                + [f"twice_{d}={d}({d})" for d in DTYPES if d != "bool"]
                + ["negate=boolean(boolean)", "mixed=Tuple((float64, complex128))(int64, float64, complex128, boolean)"])

PRINTING = '''
def show(a):
    print(a)
    return len(a)

def show_parts(a, i):
    print("item", i, a[i], "of", len(a), sep="|", end=";\\n")
    print(a[1:], a[::-1])
    return a[i]

def show_matrix(m):
    print(m)
    print(m[1:, ::2], m.T, None)
    return m.shape[0]

def show_numbers(i, f, c, b):
    print(i, f, c, b, (i, f), None)
    print()
    return i

def show_item_in_tuple(a):
    print((a[0], 1))
    return a[0]
'''

PRINTING_SIGS = (
    [f"show=int64({nb(d)}[:])" for d in DTYPES]
    + [f"show_parts={d}({d}[:], int64)" for d in ["int8", "uint64", "float64", "complex128", "int32"]]
    + [f"show_matrix=int64({nb(d)}[:, :])" for d in ["float64", "int64", "bool", "complex64"]]
    + ["show_numbers=int64(int64, float64, complex128, boolean)", "show_item_in_tuple=float64(float64[:])"])

ERRORS = '''
import numpy as np

def at(a, i):
    return a[i]

def at2(m, i, j):
    return m[i, j]

def put(a, i, v):
    a[i] = v

def divide(x, y):
    return x // y, x % y

def ratio(x, y):
    return x / y

def make(n):
    return np.zeros(n)

def paste(a, b):
    a[1:3] = b

def lowest(a):
    return a.min()

def checked(x):
    if x < 0:
        raise ValueError("x must not be negative")
    assert x != 1, "x must not be one"
    return x

def as_int(x):
    return int(x)
'''

ERRORS_SIGS = ["at=float64(float64[:], int64)", "at=int8(int8[:], int64)", "at2=int64(int64[:, :], int64, int64)",
               "put=void(float32[:], int64, float32)", "divide=UniTuple(int64, 2)(int64, int64)",
               "ratio=float64(float64, float64)", "ratio=float64(int64, int64)", "make=float64[:](int64)",
               "paste=void(float64[:], float64[:])", "lowest=float64(float64[:])", "lowest=int16(int16[:])",
               "checked=int64(int64)", "as_int=int64(float64)"]

PROMOTION = '''
import numpy as np

def f32_times_float(a):
    return a[0] * 0.1

def f32_plus_int(a):
    return a[0] + 1

def f32_sum_times_float(a):
    return a.sum() * 0.1

def small_int_plus(a):
    return a[0] + 1

def unsigned_minus(a):
    return a[0] - 1

def int32_times_big(a):
    return a[0] * 1099511627776

def f32_scaled_into_array(a):
    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = a[i] * 0.1
    return out

def int8_plus_into_array(a):
    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = a[i] + 1
    return out
'''

PROMOTION_SIGS = ["f32_times_float=float64(float32[:])", "f32_plus_int=float64(float32[:])",
                  "f32_sum_times_float=float64(float32[:])", "small_int_plus=int64(int8[:])",
                  "unsigned_minus=int64(uint8[:])", "int32_times_big=int64(int32[:])",
                  "f32_scaled_into_array=float32[:](float32[:])", "int8_plus_into_array=int8[:](int8[:])"]

MODULES = {
    "port_elements": (ELEMENTS, _elements_sigs()),
    "port_matrices": (MATRICES, _matrices_sigs()),
    "port_made": (MADE, MADE_SIGS),
    "port_scalars": (SCALARS, SCALARS_SIGS),
    "port_printing": (PRINTING, PRINTING_SIGS),
    "port_errors": (ERRORS, ERRORS_SIGS),
    "port_promotion": (PROMOTION, PROMOTION_SIGS),
}


# ---------------------------------------------------------------------------
# The calls.


@dataclasses.dataclass
class Case:
    module: str
    function: str
    args: tuple
    expect: str = SAME
    why: str = ""
    kwargs: dict = dataclasses.field(default_factory=dict)

    def label(self, index):
        return f"#{index} {self.module}.{self.function}{describe(self.args)}"


def describe(args):
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"<{a.dtype} {a.shape} strides={a.strides}{'' if a.flags.writeable else ' read-only'}>")
        else:
            parts.append(f"{type(a).__name__}({a!r})")
    return "(" + ", ".join(parts) + ")"


def values(dtype, n, rng):
    """n items of dtype, small enough that doubling them does not overflow."""
    if dtype == "bool":
        return np.array([rng.random() < 0.5 for _ in range(n)], dtype=bool)
    if dtype.startswith("complex"):
        return np.array([complex(rng.uniform(-9, 9), rng.uniform(-9, 9)) for _ in range(n)], dtype=dtype)
    if dtype.startswith("float"):
        return np.array([rng.uniform(-1e3, 1e3) for _ in range(n)], dtype=dtype)
    low = 0 if dtype.startswith("u") else -50
    return np.array([rng.randint(low, 50) for _ in range(n)], dtype=dtype)


def layouts(a):
    """The array and views of it in every layout an argument can have."""
    read_only = a.copy()
    read_only.setflags(write=False)
    return [a, a[::2], a[::-1], a[1:], read_only]


def matrices(dtype, rng):
    m = values(dtype, 4 * 5, rng).reshape(4, 5)
    return [m, m.T, m[::2, ::-2], np.asfortranarray(m), values(dtype, 1, rng).reshape(1, 1)]


def cases():
    rng = random.Random(20261129)
    out = []

    def add(module, function, *args, expect=SAME, why="", **kwargs):
        out.append(Case(module, function, args, expect, why, kwargs))

    # Arguments of every dtype and layout; results and in-place changes.
    for d in DTYPES:
        arrays = [a for n in (1, 2, 7) for a in layouts(values(d, n, rng))]
        for a in arrays:
            add("port_elements", "first_last", a)
            if a.flags.writeable:
                add("port_elements", "reverse_in_place", a)
            if d != "bool":
                # Not read-only ones: pyaot refuses them here, as it takes
                # np.empty_like(a) for a store into a (frontend/infer.c).
                if a.flags.writeable:
                    add("port_elements", "double", a)
                add("port_elements", "total", a)
            if d in REAL:
                add("port_elements", "stats", a)
        add("port_elements", "first_last", values(d, 0, rng))  # IndexError
        if d in REAL:
            add("port_elements", "stats", values(d, 0, rng))  # numpy's empty-array errors and nan
    for d, t in (("float64", np.float64), ("int32", np.int32)):
        a = values(d, 9, rng)
        add("port_elements", "dense_total", a)
        add("port_elements", "dense_total", a[::3], expect=BOUNDARY)  # not C-contiguous
        add("port_elements", "dense_total", a.astype(np.int16), expect=BOUNDARY)  # no overload
        add("port_elements", "dense_total", a.reshape(3, 3), expect=BOUNDARY)  # wrong ndim
    big_endian = values("float64", 3, rng).astype(">f8")
    add("port_elements", "first_last", big_endian, expect=BOUNDARY)
    add("port_elements", "reverse_in_place", layouts(values("int64", 4, rng))[-1], expect=BOUNDARY)  # read-only

    # Two and three dimensions, views returned and written through.
    for d in ["float64", "int32", "complex128", "uint8", "bool", "float32"]:
        for m in matrices(d, rng):
            r, c = m.shape
            for i, j in [(0, 0), (r - 1, c - 1), (-1, -c), (r, 0), (0, -c - 1)]:
                add("port_matrices", "get2", m, i, j)
            for name in ("attributes", "transpose", "the_argument", "block"):
                add("port_matrices", name, m)
            add("port_matrices", "a_row", m, -1)
            add("port_matrices", "a_column", m, 0)
            if d != "bool":
                add("port_matrices", "copy_and_change", m)
                one = m.dtype.type(3)
                if m.flags.writeable:
                    add("port_matrices", "set2", m.copy(), r - 1, 0, one)
                    add("port_matrices", "fill_block", m.copy(), one)
        cube = values(d, 2 * 3 * 4, rng).reshape(2, 3, 4)
        for x in (cube, cube[:, ::-1, ::2], cube.transpose(2, 0, 1)):
            if d != "bool":
                add("port_matrices", "trace3", x)

    # Arrays made in compiled code.
    for n in (0, 1, 5):
        add("port_made", "creators", n)
        add("port_made", "typed", n)
        add("port_made", "every_other", n)
        add("port_made", "inner_block", n + 1)
    add("port_made", "creators", -1)  # ValueError from the allocation
    for n in (0, 1, 10, -3):
        add("port_made", "aranges", n)
    for a, b in ((0.0, 1.0), (-2.5, 7.0)):
        for n in (0, 1, 5):
            add("port_made", "spaced", a, b, n)
    add("port_made", "filled", 3, 1.5)
    add("port_made", "filled_int", 4, -7)
    for d in ("float32", "complex64"):
        for a in layouts(values(d, 6, rng)):
            add("port_made", "view_and_copy", a)
    for m in matrices("int16", rng):
        add("port_made", "flipped", m)

    # Scalars across the boundary: Python numbers and numpy scalars in,
    # Python numbers out. A value of the parameter's own type is SAME; any
    # other is converted by pyaot's rules (Numba's), which CPython has not.
    exact = {"int64": int, "float64": float, "complex128": complex}
    for d in DTYPES:
        if d == "bool":
            continue
        kind, t = np.dtype(d).kind, np.dtype(d).type
        own = [t(1), t(7)]
        converted = [np.int8(5), np.uint8(200), True, np.float32(0.1), 0.1, complex(1.5, -2.0), 3]
        if kind in "iu":
            info = np.iinfo(d)
            own += [t(info.max), t(info.min)]  # twice wraps as numpy's integers do
            converted += [int(info.max), int(info.min), int(info.max) + 1, int(info.min) - 1]
        else:
            own += [t(0.1), t(-0.0), t("inf"), t("nan")]
            converted += [-0.0, float("inf"), float("nan"), np.int16(-4), np.complex64(complex(0.1, 0.2))]
        if d in exact:
            own += [exact[d](x) for x in (0, -3, 12)]
            converted = [x for x in converted if type(x) is not exact[d]]
        for x in own:
            add("port_scalars", f"echo_{d}", x)
            add("port_scalars", f"twice_{d}", x)
        for x in converted:
            add("port_scalars", f"echo_{d}", x, expect=BOUNDARY)
    for b in (True, False, np.True_, np.False_, np.bool_(1)):
        add("port_scalars", "negate", b)
    add("port_scalars", "negate", 1, expect=BOUNDARY)
    add("port_scalars", "negate", np.array([True]), expect=BOUNDARY)
    for args in ((3, 0.5, 1j, True), (np.int64(-2), np.float32(2.5), np.complex64(1 + 1j), np.True_),
                 (0, -0.0, complex(0, -1), np.False_)):
        add("port_scalars", "mixed", *args)

    # print() of arrays (numpy formats them), views and numbers.
    for d in DTYPES:
        for a in layouts(values(d, 6, rng))[:3] + [values(d, 0, rng)]:
            add("port_printing", "show", a)
    for d in ["int8", "uint64", "float64", "complex128", "int32"]:
        a = values(d, 5, rng)
        add("port_printing", "show_parts", a, 2)
        add("port_printing", "show_parts", a[::-2], -1)
        add("port_printing", "show_parts", a, 9)  # prints, then IndexError
    for d in ["float64", "int64", "bool", "complex64"]:
        for m in matrices(d, rng)[:3]:
            add("port_printing", "show_matrix", m)
    add("port_printing", "show_numbers", -3, 2.5, 1 - 2j, True)
    add("port_printing", "show_numbers", 2**63 - 1, float("nan"), complex(0, -0.0), False)
    add("port_printing", "show_item_in_tuple", np.array([0.25, 1.0]), expect=BUILD,
        why="NEP 51: numpy 2 prints a numpy scalar inside a tuple as np.float64(0.25)")

    # Errors: numpy's messages, Python's, the user's own.
    f = values("float64", 5, rng)
    for i in (0, 4, -5, 5, -6, 2**40):
        add("port_errors", "at", f, i)
        add("port_errors", "at", f[::2].astype(np.int8), i)
    m = values("int64", 6, rng).reshape(2, 3)
    for i, j in ((1, 2), (2, 0), (0, -4), (-3, 0)):
        add("port_errors", "at2", m, i, j)
    add("port_errors", "put", values("float32", 3, rng), 3, np.float32(1))
    for x, y in ((7, 2), (-7, 2), (7, -2), (7, 0), (-2**63, 3)):
        add("port_errors", "divide", x, y)
    for x, y in ((1.0, 0.0), (0.0, 0.0), (1.0, -0.0), (3, 0), (-1, 4)):
        add("port_errors", "ratio", x, y)
    add("port_errors", "make", -2)
    add("port_errors", "make", 3)
    for n in (2, 1, 3, 0):
        add("port_errors", "paste", np.zeros(5), np.arange(float(n)))
    add("port_errors", "paste", np.zeros(2), np.arange(2.0))
    add("port_errors", "lowest", np.zeros(0))
    add("port_errors", "lowest", np.zeros(0, np.int16))
    add("port_errors", "lowest", np.array([2.0, float("nan"), -1.0]))
    for x in (-1, 0, 1, 2):
        add("port_errors", "checked", x)
    for x in (2.7, -0.5, float("nan"), float("inf"), -float("inf")):
        add("port_errors", "as_int", x)
    add("port_errors", "at", f, expect=BOUNDARY)  # missing argument
    add("port_errors", "at", f, 1, 2, expect=BOUNDARY)  # too many
    add("port_errors", "at", f, 1, expect=BOUNDARY, j=2)  # unknown keyword
    add("port_errors", "at", [1.0, 2.0], 0, expect=BOUNDARY)  # a list is no array

    # NEP 50: numpy 2 keeps numpy scalars' types against Python numbers;
    # compiled code computes as it was built to (numpy 1.x's rules, as Numba).
    f32 = np.array([0.3, 2.5], np.float32)
    add("port_promotion", "f32_plus_int", np.array([0.1], np.float32), expect=BUILD,
        why="NEP 50: float32 + Python int stays float32 in numpy 2")
    add("port_promotion", "f32_sum_times_float", f32, expect=BUILD,
        why="NEP 50: float32 sum * Python float stays float32 in numpy 2")
    add("port_promotion", "f32_times_float", np.array([0.5], np.float32), expect=BUILD,
        why="NEP 50: float32 * Python float stays float32 in numpy 2")
    add("port_promotion", "f32_times_float", np.array([0.0, 1.0], np.float32))  # 0.0 either way
    add("port_promotion", "small_int_plus", np.array([127], np.int8), expect=BUILD,
        why="NEP 50: int8 + Python int stays int8 (and wraps) in numpy 2")
    add("port_promotion", "small_int_plus", np.array([5], np.int8))  # 6 either way
    add("port_promotion", "unsigned_minus", np.array([0], np.uint8), expect=BUILD,
        why="NEP 50: uint8 - Python int stays uint8 (and wraps) in numpy 2")
    add("port_promotion", "unsigned_minus", np.array([9], np.uint8))
    add("port_promotion", "int32_times_big", np.array([2], np.int32), expect=BUILD,
        why="NEP 50: a Python int out of int32's range is an OverflowError in numpy 2")
    for d, name in (("float32", "f32_scaled_into_array"), ("int8", "int8_plus_into_array")):
        for a in layouts(values(d, 9, rng))[:3]:
            add("port_promotion", name, a)  # stored into the array's dtype: alike
    return out
