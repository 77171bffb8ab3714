/* libFuzzer harness: the bytecode decoder and the exception-table reader on
 * arbitrary co_code and co_exceptiontable. The first byte splits the input
 * between the two. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    size_t split = data[0] % (size);
    const uint8_t *code = data + 1, *table = data + 1 + split;
    size_t ncode = split, ntable = size - 1 - split;
    Arena *a = arena_new();
    // Exact-size copies, so reading past the end is caught.
    uint8_t *code_copy = malloc(ncode + 1), *table_copy = malloc(ntable + 1);
    memcpy(code_copy, code, ncode);
    memcpy(table_copy, table, ntable);
    FePosition *positions = calloc(ncode / 2 + 1, sizeof(FePosition));
    FeCode c = {.name = "f", .qualname = "f", .filename = "fuzz.py", .firstlineno = 1, .code = code_copy,
                .ncode = (int)ncode, .exceptiontable = table_copy, .nexceptiontable = (int)ntable,
                .positions = positions};
    Diag d = {.arena = a};
    jmp_buf jb;
    d.unwind = &jb;
    if (!setjmp(jb)) {
        FeInsns in = fe_decode(a, &d, &c);
        for (int i = 0; i < in.n; i++)
            if (in.insns[i].jump >= 0 && in.index_of[in.insns[i].jump] < 0)
                abort(); // an accepted jump must land on an instruction
    }
    if (!setjmp(jb)) {
        FeExcEntry *entries;
        int n = fe_decode_exception_table(a, &d, &c, &entries);
        for (int i = 0; i < n; i++)
            if (entries[i].end > (int)ncode / 2 || entries[i].target >= (int)ncode / 2)
                abort();
    }
    free(positions);
    free(code_copy);
    free(table_copy);
    arena_free(a);
    return 0;
}
