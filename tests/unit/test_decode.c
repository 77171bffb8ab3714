/* The bytecode decoder on CPython 3.11 code: EXTENDED_ARG, CACHE entries,
 * relative jumps, positions, the exception table, and malformed input. */
#include <setjmp.h>
#include <stdlib.h>

#include "check.h"
#include "frontend.h"

static Arena *arena;

/* def f(a, b):
 *     s = 0
 *     for i in range(a):
 *         if i > b:
 *             s += i
 *     return s
 * (CPython 3.11's co_code) */
static const uint8_t loop_code[] = {
    151, 0, 100, 1, 125, 2, 116, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 124, 0, 166, 1, 0, 0, 171, 1, 0, 0, 0, 0, 0, 0,
    0, 0, 68, 0, 93, 13, 125, 3, 124, 3, 124, 1, 107, 4, 0, 0, 0, 0, 114, 5, 124, 2, 124, 3, 122, 13, 0, 0, 125, 2,
    140, 14, 124, 2, 83, 0};

static FeCode make_code(const uint8_t *bytes, int n) {
    FeCode c = {.name = "f", .qualname = "f", .filename = "t.py", .firstlineno = 1, .code = bytes, .ncode = n};
    FePosition *pos = ARENA_ARRAY(arena, FePosition, n / 2 + 1);
    for (int i = 0; i < n / 2; i++)
        pos[i] = (FePosition){.line = 2 + i, .end_line = 2 + i, .col = i, .end_col = i + 3};
    c.positions = pos;
    return c;
}

/* Decodes; returns NULL (and the message in *error) when the decoder reports. */
static FeInsns *decode(const FeCode *c, const char **error) {
    Diag d = {.arena = arena};
    jmp_buf jb;
    d.unwind = &jb;
    *error = NULL;
    if (setjmp(jb)) {
        *error = d.message;
        return NULL;
    }
    FeInsns *out = ARENA_NEW(arena, FeInsns);
    *out = fe_decode(arena, &d, c);
    return out;
}

static void real_loop(void) {
    FeCode c = make_code(loop_code, sizeof loop_code);
    const char *err;
    FeInsns *in = decode(&c, &err);
    CHECK(in != NULL);
    if (!in)
        return;
    // dis: 0 RESUME, 2 LOAD_CONST, 4 STORE_FAST, 6 LOAD_GLOBAL, 18 LOAD_FAST, 20 PRECALL, 24 CALL,
    // 34 GET_ITER, 36 FOR_ITER, 38 STORE_FAST, 40 LOAD_FAST, 42 LOAD_FAST, 44 COMPARE_OP,
    // 50 POP_JUMP_FORWARD_IF_FALSE, 52 LOAD_FAST, 54 LOAD_FAST, 56 BINARY_OP, 60 STORE_FAST,
    // 62 JUMP_BACKWARD, 64 LOAD_FAST, 66 RETURN_VALUE (byte offsets)
    static const int offsets[] = {0, 2, 4, 6, 18, 20, 24, 34, 36, 38, 40, 42, 44, 50, 52, 54, 56, 60, 62, 64, 66};
    CHECK(in->n == (int)(sizeof offsets / sizeof offsets[0]));
    for (int i = 0; i < in->n && i < (int)(sizeof offsets / sizeof offsets[0]); i++)
        CHECK(in->insns[i].offset * 2 == offsets[i]);
    const FeInsn *load_global = &in->insns[3], *for_iter = &in->insns[8], *pop_jump = &in->insns[13];
    const FeInsn *jump_back = &in->insns[18], *binop = &in->insns[16];
    CHECK(load_global->opcode == BC_LOAD_GLOBAL && load_global->arg == 1 && load_global->next * 2 == 18);
    CHECK(for_iter->opcode == BC_FOR_ITER && for_iter->jump * 2 == 64);
    CHECK(pop_jump->opcode == BC_POP_JUMP_FORWARD_IF_FALSE && pop_jump->jump * 2 == 62);
    CHECK(jump_back->opcode == BC_JUMP_BACKWARD && jump_back->jump * 2 == 36);
    CHECK(binop->opcode == BC_BINARY_OP && binop->arg == 13 && binop->next * 2 == 60);
    CHECK(in->index_of[18 / 2] == 4 && in->index_of[8 / 2] == -1); // a CACHE unit is no instruction
    CHECK(in->insns[4].pos.line == 2 + 9 && in->insns[4].pos.col == 9);
}

static void extended_arg(void) {
    // EXTENDED_ARG 1; LOAD_CONST 2 -> LOAD_CONST 258; then JUMP_FORWARD over a NOP; RETURN_VALUE.
    static const uint8_t code[] = {BC_EXTENDED_ARG, 1, BC_LOAD_CONST, 2, BC_JUMP_FORWARD, 1, BC_NOP, 0,
                                   BC_RETURN_VALUE, 0};
    FeCode c = make_code(code, sizeof code);
    const char *err;
    FeInsns *in = decode(&c, &err);
    CHECK(in && in->n == 4);
    if (!in)
        return;
    CHECK(in->insns[0].opcode == BC_LOAD_CONST && in->insns[0].arg == 258);
    CHECK(in->insns[0].start == 0 && in->insns[0].offset == 1);
    CHECK(in->index_of[0] == 0 && in->index_of[1] == 0);
    CHECK(in->insns[1].jump == 4);
}

