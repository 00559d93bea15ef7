/*
 * test_athena: the Athena client and engine offline (store/athena_client.c,
 * store/engine_athena.c, load/athena_table.c). A scripted transport
 * (athena_script.h) answers each call with a recorded answer from
 * tests/data/athena (written from the Athena API reference: nothing here
 * reached AWS) and keeps what the client sent, so these tests check the
 * addresses, credentials, request bodies, the signed headers, polling,
 * paging, types, time limits, cancelling, errors, the read-only check,
 * partition pruning and the WITH entries. test_athena_ask.c goes on with
 * questions, analyses, odd answers and the real transport.
 */
#include "unit.h"

#include "athena_script.h"
#include "athena_table.h"
#include "date.h"
#include "engine.h"
#include "engines.h"
#include "schema.h"
#include "sigv4.h"

#include <unistd.h>

/* ---- the address and the credentials ---- */

/* --engine picks the engine by its scheme, in service/engines.c's table */
static void test_engine_schemes(void **state)
{
	(void)state;
	assert_true(engines_known("athena://primary/cur/cur_hourly?region=us-east-1&output=s3://b/p"));
	assert_true(engines_known("clickhouse://127.0.0.1:8123/finq?cluster=finq"));
	assert_false(engines_known("postgres://localhost/finq"));
	struct db db;
	memset(&db, 0, sizeof(db));
	struct err e = { 0 };
	assert_int_not_equal(engines_attach(&db, "bigquery://p/d", &e), 0);
	assert_non_null(strstr(e.msg, "athena://"));
}

static void test_addresses(void **state)
{
	(void)state;
	struct athena_target t;
	struct err e = { 0 };
	assert_int_equal(athena_target_parse(test_url, &t, &e), 0);
	assert_string_equal(t.workgroup, "finq-wg");
	assert_string_equal(t.database, "cur");
	assert_string_equal(t.table, "cur_hourly");
	assert_string_equal(t.region, "eu-west-1");
	assert_string_equal(t.output, "s3://example-results/finq/");
	assert_string_equal(t.catalog, "AwsDataCatalog");
	assert_string_equal(t.endpoint, "https://athena.eu-west-1.amazonaws.com/");
	athena_target_release(&t);

	setenv("AWS_REGION", "us-east-2", 1);
	assert_int_equal(athena_target_parse("athena://primary/db/t", &t, &e), 0);
	assert_string_equal(t.region, "us-east-2");
	assert_null(t.output);
	athena_target_release(&t);
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");

	static const struct {
		const char *url, *message;
	} bad[] = {
		{ "athena://primary/db", "must name WORKGROUP/DATABASE/TABLE" },
		{ "athena://primary/db/t/extra?region=x", "must name WORKGROUP/DATABASE/TABLE" },
		{ "athena://primary//t?region=x", "must name WORKGROUP/DATABASE/TABLE" },
		{ "athena://primary/db/t", "no region" },
		{ "athena://primary/db/t?region=eu-west-1&color=red", "unknown parameter 'color'" },
		{ "athena://primary/db/t?region=eu-west-1&output=/tmp/x", "output must be an s3:// location" },
		{ "athena://primary/db/t\";drop?region=eu-west-1", "letters, digits" },
		{ "clickhouse://h:1/db", "not an athena address" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&e);
		assert_int_not_equal(athena_target_parse(bad[i].url, &t, &e), 0);
		assert_contains(e.msg, bad[i].message);
		assert_int_equal(e.code, ERR_USAGE);
		athena_target_release(&t);
	}
}

