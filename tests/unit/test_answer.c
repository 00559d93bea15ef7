/*
 * test_answer: the presentation of answers, from hand-built plans and
 * tables shaped like sqlgen.c's results, without a database: money
 * formatting, the narrative's figures, the chart chosen by each rule (and
 * its numbers equal to the table's), follow-up suggestions, and the
 * terminal rendering (bars, separators, the 50-row cut).
 */
#include "unit.h"

#include "answer.h"
#include "date.h"
#include "plan.h"
#include "table.h"
#include "xalloc.h"

#include <jansson.h>

/* ---- builders ---- */

static void set_period(struct period *per, int y0, int m0, int d0, int y1, int m1, int d1, enum time_unit unit,
		       const char *label)
{
	memset(per, 0, sizeof(*per));
	per->start_day = date_from_ymd(y0, m0, d0);
	per->end_day = date_from_ymd(y1, m1, d1);
	per->unit = unit;
	per->count = 1;
	snprintf(per->label, sizeof(per->label), "%s", label);
}

/* November 2025, amortized cost. */
static void plan_november(struct plan *p, enum intent intent, enum dimension group)
{
	plan_init(p);
	p->intent = intent;
	p->group.dim = group;
	set_period(&p->range, 2025, 11, 1, 2025, 12, 1, UNIT_MONTH, "November 2025");
}

static void plan_compare(struct plan *p, enum intent intent, enum dimension group)
{
	plan_init(p);
	p->intent = intent;
	p->group.dim = group;
	set_period(&p->periods[0], 2025, 10, 1, 2025, 11, 1, UNIT_MONTH, "October 2025");
	set_period(&p->periods[1], 2025, 11, 1, 2025, 12, 1, UNIT_MONTH, "November 2025");
	p->range.start_day = p->periods[0].start_day;
	p->range.end_day = p->periods[1].end_day;
}

static struct cell text_cell(const char *s)
{
	return (struct cell){ .kind = CELL_TEXT, .v.s = xstrdup(s) };
}

static struct cell date_cell(const char *s)
{
	return (struct cell){ .kind = CELL_DATE, .v.s = xstrdup(s) };
}

static struct cell real_cell(double v)
{
	return (struct cell){ .kind = CELL_REAL, .v.r = v };
}

/* Twelve services adding up to $65,197.77; AmazonEC2 first at $14,889.01. */
static const struct {
	const char *code;
	double cost;
} services[] = {
	{ "AmazonEC2", 14889.01 },  { "AmazonRDS", 12000.00 }, { "AmazonS3", 9000.00 },
	{ "AWSLambda", 7000.00 },   { "AmazonCloudWatch", 6000.00 }, { "AmazonDynamoDB", 5000.00 },
	{ "AWSELB", 4000.00 },      { "AmazonVPC", 3000.00 },  { "AmazonRoute53", 2000.00 },
	{ "AmazonSNS", 1500.00 },   { "AWSQueueService", 500.00 }, { "awskms", 308.76 },
};
#define NSERVICES (sizeof(services) / sizeof(services[0]))

/* service | service_name | amortized_cost | share_pct, as build_breakdown gives. */
static void breakdown_table(struct table *t, size_t n)
{
	static const char *const names[] = { "service", "service_name", "amortized_cost", "share_pct" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_TEXT, CELL_REAL, CELL_REAL };
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += services[i].cost;
	table_init(t);
	table_set_columns(t, 4, names, kinds);
	for (size_t i = 0; i < n; i++) {
		struct cell *r = table_add_row(t);
		r[0] = text_cell(services[i].code);
		r[1] = text_cell(services[i].code);
		r[2] = real_cell(services[i].cost);
		r[3] = real_cell(round(10000 * services[i].cost / total) / 100);
	}
}

/* One cost column, one row. */
static void total_table(struct table *t, const char *column, double v, bool null)
{
	const char *names[] = { column };
	static const enum cell_kind kinds[] = { CELL_REAL };
	table_init(t);
	table_set_columns(t, 1, names, kinds);
	struct cell *r = table_add_row(t);
	if (!null)
		r[0] = real_cell(v);
}

/* period | amortized_cost over three days, or period | service | amortized_cost. */
static const char *const days3[] = { "2025-11-01", "2025-11-02", "2025-11-03" };
static const double daily[] = { 100.0, 250.5, 180.5 };

static void trend_table(struct table *t)
{
	static const char *const names[] = { "period", "amortized_cost" };
	static const enum cell_kind kinds[] = { CELL_DATE, CELL_REAL };
	table_init(t);
	table_set_columns(t, 2, names, kinds);
	for (size_t i = 0; i < 3; i++) {
		struct cell *r = table_add_row(t);
		r[0] = date_cell(days3[i]);
		r[1] = real_cell(daily[i]);
	}
}

/* nseries services over three days; series k costs (k + 1) * (day + 1),
 * and series 0 skips day 1 (a bucket without cost has no row). */
static void split_trend_table(struct table *t, size_t nseries)
{
	static const char *const names[] = { "period", "service", "amortized_cost" };
	static const enum cell_kind kinds[] = { CELL_DATE, CELL_TEXT, CELL_REAL };
	table_init(t);
	table_set_columns(t, 3, names, kinds);
	for (size_t d = 0; d < 3; d++)
		for (size_t k = 0; k < nseries; k++) {
			if (k == 0 && d == 1)
				continue;
			struct cell *r = table_add_row(t);
			r[0] = date_cell(days3[d]);
			r[1] = text_cell(services[k].code);
			r[2] = real_cell((double)((k + 1) * (d + 1)));
		}
}

