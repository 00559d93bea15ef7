/*
 * state_conversations: conversations, their messages (each turn's question,
 * plan and answer), feedback on answers, and the usage statistics drawn
 * from them. See state.h.
 */
#include "state_internal.h"
#include "answercap.h"
#include "strbuf.h"
#include "xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The outcomes a message may have, as the CHECK constraint above lists them. */
static const char *const outcomes[] = {
	STATE_OUTCOME_ANSWERED,
	STATE_OUTCOME_CLARIFIED,
	STATE_OUTCOME_REFUSED,
	STATE_OUTCOME_FAILED,
};

/* ---- conversations ---------------------------------------------------------- */

/* A title folded into sb; empty_ok says whether "" (no title) is allowed. */
static int title_check(struct strbuf *sb, const char *title, bool empty_ok, struct err *e)
{
	state_text_fold(sb, title ? title : "");
	if (!state_utf8_valid(sb->buf))
		return err_set_code(e, ERR_USAGE, "a conversation title must be UTF-8");
	if (!sb->len && !empty_ok)
		return err_set_code(e, ERR_USAGE, "a conversation title cannot be empty");
	if (sb->len > STATE_TITLE_MAX)
		return err_set_code(e, ERR_USAGE, "a conversation title is at most %d bytes, this one has %zu",
				    STATE_TITLE_MAX, sb->len);
	return 0;
}

int state_conversation_create(struct state *s, const char *title, char id[STATE_ID_SIZE], struct err *e)
{
	struct strbuf t = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc = -1;
	strbuf_init(&t, 0);
	if (title_check(&t, title, true, e) || state_id_new(id, e))
		goto out;
	if (!(st = state_stmt_get(s, ST_CONV_INSERT, e)))
		goto out;
	state_bind_text(st, 1, id);
	state_bind_text(st, 2, t.len ? t.buf : NULL);
	rc = state_stmt_finish(s, st, "create a conversation", e);
out:
	strbuf_release(&t);
	return rc;
}

int state_conversation_exists(struct state *s, const char *id, bool *exists, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_CONV_EXISTS, e);
	*exists = false;
	if (!st)
		return -1;
	state_bind_text(st, 1, id);
	int row = state_stmt_row(s, st, "look up a conversation", e);
	sqlite3_reset(st);
	if (row < 0)
		return -1;
	*exists = row == 1;
	return 0;
}

static int conversation_unknown(const char *id, struct err *e)
{
	return err_set_code(e, ERR_FAILED, "unknown conversation '%.64s'", id);
}

int state_conversation_list(struct state *s, json_t **out, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_CONV_LIST, e);
	json_t *list = json_array();
	int row;
	*out = NULL;
	if (!st)
		goto fail;
	while ((row = state_stmt_row(s, st, "list the conversations", e)) == 1) {
		json_t *c = json_object();
		json_object_set_new(c, "id", state_col_json_string(st, 0));
		json_object_set_new(c, "title", state_col_json_string(st, 1));
		json_object_set_new(c, "created_at", state_col_json_string(st, 2));
		json_object_set_new(c, "updated_at", state_col_json_string(st, 3));
		json_object_set_new(c, "messages", json_integer(sqlite3_column_int64(st, 4)));
		json_object_set_new(c, "owner", state_col_json_string(st, 5));
		json_array_append_new(list, c);
	}
	sqlite3_reset(st);
	if (row < 0)
		goto fail;
	*out = list;
	return 0;
fail:
	json_decref(list);
	return -1;
}

