"""The runtime's random numbers (link/runtime/random.c) against numpy's legacy
RandomState, bit for bit.

random.c is compiled into a small shared library with the runtime's own
flags (read from link/runtime/meson.build), by gcc, by gcc with
UndefinedBehaviorSanitizer and by clang-19, with random_shim.c standing in
for the runtime's pyaot_rt_raise; ctypes calls it. Every draw is compared
with numpy's after np.random.seed with the same seed: floats by their bits,
errors by exception type and message. Threads are real threads (ctypes lets
go of the GIL), and the file is also linked by pyaot's own ELF linker, as
compiled modules will link it. numpy keeps these streams frozen: numpy 1.26
and the newest 2.x (from PyPI) must give the same draws."""
import ctypes
import json
import math
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import sysconfig
import threading

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pypi import environment  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNTIME = os.path.join(ROOT, "link", "runtime")
HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("PYAOT_BUILD_DIR", os.path.join(ROOT, "build"))

INT64_MIN, INT64_MAX = -2**63, 2**63 - 1
SEEDS = [0, 1, 42, 2**32 - 1] + random.Random(20240611).sample(range(2**32), 6)
# numpy's legacy bound on lam, computed as mtrand computes it
LAM_MAX = float(np.iinfo("l").max) - np.sqrt(np.iinfo("l").max) * 10
ABOVE_LAM_MAX = float(np.nextafter(LAM_MAX, math.inf))
EXCEPTIONS = {2: "ValueError", 3: "OverflowError"}  # enum pyaot_exc


def runtime_flags():
    """runtime_clang_args from link/runtime/meson.build, less what only
    clang or only the bitcode needs (the target; hidden symbols, which
    ctypes could not find)."""
    with open(os.path.join(RUNTIME, "meson.build")) as f:
        text = re.sub(r"#.*", "", f.read())
    block = re.search(r"runtime_clang_args = \[(.*?)\]", text, re.S).group(1)
    flags = re.findall(r"'([^']*)'", block)
    return [f for f in flags if f not in ("-I", "-fvisibility=hidden") and not f.startswith("--target=")]


VARIANTS = {
    "gcc": ("gcc", []),
    "gcc-ubsan": ("gcc", ["-fsanitize=undefined,float-cast-overflow", "-fno-sanitize-recover=all"]),
    "clang-19": ("clang-19", []),
}


def bits(x):
    """A float's bits (so -0.0 and NaN payloads count), an int as itself."""
    if isinstance(x, (float, np.floating)):
        return ("float", struct.unpack("<Q", struct.pack("<d", float(x)))[0])
    return ("int", int(x))