/* service | October 2025 | November 2025 | change | change_pct */
static const struct {
	const char *code;
	double before, after;
} moves[] = {
	{ "AmazonEC2", 10000.00, 14889.01 },
	{ "AmazonRDS", 12500.00, 12000.00 },
	{ "AmazonS3", 0, 900.00 },
};

static void compare_table(struct table *t)
{
	static const char *const names[] = { "service", "October 2025", "November 2025", "change", "change_pct" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_REAL, CELL_REAL, CELL_REAL, CELL_REAL };
	table_init(t);
	table_set_columns(t, 5, names, kinds);
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		struct cell *r = table_add_row(t);
		r[0] = text_cell(moves[i].code);
		r[1] = real_cell(moves[i].before);
		r[2] = real_cell(moves[i].after);
		r[3] = real_cell(moves[i].after - moves[i].before);
		if (moves[i].before != 0)
			r[4] = real_cell(round(1000 * (moves[i].after - moves[i].before) / moves[i].before) / 10);
	}
}

/* compare_table's rows with movers' change_without_fees: EC2's change is
 * all fees but ec2_without. */
static void movers_table(struct table *t, double ec2_without)
{
	static const char *const names[] = { "service", "October 2025", "November 2025", "change", "change_pct",
					     "change_without_fees" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_REAL, CELL_REAL, CELL_REAL, CELL_REAL, CELL_REAL };
	struct table plain;
	compare_table(&plain);
	table_init(t);
	table_set_columns(t, 6, names, kinds);
	for (size_t i = 0; i < plain.nrows; i++) {
		struct cell *r = table_add_row(t);
		for (size_t c = 0; c < 5; c++)
			r[c] = *table_at(&plain, i, c);
		r[0] = text_cell(moves[i].code);
		r[5] = real_cell(i == 0 ? ec2_without : moves[i].after - moves[i].before);
	}
	table_release(&plain);
}

static char *narrate(const struct plan *p, const struct table *t, const struct answer_context *ctx)
{
	struct strbuf md;
	strbuf_init(&md, 0);
	answer_narrate(p, t, ctx, &md);
	return strbuf_detach(&md);
}

static const char *chart_type(const json_t *chart)
{
	return json_string_value(json_object_get(chart, "type"));
}

static json_t *chart_datasets(const json_t *chart)
{
	return json_object_get(json_object_get(chart, "data"), "datasets");
}

static json_t *chart_labels(const json_t *chart)
{
	return json_object_get(json_object_get(chart, "data"), "labels");
}

static double dataset_value(const json_t *chart, size_t ds, size_t i)
{
	json_t *data = json_object_get(json_array_get(chart_datasets(chart), ds), "data");
	assert_true(i < json_array_size(data));
	return json_number_value(json_array_get(data, i));
}

/* ---- format_money ---- */

static void test_format_money(void **state)
{
	(void)state;
	char buf[64];
	format_money(0, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "$0.00");
	format_money(-500, "USD", buf, sizeof(buf));
	assert_string_equal(buf, "-$500.00");
	format_money(1234567.891, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "$1,234,567.89");
	format_money(-0.004, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "$0.00");
	format_money(65197.77, "", buf, sizeof(buf));
	assert_string_equal(buf, "$65,197.77");
	format_money(999.999, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "$1,000.00");
	format_money(100, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "$100.00");
	format_money(-1234.5, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "-$1,234.50");
	format_money(1234, "EUR", buf, sizeof(buf));
	assert_string_equal(buf, "EUR 1,234.00");
	format_money(-5, "EUR", buf, sizeof(buf));
	assert_string_equal(buf, "-EUR 5.00");
	format_money(NAN, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "n/a");
	format_money(1e15, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "$1,000,000,000,000,000.00");
	/* a short buffer is cut, never overrun */
	char small[5];
	format_money(1234567.891, NULL, small, sizeof(small));
	assert_string_equal(small, "$1,2");
}

/* ---- narrative ---- */

static void test_narrate_breakdown(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	plan_november(&p, INTENT_BREAKDOWN, DIM_SERVICE);
	breakdown_table(&t, NSERVICES);
	char *md = narrate(&p, &t, NULL);
	assert_contains(md, "**$65,197.77**");
	assert_contains(md, "across 12 services");
	assert_contains(md, "in November 2025 (2025-11-01 to 2025-11-30)");
	assert_contains(md, "**AmazonEC2** is the largest at $14,889.01 (22.8%)");
	assert_contains(md, "followed by **AmazonRDS** at $12,000.00 (18.4%)");
	free(md);
	table_release(&t);
}

