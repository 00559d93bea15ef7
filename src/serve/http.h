/*
 * http: a request and a response as plain data, and the small adapter over
 * libmicrohttpd that fills the one from a connection and sends the other.
 *
 * Handlers (api.c) see only struct req and struct resp: they never touch a
 * socket, so tests call them in-process with structs they build by hand.
 * The adapter collects the method, path, query, headers and the body (in
 * memory up to a cap, or, for uploads, into a file in a folder the server
 * owns, raw or as the one file part of a multipart form), calls the
 * application, and sends what it answered: a buffer, static bytes, or a
 * stream produced by a thread of its own and sent chunk by chunk. Every
 * response gets the configured headers (the security headers). It knows
 * nothing of routes or JSON endpoints beyond the error shape of resp_error.
 *
 * Threads: one per connection (MHD_USE_THREAD_PER_CONNECTION), because
 * handlers block: a question runs a DuckDB query, an upload loads a file,
 * a stream waits for its producer. The application is called from those
 * threads concurrently.
 */
#ifndef FINQ_HTTP_H
#define FINQ_HTTP_H

#include "err.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_t;

struct http_kv {
	const char *name;
	const char *value;
};

#define REQ_PARAMS_MAX 2
#define REQ_PARAM_SIZE 512

/* What a handler sees. Everything is borrowed from whoever built it
 * (http.c for a connection, a test for itself) and lives until the
 * response has been built. */
struct req {
	const char *method;             /* "GET", "POST", ... */
	const char *path;               /* decoded, without the query */
	const struct http_kv *query;    /* decoded query arguments */
	size_t nquery;
	const struct http_kv *headers;
	size_t nheaders;
	const char *body;               /* in-memory body, NUL-terminated; "" when none */
	size_t body_len;
	const char *body_file;          /* an upload saved by the server, or NULL */
	const char *upload_name;        /* the file name the client gave, for messages only; may be NULL */
	const char *client;             /* the peer's address ("127.0.0.1", "::1"), or NULL */
	int client_socket;              /* the connection, for req_client_gone() ... */
	bool has_client_socket;         /* ... when this is set (not in tests) */
	/* The client showed no credentials to a server that asks for them
	 * and the route is public (set by the application's admit): answer
	 * only what anyone may know. */
	bool restricted;
	/* Who is asking (set by the application's admit): the API token's
	 * name, "" without one; and its role (access.h), 0 (admin) without
	 * a token: the local user on loopback, or a test. */
	char actor[65];
	int role;
	/* path parameters ("{id}"), filled by the router */
	size_t nparams;
	char param_names[REQ_PARAMS_MAX][32];
	char params[REQ_PARAMS_MAX][REQ_PARAM_SIZE];
};

/* The value of a query argument / header (case-insensitive) / path
 * parameter, or NULL. */
const char *req_query(const struct req *r, const char *name);
const char *req_header(const struct req *r, const char *name);
const char *req_param(const struct req *r, const char *name);

/* Whether the client has closed its connection (or reset it) while the
 * request is being answered: a handler running something long stops then.
 * A client that only half-closes (shuts down its sending side) counts as
 * gone too. False when the request came from no connection. */
bool req_client_gone(const struct req *r);

/* Where a streamed response writes; write returns 0, or -1 once the
 * client has gone (the producer may stop early). client_gone says, while
 * the producer works between writes, whether the client has closed its
 * connection (as req_client_gone); NULL (a test's sink): never. */
struct resp_sink {
	int (*write)(struct resp_sink *sink, const void *data, size_t n);
	void *arg;
	bool (*client_gone)(struct resp_sink *sink);
};

/* What a handler answers. */
struct resp {
	int status;
	char content_type[96];
	struct strbuf body;                 /* owned */
	const unsigned char *static_body;   /* or bytes that outlive the process's requests */
	size_t static_len;
	struct http_kv *headers;            /* owned names and values */
	size_t nheaders, alloc_headers;
	const char *route;                  /* the route that answered (static), for logs and metrics */
	/* A streamed body: stream() runs on a thread of its own and writes to
	 * the sink; stream_free(arg) runs once after it, whatever happened. */
	int (*stream)(void *arg, struct resp_sink *sink);
	void (*stream_free)(void *arg);
	void *stream_arg;
};

