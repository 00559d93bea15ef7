/*
 * reading: the first step of parse.c: a question's tokens read as time
 * expressions (timex.c), the parser's own words (lexicon.c) and names
 * from the vocabulary (vocab.c); resource nouns, bare years, days as
 * things; each name's reading chosen (a dimension word next to a value
 * decides). Typos in our own words are spelling.c's. Pure, like all of
 * parse.
 */
#include "parse_internal.h"
#include "dims.h"
#include "date.h"
#include "lexicon.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- cue lookup ---- */

static enum cue cue_lookup(const char *phrase)
{
	return lexicon_cue(phrase);
}

size_t parse_cue_table_disorder(void)
{
	return lexicon_cue_disorder();
}

bool parse_is_reserved(const struct slice *word)
{
	char buf[64];
	if (word->n >= sizeof(buf))
		return false;
	memcpy(buf, word->p, word->n);
	buf[word->n] = '\0';
	if (cue_lookup(buf) != CUE_NONE)
		return true;
	/* plural of a cue word ("costs", "records") */
	if (word->n > 3 && buf[word->n - 1] == 's') {
		buf[word->n - 1] = '\0';
		if (cue_lookup(buf) != CUE_NONE)
			return true;
	}
	/* function words and time words are never names: not even typos of one */
	return lexicon_is_function_word(word) || lexicon_is_time_word(word);
}

/* The longest cue at token i: its length in tokens, 0 if none. */
static size_t cue_at(const struct reading *r, size_t i, enum cue *cue)
{
	char phrase[128];
	for (size_t len = 5; len >= 1; len--) {
		if (i + len > r->toks.n)
			continue;
		size_t o = 0;
		bool ok = true;
		for (size_t k = i; k < i + len && ok; k++) {
			const struct token *t = &r->toks.items[k];
			ok = r->role[k] == ROLE_FREE && (t->kind == TOK_WORD || (t->kind == TOK_PUNCT && len == 1)) &&
			     o + t->text.n + 2 < sizeof(phrase);
			if (!ok)
				break;
			/* "by wk", "per mo": an abbreviated unit is its word */
			const char *unit = lexicon_unit_abbreviation(&t->text);
			struct slice word = unit ? (struct slice){ .p = unit, .n = strlen(unit) } : t->text;
			ok = o + word.n + 2 < sizeof(phrase);
			if (!ok)
				break;
			if (o)
				phrase[o++] = ' ';
			memcpy(phrase + o, word.p, word.n);
			o += word.n;
			phrase[o] = '\0';
		}
		if (!ok)
			continue;
		*cue = cue_lookup(phrase);
		if (*cue == CUE_NONE && o > 3 && phrase[o - 1] == 's') {
			phrase[o - 1] = '\0';
			*cue = cue_lookup(phrase);
			/* "orders", "lists", "shows" are nouns, not the verbs of asking */
			if (*cue == CUE_ASK)
				*cue = CUE_NONE;
		}
		if (*cue != CUE_NONE)
			return len;
	}
	return 0;
}

/* ---- small helpers over the reading ---- */

/* A word naming a commitment: "SP", "RI", "savings", "reserved". */
bool parse_says_commitment(const struct reading *r)
{
	for (size_t i = 0; i < r->toks.n; i++)
		if (r->toks.items[i].kind == TOK_WORD && lexicon_is_commitment_word(&r->toks.items[i].text))
			return true;
	return false;
}

bool parse_has_cue(const struct reading *r, enum cue c)
{
	for (size_t i = 0; i < r->ncues; i++)
		if (r->cues[i].cue == c)
			return true;
	return false;
}

const struct cue_hit *parse_find_cue(const struct reading *r, enum cue c)
{
	for (size_t i = 0; i < r->ncues; i++)
		if (r->cues[i].cue == c)
			return &r->cues[i];
	return NULL;
}

/* The cue that ends right before token i, skipping articles. */
enum cue parse_cue_before(const struct reading *r, size_t i)
{
	for (size_t k = r->ncues; k-- > 0;) {
		if (r->cues[k].last >= i)
			continue;
		if (r->cues[k].cue == CUE_FILLER && r->cues[k].last + 1 == i) {
			i = r->cues[k].first; /* "by the account": skip "the" */
			continue;
		}
		return r->cues[k].last + 1 == i ? r->cues[k].cue : CUE_NONE;
	}
	return CUE_NONE;
}

/* A number at token i (digits or a number word); -1 if none. */
double parse_number_at(const struct reading *r, size_t i)
{
	if (i >= r->toks.n)
		return -1;
	const struct token *t = &r->toks.items[i];
	if (t->kind == TOK_NUMBER && r->role[i] == ROLE_FREE)
		return t->number;
	return t->kind == TOK_WORD ? lexicon_number_word(&t->text) : -1;
}

void parse_note(struct reading *r, const char *fmt, const char *a, const char *b)
{
	if (r->notes.len)
		strbuf_addstr(&r->notes, "; ");
	strbuf_addf(&r->notes, fmt, a, b);
}

/* Resource ids are recognised by their shape: i-0abc..., vol-..., arn:... */
static bool resource_shape(const struct token *t)
{
	static const char *const prefixes[] = { "i-", "vol-", "snap-", "nat-", "eni-", "eipalloc-", "ami-", "arn:", "db:", NULL };
	if (t->kind != TOK_WORD || t->text.n < 6)
		return false;
	for (const char *const *p = prefixes; *p; p++)
		if (t->text.n > strlen(*p) && strncmp(t->text.p, *p, strlen(*p)) == 0)
			return true;
	return false;
}

/* ---- reading the words ---- */

/* The data's own values spelled exactly as token i, as a match. */
static bool data_value_named(const struct reading *r, size_t i, struct vocab_match *m)
{
	char word[64];
	const struct token *t = &r->toks.items[i];
	if (!r->in->vocab || t->kind != TOK_WORD || t->text.n >= sizeof(word))
		return false;
	snprintf(word, sizeof(word), "%.*s", (int)t->text.n, t->text.p);
	const struct vocab_entry *found[6];
	size_t n = vocab_lookup(r->in->vocab, word, found, 6);
	memset(m, 0, sizeof(*m));
	for (size_t k = 0; k < n; k++)
		if (found[k]->kind == VOCAB_VALUE && found[k]->from_data)
			m->entries[m->nentries++] = found[k];
	m->first = m->last = i;
	return m->nentries > 0;
}

/* Is token i a value of the column the dimension word next to it names
 * ("Peak workload", "team Platform")? Fills m with that reading. */