static void malformed(void) {
    struct { uint8_t code[16]; int n; const char *message; } bad[] = {
        {{BC_NOP, 0, BC_RETURN_VALUE}, 3, "odd number of bytes"},
        {{BC_NOP, 0, BC_EXTENDED_ARG, 1}, 4, "EXTENDED_ARG at the end"},
        {{7, 0, BC_RETURN_VALUE, 0}, 4, "unknown opcode 7"},
        {{BC_JUMP_FORWARD, 9, BC_RETURN_VALUE, 0}, 4, "jump target out of range"},
        {{BC_JUMP_BACKWARD, 5, BC_RETURN_VALUE, 0}, 4, "jump target out of range"},
        {{BC_BINARY_OP, 0}, 2, "runs past the end"},
        {{BC_BINARY_OP, 0, BC_NOP, 0}, 4, "expected a CACHE entry"},
        {{BC_CACHE, 0}, 2, "unknown opcode 0"},
        {{BC_JUMP_FORWARD, 1, BC_EXTENDED_ARG, 0, BC_NOP, 0, BC_RETURN_VALUE, 0}, 8, "middle of an instruction"},
        {{BC_EXTENDED_ARG, 1, BC_EXTENDED_ARG, 1, BC_EXTENDED_ARG, 1, BC_EXTENDED_ARG, 1, BC_NOP, 0}, 10,
         "more than three EXTENDED_ARG"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FeCode c = make_code(bad[i].code, bad[i].n);
        const char *err;
        FeInsns *in = decode(&c, &err);
        CHECK(in == NULL && err && strstr(err, bad[i].message));
        if (in || !err || !strstr(err, bad[i].message))
            fprintf(stderr, "  case %zu: %s\n", i, err ? err : "(accepted)");
    }
}

static void exception_table(void) {
    // One entry: start 2, length 4, target 8, depth 1, lasti: as CPython
    // encodes it (first byte of an entry has bit 7 set).
    static const uint8_t table[] = {0x80 | 2, 4, 8, (1 << 1) | 1};
    static const uint8_t code[20] = {0};
    FeCode c = make_code(code, sizeof code);
    c.exceptiontable = table;
    c.nexceptiontable = sizeof table;
    Diag d = {.arena = arena};
    jmp_buf jb;
    d.unwind = &jb;
    FeExcEntry *entries = NULL;
    int n = -1;
    if (!setjmp(jb))
        n = fe_decode_exception_table(arena, &d, &c, &entries);
    CHECK(n == 1 && entries && entries[0].start == 2 && entries[0].end == 6 && entries[0].target == 8 &&
          entries[0].depth == 1 && entries[0].lasti);
    static const uint8_t truncated[] = {0x80 | 2, 4};
    c.exceptiontable = truncated;
    c.nexceptiontable = sizeof truncated;
    n = -1;
    if (!setjmp(jb))
        n = fe_decode_exception_table(arena, &d, &c, &entries);
    CHECK(n == -1 && strstr(d.message, "truncated exception table"));
    static const uint8_t out_of_range[] = {0x80 | 2, 4, 60, 0};
    c.exceptiontable = out_of_range;
    c.nexceptiontable = sizeof out_of_range;
    n = -1;
    if (!setjmp(jb))
        n = fe_decode_exception_table(arena, &d, &c, &entries);
    CHECK(n == -1 && strstr(d.message, "out of range"));
}

/* Random and mutated code never crashes the decoder; every jump it accepts
 * lands on an instruction. */
static void fuzz(void) {
    srand(2026);
    uint8_t buf[96];
    for (int n = 0; n < 20000; n++) {
        int len;
        if (n % 2) {
            len = (int)sizeof loop_code;
            memcpy(buf, loop_code, sizeof loop_code);
            for (int k = 0; k < 1 + rand() % 4; k++)
                buf[rand() % len] = (uint8_t)rand();
        } else {
            len = rand() % (int)sizeof buf;
            for (int k = 0; k < len; k++)
                buf[k] = (uint8_t)rand();
        }
        FeCode c = make_code(buf, len);
        const char *err;
        FeInsns *in = decode(&c, &err);
        CHECK(in != NULL || (err && *err));
        for (int i = 0; in && i < in->n; i++)
            if (in->insns[i].jump >= 0)
                CHECK(in->index_of[in->insns[i].jump] >= 0);
    }
}

int main(void) {
    arena = arena_new();
    real_loop();
    extended_arg();
    malformed();
    exception_table();
    fuzz();
    int rc = check_summary("decode");
    arena_free(arena);
    return rc;
}
