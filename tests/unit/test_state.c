/*
 * test_state: the SQLite state file against real files in a private temp
 * folder: the path next to the DuckDB file, the schema and PRAGMAs, ids,
 * conversations (create, list, get, rename, delete with cascade), messages
 * in order and the title taken from the first question, the last turn
 * across close and reopen, four threads with a handle each writing to one
 * conversation, feedback, expiry after a number of days from the last
 * change (with controlled times), the numbers of state_stats() for
 * known inputs, aliases and their validation, and files that cannot be
 * used (garbage, a folder, a read-only folder or file, a newer schema),
 * whose messages must name the path.
 */
#include "unit.h"

#include "state.h"

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct fixture {
	char root[256];
	char path[320]; /* root/finq.state.sqlite */
	struct state *s;
};

static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	struct err e = { 0 };
	snprintf(f->root, sizeof(f->root), "%s/finq-state-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->root)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/finq.state.sqlite", f->root);
	if (state_open(&f->s, f->path, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[1024];
	state_close(f->s);
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' && rm -rf '%s'", f->root, f->root);
	int rc = system(cmd);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* One integer from a query on the file, through a connection of our own. */
static long long raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static double jnum(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_true(json_is_number(v));
	return json_number_value(v);
}

static void add_msg(struct state *s, const char *conv, const char *q, const char *outcome,
		    const char *intent, double ms, char id[STATE_ID_SIZE])
{
	struct err e = { 0 };
	if (state_message_add(s, conv, q, "{\"intent\":\"total\"}", "{\"message\":\"ok\"}", outcome, intent,
			      ms, id, &e))
		fail_msg("state_message_add: %s", e.msg);
}

/* ---- path -------------------------------------------------------------------- */

static void test_path_for(void **state)
{
	(void)state;
	static const struct {
		const char *db, *want;
	} cases[] = {
		{ "x/finq.duckdb", "x/finq.state.sqlite" },
		{ "finq.duckdb", "finq.state.sqlite" },
		{ "/data/costs.duckdb", "/data/costs.state.sqlite" },
		{ "/data/costs.db", "/data/costs.db.state.sqlite" },
		{ "costs", "costs.state.sqlite" },
		{ "x.duckdb.bak", "x.duckdb.bak.state.sqlite" },
		{ "dir/.duckdb", "dir/.duckdb.state.sqlite" },
	};
	unsetenv("FINQ_STATE");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = state_path_for(cases[i].db);
		assert_string_equal(p, cases[i].want);
		free(p);
	}
	setenv("FINQ_STATE", "/elsewhere/my.sqlite", 1);
	char *p = state_path_for("x/finq.duckdb");
	assert_string_equal(p, "/elsewhere/my.sqlite");
	free(p);
	setenv("FINQ_STATE", "", 1); /* empty: not set */
	p = state_path_for("x/finq.duckdb");
	assert_string_equal(p, "x/finq.state.sqlite");
	free(p);
	unsetenv("FINQ_STATE");
}

/* ---- schema -------------------------------------------------------------------- */

static void test_schema_and_pragmas(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 3);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
					  " ('conversations', 'messages', 'feedback', 'aliases', 'alias_targets')"),
			 5);
	/* Reopening an up-to-date file changes nothing and keeps the data. */
	char id[STATE_ID_SIZE];
	assert_int_equal(state_conversation_create(f->s, "kept", id, &e), 0);
	state_close(f->s);
	f->s = NULL;
	assert_int_equal(state_open(&f->s, f->path, &e), 0);
	/* A second handle on the same file, as another thread would hold. */
	struct state *other = NULL;
	bool exists = false;
	assert_int_equal(state_open(&other, f->path, &e), 0);
	assert_int_equal(state_conversation_exists(other, id, &exists, &e), 0);
	assert_true(exists);
	char id2[STATE_ID_SIZE];
	assert_int_equal(state_conversation_create(other, NULL, id2, &e), 0);
	state_close(other);
	assert_int_equal(state_conversation_exists(f->s, id2, &exists, &e), 0);
	assert_true(exists);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 3);
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	struct state *s = (struct state *)&e; /* must come back NULL */
	state_close(f->s);
	f->s = NULL;
	raw_exec(f->path, "PRAGMA user_version = 99");
	assert_int_equal(state_open(&s, f->path, &e), -1);
	assert_null(s);
	assert_contains(e.msg, f->path);
	assert_contains(e.msg, "schema version 99, newer than this finq knows (3)");
	assert_int_equal(e.code, ERR_DATABASE);
}

/* A version-1 file (before API tokens) is brought up to version 2 and keeps
 * its data. */
static void test_upgrade_adds_tokens(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char id[STATE_ID_SIZE];
	struct state_tokens list = { 0 };
	assert_int_equal(state_conversation_create(f->s, "from v1", id, &e), 0);
	state_close(f->s);
	f->s = NULL;
	raw_exec(f->path, "DROP TABLE api_tokens; DROP TABLE audit_log; ALTER TABLE conversations DROP COLUMN owner;"
			  " PRAGMA user_version = 1");
	assert_int_equal(state_open(&f->s, f->path, &e), 0);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 3);
	bool exists = false;
	assert_int_equal(state_conversation_exists(f->s, id, &exists, &e), 0);
	assert_true(exists);
	assert_int_equal(state_token_list(f->s, &list, &e), 0);
	assert_int_equal(list.n, 0);
}

/* A version-2 file (tokens, no roles): its tokens become admin, as they
 * were; its conversations have no owner; the audit log starts empty. */
