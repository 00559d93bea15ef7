/*
 * engines: the --engine address's scheme to the engine's attach function.
 * See engines.h. Adding an engine adds one line to engine_schemes[].
 */
#include "engines.h"

#include "athena_table.h"
#include "engine_clickhouse.h"
#include "safetext.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *scheme; /* with its "://" */
	int (*attach)(struct db *db, const char *url, struct err *e);
} engine_schemes[] = {
	{ "clickhouse://", engine_clickhouse_attach },
	{ "athena://", engine_athena_attach },
};

int engines_known(const char *url)
{
	for (size_t i = 0; i < sizeof(engine_schemes) / sizeof(engine_schemes[0]); i++)
		if (strncmp(url, engine_schemes[i].scheme, strlen(engine_schemes[i].scheme)) == 0)
			return 1;
	return 0;
}

int engines_attach(struct db *db, const char *url, struct err *e)
{
	for (size_t i = 0; i < sizeof(engine_schemes) / sizeof(engine_schemes[0]); i++)
		if (strncmp(url, engine_schemes[i].scheme, strlen(engine_schemes[i].scheme)) == 0)
			return engine_schemes[i].attach(db, url, e);
	char *shown = safetext_url_shown(url); /* a mistyped scheme may still carry a password */
	err_set_code(e, ERR_USAGE, "unknown engine address '%s' (expected clickhouse://HOST:PORT/DATABASE?cluster=NAME or athena://WORKGROUP/DATABASE/TABLE?region=R&output=s3://BUCKET/PREFIX)",
		     shown);
	free(shown);
	return -1;
}

int engines_open(struct db *db, const char *url, const char *memory_limit, int threads, struct err *e)
{
	struct db_config cfg = { .path = NULL, .sandbox = true, .memory_limit = memory_limit, .threads = threads };
	if (!engines_known(url))
		return engines_attach(db, url, e); /* the unknown-scheme message, nothing opened */
	if (db_open(db, &cfg, e))
		return -1;
	if (engines_attach(db, url, e)) {
		db_close(db);
		return -1;
	}
	return 0;
}
