/*
 * api: finq's HTTP API: the route table, the handlers, the checks of JSON
 * bodies, the web UI's embedded files, and the server's own counters for
 * /metrics and /api/v1/stats.
 *
 * Called by http.c through server.c (api_handle, api_body_limit,
 * api_record) and, in tests, directly: every handler takes a struct req
 * and fills a struct resp, never a socket. The work is the engine's
 * (pool.c) and the state store's (state.c); this file turns requests
 * into their calls and their results or errors into responses. Errors are
 * {"error": {"code", "message"[, "field"]}} with the status: 400 for a
 * malformed body or a missing or wrong-typed field (named), 404, 405 with
 * Allow, 413 for a body or a field (named: a question) past its limit,
 * 415 for a JSON endpoint sent something else, 422 for an
 * upload that cannot be loaded, 500, 503 when no data is loaded.
 * Owners (access.h): a token that is not admin sees only the
 * conversations it made and their messages; another's are 404. Changes
 * are written to the audit log (state.h).
 */
#ifndef FINQ_API_H
#define FINQ_API_H

#include "http.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pool;
struct api;

#define API_JSON_MAX (64 * 1024)        /* bytes in a JSON request body */
#define API_MESSAGE_MAX 4096            /* bytes in a question */
#define API_UPLOAD_DEFAULT (512ULL << 20)

struct api_options {
	uint64_t max_upload; /* bytes of an upload; 0: API_UPLOAD_DEFAULT */
	int default_today;   /* day number for questions without "today"; < 0: the clock */
	size_t max_statement; /* bytes of /api/v1/sql's statement (413 past it); 0: SANDBOX_DEFAULT_MAX_TEXT */
};

struct api_route {
	const char *method;
	const char *pattern; /* "/api/v1/conversations/{id}"; "{name*}" takes the rest of the path */
	int (*handler)(struct api *api, const struct req *req, struct resp *resp);
	bool upload;         /* the body is a file (raw or multipart), up to max_upload */
};

/* Sorted by pattern, then method. */
extern const struct api_route api_routes[];
extern const size_t api_routes_count;

/* The API over an open engine (borrowed; it must outlive the api). */
struct api *api_new(struct pool *en, const struct api_options *opt);
void api_free(struct api *api);

/* Route and answer one request: 404 for an unknown path, 405 with Allow for
 * a known path with another method; sets resp->route. HEAD is answered as
 * GET. */
void api_handle(struct api *api, struct req *req, struct resp *resp);
/* The methods allowed on path, as an Allow header lists them ("GET, HEAD,
 * POST"), appended to out; nothing when no route has that path. */
void api_allow(const char *path, struct strbuf *out);
/* The body a request may carry: max_upload into a file for an upload
 * route; for /api/v1/sql room for max_statement bytes of SQL written as
 * JSON (api_sql_body_limit), at least API_JSON_MAX; API_JSON_MAX in memory
 * otherwise; *route is the pattern of the route for method and path
 * (NULL: none). */
uint64_t api_body_limit(struct api *api, const char *method, const char *path, bool *to_file, const char **route);
/* Count a finished request for /metrics and /stats (route NULL: unmatched). */
void api_record(struct api *api, const char *route, int status, double seconds);

/* The handlers (see the route table in api.c and src/serve/openapi.json). */
int api_chat(struct api *api, const struct req *req, struct resp *resp);
int api_chat_stream(struct api *api, const struct req *req, struct resp *resp);
int api_conversations_list(struct api *api, const struct req *req, struct resp *resp);
int api_conversation_create(struct api *api, const struct req *req, struct resp *resp);
int api_conversation_get(struct api *api, const struct req *req, struct resp *resp);
int api_conversation_rename(struct api *api, const struct req *req, struct resp *resp);
int api_conversation_delete(struct api *api, const struct req *req, struct resp *resp);
int api_conversation_export(struct api *api, const struct req *req, struct resp *resp);
int api_insights_list(struct api *api, const struct req *req, struct resp *resp);
int api_insight(struct api *api, const struct req *req, struct resp *resp);
int api_plan(struct api *api, const struct req *req, struct resp *resp);
int api_sql(struct api *api, const struct req *req, struct resp *resp);
int api_data_summary(struct api *api, const struct req *req, struct resp *resp);
int api_data_upload(struct api *api, const struct req *req, struct resp *resp);
int api_feedback(struct api *api, const struct req *req, struct resp *resp);
int api_stats(struct api *api, const struct req *req, struct resp *resp);
int api_health(struct api *api, const struct req *req, struct resp *resp);
int api_metrics(struct api *api, const struct req *req, struct resp *resp);
int api_openapi(struct api *api, const struct req *req, struct resp *resp);
int api_web(struct api *api, const struct req *req, struct resp *resp);

/* openapi.c: the OpenAPI 3 document (src/serve/openapi.json, embedded at build
 * time), len bytes, not NUL-terminated in general. */
const unsigned char *openapi_document(size_t *len);

#endif
