/*
 * test_athena: the Athena engine offline (store/athena_client.c,
 * store/engine_athena.c, load/athena_table.c). A scripted transport
 * answers each call with a recorded answer from tests/data/athena (written
 * from the Athena API reference: nothing here reached AWS) and keeps what
 * the client sent, so the tests check the addresses, credentials, request
 * bodies, the signed headers, polling, paging, types, time limits,
 * cancelling and errors; and a question asked through ask.c, whose SQL
 * reaches the engine in the Athena dialect with the user's table in front.
 */
#include "unit.h"

#include "ask.h"
#include "athena_table.h"
#include "date.h"
#include "dialect.h"
#include "engine.h"
#include "insight.h"
#include "schema.h"
#include "sigv4.h"
#include "xalloc.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <unistd.h>

#define ATHENA_DATA TEST_DATA_DIR "/athena"

static char *read_data(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", ATHENA_DATA, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s", path);
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb);
}

/* ---- a scripted transport and a fake clock ---- */

struct step {
	const char *action; /* the X-Amz-Target it expects */
	long status;
	const char *file;   /* the answer; NULL: answered by the callback */
};

struct sent {
	double timeout; /* the transport's timeout for the call */
	char action[64];
	char *body;
	char *headers; /* all of them, one a line */
	char *url;
};

struct script {
	const struct step *steps;
	size_t nsteps, next;
	/* a step past the last repeats it, when repeat_last */
	bool repeat_last;
	struct sent sent[1024];
	size_t nsent;
	double clock; /* seconds, advanced by sleeps */
	int slept_ms;
	bool cancel;
	/* answers by the statement's text (the ask test) */
	char *(*answer)(const char *action, json_t *body);
};

static int scripted(void *arg, const struct athena_http_request *req, struct athena_http_response *resp,
		    struct err *e)
{
	struct script *s = arg;
	(void)e;
	const char *target = NULL;
	struct strbuf all = STRBUF_INIT;
	for (size_t i = 0; i < req->nheaders; i++) {
		strbuf_addf(&all, "%s\n", req->headers[i]);
		if (strncmp(req->headers[i], "X-Amz-Target: AmazonAthena.", 27) == 0)
			target = req->headers[i] + 27;
	}
	assert_non_null(target);
	assert_true(s->nsent < 1024);
	struct sent *out = &s->sent[s->nsent++];
	snprintf(out->action, sizeof(out->action), "%s", target);
	out->timeout = req->timeout_seconds;
	out->body = xstrndup(req->body, req->body_len);
	out->headers = strbuf_detach(&all);
	out->url = xstrdup(req->url);
	if (s->answer) {
		json_t *body = json_loads(out->body, 0, NULL);
		char *text = s->answer(target, body);
		json_decref(body);
		resp->status = 200;
		strbuf_addstr(&resp->body, text);
		free(text);
		return 0;
	}
	size_t i = s->next < s->nsteps ? s->next++ : s->nsteps - 1;
	if (!s->repeat_last && i != s->next - 1)
		fail_msg("call %zu (%s) is past the script", s->nsent, target);
	const struct step *st = &s->steps[i];
	if (strcmp(st->action, target) != 0)
		fail_msg("call %zu: expected %s, the client sent %s", s->nsent, st->action, target);
	resp->status = st->status;
	char *text = read_data(st->file);
	strbuf_addstr(&resp->body, text);
	free(text);
	return 0;
}

static double fake_now(void *arg)
{
	/* 2025-12-01T09:00:00Z, then as the sleeps go */
	return 1764579600.0 + ((struct script *)arg)->clock;
}

static void fake_sleep(void *arg, int ms)
{
	struct script *s = arg;
	s->clock += ms / 1000.0;
	s->slept_ms += ms;
}

static void release_script(struct script *s)
{
	for (size_t i = 0; i < s->nsent; i++) {
		free(s->sent[i].body);
		free(s->sent[i].headers);
		free(s->sent[i].url);
	}
}

static void set_env_credentials(void)
{
	setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 1);
	setenv("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN", 1);
	unsetenv("AWS_PROFILE");
}

static const char test_url[] = "athena://finq-wg/cur/cur_hourly?region=eu-west-1&output=s3://example-results/finq/";

