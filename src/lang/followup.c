/*
 * followup: when a question leans on the previous answer ("what about
 * S3?", "break it down by region", "the top one") and how it edits the
 * previous plan; answers to a question back ("prod account").
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

/* Words that set two things side by side: "compare the two", "what's the change". */
static const enum cue compares[] = { CUE_COMPARE, CUE_VERSUS, CUE_CHANGE };

/* After an answer of one item, these name it: "show their weekly spend". */
static const char *const plural_pronouns[] = { "their", "they", "them", NULL };

/* "the top one": the first item of the previous answer. */
static bool names_top_one(const struct reading *r)
{
	for (size_t c = 0; c < r->ncues; c++)
		if ((r->cues[c].cue == CUE_TOP || r->cues[c].cue == CUE_MOST) &&
		    (tok_is(&r->toks, r->cues[c].last + 1, "one") || tok_is(&r->toks, r->cues[c].last, "one")))
			return true;
	/* "the first one", "that one", "this one": the item the last answer led with */
	for (size_t i = 0; i + 1 < r->toks.n; i++)
		if ((tok_is(&r->toks, i, "first") || tok_is(&r->toks, i, "that") || tok_is(&r->toks, i, "this")) &&
		    tok_is(&r->toks, i + 1, "one"))
			return true;
	return false;
}

/* "and the cost?" after a usage answer: the same rows in cost. Not when
 * the usage was chosen by its unit alone ("Lambda GB-seconds"): the
 * unit stood for a service the plan does not name, and the cost of the
 * whole bill would answer another question. */
static bool cost_of_usage_answer(const struct reading *r, const struct plan *prev)
{
	if (!prev || prev->measure != MEASURE_USAGE || !parse_has_cue(r, CUE_COST) || r->nnames || r->ntimes ||
	    parse_has_cue(r, CUE_USAGE))
		return false;
	if (!prev->usage_unit[0])
		return true;
	for (int i = 0; i < prev->nfilters; i++)
		if (prev->filters[i].col.dim == DIM_SERVICE && prev->filters[i].op == FILTER_IN)
			return true;
	return false;
}

/* "what's the total", "and the total?": nothing but the word total. */
static bool asks_only_the_total(const struct reading *r)
{
	return parse_has_cue(r, CUE_TOTAL) && r->nnames == 0 && r->ntimes == 0 && !parse_has_cue(r, CUE_BY) &&
	       !parse_has_cue(r, CUE_TOP);
}

/* "compare the two", "the change between them", "what changed": with no
 * period of its own and none counted back from ("the previous month",
 * "last year"), a comparison after a follow-up that moved the period sets
 * the two periods just discussed side by side. */
static bool compares_the_two_discussed(const struct reading *r, const struct plan *prev)
{
	return prev->has_range_before && r->ntimes == 0 && !parse_has_cue(r, CUE_PERIOD_BEFORE) &&
	       !parse_has_cue(r, CUE_YOY) && !parse_has_cue(r, CUE_MOM) && !parse_has_cue(r, CUE_QOQ) &&
	       !parse_has_cue(r, CUE_WOW);
}

bool parse_asks_to_list(const struct reading *r)
{
	static const char *const listing[] = { "list", "name", "show", NULL };
	for (size_t i = 0; i < r->toks.n; i++)
		if (tok_in(&r->toks, i, listing))
			return true;
	return false;
}

bool parse_lists_what_was_counted(const struct reading *r)
{
	const struct plan *prev = r->in->previous;
	return prev && plan_answers(prev) && prev->intent == INTENT_COUNT && prev->group.dim != DIM_NONE &&
	       parse_asks_to_list(r);
}

bool parse_removal_verb_at(const struct reading *r, size_t i)
{
	return i < r->toks.n && r->toks.items[i].kind == TOK_WORD && lexicon_is_removal_verb(&r->toks.items[i].text);
}

/* "back to all accounts", "every region again": after an answer
 * filtered on that column, nothing but the column named as a whole. */
static bool names_all_of_a_filtered_column(const struct reading *r)
{
	const struct plan *prev = r->in->previous;
	if (!prev || !plan_answers(prev) || r->ntimes > 0)
		return false;
	bool all = false;
	for (size_t i = 0; i < r->nnames; i++) {
		const struct name_hit *h = &r->names[i];
		if (!parse_is_dimension_hit(h) || !h->plural || h->m.first == 0 ||
		    !(tok_is(&r->toks, h->m.first - 1, "all") || tok_is(&r->toks, h->m.first - 1, "every")))
			return false;
		bool filtered = false;
		for (int f = 0; f < prev->nfilters; f++)
			filtered |= dim_ref_eq(&prev->filters[f].col, &h->reading->col);
		if (!filtered)
			return false;
		all = true;
	}
	return all;
}

bool parse_removes_filters(const struct reading *r)
{
	bool verb = false, filter = false;
	for (size_t i = 0; i < r->toks.n; i++) {
		verb |= parse_removal_verb_at(r, i);
		filter |= tok_is(&r->toks, i, "filter") || tok_is(&r->toks, i, "filters");
	}
	return (verb && filter) || names_all_of_a_filtered_column(r);
}

/* Does the question lean on the previous answer? */
/* "same month last year", "the same period a year ago" alone, with no
 * word that compares: the discussed period moved back a year. */
static bool names_year_ago_only(const struct reading *r)
{
	const struct cue_hit *yoy = parse_find_cue(r, CUE_YOY);
	return yoy && yoy->last >= yoy->first + 2 && r->ntimes == 0 && !parse_has_cue(r, CUE_COMPARE) &&
	       !parse_has_cue(r, CUE_VERSUS) && !parse_has_cue(r, CUE_CHANGE) && !parse_has_cue(r, CUE_INCREASE) &&
	       !parse_has_cue(r, CUE_DECREASE);
}

