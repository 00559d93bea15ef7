/*
 * athena_internal: the client's fields, shared by athena_client.c (the
 * address, credentials, signed calls, relations) and engine_athena.c (a
 * statement's run). Nothing outside those two files includes it.
 */
#ifndef FINQ_ATHENA_INTERNAL_H
#define FINQ_ATHENA_INTERNAL_H

#include "engine_athena.h"

struct athena_relation {
	char *name;
	char *sql; /* "name (cols) AS (SELECT ...)" as it goes after WITH */
	athena_prune_fn prune; /* NULL: never narrowed */
	char *layout;          /* prune's first argument */
};

struct athena_client {
	struct athena_target target;
	char *access_key_id, *secret_access_key, *session_token;
	char *host; /* of the endpoint, for the Host header */
	athena_transport_fn transport;
	void *transport_arg;
	/* NULL: the real clock (time() to sign, CLOCK_MONOTONIC for limits)
	 * and nanosleep; tests set both to a fake clock */
	double (*now)(void *arg);
	void (*sleep_ms)(void *arg, int ms);
	void *clock_arg;
	struct athena_relation *relations;
	size_t nrelations;
	/* the running statement's time limit on athena_elapsed_clock (0:
	 * none): no single call may outlast it, nor a retry start after it */
	double deadline;
};

/* Seconds on the client's clock: monotonic for time limits, or the fake. */
double athena_elapsed_clock(struct athena_client *c);
void athena_sleep(struct athena_client *c, int ms);

#endif
