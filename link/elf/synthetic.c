/* Contents: the input sections relocated, and the sections the dynamic
 * loader reads, made from what layout.c counted. */
#include "elf_internal.h"

#include <stdlib.h>
#include <string.h>

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }

void ln_number_sections(Linker *L) {
    int n = 1; // 0 is the null section
    for (int i = 0; i < L->nout; i++) {
        OutSection *o = &L->out[i];
        // The dynamic sections are always written; others when not empty.
        int always = i == OUT_DYNSYM || i == OUT_DYNSTR || i == OUT_GNU_HASH || i == OUT_DYNAMIC || i == OUT_TEXT;
        o->shndx = (o->size || always) ? n++ : 0;
    }
}

static int relocate(Linker *L) {
    for (size_t i = 1; i < L->shnum; i++) {
        InSection *s = &L->sections[i];
        if (s->out == OUT_NONE)
            continue;
        OutSection *o = &L->out[s->out];
        if (s->data && s->data->d_size && o->bytes && s->sh.sh_type != SHT_NOBITS)
            memcpy(o->bytes + s->out_off, s->data->d_buf, s->data->d_size);
        for (size_t k = 0; s->rela && k < s->nrela; k++) {
            GElf_Rela r;
            if (!gelf_getrela(s->rela, (int)k, &r))
                return ln_fail(L, "cannot read relocation %zu of %s", k, s->name);
            int rc = o->segment < 0 ? ln_apply_debug_relocation(L, s, &r) : ln_apply_relocation(L, s, &r);
            if (rc)
                return -1;
        }
    }
    return 0;
}

static void fill_got_plt(Linker *L) {
    for (size_t i = 0; i < L->nsymbols; i++) {
        InSymbol *s = &L->symbols[i];
        if (s->got >= 0) {
            uint64_t slot = ln_got_addr(L, s->got);
            unsigned char *at = L->out[OUT_GOT].bytes + 8 * (uint64_t)s->got;
            uint64_t v = s->imported ? 0 : s->value;
            memcpy(at, &v, 8);
            if (s->imported)
                ln_add_dynreloc(L, slot, R_X86_64_GLOB_DAT, s->dynsym, 0);
            else
                ln_add_dynreloc(L, slot, R_X86_64_RELATIVE, 0, (int64_t)s->value);
        }
        if (s->plt >= 0) {
            uint64_t entry = L->out[OUT_PLT].addr + LN_PLT_ENTRY * (uint64_t)s->plt;
            ln_write_plt_entry(L->out[OUT_PLT].bytes + LN_PLT_ENTRY * (uint64_t)s->plt, entry,
                               ln_got_addr(L, s->got));
        }
    }
}

