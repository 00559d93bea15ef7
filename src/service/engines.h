/*
 * engines: which engine an --engine address names, in one table (engines.c):
 * its scheme picks the attach function. The CLI and the server's pool call
 * engines_open(); nothing else reads the scheme.
 */
#ifndef FINQ_ENGINES_H
#define FINQ_ENGINES_H

#include "db.h"

/* Attach the engine url names to db (already open). */
int engines_attach(struct db *db, const char *url, struct err *e);

/* Open db for questions on the engine at url: a private in-memory DuckDB
 * in the sandbox (what still runs locally, none of the cost data) with the
 * engine attached. On failure db is closed and e says why. */
int engines_open(struct db *db, const char *url, const char *memory_limit, int threads, struct err *e);

/* Whether url names an engine finq knows (its scheme is in the table). */
int engines_known(const char *url);

#endif
