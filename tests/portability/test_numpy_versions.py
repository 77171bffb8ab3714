"""Modules built against Debian's numpy 1.24 work under numpy 1.26 and the
newest numpy 2.x (both from PyPI): every call in numpy_cases.py (arguments of
each dtype and layout, returned arrays and views, scalars both ways, print,
errors) gives the same outcome under each numpy, equal to what CPython
computes running the same source. Where numpy 2 changed what CPython
computes (NEP 50's promotion, NEP 51's scalar reprs), compiled code keeps the
rules it was built with; docs/decisions.md says why."""
import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import numpy_cases  # noqa: E402
from numpy_cases import BOUNDARY, BUILD, SAME  # noqa: E402
from pypi import environment  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PYAOT = os.environ.get("PYAOT", os.path.join(ROOT, "build", "pyaot"))
FLAGS = os.environ.get("PYAOT_FLAGS", "").split()
CASES = numpy_cases.cases()

# The numpy the modules are built against, and those they must also run under
# (scripts/pyenv names), with the major version each must report.
BUILT_WITH = "/usr/bin/python3"
OTHERS = {"numpy1": "1.26.", "numpy2": "2."}


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    directory = tmp_path_factory.mktemp("numpy_versions")
    for name, (source, sigs) in numpy_cases.MODULES.items():
        path = directory / f"{name}.py"
        path.write_text(source)
        cmd = [PYAOT, "build", str(path), "-o", str(directory)] + FLAGS
        for sig in sigs:
            cmd += ["--sig", sig]
        done = subprocess.run(cmd, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    return directory


@pytest.fixture(scope="module")
def probe(modules):
    """probe(python, mode) -> (numpy version, one record per case), run once."""
    seen = {}

    def run(python, mode):
        if (python, mode) not in seen:
            target = modules / f"probe-{len(seen)}-{mode}.json"
            done = subprocess.run([python, os.path.join(HERE, "probe.py"), mode, str(modules), str(target)],
                                  capture_output=True, text=True, cwd=str(modules))
            assert done.returncode == 0, done.stderr
            found = json.loads(target.read_text())
            assert len(found["records"]) == len(CASES)
            seen[python, mode] = found["numpy"], found["records"]
        return seen[python, mode]
    return run


def differences(got, expected, which):
    """Labels and both records of the cases in `which` where got != expected."""
    out = []
    for index, case in enumerate(CASES):
        if case.expect in which and got[index] != expected[index]:
            out.append(f"{case.label(index)}:\n    got      {json.dumps(got[index])[:600]}\n"
                       f"    expected {json.dumps(expected[index])[:600]}")
    return out


def report(problems, what):
    return f"{len(problems)} cases {what}:\n" + "\n".join(problems[:12])


def other_python(name):
    python = environment(name)
    version = subprocess.run([python, "-c", "import numpy; print(numpy.__version__)"], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert version.startswith(OTHERS[name]), f"{name} has numpy {version}"
    return python


def test_matches_cpython_under_the_numpy_it_was_built_with(probe):
    _, compiled = probe(BUILT_WITH, "compiled")
    _, reference = probe(BUILT_WITH, "reference")
    problems = differences(compiled, reference, (SAME, BUILD))
    assert not problems, report(problems, "where pyaot differs from CPython")


@pytest.mark.parametrize("name", OTHERS)
def test_same_outcomes_under_another_numpy(probe, name):
    """Every call, pyaot's own argument errors too, is the same as under the
    numpy the module was built with: values, dtypes, layouts, memory shared
    with the arguments, printed text, exceptions and their messages."""
    version, compiled = probe(other_python(name), "compiled")
    _, at_build = probe(BUILT_WITH, "compiled")
    problems = differences(compiled, at_build, (SAME, BUILD, BOUNDARY))
    assert not problems, report(problems, f"that change under numpy {version}")


@pytest.mark.parametrize("name", OTHERS)
def test_matches_cpython_under_another_numpy(probe, name):
    python = other_python(name)
    version, compiled = probe(python, "compiled")
    _, reference = probe(python, "reference")
    problems = differences(compiled, reference, (SAME,))
    assert not problems, report(problems, f"where pyaot differs from CPython under numpy {version}")


@pytest.mark.parametrize("name", OTHERS)
def test_numpy2_rule_changes_stay_out_of_compiled_code(probe, name):
    """NEP 50 and NEP 51 cases: compiled code gives numpy 1.x's result under
    every numpy; CPython gives another under numpy 2 (so each case really
    exercises a change) and the same under 1.26."""
    python = other_python(name)
    version, compiled = probe(python, "compiled")
    _, reference = probe(python, "reference")
    _, reference_at_build = probe(BUILT_WITH, "reference")
    problems = differences(compiled, reference_at_build, (BUILD,))
    assert not problems, report(problems, f"that follow numpy {version}'s rules, not the build's")
    changed = version.startswith("2.")
    for index, case in enumerate(CASES):
        if case.expect == BUILD:
            assert (reference[index] != reference_at_build[index]) == changed, (
                f"{case.label(index)}: {case.why}; CPython under numpy {version} gives "
                f"{json.dumps(reference[index])[:300]}")
