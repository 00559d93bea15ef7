/*
 * lumps: the lumps on each side of a comparison of periods (see lumps.h).
 */
#include "lumps.h"

#include "charges.h"
#include "date.h"
#include "sandbox.h"
#include "dialect.h"
#include "sqlgen.h"
#include "strbuf.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A difference in lumps below this share of the larger total does not
 * change the reading of a comparison. */
#define MATERIAL_SHARE 0.01
/* An item's change is "mostly" lumps when they make at least this share
 * of it. */
#define MOSTLY_SHARE 0.5
/* The most (item, day) rows of lumps a grouped comparison reads; past it,
 * no note (a partial one would be wrong). */
#define MAX_ITEM_ROWS 20000

struct side {
	double total, lumps;
	int first_day, last_day, ndays;
};

/* Add one day's total and lumps to the side it falls in. */
static void side_add(struct side *s, int day, double total, double lumps)
{
	s->total += total;
	if (lumps == 0)
		return;
	s->lumps += lumps;
	if (!s->ndays || day < s->first_day)
		s->first_day = day;
	if (!s->ndays || day > s->last_day)
		s->last_day = day;
	s->ndays++;
}

static bool in_period(const struct period *r, int day)
{
	return day >= r->start_day && day < r->end_day;
}

/* One statement for all sides: per day of any of the n periods, the
 * plan's measure under its filters, in all and in lumps, from the smallest
 * table that holds its columns (sqlgen_source); side i sums the days of
 * per[i]. */
static int read_sides(struct ask_context *ctx, const struct plan *p, const struct period *const *per, size_t n,
		      struct side *sides)
{
	memset(sides, 0, n * sizeof(*sides));
	struct strbuf filters = STRBUF_INIT, lumps = STRBUF_INIT, days = STRBUF_INIT, sql = STRBUF_INIT;
	sqlgen_source_filters(p, ctx->dialect, ctx->summaries, &filters);
	charges_monthly_sql(&lumps, false);
	for (size_t i = 0; i < n; i++) {
		char from[16], to[16];
		date_format(per[i]->start_day, from, sizeof(from));
		date_format(per[i]->end_day, to, sizeof(to));
		strbuf_addf(&days, "%s(usage_date >= $date('%s') AND usage_date < $date('%s'))", i ? "\n  OR " : "",
			    from, to);
	}
	const char *cost = sqlgen_measure_column(p->measure);
	struct err ignored = { 0 };
	struct table t;
	table_init(&t);
	struct sandbox_limits limits = { .max_rows = 1000, .timeout_seconds = ctx->timeout_seconds,
					 .cancelled = ctx->cancelled, .cancel_arg = ctx->cancel_arg };
	int rc = sql_expandf(ctx->dialect, &sql, &ignored,
			     "SELECT $day_number(usage_date) AS day, sum(%s) AS total,\n"
			     "  sum(CASE WHEN %s THEN %s ELSE 0 END) AS lumps\n"
			     "FROM %s\nWHERE (%s) AND (%s)\nGROUP BY usage_date",
			     cost, lumps.buf, cost, sqlgen_source(p, ctx->summaries), filters.buf, days.buf);
	if (rc == 0)
		rc = sandbox_query(ctx->db, sql.buf, &limits, &t, &ignored);
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		int day = (int)cell_number(table_at(&t, r, 0));
		double total = cell_number(table_at(&t, r, 1)), lump = cell_number(table_at(&t, r, 2));
		for (size_t i = 0; i < n; i++)
			if (in_period(per[i], day))
				side_add(&sides[i], day, total, lump);
	}
	table_release(&t);
	strbuf_release(&filters);
	strbuf_release(&lumps);
	strbuf_release(&days);
	strbuf_release(&sql);
	return rc;
}

/* Whether lumps a and b of two sides whose totals are ta and tb are on one
 * side only: they differ by a material share of the larger total and the
 * smaller is hardly any of the larger. */
