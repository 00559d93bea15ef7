/*
 * err: the message of the last recoverable error.
 *
 * Functions that can fail return 0 on success and -1 on failure, after
 * err_set() has written a lowercase message naming the subject, e.g.
 * "unknown column 'foo' in file 'x.csv' line 12". The caller decides whether
 * to print it, wrap it (err_prefix) or send it over HTTP.
 */
#ifndef FINQ_ERR_H
#define FINQ_ERR_H

#define ERR_MSG_MAX 2048

struct err {
	char msg[ERR_MSG_MAX];
	int code; /* an exit-code class, see enum exit_code in cli.h; 0: unset */
};

/* Always returns -1 so that `return err_set(e, ...)` reads naturally. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int err_set_code(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Keep the message, set the exit-code class; returns -1. */
int err_recode(struct err *e, int code);
/* Put "prefix: " in front of the current message. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);

#endif
