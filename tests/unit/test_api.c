/*
 * test_api: the HTTP API's handlers called in-process, without sockets,
 * through the router (api_handle) with requests built by hand, over a real
 * engine on a temporary DuckDB loaded from the shared dev data
 * (cur-dev/cur2.parquet, today 2025-12-04): the route table's order, 404
 * and 405 with Allow, JSON body errors that name the field, 415, chat and a
 * follow-up, the stream's four events in order, plan and sql (with a
 * refusal), conversations and their export, feedback and stats, the data
 * summary, health and the Prometheus text, the OpenAPI document against
 * the route table (both ways), the web files with ETags, the answer cache
 * (a second identical plan is a hit; a load invalidates it), uploads (good
 * and bad), an engine that starts with no data at all, and a long SQL
 * statement stopped when its client's connection (a socket pair) closes.
 */
#include "unit.h"

#include "api.h"
#include "date.h"
#include "pool.h"
#include "load.h"
#include "strbuf.h"
#include "web_assets.h"

#include <ctype.h>
#include <jansson.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEV_PARQUET TEST_DATA_DIR "/../../../shared/data/cur-dev/cur2.parquet"
#define DEV_FOCUS TEST_DATA_DIR "/../../../shared/data/cur-dev/focus.csv.gz"
#define TODAY "2025-12-04"

struct fixture {
	char root[256];
	char db_path[320];
	struct pool *pool;
	struct api *api;
};

static struct fixture *fx; /* the group's */

static int make_root(char *root, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(root, size, "%s/finq-api-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(root) ? 0 : -1;
}

static void remove_root(const char *root)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", root);
}

static int open_api(struct fixture *f, struct err *e)
{
	int today;
	date_parse(TODAY, &today);
	struct pool_config cfg = { .db_path = f->db_path, .slots = 2 };
	if (pool_open(&f->pool, &cfg, e))
		return -1;
	struct api_options opt = { .default_today = today };
	f->api = api_new(f->pool, &opt);
	return 0;
}

static int group_setup(void **state)
{
	struct err e = { 0 };
	struct db db;
	struct load_report rep;
	struct load_options opt = { .progress = false };
	const char *paths[] = { DEV_PARQUET };
	unsetenv("FINQ_STATE");
	fx = calloc(1, sizeof(*fx));
	if (make_root(fx->root, sizeof(fx->root)))
		return -1;
	snprintf(fx->db_path, sizeof(fx->db_path), "%s/finq.duckdb", fx->root);
	if (load_open_db(&db, fx->db_path, NULL, 0, &e) || load_paths(&db, paths, 1, &opt, &rep, &e)) {
		fprintf(stderr, "load: %s\n", e.msg);
		return -1;
	}
	db_close(&db);
	if (open_api(fx, &e)) {
		fprintf(stderr, "engine: %s\n", e.msg);
		return -1;
	}
	*state = fx;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	api_free(fx->api);
	pool_close(fx->pool);
	remove_root(fx->root);
	free(fx);
	return 0;
}

/* ---- calling the API in-process ---- */

struct call {
	struct resp resp;
	json_t *json;  /* the body parsed, when it is JSON */
	char path[512];
	struct http_kv query[4];
	char query_buf[256];
};

/* Split "path?a=1&b=2" (no decoding) into c->path and c->query. */
static size_t split_query(struct call *c, const char *target)
{
	const char *q = strchr(target, '?');
	size_t n = 0;
	snprintf(c->path, sizeof(c->path), "%.*s", (int)(q ? (size_t)(q - target) : strlen(target)), target);
	if (!q)
		return 0;
	snprintf(c->query_buf, sizeof(c->query_buf), "%s", q + 1);
	for (char *tok = strtok(c->query_buf, "&"); tok && n < 4; tok = strtok(NULL, "&")) {
		char *eq = strchr(tok, '=');
		if (eq)
			*eq++ = '\0';
		c->query[n].name = tok;
		c->query[n].value = eq ? eq : "";
		n++;
	}
	return n;
}

/* Route one request; content_type NULL sends none. */
static void call_full(struct api *api, struct call *c, const char *method, const char *target, const char *type,
		      const char *body, const struct http_kv *extra, const char *body_file)
{
	struct http_kv headers[2];
	size_t nh = 0;
	if (type)
		headers[nh++] = (struct http_kv){ "Content-Type", type };
	if (extra)
		headers[nh++] = *extra;
	size_t nq = split_query(c, target);
	struct req req = {
		.method = method,
		.path = c->path,
		.query = c->query,
		.nquery = nq,
		.headers = headers,
		.nheaders = nh,
		.body = body ? body : "",
		.body_len = body ? strlen(body) : 0,
		.body_file = body_file,
		.upload_name = body_file ? "focus.csv.gz" : NULL,
	};
	resp_init(&c->resp);
	api_handle(api, &req, &c->resp);
	c->json = json_loadb(c->resp.body.buf, c->resp.body.len, 0, NULL);
}

static void call(struct api *api, struct call *c, const char *method, const char *target, const char *json_body)
{
	call_full(api, c, method, target, json_body ? "application/json" : NULL, json_body, NULL, NULL);
}

static void call_done(struct call *c)
{
	json_decref(c->json);
	c->json = NULL;
	resp_release(&c->resp);
}

