/* Bytecode to SSA.
 *
 * CPython's operand stack and local variables become SSA values. Every basic
 * block first gets one parameter per local variable and per stack slot live
 * on entry (maximal SSA: simple and obviously right), edges pass the
 * predecessor's values; then parameters that are trivial (all incoming
 * values equal) or dead (no use) are removed, which leaves pruned SSA. Values
 * that only exist at compile time (modules, functions, NULL markers) flow
 * through the same parameters and vanish in that cleanup. */
#include "frontend.h"

#include <string.h>

typedef struct Builder {
    FeBuild *b;
    Func *f;
    const FeCode *code;
    FeInsns in;
    bool *is_leader;        // by code-unit offset
    Block **block_at;       // by code-unit offset, created when first jumped to
    int nlocals;            // co_varnames, cells that are no argument, free variables (CPython's
                            // "fast locals"), and for a generator expression the list it makes
    const char **names;     // per local
    int generator_list;     // the local holding a generator expression's list, or -1
    Instr **undef;          // per local: its value before any assignment
    Instr *null_mark;
    Vec(Block *) worklist;
    // The block being converted:
    Block *cur;
    Instr **locals;
    Vec(Instr *) stack;
    FeConst *kwnames;       // from KW_NAMES, for the next CALL
} Builder;

static SrcPos insn_pos(Builder *s, const FeInsn *in) {
    return fe_pos(s->code, &in->pos);
}

static _Noreturn void unsupported(Builder *s, const FeInsn *in, const char *what) {
    diag_error(s->b->diag, insn_pos(s, in), "%s", what);
}

static Instr *emit(Builder *s, Op op, const FeInsn *in, int nargs) {
    Instr *i = ir_new(s->f, op, insn_pos(s, in), nargs);
    ir_append(s->f, s->cur, i);
    return i;
}

static void push(Builder *s, Instr *v) {
    vec_push(s->f->arena, &s->stack, v);
}

static Instr *pop(Builder *s, const FeInsn *in) {
    if (s->stack.len == 0)
        diag_error(s->b->diag, insn_pos(s, in), "malformed bytecode: %s pops an empty stack",
                   fe_opcode_name(in->opcode));
    return s->stack.data[--s->stack.len];
}

static Instr *peek(Builder *s, const FeInsn *in, int depth) {
    if (depth > s->stack.len || depth < 1)
        diag_error(s->b->diag, insn_pos(s, in), "malformed bytecode: %s reaches below the stack",
                   fe_opcode_name(in->opcode));
    return s->stack.data[s->stack.len - depth];
}

/* The block starting at `offset`, created with parameters for every local
 * and for `depth` stack slots the first time something jumps there. */
static Block *block_for(Builder *s, const FeInsn *from, int offset, int depth) {
    Block *b = s->block_at[offset];
    if (b) {
        if (b->stack_in != depth)
            diag_error(s->b->diag, insn_pos(s, from),
                       "malformed bytecode: stack depth %d and %d meet at offset %d", b->stack_in,
                       depth, offset * 2);
        return b;
    }
    b = ir_new_block(s->f->arena, s->f);
    b->bc_start = offset;
    b->stack_in = depth;
    SrcPos pos = insn_pos(s, &s->in.insns[s->in.index_of[offset]]);
    for (int i = 0; i < s->nlocals + depth; i++) {
        Instr *p = ir_new(s->f, OP_PARAM, pos, 0);
        p->block = b;
        if (i < s->nlocals)
            p->name = s->names[i];
        vec_push(s->f->arena, &b->params, p);
    }
    s->block_at[offset] = b;
    vec_push(s->f->arena, &s->worklist, b);
    return b;
}

static void add_pred(Arena *a, Block *to, Block *from) {
    for (int i = 0; i < to->preds.len; i++)
        if (to->preds.data[i] == from)
            return;
    vec_push(a, &to->preds, from);
}

/* Fills edge `which` of terminator t: to the block at `offset`, passing the
 * locals and the bottom `depth` stack slots. */
static Block *edge(Builder *s, const FeInsn *in, Instr *t, int which, int offset, int depth) {
    Block *to = block_for(s, in, offset, depth);
    Edge *e = &t->succ[which];
    e->to = to;
    e->nargs = s->nlocals + depth;
    e->args = ARENA_ARRAY(s->f->arena, Instr *, e->nargs > 0 ? e->nargs : 1);
    mem_copy(e->args, s->locals, sizeof(Instr *) * (size_t)s->nlocals);
    mem_copy(e->args + s->nlocals, s->stack.data, sizeof(Instr *) * (size_t)depth);
    if (which + 1 > t->nsucc)
        t->nsucc = which + 1;
    add_pred(s->f->arena, to, s->cur);
    return to;
}

static void jump(Builder *s, const FeInsn *in, int offset) {
    Instr *t = emit(s, OP_JUMP, in, 0);
    edge(s, in, t, 0, offset, s->stack.len);
}

static Instr *truth(Builder *s, const FeInsn *in, Instr *v) {
    Instr *t = emit(s, OP_TRUTH, in, 1);
    t->args[0] = v;
    return t;
}

/* if cond: goto if_true (with depth_true stack slots) else goto if_false. */
static void branch(Builder *s, const FeInsn *in, Instr *cond, int if_true, int depth_true,
                   int if_false, int depth_false) {
    Instr *t = emit(s, OP_BRANCH, in, 1);
    t->args[0] = cond;
    edge(s, in, t, 0, if_true, depth_true);
    edge(s, in, t, 1, if_false, depth_false);
}

static Instr *none_const(Builder *s, const FeInsn *in) {
    Instr *c = emit(s, OP_CONST, in, 0);
    c->cst = ARENA_NEW(s->f->arena, FeConst);
    c->cst->kind = FE_CONST_NONE;
    return c;
}

static bool is_cell(Builder *s, int local);

/* The locals CPython numbers 0..n-1 in LOAD_FAST and LOAD_DEREF alike:
 * co_varnames, the cells that are no argument, the free variables; then,
 * for a generator expression, the list it builds. A variable shared with a
 * nested function is captured by value, which is only Python's meaning when
 * it is assigned once. */
