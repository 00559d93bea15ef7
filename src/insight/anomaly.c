/*
 * anomaly: `finq anomalies` (insight_anomalies).
 *
 * Reads the daily cost of every series watched (per service x usage type,
 * per account, per service: one grouped query each), lets series.c find the
 * spikes, drops and level shifts of each, and then makes the alert count
 * honest: an event is attributed to the account, service or usage type that
 * carried it (one small query per event, kept as evidence), and the same
 * event seen in several series is reported once, in the smallest series
 * that shows it, with the others listed as its evidence.
 *
 * Only daily charges are read (anomaly_charges_sql): fees, taxes, credits,
 * refunds, upfront fees and one-time purchases are lumps (sql/charges.c),
 * booked once, and neither usage nor a level shift.
 */
#include "anomaly.h"

#include "charges.h"
#include "date.h"
#include "insight.h"
#include "series.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void anomaly_charges_sql(struct strbuf *sql, bool daily)
{
	charges_monthly_sql(sql, daily);
}

void anomaly_month_label(int day, char *buf, size_t size)
{
	date_month_label(day, buf, size);
}

static json_t *money_format(const char *currency)
{
	return json_pack("{s:s, s:s}", "format", "currency", "currency", currency ? currency : "USD");
}

json_t *anomaly_daily_chart(const char *title, const char *currency, int first_day, int ndays)
{
	json_t *labels = json_array();
	for (int d = 0; d < ndays; d++) {
		char date[16];
		date_format(first_day + d, date, sizeof(date));
		json_array_append_new(labels, json_string(date));
	}
	return json_pack("{s:s, s:s, s:{s:o, s:[]}, s:{s:{s:{s:b, s:s}, s:o}, s:{s:{s:b, s:o}}, s:{s:s, s:b}}}",
			 "type", "line", "title", title, "data", "labels", labels, "datasets", "options", "plugins",
			 "title", "display", 1, "text", title, "tooltip", money_format(currency), "scales", "y",
			 "beginAtZero", 1, "ticks", money_format(currency), "interaction", "mode", "index", "intersect", 0);
}

json_t *anomaly_chart_dataset(json_t *chart, const char *label, const double *values, int n)
{
	json_t *data = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(data, isfinite(values[i]) ? json_real(round(values[i] * 100) / 100) : json_null());
	json_t *ds = json_pack("{s:s, s:o}", "label", label, "data", data);
	json_array_append_new(json_object_get(json_object_get(chart, "data"), "datasets"), ds);
	return ds;
}

/* --- the series watched ------------------------------------------------ */

enum field { F_SERVICE, F_ACCOUNT, F_USAGE_TYPE, F_COUNT };

static const struct {
	const char *column, *label;
} fields[F_COUNT] = {
	[F_SERVICE] = { "service_code", "service" },
	[F_ACCOUNT] = { "account_id", "account" },
	[F_USAGE_TYPE] = { "usage_type", "usage type" },
};

/* One grouped query each, from the most specific series to the least. */
struct level {
	const char *name;
	int nkeys;
	enum field keys[2];
};
static const struct level levels[] = {
	{ "service × usage type", 2, { F_SERVICE, F_USAGE_TYPE } },
	{ "service", 1, { F_SERVICE } },
	{ "account", 1, { F_ACCOUNT } },
};

/* Attribution compares the event with this many days before it. */
#define ATTRIBUTION_DAYS 28
/* ... and names what carried at least this share of the excess. */
#define ATTRIBUTION_SHARE 0.5
/* Level shifts in two series this many days apart are the same step. */
#define SAME_SHIFT_DAYS 7
#define DEFAULT_LIMIT 20
#define CHART_SERIES 3
/* Scores beyond this (a day on a series that is usually 0) say no more. */
#define SCORE_MAX 999

struct watched {
	const struct level *level;
	char *key[F_COUNT]; /* owned; NULL where the level has no such key or the value is empty */
	double *x;          /* daily cost over the run's days */
	double typical;     /* median daily cost: the smaller, the more specific */
	struct series_analysis a;
};

struct alert {
	struct watched *series;
	const struct series_event *ev;
	char *who[F_COUNT];        /* owned: the series' keys and what attribution found */
	bool attributed[F_COUNT];  /* who[f] came from attribution */
	double share;              /* of the excess the attributed part carried */
	long primary;              /* the reported alert this one is evidence for; -1: itself */
};