static const char *resp_header_value(const struct resp *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

static const char *error_code(const struct call *c)
{
	return json_string_value(json_object_get(json_object_get(c->json, "error"), "code"));
}

static const char *error_field(const struct call *c)
{
	return json_string_value(json_object_get(json_object_get(c->json, "error"), "field"));
}

static const char *error_message(const struct call *c)
{
	return json_string_value(json_object_get(json_object_get(c->json, "error"), "message"));
}

/* ---- the router ---- */

static void test_routes_sorted(void **state)
{
	(void)state;
	for (size_t i = 1; i < api_routes_count; i++) {
		int cmp = strcmp(api_routes[i - 1].pattern, api_routes[i].pattern);
		if (cmp > 0 || (cmp == 0 && strcmp(api_routes[i - 1].method, api_routes[i].method) >= 0))
			fail_msg("route %zu (%s %s) is out of order", i, api_routes[i].method, api_routes[i].pattern);
	}
}

static void test_router_errors(void **state)
{
	struct call c = { 0 };
	(void)state;
	call(fx->api, &c, "GET", "/nope", NULL);
	assert_int_equal(c.resp.status, 404);
	assert_string_equal(error_code(&c), "not_found");
	assert_null(c.resp.route);
	call_done(&c);

	call(fx->api, &c, "PUT", "/api/v1/chat", "{}");
	assert_int_equal(c.resp.status, 405);
	assert_string_equal(error_code(&c), "method_not_allowed");
	assert_string_equal(resp_header_value(&c.resp, "Allow"), "POST");
	call_done(&c);

	call(fx->api, &c, "DELETE", "/api/v1/conversations", NULL);
	assert_int_equal(c.resp.status, 405);
	assert_string_equal(resp_header_value(&c.resp, "Allow"), "GET, HEAD, POST");
	call_done(&c);

	call(fx->api, &c, "POST", "/api/v1/conversations/abc", NULL);
	assert_int_equal(c.resp.status, 405);
	assert_string_equal(resp_header_value(&c.resp, "Allow"), "DELETE, GET, HEAD, PATCH");
	call_done(&c);

	call(fx->api, &c, "GET", "/api/v1/conversations/a/b", NULL);
	assert_int_equal(c.resp.status, 404);
	call_done(&c);

	call(fx->api, &c, "GET", "/api/v1/chat/", NULL);
	assert_int_equal(c.resp.status, 404);
	call_done(&c);

	call(fx->api, &c, "HEAD", "/health", NULL);
	assert_int_equal(c.resp.status, 200);
	assert_string_equal(c.resp.route, "/health");
	call_done(&c);

	bool to_file;
	const char *route;
	assert_int_equal(api_body_limit(fx->api, "POST", "/api/v1/chat", &to_file, &route), API_JSON_MAX);
	assert_false(to_file);
	assert_string_equal(route, "/api/v1/chat");
	assert_int_equal(api_body_limit(fx->api, "POST", "/api/v1/data", &to_file, &route), API_UPLOAD_DEFAULT);
	assert_true(to_file);
	assert_string_equal(route, "/api/v1/data");
	assert_int_equal(api_body_limit(fx->api, "GET", "/api/v1/data", &to_file, &route), API_JSON_MAX);
	assert_false(to_file);
	assert_null(route);
	assert_int_equal(api_body_limit(fx->api, "GET", "/api/v1/conversations/abc", &to_file, &route), API_JSON_MAX);
	assert_string_equal(route, "/api/v1/conversations/{id}");
}

/* ---- bodies ---- */

struct bad_body {
	const char *target;
	const char *type;
	const char *body;
	int status;
	const char *code;
	const char *field; /* NULL: none named */
};

static void test_body_errors(void **state)
{
	static char long_message[API_MESSAGE_MAX + 64];
	(void)state;
	memset(long_message, 0, sizeof(long_message));
	strcpy(long_message, "{\"message\": \"");
	memset(long_message + strlen(long_message), 'a', API_MESSAGE_MAX + 1);
	strcat(long_message, "\"}");
	const struct bad_body cases[] = {
		{ "/api/v1/chat", "application/json", "{\"message\": \"top", 400, "invalid_json", NULL },
		{ "/api/v1/chat", "application/json", "[1, 2]", 400, "invalid_json", NULL },
		{ "/api/v1/chat", "application/json", "{}", 400, "missing_field", "message" },
		{ "/api/v1/chat", NULL, NULL, 400, "missing_field", "message" },
		{ "/api/v1/chat", "application/json", "{\"message\": 42}", 400, "invalid_field", "message" },
		{ "/api/v1/chat", "application/json", "{\"message\": \"  \"}", 400, "invalid_field", "message" },
		{ "/api/v1/chat", "application/json", long_message, 413, "too_large", "message" },
		{ "/api/v1/chat", "application/json", "{\"message\": \"x\", \"today\": \"2025-13-01\"}", 400,
		  "invalid_field", "today" },
		{ "/api/v1/chat", "application/json", "{\"message\": \"x\", \"conversation_id\": 7}", 400,
		  "invalid_field", "conversation_id" },
		{ "/api/v1/chat", "text/plain", "{\"message\": \"x\"}", 415, "unsupported_media_type", NULL },
		{ "/api/v1/chat", "application/x-www-form-urlencoded", "message=x", 415, "unsupported_media_type", NULL },
		{ "/api/v1/chat/stream", "application/json", "{\"message\": []}", 400, "invalid_field", "message" },
		{ "/api/v1/plan", "application/json", "{\"today\": \"2025-12-04\"}", 400, "missing_field", "message" },
		{ "/api/v1/sql", "application/json", "{\"sql\": \"SELECT 1\", \"max_rows\": 0}", 400, "invalid_field",
		  "max_rows" },
		{ "/api/v1/sql", "application/json", "{\"sql\": \"SELECT 1\", \"max_rows\": \"5\"}", 400, "invalid_field",
		  "max_rows" },
		{ "/api/v1/feedback", "application/json", "{\"message_id\": \"x\", \"helpful\": \"yes\"}", 400,
		  "invalid_field", "helpful" },
		{ "/api/v1/feedback", "application/json", "{\"helpful\": true}", 400, "missing_field", "message_id" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct call c = { 0 };
		call_full(fx->api, &c, "POST", cases[i].target, cases[i].type, cases[i].body, NULL, NULL);
		if (c.resp.status != cases[i].status || !error_code(&c) || strcmp(error_code(&c), cases[i].code) != 0)
			fail_msg("case %zu (%s): status %d, body %s", i, cases[i].target, c.resp.status, c.resp.body.buf);
		if (cases[i].field) {
			assert_non_null(error_field(&c));
			assert_string_equal(error_field(&c), cases[i].field);
			assert_contains(error_message(&c), cases[i].field);
		}
		call_done(&c);
	}
}

/* ---- questions ---- */

static json_t *ask(const char *question, const char *conversation_id, int want_status)
{
	struct call c = { 0 };
	json_t *body = json_pack("{s:s}", "message", question);
	if (conversation_id)
		json_object_set_new(body, "conversation_id", json_string(conversation_id));
	char *text = json_dumps(body, 0);
	call(fx->api, &c, "POST", "/api/v1/chat", text);
	if (c.resp.status != want_status)
		fail_msg("chat '%s': status %d: %s", question, c.resp.status, c.resp.body.buf);
	json_t *answer = json_incref(c.json);
	free(text);
	json_decref(body);
	call_done(&c);
	return answer;
}

static void test_chat(void **state)
{
	(void)state;
	json_t *a = ask("top 3 services last month", NULL, 200);
	static const char *const fields[] = { "conversation_id", "message_id", "message", "interpretation", "plan",
					      "sql", "columns", "rows", "charts", "suggestions", "elapsed_ms" };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!json_object_get(a, fields[i]))
			fail_msg("the answer lacks '%s'", fields[i]);
	json_t *rows = json_object_get(a, "rows");
	assert_int_equal(json_array_size(rows), 3);
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 0)), "AmazonEC2");
	assert_close(json_number_value(json_array_get(json_array_get(rows, 0), 2)), 14889.0105, 0.01);
	assert_contains(json_string_value(json_object_get(a, "interpretation")), "2025-11-01 to 2025-11-30");
	char conv[64];
	snprintf(conv, sizeof(conv), "%s", json_string_value(json_object_get(a, "conversation_id")));
	json_decref(a);

	a = ask("what about by account", conv, 200);
	json_t *plan = json_object_get(a, "plan");
	assert_string_equal(json_string_value(json_object_get(json_object_get(plan, "group_by"), "dimension")), "account");
	assert_int_equal(json_integer_value(json_object_get(plan, "limit")), 3);
	assert_true(json_is_true(json_object_get(a, "followup")));
	assert_string_equal(json_string_value(json_object_get(a, "conversation_id")), conv);
	json_decref(a);

	a = ask("and S3?", "0123456789abcdef0123456789abcdef", 404);
	assert_contains(json_string_value(json_object_get(json_object_get(a, "error"), "message")), "unknown conversation");
	json_decref(a);
}

