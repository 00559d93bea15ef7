/*
 * test_golden: the SQL that a set of plans compiles to, kept in files
 * (tests/data/golden/NAME.duckdb.sql) and compared byte for byte, so that
 * a change to the parser, the plan or a dialect shows its effect on the
 * SQL. FINQ_GOLDEN_UPDATE=1 rewrites the files instead of comparing.
 * Also: which table (line items or a daily summary) a plan is read from.
 */
#include "unit.h"

#include "commitments.h"
#include "date.h"
#include "parse.h"
#include "sqlgen.h"
#include "vocab_tsv.h"

#include <stdlib.h>
#include <string.h>

#define GOLDEN_DIR TEST_DATA_DIR "/golden"

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct strbuf sb;
	strbuf_init(&sb, 0);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb);
}

static void test_golden_sql(void **state)
{
	(void)state;
	struct vocab v;
	unit_load_vocab(&v);
	bool update = getenv("FINQ_GOLDEN_UPDATE") != NULL;
	FILE *f = fopen(GOLDEN_DIR "/plans.txt", "r");
	assert_non_null(f);
	char line[1024];
	int cases = 0, differ = 0;
	while (fgets(line, sizeof(line), f)) {
		char *name, *today_text, *question;
		if (!unit_case_line(line, &name, &today_text, &question))
			continue;
		int today;
		assert_true(date_parse(today_text, &today));
		struct parse_input in = { question, today, &v, NULL, NULL, NULL, NULL };
		struct parse_result res;
		parse_question(&in, &res);
		assert_int_equal(res.status, PARSE_ANSWERED);
		struct strbuf sql;
		strbuf_init(&sql, 0);
		/* an analysis that compiles a plan: its main query */
		if (res.plan.intent == INTENT_INSIGHT && strcmp(res.plan.insight, "commitments") == 0)
			commitments_plan_sql(&res.plan, &sql_dialect_duckdb, &sql);
		else
			assert_int_equal(sqlgen_build(&res.plan, &sql_dialect_duckdb, &sql), 0);
		strbuf_addch(&sql, '\n');
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s.duckdb.sql", GOLDEN_DIR, name);
		if (update) {
			FILE *out = fopen(path, "w");
			assert_non_null(out);
			fputs(sql.buf, out);
			fclose(out);
		} else {
			char *want = read_file(path);
			if (!want || strcmp(want, sql.buf) != 0) {
				differ++;
				print_message("golden %s: %s differs from the SQL of \"%s\":\n%s\n", name, path, question, sql.buf);
			}
			free(want);
		}
		strbuf_release(&sql);
		cases++;
	}
	fclose(f);
	vocab_release(&v);
	print_message("golden SQL: %d plans, %d differ%s\n", cases, differ, update ? " (files rewritten)" : "");
	assert_true(cases >= 20);
	assert_int_equal(differ, 0);
}

/* The table each question is answered from when every summary is fresh,
 * and what its SQL must say about the tag summary's slice. */
static const struct {
	const char *question;
	const char *table;
	const char *slice; /* a substring of the SQL, or NULL */
} summary_sources[] = {
	{ "cost by service last month", "costs_day", NULL },
	{ "cost by usage type last month", "costs_day_detail", NULL },
	{ "cost by team last quarter", "costs_day_tag_value", "tag_key = 'team'" },
	{ "what did the checkout team spend on EC2 in Q3", "costs_day_tag", "tag_key = 'team'" },
	{ "untagged spend by service in october", "costs_day_tag", "tag_key IS NULL" },
	{ "untagged spend in october", "costs_day_tag_value", "tag_key IS NULL" },
	{ "cost last month without a team tag", "costs_day_tag_value", "tag_value IS NULL" },
	{ "cost by team excluding taxes last month", "costs_day_tag_value", "tag_key = 'team'" },
	{ "monthly cost by team this year", "costs_day_tag_value", "tag_key = 'team'" },
	{ "spend by team in account 210987654321 last month", "costs_day_tag", "tag_key = 'team'" },
	{ "cost by team and env last month", "costs", NULL },           /* two keys */
	{ "cost by team in us-east-1 last month", "costs", NULL },      /* no region in the tag summary */
	{ "EC2 usage by team last month", "costs", NULL },              /* usage: no unit column */
	{ "cost by team by usage type last month", "costs", NULL },
};

static void test_summary_source(void **state)
{
	(void)state;
	struct vocab v;
	unit_load_vocab(&v);
	int today;
	assert_true(date_parse("2025-12-04", &today));
	unsigned all = SQL_SUMMARY_DAY | SQL_SUMMARY_DAY_DETAIL | SQL_SUMMARY_DAY_TAG | SQL_SUMMARY_DAY_TAG_VALUE;
	for (size_t i = 0; i < sizeof(summary_sources) / sizeof(summary_sources[0]); i++) {
		struct parse_input in = { summary_sources[i].question, today, &v, NULL, NULL, NULL, NULL };
		struct parse_result res;
		parse_question(&in, &res);
		if (res.status != PARSE_ANSWERED)
			print_error("not answered: %s\n", summary_sources[i].question);
		assert_int_equal(res.status, PARSE_ANSWERED);
		const char *table = sqlgen_source(&res.plan, all);
		if (strcmp(table, summary_sources[i].table) != 0)
			print_error("%s: read from %s, want %s\n", summary_sources[i].question, table, summary_sources[i].table);
		assert_string_equal(table, summary_sources[i].table);
		struct strbuf sql;
		strbuf_init(&sql, 0);
		assert_int_equal(sqlgen_build_on(&res.plan, &sql_dialect_duckdb, all, &sql), 0);
		if (summary_sources[i].slice)
			assert_contains(sql.buf, summary_sources[i].slice);
		bool tag_table = strncmp(table, "costs_day_tag", 13) == 0;
		if (tag_table) /* never the MAP column */
			assert_not_contains(sql.buf, "tags[");
		strbuf_release(&sql);
		/* the filters of a statement of one's own (lumps.c) over the same
		 * table: its columns and its slice */
		struct strbuf filters;
		strbuf_init(&filters, 0);
		sqlgen_source_filters(&res.plan, &sql_dialect_duckdb, all, &filters);
		if (tag_table) {
			assert_not_contains(filters.buf, "tags[");
			assert_not_contains(filters.buf, "map_keys");
			assert_contains(filters.buf, summary_sources[i].slice);
		}
		strbuf_release(&filters);
		/* a database whose summaries predate costs_day_tag reads tags from
		 * the line items; one that predates costs_day_tag_value reads
		 * costs_day_tag */
		if (tag_table)
			assert_string_equal(sqlgen_source(&res.plan, SQL_SUMMARY_DAY | SQL_SUMMARY_DAY_DETAIL), "costs");
		if (strcmp(table, "costs_day_tag_value") == 0)
			assert_string_equal(sqlgen_source(&res.plan, all & ~(unsigned)SQL_SUMMARY_DAY_TAG_VALUE), "costs_day_tag");
	}
	vocab_release(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_sql),
		cmocka_unit_test(test_summary_source),
	};
	return cmocka_run_group_tests_name("golden", tests, NULL, NULL);
}
