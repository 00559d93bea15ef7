/*
 * commitments: `finq commitments` (insight_commitments): Savings Plan and
 * Reserved Instance utilization, coverage and net savings over the window,
 * per month and in total, with the arithmetic shown.
 *
 *   utilization  = used commitment / commitment          (per kind)
 *   coverage     = on-demand equivalent of covered usage
 *                  / on-demand equivalent of eligible usage
 *   net savings  = on-demand equivalent of covered usage - commitment
 *                  (the unused part included)
 *
 * It reads the commitment columns the loader fills (commitment_kind,
 * commitment_cost, commitment_used, schema.c) and list_cost (the public
 * on-demand cost); which usage a commitment could cover is the table of
 * usage types below. docs/commitments.md has the formulas, the columns
 * behind them and the CUR gotchas. A charge-type filter naming Savings Plan
 * or RI lines in the scope selects that kind instead of filtering rows;
 * the scope's other filters apply to every query. It runs SELECTs only.
 */
#include "commitments.h"

#include "analysis.h"
#include "date.h"
#include "dialect.h"
#include "sqlgen.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum kind { KIND_SP, KIND_RI, KIND_ALL, KIND_COUNT };

static const struct {
	const char *name;   /* commitment_kind, the JSON "kind" */
	const char *label;  /* in words */
	const char *prefix; /* of its line item types (charge_type) */
} kinds[KIND_COUNT] = {
	[KIND_SP] = { "Savings Plan", "Savings Plans", "SavingsPlan" },
	[KIND_RI] = { "Reservation", "Reserved Instances", NULL },
	[KIND_ALL] = { "All", "All commitments", NULL },
};

/* RI line item types (a Fee with a reservation is its upfront fee). */
static const char *const ri_charge_types[] = { "DiscountedUsage", "RIFee", NULL };

/*
 * Usage types a commitment can cover, by the stem they contain (after any
 * region prefix): EC2 instance hours for both; Fargate and Lambda compute
 * for Compute Savings Plans; database, cache, search and warehouse nodes
 * for reservations. Spot (SpotUsage) is covered by neither. Sorted by stem.
 */
static const struct {
	const char *stem;
	bool sp, ri;
} eligible[] = {
	{ "BoxUsage", true, true },
	{ "DedicatedUsage", true, true },
	{ "ESInstance", false, true },
	{ "Fargate-GB-Hours", true, false },
	{ "Fargate-vCPU-Hours", true, false },
	{ "HostUsage", true, true },
	{ "InstanceUsage", false, true },
	{ "Lambda-GB-Second", true, false },
	{ "Multi-AZUsage", false, true },
	{ "Node:", false, true },
	{ "NodeUsage", false, true },
};

#define USAGE_LINES "charge_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')"
#define COVERED_LINES \
	"(charge_type IN ('SavingsPlanCoveredUsage', 'DiscountedUsage') OR (charge_type = 'Usage' AND commitment_kind IS NOT NULL))"

struct figures {
	double commitment, used, covered, eligible; /* covered, eligible: on-demand equivalent */
	double covered_cost; /* what the covered usage cost (its effective, amortized cost) */
};

#define SUMS_PER_KIND 5

/* What covered usage saved against on-demand, less what the commitment
 * cost, unused part included. A part of the bill that holds no fee line (a
 * service, an instance family, an account that bought nothing) has no
 * commitment to subtract: there it is what its covered usage saved (its
 * on-demand equivalent less its effective cost). */
static double net_savings(const struct figures *f)
{
	return f->covered - (f->commitment > 0 ? f->commitment : f->covered_cost);
}