/* The conversation's messages as a JSON array into conv["messages"]. */
static int conversation_messages(struct state *s, const char *id, json_t *conv, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_CONV_MESSAGES, e);
	json_t *list = json_array();
	int row = -1;
	json_object_set_new(conv, "messages", list);
	if (!st)
		return -1;
	state_bind_text(st, 1, id);
	while ((row = state_stmt_row(s, st, "read the messages", e)) == 1) {
		json_t *m = json_object();
		json_object_set_new(m, "id", state_col_json_string(st, 0));
		json_object_set_new(m, "question", state_col_json_string(st, 1));
		json_object_set_new(m, "plan", state_col_json_parsed(st, 2));
		json_object_set_new(m, "answer", state_col_json_parsed(st, 3));
		json_object_set_new(m, "outcome", state_col_json_string(st, 4));
		json_object_set_new(m, "intent", state_col_json_string(st, 5));
		json_object_set_new(m, "elapsed_ms", json_real(sqlite3_column_double(st, 6)));
		json_object_set_new(m, "created_at", state_col_json_string(st, 7));
		json_array_append_new(list, m);
	}
	sqlite3_reset(st);
	return row < 0 ? -1 : 0;
}

int state_conversation_get(struct state *s, const char *id, json_t **out, struct err *e)
{
	json_t *conv = NULL;
	sqlite3_stmt *st;
	int row;
	*out = NULL;
	if (state_txn_begin(s, false, e))
		return -1;
	if (!(st = state_stmt_get(s, ST_CONV_GET, e)))
		goto fail;
	state_bind_text(st, 1, id);
	if ((row = state_stmt_row(s, st, "read a conversation", e)) < 0)
		goto fail;
	if (row == 0) {
		sqlite3_reset(st);
		conversation_unknown(id, e);
		goto fail;
	}
	conv = json_object();
	json_object_set_new(conv, "id", state_col_json_string(st, 0));
	json_object_set_new(conv, "title", state_col_json_string(st, 1));
	json_object_set_new(conv, "created_at", state_col_json_string(st, 2));
	json_object_set_new(conv, "updated_at", state_col_json_string(st, 3));
	sqlite3_reset(st);
	if (conversation_messages(s, id, conv, e) || state_txn_commit(s, e))
		goto fail;
	*out = conv;
	return 0;
fail:
	state_txn_rollback(s);
	json_decref(conv);
	return -1;
}

int state_conversation_rename(struct state *s, const char *id, const char *title, struct err *e)
{
	struct strbuf t = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc = -1;
	strbuf_init(&t, 0);
	if (title_check(&t, title, false, e) || !(st = state_stmt_get(s, ST_CONV_RENAME, e)))
		goto out;
	state_bind_text(st, 1, id);
	state_bind_text(st, 2, t.buf);
	if (state_stmt_finish(s, st, "rename a conversation", e))
		goto out;
	if (sqlite3_changes(s->db) == 0) {
		conversation_unknown(id, e);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&t);
	return rc;
}

int state_conversation_delete(struct state *s, const char *id, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_CONV_DELETE, e);
	if (!st)
		return -1;
	state_bind_text(st, 1, id);
	if (state_stmt_finish(s, st, "delete a conversation", e))
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return conversation_unknown(id, e);
	return 0;
}

/* ---- expiry ----------------------------------------------------------------- */

long state_conversation_ttl_default(void)
{
	const char *env = getenv("FINQ_CONVERSATION_TTL");
	char *end;
	if (!env || !*env)
		return STATE_CONVERSATION_TTL_DAYS;
	errno = 0;
	long days = strtol(env, &end, 10);
	if (errno || *end || days < 0 || days > STATE_CONVERSATION_TTL_MAX)
		return -1;
	return days;
}

