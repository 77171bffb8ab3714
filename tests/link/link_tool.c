/* Test driver for pyaot's ELF linker: links one relocatable object into a
 * shared object exporting one symbol.
 *     link_tool INPUT.o OUTPUT.so SYMBOL [--debug] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: link_tool INPUT.o OUTPUT.so SYMBOL [--debug]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)n);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    fclose(f);
    LnInput in = {.object = data, .object_size = (size_t)n, .init_symbol = argv[3],
                  .keep_debug = argc > 4 && strcmp(argv[4], "--debug") == 0};
    LnError err;
    if (ln_link_elf(&in, argv[2], &err) != 0) {
        fprintf(stderr, "link_tool: %s\n", err.message);
        free(data);
        return 1;
    }
    free(data);
    return 0;
}
