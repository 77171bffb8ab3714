"""numpy's functions for compiled code, written once in Python.

pyaot compiles these like the user's own functions, where they are called
and specialised for each call's argument types and constant arguments: a
branch on `axis is None`, `keepdims` or `a.ndim == 1` is decided at compile
time and only the branch taken is compiled. C keeps the primitives (whole-
array loops and reductions, allocation, views); this file builds numpy's
library on them. `implements` names the numpy functions and array methods
each one stands for. Results follow numpy 1.24: values, dtypes, errors.

Errors found in this code are reported at the user's call ("np.cumsum: ...");
`_in.compile_error` makes one on purpose for calls that cannot work.
"""
import numpy as np

import _pyaot_intrinsics as _in

IMPLEMENTS = {}


def implements(*names):
    def register(func):
        for name in names:
            IMPLEMENTS[name] = func
        return func
    return register


# ---- arguments ------------------------------------------------------------------

def _axis(axis, ndim):
    """axis as an index in range(ndim) (numpy's AxisError otherwise)."""
    if axis < -ndim or axis >= ndim:
        _in.axis_error(axis, ndim)
    if axis < 0:
        return axis + ndim
    return axis


def _unsupported(value, what):
    if value is not None:
        _in.compile_error("%s is not supported yet", what)


# ---- reductions ----------------------------------------------------------------------
# numpy reduces along an axis in one of two orders: when the axis is the one
# the items lie closest together along, each result adds its run of items
# (pairwise for floats, as a whole-array sum); otherwise results grow one
# slice at a time. Both are kept, so float results match numpy's bits.

def _rows(a, k):
    """a with axis k last, as a 2-D array of its runs along k."""
    b = _in.move_axis_last(a, k)
    m = 1
    for d in _in.shape_without(a.shape, k):
        m *= d
    return b.reshape(m, a.shape[k])


def _reduce_sum(a, k):
    b = _in.move_axis_last(a, k)
    n = a.shape[k]
    out_shape = _in.shape_without(a.shape, k)
    if _in.innermost_axis(a) == k:
        rows = _rows(a, k)
        out = np.full(rows.shape[0], np.sum(rows[:0]))
        for i in range(rows.shape[0]):
            out[i] = np.sum(rows[i])
        return out.reshape(out_shape)
    out = np.full(out_shape, np.sum(b[..., :0]))
    for i in range(n):
        out += b[..., i]
    return out


def _reduce_prod(a, k):
    b = _in.move_axis_last(a, k)
    n = a.shape[k]
    out = np.full(_in.shape_without(a.shape, k), np.prod(b[..., :0]))
    for i in range(n):
        out *= b[..., i]
    return out


def _reduce_extreme(a, k, largest):
    b = _in.move_axis_last(a, k)
    n = a.shape[k]
    if n == 0:
        if largest:
            raise ValueError("zero-size array to reduction operation maximum which has no identity")
        raise ValueError("zero-size array to reduction operation minimum which has no identity")
    out = b[..., 0].copy()
    for i in range(1, n):
        if largest:
            np.maximum(out, b[..., i], out=out)
        else:
            np.minimum(out, b[..., i], out=out)
    return out


def _keep(r, a, k, keepdims):
    if keepdims:
        return r.reshape(_in.shape_with(a.shape, k, 1))
    return r


@implements("numpy.sum", "ndarray.sum")
def sum(a, axis=None, dtype=None, out=None, keepdims=False):
    _unsupported(dtype, "dtype=")
    _unsupported(out, "out=")
    if axis is None:
        if keepdims:
            return np.full(_ones_shape(a), np.sum(a))
        return np.sum(a)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        if keepdims:
            return np.full(1, np.sum(a))
        return np.sum(a)
    return _keep(_reduce_sum(a, k), a, k, keepdims)


