/*
 * understand: whether a question was read whole. Every word must have a
 * role; a word without one is named back, a name with several readings
 * asks which, a request that is not a question about the bill is
 * refused, a dimension word the plan does not use is asked about.
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

static bool unread_word(const struct reading *r, size_t i);

bool parse_has_unread_word(const struct reading *r)
{
	for (size_t i = 0; i < r->toks.n; i++)
		if (unread_word(r, i))
			return true;
	return false;
}

void parse_refuse(struct plan *p, const char *why)
{
	p->intent = INTENT_REFUSE;
	snprintf(p->message, sizeof(p->message), "%s", why);
}

/* Questions finq must not or cannot answer. */
bool parse_check_refusal(struct reading *r, struct plan *p)
{
	size_t first = 0;
	while (first < r->toks.n && (r->toks.items[first].kind == TOK_PUNCT || tok_is(&r->toks, first, "please") ||
				     tok_is(&r->toks, first, "can") ||
				     tok_is(&r->toks, first, "could") || tok_is(&r->toks, first, "you") ||
				     tok_is(&r->toks, first, "go") || tok_is(&r->toks, first, "ahead") ||
				     tok_is(&r->toks, first, "and")))
		first++;
	/* "drop the taxes", "remove support": in a question about the bill these
	 * exclude; with a data object ("records", "table", "rows") they would
	 * change data */
	static const char *const excluding_verbs[] = { "drop", "remove", "take", NULL };
	static const char *const data_objects[] = { "record", "records", "row", "rows", "table", "tables", "data",
		"database", "entries", "entry", "history", "everything", "all", NULL };
	/* "drop the region filter" in a conversation edits the last answer */
	if (r->in->previous && parse_previous_answered(r->in->previous) && parse_removes_filters(r))
		return false;
	if (tok_in(&r->toks, first, excluding_verbs)) {
		bool object = false;
		for (size_t i = first + 1; i < r->toks.n; i++)
			object |= tok_in(&r->toks, i, data_objects);
		bool names_value = false;
		for (size_t k = 0; k < r->nnames; k++)
			names_value |= !parse_is_dimension_hit(&r->names[k]) && r->names[k].m.first > first;
		if (!object && names_value) {
			for (size_t c = 0; c < r->ncues; c++)
				if (r->cues[c].first == first)
					r->cues[c].cue = CUE_EXCLUDE;
			bool has = false;
			for (size_t c = 0; c < r->ncues; c++)
				has |= r->cues[c].first == first;
			r->role[first] = ROLE_CUE;
			if (!has && r->ncues < MAX_ITEMS) {
				/* keep cues in token order: the exclusion goes first */
				memmove(&r->cues[1], &r->cues[0], r->ncues * sizeof(r->cues[0]));
				r->cues[0].first = r->cues[0].last = first;
				r->cues[0].cue = CUE_EXCLUDE;
				r->ncues++;
			}
			return false;
		}
	}
	bool mutation = first < r->toks.n && lexicon_is_mutation_verb(&r->toks.items[first].text);
	/* "'; DELETE FROM costs", "stupid bot, wipe the sandbox costs": a
	 * verb that changes data anywhere, unless the parser read it */
	for (size_t i = 0; i < r->toks.n && !mutation; i++)
		mutation = r->role[i] == ROLE_FREE && lexicon_is_mutation_verb(&r->toks.items[i].text) &&
			   !tok_in(&r->toks, i, excluding_verbs);
	/* "tag all untagged resources with team platform", "stop all instances":
	 * an order to act on resources, with no question in it */
	static const char *const orders[] = { "tag", "label", "mark", "assign", "stop", "shut", "kill", "start",
		"move", "attach", "detach", NULL };
	bool question = parse_has_cue(r, CUE_COST) || parse_has_cue(r, CUE_ASK) || parse_has_cue(r, CUE_WHICH) || parse_has_cue(r, CUE_BY) ||
			parse_has_cue(r, CUE_BREAKDOWN) || parse_has_cue(r, CUE_TOTAL) || r->ntimes > 0;
	if (!mutation && !question && tok_in(&r->toks, first, orders)) {
		parse_refuse(p, lexicon_offtopic_reason(OFFTOPIC_ACTION));
		return true;
	}
	/* "move the checkout costs to the payments team", "reassign EC2 to
	 * platform": an order to re-book costs, however much of a bill it names */
	static const char *const rebook[] = { "move", "reassign", "reallocate", "shift", "assign",
		"transfer", "recharge", NULL };
	if (!mutation && first < r->toks.n && r->role[first] != ROLE_NAME && tok_in(&r->toks, first, rebook))
		for (size_t i = first + 1; i + 1 < r->toks.n; i++) {
			size_t at = tok_is(&r->toks, i + 1, "the") ? i + 2 : i + 1;
			if (tok_is(&r->toks, i, "to") && at < r->toks.n && r->role[at] == ROLE_NAME) {
				parse_refuse(p, lexicon_offtopic_reason(OFFTOPIC_ACTION));
				return true;
			}
		}
	if (mutation) {
		parse_refuse(p, "finq only reads billing data: it cannot delete, change or add cost records. "
			  "Reload an export with 'finq load' to replace a billing period.");
		return true;
	}
	const struct cue_hit *nb = parse_find_cue(r, CUE_NOT_BILLING);
	/* "utilization" is a bill's only as a commitment's ("RI utilization") */
	if (!nb && parse_has_cue(r, CUE_UTILIZATION) && !parse_says_commitment(r))
		nb = parse_find_cue(r, CUE_UTILIZATION);
	if (nb) {
		/* the whole phrase: "day of the week", "error rate" */
		const struct token *a = &r->toks.items[nb->first], *b = &r->toks.items[nb->last];
		char word[64];
		snprintf(word, sizeof(word), "%.*s", (int)(b->text.p + b->text.n - a->text.p), a->text.p);
		char msg[512];
		snprintf(msg, sizeof(msg),
			 "I can't answer that from billing data: cost and usage exports record what was charged "
			 "and how much was used, nothing about '%s'. Ask about cost, usage or savings instead.", word);
		parse_refuse(p, msg);
		return true;
	}
	if (parse_has_cue(r, CUE_HELP) && r->nnames == 0 && !parse_has_unread_word(r)) {
		p->intent = INTENT_HELP;
		snprintf(p->message, sizeof(p->message),
			 "Ask about your cloud costs in plain English: totals, breakdowns by service, account, "
			 "region or tag, top N, trends, comparisons between periods, and follow-ups.");
		return true;
	}
	return false;
}

