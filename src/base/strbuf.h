/*
 * strbuf: an owned, growable, always NUL-terminated byte buffer, and slice:
 * a borrowed view {p, n} into someone else's bytes.
 *
 * A strbuf may carry a size cap (max > 0) for untrusted input: appends past
 * the cap are dropped and `overflow` is set, so a caller can refuse the input
 * with a clear message instead of growing without bound.
 * The SQL helpers append identifiers and literals escaped for DuckDB: user
 * text only ever reaches SQL through them.
 */
#ifndef FINQ_STRBUF_H
#define FINQ_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t max;    /* 0: no cap */
	bool overflow; /* an append was dropped because of max */
};

struct slice {
	const char *p;
	size_t n;
};

/* Every strbuf's buf is a string, even before the first append: the empty
 * ones share this (never written to, since alloc is 0). */
extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0, 0, false }

void strbuf_init(struct strbuf *sb, size_t max);
void strbuf_release(struct strbuf *sb);
/* Hand the buffer to the caller (free() it); sb is left empty. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "name" with embedded quotes doubled. */
void strbuf_add_sql_ident(struct strbuf *sb, const char *name);
/* 'text' with embedded quotes doubled. */
void strbuf_add_sql_literal(struct strbuf *sb, const char *text);
/* Remove trailing bytes in `chars`. */
void strbuf_rtrim(struct strbuf *sb, const char *chars);

bool slice_eq(struct slice s, const char *lit);

#endif