static struct athena_client *scripted_client(struct script *s)
{
	set_env_credentials();
	struct err e = { 0 };
	struct athena_client *c = athena_client_new(test_url, &e);
	if (!c)
		fail_msg("%s", e.msg);
	athena_client_set_transport(c, scripted, s);
	athena_client_set_clock(c, fake_now, fake_sleep, s);
	return c;
}

/* ---- the address and the credentials ---- */

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

static void open_memory(struct db *db)
{
	struct db_config cfg = { 0 };
	struct err e = { 0 };
	assert_int_equal(db_open(db, &cfg, &e), 0);
}

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

/* ---- a question, asked through ask.c ---- */

/* Answers by what is asked: the vocabulary, the loaded days, a total. */
static char *answer_by_statement(const char *action, json_t *body)
{
	static char last_query[65536];
	if (strcmp(action, "StartQueryExecution") == 0) {
		snprintf(last_query, sizeof(last_query), "%s", json_string_value(json_object_get(body, "QueryString")));
		return xstrdup("{\"QueryExecutionId\": \"q-1\"}");
	}
	if (strcmp(action, "GetQueryExecution") == 0)
		return xstrdup("{\"QueryExecution\": {\"QueryExecutionId\": \"q-1\", \"Status\": {\"State\": \"SUCCEEDED\"}}}");
	assert_string_equal(action, "GetQueryResults");
	const char *sql = strrchr(last_query, '\n') ? last_query : last_query;
	if (strstr(sql, "FROM vocabulary"))
		return xstrdup("{\"ResultSet\": {\"Rows\": ["
			       "{\"Data\": [{\"VarCharValue\": \"dim\"}, {\"VarCharValue\": \"tag_key\"}, {\"VarCharValue\": \"value\"}, "
			       "{\"VarCharValue\": \"name\"}, {\"VarCharValue\": \"cost\"}]},"
			       "{\"Data\": [{\"VarCharValue\": \"service\"}, {}, {\"VarCharValue\": \"AmazonEC2\"}, "
			       "{\"VarCharValue\": \"Amazon Elastic Compute Cloud\"}, {\"VarCharValue\": \"1000\"}]}],"
			       "\"ResultSetMetadata\": {\"ColumnInfo\": [{\"Name\": \"dim\", \"Type\": \"varchar\"}, "
			       "{\"Name\": \"tag_key\", \"Type\": \"varchar\"}, {\"Name\": \"value\", \"Type\": \"varchar\"}, "
			       "{\"Name\": \"name\", \"Type\": \"varchar\"}, {\"Name\": \"cost\", \"Type\": \"double\"}]}}}");
	if (strstr(sql, "date_diff('day', date '1970-01-01', min(usage_date))"))
		return xstrdup("{\"ResultSet\": {\"Rows\": [{\"Data\": [{\"VarCharValue\": \"20362\"}, {\"VarCharValue\": \"20423\"}]}],"
			       "\"ResultSetMetadata\": {\"ColumnInfo\": [{\"Name\": \"_col0\", \"Type\": \"bigint\"}, "
			       "{\"Name\": \"_col1\", \"Type\": \"bigint\"}]}}}");
	if (strstr(sql, "sum(amortized_cost) AS amortized_cost"))
		return xstrdup("{\"ResultSet\": {\"Rows\": [{\"Data\": [{\"VarCharValue\": \"amortized_cost\"}]}, "
			       "{\"Data\": [{\"VarCharValue\": \"4242.5\"}]}],"
			       "\"ResultSetMetadata\": {\"ColumnInfo\": [{\"Name\": \"amortized_cost\", \"Type\": \"double\"}]}}}");
	return xstrdup("{\"ResultSet\": {\"Rows\": [], \"ResultSetMetadata\": {\"ColumnInfo\": []}}}");
}

static char *metadata_then_answers(const char *action, json_t *body)
{
	if (strcmp(action, "GetTableMetadata") == 0)
		return read_data("table-cur2.json");
	return answer_by_statement(action, body);
}

