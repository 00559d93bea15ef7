/*
 * server: `finq serve` put together. See server.h.
 *
 * Signals: SIGINT and SIGTERM are blocked before any thread starts (DuckDB,
 * libmicrohttpd and the streams inherit the mask) and the main thread
 * waits for them with sigwait(): no handler runs in the middle of a
 * request (their dispositions are reset to the default first, as a shell
 * may have started us with SIGINT ignored). SIGPIPE is ignored (a client that leaves is an error return,
 * not a signal).
 */
#include "server.h"
#include "access.h"
#include "api.h"
#include "pool.h"
#include "http.h"
#include "origin.h"
#include "ratelimit.h"
#include "state.h"
#include "tls.h"
#include "apitoken.h"
#include "uploaddir.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Sent with every response: no inline script, no framing, no sniffing,
 * no referrer. */
static const struct http_kv security_headers[] = {
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
				     "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
				     "form-action 'self'; frame-ancestors 'none'" },
	{ "Referrer-Policy", "no-referrer" },
};

/* Over TLS, also: browsers that have seen it once never speak plain HTTP
 * to this host again (a year), so nobody on the path can strip TLS. */
static const struct http_kv hsts_header = { "Strict-Transport-Security", "max-age=31536000" };
#define NSECURITY_HEADERS (sizeof(security_headers) / sizeof(security_headers[0]))

/* Routes anyone may GET (or HEAD) without a token: the web UI's files,
 * which must load to ask for one, and /health, for load balancers. The
 * patterns are the router's (api.c). */
static const char *const public_routes[] = { "/", "/assets/{path*}", "/health" };

struct server {
	struct api *api;
	bool tokens_required;      /* bound beyond loopback */
	struct state *tokens;      /* the state file, for checking tokens */
	pthread_mutex_t tokens_lock; /* a state handle serves one thread at a time */
	struct ratelimit *limits;  /* NULL: no rate limit */
	unsigned rate_limit;
	const char *cors_origin;   /* NULL: CORS off */
	struct origin_policy origins; /* which Host and Origin headers are this server's */
};

static double monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool route_is_public(const char *method, const char *route)
{
	if (!route || (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0))
		return false;
	for (size_t i = 0; i < sizeof(public_routes) / sizeof(public_routes[0]); i++)
		if (strcmp(route, public_routes[i]) == 0)
			return true;
	return false;
}

/* Whose is this token? 1 with its name in name and its role in *role, 0
 * when no stored token matches (unknown or revoked), -1 when the state
 * file cannot say. Every stored hash is compared, in constant time,
 * whatever matched before. */
static int token_owner(struct server *srv, const char *token, size_t n, char name[TOKEN_NAME_MAX + 1],
		       enum access_role *role)
{
	char hash[TOKEN_HASH_SIZE], recent[32];
	struct state_tokens all = { 0 };
	struct err e = { 0 };
	int found = 0;
	bool noted = false; /* its use is on file from the last minute */
	time_t minute_ago = time(NULL) - 60;
	struct tm tm;
	gmtime_r(&minute_ago, &tm);
	strftime(recent, sizeof(recent), "%Y-%m-%dT%H:%M:%S", &tm); /* compares as state.c's times do */
	token_hash(token, n, hash);
	pthread_mutex_lock(&srv->tokens_lock);
	if (state_token_list(srv->tokens, &all, &e)) {
		found = -1;
	} else {
		for (size_t i = 0; i < all.n; i++)
			if (token_hash_equal(all.items[i].hash, hash) && !found) {
				snprintf(name, TOKEN_NAME_MAX + 1, "%s", all.items[i].name);
				noted = strcmp(all.items[i].last_used_at, recent) > 0;
				if (!access_role_parse(all.items[i].role, role))
					*role = ROLE_READ; /* the schema allows no other; if it did, the least */
				found = 1;
			}
		/* no write to the state file for every request */
		if (found == 1 && !noted && state_token_used(srv->tokens, name, &e))
			fprintf(stderr, "finq: %s\n", e.msg); /* the request goes on */
	}
	pthread_mutex_unlock(&srv->tokens_lock);
	state_tokens_release(&all);
	if (found < 0)
		fprintf(stderr, "finq: cannot check an API token: %s\n", e.msg);
	return found;
}

/* Take one request from the client's bucket; -1 with a 429 in resp when
 * it is empty. */
