/*
 * test_athena_golden: the Trino SQL finq sends to Athena, kept in files
 * under tests/data/athena/golden and compared byte for byte: each plan of
 * plans.txt compiled with the athena dialect (NAME.athena.sql), the
 * `costs` relation over a CUR 1.0 and a CUR 2.0 table (costs-cur1.sql,
 * costs-cur2.sql, from the recorded GetTableMetadata answers), the
 * vocabulary relations (vocabulary.sql) and two statements whole as the
 * engine sends them, narrowed to their partitions (sent-*.athena.sql), and
 * the hand-written statements written with the macros Trino spells
 * differently, through the dialect's rewrite (info-tag-keys.athena.sql:
 * `finq info`'s tag coverage, $each_tag_key()). A change to the parser, sqlgen,
 * the dialect or schema.c's mapping shows here what it does to Athena's
 * SQL. FINQ_GOLDEN_UPDATE=1 rewrites the files instead of comparing.
 * scripts/trino_parse.sh checks them against Trino's grammar.
 */
#include "unit.h"

#include "athena_table.h"
#include "commitments.h"
#include "date.h"
#include "dialect.h"
#include "info.h"
#include "parse.h"
#include "sqlgen.h"
#include "vocab_tsv.h"
#include "xalloc.h"

#include <jansson.h>

#define GOLDEN_DIR TEST_DATA_DIR "/athena/golden"

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb);
}

/* Compare text with the golden file name (or rewrite it); 1 when they differ. */
static int check_golden(const char *name, const char *text, const char *what)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, name);
	if (getenv("FINQ_GOLDEN_UPDATE")) {
		FILE *out = fopen(path, "w");
		assert_non_null(out);
		fputs(text, out);
		fclose(out);
		return 0;
	}
	char *want = read_file(path);
	int differ = !want || strcmp(want, text) != 0;
	if (differ)
		print_message("athena golden: %s differs from the SQL of %s:\n%s\n", path, what, text);
	free(want);
	return differ;
}

static void test_plans(void **state)
{
	(void)state;
	struct vocab v;
	unit_load_vocab(&v);
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
		if (res.status != PARSE_ANSWERED)
			fail_msg("athena golden %s: \"%s\" is not answered", name, question);
		struct strbuf sql = STRBUF_INIT;
		if (res.plan.intent == INTENT_INSIGHT && strcmp(res.plan.insight, "commitments") == 0)
			commitments_plan_sql(&res.plan, &sql_dialect_trino, &sql);
		else
			assert_int_equal(sqlgen_build(&res.plan, &sql_dialect_trino, &sql), 0);
		strbuf_addch(&sql, '\n');
		/* no DuckDB spelling may reach Athena */
		assert_not_contains(sql.buf, "DATE '");
		assert_not_contains(sql.buf, "any_value(");
		assert_not_contains(sql.buf, "tags[");
		char file[256];
		snprintf(file, sizeof(file), "%s.athena.sql", name);
		char what[1024];
		snprintf(what, sizeof(what), "\"%s\"", question);
		differ += check_golden(file, sql.buf, what);
		strbuf_release(&sql);
		cases++;
	}
	fclose(f);
	vocab_release(&v);
	print_message("athena golden SQL: %d plans, %d differ%s\n", cases, differ,
		      getenv("FINQ_GOLDEN_UPDATE") ? " (files rewritten)" : "");
	assert_true(cases >= 30);
	assert_int_equal(differ, 0);
}

/* The columns of a recorded GetTableMetadata answer. */
static struct athena_column *recorded_columns(const char *file, size_t *n)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/../%s", GOLDEN_DIR, file);
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	if (!root)
		fail_msg("%s: %s", path, jerr.text);
	json_t *meta = json_object_get(root, "TableMetadata");
	struct athena_column *cols = NULL;
	*n = 0;
	static const char *const lists[] = { "Columns", "PartitionKeys" };
	for (size_t l = 0; l < 2; l++) {
		json_t *col;
		size_t i;
		json_array_foreach(json_object_get(meta, lists[l]), i, col) {
			cols = xrealloc(cols, (*n + 1) * sizeof(*cols));
			cols[*n].name = xstrdup(json_string_value(json_object_get(col, "Name")));
			cols[*n].type = xstrdup(json_string_value(json_object_get(col, "Type")));
			cols[*n].partition = l == 1;
			(*n)++;
		}
	}
	json_decref(root);
	return cols;
}