struct collect {
	struct strbuf sb;
};

static int collect_write(struct resp_sink *sink, const void *data, size_t n)
{
	struct collect *c = sink->arg;
	strbuf_add(&c->sb, data, n);
	return 0;
}

static void test_chat_stream(void **state)
{
	struct call c = { 0 };
	(void)state;
	call(fx->api, &c, "POST", "/api/v1/chat/stream", "{\"message\": \"cost by region in October\"}");
	assert_int_equal(c.resp.status, 200);
	assert_string_equal(c.resp.content_type, "application/x-ndjson");
	assert_non_null(c.resp.stream);
	struct collect out;
	strbuf_init(&out.sb, 0);
	struct resp_sink sink = { collect_write, &out, NULL };
	assert_int_equal(c.resp.stream(c.resp.stream_arg, &sink), 0);
	static const char *const events[] = { "understood", "sql", "rows", "answer" };
	char *save = NULL, *line = strtok_r(out.sb.buf, "\n", &save);
	for (size_t i = 0; i < 4; i++, line = strtok_r(NULL, "\n", &save)) {
		assert_non_null(line);
		json_t *ev = json_loads(line, 0, NULL);
		assert_non_null(ev);
		assert_string_equal(json_string_value(json_object_get(ev, "event")), events[i]);
		if (i == 0)
			assert_contains(json_string_value(json_object_get(ev, "interpretation")), "October 2025");
		if (i == 1)
			assert_contains(json_string_value(json_object_get(ev, "sql")), "SELECT");
		if (i == 2)
			assert_true(json_array_size(json_object_get(ev, "rows")) > 0);
		if (i == 3) {
			assert_non_null(json_object_get(ev, "conversation_id"));
			assert_non_null(json_object_get(ev, "message"));
		}
		json_decref(ev);
	}
	assert_null(line);
	strbuf_release(&out.sb);
	call_done(&c); /* frees the stream's job */

	/* an unknown conversation is a 404 before any stream */
	call(fx->api, &c, "POST", "/api/v1/chat/stream",
	     "{\"message\": \"and S3\", \"conversation_id\": \"0123456789abcdef0123456789abcdef\"}");
	assert_int_equal(c.resp.status, 404);
	assert_null(c.resp.stream);
	call_done(&c);
}

static void test_plan_and_sql(void **state)
{
	struct call c = { 0 };
	(void)state;
	call(fx->api, &c, "POST", "/api/v1/plan", "{\"message\": \"EC2 by region in October\"}");
	assert_int_equal(c.resp.status, 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(c.json, "plan"), "intent")), "breakdown");
	assert_contains(json_string_value(json_object_get(c.json, "interpretation")), "2025-10-01 to 2025-10-31");
	assert_contains(json_string_value(json_object_get(c.json, "sql")), "AmazonEC2");
	call_done(&c);

	call(fx->api, &c, "POST", "/api/v1/plan", "{\"message\": \"write a haiku about clouds\"}");
	assert_int_equal(c.resp.status, 200);
	assert_true(json_is_null(json_object_get(c.json, "sql")));
	call_done(&c);

	call(fx->api, &c, "POST", "/api/v1/sql", "{\"sql\": \"SELECT count(*) AS n FROM costs\"}");
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(json_object_get(c.json, "rows"), 0), 0)),
			 161869);
	call_done(&c);

	call(fx->api, &c, "POST", "/api/v1/sql", "{\"sql\": \"SELECT * FROM costs\", \"max_rows\": 5}");
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(json_array_size(json_object_get(c.json, "rows")), 5);
	assert_true(json_is_true(json_object_get(c.json, "truncated")));
	call_done(&c);

	call(fx->api, &c, "POST", "/api/v1/sql", "{\"sql\": \"DELETE FROM costs\"}");
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_code(&c), "refused");
	assert_contains(error_message(&c), "only SELECT");
	call_done(&c);

	call(fx->api, &c, "POST", "/api/v1/sql", "{\"sql\": \"SELECT * FROM read_csv('/etc/passwd')\"}");
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
}