static bool value_next_to_dimension(const struct reading *r, size_t i, struct vocab_match *m)
{
	struct vocab_match values, dim;
	if (!data_value_named(r, i, &values))
		return false;
	for (int side = -1; side <= 1; side += 2) {
		if ((side < 0 && i == 0) || (side > 0 && i + 1 >= r->toks.n))
			continue;
		size_t j = side < 0 ? i - 1 : i + 1;
		if (!vocab_match_at(r->in->vocab, &r->toks, j, NULL, false, &dim))
			continue;
		for (int k = 0; k < dim.nentries; k++)
			for (int x = 0; dim.entries[k]->kind == VOCAB_DIMENSION && x < values.nentries; x++)
				if (dim_ref_eq(&dim.entries[k]->col, &values.entries[x]->col)) {
					*m = values;
					m->entries[0] = values.entries[x];
					m->nentries = 1;
					return true;
				}
	}
	return false;
}

/* "what does X mean", "what do the charge types mean?", "what does
 * RIFee mean on the bill": "mean" ends the question, or only says where
 * ("on/in the bill/invoice/CUR"), and a "what does/do" leads it. */
static bool asks_what_it_means(const struct reading *r, size_t i)
{
	static const char *const where[] = { "on", "in", "the", "our", "my", "bill", "invoice", "cur", "report", "export",
					      "here", "exactly", "actually", NULL };
	for (size_t k = i + 1; k < r->toks.n; k++)
		if (r->toks.items[k].kind != TOK_PUNCT && !tok_in(&r->toks, k, where))
			return false;
	for (size_t k = 0; k + 1 < i; k++)
		if (tok_is(&r->toks, k, "what") && (tok_is(&r->toks, k + 1, "does") || tok_is(&r->toks, k + 1, "do")))
			return true;
	return false;
}

/* The words before a kind of charge that say whether its rows are left
 * out or kept with the rest. */
static const char *const charge_excluding[] = { "before", "pre", NULL };
static const char *const charge_including[] = { "after", "with", "including", "incl", "plus", "minus", "less", NULL };

/* How many tokens after i name a tax, credit or refund charge type
 * ("tax", "the credits"); 0 for none. */
static size_t charge_kind_after(const struct reading *r, size_t i, bool *negative)
{
	static const char *const kinds[] = { "Tax", "Credit", "Refund", NULL };
	struct vocab_match m;
	size_t at = i + 1 < r->toks.n && tok_is(&r->toks, i + 1, "the") ? i + 2 : i + 1;
	if (!r->in->vocab || at >= r->toks.n || !vocab_match_at(r->in->vocab, &r->toks, at, NULL, false, &m) ||
	    m.first != at)
		return 0;
	for (int k = 0; k < m.nentries; k++) {
		const struct vocab_entry *e = m.entries[k];
		if (e->kind != VOCAB_VALUE || e->col.dim != DIM_CHARGE_TYPE || e->nvalues != 1)
			continue;
		for (const char *const *w = kinds; *w; w++)
			if (strcmp(e->values[0], *w) == 0) {
				*negative = strcmp(*w, "Tax") != 0;
				return m.last - i;
			}
	}
	return 0;
}

/* "the growth team", "the Change account": a change word right before a
 * word for an owner dimension (a tag key, account) names a value, one the
 * data does not have (those value_next_to_dimension() took), so it is
 * left unread and finq asks about it; "by growth", "which team" are not
 * this. */
static bool change_word_names_owner(const struct reading *r, size_t i, enum cue cue)
{
	static const char *const before[] = { "by", "per", "each", "every", "which", "what", "their", "its", "in", NULL };
	struct vocab_match dim;
	if ((cue != CUE_INCREASE && cue != CUE_DECREASE && cue != CUE_CHANGE && cue != CUE_SPIKE) || i + 1 >= r->toks.n ||
	    (i > 0 && tok_in(&r->toks, i - 1, before)) || r->toks.items[i + 1].text.n < 2 ||
	    r->toks.items[i + 1].text.p[r->toks.items[i + 1].text.n - 1] == 's' ||
	    !vocab_match_at(r->in->vocab, &r->toks, i + 1, NULL, false, &dim))
		return false;
	for (int k = 0; k < dim.nentries; k++)
		if (dim.entries[k]->kind == VOCAB_DIMENSION &&
		    (dim.entries[k]->col.dim == DIM_TAG || dim.entries[k]->col.dim == DIM_ACCOUNT))
			return true;
	return false;
}

/* "Hi there, hope you're well!", "Forwarding from the CFO:", "Many
 * thanks": a clause (the words between punctuation) of greeting, thanks
 * or framing says nothing about the bill. Its words are read as filler
 * before anything else can take them ("team" in "Hi team,", "weekend" in
 * "hope you had a good weekend"). The question itself is never one. */
static void mark_courtesy(struct reading *r)
{
	size_t start = 0;
	for (size_t i = 0; i <= r->toks.n; i++) {
		const struct token *t = i < r->toks.n ? &r->toks.items[i] : NULL;
		/* clauses end at sentence punctuation and at chat decoration the
		 * lexer set apart ("@finq", an emoji, ":wave:") */
		if (t && !(t->kind == TOK_PUNCT && (strchr(",.!?:;@+", t->text.p[0]) || (unsigned char)t->text.p[0] >= 0x80)))
			continue;
		bool courtesy = !(start == 0 && i == r->toks.n), marker = false, words = false;
		for (size_t k = start; k < i && courtesy; k++) {
			const struct token *w = &r->toks.items[k];
			if (w->kind == TOK_PUNCT)
				continue;
			int c = w->kind == TOK_WORD ? lexicon_courtesy(&w->text) : 0;
			courtesy = c > 0;
			marker |= c == 2;
			words = true;
		}
		if (courtesy && marker && words && r->ncues < MAX_ITEMS) {
			for (size_t k = start; k < i; k++)
				r->role[k] = ROLE_CUE;
			r->cues[r->ncues].first = start;
			r->cues[r->ncues].last = i - 1;
			r->cues[r->ncues].cue = CUE_FILLER;
			r->ncues++;
		}
		start = i + 1;
	}
}

