/*
 * ratelimit: token buckets per client in a chained hash table. See
 * ratelimit.h.
 */
#include "ratelimit.h"
#include "xalloc.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATELIMIT_HEADS 1024 /* hash chains; a power of two */
#define RATELIMIT_CLIENTS_DEFAULT 4096

struct bucket {
	struct bucket *next;
	char key[RATELIMIT_KEY_MAX + 1];
	double tokens;  /* requests left, as of updated */
	double updated; /* seconds */
};

struct ratelimit {
	pthread_mutex_t lock;
	double capacity;   /* a minute's allowance */
	double per_second; /* refill rate */
	size_t max_clients, nclients;
	struct bucket *heads[RATELIMIT_HEADS];
	struct bucket overflow; /* shared by new clients while the table is full */
};

struct ratelimit *ratelimit_new(unsigned per_minute, size_t max_clients)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));
	pthread_mutex_init(&rl->lock, NULL);
	rl->capacity = per_minute;
	rl->per_second = per_minute / 60.0;
	rl->max_clients = max_clients ? max_clients : RATELIMIT_CLIENTS_DEFAULT;
	rl->overflow.tokens = rl->capacity;
	rl->overflow.updated = -INFINITY;
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	for (size_t i = 0; i < RATELIMIT_HEADS; i++)
		for (struct bucket *b = rl->heads[i], *next; b; b = next) {
			next = b->next;
			free(b);
		}
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

static size_t key_hash(const char *key)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; key[i] && i < RATELIMIT_KEY_MAX; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ULL;
	}
	return (size_t)(h & (RATELIMIT_HEADS - 1));
}

/* Bring a bucket's tokens up to now. */
static void refill(const struct ratelimit *rl, struct bucket *b, double now)
{
	if (now > b->updated) {
		b->tokens = fmin(rl->capacity, b->tokens + (now - b->updated) * rl->per_second);
		b->updated = now;
	}
}

/* Drop the buckets that have refilled: their clients start afresh anyway. */
static void sweep(struct ratelimit *rl, double now)
{
	for (size_t i = 0; i < RATELIMIT_HEADS; i++) {
		struct bucket **link = &rl->heads[i];
		while (*link) {
			struct bucket *b = *link;
			refill(rl, b, now);
			if (b->tokens >= rl->capacity) {
				*link = b->next;
				free(b);
				rl->nclients--;
			} else {
				link = &b->next;
			}
		}
	}
}

/* The bucket of key, made when new; the overflow bucket when the table is full. */
static struct bucket *bucket_of(struct ratelimit *rl, const char *key, double now)
{
	size_t h = key_hash(key);
	for (struct bucket *b = rl->heads[h]; b; b = b->next)
		if (strncmp(b->key, key, RATELIMIT_KEY_MAX) == 0)
			return b;
	if (rl->nclients >= rl->max_clients)
		sweep(rl, now);
	if (rl->nclients >= rl->max_clients)
		return &rl->overflow;
	struct bucket *b = xcalloc(1, sizeof(*b));
	snprintf(b->key, sizeof(b->key), "%s", key);
	b->tokens = rl->capacity;
	b->updated = now;
	b->next = rl->heads[h];
	rl->heads[h] = b;
	rl->nclients++;
	return b;
}

bool ratelimit_take(struct ratelimit *rl, const char *key, double now, unsigned *retry_after)
{
	bool ok;
	pthread_mutex_lock(&rl->lock);
	struct bucket *b = bucket_of(rl, key, now);
	refill(rl, b, now);
	ok = b->tokens >= 1;
	if (ok)
		b->tokens -= 1;
	else
		*retry_after = (unsigned)fmax(1, ceil((1 - b->tokens) / rl->per_second));
	pthread_mutex_unlock(&rl->lock);
	return ok;
}
