/* pyaot's ELF writer: shared by the files of link/elf/.
 *
 * It turns one relocatable x86-64 object (as LLVM emits it for PIC code)
 * into a shared object:
 *
 *   object.c   reads the input with libelf: sections, symbols, relocations
 *   layout.c   merges input sections into output sections, makes the
 *              synthetic ones (.dynsym .dynstr .gnu.hash .rela.dyn .got .plt
 *              .dynamic .eh_frame_hdr) and gives everything an address
 *   x86_64.c   the architecture: relocation arithmetic, PLT stub bytes
 *   write.c    writes the file with libelf
 *
 * Addresses equal file offsets (the image is mapped as it is laid out), and
 * each part starts on its own page:
 *   R    headers .gnu.hash .dynsym .dynstr .gnu.version(_r) .rela.dyn .rodata
 *        .eh_frame_hdr .eh_frame
 *   RX   .text .plt
 *   RW   .data.rel.ro .init_array .fini_array .dynamic .got   (RELRO, padded to a page)
 *        .data .bss                                           (same PT_LOAD) */
#ifndef PYAOT_ELF_INTERNAL_H
#define PYAOT_ELF_INTERNAL_H

#include <gelf.h>
#include <libelf.h>
#include <stdint.h>

#include "../link.h"

enum { PAGE = 4096 };

/* The output sections, in file order. */
typedef enum OutId {
    OUT_GNU_HASH, OUT_DYNSYM, OUT_DYNSTR, OUT_GNU_VERSION, OUT_GNU_VERSION_R, OUT_RELA_DYN, OUT_RODATA, OUT_EH_FRAME_HDR, OUT_EH_FRAME,
    OUT_TEXT, OUT_PLT,
    OUT_DATA_REL_RO, OUT_INIT_ARRAY, OUT_FINI_ARRAY, OUT_DYNAMIC, OUT_GOT,
    OUT_DATA, OUT_BSS,
    OUT_ALLOC_COUNT,
    OUT_NONE = -1,
} OutId;

enum { SEG_R, SEG_RX, SEG_RELRO, SEG_RW, SEG_COUNT };

typedef struct OutSection {
    const char *name;
    uint32_t type;
    uint64_t flags;
    uint64_t align;
    uint64_t entsize;
    int segment;            // SEG_*; -1 for sections not loaded (debug)
    uint64_t size;
    uint64_t addr, offset;  // equal for loaded sections
    unsigned char *bytes;   // size bytes (none for NOBITS)
    int link_to, info;      // output indices for sh_link; sh_info
    int shndx;              // index in the written file, 0 if not written
} OutSection;

typedef struct InSection {
    const char *name;
    GElf_Shdr sh;
    Elf_Data *data;
    int out;                // output section index, or -1: dropped
    uint64_t out_off;       // where it starts in its output section
    Elf_Data *rela;         // its relocations, or NULL
    size_t nrela;
} InSection;

typedef struct InSymbol {
    const char *name;
    GElf_Sym sym;
    int got;                // index in .got, or -1
    int plt;                // index in .plt, or -1
    int dynsym;             // index in .dynsym, or 0
    int imported;           // undefined here, resolved by the dynamic loader
    uint32_t dynstr_off;    // its name in .dynstr, when in .dynsym
    int version;            // imports: index of its version (versions.c), 1 for none
    uint64_t value;         // resolved address (defined symbols)
} InSymbol;

typedef struct DynReloc {
    uint64_t offset;        // address patched
    uint32_t type;
    int dynsym;             // symbol index (0 for RELATIVE)
    int64_t addend;
} DynReloc;

typedef struct Linker {
    struct LnBlock *blocks;  // everything allocated (ln_alloc), freed at the end
    const LnInput *in;
    LnError *err;
    Elf *elf;
    size_t shnum, shstrndx;
    InSection *sections;
    InSymbol *symbols;
    size_t nsymbols;
    size_t symtab_index;
    OutSection *out;        // OUT_ALLOC_COUNT loaded sections, then debug sections
    int nout;
    int ngot, nplt;
    DynReloc *dynrel;       // filled while relocating; ndynrel counted while scanning
    int ndynrel, nfilled;
    int *imports;           // symbol indices imported, in .dynsym order
    int nimports;
    int export_sym;         // the init symbol's index in symbols
    char *dynstr;
    size_t dynstr_len, dynstr_cap;
    uint64_t seg_start[SEG_COUNT], seg_filesz[SEG_COUNT], seg_memsz[SEG_COUNT];
    uint64_t relro_size;
    uint64_t file_size;
    int nfde;
    int ndynamic;
    struct LnVersions *versions; // versions.c
} Linker;

// elf_link.c
int ln_fail(Linker *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *ln_alloc(Linker *L, size_t size);

// object.c
int ln_read_object(Linker *L);
/* Whether symbol i is defined in the object. */
int ln_symbol_defined(const InSymbol *s);

// layout.c
int ln_layout(Linker *L);

// x86_64.c
enum { LN_PLT_ENTRY = 8 };
/* Pass 1: what a relocation needs (a GOT slot, a PLT stub, a dynamic
 * relocation); counts them. */
int ln_scan_relocation(Linker *L, const InSection *target, const GElf_Rela *r);
/* Pass 2: applies a relocation to the output bytes. */
int ln_apply_relocation(Linker *L, const InSection *target, const GElf_Rela *r);
void ln_write_plt_entry(unsigned char *at, uint64_t entry_addr, uint64_t got_slot_addr);
int ln_apply_debug_relocation(Linker *L, const InSection *target, const GElf_Rela *r);
uint64_t ln_got_addr(const Linker *L, int slot);

// synthetic.c
int ln_fill_synthetic(Linker *L);
/* Gives every output section that will be written its index in the file. */
void ln_number_sections(Linker *L);
void ln_add_dynreloc(Linker *L, uint64_t offset, uint32_t type, int dynsym, int64_t addend);

// versions.c
/* Finds the version of each import that in->versions asks for
 * and sizes .gnu.version and .gnu.version_r; adds the names to .dynstr. */
int ln_plan_versions(Linker *L);
void ln_fill_versions(Linker *L);
int ln_version_dynamic_entries(const Linker *L);
uint32_t ln_add_dynstr(Linker *L, const char *s);

// write.c
int ln_write(Linker *L, const char *path);

#endif
