/*
 * test_mapping: schema.c's mapping SQL run for real, in an in-memory DuckDB
 * opened by load_open_db(NULL): small source tables with the columns of
 * each export format go through schema_build_select into `costs`, and the
 * canonical rows are checked: amortized cost by line item type
 * (CONVENTIONS.md), tag keys normalised and empty values dropped, dates
 * (ISO, Athena, Azure's MM/DD/YYYY), typed NULLs for missing columns,
 * hostile column names. No files are read.
 */
#include "unit.h"

#include "db.h"
#include "load.h"
#include "schema.h"
#include "strbuf.h"

struct fixture {
	struct db db;
	long long next_load;
};

static int db_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct err e = { 0 };
	if (load_open_db(&fx->db, NULL, NULL, 1, &e)) {
		fprintf(stderr, "load_open_db: %s\n", e.msg);
		free(fx);
		return -1;
	}
	fx->next_load = 1;
	*state = fx;
	return 0;
}

static int db_teardown(void **state)
{
	struct fixture *fx = *state;
	db_close(&fx->db);
	free(fx);
	return 0;
}

static void exec_ok(struct db *db, const char *sql)
{
	struct err e = { 0 };
	int rc = db_exec(db, sql, &e);
	if (rc)
		print_error("%s\n-- in:\n%s\n", e.msg, sql);
	assert_int_equal(rc, 0);
}

/*
 * Map the rows of table `src` (which has a `filename` column, as the
 * readers give) as format f into costs, as load.c does; returns the load id.
 */
