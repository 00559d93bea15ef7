/*
 * server: `finq serve` put together: the engine (pool.c), the API
 * (api.c) and the HTTP adapter (http.c), a private folder for uploads, one
 * access-log line per request on stderr, and a graceful stop on SIGINT or
 * SIGTERM: stop accepting, let the requests in flight finish, close the
 * databases, exit 0. cmd_serve.c parses the command line into
 * server_options; nothing here reads argv.
 *
 * Access: every request is checked before its body is read. A server
 * bound beyond loopback needs API tokens (apitoken.h; it refuses to start
 * when the state file holds none) and answers 401 to a request without a
 * valid "Authorization: Bearer" token, except for the public routes (the
 * web UI's files and /health, which then says only whether it is up). On
 * loopback a request may come without a token, but a wrong or revoked one
 * is refused all the same. Requests are rate-limited per token, or per
 * address without one (429 with Retry-After; failed token checks count
 * against the address). CORS is off unless an origin is configured: then
 * that origin alone gets Access-Control-Allow-Origin and its preflights
 * are answered. Every response carries the security headers.
 *
 * Roles (access.h): a token's role must reach its route (403 before the
 * body); a request without a token is the local user (admin). An
 * --trusted-proxy's X-Forwarded-For names the client (http.h).
 *
 * Other web pages (origin.h): every request must carry a Host that names
 * this server (421 otherwise: DNS rebinding), and every request that
 * changes something (not GET, HEAD or OPTIONS) an Origin that is this
 * server or the CORS origin, when it carries one (403 otherwise). These
 * come before the token: they hold on loopback without one.
 */
#ifndef FINQ_SERVER_H
#define FINQ_SERVER_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct server_options {
	const char *db_path;
	const char *memory_limit; /* DuckDB's, or NULL */
	const char *engine;       /* --engine URL, or NULL */
	const char *host;
	int port;                 /* 0: any free port */
	int workers;              /* requests on the data at once (engine slots); 0: the default */
	uint64_t max_upload;      /* bytes; 0: the API's default */
	int default_today;        /* day number for questions without "today"; < 0: the clock */
	double drain_seconds;     /* how long a stop waits for requests in flight; 0: 60 */
	unsigned rate_limit;      /* requests a minute per token or address; 0: no limit */
	const char *cors_origin;  /* the one origin other pages may call the API from, or NULL */
	unsigned timeout;         /* seconds a connection may stay silent mid-request (0: 120), and
				   * a statement may run (0: SANDBOX_DEFAULT_TIMEOUT) */
	bool require_token;       /* tokens even on loopback (--require-token) */
	const char *allow_hosts[16]; /* --allow-host names the Host header may carry (ORIGIN_HOSTS_MAX) */
	size_t nallow_hosts;
	const char *trusted_proxy; /* the proxy's address, whose X-Forwarded-For is believed, or NULL */
	unsigned head_timeout;    /* seconds for a whole request head; 0: 30 */
	unsigned per_address;     /* connections at once from one address; 0: no limit */
	const char *tls_cert;     /* PEM certificate (chain) file for https, or NULL; both or neither */
	const char *tls_key;      /* PEM private key file for https, or NULL */
	unsigned conversation_ttl; /* days a conversation is kept after its last change; 0: for ever */
	/* caps on a statement, /api/v1/sql's and the generated ones alike:
	 * its text in bytes and its result in bytes (sandbox.h); 0: the
	 * sandbox's defaults (64 KiB, 64 MB), as `finq sql` */
	size_t max_statement;
	size_t max_result;
};

#define SERVER_RATE_LIMIT_DEFAULT 600
#define SERVER_SWEEP_SECONDS 3600 /* how often expired conversations are looked for */
#define SERVER_PER_ADDRESS_DEFAULT 64 /* a browser opens 6; crash.sh and the soak test 50 */

/* Serve until SIGINT or SIGTERM; returns ERR_OK, or the status of the
 * failure after printing "finq: <why>" on stderr (cmd_serve maps it to an
 * exit code). Prints "finq: serving DB at http://HOST:PORT/ (Ctrl-C to
 * stop)" on stderr once ready (https:// with TLS, whose responses also
 * carry Strict-Transport-Security). A TLS file that cannot be used stops
 * it before anything listens. Conversations older than conversation_ttl
 * are deleted at the start and every SERVER_SWEEP_SECONDS (state.h). */
enum err_status server_run(const struct server_options *opt);

#endif
