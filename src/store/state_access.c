/*
 * state_access: who and what may be named: aliases for groups of values,
 * API tokens and their roles, the owners of conversations, and the audit
 * log. See state.h.
 */
#include "state_internal.h"
#include "answercap.h"
#include "strbuf.h"
#include "xalloc.h"
#include <ctype.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- aliases ---------------------------------------------------------------- */

void state_aliases_init(struct state_aliases *list)
{
	list->items = NULL;
	list->n = list->alloc = 0;
}

void state_aliases_release(struct state_aliases *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct state_alias *a = &list->items[i];
		for (int t = 0; t < a->ntargets; t++)
			free(a->targets[t]);
		free(a->targets);
		free(a->name);
	}
	free(list->items);
	state_aliases_init(list);
}

/* An alias name, normalised into sb and checked. */
static int alias_name_check(struct strbuf *sb, const char *name, struct err *e)
{
	if (name && state_has_control(name, true))
		return err_set_code(e, ERR_USAGE, "an alias name cannot hold control characters");
	state_text_fold(sb, name ? name : "");
	for (size_t i = 0; i < sb->len; i++)
		sb->buf[i] = (char)tolower((unsigned char)sb->buf[i]);
	if (!sb->len)
		return err_set_code(e, ERR_USAGE, "an alias name cannot be empty");
	if (sb->len > STATE_ALIAS_NAME_MAX)
		return err_set_code(e, ERR_USAGE, "alias name '%.*s...' is longer than %d bytes",
				    STATE_ALIAS_NAME_MAX, sb->buf, STATE_ALIAS_NAME_MAX);
	if (strchr(sb->buf, ','))
		return err_set_code(e, ERR_USAGE, "alias name '%s' cannot hold a comma", sb->buf);
	if (!state_utf8_valid(sb->buf))
		return err_set_code(e, ERR_USAGE, "alias name is not valid UTF-8");
	return 0;
}

/* Check and trim the targets into out[] (xstrdup'd, duplicates dropped);
 * *nout is how many. */
static int alias_targets_check(const char *name, const char *const *targets, int ntargets, char **out,
			       int *nout, struct err *e)
{
	struct strbuf t = STRBUF_INIT;
	int rc = -1;
	*nout = 0;
	strbuf_init(&t, 0);
	if (ntargets < 1 || ntargets > STATE_ALIAS_TARGETS_MAX) {
		err_set_code(e, ERR_USAGE, "alias '%s' needs 1 to %d targets, not %d", name,
			     STATE_ALIAS_TARGETS_MAX, ntargets);
		goto out;
	}
	for (int i = 0; i < ntargets; i++) {
		state_text_trim(&t, targets[i] ? targets[i] : "");
		if (!t.len) {
			err_set_code(e, ERR_USAGE, "alias '%s': target %d is empty", name, i + 1);
			goto out;
		}
		if (t.len > STATE_ALIAS_TARGET_MAX) {
			err_set_code(e, ERR_USAGE, "alias '%s': target '%.40s...' is longer than %d bytes", name,
				     t.buf, STATE_ALIAS_TARGET_MAX);
			goto out;
		}
		if (state_has_control(t.buf, false)) {
			err_set_code(e, ERR_USAGE, "alias '%s': target %d holds control characters", name, i + 1);
			goto out;
		}
		if (!state_utf8_valid(t.buf)) {
			err_set_code(e, ERR_USAGE, "alias '%s': target %d is not valid UTF-8", name, i + 1);
			goto out;
		}
		bool seen = false;
		for (int k = 0; k < *nout && !seen; k++)
			seen = strcmp(out[k], t.buf) == 0;
		if (!seen)
			out[(*nout)++] = xstrdup(t.buf);
	}
	rc = 0;
out:
	strbuf_release(&t);
	return rc;
}

int state_alias_set(struct state *s, const char *name, const char *const *targets, int ntargets,
		    struct err *e)
{
	struct strbuf n = STRBUF_INIT;
	char *clean[STATE_ALIAS_TARGETS_MAX];
	int nclean = 0, rc = -1;
	sqlite3_stmt *st;
	strbuf_init(&n, 0);
	if (alias_name_check(&n, name, e) || alias_targets_check(n.buf, targets, ntargets, clean, &nclean, e))
		goto out;
	if (state_txn_begin(s, true, e))
		goto out;
	if (!(st = state_stmt_get(s, ST_ALIAS_UPSERT, e)))
		goto fail;
	state_bind_text(st, 1, n.buf);
	if (state_stmt_finish(s, st, "save an alias", e) || !(st = state_stmt_get(s, ST_ALIAS_CLEAR_TARGETS, e)))
		goto fail;
	state_bind_text(st, 1, n.buf);
	if (state_stmt_finish(s, st, "save an alias", e))
		goto fail;
	for (int i = 0; i < nclean; i++) {
		if (!(st = state_stmt_get(s, ST_ALIAS_ADD_TARGET, e)))
			goto fail;
		state_bind_text(st, 1, n.buf);
		sqlite3_bind_int(st, 2, i + 1);
		state_bind_text(st, 3, clean[i]);
		if (state_stmt_finish(s, st, "save an alias", e))
			goto fail;
	}
	if (state_txn_commit(s, e))
		goto fail;
	rc = 0;
	goto out;
fail:
	state_txn_rollback(s);
out:
	for (int i = 0; i < nclean; i++)
		free(clean[i]);
	strbuf_release(&n);
	return rc;
}

