/*
 * sigv4: AWS Signature Version 4. See sigv4.h.
 *
 * The steps are AWS's ("Create a signed AWS API request"): a canonical
 * request (method, URI, query, headers, signed header names, payload
 * hash), a string to sign over its hash, and an HMAC chain from the secret
 * key through the date, region and service. The only judgement calls are
 * in the canonical forms, and the test vectors pin them down: path
 * segments "." and ".." removed and slashes collapsed when normalizing;
 * query keys and values decoded then encoded with RFC 3986's unreserved
 * set and sorted by key, then value; header names lowercased, values
 * trimmed with inner runs of white space made one space, repeated
 * headers joined with commas in the order sent.
 */
#include "sigv4.h"

#include "xalloc.h"

#include <ctype.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char hex_digits[] = "0123456789abcdef";

static void to_hex(const unsigned char *bytes, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex_digits[bytes[i] >> 4];
		out[2 * i + 1] = hex_digits[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

void sigv4_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char digest[SHA256_DIGEST_LENGTH];
	SHA256(data, n, digest);
	to_hex(digest, sizeof(digest), out);
}

static void hmac_sha256(const void *key, size_t key_len, const char *data, unsigned char out[32])
{
	unsigned int len = 32;
	HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)data, strlen(data), out, &len);
}

void sigv4_amz_date(long long unix_seconds, char out[17])
{
	time_t t = (time_t)unix_seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

void sigv4_signed_init(struct sigv4_signed *s)
{
	memset(s, 0, sizeof(*s));
	strbuf_init(&s->canonical_request, 0);
	strbuf_init(&s->string_to_sign, 0);
	strbuf_init(&s->query, 0);
}

void sigv4_signed_release(struct sigv4_signed *s)
{
	strbuf_release(&s->canonical_request);
	strbuf_release(&s->string_to_sign);
	strbuf_release(&s->query);
	for (size_t i = 0; i < s->nadded; i++)
		free(s->added_values[i]);
	memset(s, 0, sizeof(*s));
}

/* ---- canonical forms ---- */

static bool unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

/* RFC 3986 percent-encoding of everything but the unreserved characters
 * (and '/' when keep_slash), hex in upper case as AWS requires. */
static void uri_encode(struct strbuf *out, const char *s, size_t n, bool keep_slash)
{
	static const char upper[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c) || (keep_slash && c == '/')) {
			strbuf_addch(out, (char)c);
		} else {
			char esc[3] = { '%', upper[c >> 4], upper[c & 15] };
			strbuf_add(out, esc, 3);
		}
	}
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *sigv4_percent_decode(const char *s, size_t n, size_t *out_len)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hex_value(s[i + 1])) >= 0 && (lo = hex_value(s[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return out;
}

/* The canonical URI: normalized (dot segments gone, empty segments
 * collapsed, a trailing slash kept) when asked, then encoded. */
static void canonical_path(struct strbuf *out, const char *path, bool normalize)
{
	if (!path || !*path)
		path = "/";
	if (!normalize) {
		uri_encode(out, path, strlen(path), true);
		return;
	}
	size_t n = strlen(path);
	/* the segments kept, as [start, end) pairs into path */
	size_t *from = xmalloc((n + 1) * sizeof(*from)), *to = xmalloc((n + 1) * sizeof(*to));
	size_t kept = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && path[i] == '/')
			i++;
		size_t start = i;
		while (i < n && path[i] != '/')
			i++;
		size_t len = i - start;
		if (len == 0 || (len == 1 && path[start] == '.'))
			continue;
		if (len == 2 && path[start] == '.' && path[start + 1] == '.') {
			if (kept)
				kept--;
			continue;
		}
		from[kept] = start;
		to[kept] = i;
		kept++;
	}
	strbuf_addch(out, '/');
	for (size_t k = 0; k < kept; k++) {
		if (k)
			strbuf_addch(out, '/');
		uri_encode(out, path + from[k], to[k] - from[k], false);
	}
	if (kept && path[n - 1] == '/')
		strbuf_addch(out, '/');
	free(from);
	free(to);
}

struct query_param {
	char *key; /* encoded */
	char *value;
};

