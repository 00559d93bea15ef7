/*
 * sqlgen: plan -> SQL. See sqlgen.h.
 *
 * One builder per intent; they share the pieces: the measure, the group
 * label, the time condition and the filters. Column names of the results
 * say what they hold ("service", "amortized_cost", "share_pct", the period
 * labels of a comparison), since users read them.
 */
#include "sqlgen.h"
#include "charges.h"
#include "date.h"
#include "dialect.h"
#include "dims.h"

#include <string.h>

static const struct {
	const char *column; /* in costs */
	const char *name;   /* of the result column */
	bool upfront_paid;  /* counts CUR's RI upfront fee (a Fee) when it is paid; amortized cost spreads it */
} measures[] = {
	[MEASURE_AMORTIZED] = { "amortized_cost", "amortized_cost", false },
	[MEASURE_UNBLENDED] = { "unblended_cost", "unblended_cost", true },
	[MEASURE_NET] = { "net_cost", "net_cost", true },
	[MEASURE_LIST] = { "list_cost", "on_demand_cost", false },
	[MEASURE_USAGE] = { "usage_amount", "usage", false },
};

/* Line item types that carry usage (CONVENTIONS.md): never negations or fees. */
static const char usage_rows[] = "charge_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')";

/* The spellings of a unit across exports ("Hrs" in CUR, "hours" elsewhere). */
static const struct {
	const char *unit;
	const char *spellings;
} unit_families[] = {
	{ "GB", "'gb', 'gib', 'gigabytes'" },
	{ "Hrs", "'hrs', 'hours', 'hour', 'hr'" },
	{ "Requests", "'requests', 'request'" },
};

struct gen {
	const struct plan *p;
	const struct sql_dialect *d;
	struct strbuf *sql;
	const char *from; /* the table read: costs or a summary of it */
	/* reading costs_day_tag: its slice is the plan's one tag key ("" for
	 * the slice of plans that only ask "untagged", tag_key NULL) */
	bool tag_slice;
	const char *tag_key;
};

const char *sqlgen_measure_column(enum measure m)
{
	return measures[m].name;
}

const char *sqlgen_column(enum dimension dim)
{
	return dim > DIM_NONE && dim < DIM_COUNT ? dim_info(dim)->column : NULL;
}

/* The raw value of a grouping column (NULL where the row has none). */
static void add_column(struct gen *g, const struct dim_ref *col)
{
	if (col->dim == DIM_TAG && g->tag_slice)
		strbuf_addstr(g->sql, "tag_value");
	else if (col->dim == DIM_TAG)
		g->d->tag_value(g->sql, col->tag_key);
	else
		strbuf_addstr(g->sql, dim_info(col->dim)->column);
}

/* The group label: rows without a value form one group of their own. */
/* The placeholder label of a grouping's rows without a value. */
static const char *placeholder(const struct dim_ref *col)
{
	return col->dim == DIM_TAG ? "(untagged)" : "(none)";
}

static void add_label(struct gen *g, const struct dim_ref *col)
{
	strbuf_addstr(g->sql, "coalesce(");
	add_column(g, col);
	strbuf_addf(g->sql, ", '%s')", placeholder(col));
}

static void add_label_name(struct gen *g, const struct dim_ref *col)
{
	if (col->dim == DIM_TAG)
		strbuf_add_sql_ident(g->sql, col->tag_key);
	else
		strbuf_addstr(g->sql, dimension_name(col->dim));
}

static void add_measure(struct gen *g)
{
	strbuf_addstr(g->sql, measures[g->p->measure].column);
}

static void add_sum(struct gen *g)
{
	strbuf_addstr(g->sql, "sum(");
	add_measure(g);
	strbuf_addch(g->sql, ')');
}

static void add_in_period(struct gen *g, const struct period *per)
{
	strbuf_addstr(g->sql, "usage_date >= ");
	g->d->date_literal(g->sql, per->start_day);
	strbuf_addstr(g->sql, " AND usage_date < ");
	g->d->date_literal(g->sql, per->end_day);
}

static void add_value_list(struct gen *g, const struct filter *f)
{
	strbuf_addch(g->sql, '(');
	for (int v = 0; v < f->nvalues; v++) {
		if (v)
			strbuf_addstr(g->sql, ", ");
		strbuf_add_sql_literal(g->sql, f->values[v]);
	}
	strbuf_addch(g->sql, ')');
}

/* "No user tag at all": computed once per row into costs_day_tag. */
static void add_untagged(struct gen *g)
{
	if (g->tag_slice)
		strbuf_addstr(g->sql, "untagged");
	else
		g->d->untagged(g->sql);
}

/* The rows of the tag summary's slice the plan reads (after a WHERE
 * condition); nothing for the other tables. */
