/*
 * answer_parts: what the parts of src/answer/ share, and nothing outside
 * it may use: the shape of an answer (one number, parts of a whole, a
 * series...), where its figures are in the result table, how numbers and
 * words are formatted, ranking and pivots. answer.c defines these;
 * narrate.c, chart.c, suggest.c and terminal.c build on them. The public
 * interface is answer.h.
 */
#ifndef FINQ_ANSWER_PARTS_H
#define FINQ_ANSWER_PARTS_H

#include "answer.h"

#include <stdbool.h>
#include <stddef.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum shape {
	SHAPE_NONE,            /* no table: clarify, refuse, help */
	SHAPE_NUMBER,          /* one figure: a total, an average */
	SHAPE_PARTS,           /* one row per group: a breakdown */
	SHAPE_SERIES,          /* one row per time bucket */
	SHAPE_SPLIT_SERIES,    /* one row per bucket and group */
	SHAPE_PERIODS,         /* one row per period of a comparison */
	SHAPE_PERIODS_BY_ITEM, /* one row per group, a column per period */
	SHAPE_COUNT
};

/* Where the figures are; -1 where the table has no such column. */
struct cols {
	int label;        /* the group label ("service", "team") */
	int name;         /* account_name / service_name next to the label */
	int value;        /* the measure (average_daily_* for averages) */
	int share;        /* share_pct */
	int unit;         /* usage unit */
	int period;       /* trend bucket, or period start of a comparison */
	int period_label; /* "October 2025" of an ungrouped comparison */
	int total, days;  /* averages: total_* and days */
	int whole;        /* all_*: the whole a share or a top N is part of */
	int before, after, change, change_pct; /* grouped comparisons */
	int change_without_fees; /* movers: the change ranked, one-sided fees left out */
};

/* How values of the answer read: money in a currency, or usage in a unit. */
struct fmt {
	const char *currency; /* ISO code */
	bool usage;
	char unit[64];
	bool mixed_units; /* "Hrs, GB": usage summed across units */
};

/* How a period label is introduced in a sentence (answer.c's table). */
enum match { MATCH_WHOLE, MATCH_PREFIX, MATCH_SUFFIX, MATCH_INSIDE };

/* A time series and its split by group: the distinct buckets and series,
 * each row's place among them, and the sums. No dense grid: buckets times
 * series can be far more than rows. */
struct pivot {
	size_t nrows, nperiods, nseries;
	char **texts;         /* owned: per row, the period text then the series text */
	const char **periods; /* into texts, in date order */
	const char **series;  /* into texts; one "" series when not split */
	size_t *pid, *sid;    /* per row: its bucket and its series */
	double *totals;       /* per series */
	double *buckets;      /* per period, summed over the series */
	size_t *rank;         /* series by total, largest first */
};

/* The words of a grain: "monthly", "month", "months". */
struct grain_word {
	const char *adjective, *noun, *plural;
};
extern const struct grain_word grain_words[GRAIN_YEAR + 1];

/* What finq can be asked: HELP's examples, and suggestions when there is
 * nothing better to offer (narrate.c). */
#define ANSWER_EXAMPLES 5
extern const char *const example_questions[ANSWER_EXAMPLES];

/* ---- the shape of an answer and where its figures are (answer.c) ---- */
enum shape shape_of(const struct plan *p);
bool kind_is_number(enum cell_kind k);
void find_cols(const struct plan *p, const struct table *t, struct cols *c);
double num(const struct table *t, size_t row, int col);
bool is_null(const struct table *t, size_t row, int col);
const char *text(const struct table *t, size_t row, int col, char *buf, size_t size);
bool table_empty(const struct plan *p, const struct table *t, const struct cols *c);

/* ---- numbers (answer.c) ---- */
void format_number(double v, int decimals, bool plus, char *buf, size_t size);
bool format_money_compact(double v, const char *currency, char *buf, size_t size);
void format_pct(double v, bool plus, char *buf, size_t size);
void fmt_init(struct fmt *f, const struct plan *p, const struct table *t, const struct cols *c,
	      const struct answer_context *ctx);
void fmt_value(const struct fmt *f, double v, bool plus, char *buf, size_t size);

/* ---- words (answer.c) ---- */
bool label_matches(const char *label, const char *s, enum match how);
void label_phrase(const char *label, bool one_day, char *buf, size_t size);
void period_phrase(const struct period *per, char *buf, size_t size);
void md_text(struct strbuf *md, const char *s);
void md_bold(struct strbuf *md, const char *s);
void add_filters_as(struct strbuf *md, const struct plan *p, bool markdown);
void add_filters(struct strbuf *md, const struct plan *p);
void count_phrase(const struct dim_ref *d, size_t n, char *buf, size_t size);
const char *plural_of(const struct dim_ref *d);
void bucket_phrase(enum grain g, const char *date, char *buf, size_t size);
void capitalize(const char *s, char *buf, size_t size);
bool rounds_to_zero(double v);

/* ---- ranking and pivots (answer.c) ---- */
size_t *rank_values(const double *v, size_t n, bool ascending);
double *column_values(const struct table *t, int col);
void pivot_build(struct pivot *pv, const struct table *t, const struct cols *c);
void pivot_release(struct pivot *pv);

/* ---- narration (narrate.c) that charts and suggestions reuse ---- */
void measure_words(const struct plan *p, bool capital, char *buf, size_t size);
long period_row(const struct table *t, const struct cols *c, const struct period *per);

#endif
