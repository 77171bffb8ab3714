/* Placeholder until pyaot's own ELF writer lands: says so clearly. */
#include "../link.h"

#include <stdio.h>

int ln_link_elf(const LnInput *in, const char *out_path, LnError *err) {
    (void)in;
    (void)out_path;
    snprintf(err->message, sizeof err->message,
             "the built-in ELF linker is not available yet; use --linker=system");
    return -1;
}
