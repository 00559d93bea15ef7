/*
 * state: conversations, messages, feedback, aliases and API tokens in SQLite.
 * See state.h. This file opens, migrates and closes the store and runs its
 * statements; state_conversations.c and state_access.c hold the rest.
 *
 * Every statement is a constant in stmt_sql[] below, prepared once per
 * handle (lazily) and run with bound parameters; the only SQL text not in
 * that table is the constant schema in migrations[] and the PRAGMAs run on
 * open. Validation of what callers pass in (lengths, outcomes, JSON) happens
 * here, before anything is written, so that the messages are clear.
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
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_BUSY_TIMEOUT_MS 5000

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

/* Timestamps tie within a millisecond; this counter never does. */
#define NEXT_ACTIVITY_SQL "(SELECT coalesce(max(activity), 0) + 1 FROM conversations)"

/*
 * The schema, one script per version: migrations[v] takes a file from
 * user_version v to v + 1. Append, never edit: files in the field are at
 * every version. Timestamps are UTC ISO 8601 text with milliseconds.
 */
static const char *const migrations[] = {
	/* 0 -> 1: conversations, messages, feedback, aliases */
	"CREATE TABLE IF NOT EXISTS conversations (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  title TEXT,\n"
	"  created_at TEXT NOT NULL,\n"
	"  updated_at TEXT NOT NULL,\n"
	"  activity INTEGER NOT NULL\n" /* increases with every change: orders the list */
	");\n"
	"CREATE INDEX IF NOT EXISTS conversations_activity ON conversations(activity);\n"
	"CREATE TABLE IF NOT EXISTS messages (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  question TEXT NOT NULL,\n"
	"  plan TEXT,\n"
	"  answer TEXT,\n"
	"  outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'clarified', 'refused', 'failed')),\n"
	"  intent TEXT,\n"
	"  elapsed_ms REAL NOT NULL CHECK (elapsed_ms >= 0),\n"
	"  created_at TEXT NOT NULL,\n"
	"  UNIQUE (conversation_id, seq)\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS feedback (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,\n"
	"  helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),\n"
	"  comment TEXT,\n"
	"  created_at TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX IF NOT EXISTS feedback_message ON feedback(message_id);\n"
	"CREATE TABLE IF NOT EXISTS aliases (\n"
	"  name TEXT PRIMARY KEY,\n"
	"  created_at TEXT NOT NULL,\n"
	"  updated_at TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS alias_targets (\n"
	"  alias TEXT NOT NULL REFERENCES aliases(name) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  target TEXT NOT NULL,\n"
	"  PRIMARY KEY (alias, position)\n"
	");\n",
	/* 1 -> 2: API tokens (apitoken.h), only their SHA-256 kept; revoking deletes the row */
	"CREATE TABLE IF NOT EXISTS api_tokens (\n"
	"  name TEXT PRIMARY KEY,\n"
	"  hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),\n"
	"  created_at TEXT NOT NULL,\n"
	"  last_used_at TEXT\n"
	");\n",
	/* 2 -> 3: who may do what (access.h): a token's role (tokens made
	 * before roles keep working as admin), a conversation's owner (the
	 * token that made it; NULL: made without a token), the audit log */
	"ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'"
	" CHECK (role IN ('read', 'upload', 'admin'));\n"
	"ALTER TABLE conversations ADD COLUMN owner TEXT;\n"
	"CREATE TABLE IF NOT EXISTS audit_log (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  at TEXT NOT NULL,\n"
	"  actor TEXT NOT NULL,\n"  /* a token's name, 'local' (no token) or 'cli' */
	"  client TEXT,\n"          /* the client's address; NULL on the command line */
	"  action TEXT NOT NULL,\n"
	"  object TEXT,\n"
	"  detail TEXT\n"
	");\n",
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

static const char *const stmt_sql[ST__COUNT] = {
	[ST_BEGIN_READ] = "BEGIN",
	[ST_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_USER_VERSION] = "PRAGMA user_version",
	[ST_CONV_INSERT] = "INSERT INTO conversations (id, title, created_at, updated_at, activity)"
			   " VALUES (?1, ?2, " NOW_SQL ", " NOW_SQL ", " NEXT_ACTIVITY_SQL ")",
	[ST_CONV_EXISTS] = "SELECT 1 FROM conversations WHERE id = ?1",
	[ST_CONV_LIST] = "SELECT c.id, c.title, c.created_at, c.updated_at,"
			 " (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id), c.owner"
			 " FROM conversations c ORDER BY c.activity DESC",
	[ST_CONV_GET] = "SELECT id, title, created_at, updated_at FROM conversations WHERE id = ?1",
	[ST_CONV_MESSAGES] = "SELECT id, question, plan, answer, outcome, intent, elapsed_ms, created_at"
			     " FROM messages WHERE conversation_id = ?1 ORDER BY seq",
	[ST_CONV_RENAME] = "UPDATE conversations SET title = ?2 WHERE id = ?1",
	[ST_CONV_DELETE] = "DELETE FROM conversations WHERE id = ?1",
	[ST_CONV_TOUCH] = "UPDATE conversations SET updated_at = " NOW_SQL ", activity = " NEXT_ACTIVITY_SQL ","
			  " title = coalesce(title, ?2) WHERE id = ?1",
	[ST_MSG_INSERT] = "INSERT INTO messages (id, conversation_id, seq, question, plan, answer, outcome,"
			  " intent, elapsed_ms, created_at) VALUES (?1, ?2,"
			  " (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE conversation_id = ?2),"
			  " ?3, ?4, ?5, ?6, ?7, ?8, " NOW_SQL ")",
	/* The context of a follow-up is the last turn that was answered or
	 * asked back (a clarification is answered by the next message); a
	 * refusal in between does not replace it. */
	[ST_LAST_TURN] = "SELECT plan, answer FROM messages WHERE conversation_id = ?1 "
			 "AND outcome IN ('answered', 'clarified') ORDER BY seq DESC LIMIT 1",
	[ST_LAST_ANSWER] = "SELECT plan, answer FROM messages WHERE conversation_id = ?1 "
			   "AND outcome = 'answered' ORDER BY seq DESC LIMIT 1",
	[ST_FEEDBACK_INSERT] = "INSERT INTO feedback (message_id, helpful, comment, created_at)"
			       " SELECT ?1, ?2, ?3, " NOW_SQL " WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?1)",
	[ST_STATS_COUNTS] = "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM conversations)",
	[ST_STATS_OUTCOMES] = "SELECT outcome, count(*) FROM messages GROUP BY outcome",
	[ST_STATS_ELAPSED] = "SELECT elapsed_ms FROM messages ORDER BY elapsed_ms",
	[ST_STATS_INTENTS] = "SELECT intent, count(*) AS n FROM messages WHERE intent IS NOT NULL"
			     " GROUP BY intent ORDER BY n DESC, intent LIMIT ?1",
	/* the services questions were about: those named in each plan's filters */
	[ST_STATS_SERVICES] = "SELECT v.value, count(*) AS n FROM messages m, json_each(m.plan, '$.filters') f,"
			      " json_each(f.value, '$.values') v WHERE json_valid(m.plan)"
			      " AND json_extract(f.value, '$.dimension') = 'service' AND json_extract(f.value, '$.op') = 'in'"
			      " GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?1",
	[ST_STATS_SLOWEST] = "SELECT id, conversation_id, question, elapsed_ms, created_at FROM messages"
			     " ORDER BY elapsed_ms DESC, rowid LIMIT ?1",
	[ST_STATS_FEEDBACK] = "SELECT coalesce(sum(helpful), 0), coalesce(sum(1 - helpful), 0) FROM feedback",
	[ST_ALIAS_UPSERT] = "INSERT INTO aliases (name, created_at, updated_at) VALUES (?1, " NOW_SQL ", " NOW_SQL ")"
			    " ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at",
	[ST_ALIAS_CLEAR_TARGETS] = "DELETE FROM alias_targets WHERE alias = ?1",
	[ST_ALIAS_ADD_TARGET] = "INSERT INTO alias_targets (alias, position, target) VALUES (?1, ?2, ?3)",
	[ST_ALIAS_DELETE] = "DELETE FROM aliases WHERE name = ?1",
	[ST_ALIAS_LIST] = "SELECT a.name, t.target FROM aliases a JOIN alias_targets t ON t.alias = a.name"
			  " ORDER BY a.name, t.position",
	[ST_ALIAS_GET] = "SELECT a.name, t.target FROM aliases a JOIN alias_targets t ON t.alias = a.name"
			 " WHERE a.name = ?1 ORDER BY t.position",
	[ST_TOKEN_INSERT] = "INSERT INTO api_tokens (name, hash, created_at) VALUES (?1, ?2, " NOW_SQL ")"
			    " ON CONFLICT DO NOTHING",
	[ST_TOKEN_LIST] = "SELECT name, hash, created_at, last_used_at, role FROM api_tokens ORDER BY name",
	[ST_TOKEN_DELETE] = "DELETE FROM api_tokens WHERE name = ?1",
	/* at most one write a minute per token, however busy it is */
	[ST_TOKEN_USED] = "UPDATE api_tokens SET last_used_at = " NOW_SQL " WHERE name = ?1"
			  " AND (last_used_at IS NULL OR last_used_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-60 seconds'))",
	[ST_TOKEN_ROLE] = "UPDATE api_tokens SET role = ?2 WHERE name = ?1",
	[ST_CONV_OWNER] = "SELECT coalesce(owner, '') FROM conversations WHERE id = ?1",
	[ST_CONV_SET_OWNER] = "UPDATE conversations SET owner = ?2 WHERE id = ?1",
	[ST_MSG_OWNER] = "SELECT coalesce(c.owner, '') FROM messages m JOIN conversations c ON c.id = m.conversation_id"
			 " WHERE m.id = ?1",
	[ST_AUDIT_INSERT] = "INSERT INTO audit_log (at, actor, client, action, object, detail)"
			    " VALUES (" NOW_SQL ", ?1, ?2, ?3, ?4, ?5)",
	[ST_AUDIT_LIST] = "SELECT at, actor, client, action, object, detail FROM"
			  " (SELECT * FROM audit_log ORDER BY id DESC LIMIT ?1) ORDER BY id",
	/* messages and their feedback go with them (ON DELETE CASCADE) */
	[ST_CONV_EXPIRE] = "DELETE FROM conversations WHERE updated_at < ?1",
};

/* ---- path ---------------------------------------------------------------- */

char *state_path_for(const char *db_path)
{
	static const char duck[] = ".duckdb", suffix[] = ".state.sqlite";
	const char *env = getenv("FINQ_STATE");
	if (env && *env)
		return xstrdup(env);
	size_t n = strlen(db_path), k = sizeof(duck) - 1;
	if (n > k && strcmp(db_path + n - k, duck) == 0 && db_path[n - k - 1] != '/')
		n -= k;
	return xasprintf("%.*s%s", (int)n, db_path, suffix);
}

/* ---- statements ------------------------------------------------------------ */

/* Set e from the connection's last error: "cannot WHAT in state file 'PATH': why". */
static int state_db_fail(struct state *s, const char *what, struct err *e)
{
	return err_set_code(e, ERR_DATABASE, "cannot %s in state file '%s': %s", what, s->path,
			    sqlite3_errmsg(s->db));
}

/* The cached statement id, reset and with no bindings; NULL with e set. */
sqlite3_stmt *state_stmt_get(struct state *s, enum stmt id, struct err *e)
{
	if (!s->stmts[id] &&
	    sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmts[id], NULL) != SQLITE_OK) {
		state_db_fail(s, "prepare a statement", e);
		s->stmts[id] = NULL;
		return NULL;
	}
	sqlite3_reset(s->stmts[id]);
	sqlite3_clear_bindings(s->stmts[id]);
	return s->stmts[id];
}