class Runtime:
    """random.c through ctypes."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        self.lib = lib
        err = ctypes.POINTER(ctypes.c_int32)
        c_i64, c_u64, c_dbl = ctypes.c_int64, ctypes.c_uint64, ctypes.c_double

        def fn(name, restype, *argtypes):
            f = getattr(lib, "pyaot_rt_random_" + name)
            f.restype = restype
            f.argtypes = list(argtypes)
            return f

        self._seed = fn("seed", None, c_i64, err)
        self.double = fn("double", c_dbl)
        self.gauss = fn("gauss", c_dbl)
        self.standard_exponential = fn("standard_exponential", c_dbl)
        self._exponential = fn("exponential", c_dbl, c_dbl, err)
        self._uniform = fn("uniform", c_dbl, c_dbl, c_dbl, err)
        self._normal = fn("normal", c_dbl, c_dbl, c_dbl, err)
        self.interval = fn("interval", c_u64, c_u64)
        self._randint = fn("randint", c_i64, c_i64, c_i64, err)
        self._poisson = fn("poisson", c_i64, c_dbl, err)
        self._shuffle = fn("shuffle", None, ctypes.c_void_p, c_i64, c_i64, c_i64)
        self._raise = fn("raise", None, ctypes.c_int32)

    def raised(self, code):
        """What pyaot_rt_random_raise raises for code: (type name, message)."""
        ctypes.c_int32.in_dll(self.lib, "shim_raised_exc").value = -1
        self._raise(code)
        exc = ctypes.c_int32.in_dll(self.lib, "shim_raised_exc").value
        message = ctypes.c_char_p(ctypes.addressof(ctypes.c_char.in_dll(self.lib, "shim_raised_message"))).value
        return EXCEPTIONS.get(exc, "exception %d" % exc), message.decode()

    def _checked(self, f, *args):
        error = ctypes.c_int32(-1)
        value = f(*args, ctypes.byref(error))
        if error.value:
            kind, message = self.raised(error.value)
            raise {"ValueError": ValueError, "OverflowError": OverflowError}[kind](message)
        return value

    def seed(self, s):
        return self._checked(self._seed, s)

    def exponential(self, scale):
        return self._checked(self._exponential, scale)

    def uniform(self, low, high):
        return self._checked(self._uniform, low, high)

    def normal(self, loc, scale):
        return self._checked(self._normal, loc, scale)

    def randint(self, low, high):
        return self._checked(self._randint, low, high)

    def poisson(self, lam):
        return self._checked(self._poisson, lam)

    def shuffle(self, a):
        """Shuffles a 1-D array (any stride), or the rows of a C array."""
        item = a.itemsize if a.ndim == 1 else a.strides[0]
        self._shuffle(a.ctypes.data, len(a), a.strides[0], item)


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def rt(request, tmp_path_factory):
    compiler, extra = VARIANTS[request.param]
    if shutil.which(compiler) is None:
        pytest.skip(f"{compiler} not found: random.c cannot be built with it")
    out = str(tmp_path_factory.mktemp("random") / f"random_{request.param}.so")
    command = [compiler, *runtime_flags(), *extra, "-I" + sysconfig.get_paths()["include"], "-I" + RUNTIME,
               "-shared", "-o", out, os.path.join(RUNTIME, "random.c"), os.path.join(HERE, "random_shim.c"),
               "-lm", "-pthread"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 and extra and "ubsan" in done.stderr:
        pytest.skip(f"no UndefinedBehaviorSanitizer library for {compiler}")
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stderr}"
    return Runtime(out)


def outcome(call):
    """The value's bits, or the exception's type and message."""
    try:
        return bits(call())
    except (ValueError, OverflowError) as e:
        return ("raise", type(e).__name__, str(e))


def same(ours, numpy_calls, what):
    """Runs the two lists of calls in turn and compares every outcome."""
    got = [outcome(c) for c in ours]
    want = [outcome(c) for c in numpy_calls]
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"{what}: draw {i} differs: {g} != {w}"
    assert len(got) == len(want)


# ---- each draw, for many seeds ------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_random_sample(rt, seed):
    # 3000 doubles take 6000 words: the state is twisted nine times
    rt.seed(seed)
    ours = [bits(rt.double()) for _ in range(3000)]
    np.random.seed(seed)
    assert ours == [bits(x) for x in np.random.random_sample(3000)]


@pytest.mark.parametrize("seed", SEEDS)
def test_standard_normal_keeps_one_of_each_pair(rt, seed):
    for first, second in [(1, 1), (2, 3), (3, 4), (7, 1), (1000, 1001), (1001, 6)]:
        rt.seed(seed)
        np.random.seed(seed)
        ours = [bits(rt.gauss()) for _ in range(first)]
        assert ours == [bits(x) for x in np.random.standard_normal(first)], (first, second)
        # the kept normal outlives other draws, and randn is the same stream
        assert bits(rt.double()) == bits(np.random.random_sample())
        ours = [bits(rt.gauss()) for _ in range(second)]
        assert ours == [bits(x) for x in np.random.randn(second)], (first, second)
    # seeding drops a kept normal
    rt.seed(seed)
    rt.gauss()
    rt.seed(seed)
    np.random.seed(seed)
    assert [bits(rt.gauss()) for _ in range(3)] == [bits(x) for x in np.random.standard_normal(3)]


@pytest.mark.parametrize("seed", SEEDS)
def test_standard_exponential(rt, seed):
    rt.seed(seed)
    ours = [bits(rt.standard_exponential()) for _ in range(1000)]
    np.random.seed(seed)
    assert ours == [bits(x) for x in np.random.standard_exponential(1000)]


FLOAT_PARAMETERS = [0.0, 1.0, -1.0, 0.5, 2.5, -3.75, 1e-300, 1e300, -1e300, 7.0, math.nan]


@pytest.mark.parametrize("seed", SEEDS[:5])
def test_uniform_normal_exponential(rt, seed):
    pairs = [(a, b) for a in FLOAT_PARAMETERS for b in FLOAT_PARAMETERS]
    ours = [lambda a=a, b=b: rt.uniform(a, b) for a, b in pairs]
    ours += [lambda a=a, b=b: rt.normal(a, b) for a, b in pairs]
    ours += [lambda a=a: rt.exponential(a) for a in FLOAT_PARAMETERS]
    theirs = [lambda a=a, b=b: np.random.uniform(a, b) for a, b in pairs]
    theirs += [lambda a=a, b=b: np.random.normal(a, b) for a, b in pairs]
    theirs += [lambda a=a: np.random.exponential(a) for a in FLOAT_PARAMETERS]
    rt.seed(seed)
    np.random.seed(seed)
    same(ours, theirs, f"seed {seed}")


# randint's [low, high): widths from one value to the whole int64 range but one
RANDINT_RANGES = [
    (0, 1), (0, 2), (0, 3), (-1, 2), (5, 8), (0, 2**31), (-2**31, 2**31), (0, 2**32 - 1), (0, 2**32),
    (7, 7 + 2**32 + 1), (0, 2**62), (-2**62, 2**62), (0, 2**62 + 1), (1, 2**63 - 1), (INT64_MIN, 0),
    (INT64_MIN, INT64_MIN + 3), (INT64_MAX - 2, INT64_MAX), (INT64_MIN, INT64_MAX), (-1, INT64_MAX),
]


@pytest.mark.parametrize("seed", SEEDS)
def test_randint(rt, seed):
    for low, high in RANDINT_RANGES:
        rt.seed(seed)
        ours = [rt.randint(low, high) for _ in range(300)]
        np.random.seed(seed)
        assert ours == np.random.randint(low, high, size=300, dtype=np.int64).tolist(), (low, high)
        assert rt.randint(low, high) == np.random.randint(low, high), (low, high)
    # the one-argument form, and numpy's [-2**63, 2**63): the closed full range
    rt.seed(seed)
    np.random.seed(seed)
    for high in [1, 2, 10, 2**40]:
        assert rt.randint(0, high) == np.random.randint(high)
    for _ in range(50):
        full = np.random.randint(INT64_MIN, 2**63)
        assert rt.interval(2**64 - 1) == (full - INT64_MIN) % 2**64


@pytest.mark.parametrize("seed", SEEDS[:5])
def test_interval_is_randint_from_zero(rt, seed):
    rt.seed(seed)
    np.random.seed(seed)
    for top in [0, 1, 2, 5, 2**31 - 1, 2**32 - 1, 2**32, 2**33 + 17, 2**62, 2**63 - 2]:
        for _ in range(40):
            assert rt.interval(top) == np.random.randint(0, top + 1), top
    # interval(0) draws nothing
    rt.interval(0)
    assert bits(rt.double()) == bits(np.random.random_sample())


POISSON_LAMS = [0.0, -0.0, 1e-300, 0.01, 0.5, 1.0, 3.7, 9.999999, 10.0, 10.5, 33.3, 1000.0, 123456.7, 1e9, 1e12,
                2.0**53 + 2.0**40, 1e17, 4e18, LAM_MAX]


@pytest.mark.parametrize("seed", SEEDS)
def test_poisson(rt, seed):
    for lam in POISSON_LAMS:
        rt.seed(seed)
        ours = [rt.poisson(lam) for _ in range(200)]
        np.random.seed(seed)
        assert ours == np.random.poisson(lam, size=200).tolist(), lam
        # lam 0 draws nothing: the streams go on together
        assert bits(rt.double()) == bits(np.random.random_sample()), lam


# ---- shuffle, and the functions made of interval draws ------------------------------

@pytest.mark.parametrize("seed", SEEDS[:6])
def test_shuffle(rt, seed):
    arrays = [np.arange(n) for n in (0, 1, 2, 3, 10, 1000)]
    arrays += [np.arange(300, dtype=np.int8), np.linspace(0, 1, 77, dtype=np.float32),
               np.arange(50) * (1 + 2j), np.arange(120.0).reshape(40, 3),
               np.arange(2000, dtype=np.int16).reshape(20, 100)]  # rows of 200 bytes
    views = [lambda a: a[::3], lambda a: a[::-1], lambda a: a[5:-2:2]]
    for a in arrays:
        cases = [(a.copy(), a.copy())]
        if a.ndim == 1:
            cases += [(v(a.copy()), v(a.copy())) for v in views]
        for ours, theirs in cases:
            before = ours.copy()
            rt.seed(seed)
            rt.shuffle(ours)
            np.random.seed(seed)
            np.random.shuffle(theirs)
            assert ours.tobytes() == theirs.tobytes(), (a.dtype, a.shape, ours.strides)
            assert sorted(map(repr, ours.tolist())) == sorted(map(repr, before.tolist()))
            assert bits(rt.double()) == bits(np.random.random_sample())


@pytest.mark.parametrize("seed", SEEDS[:6])
def test_draw_orders_the_header_documents(rt, seed):
    """shuffle, permutation and choice built from interval draws as
    pyaot_rt.h says they are, against numpy's."""
    def shuffled(x):
        x = list(x)
        for i in range(len(x) - 1, 0, -1):
            j = rt.interval(i)
            x[i], x[j] = x[j], x[i]
        return x

    rt.seed(seed)
    np.random.seed(seed)
    for n in [1, 2, 5, 100]:
        assert shuffled(range(n)) == np.random.permutation(n).tolist()
        rows = np.arange(3 * n).reshape(n, 3)
        assert rows[shuffled(range(n))].tolist() == np.random.permutation(rows).tolist()
        assert [rt.interval(n - 1) for _ in range(20)] == np.random.choice(n, 20).tolist()
        assert rt.interval(n - 1) == np.random.choice(n)
        letters = np.array(list("abcdefghij"))[: min(n, 10)]
        assert letters[[rt.interval(len(letters) - 1) for _ in range(7)]].tolist() == \
            np.random.choice(letters, 7).tolist()
        k = (n + 1) // 2
        assert shuffled(range(n))[:k] == np.random.choice(n, k, replace=False).tolist()
        assert [rt.double() for _ in range(4)] == np.random.rand(2, 2).ravel().tolist()


