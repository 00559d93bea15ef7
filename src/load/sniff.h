/*
 * sniff: what a file is, from its bytes, never its name.
 *
 * Tells Parquet from (gzip-compressed) delimited text, checks that a gzip
 * stream is complete (DuckDB reads a truncated .gz without complaint),
 * finds the delimiter, the UTF-8 byte-order mark and the header line, and
 * estimates the number of data lines for progress reports.
 */
#ifndef FINQ_SNIFF_H
#define FINQ_SNIFF_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum file_kind { KIND_UNKNOWN, KIND_PARQUET, KIND_TEXT, KIND_EMPTY, KIND_JSON };

struct sniff {
	enum file_kind kind;
	bool gzip;
	char delimiter;          /* ',', '\t', ';', '|' or '\x01' */
	char **fields;           /* the first line split on the delimiter, unquoted */
	size_t nfields;
	uint64_t bytes;          /* on disk */
	uint64_t text_bytes;     /* uncompressed, for text; 0 when unknown */
	uint64_t estimated_rows; /* for progress; 0 when unknown */
	char *tail;              /* gzip: the last SNIFF_TAIL bytes of the text, for
				  * loadcheck_tail(); NULL for plain files */
	size_t tail_len;
};

#define SNIFF_TAIL 65536

/* Read enough of path to fill *s; for gzip, reads the whole stream to check
 * it. Fails for unreadable, truncated or corrupt files. */
int sniff_file(const char *path, struct sniff *s, struct err *e);
void sniff_release(struct sniff *s);

/* Split one header line (no line break) on delim, honouring double quotes.
 * Pure; exposed for tests. The caller frees each field and the array. */
char **sniff_split_line(const char *line, char delim, size_t *count);
/* The delimiter a header line most likely uses. */
char sniff_guess_delimiter(const char *line);

#endif
