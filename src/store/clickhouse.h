/*
 * clickhouse: one ClickHouse server's HTTP interface, spoken with libcurl.
 *
 * A `clickhouse://HOST:PORT/DATABASE?cluster=NAME` address is parsed once
 * (clickhouse_url_parse); requests go to http://HOST:PORT/ as one of two
 * users: the reader (questions; the server holds it read-only with its own
 * time, memory and result limits) and the writer (loads). The statement is
 * the request body, or for an INSERT the URL's query= and the rows the body.
 * A reply other than 200 is the server's error text, which becomes the err.
 * engine_clickhouse.c runs questions through it, load/load_clickhouse.c
 * loads; neither speaks HTTP itself. It knows nothing of finq's tables.
 */
#ifndef FINQ_CLICKHOUSE_H
#define FINQ_CLICKHOUSE_H

#include "err.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stdio.h>

/* The users scripts/cluster.sh makes; USER@ (or ?user=) and ?writer= name
 * others. */
#define CLICKHOUSE_READER "finq_reader"
#define CLICKHOUSE_WRITER "finq_writer"

struct clickhouse_url {
	char *host;     /* 127.0.0.1 */
	int port;       /* the HTTP port */
	char *database; /* finq */
	char *cluster;  /* the remote_servers name the Distributed table spans */
	char *reader;   /* user for questions */
	char *writer;   /* user for loads */
	char *reader_password; /* NULL: none */
	char *writer_password; /* NULL: none */
};

/*
 * Parse url: clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE?cluster=NAME
 * [&user=READER][&writer=WRITER]. USER is the reader (as ?user=; not
 * both). PASSWORD is percent-decoded. Where the address has none, the
 * reader's password is $FINQ_CLICKHOUSE_PASSWORD, or the first line of
 * the file $FINQ_CLICKHOUSE_PASSWORD_FILE names; the writer's
 * $FINQ_CLICKHOUSE_WRITER_PASSWORD or _FILE, else the reader's when they
 * are one user. Messages show the address with its password as "***".
 * On failure e names what is wrong. Release with _release.
 */
int clickhouse_url_parse(struct clickhouse_url *u, const char *url, struct err *e);
void clickhouse_url_release(struct clickhouse_url *u);

/* What one request may take and when to give up. */
struct clickhouse_limits {
	double timeout_seconds; /* 0: none */
	size_t max_reply_bytes; /* 0: no cap; past it the request fails */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
};

/*
 * POST sql to http://host:port/ as user, in database (NULL: the server's
 * default), and put the reply's body in *reply (appended). With a
 * password (NULL or "": none) the user and password go as HTTP Basic
 * authentication, never in the URL (ClickHouse logs request URLs); a
 * refused login fails with ERR_USAGE saying where the password comes
 * from. body, when not
 * NULL, is streamed as the request body and sql goes in the URL (an INSERT's
 * rows). Returns 0, or -1 with e holding the server's error, a connection
 * failure, the time limit or the cancellation.
 */
int clickhouse_post(const char *host, int port, const char *user, const char *password, const char *database,
		    const char *sql, FILE *body, const struct clickhouse_limits *lim, struct strbuf *reply,
		    struct err *e);

#endif
