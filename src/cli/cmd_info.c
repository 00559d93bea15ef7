/*
 * cmd_info: `finq info`: what is loaded, at a glance. Each section is one
 * query over the canonical tables, listed in info.c (the API's data summary
 * shares them); text output prints them in turn, --json puts each under its
 * key (info_collect).
 */
#include "cli.h"
#include "info.h"
#include "sandbox.h"

#include <jansson.h>
#include <stdio.h>

static void info_usage(FILE *out)
{
	fprintf(out, "usage: finq info [--json]\n\n"
		     "Rows, date range, billing periods, totals per month (unblended and amortized),\n"
		     "accounts, top services, regions, tag keys with their coverage, and sources.\n");
}

int cmd_info(struct cli *cli, int argc, char **argv)
{
	bool json;
	int rc = cli_json_options(cli, argc, argv, info_usage, &json);
	if (rc >= 0)
		return rc;

	struct db db;
	struct err e = { 0 };
	if (cli_open_data(cli, &db, &e))
		return cli_fail(&e, ERR_DATABASE);
	int64_t rows = 0;
	if (db_query_int(&db, "SELECT count(*) FROM costs", &rows, &e) || rows == 0) {
		db_close(&db);
		fprintf(stderr, "finq: no cost data in '%s' yet: load some with 'finq load PATH' or 'finq demo'\n",
			cli->db_path);
		return EXIT_NO_DATA;
	}
	rc = EXIT_OK;
	if (json) {
		json_t *out = NULL;
		if (info_collect(&db, &out, &e)) {
			rc = cli_fail(&e, ERR_DATABASE);
		} else {
			json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
			fputc('\n', stdout);
			json_decref(out);
		}
		db_close(&db);
		return rc;
	}
	for (size_t i = 0; i < info_sections_count; i++) {
		struct table t;
		table_init(&t);
		if (info_section_query(&db, i, &t, &e)) {
			rc = cli_fail(&e, ERR_DATABASE);
			table_release(&t);
			break;
		}
		printf("%s%s\n", i ? "\n" : "", info_sections[i].title);
		table_print(&t, TABLE_TEXT, stdout);
		table_release(&t);
	}
	db_close(&db);
	return rc;
}