/* Cues in the order of their words. */
static int compare_cue_hits(const void *a, const void *b)
{
	const struct cue_hit *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* "the same month last year", "the same time last month": a cue made of
 * time words, read before the time expressions so that "last year"
 * inside it is not a period of its own. */
static void mark_year_ago_cues(struct reading *r)
{
	for (size_t i = 0; i < r->toks.n; i++) {
		enum cue cue = CUE_NONE;
		size_t len = r->role[i] == ROLE_FREE ? cue_at(r, i, &cue) : 0;
		bool period_ago = cue == CUE_YOY || cue == CUE_MOM || cue == CUE_QOQ || cue == CUE_WOW;
		if (len < 3 || !period_ago || r->ncues >= MAX_ITEMS)
			continue;
		for (size_t k = i; k < i + len; k++)
			r->role[k] = ROLE_CUE;
		r->cues[r->ncues].first = i;
		r->cues[r->ncues].last = i + len - 1;
		r->cues[r->ncues].cue = cue;
		r->ncues++;
		i += len - 1;
	}
}

/* "the end of this month", "end of this year": a time that ends a phrase
 * of ours beginning before it is the phrase's (a forecast's horizon), not
 * a period of its own (month to date). The cue table decides. */
static void drop_times_inside_cues(struct reading *r)
{
	for (size_t k = 0; k < r->ntimes;) {
		bool inside = false;
		size_t first = r->times[k].first, last = r->times[k].last;
		for (size_t start = first >= 4 ? first - 4 : 0; start < first && !inside; start++) {
			char phrase[128];
			size_t o = 0;
			bool ok = last - start < 5;
			for (size_t i = start; i <= last && ok; i++) {
				const struct token *t = &r->toks.items[i];
				ok = t->kind == TOK_WORD && (i >= first || r->role[i] == ROLE_FREE) && o + t->text.n + 2 < sizeof(phrase);
				if (!ok)
					break;
				if (o)
					phrase[o++] = ' ';
				memcpy(phrase + o, t->text.p, t->text.n);
				o += t->text.n;
				phrase[o] = '\0';
			}
			inside = ok && cue_lookup(phrase) != CUE_NONE;
		}
		if (inside) {
			memmove(&r->times[k], &r->times[k + 1], (r->ntimes - k - 1) * sizeof(r->times[0]));
			r->ntimes--;
		} else {
			k++;
		}
	}
}

/* "in Q4, the whole quarter", "October, the full month": an apposition
 * that restates the time just read belongs to it. */
static void mark_time_apposition(struct reading *r)
{
	static const char *const whole[] = { "whole", "full", "entire", NULL };
	static const char *const units[] = { "day", "week", "month", "quarter", "year", "half", NULL };
	for (size_t k = 0; k < r->ntimes; k++) {
		size_t i = r->times[k].last + 1;
		/* tok_is() and tok_in() are false past the end */
		if (i >= r->toks.n || r->toks.items[i].kind != TOK_PUNCT || r->toks.items[i].text.p[0] != ',' ||
		    !tok_is(&r->toks, i + 1, "the") || !tok_in(&r->toks, i + 2, whole) || !tok_in(&r->toks, i + 3, units))
			continue;
		for (size_t j = i + 1; j <= i + 3; j++)
			if (r->role[j] == ROLE_FREE)
				r->role[j] = ROLE_TIME;
	}
}

/* "for the period from 1 September to 15 October", "the time window
 * Nov 1-15", "date range: Q3": a word that only names the time written
 * after it belongs to that time. */
static void mark_time_framing(struct reading *r)
{
	static const char *const framing[] = { "period", "timeframe", "window", "range", "interval", NULL };
	static const char *const before[] = { "time", "date", "reporting", "billing", NULL };
	for (size_t k = 0; k < r->ntimes; k++) {
		size_t j = r->times[k].first;
		if (j == 0)
			continue;
		j--;
		const struct token *t = &r->toks.items[j];
		bool joined = (t->kind == TOK_PUNCT && t->text.p[0] == ':') || tok_is(&r->toks, j, "of");
		if (joined && j > 0)
			j--;
		if (r->role[j] != ROLE_FREE || !tok_in(&r->toks, j, framing))
			continue;
		size_t from = j > 0 && r->role[j - 1] == ROLE_FREE && tok_in(&r->toks, j - 1, before) ? j - 1 : j;
		/* "per billing period this year": a grain, read as a cue */
		static const char *const grain[] = { "by", "per", "each", "every", NULL };
		if (from > 0 && tok_in(&r->toks, from - 1, grain))
			continue;
		for (size_t i = from; i < r->times[k].first; i++)
			r->role[i] = ROLE_TIME;
	}
}

static void read_tokens(struct reading *r)
{
	mark_courtesy(r);
	mark_year_ago_cues(r);
	size_t courtesy_cues = r->ncues;
	r->ntimes = timex_find(&r->toks, r->in->today, r->times, 8);
	/* no time inside a courtesy clause ("a good weekend") */
	for (size_t k = 0; k < r->ntimes;) {
		bool inside = false;
		for (size_t i = r->times[k].first; i <= r->times[k].last; i++)
			inside |= r->role[i] == ROLE_CUE;
		if (inside) {
			memmove(&r->times[k], &r->times[k + 1], (r->ntimes - k - 1) * sizeof(r->times[0]));
			r->ntimes--;
		} else {
			k++;
		}
	}
	drop_times_inside_cues(r);
	for (size_t k = 0; k < r->ntimes; k++)
		for (size_t i = r->times[k].first; i <= r->times[k].last; i++)
			r->role[i] = ROLE_TIME;
	mark_time_framing(r);
	mark_time_apposition(r);

	for (size_t i = 0; i < r->toks.n;) {
		if (r->role[i] != ROLE_FREE) {
			i++;
			continue;
		}
		enum cue cue = CUE_NONE;
		size_t cue_len = cue_at(r, i, &cue);
		/* "order by cost desc limit 3": SQL's LIMIT before a number is a
		 * top N; "our spending limit" stays unread */
		if (!cue_len && tok_is(&r->toks, i, "limit") && i + 1 < r->toks.n &&
		    r->toks.items[i + 1].kind == TOK_NUMBER && !r->toks.items[i + 1].money) {
			cue = CUE_TOP;
			cue_len = 1;
		}
		struct vocab_match m;
		bool named = r->in->vocab && vocab_match_at(r->in->vocab, &r->toks, i, parse_is_reserved, r->fuzzy_names, &m);
		/* the names must not reach into time words */
		if (named)
			for (size_t k = m.first; k <= m.last; k++)
				if (r->role[k] != ROLE_FREE)
					named = false;
		size_t name_len = named ? m.last - m.first + 1 : 0;
		if (resource_shape(&r->toks.items[i]) && r->nnames < MAX_ITEMS) {
			struct name_hit *h = &r->names[r->nnames++];
			memset(h, 0, sizeof(*h));
			h->m.first = h->m.last = i;
			/* ids keep the case the user typed */
			size_t off = r->toks.items[i].offset, n = r->toks.items[i].text.n;
			snprintf(h->resource, sizeof(h->resource), "%.*s", (int)n, r->text + off);
			r->role[i] = ROLE_NAME;
			i++;
			continue;
		}
		/* "Peak workload", "Sales department": one of our words that the
		 * data also has as a value of the column named next to it is
		 * that value; so is a not-billing word the data has ("Sales") */
		/* (into a match of its own: a failed lookup clears it, and m may
		 * hold the longer name already found, "sales tax") */
		struct vocab_match one;
		if (cue_len == 1 && (value_next_to_dimension(r, i, &one) ||
				     (cue == CUE_NOT_BILLING && data_value_named(r, i, &one)))) {
			m = one;
			named = true;
			name_len = 1;
			cue_len = 0;
		}
		/* "what does DiscountedUsage mean": a definition, not an average */
		if (cue == CUE_AVERAGE && (tok_is(&r->toks, i, "mean") || tok_is(&r->toks, i, "means")) &&
		    asks_what_it_means(r, i))
			cue = CUE_EXPLAIN;
		/* "spend before tax", "costs before credits": without those rows;
		 * "after tax", "with tax", "minus credits", "including refunds":
		 * the whole, those rows included, not only them */
		/* "minus tax" leaves the tax out; "minus credits" takes the
		 * credits off, which the whole already does */
		bool negative = false;
		size_t charge_len = tok_in(&r->toks, i, charge_excluding) || tok_in(&r->toks, i, charge_including)
					    ? charge_kind_after(r, i, &negative)
					    : 0; /* a vocabulary lookup only after one of those words */
		bool subtracts = tok_is(&r->toks, i, "minus") || tok_is(&r->toks, i, "less");
		if (charge_len && (tok_in(&r->toks, i, charge_excluding) || (subtracts && !negative))) {
			cue = CUE_EXCLUDE;
			cue_len = 1;
			named = false;
		} else if (charge_len && tok_in(&r->toks, i, charge_including)) {
			if (r->ncues < MAX_ITEMS) {
				r->cues[r->ncues].first = i;
				r->cues[r->ncues].last = i + charge_len;
				r->cues[r->ncues].cue = CUE_FILLER;
				r->ncues++;
			}
			for (size_t k = i; k <= i + charge_len; k++)
				r->role[k] = ROLE_CUE;
			i += charge_len + 1;
			continue;
		}
		/* "cost per hour", "by the hour": the data is daily; "hour" is
		 * left unread so that finq says it does not know it here,
		 * instead of answering EC2 hours */
		if (cue == CUE_UNIT_HOURS && i > 0 && tok_is(&r->toks, i, "hour") &&
		    (tok_is(&r->toks, i - 1, "per") || tok_is(&r->toks, i - 1, "an") || tok_is(&r->toks, i - 1, "each") ||
		     tok_is(&r->toks, i - 1, "every") || (tok_is(&r->toks, i - 1, "the") && i > 1 && tok_is(&r->toks, i - 2, "by")))) {
			i++;
			continue;
		}
		/* "the services more expensive of October", "the three regions
		 * with more costs": a comparative with no "than" anywhere ranks */
		if (!cue_len && !named && tok_is(&r->toks, i, "more") && i + 1 < r->toks.n &&
		    (tok_is(&r->toks, i + 1, "expensive") || tok_is(&r->toks, i + 1, "costly") ||
		     tok_is(&r->toks, i + 1, "costs") || tok_is(&r->toks, i + 1, "cost") || tok_is(&r->toks, i + 1, "spend"))) {
			bool than = false;
			for (size_t k = i + 1; k < r->toks.n; k++)
				than |= tok_is(&r->toks, k, "than");
			if (!than) {
				cue = CUE_MOST;
				cue_len = 1;
			}
		}
		/* "spent more in November than in October", "which teams spent
		 * less in Q3 than in Q2": a change between the two periods */
		if (!cue_len && !named && r->ntimes >= 2 &&
		    (tok_is(&r->toks, i, "more") || tok_is(&r->toks, i, "less") || tok_is(&r->toks, i, "fewer"))) {
			bool than = false;
			for (size_t k = i + 1; k < r->toks.n && k < r->times[r->ntimes - 1].first; k++)
				than |= tok_is(&r->toks, k, "than");
			if (than) {
				cue = tok_is(&r->toks, i, "more") ? CUE_INCREASE : CUE_DECREASE;
				cue_len = 1;
			}
		}
		if (cue_len == 1 && !named && r->in->vocab && change_word_names_owner(r, i, cue)) {
			i++; /* unread: asked about */
			continue;
		}
		if (cue_len && cue_len >= name_len) {
			if (r->ncues < MAX_ITEMS) {
				r->cues[r->ncues].first = i;
				r->cues[r->ncues].last = i + cue_len - 1;
				r->cues[r->ncues].cue = cue;
				r->ncues++;
			}
			for (size_t k = i; k < i + cue_len; k++)
				r->role[k] = ROLE_CUE;
			i += cue_len;
		} else if (named) {
			if (r->nnames < MAX_ITEMS) {
				struct name_hit *h = &r->names[r->nnames++];
				memset(h, 0, sizeof(*h));
				h->m = m;
				const struct token *lastword = &r->toks.items[m.last];
				h->plural = lastword->text.n > 2 && lastword->text.p[lastword->text.n - 1] == 's' &&
					    m.entries[0]->phrase[strlen(m.entries[0]->phrase) - 1] != 's';
			}
			for (size_t k = m.first; k <= m.last; k++)
				r->role[k] = ROLE_NAME;
			i = m.last + 1;
		} else {
			i++;
		}
	}
	if (courtesy_cues)
		sort_array(r->cues, r->ncues, sizeof(r->cues[0]), compare_cue_hits);
}

/* Does token i follow "how many" ("how many tables", "how many KMS keys")? */
static bool after_how_many(const struct reading *r, size_t i)
{
	return i >= 2 && tok_is(&r->toks, i - 2, "how") && tok_is(&r->toks, i - 1, "many");
}

/* Nouns that name a service's resources ("S3 buckets", "Lambda
 * functions"), told apart from the words they share with cues and
 * synonyms ("tables", "databases"). */
static void mark_resource_nouns(struct reading *r)
{
	for (size_t i = 1; i < r->toks.n; i++) {
		/* "DynamoDB tables", "how many tables": a service's tables, not a table to show */
		bool counted = after_how_many(r, i);
		if (!tok_is(&r->toks, i, "tables") || (r->role[i - 1] != ROLE_NAME && !counted))
			continue;
		for (size_t c = 0; c < r->ncues; c++)
			if (r->cues[c].first == i && r->cues[c].cue == CUE_CHART_TABLE)
				r->cues[c].cue = CUE_FILLER;
		r->role[i] = ROLE_FREE;
	}
	/* "RDS databases": after a service's name, a noun that a synonym
	 * also claims ("database": the Databases category) is the service's
	 * resources */
	for (size_t k = 0; k < r->nnames; k++) {
		struct name_hit *h = &r->names[k];
		size_t i = h->m.first;
		/* "how many databases": things counted, not the category */
		bool counted = after_how_many(r, i);
		if (h->resource[0] || h->m.first != h->m.last || i == 0 || (r->role[i - 1] != ROLE_NAME && !counted) ||
		    !lexicon_resource_noun(&r->toks.items[i].text) ||
		    (h->m.entries[0]->from_data && h->m.entries[0]->col.dim != DIM_CATEGORY))
			continue;
		bool after_service = false;
		for (size_t x = 0; x < r->nnames; x++)
			after_service |= r->names[x].m.last + 1 == i && !r->names[x].resource[0] &&
					 r->names[x].m.entries[0]->kind == VOCAB_VALUE &&
					 r->names[x].m.entries[0]->col.dim == DIM_SERVICE;
		if (!after_service && !counted)
			continue;
		memmove(h, h + 1, (r->nnames - k - 1) * sizeof(*h));
		r->nnames--;
		r->role[i] = ROLE_FREE;
		k--;
	}
	/* "how many KMS keys": a two-word name ending in a plural resource
	 * noun after "how many" (the usage type KMS-Keys) is the service and
	 * the things counted */
	for (size_t k = 0; k < r->nnames; k++) {
		struct name_hit *h = &r->names[k];
		size_t last = h->m.last;
		const struct slice *w = &r->toks.items[last].text;
		struct vocab_match one;
		if (h->resource[0] || last != h->m.first + 1 || w->p[w->n - 1] != 's' || !lexicon_resource_noun(w) ||
		    !after_how_many(r, h->m.first) || !data_value_named(r, h->m.first, &one))
			continue;
		int service = -1;
		for (int x = 0; x < one.nentries && service < 0; x++)
			if (one.entries[x]->col.dim == DIM_SERVICE)
				service = x;
		if (service < 0)
			continue;
		one.entries[0] = one.entries[service];
		one.nentries = 1;
		h->m = one;
		r->role[last] = ROLE_FREE;
	}
	for (size_t i = 0; i < r->toks.n && r->nnouns < 4; i++) {
		const struct resource_noun *noun;
		if (r->role[i] != ROLE_FREE || r->toks.items[i].kind != TOK_WORD ||
		    !(noun = lexicon_resource_noun(&r->toks.items[i].text)))
			continue;
		if (noun->after_service) {
			bool named = false;
			for (size_t k = 0; k < r->nnames; k++)
				for (int x = 0; r->names[k].m.last + 1 == i && !r->names[k].resource[0] &&
						x < r->names[k].m.nentries; x++) {
					const struct vocab_entry *e = r->names[k].m.entries[x];
					named |= e->col.dim == DIM_SERVICE && e->nvalues == 1 &&
						 (!noun->service || strcmp(e->values[0], noun->service) == 0);
				}
			if (!named)
				continue;
		}
		r->role[i] = ROLE_CUE;
		r->nouns[r->nnouns].tok = i;
		r->nouns[r->nnouns].noun = noun;
		r->nnouns++;
	}
}

/* "2024 total spend", "what did 2018 cost us": a bare year is that
 * calendar year, unless the number is an amount ("over 2000", "top 2025"). */
static void mark_bare_years(struct reading *r)
{
	for (size_t i = 0; i < r->toks.n && r->ntimes < 8; i++) {
		const struct token *t = &r->toks.items[i];
		if (r->role[i] != ROLE_FREE || t->kind != TOK_NUMBER || t->money || t->percent || t->ordinal ||
		    t->text.n != 4 || t->number < 1990 || t->number > 2100 || t->number != floor(t->number))
			continue;
		bool amount = false;
		for (size_t c = 0; c < r->ncues; c++)
			if (r->cues[c].last + 1 == i &&
			    (r->cues[c].cue == CUE_MORE_THAN || r->cues[c].cue == CUE_LESS_THAN || r->cues[c].cue == CUE_TOP ||
			     r->cues[c].cue == CUE_BOTTOM))
				amount = true;
		if (amount)
			continue;
		struct time_mention tm;
		memset(&tm, 0, sizeof(tm));
		tm.first = tm.last = i;
		tm.period.start_day = date_from_ymd((int)t->number, 1, 1);
		tm.period.end_day = date_from_ymd((int)t->number + 1, 1, 1);
		tm.period.unit = UNIT_YEAR;
		tm.period.count = 1;
		snprintf(tm.period.label, sizeof(tm.period.label), "%d", (int)t->number);
		/* keep the mentions in the order of the question */
		size_t at = r->ntimes;
		while (at > 0 && r->times[at - 1].first > i) {
			r->times[at] = r->times[at - 1];
			at--;
		}
		r->times[at] = tm;
		r->ntimes++;
		r->role[i] = ROLE_TIME;
	}
}

/* "Q4 so far", "2025 to date": a period that has begun and not ended ends
 * today ("the year so far" is read whole by timex). */
static void read_to_date(struct reading *r)
{
	if (!parse_has_cue(r, CUE_TO_DATE))
		return;
	int today = r->in->today;
	for (size_t k = 0; k < r->ntimes; k++) {
		struct period *p = &r->times[k].period;
		if (p->start_day > today || p->end_day <= today + 1)
			continue;
		p->end_day = today + 1;
		size_t n = strlen(p->label);
		if (!strstr(p->label, "to date") && n + 9 < sizeof(p->label))
			snprintf(p->label + n, sizeof(p->label) - n, " to date");
	}
}

/* "which day was the highest", "days in October when DynamoDB went above
 * $5", "the peak month", "top 3 days": a unit of time named as the things
 * asked about, ranked or filtered, not as a period. */
static void mark_time_nouns(struct reading *r)
{
	static const struct {
		const char *word;
		enum grain grain;
	} nouns[] = {
		{ "day", GRAIN_DAY }, { "days", GRAIN_DAY }, { "week", GRAIN_WEEK }, { "weeks", GRAIN_WEEK },
		{ "month", GRAIN_MONTH }, { "months", GRAIN_MONTH },
	};
	bool ranked_or_filtered = parse_has_cue(r, CUE_WHICH) || parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_LEAST) ||
				  parse_has_cue(r, CUE_TOP) || parse_has_cue(r, CUE_BOTTOM) || parse_has_cue(r, CUE_MORE_THAN) ||
				  parse_has_cue(r, CUE_LESS_THAN);
	/* "the cost of the month", "spend in the month": a singular unit
	 * after "of the", "in the", "for the" is the period, not the things
	 * ranked ("which month", "the peak month" are) */
	static const char *const period_prepositions[] = { "of", "in", "for", "during", "over", NULL };
	for (size_t i = 0; i < r->toks.n && ranked_or_filtered; i++) {
		if (r->role[i] != ROLE_FREE)
			continue;
		const struct slice *w = &r->toks.items[i].text;
		bool singular = w->n > 0 && w->p[w->n - 1] != 's';
		if (singular && i >= 2 && tok_is(&r->toks, i - 1, "the") && tok_in(&r->toks, i - 2, period_prepositions))
			continue;
		for (size_t k = 0; k < sizeof(nouns) / sizeof(nouns[0]); k++)
			if (tok_is(&r->toks, i, nouns[k].word)) {
				r->role[i] = ROLE_CUE;
				r->time_noun = nouns[k].grain;
			}
	}
}

