/*
 * cli: helpers shared by the subcommands. See cli.h.
 */
#include "cli.h"
#include "ask.h"
#include "sandbox.h"

#include <stdio.h>

int cli_fail(const struct err *e, int default_code)
{
	fprintf(stderr, "finq: %s\n", e->msg);
	return e->code ? e->code : default_code;
}

int cli_open_for_questions(const struct cli *cli, int *today, struct db *db, struct ask_context *ctx)
{
	struct err e = { 0 };
	if (cli_today(cli, today, &e))
		return cli_fail(&e, EXIT_USAGE);
	if (sandbox_open(db, cli->db_path, cli->memory_limit, cli->threads, &e))
		return cli_fail(&e, EXIT_DATABASE);
	if (ask_context_init(ctx, db, &e)) {
		db_close(db);
		return cli_fail(&e, EXIT_NO_DATA);
	}
	return EXIT_OK;
}
