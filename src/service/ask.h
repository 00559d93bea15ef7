/*
 * ask: one question in, one answer out: the pipeline behind `finq ask`,
 * `finq chat` and the API's /chat.
 *
 * Loads the vocabulary once per context (from the `vocabulary` table the
 * loads maintain), parses the question against the conversation's previous
 * plan, compiles the plan, runs it in the sandbox and builds the answer
 * object of DESIGN.md: message, interpretation, plan, sql, columns, rows,
 * charts, suggestions, elapsed_ms. Storing the conversation is the
 * caller's business (it passes the previous turn in).
 *
 * A question that asks for an analysis (INTENT_INSIGHT: "any anomalies in
 * October?", "how can I reduce CloudWatch costs?") runs it through
 * insight.h's table and turns its result object into the same answer
 * object, with the analysis' own fields under "insight".
 */
#ifndef FINQ_ASK_H
#define FINQ_ASK_H

#include "db.h"
#include "err.h"
#include "periods.h"
#include "plan.h"
#include "vocab.h"

struct json_t;
struct state;
struct sql_dialect;
struct insight_request;

struct ask_context {
	struct db *db;     /* opened with sandbox_open(): read-only, locked down */
	const struct sql_dialect *dialect; /* how db's engine spells SQL (dialect.h) */
	unsigned summaries; /* the fresh daily summaries sqlgen may read (SQL_SUMMARY_*) */
	struct vocab vocab;
	bool vocab_loaded;
	double timeout_seconds;
	size_t max_rows;
	size_t max_text_bytes;   /* a generated statement's cap; 0: SANDBOX_DEFAULT_MAX_TEXT */
	size_t max_result_bytes; /* its result's cap; 0: SANDBOX_DEFAULT_MAX_RESULT */
	/* asked while a query runs; true interrupts it (the HTTP client left);
	 * NULL: never. Set per request by pool.c. */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
	char currency[16]; /* of most of the cost, from the vocabulary table */
	struct state *state; /* the knowledge base for the analyses; NULL: none (borrowed) */
	struct loaded_days loaded; /* the data's first and last day (periods.h) */
};

/* The previous turn of a conversation, as stored. */
struct ask_previous {
	bool present;
	struct plan plan;
	char top_label[PLAN_NAME_MAX]; /* the first label of its answer */
	bool carried; /* plan holds the dates its answer used, not its question's (its "context") */
	/* when plan is a question asked back: the last answered turn's plan
	 * and first label, the context of a turn that does not answer it */
	bool has_answered;
	struct plan answered;
	char answered_top_label[PLAN_NAME_MAX];
};
/* After a turn: prev becomes it when it is the context (answered or asked
 * back), keeping the last answered plan across questions asked back. */
void ask_previous_advance(struct ask_previous *prev, const char *plan_json, const char *answer_json);
/* prev, a question asked back, keeps answered (and its first label) as
 * the context of a turn that does not answer it. */
void ask_previous_keep_answered(struct ask_previous *prev, const struct plan *answered, const char *top_label);

/* How db's engine spells SQL: the one place the engine's dialect is
 * chosen; NULL when finq has no dialect for it. */
const struct sql_dialect *ask_dialect(const struct db *db);
/* Run one printf-formatted statement written with dialect macros ($date,
 * $sum_if, ...: dialect.h), expanded for dialect. The caller escapes what
 * it formats in (strbuf_add_sql_literal). */
int ask_queryf(const struct sql_dialect *dialect, struct db *db, struct table *out, struct err *e, const char *fmt,
	       ...) __attribute__((format(printf, 5, 6)));

/* Prepare a context on an open database (the caller keeps ownership). */
int ask_context_init(struct ask_context *ctx, struct db *db, struct err *e);
void ask_context_release(struct ask_context *ctx);
/* Add user aliases (name -> targets) to the vocabulary before the first ask. */
void ask_context_add_alias(struct ask_context *ctx, const char *name, const char *const *targets, int n);

/*
 * Answer one question: ask_read() then ask_answer_parsed(). today is a
 * day number (date.h). On success *answer
 * is a new JSON object (the caller owns it) and *plan_out the plan used
 * (for the conversation store). Fails only when the engine fails; a
 * question finq cannot answer still gets an answer (a clarification or a
 * refusal with no rows).
 */
int ask_answer(struct ask_context *ctx, const char *question, int today, const struct ask_previous *prev,
	       struct json_t **answer, struct plan *plan_out, struct err *e);

struct parse_result;
/* Each word of a parsed question and its role, as a JSON array of
 * {word, role, read_as?, corrected?} (new reference). */
struct json_t *ask_reading_json(const struct parse_result *parsed);
/* Read a question (the one parse of a turn): against ctx's vocabulary and,
 * when prev->present, as a follow-up of the previous turn. */
void ask_read(struct ask_context *ctx, const char *question, int today, const struct ask_previous *prev,
	      struct parse_result *parsed);
/* Answer a question ask_read() has read: as ask_answer(), without reading
 * it again. */
int ask_answer_parsed(struct ask_context *ctx, const struct parse_result *parsed, int today, struct json_t **answer,
		      struct err *e);

/* "How I read it": the plan in words with the parser's notes. */
void ask_interpretation(const struct parse_result *parsed, char *buf, size_t size);
/* Build the vocabulary's index now (ask_answer does it on first use): for
 * servers that want the first question as fast as the rest. */
void ask_context_ready(struct ask_context *ctx);

/* A new request for an analysis of ctx's data (its database, state and
 * currency) on the day today, narrowed the way a question would be: words
 * ("CloudWatch", "account prod in October") are read by the parser against
 * ctx's vocabulary and their filters, measure and time become the scope;
 * words that only ask for help, refuse or clarify narrow nothing. The
 * words are also the request's text (borrowed). The caller sets months,
 * backtest and limit. For `finq anomalies WORDS` and
 * /api/v1/insights/NAME?q=WORDS. */
void ask_insight_request(struct ask_context *ctx, int today, const char *words, struct insight_request *req);

/* Read the previous turn back from a stored plan and answer (JSON text);
 * the answer's "context" (the plan with the dates the answer used, when
 * they were not the question's: ask.c context_json) wins over the plan and
 * sets prev->carried. */
int ask_previous_from_json(const char *plan_json, const char *answer_json, struct ask_previous *prev);

#endif