@implements("numpy.prod", "ndarray.prod")
def prod(a, axis=None, dtype=None, out=None, keepdims=False):
    _unsupported(dtype, "dtype=")
    _unsupported(out, "out=")
    if axis is None:
        if keepdims:
            return np.full(_ones_shape(a), np.prod(a))
        return np.prod(a)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        if keepdims:
            return np.full(1, np.prod(a))
        return np.prod(a)
    return _keep(_reduce_prod(a, k), a, k, keepdims)


@implements("numpy.mean", "ndarray.mean")
def mean(a, axis=None, dtype=None, out=None, keepdims=False):
    _unsupported(dtype, "dtype=")
    _unsupported(out, "out=")
    if axis is None:
        if keepdims:
            return np.full(_ones_shape(a), np.mean(a))
        return np.mean(a)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        if keepdims:
            return np.full(1, np.mean(a))
        return np.mean(a)
    s = _reduce_sum(a, k)
    r = s / a.shape[k]
    if a.dtype == np.float32:
        r = r.astype(np.float32)
    return _keep(r, a, k, keepdims)


@implements("numpy.max", "numpy.amax", "ndarray.max")
def amax(a, axis=None, out=None, keepdims=False):
    _unsupported(out, "out=")
    if axis is None:
        if keepdims:
            return np.full(_ones_shape(a), np.max(a))
        return np.max(a)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        if keepdims:
            return np.full(1, np.max(a))
        return np.max(a)
    return _keep(_reduce_extreme(a, k, True), a, k, keepdims)


@implements("numpy.min", "numpy.amin", "ndarray.min")
def amin(a, axis=None, out=None, keepdims=False):
    _unsupported(out, "out=")
    if axis is None:
        if keepdims:
            return np.full(_ones_shape(a), np.min(a))
        return np.min(a)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        if keepdims:
            return np.full(1, np.min(a))
        return np.min(a)
    return _keep(_reduce_extreme(a, k, False), a, k, keepdims)


def _ones_shape(a):
    """a's shape with every axis 1: a whole reduction's shape, kept."""
    s = a.shape
    for j in range(a.ndim):
        s = _in.shape_with(s, j, 1)
    return s


@implements("numpy.ptp", "ndarray.ptp")
def ptp(a, axis=None, out=None, keepdims=False):
    _unsupported(out, "out=")
    return amax(a, axis, None, keepdims) - amin(a, axis, None, keepdims)


# ---- where the extreme is ---------------------------------------------------------

def _argextreme_flat(a, largest):
    """The first index of the largest (smallest) item in C order; a NaN
    is the extreme, as in numpy."""
    flat = a.ravel()
    n = flat.shape[0]
    if n == 0:
        if largest:
            raise ValueError("attempt to get argmax of an empty sequence")
        raise ValueError("attempt to get argmin of an empty sequence")
    best = flat[0]
    at = 0
    if best != best:
        return 0
    for i in range(1, n):
        x = flat[i]
        if x != x:
            return i
        if largest:
            if x > best:
                best = x
                at = i
        else:
            if x < best:
                best = x
                at = i
    return at


@implements("numpy.argmax", "ndarray.argmax")
def argmax(a, axis=None, out=None, keepdims=False):
    _unsupported(out, "out=")
    if axis is None:
        return _argextreme_flat(a, True)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return _argextreme_flat(a, True)
    rows = _rows(a, k)
    out = np.empty(rows.shape[0], dtype=np.int64)
    for i in range(rows.shape[0]):
        out[i] = _argextreme_flat(rows[i], True)
    return _keep(out.reshape(_in.shape_without(a.shape, k)), a, k, keepdims)


@implements("numpy.argmin", "ndarray.argmin")
def argmin(a, axis=None, out=None, keepdims=False):
    _unsupported(out, "out=")
    if axis is None:
        return _argextreme_flat(a, False)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return _argextreme_flat(a, False)
    rows = _rows(a, k)
    out = np.empty(rows.shape[0], dtype=np.int64)
    for i in range(rows.shape[0]):
        out[i] = _argextreme_flat(rows[i], False)
    return _keep(out.reshape(_in.shape_without(a.shape, k)), a, k, keepdims)


