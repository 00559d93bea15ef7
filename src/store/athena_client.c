/*
 * athena_client: an Athena client's address, credentials and signed API
 * calls, and the WITH entries its statements start with. See
 * engine_athena.h; engine_athena.c runs statements with it.
 *
 * Athena's API is AWS JSON 1.1: every action is a POST to "/" of
 * https://athena.REGION.amazonaws.com with X-Amz-Target
 * "AmazonAthena.<Action>" and a JSON body, signed with SigV4 for the
 * service "athena". Errors come back as a non-200 status with
 * {"__type": "...#InvalidRequestException", "Message": "..."}; throttling,
 * server errors and calls that got no answer are retried three times with
 * a growing wait (0.2, 0.4, 0.8 s).
 */
#include "athena_internal.h"

#include "date.h"
#include "sigv4.h"
#include "xalloc.h"

#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_ATTEMPTS = 4, CALL_TIMEOUT_SECONDS = 30 };

/* ---- the address ---- */

void athena_target_release(struct athena_target *t)
{
	free(t->workgroup);
	free(t->database);
	free(t->table);
	free(t->catalog);
	free(t->region);
	free(t->output);
	free(t->endpoint);
	memset(t, 0, sizeof(*t));
}

/* Names that go into SQL and JSON as they are: letters, digits, _ . - */
static bool plain_name(const char *s, const char *extra)
{
	if (!*s || strlen(s) > 128)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!isalnum(*p) && *p != '_' && !strchr(extra, *p))
			return false;
	return true;
}

/* The query parameters an address may carry, and where each goes. */
static char **param_slot(struct athena_target *t, const char *name)
{
	static const struct {
		const char *name;
		size_t offset;
	} params[] = {
		{ "catalog", offsetof(struct athena_target, catalog) },
		{ "endpoint", offsetof(struct athena_target, endpoint) },
		{ "output", offsetof(struct athena_target, output) },
		{ "region", offsetof(struct athena_target, region) },
	};
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (strcmp(params[i].name, name) == 0)
			return (char **)((char *)t + params[i].offset);
	return NULL;
}

static int parse_params(const char *q, struct athena_target *t, struct err *e)
{
	while (*q) {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);
		if (!eq)
			return err_set_code(e, ERR_USAGE, "athena address: '%.*s' has no value (name=value)", (int)len, q);
		char *name = sigv4_percent_decode(q, (size_t)(eq - q), NULL);
		char **slot = param_slot(t, name);
		if (!slot) {
			err_set_code(e, ERR_USAGE,
				     "athena address: unknown parameter '%s' (region, output, catalog, endpoint)", name);
			free(name);
			return -1;
		}
		free(name);
		free(*slot);
		*slot = sigv4_percent_decode(eq + 1, len - (size_t)(eq + 1 - q), NULL);
		q += len;
		if (*q == '&')
			q++;
	}
	return 0;
}

