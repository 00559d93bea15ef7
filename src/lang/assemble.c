/*
 * assemble: a plan from a question's reading, as if it stood alone: the
 * measure, grouping, filters, time, limit, threshold and intent, with the
 * defaults of CONVENTIONS.md; counts. Which analysis a question asks for
 * is analysis_words.c's.
 */
#include "parse_internal.h"
#include "dims.h"
#include "date.h"
#include "lexicon.h"
#include "strbuf.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void set_count(struct reading *r, struct plan *p, size_t i);

/* ---- assembling the plan ---- */

static void set_grain_from_cues(const struct reading *r, struct plan *p)
{
	static const struct {
		enum cue cue;
		enum grain grain;
	} grains[] = {
		{ CUE_DAILY, GRAIN_DAY }, { CUE_WEEKLY, GRAIN_WEEK }, { CUE_MONTHLY, GRAIN_MONTH },
		{ CUE_QUARTERLY, GRAIN_QUARTER }, { CUE_YEARLY, GRAIN_YEAR },
	};
	for (size_t i = 0; i < sizeof(grains) / sizeof(grains[0]); i++)
		if (parse_has_cue(r, grains[i].cue))
			p->grain = grains[i].grain;
}

static const struct measure_cue measure_cues[] = {
	{ CUE_UNBLENDED, MEASURE_UNBLENDED, NULL }, { CUE_NET, MEASURE_NET, NULL },
	{ CUE_LIST, MEASURE_LIST, NULL }, { CUE_AMORTIZED, MEASURE_AMORTIZED, NULL },
	{ CUE_USAGE, MEASURE_USAGE, NULL }, { CUE_UNIT_GB, MEASURE_USAGE, "GB" },
	{ CUE_UNIT_HOURS, MEASURE_USAGE, "Hrs" }, { CUE_UNIT_REQUESTS, MEASURE_USAGE, "Requests" },
};

/* "the cost of our EC2 usage", "what we paid for Lambda usage": the cost
 * is what is asked, the usage what it is of. Only a few words apart,
 * joined by "of" or "for" right after the cost word. */
static bool cost_of_usage(const struct reading *r, size_t cost, const struct cue_hit *usage)
{
	static const char *const of[] = { "of", "for", "on", NULL };
	const struct cue_hit *c = &r->cues[cost];
	return c->last < usage->first && usage->first - c->last <= 4 && tok_in(&r->toks, c->last + 1, of);
}

/* The measure cue hit c names, NULL for none. "usage cost", "usage
 * charges": the cost of the usage, not the usage, so no measure. */
const struct measure_cue *parse_measure_of_cue(const struct reading *r, size_t c)
{
	const struct cue_hit *h = &r->cues[c];
	/* "billed, not amortized", "net rather than unblended": the measure
	 * named to be set aside is not the one asked for */
	size_t f = h->first;
	if ((f >= 1 && tok_is(&r->toks, f - 1, "not")) ||
	    (f >= 2 && ((tok_is(&r->toks, f - 2, "instead") && tok_is(&r->toks, f - 1, "of")) ||
			(tok_is(&r->toks, f - 2, "rather") && tok_is(&r->toks, f - 1, "than")))))
		return NULL;
	for (size_t i = 0; i < sizeof(measure_cues) / sizeof(measure_cues[0]); i++) {
		if (measure_cues[i].cue != h->cue)
			continue;
		if (h->cue == CUE_USAGE)
			for (size_t k = 0; k < r->ncues; k++)
				if (r->cues[k].cue == CUE_COST && (r->cues[k].first == h->last + 1 || cost_of_usage(r, k, h)))
					return NULL;
		return &measure_cues[i];
	}
	return NULL;
}

/* The later entry of measure_cues[] wins ("net unblended" is net);
 * parse_check_measure_conflict() has asked when two measures disagree. */
static void set_measure_from_cues(const struct reading *r, struct plan *p, bool *mentioned)
{
	*mentioned = false;
	for (size_t i = 0; i < sizeof(measure_cues) / sizeof(measure_cues[0]); i++)
		for (size_t c = 0; c < r->ncues; c++)
			if (parse_measure_of_cue(r, c) == &measure_cues[i]) {
				p->measure = measure_cues[i].measure;
				if (measure_cues[i].unit)
					snprintf(p->usage_unit, sizeof(p->usage_unit), "%s", measure_cues[i].unit);
				*mentioned = true;
			}
}

static void set_chart_from_cues(const struct reading *r, struct plan *p)
{
	static const struct {
		enum cue cue;
		enum chart_kind chart;
	} charts[] = {
		{ CUE_CHART_PIE, CHART_PIE }, { CUE_CHART_DOUGHNUT, CHART_DOUGHNUT }, { CUE_CHART_BAR, CHART_BAR }, { CUE_CHART_HBAR, CHART_HBAR },
		{ CUE_CHART_LINE, CHART_LINE }, { CUE_CHART_AREA, CHART_AREA }, { CUE_CHART_TABLE, CHART_TABLE },
	};
	for (size_t i = 0; i < sizeof(charts) / sizeof(charts[0]); i++)
		if (parse_has_cue(r, charts[i].cue))
			p->chart = charts[i].chart;
}

/* "by team and env", "per account and service", "by service, then by
 * region": a second dimension word joined to the grouping's. */
static void find_second_grouping(struct reading *r, struct plan *p, const struct name_hit *first)
{
	static const char *const joiners[] = { "and", "by", "per", "then", "&", NULL };
	for (size_t k = 0; k < r->nnames; k++) {
		struct name_hit *h = &r->names[k];
		if (h == first || !parse_is_dimension_hit(h) || h->qualifier || h->excluded || h->m.first <= first->m.last ||
		    dim_ref_eq(&h->reading->col, &first->reading->col))
			continue;
		bool joined = h->m.first > first->m.last + 1;
		for (size_t t = first->m.last + 1; t < h->m.first && joined; t++)
			joined = tok_in(&r->toks, t, joiners) ||
				 (r->toks.items[t].kind == TOK_PUNCT && r->toks.items[t].text.p[0] == ',');
		if (joined) {
			p->group2 = h->reading->col;
			h->grouping = true;
		}
		return;
	}
}

/* Is the list of values dimension word h qualifies ("dev and staging
 * accounts") introduced by a word that ranks or splits: "which", "top",
 * "by"? */
static bool ranks_its_values(const struct reading *r, const struct name_hit *h)
{
	size_t first = h->m.first;
	while (first > 0 && (r->role[first - 1] == ROLE_NAME || tok_is(&r->toks, first - 1, "and") ||
			     tok_is(&r->toks, first - 1, "or") ||
			     (r->toks.items[first - 1].kind == TOK_PUNCT && r->toks.items[first - 1].text.p[0] == ',')))
		first--;
	if (first == h->m.first)
		return false;
	/* "top 2 checkout projects" */
	if (first > 0 && parse_number_at(r, first - 1) > 0)
		first--;
	enum cue before = parse_cue_before(r, first);
	/* "which dev accounts", "which of the checkout projects" rank; "what
	 * did dev environments cost" sums */
	size_t which = first;
	while (which > 0 && (tok_is(&r->toks, which - 1, "of") || tok_is(&r->toks, which - 1, "the")))
		which--;
	return (before == CUE_WHICH && which > 0 && tok_is(&r->toks, which - 1, "which")) || before == CUE_TOP || before == CUE_BOTTOM || before == CUE_MOST ||
	       before == CUE_LEAST || before == CUE_BY || before == CUE_EACH;
}

