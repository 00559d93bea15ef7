/*
 * state: finq's application state in SQLite, beside the DuckDB cost data.
 *
 * One file per cost database (state_path_for): conversations and their
 * messages (question, plan and answer as JSON, outcome, intent, time taken),
 * feedback on answers, aliases ("compute" = AmazonEC2, AWSLambda, ...) and
 * the hashes of API tokens.
 * The messages double as the interaction log that state_stats() summarises.
 * This module owns the SQLite connection and every SQL statement: callers
 * never see SQL, and user text reaches SQLite only as bound parameters.
 * It does not know what a plan or an answer means; they are opaque JSON.
 *
 * Environment: FINQ_STATE, when set and not empty, is the state file's path
 * whatever the cost database is.
 *
 * The file is in WAL mode (readers do not block the one writer), with
 * synchronous=NORMAL, foreign keys on and a 5 s busy timeout; its schema
 * version is PRAGMA user_version, and state_open() brings an older file up
 * to date, refusing a file written by a newer finq.
 *
 * Threads: a struct state caches its prepared statements and runs
 * multi-statement transactions, so it must be used by one thread at a time.
 * Each thread (each HTTP worker) opens its own handle on the same file;
 * SQLite and WAL make that safe across threads and processes.
 *
 * Errors: functions return 0 or -1 with e set; e->code is ERR_USAGE for an
 * argument that fails validation (an empty alias name, bad JSON, ...),
 * ERR_FAILED for an id or a name that does not exist, and ERR_DATABASE for
 * a file that cannot be opened, read or written.
 */
#ifndef FINQ_STATE_H
#define FINQ_STATE_H

#include "err.h"

#include <stdbool.h>
#include <time.h>
#include <stddef.h>

struct json_t;
struct state; /* opaque: only state.c touches its fields */

/* An id: 32 lowercase hex digits (16 random bytes) and a NUL. */
#define STATE_ID_SIZE 33

#define STATE_TITLE_MAX 200        /* bytes in a conversation title */
#define STATE_AUTO_TITLE_CHARS 80  /* characters of a question that titles a conversation */
#define STATE_COMMENT_MAX 4000     /* bytes in a feedback comment */
#define STATE_ALIAS_NAME_MAX 64    /* bytes in an alias name */
#define STATE_ALIAS_TARGET_MAX 128 /* bytes in one alias target */
#define STATE_ALIAS_TARGETS_MAX 32 /* targets in one alias */

/* The state file for a DuckDB path: $FINQ_STATE when set; "x/finq.duckdb"
 * -> "x/finq.state.sqlite"; any other path gets ".state.sqlite" appended.
 * The caller frees the result. */
char *state_path_for(const char *db_path);

/* Open (creating if need be) the state file at path and bring its schema up
 * to date. On success *out is the caller's, released with state_close();
 * on failure *out is NULL and e names the path (read-only file or folder,
 * a folder given as the path, a file that is not a database). */
int state_open(struct state **out, const char *path, struct err *e);
/* Finalize the statements and close the connection; NULL is fine. */
void state_close(struct state *s);

/* The open SQLite connection, for kb.c, which keeps the knowledge base's
 * own tables (kb_*) in the same file. Borrowed: valid until state_close();
 * the caller must not close it or leave a transaction open on it. */
struct sqlite3 *state_sqlite(struct state *s);

/*
 * Conversations. Timestamps are UTC ISO 8601 with milliseconds
 * ("2025-11-30T12:00:00.123Z"). The JSON returned is a new reference the
 * caller json_decref()s; strings passed in are borrowed.
 */

/* A new conversation; its id is written to id. title (whitespace folded,
 * at most STATE_TITLE_MAX bytes) may be NULL or blank: the first question
 * will title it. */
int state_conversation_create(struct state *s, const char *title, char id[STATE_ID_SIZE], struct err *e);
/* *exists tells whether a conversation with this id exists. */
int state_conversation_exists(struct state *s, const char *id, bool *exists, struct err *e);
/* [{id, title, created_at, updated_at, messages}], the most recently
 * updated first; messages is a count, title may be null. */
int state_conversation_list(struct state *s, struct json_t **out, struct err *e);
/* {id, title, created_at, updated_at, messages: [{id, question, plan,
 * answer, outcome, intent, elapsed_ms, created_at}]} with the messages in
 * the order they were added; plan and answer are parsed JSON (or null). */
