/*
 * index_fix.h - rewrite an index file's checksums (tests and fuzzing).
 *
 * Read from the layout docs/FORMAT.md gives, independently of the reader:
 * the tests corrupt a section's structure and then make its checksums
 * right again, so that the reader's structural checks (not only its
 * checksums) are what must catch the damage; the fuzz target does the
 * same to every input.
 */
#ifndef TS_TEST_INDEX_FIX_H
#define TS_TEST_INDEX_FIX_H

#include <stddef.h>
#include <stdint.h>

/* Recompute every section's checksum that lies inside the data, then the
 * table's and the header's; a no-op on data too short for a header. */
void ts_test_index_fix(unsigned char *data, size_t size);

/* The offset and size of the section tagged `tag` (1), or 0 when absent. */
int ts_test_index_section(const unsigned char *data, size_t size, const char *tag,
                          uint64_t *offset, uint64_t *length);

#endif
