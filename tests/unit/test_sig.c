/* The signature parser: Numba's syntax to interned types, and errors that
 * point into the signature text. */
#include <setjmp.h>
#include <stdlib.h>

#include "check.h"
#include "frontend.h"

static Arena *arena;
static TypeTable tt;

/* Parses sig; returns its text form "ret(params)" or "error: MSG @COL". */
static const char *parse(const char *text) {
    Diag d = {.arena = arena};
    jmp_buf jb;
    d.unwind = &jb;
    FeSigText sig = {.text = text};
    if (setjmp(jb))
        return arena_printf(arena, "error: %s @%d", d.message, d.pos.col);
    FeSig s = fe_parse_sig(&tt, &d, &sig);
    StrBuf sb;
    sb_init(&sb, arena);
    sb_printf(&sb, "%s(", s.ret ? ty_str(arena, s.ret) : "?");
    for (int i = 0; i < s.nparams; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", ty_str(arena, s.params[i]));
    sb_append(&sb, ")");
    return sb.data;
}

static const Type *type_of(const char *text) {
    Diag d = {.arena = arena};
    jmp_buf jb;
    d.unwind = &jb;
    FeSigText t = {.text = text};
    if (setjmp(jb))
        return NULL;
    return fe_parse_type(&tt, &d, &t);
}

static int starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static void scalars(void) {
    static const char *const same[][2] = {
        {"int8", "int8"}, {"int16", "int16"}, {"int32", "int32"}, {"int64", "int64"}, {"uint8", "uint8"},
        {"uint16", "uint16"}, {"uint32", "uint32"}, {"uint64", "uint64"}, {"float32", "float32"},
        {"float64", "float64"}, {"complex64", "complex64"}, {"complex128", "complex128"}, {"i1", "int8"},
        {"i2", "int16"}, {"i4", "int32"}, {"i8", "int64"}, {"u1", "uint8"}, {"u2", "uint16"}, {"u4", "uint32"},
        {"u8", "uint64"}, {"f4", "float32"}, {"f8", "float64"}, {"c8", "complex64"}, {"c16", "complex128"},
        {"intp", "int64"}, {"boolean", "bool"}, {"b1", "bool"},
        // Numba's C-flavoured names (numba.types): byte is unsigned, float_ is C's float.
        {"byte", "uint8"}, {"char", "int8"}, {"uchar", "uint8"}, {"short", "int16"}, {"intc", "int32"},
        {"int_", "int64"}, {"uint", "uint64"}, {"long_", "int64"}, {"ulong", "uint64"},
        {"longlong", "int64"}, {"ulonglong", "uint64"}, {"ssize_t", "int64"}, {"size_t", "uint64"},
        {"uintp", "uint64"}, {"float_", "float32"}, {"double", "float64"}, {"bool_", "bool"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        const Type *t = type_of(same[i][0]);
        CHECK(t != NULL);
        if (t)
            CHECK_STR(ty_str(arena, t), same[i][1]);
    }
    // Interned: one object per type.
    CHECK(type_of("int64") == ty_int64(&tt));
    CHECK(type_of("i8") == ty_int(&tt, 64, true));
    CHECK(type_of("u1") == ty_int(&tt, 8, false));
    CHECK(type_of("f8") == ty_float64(&tt));
    CHECK(type_of("c8") == ty_complex(&tt, 64));
}

static void arrays_and_tuples(void) {
    CHECK_STR(parse("int64[:](int64[:],int64[:])"), "int64[:](int64[:], int64[:])");
    CHECK_STR(parse("float64(float64[:, :])"), "float64(float64[:, :])");
    CHECK_STR(parse("float64(float64[:,:,:])"), "float64(float64[:, :, :])");
    CHECK_STR(parse("void(float64[::1])"), "none(float64[::1])");
    CHECK_STR(parse("none(float32[:, ::1])"), "none(float32[:, ::1])");
    CHECK_STR(parse("  f8 ( f8 [ : ] , i4 )  "), "float64(float64[:], int32)");
    CHECK_STR(parse("UniTuple(int64, 2)(float64)"), "UniTuple(int64, 2)(float64)");
    CHECK_STR(parse("Tuple((int64, float64))(int64)"), "Tuple(int64, float64)(int64)");
    CHECK_STR(parse("Tuple((int64, Tuple((f4, c16))))()"), "Tuple(int64, Tuple(float32, complex128))()");
    CHECK(type_of("int8[:, :, :, :, :]") != NULL && type_of("int8[:, :, :, :, :]")->ndim == 5);
    const Type *c = type_of("float64[:, ::1]");
    CHECK(c && c->kind == TY_ARRAY && c->ndim == 2 && c->layout == 'C' && c->dtype == ty_float64(&tt));
    const Type *a = type_of("float64[:, :]");
    CHECK(a && a->layout == 'A' && a != c);
    CHECK(type_of("UniTuple(int64, 3)") == ty_unituple(&tt, ty_int64(&tt), 3));
    // As in Numba, whose signatures are Python expressions: a trailing comma,
    // and ::1 first for Fortran order.
    CHECK_STR(parse("int64(int64,)"), "int64(int64)");
    const Type *f = type_of("float64[::1, :]");
    CHECK(f && f->layout == 'F');
}

/* Array(dtype, ndim, layout), Numba's other spelling of array types: the
 * same interned types as the bracket form. */
static void array_calls(void) {
    CHECK(type_of("Array(float64, 2, 'C')") == type_of("float64[:, ::1]"));
    CHECK(type_of("Array(float64, 2, \"F\")") == type_of("float64[::1, :]"));
    CHECK(type_of("Array(int32, 3, 'A')") == type_of("int32[:, :, :]"));
    CHECK(type_of("Array(u1, 1, 'C')") == type_of("uint8[::1]"));
    CHECK(type_of("Array(f8, 1, 'F')") == type_of("float64[::1]")); // one dimension: contiguous either way
    CHECK(type_of(" Array ( b1 , 1 , 'A' ) ") == type_of("boolean[:]"));
    CHECK_STR(parse("void(Array(float64, 2, 'C'), UniTuple(Array(i8, 1, 'A'), 2))"),
              "none(float64[:, ::1], UniTuple(int64[:], 2))");
}

static void errors(void) {
    struct { const char *text, *message; int col; } bad[] = {
        {"foo(int64)", "unknown type 'foo'", 1},
        {"int64(int64", "expected", 12},
        {"int64[:(int64)", "expected ']'", 8},
        {"int64(int64) junk", "", 0},
        {"", "", 0},
        {"UniTuple(int64)(int64)", "", 0},
        {"UniTuple(int64, -1)(int64)", "", 0},
        {"Tuple(int64)(int64)", "", 0},
        {"int64(int64 int64)", "", 0},
        {"int64((int64)", "", 0},
        {"Array(float64, 2)(int64)", "layout", 17},
        {"Array(float64, 0, 'C')(int64)", "number of dimensions", 16},
        {"Array(float64, 2, 'X')(int64)", "layout must be 'C', 'F' or 'A'", 19},
        {"Array(float64, 2, C)(int64)", "layout must be", 19},
        {"Array(float64[:], 2, 'C')(int64)", "dtype must be a scalar", 7},
        {"Array(float64, 2, 'C', readonly=True)(int64)", "readonly", 24},
        {"float64(optional(float64))", "optional(...) types are not supported", 9},
        {"f2(f2)", "float16 is not supported", 1},
        {"int64(unicode_type)", "strings are not supported", 7},
        {"int64(ListType(int64))", "typed lists are not supported", 7},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *r = parse(bad[i].text);
        CHECK(starts_with(r, "error: "));
        if (*bad[i].message)
            CHECK(strstr(r, bad[i].message) != NULL);
        if (bad[i].col) {
            char want[16];
            snprintf(want, sizeof want, "@%d", bad[i].col);
            CHECK(strstr(r, want) != NULL);
            if (!strstr(r, want))
                fprintf(stderr, "  '%s' -> %s (wanted %s)\n", bad[i].text, r, want);
        }
        if (!starts_with(r, "error: "))
            fprintf(stderr, "  accepted: '%s' -> %s\n", bad[i].text, r);
    }
}

/* Random strings over the signature alphabet never crash the parser, and
 * every failure has a message. */
static void fuzz(void) {
    static const char *const tokens[] = {"int64", "f8", "u1", "[", "]", ":", "::1", ",", "(", ")", " ",
                                         "UniTuple", "Tuple", "void", "9", "-", "complex128", "x", "\t",
                                         "Array", "'C'", "'", "optional", "=", "\""};
    srand(12345);
    for (int n = 0; n < 20000; n++) {
        char buf[256] = "";
        int len = rand() % 14;
        for (int k = 0; k < len; k++)
            strncat(buf, tokens[rand() % (sizeof tokens / sizeof tokens[0])], sizeof buf - strlen(buf) - 1);
        const char *r = parse(buf);
        CHECK(r != NULL && strlen(r) > 0);
    }
}

int main(void) {
    arena = arena_new();
    ty_init(&tt, arena);
    scalars();
    arrays_and_tuples();
    array_calls();
    errors();
    fuzz();
    int rc = check_summary("sig");
    arena_free(arena);
    return rc;
}
