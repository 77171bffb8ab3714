"""Bad input in modules written for Numba, with the real Numba installed and
with it hidden from the build: each gives one diagnostic at the user's line
that names the feature (exit 1, nothing written, no traceback), or a warning
and a module without the part pyaot leaves out."""
import os

import pytest

from numba_helpers import build, write

BOTH = ("numba-installed", "numba-hidden")

# (name, source, {mode: expected diagnostic "LINE[:COL]: kind: message"}).
# Where the real Numba rejects the input itself while the module is imported,
# its own message is what the user sees.
ERRORS = [
    ("pycc_bad_signature",
     "from numba.pycc import CC\ncc = CC('m')\n\n@cc.export('f', 'f8(f8')\ndef f(x):\n    return x\n",
     dict.fromkeys(BOTH, "4:23: error: invalid signature: expected ')' or ',' at the end")),
    ("pycc_unknown_type",
     "from numba.pycc import CC\ncc = CC('m')\n\n@cc.export('f', 'f8(float65)')\ndef f(x):\n    return x\n",
     dict.fromkeys(BOTH, "4:21: error: invalid signature: unknown type 'float65'")),
    ("pycc_parameter_count",
     "from numba.pycc import CC\ncc = CC('m')\n\n@cc.export('f', 'f8(f8, f8)')\ndef f(x):\n    return x\n",
     dict.fromkeys(BOTH, "4:18: error: signature 'f8(f8, f8)' has 2 parameters but 'f' takes 1")),
    ("pycc_type_object_parameter_count",
     "from numba.pycc import CC\nfrom numba import float64\ncc = CC('m')\n\n"
     "@cc.export('f', float64(float64, float64))\ndef f(x):\n    return x\n",
     dict.fromkeys(BOTH, "5: error: signature 'float64(float64, float64)' has 2 parameters but 'f' takes 1")),
    ("pycc_optional",
     "from numba.pycc import CC\ncc = CC('m')\n\n@cc.export('f', 'f8(optional(f8))')\ndef f(x):\n    return x\n",
     dict.fromkeys(BOTH, "4:21: error: optional(...) types are not supported yet")),
    ("pycc_duplicate_name",
     "from numba.pycc import CC\ncc = CC('m')\n\n@cc.export('f', 'f8(f8)')\ndef f(x):\n    return x\n\n"
     "@cc.export('f', 'i8(i8)')\ndef g(x):\n    return x\n",
     dict.fromkeys(BOTH, "8: error: importing pycc_duplicate_name.py raised KeyError: 'duplicated export "
                         "symbol f'")),
    ("pycc_dotted_module_name",
     "from numba.pycc import CC\ncc = CC('my.mod')\n",
     dict.fromkeys(BOTH, "2: error: importing pycc_dotted_module_name.py raised ValueError: basename should be "
                         "a simple module name, not qualified name")),
    ("pycc_export_name_not_identifier",
     "from numba.pycc import CC\ncc = CC('m')\n\n@cc.export('my-f', 'f8(f8)')\ndef f(x):\n    return x\n",
     dict.fromkeys(BOTH, "4:12: error: cc.export('my-f', ...): the exported name must be a Python identifier")),
    ("pycc_export_of_class",
     "from numba.pycc import CC\ncc = CC('m')\n\n@cc.export('f', 'f8(f8)')\nclass F:\n    pass\n",
     dict.fromkeys(BOTH, "4:12: error: cc.export('f', ...) must decorate a function of this module, not type")),
    ("pycc_two_compilers",
     "from numba.pycc import CC\na = CC('one')\nb = CC('two')\n\n@a.export('f', 'f8(f8)')\ndef f(x):\n"
     "    return x\n",
     dict.fromkeys(BOTH, "3:5: error: this file defines 2 numba.pycc CC objects (a, b): pyaot builds one "
                         "module per file")),
    ("pycc_exports_nothing",
     "from numba.pycc import CC\ncc = CC('m')\n\ndef f(x):\n    return x\n",
     dict.fromkeys(BOTH, "2:6: error: CC('m') exports nothing: decorate functions with @cc.export(NAME, "
                         "SIGNATURE)")),
    ("njit_bad_signature",
     "from numba import njit\n\n@njit(\"f8(f8\")\ndef f(x):\n    return x\n",
     {"numba-hidden": "3:13: error: invalid signature: expected ')' or ',' at the end",
      "numba-installed": "3: error: SyntaxError: '(' was never closed"}),
    ("njit_parameter_count",
     "from numba import njit\n\n@njit([\"f8(f8)\", \"f8(f8, f8)\"])\ndef f(x):\n    return x\n",
     {"numba-hidden": "3:19: error: signature 'f8(f8, f8)' has 2 parameters but 'f' takes 1",
      "numba-installed": "3: error: importing njit_parameter_count.py raised TypeError"}),
    ("njit_string_type",
     "from numba import njit, types, float64\n\n@njit(float64(types.unicode_type))\ndef f(x):\n    return 1.0\n",
     dict.fromkeys(BOTH, "3: error: strings are not supported in signatures")),
    ("njit_readonly_array",
     "from numba import njit, types, float64\n\n@njit(float64(types.Array(float64, 1, 'C', readonly=True)))\n"
     "def f(x):\n    return x[0]\n",
     dict.fromkeys(BOTH, "3:7: error: read-only array types")),
    ("njit_unknown_option",
     "from numba import njit\n\n@njit(\"f8(f8)\", paralel=True)\ndef f(x):\n    return x\n",
     {"numba-hidden": "3:17: error: numba.jit has no option 'paralel'",
      "numba-installed": "3: error: importing njit_unknown_option.py raised KeyError: \"Unrecognized options"}),
    ("njit_error_model",
     "from numba import njit\n\n@njit(\"f8(f8)\", error_model='c')\ndef f(x):\n    return x\n",
     {"numba-hidden": "3:17: error: error_model must be 'python' or 'numpy', not 'c'",
      "numba-installed": "3: error: importing njit_error_model.py raised KeyError: 'c'"}),
    ("njit_boundscheck_value",
     "from numba import njit\n\n@njit(\"f8(f8)\", boundscheck='yes')\ndef f(x):\n    return x\n",
     dict.fromkeys(BOTH, "3:17: error: boundscheck must be True, False or None, not 'yes'")),
    ("njit_cuda_target",
     "from numba import jit\n\n@jit(\"f8(f8)\", _target='cuda')\ndef f(x):\n    return x\n",
     {"numba-hidden": "3:16: error: target 'cuda' is not supported: pyaot compiles for the CPU",
      "numba-installed": "3: error: importing njit_cuda_target.py raised KeyError"}),
    ("njit_objmode",
     "from numba import njit, objmode\n\n@njit(\"f8(f8)\")\ndef f(x):\n    with objmode(y='f8'):\n"
     "        y = x + 1\n    return y\n",
     dict.fromkeys(BOTH, "5:10: error: numba.objmode is not supported: pyaot compiles all of 'f' in nopython "
                         "mode")),
    ("njit_vectorize_called",
     "from numba import njit, vectorize\n\n@vectorize(['f8(f8)'])\ndef v(x):\n    return x + 1\n\n"
     "@njit(\"f8(f8)\")\ndef f(x):\n    return v(x)\n",
     dict.fromkeys(BOTH, "9:12: error: global 'v' is made with numba.vectorize (not supported by pyaot: write "
                         "the element-wise loop in an @njit function with a signature)")),
    ("njit_jitclass_used",
     "import numba\nfrom numba import njit\nfrom numba.experimental import jitclass\n\n"
     "@jitclass([('x', numba.float64)])\nclass Point:\n    def __init__(self, x):\n        self.x = x\n\n"
     "@njit(\"f8(f8)\")\ndef f(x):\n    p = Point(x)\n    return x\n",
     dict.fromkeys(BOTH, "12:9: error: global 'Point' is made with numba.experimental.jitclass")),
    ("njit_cfunc_called",
     "from numba import njit, cfunc\n\n@cfunc('f8(f8)')\ndef cb(x):\n    return x\n\n"
     "@njit(\"f8(f8)\")\ndef f(x):\n    return cb(x)\n",
     dict.fromkeys(BOTH, "9:12: error: global 'cb' is made with numba.cfunc")),
    ("njit_literal_unroll",
     "from numba import njit, literal_unroll\n\n@njit(\"i8(UniTuple(i8, 2))\")\ndef f(t):\n    s = 0\n"
     "    for x in literal_unroll(t):\n        s += x\n    return s\n",
     dict.fromkeys(BOTH, "6:14: error: 'literal_unroll' (numba.literal_unroll) is not supported in compiled "
                         "code")),
    ("njit_without_signatures",
     "from numba import njit\n\n@njit\ndef f(x):\n    return x\n",
     dict.fromkeys(BOTH, " error: nothing to compile: give a signature with --sig NAME=SIG, "
                         "@pyaot.export(\"...\"), @njit(\"...\")")),
    ("exported_by_pyaot_and_njit",
     "from numba import njit\nfrom pyaot import export\n\n@export('f8(f8)')\n@njit(\"f8(f8)\")\ndef f(x):\n"
     "    return x\n",
     dict.fromkeys(BOTH, "5:8: error: signature 'f8(f8)' repeats the parameter types of an earlier signature "
                         "of 'f'")),
]