static void add_slice(struct gen *g)
{
	if (!g->tag_slice)
		return;
	if (!g->tag_key[0]) {
		strbuf_addstr(g->sql, " AND tag_key IS NULL");
		return;
	}
	strbuf_addstr(g->sql, " AND tag_key = ");
	strbuf_add_sql_literal(g->sql, g->tag_key);
}

/* One filter as a condition, in parentheses. */
static void add_filter(struct gen *g, const struct filter *f)
{
	struct strbuf col;
	strbuf_init(&col, 0);
	struct gen cg = *g;
	cg.sql = &col;
	add_column(&cg, &f->col);
	strbuf_addch(g->sql, '(');
	switch (f->op) {
	case FILTER_IN:
		strbuf_addf(g->sql, "%s IN ", col.buf);
		add_value_list(g, f);
		break;
	case FILTER_NOT_IN:
		/* Excluding a value keeps the rows that have none (taxes have no region). */
		strbuf_addf(g->sql, "%s IS NULL OR %s NOT IN ", col.buf, col.buf);
		add_value_list(g, f);
		break;
	case FILTER_CONTAINS:
	case FILTER_PREFIX:
		for (int v = 0; v < f->nvalues; v++) {
			if (v)
				strbuf_addstr(g->sql, " OR ");
			if (f->op == FILTER_CONTAINS)
				g->d->contains(g->sql, col.buf, f->values[v]);
			else
				g->d->starts_with(g->sql, col.buf, f->values[v]);
		}
		break;
	case FILTER_EXCLUDE_PREFIX:
		strbuf_addf(g->sql, "%s IS NULL OR NOT (", col.buf);
		for (int v = 0; v < f->nvalues; v++) {
			if (v)
				strbuf_addstr(g->sql, " OR ");
			g->d->starts_with(g->sql, col.buf, f->values[v]);
		}
		strbuf_addch(g->sql, ')');
		break;
	case FILTER_MISSING:
		strbuf_addf(g->sql, "%s IS NULL", col.buf);
		break;
	case FILTER_PRESENT:
		strbuf_addf(g->sql, "%s IS NOT NULL", col.buf);
		break;
	case FILTER_UNTAGGED:
		add_untagged(g);
		break;
	case FILTER_TAGGED:
		strbuf_addstr(g->sql, "NOT (");
		add_untagged(g);
		strbuf_addch(g->sql, ')');
		break;
	}
	strbuf_addch(g->sql, ')');
	strbuf_release(&col);
}

/* The plan's filters joined by AND (TRUE when there are none). */
static void add_filter_conjunction(struct gen *g)
{
	if (!g->p->nfilters)
		strbuf_addstr(g->sql, "TRUE");
	for (int i = 0; i < g->p->nfilters; i++) {
		if (i)
			strbuf_addstr(g->sql, " AND ");
		add_filter(g, &g->p->filters[i]);
	}
}

/* WHERE <time> AND <filters>: time is the plan's range, or either of its
 * two periods for comparisons. A share of the total keeps its filters out
 * of WHERE (they go into the sum's FILTER clause). */
static void add_where(struct gen *g, bool two_periods)
{
	const struct plan *p = g->p;
	strbuf_addf(g->sql, "\nFROM %s\nWHERE ", g->from);
	if (two_periods) {
		strbuf_addstr(g->sql, "((");
		add_in_period(g, &p->periods[0]);
		strbuf_addstr(g->sql, ") OR (");
		add_in_period(g, &p->periods[1]);
		strbuf_addstr(g->sql, "))");
	} else {
		add_in_period(g, &p->range);
	}
	add_slice(g);
	for (int i = 0; i < p->nfilters && !p->share_of_total; i++) {
		strbuf_addstr(g->sql, "\n  AND ");
		add_filter(g, &p->filters[i]);
	}
	if (p->measure == MEASURE_USAGE) {
		strbuf_addf(g->sql, "\n  AND %s", usage_rows);
		bool family = false;
		for (size_t i = 0; p->usage_unit[0] && i < sizeof(unit_families) / sizeof(unit_families[0]); i++)
			if (strcmp(unit_families[i].unit, p->usage_unit) == 0) {
				strbuf_addf(g->sql, "\n  AND lower(usage_unit) IN (%s)", unit_families[i].spellings);
				family = true;
			}
		if (p->usage_unit[0] && !family) {
			/* a unit of the data itself ("GB-Mo", "Lambda-GB-Second") */
			strbuf_addstr(g->sql, "\n  AND usage_unit = ");
			strbuf_add_sql_literal(g->sql, p->usage_unit);
		}
	}
}

