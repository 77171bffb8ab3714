/* Making and printing IR. */
#include "frontend.h"

#include <string.h>

Instr *ir_new(Func *f, Op op, SrcPos pos, int nargs) {
    Instr *i = ARENA_NEW(f->arena, Instr);
    i->op = op;
    i->id = f->next_id++;
    i->pos = pos;
    i->nargs = nargs;
    i->args = nargs ? ARENA_ARRAY(f->arena, Instr *, nargs) : NULL;
    return i;
}

void ir_append(Func *f, Block *b, Instr *i) {
    i->block = b;
    vec_push(f->arena, &b->instrs, i);
}

Block *ir_new_block(Arena *a, Func *f) {
    Block *b = ARENA_NEW(a, Block);
    b->id = f->blocks.len;
    b->rpo = -1;
    vec_push(a, &f->blocks, b);
    return b;
}

Instr *ir_terminator(const Block *b) {
    if (b->instrs.len == 0)
        return NULL;
    Instr *t = b->instrs.data[b->instrs.len - 1];
    switch (t->op) {
    case OP_JUMP: case OP_BRANCH: case OP_FOR_ITER: case OP_RETURN: case OP_RAISE:
        return t;
    default:
        return NULL;
    }
}

static const char *const op_names[] = {
#define FE_OP_NAME(name, operands, meaning) #name,
    FE_OPS(FE_OP_NAME)
#undef FE_OP_NAME
};

const char *fe_binary_op_str(int op) {
    static const char *const names[] = {"+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^"};
    static const char *const inplace[] = {"+=", "&=", "//=", "<<=", "@=", "*=", "%=", "|=", "**=", ">>=", "-=", "/=", "^="};
    if (op >= 0 && op < FE_NB_INPLACE)
        return names[op];
    if (op >= FE_NB_INPLACE && op < 2 * FE_NB_INPLACE)
        return inplace[op - FE_NB_INPLACE];
    return "?";
}

const char *fe_compare_op_str(int op) {
    static const char *const names[] = {"<", "<=", "==", "!=", ">", ">=", "is", "is not", "in", "not in"};
    return op >= 0 && op <= CMP_NOT_IN ? names[op] : "?";
}

const char *fe_unary_op_str(int op) {
    static const char *const names[] = {"-", "+", "~", "not"};
    return op >= 0 && op <= UN_NOT ? names[op] : "?";
}

static void print_const(FILE *out, const FeConst *c) {
    switch (c->kind) {
    case FE_CONST_NONE: fputs("None", out); break;
    case FE_CONST_BOOL: fputs(c->i ? "True" : "False", out); break;
    case FE_CONST_INT: fprintf(out, "%lld", (long long)c->i); break;
    case FE_CONST_UINT: fprintf(out, "%llu", (unsigned long long)c->u); break;
    case FE_CONST_BIGINT: fputs(c->s, out); break;
    case FE_CONST_FLOAT: fprintf(out, "%.17g", c->f); break;
    case FE_CONST_COMPLEX: fprintf(out, "(%.17g%+.17gj)", c->f, c->imag); break;
    case FE_CONST_STR: fprintf(out, "'%s'", c->s); break;
    case FE_CONST_ELLIPSIS: fputs("...", out); break;
    case FE_CONST_TUPLE:
        fputc('(', out);
        for (int i = 0; i < c->nitems; i++) {
            if (i)
                fputs(", ", out);
            print_const(out, c->items[i]);
        }
        fputc(')', out);
        break;
    case FE_CONST_CODE: fputs("<code>", out); break;
    case FE_CONST_OTHER: fprintf(out, "<%s>", c->s); break;
    }
}

static void print_value(FILE *out, const Instr *v) {
    fprintf(out, "v%d", v->id);
}

static void print_edge(FILE *out, const Edge *e) {
    fprintf(out, "b%d(", e->to->id);
    for (int i = 0; i < e->nargs; i++) {
        if (i)
            fputs(", ", out);
        print_value(out, e->args[i]);
    }
    fputc(')', out);
}

static void print_instr(FILE *out, Arena *a, const Instr *in);