/* A word without a role that counts: not punctuation, a function word,
 * a number word. */
static bool unread_word(const struct reading *r, size_t i)
{
	const struct token *t = &r->toks.items[i];
	/* "over €5,000": the bill's amounts are in its own currency, dollars
	 * for AWS; finq converts nothing, so the amount is not read */
	if (t->kind == TOK_NUMBER && t->euro)
		return true;
	if (r->role[i] != ROLE_FREE)
		return false;
	/* a long bare number is an id ("account 123456789012") the data does not have */
	if (t->kind == TOK_NUMBER)
		return !t->money && !t->percent && t->text.n >= 9 && t->number == floor(t->number);
	return t->kind == TOK_WORD && !lexicon_is_function_word(&t->text) && lexicon_number_word(&t->text) < 0;
}

/* "the growth team", "our forecast project": a parser word right before
 * a tag key names a value the data does not have, not a change or an
 * analysis. */
static bool misread_value_word(const struct reading *r, size_t i)
{
	static const enum cue content[] = {
		CUE_INCREASE, CUE_DECREASE, CUE_CHANGE, CUE_SPIKE, CUE_ANOMALY, CUE_FORECAST, CUE_REDUCE,
		CUE_RECOMMEND, CUE_DRIVER, CUE_HELP, CUE_FUTURE, CUE_RUN_RATE, CUE_WHY, CUE_EXPLAIN,
	};
	static const char *const determiners[] = { "the", "our", "a", "for", "of", "my", "their", NULL };
	if (r->role[i] != ROLE_CUE || i == 0 || !tok_in(&r->toks, i - 1, determiners))
		return false;
	bool before_tag_key = false;
	for (size_t k = 0; k < r->nnames; k++)
		before_tag_key |= r->names[k].m.first == i + 1 && parse_is_dimension_hit(&r->names[k]) &&
				  r->names[k].reading->col.dim == DIM_TAG && !r->names[k].plural;
	if (!before_tag_key)
		return false;
	for (size_t c = 0; c < r->ncues; c++)
		if (r->cues[c].first == i && r->cues[c].last == i)
			for (size_t k = 0; k < sizeof(content) / sizeof(content[0]); k++)
				if (r->cues[c].cue == content[k])
					return true;
	return false;
}