bool parse_looks_like_followup(const struct reading *r)
{
	static const enum cue edits[] = {
		CUE_FOLLOWUP, CUE_INSTEAD, CUE_SAME, CUE_DRILL, CUE_CHART_PIE, CUE_CHART_DOUGHNUT, CUE_ASCENDING,
		CUE_CHART_BAR, CUE_CHART_HBAR, CUE_CHART_LINE, CUE_CHART_AREA, CUE_CHART_TABLE,
	};
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
		if (parse_has_cue(r, edits[i]))
			return true;
	if (parse_has_cue(r, CUE_ONLY) && !parse_has_cue(r, CUE_COST))
		return true;
	if (parse_removes_filters(r))
		return true;
	/* "what's the run rate for a full year" after October's total: of it */
	if (parse_has_cue(r, CUE_RUN_RATE) && r->nnames == 0 && r->ntimes == 0)
		return true;
	/* "what's the change", "compare them": the two periods just discussed */
	if (r->nnames == 0 && r->in->previous && compares_the_two_discussed(r, r->in->previous) &&
	    parse_has_any_cue(r, compares, sizeof(compares) / sizeof(compares[0])))
		return true;
	/* "leave out credits and refunds", "excluding the shared-services
	 * account": nothing named but what to take away, from the rows shown */
	bool only_exclusions = parse_has_cue(r, CUE_EXCLUDE) && r->nnames > 0 && r->ntimes == 0 &&
			       !parse_has_cue(r, CUE_COST) && !parse_has_cue(r, CUE_ASK) && !parse_has_cue(r, CUE_WHICH);
	for (size_t i = 0; i < r->nnames && only_exclusions; i++)
		only_exclusions = r->names[i].excluded;
	if (only_exclusions)
		return true;
	if (names_year_ago_only(r) && r->nnames == 0 && !parse_has_cue(r, CUE_COST))
		return true;
	if (asks_only_the_total(r) && !parse_has_cue(r, CUE_COST))
		return true;
	/* "which accounts?", "which regions then": a new grouping of the same rows */
	bool only_dimensions = r->nnames > 0 && r->ntimes == 0 && !parse_has_cue(r, CUE_COST);
	for (size_t i = 0; i < r->nnames && only_dimensions; i++)
		only_dimensions = parse_is_dimension_hit(&r->names[i]);
	if (only_dimensions && parse_has_cue(r, CUE_WHICH) && !parse_has_cue(r, CUE_MOST) && !parse_has_cue(r, CUE_LEAST) &&
	    r->in->previous && r->in->previous->nfilters > 0)
		return true;
	/* "show me its daily cost": "its" is something the last answer named;
	 * a unit of usage ("in GB-Mo") is a measure, not a thing named */
	bool names_value = false;
	for (size_t i = 0; i < r->nnames; i++)
		names_value |= !parse_is_dimension_hit(&r->names[i]) &&
			       !(r->names[i].reading && r->names[i].reading->kind == VOCAB_UNIT);
	for (size_t i = 0; i < r->toks.n && !names_value && r->ntimes == 0; i++)
		if (tok_is(&r->toks, i, "its"))
			return true;
	/* "show their weekly spend" after an answer of one item: that item */
	const struct plan *prev = r->in->previous;
	for (size_t i = 0; i < r->toks.n && !names_value && r->ntimes == 0 && prev && prev->limit == 1 &&
			   prev->group.dim != DIM_NONE;
	     i++)
		if (tok_in(&r->toks, i, plural_pronouns))
			return true;
	/* "compared to the same month last year", "vs the same time last
	 * month": the discussed period against it */
	static const enum cue period_ago[] = { CUE_YOY, CUE_MOM, CUE_QOQ, CUE_WOW };
	for (size_t k = 0; k < sizeof(period_ago) / sizeof(period_ago[0]); k++) {
		const struct cue_hit *ago = parse_find_cue(r, period_ago[k]);
		if (ago && ago->last >= ago->first + 2 && r->nnames == 0 && r->ntimes == 0)
			return true;
	}
	/* "which were the top 3" after a list or a count: the same things */
	if (!names_value && r->ntimes == 0 && parse_has_cue(r, CUE_TOP) && parse_has_cue(r, CUE_WHICH) &&
	    !parse_has_cue(r, CUE_COST) && r->in->previous && r->in->previous->group.dim != DIM_NONE)
		return true;
	/* "just the top 3 by October spend", "its top three services",
	 * "switch to on-demand equivalent": a new way to rank or measure the
	 * same things */
	if (!names_value && (parse_has_cue(r, CUE_ONLY) || parse_has_cue(r, CUE_TOP) || parse_has_cue(r, CUE_BOTTOM)) &&
	    !parse_has_cue(r, CUE_WHICH) && (r->ntimes == 0 || (r->ntimes == 1 && !parse_has_cue(r, CUE_ASK))))
		return true;
	static const enum cue measures[] = { CUE_UNBLENDED, CUE_NET, CUE_LIST, CUE_AMORTIZED, CUE_USAGE };
	/* "switch to unblended", "show me unblended", "with their unblended
	 * cost" (nothing else named) */
	bool theirs = false;
	for (size_t i = 0; i < r->toks.n; i++)
		theirs |= tok_in(&r->toks, i, plural_pronouns) || tok_is(&r->toks, i, "its");
	if (!names_value && r->ntimes == 0 && (!parse_has_cue(r, CUE_ASK) || r->nnames == 0) &&
	    !parse_has_cue(r, CUE_WHICH) && (!parse_has_cue(r, CUE_COST) || theirs) &&
	    parse_has_any_cue(r, measures, sizeof(measures) / sizeof(measures[0])))
		return true;
	/* "now for the dev account", "and in November?", "also by region" */
	static const char *const leading[] = { "now", "and", "also", "then", "ok", "okay", "so", "instead", NULL };
	if (tok_in(&r->toks, 0, leading))
		return true;
	/* nothing new to ask about, only how to show it: "show me the top
	 * two", "show me the cheapest 5" */
	if (!parse_has_cue(r, CUE_COST) && r->nnames == 0 && r->ntimes == 0 &&
	    (parse_has_cue(r, CUE_TOP) || parse_has_cue(r, CUE_BOTTOM) || parse_has_cue(r, CUE_MOST) ||
	     parse_has_cue(r, CUE_LEAST) || parse_has_cue(r, CUE_PERIOD_BEFORE) ||
	     parse_has_cue(r, CUE_PERIOD_AFTER) ||
	     parse_has_cue(r, CUE_DAILY) || parse_has_cue(r, CUE_WEEKLY) || parse_has_cue(r, CUE_MONTHLY) || parse_has_cue(r, CUE_BY)))
		return true;
	if (parse_has_cue(r, CUE_PRONOUN) && r->ntimes == 0)
		return true;
	/* "how can we bring that down?": the pronoun inside the phrase */
	bool that = false;
	for (size_t i = 0; i < r->toks.n; i++)
		that |= tok_is(&r->toks, i, "that") || tok_is(&r->toks, i, "it") || tok_is(&r->toks, i, "this");
	if (that && parse_has_cue(r, CUE_REDUCE) && r->nnames == 0 && r->ntimes == 0)
		return true;
	/* "which day cost the most?" after a daily series of Lambda, "which
	 * one spends the least?" after a list: the rows just shown, even with
	 * a cost word */
	bool superlative = parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST);
	bool one = false; /* "which one", and "who" after a list of teams or accounts */
	for (size_t i = 0; i < r->toks.n; i++)
		one |= tok_is(&r->toks, i, "one") || tok_is(&r->toks, i, "who");
	if (superlative && r->ntimes == 0 && r->nnames == 0 && r->time_noun != GRAIN_NONE)
		return true;
	/* "which one grew the most compared to October": "one" of the rows
	 * shown, whatever period it is compared with */
	bool moves = parse_has_cue(r, CUE_INCREASE) || parse_has_cue(r, CUE_DECREASE);
	if ((superlative || moves) && one && r->nnames == 0 && prev && prev->group.dim != DIM_NONE)
		return true;
	/* "which is cheapest", "which was the highest": "which" alone stands
	 * for one of the rows shown */
	if (superlative && parse_has_cue(r, CUE_WHICH) && r->nnames == 0 && r->ntimes == 0 && prev &&
	    prev->group.dim != DIM_NONE)
		return true;
	/* nothing named but the time, a way to rank or the previous items:
	 * "over the last 3 months", "what was it in September", "which grew
	 * the most", "break the top one down by service" */
	bool values = false;
	for (size_t i = 0; i < r->nnames; i++)
		values |= !parse_is_dimension_hit(&r->names[i]);
	if (!values && !parse_has_cue(r, CUE_COST)) {
		if (names_top_one(r) && r->in->previous_top_label)
			return true;
		if (r->ntimes > 0 && (parse_has_cue(r, CUE_PRONOUN) || (!parse_has_cue(r, CUE_ASK) && !parse_has_cue(r, CUE_WHICH))))
			return true;
		/* "which day was the highest" after a trend */
		if (r->time_noun != GRAIN_NONE && r->ntimes == 0)
			return true;
		/* "which region was cheapest?" after a breakdown by region: a
		 * superlative over the rows just shown */
		bool ranks = parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST);
		bool only_its_group = prev && prev->group.dim != DIM_NONE && r->nnames > 0;
		for (size_t i = 0; only_its_group && i < r->nnames; i++)
			only_its_group = r->names[i].reading && dim_ref_eq(&r->names[i].reading->col, &prev->group);
		if (ranks && only_its_group && r->ntimes == 0)
			return true;
		/* "break down by instance type", "split by account" */
		if (r->ntimes == 0 && !parse_has_cue(r, CUE_ASK) && !parse_has_cue(r, CUE_WHICH) &&
		    (parse_has_cue(r, CUE_BREAKDOWN) || parse_has_cue(r, CUE_BY)))
			return true;
		if (r->nnames == 0 && r->ntimes == 0 &&
		    (parse_has_cue(r, CUE_INCREASE) || parse_has_cue(r, CUE_DECREASE) || parse_has_cue(r, CUE_SPIKE)) &&
		    (parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST)))
			return true;
	}
	/* "lower the bar to $1,000", "only those above $500": a new threshold
	 * for the same things */
	if (!values && r->ntimes == 0 && r->nnames == 0 && !parse_has_cue(r, CUE_COST) && !parse_has_cue(r, CUE_ASK) &&
	    !parse_has_cue(r, CUE_WHICH) && (parse_has_cue(r, CUE_MORE_THAN) || parse_has_cue(r, CUE_LESS_THAN)))
		return true;
	/* "what caused the spike?", "why the jump": the change the last
	 * answer showed, of the things it was about */
	static const enum cue changes[] = { CUE_SPIKE, CUE_INCREASE, CUE_DECREASE, CUE_CHANGE };
	static const enum cue asks_why[] = { CUE_DRIVER, CUE_WHY, CUE_EXPLAIN };
	if (!values && r->ntimes == 0 && parse_has_any_cue(r, asks_why, sizeof(asks_why) / sizeof(asks_why[0])))
		for (size_t c = 0; c < r->ncues; c++)
			for (size_t k = 0; k < sizeof(changes) / sizeof(changes[0]); k++)
				if (r->cues[c].cue == changes[k] && r->cues[c].first > 0 &&
				    tok_is(&r->toks, r->cues[c].first - 1, "the"))
					return true;
	/* a short phrase without a question of its own: "by region", "unblended" */
	size_t words = 0;
	for (size_t i = 0; i < r->toks.n; i++)
		words += r->toks.items[i].kind != TOK_PUNCT;
	return words <= 4 && !parse_has_cue(r, CUE_COST) && !parse_has_cue(r, CUE_ASK) && !parse_has_cue(r, CUE_WHICH);
}

