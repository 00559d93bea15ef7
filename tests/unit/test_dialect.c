/*
 * test_dialect: the macro expander of hand-written SQL (sql_expand), the
 * DuckDB macro table, and a lint over the sources: the string literals of
 * the analyses and the service layer hold no DuckDB-only spelling, so that
 * every engine-specific piece goes through a dialect.
 */
#include "unit.h"

#include "dialect.h"
#include "strbuf.h"

#include <dirent.h>

static const char *expand(const char *sql, struct strbuf *out, struct err *e)
{
	strbuf_reset(out);
	err_clear(e);
	return sql_expand(&sql_dialect_duckdb, sql, out, e) == 0 ? out->buf : NULL;
}

static void test_expands_macros(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct err e = { 0 };
	assert_string_equal(expand("SELECT 1", &out, &e), "SELECT 1");
	assert_string_equal(expand("WHERE d >= $date('2025-11-01')", &out, &e), "WHERE d >= DATE '2025-11-01'");
	assert_string_equal(expand("$sum_if(cost, a IN ('x', 'y') AND f(b, c) > 0)", &out, &e),
			    "sum(cost) FILTER (WHERE a IN ('x', 'y') AND f(b, c) > 0)");
	/* nested, with whitespace and newlines around the arguments */
	assert_string_equal(expand("$hour( $any_if(d.first_start,\n d.usage_date = $date('2025-01-02') ) )", &out, &e),
			    "hour(any_value(d.first_start) FILTER (WHERE d.usage_date = DATE '2025-01-02'))");
	assert_string_equal(expand("$each_tag_key()", &out, &e), "unnest(map_keys(tags))");
	assert_string_equal(expand("$split_part(usage_type, ':', 2)", &out, &e), "split_part(usage_type, ':', 2)");
	strbuf_release(&out);
}

static void test_quoted_text_is_not_expanded(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct err e = { 0 };
	/* a tag value or a label holding '$' is data, whatever follows it */
	assert_string_equal(expand("SELECT '$date(' AS a, \"$sum_if(x)\" FROM t", &out, &e),
			    "SELECT '$date(' AS a, \"$sum_if(x)\" FROM t");
	assert_string_equal(expand("$count_if(name = 'it''s $any(x)')", &out, &e),
			    "count(*) FILTER (WHERE name = 'it''s $any(x)')");
	/* a comma or parenthesis inside quotes does not split arguments */
	assert_string_equal(expand("$sum_if(cost, label = 'a, b)')", &out, &e),
			    "sum(cost) FILTER (WHERE label = 'a, b)')");
	/* a prepared statement's parameter stays */
	assert_string_equal(expand("SELECT $1, $2", &out, &e), "SELECT $1, $2");
	strbuf_release(&out);
}

static void test_bad_macros_fail_with_their_name(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct err e = { 0 };
	assert_null(expand("SELECT $window_sum(x)", &out, &e));
	assert_contains(e.msg, "no macro $window_sum");
	assert_null(expand("SELECT $sum_if(x)", &out, &e));
	assert_contains(e.msg, "$sum_if takes 2 arguments, not 1");
	assert_null(expand("SELECT $date", &out, &e));
	assert_contains(e.msg, "$date is not followed");
	assert_null(expand("SELECT $date('2025-01-01'", &out, &e));
	assert_contains(e.msg, "no closing parenthesis");
	assert_null(expand("$any(a, 'unterminated)", &out, &e));
	strbuf_release(&out);
}

static void test_nesting_is_bounded(void **state)
{
	(void)state;
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	struct err e = { 0 };
	for (int i = 0; i < 40; i++)
		strbuf_addstr(&in, "$any(");
	strbuf_addstr(&in, "x");
	for (int i = 0; i < 40; i++)
		strbuf_addch(&in, ')');
	assert_null(expand(in.buf, &out, &e));
	assert_contains(e.msg, "nest deeper");
	strbuf_release(&in);
	strbuf_release(&out);
}

static void check_macro_table(const struct sql_dialect *d)
{
	assert_true(d->nmacros > 0);
	for (size_t i = 0; i < d->nmacros; i++) {
		if (i)
			assert_true(strcmp(d->macros[i - 1].name, d->macros[i].name) < 0);
		assert_ptr_equal(sql_dialect_macro(d, d->macros[i].name, strlen(d->macros[i].name)), &d->macros[i]);
		/* the body uses exactly the arguments it declares */
		for (int a = 1; a <= 9; a++) {
			char ref[3] = { '$', (char)('0' + a), 0 };
			if (a <= d->macros[i].nargs)
				assert_non_null(strstr(d->macros[i].body, ref));
			else
				assert_null(strstr(d->macros[i].body, ref));
		}
	}
	assert_null(sql_dialect_macro(d, "sum", 3));
	assert_null(sql_dialect_macro(d, "sum_iff", 7));
}

