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
 *     and never together with Content-Length (400);
 *   - an HTTP/1.1 request has a Host (400; RFC 9112 section 3.2: a proxy
 *     and finq would otherwise disagree on which site it is for);
 *   - the request target is at most STRICT_TARGET_MAX bytes (414), the
 *     head at most STRICT_HEAD_MAX bytes in at most STRICT_HEADERS_MAX
 *     lines (431): finq's own limits, well under what libmicrohttpd is
 *     given (http.c), so that a client who passes them gets finq's JSON
 *     answer, not libmicrohttpd's page.
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

/* 0 when the request line's version ("HTTP/1.0", "HTTP/1.1") and the
 * headers agree: any version after 1.0 needs a Host; else -1 as
 * strict_head_check. */
int strict_version_check(const char *version, const struct strict_header *h, size_t n, int *status,
			 const char **code, char *msg, size_t size);

#define STRICT_TARGET_MAX (8 * 1024)  /* the path and query: browsers send 2 KB at most */
#define STRICT_HEAD_MAX (32 * 1024)   /* what libmicrohttpd's default memory took */
#define STRICT_HEADERS_MAX 100

/* 0 when the request's size is within the limits above; else -1 as
 * strict_head_check. target_len: the path and query as sent (about). */
int strict_size_check(size_t target_len, const struct strict_header *h, size_t n, int *status, const char **code,
		      char *msg, size_t size);

#endif
