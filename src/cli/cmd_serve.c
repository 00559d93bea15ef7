/*
 * cmd_serve: `finq serve`: the HTTP JSON API and the web UI on the
 * database of --db. Parses the options into struct server_options and hands
 * over to server.c. The global --threads is the number of requests that
 * use the data at once here (engine slots); --today is the default "today"
 * of questions that do not bring one.
 */
#include "cli.h"
#include "date.h"
#include "origin.h"
#include "sandbox.h"
#include "server.h"
#include "state.h"
#include "today.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The most --max-statement and --max-result take: `finq sql`'s. */
#define SERVE_STATEMENT_MAX (1 << 20)
#define SERVE_RESULT_MAX_MB 65536

static void serve_usage(FILE *out)
{
	fprintf(out,
		"usage: finq serve [--host 127.0.0.1] [--port 8080] [--threads N] [--max-upload SIZE]\n"
		"                  [--rate-limit N] [--cors-origin ORIGIN] [--timeout SECONDS]\n"
		"                  [--allow-host NAME]... [--require-token] [--trusted-proxy ADDR]\n"
		"                  [--header-timeout SECONDS] [--max-per-address N]\n"
		"                  [--tls-cert FILE --tls-key FILE] [--conversation-ttl DAYS]\n"
		"                  [--max-statement BYTES] [--max-result MB]\n\n"
		"Serves the JSON API (/api/v1/..., described at /api/v1/openapi.json) and the web\n"
		"chat at / on the loaded data. Starts without data too: upload an export then.\n"
		"Stops on Ctrl-C or SIGTERM after the requests in flight have finished.\n\n"
		"  --host ADDR           address to listen on (default 127.0.0.1); beyond loopback\n"
		"                        every request needs an API token ('finq token create')\n"
		"                        and the server will not start without one\n"
		"  --port N              port (default 8080; 0 picks a free one)\n"
		"  --threads N           questions answered at once (default: twice the CPUs, at\n"
		"                        least 4)\n"
		"  --max-upload SIZE     largest upload, e.g. 512MB (default), 2GB, 100k\n"
		"  --rate-limit N        requests a minute per token, or per address without one\n"
		"                        (default %d; 0: no limit); past it, 429 with Retry-After\n"
		"  --cors-origin ORIGIN  let pages from ORIGIN (exactly, e.g. https://app.example.com)\n"
		"                        call the API; CORS is off without it\n"
		"  --timeout SECONDS     close a connection silent that long, a request half\n"
		"                        sent included (default 120); and cancel a statement\n"
		"                        (SQL, a question's query) running that long, planning\n"
		"                        included (default 30)\n"
		"  --allow-host NAME     answer requests whose Host header is NAME (repeatable, up\n"
		"                        to 16); without it only the address served on (and, on\n"
		"                        loopback, localhost) is: other names get 421, which\n"
		"                        stops DNS rebinding\n"
		"  --require-token       ask for an API token on loopback too\n"
		"  --trusted-proxy ADDR  the reverse proxy in front: take the client's address\n"
		"                        from X-Forwarded-For on requests from ADDR, and only\n"
		"                        from them (for the rate limit and the audit log)\n"
		"  --header-timeout SECONDS  close a connection whose request head is not all in\n"
		"                        that long after it could start, however it trickles\n"
		"                        (default 30)\n"
		"  --max-per-address N   connections at once from one address (default %d, or\n"
		"                        no limit with --trusted-proxy; 0: no limit)\n"
		"  --tls-cert FILE       serve https with this PEM certificate (the server's first,\n"
		"                        then its chain); responses then carry\n"
		"                        Strict-Transport-Security\n"
		"  --tls-key FILE        the certificate's unencrypted PEM private key (both or\n"
		"                        neither; a file that cannot be used stops the start)\n"
		"  --conversation-ttl DAYS  delete a conversation (its answers and feedback too)\n"
		"                        DAYS after its last change, at the start and hourly\n"
		"                        (default $FINQ_CONVERSATION_TTL, else %d; 0: keep all);\n"
		"                        'finq audit' shows what went\n"
		"  --max-statement BYTES refuse a longer SQL statement (default %u): /api/v1/sql's\n"
		"                        with 413 statement_too_large, a question's with 422\n"
		"  --max-result MB       fail a statement whose result is bigger (default %u), SQL\n"
		"                        and questions alike: 422 limit_exceeded\n"
		"A statement may also name at most %d subqueries (WITH ... AS) and nest\n"
		"parentheses at most %d deep (422 limit_exceeded).\n"
		"--today YYYY-MM-DD is the day questions are read from when they do not say.\n",
		SERVER_RATE_LIMIT_DEFAULT, SERVER_PER_ADDRESS_DEFAULT, STATE_CONVERSATION_TTL_DAYS,
		SANDBOX_DEFAULT_MAX_TEXT, SANDBOX_DEFAULT_MAX_RESULT >> 20, SANDBOX_MAX_CTES, SANDBOX_MAX_DEPTH);
}

