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


def _axes_descending(axes, ndim):
    """A tuple of axes as indices in range(ndim), largest first, with numpy's
    errors for one out of range or repeated."""
    out = axes
    for j in range(len(axes)):
        out = _in.shape_with(out, j, _axis(axes[j], ndim))
    for j in range(len(out)):
        best = j
        for k in range(j + 1, len(out)):
            if out[k] > out[best]:
                best = k
        if best != j:
            t = out[j]
            out = _in.shape_with(out, j, out[best])
            out = _in.shape_with(out, best, t)
    for j in range(len(out) - 1):
        if out[j] == out[j + 1]:
            raise ValueError("duplicate value in 'axis'")
    return out


def _reduce_axes(reduce, a, axes, i):
    """reduce(a, axis) over axes[i], axes[i + 1], ...: largest first, so the
    axes still to go keep their numbers. Each level is its own copy (i is a
    constant), as the rank drops by one per level."""
    if i == len(axes):
        return a
    return _reduce_axes(reduce, reduce(a, axes[i]), axes, i + 1)


def _over_axes(reduce, a, axis, keepdims):
    """reduce over a tuple of axes (the numpy reductions' axis=(0, 2)).
    Float sums regroup the additions: within rounding of numpy's, not equal
    to the bit as one axis is."""
    if len(axis) == 0:
        _in.compile_error("axis=() is not supported yet")
    axes = _axes_descending(axis, a.ndim)
    r = _reduce_axes(reduce, a, axes, 0)
    if not keepdims:
        return r
    shape = a.shape
    for j in range(len(axes)):
        shape = _in.shape_with(shape, axes[j], 1)
    if isinstance(r, np.ndarray):
        return r.reshape(shape)
    return np.full(shape, r)


def _items_over_axes(a, axes):
    """How many items of a each reduction over a tuple of axes combines."""
    n = 1
    for j in range(len(axes)):
        n *= a.shape[_axis(axes[j], a.ndim)]
    return n


def _mean_dtype(r, a):
    """A mean (or variance) computed in float64 in numpy's dtype for a:
    float32 stays float32."""
    if a.dtype != np.float32:
        return r
    if isinstance(r, np.ndarray):
        return r.astype(np.float32)
    return np.float32(r)


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
    if isinstance(axis, tuple):
        return _over_axes(sum, a, axis, keepdims)
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
    if isinstance(axis, tuple):
        return _over_axes(prod, a, axis, keepdims)
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
    if isinstance(axis, tuple):
        return _mean_dtype(_over_axes(sum, a, axis, keepdims) / _items_over_axes(a, axis), a)
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
    if isinstance(axis, tuple):
        return _over_axes(amax, a, axis, keepdims)
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
    if isinstance(axis, tuple):
        return _over_axes(amin, a, axis, keepdims)
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
    if isinstance(axis, tuple):
        return _over_axes(any, a, axis, keepdims)
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
    if isinstance(axis, tuple):
        return _over_axes(all, a, axis, keepdims)
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
    if isinstance(axis, tuple):
        d = a - mean(a, axis, None, None, True)
        return _mean_dtype(_over_axes(sum, d * d, axis, keepdims) / max(_items_over_axes(a, axis) - ddof, 0), a)
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


# From about this many multiply-adds on, BLAS (numpy's own call) beats a
# compiled loop, call overhead and copies included.
_BLAS_WORK = 48 * 48 * 48


def _product(a, b, as_matmul):
    _check_aligned(a, b, as_matmul)
    if a.ndim == 1 and b.ndim == 1:
        return np.sum(a * b)
    if a.ndim == 2 and b.ndim == 2:
        dt = _in.result_dtype((a, b))
        if dt == _in.float_dtype((a, b)) and a.dtype == b.dtype:
            if a.shape[0] * a.shape[1] * b.shape[1] >= _BLAS_WORK:
                return _in.numpy_call("numpy", "dot", (dt, 2), a, b)
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


def _common_dtype(arrays):
    """The arrays with numpy's result dtype of them all (converted where
    theirs differs), as a tuple that can be looped over."""
    return _converted_from(arrays, _in.result_dtype(arrays), 0)


def _converted_from(arrays, dt, i):
    # i is a constant in each copy: arrays[i] may differ in type from the rest.
    x = np.asarray(arrays[i], dtype=dt)
    if i == len(arrays) - 1:
        return (x,)
    return (x,) + _converted_from(arrays, dt, i + 1)


def _concat_shape(first, total, k):
    return _in.shape_with(first.shape, k, total)


@implements("numpy.concatenate")
def concatenate(arrays, axis=0):
    arrays = _common_dtype(arrays)
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
    arrays = _common_dtype(arrays)
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


# Sorting values (not indices) compares items directly: an introsort, as
# numpy's default, after moving NaNs to the end so the rest compares with <.