static int compare_params(const void *a, const void *b)
{
	const struct query_param *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

static char *encoded(const char *s, size_t n)
{
	size_t len;
	char *raw = sigv4_percent_decode(s, n, &len);
	struct strbuf sb = STRBUF_INIT;
	uri_encode(&sb, raw, len, false);
	free(raw);
	return strbuf_detach(&sb);
}

/* A parameter presigning adds, already in canonical (encoded) form. */
struct extra_param {
	const char *key;
	const char *value;
};

/* The query's parameters sorted, plus extra, joined with '&'. */
static void canonical_query(struct strbuf *out, const char *query, const struct extra_param *extra, size_t nextra)
{
	size_t cap = nextra + 1, n = 0;
	for (const char *q = query; q && *q; q++)
		cap += *q == '&';
	struct query_param *params = xcalloc(cap, sizeof(*params));
	for (const char *q = query; q && *q;) {
		size_t len = strcspn(q, "&");
		if (len) {
			const char *eq = memchr(q, '=', len);
			size_t klen = eq ? (size_t)(eq - q) : len;
			params[n].key = encoded(q, klen);
			params[n].value = eq ? encoded(eq + 1, len - klen - 1) : xstrdup("");
			n++;
		}
		q += len;
		if (*q == '&')
			q++;
	}
	for (size_t i = 0; i < nextra; i++) {
		params[n].key = xstrdup(extra[i].key);
		params[n].value = xstrdup(extra[i].value);
		n++;
	}
	sort_array(params, n, sizeof(*params), compare_params);
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(out, "%s%s=%s", i ? "&" : "", params[i].key, params[i].value);
		free(params[i].key);
		free(params[i].value);
	}
	free(params);
}

struct canonical_header {
	char *name;  /* lower case */
	char *value; /* trimmed, runs of white space as one space */
	size_t order;
};

static int compare_headers(const void *a, const void *b)
{
	const struct canonical_header *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static char *lowercase(const char *s)
{
	char *out = xstrdup(s);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

static char *trimmed_value(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	bool space = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isspace(*p)) {
			space = sb.len > 0;
			continue;
		}
		if (space)
			strbuf_addch(&sb, ' ');
		space = false;
		strbuf_addch(&sb, (char)*p);
	}
	return strbuf_detach(&sb);
}

/* Canonical headers and signed header names from the request's headers
 * and the extra ones signing adds. */
static void canonical_headers(const struct sigv4_header *headers, size_t n, const struct sigv4_header *extra,
			      size_t nextra, struct strbuf *canonical, struct strbuf *signed_names)
{
	size_t total = n + nextra;
	struct canonical_header *h = xcalloc(total ? total : 1, sizeof(*h));
	for (size_t i = 0; i < total; i++) {
		const struct sigv4_header *src = i < n ? &headers[i] : &extra[i - n];
		h[i].name = lowercase(src->name);
		h[i].value = trimmed_value(src->value ? src->value : "");
		h[i].order = i;
	}
	sort_array(h, total, sizeof(*h), compare_headers);
	for (size_t i = 0; i < total; i++) {
		bool repeat = i > 0 && strcmp(h[i].name, h[i - 1].name) == 0;
		if (repeat) {
			strbuf_addf(canonical, ",%s", h[i].value);
		} else {
			if (i)
				strbuf_addch(canonical, '\n');
			strbuf_addf(canonical, "%s:%s", h[i].name, h[i].value);
			strbuf_addf(signed_names, "%s%s", signed_names->len ? ";" : "", h[i].name);
		}
	}
	strbuf_addch(canonical, '\n');
	for (size_t i = 0; i < total; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
}

static bool has_header(const struct sigv4_request *req, const char *name)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return true;
	return false;
}

/* The request's date: its own X-Amz-Date header when it has one. */
static const char *request_date(const struct sigv4_request *req, const struct sigv4_params *p)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, "x-amz-date") == 0)
			return req->headers[i].value;
	return p->amz_date;
}

static void add_header(struct sigv4_signed *s, const char *name, char *value)
{
	s->added[s->nadded].name = name;
	s->added[s->nadded].value = value;
	s->added_values[s->nadded] = value;
	s->nadded++;
}