/* An origin as browsers send it: http or https, a host, perhaps a port;
 * no path, no wildcard, nothing that could break a header line. */
static bool origin_valid(const char *origin)
{
	static const char *const schemes[] = { "http://", "https://" };
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i]);
		if (strncmp(origin, schemes[i], n) != 0)
			continue;
		const char *host = origin + n;
		return *host && host[strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")] ==
					'\0';
	}
	return false;
}

/* A whole number from min to max, or -1. */
static long parse_count(const char *text, long min, long max)
{
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (errno || *end || !*text || n < min || n > max)
		return -1;
	return n;
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
		{ "rate-limit", required_argument, NULL, 'l' },
		{ "cors-origin", required_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, 't' },
		{ "allow-host", required_argument, NULL, 'A' },
		{ "require-token", no_argument, NULL, 'R' },
		{ "trusted-proxy", required_argument, NULL, 'P' },
		{ "header-timeout", required_argument, NULL, 'T' },
		{ "max-per-address", required_argument, NULL, 'M' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "conversation-ttl", required_argument, NULL, 'E' },
		{ "max-statement", required_argument, NULL, 'S' },
		{ "max-result", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server_options opt = {
		.db_path = cli->db_path,
		.memory_limit = cli->memory_limit,
		.engine = cli->engine,
		.host = "127.0.0.1",
		.port = 8080,
		.workers = cli->threads,
		.default_today = -1,
		.rate_limit = SERVER_RATE_LIMIT_DEFAULT,
	};
	int c;
	long n, per_address = -1, ttl = -2; /* -1: not given; -2 (ttl): not given */
	char proxy[INET6_ADDRSTRLEN];
	unsigned char addr[16];
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'H': opt.host = optarg; break;
		case 'p':
			if ((n = parse_count(optarg, 0, 65535)) < 0) {
				fprintf(stderr, "finq: --port takes a number from 0 to 65535, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			opt.port = (int)n;
			break;
		case 'l':
			if ((n = parse_count(optarg, 0, 1000000)) < 0) {
				fprintf(stderr, "finq: --rate-limit takes requests a minute from 0 (no limit) to 1000000, "
						"not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			opt.rate_limit = (unsigned)n;
			break;
		case 'o':
			if (!origin_valid(optarg)) {
				fprintf(stderr, "finq: --cors-origin takes one origin such as https://app.example.com "
						"(scheme and host, no path or wildcard), not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			opt.cors_origin = optarg;
			break;
		case 't':
			if ((n = parse_count(optarg, 1, 86400)) < 0) {
				fprintf(stderr, "finq: --timeout takes seconds from 1 to 86400, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			opt.timeout = (unsigned)n;
			break;
		case 'A':
			if (!origin_host_name_valid(optarg) || opt.nallow_hosts >= ORIGIN_HOSTS_MAX) {
				fprintf(stderr, "finq: --allow-host takes a host name such as finq.example.com (no "
						"port or scheme, at most %d of them), not '%s'\n", ORIGIN_HOSTS_MAX, optarg);
				return EXIT_USAGE;
			}
			opt.allow_hosts[opt.nallow_hosts++] = optarg;
			break;
		case 'R': opt.require_token = true; break;
		case 'C': opt.tls_cert = optarg; break;
		case 'K': opt.tls_key = optarg; break;
		case 'E':
			if ((ttl = parse_count(optarg, 0, STATE_CONVERSATION_TTL_MAX)) < 0) {
				fprintf(stderr, "finq: --conversation-ttl takes days from 0 (keep every conversation) to "
						"%d, not '%s'\n", STATE_CONVERSATION_TTL_MAX, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'P': {
			/* kept as inet_ntop writes it: compared with the peer's address as text */
			int family = strchr(optarg, ':') ? AF_INET6 : AF_INET;
			if (inet_pton(family, optarg, addr) != 1 || !inet_ntop(family, addr, proxy, sizeof(proxy))) {
				fprintf(stderr, "finq: --trusted-proxy takes an IPv4 or IPv6 address, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			opt.trusted_proxy = proxy;
			break;
		}
		case 'T':
			if ((n = parse_count(optarg, 1, 3600)) < 0) {
				fprintf(stderr, "finq: --header-timeout takes seconds from 1 to 3600, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			opt.head_timeout = (unsigned)n;
			break;
		case 'M':
			if ((per_address = parse_count(optarg, 0, 100000)) < 0) {
				fprintf(stderr, "finq: --max-per-address takes a number from 0 (no limit) to 100000, "
						"not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'S':
			/* as `finq sql --max-statement`: 1 MiB is its most */
			if ((n = parse_count(optarg, 1, SERVE_STATEMENT_MAX)) < 0) {
				fprintf(stderr, "finq: --max-statement takes bytes from 1 to %d, not '%s'\n",
					SERVE_STATEMENT_MAX, optarg);
				return EXIT_USAGE;
			}
			opt.max_statement = (size_t)n;
			break;
		case 'X':
			if ((n = parse_count(optarg, 1, SERVE_RESULT_MAX_MB)) < 0) {
				fprintf(stderr, "finq: --max-result takes megabytes from 1 to %d, not '%s'\n",
					SERVE_RESULT_MAX_MB, optarg);
				return EXIT_USAGE;
			}
			opt.max_result = (size_t)n << 20;
			break;
		case 'u':
			if (parse_size(optarg, &opt.max_upload)) {
				fprintf(stderr, "finq: --max-upload takes a size such as 512MB, 2GB or 100k, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h': serve_usage(stdout); return EXIT_OK;
		default: serve_usage(stderr); return EXIT_USAGE;
		}
	}
	/* behind a proxy every client has the proxy's address */
	opt.per_address = per_address >= 0 ? (unsigned)per_address
					   : opt.trusted_proxy ? 0 : SERVER_PER_ADDRESS_DEFAULT;
	if (ttl == -2 && (ttl = state_conversation_ttl_default()) < 0) {
		fprintf(stderr, "finq: FINQ_CONVERSATION_TTL takes days from 0 (keep every conversation) to %d, not "
				"'%s'\n", STATE_CONVERSATION_TTL_MAX, getenv("FINQ_CONVERSATION_TTL"));
		return EXIT_USAGE;
	}
	opt.conversation_ttl = (unsigned)ttl;
	if (optind < argc) {
		fprintf(stderr, "finq: serve takes no arguments ('%s')\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (cli->threads < 0 || cli->threads > 256) {
		fprintf(stderr, "finq: --threads takes a number from 1 to 256\n");
		return EXIT_USAGE;
	}
	if (cli->today && (!date_parse(cli->today, &opt.default_today) || !today_in_window(opt.default_today))) {
		fprintf(stderr, "finq: --today takes a date as YYYY-MM-DD from %d-01-01 to %d-12-31, not '%s'\n",
			TODAY_FIRST_YEAR, TODAY_LAST_YEAR, cli->today);
		return EXIT_USAGE;
	}
	return cli_exit_code(server_run(&opt));
}
