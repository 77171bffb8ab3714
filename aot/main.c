/* pyaot: compile numeric Python ahead of time into CPython extension modules. */
#include "aot.h"

int main(int argc, char **argv) {
    Arena *arena = arena_new();
    AotOptions opts;
    int rc = aot_parse_args(arena, argc, argv, &opts);
    if (rc == AOT_OK)
        rc = aot_build(&opts);
    else if (rc == AOT_EXIT_NOW)
        rc = AOT_OK;
    arena_free(arena);
    return rc;
}
