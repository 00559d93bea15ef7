/*
 * strict: request-head rules. See strict.h.
 */
#include "strict.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Headers that mean one thing: a second copy is a request read two ways. */
static const char *const once_only[] = { "Authorization", "Content-Type", "Host", "Origin", "Transfer-Encoding" };

/* RFC 9110 tchar */
static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool name_is(const struct strict_header *h, const char *name)
{
	return h->name_len == strlen(name) && strncasecmp(h->name, name, h->name_len) == 0;
}

/* The name, printable, for a message. */
static void name_shown(const struct strict_header *h, char *out, size_t size)
{
	size_t k = 0;
	for (size_t i = 0; i < h->name_len && k + 1 < size && k < 64; i++)
		out[k++] = is_tchar((unsigned char)h->name[i]) ? h->name[i] : '?';
	out[k] = '\0';
}

static int refuse(int status, const char *code, int *st, const char **cd, char *msg, size_t size, const char *why,
		  const struct strict_header *h)
{
	char name[72];
	name_shown(h, name, sizeof(name));
	*st = status;
	*cd = code;
	snprintf(msg, size, "%s ('%s')", why, name);
	return -1;
}

int strict_head_check(const struct strict_header *h, size_t n, int *status, const char **code, char *msg,
		      size_t size)
{
	const struct strict_header *length = NULL, *coding = NULL;
	for (size_t i = 0; i < n; i++) {
		bool name_ok = h[i].name_len > 0;
		for (size_t k = 0; k < h[i].name_len && name_ok; k++)
			name_ok = is_tchar((unsigned char)h[i].name[k]);
		if (!name_ok)
			return refuse(400, "bad_request", status, code, msg, size,
				      "a header name may hold no whitespace (none before the colon) or control characters",
				      &h[i]);
		for (size_t k = 0; k < h[i].value_len; k++) {
			unsigned char c = (unsigned char)h[i].value[k];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return refuse(400, "bad_request", status, code, msg, size,
					      "a header value may hold no NUL or control characters", &h[i]);
		}
		for (size_t o = 0; o < sizeof(once_only) / sizeof(once_only[0]); o++)
			for (size_t j = 0; j < i && name_is(&h[i], once_only[o]); j++)
				if (name_is(&h[j], once_only[o]))
					return refuse(400, "bad_request", status, code, msg, size,
						      "a header that may come only once came twice", &h[i]);
		if (name_is(&h[i], "Content-Length")) {
			if (h[i].value_len == 0 || strspn(h[i].value, "0123456789") < h[i].value_len)
				return refuse(400, "bad_request", status, code, msg, size,
					      "Content-Length must be a number", &h[i]);
			if (length && (length->value_len != h[i].value_len ||
				       memcmp(length->value, h[i].value, h[i].value_len) != 0))
				return refuse(400, "bad_request", status, code, msg, size,
					      "two Content-Length headers with different values", &h[i]);
			length = &h[i];
		}
		if (name_is(&h[i], "Transfer-Encoding"))
			coding = &h[i];
	}
	if (coding) {
		const char *v = coding->value;
		size_t len = coding->value_len;
		while (len && (*v == ' ' || *v == '\t'))
			v++, len--;
		while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		if (len != 7 || strncasecmp(v, "chunked", 7) != 0)
			return refuse(501, "not_implemented", status, code, msg, size,
				      "the only transfer coding this server takes is chunked", coding);
		if (length)
			return refuse(400, "bad_request", status, code, msg, size,
				      "Transfer-Encoding and Content-Length together", coding);
	}
	return 0;
}

int strict_size_check(size_t target_len, const struct strict_header *h, size_t n, int *status, const char **code,
		      char *msg, size_t size)
{
	size_t head = target_len;
	for (size_t i = 0; i < n; i++)
		head += h[i].name_len + h[i].value_len + 4; /* ": " and CRLF */
	if (target_len > STRICT_TARGET_MAX) {
		*status = 414;
		*code = "uri_too_long";
		snprintf(msg, size, "the request's path and query are %zu bytes; this server takes at most %d", target_len,
			 STRICT_TARGET_MAX);
		return -1;
	}
	if (head > STRICT_HEAD_MAX || n > STRICT_HEADERS_MAX) {
		*status = 431;
		*code = "header_too_large";
		snprintf(msg, size, "the request head is %zu bytes in %zu header lines; this server takes at most %d "
			 "bytes in %d lines", head, n, STRICT_HEAD_MAX, STRICT_HEADERS_MAX);
		return -1;
	}
	return 0;
}

int strict_version_check(const char *version, const struct strict_header *h, size_t n, int *status,
			 const char **code, char *msg, size_t size)
{
	if (!version || strcmp(version, "HTTP/1.0") == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (name_is(&h[i], "Host"))
			return 0;
	*status = 400;
	*code = "bad_request";
	/* not the version as sent: libmicrohttpd passes only HTTP/1.x, but a
	 * message never quotes bytes nobody checked */
	snprintf(msg, size, "an HTTP/1.1 request needs a Host header");
	return -1;
}
