/*
 * chart: the Chart.js-ready chart spec of an answer (answer_chart*() in
 * answer.h): the chart type chosen from the answer's shape by a table, the
 * datasets, the declarative number formats, the title and alternatives.
 */
#include "answer_parts.h"
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

/* ---- charts ---- */

/* The automatic choice: the first rule for the shape whose item range holds
 * the number of items (round charts only when no value is negative). */
static const struct {
	enum shape shape;
	size_t min_items, max_items;
	bool positive_only;
	enum chart_kind kind;
} chart_rules[] = {
	{ SHAPE_NUMBER, 0, SIZE_MAX, false, CHART_KPI },
	{ SHAPE_PARTS, 2, 8, true, CHART_DOUGHNUT },
	{ SHAPE_PARTS, 0, SIZE_MAX, false, CHART_HBAR },
	{ SHAPE_SERIES, 0, SIZE_MAX, false, CHART_LINE },
	{ SHAPE_SPLIT_SERIES, 0, SIZE_MAX, false, CHART_AREA },
	{ SHAPE_PERIODS, 0, SIZE_MAX, false, CHART_BAR },
	{ SHAPE_PERIODS_BY_ITEM, 0, SIZE_MAX, false, CHART_BAR },
};

/* The charts a user may ask for (plan.chart), by shape. A request not
 * listed does not fit that data, and the automatic choice stands. */
static const struct {
	enum shape shape;
	enum chart_kind asked;
	bool positive_only;
} chart_requests[] = {
	{ SHAPE_NUMBER, CHART_KPI, false },
	{ SHAPE_PARTS, CHART_KPI, false },
	{ SHAPE_PARTS, CHART_DOUGHNUT, true },
	{ SHAPE_PARTS, CHART_PIE, true },
	{ SHAPE_PARTS, CHART_BAR, false },
	{ SHAPE_PARTS, CHART_HBAR, false },
	{ SHAPE_SERIES, CHART_KPI, false },
	{ SHAPE_SERIES, CHART_BAR, false },
	{ SHAPE_SERIES, CHART_LINE, false },
	{ SHAPE_SERIES, CHART_AREA, false },
	{ SHAPE_SPLIT_SERIES, CHART_KPI, false },
	{ SHAPE_SPLIT_SERIES, CHART_BAR, false },
	{ SHAPE_SPLIT_SERIES, CHART_LINE, false },
	{ SHAPE_SPLIT_SERIES, CHART_AREA, false },
	{ SHAPE_PERIODS, CHART_KPI, false },
	{ SHAPE_PERIODS, CHART_BAR, false },
	{ SHAPE_PERIODS, CHART_HBAR, false },
	{ SHAPE_PERIODS_BY_ITEM, CHART_BAR, false },
	{ SHAPE_PERIODS_BY_ITEM, CHART_HBAR, false },
};

#define CHART_MAX_SLICES 8  /* doughnut, pie: the rest folds into "Other" */
#define CHART_MAX_BARS 20   /* bars of a breakdown */
#define CHART_MAX_SERIES 8  /* lines or areas of a split series */
#define CHART_MAX_GROUPS 15 /* groups of a grouped bar */

static enum chart_kind chart_choose(enum shape s, enum chart_kind asked, size_t items, bool negatives)
{
	for (size_t i = 0; asked != CHART_AUTO && i < COUNT(chart_requests); i++)
		if (chart_requests[i].shape == s && chart_requests[i].asked == asked &&
		    !(chart_requests[i].positive_only && negatives))
			return asked;
	for (size_t i = 0; i < COUNT(chart_rules); i++)
		if (chart_rules[i].shape == s && items >= chart_rules[i].min_items &&
		    items <= chart_rules[i].max_items && !(chart_rules[i].positive_only && negatives))
			return chart_rules[i].kind;
	return CHART_TABLE;
}

struct chart_in {
	const struct plan *p;
	const struct table *t;
	const struct answer_context *ctx;
	struct cols c;
	struct fmt f;
	char title[400];
};

/* A JSON string of text that may not be valid UTF-8 (jansson refuses
 * that): the bytes that could break it become '?'. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *copy = xstrdup(s);
	for (char *c = copy; *c; c++)
		if ((unsigned char)*c >= 0x80)
			*c = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/* A JSON number; null where the value is not finite (JSON has no NaN). */
