/*
 * owners: the likely owners of untagged resources. See owners.h.
 *
 * Two queries: the owner tag key (from the vocabulary's tag keys), then one
 * grouped pass over every resource: its account, zone, owner and project
 * tag values, first day, first-day and full-day usage in its main unit,
 * first charge hour, and its cost in the window and scope. The inference
 * runs in C over those few hundred rows, with a table of methods tried in
 * order of strength.
 */
#include "owners.h"

#include "analysis.h"
#include "date.h"
#include "xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tag keys that name an owner, most direct first. */
static const char *const owner_keys[] = { "team", "owner", "squad", "group", "department", "project",
					  "application", "app", NULL };

/* A tagged launch within this many hours of an untagged one still counts. */
#define LAUNCH_SLACK_HOURS 1
/* An account whose tagged cost is at least this share one owner's. */
#define ACCOUNT_DOMINANCE 0.9

int owners_launch_hour(double first_day_usage, double full_day_usage)
{
	if (!(full_day_usage > 0))
		return -1;
	double ran = first_day_usage / full_day_usage;
	if (ran >= 0.98)
		return 0;
	if (ran < 0)
		ran = 0;
	int hour = (int)lround(24 * (1 - ran));
	return hour > 23 ? 23 : hour;
}

struct resource {
	char *id, *account, *zone, *region, *service, *owner, *project;
	int first_day;   /* -1 unknown */
	int launch_hour; /* -1 unknown (running before the data starts) */
	double cost;     /* in the window and scope */
	bool in_scope;
	/* the inference */
	const char *guess; /* borrowed from another resource, or NULL: unknown */
	const char *method;
	double confidence;
	struct strbuf evidence;
};

struct owners {
	const struct insight_request *req;
	const char *key; /* the owner tag key */
	struct resource *r;
	size_t n, alloc;
	int data_first_day;
};

static char *dup_cell(const struct table *t, size_t row, size_t col)
{
	const struct cell *c = table_at(t, row, col);
	char buf[512];
	return c->kind == CELL_NULL ? NULL : xstrdup(cell_format(c, buf, sizeof(buf)));
}

static int read_owner_key(struct owners *o, json_t *result, char *key, size_t size, struct err *e)
{
	struct table t;
	table_init(&t);
	if (insight_query(o->req, result, &t, e,
			  "SELECT DISTINCT tag_key FROM vocabulary WHERE dim = 'tag_key' ORDER BY tag_key") < 0) {
		table_release(&t);
		return -1;
	}
	key[0] = '\0';
	for (size_t k = 0; owner_keys[k] && !key[0]; k++)
		for (size_t i = 0; i < t.nrows && !key[0]; i++)
			if (strcasecmp(cell_format(table_at(&t, i, 0), (char[128]){ 0 }, 128), owner_keys[k]) == 0)
				snprintf(key, size, "%s", cell_format(table_at(&t, i, 0), (char[128]){ 0 }, 128));
	table_release(&t);
	if (!key[0])
		return err_set_code(e, ERR_NO_DATA, "the data has no owner tag (none of team, owner, squad, group, department, project, "
				  "application, app), so there is no untagged spend to attribute");
	return 0;
}

