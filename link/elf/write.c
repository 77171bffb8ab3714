/* Writing the shared object with libelf. Offsets come from layout.c
 * (ELF_F_LAYOUT), so libelf writes exactly the image we planned. */
#include "elf_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static int add_phdr(Elf64_Phdr *ph, int *n, uint32_t type, uint32_t flags, uint64_t at, uint64_t filesz,
                    uint64_t memsz, uint64_t align) {
    ph[(*n)++] = (Elf64_Phdr){.p_type = type, .p_flags = flags, .p_offset = at, .p_vaddr = at, .p_paddr = at,
                              .p_filesz = filesz, .p_memsz = memsz, .p_align = align};
    return 0;
}

/* The writable part loads as one segment, RELRO first, as GNU ld does: the
 * loader protects the RELRO pages after relocating. */
static void writable_segment(const Linker *L, uint64_t *filesz, uint64_t *memsz) {
    uint64_t start = L->seg_start[SEG_RELRO];
    *filesz = L->seg_filesz[SEG_RELRO];
    *memsz = L->seg_memsz[SEG_RELRO];
    if (L->seg_memsz[SEG_RW]) {
        *filesz = L->seg_start[SEG_RW] + L->seg_filesz[SEG_RW] - start;
        *memsz = L->seg_start[SEG_RW] + L->seg_memsz[SEG_RW] - start;
    }
}

static int program_headers(Linker *L, Elf64_Phdr *ph) {
    int n = 0;
    add_phdr(ph, &n, PT_LOAD, PF_R, 0, L->seg_filesz[SEG_R], L->seg_memsz[SEG_R], PAGE);
    add_phdr(ph, &n, PT_LOAD, PF_R | PF_X, L->seg_start[SEG_RX], L->seg_filesz[SEG_RX], L->seg_memsz[SEG_RX], PAGE);
    uint64_t filesz, memsz;
    writable_segment(L, &filesz, &memsz);
    add_phdr(ph, &n, PT_LOAD, PF_R | PF_W, L->seg_start[SEG_RELRO], filesz, memsz, PAGE);
    const OutSection *dyn = &L->out[OUT_DYNAMIC];
    add_phdr(ph, &n, PT_DYNAMIC, PF_R | PF_W, dyn->addr, dyn->size, dyn->size, 8);
    add_phdr(ph, &n, PT_GNU_RELRO, PF_R, L->seg_start[SEG_RELRO], L->relro_size, L->relro_size, 1);
    const OutSection *hdr = &L->out[OUT_EH_FRAME_HDR];
    if (hdr->size)
        add_phdr(ph, &n, PT_GNU_EH_FRAME, PF_R, hdr->addr, hdr->size, hdr->size, 4);
    add_phdr(ph, &n, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 16); // no executable stack
    return n;
}

static int count_phdrs(const Linker *L) {
    return 3 + 3 + (L->out[OUT_EH_FRAME_HDR].size != 0); // LOAD x3, DYNAMIC, RELRO, STACK, EH_FRAME
}

static int link_of(const Linker *L, int i) {
    switch (i) {
    case OUT_DYNSYM: case OUT_DYNAMIC: case OUT_GNU_VERSION_R: return L->out[OUT_DYNSTR].shndx;
    case OUT_GNU_HASH: case OUT_RELA_DYN: case OUT_GNU_VERSION: return L->out[OUT_DYNSYM].shndx;
    default: return 0;
    }
}

static int write_image(Linker *L, Elf *e) {
    // libelf wants the ELF header before any section.
    Elf64_Ehdr *eh = elf64_newehdr(e);
    if (!eh)
        return ln_fail(L, "libelf: %s", elf_errmsg(-1));
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh->e_type = ET_DYN;
    eh->e_machine = EM_X86_64;
    eh->e_version = EV_CURRENT;
    eh->e_phoff = sizeof(Elf64_Ehdr);
    // Section names.
    size_t names_size = 1 + sizeof ".shstrtab";
    for (int i = 0; i < L->nout; i++)
        if (L->out[i].shndx)
            names_size += strlen(L->out[i].name) + 1;
    char *names = ln_alloc(L, names_size);
    if (!names)
        return -1;
    size_t names_len = 1;
    int nsections = 1;
    for (int i = 0; i < L->nout; i++) {
        OutSection *o = &L->out[i];
        if (!o->shndx)
            continue;
        nsections++;
        Elf_Scn *scn = elf_newscn(e);
        Elf64_Shdr *sh = scn ? elf64_getshdr(scn) : NULL;
        if (!sh)
            return ln_fail(L, "libelf: %s", elf_errmsg(-1));
        sh->sh_name = (Elf64_Word)names_len;
        strcpy(names + names_len, o->name);
        names_len += strlen(o->name) + 1;
        sh->sh_type = o->type;
        sh->sh_flags = o->flags;
        sh->sh_addr = o->addr;
        sh->sh_offset = o->offset;
        sh->sh_size = o->size;
        sh->sh_link = (Elf64_Word)link_of(L, i);
        sh->sh_info = (Elf64_Word)o->info;
        sh->sh_addralign = o->align;
        sh->sh_entsize = o->entsize;
        if (o->type != SHT_NOBITS && o->size) {
            Elf_Data *d = elf_newdata(scn);
            if (!d)
                return ln_fail(L, "libelf: %s", elf_errmsg(-1));
            d->d_buf = o->bytes;
            d->d_size = o->size;
            d->d_type = ELF_T_BYTE;
            d->d_align = 1;
            d->d_off = 0;
            d->d_version = EV_CURRENT;
        }
    }
    Elf_Scn *scn = elf_newscn(e);
    Elf64_Shdr *sh = scn ? elf64_getshdr(scn) : NULL;
    Elf_Data *d = scn ? elf_newdata(scn) : NULL;
    if (!sh || !d)
        return ln_fail(L, "libelf: %s", elf_errmsg(-1));
    size_t shstrtab_name = names_len;
    strcpy(names + names_len, ".shstrtab");
    names_len += sizeof ".shstrtab";
    sh->sh_name = (Elf64_Word)shstrtab_name;
    sh->sh_type = SHT_STRTAB;
    sh->sh_offset = L->file_size;
    sh->sh_size = names_len;
    sh->sh_addralign = 1;
    d->d_buf = names;
    d->d_size = names_len;
    d->d_type = ELF_T_BYTE;
    d->d_align = 1;
    d->d_version = EV_CURRENT;
    int shstrndx = nsections++;
    eh->e_shoff = (L->file_size + names_len + 7) & ~(uint64_t)7;
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_shentsize = sizeof(Elf64_Shdr);
    eh->e_shnum = (Elf64_Half)nsections;
    eh->e_shstrndx = (Elf64_Half)shstrndx;

    int nph = count_phdrs(L);
    Elf64_Phdr *ph = elf64_newphdr(e, (size_t)nph);
    if (!ph)
        return ln_fail(L, "libelf: %s", elf_errmsg(-1));
    program_headers(L, ph);
    elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
    if (elf_update(e, ELF_C_WRITE) < 0)
        return ln_fail(L, "libelf could not write the module: %s", elf_errmsg(-1));
    return 0;
}

int ln_write(Linker *L, const char *path) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0755);
    if (fd < 0)
        return ln_fail(L, "cannot write %s: %s", path, strerror(errno));
    Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
    int rc = e ? write_image(L, e) : ln_fail(L, "libelf: %s", elf_errmsg(-1));
    if (e)
        elf_end(e);
    if (close(fd) != 0 && rc == 0)
        rc = ln_fail(L, "cannot write %s: %s", path, strerror(errno));
    return rc;
}
