/*
 * cmd_load: `finq load PATH...`, the command-line face of load.c.
 */
#include "cli.h"
#include "load.h"
#include "load_clickhouse.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void load_usage(FILE *out)
{
	fprintf(out,
		"usage: finq load [--header-from FILE] [--max-line-size BYTES] [--progress | --no-progress]\n"
		"                 [--json] PATH...\n\n"
		"Loads AWS CUR 1.0 / 2.0 (CSV, CSV.gz, Parquet, Athena layouts), FOCUS 1.0-1.2\n"
		"and Azure cost-details exports into the database. PATH may be a file, a\n"
		"folder (read recursively) or a glob. The format is read from the content.\n"
		"A billing period loaded again replaces the earlier rows of that period, so\n"
		"month-to-date deliveries never count twice. Files of one load that hold the\n"
		"same charges (two deliveries of a month, one export in two formats, a copy)\n"
		"count once: the newest delivery is kept and stderr says what was skipped and\n"
		"why. One transaction: on any error nothing is loaded. 'finq loads' lists the\n"
		"loads and undoes one.\n\n"
		"  --header-from FILE  header for Athena TEXTFILE exports written without one\n"
		"  --max-line-size BYTES\n"
		"                      longest line a CSV may have (default 2097152, 2 MB)\n"
		"  --progress          progress (share done, rows/s, time left) on stderr even when\n"
		"                      it is not a terminal: a line a second\n"
		"  --no-progress       no progress line, even on a terminal\n"
		"  --json              the report as JSON; seconds (and rows_per_second) are the\n"
		"                      whole load, the daily summaries and the commit included;\n"
		"                      insert_seconds ends with the rows' insert\n");
}

int cmd_load(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "header-from", required_argument, NULL, 'H' },
		{ "max-line-size", required_argument, NULL, 'L' },
		{ "no-progress", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct load_options opt = { .progress = true };
	bool json = cli->json;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'H': opt.header_from = optarg; break;
		case 'L': {
			char *end = NULL;
			errno = 0;
			unsigned long long n = strtoull(optarg, &end, 10);
			if (errno || !*optarg || *end || n < 1024 || optarg[0] == '-') {
				fprintf(stderr, "finq: --max-line-size takes a number of bytes, at least 1024, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			opt.max_line_size = n;
			break;
		}
		case 'q': opt.progress = false; break;
		case 'P': opt.progress_always = true; break;
		case 'j': json = true; break;
		case 'h': load_usage(stdout); return EXIT_OK;
		default: load_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		load_usage(stderr);
		return EXIT_USAGE;
	}

	struct db db;
	struct err e = { 0 };
	struct load_report rep;
	int rc;
	if (cli->engine) {
		/* staged in a private DuckDB, then sent to the engine */
		memset(&rep, 0, sizeof(rep));
		rc = load_clickhouse(cli->engine, (const char *const *)argv + optind, argc - optind, &opt,
				     cli->memory_limit, cli->threads, &rep, &e);
	} else {
		if (load_open_db(&db, cli->db_path, cli->memory_limit, cli->threads, &e))
			return cli_fail(&e, ERR_DATABASE);
		rc = load_paths(&db, (const char *const *)argv + optind, argc - optind, &opt, &rep, &e);
		db_close(&db);
	}
	if (rc)
		return cli_fail(&e, ERR_BAD_INPUT);

	if (json) {
		struct rusage usage;
		getrusage(RUSAGE_SELF, &usage); /* ru_maxrss is in KiB on Linux */
		/* rows_per_second is over the whole load (what the user waited),
		 * not the insert alone: insert_seconds gives that rate */
		json_t *o = json_pack("{s:I, s:I, s:I, s:i, s:s, s:f, s:f, s:f, s:f}", "rows", (json_int_t)rep.rows,
				      "replaced", (json_int_t)rep.replaced,
				      "duplicates_skipped", (json_int_t)rep.duplicates, "files", rep.files,
				      "formats", rep.formats, "seconds", rep.seconds,
				      "rows_per_second", rep.seconds > 0 ? (double)rep.rows / rep.seconds : 0.0,
				      "insert_seconds", rep.insert_seconds, "peak_memory_mb", (double)usage.ru_maxrss / 1024.0);
		json_dumpf(o, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(o);
	} else {
		printf("loaded %lld rows from %d file%s (%s) in %.2f s", (long long)rep.rows, rep.files,
		       rep.files == 1 ? "" : "s", rep.formats, rep.seconds);
		if (rep.replaced)
			printf("; replaced %lld rows of earlier loads of the same billing periods", (long long)rep.replaced);
		printf("\n");
	}
	return EXIT_OK;
}
