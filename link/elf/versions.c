/* Symbol versions. glibc keeps old implementations of some functions for
 * old binaries (exp@GLIBC_2.2.5 with SVID error handling) beside the
 * current default (exp@@GLIBC_2.29), and an unversioned import binds to the
 * old one. For a module built for this machine we ask, as the system linker
 * does, for the versions this machine's libc and libm define as default; for
 * a portable one (a wheel), for each symbol's oldest version, which is what
 * an unversioned import gets anyway, but named, so that the module says
 * which glibc it needs (aligned_alloc exists from GLIBC_2.16 only) and an
 * auditor such as auditwheel can check it. The version tables are read with
 * libelf. */
#include "elf_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { LIB_C, LIB_M, NLIBS };
static const char *const lib_paths[NLIBS] = {"/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6"};
static const uint32_t lib_name_offsets[NLIBS] = {1, 1 + sizeof "libc.so.6"}; // in .dynstr (layout.c)

/* One version an import needs: which library, which name. */
typedef struct Needed {
    int lib;
    const char *name;
    uint32_t name_off;
    int index; // 2, 3, ...: what .gnu.version entries say
} Needed;

struct LnVersions {
    Needed needed[64];
    int nneeded;
};

/* A glibc release named by a version ("GLIBC_2.2.5" is 2.2.5), as one
 * number that orders them; 0 for other names (GLIBC_PRIVATE). */
static long glibc_release(const char *name) {
    int major = 0, minor = 0, patch = 0;
    if (!name || sscanf(name, "GLIBC_%d.%d.%d", &major, &minor, &patch) < 2)
        return 0;
    return (long)major * 1000000 + minor * 1000 + patch;
}

/* The name of version `ndx` in a .gnu.version_d, or NULL. */
static const char *version_name(Elf *e, Elf_Data *defs, const GElf_Shdr *verdef_sh, int ndx) {
    size_t off = 0;
    for (unsigned k = 0; k < verdef_sh->sh_info; k++) {
        GElf_Verdef vd;
        GElf_Verdaux aux;
        if (!gelf_getverdef(defs, (int)off, &vd) || !gelf_getverdaux(defs, (int)(off + vd.vd_aux), &aux))
            return NULL;
        if (vd.vd_ndx == ndx)
            return elf_strptr(e, verdef_sh->sh_link, aux.vda_name);
        if (!vd.vd_next)
            break;
        off += vd.vd_next;
    }
    return NULL;
}

/* The version of `symbol` to ask for in the library open as `e`: its
 * default one, or its oldest glibc release; NULL if it defines none. */
static const char *symbol_version(Elf *e, const char *symbol, LnSymbolVersions which) {
    Elf_Scn *scn = NULL, *dynsym = NULL, *versym = NULL, *verdef = NULL;
    GElf_Shdr sh, dynsym_sh = {0}, verdef_sh = {0};
    while ((scn = elf_nextscn(e, scn))) {
        if (!gelf_getshdr(scn, &sh))
            return NULL;
        if (sh.sh_type == SHT_DYNSYM) {
            dynsym = scn;
            dynsym_sh = sh;
        } else if (sh.sh_type == SHT_GNU_versym) {
            versym = scn;
        } else if (sh.sh_type == SHT_GNU_verdef) {
            verdef = scn;
            verdef_sh = sh;
        }
    }
    if (!dynsym || !versym || !verdef)
        return NULL;
    Elf_Data *syms = elf_getdata(dynsym, NULL), *vers = elf_getdata(versym, NULL), *defs = elf_getdata(verdef, NULL);
    if (!syms || !vers || !defs || !dynsym_sh.sh_entsize)
        return NULL;
    const char *oldest = NULL;
    size_t n = dynsym_sh.sh_size / dynsym_sh.sh_entsize;
    for (size_t i = 1; i < n; i++) {
        GElf_Sym sym;
        GElf_Versym v;
        if (!gelf_getsym(syms, (int)i, &sym) || !gelf_getversym(vers, (int)i, &v))
            continue;
        if (sym.st_shndx == SHN_UNDEF || (v & 0x7fff) < 2)
            continue; // undefined, or unversioned
        if (which == LN_VERSIONS_HOST_DEFAULT && (v & 0x8000))
            continue; // hidden: an old version kept for old binaries
        const char *name = elf_strptr(e, dynsym_sh.sh_link, sym.st_name);
        if (!name || strcmp(name, symbol) != 0)
            continue;
        const char *version = version_name(e, defs, &verdef_sh, v & 0x7fff);
        if (which == LN_VERSIONS_HOST_DEFAULT)
            return version;
        long release = glibc_release(version);
        if (release && (!oldest || release < glibc_release(oldest)))
            oldest = version;
    }
    return oldest;
}

