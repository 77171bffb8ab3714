"""The samples the README's demo command shows: each builds, and agrees with
CPython on its checking inputs (samples/run compares them)."""
import os
import subprocess

from conftest import FLAGS, PYAOT

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_every_sample_matches_cpython():
    samples = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "samples")) if f.endswith(".py"))
    done = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "samples", "run"), "--pyaot", PYAOT, "--"] + FLAGS,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    matched = sorted(line.split(":")[0] for line in done.stdout.splitlines() if "matches CPython" in line)
    assert matched == samples, done.stdout
