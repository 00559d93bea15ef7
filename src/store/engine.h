/*
 * engine: the seam for a query engine other than the embedded DuckDB file
 * (a ClickHouse cluster, Athena). A `struct db` with an engine attached
 * sends every read of the cost data there: db_run(), db_query() and
 * sandbox_query() hand the SQL to the engine's run(), which fills a
 * `struct table` under the same options (rows, bytes, time limit,
 * cancellation). The engine enforces read-only on its side (a read-only
 * user or profile), as DuckDB's sandbox does here.
 *
 * Adding an engine is one file in store/ defining a `struct db_engine`
 * (its run() speaks the engine's protocol) and one dialect_<name>.c in
 * sql/ whose name matches the engine's: service/ask.c pairs them by name
 * (ask_dialect). Loads still read the exports with DuckDB; how an engine
 * receives the rows is its own business.
 */
#ifndef FINQ_ENGINE_H
#define FINQ_ENGINE_H

#include "db.h"

struct db_engine {
	const char *name; /* "clickhouse": the SQL dialect of the same name spells its queries */
	/* run one read-only statement; out as db_run() fills it */
	int (*run)(void *state, const char *sql, const struct db_run_options *opt, struct table *out,
		   struct err *e);
	/* release state (db_close calls it) */
	void (*close)(void *state);
};

/* Send db's reads to engine from now on; db_close() closes it. */
void db_attach_engine(struct db *db, const struct db_engine *engine, void *state);

#endif