# ---- every kind of call, interleaved ------------------------------------------------

def random_call(rng, rt):
    """One call picked at random: (ours, numpy's)."""
    kind = rng.randrange(9)
    if kind == 0:
        return rt.double, np.random.random_sample
    if kind == 1:
        return rt.gauss, np.random.standard_normal
    if kind == 2:
        return rt.standard_exponential, np.random.standard_exponential
    if kind == 3:
        low = rng.choice([0, -5, 3, INT64_MIN, 2**40])
        high = low + rng.choice([1, 2, 3, 100, 2**31, 2**32 + 1, 2**62, 0, -1])
        high = max(min(high, INT64_MAX), INT64_MIN)
        return (lambda: rt.randint(low, high)), (lambda: np.random.randint(low, high, dtype=np.int64))
    if kind == 4:
        lam = rng.choice([0.0, 0.3, 4.0, 12.0, 500.0, 1e10, -1.0, math.nan, 1e19])
        return (lambda: rt.poisson(lam)), (lambda: np.random.poisson(lam))
    if kind == 5:
        a, b = rng.choice(FLOAT_PARAMETERS), rng.choice(FLOAT_PARAMETERS + [math.inf])
        return (lambda: rt.uniform(a, b)), (lambda: np.random.uniform(a, b))
    if kind == 6:
        a, b = rng.choice(FLOAT_PARAMETERS), rng.choice(FLOAT_PARAMETERS + [-0.0])
        return (lambda: rt.normal(a, b)), (lambda: np.random.normal(a, b))
    if kind == 7:
        scale = rng.choice(FLOAT_PARAMETERS + [-0.0])
        return (lambda: rt.exponential(scale)), (lambda: np.random.exponential(scale))
    n = rng.choice([1, 2, 7, 2**32 + 5])
    return (lambda: rt.interval(n - 1)), (lambda: np.random.randint(0, n, dtype=np.int64))


