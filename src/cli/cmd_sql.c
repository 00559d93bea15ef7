/*
 * cmd_sql: `finq sql "SELECT ..."`: one read-only query over the loaded
 * data, printed as a table, JSON or CSV. All the checking is sandbox.c's.
 */
#include "cli.h"
#include "sandbox.h"
#include "spill.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SQL_TEXT_MAX (1 << 20)

static void sql_usage(FILE *out)
{
	fprintf(out,
		"usage: finq sql [--json | --csv] [--max-rows N] [--timeout SECONDS]\n"
		"                [--max-statement BYTES] [--max-result MB] \"SELECT ...\"\n"
		"       finq sql [options] -      (read the statement from stdin)\n\n"
		"Runs one SELECT over the loaded data (table 'costs'). The database is\n"
		"opened read-only; files and the network cannot be reached; one statement.\n\n"
		"  --max-rows N           rows shown (default %d); more are cut, and said so\n"
		"  --timeout SECONDS      cancel the statement, planning included, after this\n"
		"                         long (default %g)\n"
		"  --max-statement BYTES  refuse a longer statement (default %u)\n"
		"  --max-result MB        fail when the result is bigger (default %u)\n"
		"A statement may also name at most %d subqueries (WITH ... AS) and nest\n"
		"parentheses at most %d deep. Exit code 5 when refused or cancelled.\n",
		SANDBOX_DEFAULT_MAX_ROWS, SANDBOX_DEFAULT_TIMEOUT, SANDBOX_DEFAULT_MAX_TEXT,
		SANDBOX_DEFAULT_MAX_RESULT >> 20, SANDBOX_MAX_CTES, SANDBOX_MAX_DEPTH);
}

/*
 * The last word on the time limit. DuckDB cannot interrupt one function
 * call (levenshtein of two long strings, in the planner's constant
 * folding or not); the guard's interrupt lands only when the call ends.
 * The command line then stops the process itself, a second past the
 * limit: the database is open read-only, nothing is left half-written.
 */
static const char timeout_message[] = "finq: statement cancelled: it took longer than the time limit\n";
static const char *hard_deadline_temp_dir; /* the sandbox's spill folder, best effort */
static char *hard_deadline_owner;          /* its owner file (spill.h), which goes first */

static void on_hard_deadline(int sig)
{
	(void)sig;
	if (hard_deadline_owner)
		unlink(hard_deadline_owner);
	if (hard_deadline_temp_dir)
		rmdir(hard_deadline_temp_dir); /* not if DuckDB spilled: the next open sweeps it */
	ssize_t ignored = write(STDERR_FILENO, timeout_message, sizeof(timeout_message) - 1);
	(void)ignored;
	_exit(EXIT_REFUSED);
}

static void hard_deadline_arm(double seconds)
{
	if (seconds <= 0)
		return;
	signal(SIGALRM, on_hard_deadline);
	alarm((unsigned)ceil(seconds) + 1);
}

/* A number from min to max (whole unless min is a fraction), or a usage
 * message: a negative --max-rows once meant "every row". */
static int parse_limit(const char *option, const char *text, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	bool whole = min == floor(min);
	if (errno || end == text || *end || v < min || v > max || (whole && v != floor(v))) {
		fprintf(stderr, "finq: %s takes a%s number from %.15g to %.15g, not '%s'\n", option,
			whole ? " whole" : "", min, max, text);
		return -1;
	}
	*out = v;
	return 0;
}

static int read_all(FILE *in, struct strbuf *sb)
{
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		strbuf_add(sb, buf, n);
	return sb->overflow ? -1 : 0;
}

int cmd_sql(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "max-rows", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "max-statement", required_argument, NULL, 's' },
		{ "max-result", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sandbox_limits limits = { .max_rows = SANDBOX_DEFAULT_MAX_ROWS,
					 .timeout_seconds = SANDBOX_DEFAULT_TIMEOUT };
	enum table_format fmt = cli->json ? TABLE_JSON : TABLE_TEXT;
	struct err e = { 0 };
	double value;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': fmt = TABLE_JSON; break;
		case 'c': fmt = TABLE_CSV; break;
		case 'n':
			if (parse_limit("--max-rows", optarg, 0, 1e9, &value))
				return EXIT_USAGE;
			limits.max_rows = (size_t)value;
			break;
		case 't':
			if (parse_limit("--timeout", optarg, 0.001, 86400, &limits.timeout_seconds))
				return EXIT_USAGE;
			break;
		case 's':
			if (parse_limit("--max-statement", optarg, 1, SQL_TEXT_MAX, &value))
				return EXIT_USAGE;
			limits.max_text_bytes = (size_t)value;
			break;
		case 'r':
			if (parse_limit("--max-result", optarg, 1, 65536, &value))
				return EXIT_USAGE;
			limits.max_result_bytes = (size_t)value << 20;
			break;
		case 'h': sql_usage(stdout); return EXIT_OK;
		default: sql_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		sql_usage(stderr);
		return EXIT_USAGE;
	}
	struct strbuf text;
	strbuf_init(&text, SQL_TEXT_MAX);
	if (strcmp(argv[optind], "-") == 0) {
		if (read_all(stdin, &text)) {
			strbuf_release(&text);
			fprintf(stderr, "finq: the statement is longer than %d bytes\n", SQL_TEXT_MAX);
			return EXIT_USAGE;
		}
	} else {
		for (int i = optind; i < argc; i++) {
			if (i > optind)
				strbuf_addch(&text, ' ');
			strbuf_addstr(&text, argv[i]);
		}
	}

	struct db db;
	struct table t;
	table_init(&t);
	int rc = EXIT_OK;
	if (cli_open_data(cli, &db, &e)) {
		rc = cli_fail(&e, ERR_DATABASE);
		goto out_text;
	}
	hard_deadline_temp_dir = db.temp_dir;
	hard_deadline_owner = db.temp_dir ? xasprintf("%s/" SPILL_OWNER_FILE, db.temp_dir) : NULL;
	hard_deadline_arm(limits.timeout_seconds);
	if (sandbox_query(&db, text.buf, &limits, &t, &e))
		rc = cli_fail(&e, ERR_REFUSED);
	else {
		alarm(0);
		table_print(&t, fmt, stdout);
	}
	table_release(&t);
	alarm(0);
	db_close(&db);
	hard_deadline_temp_dir = NULL;
	free(hard_deadline_owner);
	hard_deadline_owner = NULL;
out_text:
	strbuf_release(&text);
	return rc;
}