static void test_upgrade_roles(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char id[STATE_ID_SIZE], owner[STATE_OWNER_SIZE];
	bool exists = false;
	struct state_tokens list = { 0 };
	json_t *audit = NULL;
	assert_int_equal(state_conversation_create(f->s, "from v2", id, &e), 0);
	assert_int_equal(state_token_add(f->s, "old", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
					 &e), 0);
	state_close(f->s);
	f->s = NULL;
	raw_exec(f->path, "ALTER TABLE api_tokens DROP COLUMN role; DROP TABLE audit_log;"
			  " ALTER TABLE conversations DROP COLUMN owner; PRAGMA user_version = 2");
	assert_int_equal(state_open(&f->s, f->path, &e), 0);
	assert_int_equal(state_token_list(f->s, &list, &e), 0);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.items[0].role, "admin");
	state_tokens_release(&list);
	assert_int_equal(state_conversation_owner(f->s, id, owner, &exists, &e), 0);
	assert_true(exists);
	assert_string_equal(owner, "");
	assert_int_equal(state_token_set_role(f->s, "old", "read", &e), 0);
	assert_int_equal(state_token_set_role(f->s, "old", "root", &e), -1); /* the CHECK */
	assert_int_equal(state_token_set_role(f->s, "nobody", "read", &e), -1);
	assert_int_equal(state_conversation_set_owner(f->s, id, "old", &e), 0);
	assert_int_equal(state_conversation_owner(f->s, id, owner, &exists, &e), 0);
	assert_string_equal(owner, "old");
	struct state_audit a = { "old", "127.0.0.1", "conversation.rename", id, "x" };
	assert_int_equal(state_audit_add(f->s, &a, &e), 0);
	assert_int_equal(state_audit_list(f->s, 10, &audit, &e), 0);
	assert_int_equal(json_array_size(audit), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(audit, 0), "action")), "conversation.rename");
	json_decref(audit);
}

static void test_tokens(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	struct state_tokens list = { 0 };
	const char *h1 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	const char *h2 = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
	assert_int_equal(state_token_add(f->s, "ci", h1, &e), 0);
	assert_int_equal(state_token_add(f->s, "alpha", h2, &e), 0);
	assert_int_equal(state_token_add(f->s, "ci", h2, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	assert_contains(e.msg, "a token named 'ci' exists already");
	assert_int_equal(state_token_add(f->s, "bad name", h1, &e), -1);
	assert_int_equal(state_token_add(f->s, "x", "ABCDEF", &e), -1);
	assert_contains(e.msg, "64 lowercase hex digits");
	assert_int_equal(state_token_list(f->s, &list, &e), 0);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.items[0].name, "alpha");
	assert_string_equal(list.items[1].name, "ci");
	assert_string_equal(list.items[1].hash, h1);
	assert_string_equal(list.items[1].last_used_at, "");
	assert_int_equal(strlen(list.items[1].created_at), 24);
	assert_int_equal(state_token_used(f->s, "ci", &e), 0);
	assert_int_equal(state_token_used(f->s, "nobody", &e), 0);
	assert_int_equal(state_token_list(f->s, &list, &e), 0);
	assert_int_equal(strlen(list.items[1].last_used_at), 24);
	assert_string_equal(list.items[0].last_used_at, "");
	assert_int_equal(state_token_revoke(f->s, "ci", &e), 0);
	assert_int_equal(state_token_revoke(f->s, "ci", &e), -1);
	assert_int_equal(e.code, ERR_FAILED);
	assert_contains(e.msg, "no token named 'ci'");
	assert_int_equal(state_token_list(f->s, &list, &e), 0);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.items[0].name, "alpha");
	state_tokens_release(&list);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM api_tokens WHERE hash = '" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'"), 0);
}

/* ---- conversations ------------------------------------------------------------- */

static bool is_hex_id(const char *id)
{
	if (strlen(id) != STATE_ID_SIZE - 1)
		return false;
	for (const char *p = id; *p; p++)
		if (!strchr("0123456789abcdef", *p))
			return false;
	return true;
}

static void test_conversations(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char a[STATE_ID_SIZE], b[STATE_ID_SIZE];
	bool exists = true;
	json_t *list = NULL, *conv = NULL;

	assert_int_equal(state_conversation_list(f->s, &list, &e), 0);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);

	assert_int_equal(state_conversation_create(f->s, "  EC2   spend\n", a, &e), 0);
	assert_int_equal(state_conversation_create(f->s, NULL, b, &e), 0);
	assert_true(is_hex_id(a));
	assert_true(is_hex_id(b));
	assert_string_not_equal(a, b);

	assert_int_equal(state_conversation_exists(f->s, a, &exists, &e), 0);
	assert_true(exists);
	assert_int_equal(state_conversation_exists(f->s, "0123456789abcdef0123456789abcdef", &exists, &e), 0);
	assert_false(exists);

	/* Newest activity first: b, then a. */
	assert_int_equal(state_conversation_list(f->s, &list, &e), 0);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(jstr(json_array_get(list, 0), "id"), b);
	assert_true(json_is_null(json_object_get(json_array_get(list, 0), "title")));
	assert_string_equal(jstr(json_array_get(list, 1), "id"), a);
	assert_string_equal(jstr(json_array_get(list, 1), "title"), "EC2 spend"); /* folded */
	assert_int_equal(jint(json_array_get(list, 1), "messages"), 0);
	const char *created = jstr(json_array_get(list, 1), "created_at");
	assert_non_null(created);
	assert_int_equal(strlen(created), strlen("2025-11-30T12:00:00.123Z"));
	assert_int_equal(created[10], 'T');
	assert_int_equal(created[23], 'Z');
	json_decref(list);

	/* A message moves a to the top. */
	add_msg(f->s, a, "total cost last month", "answered", "total", 5, NULL);
	assert_int_equal(state_conversation_list(f->s, &list, &e), 0);
	assert_string_equal(jstr(json_array_get(list, 0), "id"), a);
	assert_int_equal(jint(json_array_get(list, 0), "messages"), 1);
	assert_string_equal(jstr(json_array_get(list, 0), "title"), "EC2 spend"); /* kept */
	json_decref(list);

	assert_int_equal(state_conversation_rename(f->s, a, "  Compute review ", &e), 0);
	assert_int_equal(state_conversation_get(f->s, a, &conv, &e), 0);
	assert_string_equal(jstr(conv, "title"), "Compute review");
	assert_string_equal(jstr(conv, "id"), a);
	assert_non_null(jstr(conv, "updated_at"));
	json_decref(conv);

	assert_int_equal(state_conversation_rename(f->s, a, " \t ", &e), -1);
	assert_string_equal(e.msg, "a conversation title cannot be empty");
	assert_int_equal(e.code, ERR_USAGE);
	char longt[STATE_TITLE_MAX + 2];
	memset(longt, 'x', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = '\0';
	assert_int_equal(state_conversation_rename(f->s, a, longt, &e), -1);
	assert_string_equal(e.msg, "a conversation title is at most 200 bytes, this one has 201");
	assert_int_equal(state_conversation_create(f->s, longt, b, &e), -1);
	assert_int_equal(state_conversation_rename(f->s, "nope", "x", &e), -1);
	assert_string_equal(e.msg, "unknown conversation 'nope'");
	assert_int_equal(e.code, ERR_FAILED);
	assert_int_equal(state_conversation_get(f->s, "nope", &conv, &e), -1);
	assert_null(conv);
	assert_string_equal(e.msg, "unknown conversation 'nope'");

	assert_int_equal(state_conversation_delete(f->s, b, &e), 0);
	assert_int_equal(state_conversation_exists(f->s, b, &exists, &e), 0);
	assert_false(exists);
	assert_int_equal(state_conversation_delete(f->s, b, &e), -1);
	char want[128];
	snprintf(want, sizeof(want), "unknown conversation '%s'", b);
	assert_string_equal(e.msg, want);
	assert_int_equal(state_conversation_list(f->s, &list, &e), 0);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
}