/* The sums of one kind, in the order struct figures holds them. */
static void add_kind_sums(const struct sql_dialect *d, enum kind k, struct strbuf *sql)
{
	if (k == KIND_ALL) {
		strbuf_addstr(sql, ",\n  sum(commitment_cost), sum(commitment_used),\n"
				   "  sum(CASE WHEN " COVERED_LINES " THEN list_cost END),\n"
				   "  sum(CASE WHEN " USAGE_LINES " AND (" COVERED_LINES);
	} else {
		strbuf_addstr(sql, ",\n  sum(CASE WHEN commitment_kind = ");
		strbuf_add_sql_literal(sql, kinds[k].name);
		strbuf_addstr(sql, " THEN commitment_cost END), sum(CASE WHEN commitment_kind = ");
		strbuf_add_sql_literal(sql, kinds[k].name);
		strbuf_addstr(sql, " THEN commitment_used END),\n  sum(CASE WHEN " COVERED_LINES " AND commitment_kind = ");
		strbuf_add_sql_literal(sql, kinds[k].name);
		strbuf_addstr(sql, " THEN list_cost END),\n  sum(CASE WHEN " USAGE_LINES " AND ((" COVERED_LINES
				   " AND commitment_kind = ");
		strbuf_add_sql_literal(sql, kinds[k].name);
		strbuf_addch(sql, ')');
	}
	for (size_t i = 0; i < sizeof(eligible) / sizeof(eligible[0]); i++) {
		if ((k == KIND_SP && !eligible[i].sp) || (k == KIND_RI && !eligible[i].ri))
			continue;
		strbuf_addstr(sql, " OR ");
		d->contains(sql, "usage_type", eligible[i].stem);
	}
	strbuf_addstr(sql, ") THEN list_cost END)");
	strbuf_addstr(sql, ",\n  sum(CASE WHEN " COVERED_LINES);
	if (k != KIND_ALL) {
		strbuf_addstr(sql, " AND commitment_kind = ");
		strbuf_add_sql_literal(sql, kinds[k].name);
	}
	strbuf_addstr(sql, " THEN amortized_cost END)");
}

/* The grouping a breakdown asks for, as SQL, or NULL for none. */
struct grouping {
	const char *name;  /* "service", "account", "instance_family", a tag key */
	struct strbuf expr;
};

static void grouping_of(const struct insight_request *req, const struct dim_ref *g, const char *name,
			struct grouping *out)
{
	strbuf_init(&out->expr, 0);
	out->name = name;
	if (name && strcmp(name, "instance_family") == 0)
		req->dialect->instance_family(&out->expr, "instance_type");
	else if (g->dim == DIM_TAG)
		req->dialect->tag_value(&out->expr, g->tag_key);
	else if (sqlgen_column(g->dim))
		strbuf_addstr(&out->expr, sqlgen_column(g->dim));
}

/* The scope without the filters that name commitment line types: those
 * select the kind (*only), they do not narrow the rows. */
static void split_scope(const struct plan *scope, struct plan *rest, int *only)
{
	*rest = *scope;
	rest->nfilters = 0;
	*only = -1;
	for (int i = 0; i < scope->nfilters; i++) {
		const struct filter *f = &scope->filters[i];
		int kind = -1;
		for (int v = 0; f->col.dim == DIM_CHARGE_TYPE && f->op == FILTER_IN && v < f->nvalues; v++) {
			int this = strncmp(f->values[v], kinds[KIND_SP].prefix, strlen(kinds[KIND_SP].prefix)) == 0 ? KIND_SP : -1;
			for (size_t r = 0; ri_charge_types[r] && this < 0; r++)
				if (strcmp(f->values[v], ri_charge_types[r]) == 0)
					this = KIND_RI;
			kind = v == 0 || kind == this ? this : -1;
		}
		if (kind >= 0)
			*only = kind;
		else
			rest->filters[rest->nfilters++] = *f;
	}
}

/* One query: the figures of every kind, by month (and by group when g has
 * an expression). Rows: month, group, then KIND_COUNT x SUMS_PER_KIND numbers. */
/* The figures' SELECT over [start_day, end_day) for the filters of rest,
 * by month or not, by a group expression or not (NULL). */
static void figures_sql(const struct sql_dialect *d, const struct plan *rest, int start_day, int end_day,
			const char *group_expr, bool by_month, struct strbuf *sql)
{
	strbuf_addstr(sql, "SELECT ");
	if (by_month)
		d->date_bucket(sql, GRAIN_MONTH, "usage_date");
	else
		strbuf_addstr(sql, "NULL");
	strbuf_addstr(sql, " AS month, ");
	strbuf_addstr(sql, group_expr && *group_expr ? group_expr : "NULL");
	strbuf_addstr(sql, " AS grp");
	for (int k = 0; k < KIND_COUNT; k++)
		add_kind_sums(d, (enum kind)k, sql);
	strbuf_addstr(sql, "\nFROM costs\nWHERE usage_date >= ");
	d->date_literal(sql, start_day);
	strbuf_addstr(sql, " AND usage_date < ");
	d->date_literal(sql, end_day);
	if (rest->nfilters) {
		strbuf_addstr(sql, " AND (");
		sqlgen_filters(rest, d, sql);
		strbuf_addch(sql, ')');
	}
	strbuf_addstr(sql, "\nGROUP BY 1, 2 ORDER BY 1, 2");
}

