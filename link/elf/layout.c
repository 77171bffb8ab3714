/* Output sections: which input section goes where, the synthetic sections
 * the dynamic loader reads, and the address of everything. */
#include "elf_internal.h"

#include <string.h>

#ifndef SHT_LLVM_ADDRSIG
#define SHT_LLVM_ADDRSIG 0x6fff4c03
#endif

static const struct {
    const char *name;
    uint32_t type;
    uint64_t flags;
    int segment;
    uint64_t entsize;
} out_kinds[OUT_ALLOC_COUNT] = {
    [OUT_GNU_HASH] = {".gnu.hash", SHT_GNU_HASH, SHF_ALLOC, SEG_R, 0},
    [OUT_DYNSYM] = {".dynsym", SHT_DYNSYM, SHF_ALLOC, SEG_R, sizeof(Elf64_Sym)},
    [OUT_DYNSTR] = {".dynstr", SHT_STRTAB, SHF_ALLOC, SEG_R, 0},
    [OUT_GNU_VERSION] = {".gnu.version", SHT_GNU_versym, SHF_ALLOC, SEG_R, 2},
    [OUT_GNU_VERSION_R] = {".gnu.version_r", SHT_GNU_verneed, SHF_ALLOC, SEG_R, 0},
    [OUT_RELA_DYN] = {".rela.dyn", SHT_RELA, SHF_ALLOC, SEG_R, sizeof(Elf64_Rela)},
    [OUT_RODATA] = {".rodata", SHT_PROGBITS, SHF_ALLOC, SEG_R, 0},
    [OUT_EH_FRAME_HDR] = {".eh_frame_hdr", SHT_PROGBITS, SHF_ALLOC, SEG_R, 0},
    [OUT_EH_FRAME] = {".eh_frame", SHT_X86_64_UNWIND, SHF_ALLOC, SEG_R, 0},
    [OUT_TEXT] = {".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, SEG_RX, 0},
    [OUT_PLT] = {".plt", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, SEG_RX, LN_PLT_ENTRY},
    [OUT_DATA_REL_RO] = {".data.rel.ro", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, SEG_RELRO, 0},
    [OUT_INIT_ARRAY] = {".init_array", SHT_INIT_ARRAY, SHF_ALLOC | SHF_WRITE, SEG_RELRO, 8},
    [OUT_FINI_ARRAY] = {".fini_array", SHT_FINI_ARRAY, SHF_ALLOC | SHF_WRITE, SEG_RELRO, 8},
    [OUT_DYNAMIC] = {".dynamic", SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, SEG_RELRO, sizeof(Elf64_Dyn)},
    [OUT_GOT] = {".got", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, SEG_RELRO, 8},
    [OUT_DATA] = {".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, SEG_RW, 0},
    [OUT_BSS] = {".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, SEG_RW, 0},
};

static int starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The output section an input section goes to; OUT_NONE to drop it, or
 * -2 after an error. Debug sections get their own output sections. */
static int classify(Linker *L, const InSection *s) {
    const GElf_Shdr *sh = &s->sh;
    switch (sh->sh_type) {
    case SHT_NULL: case SHT_SYMTAB: case SHT_STRTAB: case SHT_RELA: case SHT_GROUP: case SHT_NOTE:
    case SHT_LLVM_ADDRSIG:
        return OUT_NONE;
    case SHT_PREINIT_ARRAY:
        ln_fail(L, "section %s: .preinit_array is not allowed in a shared object", s->name);
        return -2;
    }
    if (!(sh->sh_flags & SHF_ALLOC))
        return OUT_NONE; // .comment, .note.GNU-stack, and debug sections (placed later)
    if (sh->sh_flags & SHF_TLS) {
        ln_fail(L, "section %s is thread-local; TLS is not supported", s->name);
        return -2;
    }
    if (sh->sh_type == SHT_NOBITS && (sh->sh_flags & (SHF_EXECINSTR | SHF_WRITE)) != SHF_WRITE) {
        ln_fail(L, "section %s: zero-fill sections must be writable data", s->name);
        return -2;
    }
    if (sh->sh_flags & SHF_EXECINSTR)
        return OUT_TEXT;
    if (sh->sh_flags & SHF_WRITE) {
        if (sh->sh_type == SHT_NOBITS)
            return OUT_BSS;
        if (sh->sh_type == SHT_INIT_ARRAY)
            return OUT_INIT_ARRAY;
        if (sh->sh_type == SHT_FINI_ARRAY)
            return OUT_FINI_ARRAY;
        if (starts_with(s->name, ".data.rel.ro"))
            return OUT_DATA_REL_RO;
        return OUT_DATA;
    }
    if (sh->sh_type == SHT_X86_64_UNWIND || strcmp(s->name, ".eh_frame") == 0)
        return OUT_EH_FRAME;
    return OUT_RODATA;
}

static uint64_t align_up(uint64_t v, uint64_t a) {
    return a > 1 ? (v + a - 1) & ~(a - 1) : v;
}

static int add_debug_section(Linker *L, InSection *s) {
    OutSection *o = &L->out[L->nout];
    o->name = s->name;
    o->type = s->sh.sh_type;
    o->flags = s->sh.sh_flags & ~(uint64_t)SHF_GROUP;
    o->align = s->sh.sh_addralign ? s->sh.sh_addralign : 1;
    o->entsize = s->sh.sh_entsize;
    o->segment = -1;
    o->size = s->sh.sh_size;
    s->out = L->nout++;
    s->out_off = 0;
    return 0;
}

static int assign_sections(Linker *L) {
    L->out = ln_alloc(L, sizeof(OutSection) * (OUT_ALLOC_COUNT + L->shnum));
    if (!L->out)
        return -1;
    for (int i = 0; i < OUT_ALLOC_COUNT; i++) {
        OutSection *o = &L->out[i];
        o->name = out_kinds[i].name;
        o->type = out_kinds[i].type;
        o->flags = out_kinds[i].flags;
        o->segment = out_kinds[i].segment;
        o->entsize = out_kinds[i].entsize;
        o->align = 8;
    }
    L->out[OUT_EH_FRAME_HDR].align = 4;
    L->out[OUT_DYNSTR].align = 1;
    L->out[OUT_GNU_VERSION].align = 2;
    L->out[OUT_GNU_HASH].align = 8;
    L->nout = OUT_ALLOC_COUNT;
    for (size_t i = 1; i < L->shnum; i++) {
        InSection *s = &L->sections[i];
        if (L->in->keep_debug && !(s->sh.sh_flags & SHF_ALLOC) && starts_with(s->name, ".debug")) {
            add_debug_section(L, s);
            continue;
        }
        int out = classify(L, s);
        if (out == -2)
            return -1;
        if (out == OUT_NONE)
            continue;
        OutSection *o = &L->out[out];
        uint64_t align = s->sh.sh_addralign ? s->sh.sh_addralign : 1;
        if (align > o->align)
            o->align = align;
        s->out = out;
        s->out_off = align_up(o->size, align);
        o->size = s->out_off + s->sh.sh_size;
    }
    return 0;
}

static int scan_relocations(Linker *L) {
    for (size_t i = 1; i < L->shnum; i++) {
        InSection *s = &L->sections[i];
        if (s->out == OUT_NONE || !s->rela || L->out[s->out].segment < 0)
            continue;
        for (size_t k = 0; k < s->nrela; k++) {
            GElf_Rela r;
            if (!gelf_getrela(s->rela, (int)k, &r))
                return ln_fail(L, "cannot read relocation %zu of %s", k, s->name);
            if (GELF_R_SYM(r.r_info) >= L->nsymbols)
                return ln_fail(L, "relocation %zu of %s names symbol %zu, out of range", k, s->name,
                               (size_t)GELF_R_SYM(r.r_info));
            if (ln_scan_relocation(L, s, &r))
                return -1;
        }
    }
    return 0;
}

uint32_t ln_add_dynstr(Linker *L, const char *s) {
    size_t n = strlen(s) + 1;
    if (L->dynstr_len + n > L->dynstr_cap) {
        size_t cap = L->dynstr_cap ? L->dynstr_cap * 2 : 256;
        while (cap < L->dynstr_len + n)
            cap *= 2;
        char *p = ln_alloc(L, cap);
        if (!p)
            return 0;
        if (L->dynstr_len)
            memcpy(p, L->dynstr, L->dynstr_len);
        L->dynstr = p;
        L->dynstr_cap = cap;
    }
    memcpy(L->dynstr + L->dynstr_len, s, n);
    uint32_t off = (uint32_t)L->dynstr_len;
    L->dynstr_len += n;
    return off;
}

/* Counts the FDEs of .eh_frame, for .eh_frame_hdr's table. */
static int count_fdes(Linker *L) {
    for (size_t i = 1; i < L->shnum; i++) {
        InSection *s = &L->sections[i];
        if (s->out != OUT_EH_FRAME || !s->data)
            continue;
        const unsigned char *p = s->data->d_buf;
        size_t n = s->data->d_size, at = 0;
        while (at + 8 <= n) {
            uint32_t len, id;
            memcpy(&len, p + at, 4);
            if (len == 0)
                break;
            if (len == 0xffffffffu || at + 4 + len > n)
                return ln_fail(L, "malformed .eh_frame at offset %zu", at);
            memcpy(&id, p + at + 4, 4);
            if (id != 0)
                L->nfde++;
            at += 4 + len;
        }
    }
    return 0;
}

static int size_synthetic(Linker *L) {
    // .dynstr: the libraries, then the imported and exported names.
    ln_add_dynstr(L, "");
    ln_add_dynstr(L, "libc.so.6");
    ln_add_dynstr(L, "libm.so.6");
    int nsyms = 1 + L->nimports + 1;
    L->out[OUT_DYNSYM].size = sizeof(Elf64_Sym) * (uint64_t)nsyms;
    L->out[OUT_DYNSYM].info = 1; // the first non-local symbol: all but the null one are global
    for (int i = 0; i < L->nimports; i++) {
        InSymbol *s = &L->symbols[L->imports[i]];
        s->dynsym = 1 + i;
        s->dynstr_off = ln_add_dynstr(L, s->name);
    }
    InSymbol *e = &L->symbols[L->export_sym];
    // The entry point must live in a section that is loaded, to be called.
    if (e->sym.st_shndx == SHN_ABS || L->sections[e->sym.st_shndx].out == OUT_NONE)
        return ln_fail(L, "%s is not defined in a loaded section", e->name);
    e->dynsym = 1 + L->nimports;
    e->dynstr_off = ln_add_dynstr(L, e->name);
    if (!L->dynstr)
        return -1;
    if (ln_plan_versions(L))
        return -1;
    L->out[OUT_DYNSTR].size = L->dynstr_len;
    // .gnu.hash with one bucket and one bloom word: one exported symbol.
    L->out[OUT_GNU_HASH].size = 16 + 8 + 4 + 4;
    L->out[OUT_RELA_DYN].size = sizeof(Elf64_Rela) * (uint64_t)L->ndynrel;
    L->out[OUT_GOT].size = 8 * (uint64_t)L->ngot;
    L->out[OUT_PLT].size = LN_PLT_ENTRY * (uint64_t)L->nplt;
    L->out[OUT_PLT].align = 16;
    if (count_fdes(L))
        return -1;
    L->out[OUT_EH_FRAME_HDR].size = L->out[OUT_EH_FRAME].size ? 12 + 8 * (uint64_t)L->nfde : 0;
    // .dynamic: NEEDED x2, GNU_HASH, STRTAB, SYMTAB, STRSZ, SYMENT, RELA,
    // RELASZ, RELAENT, RELACOUNT, FLAGS, FLAGS_1, INIT/FINI arrays, NULL.
    L->ndynamic = 14 + (L->out[OUT_INIT_ARRAY].size ? 2 : 0) + (L->out[OUT_FINI_ARRAY].size ? 2 : 0) +
                  ln_version_dynamic_entries(L);
    L->out[OUT_DYNAMIC].size = sizeof(Elf64_Dyn) * (uint64_t)L->ndynamic;
    return 0;
}

enum { NUM_PHDRS_MAX = SEG_COUNT + 4 };

static void assign_addresses(Linker *L) {
    uint64_t at = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) * NUM_PHDRS_MAX;
    for (int seg = 0; seg < SEG_COUNT; seg++) {
        if (seg != SEG_R)
            at = align_up(at, PAGE);
        L->seg_start[seg] = seg == SEG_R ? 0 : at;
        uint64_t mem_end = at;
        for (int i = 0; i < OUT_ALLOC_COUNT; i++) {
            OutSection *o = &L->out[i];
            if (o->segment != seg)
                continue;
            if (o->type == SHT_NOBITS) {
                mem_end = align_up(mem_end > at ? mem_end : at, o->align);
                o->addr = o->offset = mem_end;
                mem_end += o->size;
                continue;
            }
            at = align_up(at, o->align);
            o->addr = o->offset = at;
            at += o->size;
            mem_end = at;
        }
        if (seg == SEG_RELRO) {
            // The loader write-protects RELRO by whole pages: pad to one.
            L->relro_size = align_up(at, PAGE) - L->seg_start[seg];
            at = align_up(at, PAGE);
            mem_end = at;
        }
        L->seg_filesz[seg] = at - L->seg_start[seg];
        L->seg_memsz[seg] = (mem_end > at ? mem_end : at) - L->seg_start[seg];
    }
    // Debug sections follow, not loaded.
    for (int i = OUT_ALLOC_COUNT; i < L->nout; i++) {
        OutSection *o = &L->out[i];
        at = align_up(at, o->align);
        o->offset = at;
        o->addr = 0;
        at += o->size;
    }
    L->file_size = at;
}

static void resolve_symbols(Linker *L) {
    for (size_t i = 0; i < L->nsymbols; i++) {
        InSymbol *s = &L->symbols[i];
        if (!ln_symbol_defined(s))
            continue;
        if (s->sym.st_shndx == SHN_ABS) {
            s->value = s->sym.st_value;
            continue;
        }
        const InSection *sec = &L->sections[s->sym.st_shndx];
        if (sec->out == OUT_NONE)
            continue;
        s->value = L->out[sec->out].addr + sec->out_off + s->sym.st_value;
    }
}

int ln_layout(Linker *L) {
    if (assign_sections(L) || scan_relocations(L) || size_synthetic(L))
        return -1;
    assign_addresses(L);
    resolve_symbols(L);
    for (int i = 0; i < L->nout; i++) {
        OutSection *o = &L->out[i];
        if (o->type != SHT_NOBITS && o->size) {
            o->bytes = ln_alloc(L, o->size);
            if (!o->bytes)
                return -1;
        }
    }
    return 0;
}