/* ---- messages ------------------------------------------------------------------ */

static void test_messages_in_order(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char c[STATE_ID_SIZE], m1[STATE_ID_SIZE], m2[STATE_ID_SIZE], m3[STATE_ID_SIZE];
	json_t *conv = NULL;

	assert_int_equal(state_conversation_create(f->s, NULL, c, &e), 0);
	assert_int_equal(state_message_add(f->s, c, "top 5 services last month",
					   "{\"intent\":\"breakdown\",\"limit\":5}",
					   "{\"message\":\"EC2 leads\",\"rows\":[[\"AmazonEC2\",12.5]]}", "answered",
					   "breakdown", 12.5, m1, &e),
			 0);
	assert_int_equal(state_message_add(f->s, c, "break it down by region", "{\"intent\":\"breakdown\"}",
					   NULL, "clarified", NULL, 3, m2, &e),
			 0);
	assert_int_equal(state_message_add(f->s, c, "what is the weather", NULL, NULL, "refused", "refuse", 0,
					   m3, &e),
			 0);
	assert_true(is_hex_id(m1));
	assert_string_not_equal(m1, m2);

	assert_int_equal(state_conversation_get(f->s, c, &conv, &e), 0);
	/* The first question titled the conversation; later ones did not. */
	assert_string_equal(jstr(conv, "title"), "top 5 services last month");
	json_t *msgs = json_object_get(conv, "messages");
	assert_int_equal(json_array_size(msgs), 3);
	json_t *x = json_array_get(msgs, 0);
	assert_string_equal(jstr(x, "id"), m1);
	assert_string_equal(jstr(x, "question"), "top 5 services last month");
	assert_string_equal(jstr(x, "outcome"), "answered");
	assert_string_equal(jstr(x, "intent"), "breakdown");
	assert_close(jnum(x, "elapsed_ms"), 12.5, 1e-9);
	assert_non_null(jstr(x, "created_at"));
	json_t *plan = json_object_get(x, "plan");
	assert_true(json_is_object(plan)); /* parsed, not a string */
	assert_string_equal(jstr(plan, "intent"), "breakdown");
	assert_int_equal(jint(plan, "limit"), 5);
	json_t *answer = json_object_get(x, "answer");
	assert_string_equal(jstr(answer, "message"), "EC2 leads");
	assert_close(json_number_value(json_array_get(json_array_get(json_object_get(answer, "rows"), 0), 1)),
		     12.5, 1e-9);
	x = json_array_get(msgs, 1);
	assert_string_equal(jstr(x, "id"), m2);
	assert_string_equal(jstr(x, "question"), "break it down by region");
	assert_string_equal(jstr(x, "outcome"), "clarified");
	assert_true(json_is_null(json_object_get(x, "intent")));
	assert_true(json_is_null(json_object_get(x, "answer")));
	x = json_array_get(msgs, 2);
	assert_string_equal(jstr(x, "id"), m3);
	assert_string_equal(jstr(x, "outcome"), "refused");
	assert_true(json_is_null(json_object_get(x, "plan")));
	assert_close(jnum(x, "elapsed_ms"), 0, 0);
	json_decref(conv);
}

static void test_message_title_cut(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char c[STATE_ID_SIZE];
	json_t *conv = NULL;
	/* 100 characters; the 80th falls inside "comparison". */
	const char *q = "how much did we spend on elastic compute cloud instances in eu-west-1 during the "
			"comparison window ok";
	assert_int_equal(state_conversation_create(f->s, NULL, c, &e), 0);
	add_msg(f->s, c, q, "answered", "total", 1, NULL);
	assert_int_equal(state_conversation_get(f->s, c, &conv, &e), 0);
	assert_string_equal(jstr(conv, "title"),
			    "how much did we spend on elastic compute cloud instances in eu-west-1 during the");
	assert_true(strlen(jstr(conv, "title")) <= STATE_AUTO_TITLE_CHARS);
	json_decref(conv);

	/* One long word: cut at 80 characters, counted in UTF-8 code points. */
	char word[300] = "";
	for (int i = 0; i < 90; i++)
		strcat(word, "\xc3\xa9"); /* é */
	assert_int_equal(state_conversation_create(f->s, NULL, c, &e), 0);
	add_msg(f->s, c, word, "answered", NULL, 1, NULL);
	assert_int_equal(state_conversation_get(f->s, c, &conv, &e), 0);
	assert_int_equal(strlen(jstr(conv, "title")), 160);
	assert_int_equal(strncmp(jstr(conv, "title"), word, 160), 0);
	json_decref(conv);

	/* Whitespace and newlines fold; an exact fit is kept whole. */
	assert_int_equal(state_conversation_create(f->s, NULL, c, &e), 0);
	add_msg(f->s, c, "  cost\n\tby   account  ", "answered", NULL, 1, NULL);
	assert_int_equal(state_conversation_get(f->s, c, &conv, &e), 0);
	assert_string_equal(jstr(conv, "title"), "cost by account");
	/* The question itself is stored as asked. */
	assert_string_equal(jstr(json_array_get(json_object_get(conv, "messages"), 0), "question"),
			    "  cost\n\tby   account  ");
	json_decref(conv);
}