static bool one_sided(double a, double b, double ta, double tb)
{
	double big = fmax(fabs(a), fabs(b)), small = fmin(fabs(a), fabs(b));
	double scale = fmax(fabs(ta), fabs(tb));
	return fabs(b - a) >= MATERIAL_SHARE * scale && small < CHARGES_ONE_SIDE_SHARE * big;
}

/* The plan's choice of charge types leaves nothing to tell apart. */
static bool picks_charge_types(const struct plan *p)
{
	for (int i = 0; i < p->nfilters; i++)
		if (p->filters[i].col.dim == DIM_CHARGE_TYPE && p->filters[i].op == FILTER_IN)
			return true;
	return false;
}

/* Copy a side's lumps and days into an answer_lumps. */
static void lumps_from_sides(const struct side *a, const struct side *b, struct answer_lumps *out)
{
	const struct side *big = fabs(b->lumps) >= fabs(a->lumps) ? b : a;
	out->earlier = a->lumps;
	out->later = b->lumps;
	out->first_day = big->first_day;
	out->last_day = big->last_day;
	out->ndays = big->ndays;
}

/* out (zeroed) for sides a and b when their lumps are on one side only. */
static void compare_sides(const struct side *a, const struct side *b, struct answer_lumps *out)
{
	memset(out, 0, sizeof(*out));
	if (!one_sided(a->lumps, b->lumps, a->total, b->total))
		return;
	lumps_from_sides(a, b, out);
	out->one_sided = true;
}

int lumps_compare(struct ask_context *ctx, const struct plan *p, const struct period *earlier,
		  const struct period *later, struct answer_lumps *out)
{
	memset(out, 0, sizeof(*out));
	if (p->measure == MEASURE_USAGE)
		return 0;
	/* charge types the user picked: they chose what to count ("excluding
	 * taxes" still has fees to tell apart, and side_plan's filter goes
	 * along with it) */
	if (picks_charge_types(p))
		return 0;
	const struct period *per[] = { earlier, later };
	struct side sides[2];
	if (read_sides(ctx, p, per, 2, sides))
		return -1;
	compare_sides(&sides[0], &sides[1], out);
	return 0;
}

/* A day cell ("2025-11-01", or a timestamp that starts with it). */
static bool cell_day(const struct cell *c, int *day)
{
	char buf[11];
	if ((c->kind != CELL_DATE && c->kind != CELL_TEXT) || !c->v.s || strlen(c->v.s) < 10)
		return false;
	memcpy(buf, c->v.s, 10);
	buf[10] = '\0';
	return date_parse(buf, day);
}

/* The bucket of a trend that starts on day, within range: a day, an ISO
 * week, a month, a quarter or a year. */
static struct period bucket_of(const struct plan *p, int day)
{
	static const int months[] = { [GRAIN_MONTH] = 1, [GRAIN_QUARTER] = 3, [GRAIN_YEAR] = 12 };
	struct period b = { .start_day = day };
	if (p->grain == GRAIN_WEEK)
		b.end_day = date_week_start(day) + 7;
	else if ((size_t)p->grain < sizeof(months) / sizeof(months[0]) && months[p->grain])
		b.end_day = date_add_months(date_month_start(day), months[p->grain]);
	else
		b.end_day = day + 1;
	if (b.start_day < p->range.start_day)
		b.start_day = p->range.start_day;
	if (b.end_day > p->range.end_day)
		b.end_day = p->range.end_day;
	return b;
}

/* The first and last buckets of a trend with cost, its peak bucket and
 * the total of the next highest, from the answer's "period" and measure
 * columns; rows come by period (a split trend has a row per series in
 * each). False when the answer has no such columns or one bucket. */
struct buckets {
	int first, last, peak;
	double peak_total, second_total;
};

