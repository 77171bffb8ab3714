/* libFuzzer harness: pyaot's ELF linker on arbitrary (mostly mutated real)
 * relocatable objects. It must link or fail with a message, never crash,
 * and never leave the output file behind on failure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/pyaot-fuzz-link-%d.so", (int)getpid());
    LnInput in = {.object = data, .object_size = size, .init_symbol = "PyInit_m"};
    LnError err;
    if (ln_link_elf(&in, path, &err) != 0) {
        if (!err.message[0] || access(path, F_OK) == 0)
            abort();
    }
    unlink(path);
    return 0;
}
