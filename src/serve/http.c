/*
 * http: struct req / struct resp helpers and the libmicrohttpd adapter.
 * See http.h.
 *
 * One request on a connection is a struct conn_req, created at the first
 * call of the access handler (headers in), fed the body in pieces, and
 * answered at the last call; on_completed() logs it through the
 * application and frees it. Streams: the producer runs on its own thread
 * and writes into one end of a socket pair; MHD's content reader blocks
 * on the other end (allowed with a thread per connection), so every event
 * goes out as one chunk as soon as it is written.
 */
#include "http.h"
#include "headwatch.h"
#include "origin.h"
#include "strict.h"
#include "xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- requests ---------------------------------------------------------- */

const char *req_query(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->nquery; i++)
		if (r->query[i].name && strcmp(r->query[i].name, name) == 0)
			return r->query[i].value ? r->query[i].value : "";
	return NULL;
}

const char *req_header(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (r->headers[i].name && strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value ? r->headers[i].value : "";
	return NULL;
}

const char *req_param(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (strcmp(r->param_names[i], name) == 0)
			return r->params[i];
	return NULL;
}

/* ---- responses --------------------------------------------------------- */

void resp_init(struct resp *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	strbuf_init(&r->body, 0);
}

void resp_release(struct resp *r)
{
	strbuf_release(&r->body);
	for (size_t i = 0; i < r->nheaders; i++) {
		free((char *)r->headers[i].name);
		free((char *)r->headers[i].value);
	}
	free(r->headers);
	if (r->stream && r->stream_free)
		r->stream_free(r->stream_arg);
	resp_init(r);
}

void resp_header(struct resp *r, const char *name, const char *value)
{
	ALLOC_GROW(r->headers, r->nheaders + 1, r->alloc_headers);
	r->headers[r->nheaders].name = xstrdup(name);
	r->headers[r->nheaders].value = xstrdup(value);
	r->nheaders++;
}

void resp_text(struct resp *r, int status, const char *content_type, const char *text, size_t len)
{
	r->status = status;
	snprintf(r->content_type, sizeof(r->content_type), "%s", content_type);
	strbuf_reset(&r->body);
	strbuf_add(&r->body, text, len);
}

void resp_json(struct resp *r, int status, json_t *body)
{
	r->status = status;
	snprintf(r->content_type, sizeof(r->content_type), "application/json");
	strbuf_reset(&r->body);
	char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
	strbuf_addstr(&r->body, text ? text : "null");
	strbuf_addch(&r->body, '\n');
	free(text);
	json_decref(body);
}

/* Length of the valid UTF-8 sequence at s (the rules JSON strings obey:
 * no overlong forms, no surrogates, nothing past U+10FFFF), 0 if none. */
static size_t utf8_sequence(const unsigned char *s)
{
	static const struct { unsigned char mask, lead; size_t len; uint32_t min; } forms[] = {
		{ 0x80, 0x00, 1, 0 }, { 0xE0, 0xC0, 2, 0x80 }, { 0xF0, 0xE0, 3, 0x800 }, { 0xF8, 0xF0, 4, 0x10000 },
	};
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		if ((s[0] & forms[f].mask) != forms[f].lead)
			continue;
		uint32_t cp = s[0] & (unsigned char)~forms[f].mask;
		for (size_t i = 1; i < forms[f].len; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3F);
		}
		bool valid = cp >= forms[f].min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
		return valid ? forms[f].len : 0;
	}
	return 0;
}

/* Messages quote what the client sent (a path, a content type), maybe cut
 * mid-character: a byte that is not UTF-8 becomes '?', or the error body
 * could not be JSON. */
static void utf8_scrub(char *s)
{
	while (*s) {
		size_t n = utf8_sequence((const unsigned char *)s);
		if (n == 0)
			*s++ = '?';
		else
			s += n;
	}
}

