/*
 * headwatch: request-head deadlines by shutting sockets down. See
 * headwatch.h. One thread wakes twice a second and scans a list guarded
 * by one mutex; the list holds at most the server's connection limit.
 */
#include "headwatch.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct headwatch_conn {
	int fd;
	bool waiting; /* for a head */
	bool fired;   /* shut down once already */
	double since;
	struct headwatch_conn *prev, *next;
};

struct headwatch {
	double seconds;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	pthread_t thread;
	struct headwatch_conn *list;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *headwatch_main(void *arg)
{
	struct headwatch *w = arg;
	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 500000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->wake, &w->lock, &until);
		double now = now_seconds();
		for (struct headwatch_conn *c = w->list; c; c = c->next)
			if (c->waiting && !c->fired && now - c->since > w->seconds) {
				/* under the lock: the socket cannot be closed meanwhile */
				shutdown(c->fd, SHUT_RDWR);
				c->fired = true;
			}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct headwatch *headwatch_new(double seconds)
{
	struct headwatch *w = xcalloc(1, sizeof(*w));
	w->seconds = seconds;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, headwatch_main, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		free(w);
		return NULL;
	}
	return w;
}

void headwatch_free(struct headwatch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while (w->list) {
		struct headwatch_conn *c = w->list;
		w->list = c->next;
		free(c);
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w);
}

struct headwatch_conn *headwatch_add(struct headwatch *w, int fd)
{
	if (!w)
		return NULL;
	struct headwatch_conn *c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->waiting = true;
	c->since = now_seconds();
	pthread_mutex_lock(&w->lock);
	c->next = w->list;
	if (w->list)
		w->list->prev = c;
	w->list = c;
	pthread_mutex_unlock(&w->lock);
	return c;
}

void headwatch_head_in(struct headwatch *w, struct headwatch_conn *c)
{
	if (!w || !c)
		return;
	pthread_mutex_lock(&w->lock);
	c->waiting = false;
	pthread_mutex_unlock(&w->lock);
}

void headwatch_ready(struct headwatch *w, struct headwatch_conn *c)
{
	if (!w || !c)
		return;
	pthread_mutex_lock(&w->lock);
	c->waiting = true;
	c->since = now_seconds();
	pthread_mutex_unlock(&w->lock);
}

void headwatch_remove(struct headwatch *w, struct headwatch_conn *c)
{
	if (!w || !c)
		return;
	pthread_mutex_lock(&w->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		w->list = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&w->lock);
	free(c);
}