int state_alias_remove(struct state *s, const char *name, struct err *e)
{
	struct strbuf n = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc = -1;
	strbuf_init(&n, 0);
	if (alias_name_check(&n, name, e) || !(st = state_stmt_get(s, ST_ALIAS_DELETE, e)))
		goto out;
	state_bind_text(st, 1, n.buf);
	if (state_stmt_finish(s, st, "remove an alias", e))
		goto out;
	if (sqlite3_changes(s->db) == 0) {
		err_set_code(e, ERR_FAILED, "unknown alias '%s'", n.buf);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&n);
	return rc;
}

/* Gather the (name, target) rows of st, ordered by name, into out. */
static int aliases_read(struct state *s, sqlite3_stmt *st, struct state_aliases *out, struct err *e)
{
	size_t talloc = 0;
	int row;
	while ((row = state_stmt_row(s, st, "read the aliases", e)) == 1) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		struct state_alias *a = out->n ? &out->items[out->n - 1] : NULL;
		if (!a || strcmp(a->name, name) != 0) {
			ALLOC_GROW(out->items, out->n + 1, out->alloc);
			a = &out->items[out->n++];
			a->name = xstrdup(name);
			a->targets = NULL;
			a->ntargets = 0;
			talloc = 0;
		}
		ALLOC_GROW(a->targets, (size_t)a->ntargets + 1, talloc);
		a->targets[a->ntargets++] = state_col_dup(st, 1);
	}
	sqlite3_reset(st);
	if (row < 0) {
		state_aliases_release(out);
		return -1;
	}
	return 0;
}

int state_alias_list(struct state *s, struct state_aliases *out, struct err *e)
{
	sqlite3_stmt *st;
	state_aliases_release(out);
	if (!(st = state_stmt_get(s, ST_ALIAS_LIST, e)))
		return -1;
	return aliases_read(s, st, out, e);
}

int state_alias_get(struct state *s, const char *name, struct state_aliases *out, struct err *e)
{
	struct strbuf n = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc = -1;
	strbuf_init(&n, 0);
	state_aliases_release(out);
	if (alias_name_check(&n, name, e) || !(st = state_stmt_get(s, ST_ALIAS_GET, e)))
		goto out;
	state_bind_text(st, 1, n.buf);
	if (aliases_read(s, st, out, e))
		goto out;
	if (out->n == 0) {
		err_set_code(e, ERR_FAILED, "unknown alias '%s'", n.buf);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&n);
	return rc;
}

/* ---- API tokens ------------------------------------------------------------------ */

void state_tokens_release(struct state_tokens *list)
{
	free(list->items);
	list->items = NULL;
	list->n = list->alloc = 0;
}

static bool hash_well_formed(const char *hash)
{
	size_t n = hash ? strlen(hash) : 0;
	return n == STATE_TOKEN_HASH_LEN && strspn(hash, "0123456789abcdef") == n;
}

int state_token_name_check(const char *name, struct err *e)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0)
		return err_set_code(e, ERR_USAGE, "a token needs a name");
	if (n > STATE_TOKEN_NAME_MAX)
		return err_set_code(e, ERR_USAGE, "token name '%.*s...' is longer than %d bytes", 16, name,
				    STATE_TOKEN_NAME_MAX);
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("._-", c)))
			return err_set_code(e, ERR_USAGE,
					    "token name '%s' may hold only letters, digits, '.', '_' and '-'", name);
	}
	return 0;
}

int state_token_add(struct state *s, const char *name, const char *hash, struct err *e)
{
	sqlite3_stmt *st;
	if (state_token_name_check(name, e))
		return -1;
	if (!hash_well_formed(hash))
		return err_set_code(e, ERR_USAGE, "a token hash is 64 lowercase hex digits");
	if (!(st = state_stmt_get(s, ST_TOKEN_INSERT, e)))
		return -1;
	state_bind_text(st, 1, name);
	state_bind_text(st, 2, hash);
	if (state_stmt_finish(s, st, "save a token", e))
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return err_set_code(e, ERR_USAGE,
				    "a token named '%s' exists already: revoke it first ('finq token revoke %s') or "
				    "choose another name",
				    name, name);
	return 0;
}

/* Copy a column into a fixed field, cut to fit. */
static void col_copy(sqlite3_stmt *st, int i, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	snprintf(out, size, "%s", t ? (const char *)t : "");
}