/* "starting with" that no column word and value took up ("where it
 * starts with mobile"): dropping it would answer another question. */
static bool unused_starts_with(const struct reading *r, size_t i)
{
	for (size_t c = 0; c < r->ncues; c++) {
		if (r->cues[c].cue != CUE_STARTS_WITH || r->cues[c].first != i)
			continue;
		for (size_t k = 0; k < r->nnames; k++)
			if (r->names[k].m.first == r->cues[c].last + 1 && r->names[k].qualified)
				return false;
		return true;
	}
	return false;
}

/* "sing a song about redis", "email this to finance", "print the tokens":
 * a request finq does not do, whatever bill words it holds. */
bool parse_check_offtopic(struct reading *r, struct plan *p)
{
	for (size_t i = 0; i < r->toks.n; i++) {
		if (r->role[i] != ROLE_FREE || r->toks.items[i].kind != TOK_WORD)
			continue;
		enum offtopic kind = lexicon_offtopic(&r->toks.items[i].text);
		if (kind != OFFTOPIC_NONE) {
			parse_refuse(p, lexicon_offtopic_reason(kind));
			return true;
		}
	}
	return false;
}

/* Names of the nearest things to an unknown word, for "Did you mean":
 * one pass over the vocabulary, the closest first. */
static int suggest(const struct reading *r, const struct slice *w, char (*out)[PLAN_NAME_MAX], int max)
{
	if (!r->in->vocab || w->n < 3 || max > 8)
		return 0;
	int limit = w->n >= 8 ? 3 : 2, n = 0, dist[8];
	for (size_t i = 0; i < r->in->vocab->n; i++) {
		const struct vocab_entry *e = &r->in->vocab->items[i];
		size_t pn = e->phrase_len;
		if (pn < 3)
			continue;
		int d = edit_distance(w->p, w->n, e->phrase, pn, limit);
		if (d > limit || (n == max && d >= dist[n - 1]))
			continue;
		const char *name = e->display ? e->display : e->phrase;
		bool dup = false;
		for (int k = 0; k < n; k++)
			dup |= strcmp(out[k], name) == 0;
		if (dup)
			continue;
		int at = n < max ? n++ : max - 1;
		while (at > 0 && dist[at - 1] > d) {
			dist[at] = dist[at - 1];
			memcpy(out[at], out[at - 1], PLAN_NAME_MAX);
			at--;
		}
		dist[at] = d;
		snprintf(out[at], PLAN_NAME_MAX, "%s", name);
	}
	return n;
}

/* "the ML team", "our prod project": a name from another column right
 * before a tag key names a team the tag does not have. Read as the other
 * column's value grouped by the key, it answers a question nobody asked
 * ("AI and Machine Learning by team", empty), so it is asked back with the
 * values the tag has. */
