/*
 * api_internal: what the handler files of the API share (api.c,
 * api_chat.c, api_conversations.c): the API's state, the parsing of
 * bodies, errors as responses, and who may see what. Not for use outside
 * src/serve/: api.h is the API's interface.
 */
#ifndef FINQ_API_INTERNAL_H
#define FINQ_API_INTERNAL_H

#include "api.h"
#include "pool.h"
#include "state.h"
#include "strbuf.h"
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* The latency histogram's buckets (api.c's buckets[], in seconds). */
#define API_NBUCKETS 13

struct route_stats {
	uint64_t count;
	double sum;
	uint64_t in_bucket[API_NBUCKETS]; /* per bucket, not cumulative */
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

json_t *api_body_parse(const struct req *req, struct resp *resp, const struct field *fields, size_t nfields);
int api_fail(struct resp *resp, const struct err *e);
int api_today_of(const struct api *api, const char *text);
bool api_sees_all(const struct req *req);
/* req_client_gone() for a guard's cancelled(arg), arg being the request. */
bool api_client_gone(void *req);
void api_audit(struct api *api, const char *actor, const char *client, const char *action, const char *object,
		  const char *detail);

/* 0 when the caller may use conversation id; else -1 with a 404, as for
 * one that does not exist: another token's conversation is not said to
 * exist. */
int api_conversation_check(struct api *api, const struct req *req, const char *id, struct resp *resp);
void api_conversation_claim(struct api *api, const char *actor, const char *client, const char *id);

#endif
