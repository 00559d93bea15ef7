/*
 * plan: names, words and JSON for plans. See plan.h.
 */
#include "plan.h"
#include "dims.h"
#include "date.h"
#include "strbuf.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const measure_names[] = {
	[MEASURE_AMORTIZED] = "amortized", [MEASURE_UNBLENDED] = "unblended", [MEASURE_NET] = "net",
	[MEASURE_LIST] = "list", [MEASURE_USAGE] = "usage",
};
static const char *const measure_labels[] = {
	[MEASURE_AMORTIZED] = "amortized cost", [MEASURE_UNBLENDED] = "unblended cost",
	[MEASURE_NET] = "net cost", [MEASURE_LIST] = "on-demand equivalent cost", [MEASURE_USAGE] = "usage",
};
static const char *const intent_names[] = {
	[INTENT_TOTAL] = "total", [INTENT_BREAKDOWN] = "breakdown", [INTENT_TREND] = "trend",
	[INTENT_COMPARE_PERIODS] = "compare", [INTENT_MOVERS] = "movers",
	[INTENT_AVERAGE_DAILY] = "average_daily", [INTENT_CLARIFY] = "clarify",
	[INTENT_REFUSE] = "refuse", [INTENT_HELP] = "help", [INTENT_INSIGHT] = "insight", [INTENT_COUNT] = "count",
};
static const char *const grain_names[] = {
	[GRAIN_NONE] = "none", [GRAIN_DAY] = "day", [GRAIN_WEEK] = "week", [GRAIN_MONTH] = "month",
	[GRAIN_QUARTER] = "quarter", [GRAIN_YEAR] = "year",
};
static const char *const chart_names[] = {
	[CHART_AUTO] = "auto", [CHART_KPI] = "kpi", [CHART_DOUGHNUT] = "doughnut", [CHART_PIE] = "pie",
	[CHART_BAR] = "bar", [CHART_HBAR] = "horizontal_bar", [CHART_LINE] = "line", [CHART_AREA] = "area",
	[CHART_TABLE] = "table",
};
static const char *const filter_op_names[] = {
	[FILTER_IN] = "in", [FILTER_NOT_IN] = "not_in", [FILTER_CONTAINS] = "contains",
	[FILTER_PREFIX] = "prefix", [FILTER_EXCLUDE_PREFIX] = "not_prefix", [FILTER_MISSING] = "missing",
	[FILTER_PRESENT] = "present", [FILTER_UNTAGGED] = "untagged", [FILTER_TAGGED] = "tagged",
};
static const char *const unit_names[] = {
	[UNIT_DAY] = "day", [UNIT_WEEK] = "week", [UNIT_MONTH] = "month", [UNIT_QUARTER] = "quarter",
	[UNIT_HALF] = "half", [UNIT_YEAR] = "year", [UNIT_SPAN] = "span",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int index_of(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (names[i] && strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

void plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
	p->intent = INTENT_TOTAL;
	p->measure = MEASURE_AMORTIZED;
}

const char *dimension_name(enum dimension d)
{
	return dim_info(d)->name;
}

enum dimension dimension_from_name(const char *name)
{
	for (int d = DIM_NONE; d < DIM_COUNT; d++)
		if (strcmp(dim_info((enum dimension)d)->name, name) == 0)
			return (enum dimension)d;
	return DIM_NONE;
}

const char *dimension_label(const struct dim_ref *d)
{
	return d->dim == DIM_TAG ? d->tag_key : dim_info(d->dim)->label;
}

const char *measure_name(enum measure m) { return measure_names[m]; }
const char *measure_label(enum measure m) { return measure_labels[m]; }
const char *intent_name(enum intent i) { return intent_names[i]; }
const char *grain_name(enum grain g) { return grain_names[g]; }
const char *chart_name(enum chart_kind c) { return chart_names[c]; }

bool dim_ref_eq(const struct dim_ref *a, const struct dim_ref *b)
{
	return a->dim == b->dim && (a->dim != DIM_TAG || strcmp(a->tag_key, b->tag_key) == 0);
}

struct filter *plan_set_filter(struct plan *p, const struct dim_ref *col, enum filter_op op)
{
	for (int i = 0; i < p->nfilters; i++)
		if (dim_ref_eq(&p->filters[i].col, col) && p->filters[i].op == op) {
			p->filters[i].nvalues = 0;
			return &p->filters[i];
		}
	if (p->nfilters >= PLAN_MAX_FILTERS)
		return NULL;
	struct filter *f = &p->filters[p->nfilters++];
	memset(f, 0, sizeof(*f));
	f->col = *col;
	f->op = op;
	return f;
}

void plan_remove_filters(struct plan *p, const struct dim_ref *col)
{
	int out = 0;
	for (int i = 0; i < p->nfilters; i++)
		if (!dim_ref_eq(&p->filters[i].col, col))
			p->filters[out++] = p->filters[i];
	p->nfilters = out;
}

/* ---- words ---- */

static void describe_filter(const struct filter *f, struct strbuf *sb)
{
	const char *col = dimension_label(&f->col);
	switch (f->op) {
	case FILTER_UNTAGGED:
		strbuf_addstr(sb, "with no tags");
		return;
	case FILTER_MISSING:
		if (f->col.dim == DIM_TAG)
			strbuf_addf(sb, "without a %s tag", col);
		else
			strbuf_addf(sb, "with no %s", col);
		return;
	case FILTER_PRESENT:
		if (f->col.dim == DIM_TAG)
			strbuf_addf(sb, "with a %s tag", col);
		else
			strbuf_addf(sb, "with a %s", col);
		return;
	case FILTER_TAGGED:
		strbuf_addstr(sb, "with at least one tag");
		return;
	case FILTER_IN: strbuf_addf(sb, "%s ", col); break;
	case FILTER_NOT_IN: strbuf_addf(sb, "excluding %s ", col); break;
	case FILTER_CONTAINS: strbuf_addf(sb, "%s containing ", col); break;
	case FILTER_PREFIX: strbuf_addf(sb, "%s starting with ", col); break;
	case FILTER_EXCLUDE_PREFIX: strbuf_addf(sb, "excluding %s starting with ", col); break;
	}
	for (int v = 0; v < f->nvalues; v++)
		strbuf_addf(sb, "%s%s", v == 0 ? "" : v == f->nvalues - 1 ? " or " : ", ", f->values[v]);
}

static void describe_period(const struct period *p, struct strbuf *sb)
{
	char dates[48];
	period_describe_dates(p, dates, sizeof(dates));
	if (p->label[0] && strcmp(p->label, dates) != 0)
		strbuf_addf(sb, "%s (%s)", p->label, dates);
	else
		strbuf_addstr(sb, dates);
}

/* "forecast of amortized cost, where service AmazonS3, 3 months ahead":
 * the analysis, what it is narrowed to and the window when one was given. */
static void describe_insight(const struct plan *p, struct strbuf *sb)
{
	static const struct {
		const char *name, *words;
	} analyses[] = {
		{ "anomalies", "anomalies in" }, { "architecture", "the architecture behind" },
		{ "commitments", "Savings Plan and RI utilization and coverage of" },
		{ "drivers", "what drove the change in" }, { "forecast", "forecast of" },
		{ "owners", "likely owners of" }, { "recommend", "savings recommendations on" },
	};
	if (strcmp(p->insight, "knowledge") == 0) {
		strbuf_addf(sb, "the knowledge base on \"%s\"", p->topic);
		return;
	}
	const char *words = NULL;
	for (size_t i = 0; i < COUNT(analyses) && !words; i++)
		if (strcmp(analyses[i].name, p->insight) == 0)
			words = analyses[i].words;
	if (words)
		strbuf_addf(sb, "%s %s", words, measure_label(p->measure));
	else
		strbuf_addf(sb, "%s of %s", p->insight, measure_label(p->measure));
	for (int i = 0; i < p->nfilters; i++) {
		strbuf_addstr(sb, i ? "; " : ", where ");
		describe_filter(&p->filters[i], sb);
	}
	if (!p->range_defaulted) {
		strbuf_addstr(sb, ", ");
		describe_period(&p->range, sb);
	}
	if (strcmp(p->insight, "forecast") == 0) {
		if (p->months > 0)
			strbuf_addf(sb, ", %d month%s ahead", p->months, p->months == 1 ? "" : "s");
		else
			strbuf_addstr(sb, ", to the end of this month");
	}
	if (p->limit)
		strbuf_addf(sb, ", at most %d", p->limit);
}

void plan_describe(const struct plan *p, char *buf, size_t size)
{
	struct strbuf sb;
	strbuf_init(&sb, 0);
	switch (p->intent) {
	case INTENT_CLARIFY:
	case INTENT_REFUSE:
		strbuf_addstr(&sb, p->message);
		goto out;
	case INTENT_HELP:
		strbuf_addstr(&sb, "what finq can answer");
		goto out;
	case INTENT_INSIGHT:
		describe_insight(p, &sb);
		goto out;
	case INTENT_AVERAGE_DAILY:
		strbuf_addstr(&sb, p->run_rate		 ? "run rate from the average daily "
				   : p->grain == GRAIN_MONTH ? "average monthly "
							     : "average daily ");
		break;
	case INTENT_MOVERS:
		strbuf_addf(&sb, "biggest %s in ", p->ascending ? "decreases" : "increases");
		break;
	case INTENT_COUNT:
		strbuf_addf(&sb, "number of %ss with %s", p->group.dim != DIM_NONE ? dimension_label(&p->group) : "day",
			    measure_label(p->measure));
		goto scope;
	default:
		break;
	}
	strbuf_addstr(&sb, measure_label(p->measure));
scope:
	if (p->intent == INTENT_COUNT)
		goto filters;
	if (p->measure == MEASURE_USAGE && p->usage_unit[0])
		strbuf_addf(&sb, " (%s)", p->usage_unit);
	if (p->group.dim != DIM_NONE)
		strbuf_addf(&sb, " by %s", dimension_label(&p->group));
	if (p->group2.dim != DIM_NONE)
		strbuf_addf(&sb, " and %s", dimension_label(&p->group2));
	if (p->intent == INTENT_TREND)
		strbuf_addf(&sb, "%s%s", p->group.dim != DIM_NONE ? " and " : " by ", grain_name(p->grain));
filters:
	for (int i = 0; i < p->nfilters; i++) {
		strbuf_addstr(&sb, i ? "; " : ", where ");
		describe_filter(&p->filters[i], &sb);
	}
	if (p->intent == INTENT_COMPARE_PERIODS || p->intent == INTENT_MOVERS) {
		strbuf_addstr(&sb, ", ");
		describe_period(&p->periods[0], &sb);
		strbuf_addstr(&sb, " compared with ");
		describe_period(&p->periods[1], &sb);
	} else {
		strbuf_addstr(&sb, ", ");
		describe_period(&p->range, &sb);
		if (p->range_defaulted)
			strbuf_addstr(&sb, " [no dates given: the default]");
	}
	if (p->share_of_total)
		strbuf_addstr(&sb, ", as a share of all cost");
	if (p->has_threshold)
		strbuf_addf(&sb, ", only %s %s %.2f", p->group.dim != DIM_NONE ? "groups" : "totals",
			    p->threshold_below ? "under" : "over", p->threshold);
	if (p->limit)
		strbuf_addf(&sb, ", %s %d", p->ascending && p->intent != INTENT_MOVERS ? "bottom" : "top", p->limit);
out:
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

/* ---- JSON ---- */

static json_t *period_to_json(const struct period *p)
{
	char start[16], end[16];
	date_format(p->start_day, start, sizeof(start));
	date_format(p->end_day, end, sizeof(end));
	return json_pack("{s:s, s:s, s:s, s:s, s:i}", "start", start, "end", end, "label", p->label,
			 "unit", unit_names[p->unit], "count", p->count);
}

static int period_from_json(const json_t *j, struct period *p)
{
	const char *start = NULL, *end = NULL, *label = "", *unit = "span";
	int count = 1;
	if (!j || json_unpack((json_t *)j, "{s:s, s:s, s?:s, s?:s, s?:i}", "start", &start, "end", &end, "label",
			      &label, "unit", &unit, "count", &count))
		return -1;
	if (!date_parse(start, &p->start_day) || !date_parse(end, &p->end_day))
		return -1;
	int u = index_of(unit_names, COUNT(unit_names), unit);
	p->unit = u < 0 ? UNIT_SPAN : (enum time_unit)u;
	p->count = count;
	snprintf(p->label, sizeof(p->label), "%s", label);
	return 0;
}

static json_t *dim_to_json(const struct dim_ref *d)
{
	if (d->dim == DIM_TAG)
		return json_pack("{s:s, s:s}", "dimension", "tag", "tag_key", d->tag_key);
	return json_pack("{s:s}", "dimension", dimension_name(d->dim));
}

static void dim_from_json(const json_t *j, struct dim_ref *d)
{
	memset(d, 0, sizeof(*d));
	const char *name = json_string_value(json_object_get(j, "dimension"));
	d->dim = name ? dimension_from_name(name) : DIM_NONE;
	const char *key = json_string_value(json_object_get(j, "tag_key"));
	if (d->dim == DIM_TAG && key)
		snprintf(d->tag_key, sizeof(d->tag_key), "%s", key);
}

bool plan_answers(const struct plan *p)
{
	return p->intent != INTENT_REFUSE && p->intent != INTENT_CLARIFY && p->intent != INTENT_HELP;
}

json_t *plan_to_json(const struct plan *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "intent", json_string(intent_name(p->intent)));
	json_object_set_new(o, "measure", json_string(measure_name(p->measure)));
	if (p->usage_unit[0])
		json_object_set_new(o, "usage_unit", json_string(p->usage_unit));
	json_object_set_new(o, "group_by", dim_to_json(&p->group));
	if (p->group2.dim != DIM_NONE)
		json_object_set_new(o, "group_by2", dim_to_json(&p->group2));
	json_object_set_new(o, "grain", json_string(grain_name(p->grain)));
	json_object_set_new(o, "range", period_to_json(&p->range));
	json_object_set_new(o, "range_defaulted", json_boolean(p->range_defaulted));
	if (p->intent == INTENT_COMPARE_PERIODS || p->intent == INTENT_MOVERS) {
		json_t *periods = json_array();
		json_array_append_new(periods, period_to_json(&p->periods[0]));
		json_array_append_new(periods, period_to_json(&p->periods[1]));
		json_object_set_new(o, "periods", periods);
	}
	if (p->has_range_before)
		json_object_set_new(o, "range_before", period_to_json(&p->range_before));
	json_t *filters = json_array();
	for (int i = 0; i < p->nfilters; i++) {
		const struct filter *f = &p->filters[i];
		json_t *jf = dim_to_json(&f->col);
		json_object_set_new(jf, "op", json_string(filter_op_names[f->op]));
		json_t *values = json_array();
		for (int v = 0; v < f->nvalues; v++)
			json_array_append_new(values, json_string(f->values[v]));
		json_object_set_new(jf, "values", values);
		json_array_append_new(filters, jf);
	}
	json_object_set_new(o, "filters", filters);
	json_object_set_new(o, "limit", json_integer(p->limit));
	json_object_set_new(o, "ascending", json_boolean(p->ascending));
	if (p->has_threshold)
		json_object_set_new(o, "threshold", json_pack("{s:f, s:s}", "value", p->threshold, "op",
							     p->threshold_below ? "<" : ">"));
	if (p->share_of_total)
		json_object_set_new(o, "share_of_total", json_true());
	if (p->run_rate)
		json_object_set_new(o, "run_rate", json_true());
	json_object_set_new(o, "chart", json_string(chart_name(p->chart)));
	if (p->message[0])
		json_object_set_new(o, "message", json_string(p->message));
	if (p->clarify_question[0])
		json_object_set_new(o, "clarify", json_pack("{s:s, s:s}", "question", p->clarify_question, "word",
							    p->clarify_word));
	if (p->intent == INTENT_INSIGHT) {
		json_object_set_new(o, "insight", json_string(p->insight));
		json_object_set_new(o, "months", json_integer(p->months));
		json_object_set_new(o, "topic", json_string(p->topic));
	}
	if (p->nchoices) {
		json_t *choices = json_array();
		for (int i = 0; i < p->nchoices; i++)
			json_array_append_new(choices, json_string(p->choices[i]));
		json_object_set_new(o, "choices", choices);
	}
	return o;
}

int plan_from_json(const json_t *j, struct plan *p)
{
	plan_init(p);
	if (!json_is_object(j))
		return -1;
	int v = index_of(intent_names, COUNT(intent_names), json_string_value(json_object_get(j, "intent")));
	int m = index_of(measure_names, COUNT(measure_names), json_string_value(json_object_get(j, "measure")));
	int g = index_of(grain_names, COUNT(grain_names), json_string_value(json_object_get(j, "grain")));
	int c = index_of(chart_names, COUNT(chart_names), json_string_value(json_object_get(j, "chart")));
	if (v < 0 || m < 0)
		return -1;
	p->intent = (enum intent)v;
	p->measure = (enum measure)m;
	p->grain = g < 0 ? GRAIN_NONE : (enum grain)g;
	p->chart = c < 0 ? CHART_AUTO : (enum chart_kind)c;
	const char *unit = json_string_value(json_object_get(j, "usage_unit"));
	if (unit)
		snprintf(p->usage_unit, sizeof(p->usage_unit), "%s", unit);
	dim_from_json(json_object_get(j, "group_by"), &p->group);
	if (json_object_get(j, "group_by2"))
		dim_from_json(json_object_get(j, "group_by2"), &p->group2);
	if (p->group2.dim != DIM_NONE && (p->intent != INTENT_BREAKDOWN || p->group.dim == DIM_NONE))
		return -1; /* only a breakdown holds two groupings */
	/* A breakdown is one row per group: without one there is no query. */
	if (p->intent == INTENT_BREAKDOWN && p->group.dim == DIM_NONE)
		return -1;
	if (period_from_json(json_object_get(j, "range"), &p->range))
		return -1;
	p->range_defaulted = json_is_true(json_object_get(j, "range_defaulted"));
	json_t *periods = json_object_get(j, "periods");
	for (size_t i = 0; i < 2 && i < json_array_size(periods); i++)
		if (period_from_json(json_array_get(periods, i), &p->periods[i]))
			return -1;
	json_t *before = json_object_get(j, "range_before");
	if (before) {
		if (period_from_json(before, &p->range_before))
			return -1;
		p->has_range_before = true;
	}
	json_t *filters = json_object_get(j, "filters");
	for (size_t i = 0; i < json_array_size(filters) && p->nfilters < PLAN_MAX_FILTERS; i++) {
		json_t *jf = json_array_get(filters, i);
		struct filter *f = &p->filters[p->nfilters];
		memset(f, 0, sizeof(*f));
		dim_from_json(jf, &f->col);
		/* A filter on no known column would compile to SQL without one. */
		if (f->col.dim == DIM_NONE)
			return -1;
		int op = index_of(filter_op_names, COUNT(filter_op_names), json_string_value(json_object_get(jf, "op")));
		if (op < 0)
			return -1;
		f->op = (enum filter_op)op;
		json_t *values = json_object_get(jf, "values");
		for (size_t k = 0; k < json_array_size(values) && f->nvalues < PLAN_MAX_VALUES; k++) {
			const char *s = json_string_value(json_array_get(values, k));
			if (s)
				snprintf(f->values[f->nvalues++], PLAN_NAME_MAX, "%s", s);
		}
		p->nfilters++;
	}
	p->limit = (int)json_integer_value(json_object_get(j, "limit"));
	p->ascending = json_is_true(json_object_get(j, "ascending"));
	p->share_of_total = json_is_true(json_object_get(j, "share_of_total"));
	p->run_rate = json_is_true(json_object_get(j, "run_rate"));
	json_t *threshold = json_object_get(j, "threshold");
	if (threshold) {
		p->has_threshold = true;
		p->threshold = json_number_value(json_object_get(threshold, "value"));
		const char *op = json_string_value(json_object_get(threshold, "op"));
		p->threshold_below = op && strcmp(op, "<") == 0;
	}
	const char *message = json_string_value(json_object_get(j, "message"));
	if (message)
		snprintf(p->message, sizeof(p->message), "%s", message);
	json_t *clarify = json_object_get(j, "clarify");
	const char *cq = json_string_value(json_object_get(clarify, "question"));
	const char *cw = json_string_value(json_object_get(clarify, "word"));
	if (cq && cw) {
		snprintf(p->clarify_question, sizeof(p->clarify_question), "%s", cq);
		snprintf(p->clarify_word, sizeof(p->clarify_word), "%s", cw);
	}
	json_t *choices = json_object_get(j, "choices");
	for (size_t i = 0; i < json_array_size(choices) && p->nchoices < 6; i++) {
		const char *s = json_string_value(json_array_get(choices, i));
		if (s)
			snprintf(p->choices[p->nchoices++], PLAN_NAME_MAX, "%s", s);
	}
	if (p->intent == INTENT_INSIGHT) {
		const char *name = json_string_value(json_object_get(j, "insight"));
		const char *topic = json_string_value(json_object_get(j, "topic"));
		json_int_t months = json_integer_value(json_object_get(j, "months"));
		if (!name || !*name || strlen(name) >= sizeof(p->insight) || months < 0 || months > 120)
			return -1;
		snprintf(p->insight, sizeof(p->insight), "%s", name);
		snprintf(p->topic, sizeof(p->topic), "%s", topic ? topic : "");
		p->months = (int)months;
	}
	return 0;
}

void plan_drop_redundant_exclusions(struct plan *p)
{
	for (int i = p->nfilters - 1; i >= 0; i--) {
		const struct filter *x = &p->filters[i];
		if (x->op != FILTER_NOT_IN)
			continue;
		bool limited = false;
		for (int k = 0; k < p->nfilters; k++) {
			const struct filter *in = &p->filters[k];
			if (in->op != FILTER_IN || !dim_ref_eq(&in->col, &x->col))
				continue;
			/* redundant only when no excluded value is among those kept */
			limited = true;
			for (int a = 0; a < x->nvalues && limited; a++)
				for (int b = 0; b < in->nvalues && limited; b++)
					limited = strcmp(x->values[a], in->values[b]) != 0;
		}
		if (limited) {
			memmove(&p->filters[i], &p->filters[i + 1], (size_t)(p->nfilters - i - 1) * sizeof(p->filters[0]));
			p->nfilters--;
		}
	}
}