static int query_figures(const struct insight_request *req, const struct plan *rest, const struct analysis_window *w,
			 const struct grouping *g, bool by_month, json_t *result, struct table *t, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	figures_sql(req->dialect, rest, w->start_day, w->end_day, g ? g->expr.buf : NULL, by_month, &sql);
	table_init(t);
	int rc = insight_query(req, result, t, e, "%s", sql.buf);
	strbuf_release(&sql);
	return rc;
}

void commitments_plan_sql(const struct plan *scope, const struct sql_dialect *d, struct strbuf *sql)
{
	struct plan rest;
	int only;
	split_scope(scope, &rest, &only);
	struct insight_request req;
	insight_request_init(&req);
	req.dialect = d;
	struct grouping g;
	grouping_of(&req, &scope->group, NULL, &g);
	figures_sql(d, &rest, scope->range.start_day, scope->range.end_day, g.expr.buf, scope->group.dim == DIM_NONE,
		    sql);
	strbuf_release(&g.expr);
}

static void read_figures(const struct table *t, size_t row, struct figures f[KIND_COUNT])
{
	for (int k = 0; k < KIND_COUNT; k++) {
		size_t at = 2 + SUMS_PER_KIND * (size_t)k;
		f[k].commitment = cell_number(table_at(t, row, at));
		f[k].used = cell_number(table_at(t, row, at + 1));
		f[k].covered = cell_number(table_at(t, row, at + 2));
		f[k].eligible = cell_number(table_at(t, row, at + 3));
		f[k].covered_cost = cell_number(table_at(t, row, at + 4));
	}
}

static double ratio_pct(double part, double whole)
{
	return whole > 0 ? 100 * part / whole : 0;
}

static bool has_figures(const struct figures *f)
{
	return f->commitment != 0 || f->covered != 0 || f->eligible != 0;
}

static json_t *figures_json(const struct figures *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "commitment", json_real(f->commitment));
	json_object_set_new(o, "used", json_real(f->used));
	json_object_set_new(o, "unused", json_real(f->commitment - f->used));
	json_object_set_new(o, "utilization_pct", f->commitment > 0 ? json_real(ratio_pct(f->used, f->commitment)) : json_null());
	json_object_set_new(o, "covered_on_demand", json_real(f->covered));
	json_object_set_new(o, "eligible_on_demand", json_real(f->eligible));
	json_object_set_new(o, "coverage_pct", f->eligible > 0 ? json_real(ratio_pct(f->covered, f->eligible)) : json_null());
	json_object_set_new(o, "covered_cost", json_real(f->covered_cost));
	json_object_set_new(o, "net_savings", json_real(net_savings(f)));
	return o;
}

/* The arithmetic of one kind's figures, in words with the money. */
static void arithmetic(const struct insight_request *req, const struct figures *f, struct strbuf *out)
{
	char used[64], commit[64], covered[64], elig[64], net[64], cost[64], unused[64];
	insight_money(req, f->used, used, sizeof(used));
	insight_money(req, f->commitment, commit, sizeof(commit));
	insight_money(req, f->covered, covered, sizeof(covered));
	insight_money(req, f->eligible, elig, sizeof(elig));
	insight_money(req, net_savings(f), net, sizeof(net));
	insight_money(req, f->covered_cost, cost, sizeof(cost));
	insight_money(req, f->commitment - f->used, unused, sizeof(unused));
	if (f->commitment > 0)
		strbuf_addf(out, "utilization = used %s / commitment %s = %.2f%%; ", used, commit,
			    ratio_pct(f->used, f->commitment));
	strbuf_addf(out, "coverage = covered on-demand %s / eligible on-demand %s = %.2f%%", covered, elig,
		    ratio_pct(f->covered, f->eligible));
	if (f->commitment > 0)
		strbuf_addf(out, "; net savings = covered on-demand %s - commitment %s (unused %s included) = %s", covered,
			    commit, unused, net);
	else if (f->covered > 0)
		strbuf_addf(out, "; savings = covered on-demand %s - what it cost %s = %s (the commitment's fee is billed "
			    "elsewhere)", covered, cost, net);
}

static const char *const table_names[] = { "commitment_type", "commitment", "used", "utilization_pct",
					    "covered_on_demand", "eligible_on_demand", "coverage_pct", "net_savings" };

