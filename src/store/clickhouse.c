/*
 * clickhouse: ClickHouse's HTTP interface through libcurl. See clickhouse.h.
 *
 * One easy handle per request: requests are few (one per question, a
 * handful per load) and a fresh handle keeps no state between users.
 */
#include "clickhouse.h"

#include "safetext.h"
#include "sigv4.h"
#include "xalloc.h"

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Database, cluster and user names go into SQL and URLs unquoted. */
static bool plain_name(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

static char *name_copy(const char *s, size_t n, const char *what, const char *url, struct err *e)
{
	if (!plain_name(s, n)) {
		err_set_code(e, ERR_USAGE, "the %s in '%s' must be letters, digits and '_'", what, url);
		return NULL;
	}
	return xstrndup(s, n);
}

/* The URL's parameters, a table: each fills one field. */
static const struct {
	const char *key;
	size_t offset;
} url_params[] = {
	{ "cluster", offsetof(struct clickhouse_url, cluster) },
	{ "user", offsetof(struct clickhouse_url, reader) },
	{ "writer", offsetof(struct clickhouse_url, writer) },
};

static int parse_params(struct clickhouse_url *u, const char *q, const char *url, struct err *e)
{
	while (q && *q) {
		const char *amp = strchr(q, '&'), *end = amp ? amp : q + strlen(q);
		const char *eq = memchr(q, '=', (size_t)(end - q));
		if (!eq)
			return err_set_code(e, ERR_USAGE, "'%.*s' in '%s' is not KEY=VALUE", (int)(end - q), q, url);
		size_t k;
		for (k = 0; k < sizeof(url_params) / sizeof(url_params[0]); k++)
			if (strlen(url_params[k].key) == (size_t)(eq - q) && !strncmp(q, url_params[k].key, (size_t)(eq - q)))
				break;
		if (k == sizeof(url_params) / sizeof(url_params[0]))
			return err_set_code(e, ERR_USAGE, "unknown parameter '%.*s' in '%s' (cluster, user, writer)",
					    (int)(eq - q), q, url);
		char **field = (char **)((char *)u + url_params[k].offset);
		free(*field);
		if (!(*field = name_copy(eq + 1, (size_t)(end - eq - 1), url_params[k].key, url, e)))
			return -1;
		q = amp ? amp + 1 : NULL;
	}
	return 0;
}

/* Where a user's password comes from when the address has none, in
 * order: a variable holding it, or one naming a file whose first line
 * it is. */
static const struct {
	const char *variable;
	bool file;
	bool writer; /* whose: the writer's, or the reader's */
} password_sources[] = {
	{ "FINQ_CLICKHOUSE_PASSWORD", false, false },
	{ "FINQ_CLICKHOUSE_PASSWORD_FILE", true, false },
	{ "FINQ_CLICKHOUSE_WRITER_PASSWORD", false, true },
	{ "FINQ_CLICKHOUSE_WRITER_PASSWORD_FILE", true, true },
};

/* The first line of the file path names (without its line break). */
static int password_from_file(const char *variable, const char *path, char **out, struct err *e)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return err_set_code(e, ERR_USAGE, "cannot read the ClickHouse password file '%s' (%s): %s", path,
				    variable, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	fclose(f);
	if (n < 0) {
		free(line);
		line = xstrdup("");
		n = 0;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	*out = line;
	return 0;
}

/* The passwords the address did not give, from password_sources[]. */
static int passwords_from_environment(struct clickhouse_url *u, struct err *e)
{
	for (size_t i = 0; i < sizeof(password_sources) / sizeof(password_sources[0]); i++) {
		char **field = password_sources[i].writer ? &u->writer_password : &u->reader_password;
		const char *value = getenv(password_sources[i].variable);
		if (*field || !value || !*value)
			continue;
		if (!password_sources[i].file)
			*field = xstrdup(value);
		else if (password_from_file(password_sources[i].variable, value, field, e))
			return -1;
	}
	if (!u->writer_password && u->reader_password && strcmp(u->reader, u->writer) == 0)
		u->writer_password = xstrdup(u->reader_password);
	return 0;
}

/* USER[:PASSWORD] of the address (userinfo[0..n)), shown as in messages. */
static int parse_userinfo(struct clickhouse_url *u, const char *userinfo, size_t n, const char *shown,
			  struct err *e)
{
	const char *colon = memchr(userinfo, ':', n);
	size_t user_len = colon ? (size_t)(colon - userinfo) : n;
	if (!(u->reader = name_copy(userinfo, user_len, "user", shown, e)))
		return -1;
	if (colon)
		u->reader_password = sigv4_percent_decode(colon + 1, n - user_len - 1, NULL);
	return 0;
}

static int url_parse(struct clickhouse_url *u, const char *url, const char *shown, struct err *e)
{
	static const char scheme[] = "clickhouse://";
	if (strncmp(url, scheme, sizeof(scheme) - 1) != 0)
		return err_set_code(e, ERR_USAGE, "'%s' is not a clickhouse:// address", shown);
	const char *host = url + sizeof(scheme) - 1;
	/* the userinfo ends at the last '@': the password may hold any other */
	const char *at = strrchr(host, '@');
	if (at) {
		if (parse_userinfo(u, host, (size_t)(at - host), shown, e))
			return -1;
		host = at + 1;
	}
	const char *colon = strchr(host, ':'), *slash = strchr(host, '/');
	if (!colon || !slash || colon > slash || colon == host)
		return err_set_code(e, ERR_USAGE,
				    "'%s': expected clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE?cluster=NAME", shown);
	char *end = NULL;
	long port = strtol(colon + 1, &end, 10);
	if (end != slash || port < 1 || port > 65535)
		return err_set_code(e, ERR_USAGE, "'%s': the port must be a number from 1 to 65535", shown);
	for (const char *p = host; p < colon; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return err_set_code(e, ERR_USAGE, "'%s': the host must be a name or an IPv4 address", shown);
	u->host = xstrndup(host, (size_t)(colon - host));
	u->port = (int)port;
	const char *qmark = strchr(slash, '?');
	size_t dblen = qmark ? (size_t)(qmark - slash - 1) : strlen(slash + 1);
	char *user = u->reader;
	u->reader = NULL;
	int rc = !(u->database = name_copy(slash + 1, dblen, "database", shown, e)) ||
		 parse_params(u, qmark ? qmark + 1 : NULL, shown, e);
	if (rc == 0 && user && u->reader)
		rc = err_set_code(e, ERR_USAGE, "'%s' names its user twice (USER@ and ?user=)", shown);
	if (user && !u->reader)
		u->reader = user;
	else
		free(user);
	if (rc)
		return -1;
	if (!u->cluster)
		return err_set_code(e, ERR_USAGE, "'%s' names no cluster (?cluster=NAME, as in remote_servers)", shown);
	if (!u->reader)
		u->reader = xstrdup(CLICKHOUSE_READER);
	if (!u->writer)
		u->writer = xstrdup(CLICKHOUSE_WRITER);
	return passwords_from_environment(u, e);
}

int clickhouse_url_parse(struct clickhouse_url *u, const char *url, struct err *e)
{
	memset(u, 0, sizeof(*u));
	char *shown = safetext_url_shown(url);
	int rc = url_parse(u, url, shown, e);
	free(shown);
	if (rc)
		clickhouse_url_release(u);
	return rc;
}

void clickhouse_url_release(struct clickhouse_url *u)
{
	free(u->host);
	free(u->database);
	free(u->cluster);
	free(u->reader);
	free(u->writer);
	/* the passwords do not outlive their use in memory either */
	if (u->reader_password)
		explicit_bzero(u->reader_password, strlen(u->reader_password));
	if (u->writer_password)
		explicit_bzero(u->writer_password, strlen(u->writer_password));
	free(u->reader_password);
	free(u->writer_password);
	memset(u, 0, sizeof(*u));
}

/* curl_global_init once, whoever asks first (it is not thread-safe). */
static void curl_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct reply_sink {
	struct strbuf *buf;
	size_t start, max;
	bool too_large;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct reply_sink *s = arg;
	size_t bytes = size * n;
	if (s->max && s->buf->len - s->start + bytes > s->max) {
		s->too_large = true;
		return 0; /* aborts the transfer */
	}
	strbuf_add(s->buf, p, bytes);
	return bytes;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	const struct clickhouse_limits *lim = arg;
	return lim->cancelled && lim->cancelled(lim->cancel_arg) ? 1 : 0;
}

/* The server's error text, trimmed to its message: "Code: 60, e.displayText()
 * = DB::Exception: Table finq.x doesn't exist., e.what() = DB::Exception". */
static void server_error(const char *text, size_t start, struct err *e)
{
	const char *msg = text + start;
	const char *shown = strstr(msg, "e.displayText() = ");
	const char *ex = shown ? strstr(shown, "Exception: ") : NULL;
	if (ex)
		msg = ex + strlen("Exception: ");
	size_t n = strcspn(msg, "\n");
	static const char *const tails[] = { ", e.what()", " Log: " };
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		const char *tail = strstr(msg, tails[i]);
		if (tail && (size_t)(tail - msg) < n)
			n = (size_t)(tail - msg);
	}
	while (n && (msg[n - 1] == '.' || msg[n - 1] == ' '))
		n--;
	/* a refused login (18.16: "Wrong password for user X", "Unknown user
	 * X"; later: "X: Authentication failed: ...") is the caller's to fix */
	static const char *const login_refused[] = { "Wrong password", "Unknown user", "Authentication failed",
						     "password is incorrect", "Password required" };
	for (size_t i = 0; i < sizeof(login_refused) / sizeof(login_refused[0]); i++)
		if (memmem(msg, n, login_refused[i], strlen(login_refused[i]))) {
			err_set_code(e, ERR_USAGE,
				     "clickhouse refused the login: %.*s (the password comes from the --engine "
				     "address, FINQ_CLICKHOUSE_PASSWORD or FINQ_CLICKHOUSE_PASSWORD_FILE; a load's "
				     "from FINQ_CLICKHOUSE_WRITER_PASSWORD or _FILE)",
				     (int)n, msg);
			return;
		}
	err_set_code(e, ERR_DATABASE, "clickhouse: %.*s", (int)n, msg);
}

int clickhouse_post(const char *host, int port, const char *user, const char *password, const char *database,
		    const char *sql, FILE *body, const struct clickhouse_limits *lim, struct strbuf *reply,
		    struct err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	static const struct clickhouse_limits no_limits = { 0 };
	pthread_once(&once, curl_once);
	if (!lim)
		lim = &no_limits;
	CURL *curl = curl_easy_init();
	if (!curl)
		return err_set(e, "cannot start an HTTP request (libcurl)");
	struct strbuf url = STRBUF_INIT;
	bool basic = password && *password;
	strbuf_addf(&url, "http://%s:%d/?", host, port);
	if (!basic)
		strbuf_addf(&url, "user=%s&", user);
	if (database)
		strbuf_addf(&url, "database=%s&", database);
	if (body) {
		char *q = curl_easy_escape(curl, sql, 0);
		strbuf_addf(&url, "query=%s", q);
		curl_free(q);
	}
	if (basic) {
		curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(curl, CURLOPT_USERNAME, user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, password);
	}
	struct reply_sink sink = { reply, reply->len, lim->max_reply_bytes, false };
	curl_easy_setopt(curl, CURLOPT_URL, url.buf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)lim);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	if (lim->timeout_seconds > 0)
		curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(lim->timeout_seconds * 1000));
	struct curl_slist *headers = NULL;
	if (body) {
		curl_easy_setopt(curl, CURLOPT_POST, 1L);
		curl_easy_setopt(curl, CURLOPT_READDATA, body);
		headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
	} else {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, sql);
	}
	headers = curl_slist_append(headers, "Content-Type: text/plain");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

	int rc = -1;
	CURLcode cc = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (sink.too_large)
		err_set_code(e, ERR_REFUSED, "refused: the result is larger than %g MB; select fewer rows or narrower columns",
			     (double)lim->max_reply_bytes / (1 << 20));
	else if (cc == CURLE_ABORTED_BY_CALLBACK)
		err_set_code(e, ERR_REFUSED, "statement cancelled: the client went away");
	else if (cc == CURLE_OPERATION_TIMEDOUT && status == 0)
		err_set_code(e, ERR_REFUSED, "statement cancelled: it took longer than the time limit of %g s",
			     lim->timeout_seconds);
	else if (cc != CURLE_OK && status == 0)
		err_set_code(e, ERR_DATABASE, "cannot reach the ClickHouse server at %s:%d: %s", host, port,
			     curl_easy_strerror(cc));
	else if (status != 200)
		server_error(reply->buf, sink.start, e);
	else if (cc != CURLE_OK)
		err_set_code(e, ERR_DATABASE, "the ClickHouse reply from %s:%d broke off: %s", host, port,
			     curl_easy_strerror(cc));
	else
		rc = 0;
	if (rc && reply->alloc) {
		reply->len = sink.start;
		reply->buf[sink.start] = '\0';
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	strbuf_release(&url);
	return rc;
}