int state_token_list(struct state *s, struct state_tokens *out, struct err *e)
{
	sqlite3_stmt *st;
	int row;
	state_tokens_release(out);
	if (!(st = state_stmt_get(s, ST_TOKEN_LIST, e)))
		return -1;
	while ((row = state_stmt_row(s, st, "read the tokens", e)) == 1) {
		ALLOC_GROW(out->items, out->n + 1, out->alloc);
		struct state_token *t = &out->items[out->n++];
		col_copy(st, 0, t->name, sizeof(t->name));
		col_copy(st, 1, t->hash, sizeof(t->hash));
		col_copy(st, 2, t->created_at, sizeof(t->created_at));
		col_copy(st, 3, t->last_used_at, sizeof(t->last_used_at));
		col_copy(st, 4, t->role, sizeof(t->role));
	}
	sqlite3_reset(st);
	if (row < 0) {
		state_tokens_release(out);
		return -1;
	}
	return 0;
}

int state_token_revoke(struct state *s, const char *name, struct err *e)
{
	sqlite3_stmt *st;
	if (state_token_name_check(name, e) || !(st = state_stmt_get(s, ST_TOKEN_DELETE, e)))
		return -1;
	state_bind_text(st, 1, name);
	if (state_stmt_finish(s, st, "revoke a token", e))
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return err_set_code(e, ERR_FAILED, "no token named '%s' (see 'finq token list')", name);
	return 0;
}

int state_token_used(struct state *s, const char *name, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_TOKEN_USED, e);
	if (!st)
		return -1;
	state_bind_text(st, 1, name);
	return state_stmt_finish(s, st, "note a token's use", e);
}

/* ---- access: roles, owners, the audit log ------------------------------------------ */

int state_token_set_role(struct state *s, const char *name, const char *role, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_TOKEN_ROLE, e);
	if (!st)
		return -1;
	state_bind_text(st, 1, name);
	state_bind_text(st, 2, role);
	if (state_stmt_finish(s, st, "set a token's role", e))
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return err_set_code(e, ERR_FAILED, "no token named '%s' (see 'finq token list')", name);
	return 0;
}

/* The owner of the row that statement which finds for key, "" for none. */
static int owner_of(struct state *s, enum stmt which, const char *key, char owner[STATE_OWNER_SIZE], bool *exists,
		    struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, which, e);
	*exists = false;
	owner[0] = '\0';
	if (!st)
		return -1;
	state_bind_text(st, 1, key);
	int row = state_stmt_row(s, st, "look up an owner", e);
	if (row == 1) {
		col_copy(st, 0, owner, STATE_OWNER_SIZE);
		*exists = true;
	}
	sqlite3_reset(st);
	return row < 0 ? -1 : 0;
}

int state_conversation_owner(struct state *s, const char *id, char owner[STATE_OWNER_SIZE], bool *exists,
			     struct err *e)
{
	return owner_of(s, ST_CONV_OWNER, id, owner, exists, e);
}

int state_message_owner(struct state *s, const char *message_id, char owner[STATE_OWNER_SIZE], bool *exists,
			struct err *e)
{
	return owner_of(s, ST_MSG_OWNER, message_id, owner, exists, e);
}

int state_conversation_set_owner(struct state *s, const char *id, const char *owner, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_CONV_SET_OWNER, e);
	if (!st)
		return -1;
	state_bind_text(st, 1, id);
	state_bind_text(st, 2, owner && *owner ? owner : NULL);
	return state_stmt_finish(s, st, "set a conversation's owner", e);
}

int state_audit_add(struct state *s, const struct state_audit *a, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_AUDIT_INSERT, e);
	if (!st)
		return -1;
	state_bind_text(st, 1, a->actor && *a->actor ? a->actor : "local");
	state_bind_text(st, 2, a->client);
	state_bind_text(st, 3, a->action);
	state_bind_text(st, 4, a->object);
	state_bind_text(st, 5, a->detail);
	return state_stmt_finish(s, st, "write the audit log", e);
}

int state_audit_list(struct state *s, int limit, json_t **out, struct err *e)
{
	static const char *const names[] = { "at", "actor", "client", "action", "object", "detail" };
	sqlite3_stmt *st = state_stmt_get(s, ST_AUDIT_LIST, e);
	json_t *list = json_array();
	int row = -1;
	*out = NULL;
	if (st) {
		sqlite3_bind_int(st, 1, limit);
		while ((row = state_stmt_row(s, st, "read the audit log", e)) == 1) {
			json_t *o = json_object();
			for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
				json_object_set_new(o, names[i], state_col_json_string(st, i));
			json_array_append_new(list, o);
		}
		sqlite3_reset(st);
	}
	if (row < 0) {
		json_decref(list);
		return -1;
	}
	*out = list;
	return 0;
}
