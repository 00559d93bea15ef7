/*
 * conversation: one turn of a conversation, the same for the CLI and the
 * server. See conversation.h.
 */
#include "conversation.h"
#include "parse.h"
#include "sqlgen.h"
#include "strbuf.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int conversation_begin(struct state *st, const char *id, bool create, char id_out[STATE_ID_SIZE],
		       struct ask_previous *prev, struct err *e)
{
	memset(prev, 0, sizeof(*prev));
	id_out[0] = '\0';
	if (!id) {
		if (create && state_conversation_create(st, NULL, id_out, e))
			return err_recode(e, ERR_DATABASE);
		return 0;
	}
	char *plan_json = NULL, *answer_json = NULL;
	if (state_last_turn(st, id, &plan_json, &answer_json, e))
		return -1; /* ERR_FAILED: unknown; ERR_DATABASE: broken */
	ask_previous_from_json(plan_json, answer_json, prev);
	free(plan_json);
	free(answer_json);
	if (prev->present && !plan_answers(&prev->plan)) {
		/* asked back last: the answer before it is the context of a turn
		 * that does not answer the question */
		struct ask_previous answered;
		if (state_last_answer(st, id, &plan_json, &answer_json, e))
			return -1;
		if (ask_previous_from_json(plan_json, answer_json, &answered) == 0 && answered.present)
			ask_previous_keep_answered(prev, &answered.plan, answered.top_label);
		free(plan_json);
		free(answer_json);
	}
	snprintf(id_out, STATE_ID_SIZE, "%s", id);
	return 0;
}

int conversation_add_aliases(struct state *st, struct ask_context *ctx, struct err *e)
{
	struct state_aliases aliases;
	state_aliases_init(&aliases);
	if (state_alias_list(st, &aliases, e))
		return err_recode(e, ERR_DATABASE);
	for (size_t i = 0; i < aliases.n; i++)
		ask_context_add_alias(ctx, aliases.items[i].name, (const char *const *)aliases.items[i].targets,
				      aliases.items[i].ntargets);
	state_aliases_release(&aliases);
	return 0;
}

/* The answer for the plan read: the front end's kept one, with what
 * depends on the wording rather than the plan redone, or a fresh one. */
static int answer_turn(struct ask_context *ctx, const struct parse_result *parsed, const json_t *plan_json,
		       const char *interpretation, int today, double started, const struct conversation_hooks *h,
		       json_t **answer, struct err *e)
{
	json_t *a = h && h->cached ? h->cached(h->arg, plan_json) : NULL;
	if (a) {
		json_object_set_new(a, "interpretation", json_string(interpretation));
		json_object_set_new(a, "followup", json_boolean(parsed->followup));
		json_object_set_new(a, "elapsed_ms", json_real(now_ms() - started));
		*answer = a;
		return 0;
	}
	if (ask_answer_parsed(ctx, parsed, today, answer, e))
		return -1;
	if (h && h->keep)
		h->keep(h->arg, plan_json, *answer);
	return 0;
}

/* The status a failed turn keeps: a statement past a cap (serve
 * --max-statement, --max-result) and one refused or stopped (its time
 * limit, its client gone) are the request's doing and say so (the API's
 * 422 and 400, exit 5); anything else is the engine's. */
static enum err_status turn_failure_status(enum err_status code)
{
	static const enum err_status kept[] = { ERR_TOO_LARGE, ERR_REFUSED };
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (code == kept[i])
			return code;
	return ERR_DATABASE;
}

static bool same_period(const struct period *a, const struct period *b)
{
	return a->start_day == b->start_day && a->end_day == b->end_day;
}

/* A follow-up that kept the dates the previous answer used rather than
 * its question's (prev->carried: moved to the data, or cut to the loaded
 * days) says so first: "Dates as in the previous answer: the last 30 days
 * as loaded (2025-11-04 to 2025-11-30)." Also periods_note.carried. */
static void add_carried_note(const struct ask_previous *prev, const struct parse_result *parsed, json_t *answer)
{
	const struct plan *p = &parsed->plan, *was = &prev->plan;
	bool two = p->intent == INTENT_COMPARE_PERIODS || p->intent == INTENT_MOVERS;
	if (!prev->present || !prev->carried || !parsed->followup || p->intent == INTENT_CLARIFY ||
	    p->intent == INTENT_REFUSE || p->intent == INTENT_HELP ||
	    !(same_period(&p->range, &was->range) || (two && same_period(&p->periods[1], &was->range))))
		return;
	char dates[64], note[256];
	period_describe_dates(&was->range, dates, sizeof(dates));
	snprintf(note, sizeof(note), "Dates as in the previous answer: %s (%s).", was->range.label, dates);
	const char *message = json_string_value(json_object_get(answer, "message"));
	struct strbuf md = STRBUF_INIT;
	strbuf_addf(&md, "%s\n\n%s", note, message ? message : "");
	json_object_set_new(answer, "message", json_string(md.buf));
	strbuf_release(&md);
	json_t *periods_note = json_object_get(answer, "periods_note");
	if (!json_is_object(periods_note)) {
		periods_note = json_object();
		json_object_set_new(answer, "periods_note", periods_note);
	}
	json_object_set_new(periods_note, "carried", json_string(note));
}

