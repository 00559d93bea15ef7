/*
 * summaries: the daily summary tables, built and kept up to date by
 * billing period. See summaries.h.
 *
 * The tables (every one holds the sums of every measure and line_items, so
 * a plan that reads only their columns gets the line items' answer):
 *   costs_day_detail     by day, account, service, category, region, zone,
 *                        usage type, operation, instance type, charge
 *                        type, pricing term, provider, unit, currency
 *   costs_day            the same without zone, usage type, operation and
 *                        instance type (read from costs_day_detail)
 *   costs_day_tag        one *slice* per tag key of the data: costs_day's
 *                        dimensions without region and unit, by that key's
 *                        value (tag_value, NULL where a row lacks the key),
 *                        so each slice is a whole partition of the costs;
 *                        a slice with tag_key NULL for plans that only ask
 *                        "untagged"; `untagged` (no user tag at all, the
 *                        dialect's test) computed once on every row
 *   costs_day_tag_value  the tag slices by day, value, charge type,
 *                        provider and currency only: "cost by team", "spend
 *                        without a team tag" read a few thousand rows here
 *                        instead of a slice several times costs_day
 *   summary_tag_keys     the tag keys each billing period holds: the
 *                        slices to build, known without reading every
 *                        period's tags MAP again
 *   summary_state        the loads and undos they reflect (ask.c reads no
 *                        stale sums), and their layout
 *
 * Why by billing period: a load or undo changes whole billing periods, so
 * the other periods' rows stay as they are (DELETE and INSERT of the
 * changed periods, in the caller's transaction). All changed periods are
 * read in one statement per table, not one period at a time: the line
 * items are in file order, not clustered by period, so a statement per
 * period read the whole table each time (measured: 13 periods of the 10M
 * demo took minutes). A tag key new to the data gets its slice in every
 * period (where it is NULL throughout), a key gone from the data loses its
 * slices: the same rows as a rebuild from scratch.
 *
 * What it costs, and why it is written as it is (docs/performance.md has
 * the measurements): the time goes to hash-grouping and to writing the
 * tables (DuckDB analyses and compresses every column segment), about in
 * proportion to the rows they hold; the dev data's costs_day_tag (301k
 * rows) is half of it. So:
 *   - one DuckDB thread per SUMMARY_ROWS_PER_THREAD line items of the
 *     changed periods, kept through the vocabulary and the caller's
 *     COMMIT (summaries_finish() puts the count back): DuckDB splits a
 *     scan by row groups of 122,880 rows, each thread then grows its own
 *     hash table of nearly every group, and the sort and the writing
 *     split up too; on the dev data two threads took 1.7-2x the CPU of
 *     one and no less wall time on two busy cores (on the 1M demo 1.1-1.4x,
 *     again no less wall time)
 *   - no FSST analysis while writing (the instance's
 *     disabled_compression_methods, also kept through the COMMIT, which
 *     writes the tables' last row groups): the summaries' strings are few
 *     distinct names, so dictionary encoding wins and FSST was never
 *     chosen (dev data, 1M demo: the same blocks either way), but trying
 *     it cost a tenth to a quarter of the writing, nearly half under
 *     AddressSanitizer; the load's own last row group of line items,
 *     written at that COMMIT too, is also compressed without it
 *   - the line items grouped with their tags are a subquery of the
 *     slices' statement, not a temporary table (its writing and reading
 *     cost more than they saved); the tag keys come from the line items
 *   - the ORDER BYs stay: questions filter on dates and a tag key, and
 *     DuckDB skips the row groups whose min/max exclude them (the 10M
 *     demo's costs_day_detail is 10 row groups, costs_day_tag 15); the
 *     sorts are a tenth of each statement or less
 */
#include "summaries.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Line items per DuckDB thread while the summaries are built (see the top
 * of the file). */
#define SUMMARY_ROWS_PER_THREAD 1000000

/* The dimensions of costs_day_detail, and of costs_day and the tag
 * summaries (subsets); measure sums follow them. */