/* ---- follow-ups ---- */

static double lone_number(const struct reading *r);

/* "... >> also exclude support >> and tax": after an exclusion, a bare
 * "and X" may add X to what is excluded or make X the subject. Either
 * reading answers with a confident number; ask instead. "And X too"
 * excludes X as well: p's filters on X become exclusions. */
bool parse_check_followup_and(const struct reading *r, const struct plan *prev, struct plan *p)
{
	static const char *const joiners[] = { "and", "also", "plus", NULL };
	if (!tok_in(&r->toks, 0, joiners) || parse_has_cue(r, CUE_EXCLUDE) || parse_has_cue(r, CUE_ONLY) ||
	    parse_has_cue(r, CUE_FOLLOWUP) || r->ntimes > 0 || r->nnames == 0)
		return false;
	/* "EC2 excluding tax >> and S3?" switches the subject, as always */
	bool excludes = false, subject = false;
	for (int i = 0; i < prev->nfilters; i++) {
		enum filter_op op = prev->filters[i].op;
		excludes |= op == FILTER_NOT_IN || op == FILTER_EXCLUDE_PREFIX;
		subject |= op == FILTER_IN || op == FILTER_CONTAINS || op == FILTER_PREFIX;
	}
	if (!excludes || subject)
		return false;
	for (size_t i = 0; i < r->nnames; i++)
		if (r->names[i].resource[0] || parse_is_dimension_hit(&r->names[i]) || r->names[i].excluded)
			return false;
	/* "and tax too", "and refunds as well": more of what is excluded */
	bool too = false;
	for (size_t t = 1; t < r->toks.n; t++)
		too |= tok_is(&r->toks, t, "too") || (tok_is(&r->toks, t, "as") && tok_is(&r->toks, t + 1, "well"));
	if (too) {
		for (int i = 0; i < p->nfilters; i++) {
			if (p->filters[i].op == FILTER_IN)
				p->filters[i].op = FILTER_NOT_IN;
			else if (p->filters[i].op == FILTER_PREFIX)
				p->filters[i].op = FILTER_EXCLUDE_PREFIX;
		}
		return false;
	}
	/* the words after the joiner: only the names */
	for (size_t t = 1; t < r->toks.n; t++)
		if (r->role[t] != ROLE_NAME && r->toks.items[t].kind != TOK_PUNCT && !tok_is(&r->toks, t, "the"))
			return false;
	char words[96];
	const struct token *a = &r->toks.items[1], *b = &r->toks.items[r->toks.n - 1];
	snprintf(words, sizeof(words), "%.*s", (int)(b->offset + b->text.n - a->offset), r->text + a->offset);
	plan_init(p);
	p->intent = INTENT_CLARIFY;
	snprintf(p->message, sizeof(p->message),
		 "Should I exclude %s as well, or show only %s? Say 'also exclude %s' or 'only %s'.", words, words, words,
		 words);
	return true;
}

