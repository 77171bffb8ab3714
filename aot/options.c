/* The command line:
 *   pyaot build FILE.py [--sig SIG | --sig NAME=SIG]... [-o OUTDIR] [-O0..-O3]
 *               [--emit-llvm] [--dump-ir] [-g] [--boundscheck=on|off]
 *               [--error-model=python|numpy] [--fastmath] [--parallel|--no-parallel]
 *               [--linker=elf|system] [--cpu NAME]
 *   pyaot --help | --version */
#include "aot.h"

#include <ctype.h>
#include <string.h>

static const char usage_text[] =
    "usage: pyaot build FILE.py [--sig SIG | --sig NAME=SIG]... [-o OUTDIR] [options]\n"
    "       pyaot wheel FILE.py [--sig ...] [--name DIST] [--version V] [-o DIST_DIR] [options]\n"
    "       pyaot --help | --version\n";

static const char help_text[] =
    "Compiles numeric Python functions ahead of time into a CPython extension\n"
    "module (FILE.cpython-311-x86_64-linux-gnu.so) that imports with nothing\n"
    "else installed.\n"
    "\n"
    "Options of `pyaot build`:\n"
    "  --sig NAME=SIG        compile function NAME for signature SIG, Numba's syntax,\n"
    "                        e.g. --sig \"f=float64(float64[:], int64)\"; repeat for\n"
    "                        overloads. A bare --sig SIG applies to the module's only\n"
    "                        function without a signature. Signatures may also be\n"
    "                        given in the source with @pyaot.export(\"SIG\"), and\n"
    "                        modules written for Numba build as they are: numba.pycc\n"
    "                        CC exports, @njit(\"SIG\") (see docs/from-numba.md).\n"
    "  -o OUTDIR             where to write the module (default: the current directory)\n"
    "  -O0 -O1 -O2 -O3       optimisation level (default -O3)\n"
    "  --emit-llvm           also write the optimised LLVM IR (.ll) beside the module\n"
    "  --dump-ir             print pyaot's typed IR of every compiled function\n"
    "  -g                    keep debug information\n"
    "  --boundscheck=on|off  check array indices (default on: IndexError)\n"
    "  --error-model=python|numpy\n"
    "                        python (default): division by zero raises\n"
    "                        ZeroDivisionError; numpy: gives inf/nan/0 like numpy\n"
    "  --fastmath            let LLVM reorder and contract float arithmetic (faster\n"
    "                        reductions; results may differ in the last bits)\n"
    "  --parallel, --no-parallel\n"
    "                        run prange loops on a thread pool (default: in functions\n"
    "                        compiled by pyaot, and with Numba's parallel=True) in every\n"
    "                        function, or in none; a function's own parallel= wins\n"
    "  --linker=elf|system   elf (default): pyaot's own linker, no toolchain needed;\n"
    "                        system: the system's C compiler driver, as a cross-check\n"
    "  --cpu NAME            target CPU (default: this machine's), e.g. x86-64-v2\n"
    "  --abi3, --no-abi3     build NAME.abi3.so on CPython's stable ABI, for every\n"
    "                        CPython from 3.11 on (default: off for build, on for wheel)\n"
    "\n"
    "`pyaot wheel` builds the same module and packs it into a wheel (PEP 427) with\n"
    "a .pyi stub; it takes the options above and:\n"
    "  --name DIST           distribution name (default: the module's name)\n"
    "  --version V           distribution version (default: 0.1.0)\n"
    "  -o DIST_DIR           where to write the .whl (default: the current directory)\n"
    "  The CPU defaults to the portable x86-64-v2 rather than this machine's.\n"
    "\n"
    "Exit status: 0 success, 1 compile error, 2 usage error.\n";

