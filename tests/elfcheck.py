"""The checks every extension module pyaot links must pass (issue: a
well-formed, hardened module), shared by the linker and end-to-end tests."""
import re
import shutil
import subprocess


def hardening_problems(so, symbol):
    """What a hardened extension module must satisfy; returns the failures."""
    problems = []
    if shutil.which("eu-elflint"):
        lint = subprocess.run(["eu-elflint", "--gnu-ld", str(so)], capture_output=True, text=True)
        if lint.returncode != 0 or "No errors" not in lint.stdout:
            problems.append("eu-elflint: " + lint.stdout + lint.stderr)
    dyn = subprocess.run(["readelf", "-dW", str(so)], capture_output=True, text=True, check=True).stdout
    phdrs = subprocess.run(["readelf", "-lW", str(so)], capture_output=True, text=True, check=True).stdout
    needed = set(re.findall(r"Shared library: \[([^\]]+)\]", dyn))
    if not needed <= {"libc.so.6", "libm.so.6"}:
        problems.append(f"DT_NEEDED {needed}")
    if "BIND_NOW" not in dyn or "TEXTREL" in dyn:
        problems.append("not BIND_NOW, or text relocations")
    if "GNU_RELRO" not in phdrs:
        problems.append("no PT_GNU_RELRO")
    stack = re.search(r"GNU_STACK.*", phdrs)
    if not stack or "E" in stack.group(0).split()[-2]:
        problems.append("missing or executable PT_GNU_STACK")
    exported = subprocess.run(["nm", "-D", "--defined-only", str(so)], capture_output=True, text=True,
                              check=True).stdout.split()
    if exported[2::3] != [symbol]:
        problems.append(f"exports {exported[2::3]}")
    return problems