/* ---- conversations ---- */

static void test_conversations(void **state)
{
	struct call c = { 0 };
	char id[64], target[160];
	(void)state;
	call(fx->api, &c, "POST", "/api/v1/conversations", "{\"title\": \"Budget review\"}");
	assert_int_equal(c.resp.status, 201);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(c.json, "id")));
	assert_int_equal(strlen(id), 32);
	assert_contains(resp_header_value(&c.resp, "Location"), id);
	assert_string_equal(json_string_value(json_object_get(c.json, "title")), "Budget review");
	call_done(&c);

	json_decref(ask("top 2 accounts last month", id, 200));

	call(fx->api, &c, "GET", "/api/v1/conversations", NULL);
	assert_int_equal(c.resp.status, 200);
	json_t *list = json_object_get(c.json, "conversations");
	bool found = false;
	for (size_t i = 0; i < json_array_size(list); i++)
		found |= strcmp(json_string_value(json_object_get(json_array_get(list, i), "id")), id) == 0;
	assert_true(found);
	call_done(&c);

	snprintf(target, sizeof(target), "/api/v1/conversations/%s", id);
	call(fx->api, &c, "GET", target, NULL);
	assert_int_equal(c.resp.status, 200);
	json_t *messages = json_object_get(c.json, "messages");
	assert_int_equal(json_array_size(messages), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(messages, 0), "question")),
			    "top 2 accounts last month");
	assert_true(json_is_object(json_object_get(json_array_get(messages, 0), "plan")));
	assert_true(json_is_object(json_object_get(json_array_get(messages, 0), "answer")));
	call_done(&c);

	call(fx->api, &c, "PATCH", target, "{\"title\": \"Accounts\"}");
	assert_int_equal(c.resp.status, 200);
	assert_string_equal(json_string_value(json_object_get(c.json, "title")), "Accounts");
	call_done(&c);
	call(fx->api, &c, "PATCH", target, "{\"title\": \"   \"}");
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_field(&c), "title");
	call_done(&c);
	call(fx->api, &c, "PATCH", target, "{}");
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_field(&c), "title");
	call_done(&c);

	snprintf(target, sizeof(target), "/api/v1/conversations/%s/export?format=md", id);
	call(fx->api, &c, "GET", target, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_contains(c.resp.content_type, "text/markdown");
	assert_contains(resp_header_value(&c.resp, "Content-Disposition"), "attachment");
	assert_contains(resp_header_value(&c.resp, "Content-Disposition"), ".md\"");
	assert_contains(c.resp.body.buf, "# Accounts");
	assert_contains(c.resp.body.buf, "## 1. top 2 accounts last month");
	assert_contains(c.resp.body.buf, "**How I read it:**");
	assert_contains(c.resp.body.buf, "```sql\nSELECT");
	assert_contains(c.resp.body.buf, "| account | account_name | amortized_cost | share_pct |");
	assert_contains(c.resp.body.buf, "|---|");
	call_done(&c);

	snprintf(target, sizeof(target), "/api/v1/conversations/%s/export?format=json", id);
	call(fx->api, &c, "GET", target, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_contains(resp_header_value(&c.resp, "Content-Disposition"), ".json\"");
	assert_int_equal(json_array_size(json_object_get(c.json, "messages")), 1);
	call_done(&c);

	snprintf(target, sizeof(target), "/api/v1/conversations/%s/export?format=xml", id);
	call(fx->api, &c, "GET", target, NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_field(&c), "format");
	call_done(&c);

	snprintf(target, sizeof(target), "/api/v1/conversations/%s", id);
	call(fx->api, &c, "DELETE", target, NULL);
	assert_int_equal(c.resp.status, 204);
	assert_int_equal(c.resp.body.len, 0);
	call_done(&c);
	call(fx->api, &c, "GET", target, NULL);
	assert_int_equal(c.resp.status, 404);
	call_done(&c);
	call(fx->api, &c, "DELETE", target, NULL);
	assert_int_equal(c.resp.status, 404);
	call_done(&c);
	call(fx->api, &c, "GET", "/api/v1/conversations/nope/export", NULL);
	assert_int_equal(c.resp.status, 404);
	call_done(&c);
}

static void test_feedback_and_stats(void **state)
{
	struct call c = { 0 };
	char body[256];
	(void)state;
	json_t *a = ask("total cost last month", NULL, 200);
	snprintf(body, sizeof(body), "{\"message_id\": \"%s\", \"helpful\": true, \"comment\": \"spot on\"}",
		 json_string_value(json_object_get(a, "message_id")));
	json_decref(a);
	call(fx->api, &c, "POST", "/api/v1/feedback", body);
	assert_int_equal(c.resp.status, 201);
	assert_true(json_is_true(json_object_get(c.json, "helpful")));
	call_done(&c);
	call(fx->api, &c, "POST", "/api/v1/feedback", "{\"message_id\": \"nope\", \"helpful\": false}");
	assert_int_equal(c.resp.status, 404);
	call_done(&c);

	call(fx->api, &c, "GET", "/api/v1/stats", NULL);
	assert_int_equal(c.resp.status, 200);
	assert_true(json_integer_value(json_object_get(c.json, "messages")) >= 3);
	assert_true(json_integer_value(json_object_get(json_object_get(c.json, "feedback"), "helpful")) >= 1);
	assert_true(json_integer_value(json_object_get(json_object_get(c.json, "outcomes"), "answered")) >= 3);
	assert_true(json_is_object(json_object_get(c.json, "latency_ms")));
	json_t *server = json_object_get(c.json, "server");
	assert_true(json_is_object(json_object_get(server, "answer_cache")));
	assert_true(json_integer_value(json_object_get(json_object_get(server, "answers"), "answered")) >= 3);
	call_done(&c);
}

static void test_summary(void **state)
{
	struct call c = { 0 };
	(void)state;
	call(fx->api, &c, "GET", "/api/v1/data/summary", NULL);
	assert_int_equal(c.resp.status, 200);
	json_t *starters = json_object_get(c.json, "starter_questions");
	assert_int_equal(json_array_size(starters), 5);
	assert_string_equal(json_string_value(json_array_get(starters, 0)), "How much did AmazonEC2 cost in November 2025?");
	json_t *mtd = json_object_get(c.json, "month_to_date");
	assert_string_equal(json_string_value(json_object_get(mtd, "as_of")), "2025-11-30");
	assert_close(json_number_value(json_object_get(mtd, "amount")), 65197.77, 0.01);
	assert_true(json_is_number(json_object_get(mtd, "same_days_last_month")));
	assert_true(json_is_number(json_object_get(mtd, "change_pct")));
	json_t *top = json_object_get(c.json, "top_service");
	assert_string_equal(json_string_value(json_object_get(top, "service")), "AmazonEC2");
	assert_string_equal(json_string_value(json_object_get(top, "name")), "Amazon Elastic Compute Cloud");
	assert_close(json_number_value(json_object_get(top, "share_pct")), 22.8, 0.05);
	assert_string_equal(json_string_value(json_object_get(json_object_get(c.json, "date_range"), "first_day")),
			    "2024-11-01");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c.json, "summary"), "rows")), 161869);
	assert_non_null(json_object_get(c.json, "months"));
	assert_non_null(json_object_get(c.json, "tag_keys"));
	call_done(&c);

	/* month to date part way through a month */
	call(fx->api, &c, "GET", "/api/v1/data/summary?today=2025-11-10", NULL);
	assert_int_equal(c.resp.status, 200);
	mtd = json_object_get(c.json, "month_to_date");
	assert_string_equal(json_string_value(json_object_get(mtd, "as_of")), "2025-11-10");
	assert_true(json_number_value(json_object_get(mtd, "amount")) < 65197.77 / 2);
	call_done(&c);

	/* like for like: the 1st of October and of November both carry the
	 * monthly fees; daily charges are flat, so the change is small and
	 * says what it compares (with the fees in, Nov 1-4 looked down 45%) */
	call(fx->api, &c, "GET", "/api/v1/data/summary?today=2025-11-04", NULL);
	mtd = json_object_get(c.json, "month_to_date");
	assert_string_equal(json_string_value(json_object_get(mtd, "compared")),
			    "Nov 1-4 vs Oct 1-4, fees excluded");
	assert_true(fabs(json_number_value(json_object_get(mtd, "change_pct"))) < 5);
	assert_true(json_number_value(json_object_get(mtd, "fees")) > 5000);
	assert_true(json_number_value(json_object_get(mtd, "fees_last_month")) > 5000);
	assert_close(json_number_value(json_object_get(mtd, "usage")) + json_number_value(json_object_get(mtd, "fees")),
		     json_number_value(json_object_get(mtd, "amount")), 0.01);
	assert_true(json_is_false(json_object_get(mtd, "past_month")));
	call_done(&c);

	/* a dataset that ended long ago: the header names its month */
	call(fx->api, &c, "GET", "/api/v1/data/summary?today=2026-12-07", NULL);
	mtd = json_object_get(c.json, "month_to_date");
	assert_string_equal(json_string_value(json_object_get(mtd, "month_label")), "November 2025");
	assert_true(json_is_true(json_object_get(mtd, "past_month")));
	call_done(&c);

	call(fx->api, &c, "GET", "/api/v1/data/summary?today=tomorrow", NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_field(&c), "today");
	call_done(&c);
}

