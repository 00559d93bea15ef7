/*
 * session: conversations across processes. See session.h.
 */
#include "session.h"
#include "safetext.h"
#include "answer.h"
#include "cli.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int add_aliases(struct session *s, struct err *e)
{
	struct state_aliases aliases;
	state_aliases_init(&aliases);
	if (state_alias_list(s->state, &aliases, e))
		return -1;
	for (size_t i = 0; i < aliases.n; i++)
		ask_context_add_alias(s->ctx, aliases.items[i].name, (const char *const *)aliases.items[i].targets,
				      aliases.items[i].ntargets);
	state_aliases_release(&aliases);
	return 0;
}

/* The last turn of conversation s->conversation_id into s->prev. */
static int load_last_turn(struct session *s, struct err *e)
{
	char *plan_json = NULL, *answer_json = NULL;
	if (state_last_turn(s->state, s->conversation_id, &plan_json, &answer_json, e))
		return -1;
	ask_previous_from_json(plan_json, answer_json, &s->prev);
	free(plan_json);
	free(answer_json);
	return 0;
}

int session_open(struct session *s, const char *db_path, struct ask_context *ctx, const char *conversation_id,
		 struct err *e)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	char *path = state_path_for(db_path);
	int rc = state_open(&s->state, path, e);
	free(path);
	if (rc)
		return err_recode(e, EXIT_DATABASE);
	ctx->state = s->state; /* the knowledge base, for the analyses */
	if (add_aliases(s, e))
		goto fail;
	if (!conversation_id) {
		if (state_conversation_create(s->state, NULL, s->conversation_id, e))
			goto fail;
		return 0;
	}
	bool exists = false;
	if (state_conversation_exists(s->state, conversation_id, &exists, e))
		goto fail;
	if (!exists) {
		err_set_code(e, EXIT_USAGE, "no conversation '%s' (start one without --conversation)", conversation_id);
		goto fail;
	}
	snprintf(s->conversation_id, sizeof(s->conversation_id), "%s", conversation_id);
	if (load_last_turn(s, e))
		goto fail;
	return 0;
fail:
	state_close(s->state);
	s->state = NULL;
	return -1;
}

void session_close(struct session *s)
{
	if (s->state)
		state_close(s->state);
	s->state = NULL;
	if (s->ctx)
		s->ctx->state = NULL;
}

int session_reset(struct session *s, struct err *e)
{
	memset(&s->prev, 0, sizeof(s->prev));
	s->last_message_id[0] = '\0';
	return state_conversation_create(s->state, NULL, s->conversation_id, e);
}

int session_ask(struct session *s, const char *question, int today, json_t **answer, struct err *e)
{
	struct plan plan;
	if (ask_answer(s->ctx, question, today, &s->prev, answer, &plan, e))
		return -1;
	/* the plan is what a follow-up edits */
	json_t *plan_json = plan_to_json(&plan);
	char *plan_text = json_dumps(plan_json, JSON_COMPACT);
	char *answer_text = json_dumps(*answer, JSON_COMPACT | JSON_REAL_PRECISION(17));
	const char *outcome = json_string_value(json_object_get(*answer, "outcome"));
	int rc = state_message_add(s->state, s->conversation_id, question, plan_text, answer_text, outcome,
				   intent_name(plan.intent), json_number_value(json_object_get(*answer, "elapsed_ms")),
				   s->last_message_id, e);
	/* like state_last_turn: a refusal does not become the context */
	const char *outcome_now = json_string_value(json_object_get(*answer, "outcome"));
	if (rc == 0 && outcome_now && strcmp(outcome_now, "refused") != 0)
		ask_previous_from_json(plan_text, answer_text, &s->prev);
	free(plan_text);
	free(answer_text);
	json_decref(plan_json);
	if (rc) {
		json_decref(*answer);
		*answer = NULL;
		return err_recode(e, EXIT_DATABASE);
	}
	json_object_set_new(*answer, "conversation_id", json_string(s->conversation_id));
	json_object_set_new(*answer, "message_id", json_string(s->last_message_id));
	return 0;
}

void session_print_answer(const json_t *given, FILE *out, bool color)
{
	/* Names and values from the bill are printed: no escape sequence in
	 * them may reach the terminal (safetext.h). The narrative keeps its
	 * line breaks. */
	json_t *answer = json_deep_copy(given);
	json_t *message = json_object_get(answer, "message");
	json_incref(message);
	json_object_del(answer, "message");
	safetext_terminal_json(answer, false);
	safetext_terminal_json(message, true);
	json_object_set_new(answer, "message", message ? message : json_null());
	struct plan plan;
	if (plan_from_json(json_object_get(answer, "plan"), &plan))
		plan_init(&plan);
	struct table t;
	table_init(&t);
	table_from_json(answer, &t);
	answer_print_terminal(&plan, t.ncols ? &t : NULL, json_string_value(json_object_get(answer, "message")),
			      json_string_value(json_object_get(answer, "interpretation")), out, color);
	json_t *suggestions = json_object_get(answer, "suggestions");
	if (json_array_size(suggestions)) {
		fprintf(out, "\nYou could ask:\n");
		for (size_t i = 0; i < json_array_size(suggestions); i++)
			fprintf(out, "  - %s\n", json_string_value(json_array_get(suggestions, i)));
	}
	table_release(&t);
	json_decref(answer);
}
