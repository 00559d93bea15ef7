/*
 * parse: question -> plan. See parse.h.
 *
 * After time expressions are taken out, every position of the question is
 * read as the longest of: a cue (the parser's own words, cues[] below) or a
 * name from the vocabulary. Then the plan is assembled from what was found:
 * groupings from "by"/"which"/"each"/"top N" before a dimension, filters
 * from values (excluded after "excluding" and its list), the intent from
 * cues, the time from the time expressions with the defaults of
 * CONVENTIONS.md. A follow-up overlays what it says on the previous plan.
 */
#include "parse.h"
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


/* What a token is, once read. */
enum token_role { ROLE_FREE, ROLE_TIME, ROLE_CUE, ROLE_NAME };

#define MAX_ITEMS 48

struct cue_hit {
	size_t first, last;
	enum cue cue;
};

struct name_hit {
	struct vocab_match m;
	const struct vocab_entry *reading; /* the chosen reading */
	bool qualifier;                    /* a dimension word that named a value's column */
	bool excluded;                     /* after "excluding ..." */
	bool plural;                       /* "services" rather than "service" */
	bool grouping;                     /* used as the plan's grouping */
	bool scope;                        /* "across all accounts": all of them, summed */
	bool qualified;                    /* its column was named by a dimension word next to it */
	char resource[PLAN_NAME_MAX];      /* a resource id recognised by its shape */
};

struct reading {
	const struct parse_input *in;
	const char *text; /* the question as read: typos in the parser's own words corrected */
	bool fuzzy_names; /* names may be typos: only once exact words left some unread */
	struct token_list toks;
	enum token_role *role;
	struct time_mention times[8];
	size_t ntimes;
	struct cue_hit cues[MAX_ITEMS];
	size_t ncues;
	struct name_hit names[MAX_ITEMS];
	size_t nnames;
	struct {
		size_t tok;
		const struct resource_noun *noun;
	} nouns[4]; /* "buckets", "functions": resources of a service */
	size_t nnouns;
	enum grain time_noun; /* "which day", "days when ... above $5", "the peak month": the days themselves */
	struct strbuf notes;
};

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
	for (size_t len = 4; len >= 1; len--) {
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
			if (o)
				phrase[o++] = ' ';
			memcpy(phrase + o, t->text.p, t->text.n);
			o += t->text.n;
			phrase[o] = '\0';
		}
		if (!ok)
			continue;
		*cue = cue_lookup(phrase);
		if (*cue == CUE_NONE && o > 3 && phrase[o - 1] == 's') {
			phrase[o - 1] = '\0';
			*cue = cue_lookup(phrase);
		}
		if (*cue != CUE_NONE)
			return len;
	}
	return 0;
}

/* ---- small helpers over the reading ---- */

static bool has_cue(const struct reading *r, enum cue c)
{
	for (size_t i = 0; i < r->ncues; i++)
		if (r->cues[i].cue == c)
			return true;
	return false;
}

static const struct cue_hit *find_cue(const struct reading *r, enum cue c)
{
	for (size_t i = 0; i < r->ncues; i++)
		if (r->cues[i].cue == c)
			return &r->cues[i];
	return NULL;
}

/* The cue that ends right before token i, skipping articles. */
static enum cue cue_before(const struct reading *r, size_t i)
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
static double number_at(const struct reading *r, size_t i)
{
	if (i >= r->toks.n)
		return -1;
	const struct token *t = &r->toks.items[i];
	if (t->kind == TOK_NUMBER && r->role[i] == ROLE_FREE)
		return t->number;
	return t->kind == TOK_WORD ? lexicon_number_word(&t->text) : -1;
}

static void note(struct reading *r, const char *fmt, const char *a, const char *b)
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

