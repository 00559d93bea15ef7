/*
 * api_chat: POST /api/v1/chat and /api/v1/chat/stream: a question in a
 * conversation, answered at once or as a stream of NDJSON progress
 * events. See api.h.
 */
#include "api_internal.h"
#include "access.h"
#include "date.h"
#include "safetext.h"
#include "strbuf.h"
#include "xalloc.h"
#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		.today = api_today_of(api, json_string_value(json_object_get(o, "today"))),
	};
	return q;
}

/* ---- chat ---------------------------------------------------------------- */

int api_chat(struct api *api, const struct req *req, struct resp *resp)
{
	json_t *o = api_body_parse(req, resp, question_fields, NQUESTION_FIELDS), *answer;
	struct err e = { 0 };
	if (!o)
		return -1;
	struct pool_question q = question_of(api, o);
	q.cancelled = api_client_gone;
	q.cancel_arg = (void *)req;
	if (api_conversation_check(api, req, q.conversation_id, resp)) {
		json_decref(o);
		return -1;
	}
	int rc = pool_chat(api->pool, &q, NULL, &answer, &e);
	bool created = !q.conversation_id;
	json_decref(o);
	if (rc)
		return api_fail(resp, &e);
	if (created)
		api_conversation_claim(api, req->actor, req->client,
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
	atomic_bool gone; /* the client left (also read by the query's guard thread) */
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

/* The stream's query stops when its client has gone: a write failed, or
 * the connection closed while the query runs between two events. */
static bool chat_job_gone(void *arg)
{
	struct chat_job *job = arg;
	if (!job->gone && job->sink->client_gone && job->sink->client_gone(job->sink))
		job->gone = true;
	return job->gone;
}

static int chat_stream_run(void *arg, struct resp_sink *sink)
{
	struct chat_job *job = arg;
	struct pool_events ev = { on_understood, on_sql, on_rows, job };
	struct pool_question q = { .text = job->question, .conversation_id = job->conversation_id, .today = job->today,
				   .cancelled = chat_job_gone, .cancel_arg = job };
	struct err e = { 0 };
	json_t *answer;
	job->sink = sink;
	if (pool_chat(job->api->pool, &q, &ev, &answer, &e)) {
		struct resp tmp;
		resp_init(&tmp);
		api_fail(&tmp, &e);
		json_t *err = json_loads(tmp.body.buf, 0, NULL);
		json_t *event = json_pack("{s:s}", "event", "error");
		json_object_update(event, err);
		json_decref(err);
		resp_release(&tmp);
		emit(job, event);
		return -1;
	}
	if (!job->conversation_id)
		api_conversation_claim(job->api, job->actor, job->client,
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
	json_t *o = api_body_parse(req, resp, question_fields, NQUESTION_FIELDS);
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
			return api_fail(resp, &e);
		}
		if (api_conversation_check(api, req, q.conversation_id, resp)) {
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

/* ---- plan and sql ----------------------------------------------------------- */

int api_plan(struct api *api, const struct req *req, struct resp *resp)
{
	json_t *o = api_body_parse(req, resp, question_fields, NQUESTION_FIELDS), *out;
	struct err e = { 0 };
	if (!o)
		return -1;
	struct pool_question q = question_of(api, o);
	if (api_conversation_check(api, req, q.conversation_id, resp)) {
		json_decref(o);
		return -1;
	}
	int rc = pool_plan(api->pool, &q, &out, &e);
	json_decref(o);
	if (rc)
		return api_fail(resp, &e);
	resp_json(resp, 200, out);
	return 0;
}