static void test_message_validation(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char c[STATE_ID_SIZE], m[STATE_ID_SIZE];
	json_t *conv = NULL;
	assert_int_equal(state_conversation_create(f->s, NULL, c, &e), 0);

	assert_int_equal(state_message_add(f->s, c, "q", NULL, NULL, "great", NULL, 1, m, &e), -1);
	assert_string_equal(e.msg, "unknown outcome 'great' (answered, clarified, refused or failed)");
	assert_int_equal(e.code, ERR_USAGE);
	assert_int_equal(state_message_add(f->s, c, "q", "{\"a\":", NULL, "answered", NULL, 1, m, &e), -1);
	assert_contains(e.msg, "the plan is not valid JSON");
	assert_int_equal(state_message_add(f->s, c, "q", NULL, "nope", "answered", NULL, 1, m, &e), -1);
	assert_contains(e.msg, "the answer is not valid JSON");
	assert_int_equal(state_message_add(f->s, c, "q", NULL, NULL, "answered", NULL, -1, m, &e), -1);
	assert_string_equal(e.msg, "elapsed time -1 ms is not a duration");
	assert_int_equal(state_message_add(f->s, c, "q", NULL, NULL, "answered", NULL, NAN, m, &e), -1);
	assert_int_equal(state_message_add(f->s, c, "", NULL, NULL, "answered", NULL, 1, m, &e), -1);
	assert_string_equal(e.msg, "a message needs a question");
	assert_int_equal(state_message_add(f->s, "nope", "q", NULL, NULL, "answered", NULL, 1, m, &e), -1);
	assert_string_equal(e.msg, "unknown conversation 'nope'");
	assert_int_equal(e.code, ERR_FAILED);
	/* A quote in the question is data, not SQL. */
	assert_int_equal(state_message_add(f->s, c, "it's'); DROP TABLE messages; --", "\"x\"", "[1,2]",
					   "failed", "x'y", 2, m, &e),
			 0);
	/* A question that is not UTF-8 is kept; its JSON shows '?' for the bad bytes. */
	char c2[STATE_ID_SIZE];
	assert_int_equal(state_conversation_create(f->s, NULL, c2, &e), 0);
	assert_int_equal(state_message_add(f->s, c2, "caf\xe9 costs", NULL, NULL, "answered", NULL, 1, m, &e), 0);
	assert_int_equal(state_conversation_get(f->s, c2, &conv, &e), 0);
	assert_string_equal(jstr(json_array_get(json_object_get(conv, "messages"), 0), "question"), "caf? costs");
	assert_string_equal(jstr(conv, "title"), "caf? costs");
	json_decref(conv);
	assert_int_equal(state_conversation_rename(f->s, c2, "caf\xe9", &e), -1);
	assert_string_equal(e.msg, "a conversation title must be UTF-8");
	/* Nothing invalid was written, the rest was. */
	assert_int_equal(state_conversation_get(f->s, c, &conv, &e), 0);
	json_t *msgs = json_object_get(conv, "messages");
	assert_int_equal(json_array_size(msgs), 1);
	assert_string_equal(jstr(json_array_get(msgs, 0), "question"), "it's'); DROP TABLE messages; --");
	assert_string_equal(json_string_value(json_object_get(json_array_get(msgs, 0), "plan")), "x");
	assert_int_equal(json_array_size(json_object_get(json_array_get(msgs, 0), "answer")), 2);
	assert_string_equal(jstr(json_array_get(msgs, 0), "intent"), "x'y");
	json_decref(conv);
}

static void test_last_turn_persists(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char c[STATE_ID_SIZE], empty[STATE_ID_SIZE];
	char *plan = (char *)"sentinel", *answer = (char *)"sentinel";

	assert_int_equal(state_conversation_create(f->s, NULL, c, &e), 0);
	assert_int_equal(state_conversation_create(f->s, "empty", empty, &e), 0);
	assert_int_equal(state_message_add(f->s, c, "cost by service", "{\"n\":1}", "{\"a\":1}", "answered",
					   "breakdown", 4, NULL, &e),
			 0);
	assert_int_equal(state_message_add(f->s, c, "now by region", "{\"n\":2}", "{\"a\":2}", "answered",
					   "breakdown", 4, NULL, &e),
			 0);
	/* As a new process would: close, reopen, continue. */
	state_close(f->s);
	f->s = NULL;
	assert_int_equal(state_open(&f->s, f->path, &e), 0);
	assert_int_equal(state_last_turn(f->s, c, &plan, &answer, &e), 0);
	assert_string_equal(plan, "{\"n\":2}");
	assert_string_equal(answer, "{\"a\":2}");
	free(plan);
	free(answer);
	/* Only the plan. */
	assert_int_equal(state_last_turn(f->s, c, &plan, NULL, &e), 0);
	assert_string_equal(plan, "{\"n\":2}");
	free(plan);

	plan = answer = (char *)"sentinel";
	assert_int_equal(state_last_turn(f->s, empty, &plan, &answer, &e), 0);
	assert_null(plan);
	assert_null(answer);

	assert_int_equal(state_last_turn(f->s, "nope", &plan, &answer, &e), -1);
	assert_string_equal(e.msg, "unknown conversation 'nope'");
	assert_null(plan);
	assert_null(answer);
}

/* One handle per thread, as the HTTP workers will hold them. */
struct worker {
	const char *path;
	const char *conv;
	int failures;
	char msg[ERR_MSG_MAX];
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct err e = { 0 };
	struct state *s = NULL;
	if (state_open(&s, w->path, &e)) {
		w->failures++;
		snprintf(w->msg, sizeof(w->msg), "%s", e.msg);
		return NULL;
	}
	for (int i = 0; i < 25; i++)
		if (state_message_add(s, w->conv, "q", "{}", "{}", "answered", "total", i, NULL, &e)) {
			w->failures++;
			snprintf(w->msg, sizeof(w->msg), "%s", e.msg);
		}
	state_close(s);
	return NULL;
}