static void test_narrate_top_n_and_untagged(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	static const char *const names[] = { "team", "amortized_cost", "share_pct" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_REAL, CELL_REAL };
	plan_november(&p, INTENT_BREAKDOWN, DIM_TAG);
	snprintf(p.group.tag_key, sizeof(p.group.tag_key), "team");
	table_init(&t);
	table_set_columns(&t, 3, names, kinds);
	struct cell *r = table_add_row(&t);
	r[0] = text_cell("platform"), r[1] = real_cell(600), r[2] = real_cell(60);
	r = table_add_row(&t);
	r[0] = text_cell("(untagged)"), r[1] = real_cell(300), r[2] = real_cell(30);
	r = table_add_row(&t);
	r[0] = text_cell("data_eng"), r[1] = real_cell(100), r[2] = real_cell(10);
	char *md = narrate(&p, &t, NULL);
	assert_contains(md, "across 2 team values and untagged cost"); /* "(untagged)" is not a value */
	assert_contains(md, "**platform** is the largest at $600.00 (60.0%)");
	assert_contains(md, "$300.00 (30.0%) has no team tag");
	assert_contains(md, "**data\\_eng**"); /* markdown escaped */
	assert_not_contains(md, "**(untagged)**");
	free(md);

	/* the cost without a value ranks first: said first, the rest after it */
	table_release(&t);
	static const char *const region_names[] = { "region", "amortized_cost", "share_pct" };
	plan_november(&p, INTENT_BREAKDOWN, DIM_REGION);
	table_init(&t);
	table_set_columns(&t, 3, region_names, kinds);
	r = table_add_row(&t);
	r[0] = text_cell("(none)"), r[1] = real_cell(700), r[2] = real_cell(70);
	r = table_add_row(&t);
	r[0] = text_cell("us-east-1"), r[1] = real_cell(300), r[2] = real_cell(30);
	md = narrate(&p, &t, NULL);
	assert_contains(md, "across 2 regions. $700.00 (70.0%) has no region; of the rest, **us-east-1** is the "
			    "largest at $300.00 (30.0%).");
	free(md);
	p.group.dim = DIM_TAG;
	snprintf(p.group.tag_key, sizeof(p.group.tag_key), "team");

	p.limit = 2;
	table_release(&t);
	table_init(&t);
	table_set_columns(&t, 3, names, kinds);
	r = table_add_row(&t);
	r[0] = text_cell("platform"), r[1] = real_cell(600), r[2] = real_cell(60);
	r = table_add_row(&t);
	r[0] = text_cell("data"), r[1] = real_cell(100), r[2] = real_cell(10);
	md = narrate(&p, &t, NULL);
	assert_contains(md, "The top 2 team values");
	assert_contains(md, "**$700.00**, 70.0% of the total");
	free(md);
	table_release(&t);
}

static void test_narrate_total(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	struct answer_context ctx;
	plan_november(&p, INTENT_TOTAL, DIM_NONE);
	total_table(&t, "amortized_cost", 65197.77, false);
	answer_context_init(&ctx);
	ctx.has_previous = true;
	ctx.previous_total = 62583.43;
	snprintf(ctx.previous_label, sizeof(ctx.previous_label), "October 2025");
	char *md = narrate(&p, &t, &ctx);
	assert_contains(md, "Total amortized cost in November 2025 (2025-11-01 to 2025-11-30) was **$65,197.77**.");
	assert_contains(md, "up 4.2% from $62,583.43 in October 2025");
	assert_not_contains(md, "about"); /* no compact figure under a million */
	free(md);
	table_release(&t);

	/* a million and more: the compact figure next to the exact one; EUR */
	total_table(&t, "amortized_cost", 1234567.891, false);
	ctx.has_previous = false;
	ctx.currency = "EUR";
	md = narrate(&p, &t, &ctx);
	assert_contains(md, "**EUR 1,234,567.89** (about EUR 1.2M)");
	free(md);
	table_release(&t);

	/* a previous period known only by its dates */
	ctx.has_previous = true;
	ctx.currency = NULL;
	ctx.previous_total = 1234567.891;
	snprintf(ctx.previous_label, sizeof(ctx.previous_label), "2025-10-01 to 2025-10-31");
	total_table(&t, "amortized_cost", 1234567.891, false);
	md = narrate(&p, &t, &ctx);
	assert_contains(md, "That is unchanged from $1,234,567.89 in the previous period (2025-10-01 to 2025-10-31).");
	free(md);
	table_release(&t);

	/* fees on one side only: named with their date, and the change without them */
	ctx.previous_total = 13138.75;
	snprintf(ctx.previous_label, sizeof(ctx.previous_label), "October 2025");
	ctx.lumps = (struct answer_lumps){ .one_sided = true, .later = 9042.86, .earlier = 0,
					   .first_day = date_from_ymd(2025, 11, 1), .last_day = date_from_ymd(2025, 11, 1),
					   .ndays = 1 };
	total_table(&t, "amortized_cost", 22183.24, false);
	md = narrate(&p, &t, &ctx);
	assert_contains(md, "That is up 68.8% from $13,138.75 in October 2025. **$9,042.86** of it is fees charged "
			    "on 2025-11-01 (booked once, not by the day), which the earlier period does not have; "
			    "without them it is $13,140.38, up $1.63 (0.0%) from $13,138.75 in October 2025.");
	free(md);
	/* ... or on the earlier side, over several days */
	ctx.lumps = (struct answer_lumps){ .one_sided = true, .later = 0, .earlier = 500,
					   .first_day = date_from_ymd(2025, 10, 1), .last_day = date_from_ymd(2025, 10, 3),
					   .ndays = 2 };
	md = narrate(&p, &t, &ctx);
	assert_contains(md, "The earlier period holds **$500.00** of fees charged on 2 days from 2025-10-01 to "
			    "2025-10-03 (booked once, not by the day), which this one does not have; without them it "
			    "is $22,183.24, up $9,544.49 (75.5%) from $12,638.75 in October 2025.");
	free(md);
	/* not one-sided: nothing said */
	ctx.lumps.one_sided = false;
	md = narrate(&p, &t, &ctx);
	assert_not_contains(md, "booked once");
	free(md);
	table_release(&t);
	ctx.has_previous = false;

	/* a filter is named */
	struct filter *f = plan_set_filter(&p, &(struct dim_ref){ .dim = DIM_SERVICE }, FILTER_IN);
	f->nvalues = 1;
	snprintf(f->values[0], sizeof(f->values[0]), "AmazonEC2");
	total_table(&t, "amortized_cost", -500, false);
	md = narrate(&p, &t, NULL);
	assert_contains(md, "Total amortized cost for AmazonEC2 in November 2025");
	assert_contains(md, "**-$500.00**");
	free(md);
	table_release(&t);
}