static int read_resources(struct owners *o, json_t *result, const struct analysis_window *w, struct err *e)
{
	struct strbuf key = STRBUF_INIT, scope = STRBUF_INIT;
	strbuf_add_sql_literal(&key, o->key);
	analysis_add_scope(o->req, &scope);
	const char *cost = insight_cost_column(o->req);
	struct table t;
	table_init(&t);
	int rc = insight_query(
		o->req, result, &t, e,
		"WITH units AS (SELECT resource_id, $mode(usage_unit) AS unit FROM costs\n"
		"  WHERE resource_id IS NOT NULL AND usage_amount > 0\n"
		"    AND charge_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage') GROUP BY resource_id),\n"
		"daily AS (SELECT c.resource_id, c.usage_date, sum(c.usage_amount) AS usage, min(c.charge_start) AS first_start\n"
		"  FROM costs c JOIN units u ON c.resource_id = u.resource_id AND c.usage_unit = u.unit\n"
		"  WHERE c.charge_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')\n"
		"  GROUP BY c.resource_id, c.usage_date),\n"
		"firsts AS (SELECT resource_id, min(usage_date) AS d0 FROM daily WHERE usage > 0 GROUP BY resource_id),\n"
		/* a full day: the same kind of day (weekday or weekend) in the next four weeks, the same month first */
		"launch AS (SELECT f.resource_id, f.d0,\n"
		"    $any_if(d.usage, d.usage_date = f.d0) AS u0,\n"
		"    coalesce($median_if(d.usage, d.usage_date > f.d0 AND $month_start(d.usage_date) = $month_start(f.d0)\n"
		"               AND $is_weekend(d.usage_date) = $is_weekend(f.d0)),\n"
		"             $median_if(d.usage, d.usage_date > f.d0 AND $is_weekend(d.usage_date) = $is_weekend(f.d0))) AS full_day,\n"
		"    $hour($any_if(d.first_start, d.usage_date = f.d0)) AS start_hour\n"
		/* the date bound in WHERE: ClickHouse 18.16 joins on equalities only */
		"  FROM firsts f JOIN daily d ON d.resource_id = f.resource_id WHERE d.usage_date <= $add_days(f.d0, 28)\n"
		"  GROUP BY f.resource_id, f.d0),\n"
		"res AS (SELECT resource_id, $any(account_id) AS account_id, $any(availability_zone) AS zone,\n"
		"  $any(region) AS region, $any(service_code) AS service,\n"
		"  max($tag(%s)) AS owner, max($tag('project')) AS project,\n"
		"  coalesce($sum_if(%s, usage_date >= $date('%s') AND usage_date < $date('%s')%s), 0) AS cost,\n"
		"  $count_if(usage_date >= $date('%s') AND usage_date < $date('%s')%s) > 0 AS in_scope\n"
		"  FROM costs WHERE resource_id IS NOT NULL AND resource_id <> '' GROUP BY resource_id)\n"
		"SELECT res.*, l.d0 AS first_day, l.u0 AS first_usage, l.full_day, l.start_hour\n"
		"FROM res LEFT JOIN launch l ON l.resource_id = res.resource_id ORDER BY round(cost, 6) DESC, res.resource_id",
		key.buf, cost, w->start, w->end, scope.buf, w->start, w->end, scope.buf);
	for (size_t i = 0; rc == 0 && i < t.nrows; i++) {
		ALLOC_GROW(o->r, o->n + 1, o->alloc);
		struct resource *r = &o->r[o->n++];
		memset(r, 0, sizeof(*r));
		r->id = dup_cell(&t, i, 0);
		r->account = dup_cell(&t, i, 1);
		r->zone = dup_cell(&t, i, 2);
		r->region = dup_cell(&t, i, 3);
		r->service = dup_cell(&t, i, 4);
		r->owner = dup_cell(&t, i, 5);
		r->project = dup_cell(&t, i, 6);
		const struct cell *d0 = table_at(&t, i, 9);
		r->first_day = -1;
		r->launch_hour = -1;
		if (d0->kind == CELL_DATE && date_parse(d0->v.s, &r->first_day) && r->first_day > o->data_first_day) {
			const struct cell *hour = table_at(&t, i, 12);
			/* an hourly export says the hour; a daily one says it through the first day's usage */
			if (hour->kind != CELL_NULL && cell_number(hour) > 0)
				r->launch_hour = (int)cell_number(hour);
			else
				r->launch_hour = owners_launch_hour(cell_number(table_at(&t, i, 10)),
								    cell_number(table_at(&t, i, 11)));
		}
		r->cost = cell_number(table_at(&t, i, 7));
		const struct cell *in = table_at(&t, i, 8);
		/* ClickHouse has no boolean: a comparison is UInt8 0 or 1 */
		r->in_scope = (in->kind == CELL_BOOL && in->v.b) || (in->kind == CELL_INT && in->v.i != 0);
		strbuf_init(&r->evidence, 0);
	}
	table_release(&t);
	strbuf_release(&key);
	strbuf_release(&scope);
	return rc;
}

