/* Everything specific to x86-64: the relocation types LLVM emits for
 * position-independent code, their arithmetic (psABI 4.4), and the PLT
 * stub. An aarch64 port adds a file like this one. */
#include "elf_internal.h"

#include <string.h>

static const char *reloc_name(uint32_t type) {
    static const char *const names[] = {
        "R_X86_64_NONE", "R_X86_64_64", "R_X86_64_PC32", "R_X86_64_GOT32", "R_X86_64_PLT32",
        "R_X86_64_COPY", "R_X86_64_GLOB_DAT", "R_X86_64_JUMP_SLOT", "R_X86_64_RELATIVE",
        "R_X86_64_GOTPCREL", "R_X86_64_32", "R_X86_64_32S", "R_X86_64_16", "R_X86_64_PC16",
        "R_X86_64_8", "R_X86_64_PC8", "R_X86_64_DTPMOD64", "R_X86_64_DTPOFF64", "R_X86_64_TPOFF64",
        "R_X86_64_TLSGD", "R_X86_64_TLSLD", "R_X86_64_DTPOFF32", "R_X86_64_GOTTPOFF", "R_X86_64_TPOFF32",
        "R_X86_64_PC64", "R_X86_64_GOTOFF64", "R_X86_64_GOTPC32", "R_X86_64_GOT64", "R_X86_64_GOTPCREL64",
        "R_X86_64_GOTPC64", "R_X86_64_GOTPLT64", "R_X86_64_PLTOFF64", "R_X86_64_SIZE32", "R_X86_64_SIZE64",
        "R_X86_64_GOTPC32_TLSDESC", "R_X86_64_TLSDESC_CALL", "R_X86_64_TLSDESC", "R_X86_64_IRELATIVE",
        "R_X86_64_RELATIVE64", "R_X86_64_PC32_BND", "R_X86_64_PLT32_BND", "R_X86_64_GOTPCRELX",
        "R_X86_64_REX_GOTPCRELX"};
    return type < sizeof names / sizeof names[0] ? names[type] : "an unknown relocation";
}

static int import_symbol(Linker *L, int index) {
    InSymbol *s = &L->symbols[index];
    if (s->imported)
        return 0;
    if (GELF_ST_BIND(s->sym.st_info) == STB_LOCAL || !*s->name)
        return ln_fail(L, "local symbol %s is undefined", *s->name ? s->name : "(unnamed)");
    if (!L->imports) {
        L->imports = ln_alloc(L, sizeof(int) * (L->nsymbols + 1));
        if (!L->imports)
            return -1;
    }
    s->imported = 1;
    L->imports[L->nimports++] = index;
    return 0;
}

static int need_got(Linker *L, int index) {
    InSymbol *s = &L->symbols[index];
    if (s->got >= 0)
        return 0;
    s->got = L->ngot++;
    L->ndynrel++; // GLOB_DAT for imports, RELATIVE for our own symbols
    return ln_symbol_defined(s) ? 0 : import_symbol(L, index);
}

int ln_scan_relocation(Linker *L, const InSection *target, const GElf_Rela *r) {
    uint32_t type = (uint32_t)GELF_R_TYPE(r->r_info);
    int index = (int)GELF_R_SYM(r->r_info);
    InSymbol *s = &L->symbols[index];
    int undefined = index != 0 && !ln_symbol_defined(s);
    switch (type) {
    case R_X86_64_NONE: case R_X86_64_GOTOFF64: case R_X86_64_GOTPC32: case R_X86_64_GOTPC64:
        return 0;
    case R_X86_64_PC32: case R_X86_64_PC64:
        if (undefined)
            return ln_fail(L, "%s: %s against undefined symbol %s cannot be resolved in a shared object",
                           target->name, reloc_name(type), s->name);
        return 0;
    case R_X86_64_PLT32:
        if (undefined && s->plt < 0) {
            if (need_got(L, index))
                return -1;
            s->plt = L->nplt++;
        }
        return 0;
    case R_X86_64_GOTPCREL: case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX:
        return need_got(L, index);
    case R_X86_64_64:
        if (target->sh.sh_flags & SHF_EXECINSTR || !(target->sh.sh_flags & SHF_WRITE))
            return ln_fail(L, "%s: absolute address in read-only section %s would need a text relocation",
                           reloc_name(type), target->name);
        L->ndynrel++;
        return undefined ? import_symbol(L, index) : 0;
    default:
        return ln_fail(L, "unsupported relocation %s (type %u) in section %s", reloc_name(type), type,
                       target->name);
    }
}

