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
#include "api.h"
#include "cli.h"
#include "engine.h"
#include "http.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Sent with every response. */
static const struct http_kv security_headers[] = {
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
				     "script-src 'self'; connect-src 'self'" },
	{ "Referrer-Policy", "no-referrer" },
};

struct server {
	struct api *api;
};

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
	char *tries[2] = { xasprintf("%s/.finq-uploads-XXXXXX", dirname(copy)),
			   xasprintf("%s/finq-uploads-XXXXXX", tmp && *tmp ? tmp : "/tmp") };
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

int server_run(const struct server_options *opt)
{
	struct err e = { 0 };
	int fd = -1, port = 0, rc = EXIT_OK;
	bool ipv6 = false;
	char *upload_dir = NULL;
	struct engine *en = NULL;
	struct http_server *http = NULL;
	struct server srv = { 0 };
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

	if (!opt->allow_remote && !http_host_is_loopback(opt->host)) {
		fprintf(stderr,
			"finq: refusing to serve on '%s', beyond loopback: there are no API tokens yet (a later "
			"version adds them), so anyone who can reach the port could read the data; pass "
			"--allow-remote to do it anyway\n",
			opt->host);
		return EXIT_USAGE;
	}
	if (http_listen(opt->host, opt->port, &fd, &port, &ipv6, &e))
		return cli_fail(&e, EXIT_DATABASE);
	if (!(upload_dir = upload_dir_make(opt->db_path))) {
		fprintf(stderr, "finq: cannot make a folder for uploads beside '%s': %s\n", opt->db_path, strerror(errno));
		close(fd);
		return EXIT_DATABASE;
	}
	struct engine_config ecfg = {
		.db_path = opt->db_path,
		.memory_limit = opt->memory_limit,
		.slots = opt->workers,
	};
	if (engine_open(&en, &ecfg, &e)) {
		rc = cli_fail(&e, EXIT_DATABASE);
		close(fd);
		goto out;
	}
	struct api_options aopt = { .max_upload = opt->max_upload, .default_today = opt->default_today };
	srv.api = api_new(en, &aopt);
	struct http_config hcfg = {
		.listen_fd = fd,
		.ipv6 = ipv6,
		.upload_dir = upload_dir,
		.headers = security_headers,
		.nheaders = sizeof(security_headers) / sizeof(security_headers[0]),
		.app = { &srv, app_body_limit, app_handle, app_done },
	};
	if (http_server_start(&http, &hcfg, &e)) {
		rc = cli_fail(&e, EXIT_ERROR);
		close(fd);
		goto out;
	}
	struct engine_status st;
	engine_status(en, &st);
	if (!st.data_loaded)
		fprintf(stderr, "finq: no cost data in '%s' yet: upload an export in the web UI or POST it to "
				"/api/v1/data\n", opt->db_path);
	bool literal6 = strchr(opt->host, ':') != NULL;
	fprintf(stderr, "finq: serving %s at http://%s%s%s:%d/ (Ctrl-C to stop)\n", opt->db_path,
		literal6 ? "[" : "", opt->host, literal6 ? "]" : "", port);

	int sig = 0;
	while (sigwait(&stop, &sig) != 0)
		;
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
	http_server_stop(http);
	api_free(srv.api);
	engine_close(en);
	upload_dir_remove(upload_dir);
	return rc;
}
