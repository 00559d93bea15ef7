/*
 * pool: the server's cost data and the slots that answer from it (its
 * functions keep their engine_* names for now: renaming them touches
 * every handler in serve/api.c).
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
 * (engine_load) takes it for writing, so questions in flight finish first
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
 * on the wording, not the plan). Answers of more than ENGINE_CACHE_ROWS_MAX
 * rows are not kept.
 *
 * With no database file yet, the engine still opens (no data loaded): the
 * first load creates the file.
 *
 * Errors: 0 / -1 with e->code a status (err.h) the API maps to an HTTP status:
 * ERR_NO_DATA (no data loaded), ERR_FAILED (an unknown conversation or
 * message), ERR_USAGE (a bad argument), ERR_REFUSED (SQL refused by the
 * sandbox), ERR_BAD_INPUT (an upload that cannot be loaded; the data is
 * unchanged), ERR_DATABASE (the engine or the state store failed).
 */
#ifndef FINQ_ENGINE_H
#define FINQ_ENGINE_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_t;
struct state;
struct engine;
struct engine_slot;

#define ENGINE_CACHE_DEFAULT 256
#define ENGINE_CACHE_ROWS_MAX 5000

struct engine_config {
	const char *db_path;      /* the DuckDB file (need not exist yet) */
	const char *memory_limit; /* DuckDB's, or NULL */
	int duckdb_threads;       /* DuckDB's worker threads; 0: its default */
	int slots;                /* concurrent requests on the data; 0: twice the CPUs, at least 4 */
	size_t cache_entries;     /* 0: ENGINE_CACHE_DEFAULT */
};

/* Outcomes of answers, as counted for /metrics. */
enum engine_outcome { OUTCOME_ANSWERED, OUTCOME_CLARIFIED, OUTCOME_REFUSED, OUTCOME_FAILED, OUTCOME_COUNT };
const char *engine_outcome_name(enum engine_outcome o);

struct engine_status {
	bool engine_ok;     /* the database opened (or there is none yet) */
	bool data_loaded;
	bool loading;       /* a load holds the data */
	int64_t rows;       /* in `costs` */
	uint64_t data_version;
	uint64_t cache_hits, cache_misses;
	size_t cache_entries;
	uint64_t answers[OUTCOME_COUNT];
};

/* One question. */
struct engine_question {
	const char *text;
	const char *conversation_id; /* NULL: a new conversation (engine_chat) or none (engine_plan) */
	int today;                   /* day number (date.h) */
};

/* Progress of engine_chat, for streaming; every callback may be NULL.
 * The JSON passed is borrowed for the call. */
struct engine_events {
	void (*understood)(void *arg, const struct json_t *plan, const char *interpretation);
	void (*sql)(void *arg, const char *sql); /* NULL when the plan runs no query */
	void (*rows)(void *arg, const struct json_t *columns, const struct json_t *rows);
	void *arg;
};

/* Open the engine; *out is the caller's, freed with engine_close(). */
int engine_open(struct engine **out, const struct engine_config *cfg, struct err *e);
/* Close the databases; no request may be running. NULL is fine. */
void engine_close(struct engine *en);

const char *engine_db_path(const struct engine *en);
void engine_status(struct engine *en, struct engine_status *out);
/* Whether the state store answers a query (for /health). */
bool engine_state_ok(struct engine *en);

/* Take a slot: with need_data, also the data (read lock), failing with
 * ERR_NO_DATA when none is loaded. Give it back with engine_release() on
 * the same thread. */
int engine_acquire(struct engine *en, bool need_data, struct engine_slot **out, struct err *e);
void engine_release(struct engine *en, struct engine_slot *slot);
/* The slot's state handle (valid while the slot is held). */
struct state *engine_slot_state(struct engine_slot *slot);

/*
 * Answer one question in a conversation and remember it: *answer (the
 * caller's) is the object `finq ask --json` prints, with conversation_id
 * and message_id. An unknown conversation fails with ERR_FAILED; a failed
 * query is logged with the outcome "failed" and fails with ERR_DATABASE.
 */
int engine_chat(struct engine *en, const struct engine_question *q, const struct engine_events *ev,
		struct json_t **answer, struct err *e);
/* One analysis of insight.h's table, asked for by name with the words
 * that narrow it (read as a question's scope: ask_insight_request). */
struct engine_insight_query {
	const char *name;  /* "anomalies", ... */
	const char *words; /* "CloudWatch in October"; NULL or "": no scope */
	int today;         /* day number (date.h) */
	int months;        /* forecast: months ahead; 0: to the end of this month */
	bool backtest;     /* forecast: also measure the method's error */
	int limit;         /* at most this many findings; 0: the analysis' default */
};

/*
 * Run one analysis: *out (the caller's) is its result object (insight.h),
 * kept in the answer cache by (query, data version). An analysis this
 * build lacks, or one with nothing to analyse for the request (no such
 * resource, no data in the range), fails with ERR_FAILED; an unusable
 * request with ERR_USAGE; any other failure with ERR_DATABASE.
 */
int engine_insight(struct engine *en, const struct engine_insight_query *q, struct json_t **out, struct err *e);

/* Read a question without running it: {plan, interpretation, sql, followup}
 * (sql null when the plan runs no query). Nothing is stored. */
int engine_plan(struct engine *en, const struct engine_question *q, struct json_t **out, struct err *e);
/* Run one statement in the sandbox: {columns, rows[, truncated]}. */
int engine_sql(struct engine *en, const char *sql, size_t max_rows, double timeout_seconds,
	       struct json_t **out, struct err *e);
/*
 * What is loaded: the sections of `finq info --json` plus date_range,
 * month_to_date {as_of, month, amount, same_days_last_month, change_pct},
 * top_service {service, name, amount, share_pct, month} of the month to
 * date, starter_questions (5 questions about this data, each one the
 * parser reads as intended) and data_version. Kept per (data version,
 * today).
 */
int engine_summary(struct engine *en, int today, struct json_t **out, struct err *e);
/*
 * Load the file at path (saved by the server; name is what the client
 * called it, used in messages instead of the path) like `finq load`:
 * *out is {name, rows, replaced, files, formats, seconds, data_version}.
 * A file that cannot be loaded fails with ERR_BAD_INPUT and the loader's
 * message; the data is then as it was.
 */
int engine_load(struct engine *en, const char *path, const char *name, struct json_t **out, struct err *e);

#endif
