/*
 * loadcheck: checks of a text export's bytes that DuckDB's errors do not
 * explain in words a user can act on.
 *
 * load.c calls loadcheck_tail() on every delimited text file before a
 * load (a file cut in the middle of a line must not load its first part)
 * and loadcheck_long_line() after DuckDB failed to read one (to name the
 * line longer than the reader's limit, and the option that raises it).
 * Both read gzip or plain text alike (zlib's gzread) and know nothing of
 * billing formats.
 */
#ifndef FINQ_LOADCHECK_H
#define FINQ_LOADCHECK_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* DuckDB's read_csv max_line_size when none is given. */
#define LOADCHECK_DEFAULT_MAX_LINE 2097152

/* Find the first line of path longer than limit bytes (line break not
 * counted). Returns 1 with *line (from 1) and *length set, 0 if there is
 * none, -1 if the file cannot be read. */
int loadcheck_long_line(const char *path, uint64_t limit, uint64_t *line, uint64_t *length, struct err *e);

/*
 * A file that does not end with a line break, and whose last line has
 * fewer fields than the header (nfields, split on delim), was cut short:
 * fails with e naming the file and what is wrong. A complete file, or one
 * whose last line is whole but lacks the final line break, passes. For
 * gzip, tail holds the last bytes of the text (sniff.c keeps them while it
 * checks the stream); a plain file's tail is read here.
 */
int loadcheck_tail(const char *path, bool gzip, const char *tail, size_t tail_len, size_t nfields, char delim,
		   struct err *e);

#endif
