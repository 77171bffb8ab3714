/* `pyaot wheel`: the built module as a PEP 427 wheel.
 *
 * The module ships as a package, so that PEP 561's py.typed can mark its
 * stub:
 *     NAME/__init__.py     from .NAME import f, g
 *     NAME/__init__.pyi    the signatures as type hints (stub.c)
 *     NAME/py.typed
 *     NAME/NAME.abi3.so    (NAME.cpython-311-...so with --no-abi3)
 *     DIST-VERSION.dist-info/{METADATA, WHEEL, RECORD}
 * The archive is built in memory and written atomically. */
#include "aot.h"
#include "wheel.h"

#include "link.h"

#include <ctype.h>
#include <string.h>

/* PEP 427's escaping of a version in file names: '-' becomes '_'. */
static char *escape_version(Arena *a, const char *s) {
    char *out = arena_strdup(a, s);
    for (char *p = out; *p; p++)
        if (*p == '-')
            *p = '_';
    return out;
}

/* PEP 427's escaping of a distribution name: runs of -_. become '_'. */
static char *escape_component(Arena *a, const char *s) {
    char *out = arena_strdup(a, s);
    char *w = out;
    for (const char *p = s; *p; p++) {
        bool sep = *p == '-' || *p == '_' || *p == '.' || *p == ' ';
        if (sep) {
            if (w == out || w[-1] != '_')
                *w++ = '_';
        } else {
            *w++ = *p;
        }
    }
    *w = 0;
    return out;
}

/* The platform tag: the oldest manylinux policy whose glibc has every
 * symbol version the module asks for. Up to glibc 2.17 that is manylinux1,
 * 2010 or 2014 (glibc 2.5, 2.12, 2.17), the names installers and auditwheel
 * give those policies; past it PEP 600's tag names the glibc itself. */
static const char *platform_tag(Arena *a, Diag *d, const void *so, size_t so_size) {
    static const int legacy_minors[] = {5, 12, 17};
    int major, minor;
    if (ln_glibc_needed(so, so_size, &major, &minor) != 0)
        diag_error(d, (SrcPos){0}, "internal error: the linked module is not an ELF file");
    if (major == 2)
        for (size_t i = 0; i < sizeof legacy_minors / sizeof legacy_minors[0]; i++)
            if (minor <= legacy_minors[i]) {
                minor = legacy_minors[i];
                break;
            }
    return arena_printf(a, "manylinux_%d_%d_x86_64", major, minor);
}

static char *base64url(Arena *a, const uint8_t *data, size_t n) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *out = arena_alloc(a, (n + 2) / 3 * 4 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < n ? (uint32_t)data[i + 1] << 8 : 0) |
                     (i + 2 < n ? data[i + 2] : 0);
        out[k++] = alphabet[(v >> 18) & 63];
        out[k++] = alphabet[(v >> 12) & 63];
        if (i + 1 < n)
            out[k++] = alphabet[(v >> 6) & 63];
        if (i + 2 < n)
            out[k++] = alphabet[v & 63];
    }
    out[k] = 0; // no padding, as RECORD wants
    return out;
}

typedef struct Wheel {
    Arena *a;
    WhZip zip;
    StrBuf record;
} Wheel;

static void add(Wheel *w, const char *path, const void *data, size_t size, bool executable) {
    uint8_t digest[32];
    wh_sha256(data, size, digest);
    sb_printf(&w->record, "%s,sha256=%s,%zu\n", path, base64url(w->a, digest, 32), size);
    wh_zip_add(&w->zip, path, data, size, executable);
}

static void add_text(Wheel *w, const char *path, const char *text) {
    add(w, path, text, strlen(text), false);
}

void aot_write_wheel(Arena *a, Diag *d, const AotOptions *o, const char *module, const FeBuild *fb,
                     const void *so, size_t so_size, AotOutput *out) {
    const char *dist = o->dist_name ? o->dist_name : module;
    const char *version = o->dist_version ? o->dist_version : "0.1.0";
    for (const char *p = version; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '+' && *p != '!' && *p != '-' && *p != '_')
            diag_error(d, (SrcPos){0}, "'%s' is not a valid version (PEP 440)", version);
    const char *abi = o->abi3 ? "abi3" : "cp311";
    const char *platform = platform_tag(a, d, so, so_size);
    const char *dist_info = arena_printf(a, "%s-%s.dist-info", escape_component(a, dist), escape_version(a, version));
    bool numpy = wh_uses_numpy(fb);

    Wheel w = {.a = a};
    wh_zip_init(&w.zip, a);
    sb_init(&w.record, a);

    const char *so_name = o->abi3 ? arena_printf(a, "%s/%s.abi3.so", module, module)
                                  : arena_printf(a, "%s/%s.cpython-311-x86_64-linux-gnu.so", module, module);
    add(&w, so_name, so, so_size, true);
    StrBuf init;
    sb_init(&init, a);
    sb_printf(&init, "\"\"\"%s, compiled ahead of time by pyaot.\"\"\"\nfrom .%s import ", module, module);
    for (int i = 0; i < fb->exports.len; i++)
        sb_printf(&init, "%s%s", i ? ", " : "", fb->exports.data[i].name);
    sb_append(&init, "\n\n__all__ = [");
    for (int i = 0; i < fb->exports.len; i++)
        sb_printf(&init, "%s\"%s\"", i ? ", " : "", fb->exports.data[i].name);
    sb_append(&init, "]\n");
    add_text(&w, arena_printf(a, "%s/__init__.py", module), init.data);
    add_text(&w, arena_printf(a, "%s/__init__.pyi", module), wh_stub(a, fb, numpy));
    add_text(&w, arena_printf(a, "%s/py.typed", module), "");

    add_text(&w, arena_printf(a, "%s/METADATA", dist_info),
             arena_printf(a,
                          "Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
                          "Summary: %s, compiled ahead of time by pyaot\nRequires-Python: >=3.11\n%s",
                          dist, version, module, numpy ? "Requires-Dist: numpy\n" : ""));
    add_text(&w, arena_printf(a, "%s/WHEEL", dist_info),
             arena_printf(a, "Wheel-Version: 1.0\nGenerator: pyaot %s\nRoot-Is-Purelib: false\nTag: cp311-%s-%s\n",
                          PYAOT_VERSION, abi, platform));
    const char *record_path = arena_printf(a, "%s/RECORD", dist_info);
    sb_printf(&w.record, "%s,,\n", record_path);
    wh_zip_add(&w.zip, record_path, w.record.data, w.record.len, false);
    wh_zip_finish(&w.zip);

    const char *file = arena_printf(a, "%s-%s-cp311-%s-%s.whl", escape_component(a, dist),
                                    escape_version(a, version), abi, platform);
    aot_output_begin(a, out, o->outdir, file, d);
    aot_output_write(out, w.zip.out.data, w.zip.out.len, d);
    aot_output_commit(out, d);
    printf("%s/%s\n", o->outdir, file);
}