static void test_threads(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char c[STATE_ID_SIZE];
	pthread_t th[4];
	struct worker w[4];
	assert_int_equal(state_conversation_create(f->s, NULL, c, &e), 0);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .path = f->path, .conv = c };
		assert_int_equal(pthread_create(&th[i], NULL, worker_run, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		if (w[i].failures)
			fail_msg("worker %d: %d failures, last: %s", i, w[i].failures, w[i].msg);
	}
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM messages"), 100);
	/* seq numbers 1..100, none lost or repeated */
	assert_int_equal(raw_int(f->path, "SELECT count(DISTINCT seq) FROM messages WHERE seq BETWEEN 1 AND 100"), 100);
}

/* ---- feedback and deletion --------------------------------------------------------- */

static void test_feedback_and_cascade(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char c[STATE_ID_SIZE], m[STATE_ID_SIZE];
	assert_int_equal(state_conversation_create(f->s, NULL, c, &e), 0);
	add_msg(f->s, c, "q1", "answered", "total", 1, m);
	assert_int_equal(state_feedback_add(f->s, m, true, NULL, &e), 0);
	assert_int_equal(state_feedback_add(f->s, m, false, "  wrong month  ", &e), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM feedback"), 2);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM feedback WHERE comment = 'wrong month'"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM feedback WHERE comment IS NULL AND helpful = 1"), 1);

	assert_int_equal(state_feedback_add(f->s, "0123456789abcdef0123456789abcdef", true, NULL, &e), -1);
	assert_string_equal(e.msg, "unknown message '0123456789abcdef0123456789abcdef'");
	assert_int_equal(e.code, ERR_FAILED);
	char big[STATE_COMMENT_MAX + 2];
	memset(big, 'c', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(state_feedback_add(f->s, m, true, big, &e), -1);
	assert_string_equal(e.msg, "a feedback comment is at most 4000 bytes, this one has 4001");
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM feedback"), 2);

	/* Deleting the conversation takes its messages and their feedback. */
	assert_int_equal(state_conversation_delete(f->s, c, &e), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM messages"), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM feedback"), 0);
	assert_int_equal(state_feedback_add(f->s, m, true, NULL, &e), -1);
}

/* ---- expiry ---------------------------------------------------------------------- */

static void test_expiry(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char old[STATE_ID_SIZE], recent[STATE_ID_SIZE], fresh[STATE_ID_SIZE], m[STATE_ID_SIZE];
	char sql[256];
	int deleted = -1;
	time_t now = time(NULL);
	assert_int_equal(state_conversation_create(f->s, "old", old, &e), 0);
	add_msg(f->s, old, "q1", "answered", "total", 1, m);
	assert_int_equal(state_feedback_add(f->s, m, true, NULL, &e), 0);
	assert_int_equal(state_conversation_create(f->s, "recent", recent, &e), 0);
	assert_int_equal(state_conversation_create(f->s, "fresh", fresh, &e), 0);
	/* last changed 100 and 80 days ago; made long ago but asked in today */
	snprintf(sql, sizeof(sql), "UPDATE conversations SET updated_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', "
		 "'now', '-100 days') WHERE id = '%s'", old);
	raw_exec(f->path, sql);
	snprintf(sql, sizeof(sql), "UPDATE conversations SET updated_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', "
		 "'now', '-80 days') WHERE id = '%s'", recent);
	raw_exec(f->path, sql);
	snprintf(sql, sizeof(sql), "UPDATE conversations SET created_at = '2001-01-01T00:00:00.000Z' WHERE id = '%s'",
		 fresh);
	raw_exec(f->path, sql);

	assert_int_equal(state_conversations_expire(f->s, now, 0, "cli", &deleted, &e), 0);
	assert_int_equal(deleted, 0); /* 0 days: nothing expires */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM conversations"), 3);
	assert_int_equal(state_conversations_expire(f->s, now, 90, "cli", &deleted, &e), 0);
	assert_int_equal(deleted, 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM conversations"), 2);
	bool exists = true;
	assert_int_equal(state_conversation_exists(f->s, old, &exists, &e), 0);
	assert_false(exists);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM messages"), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM feedback"), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit_log WHERE action = 'conversation.expire'"
				 " AND actor = 'cli' AND detail LIKE '1 conversation last changed before %(kept 90 days)'"),
			 1);
	/* again: nothing more to do, and no line for it */
	assert_int_equal(state_conversations_expire(f->s, now, 90, "cli", &deleted, &e), 0);
	assert_int_equal(deleted, 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit_log"), 1);
	/* ten days on, the 80-day one is past 90 too; the fresh one is not */
	assert_int_equal(state_conversations_expire(f->s, now + 10 * 86400 + 60, 90, "", &deleted, &e), 0);
	assert_int_equal(deleted, 1);
	assert_int_equal(state_conversation_exists(f->s, fresh, &exists, &e), 0);
	assert_true(exists);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit_log WHERE actor = 'local'"
				 " AND detail LIKE '1 conversation %'"), 1);

	setenv("FINQ_CONVERSATION_TTL", "7", 1);
	assert_int_equal(state_conversation_ttl_default(), 7);
	setenv("FINQ_CONVERSATION_TTL", "0", 1);
	assert_int_equal(state_conversation_ttl_default(), 0);
	setenv("FINQ_CONVERSATION_TTL", "soon", 1);
	assert_int_equal(state_conversation_ttl_default(), -1);
	setenv("FINQ_CONVERSATION_TTL", "-3", 1);
	assert_int_equal(state_conversation_ttl_default(), -1);
	unsetenv("FINQ_CONVERSATION_TTL");
	assert_int_equal(state_conversation_ttl_default(), STATE_CONVERSATION_TTL_DAYS);
}

/* ---- stats ---------------------------------------------------------------------- */