/* "the next 6 months", "the coming two quarters": the number and the
 * unit after "next" are a forecast's horizon, read by parse_forecast_months(). */
static void mark_horizon_units(struct reading *r)
{
	static const char *const units[] = { "month", "months", "quarter", "quarters", "year", "years",
		"week", "weeks", "day", "days", NULL };
	for (size_t c = 0; c < r->ncues; c++) {
		size_t n = r->cues[c].last + 1;
		if (r->cues[c].cue != CUE_NEXT || n + 1 >= r->toks.n || parse_number_at(r, n) < 1 ||
		    !tok_in(&r->toks, n + 1, units) || r->role[n + 1] != ROLE_FREE)
			continue;
		r->role[n + 1] = ROLE_CUE; /* the number stays free: parse_number_at() reads it */
	}
}

bool parse_is_dimension_hit(const struct name_hit *h)
{
	return !h->resource[0] && h->reading && h->reading->kind == VOCAB_DIMENSION;
}

static bool is_key_value_sign(const struct token *t)
{
	/* "team=payments", "env: production", "region != us-east-1" (the cue excludes) */
	return t->kind == TOK_PUNCT && (t->text.p[0] == '=' || t->text.p[0] == ':' ||
					(t->text.n == 2 && (t->text.p[0] == '!' || t->text.p[0] == '<')));
}