/* "top 5 accounts >> its top three services", "what services does it
 * use": "its", and "it" as the subject, point at one thing while the last
 * answer listed several. Readers take it for the first, the one the
 * answer leads with (three blind corpora read it so): the plan drills
 * into it and says so. "Their regions" points at all of them, which a
 * plan cannot name from the last answer: ask. p is the question's own
 * plan, read before it becomes the question. */
bool parse_check_followup_possessive(struct reading *r, const struct plan *prev, struct plan *p)
{
	if (prev->group.dim == DIM_NONE || !r->in->previous_top_label)
		return false;
	for (int i = 0; i < p->nfilters; i++)
		if (dim_ref_eq(&p->filters[i].col, &prev->group))
			return false; /* "its services in the prod account": named */
	static const char *const pronouns[] = { "it", "they", NULL };
	static const char *const auxiliaries[] = { "does", "did", "is", "was", "has", "do", "are", "were", NULL };
	/* "which teams are in it", "how could we save on it": "it" after a
	 * preposition is one thing; "break it down" and "show it by" are the
	 * whole answer and have none */
	static const char *const prepositions[] = { "in", "on", "for", "of", "about", "into", "inside", "within", NULL };
	/* after an answer of one item, "their" and "they" are that item too
	 * ("the most expensive team >> show their monthly trend") */
	const char *word = NULL;
	for (size_t i = 0; i < r->toks.n && !word; i++) {
		if (tok_is(&r->toks, i, "its"))
			word = "its";
		if (!word && i > 0 && tok_is(&r->toks, i, "it") && tok_in(&r->toks, i - 1, prepositions))
			word = "it";
		if (!word && prev->limit == 1 && tok_in(&r->toks, i, plural_pronouns))
			word = tok_is(&r->toks, i, "their") ? "their" : tok_is(&r->toks, i, "they") ? "they" : "them";
		/* "what services does it use"; not "break it down", the whole answer */
		for (size_t k = 0; i > 0 && !word && tok_in(&r->toks, i, pronouns) && tok_in(&r->toks, i - 1, auxiliaries) &&
				   k < r->nnames; k++)
			if (parse_is_dimension_hit(&r->names[k]) && !dim_ref_eq(&r->names[k].reading->col, &prev->group))
				word = tok_is(&r->toks, i, "it") ? "it" : NULL;
	}
	if (word) {
		r->refers_to_top = true;
		parse_note(r, "read '%s' as %s, the first of the last answer", word, r->in->previous_top_label);
		return false;
	}
	for (size_t i = 0; i + 1 < r->toks.n; i++) {
		if (!tok_is(&r->toks, i, "their"))
			continue;
		/* "their regions" */
		size_t j = i + 1;
		while (j < r->toks.n && r->role[j] != ROLE_NAME)
			j++;
		for (size_t k = 0; k < r->nnames && j < r->toks.n; k++) {
			const struct name_hit *h = &r->names[k];
			if (h->m.first != j || !parse_is_dimension_hit(h) || dim_ref_eq(&h->reading->col, &prev->group))
				continue;
			char what[64];
			snprintf(what, sizeof(what), "%s", dimension_label(&prev->group));
			plan_init(p);
			p->intent = INTENT_CLARIFY;
			snprintf(p->message, sizeof(p->message),
				 "Whose do you mean: the first %s of the last answer, %s, or all of them together? "
				 "Name the %s, or say 'all %s'.",
				 what, r->in->previous_top_label, what, dim_info(prev->group.dim)->plural);
			snprintf(p->choices[0], PLAN_NAME_MAX, "%s", r->in->previous_top_label);
			p->nchoices = 1;
			return true;
		}
	}
	return false;
}

static void narrow_or_extend_range(const struct reading *r, const struct plan *prev, struct period *range);

/* f's values that slot does not hold yet, appended to it (as many as
 * fit): exclusions that add up, values added to a subject. */
static void add_filter_values(struct filter *slot, const struct filter *f)
{
	for (int v = 0; v < f->nvalues && slot->nvalues < PLAN_MAX_VALUES; v++) {
		bool dup = false;
		for (int x = 0; x < slot->nvalues; x++)
			dup |= strcmp(slot->values[x], f->values[v]) == 0;
		if (!dup)
			snprintf(slot->values[slot->nvalues++], PLAN_NAME_MAX, "%s", f->values[v]);
	}
}

/* The one number of a follow-up that names nothing and no time ("make
 * that 2k", "just 3"), or -1. */
static double lone_number(const struct reading *r)
{
	double found = -1;
	if (r->nnames > 0 || r->ntimes > 0)
		return -1;
	for (size_t i = 0; i < r->toks.n; i++) {
		const struct token *t = &r->toks.items[i];
		if (t->kind != TOK_NUMBER)
			continue;
		/* "the last 7" after "the last 30 days" counts days, not a top N */
		static const char *const counts_time[] = { "last", "past", "previous", "prior", "next", "trailing", NULL };
		if (found >= 0 || t->percent || t->euro || t->ordinal || (i > 0 && tok_in(&r->toks, i - 1, counts_time)))
			return -1;
		found = t->number;
	}
	return found;
}

