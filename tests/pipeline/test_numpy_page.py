"""docs/numpy.md cannot claim more than works: every row marked yes there
has an example, which is compiled and compared with numpy here."""
import os
import re

import numpy as np
import pytest

from conftest import ROOT, outcome, same_value

PAGE = os.path.join(ROOT, "docs", "numpy.md")


def yes_rows():
    rows = []
    for line in open(PAGE, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[1] == "yes":
            example = cells[2].strip("`")
            rows.append((cells[0], example))
    return rows


ROWS = yes_rows()


def test_every_yes_row_has_an_example():
    assert ROWS, "the page lists no supported functions"
    missing = [name for name, example in ROWS if not example]
    assert not missing, f"rows marked yes without an example: {missing}"


@pytest.fixture(scope="module")
def page_module(compile_module):
    source = "import numpy as np\n\n" + "".join(
        f"def ex_{i}(v, m, k, z, n):\n    return {example}\n\n" for i, (_, example) in enumerate(ROWS))
    sigs = [f"ex_{i}=(float64[:], float64[:, :], int64[:], complex128[:], int64)" for i in range(len(ROWS))]
    return compile_module(source, sigs)


def test_examples_match_numpy(page_module):
    rng = np.random.default_rng(12)
    failures = []
    for trial in range(3):
        args = (rng.random(7), rng.random((3, 4)), rng.integers(-5, 5, 7), rng.random(7) + 1j * rng.random(7),
                trial + 2)
        for i, (name, example) in enumerate(ROWS):
            f, r = getattr(page_module.compiled, f"ex_{i}"), getattr(page_module.reference, f"ex_{i}")
            expected, got = outcome(r, args), outcome(f, args)
            ok = expected[0] == got[0] and (same_value(expected[1], got[1], 1e-12) if expected[0] == "value"
                                            else expected[1] == got[1])
            if not ok:
                failures.append(f"{name}: {example}: numpy {expected!r}, pyaot {got!r}")
    assert not failures, "\n".join(failures)
