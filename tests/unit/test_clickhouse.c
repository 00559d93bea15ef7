/*
 * test_clickhouse: the clickhouse dialect without a server: its macro table
 * matches DuckDB's name for name, the rewrite pass turns finq's SQL into
 * what ClickHouse 18.16 reads (alias scoping, positional GROUP BY, window
 * totals, TRUE, WITH tables), and clickhouse:// addresses parse or fail
 * with a message. tests/integration/cluster.sh runs it against a cluster.
 */
#include "unit.h"

#include "clickhouse.h"
#include "clickhouse_rewrite.h"
#include "dialect.h"
#include "safetext.h"
#include "strbuf.h"

#include <stdlib.h>
#include <unistd.h>

static const char *rewrite(const char *sql, struct strbuf *out)
{
	struct err e = { 0 };
	strbuf_reset(out);
	if (clickhouse_rewrite(sql, out, &e) != 0)
		fail_msg("rewrite failed: %s", e.msg);
	return out->buf;
}

static void test_macros_match_duckdb(void **state)
{
	(void)state;
	const struct sql_dialect *ch = &sql_dialect_clickhouse, *duck = &sql_dialect_duckdb;
	assert_int_equal(ch->nmacros, duck->nmacros);
	for (size_t i = 0; i < ch->nmacros; i++) {
		assert_string_equal(ch->macros[i].name, duck->macros[i].name);
		assert_int_equal(ch->macros[i].nargs, duck->macros[i].nargs);
		if (i)
			assert_true(strcmp(ch->macros[i - 1].name, ch->macros[i].name) < 0);
	}
}

static void test_positional_group_and_order(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	assert_string_equal(rewrite("SELECT coalesce(region, '(none)') AS label, sum(x) AS total FROM t GROUP BY 1 "
				    "ORDER BY 2 DESC, 1",
				    &out),
			    "SELECT coalesce(region, '(none)') AS label, sum(x) AS total FROM t GROUP BY label "
			    "ORDER BY total DESC, label");
	/* SELECT * takes the names of its subquery */
	assert_string_equal(rewrite("SELECT * FROM (SELECT a AS k, sum(b) AS v FROM t GROUP BY 1) AS p ORDER BY 2", &out),
			    "SELECT * FROM (SELECT a AS k, sum(b) AS v FROM t GROUP BY k) AS p ORDER BY v");
	strbuf_release(&out);
}

static void test_alias_of_a_source_column(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	/* the second sum reads the column, not the first sum */
	assert_string_equal(rewrite("SELECT sum(amortized_cost) AS amortized_cost, round(100 * sum(amortized_cost), 2) AS p "
				    "FROM costs WHERE region = 'x' HAVING sum(amortized_cost) <> 0 ORDER BY amortized_cost",
				    &out),
			    "SELECT sum(amortized_cost__src) AS amortized_cost, round(100 * sum(amortized_cost__src), 2) AS p "
			    "FROM (SELECT *, amortized_cost AS amortized_cost__src FROM costs ) AS costs "
			    "WHERE region = 'x' HAVING sum(amortized_cost__src) <> 0 ORDER BY amortized_cost");
	/* an alias that names no source column is left alone */
	assert_string_equal(rewrite("SELECT sum(x) AS total, total * 2 AS twice FROM costs", &out),
			    "SELECT sum(x) AS total, total * 2 AS twice FROM costs");
	strbuf_release(&out);
}

static void test_window_total_and_true(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	assert_string_equal(rewrite("SELECT a AS k, sum(c) AS s, sum(sum(c)) OVER () AS whole FROM t WHERE TRUE AND d > 1 "
				    "GROUP BY 1",
				    &out),
			    "SELECT a AS k, sum(c) AS s, (SELECT sum(c) FROM t  WHERE 1 AND d > 1 ) AS whole FROM t "
			    "WHERE 1 AND d > 1 GROUP BY k");
	/* quoted text is data */
	assert_string_equal(rewrite("SELECT 'TRUE', \"FALSE\" FROM t", &out), "SELECT 'TRUE', \"FALSE\" FROM t");
	strbuf_release(&out);
}

static void test_with_tables_are_inlined(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	assert_string_equal(rewrite("WITH w AS (SELECT * FROM t WHERE d > 1), u AS (SELECT k FROM w)\n"
				    "SELECT x.k FROM w x JOIN u ON x.k = u.k",
				    &out),
			    "SELECT x.k FROM (SELECT * FROM t WHERE d > 1) x JOIN (SELECT k FROM (SELECT * FROM t WHERE d > 1) "
			    "AS w) AS u ON x.k = u.k");
	strbuf_release(&out);
}

static void test_expansion_runs_the_rewrite(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct err e = { 0 };
	assert_int_equal(sql_expand(&sql_dialect_clickhouse,
				    "SELECT $sum_if(cost, usage_date >= $date('2025-11-01')) FROM t WHERE TRUE", &out, &e),
			 0);
	assert_string_equal(out.buf, "SELECT sumIf(cost, usage_date >= toDate('2025-11-01')) FROM t WHERE 1");
	strbuf_release(&out);
}

