/*
 * insight: analyses that take more than one query: anomalies, the drivers
 * of a change, forecasts, savings recommendations, the architecture and the
 * owners of untagged spend implied by the bill, Savings Plan and RI
 * utilization and coverage, and the knowledge base.
 *
 * Each analysis is a `struct insight` listed in insight_table[] (insight.c).
 * The CLI (cmd_insight.c: `finq anomalies`, `finq forecast`, ...), the API
 * (/api/v1/insights/NAME) and the chat intents reach them through that table
 * only, so adding an analysis is one module and one line.
 *
 * Every analysis reads billing data only (SELECTs over `costs` on the
 * connection it is given, which may be the read-only sandbox) and returns
 * one JSON object, the same for every caller:
 *
 *   "insight"     its name ("anomalies")
 *   "title"       one line ("3 anomalies and 1 level shift since 2024-11-01")
 *   "message"     markdown narrative with the figures and the arithmetic
 *   "method"      how it was computed, in words (named in answers)
 *   "items"       the findings, an array of objects; their fields are the
 *                 analysis' own and are documented in docs/insights.md
 *   "columns", "rows"  a table of the findings for the terminal and the UI
 *   "charts"      Chart.js specs in the form answer.h describes (may be [])
 *   "sql"         every query run, in order: the evidence behind the figures
 *   "suggestions" follow-up questions
 *
 * An analysis fails with e->code ERR_NO_DATA (err.h) when the data holds
 * nothing it can analyse for the request (no data in the range, no such
 * resource, no owner tag), and ERR_USAGE when the request itself is
 * unusable: the chat answers with the message rather than failing.
 *
 * insight_result() makes that object with empty arrays; insight_query()
 * runs a query and records its SQL; insight_set_table() fills columns/rows.
 */
#ifndef FINQ_INSIGHT_H
#define FINQ_INSIGHT_H

#include "db.h"
#include "err.h"
#include "plan.h"
#include "strbuf.h"
#include "table.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_t;
struct state;
struct sql_dialect;

struct insight_request {
	struct db *db;          /* cost data; only SELECTs are run on it */
	const struct sql_dialect *dialect; /* how db's engine spells SQL (dialect.h) */
	struct state *state;    /* application state (knowledge base); may be NULL */
	int today;              /* day number (date.h): "this month" is today's */
	const char *currency;   /* of the cost, for money in words; NULL: USD */
	/* What the question or the command line narrowed to: its filters
	 * (service, account, tag, ...) always apply; its range applies when
	 * !scope.range_defaulted, else each analysis picks its own window. Its
	 * measure picks the cost column (amortized unless asked otherwise). */
	struct plan scope;
	const char *text;       /* the words as typed: a resource id for owners,
	                           the question for knowledge; "" when none */
	int months;             /* forecast: months ahead; 0: to the end of this month */
	bool backtest;          /* forecast: also measure the method's error */
	int limit;              /* at most this many items; 0: the analysis' default */
	/* What each statement may cost (insight_query): seconds (0: no limit),
	 * bytes of its result (0: no cap), and cancelled(cancel_arg), asked
	 * while it runs: true stops it and the analysis (the HTTP client
	 * left); NULL: never. */
	double timeout_seconds;
	size_t max_result_bytes;
	bool (*cancelled)(void *arg);
	void *cancel_arg;
};

/* A request with no scope, today's date unset (0) and defaults elsewhere. */
void insight_request_init(struct insight_request *req);

struct insight {
	const char *name;    /* "anomalies": the CLI command and the API path */
	const char *summary; /* one line for help */
	int (*run)(const struct insight_request *req, struct json_t **out, struct err *e);
};

/* NULL-terminated, sorted by name. */
extern const struct insight *const insight_table[];

/* The analyses, each defined by its own module and listed in the table. */
extern const struct insight insight_anomalies;    /* anomaly.c */
extern const struct insight insight_architecture; /* architecture.c */
extern const struct insight insight_commitments;  /* commitments.c */
extern const struct insight insight_drivers;      /* drivers.c */
extern const struct insight insight_forecast;     /* forecast.c */
extern const struct insight insight_knowledge;    /* kb.c */
extern const struct insight insight_owners;       /* owners.c */
extern const struct insight insight_recommend;    /* recommend.c */
const struct insight *insight_find(const char *name);

/* --- helpers for the analyses ------------------------------------------ */

/* A new result object with "insight" and "title" set and empty "message",
 * "method", "items", "columns", "rows", "charts", "sql", "suggestions". */
struct json_t *insight_result(const char *name, const char *title);
void insight_set_message(struct json_t *result, const char *markdown);
void insight_set_method(struct json_t *result, const char *method);
void insight_add_suggestion(struct json_t *result, const char *question);
/* "columns" and "rows" from a table (as table_to_json). */
void insight_set_table(struct json_t *result, const struct table *t);

/* Run one printf-formatted query into *out (initialised by the caller) and
 * append its SQL to result's "sql". The text spells what differs between
 * engines as dialect macros ($sum_if, $date, ...: dialect.h), expanded
 * here for req->dialect. The caller escapes what it formats in
 * (strbuf_add_sql_literal). */
int insight_query(const struct insight_request *req, struct json_t *result, struct table *out,
		  struct err *e, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The cost column the scope's measure reads ("amortized_cost", ...). */
const char *insight_cost_column(const struct insight_request *req);
/* Append the scope's filters as one SQL condition ("TRUE" when none). */
void insight_scope_sql(const struct insight_request *req, struct strbuf *sql);
/* The scope in words for titles: "AmazonCloudWatch in account 510987654321";
 * "" when there is no filter. */
void insight_scope_words(const struct insight_request *req, char *buf, size_t size);

/* Money in the request's currency ("$1,234.56"). */
void insight_money(const struct insight_request *req, double v, char *buf, size_t size);

/* The terminal rendering: title, message, table, suggestions. */
void insight_print_text(const struct json_t *result, FILE *out);

#endif