/* The grouping: a dimension word after "by", "per", "each", "which",
 * "top N", "N most expensive", or before "breakdown". */
static bool find_grouping(struct reading *r, struct plan *p, bool *plural)
{
	/* "cloud costs", "what was our cloud bill": the adjective of the whole
	 * bill, read, not one row per provider ("by cloud" still is) */
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *h = &r->names[i];
		enum cue before = parse_cue_before(r, h->m.first);
		if (parse_is_dimension_hit(h) && h->reading->col.dim == DIM_PROVIDER &&
		    tok_is(&r->toks, h->m.first, "cloud") && h->m.first == h->m.last && before != CUE_BY &&
		    before != CUE_EACH)
			h->qualifier = true;
	}
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *h = &r->names[i];
		if (!parse_is_dimension_hit(h) || h->excluded)
			continue;
		if (h->qualifier) {
			/* "which dev and staging accounts", "the top checkout projects":
			 * a plural word that names the values' column ranks them too */
			if (!h->plural || !ranks_its_values(r, h))
				continue;
			p->group = h->reading->col;
			h->grouping = true;
			*plural = true;
			return true;
		}
		/* "the total across all accounts": the sum over them, not one row each */
		/* "spend in every account except prod": one sum over the rest */
		bool every = h->m.first >= 2 && tok_is(&r->toks, h->m.first - 1, "every") && !h->plural &&
			     tok_is(&r->toks, h->m.first - 2, "in");
		bool excepted = false;
		for (size_t k = 0; every && k < r->nnames; k++)
			excepted |= r->names[k].excluded && r->names[k].reading && !parse_is_dimension_hit(&r->names[k]) &&
				    dim_ref_eq(&r->names[k].reading->col, &h->reading->col);
		every = every && excepted;
		/* "what did all accounts except prod cost together" */
		bool all_together = h->m.first >= 1 && tok_is(&r->toks, h->m.first - 1, "all") && h->plural &&
				    (h->m.first < 2 || parse_cue_before(r, h->m.first - 1) != CUE_BY) &&
				    parse_has_cue(r, CUE_TOTAL);
		/* "m5.xlarge spend across all accounts": one sum over them */
		bool across_all = h->m.first >= 2 && tok_is(&r->toks, h->m.first - 1, "all") && h->plural &&
				  tok_is(&r->toks, h->m.first - 2, "across");
		if (every || all_together || across_all ||
		    (h->m.first >= 2 && tok_is(&r->toks, h->m.first - 1, "all") &&
		     (tok_is(&r->toks, h->m.first - 2, "across") || tok_is(&r->toks, h->m.first - 2, "over")) &&
		     parse_has_cue(r, CUE_TOTAL))) {
			h->scope = true;
			continue;
		}
		enum cue before = parse_cue_before(r, h->m.first);
		size_t j = h->m.first;
		/* "per AWS account", "by EC2 instance type": a value in between */
		for (size_t k = 0; before == CUE_NONE && k < r->nnames; k++)
			if (r->names[k].m.last + 1 == j && !parse_is_dimension_hit(&r->names[k]))
				before = parse_cue_before(r, r->names[k].m.first);
		/* "top 5 services", "10 most expensive usage types", "which 3 accounts" */
		if (before == CUE_NONE && j > 0 && parse_number_at(r, j - 1) > 0)
			before = parse_cue_before(r, j - 1);
		if (before == CUE_NONE && j > 0 && r->toks.items[j - 1].kind == TOK_NUMBER)
			before = CUE_TOP;
		bool follows_breakdown = false;
		for (size_t c = 0; c < r->ncues; c++)
			if (r->cues[c].cue == CUE_BREAKDOWN && r->cues[c].first == h->m.last + 1)
				follows_breakdown = true;
		/* "list accounts", "show services": a plural after a request */
		bool listed = before == CUE_ASK && h->plural;
		if (before == CUE_BY || before == CUE_EACH || before == CUE_WHICH || before == CUE_TOP ||
		    before == CUE_BOTTOM || before == CUE_MOST || before == CUE_LEAST || before == CUE_BREAKDOWN ||
		    follows_breakdown || listed) {
			p->group = h->reading->col;
			h->grouping = true;
			*plural = h->plural;
			find_second_grouping(r, p, h);
			return true;
		}
	}
	/* "team costs in October", "account spend by month": a dimension word
	 * in front of a money word asks for one row each */
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *h = &r->names[i];
		if (!parse_is_dimension_hit(h) || h->qualifier || h->excluded || h->m.last + 1 >= r->toks.n)
			continue;
		for (size_t c = 0; c < r->ncues; c++)
			if (r->cues[c].first == h->m.last + 1 && r->cues[c].cue == CUE_COST) {
				p->group = h->reading->col;
				h->grouping = true;
				*plural = true;
				return true;
			}
	}
	/* "services under $100", "regions in Q3": a plural dimension word
	 * that names no value's column still asks for one row each */
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *h = &r->names[i];
		if (parse_is_dimension_hit(h) && !h->qualifier && !h->excluded && !h->scope && h->plural) {
			p->group = h->reading->col;
			h->grouping = true;
			*plural = true;
			return true;
		}
	}
	return false;
}

/* "the top 5 S3 buckets", "which Lambda functions cost most": resources
 * ranked within their service; "spend on Lambda functions": the service. */