static void test_narrate_empty(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	plan_november(&p, INTENT_TOTAL, DIM_NONE);
	total_table(&t, "amortized_cost", 0, true); /* sum over nothing is NULL */
	char *md = narrate(&p, &t, NULL);
	assert_contains(md, "There is no amortized cost in November 2025 (2025-11-01 to 2025-11-30).");
	free(md);
	table_release(&t);

	plan_november(&p, INTENT_BREAKDOWN, DIM_SERVICE);
	breakdown_table(&t, 0);
	md = narrate(&p, &t, NULL);
	assert_contains(md, "There is no amortized cost in November 2025");
	free(md);
	table_release(&t);

	plan_compare(&p, INTENT_COMPARE_PERIODS, DIM_NONE);
	md = narrate(&p, NULL, NULL);
	assert_contains(md, "in October 2025 (2025-10-01 to 2025-10-31) or in November 2025");
	free(md);
}

static void test_narrate_messages(void **state)
{
	(void)state;
	struct plan p;
	plan_init(&p);
	p.intent = INTENT_CLARIFY;
	snprintf(p.message, sizeof(p.message), "Which service did you mean by 'ec'?");
	p.nchoices = 2;
	snprintf(p.choices[0], sizeof(p.choices[0]), "AmazonEC2");
	snprintf(p.choices[1], sizeof(p.choices[1]), "AmazonECS");
	char *md = narrate(&p, NULL, NULL);
	assert_string_equal(md, "Which service did you mean by 'ec'?\n\n- AmazonEC2\n- AmazonECS");
	free(md);

	p.intent = INTENT_HELP;
	p.message[0] = '\0';
	p.nchoices = 0;
	md = narrate(&p, NULL, NULL);
	assert_contains(md, "finq answers questions");
	assert_contains(md, "\n- Show the top 5 services last month");
	free(md);
}

static void test_narrate_trend(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	plan_init(&p);
	p.intent = INTENT_TREND;
	p.grain = GRAIN_DAY;
	set_period(&p.range, 2025, 11, 1, 2025, 11, 4, UNIT_SPAN, "");
	trend_table(&t);
	char *md = narrate(&p, &t, NULL);
	assert_contains(md, "Daily amortized cost from 2025-11-01 to 2025-11-03: **$531.00** in total, "
			    "an average of $177.00 a day over 3 days.");
	assert_contains(md, "It went from $100.00 on 2025-11-01 to $180.50 on 2025-11-03 (+80.5%)");
	assert_contains(md, "the peak was $250.50 on 2025-11-02");
	free(md);
	table_release(&t);

	/* fees in the last bucket only (lumps_compare_series): the comparison's
	 * note on the change from the first to the last */
	struct answer_context ctx;
	answer_context_init(&ctx);
	ctx.lumps = (struct answer_lumps){ .one_sided = true, .later = 50, .earlier = 0,
					   .first_day = date_from_ymd(2025, 11, 3), .last_day = date_from_ymd(2025, 11, 3),
					   .ndays = 1 };
	trend_table(&t);
	md = narrate(&p, &t, &ctx);
	assert_contains(md, "It went from $100.00 on 2025-11-01 to $180.50 on 2025-11-03 (+80.5%). **$50.00** of it "
			    "is fees charged on 2025-11-03 (booked once, not by the day), which the earlier period does "
			    "not have; without them it is $130.50, up $30.50 (30.5%) from $100.00 on 2025-11-01. The "
			    "peak was $250.50 on 2025-11-02.");
	free(md);
	/* a peak that is its fees (lumps_peak) */
	ctx.lumps.one_sided = false;
	ctx.peak_is_lumps = true;
	ctx.peak_day = date_from_ymd(2025, 11, 2);
	ctx.peak_lumps = (struct answer_lumps){ .later = 150, .first_day = ctx.peak_day, .last_day = ctx.peak_day,
						.ndays = 1 };
	md = narrate(&p, &t, &ctx);
	assert_contains(md, "; the peak was $250.50 on 2025-11-02; **$150.00** of it is fees charged on 2025-11-02 "
			    "(booked once, not by the day).");
	free(md);
	table_release(&t);

	/* split by service: the largest series */
	p.group.dim = DIM_SERVICE;
	split_trend_table(&t, 3);
	md = narrate(&p, &t, NULL);
	assert_contains(md, "Of the 3 services, **AmazonS3** is the largest at $18.00 (52.9%).");
	free(md);
	table_release(&t);
}