static void read_tokens(struct reading *r)
{
	r->ntimes = timex_find(&r->toks, r->in->today, r->times, 8);
	for (size_t k = 0; k < r->ntimes; k++)
		for (size_t i = r->times[k].first; i <= r->times[k].last; i++)
			r->role[i] = ROLE_TIME;

	for (size_t i = 0; i < r->toks.n;) {
		if (r->role[i] != ROLE_FREE) {
			i++;
			continue;
		}
		enum cue cue = CUE_NONE;
		size_t cue_len = cue_at(r, i, &cue);
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
		if (cue_len == 1 && (value_next_to_dimension(r, i, &m) ||
				     (cue == CUE_NOT_BILLING && data_value_named(r, i, &m)))) {
			named = true;
			name_len = 1;
			cue_len = 0;
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
}

/* "the next 6 months", "the coming two quarters": the number and the
 * unit after "next" are a forecast's horizon, read by forecast_months(). */
static void mark_resource_nouns(struct reading *r)
{
	for (size_t i = 1; i < r->toks.n; i++) {
		/* "DynamoDB tables": a service's tables, not a table to show */
		if (!tok_is(&r->toks, i, "tables") || r->role[i - 1] != ROLE_NAME)
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
		if (h->resource[0] || h->m.first != h->m.last || i == 0 || r->role[i - 1] != ROLE_NAME ||
		    !lexicon_resource_noun(&r->toks.items[i].text) ||
		    (h->m.entries[0]->from_data && h->m.entries[0]->col.dim != DIM_CATEGORY))
			continue;
		bool after_service = false;
		for (size_t x = 0; x < r->nnames; x++)
			after_service |= r->names[x].m.last + 1 == i && !r->names[x].resource[0] &&
					 r->names[x].m.entries[0]->kind == VOCAB_VALUE &&
					 r->names[x].m.entries[0]->col.dim == DIM_SERVICE;
		if (!after_service)
			continue;
		memmove(h, h + 1, (r->nnames - k - 1) * sizeof(*h));
		r->nnames--;
		r->role[i] = ROLE_FREE;
		k--;
	}
	for (size_t i = 0; i < r->toks.n && r->nnouns < 4; i++) {
		const struct resource_noun *noun;
		if (r->role[i] != ROLE_FREE || r->toks.items[i].kind != TOK_WORD ||
		    !(noun = lexicon_resource_noun(&r->toks.items[i].text)))
			continue;
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
	bool ranked_or_filtered = has_cue(r, CUE_WHICH) || has_cue(r, CUE_MOST) || has_cue(r, CUE_LEAST) ||
				  has_cue(r, CUE_TOP) || has_cue(r, CUE_BOTTOM) || has_cue(r, CUE_MORE_THAN) ||
				  has_cue(r, CUE_LESS_THAN);
	for (size_t i = 0; i < r->toks.n && ranked_or_filtered; i++) {
		if (r->role[i] != ROLE_FREE)
			continue;
		for (size_t k = 0; k < sizeof(nouns) / sizeof(nouns[0]); k++)
			if (tok_is(&r->toks, i, nouns[k].word)) {
				r->role[i] = ROLE_CUE;
				r->time_noun = nouns[k].grain;
			}
	}
}

static void mark_horizon_units(struct reading *r)
{
	static const char *const units[] = { "month", "months", "quarter", "quarters", "year", "years",
		"week", "weeks", "day", "days", NULL };
	for (size_t c = 0; c < r->ncues; c++) {
		size_t n = r->cues[c].last + 1;
		if (r->cues[c].cue != CUE_NEXT || n + 1 >= r->toks.n || number_at(r, n) < 1 ||
		    !tok_in(&r->toks, n + 1, units) || r->role[n + 1] != ROLE_FREE)
			continue;
		r->role[n + 1] = ROLE_CUE; /* the number stays free: number_at() reads it */
	}
}

/* Priority among readings of one word: the order people most often mean. */
static int dimension_priority(enum dimension d)
{
	static const enum dimension order[] = {
		DIM_SERVICE, DIM_ACCOUNT, DIM_REGION, DIM_TAG, DIM_AZ, DIM_CATEGORY, DIM_CHARGE_TYPE,
		DIM_USAGE_TYPE, DIM_OPERATION, DIM_INSTANCE_TYPE, DIM_PRICING_TERM, DIM_PROVIDER, DIM_RESOURCE,
	};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] == d)
			return (int)i;
	return 99;
}

static bool is_dimension_hit(const struct name_hit *h)
{
	return !h->resource[0] && h->reading && h->reading->kind == VOCAB_DIMENSION;
}

static bool is_key_value_sign(const struct token *t)
{
	return t->kind == TOK_PUNCT && (t->text.p[0] == '=' || t->text.p[0] == ':');
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
static int choose_readings(struct reading *r, struct plan *p)
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
			if (!best || (e->kind == VOCAB_DIMENSION && best->kind != VOCAB_DIMENSION) ||
			    (e->kind == best->kind && e->from_data == best->from_data &&
			     dimension_priority(e->col.dim) < dimension_priority(best->col.dim)))
				best = e;
		}
		/* a unit of the data ("GB-seconds") is usage in it, not the
		 * usage type that carries the same words */
		for (int k = 0; best && best->kind == VOCAB_VALUE && k < m->nentries; k++)
			if (m->entries[k]->kind == VOCAB_UNIT)
				best = m->entries[k];
		h->reading = best;
		if (m->fuzzy) {
			char word[64];
			snprintf(word, sizeof(word), "%.*s", (int)r->toks.items[m->first].text.n, r->toks.items[m->first].text.p);
			note(r, "read '%s' as %s", word, best->display);
		}
	}
	/* a dimension word next to a value names its column */
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *d = &r->names[i];
		if (!is_dimension_hit(d))
			continue;
		for (size_t k = 0; k < r->nnames; k++) {
			struct name_hit *v = &r->names[k];
			if (k == i || v->resource[0] || v->qualifier || !v->reading)
				continue;
			bool adjacent = v->m.last + 1 == d->m.first || d->m.last + 1 == v->m.first ||
					/* "team=payments", "env: production" */
					(d->m.last + 2 == v->m.first && is_key_value_sign(&r->toks.items[d->m.last + 1]));
			if (!adjacent)
				continue;
			if (!qualify(v, d))
				continue;
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

/* "excluding taxes and credits": the exclusion runs over a list. */
static void mark_exclusions(struct reading *r)
{
	for (size_t c = 0; c < r->ncues; c++) {
		if (r->cues[c].cue != CUE_EXCLUDE)
			continue;
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
		if (has_cue(r, grains[i].cue))
			p->grain = grains[i].grain;
}

static void set_measure_from_cues(const struct reading *r, struct plan *p, bool *mentioned)
{
	static const struct {
		enum cue cue;
		enum measure measure;
		const char *unit;
	} measures[] = {
		{ CUE_UNBLENDED, MEASURE_UNBLENDED, NULL }, { CUE_NET, MEASURE_NET, NULL },
		{ CUE_LIST, MEASURE_LIST, NULL }, { CUE_AMORTIZED, MEASURE_AMORTIZED, NULL },
		{ CUE_USAGE, MEASURE_USAGE, NULL }, { CUE_UNIT_GB, MEASURE_USAGE, "GB" },
		{ CUE_UNIT_HOURS, MEASURE_USAGE, "Hrs" }, { CUE_UNIT_REQUESTS, MEASURE_USAGE, "Requests" },
	};
	*mentioned = false;
	for (size_t i = 0; i < sizeof(measures) / sizeof(measures[0]); i++)
		if (has_cue(r, measures[i].cue)) {
			p->measure = measures[i].measure;
			if (measures[i].unit)
				snprintf(p->usage_unit, sizeof(p->usage_unit), "%s", measures[i].unit);
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
		if (has_cue(r, charts[i].cue))
			p->chart = charts[i].chart;
}

/* "by team and env", "per account and service", "by service, then by
 * region": a second dimension word joined to the grouping's. */
static void find_second_grouping(struct reading *r, struct plan *p, const struct name_hit *first)
{
	static const char *const joiners[] = { "and", "by", "per", "then", "&", NULL };
	for (size_t k = 0; k < r->nnames; k++) {
		struct name_hit *h = &r->names[k];
		if (h == first || !is_dimension_hit(h) || h->qualifier || h->excluded || h->m.first <= first->m.last ||
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

/* The grouping: a dimension word after "by", "per", "each", "which",
 * "top N", "N most expensive", or before "breakdown". */
static bool find_grouping(struct reading *r, struct plan *p, bool *plural)
{
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *h = &r->names[i];
		if (!is_dimension_hit(h) || h->qualifier || h->excluded)
			continue;
		/* "the total across all accounts": the sum over them, not one row each */
		if (h->m.first >= 2 && tok_is(&r->toks, h->m.first - 1, "all") &&
		    (tok_is(&r->toks, h->m.first - 2, "across") || tok_is(&r->toks, h->m.first - 2, "over")) &&
		    has_cue(r, CUE_TOTAL)) {
			h->scope = true;
			continue;
		}
		enum cue before = cue_before(r, h->m.first);
		size_t j = h->m.first;
		/* "per AWS account", "by EC2 instance type": a value in between */
		for (size_t k = 0; before == CUE_NONE && k < r->nnames; k++)
			if (r->names[k].m.last + 1 == j && !is_dimension_hit(&r->names[k]))
				before = cue_before(r, r->names[k].m.first);
		/* "top 5 services", "10 most expensive usage types", "which 3 accounts" */
		if (before == CUE_NONE && j > 0 && number_at(r, j - 1) > 0)
			before = cue_before(r, j - 1);
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
		if (!is_dimension_hit(h) || h->qualifier || h->excluded || h->m.last + 1 >= r->toks.n)
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
		if (is_dimension_hit(h) && !h->qualifier && !h->excluded && !h->scope && h->plural) {
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
		while (first > 0 && (r->role[first - 1] == ROLE_NAME || number_at(r, first - 1) > 0))
			first--;
		enum cue before = first > 0 ? cue_before(r, first) : CUE_NONE;
		bool plural_noun = r->toks.items[j].text.p[r->toks.items[j].text.n - 1] == 's';
		/* "top 5 buckets", "which functions", "buckets over $500", "volumes by cost" */
		bool by_cost = false;
		for (size_t c = 0; c + 1 < r->ncues; c++)
			by_cost |= r->cues[c].cue == CUE_BY && r->cues[c + 1].cue == CUE_COST &&
				   r->cues[c + 1].first == r->cues[c].last + 1;
		bool ranked = before == CUE_BY || before == CUE_EACH || (before == CUE_WHICH && tok_is(&r->toks, first - 1, "which")) ||
			      has_cue(r, CUE_TOP) || has_cue(r, CUE_BOTTOM) || has_cue(r, CUE_MOST) || has_cue(r, CUE_LEAST) ||
			      (plural_noun && (by_cost || p->has_threshold || (before == CUE_ASK && !has_cue(r, CUE_COST))));
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
		} else if (is_dimension_hit(h) && h->excluded && h->reading->col.dim == DIM_TAG) {
			/* "without a team tag" */
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
	const struct cue_hit *untagged = find_cue(r, CUE_UNTAGGED);
	const struct cue_hit *tagged = find_cue(r, CUE_TAG);
	if (!untagged && tagged && tok_is(&r->toks, tagged->first, "tagged")) {
		/* "tagged cost", "what share is tagged": cost with at least one tag,
		 * unless a tag is named ("tagged team=payments") */
		bool names_tag = false;
		for (size_t i = 0; i < r->nnames; i++)
			names_tag |= !r->names[i].resource[0] && r->names[i].reading && r->names[i].reading->col.dim == DIM_TAG;
		struct dim_ref any_tag = { .dim = DIM_TAG };
		if (!names_tag)
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
	int y, m, d;
	date_to_ymd(p.start_day, &y, &m, &d);
	static const char *const months[] = { "January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December" };
	snprintf(p.label, sizeof(p.label), "%s %d", months[m - 1], y);
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

/* Two periods to compare, from what the question said. */
static void set_periods(struct reading *r, struct plan *p, int today)
{
	if (r->ntimes >= 2) {
		struct period a = r->times[0].period, b = r->times[1].period;
		/* "last month vs the previous month": both words name the same
		 * month; the second means the one before the first */
		if (a.start_day == b.start_day && a.end_day == b.end_day)
			b = period_previous(&a);
		p->periods[0] = a.start_day <= b.start_day ? a : b;
		p->periods[1] = a.start_day <= b.start_day ? b : a;
	} else if (r->ntimes == 1 && r->times[0].is_span && r->times[0].to.start_day > r->times[0].from.start_day &&
		   r->times[0].from.unit == r->times[0].to.unit && r->times[0].period.label[0] != 's') {
		p->periods[0] = r->times[0].from;
		p->periods[1] = r->times[0].to;
	} else if (r->ntimes == 1) {
		p->periods[1] = r->times[0].period;
		p->periods[0] = period_previous(&p->periods[1]);
	} else {
		struct period last = last_full_month(today);
		if (has_cue(r, CUE_WOW)) {
			last.end_day = date_week_start(today);
			last.start_day = last.end_day - 7;
			last.unit = UNIT_WEEK;
			snprintf(last.label, sizeof(last.label), "last week");
		} else if (has_cue(r, CUE_QOQ)) {
			last.end_day = date_quarter_start(today);
			last.start_day = date_add_months(last.end_day, -3);
			last.unit = UNIT_QUARTER;
			int y, m, d;
			date_to_ymd(last.start_day, &y, &m, &d);
			snprintf(last.label, sizeof(last.label), "Q%d %d", (m - 1) / 3 + 1, y);
		}
		p->periods[1] = last;
		if (has_cue(r, CUE_YOY)) {
			p->periods[0] = last;
			p->periods[0].start_day = date_add_months(last.start_day, -12);
			p->periods[0].end_day = date_add_months(last.start_day, -11);
			int y, m, d;
			date_to_ymd(p->periods[0].start_day, &y, &m, &d);
			static const char *const months[] = { "January", "February", "March", "April", "May", "June", "July",
				"August", "September", "October", "November", "December" };
			snprintf(p->periods[0].label, sizeof(p->periods[0].label), "%s %d", months[m - 1], y);
		} else {
			p->periods[0] = period_previous(&last);
		}
	}
	p->range.start_day = p->periods[0].start_day;
	p->range.end_day = p->periods[1].end_day;
	p->range.unit = UNIT_SPAN;
	period_describe_dates(&p->range, p->range.label, sizeof(p->range.label));
}

/* "top 5", "5 most expensive", "bottom 3", "the top one", "which 3
 * services"; 0 if none. */
static int find_limit(const struct reading *r, bool *ascending)
{
	/* a number right before the grouping dimension word */
	for (size_t i = 0; i < r->nnames; i++) {
		const struct name_hit *h = &r->names[i];
		double n = h->grouping && h->m.first > 0 ? number_at(r, h->m.first - 1) : -1;
		if (n >= 1 && n <= 1000 && n == floor(n) && !r->toks.items[h->m.first - 1].money) {
			*ascending = has_cue(r, CUE_LEAST) || has_cue(r, CUE_BOTTOM);
			return (int)n;
		}
	}
	for (size_t c = 0; c < r->ncues; c++) {
		enum cue cue = r->cues[c].cue;
		if (cue != CUE_TOP && cue != CUE_BOTTOM && cue != CUE_MOST && cue != CUE_LEAST)
			continue;
		double after = number_at(r, r->cues[c].last + 1);
		double before = r->cues[c].first > 0 ? number_at(r, r->cues[c].first - 1) : -1;
		double n = after > 0 ? after : before;
		if (n < 1 || n > 1000 || n != floor(n)) {
			if (cue == CUE_TOP || cue == CUE_BOTTOM)
				n = tok_is(&r->toks, r->cues[c].last + 1, "one") ? 1 : 5;
			else
				continue;
		}
		*ascending = cue == CUE_BOTTOM || cue == CUE_LEAST;
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

static bool unread_word(const struct reading *r, size_t i);

static bool has_unread_word(const struct reading *r)
{
	for (size_t i = 0; i < r->toks.n; i++)
		if (unread_word(r, i))
			return true;
	return false;
}

static void refuse(struct plan *p, const char *why)
{
	p->intent = INTENT_REFUSE;
	snprintf(p->message, sizeof(p->message), "%s", why);
}

/* Questions finq must not or cannot answer. */
static bool check_refusal(struct reading *r, struct plan *p)
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
	if (tok_in(&r->toks, first, excluding_verbs)) {
		bool object = false;
		for (size_t i = first + 1; i < r->toks.n; i++)
			object |= tok_in(&r->toks, i, data_objects);
		bool names_value = false;
		for (size_t k = 0; k < r->nnames; k++)
			names_value |= !is_dimension_hit(&r->names[k]) && r->names[k].m.first > first;
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
	bool question = has_cue(r, CUE_COST) || has_cue(r, CUE_ASK) || has_cue(r, CUE_WHICH) || has_cue(r, CUE_BY) ||
			has_cue(r, CUE_BREAKDOWN) || has_cue(r, CUE_TOTAL) || r->ntimes > 0;
	if (!mutation && !question && tok_in(&r->toks, first, orders)) {
		refuse(p, lexicon_offtopic_reason(OFFTOPIC_ACTION));
		return true;
	}
	if (mutation) {
		refuse(p, "finq only reads billing data: it cannot delete, change or add cost records. "
			  "Reload an export with 'finq load' to replace a billing period.");
		return true;
	}
	const struct cue_hit *nb = find_cue(r, CUE_NOT_BILLING);
	if (nb) {
		char word[64];
		snprintf(word, sizeof(word), "%.*s", (int)r->toks.items[nb->first].text.n, r->toks.items[nb->first].text.p);
		char msg[512];
		snprintf(msg, sizeof(msg),
			 "I can't answer that from billing data: cost and usage exports record what was charged "
			 "and how much was used, not %s. Ask about cost, usage or savings instead.", word);
		refuse(p, msg);
		return true;
	}
	if (has_cue(r, CUE_HELP) && r->nnames == 0 && !has_unread_word(r)) {
		p->intent = INTENT_HELP;
		snprintf(p->message, sizeof(p->message),
			 "Ask about your cloud costs in plain English: totals, breakdowns by service, account, "
			 "region or tag, top N, trends, comparisons between periods, and follow-ups.");
		return true;
	}
	return false;
}

/* Is the question about the bill at all? */
static bool about_costs(const struct reading *r)
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
		if (has_cue(r, topical[i]))
			return true;
	/* a value in the bill is a subject; a dimension word alone ("clouds",
	 * "zones") is one only after a grouping cue ("by region", "which team") */
	for (size_t i = 0; i < r->nnames; i++) {
		const struct name_hit *h = &r->names[i];
		if (!is_dimension_hit(h))
			return true;
		enum cue before = cue_before(r, h->m.first);
		if (before == CUE_BY || before == CUE_EACH || before == CUE_WHICH || before == CUE_BREAKDOWN)
			return true;
	}
	return false;
}

static bool has_any_cue(const struct reading *r, const enum cue *list, size_t n);

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

/* Does the question lean on the previous answer? */
static bool looks_like_followup(const struct reading *r)
{
	static const enum cue edits[] = {
		CUE_FOLLOWUP, CUE_INSTEAD, CUE_SAME, CUE_DRILL, CUE_CHART_PIE, CUE_CHART_DOUGHNUT,
		CUE_CHART_BAR, CUE_CHART_HBAR, CUE_CHART_LINE, CUE_CHART_AREA, CUE_CHART_TABLE,
	};
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
		if (has_cue(r, edits[i]))
			return true;
	if (has_cue(r, CUE_ONLY) && !has_cue(r, CUE_COST))
		return true;
	/* "just the top 3 by October spend", "its top three services",
	 * "switch to on-demand equivalent": a new way to rank or measure the
	 * same things */
	bool names_value = false;
	for (size_t i = 0; i < r->nnames; i++)
		names_value |= !is_dimension_hit(&r->names[i]);
	if (!names_value && (has_cue(r, CUE_ONLY) || has_cue(r, CUE_TOP) || has_cue(r, CUE_BOTTOM)) &&
	    !has_cue(r, CUE_WHICH) && (r->ntimes == 0 || (r->ntimes == 1 && !has_cue(r, CUE_ASK))))
		return true;
	static const enum cue measures[] = { CUE_UNBLENDED, CUE_NET, CUE_LIST, CUE_AMORTIZED, CUE_USAGE };
	if (!names_value && r->ntimes == 0 && !has_cue(r, CUE_ASK) && !has_cue(r, CUE_WHICH) &&
	    has_any_cue(r, measures, sizeof(measures) / sizeof(measures[0])))
		return true;
	/* "now for the dev account", "and in November?", "also by region" */
	static const char *const leading[] = { "now", "and", "also", "then", "ok", "okay", "so", "instead", NULL };
	if (tok_in(&r->toks, 0, leading))
		return true;
	/* nothing new to ask about, only how to show it: "show me the top two" */
	if (!has_cue(r, CUE_COST) && r->nnames == 0 && r->ntimes == 0 &&
	    (has_cue(r, CUE_TOP) || has_cue(r, CUE_BOTTOM) || has_cue(r, CUE_PERIOD_BEFORE) ||
	     has_cue(r, CUE_DAILY) || has_cue(r, CUE_WEEKLY) || has_cue(r, CUE_MONTHLY) || has_cue(r, CUE_BY)))
		return true;
	if (has_cue(r, CUE_PRONOUN) && r->ntimes == 0)
		return true;
	/* nothing named but the time, a way to rank or the previous items:
	 * "over the last 3 months", "what was it in September", "which grew
	 * the most", "break the top one down by service" */
	bool values = false;
	for (size_t i = 0; i < r->nnames; i++)
		values |= !is_dimension_hit(&r->names[i]);
	if (!values && !has_cue(r, CUE_COST)) {
		if (names_top_one(r) && r->in->previous_top_label)
			return true;
		if (r->ntimes > 0 && (has_cue(r, CUE_PRONOUN) || (!has_cue(r, CUE_ASK) && !has_cue(r, CUE_WHICH))))
			return true;
		/* "which day was the highest" after a trend */
		if (r->time_noun != GRAIN_NONE && r->ntimes == 0)
			return true;
		/* "break down by instance type", "split by account" */
		if (r->ntimes == 0 && !has_cue(r, CUE_ASK) && !has_cue(r, CUE_WHICH) &&
		    (has_cue(r, CUE_BREAKDOWN) || has_cue(r, CUE_BY)))
			return true;
		if (r->nnames == 0 && r->ntimes == 0 &&
		    (has_cue(r, CUE_INCREASE) || has_cue(r, CUE_DECREASE) || has_cue(r, CUE_SPIKE)) &&
		    (has_cue(r, CUE_MOST) || has_cue(r, CUE_LEAST)))
			return true;
	}
	/* a short phrase without a question of its own: "by region", "unblended" */
	size_t words = 0;
	for (size_t i = 0; i < r->toks.n; i++)
		words += r->toks.items[i].kind != TOK_PUNCT;
	return words <= 4 && !has_cue(r, CUE_COST) && !has_cue(r, CUE_ASK) && !has_cue(r, CUE_WHICH);
}

/* ---- the analyses (insight.h) ---- */

static bool has_any_cue(const struct reading *r, const enum cue *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (has_cue(r, list[i]))
			return true;
	return false;
}

/* Does the question open by asking what something is or how it works
 * ("what is", "what are", "what's", "explain", "how does")? */
static bool asks_definition(const struct reading *r)
{
	static const struct {
		const char *first, *second;
	} openers[] = {
		{ "what", "a" }, { "what", "an" }, { "what", "are" }, { "what", "is" }, { "whats", NULL },
	};
	if (has_cue(r, CUE_EXPLAIN) || has_cue(r, CUE_HOW_TO))
		return true;
	if (r->toks.n == 0)
		return false;
	for (size_t i = 0; i < sizeof(openers) / sizeof(openers[0]); i++)
		if (tok_is(&r->toks, 0, openers[i].first) &&
		    (!openers[i].second || tok_is(&r->toks, 1, openers[i].second)))
			return true;
	/* the lexer drops a possessive "'s": "what's" is "what" and an apostrophe */
	const char *after = r->text + r->toks.items[0].offset + r->toks.items[0].text.n;
	return tok_is(&r->toks, 0, "what") && (after[0] == '\'' || strncmp(after, "\xe2\x80\x99", 3) == 0);
}

/* A question about a concept rather than about the data: "what is a
 * savings plan", "explain amortized cost", "how does spot pricing work".
 * Data vocabulary decides against it: a time, a grouping or ranking, a
 * question about "my"/"our" spend, cost words without a measure's name. */
static bool asks_knowledge(const struct reading *r)
{
	static const enum cue data_cues[] = {
		CUE_TOP, CUE_BOTTOM, CUE_MOST, CUE_LEAST, CUE_BY, CUE_EACH, CUE_BREAKDOWN, CUE_TOTAL, CUE_TREND,
		CUE_DAILY, CUE_WEEKLY, CUE_MONTHLY, CUE_QUARTERLY, CUE_YEARLY, CUE_COMPARE, CUE_VERSUS, CUE_MOM,
		CUE_WOW, CUE_QOQ, CUE_YOY, CUE_AVERAGE, CUE_PER_DAY, CUE_SHARE, CUE_RUN_RATE, CUE_MORE_THAN,
		CUE_LESS_THAN, CUE_USAGE, CUE_UNIT_GB, CUE_UNIT_HOURS, CUE_UNIT_REQUESTS, CUE_UNTAGGED,
	};
	static const enum cue concept_measures[] = { CUE_AMORTIZED, CUE_UNBLENDED, CUE_NET, CUE_LIST };
	static const char *const possessives[] = { "my", "our", "we", "us", NULL };
	if (!asks_definition(r) || r->ntimes > 0 || has_any_cue(r, data_cues, sizeof(data_cues) / sizeof(data_cues[0])))
		return false;
	bool values = false, dimensions = false, possessive = false;
	for (size_t i = 0; i < r->nnames; i++) {
		if (is_dimension_hit(&r->names[i]))
			dimensions = true;
		else
			values = true;
	}
	for (size_t i = 0; i < r->toks.n; i++)
		possessive |= tok_in(&r->toks, i, possessives);
	bool cost = has_cue(r, CUE_COST);
	bool measure = has_any_cue(r, concept_measures, sizeof(concept_measures) / sizeof(concept_measures[0]));
	if (possessive && (cost || values))
		return false;
	if (cost && !measure)
		return false;
	/* "what are the accounts" lists data; "how do I tag resources" asks how */
	return !dimensions || has_cue(r, CUE_EXPLAIN) || has_cue(r, CUE_HOW_TO);
}

/* The analysis a question asks for, or NULL. ranked, grouped and compare
 * say what the rest of the question asks: "which service spiked the
 * most" ranks movers, "did EC2 jump from September to October" compares. */
static const char *insight_of(const struct reading *r, bool ranked, bool grouped, bool compare)
{
	static const enum cue changes[] = { CUE_INCREASE, CUE_DECREASE, CUE_CHANGE, CUE_SPIKE };
	static const enum cue horizons[] = {
		CUE_HORIZON_MONTH, CUE_HORIZON_QUARTER, CUE_HORIZON_YEAR,
		CUE_END_OF_MONTH, CUE_END_OF_QUARTER, CUE_END_OF_YEAR,
	};
	bool change = has_any_cue(r, changes, sizeof(changes) / sizeof(changes[0]));
	bool values = false;
	for (size_t i = 0; i < r->nnames; i++)
		values |= !is_dimension_hit(&r->names[i]);
	bool subject = has_cue(r, CUE_COST) || values;
	bool future = has_cue(r, CUE_FUTURE) ||
		      has_any_cue(r, horizons, sizeof(horizons) / sizeof(horizons[0]));
	const struct cue_hit *reduce = find_cue(r, CUE_REDUCE);

	if (has_cue(r, CUE_ANOMALY))
		return "anomalies";
	/* "which five services contributed the most to our spend in October":
	 * a ranking of one period's parts, not an explanation of a change */
	bool share_of_one_period = has_cue(r, CUE_DRIVER) && !has_cue(r, CUE_WHY) && !change && grouped &&
				   (has_cue(r, CUE_MOST) || has_cue(r, CUE_TOP));
	if ((has_cue(r, CUE_WHY) || has_cue(r, CUE_DRIVER) || (has_cue(r, CUE_EXPLAIN) && change)) &&
	    (change || subject) && !share_of_one_period)
		return "drivers";
	/* "from September to October" names two periods to compare */
	bool two_periods = r->ntimes >= 2 || (r->ntimes == 1 && r->times[0].is_span &&
					      r->times[0].to.start_day > r->times[0].from.start_day);
	if (has_cue(r, CUE_SPIKE) && !ranked && !grouped && !compare && !two_periods)
		return "anomalies";
	if (has_cue(r, CUE_FORECAST) || (future && subject))
		return "forecast";
	if (has_cue(r, CUE_RECOMMEND) || (reduce && (has_cue(r, CUE_HOW_TO) || reduce->first == 0)))
		return "recommend";
	if (has_cue(r, CUE_OWNER))
		return "owners";
	if (has_cue(r, CUE_ARCHITECTURE))
		return "architecture";
	if (asks_knowledge(r))
		return "knowledge";
	return NULL;
}

/* Months ahead a forecast question asks about: "end of the month" 0,
 * "next quarter" 3, "next 6 months" 6, a named future period up to its
 * last month; 0 when it does not say. */
static int forecast_months(const struct reading *r, int today)
{
	static const struct {
		enum cue cue;
		int months; /* -1: to the end of this quarter, -2: of this year */
	} horizons[] = {
		{ CUE_END_OF_MONTH, 0 }, { CUE_END_OF_QUARTER, -1 }, { CUE_END_OF_YEAR, -2 },
		{ CUE_HORIZON_MONTH, 1 }, { CUE_HORIZON_QUARTER, 3 }, { CUE_HORIZON_YEAR, 12 },
	};
	static const struct {
		const char *unit;
		int months;
	} units[] = { { "month", 1 }, { "months", 1 }, { "quarter", 3 }, { "quarters", 3 }, { "year", 12 }, { "years", 12 } };
	int y, m, d, months = 0;
	date_to_ymd(today, &y, &m, &d);
	for (size_t i = 0; i < sizeof(horizons) / sizeof(horizons[0]); i++)
		if (has_cue(r, horizons[i].cue)) {
			months = horizons[i].months == -1 ? 2 - (m - 1) % 3 : horizons[i].months == -2 ? 12 - m : horizons[i].months;
			goto out;
		}
	/* "the next 6 months", "the coming two quarters" */
	const struct cue_hit *next = find_cue(r, CUE_NEXT);
	if (next) {
		double n = number_at(r, next->last + 1);
		for (size_t u = 0; n >= 1 && n == floor(n) && u < sizeof(units) / sizeof(units[0]); u++)
			if (tok_is(&r->toks, next->last + 2, units[u].unit)) {
				months = (int)n * units[u].months;
				goto out;
			}
	}
	/* a period named in the future: up to its last month */
	for (size_t k = 0; k < r->ntimes; k++) {
		int ey, em, ed;
		if (r->times[k].period.end_day <= today + 1)
			continue;
		date_to_ymd(r->times[k].period.end_day - 1, &ey, &em, &ed);
		months = (ey * 12 + em) - (y * 12 + m);
		break;
	}
out:
	return months < 0 ? 0 : months > PLAN_MONTHS_MAX ? PLAN_MONTHS_MAX : months;
}

/* Turn a plan into a request for one analysis: its filters and measure
 * stay as the scope; the time is the analysis' own unless the question
 * named one (a forecast's named time is its horizon, not its history). */
static void set_insight(struct reading *r, struct plan *p, const char *name)
{
	int today = r->in->today;
	p->intent = INTENT_INSIGHT;
	snprintf(p->insight, sizeof(p->insight), "%s", name);
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
		p->months = forecast_months(r, today);
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
		if (i > 0 && tok_in(&r->toks, i - 1, joiners) && (has_cue(r, CUE_TOP) || has_cue(r, CUE_BY)))
			return true;
	}
	return false;
}

static size_t counted_token(const struct reading *r);
static void set_count(struct reading *r, struct plan *p, size_t i);

/* Build a plan as if the question stood alone. */
static void plan_standalone(struct reading *r, struct plan *p, bool *group_mentioned, bool *measure_mentioned,
			    bool *limit_mentioned)
{
	int today = r->in->today;
	bool plural = false;
	set_measure_from_cues(r, p, measure_mentioned);
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
	p->ascending = ascending;
	*limit_mentioned = p->limit > 0;

	bool increase = has_cue(r, CUE_INCREASE) || has_cue(r, CUE_SPIKE), decrease = has_cue(r, CUE_DECREASE);
	bool ranked = has_cue(r, CUE_MOST) || has_cue(r, CUE_TOP) || has_cue(r, CUE_WHICH) || has_cue(r, CUE_LEAST);
	bool compare = has_cue(r, CUE_COMPARE) || has_cue(r, CUE_VERSUS) || has_cue(r, CUE_MOM) ||
		       has_cue(r, CUE_WOW) || has_cue(r, CUE_QOQ) || has_cue(r, CUE_YOY);
	/* "the month-over-month trend over the last six months": the series by
	 * month, not two periods */
	if (has_cue(r, CUE_TREND) && !has_cue(r, CUE_COMPARE) && !has_cue(r, CUE_VERSUS) && r->ntimes <= 1 &&
	    (has_cue(r, CUE_MOM) || has_cue(r, CUE_WOW) || has_cue(r, CUE_QOQ))) {
		compare = false;
		p->grain = has_cue(r, CUE_WOW) ? GRAIN_WEEK : has_cue(r, CUE_QOQ) ? GRAIN_QUARTER : GRAIN_MONTH;
	}

	/* "EC2 vs S3": two values of one column side by side */
	int compared_items = -1;
	for (int k = 0; k < p->nfilters; k++)
		if (p->filters[k].op == FILTER_IN && p->filters[k].nvalues >= 2)
			compared_items = k;

	/* "top 5 teams by cost with month-over-month growth": ranked by cost,
	 * the change shown beside it, not ranked by the change */
	if ((increase || decrease || has_cue(r, CUE_CHANGE)) && change_as_column(r)) {
		increase = decrease = false;
		compare = true;
	}
	if ((increase || decrease || has_cue(r, CUE_CHANGE)) && (ranked || *group_mentioned)) {
		p->intent = INTENT_MOVERS;
		p->ascending = decrease && !increase;
		if (!*group_mentioned) {
			p->group.dim = DIM_SERVICE;
		}
		if (!p->limit)
			p->limit = plural ? 5 : 1;
		set_periods(r, p, today);
	} else if (compare && compared_items >= 0 && r->ntimes <= 1) {
		p->intent = INTENT_BREAKDOWN;
		p->group = p->filters[compared_items].col;
		*group_mentioned = true;
	} else if (compare || increase || decrease || (r->ntimes >= 2 && !has_cue(r, CUE_TREND))) {
		p->intent = INTENT_COMPARE_PERIODS;
		set_periods(r, p, today);
	} else if (has_cue(r, CUE_RUN_RATE) ||
		   (has_cue(r, CUE_AVERAGE) && (has_cue(r, CUE_DAILY) || has_cue(r, CUE_PER_DAY) || p->grain == GRAIN_NONE)) ||
		   (has_cue(r, CUE_PER_DAY) && p->grain == GRAIN_NONE && !has_cue(r, CUE_TREND) && !*group_mentioned)) {
		p->intent = INTENT_AVERAGE_DAILY;
		p->run_rate = has_cue(r, CUE_RUN_RATE);
		p->grain = GRAIN_NONE;
	} else if (has_cue(r, CUE_AVERAGE) && p->grain == GRAIN_MONTH && !has_cue(r, CUE_RUN_RATE)) {
		/* "average monthly spend this year": per calendar month */
		p->intent = INTENT_AVERAGE_DAILY;
	} else if (r->time_noun != GRAIN_NONE && counted_token(r) == SIZE_MAX) {
		/* "which day was the highest": the series at that grain, its peak
		 * first; "days when ... above $5": the days over the threshold */
		p->intent = INTENT_TREND;
		p->grain = r->time_noun;
		if (!p->limit && (has_cue(r, CUE_MOST) || has_cue(r, CUE_LEAST)) && !p->has_threshold)
			p->limit = 1;
		p->ascending = has_cue(r, CUE_LEAST) || has_cue(r, CUE_BOTTOM);
		*limit_mentioned = p->limit > 0;
	} else if (p->grain != GRAIN_NONE || has_cue(r, CUE_TREND)) {
		p->intent = INTENT_TREND;
		/* daily unless asked, but a range told in months reads by month */
		if (p->grain == GRAIN_NONE) {
			enum time_unit unit = r->ntimes ? r->times[0].period.unit : UNIT_DAY;
			bool long_range = unit == UNIT_QUARTER || unit == UNIT_HALF || unit == UNIT_YEAR ||
					  (unit == UNIT_MONTH && r->times[0].period.count > 1);
			p->grain = long_range ? GRAIN_MONTH : GRAIN_DAY;
		}
	} else if (*group_mentioned || has_cue(r, CUE_BREAKDOWN)) {
		p->intent = INTENT_BREAKDOWN;
		if (!*group_mentioned) {
			/* "EC2 breakdown": the next level down */
			bool by_service = false;
			for (int k = 0; k < p->nfilters; k++)
				by_service |= p->filters[k].col.dim == DIM_SERVICE;
			p->group.dim = by_service ? DIM_USAGE_TYPE : DIM_SERVICE;
			*group_mentioned = true;
		}
		/* "which service cost the most", "the most expensive team": the one */
		bool superlative_before = false;
		for (size_t i = 0; i < r->nnames; i++)
			if (r->names[i].grouping) {
				enum cue b = cue_before(r, r->names[i].m.first);
				superlative_before = b == CUE_MOST || b == CUE_LEAST;
			}
		if (!p->limit && (has_cue(r, CUE_MOST) || has_cue(r, CUE_LEAST)) &&
		    (has_cue(r, CUE_WHICH) || superlative_before || p->group.dim == DIM_RESOURCE) && !plural) {
			p->limit = 1;
			p->ascending = has_cue(r, CUE_LEAST);
		}
	} else if (p->limit) {
		/* "top 3 last month": the top 3 of the usual grouping, services;
		 * a follow-up keeps its own grouping (not "mentioned") */
		p->intent = INTENT_BREAKDOWN;
		p->group.dim = DIM_SERVICE;
	} else {
		p->intent = INTENT_TOTAL;
		/* "what share of our spend is EC2?" */
		p->share_of_total = has_cue(r, CUE_SHARE) && p->nfilters > 0;
	}

	if (p->group2.dim != DIM_NONE && p->intent != INTENT_BREAKDOWN) {
		/* only a breakdown holds two groupings: the second word is then
		 * not read, and finq asks which (check_unused_dimensions) */
		for (size_t i = 0; i < r->nnames; i++)
			if (is_dimension_hit(&r->names[i]) && dim_ref_eq(&r->names[i].reading->col, &p->group2))
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
	size_t counted = counted_token(r);
	if (counted != SIZE_MAX) {
		set_count(r, p, counted);
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
	const char *insight = insight_of(r, ranked, *group_mentioned, compare);
	if (insight) {
		set_insight(r, p, insight);
		*group_mentioned = false;
	}
}

/* ---- follow-ups ---- */

/* The next level down when drilling into one item of a grouping. */
static enum dimension drill_dimension(enum dimension from)
{
	switch (from) {
	case DIM_SERVICE: return DIM_USAGE_TYPE;
	case DIM_USAGE_TYPE: return DIM_RESOURCE;
	case DIM_OPERATION: return DIM_RESOURCE;
	default: return DIM_SERVICE;
	}
}

static void apply_followup(struct reading *r, const struct plan *prev, struct plan *now, bool group_mentioned,
			   bool measure_mentioned, bool limit_mentioned)
{
	struct plan out = *prev;
	out.message[0] = '\0';
	out.nchoices = 0;
	out.range_defaulted = prev->range_defaulted;

	bool drill = has_cue(r, CUE_DRILL) || (names_top_one(r) && group_mentioned);
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
		limit_mentioned = false;
		out.group.dim = group_mentioned ? now->group.dim : drill_dimension(prev->group.dim);
		if (group_mentioned)
			out.group = now->group;
		out.intent = INTENT_BREAKDOWN;
		out.limit = 0;
		out.has_threshold = false;
		group_mentioned = false;
	}
	if (measure_mentioned) {
		out.measure = now->measure;
		snprintf(out.usage_unit, sizeof(out.usage_unit), "%s", now->usage_unit);
	}
	/* filters: a column the follow-up names replaces the previous values */
	for (int i = 0; i < now->nfilters; i++) {
		const struct filter *f = &now->filters[i];
		if (f->op == FILTER_IN || f->op == FILTER_CONTAINS || f->op == FILTER_PREFIX)
			plan_remove_filters(&out, &f->col);
		struct filter *slot = plan_set_filter(&out, &f->col, f->op);
		if (slot)
			*slot = *f;
	}
	if (now->nfilters && has_cue(r, CUE_FOLLOWUP)) {
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
			if (out.filters[i].op == FILTER_TAGGED) {
				out.filters[i].op = FILTER_PRESENT;
				out.filters[i].col = out.group;
			}
	if (group_mentioned) {
		out.group = now->group;
		out.group2 = now->group2;
		/* "break it down by region" after an analysis: back to the data */
		if (out.intent == INTENT_TOTAL || out.intent == INTENT_AVERAGE_DAILY || out.intent == INTENT_INSIGHT)
			out.intent = INTENT_BREAKDOWN;
		/* "monthly spend this year" then "by account": the trend, by account */
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
	if (now->intent == INTENT_AVERAGE_DAILY) {
		/* "per day on average", "what's the run rate" */
		out.intent = INTENT_AVERAGE_DAILY;
		out.run_rate = now->run_rate;
		out.grain = now->grain == GRAIN_MONTH ? GRAIN_MONTH : GRAIN_NONE;
	}
	if (limit_mentioned) {
		out.limit = now->limit;
		out.ascending = now->ascending;
		if (out.intent == INTENT_TOTAL) {
			out.intent = INTENT_BREAKDOWN;
			if (out.group.dim == DIM_NONE)
				out.group.dim = DIM_SERVICE;
		}
	}
	if (now->has_threshold) {
		out.has_threshold = true;
		out.threshold = now->threshold;
		out.threshold_below = now->threshold_below;
	}
	if (now->chart != CHART_AUTO)
		out.chart = now->chart;
	if (has_cue(r, CUE_PERIOD_BEFORE) && r->ntimes == 0 && now->intent != INTENT_COMPARE_PERIODS &&
	    now->intent != INTENT_MOVERS) {
		/* "what about the month before": the period before the one discussed */
		out.range = period_previous(&prev->range);
		out.range_defaulted = false;
	} else if ((now->intent == INTENT_COMPARE_PERIODS || now->intent == INTENT_MOVERS) && r->ntimes == 1 &&
		   !r->times[0].is_span && prev->intent != INTENT_COMPARE_PERIODS && prev->intent != INTENT_MOVERS) {
		/* "compare with August": the period discussed against the one named */
		struct period a = prev->range, b = r->times[0].period;
		/* "last month" then "compare it with the previous month": the
		 * month before the one discussed */
		if (a.start_day == b.start_day && a.end_day == b.end_day)
			b = period_previous(&a);
		out.intent = now->intent == INTENT_MOVERS ? INTENT_MOVERS : INTENT_COMPARE_PERIODS;
		out.periods[0] = a.start_day <= b.start_day ? a : b;
		out.periods[1] = a.start_day <= b.start_day ? b : a;
		out.range.start_day = out.periods[0].start_day;
		out.range.end_day = out.periods[1].end_day;
		out.range.unit = UNIT_SPAN;
		period_describe_dates(&out.range, out.range.label, sizeof(out.range.label));
	} else if (now->intent == INTENT_COMPARE_PERIODS || now->intent == INTENT_MOVERS) {
		out.intent = now->intent == INTENT_MOVERS || prev->group.dim == DIM_NONE ? now->intent : INTENT_COMPARE_PERIODS;
		out.periods[0] = now->periods[0];
		out.periods[1] = now->periods[1];
		out.range = now->range;
		if (r->ntimes == 0 && (prev->intent == INTENT_COMPARE_PERIODS || prev->intent == INTENT_MOVERS)) {
			/* "which grew the most" after a comparison: the same two periods */
			out.periods[0] = prev->periods[0];
			out.periods[1] = prev->periods[1];
			out.range = prev->range;
		} else if (r->ntimes == 0) {
			/* "compare with the previous period" */
			out.periods[1] = prev->range;
			out.periods[0] = period_previous(&prev->range);
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
		}
	}
	if (out.intent != INTENT_INSIGHT)
		out.insight[0] = '\0';
	if (out.group2.dim != DIM_NONE && out.intent != INTENT_BREAKDOWN) {
		note(r, "shown by %s only: two groupings are for breakdowns%s", dimension_label(&out.group), "");
		out.group2.dim = DIM_NONE;
	}
	*now = out;
}

/* The answer to "Did you mean X or Y?" is one of the choices: the
 * clarified question is read again with the chosen name in place of the
 * unknown word. Returns true when in->question was such an answer. */
static bool answer_clarification(const struct parse_input *in, struct parse_result *out)
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

/* ---- every word accounted for ---- */

static bool previous_answered(const struct plan *prev)
{
	return prev && prev->intent != INTENT_REFUSE && prev->intent != INTENT_CLARIFY && prev->intent != INTENT_HELP;
}

#define MAX_FIXES 8

/* Typos in the parser's own words, months and time words, corrected
 * before the question is read again. */
struct spelling {
	char from[MAX_FIXES][48], to[MAX_FIXES][48];
	int n;
};

/* Is the word part of some name the data knows (so not a typo of ours)? */
static bool names_word(const struct vocab *v, const struct slice *w)
{
	if (!v)
		return false;
	for (size_t i = 0; i < v->n; i++) {
		const char *p = v->items[i].phrase;
		while (*p) {
			size_t len = strcspn(p, " ");
			if (len == w->n && memcmp(p, w->p, len) == 0)
				return true;
			p += len;
			while (*p == ' ')
				p++;
		}
	}
	return false;
}

/* Words left without a role that are one typo away from a closed-class
 * word ("excludng", "lsat", "Ocotber"): the question with them corrected,
 * or NULL when there is nothing to correct. The caller frees it. */
static char *correct_spelling(const struct reading *r, struct spelling *fix)
{
	struct strbuf text;
	strbuf_init(&text, 0);
	size_t copied = 0;
	int fixed = 0;
	for (size_t i = 0; i < r->toks.n; i++) {
		const struct token *t = &r->toks.items[i];
		if (r->role[i] != ROLE_FREE || t->kind != TOK_WORD || lexicon_is_known_word(&t->text) ||
		    lexicon_offtopic(&t->text) != OFFTOPIC_NONE || fix->n >= MAX_FIXES)
			continue;
		char to[48];
		int d = lexicon_correct(&t->text, to, sizeof(to));
		if (d < 0 || names_word(r->in->vocab, &t->text))
			continue;
		/* a name as close or closer is the name's typo ("acount": account, not amount) */
		struct vocab_match m;
		if (r->in->vocab && vocab_match_at(r->in->vocab, &r->toks, i, parse_is_reserved, true, &m) &&
		    m.distance <= d)
			continue;
		snprintf(fix->from[fix->n], sizeof(fix->from[0]), "%.*s", (int)t->text.n, t->text.p);
		snprintf(fix->to[fix->n], sizeof(fix->to[0]), "%s", to);
		fix->n++;
		strbuf_add(&text, r->text + copied, t->offset - copied);
		strbuf_addstr(&text, to);
		copied = t->offset + t->text.n;
		fixed++;
	}
	if (!fixed) {
		strbuf_release(&text);
		return NULL;
	}
	strbuf_addstr(&text, r->text + copied);
	return strbuf_detach(&text);
}

/* A word without a role that counts: not punctuation, a function word,
 * a number word. */
static bool unread_word(const struct reading *r, size_t i)
{
	const struct token *t = &r->toks.items[i];
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
		before_tag_key |= r->names[k].m.first == i + 1 && is_dimension_hit(&r->names[k]) &&
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

/* "sing a song about redis", "email this to finance", "print the tokens":
 * a request finq does not do, whatever bill words it holds. */
static bool check_offtopic(struct reading *r, struct plan *p)
{
	for (size_t i = 0; i < r->toks.n; i++) {
		if (r->role[i] != ROLE_FREE || r->toks.items[i].kind != TOK_WORD)
			continue;
		enum offtopic kind = lexicon_offtopic(&r->toks.items[i].text);
		if (kind != OFFTOPIC_NONE) {
			refuse(p, lexicon_offtopic_reason(kind));
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
		size_t pn = strlen(e->phrase);
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

/* A content word no list or name accounts for: ask back, naming it,
 * rather than answer a question without it. */
static bool check_unknown(struct reading *r, struct plan *p)
{
	size_t unknown[8], n = 0;
	for (size_t i = 0; i < r->toks.n && n < 8; i++)
		if (unread_word(r, i) || misread_value_word(r, i))
			unknown[n++] = i;
	if (!n)
		return false;
	const char *analysis = insight_of(r, false, false, false);
	bool knowledge = analysis && strcmp(analysis, "knowledge") == 0;
	if (!about_costs(r) && (!analysis || knowledge) && !previous_answered(r->in->previous)) {
		/* nothing of a bill in it at all: "how do I bake sourdough",
		 * "what's the capital of Australia"; in a conversation the word
		 * is named instead ("what about bananas") */
		refuse(p, "I can only answer questions about your cloud bill: costs, usage, trends and comparisons. "
			  "Try \"What did we spend last month?\" or \"Top 5 services by cost\".");
		return true;
	}
	const struct slice *first = &r->toks.items[unknown[0]].text;
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
static bool says_nothing(const struct reading *r)
{
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

/* The columns whose values people name as things of their own: two of
 * them sharing a word is an ambiguity. A usage type or operation that
 * shares a word with one of them ("Tax") is a detail of it, and the
 * dimension priority decides. */
static bool names_an_owner(enum dimension d)
{
	return d == DIM_SERVICE || d == DIM_ACCOUNT || d == DIM_REGION || d == DIM_TAG || d == DIM_CATEGORY ||
	       d == DIM_PROVIDER;
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

/* Readings of one name that only a dimension word can tell apart: values
 * found in the data in two or more columns ("prod": an account and an env
 * tag). Asks with labelled choices unless a neighbour named the column. */
static bool check_ambiguity(struct reading *r, struct plan *p)
{
	for (size_t i = 0; i < r->nnames; i++) {
		struct name_hit *h = &r->names[i];
		if (h->resource[0] || h->qualified || h->m.fuzzy || !h->reading || h->reading->kind != VOCAB_VALUE)
			continue;
		if (convention_decides(r, h))
			continue;
		const struct vocab_entry *cols[6];
		int ncols = 0;
		bool from_data = false;
		for (int k = 0; k < h->m.nentries; k++) {
			const struct vocab_entry *e = h->m.entries[k];
			if (e->kind != VOCAB_VALUE || !names_an_owner(e->col.dim))
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

/* A token that names things one could count: a resource noun or a
 * dimension word ("accounts", "days"). */
static bool is_counted_thing(const struct reading *r, size_t i)
{
	for (size_t k = 0; k < r->nnouns; k++)
		if (r->nouns[k].tok == i)
			return true;
	for (size_t k = 0; k < r->nnames; k++)
		if (r->names[k].m.first == i && is_dimension_hit(&r->names[k]))
			return true;
	static const char *const units[] = { "day", "days", "month", "months", "week", "weeks", NULL };
	return tok_in(&r->toks, i, units);
}

/* "how many buckets", "number of accounts", "how many days": the token
 * naming what is counted, or SIZE_MAX when the question counts nothing
 * ("how many GB" asks for usage). */
static size_t counted_token(const struct reading *r)
{
	for (size_t c = 0; c < r->ncues; c++) {
		bool how_many = r->cues[c].cue == CUE_USAGE && tok_is(&r->toks, r->cues[c].first, "how") &&
				tok_is(&r->toks, r->cues[c].first + 1, "many");
		if (!how_many && r->cues[c].cue != CUE_COUNT)
			continue;
		/* skip the names in front: "how many S3 buckets", "number of RDS databases" */
		size_t i = r->cues[c].last + 1;
		while (i < r->toks.n && !is_counted_thing(r, i) &&
		       (r->role[i] == ROLE_NAME ||
			(r->role[i] == ROLE_FREE && lexicon_is_function_word(&r->toks.items[i].text))))
			i++;
		if (i < r->toks.n && is_counted_thing(r, i))
			return i;
	}
	return SIZE_MAX;
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
		if (r->names[k].m.first == i && is_dimension_hit(&r->names[k])) {
			p->group = r->names[k].reading->col;
			r->names[k].grouping = true;
			return;
		}
	p->group.dim = DIM_NONE; /* days */
	r->role[i] = ROLE_CUE;
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
static bool check_unused_dimensions(struct reading *r, struct plan *p)
{
	if (p->intent == INTENT_INSIGHT || p->intent == INTENT_REFUSE || p->intent == INTENT_CLARIFY ||
	    p->intent == INTENT_HELP)
		return false;
	for (size_t i = 0; i < r->nnames; i++) {
		const struct name_hit *h = &r->names[i];
		if (!is_dimension_hit(h) || h->grouping || h->qualifier || h->scope ||
		    (h->excluded && h->reading->col.dim == DIM_TAG))
			continue;
		if (p->group.dim != DIM_NONE && dim_ref_eq(&p->group, &h->reading->col))
			continue;
		int ref = refers_back(r, h);
		if (ref > 0)
			continue;
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
		const char *used = p->group.dim == DIM_NONE ? NULL : dimension_label(&p->group);
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

/* Does a follow-up change anything in the previous plan? */
static bool followup_says_something(const struct reading *r, const struct plan *now, bool group_mentioned,
				    bool measure_mentioned, bool limit_mentioned)
{
	static const enum cue edits[] = {
		CUE_DRILL, CUE_PERIOD_BEFORE, CUE_CHART_PIE, CUE_CHART_DOUGHNUT, CUE_CHART_BAR, CUE_CHART_HBAR, CUE_CHART_LINE,
		CUE_CHART_AREA, CUE_CHART_TABLE, CUE_COMPARE, CUE_VERSUS, CUE_MOM, CUE_WOW, CUE_QOQ, CUE_YOY,
		CUE_INCREASE, CUE_DECREASE, CUE_CHANGE, CUE_AVERAGE, CUE_PER_DAY, CUE_RUN_RATE, CUE_UNTAGGED,
		CUE_TREND, CUE_DAILY, CUE_WEEKLY, CUE_MONTHLY, CUE_QUARTERLY, CUE_YEARLY, CUE_SHARE, CUE_TOTAL,
	};
	return group_mentioned || measure_mentioned || limit_mentioned || now->nfilters > 0 || r->ntimes > 0 ||
	       now->has_threshold || now->intent == INTENT_INSIGHT ||
	       has_any_cue(r, edits, sizeof(edits) / sizeof(edits[0]));
}

/* ---- the user's view: each word and its role ---- */

static const char *cue_role_detail(enum cue c)
{
	return c == CUE_FILLER ? "" : "the parser's own word";
}

static void record_words(const struct reading *r, const struct spelling *fix, struct parse_result *out)
{
	out->nwords = 0;
	for (size_t i = 0; i < r->toks.n && out->nwords < PARSE_MAX_WORDS; i++) {
		const struct token *t = &r->toks.items[i];
		struct word_reading *w = &out->words[out->nwords++];
		memset(w, 0, sizeof(*w));
		snprintf(w->word, sizeof(w->word), "%.*s", (int)t->text.n, t->text.p);
		for (int k = 0; k < fix->n; k++)
			if (strcmp(fix->to[k], w->word) == 0) {
				snprintf(w->corrected, sizeof(w->corrected), "%s", fix->to[k]);
				snprintf(w->word, sizeof(w->word), "%s", fix->from[k]);
			}
		switch (r->role[i]) {
		case ROLE_TIME:
			w->role = WORD_TIME;
			for (size_t k = 0; k < r->ntimes; k++)
				if (r->times[k].first <= i && i <= r->times[k].last) {
					char dates[48];
					period_describe_dates(&r->times[k].period, dates, sizeof(dates));
					snprintf(w->detail, sizeof(w->detail), "%s (%s)", r->times[k].period.label, dates);
				}
			break;
		case ROLE_CUE:
			w->role = WORD_PARSER;
			for (size_t c = 0; c < r->ncues; c++)
				if (r->cues[c].first <= i && i <= r->cues[c].last) {
					if (r->cues[c].cue == CUE_FILLER)
						w->role = WORD_FUNCTION;
					snprintf(w->detail, sizeof(w->detail), "%s", cue_role_detail(r->cues[c].cue));
				}
			break;
		case ROLE_NAME:
			w->role = WORD_NAME;
			for (size_t k = 0; k < r->nnames; k++) {
				const struct name_hit *h = &r->names[k];
				if (h->m.first > i || i > h->m.last)
					continue;
				if (h->resource[0]) {
					w->role = WORD_RESOURCE;
					snprintf(w->detail, sizeof(w->detail), "resource %s", h->resource);
				} else if (h->reading && h->reading->kind == VOCAB_UNIT) {
					snprintf(w->detail, sizeof(w->detail), "usage in %s", h->reading->values[0]);
				} else if (h->reading && h->reading->kind == VOCAB_DIMENSION) {
					snprintf(w->detail, sizeof(w->detail), "the dimension %s", dimension_label(&h->reading->col));
				} else if (h->reading) {
					snprintf(w->detail, sizeof(w->detail), "%s %s%s", dimension_label(&h->reading->col),
						 h->reading->display, h->excluded ? " (excluded)" : "");
				}
				if (h->m.fuzzy && h->reading)
					snprintf(w->corrected, sizeof(w->corrected), "%s", h->reading->phrase);
			}
			break;
		case ROLE_FREE:
		default:
			if (t->kind == TOK_PUNCT)
				w->role = WORD_PUNCT;
			else if (t->kind == TOK_NUMBER || t->kind == TOK_DATE || lexicon_number_word(&t->text) >= 0)
				w->role = WORD_NUMBER;
			else if (lexicon_offtopic(&t->text) != OFFTOPIC_NONE)
				w->role = WORD_OFFTOPIC;
			else if (lexicon_is_function_word(&t->text) || lexicon_is_mutation_verb(&t->text))
				w->role = lexicon_is_mutation_verb(&t->text) ? WORD_OFFTOPIC : WORD_FUNCTION;
			else
				w->role = WORD_UNKNOWN;
			break;
		}
	}
}

const char *parse_status_name(enum parse_status s)
{
	static const char *const names[] = {
		[PARSE_ANSWERED] = "answered", [PARSE_UNKNOWN] = "unknown", [PARSE_AMBIGUOUS] = "ambiguous",
		[PARSE_OFFTOPIC] = "offtopic",
	};
	return names[s];
}

const char *word_role_name(enum word_role r)
{
	static const char *const names[] = {
		[WORD_FUNCTION] = "function", [WORD_PUNCT] = "punctuation", [WORD_TIME] = "time",
		[WORD_NUMBER] = "number", [WORD_PARSER] = "parser", [WORD_NAME] = "name",
		[WORD_RESOURCE] = "resource", [WORD_UNKNOWN] = "unknown", [WORD_OFFTOPIC] = "offtopic",
	};
	return names[r];
}

static void reading_start(struct reading *r, const struct parse_input *in, const char *text, bool fuzzy_names)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->text = text;
	r->fuzzy_names = fuzzy_names;
	strbuf_init(&r->notes, 0);
	lex(text, &r->toks);
	r->role = calloc(r->toks.n + 1, sizeof(*r->role));
	read_tokens(r);
	mark_horizon_units(r);
	mark_bare_years(r);
	mark_time_nouns(r);
	mark_resource_nouns(r);
}

static void reading_release(struct reading *r)
{
	strbuf_release(&r->notes);
	free(r->role);
	token_list_release(&r->toks);
}


void parse_question(const struct parse_input *in, struct parse_result *out)
{
	if (answer_clarification(in, out))
		return;
	memset(out, 0, sizeof(*out));
	struct spelling fix = { .n = 0 };
	/* Exact words first, which reads most questions whole; then, if some
	 * words are left, typos: ours corrected in the text, names matched
	 * fuzzily in a second reading. */
	struct reading r;
	reading_start(&r, in, in->question, false);
	char *corrected = NULL;
	if (has_unread_word(&r)) {
		corrected = correct_spelling(&r, &fix);
		reading_release(&r);
		reading_start(&r, in, corrected ? corrected : in->question, true);
		for (int k = 0; k < fix.n; k++)
			note(&r, "read '%s' as '%s'", fix.from[k], fix.to[k]);
	}
	struct plan *p = &out->plan;
	plan_init(p);
	out->status = PARSE_OFFTOPIC;

	if (check_refusal(&r, p) || check_offtopic(&r, p))
		goto out;
	out->status = PARSE_UNKNOWN;
	if (choose_readings(&r, p))
		goto out;
	size_t counted = counted_token(&r);
	if (counted != SIZE_MAX && r.role[counted] == ROLE_FREE)
		r.role[counted] = ROLE_CUE; /* "how many days": what is counted, not a time word */
	if (check_unknown(&r, p))
		goto out;
	out->status = PARSE_AMBIGUOUS;
	if (check_ambiguity(&r, p))
		goto out;
	out->status = PARSE_OFFTOPIC;
	if (says_nothing(&r)) {
		refuse(p, previous_answered(in->previous)
				  ? "What should I change in the last answer? For example 'by region', 'only EC2', "
				    "'last quarter' or 'top 5'."
				  : "Ask me about your cloud bill: for example \"What did we spend last month?\" or "
				    "\"Top 5 services by cost\".");
		goto out;
	}
	mark_exclusions(&r);

	bool followup = previous_answered(in->previous) && looks_like_followup(&r);
	if (!followup && !about_costs(&r) && !insight_of(&r, false, false, false)) {
		refuse(p, "I can only answer questions about your cloud bill: costs, usage, trends and "
			  "comparisons. Try \"What did we spend last month?\" or \"Top 5 services by cost\".");
		goto out;
	}
	out->status = PARSE_ANSWERED;
	bool group_mentioned, measure_mentioned, limit_mentioned;
	plan_standalone(&r, p, &group_mentioned, &measure_mentioned, &limit_mentioned);
	if (check_unused_dimensions(&r, p)) {
		out->status = PARSE_UNKNOWN;
		goto out;
	}
	if (followup) {
		if (!followup_says_something(&r, p, group_mentioned, measure_mentioned, limit_mentioned)) {
			out->status = PARSE_UNKNOWN;
			plan_init(p);
			p->intent = INTENT_CLARIFY;
			snprintf(p->message, sizeof(p->message),
				 "I'm not sure what to change in the last answer. Try 'by region', 'only EC2', "
				 "'last quarter', 'top 5' or a new question.");
			goto out;
		}
		apply_followup(&r, in->previous, p, group_mentioned, measure_mentioned, limit_mentioned);
		out->followup = true;
	} else if (in->previous && r.ntimes == 0 && p->range_defaulted && !in->previous->range_defaulted &&
		   previous_answered(in->previous) &&
		   in->previous->intent != INTENT_COMPARE_PERIODS && in->previous->intent != INTENT_MOVERS &&
		   in->previous->intent != INTENT_INSIGHT && p->intent != INTENT_COMPARE_PERIODS &&
		   p->intent != INTENT_MOVERS && p->intent != INTENT_INSIGHT) {
		/* a new question in a conversation, without dates: the period
		 * already being talked about */
		p->range = in->previous->range;
		p->range_defaulted = false;
		note(&r, "the period of the previous question, %s%s", p->range.label, "");
	}
	if (p->intent == INTENT_INSIGHT) /* the knowledge base searches the words themselves */
		snprintf(p->topic, sizeof(p->topic), "%s", in->question);
out:
	if (p->intent == INTENT_HELP)
		out->status = PARSE_ANSWERED;
	else if (p->intent == INTENT_REFUSE)
		out->status = PARSE_OFFTOPIC;
	record_words(&r, &fix, out);
	snprintf(out->notes, sizeof(out->notes), "%s", r.notes.len ? r.notes.buf : "");
	reading_release(&r);
	free(corrected);
}
