"""Mark functions for ahead-of-time compilation by pyaot.

    from pyaot import export

    @export("float64(float64[:])")
    def total(a):
        ...

`export` records the signatures on the function and returns it unchanged, so
the module still runs under plain Python. `pyaot build module.py` compiles
every function so marked; several signatures make overloads of one callable.

`prange` is `range` for loops whose iterations are independent (Numba's
`prange`): compiled code runs them on a thread pool (unless the function says
`parallel=False`), combining reductions such as `s += x` as Numba does.
"""

__all__ = ["export", "prange"]
__version__ = "0.1.0"

# LLVM's fast-math flags by Numba's names for them.
_FASTMATH_FLAGS = {"reassoc": 1, "nnan": 2, "ninf": 4, "nsz": 8, "arcp": 16, "contract": 32, "afn": 64}
# fastmath=True: every flag that changes rounding but not what NaN and
# infinity mean (Numba's True adds nnan and ninf; name them to get them).
_FASTMATH_TRUE = 1 | 8 | 16 | 32 | 64


def _fastmath_flags(value):
    """fastmath=: None (the build's), a bool, or a set of flag names ('fast'
    for all) as LLVM's flag bits, -1 for None. ValueError for anything else."""
    if value is None:
        return -1
    if isinstance(value, bool):
        return _FASTMATH_TRUE if value else 0
    if isinstance(value, (set, frozenset, list, tuple)):
        flags = 0
        for name in value:
            if name == "fast":
                flags |= sum(_FASTMATH_FLAGS.values())
            elif name in _FASTMATH_FLAGS:
                flags |= _FASTMATH_FLAGS[name]
            else:
                raise ValueError("fastmath flag %r is not one of %s or 'fast'" % (name, ", ".join(_FASTMATH_FLAGS)))
        return flags
    raise ValueError("fastmath must be True, False, None or a set of flag names, not %r" % (value,))


_OPTIONS = ("fastmath", "parallel", "nogil", "boundscheck", "error_model")


def export(*signatures, **options):
    """Decorator: compile this function for each Numba-style signature given.

    Options, each for this function over the command line's: fastmath (True,
    or a set of LLVM flag names as Numba takes), boundscheck, error_model
    ('python' or 'numpy'), parallel, nogil."""
    if not signatures or not all(isinstance(s, str) for s in signatures):
        raise TypeError(
            "export() takes one or more signature strings, "
            "e.g. @export('float64(float64[:])')")
    for key, value in options.items():
        if key not in _OPTIONS:
            raise TypeError("export() has no option %r (it takes %s)" % (key, ", ".join(_OPTIONS)))
        if key == "fastmath":
            _fastmath_flags(value)
        elif key == "error_model" and value not in (None, "python", "numpy"):
            raise ValueError("error_model must be 'python' or 'numpy', not %r" % (value,))
        elif key != "error_model" and value is not None and not isinstance(value, bool):
            raise ValueError("%s must be True, False or None, not %r" % (key, value))

    def mark(func):
        earlier = getattr(func, "__pyaot_signatures__", ())
        func.__pyaot_signatures__ = tuple(earlier) + signatures
        merged = dict(getattr(func, "__pyaot_options__", {}))
        merged.update(options)
        func.__pyaot_options__ = merged
        return func

    return mark


def prange(*args):
    """range() whose iterations may run in parallel in compiled code."""
    return range(*args)