/* The names the web UI shows for product codes: every service loaded. */
static void test_summary_service_names(void **state)
{
	struct call c = { 0 };
	(void)state;
	call(fx->api, &c, "GET", "/api/v1/data/summary", NULL);
	assert_int_equal(c.resp.status, 200);
	json_t *names = json_object_get(c.json, "service_names");
	assert_true(json_is_object(names));
	/* 24 services; CloudWatch and the Savings Plan are named by their codes in the data */
	assert_int_equal(json_object_size(names), 22);
	const char *code;
	json_t *name;
	json_object_foreach(names, code, name)
		assert_string_not_equal(json_string_value(name), code);
	assert_string_equal(json_string_value(json_object_get(names, "AmazonEC2")), "Amazon Elastic Compute Cloud");
	assert_string_equal(json_string_value(json_object_get(names, "AWSLambda")), "AWS Lambda");
	/* the names the parser does not read back: each one of the names, EC2's read */
	json_t *unread = json_object_get(c.json, "service_names_unread");
	assert_true(json_is_array(unread));
	size_t i;
	json_t *u;
	json_array_foreach(unread, i, u) {
		assert_non_null(json_object_get(names, json_string_value(u)));
		assert_string_not_equal(json_string_value(u), "AmazonEC2");
	}
	assert_true(json_array_size(unread) < json_object_size(names) / 2);
	call_done(&c);
}

/* ---- health, metrics, documents, web ---- */