# ---- truth ----------------------------------------------------------------------------

def _any_flat(a):
    flat = a.ravel()
    for i in range(flat.shape[0]):
        if flat[i] != 0:
            return True
    return False


def _all_flat(a):
    flat = a.ravel()
    for i in range(flat.shape[0]):
        if flat[i] == 0:
            return False
    return True


@implements("numpy.any", "ndarray.any")
def any(a, axis=None, out=None, keepdims=False):
    _unsupported(out, "out=")
    if axis is None:
        return _any_flat(a)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return _any_flat(a)
    rows = _rows(a, k)
    out = np.empty(rows.shape[0], dtype=np.bool_)
    for i in range(rows.shape[0]):
        out[i] = _any_flat(rows[i])
    return _keep(out.reshape(_in.shape_without(a.shape, k)), a, k, keepdims)


@implements("numpy.all", "ndarray.all")
def all(a, axis=None, out=None, keepdims=False):
    _unsupported(out, "out=")
    if axis is None:
        return _all_flat(a)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return _all_flat(a)
    rows = _rows(a, k)
    out = np.empty(rows.shape[0], dtype=np.bool_)
    for i in range(rows.shape[0]):
        out[i] = _all_flat(rows[i])
    return _keep(out.reshape(_in.shape_without(a.shape, k)), a, k, keepdims)


@implements("numpy.count_nonzero")
def count_nonzero(a, axis=None, keepdims=False):
    if axis is None:
        return np.sum(a != 0)
    return sum(a != 0, axis, None, None, keepdims)


# ---- running sums ------------------------------------------------------------------------

def _cumulate_flat(a, product):
    flat = a.ravel()
    n = flat.shape[0]
    out = np.full(n, np.sum(flat[:0]))
    if product:
        out = np.full(n, np.prod(flat[:0]))
    if n == 0:
        return out
    acc = out[0]
    for i in range(n):
        if product:
            acc = acc * flat[i]
        else:
            acc = acc + flat[i]
        out[i] = acc
    return out


def _cumulate_axis(a, k, product):
    b = _in.move_axis_last(a, k)
    n = a.shape[k]
    if product:
        out = np.full(a.shape, np.prod(a[..., :0]))
    else:
        out = np.full(a.shape, np.sum(a[..., :0]))
    ob = _in.move_axis_last(out, k)
    if n == 0:
        return out
    ob[..., 0] = b[..., 0]
    for i in range(1, n):
        if product:
            ob[..., i] = ob[..., i - 1] * b[..., i]
        else:
            ob[..., i] = ob[..., i - 1] + b[..., i]
    return out


@implements("numpy.cumsum", "ndarray.cumsum")
def cumsum(a, axis=None, dtype=None, out=None):
    _unsupported(dtype, "dtype=")
    _unsupported(out, "out=")
    if axis is None:
        return _cumulate_flat(a, False)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return _cumulate_flat(a, False)
    return _cumulate_axis(a, k, False)


@implements("numpy.cumprod", "ndarray.cumprod")
def cumprod(a, axis=None, dtype=None, out=None):
    _unsupported(dtype, "dtype=")
    _unsupported(out, "out=")
    if axis is None:
        return _cumulate_flat(a, True)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return _cumulate_flat(a, True)
    return _cumulate_axis(a, k, True)


@implements("numpy.diff")
def diff(a, n=1, axis=-1):
    if n < 0:
        raise ValueError("order must be non-negative but got a negative order")
    k = _axis(axis, a.ndim)
    b = _in.move_axis_last(a, k)
    r = b.copy()
    for _ in range(n):
        if r.shape[r.ndim - 1] == 0:
            break
        r = r[..., 1:] - r[..., :-1]
    if a.ndim == 1:
        return r
    return _move_last_back(r, k)


def _move_last_back(r, k):
    """The inverse of move_axis_last(a, k): a copy with the last axis at k."""
    out = np.empty(_insert_axis_shape(r.shape, k), dtype=r.dtype)
    ob = _in.move_axis_last(out, k)
    ob[...] = r
    return out


