/*
 * test_sqlcost: the sandbox's statement caps. sqlcost_measure counts WITH
 * entries and nesting outside strings and comments (as DuckDB lexes them:
 * '' and E'\'' escapes, "identifiers", $tag$ strings, nested block
 * comments) and never fewer than there are; sandbox_query refuses a long
 * text, a CTE bomb, deep nesting and a result past its byte cap, and stops
 * a statement whose client has gone; the sandbox's spill folder is fresh,
 * private and gone after close, and a symlinked "<db>.tmp" is refused.
 */
#include "unit.h"

#include "sandbox.h"
#include "sqlcost.h"
#include "strbuf.h"

#include <sys/stat.h>
#include <unistd.h>

static struct sqlcost measure(const char *sql)
{
	struct sqlcost c;
	sqlcost_measure(sql, &c);
	return c;
}

static void test_ctes(void **state)
{
	(void)state;
	assert_int_equal(measure("SELECT 1").ctes, 0);
	assert_int_equal(measure("WITH a AS (SELECT 1), b AS(SELECT 2) SELECT * FROM a, b").ctes, 2);
	assert_int_equal(measure("with recursive t(n) as (select 1 union all select n + 1 from t) select 1").ctes, 1);
	assert_int_equal(measure("WITH a AS MATERIALIZED (SELECT 1), b AS NOT MATERIALIZED (SELECT 2) SELECT 1").ctes, 2);
	assert_int_equal(measure("WITH a AS /* c */ -- d\n (SELECT 1) SELECT 1").ctes, 1);
	/* an alias is no CTE */
	assert_int_equal(measure("SELECT 1 AS x, cast(2 AS INTEGER) AS y").ctes, 0);
	/* hidden in strings, identifiers and comments: not counted */
	assert_int_equal(measure("SELECT 'a AS (' AS \"b AS (\" -- c AS (\n /* d AS ( */").ctes, 0);
	assert_int_equal(measure("SELECT $$ x AS ( $$, $t$ AS ( $$ $t$").ctes, 0);
	/* a nested comment closes where DuckDB closes it */
	assert_int_equal(measure("SELECT /* a /* b */ AS ( */ 1").ctes, 0);
	assert_int_equal(measure("SELECT /* a /* b */ */ 1 FROM (WITH q AS (SELECT 1) SELECT 1)").ctes, 1);
	/* E'' strings escape with a backslash: the quote after \ is inside */
	assert_int_equal(measure("SELECT E'\\' AS (', 1").ctes, 0);
	assert_int_equal(measure("SELECT E'\\\\' , x AS (SELECT 1)").ctes, 1);
	/* a doubled quote stays inside a plain string */
	assert_int_equal(measure("SELECT 'it''s AS (' , 1").ctes, 0);
	/* $1 is a parameter, not a dollar quote */
	assert_int_equal(measure("WITH a AS (SELECT $1) SELECT $2").ctes, 1);
}

static void test_depth(void **state)
{
	(void)state;
	assert_int_equal(measure("SELECT 1").max_depth, 0);
	assert_int_equal(measure("SELECT ((1)), [[2]], {'a': (3)}").max_depth, 2);
	assert_int_equal(measure("SELECT '((((((' , \"((((\" , 1 -- ((((\n").max_depth, 0);
	/* an unbalanced close does not buy depth back */
	assert_int_equal(measure("SELECT ))) ((( 1").max_depth, 3);
	struct strbuf sb;
	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, "SELECT ");
	for (int i = 0; i < 500; i++)
		strbuf_addch(&sb, '(');
	assert_int_equal(measure(sb.buf).max_depth, 500);
	strbuf_release(&sb);
	/* an unclosed string or comment ends the scan without harm */
	assert_int_equal(measure("SELECT (1, '((").max_depth, 1);
	assert_int_equal(measure("SELECT (1 /* ((").max_depth, 1);
	assert_int_equal(measure("SELECT (1 $a$ ((").max_depth, 1);
}

/* ---- the sandbox on a real database ---- */

struct fixture {
	char dir[256];
	char db_path[300];
	struct db db;
};

static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof(f->dir), "%s/finq-sqlcost-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db_path, sizeof(f->db_path), "%s/t.duckdb", f->dir);
	struct db w;
	struct db_config cfg = { .path = f->db_path };
	struct err e = { 0 };
	if (db_open(&w, &cfg, &e) || db_exec(&w, "CREATE TABLE costs AS SELECT 1 AS x", &e))
		return -1;
	db_close(&w);
	*state = f;
	return 0;
}

static int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	int rc = system(cmd);
	free(f);
	return rc == 0 ? 0 : -1;
}

