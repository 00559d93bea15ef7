/*
 * pool: the server's cost data and the slots that answer from it.
 *
 * Owns the DuckDB database of `finq serve`, opened like sandbox_open()
 * (read-only, external access off, configuration locked), and a pool of
 * slots: each slot has its own DuckDB connection on that database (a
 * connection runs one query at a time), its own ask_context (the
 * vocabulary, with the user's aliases) and its own handle on the SQLite
 * state store (a handle must not be shared across threads). A request
 * takes a slot for its duration; when all are busy it waits.
 *
 * A read-write lock guards the data: questions hold it for reading; a load
 * (pool_load) takes it for writing, so questions in flight finish first
 * and new ones wait (the lock prefers writers). The load closes the
 * sandboxed database, opens it read-write (load_open_db), runs load_paths,
 * reopens it sandboxed, rebuilds every slot's connection and vocabulary,
 * bumps the data version and empties the answer cache. Requests that need
 * only the state store (conversations, feedback, stats) take a slot
 * without the data lock and never touch its DuckDB half.
 *
 * Answers are cached by (canonical plan JSON, data version) in a small
 * LRU: the answer object minus conversation_id / message_id, with
 * interpretation, followup and elapsed_ms redone per question (they depend
 * on the wording, not the plan). Answers of more than POOL_CACHE_ROWS_MAX
 * rows are not kept.
 *
 * With no database file yet, the pool still opens (no data loaded): the
 * first load creates the file.
 *
 * Errors: 0 / -1 with e->code a status (err.h) the API maps to an HTTP status:
 * ERR_NO_DATA (no data loaded), ERR_FAILED (an unknown conversation or
 * message), ERR_USAGE (a bad argument), ERR_REFUSED (SQL refused by the
 * sandbox, timed out, or stopped because the client left), ERR_TOO_LARGE
 * (a statement or its result past a cap: pool_config), ERR_BAD_INPUT (an upload that cannot be loaded; the data is
 * unchanged), ERR_DATABASE (the database or the state store failed).
 */
#ifndef FINQ_POOL_H
#define FINQ_POOL_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_t;
struct state;
struct pool;
struct pool_slot;

#define POOL_CACHE_DEFAULT 256
#define POOL_CACHE_ROWS_MAX 5000

struct pool_config {
	const char *db_path;      /* the DuckDB file (need not exist yet) */
	const char *memory_limit; /* DuckDB's, or NULL */
	const char *engine;       /* --engine URL: questions go there (db_path: the state only); NULL: db_path */
	int duckdb_threads;       /* DuckDB's worker threads; 0: its default */
	int slots;                /* concurrent requests on the data; 0: twice the CPUs, at least 4 */
	size_t cache_entries;     /* 0: POOL_CACHE_DEFAULT */
	double statement_timeout; /* seconds a statement (SQL, a question's) may run; 0: SANDBOX_DEFAULT_TIMEOUT */
	/* caps on a statement's text and its result, SQL and generated alike
	 * (sandbox.h; past them: ERR_TOO_LARGE); 0: the sandbox's defaults */
	size_t max_statement_bytes;
	size_t max_result_bytes;
};

/* Outcomes of answers, as counted for /metrics. */
enum pool_outcome { OUTCOME_ANSWERED, OUTCOME_CLARIFIED, OUTCOME_REFUSED, OUTCOME_FAILED, OUTCOME_COUNT };
const char *pool_outcome_name(enum pool_outcome o);

struct pool_status {
	bool pool_ok;     /* the database opened (or there is none yet) */
	bool data_loaded;
	bool loading;       /* a load holds the data */
	int64_t rows;       /* in `costs` */
	uint64_t data_version;
	uint64_t cache_hits, cache_misses;
	size_t cache_entries;
	uint64_t answers[OUTCOME_COUNT];
};

/* One question. */
struct pool_question {
	const char *text;
	const char *conversation_id; /* NULL: a new conversation (pool_chat) or none (pool_plan) */
	int today;                   /* day number (date.h) */
	/* asked while its query runs; true interrupts it (the client left);
	 * NULL: never */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
};

/* Progress of pool_chat, for streaming; every callback may be NULL.
 * The JSON passed is borrowed for the call. */