static void test_narrate_compare(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	static const char *const names[] = { "period", "label", "amortized_cost" };
	static const enum cell_kind kinds[] = { CELL_DATE, CELL_TEXT, CELL_REAL };
	plan_compare(&p, INTENT_COMPARE_PERIODS, DIM_NONE);
	table_init(&t);
	table_set_columns(&t, 3, names, kinds);
	struct cell *r = table_add_row(&t);
	r[0] = date_cell("2025-10-01"), r[1] = text_cell("October 2025"), r[2] = real_cell(62583.43);
	r = table_add_row(&t);
	r[0] = date_cell("2025-11-01"), r[1] = text_cell("November 2025"), r[2] = real_cell(65197.77);
	char *md = narrate(&p, &t, NULL);
	assert_contains(md, "Amortized cost was **$65,197.77** in November 2025 (2025-11-01 to 2025-11-30), "
			    "up $2,614.34 (4.2%) from $62,583.43 in October 2025 (2025-10-01 to 2025-10-31).");
	free(md);
	table_release(&t);

	/* grouped: the totals, the biggest increase and decrease */
	plan_compare(&p, INTENT_COMPARE_PERIODS, DIM_SERVICE);
	compare_table(&t);
	md = narrate(&p, &t, NULL);
	assert_contains(md, "Across 3 services, amortized cost was **$27,789.01** in November 2025");
	assert_contains(md, "up $5,289.01 (23.5%) from $22,500.00 in October 2025");
	assert_contains(md, "The biggest increase was **AmazonEC2**: up $4,889.01 (+48.9%), from $10,000.00 to $14,889.01.");
	assert_contains(md, "The biggest decrease was **AmazonRDS**: down $500.00 (-4.0%)");
	free(md);

	/* movers: the top mover with its before and after */
	p.intent = INTENT_MOVERS;
	md = narrate(&p, &t, NULL);
	assert_contains(md, "The biggest increase in amortized cost from October 2025 (2025-10-01 to 2025-10-31) "
			    "to November 2025 (2025-11-01 to 2025-11-30) was **AmazonEC2**: up $4,889.01 (+48.9%), "
			    "from $10,000.00 to $14,889.01.");
	assert_contains(md, "Next: **AmazonS3** (+$900.00)");
	free(md);
	p.ascending = true;
	md = narrate(&p, &t, NULL);
	assert_contains(md, "The biggest decrease in amortized cost");
	assert_contains(md, "was **AmazonRDS**: down $500.00 (-4.0%), from $12,500.00 to $12,000.00.");
	free(md);
	table_release(&t);

	/* movers ranked without the fees of one side: EC2's $4,889.01 is
	 * $4,799.00 of fees, so S3 leads and EC2 follows at +$90.01; or EC2
	 * leads at +$1,000.00 without them, the headline giving both */
	static const struct {
		double ec2_without;
		const char *says;
	} ranked[] = {
		{ 90.01, "was **AmazonS3**: up $900.00 (new), from $0.00 to $900.00. Next: **AmazonEC2** (+$90.01). "
			 "Ranked by the change without the fees booked on one side only (change_without_fees)." },
		{ 1000, "was **AmazonEC2**: up $1,000.00 without its fees booked on one side only (with them up "
			"$4,889.01 (+48.9%), from $10,000.00 to $14,889.01)." },
	};
	p.ascending = false;
	for (size_t i = 0; i < sizeof(ranked) / sizeof(ranked[0]); i++) {
		movers_table(&t, ranked[i].ec2_without);
		md = narrate(&p, &t, NULL);
		assert_contains(md, ranked[i].says);
		free(md);
		table_release(&t);
	}
}

static void test_narrate_usage_and_average(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	static const char *const names[] = { "usage", "unit" };
	static const enum cell_kind kinds[] = { CELL_REAL, CELL_TEXT };
	plan_november(&p, INTENT_TOTAL, DIM_NONE);
	p.measure = MEASURE_USAGE;
	table_init(&t);
	table_set_columns(&t, 2, names, kinds);
	struct cell *r = table_add_row(&t);
	r[0] = real_cell(1234.5), r[1] = text_cell("Hrs");
	char *md = narrate(&p, &t, NULL);
	assert_contains(md, "Total usage in November 2025 (2025-11-01 to 2025-11-30) was **1,234.50 Hrs**.");
	free(md);
	table_release(&t);

	static const char *const avg_names[] = { "average_daily_amortized_cost", "total_amortized_cost", "days" };
	static const enum cell_kind avg_kinds[] = { CELL_REAL, CELL_REAL, CELL_INT };
	plan_november(&p, INTENT_AVERAGE_DAILY, DIM_NONE);
	table_init(&t);
	table_set_columns(&t, 3, avg_names, avg_kinds);
	r = table_add_row(&t);
	r[0] = real_cell(65197.77 / 30), r[1] = real_cell(65197.77), r[2] = (struct cell){ .kind = CELL_INT, .v.i = 30 };
	md = narrate(&p, &t, NULL);
	assert_contains(md, "was **$2,173.26** ($65,197.77 over 30 days)");
	free(md);
	table_release(&t);
}

/* ---- charts ---- */

