/* libFuzzer harness: the signature parser on arbitrary text. It must parse
 * or report an error (longjmp to here); never crash or read out of bounds. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    Arena *a = arena_new();
    TypeTable tt;
    ty_init(&tt, a);
    Diag d = {.arena = a};
    jmp_buf jb;
    d.unwind = &jb;
    FeSigText sig = {.text = text};
    if (!setjmp(jb)) {
        FeSig s = fe_parse_sig(&tt, &d, &sig);
        for (int i = 0; i < s.nparams; i++)
            (void)ty_str(a, s.params[i]);
        if (s.ret)
            (void)ty_str(a, s.ret);
    } else if (!d.message || !*d.message) {
        abort(); // every error has a message
    }
    arena_free(a);
    free(text);
    return 0;
}
