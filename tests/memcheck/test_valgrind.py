"""valgrind memcheck of compiled modules: calls that succeed, fail at the
boundary and fail inside compiled code (runaway recursion too), and the
runtime's slices, overlapping copies, reductions and print, must make no
invalid access.

The modules are built for x86-64-v3 (valgrind does not decode AVX-512)."""
import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYAOT = os.environ.get("PYAOT", os.path.join(ROOT, "build", "pyaot"))
FLAGS = os.environ.get("PYAOT_FLAGS", "").split()

SOURCE = '''
import numpy as np

def grid(n, m):
    g = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            g[i, j] = i * m + j
    return g

def column_sums(g):
    out = np.empty(g.shape[1])
    for j in range(g.shape[1]):
        s = 0.0
        for i in range(g.shape[0]):
            s += g[i, j]
        out[j] = s
    return out, len(g)

def picky(a, i):
    tmp = np.ones(len(a))
    if i < 0:
        raise ValueError("negative")
    return a[i] + tmp[0]

def views(m, v):
    m[1:, ::2] = v[:1]
    m[0] = m[-1]
    m[1:] = m[:-1]
    print(m[0, :2], m.sum(), np.mean(m.T), m[::-1, 1:].max())
    return m.T.sum() + np.prod(m[:, 0]) + m[:, ::3].min()

def deep(n):
    if n == 0:
        return 0
    return deep(n - 1) + 1
'''