static void apply_resource_nouns(struct reading *r, struct plan *p, bool *group_mentioned, bool *plural)
{
	for (size_t k = 0; k < r->nnouns; k++) {
		const struct resource_noun *noun = r->nouns[k].noun;
		size_t j = r->nouns[k].tok;
		/* skip back over the names and numbers in front: "top 5 EBS volumes" */
		size_t first = j;
		while (first > 0 && (r->role[first - 1] == ROLE_NAME || parse_number_at(r, first - 1) > 0))
			first--;
		enum cue before = first > 0 ? parse_cue_before(r, first) : CUE_NONE;
		bool plural_noun = r->toks.items[j].text.p[r->toks.items[j].text.n - 1] == 's';
		/* "top 5 buckets", "which functions", "buckets over $500", "volumes by cost" */
		bool by_cost = false;
		for (size_t c = 0; c + 1 < r->ncues; c++)
			by_cost |= r->cues[c].cue == CUE_BY && r->cues[c + 1].cue == CUE_COST &&
				   r->cues[c + 1].first == r->cues[c].last + 1;
		/* "resources missing a cost_center tag in Q3", "list untagged
		 * resources": the things themselves open the question */
		size_t opener = 0;
		while (opener < first && (tok_is(&r->toks, opener, "the") || tok_is(&r->toks, opener, "all") ||
					  r->role[opener] == ROLE_CUE))
			opener++;
		bool listed = plural_noun && opener == first && !parse_has_cue(r, CUE_COST) && !parse_has_cue(r, CUE_TOTAL) &&
			      !parse_has_cue(r, CUE_COUNT) && !parse_has_cue(r, CUE_USAGE);
		bool ranked = listed || before == CUE_BY || before == CUE_EACH || (before == CUE_WHICH && tok_is(&r->toks, first - 1, "which")) ||
			      parse_has_cue(r, CUE_TOP) || parse_has_cue(r, CUE_BOTTOM) || parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST) ||
			      (plural_noun && (by_cost || p->has_threshold || (before == CUE_ASK && !parse_has_cue(r, CUE_COST))));
		if (ranked && !*group_mentioned) {
			p->group.dim = DIM_RESOURCE;
			*group_mentioned = true;
			*plural = plural_noun;

		}
		bool service_named = false;
		for (int f = 0; f < p->nfilters; f++)
			service_named |= p->filters[f].col.dim == DIM_SERVICE || p->filters[f].col.dim == DIM_CATEGORY;
		if (noun->service && !service_named) {
			struct dim_ref svc = { .dim = DIM_SERVICE };
			struct filter *f = plan_set_filter(p, &svc, FILTER_IN);
			if (f) {
				snprintf(f->values[0], PLAN_NAME_MAX, "%s", noun->service);
				f->nvalues = 1;
			}
		}
		if (noun->usage_contains) {
			struct dim_ref ut = { .dim = DIM_USAGE_TYPE };
			struct filter *f = plan_set_filter(p, &ut, FILTER_CONTAINS);
			if (f) {
				snprintf(f->values[0], PLAN_NAME_MAX, "%s", noun->usage_contains);
				f->nvalues = 1;
			}
		}
	}
}

/* Filters from the names that are values. */
static void add_filters(struct reading *r, struct plan *p)
{
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *h = &r->names[i];
		struct dim_ref col = { 0 };
		enum filter_op op;
		const char *const *values;
		const char *one[1];
		int nvalues;
		if (h->resource[0]) {
			col.dim = DIM_RESOURCE;
			op = FILTER_IN;
			one[0] = h->resource;
			values = one;
			nvalues = 1;
		} else if (h->reading && h->reading->kind == VOCAB_VALUE) {
			col = h->reading->col;
			op = h->reading->op;
			values = (const char *const *)h->reading->values;
			nvalues = h->reading->nvalues;
		} else if (parse_is_dimension_hit(h) && h->excluded && h->reading->col.dim == DIM_TAG) {
			/* "without a team tag"; not "excluding the staging environment",
			 * where the word only says whose value is excluded */
			bool names_its_value = false;
			for (size_t k = 0; k < r->nnames; k++)
				names_its_value |= &r->names[k] != h && !parse_is_dimension_hit(&r->names[k]) &&
						   r->names[k].reading && dim_ref_eq(&r->names[k].reading->col, &h->reading->col);
			if (!names_its_value)
				plan_set_filter(p, &h->reading->col, FILTER_MISSING);
			continue;
		} else {
			continue;
		}
		if (h->excluded)
			op = op == FILTER_PREFIX ? FILTER_EXCLUDE_PREFIX : op == FILTER_IN ? FILTER_NOT_IN : op;
		/* values of one column and sense accumulate: "EC2 and S3" */
		struct filter *f = NULL;
		for (int k = 0; k < p->nfilters; k++)
			if (dim_ref_eq(&p->filters[k].col, &col) && p->filters[k].op == op)
				f = &p->filters[k];
		if (!f)
			f = plan_set_filter(p, &col, op);
		for (int v = 0; f && v < nvalues && f->nvalues < PLAN_MAX_VALUES; v++) {
			bool dup = false;
			for (int x = 0; x < f->nvalues; x++)
				dup |= strcmp(f->values[x], values[v]) == 0;
			if (!dup)
				snprintf(f->values[f->nvalues++], PLAN_NAME_MAX, "%s", values[v]);
		}
	}
	const struct cue_hit *untagged = parse_find_cue(r, CUE_UNTAGGED);
	const struct cue_hit *tagged = parse_find_cue(r, CUE_TAG);
	if (!untagged && tagged && tok_is(&r->toks, tagged->first, "tagged")) {
		/* "tagged cost", "what share is tagged": cost with at least one tag,
		 * unless a tag is named ("tagged team=payments") */
		bool names_tag = false;
		for (size_t i = 0; i < r->nnames; i++)
			names_tag |= !r->names[i].resource[0] && r->names[i].reading && r->names[i].reading->col.dim == DIM_TAG &&
				     !parse_is_dimension_hit(&r->names[i]);
		struct dim_ref any_tag = { .dim = DIM_TAG };
		/* "tagged spend by project": in a breakdown by a tag key, the rows
		 * that carry that key, as "excluding the untagged" reads below */
		if (!names_tag && p->group.dim == DIM_TAG && p->group.tag_key[0])
			plan_set_filter(p, &p->group, FILTER_PRESENT);
		else if (!names_tag)
			plan_set_filter(p, &any_tag, FILTER_TAGGED);
	}
	if (untagged) {
		/* "excluding the untagged": tagged only; in a breakdown by a tag
		 * key, rows with that key */
		bool excluded = false;
		for (size_t c = 0; c < r->ncues; c++)
			if (r->cues[c].cue == CUE_EXCLUDE && r->cues[c].last < untagged->first &&
			    untagged->first - r->cues[c].last <= 2)
				excluded = true;
		/* "untagged excluded", "the untagged left out" */
		static const char *const after[] = { "excluded", "omitted", "excepted", "left", "removed", NULL };
		for (size_t t = untagged->last + 1; t <= untagged->last + 2 && t < r->toks.n; t++)
			excluded |= tok_in(&r->toks, t, after);
		struct dim_ref any_tag = { .dim = DIM_TAG };
		if (!excluded)
			plan_set_filter(p, &any_tag, FILTER_UNTAGGED);
		else if (p->group.dim == DIM_TAG)
			plan_set_filter(p, &p->group, FILTER_PRESENT);
		else
			plan_set_filter(p, &any_tag, FILTER_TAGGED);
	}
}

static struct period last_full_month(int today)
{
	struct period p;
	memset(&p, 0, sizeof(p));
	p.end_day = date_month_start(today);
	p.start_day = date_add_months(p.end_day, -1);
	p.unit = UNIT_MONTH;
	p.count = 1;
	date_month_label(p.start_day, p.label, sizeof(p.label));
	return p;
}

