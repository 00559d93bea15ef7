/*
 * recommend_rules: the savings rules of `finq recommend`, one entry each in
 * recommend_rules[] (sorted by id), with their detectors and saving formulas.
 *
 * A detector reads evidence lines from `costs` over the window (most through
 * detect_lines and the rule's SQL condition); a saving formula turns the
 * lines into a saving over the window and writes its arithmetic. Savings use
 * the rate the bill shows (cost ÷ usage) times a public price ratio or a
 * stated share from pricing.h, so regional prices and discounts carry over.
 * Rules may overlap (an old instance in staging is also a Spot candidate):
 * each saving assumes its change alone.
 */
#include "recommend.h"

#include "answer.h"
#include "date.h"
#include "pricing.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line types that carry usage (CONVENTIONS.md): negations and fees do not. */
#define USAGE_LINES "charge_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')"

/* Environment words that mark non-production, in an env tag or an account name. */
static const char *const non_production[] = {
	"dev", "develop", "development", "nonprod", "non-prod", "qa", "sandbox", "stage", "staging", "test", "testing",
	NULL,
};

/* --- formatting ---------------------------------------------------------- */

static void money(const struct rule_context *ctx, double v, char *buf, size_t size)
{
	insight_money(ctx->req, v, buf, size);
}

/* A unit price: "$0.10", "$0.045", "$0.0416": at least two decimals, at most four. */
static void rate(const struct rule_context *ctx, double v, char *buf, size_t size)
{
	const char *cur = ctx->req->currency;
	bool usd = !cur || !*cur || strcmp(cur, "USD") == 0;
	char num[32];
	snprintf(num, sizeof(num), "%.4f", fabs(v));
	size_t n = strlen(num), keep = (size_t)(strchr(num, '.') - num) + 3;
	while (n > keep && num[n - 1] == '0')
		num[--n] = '\0';
	snprintf(buf, size, "%s%s%s%s", v < 0 ? "-" : "", usd ? "$" : cur, usd ? "" : " ", num);
}

static void quantity(double v, char *buf, size_t size)
{
	format_grouped(v, v >= 100 ? 0 : 2, buf, size);
}

static void percent(double share, char *buf, size_t size)
{
	snprintf(buf, size, "%g%%", round(share * 1000) / 10);
}

static size_t count_resources(const struct finding *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nlines; i++) {
		const char *id = f->lines[i].resource_id;
		bool seen = false;
		for (size_t j = 0; id && j < i && !seen; j++)
			seen = f->lines[j].resource_id && strcmp(f->lines[j].resource_id, id) == 0;
		n += id && !seen;
	}
	return n;
}

static void totals(const struct finding *f, double *usage, double *cost)
{
	*usage = *cost = 0;
	for (size_t i = 0; i < f->nlines; i++) {
		*usage += f->lines[i].usage;
		*cost += f->lines[i].cost;
	}
}

/* --- detectors ------------------------------------------------------------ */

static char *text_cell(const struct table *t, size_t row, size_t col)
{
	const struct cell *c = table_at(t, row, col);
	return c->kind == CELL_NULL ? NULL : xstrdup(cell_format(c, (char[256]){ 0 }, 256));
}

/*
 * The lines matching `where` over the window, one per resource, account,
 * region and usage type. `win` is every row of the window (not narrowed by
 * the scope, so conditions can look at other services); the scope narrows
 * the lines themselves.
 */