def _insert_axis_shape(shape, k):
    """shape with its last item moved to position k (the inverse move)."""
    n = len(shape)
    last = shape[n - 1]
    moved = _in.shape_with(shape, 0, shape[0])
    for j in range(n - 1, k, -1):
        moved = _in.shape_with(moved, j, shape[j - 1])
    return _in.shape_with(moved, k, last)


# ---- spread -------------------------------------------------------------------------------

@implements("numpy.var", "ndarray.var")
def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    _unsupported(dtype, "dtype=")
    _unsupported(out, "out=")
    if axis is None:
        m = np.mean(a)
        d = a - m
        n = max(a.size - ddof, 0)  # numpy: no negative counts
        if a.dtype == np.float32:  # divided in float32, as numpy does
            return np.sum(d * d) / np.float32(n)
        return np.sum(d * d) / n
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return var(a, None, None, None, ddof, False)
    m = mean(a, k, None, None, True)
    d = a - m
    s = _reduce_sum(d * d, k) / max(a.shape[k] - ddof, 0)
    if a.dtype == np.float32:
        s = s.astype(np.float32)
    return _keep(s, a, k, keepdims)


@implements("numpy.std", "ndarray.std")
def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return np.sqrt(var(a, axis, dtype, out, ddof, keepdims))


# ---- products ------------------------------------------------------------------------------