/* Bind text (NULL binds SQL NULL); the text must outlive the step. */
void state_bind_text(sqlite3_stmt *st, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Step a statement that returns no rows, then reset it. */
int state_stmt_finish(struct state *s, sqlite3_stmt *st, const char *what, struct err *e)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		state_db_fail(s, what, e);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

/* Run a statement without parameters or rows (BEGIN, COMMIT, ...). */
static int stmt_run(struct state *s, enum stmt id, const char *what, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, id, e);
	return st ? state_stmt_finish(s, st, what, e) : -1;
}

/* Step a query: 1 for a row, 0 at the end, -1 with e set (and st reset). */
int state_stmt_row(struct state *s, sqlite3_stmt *st, const char *what, struct err *e)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	state_db_fail(s, what, e);
	sqlite3_reset(st);
	return -1;
}

/* Step a query that always returns one row (an aggregate). */
int state_stmt_one_row(struct state *s, sqlite3_stmt *st, const char *what, struct err *e)
{
	int row = state_stmt_row(s, st, what, e);
	if (row == 0)
		return err_set_code(e, ERR_DATABASE, "cannot %s in state file '%s': no result", what, s->path);
	return row == 1 ? 0 : -1;
}

int state_txn_begin(struct state *s, bool write, struct err *e)
{
	return stmt_run(s, write ? ST_BEGIN_WRITE : ST_BEGIN_READ, "start a transaction", e);
}