static int detect_where(const struct rule *r, const struct rule_context *ctx, const char *where, const char *cost,
			struct finding *f, struct err *e)
{
	const struct analysis_window *w = ctx->window;
	struct strbuf scope = STRBUF_INIT, running = STRBUF_INIT;
	analysis_add_scope(ctx->req, &scope);
	if (r->running_only)
		strbuf_addf(&running, " AND resource_id IN (SELECT resource_id FROM win WHERE usage_date = $date('%s'))",
			    w->last);
	struct table t;
	table_init(&t);
	int rc = insight_query(ctx->req, ctx->result, &t, e,
			       "WITH win AS (SELECT * FROM costs WHERE usage_date >= $date('%s') AND usage_date < $date('%s'))\n"
			       "SELECT resource_id, account_id, region, usage_type,\n"
			       "  coalesce($any(instance_type), nullif($split_part(usage_type, ':', 2), '')) AS instance_type,\n"
			       "  $any(usage_unit) AS unit,\n"
			       "  coalesce($sum_if(usage_amount, " USAGE_LINES "), 0) AS usage,\n"
			       "  sum(%s) AS cost\n"
			       "FROM win WHERE (%s)%s%s\n"
			       "GROUP BY resource_id, account_id, region, usage_type\n"
			       "HAVING sum(%s) <> 0 OR usage > 0\n"
			       "ORDER BY round(cost, 6) DESC, resource_id, usage_type",
			       w->start, w->end, cost, where, scope.buf, running.buf, cost);
	for (size_t i = 0; rc == 0 && i < t.nrows; i++) {
		struct evidence *ev = finding_add(f);
		ev->resource_id = text_cell(&t, i, 0);
		ev->account_id = text_cell(&t, i, 1);
		ev->region = text_cell(&t, i, 2);
		ev->usage_type = text_cell(&t, i, 3);
		ev->instance_type = text_cell(&t, i, 4);
		ev->unit = text_cell(&t, i, 5);
		ev->usage = cell_number(table_at(&t, i, 6));
		ev->cost = cell_number(table_at(&t, i, 7));
	}
	table_release(&t);
	strbuf_release(&scope);
	strbuf_release(&running);
	return rc;
}

int detect_lines(const struct rule *r, const struct rule_context *ctx, struct finding *f, struct err *e)
{
	return detect_where(r, ctx, r->where, ctx->cost, f, e);
}

/* Instances of a previous generation: every instance line, then keep the
 * types pricing.h knows a successor for. */
static int detect_previous_generation(const struct rule *r, const struct rule_context *ctx, struct finding *f,
				      struct err *e)
{
	if (detect_lines(r, ctx, f, e) < 0)
		return -1;
	size_t kept = 0;
	for (size_t i = 0; i < f->nlines; i++) {
		if (pricing_generation_find(f->lines[i].instance_type)) {
			struct evidence tmp = f->lines[kept];
			f->lines[kept++] = f->lines[i];
			f->lines[i] = tmp;
		}
	}
	while (f->nlines > kept) {
		struct evidence *ev = &f->lines[--f->nlines];
		free(ev->resource_id), free(ev->account_id), free(ev->region);
		free(ev->usage_type), free(ev->instance_type), free(ev->unit);
	}
	return 0;
}

/* Unused commitments: the amortized cost of a recurring fee is its unused
 * part whatever the measure asked (CONVENTIONS.md). */
static int detect_unused_commitment(const struct rule *r, const struct rule_context *ctx, struct finding *f,
				    struct err *e)
{
	return detect_where(r, ctx, r->where, "amortized_cost", f, e);
}

/* On-demand compute in non-production: an env tag says so, or, with no env
 * tag, the account's name does. */
static int detect_spot_candidates(const struct rule *r, const struct rule_context *ctx, struct finding *f,
				  struct err *e)
{
	struct strbuf words = STRBUF_INIT, where = STRBUF_INIT;
	for (size_t i = 0; non_production[i]; i++) {
		strbuf_addstr(&words, i ? ", " : "");
		strbuf_add_sql_literal(&words, non_production[i]);
	}
	strbuf_addf(&where,
		    "%s AND CASE WHEN coalesce($tag('env'), $tag('environment'), $tag('stage')) IS NOT NULL\n"
		    "  THEN lower(coalesce($tag('env'), $tag('environment'), $tag('stage'))) IN (%s)\n"
		    "  ELSE lower(coalesce(account_name, '')) IN (%s) END",
		    r->where, words.buf, words.buf);
	int rc = detect_where(r, ctx, where.buf, ctx->cost, f, e);
	strbuf_release(&words);
	strbuf_release(&where);
	return rc;
}

