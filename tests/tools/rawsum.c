/*
 * rawsum: row count and cost totals of raw CUR Parquet files, straight from
 * DuckDB's read_parquet and the export's own column names, independently of
 * finq's mapping. tests/integration/load_real.sh compiles it into its temp
 * folder and compares finq's loaded totals with what it prints.
 *
 * usage: rawsum FILE...
 * prints, per file, one line: "rows unblended amortized first_day last_day"
 * (sums as %.17g, days as YYYY-MM-DD of line_item_usage_start_date), where
 * amortized follows shared/eval/CONVENTIONS.md for the line item types
 * (the columns it needs must exist in the file). Exit 1 on any error.
 */
#include <duckdb.h>
#include <stdio.h>
#include <stdint.h>

static const char query[] =
	"SELECT count(*), sum(line_item_unblended_cost)::DOUBLE, sum(CASE line_item_line_item_type"
	"  WHEN 'SavingsPlanCoveredUsage' THEN savings_plan_savings_plan_effective_cost"
	"  WHEN 'SavingsPlanRecurringFee' THEN savings_plan_total_commitment_to_date - savings_plan_used_commitment"
	"  WHEN 'SavingsPlanNegation' THEN 0 WHEN 'SavingsPlanUpfrontFee' THEN 0"
	"  WHEN 'DiscountedUsage' THEN reservation_effective_cost"
	"  WHEN 'RIFee' THEN coalesce(reservation_unused_amortized_upfront_fee_for_billing_period, 0)"
	"                  + coalesce(reservation_unused_recurring_fee, 0)"
	"  WHEN 'Fee' THEN CASE WHEN coalesce(reservation_reservation_a_r_n, '') <> '' THEN 0"
	"                  ELSE line_item_unblended_cost END"
	"  ELSE line_item_unblended_cost END)::DOUBLE, "
	"strftime(min(line_item_usage_start_date), '%Y-%m-%d'), strftime(max(line_item_usage_start_date), '%Y-%m-%d') "
	"FROM read_parquet(?)";

/* The same for exports older than Savings Plans (no savings_plan_* columns). */
static const char sp_query[] =
	"SELECT count(*), sum(line_item_unblended_cost)::DOUBLE, sum(CASE line_item_line_item_type"
	"  WHEN 'DiscountedUsage' THEN reservation_effective_cost"
	"  WHEN 'RIFee' THEN coalesce(reservation_unused_amortized_upfront_fee_for_billing_period, 0)"
	"                  + coalesce(reservation_unused_recurring_fee, 0)"
	"  WHEN 'Fee' THEN CASE WHEN coalesce(reservation_reservation_a_r_n, '') <> '' THEN 0"
	"                  ELSE line_item_unblended_cost END"
	"  ELSE line_item_unblended_cost END)::DOUBLE, "
	"strftime(min(line_item_usage_start_date), '%Y-%m-%d'), strftime(max(line_item_usage_start_date), '%Y-%m-%d') "
	"FROM read_parquet(?)";

/* Column col of a one-row VARCHAR result, copied into buf. */
static const char *text_at(duckdb_data_chunk chunk, idx_t col, char *buf, size_t size)
{
	duckdb_vector vec = duckdb_data_chunk_get_vector(chunk, col);
	uint64_t *validity = duckdb_vector_get_validity(vec);
	if (validity && !duckdb_validity_row_is_valid(validity, 0))
		return "NULL";
	duckdb_string_t *s = duckdb_vector_get_data(vec);
	snprintf(buf, size, "%.*s", (int)duckdb_string_t_length(s[0]), duckdb_string_t_data(&s[0]));
	return buf;
}

static int run(duckdb_connection con, const char *sql, const char *path, int quiet)
{
	duckdb_prepared_statement stmt;
	duckdb_result res;
	if (duckdb_prepare(con, sql, &stmt) == DuckDBError) {
		duckdb_destroy_prepare(&stmt);
		return -1;
	}
	duckdb_bind_varchar(stmt, 1, path);
	if (duckdb_execute_prepared(stmt, &res) == DuckDBError) {
		if (!quiet)
			fprintf(stderr, "rawsum: %s: %s\n", path, duckdb_result_error(&res));
		duckdb_destroy_result(&res);
		duckdb_destroy_prepare(&stmt);
		return -1;
	}
	duckdb_data_chunk chunk = duckdb_fetch_chunk(res);
	int rc = -1;
	if (chunk && duckdb_data_chunk_get_size(chunk) == 1) {
		int64_t rows = ((int64_t *)duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk, 0)))[0];
		double unblended = ((double *)duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk, 1)))[0];
		double amortized = ((double *)duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk, 2)))[0];
		char first[32], last[32];
		printf("%lld %.17g %.17g %s %s\n", (long long)rows, unblended, amortized,
		       text_at(chunk, 3, first, sizeof(first)), text_at(chunk, 4, last, sizeof(last)));
		rc = 0;
	}
	if (chunk)
		duckdb_destroy_data_chunk(&chunk);
	duckdb_destroy_result(&res);
	duckdb_destroy_prepare(&stmt);
	return rc;
}

int main(int argc, char **argv)
{
	duckdb_database db;
	duckdb_connection con;
	if (argc < 2) {
		fprintf(stderr, "usage: rawsum FILE...\n");
		return 2;
	}
	if (duckdb_open(NULL, &db) == DuckDBError || duckdb_connect(db, &con) == DuckDBError) {
		fprintf(stderr, "rawsum: cannot open DuckDB\n");
		return 1;
	}
	int rc = 0;
	for (int i = 1; i < argc && rc == 0; i++) {
		/* Savings Plan columns are missing from older exports: try the
		 * full CASE, then the one without them. */
		if (run(con, query, argv[i], 1) != 0 && run(con, sp_query, argv[i], 0) != 0)
			rc = 1;
	}
	duckdb_disconnect(&con);
	duckdb_close(&db);
	return rc;
}
