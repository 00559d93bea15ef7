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
#include "api.h"
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

/* Latency histogram buckets, seconds. */
static const double buckets[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_stats {
	uint64_t count;
	double sum;
	uint64_t in_bucket[NBUCKETS]; /* per bucket, not cumulative */
};

struct status_count {
	size_t route;
	int status;
	uint64_t n;
};

struct api {
	struct pool *pool;
	struct api_options opt;
	time_t started;
	pthread_mutex_t lock; /* the counters below */
	struct route_stats *routes; /* api_routes_count + 1 */
	struct status_count *counts;
	size_t ncounts, alloc_counts;
	uint64_t requests;
	char (*etags)[24]; /* one per web asset */
};

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

uint64_t api_body_limit(struct api *api, const char *method, const char *path, bool *to_file, const char **route)
{
	*to_file = false;
	*route = NULL;
	for (size_t i = 0; i < api_routes_count; i++) {
		if (!method_fits(api_routes[i].method, method) || !route_match(api_routes[i].pattern, path, NULL))
			continue;
		*route = api_routes[i].pattern;
		*to_file = api_routes[i].upload;
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
	while (b < NBUCKETS && seconds > buckets[b])
		b++;
	if (b < NBUCKETS)
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

/* ---- bodies and errors ----------------------------------------------------- */

enum field_type { FIELD_STRING, FIELD_BOOL, FIELD_INT, FIELD_DATE };

/* One field of a JSON body. null counts as absent. */
struct field {
	const char *name;
	enum field_type type;
	bool required;
	size_t max_len;        /* FIELD_STRING: bytes, 0: no limit */
	json_int_t min, max;   /* FIELD_INT */
};

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
static json_t *body_parse(const struct req *req, struct resp *resp, const struct field *fields, size_t nfields)
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
static int fail(struct resp *resp, const struct err *e)
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
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].code == e->code)
			return resp_error(resp, map[i].status, map[i].name, "%s", e->msg);
	return resp_error(resp, 500, "internal", "%s", e->msg[0] ? e->msg : "unexpected failure");
}

/* The day a question is read from: its "today", the server's --today, or
 * the clock. */
static int today_of(const struct api *api, const char *text)
{
	int d;
	if (text && date_parse(text, &d))
		return d;
	return api->opt.default_today >= 0 ? api->opt.default_today : date_today();
}

static const struct field question_fields[] = {
	{ "message", FIELD_STRING, true, API_MESSAGE_MAX, 0, 0 },
	{ "conversation_id", FIELD_STRING, false, 64, 0, 0 },
	{ "today", FIELD_DATE, false, 0, 0, 0 },
};
#define NQUESTION_FIELDS (sizeof(question_fields) / sizeof(question_fields[0]))

static struct pool_question question_of(const struct api *api, const json_t *o)
{
	struct pool_question q = {
		.text = json_string_value(json_object_get(o, "message")),
		.conversation_id = json_string_value(json_object_get(o, "conversation_id")),
		.today = today_of(api, json_string_value(json_object_get(o, "today"))),
	};
	return q;
}

/* ---- who may see what (access.h) ----------------------------------------- */

/* An admin token, or no token at all (the local user): every conversation. */
static bool sees_all(const struct req *req)
{
	return req->role == ROLE_ADMIN;
}

static void audit(struct api *api, const char *actor, const char *client, const char *action, const char *object,
		  const char *detail);

/* 0 when the caller may use conversation id; else -1 with a 404, as for
 * one that does not exist: another token's conversation is not said to
 * exist. */
static int conversation_check(struct api *api, const struct req *req, const char *id, struct resp *resp)
{
	struct pool_slot *s;
	struct err e = { 0 };
	char owner[STATE_OWNER_SIZE];
	bool exists = false;
	if (sees_all(req) || !id)
		return 0;
	if (pool_acquire(api->pool, false, &s, &e))
		return fail(resp, &e);
	int rc = state_conversation_owner(pool_slot_state(s), id, owner, &exists, &e);
	pool_release(api->pool, s);
	if (rc)
		return fail(resp, &e);
	if (exists && strcmp(owner, req->actor) != 0) /* someone looking at another's: worth a line */
		audit(api, req->actor, req->client, "access.denied", id, "another token's conversation");
	if (!exists || strcmp(owner, req->actor) != 0)
		return resp_error(resp, 404, "not_found", "unknown conversation '%.64s'", id);
	return 0;
}