static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* {"format": "currency", "currency": "USD"} or {"format": "number", "unit": "Hrs"} */
static json_t *value_format(const struct fmt *f)
{
	if (!f->usage)
		return json_pack("{s:s, s:o}", "format", "currency", "currency", jstr(f->currency));
	json_t *j = json_pack("{s:s}", "format", "number");
	if (f->unit[0] && !f->mixed_units)
		json_object_set_new(j, "unit", jstr(f->unit));
	return j;
}

static json_t *value_axis(const struct fmt *f, bool stacked)
{
	json_t *axis = json_pack("{s:b, s:o}", "beginAtZero", 1, "ticks", value_format(f));
	if (stacked)
		json_object_set_new(axis, "stacked", json_true());
	return axis;
}

/* {"type", "title", "data": {"labels": [], "datasets": []}, "options": {"plugins": ...}} */
static json_t *chart_new(const struct chart_in *in, const char *type)
{
	json_t *title = jstr(in->title);
	json_t *plugins = json_pack("{s:{s:b, s:O}, s:o}", "title", "display", 1, "text", title, "tooltip",
				    value_format(&in->f));
	return json_pack("{s:s, s:o, s:{s:[], s:[]}, s:{s:o}}", "type", type, "title", title, "data", "labels",
			 "datasets", "options", "plugins", plugins);
}

static json_t *chart_labels(json_t *chart)
{
	return json_object_get(json_object_get(chart, "data"), "labels");
}

/* Append a dataset {"label", "data": []}; returns its data array (borrowed). */
static json_t *chart_add_dataset(json_t *chart, const char *label)
{
	json_t *ds = json_pack("{s:o, s:[]}", "label", jstr(label), "data");
	json_array_append_new(json_object_get(json_object_get(chart, "data"), "datasets"), ds);
	return json_object_get(ds, "data");
}

static json_t *chart_options(json_t *chart)
{
	return json_object_get(chart, "options");
}

static void chart_set_alternatives(json_t *chart, const char *a, const char *b)
{
	json_t *alt = json_array();
	json_array_append_new(alt, json_string(a));
	if (b)
		json_array_append_new(alt, json_string(b));
	json_object_set_new(chart, "alternatives", alt);
}

/* Bars: vertical with the value axis y, or horizontal (indexAxis y) with x. */
static void chart_bar_options(json_t *chart, const struct fmt *f, bool horizontal, bool stacked)
{
	json_t *opts = chart_options(chart);
	json_t *scales = json_object();
	if (horizontal)
		json_object_set_new(opts, "indexAxis", json_string("y"));
	json_object_set_new(scales, horizontal ? "x" : "y", value_axis(f, stacked));
	if (stacked)
		json_object_set_new(scales, horizontal ? "y" : "x", json_pack("{s:b}", "stacked", 1));
	json_object_set_new(opts, "scales", scales);
}

static void chart_line_options(json_t *chart, const struct fmt *f, bool stacked)
{
	json_t *opts = chart_options(chart);
	json_object_set_new(opts, "scales", json_pack("{s:o}", "y", value_axis(f, stacked)));
	json_object_set_new(opts, "interaction", json_pack("{s:s, s:b}", "mode", "index", "intersect", 0));
}

static json_t *chart_kpi(const struct chart_in *in, double value, double previous, bool has_previous,
			 const char *previous_label)
{
	json_t *j = json_pack("{s:s, s:o, s:o, s:o}", "type", "kpi", "title", jstr(in->title), "value", jnum(value),
			      "label", jstr(in->title));
	json_t *fmt = value_format(&in->f);
	json_object_update(j, fmt);
	json_decref(fmt);
	if (has_previous) {
		json_object_set_new(j, "previous", jnum(previous));
		if (previous_label && *previous_label)
			json_object_set_new(j, "previous_label", jstr(previous_label));
		if (previous != 0)
			json_object_set_new(j, "change_pct", jnum(100 * (value - previous) / fabs(previous)));
	}
	return j;
}

static json_t *chart_kpi_ctx(const struct chart_in *in, double value)
{
	const struct answer_context *ctx = in->ctx;
	bool has = ctx && ctx->has_previous;
	return chart_kpi(in, value, has ? ctx->previous_total : 0, has, has ? ctx->previous_label : NULL);
}