static void test_credentials(void **state)
{
	(void)state;
	struct err e = { 0 };
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	char path[128];
	snprintf(path, sizeof(path), "/tmp/wt-athena-credentials-%d", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("# a comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = secret1\n\n"
	      "[finops]\naws_access_key_id=AKIDFINOPS\naws_secret_access_key=secret2\naws_session_token = tok\n",
	      f);
	fclose(f);
	setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
	setenv("AWS_PROFILE", "finops", 1);
	struct script s = { 0 };
	static const struct step steps[] = { { "GetTableMetadata", 200, "table-cur1.json" } };
	s.steps = steps;
	s.nsteps = 1;
	struct athena_client *c = athena_client_new(test_url, &e);
	if (!c)
		fail_msg("%s", e.msg);
	athena_client_set_transport(c, scripted, &s);
	athena_client_set_clock(c, fake_now, fake_sleep, &s);
	struct athena_column *cols;
	size_t n;
	assert_int_equal(athena_table_columns(c, &cols, &n, &e), 0);
	assert_int_equal(n, 48); /* 46 columns and 2 partition keys */
	assert_string_equal(cols[47].name, "month");
	athena_columns_free(cols, n);
	assert_contains(s.sent[0].headers, "Credential=AKIDFINOPS/20251201/eu-west-1/athena/aws4_request");
	assert_contains(s.sent[0].headers, "X-Amz-Security-Token: tok\n");
	athena_client_free(c);
	release_script(&s);

	setenv("AWS_PROFILE", "nobody", 1);
	assert_null(athena_client_new(test_url, &e));
	assert_contains(e.msg, "no profile 'nobody'");
	unlink(path);
	assert_null(athena_client_new(test_url, &e));
	assert_contains(e.msg, "no AWS credentials");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	unsetenv("AWS_PROFILE");
	setenv("AWS_ACCESS_KEY_ID", "AKIDONLY", 1);
	assert_null(athena_client_new(test_url, &e));
	assert_contains(e.msg, "must be set together");
	unsetenv("AWS_ACCESS_KEY_ID");
}

/* ---- one statement's run ---- */

static const struct step run_steps[] = {
	{ "GetTableMetadata", 200, "table-cur1.json" },
	{ "StartQueryExecution", 200, "start.json" },
	{ "GetQueryExecution", 200, "execution-queued.json" },
	{ "GetQueryExecution", 200, "execution-running.json" },
	{ "GetQueryExecution", 200, "execution-succeeded.json" },
	{ "GetQueryResults", 200, "results-page1.json" },
	{ "GetQueryResults", 200, "results-page2.json" },
};

static void test_a_run_start_to_last_page(void **state)
{
	(void)state;
	struct script s = { .steps = run_steps, .nsteps = 7 };
	struct athena_client *c = scripted_client(&s);
	struct db db;
	open_memory(&db);
	struct err e = { 0 };
	assert_int_equal(engine_athena_attach_client_mapped(&db, c, &e), 0);
	struct table t;
	table_init(&t);
	struct db_run_options opt = { .timeout_seconds = 60 };
	const char *sql = "SELECT service_code AS service, sum(amortized_cost) AS amortized_cost FROM costs GROUP BY 1";
	if (db_run(&db, sql, &opt, &t, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(s.nsent, 7);

	/* the start: the user's table in front, as costs; the workgroup,
	 * database, catalog and output; a fresh idempotency token */
	json_t *start = json_loads(s.sent[1].body, 0, NULL);
	const char *query = json_string_value(json_object_get(start, "QueryString"));
	assert_true(strncmp(query, "WITH costs (usage_date, charge_start, billing_period", 52) == 0);
	/* no date range: every partition, the mark left as a comment */
	assert_contains(query, "FROM \"cur\".\"cur_hourly\" /*finq:partitions*/) AS stage1)\nSELECT service_code AS service");
	assert_not_contains(query, "vocabulary");
	assert_string_equal(json_string_value(json_object_get(start, "WorkGroup")), "finq-wg");
	json_t *context = json_object_get(start, "QueryExecutionContext");
	assert_string_equal(json_string_value(json_object_get(context, "Database")), "cur");
	assert_string_equal(json_string_value(json_object_get(context, "Catalog")), "AwsDataCatalog");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(start, "ResultConfiguration"), "OutputLocation")),
		"s3://example-results/finq/");
	assert_int_equal(strlen(json_string_value(json_object_get(start, "ClientRequestToken"))), 64);
	json_decref(start);

	/* polling: the id sent back, a growing wait between polls */
	assert_string_equal(s.sent[2].body, "{\"QueryExecutionId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\"}");
	assert_int_equal(s.slept_ms, 100 + 200);
	/* paging: 1,000 rows a page, the second asks with the first's token */
	assert_string_equal(s.sent[5].body,
			    "{\"MaxResults\":1000,\"QueryExecutionId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\"}");
	assert_contains(s.sent[6].body, "\"NextToken\":\"AQAAAAEAAAAEXAMPLEPAGETOKEN2\"");

	/* every call a signed AWS JSON 1.1 POST */
	for (size_t i = 0; i < s.nsent; i++) {
		assert_string_equal(s.sent[i].url, "https://athena.eu-west-1.amazonaws.com/");
		assert_contains(s.sent[i].headers, "Host: athena.eu-west-1.amazonaws.com\n");
		assert_contains(s.sent[i].headers, "Content-Type: application/x-amz-json-1.1\n");
		assert_contains(s.sent[i].headers, "X-Amz-Date: 2025120");
		assert_contains(s.sent[i].headers, "X-Amz-Security-Token: FwoGZXIvYXdzEXAMPLETOKEN\n");
		assert_contains(s.sent[i].headers,
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251201/eu-west-1/athena/aws4_request, "
				"SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=");
	}
	/* the signature is of the body that was sent */
	char target[128], date[32], signature[80];
	const char *h = s.sent[1].headers;
	assert_int_equal(sscanf(strstr(h, "X-Amz-Target: ") + 14, "%127s", target), 1);
	assert_int_equal(sscanf(strstr(h, "X-Amz-Date: ") + 12, "%31s", date), 1);
	assert_int_equal(sscanf(strstr(h, "Signature=") + 10, "%79s", signature), 1);
	struct sigv4_header hs[] = { { "Host", "athena.eu-west-1.amazonaws.com" },
				     { "Content-Type", "application/x-amz-json-1.1" },
				     { "X-Amz-Target", target } };
	struct sigv4_request req = { "POST", "/", NULL, hs, 3, s.sent[1].body, strlen(s.sent[1].body) };
	struct sigv4_credentials cred = { "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
					  "FwoGZXIvYXdzEXAMPLETOKEN" };
	struct sigv4_params p = { .region = "eu-west-1", .service = "athena", .amz_date = date, .normalize_path = true };
	struct sigv4_signed sig;
	sigv4_signed_init(&sig);
	assert_int_equal(sigv4_sign_headers(&req, &cred, &p, &sig), 0);
	assert_string_equal(sig.signature, signature);
	sigv4_signed_release(&sig);

	/* the table: the label row skipped, both pages, Athena's types */
	assert_int_equal(t.ncols, 7);
	assert_int_equal(t.nrows, 4);
	assert_false(t.truncated);
	assert_string_equal(t.names[2], "amortized_cost");
	assert_int_equal(table_at(&t, 0, 0)->kind, CELL_TEXT);
	assert_string_equal(table_at(&t, 0, 0)->v.s, "AmazonEC2");
	assert_int_equal(table_at(&t, 0, 2)->kind, CELL_REAL);
	assert_close(table_at(&t, 0, 2)->v.r, 48211.0734, 1e-9);
	assert_int_equal(table_at(&t, 0, 4)->kind, CELL_DATE);
	assert_string_equal(table_at(&t, 0, 4)->v.s, "2025-11-01");
	assert_int_equal(table_at(&t, 0, 5)->kind, CELL_INT);
	assert_int_equal(table_at(&t, 0, 5)->v.i, 182544);
	assert_int_equal(table_at(&t, 0, 6)->kind, CELL_BOOL);
	assert_true(table_at(&t, 0, 6)->v.b);
	assert_string_equal(table_at(&t, 2, 0)->v.s, "AmazonS3");
	/* a cell without VarCharValue is NULL */
	assert_int_equal(table_at(&t, 3, 0)->kind, CELL_NULL);
	assert_int_equal(table_at(&t, 3, 4)->kind, CELL_NULL);
	assert_close(table_at(&t, 3, 2)->v.r, 6127.11, 1e-9);
	table_release(&t);
	db_close(&db);
	release_script(&s);
}

