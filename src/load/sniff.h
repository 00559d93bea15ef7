/*
 * sniff: what a file is, from its bytes, never its name.
 *
 * Tells Parquet from (gzip-compressed) delimited text, finds the delimiter,
 * the UTF-8 byte-order mark and the header line, and estimates the number
 * of data lines for progress reports, from the first bytes alone: a gzip
 * stream is inflated only as far as its head (an upload of 8 MB of gzip
 * that inflates to gigabytes of junk is refused at once). Whether a gzip
 * stream is complete (DuckDB reads a truncated .gz without complaint) is
 * sniff_gzip_check()'s, which the load calls for files it will read.
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
	uint64_t text_bytes;     /* uncompressed, for text (of gzip estimated from
				  * the head until sniff_gzip_check); 0 when unknown */
	uint64_t estimated_rows; /* for progress; 0 when unknown */
	char *tail;              /* gzip, after sniff_gzip_check: the last SNIFF_TAIL
				  * bytes of the text, for loadcheck_tail(); NULL
				  * for plain files */
	size_t tail_len;
};

#define SNIFF_TAIL 65536

/* Read the first bytes of path (at most 4 MB of text) to fill *s. Fails
 * for unreadable files and gzip whose head cannot be inflated. */
int sniff_file(const char *path, struct sniff *s, struct err *e);
/* Inflate the whole gzip stream (all members) of a sniffed file: fails
 * when it is corrupt or truncated; sets s->text_bytes exactly and keeps
 * the last SNIFF_TAIL bytes of the text in s->tail (whether the text
 * itself was cut short is loadcheck.c's). */
int sniff_gzip_check(const char *path, struct sniff *s, struct err *e);
void sniff_release(struct sniff *s);

/* Split one header line (no line break) on delim, honouring double quotes.
 * Pure; exposed for tests. The caller frees each field and the array. */
char **sniff_split_line(const char *line, char delim, size_t *count);
/* The delimiter a header line most likely uses. */
char sniff_guess_delimiter(const char *line);

#endif
