/*
 * state_internal: what the files of the state store share (state.c,
 * state_conversations.c, state_access.c): the handle, the table of
 * statements and the helpers that run them, check text and make ids. Not
 * for use outside src/store/: state.h is the store's interface.
 */
#ifndef FINQ_STATE_INTERNAL_H
#define FINQ_STATE_INTERNAL_H

#include "state.h"
#include "strbuf.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define STATE_TOP_INTENTS 10 /* in the usage statistics */
#define STATE_SLOWEST 5

/* Every statement finq runs on the state file, prepared on first use. */
enum stmt {
	ST_BEGIN_READ,
	ST_BEGIN_WRITE,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_USER_VERSION,
	ST_CONV_INSERT,
	ST_CONV_EXISTS,
	ST_CONV_LIST,
	ST_CONV_GET,
	ST_CONV_MESSAGES,
	ST_CONV_RENAME,
	ST_CONV_DELETE,
	ST_CONV_TOUCH,
	ST_MSG_INSERT,
	ST_LAST_TURN,
	ST_LAST_ANSWER,
	ST_FEEDBACK_INSERT,
	ST_STATS_COUNTS,
	ST_STATS_OUTCOMES,
	ST_STATS_ELAPSED,
	ST_STATS_INTENTS,
	ST_STATS_SERVICES,
	ST_STATS_SLOWEST,
	ST_STATS_FEEDBACK,
	ST_ALIAS_UPSERT,
	ST_ALIAS_CLEAR_TARGETS,
	ST_ALIAS_ADD_TARGET,
	ST_ALIAS_DELETE,
	ST_ALIAS_LIST,
	ST_ALIAS_GET,
	ST_TOKEN_INSERT,
	ST_TOKEN_LIST,
	ST_TOKEN_DELETE,
	ST_TOKEN_USED,
	ST_TOKEN_ROLE,
	ST_CONV_OWNER,
	ST_CONV_SET_OWNER,
	ST_MSG_OWNER,
	ST_AUDIT_INSERT,
	ST_AUDIT_LIST,
	ST_CONV_EXPIRE,
	ST__COUNT
};

struct state {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmts[ST__COUNT];
};

sqlite3_stmt *state_stmt_get(struct state *s, enum stmt id, struct err *e);
void state_bind_text(sqlite3_stmt *st, int i, const char *text);
int state_stmt_finish(struct state *s, sqlite3_stmt *st, const char *what, struct err *e);
int state_stmt_row(struct state *s, sqlite3_stmt *st, const char *what, struct err *e);
int state_stmt_one_row(struct state *s, sqlite3_stmt *st, const char *what, struct err *e);
int state_txn_begin(struct state *s, bool write, struct err *e);
int state_txn_commit(struct state *s, struct err *e);
void state_txn_rollback(struct state *s);
char *state_col_dup(sqlite3_stmt *st, int i);
json_t *state_col_json_string(sqlite3_stmt *st, int i);
json_t *state_col_json_parsed(sqlite3_stmt *st, int i);
void state_text_fold(struct strbuf *out, const char *in);
void state_text_cut_words(struct strbuf *sb, size_t max);
bool state_has_control(const char *s, bool space_ok);
bool state_utf8_valid(const char *s);
void state_text_trim(struct strbuf *out, const char *s);
int state_id_new(char id[STATE_ID_SIZE], struct err *e);

#endif
