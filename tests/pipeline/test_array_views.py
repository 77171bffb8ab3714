"""Arrays seen another way and arrays made by expressions: reshape (a view
where numpy gives one, a copy otherwise), ravel, flatten, astype,
transpose, real/imag parts (writable views), reductions computed from an
expression without an array in between, arrays passed between compiled
functions, returned and iterated; and which arguments a function writes,
so that read-only arrays are refused only where something stores into
them."""
import numpy as np
import pytest

from conftest import outcome, same_value

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::numpy.ComplexWarning")

SOURCE = '''
import numpy as np

def reshape2(a, n):
    return a.reshape(n, -1)

def reshape_tuple(a):
    return np.reshape(a, (2, 3, -1))

def reshape_back(m):
    return m.reshape(-1)

def reshape_write(a):
    v = a.reshape(2, -1)
    v[0, 0] = 99.0
    return a

def flat(m):
    return m.ravel(), m.flatten(), np.ravel(m)

def ravel_write(m):
    r = m.ravel()
    r[0] = -1.0
    return m

def cast(a):
    return a.astype(np.float32), a.astype(np.int16), a.astype(np.bool_), a.astype(np.complex128)

def cast_fused(a):
    return a.astype(np.float32) * 2 + 1

def transposed(m):
    return m.T + 0, m.transpose() * 1, np.transpose(m) - m.T

def parts(z):
    return z.real, z.imag, z.conj(), np.conjugate(z)

def double_imag(z):
    z.imag *= 2
    return z

def set_real(z, x):
    z.real[:] = x
    return z

def real_parts(a):
    return a.real, a.imag

def sums(a, b):
    return (a * b).sum(), np.sum(a - b), (a + 1).mean(), (a * b).min(), np.max(a - 2 * b), (a / 3).prod()

def int_sums(a, b):
    return (a * b).sum(), (a - b).min(), np.max(a + b), (a + b).prod(), (a > b).sum()

def norm(d):
    return np.sqrt((d ** 2).sum())

def copy_sum(a):
    return a.copy().sum()

def helper(x):
    return x * 2.0

def pass_around(a):
    b = helper(a + 1.0)
    total = 0.0
    for v in b * b:
        total += v
    return b, total, b[1:], len(a - 1)

def rows(m):
    s = 0.0
    for r in m * 2:
        s += r[0]
    return s
'''

SIGS = ["reshape2=(float64[:], int64)", "reshape2=(float64[::1], int64)", "reshape_tuple=(int64[:])",
        "reshape_back=(float64[:, :])", "reshape_write=(float64[::1])", "flat=(float64[:, :])",
        "ravel_write=(float64[:, :])", "cast=(float64[:])", "cast_fused=(int64[:])", "transposed=(float64[:, :])",
        "parts=(complex128[:, :])", "parts=(complex64[:])", "double_imag=(complex128[:])",
        "set_real=(complex128[:], float64)", "real_parts=(float64[:])",
        "sums=(float64[:], float64[:])", "sums=(float32[:, :], float32[:, :])", "int_sums=(int32[:], int64[:])",
        "norm=(float64[:, :])", "copy_sum=(float64[:])", "pass_around=(float64[:])", "rows=(float64[:, :])"]


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, SIGS)


def run(mod, name, make, rel=0.0):
    args_r, args_c = make(np.random.default_rng(3)), make(np.random.default_rng(3))
    expected = outcome(getattr(mod.reference, name), args_r)
    got = outcome(getattr(mod.compiled, name), args_c)
    assert expected[0] == got[0], (name, expected, got)
    if expected[0] != "value":
        assert expected[1] == got[1], (name, expected, got)
        return got
    assert same_value(expected[1], got[1], rel), (name, expected, got)
    for x, y in zip(args_r, args_c):
        if isinstance(x, np.ndarray):
            assert same_value(x, y), (name, "argument", x, y)
    return got


def test_reshape(mod):
    run(mod, "reshape2", lambda g: (g.standard_normal(12), 3))
    run(mod, "reshape2", lambda g: (g.standard_normal(12)[::-1], 4))
    run(mod, "reshape2", lambda g: (g.standard_normal(24)[::2], 2))
    run(mod, "reshape2", lambda g: (g.standard_normal(0), 3))
    run(mod, "reshape2", lambda g: (g.standard_normal(7), 2))
    run(mod, "reshape2", lambda g: (g.standard_normal(6), 0))
    run(mod, "reshape_tuple", lambda g: (np.arange(12),))
    run(mod, "reshape_tuple", lambda g: (np.arange(7),))
    run(mod, "reshape_back", lambda g: (g.standard_normal((3, 4)),))
    run(mod, "reshape_back", lambda g: (g.standard_normal((3, 4)).T,))
    run(mod, "reshape_back", lambda g: (g.standard_normal((4, 6))[::2, 1::2],))
    run(mod, "reshape_write", lambda g: (np.arange(6.0),))


def test_views_where_numpy_gives_views(mod):
    a = np.arange(12.0)
    assert np.shares_memory(mod.compiled.reshape2(a, 3), a)
    strided = np.arange(24.0)[::2]
    assert np.shares_memory(mod.compiled.reshape2(strided, 3), strided) == np.shares_memory(strided.reshape(3, -1),
                                                                                            strided)
    m = np.arange(12.0).reshape(3, 4)
    assert not np.shares_memory(mod.compiled.reshape_back(m.T), m)
    r, f, n = mod.compiled.flat(m)
    assert np.shares_memory(r, m) and not np.shares_memory(f, m)