/* The defaults of CONVENTIONS.md for a question without time words. */
static struct period default_range(const struct plan *p, int today)
{
	struct period r;
	memset(&r, 0, sizeof(r));
	if ((p->intent == INTENT_TREND && (p->grain == GRAIN_DAY || p->grain == GRAIN_NONE)) || p->run_rate) {
		r.start_day = today - 30;
		r.end_day = today;
		r.unit = UNIT_DAY;
		r.count = 30;
		snprintf(r.label, sizeof(r.label), "the last 30 days");
		return r;
	}
	if (p->intent == INTENT_TREND || (p->intent == INTENT_AVERAGE_DAILY && p->grain == GRAIN_MONTH)) {
		r.end_day = date_month_start(today);
		r.start_day = date_add_months(r.end_day, -6);
		r.unit = UNIT_MONTH;
		r.count = 6;
		snprintf(r.label, sizeof(r.label), "the last 6 months");
		return r;
	}
	return last_full_month(today);
}

/* "October and November 2018", "H1 vs H2 2024", "Q4 and Q1 2025": the
 * month, half or quarter without a year takes the other's, the year
 * before (or after) when it comes after (or before) it in the year. The
 * same month twice ("November vs November 2024") keeps the recent one. */
static void period_take_year(struct period *bare, const struct period *dated, bool bare_second)
{
	int y1, m1, d1, y2, m2, d2;
	date_to_ymd(bare->start_day, &y1, &m1, &d1);
	date_to_ymd(dated->start_day, &y2, &m2, &d2);
	if (m1 == m2)
		return;
	int year = bare_second ? (m1 < m2 ? y2 + 1 : y2) : (m1 > m2 ? y2 - 1 : y2);
	int months = bare->unit == UNIT_MONTH ? 1 : bare->unit == UNIT_QUARTER ? 3 : 6;
	bare->start_day = date_from_ymd(year, m1, 1);
	bare->end_day = date_add_months(bare->start_day, months);
	if (bare->unit == UNIT_MONTH)
		snprintf(bare->label, sizeof(bare->label), "%s %d", date_month_name(m1), year);
	else if (bare->unit == UNIT_QUARTER)
		snprintf(bare->label, sizeof(bare->label), "Q%d %d", (m1 - 1) / 3 + 1, year);
	else
		snprintf(bare->label, sizeof(bare->label), "H%d %d", (m1 - 1) / 6 + 1, year);
}

/* Two periods to compare, from what the question said. */
static void set_periods(struct reading *r, struct plan *p, int today)
{
	if (r->ntimes >= 2) {
		struct period a = r->times[0].period, b = r->times[1].period;
		/* "last month vs the previous month": both words name the same
		 * month; the second means the one before the first */
		if (a.start_day == b.start_day && a.end_day == b.end_day)
			b = period_previous(&a);
		/* months count a year told from today ("December last year") as
		 * not written; quarters and halves need digits ("Q4 last year"
		 * leaves "Q1" the latest Q1) */
		bool dated0 = a.unit == UNIT_MONTH ? r->times[0].explicit_year : r->times[0].year_in_digits;
		bool dated1 = a.unit == UNIT_MONTH ? r->times[1].explicit_year : r->times[1].year_in_digits;
		bool calendar_unit = a.unit == UNIT_MONTH || a.unit == UNIT_QUARTER || a.unit == UNIT_HALF;
		if (calendar_unit && a.unit == b.unit && a.count <= 1 && b.count <= 1 && dated0 != dated1 &&
		    r->times[0].explicit_year != r->times[1].explicit_year)
			period_take_year(r->times[0].explicit_year ? &b : &a, r->times[0].explicit_year ? &a : &b,
					 r->times[0].explicit_year);
		p->periods[0] = a.start_day <= b.start_day ? a : b;
		p->periods[1] = a.start_day <= b.start_day ? b : a;
	} else if (r->ntimes == 1 && r->times[0].is_span && r->times[0].to.start_day > r->times[0].from.start_day &&
		   r->times[0].from.unit == r->times[0].to.unit && r->times[0].period.label[0] != 's') {
		p->periods[0] = r->times[0].from;
		p->periods[1] = r->times[0].to;
	} else if (r->ntimes == 1 && parse_has_cue(r, CUE_YOY)) {
		/* "last month against the same month last year" */
		p->periods[1] = r->times[0].period;
		p->periods[0] = period_year_earlier(&p->periods[1]);
	} else if (r->ntimes == 1) {
		p->periods[1] = r->times[0].period;
		p->periods[0] = period_previous(&p->periods[1]);
	} else {
		struct period last = last_full_month(today);
		if (parse_has_cue(r, CUE_WOW)) {
			last.end_day = date_week_start(today);
			last.start_day = last.end_day - 7;
			last.unit = UNIT_WEEK;
			snprintf(last.label, sizeof(last.label), "last week");
		} else if (parse_has_cue(r, CUE_QOQ)) {
			last.end_day = date_quarter_start(today);
			last.start_day = date_add_months(last.end_day, -3);
			last.unit = UNIT_QUARTER;
			int y, m, d;
			date_to_ymd(last.start_day, &y, &m, &d);
			snprintf(last.label, sizeof(last.label), "Q%d %d", (m - 1) / 3 + 1, y);
		}
		p->periods[1] = last;
		if (parse_has_cue(r, CUE_YOY)) {
			p->periods[0] = last;
			p->periods[0].start_day = date_add_months(last.start_day, -12);
			p->periods[0].end_day = date_add_months(last.start_day, -11);
			date_month_label(p->periods[0].start_day, p->periods[0].label, sizeof(p->periods[0].label));
		} else {
			p->periods[0] = period_previous(&last);
		}
	}
	p->range.start_day = p->periods[0].start_day;
	p->range.end_day = p->periods[1].end_day;
	p->range.unit = UNIT_SPAN;
	period_describe_dates(&p->range, p->range.label, sizeof(p->range.label));
}

/* "how much is RDS costing us per day", "what do we spend per day": a
 * rate, one number. "EC2 cost per day last 7 days" over a range it names
 * is each day's cost: six blind corpora of seven read it so, and the
 * daily series also states the average a day. */
bool parse_per_day_rate_words(const struct reading *r)
{
	static const char *const ongoing[] = { "costing", "spending", "burning", "running", NULL };
	for (size_t i = 0; i < r->toks.n; i++)
		if (tok_in(&r->toks, i, ongoing))
			return true;
	return parse_has_cue(r, CUE_AVERAGE) || parse_has_cue(r, CUE_RUN_RATE);
}

static bool per_day_is_a_rate(const struct reading *r)
{
	return r->ntimes == 0 || parse_per_day_rate_words(r);
}

/* "top 5", "5 most expensive", "bottom 3", "the top one", "which 3
 * services"; 0 if none. */
