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

#include <math.h>
#include <string.h>

/* A difference in lumps below this share of the larger total does not
 * change the reading of a comparison. */
#define MATERIAL_SHARE 0.01
/* "Hardly any": the side with fewer lumps has less than this share of
 * the other's. */
#define ONE_SIDE_SHARE 0.1

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

/* One statement for both sides: per day of either period, the plan's
 * measure under its filters, in all and in lumps, from the smallest table
 * that holds its columns (sqlgen_source). */
static int read_sides(struct ask_context *ctx, const struct plan *p, const struct period *earlier,
		      const struct period *later, struct side *a, struct side *b)
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	struct strbuf filters = STRBUF_INIT, lumps = STRBUF_INIT, sql = STRBUF_INIT;
	sqlgen_source_filters(p, ctx->dialect, ctx->summaries, &filters);
	charges_monthly_sql(&lumps, false);
	const char *cost = sqlgen_measure_column(p->measure);
	char a0[16], a1[16], b0[16], b1[16];
	date_format(earlier->start_day, a0, sizeof(a0));
	date_format(earlier->end_day, a1, sizeof(a1));
	date_format(later->start_day, b0, sizeof(b0));
	date_format(later->end_day, b1, sizeof(b1));
	struct err ignored = { 0 };
	struct table t;
	table_init(&t);
	struct sandbox_limits limits = { .max_rows = 1000, .timeout_seconds = ctx->timeout_seconds,
					 .cancelled = ctx->cancelled, .cancel_arg = ctx->cancel_arg };
	int rc = sql_expandf(ctx->dialect, &sql, &ignored,
			     "SELECT $day_number(usage_date) AS day, sum(%s) AS total,\n"
			     "  sum(CASE WHEN %s THEN %s ELSE 0 END) AS lumps\n"
			     "FROM %s\nWHERE (%s) AND ((usage_date >= $date('%s') AND usage_date < $date('%s'))\n"
			     "  OR (usage_date >= $date('%s') AND usage_date < $date('%s')))\nGROUP BY usage_date",
			     cost, lumps.buf, cost, sqlgen_source(p, ctx->summaries), filters.buf, a0, a1, b0, b1);
	if (rc == 0)
		rc = sandbox_query(ctx->db, sql.buf, &limits, &t, &ignored);
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		int day = (int)cell_number(table_at(&t, r, 0));
		double total = cell_number(table_at(&t, r, 1)), lump = cell_number(table_at(&t, r, 2));
		if (in_period(earlier, day))
			side_add(a, day, total, lump);
		if (in_period(later, day))
			side_add(b, day, total, lump);
	}
	table_release(&t);
	strbuf_release(&filters);
	strbuf_release(&lumps);
	strbuf_release(&sql);
	return rc;
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
	for (int i = 0; i < p->nfilters; i++)
		if (p->filters[i].col.dim == DIM_CHARGE_TYPE && p->filters[i].op == FILTER_IN)
			return 0;
	struct side a, b;
	if (read_sides(ctx, p, earlier, later, &a, &b))
		return -1;
	const struct side *big = fabs(b.lumps) >= fabs(a.lumps) ? &b : &a;
	const struct side *small = big == &b ? &a : &b;
	double scale = fmax(fabs(a.total), fabs(b.total));
	if (fabs(big->lumps - small->lumps) < MATERIAL_SHARE * scale || fabs(small->lumps) >= ONE_SIDE_SHARE * fabs(big->lumps))
		return 0;
	out->one_sided = true;
	out->earlier = a.lumps;
	out->later = b.lumps;
	out->first_day = big->first_day;
	out->last_day = big->last_day;
	out->ndays = big->ndays;
	return 0;
}