int state_txn_commit(struct state *s, struct err *e)
{
	return stmt_run(s, ST_COMMIT, "commit", e);
}

/* Undo an open transaction after a failure; the caller's error stays. */
void state_txn_rollback(struct state *s)
{
	struct err ignored = { 0 };
	if (!sqlite3_get_autocommit(s->db))
		stmt_run(s, ST_ROLLBACK, "roll back", &ignored);
}

char *state_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* A JSON string for t; JSON must be UTF-8, so a text that is not (a
 * question typed in Latin-1) comes back with its non-ASCII bytes as '?'. */
static json_t *json_text(const char *t)
{
	json_t *v = json_string(t);
	if (v)
		return v;
	char *ascii = xstrdup(t);
	for (unsigned char *p = (unsigned char *)ascii; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	v = json_string(ascii);
	free(ascii);
	return v;
}

json_t *state_col_json_string(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? json_text((const char *)t) : json_null();
}

/* A stored JSON text, parsed; a text that does not parse comes back as a string. */
json_t *state_col_json_parsed(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return json_null();
	json_t *v = json_loads((const char *)t, JSON_DECODE_ANY, NULL);
	return v ? v : json_text((const char *)t);
}

/* ---- open and close ---------------------------------------------------------- */

static int schema_version_read(struct state *s, int *version, struct err *e)
{
	sqlite3_stmt *st = state_stmt_get(s, ST_USER_VERSION, e);
	int row;
	if (!st || (row = state_stmt_row(s, st, "read the schema version", e)) < 0)
		return -1;
	*version = row ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return 0;
}

/* Create or upgrade the schema to SCHEMA_VERSION. */
static int schema_migrate(struct state *s, struct err *e)
{
	char pragma[64];
	int version;
	if (schema_version_read(s, &version, e))
		return -1;
	if (version == SCHEMA_VERSION)
		return 0;
	/* Take the write lock, then look again: another process may have
	 * migrated the file meanwhile. */
	if (version < SCHEMA_VERSION && (state_txn_begin(s, true, e) || schema_version_read(s, &version, e)))
		goto fail;
	if (version > SCHEMA_VERSION) {
		err_set_code(e, ERR_DATABASE, "state file '%s' has schema version %d, newer than this finq knows (%d)",
			     s->path, version, SCHEMA_VERSION);
		goto fail;
	}
	for (int v = version; v < SCHEMA_VERSION; v++)
		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK) {
			state_db_fail(s, "create the tables", e);
			goto fail;
		}
	/* A PRAGMA takes no parameters; the number is ours, not the user's. */
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", SCHEMA_VERSION);
	if (sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		state_db_fail(s, "set the schema version", e);
		goto fail;
	}
	if (state_txn_commit(s, e))
		goto fail;
	return 0;
fail:
	state_txn_rollback(s);
	return -1;
}