static bool foreign_value_before_tag_key(struct reading *r, struct plan *p)
{
	static const char *const determiners[] = { "the", "our", "a", "for", "of", "my", "their", "that", NULL };
	for (size_t k = 0; k < r->nnames; k++) {
		const struct name_hit *value = &r->names[k];
		if (parse_is_dimension_hit(value) || value->resource[0] || !value->reading ||
		    value->m.first == 0 || !tok_in(&r->toks, value->m.first - 1, determiners))
			continue;
		const struct name_hit *key = NULL;
		for (size_t j = 0; j < r->nnames; j++)
			if (r->names[j].m.first == value->m.last + 1 && parse_is_dimension_hit(&r->names[j]) &&
			    r->names[j].reading->col.dim == DIM_TAG && !r->names[j].plural)
				key = &r->names[j];
		if (!key)
			continue;
		const struct dim_ref *tag = &key->reading->col;
		const struct dim_ref *col = &value->reading->col;
		if (col->dim == DIM_TAG && strcmp(col->tag_key, tag->tag_key) == 0)
			continue;
		const struct token *a = &r->toks.items[value->m.first], *b = &r->toks.items[value->m.last];
		int len = (int)(b->offset + b->text.n - a->offset);
		struct strbuf msg;
		strbuf_init(&msg, 0);
		strbuf_addf(&msg, "There is no %s called '%.*s' in this bill", tag->tag_key, len, r->text + a->offset);
		int shown = 0;
		const struct vocab *v = r->in->vocab;
		for (size_t i = 0; v && i < v->n && shown < 12; i++) {
			const struct vocab_entry *e = &v->items[i];
			if (e->kind != VOCAB_VALUE || !e->from_data || e->family || e->col.dim != DIM_TAG ||
			    strcmp(e->col.tag_key, tag->tag_key) != 0)
				continue;
			strbuf_addf(&msg, "%s%s", shown ? ", " : ": its values are ", e->display ? e->display : e->phrase);
			shown++;
		}
		strbuf_addstr(&msg, ". Ask again with one of them, or without the tag.");
		p->intent = INTENT_CLARIFY;
		snprintf(p->message, sizeof(p->message), "%s", msg.buf);
		snprintf(p->clarify_word, sizeof(p->clarify_word), "%.*s", len, r->text + a->offset);
		strbuf_release(&msg);
		return true;
	}
	return false;
}

/* A content word no list or name accounts for: ask back, naming it,
 * rather than answer a question without it. */
bool parse_check_unknown(struct reading *r, struct plan *p)
{
	if (foreign_value_before_tag_key(r, p))
		return true;
	size_t unknown[8], n = 0;
	for (size_t i = 0; i < r->toks.n && n < 8; i++)
		if (unread_word(r, i) || misread_value_word(r, i) || unused_starts_with(r, i))
			unknown[n++] = i;
	if (!n)
		return false;
	const char *analysis = parse_insight_of(r, false, false, false);
	bool knowledge = analysis && strcmp(analysis, "knowledge") == 0;
	if (!parse_about_costs(r) && (!analysis || knowledge) && !parse_previous_answered(r->in->previous)) {
		/* nothing of a bill in it at all: "how do I bake sourdough",
		 * "what's the capital of Australia"; in a conversation the word
		 * is named instead ("what about bananas") */
		parse_refuse(p, "I can only answer questions about your cloud bill: costs, usage, trends and comparisons. "
			  "Try \"What did we spend last month?\" or \"Top 5 services by cost\".");
		return true;
	}
	const struct slice *first = &r->toks.items[unknown[0]].text;
	if (r->toks.items[unknown[0]].euro) {
		const struct token *t = &r->toks.items[unknown[0]];
		p->intent = INTENT_CLARIFY;
		snprintf(p->message, sizeof(p->message),
			 "Amounts are compared in the bill's own currency (US dollars in an AWS bill), and I convert "
			 "nothing: ask again with '%.*s' in dollars.",
			 (int)t->text.n, r->text + t->offset);
		return true;
	}
	struct strbuf msg;
	strbuf_init(&msg, 0);
	if (n == 1) {
		strbuf_addf(&msg, "I don't know what '%.*s' means in a bill", (int)first->n, first->p);
	} else {
		strbuf_addstr(&msg, "I don't know what ");
		for (size_t k = 0; k < n; k++) {
			const struct slice *w = &r->toks.items[unknown[k]].text;
			strbuf_addf(&msg, "%s'%.*s'", k == 0 ? "" : k == n - 1 ? " and " : ", ", (int)w->n, w->p);
		}
		strbuf_addstr(&msg, " mean in a bill");
	}
	p->intent = INTENT_CLARIFY;
	p->nchoices = suggest(r, first, p->choices, 3);
	if (p->nchoices) {
		strbuf_addstr(&msg, ". Did you mean ");
		for (int k = 0; k < p->nchoices; k++)
			strbuf_addf(&msg, "%s%s", k == 0 ? "" : k == p->nchoices - 1 ? " or " : ", ", p->choices[k]);
		strbuf_addstr(&msg, "?");
		snprintf(p->clarify_question, sizeof(p->clarify_question), "%s", r->text);
		snprintf(p->clarify_word, sizeof(p->clarify_word), "%.*s", (int)first->n, first->p);
	} else {
		strbuf_addstr(&msg, ". Please rephrase: name a service, account, region, tag or period, "
				    "or ask 'help' for what I can answer.");
	}
	snprintf(p->message, sizeof(p->message), "%s", msg.buf);
	strbuf_release(&msg);
	return true;
}