static void test_macro_table_is_sorted_and_complete(void **state)
{
	(void)state;
	check_macro_table(&sql_dialect_duckdb);
	check_macro_table(&sql_dialect_trino);
}

/* Athena's (Trino's) spelling: every DuckDB macro has one of the same
 * arity; $each_tag_key(), which Trino cannot write in a select list, is
 * a column of an UNNEST the dialect's rewrite adds to the SELECT's FROM
 * (dialect_trino.c says why). */
static void test_trino_macros(void **state)
{
	(void)state;
	const struct sql_dialect *t = &sql_dialect_trino;
	for (size_t i = 0; i < sql_dialect_duckdb.nmacros; i++) {
		const struct sql_macro *m = &sql_dialect_duckdb.macros[i];
		const struct sql_macro *tm = sql_dialect_macro(t, m->name, strlen(m->name));
		if (!tm)
			fail_msg("the athena dialect lacks $%s", m->name);
		assert_int_equal(tm->nargs, m->nargs);
	}
	struct strbuf out = STRBUF_INIT;
	struct err e = { 0 };
	assert_int_equal(sql_expand(t, "$sum_if(cost, usage_date >= $date('2025-11-01'))", &out, &e), 0);
	assert_string_equal(out.buf, "sum(cost) FILTER (WHERE usage_date >= date '2025-11-01')");
	strbuf_reset(&out);
	assert_int_equal(sql_expand(t, "$tag('team') AND $count_if(x > 1) AND $any(a)", &out, &e), 0);
	assert_string_equal(out.buf, "element_at(tags, 'team') AND count_if(x > 1) AND arbitrary(a)");
	strbuf_reset(&out);
	assert_int_equal(sql_expand(t, "$add_days($month_start(d), 3)", &out, &e), 0);
	assert_string_equal(out.buf, "date_add('day', 3, CAST(date_trunc('month', d) AS DATE))");
	strbuf_reset(&out);
	/* $each_tag_key(): the UNNEST joins the FROM costs of its own SELECT,
	 * not the outer one's; quoted text and other statements are left */
	assert_int_equal(sql_expand(t,
				    "WITH keyed AS (SELECT $each_tag_key() AS tag_key, amortized_cost FROM costs"
				    " WHERE amortized_cost > 0) SELECT tag_key, 'FROM costs' AS s FROM keyed",
				    &out, &e),
			 0);
	assert_string_equal(out.buf, "WITH keyed AS (SELECT finq_each_tag_key.tag_key AS tag_key, amortized_cost FROM costs"
				     " CROSS JOIN UNNEST(map_keys(tags)) AS finq_each_tag_key (tag_key)"
				     " WHERE amortized_cost > 0) SELECT tag_key, 'FROM costs' AS s FROM keyed");
	strbuf_reset(&out);
	assert_int_equal(sql_expand(t, "SELECT $each_tag_key() AS k, count(*) AS n FROM costs GROUP BY 1", &out, &e), 0);
	assert_string_equal(out.buf, "SELECT finq_each_tag_key.tag_key AS k, count(*) AS n FROM costs"
				     " CROSS JOIN UNNEST(map_keys(tags)) AS finq_each_tag_key (tag_key) GROUP BY 1");
	strbuf_reset(&out);
	assert_int_equal(sql_expand(t, "SELECT 'finq_each_tag_key.tag_key' FROM other", &out, &e), 0);
	assert_string_equal(out.buf, "SELECT 'finq_each_tag_key.tag_key' FROM other");
	static const char *const refused[] = {
		"SELECT $each_tag_key() FROM costs c",       /* an alias */
		"SELECT $each_tag_key() FROM vocabulary",    /* not costs */
		"SELECT x FROM (SELECT $each_tag_key() AS x) FROM costs", /* its own SELECT has no FROM */
		"SELECT $each_tag_key()",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		strbuf_reset(&out);
		assert_int_not_equal(sql_expand(t, refused[i], &out, &e), 0);
		assert_contains(e.msg, "$each_tag_key() only in a SELECT that reads FROM costs");
	}
	/* sqlgen's pieces */
	strbuf_reset(&out);
	t->tag_value(&out, "cost_center");
	strbuf_addch(&out, ' ');
	t->contains(&out, "resource_id", "it's");
	strbuf_addch(&out, ' ');
	t->date_literal(&out, 20393); /* 2025-11-01 */
	assert_string_equal(out.buf, "element_at(tags, 'cost_center') strpos(resource_id, 'it''s') > 0 date '2025-11-01'");
	strbuf_release(&out);
}