static void test_chart_breakdowns(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	plan_november(&p, INTENT_BREAKDOWN, DIM_SERVICE);

	/* 2 items: doughnut, bar as the alternative */
	breakdown_table(&t, 2);
	json_t *c = answer_chart(&p, &t);
	assert_non_null(c);
	assert_string_equal(chart_type(c), "doughnut");
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "alternatives"), 0)), "bar");
	assert_int_equal(json_array_size(chart_labels(c)), 2);
	assert_string_equal(json_string_value(json_array_get(chart_labels(c), 0)), "AmazonEC2");
	assert_close(dataset_value(c, 0, 0), 14889.01, 0);
	assert_close(dataset_value(c, 0, 1), 12000.00, 0);
	assert_string_equal(json_string_value(json_object_get(c, "title")), "Amortized cost by service, November 2025");
	json_t *ptitle = json_object_get(json_object_get(json_object_get(c, "options"), "plugins"), "title");
	assert_string_equal(json_string_value(json_object_get(ptitle, "text")), "Amortized cost by service, November 2025");
	json_decref(c);
	table_release(&t);

	/* 12 items: horizontal bar, every value as in the table, money axis */
	breakdown_table(&t, NSERVICES);
	c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "bar");
	json_t *opts = json_object_get(c, "options");
	assert_string_equal(json_string_value(json_object_get(opts, "indexAxis")), "y");
	json_t *ticks = json_object_get(json_object_get(json_object_get(opts, "scales"), "x"), "ticks");
	assert_string_equal(json_string_value(json_object_get(ticks, "format")), "currency");
	assert_string_equal(json_string_value(json_object_get(ticks, "currency")), "USD");
	assert_int_equal(json_array_size(chart_labels(c)), NSERVICES);
	for (size_t i = 0; i < NSERVICES; i++) {
		assert_string_equal(json_string_value(json_array_get(chart_labels(c), i)), services[i].code);
		assert_close(dataset_value(c, 0, i), cell_number(table_at(&t, i, 2)), 0);
	}
	json_decref(c);

	/* the user asked for a pie: a pie, folded to 8 slices with "Other" */
	p.chart = CHART_PIE;
	c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "pie");
	assert_int_equal(json_array_size(chart_labels(c)), 8);
	assert_string_equal(json_string_value(json_array_get(chart_labels(c), 7)), "Other");
	double rest = 0;
	for (size_t i = 7; i < NSERVICES; i++)
		rest += services[i].cost;
	assert_close(dataset_value(c, 0, 7), rest, 1e-9);
	json_decref(c);

	/* ... and a table: no chart */
	p.chart = CHART_TABLE;
	assert_null(answer_chart(&p, &t));
	table_release(&t);

	/* a credit among 3 items: no doughnut; the narrative names it */
	p.chart = CHART_AUTO;
	breakdown_table(&t, 3);
	t.cells[2 * t.ncols + 2].v.r = -50;
	c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "bar");
	assert_close(dataset_value(c, 0, 2), -50, 0);
	json_decref(c);
	char *md = narrate(&p, &t, NULL);
	assert_contains(md, "**AmazonS3** is a net credit of -$50.00.");
	free(md);
	table_release(&t);
}

static void test_chart_pie_override(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	plan_november(&p, INTENT_BREAKDOWN, DIM_SERVICE);
	p.chart = CHART_PIE;
	breakdown_table(&t, 5);
	json_t *c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "pie");
	assert_int_equal(json_array_size(chart_labels(c)), 5);
	for (size_t i = 0; i < 5; i++)
		assert_close(dataset_value(c, 0, i), services[i].cost, 0);
	json_decref(c);
	table_release(&t);

	/* a pie of a time series makes no sense: the line stays */
	plan_november(&p, INTENT_TREND, DIM_NONE);
	p.grain = GRAIN_DAY;
	p.chart = CHART_PIE;
	trend_table(&t);
	c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "line");
	json_decref(c);
	/* a bar does */
	p.chart = CHART_BAR;
	c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "bar");
	json_decref(c);
	table_release(&t);
}

static void test_chart_trends(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	plan_november(&p, INTENT_TREND, DIM_NONE);
	p.grain = GRAIN_DAY;
	trend_table(&t);
	json_t *c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "line");
	assert_int_equal(json_array_size(chart_datasets(c)), 1);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(json_string_value(json_array_get(chart_labels(c), i)), days3[i]);
		assert_close(dataset_value(c, 0, i), daily[i], 0);
	}
	json_decref(c);
	table_release(&t);

	/* split by service: stacked area, one dataset per service, largest first */
	p.group.dim = DIM_SERVICE;
	split_trend_table(&t, 3);
	c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "line");
	json_t *y = json_object_get(json_object_get(json_object_get(c, "options"), "scales"), "y");
	assert_true(json_is_true(json_object_get(y, "stacked")));
	assert_int_equal(json_array_size(chart_datasets(c)), 3);
	json_t *first = json_array_get(chart_datasets(c), 0);
	assert_string_equal(json_string_value(json_object_get(first, "label")), "AmazonS3"); /* 3+6+9 */
	assert_string_equal(json_string_value(json_object_get(first, "fill")), "origin");
	assert_string_equal(json_string_value(json_object_get(json_array_get(chart_datasets(c), 1), "fill")), "-1");
	assert_close(dataset_value(c, 0, 2), 9, 0);
	/* AmazonEC2 (series 0) had no row on day 2: zero there */
	assert_string_equal(json_string_value(json_object_get(json_array_get(chart_datasets(c), 2), "label")),
			    "AmazonEC2");
	assert_close(dataset_value(c, 2, 0), 1, 0);
	assert_close(dataset_value(c, 2, 1), 0, 0);
	assert_close(dataset_value(c, 2, 2), 3, 0);
	json_decref(c);
	table_release(&t);

	/* 11 series: the top 8 and "Other" */
	split_trend_table(&t, 11);
	c = answer_chart(&p, &t);
	assert_int_equal(json_array_size(chart_datasets(c)), 9);
	json_t *other = json_array_get(chart_datasets(c), 8);
	assert_string_equal(json_string_value(json_object_get(other, "label")), "Other");
	/* the three smallest: series 0, 1, 2 -> (1 + 2 + 3) * (day + 1), series 0 absent on day 2 */
	assert_close(dataset_value(c, 8, 0), 6, 0);
	assert_close(dataset_value(c, 8, 1), 10, 0);
	assert_close(dataset_value(c, 8, 2), 18, 0);
	json_decref(c);
	table_release(&t);
}

