/*
 * dialect_clickhouse: how finq's SQL is spelled for ClickHouse, written to
 * run on Debian's 18.16 and on current releases alike. See dialect.h.
 *
 * 18.16 has no Map type (tags are two parallel arrays, tag_keys and
 * tag_values, in the tables load/load_clickhouse.c makes), no window
 * functions, no FILTER (WHERE) (the -If combinators instead: sumIf,
 * countIf, anyIf), no DATE '...' literal (toDate). What differs beyond a
 * macro (alias scoping, positional GROUP BY, TRUE, window totals) is
 * rewritten after expansion by clickhouse_rewrite() (clickhouse_rewrite.c).
 */
#include "dialect.h"
#include "clickhouse_rewrite.h"
#include "date.h"

static void ch_date_literal(struct strbuf *sql, int day)
{
	char buf[16];
	date_format(day, buf, sizeof(buf));
	strbuf_addf(sql, "toDate('%s')", buf);
}

static void ch_date_bucket(struct strbuf *sql, enum grain grain, const char *col)
{
	static const char *const functions[] = {
		[GRAIN_WEEK] = "toMonday", [GRAIN_MONTH] = "toStartOfMonth",
		[GRAIN_QUARTER] = "toStartOfQuarter", [GRAIN_YEAR] = "toStartOfYear",
	};
	if (grain == GRAIN_DAY || grain == GRAIN_NONE)
		strbuf_addstr(sql, col);
	else
		strbuf_addf(sql, "%s(%s)", functions[grain], col);
}

static void ch_tag_value(struct strbuf *sql, const char *key)
{
	strbuf_addstr(sql, "if(has(tag_keys, ");
	strbuf_add_sql_literal(sql, key);
	strbuf_addstr(sql, "), tag_values[indexOf(tag_keys, ");
	strbuf_add_sql_literal(sql, key);
	strbuf_addstr(sql, ")], NULL)");
}

static void ch_untagged(struct strbuf *sql)
{
	strbuf_addstr(sql, "arrayAll(k -> startsWith(k, 'aws_'), tag_keys)");
}

static void ch_contains(struct strbuf *sql, const char *col, const char *text)
{
	strbuf_addf(sql, "(position(%s, ", col);
	strbuf_add_sql_literal(sql, text);
	strbuf_addstr(sql, ") > 0)");
}

static void ch_starts_with(struct strbuf *sql, const char *col, const char *text)
{
	strbuf_addf(sql, "startsWith(%s, ", col);
	strbuf_add_sql_literal(sql, text);
	strbuf_addch(sql, ')');
}

static void ch_instance_family(struct strbuf *sql, const char *col)
{
	strbuf_addf(sql, "replaceRegexpOne(%s, '\\\\.[^.]*$', '')", col);
}

/* Sorted by name (sql_dialect_macro searches them); test_dialect checks.
 * median is exact (quantileExact: the lower middle value of an even count,
 * where DuckDB's median averages the two); mode is topK(1), exact for
 * the few distinct values it is used on. */
static const struct sql_macro clickhouse_macros[] = {
	{ "add_days", 2, "($1 + $2)" },
	{ "any", 1, "any($1)" },
	{ "any_if", 2, "anyIf($1, $2)" },
	{ "count_if", 1, "countIf($1)" },
	{ "date", 1, "toDate($1)" },
	{ "day_number", 1, "toInt32(toRelativeDayNum($1))" },
	{ "distinct_list", 1, "arrayStringConcat(arraySort(groupUniqArray($1)), ', ')" },
	{ "each_tag_key", 0, "arrayJoin(tag_keys)" },
	{ "hour", 1, "toHour($1)" },
	{ "is_weekend", 1, "(toDayOfWeek($1) >= 6)" },
	{ "median_if", 2, "quantileExactIf(0.5)($1, $2)" },
	{ "mode", 1, "topK(1)($1)[1]" },
	{ "month_start", 1, "toStartOfMonth($1)" },
	{ "split_part", 3, "if(isNull($1), NULL, splitByString($2, ifNull($1, ''))[$3])" },
	{ "sum_if", 2, "sumIf($1, $2)" },
	{ "tag", 1, "if(has(tag_keys, $1), tag_values[indexOf(tag_keys, $1)], NULL)" },
};

const struct sql_dialect sql_dialect_clickhouse = {
	.name = "clickhouse",
	.date_literal = ch_date_literal,
	.date_bucket = ch_date_bucket,
	.tag_value = ch_tag_value,
	.untagged = ch_untagged,
	.contains = ch_contains,
	.starts_with = ch_starts_with,
	.macros = clickhouse_macros,
	.nmacros = sizeof(clickhouse_macros) / sizeof(clickhouse_macros[0]),
	.instance_family = ch_instance_family,
	.rewrite = clickhouse_rewrite,
};
