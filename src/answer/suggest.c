/*
 * suggest: the follow-up questions offered under an answer
 * (answer_suggest() in answer.h): per shape, a list of kinds of
 * suggestion (a table), each made concrete from the plan and the rows.
 */
#include "answer_parts.h"
#include "dims.h"
#include "date.h"
#include "sqlgen.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- suggestions ---- */

enum suggestion {
	SUG_END,
	SUG_DRILL,    /* Break down AmazonEC2 by usage type */
	SUG_REGROUP,  /* Break it down by account */
	SUG_TREND,    /* Show the daily trend for AmazonEC2 */
	SUG_PREVIOUS, /* Compare with the previous month */
	SUG_TOP_N,    /* Show the top 5 services */
	SUG_GRAIN,    /* Show the monthly trend */
	SUG_MOVERS,   /* Show the biggest increases by service */
};

/* What to offer, best first, by shape; inapplicable ones are skipped. */
static const enum suggestion suggestion_plans[SHAPE_COUNT][7] = {
	[SHAPE_NUMBER] = { SUG_REGROUP, SUG_TREND, SUG_PREVIOUS, SUG_REGROUP },
	[SHAPE_PARTS] = { SUG_DRILL, SUG_TOP_N, SUG_TREND, SUG_REGROUP, SUG_PREVIOUS, SUG_REGROUP },
	[SHAPE_SERIES] = { SUG_REGROUP, SUG_GRAIN, SUG_PREVIOUS, SUG_REGROUP },
	[SHAPE_SPLIT_SERIES] = { SUG_DRILL, SUG_GRAIN, SUG_REGROUP, SUG_PREVIOUS },
	[SHAPE_PERIODS] = { SUG_REGROUP, SUG_MOVERS, SUG_TREND, SUG_REGROUP },
	[SHAPE_PERIODS_BY_ITEM] = { SUG_DRILL, SUG_TREND, SUG_REGROUP, SUG_MOVERS },
};

/* Other groupings to offer, in order of preference. */
static const enum dimension regroup_targets[] = { DIM_SERVICE, DIM_ACCOUNT, DIM_REGION, DIM_USAGE_TYPE };

/* "Compare with the previous month": the ranges that have a previous one. */
static const struct {
	enum time_unit unit;
	const char *noun;
} previous_units[] = {
	{ UNIT_DAY, "day" }, { UNIT_WEEK, "week" }, { UNIT_MONTH, "month" }, { UNIT_QUARTER, "quarter" }, { UNIT_YEAR, "year" },
};

struct suggester {
	const struct plan *p;
	const struct table *t;
	struct cols c;
	enum shape s;
	char (*out)[ANSWER_SUGGESTION_MAX];
	int n, max;
	bool offered[DIM_COUNT]; /* groupings already offered */
	char top[PLAN_NAME_MAX]; /* the top item's label; "" when none fits */
};

static void suggest(struct suggester *sg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void suggest(struct suggester *sg, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	if (sg->n >= sg->max)
		return;
	va_start(ap, fmt);
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0 || len >= ANSWER_SUGGESTION_MAX)
		return; /* a label too long to type */
	for (int i = 0; i < sg->n; i++)
		if (strcmp(sg->out[i], buf) == 0)
			return;
	memcpy(sg->out[sg->n++], buf, (size_t)len + 1);
}

/* The question already fixes this dimension to one value. */
static bool dim_pinned(const struct plan *p, enum dimension d)
{
	for (int i = 0; i < p->nfilters; i++)
		if (p->filters[i].col.dim == d && p->filters[i].op == FILTER_IN && p->filters[i].nvalues == 1)
			return true;
	return false;
}

static bool dim_offerable(const struct suggester *sg, enum dimension d)
{
	return d != DIM_NONE && d != sg->p->group.dim && !sg->offered[d] && !dim_pinned(sg->p, d);
}

/* The label to drill into: the largest item with a value of its own. */
static void find_top(struct suggester *sg)
{
	const struct table *t = sg->t;
	sg->top[0] = '\0';
	if (sg->c.label < 0 || sg->p->group2.dim != DIM_NONE || !t || !t->nrows)
		return;
	size_t *rank;
	double *v;
	if (sg->s == SHAPE_SPLIT_SERIES) {
		struct pivot pv;
		pivot_build(&pv, t, &sg->c);
		for (size_t i = 0; i < pv.nseries && !sg->top[0]; i++) {
			const char *label = pv.series[pv.rank[i]];
			if (label[0] != '(' && strlen(label) < 100)
				snprintf(sg->top, sizeof(sg->top), "%s", label);
		}
		pivot_release(&pv);
		return;
	}
	if (sg->s == SHAPE_PERIODS_BY_ITEM) {
		/* the table's own order: by the later period, or by the change */
		v = xcalloc(t->nrows, sizeof(*v));
		for (size_t r = 0; r < t->nrows; r++)
			v[r] = -(double)r;
	} else {
		v = column_values(t, sg->c.value);
	}
	rank = rank_values(v, t->nrows, false);
	for (size_t i = 0; i < t->nrows && !sg->top[0]; i++) {
		char buf[64];
		const char *label = text(t, rank[i], sg->c.label, buf, sizeof(buf));
		if (label[0] && label[0] != '(' && strlen(label) < 100)
			snprintf(sg->top, sizeof(sg->top), "%s", label);
	}
	free(rank);
	free(v);
}

