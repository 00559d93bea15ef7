/*
 * load: bring billing exports into the canonical `costs` table.
 *
 * Expands paths (files, folders recursively, globs), detects each file's
 * format from its bytes and header (never its name), maps it onto the
 * canonical columns (schema.c), and inserts everything in one transaction:
 * rows of a billing period already loaded for the same payer are replaced,
 * so a cumulative month-to-date delivery loaded again never counts twice.
 * On any error the database is left exactly as it was.
 */
#ifndef FINQ_LOAD_H
#define FINQ_LOAD_H

#include "db.h"
#include "err.h"

#include <stdbool.h>
#include <stdint.h>

struct load_options {
	bool progress;           /* report progress on stderr when it is a terminal */
	bool progress_always;    /* ... and when it is not (--progress): a line a second */
	const char *header_from; /* header for headerless Athena TEXTFILE exports */
	uint64_t max_line_size;  /* longest text line read, bytes; 0: DuckDB's default */
};

struct load_report {
	int64_t rows;            /* rows inserted */
	int64_t replaced;        /* rows of earlier loads replaced */
	int64_t duplicates;      /* rows skipped: the same charges as another file of this load */
	int files;
	double seconds;          /* the whole load, from reading the paths to the COMMIT */
	double insert_seconds;   /* ... to the end of the rows' insert, duplicates and replaced periods
				  * included, before the daily summaries */
	char formats[256];       /* e.g. "cur2-parquet, focus-csv" */
};

/* Create the canonical tables if missing (idempotent). */
int load_ensure_schema(struct db *db, struct err *e);
/* Load paths into db (opened read-write). */
int load_paths(struct db *db, const char *const *paths, int npaths,
	       const struct load_options *opt, struct load_report *rep, struct err *e);
/* Open the --db database read-write, creating it and the schema if needed. */
int load_open_db(struct db *db, const char *path, const char *memory_limit, int threads, struct err *e);

#endif