/* Steady on-demand compute: the lines by service, and in each line's extra
 * the lowest day's on-demand compute cost of the window (all services). */
static int detect_savings_plan(const struct rule *r, const struct rule_context *ctx, struct finding *f,
			       struct err *e)
{
	const struct analysis_window *w = ctx->window;
	struct strbuf scope = STRBUF_INIT;
	analysis_add_scope(ctx->req, &scope);
	struct table t;
	table_init(&t);
	int rc = insight_query(ctx->req, ctx->result, &t, e,
			       "WITH od AS (SELECT usage_date, service_code, usage_type, usage_unit, usage_amount, %s AS cost\n"
			       "  FROM costs WHERE usage_date >= $date('%s') AND usage_date < $date('%s') AND (%s)%s),\n"
			       "days AS (SELECT usage_date, sum(cost) AS cost FROM od GROUP BY usage_date)\n"
			       "SELECT service_code, $any(usage_unit) AS unit, sum(usage_amount) AS usage, sum(cost) AS cost,\n"
			       "  (SELECT min(cost) FROM days) AS floor, (SELECT count(*) FROM days) AS ndays\n"
			       "FROM od GROUP BY service_code HAVING sum(cost) > 0 ORDER BY cost DESC, service_code",
			       ctx->cost, w->start, w->end, r->where, scope.buf);
	for (size_t i = 0; rc == 0 && i < t.nrows; i++) {
		struct evidence *ev = finding_add(f);
		ev->account_id = NULL;
		ev->usage_type = xasprintf("on-demand %s", cell_format(table_at(&t, i, 0), (char[128]){ 0 }, 128));
		ev->unit = text_cell(&t, i, 1);
		ev->usage = cell_number(table_at(&t, i, 2));
		ev->cost = cell_number(table_at(&t, i, 3));
		/* the floor per day, times the days of the window with on-demand compute */
		ev->extra = cell_number(table_at(&t, i, 4)) * cell_number(table_at(&t, i, 5));
	}
	table_release(&t);
	strbuf_release(&scope);
	return rc;
}

/* The same day of the month n months earlier (the month's last day when shorter). */
static int months_before(int day, int n)
{
	int start = date_month_start(day);
	int earlier = date_add_months(start, -n);
	int length = date_add_months(earlier, 1) - earlier;
	int offset = day - start;
	return earlier + (offset < length ? offset : length - 1);
}

/* Snapshot storage by account and region, and in extra the GB-months of
 * the window three months earlier. */
static int detect_snapshot_growth(const struct rule *r, const struct rule_context *ctx, struct finding *f,
				  struct err *e)
{
	const struct analysis_window *w = ctx->window;
	char before_start[11], before_end[11];
	date_format(months_before(w->start_day, 3), before_start, sizeof(before_start));
	date_format(months_before(w->end_day, 3), before_end, sizeof(before_end));
	struct strbuf scope = STRBUF_INIT;
	analysis_add_scope(ctx->req, &scope);
	struct table t;
	table_init(&t);
	int rc = insight_query(ctx->req, ctx->result, &t, e,
			       "SELECT account_id, region, usage_type, $any(usage_unit) AS unit,\n"
			       "  coalesce($sum_if(usage_amount, usage_date >= $date('%s')), 0) AS usage,\n"
			       "  coalesce($sum_if(%s, usage_date >= $date('%s')), 0) AS cost,\n"
			       "  coalesce($sum_if(usage_amount, usage_date < $date('%s')), 0) AS earlier\n"
			       "FROM costs WHERE ((usage_date >= $date('%s') AND usage_date < $date('%s'))\n"
			       "  OR (usage_date >= $date('%s') AND usage_date < $date('%s'))) AND (%s) AND " USAGE_LINES "%s\n"
			       "GROUP BY account_id, region, usage_type HAVING cost > 0 ORDER BY cost DESC, account_id, region",
			       w->start, ctx->cost, w->start, before_end, w->start, w->end, before_start, before_end,
			       r->where, scope.buf);
	for (size_t i = 0; rc == 0 && i < t.nrows; i++) {
		struct evidence *ev = finding_add(f);
		ev->account_id = text_cell(&t, i, 0);
		ev->region = text_cell(&t, i, 1);
		ev->usage_type = text_cell(&t, i, 2);
		ev->unit = text_cell(&t, i, 3);
		ev->usage = cell_number(table_at(&t, i, 4));
		ev->cost = cell_number(table_at(&t, i, 5));
		ev->extra = cell_number(table_at(&t, i, 6));
	}
	table_release(&t);
	strbuf_release(&scope);
	return rc;
}