static void test_health_and_metrics(void **state)
{
	struct call c = { 0 };
	(void)state;
	call(fx->api, &c, "GET", "/health", NULL);
	assert_int_equal(c.resp.status, 200);
	assert_string_equal(json_string_value(json_object_get(c.json, "status")), "ok");
	assert_true(json_is_true(json_object_get(c.json, "engine")));
	assert_true(json_is_true(json_object_get(c.json, "state")));
	assert_true(json_is_true(json_object_get(c.json, "data_loaded")));
	assert_int_equal(json_integer_value(json_object_get(c.json, "rows")), 161869);
	assert_int_equal(json_integer_value(json_object_get(c.json, "data_version")), 1);
	call_done(&c);

	api_record(fx->api, "/api/v1/chat", 200, 0.012);
	api_record(fx->api, "/api/v1/chat", 200, 0.02);
	api_record(fx->api, "/api/v1/chat", 400, 0.0005);
	api_record(fx->api, NULL, 404, 0.001);
	api_record(fx->api, "/api/v1/stats", 0, 1); /* the client left: not counted */
	call(fx->api, &c, "GET", "/metrics", NULL);
	assert_int_equal(c.resp.status, 200);
	assert_contains(c.resp.content_type, "text/plain; version=0.0.4");
	const char *m = c.resp.body.buf;
	assert_contains(m, "# TYPE finq_http_requests_total counter\n");
	assert_contains(m, "finq_http_requests_total{route=\"/api/v1/chat\",status=\"200\"} 2\n");
	assert_contains(m, "finq_http_requests_total{route=\"/api/v1/chat\",status=\"400\"} 1\n");
	assert_contains(m, "finq_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n");
	assert_not_contains(m, "route=\"/api/v1/stats\"");
	assert_contains(m, "# TYPE finq_http_request_duration_seconds histogram\n");
	assert_contains(m, "finq_http_request_duration_seconds_bucket{route=\"/api/v1/chat\",le=\"0.001\"} 1\n");
	assert_contains(m, "finq_http_request_duration_seconds_bucket{route=\"/api/v1/chat\",le=\"0.01\"} 1\n");
	assert_contains(m, "finq_http_request_duration_seconds_bucket{route=\"/api/v1/chat\",le=\"0.025\"} 3\n");
	assert_contains(m, "finq_http_request_duration_seconds_bucket{route=\"/api/v1/chat\",le=\"+Inf\"} 3\n");
	assert_contains(m, "finq_http_request_duration_seconds_count{route=\"/api/v1/chat\"} 3\n");
	assert_contains(m, "finq_http_request_duration_seconds_sum{route=\"/api/v1/chat\"} 0.032500\n");
	assert_contains(m, "finq_answers_total{outcome=\"answered\"} ");
	assert_contains(m, "finq_answers_total{outcome=\"failed\"} 0\n");
	assert_contains(m, "# TYPE finq_answer_cache_hits_total counter\nfinq_answer_cache_hits_total ");
	assert_contains(m, "finq_answer_cache_misses_total ");
	assert_contains(m, "finq_data_version 1\n");
	/* every sample line is "name{labels} value" or "name value" */
	char *copy = strdup(m), *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		char *space = strrchr(line, ' ');
		assert_non_null(space);
		char *end;
		strtod(space + 1, &end);
		if (*end)
			fail_msg("not a sample line: %s", line);
	}
	free(copy);
	call_done(&c);
}

static void test_openapi(void **state)
{
	struct call c = { 0 };
	(void)state;
	call(fx->api, &c, "GET", "/api/v1/openapi.json", NULL);
	assert_int_equal(c.resp.status, 200);
	assert_non_null(c.resp.static_body);
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)c.resp.static_body, c.resp.static_len, 0, &jerr);
	if (!doc)
		fail_msg("openapi.json: %s at line %d", jerr.text, jerr.line);
	assert_memory_equal(json_string_value(json_object_get(doc, "openapi")), "3.", 2);
	json_t *paths = json_object_get(doc, "paths");
	/* every route is documented ... */
	for (size_t i = 0; i < api_routes_count; i++) {
		char method[16];
		size_t k;
		for (k = 0; api_routes[i].method[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)tolower((unsigned char)api_routes[i].method[k]);
		method[k] = '\0';
		char pattern[128];
		snprintf(pattern, sizeof(pattern), "%s", api_routes[i].pattern);
		char *star = strstr(pattern, "*}"); /* OpenAPI has no rest-of-path parameters */
		if (star)
			memmove(star, star + 1, strlen(star));
		json_t *op = json_object_get(json_object_get(paths, pattern), method);
		if (!json_is_object(op))
			fail_msg("%s %s is not in openapi.json", api_routes[i].method, pattern);
		if (!json_is_object(json_object_get(op, "responses")))
			fail_msg("%s %s has no responses in openapi.json", api_routes[i].method, pattern);
	}
	/* ... and nothing else is */
	const char *path;
	json_t *item;
	json_object_foreach(paths, path, item) {
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op) {
			if (strcmp(method, "parameters") == 0)
				continue;
			bool known = false;
			for (size_t i = 0; i < api_routes_count && !known; i++) {
				char pattern[128];
				snprintf(pattern, sizeof(pattern), "%s", api_routes[i].pattern);
				char *star = strstr(pattern, "*}");
				if (star)
					memmove(star, star + 1, strlen(star));
				known = strcmp(pattern, path) == 0 && strcasecmp(method, api_routes[i].method) == 0;
			}
			if (!known)
				fail_msg("openapi.json documents %s %s, which no route answers", method, path);
		}
	}
	json_decref(doc);
	call_done(&c);
}

