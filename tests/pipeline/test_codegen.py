"""Golden facts about the generated code, where its shape is the point."""
import re
import subprocess

from conftest import FLAGS, PYAOT, ROOT


def test_seed_loop_vectorises(tmp_path):
    done = subprocess.run([PYAOT, "build", f"{ROOT}/samples/sum_sequence.py", "--sig", "int64[:](int64[:],int64[:])",
                           "--emit-llvm", "-o", str(tmp_path)] + FLAGS, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    ir = (tmp_path / "sum_sequence.ll").read_text()
    # The contiguous variant's loop loads and stores whole vectors of int64.
    assert re.search(r"load <\d+ x i64>", ir) and re.search(r"store <\d+ x i64>", ir)
    # Only the module's init function is exported.
    exported = re.findall(r"^define (?!internal|private)[^@]*@(\w+)", ir, re.M)
    assert exported == ["PyInit_sum_sequence"]