static void add_table_row(struct table *t, const char *group, enum kind k, const struct figures *f)
{
	struct cell *c = table_add_row(t);
	size_t i = 0;
	if (group)
		cell_set_text(&c[i++], group);
	cell_set_text(&c[i++], kinds[k].name);
	cell_set_money(&c[i++], f->commitment);
	cell_set_money(&c[i++], f->used);
	if (f->commitment > 0)
		c[i] = (struct cell){ CELL_REAL, { .r = round(ratio_pct(f->used, f->commitment) * 100) / 100 } };
	i++;
	cell_set_money(&c[i++], f->covered);
	cell_set_money(&c[i++], f->eligible);
	if (f->eligible > 0)
		c[i] = (struct cell){ CELL_REAL, { .r = round(ratio_pct(f->covered, f->eligible) * 100) / 100 } };
	i++;
	cell_set_money(&c[i++], net_savings(f));
}

static void set_columns(struct table *t, const char *group)
{
	const char *names[9];
	enum cell_kind kinds_of[9];
	size_t n = 0;
	if (group)
		names[n] = group, kinds_of[n++] = CELL_TEXT;
	for (size_t i = 0; i < sizeof(table_names) / sizeof(table_names[0]); i++) {
		names[n] = table_names[i];
		kinds_of[n++] = i == 0 ? CELL_TEXT : CELL_REAL;
	}
	table_set_columns(t, n, names, kinds_of);
}

/* "RI utilization by account": the words ask about utilization only, so a
 * breakdown lists the groups that hold a commitment. */
static bool asks_utilization_only(const struct insight_request *req)
{
	static const char *const words[] = { "utiliz", "utilis", NULL };
	bool utilization = false;
	for (size_t i = 0; words[i] && req->text; i++)
		utilization |= strcasestr(req->text, words[i]) != NULL;
	return utilization && !strcasestr(req->text ? req->text : "", "coverage");
}

static bool kind_shown(int only, int k)
{
	return only < 0 || only == k;
}

/* A breakdown over the window by one grouping: JSON rows, and the
 * answer's table when it is the one the question asked for. */
static int breakdown(const struct insight_request *req, const struct plan *rest, const struct analysis_window *w,
		     const struct dim_ref *dim, const char *name, int only, json_t *result, struct table *answer,
		     json_t **out, struct err *e)
{
	struct grouping g;
	grouping_of(req, dim, name, &g);
	struct table t;
	int rc = query_figures(req, rest, w, &g, false, result, &t, e);
	strbuf_release(&g.expr);
	if (rc < 0) {
		table_release(&t);
		return -1;
	}
	*out = json_array();
	for (size_t r = 0; r < t.nrows; r++) {
		struct figures f[KIND_COUNT];
		read_figures(&t, r, f);
		char label[256];
		const struct cell *c = table_at(&t, r, 1);
		if (c->kind == CELL_NULL)
			snprintf(label, sizeof(label), "(none)");
		else
			cell_format(c, label, sizeof(label));
		/* one row per group: the kind asked for, else all commitments */
		for (int k = 0; k < KIND_COUNT; k++) {
			if (k != (only >= 0 ? only : KIND_ALL) || !has_figures(&f[k]) ||
			    (asks_utilization_only(req) && !(f[k].commitment > 0)))
				continue;
			json_t *o = figures_json(&f[k]);
			json_object_set_new(o, name, json_string(label));
			json_object_set_new(o, "kind", json_string(kinds[k].name));
			json_array_append_new(*out, o);
			if (answer)
				add_table_row(answer, label, (enum kind)k, &f[k]);
		}
	}
	table_release(&t);
	return 0;
}

static void narrate(const struct insight_request *req, json_t *result, const struct analysis_window *w,
		    const struct figures tot[KIND_COUNT], int only, const char *scope)
{
	struct strbuf md = STRBUF_INIT, title = STRBUF_INIT;
	char net[64];
	int head = only >= 0 ? only : KIND_ALL;
	insight_money(req, net_savings(&tot[head]), net, sizeof(net));
	strbuf_addf(&title, "%s, %s%s%s: coverage %.1f%%", kinds[head].label, w->label, *scope ? ", " : "", scope,
		    ratio_pct(tot[head].covered, tot[head].eligible));
	if (tot[head].commitment > 0)
		strbuf_addf(&title, ", utilization %.1f%%", ratio_pct(tot[head].used, tot[head].commitment));
	strbuf_addf(&title, ", net savings %s", net);
	for (int k = 0; k < KIND_COUNT; k++) {
		if (!kind_shown(only, k))
			continue;
		strbuf_addf(&md, "**%s**: ", kinds[k].label);
		if (k != KIND_ALL && !has_figures(&tot[k]))
			strbuf_addstr(&md, "none in the bill for this period.");
		else
			arithmetic(req, &tot[k], &md);
		strbuf_addstr(&md, "\n\n");
	}
	strbuf_addstr(&md, "Utilization below 100% is commitment paid for and not used; it is counted in the net "
			   "savings. Coverage is the share of usage that a commitment could cover, at on-demand prices, "
			   "that one did.");
	json_object_set_new(result, "title", json_string(title.buf));
	insight_set_message(result, md.buf);
	strbuf_release(&md);
	strbuf_release(&title);
}