/* Does the question say anything at all ("thanks", "ok", "hi there")? */
bool parse_says_nothing(const struct reading *r)
{
	/* "list them", "name them" after a count: the things counted */
	if (parse_lists_what_was_counted(r))
		return false;
	for (size_t i = 0; i < r->toks.n; i++) {
		const struct token *t = &r->toks.items[i];
		if (t->kind == TOK_PUNCT)
			continue;
		if (r->role[i] == ROLE_FREE && t->kind == TOK_WORD && lexicon_is_function_word(&t->text))
			continue;
		if (r->role[i] == ROLE_CUE) {
			bool filler = false;
			for (size_t c = 0; c < r->ncues; c++)
				if (r->cues[c].first <= i && i <= r->cues[c].last)
					filler = r->cues[c].cue == CUE_FILLER || r->cues[c].cue == CUE_PRONOUN ||
						 r->cues[c].cue == CUE_ASK || r->cues[c].cue == CUE_WHICH ||
						 r->cues[c].cue == CUE_FOLLOWUP || r->cues[c].cue == CUE_SAME;
			if (filler)
				continue;
		}
		return false;
	}
	return true;
}

/* Words that ../shared/eval/CONVENTIONS.md reads one way whatever else
 * they could name. */
static const struct {
	const char *phrase;
	enum dimension dim;
} convention_readings[] = {
	{ "support", DIM_SERVICE }, /* "excluding support" removes the support service */
};

static bool convention_decides(struct reading *r, struct name_hit *h)
{
	for (size_t c = 0; c < sizeof(convention_readings) / sizeof(convention_readings[0]); c++) {
		if (strcmp(h->m.entries[0]->phrase, convention_readings[c].phrase) != 0)
			continue;
		for (int k = 0; k < h->m.nentries; k++)
			if (h->m.entries[k]->col.dim == convention_readings[c].dim) {
				h->reading = h->m.entries[k];
				return true;
			}
	}
	(void)r;
	return false;
}

/* Only list glue between tokens from and to (exclusive): "and", "or",
 * "vs", a comma. */
static bool coordinated(const struct reading *r, size_t from, size_t to)
{
	static const char *const glue[] = { "and", "or", "vs", "versus", "against", "&", "nor", NULL };
	if (from >= to)
		return false;
	for (size_t t = from; t < to; t++)
		if (!tok_in(&r->toks, t, glue) && !(r->toks.items[t].kind == TOK_PUNCT && r->toks.items[t].text.p[0] == ','))
			return false;
	return true;
}

/* "production vs staging": a name listed with another whose column is
 * certain is read in that column, when it can be. */