static void test_max_rows_stops_paging(void **state)
{
	(void)state;
	struct script s = { .steps = run_steps + 1, .nsteps = 5 };
	struct athena_client *c = scripted_client(&s);
	struct table t;
	table_init(&t);
	struct err e = { 0 };
	struct db_run_options opt = { .max_rows = 1 };
	assert_int_equal(athena_client_run(c, "SELECT 1", &opt, &t, &e), 0);
	assert_int_equal(t.nrows, 1);
	assert_true(t.truncated);
	assert_int_equal(s.nsent, 5); /* no second page */
	table_release(&t);
	athena_client_free(c);
	release_script(&s);

	/* past max_result_bytes the run fails as DuckDB's does */
	struct script s2 = { .steps = run_steps + 1, .nsteps = 5 };
	c = scripted_client(&s2);
	table_init(&t);
	struct db_run_options small = { .max_result_bytes = 64 };
	assert_int_not_equal(athena_client_run(c, "SELECT 1", &small, &t, &e), 0);
	assert_contains(e.msg, "the result is larger than");
	assert_int_equal(e.code, ERR_REFUSED);
	table_release(&t);
	athena_client_free(c);
	release_script(&s2);
}

static void test_a_failed_query_says_why(void **state)
{
	(void)state;
	static const struct step steps[] = {
		{ "StartQueryExecution", 200, "start.json" },
		{ "GetQueryExecution", 200, "execution-failed.json" },
	};
	struct script s = { .steps = steps, .nsteps = 2 };
	struct athena_client *c = scripted_client(&s);
	struct table t;
	table_init(&t);
	struct err e = { 0 };
	assert_int_not_equal(athena_client_run(c, "SELECT line_item_usage_start_dat FROM t", NULL, &t, &e), 0);
	assert_contains(e.msg, "athena query a1b2c3d4-5678-90ab-cdef-EXAMPLE11111 failed: line 3:8: Column "
			       "'line_item_usage_start_dat' cannot be resolved");
	assert_int_equal(s.nsent, 2);
	table_release(&t);
	athena_client_free(c);
	release_script(&s);
}