# Definitions pyaot leaves out: a warning each, and the rest of the module builds.
LEFT_OUT = [
    ("vectorize", "from numba import vectorize\n\n@vectorize(['f8(f8)'])\ndef g(x):\n    return x + 1\n",
     "3:2: warning: numba.vectorize is not supported: 'g' is left out of the built module (write the "
     "element-wise loop in an @njit function with a signature)"),
    ("guvectorize", "from numba import guvectorize\n\n@guvectorize(['void(f8[:], f8[:])'], '(n)->(n)')\n"
     "def g(x, out):\n    out[:] = x\n",
     "3:2: warning: numba.guvectorize is not supported: 'g' is left out of the built module"),
    ("stencil", "from numba import stencil\n\n@stencil\ndef g(a):\n    return a[-1] + a[1]\n",
     "3:2: warning: numba.stencil is not supported: 'g' is left out of the built module (write the "
     "neighbourhood loop out in an @njit function)"),
    ("cuda_jit", "from numba import cuda\n\n@cuda.jit\ndef g(a):\n    a[0] = 1\n",
     "3:2: warning: numba.cuda.jit is not supported: 'g' is left out of the built module (pyaot compiles for "
     "the CPU"),
    ("generated_jit", "from numba import generated_jit\n\n@generated_jit\ndef g(x):\n    return lambda x: x\n",
     "3:2: warning: numba.generated_jit is not supported: 'g' is left out of the built module"),
    ("jitclass", "import numba\nfrom numba.experimental import jitclass\n\n@jitclass([('x', numba.float64)])\n"
     "class P:\n    def __init__(self, x):\n        self.x = x\n",
     "4:2: warning: numba.experimental.jitclass is not supported: 'P' is left out of the built module"),
]