/* --- saving formulas ------------------------------------------------------- */

/* saving = cost × share, written as "N <things>, U unit × $rate × share = $S". */
static void saving_share(const struct rule_context *ctx, struct finding *f, double share, const char *things,
			 const char *share_words)
{
	double usage, cost;
	totals(f, &usage, &cost);
	f->cost = cost;
	f->saving = cost * share;
	char u[64], r[32], s[64], p[16];
	quantity(usage, u, sizeof(u));
	rate(ctx, usage > 0 ? cost / usage : 0, r, sizeof(r));
	money(ctx, f->saving, s, sizeof(s));
	percent(share, p, sizeof(p));
	size_t n = things ? count_resources(f) : 0;
	if (n)
		strbuf_addf(&f->arithmetic, "%zu %s, ", n, things);
	const char *unit = f->nlines && f->lines[0].unit ? f->lines[0].unit : "";
	strbuf_addf(&f->arithmetic, "%s %s × %s × %s%s = %s", u, unit, r, p, share_words, s);
}

static void saving_gp3(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	double usage, cost;
	totals(f, &usage, &cost);
	double ratio = pricing_gp3_over_gp2.value;
	double gp2 = usage > 0 ? cost / usage : 0;
	f->cost = cost;
	f->saving = cost * (1 - ratio);
	char u[64], a[32], b[32], s[64];
	quantity(usage, u, sizeof(u));
	rate(ctx, gp2, a, sizeof(a));
	rate(ctx, gp2 * ratio, b, sizeof(b));
	money(ctx, f->saving, s, sizeof(s));
	strbuf_addf(&f->arithmetic, "%zu volumes, %s GB-month × (%s − %s) = %s", count_resources(f), u, a, b, s);
	for (size_t i = 0; i < f->nlines; i++)
		f->lines[i].extra = f->lines[i].cost * (1 - ratio);
	strbuf_addstr(&f->note, "gp3 gives 3,000 IOPS and 125 MB/s at any size; volumes above 1 TB that need "
				"more may need provisioned IOPS (not counted).");
}