int conversation_turn(struct ask_context *ctx, struct state *st, const char *conv, const char *question, int today,
		      struct ask_previous *prev, const struct conversation_hooks *h, json_t **answer, struct err *e)
{
	double started = now_ms();
	char message_id[STATE_ID_SIZE];
	char interpretation[1024];
	struct parse_result parsed;
	json_t *a = NULL;
	char *answer_text = NULL;
	int rc = -1;
	*answer = NULL;

	ask_read(ctx, question, today, prev, &parsed);
	/* the plan is what a follow-up edits, and what the cache is keyed by */
	json_t *plan_json = plan_to_json(&parsed.plan);
	char *plan_text = json_dumps(plan_json, JSON_COMPACT);
	ask_interpretation(&parsed, interpretation, sizeof(interpretation));
	if (h && h->understood)
		h->understood(h->arg, plan_json, interpretation);
	if (h && h->sql) {
		struct strbuf sql;
		strbuf_init(&sql, 0);
		bool runs = sqlgen_build_on(&parsed.plan, ctx->dialect, ctx->summaries, &sql) == 0;
		h->sql(h->arg, runs ? sql.buf : NULL);
		strbuf_release(&sql);
	}

	const char *intent = intent_name(parsed.plan.intent);
	if (answer_turn(ctx, &parsed, plan_json, interpretation, today, started, h, &a, e)) {
		struct err ignored = { 0 };
		state_message_add(st, conv, question, plan_text, NULL, STATE_OUTCOME_FAILED, intent,
				  now_ms() - started, NULL, &ignored);
		if (h && h->outcome)
			h->outcome(h->arg, STATE_OUTCOME_FAILED);
		err_recode(e, turn_failure_status(e->code));
		goto out;
	}
	if (h && h->rows)
		h->rows(h->arg, json_object_get(a, "columns"), json_object_get(a, "rows"));
	add_carried_note(prev, &parsed, a);

	answer_text = json_dumps(a, JSON_COMPACT | JSON_REAL_PRECISION(17));
	const char *outcome = json_string_value(json_object_get(a, "outcome"));
	if (!outcome)
		outcome = STATE_OUTCOME_ANSWERED;
	if (state_message_add(st, conv, question, plan_text, answer_text, outcome, intent,
			      json_number_value(json_object_get(a, "elapsed_ms")), message_id, e)) {
		if (e->code != ERR_FAILED) /* a conversation deleted meanwhile stays "unknown" */
			err_recode(e, ERR_DATABASE);
		goto out;
	}
	if (h && h->outcome)
		h->outcome(h->arg, outcome);
	/* like state_last_turn: only an answered or clarified turn is the context */
	if (strcmp(outcome, STATE_OUTCOME_ANSWERED) == 0 || strcmp(outcome, STATE_OUTCOME_CLARIFIED) == 0)
		ask_previous_advance(prev, plan_text, answer_text);
	json_object_set_new(a, "conversation_id", json_string(conv));
	json_object_set_new(a, "message_id", json_string(message_id));
	*answer = a;
	a = NULL;
	rc = 0;
out:
	json_decref(a);
	json_decref(plan_json);
	free(plan_text);
	free(answer_text);
	return rc;
}

/* ---- a conversation held by one process ---------------------------------- */

int conversation_open(struct conversation *c, const char *db_path, struct ask_context *ctx, const char *id,
		      struct err *e)
{
	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	char *path = state_path_for(db_path);
	int rc = state_open(&c->state, path, e);
	free(path);
	if (rc)
		return err_recode(e, ERR_DATABASE);
	long ttl = state_conversation_ttl_default();
	int expired = 0;
	struct err sweep = { 0 };
	if (ttl < 0) {
		err_set_code(e, ERR_USAGE, "FINQ_CONVERSATION_TTL takes days from 0 (keep every conversation) to %d, "
			     "not '%s'", STATE_CONVERSATION_TTL_MAX, getenv("FINQ_CONVERSATION_TTL"));
		goto fail;
	}
	/* Old conversations go here as they do in the server. A file another
	 * process holds locked is no reason not to answer: the next open
	 * sweeps. */
	state_conversations_expire(c->state, time(NULL), (unsigned)ttl, "cli", &expired, &sweep);
	ctx->state = c->state; /* the knowledge base, for the analyses */
	if (conversation_add_aliases(c->state, ctx, e))
		goto fail;
	if (conversation_begin(c->state, id, true, c->id, &c->prev, e)) {
		if (e->code == ERR_FAILED)
			err_set_code(e, ERR_USAGE, "no conversation '%s' (start one without --conversation)", id);
		goto fail;
	}
	return 0;
fail:
	state_close(c->state);
	c->state = NULL;
	return -1;
}

void conversation_close(struct conversation *c)
{
	if (c->state)
		state_close(c->state);
	c->state = NULL;
	if (c->ctx)
		c->ctx->state = NULL;
}

int conversation_reset(struct conversation *c, struct err *e)
{
	return conversation_begin(c->state, NULL, true, c->id, &c->prev, e);
}

int conversation_ask(struct conversation *c, const char *question, int today, json_t **answer, struct err *e)
{
	return conversation_turn(c->ctx, c->state, c->id, question, today, &c->prev, NULL, answer, e);
}
