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
#include "vocab_tsv.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>


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
	else if (strcmp(key, "group2") == 0)
		group_text(&p->group2, got, size);
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

/* How one case came out. A wrong case answered with a number that does
 * not answer the question (the failure users do not forgive); a miss
 * asked back or refused where an answer was due, or refused for another
 * reason than expected. */
enum outcome { CASE_PASS, CASE_MISS, CASE_WRONG };

struct case_stats {
	int cases, pass, miss, wrong;
	int answerable, covered; /* cases due an answer; those with every word read */
	int min_pass, max_wrong; /* the file's ratchet ("# min-pass: N", "# max-wrong: N"); -1: none */
};

/* The status a case expects: "status=" if given, else "answered" unless
 * its intent says it is not answered. */
static const char *expected_status(const char *expect)
{
	static char status[32];
	const char *s = strstr(expect, "status=");
	if (s) {
		snprintf(status, sizeof(status), "%.*s", (int)strcspn(s + 7, " "), s + 7);
		return status;
	}
	if (strstr(expect, "intent=refuse") || strstr(expect, "intent=clarify"))
		return "any-refusal";
	return "answered";
}

static bool has_unknown_word(const struct parse_result *res)
{
	for (size_t i = 0; i < res->nwords; i++)
		if (res->words[i].role == WORD_UNKNOWN)
			return true;
	return false;
}

/* Run every turn of a case; the last turn's result is in *res. */
static void run_turns(char *turns, int today, const struct vocab *v, struct parse_result *res)
{
	struct plan prev, answered;
	bool have_prev = false, have_answered = false;
	char top[128] = "", answered_top[128] = "";
	char *turn = turns;
	while (turn) {
		char *next = strstr(turn, ">>");
		if (next) {
			*next = '\0';
			next += 2;
		}
		turn = unit_trim(turn);
		if (strncmp(turn, "{top=", 5) == 0) {
			char *end = strchr(turn, '}');
			assert_non_null(end);
			snprintf(top, sizeof(top), "%.*s", (int)(end - turn - 5), turn + 5);
			turn = unit_trim(end + 1);
		}
		if (*turn) {
			if (have_prev && plan_answers(&prev)) /* the label of the answer it leans on */
				snprintf(answered_top, sizeof(answered_top), "%s", top);
			struct parse_input in = { turn, today, v, have_prev ? &prev : NULL, top[0] ? top : NULL,
						  have_answered ? &answered : NULL, answered_top[0] ? answered_top : NULL };
			parse_question(&in, res);
			/* as the service keeps a conversation (conversation.c,
			 * ask_previous_advance): a refused turn ("thanks!", "lol") is
			 * not the next turn's context; after a question asked back,
			 * the last answer still is, for a turn that does not answer it */
			if (plan_answers(&res->plan)) {
				answered = res->plan;
				have_answered = true;
				answered_top[0] = '\0'; /* the next turn's {top=} gives it */
			}
			if (res->plan.intent != INTENT_REFUSE) {
				prev = res->plan;
				have_prev = true;
			}
			top[0] = '\0';
		}
		turn = next;
	}
}

static void print_reading(const struct parse_result *res)
{
	char words[1024];
	plan_describe(&res->plan, words, sizeof(words));
	print_message("    status %s; plan: %s%s%s\n", parse_status_name(res->status), words,
		      res->plan.message[0] ? "; message: " : "", res->plan.message);
	struct strbuf roles;
	strbuf_init(&roles, 0);
	for (size_t i = 0; i < res->nwords; i++)
		if (res->words[i].role != WORD_PUNCT)
			strbuf_addf(&roles, " %s%s%s/%s", res->words[i].word, res->words[i].corrected[0] ? ">" : "",
				    res->words[i].corrected, word_role_name(res->words[i].role));
	print_message("    words:%s\n", roles.buf);
	strbuf_release(&roles);
}

/* Runs a file of cases (questions.txt's format) and counts outcomes;
 * prints each failure when verbose. */