static void test_chart_comparisons_and_kpi(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	plan_compare(&p, INTENT_COMPARE_PERIODS, DIM_SERVICE);
	compare_table(&t);
	json_t *c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "bar");
	assert_int_equal(json_array_size(chart_datasets(c)), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(chart_datasets(c), 0), "label")),
			    "October 2025");
	assert_string_equal(json_string_value(json_object_get(json_array_get(chart_datasets(c), 1), "label")),
			    "November 2025");
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(json_string_value(json_array_get(chart_labels(c), i)), moves[i].code);
		assert_close(dataset_value(c, 0, i), moves[i].before, 0);
		assert_close(dataset_value(c, 1, i), moves[i].after, 0);
	}
	json_decref(c);
	table_release(&t);

	/* a total: a KPI card, with the change when the context knows the previous total */
	struct answer_context ctx;
	answer_context_init(&ctx);
	plan_november(&p, INTENT_TOTAL, DIM_NONE);
	total_table(&t, "amortized_cost", 65197.77, false);
	c = answer_chart(&p, &t);
	assert_string_equal(chart_type(c), "kpi");
	assert_close(json_number_value(json_object_get(c, "value")), 65197.77, 0);
	assert_null(json_object_get(c, "change_pct"));
	assert_string_equal(json_string_value(json_object_get(c, "format")), "currency");
	json_decref(c);
	ctx.has_previous = true;
	ctx.previous_total = 62583.43;
	c = answer_chart_ctx(&p, &t, &ctx);
	assert_close(json_number_value(json_object_get(c, "change_pct")), 100 * (65197.77 - 62583.43) / 62583.43,
		     1e-9);
	json_decref(c);
	table_release(&t);

	/* nothing to chart */
	total_table(&t, "amortized_cost", 0, true);
	assert_null(answer_chart(&p, &t));
	table_release(&t);
	p.intent = INTENT_CLARIFY;
	assert_null(answer_chart(&p, NULL));
}

/* ---- suggestions ---- */

static void test_suggest(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	char out[6][ANSWER_SUGGESTION_MAX];
	plan_november(&p, INTENT_BREAKDOWN, DIM_SERVICE);
	breakdown_table(&t, NSERVICES);
	int n = answer_suggest(&p, &t, out, 6);
	assert_true(n >= 2 && n <= 4);
	assert_string_equal(out[0], "Break down AmazonEC2 by usage type");
	bool top_n = false;
	for (int i = 0; i < n; i++) {
		assert_not_contains(out[i], "by service");
		top_n = top_n || strcmp(out[i], "Show the top 5 services") == 0;
	}
	assert_true(top_n);
	table_release(&t);

	/* by account, with the account's name: never "by account" again */
	static const char *const names[] = { "account", "account_name", "amortized_cost", "share_pct" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_TEXT, CELL_REAL, CELL_REAL };
	plan_november(&p, INTENT_BREAKDOWN, DIM_ACCOUNT);
	table_init(&t);
	table_set_columns(&t, 4, names, kinds);
	struct cell *r = table_add_row(&t);
	r[0] = text_cell("111111111111"), r[1] = text_cell("Production"), r[2] = real_cell(900), r[3] = real_cell(90);
	r = table_add_row(&t);
	r[0] = text_cell("222222222222"), r[1] = text_cell("Staging"), r[2] = real_cell(100), r[3] = real_cell(10);
	n = answer_suggest(&p, &t, out, 4);
	assert_true(n >= 2 && n <= 4);
	assert_string_equal(out[0], "Break down 111111111111 by service");
	for (int i = 0; i < n; i++)
		assert_not_contains(out[i], "by account");
	char *md = narrate(&p, &t, NULL);
	assert_contains(md, "**111111111111** (Production) is the largest at $900.00 (90.0%)");
	free(md);
	table_release(&t);

	/* a total: other groupings, the trend, the previous month */
	plan_november(&p, INTENT_TOTAL, DIM_NONE);
	total_table(&t, "amortized_cost", 65197.77, false);
	n = answer_suggest(&p, &t, out, 4);
	assert_int_equal(n, 4);
	assert_string_equal(out[0], "Break it down by service");
	assert_string_equal(out[1], "Show the daily trend");
	assert_string_equal(out[2], "Compare with the previous month");
	assert_string_equal(out[3], "Break it down by account");
	assert_int_equal(answer_suggest(&p, &t, out, 1), 1);
	table_release(&t);

	/* a split trend: drill into the largest series, not "by service" */
	plan_november(&p, INTENT_TREND, DIM_SERVICE);
	p.grain = GRAIN_DAY;
	split_trend_table(&t, 3);
	n = answer_suggest(&p, &t, out, 4);
	assert_true(n >= 2);
	assert_string_equal(out[0], "Break down AmazonS3 by usage type");
	for (int i = 0; i < n; i++)
		assert_not_contains(out[i], "by service");
	table_release(&t);

	/* a clarification offers its choices */
	plan_init(&p);
	p.intent = INTENT_CLARIFY;
	p.nchoices = 2;
	snprintf(p.choices[0], sizeof(p.choices[0]), "AmazonEC2");
	snprintf(p.choices[1], sizeof(p.choices[1]), "AmazonECS");
	n = answer_suggest(&p, NULL, out, 4);
	assert_int_equal(n, 2);
	assert_string_equal(out[1], "AmazonECS");
}

