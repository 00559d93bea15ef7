/*
 * lumps: the lumps on each side of a comparison of periods (see lumps.h).
 */
#include "lumps.h"

#include "charges.h"
#include "date.h"
#include "sandbox.h"
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

/* Run q (one SELECT from sqlgen) into t. */
static int run_plan(struct ask_context *ctx, const struct plan *q, struct table *t)
{
	struct strbuf sql = STRBUF_INIT;
	struct err ignored = { 0 };
	struct sandbox_limits limits = { .max_rows = 400, .timeout_seconds = ctx->timeout_seconds,
					 .cancelled = ctx->cancelled, .cancel_arg = ctx->cancel_arg };
	int rc = sqlgen_build_on(q, ctx->dialect, ctx->summaries, &sql) == 0 &&
				 sandbox_query(ctx->db, sql.buf, &limits, t, &ignored) == 0
			 ? 0
			 : -1;
	strbuf_release(&sql);
	return rc;
}

/* The plan's measure and filters over range, as one total (lumps false)
 * or as the lumps per day (lumps true). */
static void side_plan(const struct plan *p, const struct period *range, bool lumps, struct plan *q)
{
	*q = *p;
	q->range = *range;
	q->intent = lumps ? INTENT_TREND : INTENT_TOTAL;
	q->grain = GRAIN_DAY;
	q->group.dim = DIM_NONE;
	q->group2.dim = DIM_NONE;
	q->limit = 0;
	q->ascending = false;
	q->has_threshold = false;
	q->share_of_total = false;
	q->run_rate = false;
	if (!lumps)
		return;
	struct dim_ref col = { .dim = DIM_CHARGE_TYPE };
	struct filter *f = plan_set_filter(q, &col, FILTER_IN);
	for (size_t i = 0; f && charges_lump_type(i) && f->nvalues < PLAN_MAX_VALUES; i++)
		snprintf(f->values[f->nvalues++], sizeof(f->values[0]), "%s", charges_lump_type(i));
}

static int read_side(struct ask_context *ctx, const struct plan *p, const struct period *range, struct side *s)
{
	memset(s, 0, sizeof(*s));
	struct plan q;
	struct table t;
	side_plan(p, range, false, &q);
	table_init(&t);
	int rc = run_plan(ctx, &q, &t);
	if (rc == 0 && t.nrows == 1 && t.ncols >= 1)
		s->total = cell_number(table_at(&t, 0, 0));
	table_release(&t);
	if (rc)
		return rc;
	side_plan(p, range, true, &q);
	table_init(&t);
	rc = run_plan(ctx, &q, &t);
	/* the daily trend's rows: the day (its first column) and the amount (its last) */
	for (size_t r = 0; rc == 0 && r < t.nrows && t.ncols >= 2; r++) {
		double v = cell_number(table_at(&t, r, t.ncols - 1));
		int day;
		char buf[16];
		if (v == 0 || !date_parse(cell_format(table_at(&t, r, 0), buf, sizeof(buf)), &day))
			continue;
		s->lumps += v;
		if (!s->ndays || day < s->first_day)
			s->first_day = day;
		if (!s->ndays || day > s->last_day)
			s->last_day = day;
		s->ndays++;
	}
	table_release(&t);
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
	if (read_side(ctx, p, earlier, &a) || read_side(ctx, p, later, &b))
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