static bool find_buckets(const struct plan *p, const struct table *answer, struct buckets *b)
{
	int col = table_column(answer, "period"), value = table_column(answer, sqlgen_measure_column(p->measure));
	memset(b, 0, sizeof(*b));
	b->peak_total = b->second_total = -INFINITY;
	if (col < 0 || value < 0)
		return false;
	int day = 0;
	double sum = 0;
	for (size_t r = 0; r <= answer->nrows; r++) {
		int d = 0;
		if (r < answer->nrows && !cell_day(table_at(answer, r, (size_t)col), &d))
			continue;
		if (day && d != day) {
			if (sum > b->peak_total) {
				b->second_total = b->peak_total;
				b->peak_total = sum;
				b->peak = day;
			} else if (sum > b->second_total) {
				b->second_total = sum;
			}
			sum = 0;
		}
		if (d && (!b->first || d < b->first))
			b->first = d;
		if (d > b->last)
			b->last = d;
		day = d;
		if (r < answer->nrows)
			sum += cell_number(table_at(answer, r, (size_t)value));
	}
	return b->first && b->first != b->last;
}

int lumps_series(struct ask_context *ctx, const struct plan *p, const struct table *answer, struct answer_context *out)
{
	memset(&out->lumps, 0, sizeof(out->lumps));
	out->peak_is_lumps = false;
	struct buckets b;
	/* a trend cut to some buckets ("the top 3 days") has no first and last */
	if (p->intent != INTENT_TREND || p->limit > 0 || p->has_threshold || p->measure == MEASURE_USAGE ||
	    picks_charge_types(p) || !find_buckets(p, answer, &b))
		return 0;
	struct period first = bucket_of(p, b.first), last = bucket_of(p, b.last), peak = bucket_of(p, b.peak);
	const struct period *per[] = { &first, &last, &peak };
	struct side sides[3];
	if (read_sides(ctx, p, per, 3, sides))
		return -1;
	compare_sides(&sides[0], &sides[1], &out->lumps);
	/* months, quarters and years each hold their 1st: fees in every bucket */
	bool shorter_than_a_month = p->grain == GRAIN_NONE || p->grain == GRAIN_DAY || p->grain == GRAIN_WEEK;
	if (shorter_than_a_month && sides[2].lumps > 0 && b.peak_total - sides[2].lumps < b.second_total) {
		out->peak_is_lumps = true;
		out->peak_day = b.peak;
		struct side none = { 0 };
		lumps_from_sides(&none, &sides[2], &out->peak_lumps);
	}
	return 0;
}

/* One item of a grouped comparison: its totals from the answer's table,
 * its lumps by side from the day rows. */
struct item {
	const char *label; /* borrowed from the answer's table */
	double total[2];
	struct side side[2];
};

static long find_item(const struct item *items, size_t n, const char *label)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].label, label) == 0)
			return (long)i;
	return -1;
}

/* The plan's lumps per item and day over both periods: the plan read as
 * a daily trend by its group, its charge types the lumps, with sqlgen's
 * own labels so that they match the answer's rows. */
static int read_item_days(struct ask_context *ctx, const struct plan *p, struct table *t)
{
	struct plan days = *p;
	days.intent = INTENT_TREND;
	days.grain = GRAIN_DAY;
	days.limit = 0;
	days.ascending = false;
	days.has_threshold = false;
	days.share_of_total = false;
	days.range.start_day = p->periods[0].start_day < p->periods[1].start_day ? p->periods[0].start_day
										  : p->periods[1].start_day;
	days.range.end_day = p->periods[0].end_day > p->periods[1].end_day ? p->periods[0].end_day : p->periods[1].end_day;
	struct dim_ref charge = { .dim = DIM_CHARGE_TYPE };
	struct filter *f = plan_set_filter(&days, &charge, FILTER_IN);
	if (!f)
		return -1;
	f->nvalues = 0;
	for (const char *type; f->nvalues < PLAN_MAX_VALUES && (type = charges_lump_type((size_t)f->nvalues));)
		snprintf(f->values[f->nvalues++], sizeof(f->values[0]), "%s", type);
	struct strbuf sql = STRBUF_INIT;
	struct err ignored = { 0 };
	struct sandbox_limits limits = { .max_rows = MAX_ITEM_ROWS, .timeout_seconds = ctx->timeout_seconds,
					 .cancelled = ctx->cancelled, .cancel_arg = ctx->cancel_arg };
	int rc = sqlgen_build_on(&days, ctx->dialect, ctx->summaries, &sql);
	if (rc == 0)
		rc = sandbox_query(ctx->db, sql.buf, &limits, t, &ignored);
	strbuf_release(&sql);
	return rc == 0 && !t->truncated && t->ncols >= 3 ? 0 : -1;
}