static int query(struct db *db, const char *sql, const struct sandbox_limits *limits, struct err *e)
{
	struct table t;
	table_init(&t);
	int rc = sandbox_query(db, sql, limits, &t, e);
	table_release(&t);
	return rc;
}

static bool always(void *arg)
{
	(void)arg;
	return true;
}

static void test_sandbox_caps(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	assert_int_equal(sandbox_open(&f->db, f->db_path, NULL, 1, &e), 0);
	struct sandbox_limits limits = { .max_rows = 100, .timeout_seconds = 30 };

	struct strbuf sb;
	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, "SELECT '");
	for (size_t i = 0; i < SANDBOX_DEFAULT_MAX_TEXT; i++)
		strbuf_addch(&sb, 'x');
	strbuf_addstr(&sb, "'");
	assert_int_equal(query(&f->db, sb.buf, &limits, &e), -1);
	assert_int_equal(e.code, ERR_TOO_LARGE);
	assert_contains(e.msg, "more than the limit of 65536");
	limits.max_text_bytes = 10;
	assert_int_equal(query(&f->db, "SELECT 12345", &limits, &e), -1);
	limits.max_text_bytes = 0;

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "WITH ");
	for (int i = 0; i < 5000; i++)
		strbuf_addf(&sb, "%sc%d AS (SELECT %d)", i ? ", " : "", i, i);
	strbuf_addstr(&sb, " SELECT 1");
	limits.max_text_bytes = sb.len;
	memset(&e, 0, sizeof(e));
	assert_int_equal(query(&f->db, sb.buf, &limits, &e), -1);
	assert_int_equal(e.code, ERR_TOO_LARGE);
	assert_contains(e.msg, "5000 subqueries");
	limits.max_text_bytes = 0;

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "SELECT ");
	for (int i = 0; i < 100; i++)
		strbuf_addch(&sb, '(');
	strbuf_addch(&sb, '1');
	for (int i = 0; i < 100; i++)
		strbuf_addch(&sb, ')');
	assert_int_equal(query(&f->db, sb.buf, &limits, &e), -1);
	assert_int_equal(e.code, ERR_TOO_LARGE); /* the API's 422 limit_exceeded */
	assert_contains(e.msg, "nests parentheses 100 deep");
	strbuf_release(&sb);

	/* 100 values of 1 MB: past a 10 MB cap */
	limits.max_result_bytes = 10u << 20;
	assert_int_equal(query(&f->db, "SELECT repeat('x', 1000000) FROM range(100)", &limits, &e), -1);
	assert_int_equal(e.code, ERR_TOO_LARGE);
	assert_contains(e.msg, "larger than 10 MB");
	assert_int_equal(query(&f->db, "SELECT repeat('x', 1000) FROM range(100)", &limits, &e), 0);
	limits.max_result_bytes = 0;

	/* a client that has gone cancels the statement */
	limits.cancelled = always;
	assert_int_equal(query(&f->db, "SELECT count(*) FROM range(1000000000) a, range(100) b WHERE a.range * b.range % 7 = 3",
			       &limits, &e), -1);
	assert_int_equal(e.code, ERR_REFUSED);
	assert_contains(e.msg, "the client went away");
	/* and the connection answers the next one */
	limits.cancelled = NULL;
	assert_int_equal(query(&f->db, "SELECT 1", &limits, &e), 0);
	db_close(&f->db);
}

static void test_sandbox_temp_dir(void **state)
{
	struct fixture *f = *state;
	struct err e = { 0 };
	char parent[320];
	snprintf(parent, sizeof(parent), "%s.tmp", f->db_path);
	assert_int_equal(mkdir(parent, 0755), 0);

	assert_int_equal(sandbox_open(&f->db, f->db_path, NULL, 1, &e), 0);
	assert_non_null(f->db.temp_dir);
	assert_true(strncmp(f->db.temp_dir, parent, strlen(parent)) == 0);
	struct stat st;
	assert_int_equal(lstat(f->db.temp_dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(lstat(parent, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700); /* made private */
	char *dir = strdup(f->db.temp_dir);
	db_close(&f->db);
	assert_int_equal(lstat(dir, &st), -1); /* gone */
	free(dir);

	/* a symlink planted as "<db>.tmp" is refused */
	assert_int_equal(rmdir(parent), 0);
	assert_int_equal(symlink("/tmp", parent), 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(sandbox_open(&f->db, f->db_path, NULL, 1, &e), -1);
	assert_contains(e.msg, "symbolic link");
	assert_int_equal(unlink(parent), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctes),
		cmocka_unit_test(test_depth),
		cmocka_unit_test_setup_teardown(test_sandbox_caps, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_sandbox_temp_dir, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