int athena_target_parse(const char *url, struct athena_target *t, struct err *e)
{
	static const char scheme[] = "athena://";
	memset(t, 0, sizeof(*t));
	if (strncmp(url, scheme, sizeof(scheme) - 1) != 0)
		return err_set_code(e, ERR_USAGE, "not an athena address: '%s' (athena://WORKGROUP/DATABASE/TABLE?region=R)",
				    url);
	const char *p = url + sizeof(scheme) - 1;
	size_t path_len = strcspn(p, "?");
	char **parts[] = { &t->workgroup, &t->database, &t->table };
	const char *s = p;
	for (size_t i = 0; i < 3; i++) {
		size_t n = strcspn(s, "/?");
		if (n > (size_t)(p + path_len - s))
			n = (size_t)(p + path_len - s);
		*parts[i] = sigv4_percent_decode(s, n, NULL);
		s += n;
		if (i < 2 && *s == '/')
			s++;
	}
	if (s != p + path_len || !*t->workgroup || !*t->database || !*t->table)
		return err_set_code(e, ERR_USAGE, "athena address '%s' must name WORKGROUP/DATABASE/TABLE", url);
	if (p[path_len] == '?' && parse_params(p + path_len + 1, t, e))
		return -1;
	if (!t->region) {
		const char *env = getenv("AWS_REGION");
		if (!env || !*env)
			env = getenv("AWS_DEFAULT_REGION");
		if (!env || !*env)
			return err_set_code(e, ERR_USAGE, "athena address: no region (add ?region=us-east-1 or set AWS_REGION)");
		t->region = xstrdup(env);
	}
	if (!t->catalog)
		t->catalog = xstrdup("AwsDataCatalog");
	if (!plain_name(t->workgroup, ".-"))
		return err_set_code(e, ERR_USAGE, "athena address: bad workgroup name '%s'", t->workgroup);
	if (!plain_name(t->database, "-") || !plain_name(t->table, "-") || !plain_name(t->catalog, "-"))
		return err_set_code(e, ERR_USAGE, "athena address: catalog, database and table names are letters, digits, _ and -");
	if (!plain_name(t->region, "-"))
		return err_set_code(e, ERR_USAGE, "athena address: bad region '%s'", t->region);
	if (t->output && strncmp(t->output, "s3://", 5) != 0)
		return err_set_code(e, ERR_USAGE, "athena address: output must be an s3:// location, not '%s'", t->output);
	if (!t->endpoint)
		t->endpoint = xasprintf("https://athena.%s.amazonaws.com/", t->region);
	else if (strncmp(t->endpoint, "https://", 8) != 0 && strncmp(t->endpoint, "http://", 7) != 0)
		return err_set_code(e, ERR_USAGE, "athena address: endpoint must be an http(s):// URL");
	return 0;
}

/* ---- credentials ---- */