void parse_apply_followup(struct reading *r, const struct plan *prev, struct plan *now, bool group_mentioned,
			   bool measure_mentioned, bool limit_mentioned)
{
	struct plan out = *prev;
	out.message[0] = '\0';
	out.nchoices = 0;
	out.range_defaulted = prev->range_defaulted;
	if (parse_removes_filters(r)) {
		/* "drop the region filter", "remove the us-east-1 filter": the
		 * filters on the columns named go; "clear the filters": all */
		bool named = false;
		for (size_t i = 0; i < r->nnames; i++)
			if (r->names[i].reading) {
				plan_remove_filters(&out, &r->names[i].reading->col);
				named = true;
			}
		if (!named)
			out.nfilters = 0;
		now->nfilters = 0;
		now->intent = INTENT_TOTAL; /* "drop" is no fall to compare here */
		group_mentioned = false;
	}

	/* "the top one by service", "that one by month", "the top one, daily" */
	bool over_time = now->grain != GRAIN_NONE && !group_mentioned;
	bool drill = parse_has_cue(r, CUE_DRILL) || (names_top_one(r) && (group_mentioned || over_time)) ||
		     r->refers_to_top;
	if (drill && prev->group.dim != DIM_NONE && r->in->previous_top_label) {
		/* "drill into the top one (by service)": "top one" is the item, not a limit */
		const char *label = r->in->previous_top_label;
		bool placeholder = strcmp(label, "(untagged)") == 0 || strcmp(label, "(none)") == 0;
		plan_remove_filters(&out, &prev->group);
		struct filter *f = plan_set_filter(&out, &prev->group, placeholder ? FILTER_MISSING : FILTER_IN);
		if (f && !placeholder) {
			snprintf(f->values[0], PLAN_NAME_MAX, "%s", label);
			f->nvalues = 1;
		}
		if (!r->refers_to_top)
			limit_mentioned = false; /* "the top one" is the item; "its top three" a limit */
		out.group.dim = group_mentioned ? now->group.dim : dim_info(prev->group.dim)->drill[0];
		if (group_mentioned)
			out.group = now->group;
		/* inside a mover, what moved within it: "by usage type for that
		 * one" after "what grew from October to November" */
		out.intent = prev->intent == INTENT_MOVERS ? INTENT_MOVERS : INTENT_BREAKDOWN;
		if ((r->refers_to_top || over_time) && !group_mentioned) {
			/* "its daily cost", "what was its cost", "that one by
			 * month": that item's figure, or its series */
			out.group.dim = DIM_NONE;
			out.intent = INTENT_TOTAL;
		}
		out.limit = 0;
		out.has_threshold = false;
		group_mentioned = false;
	}
	if (!measure_mentioned && cost_of_usage_answer(r, prev)) {
		out.measure = MEASURE_AMORTIZED; /* "and the cost?" */
		out.usage_unit[0] = '\0';
	}
	if (measure_mentioned) {
		out.measure = now->measure;
		snprintf(out.usage_unit, sizeof(out.usage_unit), "%s", now->usage_unit);
	}
	/* filters: a column the follow-up names replaces the previous values;
	 * exclusions add up ("excluding tax" then "also exclude credits"), and
	 * so do values added ("add Glue", "plus ECS", "and Lambda too") */
	/* "and checkout, side by side", "vs mobile": the two values, one row each */
	bool side_by_side = r->ntimes == 0 && (parse_has_cue(r, CUE_COMPARE) || parse_has_cue(r, CUE_VERSUS));
	bool adds_values = side_by_side;
	for (size_t i = 0; i < r->toks.n; i++)
		adds_values |= tok_is(&r->toks, i, "add") || tok_is(&r->toks, i, "plus") || tok_is(&r->toks, i, "too") ||
			       (tok_is(&r->toks, i, "as") && tok_is(&r->toks, i + 1, "well"));
	for (int i = 0; i < now->nfilters; i++) {
		const struct filter *f = &now->filters[i];
		struct filter added_to = { 0 };
		if (adds_values && f->op == FILTER_IN)
			for (int k = 0; k < out.nfilters; k++)
				if (dim_ref_eq(&out.filters[k].col, &f->col) && out.filters[k].op == FILTER_IN)
					added_to = out.filters[k];
		if (f->op == FILTER_IN || f->op == FILTER_CONTAINS || f->op == FILTER_PREFIX)
			plan_remove_filters(&out, &f->col);
		if (added_to.nvalues) {
			struct filter *slot = plan_set_filter(&out, &f->col, FILTER_IN);
			if (!slot)
				continue;
			*slot = added_to;
			add_filter_values(slot, f);
			if (side_by_side && slot->nvalues > 1 && out.group.dim == DIM_NONE && out.grain == GRAIN_NONE &&
			    (out.intent == INTENT_TOTAL || out.intent == INTENT_COMPARE_PERIODS)) {
				out.group = f->col;
				out.intent = INTENT_BREAKDOWN;
				now->intent = INTENT_BREAKDOWN;
				group_mentioned = true;
				now->group = f->col;
			}
			continue;
		}
		/* "untagged cost" then "and what about tagged": the one replaces the other */
		if (f->op == FILTER_TAGGED || f->op == FILTER_UNTAGGED)
			for (int k = out.nfilters - 1; k >= 0; k--)
				if ((out.filters[k].op == FILTER_TAGGED || out.filters[k].op == FILTER_UNTAGGED) &&
				    out.filters[k].op != f->op) {
					memmove(&out.filters[k], &out.filters[k + 1],
						(size_t)(out.nfilters - k - 1) * sizeof(out.filters[0]));
					out.nfilters--;
				}
		struct filter kept = { 0 };
		if (f->op == FILTER_NOT_IN || f->op == FILTER_EXCLUDE_PREFIX)
			for (int k = 0; k < out.nfilters; k++)
				if (dim_ref_eq(&out.filters[k].col, &f->col) && out.filters[k].op == f->op)
					kept = out.filters[k];
		struct filter *slot = plan_set_filter(&out, &f->col, f->op);
		if (!slot)
			continue;
		*slot = kept.nvalues ? kept : *f;
		if (kept.nvalues)
			add_filter_values(slot, f);
	}
	if (now->nfilters && parse_has_cue(r, CUE_FOLLOWUP)) {
		/* "What did we spend on EC2? -- What about S3?": the new subject
		 * replaces the old one even when they sit in different columns */
		for (int i = 0; i < prev->nfilters; i++) {
			bool named = false;
			for (int k = 0; k < now->nfilters; k++)
				named |= dim_ref_eq(&now->filters[k].col, &prev->filters[i].col);
			bool subject = prev->filters[i].col.dim == DIM_SERVICE || prev->filters[i].col.dim == DIM_USAGE_TYPE ||
				       prev->filters[i].col.dim == DIM_CATEGORY;
			bool new_subject = false;
			for (int k = 0; k < now->nfilters; k++)
				new_subject |= now->filters[k].col.dim == DIM_SERVICE || now->filters[k].col.dim == DIM_USAGE_TYPE ||
					       now->filters[k].col.dim == DIM_CATEGORY;
			if (!named && subject && new_subject && prev->filters[i].op != FILTER_NOT_IN)
				plan_remove_filters(&out, &prev->filters[i].col);
		}
	}
	/* "exclude the untagged" in a breakdown by a tag key: rows with that key */
	if (out.group.dim == DIM_TAG)
		for (int i = 0; i < out.nfilters; i++)
			if (out.filters[i].op == FILTER_TAGGED || out.filters[i].op == FILTER_UNTAGGED) {
				/* and "only the untagged row": rows without that key */
				out.filters[i].op = out.filters[i].op == FILTER_TAGGED ? FILTER_PRESENT : FILTER_MISSING;
				out.filters[i].col = out.group;
			}
	/* "and by env too", "also by region": a second grouping beside the first */
	bool adds = false;
	for (size_t i = 0; i < r->toks.n; i++)
		adds |= tok_is(&r->toks, i, "too") || tok_is(&r->toks, i, "also") ||
			(tok_is(&r->toks, i, "as") && tok_is(&r->toks, i + 1, "well"));
	if (group_mentioned && adds && prev->intent == INTENT_BREAKDOWN && prev->group.dim != DIM_NONE &&
	    prev->group2.dim == DIM_NONE && now->group2.dim == DIM_NONE && !dim_ref_eq(&now->group, &prev->group)) {
		out.group2 = now->group;
	} else if (group_mentioned) {
		out.group = now->group;
		out.group2 = now->group2;
		/* "go back to by team" after "by month": the breakdown again */
		bool back = false;
		for (size_t i = 0; i + 1 < r->toks.n; i++)
			back |= tok_is(&r->toks, i, "back") && tok_is(&r->toks, i + 1, "to");
		if (back && now->grain == GRAIN_NONE && out.intent == INTENT_TREND) {
			out.intent = INTENT_BREAKDOWN;
			out.grain = GRAIN_NONE;
		}
		/* "break it down by region" after an analysis: back to the data */
		if (out.intent == INTENT_TOTAL || out.intent == INTENT_AVERAGE_DAILY || out.intent == INTENT_INSIGHT)
			out.intent = INTENT_BREAKDOWN;
		/* "monthly spend this year" then "by account": the trend, by account */
	}
	/* "what's the total" after a series or a breakdown: one figure for the
	 * same rows; "now July through September, one number": for that period */
	bool total_asked = parse_has_cue(r, CUE_TOTAL) && r->nnames == 0 && !parse_has_cue(r, CUE_BY) &&
			   !parse_has_cue(r, CUE_TOP);
	/* "just the total" after a comparison: the later period's, alone */
	if (total_asked && out.intent == INTENT_COMPARE_PERIODS && r->ntimes == 0) {
		out.intent = INTENT_TOTAL;
		out.range = out.periods[1];
		out.group.dim = DIM_NONE;
		out.group2.dim = DIM_NONE;
		out.limit = 0;
	}
	if (total_asked && (out.intent == INTENT_TREND || out.intent == INTENT_BREAKDOWN)) {
		out.intent = INTENT_TOTAL;
		out.group.dim = DIM_NONE;
		out.group2.dim = DIM_NONE;
		out.grain = GRAIN_NONE;
		out.limit = 0;
		out.has_threshold = false;
	}
	if (now->intent == INTENT_COUNT) {
		/* "and how many databases was that?": a count of what was discussed */
		out.intent = INTENT_COUNT;
		out.group = r->count_previous ? prev->group : now->group; /* "how many are there?": of the list */
		out.limit = 0;
		out.grain = GRAIN_NONE;
	}
	if (now->intent == INTENT_INSIGHT) {
		/* "any anomalies there?", "and the forecast?": the analysis over
		 * what was being discussed */
		out.intent = INTENT_INSIGHT;
		snprintf(out.insight, sizeof(out.insight), "%s", now->insight);
		out.months = now->months;
		out.group.dim = DIM_NONE;
		if (now->range_defaulted && (strcmp(now->insight, "forecast") == 0 || prev->intent == INTENT_COMPARE_PERIODS ||
					     prev->intent == INTENT_MOVERS)) {
			out.range = now->range;
			out.range_defaulted = true;
		}
		if (strcmp(now->insight, "drivers") == 0) {
			out.periods[0] = now->periods[0];
			out.periods[1] = now->periods[1];
		}
	}
	if (now->grain != GRAIN_NONE) {
		/* "show it daily", "by month": the same rows over time; a top N
		 * stays the top N */
		out.intent = INTENT_TREND;
		out.grain = now->grain;
	}
	if (now->intent == INTENT_AVERAGE_DAILY && parse_has_cue(r, CUE_PER_DAY) && !parse_per_day_rate_words(r) &&
	    !prev->range_defaulted && prev->intent != INTENT_TREND && !tok_is(&r->toks, 0, "and")) {
		/* "... the last 7 days >> per day": each day of the period
		 * discussed; "and per day?" after a total asks for one more
		 * figure, the average a day */
		out.intent = INTENT_TREND;
		out.grain = GRAIN_DAY;
	} else if (now->intent == INTENT_AVERAGE_DAILY) {
		/* "per day on average", "what's the run rate" */
		out.intent = INTENT_AVERAGE_DAILY;
		out.run_rate = now->run_rate;
		out.grain = now->grain == GRAIN_MONTH ? GRAIN_MONTH : GRAIN_NONE;
	}
	/* "which one was cheapest?" after a breakdown, "and the lowest?"
	 * after the highest day: the one */
	/* after a count: "which one spends the least", "which were the top 3",
	 * "list them": the things counted, with their cost */
	bool lists = parse_asks_to_list(r);
	if (out.intent == INTENT_COUNT && out.group.dim != DIM_NONE && now->intent != INTENT_COUNT && r->nnames == 0 &&
	    (limit_mentioned || lists || parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST) ||
	     parse_has_cue(r, CUE_TOP)))
		out.intent = INTENT_BREAKDOWN;
	bool one_of_rows = (out.intent == INTENT_BREAKDOWN && out.group.dim != DIM_NONE) ||
			   (out.intent == INTENT_TREND && out.limit == 1);
	if (!limit_mentioned && (parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST)) && now->group.dim == DIM_NONE &&
	    r->nnames == 0 && one_of_rows && now->intent != INTENT_MOVERS) {
		out.limit = 1;
		out.ascending = parse_has_cue(r, CUE_LEAST);
	}
	/* "which region was cheapest?": a superlative sets its own limit of one */
	if (!limit_mentioned && now->limit > 0 && (parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST)) &&
	    now->group.dim != DIM_NONE && dim_ref_eq(&now->group, &out.group) && out.intent == INTENT_BREAKDOWN)
		limit_mentioned = true;
	if (limit_mentioned) {
		out.limit = now->limit;
		out.ascending = now->ascending;
		if (out.intent == INTENT_TOTAL) {
			out.intent = INTENT_BREAKDOWN;
			if (out.group.dim == DIM_NONE)
				out.group.dim = DIM_SERVICE;
		}
	}
	if (parse_has_cue(r, CUE_ASCENDING))
		out.ascending = true; /* "lowest first": the same rows, the other way round */
	if (now->intent == INTENT_MOVERS && !limit_mentioned && now->limit && prev->intent != INTENT_MOVERS)
		out.limit = now->limit; /* "which one grew the most?": the one */
	if (now->has_threshold) {
		out.has_threshold = true;
		out.threshold = now->threshold;
		out.threshold_below = now->threshold_below;
	}
	/* "make that 2k", "just 3", "10 instead": a number alone replaces
	 * the number the last answer had, its bar or else its top N */
	double alone = lone_number(r);
	if (alone > 0 && !limit_mentioned && !now->has_threshold) {
		if (prev->has_threshold)
			out.threshold = alone;
		else if (prev->limit > 0 && alone == floor(alone))
			out.limit = (int)alone;
	}
	if (now->chart != CHART_AUTO)
		out.chart = now->chart;
	if (compares_the_two_discussed(r, prev) && prev->intent != INTENT_COMPARE_PERIODS && prev->intent != INTENT_MOVERS &&
	    (now->intent == INTENT_COMPARE_PERIODS || parse_has_any_cue(r, compares, sizeof(compares) / sizeof(compares[0])))) {
		/* "last month >> and the month before that >> compare the two" */
		bool before_first = prev->range_before.start_day <= prev->range.start_day;
		out.intent = INTENT_COMPARE_PERIODS;
		out.periods[0] = before_first ? prev->range_before : prev->range;
		out.periods[1] = before_first ? prev->range : prev->range_before;
		if ((out.limit || out.has_threshold) && out.group.dim != DIM_NONE)
			out.limit = 0; /* both periods of every item */
		out.range.start_day = out.periods[0].start_day;
		out.range.end_day = out.periods[1].end_day;
		out.range.unit = UNIT_SPAN;
		period_describe_dates(&out.range, out.range.label, sizeof(out.range.label));
		out.range_defaulted = false;
	} else if (names_year_ago_only(r)) {
		/* "same month last year": what was discussed, a year earlier */
		out.intent = prev->intent;
		out.range = period_year_earlier(&prev->range);
		out.periods[0] = period_year_earlier(&prev->periods[0]);
		out.periods[1] = period_year_earlier(&prev->periods[1]);
		out.range_defaulted = false;
	} else if (parse_has_cue(r, CUE_PERIOD_BEFORE) && r->ntimes == 0 && now->intent != INTENT_COMPARE_PERIODS &&
	    now->intent != INTENT_MOVERS) {
		/* "what about the month before": the period before the one discussed */
		out.range = period_previous(&prev->range);
		out.range_defaulted = false;
	} else if (parse_has_cue(r, CUE_PERIOD_AFTER) && r->ntimes == 0 && now->intent != INTENT_COMPARE_PERIODS &&
		   now->intent != INTENT_MOVERS) {
		/* "and the week after": the period after the one discussed */
		out.range = period_next(&prev->range);
		out.range_defaulted = false;
	} else if ((now->intent == INTENT_COMPARE_PERIODS || now->intent == INTENT_MOVERS ||
		    (adds && !group_mentioned && (prev->intent == INTENT_BREAKDOWN || prev->intent == INTENT_TOTAL))) &&
		   r->ntimes == 1 && !r->times[0].is_span && prev->intent != INTENT_COMPARE_PERIODS &&
		   prev->intent != INTENT_MOVERS && prev->intent != INTENT_INSIGHT) {
		/* "compare with August": the period discussed against the one named */
		struct period a = prev->range, b = r->times[0].period;
		/* "last month" then "compare it with the previous month": the
		 * month before the one discussed */
		if (a.start_day == b.start_day && a.end_day == b.end_day)
			b = period_previous(&a);
		out.intent = now->intent == INTENT_MOVERS ? INTENT_MOVERS : INTENT_COMPARE_PERIODS;
		if (out.intent == INTENT_COMPARE_PERIODS && (out.limit || out.has_threshold) && out.group.dim != DIM_NONE)
			out.limit = 0; /* both periods of every item */
		out.periods[0] = a.start_day <= b.start_day ? a : b;
		out.periods[1] = a.start_day <= b.start_day ? b : a;
		out.range.start_day = out.periods[0].start_day;
		out.range.end_day = out.periods[1].end_day;
		out.range.unit = UNIT_SPAN;
		period_describe_dates(&out.range, out.range.label, sizeof(out.range.label));
	} else if (now->intent == INTENT_COMPARE_PERIODS || now->intent == INTENT_MOVERS) {
		out.intent = now->intent == INTENT_MOVERS || prev->group.dim == DIM_NONE ? now->intent : INTENT_COMPARE_PERIODS;
		if (now->intent == INTENT_MOVERS)
			out.ascending = now->ascending; /* "sort by biggest decrease" */
		out.periods[0] = now->periods[0];
		out.periods[1] = now->periods[1];
		out.range = now->range;
		if (r->ntimes == 0 && (prev->intent == INTENT_COMPARE_PERIODS || prev->intent == INTENT_MOVERS)) {
			/* "which grew the most" after a comparison: the same two periods */
			out.periods[0] = prev->periods[0];
			out.periods[1] = prev->periods[1];
			out.range = prev->range;
		} else if (r->ntimes == 0) {
			/* "compare with the previous period", "... with the same month last year" */
			out.periods[1] = prev->range;
			out.periods[0] = parse_has_cue(r, CUE_YOY) ? period_year_earlier(&prev->range) : period_previous(&prev->range);
			out.range.start_day = out.periods[0].start_day;
			out.range.end_day = out.periods[1].end_day;
		}
	} else if (r->ntimes >= 1) {
		if (out.intent == INTENT_COMPARE_PERIODS || out.intent == INTENT_MOVERS) {
			out.periods[1] = r->times[0].period;
			out.periods[0] = period_previous(&r->times[0].period);
			out.range.start_day = out.periods[0].start_day;
			out.range.end_day = out.periods[1].end_day;
		} else if (out.intent == INTENT_INSIGHT && strcmp(out.insight, "forecast") == 0) {
			out.months = now->months; /* a forecast's time is its horizon */
		} else {
			out.range = r->times[0].period;
			out.range_defaulted = false;
			narrow_or_extend_range(r, prev, &out.range);
		}
	}
	if (out.intent != INTENT_INSIGHT)
		out.insight[0] = '\0';
	/* the period this follow-up moved away from, for "compare the two" */
	if (out.intent != INTENT_COMPARE_PERIODS && out.intent != INTENT_MOVERS &&
	    (out.range.start_day != prev->range.start_day || out.range.end_day != prev->range.end_day)) {
		out.range_before = prev->range;
		out.has_range_before = true;
	} else if (out.intent == INTENT_COMPARE_PERIODS || out.intent == INTENT_MOVERS) {
		out.has_range_before = false;
	}
	if (out.group2.dim != DIM_NONE && out.intent != INTENT_BREAKDOWN) {
		parse_note(r, "shown by %s only: two groupings are for breakdowns%s", dimension_label(&out.group), "");
		out.group2.dim = DIM_NONE;
	}
	*now = out;
}

