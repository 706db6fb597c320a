/*
 * index_fix.c - rewrite an index file's checksums (index_fix.h).
 */
#include "index_fix.h"

#include <string.h>
#include <xxhash.h>

static uint64_t get64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

/* The table's entries that lie inside the data (size >= 64). */
static uint32_t sections(const unsigned char *data, size_t size)
{
    uint32_t n;
    memcpy(&n, data + 16, 4);
    uint64_t fit = (size - 64) / 32;
    if (n > fit)
        n = (uint32_t)fit;
    return n > 32 ? 32 : n; /* a reader refuses more (docs/FORMAT.md) */
}

void ts_test_index_fix(unsigned char *data, size_t size)
{
    if (size < 64)
        return;
    uint32_t n = sections(data, size);
    for (uint32_t i = 0; i < n; i++) {
        unsigned char *e = data + 64 + (size_t)i * 32;
        uint64_t off = get64(e + 8), len = get64(e + 16);
        if (off <= size && len <= size - off)
            put64(e + 24, XXH3_64bits(data + off, len));
    }
    uint32_t listed;
    memcpy(&listed, data + 16, 4);
    if (listed == n)
        put64(data + 48, XXH3_64bits(data + 64, (size_t)n * 32));
    put64(data + 56, XXH3_64bits(data, 56));
}

int ts_test_index_section(const unsigned char *data, size_t size, const char *tag,
                          uint64_t *offset, uint64_t *length)
{
    if (size < 64)
        return 0;
    uint32_t n = sections(data, size);
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *e = data + 64 + (size_t)i * 32;
        char t[9] = {0};
        memcpy(t, e, 8);
        if (strcmp(t, tag) == 0) {
            *offset = get64(e + 8);
            *length = get64(e + 16);
            return 1;
        }
    }
    return 0;
}