int state_conversation_get(struct state *s, const char *id, struct json_t **out, struct err *e);
/* Set the title (trimmed, 1..STATE_TITLE_MAX bytes). */
int state_conversation_rename(struct state *s, const char *id, const char *title, struct err *e);
/* Delete the conversation with its messages and their feedback. */
int state_conversation_delete(struct state *s, const char *id, struct err *e);

/*
 * Expiry: a conversation is kept for a number of days after its last
 * change (updated_at: made, asked in, renamed), then deleted with its
 * messages and their feedback. `finq serve --conversation-ttl DAYS` sets
 * it; $FINQ_CONVERSATION_TTL is the default of the server and what the
 * command line's ask and chat use; 0 keeps everything.
 */
#define STATE_CONVERSATION_TTL_DAYS 90
#define STATE_CONVERSATION_TTL_MAX 36500
/* Days from $FINQ_CONVERSATION_TTL (0 to STATE_CONVERSATION_TTL_MAX),
 * else STATE_CONVERSATION_TTL_DAYS; -1 when it is set but not such a
 * number. */
long state_conversation_ttl_default(void);
/* Delete the conversations last changed more than days days before now;
 * *deleted says how many. days 0: nothing (no expiry). When any went, a
 * line "conversation.expire" by actor (as state_audit) goes to the audit
 * log, with the count and the cut-off. */
int state_conversations_expire(struct state *s, time_t now, unsigned days, const char *actor, int *deleted,
			       struct err *e);

/*
 * API tokens (serve/apitoken.h): a name and the SHA-256 of the token,
 * never the token itself. Revoking one deletes it.
 */
#define STATE_TOKEN_HASH_LEN 64 /* lowercase hex digits of a SHA-256 */
#define STATE_TOKEN_NAME_MAX 64 /* bytes in a token's name */

struct state_token {
	char name[STATE_TOKEN_NAME_MAX + 1];
	char hash[65];         /* 64 lowercase hex digits */
	char created_at[32];
	char last_used_at[32]; /* "" when never used */
	char role[16];         /* "read", "upload" or "admin" (access.h) */
};

/* What state_token_list() fills; owns its items. Zero-initialise it. */
struct state_tokens {
	struct state_token *items; /* sorted by name */
	size_t n, alloc;
};

void state_tokens_release(struct state_tokens *list);
/* A token's name: 1..STATE_TOKEN_NAME_MAX bytes of letters, digits, '.',
 * '_', '-' (names appear in logs and on command lines). -1 with e set
 * otherwise. */
int state_token_name_check(const char *name, struct err *e);
/* Keep a new token: its name (state_token_name_check) and hash (64 lowercase hex
 * digits). A name in use is an ERR_USAGE error saying so. */
int state_token_add(struct state *s, const char *name, const char *hash, struct err *e);
/* Every token into *out (dropping what it held). */
int state_token_list(struct state *s, struct state_tokens *out, struct err *e);
/* Delete the token called name; an unknown name is an ERR_FAILED error. */
int state_token_revoke(struct state *s, const char *name, struct err *e);
/* Note that the token called name was just used (last_used_at), at most
 * once a minute; an unknown name is not an error. */
int state_token_used(struct state *s, const char *name, struct err *e);
/* Give the token called name a role ("read", "upload", "admin"); an
 * unknown name is an ERR_FAILED error. Tokens are made admin (what they
 * were before roles): cmd_token.c sets the role it was asked for. */
int state_token_set_role(struct state *s, const char *name, const char *role, struct err *e);

/*
 * Owners and the audit log (access.h). A conversation's owner is the name
 * of the API token that made it, "" when it was made without one (the
 * command line, loopback without a token).
 */
#define STATE_OWNER_SIZE 65
/* The owner of conversation id (*exists false when there is none). */
int state_conversation_owner(struct state *s, const char *id, char owner[STATE_OWNER_SIZE], bool *exists,
			     struct err *e);
/* The owner of the conversation holding message_id. */
int state_message_owner(struct state *s, const char *message_id, char owner[STATE_OWNER_SIZE], bool *exists,
			struct err *e);
/* Make owner (a token's name; NULL or "": none) the owner of conversation id. */
int state_conversation_set_owner(struct state *s, const char *id, const char *owner, struct err *e);

/* One line of the audit log: who (a token's name; NULL or "": "local",
 * a request without a token; "cli" for the command line), from where
 * (an address, or NULL), what (an action such as "data.upload") to
 * which object, and details. Strings are borrowed. */
struct state_audit {
	const char *actor;
	const char *client;
	const char *action;
	const char *object;
	const char *detail;
};
int state_audit_add(struct state *s, const struct state_audit *a, struct err *e);
/* The last limit lines, oldest first, as a JSON array of objects (at,
 * actor, client, action, object, detail). */
