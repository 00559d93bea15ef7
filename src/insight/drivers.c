/*
 * drivers: `finq drivers` (insight_drivers; see drivers.h).
 *
 * One query reads both periods at the finest grain (service, account,
 * region, usage type, resource, charge type) with cost and usage in each.
 * Per line of that grain the change is split exactly:
 *   only in the later period    new:      c1
 *   only in the earlier period  removed: -c0
 *   usage in both               usage:    (u1 - u0) * r0
 *                               rate:     (r1 - r0) * u1     (r = c / u)
 *   no usage (fees, taxes)      other:    c1 - c0
 * so the parts add up to c1 - c0, and every sum of lines adds up to the
 * total change. Lines are folded into drivers (everything but the
 * resource: the resource says whether the money is new, gone or grown),
 * ranked by the size of their change; the rest is one "everything else"
 * driver so that the drivers add up to the total. The same lines folded
 * per dimension say which account, region, ... moved most.
 *
 * Periods: the two of a comparison (scope.periods), else the scope's range
 * and the period of the same length before it, else the last full month
 * and the one before.
 */
#include "drivers.h"

#include "anomaly.h"
#include "date.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DEFAULT_LIMIT 5
#define TOP_PER_DIMENSION 3

/* The columns of the finest grain, in the query's order. */
enum key { K_SERVICE, K_ACCOUNT, K_REGION, K_USAGE_TYPE, K_RESOURCE, K_CHARGE_TYPE, K_COUNT };

static const struct {
	const char *column, *label, *json;
} keys[K_COUNT] = {
	[K_SERVICE] = { "service_code", "service", "service" },
	[K_ACCOUNT] = { "account_id", "account", "account" },
	[K_REGION] = { "region", "region", "region" },
	[K_USAGE_TYPE] = { "usage_type", "usage type", "usage_type" },
	[K_RESOURCE] = { "resource_id", "resource", "resource" },
	[K_CHARGE_TYPE] = { "charge_type", "charge type", "charge_type" },
};

enum effect { E_NEW, E_REMOVED, E_USAGE, E_RATE, E_OTHER, E_COUNT };

static const char *const effect_json[E_COUNT] = { "new", "removed", "usage_effect", "rate_effect", "other" };
static const char *const effect_words[E_COUNT] = { "new", "removed", "usage", "rate", "other charges" };

struct line {
	const char *key[K_COUNT]; /* borrowed from the query's table; "" when none */
	double c0, c1;
	double effect[E_COUNT];
};

struct driver {
	const struct line *first; /* its key (without the resource) */
	double c0, c1;
	double effect[E_COUNT];
	int resources;            /* lines (resources) folded in */
	const char *top_resource; /* the resource with the largest change */
	double top_resource_change;
};

static const char *text_or_empty(const struct cell *c)
{
	return c->kind == CELL_TEXT || c->kind == CELL_DATE ? c->v.s : "";
}

/* Split one line's change into its effects. */
static void split_change(struct line *l, bool in0, bool in1, double u0, double u1)
{
	memset(l->effect, 0, sizeof(l->effect));
	if (!in0) {
		l->effect[E_NEW] = l->c1;
	} else if (!in1) {
		l->effect[E_REMOVED] = -l->c0;
	} else if (u0 > 0 && u1 > 0) {
		double r0 = l->c0 / u0, r1 = l->c1 / u1;
		l->effect[E_USAGE] = (u1 - u0) * r0;
		l->effect[E_RATE] = (r1 - r0) * u1;
	} else {
		l->effect[E_OTHER] = l->c1 - l->c0;
	}
}

/* Lines compare by every key but the resource, then by the resource. */
static int cmp_line_driver(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;
	for (int k = 0; k < K_COUNT; k++) {
		if (k == K_RESOURCE)
			continue;
		int c = strcmp(a->key[k], b->key[k]);
		if (c)
			return c;
	}
	return strcmp(a->key[K_RESOURCE], b->key[K_RESOURCE]);
}

static bool same_driver(const struct line *a, const struct line *b)
{
	for (int k = 0; k < K_COUNT; k++)
		if (k != K_RESOURCE && strcmp(a->key[k], b->key[k]))
			return false;
	return true;
}

