/*
 * test_parse: runs tests/data/questions.txt through the whole language
 * pipeline (lexer, time, vocabulary, parser, follow-ups) with the
 * vocabulary of tests/data/vocab.tsv and no database, and checks the
 * expected plan fields of each case. Also compiles every plan to SQL, so a
 * plan that sqlgen cannot build fails here.
 */
#include "unit.h"

#include "date.h"
#include "parse.h"
#include "sqlgen.h"
#include "vocab.h"

#include <jansson.h>

static void load_vocab(struct vocab *v)
{
	FILE *f = fopen(TEST_DATA_DIR "/vocab.tsv", "r");
	assert_non_null(f);
	char line[1024];
	vocab_init(v);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		char *fields[5] = { 0 };
		char *p = line;
		for (int i = 0; i < 5; i++) {
			fields[i] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (!fields[4])
			continue;
		vocab_add_data(v, fields[0], *fields[1] ? fields[1] : NULL, *fields[2] ? fields[2] : NULL,
			       *fields[3] ? fields[3] : NULL, atof(fields[4]));
	}
	fclose(f);
	const char *compute[] = { "AmazonEC2", "AWSLambda", "AmazonECS" };
	vocab_add_alias(v, "crunch", compute, 3);
	vocab_finish(v);
}

static void range_text(const struct period *p, char *buf, size_t size)
{
	char a[12], b[12];
	date_format(p->start_day, a, sizeof(a));
	date_format(p->end_day - 1, b, sizeof(b));
	snprintf(buf, size, "%s..%s", a, b);
}

static void group_text(const struct dim_ref *d, char *buf, size_t size)
{
	if (d->dim == DIM_TAG)
		snprintf(buf, size, "tag:%s", d->tag_key);
	else
		snprintf(buf, size, "%s", dimension_name(d->dim));
}