static void add_threshold(struct gen *g)
{
	if (!g->p->has_threshold)
		return;
	strbuf_addstr(g->sql, " AND ");
	add_sum(g);
	strbuf_addf(g->sql, " %s %.6f", g->p->threshold_below ? "<" : ">", g->p->threshold);
}

static void add_limit(struct gen *g)
{
	if (g->p->limit > 0)
		strbuf_addf(g->sql, "\nLIMIT %d", g->p->limit);
}

/* Group columns: the label, and the account's name next to its id. */
static void add_group_columns(struct gen *g)
{
	add_label(g, &g->p->group);
	strbuf_addstr(g->sql, " AS ");
	add_label_name(g, &g->p->group);
	if (g->p->group2.dim != DIM_NONE) {
		/* "by team and env": both labels, and the pair as one item for
		 * the narrative and the chart */
		strbuf_addstr(g->sql, ", ");
		add_label(g, &g->p->group2);
		strbuf_addstr(g->sql, " AS ");
		add_label_name(g, &g->p->group2);
		strbuf_addstr(g->sql, ", concat(");
		add_label(g, &g->p->group);
		strbuf_addstr(g->sql, ", ' / ', ");
		add_label(g, &g->p->group2);
		strbuf_addstr(g->sql, ") AS item");
	}
	if (g->p->group.dim == DIM_ACCOUNT)
		strbuf_addstr(g->sql, ", $any(account_name) AS account_name");
	if (g->p->group.dim == DIM_SERVICE)
		strbuf_addstr(g->sql, ", $any(service_name) AS service_name");
}

static void add_usage_unit_column(struct gen *g)
{
	if (g->p->measure == MEASURE_USAGE)
		strbuf_addstr(g->sql, ", $distinct_list(usage_unit) AS unit");
}

static void build_total(struct gen *g)
{
	const char *name = measures[g->p->measure].name;
	strbuf_addstr(g->sql, "SELECT ");
	if (g->p->share_of_total) {
		/* the part and the whole in one pass, the share from them */
		strbuf_addf(g->sql, "part AS %s, whole AS all_%s, round(100 * part / nullif(whole, 0), 2) AS share_pct%s\n"
			    "FROM (SELECT coalesce(", name, name, g->p->measure == MEASURE_USAGE ? ", unit" : "");
		strbuf_addstr(g->sql, "$sum_if(");
		add_measure(g);
		strbuf_addstr(g->sql, ", ");
		add_filter_conjunction(g);
		strbuf_addstr(g->sql, "), 0) AS part, ");
		add_sum(g);
		strbuf_addstr(g->sql, " AS whole");
		add_usage_unit_column(g);
		add_where(g, false);
		strbuf_addch(g->sql, ')');
		return;
	}
	if (g->p->measure == MEASURE_USAGE && !g->p->usage_unit[0]) {
		/* usage in different units is never added up: one total a unit */
		add_sum(g);
		strbuf_addf(g->sql, " AS %s, usage_unit AS unit", name);
		add_where(g, false);
		strbuf_addf(g->sql, "\nGROUP BY usage_unit\nORDER BY %s DESC, 2", name);
		return;
	}
	add_sum(g);
	strbuf_addf(g->sql, " AS %s", name);
	add_usage_unit_column(g);
	add_where(g, false);
}

static void build_breakdown(struct gen *g)
{
	const struct plan *p = g->p;
	const char *name = measures[p->measure].name;
	/* A top N or a threshold keeps some rows; their shares stay shares of
	 * the whole (CONVENTIONS.md: a top N ranks named items only, but "12%
	 * of the total" is of all the cost): the parts are computed first,
	 * then chosen. */
	bool choose = p->limit > 0 || p->has_threshold;
	if (choose)
		strbuf_addstr(g->sql, "SELECT * FROM (");
	strbuf_addstr(g->sql, "SELECT ");
	add_group_columns(g);
	strbuf_addstr(g->sql, ", ");
	add_sum(g);
	strbuf_addf(g->sql, " AS %s, round(100 * ", name);
	add_sum(g);
	strbuf_addstr(g->sql, " / nullif(sum(");
	add_sum(g);
	strbuf_addstr(g->sql, ") OVER (), 0), 2) AS share_pct");
	if (choose) {
		/* the whole the chosen rows are a part of (a chart's "Other") */
		strbuf_addstr(g->sql, ", sum(");
		add_sum(g);
		strbuf_addf(g->sql, ") OVER () AS all_%s", name);
	}
	add_usage_unit_column(g);
	add_where(g, false);
	strbuf_addf(g->sql, "\nGROUP BY %s\nHAVING ", p->group2.dim != DIM_NONE ? "1, 2, 3" : "1");
	add_sum(g);
	strbuf_addstr(g->sql, " <> 0");
	if (choose) {
		strbuf_addstr(g->sql, ") AS parts\nWHERE TRUE");
		if (p->limit > 0) {
			strbuf_addstr(g->sql, " AND ");
			add_label_name(g, &p->group);
			strbuf_addf(g->sql, " <> '%s'", placeholder(&p->group));
			if (p->group2.dim != DIM_NONE) {
				strbuf_addstr(g->sql, " AND ");
				add_label_name(g, &p->group2);
				strbuf_addf(g->sql, " <> '%s'", placeholder(&p->group2));
			}
		}
		if (p->has_threshold)
			strbuf_addf(g->sql, " AND %s %s %.6f", name, p->threshold_below ? "<" : ">", p->threshold);
	}
	strbuf_addf(g->sql, "\nORDER BY %s %s, 1%s", name, p->ascending ? "ASC" : "DESC",
		    p->group2.dim != DIM_NONE ? ", 2" : "");
	add_limit(g);
}

