/*
 * sqlcost: the lexical scan behind the sandbox's statement caps. See
 * sqlcost.h.
 */
#include "sqlcost.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* Past a quoted run that opened at p[-1] and closes with quote; a doubled
 * quote stays inside, and with backslashes a backslash escapes the next
 * character. An unclosed run ends the text. */
static const char *skip_quoted(const char *p, char quote, bool backslashes)
{
	for (; *p; p++) {
		if (backslashes && *p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == quote) {
			if (p[1] != quote)
				return p + 1;
			p++;
		}
	}
	return p;
}

/* Past a block comment opened at p (with its slash-star); they nest. */
static const char *skip_block_comment(const char *p)
{
	size_t depth = 0;
	while (*p) {
		if (p[0] == '/' && p[1] == '*') {
			depth++;
			p += 2;
		} else if (p[0] == '*' && p[1] == '/') {
			p += 2;
			if (--depth == 0)
				return p;
		} else {
			p++;
		}
	}
	return p;
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* A dollar-quoted string $tag$...$tag$ opened at p; NULL when p does not
 * open one ($1 is a parameter). */
static const char *skip_dollar_quoted(const char *p)
{
	const char *tag_end = p + 1;
	if (isdigit((unsigned char)*tag_end))
		return NULL;
	while (is_word_char(*tag_end) && (unsigned char)*tag_end < 0x80)
		tag_end++;
	if (*tag_end != '$')
		return NULL;
	size_t tag_len = (size_t)(tag_end - p) + 1;
	const char *close;
	for (close = tag_end + 1; *close; close++)
		if (strncmp(close, p, tag_len) == 0)
			return close + tag_len;
	return close;
}

/* Past whitespace and comments. */
static const char *skip_space(const char *p)
{
	for (;;) {
		if (isspace((unsigned char)*p))
			p++;
		else if (p[0] == '-' && p[1] == '-')
			p += strcspn(p, "\n");
		else if (p[0] == '/' && p[1] == '*')
			p = skip_block_comment(p);
		else
			return p;
	}
}

/* Whether the word at p (length n) is kw, case-insensitively. */
static bool word_is(const char *p, size_t n, const char *kw)
{
	return strlen(kw) == n && strncasecmp(p, kw, n) == 0;
}

/* After the keyword AS at p (length 2): does a CTE body "(" follow,
 * perhaps after [NOT] MATERIALIZED? */
static bool opens_cte_body(const char *p)
{
	static const char *const between[] = { "NOT", "MATERIALIZED" };
	p = skip_space(p);
	for (size_t i = 0; i < sizeof(between) / sizeof(between[0]); i++) {
		size_t n = 0;
		while (is_word_char(p[n]))
			n++;
		if (word_is(p, n, between[i]))
			p = skip_space(p + n);
	}
	return *p == '(';
}

void sqlcost_measure(const char *sql, struct sqlcost *out)
{
	size_t depth = 0;
	memset(out, 0, sizeof(*out));
	const char *p = sql;
	while (*p) {
		const char *next;
		if (*p == '\'') {
			p = skip_quoted(p + 1, '\'', false);
		} else if ((*p == 'E' || *p == 'e') && p[1] == '\'' && (p == sql || !is_word_char(p[-1]))) {
			p = skip_quoted(p + 2, '\'', true);
		} else if (*p == '"') {
			p = skip_quoted(p + 1, '"', false);
		} else if (*p == '$' && (next = skip_dollar_quoted(p))) {
			p = next;
		} else if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) {
			p = skip_space(p);
		} else if (*p == '(' || *p == '[' || *p == '{') {
			if (++depth > out->max_depth)
				out->max_depth = depth;
			p++;
		} else if (*p == ')' || *p == ']' || *p == '}') {
			if (depth)
				depth--;
			p++;
		} else if (is_word_char(*p)) {
			size_t n = 0;
			while (is_word_char(p[n]))
				n++;
			if (word_is(p, n, "AS") && opens_cte_body(p + n))
				out->ctes++;
			p += n;
		} else {
			p++;
		}
	}
}
