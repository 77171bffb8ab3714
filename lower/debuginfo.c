/* -g: DWARF line tables that map the compiled code back to the user's
 * Python source (the positions every IR instruction carries), so that gdb,
 * perf and addr2line name the .py file and line. */
#include "lw.h"

#include <llvm-c/DebugInfo.h>
#include <string.h>

static LLVMMetadataRef file_of(LwModule *m, const char *path) {
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    const char *dir = slash ? arena_strndup(m->arena, path, (size_t)(slash - path)) : ".";
    return LLVMDIBuilderCreateFile(m->dib, name, strlen(name), dir, strlen(dir));
}

void lw_debug_begin(LwModule *m, const char *source_path) {
    if (!m->opt.debug_info)
        return;
    m->dib = LLVMCreateDIBuilder(m->mod);
    LLVMMetadataRef file = file_of(m, source_path);
    const char *producer = "pyaot";
    m->di_cu = LLVMDIBuilderCreateCompileUnit(m->dib, LLVMDWARFSourceLanguagePython, file, producer,
                                              strlen(producer), m->opt.opt_level > 0, "", 0, 0, "", 0,
                                              LLVMDWARFEmissionFull, 0, 0, 0, "", 0, "", 0);
    LLVMAddModuleFlag(m->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18,
                      LLVMValueAsMetadata(LLVMConstInt(m->i32, LLVMDebugMetadataVersion(), 0)));
    LLVMAddModuleFlag(m->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13,
                      LLVMValueAsMetadata(LLVMConstInt(m->i32, 5, 0)));
}

LLVMMetadataRef lw_debug_subprogram(LwModule *m, LLVMValueRef fn, const FeCode *code, const char *name) {
    if (!m->dib)
        return NULL;
    LLVMMetadataRef file = file_of(m, code->filename);
    LLVMMetadataRef type = LLVMDIBuilderCreateSubroutineType(m->dib, file, NULL, 0, LLVMDIFlagZero);
    size_t linkage_len;
    const char *linkage = LLVMGetValueName2(fn, &linkage_len);
    LLVMMetadataRef sp = LLVMDIBuilderCreateFunction(m->dib, file, name, strlen(name), linkage, linkage_len, file,
                                                     (unsigned)code->firstlineno, type, 1, 1,
                                                     (unsigned)code->firstlineno, LLVMDIFlagZero,
                                                     m->opt.opt_level > 0);
    LLVMSetSubprogram(fn, sp);
    return sp;
}

void lw_debug_function(LwFn *fn) {
    fn->di_scope = lw_debug_subprogram(fn->m, fn->fn, fn->f->src->code, fn->f->name);
}

void lw_debug_at(LwModule *m, LLVMBuilderRef b, LLVMMetadataRef scope, int line) {
    if (scope)
        LLVMSetCurrentDebugLocation2(b, LLVMDIBuilderCreateDebugLocation(m->ctx, (unsigned)line, 0, scope, NULL));
}

void lw_debug_location(LwFn *fn, const Instr *in) {
    if (!fn->di_scope || in->pos.line <= 0)
        return;
    LLVMMetadataRef loc = LLVMDIBuilderCreateDebugLocation(fn->m->ctx, (unsigned)in->pos.line,
                                                           (unsigned)(in->pos.col > 0 ? in->pos.col : 0),
                                                           fn->di_scope, NULL);
    LLVMSetCurrentDebugLocation2(fn->b, loc);
}

void lw_debug_end(LwModule *m) {
    if (m->dib) {
        LLVMDIBuilderFinalize(m->dib);
        LLVMDisposeDIBuilder(m->dib);
        m->dib = NULL;
    }
}