static int find_limit(const struct reading *r, bool *ascending)
{
	/* a number right before the grouping dimension word */
	for (size_t i = 0; i < r->nnames; i++) {
		const struct name_hit *h = &r->names[i];
		double n = h->grouping && h->m.first > 0 ? parse_number_at(r, h->m.first - 1) : -1;
		if (n >= 1 && n <= 1000 && n == floor(n) && !r->toks.items[h->m.first - 1].money) {
			*ascending = parse_has_cue(r, CUE_LEAST) || parse_has_cue(r, CUE_BOTTOM);
			return (int)n;
		}
	}
	/* "the 10 resources the most expensive", "5 buckets that cost the
	 * most": a number right before a ranked resource noun */
	bool ranks = parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST) || parse_has_cue(r, CUE_TOP) ||
		     parse_has_cue(r, CUE_BOTTOM);
	for (size_t k = 0; ranks && k < r->nnouns; k++) {
		size_t i = r->nouns[k].tok;
		while (i > 0 && r->role[i - 1] == ROLE_NAME) /* "the 10 lambda functions" */
			i--;
		double n = i > 0 ? parse_number_at(r, i - 1) : -1;
		if (n >= 1 && n <= 1000 && n == floor(n) && !r->toks.items[i - 1].money) {
			*ascending = parse_has_cue(r, CUE_LEAST) || parse_has_cue(r, CUE_BOTTOM);
			return (int)n;
		}
	}
	for (size_t c = 0; c < r->ncues; c++) {
		enum cue cue = r->cues[c].cue;
		if (cue != CUE_TOP && cue != CUE_BOTTOM && cue != CUE_MOST && cue != CUE_LEAST)
			continue;
		double after = parse_number_at(r, r->cues[c].last + 1);
		double before = r->cues[c].first > 0 ? parse_number_at(r, r->cues[c].first - 1) : -1;
		double n = after > 0 ? after : before;
		if (n < 1 || n > 1000 || n != floor(n)) {
			if (cue == CUE_TOP || cue == CUE_BOTTOM)
				n = tok_is(&r->toks, r->cues[c].last + 1, "one") ? 1 : 5;
			else
				continue;
		}
		/* "top 3 cheapest": "top" gives the number, "cheapest" the order */
		bool lowest = parse_has_cue(r, CUE_LEAST) || parse_has_cue(r, CUE_BOTTOM);
		*ascending = cue == CUE_BOTTOM || cue == CUE_LEAST || (lowest && !parse_has_cue(r, CUE_MOST));
		return (int)n;
	}
	return 0;
}

/* "more than $2,000", "under 500" */
static void find_threshold(const struct reading *r, struct plan *p)
{
	for (size_t c = 0; c < r->ncues; c++) {
		enum cue cue = r->cues[c].cue;
		if (cue != CUE_MORE_THAN && cue != CUE_LESS_THAN)
			continue;
		size_t i = r->cues[c].last + 1;
		if (i < r->toks.n && r->toks.items[i].kind == TOK_NUMBER && !r->toks.items[i].percent) {
			p->has_threshold = true;
			p->threshold = r->toks.items[i].number;
			p->threshold_below = cue == CUE_LESS_THAN;
			return;
		}
	}
}

/* Is the question about the bill at all? */
bool parse_about_costs(const struct reading *r)
{
	static const enum cue topical[] = {
		CUE_COST, CUE_UNBLENDED, CUE_NET, CUE_LIST, CUE_USAGE, CUE_UNIT_GB, CUE_UNIT_HOURS, CUE_AMORTIZED,
		CUE_TOP, CUE_BOTTOM, CUE_BREAKDOWN, CUE_TREND, CUE_DAILY, CUE_WEEKLY, CUE_MONTHLY, CUE_COMPARE,
		CUE_VERSUS, CUE_MOM, CUE_YOY, CUE_INCREASE, CUE_DECREASE, CUE_UNTAGGED, CUE_TOTAL, CUE_AVERAGE,
		CUE_MORE_THAN, CUE_LESS_THAN, CUE_MOST, CUE_LEAST, CUE_SHARE, CUE_RUN_RATE, CUE_SPIKE,
	};
	if (r->ntimes > 0)
		return true;
	for (size_t i = 0; i < sizeof(topical) / sizeof(topical[0]); i++)
		if (parse_has_cue(r, topical[i]))
			return true;
	/* a value in the bill is a subject; a dimension word alone ("clouds",
	 * "zones") is one only after a grouping cue ("by region", "which team") */
	for (size_t i = 0; i < r->nnames; i++) {
		const struct name_hit *h = &r->names[i];
		if (!parse_is_dimension_hit(h))
			return true;
		enum cue before = parse_cue_before(r, h->m.first);
		if (before == CUE_BY || before == CUE_EACH || before == CUE_WHICH || before == CUE_BREAKDOWN)
			return true;
	}
	return false;
}

/* Turn a plan into a request for one analysis: its filters and measure
 * stay as the scope; the time is the analysis' own unless the question
 * named one (a forecast's named time is its horizon, not its history). */
static void set_insight(struct reading *r, struct plan *p, const char *name)
{
	int today = r->in->today;
	p->intent = INTENT_INSIGHT;
	snprintf(p->insight, sizeof(p->insight), "%s", name);
	/* "RI utilization by account": the commitments analysis breaks down */
	if (strcmp(name, "commitments") != 0)
		p->group.dim = DIM_NONE;
	p->grain = GRAIN_NONE;
	p->has_threshold = false;
	p->share_of_total = false;
	p->run_rate = false;
	if (p->measure == MEASURE_USAGE)
		p->measure = MEASURE_AMORTIZED;
	if (strcmp(name, "drivers") == 0) {
		/* the change between two periods, the later one being the range */
		set_periods(r, p, today);
		p->range = p->periods[1];
		p->range_defaulted = r->ntimes == 0;
	} else if (strcmp(name, "forecast") == 0) {
		p->months = parse_forecast_months(r, today);
		p->range = default_range(p, today);
		p->range_defaulted = true;
	} else if (r->ntimes >= 1) {
		p->range = r->times[0].period;
		p->range_defaulted = false;
	} else {
		p->range = default_range(p, today);
		p->range_defaulted = true;
	}
}

/* Is the change asked for as a column beside the cost ("with their
 * growth", "and the month-over-month change"), not as the ranking? */
static bool change_as_column(const struct reading *r)
{
	static const char *const joiners[] = { "with", "and", "plus", "including", NULL };
	for (size_t c = 0; c < r->ncues; c++) {
		enum cue cue = r->cues[c].cue;
		if (cue != CUE_INCREASE && cue != CUE_DECREASE && cue != CUE_CHANGE)
			continue;
		size_t i = r->cues[c].first;
		/* skip back over "month over month", "their", "the" */
		while (i > 0 && (r->role[i - 1] == ROLE_CUE || tok_is(&r->toks, i - 1, "their") ||
				 tok_is(&r->toks, i - 1, "the") || tok_is(&r->toks, i - 1, "its")) &&
		       !tok_in(&r->toks, i - 1, joiners))
			i--;
		if (i > 0 && tok_in(&r->toks, i - 1, joiners) && (parse_has_cue(r, CUE_TOP) || parse_has_cue(r, CUE_BY)))
			return true;
	}
	return false;
}

/* "which service grew", "who spent more", "what's trending down": a
 * question that picks among things ranks them; "what was the change in
 * cost", "what's the change" ask for one figure. */