/* An ELEMENTWISE's expression, one scalar instruction a line, under it. */
static void print_expr(FILE *out, Arena *a, const Instr *in) {
    const FeExpr *e = in->expr;
    for (int k = 0; k < e->elems.len; k++)
        fprintf(out, "      | v%d: %s = ELEM %d%s\n", e->elems.data[k]->id, ty_str(a, e->elems.data[k]->type), k,
                k == e->dest_leaf ? " (written)" : "");
    for (int i = 0; i < e->ops.len; i++) {
        fputs("      |", out);
        print_instr(out, a, e->ops.data[i]);
    }
    if (in->consumer)
        fprintf(out, "      | computed inside v%d\n", in->consumer->id);
}

static void print_instr(FILE *out, Arena *a, const Instr *in) {
    fputs("    ", out);
    if (in->type && in->type->kind != TY_NONE && in->op != OP_JUMP && in->op != OP_BRANCH &&
        in->op != OP_FOR_ITER && in->op != OP_RETURN && in->op != OP_RAISE && in->op != OP_SETITEM) {
        print_value(out, in);
        fprintf(out, ": %s = ", ty_str(a, in->type));
    }
    fputs(op_names[in->op], out);
    switch (in->op) {
    case OP_UNARY: fprintf(out, " %s", fe_unary_op_str(in->sub)); break;
    case OP_BINARY: fprintf(out, " %s", fe_binary_op_str(in->sub)); break;
    case OP_COMPARE: fprintf(out, " %s", fe_compare_op_str(in->sub)); break;
    case OP_ARG: case OP_TUPLE_GET: case OP_ELEM: fprintf(out, " %d", in->sub); break;
    case OP_CONST: fputc(' ', out); print_const(out, in->cst); break;
    case OP_GLOBAL: fprintf(out, " %s", in->global->name ? in->global->name : "?"); break;
    case OP_GETATTR: fprintf(out, " .%s", in->name); break;
    case OP_UNDEF: fprintf(out, " %s", in->name ? in->name : ""); break;
    default: break;
    }
    for (int i = 0; i < in->nargs; i++) {
        fputs(i ? ", " : " ", out);
        print_value(out, in->args[i]);
    }
    if (in->op == OP_CALL && in->nkw) { // TUPLE_GET keeps its expected length there
        fputs(" kw=(", out);
        for (int i = 0; i < in->nkw; i++)
            fprintf(out, "%s%s", i ? ", " : "", in->kwnames[i]);
        fputc(')', out);
    }
    if (in->resolved == RES_BUILTIN)
        fprintf(out, " [%s]", fe_builtin_name(in->builtin));
    else if (in->resolved == RES_USER_CALL)
        fprintf(out, " [%s]", in->callee->symbol);
    for (int s = 0; s < in->nsucc; s++) {
        fputs(s ? ", " : " -> ", out);
        print_edge(out, &in->succ[s]);
    }
    if (in->pos.line)
        fprintf(out, "    ; line %d", in->pos.line);
    fputc('\n', out);
    if (in->op == OP_ELEMENTWISE)
        print_expr(out, a, in);
}

void fe_print_func(FILE *out, Arena *a, const Func *f) {
    fprintf(out, "func %s(", f->symbol ? f->symbol : f->name);
    for (int i = 0; i < f->nargs; i++)
        fprintf(out, "%s%s", i ? ", " : "", f->argtypes[i] ? ty_str(a, f->argtypes[i]) : "?");
    fprintf(out, ") -> %s\n", f->ret ? ty_str(a, f->ret) : "?");
    for (int bi = 0; bi < f->blocks.len; bi++) {
        const Block *b = f->blocks.data[bi];
        fprintf(out, "  b%d(", b->id);
        for (int i = 0; i < b->params.len; i++) {
            const Instr *p = b->params.data[i];
            fprintf(out, "%sv%d", i ? ", " : "", p->id);
            if (p->type)
                fprintf(out, ": %s", ty_str(a, p->type));
            if (p->name)
                fprintf(out, " %s", p->name);
        }
        fputs("):\n", out);
        for (int i = 0; i < b->instrs.len; i++)
            print_instr(out, a, b->instrs.data[i]);
    }
}