static void local_names(Builder *s) {
    const FeCode *code = s->code;
    Vec(const char *) names = {0};
    for (int i = 0; i < code->nvarnames; i++)
        vec_push(s->f->arena, &names, code->varnames[i]);
    for (int i = 0; i < code->ncellvars; i++) {
        bool is_var = false;
        for (int k = 0; k < code->nvarnames && !is_var; k++)
            is_var = strcmp(code->varnames[k], code->cellvars[i]) == 0;
        if (!is_var)
            vec_push(s->f->arena, &names, code->cellvars[i]);
    }
    for (int i = 0; i < code->nfreevars; i++)
        vec_push(s->f->arena, &names, code->freevars[i]);
    s->generator_list = -1;
    if (fe_is_generator_expression(code)) {
        s->generator_list = names.len;
        vec_push(s->f->arena, &names, "<genexpr list>");
    }
    s->names = names.data;
    s->nlocals = names.len;
    // Cells assigned in more than one place (an argument counts as one).
    int *stores = ARENA_ARRAY(s->f->arena, int, s->nlocals + 1);
    for (int i = 0; i < code->argcount && i < s->nlocals; i++)
        stores[i] = 1;
    for (int i = 0; i < s->in.n; i++) {
        const FeInsn *in = &s->in.insns[i];
        if ((in->opcode == BC_STORE_DEREF || in->opcode == BC_STORE_FAST) && in->arg < s->nlocals &&
            ++stores[in->arg] > 1 && is_cell(s, in->arg))
            unsupported(s, in, arena_printf(s->f->arena,
                                            "'%s' is read by a nested function and assigned more than once: "
                                            "nested functions capture the value a variable has when they are "
                                            "made, so assign it once (or pass it as an argument)",
                                            s->names[in->arg]));
    }
}

/* MAKE_FUNCTION: a nested function value of its code object, holding the
 * values of the closure tuple (LOAD_CLOSUREs). */
static void make_function(Builder *s, const FeInsn *in) {
    Instr *code = pop(s, in);
    if (code->op != OP_CONST || code->cst->kind != FE_CONST_CODE || !code->cst->code)
        unsupported(s, in, "malformed bytecode: MAKE_FUNCTION without a code object");
    FeCode *c = code->cst->code;
    Instr *closure = (in->arg & 0x08) ? pop(s, in) : NULL;
    if (in->arg & 0x04)
        pop(s, in); // annotations: no meaning here
    if (in->arg & 0x02)
        unsupported(s, in, "nested functions with keyword-only parameters are not supported");
    Instr *defaults = (in->arg & 0x01) ? pop(s, in) : NULL;
    const FeConst *dc = NULL;
    if (defaults) {
        if (defaults->op != OP_CONST || defaults->cst->kind != FE_CONST_TUPLE)
            unsupported(s, in, "default values of a nested function must be constants");
        dc = defaults->cst;
    }
    if (closure && closure->op != OP_BUILD_TUPLE)
        unsupported(s, in, "malformed bytecode: MAKE_FUNCTION's closure is not a tuple");
    int n = closure ? closure->nargs : 0;
    Instr *f = emit(s, OP_MAKE_FUNCTION, in, n);
    for (int i = 0; i < n; i++)
        f->args[i] = closure->args[i];
    f->global = ARENA_NEW(s->f->arena, FeGlobal);
    f->global->kind = FE_GLOBAL_FUNCTION;
    f->global->func = fe_nested_function(s->b, c, dc, s->f->src);
    f->global->name = f->global->func->name;
    push(s, f);
}

static void call(Builder *s, const FeInsn *in) {
    int argc = in->arg;
    int nkw = s->kwnames ? s->kwnames->nitems : 0;
    if (nkw > argc)
        diag_error(s->b->diag, insn_pos(s, in), "malformed bytecode: more keyword names than arguments");
    Instr *c = emit(s, OP_CALL, in, argc + 1);
    for (int i = argc; i >= 1; i--)
        c->args[i] = pop(s, in);
    Instr *callable = pop(s, in);
    Instr *below = pop(s, in);
    // A comprehension is called with iter(x) as [function, iterator] (CALL 0):
    // it takes x and iterates it itself.
    if (below->op == OP_MAKE_FUNCTION && fe_is_comprehension(below->global->func->code) && argc == 0 &&
        callable->op == OP_GET_ITER)
        callable = callable->args[0];
    // [NULL, callable, args] or, after LOAD_METHOD, [method, self, args]:
    // the method value already knows its receiver, so self is dropped.
    // Which one it is shows only once SSA is built (resolve_all), since the
    // slots may reach here through block parameters: f(a if c else b).
    c->args[0] = callable;
    c->call_below = below;
    c->call_callable = callable;
    if (nkw) {
        c->nkw = nkw;
        c->kwnames = ARENA_ARRAY(s->f->arena, const char *, nkw);
        for (int i = 0; i < nkw; i++)
            c->kwnames[i] = s->kwnames->items[i]->s;
    }
    s->kwnames = NULL;
    push(s, c);
}

static const char *unsupported_opcode_message(int opcode) {
    switch (opcode) {
    case BC_MAKE_FUNCTION:
        return "nested functions, lambdas and comprehensions are not supported";
    case BC_LOAD_DEREF: case BC_STORE_DEREF: case BC_LOAD_CLOSURE: case BC_MAKE_CELL:
    case BC_COPY_FREE_VARS: case BC_LOAD_CLASSDEREF: case BC_DELETE_DEREF:
        return "closures (variables shared with a nested function) are not supported";
    case BC_YIELD_VALUE: case BC_RETURN_GENERATOR: case BC_SEND: case BC_GET_YIELD_FROM_ITER:
        return "generators are not supported";
    case BC_GET_AWAITABLE: case BC_GET_AITER: case BC_GET_ANEXT: case BC_BEFORE_ASYNC_WITH:
    case BC_END_ASYNC_FOR: case BC_ASYNC_GEN_WRAP:
        return "async functions are not supported";
    case BC_BEFORE_WITH: case BC_WITH_EXCEPT_START:
        return "with statements are not supported";
    case BC_PUSH_EXC_INFO: case BC_POP_EXCEPT: case BC_CHECK_EXC_MATCH: case BC_RERAISE:
    case BC_CHECK_EG_MATCH: case BC_PREP_RERAISE_STAR:
        return "try/except is not supported";
    case BC_IMPORT_STAR:
        return "'from ... import *' inside a compiled function is not supported: name what you import";
    case BC_DELETE_ATTR:
        return "deleting attributes is not supported";
    case BC_STORE_GLOBAL: case BC_DELETE_GLOBAL:
        return "assigning to global variables is not supported";
    case BC_FORMAT_VALUE: case BC_BUILD_STRING:
        return "f-strings and string formatting are not supported";
    case BC_MATCH_CLASS: case BC_MATCH_KEYS: case BC_MATCH_MAPPING: case BC_MATCH_SEQUENCE:
    case BC_GET_LEN:
        return "match statements are not supported";
    case BC_CALL_FUNCTION_EX:
        return "calls with *args or **kwargs are not supported";
    case BC_UNPACK_EX:
        return "starred assignment (a, *b = ...) is not supported";
    case BC_LOAD_BUILD_CLASS:
        return "class definitions are not supported";
    case BC_LOAD_NAME: case BC_STORE_NAME: case BC_DELETE_NAME: case BC_SETUP_ANNOTATIONS:
    case BC_PRINT_EXPR:
        return "module-level code is not compiled";
    default:
        return NULL;
    }
}