SCRIPT = '''
import numpy as np, vg
g = vg.grid(30, 7)
for _ in range(20):
    sums, n = vg.column_sums(g)
assert n == 30 and sums[0] == sum(range(0, 210, 7))
vg.column_sums(g.T)
vg.column_sums(g[::2, ::3])
for bad in [(np.zeros(3), 5), (np.zeros(3), -1), (None, 0), (np.zeros((2, 2)), 0), (np.zeros(3, np.int32), 0)]:
    try:
        vg.picky(*bad)
    except (IndexError, ValueError, TypeError):
        pass
vg.views(np.arange(60.0).reshape(6, 10), np.arange(3.0))
vg.views(np.random.default_rng(1).random((120, 90)).T.copy(), np.ones(45))  # reductions gather
for bad in [(np.zeros((3, 4)), np.zeros(0)), (np.zeros((0, 4)), np.ones(1))]:
    try:
        vg.views(*bad)
    except (ValueError, IndexError):
        pass
assert vg.deep(500) == 500
try:
    vg.deep(-1)
except RecursionError:
    pass
print("done")
'''


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed (scripts/install-deps installs it)")
def test_memcheck_clean(tmp_path):
    (tmp_path / "vg.py").write_text(SOURCE)
    built = subprocess.run([PYAOT, "build", str(tmp_path / "vg.py"), "-o", str(tmp_path), "--cpu", "x86-64-v3",
                            "--sig", "grid=float64[:,:](int64,int64)",
                            "--sig", "column_sums=Tuple((float64[:], int64))(float64[:,:])",
                            "--sig", "picky=float64(float64[:], int64)",
                            "--sig", "views=float64(float64[:,:], float64[:])", "--sig", "deep=int64(int64)"] + FLAGS,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    script = tmp_path / "run.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, PYTHONMALLOC="malloc", PYTHONPATH=str(tmp_path))
    done = subprocess.run(["valgrind", "-q", "--error-exitcode=99", "--leak-check=no", "/usr/bin/python3",
                           str(script)], capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().splitlines()[-1] == "done"


ARRAYS_SOURCE = '''
import numpy as np

def expr(a, b, c):
    return np.sqrt(a * a + b) - np.where(c > 0, c, -c)

def outer(x, y):
    return x[:, None] * y[None, :] + 1.0

def in_place(a, b):
    a[1:] += a[:-1]
    a *= 2
    b[::2] -= b[1::2]
    return a.sum() + b.mean()

def masked(x, m, v):
    x[x < 0] = 0
    x[x[::-1] > 5] = 1
    x[m] = v
    return x[x > 0.5], x[np.arange(len(x)) % 3]

def shapes(a, idx):
    r = a.reshape(2, -1)
    f = a[::2].reshape(-1, 1)
    return r.T.ravel(), f.flatten(), a[idx], (a * 2).max(), (a - 1.0).sum()

def parts(z):
    z.imag *= 2
    return z.real + z.imag, np.conj(z)

def powers(a, b):
    return (a ** b).sum()
'''

ARRAYS_SCRIPT = '''
import numpy as np, arr
rng = np.random.default_rng(0)
a, b, c = rng.random((30, 40)), rng.random(40), rng.standard_normal((30, 40))
arr.expr(a, b, c)
arr.expr(a[::2, ::-1], b[::-1], c[::2, ::-1])
arr.outer(rng.random(50), rng.random(70)[::2])
for bad in [(a, rng.random(39), c), (a, b, c[:, :3])]:
    try:
        arr.expr(*bad)
    except ValueError:
        pass
arr.in_place(rng.random(20000), rng.random(20002))
try:
    arr.in_place(rng.random(5), rng.random(5))
except ValueError:
    pass
x = rng.standard_normal(50) * 10
arr.masked(x, x > 3, 7.5)
try:
    arr.masked(x, np.ones(3, bool), 1.0)
except IndexError:
    pass
arr.shapes(np.arange(12.0), np.array([0, -1, 3]))
for bad_idx in (np.array([0, 12]), np.array([-13])):
    try:
        arr.shapes(np.arange(12.0), bad_idx)
    except IndexError:
        pass
try:
    arr.shapes(np.arange(11.0), np.array([0]))
except ValueError:
    pass
arr.parts(rng.random(9) + 1j * rng.random(9))
arr.powers(np.arange(5), np.arange(5))
try:
    arr.powers(np.arange(5), np.arange(-2, 3))
except ValueError:
    pass
print("done")
'''


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed (scripts/install-deps installs it)")
def test_memcheck_array_expressions(tmp_path):
    (tmp_path / "arr.py").write_text(ARRAYS_SOURCE)
    sigs = ["expr=(float64[:, :], float64[:], float64[:, :])", "outer=(float64[:], float64[:])",
            "in_place=(float64[:], float64[:])", "masked=(float64[:], bool[:], float64)",
            "shapes=(float64[:], int64[:])", "parts=(complex128[:])", "powers=(int64[:], int64[:])"]
    cmd = [PYAOT, "build", str(tmp_path / "arr.py"), "-o", str(tmp_path), "--cpu", "x86-64-v3"] + FLAGS
    for s in sigs:
        cmd += ["--sig", s]
    built = subprocess.run(cmd, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    script = tmp_path / "run.py"
    script.write_text(ARRAYS_SCRIPT)
    env = dict(os.environ, PYTHONMALLOC="malloc", PYTHONPATH=str(tmp_path))
    done = subprocess.run(["valgrind", "-q", "--error-exitcode=99", "--leak-check=no", "/usr/bin/python3",
                           str(script)], capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().splitlines()[-1] == "done"


LISTS_SOURCE = '''
import numpy as np

def build(n):
    out = []
    for i in range(n):
        out.append(i * 0.5)
    rows = [np.arange(3.0) * i for i in range(n)]
    rows.pop(0) if n > 1 else None
    pairs = [(i, i * 2) for i in range(n) if i % 2]
    return out, len(rows), pairs, sorted(out, reverse=True)[:3], sum(x for x in out)

def change(a, i):
    a.append(1.5)
    a.insert(0, -1.0)
    a.pop(i)
    del a[::3]
    a.sort()
    return a[i]

def arrays(n, fail):
    rows = []
    for i in range(n):
        rows.append(np.ones(100) * i)
    keep = rows[1:]
    if fail:
        raise ValueError("fail after allocating")
    return np.array(keep)

def closures(a, k):
    scale = lambda x: x * k
    return [scale(v) for v in a], max(scale(v) for v in a)
'''

LISTS_SCRIPT = '''
import numpy as np, lst

def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4

def work():
    lst.build(50)
    lst.build(1)
    a = [float(i) for i in range(20)]
    lst.change(a, 3)
    for bad in ((a, 1000), ([], 0), ([1.0, "x"], 0)):
        try:
            lst.change(*bad)
        except (IndexError, TypeError):
            pass
    lst.arrays(10, False)
    try:
        lst.arrays(10, True)
    except ValueError:
        pass
    lst.closures(np.arange(5.0), 2.0)
    try:
        lst.closures(np.zeros(0), 2.0)
    except ValueError:
        pass

for _ in range(int(__import__("sys").argv[1])):
    work()
before = rss_kb()
for _ in range(int(__import__("sys").argv[2])):
    work()
print("grew", rss_kb() - before)
print("done")
'''


def build_lists_module(tmp_path, cpu):
    (tmp_path / "lst.py").write_text(LISTS_SOURCE)
    sigs = ["build=(int64,)", "change=float64(list(float64), int64)", "arrays=(int64, boolean)",
            "closures=(float64[:], float64)"]
    cmd = [PYAOT, "build", str(tmp_path / "lst.py"), "-o", str(tmp_path)] + cpu + FLAGS
    for s in sigs:
        cmd += ["--sig", s]
    built = subprocess.run(cmd, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    script = tmp_path / "run.py"
    script.write_text(LISTS_SCRIPT)
    return script


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed (scripts/install-deps installs it)")
def test_memcheck_lists(tmp_path):
    script = build_lists_module(tmp_path, ["--cpu", "x86-64-v3"])
    env = dict(os.environ, PYTHONMALLOC="malloc", PYTHONPATH=str(tmp_path))
    done = subprocess.run(["valgrind", "-q", "--error-exitcode=99", "--leak-check=no", "/usr/bin/python3",
                           str(script), "2", "3"], capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().splitlines()[-1] == "done"


def test_lists_leak_nothing(tmp_path):
    # Lists, their items' arrays and closures, on success and on every error
    # path (a bad item, a failing pop, a raise after allocating): the memory
    # used stays flat over many calls.
    script = build_lists_module(tmp_path, [])
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    done = subprocess.run(["/usr/bin/python3", str(script), "2000", "20000"], capture_output=True, text=True,
                          env=env, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr[-4000:]
    grew = int(done.stdout.split()[1])
    assert grew < 2048, done.stdout


DICTS_SOURCE = '''
import numpy as np

def counts(a):
    d = {}
    for x in a:
        d[x] = d.get(x, 0) + 1
    for k in list(d.keys()):
        if k % 3 == 0:
            del d[k]
    return d

def groups(a, fail):
    g = {}
    for x in a:
        if x % 5 in g:
            g[x % 5].append(x * 0.5)
        else:
            g[x % 5] = [x * 0.5]
    rows = {}
    for k in g:
        rows[k] = np.array(g[k])
    rows[0] = np.zeros(3)  # replaces an array: the old one is dropped
    if fail:
        return rows[99][0]
    t = 0.0
    for k, v in rows.items():
        t += v.sum()
    return t

def sets(a, k):
    s = set(a)
    u = {x % 7 for x in a} | {100, 200}
    s.remove(k)
    return s, u, len(s & u)

def changed(n):
    d = {i: np.ones(2) for i in range(n)}
    for k in d:
        d[k + n] = np.zeros(1)
    return len(d)
'''

DICTS_SCRIPT = '''
import numpy as np, dct

def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4

def work():
    a = np.arange(-50, 250, dtype=np.int64) % 37
    dct.counts(a)
    dct.counts(a[:0])
    dct.groups(a, False)
    for bad in ((a, True), (a[:3], True)):
        try:
            dct.groups(*bad)
        except KeyError:
            pass
    dct.sets(a, 3)
    try:
        dct.sets(a, 1000)
    except KeyError:
        pass
    try:
        dct.changed(5)
    except RuntimeError:
        pass

for _ in range(int(__import__("sys").argv[1])):
    work()
before = rss_kb()
for _ in range(int(__import__("sys").argv[2])):
    work()
print("grew", rss_kb() - before)
print("done")
'''


def build_dicts_module(tmp_path, cpu):
    (tmp_path / "dct.py").write_text(DICTS_SOURCE)
    sigs = ["counts=(int64[:],)", "groups=(int64[:], boolean)", "sets=(int64[:], int64)", "changed=(int64,)"]
    cmd = [PYAOT, "build", str(tmp_path / "dct.py"), "-o", str(tmp_path)] + cpu + FLAGS
    for s in sigs:
        cmd += ["--sig", s]
    built = subprocess.run(cmd, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    script = tmp_path / "run.py"
    script.write_text(DICTS_SCRIPT)
    return script


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed (scripts/install-deps installs it)")
def test_memcheck_dicts(tmp_path):
    script = build_dicts_module(tmp_path, ["--cpu", "x86-64-v3"])
    env = dict(os.environ, PYTHONMALLOC="malloc", PYTHONPATH=str(tmp_path))
    done = subprocess.run(["valgrind", "-q", "--error-exitcode=99", "--leak-check=no", "/usr/bin/python3",
                           str(script), "2", "3"], capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().splitlines()[-1] == "done"


def test_dicts_leak_nothing(tmp_path):
    # Dicts and sets holding lists and arrays, replaced values, deletes, and
    # every error path (KeyError inside, a change of size while iterating):
    # the memory used stays flat over many calls.
    script = build_dicts_module(tmp_path, [])
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    done = subprocess.run(["/usr/bin/python3", str(script), "2000", "20000"], capture_output=True, text=True,
                          env=env, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr[-4000:]
    grew = int(done.stdout.split()[1])
    assert grew < 2048, done.stdout
