"""pyaot's ELF linker on small objects: one per relocation kind, data and
read-only data, calls into libc/libm, constructors; the result must load,
compute the right answers and pass the checks a hardened module passes."""
import ctypes
import os
import re
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from elfcheck import hardening_problems  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("PYAOT_BUILD_DIR", os.path.join(ROOT, "build"))
LINK_TOOL = os.path.join(BUILD, "tests", "link", "link_tool")
CLANG = shutil.which("clang-19")

pytestmark = pytest.mark.skipif(CLANG is None or not os.path.exists(LINK_TOOL),
                                reason="needs clang-19 and build/tests/link/link_tool")

CASES = {
    # PC32 to static data, read-only data and a string table
    "data": ("""
        static int table[5] = {3, 1, 4, 1, 5};
        static const double weights[3] = {0.5, 0.25, 0.125};
        static int counter;
        __attribute__((visibility("default"))) double entry(int i) {
            counter += 1;
            return table[i % 5] * weights[i % 3] + counter;
        }""", "entry", ctypes.c_double, [ctypes.c_int], [(0, 2.5), (4, 3.25)]),
    # PLT32 to libm and libc
    "libcalls": ("""
        #include <math.h>
        #include <stdio.h>
        #include <string.h>
        __attribute__((visibility("default"))) double entry(double x) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.3f", sin(x) + pow(x, 2.0));
            return (double)strlen(buf) + floor(x);
        }""", "entry", ctypes.c_double, [ctypes.c_double], [(1.0, 6.0), (10.0, 16.0)]),
    # R_X86_64_64 in .data.rel.ro: a table of function pointers and strings
    "pointers": ("""
        #include <string.h>
        static int add(int a, int b) { return a + b; }
        static int mul(int a, int b) { return a * b; }
        static int (*const ops[])(int, int) = {add, mul};
        static const char *const names[] = {"zero", "one", "three"};
        __attribute__((visibility("default"))) int entry(int which) {
            return ops[which & 1](6, 7) + (int)strlen(names[which % 3]);
        }""", "entry", ctypes.c_int, [ctypes.c_int], [(0, 17), (1, 45), (2, 18)]),
    # GOTPCREL to data libc defines, and a big .bss
    "extern_data": ("""
        #include <stdio.h>
        #include <errno.h>
        static char big[1 << 20];
        extern char **environ;
        __attribute__((visibility("default"))) long entry(long i) {
            big[i] = 7;
            errno = 0;
            return (environ != 0) + big[i] + big[(i + 1) % (1 << 20)] + (stdout != 0);
        }""", "entry", ctypes.c_long, [ctypes.c_long], [(5, 9), ((1 << 20) - 1, 9)]),
    # .init_array: a constructor runs at load
    "constructor": ("""
        static int ready;
        __attribute__((constructor)) static void setup(void) { ready = 42; }
        __attribute__((visibility("default"))) int entry(int x) { return ready + x; }
        """, "entry", ctypes.c_int, [ctypes.c_int], [(0, 42), (8, 50)]),
    # a switch compiled to a jump table (relative offsets in .rodata)
    "jump_table": ("""
        __attribute__((visibility("default"))) int entry(int x) {
            switch (x) {
            case 0: return 11; case 1: return 22; case 2: return 35; case 3: return 47;
            case 4: return 51; case 5: return 68; case 6: return 70; default: return -1;
            }
        }""", "entry", ctypes.c_int, [ctypes.c_int], [(0, 11), (3, 47), (6, 70), (9, -1)]),
}


def compile_object(tmp_path, name, source, extra=()):
    c = tmp_path / f"{name}.c"
    c.write_text(source)
    o = tmp_path / f"{name}.o"
    subprocess.run([CLANG, "-c", "-fPIC", "-O2", "-fvisibility=hidden", *extra, str(c), "-o", str(o)], check=True)
    return o


def link(obj, out, symbol, *extra):
    return subprocess.run([LINK_TOOL, str(obj), str(out), symbol, *extra], capture_output=True, text=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_links_loads_and_computes(tmp_path, name):
    source, symbol, restype, argtypes, calls = CASES[name]
    obj = compile_object(tmp_path, name, source)
    so = tmp_path / f"{name}.so"
    done = link(obj, so, symbol)
    assert done.returncode == 0, done.stderr
    assert hardening_problems(so, symbol) == []
    lib = ctypes.CDLL(str(so))
    f = getattr(lib, symbol)
    f.restype, f.argtypes = restype, argtypes
    for arg, expected in calls:
        assert f(arg) == expected


def test_relocation_kinds_covered(tmp_path):
    kinds = set()
    for name, (source, *_rest) in CASES.items():
        obj = compile_object(tmp_path, name, source)
        relocs = subprocess.run(["readelf", "-rW", str(obj)], capture_output=True, text=True, check=True).stdout
        kinds |= set(re.findall(r"R_X86_64_\w+", relocs))
    assert {"R_X86_64_PC32", "R_X86_64_PLT32", "R_X86_64_64", "R_X86_64_REX_GOTPCRELX"} <= kinds


def test_debug_sections_pass_through(tmp_path):
    source, symbol, *_ = CASES["data"]
    obj = compile_object(tmp_path, "dbg", source, ["-g"])
    so = tmp_path / "dbg.so"
    assert link(obj, so, symbol, "--debug").returncode == 0
    sections = subprocess.run(["readelf", "-SW", str(so)], capture_output=True, text=True, check=True).stdout
    assert ".debug_info" in sections and ".debug_line" in sections
    assert hardening_problems(so, symbol) == []
    assert ctypes.CDLL(str(so)).entry(0) > 0


@pytest.mark.parametrize("flags, message", [
    (["-fno-pic"], "unsupported relocation R_X86_64_32S"),  # absolute addresses in code
    (["-fno-pic", "-mcmodel=large"], "would need a text relocation"),
    (["-ftls-model=local-exec"], "thread-local"),
])
def test_unsupported_objects_fail_clearly(tmp_path, flags, message):
    source = """
        static int data[4];
        static __thread int tls_counter;
        __attribute__((visibility("default"))) long entry(int i) {
            tls_counter++;
            return (long)&data[i] + tls_counter;
        }"""
    if "thread-local" not in message:
        source = source.replace("static __thread int tls_counter;", "static int tls_counter;")
    obj = compile_object(tmp_path, "bad", source, flags)
    so = tmp_path / "bad.so"
    done = link(obj, so, "entry")
    assert done.returncode == 1
    assert message in done.stderr
    assert not so.exists()


def test_missing_export_is_an_error(tmp_path):
    obj = compile_object(tmp_path, "noexp", CASES["data"][0])
    so = tmp_path / "noexp.so"
    done = link(obj, so, "PyInit_missing")
    assert done.returncode == 1 and "does not define PyInit_missing" in done.stderr
    assert not so.exists()


def test_garbage_input_is_an_error(tmp_path):
    obj = tmp_path / "garbage.o"
    obj.write_bytes(b"\x7fELF" + os.urandom(200))
    done = link(obj, tmp_path / "g.so", "entry")
    assert done.returncode == 1 and done.stderr.startswith("link_tool: ")