static bool picks_among(const struct reading *r)
{
	static const char *const copulas[] = { "was", "is", "were", "are", NULL };
	for (size_t c = 0; c < r->ncues; c++) {
		if (r->cues[c].cue != CUE_WHICH)
			continue;
		size_t i = r->cues[c].first + 1;
		if (!tok_is(&r->toks, i - 1, "what"))
			return true;
		while (i < r->toks.n && (tok_in(&r->toks, i, copulas) || r->toks.items[i].kind == TOK_PUNCT))
			i++;
		if (!tok_is(&r->toks, i, "the"))
			return true;
	}
	return false;
}

/* Build a plan as if the question stood alone. */
/* "what did EC2 spend the most on", "which KMS keys cost the most": a
 * ranking asked of one named thing, with no column to rank by. A total
 * would drop the ranking without a word; rank inside the thing instead,
 * by the column one looks into first (dims.c's drill), the top one for a
 * singular thing. */
static void rank_inside_the_subject(const struct reading *r, struct plan *p, bool *group_mentioned,
				    bool *limit_mentioned)
{
	if (p->intent != INTENT_TOTAL || p->group.dim != DIM_NONE || p->has_threshold || r->time_noun != GRAIN_NONE ||
	    !(parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST)))
		return;
	/* the first thing named is the subject ("what did EC2 in us-east-1
	 * spend the most on" ranks inside EC2) */
	const struct name_hit *subject = NULL;
	for (size_t i = 0; i < r->nnames && !subject; i++)
		if (!parse_is_dimension_hit(&r->names[i]) && !r->names[i].excluded && r->names[i].reading)
			subject = &r->names[i];
	if (!subject)
		return;
	enum dimension inside = dim_info(subject->reading->col.dim)->drill[0];
	if (inside == DIM_NONE)
		return;
	p->intent = INTENT_BREAKDOWN;
	p->group.dim = inside;
	p->group.tag_key[0] = '\0';
	p->limit = subject->plural ? 0 : 1;
	p->ascending = parse_has_cue(r, CUE_LEAST);
	*group_mentioned = true;
	*limit_mentioned = p->limit > 0;
}