/* How many distinct values of the grouping (or days) had cost: the
 * groups of a breakdown, counted. */
static void build_count(struct gen *g)
{
	const struct plan *p = g->p;
	strbuf_addstr(g->sql, "SELECT count(*) AS count\nFROM (SELECT ");
	if (p->group.dim != DIM_NONE)
		add_column(g, &p->group);
	else
		strbuf_addstr(g->sql, "usage_date");
	add_where(g, false);
	strbuf_addstr(g->sql, "\n  AND ");
	if (p->group.dim != DIM_NONE)
		add_column(g, &p->group);
	else
		strbuf_addstr(g->sql, "usage_date");
	strbuf_addstr(g->sql, " IS NOT NULL\nGROUP BY 1\nHAVING ");
	add_sum(g);
	strbuf_addstr(g->sql, " <> 0");
	add_threshold(g);
	strbuf_addstr(g->sql, ") AS counted");
}

static void build_trend(struct gen *g)
{
	const struct plan *p = g->p;
	const char *name = measures[p->measure].name;
	strbuf_addstr(g->sql, "SELECT ");
	g->d->date_bucket(g->sql, p->grain, "usage_date");
	strbuf_addstr(g->sql, " AS period");
	if (p->group.dim != DIM_NONE) {
		strbuf_addstr(g->sql, ", ");
		add_label(g, &p->group);
		strbuf_addstr(g->sql, " AS ");
		add_label_name(g, &p->group);
	}
	strbuf_addstr(g->sql, ", ");
	add_sum(g);
	strbuf_addf(g->sql, " AS %s", name);
	add_usage_unit_column(g);
	add_where(g, false);
	strbuf_addf(g->sql, "\nGROUP BY %s\nHAVING ", p->group.dim != DIM_NONE ? "1, 2" : "1");
	add_sum(g);
	strbuf_addstr(g->sql, " <> 0");
	add_threshold(g); /* "the days EC2 cost over $400" */
	if (p->limit > 0 && p->group.dim == DIM_NONE) {
		/* "which day was the highest": the peak first */
		strbuf_addf(g->sql, "\nORDER BY %s %s, 1", name, p->ascending ? "ASC" : "DESC");
		add_limit(g);
		return;
	}
	strbuf_addf(g->sql, "\nORDER BY 1%s", p->group.dim != DIM_NONE ? ", 2" : "");
}

/* Which charges a sum over a range counts (sql/charges.h). */
enum sum_charges { SUM_ALL, SUM_DAILY, SUM_LUMPS, SUM_RECURRING, SUM_ONE_OFF };

/* sum(CASE WHEN <in [start, end)> [AND <the charges>] THEN measure ELSE 0 END).
 * A measure that counts CUR's RI upfront fee when paid (unblended, net)
 * moves it from the recurring lumps (it is a Fee) to the one-off ones, as
 * a purchase: "THEN measure - <upfront>" and "... WHEN <in range> THEN
 * <upfront>" (charges_upfront_fee_sql). */
static void add_sum_when(struct gen *g, int start, int end, enum sum_charges charges)
{
	struct period per = { .start_day = start, .end_day = end };
	bool upfront = measures[g->p->measure].upfront_paid && (charges == SUM_RECURRING || charges == SUM_ONE_OFF);
	strbuf_addstr(g->sql, "sum(CASE WHEN ");
	add_in_period(g, &per);
	if (charges != SUM_ALL)
		strbuf_addstr(g->sql, " AND ");
	if (charges == SUM_DAILY || charges == SUM_LUMPS)
		charges_monthly_sql(g->sql, charges == SUM_DAILY);
	else if (charges == SUM_RECURRING)
		charges_recurring_sql(g->sql);
	else if (charges == SUM_ONE_OFF)
		charges_one_off_sql(g->sql);
	strbuf_addstr(g->sql, " THEN ");
	add_measure(g);
	if (upfront && charges == SUM_RECURRING) {
		strbuf_addstr(g->sql, " - ");
		charges_upfront_fee_sql(g->sql);
	} else if (upfront) {
		strbuf_addstr(g->sql, " WHEN ");
		add_in_period(g, &per);
		strbuf_addstr(g->sql, " THEN ");
		charges_upfront_fee_sql(g->sql);
	}
	strbuf_addstr(g->sql, " ELSE 0 END)");
}