/* obj.name(args...) as CPython would call a method: a GETATTR and a CALL. */
static Instr *method_call(Builder *s, const FeInsn *in, Instr *obj, const char *name, Instr **args, int nargs) {
    Instr *m = emit(s, OP_GETATTR, in, 1);
    m->args[0] = obj;
    m->name = name;
    Instr *c = emit(s, OP_CALL, in, nargs + 1);
    c->args[0] = m;
    mem_copy(c->args + 1, args, sizeof(Instr *) * (size_t)nargs);
    return c;
}

/* A display (BUILD_LIST, BUILD_SET) extended by n items known now (a
 * constant tuple or a BUILD_TUPLE): they become its own. */
static void grow_display(Builder *s, const FeInsn *in, Instr *display, Instr *items, int n) {
    Instr **added = ARENA_ARRAY(s->f->arena, Instr *, n + 1);
    for (int i = 0; i < n; i++) { // constants made before the display that reads them
        if (items->op == OP_BUILD_TUPLE) {
            added[i] = items->args[i];
            continue;
        }
        added[i] = emit(s, OP_CONST, in, 0);
        added[i]->cst = items->cst->items[i];
    }
    // The display grows in place and moves after the items it now reads.
    Block *b = s->cur;
    int at = b->instrs.len - 1;
    while (at >= 0 && b->instrs.data[at] != display)
        at--;
    if (at < 0)
        unsupported(s, in, "malformed bytecode: the extension of a display from another block");
    memmove(&b->instrs.data[at], &b->instrs.data[at + 1], sizeof(Instr *) * (size_t)(b->instrs.len - at - 1));
    b->instrs.len--;
    Instr **args = ARENA_ARRAY(s->f->arena, Instr *, display->nargs + n + 1);
    mem_copy(args, display->args, sizeof(Instr *) * (size_t)display->nargs);
    mem_copy(args + display->nargs, added, sizeof(Instr *) * (size_t)n);
    display->args = args;
    display->nargs += n;
    ir_append(s->f, s->cur, display);
}

/* The number of items a tuple known now holds (a constant, or a
 * BUILD_TUPLE), or -1. */
static int known_items(const Instr *items) {
    if (items->op == OP_CONST && items->cst->kind == FE_CONST_TUPLE)
        return items->cst->nitems;
    if (items->op == OP_BUILD_TUPLE)
        return items->nargs;
    return -1;
}

/* List displays are lists ([a, b]: BUILD_LIST); CPython writes a display of
 * constants as an empty list extended by a constant tuple, which becomes one
 * BUILD_LIST again, and `[*a, *b]` as extends. A list comprehension appends
 * with LIST_APPEND. */
static void list_display(Builder *s, const FeInsn *in) {
    if (in->opcode == BC_BUILD_LIST) {
        Instr *t = emit(s, OP_BUILD_LIST, in, in->arg);
        for (int i = in->arg - 1; i >= 0; i--)
            t->args[i] = pop(s, in);
        push(s, t);
        return;
    }
    if (in->opcode == BC_LIST_APPEND) {
        Instr *v = pop(s, in);
        Instr *list = peek(s, in, in->arg);
        method_call(s, in, list, "append", &v, 1);
        return;
    }
    if (in->opcode == BC_LIST_TO_TUPLE) {
        Instr *list = pop(s, in);
        if (list->op != OP_BUILD_LIST)
            unsupported(s, in, "a tuple display with starred items of run-time length (*a) is not supported: "
                               "build a list instead");
        Instr *t = emit(s, OP_BUILD_TUPLE, in, list->nargs);
        mem_copy(t->args, list->args, sizeof(Instr *) * (size_t)list->nargs);
        push(s, t);
        return;
    }
    // LIST_EXTEND: the list is arg items below the iterable.
    Instr *items = pop(s, in);
    Instr *list = peek(s, in, in->arg);
    int n = known_items(items);
    if (n < 0 || list->op != OP_BUILD_LIST) {
        method_call(s, in, list, "extend", &items, 1);
        return;
    }
    grow_display(s, in, list, items, n);
}

/* Dict and set displays. `{k: v}` is BUILD_MAP (or BUILD_CONST_KEY_MAP
 * with the keys as one constant tuple); a display of constants is an empty
 * set updated by a constant frozenset (a tuple here). Comprehensions add
 * with MAP_ADD (an item assignment) and SET_ADD. */