static bool sibling_decides(struct reading *r, struct name_hit *h)
{
	for (size_t k = 0; k < r->nnames; k++) {
		const struct name_hit *w = &r->names[k];
		if (w == h || w->resource[0] || !w->reading || w->reading->kind != VOCAB_VALUE || w->m.fuzzy)
			continue;
		if (!coordinated(r, w->m.last + 1, h->m.first) && !coordinated(r, h->m.last + 1, w->m.first))
			continue;
		bool certain = w->qualified;
		if (!certain) {
			certain = true;
			for (int x = 0; x < w->m.nentries; x++)
				if (w->m.entries[x]->kind == VOCAB_VALUE && !dim_ref_eq(&w->m.entries[x]->col, &w->reading->col))
					certain = false;
		}
		if (!certain)
			continue;
		for (int x = 0; x < h->m.nentries; x++)
			if (h->m.entries[x]->kind == VOCAB_VALUE && dim_ref_eq(&h->m.entries[x]->col, &w->reading->col)) {
				h->reading = h->m.entries[x];
				return true;
			}
	}
	return false;
}

/* "cost by env last month >> and staging?", "spend by account >> just
 * staging": in a conversation, the column the last answer was grouped by
 * is the one a value of it names; the answer shows its rows, and the user
 * picks one of them. */
static bool grouping_decides(struct reading *r, struct name_hit *h)
{
	const struct plan *prev = r->in->previous;
	/* only the columns whose values name owners (accounts, tags,
	 * categories): "spot" after a breakdown by usage type is still the
	 * pricing term, "tax" still the charge type */
	if (!prev || !plan_answers(prev) || prev->group.dim == DIM_NONE || !dim_info(prev->group.dim)->owner)
		return false;
	for (int x = 0; x < h->m.nentries; x++)
		if (h->m.entries[x]->kind == VOCAB_VALUE && dim_ref_eq(&h->m.entries[x]->col, &prev->group)) {
			h->reading = h->m.entries[x];
			return true;
		}
	return false;
}

/* Readings of one name that only a dimension word can tell apart: values
 * found in the data in two or more columns ("prod": an account and an env
 * tag). Asks with labelled choices unless a neighbour named the column. */
bool parse_check_ambiguity(struct reading *r, struct plan *p)
{
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *h = &r->names[i];
		if (h->resource[0] || h->qualified || h->m.fuzzy || !h->reading || h->reading->kind != VOCAB_VALUE)
			continue;
		if (convention_decides(r, h) || sibling_decides(r, h) || grouping_decides(r, h))
			continue;
		const struct vocab_entry *cols[6];
		int ncols = 0;
		bool from_data = false;
		for (int k = 0; k < h->m.nentries; k++) {
			const struct vocab_entry *e = h->m.entries[k];
			/* a family ("checkout" for checkout-*) is read only when named */
			if (e->kind != VOCAB_VALUE || !dim_info(e->col.dim)->owner || e->family)
				continue;
			from_data |= e->from_data;
			bool seen = false;
			for (int x = 0; x < ncols; x++)
				seen |= dim_ref_eq(&cols[x]->col, &e->col);
			if (!seen)
				cols[ncols++] = e;
		}
		if (ncols < 2 || !from_data)
			continue;
		char word[64];
		size_t from = r->toks.items[h->m.first].offset;
		size_t to = r->toks.items[h->m.last].offset + r->toks.items[h->m.last].text.n;
		snprintf(word, sizeof(word), "%.*s", (int)(to - from), r->text + from);
		struct strbuf msg;
		strbuf_init(&msg, 0);
		strbuf_addf(&msg, "'%s' names more than one thing in your bill. Did you mean ", word);
		p->intent = INTENT_CLARIFY;
		p->nchoices = 0;
		for (int x = 0; x < ncols && p->nchoices < 6; x++) {
			const struct dim_ref *c = &cols[x]->col;
			const char *dim = c->dim == DIM_TAG ? c->tag_key : dimension_name(c->dim);
			struct strbuf choice;
			strbuf_init(&choice, 0);
			strbuf_addf(&choice, "%s %s", word, dim);
			snprintf(p->choices[p->nchoices++], PLAN_NAME_MAX, "%s", choice.buf);
			strbuf_release(&choice);
			if (c->dim == DIM_TAG)
				strbuf_addf(&msg, "%s%s tag '%s'", x == 0 ? "" : x == ncols - 1 ? ", or " : ", ", dim,
					    cols[x]->display);
			else if (strcasecmp(word, cols[x]->display) != 0)
				strbuf_addf(&msg, "%sthe %s %s (%s)", x == 0 ? "" : x == ncols - 1 ? ", or " : ", ", word,
					    dimension_label(c), cols[x]->display);
			else
				strbuf_addf(&msg, "%sthe %s %s", x == 0 ? "" : x == ncols - 1 ? ", or " : ", ", dimension_label(c),
					    cols[x]->display);
		}
		strbuf_addstr(&msg, "?");
		snprintf(p->message, sizeof(p->message), "%s", msg.buf);
		strbuf_release(&msg);
		snprintf(p->clarify_question, sizeof(p->clarify_question), "%s", r->text);
		snprintf(p->clarify_word, sizeof(p->clarify_word), "%s", word);
		return true;
	}
	return false;
}

