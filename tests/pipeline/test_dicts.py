"""Typed dicts and sets: displays, {} and set() typed by their first store,
item access, methods, iteration in insertion order, deletes mixed with
inserts around every resize, keys of every integer width, floats, bools and
tuples, values of numbers, tuples, arrays and lists, comprehensions, set
operators, dicts and sets passed between compiled functions and returned to
Python, and CPython's run-time errors; all compared with CPython running
the same source."""
import math
import random

import numpy as np
import pytest

from conftest import check

SOURCE = '''
import numpy as np

def count(a):
    d = {}
    for x in a:
        if x in d:
            d[x] += 1
        else:
            d[x] = 1
    return d

def count_get(a):
    d = dict()
    for x in a:
        d[x] = d.get(x, 0) + 1
    return list(d.items()), len(d), sum(d.values())

def churn(keys, ops):
    # Inserts, deletes, pops and setdefaults mixed: removed entries leave
    # gaps that iteration skips and resizes compact.
    d = {}
    for i in range(len(keys)):
        k = keys[i]
        op = ops[i]
        if op == 0:
            d[k] = i
        elif op == 1:
            if k in d:
                del d[k]
        elif op == 2:
            d.pop(k, -1)
        else:
            d.setdefault(k, -i)
    return list(d.items()), len(d), sorted(d), list(d), list(d.keys()), list(d.values())

def literal(n):
    d = {1: 2.0, 3: 4.0}
    d[n] = 7.5
    s = 0.0
    for k in d:
        s += d[k] * k
    return s, len(d), d, 3 in d, n not in d, d.get(n + 1, -1.0), bool(d)

def const_keys(n):
    d = {10: n, 20: n + 1}
    return d

def float_keys(a, q):
    d = {}
    for i in range(len(a)):
        d[a[i]] = i
    found = 0
    for i in range(len(a)):
        if a[i] in d:
            found += 1
    # NaN keys shown as a number: each NaN read from the array is its own key
    # in both (a new float object in CPython, unequal to itself in pyaot).
    return [(k if k == k else 12345.0, v) for k, v in d.items()], q in d, d.get(q, -1), found

def widths(a, b):
    d = {}
    for x in a:
        d[x] = d.get(x, 0) + 1
    hits = 0
    for y in b:
        if y in d:
            hits += d[y]
    return d, hits, d.get(np.int32(1), 0), d.get(np.uint8(2), 0), d.get(True, 0)

def bool_keys(a):
    d = {True: 0, False: 0}
    for x in a:
        d[x > 0] += 1
    return d, d[True], True in d, (len(a) > 3) in d

def tuple_keys(a, b):
    d = {}
    for i in range(len(a)):
        k = (a[i], b[i])
        d[k] = d.get(k, 0) + 1
    m = {(1, 2.5): 1.0}
    m[(3, 4)] = 2.0
    return d, list(d.items()), (0, 0) in d, m

def lookup(a, k):
    d = {}
    for i in range(len(a)):
        d[a[i]] = i * 1.5
    return d[k]

def lookup_tuple(k0, k1):
    d = {(1, 2): 3, (4, 5): 6}
    return d[(k0, k1)]

def delete(a, k):
    d = {}
    for x in a:
        d[x] = x
    del d[k]
    return d

def pop(a, k):
    d = {}
    for x in a:
        d[x] = x * 2
    v = d.pop(k)
    return v, d, d.pop(k, -7)

def grow_while_iterating(n, extra):
    d = {}
    for i in range(n):
        d[i] = i
    for k in d:
        if k == n // 2:
            d[k + extra] = 0
    return len(d)

def delete_while_iterating(n):
    d = {}
    for i in range(n):
        d[i] = i
    for k in d.keys():
        if k == 1:
            del d[k]
    return len(d)

def set_grow_while_iterating(n):
    s = set()
    for i in range(n):
        s.add(i)
    for k in s:
        if k == 0:
            s.add(-1)
    return len(s)

def views(a):
    d = {}
    for x in a:
        d[x] = x * 0.5
    ks = 0
    for k in d.keys():
        ks += k
    vs = 0.0
    for v in d.values():
        vs += v
    pairs = []
    for k, v in d.items():
        pairs.append((k, v))
    return (ks, vs, pairs, sum(d.values(), 0.0), sorted(d), list(d), len(d.keys()), len(d.items()), 3 in d.keys(),
            -3 not in d.keys())

def extremes(a):
    d = {}
    for x in a:
        d[x] = x * 0.5 - 1.0
    s = set(a)
    return min(d), max(d), min(d.values()), max(d.values()), min(s), max(s), min(d.keys())

def methods(a, b):
    d = {}
    for x in a:
        d[x] = 1.0
    e = {}
    for x in b:
        e[x] = 2.0
    c = d.copy()
    c.update(e)
    f = dict(c)
    f[-1] = -1.0
    n = len(d)
    d.clear()
    d[5] = 5.0
    return list(c.items()), list(f.items()), n, list(d.items()), len(e)

def comprehensions(n, a):
    sq = {x: x * x for x in range(n)}
    inv = {v: k for k, v in sq.items() if k % 2 == 0}
    pairs = {a[i]: i for i in range(len(a))}
    mods = {x % 5 for x in a}
    return list(sq.items()), list(inv.items()), list(pairs.items()), sorted(mods), mods

def groups(keys, vals):
    # A dict of lists: a graph's adjacency, a bucketing.
    g = {}
    for i in range(len(keys)):
        k = keys[i]
        if k in g:
            g[k].append(vals[i])
        else:
            g[k] = [vals[i]]
    out = []
    for k in g:
        out.append((k, len(g[k]), sum(g[k])))
    return out, g

def arrays(keys, n):
    h = {}
    for k in keys:
        if k not in h:
            h[k] = np.zeros(n)
        row = h[k]
        row[k % n] += 1.0
    t = 0.0
    for k, v in h.items():
        t += v.sum() * k
    return t, len(h), h

def tuple_values(a):
    d = {}
    for i in range(len(a)):
        lo, hi = d.get(a[i] % 3, (1000000, -1000000))
        d[a[i] % 3] = (min(lo, a[i]), max(hi, a[i]))
    return d

def sets(a, b):
    s = set()
    for x in a:
        s.add(x)
    t = set(b)
    u = {1, 2, 3}
    u.add(4)
    u.discard(1)
    u.discard(100)
    r = 0
    for x in s:
        r += x
    v = s.copy()
    v.update(b)
    return (sorted(s), len(s), r, 3 in s, 3 not in s, sorted(t), u, sorted(s | t), sorted(s & t), sorted(s - t),
            sorted(v), bool(s))

def set_from_list(a):
    lst = [x * 2 for x in a]
    return set(lst), set(a), len(set(lst))

def set_remove(a, k):
    s = set(a)
    s.remove(k)
    return s

def set_pop_all(a):
    s = set(a)
    total = 0
    n = 0
    while s:
        total += s.pop()
        n += 1
    return total, n, len(s)

def set_pop_empty(n):
    s = {1}
    s.clear()
    for i in range(n):
        s.add(i)
    return s.pop()

def fill(d, a):
    for x in a:
        d[x] = d.get(x, 0.0) + 1.0
    return len(d)

def make(a):
    d = {}
    d[-1] = 0.0
    return d

def through_calls(a):
    d = make(a)
    n = fill(d, a)
    return d, n

def weighted(d):
    s = 0.0
    for k, v in d.items():
        s += k * v
    return s, len(d), sorted(d)

def bump(d, k):
    d[k] = d.get(k, 0.0) + 1.0
    return len(d)

def pairs_in(d, k0, k1):
    return (k0, k1) in d, d.get((k0, k1), -1)

def prune(s, k):
    s.discard(k)
    if k + 1 in s:
        s.remove(k + 1)
    return len(s)

def equality(a, b):
    d = {x: x * 2 for x in a}
    e = dict(zip(b, [x * 2 for x in b]))
    s = set(a)
    t = set(b)
    return d == e, d != e, s == t, s != t, list(e.items()), dict([(1, 2.0), (3, 4.0)])

def show(n):
    d = {i: i * 0.5 for i in range(n)}
    s = {i % 3 for i in range(n)}
    print(d, s, len(d))
    return len(d)

def bump_then_fail(d, k):
    d[k] = 1.0
    return d[k + 1]
'''