static void dict_set_display(Builder *s, const FeInsn *in) {
    switch (in->opcode) {
    case BC_BUILD_MAP: {
        Instr *d = emit(s, OP_BUILD_DICT, in, 2 * in->arg);
        for (int i = 2 * in->arg - 1; i >= 0; i--)
            d->args[i] = pop(s, in);
        push(s, d);
        return;
    }
    case BC_BUILD_CONST_KEY_MAP: {
        Instr *keys = pop(s, in);
        if (keys->op != OP_CONST || keys->cst->kind != FE_CONST_TUPLE || keys->cst->nitems != in->arg)
            unsupported(s, in, "malformed bytecode: BUILD_CONST_KEY_MAP without its keys");
        Instr **values = ARENA_ARRAY(s->f->arena, Instr *, in->arg + 1);
        for (int i = in->arg - 1; i >= 0; i--)
            values[i] = pop(s, in);
        Instr **consts = ARENA_ARRAY(s->f->arena, Instr *, in->arg + 1);
        for (int i = 0; i < in->arg; i++) {
            consts[i] = emit(s, OP_CONST, in, 0);
            consts[i]->cst = keys->cst->items[i];
        }
        Instr *d = emit(s, OP_BUILD_DICT, in, 2 * in->arg);
        for (int i = 0; i < in->arg; i++) {
            d->args[2 * i] = consts[i];
            d->args[2 * i + 1] = values[i];
        }
        push(s, d);
        return;
    }
    case BC_MAP_ADD: {
        Instr *st = emit(s, OP_SETITEM, in, 3);
        st->args[2] = pop(s, in); // value
        st->args[1] = pop(s, in); // key
        st->args[0] = peek(s, in, in->arg);
        return;
    }
    case BC_BUILD_SET: {
        Instr *t = emit(s, OP_BUILD_SET, in, in->arg);
        for (int i = in->arg - 1; i >= 0; i--)
            t->args[i] = pop(s, in);
        push(s, t);
        return;
    }
    case BC_SET_ADD: {
        Instr *v = pop(s, in);
        method_call(s, in, peek(s, in, in->arg), "add", &v, 1);
        return;
    }
    case BC_SET_UPDATE: {
        Instr *items = pop(s, in);
        Instr *set = peek(s, in, in->arg);
        int n = known_items(items);
        if (n >= 0 && set->op == OP_BUILD_SET)
            grow_display(s, in, set, items, n);
        else
            method_call(s, in, set, "update", &items, 1);
        return;
    }
    default:
        unsupported(s, in, "`{**d}` in a dict display is not supported: copy the dict with d.copy() and update it");
    }
}