/* A group's label for a chart: the value, with an account's name. */
static void item_label(const struct chart_in *in, size_t row, char *buf, size_t size)
{
	char b1[64], b2[64];
	const char *label = text(in->t, row, in->c.label, b1, sizeof(b1));
	const char *name = in->p->group.dim == DIM_ACCOUNT && !is_null(in->t, row, in->c.name)
				   ? text(in->t, row, in->c.name, b2, sizeof(b2))
				   : "";
	if (*name && strcmp(name, label) != 0)
		snprintf(buf, size, "%s (%s)", label, name);
	else
		snprintf(buf, size, "%s", label);
}

static json_t *chart_parts(const struct chart_in *in, enum chart_kind kind)
{
	const struct table *t = in->t;
	double *v = column_values(t, in->c.value);
	double total = 0, other = 0;
	for (size_t r = 0; r < t->nrows; r++)
		total += v[r];
	if (kind == CHART_KPI) {
		free(v);
		return chart_kpi_ctx(in, total);
	}
	bool round = kind == CHART_DOUGHNUT || kind == CHART_PIE;
	size_t cap = round ? CHART_MAX_SLICES : CHART_MAX_BARS;
	bool *keep = xcalloc(t->nrows, sizeof(*keep));
	if (t->nrows <= cap) {
		for (size_t r = 0; r < t->nrows; r++)
			keep[r] = true;
	} else {
		size_t *rank = rank_values(v, t->nrows, false);
		for (size_t i = 0; i < cap - 1; i++)
			keep[rank[i]] = true;
		free(rank);
	}
	json_t *chart = chart_new(in, kind == CHART_DOUGHNUT ? "doughnut" : kind == CHART_PIE ? "pie" : "bar");
	json_t *labels = chart_labels(chart);
	json_t *data = chart_add_dataset(chart, measure_label(in->p->measure));
	bool folded = false;
	for (size_t r = 0; r < t->nrows; r++) {
		char label[200];
		if (!keep[r]) {
			other += v[r];
			folded = true;
			continue;
		}
		item_label(in, r, label, sizeof(label));
		json_array_append_new(labels, jstr(label));
		json_array_append_new(data, jnum(v[r]));
	}
	/* A ring of a top N (or of the groups over a threshold) would fill the
	 * whole circle with a part: the rest of the cost in scope is its own
	 * "Other" slice, from the shares of the whole sqlgen computes. */
	int all = in->c.whole;
	if (round && (in->p->limit > 0 || in->p->has_threshold) && all >= 0 && t->nrows > 0) {
		double rest = num(t, 0, all) - total;
		if (rest > 0.005 * fabs(num(t, 0, all))) {
			other += rest;
			folded = true;
		}
	}
	if (folded) {
		json_array_append_new(labels, json_string("Other"));
		json_array_append_new(data, jnum(other));
	}
	if (kind == CHART_DOUGHNUT)
		chart_set_alternatives(chart, "bar", NULL);
	else if (kind == CHART_PIE)
		chart_set_alternatives(chart, "doughnut", "bar");
	if (round)
		json_object_set_new(json_object_get(chart_options(chart), "plugins"), "legend",
				    json_pack("{s:s}", "position", "right"));
	else
		chart_bar_options(chart, &in->f, kind == CHART_HBAR, false);
	free(keep);
	free(v);
	return chart;
}

