"""Environments from PyPI for the tests, made by scripts/pyenv (cached under
build/pyenv). When PyPI cannot be reached the test is skipped and says so;
any other failure to make the environment fails the test."""
import functools
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNREACHABLE = 3  # scripts/pyenv's exit status for "cannot reach PyPI"


@functools.lru_cache(maxsize=None)
def _make(name):
    done = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "pyenv"), name],
                          capture_output=True, text=True)
    return done.returncode, done.stdout.strip(), done.stderr.strip()


def environment(name):
    """The interpreter (or wheel folder) of scripts/pyenv's environment NAME."""
    status, path, errors = _make(name)
    if status == UNREACHABLE:
        pytest.skip(errors.splitlines()[-1])
    if status != 0:
        pytest.fail(f"scripts/pyenv {name} failed (PyPI was reachable):\n{errors}", pytrace=False)
    return path