/* A line in the audit log for what req did; a failure to write it is
 * logged, not answered: the change is made. */
static void audit(struct api *api, const char *actor, const char *client, const char *action, const char *object,
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
static void conversation_claim(struct api *api, const char *actor, const char *client, const char *id)
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
	audit(api, actor, client, "conversation.create", id, NULL);
}

/* ---- chat ---------------------------------------------------------------- */

int api_chat(struct api *api, const struct req *req, struct resp *resp)
{
	json_t *o = body_parse(req, resp, question_fields, NQUESTION_FIELDS), *answer;
	struct err e = { 0 };
	if (!o)
		return -1;
	struct pool_question q = question_of(api, o);
	if (conversation_check(api, req, q.conversation_id, resp)) {
		json_decref(o);
		return -1;
	}
	int rc = pool_chat(api->pool, &q, NULL, &answer, &e);
	bool created = !q.conversation_id;
	json_decref(o);
	if (rc)
		return fail(resp, &e);
	if (created)
		conversation_claim(api, req->actor, req->client,
				   json_string_value(json_object_get(answer, "conversation_id")));
	resp_json(resp, 200, answer);
	return 0;
}

/* A /chat/stream in progress. */
struct chat_job {
	struct api *api;
	char *question;
	char *conversation_id;
	int today;
	char actor[sizeof(((struct req *)0)->actor)]; /* the token's name, for the new conversation's owner */
	char *client;
	struct resp_sink *sink;
	bool gone; /* the client left */
};