/* One term per instance type: "c4.xlarge → c5.xlarge: 9 instances, $1,234.56 × (1 − $0.17/$0.199) = $180.30". */
static void saving_generation(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	double graviton_saving = 0;
	f->cost = f->saving = 0;
	bool *done = xcalloc(f->nlines + 1, sizeof(*done));
	for (size_t i = 0; i < f->nlines; i++) {
		const struct generation *g = pricing_generation_find(f->lines[i].instance_type);
		f->cost += f->lines[i].cost;
		f->lines[i].extra = f->lines[i].cost * (1 - pricing_generation_ratio(g, false));
		f->saving += f->lines[i].extra;
		if (g->graviton)
			graviton_saving += f->lines[i].cost * (1 - pricing_generation_ratio(g, true));
		else
			graviton_saving += f->lines[i].extra;
	}
	for (size_t i = 0; i < f->nlines; i++) {
		if (done[i])
			continue;
		const char *type = f->lines[i].instance_type;
		const struct generation *g = pricing_generation_find(type);
		double cost = 0, saving = 0;
		struct finding same;
		finding_init(&same);
		for (size_t j = i; j < f->nlines; j++) {
			if (done[j] || strcmp(f->lines[j].instance_type, type) != 0)
				continue;
			done[j] = true;
			cost += f->lines[j].cost;
			saving += f->lines[j].extra;
			struct evidence *ev = finding_add(&same); /* borrowed ids, for the count only */
			ev->resource_id = f->lines[j].resource_id;
		}
		size_t n = count_resources(&same);
		same.nlines = 0; /* the ids are borrowed */
		finding_release(&same);
		char target[64], c[64], old[32], now[32], s[64];
		pricing_generation_target(g, type, false, target, sizeof(target));
		money(ctx, cost, c, sizeof(c));
		rate(ctx, g->current_price, now, sizeof(now));
		rate(ctx, g->price, old, sizeof(old));
		money(ctx, saving, s, sizeof(s));
		strbuf_addf(&f->arithmetic, "%s%s → %s: %zu instance%s, %s × (1 − %s/%s) = %s", f->arithmetic.len ? "; " : "",
			    type, target, n, n == 1 ? "" : "s", c, now, old, s);
	}
	free(done);
	char total[64], grav[64];
	money(ctx, f->saving, total, sizeof(total));
	money(ctx, graviton_saving, grav, sizeof(grav));
	strbuf_addf(&f->arithmetic, "; total %s", total);
	strbuf_addf(&f->note,
		    "Prices per hour at the reference size, %s. Graviton (m6g, c6g, r6g, t4g) instead would save "
		    "about %s over the window, for software built for arm64.",
		    pricing_generation_source, grav);
}

static void saving_nat(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	saving_share(ctx, f, pricing_nat_gateway_endpoint_share.value, "NAT gateways", " bound for S3/DynamoDB");
	strbuf_addstr(&f->note, "Gateway VPC endpoints for S3 and DynamoDB are free and take that traffic off the "
				"NAT gateway's per-GB processing charge.");
}

static void saving_cross_az(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	saving_share(ctx, f, pricing_cross_az_avoidable_share.value, NULL, " kept in-zone");
}

static void saving_all(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	saving_share(ctx, f, 1.0, "addresses", " released");
}

static void saving_spot(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	saving_share(ctx, f, 1 - pricing_spot_ratio.value, "instances", " Spot discount");
	strbuf_addstr(&f->note, "Spot capacity can be reclaimed with two minutes' notice: for interruptible, "
				"non-production workloads only.");
}

static void saving_s3_class(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	double share = pricing_s3_cold_share.value * (1 - pricing_s3_ia_ratio.value);
	saving_share(ctx, f, share, "buckets", " (half the bytes at Standard-IA's lower price)");
	strbuf_addstr(&f->note, "These buckets' request charges are under 5% of their storage charge. "
				"S3 Intelligent-Tiering moves cold objects without retrieval fees.");
}

static void saving_logs_ingestion(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	double share = pricing_logs_ia_share.value * (1 - pricing_logs_ia_ratio.value);
	saving_share(ctx, f, share, NULL, " (half the logs at the Infrequent Access class's half price)");
}

/* Stored log bytes beyond what the retention would keep, per account. */
static void saving_logs_retention(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	double months = ctx->window->months > 0 ? ctx->window->months : 1;
	double keep_months = pricing_logs_retention_months.value;
	f->cost = f->saving = 0;
	for (size_t i = 0; i < f->nlines; i++) {
		const struct evidence *stored = &f->lines[i];
		if (!strstr(stored->usage_type, "TimedStorage"))
			continue;
		double ingested = 0;
		for (size_t j = 0; j < f->nlines; j++)
			if (strstr(f->lines[j].usage_type, "DataProcessing") && f->lines[j].account_id &&
			    stored->account_id && strcmp(f->lines[j].account_id, stored->account_id) == 0)
				ingested += f->lines[j].usage;
		double stored_gb = stored->usage / months, kept_gb = keep_months * ingested / months;
		double excess = stored_gb - kept_gb;
		f->cost += stored->cost;
		if (excess <= 0 || stored->usage <= 0)
			continue;
		double saving = excess * months * stored->cost / stored->usage;
		f->saving += saving;
		char a[64], b[64], ra[32], s[64];
		quantity(stored_gb, a, sizeof(a));
		quantity(ingested / months, b, sizeof(b));
		rate(ctx, stored->cost / stored->usage, ra, sizeof(ra));
		money(ctx, saving, s, sizeof(s));
		strbuf_addf(&f->arithmetic, "%saccount %s: (%s GB stored − %g months × %s GB ingested a month) × %s = %s",
			    f->arithmetic.len ? "; " : "", stored->account_id ? stored->account_id : "", a, keep_months, b,
			    ra, s);
	}
}