static int by_change(const void *pa, const void *pb)
{
	const struct driver *a = pa, *b = pb;
	double x = fabs(a->c1 - a->c0), y = fabs(b->c1 - b->c0);
	return (x < y) - (x > y);
}

/* One dimension's values with their change. */
struct contribution {
	const char *value;
	double c0, c1;
};

static int cmp_contribution_value(const void *pa, const void *pb)
{
	return strcmp(((const struct contribution *)pa)->value, ((const struct contribution *)pb)->value);
}

static int by_contribution_change(const void *pa, const void *pb)
{
	const struct contribution *a = pa, *b = pb;
	double x = fabs(a->c1 - a->c0), y = fabs(b->c1 - b->c0);
	return (x < y) - (x > y);
}

static void choose_periods(const struct insight_request *req, struct period *p0, struct period *p1)
{
	const struct plan *s = &req->scope;
	if ((s->intent == INTENT_COMPARE_PERIODS || s->intent == INTENT_MOVERS) &&
	    s->periods[1].end_day > s->periods[1].start_day) {
		*p0 = s->periods[0];
		*p1 = s->periods[1];
		return;
	}
	if (!s->range_defaulted) {
		*p1 = s->range;
	} else {
		memset(p1, 0, sizeof(*p1));
		p1->end_day = date_month_start(req->today);
		p1->start_day = date_add_months(p1->end_day, -1);
		p1->unit = UNIT_MONTH;
		p1->count = 1;
		anomaly_month_label(p1->start_day, p1->label, sizeof(p1->label));
	}
	*p0 = period_previous(p1);
	if (!p0->label[0])
		snprintf(p0->label, sizeof(p0->label), "the period before");
}

static json_t *jmoney(double v)
{
	return isfinite(v) ? json_real(round(v * 100) / 100) : json_null();
}

/* "DataProcessing-Bytes in account 510987654321 (AmazonCloudWatch, us-east-1, Usage)" */
static void driver_name(const struct line *l, bool with_service, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, l->key[K_USAGE_TYPE][0] ? l->key[K_USAGE_TYPE] : "(no usage type)");
	if (l->key[K_ACCOUNT][0])
		strbuf_addf(&sb, " in account %s", l->key[K_ACCOUNT]);
	strbuf_addstr(&sb, " (");
	if (with_service && l->key[K_SERVICE][0])
		strbuf_addf(&sb, "%s, ", l->key[K_SERVICE]);
	if (l->key[K_REGION][0])
		strbuf_addf(&sb, "%s, ", l->key[K_REGION]);
	strbuf_addf(&sb, "%s)", l->key[K_CHARGE_TYPE][0] ? l->key[K_CHARGE_TYPE] : "no charge type");
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

static void money_signed(const struct insight_request *req, double v, char *buf, size_t size)
{
	size_t sign = v > 0.005 && size > 1;
	if (sign)
		buf[0] = '+';
	insight_money(req, v, buf + sign, size - sign);
}

/* The effects of a driver in words: "usage +$300.00, rate -$1.20". */
static void effects_words(const struct insight_request *req, const double effect[E_COUNT], int resources_new,
			  int resources_gone, struct strbuf *md)
{
	int n = 0;
	for (int k = 0; k < E_COUNT; k++) {
		if (fabs(effect[k]) < 0.005)
			continue;
		char m[64];
		money_signed(req, effect[k], m, sizeof(m));
		strbuf_addf(md, "%s%s %s", n++ ? ", " : "", effect_words[k], m);
		if (k == E_NEW && resources_new > 1)
			strbuf_addf(md, " (%d lines)", resources_new);
		if (k == E_REMOVED && resources_gone > 1)
			strbuf_addf(md, " (%d lines)", resources_gone);
	}
	if (!n)
		strbuf_addstr(md, "no change");
}