int state_conversations_expire(struct state *s, time_t now, unsigned days, const char *actor, int *deleted,
			       struct err *e)
{
	char cutoff[32], detail[160];
	struct tm tm;
	*deleted = 0;
	if (days == 0)
		return 0;
	if (days > STATE_CONVERSATION_TTL_MAX)
		days = STATE_CONVERSATION_TTL_MAX;
	time_t before = now - (time_t)days * 86400;
	gmtime_r(&before, &tm);
	/* compares as the stored times do: 2025-01-02T03:04:05.678Z */
	strftime(cutoff, sizeof(cutoff), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	sqlite3_stmt *st = state_stmt_get(s, ST_CONV_EXPIRE, e);
	if (!st)
		return -1;
	state_bind_text(st, 1, cutoff);
	if (state_stmt_finish(s, st, "delete expired conversations", e))
		return -1;
	*deleted = sqlite3_changes(s->db);
	if (*deleted == 0)
		return 0;
	snprintf(detail, sizeof(detail), "%d conversation%s last changed before %s (kept %u days)", *deleted,
		 *deleted == 1 ? "" : "s", cutoff, days);
	struct state_audit a = { actor, NULL, "conversation.expire", NULL, detail };
	return state_audit_add(s, &a, e);
}

/* ---- messages --------------------------------------------------------------- */

static bool outcome_known(const char *outcome)
{
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (strcmp(outcomes[i], outcome) == 0)
			return true;
	return false;
}

/* NULL, or a text that parses as JSON. */
static int json_text_check(const char *text, const char *what, struct err *e)
{
	json_error_t jerr;
	if (!text)
		return 0;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (!v)
		return err_set_code(e, ERR_USAGE, "the %s is not valid JSON: %s at line %d column %d", what,
				    jerr.text, jerr.line, jerr.column);
	json_decref(v);
	return 0;
}

int state_message_add(struct state *s, const char *conversation_id, const char *question,
		      const char *plan_json, const char *answer_json, const char *outcome,
		      const char *intent, double elapsed_ms, char message_id[STATE_ID_SIZE],
		      struct err *e)
{
	struct strbuf title = STRBUF_INIT;
	char id[STATE_ID_SIZE];
	char *capped = NULL;
	sqlite3_stmt *st;
	bool exists;
	int rc = -1;
	strbuf_init(&title, 0);

	if (!question || !*question)
		return err_set_code(e, ERR_USAGE, "a message needs a question");
	if (!outcome || !outcome_known(outcome))
		return err_set_code(e, ERR_USAGE,
				    "unknown outcome '%.32s' (answered, clarified, refused or failed)",
				    outcome ? outcome : "");
	if (!(elapsed_ms >= 0)) /* also NaN */
		return err_set_code(e, ERR_USAGE, "elapsed time %g ms is not a duration", elapsed_ms);
	if (json_text_check(plan_json, "plan", e) || json_text_check(answer_json, "answer", e))
		return -1;
	if (state_id_new(id, e))
		return -1;
	state_text_fold(&title, question);
	state_text_cut_words(&title, STATE_AUTO_TITLE_CHARS);