static void test_relations(void **state)
{
	(void)state;
	static const struct {
		const char *table_file, *golden;
	} layouts[] = {
		{ "table-cur1.json", "costs-cur1.sql" },
		{ "table-cur2.json", "costs-cur2.sql" },
	};
	int differ = 0;
	for (size_t i = 0; i < 2; i++) {
		size_t n;
		struct athena_column *cols = recorded_columns(layouts[i].table_file, &n);
		struct strbuf sql = STRBUF_INIT;
		struct err e = { 0 };
		if (athena_costs_relation("cur", "cur_table", cols, n, &sql, &e))
			fail_msg("%s", e.msg);
		strbuf_addch(&sql, '\n');
		assert_not_contains(sql.buf, "finq_tags_from_entries");
		differ += check_golden(layouts[i].golden, sql.buf, layouts[i].table_file);
		strbuf_release(&sql);
		athena_columns_free(cols, n);
	}
	/* what each layout's mapping must read from the table */
	char *cur1 = read_file(GOLDEN_DIR "/costs-cur1.sql"), *cur2 = read_file(GOLDEN_DIR "/costs-cur2.sql");
	assert_non_null(cur1);
	assert_non_null(cur2);
	assert_contains(cur1, "map(ARRAY['team', 'cost_center', 'environment', 'aws_created_by']");
	assert_contains(cur1, "CAST(\"line_item_usage_start_date\" AS timestamp) AS line_item_usage_start_date");
	assert_contains(cur1, "CAST(NULL AS double) AS line_item_net_unblended_cost"); /* not in this table */
	assert_contains(cur2, "multimap_from_entries(zip(transform(map_keys(coalesce(\"resource_tags\", ");
	assert_contains(cur2, "nullif(element_at(\"product\", 'product_name'), '') AS product_product_name");
	assert_contains(cur2, "CAST(NULL AS varchar) AS product_region,"); /* product_region_code is there */
	free(cur1);
	free(cur2);

	/* two statements whole, as the engine sends them: the relations they
	 * read in front, the costs relation narrowed to the plan's months */
	static const struct {
		const char *plan, *table_file, *golden;
	} sent[] = {
		{ "total-month.athena.sql", "table-cur1.json", "sent-total-month-cur1.athena.sql" },
		{ "compare-months.athena.sql", "table-cur2.json", "sent-compare-months-cur2.athena.sql" },
	};
	setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
	for (size_t i = 0; i < 2; i++) {
		struct err e = { 0 };
		struct athena_client *c = athena_client_new("athena://primary/cur/cur_table?region=us-east-1", &e);
		assert_non_null(c);
		size_t n;
		struct athena_column *cols = recorded_columns(sent[i].table_file, &n);
		struct strbuf costs = STRBUF_INIT, statement = STRBUF_INIT;
		assert_int_equal(athena_costs_relation("cur", "cur_table", cols, n, &costs, &e), 0);
		athena_client_add_pruned_relation(c, "costs", costs.buf, athena_prune_partitions,
						  athena_partition_layout(cols, n));
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, sent[i].plan);
		char *plan = read_file(path);
		assert_non_null(plan);
		athena_client_statement(c, plan, &statement);
		assert_not_contains(statement.buf, ATHENA_PARTITIONS_MARK);
		differ += check_golden(sent[i].golden, statement.buf, sent[i].plan);
		free(plan);
		strbuf_release(&costs);
		strbuf_release(&statement);
		athena_columns_free(cols, n);
		athena_client_free(c);
	}

	struct strbuf tags = STRBUF_INIT, vocabulary = STRBUF_INIT, both = STRBUF_INIT;
	athena_vocabulary_relations(&tags, &vocabulary);
	strbuf_addf(&both, "%s,\n%s\n", tags.buf, vocabulary.buf);
	differ += check_golden("vocabulary.sql", both.buf, "the vocabulary");
	strbuf_release(&tags);
	strbuf_release(&vocabulary);
	strbuf_release(&both);
	assert_int_equal(differ, 0);
}

/* Hand-written statements as Athena gets them (macros expanded, the
 * dialect's rewrite done). */
static void test_hand_written(void **state)
{
	(void)state;
	static const struct {
		const char *info_key, *golden;
	} statements[] = {
		{ "tag_keys", "info-tag-keys.athena.sql" },
	};
	int differ = 0;
	for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++) {
		const char *sql = NULL;
		for (size_t k = 0; k < info_sections_count; k++)
			if (strcmp(info_sections[k].key, statements[i].info_key) == 0)
				sql = info_sections[k].sql;
		assert_non_null(sql);
		struct strbuf out = STRBUF_INIT;
		struct err e = { 0 };
		if (sql_expand(&sql_dialect_trino, sql, &out, &e))
			fail_msg("finq info's %s on Athena: %s", statements[i].info_key, e.msg);
		strbuf_addch(&out, '\n');
		assert_not_contains(out.buf, "unnest(map_keys(tags))"); /* DuckDB's, in a select list */
		differ += check_golden(statements[i].golden, out.buf, statements[i].info_key);
		strbuf_release(&out);
	}
	assert_int_equal(differ, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plans),
		cmocka_unit_test(test_relations),
		cmocka_unit_test(test_hand_written),
	};
	return cmocka_run_group_tests_name("athena golden", tests, NULL, NULL);
}
