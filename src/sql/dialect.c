/*
 * dialect: the macro expander every dialect shares (see dialect.h).
 *
 * A hand-written statement spells an engine-specific piece as
 * `$name(arg, ...)`: `$sum_if(cost, usage_date >= $date('2025-11-01'))`.
 * The arguments are split at the commas outside parentheses and quotes,
 * trimmed, expanded themselves (macros nest), and put into the macro's body
 * at $1..$9. Text inside '...' and "..." is copied as it is, so a tag value
 * or a column name holding a '$' is never read as a macro. A '$' followed by
 * a digit is left alone (a prepared statement's parameter).
 */
#include "dialect.h"

#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_NESTING = 16, MAX_ARGS = 9 };

const struct sql_macro *sql_dialect_macro(const struct sql_dialect *d, const char *name, size_t len)
{
	size_t lo = 0, hi = d->nmacros;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *m = d->macros[mid].name;
		int cmp = strncmp(m, name, len);
		if (cmp == 0)
			cmp = m[len] ? 1 : 0;
		if (cmp == 0)
			return &d->macros[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The end of the quoted text starting at s[i] (its quote), past the closing
 * quote; a doubled quote inside is part of the text. n when unterminated. */
static size_t skip_quoted(const char *s, size_t i, size_t n)
{
	char q = s[i++];
	while (i < n) {
		if (s[i] == q) {
			if (i + 1 < n && s[i + 1] == q) {
				i += 2;
				continue;
			}
			return i + 1;
		}
		i++;
	}
	return n;
}

static int expand_span(const struct sql_dialect *d, const char *s, size_t n, struct strbuf *out, int depth,
		       struct err *e);

/* Expand the macro whose name is s[name..name+len) and whose '(' is at
 * s[open]; *end is set past its ')'. */
static int expand_call(const struct sql_dialect *d, const char *s, size_t n, size_t name, size_t len, size_t open,
		       size_t *end, struct strbuf *out, int depth, struct err *e)
{
	const struct sql_macro *m = sql_dialect_macro(d, s + name, len);
	if (!m)
		return err_set(e, "the %s dialect has no macro $%.*s", d->name, (int)len, s + name);
	if (depth >= MAX_NESTING)
		return err_set(e, "macros nest deeper than %d at $%.*s", MAX_NESTING, (int)len, s + name);

	size_t from[MAX_ARGS + 1], to[MAX_ARGS + 1];
	int nargs = 0, parens = 0;
	size_t i = open + 1, start = i;
	for (; i < n; i++) {
		char c = s[i];
		if (c == '\'' || c == '"') {
			i = skip_quoted(s, i, n) - 1;
			continue;
		}
		if (c == '(') {
			parens++;
			continue;
		}
		if ((c == ',' || c == ')') && parens == 0) {
			if (nargs == MAX_ARGS)
				return err_set(e, "$%s has more than %d arguments", m->name, MAX_ARGS);
			from[nargs] = start;
			to[nargs] = i;
			nargs++;
			start = i + 1;
			if (c == ')')
				break;
			continue;
		}
		if (c == ')')
			parens--;
	}
	if (i >= n)
		return err_set(e, "$%s( has no closing parenthesis", m->name);
	*end = i + 1;

	/* trim; "$f()" is a call with no arguments */
	for (int a = 0; a < nargs; a++) {
		while (from[a] < to[a] && isspace((unsigned char)s[from[a]]))
			from[a]++;
		while (to[a] > from[a] && isspace((unsigned char)s[to[a] - 1]))
			to[a]--;
	}
	if (nargs == 1 && from[0] == to[0])
		nargs = 0;
	if (nargs != m->nargs)
		return err_set(e, "$%s takes %d argument%s, not %d", m->name, m->nargs, m->nargs == 1 ? "" : "s", nargs);

	struct strbuf args[MAX_ARGS];
	int rc = 0;
	for (int a = 0; a < nargs; a++) {
		strbuf_init(&args[a], 0);
		if (rc == 0)
			rc = expand_span(d, s + from[a], to[a] - from[a], &args[a], depth + 1, e);
	}
	for (const char *b = m->body; rc == 0 && *b; b++) {
		if (b[0] == '$' && b[1] >= '1' && b[1] <= '9' && b[1] - '1' < nargs) {
			strbuf_addstr(out, args[b[1] - '1'].buf);
			b++;
		} else {
			strbuf_addch(out, *b);
		}
	}
	for (int a = 0; a < nargs; a++)
		strbuf_release(&args[a]);
	return rc;
}

static int expand_span(const struct sql_dialect *d, const char *s, size_t n, struct strbuf *out, int depth,
		       struct err *e)
{
	size_t i = 0;
	while (i < n) {
		char c = s[i];
		if (c == '\'' || c == '"') {
			size_t end = skip_quoted(s, i, n);
			strbuf_add(out, s + i, end - i);
			i = end;
			continue;
		}
		if (c != '$' || i + 1 >= n || !(islower((unsigned char)s[i + 1]) || s[i + 1] == '_')) {
			strbuf_addch(out, c);
			i++;
			continue;
		}
		size_t name = i + 1, len = 0;
		while (name + len < n && (islower((unsigned char)s[name + len]) || isdigit((unsigned char)s[name + len]) ||
					  s[name + len] == '_'))
			len++;
		if (name + len >= n || s[name + len] != '(')
			return err_set(e, "$%.*s is not followed by its arguments in parentheses", (int)len, s + name);
		size_t end;
		if (expand_call(d, s, n, name, len, name + len, &end, out, depth, e))
			return -1;
		i = end;
	}
	return 0;
}

int sql_expand(const struct sql_dialect *d, const char *sql, struct strbuf *out, struct err *e)
{
	if (!d->rewrite)
		return expand_span(d, sql, strlen(sql), out, 0, e);
	struct strbuf expanded = STRBUF_INIT;
	int rc = expand_span(d, sql, strlen(sql), &expanded, 0, e);
	if (rc == 0)
		rc = d->rewrite(expanded.buf, out, e);
	strbuf_release(&expanded);
	return rc;
}

int sql_expandv(const struct sql_dialect *d, struct strbuf *out, struct err *e, const char *fmt, va_list ap)
{
	char *text = xvasprintf(fmt, ap);
	int rc = sql_expand(d, text, out, e);
	free(text);
	return rc;
}

int sql_expandf(const struct sql_dialect *d, struct strbuf *out, struct err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = sql_expandv(d, out, e, fmt, ap);
	va_end(ap);
	return rc;
}