/* Read v as a value of the column the dimension word d names, if it can be. */
static bool qualify(struct name_hit *v, const struct name_hit *d)
{
	for (int x = 0; x < v->m.nentries; x++) {
		const struct vocab_entry *e = v->m.entries[x];
		if (e->kind == VOCAB_VALUE && dim_ref_eq(&e->col, &d->reading->col)) {
			v->reading = e;
			v->qualified = true;
			return true;
		}
	}
	return false;
}

/* Read v as the family of values ("search" for search-api, search-web)
 * in the column d names; else as its value there. */
static bool qualify_family(struct name_hit *v, const struct name_hit *d)
{
	for (int x = 0; x < v->m.nentries; x++) {
		const struct vocab_entry *e = v->m.entries[x];
		if (e->family && dim_ref_eq(&e->col, &d->reading->col)) {
			v->reading = e;
			v->qualified = true;
			return true;
		}
	}
	return qualify(v, d);
}

/* Do tokens [from, to) hold a "starting with" cue, after "that" or
 * "whose names" ("projects that start with mobile")? */
static bool starts_with_between(const struct reading *r, size_t from, size_t to)
{
	static const char *const relative[] = { "that", "which", "whose", "name", "names", NULL };
	while (from < to && tok_in(&r->toks, from, relative))
		from++;
	for (size_t c = 0; c < r->ncues; c++)
		if (r->cues[c].cue == CUE_STARTS_WITH && r->cues[c].first == from && r->cues[c].last + 1 == to)
			return true;
	return false;
}