/* --- the methods, strongest first ---------------------------------------- */

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

struct vote {
	const char *owner;
	double weight;
	int count;
};

static void vote_add(struct vote *votes, size_t *n, size_t max, const char *owner, double weight)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp(votes[i].owner, owner) == 0) {
			votes[i].weight += weight;
			votes[i].count++;
			return;
		}
	}
	if (*n < max)
		votes[(*n)++] = (struct vote){ owner, weight, 1 };
}

static const struct vote *vote_winner(const struct vote *votes, size_t n, double *total)
{
	const struct vote *best = NULL;
	*total = 0;
	for (size_t i = 0; i < n; i++) {
		*total += votes[i].weight;
		if (!best || votes[i].weight > best->weight ||
		    (votes[i].weight == best->weight && strcmp(votes[i].owner, best->owner) < 0))
			best = &votes[i];
	}
	return best;
}

#define MAX_VOTES 64

/* Tagged resources launched in the same account and zone within the hour. */
static bool by_launch(const struct owners *o, struct resource *r)
{
	if (r->launch_hour < 0 || !r->zone || !r->account)
		return false;
	struct vote votes[MAX_VOTES] = { { NULL, 0, 0 } };
	size_t nv = 0;
	bool exact = false;
	struct strbuf ids = STRBUF_INIT;
	for (size_t i = 0; i < o->n; i++) {
		const struct resource *t = &o->r[i];
		if (!t->owner || t->launch_hour < 0 || t->first_day != r->first_day || !same(t->zone, r->zone) ||
		    !same(t->account, r->account))
			continue;
		int gap = abs(t->launch_hour - r->launch_hour);
		if (gap > LAUNCH_SLACK_HOURS)
			continue;
		exact |= gap == 0;
		vote_add(votes, &nv, MAX_VOTES, t->owner, gap == 0 ? 1.0 : 0.5);
		strbuf_addf(&ids, "%s%s (%s, %02d:00)", ids.len ? ", " : "", t->id, t->owner, t->launch_hour);
	}
	double total;
	const struct vote *best = vote_winner(votes, nv, &total);
	if (best) {
		char day[11];
		date_format(r->first_day, day, sizeof(day));
		r->guess = best->owner;
		r->method = "launch";
		r->confidence = round(100 * (exact ? 0.9 : 0.6) * best->weight / total) / 100;
		strbuf_addf(&r->evidence, "started %s about %02d:00 UTC in account %s, %s, as %s", day, r->launch_hour,
			    r->account, r->zone, ids.buf);
	}
	strbuf_release(&ids);
	return best != NULL;
}

/* A team or project value appears as a word of the resource's id. */
static bool word_in(const char *id, const char *word)
{
	size_t n = strlen(word);
	if (n < 3)
		return false;
	for (const char *p = id; (p = strcasestr(p, word)) != NULL; p++) {
		bool start = p == id || !isalnum((unsigned char)p[-1]);
		bool end = !isalnum((unsigned char)p[n]);
		if (start && end)
			return true;
	}
	return false;
}

static bool by_name(const struct owners *o, struct resource *r)
{
	for (size_t i = 0; i < o->n; i++) {
		const struct resource *t = &o->r[i];
		if (!t->owner)
			continue;
		const char *word = word_in(r->id, t->owner) ? t->owner : t->project && word_in(r->id, t->project) ? t->project : NULL;
		if (!word)
			continue;
		r->guess = t->owner;
		r->method = "name";
		r->confidence = 0.6;
		strbuf_addf(&r->evidence, "its id contains '%s', the %s of %s (%s)", word,
			    word == t->owner ? o->key : "project", t->id, t->owner);
		return true;
	}
	return false;
}

