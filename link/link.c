/* The stage's entry point: picks the linker the user asked for. */
#include "link.h"

#include <stdio.h>

int ln_link(LnLinker linker, const LnInput *in, const char *out_path, LnError *err) {
    switch (linker) {
    case LN_LINKER_ELF:
        return ln_link_elf(in, out_path, err);
    case LN_LINKER_SYSTEM:
        return ln_link_system(in, out_path, err);
    }
    snprintf(err->message, sizeof err->message, "unknown linker %d", (int)linker);
    return -1;
}
