/*
 * cli: helpers shared by the subcommands. See cli.h.
 */
#include "cli.h"

#include <stdio.h>

int cli_fail(const struct err *e, int default_code)
{
	fprintf(stderr, "finq: %s\n", e->msg);
	return e->code ? e->code : default_code;
}
