/*
 * format.h - the index file's reader and its temporary name (internal).
 *
 * ts_index_save and ts_index_open (textsim.h) are the file's public side;
 * these two serve the CLI, which removes the temporary of a save that a
 * signal interrupts, and the fuzz target, which reads from memory.
 */
#ifndef TS_INDEX_FORMAT_H
#define TS_INDEX_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "textsim.h"

/* The temporary file ts_index_save writes before renaming it to path:
 * "PATH.tmpPID".  Returns 0 when it does not fit in buf. */
int ts_index_temp_name(char *buf, size_t size, const char *path);

/* An index over data[0 .. size) (64-byte aligned; it must outlive the
 * index, which does not free it), checked as ts_index_open checks a file;
 * path names it in messages. */
ts_status ts_index_parse(ts_index **out, const void *data, size_t size, const char *path,
                         ts_diag *diag);

/* The header checksum of the file an index was opened from (it covers the
 * section table and so every section's checksum): indexes opened from two
 * files with the same fingerprint hold the same model and archive; 0 for
 * an index that was not opened from a file. */
uint64_t ts_index_fingerprint(const ts_index *index);

#endif