/* "that account", "its services", "the same team": a dimension word that
 * points at the previous answer. 1: it names the one value the previous
 * plan was about (nothing to change); -1: the previous answer had several
 * (ask which); 0: not a reference. */
static int refers_back(const struct reading *r, const struct name_hit *h)
{
	static const char *const pointers[] = { "that", "this", "its", "same", "those", "these", NULL };
	size_t i = h->m.first;
	if (i == 0 || !tok_in(&r->toks, i - 1, pointers) || !r->in->previous)
		return 0;
	const struct plan *prev = r->in->previous;
	for (int k = 0; k < prev->nfilters; k++)
		if (dim_ref_eq(&prev->filters[k].col, &h->reading->col) && prev->filters[k].op == FILTER_IN &&
		    prev->filters[k].nvalues == 1)
			return 1;
	return dim_ref_eq(&prev->group, &h->reading->col) ? -1 : 0;
}

/* A dimension word the plan does not use was dropped: "cost by team and
 * env" would be by team alone. One grouping at a time is what a plan
 * holds, so ask which. */
bool parse_check_unused_dimensions(struct reading *r, struct plan *p)
{
	if (p->intent == INTENT_INSIGHT || p->intent == INTENT_REFUSE || p->intent == INTENT_CLARIFY ||
	    p->intent == INTENT_HELP)
		return false;
	/* "drop the region filter": the column names the filter taken off */
	if (r->in->previous && parse_removes_filters(r))
		return false;
	for (size_t i = 0; i < r->nnames; i++) {
		const struct name_hit *h = &r->names[i];
		if (!parse_is_dimension_hit(h) || h->grouping || h->qualifier || h->scope ||
		    (h->excluded && h->reading->col.dim == DIM_TAG))
			continue;
		if (p->group.dim != DIM_NONE && dim_ref_eq(&p->group, &h->reading->col))
			continue;
		int ref = refers_back(r, h);
		if (ref > 0)
			continue;
		if (ref < 0 && r->in->previous_top_label && r->in->previous) {
			/* "break that team down by service" after a list of teams: the
			 * first of them, as "its" is read (followup.c) */
			char word[64];
			snprintf(word, sizeof(word), "that %s", dimension_label(&h->reading->col));
			r->refers_to_top = true;
			parse_note(r, "read '%s' as %s, the first of the last answer", word, r->in->previous_top_label);
			continue;
		}
		if (ref < 0) {
			/* "that account" when the last answer had several */
			char word[64];
			snprintf(word, sizeof(word), "%s", dimension_label(&h->reading->col));
			plan_init(p);
			p->intent = INTENT_CLARIFY;
			if (r->in->previous_top_label) {
				snprintf(p->message, sizeof(p->message),
					 "Which %s do you mean? The last answer had several; the first was %s.", word,
					 r->in->previous_top_label);
				snprintf(p->choices[0], PLAN_NAME_MAX, "%s", r->in->previous_top_label);
				p->nchoices = 1;
			} else {
				snprintf(p->message, sizeof(p->message), "Which %s do you mean? Name it, please.", word);
			}
			return true;
		}
		/* copied: a tag's label lives in the plan that plan_init wipes
		 * ("by , or by env?") */
		char used_label[64] = "";
		if (p->group.dim != DIM_NONE)
			snprintf(used_label, sizeof(used_label), "%s", dimension_label(&p->group));
		const char *used = used_label[0] ? used_label : NULL;
		char word[64];
		snprintf(word, sizeof(word), "%s", dimension_label(&h->reading->col));
		plan_init(p);
		p->intent = INTENT_CLARIFY;
		if (used) {
			snprintf(p->message, sizeof(p->message),
				 "I can break costs down by one thing at a time: by %s, or by %s?", used, word);
			snprintf(p->choices[0], PLAN_NAME_MAX, "by %s", used);
			snprintf(p->choices[1], PLAN_NAME_MAX, "by %s", word);
			p->nchoices = 2;
		} else {
			snprintf(p->message, sizeof(p->message),
				 "I'm not sure what to do with '%s' here: did you mean a breakdown by %s?", word, word);
			snprintf(p->choices[0], PLAN_NAME_MAX, "by %s", word);
			p->nchoices = 1;
		}
		return true;
	}
	return false;
}

