/*
 * clickhouse: ClickHouse's HTTP interface through libcurl. See clickhouse.h.
 *
 * One easy handle per request: requests are few (one per question, a
 * handful per load) and a fresh handle keeps no state between users.
 */
#include "clickhouse.h"

#include "xalloc.h"

#include <curl/curl.h>
#include <ctype.h>
#include <pthread.h>
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

int clickhouse_url_parse(struct clickhouse_url *u, const char *url, struct err *e)
{
	static const char scheme[] = "clickhouse://";
	memset(u, 0, sizeof(*u));
	if (strncmp(url, scheme, sizeof(scheme) - 1) != 0)
		return err_set_code(e, ERR_USAGE, "'%s' is not a clickhouse:// address", url);
	const char *host = url + sizeof(scheme) - 1;
	const char *colon = strchr(host, ':'), *slash = strchr(host, '/');
	if (!colon || !slash || colon > slash || colon == host)
		return err_set_code(e, ERR_USAGE, "'%s': expected clickhouse://HOST:PORT/DATABASE?cluster=NAME", url);
	char *end = NULL;
	long port = strtol(colon + 1, &end, 10);
	if (end != slash || port < 1 || port > 65535)
		return err_set_code(e, ERR_USAGE, "'%s': the port must be a number from 1 to 65535", url);
	for (const char *p = host; p < colon; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return err_set_code(e, ERR_USAGE, "'%s': the host must be a name or an IPv4 address", url);
	u->host = xstrndup(host, (size_t)(colon - host));
	u->port = (int)port;
	const char *qmark = strchr(slash, '?');
	size_t dblen = qmark ? (size_t)(qmark - slash - 1) : strlen(slash + 1);
	if (!(u->database = name_copy(slash + 1, dblen, "database", url, e)) ||
	    parse_params(u, qmark ? qmark + 1 : NULL, url, e))
		goto fail;
	if (!u->cluster) {
		err_set_code(e, ERR_USAGE, "'%s' names no cluster (?cluster=NAME, as in remote_servers)", url);
		goto fail;
	}
	if (!u->reader)
		u->reader = xstrdup(CLICKHOUSE_READER);
	if (!u->writer)
		u->writer = xstrdup(CLICKHOUSE_WRITER);
	return 0;
fail:
	clickhouse_url_release(u);
	return -1;
}

void clickhouse_url_release(struct clickhouse_url *u)
{
	free(u->host);
	free(u->database);
	free(u->cluster);
	free(u->reader);
	free(u->writer);
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
	err_set_code(e, ERR_DATABASE, "clickhouse: %.*s", (int)n, msg);
}

int clickhouse_post(const char *host, int port, const char *user, const char *database, const char *sql,
		    FILE *body, const struct clickhouse_limits *lim, struct strbuf *reply, struct err *e)
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
	strbuf_addf(&url, "http://%s:%d/?user=%s", host, port, user);
	if (database)
		strbuf_addf(&url, "&database=%s", database);
	if (body) {
		char *q = curl_easy_escape(curl, sql, 0);
		strbuf_addf(&url, "&query=%s", q);
		curl_free(q);
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