@pytest.mark.parametrize("seed", SEEDS)
def test_interleaved_calls(rt, seed):
    rng = random.Random(seed)
    calls = [random_call(rng, rt) for _ in range(600)]
    rt.seed(seed)
    np.random.seed(seed)
    same([c[0] for c in calls], [c[1] for c in calls], f"seed {seed}")


# ---- errors ---------------------------------------------------------------------


@pytest.mark.parametrize("ours, theirs", [
    (lambda rt: rt.seed(-1), lambda: np.random.seed(-1)),
    (lambda rt: rt.seed(2**32), lambda: np.random.seed(2**32)),
    (lambda rt: rt.seed(INT64_MIN), lambda: np.random.seed(INT64_MIN)),
    (lambda rt: rt.seed(INT64_MAX), lambda: np.random.seed(INT64_MAX)),
    (lambda rt: rt.randint(5, 5), lambda: np.random.randint(5, 5)),
    (lambda rt: rt.randint(3, 1), lambda: np.random.randint(3, 1)),
    (lambda rt: rt.randint(-3, -3), lambda: np.random.randint(-3, -3)),
    (lambda rt: rt.randint(0, 0), lambda: np.random.randint(0)),
    (lambda rt: rt.randint(0, -4), lambda: np.random.randint(-4)),
    (lambda rt: rt.randint(INT64_MAX, INT64_MIN), lambda: np.random.randint(INT64_MAX, INT64_MIN)),
    (lambda rt: rt.poisson(-1.0), lambda: np.random.poisson(-1.0)),
    (lambda rt: rt.poisson(-1e-300), lambda: np.random.poisson(-1e-300)),
    (lambda rt: rt.poisson(math.nan), lambda: np.random.poisson(math.nan)),
    (lambda rt: rt.poisson(1e19), lambda: np.random.poisson(1e19)),
    (lambda rt: rt.poisson(math.inf), lambda: np.random.poisson(math.inf)),
    (lambda rt: rt.poisson(ABOVE_LAM_MAX), lambda: np.random.poisson(ABOVE_LAM_MAX)),
    (lambda rt: rt.normal(0.0, -1.0), lambda: np.random.normal(0.0, -1.0)),
    (lambda rt: rt.normal(0.0, -0.0), lambda: np.random.normal(0.0, -0.0)),
    (lambda rt: rt.normal(0.0, -math.inf), lambda: np.random.normal(0.0, -math.inf)),
    (lambda rt: rt.exponential(-2.0), lambda: np.random.exponential(-2.0)),
    (lambda rt: rt.exponential(-0.0), lambda: np.random.exponential(-0.0)),
    (lambda rt: rt.uniform(0.0, math.inf), lambda: np.random.uniform(0.0, math.inf)),
    (lambda rt: rt.uniform(-math.inf, 0.0), lambda: np.random.uniform(-math.inf, 0.0)),
    (lambda rt: rt.uniform(math.nan, 1.0), lambda: np.random.uniform(math.nan, 1.0)),
    (lambda rt: rt.uniform(-1e308, 1e308), lambda: np.random.uniform(-1e308, 1e308)),
    (lambda rt: rt.uniform(1e308, -1e308), lambda: np.random.uniform(1e308, -1e308)),
])
def test_errors_are_numpys_and_draw_nothing(rt, ours, theirs):
    rt.seed(7)
    np.random.seed(7)
    rt.gauss()
    np.random.standard_normal()
    got, want = outcome(lambda: ours(rt)), outcome(theirs)
    assert got[0] == "raise" and got == want
    # the failed call drew nothing and kept the kept normal
    assert bits(rt.gauss()) == bits(np.random.standard_normal())
    assert bits(rt.double()) == bits(np.random.random_sample())


