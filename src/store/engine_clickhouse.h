/*
 * engine_clickhouse: attach a ClickHouse cluster to a `struct db` so that
 * every read of the cost data goes there (engine.h). engines.c's scheme
 * table calls it for clickhouse:// addresses.
 */
#ifndef FINQ_ENGINE_CLICKHOUSE_H
#define FINQ_ENGINE_CLICKHOUSE_H

#include "db.h"

/* url: clickhouse://HOST:PORT/DATABASE?cluster=NAME[&user=READER][&writer=WRITER]
 * (HTTP port). Nothing is sent yet; db_close() releases the engine. */
int engine_clickhouse_attach(struct db *db, const char *url, struct err *e);

#endif
