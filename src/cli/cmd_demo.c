/*
 * cmd_demo: `finq demo`, the command: reads the options, has demo.c
 * generate the sample data file, then loads it with load_paths() exactly as
 * `finq load` would, and reports what it made (text or --json).
 */
#include "cli.h"
#include "db.h"
#include "demo.h"
#include "load.h"
#include "load_clickhouse.h"
#include "xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void demo_usage(FILE *out)
{
	fprintf(out,
		"usage: finq demo [--seed N] [--rows N | --scale X] [--start YYYY-MM-DD]\n"
		"                 [--end YYYY-MM-DD] [--format parquet|csv] [--out FILE]\n"
		"                 [--no-load] [--print-sql]\n\n"
		"Generates realistic AWS Cost and Usage Report 2.0 data (daily line items of\n"
		"six accounts under one payer, 25+ services, Savings Plan and RI coverage,\n"
		"support, taxes, a credit, a refund, tags, trends, weekly seasonality and\n"
		"injected anomalies), writes it as a CUR 2.0 file and loads it into the\n"
		"database. The same seed and dates always give the same data.\n\n"
		"  --seed N          randomness (default 42)\n"
		"  --rows N          about N line items\n"
		"  --scale X         size: 1.0 is about %d line items over 13 months (default)\n"
		"  --start DATE      first day (default: the 1st of the month a year before --end)\n"
		"  --end DATE        last day, included (default: today, or --today)\n"
		"  --format F        parquet (default; maps as MAP) or csv (gzip; maps as JSON)\n"
		"  --out FILE        where to write (default: finq-demo.parquet or\n"
		"                    finq-demo.csv.gz next to the --db database)\n"
		"  --no-load         write the file only\n"
		"  --print-sql       print the SQL that generates the data, and stop\n"
		"\n"
		"With --json (a global option) it prints what it made, the ground truth\n"
		"for tests: totals, injected events, and \"commitments\" (per month and\n"
		"kind: commitment, used, utilization, covered and eligible on-demand\n"
		"cost, coverage; docs/commitments.md).\n",
		DEMO_ROWS_PER_SCALE);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "finq: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see 'finq demo --help')\n");
	return EXIT_USAGE;
}

static int parse_int64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int today_days(const struct cli *cli, int *days)
{
	if (cli->today)
		return demo_parse_date(cli->today, days);
	*days = demo_today();
	return 0;
}

/* The default output: next to the database. */
static char *default_out(const char *db_path, enum demo_format format)
{
	const char *name = format == DEMO_CSV ? "finq-demo.csv.gz" : "finq-demo.parquet";
	const char *slash = db_path ? strrchr(db_path, '/') : NULL;
	if (!slash)
		return xstrdup(name);
	return xasprintf("%.*s/%s", (int)(slash - db_path), db_path, name);
}