static int drivers_run(const struct insight_request *req, json_t **out, struct err *e)
{
	json_t *result = insight_result("drivers", "Drivers of the change");
	struct period p0, p1;
	choose_periods(req, &p0, &p1);
	/* e0, e1: the exclusive ends for SQL; l0, l1: the last days for words */
	char s0[16], e0[16], s1[16], e1[16], l0[16], l1[16];
	date_format(p0.start_day, s0, sizeof(s0));
	date_format(p0.end_day, e0, sizeof(e0));
	date_format(p0.end_day - 1, l0, sizeof(l0));
	date_format(p1.start_day, s1, sizeof(s1));
	date_format(p1.end_day, e1, sizeof(e1));
	date_format(p1.end_day - 1, l1, sizeof(l1));
	const char *cost = insight_cost_column(req);
	struct strbuf where = STRBUF_INIT, cols = STRBUF_INIT, group = STRBUF_INIT;
	insight_scope_sql(req, &where);
	for (int k = 0; k < K_COUNT; k++) {
		strbuf_addf(&cols, "coalesce(%s, '') AS %s, ", keys[k].column, keys[k].json);
		strbuf_addf(&group, "%scoalesce(%s, '')", k ? ", " : "", keys[k].column);
	}
	/* usage on usage lines only (CONVENTIONS.md) */
	static const char usage_rows[] = "charge_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')";
	struct table t;
	table_init(&t);
	int rc = insight_query(
		req, result, &t, e,
		"SELECT %s\n"
		"  $sum_if(%s, usage_date < $date('%s')) AS cost_before,\n"
		"  $sum_if(%s, usage_date >= $date('%s')) AS cost_after,\n"
		"  $sum_if(usage_amount, usage_date < $date('%s') AND %s) AS usage_before,\n"
		"  $sum_if(usage_amount, usage_date >= $date('%s') AND %s) AS usage_after,\n"
		"  $count_if(usage_date < $date('%s')) AS rows_before,\n"
		"  $count_if(usage_date >= $date('%s')) AS rows_after\n"
		"FROM costs WHERE %s\n"
		"  AND (usage_date >= $date('%s') AND usage_date < $date('%s') OR usage_date >= $date('%s') AND usage_date < $date('%s'))\n"
		"GROUP BY %s",
		cols.buf, cost, e0, cost, s1, e0, usage_rows, s1, usage_rows, e0, s1, where.buf, s0, e0, s1, e1, group.buf);
	strbuf_release(&cols);
	strbuf_release(&group);
	strbuf_release(&where);
	if (rc) {
		table_release(&t);
		json_decref(result);
		*out = NULL;
		return -1;
	}
	size_t n = t.nrows;
	struct line *lines = xcalloc(n + 1, sizeof(*lines));
	double total0 = 0, total1 = 0, effect_total[E_COUNT] = { 0 };
	for (size_t i = 0; i < n; i++) {
		struct line *l = &lines[i];
		for (int k = 0; k < K_COUNT; k++)
			l->key[k] = text_or_empty(table_at(&t, i, (size_t)k));
		l->c0 = cell_number(table_at(&t, i, K_COUNT));
		l->c1 = cell_number(table_at(&t, i, K_COUNT + 1));
		bool in0 = cell_number(table_at(&t, i, K_COUNT + 4)) > 0;
		bool in1 = cell_number(table_at(&t, i, K_COUNT + 5)) > 0;
		split_change(l, in0, in1, cell_number(table_at(&t, i, K_COUNT + 2)),
			     cell_number(table_at(&t, i, K_COUNT + 3)));
		total0 += l->c0;
		total1 += l->c1;
		for (int k = 0; k < E_COUNT; k++)
			effect_total[k] += l->effect[k];
	}
	double change = total1 - total0;

	/* fold lines into drivers */
	sort_array(lines, n, sizeof(*lines), cmp_line_driver);
	struct driver *drivers = xcalloc(n + 1, sizeof(*drivers));
	size_t ndrivers = 0;
	int *news = xcalloc(n + 1, sizeof(*news)), *gones = xcalloc(n + 1, sizeof(*gones));
	for (size_t i = 0; i < n; i++) {
		if (!ndrivers || !same_driver(drivers[ndrivers - 1].first, &lines[i]))
			drivers[ndrivers++].first = &lines[i];
		struct driver *d = &drivers[ndrivers - 1];
		d->c0 += lines[i].c0;
		d->c1 += lines[i].c1;
		for (int k = 0; k < E_COUNT; k++)
			d->effect[k] += lines[i].effect[k];
		d->resources++;
		double lc = lines[i].c1 - lines[i].c0;
		if (lines[i].key[K_RESOURCE][0] && fabs(lc) > fabs(d->top_resource_change)) {
			d->top_resource = lines[i].key[K_RESOURCE];
			d->top_resource_change = lc;
		}
	}
	sort_array(drivers, ndrivers, sizeof(*drivers), by_change);
	/* count new and removed lines per driver after sorting: by key match */
	size_t limit = req->limit > 0 ? (size_t)req->limit : DEFAULT_LIMIT;
	size_t shown = ndrivers < limit ? ndrivers : limit;
	for (size_t d = 0; d < shown; d++)
		for (size_t i = 0; i < n; i++)
			if (same_driver(drivers[d].first, &lines[i])) {
				news[d] += lines[i].effect[E_NEW] != 0;
				gones[d] += lines[i].effect[E_REMOVED] != 0;
			}

	bool with_service = true;
	for (int f = 0; f < req->scope.nfilters; f++)
		if (req->scope.filters[f].col.dim == DIM_SERVICE && req->scope.filters[f].op == FILTER_IN &&
		    req->scope.filters[f].nvalues == 1)
			with_service = false;

	/* the narrative, items, table and chart */
	char scope[512], m0[48], m1[48], mc[48], title[800];
	insight_scope_words(req, scope, sizeof(scope));
	insight_money(req, total0, m0, sizeof(m0));
	insight_money(req, total1, m1, sizeof(m1));
	money_signed(req, change, mc, sizeof(mc));
	snprintf(title, sizeof(title), "%s%s%s vs %s: %s", *scope ? scope : "", *scope ? ", " : "", p1.label, p0.label,
		 mc);
	json_object_set_new(result, "title", json_string(title));
	struct strbuf md = STRBUF_INIT;
	strbuf_addf(&md, "%s%s%s: **%s** (%s to %s) against **%s** (%s to %s): **%s**", *scope ? "**" : "", scope,
		    *scope ? "**" : "Total", p1.label, s1, l1, p0.label, s0, l0, mc);
	if (total0 != 0)
		strbuf_addf(&md, " (%+.1f%%)", 100 * change / fabs(total0));
	strbuf_addf(&md, " = %s - %s.", m1, m0);
	int days0 = p0.end_day - p0.start_day, days1 = p1.end_day - p1.start_day;
	if (days0 == days1 && days0 > 1) {
		/* windows either side of a step (an anomaly's "Why?"): the level
		 * before against the level after */
		char a0[48], a1[48];
		insight_money(req, total0 / days0, a0, sizeof(a0));
		insight_money(req, total1 / days1, a1, sizeof(a1));
		strbuf_addf(&md, " A day on average over %d days each: **%s** before, **%s** after.", days0, a0, a1);
	}
	if (days0 != days1 && days0 > 0) {
		char cal[48];
		money_signed(req, total0 / days0 * (days1 - days0), cal, sizeof(cal));
		strbuf_addf(&md, " %s has %d days and %s %d: about %s of the change is the calendar.", p1.label, days1,
			    p0.label, days0, cal);
	}
	strbuf_addstr(&md, "\n\n");
	json_t *items = json_object_get(result, "items");
	json_t *labels = json_array(), *values = json_array();
	struct table findings;
	table_init(&findings);
	static const char *const columns[] = { "driver", "before_cost", "after_cost", "change_cost", "share_pct" };
	enum cell_kind kinds[COUNT(columns)] = { CELL_TEXT, CELL_REAL, CELL_REAL, CELL_REAL, CELL_REAL };
	table_set_columns(&findings, COUNT(columns), columns, kinds);
	if (shown)
		strbuf_addstr(&md, "Top drivers:\n");
	double rest0 = total0, rest1 = total1, rest_effect[E_COUNT];
	memcpy(rest_effect, effect_total, sizeof(rest_effect));
	for (size_t d = 0; d <= shown; d++) {
		bool rest = d == shown;
		if (rest && ndrivers <= shown)
			break;
		const struct driver *dr = rest ? NULL : &drivers[d];
		double c0 = rest ? rest0 : dr->c0, c1 = rest ? rest1 : dr->c1;
		const double *effect = rest ? rest_effect : dr->effect;
		char name[600], before[48], after[48], delta[48];
		if (rest)
			snprintf(name, sizeof(name), "everything else (%zu more)", ndrivers - shown);
		else
			driver_name(dr->first, with_service, name, sizeof(name));
		insight_money(req, c0, before, sizeof(before));
		insight_money(req, c1, after, sizeof(after));
		money_signed(req, c1 - c0, delta, sizeof(delta));
		double share = change != 0 ? 100 * (c1 - c0) / change : NAN;
		strbuf_addf(&md, "%zu. **%s**: %s → %s, **%s**", d + 1, name, before, after, delta);
		if (isfinite(share))
			strbuf_addf(&md, " (%.0f%% of the change)", share);
		strbuf_addstr(&md, ": ");
		effects_words(req, effect, rest ? 0 : news[d], rest ? 0 : gones[d], &md);
		if (!rest && dr->top_resource && dr->resources > 1)
			strbuf_addf(&md, "; most in %s", dr->top_resource);
		else if (!rest && dr->top_resource)
			strbuf_addf(&md, "; resource %s", dr->top_resource);
		strbuf_addch(&md, '\n');

		json_t *item = json_pack("{s:s, s:o, s:o, s:o, s:o}", "driver", name, "before", jmoney(c0), "after",
					 jmoney(c1), "change", jmoney(c1 - c0), "share_pct",
					 isfinite(share) ? json_real(round(share * 10) / 10) : json_null());
		for (int k = 0; k < K_COUNT; k++)
			json_object_set_new(item, keys[k].json,
					    rest || k == K_RESOURCE || !dr->first->key[k][0] ? json_null()
											   : json_string(dr->first->key[k]));
		if (!rest) {
			json_object_set_new(item, "resources", json_integer(dr->resources));
			json_object_set_new(item, "top_resource",
					    dr->top_resource ? json_string(dr->top_resource) : json_null());
		}
		for (int k = 0; k < E_COUNT; k++)
			json_object_set_new(item, effect_json[k], jmoney(effect[k]));
		json_object_set_new(item, "rest", json_boolean(rest));
		json_array_append_new(items, item);
		json_array_append_new(labels, json_string(name));
		json_array_append_new(values, jmoney(c1 - c0));
		struct cell *c = table_add_row(&findings);
		cell_set_text(&c[0], name);
		cell_set_money(&c[1], c0);
		cell_set_money(&c[2], c1);
		cell_set_money(&c[3], c1 - c0);
		if (isfinite(share)) {
			c[4].kind = CELL_REAL;
			c[4].v.r = round(share * 10) / 10;
		}
		if (!rest) {
			rest0 -= c0;
			rest1 -= c1;
			for (int k = 0; k < E_COUNT; k++)
				rest_effect[k] -= effect[k];
		}
	}
	insight_set_table(result, &findings);
	table_release(&findings);

	/* by effect: the whole change, exactly */
	strbuf_addstr(&md, "\nBy effect: ");
	effects_words(req, effect_total, 0, 0, &md);
	strbuf_addf(&md, " = %s (new and removed: lines of service, account, region, usage type, resource and charge "
		    "type present in one period only; usage: (u1 - u0) × r0; rate: (r1 - r0) × u1).\n", mc);

	/* by dimension */
	json_t *dims = json_object();
	struct contribution *cs = xcalloc(n + 1, sizeof(*cs));
	for (int k = 0; k < K_COUNT; k++) {
		for (size_t i = 0; i < n; i++)
			cs[i] = (struct contribution){ lines[i].key[k], lines[i].c0, lines[i].c1 };
		sort_array(cs, n, sizeof(*cs), cmp_contribution_value);
		size_t nv = 0;
		for (size_t i = 0; i < n; i++) {
			if (nv && strcmp(cs[nv - 1].value, cs[i].value) == 0) {
				cs[nv - 1].c0 += cs[i].c0;
				cs[nv - 1].c1 += cs[i].c1;
			} else {
				cs[nv++] = cs[i];
			}
		}
		sort_array(cs, nv, sizeof(*cs), by_contribution_change);
		if (nv <= 1 && (k == K_SERVICE || k == K_CHARGE_TYPE))
			continue; /* one value: says nothing */
		json_t *arr = json_array();
		strbuf_addf(&md, "- by %s: ", keys[k].label);
		for (size_t i = 0; i < nv && i < TOP_PER_DIMENSION; i++) {
			char delta[48];
			money_signed(req, cs[i].c1 - cs[i].c0, delta, sizeof(delta));
			strbuf_addf(&md, "%s%s %s", i ? ", " : "", cs[i].value[0] ? cs[i].value : "(none)", delta);
			json_array_append_new(arr, json_pack("{s:s, s:o, s:o, s:o}", "value", cs[i].value, "before",
							     jmoney(cs[i].c0), "after", jmoney(cs[i].c1), "change",
							     jmoney(cs[i].c1 - cs[i].c0)));
		}
		strbuf_addch(&md, '\n');
		json_object_set_new(dims, keys[k].json, arr);
	}
	json_object_set_new(result, "dimensions", dims);
	free(cs);
	json_object_set_new(result, "periods",
			    json_pack("{s:{s:s, s:s, s:s, s:o, s:i, s:o}, s:{s:s, s:s, s:s, s:o, s:i, s:o}, s:o}",
				      "before", "label", p0.label, "start", s0, "end", l0, "cost", jmoney(total0),
				      "days", days0, "daily", jmoney(days0 > 0 ? total0 / days0 : NAN), "after",
				      "label", p1.label, "start", s1, "end", l1, "cost", jmoney(total1), "days", days1,
				      "daily", jmoney(days1 > 0 ? total1 / days1 : NAN), "change", jmoney(change)));
	insight_set_message(result, md.buf);
	strbuf_release(&md);

	insight_set_method(result,
			   "Contribution analysis: both periods read at the grain of service, account, region, usage "
			   "type, resource and charge type; each line's change split into new (only in the later "
			   "period), removed (only in the earlier), usage ((u1 - u0) × r0) and rate ((r1 - r0) × u1, "
			   "r = cost / usage on usage line items) or other (lines without usage: fees, taxes, credits); "
			   "lines folded into drivers by all but the resource and ranked by the size of their change, "
			   "the rest summed so that the drivers add up to the total change.");
	json_t *chart = json_pack("{s:s, s:s, s:{s:o, s:[{s:s, s:o}]}, s:{s:s, s:{s:{s:b, s:s}, s:{s:s, s:s}}, "
				  "s:{s:{s:{s:s, s:s}}}}}",
				  "type", "bar", "title", "Change by driver", "data", "labels", labels, "datasets",
				  "label", "change", "data", values, "options", "indexAxis", "y", "plugins", "title",
				  "display", 1, "text", "Change by driver", "tooltip", "format", "currency", "currency",
				  req->currency ? req->currency : "USD", "scales", "x", "ticks", "format", "currency",
				  "currency", req->currency ? req->currency : "USD");
	json_array_append_new(json_object_get(result, "charts"), chart);

	char buf[700];
	const char *what = with_service ? NULL : req->scope.filters[0].values[0];
	for (int f = 0; f < req->scope.nfilters && !with_service; f++)
		if (req->scope.filters[f].col.dim == DIM_SERVICE)
			what = req->scope.filters[f].values[0];
	snprintf(buf, sizeof(buf), "anomalies%s%s", what ? " in " : "", what ? what : "");
	insight_add_suggestion(result, buf);
	snprintf(buf, sizeof(buf), "daily %s cost in %s", what ? what : "total", p1.label);
	insight_add_suggestion(result, buf);
	if (shown && drivers[0].first->key[K_USAGE_TYPE][0]) {
		snprintf(buf, sizeof(buf), "%s by resource in %s", drivers[0].first->key[K_USAGE_TYPE], p1.label);
		insight_add_suggestion(result, buf);
	}
	free(news);
	free(gones);
	free(drivers);
	free(lines);
	table_release(&t);
	*out = result;
	return 0;
}

const struct insight insight_drivers = {
	.name = "drivers",
	.summary = "What drove the change in cost between two periods: new, removed, usage and rates",
	.run = drivers_run,
};