static void test_urls(void **state)
{
	(void)state;
	struct clickhouse_url u;
	struct err e = { 0 };
	assert_int_equal(clickhouse_url_parse(&u, "clickhouse://127.0.0.1:19101/finq?cluster=finq", &e), 0);
	assert_string_equal(u.host, "127.0.0.1");
	assert_int_equal(u.port, 19101);
	assert_string_equal(u.database, "finq");
	assert_string_equal(u.cluster, "finq");
	assert_string_equal(u.reader, CLICKHOUSE_READER);
	assert_string_equal(u.writer, CLICKHOUSE_WRITER);
	clickhouse_url_release(&u);
	static const struct {
		const char *url, *says;
	} bad[] = {
		{ "clickhouse://127.0.0.1/finq?cluster=c", "expected clickhouse://[USER[:PASSWORD]@]HOST:PORT" },
		{ "clickhouse://h:70000/finq?cluster=c", "the port must be" },
		{ "clickhouse://h:9000/finq", "names no cluster" },
		{ "clickhouse://h:9000/fi;nq?cluster=c", "database" },
		{ "clickhouse://h:9000/finq?cluster=c&password=x", "unknown parameter 'password'" },
		{ "clickhouse://h:9000/finq?cluster=c'--", "cluster" },
		{ "athena://wg/db/t", "not a clickhouse:// address" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&e);
		assert_int_equal(clickhouse_url_parse(&u, bad[i].url, &e), -1);
		if (!strstr(e.msg, bad[i].says))
			fail_msg("'%s': '%s' does not say '%s'", bad[i].url, e.msg, bad[i].says);
	}
}

/* USER:PASSWORD@ and the password variables (the cluster test,
 * cluster_auth.sh, logs in with them). */
static void test_url_passwords(void **state)
{
	(void)state;
	struct clickhouse_url u;
	struct err e = { 0 };
	unsetenv("FINQ_CLICKHOUSE_PASSWORD");
	unsetenv("FINQ_CLICKHOUSE_PASSWORD_FILE");
	unsetenv("FINQ_CLICKHOUSE_WRITER_PASSWORD");
	unsetenv("FINQ_CLICKHOUSE_WRITER_PASSWORD_FILE");
	/* an '@' left raw in the password: the userinfo ends at the last one */
	assert_int_equal(clickhouse_url_parse(&u, "clickhouse://ann:p%3Aw%25@x@h:1/finq?cluster=c", &e), 0);
	assert_string_equal(u.reader, "ann");
	assert_string_equal(u.reader_password, "p:w%@x");
	assert_string_equal(u.writer, CLICKHOUSE_WRITER);
	assert_null(u.writer_password);
	assert_string_equal(u.host, "h");
	clickhouse_url_release(&u);
	/* one user for both: the writer takes the reader's password */
	assert_int_equal(clickhouse_url_parse(&u, "clickhouse://ann:pw@h:1/finq?cluster=c&writer=ann", &e), 0);
	assert_string_equal(u.writer_password, "pw");
	clickhouse_url_release(&u);
	/* the variables, the address first */
	setenv("FINQ_CLICKHOUSE_PASSWORD", "from-env", 1);
	setenv("FINQ_CLICKHOUSE_WRITER_PASSWORD", "writer-env", 1);
	assert_int_equal(clickhouse_url_parse(&u, "clickhouse://ann@h:1/finq?cluster=c", &e), 0);
	assert_string_equal(u.reader_password, "from-env");
	assert_string_equal(u.writer_password, "writer-env");
	clickhouse_url_release(&u);
	assert_int_equal(clickhouse_url_parse(&u, "clickhouse://ann:url@h:1/finq?cluster=c", &e), 0);
	assert_string_equal(u.reader_password, "url");
	clickhouse_url_release(&u);
	unsetenv("FINQ_CLICKHOUSE_PASSWORD");
	unsetenv("FINQ_CLICKHOUSE_WRITER_PASSWORD");
	char path[] = "/tmp/finq-test-password-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "in a file\r\nsecond line\n", 24), 24);
	close(fd);
	setenv("FINQ_CLICKHOUSE_PASSWORD_FILE", path, 1);
	assert_int_equal(clickhouse_url_parse(&u, "clickhouse://h:1/finq?cluster=c", &e), 0);
	assert_string_equal(u.reader, CLICKHOUSE_READER);
	assert_string_equal(u.reader_password, "in a file");
	clickhouse_url_release(&u);
	unlink(path);
	err_clear(&e);
	assert_int_equal(clickhouse_url_parse(&u, "clickhouse://h:1/finq?cluster=c", &e), -1);
	assert_contains(e.msg, "cannot read the ClickHouse password file");
	unsetenv("FINQ_CLICKHOUSE_PASSWORD_FILE");
	/* every message shows the address without its password */
	static const char *const bad[] = {
		"clickhouse://ann:s3cr3t@h:99999/finq?cluster=c",
		"clickhouse://ann:s3cr3t@h:1/finq",
		"clickhouse://ann:s3cr3t@h:1/finq?cluster=c&user=bob",
		"clickhouse://a;b:s3cr3t@h:1/finq?cluster=c",
		"clickhouse://ann:s3cr3t@/finq?cluster=c",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&e);
		assert_int_equal(clickhouse_url_parse(&u, bad[i], &e), -1);
		if (strstr(e.msg, "s3cr3t"))
			fail_msg("'%s': the message shows the password: %s", bad[i], e.msg);
	}
	char *shown = safetext_url_shown("clickhouse://ann:s3@cr/t@h:1/d?cluster=c");
	assert_string_equal(shown, "clickhouse://ann:***@h:1/d?cluster=c");
	free(shown);
	shown = safetext_url_shown("clickhouse://ann@h:1/d");
	assert_string_equal(shown, "clickhouse://ann@h:1/d");
	free(shown);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_macros_match_duckdb),
		cmocka_unit_test(test_positional_group_and_order),
		cmocka_unit_test(test_alias_of_a_source_column),
		cmocka_unit_test(test_window_total_and_true),
		cmocka_unit_test(test_with_tables_are_inlined),
		cmocka_unit_test(test_expansion_runs_the_rewrite),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_passwords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
