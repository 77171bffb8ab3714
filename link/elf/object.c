/* Reading the relocatable object LLVM emitted, with libelf. */
#include "elf_internal.h"

#include <string.h>

int ln_symbol_defined(const InSymbol *s) {
    return s->sym.st_shndx != SHN_UNDEF;
}

static int check_header(Linker *L) {
    GElf_Ehdr eh;
    if (elf_kind(L->elf) != ELF_K_ELF || !gelf_getehdr(L->elf, &eh))
        return ln_fail(L, "the compiled object is not an ELF file");
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return ln_fail(L, "the compiled object is not 64-bit little-endian ELF");
    if (eh.e_type != ET_REL)
        return ln_fail(L, "the compiled object is not relocatable (e_type %u)", (unsigned)eh.e_type);
    if (eh.e_machine != EM_X86_64)
        return ln_fail(L, "the compiled object is for machine %u; only x86-64 is supported", (unsigned)eh.e_machine);
    if (elf_getshdrnum(L->elf, &L->shnum) != 0 || elf_getshdrstrndx(L->elf, &L->shstrndx) != 0)
        return ln_fail(L, "cannot read the object's section table: %s", elf_errmsg(-1));
    return 0;
}

/* A section whose numbers do not fit the object is a corrupt object, and
 * is reported rather than trusted. */
static int check_section(Linker *L, const InSection *s) {
    const GElf_Shdr *sh = &s->sh;
    uint64_t align = sh->sh_addralign;
    if (align > PAGE || (align & (align - 1)))
        return ln_fail(L, "section %s has an unsupported alignment %llu", s->name, (unsigned long long)align);
    if (sh->sh_type == SHT_NOBITS) {
        if (sh->sh_size > ((uint64_t)1 << 32))
            return ln_fail(L, "section %s is too large", s->name);
        return 0;
    }
    if (sh->sh_type == SHT_NULL)
        return 0;
    if (sh->sh_offset > L->in->object_size || sh->sh_size > L->in->object_size - sh->sh_offset ||
        (sh->sh_size && (!s->data || s->data->d_size != sh->sh_size)))
        return ln_fail(L, "section %s lies outside the object", s->name);
    if (sh->sh_type == SHT_SYMTAB && sh->sh_entsize != sizeof(Elf64_Sym))
        return ln_fail(L, "symbol table %s has entries of %llu bytes", s->name, (unsigned long long)sh->sh_entsize);
    if (sh->sh_type == SHT_RELA && sh->sh_entsize != sizeof(Elf64_Rela))
        return ln_fail(L, "relocation section %s has entries of %llu bytes", s->name,
                       (unsigned long long)sh->sh_entsize);
    return 0;
}

static int read_sections(Linker *L) {
    L->sections = ln_alloc(L, sizeof(InSection) * L->shnum);
    if (!L->sections)
        return -1;
    for (size_t i = 1; i < L->shnum; i++) {
        Elf_Scn *scn = elf_getscn(L->elf, i);
        InSection *s = &L->sections[i];
        if (!scn || !gelf_getshdr(scn, &s->sh))
            return ln_fail(L, "cannot read section %zu: %s", i, elf_errmsg(-1));
        s->name = elf_strptr(L->elf, L->shstrndx, s->sh.sh_name);
        if (!s->name)
            return ln_fail(L, "section %zu has no name", i);
        s->data = s->sh.sh_type == SHT_NOBITS ? NULL : elf_getdata(scn, NULL);
        s->out = OUT_NONE;
        if (check_section(L, s))
            return -1;
        if (s->sh.sh_type == SHT_SYMTAB) {
            if (L->symtab_index)
                return ln_fail(L, "the object has two symbol tables");
            L->symtab_index = i;
        }
    }
    // Relocations go with the section they patch.
    for (size_t i = 1; i < L->shnum; i++) {
        InSection *s = &L->sections[i];
        if (s->sh.sh_type == SHT_REL)
            return ln_fail(L, "section %s has REL relocations; x86-64 objects use RELA", s->name);
        if (s->sh.sh_type != SHT_RELA)
            continue;
        if (s->sh.sh_info == 0 || s->sh.sh_info >= L->shnum || s->sh.sh_link != L->symtab_index ||
            L->sections[s->sh.sh_info].sh.sh_type == SHT_RELA)
            return ln_fail(L, "relocation section %s is malformed", s->name);
        InSection *target = &L->sections[s->sh.sh_info];
        target->rela = s->data;
        target->nrela = s->sh.sh_entsize ? s->sh.sh_size / s->sh.sh_entsize : 0;
    }
    return 0;
}

static int read_symbols(Linker *L) {
    if (!L->symtab_index)
        return ln_fail(L, "the compiled object has no symbol table");
    InSection *st = &L->sections[L->symtab_index];
    L->nsymbols = st->sh.sh_entsize ? st->sh.sh_size / st->sh.sh_entsize : 0;
    L->symbols = ln_alloc(L, sizeof(InSymbol) * (L->nsymbols + 1));
    if (!L->symbols)
        return -1;
    L->export_sym = -1;
    for (size_t i = 0; i < L->nsymbols; i++) {
        InSymbol *s = &L->symbols[i];
        if (!gelf_getsym(st->data, (int)i, &s->sym))
            return ln_fail(L, "cannot read symbol %zu", i);
        s->name = elf_strptr(L->elf, st->sh.sh_link, s->sym.st_name);
        if (!s->name)
            s->name = "";
        s->got = s->plt = -1;
        if (s->sym.st_shndx == SHN_COMMON)
            return ln_fail(L, "symbol %s is a common symbol; compile with -fno-common", s->name);
        if (s->sym.st_shndx >= SHN_LORESERVE && s->sym.st_shndx != SHN_ABS)
            return ln_fail(L, "symbol %s is in an unsupported special section %#x", s->name, s->sym.st_shndx);
        if (s->sym.st_shndx < SHN_LORESERVE && s->sym.st_shndx >= L->shnum)
            return ln_fail(L, "symbol %s names section %u, which does not exist", s->name, s->sym.st_shndx);
        if (GELF_ST_TYPE(s->sym.st_info) == STT_TLS)
            return ln_fail(L, "symbol %s is thread-local; TLS is not supported", s->name);
        if (strcmp(s->name, L->in->init_symbol) == 0 && ln_symbol_defined(s) &&
            GELF_ST_BIND(s->sym.st_info) != STB_LOCAL)
            L->export_sym = (int)i;
    }
    if (L->export_sym < 0)
        return ln_fail(L, "the compiled object does not define %s", L->in->init_symbol);
    return 0;
}

int ln_read_object(Linker *L) {
    // libelf wants a writable buffer; it does not change it.
    char *copy = ln_alloc(L, L->in->object_size);
    if (!copy)
        return -1;
    memcpy(copy, L->in->object, L->in->object_size);
    if (elf_version(EV_CURRENT) == EV_NONE)
        return ln_fail(L, "libelf is out of date");
    L->elf = elf_memory(copy, L->in->object_size);
    if (!L->elf)
        return ln_fail(L, "cannot read the compiled object: %s", elf_errmsg(-1));
    if (check_header(L) || read_sections(L) || read_symbols(L))
        return -1;
    return 0;
}