static void test_web(void **state)
{
	struct call c = { 0 };
	(void)state;
	call(fx->api, &c, "GET", "/", NULL);
	assert_int_equal(c.resp.status, 200);
	assert_contains(c.resp.content_type, "text/html");
	assert_non_null(c.resp.static_body);
	assert_true(c.resp.static_len > 0);
	const char *etag = resp_header_value(&c.resp, "ETag");
	assert_non_null(etag);
	assert_string_equal(resp_header_value(&c.resp, "Cache-Control"), "no-cache");
	char saved[64];
	snprintf(saved, sizeof(saved), "%s", etag);
	call_done(&c);

	struct http_kv inm = { "If-None-Match", saved };
	call_full(fx->api, &c, "GET", "/", NULL, NULL, &inm, NULL);
	assert_int_equal(c.resp.status, 304);
	call_done(&c);

	for (size_t i = 0; i < web_assets_count; i++) {
		if (strcmp(web_assets[i].path, "/index.html") == 0)
			continue;
		call(fx->api, &c, "GET", web_assets[i].path, NULL);
		assert_int_equal(c.resp.status, 200);
		assert_int_equal(c.resp.static_len, web_assets[i].size);
		assert_string_equal(c.resp.content_type, web_assets[i].content_type);
		call_done(&c);
	}
	call(fx->api, &c, "GET", "/assets/no-such-file.js", NULL);
	assert_int_equal(c.resp.status, 404);
	call_done(&c);
}

/* ---- the cache and loads (last: a load changes the data) ---- */

/* A copy of src in the fixture's folder, as the server would save an upload. */
static void copy_file(const char *src, const char *dst)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", src, dst);
	assert_int_equal(system(cmd), 0);
}

static void test_cache_and_load(void **state)
{
	struct pool_status before, after;
	struct call c = { 0 };
	char upload[400];
	(void)state;
	pool_status(fx->pool, &before);
	json_t *first = ask("top 4 services in October 2025", NULL, 200);
	pool_status(fx->pool, &after);
	assert_int_equal(after.cache_misses, before.cache_misses + 1);
	assert_int_equal(after.cache_hits, before.cache_hits);

	/* the same plan in other words, in another conversation: a hit */
	json_t *second = ask("which 4 services cost the most in October 2025", NULL, 200);
	pool_status(fx->pool, &before);
	assert_int_equal(before.cache_hits, after.cache_hits + 1);
	assert_true(json_equal(json_object_get(first, "rows"), json_object_get(second, "rows")));
	assert_true(json_equal(json_object_get(first, "plan"), json_object_get(second, "plan")));
	assert_string_not_equal(json_string_value(json_object_get(first, "conversation_id")),
				json_string_value(json_object_get(second, "conversation_id")));
	json_decref(second);

	/* a bad upload: 422, the data and its version unchanged */
	snprintf(upload, sizeof(upload), "%s/upload-bad", fx->root);
	FILE *f = fopen(upload, "w");
	assert_non_null(f);
	fputs("hello,world\n1,2\n", f);
	fclose(f);
	call_full(fx->api, &c, "POST", "/api/v1/data", "application/octet-stream", NULL, NULL, upload);
	assert_int_equal(c.resp.status, 422);
	assert_contains(error_message(&c), "focus.csv.gz"); /* the client's name, not the server's path */
	assert_not_contains(error_message(&c), fx->root);
	call_done(&c);
	pool_status(fx->pool, &after);
	assert_int_equal(after.data_version, 1);
	assert_int_equal(after.rows, 161869);

	call_full(fx->api, &c, "POST", "/api/v1/data", "application/json", "{}", NULL, NULL);
	assert_int_equal(c.resp.status, 415);
	call_done(&c);
	/* types any page may send without a preflight: refused, the file unread */
	static const char *const simple_types[] = { NULL, "text/plain", "text/plain; charset=utf-8", "text/csv" };
	for (size_t i = 0; i < sizeof(simple_types) / sizeof(simple_types[0]); i++) {
		call_full(fx->api, &c, "POST", "/api/v1/data", simple_types[i], NULL, NULL, upload);
		assert_int_equal(c.resp.status, 415);
		call_done(&c);
	}
	pool_status(fx->pool, &after);
	assert_int_equal(after.data_version, 1);
	call_full(fx->api, &c, "POST", "/api/v1/data", "application/octet-stream", NULL, NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	call_done(&c);

	/* a good upload: loaded, the version bumped, the cache misses */
	snprintf(upload, sizeof(upload), "%s/upload-good", fx->root);
	copy_file(DEV_FOCUS, upload);
	call_full(fx->api, &c, "POST", "/api/v1/data", "application/octet-stream", NULL, NULL, upload);
	if (c.resp.status != 200)
		fail_msg("upload: %d %s", c.resp.status, c.resp.body.buf);
	json_t *load = json_object_get(c.json, "load");
	assert_int_equal(json_integer_value(json_object_get(load, "rows")), 12498);
	assert_int_equal(json_integer_value(json_object_get(load, "data_version")), 2);
	assert_string_equal(json_string_value(json_object_get(load, "formats")), "focus-csv.gz");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c.json, "summary"), "data_version")), 2);
	call_done(&c);

	pool_status(fx->pool, &before);
	assert_int_equal(before.data_version, 2);
	assert_int_equal(before.cache_entries, 0);
	json_t *third = ask("top 4 services in October 2025", NULL, 200);
	pool_status(fx->pool, &after);
	assert_int_equal(after.cache_hits, before.cache_hits);
	assert_int_equal(after.cache_misses, before.cache_misses + 1);
	/* October is not in the FOCUS file: the same rows */
	assert_true(json_equal(json_object_get(first, "rows"), json_object_get(third, "rows")));
	json_decref(first);
	json_decref(third);
}

/* ---- no data at all ---- */