def test_error_out_parameter_is_optional(rt):
    rt._seed(11, None)
    np.random.seed(11)
    assert bits(rt._normal(1.0, 2.0, None)) == bits(np.random.normal(1.0, 2.0))
    assert rt._randint(-9, 9, None) == np.random.randint(-9, 9)
    rt._randint(4, 4, None)  # refused, and nothing to report it to
    assert bits(rt.double()) == bits(np.random.random_sample())


def test_unknown_error_code_is_reported(rt):
    assert rt.raised(99) == ("ValueError", "invalid random number error")
    assert rt.raised(-1) == ("ValueError", "invalid random number error")


# ---- one state per thread ----------------------------------------------------------

def in_threads(bodies):
    """Runs each body in its own thread, all started together; their results."""
    results, errors = [None] * len(bodies), []
    start = threading.Barrier(len(bodies))

    def run(k):
        try:
            start.wait()
            results[k] = bodies[k]()
        except BaseException as e:  # reported in the calling thread
            errors.append(e)
    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def test_threads_seeded_apart_give_numpys_two_sequences(rt):
    rt.seed(3)  # the calling thread's, untouched by the others
    rt.gauss()
    steps = 1500
    lockstep = threading.Barrier(2)

    def body(seed):
        def draws():
            rt.seed(seed)
            out = []
            for step in range(steps):
                lockstep.wait()  # both threads draw in every step
                out.append(bits(rt.gauss() if step % 3 else rt.double()))
            return out
        return draws

    got = in_threads([body(1), body(2)])
    for seed, ours in zip([1, 2], got):
        reference = np.random.RandomState(seed)
        want = [bits(reference.standard_normal() if step % 3 else reference.random_sample())
                for step in range(steps)]
        assert ours == want, seed
    main = np.random.RandomState(3)
    main.standard_normal()
    assert [bits(rt.gauss()) for _ in range(3)] == [bits(main.standard_normal()) for _ in range(3)]


