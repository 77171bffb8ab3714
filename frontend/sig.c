/* Numba's signature syntax:
 *
 *   sig   := [type] '(' [type {',' type} [',']] ')'
 *   type  := scalar ['[' dim {',' dim} ']']
 *          | 'Array' '(' type ',' INT ',' LAYOUT ')'     LAYOUT: 'C', 'F' or 'A', quoted
 *          | 'UniTuple' '(' type ',' INT ')'
 *          | 'Tuple' '(' '(' type {',' type} [','] ')' ')'
 *          | 'void' | 'none'
 *   dim   := ':' | '::1'
 *
 * Scalar names are Numba's (numba.types), so `byte` is uint8 and `float_`
 * float32 as there. Numba types pyaot cannot represent yet (optional(...),
 * strings, typed containers) get an error naming them.
 *
 * Errors point at the offending character of the signature text. */
#include "frontend.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
    TypeTable *tt;
    Diag *d;
    const FeSigText *sig;
    const char *p;
} Parser;

static _Noreturn void sig_error(Parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static _Noreturn void sig_error(Parser *ps, const char *at, const char *fmt, ...) {
    SrcPos pos = ps->sig->pos;
    int offset = (int)(at - ps->sig->text);
    if (pos.col > 0) {
        pos.col += offset;
    } else {
        pos.text = ps->sig->text;
        pos.col = offset + 1;
    }
    pos.end_col = pos.col + 1;
    va_list ap;
    va_start(ap, fmt);
    diag_errorv(ps->d, pos, fmt, ap);
}

static void skip_space(Parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static bool accept(Parser *ps, char c) {
    skip_space(ps);
    if (*ps->p != c)
        return false;
    ps->p++;
    return true;
}

static void expect(Parser *ps, char c, const char *what) {
    if (!accept(ps, c)) {
        if (*ps->p)
            sig_error(ps, ps->p, "invalid signature: expected %s, found '%c'", what, *ps->p);
        sig_error(ps, ps->p, "invalid signature: expected %s at the end", what);
    }
}

/* Reads an identifier; returns its length (0 if none). */
static int identifier(Parser *ps, const char **start) {
    skip_space(ps);
    *start = ps->p;
    while (isalnum((unsigned char)*ps->p) || *ps->p == '_')
        ps->p++;
    return (int)(ps->p - *start);
}

typedef struct ScalarName {
    const char *name;
    TypeKind kind;
    int bits;
    bool is_signed;
} ScalarName;

static const ScalarName scalar_names[] = {
    {"int8", TY_INT, 8, true},     {"int16", TY_INT, 16, true},  {"int32", TY_INT, 32, true},
    {"int64", TY_INT, 64, true},   {"uint8", TY_INT, 8, false},  {"uint16", TY_INT, 16, false},
    {"uint32", TY_INT, 32, false}, {"uint64", TY_INT, 64, false},
    {"intp", TY_INT, 64, true},    {"uintp", TY_INT, 64, false}, {"intc", TY_INT, 32, true},
    {"uintc", TY_INT, 32, false},  {"byte", TY_INT, 8, false},   {"ubyte", TY_INT, 8, false},
    {"char", TY_INT, 8, true},     {"uchar", TY_INT, 8, false},
    {"short", TY_INT, 16, true},   {"ushort", TY_INT, 16, false},
    {"int_", TY_INT, 64, true},    {"uint", TY_INT, 64, false},  {"long_", TY_INT, 64, true},
    {"ulong", TY_INT, 64, false},  {"longlong", TY_INT, 64, true}, {"ulonglong", TY_INT, 64, false},
    {"ssize_t", TY_INT, 64, true}, {"size_t", TY_INT, 64, false},
    {"i1", TY_INT, 8, true},       {"i2", TY_INT, 16, true},     {"i4", TY_INT, 32, true},
    {"i8", TY_INT, 64, true},      {"u1", TY_INT, 8, false},     {"u2", TY_INT, 16, false},
    {"u4", TY_INT, 32, false},     {"u8", TY_INT, 64, false},
    {"float32", TY_FLOAT, 32, false}, {"float64", TY_FLOAT, 64, false},
    {"f4", TY_FLOAT, 32, false},   {"f8", TY_FLOAT, 64, false},
    {"single", TY_FLOAT, 32, false}, {"double", TY_FLOAT, 64, false}, {"float_", TY_FLOAT, 32, false},
    {"complex64", TY_COMPLEX, 64, false}, {"complex128", TY_COMPLEX, 128, false},
    {"c8", TY_COMPLEX, 64, false}, {"c16", TY_COMPLEX, 128, false},
    {"boolean", TY_BOOL, 0, false}, {"bool_", TY_BOOL, 0, false}, {"b1", TY_BOOL, 0, false},
    {"bool", TY_BOOL, 0, false},
    {"void", TY_NONE, 0, false},   {"none", TY_NONE, 0, false},
};

/* Numba types with no pyaot equivalent yet, and what to say about them. */
static const struct { const char *name, *why; } unsupported_names[] = {
    {"optional", "optional(...) types are not supported yet: pass a value of the type itself (None cannot "
                 "be passed)"},
    {"Optional", "optional(...) types are not supported yet: pass a value of the type itself (None cannot "
                 "be passed)"},
    {"float16", "float16 is not supported: use float32"},
    {"f2", "float16 is not supported: use float32"},
    {"unicode_type", "strings are not supported in signatures"},
    {"string", "strings are not supported in signatures"},
    {"ListType", "typed lists are not supported yet"},
    {"NPDatetime", "datetime64 is not supported"},
    {"NPTimedelta", "timedelta64 is not supported"},
    {"voidptr", "pointers are not supported"},
    {"CPointer", "pointers are not supported"},
    {"pyobject", "Python objects are not supported in signatures"},
};

static bool is_word(const char *start, int n, const char *word) {
    return strlen(word) == (size_t)n && strncmp(start, word, (size_t)n) == 0;
}

static const Type *parse_type(Parser *ps);

/* Array(dtype, ndim, 'layout'): the same types as dtype[:, ::1] and friends. */
static const Type *parse_array_call(Parser *ps) {
    expect(ps, '(', "'(' after Array");
    const char *dtype_at = ps->p;
    const Type *dtype = parse_type(ps);
    if (dtype->kind == TY_ARRAY || dtype->kind == TY_TUPLE || dtype->kind == TY_NONE)
        sig_error(ps, dtype_at, "invalid signature: Array's dtype must be a scalar type");
    expect(ps, ',', "',' and the number of dimensions in Array(dtype, ndim, layout)");
    skip_space(ps);
    const char *num = ps->p;
    char *end;
    long ndim = strtol(num, &end, 10);
    if (end == num || ndim < 1 || ndim > 32)
        sig_error(ps, num, "invalid signature: Array needs a number of dimensions from 1 to 32");
    ps->p = end;
    expect(ps, ',', "',' and a layout ('C', 'F' or 'A') in Array(dtype, ndim, layout)");
    skip_space(ps);
    const char *lay = ps->p;
    char quote = *ps->p;
    if ((quote != '\'' && quote != '"') || !strchr("CFA", ps->p[1]) || !ps->p[1] || ps->p[2] != quote)
        sig_error(ps, lay, "invalid signature: Array's layout must be 'C', 'F' or 'A'");
    char layout = ps->p[1];
    ps->p += 3;
    if (accept(ps, ',')) {
        skip_space(ps);
        sig_error(ps, ps->p, "invalid signature: Array takes dtype, ndim and layout only (readonly and "
                             "aligned arrays are not supported)");
    }
    expect(ps, ')', "')'");
    if (ndim == 1 && layout == 'F')
        layout = 'C'; // one dimension: both mean contiguous, and numba spells it [::1]
    return ty_array(ps->tt, dtype, (int)ndim, layout);
}

static const Type *parse_array_dims(Parser *ps, const Type *dtype, const char *type_start) {
    int ndim = 0;
    int unit_dim = -1; // index of the '::1' dimension, if any
    do {
        skip_space(ps);
        const char *dim_start = ps->p;
        if (ps->p[0] == ':' && ps->p[1] == ':') {
            ps->p += 2;
            skip_space(ps);
            if (*ps->p != '1')
                sig_error(ps, ps->p, "invalid signature: only '::1' (contiguous) is allowed after '::'");
            ps->p++;
            if (unit_dim >= 0)
                sig_error(ps, dim_start, "invalid signature: only one dimension can be '::1'");
            unit_dim = ndim;
        } else if (ps->p[0] == ':') {
            ps->p++;
        } else {
            sig_error(ps, ps->p, "invalid signature: expected ':' or '::1' for an array dimension");
        }
        ndim++;
        if (ndim > 32)
            sig_error(ps, dim_start, "invalid signature: arrays have at most 32 dimensions");
    } while (accept(ps, ','));
    expect(ps, ']', "']'");
    char layout = 'A';
    if (unit_dim == ndim - 1)
        layout = 'C';
    else if (unit_dim == 0)
        layout = 'F';
    else if (unit_dim >= 0)
        sig_error(ps, type_start, "invalid signature: '::1' must be the first (Fortran order) or "
                                  "last (C order) dimension");
    if (dtype->kind == TY_NONE)
        sig_error(ps, type_start, "invalid signature: arrays of none are not supported");
    return ty_array(ps->tt, dtype, ndim, layout);
}

static const Type *parse_type(Parser *ps) {
    const char *start;
    int n = identifier(ps, &start);
    if (n == 0) {
        if (*ps->p)
            sig_error(ps, ps->p, "invalid signature: expected a type, found '%c'", *ps->p);
        sig_error(ps, ps->p, "invalid signature: expected a type at the end");
    }
    if (is_word(start, n, "Array"))
        return parse_array_call(ps);
    // Numba's reflected list: `reflected list(float64)`, `List(float64)`,
    // or `list(float64)`.
    if (is_word(start, n, "reflected")) {
        const char *word;
        int k = identifier(ps, &word);
        if (!is_word(word, k, "list") && !is_word(word, k, "set"))
            sig_error(ps, word, "invalid signature: expected 'list' or 'set' after 'reflected'");
        start = word;
        n = k;
    }
    // Numba's typed dict `DictType(int64, float64)` (also `dict(...)`) and
    // reflected set `set(int64)`: keys are kept in their normal form.
    bool dict = is_word(start, n, "DictType") || is_word(start, n, "dict");
    if (dict || is_word(start, n, "set")) {
        expect(ps, '(', dict ? "'(' and the key and value types: DictType(int64, float64)"
                             : "'(' and the item type: set(int64)");
        const char *key_at = ps->p;
        const Type *key = parse_type(ps);
        if (!ty_is_hashable(key))
            sig_error(ps, key_at, "invalid signature: a %s must be a number or a tuple of numbers",
                      dict ? "dict's key" : "set's item");
        const Type *value = NULL;
        if (dict) {
            expect(ps, ',', "',' and the value type: DictType(int64, float64)");
            const char *value_at = ps->p;
            value = parse_type(ps);
            if (!ty_is_number(value) && !(value->kind == TY_TUPLE && !ty_is_refcounted(value)))
                sig_error(ps, value_at, "invalid signature: dict parameters hold numbers or tuples of numbers "
                                        "(in compiled code a dict may hold arrays and lists)");
        }
        expect(ps, ')', "')'");
        key = ty_key_form(ps->tt, key);
        return dict ? ty_dict(ps->tt, key, value) : ty_set(ps->tt, key);
    }
    if (is_word(start, n, "list") || is_word(start, n, "List")) {
        expect(ps, '(', "'(' and the item type: list(float64)");
        const char *item_at = ps->p;
        const Type *item = parse_type(ps);
        if (item->kind == TY_NONE)
            sig_error(ps, item_at, "invalid signature: lists of none are not supported");
        expect(ps, ')', "')'");
        if (accept(ps, '['))
            sig_error(ps, ps->p - 1, "invalid signature: a list cannot be indexed into an array type");
        return ty_list(ps->tt, item);
    }
    for (size_t i = 0; i < sizeof unsupported_names / sizeof unsupported_names[0]; i++)
        if (is_word(start, n, unsupported_names[i].name))
            sig_error(ps, start, "%s", unsupported_names[i].why);
    if (n == 8 && strncmp(start, "UniTuple", 8) == 0) {
        expect(ps, '(', "'(' after UniTuple");
        const Type *elem = parse_type(ps);
        expect(ps, ',', "',' and a count in UniTuple(type, count)");
        skip_space(ps);
        const char *num = ps->p;
        char *end;
        long count = strtol(num, &end, 10);
        if (end == num || count < 0 || count > 1000)
            sig_error(ps, num, "invalid signature: UniTuple needs a count from 0 to 1000");
        ps->p = end;
        expect(ps, ')', "')'");
        return ty_unituple(ps->tt, elem, (int)count);
    }
    if (n == 5 && strncmp(start, "Tuple", 5) == 0) {
        expect(ps, '(', "'(' after Tuple");
        expect(ps, '(', "'(' : Tuple takes a parenthesised list, Tuple((int64, float64))");
        Vec(const Type *) fields = {0};
        if (!accept(ps, ')')) {
            do {
                skip_space(ps);
                if (*ps->p == ')')
                    break; // trailing comma
                vec_push(ps->tt->arena, &fields, parse_type(ps));
            } while (accept(ps, ','));
            expect(ps, ')', "')'");
        }
        expect(ps, ')', "')'");
        return ty_tuple(ps->tt, fields.data, fields.len);
    }
    const ScalarName *found = NULL;
    for (size_t i = 0; i < sizeof scalar_names / sizeof scalar_names[0]; i++)
        if (strlen(scalar_names[i].name) == (size_t)n && strncmp(scalar_names[i].name, start, (size_t)n) == 0)
            found = &scalar_names[i];
    if (!found)
        sig_error(ps, start, "invalid signature: unknown type '%.*s'", n, start);
    const Type *t;
    switch (found->kind) {
    case TY_INT: t = ty_int(ps->tt, found->bits, found->is_signed); break;
    case TY_FLOAT: t = ty_float(ps->tt, found->bits); break;
    case TY_COMPLEX: t = ty_complex(ps->tt, found->bits); break;
    case TY_BOOL: t = ty_bool(ps->tt); break;
    default: t = ty_none(ps->tt); break;
    }
    if (accept(ps, '['))
        t = parse_array_dims(ps, t, start);
    return t;
}

static void expect_end(Parser *ps) {
    skip_space(ps);
    if (*ps->p)
        sig_error(ps, ps->p, "invalid signature: unexpected '%s' after the end", ps->p);
}

FeSig fe_parse_sig(TypeTable *tt, Diag *d, const FeSigText *sig) {
    Parser ps = {.tt = tt, .d = d, .sig = sig, .p = sig->text};
    FeSig out = {0};
    skip_space(&ps);
    if (!*ps.p)
        sig_error(&ps, ps.p, "invalid signature: empty (expected e.g. 'float64(float64[:])')");
    if (*ps.p != '(')
        out.ret = parse_type(&ps);
    expect(&ps, '(', "'(' and the parameter types");
    Vec(const Type *) params = {0};
    if (!accept(&ps, ')')) {
        do {
            skip_space(&ps);
            if (*ps.p == ')')
                break; // trailing comma
            const char *at = ps.p;
            const Type *t = parse_type(&ps);
            if (t->kind == TY_NONE)
                sig_error(&ps, at, "invalid signature: a parameter cannot be none/void");
            vec_push(tt->arena, &params, t);
        } while (accept(&ps, ','));
        expect(&ps, ')', "')' or ','");
    }
    expect_end(&ps);
    out.params = params.data;
    out.nparams = params.len;
    return out;
}

const Type *fe_parse_type(TypeTable *tt, Diag *d, const FeSigText *text) {
    Parser ps = {.tt = tt, .d = d, .sig = text, .p = text->text};
    const Type *t = parse_type(&ps);
    expect_end(&ps);
    return t;
}