/* The name before cur in a list ("dev and sandbox", "EC2, S3 or RDS"). */
static struct name_hit *list_item_before(struct reading *r, const struct name_hit *cur)
{
	for (size_t k = 0; k < r->nnames; k++) {
		struct name_hit *w = &r->names[k];
		if (w->m.last >= cur->m.first || w->resource[0])
			continue;
		size_t from = w->m.last + 1, to = cur->m.first;
		bool glue = from < to;
		for (size_t t = from; t < to && glue; t++)
			glue = tok_is(&r->toks, t, "and") || tok_is(&r->toks, t, "or") ||
			       (r->toks.items[t].kind == TOK_PUNCT && r->toks.items[t].text.p[0] == ',');
		if (glue)
			return w;
	}
	return NULL;
}

/* Choose each name's reading: a neighbouring dimension word decides ("the
 * prod account", "team payments"); else the data's own value of the most
 * usual dimension. A typo with several equally close names asks. */
int parse_choose_readings(struct reading *r, struct plan *p)
{
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *h = &r->names[i];
		if (h->resource[0])
			continue;
		const struct vocab_match *m = &h->m;
		if (m->fuzzy && m->nentries > 1) {
			/* distinct values among the candidates? */
			bool distinct = false;
			/* one word in several columns ("stagging": an account and an env
			 * value) is for the dimension word next to it, or asks later */
			for (int k = 1; k < m->nentries; k++)
				distinct |= strcmp(m->entries[k]->display, m->entries[0]->display) != 0 &&
					    strcmp(m->entries[k]->phrase, m->entries[0]->phrase) != 0;
			if (distinct) {
				char word[64];
				snprintf(word, sizeof(word), "%.*s", (int)r->toks.items[m->first].text.n, r->toks.items[m->first].text.p);
				p->intent = INTENT_CLARIFY;
				p->nchoices = 0;
				struct strbuf msg;
				strbuf_init(&msg, 0);
				strbuf_addf(&msg, "I don't know '%s'. Did you mean ", word);
				for (int k = 0; k < m->nentries && p->nchoices < 6; k++) {
					snprintf(p->choices[p->nchoices++], PLAN_NAME_MAX, "%s", m->entries[k]->display);
					strbuf_addf(&msg, "%s%s", k == 0 ? "" : k == m->nentries - 1 ? " or " : ", ", m->entries[k]->display);
				}
				strbuf_addstr(&msg, "?");
				snprintf(p->message, sizeof(p->message), "%s", msg.buf);
				strbuf_release(&msg);
				snprintf(p->clarify_question, sizeof(p->clarify_question), "%s", r->text);
				snprintf(p->clarify_word, sizeof(p->clarify_word), "%s", word);
				return -1;
			}
		}
		/* default: the first value reading by dimension priority, data first */
		const struct vocab_entry *best = NULL;
		for (int k = 0; k < m->nentries; k++) {
			const struct vocab_entry *e = m->entries[k];
			/* a family ("checkout" for checkout-*) only where nothing else reads the word */
			if (best && e->family && !best->family)
				continue;
			if (!best || (best->family && !e->family) ||
			    (e->kind == VOCAB_DIMENSION && best->kind != VOCAB_DIMENSION) ||
			    (e->kind == best->kind && e->from_data == best->from_data &&
			     dim_info(e->col.dim)->reading_rank < dim_info(best->col.dim)->reading_rank))
				best = e;
		}
		/* a unit of the data ("GB-seconds") is usage in it, not the
		 * usage type that carries the same words */
		for (int k = 0; best && best->kind == VOCAB_VALUE && k < m->nentries; k++)
			if (m->entries[k]->kind == VOCAB_UNIT)
				best = m->entries[k];
		h->reading = best;
		if (m->fuzzy) {
			/* the words as written, all of them ("instnace type") */
			const struct token *a = &r->toks.items[m->first], *b = &r->toks.items[m->last];
			char word[96];
			snprintf(word, sizeof(word), "%.*s", (int)(b->offset + b->text.n - a->offset), r->text + a->offset);
			parse_note(r, "read '%s' as %s", word,
				   best->kind == VOCAB_DIMENSION ? dimension_label(&best->col) : best->display);
		}
	}
	/* a dimension word next to a value names its column */
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *d = &r->names[i];
		if (!parse_is_dimension_hit(d))
			continue;
		for (size_t k = 0; k < r->nnames; k++) {
			struct name_hit *v = &r->names[k];
			if (k == i || v->resource[0] || v->qualifier || !v->reading)
				continue;
			bool adjacent = v->m.last + 1 == d->m.first || d->m.last + 1 == v->m.first ||
					/* "team=payments", "env: production", "where the charge category is Tax" */
					(d->m.last + 2 == v->m.first && (is_key_value_sign(&r->toks.items[d->m.last + 1]) ||
									 tok_is(&r->toks, d->m.last + 1, "is") ||
									 tok_is(&r->toks, d->m.last + 1, "equals") ||
									 /* "the team of mobile", "the account of staging" */
									 tok_is(&r->toks, d->m.last + 1, "of")));
			/* "every account except prod": the column of what is excepted,
			 * while the word keeps its own role */
			bool excepted = !adjacent && d->m.last + 2 == v->m.first &&
					(tok_is(&r->toks, d->m.last + 1, "except") || tok_is(&r->toks, d->m.last + 1, "excluding"));
			/* "projects starting with search": the family of values (a prefix) */
			bool starting = !adjacent && starts_with_between(r, d->m.last + 1, v->m.first);
			if (!adjacent && !excepted && !starting)
				continue;
			if (starting ? !qualify_family(v, d) : !qualify(v, d))
				continue;
			if (excepted || starting)
				break;
			d->qualifier = true;
			/* "the dev and sandbox accounts": the word qualifies the list it ends */
			for (struct name_hit *cur = v; cur && v->m.last < d->m.first;) {
				struct name_hit *prev = list_item_before(r, cur);
				cur = prev && qualify(prev, d) ? prev : NULL;
			}
			break;
		}
	}
	return 0;
}

