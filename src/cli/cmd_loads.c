/*
 * cmd_loads: `finq loads` lists the loads (what each loaded and replaced),
 * `finq loads undo ID` undoes one. The command-line face of loadlog.c.
 */
#include "cli.h"
#include "load.h"
#include "loadlog.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void loads_usage(FILE *out)
{
	fprintf(out,
		"usage: finq loads [--json]\n"
		"       finq loads undo ID [--json]\n\n"
		"Lists the loads, newest first: id, time, files, billing periods, rows, and\n"
		"the rows of earlier loads each replaced. 'undo ID' removes the rows of load\n"
		"ID and restores the rows it replaced. The replaced rows of a billing period\n"
		"are kept until the next load of that period, so the latest load of each\n"
		"period can be undone (then the one before it, if it replaced nothing or\n"
		"its own replaced rows are still kept). Exit 5 when a load cannot be undone,\n"
		"saying why.\n");
}

static void print_load(json_t *l)
{
	printf("load %lld  %s  %lld rows", (long long)json_integer_value(json_object_get(l, "id")),
	       json_string_value(json_object_get(l, "loaded_at")),
	       (long long)json_integer_value(json_object_get(l, "rows")));
	json_int_t replaced = json_integer_value(json_object_get(l, "replaced"));
	if (replaced)
		printf(", replaced %lld", (long long)replaced);
	const char *undone = json_string_value(json_object_get(l, "undone_at"));
	if (undone)
		printf("  (undone %s)", undone);
	else if (json_is_true(json_object_get(l, "undoable")))
		printf("  (can be undone)");
	putchar('\n');
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(l, "files"), i, v)
		printf("  file    %s (%s)\n", json_string_value(json_object_get(v, "path")),
		       json_string_value(json_object_get(v, "format")));
	json_array_foreach(json_object_get(l, "periods"), i, v) {
		const char *payer = json_string_value(json_object_get(v, "payer_account_id"));
		printf("  period  %s %s%s%s: %lld rows", json_string_value(json_object_get(v, "billing_period")),
		       json_string_value(json_object_get(v, "provider")), payer && *payer ? " payer " : "",
		       payer ? payer : "", (long long)json_integer_value(json_object_get(v, "rows")));
		json_int_t n = json_integer_value(json_object_get(v, "replaced_rows"));
		if (n) {
			printf(", replaced %lld rows of load", (long long)n);
			json_t *from = json_object_get(v, "replaced_loads");
			printf("%s", json_array_size(from) > 1 ? "s" : "");
			size_t k;
			json_t *id;
			json_array_foreach(from, k, id)
				printf("%s %lld", k ? "," : "", (long long)json_integer_value(id));
		}
		putchar('\n');
	}
}

static int loads_list(struct db *db, bool json)
{
	struct err e = { 0 };
	json_t *loads = NULL;
	if (loadlog_list(db, &loads, &e))
		return cli_fail(&e, ERR_DATABASE);
	if (json) {
		json_t *o = json_pack("{s:O}", "loads", loads);
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o);
	} else if (json_array_size(loads) == 0) {
		printf("no loads yet\n");
	} else {
		size_t i;
		json_t *l;
		json_array_foreach(loads, i, l)
			print_load(l);
	}
	json_decref(loads);
	return EXIT_OK;
}

static int loads_undo(struct db *db, const char *arg, bool json)
{
	char *end = NULL;
	long long id = strtoll(arg, &end, 10);
	if (!*arg || *end || id <= 0) {
		fprintf(stderr, "finq: 'loads undo' takes a load id such as 3, not '%s'\n", arg);
		return EXIT_USAGE;
	}
	struct err e = { 0 };
	int64_t removed = 0, restored = 0;
	if (loadlog_undo(db, id, &removed, &restored, &e))
		return cli_fail(&e, ERR_DATABASE);
	if (json)
		printf("{\"undone\": %lld, \"removed\": %lld, \"restored\": %lld}\n", id, (long long)removed,
		       (long long)restored);
	else
		printf("undid load %lld: removed its %lld rows, restored %lld rows it had replaced\n", id,
		       (long long)removed, (long long)restored);
	return EXIT_OK;
}

int cmd_loads(struct cli *cli, int argc, char **argv)
{
	bool json;
	int rc = cli_json_options(cli, argc, argv, loads_usage, &json);
	if (rc >= 0)
		return rc;
	int nargs = argc - optind;
	bool undo = nargs == 2 && strcmp(argv[optind], "undo") == 0;
	if (nargs != 0 && !undo) {
		loads_usage(stderr);
		return EXIT_USAGE;
	}
	if (cli->engine) {
		fprintf(stderr, "finq: 'loads' reads the local load log; on an engine each load replaces its billing "
				"periods and there is nothing to undo (docs/engines.md)\n");
		return EXIT_USAGE;
	}
	/* listing must not create a database where there is none */
	struct stat st;
	if (stat(cli->db_path, &st) != 0) {
		fprintf(stderr, "finq: no database at '%s': nothing has been loaded\n", cli->db_path);
		return EXIT_NO_DATA;
	}
	struct db db;
	struct err e = { 0 };
	if (load_open_db(&db, cli->db_path, cli->memory_limit, cli->threads, &e))
		return cli_fail(&e, ERR_DATABASE);
	rc = undo ? loads_undo(&db, argv[optind + 1], json) : loads_list(&db, json);
	db_close(&db);
	return rc;
}
