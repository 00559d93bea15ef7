/*
 * dialect_duckdb: how finq's SQL is spelled for DuckDB. See dialect.h.
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

const struct sql_dialect sql_dialect_duckdb = {
	.name = "duckdb",
	.date_literal = duckdb_date_literal,
	.date_bucket = duckdb_date_bucket,
	.tag_value = duckdb_tag_value,
	.untagged = duckdb_untagged,
	.contains = duckdb_contains,
	.starts_with = duckdb_starts_with,
	.instance_family = duckdb_instance_family,
};
