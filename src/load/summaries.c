/*
 * summaries: the daily summary tables, built and kept up to date one
 * billing period at a time. See summaries.h.
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
 * Why one period at a time: a load or undo changes whole billing periods,
 * so the other periods' rows stay as they are (DELETE and INSERT of the
 * changed periods, in the caller's transaction); and the hash aggregates
 * of one month, not of the whole table, bound the memory a 10M-row load
 * needs (docs/performance.md). A tag key new to the data gets its slice in
 * every period (where it is NULL throughout), a key gone from the data
 * loses its slices: the same rows as a rebuild from scratch.
 */
#include "summaries.h"
#include "table.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The dimensions of costs_day_detail, and of costs_day and the tag
 * summaries (subsets); measure sums follow them. */
#define MEASURE_SUMS                                                                                      \
	"sum(usage_amount) AS usage_amount, sum(unblended_cost) AS unblended_cost, sum(net_cost) AS net_cost, " \
	"sum(amortized_cost) AS amortized_cost, sum(list_cost) AS list_cost"

/* Each statement's %s is one billing period's DATE literal ("NULL" makes
 * an empty table of the right types). */
static const char detail_sql[] =
	"SELECT usage_date, billing_period, provider, account_id, account_name, service_code, service_name,\n"
	"  service_category, region, availability_zone, usage_type, operation, instance_type, charge_type,\n"
	"  pricing_term, usage_unit, currency, " MEASURE_SUMS ", count(*) AS line_items\n"
	"FROM costs WHERE billing_period = %s GROUP BY ALL ORDER BY usage_date";
static const char day_sql[] =
	"SELECT usage_date, billing_period, provider, account_id, account_name, service_code, service_name,\n"
	"  service_category, region, charge_type, pricing_term, usage_unit, currency, " MEASURE_SUMS ",\n"
	"  sum(line_items) AS line_items\n"
	"FROM costs_day_detail WHERE billing_period = %s GROUP BY ALL ORDER BY usage_date";
/* One period's line items grouped by costs_day_tag's dimensions and the
 * whole tags MAP: the slices read it once per key instead of the line
 * items. */
static const char by_tags_sql[] =
	"CREATE OR REPLACE TEMP TABLE summary_by_tags AS\n"
	"SELECT usage_date, billing_period, provider, account_id, account_name, service_code, service_name,\n"
	"  service_category, charge_type, pricing_term, currency, tags,\n"
	"  len(list_filter(map_keys(tags), k -> NOT starts_with(k, 'aws_'))) = 0 AS untagged,\n"
	"  " MEASURE_SUMS ", count(*) AS line_items\n"
	"FROM costs WHERE billing_period = %s GROUP BY ALL";
/* The slices of summary_by_tags for the keys of summary_slice_keys (the
 * key NULL: the "untagged" slice). */
static const char tag_sql[] =
	"SELECT s.tag_key, CASE WHEN s.tag_key IS NOT NULL THEN t.tags[s.tag_key] END AS tag_value, untagged,\n"
	"  usage_date, billing_period, provider, account_id, account_name, service_code, service_name,\n"
	"  service_category, charge_type, pricing_term, currency, " MEASURE_SUMS ",\n"
	"  sum(line_items) AS line_items\n"
	"FROM summary_by_tags t CROSS JOIN summary_slice_keys s WHERE billing_period = %s\n"
	"GROUP BY ALL ORDER BY s.tag_key, usage_date";
static const char tag_value_sql[] =
	"SELECT tag_key, tag_value, untagged, usage_date, billing_period, provider, charge_type, currency,\n"
	"  " MEASURE_SUMS ", sum(line_items) AS line_items\n"
	"FROM costs_day_tag WHERE billing_period = %s GROUP BY ALL ORDER BY tag_key, usage_date";

/* A statement with every %s one period literal. */
static int exec_period(struct db *db, const char *fmt, const char *period, struct err *e)
{
	return db_execf(db, e, fmt, period, period, period);
}

/* "INSERT INTO <table> <select>" for one period, after deleting its rows. */
static int replace_period(struct db *db, const char *table, const char *select, const char *period, struct err *e)
{
	char fmt[2048];
	snprintf(fmt, sizeof(fmt), "DELETE FROM %s WHERE billing_period = %%s;\nINSERT INTO %s %s", table, table, select);
	return exec_period(db, fmt, period, e);
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

/* Empty tables of the current layout, replacing whatever was there. */
static int create_empty(struct db *db, struct err *e)
{
	static const struct {
		const char *table, *select;
	} tables[] = {
		{ "costs_day_detail", detail_sql },
		{ "costs_day", day_sql },
	};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char fmt[2048];
		snprintf(fmt, sizeof(fmt), "CREATE OR REPLACE TABLE %s AS %s", tables[i].table, tables[i].select);
		if (exec_period(db, fmt, "NULL", e))
			return -1;
	}
	/* the tag tables take their types from an empty by_tags */
	char fmt[2048];
	snprintf(fmt, sizeof(fmt),
		 "%s;\nCREATE OR REPLACE TEMP TABLE summary_slice_keys AS SELECT CAST(NULL AS VARCHAR) AS tag_key;\n"
		 "CREATE OR REPLACE TABLE costs_day_tag AS %s;\nCREATE OR REPLACE TABLE costs_day_tag_value AS %s;\n"
		 "CREATE OR REPLACE TABLE summary_tag_keys (billing_period DATE NOT NULL, tag_key VARCHAR NOT NULL)",
		 by_tags_sql, tag_sql, tag_value_sql);
	return db_execf(db, e, fmt, "NULL", "NULL", "NULL");
}