/* sum of the measure within one of the two periods */
static void add_period_sum(struct gen *g, int which)
{
	strbuf_addstr(g->sql, "sum(CASE WHEN ");
	add_in_period(g, &g->p->periods[which]);
	strbuf_addstr(g->sql, " THEN ");
	add_measure(g);
	strbuf_addstr(g->sql, " ELSE 0 END)");
}

static void build_compare(struct gen *g)
{
	const struct plan *p = g->p;
	if (p->group.dim == DIM_NONE) {
		/* one row per period, in time order */
		strbuf_addstr(g->sql, "SELECT CASE WHEN ");
		add_in_period(g, &p->periods[0]);
		strbuf_addstr(g->sql, " THEN ");
		g->d->date_literal(g->sql, p->periods[0].start_day);
		strbuf_addstr(g->sql, " ELSE ");
		g->d->date_literal(g->sql, p->periods[1].start_day);
		strbuf_addstr(g->sql, " END AS period, CASE WHEN ");
		add_in_period(g, &p->periods[0]);
		strbuf_addstr(g->sql, " THEN ");
		strbuf_add_sql_literal(g->sql, p->periods[0].label);
		strbuf_addstr(g->sql, " ELSE ");
		strbuf_add_sql_literal(g->sql, p->periods[1].label);
		strbuf_addstr(g->sql, " END AS label, ");
		add_sum(g);
		strbuf_addf(g->sql, " AS %s", measures[p->measure].name);
		add_where(g, true);
		strbuf_addstr(g->sql, "\nGROUP BY 1, 2\nORDER BY 1");
		return;
	}
	/* one row per item, a column per period, then the change */
	strbuf_addstr(g->sql, "SELECT ");
	add_label_name(g, &p->group);
	if (p->group.dim == DIM_ACCOUNT)
		strbuf_addstr(g->sql, ", account_name");
	strbuf_addstr(g->sql, ", earlier AS ");
	strbuf_add_sql_ident(g->sql, p->periods[0].label);
	strbuf_addstr(g->sql, ", later AS ");
	strbuf_add_sql_ident(g->sql, p->periods[1].label);
	strbuf_addstr(g->sql, ", later - earlier AS change, round(100 * (later - earlier) / nullif(earlier, 0), 1) AS change_pct");
	/* movers rank by the change without fees booked on one side only (the
	 * side with fewer has less than a tenth of the other's, lumps.c's
	 * rule): a support fee on the 1st of "last week" made AWSSupport the
	 * week's "biggest increase" on flat usage */
	bool fees_apart = p->intent == INTENT_MOVERS && p->measure != MEASURE_USAGE;
	if (fees_apart)
		strbuf_addf(g->sql, ",\n  later - earlier - CASE WHEN least(abs(earlier_fees), abs(later_fees)) < %g * "
				    "greatest(abs(earlier_fees), abs(later_fees)) THEN later_fees - earlier_fees ELSE 0 END"
				    " AS change_without_fees", CHARGES_ONE_SIDE_SHARE);
	strbuf_addstr(g->sql, "\nFROM (SELECT ");
	add_group_columns(g);
	strbuf_addstr(g->sql, ", ");
	add_period_sum(g, 0);
	strbuf_addstr(g->sql, " AS earlier, ");
	add_period_sum(g, 1);
	strbuf_addstr(g->sql, " AS later");
	for (int i = 0; fees_apart && i < 2; i++) {
		strbuf_addstr(g->sql, ", ");
		add_sum_when(g, p->periods[i].start_day, p->periods[i].end_day, SUM_LUMPS);
		strbuf_addstr(g->sql, i ? " AS later_fees" : " AS earlier_fees");
	}
	add_where(g, true);
	strbuf_addstr(g->sql, "\nGROUP BY 1\nHAVING ");
	add_period_sum(g, 0);
	strbuf_addstr(g->sql, " <> 0 OR ");
	add_period_sum(g, 1);
	strbuf_addstr(g->sql, " <> 0)");
	if (p->intent == INTENT_MOVERS)
		strbuf_addf(g->sql, "\nORDER BY %s %s, 1", fees_apart ? "change_without_fees" : "change",
			    p->ascending ? "ASC" : "DESC");
	else
		strbuf_addstr(g->sql, "\nORDER BY later DESC, 1");
	add_limit(g);
}