/* Converts one instruction; returns true when it ended the block. */
static bool convert_insn(Builder *s, const FeInsn *in) {
    const FeCode *code = s->code;
    switch (in->opcode) {
    case BC_NOP: case BC_RESUME: case BC_PRECALL:
        return false;
    case BC_POP_TOP:
        pop(s, in);
        return false;
    case BC_PUSH_NULL:
        push(s, s->null_mark);
        return false;
    case BC_LOAD_FAST:
        if (in->arg >= s->nlocals)
            unsupported(s, in, "malformed bytecode: local variable index out of range");
        push(s, s->locals[in->arg]);
        return false;
    case BC_STORE_FAST:
        if (in->arg >= s->nlocals)
            unsupported(s, in, "malformed bytecode: local variable index out of range");
        s->locals[in->arg] = pop(s, in);
        if ((s->locals[in->arg]->op == OP_BUILD_LIST || s->locals[in->arg]->op == OP_BUILD_DICT ||
             s->locals[in->arg]->op == OP_BUILD_SET) && !s->locals[in->arg]->name)
            s->locals[in->arg]->name = s->names[in->arg]; // for messages about the list
        return false;
    // Variables shared with nested functions are captured by value when the
    // nested function is made (closure.c's rules make that exact): here they
    // are locals like the others.
    case BC_MAKE_CELL: case BC_COPY_FREE_VARS:
        return false;
    case BC_LOAD_DEREF: case BC_LOAD_CLOSURE:
        if (in->arg >= s->nlocals)
            unsupported(s, in, "malformed bytecode: cell index out of range");
        push(s, s->locals[in->arg]);
        return false;
    case BC_STORE_DEREF:
        if (in->arg >= s->nlocals)
            unsupported(s, in, "malformed bytecode: cell index out of range");
        if (in->arg >= s->nlocals - s->code->nfreevars - (s->generator_list >= 0))
            unsupported(s, in, arena_printf(s->f->arena,
                                            "assigning to '%s' of the enclosing function (nonlocal) is not supported: "
                                            "return the new value and assign it there",
                                            s->names[in->arg]));
        s->locals[in->arg] = pop(s, in);
        return false;
    case BC_MAKE_FUNCTION:
        make_function(s, in);
        return false;
    case BC_RETURN_GENERATOR:
        if (s->generator_list < 0)
            unsupported(s, in, "generators are not supported");
        s->locals[s->generator_list] = emit(s, OP_BUILD_LIST, in, 0);
        push(s, none_const(s, in)); // popped at once
        return false;
    case BC_YIELD_VALUE: {
        if (s->generator_list < 0)
            unsupported(s, in, "generators are not supported");
        Instr *v = pop(s, in);
        method_call(s, in, s->locals[s->generator_list], "append", &v, 1);
        push(s, none_const(s, in)); // what the yield gives back: popped at once
        return false;
    }
    case BC_DELETE_FAST:
        if (in->arg >= s->nlocals)
            unsupported(s, in, "malformed bytecode: local variable index out of range");
        s->locals[in->arg] = s->undef[in->arg];
        return false;
    case BC_LOAD_CONST: {
        if (in->arg >= code->nconsts)
            unsupported(s, in, "malformed bytecode: constant index out of range");
        Instr *c = emit(s, OP_CONST, in, 0);
        c->cst = code->consts[in->arg];
        push(s, c);
        return false;
    }
    case BC_LOAD_GLOBAL: {
        int idx = in->arg >> 1;
        if (idx >= code->nnames)
            unsupported(s, in, "malformed bytecode: name index out of range");
        if (in->arg & 1)
            push(s, s->null_mark);
        Instr *g = emit(s, OP_GLOBAL, in, 0);
        g->global = code->globals[idx];
        g->name = code->names[idx];
        push(s, g);
        return false;
    }
    case BC_LOAD_ASSERTION_ERROR: {
        Instr *g = emit(s, OP_GLOBAL, in, 0);
        g->global = ARENA_NEW(s->f->arena, FeGlobal);
        g->global->kind = FE_GLOBAL_EXCEPTION;
        g->global->name = "AssertionError";
        g->name = "AssertionError";
        push(s, g);
        return false;
    }
    case BC_IMPORT_NAME: {
        // `import numpy as np` in a function is the module, as a global
        // would be; `from math import sqrt` takes attributes of it
        // (IMPORT_FROM). Which module it is is fixed at build time.
        if (in->arg >= code->nnames)
            unsupported(s, in, "malformed bytecode: name index out of range");
        Instr *fromlist = pop(s, in), *level = pop(s, in);
        if (level->op != OP_CONST || level->cst->kind != FE_CONST_INT || level->cst->i != 0)
            unsupported(s, in, "relative imports inside a compiled function are not supported");
        const char *name = code->names[in->arg];
        bool top_package = fromlist->op == OP_CONST && fromlist->cst->kind == FE_CONST_NONE;
        const char *dot = strchr(name, '.');
        Instr *g = emit(s, OP_GLOBAL, in, 0);
        g->global = ARENA_NEW(s->f->arena, FeGlobal);
        g->global->kind = FE_GLOBAL_MODULE;
        g->global->name = top_package && dot ? arena_strndup(s->f->arena, name, (size_t)(dot - name)) : name;
        g->name = g->global->name;
        push(s, g);
        return false;
    }
    case BC_IMPORT_FROM: {
        if (in->arg >= code->nnames)
            unsupported(s, in, "malformed bytecode: name index out of range");
        Instr *a = emit(s, OP_GETATTR, in, 1);
        a->args[0] = peek(s, in, 1); // the module stays for the next name
        a->name = code->names[in->arg];
        push(s, a);
        return false;
    }
    case BC_LOAD_ATTR:
    case BC_LOAD_METHOD: {
        if (in->arg >= code->nnames)
            unsupported(s, in, "malformed bytecode: name index out of range");
        Instr *obj = pop(s, in);
        Instr *a = emit(s, OP_GETATTR, in, 1);
        a->args[0] = obj;
        a->name = code->names[in->arg];
        push(s, a);
        if (in->opcode == BC_LOAD_METHOD)
            push(s, obj); // CPython's "self" slot; CALL drops it
        return false;
    }
    case BC_KW_NAMES: {
        if (in->arg >= code->nconsts || code->consts[in->arg]->kind != FE_CONST_TUPLE)
            unsupported(s, in, "malformed bytecode: KW_NAMES without a tuple of names");
        s->kwnames = code->consts[in->arg];
        return false;
    }
    case BC_CALL:
        call(s, in);
        return false;
    case BC_BINARY_OP: {
        if (in->arg < 0 || in->arg >= 2 * FE_NB_INPLACE)
            unsupported(s, in, "malformed bytecode: unknown binary operator");
        if (in->arg % FE_NB_INPLACE == NB_MATRIX_MULTIPLY) {
            // a @ b is np.matmul(a, b): numbers have no @.
            Instr *b = pop(s, in), *a = pop(s, in);
            Instr *g = emit(s, OP_GLOBAL, in, 0);
            g->global = ARENA_NEW(s->f->arena, FeGlobal);
            g->global->kind = FE_GLOBAL_LIBRARY;
            g->global->name = "numpy.matmul";
            g->name = "@";
            Instr *c = emit(s, OP_CALL, in, 3);
            c->args[0] = g;
            c->args[1] = a;
            c->args[2] = b;
            push(s, c);
            return false;
        }
        Instr *b = emit(s, OP_BINARY, in, 2);
        b->sub = in->arg;
        b->args[1] = pop(s, in);
        b->args[0] = pop(s, in);
        push(s, b);
        return false;
    }
    case BC_UNARY_NEGATIVE: case BC_UNARY_POSITIVE: case BC_UNARY_INVERT: case BC_UNARY_NOT: {
        Instr *u = emit(s, OP_UNARY, in, 1);
        u->sub = in->opcode == BC_UNARY_NEGATIVE ? UN_NEG
               : in->opcode == BC_UNARY_POSITIVE ? UN_POS
               : in->opcode == BC_UNARY_INVERT   ? UN_INVERT
                                                 : UN_NOT;
        u->args[0] = pop(s, in);
        push(s, u);
        return false;
    }
    case BC_COMPARE_OP: case BC_IS_OP: case BC_CONTAINS_OP: {
        Instr *c = emit(s, OP_COMPARE, in, 2);
        if (in->opcode == BC_COMPARE_OP) {
            if (in->arg > CMP_GE)
                unsupported(s, in, "malformed bytecode: unknown comparison");
            c->sub = in->arg;
        } else if (in->opcode == BC_IS_OP) {
            c->sub = in->arg ? CMP_IS_NOT : CMP_IS;
        } else {
            c->sub = in->arg ? CMP_NOT_IN : CMP_IN;
        }
        c->args[1] = pop(s, in);
        c->args[0] = pop(s, in);
        push(s, c);
        return false;
    }
    case BC_BINARY_SUBSCR: {
        Instr *g = emit(s, OP_GETITEM, in, 2);
        g->args[1] = pop(s, in);
        g->args[0] = pop(s, in);
        push(s, g);
        return false;
    }
    case BC_STORE_SUBSCR: {
        Instr *st = emit(s, OP_SETITEM, in, 3);
        st->args[1] = pop(s, in); // index
        st->args[0] = pop(s, in); // container
        st->args[2] = pop(s, in); // value
        return false;
    }
    case BC_DELETE_SUBSCR: {
        Instr *idx = pop(s, in);
        Instr *obj = pop(s, in);
        method_call(s, in, obj, "__delitem__", &idx, 1);
        return false;
    }
    case BC_STORE_ATTR: {
        // obj.name = v is obj.name[...] = v: numpy assigns the parts of an
        // array (a.real, a.imag) that way, and nothing else can be assigned.
        if (in->arg >= code->nnames)
            unsupported(s, in, "malformed bytecode: name index out of range");
        Instr *obj = pop(s, in);
        Instr *value = pop(s, in);
        Instr *part = emit(s, OP_GETATTR, in, 1);
        part->args[0] = obj;
        part->name = code->names[in->arg];
        part->sub = FE_ATTR_ASSIGNED;
        Instr *all = emit(s, OP_CONST, in, 0);
        all->cst = ARENA_NEW(s->f->arena, FeConst);
        all->cst->kind = FE_CONST_ELLIPSIS;
        Instr *st = emit(s, OP_SETITEM, in, 3);
        st->args[0] = part;
        st->args[1] = all;
        st->args[2] = value;
        return false;
    }
    case BC_BUILD_LIST: case BC_LIST_EXTEND: case BC_LIST_TO_TUPLE: case BC_LIST_APPEND:
        list_display(s, in);
        return false;
    case BC_BUILD_MAP: case BC_BUILD_CONST_KEY_MAP: case BC_MAP_ADD: case BC_DICT_UPDATE: case BC_DICT_MERGE:
    case BC_BUILD_SET: case BC_SET_ADD: case BC_SET_UPDATE:
        dict_set_display(s, in);
        return false;
    case BC_BUILD_TUPLE: {
        Instr *t = emit(s, OP_BUILD_TUPLE, in, in->arg);
        for (int i = in->arg - 1; i >= 0; i--)
            t->args[i] = pop(s, in);
        push(s, t);
        return false;
    }
    case BC_BUILD_SLICE: {
        if (in->arg != 2 && in->arg != 3)
            unsupported(s, in, "malformed bytecode: BUILD_SLICE needs 2 or 3 parts");
        Instr *sl = emit(s, OP_BUILD_SLICE, in, in->arg);
        for (int i = in->arg - 1; i >= 0; i--)
            sl->args[i] = pop(s, in);
        push(s, sl);
        return false;
    }
    case BC_UNPACK_SEQUENCE: {
        Instr *seq = pop(s, in);
        // CPython leaves item 0 on top.
        for (int i = in->arg - 1; i >= 0; i--) {
            Instr *g = emit(s, OP_TUPLE_GET, in, 1);
            g->args[0] = seq;
            g->sub = i;
            g->nkw = in->arg; // the expected length, checked by inference
            push(s, g);
        }
        return false;
    }
    case BC_SWAP: {
        Instr *top = peek(s, in, 1), *other = peek(s, in, in->arg);
        s->stack.data[s->stack.len - 1] = other;
        s->stack.data[s->stack.len - in->arg] = top;
        return false;
    }
    case BC_COPY:
        push(s, peek(s, in, in->arg));
        return false;
    case BC_GET_ITER: {
        Instr *it = emit(s, OP_GET_ITER, in, 1);
        it->args[0] = pop(s, in);
        push(s, it);
        return false;
    }
    case BC_FOR_ITER: {
        Instr *it = peek(s, in, 1);
        Instr *t = emit(s, OP_FOR_ITER, in, 1);
        t->args[0] = it;
        Block *body = edge(s, in, t, 0, in->next, s->stack.len);
        if (body->preds.len > 1)
            unsupported(s, in, "malformed bytecode: a loop body reached other than from its FOR_ITER");
        body->loop_body = true;
        edge(s, in, t, 1, in->jump, s->stack.len - 1); // exhausted: the iterator is popped
        return true;
    }
    case BC_JUMP_FORWARD: case BC_JUMP_BACKWARD: case BC_JUMP_BACKWARD_NO_INTERRUPT:
        jump(s, in, in->jump);
        return true;
    case BC_POP_JUMP_FORWARD_IF_FALSE: case BC_POP_JUMP_BACKWARD_IF_FALSE: {
        Instr *cond = truth(s, in, pop(s, in));
        branch(s, in, cond, in->next, s->stack.len, in->jump, s->stack.len);
        return true;
    }
    case BC_POP_JUMP_FORWARD_IF_TRUE: case BC_POP_JUMP_BACKWARD_IF_TRUE: {
        Instr *cond = truth(s, in, pop(s, in));
        branch(s, in, cond, in->jump, s->stack.len, in->next, s->stack.len);
        return true;
    }
    case BC_POP_JUMP_FORWARD_IF_NONE: case BC_POP_JUMP_BACKWARD_IF_NONE:
    case BC_POP_JUMP_FORWARD_IF_NOT_NONE: case BC_POP_JUMP_BACKWARD_IF_NOT_NONE: {
        Instr *v = pop(s, in);
        Instr *none = none_const(s, in); // emitted before the compare that reads it
        Instr *is_none = emit(s, OP_COMPARE, in, 2);
        is_none->sub = CMP_IS;
        is_none->args[0] = v;
        is_none->args[1] = none;
        bool jump_if_none = in->opcode == BC_POP_JUMP_FORWARD_IF_NONE ||
                            in->opcode == BC_POP_JUMP_BACKWARD_IF_NONE;
        if (jump_if_none)
            branch(s, in, is_none, in->jump, s->stack.len, in->next, s->stack.len);
        else
            branch(s, in, is_none, in->next, s->stack.len, in->jump, s->stack.len);
        return true;
    }
    case BC_JUMP_IF_FALSE_OR_POP: case BC_JUMP_IF_TRUE_OR_POP: {
        // The value stays on the stack on the jump edge and is popped on the other.
        Instr *cond = truth(s, in, peek(s, in, 1));
        int with = s->stack.len, without = s->stack.len - 1;
        if (in->opcode == BC_JUMP_IF_TRUE_OR_POP)
            branch(s, in, cond, in->jump, with, in->next, without);
        else
            branch(s, in, cond, in->next, without, in->jump, with);
        return true;
    }
    case BC_RETURN_VALUE: {
        Instr *r = emit(s, OP_RETURN, in, 1);
        r->args[0] = pop(s, in);
        if (s->generator_list >= 0) // a generator expression gives the list of what it yielded
            r->args[0] = s->locals[s->generator_list];
        // What is returned is where the instruction that made it stands:
        // messages about the returned value point there, not at where a
        // variable was first assigned (an argument: the def line).
        int k = s->in.index_of[in->start];
        if (k > 0 && s->in.insns[k - 1].pos.line > 0)
            r->pos = insn_pos(s, &s->in.insns[k - 1]);
        return true;
    }
    case BC_RAISE_VARARGS: {
        if (in->arg == 0)
            unsupported(s, in, "a bare `raise` (re-raise) is not supported");
        if (in->arg == 2)
            pop(s, in); // `raise X from Y`: the cause is not kept
        Instr *r = emit(s, OP_RAISE, in, 1);
        r->args[0] = pop(s, in);
        return true;
    }
    default: {
        const char *msg = unsupported_opcode_message(in->opcode);
        if (msg)
            unsupported(s, in, msg);
        diag_error(s->b->diag, insn_pos(s, in), "unsupported bytecode %s", fe_opcode_name(in->opcode));
    }
    }
}