/* The string to sign over s->canonical_request, then the signature. */
static void sign(const struct sigv4_credentials *cred, const struct sigv4_params *p, const char *amz_date,
		 const char *scope, struct sigv4_signed *s)
{
	char creq_hash[65];
	sigv4_sha256_hex(s->canonical_request.buf, s->canonical_request.len, creq_hash);
	strbuf_addf(&s->string_to_sign, "AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope, creq_hash);

	char date[9];
	snprintf(date, sizeof(date), "%.8s", amz_date);
	char *secret = xasprintf("AWS4%s", cred->secret_access_key);
	unsigned char k_date[32], k_region[32], k_service[32], k_signing[32], sig[32];
	hmac_sha256(secret, strlen(secret), date, k_date);
	hmac_sha256(k_date, 32, p->region, k_region);
	hmac_sha256(k_region, 32, p->service, k_service);
	hmac_sha256(k_service, 32, "aws4_request", k_signing);
	hmac_sha256(k_signing, 32, s->string_to_sign.buf, sig);
	to_hex(sig, 32, s->signature);
	OPENSSL_cleanse(secret, strlen(secret));
	OPENSSL_cleanse(k_signing, sizeof(k_signing));
	free(secret);
}

static bool complete(const struct sigv4_request *req, const struct sigv4_credentials *cred,
		     const struct sigv4_params *p)
{
	return req->method && cred->access_key_id && cred->secret_access_key && p->region && p->service &&
	       (p->amz_date || has_header(req, "x-amz-date"));
}

int sigv4_sign_headers(const struct sigv4_request *req, const struct sigv4_credentials *cred,
		       const struct sigv4_params *p, struct sigv4_signed *s)
{
	if (!complete(req, cred, p))
		return -1;
	const char *amz_date = request_date(req, p);
	char payload_hash[65];
	sigv4_sha256_hex(req->body ? req->body : "", req->body ? req->body_len : 0, payload_hash);

	/* the headers signing adds, signed too (the token unless told not) */
	if (!has_header(req, "x-amz-date"))
		add_header(s, "X-Amz-Date", xstrdup(amz_date));
	if (p->sign_body)
		add_header(s, "X-Amz-Content-Sha256", xstrdup(payload_hash));
	bool token = cred->session_token && *cred->session_token;
	if (token && !p->omit_session_token)
		add_header(s, "X-Amz-Security-Token", xstrdup(cred->session_token));

	struct strbuf headers = STRBUF_INIT, names = STRBUF_INIT;
	canonical_headers(req->headers, req->nheaders, s->added, s->nadded, &headers, &names);
	strbuf_addf(&s->canonical_request, "%s\n", req->method);
	canonical_path(&s->canonical_request, req->path, p->normalize_path);
	strbuf_addch(&s->canonical_request, '\n');
	canonical_query(&s->canonical_request, req->query, NULL, 0);
	strbuf_addf(&s->canonical_request, "\n%s\n%s\n%s", headers.buf, names.buf, payload_hash);

	char *scope = xasprintf("%.8s/%s/%s/aws4_request", amz_date, p->region, p->service);
	sign(cred, p, amz_date, scope, s);
	if (token && p->omit_session_token)
		add_header(s, "X-Amz-Security-Token", xstrdup(cred->session_token));
	add_header(s, "Authorization",
		   xasprintf("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s", cred->access_key_id,
			     scope, names.buf, s->signature));
	free(scope);
	strbuf_release(&headers);
	strbuf_release(&names);
	return 0;
}

int sigv4_sign_query(const struct sigv4_request *req, const struct sigv4_credentials *cred,
		     const struct sigv4_params *p, struct sigv4_signed *s)
{
	if (!complete(req, cred, p))
		return -1;
	const char *amz_date = request_date(req, p);
	char payload_hash[65];
	sigv4_sha256_hex(req->body ? req->body : "", req->body ? req->body_len : 0, payload_hash);

	struct strbuf headers = STRBUF_INIT, names = STRBUF_INIT;
	canonical_headers(req->headers, req->nheaders, NULL, 0, &headers, &names);
	char *scope = xasprintf("%.8s/%s/%s/aws4_request", amz_date, p->region, p->service);
	char *credential = xasprintf("%s/%s", cred->access_key_id, scope);
	char expires[24];
	snprintf(expires, sizeof(expires), "%d", p->expires_seconds);
	bool token = cred->session_token && *cred->session_token && !p->omit_session_token;
	char *credential_encoded = encoded(credential, strlen(credential));
	char *names_encoded = encoded(names.buf, names.len);
	char *token_encoded = token ? encoded(cred->session_token, strlen(cred->session_token)) : NULL;
	const struct extra_param extra[] = {
		{ "X-Amz-Algorithm", "AWS4-HMAC-SHA256" }, { "X-Amz-Credential", credential_encoded },
		{ "X-Amz-Date", amz_date },                { "X-Amz-Expires", expires },
		{ "X-Amz-SignedHeaders", names_encoded },  { "X-Amz-Security-Token", token_encoded },
	};
	size_t nextra = token ? 6 : 5;

	struct strbuf query = STRBUF_INIT;
	canonical_query(&query, req->query, extra, nextra);
	strbuf_addf(&s->canonical_request, "%s\n", req->method);
	canonical_path(&s->canonical_request, req->path, p->normalize_path);
	strbuf_addf(&s->canonical_request, "\n%s\n%s\n%s\n%s", query.buf, headers.buf, names.buf, payload_hash);
	sign(cred, p, amz_date, scope, s);
	strbuf_addf(&s->query, "%s&X-Amz-Signature=%s", query.buf, s->signature);

	free(credential_encoded);
	free(names_encoded);
	free(token_encoded);
	free(credential);
	free(scope);
	strbuf_release(&query);
	strbuf_release(&headers);
	strbuf_release(&names);
	return 0;
}