static void run_case_file(const char *path, const struct vocab *v, struct case_stats *st, bool verbose)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	memset(st, 0, sizeof(*st));
	st->min_pass = st->max_wrong = -1;
	char line[4096], vocab_name[256];
	int lineno = 0;
	struct vocab own; /* "# vocab: vocab-2018.tsv": the file's cases read other data */
	bool own_vocab = false;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (sscanf(line, "# min-pass: %d", &st->min_pass) == 1 || sscanf(line, "# max-wrong: %d", &st->max_wrong) == 1)
			continue;
		if (sscanf(line, "# vocab: %255s", vocab_name) == 1 && !own_vocab) {
			unit_load_vocab_file(&own, vocab_name);
			own_vocab = true;
			v = &own;
			continue;
		}
		char *today_text, *turns, *expect;
		if (!unit_case_line(line, &today_text, &turns, &expect))
			continue;
		int today;
		assert_true(date_parse(today_text, &today));
		char question[4096];
		snprintf(question, sizeof(question), "%s", turns);
		struct parse_result res;
		run_turns(turns, today, v, &res);
		st->cases++;
		const char *want = expected_status(expect);
		bool due_answer = strcmp(want, "answered") == 0;
		bool answered = res.status == PARSE_ANSWERED;
		st->answerable += due_answer;
		st->covered += due_answer && answered && !has_unknown_word(&res);
		enum outcome outcome = CASE_PASS;
		char why[1024] = "";
		if (answered && !due_answer) {
			outcome = CASE_WRONG;
			snprintf(why, sizeof(why), "answered, expected %s", want);
		} else if (!answered && due_answer) {
			outcome = CASE_MISS;
			snprintf(why, sizeof(why), "%s, expected an answer", parse_status_name(res.status));
		} else if (!answered && strcmp(want, "any-refusal") != 0 && strcmp(want, parse_status_name(res.status)) != 0) {
			outcome = CASE_MISS;
			snprintf(why, sizeof(why), "%s, expected %s", parse_status_name(res.status), want);
		}
		if (answered) {
			struct strbuf sql;
			strbuf_init(&sql, 0);
			bool runs = sqlgen_build(&res.plan, &sql_dialect_duckdb, &sql) == 0;
			bool needs_sql = res.plan.intent != INTENT_HELP && res.plan.intent != INTENT_INSIGHT;
			if (runs != needs_sql) {
				outcome = CASE_WRONG;
				snprintf(why, sizeof(why), "plan %s but SQL %s", intent_name(res.plan.intent),
					 runs ? "built" : "not built");
			}
			strbuf_release(&sql);
		}
		char *esave = NULL;
		for (char *kv = strtok_r(expect, " ", &esave); kv && outcome == CASE_PASS; kv = strtok_r(NULL, " ", &esave)) {
			char *eq = strchr(kv, '=');
			assert_non_null(eq);
			*eq = '\0';
			if (strcmp(kv, "status") == 0)
				continue;
			char got[512];
			if (strcmp(kv, "unknown") == 0) {
				bool named = res.status == PARSE_UNKNOWN && strcasestr(res.plan.message, eq + 1);
				if (!named && res.status != PARSE_OFFTOPIC) {
					outcome = CASE_MISS;
					snprintf(why, sizeof(why), "the message does not name '%s'", eq + 1);
				}
				continue;
			}
			const char *bad = check(&res, kv, eq + 1, got, sizeof(got));
			if (bad) {
				outcome = answered ? CASE_WRONG : CASE_MISS;
				snprintf(why, sizeof(why), "%s: expected %s, got %s", kv, eq + 1, got);
			}
		}
		st->pass += outcome == CASE_PASS;
		st->miss += outcome == CASE_MISS;
		st->wrong += outcome == CASE_WRONG;
		if (outcome != CASE_PASS && verbose) {
			print_message("%s:%d: %s: %s\n    question: %s\n", name, lineno, outcome == CASE_WRONG ? "WRONG" : "miss",
				      why, question);
			print_reading(&res);
		}
	}
	fclose(f);
	if (own_vocab)
		vocab_release(&own);
}

static void test_questions_file(void **state)
{
	(void)state;
	struct vocab v;
	unit_load_vocab(&v);
	struct case_stats st;
	run_case_file(TEST_DATA_DIR "/questions.txt", &v, &st, true);
	vocab_release(&v);
	print_message("questions.txt: %d cases, %d passed, %d missed, %d wrong; every word read in %d of %d\n", st.cases,
		      st.pass, st.miss, st.wrong, st.covered, st.answerable);
	assert_true(st.cases > 80);
	assert_int_equal(st.pass, st.cases);
}

/* The corpora of tests/data/corpus/: questions written to measure
 * understanding, not to pass. Each file states its ratchet: at least
 * "min-pass" cases pass and at most "max-wrong" are answered wrongly, so
 * that a change which makes finq answer what it did not read fails here.
 * FINQ_CORPUS_VERBOSE=1 prints every case that did not pass. */
