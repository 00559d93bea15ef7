/*
 * api: routes, handlers and counters of finq's HTTP API. See api.h.
 *
 * A JSON endpoint describes its body as a table of fields (name, type,
 * required, limits); body_parse() checks the content type, parses, and
 * names the first field at fault. Engine errors become statuses through
 * the table in fail(). The stream of /chat/stream runs pool_chat on the
 * stream's own thread (http.c) and writes one JSON object per line as each
 * step finishes.
 */
#include "api_internal.h"
#include "access.h"
#include "today.h"
#include "date.h"
#include "pool.h"
#include "insight.h"
#include "safetext.h"
#include "sandbox.h"
#include "state.h"
#include "strbuf.h"
#include "today.h"
#include "web_assets.h"
#include "xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Latency histogram buckets, seconds. */
static const double buckets[API_NBUCKETS] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

/* Sorted by pattern, then method (test_api checks). */
const struct api_route api_routes[] = {
	{ "GET", "/", api_web, false },
	{ "POST", "/api/v1/chat", api_chat, false },
	{ "POST", "/api/v1/chat/stream", api_chat_stream, false },
	{ "GET", "/api/v1/conversations", api_conversations_list, false },
	{ "POST", "/api/v1/conversations", api_conversation_create, false },
	{ "DELETE", "/api/v1/conversations/{id}", api_conversation_delete, false },
	{ "GET", "/api/v1/conversations/{id}", api_conversation_get, false },
	{ "PATCH", "/api/v1/conversations/{id}", api_conversation_rename, false },
	{ "GET", "/api/v1/conversations/{id}/export", api_conversation_export, false },
	{ "POST", "/api/v1/data", api_data_upload, true },
	{ "GET", "/api/v1/data/summary", api_data_summary, false },
	{ "POST", "/api/v1/feedback", api_feedback, false },
	{ "GET", "/api/v1/insights", api_insights_list, false },
	{ "GET", "/api/v1/insights/{name}", api_insight, false },
	{ "GET", "/api/v1/openapi.json", api_openapi, false },
	{ "POST", "/api/v1/plan", api_plan, false },
	{ "POST", "/api/v1/sql", api_sql, false },
	{ "GET", "/api/v1/stats", api_stats, false },
	{ "GET", "/assets/{path*}", api_web, false },
	{ "GET", "/health", api_health, false },
	{ "GET", "/metrics", api_metrics, false },
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);

#define UNMATCHED api_routes_count /* the route index of unknown paths */

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct api *api_new(struct pool *en, const struct api_options *opt)
{
	struct api *api = xcalloc(1, sizeof(*api));
	api->pool = en;
	api->opt = *opt;
	if (!api->opt.max_upload)
		api->opt.max_upload = API_UPLOAD_DEFAULT;
	if (!api->opt.max_statement)
		api->opt.max_statement = SANDBOX_DEFAULT_MAX_TEXT;
	api->started = time(NULL);
	pthread_mutex_init(&api->lock, NULL);
	api->routes = xcalloc(api_routes_count + 1, sizeof(*api->routes));
	api->etags = xcalloc(web_assets_count ? web_assets_count : 1, sizeof(*api->etags));
	for (size_t i = 0; i < web_assets_count; i++)
		snprintf(api->etags[i], sizeof(api->etags[i]), "\"%016llx\"",
			 (unsigned long long)fnv1a(web_assets[i].data, web_assets[i].size));
	return api;
}

void api_free(struct api *api)
{
	if (!api)
		return;
	pthread_mutex_destroy(&api->lock);
	free(api->routes);
	free(api->counts);
	free(api->etags);
	free(api);
}

/* ---- routing ------------------------------------------------------------- */

/* Does path fit pattern? With req, its parameters are filled in. */
static bool route_match(const char *pattern, const char *path, struct req *req)
{
	char names[REQ_PARAMS_MAX][32], values[REQ_PARAMS_MAX][REQ_PARAM_SIZE];
	size_t np = 0;
	const char *p = pattern, *s = path;
	while (*p) {
		if (*p != '{') {
			if (*p++ != *s++)
				return false;
			continue;
		}
		const char *close = strchr(p, '}');
		bool rest = close[-1] == '*';
		size_t name_len = (size_t)(close - p - 1) - (rest ? 1 : 0);
		size_t n = rest ? strlen(s) : strcspn(s, "/");
		if (n == 0 || n >= REQ_PARAM_SIZE || np >= REQ_PARAMS_MAX || name_len >= sizeof(names[0]))
			return false;
		memcpy(names[np], p + 1, name_len);
		names[np][name_len] = '\0';
		memcpy(values[np], s, n);
		values[np][n] = '\0';
		np++;
		p = close + 1;
		s += n;
	}
	if (*s)
		return false;
	if (req) {
		req->nparams = np;
		memcpy(req->param_names, names, sizeof(names));
		memcpy(req->params, values, sizeof(values));
	}
	return true;
}

