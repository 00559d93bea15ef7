/*
 * load_clickhouse: `finq load` into a ClickHouse cluster (--engine
 * clickhouse://...). DuckDB reads the exports into a private staging file
 * exactly as a local load does (formats, checks, duplicates); the rows
 * then go to the cluster as a new generation that one INSERT makes
 * current. docs/engines.md describes the tables and the protocol.
 */
#ifndef FINQ_LOAD_CLICKHOUSE_H
#define FINQ_LOAD_CLICKHOUSE_H

#include "load.h"

/* Load paths into the cluster at url. memory_limit and threads are the
 * staging DuckDB's. On failure nothing a question reads has changed. */
int load_clickhouse(const char *url, const char *const *paths, int npaths, const struct load_options *opt,
		    const char *memory_limit, int threads, struct load_report *rep, struct err *e);

#endif