/* A follow-up's period read against the one discussed: "thru November"
 * after September runs from September through November; "just the first
 * half" after October is October 1-15, after 2024 it is H1 2024. */
static void narrow_or_extend_range(const struct reading *r, const struct plan *prev, struct period *range)
{
	static const char *const to_words[] = { "to", "through", "thru", "until", "till", NULL };
	const struct time_mention *t = &r->times[0];
	size_t at = 0; /* past "and", "ok", "now": the first word that says something */
	static const char *const lead_in[] = { "and", "now", "ok", "okay", "then", "so", "but", NULL };
	while (at < t->first && (r->toks.items[at].kind == TOK_PUNCT || tok_in(&r->toks, at, lead_in)))
		at++;
	if (!t->is_span && t->first == at + 1 && tok_in(&r->toks, at, to_words) &&
	    prev->range.start_day < t->period.end_day && !prev->range_defaulted) {
		range->start_day = prev->range.start_day;
		range->end_day = t->period.end_day;
		range->unit = UNIT_SPAN;
		range->count = 1;
		period_describe_dates(range, range->label, sizeof(range->label));
		return;
	}
	/* "the week of Oct 6 >> and of Oct 13": the same kind of week */
	if (t->period.unit == UNIT_DAY && t->first > 0 && tok_is(&r->toks, t->first - 1, "of") &&
	    prev->range.end_day - prev->range.start_day == 7 && !t->is_span) {
		bool monday_week = prev->range.start_day == date_week_start(prev->range.start_day);
		range->start_day = monday_week ? date_week_start(t->period.start_day) : t->period.start_day;
		range->end_day = range->start_day + 7;
		range->unit = UNIT_SPAN;
		snprintf(range->label, sizeof(range->label), "the week of %.40s", t->period.label);
		return;
	}
	/* "the first half" in words; "H1" names the half-year */
	bool in_words = tok_in(&r->toks, t->first, (const char *const[]){ "first", "second", "the", NULL });
	if (t->period.unit != UNIT_HALF || t->explicit_year || !in_words || prev->range_defaulted)
		return;
	int y, m, d;
	date_to_ymd(t->period.start_day, &y, &m, &d);
	bool first = m == 1;
	const struct period *whole = &prev->range;
	if (whole->unit == UNIT_MONTH && whole->count <= 1) {
		int mid = whole->start_day + 15;
		range->start_day = first ? whole->start_day : mid;
		range->end_day = first ? mid : whole->end_day;
		range->unit = UNIT_SPAN;
		snprintf(range->label, sizeof(range->label), "the %s half of %.40s", first ? "first" : "second", whole->label);
	} else if (whole->unit == UNIT_YEAR && whole->count <= 1) {
		date_to_ymd(whole->start_day, &y, &m, &d);
		range->start_day = date_from_ymd(y, first ? 1 : 7, 1);
		range->end_day = date_add_months(range->start_day, 6);
		snprintf(range->label, sizeof(range->label), "H%d %d", first ? 1 : 2, y);
	}
}