/* One owner holds nearly all the tagged cost of the account. */
static bool by_account(const struct owners *o, struct resource *r)
{
	if (!r->account)
		return false;
	struct vote votes[MAX_VOTES] = { { NULL, 0, 0 } };
	size_t nv = 0;
	for (size_t i = 0; i < o->n; i++)
		if (o->r[i].owner && same(o->r[i].account, r->account))
			vote_add(votes, &nv, MAX_VOTES, o->r[i].owner, 1.0);
	double total;
	const struct vote *best = vote_winner(votes, nv, &total);
	if (!best || best->count < 3 || best->weight < ACCOUNT_DOMINANCE * total)
		return false;
	r->guess = best->owner;
	r->method = "account";
	r->confidence = 0.4;
	strbuf_addf(&r->evidence, "%d of the %g tagged resources of account %s belong to %s", best->count, total,
		    r->account, best->owner);
	return true;
}

static const struct {
	const char *name;
	bool (*infer)(const struct owners *o, struct resource *r);
} methods[] = {
	{ "launch", by_launch },
	{ "name", by_name },
	{ "account", by_account },
};

static void infer(const struct owners *o, struct resource *r)
{
	if (r->owner) {
		r->guess = r->owner;
		r->method = "tag";
		r->confidence = 1.0;
		strbuf_addf(&r->evidence, "tagged %s=%s", o->key, r->owner);
		return;
	}
	for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
		if (methods[m].infer(o, r))
			return;
	r->method = "none";
	strbuf_addstr(&r->evidence, r->launch_hour >= 0 ? "no tagged resource started in the same account and zone "
							  "within the hour, and nothing in its name or account"
							: "running since before the data starts, and nothing in its name "
							  "or account");
}

/* --- the result ------------------------------------------------------------ */

/* The resource id the words name, or NULL: a word of the form x-0abc or an ARN. */
static const struct resource *named_resource(const struct owners *o, const char *text, char *word, size_t size)
{
	word[0] = '\0';
	const char *p = text;
	while (*p) {
		while (*p && isspace((unsigned char)*p))
			p++;
		const char *start = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - start);
		while (n && strchr("?.,;!'\"", start[n - 1]))
			n--;
		bool digit = false;
		for (size_t i = 0; i < n; i++)
			digit |= isdigit((unsigned char)start[i]) != 0;
		if (n < 5 || n >= size || !memchr(start, '-', n) || !digit)
			continue;
		memcpy(word, start, n);
		word[n] = '\0';
		for (size_t i = 0; i < o->n; i++)
			if (strcmp(o->r[i].id, word) == 0)
				return &o->r[i];
		return NULL;
	}
	return NULL;
}

static json_t *resource_json(const struct owners *o, const struct resource *r)
{
	json_t *j = json_pack("{s:s, s:o, s:o, s:o, s:o, s:f, s:s, s:s, s:f, s:s, s:s}", "resource_id", r->id, "service",
			      r->service ? json_string(r->service) : json_null(), "account",
			      r->account ? json_string(r->account) : json_null(), "zone",
			      r->zone ? json_string(r->zone) : json_null(), "region",
			      r->region ? json_string(r->region) : json_null(), "cost", r->cost, "owner_key", o->key,
			      "likely_owner", r->guess ? r->guess : "unknown", "confidence", r->confidence, "method",
			      r->method, "evidence", r->evidence.buf);
	if (r->launch_hour >= 0) {
		char day[11], when[32];
		date_format(r->first_day, day, sizeof(day));
		snprintf(when, sizeof(when), "%sT%02d:00:00Z", day, r->launch_hour);
		json_object_set_new(j, "launched", json_string(when));
	}
	return j;
}

struct team_total {
	const char *owner;
	double cost, confidence;
	int count;
};

static int by_cost(const void *a, const void *b)
{
	const struct team_total *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost < y->cost ? 1 : -1;
	return strcmp(x->owner, y->owner);
}