static void print_json(const struct demo_options *opt, const struct demo_report *rep,
		       const struct load_report *load, bool loaded, const char *db_path)
{
	char start[11], end[11];
	demo_format_date(opt->start, start);
	demo_format_date(opt->end, end);
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(opt->out));
	json_object_set_new(o, "format", json_string(opt->format == DEMO_CSV ? "cur2-csv" : "cur2-parquet"));
	json_object_set_new(o, "seed", json_integer((json_int_t)opt->seed));
	json_object_set_new(o, "start", json_string(start));
	json_object_set_new(o, "end", json_string(end));
	json_object_set_new(o, "rows", json_integer(rep->rows));
	json_object_set_new(o, "resources", json_integer(rep->resources));
	json_object_set_new(o, "accounts", json_integer(rep->accounts));
	json_object_set_new(o, "services", json_integer(rep->services));
	json_object_set_new(o, "unblended_cost", json_real(round(rep->unblended * 100) / 100));
	json_object_set_new(o, "amortized_cost", json_real(round(rep->amortized * 100) / 100));
	json_object_set_new(o, "generate_seconds", json_real(round(rep->seconds * 1000) / 1000));
	json_t *evs = json_array();
	for (int i = 0; i < rep->nevents; i++) {
		const struct demo_event *ev = &rep->events[i];
		char s[11], en[11];
		demo_format_date(ev->start, s);
		demo_format_date(ev->end, en);
		json_t *j = json_object();
		json_object_set_new(j, "kind", json_string(ev->kind));
		json_object_set_new(j, "service", json_string(ev->service));
		if (ev->usage_type[0])
			json_object_set_new(j, "usage_type", json_string(ev->usage_type));
		if (ev->account[0])
			json_object_set_new(j, "account", json_string(ev->account));
		json_object_set_new(j, "start", json_string(s));
		json_object_set_new(j, "end", json_string(en));
		if (ev->factor > 0)
			json_object_set_new(j, "factor", json_real(ev->factor));
		json_array_append_new(evs, j);
	}
	json_object_set_new(o, "events", evs);
	/* per month and kind; percentages unrounded, null without a base */
	json_t *commitments = json_array();
	for (int i = 0; i < rep->ncommitments; i++) {
		const struct demo_commitment *c = &rep->commitments[i];
		json_array_append_new(
			commitments,
			json_pack("{s:s, s:s, s:f, s:f, s:o, s:f, s:f, s:o}", "month", c->month, "kind", c->kind,
				  "commitment", c->commitment, "used", c->used, "utilization_pct",
				  c->commitment > 0 ? json_real(100 * c->used / c->commitment) : json_null(),
				  "covered_on_demand", c->covered, "eligible_on_demand", c->eligible, "coverage_pct",
				  c->eligible > 0 ? json_real(100 * c->covered / c->eligible) : json_null()));
	}
	json_object_set_new(o, "commitments", commitments);
	if (loaded) {
		json_object_set_new(o, "database", json_string(db_path));
		json_object_set_new(o, "loaded_rows", json_integer(load->rows));
		json_object_set_new(o, "replaced_rows", json_integer(load->replaced));
		json_object_set_new(o, "load_seconds", json_real(round(load->seconds * 1000) / 1000));
	} else {
		json_object_set_new(o, "database", json_null());
	}
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
}