static void test_corpora(void **state)
{
	(void)state;
	struct vocab v;
	unit_load_vocab(&v);
	const char *only = getenv("FINQ_CORPUS_FILE"); /* one file, every miss printed: a debugging aid */
	if (only) {
		struct case_stats one;
		run_case_file(only, &v, &one, true);
		print_message("%s: %d cases, %d passed, %d honest misses, %d wrong\n", only, one.cases, one.pass, one.miss,
			      one.wrong);
		vocab_release(&v);
		return;
	}
	DIR *d = opendir(TEST_DATA_DIR "/corpus");
	assert_non_null(d);
	struct dirent *e;
	int files = 0, total = 0, pass = 0, wrong = 0, miss = 0, answerable = 0, covered = 0;
	bool verbose = getenv("FINQ_CORPUS_VERBOSE") != NULL, ratchets_held = true;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/corpus/%s", TEST_DATA_DIR, e->d_name);
		struct case_stats st;
		run_case_file(path, &v, &st, verbose);
		print_message("corpus %s: %d cases, %d passed (%.1f%%), %d honest misses, %d wrong (%.1f%%); "
			      "every word read in %d of %d answerable (%.1f%%)\n",
			      e->d_name, st.cases, st.pass, 100.0 * st.pass / (st.cases ? st.cases : 1), st.miss, st.wrong,
			      100.0 * st.wrong / (st.cases ? st.cases : 1), st.covered, st.answerable,
			      100.0 * st.covered / (st.answerable ? st.answerable : 1));
		/* every corpus states its ratchet */
		if (st.min_pass < 0 || st.max_wrong < 0 || st.pass < st.min_pass || st.wrong > st.max_wrong) {
			print_message("corpus %s: below its ratchet (min-pass %d, max-wrong %d)\n", e->d_name, st.min_pass,
				      st.max_wrong);
			ratchets_held = false;
		}
		files++;
		total += st.cases;
		pass += st.pass;
		wrong += st.wrong;
		miss += st.miss;
		answerable += st.answerable;
		covered += st.covered;
	}
	closedir(d);
	vocab_release(&v);
	print_message("corpora: %d files, %d cases, %d passed, %d honest misses, %d wrong; every word read in %d of %d\n",
		      files, total, pass, miss, wrong, covered, answerable);
	assert_true(files > 0);
	assert_true(ratchets_held);
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
	unit_load_vocab(&v);
	int today;
	assert_true(date_parse("2025-12-04", &today));
	struct parse_input in = { "forecast S3 spend for next quarter", today, &v, NULL, NULL, NULL, NULL };
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

/* A follow-up that moves the period keeps the one it left, through
 * storage as the service keeps a conversation (plan JSON), and "compare
 * the two" then sets those two side by side, not the month before. */
static void test_compare_the_two_discussed(void **state)
{
	(void)state;
	struct vocab v;
	unit_load_vocab(&v);
	int today;
	assert_true(date_parse("2025-12-04", &today));
	struct parse_result first, second, third;
	struct parse_input in = { "spend by region in August", today, &v, NULL, NULL, NULL, NULL };
	parse_question(&in, &first);
	assert_false(first.plan.has_range_before);
	struct parse_input in2 = { "and in June?", today, &v, &first.plan, NULL, NULL, NULL };
	parse_question(&in2, &second);
	assert_true(second.followup);
	assert_true(second.plan.has_range_before);
	json_t *j = plan_to_json(&second.plan);
	struct plan stored;
	assert_int_equal(plan_from_json(j, &stored), 0);
	json_decref(j);
	assert_true(stored.has_range_before);
	assert_int_equal(stored.range_before.start_day, first.plan.range.start_day);
	struct parse_input in3 = { "what changed between them", today, &v, &stored, NULL, NULL, NULL };
	parse_question(&in3, &third);
	assert_int_equal(third.plan.intent, INTENT_COMPARE_PERIODS);
	assert_int_equal(third.plan.group.dim, DIM_REGION);
	assert_int_equal(third.plan.periods[0].start_day, second.plan.range.start_day); /* June */
	assert_int_equal(third.plan.periods[1].start_day, first.plan.range.start_day);  /* August */
	/* with a period counted back from, the month before is meant */
	struct parse_input in4 = { "compare with the previous period", today, &v, &stored, NULL, NULL, NULL };
	parse_question(&in4, &third);
	assert_int_equal(third.plan.intent, INTENT_COMPARE_PERIODS);
	assert_int_equal(third.plan.periods[1].start_day, second.plan.range.start_day);
	assert_true(third.plan.periods[0].start_day < second.plan.range.start_day);
	vocab_release(&v);
}

/* A question back names both groupings, a tag's too: its label lived in
 * the plan the question back wipes ("by , or by env?"). */
static void test_one_grouping_at_a_time_names_both(void **state)
{
	(void)state;
	struct vocab v;
	unit_load_vocab(&v);
	int today;
	assert_true(date_parse("2025-12-04", &today));
	struct parse_input in = { "compare cost by team and env last month", today, &v, NULL, NULL, NULL, NULL };
	struct parse_result res;
	parse_question(&in, &res);
	assert_int_equal(res.plan.intent, INTENT_CLARIFY);
	assert_non_null(strstr(res.plan.message, "by team, or by env?"));
	assert_string_equal(res.plan.choices[0], "by team");
	vocab_release(&v);
}