static void summarize(const struct insight_request *req, const struct owners *o, json_t *result,
		      const struct resource **list, size_t n, const struct analysis_window *w)
{
	struct team_total *teams = xcalloc(n + 1, sizeof(*teams));
	size_t nt = 0;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *owner = list[i]->guess ? list[i]->guess : "unknown";
		size_t k = 0;
		while (k < nt && strcmp(teams[k].owner, owner) != 0)
			k++;
		if (k == nt)
			teams[nt++] = (struct team_total){ owner, 0, 0, 0 };
		teams[k].cost += list[i]->cost;
		teams[k].confidence += list[i]->confidence;
		teams[k].count++;
		total += list[i]->cost;
	}
	sort_array(teams, nt, sizeof(*teams), by_cost);
	static const char *const names[] = { "likely_owner", "resources", "untagged_cost", "mean_confidence" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_INT, CELL_REAL, CELL_REAL };
	struct table t;
	table_init(&t);
	table_set_columns(&t, 4, names, kinds);
	json_t *by_owner = json_array();
	const char **labels = xcalloc(nt + 1, sizeof(*labels));
	double *values = xcalloc(nt + 1, sizeof(*values));
	for (size_t k = 0; k < nt; k++) {
		double mean = round(100 * teams[k].confidence / teams[k].count) / 100;
		struct cell *c = table_add_row(&t);
		c[0] = (struct cell){ CELL_TEXT, { .s = xstrdup(teams[k].owner) } };
		c[1] = (struct cell){ CELL_INT, { .i = teams[k].count } };
		c[2] = (struct cell){ CELL_REAL, { .r = teams[k].cost } };
		c[3] = (struct cell){ CELL_REAL, { .r = mean } };
		json_array_append_new(by_owner, json_pack("{s:s, s:i, s:f, s:f}", "likely_owner", teams[k].owner,
							  "resources", teams[k].count, "cost", teams[k].cost,
							  "mean_confidence", mean));
		labels[k] = teams[k].owner;
		values[k] = teams[k].cost;
	}
	json_object_set_new(result, "by_owner", by_owner);
	insight_set_table(result, &t);
	table_release(&t);
	if (nt)
		json_array_append_new(json_object_get(result, "charts"),
				      analysis_money_chart("bar", "Untagged cost by likely owner", "Untagged cost",
							   req->currency, labels, values, nt));
	char money[64];
	insight_money(req, total, money, sizeof(money));
	struct strbuf md = STRBUF_INIT, title = STRBUF_INIT;
	strbuf_addf(&title, "%zu resources without a %s tag: %s, %s", n, o->key, money, w->label);
	strbuf_addf(&md, "**%zu resources** carry no **%s** tag and cost **%s** from %s. By likely owner:\n\n", n,
		    o->key, money, w->label);
	for (size_t k = 0; k < nt; k++) {
		insight_money(req, teams[k].cost, money, sizeof(money));
		strbuf_addf(&md, "- **%s**: %d resource%s, %s\n", teams[k].owner, teams[k].count,
			    teams[k].count == 1 ? "" : "s", money);
	}
	json_object_set_new(result, "title", json_string(title.buf));
	insight_set_message(result, md.buf);
	strbuf_release(&md);
	strbuf_release(&title);
	free(labels);
	free(values);
	free(teams);
}

