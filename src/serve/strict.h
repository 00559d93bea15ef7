/*
 * strict: the rules a request head must keep before finq serves it, beyond
 * what libmicrohttpd checks. Each closes a door for request smuggling or
 * for a proxy and finq reading one request two ways:
 *
 *   - a header name is a token: no whitespace before the colon, no
 *     control characters (400);
 *   - a header value holds no NUL and no control character but tab (400);
 *   - Host, Authorization, Origin, Content-Type and Transfer-Encoding
 *     come at most once (400); Content-Length may repeat only with the
 *     same value, and is digits (400);
 *   - Transfer-Encoding is "chunked" or absent (501 for any other coding),
 *     and never together with Content-Length (400).
 *
 * Pure: it sees the headers as (name, length, value, length), so NULs
 * that C strings would hide are seen. Called by http.c once the head is
 * in; tested by tests/unit/test_strict.c.
 */
#ifndef FINQ_STRICT_H
#define FINQ_STRICT_H

#include <stddef.h>

struct strict_header {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

/* 0 when the head may be served; else -1 with the status (400, 501), an
 * error code ("bad_request", "not_implemented") and a message naming the
 * header in msg. */
int strict_head_check(const struct strict_header *h, size_t n, int *status, const char **code, char *msg,
		      size_t size);

#endif
