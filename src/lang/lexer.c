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
	/* "service-wise", "day-wise" (Indian English): "by service", "by day" */
	static const char by[] = "by";
	if (n > 5 && memcmp(p + n - 5, "-wise", 5) == 0) {
		push(l, TOK_WORD, by, 2, offset);
		n -= 5;
	}
	size_t start = 0;
	for (size_t i = 0; i <= n; i++)
		if (i == n || p[i] == '-') {
			if (i > start)
				push(l, TOK_WORD, p + start, i - start, offset + start);
			start = i + 1;
		}
}

/* The code point of the UTF-8 sequence at s (of *n bytes), or 0. */
static unsigned utf8_at(const char *s, size_t len, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;
	if (u[0] >= 0xf0 && len >= 4) {
		cp = (u[0] & 0x07u) << 18 | (u[1] & 0x3fu) << 12 | (u[2] & 0x3fu) << 6 | (u[3] & 0x3fu);
		*n = 4;
	} else if (u[0] >= 0xe0 && len >= 3) {
		cp = (u[0] & 0x0fu) << 12 | (u[1] & 0x3fu) << 6 | (u[2] & 0x3fu);
		*n = 3;
	} else {
		return 0;
	}
	return cp;
}

/* Chat around a question pasted from Slack or Teams, which addresses
 * people and decorates but never names anything in a bill: a mention
 * ("@finq", "@maria.lopez"), an emoji or pictograph, a shortcode
 * (":fire:"), a "+1". The length to skip at i, or 0. */
static size_t chatter_at(const char *s, size_t i, size_t len)
{
	bool at_start = i == 0 || isspace((unsigned char)s[i - 1]) || s[i - 1] == '(';
	if (s[i] == '@' && at_start && is_word_char(s[i + 1])) {
		size_t n = 1;
		while (i + n < len && (is_word_char(s[i + n]) || (is_joiner(s[i + n]) && is_word_char(s[i + n + 1]))))
			n++;
		return n;
	}
	if (s[i] == ':' && at_start) {
		size_t n = 1;
		while (i + n < len && n < 40 && (isalnum((unsigned char)s[i + n]) || strchr("_+-", s[i + n])))
			n++;
		if (n > 1 && s[i + n] == ':' && (i + n + 1 == len || !is_word_char(s[i + n + 1])))
			return n + 1;
	}
	if (s[i] == '+' && s[i + 1] == '1' && at_start && (i + 2 == len || !is_word_char(s[i + 2])))
		return 2;
	size_t n = 0;
	unsigned cp = utf8_at(s + i, len - i, &n);
	/* arrows, symbols and dingbats; pictographs, emoji and their flags;
	 * the variation selector and joiner that build them */
	if ((cp >= 0x2190 && cp <= 0x2bff) || (cp >= 0x1f000 && cp <= 0x1faff) || cp == 0xfe0f || cp == 0x200d)
		return n;
	return 0;
}

/* "1.000 $", "50.000 €", "1 000 $": an amount in the European way, dots
 * or spaces grouping thousands and the sign after it. Its length (sign included) and value,
 * or 0. */
static size_t european_amount(const char *s, size_t i, size_t len, double *value)
{
	size_t n = 0, lead = 0;
	double v = 0;
	while (i + n < len && isdigit((unsigned char)s[i + n]) && lead < 3)
		v = v * 10 + (s[i + n++] - '0'), lead++;
	if (!lead || isdigit((unsigned char)s[i + n]))
		return 0;
	int groups = 0;
	/* one separator throughout: dots ("1.000 $") or spaces ("1 000 $") */
	char sep = s[i + n] == ' ' ? ' ' : '.';
	while (s[i + n] == sep && isdigit((unsigned char)s[i + n + 1]) && isdigit((unsigned char)s[i + n + 2]) &&
	       isdigit((unsigned char)s[i + n + 3]) && !isdigit((unsigned char)s[i + n + 4])) {
		for (int k = 1; k <= 3; k++)
			v = v * 10 + (s[i + n + k] - '0');
		n += 4;
		groups++;
	}
	if (!groups)
		return 0;
	size_t sign = n;
	while (s[i + sign] == ' ')
		sign++;
	if (s[i + sign] == '$')
		sign += 1;
	else if (strncmp(s + i + sign, "\xe2\x82\xac", 3) == 0)
		sign += 3;
	else
		return 0;
	*value = v;
	return sign;
}

/* Does p (lower case) start with a month's name or its first three
 * letters, as a word ("november", "nov")? "5. November" is a day. */