/* ---- terminal ---- */

static void test_print_terminal(void **state)
{
	(void)state;
	struct plan p;
	struct table t;
	char *text = NULL;
	plan_november(&p, INTENT_BREAKDOWN, DIM_SERVICE);
	breakdown_table(&t, NSERVICES);
	char *md = narrate(&p, &t, NULL);
	UNIT_CAPTURE(text, answer_print_terminal(&p, &t, md, "amortized cost by service, November 2025", capture, false));
	assert_contains(text, "AmazonEC2 is the largest at $14,889.01 (22.8%)");
	assert_not_contains(text, "**");
	assert_not_contains(text, "\033[");
	assert_contains(text, "How I read it: amortized cost by service, November 2025");
	assert_contains(text, "14,889.01");
	assert_contains(text, "22.8%");
	assert_contains(text, "██████████████████████████████"); /* the largest: 30 cells */
	assert_contains(text, "(12 rows)");
	free(text);

	UNIT_CAPTURE(text, answer_print_terminal(&p, &t, md, NULL, capture, true));
	assert_contains(text, "\033[1mAmazonEC2\033[0m");
	assert_not_contains(text, "How I read it");
	free(text);
	free(md);
	table_release(&t);

	/* 60 rows: 50 shown, the rest counted; a credit drawn apart */
	static const char *const names[] = { "resource", "amortized_cost", "share_pct" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_REAL, CELL_REAL };
	plan_november(&p, INTENT_BREAKDOWN, DIM_RESOURCE);
	table_init(&t);
	table_set_columns(&t, 3, names, kinds);
	for (int i = 0; i < 60; i++) {
		char id[32];
		snprintf(id, sizeof(id), "i-%04d", i);
		struct cell *r = table_add_row(&t);
		r[0] = text_cell(id);
		r[1] = real_cell(i == 1 ? -1000 : 2000.0 - i);
		r[2] = real_cell(1.5);
	}
	UNIT_CAPTURE(text, answer_print_terminal(&p, &t, NULL, NULL, capture, false));
	assert_contains(text, "i-0049");
	assert_not_contains(text, "i-0050");
	assert_contains(text, "10 more rows not shown");
	assert_contains(text, "(60 rows)");
	assert_contains(text, "-1,000.00       1.5%  ░░░░░░░░░░░░░░░\n"); /* half the largest: 15 cells */
	assert_contains(text, "2,000.00");
	free(text);
	table_release(&t);

	/* a comparison: signed changes, "new" where there was nothing before */
	plan_compare(&p, INTENT_COMPARE_PERIODS, DIM_SERVICE);
	compare_table(&t);
	UNIT_CAPTURE(text, answer_print_terminal(&p, &t, NULL, NULL, capture, false));
	assert_contains(text, "+4,889.01");
	assert_contains(text, "+48.9%");
	assert_contains(text, "-4.0%");
	assert_contains(text, "new");
	assert_not_contains(text, "█");
	free(text);
	table_release(&t);

	/* a clarification: the message and its choices, no table, no repeated reading */
	plan_init(&p);
	p.intent = INTENT_CLARIFY;
	snprintf(p.message, sizeof(p.message), "Which *service*?");
	p.nchoices = 1;
	snprintf(p.choices[0], sizeof(p.choices[0]), "AmazonEC2");
	md = narrate(&p, NULL, NULL);
	UNIT_CAPTURE(text, answer_print_terminal(&p, NULL, md, p.message, capture, false));
	assert_string_equal(text, "Which *service*?\n\n- AmazonEC2\n");
	free(text);
	free(md);

	/* a trend has bars too */
	plan_november(&p, INTENT_TREND, DIM_NONE);
	p.grain = GRAIN_DAY;
	trend_table(&t);
	UNIT_CAPTURE(text, answer_print_terminal(&p, &t, NULL, NULL, capture, false));
	assert_contains(text, "250.50  ██████████████████████████████\n");
	free(text);
	table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_money),
		cmocka_unit_test(test_narrate_breakdown),
		cmocka_unit_test(test_narrate_top_n_and_untagged),
		cmocka_unit_test(test_narrate_total),
		cmocka_unit_test(test_narrate_empty),
		cmocka_unit_test(test_narrate_messages),
		cmocka_unit_test(test_narrate_trend),
		cmocka_unit_test(test_narrate_compare),
		cmocka_unit_test(test_narrate_usage_and_average),
		cmocka_unit_test(test_chart_breakdowns),
		cmocka_unit_test(test_chart_pie_override),
		cmocka_unit_test(test_chart_trends),
		cmocka_unit_test(test_chart_comparisons_and_kpi),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_print_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