static bool method_fits(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

void api_allow(const char *path, struct strbuf *out)
{
	for (size_t i = 0; i < api_routes_count; i++) {
		if (!route_match(api_routes[i].pattern, path, NULL))
			continue;
		strbuf_addf(out, "%s%s", out->len ? ", " : "", api_routes[i].method);
		if (strcmp(api_routes[i].method, "GET") == 0)
			strbuf_addstr(out, ", HEAD");
	}
}

void api_handle(struct api *api, struct req *req, struct resp *resp)
{
	const struct api_route *hit = NULL;
	struct strbuf allow;
	strbuf_init(&allow, 0);
	api_allow(req->path, &allow);
	for (size_t i = 0; i < api_routes_count && !hit; i++)
		if (method_fits(api_routes[i].method, req->method) && route_match(api_routes[i].pattern, req->path, NULL))
			hit = &api_routes[i];
	if (hit) {
		route_match(hit->pattern, req->path, req);
		resp->route = hit->pattern;
		hit->handler(api, req, resp);
	} else if (allow.len) {
		for (size_t i = 0; i < api_routes_count; i++)
			if (route_match(api_routes[i].pattern, req->path, NULL))
				resp->route = api_routes[i].pattern;
		resp_error(resp, 405, "method_not_allowed", "%s is not allowed on %s (allowed: %s)", req->method,
			   req->path, allow.buf);
		resp_header(resp, "Allow", allow.buf);
	} else {
		resp->route = NULL;
		resp_error(resp, 404, "not_found", "no such endpoint: %s %.200s", req->method, req->path);
	}
	strbuf_release(&allow);
}

/* /api/v1/sql's body: the statement as a JSON string, where quotes, line
 * breaks and backslashes take two bytes, plus room for the other fields;
 * the statement's own cap (413 statement_too_large) is api_sql's. */
static uint64_t api_sql_body_limit(const struct api *api)
{
	uint64_t need = 2 * (uint64_t)api->opt.max_statement + 4096;
	return need > API_JSON_MAX ? need : API_JSON_MAX;
}

uint64_t api_body_limit(struct api *api, const char *method, const char *path, bool *to_file, const char **route)
{
	*to_file = false;
	*route = NULL;
	for (size_t i = 0; i < api_routes_count; i++) {
		if (!method_fits(api_routes[i].method, method) || !route_match(api_routes[i].pattern, path, NULL))
			continue;
		*route = api_routes[i].pattern;
		*to_file = api_routes[i].upload;
		if (api_routes[i].handler == api_sql)
			return api_sql_body_limit(api);
		return api_routes[i].upload ? api->opt.max_upload : API_JSON_MAX;
	}
	return API_JSON_MAX;
}

/* ---- counters ------------------------------------------------------------ */

static size_t route_index(const char *route)
{
	if (!route)
		return UNMATCHED;
	for (size_t i = 0; i < api_routes_count; i++)
		if (route == api_routes[i].pattern || strcmp(route, api_routes[i].pattern) == 0)
			return i;
	return UNMATCHED;
}

static const char *route_label(size_t i)
{
	return i < api_routes_count ? api_routes[i].pattern : "unmatched";
}

void api_record(struct api *api, const char *route, int status, double seconds)
{
	if (status <= 0) /* the client left before an answer */
		return;
	size_t r = route_index(route);
	pthread_mutex_lock(&api->lock);
	api->requests++;
	struct route_stats *rs = &api->routes[r];
	rs->count++;
	rs->sum += seconds;
	size_t b = 0;
	while (b < API_NBUCKETS && seconds > buckets[b])
		b++;
	if (b < API_NBUCKETS)
		rs->in_bucket[b]++;
	struct status_count *c = NULL;
	for (size_t i = 0; i < api->ncounts && !c; i++)
		if (api->counts[i].route == r && api->counts[i].status == status)
			c = &api->counts[i];
	if (!c) {
		ALLOC_GROW(api->counts, api->ncounts + 1, api->alloc_counts);
		c = &api->counts[api->ncounts++];
		c->route = r;
		c->status = status;
		c->n = 0;
	}
	c->n++;
	pthread_mutex_unlock(&api->lock);
}

static const char *const field_type_names[] = {
	[FIELD_STRING] = "a string",
	[FIELD_BOOL] = "true or false",
	[FIELD_INT] = "an integer",
	[FIELD_DATE] = "a date as YYYY-MM-DD",
};

static bool content_type_is(const char *value, const char *type)
{
	size_t n = strlen(type);
	if (!value)
		return false;
	while (*value == ' ')
		value++;
	return strncasecmp(value, type, n) == 0 && (value[n] == '\0' || value[n] == ';' || value[n] == ' ');
}

/* The body as a JSON object checked against fields, or NULL with resp
 * filled (415, 400 naming the field). An empty body is {}. */
json_t *api_body_parse(const struct req *req, struct resp *resp, const struct field *fields, size_t nfields)
{
	json_t *o;
	if (req->body_len == 0) {
		o = json_object();
	} else {
		const char *type = req_header(req, "Content-Type");
		json_error_t jerr;
		if (!content_type_is(type, "application/json")) {
			resp_error(resp, 415, "unsupported_media_type", "send the body as application/json, not '%.100s'",
				   type ? type : "(no content type)");
			return NULL;
		}
		if (!(o = json_loadb(req->body, req->body_len, 0, &jerr))) {
			resp_error(resp, 400, "invalid_json", "the body is not valid JSON: %s (line %d, column %d)", jerr.text,
				   jerr.line, jerr.column);
			return NULL;
		}
		if (!json_is_object(o)) {
			json_decref(o);
			resp_error(resp, 400, "invalid_json", "the body must be a JSON object");
			return NULL;
		}
	}
	for (size_t i = 0; i < nfields; i++) {
		const struct field *f = &fields[i];
		json_t *v = json_object_get(o, f->name);
		bool ok = true;
		int d;
		if (!v || json_is_null(v)) {
			if (!f->required)
				continue;
			resp_field_error(resp, 400, "missing_field", f->name, "'%s' is required", f->name);
			goto fail;
		}
		switch (f->type) {
		case FIELD_STRING: ok = json_is_string(v); break;
		case FIELD_BOOL: ok = json_is_boolean(v); break;
		case FIELD_INT: ok = json_is_integer(v); break;
		case FIELD_DATE: ok = json_is_string(v) && date_parse(json_string_value(v), &d); break;
		}
		if (ok && f->type == FIELD_DATE && !today_in_window(d)) {
			resp_field_error(resp, 400, "invalid_field", f->name, "'%s' must be a date from %d-01-01 to %d-12-31",
					 f->name, TODAY_FIRST_YEAR, TODAY_LAST_YEAR);
			goto fail;
		}
		if (!ok) {
			resp_field_error(resp, 400, "invalid_field", f->name, "'%s' must be %s", f->name,
					 field_type_names[f->type]);
			goto fail;
		}
		if (f->type == FIELD_STRING) {
			const char *text = json_string_value(v);
			if (f->required && text[strspn(text, " \t\r\n")] == '\0') {
				resp_field_error(resp, 400, "invalid_field", f->name, "'%s' must not be empty", f->name);
				goto fail;
			}
			if (f->max_len && json_string_length(v) > f->max_len) {
				resp_field_error(resp, 413, "too_large", f->name, "'%s' is longer than the limit of %zu bytes",
						 f->name, f->max_len);
				goto fail;
			}
		}
		if (f->type == FIELD_INT && (json_integer_value(v) < f->min || json_integer_value(v) > f->max)) {
			resp_field_error(resp, 400, "invalid_field", f->name, "'%s' must be between %lld and %lld", f->name,
					 (long long)f->min, (long long)f->max);
			goto fail;
		}
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* An engine or state error as a response; returns -1. */
int api_fail(struct resp *resp, const struct err *e)
{
	static const struct {
		enum err_status code;
		int status;
		const char *name;
	} map[] = {
		{ ERR_FAILED, 404, "not_found" },
		{ ERR_USAGE, 400, "invalid_request" },
		{ ERR_BAD_INPUT, 422, "unprocessable" },
		{ ERR_DATABASE, 500, "internal" },
		{ ERR_REFUSED, 400, "refused" },
		{ ERR_NO_DATA, 503, "no_data" },
		{ ERR_TOO_LARGE, 422, "limit_exceeded" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].code == e->code)
			return resp_error(resp, map[i].status, map[i].name, "%s", e->msg);
	return resp_error(resp, 500, "internal", "%s", e->msg[0] ? e->msg : "unexpected failure");
}

/* The day a question is read from: its "today", the server's --today, or
 * the clock. */
int api_today_of(const struct api *api, const char *text)
{
	int d;
	if (text && date_parse(text, &d))
		return d;
	return api->opt.default_today >= 0 ? api->opt.default_today : date_today();
}

/* ---- who may see what (access.h) ----------------------------------------- */

/* An admin token, or no token at all (the local user): every conversation. */
bool api_sees_all(const struct req *req)
{
	return req->role == ROLE_ADMIN;
}

void api_audit(struct api *api, const char *actor, const char *client, const char *action, const char *object,
		  const char *detail);

/* 0 when the caller may use conversation id; else -1 with a 404, as for
 * one that does not exist: another token's conversation is not said to
 * exist. */
int api_conversation_check(struct api *api, const struct req *req, const char *id, struct resp *resp)
{
	struct pool_slot *s;
	struct err e = { 0 };
	char owner[STATE_OWNER_SIZE];
	bool exists = false;
	if (api_sees_all(req) || !id)
		return 0;
	if (pool_acquire(api->pool, false, &s, &e))
		return api_fail(resp, &e);
	int rc = state_conversation_owner(pool_slot_state(s), id, owner, &exists, &e);
	pool_release(api->pool, s);
	if (rc)
		return api_fail(resp, &e);
	if (exists && strcmp(owner, req->actor) != 0) /* someone looking at another's: worth a line */
		api_audit(api, req->actor, req->client, "access.denied", id, "another token's conversation");
	if (!exists || strcmp(owner, req->actor) != 0)
		return resp_error(resp, 404, "not_found", "unknown conversation '%.64s'", id);
	return 0;
}

/* A line in the audit log for what req did; a failure to write it is
 * logged, not answered: the change is made. */
void api_audit(struct api *api, const char *actor, const char *client, const char *action, const char *object,
		  const char *detail)
{
	struct pool_slot *s;
	struct err e = { 0 };
	struct state_audit a = { actor, client, action, object, detail };
	if (pool_acquire(api->pool, false, &s, &e) == 0) {
		state_audit_add(pool_slot_state(s), &a, &e);
		pool_release(api->pool, s);
	}
	if (e.msg[0])
		fprintf(stderr, "finq: audit log: %s\n", e.msg);
}

/* Make a conversation just created for a token that token's; one made
 * without a token stays ownerless (the local user's). */
void api_conversation_claim(struct api *api, const char *actor, const char *client, const char *id)
{
	struct pool_slot *s;
	struct err e = { 0 };
	if (!actor || !*actor || !id)
		return;
	if (pool_acquire(api->pool, false, &s, &e) == 0) {
		state_conversation_set_owner(pool_slot_state(s), id, actor, &e);
		pool_release(api->pool, s);
	}
	if (e.msg[0])
		fprintf(stderr, "finq: %s\n", e.msg);
	api_audit(api, actor, client, "conversation.create", id, NULL);
}

/* ---- analyses --------------------------------------------------------------- */

int api_insights_list(struct api *api, const struct req *req, struct resp *resp)
{
	(void)api;
	(void)req;
	json_t *list = json_array();
	for (size_t i = 0; insight_table[i]; i++) {
		char path[96]; /* where it runs, for clients that follow links */
		snprintf(path, sizeof(path), "/api/v1/insights/%s", insight_table[i]->name);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "name", insight_table[i]->name, "summary",
						      insight_table[i]->summary, "path", path));
	}
	resp_json(resp, 200, json_pack("{s:o}", "insights", list));
	return 0;
}

/* A whole number in [min, max] from the query argument name (absent: *out
 * unchanged), or a 400 naming it. */
static int query_count(const struct req *req, struct resp *resp, const char *name, long min, long max, int *out)
{
	const char *text = req_query(req, name);
	if (!text)
		return 0;
	char *end = NULL;
	long v = strtol(text, &end, 10);
	if (!*text || *end || v < min || v > max)
		return resp_field_error(resp, 400, "invalid_field", name, "'%s' must be a whole number from %ld to %ld",
					name, min, max);
	*out = (int)v;
	return 0;
}

/* GET /api/v1/insights/{name}?q=WORDS&months=N&backtest=1&limit=N&today=DATE */
int api_insight(struct api *api, const struct req *req, struct resp *resp)
{
	struct pool_insight_query q = { .name = req_param(req, "name"), .words = req_query(req, "q") };
	const char *today = req_query(req, "today"), *backtest = req_query(req, "backtest");
	int d, flag = 0;
	if (q.words && strlen(q.words) > API_MESSAGE_MAX)
		return resp_field_error(resp, 400, "invalid_field", "q", "'q' is longer than %d bytes", API_MESSAGE_MAX);
	if (today && (!date_parse(today, &d) || !today_in_window(d)))
		return resp_field_error(resp, 400, "invalid_field", "today", "'today' must be a date as YYYY-MM-DD from %d "
					"to %d", TODAY_FIRST_YEAR, TODAY_LAST_YEAR);
	if (query_count(req, resp, "months", 0, PLAN_MONTHS_MAX, &q.months) ||
	    query_count(req, resp, "limit", 0, 10000, &q.limit))
		return -1;
	if (backtest && strcmp(backtest, "true") && strcmp(backtest, "false") && query_count(req, resp, "backtest", 0, 1, &flag))
		return -1;
	q.backtest = backtest && (strcmp(backtest, "true") == 0 || flag == 1);
	q.today = api_today_of(api, today);
	q.cancelled = api_client_gone;
	q.cancel_arg = (void *)req;
	json_t *out;
	struct err e = { 0 };
	if (pool_insight(api->pool, &q, &out, &e))
		return api_fail(resp, &e);
	resp_json(resp, 200, out);
	return 0;
}

/* A statement stops when whoever asked for it has gone. */
bool api_client_gone(void *req)
{
	return req_client_gone(req);
}

int api_sql(struct api *api, const struct req *req, struct resp *resp)
{
	static const struct field fields[] = {
		{ "sql", FIELD_STRING, true, 0, 0, 0 },
		{ "max_rows", FIELD_INT, false, 0, 1, SANDBOX_DEFAULT_MAX_ROWS },
	};
	json_t *o = api_body_parse(req, resp, fields, sizeof(fields) / sizeof(fields[0])), *out;
	struct err e = { 0 };
	if (!o)
		return -1;
	json_t *max = json_object_get(o, "max_rows");
	size_t max_rows = json_is_integer(max) ? (size_t)json_integer_value(max) : SANDBOX_DEFAULT_MAX_ROWS;
	const char *sql = json_string_value(json_object_get(o, "sql"));
	size_t len = strlen(sql);
	if (len > api->opt.max_statement) {
		json_decref(o);
		return resp_field_error(resp, 413, "statement_too_large", "sql",
					"the statement is %zu bytes, more than the limit of %zu (finq serve "
					"--max-statement)", len, api->opt.max_statement);
	}
	int rc = pool_sql(api->pool, sql, max_rows, api_client_gone, (void *)req, &out, &e);
	json_decref(o);
	if (rc)
		return api_fail(resp, &e);
	resp_json(resp, 200, out);
	return 0;
}

/* ---- data ---------------------------------------------------------------- */

int api_data_summary(struct api *api, const struct req *req, struct resp *resp)
{
	const char *today = req_query(req, "today");
	int d;
	json_t *out;
	struct err e = { 0 };
	if (today && (!date_parse(today, &d) || !today_in_window(d)))
		return resp_field_error(resp, 400, "invalid_field", "today", "'today' must be a date as YYYY-MM-DD from %d "
					"to %d", TODAY_FIRST_YEAR, TODAY_LAST_YEAR);
	if (pool_summary(api->pool, api_today_of(api, today), &out, &e))
		return api_fail(resp, &e);
	resp_json(resp, 200, out);
	return 0;
}

/* Content types an upload may come as. Not text/plain or none at all: a
 * page on any site may send those without asking (no CORS preflight),
 * and an upload replaces billing periods. multipart/form-data is such a
 * type too; the Origin check (server.c) is what stops it from elsewhere. */
static const char *const upload_types[] = {
	"application/gzip", "application/octet-stream", "application/vnd.apache.parquet", "application/x-gzip",
	"application/x-parquet", "multipart/form-data",
};

/* The client's file name, reduced to a harmless label for messages. */
static void upload_label(const char *name, char *buf, size_t size)
{
	const char *base = name;
	size_t n = 0;
	for (const char *p = name; p && *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	for (const char *p = base; p && *p && n + 1 < size; p++)
		buf[n++] = isalnum((unsigned char)*p) || strchr("._-", *p) ? *p : '_';
	buf[n] = '\0';
	if (!n)
		snprintf(buf, size, "upload");
}

/* An upload in the audit log: its rows, the rows of earlier loads it
 * replaced, and the billing periods it brought (those it replaced). */
static void upload_audit(struct api *api, const struct req *req, const char *label, const json_t *report)
{
	json_t *out = NULL;
	struct err e = { 0 };
	const char *periods = NULL;
	if (pool_sql(api->pool,
		       "SELECT list_sort(list(DISTINCT billing_period::VARCHAR))::VARCHAR FROM costs"
		       " WHERE load_id = (SELECT max(load_id) FROM costs)",
		       1, NULL, NULL, &out, &e) == 0)
		periods = json_string_value(json_array_get(json_array_get(json_object_get(out, "rows"), 0), 0));
	char detail[512];
	snprintf(detail, sizeof(detail), "rows %lld, replaced %lld, periods %s",
		 (long long)json_integer_value(json_object_get(report, "rows")),
		 (long long)json_integer_value(json_object_get(report, "replaced")), periods ? periods : "[]");
	api_audit(api, req->actor, req->client, "data.upload", label, detail);
	json_decref(out);
}

int api_data_upload(struct api *api, const struct req *req, struct resp *resp)
{
	const char *type = req_header(req, "Content-Type");
	bool known = false;
	for (size_t i = 0; i < sizeof(upload_types) / sizeof(upload_types[0]) && !known; i++)
		known = content_type_is(type, upload_types[i]);
	if (!known)
		return resp_error(resp, 415, "unsupported_media_type",
				  "send the file as the body (application/octet-stream, application/gzip or "
				  "application/vnd.apache.parquet) or as the one file of a multipart/form-data form, "
				  "not '%.100s'", type ? type : "(no content type)");
	if (!req->body_file)
		return resp_error(resp, 400, "invalid_body",
				  content_type_is(type, "multipart/form-data") ? "the form has no file part"
									       : "the upload is empty: send a CUR or FOCUS export as the body");
	char label[128];
	upload_label(req->upload_name, label, sizeof(label));
	json_t *report, *summary = NULL;
	struct err e = { 0 };
	if (pool_load(api->pool, req->body_file, label, &report, &e)) {
		api_audit(api, req->actor, req->client, "data.upload.failed", label, e.msg);
		return api_fail(resp, &e);
	}
	upload_audit(api, req, label, report);
	struct err ignored = { 0 };
	pool_summary(api->pool, api_today_of(api, NULL), &summary, &ignored);
	resp_json(resp, 200, json_pack("{s:o, s:o}", "load", report, "summary", summary ? summary : json_null()));
	return 0;
}

/* ---- feedback, stats, health, metrics ------------------------------------------ */

int api_feedback(struct api *api, const struct req *req, struct resp *resp)
{
	static const struct field fields[] = {
		{ "message_id", FIELD_STRING, true, 64, 0, 0 },
		{ "helpful", FIELD_BOOL, true, 0, 0, 0 },
		{ "comment", FIELD_STRING, false, STATE_COMMENT_MAX, 0, 0 },
	};
	json_t *o = api_body_parse(req, resp, fields, sizeof(fields) / sizeof(fields[0]));
	struct pool_slot *s;
	struct err e = { 0 };
	if (!o)
		return -1;
	if (pool_acquire(api->pool, false, &s, &e)) {
		json_decref(o);
		return api_fail(resp, &e);
	}
	const char *comment = json_string_value(json_object_get(o, "comment"));
	const char *message_id = json_string_value(json_object_get(o, "message_id"));
	char owner[STATE_OWNER_SIZE];
	bool exists = true;
	int rc = api_sees_all(req) ? 0 : state_message_owner(pool_slot_state(s), message_id, owner, &exists, &e);
	if (rc == 0 && (!exists || (!api_sees_all(req) && strcmp(owner, req->actor) != 0))) {
		/* another token's message: as unknown as one that is not there */
		pool_release(api->pool, s);
		if (exists)
			api_audit(api, req->actor, req->client, "access.denied", message_id, "another token's message");
		resp_error(resp, 404, "not_found", "unknown message '%.64s'", message_id);
		json_decref(o); /* message_id is in it */
		return -1;
	}
	if (rc == 0)
		rc = state_feedback_add(pool_slot_state(s), message_id, json_is_true(json_object_get(o, "helpful")),
					comment, &e);
	pool_release(api->pool, s);
	if (rc == 0)
		api_audit(api, req->actor, req->client, "feedback.add", message_id,
		      json_is_true(json_object_get(o, "helpful")) ? "helpful" : "not helpful");
	if (rc) {
		json_decref(o);
		return e.code == ERR_USAGE ? resp_field_error(resp, 400, "invalid_field", "comment", "%s", e.msg)
					    : api_fail(resp, &e);
	}
	resp_json(resp, 201, json_pack("{s:O, s:O, s:o}", "message_id", json_object_get(o, "message_id"), "helpful",
				       json_object_get(o, "helpful"), "comment",
				       comment ? json_string(comment) : json_null()));
	json_decref(o);
	return 0;
}

/* The server's counters: requests by status, cache, answers, uptime. */
static json_t *server_stats(struct api *api)
{
	struct pool_status st;
	pool_status(api->pool, &st);
	json_t *by_status = json_object(), *outcomes = json_object();
	uint64_t total;
	pthread_mutex_lock(&api->lock);
	total = api->requests;
	for (size_t i = 0; i < api->ncounts; i++) {
		char key[16];
		snprintf(key, sizeof(key), "%d", api->counts[i].status);
		json_t *n = json_object_get(by_status, key);
		json_object_set_new(by_status, key,
				    json_integer((json_int_t)api->counts[i].n + (n ? json_integer_value(n) : 0)));
	}
	pthread_mutex_unlock(&api->lock);
	for (int o = 0; o < OUTCOME_COUNT; o++)
		json_object_set_new(outcomes, pool_outcome_name((enum pool_outcome)o),
				    json_integer((json_int_t)st.answers[o]));
	return json_pack("{s:I, s:I, s:o, s:o, s:{s:I, s:I, s:I}, s:I, s:b}", "uptime_seconds",
			 (json_int_t)(time(NULL) - api->started), "requests", (json_int_t)total, "requests_by_status",
			 by_status, "answers", outcomes, "answer_cache", "hits", (json_int_t)st.cache_hits, "misses",
			 (json_int_t)st.cache_misses, "entries", (json_int_t)st.cache_entries, "data_version",
			 (json_int_t)st.data_version, "data_loaded", st.data_loaded);
}

int api_stats(struct api *api, const struct req *req, struct resp *resp)
{
	struct pool_slot *s;
	struct err e = { 0 };
	json_t *o;
	(void)req;
	if (pool_acquire(api->pool, false, &s, &e))
		return api_fail(resp, &e);
	int rc = state_stats(pool_slot_state(s), &o, &e);
	pool_release(api->pool, s);
	if (rc)
		return api_fail(resp, &e);
	json_object_set_new(o, "server", server_stats(api));
	resp_json(resp, 200, o);
	return 0;
}

int api_health(struct api *api, const struct req *req, struct resp *resp)
{
	struct pool_status st;
	pool_status(api->pool, &st);
	bool state_ok = pool_state_ok(api->pool), ok = st.pool_ok && state_ok;
	if (req->restricted) { /* for load balancers: up or not, nothing about the data */
		resp_json(resp, ok ? 200 : 503, json_pack("{s:s}", "status", ok ? "ok" : "unavailable"));
		return 0;
	}
	resp_json(resp, ok ? 200 : 503,
		  json_pack("{s:s, s:b, s:b, s:b, s:b, s:I, s:I}", "status", ok ? "ok" : "unavailable", "engine",
			    st.pool_ok, "state", state_ok, "data_loaded", st.data_loaded, "loading", st.loading,
			    "rows", (json_int_t)st.rows, "data_version", (json_int_t)st.data_version));
	return 0;
}

int api_metrics(struct api *api, const struct req *req, struct resp *resp)
{
	struct strbuf m;
	struct pool_status st;
	(void)req;
	strbuf_init(&m, 0);
	pool_status(api->pool, &st);
	pthread_mutex_lock(&api->lock);
	strbuf_addstr(&m, "# HELP finq_http_requests_total HTTP requests answered, by route and status.\n"
			  "# TYPE finq_http_requests_total counter\n");
	for (size_t i = 0; i < api->ncounts; i++)
		strbuf_addf(&m, "finq_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
			    route_label(api->counts[i].route), api->counts[i].status,
			    (unsigned long long)api->counts[i].n);
	strbuf_addstr(&m, "# HELP finq_http_request_duration_seconds Time from a request's headers to the end of "
			  "its response.\n# TYPE finq_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= api_routes_count; r++) {
		const struct route_stats *rs = &api->routes[r];
		uint64_t cumulative = 0;
		if (!rs->count)
			continue;
		for (size_t b = 0; b < API_NBUCKETS; b++) {
			cumulative += rs->in_bucket[b];
			strbuf_addf(&m, "finq_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
				    route_label(r), buckets[b], (unsigned long long)cumulative);
		}
		strbuf_addf(&m, "finq_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
			    route_label(r), (unsigned long long)rs->count);
		strbuf_addf(&m, "finq_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", route_label(r), rs->sum);
		strbuf_addf(&m, "finq_http_request_duration_seconds_count{route=\"%s\"} %llu\n", route_label(r),
			    (unsigned long long)rs->count);
	}
	pthread_mutex_unlock(&api->lock);
	strbuf_addstr(&m, "# HELP finq_answers_total Answers to questions, by outcome.\n"
			  "# TYPE finq_answers_total counter\n");
	for (int o = 0; o < OUTCOME_COUNT; o++)
		strbuf_addf(&m, "finq_answers_total{outcome=\"%s\"} %llu\n", pool_outcome_name((enum pool_outcome)o),
			    (unsigned long long)st.answers[o]);
	strbuf_addf(&m,
		    "# HELP finq_answer_cache_hits_total Answers served from the cache of (plan, data version).\n"
		    "# TYPE finq_answer_cache_hits_total counter\nfinq_answer_cache_hits_total %llu\n"
		    "# HELP finq_answer_cache_misses_total Answers computed because the cache had none.\n"
		    "# TYPE finq_answer_cache_misses_total counter\nfinq_answer_cache_misses_total %llu\n"
		    "# HELP finq_data_version Loads since the server started (1: the data it started with).\n"
		    "# TYPE finq_data_version gauge\nfinq_data_version %llu\n",
		    (unsigned long long)st.cache_hits, (unsigned long long)st.cache_misses,
		    (unsigned long long)st.data_version);
	resp_text(resp, 200, "text/plain; version=0.0.4; charset=utf-8", m.buf, m.len);
	strbuf_release(&m);
	return 0;
}

/* ---- documents and the web UI -------------------------------------------------- */

int api_openapi(struct api *api, const struct req *req, struct resp *resp)
{
	size_t len;
	(void)api;
	(void)req;
	resp->status = 200;
	snprintf(resp->content_type, sizeof(resp->content_type), "application/json");
	resp->static_body = openapi_document(&len);
	resp->static_len = len;
	return 0;
}

int api_web(struct api *api, const struct req *req, struct resp *resp)
{
	char path[REQ_PARAM_SIZE + 16];
	const char *rest = req_param(req, "path");
	if (rest)
		snprintf(path, sizeof(path), "/assets/%s", rest);
	else
		snprintf(path, sizeof(path), "/index.html");
	for (size_t i = 0; i < web_assets_count; i++) {
		if (strcmp(web_assets[i].path, path) != 0)
			continue;
		const char *match = req_header(req, "If-None-Match");
		resp_header(resp, "ETag", api->etags[i]);
		resp_header(resp, "Cache-Control", "no-cache");
		if (match && (strstr(match, api->etags[i]) || strcmp(match, "*") == 0)) {
			resp->status = 304;
			return 0;
		}
		resp->status = 200;
		snprintf(resp->content_type, sizeof(resp->content_type), "%s", web_assets[i].content_type);
		resp->static_body = web_assets[i].data;
		resp->static_len = web_assets[i].size;
		return 0;
	}
	return resp_error(resp, 404, "not_found", "no such file: %.200s", path);
}