void ln_add_dynreloc(Linker *L, uint64_t offset, uint32_t type, int dynsym, int64_t addend) {
    L->dynrel[L->nfilled++] = (DynReloc){offset, type, dynsym, addend};
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

static int put_pc32(Linker *L, unsigned char *at, int64_t v, uint32_t type, const char *what) {
    if (v < INT32_MIN || v > INT32_MAX)
        return ln_fail(L, "%s to %s out of range (%lld)", reloc_name(type), what, (long long)v);
    put32(at, (uint32_t)(int32_t)v);
    return 0;
}

uint64_t ln_got_addr(const Linker *L, int slot) {
    return L->out[OUT_GOT].addr + 8 * (uint64_t)slot;
}

/* The relocated field lies inside its section, which has contents. */
static int check_place(Linker *L, const InSection *target, const GElf_Rela *r, uint64_t width) {
    if (target->sh.sh_type == SHT_NOBITS || r->r_offset > target->sh.sh_size ||
        width > target->sh.sh_size - r->r_offset)
        return ln_fail(L, "relocation at %#llx is outside section %s", (unsigned long long)r->r_offset, target->name);
    return 0;
}

static uint64_t field_width(uint32_t type) {
    switch (type) {
    case R_X86_64_64: case R_X86_64_PC64: case R_X86_64_GOTOFF64: case R_X86_64_GOTPC64: return 8;
    case R_X86_64_NONE: return 0;
    default: return 4;
    }
}

int ln_apply_relocation(Linker *L, const InSection *target, const GElf_Rela *r) {
    uint32_t type = (uint32_t)GELF_R_TYPE(r->r_info);
    if (check_place(L, target, r, field_width(type)))
        return -1;
    if (type == R_X86_64_NONE)
        return 0;
    InSymbol *s = &L->symbols[GELF_R_SYM(r->r_info)];
    const OutSection *o = &L->out[target->out];
    uint64_t P = o->addr + target->out_off + r->r_offset;
    unsigned char *at = o->bytes + target->out_off + r->r_offset;
    int64_t A = r->r_addend;
    uint64_t S = s->value;
    uint64_t got = L->out[OUT_GOT].addr;
    switch (type) {
    case R_X86_64_NONE:
        return 0;
    case R_X86_64_PC32:
        return put_pc32(L, at, (int64_t)(S + A - P), type, s->name);
    case R_X86_64_PLT32:
        if (s->plt >= 0)
            S = L->out[OUT_PLT].addr + LN_PLT_ENTRY * (uint64_t)s->plt;
        return put_pc32(L, at, (int64_t)(S + A - P), type, s->name);
    case R_X86_64_PC64:
        put64(at, S + A - P);
        return 0;
    case R_X86_64_GOTPCREL: case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX:
        return put_pc32(L, at, (int64_t)(ln_got_addr(L, s->got) + A - P), type, s->name);
    case R_X86_64_GOTOFF64:
        put64(at, S + A - got);
        return 0;
    case R_X86_64_GOTPC32:
        return put_pc32(L, at, (int64_t)(got + A - P), type, "the GOT");
    case R_X86_64_GOTPC64:
        put64(at, got + A - P);
        return 0;
    case R_X86_64_64:
        if (s->imported) {
            put64(at, 0);
            ln_add_dynreloc(L, P, R_X86_64_64, s->dynsym, A);
        } else {
            put64(at, S + A);
            ln_add_dynreloc(L, P, R_X86_64_RELATIVE, 0, (int64_t)(S + A));
        }
        return 0;
    default:
        return ln_fail(L, "unsupported relocation %s in section %s", reloc_name(type), target->name);
    }
}

/* In a debug section: addresses of code and data, offsets into other debug
 * sections (their base is 0 in the output, as in the input). */
int ln_apply_debug_relocation(Linker *L, const InSection *target, const GElf_Rela *r) {
    uint32_t type = (uint32_t)GELF_R_TYPE(r->r_info);
    if (GELF_R_SYM(r->r_info) >= L->nsymbols)
        return ln_fail(L, "a relocation of %s names a symbol out of range", target->name);
    if (check_place(L, target, r, type == R_X86_64_64 ? 8 : type == R_X86_64_NONE ? 0 : 4))
        return -1;
    if (type == R_X86_64_NONE)
        return 0;
    const InSymbol *s = &L->symbols[GELF_R_SYM(r->r_info)];
    uint64_t S = s->value;
    if (ln_symbol_defined(s) && s->sym.st_shndx != SHN_ABS) {
        const InSection *sec = &L->sections[s->sym.st_shndx];
        if (sec->out >= OUT_ALLOC_COUNT)
            S = sec->out_off + s->sym.st_value;
    }
    unsigned char *at = L->out[target->out].bytes + target->out_off + r->r_offset;
    uint64_t v = S + (uint64_t)r->r_addend;
    switch (type) {
    case R_X86_64_NONE:
        return 0;
    case R_X86_64_32:
        put32(at, (uint32_t)v);
        return 0;
    case R_X86_64_64:
        put64(at, v);
        return 0;
    default:
        return ln_fail(L, "unsupported relocation %s in debug section %s", reloc_name(type), target->name);
    }
}

void ln_write_plt_entry(unsigned char *at, uint64_t entry_addr, uint64_t got_slot_addr) {
    // jmp *slot(%rip); the slot holds the function's address (BIND_NOW).
    int32_t rel = (int32_t)(got_slot_addr - (entry_addr + 6));
    at[0] = 0xff;
    at[1] = 0x25;
    memcpy(at + 2, &rel, 4);
    at[6] = 0x66; // xchg %ax,%ax: two bytes of padding
    at[7] = 0x90;
}
