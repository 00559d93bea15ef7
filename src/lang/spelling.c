/*
 * spelling: typos in the parser's own words, mended before a question is
 * read again (parse.c). A word the data names is never a typo; an
 * inflection of a cue is that cue; a FOCUS name in one word
 * ("BilledCost") is split where its words read whole; the rest goes to
 * lexicon_correct(). Each mend is noted in the answer. Pure.
 */
#include "parse_internal.h"
#include "lexicon.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

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
/* Does text read whole: a phrase of ours or a name in the data ("service
 * category"), or words each of which is one ("billed" "cost")? "git hub"
 * (GitHub) and "work spaces" do not, and stay the word the user wrote. */
static bool reads_whole(const struct vocab *v, const char *text)
{
	const struct vocab_entry *found[2];
	if (lexicon_cue(text) != CUE_NONE || (v && vocab_lookup(v, text, found, 2) > 0))
		return true;
	char word[48];
	while (*text) {
		size_t n = strcspn(text, " ");
		struct slice w = { .p = text, .n = n };
		if (n >= sizeof(word))
			return false;
		snprintf(word, sizeof(word), "%.*s", (int)n, text);
		if (!lexicon_is_function_word(&w) && lexicon_cue(word) == CUE_NONE && !(v && vocab_lookup(v, word, found, 2) > 0))
			return false;
		text += n;
		while (*text == ' ')
			text++;
	}
	return true;
}

/* The parser's word w inflects ("omitting", "excluded"), into out; or NULL. */
static const char *inflection_of_cue(const struct slice *w, char *out, size_t size)
{
	static const char *const endings[] = { "ing", "ed", "s", NULL };
	for (const char *const *e = endings; *e; e++) {
		size_t n = strlen(*e);
		if (w->n <= n + 3 || w->n - n >= size || memcmp(w->p + w->n - n, *e, n) != 0)
			continue;
		size_t stem = w->n - n;
		snprintf(out, size, "%.*s", (int)stem, w->p);
		if (lexicon_cue(out) != CUE_NONE)
			return out;
		if (stem + 1 < size) { /* "excluded": exclude */
			out[stem] = 'e';
			out[stem + 1] = '\0';
			if (lexicon_cue(out) != CUE_NONE)
				return out;
		}
	}
	return NULL;
}

/* FOCUS column names written as one word ("BilledCost", "ServiceCategory",
 * "SubAccount"): the words they join. False when word is not camel case. */
static bool split_camel_case(const struct slice *word, char *out, size_t size)
{
	size_t o = 0;
	bool split = false;
	for (size_t i = 0; i < word->n; i++) {
		char c = word->p[i];
		if (!isalpha((unsigned char)c))
			return false;
		bool boundary = i > 0 && isupper((unsigned char)c) && islower((unsigned char)word->p[i - 1]);
		if (o + 3 >= size)
			return false;
		if (boundary) {
			out[o++] = ' ';
			split = true;
		}
		out[o++] = (char)tolower((unsigned char)c);
	}
	out[o] = '\0';
	return split;
}

char *parse_correct_spelling(const struct reading *r, struct spelling *fix)
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
		struct slice as_written = { .p = r->text + t->offset, .n = t->text.n };
		const char *meant = lexicon_shorthand(&t->text);
		if (meant)
			snprintf(to, sizeof(to), "%s", meant);
		/* an inflection of one of our words is that word, never a
		 * neighbour by spelling ("excepting" is not "exceeding") */
		if (!meant && (meant = inflection_of_cue(&t->text, to, sizeof(to))) == NULL)
			to[0] = '\0';
		int d = meant || (split_camel_case(&as_written, to, sizeof(to)) && reads_whole(r->in->vocab, to))
				? 0
				: lexicon_correct(&t->text, to, sizeof(to));
		if (d < 0 || names_word(r->in->vocab, &t->text))
			continue;
		/* a name as close or closer is the name's typo ("acount": account, not amount) */
		struct vocab_match m;
		if (r->in->vocab && vocab_match_at(r->in->vocab, &r->toks, i, parse_is_reserved, true, &m) &&
		    m.distance <= d)
			continue;
		snprintf(fix->from[fix->n], sizeof(fix->from[0]), "%.*s", (int)as_written.n, as_written.p);
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