_MATMUL_MISMATCH = ("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                    "(n?,k),(k,m?)->(n?,m?) (size %d is different from %d)")


def _check_aligned(a, b, as_matmul):
    """numpy's ValueError when a's last axis and b's first differ."""
    n, m = a.shape[a.ndim - 1], b.shape[0]
    if n == m:
        return
    # (value_error raises, but the compiler does not know: one branch each.)
    if as_matmul:
        _in.value_error(_MATMUL_MISMATCH, m, n)
    elif a.ndim == 1 and b.ndim == 1:
        _in.value_error("shapes (%d,) and (%d,) not aligned: %d (dim 0) != %d (dim 0)", n, m, n, m)
    elif a.ndim == 1:
        _in.value_error("shapes (%d,) and (%d,%d) not aligned: %d (dim 0) != %d (dim 0)", n, m, b.shape[1], n, m)
    elif b.ndim == 1:
        _in.value_error("shapes (%d,%d) and (%d,) not aligned: %d (dim 1) != %d (dim 0)", a.shape[0], n, m, n, m)
    else:
        _in.value_error("shapes (%d,%d) and (%d,%d) not aligned: %d (dim 1) != %d (dim 0)", a.shape[0], n, m,
                        b.shape[1], n, m)


def _matmul_mm(a, b):
    n, m, p = a.shape[0], a.shape[1], b.shape[1]
    out = np.zeros((n, p), dtype=(a[:0, :0] * b[:0, :0]).dtype)
    for i in range(n):
        row = out[i]
        for k in range(m):
            row += a[i, k] * b[k]
    return out


def _matmul_mv(a, v):
    out = np.zeros(a.shape[0], dtype=(a[:0, :0] * v[:0]).dtype)
    for i in range(a.shape[0]):
        out[i] = np.sum(a[i] * v)
    return out


def _matmul_vm(v, b):
    out = np.zeros(b.shape[1], dtype=(v[:0] * b[:0, :0]).dtype)
    for k in range(v.shape[0]):
        out += v[k] * b[k]
    return out


def _product(a, b, as_matmul):
    _check_aligned(a, b, as_matmul)
    if a.ndim == 1 and b.ndim == 1:
        return np.sum(a * b)
    if a.ndim == 2 and b.ndim == 2:
        return _matmul_mm(a, b)
    if a.ndim == 2 and b.ndim == 1:
        return _matmul_mv(a, b)
    if a.ndim == 1 and b.ndim == 2:
        return _matmul_vm(a, b)
    _in.compile_error("products of arrays of %d and %d dimensions are not supported yet", a.ndim, b.ndim)


@implements("numpy.dot", "ndarray.dot")
def dot(a, b, out=None):
    _unsupported(out, "out=")
    return _product(a, b, False)


@implements("numpy.matmul")
def matmul(a, b):
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
        _in.compile_error("@ (matmul) needs arrays, not numbers")
    return _product(a, b, True)


@implements("numpy.vdot")
def vdot(a, b):
    return _product(np.conj(a.ravel()), b.ravel(), False)


@implements("numpy.inner")
def inner(a, b):
    return dot(a, b)


@implements("numpy.outer")
def outer(a, b):
    x = a.ravel()
    y = b.ravel()
    return x.reshape(-1, 1) * y.reshape(1, -1)


@implements("numpy.trace", "ndarray.trace")
def trace(a):
    n = min(a.shape[0], a.shape[1])
    s = np.sum(a[:0, :0])
    for i in range(n):
        s += a[i, i]
    return s


# ---- building -------------------------------------------------------------------------------

@implements("numpy.eye")
def eye(N, M=None, k=0, dtype=None):
    if M is None:
        cols = N
    else:
        cols = M
    if dtype is None:
        out = np.zeros((N, cols))
    else:
        out = np.zeros((N, cols), dtype=dtype)
    for i in range(N):
        j = i + k
        if j >= 0 and j < cols:
            out[i, j] = 1
    return out


@implements("numpy.identity")
def identity(n, dtype=None):
    return eye(n, None, 0, dtype)


@implements("numpy.diag")
def diag(v, k=0):
    if v.ndim == 1:
        n = v.shape[0] + (k if k > 0 else -k)
        out = np.zeros((n, n), dtype=v.dtype)
        for i in range(v.shape[0]):
            if k >= 0:
                out[i, i + k] = v[i]
            else:
                out[i - k, i] = v[i]
        return out
    rows, cols = v.shape[0], v.shape[1]
    if k >= 0:
        n = max(0, min(rows, cols - k))
    else:
        n = max(0, min(rows + k, cols))
    out = np.empty(n, dtype=v.dtype)
    for i in range(n):
        if k >= 0:
            out[i] = v[i, i + k]
        else:
            out[i] = v[i - k, i]
    return out


def _concat_shape(first, total, k):
    return _in.shape_with(first.shape, k, total)


@implements("numpy.concatenate")
def concatenate(arrays, axis=0):
    first = arrays[0]
    k = _axis(axis, first.ndim)
    total = 0
    for x in arrays:
        total += x.shape[k]
    out = np.empty(_concat_shape(first, total, k), dtype=first.dtype)
    ob = _in.move_axis_last(out, k)
    at = 0
    for x in arrays:
        if x.ndim != first.ndim:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        n = x.shape[k]
        ob[..., at:at + n] = _in.move_axis_last(x, k)
        at += n
    return out


@implements("numpy.stack")
def stack(arrays, axis=0):
    first = arrays[0]
    n = len(arrays)
    k = _axis(axis, first.ndim + 1)
    out = np.empty(_stack_shape(first, n, k), dtype=first.dtype)
    ob = _in.move_axis_last(out, k)
    i = 0
    for x in arrays:
        if x.shape != first.shape:
            raise ValueError("all input arrays must have the same shape")
        ob[..., i] = x
        i += 1
    return out


def _stack_shape(first, n, k):
    grown = _in.shape_with(first.shape + (1,), 0, first.shape[0] if first.ndim > 0 else 1)
    return _insert_axis_shape(_in.shape_with(grown, first.ndim, n), k)


@implements("numpy.vstack")
def vstack(arrays):
    if arrays[0].ndim == 1:
        return stack(arrays, 0)
    return concatenate(arrays, 0)


@implements("numpy.hstack")
def hstack(arrays):
    if arrays[0].ndim == 1:
        return concatenate(arrays, 0)
    return concatenate(arrays, 1)


@implements("numpy.flip")
def flip(m, axis=None):
    if axis is None:
        if m.ndim == 1:
            return m[::-1]
        if m.ndim == 2:
            return m[::-1, ::-1]
        _in.compile_error("np.flip of a %d-dimensional array without axis is not supported yet", m.ndim)
    k = _axis(axis, m.ndim)
    if m.ndim == 1:
        return m[::-1]
    if k == 0:
        return m[::-1]
    if m.ndim == 2:
        return m[:, ::-1]
    _in.compile_error("np.flip along an inner axis of a %d-dimensional array is not supported yet", m.ndim)


@implements("numpy.fliplr")
def fliplr(m):
    return m[:, ::-1]


@implements("numpy.flipud")
def flipud(m):
    return m[::-1]


# ---- sorting --------------------------------------------------------------------------------
# numpy puts NaN last; equal items keep their order (a stable merge sort),
# which is numpy's answer whenever the items differ.

def _before(x, y):
    """x sorts before y: NaN after everything."""
    if y != y:
        return x == x
    return x < y


def _merge_sort_indices(v, idx, tmp, lo, hi):
    if hi - lo < 16:
        for i in range(lo + 1, hi):
            j = i
            cur = idx[i]
            while j > lo and _before(v[cur], v[idx[j - 1]]):
                idx[j] = idx[j - 1]
                j -= 1
            idx[j] = cur
        return
    mid = (lo + hi) // 2
    _merge_sort_indices(v, idx, tmp, lo, mid)
    _merge_sort_indices(v, idx, tmp, mid, hi)
    i, j, k = lo, mid, lo
    while i < mid and j < hi:
        if _before(v[idx[j]], v[idx[i]]):
            tmp[k] = idx[j]
            j += 1
        else:
            tmp[k] = idx[i]
            i += 1
        k += 1
    while i < mid:
        tmp[k] = idx[i]
        i += 1
        k += 1
    while j < hi:
        tmp[k] = idx[j]
        j += 1
        k += 1
    idx[lo:hi] = tmp[lo:hi]


def _argsort_1d(v):
    n = v.shape[0]
    idx = np.arange(n)
    tmp = np.empty(n, dtype=np.int64)
    _merge_sort_indices(v, idx, tmp, 0, n)
    return idx


@implements("numpy.argsort", "ndarray.argsort")
def argsort(a, axis=-1, kind=None, order=None):
    _unsupported(order, "order=")
    if a.ndim == 1:
        return _argsort_1d(a)
    k = _axis(axis, a.ndim)
    if k != a.ndim - 1:
        _in.compile_error("argsort along an axis other than the last is not supported yet")
    rows = _rows(a, k)
    out = np.empty(rows.shape, dtype=np.int64)
    for i in range(rows.shape[0]):
        out[i] = _argsort_1d(rows[i])
    return out.reshape(a.shape)


@implements("numpy.sort")
def sort(a, axis=-1, kind=None, order=None):
    _unsupported(order, "order=")
    if a.ndim == 1:
        return a[_argsort_1d(a)]
    k = _axis(axis, a.ndim)
    if k != a.ndim - 1:
        _in.compile_error("sort along an axis other than the last is not supported yet")
    rows = _rows(a, k)
    out = np.empty(rows.shape, dtype=a.dtype)
    for i in range(rows.shape[0]):
        out[i] = rows[i][_argsort_1d(rows[i])]
    return out.reshape(a.shape)


@implements("ndarray.sort")
def sort_in_place(a, axis=-1, kind=None, order=None):
    a[...] = sort(a, axis, kind, order)


@implements("numpy.searchsorted", "ndarray.searchsorted")
def searchsorted(a, v, side="left", sorter=None):
    _unsupported(sorter, "sorter=")
    n = a.shape[0]
    lo = 0
    hi = n
    while lo < hi:
        mid = (lo + hi) // 2
        if side == "left":
            if a[mid] < v:
                lo = mid + 1
            else:
                hi = mid
        else:
            if a[mid] <= v:
                lo = mid + 1
            else:
                hi = mid
    return lo
