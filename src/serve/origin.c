/*
 * origin: Host, Origin and X-Forwarded-For checks. See origin.h.
 *
 * Why Host matters on loopback: DNS rebinding. A page on evil.example
 * makes its own name resolve to 127.0.0.1 a moment after loading; its
 * scripts then read http://evil.example:8080/api/v1/sql as same-origin.
 * The one thing the server sees that differs is the Host header, so a
 * name is served only when it was named on the command line.
 */
#include "origin.h"
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* An address literal of either family, as bytes with its family. */
struct addr {
	int family; /* 0: not an address */
	unsigned char bytes[16];
};

static struct addr addr_parse(const char *text)
{
	struct addr a = { 0 };
	if (inet_pton(AF_INET, text, a.bytes) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, a.bytes) == 1)
		a.family = AF_INET6;
	return a;
}

static bool addr_equal(const struct addr *a, const struct addr *b)
{
	return a->family && a->family == b->family && memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16) == 0;
}

static bool addr_is_wildcard(const struct addr *a)
{
	static const unsigned char zero[16];
	return a->family && memcmp(a->bytes, zero, a->family == AF_INET ? 4 : 16) == 0;
}

/* Split "name[:port]" or "[v6][:port]" into name (without brackets);
 * false when it has no such shape. */
static bool host_split(const char *host, char *name, size_t size)
{
	const char *end, *port;
	if (!host || !*host)
		return false;
	if (*host == '[') {
		end = strchr(host, ']');
		if (!end)
			return false;
		host++;
		port = end + 1;
	} else {
		end = strchr(host, ':');
		if (!end)
			end = host + strlen(host);
		port = end;
	}
	size_t n = (size_t)(end - host);
	if (n == 0 || n >= size)
		return false;
	if (*port == ':')
		port++;
	else if (*port)
		return false;
	if (port[strspn(port, "0123456789")] != '\0' || strlen(port) > 5)
		return false;
	memcpy(name, host, n);
	name[n] = '\0';
	return true;
}

bool origin_host_name_valid(const char *name)
{
	size_t n = strlen(name);
	return n > 0 && n <= ORIGIN_HOST_MAX && name[0] != '.' && name[0] != '-' &&
	       name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")] == '\0';
}

static bool name_listed(const struct origin_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nhosts; i++)
		if (strcasecmp(p->hosts[i], name) == 0)
			return true;
	return false;
}

bool origin_host_allowed(const struct origin_policy *p, const char *host)
{
	char name[ORIGIN_HOST_MAX + 1];
	if (!host_split(host, name, sizeof(name)))
		return false;
	bool bracketed = host[0] == '[';
	struct addr a = addr_parse(name), bound = addr_parse(p->bound);
	bool bound_loopback = http_host_is_loopback(p->bound);
	if (a.family) {
		if (a.family == AF_INET6 && !bracketed)
			return false; /* "::1:8080" is not a Host header */
		if (addr_is_wildcard(&bound))
			return true;
		if (bound_loopback && http_host_is_loopback(name))
			return true;
		return addr_equal(&a, &bound);
	}
	if (bracketed)
		return false;
	/* browsers resolve "localhost" to loopback themselves: no page can own it */
	if (strcasecmp(name, "localhost") == 0 && (bound_loopback || addr_is_wildcard(&bound)))
		return true;
	if (name_listed(p, name))
		return true;
	return !bound.family && strcasecmp(name, p->bound) == 0;
}

bool origin_write_allowed(const struct origin_policy *p, const char *origin, const char *host,
			  const char *fetch_site, const char **why)
{
	static const char *const schemes[] = { "http://", "https://" };
	char name[ORIGIN_HOST_MAX + 1];
	*why = NULL;
	if (!origin) {
		if (fetch_site && (strcmp(fetch_site, "cross-site") == 0 || strcmp(fetch_site, "same-site") == 0)) {
			*why = "the browser says it comes from another site";
			return false;
		}
		return true;
	}
	if (p->cors_origin && strcmp(origin, p->cors_origin) == 0)
		return true;
	const char *authority = NULL;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]) && !authority; i++)
		if (strncasecmp(origin, schemes[i], strlen(schemes[i])) == 0)
			authority = origin + strlen(schemes[i]);
	if (!authority || !host_split(authority, name, sizeof(name))) {
		*why = "its Origin is not a web origin";
		return false;
	}
	if (host && strcasecmp(authority, host) == 0 && origin_host_allowed(p, host))
		return true;
	if (name_listed(p, name))
		return true;
	*why = "it comes from a page of another origin";
	return false;
}

bool origin_forwarded_for(const char *xff, char *out, size_t size)
{
	char last[64];
	const char *p;
	if (!xff)
		return false;
	p = strrchr(xff, ',');
	p = p ? p + 1 : xff;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = strcspn(p, " \t");
	if (n == 0 || n >= sizeof(last) || p[n + strspn(p + n, " \t")] != '\0')
		return false;
	memcpy(last, p, n);
	last[n] = '\0';
	struct addr a = addr_parse(last);
	if (!a.family)
		return false;
	/* written back in canonical form, so that the rate limit's keys and
	 * the audit log agree whatever spelling the proxy used */
	char canon[INET6_ADDRSTRLEN];
	if (!inet_ntop(a.family, a.bytes, canon, sizeof(canon)))
		return false;
	snprintf(out, size, "%s", canon);
	return true;
}