static void test_no_data(void **state)
{
	struct fixture f = { 0 };
	struct err e = { 0 };
	struct call c = { 0 };
	char upload[400];
	(void)state;
	assert_int_equal(make_root(f.root, sizeof(f.root)), 0);
	snprintf(f.db_path, sizeof(f.db_path), "%s/none.duckdb", f.root);
	if (open_api(&f, &e))
		fail_msg("engine without data: %s", e.msg);

	call(f.api, &c, "GET", "/health", NULL);
	assert_int_equal(c.resp.status, 200);
	assert_true(json_is_false(json_object_get(c.json, "data_loaded")));
	assert_int_equal(json_integer_value(json_object_get(c.json, "data_version")), 0);
	call_done(&c);
	static const char *const need_data[][2] = {
		{ "/api/v1/chat", "{\"message\": \"total last month\"}" },
		{ "/api/v1/chat/stream", "{\"message\": \"total last month\"}" },
		{ "/api/v1/plan", "{\"message\": \"total last month\"}" },
		{ "/api/v1/sql", "{\"sql\": \"SELECT 1\"}" },
	};
	for (size_t i = 0; i < sizeof(need_data) / sizeof(need_data[0]); i++) {
		call(f.api, &c, "POST", need_data[i][0], need_data[i][1]);
		assert_int_equal(c.resp.status, 503);
		assert_string_equal(error_code(&c), "no_data");
		call_done(&c);
	}
	call(f.api, &c, "GET", "/api/v1/data/summary", NULL);
	assert_int_equal(c.resp.status, 503);
	call_done(&c);
	call(f.api, &c, "GET", "/api/v1/conversations", NULL);
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(json_array_size(json_object_get(c.json, "conversations")), 0);
	call_done(&c);

	/* an upload creates the database */
	snprintf(upload, sizeof(upload), "%s/upload-1", f.root);
	copy_file(DEV_FOCUS, upload);
	call_full(f.api, &c, "POST", "/api/v1/data", "application/gzip", NULL, NULL, upload);
	if (c.resp.status != 200)
		fail_msg("upload: %d %s", c.resp.status, c.resp.body.buf);
	call_done(&c);
	call(f.api, &c, "POST", "/api/v1/chat", "{\"message\": \"total cost in November 2025\"}");
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(json_array_size(json_object_get(c.json, "rows")), 1);
	call_done(&c);
	call(f.api, &c, "GET", "/health", NULL);
	assert_true(json_is_true(json_object_get(c.json, "data_loaded")));
	assert_int_equal(json_integer_value(json_object_get(c.json, "data_version")), 1);
	call_done(&c);

	api_free(f.api);
	pool_close(f.pool);
	remove_root(f.root);
}

/* req_client_gone on a socket pair; then /api/v1/sql with a statement
 * that would run for minutes stops because the client has gone (before:
 * it ran to the 30 s time limit and said so). */
static void test_sql_client_gone(void **state)
{
	(void)state;
	int pair[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
	struct req req = { .method = "POST", .path = "/api/v1/sql" };
	assert_false(req_client_gone(&req)); /* no socket: never gone */
	req.client_socket = pair[0];
	req.has_client_socket = true;
	assert_false(req_client_gone(&req));
	assert_int_equal(write(pair[1], "x", 1), 1); /* data waiting is no hang-up */
	assert_false(req_client_gone(&req));
	close(pair[1]);
	assert_true(req_client_gone(&req));

	struct http_kv type = { "Content-Type", "application/json" };
	static const char body[] = "{\"sql\": \"SELECT count(*) FROM range(1000000000) a, range(100) b "
				   "WHERE (a.range * b.range) % 7 = 3\"}";
	req.headers = &type;
	req.nheaders = 1;
	req.body = body;
	req.body_len = strlen(body);
	struct call c = { 0 };
	resp_init(&c.resp);
	api_handle(fx->api, &req, &c.resp);
	c.json = json_loadb(c.resp.body.buf, c.resp.body.len, 0, NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_code(&c), "refused");
	assert_contains(json_string_value(json_object_get(json_object_get(c.json, "error"), "message")),
			"the client went away");
	call_done(&c);
	close(pair[0]);
}

/* An analysis whose client has gone stops before its first statement:
 * 400 refused (before: it ran every statement for nobody). */
static void test_insight_client_gone(void **state)
{
	(void)state;
	int pair[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
	close(pair[1]);
	struct req req = { .method = "GET", .path = "/api/v1/insights/recommend", .client_socket = pair[0],
			   .has_client_socket = true };
	struct call c = { 0 };
	resp_init(&c.resp);
	api_handle(fx->api, &req, &c.resp);
	c.json = json_loadb(c.resp.body.buf, c.resp.body.len, 0, NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(error_code(&c), "refused");
	assert_contains(json_string_value(json_object_get(json_object_get(c.json, "error"), "message")),
			"the client went away");
	call_done(&c);
	close(pair[0]);
}

static bool sink_gone(struct resp_sink *sink)
{
	(void)sink;
	return true;
}

/* A stream whose sink says its client has gone stops: the events before
 * the analysis may go out, no answer does. */
static void test_chat_stream_client_gone(void **state)
{
	struct call c = { 0 };
	(void)state;
	call(fx->api, &c, "POST", "/api/v1/chat/stream", "{\"message\": \"how can I save money\"}");
	assert_int_equal(c.resp.status, 200);
	struct collect out;
	strbuf_init(&out.sb, 0);
	struct resp_sink sink = { collect_write, &out, sink_gone };
	assert_int_equal(c.resp.stream(c.resp.stream_arg, &sink), -1);
	assert_not_contains(out.sb.buf, "\"event\":\"answer\"");
	strbuf_release(&out.sb);
	call_done(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_sorted),
		cmocka_unit_test(test_router_errors),
		cmocka_unit_test(test_body_errors),
		cmocka_unit_test(test_chat),
		cmocka_unit_test(test_chat_stream),
		cmocka_unit_test(test_plan_and_sql),
		cmocka_unit_test(test_sql_client_gone),
		cmocka_unit_test(test_conversations),
		cmocka_unit_test(test_feedback_and_stats),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_health_and_metrics),
		cmocka_unit_test(test_openapi),
		cmocka_unit_test(test_web),
		cmocka_unit_test(test_cache_and_load),
		cmocka_unit_test(test_summary_service_names),
		/* after test_health_and_metrics: a stopped turn counts as "failed" */
		cmocka_unit_test(test_insight_client_gone),
		cmocka_unit_test(test_chat_stream_client_gone),
		cmocka_unit_test(test_no_data), /* last: it unloads the data */
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