static bool is_cell(Builder *s, int local) {
    for (int i = 0; i < s->code->ncellvars; i++)
        if (strcmp(s->code->cellvars[i], s->names[local]) == 0)
            return true;
    return false;
}

static bool is_block_end(int opcode) {
    switch (opcode) {
    case BC_JUMP_FORWARD: case BC_JUMP_BACKWARD: case BC_JUMP_BACKWARD_NO_INTERRUPT:
    case BC_POP_JUMP_FORWARD_IF_FALSE: case BC_POP_JUMP_FORWARD_IF_TRUE:
    case BC_POP_JUMP_BACKWARD_IF_FALSE: case BC_POP_JUMP_BACKWARD_IF_TRUE:
    case BC_POP_JUMP_FORWARD_IF_NONE: case BC_POP_JUMP_FORWARD_IF_NOT_NONE:
    case BC_POP_JUMP_BACKWARD_IF_NONE: case BC_POP_JUMP_BACKWARD_IF_NOT_NONE:
    case BC_JUMP_IF_FALSE_OR_POP: case BC_JUMP_IF_TRUE_OR_POP:
    case BC_FOR_ITER: case BC_RETURN_VALUE: case BC_RAISE_VARARGS: case BC_RERAISE:
        return true;
    default:
        return false;
    }
}

