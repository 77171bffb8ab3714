"""Modules written for Numba, read at build time (inside pyaot's embedded
interpreter, beside introspect.py, which loads this file only when the
module has imported numba):

* What the decorators said: `numba.pycc.CC` exports (the module's name, each
  export name with its signature), `@njit`/`@jit` signatures and options, read
  the same way from the real dispatchers and from the stand-in's
  (numba_standin.py, installed by numba_hook.py).
* Numba's type objects as signature text for frontend/sig.c.
* Where in the source each of those was written (the decorator, the string,
  the keyword), from the module's syntax tree, for errors and warnings.
* Numba features pyaot does not compile (@vectorize, @stencil, cuda.jit,
  jitclass, objmode...): a warning where they are defined, an error where
  compiled code would need them.
"""

import ast
import builtins
import sys


# ------------------------------------------------------------------ types

class Unsupported(Exception):
    """A signature pyaot cannot take (args: message)."""


def _kinds(t):
    return {c.__name__ for c in type(t).__mro__}


def type_text(t):
    """Numba's type object t in pyaot's signature syntax. Types pyaot has no
    equivalent for come out as Numba prints them, for sig.c to name."""
    kinds = _kinds(t)
    if "Boolean" in kinds:
        return "boolean"
    if "Integer" in kinds:
        return "%sint%d" % ("" if t.signed else "u", t.bitwidth)
    if "Complex" in kinds:
        return "complex%d" % t.bitwidth
    if "Float" in kinds:
        return "float%d" % t.bitwidth
    if "NoneType" in kinds:
        return "none"
    if "Array" in kinds:
        if not getattr(t, "mutable", True):
            raise Unsupported("read-only array types (%s) are not supported in signatures yet" % (t,))
        dims = [":"] * t.ndim
        if t.layout == "C":
            dims[-1] = "::1"
        elif t.layout == "F":
            dims[0] = "::1"
        return "%s[%s]" % (type_text(t.dtype), ", ".join(dims))
    if "UniTuple" in kinds:
        return "UniTuple(%s, %d)" % (type_text(t.dtype), t.count)
    if "BaseTuple" in kinds and hasattr(t, "types"):
        items = [type_text(x) for x in t.types]
        return "Tuple((%s%s))" % (", ".join(items), "," if len(items) == 1 else "")
    if "Optional" in kinds:
        return "optional(%s)" % type_text(t.type)
    return str(t)


def signature_text(sig):
    """A signature as Numba accepts it (string, Signature, tuple of argument
    types) in pyaot's syntax."""
    if isinstance(sig, str):
        return sig
    if isinstance(sig, tuple):
        args, ret = sig, None
    elif hasattr(sig, "args") and hasattr(sig, "return_type"):
        args, ret = sig.args, sig.return_type
    else:
        raise Unsupported("a signature must be a string, a Numba signature (float64(int64)) or a tuple of "
                          "argument types, not %s" % type(sig).__name__)
    for t in args + ((ret,) if ret is not None else ()):
        if not is_numba_object(t):
            raise Unsupported("invalid type in signature: expected a Numba type, got %r" % (t,))
    return "%s(%s)" % ("" if ret is None else type_text(ret), ", ".join(type_text(a) for a in args))


def is_numba_object(obj):
    module = getattr(type(obj), "__module__", "") or ""
    return module == "numba" or module.startswith("numba.")


def scalar_library_name(obj):
    """numba.float64 and friends used as functions in compiled code
    (float64(x)) are numpy's scalar types: "numpy.float64", or None."""
    if not is_numba_object(obj) or not ({"Boolean", "Integer", "Float", "Complex"} & _kinds(obj)):
        return None
    text = type_text(obj)
    return "numpy.bool_" if text == "boolean" else "numpy." + text


# ----------------------------------------------------------------- source