/* The calendar months in [start, end), a partial month as its share of
 * days: 6 for the last 6 months, 11.129 for Jan 1 to Dec 4. */
static double months_in(int start, int end)
{
	double months = 0;
	for (int m = date_month_start(start); m < end; m = date_add_months(m, 1)) {
		int next = date_add_months(m, 1);
		int from = m > start ? m : start, to = next < end ? next : end;
		if (to > from)
			months += (double)(to - from) / (next - m);
	}
	return months;
}

/* The days the data holds in the range, whatever the filters (a service
 * used on one day of thirty runs at a thirtieth of its daily rate). */
static void add_days_with_data(struct gen *g)
{
	strbuf_addf(g->sql, "greatest(1, (SELECT count(DISTINCT usage_date) FROM %s WHERE ", g->from);
	add_in_period(g, &g->p->range);
	add_slice(g);
	strbuf_addstr(g->sql, "))");
}

/* The monthly charges that recur (a support fee, taxes, RI fees, credits)
 * of the range's last month once booked (it has any), else of the month
 * before. One-off lumps (a purchase, a refund, an upfront fee) are not
 * expected again: counting them as a month's fees put a $3,000 purchase
 * into every month of the run rate. */
static void add_monthly_fees(struct gen *g)
{
	int m1 = date_month_start(g->p->range.end_day - 1), m0 = date_add_months(m1, -1), m2 = date_add_months(m1, 1);
	struct period last = { .start_day = m1, .end_day = m2 };
	strbuf_addstr(g->sql, "CASE WHEN sum(CASE WHEN ");
	add_in_period(g, &last);
	strbuf_addstr(g->sql, " AND ");
	charges_recurring_sql(g->sql);
	strbuf_addstr(g->sql, " THEN 1 ELSE 0 END) > 0 THEN ");
	add_sum_when(g, m1, m2, SUM_RECURRING);
	strbuf_addstr(g->sql, " ELSE ");
	add_sum_when(g, m0, m1, SUM_RECURRING);
	strbuf_addstr(g->sql, " END");
}

/* daily charges / days with data * 30.4375 + monthly fees (one-off lumps
 * in neither) */
static void add_monthly_run_rate(struct gen *g)
{
	strbuf_addstr(g->sql, "(");
	add_sum_when(g, g->p->range.start_day, g->p->range.end_day, SUM_DAILY);
	strbuf_addstr(g->sql, " / ");
	add_days_with_data(g);
	strbuf_addstr(g->sql, " * 30.4375 + ");
	add_monthly_fees(g);
	strbuf_addstr(g->sql, ")");
}

/*
 * "What is our run rate": the average daily cost of the range, and the
 * run rate of a month of average length (and of a year): the daily charges
 * at their average over the days the data holds in the range, plus the
 * monthly fees that recur (charges.h) as one lump. Dividing by the
 * range's days, or counting fees only when the range happens to hold a
 * 1st, put the run rate below every real month. One-off lumps in the range
 * (one_off_charges) are in its total and in no run rate: the answer names
 * them as left out.
 */
static void build_run_rate(struct gen *g)
{
	const struct plan *p = g->p;
	int start = p->range.start_day, end = p->range.end_day, days = end - start;
	const char *m = measures[p->measure].name;
	strbuf_addstr(g->sql, "SELECT ");
	if (p->group.dim != DIM_NONE) {
		add_group_columns(g);
		strbuf_addstr(g->sql, ", ");
	}
	add_sum_when(g, start, end, SUM_ALL);
	strbuf_addf(g->sql, " / %d.0 AS average_daily_%s, ", days, m);
	add_sum_when(g, start, end, SUM_ALL);
	strbuf_addf(g->sql, " AS total_%s, %d AS days, ", m, days);
	add_days_with_data(g);
	strbuf_addstr(g->sql, " AS days_with_data, ");
	add_monthly_fees(g);
	strbuf_addstr(g->sql, " AS monthly_fees, ");
	add_sum_when(g, start, end, SUM_ONE_OFF);
	strbuf_addstr(g->sql, " AS one_off_charges,\n  ");
	add_monthly_run_rate(g);
	strbuf_addstr(g->sql, " AS monthly_run_rate, ");
	add_monthly_run_rate(g);
	strbuf_addstr(g->sql, " * 12 AS annual_run_rate");
	/* the rows of the range, and the recurring charges of the two months */
	int m1 = date_month_start(end - 1);
	struct period fees = { .start_day = date_add_months(m1, -1), .end_day = date_add_months(m1, 1) };
	strbuf_addf(g->sql, "\nFROM %s\nWHERE ((", g->from);
	add_in_period(g, &p->range);
	strbuf_addstr(g->sql, ") OR (");
	add_in_period(g, &fees);
	strbuf_addstr(g->sql, " AND ");
	charges_recurring_sql(g->sql);
	strbuf_addstr(g->sql, "))");
	add_slice(g);
	for (int i = 0; i < p->nfilters && !p->share_of_total; i++) {
		strbuf_addstr(g->sql, "\n  AND ");
		add_filter(g, &p->filters[i]);
	}
	if (p->group.dim != DIM_NONE) {
		strbuf_addstr(g->sql, "\nGROUP BY 1\nHAVING ");
		add_sum_when(g, start, end, SUM_ALL);
		strbuf_addf(g->sql, " <> 0\nORDER BY total_%s DESC, 1", m);
		add_limit(g);
	}
}