static void test_stats_empty(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	json_t *st = NULL;
	assert_int_equal(state_stats(f->s, &st, &e), 0);
	assert_int_equal(jint(st, "messages"), 0);
	assert_int_equal(jint(st, "conversations"), 0);
	assert_int_equal(jint(json_object_get(st, "outcomes"), "answered"), 0);
	assert_int_equal(jint(json_object_get(st, "outcomes"), "failed"), 0);
	assert_true(json_is_null(json_object_get(st, "latency_ms")));
	assert_int_equal(json_array_size(json_object_get(st, "top_intents")), 0);
	assert_int_equal(json_array_size(json_object_get(st, "slowest")), 0);
	assert_int_equal(jint(json_object_get(st, "feedback"), "helpful"), 0);
	assert_int_equal(jint(json_object_get(st, "feedback"), "not_helpful"), 0);
	json_decref(st);
}

/* Services named by the stored plans' "in" filters, most asked first;
 * exclusions and other columns do not count. */
static void test_stats_services(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char c[STATE_ID_SIZE], m[STATE_ID_SIZE];
	json_t *st = NULL;
	static const char *const plans[] = {
		"{\"filters\":[{\"dimension\":\"service\",\"op\":\"in\",\"values\":[\"AmazonEC2\",\"AmazonS3\"]}]}",
		"{\"filters\":[{\"dimension\":\"service\",\"op\":\"in\",\"values\":[\"AmazonEC2\"]}]}",
		"{\"filters\":[{\"dimension\":\"service\",\"op\":\"not_in\",\"values\":[\"AmazonRDS\"]},"
		"{\"dimension\":\"region\",\"op\":\"in\",\"values\":[\"us-east-1\"]}]}",
		"{\"filters\":[]}",
	};
	assert_int_equal(state_conversation_create(f->s, NULL, c, &e), 0);
	for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++)
		assert_int_equal(state_message_add(f->s, c, "q", plans[i], NULL, "answered", "total", 1.0, m, &e), 0);
	assert_int_equal(state_stats(f->s, &st, &e), 0);
	json_t *ts = json_object_get(st, "top_services");
	assert_int_equal(json_array_size(ts), 2);
	assert_string_equal(jstr(json_array_get(ts, 0), "service"), "AmazonEC2");
	assert_int_equal(jint(json_array_get(ts, 0), "count"), 2);
	assert_string_equal(jstr(json_array_get(ts, 1), "service"), "AmazonS3");
	assert_int_equal(jint(json_array_get(ts, 1), "count"), 1);
	json_decref(st);
}

static void test_stats_numbers(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char c1[STATE_ID_SIZE], c2[STATE_ID_SIZE], m[4][STATE_ID_SIZE];
	json_t *st = NULL;
	assert_int_equal(state_conversation_create(f->s, NULL, c1, &e), 0);
	assert_int_equal(state_conversation_create(f->s, NULL, c2, &e), 0);
	/* Added out of order on purpose. */
	add_msg(f->s, c1, "q30", "answered", "breakdown", 30, m[2]);
	add_msg(f->s, c1, "q10", "answered", "breakdown", 10, m[0]);
	add_msg(f->s, c2, "q40", "clarified", "total", 40, m[3]);
	add_msg(f->s, c2, "q20", "refused", NULL, 20, m[1]);
	assert_int_equal(state_feedback_add(f->s, m[0], true, NULL, &e), 0);
	assert_int_equal(state_feedback_add(f->s, m[1], true, NULL, &e), 0);
	assert_int_equal(state_feedback_add(f->s, m[3], false, "no", &e), 0);

	assert_int_equal(state_stats(f->s, &st, &e), 0);
	assert_int_equal(jint(st, "messages"), 4);
	assert_int_equal(jint(st, "conversations"), 2);
	json_t *o = json_object_get(st, "outcomes");
	assert_int_equal(json_object_size(o), 4);
	assert_int_equal(jint(o, "answered"), 2);
	assert_int_equal(jint(o, "clarified"), 1);
	assert_int_equal(jint(o, "refused"), 1);
	assert_int_equal(jint(o, "failed"), 0);
	/* Linear interpolation between closest ranks, rank = p/100 * (n - 1). */
	json_t *lat = json_object_get(st, "latency_ms");
	assert_close(jnum(lat, "p50"), 25.0, 1e-9);
	assert_close(jnum(lat, "p90"), 37.0, 1e-9);
	assert_close(jnum(lat, "p99"), 39.7, 1e-9);
	assert_close(jnum(lat, "max"), 40.0, 1e-9);
	json_t *ti = json_object_get(st, "top_intents");
	assert_int_equal(json_array_size(ti), 2); /* NULL intents are not counted */
	assert_string_equal(jstr(json_array_get(ti, 0), "intent"), "breakdown");
	assert_int_equal(jint(json_array_get(ti, 0), "count"), 2);
	assert_string_equal(jstr(json_array_get(ti, 1), "intent"), "total");
	assert_int_equal(jint(json_array_get(ti, 1), "count"), 1);
	json_t *slow = json_object_get(st, "slowest");
	assert_int_equal(json_array_size(slow), 4);
	static const char *const order[] = { "q40", "q30", "q20", "q10" };
	static const int order_m[] = { 3, 2, 1, 0 };
	for (int i = 0; i < 4; i++) {
		assert_string_equal(jstr(json_array_get(slow, (size_t)i), "question"), order[i]);
		assert_string_equal(jstr(json_array_get(slow, (size_t)i), "message_id"), m[order_m[i]]);
	}
	assert_string_equal(jstr(json_array_get(slow, 0), "conversation_id"), c2);
	assert_close(jnum(json_array_get(slow, 0), "elapsed_ms"), 40, 0);
	assert_int_equal(jint(json_object_get(st, "feedback"), "helpful"), 2);
	assert_int_equal(jint(json_object_get(st, "feedback"), "not_helpful"), 1);
	json_decref(st);

	/* Six more: only the 5 slowest are listed; one value: every percentile is it. */
	for (int i = 0; i < 6; i++)
		add_msg(f->s, c1, "fast", "failed", "trend", 1, NULL);
	assert_int_equal(state_stats(f->s, &st, &e), 0);
	assert_int_equal(json_array_size(json_object_get(st, "slowest")), 5);
	assert_string_equal(jstr(json_array_get(json_object_get(st, "slowest"), 4), "question"), "fast");
	assert_int_equal(jint(json_object_get(st, "outcomes"), "failed"), 6);
	/* 10 values 1,1,1,1,1,1,10,20,30,40: p50 rank 4.5 -> 1, p90 rank 8.1 -> 31 */
	lat = json_object_get(st, "latency_ms");
	assert_close(jnum(lat, "p50"), 1.0, 1e-9);
	assert_close(jnum(lat, "p90"), 31.0, 1e-9);
	assert_string_equal(jstr(json_array_get(json_object_get(st, "top_intents"), 0), "intent"), "trend");
	json_decref(st);
}

