/*
 * test_athena_ask: the Athena engine under finq's own callers, offline: a
 * question asked through ask.c (its SQL reaches the engine in the athena
 * dialect with the user's table in front), every analysis run on it,
 * answers that are not what the API reference says, and the libcurl
 * transport over loopback against a stand-in Athena (ports 19231-19240).
 * The scripted transport is athena_script.h's; test_athena.c has the rest.
 */
#include "unit.h"

#include "ask.h"
#include "athena_script.h"
#include "athena_table.h"
#include "date.h"
#include "dialect.h"
#include "engine.h"
#include "insight.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

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
	/* the total itself, over the range's months and a month either side
	 * of the CUR 2.0 partitions (the answer's other statements, such as
	 * the fees of the period before, may read more) */
	bool seen = false, pruned = false;
	for (size_t i = 0; i < s.nsent; i++) {
		if (strcmp(s.sent[i].action, "StartQueryExecution") != 0)
			continue;
		json_t *body = json_loads(s.sent[i].body, 0, NULL);
		const char *q = json_string_value(json_object_get(body, "QueryString"));
		if (strstr(q, "usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'") &&
		    strstr(q, "(service_code IN ('AmazonEC2'))")) {
			seen = true;
			assert_contains(q, "nullif(element_at(\"product\", 'product_name'), '')");
			pruned |= strstr(q, "FROM \"cur\".\"cur_hourly\" WHERE \"billing_period\" IN ('2025-10', "
					    "'2025-11', '2025-12')) AS stage1)") != NULL;
		}
		json_decref(body);
	}
	assert_true(seen);
	assert_true(pruned);
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
		cmocka_unit_test(test_a_question_runs_on_athena),
		cmocka_unit_test(test_every_analysis_speaks_trino),
		cmocka_unit_test(test_odd_answers),
		cmocka_unit_test(test_the_curl_transport_over_loopback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
