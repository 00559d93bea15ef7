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
 * - $each_tag_key() (a row per tag key of each row, DuckDB's
 *   unnest(map_keys(tags)) in a select list): Trino unnests only in FROM.
 *   The macro is the column of an UNNEST, finq_each_tag_key.tag_key, and
 *   trino_rewrite() adds the UNNEST itself, `CROSS JOIN
 *   UNNEST(map_keys(tags)) AS finq_each_tag_key (tag_key)`, after the
 *   `FROM costs` of the same SELECT. A row without tags gives no row, as
 *   DuckDB's unnest and ClickHouse's arrayJoin do. Its SELECT must read
 *   `costs` with no alias; anything else fails by the macro's name.
 * The costs table itself is the user's CUR table seen through a WITH
 * entry the engine prefixes (load/athena_table.c builds it).
 */
#include "dialect.h"
#include "date.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

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

/* ---- $each_tag_key(): the UNNEST in FROM ---------------------------------------------- */

#define EACH_TAG_KEY_COLUMN "finq_each_tag_key.tag_key"
#define EACH_TAG_KEY_JOIN " CROSS JOIN UNNEST(map_keys(tags)) AS finq_each_tag_key (tag_key)"
/* as deep as sqlcost.c lets a statement nest, and one more */
#define EACH_TAG_KEY_MAX_DEPTH 65

static bool word_at(const char *s, size_t i, const char *word)
{
	size_t n = strlen(word);
	return (i == 0 || !(isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_' || s[i - 1] == '.')) &&
	       strncasecmp(s + i, word, n) == 0 && !(isalnum((unsigned char)s[i + n]) || s[i + n] == '_');
}

/* Where the quoted text or comment starting at s[i] ends (the index after
 * it); i when s[i] starts none. */
static size_t skip_quoted(const char *s, size_t i)
{
	if (s[i] == '\'' || s[i] == '"') {
		char q = s[i++];
		while (s[i] && !(s[i] == q && s[i + 1] != q))
			i += s[i] == q ? 2 : 1; /* '' and "" are the quote itself */
		return s[i] ? i + 1 : i;
	}
	if (s[i] == '-' && s[i + 1] == '-') {
		while (s[i] && s[i] != '\n')
			i++;
		return i;
	}
	return i;
}

/* The words that may follow `FROM costs` when it has no alias. */
static bool ends_from_item(const char *s, size_t i)
{
	static const char *const next[] = { "except", "fetch", "group", "having", "intersect", "limit",
					    "offset",  "order", "union",  "where",  "window" };
	if (!isalpha((unsigned char)s[i]))
		return true; /* ')', ',', ';' or the end */
	for (size_t k = 0; k < sizeof(next) / sizeof(next[0]); k++)
		if (word_at(s, i, next[k]))
			return true;
	return false;
}

/* Add the UNNEST after the `FROM costs` of each SELECT whose list reads
 * EACH_TAG_KEY_COLUMN (the expanded $each_tag_key()); everything else is
 * copied as written. */
static int trino_rewrite(const char *sql, struct strbuf *out, struct err *e)
{
	bool pending[EACH_TAG_KEY_MAX_DEPTH] = { false };
	size_t depth = 0, copied = 0;
	static const char missing[] = "the athena dialect writes $each_tag_key() only in a SELECT that reads "
				      "FROM costs with no alias";
	for (size_t i = 0; sql[i];) {
		size_t past = skip_quoted(sql, i);
		if (past != i) {
			i = past;
			continue;
		}
		if (sql[i] == '(' || sql[i] == ')') {
			if (sql[i] == ')' && pending[depth])
				return err_set(e, "%s", missing);
			if (sql[i] == '(' && ++depth >= EACH_TAG_KEY_MAX_DEPTH)
				return err_set(e, "$each_tag_key(): the statement nests too deep");
			if (sql[i] == ')' && depth > 0)
				depth--;
			i++;
			continue;
		}
		if (word_at(sql, i, EACH_TAG_KEY_COLUMN)) {
			pending[depth] = true;
			i += strlen(EACH_TAG_KEY_COLUMN);
			continue;
		}
		if (pending[depth] && word_at(sql, i, "from")) {
			size_t j = i + 4;
			while (isspace((unsigned char)sql[j]))
				j++;
			if (!word_at(sql, j, "costs"))
				return err_set(e, "%s", missing);
			j += strlen("costs");
			size_t k = j;
			while (isspace((unsigned char)sql[k]))
				k++;
			if (!ends_from_item(sql, k))
				return err_set(e, "%s", missing);
			strbuf_add(out, sql + copied, j - copied);
			strbuf_addstr(out, EACH_TAG_KEY_JOIN);
			copied = j;
			pending[depth] = false;
			i = j;
			continue;
		}
		i++;
	}
	if (pending[0])
		return err_set(e, "%s", missing);
	strbuf_addstr(out, sql + copied);
	return 0;
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
	{ "each_tag_key", 0, EACH_TAG_KEY_COLUMN },
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
	.rewrite = trino_rewrite,
};