void resp_init(struct resp *r);
/* Frees the body and headers; if a stream was set up but never run, calls
 * its stream_free. */
void resp_release(struct resp *r);
/* Add a header (copied). */
void resp_header(struct resp *r, const char *name, const char *value);
/* A JSON body (the reference is stolen) with the status. */
void resp_json(struct resp *r, int status, struct json_t *body);
/* A text body of the given content type. */
void resp_text(struct resp *r, int status, const char *content_type, const char *text, size_t len);
/* {"error": {"code": code, "message": ...}} with the status; returns -1
 * so that handlers can `return resp_error(...)`. */
int resp_error(struct resp *r, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same with "field": the request field at fault. */
int resp_field_error(struct resp *r, int status, const char *code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A streamed body (chunked); stream and stream_free as in struct resp. */
void resp_stream(struct resp *r, int status, const char *content_type,
		 int (*stream)(void *arg, struct resp_sink *sink), void (*stream_free)(void *arg), void *arg);

/* The application behind a server. */
struct http_app {
	void *arg;
	/* How much body a request may have (bytes), whether it goes to a file
	 * (uploads) instead of memory, and the route it is for (static, or
	 * NULL), for a response made before the application sees the request
	 * (413). Called once the headers are in. */
	uint64_t (*body_limit)(void *arg, const char *method, const char *path, bool *to_file, const char **route);
	/* Answer the request (always fills resp). */
	void (*handle)(void *arg, struct req *req, struct resp *resp);
	/* After the response went out (or the client left: status 0). */
	void (*done)(void *arg, const char *method, const char *path, const char *route, int status,
		     double seconds);
	/* Whether to take the request at all, once its headers are in and
	 * before any of its body is read: 0 to go on (it may set
	 * req->restricted), or -1 with resp filled to answer at once (401,
	 * 429, a CORS preflight). route as body_limit found it. May be NULL. */
	int (*admit)(void *arg, struct req *req, const char *route, struct resp *resp);
	/* Every response just before it goes out, the adapter's own (413)
	 * included: a chance to add headers that depend on the request
	 * (CORS). req has no body here. May be NULL. */
	void (*decorate)(void *arg, const struct req *req, struct resp *resp);
};

struct http_config {
	int listen_fd;              /* bound and listening; the server owns it from now on */
	bool ipv6;
	unsigned connection_limit;  /* 0: 256 */
	unsigned idle_timeout;      /* seconds a connection may sit idle, a request half sent included; 0: 120 */
	unsigned head_timeout;      /* seconds for a whole request head, however it trickles in (headwatch.h); 0: 30 */
	unsigned per_address_limit; /* connections at once from one peer address; 0: no limit */
	const char *upload_dir;     /* a folder the server owns, for uploads */
	/* The reverse proxy's address: requests from it are taken to come
	 * from the last address of their X-Forwarded-For (req.client); from
	 * anyone else that header is ignored. NULL: no proxy is trusted. */
	const char *trusted_proxy;
	/* TLS (https): the certificate chain and the private key as PEM
	 * text, both or neither (tls.h checks them first); borrowed until
	 * http_server_start returns. NULL: plain HTTP. */
	const char *tls_cert, *tls_key;
	const struct http_kv *headers; /* added to every response */
	size_t nheaders;
	struct http_app app;
};

struct http_server;

/* Bind and listen on host:port (port 0: any free one). *bound_port says
 * which. A port in use fails with status ERR_DATABASE and says so. */
int http_listen(const char *host, int port, int *fd, int *bound_port, bool *ipv6, struct err *e);
/* True when host names a loopback address (127.0.0.0/8, ::1, localhost). */
bool http_host_is_loopback(const char *host);

/* Whether this libmicrohttpd was built with TLS (GnuTLS). */
bool http_tls_supported(void);

/* Start serving on cfg->listen_fd; *out is the caller's until
 * http_server_stop(). */
int http_server_start(struct http_server **out, const struct http_config *cfg, struct err *e);
/* Stop accepting connections; requests in flight and open connections go
 * on, and their responses say "Connection: close" from now on. */
void http_server_quiesce(struct http_server *s);
/* Wait until no request is in flight, at most timeout seconds; returns the
 * number still in flight. */
int http_server_drain(struct http_server *s, double timeout_seconds);
/* Close every connection and free the server. */
void http_server_stop(struct http_server *s);

#endif
