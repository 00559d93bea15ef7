/*
 * lexer: tokenizer for questions. See lexer.h.
 */
#include "lexer.h"
#include "date.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* Inner punctuation that belongs to a name when a word character follows. */
static bool is_joiner(char c)
{
	return c == '-' || c == '_' || c == '.' || c == ':' || c == '/';
}

static struct token *push(struct token_list *l, enum token_kind kind, const char *p, size_t n, size_t offset)
{
	ALLOC_GROW(l->items, l->n + 1, l->alloc);
	struct token *t = &l->items[l->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->text.p = p;
	t->text.n = n;
	t->offset = offset;
	return t;
}

/* A number at p: digits with thousands commas and a decimal point, then an
 * optional k/m/bn multiplier, % or ordinal suffix. Returns its length or 0. */
static size_t scan_number(const char *p, struct token *t)
{
	char digits[64];
	size_t n = 0, d = 0;
	while (p[n] && d + 1 < sizeof(digits)) {
		if (isdigit((unsigned char)p[n])) {
			digits[d++] = p[n++];
		} else if (p[n] == ',' && isdigit((unsigned char)p[n + 1]) && isdigit((unsigned char)p[n + 2]) &&
			   isdigit((unsigned char)p[n + 3]) && !isdigit((unsigned char)p[n + 4])) {
			n++; /* thousands separator */
		} else if (p[n] == '.' && isdigit((unsigned char)p[n + 1])) {
			digits[d++] = p[n++];
		} else {
			break;
		}
	}
	if (!d)
		return 0;
	digits[d] = '\0';
	t->number = strtod(digits, NULL);
	static const struct {
		const char *suffix;
		double factor;
		bool money, percent, ordinal;
	} suffixes[] = {
		{ "st", 1, false, false, true }, { "nd", 1, false, false, true },
		{ "rd", 1, false, false, true }, { "th", 1, false, false, true },
		{ "k", 1e3, true, false, false }, { "m", 1e6, true, false, false },
		{ "bn", 1e9, true, false, false }, { "%", 1, false, true, false },
	};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t len = strlen(suffixes[i].suffix);
		if (strncmp(p + n, suffixes[i].suffix, len) == 0 && !is_word_char(p[n + len])) {
			t->number *= suffixes[i].factor;
			t->money |= suffixes[i].money;
			t->percent = suffixes[i].percent;
			t->ordinal = suffixes[i].ordinal;
			return n + len;
		}
	}
	return is_word_char(p[n]) ? 0 : n; /* "5xl" is a word, not a number */
}

/* Split "month-over-month" into words, but keep "us-east-1" whole. */
static void push_word(struct token_list *l, const char *p, size_t n, size_t offset)
{
	bool has_digit = false, has_hyphen = false;
	for (size_t i = 0; i < n; i++) {
		has_digit |= isdigit((unsigned char)p[i]) != 0;
		has_hyphen |= p[i] == '-';
	}
	if (!has_hyphen || has_digit) {
		push(l, TOK_WORD, p, n, offset);
		return;
	}
	size_t start = 0;
	for (size_t i = 0; i <= n; i++)
		if (i == n || p[i] == '-') {
			if (i > start)
				push(l, TOK_WORD, p + start, i - start, offset + start);
			start = i + 1;
		}
}

void lex(const char *question, struct token_list *out)
{
	memset(out, 0, sizeof(*out));
	size_t len = strlen(question);
	out->lower = xmalloc(len + 1);
	for (size_t i = 0; i <= len; i++)
		out->lower[i] = (char)tolower((unsigned char)question[i]);
	const char *s = out->lower;
	size_t i = 0;
	while (i < len) {
		char c = s[i];
		if (isspace((unsigned char)c)) {
			i++;
			continue;
		}
		/* ISO date */
		char iso[11];
		int day;
		if (isdigit((unsigned char)c) && i + 10 <= len) {
			memcpy(iso, s + i, 10);
			iso[10] = '\0';
			if (date_parse(iso, &day) && !is_word_char(s[i + 10])) {
				struct token *t = push(out, TOK_DATE, s + i, 10, i);
				t->day = day;
				i += 10;
				continue;
			}
		}
		/* money: a currency sign and a number */
		bool money = (c == '$' || (unsigned char)c == 0xe2 /* € */) && i + 1 < len;
		size_t sign = c == '$' ? 1 : (money && strncmp(s + i, "\xe2\x82\xac", 3) == 0 ? 3 : 0);
		struct token probe = { 0 };
		size_t n = scan_number(s + i + sign, &probe);
		if (n && (sign || isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)s[i + 1])))) {
			/* A number glued to letters with inner punctuation ("2025-10",
			 * "m5.xlarge") is left to the word scanner below. */
			if (!(is_joiner(s[i + sign + n]) && is_word_char(s[i + sign + n + 1]))) {
				struct token *t = push(out, TOK_NUMBER, s + i, sign + n, i);
				t->number = probe.number;
				t->money = probe.money || sign;
				t->percent = probe.percent;
				t->ordinal = probe.ordinal;
				i += sign + n;
				continue;
			}
		}
		if (is_word_char(c)) {
			size_t start = i;
			while (i < len && (is_word_char(s[i]) || (is_joiner(s[i]) && is_word_char(s[i + 1]))))
				i++;
			size_t end = i;
			/* possessive or contraction: "month's", "what's" */
			if (i + 1 < len && (s[i] == '\'' || strncmp(s + i, "\xe2\x80\x99", 3) == 0)) {
				size_t q = s[i] == '\'' ? 1 : 3;
				if (s[i + q] == 's' && !is_word_char(s[i + q + 1]))
					i += q + 1;
				else if (s[i + q] == 't' && !is_word_char(s[i + q + 1]))
					i += q + 1, end = i; /* "don't" stays one word: "don't" */
			}
			push_word(out, s + start, end - start, start);
			continue;
		}
		if (strchr(",.?!;:()&+<>=\"'", c))
			push(out, TOK_PUNCT, s + i, 1, i);
		i++;
	}
}

void token_list_release(struct token_list *l)
{
	free(l->items);
	free(l->lower);
	memset(l, 0, sizeof(*l));
}

bool tok_is(const struct token_list *l, size_t i, const char *w)
{
	return i < l->n && l->items[i].kind == TOK_WORD && slice_eq(l->items[i].text, w);
}

bool tok_in(const struct token_list *l, size_t i, const char *const *words)
{
	for (; *words; words++)
		if (tok_is(l, i, *words))
			return true;
	return false;
}