static void add_chart(const struct insight_request *req, json_t *result, json_t *months, int only)
{
	size_t n = json_array_size(months);
	if (n == 0)
		return;
	const char **labels = xcalloc(n, sizeof(*labels));
	double *covered = xcalloc(n, sizeof(*covered)), *uncovered = xcalloc(n, sizeof(*uncovered));
	const char *key = only == KIND_SP ? "sp" : only == KIND_RI ? "ri" : "all";
	for (size_t i = 0; i < n; i++) {
		json_t *m = json_array_get(months, i);
		json_t *f = json_object_get(m, key);
		labels[i] = json_string_value(json_object_get(m, "month"));
		covered[i] = json_real_value(json_object_get(f, "covered_on_demand"));
		uncovered[i] = json_real_value(json_object_get(f, "eligible_on_demand")) - covered[i];
	}
	json_t *chart = analysis_money_chart("bar", "Eligible usage at on-demand prices: covered and not", "Covered",
					     req->currency, labels, covered, n);
	json_t *datasets = json_object_get(json_object_get(chart, "data"), "datasets");
	json_t *rest = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rest, json_real(uncovered[i]));
	json_array_append_new(datasets, json_pack("{s:s, s:o}", "label", "On demand", "data", rest));
	json_t *scales = json_object_get(json_object_get(chart, "options"), "scales");
	json_object_set_new(json_object_get(scales, "y"), "stacked", json_true());
	json_object_set_new(scales, "x", json_pack("{s:b}", "stacked", 1));
	json_array_append_new(json_object_get(result, "charts"), chart);
	free(labels);
	free(covered);
	free(uncovered);
}