int state_audit_list(struct state *s, int limit, struct json_t **out, struct err *e);

/*
 * Messages: one question and what finq did with it.
 */

/* The outcomes a message can have; anything else is refused. */
#define STATE_OUTCOME_ANSWERED "answered"
#define STATE_OUTCOME_CLARIFIED "clarified"
#define STATE_OUTCOME_REFUSED "refused"
#define STATE_OUTCOME_FAILED "failed"

/* Append a message to a conversation; plan_json and answer_json are JSON
 * texts (either may be NULL), intent may be NULL, elapsed_ms >= 0. Updates
 * the conversation's updated_at and, if it has no title, titles it with the
 * question (whitespace folded, cut at a word boundary to at most
 * STATE_AUTO_TITLE_CHARS characters). The new id is written to message_id
 * (which may be NULL). All arguments are borrowed. */
int state_message_add(struct state *s, const char *conversation_id, const char *question,
		      const char *plan_json, const char *answer_json, const char *outcome,
		      const char *intent, double elapsed_ms, char message_id[STATE_ID_SIZE],
		      struct err *e);

/* The plan and answer JSON texts of the latest message that was answered
 * or asked back, for a follow-up (refusals are skipped): both NULL when the
 * conversation has no such message (or it stored none).
 * The caller frees *plan_json and *answer_json; either pointer may be NULL
 * when that half is not wanted. An unknown conversation is an error. */
int state_last_turn(struct state *s, const char *conversation_id, char **plan_json,
		    char **answer_json, struct err *e);
/* The same for the latest message that was answered: the context of a
 * turn after a question asked back that does not answer it. */
int state_last_answer(struct state *s, const char *conversation_id, char **plan_json,
		      char **answer_json, struct err *e);

/* Feedback on a message: helpful or not, with an optional comment (NULL or
 * at most STATE_COMMENT_MAX bytes). An unknown message id is an error. */
int state_feedback_add(struct state *s, const char *message_id, bool helpful, const char *comment,
		       struct err *e);

/*
 * The interaction log, summarised. *out (the caller's) is
 *   {messages, conversations,
 *    outcomes: {answered, clarified, refused, failed},
 *    latency_ms: {p50, p90, p99, max} or null when there are no messages,
 *    top_intents: [{intent, count}] (at most 10, most frequent first),
 *    top_services: [{service, count}] (services named by the plans' filters, at most 10),
 *    slowest: [{message_id, conversation_id, question, elapsed_ms, created_at}] (5),
 *    feedback: {helpful, not_helpful}}
 * Percentiles interpolate linearly between the closest ranks of the sorted
 * times (numpy's default): rank = p/100 * (n - 1). For 10, 20, 30, 40 ms:
 * p50 = 25, p90 = 37, p99 = 39.7.
 */
int state_stats(struct state *s, struct json_t **out, struct err *e);

/*
 * Aliases: names users give groups of things in their bill.
 */

struct state_alias {
	char *name;     /* lower case, trimmed */
	char **targets; /* in the order given */
	int ntargets;
};

/* What state_alias_list() fills; owns everything it points to. */
struct state_aliases {
	struct state_alias *items; /* sorted by name */
	size_t n, alloc;
};

#define STATE_ALIASES_INIT { NULL, 0, 0 }

void state_aliases_init(struct state_aliases *list);
void state_aliases_release(struct state_aliases *list);

/* Define or replace the alias name (trimmed, whitespace folded, ASCII
 * lower-cased, 1..STATE_ALIAS_NAME_MAX bytes, no control characters or
 * commas) as targets[0..ntargets-1] (1..STATE_ALIAS_TARGETS_MAX, each
 * trimmed, not empty, at most STATE_ALIAS_TARGET_MAX bytes, no control
 * characters; a repeated target is kept once). Names and targets must be
 * UTF-8. Everything is borrowed. */
int state_alias_set(struct state *s, const char *name, const char *const *targets, int ntargets,
		    struct err *e);
/* Remove an alias (name normalised as above); an unknown name is an error. */
int state_alias_remove(struct state *s, const char *name, struct err *e);
/* Every alias into *out, which the caller has initialised and releases
 * with state_aliases_release(); existing items are dropped first. */
int state_alias_list(struct state *s, struct state_aliases *out, struct err *e);
/* The one alias called name (normalised as above) into *out, as
 * state_alias_list() does; an unknown name is an error. */
int state_alias_get(struct state *s, const char *name, struct state_aliases *out, struct err *e);

#endif
