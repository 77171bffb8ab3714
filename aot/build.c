/* `pyaot build`: the stages in order, from the user's file to the module.
 *
 *   aot_load        import the module, describe its functions and globals
 *   frontend/       signatures, bytecode, SSA, types
 *   lower/          LLVM IR, wrappers, optimisation, the object in memory
 *   link/           the shared object, written under a temporary name
 *
 * Any error unwinds here (Diag), is printed once, and removes whatever was
 * half written. */
#include "aot.h"
#include "lower.h"

#include <stdlib.h>
#include <string.h>

/* What a build holds across the error unwind (kept in memory, not in
 * locals, so longjmp leaves it intact). */
typedef struct Build {
    Arena *arena;
    Diag diag;
    AotModule module;
    FeBuild fe;
    LwModule *lw;
    AotOutput so, ll, whl;
} Build;

/* The linked module, read back for the wheel. */
static void *read_file(Build *b, const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    void *data = NULL;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        data = arena_alloc(b->arena, (size_t)n + 1);
        if (fread(data, 1, (size_t)n, f) != (size_t)n)
            data = NULL;
    }
    if (f)
        fclose(f);
    if (!data)
        diag_error(&b->diag, (SrcPos){0}, "cannot read back the linked module '%s'", path);
    *size = (size_t)n;
    return data;
}

static void write_llvm(Build *b, const AotOptions *o) {
    const char *name = arena_printf(b->arena, "%s.ll", b->module.name);
    aot_output_begin(b->arena, &b->ll, o->outdir, name, &b->diag);
    const char *text = lw_ir_text(b->lw);
    aot_output_write(&b->ll, text, strlen(text), &b->diag);
}

/* The command line's options, with what the module itself set where the
 * command line did not (a numba.pycc CC's output_dir and target_cpu). */
static AotOptions effective_options(const AotOptions *o, const AotModule *m) {
    AotOptions e = *o;
    if (m->outdir)
        e.outdir = m->outdir;
    if (m->cpu)
        e.cpu = strcmp(m->cpu, "host") == 0 ? NULL : m->cpu;
    return e;
}

static void run(Build *b, const AotOptions *cmdline) {
    Diag *d = &b->diag;
    aot_load(b->arena, d, cmdline, &b->module);
    if (b->module.exports.len == 0)
        diag_error(d, (SrcPos){.file = cmdline->input},
                   "nothing to compile: give signatures with --sig NAME=SIG or decorate functions with "
                   "@pyaot.export(\"SIG\")");
    AotOptions options = effective_options(cmdline, &b->module);
    const AotOptions *o = &options;

    fe_build_init(&b->fe, b->arena, d);
    b->fe.parallel = (FeSwitch)o->parallel;
    b->fe.library.data = b->module.library.data;
    b->fe.library.len = b->fe.library.cap = b->module.library.len;
    for (int i = 0; i < b->module.exports.len; i++) {
        const AotExport *ex = &b->module.exports.data[i];
        fe_add_export(&b->fe, ex->name, ex->func, ex->sigs.data, ex->sigs.len);
    }
    fe_infer_exports(&b->fe);
    for (int i = 0; i < b->fe.specs.len; i++) {
        if (o->dump_ir)
            fe_print_func(stdout, b->arena, b->fe.specs.data[i]);
        fe_verify(&b->fe, b->fe.specs.data[i]);
    }

    LwOptions lo = {
        .opt_level = o->opt_level,
        .boundscheck = o->boundscheck,
        .error_model_numpy = o->error_model_numpy,
        .fastmath = o->fastmath ? LW_FASTMATH_TRUE : 0,
        .debug_info = o->debug_info,
        .cpu = o->cpu,
    };
    b->lw = lw_create(b->arena, d, b->module.name, &lo);
    lw_lower_program(b->lw, &b->fe);
    lw_optimize(b->lw);
    const unsigned char *object;
    size_t object_size;
    lw_emit_object(b->lw, &object, &object_size);

    const char *so_name = arena_printf(b->arena, "%s%s", b->module.name, o->abi3 ? ".abi3.so" : b->module.ext_suffix);
    aot_output_begin(b->arena, &b->so, o->outdir, so_name, d);
    LnInput in = {
        .object = object,
        .object_size = object_size,
        .init_symbol = arena_printf(b->arena, "PyInit_%s", b->module.name),
        .keep_debug = o->debug_info,
        .versions = o->command == AOT_CMD_BUILD ? LN_VERSIONS_HOST_DEFAULT : LN_VERSIONS_OLDEST,
    };
    LnError err;
    if (ln_link(o->linker, &in, b->so.temp_path, &err) != 0)
        diag_error(d, (SrcPos){0}, "cannot link %s: %s", so_name, err.message);
    if (o->command == AOT_CMD_WHEEL) {
        size_t size;
        void *so = read_file(b, b->so.temp_path, &size);
        aot_write_wheel(b->arena, d, o, b->module.name, &b->fe, so, size, &b->whl);
        return; // the loose module is not kept
    }
    if (o->emit_llvm)
        write_llvm(b, o);
    aot_output_commit(&b->so, d);
    if (o->emit_llvm)
        aot_output_commit(&b->ll, d);
}

int aot_build(const AotOptions *o) {
    Build *b = calloc(1, sizeof *b);
    if (!b) {
        fprintf(stderr, "pyaot: error: out of memory\n");
        return AOT_COMPILE_ERROR;
    }
    b->arena = arena_new();
    b->diag.arena = b->arena;
    jmp_buf unwind;
    b->diag.unwind = &unwind;
    int rc = AOT_OK;
    if (setjmp(unwind) == 0) {
        run(b, o);
    } else {
        diag_print(stderr, &b->diag);
        rc = AOT_COMPILE_ERROR;
    }
    aot_output_discard(&b->so);
    aot_output_discard(&b->ll);
    aot_output_discard(&b->whl);
    lw_dispose(b->lw);
    arena_free(b->arena);
    free(b);
    // The interpreter is not finalised: the user's module may hold threads
    // or atexit hooks, and the process ends here anyway.
    return rc;
}
