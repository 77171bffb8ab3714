/* CPython 3.11 bytecode: code units of (opcode, arg) bytes, EXTENDED_ARG
 * prefixes widening the argument, CACHE entries after specialisable opcodes,
 * relative jumps counted from the end of the instruction's caches. */
#include "frontend.h"

#include <string.h>

const char *fe_opcode_name(int opcode) {
    switch (opcode) {
#define FE_OPCODE_NAME(name, num) case num: return #name;
        FE_OPCODES(FE_OPCODE_NAME)
#undef FE_OPCODE_NAME
    }
    return NULL;
}

bool fe_opcode_known(int opcode) {
    return fe_opcode_name(opcode) != NULL;
}

/* CPython 3.11's _PyOpcode_Caches. */
int fe_opcode_caches(int opcode) {
    switch (opcode) {
    case BC_BINARY_SUBSCR: return 4;
    case BC_STORE_SUBSCR: return 1;
    case BC_UNPACK_SEQUENCE: return 1;
    case BC_STORE_ATTR: return 4;
    case BC_LOAD_ATTR: return 4;
    case BC_COMPARE_OP: return 2;
    case BC_LOAD_GLOBAL: return 5;
    case BC_BINARY_OP: return 1;
    case BC_LOAD_METHOD: return 10;
    case BC_PRECALL: return 1;
    case BC_CALL: return 4;
    default: return 0;
    }
}

/* The jump target of a relative jump, in code units; -1 if not a jump. */
static int jump_target(int opcode, int arg, int next) {
    switch (opcode) {
    case BC_JUMP_FORWARD:
    case BC_JUMP_IF_FALSE_OR_POP:
    case BC_JUMP_IF_TRUE_OR_POP:
    case BC_POP_JUMP_FORWARD_IF_FALSE:
    case BC_POP_JUMP_FORWARD_IF_TRUE:
    case BC_POP_JUMP_FORWARD_IF_NOT_NONE:
    case BC_POP_JUMP_FORWARD_IF_NONE:
    case BC_FOR_ITER:
    case BC_SEND:
        return next + arg;
    case BC_JUMP_BACKWARD:
    case BC_JUMP_BACKWARD_NO_INTERRUPT:
    case BC_POP_JUMP_BACKWARD_IF_NOT_NONE:
    case BC_POP_JUMP_BACKWARD_IF_NONE:
    case BC_POP_JUMP_BACKWARD_IF_FALSE:
    case BC_POP_JUMP_BACKWARD_IF_TRUE:
        return next - arg;
    default:
        return -1;
    }
}

SrcPos fe_pos(const FeCode *code, const FePosition *p) {
    SrcPos pos = {.file = code->filename};
    if (p && p->line > 0) {
        pos.line = p->line;
        pos.col = p->col >= 0 ? p->col + 1 : 0;
        // A caret run only makes sense on one line.
        pos.end_col = (p->end_line == p->line && p->end_col >= 0) ? p->end_col + 1 : 0;
    } else {
        pos.line = code->firstlineno;
    }
    return pos;
}

static _Noreturn void malformed(Diag *d, const FeCode *code, int offset, const char *what) {
    SrcPos pos = {.file = code->filename, .line = code->firstlineno};
    diag_error(d, pos, "malformed bytecode in '%s' at offset %lld: %s", code->qualname, (long long)offset * 2, what);
}

FeInsns fe_decode(Arena *a, Diag *d, const FeCode *code) {
    FeInsns out = {0};
    if (code->ncode % 2 != 0)
        malformed(d, code, code->ncode / 2, "odd number of bytes");
    int nunits = code->ncode / 2;
    out.index_of = ARENA_ARRAY(a, int, nunits + 1);
    for (int i = 0; i <= nunits; i++)
        out.index_of[i] = -1;
    out.insns = ARENA_ARRAY(a, FeInsn, nunits > 0 ? nunits : 1);

    int unit = 0;
    while (unit < nunits) {
        int start = unit;
        int arg = 0;
        int opcode = code->code[2 * unit];
        arg = code->code[2 * unit + 1];
        int prefixes = 0;
        while (opcode == BC_EXTENDED_ARG) {
            unit++;
            if (unit >= nunits)
                malformed(d, code, start, "EXTENDED_ARG at the end of the code");
            if (++prefixes > 3)
                malformed(d, code, start, "more than three EXTENDED_ARG prefixes");
            opcode = code->code[2 * unit];
            arg = (int)(((unsigned)arg << 8) | code->code[2 * unit + 1]); // 32 bits with 3 prefixes
        }
        if (!fe_opcode_known(opcode) || opcode == BC_CACHE) {
            char what[64];
            snprintf(what, sizeof what, "unknown opcode %d", opcode);
            malformed(d, code, unit, what);
        }
        FeInsn *in = &out.insns[out.n];
        in->offset = unit;
        in->start = start;
        in->opcode = opcode;
        in->arg = arg;
        in->next = unit + 1 + fe_opcode_caches(opcode);
        if (in->next > nunits)
            malformed(d, code, unit, "instruction runs past the end of the code");
        for (int c = unit + 1; c < in->next; c++)
            if (code->code[2 * c] != BC_CACHE)
                malformed(d, code, c, "expected a CACHE entry");
        in->jump = jump_target(opcode, arg, in->next);
        if (in->jump != -1 && (in->jump < 0 || in->jump >= nunits))
            malformed(d, code, unit, "jump target out of range");
        if (code->positions)
            in->pos = code->positions[unit];
        out.index_of[start] = out.n;
        out.index_of[unit] = out.n;
        out.n++;
        unit = in->next;
    }
    // Every jump must land on the start of an instruction.
    for (int i = 0; i < out.n; i++) {
        int t = out.insns[i].jump;
        if (t >= 0 && (out.index_of[t] < 0 || out.insns[out.index_of[t]].start != t))
            malformed(d, code, out.insns[i].offset, "jump into the middle of an instruction");
    }
    return out;
}

/* The exception table is a sequence of entries of four varints (start,
 * length, target, depth << 1 | lasti), 6 bits a byte, most significant first;
 * bit 6 says another byte follows, bit 7 marks the first byte of an entry. */
static bool read_varint(const FeCode *code, int *pos, int *out) {
    if (*pos >= code->nexceptiontable)
        return false;
    int b = code->exceptiontable[(*pos)++];
    int val = b & 63;
    while (b & 64) {
        if (*pos >= code->nexceptiontable || val > (1 << 24))
            return false;
        b = code->exceptiontable[(*pos)++];
        val = (val << 6) | (b & 63);
    }
    *out = val;
    return true;
}

int fe_decode_exception_table(Arena *a, Diag *d, const FeCode *code, FeExcEntry **out) {
    Vec(FeExcEntry) entries = {0};
    int pos = 0;
    while (pos < code->nexceptiontable) {
        int start, length, target, dl;
        if (!read_varint(code, &pos, &start) || !read_varint(code, &pos, &length) ||
            !read_varint(code, &pos, &target) || !read_varint(code, &pos, &dl))
            malformed(d, code, 0, "truncated exception table");
        if ((long long)start + length > code->ncode / 2 || target >= code->ncode / 2)
            malformed(d, code, start, "exception table entry out of range");
        FeExcEntry e = {.start = start, .end = start + length, .target = target,
                        .depth = dl >> 1, .lasti = dl & 1};
        vec_push(a, &entries, e);
    }
    *out = entries.data;
    return entries.len;
}