static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* The keys of one [profile] of an AWS shared credentials file. */
static int read_credentials_file(const char *path, const char *profile, struct athena_client *c, struct err *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return err_set_code(e, ERR_USAGE,
				    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or write '%s'", path);
	char line[4096];
	bool in_profile = false, found = false;
	while (fgets(line, sizeof(line), f)) {
		char *t = trimmed(line, strlen(line));
		if (t[0] == '[') {
			char *end = strchr(t, ']');
			char *name = end ? trimmed(t + 1, (size_t)(end - t - 1)) : xstrdup("");
			in_profile = strcmp(name, profile) == 0;
			found |= in_profile;
			free(name);
		} else if (in_profile && t[0] != '#' && t[0] != ';' && strchr(t, '=')) {
			char *eq = strchr(t, '=');
			char *key = trimmed(t, (size_t)(eq - t));
			char *value = trimmed(eq + 1, strlen(eq + 1));
			char **slot = strcmp(key, "aws_access_key_id") == 0       ? &c->access_key_id
				      : strcmp(key, "aws_secret_access_key") == 0 ? &c->secret_access_key
				      : strcmp(key, "aws_session_token") == 0     ? &c->session_token
										  : NULL;
			if (slot) {
				free(*slot);
				*slot = value;
			} else {
				free(value);
			}
			free(key);
		}
		free(t);
	}
	fclose(f);
	if (!found)
		return err_set_code(e, ERR_USAGE, "no profile '%s' in the AWS credentials file '%s'", profile, path);
	if (!c->access_key_id || !c->secret_access_key)
		return err_set_code(e, ERR_USAGE, "profile '%s' in '%s' lacks aws_access_key_id or aws_secret_access_key",
				    profile, path);
	return 0;
}

static int load_credentials(struct athena_client *c, struct err *e)
{
	const char *id = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
	if ((id && *id) || (secret && *secret)) {
		if (!id || !*id || !secret || !*secret)
			return err_set_code(e, ERR_USAGE, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
		c->access_key_id = xstrdup(id);
		c->secret_access_key = xstrdup(secret);
		const char *token = getenv("AWS_SESSION_TOKEN");
		c->session_token = token && *token ? xstrdup(token) : NULL;
		return 0;
	}
	const char *profile = getenv("AWS_PROFILE");
	const char *file = getenv("AWS_SHARED_CREDENTIALS_FILE");
	char *path = file && *file ? xstrdup(file) : xasprintf("%s/.aws/credentials", getenv("HOME") ? getenv("HOME") : "");
	int rc = read_credentials_file(path, profile && *profile ? profile : "default", c, e);
	free(path);
	return rc;
}

/* ---- the client ---- */

struct athena_client *athena_client_new(const char *url, struct err *e)
{
	struct athena_client *c = xcalloc(1, sizeof(*c));
	if (athena_target_parse(url, &c->target, e) || load_credentials(c, e)) {
		athena_client_free(c);
		return NULL;
	}
	const char *h = strstr(c->target.endpoint, "://") + 3;
	c->host = xstrndup(h, strcspn(h, "/"));
	c->transport = athena_curl_transport;
	return c;
}

void athena_client_free(struct athena_client *c)
{
	if (!c)
		return;
	athena_target_release(&c->target);
	free(c->access_key_id);
	if (c->secret_access_key)
		memset(c->secret_access_key, 0, strlen(c->secret_access_key));
	free(c->secret_access_key);
	free(c->session_token);
	free(c->host);
	for (size_t i = 0; i < c->nrelations; i++) {
		free(c->relations[i].name);
		free(c->relations[i].sql);
		free(c->relations[i].layout);
	}
	free(c->relations);
	free(c);
}

const struct athena_target *athena_client_target(const struct athena_client *c)
{
	return &c->target;
}

void athena_client_set_transport(struct athena_client *c, athena_transport_fn fn, void *arg)
{
	c->transport = fn;
	c->transport_arg = arg;
}

void athena_client_set_clock(struct athena_client *c, double (*now)(void *arg), void (*sleep_ms)(void *arg, int ms),
			     void *arg)
{
	c->now = now;
	c->sleep_ms = sleep_ms;
	c->clock_arg = arg;
}

double athena_elapsed_clock(struct athena_client *c)
{
	if (c->now)
		return c->now(c->clock_arg);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void athena_sleep(struct athena_client *c, int ms)
{
	if (c->sleep_ms) {
		c->sleep_ms(c->clock_arg, ms);
		return;
	}
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* ---- relations: the WITH entries in front of a statement ---- */

void athena_client_add_pruned_relation(struct athena_client *c, const char *name, const char *sql,
				       athena_prune_fn prune, const char *layout)
{
	c->relations = xrealloc(c->relations, (c->nrelations + 1) * sizeof(*c->relations));
	struct athena_relation *r = &c->relations[c->nrelations++];
	r->name = xstrdup(name);
	r->sql = xstrdup(sql);
	r->prune = prune;
	r->layout = layout ? xstrdup(layout) : NULL;
}

void athena_client_add_relation(struct athena_client *c, const char *name, const char *sql)
{
	athena_client_add_pruned_relation(c, name, sql, NULL, NULL);
}

/* "usage_date >= date 'A' AND usage_date < date 'B'" at *p: the days, and
 * *p moved past it. */
static bool parse_range(const char **p, int *start, int *end)
{
	static const char lower[] = "usage_date >= date '", upper[] = "' AND usage_date < date '";
	char day[11];
	const char *s = *p;
	if (strncmp(s, lower, sizeof(lower) - 1) != 0)
		return false;
	s += sizeof(lower) - 1;
	snprintf(day, sizeof(day), "%.10s", s);
	if (strlen(day) != 10 || !date_parse(day, start))
		return false;
	s += 10;
	if (strncmp(s, upper, sizeof(upper) - 1) != 0)
		return false;
	s += sizeof(upper) - 1;
	snprintf(day, sizeof(day), "%.10s", s);
	if (strlen(day) != 10 || !date_parse(day, end) || s[10] != '\'')
		return false;
	*p = s + 11;
	return *end > *start;
}

static size_t count_mentions(const char *text, const char *name)
{
	size_t n = 0, len = strlen(name);
	char quote = 0;
	for (const char *p = text; *p; p++) {
		if (quote) {
			quote = *p == quote ? 0 : quote;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
			continue;
		}
		bool start = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		if (start && strncasecmp(p, name, len) == 0 && !(isalnum((unsigned char)p[len]) || p[len] == '_'))
			n++;
	}
	return n;
}

bool athena_statement_range(const char *sql, const char *name, int *start, int *end)
{
	if (count_mentions(sql, name) != 1)
		return false;
	char from[128];
	snprintf(from, sizeof(from), "FROM %s\nWHERE ", name);
	const char *p = strstr(sql, from);
	if (!p)
		return false;
	p += strlen(from);
	if (strncmp(p, "((", 2) == 0) {
		/* a comparison: ((A) OR (B)) */
		int s2, e2;
		p += 2;
		if (!parse_range(&p, start, end) || strncmp(p, ") OR (", 6) != 0)
			return false;
		p += 6;
		if (!parse_range(&p, &s2, &e2) || strncmp(p, "))", 2) != 0)
			return false;
		p += 2;
		*start = s2 < *start ? s2 : *start;
		*end = e2 > *end ? e2 : *end;
	} else if (!parse_range(&p, start, end)) {
		return false;
	}
	/* what follows may only narrow it: more ANDs, GROUP BY, the end */
	return *p == '\0' || *p == ')' || (*p == '\n' && strncmp(p, "\n  OR", 5) != 0);
}

/* Whether text holds name as a whole word outside quotes. */
static bool mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	char quote = 0;
	for (const char *p = text; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '\'') {
			quote = *p;
			continue;
		}
		bool start = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		if (start && strncasecmp(p, name, n) == 0 && !(isalnum((unsigned char)p[n]) || p[n] == '_'))
			return true;
	}
	return false;
}

/* A relation as it goes in front of sql: narrowed to the partitions of
 * sql's range when it can be (read_elsewhere: another relation the
 * statement gets reads this one, unbounded). */
static void add_relation(struct strbuf *out, const struct athena_relation *r, const char *sql, bool read_elsewhere)
{
	const char *mark = strstr(r->sql, ATHENA_PARTITIONS_MARK);
	int start, end;
	char *condition = NULL;
	if (r->prune && mark && !read_elsewhere && athena_statement_range(sql, r->name, &start, &end))
		condition = r->prune(r->layout, start, end);
	if (!condition) {
		strbuf_addstr(out, r->sql);
		return;
	}
	strbuf_add(out, r->sql, (size_t)(mark - r->sql));
	strbuf_addf(out, "WHERE %s", condition);
	strbuf_addstr(out, mark + strlen(ATHENA_PARTITIONS_MARK));
	free(condition);
}

void athena_client_statement(const struct athena_client *c, const char *sql, struct strbuf *out)
{
	/* a relation is needed when the statement, or a relation after it
	 * that is needed, mentions it */
	bool *needed = xcalloc(c->nrelations + 1, sizeof(*needed));
	for (size_t i = c->nrelations; i-- > 0;) {
		needed[i] = mentions(sql, c->relations[i].name);
		for (size_t k = i + 1; k < c->nrelations && !needed[i]; k++)
			needed[i] = needed[k] && mentions(c->relations[k].sql, c->relations[i].name);
	}
	const char *rest = sql;
	while (isspace((unsigned char)*rest))
		rest++;
	/* a statement of its own WITH continues the list */
	bool own_with = strncasecmp(rest, "WITH", 4) == 0 && isspace((unsigned char)rest[4]);
	bool any = false;
	for (size_t i = 0; i < c->nrelations; i++) {
		if (!needed[i])
			continue;
		strbuf_addstr(out, any ? ",\n" : "WITH ");
		bool read_elsewhere = false;
		for (size_t k = i + 1; k < c->nrelations && !read_elsewhere; k++)
			read_elsewhere = needed[k] && mentions(c->relations[k].sql, c->relations[i].name);
		add_relation(out, &c->relations[i], sql, read_elsewhere);
		any = true;
	}
	if (any && own_with) {
		strbuf_addstr(out, ",\n");
		strbuf_addstr(out, rest + 5);
	} else {
		if (any)
			strbuf_addch(out, '\n');
		strbuf_addstr(out, any ? rest : sql);
	}
	free(needed);
}

/* ---- signed calls ---- */

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, data, size * n);
	return size * n;
}

