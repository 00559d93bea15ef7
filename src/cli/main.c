/*
 * main: finq's entry point. Parses the global options and dispatches to a
 * subcommand through a table; knows nothing of what the commands do.
 */
#include "cli.h"
#include "safetext.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FINQ_VERSION "0.1.0"

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

/* Sorted by name. */
static const struct command commands[] = {
	{ "alias", cmd_alias, "name groups of services, accounts or other values for questions" },
	{ "anomalies", cmd_insight, "unusual days and lasting level shifts in daily cost, with their impact" },
	{ "architecture", cmd_insight, "what the bill implies about the architecture, with evidence" },
	{ "ask", cmd_ask, "answer a question about the bill in plain English" },
	{ "audit", cmd_audit, "who did what through 'finq serve' and to tokens: the audit log" },
	{ "bench", cmd_bench, "time question answering on the loaded data ('bench ask')" },
	{ "chat", cmd_chat, "an interactive conversation with the bill (history, \\sql, \\why)" },
	{ "commitments", cmd_insight, "Savings Plan and RI utilization, coverage and net savings" },
	{ "demo", cmd_demo, "generate realistic sample CUR 2.0 data and load it" },
	{ "drivers", cmd_insight, "what drove the change between two periods (accounts, usage, rates)" },
	{ "explain", cmd_explain, "show how a question is read, word by word, without running it" },
	{ "forecast", cmd_insight, "forecast this month and the months ahead, with an interval" },
	{ "info", cmd_info, "describe the loaded data: periods, totals, accounts, services, tags" },
	{ "kb", cmd_kb, "the FinOps knowledge base: search it, add your own documents" },
	{ "load", cmd_load, "load CUR 1.0/2.0, FOCUS or Azure cost exports (files, folders, globs)" },
	{ "loads", cmd_loads, "list the loads and what each replaced; 'loads undo ID' undoes one" },
	{ "owners", cmd_insight, "the likely owners of untagged resources, with confidence" },
	{ "recommend", cmd_insight, "savings recommendations with evidence and monthly savings" },
	{ "serve", cmd_serve, "serve the JSON API and the web chat over HTTP (loopback by default)" },
	{ "sql", cmd_sql, "run one read-only SELECT over the loaded data" },
	{ "token", cmd_token, "create, list and revoke 'finq serve' API tokens; set their roles" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: finq [--db PATH] [--engine URL] [--today YYYY-MM-DD] [--json]\n"
		"            [--memory-limit SIZE] [--threads N] <command> [options]\n\n"
		"finq answers questions about AWS and FOCUS billing exports, offline.\n\n"
		"commands:\n");
	int width = 0;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if ((int)strlen(commands[i].name) > width)
			width = (int)strlen(commands[i].name);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-*s  %s\n", width, commands[i].name, commands[i].summary);
	fprintf(out,
		"\nglobal options:\n"
		"  --db PATH            the database (default $FINQ_DB or ./finq.duckdb); with\n"
		"                       --engine, where the state file lives\n"
		"  --engine URL         the cost data on an engine ($FINQ_ENGINE):\n"
		"                       clickhouse://HOST:PORT/DATABASE?cluster=NAME\n"
		"  --today YYYY-MM-DD   fix the date that relative dates are read from\n"
		"  --json               machine-readable output\n"
		"  --memory-limit SIZE  DuckDB memory limit, e.g. 4GB ($FINQ_MEMORY_LIMIT)\n"
		"  --threads N          DuckDB worker threads\n\n"
		"'finq <command> --help' describes a command's options.\n");
}

/* The --engine address, kept in a copy (never freed: it lives as long as
 * the process) while a password in argv is overwritten with 'x', so that
 * `ps` and /proc/PID/cmdline show no more of it than its length, as
 * mysql's client does. $FINQ_ENGINE or FINQ_CLICKHOUSE_PASSWORD_FILE keep
 * it out of the command line altogether (docs/engines.md). */
static const char *engine_address_kept(char *value)
{
	size_t start = 0, n = safetext_url_password(value, &start);
	if (n == 0)
		return value;
	char *copy = xstrdup(value);
	memset(value + start, 'x', n);
	return copy;
}

/* Take a global option at argv[*i]; returns 1 if taken, 0 if not one, -1 on error. */
static int take_global(struct cli *cli, int argc, char **argv, int *i)
{
	static const char *const with_value[] = { "--db", "--today", "--memory-limit", "--threads", "--engine" };
	const char *arg = argv[*i];
	if (strcmp(arg, "--json") == 0) {
		cli->json = true;
		return 1;
	}
	for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++) {
		size_t n = strlen(with_value[k]);
		const char *value;
		if (strncmp(arg, with_value[k], n) != 0)
			continue;
		if (arg[n] == '=') {
			value = arg + n + 1;
		} else if (arg[n] == '\0') {
			if (*i + 1 >= argc) {
				fprintf(stderr, "finq: option '%s' needs a value\n", arg);
				return -1;
			}
			value = argv[++*i];
		} else {
			continue;
		}
		switch (k) {
		case 0: cli->db_path = value; break;
		case 1: cli->today = value; break;
		case 2: cli->memory_limit = value; break;
		case 3: cli->threads = atoi(value); break;
		case 4: cli->engine = *value ? engine_address_kept((char *)value) /* argv's */ : NULL; break;
		}
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	/* Billing data is private: the database, its WAL and temp folder, the
	 * state file and upload folders are 0600 / 0700 whatever the umask. */
	umask(077);
	cli.db_path = getenv("FINQ_DB");
	if (!cli.db_path || !*cli.db_path)
		cli.db_path = "finq.duckdb";
	cli.memory_limit = getenv("FINQ_MEMORY_LIMIT");
	cli.engine = getenv("FINQ_ENGINE");
	if (cli.engine && !*cli.engine)
		cli.engine = NULL;

	/* Global options may stand before or after the command name; the
	 * command sees its own options only. */
	const char *name = NULL;
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	int nrest = 0;
	for (int i = 1; i < argc; i++) {
		int taken = take_global(&cli, argc, argv, &i);
		if (taken < 0) {
			free(rest);
			return EXIT_USAGE;
		}
		if (taken)
			continue;
		if (!name && strcmp(argv[i], "--") != 0 && argv[i][0] != '-')
			name = argv[i];
		rest[nrest++] = argv[i];
	}
	if (!name) {
		int help = nrest && (strcmp(rest[0], "--help") == 0 || strcmp(rest[0], "-h") == 0);
		int version = nrest && strcmp(rest[0], "--version") == 0;
		free(rest);
		if (version) {
			printf("finq %s\n", FINQ_VERSION);
			return EXIT_OK;
		}
		usage(help ? stdout : stderr);
		return help ? EXIT_OK : EXIT_USAGE;
	}
	/* The command name comes first in the command's argv. */
	for (int i = 0; i < nrest; i++)
		if (rest[i] == name) {
			memmove(rest + 1, rest, (size_t)i * sizeof(*rest));
			rest[0] = (char *)name;
			break;
		}
	int rc = EXIT_USAGE;
	const struct command *cmd = NULL;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			cmd = &commands[i];
	if (strcmp(name, "help") == 0) {
		usage(stdout);
		rc = EXIT_OK;
	} else if (!cmd) {
		fprintf(stderr, "finq: unknown command '%s' (see 'finq --help')\n", name);
	} else {
		rc = cmd->run(&cli, nrest, rest);
	}
	free(rest);
	return rc;
}