static void find_leaders(Builder *s) {
    int nunits = s->code->ncode / 2;
    s->is_leader = ARENA_ARRAY(s->f->arena, bool, nunits + 1);
    s->block_at = ARENA_ARRAY(s->f->arena, Block *, nunits + 1);
    if (s->in.n > 0)
        s->is_leader[s->in.insns[0].start] = true;
    for (int i = 0; i < s->in.n; i++) {
        const FeInsn *in = &s->in.insns[i];
        if (in->jump >= 0)
            s->is_leader[in->jump] = true;
        if (is_block_end(in->opcode) && i + 1 < s->in.n)
            s->is_leader[s->in.insns[i + 1].start] = true;
    }
}

static void convert_block(Builder *s, Block *b) {
    s->cur = b;
    s->kwnames = NULL;
    s->stack.len = 0;
    for (int i = 0; i < s->nlocals; i++)
        s->locals[i] = b->params.data[i];
    for (int i = 0; i < b->stack_in; i++)
        push(s, b->params.data[s->nlocals + i]);
    int idx = s->in.index_of[b->bc_start];
    if (b->loop_body) {
        const FeInsn *for_iter = &s->in.insns[idx - 1];
        Instr *v = emit(s, OP_ITER_VALUE, for_iter, 1);
        v->args[0] = peek(s, for_iter, 1);
        push(s, v);
    }
    for (;;) {
        const FeInsn *in = &s->in.insns[idx];
        if (convert_insn(s, in))
            return;
        idx++;
        if (idx >= s->in.n)
            unsupported(s, in, "malformed bytecode: execution falls off the end of the code");
        if (s->is_leader[s->in.insns[idx].start]) {
            jump(s, in, s->in.insns[idx].start);
            return;
        }
    }
}

static Instr *resolve(Instr *i) {
    while (i->forward)
        i = i->forward;
    return i;
}

static int param_index(const Block *b, const Instr *p) {
    for (int k = 0; k < b->params.len; k++)
        if (b->params.data[k] == p)
            return k;
    return -1;
}

/* Removes parameter k of b and the matching argument of every incoming edge. */
static void remove_param(Block *b, int k) {
    for (int pi = 0; pi < b->preds.len; pi++) {
        Instr *t = ir_terminator(b->preds.data[pi]);
        for (int e = 0; e < t->nsucc; e++) {
            Edge *ed = &t->succ[e];
            if (ed->to != b)
                continue;
            memmove(&ed->args[k], &ed->args[k + 1], sizeof(Instr *) * (size_t)(ed->nargs - k - 1));
            ed->nargs--;
        }
    }
    memmove(&b->params.data[k], &b->params.data[k + 1],
            sizeof(Instr *) * (size_t)(b->params.len - k - 1));
    b->params.len--;
}

/* A parameter whose incoming values are all one value v (or itself) is v. */
static bool remove_trivial_params(Func *f) {
    bool changed = false;
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        for (int k = b->params.len - 1; k >= 0; k--) {
            Instr *p = b->params.data[k];
            Instr *only = NULL;
            bool trivial = true;
            for (int pi = 0; pi < b->preds.len && trivial; pi++) {
                Instr *t = ir_terminator(b->preds.data[pi]);
                for (int e = 0; e < t->nsucc && trivial; e++) {
                    if (t->succ[e].to != b)
                        continue;
                    Instr *v = resolve(t->succ[e].args[k]);
                    if (v == p)
                        continue;
                    if (!only)
                        only = v;
                    else if (only != v)
                        trivial = false;
                }
            }
            if (trivial && only) {
                p->forward = only;
                remove_param(b, k);
                changed = true;
            }
        }
    }
    return changed;
}

/* Settles a CALL's two slots under its arguments: [NULL, f] calls f;
 * [obj.m, obj] after LOAD_METHOD calls the bound attribute, which knows its
 * receiver; any other [f, x] (as `assert c, msg` pushes AssertionError and
 * msg) calls f with x as its first argument. */
static void choose_callable(Func *f, Instr *call) {
    Instr *below = resolve(call->call_below);
    Instr *callable = resolve(call->call_callable);
    if (below->op == OP_NULL_MARK) {
        call->args[0] = callable;
    } else if (below->op == OP_GETATTR && resolve(below->args[0]) == callable) {
        call->args[0] = below;
    } else {
        Instr **args = ARENA_ARRAY(f->arena, Instr *, call->nargs + 1);
        args[0] = below;
        args[1] = callable;
        for (int i = 1; i < call->nargs; i++)
            args[i + 1] = call->args[i];
        call->args = args;
        call->nargs++;
    }
    call->call_below = call->call_callable = NULL; // settled, once
}

static void resolve_all(Func *f) {
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        for (int ii = 0; ii < b->instrs.len; ii++) {
            Instr *in = b->instrs.data[ii];
            if (in->op == OP_CALL && in->call_below)
                choose_callable(f, in);
            for (int a = 0; a < in->nargs; a++)
                in->args[a] = resolve(in->args[a]);
            for (int e = 0; e < in->nsucc; e++)
                for (int a = 0; a < in->succ[e].nargs; a++)
                    in->succ[e].args[a] = resolve(in->succ[e].args[a]);
        }
    }
}

/* Parameters that nothing uses (directly, or through a used parameter)
 * are dropped: a variable whose type changes between two regions of the
 * function must not be forced into one type where it is dead. */
static void remove_dead_params(Func *f) {
    Vec(Instr *) work = {0};
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        for (int k = 0; k < b->params.len; k++)
            b->params.data[k]->sub = 0; // 0 dead, 1 live
    }
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        for (int ii = 0; ii < b->instrs.len; ii++) {
            Instr *in = b->instrs.data[ii];
            for (int a = 0; a < in->nargs; a++)
                if (in->args[a]->op == OP_PARAM && !in->args[a]->sub) {
                    in->args[a]->sub = 1;
                    vec_push(f->arena, &work, in->args[a]);
                }
        }
    }
    while (work.len) {
        Instr *p = work.data[--work.len];
        Block *b = p->block;
        int k = param_index(b, p);
        for (int pi = 0; pi < b->preds.len; pi++) {
            Instr *t = ir_terminator(b->preds.data[pi]);
            for (int e = 0; e < t->nsucc; e++) {
                if (t->succ[e].to != b)
                    continue;
                Instr *v = t->succ[e].args[k];
                if (v->op == OP_PARAM && !v->sub) {
                    v->sub = 1;
                    vec_push(f->arena, &work, v);
                }
            }
        }
    }
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *b = f->blocks.data[bi];
        for (int k = b->params.len - 1; k >= 0; k--)
            if (!b->params.data[k]->sub)
                remove_param(b, k);
    }
}