def _nans_last(v):
    """Moves v's NaNs to its end; returns how many items are not NaN."""
    hi = v.shape[0]
    if v.dtype != _in.float_dtype(v):
        return hi  # integers and bools have no NaN
    i = 0
    while i < hi:
        if v[i] != v[i]:
            hi -= 1
            t = v[i]
            v[i] = v[hi]
            v[hi] = t
        else:
            i += 1
    return hi


def _insertion_sort(v, lo, hi):
    for i in range(lo + 1, hi):
        x = v[i]
        j = i
        while j > lo and x < v[j - 1]:
            v[j] = v[j - 1]
            j -= 1
        v[j] = x


def _sift_down(v, lo, root, n):
    x = v[lo + root]
    while True:
        child = 2 * root + 1
        if child >= n:
            break
        if child + 1 < n and v[lo + child] < v[lo + child + 1]:
            child += 1
        if not (x < v[lo + child]):
            break
        v[lo + root] = v[lo + child]
        root = child
    v[lo + root] = x


def _heap_sort(v, lo, hi):
    n = hi - lo
    for root in range(n // 2 - 1, -1, -1):
        _sift_down(v, lo, root, n)
    for end in range(n - 1, 0, -1):
        t = v[lo]
        v[lo] = v[lo + end]
        v[lo + end] = t
        _sift_down(v, lo, 0, end)


def _partition(v, lo, hi):
    """Hoare partition of v[lo:hi] around a median of three; returns p with
    v[lo:p] <= pivot <= v[p:hi], both parts non-empty."""
    mid = lo + (hi - lo) // 2
    if v[mid] < v[lo]:
        t = v[mid]
        v[mid] = v[lo]
        v[lo] = t
    if v[hi - 1] < v[mid]:
        t = v[hi - 1]
        v[hi - 1] = v[mid]
        v[mid] = t
        if v[mid] < v[lo]:
            t = v[mid]
            v[mid] = v[lo]
            v[lo] = t
    pivot = v[mid]
    i = lo - 1
    j = hi
    while True:
        i += 1
        while v[i] < pivot:
            i += 1
        j -= 1
        while pivot < v[j]:
            j -= 1
        if i >= j:
            return j + 1
        t = v[i]
        v[i] = v[j]
        v[j] = t


def _introsort(v, lo, hi, depth):
    while hi - lo > 16:
        if depth == 0:
            _heap_sort(v, lo, hi)
            return
        depth -= 1
        p = _partition(v, lo, hi)
        # The smaller side by recursion, the larger by the loop: log n deep.
        if p - lo < hi - p:
            _introsort(v, lo, p, depth)
            lo = p
        else:
            _introsort(v, p, hi, depth)
            hi = p
    _insertion_sort(v, lo, hi)


def _sort_in_place(v):
    n = _nans_last(v)
    depth = 0
    m = n
    while m > 1:
        depth += 2
        m //= 2
    _introsort(v, 0, n, depth)


@implements("numpy.sort")
def sort(a, axis=-1, kind=None, order=None):
    _unsupported(order, "order=")
    if a.ndim == 1:
        out = a.copy()
        _sort_in_place(out)
        return out
    k = _axis(axis, a.ndim)
    if k != a.ndim - 1:
        _in.compile_error("sort along an axis other than the last is not supported yet")
    out = a.copy()  # C-contiguous: its rows are views
    rows = _rows(out, k)
    for i in range(rows.shape[0]):
        _sort_in_place(rows[i])
    return out


@implements("ndarray.sort")
def sort_in_place(a, axis=-1, kind=None, order=None):
    a[...] = sort(a, axis, kind, order)


@implements("numpy.searchsorted", "ndarray.searchsorted")
def searchsorted(a, v, side="left", sorter=None):
    _unsupported(sorter, "sorter=")
    if isinstance(v, np.ndarray):
        out = np.empty(v.shape, dtype=np.int64)
        flat = out.ravel()
        values = v.ravel()
        for i in range(values.shape[0]):
            flat[i] = _search_one(a, values[i], side)
        return out
    return _search_one(a, v, side)


def _search_one(a, v, side):
    lo = 0
    hi = a.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        # NaN sorts last, as numpy orders it.
        if side == "left":
            if _before(a[mid], v):
                lo = mid + 1
            else:
                hi = mid
        else:
            if not _before(v, a[mid]):
                lo = mid + 1
            else:
                hi = mid
    return lo


# ---- NaN-aware reductions ----------------------------------------------------------------

@implements("numpy.nansum")
def nansum(a, axis=None, keepdims=False):
    return sum(np.where(np.isnan(a), 0, a), axis, None, None, keepdims)


@implements("numpy.nanmean")
def nanmean(a, axis=None, keepdims=False):
    counts = sum(~np.isnan(a), axis, None, None, keepdims)
    return nansum(a, axis, keepdims) / counts


def _nan_extreme_flat(a, largest):
    flat = a.ravel()
    found = False
    best = np.sum(flat[:0]) * 1.0
    for i in range(flat.shape[0]):
        x = flat[i]
        if x == x:
            if not found or (largest and x > best) or (not largest and x < best):
                best = x
                found = True
    if not found:
        return np.nan
    return best


@implements("numpy.nanmax")
def nanmax(a, axis=None, keepdims=False):
    if axis is None:
        return _nan_extreme_flat(a, True)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return _nan_extreme_flat(a, True)
    rows = _rows(a, k)
    out = np.empty(rows.shape[0], dtype=a.dtype)
    for i in range(rows.shape[0]):
        out[i] = _nan_extreme_flat(rows[i], True)
    return _keep(out.reshape(_in.shape_without(a.shape, k)), a, k, keepdims)


@implements("numpy.nanmin")
def nanmin(a, axis=None, keepdims=False):
    if axis is None:
        return _nan_extreme_flat(a, False)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return _nan_extreme_flat(a, False)
    rows = _rows(a, k)
    out = np.empty(rows.shape[0], dtype=a.dtype)
    for i in range(rows.shape[0]):
        out[i] = _nan_extreme_flat(rows[i], False)
    return _keep(out.reshape(_in.shape_without(a.shape, k)), a, k, keepdims)


# ---- order statistics ------------------------------------------------------------------------

def _select(v, lo, hi, k):
    """Reorders v[lo:hi] so that v[k] is the item a sort would put there,
    with nothing larger before it (quickselect, a heap sort if unlucky)."""
    depth = 64
    while hi - lo > 16:
        if depth == 0:
            _heap_sort(v, lo, hi)
            return
        depth -= 1
        p = _partition(v, lo, hi)
        if k < p:
            hi = p
        else:
            lo = p
    _insertion_sort(v, lo, hi)


def _median_flat(a):
    s = a.flatten()
    n = s.shape[0]
    if n == 0:
        return np.nan
    m = _nans_last(s)
    if m < n:  # a NaN makes the median NaN
        return s[m] * 1.0
    half = n // 2
    _select(s, 0, n, half)
    if n % 2 == 1:
        return s[half] * 1.0
    # The item before the middle is the largest of those below it.
    j = half - 1
    for i in range(half - 1):
        if s[j] < s[i]:
            j = i
    t = s[j]
    s[j] = s[half - 1]
    s[half - 1] = t
    return np.mean(s[half - 1:half + 1])


@implements("numpy.median")
def median(a, axis=None, keepdims=False):
    if axis is None:
        if keepdims:
            return np.full(_ones_shape(a), _median_flat(a))
        return _median_flat(a)
    k = _axis(axis, a.ndim)
    if a.ndim == 1:
        return _median_flat(a)
    rows = _rows(a, k)
    out = np.empty(rows.shape[0])
    for i in range(rows.shape[0]):
        out[i] = _median_flat(rows[i])
    return _keep(out.reshape(_in.shape_without(a.shape, k)), a, k, keepdims)


@implements("numpy.average")
def average(a, axis=None, weights=None):
    if weights is None:
        return mean(a, axis)
    if axis is None:
        wsum = np.sum(weights)
        if wsum == 0:
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        return np.sum(a * weights) / wsum
    _in.compile_error("average() with both axis and weights is not supported yet")


# ---- comparisons of whole arrays --------------------------------------------------------------

@implements("numpy.isclose")
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    close = np.abs(a - b) <= atol + rtol * np.abs(b)
    both_inf = np.isinf(a) & np.isinf(b) & ((a > 0) == (b > 0))
    result = (close & np.isfinite(a) & np.isfinite(b)) | both_inf
    if equal_nan:
        return result | (np.isnan(a) & np.isnan(b))
    return result


@implements("numpy.allclose")
def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return all(isclose(a, b, rtol, atol, equal_nan))


@implements("numpy.array_equal")
def array_equal(a1, a2, equal_nan=False):
    if a1.shape != a2.shape:
        return False
    if equal_nan:
        return all((a1 == a2) | (np.isnan(a1) & np.isnan(a2)))
    return all(a1 == a2)


# ---- where things are ------------------------------------------------------------------------

@implements("numpy.flatnonzero")
def flatnonzero(a):
    flat = a.ravel()
    return np.arange(flat.shape[0])[flat != 0]


@implements("numpy.nonzero", "ndarray.nonzero")
def nonzero(a):
    if a.ndim == 1:
        return (flatnonzero(a),)
    if a.ndim == 2:
        idx = flatnonzero(a)
        cols = a.shape[1]
        return (idx // cols, idx % cols)
    _in.compile_error("np.nonzero of a %d-dimensional array is not supported yet", a.ndim)


@implements("numpy.argwhere")
def argwhere(a):
    if a.ndim == 1:
        return flatnonzero(a).reshape(-1, 1)
    idx = flatnonzero(a)
    out = np.empty((idx.shape[0], 2), dtype=np.int64)
    out[:, 0] = idx // a.shape[1]
    out[:, 1] = idx % a.shape[1]
    return out


@implements("numpy.unique")
def unique(ar):
    s = np.sort(ar.ravel())
    n = s.shape[0]
    if n == 0:
        return s
    keep = np.empty(n, dtype=np.bool_)
    keep[0] = True
    keep[1:] = s[1:] != s[:-1]
    if s[n - 1] != s[n - 1]:  # NaNs sort last and count as one value, as numpy 1.24
        first = n - 1
        while first > 0 and s[first - 1] != s[first - 1]:
            first -= 1
        keep[first] = True
        keep[first + 1:] = False
    return s[keep]


@implements("numpy.bincount")
def bincount(x, weights=None, minlength=0):
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    n = minlength
    for i in range(x.shape[0]):
        if x[i] < 0:
            raise ValueError("'list' argument must have no negative elements")
        if x[i] + 1 > n:
            n = x[i] + 1
    if weights is None:
        out = np.zeros(n, dtype=np.int64)
        for i in range(x.shape[0]):
            out[x[i]] += 1
        return out
    outw = np.zeros(n)
    for i in range(x.shape[0]):
        outw[x[i]] += weights[i]
    return outw


@implements("numpy.digitize")
def digitize(x, bins, right=False):
    out = np.empty(x.shape[0], dtype=np.int64)
    increasing = bins.shape[0] < 2 or bins[bins.shape[0] - 1] >= bins[0]
    for i in range(x.shape[0]):
        if increasing:
            if right:
                out[i] = searchsorted(bins, x[i], "left")
            else:
                out[i] = searchsorted(bins, x[i], "right")
        else:
            rev = bins[::-1]
            if right:
                out[i] = bins.shape[0] - searchsorted(rev, x[i], "right")
            else:
                out[i] = bins.shape[0] - searchsorted(rev, x[i], "left")
    return out


@implements("numpy.interp")
def interp(x, xp, fp):
    n = xp.shape[0]
    if n == 0:
        raise ValueError("array of sample points is empty")
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        v = x[i]
        if v != v:
            out[i] = v
        elif v <= xp[0]:
            out[i] = fp[0]
        elif v >= xp[n - 1]:
            out[i] = fp[n - 1]
        else:
            j = searchsorted(xp, v, "right") - 1
            slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
            out[i] = slope * (v - xp[j]) + fp[j]
            if out[i] != out[i]:  # numpy's fallback when the slope is not finite
                out[i] = slope * (v - xp[j + 1]) + fp[j + 1]
                if out[i] != out[i] and fp[j] == fp[j + 1]:
                    out[i] = fp[j]
    return out


# ---- shapes -------------------------------------------------------------------------------------

@implements("numpy.atleast_1d")
def atleast_1d(a):
    return a


@implements("numpy.atleast_2d")
def atleast_2d(a):
    if a.ndim == 1:
        return a.reshape(1, -1)
    return a


@implements("numpy.expand_dims")
def expand_dims(a, axis):
    k = _axis(axis, a.ndim + 1)
    if a.ndim == 1:
        if k == 0:
            return a[None, :]
        return a[:, None]
    if a.ndim == 2:
        if k == 0:
            return a[None, :, :]
        if k == 1:
            return a[:, None, :]
        return a[:, :, None]
    _in.compile_error("np.expand_dims of a %d-dimensional array is not supported yet", a.ndim)


@implements("numpy.column_stack")
def column_stack(tup):
    first = tup[0]
    if first.ndim == 1:
        return stack(tup, 1)
    return concatenate(tup, 1)


@implements("numpy.tile")
def tile(a, reps):
    if a.ndim != 1:
        _in.compile_error("np.tile of a %d-dimensional array is not supported yet", a.ndim)
    n = a.shape[0]
    out = np.empty(n * reps, dtype=a.dtype)
    for r in range(reps):
        out[r * n:(r + 1) * n] = a
    return out


@implements("numpy.repeat", "ndarray.repeat")
def repeat(a, repeats, axis=None):
    if axis is not None:
        _in.compile_error("np.repeat with an axis is not supported yet")
    flat = a.ravel()
    if repeats < 0:
        raise ValueError("Negative dimensions are not allowed")
    out = np.empty(flat.shape[0] * repeats, dtype=a.dtype)
    for i in range(flat.shape[0]):
        out[i * repeats:(i + 1) * repeats] = flat[i]
    return out


@implements("numpy.roll")
def roll(a, shift, axis=None):
    if axis is None:
        flat = a.ravel()
        n = flat.shape[0]
        out = np.empty(n, dtype=a.dtype)
        if n == 0:
            return out.reshape(a.shape)
        s = shift % n
        out[s:] = flat[:n - s]
        out[:s] = flat[n - s:]
        return out.reshape(a.shape)
    k = _axis(axis, a.ndim)
    out = np.empty(a.shape, dtype=a.dtype)
    src = _in.move_axis_last(a, k)
    dst = _in.move_axis_last(out, k)
    n = a.shape[k]
    if n == 0:
        return out
    s = shift % n
    dst[..., s:] = src[..., :n - s]
    dst[..., :s] = src[..., n - s:]
    return out


@implements("numpy.triu")
def triu(m, k=0):
    out = m.copy()
    for i in range(m.shape[0]):
        stop = min(max(i + k, 0), m.shape[1])
        out[i, :stop] = 0
    return out


@implements("numpy.tril")
def tril(m, k=0):
    out = m.copy()
    for i in range(m.shape[0]):
        start = min(max(i + k + 1, 0), m.shape[1])
        out[i, start:] = 0
    return out


@implements("numpy.meshgrid")
def meshgrid(x, y):
    xx = np.empty((y.shape[0], x.shape[0]), dtype=x.dtype)
    yy = np.empty((y.shape[0], x.shape[0]), dtype=y.dtype)
    xx[...] = x[None, :]
    yy[...] = y[:, None]
    return (xx, yy)


@implements("numpy.ascontiguousarray")
def ascontiguousarray(a):
    if a.ndim == 1:
        return a.ravel()
    return a.copy()


@implements("numpy.copy")
def copy(a):
    return a.copy()


@implements("numpy.swapaxes", "ndarray.swapaxes")
def swapaxes(a, axis1, axis2):
    if a.ndim != 2:
        _in.compile_error("np.swapaxes of a %d-dimensional array is not supported yet", a.ndim)
    i = _axis(axis1, 2)
    j = _axis(axis2, 2)
    if i == j:
        return a[:, :]
    return a.T


@implements("numpy.cross")
def cross(a, b):
    if a.shape[0] != 3 or b.shape[0] != 3:
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")
    out = np.empty(3, dtype=(a[:0] * b[:0]).dtype)
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out


# ---- linear algebra through numpy's LAPACK -----------------------------------------------------
# numpy's own functions run (numpy_call): results, errors (LinAlgError) and
# speed are numpy's. Integer matrices are solved in float64, as numpy does.

_LA = "numpy.linalg"


def _matrices(a, name):
    if a.ndim < 2:
        _in.compile_error("np.linalg.%s needs a matrix (or a stack of them), not a %d-dimensional array",
                          name, a.ndim)


@implements("numpy.linalg.solve")
def solve(a, b):
    if a.ndim != 2:
        _in.compile_error("np.linalg.solve of a %d-dimensional array is not supported yet (a matrix only)", a.ndim)
    return _in.numpy_call(_LA, "solve", (_in.float_dtype((a, b)), b.ndim), a, b)


@implements("numpy.linalg.inv")
def inv(a):
    _matrices(a, "inv")
    return _in.numpy_call(_LA, "inv", (_in.float_dtype(a), a.ndim), a)


@implements("numpy.linalg.pinv")
def pinv(a):
    _matrices(a, "pinv")
    return _in.numpy_call(_LA, "pinv", (_in.float_dtype(a), a.ndim), a)


@implements("numpy.linalg.det")
def det(a):
    _matrices(a, "det")
    return _in.numpy_call(_LA, "det", (_in.float_dtype(a), a.ndim - 2), a)


@implements("numpy.linalg.slogdet")
def slogdet(a):
    _matrices(a, "slogdet")
    dt = _in.float_dtype(a)
    return _in.numpy_call(_LA, "slogdet", ((dt, a.ndim - 2), (_in.real_dtype(dt), a.ndim - 2)), a)


@implements("numpy.linalg.eig")
def eig(a):
    # A real matrix gets real eigenvalues, as in Numba: complex ones raise.
    _matrices(a, "eig")
    dt = _in.float_dtype(a)
    return _in.numpy_call(_LA, "eig", ((dt, a.ndim - 1), (dt, a.ndim)), a)


@implements("numpy.linalg.eigvals")
def eigvals(a):
    _matrices(a, "eigvals")
    return _in.numpy_call(_LA, "eigvals", (_in.float_dtype(a), a.ndim - 1), a)


@implements("numpy.linalg.eigh")
def eigh(a):
    _matrices(a, "eigh")
    dt = _in.float_dtype(a)
    return _in.numpy_call(_LA, "eigh", ((_in.real_dtype(dt), a.ndim - 1), (dt, a.ndim)), a)


@implements("numpy.linalg.eigvalsh")
def eigvalsh(a):
    _matrices(a, "eigvalsh")
    return _in.numpy_call(_LA, "eigvalsh", (_in.real_dtype(_in.float_dtype(a)), a.ndim - 1), a)


@implements("numpy.linalg.svd")
def svd(a, full_matrices=True, compute_uv=True):
    _matrices(a, "svd")
    dt = _in.float_dtype(a)
    real = _in.real_dtype(dt)
    if compute_uv:
        return _in.numpy_call(_LA, "svd", ((dt, a.ndim), (real, a.ndim - 1), (dt, a.ndim)), a, full_matrices)
    return _in.numpy_call(_LA, "svd", (real, a.ndim - 1), a, full_matrices, False)


@implements("numpy.linalg.cholesky")
def cholesky(a):
    _matrices(a, "cholesky")
    return _in.numpy_call(_LA, "cholesky", (_in.float_dtype(a), a.ndim), a)


@implements("numpy.linalg.qr")
def qr(a):
    _matrices(a, "qr")
    dt = _in.float_dtype(a)
    return _in.numpy_call(_LA, "qr", ((dt, a.ndim), (dt, a.ndim)), a)


@implements("numpy.linalg.lstsq")
def lstsq(a, b, rcond=-1.0):
    # Numba's default rcond (numpy 1.x's without its warning).
    dt = _in.float_dtype((a, b))
    real = _in.real_dtype(dt)
    return _in.numpy_call(_LA, "lstsq", ((dt, b.ndim), (real, 1), (np.int64, 0), (real, 1)), a, b, rcond)


@implements("numpy.linalg.matrix_rank")
def matrix_rank(a):
    return _in.numpy_call(_LA, "matrix_rank", (np.int64, 0), a)


@implements("numpy.linalg.matrix_power")
def matrix_power(a, n):
    _matrices(a, "matrix_power")
    return _in.numpy_call(_LA, "matrix_power", (a.dtype, a.ndim), a, n)


@implements("numpy.linalg.cond")
def cond(a):
    _matrices(a, "cond")
    return _in.numpy_call(_LA, "cond", (_in.real_dtype(_in.float_dtype(a)), a.ndim - 2), a)


# ---- FFT through numpy's pocketfft ------------------------------------------------------------
# numpy 1.x computes every transform in double precision; so do these (numpy
# 2's complex64 results for float32 input are widened).

_FFT = "numpy.fft"


def _no_norm(norm):
    if norm is not None:
        _in.compile_error("np.fft with norm= is not supported yet")


@implements("numpy.fft.fft")
def fft(a, n=None, axis=-1, norm=None):
    _no_norm(norm)
    return _in.numpy_call(_FFT, "fft", (np.complex128, a.ndim), a, n, axis)


@implements("numpy.fft.ifft")
def ifft(a, n=None, axis=-1, norm=None):
    _no_norm(norm)
    return _in.numpy_call(_FFT, "ifft", (np.complex128, a.ndim), a, n, axis)


@implements("numpy.fft.rfft")
def rfft(a, n=None, axis=-1, norm=None):
    _no_norm(norm)
    return _in.numpy_call(_FFT, "rfft", (np.complex128, a.ndim), a, n, axis)


@implements("numpy.fft.irfft")
def irfft(a, n=None, axis=-1, norm=None):
    _no_norm(norm)
    return _in.numpy_call(_FFT, "irfft", (np.float64, a.ndim), a, n, axis)


@implements("numpy.fft.fft2")
def fft2(a):
    return _in.numpy_call(_FFT, "fft2", (np.complex128, a.ndim), a)


@implements("numpy.fft.ifft2")
def ifft2(a):
    return _in.numpy_call(_FFT, "ifft2", (np.complex128, a.ndim), a)


@implements("numpy.fft.fftfreq")
def fftfreq(n, d=1.0):
    out = np.empty(n)
    val = 1.0 / (n * d)
    half = (n - 1) // 2 + 1
    for i in range(n):
        out[i] = (i if i < half else i - n) * val
    return out


@implements("numpy.fft.fftshift")
def fftshift(x):
    if x.ndim != 1:
        _in.compile_error("np.fft.fftshift of a %d-dimensional array is not supported yet", x.ndim)
    return roll(x, x.shape[0] // 2)


@implements("numpy.fft.ifftshift")
def ifftshift(x):
    if x.ndim != 1:
        _in.compile_error("np.fft.ifftshift of a %d-dimensional array is not supported yet", x.ndim)
    return roll(x, -(x.shape[0] // 2))


@implements("numpy.linalg.norm")
def norm(x, ord=None, axis=None):
    if axis is not None:
        if ord is not None:
            _in.compile_error("np.linalg.norm with both ord and axis is not supported yet")
        return np.sqrt(sum(x * x, axis))
    if ord is None:
        flat = x.ravel()
        return np.sqrt(np.sum(flat * flat))
    if x.ndim != 1:
        _in.compile_error("np.linalg.norm of a matrix with ord= is not supported yet")
    if ord == 1:
        return np.sum(np.abs(x)) * 1.0
    if ord == 2:
        return np.sqrt(np.sum(x * x))
    return np.sum(np.abs(x) ** ord) ** (1.0 / ord)


# ---- random numbers: numpy's legacy generator, bit for bit --------------------------------------
# Each draw is the runtime's (link/runtime/random.c, one generator per
# thread); these functions make numpy's draws in numpy's order, so after
# np.random.seed(s) the numbers are numpy's after np.random.seed(s).

@implements("numpy.random.seed")
def random_seed(seed):
    _in.runtime("random_seed", seed)


def _fill(size, draw, a, b):
    # One draw per item in C order; `draw` names a runtime function of the
    # constants it is given (the library is specialised on strings).
    out = np.empty(size)
    flat = out.ravel()
    for i in range(flat.shape[0]):
        flat[i] = _draw(draw, a, b)
    return out


def _draw(draw, a, b):
    if draw == "double":
        return _in.runtime("random_double")
    if draw == "gauss":
        return _in.runtime("random_gauss")
    if draw == "standard_exponential":
        return _in.runtime("random_standard_exponential")
    if draw == "exponential":
        return _in.runtime("random_exponential", a)
    if draw == "uniform":
        return _in.runtime("random_uniform", a, b)
    return _in.runtime("random_normal", a, b)


@implements("numpy.random.random", "numpy.random.random_sample", "numpy.random.sample", "numpy.random.ranf")
def random_sample(size=None):
    if size is None:
        return _in.runtime("random_double")
    return _fill(size, "double", 0.0, 0.0)


@implements("numpy.random.rand")
def rand(d0=None, d1=None, d2=None):
    if d0 is None:
        return _in.runtime("random_double")
    if d1 is None:
        return _fill(d0, "double", 0.0, 0.0)
    if d2 is None:
        return _fill((d0, d1), "double", 0.0, 0.0)
    return _fill((d0, d1, d2), "double", 0.0, 0.0)


@implements("numpy.random.randn")
def randn(d0=None, d1=None, d2=None):
    if d0 is None:
        return _in.runtime("random_gauss")
    if d1 is None:
        return _fill(d0, "gauss", 0.0, 0.0)
    if d2 is None:
        return _fill((d0, d1), "gauss", 0.0, 0.0)
    return _fill((d0, d1, d2), "gauss", 0.0, 0.0)


@implements("numpy.random.standard_normal")
def standard_normal(size=None):
    if size is None:
        return _in.runtime("random_gauss")
    return _fill(size, "gauss", 0.0, 0.0)


@implements("numpy.random.normal")
def normal(loc=0.0, scale=1.0, size=None):
    if size is None:
        return _in.runtime("random_normal", loc, scale)
    return _fill(size, "normal", loc, scale)


@implements("numpy.random.uniform")
def uniform(low=0.0, high=1.0, size=None):
    if size is None:
        return _in.runtime("random_uniform", low, high)
    return _fill(size, "uniform", low, high)


@implements("numpy.random.standard_exponential")
def standard_exponential(size=None):
    if size is None:
        return _in.runtime("random_standard_exponential")
    return _fill(size, "standard_exponential", 0.0, 0.0)


@implements("numpy.random.exponential")
def exponential(scale=1.0, size=None):
    if size is None:
        return _in.runtime("random_exponential", scale)
    return _fill(size, "exponential", scale, 0.0)


@implements("numpy.random.randint")
def randint(low, high=None, size=None):
    if high is None:
        return randint(0, low, size)
    if size is None:
        return _in.runtime("random_randint", low, high)
    out = np.empty(size, dtype=np.int64)
    flat = out.ravel()
    for i in range(flat.shape[0]):
        flat[i] = _in.runtime("random_randint", low, high)
    return out


@implements("numpy.random.poisson")
def poisson(lam=1.0, size=None):
    if size is None:
        return _in.runtime("random_poisson", lam)
    out = np.empty(size, dtype=np.int64)
    flat = out.ravel()
    for i in range(flat.shape[0]):
        flat[i] = _in.runtime("random_poisson", lam)
    return out


@implements("numpy.random.shuffle")
def shuffle(x):
    # From the end: swap item i with one drawn from [0, i], as numpy.
    n = x.shape[0]
    if x.ndim == 1:
        for i in range(n - 1, 0, -1):
            j = _in.runtime("random_interval", i)
            t = x[i]
            x[i] = x[j]
            x[j] = t
        return
    for i in range(n - 1, 0, -1):
        j = _in.runtime("random_interval", i)
        if i != j:
            t = x[i].copy()
            x[i] = x[j]
            x[j] = t


@implements("numpy.random.permutation")
def permutation(x):
    if isinstance(x, np.ndarray):
        out = x.copy()
    else:
        out = np.arange(x)
    shuffle(out)
    return out


@implements("numpy.random.choice")
def choice(a, size=None, replace=True, p=None):
    if p is not None:
        _in.compile_error("np.random.choice with p= is not supported yet")
    count = 1 if size is None else _size_count(size)
    if isinstance(a, np.ndarray):
        if a.ndim != 1:
            _in.compile_error("np.random.choice: a must be 1-dimensional")
        n = a.shape[0]
        if n == 0 and count != 0:
            raise ValueError("'a' cannot be empty unless no samples are taken")
    else:
        n = a
        if n <= 0 and count != 0:
            raise ValueError("a must be greater than 0 unless no samples are taken")
    if replace:
        if size is None:
            k = _in.runtime("random_randint", 0, n)
            if isinstance(a, np.ndarray):
                return a[k]
            return k
        idx = randint(0, n, size)
    else:
        if size is None:
            _in.compile_error("np.random.choice with replace=False needs size")
        if size > n:
            raise ValueError("Cannot take a larger sample than population when 'replace=False'")
        if size < 0:
            raise ValueError("Negative dimensions are not allowed")
        idx = permutation(n)[:size]
    if isinstance(a, np.ndarray):
        return a[idx]
    return idx


def _size_count(size):
    if isinstance(size, tuple):
        count = 1
        for d in size:
            count *= d
        return count
    return size


# ---- more shapes -----------------------------------------------------------------------------------

@implements("numpy.squeeze", "ndarray.squeeze")
def squeeze(a, axis=None):
    # Without axis the result's number of dimensions would depend on the
    # shape, which compiled code fixes before it runs.
    if axis is None:
        _in.compile_error("np.squeeze needs axis= in compiled code (which axes have length 1 is known only when "
                          "it runs)")
    k = _axis(axis, a.ndim)
    if a.shape[k] != 1:
        raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    return a.reshape(_in.shape_without(a.shape, k))


@implements("numpy.copyto")
def copyto(dst, src):
    dst[...] = src


@implements("numpy.histogram")
def histogram(a, bins=10, range=None):
    v = a.ravel()
    if isinstance(bins, np.ndarray):
        return _histogram_edges(v, bins), bins
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    if range is None:
        if v.shape[0] == 0:
            return _histogram_equal(v, 0.0, 1.0, bins)
        return _histogram_equal(v, v.min() * 1.0, v.max() * 1.0, bins)
    if range[0] > range[1]:
        raise ValueError("max must be larger than min in range parameter.")
    return _histogram_equal(v, range[0] * 1.0, range[1] * 1.0, bins)


def _histogram_equal(v, first, last, bins):
    # numpy's own steps: each value's bin from its offset times bins / width,
    # corrected against the edges; the last bin includes its right edge.
    if not (np.isfinite(first) and np.isfinite(last)):
        raise ValueError("the range of a histogram must be finite")
    if first == last:
        first -= 0.5
        last += 0.5
    edges = np.linspace(first, last, bins + 1)
    counts = np.zeros(bins, dtype=np.int64)
    norm = bins / (last - first)
    for i in range(v.shape[0]):
        x = v[i]
        if x >= first and x <= last:
            j = int((x - first) * norm)
            if j == bins:
                j -= 1
            if x < edges[j]:
                j -= 1
            elif j != bins - 1 and x >= edges[j + 1]:
                j += 1
            counts[j] += 1
    return counts, edges


def _histogram_edges(v, edges):
    n = edges.shape[0] - 1
    if n < 1:
        raise ValueError("`bins` must be 1d, when an array")
    counts = np.zeros(n, dtype=np.int64)
    for i in range(v.shape[0]):
        x = v[i]
        if x >= edges[0] and x <= edges[n]:
            j = _search_one(edges, x, "right") - 1
            if j == n:
                j -= 1
            counts[j] += 1
    return counts


@implements("numpy.transpose", "ndarray.transpose")
def transpose(a, axes=None):
    # Axis p[j] of a becomes axis j: moving each in turn to the end leaves
    # them in that order, a view all along.
    if axes is None:
        return a.T
    n = a.ndim
    if len(axes) != n:
        raise ValueError("axes don't match array")
    seen = _in.shape_with(a.shape, 0, 0)
    for j in range(n):
        seen = _in.shape_with(seen, j, 0)
    for j in range(n):
        k = _axis(axes[j], n)
        if seen[k] != 0:
            raise ValueError("repeated axis in transpose")
        seen = _in.shape_with(seen, k, 1)
    b = _in.move_axis_last(a, _axis(axes[0], n))
    order = _in.shape_with(a.shape, 0, 0)
    for j in range(n):
        order = _in.shape_with(order, j, j)
    order = _moved_last(order, _axis(axes[0], n))
    for j in range(1, n):
        want = _axis(axes[j], n)
        k = 0
        for i in range(n):
            if order[i] == want:
                k = i
        b = _in.move_axis_last(b, k)
        order = _moved_last(order, k)
    return b


def _moved_last(order, k):
    """order with item k moved to the end, as move_axis_last moves axes."""
    last = order[k]
    out = order
    for i in range(k, len(order) - 1):
        out = _in.shape_with(out, i, order[i + 1])
    return _in.shape_with(out, len(order) - 1, last)


# ---- arrays from lists ---------------------------------------------------------------
# np.array(list): the compiler picks the dtype (numpy's result type of the
# items, or the one given) and which of these builds the array.

@implements("numpy.__array_from_list")
def _array_from_list(items, dtype):
    n = len(items)
    out = np.empty(n, dtype)
    for i in range(n):
        out[i] = items[i]
    return out


@implements("numpy.__array_from_rows")
def _array_from_rows(rows, dtype):
    n = len(rows)
    m = 0
    if n > 0:
        m = len(rows[0])
    out = np.empty((n, m), dtype)
    for i in range(n):
        r = rows[i]
        if len(r) != m:
            raise ValueError("setting an array element with a sequence. The requested array has an "
                             "inhomogeneous shape after 1 dimensions.")
        for j in range(m):
            out[i, j] = r[j]
    return out