/* The answer to "Did you mean X or Y?" is one of the choices: the
 * clarified question is read again with the chosen name in place of the
 * unknown word. Returns true when in->question was such an answer. */
bool parse_answer_clarification(const struct parse_input *in, struct parse_result *out)
{
	const struct plan *prev = in->previous;
	if (!prev || prev->intent != INTENT_CLARIFY || !prev->clarify_question[0])
		return false;
	char reply[PLAN_NAME_MAX], choice[PLAN_NAME_MAX];
	vocab_normalize(in->question, reply, sizeof(reply));
	for (int i = 0; i < prev->nchoices; i++) {
		vocab_normalize(prev->choices[i], choice, sizeof(choice));
		if (strcmp(reply, choice) != 0)
			continue;
		/* replace the word (case aside) in the original question */
		const char *q = prev->clarify_question, *at = strcasestr(q, prev->clarify_word);
		struct strbuf again;
		strbuf_init(&again, 0);
		if (at) {
			strbuf_add(&again, q, (size_t)(at - q));
			strbuf_addstr(&again, prev->choices[i]);
			strbuf_addstr(&again, at + strlen(prev->clarify_word));
		} else {
			strbuf_addf(&again, "%s %s", q, prev->choices[i]);
		}
		struct parse_input retry = *in;
		retry.question = again.buf;
		retry.previous = NULL;
		parse_question(&retry, out);
		strbuf_release(&again);
		out->followup = true;
		return true;
	}
	return false;
}