/* The PRAGMAs every handle runs; journal_mode answers with the mode it got. */
static int state_configure(struct state *s, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
		goto db_fail;
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL) != SQLITE_OK)
		goto db_fail;
	/* Handles that open a new file at once race to switch it to WAL: each
	 * holds a read lock and wants the write lock, so SQLite answers BUSY
	 * at once rather than wait for a deadlock; the busy timeout does not
	 * apply. Try again for as long as it would have waited. */
	int step = sqlite3_step(st);
	for (int waited = 0; (step & 0xff) == SQLITE_BUSY && waited < STATE_BUSY_TIMEOUT_MS; waited += 10) {
		sqlite3_reset(st);
		usleep(10 * 1000);
		step = sqlite3_step(st);
	}
	if (step != SQLITE_ROW)
		goto db_fail;
	const char *mode = (const char *)sqlite3_column_text(st, 0);
	if (!mode || strcmp(mode, "wal") != 0) {
		err_set_code(e, ERR_DATABASE, "cannot open state file '%s': it stays in journal mode '%s', not WAL",
			     s->path, mode ? mode : "?");
		goto out;
	}
	if (sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK)
		goto db_fail;
	rc = 0;
	goto out;
db_fail:
	err_set_code(e, ERR_DATABASE, "cannot open state file '%s': %s", s->path, sqlite3_errmsg(s->db));
out:
	sqlite3_finalize(st);
	return rc;
}

/* Why sqlite3_open_v2() failed. When the file does not exist SQLite's own
 * errno is that of its last, read-only attempt (ENOENT), so look at the
 * folder that should have held it. */
static void open_fail(struct state *s, struct err *e)
{
	struct stat sb;
	if (stat(s->path, &sb) != 0 && errno == ENOENT) {
		const char *slash = strrchr(s->path, '/');
		char *dir = !slash ? xstrdup(".") : slash == s->path ? xstrdup("/")
					 : xstrndup(s->path, (size_t)(slash - s->path));
		int bad = access(dir, W_OK | X_OK) != 0;
		if (bad)
			err_set_code(e, ERR_DATABASE, "cannot create state file '%s' in folder '%s': %s", s->path,
				     dir, strerror(errno));
		free(dir);
		if (bad)
			return;
	}
	int sys = s->db ? sqlite3_system_errno(s->db) : 0;
	err_set_code(e, ERR_DATABASE, "cannot open state file '%s': %s%s%s", s->path,
		     s->db ? sqlite3_errmsg(s->db) : "out of memory", sys ? ": " : "", sys ? strerror(sys) : "");
}