/* Write one event (stolen) as a line. */
static void emit(struct chat_job *job, json_t *event)
{
	char *text = json_dumps(event, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(event);
	if (!text)
		return;
	struct strbuf line;
	strbuf_init(&line, 0);
	strbuf_addstr(&line, text);
	strbuf_addch(&line, '\n');
	if (!job->gone && job->sink->write(job->sink, line.buf, line.len))
		job->gone = true;
	strbuf_release(&line);
	free(text);
}

static void on_understood(void *arg, const json_t *plan, const char *interpretation)
{
	emit(arg, json_pack("{s:s, s:s, s:O}", "event", "understood", "interpretation", interpretation, "plan",
			    (json_t *)plan));
}

static void on_sql(void *arg, const char *sql)
{
	emit(arg, json_pack("{s:s, s:o}", "event", "sql", "sql", sql ? json_string(sql) : json_null()));
}

static void on_rows(void *arg, const json_t *columns, const json_t *rows)
{
	emit(arg, json_pack("{s:s, s:O, s:O}", "event", "rows", "columns", (json_t *)columns, "rows", (json_t *)rows));
}

static int chat_stream_run(void *arg, struct resp_sink *sink)
{
	struct chat_job *job = arg;
	struct pool_events ev = { on_understood, on_sql, on_rows, job };
	struct pool_question q = { job->question, job->conversation_id, job->today };
	struct err e = { 0 };
	json_t *answer;
	job->sink = sink;
	if (pool_chat(job->api->pool, &q, &ev, &answer, &e)) {
		struct resp tmp;
		resp_init(&tmp);
		fail(&tmp, &e);
		json_t *err = json_loads(tmp.body.buf, 0, NULL);
		json_t *event = json_pack("{s:s}", "event", "error");
		json_object_update(event, err);
		json_decref(err);
		resp_release(&tmp);
		emit(job, event);
		return -1;
	}
	if (!job->conversation_id)
		conversation_claim(job->api, job->actor, job->client,
				   json_string_value(json_object_get(answer, "conversation_id")));
	json_t *event = json_pack("{s:s}", "event", "answer");
	json_object_update(event, answer);
	json_decref(answer);
	emit(job, event);
	return 0;
}

static void chat_job_free(void *arg)
{
	struct chat_job *job = arg;
	free(job->question);
	free(job->conversation_id);
	free(job->client);
	free(job);
}

int api_chat_stream(struct api *api, const struct req *req, struct resp *resp)
{
	json_t *o = body_parse(req, resp, question_fields, NQUESTION_FIELDS);
	struct err e = { 0 };
	if (!o)
		return -1;
	struct pool_question q = question_of(api, o);
	/* what would fail at once fails with its status, before the stream */
	struct pool_status st;
	pool_status(api->pool, &st);
	if (!st.data_loaded) {
		json_decref(o);
		return resp_error(resp, 503, "no_data",
				  "no cost data is loaded yet: upload a billing export first (POST /api/v1/data)");
	}
	if (q.conversation_id) {
		struct pool_slot *s;
		bool exists = false;
		int rc = pool_acquire(api->pool, false, &s, &e);
		if (rc == 0) {
			rc = state_conversation_exists(pool_slot_state(s), q.conversation_id, &exists, &e);
			pool_release(api->pool, s);
		}
		if (rc || !exists) {
			if (rc == 0)
				err_set_code(&e, ERR_FAILED, "unknown conversation '%.64s'", q.conversation_id);
			json_decref(o);
			return fail(resp, &e);
		}
		if (conversation_check(api, req, q.conversation_id, resp)) {
			json_decref(o);
			return -1;
		}
	}
	struct chat_job *job = xcalloc(1, sizeof(*job));
	job->api = api;
	job->question = xstrdup(q.text);
	job->conversation_id = q.conversation_id ? xstrdup(q.conversation_id) : NULL;
	job->today = q.today;
	snprintf(job->actor, sizeof(job->actor), "%s", req->actor);
	job->client = req->client ? xstrdup(req->client) : NULL;
	json_decref(o);
	resp_stream(resp, 200, "application/x-ndjson", chat_stream_run, chat_job_free, job);
	resp_header(resp, "Cache-Control", "no-store");
	resp_header(resp, "X-Accel-Buffering", "no");
	return 0;
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
	q.today = today_of(api, today);
	json_t *out;
	struct err e = { 0 };
	if (pool_insight(api->pool, &q, &out, &e))
		return fail(resp, &e);
	resp_json(resp, 200, out);
	return 0;
}

/* ---- plan and sql ----------------------------------------------------------- */

int api_plan(struct api *api, const struct req *req, struct resp *resp)
{
	json_t *o = body_parse(req, resp, question_fields, NQUESTION_FIELDS), *out;
	struct err e = { 0 };
	if (!o)
		return -1;
	struct pool_question q = question_of(api, o);
	if (conversation_check(api, req, q.conversation_id, resp)) {
		json_decref(o);
		return -1;
	}
	int rc = pool_plan(api->pool, &q, &out, &e);
	json_decref(o);
	if (rc)
		return fail(resp, &e);
	resp_json(resp, 200, out);
	return 0;
}

int api_sql(struct api *api, const struct req *req, struct resp *resp)
{
	static const struct field fields[] = {
		{ "sql", FIELD_STRING, true, 0, 0, 0 },
		{ "max_rows", FIELD_INT, false, 0, 1, SANDBOX_DEFAULT_MAX_ROWS },
	};
	json_t *o = body_parse(req, resp, fields, sizeof(fields) / sizeof(fields[0])), *out;
	struct err e = { 0 };
	if (!o)
		return -1;
	json_t *max = json_object_get(o, "max_rows");
	size_t max_rows = json_is_integer(max) ? (size_t)json_integer_value(max) : SANDBOX_DEFAULT_MAX_ROWS;
	int rc = pool_sql(api->pool, json_string_value(json_object_get(o, "sql")), max_rows,
			    SANDBOX_DEFAULT_TIMEOUT, &out, &e);
	json_decref(o);
	if (rc)
		return fail(resp, &e);
	resp_json(resp, 200, out);
	return 0;
}

/* ---- conversations ---------------------------------------------------------- */

/* The conversation id as a JSON object from a held slot, or a 404/500. */
static int conversation_json(struct api *api, const char *id, json_t **out, struct resp *resp)
{
	struct pool_slot *s;
	struct err e = { 0 };
	if (pool_acquire(api->pool, false, &s, &e))
		return fail(resp, &e);
	int rc = state_conversation_get(pool_slot_state(s), id, out, &e);
	pool_release(api->pool, s);
	return rc ? fail(resp, &e) : 0;
}

int api_conversations_list(struct api *api, const struct req *req, struct resp *resp)
{
	struct pool_slot *s;
	struct err e = { 0 };
	json_t *list;
	if (pool_acquire(api->pool, false, &s, &e))
		return fail(resp, &e);
	int rc = state_conversation_list(pool_slot_state(s), &list, &e);
	pool_release(api->pool, s);
	if (rc)
		return fail(resp, &e);
	for (size_t i = json_array_size(list); !sees_all(req) && i-- > 0;) { /* a token sees its own */
		const char *owner = json_string_value(json_object_get(json_array_get(list, i), "owner"));
		if (!owner || strcmp(owner, req->actor) != 0)
			json_array_remove(list, i);
	}
	resp_json(resp, 200, json_pack("{s:o}", "conversations", list));
	return 0;
}

int api_conversation_create(struct api *api, const struct req *req, struct resp *resp)
{
	static const struct field fields[] = { { "title", FIELD_STRING, false, STATE_TITLE_MAX, 0, 0 } };
	json_t *o = body_parse(req, resp, fields, 1), *conv;
	struct pool_slot *s;
	struct err e = { 0 };
	char id[STATE_ID_SIZE];
	if (!o)
		return -1;
	if (pool_acquire(api->pool, false, &s, &e)) {
		json_decref(o);
		return fail(resp, &e);
	}
	int rc = state_conversation_create(pool_slot_state(s), json_string_value(json_object_get(o, "title")), id, &e);
	if (rc == 0 && req->actor[0])
		rc = state_conversation_set_owner(pool_slot_state(s), id, req->actor, &e);
	if (rc == 0)
		rc = state_conversation_get(pool_slot_state(s), id, &conv, &e);
	pool_release(api->pool, s);
	json_decref(o);
	if (rc)
		return e.code == ERR_USAGE ? resp_field_error(resp, 400, "invalid_field", "title", "%s", e.msg)
					    : fail(resp, &e);
	audit(api, req->actor, req->client, "conversation.create", id, NULL);
	char location[128];
	snprintf(location, sizeof(location), "/api/v1/conversations/%s", id);
	resp_json(resp, 201, conv);
	resp_header(resp, "Location", location);
	return 0;
}

int api_conversation_get(struct api *api, const struct req *req, struct resp *resp)
{
	json_t *conv;
	if (conversation_check(api, req, req_param(req, "id"), resp) ||
	    conversation_json(api, req_param(req, "id"), &conv, resp))
		return -1;
	resp_json(resp, 200, conv);
	return 0;
}

int api_conversation_rename(struct api *api, const struct req *req, struct resp *resp)
{
	static const struct field fields[] = { { "title", FIELD_STRING, true, STATE_TITLE_MAX, 0, 0 } };
	json_t *o = body_parse(req, resp, fields, 1), *conv;
	struct pool_slot *s;
	struct err e = { 0 };
	if (!o)
		return -1;
	if (conversation_check(api, req, req_param(req, "id"), resp) ||
	    pool_acquire(api->pool, false, &s, &e)) {
		json_decref(o);
		return resp->body.len ? -1 : fail(resp, &e);
	}
	int rc = state_conversation_rename(pool_slot_state(s), req_param(req, "id"),
					   json_string_value(json_object_get(o, "title")), &e);
	if (rc == 0)
		rc = state_conversation_get(pool_slot_state(s), req_param(req, "id"), &conv, &e);
	pool_release(api->pool, s);
	json_decref(o);
	if (rc)
		return e.code == ERR_USAGE ? resp_field_error(resp, 400, "invalid_field", "title", "%s", e.msg)
					    : fail(resp, &e);
	audit(api, req->actor, req->client, "conversation.rename", req_param(req, "id"),
	      json_string_value(json_object_get(conv, "title")));
	resp_json(resp, 200, conv);
	return 0;
}

int api_conversation_delete(struct api *api, const struct req *req, struct resp *resp)
{
	struct pool_slot *s;
	struct err e = { 0 };
	if (conversation_check(api, req, req_param(req, "id"), resp))
		return -1;
	if (pool_acquire(api->pool, false, &s, &e))
		return fail(resp, &e);
	int rc = state_conversation_delete(pool_slot_state(s), req_param(req, "id"), &e);
	pool_release(api->pool, s);
	if (rc)
		return fail(resp, &e);
	audit(api, req->actor, req->client, "conversation.delete", req_param(req, "id"), NULL);
	resp_text(resp, 204, "", "", 0);
	return 0;
}

/* Text for one line of markdown: no line breaks; in a table, no pipes;
 * no HTML anywhere (a tag value such as <img onerror=...> stays text in
 * any viewer that renders HTML in Markdown; safetext.h). */
static void md_inline(struct strbuf *md, const char *s, bool cell)
{
	for (; s && *s; s++) {
		const char *entity = safetext_html_entity(*s);
		if (*s == '\n' || *s == '\r')
			strbuf_addch(md, ' ');
		else if (cell && *s == '|')
			strbuf_addstr(md, "\\|");
		else if (entity)
			strbuf_addstr(md, entity);
		else
			strbuf_addch(md, *s);
	}
}

/* The narrative keeps its lines (bullets) but not HTML. */
static void md_lines(struct strbuf *md, const char *s)
{
	for (; s && *s; s++) {
		const char *entity = safetext_html_entity(*s);
		if (entity)
			strbuf_addstr(md, entity);
		else
			strbuf_addch(md, *s);
	}
}

/* A code fence longer than any run of backticks in text, so that a value
 * quoted in the SQL cannot close it early. */
static void md_fence(struct strbuf *md, const char *text)
{
	size_t longest = 2, run = 0;
	for (const char *p = text; p && *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i <= longest; i++)
		strbuf_addch(md, '`');
}

static void md_value(struct strbuf *md, const json_t *v)
{
	if (json_is_string(v)) {
		md_inline(md, json_string_value(v), true);
	} else if (json_is_integer(v)) {
		strbuf_addf(md, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		strbuf_addf(md, "%.2f", json_real_value(v));
	} else if (json_is_boolean(v)) {
		strbuf_addstr(md, json_is_true(v) ? "true" : "false");
	} else if (!json_is_null(v)) {
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		md_inline(md, text, true);
		free(text);
	}
}

#define EXPORT_ROWS_MAX 200

static void md_table(struct strbuf *md, const json_t *columns, const json_t *rows)
{
	size_t ncols = json_array_size(columns), nrows = json_array_size(rows);
	if (!ncols)
		return;
	strbuf_addch(md, '|');
	for (size_t c = 0; c < ncols; c++) {
		strbuf_addch(md, ' ');
		md_value(md, json_array_get(columns, c));
		strbuf_addstr(md, " |");
	}
	strbuf_addstr(md, "\n|");
	for (size_t c = 0; c < ncols; c++)
		strbuf_addstr(md, "---|");
	strbuf_addch(md, '\n');
	for (size_t r = 0; r < nrows && r < EXPORT_ROWS_MAX; r++) {
		json_t *row = json_array_get(rows, r);
		strbuf_addch(md, '|');
		for (size_t c = 0; c < ncols; c++) {
			strbuf_addch(md, ' ');
			md_value(md, json_array_get(row, c));
			strbuf_addstr(md, " |");
		}
		strbuf_addch(md, '\n');
	}
	if (nrows > EXPORT_ROWS_MAX)
		strbuf_addf(md, "\n*... and %zu more rows*\n", nrows - EXPORT_ROWS_MAX);
	if (nrows == 0)
		strbuf_addstr(md, "\n*(no rows)*\n");
	strbuf_addch(md, '\n');
}

/* A readable transcript: each question, its narrative, how it was read,
 * the SQL and the table. */
static void export_markdown(const json_t *conv, struct strbuf *md)
{
	const char *title = json_string_value(json_object_get(conv, "title"));
	strbuf_addstr(md, "# ");
	md_inline(md, title ? title : "Untitled conversation", false);
	strbuf_addf(md, "\n\nA conversation with finq, started %s (id `%s`).\n\n",
		    json_string_value(json_object_get(conv, "created_at")),
		    json_string_value(json_object_get(conv, "id")));
	json_t *messages = json_object_get(conv, "messages");
	for (size_t i = 0; i < json_array_size(messages); i++) {
		json_t *m = json_array_get(messages, i), *a = json_object_get(m, "answer");
		strbuf_addf(md, "## %zu. ", i + 1);
		md_inline(md, json_string_value(json_object_get(m, "question")), false);
		strbuf_addf(md, "\n\n*Asked %s.*\n\n", json_string_value(json_object_get(m, "created_at")));
		if (!json_is_object(a)) {
			strbuf_addf(md, "No answer (%s).\n\n", json_string_value(json_object_get(m, "outcome")));
			continue;
		}
		const char *narrative = json_string_value(json_object_get(a, "message"));
		const char *interpretation = json_string_value(json_object_get(a, "interpretation"));
		const char *sql = json_string_value(json_object_get(a, "sql"));
		if (narrative) {
			md_lines(md, narrative);
			strbuf_addstr(md, "\n\n");
		}
		if (interpretation) {
			strbuf_addstr(md, "**How I read it:** ");
			md_inline(md, interpretation, false);
			strbuf_addstr(md, "\n\n");
		}
		if (sql) {
			md_fence(md, sql);
			strbuf_addf(md, "sql\n%s\n", sql);
			md_fence(md, sql);
			strbuf_addstr(md, "\n\n");
		}
		md_table(md, json_object_get(a, "columns"), json_object_get(a, "rows"));
	}
}

int api_conversation_export(struct api *api, const struct req *req, struct resp *resp)
{
	const char *format = req_query(req, "format");
	json_t *conv;
	if (!format)
		format = "md";
	if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0)
		return resp_field_error(resp, 400, "invalid_field", "format", "'format' must be md or json, not '%.32s'",
					format);
	if (conversation_check(api, req, req_param(req, "id"), resp) ||
	    conversation_json(api, req_param(req, "id"), &conv, resp))
		return -1;
	char disposition[128];
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"finq-conversation-%.32s.%s\"",
		 json_string_value(json_object_get(conv, "id")), format);
	if (strcmp(format, "json") == 0) {
		resp_json(resp, 200, conv);
	} else {
		struct strbuf md;
		strbuf_init(&md, 0);
		export_markdown(conv, &md);
		resp_text(resp, 200, "text/markdown; charset=utf-8", md.buf, md.len);
		strbuf_release(&md);
		json_decref(conv);
	}
	resp_header(resp, "Content-Disposition", disposition);
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
	if (pool_summary(api->pool, today_of(api, today), &out, &e))
		return fail(resp, &e);
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
		       1, SANDBOX_DEFAULT_TIMEOUT, &out, &e) == 0)
		periods = json_string_value(json_array_get(json_array_get(json_object_get(out, "rows"), 0), 0));
	char detail[512];
	snprintf(detail, sizeof(detail), "rows %lld, replaced %lld, periods %s",
		 (long long)json_integer_value(json_object_get(report, "rows")),
		 (long long)json_integer_value(json_object_get(report, "replaced")), periods ? periods : "[]");
	audit(api, req->actor, req->client, "data.upload", label, detail);
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
		audit(api, req->actor, req->client, "data.upload.failed", label, e.msg);
		return fail(resp, &e);
	}
	upload_audit(api, req, label, report);
	struct err ignored = { 0 };
	pool_summary(api->pool, today_of(api, NULL), &summary, &ignored);
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
	json_t *o = body_parse(req, resp, fields, sizeof(fields) / sizeof(fields[0]));
	struct pool_slot *s;
	struct err e = { 0 };
	if (!o)
		return -1;
	if (pool_acquire(api->pool, false, &s, &e)) {
		json_decref(o);
		return fail(resp, &e);
	}
	const char *comment = json_string_value(json_object_get(o, "comment"));
	const char *message_id = json_string_value(json_object_get(o, "message_id"));
	char owner[STATE_OWNER_SIZE];
	bool exists = true;
	int rc = sees_all(req) ? 0 : state_message_owner(pool_slot_state(s), message_id, owner, &exists, &e);
	if (rc == 0 && (!exists || (!sees_all(req) && strcmp(owner, req->actor) != 0))) {
		/* another token's message: as unknown as one that is not there */
		pool_release(api->pool, s);
		if (exists)
			audit(api, req->actor, req->client, "access.denied", message_id, "another token's message");
		resp_error(resp, 404, "not_found", "unknown message '%.64s'", message_id);
		json_decref(o); /* message_id is in it */
		return -1;
	}
	if (rc == 0)
		rc = state_feedback_add(pool_slot_state(s), message_id, json_is_true(json_object_get(o, "helpful")),
					comment, &e);
	pool_release(api->pool, s);
	if (rc == 0)
		audit(api, req->actor, req->client, "feedback.add", message_id,
		      json_is_true(json_object_get(o, "helpful")) ? "helpful" : "not helpful");
	if (rc) {
		json_decref(o);
		return e.code == ERR_USAGE ? resp_field_error(resp, 400, "invalid_field", "comment", "%s", e.msg)
					    : fail(resp, &e);
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
		return fail(resp, &e);
	int rc = state_stats(pool_slot_state(s), &o, &e);
	pool_release(api->pool, s);
	if (rc)
		return fail(resp, &e);
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
		for (size_t b = 0; b < NBUCKETS; b++) {
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