struct run {
	const struct insight_request *req;
	json_t *result;
	struct strbuf where; /* the scope and the daily charges */
	const char *cost;
	int first_day, ndays;
	double min_impact;
	struct watched *series;
	size_t nseries, alloc_series;
	struct alert *alerts;
	size_t nalerts, alloc_alerts;
	size_t per_level[COUNT(levels)];
};

static bool same_key(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const char *cell_text(const struct cell *c)
{
	return (c->kind == CELL_TEXT || c->kind == CELL_DATE) && c->v.s[0] ? c->v.s : NULL;
}

/* The daily cost of every series of one level, from one grouped query. */
static int load_level(struct run *r, const struct level *lv, struct err *e)
{
	struct strbuf cols = STRBUF_INIT;
	for (int k = 0; k < lv->nkeys; k++)
		strbuf_addf(&cols, "%s, ", fields[lv->keys[k]].column);
	struct table t;
	table_init(&t);
	int rc = insight_query(r->req, r->result, &t, e,
			       "SELECT %s$day_number(usage_date) AS day, sum(%s) AS cost\n"
			       "FROM costs WHERE %s\nGROUP BY %susage_date ORDER BY %susage_date",
			       cols.buf, r->cost, r->where.buf, cols.buf, cols.buf);
	strbuf_release(&cols);
	if (rc) {
		table_release(&t);
		return -1;
	}
	struct watched *cur = NULL;
	for (size_t row = 0; row < t.nrows; row++) {
		const char *key[2] = { NULL, NULL };
		for (int k = 0; k < lv->nkeys; k++)
			key[k] = cell_text(table_at(&t, row, (size_t)k));
		bool same = cur != NULL;
		for (int k = 0; same && k < lv->nkeys; k++)
			same = same_key(cur->key[lv->keys[k]], key[k]);
		if (!same) {
			ALLOC_GROW(r->series, r->nseries + 1, r->alloc_series);
			cur = &r->series[r->nseries++];
			memset(cur, 0, sizeof(*cur));
			cur->level = lv;
			for (int k = 0; k < lv->nkeys; k++)
				cur->key[lv->keys[k]] = key[k] ? xstrdup(key[k]) : NULL;
			cur->x = xcalloc((size_t)r->ndays, sizeof(*cur->x));
			r->per_level[lv - levels]++;
		}
		int64_t day = (int64_t)cell_number(table_at(&t, row, (size_t)lv->nkeys));
		if (day >= r->first_day && day < r->first_day + r->ndays)
			cur->x[day - r->first_day] += cell_number(table_at(&t, row, (size_t)lv->nkeys + 1));
	}
	table_release(&t);
	return 0;
}

/* --- attribution ------------------------------------------------------- */

/* The days an event is measured over: a level shift's first four weeks. */
static void event_days(const struct run *r, const struct series_event *ev, int *from, int *to)
{
	*from = r->first_day + (int)ev->start;
	*to = r->first_day + (int)ev->end;
	if (ev->kind == SERIES_LEVEL_SHIFT && *to > *from + ATTRIBUTION_DAYS - 1)
		*to = *from + ATTRIBUTION_DAYS - 1;
}

static void add_key_condition(struct strbuf *sql, enum field f, const char *value)
{
	if (value) {
		strbuf_addf(sql, " AND %s = ", fields[f].column);
		strbuf_add_sql_literal(sql, value);
	} else {
		strbuf_addf(sql, " AND coalesce(%s, '') = ''", fields[f].column);
	}
}

/*
 * Which account / service / usage type the series' event came from: the
 * fields the series does not have, grouped, during the event and in the
 * ATTRIBUTION_DAYS before it; the group with at least ATTRIBUTION_SHARE of
 * the excess (same sign as the event) is named.
 */
static int attribute(struct run *r, struct alert *al, struct err *e)
{
	const struct watched *s = al->series;
	int from, to;
	event_days(r, al->ev, &from, &to);
	int base_from = from - ATTRIBUTION_DAYS < r->first_day ? r->first_day : from - ATTRIBUTION_DAYS;
	if (base_from >= from)
		return 0;
	enum field missing[F_COUNT];
	int nmissing = 0;
	for (int f = 0; f < F_COUNT; f++) {
		bool has = false;
		for (int k = 0; k < s->level->nkeys; k++)
			has |= s->level->keys[k] == (enum field)f;
		if (!has)
			missing[nmissing++] = (enum field)f;
	}
	struct strbuf cols = STRBUF_INIT, cond = STRBUF_INIT, group = STRBUF_INIT;
	for (int k = 0; k < nmissing; k++) {
		strbuf_addf(&cols, "%s, ", fields[missing[k]].column);
		strbuf_addf(&group, "%s%s", k ? ", " : "\nGROUP BY ", fields[missing[k]].column);
	}
	for (int k = 0; k < s->level->nkeys; k++)
		add_key_condition(&cond, s->level->keys[k], s->key[s->level->keys[k]]);
	char d0[16], d1[16], b0[16], b1[16];
	date_format(from, d0, sizeof(d0));
	date_format(to, d1, sizeof(d1));
	date_format(base_from, b0, sizeof(b0));
	date_format(from - 1, b1, sizeof(b1));
	struct table t;
	table_init(&t);
	int rc = insight_query(r->req, r->result, &t, e,
			       "SELECT %s$sum_if(%s, usage_date >= $date('%s')) AS during,\n"
			       "  $sum_if(%s, usage_date < $date('%s')) AS before\n"
			       "FROM costs WHERE %s%s AND usage_date BETWEEN $date('%s') AND $date('%s')%s",
			       cols.buf, r->cost, d0, r->cost, d0, r->where.buf, cond.buf, b0, d1, group.buf);
	strbuf_release(&cols);
	strbuf_release(&group);
	strbuf_release(&cond);
	if (rc) {
		table_release(&t);
		return -1;
	}
	double scale = (double)(to - from + 1) / (double)(from - base_from);
	double sign = al->ev->impact >= 0 ? 1 : -1, total = 0, best = 0;
	size_t best_row = 0;
	for (size_t row = 0; row < t.nrows; row++) {
		double excess = cell_number(table_at(&t, row, (size_t)nmissing)) -
				scale * cell_number(table_at(&t, row, (size_t)nmissing + 1));
		total += excess;
		if (sign * excess > best) {
			best = sign * excess;
			best_row = row;
		}
	}
	if (best > 0 && sign * total > 0 && best >= ATTRIBUTION_SHARE * sign * total) {
		al->share = best / (sign * total);
		for (int k = 0; k < nmissing; k++) {
			const char *v = cell_text(table_at(&t, best_row, (size_t)k));
			al->who[missing[k]] = v ? xstrdup(v) : NULL;
			al->attributed[missing[k]] = v != NULL;
		}
	}
	table_release(&t);
	return 0;
}

/* --- one event, reported once ---------------------------------------- */

static bool same_event(const struct alert *a, const struct alert *b)
{
	if (a->ev->kind != b->ev->kind)
		return false;
	if (a->ev->kind == SERIES_LEVEL_SHIFT) {
		long gap = (long)a->ev->start - (long)b->ev->start;
		if (labs(gap) > SAME_SHIFT_DAYS)
			return false;
	} else if (a->ev->end + 1 < b->ev->start || b->ev->end + 1 < a->ev->start) {
		return false;
	}
	/* what both know must agree, and they must know something in common */
	int common = 0;
	for (int f = 0; f < F_COUNT; f++) {
		if (!a->who[f] || !b->who[f])
			continue;
		if (strcmp(a->who[f], b->who[f]) != 0)
			return false;
		common++;
	}
	return common > 0;
}

static int by_specificity(const void *pa, const void *pb)
{
	const struct alert *a = pa, *b = pb;
	if (a->series->typical != b->series->typical)
		return a->series->typical < b->series->typical ? -1 : 1;
	return (a->series->level > b->series->level) - (a->series->level < b->series->level);
}

/* Each alert is evidence for the first more specific one showing the same event. */
static void merge_alerts(struct run *r)
{
	sort_array(r->alerts, r->nalerts, sizeof(*r->alerts), by_specificity);
	for (size_t i = 0; i < r->nalerts; i++) {
		r->alerts[i].primary = -1;
		for (size_t j = 0; j < i; j++)
			if (r->alerts[j].primary < 0 && same_event(&r->alerts[j], &r->alerts[i])) {
				r->alerts[i].primary = (long)j;
				break;
			}
	}
}

/* --- the result ------------------------------------------------------- */

/* "AmazonCloudWatch DataProcessing-Bytes in account 510987654321" */
static void alert_name(const struct alert *al, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	if (al->who[F_SERVICE])
		strbuf_addstr(&sb, al->who[F_SERVICE]);
	if (al->who[F_USAGE_TYPE])
		strbuf_addf(&sb, "%s%s", sb.len ? " " : "", al->who[F_USAGE_TYPE]);
	if (al->who[F_ACCOUNT])
		strbuf_addf(&sb, "%saccount %s", sb.len ? " in " : "", al->who[F_ACCOUNT]);
	snprintf(buf, size, "%s", sb.len ? sb.buf : "(no name)");
	strbuf_release(&sb);
}

/* The series' own name: "service × usage type AmazonEC2 / NatGateway-Bytes" */
static void series_name(const struct watched *s, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	for (int k = 0; k < s->level->nkeys; k++) {
		const char *v = s->key[s->level->keys[k]];
		strbuf_addf(&sb, "%s%s", k ? " / " : "", v ? v : "(none)");
	}
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

static json_t *jdate(int day)
{
	char buf[16];
	date_format(day, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *jmoney(double v)
{
	return isfinite(v) ? json_real(round(v * 100) / 100) : json_null();
}

/*
 * The windows a "Why?" compares, as days: an event against as many days
 * just before it. A level shift is a new level, not a day: its first
 * ATTRIBUTION_DAYS days (fewer where the data or the days before it end)
 * against as many before the step, the windows the shift was found with.
 * A spike or a drop: its days against as many days before. False when
 * there are no days before the event.
 */
static bool why_windows(const struct run *r, const struct series_event *ev, int before[2], int after[2])
{
	int start = r->first_day + (int)ev->start, end = r->first_day + (int)ev->end;
	int last = r->first_day + r->ndays - 1;
	int n = end - start + 1;
	if (ev->kind == SERIES_LEVEL_SHIFT) {
		n = ATTRIBUTION_DAYS;
		if (n > last - start + 1)
			n = last - start + 1;
	}
	if (n > start - r->first_day)
		n = start - r->first_day;
	if (n < 1)
		return false;
	before[0] = start - n;
	before[1] = start - 1;
	after[0] = start;
	after[1] = start + n - 1;
	return true;
}

/* "AmazonEC2 NatGateway-Bytes account 210987654321": the series' own keys,
 * as the parser reads names (attributed keys are findings, not the scope). */
static void series_words(const struct watched *s, struct strbuf *sb)
{
	static const char *const prefix[F_COUNT] = { [F_SERVICE] = "", [F_ACCOUNT] = "account ", [F_USAGE_TYPE] = "" };
	for (int k = 0; k < s->level->nkeys; k++) {
		enum field f = s->level->keys[k];
		if (s->key[f])
			strbuf_addf(sb, "%s%s%s", sb->len ? " " : "", prefix[f], s->key[f]);
	}
}

/* A day or a span of days, as the parser reads it: "2025-06-09",
 * "2025-07-21 to 2025-08-17". */
static void days_words(const int days[2], struct strbuf *sb)
{
	char d0[16], d1[16];
	date_format(days[0], d0, sizeof(d0));
	date_format(days[1], d1, sizeof(d1));
	if (days[0] == days[1])
		strbuf_addstr(sb, d0);
	else
		strbuf_addf(sb, "%s to %s", d0, d1);
}

/* The item's "why", its question and windows: the web UI's "Why?" asks it
 * ("what drove AmazonEC2 NatGateway-Bytes, 2025-07-21 to 2025-08-17 vs
 * 2025-08-18 to 2025-09-14?"), which the drivers analysis answers. */
static void add_why(const struct run *r, const struct alert *al, json_t *j)
{
	int before[2], after[2];
	if (!why_windows(r, al->ev, before, after))
		return;
	struct strbuf scope = STRBUF_INIT, q = STRBUF_INIT;
	series_words(al->series, &scope);
	strbuf_addf(&q, "what drove %s, ", scope.len ? scope.buf : "the cost");
	strbuf_release(&scope);
	days_words(before, &q);
	strbuf_addstr(&q, " vs ");
	days_words(after, &q);
	strbuf_addch(&q, '?');
	json_object_set_new(j, "question", json_string(q.buf));
	json_object_set_new(j, "why_before", json_pack("{s:o, s:o}", "start", jdate(before[0]), "end", jdate(before[1])));
	json_object_set_new(j, "why_after", json_pack("{s:o, s:o}", "start", jdate(after[0]), "end", jdate(after[1])));
	strbuf_release(&q);
}

static json_t *alert_json(const struct run *r, const struct alert *al, size_t index)
{
	const struct series_event *ev = al->ev;
	char name[512];
	series_name(al->series, name, sizeof(name));
	size_t days = ev->end - ev->start + 1;
	json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "kind",
			      series_kind_name(ev->kind), "series", al->series->level->name, "series_name", name,
			      "start", jdate(r->first_day + (int)ev->start), "end",
			      jdate(r->first_day + (int)ev->end), "days", (json_int_t)days, "expected",
			      jmoney(ev->expected), "actual", jmoney(ev->actual), "impact", jmoney(ev->impact),
			      "expected_daily", jmoney(ev->expected / (double)days), "actual_daily",
			      jmoney(ev->actual / (double)days), "score",
			      json_real(round(fmin(ev->score, SCORE_MAX) * 10) / 10));
	json_t *attributed = json_array();
	for (int f = 0; f < F_COUNT; f++) {
		const char *key = f == F_SERVICE ? "service" : f == F_ACCOUNT ? "account" : "usage_type";
		json_object_set_new(j, key, al->who[f] ? json_string(al->who[f]) : json_null());
		if (al->attributed[f])
			json_array_append_new(attributed, json_string(key));
	}
	json_object_set_new(j, "attributed", attributed);
	if (json_array_size(attributed))
		json_object_set_new(j, "attributed_share", json_real(round(al->share * 1000) / 1000));
	if (ev->kind == SERIES_LEVEL_SHIFT) {
		json_object_set_new(j, "level_before", jmoney(ev->level_before));
		json_object_set_new(j, "level_after", jmoney(ev->level_after));
	}
	json_t *evidence = json_array();
	for (size_t i = 0; i < r->nalerts; i++) {
		const struct alert *o = &r->alerts[i];
		if (o->primary != (long)index)
			continue;
		char oname[512];
		series_name(o->series, oname, sizeof(oname));
		json_array_append_new(evidence,
				      json_pack("{s:s, s:s, s:o, s:o, s:o}", "series", o->series->level->name,
						"series_name", oname, "start", jdate(r->first_day + (int)o->ev->start),
						"end", jdate(r->first_day + (int)o->ev->end), "impact",
						jmoney(o->ev->impact)));
	}
	json_object_set_new(j, "evidence", evidence);
	add_why(r, al, j);
	return j;
}

static void alert_row(const struct run *r, const struct alert *al, struct table *t)
{
	struct cell *c = table_add_row(t);
	char d0[16], d1[16];
	date_format(r->first_day + (int)al->ev->start, d0, sizeof(d0));
	date_format(r->first_day + (int)al->ev->end, d1, sizeof(d1));
	cell_set_text(&c[0], series_kind_name(al->ev->kind));
	cell_set_text(&c[1], d0);
	cell_set_text(&c[2], d1);
	cell_set_text(&c[3], al->who[F_SERVICE]);
	cell_set_text(&c[4], al->who[F_ACCOUNT]);
	cell_set_text(&c[5], al->who[F_USAGE_TYPE]);
	cell_set_money(&c[6], al->ev->expected);
	cell_set_money(&c[7], al->ev->actual);
	cell_set_money(&c[8], al->ev->impact);
}

static void narrate_alert(const struct run *r, const struct alert *al, size_t index, struct strbuf *md)
{
	const struct series_event *ev = al->ev;
	char name[512], d0[16], d1[16], actual[48], expected[48], impact[48];
	alert_name(al, name, sizeof(name));
	date_format(r->first_day + (int)ev->start, d0, sizeof(d0));
	date_format(r->first_day + (int)ev->end, d1, sizeof(d1));
	insight_money(r->req, ev->actual, actual, sizeof(actual));
	insight_money(r->req, ev->expected, expected, sizeof(expected));
	insight_money(r->req, ev->impact, impact, sizeof(impact));
	if (ev->kind == SERIES_LEVEL_SHIFT) {
		char before[48], after[48];
		insight_money(r->req, ev->level_before, before, sizeof(before));
		insight_money(r->req, ev->level_after, after, sizeof(after));
		double pct = ev->level_before != 0 ? 100 * (ev->level_after / ev->level_before - 1) : NAN;
		strbuf_addf(md, "- **%s**: level shift from **%s**, %s/day before, %s/day after", name, d0, before, after);
		if (isfinite(pct))
			strbuf_addf(md, " (%+.0f%%)", pct);
		strbuf_addf(md, "; %s to %s: %s against %s at the old level = **%s**", d0, d1, actual, expected, impact);
	} else {
		strbuf_addf(md, "- **%s**: %s ", name, series_kind_name(ev->kind));
		if (ev->start == ev->end)
			strbuf_addf(md, "on **%s**", d0);
		else
			strbuf_addf(md, "**%s to %s**", d0, d1);
		strbuf_addf(md, ", %s against %s expected = **%s** (robust z %s%.1f)", actual, expected, impact,
			    ev->score > SCORE_MAX ? "over " : "", fmin(ev->score, SCORE_MAX));
	}
	if (al->share > 0) {
		static const char *const words[F_COUNT] = { "service", "account", "usage type" };
		const char *carried = NULL;
		for (int f = 0; f < F_COUNT && !carried; f++)
			if (al->attributed[f])
				carried = words[f];
		strbuf_addf(md, "; the %s named carried %.0f%% of the change", carried ? carried : "part", 100 * al->share);
	}
	int nevidence = 0;
	for (size_t i = 0; i < r->nalerts; i++) {
		const struct alert *o = &r->alerts[i];
		if (o->primary != (long)index)
			continue;
		char oname[512];
		series_name(o->series, oname, sizeof(oname));
		strbuf_addf(md, "%s%s %s", nevidence++ ? ", " : "; also seen in ", o->series->level->name, oname);
	}
	strbuf_addch(md, '\n');
}

static int by_impact(const void *pa, const void *pb)
{
	const struct alert *a = *(const struct alert *const *)pa, *b = *(const struct alert *const *)pb;
	double x = fabs(a->ev->impact), y = fabs(b->ev->impact);
	return (x < y) - (x > y);
}

/* The top series as lines, their reported days as points. */
static void add_chart(struct run *r, const struct alert *const *shown, size_t nshown)
{
	json_t *chart = anomaly_daily_chart("Daily cost of the series with anomalies", r->req->currency,
					    r->first_day, r->ndays);
	double *marks = xmalloc((size_t)r->ndays * sizeof(*marks));
	const struct watched *drawn[CHART_SERIES];
	size_t ndrawn = 0;
	for (size_t i = 0; i < nshown && ndrawn < CHART_SERIES; i++) {
		const struct watched *s = shown[i]->series;
		bool seen = false;
		for (size_t k = 0; k < ndrawn; k++)
			seen |= drawn[k] == s;
		if (seen)
			continue;
		drawn[ndrawn++] = s;
		char name[512], label[600];
		alert_name(shown[i], name, sizeof(name));
		series_name(s, label, sizeof(label));
		json_t *line = anomaly_chart_dataset(chart, label, s->x, r->ndays);
		json_object_set_new(line, "fill", json_false());
		json_object_set_new(line, "pointRadius", json_integer(0));
		for (int d = 0; d < r->ndays; d++)
			marks[d] = NAN;
		for (size_t k = 0; k < nshown; k++) {
			if (shown[k]->series != s)
				continue;
			const struct series_event *ev = shown[k]->ev;
			size_t end = ev->kind == SERIES_LEVEL_SHIFT ? ev->start : ev->end;
			for (size_t d = ev->start; d <= end; d++)
				marks[d] = s->x[d];
		}
		snprintf(label, sizeof(label), "%s: anomaly days", name);
		json_t *points = anomaly_chart_dataset(chart, label, marks, r->ndays);
		json_object_set_new(points, "showLine", json_false());
		json_object_set_new(points, "pointRadius", json_integer(5));
		/* the tooltip names the marks; a legend entry each would crowd out the lines */
		json_object_set_new(points, "legend", json_false());
	}
	free(marks);
	if (ndrawn)
		json_array_append_new(json_object_get(r->result, "charts"), chart);
	else
		json_decref(chart);
}

static void add_suggestions(struct run *r, const struct alert *const *shown, size_t nshown)
{
	char buf[600];
	if (nshown) {
		const struct alert *top = shown[0];
		char month[32];
		anomaly_month_label(r->first_day + (int)top->ev->start, month, sizeof(month));
		const char *what = top->who[F_SERVICE] ? top->who[F_SERVICE] : top->who[F_ACCOUNT];
		if (what) {
			snprintf(buf, sizeof(buf), "what drove %s in %s?", what, month);
			insight_add_suggestion(r->result, buf);
			snprintf(buf, sizeof(buf), "daily %s cost in %s", what, month);
			insight_add_suggestion(r->result, buf);
		}
	}
	insight_add_suggestion(r->result, "forecast this month");
	insight_add_suggestion(r->result, "what drove the change last month?");
}

static void finish(struct run *r)
{
	const struct insight_request *req = r->req;
	int range_from = r->first_day, range_to = r->first_day + r->ndays;
	if (!req->scope.range_defaulted) {
		range_from = req->scope.range.start_day;
		range_to = req->scope.range.end_day;
	}
	const struct alert **shown = xcalloc(r->nalerts + 1, sizeof(*shown));
	size_t nshown = 0, nmerged = 0, nspikes = 0, nshifts = 0;
	for (size_t i = 0; i < r->nalerts; i++) {
		const struct alert *al = &r->alerts[i];
		int from = r->first_day + (int)al->ev->start, to = r->first_day + (int)al->ev->end + 1;
		if (to <= range_from || from >= range_to)
			continue;
		if (al->primary >= 0) {
			nmerged++;
			continue;
		}
		shown[nshown++] = al;
	}
	sort_array(shown, nshown, sizeof(*shown), by_impact);
	size_t limit = req->limit > 0 ? (size_t)req->limit : DEFAULT_LIMIT;
	size_t nfound = nshown;
	if (nshown > limit)
		nshown = limit;
	for (size_t i = 0; i < nfound; i++)
		shown[i]->ev->kind == SERIES_LEVEL_SHIFT ? nshifts++ : nspikes++;

	char scope[512], from[16], to[16], minimum[48], title[800];
	insight_scope_words(req, scope, sizeof(scope));
	date_format(range_from, from, sizeof(from));
	date_format(range_to - 1, to, sizeof(to));
	insight_money(req, r->min_impact, minimum, sizeof(minimum));
	snprintf(title, sizeof(title), "%zu anomal%s and %zu level shift%s%s%s, %s to %s", nspikes,
		 nspikes == 1 ? "y" : "ies", nshifts, nshifts == 1 ? "" : "s", *scope ? " in " : "", scope, from,
		 to);
	json_object_set_new(r->result, "title", json_string(title));

	struct strbuf md = STRBUF_INIT;
	strbuf_addf(&md,
		    "Watched the daily %s of %zu series (%zu service × usage type, %zu service, %zu account) "
		    "from %s to %s. ",
		    measure_label(req->scope.measure), r->nseries, r->per_level[0], r->per_level[1],
		    r->per_level[2], from, to);
	if (!nfound)
		strbuf_addf(&md, "Nothing unusual with an impact of %s or more.\n", minimum);
	else
		strbuf_addf(&md, "Found **%zu anomal%s** and **%zu level shift%s** with an impact of %s or more",
			    nspikes, nspikes == 1 ? "y" : "ies", nshifts, nshifts == 1 ? "" : "s", minimum);
	if (nfound && nmerged)
		strbuf_addf(&md, "; %zu more alert%s in other series %s the same event%s, listed as evidence",
			    nmerged, nmerged == 1 ? "" : "s", nmerged == 1 ? "was" : "were", nmerged == 1 ? "" : "s");
	if (nfound)
		strbuf_addstr(&md, ".\n\n");
	json_t *items = json_object_get(r->result, "items");
	struct table t;
	table_init(&t);
	static const char *const columns[] = { "kind", "start", "end", "service", "account", "usage_type",
					       "expected_cost", "actual_cost", "impact_cost" };
	enum cell_kind kinds[COUNT(columns)];
	for (size_t c = 0; c < COUNT(columns); c++)
		kinds[c] = c >= 6 ? CELL_REAL : CELL_TEXT;
	table_set_columns(&t, COUNT(columns), columns, kinds);
	for (size_t i = 0; i < nshown; i++) {
		size_t index = (size_t)(shown[i] - r->alerts);
		json_array_append_new(items, alert_json(r, shown[i], index));
		alert_row(r, shown[i], &t);
		narrate_alert(r, shown[i], index, &md);
	}
	if (nfound > nshown)
		strbuf_addf(&md, "- and %zu smaller ones (raise --limit to see them)\n", nfound - nshown);
	insight_set_table(r->result, &t);
	table_release(&t);
	insight_set_message(r->result, md.buf);
	strbuf_release(&md);

	struct strbuf method = STRBUF_INIT;
	struct strbuf lumps = STRBUF_INIT;
	charges_words(&lumps, CHARGES_ALL);
	strbuf_addf(&method,
		    "Daily %s per service, account and service × usage type (daily charges only: %s are left "
		    "out). Baseline: a weekday profile (median ratio of each weekday to its centred 7-day mean) "
		    "times a centred 29-day rolling median, split at level shifts. A day is unusual at a robust "
		    "z-score of 4 or more (residual over 1.4826 × the weekday's MAD of relative residuals); a "
		    "level shift is a step of at least 20%% and 3 times the daily noise between the medians of "
		    "the 28 days either side, still there two weeks on. Events under %s (1%% of the average "
		    "daily cost), and level shifts that move the daily cost by less, are ignored. An event seen in several series is reported once, in the smallest "
		    "series, after naming the account, service or usage type that carried at least half of it.",
		    measure_label(req->scope.measure), lumps.buf, minimum);
	strbuf_release(&lumps);
	insight_set_method(r->result, method.buf);
	strbuf_release(&method);
	add_chart(r, shown, nshown);
	add_suggestions(r, shown, nshown);
	free(shown);
}

static void run_release(struct run *r)
{
	for (size_t i = 0; i < r->nseries; i++) {
		for (int f = 0; f < F_COUNT; f++)
			free(r->series[i].key[f]);
		free(r->series[i].x);
		series_analysis_release(&r->series[i].a);
	}
	free(r->series);
	for (size_t i = 0; i < r->nalerts; i++)
		for (int f = 0; f < F_COUNT; f++)
			free(r->alerts[i].who[f]);
	free(r->alerts);
	strbuf_release(&r->where);
}

static int anomalies_run(const struct insight_request *req, json_t **out, struct err *e)
{
	struct run r = { .req = req, .cost = insight_cost_column(req) };
	r.result = insight_result("anomalies", "Anomalies");
	strbuf_init(&r.where, 0);
	insight_scope_sql(req, &r.where);
	strbuf_addstr(&r.where, " AND ");
	anomaly_charges_sql(&r.where, true);

	struct table span;
	table_init(&span);
	int rc = insight_query(req, r.result, &span, e,
			       "SELECT $day_number(min(usage_date)) AS first_day,\n"
			       "  $day_number(max(usage_date)) AS last_day, sum(%s) AS total\n"
			       "FROM costs WHERE %s",
			       r.cost, r.where.buf);
	if (rc == 0 && (span.nrows == 0 || table_at(&span, 0, 0)->kind == CELL_NULL)) {
		insight_set_message(r.result, "There is no daily cost in this scope to look for anomalies in.");
		table_release(&span);
		goto done;
	}
	if (rc) {
		table_release(&span);
		goto fail;
	}
	r.first_day = (int)cell_number(table_at(&span, 0, 0));
	r.ndays = (int)cell_number(table_at(&span, 0, 1)) - r.first_day + 1;
	r.min_impact = fmax(1, 0.01 * cell_number(table_at(&span, 0, 2)) / r.ndays);
	table_release(&span);

	for (size_t i = 0; i < COUNT(levels); i++)
		if (load_level(&r, &levels[i], e))
			goto fail;
	struct series_params params;
	series_params_init(&params);
	params.min_impact = r.min_impact;
	int first_weekday = date_weekday(r.first_day);
	for (size_t i = 0; i < r.nseries; i++) {
		struct watched *s = &r.series[i];
		s->typical = series_median(s->x, (size_t)r.ndays);
		series_analyze(s->x, (size_t)r.ndays, first_weekday, &params, &s->a);
		for (size_t k = 0; k < s->a.nevents; k++) {
			ALLOC_GROW(r.alerts, r.nalerts + 1, r.alloc_alerts);
			struct alert *al = &r.alerts[r.nalerts++];
			memset(al, 0, sizeof(*al));
			al->series = s;
			al->ev = &s->a.events[k];
			for (int f = 0; f < F_COUNT; f++)
				al->who[f] = s->key[f] ? xstrdup(s->key[f]) : NULL;
		}
	}
	for (size_t i = 0; i < r.nalerts; i++)
		if (attribute(&r, &r.alerts[i], e))
			goto fail;
	merge_alerts(&r);
	finish(&r);
done:
	run_release(&r);
	*out = r.result;
	return 0;
fail:
	run_release(&r);
	json_decref(r.result);
	*out = NULL;
	return -1;
}

const struct insight insight_anomalies = {
	.name = "anomalies",
	.summary = "Unusual days and level shifts in the daily cost per service, account and usage type",
	.run = anomalies_run,
};