/* "daily" for ranges up to about two months, else "monthly". */
static const char *trend_adjective(const struct plan *p)
{
	const struct period *a = &p->range, *b = &p->range;
	if (shape_of(p) == SHAPE_PERIODS || shape_of(p) == SHAPE_PERIODS_BY_ITEM) {
		a = &p->periods[0];
		b = &p->periods[1];
	}
	return b->end_day - a->start_day > 62 ? "monthly" : "daily";
}

static void suggest_one(struct suggester *sg, enum suggestion what)
{
	const struct plan *p = sg->p;
	switch (what) {
	case SUG_END: return;
	case SUG_DRILL: {
		if (!sg->top[0] || p->group.dim <= DIM_NONE || p->group.dim >= DIM_COUNT)
			return;
		for (size_t i = 0; i < DIM_MAX_DRILL; i++) {
			enum dimension d = dim_info(p->group.dim)->drill[i];
			if (dim_offerable(sg, d)) {
				struct dim_ref ref = { .dim = d };
				sg->offered[d] = true;
				suggest(sg, "Break down %s by %s", sg->top, dimension_label(&ref));
				return;
			}
		}
		return;
	}
	case SUG_REGROUP:
		for (size_t i = 0; i < COUNT(regroup_targets); i++) {
			enum dimension d = regroup_targets[i];
			if (dim_offerable(sg, d)) {
				struct dim_ref ref = { .dim = d };
				sg->offered[d] = true;
				suggest(sg, "Break it down by %s", dimension_label(&ref));
				return;
			}
		}
		return;
	case SUG_TREND:
		if (sg->top[0])
			suggest(sg, "Show the %s trend for %s", trend_adjective(p), sg->top);
		else
			suggest(sg, "Show the %s trend", trend_adjective(p));
		return;
	case SUG_PREVIOUS:
		for (size_t i = 0; i < COUNT(previous_units); i++)
			if (p->range.unit == previous_units[i].unit && p->range.count == 1) {
				suggest(sg, "Compare with the previous %s", previous_units[i].noun);
				return;
			}
		return;
	case SUG_TOP_N: {
		const char *plural = plural_of(&p->group);
		if (p->limit || !sg->t || sg->t->nrows <= 10)
			return;
		if (plural)
			suggest(sg, "Show the top 5 %s", plural);
		else
			suggest(sg, "Show the top 5 %s values", dimension_label(&p->group));
		return;
	}
	case SUG_GRAIN:
		if (p->grain == GRAIN_DAY || p->grain == GRAIN_NONE)
			suggest(sg, "Show the monthly trend");
		else
			suggest(sg, "Show the daily trend");
		return;
	case SUG_MOVERS: {
		struct dim_ref d = p->group;
		bool down = p->intent == INTENT_MOVERS && !p->ascending;
		if (d.dim == DIM_NONE)
			d.dim = DIM_SERVICE;
		suggest(sg, "Show the biggest %s by %s", down ? "decreases" : "increases", dimension_label(&d));
		return;
	}
	}
}

int answer_suggest(const struct plan *p, const struct table *t, char out[][ANSWER_SUGGESTION_MAX], int max)
{
	struct suggester sg = { .p = p, .t = t, .out = out, .max = max < 4 ? max : 4 };
	sg.s = shape_of(p);
	if (sg.max <= 0)
		return 0;
	find_cols(p, t, &sg.c);
	if (sg.s == SHAPE_NONE) {
		for (int i = 0; p->intent == INTENT_CLARIFY && i < p->nchoices && i < (int)COUNT(p->choices); i++)
			suggest(&sg, "%s", p->choices[i]);
	} else if (p->intent == INTENT_COUNT) {
		/* a count leads to the list it counted */
		if (p->group.dim != DIM_NONE)
			suggest(&sg, "Top 10 %ss by cost", dimension_label(&p->group));
		suggest(&sg, "Show the daily trend");
	} else if (!table_empty(p, t, &sg.c)) {
		find_top(&sg);
		for (size_t i = 0; i < COUNT(suggestion_plans[0]) && suggestion_plans[sg.s][i] != SUG_END; i++)
			suggest_one(&sg, suggestion_plans[sg.s][i]);
	}
	for (size_t i = 0; sg.n < 2 && i < COUNT(example_questions); i++)
		suggest(&sg, "%s", example_questions[i]);
	return sg.n;
}
