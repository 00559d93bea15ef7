/*
 * sandbox: run SQL that finq did not write (a user's `finq sql`, the API's
 * /sql) or that it did (generated plans) under DESIGN.md's security model:
 * a read-only database with external file and network access disabled and
 * the configuration locked at open; exactly one statement, which DuckDB
 * itself must classify as a SELECT; caps on what it may cost before it
 * runs (its text, its WITH entries, how deeply it nests) and on its result
 * (rows, bytes); a time limit over its whole life, planning included, and
 * a way to cancel it when whoever asked has gone.
 */
#ifndef FINQ_SANDBOX_H
#define FINQ_SANDBOX_H

#include "db.h"

struct sandbox_limits {
	size_t max_rows;        /* rows kept; more set table.truncated */
	double timeout_seconds; /* the query is interrupted past this */
	size_t max_text_bytes;  /* longer statements are refused; 0: SANDBOX_DEFAULT_MAX_TEXT */
	size_t max_result_bytes; /* a bigger result fails; 0: SANDBOX_DEFAULT_MAX_RESULT */
	/* asked a few times a second while the statement runs; true cancels
	 * it (the HTTP client went away); NULL: never */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
};

#define SANDBOX_DEFAULT_MAX_ROWS 10000
#define SANDBOX_DEFAULT_TIMEOUT 30.0
#define SANDBOX_DEFAULT_MAX_TEXT (64u << 10)
#define SANDBOX_DEFAULT_MAX_RESULT (64u << 20)
/* Fixed caps: finq's own SQL uses a handful of each. */
#define SANDBOX_MAX_CTES 64
#define SANDBOX_MAX_DEPTH 64

/* Open the database file at path read-only and locked down. Fails with
 * ERR_NO_DATA when there is no such file. */
int sandbox_open(struct db *db, const char *path, const char *memory_limit, int threads,
		 struct err *e);
/* Check and run one statement; rows go to *out (initialised by the caller).
 * A statement past a cap (its text, WITH entries, nesting, the bytes of
 * its result) fails with ERR_TOO_LARGE, any other refused, timed-out or
 * cancelled one with ERR_REFUSED, each with a message saying why. */
int sandbox_query(struct db *db, const char *sql, const struct sandbox_limits *limits,
		  struct table *out, struct err *e);

#endif
