/* The LLVM module of one build. It starts as the runtime's bitcode, so the
 * runtime's functions are defined in the same module as the user's code and
 * inline into it; optimisation then drops whatever is not used. */
#include "lw.h"

#include <string.h>

extern const unsigned char pyaot_runtime_bitcode[];
extern const unsigned long pyaot_runtime_bitcode_size;

static int64_t runtime_constant(LwModule *m, const char *name) {
    LLVMValueRef g = LLVMGetNamedGlobal(m->mod, name);
    LLVMValueRef init = g ? LLVMGetInitializer(g) : NULL;
    if (!init)
        diag_internal(m->d, "the runtime bitcode has no constant %s", name);
    return LLVMConstIntGetSExtValue(init);
}

static void create_target(LwModule *m) {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    char *triple = LLVMGetDefaultTargetTriple();
    LLVMTargetRef target;
    char *err = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &err))
        diag_error(m->d, (SrcPos){0}, "no LLVM target for %s: %s", triple, err);
    if (m->opt.cpu) {
        m->cpu = arena_strdup(m->arena, m->opt.cpu);
        m->features = "";
    } else {
        char *host = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
        m->cpu = arena_strdup(m->arena, host);
        m->features = arena_strdup(m->arena, features);
        LLVMDisposeMessage(host);
        LLVMDisposeMessage(features);
    }
    LLVMCodeGenOptLevel level = m->opt.opt_level == 0 ? LLVMCodeGenLevelNone
                              : m->opt.opt_level == 1 ? LLVMCodeGenLevelLess
                              : m->opt.opt_level == 2 ? LLVMCodeGenLevelDefault
                                                      : LLVMCodeGenLevelAggressive;
    m->tm = LLVMCreateTargetMachine(target, triple, m->cpu, m->features, level, LLVMRelocPIC,
                                    LLVMCodeModelDefault);
    if (!m->tm)
        diag_error(m->d, (SrcPos){0}, "cannot create a target machine for CPU '%s'", m->cpu);
    m->td = LLVMCreateTargetDataLayout(m->tm);
    LLVMSetTarget(m->mod, triple);
    LLVMSetModuleDataLayout(m->mod, m->td);
    LLVMDisposeMessage(triple);
}

/* Gives the runtime's functions our target attributes, so they inline into
 * (and are compiled for the same CPU as) the user's code. */
static void retarget_runtime(LwModule *m) {
    LLVMAttributeRef cpu = LLVMCreateStringAttribute(m->ctx, "target-cpu", 10, m->cpu, (unsigned)strlen(m->cpu));
    LLVMAttributeRef features = LLVMCreateStringAttribute(m->ctx, "target-features", 15, m->features,
                                                          (unsigned)strlen(m->features));
    for (LLVMValueRef fn = LLVMGetFirstFunction(m->mod); fn; fn = LLVMGetNextFunction(fn)) {
        if (LLVMIsDeclaration(fn))
            continue;
        LLVMRemoveStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex, "target-cpu", 10);
        LLVMRemoveStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex, "target-features", 15);
        LLVMRemoveStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex, "tune-cpu", 8);
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, cpu);
        if (*m->features)
            LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, features);
    }
}

LwModule *lw_create(Arena *a, Diag *d, const char *name, const LwOptions *opt) {
    LwModule *m = ARENA_NEW(a, LwModule);
    m->arena = a;
    m->d = d;
    m->opt = *opt;
    m->name = name;
    m->ctx = LLVMContextCreate();
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRange(
        (const char *)pyaot_runtime_bitcode, pyaot_runtime_bitcode_size, "runtime.bc", 0);
    if (LLVMParseBitcodeInContext2(m->ctx, buf, &m->mod))
        diag_internal(d, "the runtime bitcode built into pyaot does not parse");
    LLVMDisposeMemoryBuffer(buf);
    LLVMSetModuleIdentifier(m->mod, name, strlen(name));
    LLVMSetSourceFileName(m->mod, name, strlen(name));
    m->i1 = LLVMInt1TypeInContext(m->ctx);
    m->i8 = LLVMInt8TypeInContext(m->ctx);
    m->i16 = LLVMInt16TypeInContext(m->ctx);
    m->i32 = LLVMInt32TypeInContext(m->ctx);
    m->i64 = LLVMInt64TypeInContext(m->ctx);
    m->f32 = LLVMFloatTypeInContext(m->ctx);
    m->f64 = LLVMDoubleTypeInContext(m->ctx);
    m->ptr = LLVMPointerTypeInContext(m->ctx, 0);
    m->void_ = LLVMVoidTypeInContext(m->ctx);
    create_target(m);
    retarget_runtime(m);
    m->sizeof_py_buffer = runtime_constant(m, "pyaot_rt_sizeof_py_buffer");
    m->sizeof_meminfo = runtime_constant(m, "pyaot_rt_sizeof_meminfo");
    m->sizeof_jmp_buf = runtime_constant(m, "pyaot_rt_sizeof_jmp_buf");
    // Read: they need not survive into the module any more.
    LLVMValueRef used = LLVMGetNamedGlobal(m->mod, "llvm.compiler.used");
    if (used)
        LLVMDeleteGlobal(used);
    return m;
}

LLVMValueRef lw_runtime_fn(LwModule *m, const char *name, LLVMTypeRef *type) {
    LLVMValueRef fn = LLVMGetNamedFunction(m->mod, name);
    if (!fn)
        diag_internal(m->d, "the runtime has no function %s", name);
    if (type)
        *type = LLVMGlobalGetValueType(fn);
    return fn;
}

LLVMValueRef lw_cstring(LwModule *m, const char *s) {
    LLVMValueRef init = LLVMConstStringInContext(m->ctx, s, (unsigned)strlen(s), 0);
    char name[32];
    snprintf(name, sizeof name, "pyaot.str.%d", m->nstrings++);
    LLVMValueRef g = LLVMAddGlobal(m->mod, LLVMTypeOf(init), name);
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
    return g;
}

char *lw_ir_text(LwModule *m) {
    char *text = LLVMPrintModuleToString(m->mod);
    char *copy = arena_strdup(m->arena, text);
    LLVMDisposeMessage(text);
    return copy;
}

void lw_emit_object(LwModule *m, const unsigned char **data, size_t *size) {
    char *err = NULL;
    if (!m->object && LLVMTargetMachineEmitToMemoryBuffer(m->tm, m->mod, LLVMObjectFile, &err, &m->object))
        diag_internal(m->d, "LLVM could not emit the object file: %s", err ? err : "?");
    *data = (const unsigned char *)LLVMGetBufferStart(m->object);
    *size = LLVMGetBufferSize(m->object);
}

void lw_dispose(LwModule *m) {
    if (!m)
        return;
    if (m->object)
        LLVMDisposeMemoryBuffer(m->object);
    if (m->td)
        LLVMDisposeTargetData(m->td);
    if (m->tm)
        LLVMDisposeTargetMachine(m->tm);
    if (m->mod)
        LLVMDisposeModule(m->mod);
    if (m->ctx)
        LLVMContextDispose(m->ctx);
    m->object = NULL;
    m->td = NULL;
    m->tm = NULL;
    m->mod = NULL;
    m->ctx = NULL;
}