static long long map_table(struct fixture *fx, enum export_format f, const char *src)
{
	struct err e = { 0 };
	struct table cols;
	table_init(&cols);
	struct strbuf q;
	strbuf_init(&q, 0);
	strbuf_addstr(&q, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ");
	strbuf_add_sql_literal(&q, src);
	strbuf_addstr(&q, " AND column_name <> 'filename' ORDER BY ordinal_position");
	assert_int_equal(db_query(&fx->db, q.buf, &cols, 0, &e), 0);
	assert_true(cols.nrows > 0);
	struct source_column *sc = calloc(cols.nrows, sizeof(*sc));
	char (*norm)[256] = calloc(cols.nrows, sizeof(*norm));
	for (size_t r = 0; r < cols.nrows; r++) {
		sc[r].raw = table_at(&cols, r, 0)->v.s;
		column_name_normalize(sc[r].raw, norm[r], sizeof(norm[r]));
		sc[r].normalized = norm[r];
		const char *type = table_at(&cols, r, 1)->v.s;
		sc[r].is_text = strcmp(type, "VARCHAR") == 0;
		sc[r].is_map = strncmp(type, "MAP(", 4) == 0;
	}
	struct strbuf sql;
	strbuf_init(&sql, 0);
	strbuf_addstr(&sql, "INSERT INTO costs (");
	for (const char *const *c = costs_columns; *c; c++)
		strbuf_addf(&sql, "%s%s", c == costs_columns ? "" : ", ", *c);
	strbuf_addstr(&sql, ")\n");
	long long id = fx->next_load++;
	assert_int_equal(schema_build_select(f, sc, cols.nrows, src, id, &sql), 0);
	exec_ok(&fx->db, sql.buf);
	strbuf_release(&sql);
	strbuf_release(&q);
	free(sc);
	free(norm);
	table_release(&cols);
	return id;
}

/* The one-row, one-column answer of sql, formatted as text. */
static char *scalar(struct fixture *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *scalar(struct fixture *fx, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	struct table t;
	struct err e = { 0 };
	table_init(&t);
	int rc = db_query(&fx->db, sql, &t, 0, &e);
	if (rc)
		print_error("%s\n-- in: %s\n", e.msg, sql);
	assert_int_equal(rc, 0);
	if (t.nrows != 1)
		print_error("%zu rows from: %s\n", t.nrows, sql);
	assert_int_equal(t.nrows, 1);
	char buf[1024];
	char *out = strdup(cell_format(table_at(&t, 0, 0), buf, sizeof(buf)));
	table_release(&t);
	return out;
}

static double scalar_number(struct fixture *fx, const char *sql)
{
	char *s = scalar(fx, "%s", sql);
	double v = strtod(s, NULL);
	free(s);
	return v;
}

static void check_text(struct fixture *fx, const char *want, const char *sql)
{
	char *got = scalar(fx, "%s", sql);
	if (strcmp(got, want) != 0)
		print_error("%s\n  gave '%s', want '%s'\n", sql, got, want);
	assert_string_equal(got, want);
	free(got);
}

/* CUR 1.0 CSV: every column text, as read_csv gives them. */
static const char cur1_table[] =
	"CREATE OR REPLACE TABLE cur1 AS SELECT * FROM (VALUES\n"
	/* type, unblended, sp_eff, sp_total, sp_used, ri_eff, ri_unused_upfront, ri_unused_rec, ri_arn, team, CostCenter, env */
	" ('Usage',                   '10',   NULL,  NULL,  NULL, NULL,  NULL, NULL, NULL,  'core', 'cc1', ''),\n"
	" ('SavingsPlanCoveredUsage', '5',    '3',   NULL,  NULL, NULL,  NULL, NULL, NULL,  'core', NULL,  'prod'),\n"
	" ('SavingsPlanRecurringFee', '100',  NULL,  '100', '80', NULL,  NULL, NULL, NULL,  NULL,   NULL,  NULL),\n"
	" ('SavingsPlanNegation',     '-5',   NULL,  NULL,  NULL, NULL,  NULL, NULL, NULL,  NULL,   NULL,  NULL),\n"
	" ('SavingsPlanUpfrontFee',   '1000', NULL,  NULL,  NULL, NULL,  NULL, NULL, NULL,  NULL,   NULL,  NULL),\n"
	" ('DiscountedUsage',         '0',    NULL,  NULL,  NULL, '2.5', NULL, NULL, 'arn:aws:ec2:ri/1', NULL, NULL, NULL),\n"
	" ('RIFee',                   '50',   NULL,  NULL,  NULL, NULL,  '1',  '2',  'arn:aws:ec2:ri/1', NULL, NULL, NULL),\n"
	" ('Fee',                     '300',  NULL,  NULL,  NULL, NULL,  NULL, NULL, 'arn:aws:ec2:ri/1', NULL, NULL, NULL),\n"
	" ('Fee',                     ' 7 ',  NULL,  NULL,  NULL, NULL,  NULL, NULL, '',    NULL,   NULL,  NULL),\n"
	" ('Tax',                     '1.5',  NULL,  NULL,  NULL, NULL,  NULL, NULL, NULL,  NULL,   NULL,  NULL),\n"
	" ('Credit',                  '-4',   NULL,  NULL,  NULL, NULL,  NULL, NULL, NULL,  NULL,   NULL,  NULL)\n"
	") v(\"lineItem/LineItemType\", \"lineItem/UnblendedCost\", \"savingsPlan/SavingsPlanEffectiveCost\",\n"
	"    \"savingsPlan/TotalCommitmentToDate\", \"savingsPlan/UsedCommitment\", \"reservation/EffectiveCost\",\n"
	"    \"reservation/UnusedAmortizedUpfrontFeeForBillingPeriod\", \"reservation/UnusedRecurringFee\",\n"
	"    \"reservation/ReservationARN\", \"resourceTags/user:team\", \"resourceTags/user:CostCenter\",\n"
	"    \"resourceTags/user:env\"),\n"
	" (SELECT '2025-11-03T05:00:00.000Z' AS \"lineItem/UsageStartDate\",\n"
	"         '2025-11-01T00:00:00.000Z' AS \"bill/BillingPeriodStartDate\",\n"
	"         '111122223333' AS \"bill/PayerAccountId\", '210987654321' AS \"lineItem/UsageAccountId\",\n"
	"         'AmazonEC2' AS \"lineItem/ProductCode\", 'us-east-1' AS \"product/regionCode\",\n"
	"         'cur1.csv' AS filename)";

static void test_cur1_amortized_by_line_item_type(void **state)
{
	struct fixture *fx = *state;
	exec_ok(&fx->db, cur1_table);
	long long id = map_table(fx, FORMAT_CUR1, "cur1");
	char where[64];
	snprintf(where, sizeof(where), "load_id = %lld", id);
	static const struct {
		const char *type;
		double unblended, amortized;
	} want[] = {
		{ "Usage", 10, 10 },
		{ "SavingsPlanCoveredUsage", 5, 3 },
		{ "SavingsPlanRecurringFee", 100, 20 },
		{ "SavingsPlanNegation", -5, 0 },
		{ "SavingsPlanUpfrontFee", 1000, 0 },
		{ "DiscountedUsage", 0, 2.5 },
		{ "RIFee", 50, 3 },
		{ "Tax", 1.5, 1.5 },
		{ "Credit", -4, -4 },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char sql[256];
		snprintf(sql, sizeof(sql), "SELECT sum(unblended_cost) FROM costs WHERE %s AND charge_type = '%s'",
			 where, want[i].type);
		assert_close(scalar_number(fx, sql), want[i].unblended, 1e-9);
		snprintf(sql, sizeof(sql), "SELECT sum(amortized_cost) FROM costs WHERE %s AND charge_type = '%s'",
			 where, want[i].type);
		double got = scalar_number(fx, sql);
		if (fabs(got - want[i].amortized) > 1e-9)
			print_error("amortized cost of %s\n", want[i].type);
		assert_close(got, want[i].amortized, 1e-9);
	}
	/* An RI upfront fee (a Fee with a reservation ARN) amortizes to 0;
	 * a plain fee, with spaces around its number, to itself. */
	assert_close(scalar_number(fx, "SELECT sum(amortized_cost) FROM costs WHERE charge_type = 'Fee' AND commitment_id IS NOT NULL"), 0, 0);
	assert_close(scalar_number(fx, "SELECT sum(amortized_cost) FROM costs WHERE charge_type = 'Fee' AND commitment_id IS NULL"), 7, 1e-9);
	assert_close(scalar_number(fx, "SELECT count(*) FROM costs WHERE load_id = 1"), 11, 0);
	/* The commitment columns: on the fee lines, the commitment and the part
	 * used (SP: total and used commitment; RI: fees less unused fees). */
	assert_close(scalar_number(fx, "SELECT sum(commitment_cost) FROM costs WHERE commitment_kind = 'Savings Plan'"), 100, 1e-9);
	assert_close(scalar_number(fx, "SELECT sum(commitment_used) FROM costs WHERE commitment_kind = 'Savings Plan'"), 80, 1e-9);
	assert_close(scalar_number(fx, "SELECT sum(commitment_cost) FROM costs WHERE commitment_kind = 'Reservation'"), 50, 1e-9);
	assert_close(scalar_number(fx, "SELECT sum(commitment_used) FROM costs WHERE commitment_kind = 'Reservation'"), 47, 1e-9);
	assert_close(scalar_number(fx, "SELECT count(*) FROM costs WHERE commitment_kind = 'Savings Plan'"), 4, 0);
	assert_close(scalar_number(fx, "SELECT count(*) FROM costs WHERE commitment_kind IS NULL"), 4, 0);
	/* Without net cost in the file, net = unblended. */
	assert_close(scalar_number(fx, "SELECT sum(net_cost - unblended_cost) FROM costs WHERE load_id = 1"), 0, 0);
}

static void test_cur1_dates_and_labels(void **state)
{
	struct fixture *fx = *state;
	check_text(fx, "2025-11-03", "SELECT DISTINCT usage_date FROM costs WHERE load_id = 1");
	check_text(fx, "2025-11-03 05:00:00", "SELECT DISTINCT charge_start FROM costs WHERE load_id = 1");
	check_text(fx, "2025-11-01", "SELECT DISTINCT billing_period FROM costs WHERE load_id = 1");
	check_text(fx, "AWS", "SELECT DISTINCT provider FROM costs WHERE load_id = 1");
	check_text(fx, "111122223333", "SELECT DISTINCT payer_account_id FROM costs WHERE load_id = 1");
	check_text(fx, "210987654321", "SELECT DISTINCT account_id FROM costs WHERE load_id = 1");
	check_text(fx, "AmazonEC2", "SELECT DISTINCT service_code FROM costs WHERE load_id = 1");
	check_text(fx, "Compute", "SELECT DISTINCT service_category FROM costs WHERE load_id = 1");
	check_text(fx, "us-east-1", "SELECT DISTINCT region FROM costs WHERE load_id = 1");
	check_text(fx, "USD", "SELECT DISTINCT currency FROM costs WHERE load_id = 1");
	check_text(fx, "cur1.csv", "SELECT DISTINCT source FROM costs WHERE load_id = 1");
}

static void test_cur1_tags(void **state)
{
	struct fixture *fx = *state;
	/* Keys normalised (no user: prefix, snake_case); empty values dropped. */
	check_text(fx, "cost_center,team",
		   "SELECT array_to_string(list_sort(map_keys(tags)), ',') FROM costs WHERE load_id = 1 AND charge_type = 'Usage'");
	check_text(fx, "core", "SELECT tags['team'] FROM costs WHERE load_id = 1 AND charge_type = 'Usage'");
	check_text(fx, "cc1", "SELECT tags['cost_center'] FROM costs WHERE load_id = 1 AND charge_type = 'Usage'");
	check_text(fx, "env,team",
		   "SELECT array_to_string(list_sort(map_keys(tags)), ',') FROM costs WHERE charge_type = 'SavingsPlanCoveredUsage'");
	/* No tags at all: an empty map or NULL, never a key with no value. */
	check_text(fx, "0", "SELECT coalesce(cardinality(tags), 0) FROM costs WHERE charge_type = 'Tax'");
	check_text(fx, "0", "SELECT count(*) FROM (SELECT unnest(map_keys(tags)) AS k FROM costs) WHERE k LIKE 'user%'");
}

static void test_minimal_cur1_gets_nulls(void **state)
{
	struct fixture *fx = *state;
	exec_ok(&fx->db,
		"CREATE OR REPLACE TABLE mini AS SELECT '2025-10-05 00:00:00' AS \"lineItem/UsageStartDate\",\n"
		" '2.25' AS \"lineItem/UnblendedCost\", 'Usage' AS \"lineItem/LineItemType\", 'm.csv' AS filename");
	long long id = map_table(fx, FORMAT_CUR1, "mini");
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT amortized_cost FROM costs WHERE load_id = %lld", id);
	assert_close(scalar_number(fx, sql), 2.25, 1e-12);
	/* No bill period column: the month of the usage. */
	snprintf(sql, sizeof(sql), "SELECT billing_period FROM costs WHERE load_id = %lld", id);
	check_text(fx, "2025-10-01", sql);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM costs WHERE load_id = %lld AND account_id IS NULL AND region IS NULL"
		 " AND usage_amount IS NULL AND commitment_id IS NULL AND payer_account_id IS NULL", id);
	check_text(fx, "1", sql);
}

static void test_athena_parquet_types_and_tag_columns(void **state)
{
	struct fixture *fx = *state;
	/* As DuckDB reads an Athena Parquet file: typed numbers and timestamps,
	 * rates as strings, resource_tags_user_* columns. */
	exec_ok(&fx->db,
		"CREATE OR REPLACE TABLE athena AS SELECT * FROM (VALUES\n"
		" (TIMESTAMP '2018-10-01 05:00:00', TIMESTAMP '2018-10-01 00:00:00', 'Usage', 1.25::DOUBLE, '0.0416', 'AmazonS3', 'web', '', 'x'),\n"
		" (TIMESTAMP '2018-10-31 23:00:00', TIMESTAMP '2018-10-01 00:00:00', 'DiscountedUsage', 0.0::DOUBLE, '0.0', 'AmazonEC2', NULL, 'ops', '')\n"
		") v(line_item_usage_start_date, bill_billing_period_start_date, line_item_line_item_type,\n"
		"    line_item_unblended_cost, line_item_unblended_rate, line_item_product_code,\n"
		"    resource_tags_user_workload, resource_tags_user_cost_center, resource_tags_aws_created_by),\n"
		" (SELECT 0.75::DOUBLE AS reservation_effective_cost, 'w.parquet' AS filename)");
	long long id = map_table(fx, FORMAT_CUR1_ATHENA, "athena");
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT sum(unblended_cost) FROM costs WHERE load_id = %lld", id);
	assert_close(scalar_number(fx, sql), 1.25, 1e-12);
	snprintf(sql, sizeof(sql), "SELECT sum(amortized_cost) FROM costs WHERE load_id = %lld", id);
	assert_close(scalar_number(fx, sql), 1.25 + 0.75, 1e-12);
	snprintf(sql, sizeof(sql),
		 "SELECT array_to_string(list_sort(map_keys(tags)), ',') FROM costs WHERE load_id = %lld AND service_code = 'AmazonS3'", id);
	check_text(fx, "aws_created_by,workload", sql);
	snprintf(sql, sizeof(sql),
		 "SELECT tags['cost_center'] FROM costs WHERE load_id = %lld AND service_code = 'AmazonEC2'", id);
	check_text(fx, "ops", sql);
	snprintf(sql, sizeof(sql), "SELECT max(usage_date) FROM costs WHERE load_id = %lld", id);
	check_text(fx, "2018-10-31", sql);
}

static void test_cur2_json_maps(void **state)
{
	struct fixture *fx = *state;
	/* CUR 2.0 CSV: product and resource_tags as JSON text. */
	exec_ok(&fx->db,
		"CREATE OR REPLACE TABLE cur2 AS SELECT\n"
		" '2025-11-01T00:00:00Z' AS line_item_usage_start_date, '2025-11-01T00:00:00Z' AS bill_billing_period_start_date,\n"
		" 'Usage' AS line_item_line_item_type, '24.2' AS line_item_unblended_cost, 'AWSDataTransfer' AS line_item_product_code,\n"
		" '{\"region\": \"us-east-1\", \"servicename\": \"AWS Data Transfer\"}' AS product,\n"
		" '{\"user_team\": \"data\", \"user_cost_center\": \"cc-9\", \"user_env\": \"\"}' AS resource_tags,\n"
		" 'c.csv.gz' AS filename");
	long long id = map_table(fx, FORMAT_CUR2, "cur2");
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT service_name FROM costs WHERE load_id = %lld", id);
	check_text(fx, "AWS Data Transfer", sql);
	snprintf(sql, sizeof(sql), "SELECT region FROM costs WHERE load_id = %lld", id);
	check_text(fx, "us-east-1", sql);
	snprintf(sql, sizeof(sql), "SELECT array_to_string(list_sort(map_keys(tags)), ',') FROM costs WHERE load_id = %lld", id);
	check_text(fx, "cost_center,team", sql);
}

static void test_focus_rows(void **state)
{
	struct fixture *fx = *state;
	exec_ok(&fx->db,
		"CREATE OR REPLACE TABLE focus AS SELECT * FROM (VALUES\n"
		" ('2024-09-18 22:00:00', '2024-09-01 00:00:00', '0.5', '0.25', 'AWS', 'Usage', 'Usage-Based', '{\"user:Team\": \"a\", \"env\": \"dev\"}'),\n"
		" ('2024-09-30 22:00:00', '2024-09-01 00:00:00', '2', NULL, 'Microsoft', 'Purchase', 'One-Time', NULL),\n"
		" ('2024-09-29 22:00:00', '2024-09-01 00:00:00', '0', '0', 'Microsoft', 'Purchase', 'Recurring', NULL)\n"
		") v(ChargePeriodStart, BillingPeriodStart, BilledCost, EffectiveCost, ProviderName, ChargeCategory,\n"
		"    ChargeFrequency, Tags),\n"
		" (SELECT 'f.csv' AS filename)");
	long long id = map_table(fx, FORMAT_FOCUS, "focus");
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT sum(unblended_cost) FROM costs WHERE load_id = %lld", id);
	assert_close(scalar_number(fx, sql), 2.5, 1e-12);
	/* EffectiveCost where given, else BilledCost. */
	snprintf(sql, sizeof(sql), "SELECT sum(amortized_cost) FROM costs WHERE load_id = %lld", id);
	assert_close(scalar_number(fx, sql), 2.25, 1e-12);
	snprintf(sql, sizeof(sql), "SELECT string_agg(provider, ',' ORDER BY provider) FROM costs WHERE load_id = %lld", id);
	check_text(fx, "AWS,Microsoft,Microsoft", sql);
	snprintf(sql, sizeof(sql), "SELECT tags['team'] FROM costs WHERE load_id = %lld AND provider = 'AWS'", id);
	check_text(fx, "a", sql);
	snprintf(sql, sizeof(sql), "SELECT max(usage_date) FROM costs WHERE load_id = %lld", id);
	check_text(fx, "2024-09-30", sql);
	/* One-time purchases are lumps (charges.c), recurring ones accrue. */
	snprintf(sql, sizeof(sql),
		 "SELECT string_agg(DISTINCT charge_type, ',' ORDER BY charge_type) FROM costs WHERE load_id = %lld", id);
	check_text(fx, "Purchase,RecurringPurchase,Usage", sql);
}

static void test_azure_rows(void **state)
{
	struct fixture *fx = *state;
	/* Azure EA: MM/DD/YYYY dates, Cost, tags as JSON members without braces. */
	exec_ok(&fx->db,
		"CREATE OR REPLACE TABLE azure AS SELECT * FROM (VALUES\n"
		" ('09/21/2023', '09/01/2023', '3.25', 'Virtual Machines', 'uksouth', NULL),\n"
		" ('09/04/2023', '09/01/2023', '0.00004', 'Storage', 'EastUS2',\n"
		"  '\"CostCenter\": \"1234\",\"env\": \"prod\",\"databricks-environment\": \"true\"')\n"
		") v(\"Date\", \"BillingPeriodStartDate\", \"Cost\", \"MeterCategory\", \"ResourceLocation\", \"Tags\"),\n"
		" (SELECT 'a.csv' AS filename)");
	long long id = map_table(fx, FORMAT_AZURE, "azure");
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT min(usage_date) || ' ' || max(usage_date) FROM costs WHERE load_id = %lld", id);
	check_text(fx, "2023-09-04 2023-09-21", sql);
	snprintf(sql, sizeof(sql), "SELECT DISTINCT billing_period FROM costs WHERE load_id = %lld", id);
	check_text(fx, "2023-09-01", sql);
	snprintf(sql, sizeof(sql), "SELECT sum(unblended_cost) FROM costs WHERE load_id = %lld", id);
	assert_close(scalar_number(fx, sql), 3.25004, 1e-12);
	snprintf(sql, sizeof(sql),
		 "SELECT array_to_string(list_sort(map_keys(tags)), ',') FROM costs WHERE load_id = %lld AND service_code = 'Storage'", id);
	check_text(fx, "cost_center,databricks_environment,env", sql);
	snprintf(sql, sizeof(sql), "SELECT DISTINCT provider FROM costs WHERE load_id = %lld", id);
	check_text(fx, "Azure", sql);
}

static void test_hostile_column_names_run(void **state)
{
	struct fixture *fx = *state;
	exec_ok(&fx->db,
		"CREATE OR REPLACE TABLE hostile AS SELECT '2025-11-02T00:00:00Z' AS \"lineItem/UsageStartDate\",\n"
		" '1' AS \"lineItem/UnblendedCost\", 'Usage' AS \"lineItem/LineItemType\",\n"
		" 'v1' AS \"resourceTags/user:o'neil\", 'v2' AS \"resourceTags/user:x\"\"); DROP TABLE costs; --\",\n"
		" 'h.csv' AS filename");
	long long id = map_table(fx, FORMAT_CUR1, "hostile");
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT cardinality(tags) FROM costs WHERE load_id = %lld", id);
	check_text(fx, "2", sql);
	snprintf(sql, sizeof(sql), "SELECT count(*) > 0 FROM costs WHERE load_id = %lld AND list_contains(map_values(tags), 'v1')", id);
	check_text(fx, "true", sql);
	/* The table is still there. */
	assert_true(scalar_number(fx, "SELECT count(*) FROM costs") > 11);
}

int main(void)
{
	/* In order: the CUR 1.0 tests share the first load. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cur1_amortized_by_line_item_type),
		cmocka_unit_test(test_cur1_dates_and_labels),
		cmocka_unit_test(test_cur1_tags),
		cmocka_unit_test(test_minimal_cur1_gets_nulls),
		cmocka_unit_test(test_athena_parquet_types_and_tag_columns),
		cmocka_unit_test(test_cur2_json_maps),
		cmocka_unit_test(test_focus_rows),
		cmocka_unit_test(test_azure_rows),
		cmocka_unit_test(test_hostile_column_names_run),
	};
	return cmocka_run_group_tests_name("mapping", tests, db_setup, db_teardown);
}