static int resp_verror(struct resp *r, int status, const char *code, const char *field, const char *fmt,
		       va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	utf8_scrub(msg);
	json_t *err = json_pack("{s:s, s:s}", "code", code, "message", msg);
	if (field)
		json_object_set_new(err, "field", json_string(field));
	resp_json(r, status, json_pack("{s:o}", "error", err));
	return -1;
}

int resp_error(struct resp *r, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	resp_verror(r, status, code, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int resp_field_error(struct resp *r, int status, const char *code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	resp_verror(r, status, code, field, fmt, ap);
	va_end(ap);
	return -1;
}

void resp_stream(struct resp *r, int status, const char *content_type,
		 int (*stream)(void *arg, struct resp_sink *sink), void (*stream_free)(void *arg), void *arg)
{
	r->status = status;
	snprintf(r->content_type, sizeof(r->content_type), "%s", content_type);
	r->stream = stream;
	r->stream_free = stream_free;
	r->stream_arg = arg;
}

/* ---- listening ---------------------------------------------------------- */

bool http_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	if (strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1) {
		if (IN6_IS_ADDR_LOOPBACK(&a6))
			return true;
		return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
	}
	return false;
}

int http_listen(const char *host, int port, int *fd, int *bound_port, bool *ipv6, struct err *e)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char service[16];
	int rc, last_errno = 0;
	*fd = -1;
	if (port < 0 || port > 65535)
		return err_set_code(e, ERR_USAGE, "port %d is not between 0 and 65535", port);
	snprintf(service, sizeof(service), "%d", port);
	if ((rc = getaddrinfo(host, service, &hints, &res)) != 0)
		return err_set_code(e, ERR_USAGE, "cannot resolve host '%s': %s", host, gai_strerror(rc));
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		int one = 1;
		if (s < 0) {
			last_errno = errno;
			continue;
		}
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(s, ai->ai_addr, ai->ai_addrlen) != 0 || listen(s, 128) != 0) {
			last_errno = errno;
			close(s);
			continue;
		}
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		getsockname(s, (struct sockaddr *)&ss, &len);
		*bound_port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
						      : ntohs(((struct sockaddr_in *)&ss)->sin_port);
		*ipv6 = ai->ai_family == AF_INET6;
		*fd = s;
		break;
	}
	freeaddrinfo(res);
	if (*fd >= 0)
		return 0;
	if (last_errno == EADDRINUSE)
		return err_set_code(e, ERR_DATABASE,
				    "cannot listen on %s port %d: the port is in use (choose another with --port)", host,
				    port);
	return err_set_code(e, ERR_DATABASE, "cannot listen on %s port %d: %s", host, port,
			    strerror(last_errno ? last_errno : EINVAL));
}

/* ---- the server --------------------------------------------------------- */

/* libmicrohttpd's memory for one connection, the request head included
 * (its default is 32 KB). A head that does not fit gets its own HTML 431
 * or 414 page, which finq cannot dress; so it is given far more than
 * strict.h's limits, and finq refuses the heads between those and this
 * with its JSON errors. Pages are touched only as a head fills them. */
#define HTTP_CONNECTION_MEMORY (256u * 1024u)

/* GnuTLS's defaults without TLS 1.0 and 1.1 (deprecated by RFC 8996). */
#define HTTP_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

struct http_server {
	struct MHD_Daemon *daemon;
	struct headwatch *heads; /* request-head deadlines, or NULL */
	struct http_config cfg;
	pthread_mutex_t lock;
	pthread_cond_t idle;
	int inflight;
	bool closing;
	bool quiesced;
};