static int take_request(struct server *srv, const char *kind, const char *who, struct resp *resp)
{
	char key[RATELIMIT_KEY_MAX + 1], seconds[16];
	unsigned retry = 1;
	if (!srv->limits)
		return 0;
	snprintf(key, sizeof(key), "%s:%s", kind, who ? who : "?");
	if (ratelimit_take(srv->limits, key, monotonic_seconds(), &retry))
		return 0;
	snprintf(seconds, sizeof(seconds), "%u", retry);
	resp_error(resp, 429, "rate_limited", "too many requests: this %s may make %u a minute; try again in %u s",
		   kind, srv->rate_limit, retry);
	resp_header(resp, "Retry-After", seconds);
	return -1;
}

static int refuse_unauthorized(struct resp *resp, const char *challenge, const char *message)
{
	resp_error(resp, 401, "unauthorized", "%s", message);
	resp_header(resp, "WWW-Authenticate", challenge);
	return -1;
}

/* A CORS preflight from the configured origin: 204 with what it may send. */
static bool is_preflight(const struct server *srv, const struct req *req)
{
	const char *origin = req_header(req, "Origin");
	return srv->cors_origin && strcmp(req->method, "OPTIONS") == 0 && origin &&
	       strcmp(origin, srv->cors_origin) == 0 && req_header(req, "Access-Control-Request-Method");
}

static int answer_preflight(const struct req *req, struct resp *resp)
{
	struct strbuf allow;
	strbuf_init(&allow, 0);
	api_allow(req->path, &allow);
	if (!allow.len) {
		strbuf_release(&allow);
		return 0; /* no such route: the router answers 404 */
	}
	resp_text(resp, 204, "", "", 0);
	resp_header(resp, "Access-Control-Allow-Methods", allow.buf);
	resp_header(resp, "Access-Control-Allow-Headers", "Authorization, Content-Type");
	resp_header(resp, "Access-Control-Max-Age", "600");
	strbuf_release(&allow);
	return -1;
}

/* Methods that only read: no Origin check (CORS keeps other pages from
 * reading the answers, and the Host check keeps rebound names out). */
static bool method_is_safe(const char *method)
{
	static const char *const safe[] = { "GET", "HEAD", "OPTIONS" };
	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		if (strcmp(method, safe[i]) == 0)
			return true;
	return false;
}

/* The Host and Origin checks (origin.h); -1 with resp filled on refusal.
 * A request without Host (HTTP/1.0 tools) cannot be a rebinding browser. */
static int check_origin(struct server *srv, const struct req *req, struct resp *resp)
{
	const char *host = req_header(req, "Host"), *why;
	if (host && !origin_host_allowed(&srv->origins, host))
		return resp_error(resp, 421, "unknown_host",
				  "this server does not answer to the host name '%.100s' (serve it with --allow-host "
				  "NAME if it is yours)", host);
	if (!method_is_safe(req->method) &&
	    !origin_write_allowed(&srv->origins, req_header(req, "Origin"), host, req_header(req, "Sec-Fetch-Site"), &why))
		return resp_error(resp, 403, "forbidden_origin", "refused: %s (Origin '%.100s')", why,
				  req_header(req, "Origin") ? req_header(req, "Origin") : "none");
	return 0;
}

/* Whether the token's role may use the route (access.h); -1 with a 403
 * in resp, and a line in the audit log, when it may not. */
static int check_role(struct server *srv, const struct req *req, const char *route, struct resp *resp)
{
	enum access_role need = access_route_needs(req->method, route);
	if (access_allows((enum access_role)req->role, need))
		return 0;
	char what[160];
	struct err e = { 0 };
	snprintf(what, sizeof(what), "%s %s", req->method, route);
	struct state_audit a = { req->actor, req->client, "access.denied", what, access_role_name((enum access_role)req->role) };
	pthread_mutex_lock(&srv->tokens_lock);
	if (state_audit_add(srv->tokens, &a, &e))
		fprintf(stderr, "finq: %s\n", e.msg);
	pthread_mutex_unlock(&srv->tokens_lock);
	return resp_error(resp, 403, "forbidden", "the token '%s' has the role %s; %s needs %s (finq token role %s %s)",
			  req->actor, access_role_name((enum access_role)req->role), what, access_role_name(need),
			  req->actor, access_role_name(need));
}

/* Before the body: the Host and Origin, preflights, then the token, then
 * the rate limit. */