/* ---- aliases ------------------------------------------------------------------- */

static void test_aliases(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	struct state_aliases list = STATE_ALIASES_INIT;
	static const char *const compute[] = { "AmazonEC2", " AWSLambda ", "AmazonECS", "AmazonEC2" };
	static const char *const storage[] = { "AmazonS3" };
	static const char *const compute2[] = { "AmazonEC2", "AWSFargate" };

	assert_int_equal(state_alias_list(f->s, &list, &e), 0);
	assert_int_equal(list.n, 0);
	assert_int_equal(state_alias_set(f->s, "  Compute ", compute, 4, &e), 0);
	assert_int_equal(state_alias_set(f->s, "storage", storage, 1, &e), 0);
	assert_int_equal(state_alias_set(f->s, "Data   Transfer", storage, 1, &e), 0);
	assert_int_equal(state_alias_list(f->s, &list, &e), 0);
	assert_int_equal(list.n, 3);
	assert_string_equal(list.items[0].name, "compute"); /* sorted, lower case, trimmed */
	assert_int_equal(list.items[0].ntargets, 3);        /* trimmed, the repeat dropped */
	assert_string_equal(list.items[0].targets[0], "AmazonEC2");
	assert_string_equal(list.items[0].targets[1], "AWSLambda");
	assert_string_equal(list.items[0].targets[2], "AmazonECS");
	assert_string_equal(list.items[1].name, "data transfer");
	assert_string_equal(list.items[2].name, "storage");
	assert_int_equal(list.items[2].ntargets, 1);
	assert_string_equal(list.items[2].targets[0], "AmazonS3");

	/* Replace: the old targets go. */
	assert_int_equal(state_alias_set(f->s, "COMPUTE", compute2, 2, &e), 0);
	assert_int_equal(state_alias_get(f->s, "compute", &list, &e), 0);
	assert_int_equal(list.n, 1);
	assert_int_equal(list.items[0].ntargets, 2);
	assert_string_equal(list.items[0].targets[0], "AmazonEC2");
	assert_string_equal(list.items[0].targets[1], "AWSFargate");
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM alias_targets WHERE alias = 'compute'"), 2);

	assert_int_equal(state_alias_remove(f->s, " Storage", &e), 0);
	assert_int_equal(state_alias_remove(f->s, "storage", &e), -1);
	assert_string_equal(e.msg, "unknown alias 'storage'");
	assert_int_equal(e.code, ERR_FAILED);
	assert_int_equal(state_alias_get(f->s, "storage", &list, &e), -1);
	assert_int_equal(list.n, 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM alias_targets WHERE alias = 'storage'"), 0);

	/* They persist. */
	state_close(f->s);
	f->s = NULL;
	assert_int_equal(state_open(&f->s, f->path, &e), 0);
	assert_int_equal(state_alias_list(f->s, &list, &e), 0);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.items[0].name, "compute");
	assert_string_equal(list.items[0].targets[1], "AWSFargate");
	assert_string_equal(list.items[1].name, "data transfer");
	state_aliases_release(&list);
	assert_int_equal(list.n, 0);
	assert_null(list.items);
}