/* "not tagged with a team", "untagged with any project": the key is
 * missing (as "without a team tag"), not "no tags at all". */
static void mark_untagged_keys(struct reading *r)
{
	static const char *const glue[] = { "with", "a", "an", "any", NULL };
	for (size_t c = 0; c < r->ncues; c++) {
		if (r->cues[c].cue != CUE_UNTAGGED)
			continue;
		size_t t = r->cues[c].last + 1;
		while (t < r->toks.n && tok_in(&r->toks, t, glue))
			t++;
		if (t == r->cues[c].last + 1)
			continue;
		for (size_t k = 0; k < r->nnames; k++) {
			struct name_hit *h = &r->names[k];
			if (h->m.first == t && parse_is_dimension_hit(h) && h->reading->col.dim == DIM_TAG) {
				h->excluded = true;
				r->cues[c].cue = CUE_FILLER;
			}
		}
	}
}

/* "excluding taxes and credits": the exclusion runs over a list. */
void parse_mark_exclusions(struct reading *r)
{
	mark_untagged_keys(r);
	for (size_t c = 0; c < r->ncues; c++) {
		if (r->cues[c].cue != CUE_EXCLUDE)
			continue;
		/* "taxes excluded", "credits and refunds left out": the names just
		 * before the participle */
		static const char *const after_names[] = { "excluded", "omitted", "excepted", "included", NULL };
		bool post = tok_in(&r->toks, r->cues[c].last, after_names) ||
			    (tok_is(&r->toks, r->cues[c].first, "left") && tok_is(&r->toks, r->cues[c].last, "out"));
		if (post) {
			size_t at = r->cues[c].first;
			for (size_t k = r->nnames; k-- > 0;) {
				struct name_hit *h = &r->names[k];
				if (h->m.last >= at)
					continue;
				bool glue = true;
				for (size_t t = h->m.last + 1; t < at && glue; t++)
					glue = (r->toks.items[t].kind == TOK_PUNCT && r->toks.items[t].text.p[0] == ',') ||
					       tok_is(&r->toks, t, "and") || tok_is(&r->toks, t, "or") ||
					       tok_is(&r->toks, t, "are") || tok_is(&r->toks, t, "is");
				if (!glue)
					break;
				h->excluded = true;
				at = h->m.first;
			}
			continue;
		}
		size_t next = r->cues[c].last + 1;
		for (size_t k = 0; k < r->nnames; k++) {
			struct name_hit *h = &r->names[k];
			if (h->m.first < next)
				continue;
			/* only list glue between the exclusion and the name */
			bool glue = true;
			for (size_t t = next; t < h->m.first && glue; t++) {
				const struct token *tok = &r->toks.items[t];
				glue = (tok->kind == TOK_PUNCT && (tok->text.p[0] == ',' || (tok->text.p[0] == '.' && t == next))) ||
				       tok_is(&r->toks, t, "and") ||
				       tok_is(&r->toks, t, "or") || tok_is(&r->toks, t, "the") || tok_is(&r->toks, t, "a") ||
				       tok_is(&r->toks, t, "an") || tok_is(&r->toks, t, "any") || tok_is(&r->toks, t, "nor") ||
				       tok_is(&r->toks, t, "in") || tok_is(&r->toks, t, "for") || tok_is(&r->toks, t, "on") ||
				       tok_is(&r->toks, t, "from");
			}
			if (!glue)
				break;
			h->excluded = true;
			next = h->m.last + 1;
		}
	}
}