static bool always_cancelled(void *arg)
{
	return ((struct script *)arg)->cancel;
}

static void test_time_limit_and_cancel_stop_the_query(void **state)
{
	(void)state;
	static const struct step steps[] = {
		{ "StartQueryExecution", 200, "start.json" },
		{ "GetQueryExecution", 200, "execution-running.json" },
		{ "GetQueryExecution", 200, "execution-running.json" },
		{ "GetQueryExecution", 200, "execution-running.json" },
		{ "GetQueryExecution", 200, "execution-running.json" },
		{ "GetQueryExecution", 200, "execution-running.json" },
		{ "GetQueryExecution", 200, "execution-running.json" },
		{ "StopQueryExecution", 200, "stop.json" },
	};
	/* 0.1 + 0.2 + 0.4 + 0.8 + 1.6 = 3.1 s waited after five polls; the
	 * sixth finds it past 3 s */
	struct script s = { .steps = steps, .nsteps = 8 };
	struct athena_client *c = scripted_client(&s);
	struct table t;
	table_init(&t);
	struct err e = { 0 };
	struct db_run_options opt = { .timeout_seconds = 3 };
	assert_int_not_equal(athena_client_run(c, "SELECT 1", &opt, &t, &e), 0);
	assert_contains(e.msg, "took longer than the time limit of 3 s");
	assert_int_equal(e.code, ERR_REFUSED);
	assert_int_equal(s.nsent, 8);
	/* no call may outlast the statement: the first had 3 s, the last
	 * (the stop, past the limit) a second */
	assert_close(s.sent[0].timeout, 3, 1e-5);
	assert_close(s.sent[3].timeout, 3 - 0.1 - 0.2, 1e-5); /* the clock is Unix seconds in a double */
	assert_close(s.sent[7].timeout, 1, 1e-5);
	assert_string_equal(s.sent[7].action, "StopQueryExecution");
	assert_string_equal(s.sent[7].body, "{\"QueryExecutionId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\"}");
	athena_client_free(c);
	release_script(&s);

	static const struct step cancel_steps[] = {
		{ "StartQueryExecution", 200, "start.json" },
		{ "GetQueryExecution", 200, "execution-running.json" },
		{ "StopQueryExecution", 200, "stop.json" },
	};
	struct script s2 = { .steps = cancel_steps, .nsteps = 3, .cancel = true };
	c = scripted_client(&s2);
	struct db_run_options copt = { .cancelled = always_cancelled, .cancel_arg = &s2 };
	err_clear(&e);
	assert_int_not_equal(athena_client_run(c, "SELECT 1", &copt, &t, &e), 0);
	assert_contains(e.msg, "the client went away");
	assert_string_equal(s2.sent[2].action, "StopQueryExecution");
	table_release(&t);
	athena_client_free(c);
	release_script(&s2);
}