def test_ravel_flatten_astype_transpose(mod):
    for make in (lambda g: (g.standard_normal((3, 4)),), lambda g: (g.standard_normal((3, 4))[:, ::-1],),
                 lambda g: (g.standard_normal((0, 4)),)):
        run(mod, "flat", make)
        run(mod, "ravel_write", make)
        run(mod, "transposed", make)
    run(mod, "cast", lambda g: (g.standard_normal(9) * 100,))
    # (Floats beyond an integer type's range convert as C leaves undefined,
    # so only values in range here.)
    run(mod, "cast", lambda g: (np.array([0.0, -0.0, 1.5, -2.5, 32767.9, -32768.5]),))
    run(mod, "cast_fused", lambda g: (np.arange(-3, 4),))


def test_real_and_imaginary_parts(mod):
    run(mod, "parts", lambda g: (g.standard_normal((2, 3)) + 1j * g.standard_normal((2, 3)),))
    run(mod, "parts", lambda g: ((g.standard_normal(4) - 2j).astype(np.complex64),))
    run(mod, "double_imag", lambda g: (g.standard_normal(5) + 1j * g.standard_normal(5),))
    run(mod, "set_real", lambda g: (g.standard_normal(5) + 1j * g.standard_normal(5), 3.5))
    run(mod, "real_parts", lambda g: (g.standard_normal(4),))
    z = np.arange(4) + 1j * np.arange(4)
    re, im, _, _ = mod.compiled.parts(z.reshape(2, 2))
    assert np.shares_memory(re, z) and np.shares_memory(im, z)


def test_reductions_of_expressions(mod):
    # Float sums equal numpy's to the last bit: the items are summed in
    # numpy's order without the array numpy would make.
    for n in (0, 1, 7, 100, 20000):
        run(mod, "sums", lambda g: (g.standard_normal(n), g.standard_normal(n)))
        run(mod, "int_sums", lambda g: (g.integers(-100, 100, n).astype(np.int32), g.integers(-100, 100, n)))
    run(mod, "sums", lambda g: (g.standard_normal((50, 300)).astype(np.float32),
                                g.standard_normal((50, 300)).astype(np.float32)))
    run(mod, "sums", lambda g: (g.standard_normal((9, 7)).astype(np.float32)[::-1],
                                g.standard_normal((7, 9)).astype(np.float32).T))
    for shape in ((3, 3), (0, 2), (100, 100)):
        run(mod, "norm", lambda g: (g.standard_normal(shape),))
        # numpy would lay the squares out in the input's memory order and
        # sum them in that order; pyaot sums in C order: the last bits may
        # differ for transposed inputs.
        run(mod, "norm", lambda g: (g.standard_normal(shape).T,), rel=1e-14)
    run(mod, "copy_sum", lambda g: (g.standard_normal(1000),))


def test_arrays_from_expressions_flow_on(mod):
    for n in (0, 1, 6):
        run(mod, "pass_around", lambda g: (g.standard_normal(n),))
    run(mod, "rows", lambda g: (g.standard_normal((4, 3)),))


WRITES_SOURCE = '''
import numpy as np

def seed(a, b):
    result = np.zeros_like(a)
    for i in range(len(a)):
        result[i] = a[i] - b[i]
    return result

def made_from(a):
    x = np.empty_like(a)
    x[0] = 1
    y = a.copy()
    y[0] = 2
    z = a + 1
    z[0] = 3
    w = a.astype(np.float64)
    w[0] = 4
    v = a[a > 0]
    v[:] = 5
    u = a.flatten()
    u[0] = 6
    return x[0] + y[0] + z[0] + w[0] + u[0]

def through_view(a):
    a[1:][0] = 7

def through_T(m):
    m.T[0, 0] = 7

def through_reshape(a):
    a.reshape(2, -1)[0, 0] = 7

def through_branch(a, b, c):
    x = a if c else b
    x[0] = 7

def in_place(a):
    a += 1

def into_out(a, b):
    np.sqrt(a, out=b)

def through_real(z):
    z.real[0] = 7.0
'''


@pytest.fixture(scope="module")
def writes(compile_module):
    return compile_module(WRITES_SOURCE, [
        "seed=int64[:](int64[:], int64[:])", "made_from=(int64[:])", "through_view=(int64[:])",
        "through_T=(int64[:, :])", "through_reshape=(int64[:])", "through_branch=(int64[:], int64[:], boolean)",
        "in_place=(int64[:])", "into_out=(float64[:], float64[:])", "through_real=(complex128[:])"])


def frozen(a):
    a = a.copy()
    a.setflags(write=False)
    return a


def test_read_only_inputs_where_nothing_writes_them(writes):
    a = frozen(np.arange(1, 7))
    assert list(writes.compiled.seed(a, frozen(np.ones(6, np.int64)))) == [0, 1, 2, 3, 4, 5]
    assert writes.compiled.made_from(a) == writes.reference.made_from(a.copy())
    assert list(a) == [1, 2, 3, 4, 5, 6]
    writes.compiled.into_out(frozen(np.ones(3)), np.zeros(3))


@pytest.mark.parametrize("name, make", [
    ("through_view", lambda: (frozen(np.arange(4)),)),
    ("through_T", lambda: (frozen(np.arange(4).reshape(2, 2)),)),
    ("through_reshape", lambda: (frozen(np.arange(4)),)),
    ("through_branch", lambda: (frozen(np.arange(4)), np.arange(4), True)),
    ("through_branch", lambda: (np.arange(4), frozen(np.arange(4)), True)),
    ("in_place", lambda: (frozen(np.arange(4)),)),
    ("into_out", lambda: (np.ones(3), frozen(np.zeros(3)))),
    ("through_real", lambda: (frozen(np.zeros(3, complex)),)),
])
def test_read_only_inputs_that_are_written(writes, name, make):
    kind, message = outcome(getattr(writes.compiled, name), make())
    assert kind == "TypeError" and "read-only" in message, (kind, message)