static int need(Linker *L, InSymbol *s, int lib, const char *version) {
    struct LnVersions *V = L->versions;
    for (int i = 0; i < V->nneeded; i++)
        if (V->needed[i].lib == lib && strcmp(V->needed[i].name, version) == 0) {
            s->version = V->needed[i].index;
            return 0;
        }
    if (V->nneeded == (int)(sizeof V->needed / sizeof V->needed[0]))
        return 0; // more versions than any glibc has: leave it unversioned
    char *copy = ln_alloc(L, strlen(version) + 1);
    if (!copy)
        return -1;
    strcpy(copy, version);
    Needed *n = &V->needed[V->nneeded++];
    *n = (Needed){lib, copy, ln_add_dynstr(L, copy), 2 + V->nneeded - 1};
    s->version = n->index;
    return 0;
}

int ln_plan_versions(Linker *L) {
    L->versions = ln_alloc(L, sizeof *L->versions);
    if (!L->versions)
        return -1;
    for (int i = 0; i < L->nimports; i++)
        L->symbols[L->imports[i]].version = 1;
    if (L->in->versions != LN_VERSIONS_NONE) {
        Elf *libs[NLIBS] = {NULL, NULL};
        int fds[NLIBS] = {-1, -1};
        for (int k = 0; k < NLIBS; k++) {
            fds[k] = open(lib_paths[k], O_RDONLY);
            libs[k] = fds[k] >= 0 ? elf_begin(fds[k], ELF_C_READ, NULL) : NULL;
        }
        int rc = 0;
        for (int i = 0; i < L->nimports && rc == 0; i++) {
            InSymbol *s = &L->symbols[L->imports[i]];
            for (int k = LIB_M; k >= LIB_C; k--) { // libm first: its functions are the ones with versions that matter
                const char *v = libs[k] ? symbol_version(libs[k], s->name, L->in->versions) : NULL;
                if (v) {
                    rc = need(L, s, k, v);
                    break;
                }
            }
        }
        for (int k = 0; k < NLIBS; k++) {
            if (libs[k])
                elf_end(libs[k]);
            if (fds[k] >= 0)
                close(fds[k]);
        }
        if (rc)
            return -1;
    }
    int nsyms = 1 + L->nimports + 1;
    L->out[OUT_GNU_VERSION].size = L->versions->nneeded ? 2 * (uint64_t)nsyms : 0;
    int nlibs_used = 0;
    for (int k = 0; k < NLIBS; k++)
        for (int i = 0; i < L->versions->nneeded; i++)
            if (L->versions->needed[i].lib == k) {
                nlibs_used++;
                break;
            }
    L->out[OUT_GNU_VERSION_R].size = sizeof(Elf64_Verneed) * (uint64_t)nlibs_used +
                                     sizeof(Elf64_Vernaux) * (uint64_t)L->versions->nneeded;
    L->out[OUT_GNU_VERSION_R].info = nlibs_used;
    return 0;
}

int ln_version_dynamic_entries(const Linker *L) {
    return L->versions && L->versions->nneeded ? 3 : 0; // VERSYM, VERNEED, VERNEEDNUM
}