SIGS = ["count=(int64[:],)", "count_get=(int64[:],)", "churn=(int64[:], int64[:])", "literal=(int64,)",
        "const_keys=(int64,)", "float_keys=(float64[:], int64)", "widths=(int32[:], int64[:])",
        "bool_keys=(int64[:],)", "tuple_keys=(int64[:], int8[:])", "lookup=(int64[:], int64)",
        "lookup_tuple=(int64, int64)", "delete=(int64[:], int64)", "pop=(int64[:], int64)",
        "grow_while_iterating=(int64, int64)", "delete_while_iterating=(int64,)",
        "set_grow_while_iterating=(int64,)", "views=(int64[:],)", "methods=(int64[:], int64[:])",
        "comprehensions=(int64, int64[:])", "groups=(int64[:], float64[:])", "arrays=(int64[:], int64)",
        "tuple_values=(int64[:],)", "sets=(int64[:], int64[:])", "set_from_list=(int64[:],)",
        "set_remove=(int64[:], int64)", "set_pop_all=(int64[:],)", "set_pop_empty=(int64,)",
        "through_calls=(int64[:],)", "weighted=(DictType(int64, float64),)", "bump=(dict(int32, float64), int64)",
        "pairs_in=(DictType(UniTuple(int64, 2), int64), int64, int64)", "prune=(set(int64), int64)",
        "bump_then_fail=(DictType(int64, float64), int64)", "show=(int64,)", "extremes=(int64[:],)",
        "equality=(int64[:], int64[:])"]