bool parse_has_any_cue(const struct reading *r, const enum cue *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (parse_has_cue(r, list[i]))
			return true;
	return false;
}

/* Commentary around a question, said in a meeting rather than asked:
 * "daily cost for two weeks so we can eyeball it", "by category, a pie
 * is fine", "what drove September, people will ask", "for the deck, the
 * top 3 services". A clause is commentary when it opens or closes with
 * one of these phrases (or is "for"/"before" ... a meeting's name) and
 * names nothing and no time: its unread words are then fillers. A clause
 * with a name or a time is a request ("so we can compare it with
 * October"), and one without these phrases stays unread ("in euros"). */
static const char *const commentary_openers[] = {
	"as we", "because", "before i", "before we", "for my slide", "for the board", "for the close", "for the deck",
	"for the meeting", "for the review", "for the slide", "i assume", "i guess", "i know", "i suspect", "i think",
	"in case", "just so", "people will", "so i can", "so that", "so they can", "so we can", "we shipped", NULL,
};
static const char *const commentary_closers[] = {
	"are fine", "for now", "is enough", "is fine", "people will ask", "will ask", "will do", "would be great",
	"would be nice", "would help", NULL,
};
static const char *const meeting_names[] = {
	"board", "close", "deck", "meeting", "memo", "presentation", "recap", "retro", "review", "roadmap", "slide", "slides",
	"standup", NULL,
};

/* A cue that says how to show an answer, not what to answer. */
static bool shapes_the_answer(enum cue c)
{
	static const enum cue shapes[] = {
		CUE_CHART_PIE, CUE_CHART_DOUGHNUT, CUE_CHART_BAR, CUE_CHART_HBAR, CUE_CHART_LINE, CUE_CHART_AREA,
		CUE_CHART_TABLE, CUE_COMPARE, CUE_EACH, CUE_SHARE, CUE_ASK, CUE_FILLER, CUE_PRONOUN,
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (shapes[i] == c)
			return true;
	return false;
}

/* Does the phrase (words separated by single spaces) start at token i? */
static size_t phrase_at_token(const struct reading *r, size_t i, const char *phrase)
{
	size_t k = i;
	while (*phrase) {
		size_t n = strcspn(phrase, " ");
		if (k >= r->toks.n || r->toks.items[k].kind != TOK_WORD || r->toks.items[k].text.n != n ||
		    strncmp(r->toks.items[k].text.p, phrase, n) != 0)
			return 0;
		k++;
		phrase += n;
		while (*phrase == ' ')
			phrase++;
	}
	return k - i;
}

static void mark_commentary(struct reading *r)
{
	size_t start = 0;
	for (size_t i = 0; i <= r->toks.n; i++) {
		const struct token *t = i < r->toks.n ? &r->toks.items[i] : NULL;
		/* a clause ends at punctuation; an opener starts one mid-sentence */
		size_t opener = 0;
		for (const char *const *o = commentary_openers; t && *o && !opener && i > start; o++)
			opener = phrase_at_token(r, i, *o);
		bool punct = t && t->kind == TOK_PUNCT && strchr(",.!?;", t->text.p[0]);
		if (t && !punct && !opener)
			continue;
		size_t end = i; /* the clause is [start, end) */
		if (end > start && !(start == 0 && end == r->toks.n)) {
			bool opens = false, closes = false, meeting = false, content = false;
			size_t closer_words = 0;
			for (const char *const *o = commentary_openers; *o && !opens; o++)
				opens = phrase_at_token(r, start, *o) > 0;
			for (const char *const *c = commentary_closers; *c && !closes; c++) {
				size_t words = 1;
				for (const char *q = *c; *q; q++)
					words += *q == ' ';
				closes = end >= start + words && phrase_at_token(r, end - words, *c) == words;
				closer_words = closes ? words : 0;
			}
			meeting = (tok_is(&r->toks, start, "for") || tok_is(&r->toks, start, "before")) &&
				  tok_in(&r->toks, end - 1, meeting_names);
			for (size_t k = start; k < end; k++)
				content |= r->role[k] == ROLE_NAME || r->role[k] == ROLE_TIME;
			if ((opens || closes || meeting) && !content && r->ncues < MAX_ITEMS) {
				/* its words ask for nothing ("I know most of it will be
				 * none" is no forecast, no ranking), but how to show
				 * the answer ("a pie is fine", "one line each") */
				for (size_t c = 0; c < r->ncues; c++)
					if (r->cues[c].first >= start && r->cues[c].first < end && !shapes_the_answer(r->cues[c].cue))
						r->cues[c].cue = CUE_FILLER;
				/* an opener's clause is commentary whole; a closer ("in
				 * euros is fine") or a meeting's name is only itself:
				 * the clause's other words still ask for something */
				bool marked = false;
				for (size_t k = start; k < end; k++) {
					bool mine = opens || (closes && k >= end - closer_words) ||
						    (meeting && tok_in(&r->toks, k, meeting_names));
					if (mine && r->role[k] == ROLE_FREE && r->toks.items[k].kind == TOK_WORD) {
						r->role[k] = ROLE_CUE;
						marked = true;
					}
				}
				if (marked) {
					r->cues[r->ncues].first = start;
					r->cues[r->ncues].last = start;
					r->cues[r->ncues].cue = CUE_FILLER;
					r->ncues++;
				}
			}
		}
		start = punct ? i + 1 : i;
	}
}

/* ---- small helpers used across the parser ---- */

bool parse_previous_answered(const struct plan *prev)
{
	return prev && plan_answers(prev);
}

void reading_start(struct reading *r, const struct parse_input *in, const char *text, bool fuzzy_names)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->text = text;
	r->fuzzy_names = fuzzy_names;
	r->counted = SIZE_MAX;
	r->count_previous = false;
	strbuf_init(&r->notes, 0);
	lex(text, &r->toks);
	r->role = calloc(r->toks.n + 1, sizeof(*r->role));
	read_tokens(r);
	mark_horizon_units(r);
	mark_bare_years(r);
	read_to_date(r);
	mark_time_nouns(r);
	mark_resource_nouns(r);
	mark_commentary(r);
}

void reading_release(struct reading *r)
{
	strbuf_release(&r->notes);
	free(r->role);
	token_list_release(&r->toks);
}