/* Families of tag values: "mobile" for mobile-api and mobile-web; none
 * where a value is the word itself or the first word is too short. */
static const struct vocab_entry *family_of(const struct vocab *v, const char *word)
{
	const struct vocab_entry *found[8];
	size_t n = vocab_lookup(v, word, found, 8);
	for (size_t i = 0; i < n; i++)
		if (found[i]->family)
			return found[i];
	return NULL;
}

static void test_value_families(void **state)
{
	(void)state;
	struct vocab v;
	vocab_init(&v);
	vocab_add_data(&v, "tag", "app", "mobile-api", NULL, 5);
	vocab_add_data(&v, "tag", "app", "Mobile-Web", NULL, 7);
	vocab_add_data(&v, "tag", "app", "search-api", NULL, 1); /* one member: no family */
	vocab_add_data(&v, "tag", "project", "checkout", NULL, 10);
	vocab_add_data(&v, "tag", "project", "checkout-api", NULL, 5);
	vocab_add_data(&v, "tag", "project", "checkout-web", NULL, 5);
	vocab_add_data(&v, "tag", "cost_center", "cc-1001", NULL, 1);
	vocab_add_data(&v, "tag", "cost_center", "cc-1002", NULL, 1);
	vocab_finish(&v);
	const struct vocab_entry *mobile = family_of(&v, "mobile");
	assert_non_null(mobile);
	assert_int_equal(mobile->op, FILTER_PREFIX);
	assert_string_equal(mobile->col.tag_key, "app");
	assert_int_equal(mobile->nvalues, 1);
	assert_false(mobile->from_data);
	assert_true(mobile->cost == 12);
	assert_null(family_of(&v, "search"));
	assert_null(family_of(&v, "checkout")); /* the value "checkout" is the word itself */
	assert_null(family_of(&v, "cc"));
	vocab_release(&v);
}

/* One name on values of one column (a FOCUS export's AWS account, Azure
 * subscription and OCI tenancy all "Atlas Orion") is one reading of all
 * of them, never the costliest alone; across columns it stays two. */
static void test_one_name_many_values(void **state)
{
	(void)state;
	struct vocab v;
	vocab_init(&v);
	vocab_add_data(&v, "account", NULL, "11353890204", "Atlas Orion", 13);
	vocab_add_data(&v, "account", NULL, "/subscriptions/ed57", "Atlas Orion", 2);
	vocab_add_data(&v, "account", NULL, "ocid1.tenancy", "Atlas Orion", 1);
	vocab_add_data(&v, "tag", "team", "atlas orion", NULL, 4);
	vocab_finish(&v);
	const struct vocab_entry *found[6];
	size_t n = vocab_lookup(&v, "atlas orion", found, 6);
	assert_int_equal(n, 2);
	const struct vocab_entry *account = found[0]->col.dim == DIM_ACCOUNT ? found[0] : found[1];
	assert_int_equal(account->col.dim, DIM_ACCOUNT);
	assert_int_equal(account->nvalues, 3);
	assert_true(account->cost == 16);
	vocab_release(&v);
}

/* "azure" names the provider Microsoft only where the bill has it. */
static void test_cloud_names_from_the_data(void **state)
{
	(void)state;
	const struct vocab_entry *found[6];
	struct vocab with, without;
	vocab_init(&with);
	vocab_add_data(&with, "provider", NULL, "Microsoft", NULL, 2);
	vocab_add_data(&with, "provider", NULL, "AWS", NULL, 13);
	vocab_finish(&with);
	assert_int_equal(vocab_lookup(&with, "azure", found, 6), 1);
	assert_string_equal(found[0]->values[0], "Microsoft");
	vocab_release(&with);
	vocab_init(&without);
	vocab_add_data(&without, "provider", NULL, "AWS", NULL, 13);
	vocab_finish(&without);
	assert_int_equal(vocab_lookup(&without, "azure", found, 6), 0);
	vocab_release(&without);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cue_table_sorted),
		cmocka_unit_test(test_one_name_many_values),
		cmocka_unit_test(test_cloud_names_from_the_data),
		cmocka_unit_test(test_value_families),
		cmocka_unit_test(test_insight_plan_json),
		cmocka_unit_test(test_compare_the_two_discussed),
		cmocka_unit_test(test_one_grouping_at_a_time_names_both),
		cmocka_unit_test(test_questions_file),
		cmocka_unit_test(test_corpora),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