int athena_curl_transport(void *arg, const struct athena_http_request *req, struct athena_http_response *resp,
			  struct err *e)
{
	(void)arg;
	CURL *curl = curl_easy_init();
	if (!curl)
		return err_set_code(e, ERR_DATABASE, "cannot start libcurl");
	struct curl_slist *headers = NULL;
	for (size_t i = 0; i < req->nheaders; i++)
		headers = curl_slist_append(headers, req->headers[i]);
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(curl, CURLOPT_URL, req->url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)req->body_len);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &resp->body);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(req->timeout_seconds * 1000));
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
	CURLcode rc = curl_easy_perform(curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	if (rc != CURLE_OK)
		return err_set_code(e, ERR_DATABASE, "cannot reach athena at '%s': %s", req->url, curl_easy_strerror(rc));
	return 0;
}

/* Athena's error type without its namespace ("...#ThrottlingException"). */
static const char *error_type(json_t *answer)
{
	const char *type = json_string_value(json_object_get(answer, "__type"));
	if (!type)
		return "error";
	const char *hash = strrchr(type, '#');
	return hash ? hash + 1 : type;
}

static bool retryable(long status, const char *type)
{
	static const char *const throttles[] = { "ThrottlingException", "TooManyRequestsException", NULL };
	if (status >= 500)
		return true;
	for (size_t i = 0; throttles[i]; i++)
		if (strcmp(type, throttles[i]) == 0)
			return true;
	return false;
}

