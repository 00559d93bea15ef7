/*
 * plan: what a question asks for, independent of wording and of SQL.
 *
 * The parser (parse.c) builds a plan from a question; a follow-up edits the
 * previous plan (followup.c); sqlgen.c compiles a plan to SQL; answer.c
 * explains it. A plan is plain data: it can be copied with '=', shown in
 * words, stored as JSON and replayed. All strings are inline, so a plan
 * owns nothing.
 */
#ifndef FINQ_PLAN_H
#define FINQ_PLAN_H

#include "timex.h"

#include <stdbool.h>
#include <stddef.h>

struct json_t;

enum intent {
	INTENT_TOTAL,           /* one number */
	INTENT_BREAKDOWN,       /* one row per group (top N when limit > 0) */
	INTENT_TREND,           /* one row per time bucket (and group) */
	INTENT_COMPARE_PERIODS, /* periods side by side (per group) with the change */
	INTENT_MOVERS,          /* groups ranked by their change between two periods */
	INTENT_AVERAGE_DAILY,   /* total / calendar days of the range */
	INTENT_CLARIFY,         /* ask the user: message says what, choices offer candidates */
	INTENT_REFUSE,          /* cannot answer from billing data: message says why */
	INTENT_HELP,            /* what finq can do */
	INTENT_INSIGHT,         /* an analysis of insight.h, named by plan.insight */
	INTENT_COUNT,           /* how many distinct values of group (or days, grain day) had cost */
};

enum measure {
	MEASURE_AMORTIZED, /* "cost", "spend": effective cost */
	MEASURE_UNBLENDED, /* "unblended", "billed", "invoiced" */
	MEASURE_NET,       /* "net" */
	MEASURE_LIST,      /* "on-demand equivalent", "list", "public price" */
	MEASURE_USAGE,     /* "usage", "hours", "GB": usage_amount on usage rows */
};

/* A column that can be grouped by or filtered on. Sorted as in dims[] of plan.c. */
enum dimension {
	DIM_NONE,
	DIM_SERVICE,
	DIM_ACCOUNT,
	DIM_REGION,
	DIM_AZ,
	DIM_USAGE_TYPE,
	DIM_OPERATION,
	DIM_INSTANCE_TYPE,
	DIM_RESOURCE,
	DIM_CHARGE_TYPE,
	DIM_CATEGORY,
	DIM_PRICING_TERM,
	DIM_PROVIDER,
	DIM_TAG, /* with a tag key */
	DIM_COUNT
};

enum grain { GRAIN_NONE, GRAIN_DAY, GRAIN_WEEK, GRAIN_MONTH, GRAIN_QUARTER, GRAIN_YEAR };

enum filter_op {
	FILTER_IN,        /* column is one of values */
	FILTER_NOT_IN,    /* column is none of values (rows without a value stay) */
	FILTER_CONTAINS,  /* column contains one of values as a substring ("NatGateway") */
	FILTER_PREFIX,    /* column starts with one of values ("AWSSupport") */
	FILTER_EXCLUDE_PREFIX,
	FILTER_MISSING,   /* the tag key is absent ("without a team tag"), the column empty */
	FILTER_PRESENT,   /* the column has a value ("excluding the untagged" in a team breakdown) */
	FILTER_UNTAGGED,  /* no user tag at all */
	FILTER_TAGGED,    /* at least one user tag */
};

#define PLAN_NAME_MAX 128
#define PLAN_MAX_VALUES 8
#define PLAN_MAX_FILTERS 12
#define PLAN_MONTHS_MAX 12 /* the longest forecast horizon */

struct dim_ref {
	enum dimension dim;
	char tag_key[PLAN_NAME_MAX]; /* for DIM_TAG */
};

struct filter {
	struct dim_ref col;
	enum filter_op op;
	int nvalues;
	char values[PLAN_MAX_VALUES][PLAN_NAME_MAX];
};