/* ---- the lint: no DuckDB-only SQL in hand-written statements ---- */

/* Spellings only DuckDB (or not every engine) reads; each has a macro. */
static const char *const duckdb_only[] = {
	"FILTER (WHERE", "any_value(", "DATE '", "date_trunc(", "GROUP BY ALL", "tags[", "::", "isodow(",
	"split_part(", "map_keys(", "unnest(", "median(", "mode(", "hour(", "string_agg(", NULL,
};

/* Folders whose statements run on the analytics engine; files listed in
 * not_yet are still to be moved onto macros. */
static const char *const engine_folders[] = { "insight", "service", "answer", "sql", NULL };
static const char *const exempt_files[] = {
	"kb.c",             /* its statements run on the state database (SQLite), not the engine */
	"dialect_duckdb.c", /* the one place DuckDB's spellings belong */
	"dialect_trino.c",  /* Trino shares some (FILTER (WHERE, date_trunc(, hour(): Athena's own place */
	NULL,
};
static const char *const not_yet[] = { NULL };

static bool listed(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* Append the contents of every string literal of C source text to out, one
 * line per literal, skipping comments and character constants. */
static void string_literals(const char *src, struct strbuf *out)
{
	for (const char *p = src; *p;) {
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1]) { /* an escape is not SQL text */
					p++;
					strbuf_addch(out, ' ');
					continue;
				}
				strbuf_addch(out, *p);
			}
			strbuf_addch(out, '\n');
			if (*p)
				p++;
		} else {
			p++;
		}
	}
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb);
}

/* The number of DuckDB-only spellings in the string literals of the .c
 * files of folder; each is printed. */
static int lint_folder(const char *folder, int *files)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/../../src/%s", TEST_DATA_DIR, folder);
	DIR *d = opendir(dir);
	assert_non_null(d);
	int found = 0;
	for (struct dirent *de; (de = readdir(d));) {
		size_t len = strlen(de->d_name);
		if (len < 3 || strcmp(de->d_name + len - 2, ".c") || listed(exempt_files, de->d_name) ||
		    listed(not_yet, de->d_name))
			continue;
		char path[2048];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		char *src = read_file(path);
		assert_non_null(src);
		(*files)++;
		struct strbuf lits = STRBUF_INIT;
		string_literals(src, &lits);
		for (size_t i = 0; duckdb_only[i]; i++)
			for (const char *hit = strstr(lits.buf, duckdb_only[i]); hit; hit = strstr(hit + 1, duckdb_only[i])) {
				if (hit > lits.buf && hit[-1] == '$') /* the macro of that name */
					continue;
				const char *line = hit;
				while (line > lits.buf && line[-1] != '\n')
					line--;
				fprintf(stderr, "src/%s/%s: \"%s\" in: %.*s\n", folder, de->d_name, duckdb_only[i],
					(int)strcspn(line, "\n"), line);
				found++;
			}
		strbuf_release(&lits);
		free(src);
	}
	closedir(d);
	return found;
}

static void test_lint_finds_a_planted_spelling(void **state)
{
	(void)state;
	struct strbuf lits = STRBUF_INIT;
	string_literals("/* \"FILTER (WHERE\" */ x = '\"'; f(\"sum(a) FILTER (WHERE b)\", \"it's\");", &lits);
	assert_string_equal(lits.buf, "sum(a) FILTER (WHERE b)\nit's\n");
	strbuf_release(&lits);
}

static void test_analyses_spell_engine_sql_through_macros(void **state)
{
	(void)state;
	int found = 0, files = 0;
	for (size_t i = 0; engine_folders[i]; i++)
		found += lint_folder(engine_folders[i], &files);
	assert_true(files >= 10);
	assert_int_equal(found, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expands_macros),
		cmocka_unit_test(test_quoted_text_is_not_expanded),
		cmocka_unit_test(test_bad_macros_fail_with_their_name),
		cmocka_unit_test(test_nesting_is_bounded),
		cmocka_unit_test(test_macro_table_is_sorted_and_complete),
		cmocka_unit_test(test_trino_macros),
		cmocka_unit_test(test_lint_finds_a_planted_spelling),
		cmocka_unit_test(test_analyses_spell_engine_sql_through_macros),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