static void number_rpo(Func *f) {
    int nblocks = f->blocks.len;
    Block **order = ARENA_ARRAY(f->arena, Block *, nblocks);
    int *next_succ = ARENA_ARRAY(f->arena, int, nblocks);
    bool *seen = ARENA_ARRAY(f->arena, bool, nblocks);
    Block **stack = ARENA_ARRAY(f->arena, Block *, nblocks);
    int sp = 0, post = nblocks;
    stack[sp++] = f->blocks.data[0];
    seen[f->blocks.data[0]->id] = true;
    while (sp) {
        Block *b = stack[sp - 1];
        Instr *t = ir_terminator(b);
        int i = next_succ[b->id]++;
        if (t && i < t->nsucc) {
            Block *to = t->succ[i].to;
            if (!seen[to->id]) {
                seen[to->id] = true;
                stack[sp++] = to;
            }
            continue;
        }
        order[--post] = b;
        sp--;
    }
    // Every block was created by an edge from a converted block, so all are
    // reachable and post ends at 0; keep the count general all the same.
    int n = nblocks - post;
    for (int i = 0; i < n; i++) {
        f->blocks.data[i] = order[post + i];
        f->blocks.data[i]->id = i;
        f->blocks.data[i]->rpo = i;
    }
    f->blocks.len = n;
}

/* A local read where no path assigns it is an error CPython would raise on
 * every run; one assigned on some paths only is allowed (Numba does too). */
static void check_undefined_uses(FeBuild *b, Func *f) {
    for (int bi = 0; bi < f->blocks.len; bi++) {
        Block *blk = f->blocks.data[bi];
        for (int ii = 0; ii < blk->instrs.len; ii++) {
            Instr *in = blk->instrs.data[ii];
            for (int a = 0; a < in->nargs; a++)
                if (in->args[a]->op == OP_UNDEF)
                    diag_error(b->diag, in->pos, "local variable '%s' is used before it is assigned",
                               in->args[a]->name);
        }
    }
}

void fe_check_code_flags(FeBuild *b, const FeCode *code) {
    SrcPos pos = {.file = code->filename, .line = code->firstlineno};
    if ((code->flags & (FE_CO_GENERATOR | FE_CO_ASYNC_GENERATOR)) && !fe_is_generator_expression(code))
        diag_error(b->diag, pos, "'%s' is a generator: generators are not supported", code->qualname);
    if (code->flags & FE_CO_COROUTINE)
        diag_error(b->diag, pos, "'%s' is async: async functions are not supported", code->qualname);
    if (code->flags & FE_CO_VARARGS)
        diag_error(b->diag, pos, "'%s' takes *args: variable arguments are not supported", code->qualname);
    if (code->flags & FE_CO_VARKEYWORDS)
        diag_error(b->diag, pos, "'%s' takes **kwargs: variable keyword arguments are not supported",
                   code->qualname);
    if (code->kwonlyargcount)
        diag_error(b->diag, pos, "'%s' has keyword-only parameters: they are not supported",
                   code->qualname);
}

void fe_build_ssa(FeBuild *b, Func *f) {
    const FeCode *code = f->src->code;
    fe_check_code_flags(b, code);
    Builder s = {.b = b, .f = f, .code = code};
    s.in = fe_decode(f->arena, b->diag, code);
    FeExcEntry *exc;
    if (fe_decode_exception_table(f->arena, b->diag, code, &exc) > 0) {
        const FeInsn *at = &s.in.insns[s.in.index_of[exc[0].start] >= 0 ? s.in.index_of[exc[0].start] : 0];
        unsupported(&s, at, "try/except and with statements are not supported");
    }
    find_leaders(&s);
    local_names(&s);
    s.locals = ARENA_ARRAY(f->arena, Instr *, s.nlocals + 1);
    s.undef = ARENA_ARRAY(f->arena, Instr *, s.nlocals + 1);

    // The entry block defines the arguments and the not-yet-assigned locals,
    // then jumps to the first bytecode block (which a loop may jump back to).
    Block *entry = ir_new_block(f->arena, f);
    s.cur = entry;
    SrcPos def_pos = {.file = code->filename, .line = code->firstlineno};
    s.null_mark = ir_new(f, OP_NULL_MARK, def_pos, 0);
    ir_append(f, entry, s.null_mark);
    for (int i = 0; i < s.nlocals; i++) {
        // Free variables are the function's trailing arguments, after its own.
        int nfree = code->nfreevars, first_free = s.nlocals - nfree - (s.generator_list >= 0);
        bool free_var = i >= first_free && i < first_free + nfree;
        Instr *v = ir_new(f, i < code->argcount || free_var ? OP_ARG : OP_UNDEF, def_pos, 0);
        v->sub = free_var ? code->argcount + (i - first_free) : i;
        v->name = s.names[i];
        ir_append(f, entry, v);
        if (i == 0 && fe_is_comprehension(code)) { // `.0` is the iterable: iterate it here
            Instr *it = ir_new(f, OP_GET_ITER, def_pos, 1);
            it->args[0] = v;
            ir_append(f, entry, it);
            v = it;
        }
        s.locals[i] = v;
        s.undef[i] = v;
    }
    const FeInsn *first = &s.in.insns[0];
    Instr *t = ir_new(f, OP_JUMP, def_pos, 0);
    ir_append(f, entry, t);
    edge(&s, first, t, 0, first->start, 0);

    while (s.worklist.len) {
        Block *blk = s.worklist.data[0];
        memmove(s.worklist.data, s.worklist.data + 1, sizeof(Block *) * (size_t)(s.worklist.len - 1));
        s.worklist.len--;
        convert_block(&s, blk);
    }

    while (remove_trivial_params(f)) {
    }
    resolve_all(f);
    remove_dead_params(f);
    number_rpo(f);
    check_undefined_uses(b, f);
}
