/*
 * test_engine: the seam for engines other than the embedded DuckDB
 * (store/engine.h). A fake engine attached to a database receives every
 * read of the cost data a question makes (in the SQL of the dialect of its
 * name) and its table becomes the answer; sandbox_query() sends it there
 * too; an engine with no dialect is refused by name.
 */
#include "unit.h"

#include "ask.h"
#include "date.h"
#include "engine.h"
#include "sandbox.h"

#include <jansson.h>

struct fake {
	char sql[16][4096];
	int n;
	bool closed;
};

static int fake_run(void *state, const char *sql, const struct db_run_options *opt, struct table *out,
		    struct err *e)
{
	struct fake *f = state;
	(void)opt;
	(void)e;
	if (f->n < 16)
		snprintf(f->sql[f->n++], sizeof(f->sql[0]), "%s", sql);
	/* the cost of any total: one money column, one row */
	if (strstr(sql, "sum(amortized_cost) AS amortized_cost") && !strstr(sql, "vocabulary")) {
		static const char *const names[] = { "amortized_cost" };
		static const enum cell_kind kinds[] = { CELL_REAL };
		table_set_columns(out, 1, names, kinds);
		struct cell *c = table_add_row(out);
		c->kind = CELL_REAL;
		c->v.r = 4242.5;
	}
	return 0;
}

static void fake_close(void *state)
{
	((struct fake *)state)->closed = true;
}

static const struct db_engine fake_duckdb = { "duckdb", fake_run, fake_close };
static const struct db_engine fake_unknown = { "nosuchengine", fake_run, fake_close };

static void open_memory(struct db *db)
{
	struct db_config cfg = { 0 };
	struct err e = { 0 };
	assert_int_equal(db_open(db, &cfg, &e), 0);
}

static void test_a_question_reads_through_the_engine(void **state)
{
	(void)state;
	struct db db;
	struct fake f = { 0 };
	open_memory(&db);
	db_attach_engine(&db, &fake_duckdb, &f);
	struct ask_context ctx;
	struct err e = { 0 };
	assert_int_equal(ask_context_init(&ctx, &db, &e), 0);
	json_t *answer = NULL;
	struct plan plan;
	int today = 0;
	assert_true(date_parse("2025-12-04", &today));
	assert_int_equal(ask_answer(&ctx, "what did we spend last month", today, NULL, &answer, &plan, &e), 0);
	/* the engine saw the total's SQL, in the dialect of its name */
	bool seen = false;
	for (int i = 0; i < f.n; i++)
		seen |= strstr(f.sql[i], "FROM costs") && strstr(f.sql[i], "DATE '2025-11-01'");
	assert_true(seen);
	/* and its table is the answer */
	json_t *rows = json_object_get(answer, "rows");
	assert_non_null(rows);
	assert_true(json_array_size(rows) >= 1);
	assert_close(json_number_value(json_array_get(json_array_get(rows, 0), 0)), 4242.5, 0.001);
	json_decref(answer);
	ask_context_release(&ctx);
	db_close(&db);
	assert_true(f.closed);
}

static void test_sandbox_query_goes_to_the_engine(void **state)
{
	(void)state;
	struct db db;
	struct fake f = { 0 };
	open_memory(&db);
	db_attach_engine(&db, &fake_duckdb, &f);
	struct sandbox_limits limits = { .max_rows = 10, .timeout_seconds = 5 };
	struct table t;
	table_init(&t);
	struct err e = { 0 };
	assert_int_equal(sandbox_query(&db, "SELECT sum(amortized_cost) AS amortized_cost FROM costs", &limits, &t, &e), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(t.nrows, 1);
	/* the statement caps still hold before the engine is asked */
	struct strbuf big = STRBUF_INIT;
	strbuf_addstr(&big, "SELECT 1");
	for (int i = 0; i < 70; i++)
		strbuf_addstr(&big, " UNION ALL (SELECT 1");
	for (int i = 0; i < 70; i++)
		strbuf_addch(&big, ')');
	table_release(&t);
	table_init(&t);
	assert_int_not_equal(sandbox_query(&db, big.buf, &limits, &t, &e), 0);
	assert_int_equal(f.n, 1);
	strbuf_release(&big);
	table_release(&t);
	db_close(&db);
}

static void test_an_engine_without_a_dialect_is_refused(void **state)
{
	(void)state;
	struct db db;
	struct fake f = { 0 };
	open_memory(&db);
	db_attach_engine(&db, &fake_unknown, &f);
	struct ask_context ctx;
	struct err e = { 0 };
	assert_int_not_equal(ask_context_init(&ctx, &db, &e), 0);
	assert_contains(e.msg, "nosuchengine");
	assert_int_equal(f.n, 0);
	db_close(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_question_reads_through_the_engine),
		cmocka_unit_test(test_sandbox_query_goes_to_the_engine),
		cmocka_unit_test(test_an_engine_without_a_dialect_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
