/*
 * err: formatting of recoverable error messages. See err.h.
 *
 * Every setter formats into a local buffer first: callers may pass the
 * current message as an argument ("%s", e->msg) to keep it while changing
 * the code or adding context, and vsnprintf must never read what it writes.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void err_vformat(struct err *e, const char *fmt, va_list ap)
{
	char tmp[ERR_MSG_MAX];
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	memcpy(e->msg, tmp, sizeof(tmp));
}

int err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vformat(e, fmt, ap);
	va_end(ap);
	return -1;
}

int err_set_code(struct err *e, enum err_status code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vformat(e, fmt, ap);
	va_end(ap);
	e->code = code;
	return -1;
}

int err_recode(struct err *e, enum err_status code)
{
	e->code = code;
	return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	char prefix[512], old[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	/* Truncation is acceptable here: a message is for people. */
	size_t n = strlen(prefix);
	if (n > sizeof(e->msg) - 3)
		n = sizeof(e->msg) - 3;
	memcpy(e->msg, prefix, n);
	memcpy(e->msg + n, ": ", 2);
	size_t room = sizeof(e->msg) - n - 3;
	size_t old_len = strnlen(old, room);
	memcpy(e->msg + n + 2, old, old_len);
	e->msg[n + 2 + old_len] = '\0';
	return -1;
}

void err_clear(struct err *e)
{
	e->msg[0] = '\0';
	e->code = 0;
}