/* 1234567 -> "1,234,567" */
static const char *thousands(int64_t v, char *buf, size_t size)
{
	char digits[32];
	snprintf(digits, sizeof(digits), "%lld", (long long)(v < 0 ? -v : v));
	size_t n = strlen(digits), o = 0;
	if (v < 0 && o + 1 < size)
		buf[o++] = '-';
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static void print_text(const struct demo_options *opt, const struct demo_report *rep,
		       const struct load_report *load, bool loaded, const char *db_path)
{
	char start[11], end[11], a[32], b[32], c[32];
	struct stat st;
	demo_format_date(opt->start, start);
	demo_format_date(opt->end, end);
	printf("generated %s line items, %s to %s: %d accounts, %d services, %s resources (seed %llu)\n",
	       thousands(rep->rows, a, sizeof(a)), start, end, rep->accounts, rep->services,
	       thousands(rep->resources, b, sizeof(b)), (unsigned long long)opt->seed);
	printf("wrote %s (%.1f MB) in %.2f s, %s rows/s\n", opt->out,
	       stat(opt->out, &st) == 0 ? st.st_size / 1e6 : 0.0, rep->seconds,
	       thousands(rep->seconds > 0 ? (int64_t)(rep->rows / rep->seconds) : 0, c, sizeof(c)));
	printf("unblended $%s, amortized $%s\n", thousands(llround(rep->unblended), a, sizeof(a)),
	       thousands(llround(rep->amortized), b, sizeof(b)));
	if (loaded)
		printf("loaded %s rows into %s in %.2f s\n", thousands(load->rows, a, sizeof(a)), db_path,
		       load->seconds);
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
	enum { OPT_SEED = 256, OPT_ROWS, OPT_SCALE, OPT_START, OPT_END, OPT_FORMAT, OPT_OUT,
	       OPT_NO_LOAD, OPT_PRINT_SQL };
	static const struct option options[] = {
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "rows", required_argument, NULL, OPT_ROWS },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "start", required_argument, NULL, OPT_START },
		{ "end", required_argument, NULL, OPT_END },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "no-load", no_argument, NULL, OPT_NO_LOAD },
		{ "print-sql", no_argument, NULL, OPT_PRINT_SQL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct demo_options opt = { 42, 0, 0, 0, DEMO_PARQUET, NULL, cli->memory_limit, cli->threads };
	const char *start = NULL, *end = NULL;
	double scale = 0;
	bool no_load = false, print_sql = false;
	int64_t v;
	int c, today;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case OPT_SEED:
			if (parse_int64(optarg, 0, INT64_MAX, &v))
				return usage_error("--seed wants a non-negative integer, not '%s'", optarg);
			opt.seed = (uint64_t)v;
			break;
		case OPT_ROWS:
			if (parse_int64(optarg, 1, 2000000000, &v))
				return usage_error("--rows wants a number of rows from 1 to 2000000000, not '%s'", optarg);
			opt.rows = v;
			break;
		case OPT_SCALE: {
			char *endp;
			scale = strtod(optarg, &endp);
			if (endp == optarg || *endp || !(scale > 0) || scale > 10000)
				return usage_error("--scale wants a number above 0, not '%s'", optarg);
			break;
		}
		case OPT_START: start = optarg; break;
		case OPT_END: end = optarg; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "parquet") == 0)
				opt.format = DEMO_PARQUET;
			else if (strcmp(optarg, "csv") == 0)
				opt.format = DEMO_CSV;
			else
				return usage_error("--format is 'parquet' or 'csv', not '%s'", optarg);
			break;
		case OPT_OUT: opt.out = optarg; break;
		case OPT_NO_LOAD: no_load = true; break;
		case OPT_PRINT_SQL: print_sql = true; break;
		case 'h': demo_usage(stdout); return EXIT_OK;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (opt.rows && scale > 0)
		return usage_error("%s", "--rows and --scale exclude each other");

	if (today_days(cli, &today))
		return usage_error("--today wants a date YYYY-MM-DD, not '%s'", cli->today);
	opt.end = today;
	if (end && demo_parse_date(end, &opt.end))
		return usage_error("--end wants a date YYYY-MM-DD, not '%s'", end);
	opt.start = demo_default_start(opt.end);
	if (start && demo_parse_date(start, &opt.start))
		return usage_error("--start wants a date YYYY-MM-DD, not '%s'", start);
	if (opt.end < opt.start)
		return usage_error("%s", "--end is before --start");
	if (opt.end - opt.start + 1 > 3660)
		return usage_error("%s", "the range is longer than ten years");
	if (!opt.rows)
		opt.rows = demo_rows_for_scale(scale > 0 ? scale : 1.0, opt.start, opt.end);

	char *out = NULL;
	if (!opt.out)
		opt.out = out = default_out(cli->db_path, opt.format);
	if (print_sql) {
		char *sql = demo_sql(&opt);
		fputs(sql, stdout);
		free(sql);
		free(out);
		return EXIT_OK;
	}

	struct err e = { 0 };
	struct demo_report rep;
	struct load_report load = { 0 };
	int rc = EXIT_OK;
	if (demo_generate(&opt, &rep, &e)) {
		rc = cli_fail(&e, ERR_FAILED);
		goto out;
	}
	if (rep.rows > opt.rows * 3 / 2)
		fprintf(stderr, "finq: note: %lld line items is the smallest demo for these dates, "
				"more than --rows %lld\n", (long long)rep.rows, (long long)opt.rows);
	if (!no_load) {
		struct db db;
		const char *paths[] = { opt.out };
		struct load_options lo = { .progress = isatty(STDERR_FILENO) && !cli->json };
		if (cli->engine) { /* into the engine, as finq load does */
			if (load_clickhouse(cli->engine, paths, 1, &lo, cli->memory_limit, cli->threads, &load, &e)) {
				rc = cli_fail(&e, ERR_DATABASE);
				goto out;
			}
		} else {
			if (load_open_db(&db, cli->db_path, cli->memory_limit, cli->threads, &e)) {
				rc = cli_fail(&e, ERR_DATABASE);
				goto out;
			}
			if (load_paths(&db, paths, 1, &lo, &load, &e))
				rc = cli_fail(&e, ERR_BAD_INPUT);
			db_close(&db);
			if (rc)
				goto out;
		}
	}
	if (cli->json)
		print_json(&opt, &rep, &load, !no_load, cli->db_path);
	else
		print_text(&opt, &rep, &load, !no_load, cli->db_path);
out:
	free(out);
	return rc;
}
