/*
 * recommend: `finq recommend` (insight_recommend): runs the savings rules of
 * recommend_rules.c that the scope concerns over the window and assembles
 * the result: one item per rule with findings, its evidence lines grouped
 * by resource, the monthly cost and saving, the arithmetic and the
 * assumptions; a table, a bar chart of saving by rule and follow-ups.
 * It computes nothing itself beyond sums and the monthly scaling: the
 * figures are the rules'.
 */
#include "recommend.h"

#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Findings whose monthly saving rounds below this are not worth a line. */
#define MIN_MONTHLY_SAVING 0.01

void finding_init(struct finding *f)
{
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->arithmetic, 0);
	strbuf_init(&f->note, 0);
}

void finding_release(struct finding *f)
{
	for (size_t i = 0; i < f->nlines; i++) {
		struct evidence *ev = &f->lines[i];
		free(ev->resource_id);
		free(ev->account_id);
		free(ev->region);
		free(ev->usage_type);
		free(ev->instance_type);
		free(ev->unit);
	}
	free(f->lines);
	strbuf_release(&f->arithmetic);
	strbuf_release(&f->note);
	memset(f, 0, sizeof(*f));
}

struct evidence *finding_add(struct finding *f)
{
	ALLOC_GROW(f->lines, f->nlines + 1, f->alloc);
	struct evidence *ev = &f->lines[f->nlines++];
	memset(ev, 0, sizeof(*ev));
	return ev;
}

bool recommend_rule_in_scope(const struct rule *r, const struct plan *scope)
{
	for (int i = 0; i < scope->nfilters; i++) {
		const struct filter *flt = &scope->filters[i];
		if (flt->col.dim != DIM_SERVICE || flt->op != FILTER_IN)
			continue;
		bool hit = false;
		for (int v = 0; v < flt->nvalues && !hit; v++)
			for (size_t s = 0; r->services[s] && !hit; s++)
				hit = strcmp(r->services[s], flt->values[v]) == 0;
		if (!hit)
			return false;
	}
	return true;
}

struct outcome {
	const struct rule *rule;
	struct finding f;
	double monthly_cost, monthly_saving;
};

static int by_saving(const void *a, const void *b)
{
	const struct outcome *x = a, *y = b;
	if (x->monthly_saving != y->monthly_saving)
		return x->monthly_saving < y->monthly_saving ? 1 : -1;
	return strcmp(x->rule->id, y->rule->id);
}

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The lines grouped by resource (or by account where a line has none), in
 * the order the detector gave them. */
static json_t *resources_json(const struct finding *f)
{
	json_t *resources = json_array();
	bool *done = xcalloc(f->nlines + 1, sizeof(*done));
	for (size_t i = 0; i < f->nlines; i++) {
		if (done[i])
			continue;
		const struct evidence *first = &f->lines[i];
		json_t *evidence = json_array();
		double cost = 0;
		for (size_t j = i; j < f->nlines; j++) {
			const struct evidence *ev = &f->lines[j];
			bool same = first->resource_id
					    ? ev->resource_id && strcmp(ev->resource_id, first->resource_id) == 0
					    : !ev->resource_id && (ev->account_id == first->account_id ||
								   (ev->account_id && first->account_id &&
								    strcmp(ev->account_id, first->account_id) == 0));
			if (done[j] || !same)
				continue;
			done[j] = true;
			cost += ev->cost;
			json_array_append_new(evidence, json_pack("{s:o, s:f, s:o, s:f}", "usage_type",
								  jstr_or_null(ev->usage_type), "usage", ev->usage,
								  "unit", jstr_or_null(ev->unit), "cost", ev->cost));
		}
		json_t *res = json_pack("{s:o, s:o, s:o, s:f, s:o}", "id", jstr_or_null(first->resource_id), "account",
					jstr_or_null(first->account_id), "region", jstr_or_null(first->region), "cost",
					cost, "evidence", evidence);
		if (first->instance_type && first->resource_id && strncmp(first->resource_id, "i-", 2) == 0)
			json_object_set_new(res, "instance_type", json_string(first->instance_type));
		json_array_append_new(resources, res);
	}
	free(done);
	return resources;
}

static json_t *assumptions_json(const struct rule *r)
{
	json_t *list = json_array();
	for (size_t i = 0; i < 3 && r->assumptions[i]; i++)
		json_array_append_new(list, json_pack("{s:f, s:s, s:s}", "value", r->assumptions[i]->value, "what",
						      r->assumptions[i]->what, "source", r->assumptions[i]->source));
	return list;
}