/* The SysV ELF hash, which Vernaux entries carry. libelf has one, but
 * under a name our own would clash with. */
static uint32_t sysv_hash(const char *name) {
    uint32_t h = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h = (h << 4) + *p;
        uint32_t g = h & 0xf0000000u;
        if (g)
            h ^= g >> 24;
        h &= ~g;
    }
    return h;
}

void ln_fill_versions(Linker *L) {
    struct LnVersions *V = L->versions;
    if (!V->nneeded)
        return;
    Elf64_Half *versym = (Elf64_Half *)L->out[OUT_GNU_VERSION].bytes;
    versym[0] = 0; // the null symbol: local
    for (int i = 0; i < L->nimports; i++)
        versym[1 + i] = (Elf64_Half)L->symbols[L->imports[i]].version;
    versym[1 + L->nimports] = 1; // the export: global, unversioned
    unsigned char *p = L->out[OUT_GNU_VERSION_R].bytes;
    size_t at = 0;
    int remaining = (int)L->out[OUT_GNU_VERSION_R].info;
    for (int k = 0; k < NLIBS; k++) {
        int count = 0;
        for (int i = 0; i < V->nneeded; i++)
            count += V->needed[i].lib == k;
        if (!count)
            continue;
        remaining--;
        size_t next = sizeof(Elf64_Verneed) + sizeof(Elf64_Vernaux) * (size_t)count;
        Elf64_Verneed vn = {.vn_version = 1, .vn_cnt = (Elf64_Half)count, .vn_file = lib_name_offsets[k],
                            .vn_aux = sizeof(Elf64_Verneed), .vn_next = remaining ? (Elf64_Word)next : 0};
        memcpy(p + at, &vn, sizeof vn);
        size_t aux_at = at + sizeof vn;
        int left = count;
        for (int i = 0; i < V->nneeded; i++) {
            const Needed *n = &V->needed[i];
            if (n->lib != k)
                continue;
            left--;
            Elf64_Vernaux va = {.vna_hash = sysv_hash(n->name), .vna_flags = 0, .vna_other = (Elf64_Half)n->index,
                                .vna_name = n->name_off, .vna_next = left ? sizeof(Elf64_Vernaux) : 0};
            memcpy(p + aux_at, &va, sizeof va);
            aux_at += sizeof va;
        }
        at += next;
    }
}

int ln_glibc_needed(const void *so, size_t size, int *major, int *minor) {
    *major = 2;
    *minor = 0;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return -1;
    Elf *e = elf_memory((char *)so, size);
    if (!e || elf_kind(e) != ELF_K_ELF) {
        if (e)
            elf_end(e);
        return -1;
    }
    long newest = 0;
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    while ((scn = elf_nextscn(e, scn)) && gelf_getshdr(scn, &sh)) {
        Elf_Data *needs = sh.sh_type == SHT_GNU_verneed ? elf_getdata(scn, NULL) : NULL;
        size_t off = 0;
        for (unsigned k = 0; needs && k < sh.sh_info; k++) {
            GElf_Verneed vn;
            if (!gelf_getverneed(needs, (int)off, &vn))
                break;
            size_t aux_off = off + vn.vn_aux;
            for (unsigned a = 0; a < vn.vn_cnt; a++) {
                GElf_Vernaux aux;
                if (!gelf_getvernaux(needs, (int)aux_off, &aux))
                    break;
                long release = glibc_release(elf_strptr(e, sh.sh_link, aux.vna_name));
                if (release > newest)
                    newest = release;
                if (!aux.vna_next)
                    break;
                aux_off += aux.vna_next;
            }
            if (!vn.vn_next)
                break;
            off += vn.vn_next;
        }
    }
    elf_end(e);
    if (newest) {
        *major = (int)(newest / 1000000);
        *minor = (int)(newest / 1000 % 1000);
    }
    return 0;
}