void parse_plan_standalone(struct reading *r, struct plan *p, bool *group_mentioned, bool *measure_mentioned,
			    bool *limit_mentioned)
{
	int today = r->in->today;
	bool plural = false;
	set_measure_from_cues(r, p, measure_mentioned);
	/* "December's bill by account", "total AWS bill last month": the bill
	 * is the invoice, unblended (as "on the bill", CONVENTIONS.md), when no
	 * other measure is named; every blind case that fixed a measure for
	 * "bill" read it so */
	for (size_t i = 0; i < r->toks.n && !*measure_mentioned; i++)
		if (tok_is(&r->toks, i, "bill") || tok_is(&r->toks, i, "bills")) {
			p->measure = MEASURE_UNBLENDED;
			*measure_mentioned = true;
		}
	for (size_t i = 0; i < r->nnames; i++)
		if (!r->names[i].resource[0] && r->names[i].reading && r->names[i].reading->kind == VOCAB_UNIT) {
			/* "how many GB-Mo", "Lambda GB-seconds": usage in the data's unit */
			p->measure = MEASURE_USAGE;
			snprintf(p->usage_unit, sizeof(p->usage_unit), "%s", r->names[i].reading->values[0]);
			*measure_mentioned = true;
		}
	set_chart_from_cues(r, p);
	set_grain_from_cues(r, p);
	*group_mentioned = find_grouping(r, p, &plural);
	add_filters(r, p);
	find_threshold(r, p);
	apply_resource_nouns(r, p, group_mentioned, &plural);
	bool ascending = false;
	p->limit = find_limit(r, &ascending);
	p->ascending = ascending || parse_has_cue(r, CUE_ASCENDING);
	*limit_mentioned = p->limit > 0;

	bool increase = parse_has_cue(r, CUE_INCREASE) || parse_has_cue(r, CUE_SPIKE), decrease = parse_has_cue(r, CUE_DECREASE);
	bool ranked = parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_TOP) || picks_among(r) || parse_has_cue(r, CUE_LEAST);
	/* "movers oct nov": the word itself ranks */
	for (size_t i = 0; i < r->toks.n; i++)
		ranked |= tok_is(&r->toks, i, "movers") || tok_is(&r->toks, i, "mover");
	/* "which teams cut their spend the most month over month": "cut" is a
	 * fall between two periods when things are ranked by it */
	if (parse_has_cue(r, CUE_REDUCE) && ranked &&
	    (parse_has_cue(r, CUE_MOM) || parse_has_cue(r, CUE_WOW) || parse_has_cue(r, CUE_QOQ) || parse_has_cue(r, CUE_YOY) ||
	     r->ntimes >= 2))
		decrease = true;
	/* "the difference between October and November" compares; "the
	 * difference between amortized and unblended" never gets here (a concept) */
	bool compare = parse_has_cue(r, CUE_COMPARE) || parse_has_cue(r, CUE_VERSUS) || parse_has_cue(r, CUE_MOM) ||
		       parse_has_cue(r, CUE_WOW) || parse_has_cue(r, CUE_QOQ) || parse_has_cue(r, CUE_YOY) ||
		       parse_has_cue(r, CUE_DIFFERENCE);
	/* "how did spend change from September to October": a change between
	 * the two ends of a span compares them; "the spend from September to
	 * October" is one range */
	if (parse_has_cue(r, CUE_CHANGE) && r->ntimes == 1 && r->times[0].is_span &&
	    r->times[0].to.start_day > r->times[0].from.start_day && r->times[0].from.unit == r->times[0].to.unit)
		compare = true;
	/* "the month-over-month trend over the last six months": the series by
	 * month, not two periods */
	/* ... and "quarter over quarter change for 2025": one period holding
	 * several of the units compared, so the series of them */
	enum grain over = parse_has_cue(r, CUE_WOW) ? GRAIN_WEEK : parse_has_cue(r, CUE_QOQ) ? GRAIN_QUARTER
			  : parse_has_cue(r, CUE_MOM) ? GRAIN_MONTH : GRAIN_NONE;
	int over_days = over == GRAIN_WEEK ? 7 : over == GRAIN_QUARTER ? 92 : 31;
	bool holds_several = r->ntimes == 1 && over != GRAIN_NONE &&
			     r->times[0].period.end_day - r->times[0].period.start_day > 2 * over_days;
	if ((parse_has_cue(r, CUE_TREND) || holds_several) && !parse_has_cue(r, CUE_COMPARE) && !parse_has_cue(r, CUE_VERSUS) &&
	    r->ntimes <= 1 && over != GRAIN_NONE && !*group_mentioned) {
		compare = false;
		p->grain = over;
		if (holds_several)
			p->intent = INTENT_TREND;
	}
	/* "are DynamoDB costs increasing since June?": whether the series
	 * rises since then, not the span against the one before it */
	if ((increase || decrease) && !compare && !ranked && !*group_mentioned && r->ntimes == 1 && r->times[0].is_span &&
	    r->times[0].period.label[0] == 's' && r->times[0].period.end_day - r->times[0].period.start_day > 14) {
		increase = decrease = false;
		p->intent = INTENT_TREND;
		p->grain = r->times[0].period.end_day - r->times[0].period.start_day > 62 ? GRAIN_MONTH : GRAIN_DAY;
	}

	/* "EC2 vs S3": two values of one column side by side */
	int compared_items = -1;
	for (int k = 0; k < p->nfilters; k++)
		if (p->filters[k].op == FILTER_IN && p->filters[k].nvalues >= 2)
			compared_items = k;

	/* "top 5 teams by cost with month-over-month growth": ranked by cost,
	 * the change shown beside it, not ranked by the change */
	/* "when did we spend the most in 2025": the peak of the series, by
	 * day over a month or two, by month over longer */
	bool asks_when = false;
	for (size_t i = 0; i < r->toks.n; i++)
		asks_when |= tok_is(&r->toks, i, "when") && r->role[i] != ROLE_TIME;
	if (asks_when && r->time_noun == GRAIN_NONE && r->counted == SIZE_MAX && !*group_mentioned &&
	    (parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST)) && !p->has_threshold)
		r->time_noun = r->ntimes && r->times[0].period.end_day - r->times[0].period.start_day > 62 ? GRAIN_MONTH
													 : GRAIN_DAY;
	bool changed = parse_has_cue(r, CUE_CHANGE);
	if ((increase || decrease || changed) && change_as_column(r)) {
		increase = decrease = changed = false;
		compare = true;
	}
	/* "how did each account change between September and October": every
	 * item's change, not a ranking by it */
	bool each = parse_has_cue(r, CUE_EACH) && !parse_has_cue(r, CUE_MOST) && !parse_has_cue(r, CUE_LEAST) &&
		    !parse_has_cue(r, CUE_TOP) && !parse_has_cue(r, CUE_BOTTOM) && *group_mentioned;
	/* "month over month change by service": each service's change; a
	 * ranking needs a word that ranks ("biggest changes", "which") */
	if (changed && !increase && !decrease && !ranked && *group_mentioned)
		each = true;
	if ((increase || decrease || changed) && each) {
		increase = decrease = changed = false;
		compare = true;
	}
	if ((increase || decrease || changed) && (ranked || *group_mentioned)) {
		p->intent = INTENT_MOVERS;
		p->ascending = decrease && !increase;
		if (!*group_mentioned) {
			p->group.dim = DIM_SERVICE;
		}
		bool movers_word = false; /* "movers by account": a ranking of several */
		for (size_t i = 0; i < r->toks.n; i++)
			movers_word |= tok_is(&r->toks, i, "movers");
		if (!p->limit)
			p->limit = plural || movers_word ? 5 : 1;
		set_periods(r, p, today);
	} else if (compare && compared_items >= 0 && r->ntimes <= 1) {
		/* "ECS vs EKS": side by side; "ECS vs EKS daily": two series */
		p->intent = p->grain != GRAIN_NONE ? INTENT_TREND : INTENT_BREAKDOWN;
		p->group = p->filters[compared_items].col;
		*group_mentioned = true;
	} else if (compare || increase || decrease || (r->ntimes >= 2 && !parse_has_cue(r, CUE_TREND))) {
		p->intent = INTENT_COMPARE_PERIODS;
		set_periods(r, p, today);
	} else if (parse_has_cue(r, CUE_RUN_RATE) ||
		   (parse_has_cue(r, CUE_AVERAGE) && (parse_has_cue(r, CUE_DAILY) || parse_has_cue(r, CUE_PER_DAY) || p->grain == GRAIN_NONE)) ||
		   (parse_has_cue(r, CUE_PER_DAY) && p->grain == GRAIN_NONE && !parse_has_cue(r, CUE_TREND) && !*group_mentioned &&
		    per_day_is_a_rate(r))) {
		p->intent = INTENT_AVERAGE_DAILY;
		p->run_rate = parse_has_cue(r, CUE_RUN_RATE);
		p->grain = GRAIN_NONE;
	} else if (parse_has_cue(r, CUE_PER_DAY) && p->grain == GRAIN_NONE && !*group_mentioned) {
		/* "EC2 cost per day last 7 days": each day (per_day_is_a_rate) */
		p->intent = INTENT_TREND;
		p->grain = GRAIN_DAY;
	} else if (parse_has_cue(r, CUE_AVERAGE) && p->grain == GRAIN_MONTH && !parse_has_cue(r, CUE_RUN_RATE)) {
		/* "average monthly spend this year": per calendar month */
		p->intent = INTENT_AVERAGE_DAILY;
	} else if (r->time_noun != GRAIN_NONE && r->counted == SIZE_MAX) {
		/* "which day was the highest": the series at that grain, its peak
		 * first; "days when ... above $5": the days over the threshold */
		p->intent = INTENT_TREND;
		p->grain = r->time_noun;
		if (!p->limit && (parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST)) && !p->has_threshold)
			p->limit = 1;
		p->ascending = parse_has_cue(r, CUE_LEAST) || parse_has_cue(r, CUE_BOTTOM);
		*limit_mentioned = p->limit > 0;
	} else if (p->grain != GRAIN_NONE || parse_has_cue(r, CUE_TREND)) {
		p->intent = INTENT_TREND;
		/* daily unless asked, but a range told in months reads by month */
		if (p->grain == GRAIN_NONE) {
			enum time_unit unit = r->ntimes ? r->times[0].period.unit : UNIT_DAY;
			bool long_range = unit == UNIT_QUARTER || unit == UNIT_HALF || unit == UNIT_YEAR ||
					  (unit == UNIT_MONTH && r->times[0].period.count > 1);
			p->grain = long_range ? GRAIN_MONTH : GRAIN_DAY;
		}
	} else if (*group_mentioned || parse_has_cue(r, CUE_BREAKDOWN)) {
		p->intent = INTENT_BREAKDOWN;
		if (!*group_mentioned) {
			/* "EC2 breakdown": the next level down */
			bool by_service = false;
			for (int k = 0; k < p->nfilters; k++)
				by_service |= p->filters[k].col.dim == DIM_SERVICE;
			p->group.dim = by_service ? DIM_USAGE_TYPE : DIM_SERVICE;
			/* "EC2 split between spot, on-demand and reserved": split
			 * by the column the named values share */
			if (compared_items >= 0)
				p->group = p->filters[compared_items].col;
			*group_mentioned = true;
		}
		/* "which service cost the most", "the most expensive team": the one */
		bool superlative_before = false, which_of = false;
		for (size_t i = 0; i < r->nnames; i++)
			if (r->names[i].grouping) {
				enum cue b = parse_cue_before(r, r->names[i].m.first);
				superlative_before = b == CUE_MOST || b == CUE_LEAST;
			}
		/* "which of our projects cost the most": one of them */
		for (size_t i = 0; i + 1 < r->toks.n; i++)
			which_of |= tok_is(&r->toks, i, "which") && tok_is(&r->toks, i + 1, "of");
		if (which_of)
			plural = false;
		if (!p->limit && (parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST)) &&
		    (parse_has_cue(r, CUE_WHICH) || superlative_before || p->group.dim == DIM_RESOURCE) && !plural) {
			p->limit = 1;
			p->ascending = parse_has_cue(r, CUE_LEAST);
		}
	} else if (p->limit) {
		/* "top 3 last month": the top 3 of the usual grouping, services;
		 * a follow-up keeps its own grouping (not "mentioned") */
		p->intent = INTENT_BREAKDOWN;
		p->group.dim = DIM_SERVICE;
	} else {
		p->intent = INTENT_TOTAL;
		/* "what share of our spend is EC2?" */
		p->share_of_total = parse_has_cue(r, CUE_SHARE) && p->nfilters > 0;
	}

	if (p->group2.dim != DIM_NONE && p->intent != INTENT_BREAKDOWN) {
		/* only a breakdown holds two groupings: the second word is then
		 * not read, and finq asks which (check_unused_dimensions) */
		for (size_t i = 0; i < r->nnames; i++)
			if (parse_is_dimension_hit(&r->names[i]) && dim_ref_eq(&r->names[i].reading->col, &p->group2))
				r->names[i].grouping = false;
		p->group2.dim = DIM_NONE;
	}
	if (p->intent != INTENT_COMPARE_PERIODS && p->intent != INTENT_MOVERS) {
		if (r->ntimes >= 1) {
			p->range = r->times[0].period;
		} else {
			p->range = default_range(p, today);
			p->range_defaulted = true;
		}
	}
	if (r->count_previous) {
		p->intent = INTENT_COUNT;
		p->limit = 0;
		p->grain = GRAIN_NONE;
		p->group.dim = DIM_NONE;
		if (p->measure == MEASURE_USAGE)
			p->measure = MEASURE_AMORTIZED;
		return;
	}
	if (r->counted != SIZE_MAX) {
		set_count(r, p, r->counted);
		*group_mentioned = p->group.dim != DIM_NONE;
		if (r->ntimes == 0) {
			p->range = default_range(p, today);
			p->range_defaulted = true;
		} else {
			p->range = r->times[0].period;
			p->range_defaulted = false;
		}
		return;
	}
	const char *insight = parse_insight_of(r, ranked, *group_mentioned, compare);
	if (insight) {
		set_insight(r, p, insight);
		*group_mentioned = false;
		return;
	}
	rank_inside_the_subject(r, p, group_mentioned, limit_mentioned);
}

