/* `pyaot wheel`: packaging a built module as a PEP 427 wheel. */
#ifndef PYAOT_WHEEL_H
#define PYAOT_WHEEL_H

#include "base.h"
#include "frontend.h"

// digest.c
void wh_sha256(const void *data, size_t size, uint8_t out[32]);
uint32_t wh_crc32(const void *data, size_t size);

// zip.c: an archive built in memory, entries stored uncompressed
typedef struct WhBytes { uint8_t *data; size_t len, cap; Arena *arena; } WhBytes;
typedef struct WhZip {
    Arena *arena;
    WhBytes out;       // local headers and data
    WhBytes central;   // the central directory
    int nentries;
} WhZip;
void wh_zip_init(WhZip *z, Arena *a);
void wh_zip_add(WhZip *z, const char *name, const void *data, size_t size, bool executable);
/* Appends the central directory; the archive is z->out. */
void wh_zip_finish(WhZip *z);

// stub.c
/* The .pyi text for the exported functions: overloads as @overload. */
char *wh_stub(Arena *a, const FeBuild *fb, bool uses_numpy);
/* True when any exported signature takes or returns arrays. */
bool wh_uses_numpy(const FeBuild *fb);

#endif
