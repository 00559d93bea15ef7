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

struct db_engine;

struct db {
	duckdb_database handle;
	duckdb_connection con;
	bool read_only;
	char *temp_dir; /* the sandbox's private spill folder, removed at close; NULL otherwise */
	int temp_lock_fd; /* its owner file, locked while it is in use (spill.h); set with temp_dir */
	/* an engine other than the embedded DuckDB that the cost data's
	 * queries go to (engine.h); NULL: this DuckDB file */
	const struct db_engine *engine;
	void *engine_state;
};

struct db_config {
	const char *path;         /* NULL: in memory */
	bool read_only;
	bool sandbox;             /* no file or network access, config locked */
	const char *memory_limit; /* e.g. "4GB"; NULL: DuckDB's default, or
				   * DB_SANDBOX_MEMORY_SHARE of RAM in the sandbox */
	int threads;              /* 0: DuckDB's default */
};

/* The sandbox's defaults: the share of physical memory DuckDB may use
 * when no limit is given, and the most it may spill to its temp folder. */
#define DB_SANDBOX_MEMORY_SHARE 0.5
#define DB_SANDBOX_MAX_SPILL "4GB"
/* The sandbox spills into a folder made fresh for each open, private
 * (0700), inside "<db>.tmp" (made 0700 if missing, refused if it is a
 * symlink, not a folder or someone else's), or, where that cannot be
 * written, in $TMPDIR. */

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
	/* 0: no cap; past it the run fails (DB_RESULT_TOO_LARGE) */
	size_t max_result_bytes;
	/* asked now and then while the statement runs; true cancels it */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
	/* called now and then with DuckDB's estimate: percent (-1 unknown),
	 * rows read so far and rows to read in all (0 when unknown) */
	void (*progress)(double percent, uint64_t rows_done, uint64_t rows_total, void *arg);
	void *progress_arg;
};

/* The message of a result past max_result_bytes (its argument: the cap in MB). */
#define DB_RESULT_TOO_LARGE \
	"refused: the result is larger than %g MB; select fewer rows or narrower columns"

/* Execute a prepared statement under the options; its result, if any,
 * goes to *out (may be NULL to discard). */
int db_run_prepared(struct db *db, duckdb_prepared_statement stmt,
		    const struct db_run_options *opt, struct table *out, struct err *e);
/* Prepare and run one statement under the options. */
int db_run(struct db *db, const char *sql, const struct db_run_options *opt,
	   struct table *out, struct err *e);

/* Read every chunk of a materialized or streaming result into *out.
 * Returns 0, or -1 when the cells passed max_bytes (0: no cap): *out then
 * holds what was read before. */
int db_result_to_table(duckdb_result *res, struct table *out, size_t max_rows, size_t max_bytes);

/*
 * A guard over a statement's whole life, preparing and constant folding
 * included: past the time limit, or when cancelled() says so, it
 * interrupts the connection (duckdb_interrupt). Start it before the
 * statement is prepared and stop it after its result is read;
 * db_guard_stop() tells why it fired. DuckDB cannot interrupt one function
 * call (levenshtein of two long strings): the statement then ends when
 * that call does, and the guard says it fired.
 */
enum db_guard_verdict { DB_GUARD_QUIET, DB_GUARD_TIMED_OUT, DB_GUARD_CANCELLED };
struct db_guard;
struct db_guard *db_guard_start(struct db *db, double timeout_seconds, bool (*cancelled)(void *arg),
				void *cancel_arg);
/* Whether it has fired yet; the statement should stop. */
bool db_guard_fired(struct db_guard *g);
/* Stop and free it (NULL is fine); says whether and why it fired. */
enum db_guard_verdict db_guard_stop(struct db_guard *g);
/* The message for a statement the guard stopped, with ERR_REFUSED (the
 * API's 400 refused, exit 5) whoever ran it. */
int db_guard_fail(enum db_guard_verdict v, double timeout_seconds, struct err *e);

#endif