static json_t *item_json(const struct outcome *o, const struct analysis_window *w)
{
	const struct rule *r = o->rule;
	json_t *resources = resources_json(&o->f);
	size_t n = 0;
	for (size_t i = 0; i < json_array_size(resources); i++)
		n += !json_is_null(json_object_get(json_array_get(resources, i), "id"));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:f, s:f, s:f, s:f, s:s, s:s, s:s, s:o, s:f, s:s}", "rule",
			 r->id, "title", r->title, "service", r->service, "action", r->action, "resources", resources,
			 "resource_count", (json_int_t)n, "current_monthly_cost", o->monthly_cost,
			 "estimated_monthly_saving", o->monthly_saving, "window_cost", o->f.cost, "window_saving",
			 o->f.saving, "arithmetic", o->f.arithmetic.buf, "note", o->f.note.buf, "basis", r->basis,
			 "assumptions", assumptions_json(r), "confidence", o->f.confidence, "window", w->label);
}

static void fill_table(json_t *result, const struct outcome *o, size_t n)
{
	static const char *const names[] = { "rule", "service", "resources", "monthly_cost", "monthly_saving",
					     "confidence" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_TEXT, CELL_INT, CELL_REAL, CELL_REAL, CELL_REAL };
	struct table t;
	table_init(&t);
	table_set_columns(&t, 6, names, kinds);
	json_t *items = json_object_get(result, "items");
	for (size_t i = 0; i < n; i++) {
		struct cell *c = table_add_row(&t);
		c[0] = (struct cell){ CELL_TEXT, { .s = xstrdup(o[i].rule->id) } };
		c[1] = (struct cell){ CELL_TEXT, { .s = xstrdup(o[i].rule->service) } };
		c[2] = (struct cell){ CELL_INT,
				      { .i = json_integer_value(json_object_get(json_array_get(items, i),
										"resource_count")) } };
		c[3] = (struct cell){ CELL_REAL, { .r = o[i].monthly_cost } };
		c[4] = (struct cell){ CELL_REAL, { .r = o[i].monthly_saving } };
		c[5] = (struct cell){ CELL_REAL, { .r = o[i].f.confidence } };
	}
	insight_set_table(result, &t);
	table_release(&t);
}

static void narrate(const struct insight_request *req, json_t *result, const struct outcome *o, size_t n,
		    size_t considered, const struct analysis_window *w, const char *scope)
{
	struct strbuf md = STRBUF_INIT;
	char total[64], m[64];
	double saving = 0;
	for (size_t i = 0; i < n; i++)
		saving += o[i].monthly_saving;
	insight_money(req, saving, total, sizeof(total));
	struct strbuf title = STRBUF_INIT;
	if (!considered) {
		strbuf_addf(&title, "No savings rule concerns %s", scope);
		strbuf_addf(&md, "None of finq's savings rules concerns **%s**. They cover:", scope);
		for (size_t i = 0; i < recommend_rule_count; i++)
			strbuf_addf(&md, "%s%s", i ? ", " : " ", recommend_rules[i].service);
		strbuf_addstr(&md, ".");
	} else if (!n) {
		strbuf_addf(&title, "No savings found%s%s, %s", *scope ? " for " : "", scope, w->label);
		strbuf_addf(&md, "%zu rule%s looked at the bill of %s%s%s and found nothing to save.", considered,
			    considered == 1 ? "" : "s", w->label, *scope ? " for " : "", scope);
	} else {
		strbuf_addf(&title, "%zu savings recommendation%s%s%s: about %s a month", n, n == 1 ? "" : "s",
			    *scope ? " for " : "", scope, total);
		strbuf_addf(&md, "From the bill of **%s**%s%s, %zu of %zu rules found savings worth about **%s a month**:\n\n",
			    w->label, *scope ? " for " : "", scope, n, considered, total);
		for (size_t i = 0; i < n; i++) {
			insight_money(req, o[i].monthly_saving, m, sizeof(m));
			strbuf_addf(&md, "- **%s** (%s): save **%s a month**. %s.%s%s Confidence %.1f.\n",
				    o[i].rule->title, o[i].rule->service, m, o[i].f.arithmetic.buf,
				    o[i].f.note.len ? " " : "", o[i].f.note.buf, o[i].f.confidence);
		}
		if (w->months != 1)
			strbuf_addf(&md, "\nFigures over the window are divided by its %.2f months.", w->months);
		if (n > 1)
			strbuf_addstr(&md, "\nRules can overlap (an old instance in staging is also a Spot candidate): "
					   "each saving assumes its change alone.");
	}
	json_object_set_new(result, "title", json_string(title.buf));
	insight_set_message(result, md.buf);
	strbuf_release(&title);
	strbuf_release(&md);
}