static void build_average_daily(struct gen *g)
{
	const struct plan *p = g->p;
	int days = p->range.end_day - p->range.start_day;
	if (p->run_rate && p->grain != GRAIN_MONTH) {
		build_run_rate(g);
		return;
	}
	strbuf_addstr(g->sql, "SELECT ");
	if (p->group.dim != DIM_NONE) {
		add_group_columns(g);
		strbuf_addstr(g->sql, ", ");
	}
	if (p->grain == GRAIN_MONTH) {
		/* "average monthly spend this year": per calendar month */
		double months = months_in(p->range.start_day, p->range.end_day);
		add_sum(g);
		strbuf_addf(g->sql, " / %.6f AS average_monthly_%s, ", months, measures[p->measure].name);
		add_sum(g);
		strbuf_addf(g->sql, " AS total_%s, %.4f AS months", measures[p->measure].name, months);
		add_where(g, false);
		if (p->group.dim != DIM_NONE) {
			strbuf_addstr(g->sql, "\nGROUP BY 1\nHAVING ");
			add_sum(g);
			strbuf_addf(g->sql, " <> 0\nORDER BY total_%s DESC, 1", measures[p->measure].name);
			add_limit(g);
		}
		return;
	}
	add_sum(g);
	strbuf_addf(g->sql, " / %d.0 AS average_daily_%s, ", days, measures[p->measure].name);
	add_sum(g);
	strbuf_addf(g->sql, " AS total_%s, %d AS days", measures[p->measure].name, days);
	add_where(g, false);
	if (p->group.dim != DIM_NONE) {
		strbuf_addstr(g->sql, "\nGROUP BY 1\nHAVING ");
		add_sum(g);
		strbuf_addf(g->sql, " <> 0\nORDER BY total_%s DESC, 1", measures[p->measure].name);
		add_limit(g);
	}
}

void sqlgen_filters(const struct plan *p, const struct sql_dialect *d, struct strbuf *sql)
{
	struct gen g = { p, d, sql, "costs", false, "" };
	add_filter_conjunction(&g);
}

static int build(struct gen *g)
{
	switch (g->p->intent) {
	case INTENT_TOTAL:
		if (g->p->group.dim != DIM_NONE)
			build_breakdown(g);
		else
			build_total(g);
		return 0;
	case INTENT_BREAKDOWN: build_breakdown(g); return 0;
	case INTENT_TREND: build_trend(g); return 0;
	case INTENT_COMPARE_PERIODS:
	case INTENT_MOVERS: build_compare(g); return 0;
	case INTENT_AVERAGE_DAILY: build_average_daily(g); return 0;
	case INTENT_COUNT: build_count(g); return 0;
	case INTENT_CLARIFY:
	case INTENT_REFUSE:
	case INTENT_HELP:
	case INTENT_INSIGHT: /* several queries: the analysis runs its own */
		return -1;
	}
	return -1;
}

/* Which summaries hold each dimension's column (SQL_SUMMARY_* bits);
 * resources are only in the line items, tags in the line items and
 * costs_day_tag. */
#define ALL_DAILY (SQL_SUMMARY_DAY | SQL_SUMMARY_DAY_DETAIL | SQL_SUMMARY_DAY_TAG)
#define TAG_SUMMARIES (SQL_SUMMARY_DAY_TAG | SQL_SUMMARY_DAY_TAG_VALUE)
static const unsigned char dim_summaries[DIM_COUNT] = {
	[DIM_NONE] = ALL_DAILY | SQL_SUMMARY_DAY_TAG_VALUE,
	[DIM_SERVICE] = ALL_DAILY,
	[DIM_ACCOUNT] = ALL_DAILY,
	[DIM_REGION] = SQL_SUMMARY_DAY | SQL_SUMMARY_DAY_DETAIL,
	[DIM_CHARGE_TYPE] = ALL_DAILY | SQL_SUMMARY_DAY_TAG_VALUE,
	[DIM_CATEGORY] = ALL_DAILY,
	[DIM_PRICING_TERM] = ALL_DAILY,
	[DIM_PROVIDER] = ALL_DAILY | SQL_SUMMARY_DAY_TAG_VALUE,
	[DIM_AZ] = SQL_SUMMARY_DAY_DETAIL,
	[DIM_USAGE_TYPE] = SQL_SUMMARY_DAY_DETAIL,
	[DIM_OPERATION] = SQL_SUMMARY_DAY_DETAIL,
	[DIM_INSTANCE_TYPE] = SQL_SUMMARY_DAY_DETAIL,
	[DIM_RESOURCE] = 0,
	[DIM_TAG] = TAG_SUMMARIES,
};

