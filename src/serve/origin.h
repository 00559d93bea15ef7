/*
 * origin: where a request says it comes from, and whether to believe it.
 * The checks that keep other web pages out of a server that answers on
 * loopback without a token: a Host header that names this server (an
 * attacker's host name rebound to 127.0.0.1 does not), an Origin header
 * on a request that changes something that is this server or the one
 * configured CORS origin (a page on another site is neither), and, behind
 * a reverse proxy, the client's address from X-Forwarded-For only when
 * the peer is the configured proxy.
 *
 * Pure: no I/O, no globals. server.c builds a policy from the command
 * line and calls these before a request's token is looked at; tested by
 * tests/unit/test_origin.c and tests/integration/security.sh.
 */
#ifndef FINQ_ORIGIN_H
#define FINQ_ORIGIN_H

#include <stdbool.h>
#include <stddef.h>

#define ORIGIN_HOSTS_MAX 16
#define ORIGIN_HOST_MAX 253 /* bytes in a DNS name */

/* What a server accepts. Strings are borrowed and outlive the policy. */
struct origin_policy {
	const char *bound;             /* the --host the server listens on */
	const char *hosts[ORIGIN_HOSTS_MAX]; /* --allow-host names */
	size_t nhosts;
	const char *cors_origin;       /* --cors-origin, or NULL */
};

/* Whether a Host header value ("127.0.0.1:8080", "[::1]:80", "finq.example")
 * names this server: the bound address itself; on a loopback server any
 * loopback address and "localhost"; on a wildcard one (0.0.0.0, ::) any
 * address literal; a --allow-host name (case-insensitive); the --host
 * itself when it is a name. A port, if any, must be digits. */
bool origin_host_allowed(const struct origin_policy *p, const char *host);

/* Whether a request that changes something may go on, given its Origin
 * (NULL: absent), Host (NULL: absent) and Sec-Fetch-Site (NULL: absent)
 * headers. Absent Origin: yes, unless the browser says the request is
 * cross-site (tools such as curl send none). Present: the configured CORS
 * origin, or an http(s) origin whose host and port are the Host header's,
 * or whose host is an --allow-host name. "null" is never allowed. On a
 * refusal *why says which rule, for the message. */
bool origin_write_allowed(const struct origin_policy *p, const char *origin, const char *host,
			  const char *fetch_site, const char **why);

/* A --allow-host value: a DNS name (letters, digits, '-', '.'), at most
 * ORIGIN_HOST_MAX bytes, no port. */
bool origin_host_name_valid(const char *name);

/* The client behind a trusted proxy: the last address of an
 * X-Forwarded-For value (the one the proxy appended), if it is an IPv4 or
 * IPv6 literal, written to out. false when there is none or it is not an
 * address (the peer's address is then kept). */
bool origin_forwarded_for(const char *xff, char *out, size_t size);

#endif
