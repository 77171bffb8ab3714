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


def test_debug_info_maps_code_to_python_lines(tmp_path):
    done = subprocess.run([PYAOT, "build", f"{ROOT}/samples/sum_sequence.py", "--sig", "int64[:](int64[:],int64[:])",
                           "-g", "-o", str(tmp_path)] + FLAGS, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    so = tmp_path / "sum_sequence.cpython-311-x86_64-linux-gnu.so"
    lines = subprocess.run(["objdump", "--dwarf=decodedline", str(so)], capture_output=True, text=True).stdout
    mapped = {int(m) for m in re.findall(r"^sum_sequence\.py\s+(\d+)", lines, re.M)}
    assert {6, 7, 8} <= mapped  # result = ..., the loop, the subtraction
    from elfcheck import hardening_problems
    assert hardening_problems(so, "PyInit_sum_sequence") == []
