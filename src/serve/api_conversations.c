/*
 * api_conversations: the conversation routes: list, create, get, rename,
 * delete, and export as Markdown (escaped for its readers). See api.h.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- conversations ---------------------------------------------------------- */

/* The conversation id as a JSON object from a held slot, or a 404/500. */
static int conversation_json(struct api *api, const char *id, json_t **out, struct resp *resp)
{
	struct pool_slot *s;
	struct err e = { 0 };
	if (pool_acquire(api->pool, false, &s, &e))
		return api_fail(resp, &e);
	int rc = state_conversation_get(pool_slot_state(s), id, out, &e);
	pool_release(api->pool, s);
	return rc ? api_fail(resp, &e) : 0;
}

int api_conversations_list(struct api *api, const struct req *req, struct resp *resp)
{
	struct pool_slot *s;
	struct err e = { 0 };
	json_t *list;
	if (pool_acquire(api->pool, false, &s, &e))
		return api_fail(resp, &e);
	int rc = state_conversation_list(pool_slot_state(s), &list, &e);
	pool_release(api->pool, s);
	if (rc)
		return api_fail(resp, &e);
	for (size_t i = json_array_size(list); !api_sees_all(req) && i-- > 0;) { /* a token sees its own */
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
	json_t *o = api_body_parse(req, resp, fields, 1), *conv;
	struct pool_slot *s;
	struct err e = { 0 };
	char id[STATE_ID_SIZE];
	if (!o)
		return -1;
	if (pool_acquire(api->pool, false, &s, &e)) {
		json_decref(o);
		return api_fail(resp, &e);
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
					    : api_fail(resp, &e);
	api_audit(api, req->actor, req->client, "conversation.create", id, NULL);
	char location[128];
	snprintf(location, sizeof(location), "/api/v1/conversations/%s", id);
	resp_json(resp, 201, conv);
	resp_header(resp, "Location", location);
	return 0;
}

int api_conversation_get(struct api *api, const struct req *req, struct resp *resp)
{
	json_t *conv;
	if (api_conversation_check(api, req, req_param(req, "id"), resp) ||
	    conversation_json(api, req_param(req, "id"), &conv, resp))
		return -1;
	resp_json(resp, 200, conv);
	return 0;
}

int api_conversation_rename(struct api *api, const struct req *req, struct resp *resp)
{
	static const struct field fields[] = { { "title", FIELD_STRING, true, STATE_TITLE_MAX, 0, 0 } };
	json_t *o = api_body_parse(req, resp, fields, 1), *conv;
	struct pool_slot *s;
	struct err e = { 0 };
	if (!o)
		return -1;
	if (api_conversation_check(api, req, req_param(req, "id"), resp) ||
	    pool_acquire(api->pool, false, &s, &e)) {
		json_decref(o);
		return resp->body.len ? -1 : api_fail(resp, &e);
	}
	int rc = state_conversation_rename(pool_slot_state(s), req_param(req, "id"),
					   json_string_value(json_object_get(o, "title")), &e);
	if (rc == 0)
		rc = state_conversation_get(pool_slot_state(s), req_param(req, "id"), &conv, &e);
	pool_release(api->pool, s);
	json_decref(o);
	if (rc)
		return e.code == ERR_USAGE ? resp_field_error(resp, 400, "invalid_field", "title", "%s", e.msg)
					    : api_fail(resp, &e);
	api_audit(api, req->actor, req->client, "conversation.rename", req_param(req, "id"),
	      json_string_value(json_object_get(conv, "title")));
	resp_json(resp, 200, conv);
	return 0;
}

int api_conversation_delete(struct api *api, const struct req *req, struct resp *resp)
{
	struct pool_slot *s;
	struct err e = { 0 };
	if (api_conversation_check(api, req, req_param(req, "id"), resp))
		return -1;
	if (pool_acquire(api->pool, false, &s, &e))
		return api_fail(resp, &e);
	int rc = state_conversation_delete(pool_slot_state(s), req_param(req, "id"), &e);
	pool_release(api->pool, s);
	if (rc)
		return api_fail(resp, &e);
	api_audit(api, req->actor, req->client, "conversation.delete", req_param(req, "id"), NULL);
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
	if (api_conversation_check(api, req, req_param(req, "id"), resp) ||
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