#define MEASURE_SUMS                                                                                      \
	"sum(usage_amount) AS usage_amount, sum(unblended_cost) AS unblended_cost, sum(net_cost) AS net_cost, " \
	"sum(amortized_cost) AS amortized_cost, sum(list_cost) AS list_cost"

/* A %s of detail_sql is the condition on billing_period of the line
 * items read.
 *
 * Every table is made with CREATE TABLE AS, or filled by INSERT only when
 * it was committed before: in DuckDB 1.4.4 a table created empty and then
 * filled by INSERT in the same transaction read as empty until the commit
 * on the 10M demo (costs_day with 205k rows: costs_day, the tag slices and
 * the vocabulary came out empty; the dev data and a 3M-row synthetic
 * repeat did not show it, so the exact condition is unknown). When adding to committed tables, the new
 * rows go through temporary tables (summary_new, summary_new_slices) made
 * with CREATE TABLE AS for the same reason; a rebuild reads the new tables
 * themselves, one copy fewer in memory. A %s of day_sql and tag_value_sql
 * is the table read. */
static const char detail_sql[] =
	"SELECT usage_date, billing_period, provider, account_id, account_name, service_code, service_name,\n"
	"  service_category, region, availability_zone, usage_type, operation, instance_type, charge_type,\n"
	"  pricing_term, usage_unit, currency, " MEASURE_SUMS ", count(*) AS line_items\n"
	"FROM costs WHERE billing_period %s GROUP BY ALL ORDER BY usage_date";
static const char day_sql[] =
	"SELECT usage_date, billing_period, provider, account_id, account_name, service_code, service_name,\n"
	"  service_category, region, charge_type, pricing_term, usage_unit, currency, " MEASURE_SUMS ",\n"
	"  sum(line_items) AS line_items\n"
	"FROM %s GROUP BY ALL ORDER BY usage_date";
/* The line items of the periods that get slices (summary_slice_keys)
 * grouped by costs_day_tag's dimensions and the whole tags MAP, joined to
 * the keys of their slices: each key's value is read from the grouped rows
 * (half as many as the line items on the dev data) instead of the line
 * items. The grouping is a subquery of the one statement, not a temporary
 * table: writing and reading that table cost more than it saved. */
static const char tag_sql[] =
	"SELECT s.tag_key, CASE WHEN s.tag_key IS NOT NULL THEN t.tags[s.tag_key] END AS tag_value, untagged,\n"
	"  usage_date, t.billing_period, provider, account_id, account_name, service_code, service_name,\n"
	"  service_category, charge_type, pricing_term, currency, " MEASURE_SUMS ",\n"
	"  sum(line_items) AS line_items\n"
	"FROM (SELECT usage_date, billing_period, provider, account_id, account_name, service_code, service_name,\n"
	"    service_category, charge_type, pricing_term, currency, tags,\n"
	"    len(list_filter(map_keys(tags), k -> NOT starts_with(k, 'aws_'))) = 0 AS untagged,\n"
	"    " MEASURE_SUMS ", count(*) AS line_items\n"
	"  FROM costs WHERE billing_period IN (SELECT billing_period FROM summary_slice_keys) GROUP BY ALL) t\n"
	"JOIN summary_slice_keys s ON s.billing_period = t.billing_period\n"
	"GROUP BY ALL ORDER BY s.tag_key, usage_date";
static const char tag_value_sql[] =
	"SELECT tag_key, tag_value, untagged, usage_date, billing_period, provider, charge_type, currency,\n"
	"  " MEASURE_SUMS ", sum(line_items) AS line_items\n"
	"FROM %s GROUP BY ALL ORDER BY tag_key, usage_date";

/* The periods a refresh rewrites. */
#define CHANGED "IN (SELECT billing_period FROM summary_changed)"

/* "<head> <select>" with the select's rows those of <cond>. */
static int exec_select(struct db *db, const char *head, const char *select, const char *cond, struct err *e)
{
	char fmt[2048];
	snprintf(fmt, sizeof(fmt), "%s %s", head, select);
	return db_execf(db, e, fmt, cond);
}