static int app_admit(void *arg, struct req *req, const char *route, struct resp *resp)
{
	struct server *srv = arg;
	if (check_origin(srv, req, resp))
		return -1;
	if (is_preflight(srv, req))
		return take_request(srv, "address", req->client, resp) ? -1 : answer_preflight(req, resp);
	const char *authorization = req_header(req, "Authorization");
	if (!authorization) {
		if (srv->tokens_required && !route_is_public(req->method, route))
			return take_request(srv, "address", req->client, resp)
				       ? -1
				       : refuse_unauthorized(resp, "Bearer realm=\"finq\"",
							     "this server needs an API token: send 'Authorization: Bearer "
							     "<token>' (its owner makes one with 'finq token create NAME')");
		req->restricted = srv->tokens_required;
		return take_request(srv, "address", req->client, resp);
	}
	const char *token;
	size_t n;
	char name[TOKEN_NAME_MAX + 1];
	enum access_role role = ROLE_READ;
	int owner = token_from_authorization(authorization, &token, &n) ? token_owner(srv, token, n, name, &role) : 0;
	if (owner < 0)
		return resp_error(resp, 503, "unavailable", "cannot check the API token now; try again");
	if (owner == 0) /* failed attempts count against the address */
		return take_request(srv, "address", req->client, resp)
			       ? -1
			       : refuse_unauthorized(resp, "Bearer realm=\"finq\", error=\"invalid_token\"",
						     "the API token is not valid: it is malformed, unknown or revoked "
						     "(send 'Authorization: Bearer <token>')");
	snprintf(req->actor, sizeof(req->actor), "%s", name);
	req->role = (int)role;
	if (take_request(srv, "token", name, resp))
		return -1;
	return check_role(srv, req, route, resp);
}

/* Whether resp already says how it may be cached. */
static bool resp_has_cache_control(const struct resp *resp)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, "Cache-Control") == 0)
			return true;
	return false;
}

/* No cache keeps an answer (the API's, errors included) unless the
 * handler said otherwise (the web UI's files); CORS: the configured
 * origin, and it alone, may read the responses. */
static void app_decorate(void *arg, const struct req *req, struct resp *resp)
{
	struct server *srv = arg;
	const char *origin = req_header(req, "Origin");
	if (!resp_has_cache_control(resp))
		resp_header(resp, "Cache-Control", "no-store");
	if (!srv->cors_origin)
		return;
	resp_header(resp, "Vary", "Origin");
	if (origin && strcmp(origin, srv->cors_origin) == 0) {
		resp_header(resp, "Access-Control-Allow-Origin", srv->cors_origin);
		resp_header(resp, "Access-Control-Expose-Headers", "Content-Disposition, Location, Retry-After");
	}
}

static uint64_t app_body_limit(void *arg, const char *method, const char *path, bool *to_file, const char **route)
{
	struct server *srv = arg;
	return api_body_limit(srv->api, method, path, to_file, route);
}

static void app_handle(void *arg, struct req *req, struct resp *resp)
{
	struct server *srv = arg;
	api_handle(srv->api, req, resp);
}