struct pool_events {
	void (*understood)(void *arg, const struct json_t *plan, const char *interpretation);
	void (*sql)(void *arg, const char *sql); /* NULL when the plan runs no query */
	void (*rows)(void *arg, const struct json_t *columns, const struct json_t *rows);
	void *arg;
};

/* Open the pool; *out is the caller's, freed with pool_close(). */
int pool_open(struct pool **out, const struct pool_config *cfg, struct err *e);
/* Close the databases; no request may be running. NULL is fine. */
void pool_close(struct pool *en);

const char *pool_db_path(const struct pool *en);
void pool_status(struct pool *en, struct pool_status *out);
/* Whether the state store answers a query (for /health). */
bool pool_state_ok(struct pool *en);

/* Take a slot: with need_data, also the data (read lock), failing with
 * ERR_NO_DATA when none is loaded. Give it back with pool_release() on
 * the same thread. */
int pool_acquire(struct pool *en, bool need_data, struct pool_slot **out, struct err *e);
void pool_release(struct pool *en, struct pool_slot *slot);
/* The slot's state handle (valid while the slot is held). */
struct state *pool_slot_state(struct pool_slot *slot);

/*
 * Answer one question in a conversation and remember it: *answer (the
 * caller's) is the object `finq ask --json` prints, with conversation_id
 * and message_id. An unknown conversation fails with ERR_FAILED; a failed
 * query is logged with the outcome "failed" in the conversation it
 * continues (a new conversation is not kept) and fails with its status
 * (ERR_TOO_LARGE, ERR_REFUSED) or ERR_DATABASE.
 */
int pool_chat(struct pool *en, const struct pool_question *q, const struct pool_events *ev,
		struct json_t **answer, struct err *e);
/* One analysis of insight.h's table, asked for by name with the words
 * that narrow it (read as a question's scope: ask_insight_request). */
struct pool_insight_query {
	const char *name;  /* "anomalies", ... */
	const char *words; /* "CloudWatch in October"; NULL or "": no scope */
	int today;         /* day number (date.h) */
	int months;        /* forecast: months ahead; 0: to the end of this month */
	bool backtest;     /* forecast: also measure the method's error */
	int limit;         /* at most this many findings; 0: the analysis' default */
	/* asked while its statements run; true stops the analysis (the
	 * client left); NULL: never */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
};

/*
 * Run one analysis: *out (the caller's) is its result object (insight.h),
 * kept in the answer cache by (query, data version). An analysis this
 * build lacks, or one with nothing to analyse for the request (no such
 * resource, no data in the range), fails with ERR_FAILED; an unusable
 * request with ERR_USAGE; any other failure with ERR_DATABASE.
 */
int pool_insight(struct pool *en, const struct pool_insight_query *q, struct json_t **out, struct err *e);

/* Read a question without running it: {plan, interpretation, sql, followup}
 * (sql null when the plan runs no query). Nothing is stored. */
int pool_plan(struct pool *en, const struct pool_question *q, struct json_t **out, struct err *e);
/* Run one statement in the sandbox: {columns, rows[, truncated]}. The
 * time limit is the pool's statement_timeout; cancelled(cancel_arg), when
 * given, is asked while it runs (the client went away). */
int pool_sql(struct pool *en, const char *sql, size_t max_rows, bool (*cancelled)(void *arg), void *cancel_arg,
	     struct json_t **out, struct err *e);
/*
 * What is loaded: the sections of `finq info --json` plus date_range,
 * month_to_date {as_of, month, amount, same_days_last_month, change_pct},
 * top_service {service, name, amount, share_pct, month} of the month to
 * date, service_names {code: name} (info_service_names) with
 * service_names_unread [code] (names the parser does not read back),
 * starter_questions (5 questions about this data, each one the
 * parser reads as intended) and data_version. Kept per (data version,
 * today).
 */
int pool_summary(struct pool *en, int today, struct json_t **out, struct err *e);
/*
 * Load the file at path (saved by the server; name is what the client
 * called it, used in messages instead of the path) like `finq load`:
 * *out is {name, rows, replaced, files, formats, seconds, data_version}.
 * A file that cannot be loaded fails with ERR_BAD_INPUT and the loader's
 * message; the data is then as it was.
 */
int pool_load(struct pool *en, const char *path, const char *name, struct json_t **out, struct err *e);

#endif
