/* The optimisation pipeline. Everything but PyInit_<module> becomes internal
 * first, so LLVM sees the whole program: the runtime's helpers inline into
 * the user's loops, and whatever nothing calls is dropped. */
#include "lw.h"

#include <string.h>

static void internalize(LwModule *m) {
    const char *init = arena_printf(m->arena, "PyInit_%s", m->name);
    for (LLVMValueRef f = LLVMGetFirstFunction(m->mod); f; f = LLVMGetNextFunction(f))
        if (!LLVMIsDeclaration(f) && strcmp(LLVMGetValueName(f), init) != 0)
            LLVMSetLinkage(f, LLVMInternalLinkage);
    for (LLVMValueRef g = LLVMGetFirstGlobal(m->mod); g; g = LLVMGetNextGlobal(g))
        if (!LLVMIsDeclaration(g) && LLVMGetLinkage(g) != LLVMPrivateLinkage &&
            strncmp(LLVMGetValueName(g), "llvm.", 5) != 0) // llvm.used and friends keep theirs
            LLVMSetLinkage(g, LLVMInternalLinkage);
}

void lw_verify(LwModule *m) {
    char *msg = NULL;
    if (LLVMVerifyModule(m->mod, LLVMReturnStatusAction, &msg)) {
        char *copy = arena_strdup(m->arena, msg ? msg : "");
        LLVMDisposeMessage(msg);
        diag_internal(m->d, "the generated LLVM IR is invalid: %s", copy);
    }
    LLVMDisposeMessage(msg);
}

void lw_optimize(LwModule *m) {
    internalize(m);
    lw_verify(m);
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMPassBuilderOptionsSetLoopVectorization(opts, m->opt.opt_level >= 2);
    LLVMPassBuilderOptionsSetSLPVectorization(opts, m->opt.opt_level >= 2);
    LLVMPassBuilderOptionsSetLoopUnrolling(opts, m->opt.opt_level >= 2);
    char pipeline[32];
    snprintf(pipeline, sizeof pipeline, "default<O%d>", m->opt.opt_level);
    LLVMErrorRef err = LLVMRunPasses(m->mod, pipeline, m->tm, opts);
    LLVMDisposePassBuilderOptions(opts);
    if (err) {
        char *msg = LLVMGetErrorMessage(err);
        char *copy = arena_strdup(m->arena, msg);
        LLVMDisposeErrorMessage(msg);
        diag_internal(m->d, "LLVM optimisation failed: %s", copy);
    }
}

void lw_lower_program(LwModule *m, FeBuild *fb) {
    m->tt = &fb->types;
    if (fb->exports.len)
        lw_debug_begin(m, fb->exports.data[0].func->code->filename);
    lw_plan_calls(m, fb);
    lw_lower_functions(m);
    lw_lower_wrappers(m, fb);
    lw_debug_end(m);
    lw_verify(m);
}
