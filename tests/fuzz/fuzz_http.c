/*
 * fuzz_http: the request side of the server before any handler runs: the
 * raw head a client sends, split as libmicrohttpd splits it, then every
 * check finq makes on it (http.c's order): the size limits, Host for
 * HTTP/1.1 and the one-reading rules (strict.h), the Host and Origin checks under a
 * loopback, a wildcard and a named server (origin.h), X-Forwarded-For
 * behind a trusted proxy, the Bearer token of Authorization (apitoken.h),
 * the role a route needs (access.h), the router's methods for the path
 * (api_allow), and the query split and %-decoded with libmicrohttpd's own
 * unescaper into what req_query reads.
 *
 * The input is the head as bytes ("GET /x?a=b HTTP/1.1\r\nHost: ...");
 * NULs stay in header values, with their lengths, as strict.c sees them.
 * Each check must keep its contract: statuses and codes from its list,
 * messages that are printable text, addresses that parse, tokens inside
 * the header with a token's shape, the same answer twice.
 */
#include "fuzz.h"

#include "access.h"
#include "api.h"
#include "apitoken.h"
#include "http.h"
#include "origin.h"
#include "strbuf.h"
#include "strict.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <strings.h>

#define HEADERS_MAX 256
#define QUERY_MAX 64

static void check_message(const char *msg)
{
	size_t n = strnlen(msg, 256);
	if (n == 0 || n == 256)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			abort(); /* it goes into a JSON error and a log line */
}

static void check_strict(const char *version, size_t target_len, const struct strict_header *h, size_t n)
{
	static const int statuses[] = { 400, 414, 431, 501 };
	int status = 0, again = 0;
	const char *code = NULL, *code2 = NULL;
	char msg[200], msg2[200];
	int rc = strict_size_check(target_len, h, n, &status, &code, msg, sizeof(msg));
	if (rc == 0)
		rc = strict_version_check(version, h, n, &status, &code, msg, sizeof(msg));
	if (rc == 0)
		rc = strict_head_check(h, n, &status, &code, msg, sizeof(msg));
	if (rc != 0 && rc != -1)
		abort();
	if (rc == 0)
		return;
	bool known = false;
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		known |= status == statuses[i];
	if (!known || !code || !*code)
		abort();
	check_message(msg);
	int rc2 = strict_size_check(target_len, h, n, &again, &code2, msg2, sizeof(msg2));
	if (rc2 == 0)
		rc2 = strict_version_check(version, h, n, &again, &code2, msg2, sizeof(msg2));
	if (rc2 == 0)
		rc2 = strict_head_check(h, n, &again, &code2, msg2, sizeof(msg2));
	if (rc2 != rc || again != status || strcmp(msg, msg2) != 0)
		abort();
}

/* The first header called name, as a C string (a copy), or NULL. */
static char *header_dup(const struct strict_header *h, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].name_len == strlen(name) && strncasecmp(h[i].name, name, h[i].name_len) == 0)
			return strndup(h[i].value, h[i].value_len);
	return NULL;
}

static void check_origin(const char *method, const char *host, const char *origin, const char *fetch_site)
{
	static const char *const allowed[] = { "finq.internal" };
	const struct origin_policy policies[] = {
		{ .bound = "127.0.0.1" },
		{ .bound = "0.0.0.0", .cors_origin = "https://app.example.com" },
		{ .bound = "finq-box", .hosts = { allowed[0] }, .nhosts = 1 },
	};
	for (size_t p = 0; p < sizeof(policies) / sizeof(policies[0]); p++) {
		const char *why = NULL;
		if (host && origin_host_allowed(&policies[p], host) != origin_host_allowed(&policies[p], host))
			abort();
		bool write_ok = origin_write_allowed(&policies[p], origin, host, fetch_site, &why);
		if (!write_ok && (!why || !*why))
			abort();
		if (write_ok && origin && strcmp(origin, "null") == 0)
			abort(); /* an opaque origin never passes */
	}
	(void)method;
}

static void check_forwarded(const char *xff)
{
	char client[INET6_ADDRSTRLEN] = "127.0.0.1";
	unsigned char addr[16];
	if (!xff || !origin_forwarded_for(xff, client, sizeof(client)))
		return;
	if (inet_pton(AF_INET, client, addr) != 1 && inet_pton(AF_INET6, client, addr) != 1)
		abort();
}

static void check_token(const char *authorization)
{
	const char *token = NULL;
	size_t n = 0;
	char hash[TOKEN_HASH_SIZE];
	if (!authorization || !token_from_authorization(authorization, &token, &n))
		return;
	size_t len = strlen(authorization);
	if (token < authorization || token + n > authorization + len || !token_well_formed(token, n))
		abort();
	token_hash(token, n, hash);
	if (strlen(hash) != TOKEN_HASH_SIZE - 1 || !token_hash_equal(hash, hash))
		abort();
}

