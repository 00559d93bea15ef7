/*
 * athena_script.h: what the Athena tests share (test_athena.c,
 * test_athena_ask.c): the recorded answers of tests/data/athena, a
 * scripted transport that answers each call from a list of steps or a
 * callback and keeps what the client sent, a fake clock, and a client
 * with test credentials wired to them. Nothing here reaches AWS.
 */
#ifndef FINQ_TESTS_ATHENA_SCRIPT_H
#define FINQ_TESTS_ATHENA_SCRIPT_H

#include "unit.h"

#include "engine_athena.h"
#include "xalloc.h"

#include <jansson.h>

#define ATHENA_DATA TEST_DATA_DIR "/athena"

static inline char *read_data(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", ATHENA_DATA, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s", path);
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb);
}

/* ---- a scripted transport and a fake clock ---- */

struct step {
	const char *action; /* the X-Amz-Target it expects */
	long status;
	const char *file;   /* the answer; NULL: answered by the callback */
};

struct sent {
	double timeout; /* the transport's timeout for the call */
	char action[64];
	char *body;
	char *headers; /* all of them, one a line */
	char *url;
};

struct script {
	const struct step *steps;
	size_t nsteps, next;
	/* a step past the last repeats it, when repeat_last */
	bool repeat_last;
	struct sent sent[1024];
	size_t nsent;
	double clock; /* seconds, advanced by sleeps */
	int slept_ms;
	bool cancel;
	/* answers by the statement's text (the ask test) */
	char *(*answer)(const char *action, json_t *body);
};

static inline int scripted(void *arg, const struct athena_http_request *req, struct athena_http_response *resp,
		    struct err *e)
{
	struct script *s = arg;
	(void)e;
	const char *target = NULL;
	struct strbuf all = STRBUF_INIT;
	for (size_t i = 0; i < req->nheaders; i++) {
		strbuf_addf(&all, "%s\n", req->headers[i]);
		if (strncmp(req->headers[i], "X-Amz-Target: AmazonAthena.", 27) == 0)
			target = req->headers[i] + 27;
	}
	assert_non_null(target);
	assert_true(s->nsent < 1024);
	struct sent *out = &s->sent[s->nsent++];
	snprintf(out->action, sizeof(out->action), "%s", target);
	out->timeout = req->timeout_seconds;
	out->body = xstrndup(req->body, req->body_len);
	out->headers = strbuf_detach(&all);
	out->url = xstrdup(req->url);
	if (s->answer) {
		json_t *body = json_loads(out->body, 0, NULL);
		char *text = s->answer(target, body);
		json_decref(body);
		resp->status = 200;
		strbuf_addstr(&resp->body, text);
		free(text);
		return 0;
	}
	size_t i = s->next < s->nsteps ? s->next++ : s->nsteps - 1;
	if (!s->repeat_last && i != s->next - 1)
		fail_msg("call %zu (%s) is past the script", s->nsent, target);
	const struct step *st = &s->steps[i];
	if (strcmp(st->action, target) != 0)
		fail_msg("call %zu: expected %s, the client sent %s", s->nsent, st->action, target);
	resp->status = st->status;
	char *text = read_data(st->file);
	strbuf_addstr(&resp->body, text);
	free(text);
	return 0;
}

static inline double fake_now(void *arg)
{
	/* 2025-12-01T09:00:00Z, then as the sleeps go */
	return 1764579600.0 + ((struct script *)arg)->clock;
}

static inline void fake_sleep(void *arg, int ms)
{
	struct script *s = arg;
	s->clock += ms / 1000.0;
	s->slept_ms += ms;
}

static inline void release_script(struct script *s)
{
	for (size_t i = 0; i < s->nsent; i++) {
		free(s->sent[i].body);
		free(s->sent[i].headers);
		free(s->sent[i].url);
	}
}

static inline void set_env_credentials(void)
{
	setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 1);
	setenv("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN", 1);
	unsetenv("AWS_PROFILE");
}

static const char test_url[] = "athena://finq-wg/cur/cur_hourly?region=eu-west-1&output=s3://example-results/finq/";

static inline struct athena_client *scripted_client(struct script *s)
{
	set_env_credentials();
	struct err e = { 0 };
	struct athena_client *c = athena_client_new(test_url, &e);
	if (!c)
		fail_msg("%s", e.msg);
	athena_client_set_transport(c, scripted, s);
	athena_client_set_clock(c, fake_now, fake_sleep, s);
	return c;
}

static inline void open_memory(struct db *db)
{
	struct db_config cfg = { 0 };
	struct err e = { 0 };
	assert_int_equal(db_open(db, &cfg, &e), 0);
}

#endif
