/*
 * state: conversations, messages, feedback, aliases and API tokens in SQLite.
 * See state.h.
 *
 * Every statement is a constant in stmt_sql[] below, prepared once per
 * handle (lazily) and run with bound parameters; the only SQL text not in
 * that table is the constant schema in migrations[] and the PRAGMAs run on
 * open. Validation of what callers pass in (lengths, outcomes, JSON) happens
 * here, before anything is written, so that the messages are clear.
 */
#include "state.h"
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
#define STATE_TOP_INTENTS 10
#define STATE_SLOWEST 5
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
	ST__COUNT
};

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
};

/* The outcomes a message may have, as the CHECK constraint above lists them. */
static const char *const outcomes[] = {
	STATE_OUTCOME_ANSWERED,
	STATE_OUTCOME_CLARIFIED,
	STATE_OUTCOME_REFUSED,
	STATE_OUTCOME_FAILED,
};

struct state {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmts[ST__COUNT];
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
static sqlite3_stmt *stmt_get(struct state *s, enum stmt id, struct err *e)
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
static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Step a statement that returns no rows, then reset it. */
static int stmt_finish(struct state *s, sqlite3_stmt *st, const char *what, struct err *e)
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
	sqlite3_stmt *st = stmt_get(s, id, e);
	return st ? stmt_finish(s, st, what, e) : -1;
}

/* Step a query: 1 for a row, 0 at the end, -1 with e set (and st reset). */
static int stmt_row(struct state *s, sqlite3_stmt *st, const char *what, struct err *e)
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
static int stmt_one_row(struct state *s, sqlite3_stmt *st, const char *what, struct err *e)
{
	int row = stmt_row(s, st, what, e);
	if (row == 0)
		return err_set_code(e, ERR_DATABASE, "cannot %s in state file '%s': no result", what, s->path);
	return row == 1 ? 0 : -1;
}

static int txn_begin(struct state *s, bool write, struct err *e)
{
	return stmt_run(s, write ? ST_BEGIN_WRITE : ST_BEGIN_READ, "start a transaction", e);
}

static int txn_commit(struct state *s, struct err *e)
{
	return stmt_run(s, ST_COMMIT, "commit", e);
}

/* Undo an open transaction after a failure; the caller's error stays. */
static void txn_rollback(struct state *s)
{
	struct err ignored = { 0 };
	if (!sqlite3_get_autocommit(s->db))
		stmt_run(s, ST_ROLLBACK, "roll back", &ignored);
}

static char *col_dup(sqlite3_stmt *st, int i)
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

static json_t *col_json_string(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? json_text((const char *)t) : json_null();
}

/* A stored JSON text, parsed; a text that does not parse comes back as a string. */
static json_t *col_json_parsed(sqlite3_stmt *st, int i)
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
	sqlite3_stmt *st = stmt_get(s, ST_USER_VERSION, e);
	int row;
	if (!st || (row = stmt_row(s, st, "read the schema version", e)) < 0)
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
	if (version < SCHEMA_VERSION && (txn_begin(s, true, e) || schema_version_read(s, &version, e)))
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
	if (txn_commit(s, e))
		goto fail;
	return 0;
fail:
	txn_rollback(s);
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
static void text_fold(struct strbuf *out, const char *in)
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
static void text_cut_words(struct strbuf *sb, size_t max)
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
static bool has_control(const char *s, bool space_ok)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < ' ' && !(space_ok && isspace(*p))) || *p == 0x7f)
			return true;
	return false;
}

/* Well-formed UTF-8 lead and continuation bytes (jansson checks the rest). */
static bool utf8_valid(const char *s)
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
static void text_trim(struct strbuf *out, const char *s)
{
	strbuf_reset(out);
	while (*s && isspace((unsigned char)*s))
		s++;
	strbuf_addstr(out, s);
	strbuf_rtrim(out, " \t\r\n\v\f");
}

/* ---- ids -------------------------------------------------------------------- */

/* 16 random bytes as 32 lowercase hex digits. */
static int id_new(char id[STATE_ID_SIZE], struct err *e)
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

/* ---- conversations ---------------------------------------------------------- */

