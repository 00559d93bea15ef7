/*
 * dialect_trino: how finq's SQL is spelled for Athena (engine version 3,
 * which is Trino). See dialect.h: the functions serve sqlgen, the macros
 * the hand-written analyses. Its name is "athena", the name of the engine
 * it is paired with (store/engine_athena.c; service/ask.c pairs them).
 *
 * What differs from DuckDB, and why:
 * - a tag lookup is element_at(tags, key): Trino's tags[key] fails the
 *   whole query on a row without that key, element_at gives NULL;
 * - text search is strpos(): Trino's contains() is for arrays;
 * - any_value is arbitrary(); FILTER (WHERE ...) after an aggregate is
 *   Trino's too;
 * - median is approx_percentile(x, 0.5): Trino has no exact median (the
 *   owners analysis uses it for a typical day, where an approximation
 *   within Trino's documented error of about 1% of rank does not change
 *   the reading);
 * - mode is the most frequent key of histogram(x), ties to the smallest;
 * - $each_tag_key() is missing on purpose: Trino unnests only in FROM
 *   (CROSS JOIN UNNEST), never in a select list, so a statement using it
 *   fails by the macro's name instead of running something else.
 * The costs table itself is the user's CUR table seen through a WITH
 * entry the engine prefixes (load/athena_table.c builds it).
 */
#include "dialect.h"
#include "date.h"

static void trino_date_literal(struct strbuf *sql, int day)
{
	char buf[16];
	date_format(day, buf, sizeof(buf));
	strbuf_addf(sql, "date '%s'", buf);
}

static void trino_date_bucket(struct strbuf *sql, enum grain grain, const char *col)
{
	/* Trino's weeks start on Monday, as CONVENTIONS.md's do */
	static const char *const units[] = {
		[GRAIN_WEEK] = "week", [GRAIN_MONTH] = "month", [GRAIN_QUARTER] = "quarter", [GRAIN_YEAR] = "year",
	};
	if (grain == GRAIN_DAY || grain == GRAIN_NONE)
		strbuf_addstr(sql, col);
	else
		strbuf_addf(sql, "CAST(date_trunc('%s', %s) AS DATE)", units[grain], col);
}

static void trino_tag_value(struct strbuf *sql, const char *key)
{
	strbuf_addstr(sql, "element_at(tags, ");
	strbuf_add_sql_literal(sql, key);
	strbuf_addch(sql, ')');
}

static void trino_untagged(struct strbuf *sql)
{
	strbuf_addstr(sql, "cardinality(map_filter(tags, (k, v) -> NOT starts_with(k, 'aws_'))) = 0");
}

static void trino_contains(struct strbuf *sql, const char *col, const char *text)
{
	strbuf_addf(sql, "strpos(%s, ", col);
	strbuf_add_sql_literal(sql, text);
	strbuf_addstr(sql, ") > 0");
}

static void trino_starts_with(struct strbuf *sql, const char *col, const char *text)
{
	strbuf_addf(sql, "starts_with(%s, ", col);
	strbuf_add_sql_literal(sql, text);
	strbuf_addch(sql, ')');
}

static void trino_instance_family(struct strbuf *sql, const char *col)
{
	strbuf_addf(sql, "regexp_replace(%s, '\\.[^.]*$', '')", col);
}

/* Sorted by name (sql_dialect_macro searches them); test_dialect checks. */
static const struct sql_macro trino_macros[] = {
	{ "add_days", 2, "date_add('day', $2, $1)" },
	{ "any", 1, "arbitrary($1)" },
	{ "any_if", 2, "arbitrary($1) FILTER (WHERE $2)" },
	{ "count_if", 1, "count_if($1)" },
	{ "date", 1, "date $1" },
	{ "day_number", 1, "date_diff('day', date '1970-01-01', $1)" },
	{ "distinct_list", 1, "array_join(array_sort(array_agg(DISTINCT $1)), ', ')" },
	{ "hour", 1, "hour($1)" },
	{ "is_weekend", 1, "(day_of_week($1) >= 6)" },
	{ "median_if", 2, "approx_percentile($1, 0.5) FILTER (WHERE $2)" },
	{ "mode", 1, "element_at(array_sort(transform(map_entries(histogram($1)), e -> ROW(-e[2], e[1]))), 1)[2]" },
	{ "month_start", 1, "CAST(date_trunc('month', $1) AS DATE)" },
	{ "split_part", 3, "split_part($1, $2, $3)" },
	{ "sum_if", 2, "sum($1) FILTER (WHERE $2)" },
	{ "tag", 1, "element_at(tags, $1)" },
};

const struct sql_dialect sql_dialect_trino = {
	.name = "athena",
	.date_literal = trino_date_literal,
	.date_bucket = trino_date_bucket,
	.tag_value = trino_tag_value,
	.untagged = trino_untagged,
	.contains = trino_contains,
	.starts_with = trino_starts_with,
	.macros = trino_macros,
	.nmacros = sizeof(trino_macros) / sizeof(trino_macros[0]),
	.instance_family = trino_instance_family,
};