static void test_api_errors(void **state)
{
	(void)state;
	/* throttled twice, then answered: retried with a growing wait */
	static const struct step steps[] = {
		{ "StartQueryExecution", 400, "error-throttled.json" },
		{ "StartQueryExecution", 400, "error-throttled.json" },
		{ "StartQueryExecution", 400, "error-invalid.json" },
	};
	struct script s = { .steps = steps, .nsteps = 3 };
	struct athena_client *c = scripted_client(&s);
	struct table t;
	table_init(&t);
	struct err e = { 0 };
	assert_int_not_equal(athena_client_run(c, "SELECT 1", NULL, &t, &e), 0);
	assert_int_equal(s.nsent, 3);
	assert_int_equal(s.slept_ms, 200 + 400);
	assert_close(s.sent[0].timeout, 30, 1e-9); /* no limit: 30 s a call */
	assert_string_equal(e.msg, "athena StartQueryExecution: InvalidRequestException (HTTP 400): "
				   "WorkGroup finq-missing is not found.");
	/* the same token each try: Athena runs a retried start once */
	assert_string_equal(s.sent[0].body, s.sent[2].body);
	table_release(&t);
	athena_client_free(c);
	release_script(&s);

	/* a table that is not a CUR is refused by name */
	static const struct step focus[] = { { "GetTableMetadata", 200, "table-focus.json" } };
	struct script s2 = { .steps = focus, .nsteps = 1 };
	c = scripted_client(&s2);
	struct db db;
	open_memory(&db);
	err_clear(&e);
	assert_int_not_equal(engine_athena_attach_client_mapped(&db, c, &e), 0);
	assert_contains(e.msg, "athena table cur.cur_hourly is not a Cost and Usage Report (it looks like 'focus')");
	assert_null(db.engine);
	db_close(&db);
	release_script(&s2);
}

/* Only queries leave for Athena: nothing is sent for the others. */
static void test_only_queries_are_sent(void **state)
{
	(void)state;
	static const struct {
		const char *sql, *word;
	} refused[] = {
		{ "DROP TABLE cur.cur_hourly", "DROP" },
		{ "  -- a comment\n/* and another */ insert into costs values (1)", "INSERT" },
		{ "UNLOAD (SELECT * FROM costs) TO 's3://elsewhere/' WITH (format = 'PARQUET')", "UNLOAD" },
		{ "MSCK REPAIR TABLE cur_hourly", "MSCK" },
		{ "CREATE TABLE x AS SELECT 1", "CREATE" },
		{ "EXPLAIN ANALYZE SELECT 1", "EXPLAIN" },
		{ "", "(nothing)" },
	};
	struct script s = { 0 };
	struct athena_client *c = scripted_client(&s);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct table t;
		table_init(&t);
		struct err e = { 0 };
		assert_int_not_equal(athena_client_run(c, refused[i].sql, NULL, &t, &e), 0);
		char want[64];
		snprintf(want, sizeof(want), "only SELECT statements may run on athena, not '%s'", refused[i].word);
		assert_contains(e.msg, want);
		assert_int_equal(e.code, ERR_REFUSED);
		table_release(&t);
	}
	assert_int_equal(s.nsent, 0);
	struct err e = { 0 };
	assert_int_equal(athena_check_read_only("select 1", &e), 0);
	assert_int_equal(athena_check_read_only("((SELECT 1) UNION ALL (SELECT 2))", &e), 0);
	assert_int_equal(athena_check_read_only("/* x */ WITH a AS (SELECT 1) SELECT * FROM a", &e), 0);
	athena_client_free(c);
}

/* ---- partition pruning ---- */