/* A token that names things one could count: a resource noun or a
 * dimension word ("accounts", "days"). */
static bool is_counted_thing(const struct reading *r, size_t i)
{
	for (size_t k = 0; k < r->nnouns; k++)
		if (r->nouns[k].tok == i)
			return true;
	for (size_t k = 0; k < r->nnames; k++)
		if (r->names[k].m.first == i && parse_is_dimension_hit(&r->names[k]))
			return true;
	/* "how many days"; not the unit inside a name ("how many GB-months") */
	static const char *const units[] = { "day", "days", "month", "months", "week", "weeks", NULL };
	return r->role[i] != ROLE_NAME && tok_in(&r->toks, i, units);
}

/* "the" in "count the accounts": a filler cue, read as one before the
 * count looks for what it counts. */
static bool is_filler_cue_at(const struct reading *r, size_t i)
{
	for (size_t c = 0; c < r->ncues; c++)
		if (r->cues[c].cue == CUE_FILLER && r->cues[c].first == i && r->cues[c].last == i)
			return true;
	return false;
}

/* "instance hours", "bucket GB": the thing names what a unit of usage
 * is of, and the question asks for the usage. */
static bool unit_follows(const struct reading *r, size_t i)
{
	static const enum cue units[] = { CUE_UNIT_HOURS, CUE_UNIT_GB, CUE_UNIT_REQUESTS };
	for (size_t c = 0; c < r->ncues; c++)
		for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++)
			if (r->cues[c].cue == units[u] && r->cues[c].first == i + 1)
				return true;
	return false;
}

/* "how many buckets", "number of accounts", "how many days": the token
 * naming what is counted, or SIZE_MAX when the question counts nothing
 * ("how many GB" asks for usage). */
size_t parse_counted_token(const struct reading *r)
{
	for (size_t c = 0; c < r->ncues; c++) {
		bool how_many = r->cues[c].cue == CUE_USAGE && tok_is(&r->toks, r->cues[c].first, "how") &&
				tok_is(&r->toks, r->cues[c].first + 1, "many");
		if (!how_many && r->cues[c].cue != CUE_COUNT)
			continue;
		/* skip the names in front: "how many S3 buckets", "number of RDS databases" */
		size_t i = r->cues[c].last + 1;
		while (i < r->toks.n && !is_counted_thing(r, i) &&
		       (r->role[i] == ROLE_NAME || is_filler_cue_at(r, i) ||
			(r->role[i] == ROLE_FREE && lexicon_is_function_word(&r->toks.items[i].text))))
			i++;
		if (i < r->toks.n && is_counted_thing(r, i) && !unit_follows(r, i))
			return i;
	}
	return SIZE_MAX;
}

/* "how many are there?", "how many is that?", "how many of them": a
 * count that names nothing, so of what the last answer listed. */
bool parse_counts_previous(const struct reading *r)
{
	static const char *const next[] = { "are", "is", "was", "were", "of", "did", "does", "do", "in", "that", NULL };
	for (size_t c = 0; c < r->ncues; c++)
		if (r->cues[c].cue == CUE_USAGE && tok_is(&r->toks, r->cues[c].first, "how") &&
		    tok_is(&r->toks, r->cues[c].first + 1, "many") &&
		    (r->cues[c].last + 1 >= r->toks.n || tok_in(&r->toks, r->cues[c].last + 1, next) ||
		     r->toks.items[r->cues[c].last + 1].kind == TOK_PUNCT))
			return true;
	return false;
}

/* Make the plan a count of what token i names. */
static void set_count(struct reading *r, struct plan *p, size_t i)
{
	p->intent = INTENT_COUNT;
	p->limit = 0;
	p->grain = GRAIN_NONE;
	if (p->measure == MEASURE_USAGE) /* "how many" asked for a number of things, not usage */
		p->measure = MEASURE_AMORTIZED;
	for (size_t k = 0; k < r->nnouns; k++)
		if (r->nouns[k].tok == i) {
			p->group.dim = DIM_RESOURCE;
			return;
		}
	for (size_t k = 0; k < r->nnames; k++)
		if (r->names[k].m.first == i && parse_is_dimension_hit(&r->names[k])) {
			p->group = r->names[k].reading->col;
			r->names[k].grouping = true;
			return;
		}
	p->group.dim = DIM_NONE; /* days */
	r->role[i] = ROLE_CUE;
}