/* One request on a connection. */
struct conn_req {
	struct http_server *srv;
	double started;
	char *method, *path;
	uint64_t limit;
	bool to_file;
	uint64_t received;
	bool too_large;
	int fail_status; /* != 0: answer with this error instead of calling the app */
	const char *fail_code;
	char fail_msg[256];
	struct strbuf body;
	/* uploads */
	int fd;
	char *file_path;
	struct MHD_PostProcessor *pp;
	char *part_key;
	char *upload_name;
	bool part_seen;
	/* the answer */
	bool answered;
	int status;
	const char *route;
	/* headers and query arguments, borrowed from MHD until the request completes */
	struct http_kv *kv[2];
	size_t nkv[2], alloc_kv[2];
	char client[INET6_ADDRSTRLEN];
	struct req req; /* filled when the headers are in; the body when it is all in */
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct conn_req *conn_req_new(struct http_server *srv, const char *method, const char *path)
{
	struct conn_req *r = xcalloc(1, sizeof(*r));
	r->srv = srv;
	r->started = now_seconds();
	r->method = xstrdup(method);
	r->path = xstrdup(path);
	r->fd = -1;
	strbuf_init(&r->body, 0);
	return r;
}

static void conn_req_drop_file(struct conn_req *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	if (r->file_path)
		unlink(r->file_path);
	free(r->file_path);
	r->file_path = NULL;
}

static void conn_req_free(struct conn_req *r)
{
	if (r->pp)
		MHD_destroy_post_processor(r->pp);
	conn_req_drop_file(r);
	strbuf_release(&r->body);
	free(r->part_key);
	free(r->upload_name);
	free(r->kv[0]);
	free(r->kv[1]);
	free(r->method);
	free(r->path);
	free(r);
}

static void conn_req_fail(struct conn_req *r, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void conn_req_fail(struct conn_req *r, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	if (r->fail_status)
		return;
	r->fail_status = status;
	r->fail_code = code;
	va_start(ap, fmt);
	vsnprintf(r->fail_msg, sizeof(r->fail_msg), fmt, ap);
	va_end(ap);
	conn_req_drop_file(r);
}

/* "512 MB": a limit in words. */
static void format_size(uint64_t n, char *buf, size_t size)
{
	static const struct {
		uint64_t unit;
		const char *name;
	} units[] = { { 1ULL << 30, "GB" }, { 1ULL << 20, "MB" }, { 1ULL << 10, "KB" } };
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (n >= units[i].unit && n % units[i].unit == 0) {
			snprintf(buf, size, "%" PRIu64 " %s", n / units[i].unit, units[i].name);
			return;
		}
	snprintf(buf, size, "%" PRIu64 " bytes", n);
}

static void conn_req_too_large(struct conn_req *r)
{
	char limit[32];
	format_size(r->limit, limit, sizeof(limit));
	r->too_large = true;
	conn_req_fail(r, 413, "too_large", "the request body is larger than the limit of %s", limit);
	strbuf_release(&r->body);
}

static int file_open(struct conn_req *r)
{
	if (r->fd >= 0)
		return 0;
	if (!r->srv->cfg.upload_dir) {
		conn_req_fail(r, 500, "internal", "this server takes no uploads");
		return -1;
	}
	r->file_path = xasprintf("%s/upload-XXXXXX", r->srv->cfg.upload_dir);
	r->fd = mkostemp(r->file_path, O_CLOEXEC);
	if (r->fd < 0) {
		int err = errno;
		free(r->file_path);
		r->file_path = NULL;
		conn_req_fail(r, 500, "internal", "cannot save the upload: %s", strerror(err));
		return -1;
	}
	return 0;
}

static int file_write(struct conn_req *r, const char *data, size_t n)
{
	if (file_open(r))
		return -1;
	while (n) {
		ssize_t w = write(r->fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			conn_req_fail(r, 500, "internal", "cannot save the upload: %s", strerror(errno));
			return -1;
		}
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The parts of a multipart form: the one file part goes to the file,
 * other fields are ignored, a second file is refused. */
static enum MHD_Result on_post(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			       const char *content_type, const char *transfer_encoding, const char *data,
			       uint64_t off, size_t size)
{
	struct conn_req *r = cls;
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (!filename)
		return MHD_YES;
	if (!r->part_seen) {
		r->part_seen = true;
		r->part_key = xstrdup(key ? key : "");
		r->upload_name = xstrdup(filename);
		if (file_open(r))
			return MHD_NO;
	} else if (off == 0 || strcmp(key ? key : "", r->part_key) != 0 || strcmp(filename, r->upload_name) != 0) {
		conn_req_fail(r, 400, "invalid_body", "send one file per upload, not several");
		return MHD_NO;
	}
	if (size && file_write(r, data, size))
		return MHD_NO;
	return MHD_YES;
}

static void body_take(struct conn_req *r, const char *data, size_t n)
{
	if (r->fail_status)
		return;
	r->received += n;
	if (r->received > r->limit) {
		conn_req_too_large(r);
		return;
	}
	if (!r->to_file) {
		strbuf_add(&r->body, data, n);
	} else if (r->pp) {
		if (MHD_post_process(r->pp, data, n) != MHD_YES)
			conn_req_fail(r, 400, "invalid_body", "the multipart form cannot be read");
	} else {
		file_write(r, data, n);
	}
}

static enum MHD_Result collect_kv(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct conn_req *r = cls;
	int i = kind == MHD_HEADER_KIND ? 0 : 1;
	ALLOC_GROW(r->kv[i], r->nkv[i] + 1, r->alloc_kv[i]);
	r->kv[i][r->nkv[i]].name = key;
	r->kv[i][r->nkv[i]].value = value;
	r->nkv[i]++;
	return MHD_YES;
}

/* ---- streamed bodies ---------------------------------------------------- */

struct stream_run {
	int fds[2]; /* [0]: MHD reads, [1]: the producer writes */
	/* A duplicate of the client's socket, for sink_client_gone: the
	 * producer outlives the handler's struct req, and a number of our own
	 * cannot be closed and reused by another connection meanwhile. -1:
	 * none. */
	int client_fd;
	pthread_t thread;
	int (*stream)(void *arg, struct resp_sink *sink);
	void (*stream_free)(void *arg);
	void *arg;
};

static int sink_write(struct resp_sink *sink, const void *data, size_t n)
{
	struct stream_run *run = sink->arg;
	const char *p = data;
	while (n) {
		ssize_t w = send(run->fds[1], p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1; /* the client went away */
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static bool socket_peer_gone(int fd);

static bool sink_client_gone(struct resp_sink *sink)
{
	struct stream_run *run = sink->arg;
	return run->client_fd >= 0 && socket_peer_gone(run->client_fd);
}

static void *stream_main(void *arg)
{
	struct stream_run *run = arg;
	struct resp_sink sink = { sink_write, run, sink_client_gone };
	run->stream(run->arg, &sink);
	shutdown(run->fds[1], SHUT_WR);
	return NULL;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream_run *run = cls;
	(void)pos;
	for (;;) {
		ssize_t n = recv(run->fds[0], buf, max, 0);
		if (n > 0)
			return n;
		if (n == 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (errno != EINTR)
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
}

static void stream_end(void *cls)
{
	struct stream_run *run = cls;
	/* the producer's next write fails once our end is closed */
	shutdown(run->fds[0], SHUT_RDWR);
	pthread_join(run->thread, NULL);
	close(run->fds[0]);
	close(run->fds[1]);
	if (run->client_fd >= 0)
		close(run->client_fd);
	if (run->stream_free)
		run->stream_free(run->arg);
	free(run);
}

/* Start the producer of resp's stream for req's client; NULL when it
 * cannot start (the stream is then freed). */
static struct stream_run *stream_start(struct resp *resp, const struct req *req)
{
	struct stream_run *run = xcalloc(1, sizeof(*run));
	run->client_fd = req->has_client_socket ? fcntl(req->client_socket, F_DUPFD_CLOEXEC, 0) : -1;
	run->stream = resp->stream;
	run->stream_free = resp->stream_free;
	run->arg = resp->stream_arg;
	resp->stream = NULL;
	resp->stream_free = NULL;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, run->fds) != 0)
		goto fail;
	if (pthread_create(&run->thread, NULL, stream_main, run) != 0) {
		close(run->fds[0]);
		close(run->fds[1]);
		goto fail;
	}
	return run;
fail:
	if (run->client_fd >= 0)
		close(run->client_fd);
	if (run->stream_free)
		run->stream_free(run->arg);
	free(run);
	return NULL;
}

/* ---- answering ---------------------------------------------------------- */

static enum MHD_Result send_resp(struct MHD_Connection *con, struct conn_req *r, struct resp *resp)
{
	struct http_server *srv = r->srv;
	struct MHD_Response *mr = NULL;
	if (srv->cfg.app.decorate)
		srv->cfg.app.decorate(srv->cfg.app.arg, &r->req, resp);
	if (resp->stream) {
		struct stream_run *run = stream_start(resp, &r->req);
		if (run)
			mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, stream_read, run, stream_end);
		else
			resp_error(resp, 500, "internal", "cannot start the response stream");
	}
	if (!mr && resp->static_body && resp->status != 304) {
		mr = MHD_create_response_from_buffer(resp->static_len, (void *)resp->static_body,
						     MHD_RESPMEM_PERSISTENT);
	} else if (!mr) {
		size_t len = resp->body.len;
		if (resp->status == 204 || resp->status == 304)
			len = 0;
		char *buf = strbuf_detach(&resp->body);
		mr = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	}
	if (!mr)
		return MHD_NO;
	if (resp->content_type[0] && resp->status != 204 && resp->status != 304)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(mr, resp->headers[i].name, resp->headers[i].value);
	for (size_t i = 0; i < srv->cfg.nheaders; i++)
		MHD_add_response_header(mr, srv->cfg.headers[i].name, srv->cfg.headers[i].value);
	pthread_mutex_lock(&srv->lock);
	bool closing = srv->closing;
	pthread_mutex_unlock(&srv->lock);
	if (closing)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
	r->status = resp->status;
	r->route = resp->route;
	r->answered = true;
	enum MHD_Result ret = MHD_queue_response(con, (unsigned)resp->status, mr);
	MHD_destroy_response(mr);
	resp_release(resp);
	return ret;
}

/* Answer early (before the body): for a body declared too large. */
static enum MHD_Result answer_failure(struct MHD_Connection *con, struct conn_req *r)
{
	struct resp resp;
	resp_init(&resp);
	resp_error(&resp, r->fail_status, r->fail_code, "%s", r->fail_msg);
	resp.route = r->route;
	return send_resp(con, r, &resp);
}

static enum MHD_Result answer(struct MHD_Connection *con, struct conn_req *r)
{
	struct http_server *srv = r->srv;
	if (r->pp) {
		MHD_destroy_post_processor(r->pp); /* hands over what it still holds */
		r->pp = NULL;
	}
	if (r->fail_status)
		return answer_failure(con, r);
	if (r->fd >= 0) {
		close(r->fd);
		r->fd = -1;
	}
	r->req.body = r->body.buf;
	r->req.body_len = r->body.len;
	r->req.body_file = r->file_path;
	r->req.upload_name = r->upload_name;
	struct resp resp;
	resp_init(&resp);
	srv->cfg.app.handle(srv->cfg.app.arg, &r->req, &resp);
	return send_resp(con, r, &resp);
}

/* Nobody else reads the socket meanwhile: with a thread per connection,
 * its thread is the one running the handler, or, for a stream, waiting
 * in stream_read for the producer that asks. */
static bool socket_peer_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };
	if (poll(&p, 1, 0) <= 0)
		return false;
	if (p.revents & (POLLHUP | POLLERR | POLLRDHUP | POLLNVAL))
		return true;
	char c;
	return (p.revents & POLLIN) && recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

bool req_client_gone(const struct req *r)
{
	return r->has_client_socket && socket_peer_gone(r->client_socket);
}

/* The peer's address as text into r->client ("" when unknown). */
static void client_address(struct MHD_Connection *con, struct conn_req *r)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;
	r->client[0] = '\0';
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->client, sizeof(r->client));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->client, sizeof(r->client));
}

/* The request as the application sees it, before its body. */
static void conn_req_headers_in(struct MHD_Connection *con, struct conn_req *r)
{
	MHD_get_connection_values(con, MHD_HEADER_KIND, collect_kv, r);
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, collect_kv, r);
	client_address(con, r);
	if (r->srv->cfg.trusted_proxy && strcmp(r->client, r->srv->cfg.trusted_proxy) == 0)
		origin_forwarded_for(MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Forwarded-For"), r->client,
				     sizeof(r->client));
	r->req = (struct req){
		.method = r->method,
		.path = r->path,
		.headers = r->kv[0],
		.nheaders = r->nkv[0],
		.query = r->kv[1],
		.nquery = r->nkv[1],
		.body = "",
		.client = r->client[0] ? r->client : NULL,
	};
	const union MHD_ConnectionInfo *fd_info = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (fd_info) {
		r->req.client_socket = fd_info->connect_fd;
		r->req.has_client_socket = true;
	}
}

/* The head as strict.c sees it: names and values with their lengths. */
struct head_list {
	struct strict_header *h;
	size_t n, alloc;
};

static enum MHD_Result collect_head(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
				    const char *value, size_t value_size)
{
	struct head_list *l = cls;
	(void)kind;
	ALLOC_GROW(l->h, l->n + 1, l->alloc);
	l->h[l->n++] = (struct strict_header){ key, key_size, value ? value : "", value ? value_size : 0 };
	return MHD_YES;
}

/* strict.h's rules; -1 with the request failed when the head breaks one. */
static int head_check(struct MHD_Connection *con, struct conn_req *r, const char *version)
{
	struct head_list l = { 0 };
	int status = 0;
	const char *code = NULL;
	char msg[200];
	MHD_get_connection_values_n(con, MHD_HEADER_KIND, collect_head, &l);
	size_t target = strlen(r->path);
	for (size_t i = 0; i < r->nkv[1]; i++) /* the query as MHD decoded it: "?name=value&" */
		target += strlen(r->kv[1][i].name) + (r->kv[1][i].value ? strlen(r->kv[1][i].value) : 0) + 2;
	int rc = strict_size_check(target, l.h, l.n, &status, &code, msg, sizeof(msg));
	if (rc == 0)
		rc = strict_version_check(version, l.h, l.n, &status, &code, msg, sizeof(msg));
	if (rc == 0)
		rc = strict_head_check(l.h, l.n, &status, &code, msg, sizeof(msg));
	free(l.h);
	if (rc)
		conn_req_fail(r, status, code, "%s", msg);
	return rc;
}

/* The connection's headwatch handle (set when it started), or NULL. */
static struct headwatch_conn *conn_watch(struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *con, const char *url, const char *method,
				 const char *version, const char *upload_data, size_t *upload_data_size,
				 void **con_cls)
{
	struct http_server *srv = cls;
	struct conn_req *r = *con_cls;
	if (!r) {
		headwatch_head_in(srv->heads, conn_watch(con));
		r = conn_req_new(srv, method, url);
		*con_cls = r;
		pthread_mutex_lock(&srv->lock);
		srv->inflight++;
		pthread_mutex_unlock(&srv->lock);
		r->limit = srv->cfg.app.body_limit(srv->cfg.app.arg, method, url, &r->to_file, &r->route);
		conn_req_headers_in(con, r);
		if (head_check(con, r, version))
			return answer_failure(con, r);
		if (srv->cfg.app.admit) {
			struct resp resp;
			resp_init(&resp);
			if (srv->cfg.app.admit(srv->cfg.app.arg, &r->req, r->route, &resp)) {
				if (!resp.route)
					resp.route = r->route;
				return send_resp(con, r, &resp);
			}
			resp_release(&resp);
		}
		const char *length = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (length) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(length, &end, 10);
			if (errno == 0 && *end == '\0' && n > r->limit) {
				conn_req_too_large(r);
				return answer_failure(con, r);
			}
		}
		const char *type = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (r->to_file && type && strncasecmp(type, "multipart/form-data", 19) == 0) {
			r->pp = MHD_create_post_processor(con, 64 * 1024, on_post, r);
			if (!r->pp)
				conn_req_fail(r, 400, "invalid_body", "the multipart form has no boundary");
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (!r->answered)
			body_take(r, upload_data, n);
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	return answer(con, r);
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct conn_req *r = *con_cls;
	(void)toe;
	headwatch_ready(srv->heads, conn_watch(con)); /* the next head's deadline runs from now */
	if (!r)
		return;
	*con_cls = NULL;
	if (srv->cfg.app.done)
		srv->cfg.app.done(srv->cfg.app.arg, r->method, r->path, r->route, r->answered ? r->status : 0,
				  now_seconds() - r->started);
	conn_req_free(r);
	pthread_mutex_lock(&srv->lock);
	srv->inflight--;
	pthread_cond_broadcast(&srv->idle);
	pthread_mutex_unlock(&srv->lock);
}

/* Connections come and go: watched for their request heads meanwhile. */
static void on_connection(void *cls, struct MHD_Connection *con, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *srv = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = info ? headwatch_add(srv->heads, info->connect_fd) : NULL;
	} else {
		headwatch_remove(srv->heads, *socket_context);
		*socket_context = NULL;
	}
}

/* libmicrohttpd's own messages (a client that left mid-response, ...),
 * one line each, marked as such. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	fprintf(stderr, "finq: http: %s\n", msg);
}

bool http_tls_supported(void)
{
	return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES;
}

int http_server_start(struct http_server **out, const struct http_config *cfg, struct err *e)
{
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	srv->cfg = *cfg;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->idle, NULL);
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (cfg->ipv6)
		flags |= MHD_USE_IPv6;
	if (cfg->tls_cert)
		flags |= MHD_USE_TLS;
	srv->heads = headwatch_new(cfg->head_timeout ? cfg->head_timeout : 30u);
	/* The logger must be the first option, or libmicrohttpd complains
	 * through its own logger about the options before it. The TLS pair
	 * comes last, and only with TLS: MHD_OPTION_END ends the list early
	 * without it. */
	struct MHD_OptionItem options[] = {
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL },
		{ MHD_OPTION_LISTEN_SOCKET, (intptr_t)cfg->listen_fd, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit ? cfg->connection_limit : 256u, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout ? cfg->idle_timeout : 120u, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_CONNECTION_MEMORY, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv },
		{ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv },
		{ MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_address_limit, NULL },
		{ cfg->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)(uintptr_t)cfg->tls_cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)(uintptr_t)cfg->tls_key },
		{ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)(uintptr_t)HTTP_TLS_PRIORITIES },
		{ MHD_OPTION_END, 0, NULL },
	};
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_access, srv, MHD_OPTION_ARRAY, options,
				       MHD_OPTION_END);
	if (!srv->daemon) {
		headwatch_free(srv->heads);
		pthread_mutex_destroy(&srv->lock);
		pthread_cond_destroy(&srv->idle);
		free(srv);
		*out = NULL;
		return err_set_code(e, ERR_FAILED, "cannot start the HTTP%s server", cfg->tls_cert ? "S (TLS)" : "");
	}
	*out = srv;
	return 0;
}

void http_server_quiesce(struct http_server *s)
{
	pthread_mutex_lock(&s->lock);
	s->closing = true;
	pthread_mutex_unlock(&s->lock);
	if (!s->quiesced) {
		MHD_socket fd = MHD_quiesce_daemon(s->daemon);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
		s->quiesced = true;
	}
}

int http_server_drain(struct http_server *s, double timeout_seconds)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (time_t)timeout_seconds;
	pthread_mutex_lock(&s->lock);
	while (s->inflight > 0)
		if (pthread_cond_timedwait(&s->idle, &s->lock, &deadline) == ETIMEDOUT)
			break;
	int left = s->inflight;
	pthread_mutex_unlock(&s->lock);
	return left;
}

void http_server_stop(struct http_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->daemon);
	headwatch_free(s->heads);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->idle);
	free(s);
}