static void test_statement_ranges(void **state)
{
	(void)state;
	static const struct {
		const char *sql;
		bool found;
		const char *start, *end;
	} cases[] = {
		{ "SELECT sum(amortized_cost) AS amortized_cost\nFROM costs\nWHERE usage_date >= date '2025-11-01' AND "
		  "usage_date < date '2025-12-01'",
		  true, "2025-11-01", "2025-12-01" },
		{ "SELECT * FROM (SELECT x\nFROM costs\nWHERE usage_date >= date '2025-10-01' AND usage_date < date "
		  "'2025-11-01'\n  AND (service_code IN ('AmazonEC2'))\nGROUP BY 1) AS parts WHERE TRUE",
		  true, "2025-10-01", "2025-11-01" },
		/* a comparison: both periods */
		{ "SELECT 1\nFROM costs\nWHERE ((usage_date >= date '2025-09-01' AND usage_date < date '2025-10-01') OR "
		  "(usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01'))\nGROUP BY 1",
		  true, "2025-09-01", "2025-11-01" },
		/* costs read twice (the run rate's days with data): not narrowed */
		{ "SELECT (SELECT count(*) FROM costs WHERE TRUE)\nFROM costs\nWHERE usage_date >= date '2025-11-01' AND "
		  "usage_date < date '2025-12-01'",
		  false, NULL, NULL },
		{ "SELECT min(usage_date), max(usage_date) FROM costs", false, NULL, NULL },
		{ "SELECT 1\nFROM costs\nWHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01' OR TRUE",
		  false, NULL, NULL },
		{ "SELECT 1\nFROM costs\nWHERE usage_date >= date '2025-11-31' AND usage_date < date '2025-12-01'", false,
		  NULL, NULL },
		{ "SELECT 1\nFROM costs_day\nWHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'", false,
		  NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int start = 0, end = 0;
		bool found = athena_statement_range(cases[i].sql, "costs", &start, &end);
		if (found != cases[i].found)
			fail_msg("case %zu: expected %s for:\n%s", i, cases[i].found ? "a range" : "none", cases[i].sql);
		if (!found)
			continue;
		char a[16], b[16];
		date_format(start, a, sizeof(a));
		date_format(end, b, sizeof(b));
		assert_string_equal(a, cases[i].start);
		assert_string_equal(b, cases[i].end);
	}
}

/* Narrowed in the statement as sent, but never under a relation that
 * reads costs for itself (the vocabulary would lose the other months). */
static char *months_of(const char *layout, int start_day, int end_day)
{
	(void)start_day;
	(void)end_day;
	return xasprintf("p IN ('%s')", layout);
}

static void test_pruning_in_the_statement_sent(void **state)
{
	(void)state;
	struct script s = { 0 };
	struct athena_client *c = scripted_client(&s);
	athena_client_add_pruned_relation(c, "costs", "costs (a) AS (SELECT 1 FROM t " ATHENA_PARTITIONS_MARK ")",
					  months_of, "2025-11");
	athena_client_add_relation(c, "vocabulary", "vocabulary (d) AS (SELECT a FROM costs)");
	static const char ranged[] = "\nFROM costs\nWHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'";
	struct strbuf out = STRBUF_INIT;
	char *sql = xasprintf("SELECT 1%s", ranged);
	athena_client_statement(c, sql, &out);
	assert_contains(out.buf, "costs (a) AS (SELECT 1 FROM t WHERE p IN ('2025-11'))");
	free(sql);
	strbuf_reset(&out);
	sql = xasprintf("SELECT (SELECT count(*) FROM vocabulary)%s", ranged);
	athena_client_statement(c, sql, &out);
	assert_contains(out.buf, "costs (a) AS (SELECT 1 FROM t " ATHENA_PARTITIONS_MARK ")");
	free(sql);
	strbuf_release(&out);
	athena_client_free(c);
}

static void test_partition_conditions(void **state)
{
	(void)state;
	int nov = 0, dec = 0, jan = 0, feb = 0, old = 0;
	assert_true(date_parse("2025-11-01", &nov));
	assert_true(date_parse("2025-12-01", &dec));
	assert_true(date_parse("2026-01-10", &jan));
	assert_true(date_parse("2026-02-01", &feb));
	assert_true(date_parse("2020-01-01", &old));
	char *c = athena_prune_partitions("billing_period", nov, dec);
	assert_string_equal(c, "\"billing_period\" IN ('2025-10', '2025-11', '2025-12')");
	free(c);
	c = athena_prune_partitions("year,month", dec, jan);
	assert_string_equal(c, "((\"year\" = '2025' AND \"month\" IN ('11', '12')) OR (\"year\" = '2026' AND "
			       "\"month\" IN ('1', '01', '2', '02')))");
	free(c);
	assert_null(athena_prune_partitions("year,month", old, feb)); /* six years: read them all */
	assert_null(athena_prune_partitions(NULL, nov, dec));

	/* the layouts come from the partition keys */
	size_t n;
	struct athena_column cols[3] = {
		{ (char *)"year", (char *)"string", true }, { (char *)"month", (char *)"string", true },
		{ (char *)"billing_period", (char *)"string", false },
	};
	assert_string_equal(athena_partition_layout(cols, 3), "year,month");
	cols[2].partition = true;
	assert_string_equal(athena_partition_layout(cols, 3), "billing_period");
	cols[2].partition = false;
	cols[1].type = (char *)"int";
	assert_null(athena_partition_layout(cols, 3));
	n = 0;
	assert_null(athena_partition_layout(cols, n));
}

/* ---- the WITH entries ---- */

static void test_statements_get_the_relations_they_read(void **state)
{
	(void)state;
	struct script s = { 0 };
	struct athena_client *c = scripted_client(&s);
	athena_client_add_relation(c, "costs", "costs (a) AS (SELECT 1)");
	athena_client_add_relation(c, "finq_tag_costs", "finq_tag_costs (k) AS (SELECT a FROM costs)");
	athena_client_add_relation(c, "vocabulary", "vocabulary (d) AS (SELECT k FROM finq_tag_costs)");
	static const struct {
		const char *sql, *sent;
	} cases[] = {
		{ "SELECT 1", "SELECT 1" },
		{ "SELECT count(*) FROM costs_day", "SELECT count(*) FROM costs_day" },
		{ "SELECT 'costs' AS costs_word", "SELECT 'costs' AS costs_word" },
		{ "SELECT * FROM costs", "WITH costs (a) AS (SELECT 1)\nSELECT * FROM costs" },
		{ "SELECT d FROM vocabulary",
		  "WITH costs (a) AS (SELECT 1),\nfinq_tag_costs (k) AS (SELECT a FROM costs),\n"
		  "vocabulary (d) AS (SELECT k FROM finq_tag_costs)\nSELECT d FROM vocabulary" },
		{ "  WITH x AS (SELECT a FROM costs) SELECT * FROM x",
		  "WITH costs (a) AS (SELECT 1),\nx AS (SELECT a FROM costs) SELECT * FROM x" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf out = STRBUF_INIT;
		athena_client_statement(c, cases[i].sql, &out);
		assert_string_equal(out.buf, cases[i].sent);
		strbuf_release(&out);
	}
	athena_client_free(c);
}

/* The vocabulary lists the dimensions a load's does (schema.c). */
static void test_vocabulary_matches_the_loads(void **state)
{
	(void)state;
	size_t n = 0;
	for (const char *p = schema_vocabulary_sql; (p = strstr(p, "SELECT '")); p += 8) {
		const char *start = p + 8, *end = strchr(start, '\'');
		char dim[64];
		snprintf(dim, sizeof(dim), "%.*s", (int)(end - start), start);
		bool found = false;
		for (size_t i = 0; athena_vocabulary_dims[i]; i++)
			found |= strcmp(athena_vocabulary_dims[i], dim) == 0;
		if (!found)
			fail_msg("schema_vocabulary_sql has the dimension '%s', the athena vocabulary not", dim);
		n++;
	}
	size_t ours = 0;
	while (athena_vocabulary_dims[ours])
		ours++;
	assert_int_equal(n, ours);
	struct strbuf tags = STRBUF_INIT, vocabulary = STRBUF_INIT;
	athena_vocabulary_relations(&tags, &vocabulary);
	for (size_t i = 0; athena_vocabulary_dims[i]; i++) {
		char quoted[80];
		snprintf(quoted, sizeof(quoted), "'%s'", athena_vocabulary_dims[i]);
		assert_contains(vocabulary.buf, quoted);
	}
	strbuf_release(&tags);
	strbuf_release(&vocabulary);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_a_run_start_to_last_page),
		cmocka_unit_test(test_max_rows_stops_paging),
		cmocka_unit_test(test_a_failed_query_says_why),
		cmocka_unit_test(test_time_limit_and_cancel_stop_the_query),
		cmocka_unit_test(test_api_errors),
		cmocka_unit_test(test_only_queries_are_sent),
		cmocka_unit_test(test_engine_schemes),
		cmocka_unit_test(test_statement_ranges),
		cmocka_unit_test(test_partition_conditions),
		cmocka_unit_test(test_pruning_in_the_statement_sent),
		cmocka_unit_test(test_statements_get_the_relations_they_read),
		cmocka_unit_test(test_vocabulary_matches_the_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