/* The one tag key a plan names (grouping or filters; "" when it only
 * asks "untagged"), or NULL when it names two: costs_day_tag holds one
 * key's values per row. */
static const char *plan_tag_key(const struct plan *p)
{
	const struct dim_ref *refs[2 + PLAN_MAX_FILTERS];
	int n = 0;
	refs[n++] = &p->group;
	refs[n++] = &p->group2;
	for (int i = 0; i < p->nfilters; i++)
		refs[n++] = &p->filters[i].col;
	const char *key = "";
	for (int i = 0; i < n; i++) {
		if (refs[i]->dim != DIM_TAG || !refs[i]->tag_key[0])
			continue;
		if (key[0] && strcmp(key, refs[i]->tag_key) != 0)
			return NULL;
		key = refs[i]->tag_key;
	}
	return key;
}

/* The summaries (bits) that hold every column p reads. */
static unsigned plan_summaries(const struct plan *p, unsigned summaries)
{
	unsigned have = summaries;
	have &= dim_summaries[p->group.dim];
	have &= dim_summaries[p->group2.dim];
	for (int i = 0; i < p->nfilters; i++) {
		have &= dim_summaries[p->filters[i].col.dim];
		if (p->filters[i].op == FILTER_UNTAGGED || p->filters[i].op == FILTER_TAGGED)
			have &= TAG_SUMMARIES;
	}
	/* usage is summed within a unit; the tag summaries have no unit column */
	if (p->measure == MEASURE_USAGE || !plan_tag_key(p))
		have &= ~(unsigned)TAG_SUMMARIES;
	return have;
}

/* The table sqlgen_source() names for a summary bit, smallest first: a tag
 * plan that needs neither service nor account reads the tag values' few
 * rows, not a slice of costs_day_tag. */
static const struct {
	unsigned bit;
	const char *table;
	bool tag_slice;
} sources[] = {
	{ SQL_SUMMARY_DAY, "costs_day", false },
	{ SQL_SUMMARY_DAY_DETAIL, "costs_day_detail", false },
	{ SQL_SUMMARY_DAY_TAG_VALUE, "costs_day_tag_value", true },
	{ SQL_SUMMARY_DAY_TAG, "costs_day_tag", true },
};

const char *sqlgen_source(const struct plan *p, unsigned summaries)
{
	unsigned have = plan_summaries(p, summaries);
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (have & sources[i].bit)
			return sources[i].table;
	return "costs";
}

/* Whether a table of sqlgen_source() holds tag slices (tag_key, tag_value,
 * untagged) instead of the tags MAP. */
static bool is_tag_slice(const char *table)
{
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(sources[i].table, table) == 0)
			return sources[i].tag_slice;
	return false;
}

int sqlgen_build(const struct plan *p, const struct sql_dialect *d, struct strbuf *sql)
{
	return sqlgen_build_on(p, d, 0, sql);
}

int sqlgen_build_on(const struct plan *p, const struct sql_dialect *d, unsigned summaries, struct strbuf *sql)
{
	/* written with the dialect's functions and macros, then expanded */
	struct strbuf text = STRBUF_INIT;
	struct gen g = { p, d, &text, sqlgen_source(p, summaries), false, "" };
	if (is_tag_slice(g.from)) {
		g.tag_slice = true;
		g.tag_key = plan_tag_key(p);
	}
	struct err e = { 0 };
	int rc = build(&g);
	if (rc == 0)
		rc = sql_expand(d, text.buf, sql, &e);
	strbuf_release(&text);
	return rc;
}

void sqlgen_source_filters(const struct plan *p, const struct sql_dialect *d, unsigned summaries, struct strbuf *sql)
{
	const char *from = sqlgen_source(p, summaries);
	struct gen g = { p, d, sql, from, is_tag_slice(from), "" };
	if (g.tag_slice)
		g.tag_key = plan_tag_key(p);
	add_filter_conjunction(&g);
	add_slice(&g);
}
