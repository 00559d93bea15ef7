/*
 * fuzz_api: the HTTP API's request handling, in-process, over a real
 * engine: a small generated bill (finq demo's generator, a few thousand
 * rows, loaded once) and a state file of its own. The input is a request
 * written as text:
 *
 *     METHOD TARGET            (TARGET: path with an optional ?query)
 *     Content-Type value       (an empty line: no content type)
 *     body...                  (the rest, bytes as they are)
 *
 * and goes through api_handle as http.c would hand it over, streams
 * included. Uploads (bodies the server saves to a file) are left out: a
 * load per input would measure DuckDB, not our parsing. Every answer
 * must be a well-formed response, and a 5xx only from a handler that
 * reports a failure of the pool, never from bad input: 500 aborts.
 */
#include "fuzz.h"

#include "api.h"
#include "date.h"
#include "demo.h"
#include "pool.h"
#include "load.h"

#include <jansson.h>
#include <unistd.h>

static char root[256];
static struct pool *pool;
static struct api *api;

static void teardown(void)
{
	char cmd[320];
	api_free(api);
	pool_close(pool);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_api: cannot remove %s\n", root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");
	char parquet[320], db_path[320], state[320];
	struct err e = { 0 };
	snprintf(root, sizeof(root), "%s/finq-fuzz-api-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		abort();
	snprintf(parquet, sizeof(parquet), "%s/demo.parquet", root);
	snprintf(db_path, sizeof(db_path), "%s/finq.duckdb", root);
	snprintf(state, sizeof(state), "%s/state.sqlite", root);
	setenv("FINQ_STATE", state, 1);

	struct demo_options d = { .seed = 7, .rows = 3000, .format = DEMO_PARQUET, .out = parquet };
	demo_parse_date("2025-06-01", &d.start);
	demo_parse_date("2025-11-30", &d.end);
	struct db db;
	struct load_report rep;
	struct load_options lo = { .progress = false };
	const char *paths[] = { parquet };
	if (demo_generate(&d, NULL, &e) || load_open_db(&db, db_path, NULL, 0, &e) ||
	    load_paths(&db, paths, 1, &lo, &rep, &e)) {
		fprintf(stderr, "fuzz_api: set-up: %s\n", e.msg);
		abort();
	}
	db_close(&db);
	struct pool_config cfg = { .db_path = db_path, .slots = 2 };
	if (pool_open(&pool, &cfg, &e)) {
		fprintf(stderr, "fuzz_api: engine: %s\n", e.msg);
		abort();
	}
	struct api_options opt = { .default_today = date_from_ymd(2025, 12, 4) };
	api = api_new(pool, &opt);
	atexit(teardown);
	return 0;
}

static int sink_write(struct resp_sink *sink, const void *data, size_t n)
{
	(void)sink;
	(void)data;
	(void)n;
	return 0;
}

/* Cut the next line off *p (up to end); NULL when there is none. */
static char *next_line(char **p, char *end)
{
	char *line = *p, *nl;
	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (!nl)
		nl = end;
	*nl = '\0';
	*p = nl + 1 <= end ? nl + 1 : end;
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > API_JSON_MAX + 1024)
		return 0; /* http.c answers 413 before any handler sees it */
	char *buf = fuzz_string(data, size), *p = buf, *end = buf + size;
	char *first = next_line(&p, end);
	char *type = next_line(&p, end);
	if (!first || !type) {
		free(buf);
		return 0;
	}
	char *target = strchr(first, ' ');
	if (target)
		*target++ = '\0';
	else
		target = (char *)"/";

	/* the query: a=1&b=2, at most eight arguments */
	struct http_kv query[8], headers[1];
	size_t nquery = 0;
	char *q = strchr(target, '?');
	if (q) {
		*q++ = '\0';
		for (char *arg = strtok(q, "&"); arg && nquery < 8; arg = strtok(NULL, "&")) {
			char *eq = strchr(arg, '=');
			if (eq)
				*eq++ = '\0';
			query[nquery++] = (struct http_kv){ arg, eq ? eq : "" };
		}
	}
	bool to_file = false;
	const char *route = NULL;
	api_body_limit(api, first, target, &to_file, &route);
	if (to_file) {
		free(buf);
		return 0;
	}
	headers[0] = (struct http_kv){ "Content-Type", type };
	struct req req = {
		.method = first,
		.path = target,
		.query = query,
		.nquery = nquery,
		.headers = headers,
		.nheaders = *type ? 1 : 0,
		.body = p,
		.body_len = (size_t)(end - p),
	};
	struct resp resp;
	resp_init(&resp);
	api_handle(api, &req, &resp);
	if (resp.status < 200 || resp.status > 599 || resp.status == 500) {
		fprintf(stderr, "fuzz_api: status %d: %.*s\n", resp.status, (int)resp.body.len, resp.body.buf);
		abort();
	}
	if (resp.stream) {
		struct resp_sink sink = { .write = sink_write, .arg = NULL, .client_gone = NULL };
		resp.stream(resp.stream_arg, &sink);
	}
	if (resp.body.len && strncmp(resp.content_type, "application/json", 16) == 0) {
		json_t *j = json_loadb(resp.body.buf, resp.body.len, 0, NULL);
		if (!j) {
			fprintf(stderr, "fuzz_api: a %d response that is not JSON: %.*s\n", resp.status,
				(int)resp.body.len, resp.body.buf);
			abort();
		}
		json_decref(j);
	}
	resp_release(&resp);
	free(buf);
	return 0;
}