static void answer_one(const struct insight_request *req, const struct owners *o, json_t *result,
		       const struct resource *r)
{
	char money[64];
	insight_money(req, r->cost, money, sizeof(money));
	struct strbuf md = STRBUF_INIT, title = STRBUF_INIT;
	if (r->guess)
		strbuf_addf(&title, "%s: likely %s %s (confidence %.2f)", r->id, o->key, r->guess, r->confidence);
	else
		strbuf_addf(&title, "%s: owner unknown", r->id);
	strbuf_addf(&md, "**%s** (%s, account %s) %s **%s**: %s.", r->id, r->service ? r->service : "",
		    r->account ? r->account : "", r->guess ? "most likely belongs to" : "has an owner that is",
		    r->guess ? r->guess : "unknown", r->evidence.buf);
	json_object_set_new(result, "title", json_string(title.buf));
	insight_set_message(result, md.buf);
	static const char *const names[] = { "resource_id", "likely_owner", "confidence", "method", "cost" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_TEXT, CELL_REAL, CELL_TEXT, CELL_REAL };
	struct table t;
	table_init(&t);
	table_set_columns(&t, 5, names, kinds);
	struct cell *c = table_add_row(&t);
	c[0] = (struct cell){ CELL_TEXT, { .s = xstrdup(r->id) } };
	c[1] = (struct cell){ CELL_TEXT, { .s = xstrdup(r->guess ? r->guess : "unknown") } };
	c[2] = (struct cell){ CELL_REAL, { .r = r->confidence } };
	c[3] = (struct cell){ CELL_TEXT, { .s = xstrdup(r->method) } };
	c[4] = (struct cell){ CELL_REAL, { .r = r->cost } };
	insight_set_table(result, &t);
	table_release(&t);
	strbuf_release(&md);
	strbuf_release(&title);
}

static void owners_release(struct owners *o)
{
	for (size_t i = 0; i < o->n; i++) {
		struct resource *r = &o->r[i];
		free(r->id), free(r->account), free(r->zone), free(r->region);
		free(r->service), free(r->owner), free(r->project);
		strbuf_release(&r->evidence);
	}
	free(o->r);
}

static int owners_run(const struct insight_request *req, json_t **out, struct err *e)
{
	json_t *result = insight_result("owners", "");
	struct owners o = { .req = req };
	struct analysis_window w;
	char key[PLAN_NAME_MAX], word[256];
	const struct resource **list = NULL;
	int rc = analysis_window_read(req, result, &w, e);
	o.data_first_day = w.data_first_day;
	o.key = key;
	if (rc == 0)
		rc = read_owner_key(&o, result, key, sizeof(key), e);
	if (rc == 0)
		rc = read_resources(&o, result, &w, e);
	if (rc < 0)
		goto out;
	const struct resource *one = named_resource(&o, req->text, word, sizeof(word));
	if (!one && word[0]) {
		rc = err_set_code(e, ERR_NO_DATA, "no resource '%s' in the loaded data", word);
		goto out;
	}
	for (size_t i = 0; i < o.n; i++)
		if (!o.r[i].owner || &o.r[i] == one)
			infer(&o, &o.r[i]);
	json_t *items = json_object_get(result, "items");
	if (one) {
		json_array_append_new(items, resource_json(&o, one));
		answer_one(req, &o, result, one);
		insight_add_suggestion(result, "untagged spend by likely team");
	} else {
		list = xcalloc(o.n + 1, sizeof(*list));
		size_t n = 0;
		for (size_t i = 0; i < o.n; i++)
			if (!o.r[i].owner && o.r[i].in_scope && (!req->limit || n < (size_t)req->limit))
				list[n++] = &o.r[i];
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, resource_json(&o, list[i]));
		summarize(req, &o, result, list, n, &w);
		char q[256];
		snprintf(q, sizeof(q), "cost by %s last month", key);
		insight_add_suggestion(result, q);
		if (n) {
			snprintf(q, sizeof(q), "who owns %s?", list[0]->id);
			insight_add_suggestion(result, q);
		}
	}
	insight_add_suggestion(result, "How can I reduce costs?");
	insight_set_method(result,
			   "An untagged resource takes the owner of tagged resources started in the same account and "
			   "availability zone within the same hour (the hour read from charge_start, or from the first "
			   "day's usage against a full day's), else of a tag value in its id, else of its account when "
			   "one owner holds 90% of the account's tagged resources; otherwise it is unknown.");
	*out = result;
	result = NULL;
out:
	free(list);
	owners_release(&o);
	json_decref(result);
	return rc;
}

const struct insight insight_owners = {
	"owners",
	"The likely owners of untagged spend, inferred from launches, names and accounts",
	owners_run,
};