static void saving_commitment(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	double usage, cost;
	totals(f, &usage, &cost);
	f->cost = f->saving = cost;
	char s[64];
	money(ctx, cost, s, sizeof(s));
	strbuf_addf(&f->arithmetic, "%zu commitment%s, unused part of the fees = %s", count_resources(f),
		    count_resources(f) == 1 ? "" : "s", s);
}

static void saving_savings_plan(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	double usage, cost;
	totals(f, &usage, &cost);
	double floor_total = f->nlines ? f->lines[0].extra : 0;
	double discount = 1 - pricing_savings_plan_ratio.value;
	f->cost = cost;
	f->saving = floor_total * discount;
	char fl[64], s[64], p[16], hourly[64];
	money(ctx, floor_total, fl, sizeof(fl));
	money(ctx, f->saving, s, sizeof(s));
	percent(discount, p, sizeof(p));
	strbuf_addf(&f->arithmetic, "steady on-demand compute (the lowest day, every day) %s × %s = %s", fl, p, s);
	double days = ctx->window->end_day - ctx->window->start_day;
	money(ctx, days > 0 ? floor_total / days / 24 * pricing_savings_plan_ratio.value : 0, hourly, sizeof(hourly));
	strbuf_addf(&f->note, "A commitment of about %s an hour covers only the lowest day's usage, so it is "
			      "never left unused.", hourly);
}

static void saving_snapshots(const struct rule *r, const struct rule_context *ctx, struct finding *f)
{
	(void)r;
	f->cost = f->saving = 0;
	for (size_t i = 0; i < f->nlines; i++) {
		const struct evidence *ev = &f->lines[i];
		f->cost += ev->cost;
		double growth = ev->usage - ev->extra;
		/* growth under 10% in three months is housekeeping, not a finding */
		if (ev->usage <= 0 || growth <= 0.1 * ev->usage)
			continue;
		double saving = growth * ev->cost / ev->usage;
		f->saving += saving;
		char a[64], b[64], ra[32], s[64];
		quantity(ev->usage, a, sizeof(a));
		quantity(ev->extra, b, sizeof(b));
		rate(ctx, ev->cost / ev->usage, ra, sizeof(ra));
		money(ctx, saving, s, sizeof(s));
		strbuf_addf(&f->arithmetic, "%s%s %s: (%s − %s GB-month three months earlier) × %s = %s",
			    f->arithmetic.len ? "; " : "", ev->account_id ? ev->account_id : "", ev->region ? ev->region : "",
			    a, b, ra, s);
	}
	char ratio[16];
	percent(pricing_snapshot_archive_ratio.value, ratio, sizeof(ratio));
	strbuf_addf(&f->note, "A Data Lifecycle Manager policy holding snapshots at their level of three months "
			      "ago saves the growth; snapshots kept for compliance cost %s as much in the archive tier.",
		    ratio);
}

/* --- the table ------------------------------------------------------------- */