# Sizes around the table's growth (8 slots hold 5 entries, then 32, 128...).
SIZES = [0, 1, 2, 4, 5, 6, 7, 8, 20, 21, 22, 85, 86, 87, 341, 342, 343, 1000, 5000]


@pytest.fixture(scope="module")
def dicts(compile_module):
    return compile_module(SOURCE, SIGS)


def ints(rng, n, lo, hi, dtype=np.int64):
    return np.array([rng.randint(lo, hi) for _ in range(n)], dtype=dtype)


def test_counting_and_order(dicts):
    rng = random.Random(1)
    cases = [(ints(rng, n, -n // 3 - 1, n // 3 + 2),) for n in SIZES] + [(ints(rng, 100000, -5000, 5000),)]
    cases.append((np.array([2**63 - 1, -2**63, 0, -1, 2**63 - 1], dtype=np.int64),))
    check(dicts, "count", cases)
    check(dicts, "count_get", cases)
    # A dict returned to Python keeps the insertion order.
    for (a,) in cases:
        assert list(dicts.compiled.count(a).items()) == list(dicts.reference.count(a).items())


def test_inserts_and_deletes(dicts):
    rng = random.Random(2)
    cases = []
    for n in SIZES + [100000]:
        span = max(1, n // 4)
        cases.append((ints(rng, n, -span, span), ints(rng, n, 0, 4)))
        cases.append((ints(rng, n, 0, 2**62), ints(rng, n, 0, 1)))  # inserts only, spread keys
    # Insert everything, then delete it all, then insert again: all gaps.
    k = np.arange(300, dtype=np.int64)
    cases.append((np.concatenate([k, k, k]), np.array([0] * 300 + [1] * 300 + [0] * 300, dtype=np.int64)))
    check(dicts, "churn", cases)


def test_literals_and_lookups(dicts):
    check(dicts, "literal", [(n,) for n in (-3, 0, 1, 2, 3, 4, 2**62)])
    check(dicts, "const_keys", [(0,), (5,)])
    check(dicts, "lookup_tuple", [(1, 2), (4, 5), (2, 1), (0, 0)])
    rng = random.Random(3)
    cases = []
    for n in (0, 1, 5, 50):
        a = ints(rng, n, -20, 20)
        cases += [(a, k) for k in (-20, 0, 3, 19, 25)]
    check(dicts, "lookup", cases)
    check(dicts, "delete", cases)
    check(dicts, "pop", cases)


def test_float_keys(dicts):
    rng = random.Random(4)
    specials = [0.0, -0.0, 1.0, 1.5, math.nan, math.nan, math.inf, -math.inf, 2.0**53, 1e-300]
    cases = []
    for n in (0, 1, 7, 40, 1000):
        a = np.array([rng.choice(specials + [float(rng.randint(-5, 5)), rng.random()]) for _ in range(n)])
        cases += [(a, q) for q in (0, 1, 2, -3)]
    check(dicts, "float_keys", cases)


def test_integer_widths_are_one_key(dicts):
    rng = random.Random(5)
    cases = []
    for n in (0, 1, 10, 300):
        cases.append((ints(rng, n, -3, 4, np.int32), ints(rng, n, -3, 4)))
    cases.append((np.array([2**31 - 1, -2**31, 1, 2], np.int32), np.array([2**31 - 1, 2**31, -2**31, 1])))
    check(dicts, "widths", cases)
    check(dicts, "bool_keys", [(ints(rng, n, -2, 3),) for n in (0, 1, 10)])


def test_tuple_keys(dicts):
    rng = random.Random(6)
    cases = [(ints(rng, n, -3, 3), ints(rng, n, -3, 3, np.int8)) for n in (0, 1, 5, 100, 3000)]
    check(dicts, "tuple_keys", cases)


def test_iteration_and_views(dicts):
    rng = random.Random(7)
    check(dicts, "views", [(ints(rng, n, -50, 50),) for n in SIZES])
    check(dicts, "extremes", [(ints(rng, n, -50, 50),) for n in (0, 1, 2, 30)])
    cases = [(ints(rng, n, -3, 3), ints(rng, m, -3, 3)) for n in (0, 1, 4, 20) for m in (0, 1, 4, 20)]
    cases += [(a, a[::-1].copy()) for a, _ in cases]
    check(dicts, "equality", cases)
    check(dicts, "methods", [(ints(rng, n, -9, 9), ints(rng, m, -9, 9)) for n in (0, 1, 6, 30) for m in (0, 4, 30)])
    check(dicts, "comprehensions", [(n, ints(rng, n, -9, 9)) for n in (0, 1, 6, 30, 500)])


def test_changing_size_while_iterating(dicts):
    check(dicts, "grow_while_iterating", [(n, e) for n in (1, 2, 6, 40) for e in (0, 1000)])
    check(dicts, "delete_while_iterating", [(n,) for n in (0, 1, 2, 5)])
    check(dicts, "set_grow_while_iterating", [(n,) for n in (0, 1, 3)])


def test_values_of_lists_arrays_and_tuples(dicts):
    rng = random.Random(8)
    cases = [(ints(rng, n, 0, 6), np.array([rng.random() for _ in range(n)])) for n in (0, 1, 10, 400)]
    check(dicts, "groups", cases)
    g = dicts.compiled.groups(*cases[2])[1]
    assert all(isinstance(v, list) for v in g.values())
    got, ref = dicts.compiled.arrays(ints(rng, 50, 0, 7), 3), None
    for n in (0, 1, 50):
        keys = ints(rng, n, 0, 7)
        got, ref = dicts.compiled.arrays(keys, 3), dicts.reference.arrays(keys, 3)
        assert got[:2] == ref[:2]
        assert list(got[2]) == list(ref[2])
        assert all(np.array_equal(got[2][k], ref[2][k]) for k in ref[2])
    check(dicts, "tuple_values", [(ints(rng, n, -100, 100),) for n in (0, 1, 10, 200)])


def test_sets(dicts):
    rng = random.Random(9)
    cases = [(ints(rng, n, -9, 9), ints(rng, m, -9, 9)) for n in (0, 1, 5, 100) for m in (0, 3, 100)]
    check(dicts, "sets", cases)
    check(dicts, "set_from_list", [(ints(rng, n, -9, 9),) for n in (0, 1, 5, 1000)])
    check(dicts, "set_remove", [(ints(rng, n, -3, 3), k) for n in (0, 1, 20) for k in (-3, 0, 2, 7)])
    check(dicts, "set_pop_all", [(ints(rng, n, -50, 50),) for n in SIZES])
    check(dicts, "set_pop_empty", [(0,), (1,)])
    s = dicts.compiled.sets(np.arange(3), np.arange(2))[6]
    assert type(s) is set and s == {2, 3, 4}


def test_dicts_between_compiled_functions(dicts):
    rng = random.Random(10)
    check(dicts, "through_calls", [(ints(rng, n, -5, 5),) for n in (0, 1, 30)])


def test_errors_are_cpythons(dicts):
    c = dicts.compiled
    with pytest.raises(KeyError) as e:
        c.lookup(np.arange(3), 5)
    assert str(e.value) == "5" and e.value.args == (5,)
    with pytest.raises(KeyError) as e:
        c.lookup_tuple(2, 3)
    assert e.value.args == ((2, 3),)
    with pytest.raises(RuntimeError, match="^dictionary changed size during iteration$"):
        c.grow_while_iterating(4, 100)
    with pytest.raises(RuntimeError, match="^Set changed size during iteration$"):
        c.set_grow_while_iterating(2)
    with pytest.raises(KeyError, match="pop from an empty set"):
        c.set_pop_empty(0)


def test_dict_and_set_parameters(dicts):
    # Converted in; a dict or set the function changes is written back into
    # the caller's object (reflection, as lists), only when the call succeeds.
    rng = random.Random(11)
    for n in (0, 1, 5, 100):
        d = {rng.randint(-20, 20): rng.random() for _ in range(n)}
        assert dicts.compiled.weighted(dict(d)) == dicts.reference.weighted(dict(d))
        for k in (-20, 0, 3, 25):
            got, ref = dict(d), dict(d)
            assert dicts.compiled.bump(got, k) == dicts.reference.bump(ref, k)
            assert list(got.items()) == list(ref.items())
        s = {rng.randint(-5, 5) for _ in range(n)}
        for k in (-5, 0, 4, 9):
            got, ref = set(s), set(s)
            assert dicts.compiled.prune(got, k) == dicts.reference.prune(ref, k) and got == ref
    t = {(1, 2): 3, (4, 5): 6}
    check(dicts, "pairs_in", [(t, 1, 2), (t, 2, 1), ({}, 0, 0)])
    d = {1: 2.0}
    with pytest.raises(KeyError):
        dicts.compiled.bump_then_fail(d, 5)
    assert d == {1: 2.0}  # a failed call leaves the argument as it was
    for bad, message in (([1], "expected DictType(int64, float64), got list"),
                         ({1: "x"}, "but a value is str"), ({"a": 1.0}, "but a key is str"),
                         ({1.5: 1.0}, "but a key is float")):
        with pytest.raises(TypeError) as e:
            dicts.compiled.weighted(bad)
        assert message in str(e.value)
    with pytest.raises(TypeError, match="expected set"):
        dicts.compiled.prune([1], 1)


def test_print(dicts, capsys):
    for n in (0, 1, 5):
        dicts.compiled.show(n)
        got = capsys.readouterr().out
        dicts.reference.show(n)
        assert got == capsys.readouterr().out


PARALLEL = '''
import numpy as np
from pyaot import prange

def per_row(m, bad):
    # A dict per iteration of a parallel loop: made, used and dropped on
    # the pool's threads, a KeyError raised on one of them.
    out = np.zeros(m.shape[0])
    for i in prange(m.shape[0]):
        d = {}
        for j in range(m.shape[1]):
            k = m[i, j] % 5
            d[k] = d.get(k, 0.0) + 1.0
        if i == bad:
            out[i] = d[99]
        else:
            out[i] = len(d) * 10.0 + d.get(0, 0.0)
    return out
'''


def test_dicts_in_parallel_loops(compile_module):
    b = compile_module(PARALLEL, ["per_row=(int64[:, :], int64)"])
    rng = np.random.default_rng(12)
    cases = [(rng.integers(0, 100, s), -1) for s in [(0, 3), (1, 1), (7, 5), (3000, 9)]]
    cases += [(rng.integers(0, 100, (3000, 9)), bad) for bad in (0, 1500, 2999)]
    check(b, "per_row", cases)