/* One signed POST of body (JSON text) to action; the answer in resp. */
static int send_signed(struct athena_client *c, const char *action, const char *body,
		       struct athena_http_response *resp, struct err *e)
{
	char target[128], amz_date[17];
	snprintf(target, sizeof(target), "AmazonAthena.%s", action);
	sigv4_amz_date(c->now ? (long long)c->now(c->clock_arg) : (long long)time(NULL), amz_date);
	struct sigv4_header headers[] = {
		{ "Host", c->host },
		{ "Content-Type", "application/x-amz-json-1.1" },
		{ "X-Amz-Target", target },
	};
	struct sigv4_request req = { "POST", "/", NULL, headers, 3, body, strlen(body) };
	struct sigv4_credentials cred = { c->access_key_id, c->secret_access_key, c->session_token };
	struct sigv4_params p = { .region = c->target.region, .service = "athena", .amz_date = amz_date,
				  .normalize_path = true };
	struct sigv4_signed s;
	sigv4_signed_init(&s);
	if (sigv4_sign_headers(&req, &cred, &p, &s)) {
		sigv4_signed_release(&s);
		return err_set_code(e, ERR_USAGE, "cannot sign the athena request: credentials incomplete");
	}
	char *lines[8];
	size_t n = 0;
	for (size_t i = 0; i < 3; i++)
		lines[n++] = xasprintf("%s: %s", headers[i].name, headers[i].value);
	for (size_t i = 0; i < s.nadded; i++)
		lines[n++] = xasprintf("%s: %s", s.added[i].name, s.added[i].value);
	double timeout = CALL_TIMEOUT_SECONDS;
	if (c->deadline > 0) {
		/* at least a second, so a statement past its limit still stops */
		double left = c->deadline - athena_elapsed_clock(c);
		timeout = left < 1 ? 1 : left < timeout ? left : timeout;
	}
	struct athena_http_request http = { c->target.endpoint, (const char *const *)lines, n, body, strlen(body),
					    timeout };
	int rc = c->transport(c->transport_arg, &http, resp, e);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	sigv4_signed_release(&s);
	return rc;
}

