/*
 * ratelimit: request rate limits per client, as token buckets.
 *
 * Each client (server.c names one by its API token, or by its address when
 * it sent none) has a bucket holding up to a minute's allowance of
 * requests; every request takes one, and the bucket refills at the
 * allowance per minute, continuously. An empty bucket means 429 and a
 * Retry-After of the whole seconds until the next request fits.
 *
 * The clock is passed in (seconds on a monotonic clock), so tests need no
 * sleeping. The number of buckets is bounded: when the table is full, the
 * buckets that have refilled (idle clients, indistinguishable from new
 * ones) are dropped; if none has, new clients share one overflow bucket
 * rather than grow the table. Thread-safe: one mutex around the table.
 */
#ifndef FINQ_RATELIMIT_H
#define FINQ_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>

#define RATELIMIT_KEY_MAX 80 /* bytes of a client's key that count */

struct ratelimit;

/* per_minute > 0 requests a minute per client, at most max_clients buckets
 * (0: 4096). The caller frees it with ratelimit_free(). */
struct ratelimit *ratelimit_new(unsigned per_minute, size_t max_clients);
void ratelimit_free(struct ratelimit *rl);

/* Take one request for the client key at time now: true when it may go
 * on; false when its bucket is empty, with *retry_after the seconds (at
 * least 1) until one request fits again. */
bool ratelimit_take(struct ratelimit *rl, const char *key, double now, unsigned *retry_after);

#endif
