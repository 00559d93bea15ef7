/*
 * athena_table: the user's CUR table in Athena as finq's `costs`. See
 * athena_table.h.
 *
 * Two SELECTs, as schema.c's mapping: the inner one names every CUR
 * column the mapping reads (schema_cur_column), typed from what Athena
 * says the column is (a string parsed into a number or a timestamp, a
 * CUR 2.0 product attribute read from the `product` map), NULL when the
 * table lacks it, and the tags as one map with normalised keys; the outer
 * one is schema.c's own select list (schema_cur_select_list): CAST,
 * coalesce, CASE, date_trunc and LIKE read the same in Trino. The file a
 * row came from is Athena's "$path".
 *
 * Trino cannot run finq_tags_from_entries (a DuckDB macro): the map is
 * built here. CUR 2.0's resource_tags keys are normalised in SQL as
 * tag_key_normalize does in C (user: prefix off, camelCase split,
 * separators to one '_', lower case; add_tags says how keys that meet are
 * merged); CUR 1.0's resource_tags_* columns
 * get their keys from tag_key_normalize itself, and columns meeting on one
 * key are merged, first non-empty first, as a load does.
 */
#include "athena_table.h"

#include "date.h"
#include "schema.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool type_is(const struct athena_column *c, const char *const *prefixes)
{
	for (size_t i = 0; prefixes[i]; i++)
		if (strncasecmp(c->type, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static const char *const text_types[] = { "string", "varchar", "char", NULL };
static const char *const number_types[] = { "double", "float", "real", "decimal", "bigint", "int", "smallint",
					    "tinyint", NULL };
static const char *const time_types[] = { "timestamp", "date", NULL };
static const char *const map_types[] = { "map", NULL };

static const struct athena_column *find(const struct athena_column *cols, size_t n, const char *name)
{
	char normalized[256];
	for (size_t i = 0; i < n; i++) {
		column_name_normalize(cols[i].name, normalized, sizeof(normalized));
		if (strcmp(normalized, name) == 0)
			return &cols[i];
	}
	return NULL;
}

static const char *const null_of_kind[] = {
	[SCHEMA_TEXT] = "CAST(NULL AS varchar)",
	[SCHEMA_NUMBER] = "CAST(NULL AS double)",
	[SCHEMA_TIMESTAMP] = "CAST(NULL AS timestamp)",
};

/* A product attribute of CUR 2.0, from the map or its JSON text. */
static void add_product_value(struct strbuf *sql, const struct athena_column *product, const char *key)
{
	if (type_is(product, map_types)) {
		strbuf_addstr(sql, "nullif(element_at(");
		strbuf_add_sql_ident(sql, product->name);
		strbuf_addstr(sql, ", ");
		strbuf_add_sql_literal(sql, key);
		strbuf_addstr(sql, "), '')");
	} else {
		strbuf_addstr(sql, "nullif(json_extract_scalar(");
		strbuf_add_sql_ident(sql, product->name);
		strbuf_addf(sql, ", '$.%s'), '')", key); /* key: one of schema.c's snake_case names */
	}
}

static void add_typed(struct strbuf *sql, const struct athena_column *c, enum schema_kind kind)
{
	bool text = type_is(c, text_types);
	switch (kind) {
	case SCHEMA_TEXT:
		strbuf_addstr(sql, text ? "nullif(" : "nullif(CAST(");
		strbuf_add_sql_ident(sql, c->name);
		strbuf_addstr(sql, text ? ", '')" : " AS varchar), '')");
		return;
	case SCHEMA_NUMBER:
		if (type_is(c, number_types)) {
			strbuf_addstr(sql, "CAST(");
			strbuf_add_sql_ident(sql, c->name);
			strbuf_addstr(sql, " AS double)");
		} else {
			strbuf_addstr(sql, "try_cast(nullif(trim(CAST(");
			strbuf_add_sql_ident(sql, c->name);
			strbuf_addstr(sql, " AS varchar)), '') AS double)");
		}
		return;
	case SCHEMA_TIMESTAMP:
		if (type_is(c, time_types)) {
			strbuf_addstr(sql, "CAST(");
			strbuf_add_sql_ident(sql, c->name);
			strbuf_addstr(sql, " AS timestamp)");
		} else {
			/* "2019-11-27 05:00:00" (CUR 1.0 in Athena) or ISO 8601 with a zone */
			strbuf_addstr(sql, "coalesce(try_cast(");
			strbuf_add_sql_ident(sql, c->name);
			strbuf_addstr(sql, " AS timestamp), try(CAST(from_iso8601_timestamp(");
			strbuf_add_sql_ident(sql, c->name);
			strbuf_addstr(sql, ") AS timestamp)))");
		}
		return;
	}
}

static void add_stage1_value(struct strbuf *sql, const struct athena_column *cols, size_t n, const char *name,
			     enum schema_kind kind, const char *fallback_of)
{
	const struct athena_column *c = find(cols, n, name);
	if (c) {
		add_typed(sql, c, kind);
		return;
	}
	/* a fallback is read only when the column it stands in for is missing */
	const struct athena_column *product = find(cols, n, "product");
	if (!(fallback_of && find(cols, n, fallback_of)) && product && kind == SCHEMA_TEXT &&
	    strncmp(name, "product_", 8) == 0) {
		add_product_value(sql, product, name + 8);
		return;
	}
	strbuf_addstr(sql, null_of_kind[kind]);
}

/* Trino's spelling of tag_key_normalize over the expression k. */
static void add_normalized_key(struct strbuf *sql, const char *k)
{
	strbuf_addf(sql,
		    "regexp_replace(lower(regexp_replace(regexp_replace(regexp_replace(%s, '^user[:_]', ''),"
		    " '([a-z0-9])([A-Z])', '$1_$2'), '[:/ .\\-_]+', '_')), '^_+|_+$', '')",
		    k);
}

/* The tag key a resource_tags_* column carries, as a load reads it. */
static bool tag_column_key(const struct athena_column *c, char *key, size_t size)
{
	static const char prefix[] = "resource_tags_";
	char normalized[256];
	column_name_normalize(c->name, normalized, sizeof(normalized));
	if (strncmp(normalized, prefix, sizeof(prefix) - 1) != 0)
		return false;
	tag_key_normalize(normalized + sizeof(prefix) - 1, key, size);
	return key[0] != '\0';
}

static void add_tag_text(struct strbuf *sql, const struct athena_column *c)
{
	bool text = type_is(c, text_types);
	strbuf_addstr(sql, text ? "nullif(" : "nullif(CAST(");
	strbuf_add_sql_ident(sql, c->name);
	strbuf_addstr(sql, text ? ", '')" : " AS varchar), '')");
}

/* The raw tag map of CUR 2.0, never NULL (a row without tags has an empty
 * map, so that "untagged" finds it). */
static void add_raw_tag_map(struct strbuf *sql, const struct athena_column *m)
{
	strbuf_addstr(sql, "coalesce(");
	if (type_is(m, map_types)) {
		strbuf_add_sql_ident(sql, m->name);
	} else {
		strbuf_addstr(sql, "CAST(json_parse(");
		strbuf_add_sql_ident(sql, m->name);
		strbuf_addstr(sql, ") AS map(varchar, varchar))");
	}
	strbuf_addstr(sql, ", CAST(map(ARRAY[], ARRAY[]) AS map(varchar, varchar)))");
}

/*
 * The tags as map(varchar, varchar), keys normalised, no empty values.
 * CUR 2.0: keys that meet once normalised (user:Team and user:team) would
 * make transform_keys fail the whole query, so the entries go through a
 * multimap and each key keeps its first non-empty value (which one is
 * first is the map's order, unlike a load's file order).
 */
static void add_tags(struct strbuf *sql, const struct athena_column *cols, size_t n)
{
	const struct athena_column *m = find(cols, n, "resource_tags");
	if (m) {
		strbuf_addstr(sql, "map_filter(transform_values(multimap_from_entries(zip(transform(map_keys(");
		add_raw_tag_map(sql, m);
		strbuf_addstr(sql, "), k -> ");
		add_normalized_key(sql, "k");
		strbuf_addstr(sql, "), map_values(");
		add_raw_tag_map(sql, m);
		strbuf_addstr(sql, "))), (k, vs) -> element_at(filter(vs, v -> v IS NOT NULL AND v <> ''), 1)),"
				   " (k, v) -> v IS NOT NULL AND k <> '')");
		return;
	}
	struct strbuf keys = STRBUF_INIT, values = STRBUF_INIT;
	char(*key)[SCHEMA_TAG_KEY_MAX] = xcalloc(n ? n : 1, sizeof(*key));
	size_t *first = xcalloc(n ? n : 1, sizeof(*first));
	for (size_t i = 0; i < n; i++)
		if (!tag_column_key(&cols[i], key[i], sizeof(key[i])))
			key[i][0] = '\0';
	schema_group_tag_columns((const char(*)[SCHEMA_TAG_KEY_MAX])key, n, first);
	for (size_t i = 0; i < n; i++) {
		if (first[i] != i)
			continue;
		strbuf_addstr(&keys, keys.len ? ", " : "");
		strbuf_add_sql_literal(&keys, key[i]);
		strbuf_addstr(&values, values.len ? ", coalesce(" : "coalesce(");
		for (size_t k = i; k < n; k++)
			if (first[k] == i) {
				if (k != i)
					strbuf_addstr(&values, ", ");
				add_tag_text(&values, &cols[k]);
			}
		strbuf_addstr(&values, ", NULL)");
	}
	free(key);
	free(first);
	if (keys.len)
		strbuf_addf(sql, "map_filter(map(ARRAY[%s], ARRAY[%s]), (k, v) -> v IS NOT NULL)", keys.buf, values.buf);
	else
		strbuf_addstr(sql, "CAST(map(ARRAY[], ARRAY[]) AS map(varchar, varchar))");
	strbuf_release(&keys);
	strbuf_release(&values);
}

int athena_costs_relation(const char *database, const char *table, const struct athena_column *cols, size_t ncols,
			  struct strbuf *out, struct err *e)
{
	const char **names = xcalloc(ncols + 1, sizeof(*names));
	for (size_t i = 0; i < ncols; i++)
		names[i] = cols[i].name;
	enum export_format format = schema_identify(names, ncols);
	free(names);
	if (format != FORMAT_CUR2 && format != FORMAT_CUR1_ATHENA)
		return err_set_code(e, ERR_BAD_INPUT,
				    "athena table %s.%s is not a Cost and Usage Report (it looks like '%s'): finq reads "
				    "CUR 1.0 in Athena's layout or CUR 2.0 there",
				    database, table, export_format_name(format));

	/* the outer select list is schema.c's, but for the tags: built here */
	struct strbuf outer = STRBUF_INIT;
	schema_cur_select_list(&outer);
	static const char duckdb_tags[] = "finq_tags_from_entries(tag_entries)";
	char *at = strstr(outer.buf, duckdb_tags);
	if (!at || strstr(at + 1, duckdb_tags)) {
		strbuf_release(&outer);
		return err_set_code(e, ERR_FAILED, "schema.c's CUR mapping no longer reads the tags as %s: "
						   "load/athena_table.c must follow it", duckdb_tags);
	}

	strbuf_addstr(out, "costs (");
	for (size_t i = 0; costs_columns[i]; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", costs_columns[i]);
	strbuf_addstr(out, ") AS (\nSELECT\n");
	strbuf_add(out, outer.buf, (size_t)(at - outer.buf));
	strbuf_addstr(out, "tag_entries");
	strbuf_addstr(out, at + strlen(duckdb_tags));
	strbuf_addstr(out, "  0\nFROM (SELECT\n");
	const char *name, *fallback_of;
	enum schema_kind kind;
	for (size_t i = 0; schema_cur_column(i, &name, &kind, &fallback_of); i++) {
		strbuf_addstr(out, "  ");
		add_stage1_value(out, cols, ncols, name, kind, fallback_of);
		strbuf_addf(out, " AS %s,\n", name);
	}
	strbuf_addstr(out, "  ");
	add_tags(out, cols, ncols);
	strbuf_addstr(out, " AS tag_entries,\n  \"$path\" AS source_file\nFROM ");
	strbuf_add_sql_ident(out, database);
	strbuf_addch(out, '.');
	strbuf_add_sql_ident(out, table);
	strbuf_addstr(out, " " ATHENA_PARTITIONS_MARK ") AS stage1)");
	strbuf_release(&outer);
	return 0;
}

/* ---- partitions ---- */

/* The partition layouts finq narrows, by their keys (string typed, as
 * AWS's templates make them): CUR 2.0 exports by billing_period
 * ("2025-11"), CUR 1.0 by year ("2025") and month ("11", or "9" without a
 * zero: both are asked). */
static const struct {
	const char *layout;
	const char *keys[2];
} partition_layouts[] = {
	{ "billing_period", { "billing_period", NULL } },
	{ "year,month", { "year", "month" } },
};

const char *athena_partition_layout(const struct athena_column *cols, size_t ncols)
{
	for (size_t i = 0; i < sizeof(partition_layouts) / sizeof(partition_layouts[0]); i++) {
		bool all = true;
		for (size_t k = 0; k < 2 && partition_layouts[i].keys[k]; k++) {
			const struct athena_column *c = find(cols, ncols, partition_layouts[i].keys[k]);
			all = all && c && c->partition && type_is(c, text_types);
		}
		if (all)
			return partition_layouts[i].layout;
	}
	return NULL;
}

/* A margin of a month on each side: a line item filed in the partition
 * of the month next to its usage day (a late adjustment, a credit) is
 * still read. More than MAX_MONTHS months: no narrowing. */
enum { MAX_MONTHS = 36 };

char *athena_prune_partitions(const char *layout, int start_day, int end_day)
{
	int first = date_add_months(date_month_start(start_day), -1);
	int last = date_add_months(date_month_start(end_day - 1), 1);
	int months = 0;
	for (int m = first; m <= last; m = date_add_months(m, 1))
		months++;
	if (!layout || months > MAX_MONTHS)
		return NULL;
	struct strbuf sql = STRBUF_INIT;
	bool by_period = strcmp(layout, "billing_period") == 0;
	int year_open = 0;
	strbuf_addstr(&sql, by_period ? "\"billing_period\" IN (" : "(");
	for (int m = first; m <= last; m = date_add_months(m, 1)) {
		int year, month, day;
		date_to_ymd(m, &year, &month, &day);
		if (by_period) {
			strbuf_addf(&sql, "%s'%04d-%02d'", m == first ? "" : ", ", year, month);
			continue;
		}
		if (year != year_open) {
			strbuf_addf(&sql, "%s(\"year\" = '%04d' AND \"month\" IN (", year_open ? ")) OR " : "", year);
			year_open = year;
		} else {
			strbuf_addstr(&sql, ", ");
		}
		if (month < 10)
			strbuf_addf(&sql, "'%d', '%02d'", month, month);
		else
			strbuf_addf(&sql, "'%d'", month);
	}
	strbuf_addstr(&sql, by_period ? ")" : ")))");
	return strbuf_detach(&sql);
}

/* ---- the vocabulary ---- */

/* The dimensions of schema_vocabulary_sql, in its order: the column and,
 * for services and accounts, the name shown with it. test_athena checks
 * the list against that statement. */
static const struct {
	const char *dim;
	const char *column;
	const char *name_column;
} vocabulary_dims[] = {
	{ "service", "service_code", "service_name" },
	{ "account", "account_id", "account_name" },
	{ "region", "region", NULL },
	{ "availability_zone", "availability_zone", NULL },
	{ "usage_type", "usage_type", NULL },
	{ "operation", "operation", NULL },
	{ "instance_type", "instance_type", NULL },
	{ "charge_type", "charge_type", NULL },
	{ "service_category", "service_category", NULL },
	{ "pricing_term", "pricing_term", NULL },
	{ "provider", "provider", NULL },
	{ "currency", "currency", NULL },
	{ "usage_unit", "usage_unit", NULL },
};
enum { NDIMS = sizeof(vocabulary_dims) / sizeof(vocabulary_dims[0]) };

const char *const athena_vocabulary_dims[] = {
	"service", "account", "region", "availability_zone", "usage_type", "operation", "instance_type",
	"charge_type", "service_category", "pricing_term", "provider", "currency", "usage_unit", "tag", "tag_key",
	NULL,
};

/*
 * One scan for every dimension (GROUPING SETS: Athena bills the bytes a
 * query reads, and thirteen UNION ALL branches would read the table
 * thirteen times), and the tag sums once more: a row per (key, value),
 * the 1,000 costliest values of each key kept, and each key's total.
 */
void athena_vocabulary_relations(struct strbuf *tag_costs, struct strbuf *vocabulary)
{
	strbuf_addstr(tag_costs, "finq_tag_costs (k, v, cost) AS (\n"
				 "SELECT t.k, t.v, sum(c.amortized_cost) FROM costs AS c CROSS JOIN UNNEST(c.tags) AS t (k, v)"
				 " GROUP BY t.k, t.v)");

	strbuf_addstr(vocabulary, "vocabulary (dim, tag_key, value, name, cost) AS (\nSELECT CASE");
	for (size_t i = 0; i < NDIMS; i++)
		strbuf_addf(vocabulary, " WHEN grouping(%s) = 0 THEN '%s'", vocabulary_dims[i].column, vocabulary_dims[i].dim);
	strbuf_addstr(vocabulary, " END,\n  CAST(NULL AS varchar),\n  coalesce(");
	for (size_t i = 0; i < NDIMS; i++)
		strbuf_addf(vocabulary, "%s%s", i ? ", " : "", vocabulary_dims[i].column);
	strbuf_addstr(vocabulary, "),\n  CASE");
	for (size_t i = 0; i < NDIMS; i++)
		if (vocabulary_dims[i].name_column)
			strbuf_addf(vocabulary, " WHEN grouping(%s) = 0 THEN arbitrary(%s)", vocabulary_dims[i].column,
				    vocabulary_dims[i].name_column);
	strbuf_addstr(vocabulary, " END,\n  sum(amortized_cost)\nFROM costs\nGROUP BY GROUPING SETS (");
	for (size_t i = 0; i < NDIMS; i++)
		strbuf_addf(vocabulary, "%s(%s)", i ? ", " : "", vocabulary_dims[i].column);
	strbuf_addstr(vocabulary, ")\nHAVING coalesce(");
	for (size_t i = 0; i < NDIMS; i++)
		strbuf_addf(vocabulary, "%s%s", i ? ", " : "", vocabulary_dims[i].column);
	strbuf_addstr(vocabulary,
		      ") IS NOT NULL\n"
		      "UNION ALL SELECT 'tag', k, v, CAST(NULL AS varchar), cost FROM (\n"
		      "  SELECT k, v, cost, row_number() OVER (PARTITION BY k ORDER BY cost DESC, v) AS value_rank"
		      " FROM finq_tag_costs) AS ranked\n"
		      "WHERE value_rank <= 1000\n"
		      "UNION ALL SELECT 'tag_key', k, CAST(NULL AS varchar), CAST(NULL AS varchar), sum(cost)"
		      " FROM finq_tag_costs GROUP BY k)");
}

/* ---- attaching ---- */

int engine_athena_attach_client_mapped(struct db *db, struct athena_client *c, struct err *e)
{
	const struct athena_target *t = athena_client_target(c);
	struct athena_column *cols = NULL;
	size_t ncols = 0;
	struct strbuf costs = STRBUF_INIT, tag_costs = STRBUF_INIT, vocabulary = STRBUF_INIT;
	int rc = athena_table_columns(c, &cols, &ncols, e);
	if (rc == 0)
		rc = athena_costs_relation(t->database, t->table, cols, ncols, &costs, e);
	if (rc == 0) {
		athena_vocabulary_relations(&tag_costs, &vocabulary);
		athena_client_add_pruned_relation(c, "costs", costs.buf, athena_prune_partitions,
						  athena_partition_layout(cols, ncols));
		athena_client_add_relation(c, "finq_tag_costs", tag_costs.buf);
		athena_client_add_relation(c, "vocabulary", vocabulary.buf);
		engine_athena_attach_client(db, c);
	} else {
		athena_client_free(c);
	}
	athena_columns_free(cols, ncols);
	strbuf_release(&costs);
	strbuf_release(&tag_costs);
	strbuf_release(&vocabulary);
	return rc;
}

int engine_athena_attach(struct db *db, const char *url, struct err *e)
{
	struct athena_client *c = athena_client_new(url, e);
	if (!c)
		return -1;
	return engine_athena_attach_client_mapped(db, c, e);
}