static int commitments_run(const struct insight_request *req, json_t **out, struct err *e)
{
	json_t *result = insight_result("commitments", "");
	struct analysis_window w;
	struct plan rest;
	int only;
	struct table t;
	table_init(&t);
	split_scope(&req->scope, &rest, &only);
	if (analysis_window_read(req, result, &w, e) < 0 ||
	    query_figures(req, &rest, &w, NULL, true, result, &t, e) < 0) {
		table_release(&t);
		json_decref(result);
		return -1;
	}
	struct figures tot[KIND_COUNT] = { 0 };
	json_t *months = json_array();
	for (size_t r = 0; r < t.nrows; r++) {
		struct figures f[KIND_COUNT];
		read_figures(&t, r, f);
		char month[32];
		cell_format(table_at(&t, r, 0), month, sizeof(month));
		json_t *m = json_pack("{s:s}", "month", month);
		static const char *const keys[KIND_COUNT] = { "sp", "ri", "all" };
		for (int k = 0; k < KIND_COUNT; k++) {
			tot[k].commitment += f[k].commitment;
			tot[k].used += f[k].used;
			tot[k].covered += f[k].covered;
			tot[k].eligible += f[k].eligible;
			tot[k].covered_cost += f[k].covered_cost;
			if (kind_shown(only, k) || k == KIND_ALL)
				json_object_set_new(m, keys[k], figures_json(&f[k]));
		}
		json_array_append_new(months, m);
	}
	table_release(&t);

	/* in words, the scope without the kind (the title names it) */
	char scope[512];
	struct insight_request narrowed = *req;
	narrowed.scope = rest;
	insight_scope_words(&narrowed, scope, sizeof(scope));
	bool none = only >= 0 ? !(tot[only].commitment != 0 || tot[only].covered != 0)
			      : !(tot[KIND_ALL].commitment != 0 || tot[KIND_ALL].covered != 0);
	if (none) {
		char elig[64];
		insight_money(req, tot[only >= 0 ? only : KIND_ALL].eligible, elig, sizeof(elig));
		json_decref(months);
		json_decref(result);
		return err_set_code(e, ERR_NO_DATA,
				    "the bill has no %s lines between %s%s%s, so there is nothing to measure: coverage "
				    "is 0%% of %s of eligible usage at on-demand prices",
				    only == KIND_SP ? "Savings Plan" : only == KIND_RI ? "Reserved Instance"
										     : "Savings Plan or Reserved Instance",
				    w.label, *scope ? " for " : "", scope, elig);
	}

	json_t *items = json_object_get(result, "items");
	for (int k = 0; k < KIND_COUNT; k++) {
		if (!kind_shown(only, k))
			continue;
		json_t *item = figures_json(&tot[k]);
		json_object_set_new(item, "kind", json_string(kinds[k].name));
		json_object_set_new(item, "label", json_string(kinds[k].label));
		struct strbuf a = STRBUF_INIT;
		arithmetic(req, &tot[k], &a);
		json_object_set_new(item, "arithmetic", json_string(a.buf));
		strbuf_release(&a);
		json_array_append_new(items, item);
	}
	json_object_set_new(result, "months", months);
	json_object_set_new(result, "start", json_string(w.start));
	json_object_set_new(result, "end", json_string(w.end));

	/* The breakdowns a review reads, and the one the question grouped by. */
	static const struct {
		enum dimension dim;
		const char *name;
	} breakdowns[] = {
		{ DIM_SERVICE, "service" },
		{ DIM_ACCOUNT, "account" },
		{ DIM_INSTANCE_TYPE, "instance_family" },
	};
	struct table answer;
	table_init(&answer);
	const struct dim_ref *asked = &req->scope.group;
	json_t *by = json_object();
	int rc = 0;
	for (size_t i = 0; i < sizeof(breakdowns) / sizeof(breakdowns[0]) && rc == 0; i++) {
		struct dim_ref dim = { .dim = breakdowns[i].dim };
		bool is_asked = asked->dim == breakdowns[i].dim && asked->dim != DIM_INSTANCE_TYPE;
		if (is_asked)
			set_columns(&answer, breakdowns[i].name);
		json_t *rows = NULL;
		rc = breakdown(req, &rest, &w, &dim, breakdowns[i].name, only, result, is_asked ? &answer : NULL, &rows, e);
		if (rc == 0)
			json_object_set_new(by, breakdowns[i].name, rows);
	}
	bool other_group = asked->dim != DIM_NONE && asked->dim != DIM_SERVICE && asked->dim != DIM_ACCOUNT;
	if (rc == 0 && other_group) {
		const char *name = asked->dim == DIM_INSTANCE_TYPE ? "instance_type" : dimension_label(asked);
		json_t *rows = NULL;
		set_columns(&answer, name);
		rc = breakdown(req, &rest, &w, asked, name, only, result, &answer, &rows, e);
		json_decref(rows);
	}
	json_object_set_new(result, "by", by);
	if (rc < 0) {
		table_release(&answer);
		json_decref(result);
		return -1;
	}
	if (asked->dim == DIM_NONE) {
		set_columns(&answer, NULL);
		for (int k = 0; k < KIND_COUNT; k++)
			if (kind_shown(only, k))
				add_table_row(&answer, NULL, (enum kind)k, &tot[k]);
	}
	insight_set_table(result, &answer);
	table_release(&answer);

	narrate(req, result, &w, tot, only, scope);
	add_chart(req, result, months, only);
	insight_add_suggestion(result, "Savings Plan coverage by account");
	insight_add_suggestion(result, "RI utilization by month");
	insight_add_suggestion(result, "How can I reduce EC2 costs?");
	insight_set_method(result,
			   "Utilization: used commitment / commitment, from the fee lines (Savings Plan: "
			   "TotalCommitmentToDate and UsedCommitment; RI: amortized upfront and recurring fees less "
			   "their unused parts). Coverage: public on-demand cost of covered usage (SavingsPlanCoveredUsage, "
			   "DiscountedUsage) / public on-demand cost of all usage a commitment could cover (instance "
			   "hours, Fargate, Lambda compute; not Spot). Net savings: on-demand cost of covered usage "
			   "less the whole commitment, unused part included.");
	*out = result;
	return 0;
}

const struct insight insight_commitments = {
	"commitments",
	"Savings Plan and RI utilization, coverage and net savings, with the arithmetic",
	commitments_run,
};