/* One access-log line: time, method, path, status, milliseconds. */
static void app_done(void *arg, const char *method, const char *path, const char *route, int status,
		     double seconds)
{
	struct server *srv = arg;
	char when[32], clean[256];
	struct timespec ts;
	struct tm tm;
	size_t n = 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	for (const char *p = path; *p && n + 1 < sizeof(clean); p++) /* no control characters in the log */
		clean[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
	clean[n] = '\0';
	if (status > 0)
		fprintf(stderr, "%s.%03ldZ %s %s %d %.1f ms\n", when, ts.tv_nsec / 1000000, method, clean, status,
			seconds * 1e3);
	else
		fprintf(stderr, "%s.%03ldZ %s %s - %.1f ms (the client left)\n", when, ts.tv_nsec / 1000000, method,
			clean, seconds * 1e3);
	api_record(srv->api, route, status, seconds);
}

/* A private folder for uploads beside the database (same file system as
 * the data), else under $TMPDIR; as an absolute path (the loader names
 * files by absolute path, and messages swap it for the client's name).
 * The caller frees it. */
static char *upload_dir_make(const char *db_path)
{
	char *copy = xstrdup(db_path);
	const char *tmp = getenv("TMPDIR");
	/* the pid in the name tells the next start whether it is stale
	 * (uploaddir.c); mkdtemp makes it 0700 */
	char *tries[2] = { xasprintf("%s/" UPLOADDIR_PREFIX "%ld-XXXXXX", dirname(copy), (long)getpid()),
			   xasprintf("%s/%s%ld-XXXXXX", tmp && *tmp ? tmp : "/tmp", &UPLOADDIR_PREFIX[1],
				     (long)getpid()) };
	char *dir = NULL;
	free(copy);
	for (int i = 0; i < 2; i++) {
		if (!dir && mkdtemp(tries[i]) && !(dir = realpath(tries[i], NULL)))
			rmdir(tries[i]);
		free(tries[i]);
	}
	return dir;
}

static void upload_dir_remove(char *dir)
{
	if (!dir)
		return;
	DIR *d = opendir(dir);
	struct dirent *ent;
	while (d && (ent = readdir(d))) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		char *path = xasprintf("%s/%s", dir, ent->d_name);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
}

/* Delete the conversations past their time (state.h), under the audit
 * log's name "system"; said on stderr too. */
static void conversations_sweep(struct server *srv, unsigned days)
{
	struct err e = { 0 };
	int deleted = 0;
	pthread_mutex_lock(&srv->tokens_lock);
	int rc = state_conversations_expire(srv->tokens, time(NULL), days, "system", &deleted, &e);
	pthread_mutex_unlock(&srv->tokens_lock);
	if (rc)
		fprintf(stderr, "finq: %s\n", e.msg);
	else if (deleted)
		fprintf(stderr, "finq: deleted %d conversation%s unchanged for %u days (--conversation-ttl)\n", deleted,
			deleted == 1 ? "" : "s", days);
}

/* Say why serving failed, as the CLI does; the status of the error, or
 * fallback when it carries none. */
static enum err_status server_fail(const struct err *e, enum err_status fallback)
{
	fprintf(stderr, "finq: %s\n", e->msg);
	return e->code ? e->code : fallback;
}

enum err_status server_run(const struct server_options *opt)
{
	struct err e = { 0 };
	int fd = -1, port = 0;
	enum err_status rc = ERR_OK;
	bool ipv6 = false;
	char *upload_dir = NULL;
	struct pool *en = NULL;
	struct http_server *http = NULL;
	struct server srv = { 0 };
	struct tls_files tls = { 0 };
	struct http_kv headers[NSECURITY_HEADERS + 1];
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	/* an ignored signal is discarded, never waited for: a shell starts
	 * background jobs with SIGINT ignored */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	json_object_seed(0); /* before any thread makes objects */

	srv.tokens_required = !http_host_is_loopback(opt->host) || opt->require_token;
	srv.origins.bound = opt->host;
	srv.origins.cors_origin = opt->cors_origin;
	for (size_t i = 0; i < opt->nallow_hosts && i < (size_t)ORIGIN_HOSTS_MAX; i++)
		srv.origins.hosts[srv.origins.nhosts++] = opt->allow_hosts[i];
	srv.rate_limit = opt->rate_limit;
	srv.cors_origin = opt->cors_origin;
	pthread_mutex_init(&srv.tokens_lock, NULL);
	char *state_path = state_path_for(opt->db_path);
	struct state_tokens stored = { 0 };
	int trc = state_open(&srv.tokens, state_path, &e);
	free(state_path);
	if (trc == 0)
		trc = state_token_list(srv.tokens, &stored, &e);
	size_t ntokens = stored.n;
	state_tokens_release(&stored);
	if (trc) {
		rc = server_fail(&e, ERR_DATABASE);
		goto out;
	}
	if (srv.tokens_required && ntokens == 0 && opt->require_token) {
		fprintf(stderr, "finq: --require-token, but the state file holds no API token: create one with "
				"'finq token create NAME' first\n");
		rc = ERR_USAGE;
		goto out;
	}
	if (srv.tokens_required && ntokens == 0) {
		fprintf(stderr,
			"finq: refusing to serve on '%s', beyond loopback, without an API token: anyone who can "
			"reach the port could read the data; create one with 'finq token create NAME' (clients "
			"send it as 'Authorization: Bearer <token>'), or serve on 127.0.0.1\n",
			opt->host);
		rc = ERR_USAGE;
		goto out;
	}
	if (!opt->tls_cert != !opt->tls_key) {
		fprintf(stderr, "finq: --tls-cert and --tls-key go together: give both for https, or neither\n");
		rc = ERR_USAGE;
		goto out;
	}
	if (opt->tls_cert && !http_tls_supported()) {
		fprintf(stderr, "finq: cannot serve https: this libmicrohttpd was built without TLS (GnuTLS); "
				"install one with it (Debian's libmicrohttpd12 has it) or serve plain HTTP behind a TLS "
				"proxy\n");
		rc = ERR_USAGE;
		goto out;
	}
	if (opt->tls_cert && tls_files_load(&tls, opt->tls_cert, opt->tls_key, &e)) {
		rc = server_fail(&e, ERR_USAGE);
		goto out;
	}
	if (tls.key_shared) /* said, not refused: the owner may have reasons (a group for the service) */
		fprintf(stderr, "finq: warning: other users may read the TLS key '%s' (chmod 600 it)\n", opt->tls_key);
	memcpy(headers, security_headers, sizeof(security_headers));
	if (opt->tls_cert)
		headers[NSECURITY_HEADERS] = hsts_header;
	if (opt->rate_limit)
		srv.limits = ratelimit_new(opt->rate_limit, 0);
	if (http_listen(opt->host, opt->port, &fd, &port, &ipv6, &e)) {
		rc = server_fail(&e, ERR_DATABASE);
		goto out;
	}
	int stale = uploaddir_clean_stale(opt->db_path);
	if (stale)
		fprintf(stderr, "finq: removed %d upload folder%s left behind by a server that stopped without "
			"cleaning up\n", stale, stale == 1 ? "" : "s");
	if (!(upload_dir = upload_dir_make(opt->db_path))) {
		fprintf(stderr, "finq: cannot make a folder for uploads beside '%s': %s\n", opt->db_path, strerror(errno));
		close(fd);
		rc = ERR_DATABASE;
		goto out;
	}
	struct pool_config ecfg = {
		.db_path = opt->db_path,
		.engine = opt->engine,
		.memory_limit = opt->memory_limit,
		.slots = opt->workers,
		.statement_timeout = opt->timeout,
		.max_statement_bytes = opt->max_statement,
		.max_result_bytes = opt->max_result,
	};
	if (pool_open(&en, &ecfg, &e)) {
		rc = server_fail(&e, ERR_DATABASE);
		close(fd);
		goto out;
	}
	struct api_options aopt = { .max_upload = opt->max_upload, .default_today = opt->default_today,
				    .max_statement = opt->max_statement };
	srv.api = api_new(en, &aopt);
	struct http_config hcfg = {
		.listen_fd = fd,
		.ipv6 = ipv6,
		.upload_dir = upload_dir,
		.idle_timeout = opt->timeout,
		.trusted_proxy = opt->trusted_proxy,
		.head_timeout = opt->head_timeout,
		.per_address_limit = opt->per_address,
		.tls_cert = tls.cert,
		.tls_key = tls.key,
		.headers = headers,
		.nheaders = NSECURITY_HEADERS + (tls.cert ? 1 : 0),
		.app = { .arg = &srv, .body_limit = app_body_limit, .handle = app_handle, .done = app_done,
			 .admit = app_admit, .decorate = app_decorate },
	};
	/* (libmicrohttpd keeps pointers to the PEM text: tls lives until the end) */
	if (http_server_start(&http, &hcfg, &e)) {
		rc = server_fail(&e, ERR_FAILED);
		close(fd);
		goto out;
	}
	conversations_sweep(&srv, opt->conversation_ttl);
	struct pool_status st;
	pool_status(en, &st);
	if (!st.data_loaded)
		fprintf(stderr, "finq: no cost data in '%s' yet: upload an export in the web UI or POST it to "
				"/api/v1/data\n", opt->db_path);
	bool literal6 = strchr(opt->host, ':') != NULL;
	fprintf(stderr, "finq: serving %s at %s://%s%s%s:%d/ (Ctrl-C to stop)\n", opt->db_path,
		opt->tls_cert ? "https" : "http", literal6 ? "[" : "", opt->host, literal6 ? "]" : "", port);
	if (srv.tokens_required)
		fprintf(stderr, "finq: API tokens required (%zu stored; 'finq token list')\n", ntokens);

	int sig = -1;
	struct timespec sweep_every = { SERVER_SWEEP_SECONDS, 0 };
	while (sig < 0) {
		sig = sigtimedwait(&stop, NULL, &sweep_every);
		if (sig < 0 && errno == EAGAIN)
			conversations_sweep(&srv, opt->conversation_ttl);
	}
	fprintf(stderr, "finq: %s: no new connections; finishing the requests in flight\n",
		sig == SIGINT ? "interrupted" : "terminated");
	http_server_quiesce(http);
	int left = http_server_drain(http, opt->drain_seconds > 0 ? opt->drain_seconds : 60);
	if (left)
		fprintf(stderr, "finq: %d request%s still running after the wait; closing anyway\n", left,
			left == 1 ? "" : "s");
	http_server_stop(http);
	http = NULL;
	fprintf(stderr, "finq: stopped\n");
out:
	tls_files_release(&tls);
	http_server_stop(http);
	api_free(srv.api);
	pool_close(en);
	upload_dir_remove(upload_dir);
	ratelimit_free(srv.limits);
	state_close(srv.tokens);
	pthread_mutex_destroy(&srv.tokens_lock);
	return rc;
}
