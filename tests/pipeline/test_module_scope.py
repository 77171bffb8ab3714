"""What a function finds around it: imports inside it, signatures that leave
out defaulted parameters, and module-level constants and numpy arrays frozen
into the module when it is built."""
import numpy as np
import pytest

from conftest import check

SOURCE = '''
import numpy as np

TABLE = np.array([1.5, -2.0, 3.25, 0.0])
GRID = np.arange(12, dtype=np.int32).reshape(3, 4)[:, ::2]
CMPLX = np.array([1 + 2j, 3 - 1j])
BIG_ENDIAN = np.arange(5.0).astype(">f8")
FLAGS = np.array([True, False, True])
PAIRS = ((1, 2), (3, 4))
SCALE = 2.5

def imports(x):
    import numpy as np
    import math
    from math import sqrt, pi
    import numpy.linalg as la
    from numpy import cumsum
    return sqrt(abs(x)) + np.sin(x) + pi + math.cos(x) + la.norm(np.ones(3)) + cumsum(np.ones(3))[2]

def defaults(a, b=3, c=0.5, t=(1, 2), flag=True):
    return a * b + c + t[1] + (1 if flag else 0)

def frozen(i):
    return TABLE[i] * SCALE + PAIRS[1][0] + GRID.sum() + GRID[i % 3, 1] + BIG_ENDIAN[i] + FLAGS[i % 3]

def frozen_whole():
    return TABLE, GRID, CMPLX, TABLE * 2, np.cumsum(GRID, axis=1)

def frozen_copy(i):
    t = TABLE.copy()
    t[i] = 100.0
    return t, TABLE
'''

SIGS = ["imports=float64(float64)", "defaults=float64(int64)", "defaults=float64(float64, float64)",
        "frozen=float64(int64)", "frozen_whole=()", "frozen_copy=(int64)"]


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, SIGS)


def test_imports_inside_functions(mod):
    check(mod, "imports", [(x,) for x in (0.0, 1.0, -2.5, 1e10)])


def test_signatures_leave_out_defaulted_parameters(mod):
    check(mod, "defaults", [(2,), (-7,), (2, 4), (2, 4, 1.0), (2.5,), (2.5, 0.5)])
    assert mod.compiled.defaults(2, c=1.0) == mod.reference.defaults(2, c=1.0)
    assert mod.compiled.defaults(1, flag=False) == mod.reference.defaults(1, flag=False)


def test_module_level_arrays_are_frozen(mod):
    check(mod, "frozen", [(i,) for i in range(-4, 4)] + [(4,), (-5,)])
    check(mod, "frozen_whole", [()])
    check(mod, "frozen_copy", [(0,), (3,), (7,)])
    # Python gets them read-only: the module's copy cannot change under it.
    table = mod.compiled.frozen_whole()[0]
    assert not table.flags.writeable
    with pytest.raises(ValueError):
        table[0] = 5.0
    assert mod.compiled.frozen(0) == mod.reference.frozen(0)
