/*
 * headwatch: a deadline for the whole head of a request. libmicrohttpd
 * times a connection out only when it is silent (--timeout): a client
 * that sends one header byte every few seconds (slowloris) holds a
 * connection, and a thread, for as long as it likes. headwatch notes when
 * each connection became ready for a request head (accepted, or its last
 * request answered) and, once the head has taken longer than the
 * deadline, shuts the socket down; libmicrohttpd then sees the end of the
 * stream and closes the connection as it would any other.
 *
 * Knows sockets, not HTTP: http.c calls headwatch_add when a connection
 * starts, headwatch_head_in when a request's head is complete,
 * headwatch_ready when the request is done, and headwatch_remove before
 * the socket is closed (libmicrohttpd's "closed" notification comes
 * before close(), so no descriptor is shut down after reuse).
 */
#ifndef FINQ_HEADWATCH_H
#define FINQ_HEADWATCH_H

struct headwatch;
struct headwatch_conn;

/* A watcher with its own thread; seconds > 0. NULL when the thread
 * cannot start (there is then no deadline, only the idle timeout). */
struct headwatch *headwatch_new(double seconds);
/* Stop the thread and free the watcher; connections still listed are
 * left alone. NULL is fine. */
void headwatch_free(struct headwatch *w);

/* Watch the socket fd, waiting for a head from now; the handle is the
 * watcher's until headwatch_remove. NULL w: returns NULL. */
struct headwatch_conn *headwatch_add(struct headwatch *w, int fd);
/* The head is in: no deadline until headwatch_ready. NULL c is fine. */
void headwatch_head_in(struct headwatch *w, struct headwatch_conn *c);
/* The request is done: the next head is due within the deadline from now. */
void headwatch_ready(struct headwatch *w, struct headwatch_conn *c);
/* Forget the connection (frees c). */
void headwatch_remove(struct headwatch *w, struct headwatch_conn *c);

#endif