/* Sorted by id. */
const struct rule recommend_rules[] = {
	{
		"cloudwatch-logs-ingestion", { &pricing_logs_ia_ratio, &pricing_logs_ia_share }, "Send verbose logs to the Infrequent Access log class", "AmazonCloudWatch",
		{ "AmazonCloudWatch", NULL },
		"Create log groups for debug and audit logs with the Infrequent Access class, or lower log levels",
		"CloudWatch Logs Infrequent Access ingests at $0.25 per GB against $0.50 (AWS CloudWatch pricing); "
		"half the ingested bytes are assumed not to need metric filters or Live Tail",
		"service_code = 'AmazonCloudWatch' AND usage_type LIKE '%DataProcessing-Bytes'", false, 0.5,
		detect_lines, saving_logs_ingestion,
	},
	{
		"cloudwatch-logs-retention", { &pricing_logs_retention_months }, "Set a retention on CloudWatch log groups", "AmazonCloudWatch",
		{ "AmazonCloudWatch", NULL },
		"Set a retention (e.g. 90 days) on log groups that never expire",
		"log groups never expire by default; a 90-day retention keeps at most three months of ingestion",
		"service_code = 'AmazonCloudWatch' AND (usage_type LIKE '%TimedStorage-ByteHrs' OR usage_type LIKE "
		"'%DataProcessing-Bytes')",
		false, 0.6, detect_lines, saving_logs_retention,
	},
	{
		"commitment-utilization", { NULL }, "Unused Savings Plan and Reserved Instance commitment", "ComputeSavingsPlans",
		{ "ComputeSavingsPlans", "AmazonEC2", "AmazonRDS", NULL },
		"Move eligible usage onto the commitment, or commit less at renewal",
		"the amortized cost of a recurring commitment fee is its unused part (CONVENTIONS.md)",
		"charge_type IN ('SavingsPlanRecurringFee', 'RIFee')", false, 0.7, detect_unused_commitment,
		saving_commitment,
	},
	{
		"cross-az-transfer", { &pricing_cross_az_avoidable_share }, "Keep chatty traffic within one availability zone", "AmazonEC2",
		{ "AmazonEC2", "AWSDataTransfer", NULL },
		"Use zone-aware load balancing and topology-aware routing for service-to-service traffic",
		"cross-AZ bytes cost $0.01 per GB each way; 30% of them are assumed avoidable (VPC Flow Logs would say)",
		"usage_type LIKE '%DataTransfer-Regional-Bytes'", false, 0.3, detect_lines, saving_cross_az,
	},
	{
		"ebs-gp2-to-gp3", { &pricing_gp3_over_gp2 }, "Move gp2 volumes to gp3", "AmazonEC2", { "AmazonEC2", NULL },
		"Modify the volumes to gp3 in place (no downtime)", "gp3 costs 20% less than gp2 per GB-month in every region "
		"(AWS EBS pricing, us-east-1: $0.08 against $0.10); the gp2 rate is read from the bill",
		"usage_type LIKE '%EBS:VolumeUsage.gp2'", true, 0.9, detect_lines, saving_gp3,
	},
	{
		"ebs-snapshot-growth", { &pricing_snapshot_archive_ratio }, "Growing EBS snapshot storage", "AmazonEC2", { "AmazonEC2", NULL },
		"Add a Data Lifecycle Manager policy that expires old snapshots, or archive the ones kept for compliance",
		"a policy would hold the snapshot storage at its level of three months earlier",
		"usage_type LIKE '%EBS:SnapshotUsage%'", false, 0.4, detect_snapshot_growth, saving_snapshots,
	},
	{
		"ec2-previous-generation", { NULL }, "Move previous-generation instances to the current generation", "AmazonEC2",
		{ "AmazonEC2", NULL }, "Change the instance type at the next maintenance window (same architecture)",
		"the current generation's on-demand price relative to the old one's in us-east-1 holds in every region "
		"and under Savings Plans",
		"usage_type LIKE '%BoxUsage:%' OR usage_type LIKE '%SpotUsage:%'", true, 0.8,
		detect_previous_generation, saving_generation,
	},
	{
		"ec2-spot-non-production", { &pricing_spot_ratio }, "Run non-production instances on Spot", "AmazonEC2", { "AmazonEC2", NULL },
		"Use Spot (or an Auto Scaling group with a Spot mix) for development, test and staging instances",
		"Spot is 60-90% below on-demand (AWS Spot Instance Advisor); 60% is taken",
		"usage_type LIKE '%BoxUsage:%' AND charge_type = 'Usage'", true, 0.5, detect_spot_candidates, saving_spot,
	},
	{
		"idle-public-ipv4", { NULL }, "Release idle public IPv4 and Elastic IP addresses", "AmazonVPC",
		{ "AmazonVPC", "AmazonEC2", NULL }, "Release the addresses no instance or load balancer uses",
		"an idle address costs $0.005 an hour and does nothing",
		"usage_type LIKE '%PublicIPv4:IdleAddress%' OR usage_type LIKE '%ElasticIP:IdleAddress%'", true, 0.9,
		detect_lines, saving_all,
	},
	{
		"nat-gateway-endpoints", { &pricing_nat_gateway_endpoint_share }, "Route S3 and DynamoDB traffic through gateway VPC endpoints", "AmazonEC2",
		{ "AmazonEC2", "AmazonVPC", NULL },
		"Add gateway VPC endpoints for S3 and DynamoDB to the private subnets' route tables",
		"the bill does not show where NAT traffic goes; 25% is assumed bound for S3 or DynamoDB in accounts that "
		"use them in the same region (VPC Flow Logs would measure it)",
		"usage_type LIKE '%NatGateway-Bytes' AND (account_id, region) IN (SELECT account_id, region FROM win "
		"WHERE service_code IN ('AmazonS3', 'AmazonDynamoDB') AND usage_amount > 0)",
		true, 0.4, detect_lines, saving_nat,
	},
	{
		"s3-storage-class", { &pricing_s3_ia_ratio, &pricing_s3_cold_share }, "Move rarely used S3 data to a cheaper storage class", "AmazonS3", { "AmazonS3", NULL },
		"Turn on S3 Intelligent-Tiering, or a lifecycle rule to Standard-IA, for these buckets",
		"Standard-IA is $0.0125 against Standard's $0.023 per GB-month (AWS S3 pricing); half of a quiet "
		"bucket's bytes are assumed not read for 30 days",
		"service_code = 'AmazonS3' AND usage_type LIKE '%TimedStorage-ByteHrs' AND resource_id IN (\n"
		"  SELECT resource_id FROM win WHERE service_code = 'AmazonS3' GROUP BY resource_id\n"
		"  HAVING coalesce($sum_if(amortized_cost, usage_type LIKE '%Requests%'), 0)\n"
		"    < 0.05 * $sum_if(amortized_cost, usage_type LIKE '%TimedStorage-ByteHrs'))",
		true, 0.4, detect_lines, saving_s3_class,
	},
	{
		"savings-plan-coverage", { &pricing_savings_plan_ratio }, "Cover steady on-demand compute with a Compute Savings Plan", "ComputeSavingsPlans",
		{ "ComputeSavingsPlans", "AmazonEC2", "AmazonECS", "AWSLambda", NULL },
		"Buy a 1-year no-upfront Compute Savings Plan sized to the lowest day's on-demand compute",
		"a 1-year no-upfront Compute Savings Plan is about 28% below on-demand (AWS Savings Plans pricing)",
		"charge_type = 'Usage' AND coalesce(pricing_term, 'OnDemand') = 'OnDemand' AND (\n"
		"  (service_code = 'AmazonEC2' AND usage_type LIKE '%BoxUsage:%')\n"
		"  OR (service_code = 'AmazonECS' AND usage_type LIKE '%Fargate%')\n"
		"  OR (service_code = 'AWSLambda' AND usage_type LIKE '%Lambda-GB-Second%'))",
		false, 0.7, detect_savings_plan, saving_savings_plan,
	},
};

const size_t recommend_rule_count = sizeof(recommend_rules) / sizeof(recommend_rules[0]);
