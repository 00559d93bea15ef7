/*
 * session: a conversation in progress, for `finq ask`, `finq chat` and
 * (later) the HTTP API: the state store, the conversation id, the user's
 * aliases and the last turn, so that each question can lean on the one
 * before and every turn is remembered across processes.
 */
#ifndef FINQ_SESSION_H
#define FINQ_SESSION_H

#include "ask.h"
#include "state.h"

#include <stdbool.h>
#include <stdio.h>

struct session {
	struct state *state;
	struct ask_context *ctx; /* borrowed */
	char conversation_id[STATE_ID_SIZE];
	char last_message_id[STATE_ID_SIZE];
	struct ask_previous prev;
};

/* Open the state store next to db_path, add the user's aliases to ctx's
 * vocabulary, and continue conversation_id (NULL: start a new one). An
 * unknown id is an error (ERR_USAGE). */
int session_open(struct session *s, const char *db_path, struct ask_context *ctx, const char *conversation_id,
		 struct err *e);
void session_close(struct session *s);
/* Start a new conversation (chat's \reset). */
int session_reset(struct session *s, struct err *e);

/* Answer and remember one question. *answer (the caller's) carries
 * conversation_id and message_id besides DESIGN.md's fields. */
int session_ask(struct session *s, const char *question, int today, struct json_t **answer, struct err *e);

/* Print an answer object for people: narrative, how it was read, the
 * table with bars, suggestions. */
void session_print_answer(const struct json_t *answer, FILE *out, bool color);

#endif