int lumps_compare_items(struct ask_context *ctx, const struct plan *p, const struct table *answer,
			struct answer_lumps *overall, struct answer_item_lumps **out, size_t *nout)
{
	memset(overall, 0, sizeof(*overall));
	*out = NULL;
	*nout = 0;
	int c0 = table_column(answer, p->periods[0].label), c1 = table_column(answer, p->periods[1].label);
	if (p->measure == MEASURE_USAGE || p->group.dim == DIM_NONE || p->group2.dim != DIM_NONE ||
	    picks_charge_types(p) || c0 < 0 || c1 < 0 || answer->nrows == 0)
		return 0;
	struct item *items = xcalloc(answer->nrows, sizeof(*items));
	size_t n = 0;
	for (size_t r = 0; r < answer->nrows; r++) {
		const struct cell *label = table_at(answer, r, 0);
		if (label->kind != CELL_TEXT && label->kind != CELL_DATE)
			continue;
		items[n].label = label->v.s;
		items[n].total[0] = cell_number(table_at(answer, r, (size_t)c0));
		items[n].total[1] = cell_number(table_at(answer, r, (size_t)c1));
		n++;
	}
	struct table t;
	table_init(&t);
	int rc = read_item_days(ctx, p, &t);
	/* the whole: the items shown, their lumps by day (rows come by day) */
	struct side whole[2] = { 0 };
	int last_day[2] = { -1, -1 };
	double day_lumps[2] = { 0, 0 };
	for (size_t r = 0; rc == 0 && r <= t.nrows; r++) {
		int day = -1;
		long i = -1;
		double lump = 0;
		if (r < t.nrows && cell_day(table_at(&t, r, 0), &day)) {
			const struct cell *label = table_at(&t, r, 1);
			i = label->kind == CELL_TEXT || label->kind == CELL_DATE ? find_item(items, n, label->v.s) : -1;
			lump = cell_number(table_at(&t, r, 2));
		}
		for (int s = 0; s < 2; s++) {
			/* a day of the whole is complete when the next row's day differs */
			if (last_day[s] >= 0 && (r == t.nrows || day != last_day[s])) {
				side_add(&whole[s], last_day[s], 0, day_lumps[s]);
				last_day[s] = -1;
				day_lumps[s] = 0;
			}
			if (i < 0 || !in_period(&p->periods[s], day))
				continue;
			side_add(&items[i].side[s], day, 0, lump);
			last_day[s] = day;
			day_lumps[s] += lump;
		}
	}
	table_release(&t);
	if (rc) {
		free(items);
		return -1;
	}
	double totals[2] = { 0, 0 };
	struct answer_item_lumps *list = xcalloc(n ? n : 1, sizeof(*list));
	size_t nlist = 0;
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &items[i];
		totals[0] += it->total[0];
		totals[1] += it->total[1];
		if (it->side[0].lumps == 0 && it->side[1].lumps == 0)
			continue;
		struct answer_item_lumps *l = &list[nlist++];
		snprintf(l->label, sizeof(l->label), "%s", it->label);
		lumps_from_sides(&it->side[0], &it->side[1], &l->lumps);
		double change = it->total[1] - it->total[0], lump_change = it->side[1].lumps - it->side[0].lumps;
		l->lumps.one_sided = one_sided(it->side[0].lumps, it->side[1].lumps, it->total[0], it->total[1]) &&
				     fabs(lump_change) >= MOSTLY_SHARE * fabs(change);
	}
	if (one_sided(whole[0].lumps, whole[1].lumps, totals[0], totals[1])) {
		lumps_from_sides(&whole[0], &whole[1], overall);
		overall->one_sided = true;
	}
	free(items);
	*out = list;
	*nout = nlist;
	return 0;
}