enum chart_kind { CHART_AUTO, CHART_KPI, CHART_DOUGHNUT, CHART_PIE, CHART_BAR, CHART_HBAR, CHART_LINE, CHART_AREA, CHART_TABLE };

struct plan {
	enum intent intent;
	enum measure measure;
	char usage_unit[32];      /* MEASURE_USAGE: the unit, when one is implied ("GB") */
	struct dim_ref group;     /* DIM_NONE: not grouped */
	struct dim_ref group2;    /* INTENT_BREAKDOWN: a second grouping ("by team and env"); DIM_NONE: none */
	enum grain grain;         /* INTENT_TREND: bucket size */
	struct period range;      /* the time range of the question */
	bool range_defaulted;     /* no time words: the default of CONVENTIONS.md */
	struct period periods[2]; /* INTENT_COMPARE_PERIODS / INTENT_MOVERS: earlier, later */
	/* a follow-up that moved the period ("and the month before that")
	 * keeps the one it moved from: "compare the two" means these two */
	bool has_range_before;
	struct period range_before;
	int nfilters;
	struct filter filters[PLAN_MAX_FILTERS];
	int limit;                /* top N; 0: all */
	bool ascending;           /* bottom N, biggest decreases */
	bool has_threshold;       /* HAVING total > threshold (or < when threshold_below) */
	bool threshold_below;
	double threshold;
	bool share_of_total;      /* INTENT_TOTAL with filters: also the whole and the share */
	bool run_rate;            /* INTENT_AVERAGE_DAILY: also monthly and annual run rates */
	enum chart_kind chart;    /* the chart asked for; CHART_AUTO: chosen by the rules */
	char message[512];        /* INTENT_CLARIFY / INTENT_REFUSE */
	int nchoices;             /* INTENT_CLARIFY: candidates the user can pick */
	char choices[6][PLAN_NAME_MAX];
	char clarify_question[512]; /* INTENT_CLARIFY: the question asked, to re-read with the choice */
	char clarify_word[64];      /* INTENT_CLARIFY: the word the choice replaces */
	/* INTENT_INSIGHT: the analysis ("anomalies", "forecast", ...); its scope
	 * is the plan's filters, measure and (unless range_defaulted) range */
	char insight[32];
	int months;                 /* forecast: months ahead; 0: to the end of this month */
	char topic[256];            /* the words the analysis reads: the question for the
	                               knowledge base, a resource id for owners */
};

void plan_init(struct plan *p);
/* An answer, not a refusal, a question back or help: a turn to lean on. */
bool plan_answers(const struct plan *p);

/* Names for dimensions, measures, intents, grains (for JSON and words). */
const char *dimension_name(enum dimension d);          /* "service", "account", ... "tag" */
enum dimension dimension_from_name(const char *name);  /* DIM_NONE if unknown */
const char *dimension_label(const struct dim_ref *d);  /* "service", "team" for a tag */
const char *measure_name(enum measure m);              /* "amortized", ... */
const char *measure_label(enum measure m);             /* "amortized cost" */
const char *intent_name(enum intent i);
const char *grain_name(enum grain g);
const char *chart_name(enum chart_kind c);

/* Add a filter; returns it, or NULL when the plan has no room. A filter on
 * the same column and operation is replaced. */
struct filter *plan_set_filter(struct plan *p, const struct dim_ref *col, enum filter_op op);
void plan_remove_filters(struct plan *p, const struct dim_ref *col);
/* "payments, not platform": an exclusion on a column the plan already
 * limits to named values says nothing more; it goes. */
void plan_drop_redundant_exclusions(struct plan *p);
bool dim_ref_eq(const struct dim_ref *a, const struct dim_ref *b);

/* "amortized cost of AmazonEC2 by region, 2025-11-01 to 2025-11-30 (last
 * month), top 5": the plan in words with exact dates. */
void plan_describe(const struct plan *p, char *buf, size_t size);

/* The plan as a new JSON object (the caller owns it), and back. */
struct json_t *plan_to_json(const struct plan *p);
int plan_from_json(const struct json_t *j, struct plan *p);

#endif
