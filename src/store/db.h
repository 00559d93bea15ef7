/*
 * db: finq's one doorway to DuckDB.
 *
 * Opens a database file with the configuration finq wants (memory limit,
 * threads, or the locked-down sandbox of DESIGN.md), runs statements, and
 * reads results into a `struct table` with duckdb_fetch_chunk and the vector
 * accessors (never the deprecated duckdb_value_* calls). Long statements can
 * report progress and be cut off by a time limit.
 * It does not know what the tables mean: that is load.c, info.c, sandbox.c.
 */
#ifndef FINQ_DB_H
#define FINQ_DB_H

#include "err.h"
#include "table.h"

#include <duckdb.h>
#include <stdbool.h>
#include <stdint.h>

struct db {
	duckdb_database handle;
	duckdb_connection con;
	bool read_only;
};

struct db_config {
	const char *path;         /* NULL: in memory */
	bool read_only;
	bool sandbox;             /* no file or network access, config locked */
	const char *memory_limit; /* e.g. "4GB"; NULL: DuckDB's default */
	int threads;              /* 0: DuckDB's default */
};

/* Open; on failure *db is left closed and e says why. */
int db_open(struct db *db, const struct db_config *cfg, struct err *e);
void db_close(struct db *db);

/* Run one or more statements, discarding any result. */
int db_exec(struct db *db, const char *sql, struct err *e);
/* printf-style db_exec; the caller escapes what it formats in. */
int db_execf(struct db *db, struct err *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Run one query and keep at most max_rows rows (0: all) in *out, which
 * the caller has initialised and releases. */
int db_query(struct db *db, const char *sql, struct table *out, size_t max_rows, struct err *e);
/* printf-style db_query keeping every row; the caller escapes what it
 * formats in. */
int db_queryf(struct db *db, struct table *out, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The first column of the first row as an integer (NULL -> 0). */
int db_query_int(struct db *db, const char *sql, int64_t *out, struct err *e);

struct db_run_options {
	double timeout_seconds;                   /* 0: none */
	size_t max_rows;                          /* 0: all */
	/* called now and then with DuckDB's estimate: percent (-1 unknown),
	 * rows read so far and rows to read in all (0 when unknown) */
	void (*progress)(double percent, uint64_t rows_done, uint64_t rows_total, void *arg);
	void *progress_arg;
};

/* Execute a prepared statement under the options; its result, if any,
 * goes to *out (may be NULL to discard). */
int db_run_prepared(struct db *db, duckdb_prepared_statement stmt,
		    const struct db_run_options *opt, struct table *out, struct err *e);
/* Prepare and run one statement under the options. */
int db_run(struct db *db, const char *sql, const struct db_run_options *opt,
	   struct table *out, struct err *e);

/* Read every chunk of a materialized or streaming result into *out. */
void db_result_to_table(duckdb_result *res, struct table *out, size_t max_rows);

#endif