/* The words of cue hit c as written. */
static void cue_words(const struct reading *r, size_t c, char *buf, size_t size)
{
	const struct token *a = &r->toks.items[r->cues[c].first], *b = &r->toks.items[r->cues[c].last];
	snprintf(buf, size, "%.*s", (int)(b->offset + b->text.n - a->offset), r->text + a->offset);
}

/* "net unblended cost" is the net cost: one measure, qualified. */
static bool measures_agree(enum measure a, enum measure b)
{
	return a == b || (a == MEASURE_NET && b == MEASURE_UNBLENDED) || (a == MEASURE_UNBLENDED && b == MEASURE_NET);
}

/* "net versus billed", "net and unblended": two measures set side by
 * side, not one named twice ("net unblended"): a word that compares or
 * joins stands between cues a and b. */
static bool set_against(const struct reading *r, size_t a, size_t b)
{
	for (size_t c = 0; c < r->ncues; c++)
		if (r->cues[c].first > r->cues[a].last && r->cues[c].last < r->cues[b].first &&
		    (r->cues[c].cue == CUE_VERSUS || r->cues[c].cue == CUE_COMPARE))
			return true;
	for (size_t i = r->cues[a].last + 1; i < r->cues[b].first; i++)
		if (tok_is(&r->toks, i, "and") || tok_is(&r->toks, i, "or") || tok_is(&r->toks, i, "vs") ||
		    tok_is(&r->toks, i, "versus"))
			return true;
	return false;
}

/* "on-demand priced usage cost": two measures named and nothing says
 * which one the answer is in. Picking one is a confident wrong answer
 * half the time; ask instead. */
bool parse_check_measure_conflict(struct reading *r, struct plan *p)
{
	/* "how many KMS keys were billed": a count has no measure, and
	 * "billed" there is the verb, not the unblended cost */
	if (p->intent == INTENT_COUNT)
		return false;
	size_t first = SIZE_MAX;
	for (size_t c = 0; c < r->ncues; c++) {
		const struct measure_cue *m = parse_measure_of_cue(r, c);
		if (!m)
			continue;
		if (first == SIZE_MAX) {
			first = c;
			continue;
		}
		const struct measure_cue *f = parse_measure_of_cue(r, first);
		if (f->measure == m->measure || (measures_agree(f->measure, m->measure) && !set_against(r, first, c)))
			continue;
		char a[64], b[64];
		cue_words(r, first, a, sizeof(a));
		cue_words(r, c, b, sizeof(b));
		plan_init(p);
		p->intent = INTENT_CLARIFY;
		snprintf(p->message, sizeof(p->message),
			 "You named two measures: '%s' (%s) and '%s' (%s). Which one should the answer be in? "
			 "Ask again with only one of them.",
			 a, measure_label(f->measure), b, measure_label(m->measure));
		snprintf(p->clarify_question, sizeof(p->clarify_question), "%s", r->text);
		return true;
	}
	return false;
}