static uint32_t gnu_hash(const char *s) {
    uint32_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

static void fill_dynsym_hash(Linker *L) {
    Elf64_Sym *syms = (Elf64_Sym *)L->out[OUT_DYNSYM].bytes;
    for (int i = 0; i < L->nimports; i++) {
        const InSymbol *s = &L->symbols[L->imports[i]];
        int bind = GELF_ST_BIND(s->sym.st_info) == STB_WEAK ? STB_WEAK : STB_GLOBAL;
        int type = GELF_ST_TYPE(s->sym.st_info);
        syms[1 + i] = (Elf64_Sym){.st_name = s->dynstr_off, .st_info = ELF64_ST_INFO(bind, type),
                                  .st_shndx = SHN_UNDEF};
    }
    const InSymbol *e = &L->symbols[L->export_sym];
    const InSection *home = &L->sections[e->sym.st_shndx];
    syms[e->dynsym] = (Elf64_Sym){.st_name = e->dynstr_off, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
                                  .st_other = STV_DEFAULT, .st_shndx = (Elf64_Section)L->out[home->out].shndx,
                                  .st_value = e->value, .st_size = e->sym.st_size};
    memcpy(L->out[OUT_DYNSTR].bytes, L->dynstr, L->dynstr_len);
    // .gnu.hash: one bucket, one bloom word, the one exported symbol.
    unsigned char *h = L->out[OUT_GNU_HASH].bytes;
    uint32_t hash = gnu_hash(e->name);
    const uint32_t shift = 6;
    uint64_t bloom = ((uint64_t)1 << (hash % 64)) | ((uint64_t)1 << ((hash >> shift) % 64));
    put32(h, 1);                       // nbuckets
    put32(h + 4, (uint32_t)e->dynsym); // symoffset: the first hashed symbol
    put32(h + 8, 1);                   // bloom words
    put32(h + 12, shift);
    memcpy(h + 16, &bloom, 8);
    put32(h + 24, (uint32_t)e->dynsym); // bucket 0
    put32(h + 28, hash | 1);            // chain: the last in its bucket
}

static int relative_first(const void *a, const void *b) {
    const DynReloc *x = a, *y = b;
    int rx = x->type == R_X86_64_RELATIVE, ry = y->type == R_X86_64_RELATIVE;
    if (rx != ry)
        return ry - rx;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int fill_rela_dyn(Linker *L) {
    if (L->nfilled != L->ndynrel)
        return ln_fail(L, "internal error: %d dynamic relocations counted, %d made", L->ndynrel, L->nfilled);
    qsort(L->dynrel, (size_t)L->ndynrel, sizeof(DynReloc), relative_first);
    Elf64_Rela *out = (Elf64_Rela *)L->out[OUT_RELA_DYN].bytes;
    for (int i = 0; i < L->ndynrel; i++)
        out[i] = (Elf64_Rela){L->dynrel[i].offset, ELF64_R_INFO((uint64_t)L->dynrel[i].dynsym, L->dynrel[i].type),
                              L->dynrel[i].addend};
    return 0;
}

static void fill_dynamic(Linker *L) {
    Elf64_Dyn *d = (Elf64_Dyn *)L->out[OUT_DYNAMIC].bytes;
    int n = 0, relative = 0;
    for (int i = 0; i < L->ndynrel; i++)
        relative += L->dynrel[i].type == R_X86_64_RELATIVE;
    d[n++] = (Elf64_Dyn){DT_NEEDED, {1}};                       // "libc.so.6"
    d[n++] = (Elf64_Dyn){DT_NEEDED, {1 + sizeof "libc.so.6"}}; // "libm.so.6"
    d[n++] = (Elf64_Dyn){DT_GNU_HASH, {L->out[OUT_GNU_HASH].addr}};
    d[n++] = (Elf64_Dyn){DT_STRTAB, {L->out[OUT_DYNSTR].addr}};
    d[n++] = (Elf64_Dyn){DT_SYMTAB, {L->out[OUT_DYNSYM].addr}};
    d[n++] = (Elf64_Dyn){DT_STRSZ, {L->out[OUT_DYNSTR].size}};
    d[n++] = (Elf64_Dyn){DT_SYMENT, {sizeof(Elf64_Sym)}};
    d[n++] = (Elf64_Dyn){DT_RELA, {L->out[OUT_RELA_DYN].addr}};
    d[n++] = (Elf64_Dyn){DT_RELASZ, {L->out[OUT_RELA_DYN].size}};
    d[n++] = (Elf64_Dyn){DT_RELAENT, {sizeof(Elf64_Rela)}};
    d[n++] = (Elf64_Dyn){DT_RELACOUNT, {(uint64_t)relative}};
    if (ln_version_dynamic_entries(L)) {
        d[n++] = (Elf64_Dyn){DT_VERSYM, {L->out[OUT_GNU_VERSION].addr}};
        d[n++] = (Elf64_Dyn){DT_VERNEED, {L->out[OUT_GNU_VERSION_R].addr}};
        d[n++] = (Elf64_Dyn){DT_VERNEEDNUM, {(uint64_t)L->out[OUT_GNU_VERSION_R].info}};
    }
    if (L->out[OUT_INIT_ARRAY].size) {
        d[n++] = (Elf64_Dyn){DT_INIT_ARRAY, {L->out[OUT_INIT_ARRAY].addr}};
        d[n++] = (Elf64_Dyn){DT_INIT_ARRAYSZ, {L->out[OUT_INIT_ARRAY].size}};
    }
    if (L->out[OUT_FINI_ARRAY].size) {
        d[n++] = (Elf64_Dyn){DT_FINI_ARRAY, {L->out[OUT_FINI_ARRAY].addr}};
        d[n++] = (Elf64_Dyn){DT_FINI_ARRAYSZ, {L->out[OUT_FINI_ARRAY].size}};
    }
    // Everything resolved at load time, then made read-only (RELRO).
    d[n++] = (Elf64_Dyn){DT_FLAGS, {DF_BIND_NOW}};
    d[n++] = (Elf64_Dyn){DT_FLAGS_1, {DF_1_NOW}};
    d[n++] = (Elf64_Dyn){DT_NULL, {0}};
}

typedef struct FdeEntry { int32_t pc, fde; } FdeEntry;

static int by_pc(const void *a, const void *b) {
    const FdeEntry *x = a, *y = b;
    return x->pc < y->pc ? -1 : x->pc > y->pc;
}

static uint64_t uleb(const unsigned char *p, size_t n, size_t *at) {
    uint64_t v = 0;
    for (int shift = 0; *at < n && shift < 64; shift += 7) {
        unsigned char b = p[(*at)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

/* The pointer encoding a CIE gives its FDEs; -1 if it cannot be read. */
static int cie_encoding(const unsigned char *p, size_t n, size_t cie) {
    uint32_t len;
    if (cie > n || n - cie < 9)
        return -1;
    memcpy(&len, p + cie, 4);
    if (len > n - cie - 4)
        return -1;
    n = cie + 4 + len; // read only inside this CIE
    size_t at = cie + 9; // length, id, version
    if (at >= n)
        return -1;
    const char *aug = (const char *)p + at;
    size_t aug_len = strnlen(aug, n - at);
    at += aug_len + 1;
    if (aug[0] != 'z')
        return 0x00; // absolute pointers
    uleb(p, n, &at);             // code alignment
    uleb(p, n, &at);             // data alignment (sleb; only skipped)
    if (p[cie + 8] == 1)
        at++;                    // return register, a byte in version 1
    else
        uleb(p, n, &at);
    uleb(p, n, &at);             // augmentation data length
    for (size_t k = 1; k < aug_len && at < n; k++) {
        if (aug[k] == 'R')
            return at < n ? p[at] : -1;
        if (aug[k] == 'L')
            at++;
        else if (aug[k] == 'P')
            return -1; // personality routines: not emitted by pyaot
        else
            return -1;
    }
    return -1;
}

static int fill_eh_frame_hdr(Linker *L) {
    OutSection *eh = &L->out[OUT_EH_FRAME], *hdr = &L->out[OUT_EH_FRAME_HDR];
    if (!hdr->size)
        return 0;
    const unsigned char *p = eh->bytes;
    size_t n = eh->size, at = 0;
    FdeEntry *table = ln_alloc(L, sizeof(FdeEntry) * (size_t)(L->nfde + 1));
    if (!table)
        return -1;
    int count = 0;
    while (at + 8 <= n) {
        uint32_t len, id;
        memcpy(&len, p + at, 4);
        if (len == 0) {
            at += 4; // padding between input sections' frames
            continue;
        }
        memcpy(&id, p + at + 4, 4);
        if (len > n - at - 4)
            return ln_fail(L, "malformed .eh_frame at offset %zu", at);
        if (id != 0) {
            if (len < 8 || id > at + 4)
                return ln_fail(L, "malformed .eh_frame FDE at offset %zu", at);
            size_t cie = at + 4 - id;
            if (cie >= n || cie_encoding(p, n, cie) != 0x1b)
                return ln_fail(L, ".eh_frame: FDE at %zu uses a pointer encoding other than pcrel|sdata4", at);
            int32_t rel;
            memcpy(&rel, p + at + 8, 4);
            uint64_t pc = eh->addr + at + 8 + (uint64_t)(int64_t)rel;
            if (count >= L->nfde)
                return ln_fail(L, ".eh_frame has more FDEs than counted");
            table[count++] = (FdeEntry){(int32_t)(pc - hdr->addr), (int32_t)(eh->addr + at - hdr->addr)};
        }
        at += 4 + (size_t)len;
    }
    qsort(table, (size_t)count, sizeof(FdeEntry), by_pc);
    unsigned char *h = hdr->bytes;
    h[0] = 1;    // version
    h[1] = 0x1b; // eh_frame_ptr: pcrel | sdata4
    h[2] = 0x03; // fde_count: udata4
    h[3] = 0x3b; // table: datarel | sdata4
    put32(h + 4, (uint32_t)(int32_t)(eh->addr - (hdr->addr + 4)));
    put32(h + 8, (uint32_t)count);
    if (count)
        memcpy(h + 12, table, sizeof(FdeEntry) * (size_t)count);
    hdr->size = 12 + 8 * (uint64_t)count;
    return 0;
}

int ln_fill_synthetic(Linker *L) {
    L->dynrel = ln_alloc(L, sizeof(DynReloc) * (size_t)(L->ndynrel + 1));
    if (!L->dynrel)
        return -1;
    ln_number_sections(L);
    if (relocate(L))
        return -1;
    fill_got_plt(L);
    fill_dynsym_hash(L);
    ln_fill_versions(L);
    if (fill_rela_dyn(L))
        return -1;
    fill_dynamic(L);
    return fill_eh_frame_hdr(L);
}