	if (state_txn_begin(s, true, e))
		goto out;
	if (state_conversation_exists(s, conversation_id, &exists, e))
		goto fail;
	if (!exists) {
		conversation_unknown(conversation_id, e);
		goto fail;
	}
	if (!(st = state_stmt_get(s, ST_MSG_INSERT, e)))
		goto fail;
	state_bind_text(st, 1, id);
	state_bind_text(st, 2, conversation_id);
	state_bind_text(st, 3, question);
	state_bind_text(st, 4, plan_json);
	capped = answercap_apply(answer_json, ANSWERCAP_MAX); /* NULL: it fits as it is */
	state_bind_text(st, 5, capped ? capped : answer_json);
	state_bind_text(st, 6, outcome);
	state_bind_text(st, 7, intent);
	sqlite3_bind_double(st, 8, elapsed_ms);
	if (state_stmt_finish(s, st, "add a message", e))
		goto fail;
	if (!(st = state_stmt_get(s, ST_CONV_TOUCH, e)))
		goto fail;
	state_bind_text(st, 1, conversation_id);
	state_bind_text(st, 2, title.len ? title.buf : NULL);
	if (state_stmt_finish(s, st, "update a conversation", e) || state_txn_commit(s, e))
		goto fail;
	if (message_id)
		memcpy(message_id, id, STATE_ID_SIZE);
	rc = 0;
	goto out;
fail:
	state_txn_rollback(s);
out:
	free(capped);
	strbuf_release(&title);
	return rc;
}

/* The plan and answer of the newest message the statement selects. */
static int last_message(struct state *s, enum stmt statement, const char *conversation_id, char **plan_json,
			char **answer_json, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, statement, e);
	bool exists;
	int row;
	if (plan_json)
		*plan_json = NULL;
	if (answer_json)
		*answer_json = NULL;
	if (!st)
		return -1;
	state_bind_text(st, 1, conversation_id);
	if ((row = state_stmt_row(s, st, "read the last message", e)) < 0)
		return -1;
	if (row == 1) {
		if (plan_json)
			*plan_json = state_col_dup(st, 0);
		if (answer_json)
			*answer_json = state_col_dup(st, 1);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (state_conversation_exists(s, conversation_id, &exists, e))
		return -1;
	return exists ? 0 : conversation_unknown(conversation_id, e);
}

int state_last_turn(struct state *s, const char *conversation_id, char **plan_json, char **answer_json,
		    struct err *e)
{
	return last_message(s, ST_LAST_TURN, conversation_id, plan_json, answer_json, e);
}

int state_last_answer(struct state *s, const char *conversation_id, char **plan_json, char **answer_json,
		      struct err *e)
{
	return last_message(s, ST_LAST_ANSWER, conversation_id, plan_json, answer_json, e);
}

/* ---- feedback --------------------------------------------------------------- */

int state_feedback_add(struct state *s, const char *message_id, bool helpful, const char *comment,
		       struct err *e)
{
	struct strbuf c = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc = -1;
	strbuf_init(&c, 0);
	state_text_trim(&c, comment ? comment : "");
	if (c.len > STATE_COMMENT_MAX) {
		err_set_code(e, ERR_USAGE, "a feedback comment is at most %d bytes, this one has %zu",
			     STATE_COMMENT_MAX, c.len);
		goto out;
	}
	if (!(st = state_stmt_get(s, ST_FEEDBACK_INSERT, e)))
		goto out;
	state_bind_text(st, 1, message_id);
	sqlite3_bind_int(st, 2, helpful ? 1 : 0);
	state_bind_text(st, 3, c.len ? c.buf : NULL);
	if (state_stmt_finish(s, st, "record feedback", e))
		goto out;
	if (sqlite3_changes(s->db) == 0) {
		err_set_code(e, ERR_FAILED, "unknown message '%.64s'", message_id);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&c);
	return rc;
}

/* ---- stats ------------------------------------------------------------------ */

/* The p-th percentile of sorted v[0..n-1], interpolating linearly between
 * the closest ranks (rank = p/100 * (n - 1)); n > 0. */
static double percentile(const double *v, size_t n, double p)
{
	double rank = p / 100.0 * (double)(n - 1);
	size_t lo = (size_t)rank;
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (rank - (double)lo) * (v[lo + 1] - v[lo]);
}

static int stats_counts(struct state *s, json_t *out, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_STATS_COUNTS, e);
	if (!st || state_stmt_one_row(s, st, "count the messages", e))
		return -1;
	json_object_set_new(out, "messages", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(out, "conversations", json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);

	json_t *by = json_object();
	json_object_set_new(out, "outcomes", by);
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		json_object_set_new(by, outcomes[i], json_integer(0));
	if (!(st = state_stmt_get(s, ST_STATS_OUTCOMES, e)))
		return -1;
	int row;
	while ((row = state_stmt_row(s, st, "count the outcomes", e)) == 1)
		json_object_set_new(by, (const char *)sqlite3_column_text(st, 0),
				    json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	if (row < 0)
		return -1;

	if (!(st = state_stmt_get(s, ST_STATS_FEEDBACK, e)) || state_stmt_one_row(s, st, "count the feedback", e))
		return -1;
	json_t *fb = json_object();
	json_object_set_new(fb, "helpful", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(fb, "not_helpful", json_integer(sqlite3_column_int64(st, 1)));
	json_object_set_new(out, "feedback", fb);
	sqlite3_reset(st);
	return 0;
}

static int stats_latency(struct state *s, json_t *out, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_STATS_ELAPSED, e);
	double *v = NULL;
	size_t n = 0, alloc = 0;
	int row;
	if (!st)
		return -1;
	while ((row = state_stmt_row(s, st, "read the response times", e)) == 1) {
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = sqlite3_column_double(st, 0);
	}
	sqlite3_reset(st);
	if (row < 0) {
		free(v);
		return -1;
	}
	if (n == 0) {
		json_object_set_new(out, "latency_ms", json_null());
	} else {
		json_t *lat = json_object();
		json_object_set_new(lat, "p50", json_real(percentile(v, n, 50)));
		json_object_set_new(lat, "p90", json_real(percentile(v, n, 90)));
		json_object_set_new(lat, "p99", json_real(percentile(v, n, 99)));
		json_object_set_new(lat, "max", json_real(v[n - 1]));
		json_object_set_new(out, "latency_ms", lat);
	}
	free(v);
	return 0;
}

/* A "most frequent first" list: rows of (text, count) from statement id,
 * limited to limit, as [{key: text, "count": n}] under out's key list. */
static int stats_counted(struct state *s, enum stmt id, int limit, json_t *out, const char *list,
			 const char *key, const char *what, struct err *e)
{
	json_t *items = json_array();
	json_object_set_new(out, list, items);
	sqlite3_stmt *st = state_stmt_get(s, id, e);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, limit);
	int row;
	while ((row = state_stmt_row(s, st, what, e)) == 1) {
		json_t *i = json_object();
		json_object_set_new(i, key, state_col_json_string(st, 0));
		json_object_set_new(i, "count", json_integer(sqlite3_column_int64(st, 1)));
		json_array_append_new(items, i);
	}
	sqlite3_reset(st);
	return row < 0 ? -1 : 0;
}

static int stats_lists(struct state *s, json_t *out, struct err *e)
{
	json_t *slowest = json_array();
	json_object_set_new(out, "slowest", slowest);
	if (stats_counted(s, ST_STATS_INTENTS, STATE_TOP_INTENTS, out, "top_intents", "intent", "count the intents", e) ||
	    stats_counted(s, ST_STATS_SERVICES, STATE_TOP_INTENTS, out, "top_services", "service",
			  "count the services asked about", e))
		return -1;
	sqlite3_stmt *st = state_stmt_get(s, ST_STATS_SLOWEST, e);
	if (!st)
		return -1;
	int row;
	sqlite3_bind_int(st, 1, STATE_SLOWEST);
	while ((row = state_stmt_row(s, st, "find the slowest questions", e)) == 1) {
		json_t *m = json_object();
		json_object_set_new(m, "message_id", state_col_json_string(st, 0));
		json_object_set_new(m, "conversation_id", state_col_json_string(st, 1));
		json_object_set_new(m, "question", state_col_json_string(st, 2));
		json_object_set_new(m, "elapsed_ms", json_real(sqlite3_column_double(st, 3)));
		json_object_set_new(m, "created_at", state_col_json_string(st, 4));
		json_array_append_new(slowest, m);
	}
	sqlite3_reset(st);
	return row < 0 ? -1 : 0;
}

int state_stats(struct state *s, json_t **out, struct err *e)
{
	json_t *stats = json_object();
	*out = NULL;
	if (state_txn_begin(s, false, e))
		goto fail;
	if (stats_counts(s, stats, e) || stats_latency(s, stats, e) || stats_lists(s, stats, e) ||
	    state_txn_commit(s, e))
		goto fail;
	*out = stats;
	return 0;
fail:
	state_txn_rollback(s);
	json_decref(stats);
	return -1;
}
