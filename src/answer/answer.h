/*
 * answer: the presentation of one answer, from a plan and its result table:
 * a short markdown narrative with the key figures, a Chart.js-ready chart
 * spec, follow-up questions, and a terminal rendering.
 *
 * Called by the ask/chat commands and the HTTP API after the engine has run
 * the plan's SQL. Pure: reads the plan and the table, writes only to the
 * strbuf, JSON or FILE * it is given; no queries, no clock, no globals. It
 * relies on the result columns sqlgen.c gives each intent (found by name,
 * with fallbacks by kind), and computes no figure beyond sums, shares and
 * changes of the rows the table holds: the previous period's total, when
 * wanted, comes in through struct answer_context.
 *
 * Charts describe number formats declaratively: a value axis (or a tooltip,
 * or a KPI card) carries {"format": "currency", "currency": "USD"} or
 * {"format": "number", "unit": "Hrs"}, and the web UI turns "format" into a
 * Chart.js tick/tooltip callback; a dataset with "legend": false is drawn
 * without a legend entry (markers on another dataset's line). Everything
 * else is plain Chart.js
 * (type, data.labels, data.datasets[].label/data, options), plus a top-level
 * "title" and, where another type fits the same data, "alternatives".
 */
#ifndef FINQ_ANSWER_H
#define FINQ_ANSWER_H

#include "plan.h"
#include "strbuf.h"
#include "table.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_t;

/* Optional extras for the narrative and the KPI card. All borrowed. */
/* The lumps (sql/charges.c: fees, taxes, credits, purchases, booked once
 * rather than by the day) of the two sides of a comparison of periods,
 * when one side has them and the other hardly any ("last week" holding
 * the 1st against a week without one): the narrative names them, with
 * their date, and gives the change without them. service/lumps.c fills
 * it. */
struct answer_lumps {
	bool one_sided;          /* the rest is meaningful only when true */
	double later, earlier;   /* the lumps of the later and of the earlier period */
	int first_day, last_day; /* the days the side with them was charged (date.h day numbers) */
	int ndays;               /* on how many distinct days */
};

/* The lumps of one item (a row's label) of a comparison grouped by a
 * dimension ("compare services last week with the week before"):
 * lumps.earlier and lumps.later are the item's; lumps.one_sided when its
 * change is mostly lumps booked on one side only, first_day to last_day
 * the days of the side with them. service/lumps.c fills them. */
struct answer_item_lumps {
	char label[256];
	struct answer_lumps lumps;
};

struct answer_context {
	bool has_previous;       /* previous_total is known */
	double previous_total;   /* the same measure over the previous period */
	char previous_label[64]; /* "October 2025"; "" reads "the previous period" */
	const char *currency;    /* ISO 4217 code; NULL or "USD" prints "$" */
	struct answer_lumps lumps; /* a comparison's lumps on one side only */
	const struct answer_item_lumps *item_lumps; /* a grouped comparison's, per item with lumps */
	size_t nitem_lumps;
	/* a trend whose peak is its lumps (without them another bucket is
	 * higher): the peak bucket's first day, its lumps in peak_lumps.later
	 * and their days */
	bool peak_is_lumps;
	int peak_day;
	struct answer_lumps peak_lumps;
};

/* No previous period, USD. */
void answer_context_init(struct answer_context *ctx);

/*
 * Money as text: "$65,197.77", "-$500.00", "EUR 1,234.00", "-EUR 5.00";
 * rounded to cents, and a value that rounds to zero has no sign ("$0.00").
 * currency: an ISO code, NULL or "" for USD. Not finite: "n/a". Writes at
 * most size bytes, always NUL-terminated when size > 0.
 */
void format_money(double v, const char *currency, char *buf, size_t size);

/*
 * Append the answer in words (markdown: **bold** for the key figures and
 * names, "- " bullets for choices) to md. ctx may be NULL; t may be NULL
 * (CLARIFY / REFUSE / HELP, or no result). Nothing is reset: md grows.
 */
void answer_narrate(const struct plan *p, const struct table *t, const struct answer_context *ctx,
		    struct strbuf *md);

/*
 * The chart for the answer, as a new JSON object the caller owns
 * (json_decref), or NULL when no chart applies (no rows, CLARIFY / REFUSE /
 * HELP, or plan.chart == CHART_TABLE). plan.chart overrides the automatic
 * choice where the asked type fits the data. answer_chart_ctx also takes
 * the currency and, for a KPI card, the change from the previous total
 * (ctx may be NULL); answer_chart(p, t) is answer_chart_ctx(p, t, NULL).
 */
struct json_t *answer_chart(const struct plan *p, const struct table *t);
struct json_t *answer_chart_ctx(const struct plan *p, const struct table *t,
				const struct answer_context *ctx);

#define ANSWER_SUGGESTION_MAX 160

/*
 * Up to min(max, 4) follow-up questions, written as a user would type them
 * to finq, into out[0..]; returns how many (2 to 4 when max >= 4). They use
 * the table's own labels and never regroup by the current grouping.
 */
int answer_suggest(const struct plan *p, const struct table *t, char out[][ANSWER_SUGGESTION_MAX], int max);

/* Usage in different units is never added up. True when p asks for usage
 * without a unit and its rows (a breakdown, series or comparison) add up
 * more than one; units gets them ("GB, GB-Mo, Hrs"). A total is not this:
 * it already gives one figure a unit. */
bool answer_mixed_units(const struct plan *p, const struct table *t, char *units, size_t size);

/*
 * Print the answer for a terminal: the narrative (markdown bold as ANSI
 * bold when color, else stripped), "How I read it: <interpretation>", then
 * the table with money as 1,234.56, shares as 22.8%, a bar column made of
 * block characters for breakdowns and trends, the first 50 rows at most and
 * a row count line. narrative_md, interpretation and t may be NULL.
 */
void answer_print_terminal(const struct plan *p, const struct table *t, const char *narrative_md,
			   const char *interpretation, FILE *out, bool color);

#endif