/* 1 when the summaries are this layout's and reflect every load and undo
 * but the one being written, 0 when not, -1 on an error. Checked without a
 * failing statement: one would abort the caller's transaction. */
static int summaries_current(struct db *db, struct err *e)
{
	int64_t n = 0;
	if (db_query_int(db,
			 "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main' AND "
			 "(table_name, column_name) IN (('summary_state', 'layout'), ('costs_day', 'usage_date'), "
			 "('costs_day_detail', 'usage_date'), ('costs_day_tag', 'tag_key'), "
			 "('costs_day_tag_value', 'tag_key'), ('summary_tag_keys', 'tag_key'))",
			 &n, e))
		return -1;
	if (n != 6)
		return 0;
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM summary_state WHERE layout = %d AND loads + undos = "
		 "(SELECT count(*) FROM loads) + (SELECT count(*) FROM load_undos) - 1",
		 SUMMARIES_LAYOUT);
	if (db_query_int(db, sql, &n, e))
		return -1;
	return n == 1;
}

/* The new rows of a summary table: the table made of them (a rebuild from
 * scratch) or added to it after deleting its rows of the changed periods. */
static int put_rows(struct db *db, bool rebuild, const char *table, const char *select, struct err *e)
{
	if (rebuild)
		return db_execf(db, e, "CREATE OR REPLACE TABLE %s AS %s", table, select);
	return db_execf(db, e, "DELETE FROM %s WHERE billing_period " CHANGED ";\nINSERT INTO %s %s", table, table,
			select);
}

/* The tables of the changed periods (summaries_refresh(), with the
 * instance tuned). */
static int refresh_tables(struct db *db, bool rebuild, struct err *e)
{
	if (rebuild ? exec_select(db, "CREATE OR REPLACE TABLE costs_day_detail AS", detail_sql, CHANGED, e) ||
			      exec_select(db, "CREATE OR REPLACE TABLE costs_day AS", day_sql, "costs_day_detail", e)
		    : exec_select(db, "CREATE OR REPLACE TEMP TABLE summary_new AS", detail_sql, CHANGED, e) ||
			      put_rows(db, false, "costs_day_detail", "SELECT * FROM summary_new", e) ||
			      exec_select(db, "DELETE FROM costs_day WHERE billing_period " CHANGED ";\nINSERT INTO costs_day",
					  day_sql, "summary_new", e) ||
			      db_exec(db, "DROP TABLE summary_new", e))
		return -1;
	/* the tag keys of the changed periods, from their line items (0.02 s
	 * on the dev data, 0.15 s at 1M) */
	if (put_rows(db, rebuild, "summary_tag_keys",
		     "SELECT DISTINCT billing_period, unnest(map_keys(tags)) AS tag_key FROM costs WHERE billing_period " CHANGED,
		     e))
		return -1;
	/* The slices each period lacks: all of them in a changed period, a
	 * key new to the data in the others (NULL throughout there); a key no
	 * period holds any more loses its slices. */
	const char *slice_keys =
		"CREATE OR REPLACE TEMP TABLE summary_slice_keys AS\n"
		"SELECT p.billing_period, k.tag_key\n"
		"FROM (SELECT DISTINCT billing_period FROM summary_changed) p\n"
		"CROSS JOIN (SELECT DISTINCT tag_key FROM summary_tag_keys UNION ALL SELECT NULL) k";
	if (!rebuild)
		slice_keys =
			"DELETE FROM costs_day_tag WHERE billing_period " CHANGED ";\n"
			"DELETE FROM costs_day_tag_value WHERE billing_period " CHANGED ";\n"
			"DELETE FROM costs_day_tag WHERE tag_key IS NOT NULL\n"
			"  AND tag_key NOT IN (SELECT tag_key FROM summary_tag_keys);\n"
			"DELETE FROM costs_day_tag_value WHERE tag_key IS NOT NULL\n"
			"  AND tag_key NOT IN (SELECT tag_key FROM summary_tag_keys);\n"
			"CREATE OR REPLACE TEMP TABLE summary_slice_keys AS\n"
			"SELECT p.billing_period, k.tag_key\n"
			"FROM (SELECT DISTINCT billing_period FROM costs) p\n"
			"CROSS JOIN (SELECT DISTINCT tag_key FROM summary_tag_keys UNION ALL SELECT NULL) k\n"
			"WHERE NOT EXISTS (SELECT 1 FROM costs_day_tag t WHERE t.billing_period = p.billing_period\n"
			"  AND t.tag_key IS NOT DISTINCT FROM k.tag_key)";
	if (db_exec(db, slice_keys, e))
		return -1;
	/* the new slices, and their values (a new key's rows in the other
	 * periods; all rows in the changed ones) */
	if (rebuild ? db_execf(db, e, "CREATE OR REPLACE TABLE costs_day_tag AS %s", tag_sql) ||
			      exec_select(db, "CREATE OR REPLACE TABLE costs_day_tag_value AS", tag_value_sql,
					  "costs_day_tag", e)
		    : db_execf(db, e, "CREATE OR REPLACE TEMP TABLE summary_new_slices AS %s", tag_sql) ||
			      db_exec(db, "INSERT INTO costs_day_tag SELECT * FROM summary_new_slices", e) ||
			      exec_select(db, "INSERT INTO costs_day_tag_value", tag_value_sql, "summary_new_slices", e) ||
			      db_exec(db, "DROP TABLE summary_new_slices", e))
		return -1;
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "DROP TABLE summary_slice_keys;\nDROP TABLE summary_changed;\n"
		 "CREATE OR REPLACE TABLE summary_state AS\n"
		 "SELECT (SELECT count(*) FROM loads) AS loads, (SELECT count(*) FROM load_undos) AS undos,\n"
		 "  true AS tag_summary, %d AS layout",
		 SUMMARIES_LAYOUT);
	return db_exec(db, sql, e);
}