static void test_a_question_runs_on_athena(void **state)
{
	(void)state;
	struct script s = { .answer = metadata_then_answers };
	struct athena_client *c = scripted_client(&s);
	struct db db;
	open_memory(&db);
	struct err e = { 0 };
	assert_int_equal(engine_athena_attach_client_mapped(&db, c, &e), 0);
	struct ask_context ctx;
	if (ask_context_init(&ctx, &db, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(ctx.dialect->name, "athena");
	json_t *answer = NULL;
	struct plan plan;
	int today = 0;
	assert_true(date_parse("2025-12-04", &today));
	if (ask_answer(&ctx, "what did EC2 cost last month", today, NULL, &answer, &plan, &e))
		fail_msg("%s", e.msg);
	/* the total went to Athena in Trino's spelling, over the CUR 2.0 table */
	bool seen = false;
	for (size_t i = 0; i < s.nsent; i++) {
		if (strcmp(s.sent[i].action, "StartQueryExecution") != 0)
			continue;
		json_t *body = json_loads(s.sent[i].body, 0, NULL);
		const char *q = json_string_value(json_object_get(body, "QueryString"));
		if (strstr(q, "usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'") &&
		    strstr(q, "(service_code IN ('AmazonEC2'))")) {
			seen = true;
			assert_contains(q, "nullif(element_at(\"product\", 'product_name'), '')");
			/* the range's months, a month either side, of the CUR 2.0 partitions */
			assert_contains(q, "FROM \"cur\".\"cur_hourly\" WHERE \"billing_period\" IN ('2025-10', "
					   "'2025-11', '2025-12')) AS stage1)");
		}
		json_decref(body);
	}
	assert_true(seen);
	json_t *rows = json_object_get(answer, "rows");
	assert_true(json_array_size(rows) >= 1);
	assert_close(json_number_value(json_array_get(json_array_get(rows, 0), 0)), 4242.5, 0.001);
	json_decref(answer);
	ask_context_release(&ctx);
	db_close(&db);
	release_script(&s);
}

/* Every analysis spells its statements for Athena: run on an engine
 * whose every query comes back empty, none fails for want of a macro, and
 * every statement it sends starts as a query over the user's table. */
static char *empty_answers(const char *action, json_t *body)
{
	static bool dates_asked;
	if (strcmp(action, "GetTableMetadata") == 0)
		return read_data("table-cur1.json");
	if (strcmp(action, "StartQueryExecution") == 0) {
		/* the data's first and last day, so that each analysis goes on */
		dates_asked = strstr(json_string_value(json_object_get(body, "QueryString")),
				     "SELECT min(usage_date), max(usage_date) FROM costs") != NULL;
		return xstrdup("{\"QueryExecutionId\": \"q-empty\"}");
	}
	if (strcmp(action, "GetQueryExecution") == 0)
		return xstrdup("{\"QueryExecution\": {\"Status\": {\"State\": \"SUCCEEDED\"}}}");
	if (dates_asked)
		return xstrdup("{\"ResultSet\": {\"Rows\": [{\"Data\": [{\"VarCharValue\": \"2025-06-01\"}, "
			       "{\"VarCharValue\": \"2025-11-30\"}]}], \"ResultSetMetadata\": {\"ColumnInfo\": ["
			       "{\"Name\": \"_col0\", \"Type\": \"date\"}, {\"Name\": \"_col1\", \"Type\": \"date\"}]}}}");
	return xstrdup("{\"ResultSet\": {\"Rows\": [], \"ResultSetMetadata\": {\"ColumnInfo\": []}}}");
}

static void test_every_analysis_speaks_trino(void **state)
{
	(void)state;
	struct script s = { .answer = empty_answers };
	struct athena_client *c = scripted_client(&s);
	struct db db;
	open_memory(&db);
	struct err e = { 0 };
	assert_int_equal(engine_athena_attach_client_mapped(&db, c, &e), 0);
	int today = 0;
	assert_true(date_parse("2025-12-04", &today));
	int ran = 0;
	for (size_t i = 0; insight_table[i]; i++) {
		const struct insight *in = insight_table[i];
		if (strcmp(in->name, "knowledge") == 0)
			continue; /* the knowledge base is SQLite's, not the engine's */
		struct insight_request req;
		insight_request_init(&req);
		req.db = &db;
		req.dialect = &sql_dialect_trino;
		req.today = today;
		req.text = "";
		json_t *out = NULL;
		struct err ie = { 0 };
		size_t before = s.nsent;
		int rc = in->run(&req, &out, &ie);
		print_message("athena: %s: %s%s\n", in->name, rc ? "failed: " : "ran", rc ? ie.msg : "");
		assert_not_contains(ie.msg, "has no macro");
		assert_true(s.nsent > before); /* it asked Athena something */
		json_decref(out);
		ran++;
	}
	assert_true(ran >= 6);
	for (size_t i = 0; i < s.nsent; i++)
		if (strcmp(s.sent[i].action, "StartQueryExecution") == 0) {
			assert_not_contains(s.sent[i].body, "DATE '");
			assert_not_contains(s.sent[i].body, "any_value(");
		}
	db_close(&db);
	release_script(&s);
}

/* Answers that are not what the API reference says: clear errors or a
 * table with what could be read, never a crash (ASan runs this too). */
static const char *odd_start, *odd_execution, *odd_results;

static char *odd_answers(const char *action, json_t *body)
{
	(void)body;
	if (strcmp(action, "StartQueryExecution") == 0)
		return xstrdup(odd_start);
	if (strcmp(action, "GetQueryExecution") == 0)
		return xstrdup(odd_execution);
	return xstrdup(odd_results);
}

static void test_odd_answers(void **state)
{
	(void)state;
	static const char ok_start[] = "{\"QueryExecutionId\": \"q\"}";
	static const char ok_execution[] = "{\"QueryExecution\": {\"Status\": {\"State\": \"SUCCEEDED\"}}}";
	static const struct {
		const char *start, *execution, *results;
		const char *error; /* NULL: succeeds */
		size_t rows;
	} cases[] = {
		{ "{}", ok_execution, "{}", "no QueryExecutionId in the answer", 0 },
		{ "{\"QueryExecutionId\": 42}", ok_execution, "{}", "no QueryExecutionId", 0 },
		{ "not json", ok_execution, "{}", "the answer is not JSON", 0 },
		{ ok_start, "{\"QueryExecution\": {}}", "{}", "no state for query q", 0 },
		{ ok_start, "{\"QueryExecution\": {\"Status\": {\"State\": \"CANCELLED\"}}}", "{}",
		  "athena query q was cancelled: by someone else", 0 },
		{ ok_start, ok_execution, "{}", NULL, 0 },
		{ ok_start, ok_execution, "{\"ResultSet\": {\"Rows\": 7, \"ResultSetMetadata\": {\"ColumnInfo\": \"x\"}}}",
		  NULL, 0 },
		/* rows longer and shorter than the columns, a number that is not one */
		{ ok_start, ok_execution,
		  "{\"ResultSet\": {\"Rows\": [{\"Data\": [{\"VarCharValue\": \"1\"}, {\"VarCharValue\": \"x\"}, {}]},"
		  " {\"Data\": []}, {\"Data\": [{\"VarCharValue\": \"NaN-ish\"}]}, {}],"
		  " \"ResultSetMetadata\": {\"ColumnInfo\": [{\"Name\": \"n\", \"Type\": \"bigint\"},"
		  " {\"Type\": \"varchar\"}]}}}",
		  NULL, 4 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct script s = { .answer = odd_answers };
		odd_start = cases[i].start;
		odd_execution = cases[i].execution;
		odd_results = cases[i].results;
		struct athena_client *c = scripted_client(&s);
		struct table t;
		table_init(&t);
		struct err e = { 0 };
		int rc = athena_client_run(c, "SELECT 1", NULL, &t, &e);
		if (cases[i].error) {
			assert_int_not_equal(rc, 0);
			assert_contains(e.msg, cases[i].error);
		} else {
			if (rc)
				fail_msg("case %zu: %s", i, e.msg);
			assert_int_equal(t.nrows, cases[i].rows);
		}
		if (i == sizeof(cases) / sizeof(cases[0]) - 1) {
			assert_int_equal(t.ncols, 2);
			assert_string_equal(t.names[1], "?");
			assert_int_equal(table_at(&t, 0, 0)->kind, CELL_INT);
			assert_int_equal(table_at(&t, 2, 0)->kind, CELL_TEXT); /* kept as written */
			assert_string_equal(table_at(&t, 2, 0)->v.s, "NaN-ish");
			assert_int_equal(table_at(&t, 1, 0)->kind, CELL_NULL);
		}
		table_release(&t);
		athena_client_free(c);
		release_script(&s);
	}
}

/* ---- the real transport (libcurl) over loopback ---- */

/* A stand-in Athena on 127.0.0.1 (ports 19231-19240): answers each POST
 * by its X-Amz-Target with a recorded answer, and keeps what came. */
struct loopback {
	struct strbuf bodies, headers;
	int calls;
};

static enum MHD_Result keep_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	strbuf_addf(cls, "%s: %s\n", key, value);
	return MHD_YES;
}

static enum MHD_Result serve(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			     const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct loopback *lb = cls;
	(void)url;
	(void)version;
	if (!*con_cls) {
		*con_cls = lb;
		return MHD_YES;
	}
	if (*upload_size) {
		strbuf_add(&lb->bodies, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	strbuf_addch(&lb->bodies, '\n');
	MHD_get_connection_values(conn, MHD_HEADER_KIND, keep_header, &lb->headers);
	const char *target = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Amz-Target");
	static const struct {
		const char *target, *file;
	} answers[] = {
		{ "AmazonAthena.StartQueryExecution", "start.json" },
		{ "AmazonAthena.GetQueryExecution", "execution-succeeded.json" },
		{ "AmazonAthena.GetQueryResults", "results-page2.json" },
	};
	const char *file = "error-invalid.json";
	unsigned status = 400;
	for (size_t i = 0; target && strcmp(method, "POST") == 0 && i < 3; i++)
		if (strcmp(target, answers[i].target) == 0) {
			file = answers[i].file;
			status = 200;
		}
	lb->calls++;
	char *text = read_data(file);
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", "application/x-amz-json-1.1");
	enum MHD_Result rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static void test_the_curl_transport_over_loopback(void **state)
{
	(void)state;
	struct loopback lb = { STRBUF_INIT, STRBUF_INIT, 0 };
	struct MHD_Daemon *d = NULL;
	int port;
	for (port = 19231; port <= 19240 && !d; port++) {
		struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
		addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port, NULL, NULL, serve, &lb,
				     MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_END);
	}
	if (!d)
		fail_msg("no free loopback port in 19231-19240");
	port--;
	set_env_credentials();
	char url[256];
	snprintf(url, sizeof(url), "athena://primary/cur/cur_hourly?region=eu-west-1&endpoint=http://127.0.0.1:%d/", port);
	struct err e = { 0 };
	struct athena_client *c = athena_client_new(url, &e);
	assert_non_null(c);
	struct table t;
	table_init(&t);
	if (athena_client_run(c, "SELECT 1", NULL, &t, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(lb.calls, 3);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(table_at(&t, 0, 0)->v.s, "AmazonS3");
	/* what reached the server: the JSON bodies, signed, with its Host */
	assert_contains(lb.bodies.buf, "\"QueryString\":\"SELECT 1\"");
	assert_not_contains(lb.bodies.buf, "ResultConfiguration"); /* no output= given */
	char host[64];
	snprintf(host, sizeof(host), "Host: 127.0.0.1:%d\n", port);
	assert_contains(lb.headers.buf, host);
	assert_contains(lb.headers.buf, "X-Amz-Target: AmazonAthena.GetQueryResults\n");
	assert_contains(lb.headers.buf, "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
	table_release(&t);
	athena_client_free(c);

	/* an error answer over the wire keeps Athena's message */
	snprintf(url, sizeof(url), "athena://primary/cur/cur_hourly?region=eu-west-1&endpoint=http://127.0.0.1:%d/", port);
	c = athena_client_new(url, &e);
	json_t *body = json_object(), *answer;
	assert_int_not_equal(athena_call(c, "ListWorkGroups", body, &answer, &e), 0);
	assert_contains(e.msg, "InvalidRequestException (HTTP 400): WorkGroup finq-missing is not found.");
	json_decref(body);
	athena_client_free(c);
	MHD_stop_daemon(d);

	/* nothing listening: a clear error naming the address */
	c = athena_client_new(url, &e);
	table_init(&t);
	assert_int_not_equal(athena_client_run(c, "SELECT 1", NULL, &t, &e), 0);
	assert_contains(e.msg, "cannot reach athena at 'http://127.0.0.1:");
	assert_int_equal(e.code, ERR_DATABASE);
	table_release(&t);
	athena_client_free(c);
	strbuf_release(&lb.bodies);
	strbuf_release(&lb.headers);
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
		cmocka_unit_test(test_statement_ranges),
		cmocka_unit_test(test_partition_conditions),
		cmocka_unit_test(test_statements_get_the_relations_they_read),
		cmocka_unit_test(test_vocabulary_matches_the_loads),
		cmocka_unit_test(test_a_question_runs_on_athena),
		cmocka_unit_test(test_every_analysis_speaks_trino),
		cmocka_unit_test(test_odd_answers),
		cmocka_unit_test(test_the_curl_transport_over_loopback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