/* "a=1&b=%41" into decoded pairs, as libmicrohttpd hands them over. */
static size_t query_split(char *query, struct http_kv *kv, size_t max)
{
	size_t n = 0;
	for (char *part = query, *next; part && n < max; part = next) {
		next = strchr(part, '&');
		if (next)
			*next++ = '\0';
		if (!*part)
			continue;
		char *eq = strchr(part, '=');
		if (eq)
			*eq++ = '\0';
		MHD_http_unescape(part);
		if (eq)
			MHD_http_unescape(eq);
		kv[n++] = (struct http_kv){ part, eq };
	}
	return n;
}

static void check_route(const char *method, char *target)
{
	struct http_kv query[QUERY_MAX];
	size_t nquery = 0;
	char *q = strchr(target, '?');
	if (q) {
		*q++ = '\0';
		nquery = query_split(q, query, QUERY_MAX);
	}
	MHD_http_unescape(target);
	struct req req = { .method = method, .path = target, .query = query, .nquery = nquery };
	for (size_t i = 0; i < nquery; i++) {
		const char *v = req_query(&req, query[i].name);
		if (!v) /* the first of that name is found, and it has a value or "" */
			abort();
	}
	static struct api *api; /* the route table and limits only: no pool behind it */
	static const struct api_options options = { 0 };
	if (!api)
		api = api_new(NULL, &options);
	bool to_file = false;
	const char *route = NULL;
	uint64_t limit = api_body_limit(api, method, target, &to_file, &route);
	if (limit == 0 || (to_file && !route))
		abort();
	struct strbuf allow;
	strbuf_init(&allow, 0);
	api_allow(target, &allow);
	if (route && !allow.len)
		abort(); /* a route that takes the method is among the path's methods */
	enum access_role need = access_route_needs(method, route);
	if (!access_role_name(need) || (to_file && need == ROLE_READ))
		abort(); /* uploads are never for a read token */
	strbuf_release(&allow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *head = malloc(size + 1);
	struct strict_header h[HEADERS_MAX];
	size_t n = 0;
	if (!head)
		abort();
	memcpy(head, data, size);
	head[size] = '\0';
	/* the request line: METHOD SP TARGET SP VERSION */
	const char *end = head + size;
	char *line_end = memchr(head, '\n', size);
	char *line = head, *rest = line_end ? line_end + 1 : (char *)end;
	if (line_end) {
		*line_end = '\0';
		if (line_end > head && line_end[-1] == '\r')
			line_end[-1] = '\0';
	}
	char *sp1 = strchr(line, ' ');
	char *target = sp1 ? sp1 + 1 : (char *)"/";
	if (sp1)
		*sp1 = '\0';
	char *sp2 = strchr(target, ' ');
	const char *version = "HTTP/1.0"; /* what libmicrohttpd takes a line without one for */
	if (sp2) {
		*sp2 = '\0';
		version = sp2 + 1;
	}
	const char *method = line;
	/* header lines up to an empty one; values keep their NULs */
	while (rest < end && n < HEADERS_MAX) {
		char *nl = memchr(rest, '\n', (size_t)(end - rest));
		char *stop = nl ? nl : (char *)end;
		size_t len = (size_t)(stop - rest);
		if (len && rest[len - 1] == '\r')
			len--;
		if (len == 0)
			break;
		char *colon = memchr(rest, ':', len);
		if (colon) {
			const char *value = colon + 1;
			size_t vlen = len - (size_t)(value - rest);
			while (vlen && (*value == ' ' || *value == '\t'))
				value++, vlen--;
			while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
				vlen--;
			h[n++] = (struct strict_header){ rest, (size_t)(colon - rest), value, vlen };
		}
		rest = nl ? nl + 1 : (char *)end;
	}
	check_strict(version, strlen(target), h, n);

	char *host = header_dup(h, n, "Host"), *origin = header_dup(h, n, "Origin");
	char *fetch_site = header_dup(h, n, "Sec-Fetch-Site"), *xff = header_dup(h, n, "X-Forwarded-For");
	char *authorization = header_dup(h, n, "Authorization");
	check_origin(method, host, origin, fetch_site);
	check_forwarded(xff);
	check_token(authorization);
	char *target_copy = strdup(target);
	if (!target_copy)
		abort();
	check_route(method, target_copy);
	free(target_copy);
	free(host);
	free(origin);
	free(fetch_site);
	free(xff);
	free(authorization);
	free(head);
	return 0;
}