/* A title folded into sb; empty_ok says whether "" (no title) is allowed. */
static int title_check(struct strbuf *sb, const char *title, bool empty_ok, struct err *e)
{
	text_fold(sb, title ? title : "");
	if (!utf8_valid(sb->buf))
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
	if (title_check(&t, title, true, e) || id_new(id, e))
		goto out;
	if (!(st = stmt_get(s, ST_CONV_INSERT, e)))
		goto out;
	bind_text(st, 1, id);
	bind_text(st, 2, t.len ? t.buf : NULL);
	rc = stmt_finish(s, st, "create a conversation", e);
out:
	strbuf_release(&t);
	return rc;
}

int state_conversation_exists(struct state *s, const char *id, bool *exists, struct err *e)
{
	sqlite3_stmt *st = stmt_get(s, ST_CONV_EXISTS, e);
	*exists = false;
	if (!st)
		return -1;
	bind_text(st, 1, id);
	int row = stmt_row(s, st, "look up a conversation", e);
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
	sqlite3_stmt *st = stmt_get(s, ST_CONV_LIST, e);
	json_t *list = json_array();
	int row;
	*out = NULL;
	if (!st)
		goto fail;
	while ((row = stmt_row(s, st, "list the conversations", e)) == 1) {
		json_t *c = json_object();
		json_object_set_new(c, "id", col_json_string(st, 0));
		json_object_set_new(c, "title", col_json_string(st, 1));
		json_object_set_new(c, "created_at", col_json_string(st, 2));
		json_object_set_new(c, "updated_at", col_json_string(st, 3));
		json_object_set_new(c, "messages", json_integer(sqlite3_column_int64(st, 4)));
		json_object_set_new(c, "owner", col_json_string(st, 5));
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
	sqlite3_stmt *st = stmt_get(s, ST_CONV_MESSAGES, e);
	json_t *list = json_array();
	int row = -1;
	json_object_set_new(conv, "messages", list);
	if (!st)
		return -1;
	bind_text(st, 1, id);
	while ((row = stmt_row(s, st, "read the messages", e)) == 1) {
		json_t *m = json_object();
		json_object_set_new(m, "id", col_json_string(st, 0));
		json_object_set_new(m, "question", col_json_string(st, 1));
		json_object_set_new(m, "plan", col_json_parsed(st, 2));
		json_object_set_new(m, "answer", col_json_parsed(st, 3));
		json_object_set_new(m, "outcome", col_json_string(st, 4));
		json_object_set_new(m, "intent", col_json_string(st, 5));
		json_object_set_new(m, "elapsed_ms", json_real(sqlite3_column_double(st, 6)));
		json_object_set_new(m, "created_at", col_json_string(st, 7));
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
	if (txn_begin(s, false, e))
		return -1;
	if (!(st = stmt_get(s, ST_CONV_GET, e)))
		goto fail;
	bind_text(st, 1, id);
	if ((row = stmt_row(s, st, "read a conversation", e)) < 0)
		goto fail;
	if (row == 0) {
		sqlite3_reset(st);
		conversation_unknown(id, e);
		goto fail;
	}
	conv = json_object();
	json_object_set_new(conv, "id", col_json_string(st, 0));
	json_object_set_new(conv, "title", col_json_string(st, 1));
	json_object_set_new(conv, "created_at", col_json_string(st, 2));
	json_object_set_new(conv, "updated_at", col_json_string(st, 3));
	sqlite3_reset(st);
	if (conversation_messages(s, id, conv, e) || txn_commit(s, e))
		goto fail;
	*out = conv;
	return 0;
fail:
	txn_rollback(s);
	json_decref(conv);
	return -1;
}

int state_conversation_rename(struct state *s, const char *id, const char *title, struct err *e)
{
	struct strbuf t = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc = -1;
	strbuf_init(&t, 0);
	if (title_check(&t, title, false, e) || !(st = stmt_get(s, ST_CONV_RENAME, e)))
		goto out;
	bind_text(st, 1, id);
	bind_text(st, 2, t.buf);
	if (stmt_finish(s, st, "rename a conversation", e))
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
	sqlite3_stmt *st = stmt_get(s, ST_CONV_DELETE, e);
	if (!st)
		return -1;
	bind_text(st, 1, id);
	if (stmt_finish(s, st, "delete a conversation", e))
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return conversation_unknown(id, e);
	return 0;
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
	if (id_new(id, e))
		return -1;
	text_fold(&title, question);
	text_cut_words(&title, STATE_AUTO_TITLE_CHARS);

	if (txn_begin(s, true, e))
		goto out;
	if (state_conversation_exists(s, conversation_id, &exists, e))
		goto fail;
	if (!exists) {
		conversation_unknown(conversation_id, e);
		goto fail;
	}
	if (!(st = stmt_get(s, ST_MSG_INSERT, e)))
		goto fail;
	bind_text(st, 1, id);
	bind_text(st, 2, conversation_id);
	bind_text(st, 3, question);
	bind_text(st, 4, plan_json);
	capped = answercap_apply(answer_json, ANSWERCAP_MAX); /* NULL: it fits as it is */
	bind_text(st, 5, capped ? capped : answer_json);
	bind_text(st, 6, outcome);
	bind_text(st, 7, intent);
	sqlite3_bind_double(st, 8, elapsed_ms);
	if (stmt_finish(s, st, "add a message", e))
		goto fail;
	if (!(st = stmt_get(s, ST_CONV_TOUCH, e)))
		goto fail;
	bind_text(st, 1, conversation_id);
	bind_text(st, 2, title.len ? title.buf : NULL);
	if (stmt_finish(s, st, "update a conversation", e) || txn_commit(s, e))
		goto fail;
	if (message_id)
		memcpy(message_id, id, STATE_ID_SIZE);
	rc = 0;
	goto out;
fail:
	txn_rollback(s);
out:
	free(capped);
	strbuf_release(&title);
	return rc;
}

int state_last_turn(struct state *s, const char *conversation_id, char **plan_json, char **answer_json,
		    struct err *e)
{
	sqlite3_stmt *st = stmt_get(s, ST_LAST_TURN, e);
	bool exists;
	int row;
	if (plan_json)
		*plan_json = NULL;
	if (answer_json)
		*answer_json = NULL;
	if (!st)
		return -1;
	bind_text(st, 1, conversation_id);
	if ((row = stmt_row(s, st, "read the last message", e)) < 0)
		return -1;
	if (row == 1) {
		if (plan_json)
			*plan_json = col_dup(st, 0);
		if (answer_json)
			*answer_json = col_dup(st, 1);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (state_conversation_exists(s, conversation_id, &exists, e))
		return -1;
	return exists ? 0 : conversation_unknown(conversation_id, e);
}

/* ---- feedback --------------------------------------------------------------- */

int state_feedback_add(struct state *s, const char *message_id, bool helpful, const char *comment,
		       struct err *e)
{
	struct strbuf c = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc = -1;
	strbuf_init(&c, 0);
	text_trim(&c, comment ? comment : "");
	if (c.len > STATE_COMMENT_MAX) {
		err_set_code(e, ERR_USAGE, "a feedback comment is at most %d bytes, this one has %zu",
			     STATE_COMMENT_MAX, c.len);
		goto out;
	}
	if (!(st = stmt_get(s, ST_FEEDBACK_INSERT, e)))
		goto out;
	bind_text(st, 1, message_id);
	sqlite3_bind_int(st, 2, helpful ? 1 : 0);
	bind_text(st, 3, c.len ? c.buf : NULL);
	if (stmt_finish(s, st, "record feedback", e))
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
	sqlite3_stmt *st = stmt_get(s, ST_STATS_COUNTS, e);
	if (!st || stmt_one_row(s, st, "count the messages", e))
		return -1;
	json_object_set_new(out, "messages", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(out, "conversations", json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);

	json_t *by = json_object();
	json_object_set_new(out, "outcomes", by);
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		json_object_set_new(by, outcomes[i], json_integer(0));
	if (!(st = stmt_get(s, ST_STATS_OUTCOMES, e)))
		return -1;
	int row;
	while ((row = stmt_row(s, st, "count the outcomes", e)) == 1)
		json_object_set_new(by, (const char *)sqlite3_column_text(st, 0),
				    json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	if (row < 0)
		return -1;

	if (!(st = stmt_get(s, ST_STATS_FEEDBACK, e)) || stmt_one_row(s, st, "count the feedback", e))
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
	sqlite3_stmt *st = stmt_get(s, ST_STATS_ELAPSED, e);
	double *v = NULL;
	size_t n = 0, alloc = 0;
	int row;
	if (!st)
		return -1;
	while ((row = stmt_row(s, st, "read the response times", e)) == 1) {
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
	sqlite3_stmt *st = stmt_get(s, id, e);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, limit);
	int row;
	while ((row = stmt_row(s, st, what, e)) == 1) {
		json_t *i = json_object();
		json_object_set_new(i, key, col_json_string(st, 0));
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
	sqlite3_stmt *st = stmt_get(s, ST_STATS_SLOWEST, e);
	if (!st)
		return -1;
	int row;
	sqlite3_bind_int(st, 1, STATE_SLOWEST);
	while ((row = stmt_row(s, st, "find the slowest questions", e)) == 1) {
		json_t *m = json_object();
		json_object_set_new(m, "message_id", col_json_string(st, 0));
		json_object_set_new(m, "conversation_id", col_json_string(st, 1));
		json_object_set_new(m, "question", col_json_string(st, 2));
		json_object_set_new(m, "elapsed_ms", json_real(sqlite3_column_double(st, 3)));
		json_object_set_new(m, "created_at", col_json_string(st, 4));
		json_array_append_new(slowest, m);
	}
	sqlite3_reset(st);
	return row < 0 ? -1 : 0;
}

int state_stats(struct state *s, json_t **out, struct err *e)
{
	json_t *stats = json_object();
	*out = NULL;
	if (txn_begin(s, false, e))
		goto fail;
	if (stats_counts(s, stats, e) || stats_latency(s, stats, e) || stats_lists(s, stats, e) ||
	    txn_commit(s, e))
		goto fail;
	*out = stats;
	return 0;
fail:
	txn_rollback(s);
	json_decref(stats);
	return -1;
}

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
	if (name && has_control(name, true))
		return err_set_code(e, ERR_USAGE, "an alias name cannot hold control characters");
	text_fold(sb, name ? name : "");
	for (size_t i = 0; i < sb->len; i++)
		sb->buf[i] = (char)tolower((unsigned char)sb->buf[i]);
	if (!sb->len)
		return err_set_code(e, ERR_USAGE, "an alias name cannot be empty");
	if (sb->len > STATE_ALIAS_NAME_MAX)
		return err_set_code(e, ERR_USAGE, "alias name '%.*s...' is longer than %d bytes",
				    STATE_ALIAS_NAME_MAX, sb->buf, STATE_ALIAS_NAME_MAX);
	if (strchr(sb->buf, ','))
		return err_set_code(e, ERR_USAGE, "alias name '%s' cannot hold a comma", sb->buf);
	if (!utf8_valid(sb->buf))
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
		text_trim(&t, targets[i] ? targets[i] : "");
		if (!t.len) {
			err_set_code(e, ERR_USAGE, "alias '%s': target %d is empty", name, i + 1);
			goto out;
		}
		if (t.len > STATE_ALIAS_TARGET_MAX) {
			err_set_code(e, ERR_USAGE, "alias '%s': target '%.40s...' is longer than %d bytes", name,
				     t.buf, STATE_ALIAS_TARGET_MAX);
			goto out;
		}
		if (has_control(t.buf, false)) {
			err_set_code(e, ERR_USAGE, "alias '%s': target %d holds control characters", name, i + 1);
			goto out;
		}
		if (!utf8_valid(t.buf)) {
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
	if (txn_begin(s, true, e))
		goto out;
	if (!(st = stmt_get(s, ST_ALIAS_UPSERT, e)))
		goto fail;
	bind_text(st, 1, n.buf);
	if (stmt_finish(s, st, "save an alias", e) || !(st = stmt_get(s, ST_ALIAS_CLEAR_TARGETS, e)))
		goto fail;
	bind_text(st, 1, n.buf);
	if (stmt_finish(s, st, "save an alias", e))
		goto fail;
	for (int i = 0; i < nclean; i++) {
		if (!(st = stmt_get(s, ST_ALIAS_ADD_TARGET, e)))
			goto fail;
		bind_text(st, 1, n.buf);
		sqlite3_bind_int(st, 2, i + 1);
		bind_text(st, 3, clean[i]);
		if (stmt_finish(s, st, "save an alias", e))
			goto fail;
	}
	if (txn_commit(s, e))
		goto fail;
	rc = 0;
	goto out;
fail:
	txn_rollback(s);
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
	if (alias_name_check(&n, name, e) || !(st = stmt_get(s, ST_ALIAS_DELETE, e)))
		goto out;
	bind_text(st, 1, n.buf);
	if (stmt_finish(s, st, "remove an alias", e))
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
	while ((row = stmt_row(s, st, "read the aliases", e)) == 1) {
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
		a->targets[a->ntargets++] = col_dup(st, 1);
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
	if (!(st = stmt_get(s, ST_ALIAS_LIST, e)))
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
	if (alias_name_check(&n, name, e) || !(st = stmt_get(s, ST_ALIAS_GET, e)))
		goto out;
	bind_text(st, 1, n.buf);
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
	if (!(st = stmt_get(s, ST_TOKEN_INSERT, e)))
		return -1;
	bind_text(st, 1, name);
	bind_text(st, 2, hash);
	if (stmt_finish(s, st, "save a token", e))
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
	if (!(st = stmt_get(s, ST_TOKEN_LIST, e)))
		return -1;
	while ((row = stmt_row(s, st, "read the tokens", e)) == 1) {
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
	if (state_token_name_check(name, e) || !(st = stmt_get(s, ST_TOKEN_DELETE, e)))
		return -1;
	bind_text(st, 1, name);
	if (stmt_finish(s, st, "revoke a token", e))
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return err_set_code(e, ERR_FAILED, "no token named '%s' (see 'finq token list')", name);
	return 0;
}

int state_token_used(struct state *s, const char *name, struct err *e)
{
	sqlite3_stmt *st = stmt_get(s, ST_TOKEN_USED, e);
	if (!st)
		return -1;
	bind_text(st, 1, name);
	return stmt_finish(s, st, "note a token's use", e);
}

/* ---- access: roles, owners, the audit log ------------------------------------------ */

int state_token_set_role(struct state *s, const char *name, const char *role, struct err *e)
{
	sqlite3_stmt *st = stmt_get(s, ST_TOKEN_ROLE, e);
	if (!st)
		return -1;
	bind_text(st, 1, name);
	bind_text(st, 2, role);
	if (stmt_finish(s, st, "set a token's role", e))
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return err_set_code(e, ERR_FAILED, "no token named '%s' (see 'finq token list')", name);
	return 0;
}

/* The owner of the row that statement which finds for key, "" for none. */
static int owner_of(struct state *s, enum stmt which, const char *key, char owner[STATE_OWNER_SIZE], bool *exists,
		    struct err *e)
{
	sqlite3_stmt *st = stmt_get(s, which, e);
	*exists = false;
	owner[0] = '\0';
	if (!st)
		return -1;
	bind_text(st, 1, key);
	int row = stmt_row(s, st, "look up an owner", e);
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
	sqlite3_stmt *st = stmt_get(s, ST_CONV_SET_OWNER, e);
	if (!st)
		return -1;
	bind_text(st, 1, id);
	bind_text(st, 2, owner && *owner ? owner : NULL);
	return stmt_finish(s, st, "set a conversation's owner", e);
}

int state_audit_add(struct state *s, const struct state_audit *a, struct err *e)
{
	sqlite3_stmt *st = stmt_get(s, ST_AUDIT_INSERT, e);
	if (!st)
		return -1;
	bind_text(st, 1, a->actor && *a->actor ? a->actor : "local");
	bind_text(st, 2, a->client);
	bind_text(st, 3, a->action);
	bind_text(st, 4, a->object);
	bind_text(st, 5, a->detail);
	return stmt_finish(s, st, "write the audit log", e);
}

int state_audit_list(struct state *s, int limit, json_t **out, struct err *e)
{
	static const char *const names[] = { "at", "actor", "client", "action", "object", "detail" };
	sqlite3_stmt *st = stmt_get(s, ST_AUDIT_LIST, e);
	json_t *list = json_array();
	int row = -1;
	*out = NULL;
	if (st) {
		sqlite3_bind_int(st, 1, limit);
		while ((row = stmt_row(s, st, "read the audit log", e)) == 1) {
			json_t *o = json_object();
			for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
				json_object_set_new(o, names[i], col_json_string(st, i));
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