static void test_alias_validation(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	struct state_aliases list = STATE_ALIASES_INIT;
	static const char *const one[] = { "AmazonEC2" };
	static const char *const blank[] = { "AmazonEC2", "  " };
	static const char *const ctrl[] = { "Amazon\x01" "EC2" };
	const char *many[STATE_ALIAS_TARGETS_MAX + 1];
	char name[STATE_ALIAS_NAME_MAX + 2], target[STATE_ALIAS_TARGET_MAX + 2];

	assert_int_equal(state_alias_set(f->s, "compute", one, 1, &e), 0);

	assert_int_equal(state_alias_set(f->s, "   ", one, 1, &e), -1);
	assert_string_equal(e.msg, "an alias name cannot be empty");
	assert_int_equal(e.code, ERR_USAGE);
	assert_int_equal(state_alias_set(f->s, NULL, one, 1, &e), -1);
	assert_string_equal(e.msg, "an alias name cannot be empty");
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(state_alias_set(f->s, name, one, 1, &e), -1);
	assert_contains(e.msg, "is longer than 64 bytes");
	name[STATE_ALIAS_NAME_MAX] = '\0'; /* exactly 64: fine */
	assert_int_equal(state_alias_set(f->s, name, one, 1, &e), 0);
	assert_int_equal(state_alias_set(f->s, "a,b", one, 1, &e), -1);
	assert_string_equal(e.msg, "alias name 'a,b' cannot hold a comma");
	assert_int_equal(state_alias_set(f->s, "a\x02", one, 1, &e), -1);
	assert_string_equal(e.msg, "an alias name cannot hold control characters");

	assert_int_equal(state_alias_set(f->s, "compute", one, 0, &e), -1);
	assert_string_equal(e.msg, "alias 'compute' needs 1 to 32 targets, not 0");
	for (int i = 0; i <= STATE_ALIAS_TARGETS_MAX; i++)
		many[i] = "AmazonEC2";
	assert_int_equal(state_alias_set(f->s, "compute", many, STATE_ALIAS_TARGETS_MAX + 1, &e), -1);
	assert_string_equal(e.msg, "alias 'compute' needs 1 to 32 targets, not 33");
	assert_int_equal(state_alias_set(f->s, "compute", many, STATE_ALIAS_TARGETS_MAX, &e), 0);
	assert_int_equal(state_alias_set(f->s, "Compute", blank, 2, &e), -1);
	assert_string_equal(e.msg, "alias 'compute': target 2 is empty");
	memset(target, 't', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	const char *too_long[] = { target };
	assert_int_equal(state_alias_set(f->s, "compute", too_long, 1, &e), -1);
	assert_contains(e.msg, "is longer than 128 bytes");
	target[STATE_ALIAS_TARGET_MAX] = '\0'; /* exactly 128: fine */
	assert_int_equal(state_alias_set(f->s, "long", too_long, 1, &e), 0);
	assert_int_equal(state_alias_set(f->s, "compute", ctrl, 1, &e), -1);
	assert_string_equal(e.msg, "alias 'compute': target 1 holds control characters");
	static const char *const latin1[] = { "Caf\xe9" };
	assert_int_equal(state_alias_set(f->s, "compute", latin1, 1, &e), -1);
	assert_string_equal(e.msg, "alias 'compute': target 1 is not valid UTF-8");
	assert_int_equal(state_alias_set(f->s, "caf\xe9", one, 1, &e), -1);
	assert_string_equal(e.msg, "alias name is not valid UTF-8");
	assert_int_equal(state_alias_remove(f->s, "", &e), -1);
	assert_string_equal(e.msg, "an alias name cannot be empty");

	/* Failed calls changed nothing: compute is still one AmazonEC2. */
	assert_int_equal(state_alias_get(f->s, "compute", &list, &e), 0);
	assert_int_equal(list.items[0].ntargets, 1);
	assert_string_equal(list.items[0].targets[0], "AmazonEC2");
	assert_int_equal(state_alias_list(f->s, &list, &e), 0);
	assert_int_equal(list.n, 3); /* compute, long, nnn... */
	state_aliases_release(&list);
}

/* ---- files that cannot be used ------------------------------------------------------ */

static void test_corrupt_file(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char path[400];
	struct state *s = NULL;
	snprintf(path, sizeof(path), "%s/garbage.sqlite", f->root);
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	for (int i = 0; i < 4096; i++)
		fputc((i * 131 + 7) & 0xff, out);
	fclose(out);
	assert_int_equal(state_open(&s, path, &e), -1);
	assert_null(s);
	char want[1024];
	snprintf(want, sizeof(want), "cannot open state file '%s': file is not a database", path);
	assert_string_equal(e.msg, want);
	assert_int_equal(e.code, ERR_DATABASE);
	/* The garbage is left as it was. */
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 4096);
}

static void test_folder_as_path(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	struct state *s = NULL;
	char want[1024];
	assert_int_equal(state_open(&s, f->root, &e), -1);
	assert_null(s);
	snprintf(want, sizeof(want), "state file '%s' is a folder, not a file", f->root);
	assert_string_equal(e.msg, want);

	char path[400];
	snprintf(path, sizeof(path), "%s/no/such/dir/x.sqlite", f->root);
	assert_int_equal(state_open(&s, path, &e), -1);
	snprintf(want, sizeof(want), "cannot create state file '%s' in folder '%s/no/such/dir': No such file or directory",
		 path, f->root);
	assert_string_equal(e.msg, want);
}

/*
 * Run state_open(path) in a child that cannot write where it should not
 * (root drops to nobody, as permissions do not bind root); the child sends
 * back its return code and message.
 */
static int open_unprivileged(const char *path, char *msg, size_t size)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct err e = { 0 };
		struct state *s = NULL;
		close(fds[0]);
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		int rc = state_open(&s, path, &e);
		state_close(s);
		if (write(fds[1], e.msg, strlen(e.msg)) < 0)
			_exit(4);
		close(fds[1]);
		_exit(rc == 0 ? 0 : 1);
	}
	close(fds[1]);
	size_t n = 0;
	ssize_t got;
	while (n + 1 < size && (got = read(fds[0], msg + n, size - 1 - n)) > 0)
		n += (size_t)got;
	msg[n] = '\0';
	close(fds[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_read_only_folder(void **state)
{
	struct fixture *f = *state;
	char dir[400], path[480], msg[ERR_MSG_MAX], want[1024];
	snprintf(dir, sizeof(dir), "%s/ro", f->root);
	snprintf(path, sizeof(path), "%s/finq.state.sqlite", dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chmod(f->root, 0755), 0); /* let "nobody" walk in */
	assert_int_equal(chmod(dir, 0555), 0);
	assert_int_equal(open_unprivileged(path, msg, sizeof(msg)), 1);
	snprintf(want, sizeof(want), "cannot create state file '%s' in folder '%s': Permission denied", path, dir);
	assert_string_equal(msg, want);
	assert_int_equal(access(path, F_OK), -1); /* nothing was created */
}

static void test_read_only_file(void **state)
{
	struct fixture *f = *state;
	char msg[ERR_MSG_MAX], want[1024];
	char id[STATE_ID_SIZE];
	struct err e = { 0 };
	/* A file with data in it, closed cleanly, then read-only. */
	assert_int_equal(state_conversation_create(f->s, "x", id, &e), 0);
	state_close(f->s);
	f->s = NULL;
	assert_int_equal(chmod(f->root, 0755), 0);
	assert_int_equal(chmod(f->path, 0444), 0);
	assert_int_equal(open_unprivileged(f->path, msg, sizeof(msg)), 1);
	snprintf(want, sizeof(want), "state file '%s' is read-only", f->path);
	assert_string_equal(msg, want);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_for),
		T(test_schema_and_pragmas),
		T(test_newer_schema_refused),
		T(test_upgrade_adds_tokens),
		T(test_upgrade_roles),
		T(test_tokens),
		T(test_conversations),
		T(test_messages_in_order),
		T(test_message_title_cut),
		T(test_message_validation),
		T(test_last_turn_persists),
		T(test_threads),
		T(test_feedback_and_cascade),
		T(test_expiry),
		T(test_stats_empty),
		T(test_stats_services),
		T(test_stats_numbers),
		T(test_aliases),
		T(test_alias_validation),
		T(test_corrupt_file),
		T(test_folder_as_path),
		T(test_read_only_folder),
		T(test_read_only_file),
	};
#undef T
	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}