static bool month_follows(const char *p)
{
	for (int m = 1; m <= 12; m++) {
		const char *name = date_month_name(m);
		size_t n = 0;
		while (p[n] && p[n] == tolower((unsigned char)name[n]))
			n++;
		if (n >= 3 && !is_word_char(p[n]))
			return true;
	}
	return false;
}

/* The length of "top" or "bottom" in a word glued to a count ("top5"), or 0. */
static size_t glued_rank_word(const char *p, size_t n)
{
	static const char *const ranks[] = { "top", "bottom", NULL };
	for (const char *const *w = ranks; *w; w++) {
		size_t k = strlen(*w);
		if (n <= k || n > k + 3 || strncmp(p, *w, k) != 0)
			continue;
		bool count = true;
		for (size_t i = k; i < n; i++)
			count &= isdigit((unsigned char)p[i]) != 0;
		if (count)
			return k;
	}
	return 0;
}

/* "month wise", "service wise" (Indian English, written apart as often
 * as hyphened): "by month", "by service", as push_word() reads
 * "service-wise". */
static void by_wise(struct token_list *l)
{
	static const char by[] = "by";
	for (size_t i = 1; i < l->n; i++) {
		struct token *w = &l->items[i], *x = &l->items[i - 1];
		if (w->kind != TOK_WORD || !slice_eq(w->text, "wise") || x->kind != TOK_WORD || slice_eq(x->text, "by"))
			continue;
		*w = *x;
		x->text.p = by;
		x->text.n = 2;
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
		size_t chatter = chatter_at(s, i, len);
		if (chatter) {
			/* a clause ends there, as at a comma ("hey team :wave: how ...") */
			push(out, TOK_PUNCT, s + i, chatter, i);
			i += chatter;
			continue;
		}
		/* "30d", "14d": days, as in "last 30d" */
		size_t digits = 0;
		while (isdigit((unsigned char)s[i + digits]))
			digits++;
		if (digits && digits <= 4 && s[i + digits] == 'd' && !is_word_char(s[i + digits + 1])) {
			struct token *t = push(out, TOK_NUMBER, s + i, digits, i);
			t->number = strtod(s + i, NULL);
			push(out, TOK_WORD, s + i + digits, 1, i + digits);
			i += digits + 1;
			continue;
		}
		double amount;
		size_t european = isdigit((unsigned char)c) ? european_amount(s, i, len, &amount) : 0;
		if (european) {
			struct token *t = push(out, TOK_NUMBER, s + i, european, i);
			t->number = amount;
			t->money = true;
			t->euro = s[i + european - 1] != '$';
			i += european;
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
				t->euro = sign == 3;
				t->percent = probe.percent;
				t->ordinal = probe.ordinal;
				i += sign + n;
				/* "from the 1. to the 15. of November": a day written the
				 * German way, the dot before more words of the sentence */
				if (!t->money && !t->percent && !t->ordinal && t->number >= 1 && t->number <= 31 &&
				    t->number == (int)t->number && s[i] == '.' && s[i + 1] == ' ' &&
				    (islower((unsigned char)question[i + 2]) || month_follows(s + i + 2))) {
					t->ordinal = true;
					i++;
				}
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
			/* "top5", "bottom10": the word and its number */
			size_t glued = glued_rank_word(s + start, end - start);
			if (glued) {
				push(out, TOK_WORD, s + start, glued, start);
				struct token *t = push(out, TOK_NUMBER, s + start + glued, end - start - glued, start + glued);
				t->number = strtod(s + start + glued, NULL);
				continue;
			}
			push_word(out, s + start, end - start, start);
			continue;
		}
		/* "Nov '25", "Q3'25": an apostrophe and two digits are a year */
		if (c == '\'' && isdigit((unsigned char)s[i + 1]) && isdigit((unsigned char)s[i + 2]) &&
		    !is_word_char(s[i + 3])) {
			struct token *t = push(out, TOK_NUMBER, s + i, 3, i);
			t->number = 2000 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
			t->short_year = true;
			i += 3;
			continue;
		}
		/* "region != us-east-1", "region <> us-east-1": one sign, "not" */
		if ((c == '!' && s[i + 1] == '=') || (c == '<' && s[i + 1] == '>')) {
			push(out, TOK_PUNCT, s + i, 2, i);
			i += 2;
			continue;
		}
		/* "01.10.2025 - 31.10.2025": a dash between spaces joins a span */
		if (c == '-' && (i == 0 || s[i - 1] == ' ') && s[i + 1] == ' ') {
			push(out, TOK_PUNCT, s + i, 1, i);
			i++;
			continue;
		}
		if (strchr(",.?!;:()&+<>=\"'", c))
			push(out, TOK_PUNCT, s + i, 1, i);
		i++;
	}
	by_wise(out);
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
