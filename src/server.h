/*
 * server: `finq serve` put together: the engine (engine.c), the API
 * (api.c) and the HTTP adapter (http.c), a private folder for uploads, one
 * access-log line per request on stderr, and a graceful stop on SIGINT or
 * SIGTERM: stop accepting, let the requests in flight finish, close the
 * databases, exit 0. cmd_serve.c parses the command line into
 * server_options; nothing here reads argv.
 */
#ifndef FINQ_SERVER_H
#define FINQ_SERVER_H

#include <stdbool.h>
#include <stdint.h>

struct server_options {
	const char *db_path;
	const char *memory_limit; /* DuckDB's, or NULL */
	const char *host;
	int port;                 /* 0: any free port */
	int workers;              /* requests on the data at once (engine slots); 0: the default */
	uint64_t max_upload;      /* bytes; 0: the API's default */
	int default_today;        /* day number for questions without "today"; < 0: the clock */
	bool allow_remote;        /* bind beyond loopback (there are no API tokens yet) */
	double drain_seconds;     /* how long a stop waits for requests in flight; 0: 60 */
};

/* Serve until SIGINT or SIGTERM; returns an exit code (cli.h). Prints
 * "finq: serving DB at http://HOST:PORT/ (Ctrl-C to stop)" on stderr once
 * ready. */
int server_run(const struct server_options *opt);

#endif