static bool past_deadline(struct athena_client *c)
{
	return c->deadline > 0 && athena_elapsed_clock(c) >= c->deadline;
}

int athena_call(struct athena_client *c, const char *action, json_t *body, json_t **response, struct err *e)
{
	*response = NULL;
	char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = -1;
	for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		struct athena_http_response resp = { 0 };
		strbuf_init(&resp.body, 64u << 20);
		if (send_signed(c, action, text, &resp, e)) {
			/* no answer at all (a reset, a time-out): worth another
			 * try too; a retried start keeps its token */
			strbuf_release(&resp.body);
			if (attempt + 1 == MAX_ATTEMPTS || past_deadline(c))
				break;
			athena_sleep(c, 200 << attempt);
			continue;
		}
		json_error_t jerr;
		json_t *answer = json_loadb(resp.body.buf, resp.body.len, 0, &jerr);
		if (resp.status == 200 && answer) {
			*response = answer;
			rc = 0;
			strbuf_release(&resp.body);
			break;
		}
		const char *type = answer ? error_type(answer) : "error";
		const char *msg = answer ? json_string_value(json_object_get(answer, "Message")) : NULL;
		if (!msg && answer)
			msg = json_string_value(json_object_get(answer, "message"));
		bool again = retryable(resp.status, type) && attempt + 1 < MAX_ATTEMPTS && !past_deadline(c);
		if (!again) {
			if (resp.status == 200)
				err_set_code(e, ERR_DATABASE, "athena %s: the answer is not JSON: %s", action, jerr.text);
			else
				err_set_code(e, resp.status == 400 ? ERR_FAILED : ERR_DATABASE, "athena %s: %s (HTTP %ld): %s",
					     action, type, resp.status, msg ? msg : "no message");
		}
		json_decref(answer);
		strbuf_release(&resp.body);
		if (!again)
			break;
		athena_sleep(c, 200 << attempt);
	}
	free(text);
	return rc;
}

/* ---- table metadata ---- */

void athena_columns_free(struct athena_column *cols, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(cols[i].name);
		free(cols[i].type);
	}
	free(cols);
}

int athena_table_columns(struct athena_client *c, struct athena_column **cols, size_t *ncols, struct err *e)
{
	*cols = NULL;
	*ncols = 0;
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "CatalogName", c->target.catalog, "DatabaseName",
				 c->target.database, "TableName", c->target.table, "WorkGroup", c->target.workgroup);
	json_t *answer;
	int rc = athena_call(c, "GetTableMetadata", body, &answer, e);
	json_decref(body);
	if (rc)
		return err_prefix(e, "cannot read the columns of %s.%s", c->target.database, c->target.table);
	json_t *meta = json_object_get(answer, "TableMetadata");
	static const char *const lists[] = { "Columns", "PartitionKeys" };
	for (size_t l = 0; l < 2; l++) {
		json_t *list = json_object_get(meta, lists[l]), *col;
		size_t i;
		json_array_foreach(list, i, col) {
			const char *name = json_string_value(json_object_get(col, "Name"));
			const char *type = json_string_value(json_object_get(col, "Type"));
			if (!name)
				continue;
			*cols = xrealloc(*cols, (*ncols + 1) * sizeof(**cols));
			(*cols)[*ncols].name = xstrdup(name);
			(*cols)[*ncols].type = xstrdup(type ? type : "string");
			(*cols)[*ncols].partition = l == 1;
			(*ncols)++;
		}
	}
	json_decref(answer);
	if (!*ncols)
		return err_set_code(e, ERR_DATABASE, "athena table %s.%s has no columns", c->target.database,
				    c->target.table);
	return 0;
}