static json_t *chart_series(const struct chart_in *in, enum chart_kind kind)
{
	struct pivot pv;
	pivot_build(&pv, in->t, &in->c);
	bool split = in->c.label >= 0;
	json_t *chart;
	if (kind == CHART_KPI) {
		double total = 0;
		for (size_t i = 0; i < pv.nperiods; i++)
			total += pv.buckets[i];
		chart = chart_kpi_ctx(in, total);
		pivot_release(&pv);
		return chart;
	}
	chart = chart_new(in, kind == CHART_BAR ? "bar" : "line");
	json_t *labels = chart_labels(chart);
	for (size_t i = 0; i < pv.nperiods; i++)
		json_array_append_new(labels, jstr(pv.periods[i]));
	/* the largest series get a dataset each, the rest one "Other" */
	size_t shown = pv.nseries > CHART_MAX_SERIES ? CHART_MAX_SERIES : pv.nseries;
	size_t nsets = shown + (pv.nseries > shown);
	size_t *slot = xcalloc(pv.nseries + 1, sizeof(*slot));
	double *grid = xcalloc(pv.nperiods * nsets + 1, sizeof(*grid));
	for (size_t k = 0; k < pv.nseries; k++)
		slot[pv.rank[k]] = k < shown ? k : shown;
	for (size_t r = 0; r < pv.nrows; r++)
		grid[pv.pid[r] * nsets + slot[pv.sid[r]]] += num(in->t, r, in->c.value);
	for (size_t k = 0; k < nsets; k++) {
		const char *name = !split ? measure_label(in->p->measure) : k == shown ? "Other" : pv.series[pv.rank[k]];
		json_t *data = chart_add_dataset(chart, name);
		json_t *ds = json_array_get(json_object_get(json_object_get(chart, "data"), "datasets"), k);
		for (size_t i = 0; i < pv.nperiods; i++)
			json_array_append_new(data, jnum(grid[i * nsets + k]));
		if (kind == CHART_AREA)
			json_object_set_new(ds, "fill", json_string(k == 0 || !split ? "origin" : "-1"));
		else if (kind == CHART_LINE)
			json_object_set_new(ds, "fill", json_false());
	}
	if (kind == CHART_BAR) {
		chart_bar_options(chart, &in->f, false, split);
		chart_set_alternatives(chart, split ? "area" : "line", NULL);
	} else {
		chart_line_options(chart, &in->f, kind == CHART_AREA && split);
		chart_set_alternatives(chart, kind == CHART_AREA ? "line" : "bar", NULL);
	}
	free(grid);
	free(slot);
	pivot_release(&pv);
	return chart;
}

static json_t *chart_periods(const struct chart_in *in, enum chart_kind kind)
{
	const struct plan *p = in->p;
	long r0 = period_row(in->t, &in->c, &p->periods[0]), r1 = period_row(in->t, &in->c, &p->periods[1]);
	double a = r0 >= 0 ? num(in->t, (size_t)r0, in->c.value) : 0;
	double b = r1 >= 0 ? num(in->t, (size_t)r1, in->c.value) : 0;
	char n0[64], n1[64];
	if (kind == CHART_KPI)
		return chart_kpi(in, b, a, true, p->periods[0].label);
	json_t *chart = chart_new(in, "bar");
	json_t *labels = chart_labels(chart);
	json_t *data = chart_add_dataset(chart, measure_label(p->measure));
	period_describe_dates(&p->periods[0], n0, sizeof(n0));
	period_describe_dates(&p->periods[1], n1, sizeof(n1));
	json_array_append_new(labels, jstr(p->periods[0].label[0] ? p->periods[0].label : n0));
	json_array_append_new(labels, jstr(p->periods[1].label[0] ? p->periods[1].label : n1));
	json_array_append_new(data, jnum(a));
	json_array_append_new(data, jnum(b));
	chart_bar_options(chart, &in->f, kind == CHART_HBAR, false);
	return chart;
}

static json_t *chart_by_item(const struct chart_in *in, enum chart_kind kind)
{
	const struct table *t = in->t;
	const struct plan *p = in->p;
	char n0[64], n1[64];
	json_t *chart = chart_new(in, "bar");
	json_t *labels = chart_labels(chart);
	period_describe_dates(&p->periods[0], n0, sizeof(n0));
	period_describe_dates(&p->periods[1], n1, sizeof(n1));
	json_t *before = chart_add_dataset(chart, p->periods[0].label[0] ? p->periods[0].label : n0);
	json_t *after = chart_add_dataset(chart, p->periods[1].label[0] ? p->periods[1].label : n1);
	size_t keep = t->nrows > CHART_MAX_GROUPS ? CHART_MAX_GROUPS - 1 : t->nrows;
	double other_a = 0, other_b = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		double a = num(t, r, in->c.before), b = num(t, r, in->c.after);
		char label[200];
		if (r >= keep) {
			other_a += a;
			other_b += b;
			continue;
		}
		item_label(in, r, label, sizeof(label));
		json_array_append_new(labels, jstr(label));
		json_array_append_new(before, jnum(a));
		json_array_append_new(after, jnum(b));
	}
	if (keep < t->nrows) {
		json_array_append_new(labels, json_string("Other"));
		json_array_append_new(before, jnum(other_a));
		json_array_append_new(after, jnum(other_b));
	}
	chart_bar_options(chart, &in->f, kind == CHART_HBAR, false);
	return chart;
}

