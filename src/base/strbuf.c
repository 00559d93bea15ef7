/*
 * strbuf: growable buffer and SQL-safe appenders. See strbuf.h.
 */
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char strbuf_empty[1];

void strbuf_init(struct strbuf *sb, size_t max)
{
	sb->buf = strbuf_empty;
	sb->len = sb->alloc = 0;
	sb->max = max;
	sb->overflow = false;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, sb->max);
}

char *strbuf_detach(struct strbuf *sb)
{
	char *p = sb->alloc ? sb->buf : xstrdup("");
	strbuf_init(sb, sb->max);
	return p;
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
	sb->overflow = false;
}

/* Make room for n more bytes plus the NUL; false if the cap forbids it. */
static bool strbuf_grow(struct strbuf *sb, size_t n)
{
	if (sb->max && sb->len + n > sb->max) {
		sb->overflow = true;
		return false;
	}
	if (sb->len + n + 1 > sb->alloc) {
		size_t want = sb->alloc ? sb->alloc * 2 : 64;
		while (want < sb->len + n + 1)
			want *= 2;
		char *old = sb->alloc ? sb->buf : NULL;
		sb->buf = xrealloc(old, want);
		if (!old)
			sb->buf[0] = '\0';
		sb->alloc = want;
	}
	return true;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	if (!strbuf_grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0 || !strbuf_grow(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

static void strbuf_add_quoted(struct strbuf *sb, const char *s, char quote)
{
	strbuf_addch(sb, quote);
	for (; *s; s++) {
		if (*s == quote)
			strbuf_addch(sb, quote);
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, quote);
}

void strbuf_add_sql_ident(struct strbuf *sb, const char *name)
{
	strbuf_add_quoted(sb, name, '"');
}

void strbuf_add_sql_literal(struct strbuf *sb, const char *text)
{
	strbuf_add_quoted(sb, text, '\'');
}

void strbuf_rtrim(struct strbuf *sb, const char *chars)
{
	while (sb->len && strchr(chars, sb->buf[sb->len - 1]))
		sb->buf[--sb->len] = '\0';
}

bool slice_eq(struct slice s, const char *lit)
{
	/* no strlen of lit: the parser asks this of every token for every
	 * word it looks for, and most differ in the first letter */
	size_t i = 0;
	while (i < s.n && lit[i] != '\0' && lit[i] == s.p[i])
		i++;
	return i == s.n && lit[i] == '\0'; /* lit is never read past its end */
}
