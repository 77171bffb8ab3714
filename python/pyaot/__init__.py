"""Mark functions for ahead-of-time compilation by pyaot.

    from pyaot import export

    @export("float64(float64[:])")
    def total(a):
        ...

`export` records the signatures on the function and returns it unchanged, so
the module still runs under plain Python. `pyaot build module.py` compiles
every function so marked; several signatures make overloads of one callable.

`prange` is `range` for loops whose iterations are independent (Numba's
`prange`): compiled code may run them in parallel (today it runs them in
order, as plain Python does).
"""

__all__ = ["export", "prange"]
__version__ = "0.1.0"


def export(*signatures):
    """Decorator: compile this function for each Numba-style signature given."""
    if not signatures or not all(isinstance(s, str) for s in signatures):
        raise TypeError(
            "export() takes one or more signature strings, "
            "e.g. @export('float64(float64[:])')")

    def mark(func):
        earlier = getattr(func, "__pyaot_signatures__", ())
        func.__pyaot_signatures__ = tuple(earlier) + signatures
        return func

    return mark


def prange(*args):
    """range() whose iterations may run in parallel in compiled code."""
    return range(*args)