int summaries_refresh(struct db *db, const char *changed_periods, struct summaries_tuning *tuning, struct err *e)
{
	*tuning = (struct summaries_tuning){ 0 };
	int current = summaries_current(db, e);
	if (current < 0)
		return -1;
	bool rebuild = !current;
	if (rebuild)
		changed_periods = "SELECT billing_period FROM costs";
	/* the changed periods, and how many line items they hold */
	int64_t rows = 0, threads = 0;
	if (db_execf(db, e,
		     "CREATE OR REPLACE TEMP TABLE summary_changed AS SELECT DISTINCT billing_period FROM (%s) "
		     "WHERE billing_period IS NOT NULL",
		     changed_periods) ||
	    db_query_int(db, "SELECT count(*) FROM costs WHERE billing_period " CHANGED, &rows, e) ||
	    db_query_int(db, "SELECT current_setting('threads')", &threads, e))
		return -1;
	/* fewer threads for fewer line items (see the top of the file): one
	 * per SUMMARY_ROWS_PER_THREAD, never more than the instance has */
	int64_t want = rows / SUMMARY_ROWS_PER_THREAD;
	if (want < 1)
		want = 1;
	if (db_exec(db, "SET GLOBAL disabled_compression_methods = 'fsst'", e))
		return -1;
	tuning->fsst_off = true;
	if (want < threads) {
		if (db_execf(db, e, "SET threads = %lld", (long long)want))
			return -1;
		tuning->threads = threads;
	}
	return refresh_tables(db, rebuild, e);
}

void summaries_finish(struct db *db, const struct summaries_tuning *tuning)
{
	struct err ignored = { 0 };
	if (tuning->threads > 0)
		db_execf(db, &ignored, "SET threads = %lld", (long long)tuning->threads);
	if (tuning->fsst_off)
		db_exec(db, "RESET disabled_compression_methods", &ignored);
}