/* Does a follow-up change anything in the previous plan? */
bool parse_followup_says_something(const struct reading *r, const struct plan *now, bool group_mentioned,
				    bool measure_mentioned, bool limit_mentioned)
{
	static const enum cue edits[] = {
		CUE_DRILL, CUE_PERIOD_BEFORE, CUE_PERIOD_AFTER, CUE_CHART_PIE, CUE_CHART_DOUGHNUT, CUE_CHART_BAR, CUE_CHART_HBAR, CUE_CHART_LINE,
		CUE_CHART_AREA, CUE_CHART_TABLE, CUE_COMPARE, CUE_VERSUS, CUE_MOM, CUE_WOW, CUE_QOQ, CUE_YOY,
		CUE_INCREASE, CUE_DECREASE, CUE_CHANGE, CUE_AVERAGE, CUE_PER_DAY, CUE_RUN_RATE, CUE_UNTAGGED,
		CUE_TREND, CUE_DAILY, CUE_WEEKLY, CUE_MONTHLY, CUE_QUARTERLY, CUE_YEARLY, CUE_SHARE, CUE_TOTAL,
		CUE_ASCENDING, CUE_MOST, CUE_LEAST,
	};
	/* "and the cost?" after a usage answer: the measure back to cost */
	if (cost_of_usage_answer(r, r->in->previous))
		return true;
	/* "list them" after a count: the things counted (parse_apply_followup) */
	if (parse_lists_what_was_counted(r))
		return true;
	/* "make that 2k", "just 3": a new bar or top N for the last answer */
	const struct plan *prev = r->in->previous;
	if (prev && (prev->has_threshold || prev->limit > 0) && lone_number(r) > 0)
		return true;
	return group_mentioned || measure_mentioned || limit_mentioned || now->nfilters > 0 || r->ntimes > 0 ||
	       parse_removes_filters(r) ||
	       now->has_threshold || now->intent == INTENT_INSIGHT ||
	       parse_has_any_cue(r, edits, sizeof(edits) / sizeof(edits[0]));
}
