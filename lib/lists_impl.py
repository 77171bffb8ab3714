"""List methods and builtins over iterables, for compiled code, written once
in Python.

pyaot compiles these like the user's own functions, where they are called
and specialised for each call's argument types. The primitives (len,
indexing, append, pop, slices, insert) are compiled directly; what is made of
them is here. Results and errors follow CPython: `list.index` raises
"ValueError: 3 is not in list", `remove` "list.remove(x): x not in list".
`implements` names what each function stands for ("list.index" is the
method, "builtins.sum" the builtin).
"""
import _pyaot_intrinsics as _in

IMPLEMENTS = {}


def implements(*names):
    def register(func):
        for name in names:
            IMPLEMENTS[name] = func
        return func
    return register


def _clamp(i, n):
    """A slice bound as list.index reads it: negative from the end, then
    within [0, n]."""
    if i < 0:
        i += n
        if i < 0:
            i = 0
    if i > n:
        i = n
    return i


# ---- searching ---------------------------------------------------------------

@implements("list.index")
def list_index(self, x, start=0, stop=9223372036854775807):
    n = len(self)
    i = _clamp(start, n)
    stop = _clamp(stop, n)
    while i < stop:
        if self[i] == x:
            return i
        i += 1
    _in.not_in_list(x)
    return -1


@implements("list.count")
def list_count(self, x):
    c = 0
    for v in self:
        if v == x:
            c += 1
    return c


@implements("list.__contains__")
def list_contains(self, x):
    for v in self:
        if v == x:
            return True
    return False


@implements("list.__not_contains__")
def list_not_contains(self, x):
    return not list_contains(self, x)


@implements("list.remove")
def list_remove(self, x):
    n = len(self)
    for i in range(n):
        if self[i] == x:
            del self[i]
            return
    raise ValueError("list.remove(x): x not in list")


@implements("list.__eq__")
def list_eq(self, other):
    n = len(self)
    if n != len(other):
        return False
    for i in range(n):
        if not (self[i] == other[i]):
            return False
    return True


@implements("list.__ne__")
def list_ne(self, other):
    return not list_eq(self, other)


# ---- building ------------------------------------------------------------------

@implements("list.extend")
def list_extend(self, iterable):
    for v in iterable:
        self.append(v)


@implements("list.__add__")
def list_add(self, other):
    r = self.copy()
    r.extend(other)
    return r


@implements("builtins.list")
def list_of(iterable):
    r = []
    for v in iterable:
        r.append(v)
    return r


# ---- sorting -------------------------------------------------------------------
# A stable merge sort over `<` only, as list.sort compares: runs of 16 by
# insertion, then merges through one scratch list. Descending order keeps
# equal items in their order, as CPython's reverse=True does.

def _before(x, y, reverse):
    if reverse:
        return y < x
    return x < y


def _insertion_sort(a, lo, hi, reverse):
    for i in range(lo + 1, hi):
        v = a[i]
        j = i - 1
        while j >= lo and _before(v, a[j], reverse):
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v


def _merge_sort(a, reverse):
    n = len(a)
    run = 16
    lo = 0
    while lo < n:
        _insertion_sort(a, lo, min(lo + run, n), reverse)
        lo += run
    if n <= run:
        return
    tmp = a.copy()
    width = run
    src = a
    dst = tmp
    in_a = True  # src is a
    while width < n:
        lo = 0
        while lo < n:
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                if _before(src[j], src[i], reverse):
                    dst[k] = src[j]
                    j += 1
                else:
                    dst[k] = src[i]
                    i += 1
                k += 1
            while i < mid:
                dst[k] = src[i]
                i += 1
                k += 1
            while j < hi:
                dst[k] = src[j]
                j += 1
                k += 1
            lo += 2 * width
        t = src
        src = dst
        dst = t
        in_a = not in_a
        width *= 2
    if not in_a:
        for i in range(n):
            a[i] = src[i]


@implements("list.sort")
def list_sort(self, reverse=False):
    _merge_sort(self, reverse)


@implements("builtins.sorted")
def sorted_(iterable, reverse=False):
    r = list_of(iterable)
    _merge_sort(r, reverse)
    return r


# ---- reductions ------------------------------------------------------------------

@implements("builtins.sum")
def sum_(iterable, start=0):
    s = start
    for v in iterable:
        s = s + v
    return s


@implements("builtins.any")
def any_(iterable):
    for v in iterable:
        if v:
            return True
    return False


@implements("builtins.all")
def all_(iterable):
    for v in iterable:
        if not v:
            return False
    return True


@implements("list.__min__")
def list_min(a):
    n = len(a)
    if n == 0:
        raise ValueError("min() arg is an empty sequence")
    m = a[0]
    for i in range(1, n):
        v = a[i]
        if v < m:
            m = v
    return m


@implements("list.__max__")
def list_max(a):
    n = len(a)
    if n == 0:
        raise ValueError("max() arg is an empty sequence")
    m = a[0]
    for i in range(1, n):
        v = a[i]
        if v > m:
            m = v
    return m
