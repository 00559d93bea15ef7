/*
 * cmd_serve: `finq serve`: the HTTP JSON API and the web UI on the
 * database of --db. Parses the options into struct server_options and hands
 * over to server.c. The global --threads is the number of requests that
 * use the data at once here (engine slots); --today is the default "today"
 * of questions that do not bring one.
 */
#include "cli.h"
#include "date.h"
#include "server.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void serve_usage(FILE *out)
{
	fprintf(out,
		"usage: finq serve [--host 127.0.0.1] [--port 8080] [--threads N] [--max-upload SIZE]\n"
		"                  [--allow-remote]\n\n"
		"Serves the JSON API (/api/v1/..., described at /api/v1/openapi.json) and the web\n"
		"chat at / on the loaded data. Starts without data too: upload an export then.\n"
		"Stops on Ctrl-C or SIGTERM after the requests in flight have finished.\n\n"
		"  --host ADDR        address to listen on (default 127.0.0.1); addresses beyond\n"
		"                     loopback need --allow-remote (there are no API tokens yet)\n"
		"  --port N           port (default 8080; 0 picks a free one)\n"
		"  --threads N        questions answered at once (default: twice the CPUs, at\n"
		"                     least 4)\n"
		"  --max-upload SIZE  largest upload, e.g. 512MB (default), 2GB, 100k\n"
		"  --allow-remote     listen beyond loopback anyway\n"
		"--today YYYY-MM-DD is the day questions are read from when they do not say.\n");
}

/* "512MB", "2g", "100k", "1048576": bytes (powers of 1024). */
static int parse_size(const char *text, uint64_t *out)
{
	static const struct {
		const char *suffix;
		uint64_t mult;
	} units[] = { { "", 1 }, { "b", 1 }, { "g", 1ULL << 30 }, { "gb", 1ULL << 30 }, { "k", 1ULL << 10 },
		      { "kb", 1ULL << 10 }, { "m", 1ULL << 20 }, { "mb", 1ULL << 20 } };
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)*text))
		return -1;
	unsigned long long n = strtoull(text, &end, 10);
	if (errno)
		return -1;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(end, units[i].suffix) == 0) {
			if (n == 0 || n > UINT64_MAX / units[i].mult)
				return -1;
			*out = n * units[i].mult;
			return 0;
		}
	return -1;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "max-upload", required_argument, NULL, 'u' },
		{ "allow-remote", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server_options opt = {
		.db_path = cli->db_path,
		.memory_limit = cli->memory_limit,
		.host = "127.0.0.1",
		.port = 8080,
		.workers = cli->threads,
		.default_today = -1,
	};
	int c;
	char *end;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'H': opt.host = optarg; break;
		case 'p':
			errno = 0;
			opt.port = (int)strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || opt.port < 0 || opt.port > 65535) {
				fprintf(stderr, "finq: --port takes a number from 0 to 65535, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'u':
			if (parse_size(optarg, &opt.max_upload)) {
				fprintf(stderr, "finq: --max-upload takes a size such as 512MB, 2GB or 100k, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'r': opt.allow_remote = true; break;
		case 'h': serve_usage(stdout); return EXIT_OK;
		default: serve_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "finq: serve takes no arguments ('%s')\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (cli->threads < 0 || cli->threads > 256) {
		fprintf(stderr, "finq: --threads takes a number from 1 to 256\n");
		return EXIT_USAGE;
	}
	if (cli->today && !date_parse(cli->today, &opt.default_today)) {
		fprintf(stderr, "finq: --today takes a date as YYYY-MM-DD, not '%s'\n", cli->today);
		return EXIT_USAGE;
	}
	return server_run(&opt);
}