int state_open(struct state **out, const char *path, struct err *e)
{
	struct stat sb;
	*out = NULL;
	if (!path || !*path)
		return err_set_code(e, ERR_DATABASE, "no state file given");
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return err_set_code(e, ERR_DATABASE, "state file '%s' is a folder, not a file", path);

	struct state *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		open_fail(s, e);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STATE_BUSY_TIMEOUT_MS);
	/* SQLite quietly falls back to read-only when it cannot write. */
	if (sqlite3_db_readonly(s->db, "main") == 1) {
		err_set_code(e, ERR_DATABASE, "state file '%s' is read-only", path);
		goto fail;
	}
	if (state_configure(s, e) || schema_migrate(s, e))
		goto fail;
	*out = s;
	return 0;
fail:
	state_close(s);
	return -1;
}

void state_close(struct state *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

sqlite3 *state_sqlite(struct state *s)
{
	return s->db;
}

/* ---- text ------------------------------------------------------------------- */

static bool is_space_or_control(unsigned char c)
{
	return c <= ' ' || c == 0x7f;
}

/* Trim, and fold every run of whitespace or control bytes into one space. */
void state_text_fold(struct strbuf *out, const char *in)
{
	bool gap = false;
	strbuf_reset(out);
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		if (is_space_or_control(*p)) {
			gap = out->len > 0;
			continue;
		}
		if (gap)
			strbuf_addch(out, ' ');
		gap = false;
		strbuf_addch(out, (char)*p);
	}
}

/* Cut a folded text to at most max characters (UTF-8 code points), at the
 * last space that fits when there is one. */
void state_text_cut_words(struct strbuf *sb, size_t max)
{
	size_t chars = 0, cut = sb->len;
	for (size_t i = 0; i < sb->len; i++) {
		if (((unsigned char)sb->buf[i] & 0xc0) == 0x80)
			continue; /* a continuation byte */
		if (chars++ == max) {
			cut = i;
			break;
		}
	}
	if (cut == sb->len)
		return;
	if (sb->buf[cut] != ' ') {
		size_t space = cut;
		while (space > 0 && sb->buf[space] != ' ')
			space--;
		if (space > 0)
			cut = space;
	}
	sb->len = cut;
	sb->buf[cut] = '\0';
	strbuf_rtrim(sb, " ");
}

/* Does s hold a control byte (other than whitespace, when space_ok)? */
bool state_has_control(const char *s, bool space_ok)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < ' ' && !(space_ok && isspace(*p))) || *p == 0x7f)
			return true;
	return false;
}

/* Well-formed UTF-8 lead and continuation bytes (jansson checks the rest). */
bool state_utf8_valid(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int more = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;
		if (more < 0 || (more == 1 && *p < 0xc2) || (more == 3 && *p > 0xf4))
			return false;
		for (p++; more > 0; more--, p++)
			if ((*p & 0xc0) != 0x80)
				return false;
	}
	return true;
}

/* Copy s without leading and trailing whitespace into out. */
void state_text_trim(struct strbuf *out, const char *s)
{
	strbuf_reset(out);
	while (*s && isspace((unsigned char)*s))
		s++;
	strbuf_addstr(out, s);
	strbuf_rtrim(out, " \t\r\n\v\f");
}

/* ---- ids -------------------------------------------------------------------- */

/* 16 random bytes as 32 lowercase hex digits. */
int state_id_new(char id[STATE_ID_SIZE], struct err *e)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[(STATE_ID_SIZE - 1) / 2];
	size_t got = 0;
	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(raw)) { /* a kernel without getrandom() */
		FILE *f = fopen("/dev/urandom", "rb");
		got = f ? fread(raw, 1, sizeof(raw), f) : 0;
		if (f)
			fclose(f);
		if (got < sizeof(raw))
			return err_set_code(e, ERR_FAILED, "cannot read random bytes for an id: %s",
					    strerror(errno));
	}
	for (size_t i = 0; i < sizeof(raw); i++) {
		id[2 * i] = hex[raw[i] >> 4];
		id[2 * i + 1] = hex[raw[i] & 15];
	}
	id[STATE_ID_SIZE - 1] = '\0';
	return 0;
}
