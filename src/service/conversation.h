/*
 * conversation: one question of a conversation, asked and remembered the
 * same way for `finq ask`, `finq chat` and the server's /chat. A turn:
 *   1. the previous turn comes from the state store (conversation_begin);
 *   2. the question is read once (ask_read), against that turn's plan;
 *   3. it is answered (ask_answer_parsed), or taken from a front end's cache;
 *   4. the turn is written back with its plan, which is what the next
 *      follow-up edits.
 * The rules of a turn are written here only: a new conversation when none
 * is named, an unknown one is ERR_FAILED; the context of a follow-up is the
 * last answered or clarified turn, never a refusal or a failure (as
 * state_last_turn reads it back); a failed query is logged with the outcome
 * "failed" and fails with ERR_DATABASE; an answer carries conversation_id
 * and message_id.
 *
 * The server's slot pool (pool.c) adds its answer cache and its streaming
 * through struct conversation_hooks. The CLI keeps one struct
 * conversation open for the questions of a process. Printing is the
 * front ends' business.
 */
#ifndef FINQ_CONVERSATION_H
#define FINQ_CONVERSATION_H

#include "ask.h"
#include "state.h"

#include <stdbool.h>

/* Continue conversation id: its last turn into *prev, ERR_FAILED when there
 * is no such conversation, and id copied to id_out. With id NULL: a new
 * conversation into id_out when create, else none (id_out ""). */
int conversation_begin(struct state *st, const char *id, bool create, char id_out[STATE_ID_SIZE],
		       struct ask_previous *prev, struct err *e);

/* The user's aliases (state store) into ctx's vocabulary, before its first
 * question. */
int conversation_add_aliases(struct state *st, struct ask_context *ctx, struct err *e);

/* What a front end adds around a turn; every member may be NULL. The JSON
 * passed is borrowed for the call. */
struct conversation_hooks {
	void *arg;
	/* the question was read: the plan, and "how I read it" */
	void (*understood)(void *arg, const struct json_t *plan, const char *interpretation);
	/* the SQL the plan runs, NULL when it runs none; before it runs */
	void (*sql)(void *arg, const char *sql);
	/* the answer's table, before the turn is stored */
	void (*rows)(void *arg, const struct json_t *columns, const struct json_t *rows);
	/* an answer kept for this plan (a new reference), or NULL */
	struct json_t *(*cached)(void *arg, const struct json_t *plan);
	/* keep a fresh answer for this plan */
	void (*keep)(void *arg, const struct json_t *plan, const struct json_t *answer);
	/* the turn's outcome, once stored or failed ("answered", ..., "failed") */
	void (*outcome)(void *arg, const char *outcome);
};

/*
 * Ask question in conversation conv (from conversation_begin) and remember
 * the turn. *prev is the previous turn on entry, and the context for the
 * next question on return. On success *answer (the caller's) is the object
 * `finq ask --json` prints, with conversation_id and message_id.
 */
int conversation_turn(struct ask_context *ctx, struct state *st, const char *conv, const char *question, int today,
		      struct ask_previous *prev, const struct conversation_hooks *h, struct json_t **answer,
		      struct err *e);

/* A conversation held open by one process (`finq ask`, `finq chat`). */
struct conversation {
	struct state *state;
	struct ask_context *ctx; /* borrowed */
	char id[STATE_ID_SIZE];
	struct ask_previous prev;
};

/* Open the state store next to db_path, add the user's aliases to ctx's
 * vocabulary, and continue conversation id (NULL: start a new one). An
 * unknown id is an error (ERR_USAGE: it came from the command line). */
int conversation_open(struct conversation *c, const char *db_path, struct ask_context *ctx, const char *id,
		      struct err *e);
void conversation_close(struct conversation *c);
/* Start a new conversation (chat's \reset). */
int conversation_reset(struct conversation *c, struct err *e);
/* Answer and remember one question: conversation_turn(). */
int conversation_ask(struct conversation *c, const char *question, int today, struct json_t **answer,
		     struct err *e);

#endif
