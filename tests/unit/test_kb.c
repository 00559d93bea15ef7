/*
 * test_kb: the knowledge base against a real state file in a private temp
 * folder: questions made into FTS5 queries (hostile text never becomes
 * syntax, and every query built is accepted by FTS5), the ranking of the
 * built-in entries for typical questions, adding a user's documents (title,
 * tags, replace with the same id, all-or-nothing refusal of files that are
 * not text, too large or empty), removing them, the re-sync of the built-in
 * entries keeping user entries, and insight_knowledge's result object.
 */
#include "unit.h"

#include "insight.h"
#include "kb.h"
#include "kb_assets.h"
#include "state.h"

#include <jansson.h>
#include <sqlite3.h>
#include <sys/stat.h>

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
	snprintf(f->root, sizeof(f->root), "%s/finq-kb-XXXXXX", tmp && *tmp ? tmp : "/tmp");
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
	char cmd[700];
	state_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	int rc = system(cmd);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* Write n bytes to root/name; the full path goes to out. */
static void file_write(const struct fixture *f, const char *name, const void *data, size_t n, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", f->root, name);
	FILE *fp = fopen(out, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	fclose(fp);
}

static void file_write_str(const struct fixture *f, const char *name, const char *text, char *out, size_t size)
{
	file_write(f, name, text, strlen(text), out, size);
}

/* The query kb_query_build() makes of question; the caller frees it. */
static char *query_of(const char *question, int *nterms)
{
	struct strbuf sb = STRBUF_INIT;
	*nterms = kb_query_build(question, &sb);
	return strbuf_detach(&sb);
}

static void expect_query(const char *question, const char *want, int want_terms)
{
	int n;
	char *got = query_of(question, &n);
	if (strcmp(got, want) != 0)
		print_error("question '%s': query '%s', want '%s'\n", question, got, want);
	assert_string_equal(got, want);
	assert_int_equal(n, want_terms);
	free(got);
}

static void test_query_words_quoted_stop_words_dropped(void **state)
{
	(void)state;
	expect_query("what is a savings plan", "\"savings\" OR \"plan\"", 2);
	expect_query("How do I reduce NAT gateway costs?", "\"reduce\" OR \"nat\" OR \"gateway\" OR \"costs\"", 4);
	expect_query("gp2 vs gp3", "\"gp2\" OR \"gp3\"", 2);
	expect_query("Savings SAVINGS savings", "\"savings\"", 1);
	expect_query("what's EC2 spot?", "\"ec2\" OR \"spot\"", 2); /* "s" is too short */
}

static void test_query_hostile_text_never_syntax(void **state)
{
	(void)state;
	/* Quotes, stars, column filters, NEAR, boolean operators, carets and
	 * minus signs are separators; the keywords are just words (or stop words). */
	expect_query("\"savings\" plan\"", "\"savings\" OR \"plan\"", 2);
	expect_query("sav* NEAR(nat gateway, 5)", "\"sav\" OR \"near\" OR \"nat\" OR \"gateway\"", 4);
	expect_query("spot OR -reserved AND NOT ^title:gp3", "\"spot\" OR \"reserved\" OR \"not\" OR \"title\" OR \"gp3\"", 5);
	expect_query("{title body}: (nat)", "\"title\" OR \"body\" OR \"nat\"", 3);
	expect_query("\"", "", 0);
	expect_query("* - ( ) : ^ + \" NEAR(", "\"near\"", 1);
	expect_query("what is it?", "", 0);
	expect_query("", "", 0);
	expect_query(NULL, "", 0);
	/* Non-ASCII bytes stay inside words (unicode61 splits them further). */
	expect_query("caf\xc3\xa9 \xe2\x80\x9cspot\xe2\x80\x9d", "\"caf\xc3\xa9\" OR \"\xe2\x80\x9cspot\xe2\x80\x9d\"", 2);
}

static void test_query_limits(void **state)
{
	(void)state;
	char question[4096] = "", word[16];
	for (int i = 0; i < 50; i++) {
		snprintf(word, sizeof(word), "w%02d ", i);
		strcat(question, word);
	}
	int n;
	char *q = query_of(question, &n);
	assert_int_equal(n, KB_QUERY_TERMS_MAX);
	assert_contains(q, "\"w31\"");
	assert_not_contains(q, "\"w32\"");
	free(q);

	char blob[KB_TERM_MAX + 10];
	memset(blob, 'x', sizeof(blob) - 1);
	blob[sizeof(blob) - 1] = '\0';
	snprintf(question, sizeof(question), "%s nat", blob);
	expect_query(question, "\"nat\"", 1);
}

/* Every hostile question searches without an FTS5 syntax error. */
static void test_search_hostile_text_runs(void **state)
{
	struct fixture *f = *state;
	static const char *const questions[] = {
		"\"savings\" plan\"", "sav* NEAR(nat gateway, 5)", "spot OR -reserved AND NOT ^title:gp3",
		"{title body}: (nat)", "NEAR(", "\")(* nat", "caf\xc3\xa9 \xff\xfe spot", "'; DROP TABLE kb_docs; --",
		"AND OR NOT", "\xe2\x80\x94 nat",
	};
	struct kb_entries hits = KB_ENTRIES_INIT;
	for (size_t i = 0; i < sizeof(questions) / sizeof(questions[0]); i++) {
		struct err e = { 0 };
		if (kb_search(f->s, questions[i], 3, &hits, &e))
			print_error("question '%s': %s\n", questions[i], e.msg);
		assert_int_equal(e.code, 0);
	}
	/* ... and the search still works afterwards. */
	struct err e = { 0 };
	assert_int_equal(kb_search(f->s, "savings plan", 1, &hits, &e), 0);
	assert_int_equal(hits.n, 1);
	kb_entries_release(&hits);
}

static void test_search_no_words_is_usage_error(void **state)
{
	struct fixture *f = *state;
	struct kb_entries hits = KB_ENTRIES_INIT;
	struct err e = { 0 };
	assert_int_equal(kb_search(f->s, "what is it?", 5, &hits, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	assert_contains(e.msg, "no words to search for");
	e = (struct err){ 0 };
	assert_int_equal(kb_search(f->s, "zzqqxxv", 5, &hits, &e), 0);
	assert_int_equal(hits.n, 0);
	kb_entries_release(&hits);
}

/* The title of the first hit, and whether want_origin is among the first top. */
static void expect_ranked(struct fixture *f, const char *question, const char *want_origin, size_t top)
{
	struct kb_entries hits = KB_ENTRIES_INIT;
	struct err e = { 0 };
	assert_int_equal(kb_search(f->s, question, 5, &hits, &e), 0);
	assert_true(hits.n >= top);
	bool found = false;
	for (size_t i = 0; i < top; i++)
		found = found || strcmp(hits.items[i].origin, want_origin) == 0;
	if (!found)
		print_error("'%s': %s not in the top %zu (first: %s, then %s)\n", question, want_origin, top,
			    hits.items[0].origin, hits.n > 1 ? hits.items[1].origin : "-");
	assert_true(found);
	for (size_t i = 1; i < hits.n; i++)
		assert_true(hits.items[i - 1].score >= hits.items[i].score); /* best first */
	kb_entries_release(&hits);
}

static void test_ranking_builtin_entries(void **state)
{
	struct fixture *f = *state;
	expect_ranked(f, "what is a savings plan", "savings-plans.md", 1);
	expect_ranked(f, "how do I reduce NAT gateway costs", "nat-gateway.md", 2);
	expect_ranked(f, "how do I reduce NAT gateway costs", "vpc-endpoints.md", 2);
	expect_ranked(f, "what is the difference between amortized and unblended cost", "cost-measures.md", 1);
	expect_ranked(f, "should I move gp2 volumes to gp3", "ebs-gp2-gp3.md", 1);
	expect_ranked(f, "what does EffectiveCost mean in FOCUS", "focus-columns.md", 1);
	expect_ranked(f, "what are reserved instances", "reserved-instances.md", 1);
	expect_ranked(f, "how do I set CloudWatch log retention", "cloudwatch-logs.md", 1);
}

static void test_search_citation_and_snippet(void **state)
{
	struct fixture *f = *state;
	struct kb_entries hits = KB_ENTRIES_INIT;
	struct err e = { 0 };
	assert_int_equal(kb_search(f->s, "spot interruption notice", 1, &hits, &e), 0);
	assert_int_equal(hits.n, 1);
	assert_string_equal(hits.items[0].title, "Spot Instances");
	assert_string_equal(hits.items[0].source, "finq knowledge base: spot-instances.md");
	assert_true(hits.items[0].builtin);
	assert_contains(hits.items[0].snippet, "**interruption**");
	assert_not_contains(hits.items[0].snippet, "\n");
	static const char lead[] = "Spot Instances are spare EC2 capacity";
	assert_true(strncmp(hits.items[0].lead, lead, strlen(lead)) == 0);
	assert_true(hits.items[0].score > 0);
	kb_entries_release(&hits);
}

static size_t count_users(const struct kb_entries *all)
{
	size_t n = 0;
	for (size_t i = 0; i < all->n; i++)
		n += !all->items[i].builtin;
	return n;
}

static void test_add_find_replace_remove(void **state)
{
	struct fixture *f = *state;
	char path[512];
	struct kb_entries added = KB_ENTRIES_INIT, hits = KB_ENTRIES_INIT;
	struct err e = { 0 };
	file_write_str(f, "runbook.md",
		       "\xef\xbb\xbf\n# Our quarblex runbook\r\ntags: oncall, quarblex\r\n\r\nWhen the quarblex budget alert fires, "
		       "page the platform team.\r\n",
		       path, sizeof(path));
	const char *paths[] = { path };
	assert_int_equal(kb_add_files(f->s, paths, 1, &added, &e), 0);
	assert_int_equal(added.n, 1);
	assert_string_equal(added.items[0].title, "Our quarblex runbook");
	assert_string_equal(added.items[0].tags, "oncall, quarblex");
	assert_string_equal(added.items[0].source, "runbook.md");
	assert_string_equal(added.items[0].origin, path);
	assert_false(added.items[0].replaced);
	long long id = added.items[0].id;

	assert_int_equal(kb_search(f->s, "what do we do about quarblex", 5, &hits, &e), 0);
	assert_int_equal(hits.n, 1);
	assert_int_equal(hits.items[0].id, id);
	assert_string_equal(hits.items[0].source, "runbook.md");
	assert_false(hits.items[0].builtin);

	/* The same file again replaces it, keeping the id; the old words go. */
	file_write_str(f, "runbook.md", "# Our zindle runbook\n\nThe zindle alert goes to finance.\n", path, sizeof(path));
	kb_entries_release(&added);
	assert_int_equal(kb_add_files(f->s, paths, 1, &added, &e), 0);
	assert_true(added.items[0].replaced);
	assert_int_equal(added.items[0].id, id);
	assert_int_equal(kb_search(f->s, "quarblex", 5, &hits, &e), 0);
	assert_int_equal(hits.n, 0);
	assert_int_equal(kb_search(f->s, "zindle", 5, &hits, &e), 0);
	assert_int_equal(hits.n, 1);
	assert_string_equal(hits.items[0].title, "Our zindle runbook");

	/* A plain text file is titled by its name. */
	file_write_str(f, "egress notes.txt", "Egress to the partner goes over Direct Connect (plimbo).\n", path,
		       sizeof(path));
	kb_entries_release(&added);
	assert_int_equal(kb_add_files(f->s, paths, 1, &added, &e), 0);
	assert_string_equal(added.items[0].title, "egress notes");
	long long notes_id = added.items[0].id;

	/* Remove by title (case and blanks aside) and by id. */
	struct kb_entry gone = { 0 };
	assert_int_equal(kb_remove(f->s, "  our ZINDLE runbook ", &gone, &e), 0);
	assert_int_equal(gone.id, id);
	kb_entry_release(&gone);
	char idtext[32];
	snprintf(idtext, sizeof(idtext), "%lld", notes_id);
	assert_int_equal(kb_remove(f->s, idtext, NULL, &e), 0);
	assert_int_equal(kb_search(f->s, "zindle plimbo", 5, &hits, &e), 0);
	assert_int_equal(hits.n, 0);

	/* Unknown entries and built-in ones cannot be removed. */
	assert_int_equal(kb_remove(f->s, "Our zindle runbook", NULL, &e), -1);
	assert_int_equal(e.code, ERR_FAILED);
	assert_contains(e.msg, "no knowledge base entry is titled 'Our zindle runbook'");
	assert_int_equal(kb_remove(f->s, "savings plans", NULL, &e), -1);
	assert_contains(e.msg, "'Savings Plans' is a built-in entry");
	kb_entries_release(&added);
	kb_entries_release(&hits);
}

static void test_add_refuses_what_is_not_text(void **state)
{
	struct fixture *f = *state;
	char good[512], bad[512];
	struct kb_entries added = KB_ENTRIES_INIT, all = KB_ENTRIES_INIT;
	struct err e = { 0 };
	static const struct {
		const char *name, *data;
		size_t n;
		const char *message;
	} cases[] = {
		{ "nul.md", "# T\nabc\0def\n", 12, "is not text: it has a NUL byte at offset 7" },
		{ "latin1.txt", "caf\xe9 au lait\n", 13, "is not UTF-8 text: invalid byte 0xe9 at offset 3" },
		{ "overlong.txt", "a\xc0\xafz\n", 5, "is not UTF-8 text: invalid byte 0xc0 at offset 1" },
		{ "surrogate.txt", "a\xed\xa0\x80z\n", 6, "is not UTF-8 text" },
		{ "cut.txt", "abc\xe2\x82", 5, "is not UTF-8 text: invalid byte 0xe2 at offset 3" },
		{ "control.bin", "ELF\x01\x02\x03", 6, "control byte 0x01 at offset 3" },
		{ "empty.md", " \n\n", 3, "is empty" },
		{ "title-only.md", "# Just a title\n\n", 16, "has a title but no text" },
	};
	file_write_str(f, "good.md", "# Good\n\nA fine document about frobnitz.\n", good, sizeof(good));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		file_write(f, cases[i].name, cases[i].data, cases[i].n, bad, sizeof(bad));
		const char *paths[] = { good, bad }; /* the good one first: nothing is stored */
		e = (struct err){ 0 };
		assert_int_equal(kb_add_files(f->s, paths, 2, &added, &e), -1);
		assert_int_equal(e.code, ERR_BAD_INPUT);
		assert_contains(e.msg, cases[i].message);
		assert_contains(e.msg, cases[i].name);
		assert_int_equal(added.n, 0);
	}
	/* Too large: one byte over the limit. */
	char *big = malloc(KB_FILE_MAX + 1);
	memset(big, 'a', KB_FILE_MAX + 1);
	file_write(f, "big.txt", big, KB_FILE_MAX + 1, bad, sizeof(bad));
	free(big);
	const char *paths[] = { good, bad };
	assert_int_equal(kb_add_files(f->s, paths, 2, &added, &e), -1);
	assert_contains(e.msg, "is larger than 1048576 bytes");
	/* Missing files and folders. */
	const char *missing[] = { "/nonexistent/finq-kb.md" };
	assert_int_equal(kb_add_files(f->s, missing, 1, &added, &e), -1);
	assert_contains(e.msg, "cannot read file '/nonexistent/finq-kb.md'");
	const char *folder[] = { f->root };
	assert_int_equal(kb_add_files(f->s, folder, 1, &added, &e), -1);
	assert_contains(e.msg, "is a folder");

	assert_int_equal(kb_list(f->s, &all, &e), 0);
	assert_int_equal(count_users(&all), 0);
	assert_int_equal(all.n, kb_assets_count);
	kb_entries_release(&added);
	kb_entries_release(&all);
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* A changed stamp (a binary with other built-in entries) re-syncs them and
 * keeps what the user added, with its id. */
static void test_resync_keeps_user_entries(void **state)
{
	struct fixture *f = *state;
	char path[512];
	struct kb_entries added = KB_ENTRIES_INIT, all = KB_ENTRIES_INIT, hits = KB_ENTRIES_INIT;
	struct err e = { 0 };
	file_write_str(f, "mine.md", "# Mine\n\nThe wobbleflop cluster belongs to data.\n", path, sizeof(path));
	const char *paths[] = { path };
	assert_int_equal(kb_add_files(f->s, paths, 1, &added, &e), 0);
	long long id = added.items[0].id;

	/* An older binary's entries: one missing, one stale, an old stamp. */
	raw_exec(f->path, "DELETE FROM kb_fts WHERE rowid = (SELECT id FROM kb_docs WHERE origin = 'nat-gateway.md');"
			  "DELETE FROM kb_docs WHERE origin = 'nat-gateway.md';"
			  "UPDATE kb_fts SET body = 'stale' WHERE rowid = (SELECT id FROM kb_docs WHERE origin = 'spot-instances.md');"
			  "UPDATE kb_meta SET value = '0:old' WHERE key = 'builtin';");

	assert_int_equal(kb_list(f->s, &all, &e), 0);
	assert_int_equal(all.n, kb_assets_count + 1);
	assert_int_equal(count_users(&all), 1);
	bool nat = false;
	for (size_t i = 0; i < all.n; i++) {
		nat = nat || strcmp(all.items[i].origin, "nat-gateway.md") == 0;
		if (!all.items[i].builtin) {
			assert_int_equal(all.items[i].id, id);
			assert_string_equal(all.items[i].title, "Mine");
		}
	}
	assert_true(nat);
	assert_int_equal(kb_search(f->s, "interruption notice", 1, &hits, &e), 0);
	assert_string_equal(hits.items[0].origin, "spot-instances.md");
	assert_int_equal(kb_search(f->s, "wobbleflop", 5, &hits, &e), 0);
	assert_int_equal(hits.n, 1);
	kb_entries_release(&added);
	kb_entries_release(&all);
	kb_entries_release(&hits);
}

static void test_insight_knowledge(void **state)
{
	struct fixture *f = *state;
	struct insight_request req;
	struct err e = { 0 };
	json_t *out = NULL;
	insight_request_init(&req);
	req.text = "what is a savings plan?";

	assert_ptr_equal(insight_find("knowledge"), &insight_knowledge);
	assert_int_equal(insight_knowledge.run(&req, &out, &e), -1); /* no state */
	assert_null(out);
	assert_contains(e.msg, "state file");

	req.state = f->s;
	assert_int_equal(insight_knowledge.run(&req, &out, &e), 0);
	const char *message = json_string_value(json_object_get(out, "message"));
	static const char opening[] = "From the finq knowledge base, *Savings Plans*: A Savings Plan is";
	assert_true(strncmp(message, opening, strlen(opening)) == 0);
	assert_contains(message, "(Source: finq knowledge base: savings-plans.md.)");
	assert_contains(message, "See also: *");
	json_t *items = json_object_get(out, "items");
	assert_true(json_array_size(items) >= 2);
	json_t *first = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(first, "title")), "Savings Plans");
	assert_string_equal(json_string_value(json_object_get(first, "source")), "finq knowledge base: savings-plans.md");
	assert_non_null(json_string_value(json_object_get(first, "snippet")));
	assert_true(json_real_value(json_object_get(first, "score")) > 0);
	assert_int_equal(json_array_size(json_object_get(out, "rows")), json_array_size(items));
	assert_contains(json_string_value(json_object_get(out, "method")), "\"savings\" OR \"plan\"");
	json_decref(out);

	req.text = "how do I?";
	assert_int_equal(insight_knowledge.run(&req, &out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 0);
	assert_contains(json_string_value(json_object_get(out, "message")), "Ask about a FinOps topic");
	json_decref(out);

	req.text = "zzqqxxv \xff";
	assert_int_equal(insight_knowledge.run(&req, &out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 0);
	assert_contains(json_string_value(json_object_get(out, "message")), "no entry about that");
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_words_quoted_stop_words_dropped),
		cmocka_unit_test(test_query_hostile_text_never_syntax),
		cmocka_unit_test(test_query_limits),
		cmocka_unit_test_setup_teardown(test_search_hostile_text_runs, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_search_no_words_is_usage_error, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ranking_builtin_entries, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_search_citation_and_snippet, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_add_find_replace_remove, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_add_refuses_what_is_not_text, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_resync_keeps_user_entries, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_insight_knowledge, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests_name("kb", tests, NULL, NULL);
}
