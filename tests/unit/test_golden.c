/*
 * test_golden: the SQL that a set of plans compiles to, kept in files
 * (tests/data/golden/NAME.duckdb.sql) and compared byte for byte, so that
 * a change to the parser, the plan or a dialect shows its effect on the
 * SQL. FINQ_GOLDEN_UPDATE=1 rewrites the files instead of comparing.
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
		struct parse_input in = { question, today, &v, NULL, NULL };
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_sql),
	};
	return cmocka_run_group_tests_name("golden", tests, NULL, NULL);
}
