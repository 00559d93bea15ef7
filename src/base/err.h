/*
 * err: the message of the last recoverable error.
 *
 * Functions that can fail return 0 on success and -1 on failure, after
 * err_set() has written a lowercase message naming the subject, e.g.
 * "unknown column 'foo' in file 'x.csv' line 12". The caller decides whether
 * to print it, wrap it (err_prefix) or send it over HTTP.
 *
 * An error also carries a status, the kind of failure, so that each front
 * end can answer in its own terms without parsing the message: the CLI
 * maps a status to an exit code (cli.h), the HTTP API to a status code
 * (api.c). Library code speaks in statuses only; exit codes are the CLI's.
 */
#ifndef FINQ_ERR_H
#define FINQ_ERR_H

#define ERR_MSG_MAX 2048

/* The kinds of failure. ERR_OK is also "unset": a caller that gets an
 * error without a status supplies its own default. */
enum err_status {
	ERR_OK = 0,
	ERR_FAILED,    /* an unexpected failure, or a thing that does not exist */
	ERR_USAGE,     /* a bad argument or request */
	ERR_BAD_INPUT, /* a file could not be read or understood; nothing was loaded */
	ERR_DATABASE,  /* the database or the state file could not be opened or written */
	ERR_REFUSED,   /* a query refused by the sandbox, or it timed out */
	ERR_NO_DATA,   /* no cost data yet, or none for what an analysis was asked */
	ERR_TOO_LARGE, /* a statement or its result past a size cap (the sandbox's limits) */
};

struct err {
	char msg[ERR_MSG_MAX];
	enum err_status code; /* ERR_OK: unset */
};

/* Always returns -1 so that `return err_set(e, ...)` reads naturally. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int err_set_code(struct err *e, enum err_status code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Keep the message, set the status; returns -1. */
int err_recode(struct err *e, enum err_status code);
/* Put "prefix: " in front of the current message. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);

#endif