/* "Amortized cost by service, November 2025" */
static void chart_title(const struct chart_in *in, char *buf, size_t size)
{
	const struct plan *p = in->p;
	enum shape s = shape_of(p);
	struct strbuf sb;
	char m[64], cap[96];
	strbuf_init(&sb, 0);
	measure_words(p, false, m, sizeof(m));
	if (p->intent == INTENT_MOVERS)
		strbuf_addf(&sb, "Biggest %s in %s", p->ascending ? "decreases" : "increases", m);
	else if (p->intent == INTENT_AVERAGE_DAILY)
		strbuf_addf(&sb, "Average %s %s", p->grain == GRAIN_MONTH ? "monthly" : "daily", m);
	else if (s == SHAPE_SERIES || s == SHAPE_SPLIT_SERIES) {
		capitalize(grain_words[p->grain].adjective, cap, sizeof(cap));
		strbuf_addf(&sb, "%s %s", cap, m);
	} else {
		capitalize(m, cap, sizeof(cap));
		strbuf_addstr(&sb, cap);
	}
	if (p->group.dim != DIM_NONE)
		strbuf_addf(&sb, " by %s", dimension_label(&p->group));
	if (p->limit > 0 && s == SHAPE_PARTS)
		strbuf_addf(&sb, " (%s %d)", p->ascending ? "bottom" : "top", p->limit);
	add_filters_as(&sb, p, false);
	if (s == SHAPE_PERIODS || s == SHAPE_PERIODS_BY_ITEM) {
		char a[64], b[64];
		period_describe_dates(&p->periods[0], a, sizeof(a));
		period_describe_dates(&p->periods[1], b, sizeof(b));
		strbuf_addf(&sb, ", %s vs %s", p->periods[0].label[0] ? p->periods[0].label : a,
			    p->periods[1].label[0] ? p->periods[1].label : b);
	} else {
		char dates[64];
		period_describe_dates(&p->range, dates, sizeof(dates));
		strbuf_addf(&sb, ", %s", p->range.label[0] ? p->range.label : dates);
	}
	if (in->f.usage && in->f.unit[0] && !in->f.mixed_units)
		strbuf_addf(&sb, " (%s)", in->f.unit);
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

json_t *answer_chart_ctx(const struct plan *p, const struct table *t, const struct answer_context *ctx)
{
	struct chart_in in = { .p = p, .t = t, .ctx = ctx };
	enum shape s = shape_of(p);
	if (s == SHAPE_NONE || p->chart == CHART_TABLE || p->intent == INTENT_COUNT)
		return NULL; /* a count is one figure, said in the message */
	if (s == SHAPE_NUMBER && t && t->nrows > 1)
		return NULL; /* usage in several units: no single figure to draw */
	find_cols(p, t, &in.c);
	if (table_empty(p, t, &in.c))
		return NULL;
	if (s == SHAPE_PERIODS_BY_ITEM ? in.c.before < 0 || in.c.after < 0 : in.c.value < 0)
		return NULL;
	if ((s == SHAPE_SERIES || s == SHAPE_SPLIT_SERIES) && in.c.period < 0)
		return NULL;
	fmt_init(&in.f, p, t, &in.c, ctx);
	chart_title(&in, in.title, sizeof(in.title));

	bool negatives = false;
	for (size_t r = 0; r < t->nrows; r++)
		if (num(t, r, in.c.value) < 0)
			negatives = true;
	enum chart_kind kind = chart_choose(s, p->chart, t->nrows, negatives);
	switch (s) {
	case SHAPE_NUMBER: return chart_kpi_ctx(&in, num(t, 0, in.c.value));
	case SHAPE_PARTS: return chart_parts(&in, kind);
	case SHAPE_SERIES:
	case SHAPE_SPLIT_SERIES: return chart_series(&in, kind);
	case SHAPE_PERIODS: return chart_periods(&in, kind);
	case SHAPE_PERIODS_BY_ITEM: return chart_by_item(&in, kind);
	case SHAPE_NONE:
	case SHAPE_COUNT: break;
	}
	return NULL;
}

json_t *answer_chart(const struct plan *p, const struct table *t)
{
	return answer_chart_ctx(p, t, NULL);
}