static int usage_error(const char *fmt, const char *arg) {
    fputs("pyaot: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    fputs(usage_text, stderr);
    return AOT_USAGE_ERROR;
}

/* NAME=SIG when the text before '=' is an identifier; signatures have no '='. */
static AotSigArg split_sig(Arena *a, const char *arg) {
    const char *eq = strchr(arg, '=');
    AotSigArg s = {.name = NULL, .text = arg};
    if (!eq || eq == arg)
        return s;
    for (const char *p = arg; p < eq; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return s;
    if (isdigit((unsigned char)arg[0]))
        return s;
    s.name = arena_strndup(a, arg, (size_t)(eq - arg));
    s.text = eq + 1;
    return s;
}

/* Value of `--opt=value` or `--opt value`; NULL with *i unchanged if not this option. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing) {
    size_t n = strlen(name);
    const char *arg = argv[*i];
    *missing = false;
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

int aot_parse_args(Arena *a, int argc, char **argv, AotOptions *o) {
    memset(o, 0, sizeof *o);
    o->outdir = ".";
    o->opt_level = 3;
    o->boundscheck = true;
    o->linker = LN_LINKER_ELF;
    if (argc < 2) {
        fputs(usage_text, stderr);
        return AOT_USAGE_ERROR;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, stdout);
        fputc('\n', stdout);
        fputs(help_text, stdout);
        return AOT_EXIT_NOW;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("pyaot %s\n", PYAOT_VERSION);
        return AOT_EXIT_NOW;
    }
    if (strcmp(argv[1], "build") == 0) {
        o->command = AOT_CMD_BUILD;
    } else if (strcmp(argv[1], "wheel") == 0) {
        o->command = AOT_CMD_WHEEL;
        o->abi3 = true;
        o->cpu = "x86-64-v2";
    } else {
        return usage_error("unknown command '%s' (expected 'build' or 'wheel')", argv[1]);
    }
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        const char *v;
        bool missing;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(help_text, stdout);
            return AOT_EXIT_NOW;
        } else if ((v = option_value(argc, argv, &i, "--sig", &missing)) || missing) {
            if (missing)
                return usage_error("%s needs a signature", arg);
            if (!*v)
                return usage_error("%s: empty signature", arg);
            vec_push(a, &o->sigs, split_sig(a, v));
        } else if (strcmp(arg, "-o") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a directory", arg);
            o->outdir = argv[++i];
            o->outdir_given = true;
            if (!*o->outdir)
                return usage_error("%s: empty directory name", arg);
        } else if (strncmp(arg, "-o", 2) == 0 && arg[2]) {
            o->outdir = arg + 2;
            o->outdir_given = true;
        } else if (arg[0] == '-' && arg[1] == 'O' && arg[2] && !arg[3]) {
            if (arg[2] < '0' || arg[2] > '3')
                return usage_error("unknown optimisation level '%s' (use -O0 to -O3)", arg);
            o->opt_level = arg[2] - '0';
        } else if (strcmp(arg, "--emit-llvm") == 0) {
            o->emit_llvm = true;
        } else if (strcmp(arg, "--dump-ir") == 0) {
            o->dump_ir = true;
        } else if (strcmp(arg, "-g") == 0) {
            o->debug_info = true;
        } else if (strcmp(arg, "--fastmath") == 0) {
            o->fastmath = true;
        } else if (strcmp(arg, "--parallel") == 0) {
            o->parallel = FE_SWITCH_ON;
        } else if (strcmp(arg, "--no-parallel") == 0) {
            o->parallel = FE_SWITCH_OFF;
        } else if ((v = option_value(argc, argv, &i, "--boundscheck", &missing)) || missing) {
            if (missing || (strcmp(v, "on") != 0 && strcmp(v, "off") != 0))
                return usage_error("%s takes on or off", arg);
            o->boundscheck = strcmp(v, "on") == 0;
        } else if ((v = option_value(argc, argv, &i, "--error-model", &missing)) || missing) {
            if (missing || (strcmp(v, "python") != 0 && strcmp(v, "numpy") != 0))
                return usage_error("%s takes python or numpy", arg);
            o->error_model_numpy = strcmp(v, "numpy") == 0;
        } else if ((v = option_value(argc, argv, &i, "--linker", &missing)) || missing) {
            if (missing || (strcmp(v, "elf") != 0 && strcmp(v, "system") != 0))
                return usage_error("%s takes elf or system", arg);
            o->linker = strcmp(v, "elf") == 0 ? LN_LINKER_ELF : LN_LINKER_SYSTEM;
        } else if ((v = option_value(argc, argv, &i, "--cpu", &missing)) || missing) {
            if (missing || !*v)
                return usage_error("%s needs a CPU name", arg);
            o->cpu = v;
            o->cpu_given = true;
        } else if (strcmp(arg, "--abi3") == 0 || strcmp(arg, "--no-abi3") == 0) {
            o->abi3 = arg[2] == 'a';
        } else if (o->command == AOT_CMD_WHEEL && ((v = option_value(argc, argv, &i, "--name", &missing)) || missing)) {
            if (missing || !*v)
                return usage_error("%s needs a distribution name", arg);
            o->dist_name = v;
        } else if (o->command == AOT_CMD_WHEEL &&
                   ((v = option_value(argc, argv, &i, "--version", &missing)) || missing)) {
            if (missing || !*v)
                return usage_error("%s needs a version", arg);
            o->dist_version = v;
        } else if (arg[0] == '-' && arg[1]) {
            return usage_error("unknown option '%s'", arg);
        } else if (o->input) {
            return usage_error("only one input file is allowed (got a second: '%s')", arg);
        } else {
            o->input = arg;
        }
    }
    if (!o->input)
        return usage_error("no input file (pyaot %s FILE.py)", argv[1]);
    return AOT_OK;
}