def test_unseeded_threads_get_valid_sequences_of_their_own(rt):
    rt.seed(0)

    def draws():
        return [rt.double() for _ in range(20000)], [rt.gauss() for _ in range(2001)]

    results = in_threads([draws, draws, draws])
    seeded = np.random.RandomState(0).random_sample(20000).tolist()
    for uniforms, normals in results:
        assert all(0.0 <= x < 1.0 for x in uniforms)
        # far inside what a fair generator gives (the mean's deviation is 0.002)
        assert abs(sum(uniforms) / len(uniforms) - 0.5) < 0.02
        assert abs(np.mean(normals)) < 0.15 and abs(np.std(normals) - 1.0) < 0.1
        assert len(set(uniforms)) == len(uniforms)
        assert uniforms != seeded
    assert len({tuple(u) for u, _ in results}) == 3
    # an unseeded thread seeded later gives numpy's sequence
    def later():
        rt.double()
        rt.seed(5)
        return [bits(rt.double()) for _ in range(10)]
    assert in_threads([later])[0] == [bits(x) for x in np.random.RandomState(5).random_sample(10)]


def test_many_short_threads(rt):
    # each thread's state is made on its first draw and freed when it ends
    for _ in range(4):
        values = in_threads([lambda k=k: (rt.seed(k), rt.double())[1] for k in range(32)])
        assert [bits(v) for v in values] == [bits(np.random.RandomState(k).random_sample()) for k in range(32)]


# ---- numpy 1.26 and 2.x draw the same -------------------------------------------

# One program of draws, run by the runtime and by each numpy; r.seed etc. are
# the runtime's functions or numpy's.
PROGRAM = """
import struct

def bits(x):
    if isinstance(x, float):
        return struct.unpack("<Q", struct.pack("<d", x))[0]
    return int(x)

def program(r, seeds, ranges, lams):
    out = []
    for seed in seeds:
        r.seed(seed)
        out += [bits(r.random_sample()) for _ in range(700)]
        out += [bits(r.standard_normal()) for _ in range(301)]
        out += [bits(r.standard_exponential()) for _ in range(100)]
        for low, high in ranges:
            out += [r.randint(low, high) for _ in range(20)]
        for lam in lams:
            out += [r.poisson(lam) for _ in range(20)]
        for a, b in [(0.0, 1.0), (-3.5, 2.25), (1e300, -1e300)]:
            out += [bits(r.uniform(a, b)), bits(r.normal(a, abs(b))), bits(r.exponential(abs(b)))]
        out += r.permutation(100)
    return out
"""

NUMPY_DRAWS = PROGRAM + """
import json, sys
import numpy as np

class Numpy:
    seed = staticmethod(np.random.seed)
    random_sample = staticmethod(lambda: float(np.random.random_sample()))
    standard_normal = staticmethod(lambda: float(np.random.standard_normal()))
    standard_exponential = staticmethod(lambda: float(np.random.standard_exponential()))
    randint = staticmethod(lambda low, high: int(np.random.randint(low, high, dtype=np.int64)))
    poisson = staticmethod(lambda lam: int(np.random.poisson(lam)))
    uniform = staticmethod(lambda a, b: float(np.random.uniform(a, b)))
    normal = staticmethod(lambda a, b: float(np.random.normal(a, b)))
    exponential = staticmethod(lambda a: float(np.random.exponential(a)))
    permutation = staticmethod(lambda n: np.random.permutation(n).tolist())

json.dump([np.__version__, program(Numpy, *json.loads(sys.argv[1]))], sys.stdout)
"""