/* The distinct periods of a query, as DATE literals in t's first column. */
static int query_periods(struct db *db, const char *from, struct table *t, struct err *e)
{
	return db_queryf(db, t, e,
			 "SELECT DISTINCT 'DATE ''' || strftime(billing_period, '%%Y-%%m-%%d') || '''' FROM (%s) "
			 "WHERE billing_period IS NOT NULL ORDER BY 1",
			 from);
}

/* One period's tag slices for the keys it lacks in costs_day_tag (all of
 * them once its rows are deleted), from summary_by_tags when it already
 * holds the period (have_by_tags), else from a new one. *built says
 * whether any slice was. */
static int add_missing_slices(struct db *db, const char *period, bool have_by_tags, bool *built, struct err *e)
{
	int64_t missing = 0;
	*built = false;
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "CREATE OR REPLACE TEMP TABLE summary_slice_keys AS SELECT k.tag_key FROM "
		 "(SELECT DISTINCT tag_key FROM summary_tag_keys UNION ALL SELECT NULL) k "
		 "WHERE NOT EXISTS (SELECT 1 FROM costs_day_tag t WHERE t.billing_period = %s "
		 "AND t.tag_key IS NOT DISTINCT FROM k.tag_key)",
		 period);
	if (db_exec(db, sql, e) || db_query_int(db, "SELECT count(*) FROM summary_slice_keys", &missing, e))
		return -1;
	if (missing == 0)
		return 0;
	*built = true;
	if (!have_by_tags && exec_period(db, by_tags_sql, period, e))
		return -1;
	char fmt[2048];
	snprintf(fmt, sizeof(fmt), "INSERT INTO costs_day_tag %s", tag_sql);
	return exec_period(db, fmt, period, e);
}

int summaries_refresh(struct db *db, const char *changed_periods, struct err *e)
{
	struct table changed, all;
	table_init(&changed);
	table_init(&all);
	int rc = -1;
	int current = summaries_current(db, e);
	if (current < 0)
		goto out;
	if (!current) {
		if (create_empty(db, e))
			goto out;
		changed_periods = "SELECT billing_period FROM costs";
	}
	if (query_periods(db, changed_periods, &changed, e))
		goto out;
	/* the changed periods: every table's rows, the tag keys they hold,
	 * and the slices of every key known so far (one read of the tags) */
	for (size_t r = 0; r < changed.nrows; r++) {
		const char *p = table_at(&changed, r, 0)->v.s;
		bool built = false;
		if (replace_period(db, "costs_day_detail", detail_sql, p, e) ||
		    replace_period(db, "costs_day", day_sql, p, e) || exec_period(db, by_tags_sql, p, e) ||
		    replace_period(db, "summary_tag_keys",
				   "SELECT DISTINCT billing_period, unnest(map_keys(tags)) FROM summary_by_tags "
				   "WHERE billing_period = %s",
				   p, e) ||
		    db_execf(db, e, "DELETE FROM costs_day_tag WHERE billing_period = %s", p) ||
		    add_missing_slices(db, p, true, &built, e) ||
		    replace_period(db, "costs_day_tag_value", tag_value_sql, p, e))
			goto out;
	}
	/* a key no period holds any more loses its slices */
	if (db_exec(db,
		    "DELETE FROM costs_day_tag WHERE tag_key IS NOT NULL\n"
		    "  AND tag_key NOT IN (SELECT tag_key FROM summary_tag_keys);\n"
		    "DELETE FROM costs_day_tag_value WHERE tag_key IS NOT NULL\n"
		    "  AND tag_key NOT IN (SELECT tag_key FROM summary_tag_keys)",
		    e))
		goto out;
	/* a key that came with a later changed period, or is new to the data,
	 * gets its slices in every other period */
	if (query_periods(db, "SELECT billing_period FROM costs_day", &all, e))
		goto out;
	for (size_t r = 0; r < all.nrows; r++) {
		const char *p = table_at(&all, r, 0)->v.s;
		bool built = false;
		if (add_missing_slices(db, p, false, &built, e))
			goto out;
		if (built && replace_period(db, "costs_day_tag_value", tag_value_sql, p, e))
			goto out;
	}
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "DROP TABLE IF EXISTS summary_by_tags;\nDROP TABLE IF EXISTS summary_slice_keys;\n"
		 "CREATE OR REPLACE TABLE summary_state AS\n"
		 "SELECT (SELECT count(*) FROM loads) AS loads, (SELECT count(*) FROM load_undos) AS undos,\n"
		 "  true AS tag_summary, %d AS layout",
		 SUMMARIES_LAYOUT);
	rc = db_exec(db, sql, e);
out:
	table_release(&changed);
	table_release(&all);
	return rc;
}