class Source:
    """The module's syntax tree, to find where things were written."""

    def __init__(self, path, globals_):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.lines = text.split("\n")
        self.tree = ast.parse(text)
        self.globals = globals_
        self.defs = {}
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                self.defs[(node.name, first)] = node

    def definition(self, func):
        code = func.__code__
        return self.defs.get((code.co_name, code.co_firstlineno))

    def resolve(self, expr):
        """The object a name or dotted name stands for in the module, or None."""
        if isinstance(expr, ast.Name):
            if expr.id in self.globals:
                return self.globals[expr.id]
            return getattr(builtins, expr.id, None)
        if isinstance(expr, ast.Attribute):
            base = self.resolve(expr.value)
            try:
                return getattr(base, expr.attr, None) if base is not None else None
            except Exception:
                return None
        return None

    def decorators(self, node):
        """(object the decorator calls, the Call node or None, the expression)."""
        for expr in node.decorator_list:
            call = expr if isinstance(expr, ast.Call) else None
            yield self.resolve(call.func if call else expr), call, expr

    @staticmethod
    def at(node):
        return node.lineno, node.col_offset + 1

    def string_at(self, node):
        """(line, col) of the first character of a one-line string literal's
        text, or None when node is not one."""
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.lineno == node.end_lineno):
            return None
        line = self.lines[node.lineno - 1].encode("utf-8")
        col = node.col_offset
        while col < len(line) and chr(line[col]) in "rRuU":
            col += 1
        quote = line[col:col + 3]
        col += 3 if quote in (b'"""', b"'''") else 1
        return node.lineno, col + 1

    def assignments(self, name, attr):
        """The module-level statements `name.attr = ...`, last one first."""
        found = []
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Attribute) and t.attr == attr and isinstance(t.value, ast.Name) \
                            and t.value.id == name:
                        found.append(t)
        return sorted(found, key=lambda n: (n.lineno, n.col_offset), reverse=True)

    def binding(self, name):
        """Where a module-level name is assigned (the value), or None."""
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                return node.value
        return None


# ----------------------------------------------- what pyaot does not compile

# Numba's API by dotted name (from the numba package): what each object is.
_API = [
    ("njit", "jit"), ("jit", "jit"), ("objmode", "objmode"),
    ("vectorize", "numba.vectorize"), ("guvectorize", "numba.guvectorize"), ("stencil", "numba.stencil"),
    ("cfunc", "numba.cfunc"), ("generated_jit", "numba.generated_jit"),
    ("experimental.jitclass", "numba.experimental.jitclass"), ("cuda.jit", "numba.cuda.jit"),
    ("extending.overload", "numba.extending.overload"),
    ("extending.overload_method", "numba.extending.overload_method"),
    ("extending.overload_attribute", "numba.extending.overload_attribute"),
    ("extending.intrinsic", "numba.extending.intrinsic"),
]

# What to do instead of each Numba feature pyaot does not compile.
UNSUPPORTED = {
    "numba.vectorize": "write the element-wise loop in an @njit function with a signature",
    "numba.guvectorize": "write the loops in an @njit function with a signature",
    "numba.stencil": "write the neighbourhood loop out in an @njit function",
    "numba.cfunc": "pyaot builds extension modules, not C callbacks: give it @njit with the signature instead",
    "numba.generated_jit": "write one @njit function; pyaot specialises it for each signature",
    "numba.experimental.jitclass": "classes are not compiled: pass their fields to @njit functions as arrays "
                                   "or tuples",
    "numba.cuda.jit": "pyaot compiles for the CPU: write the kernel as an @njit function with a loop",
    "numba.extending.overload": "call a plain function of the module instead",
    "numba.extending.overload_method": "call a plain function of the module instead",
    "numba.extending.overload_attribute": "call a plain function of the module instead",
    "numba.extending.intrinsic": "intrinsics generate LLVM IR through Numba, which pyaot cannot run",
}

# @jit options: honoured per function, accepted without effect, or not
# honoured yet (a warning each).
_SWITCH_BUILD, _SWITCH_ON, _SWITCH_OFF, _SWITCH_IF_ASKED = 0, 1, 2, 3
IGNORED_OPTIONS = {
    "nopython", "looplift", "cache", "inline", "locals", "debug", "no_cpython_wrapper", "no_cfunc_wrapper",
    "no_rewrites", "pipeline_class", "forceinline", "nrt", "_nrt", "opt", "writable_args", "target_backend",
    "_target", "_dbg_extend_lifetimes", "_dbg_optnone",
}
NOT_HONOURED = {
    "forceobj": "forceobj=True is not honoured: pyaot compiles in nopython mode only",
}


