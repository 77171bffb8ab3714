/* A zip archive in memory (APPNOTE 6.3: local file headers, data, central
 * directory, end record). Entries are stored, not deflated: a wheel's bulk
 * is the shared object, and installers accept stored entries. */
#include "wheel.h"

#include <string.h>

static void put(WhBytes *b, const void *data, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *p = arena_alloc(b->arena, cap);
        if (b->len)
            mem_copy(p, b->data, b->len);
        b->data = p;
        b->cap = cap;
    }
    mem_copy(b->data + b->len, data, n);
    b->len += n;
}

static void u16(WhBytes *b, unsigned v) {
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(b, x, 2);
}

static void u32(WhBytes *b, uint32_t v) {
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}

void wh_zip_init(WhZip *z, Arena *a) {
    memset(z, 0, sizeof *z);
    z->arena = a;
    z->out.arena = a;
    z->central.arena = a;
}

// 1980-01-01 00:00, the earliest DOS date: builds are reproducible.
enum { DOS_TIME = 0, DOS_DATE = (0 << 9) | (1 << 5) | 1 };

/* The fields local and central headers share, from "version needed" to
 * the extra field's length. */
static void common_fields(WhBytes *b, uint32_t crc, size_t size, size_t name_len) {
    u16(b, 20);              // version needed: 2.0
    u16(b, 0x0800);          // flags: names are UTF-8
    u16(b, 0);               // stored
    u16(b, DOS_TIME);
    u16(b, DOS_DATE);
    u32(b, crc);
    u32(b, (uint32_t)size);  // compressed
    u32(b, (uint32_t)size);
    u16(b, (unsigned)name_len);
    u16(b, 0);               // extra
}

void wh_zip_add(WhZip *z, const char *name, const void *data, size_t size, bool executable) {
    uint32_t offset = (uint32_t)z->out.len;
    uint32_t crc = wh_crc32(data, size);
    size_t name_len = strlen(name);
    WhBytes *o = &z->out;
    u32(o, 0x04034b50);
    common_fields(o, crc, size, name_len);
    put(o, name, name_len);
    put(o, data, size);

    WhBytes *c = &z->central;
    u32(c, 0x02014b50);
    u16(c, (3 << 8) | 20);   // made by: Unix, 2.0 (so the mode below counts)
    common_fields(c, crc, size, name_len);
    u16(c, 0);               // comment
    u16(c, 0);               // disk
    u16(c, 0);               // internal attributes
    u32(c, (uint32_t)(executable ? 0100755 : 0100644) << 16);
    u32(c, offset);
    put(c, name, name_len);
    z->nentries++;
}

void wh_zip_finish(WhZip *z) {
    uint32_t offset = (uint32_t)z->out.len;
    put(&z->out, z->central.data, z->central.len);
    WhBytes *o = &z->out;
    u32(o, 0x06054b50);
    u16(o, 0);
    u16(o, 0);
    u16(o, (unsigned)z->nentries);
    u16(o, (unsigned)z->nentries);
    u32(o, (uint32_t)z->central.len);
    u32(o, offset);
    u16(o, 0);
}
