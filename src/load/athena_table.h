/*
 * athena_table: the user's own CUR table in Athena, seen as finq's
 * `costs` (and `vocabulary`), so that every statement finq writes runs
 * there unchanged. It maps the table's columns with schema.c's facts (the
 * same CUR columns, the same amortized cost, categories and tag keys as a
 * load), written in Trino's SQL, and gives them to the Athena client
 * (store/engine_athena.h) as the WITH entries in front of each statement.
 *
 * It lives in load/ because the mapping is schema.c's (load/ may use
 * store/, where the engine is; store/ may not use load/). It builds text
 * and attaches; the engine does the talking.
 */
#ifndef FINQ_ATHENA_TABLE_H
#define FINQ_ATHENA_TABLE_H

#include "engine_athena.h"
#include "strbuf.h"

/* `costs (usage_date, ...) AS (SELECT ...)` over "database"."table" with
 * these columns (GetTableMetadata's). Fails naming the table when it is
 * not a CUR (1.0 in Athena's layout, or 2.0). */
int athena_costs_relation(const char *database, const char *table, const struct athena_column *cols, size_t ncols,
			  struct strbuf *out, struct err *e);
/* The `vocabulary` relation (the names questions are matched against,
 * as schema_vocabulary_sql builds them on a load) and the tag sums it
 * reads, in the order they go after WITH. */
void athena_vocabulary_relations(struct strbuf *tag_costs, struct strbuf *vocabulary);
/* The dimensions the vocabulary lists (for the test that keeps them the
 * same as schema_vocabulary_sql's), NULL-terminated. */
extern const char *const athena_vocabulary_dims[];

/* The table's partition layout that finq can narrow ("billing_period"
 * for CUR 2.0, "year,month" for CUR 1.0), NULL when none. */
const char *athena_partition_layout(const struct athena_column *cols, size_t ncols);
/* The condition on the partition keys that holds every line item of the
 * days [start_day, end_day), a month of margin on each side (an
 * athena_prune_fn; the caller frees it); NULL: read them all. */
char *athena_prune_partitions(const char *layout, int start_day, int end_day);

/* Read c's table's columns, map them, and send db's reads to c (which
 * db_close() frees, also on failure). */
int engine_athena_attach_client_mapped(struct db *db, struct athena_client *c, struct err *e);
/* The whole of it from an address: athena://WORKGROUP/DATABASE/TABLE
 * ?region=R&output=s3://BUCKET/PREFIX (engine_athena.h). What the
 * --engine option calls. */
int engine_athena_attach(struct db *db, const char *url, struct err *e);

#endif