static void add_chart(const struct insight_request *req, json_t *result, const struct outcome *o, size_t n)
{
	if (!n)
		return;
	const char **labels = xcalloc(n, sizeof(*labels));
	double *values = xcalloc(n, sizeof(*values));
	for (size_t i = 0; i < n; i++) {
		labels[i] = o[i].rule->id;
		values[i] = o[i].monthly_saving;
	}
	json_array_append_new(json_object_get(result, "charts"),
			      analysis_money_chart("bar", "Estimated monthly saving by rule", "Monthly saving",
						   req->currency, labels, values, n));
	free(labels);
	free(values);
}

static void suggest(json_t *result, const struct outcome *o, size_t n)
{
	char q[160];
	/* the costliest finding about a service one can ask about (not the commitment itself) */
	for (size_t i = 0; i < n; i++) {
		if (strcmp(o[i].rule->service, o[i].rule->services[0]) != 0 || strstr(o[i].rule->service, "SavingsPlans"))
			continue;
		snprintf(q, sizeof(q), "How can I reduce %s costs?", o[i].rule->service);
		insight_add_suggestion(result, q);
		snprintf(q, sizeof(q), "%s cost by usage type last month", o[i].rule->service);
		insight_add_suggestion(result, q);
		break;
	}
	insight_add_suggestion(result, "Who owns the untagged spend?");
	insight_add_suggestion(result, "What does the architecture look like?");
}

static int recommend_run(const struct insight_request *req, json_t **out, struct err *e)
{
	json_t *result = insight_result("recommend", "");
	struct analysis_window w;
	if (analysis_window_read(req, result, &w, e) < 0) {
		json_decref(result);
		return -1;
	}
	struct rule_context ctx = { req, result, &w, insight_cost_column(req) };
	struct outcome *o = xcalloc(recommend_rule_count, sizeof(*o));
	size_t n = 0, considered = 0;
	int rc = 0;
	for (size_t i = 0; i < recommend_rule_count && rc == 0; i++) {
		const struct rule *r = &recommend_rules[i];
		if (!recommend_rule_in_scope(r, &req->scope))
			continue;
		considered++;
		struct outcome *cur = &o[n];
		cur->rule = r;
		finding_init(&cur->f);
		cur->f.confidence = r->confidence;
		rc = r->detect(r, &ctx, &cur->f, e);
		if (rc == 0 && cur->f.nlines)
			r->saving(r, &ctx, &cur->f);
		cur->monthly_cost = cur->f.cost / w.months;
		cur->monthly_saving = cur->f.saving / w.months;
		if (rc == 0 && cur->monthly_saving >= MIN_MONTHLY_SAVING)
			n++;
		else
			finding_release(&cur->f);
	}
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			finding_release(&o[i].f);
		free(o);
		json_decref(result);
		return err_prefix(e, "recommend");
	}
	sort_array(o, n, sizeof(*o), by_saving);
	if (req->limit > 0 && (size_t)req->limit < n) {
		for (size_t i = (size_t)req->limit; i < n; i++)
			finding_release(&o[i].f);
		n = (size_t)req->limit;
	}
	json_t *items = json_object_get(result, "items");
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, item_json(&o[i], &w));
	char scope[512];
	insight_scope_words(req, scope, sizeof(scope));
	narrate(req, result, o, n, considered, &w, scope);
	fill_table(result, o, n);
	add_chart(req, result, o, n);
	suggest(result, o, n);
	insight_set_method(result,
			   "Each rule reads the evidence lines it concerns over the window (resources still running on its "
			   "last day, where the rule is about resources), takes the rate paid from the bill (cost / usage) "
			   "and applies a public price ratio or a stated share; savings over the window are divided by "
			   "its length in months.");
	for (size_t i = 0; i < n; i++)
		finding_release(&o[i].f);
	free(o);
	*out = result;
	return 0;
}

const struct insight insight_recommend = {
	"recommend",
	"Savings recommendations from the bill, each with its evidence, arithmetic and confidence",
	recommend_run,
};