class RuntimeDraws:
    """The runtime under the names PROGRAM calls."""

    def __init__(self, rt):
        self.seed, self.randint, self.poisson = rt.seed, rt.randint, rt.poisson
        self.random_sample, self.standard_normal = rt.double, rt.gauss
        self.standard_exponential, self.exponential = rt.standard_exponential, rt.exponential
        self.uniform, self.normal = rt.uniform, rt.normal
        self.rt = rt

    def permutation(self, n):
        a = np.arange(n)
        self.rt.shuffle(a)
        return a.tolist()


@pytest.mark.parametrize("python", ["/usr/bin/python3", "numpy1", "numpy2"])
def test_numpy_versions_draw_alike(rt, python):
    arguments = [SEEDS[:4], RANDINT_RANGES, [float(lam) for lam in POISSON_LAMS]]
    interpreter = python if python.startswith("/") else environment(python)
    done = subprocess.run([interpreter, "-c", NUMPY_DRAWS, json.dumps(arguments)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    version, want = json.loads(done.stdout)
    space = {}
    exec(PROGRAM, space)
    got = space["program"](RuntimeDraws(rt), *arguments)
    assert len(got) == len(want)
    differ = [i for i in range(len(got)) if got[i] != want[i]]
    assert not differ, f"numpy {version}: {len(differ)} draws differ, the first at {differ[0]}"


# ---- linked as a module links it --------------------------------------------------

ENTRY = r'''
#include "random.c"

void pyaot_rt_raise(int32_t exc, const char *msg) { (void)exc; (void)msg; }

/* The n-th draw of one kind after seeding. */
__attribute__((visibility("default"))) double entry(int64_t seed, int32_t kind, int64_t n) {
    int32_t error;
    pyaot_rt_random_seed(seed, &error);
    double x = 0.0;
    for (int64_t i = 0; i < n; i++) {
        switch (kind) {
        case 0: x = pyaot_rt_random_double(); break;
        case 1: x = pyaot_rt_random_gauss(); break;
        case 2: x = pyaot_rt_random_standard_exponential(); break;
        case 3: x = (double)pyaot_rt_random_poisson(1e6, &error); break;
        default: x = (double)pyaot_rt_random_randint(-5, 1000, &error); break;
        }
    }
    return x;
}
'''


def test_links_with_pyaot_linker(tmp_path):
    """Modules are linked by pyaot's own linker, which has no thread-local
    storage: the per-thread state must not need it."""
    clang, link_tool = shutil.which("clang-19"), os.path.join(BUILD, "tests", "link", "link_tool")
    if clang is None or not os.path.exists(link_tool):
        pytest.skip("needs clang-19 and build/tests/link/link_tool")
    (tmp_path / "entry.c").write_text(ENTRY)
    flags = runtime_flags() + ["--target=x86_64-pc-linux-gnu", "-fvisibility=hidden"]
    subprocess.run([clang, *flags, "-I" + sysconfig.get_paths()["include"], "-I" + RUNTIME, "-c",
                    str(tmp_path / "entry.c"), "-o", str(tmp_path / "entry.o")], check=True)
    done = subprocess.run([link_tool, str(tmp_path / "entry.o"), str(tmp_path / "entry.so"), "entry"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    entry = ctypes.CDLL(str(tmp_path / "entry.so")).entry
    entry.restype = ctypes.c_double
    entry.argtypes = [ctypes.c_int64, ctypes.c_int32, ctypes.c_int64]
    draws = [lambda r: r.random_sample(), lambda r: r.standard_normal(), lambda r: r.standard_exponential(),
             lambda r: float(r.poisson(1e6)), lambda r: float(r.randint(-5, 1000))]
    for seed in SEEDS[:4]:
        for kind, draw in enumerate(draws):
            reference = np.random.RandomState(seed)
            want = [draw(reference) for _ in range(701)][-1]
            assert bits(entry(seed, kind, 701)) == bits(want), (seed, kind)
    got = in_threads([lambda: entry(1, 1, 3), lambda: entry(2, 1, 3)])
    assert [bits(g) for g in got] == [bits(np.random.RandomState(s).standard_normal(3)[-1]) for s in (1, 2)]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