/* "service:in:AmazonEC2" or "tag:team:in:search", values joined by ';' */
static bool has_filter(const struct plan *p, const char *want)
{
	static const char *const ops[] = { "in", "not_in", "contains", "prefix", "not_prefix", "missing",
					   "present", "untagged", "tagged" };
	for (int i = 0; i < p->nfilters; i++) {
		const struct filter *f = &p->filters[i];
		char text[1024], col[160];
		group_text(&f->col, col, sizeof(col));
		size_t n = (size_t)snprintf(text, sizeof(text), "%s:%s:", col, ops[f->op]);
		for (int v = 0; v < f->nvalues; v++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", v ? ";" : "", f->values[v]);
		if (strcmp(text, want) == 0)
			return true;
	}
	return false;
}

/* Check one "key=value" expectation; returns a message or NULL. */
static const char *check(const struct parse_result *res, const char *key, const char *want, char *got, size_t size)
{
	const struct plan *p = &res->plan;
	got[0] = '\0';
	if (strcmp(key, "intent") == 0)
		snprintf(got, size, "%s", intent_name(p->intent));
	else if (strcmp(key, "measure") == 0)
		snprintf(got, size, "%s", measure_name(p->measure));
	else if (strcmp(key, "group") == 0)
		group_text(&p->group, got, size);
	else if (strcmp(key, "grain") == 0)
		snprintf(got, size, "%s", grain_name(p->grain));
	else if (strcmp(key, "range") == 0)
		range_text(&p->range, got, size);
	else if (strcmp(key, "periods") == 0) {
		char a[32], b[32];
		range_text(&p->periods[0], a, sizeof(a));
		range_text(&p->periods[1], b, sizeof(b));
		snprintf(got, size, "%s,%s", a, b);
	} else if (strcmp(key, "limit") == 0)
		snprintf(got, size, "%d", p->limit);
	else if (strcmp(key, "asc") == 0)
		snprintf(got, size, "%s", p->ascending ? "true" : "false");
	else if (strcmp(key, "unit") == 0)
		snprintf(got, size, "%s", p->usage_unit);
	else if (strcmp(key, "chart") == 0)
		snprintf(got, size, "%s", chart_name(p->chart));
	else if (strcmp(key, "filters") == 0)
		snprintf(got, size, "%d", p->nfilters);
	else if (strcmp(key, "followup") == 0)
		snprintf(got, size, "%s", res->followup ? "true" : "false");
	else if (strcmp(key, "choices") == 0)
		snprintf(got, size, "%d", p->nchoices);
	else if (strcmp(key, "insight") == 0)
		snprintf(got, size, "%s", p->intent == INTENT_INSIGHT ? p->insight : "(none)");
	else if (strcmp(key, "months") == 0)
		snprintf(got, size, "%d", p->months);
	else if (strcmp(key, "defaulted") == 0)
		snprintf(got, size, "%s", p->range_defaulted ? "true" : "false");
	else if (strcmp(key, "threshold") == 0)
		snprintf(got, size, "%s%g", !p->has_threshold ? "none" : p->threshold_below ? "<" : ">", p->threshold);
	else if (strcmp(key, "filter") == 0) {
		if (has_filter(p, want))
			return NULL;
		snprintf(got, size, "no such filter among %d", p->nfilters);
		return "missing";
	} else {
		snprintf(got, size, "unknown key");
		return "bad";
	}
	return strcmp(got, want) == 0 ? NULL : "differs";
}

static void test_questions_file(void **state)
{
	(void)state;
	struct vocab v;
	load_vocab(&v);
	FILE *f = fopen(TEST_DATA_DIR "/questions.txt", "r");
	assert_non_null(f);
	char line[2048];
	int cases = 0, failures = 0, lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *today_text, *turns, *expect;
		if (!unit_case_line(line, &today_text, &turns, &expect))
			continue;
		int today;
		assert_true(date_parse(today_text, &today));
		struct parse_result res;
		struct plan prev;
		bool have_prev = false;
		char top[128] = "";
		char *save = NULL;
		for (char *turn = strtok_r(turns, ">", &save); turn; turn = strtok_r(NULL, ">", &save)) {
			turn = unit_trim(turn);
			if (!*turn)
				continue;
			if (strncmp(turn, "{top=", 5) == 0) {
				char *end = strchr(turn, '}');
				assert_non_null(end);
				snprintf(top, sizeof(top), "%.*s", (int)(end - turn - 5), turn + 5);
				turn = unit_trim(end + 1);
			}
			struct parse_input in = { turn, today, &v, have_prev ? &prev : NULL, top[0] ? top : NULL };
			parse_question(&in, &res);
			prev = res.plan;
			have_prev = true;
			top[0] = '\0';
		}
		cases++;
		struct strbuf sql;
		strbuf_init(&sql, 0);
		bool runs = sqlgen_build(&res.plan, &sql_dialect_duckdb, &sql) == 0;
		/* an analysis runs its own queries (insight.h), not one of sqlgen's */
		bool answerable = res.plan.intent != INTENT_REFUSE && res.plan.intent != INTENT_CLARIFY &&
				  res.plan.intent != INTENT_HELP && res.plan.intent != INTENT_INSIGHT;
		if (runs != answerable) {
			failures++;
			print_message("questions.txt:%d: plan %s but SQL %s\n", lineno, intent_name(res.plan.intent),
				      runs ? "built" : "not built");
		}
		strbuf_release(&sql);
		char *esave = NULL;
		for (char *kv = strtok_r(expect, " ", &esave); kv; kv = strtok_r(NULL, " ", &esave)) {
			char *eq = strchr(kv, '=');
			assert_non_null(eq);
			*eq = '\0';
			char got[512];
			const char *why = check(&res, kv, eq + 1, got, sizeof(got));
			if (why) {
				char words[1024];
				plan_describe(&res.plan, words, sizeof(words));
				failures++;
				print_message("questions.txt:%d: %s: expected %s, got %s\n    plan: %s\n", lineno, kv, eq + 1,
					      got, words);
			}
		}
	}
	fclose(f);
	vocab_release(&v);
	print_message("questions: %d cases, %d failed checks\n", cases, failures);
	assert_true(cases > 80);
	assert_int_equal(failures, 0);
}

static void test_cue_table_sorted(void **state)
{
	(void)state;
	assert_int_equal(parse_cue_table_disorder(), 0);
}

/* An analysis' plan survives storage: name, horizon and words round-trip,
 * its description names it, and a stored plan without a name is refused. */
static void test_insight_plan_json(void **state)
{
	(void)state;
	struct vocab v;
	load_vocab(&v);
	int today;
	assert_true(date_parse("2025-12-04", &today));
	struct parse_input in = { "forecast S3 spend for next quarter", today, &v, NULL, NULL };
	struct parse_result res;
	parse_question(&in, &res);
	assert_int_equal(res.plan.intent, INTENT_INSIGHT);
	json_t *j = plan_to_json(&res.plan);
	assert_string_equal(json_string_value(json_object_get(j, "intent")), "insight");
	assert_string_equal(json_string_value(json_object_get(j, "insight")), "forecast");
	struct plan back;
	assert_int_equal(plan_from_json(j, &back), 0);
	assert_string_equal(back.insight, "forecast");
	assert_int_equal(back.months, 3);
	assert_string_equal(back.topic, "forecast S3 spend for next quarter");
	assert_int_equal(back.nfilters, 1);
	char words[1024];
	plan_describe(&back, words, sizeof(words));
	assert_non_null(strstr(words, "forecast of amortized cost"));
	assert_non_null(strstr(words, "AmazonS3"));
	assert_non_null(strstr(words, "3 months ahead"));
	json_object_del(j, "insight");
	assert_int_equal(plan_from_json(j, &back), -1);
	json_decref(j);
	vocab_release(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cue_table_sorted),
		cmocka_unit_test(test_insight_plan_json),
		cmocka_unit_test(test_questions_file),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