KEEP = "\n\nfrom numba import njit as _njit\n\n@_njit('f8(f8)')\ndef kept(x):\n    return x * 2\n"


@pytest.mark.parametrize("mode", BOTH)
@pytest.mark.parametrize("name,source,expected", ERRORS, ids=[e[0] for e in ERRORS])
def test_numba_errors(tmp_path, mode, name, source, expected):
    tmp = str(tmp_path)
    path = write(tmp, name + ".py", source)
    done = build(tmp, path, hide_numba=mode == "numba-hidden")
    want = "%s.py:%s" % (name, expected[mode])  # " error:" for no position
    assert done.returncode == 1, done.stderr
    assert want in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not os.path.exists(os.path.join(tmp, "out")), os.listdir(os.path.join(tmp, "out"))


@pytest.mark.parametrize("mode", BOTH)
@pytest.mark.parametrize("name,source,warning", LEFT_OUT, ids=[e[0] for e in LEFT_OUT])
def test_numba_features_left_out(tmp_path, mode, name, source, warning):
    tmp = str(tmp_path)
    path = write(tmp, name + ".py", source + KEEP)
    done = build(tmp, path, hide_numba=mode == "numba-hidden")
    assert done.returncode == 0, done.stderr
    assert "%s.py:%s" % (name, warning) in done.stderr, done.stderr
    assert done.stderr.count("warning:") == 1, done.stderr
    assert os.listdir(os.path.join(tmp, "out")) == [name + ".cpython-311-x86_64-linux-gnu.so"]


def test_warnings_found_before_an_error_are_printed(tmp_path):
    tmp = str(tmp_path)
    source = ("from numba import njit, objmode, vectorize\n\n@vectorize(['f8(f8)'])\ndef v(x):\n    return x\n\n"
              "@njit('f8(f8)', parallel=True)\ndef f(x):\n    with objmode(y='f8'):\n        y = x\n    return y\n")
    path = write(tmp, "both.py", source)
    done = build(tmp, path, hide_numba=True)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("both.py") or "/both.py:" in line]
    assert [line.split("both.py:")[1].split(": ")[0:2] for line in lines] == [
        ["3:2", "warning"], ["9:10", "error"]], done.stderr