class Reader:
    """What a module written for Numba declares. `user_error(msg, line, col)`
    is the exception to raise for mistakes in it; warnings and notes are
    appended to the list `messages` as (kind, message, line, col);
    `underlying_function(obj)` is the Python function behind a decorated
    object, or None."""

    def __init__(self, module, path, user_error, messages, underlying_function):
        self.globals = module.__dict__
        self.error = user_error
        self.underlying_function = underlying_function
        self.messages = messages
        self.numba = sys.modules.get("numba")
        self.source = None
        self.api = {}
        self.unsupported = {}  # global name -> the Numba feature it was made with
        if self.numba is None and not any(is_cc(v) for v in self.globals.values()):
            return  # not a Numba module
        try:
            self.source = Source(path, self.globals)
        except (OSError, SyntaxError, ValueError):
            return
        for dotted, role in _API:
            obj = self.numba_attr(dotted)
            if obj is not None:
                self.api[id(obj)] = (role, obj)
        self.scan_definitions()

    def numba_attr(self, dotted):
        """numba.<dotted> without importing anything new."""
        if self.numba is None:
            return None
        head, _, leaf = dotted.rpartition(".")
        owner = sys.modules.get("numba." + head) if head else self.numba
        return getattr(owner, leaf, None) if owner is not None else None

    def role(self, obj):
        found = self.api.get(id(obj))
        return found[0] if found and found[1] is obj else None

    def warn(self, message, where, kind="warning"):
        self.messages.append((kind, message) + where)

    # -- definitions made with features pyaot does not compile
    def scan_definitions(self):
        for node in self.source.tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                continue
            for obj, call, expr in self.source.decorators(node):
                feature = self.role(obj)
                if feature in UNSUPPORTED:
                    self.unsupported[node.name] = feature
                    self.warn("%s is not supported: '%s' is left out of the built module (%s)"
                              % (feature, node.name, UNSUPPORTED[feature]), Source.at(expr))

    @staticmethod
    def library_name(obj):
        return scalar_library_name(obj)

    @staticmethod
    def describe_object(obj):
        """What to call a Numba object compiled code cannot use, or None."""
        if is_numba_object(obj) or (isinstance(obj, type) and obj.__module__.startswith("numba")):
            return "numba's %s (not supported by pyaot)" % (getattr(obj, "__name__", None) or type(obj).__name__)
        return None

    def binding_at(self, name):
        """(line, col) where a module-level name is assigned, or (0, 0)."""
        node = self.source.binding(name) if self.source else None
        return Source.at(node) if node is not None else (0, 0)

    def describe_unsupported(self, name):
        feature = self.unsupported.get(name)
        if feature is None:
            return None
        return "made with %s (not supported by pyaot: %s)" % (feature, UNSUPPORTED[feature])

    # -- @jit / @njit
    def jit_decorator(self, func):
        """The Call node of func's @jit/@njit decorator, or None."""
        node = self.source.definition(func) if self.source else None
        if node is None:
            return None, None
        for obj, call, expr in self.source.decorators(node):
            if self.role(obj) == "jit":
                return call, expr
        return None, None

    def jit_info(self, obj):
        """(py_func, signatures or None, options) for a @jit/@njit product,
        real or stand-in; None for anything else. Signatures are None when
        the decorator gave none (the function compiles when called)."""
        if hasattr(obj, "_pyaot_signatures"):  # the stand-in's Dispatcher
            return obj.py_func, obj._pyaot_signatures, obj.targetoptions
        if not (is_numba_object(obj) and hasattr(obj, "py_func") and hasattr(obj, "targetoptions")
                and hasattr(obj, "overloads")):
            return None
        if getattr(obj, "_can_compile", True):
            sigs = None  # lazy: whatever was compiled came from calls, not declarations
        else:
            sigs = [cres.signature for cres in obj.overloads.values() if not getattr(cres, "objectmode", False)]
        return obj.py_func, sigs, dict(obj.targetoptions)

    def jit_signatures(self, obj):
        """[(text, line, col)] of a @jit product's declared signatures, or None."""
        info = self.jit_info(obj)
        if info is None or info[1] is None:
            return None
        func, sigs, _ = info
        call, expr = self.jit_decorator(func)
        nodes = self.signature_nodes(call)
        if len(nodes) == len(sigs) and all(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in nodes):
            sigs = [n.value for n in nodes]  # as written: errors can point into them
        return [self.signature(s, nodes[i] if i < len(nodes) else expr) for i, s in enumerate(sigs)]

    @staticmethod
    def signature_nodes(call):
        """The expressions a @jit call gives as signatures, one per signature."""
        if call is None:
            return []
        arg = call.args[0] if call.args else next(
            (k.value for k in call.keywords if k.arg == "signature_or_function"), None)
        if arg is None:
            return []
        return list(arg.elts) if isinstance(arg, ast.List) else [arg]

    def signature(self, sig, node):
        """(text, line, col) for sig written at node: col is the text's first
        character when the text is the literal there, 0 otherwise."""
        try:
            text = signature_text(sig)
        except Unsupported as e:
            raise self.error(e.args[0], *(Source.at(node) if node is not None else (0, 0)))
        if node is None:
            return text, 0, 0
        if isinstance(sig, str) and isinstance(node, ast.Constant) and node.value == sig:
            exact = self.source.string_at(node)
            if exact:
                return (text,) + exact
        return text, node.lineno, 0

    def function_options(self, obj):
        """{option: value} of a @jit product's own options that pyaot honours
        (boundscheck, error_model and parallel as switches, fastmath as LLVM
        flags),
        and a warning for each option it does not honour."""
        info = self.jit_info(obj)
        if info is None:
            return {}
        func, _, options = info
        call, expr = self.jit_decorator(func)
        code = func.__code__
        fallback = Source.at(expr) if expr is not None else (code.co_firstlineno, 0)

        def where(key):
            for k in (call.keywords if call is not None else []):
                if k.arg == key:
                    return Source.at(k)
            return fallback

        switches = {"boundscheck": _SWITCH_BUILD, "nogil": _SWITCH_BUILD}
        error_model = _SWITCH_BUILD
        fastmath = -1
        parallel = _SWITCH_IF_ASKED  # Numba's rule: prange is range without parallel=True
        for key, value in options.items():
            if key in switches:
                if value is not None and not isinstance(value, bool):
                    raise self.error("%s must be True, False or None, not %r" % (key, value), *where(key))
                if value is not None:
                    switches[key] = _SWITCH_ON if value else _SWITCH_OFF
            elif key == "error_model":
                if value not in ("python", "numpy"):
                    raise self.error("error_model must be 'python' or 'numpy', not %r" % (value,), *where(key))
                error_model = _SWITCH_ON if value == "numpy" else _SWITCH_OFF
            elif key == "fastmath":
                import pyaot
                try:
                    fastmath = pyaot._fastmath_flags(value)
                except ValueError as e:
                    raise self.error(str(e), *where(key))
            elif key == "parallel":
                if not isinstance(value, (bool, dict)):
                    raise self.error("parallel must be True, False or a dict of options, not %r" % (value,),
                                     *where(key))
                parallel = _SWITCH_ON if value else _SWITCH_IF_ASKED
            elif key in NOT_HONOURED:
                if value:
                    self.warn("'%s': %s" % (func.__name__, NOT_HONOURED[key]), where(key))
            elif key in ("target_backend", "_target") and value not in (None, "cpu"):
                raise self.error("target %r is not supported: pyaot compiles for the CPU" % (value,), *where(key))
            elif key not in IGNORED_OPTIONS:
                raise self.error("numba.jit has no option '%s'" % key, *where(key))
        return dict(switches, error_model=error_model, fastmath=fastmath, parallel=parallel)

    def check_function(self, func):
        """Errors for Numba features inside a function pyaot compiles."""
        node = self.source.definition(func) if self.source else None
        if node is None:
            return
        for inner in ast.walk(node):
            if isinstance(inner, (ast.With, ast.AsyncWith)):
                for item in inner.items:
                    expr = item.context_expr
                    target = expr.func if isinstance(expr, ast.Call) else expr
                    if self.role(self.source.resolve(target)) == "objmode":
                        raise self.error(
                            "numba.objmode is not supported: pyaot compiles all of '%s' in nopython mode; move "
                            "the object-mode code out of it into plain Python" % func.__name__,
                            *Source.at(expr))

    # -- numba.pycc
    def compilers(self):
        """[(global name, CC object)] defined by the module."""
        seen, found = set(), []
        for name, value in self.globals.items():
            if is_cc(value) and id(value) not in seen:
                seen.add(id(value))
                found.append((name, value))
        return found

    def read_cc(self, name, cc, flags):
        """What a CC declares: (module name, [(export name, function,
        [(text, line, col)])], output dir or None, cpu or None)."""
        cc_at = self.binding_at(name)
        module_name = cc._basename
        if not isinstance(module_name, str) or not module_name.isidentifier():
            raise self.error("CC(%r): the extension name must be a Python identifier" % (module_name,), *cc_at)
        exports = []
        for symbol, entry in cc._exported_functions.items():
            func = self.underlying_function(entry.function)
            name_node, sig_node = self.export_nodes(cc, symbol)
            if func is None or func.__globals__ is not self.globals:
                raise self.error("%s.export(%r, ...) must decorate a function of this module, not %s"
                                 % (name, symbol, type(entry.function).__name__),
                                 *(Source.at(name_node) if name_node else cc_at))
            if not isinstance(symbol, str) or not symbol.isidentifier():
                raise self.error("%s.export(%r, ...): the exported name must be a Python identifier"
                                 % (name, symbol), *(Source.at(name_node) if name_node else cc_at))
            exports.append((symbol, func, [self.signature(entry.signature, sig_node)]))
        outdir = cpu = None
        settings = getattr(cc, "_settings", {})

        def at(attr):
            found = self.source.assignments(name, attr) if self.source else []
            return Source.at(found[0]) if found else cc_at

        if settings.get("output_dir"):
            if flags["outdir_given"]:
                self.warn("%s.output_dir is overridden by -o" % name, at("output_dir"), "note")
            else:
                outdir = str(settings["output_dir"])
        if settings.get("target_cpu"):
            value = str(settings["target_cpu"])
            if flags["wheel"]:
                self.warn("%s.target_cpu is ignored for wheels, which are built for --cpu (x86-64-v2 unless "
                          "given)" % name, at("target_cpu"), "note")
            elif flags["cpu_given"]:
                self.warn("%s.target_cpu is overridden by --cpu" % name, at("target_cpu"), "note")
            else:
                cpu = value
        if settings.get("verbose"):
            self.warn("%s.verbose is ignored: pyaot prints warnings and errors only" % name, at("verbose"), "note")
        if "output_file" in settings:
            self.warn("%s.output_file is ignored: the module is written as %s with the interpreter's extension "
                      "suffix" % (name, module_name), at("output_file"), "note")
        return module_name, exports, outdir, cpu

    def export_nodes(self, cc, symbol):
        """The name and signature expressions of @cc.export(symbol, sig)."""
        defs = [n for n in self.source.tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))] \
            if self.source else []
        decorators = [d for node in defs for d in self.source.decorators(node)]
        for obj, call, expr in decorators:
            if call is None or getattr(obj, "__self__", None) is not cc:
                continue
            keywords = {k.arg: k.value for k in call.keywords}
            name_node = call.args[0] if call.args else keywords.get("exported_name")
            sig_node = call.args[1] if len(call.args) > 1 else keywords.get("sig")
            if isinstance(name_node, ast.Constant) and name_node.value == symbol:
                return name_node, sig_node
        return None, None


def is_cc(obj):
    return not isinstance(obj, type) and hasattr(obj, "_exported_functions") and hasattr(obj, "_basename")
