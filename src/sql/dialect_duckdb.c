/*
 * dialect_duckdb: how finq's SQL is spelled for DuckDB. See dialect.h: the
 * functions serve sqlgen, the macros the hand-written analyses.
 */
#include "dialect.h"
#include "date.h"

static void duckdb_date_literal(struct strbuf *sql, int day)
{
	char buf[16];
	date_format(day, buf, sizeof(buf));
	strbuf_addf(sql, "DATE '%s'", buf);
}

static void duckdb_date_bucket(struct strbuf *sql, enum grain grain, const char *col)
{
	static const char *const units[] = {
		[GRAIN_WEEK] = "week", [GRAIN_MONTH] = "month", [GRAIN_QUARTER] = "quarter", [GRAIN_YEAR] = "year",
	};
	if (grain == GRAIN_DAY || grain == GRAIN_NONE)
		strbuf_addstr(sql, col);
	else
		strbuf_addf(sql, "CAST(date_trunc('%s', %s) AS DATE)", units[grain], col);
}

static void duckdb_tag_value(struct strbuf *sql, const char *key)
{
	strbuf_addstr(sql, "tags[");
	strbuf_add_sql_literal(sql, key);
	strbuf_addch(sql, ']');
}

static void duckdb_untagged(struct strbuf *sql)
{
	strbuf_addstr(sql, "len(list_filter(map_keys(tags), k -> NOT starts_with(k, 'aws_'))) = 0");
}

static void duckdb_contains(struct strbuf *sql, const char *col, const char *text)
{
	strbuf_addf(sql, "contains(%s, ", col);
	strbuf_add_sql_literal(sql, text);
	strbuf_addch(sql, ')');
}

static void duckdb_starts_with(struct strbuf *sql, const char *col, const char *text)
{
	strbuf_addf(sql, "starts_with(%s, ", col);
	strbuf_add_sql_literal(sql, text);
	strbuf_addch(sql, ')');
}

static void duckdb_instance_family(struct strbuf *sql, const char *col)
{
	strbuf_addf(sql, "regexp_replace(%s, '\\.[^.]*$', '')", col);
}

/* Sorted by name (sql_dialect_macro searches them); test_dialect checks. */
static const struct sql_macro duckdb_macros[] = {
	{ "add_days", 2, "($1 + $2)" },
	{ "any", 1, "any_value($1)" },
	{ "any_if", 2, "any_value($1) FILTER (WHERE $2)" },
	{ "count_if", 1, "count(*) FILTER (WHERE $1)" },
	{ "date", 1, "DATE $1" },
	{ "day_number", 1, "CAST(($1) - DATE '1970-01-01' AS INTEGER)" },
	{ "distinct_list", 1, "string_agg(DISTINCT $1, ', ' ORDER BY $1)" }, /* sorted, as the other dialects: one answer, one order */
	{ "each_tag_key", 0, "unnest(map_keys(tags))" },
	{ "hour", 1, "hour($1)" },
	{ "is_weekend", 1, "(isodow($1) >= 6)" },
	{ "median_if", 2, "median($1) FILTER (WHERE $2)" },
	{ "mode", 1, "mode($1)" },
	{ "month_start", 1, "CAST(date_trunc('month', $1) AS DATE)" },
	{ "split_part", 3, "split_part($1, $2, $3)" },
	{ "sum_if", 2, "sum($1) FILTER (WHERE $2)" },
	{ "tag", 1, "tags[$1]" },
};

const struct sql_dialect sql_dialect_duckdb = {
	.name = "duckdb",
	.date_literal = duckdb_date_literal,
	.date_bucket = duckdb_date_bucket,
	.tag_value = duckdb_tag_value,
	.untagged = duckdb_untagged,
	.contains = duckdb_contains,
	.starts_with = duckdb_starts_with,
	.macros = duckdb_macros,
	.nmacros = sizeof(duckdb_macros) / sizeof(duckdb_macros[0]),
	.instance_family = duckdb_instance_family,
};
