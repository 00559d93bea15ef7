/*
 * pool: the server's data, its slots, the answer cache, loads. See
 * pool.h.
 *
 * Locks, always taken in this order: data_lock (rwlock) before pool_lock;
 * cache_lock and stat_lock are leaves. Invariant: a slot's DuckDB half
 * (db, ctx) is touched only by a holder that also holds data_lock for
 * reading, or by a load holding it for writing; its state handle only by
 * its holder.
 *
 * db.h opens a database with one connection and has no call for a second
 * one on the same database, so each slot's struct db is filled here by
 * hand: the shared handle (borrowed, never closed through the slot) and a
 * connection of its own from duckdb_connect().
 */
#include "pool.h"
#include "ask.h"
#include "conversation.h"
#include "engine.h"
#include "engines.h"
#include "info.h"
#include "insight.h"
#include "load.h"
#include "parse.h"
#include "sandbox.h"
#include "sniff.h"
#include "sqlgen.h"
#include "state.h"
#include "summary.h"
#include "strbuf.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Measured with bench/serve.sh on 2 cores: 1 slot 206 requests/s, 2: 367,
 * 4: 406, 8: 427; a slot costs ~0.3 MB on the sample data. */
#define POOL_MIN_SLOTS 4

struct pool_slot {
	struct db db;           /* handle borrowed from pool.db, connection its own */
	bool connected;
	struct ask_context ctx;
	bool ctx_ready;
	struct state *state;
	bool busy;
	bool holds_data;        /* taken with the data lock */
};

struct cache_entry {
	uint64_t hash;
	char *key;              /* "v<version>|<plan JSON>" */
	json_t *answer;
	uint64_t used;          /* tick of the last use: the smallest goes first */
};

struct pool {
	char *db_path;
	char *memory_limit;
	char *engine; /* --engine: the cost data is there (engines.h); NULL: db_path */
	double statement_timeout;
	size_t max_statement_bytes, max_result_bytes; /* 0: the sandbox's defaults */
	int duckdb_threads;

	pthread_rwlock_t data_lock;
	struct db db;           /* sandboxed; its handle is shared by the slots */
	bool db_open;
	bool have_data;

	pthread_mutex_t pool_lock;
	pthread_cond_t pool_free;
	struct pool_slot *slots;
	size_t nslots;

	pthread_mutex_t cache_lock;
	struct cache_entry *cache;
	size_t cache_n, cache_max;
	uint64_t tick, hits, misses;
	json_t *summary;        /* for (summary_version, summary_today) */
	uint64_t summary_version;
	int summary_today;

	pthread_mutex_t stat_lock; /* what /health and /metrics read without the data lock */
	bool broken, stat_have_data;
	int loading;            /* loads running or waiting for the data */
	int64_t rows;
	uint64_t version;
	uint64_t answers[OUTCOME_COUNT];

	pthread_mutex_t health_lock;
	struct state *health_state;
};

const char *pool_outcome_name(enum pool_outcome o)
{
	static const char *const names[OUTCOME_COUNT] = {
		[OUTCOME_ANSWERED] = STATE_OUTCOME_ANSWERED,
		[OUTCOME_CLARIFIED] = STATE_OUTCOME_CLARIFIED,
		[OUTCOME_REFUSED] = STATE_OUTCOME_REFUSED,
		[OUTCOME_FAILED] = STATE_OUTCOME_FAILED,
	};
	return (unsigned)o < OUTCOME_COUNT ? names[o] : "unknown";
}

static enum pool_outcome outcome_from_name(const char *name)
{
	for (int o = 0; o < OUTCOME_COUNT; o++)
		if (name && strcmp(name, pool_outcome_name((enum pool_outcome)o)) == 0)
			return (enum pool_outcome)o;
	return OUTCOME_ANSWERED;
}

/* ---- the answer cache ---------------------------------------------------- */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The key of a plan at the current data version (the caller holds the
 * data lock, so the version cannot move); the caller frees it. */
static char *cache_key(struct pool *en, const json_t *plan)
{
	char *text = json_dumps(plan, JSON_COMPACT | JSON_SORT_KEYS);
	pthread_mutex_lock(&en->stat_lock);
	uint64_t version = en->version;
	pthread_mutex_unlock(&en->stat_lock);
	char *key = xasprintf("v%llu|%s", (unsigned long long)version, text ? text : "");
	free(text);
	return key;
}

/* A copy of the cached answer for key, or NULL; counts the hit or miss. */
static json_t *cache_get(struct pool *en, const char *key)
{
	uint64_t h = fnv1a(key);
	json_t *found = NULL;
	pthread_mutex_lock(&en->cache_lock);
	for (size_t i = 0; i < en->cache_n; i++) {
		struct cache_entry *c = &en->cache[i];
		if (c->hash == h && strcmp(c->key, key) == 0) {
			c->used = ++en->tick;
			found = json_deep_copy(c->answer);
			break;
		}
	}
	if (found)
		en->hits++;
	else
		en->misses++;
	pthread_mutex_unlock(&en->cache_lock);
	return found;
}

/* Keep a copy of answer under key, evicting the least recently used. */
static void cache_put(struct pool *en, const char *key, const json_t *answer)
{
	if (en->cache_max == 0 || json_array_size(json_object_get(answer, "rows")) > POOL_CACHE_ROWS_MAX)
		return;
	json_t *copy = json_deep_copy(answer);
	json_object_del(copy, "conversation_id");
	json_object_del(copy, "message_id");
	uint64_t h = fnv1a(key);
	pthread_mutex_lock(&en->cache_lock);
	struct cache_entry *slot = NULL;
	for (size_t i = 0; i < en->cache_n && !slot; i++)
		if (en->cache[i].hash == h && strcmp(en->cache[i].key, key) == 0)
			slot = &en->cache[i];
	if (!slot && en->cache_n < en->cache_max) {
		slot = &en->cache[en->cache_n++];
		memset(slot, 0, sizeof(*slot));
	}
	if (!slot) {
		slot = &en->cache[0];
		for (size_t i = 1; i < en->cache_n; i++)
			if (en->cache[i].used < slot->used)
				slot = &en->cache[i];
	}
	free(slot->key);
	json_decref(slot->answer);
	slot->hash = h;
	slot->key = xstrdup(key);
	slot->answer = copy;
	slot->used = ++en->tick;
	pthread_mutex_unlock(&en->cache_lock);
}

/* Drop every cached answer and the summary (after a load). */
static void cache_clear(struct pool *en)
{
	pthread_mutex_lock(&en->cache_lock);
	for (size_t i = 0; i < en->cache_n; i++) {
		free(en->cache[i].key);
		json_decref(en->cache[i].answer);
	}
	en->cache_n = 0;
	json_decref(en->summary);
	en->summary = NULL;
	pthread_mutex_unlock(&en->cache_lock);
}

/* ---- slots and the data -------------------------------------------------- */

static void slot_close_data(struct pool_slot *s)
{
	if (s->ctx_ready)
		ask_context_release(&s->ctx);
	s->ctx_ready = false;
	if (s->db.engine && s->db.engine->close)
		s->db.engine->close(s->db.engine_state);
	if (s->connected)
		duckdb_disconnect(&s->db.con);
	s->connected = false;
	memset(&s->db, 0, sizeof(s->db));
}

/* Connect the slot to the open database and build its vocabulary. */
static int slot_open_data(struct pool *en, struct pool_slot *s, struct err *e)
{
	memset(&s->db, 0, sizeof(s->db));
	s->db.handle = en->db.handle;
	s->db.read_only = true;
	if (duckdb_connect(en->db.handle, &s->db.con) == DuckDBError)
		return err_set_code(e, ERR_DATABASE, "cannot connect to database '%s'", en->db_path);
	s->connected = true;
	/* each slot its own engine handle: requests run in parallel */
	if (en->engine && engines_attach(&s->db, en->engine, e))
		goto fail;
	if (ask_context_init(&s->ctx, &s->db, e))
		goto fail;
	s->ctx_ready = true;
	s->ctx.timeout_seconds = en->statement_timeout;
	s->ctx.max_text_bytes = en->max_statement_bytes;
	s->ctx.max_result_bytes = en->max_result_bytes;
	s->ctx.state = s->state; /* the knowledge base, for the analyses */
	if (conversation_add_aliases(s->state, &s->ctx, e))
		goto fail;
	/* sorted and with its synonyms before the first question */
	ask_context_ready(&s->ctx);
	return 0;
fail:
	slot_close_data(s);
	return err_recode(e, e->code ? e->code : ERR_DATABASE);
}

static void data_close(struct pool *en)
{
	for (size_t i = 0; i < en->nslots; i++)
		slot_close_data(&en->slots[i]);
	if (en->db_open)
		db_close(&en->db);
	en->db_open = false;
	en->have_data = false;
}

/* Open the database sandboxed (if it exists) and the slots on it; with no
 * file or no rows, the pool has no data but is fine. Holds the data
 * lock for writing, or runs before any request. */
static int data_open(struct pool *en, struct err *e)
{
	struct stat st;
	int64_t rows = 0;
	en->have_data = false;
	if (en->engine || stat(en->db_path, &st) == 0) {
		if (en->engine ? engines_open(&en->db, en->engine, en->memory_limit, en->duckdb_threads, e)
			       : sandbox_open(&en->db, en->db_path, en->memory_limit, en->duckdb_threads, e))
			return -1;
		en->db_open = true;
		struct err ignored = { 0 };
		if (db_query_int(&en->db, "SELECT count(*) FROM costs", &rows, &ignored))
			rows = 0;
	}
	if (rows > 0) {
		for (size_t i = 0; i < en->nslots; i++)
			if (slot_open_data(en, &en->slots[i], e)) {
				data_close(en);
				return -1;
			}
		en->have_data = true;
	}
	pthread_mutex_lock(&en->stat_lock);
	en->stat_have_data = en->have_data;
	en->rows = rows;
	pthread_mutex_unlock(&en->stat_lock);
	return 0;
}

int pool_open(struct pool **out, const struct pool_config *cfg, struct err *e)
{
	struct pool *en = xcalloc(1, sizeof(*en));
	pthread_rwlockattr_t attr;
	pthread_rwlockattr_init(&attr);
	/* a load must not wait forever behind a stream of questions */
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&en->data_lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	pthread_mutex_init(&en->pool_lock, NULL);
	pthread_cond_init(&en->pool_free, NULL);
	pthread_mutex_init(&en->cache_lock, NULL);
	pthread_mutex_init(&en->stat_lock, NULL);
	pthread_mutex_init(&en->health_lock, NULL);
	en->db_path = xstrdup(cfg->db_path);
	en->memory_limit = cfg->memory_limit ? xstrdup(cfg->memory_limit) : NULL;
	en->engine = cfg->engine ? xstrdup(cfg->engine) : NULL;
	en->duckdb_threads = cfg->duckdb_threads;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	en->nslots = cfg->slots > 0 ? (size_t)cfg->slots
				    : (size_t)(2 * cpus > POOL_MIN_SLOTS ? 2 * cpus : POOL_MIN_SLOTS);
	en->slots = xcalloc(en->nslots, sizeof(*en->slots));
	en->cache_max = cfg->cache_entries ? cfg->cache_entries : POOL_CACHE_DEFAULT;
	en->statement_timeout = cfg->statement_timeout > 0 ? cfg->statement_timeout : SANDBOX_DEFAULT_TIMEOUT;
	en->max_statement_bytes = cfg->max_statement_bytes;
	en->max_result_bytes = cfg->max_result_bytes;
	en->cache = xcalloc(en->cache_max, sizeof(*en->cache));
	*out = NULL;

	char *state_path = state_path_for(en->db_path);
	int rc = state_open(&en->health_state, state_path, e);
	for (size_t i = 0; i < en->nslots && rc == 0; i++)
		rc = state_open(&en->slots[i].state, state_path, e);
	free(state_path);
	if (rc) {
		err_recode(e, ERR_DATABASE);
		pool_close(en);
		return -1;
	}
	if (data_open(en, e)) {
		pool_close(en);
		return err_recode(e, e->code ? e->code : ERR_DATABASE);
	}
	en->version = en->have_data ? 1 : 0;
	*out = en;
	return 0;
}

void pool_close(struct pool *en)
{
	if (!en)
		return;
	data_close(en);
	for (size_t i = 0; i < en->nslots; i++)
		state_close(en->slots[i].state);
	state_close(en->health_state);
	cache_clear(en);
	free(en->cache);
	free(en->slots);
	free(en->db_path);
	free(en->engine);
	free(en->memory_limit);
	pthread_rwlock_destroy(&en->data_lock);
	pthread_mutex_destroy(&en->pool_lock);
	pthread_cond_destroy(&en->pool_free);
	pthread_mutex_destroy(&en->cache_lock);
	pthread_mutex_destroy(&en->stat_lock);
	pthread_mutex_destroy(&en->health_lock);
	free(en);
}

const char *pool_db_path(const struct pool *en)
{
	return en->db_path;
}

void pool_status(struct pool *en, struct pool_status *out)
{
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&en->stat_lock);
	out->pool_ok = !en->broken;
	out->data_loaded = en->stat_have_data;
	out->loading = en->loading > 0;
	out->rows = en->rows;
	out->data_version = en->version;
	memcpy(out->answers, en->answers, sizeof(out->answers));
	pthread_mutex_unlock(&en->stat_lock);
	pthread_mutex_lock(&en->cache_lock);
	out->cache_hits = en->hits;
	out->cache_misses = en->misses;
	out->cache_entries = en->cache_n;
	pthread_mutex_unlock(&en->cache_lock);
}

bool pool_state_ok(struct pool *en)
{
	bool exists = false, ok;
	struct err e = { 0 };
	pthread_mutex_lock(&en->health_lock);
	ok = state_conversation_exists(en->health_state, "00000000000000000000000000000000", &exists, &e) == 0;
	pthread_mutex_unlock(&en->health_lock);
	return ok;
}

int pool_acquire(struct pool *en, bool need_data, struct pool_slot **out, struct err *e)
{
	*out = NULL;
	if (need_data) {
		pthread_rwlock_rdlock(&en->data_lock);
		if (!en->have_data) {
			pthread_rwlock_unlock(&en->data_lock);
			return err_set_code(e, ERR_NO_DATA,
					    "no cost data is loaded yet: upload a billing export first (POST /api/v1/data)");
		}
	}
	struct pool_slot *s = NULL;
	pthread_mutex_lock(&en->pool_lock);
	for (;;) {
		for (size_t i = 0; i < en->nslots && !s; i++)
			if (!en->slots[i].busy)
				s = &en->slots[i];
		if (s)
			break;
		pthread_cond_wait(&en->pool_free, &en->pool_lock);
	}
	s->busy = true;
	s->holds_data = need_data;
	pthread_mutex_unlock(&en->pool_lock);
	*out = s;
	return 0;
}

void pool_release(struct pool *en, struct pool_slot *s)
{
	if (!s)
		return;
	bool held = s->holds_data;
	pthread_mutex_lock(&en->pool_lock);
	s->busy = false;
	s->holds_data = false;
	pthread_cond_signal(&en->pool_free);
	pthread_mutex_unlock(&en->pool_lock);
	if (held)
		pthread_rwlock_unlock(&en->data_lock);
}

struct state *pool_slot_state(struct pool_slot *s)
{
	return s->state;
}

/* ---- questions ----------------------------------------------------------- */

static void count_outcome(struct pool *en, enum pool_outcome o)
{
	pthread_mutex_lock(&en->stat_lock);
	en->answers[o]++;
	pthread_mutex_unlock(&en->stat_lock);
}

/* What a question through the server adds to a turn: the answer cache,
 * the outcome counts and the stream's events. */
struct chat_turn {
	struct pool *en;
	const struct pool_events *ev;
	char *key; /* the plan's cache key, once looked up */
};

static json_t *chat_cached(void *arg, const json_t *plan)
{
	struct chat_turn *t = arg;
	t->key = cache_key(t->en, plan);
	return cache_get(t->en, t->key);
}

static void chat_keep(void *arg, const json_t *plan, const json_t *answer)
{
	(void)plan;
	struct chat_turn *t = arg;
	cache_put(t->en, t->key, answer);
}

static void chat_outcome(void *arg, const char *outcome)
{
	struct chat_turn *t = arg;
	count_outcome(t->en, outcome_from_name(outcome));
}

static void chat_understood(void *arg, const json_t *plan, const char *interpretation)
{
	struct chat_turn *t = arg;
	t->ev->understood(t->ev->arg, plan, interpretation);
}

static void chat_sql(void *arg, const char *sql)
{
	struct chat_turn *t = arg;
	t->ev->sql(t->ev->arg, sql);
}

static void chat_rows(void *arg, const json_t *columns, const json_t *rows)
{
	struct chat_turn *t = arg;
	t->ev->rows(t->ev->arg, columns, rows);
}

int pool_chat(struct pool *en, const struct pool_question *q, const struct pool_events *ev,
		json_t **answer, struct err *e)
{
	struct pool_slot *s;
	*answer = NULL;
	if (pool_acquire(en, true, &s, e))
		return -1;
	char conv[STATE_ID_SIZE];
	struct ask_previous prev;
	struct chat_turn turn = { en, ev, NULL };
	struct conversation_hooks hooks = {
		.arg = &turn,
		.understood = ev && ev->understood ? chat_understood : NULL,
		.sql = ev && ev->sql ? chat_sql : NULL,
		.rows = ev && ev->rows ? chat_rows : NULL,
		.cached = chat_cached,
		.keep = chat_keep,
		.outcome = chat_outcome,
	};
	int rc = conversation_begin(s->state, q->conversation_id, true, conv, &prev, e);
	s->ctx.cancelled = q->cancelled;
	s->ctx.cancel_arg = q->cancel_arg;
	if (rc == 0)
		rc = conversation_turn(&s->ctx, s->state, conv, q->text, q->today, &prev, &hooks, answer, e);
	/* A new conversation whose first turn failed (a result past
	 * --max-result, a time limit, a client gone) goes with it: the error
	 * names no conversation, so nobody could see, own or continue it, and
	 * it would be left without its owner, holding only the failed turn. */
	if (rc && !q->conversation_id && conv[0]) {
		struct err ignored = { 0 };
		state_conversation_delete(s->state, conv, &ignored);
	}
	s->ctx.cancelled = NULL;
	s->ctx.cancel_arg = NULL;
	pool_release(en, s);
	free(turn.key);
	return rc;
}

int pool_insight(struct pool *en, const struct pool_insight_query *q, json_t **out, struct err *e)
{
	struct pool_slot *s;
	*out = NULL;
	const struct insight *in = insight_find(q->name);
	if (!in)
		return err_set_code(e, ERR_FAILED, "no analysis '%s' in this build (GET /api/v1/insights lists them)",
				    q->name);
	if (pool_acquire(en, true, &s, e))
		return -1;
	const char *words = q->words ? q->words : "";
	json_t *query = json_pack("{s:s, s:s, s:i, s:i, s:b, s:i}", "insight", in->name, "words", words, "today",
				  q->today, "months", q->months, "backtest", q->backtest, "limit", q->limit);
	char *key = cache_key(en, query);
	json_decref(query);
	int rc = 0;
	if (!(*out = cache_get(en, key))) {
		struct insight_request req;
		ask_insight_request(&s->ctx, q->today, words, &req);
		req.months = q->months;
		req.backtest = q->backtest;
		req.limit = q->limit;
		req.cancelled = q->cancelled;
		req.cancel_arg = q->cancel_arg;
		if (in->run(&req, out, e)) {
			/* Nothing to analyse for the request (no such resource, no
			 * data in the range) is the thing asked for not being there:
			 * ERR_FAILED, the API's 404. Failures the analysis did not
			 * classify are the engine's. */
			rc = err_recode(e, e->code == ERR_NO_DATA ? ERR_FAILED : e->code ? e->code : ERR_DATABASE);
			*out = NULL;
		} else {
			cache_put(en, key, *out);
		}
	}
	free(key);
	pool_release(en, s);
	return rc;
}

int pool_plan(struct pool *en, const struct pool_question *q, json_t **out, struct err *e)
{
	struct pool_slot *s;
	*out = NULL;
	if (pool_acquire(en, true, &s, e))
		return -1;
	char conv[STATE_ID_SIZE];
	struct ask_previous prev;
	int rc = -1;
	if (conversation_begin(s->state, q->conversation_id, false, conv, &prev, e))
		goto out;
	struct parse_result parsed;
	ask_read(&s->ctx, q->text, q->today, &prev, &parsed);
	char interpretation[1024];
	ask_interpretation(&parsed, interpretation, sizeof(interpretation));
	struct strbuf sql;
	strbuf_init(&sql, 0);
	bool runs = sqlgen_build_on(&parsed.plan, s->ctx.dialect, s->ctx.summaries, &sql) == 0;
	*out = json_pack("{s:o, s:s, s:o, s:b, s:s, s:o}", "plan", plan_to_json(&parsed.plan), "interpretation",
			 interpretation, "sql", runs ? json_string(sql.buf) : json_null(), "followup",
			 parsed.followup, "status", parse_status_name(parsed.status), "reading",
			 ask_reading_json(&parsed));
	strbuf_release(&sql);
	rc = 0;
out:
	pool_release(en, s);
	return rc;
}

int pool_sql(struct pool *en, const char *sql, size_t max_rows, bool (*cancelled)(void *arg), void *cancel_arg,
	     json_t **out, struct err *e)
{
	struct pool_slot *s;
	*out = NULL;
	if (pool_acquire(en, true, &s, e))
		return -1;
	struct sandbox_limits limits = { .max_rows = max_rows, .timeout_seconds = en->statement_timeout,
					 .max_text_bytes = en->max_statement_bytes,
					 .max_result_bytes = en->max_result_bytes,
					 .cancelled = cancelled, .cancel_arg = cancel_arg };
	struct table t;
	table_init(&t);
	int rc = sandbox_query(&s->db, sql, &limits, &t, e);
	if (rc == 0)
		*out = table_to_json(&t);
	else if (!e->code)
		e->code = ERR_REFUSED;
	table_release(&t);
	pool_release(en, s);
	return rc;
}

/*
 * The summary's service_names (info_service_names) and
 * service_names_unread: the codes whose name the parser does not read
 * back as that service ("AWS Support (Business)"), so that the web UI
 * keeps their code in the questions it asks while it shows the name.
 */
static int summary_add_service_names(struct ask_context *ctx, int today, json_t *summary, struct err *e)
{
	json_t *names;
	if (info_service_names(ctx->db, &names, e))
		return -1;
	json_t *unread = json_array();
	const char *code;
	json_t *name;
	struct ask_previous none = { 0 };
	struct parse_result *parsed = xmalloc(sizeof(*parsed));
	json_object_foreach(names, code, name) {
		char question[PLAN_NAME_MAX + 32];
		snprintf(question, sizeof(question), "how much did %s cost", json_string_value(name));
		ask_read(ctx, question, today, &none, parsed);
		const struct plan *p = &parsed->plan;
		bool read = parsed->status == PARSE_ANSWERED && p->nfilters == 1 &&
			    p->filters[0].col.dim == DIM_SERVICE && p->filters[0].nvalues == 1 &&
			    strcmp(p->filters[0].values[0], code) == 0;
		if (!read)
			json_array_append_new(unread, json_string(code));
	}
	free(parsed);
	json_object_set_new(summary, "service_names", names);
	json_object_set_new(summary, "service_names_unread", unread);
	return 0;
}

int pool_summary(struct pool *en, int today, json_t **out, struct err *e)
{
	struct pool_slot *s;
	*out = NULL;
	if (pool_acquire(en, true, &s, e))
		return -1;
	pthread_mutex_lock(&en->stat_lock);
	uint64_t version = en->version;
	pthread_mutex_unlock(&en->stat_lock);
	pthread_mutex_lock(&en->cache_lock);
	if (en->summary && en->summary_version == version && en->summary_today == today)
		*out = json_deep_copy(en->summary);
	pthread_mutex_unlock(&en->cache_lock);
	int rc = 0;
	if (!*out && (rc = summary_build(&s->ctx, today, out, e)) == 0 &&
	    (rc = summary_add_service_names(&s->ctx, today, *out, e)) == 0) {
		pthread_mutex_lock(&en->stat_lock);
		json_object_set_new(*out, "data_version", json_integer((json_int_t)en->version));
		pthread_mutex_unlock(&en->stat_lock);
		pthread_mutex_lock(&en->cache_lock);
		json_decref(en->summary);
		en->summary = json_deep_copy(*out);
		en->summary_version = version;
		en->summary_today = today;
		pthread_mutex_unlock(&en->cache_lock);
	} else if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	pool_release(en, s);
	return rc;
}

/* ---- loads --------------------------------------------------------------- */

/* Say name where the message says path: the client never chose the path. */
static void err_rename(struct err *e, const char *path, const char *name)
{
	struct strbuf sb;
	size_t n = strlen(path);
	strbuf_init(&sb, 0);
	for (const char *p = e->msg; *p;) {
		if (n && strncmp(p, path, n) == 0) {
			strbuf_addstr(&sb, name);
			p += n;
		} else {
			strbuf_addch(&sb, *p++);
		}
	}
	snprintf(e->msg, sizeof(e->msg), "%s", sb.buf);
	strbuf_release(&sb);
}

static const char *kind_problem(enum file_kind k)
{
	switch (k) {
	case KIND_EMPTY: return "it is empty";
	case KIND_JSON: return "it holds JSON, not rows";
	default: return "it is neither Parquet nor (gzipped) delimited text";
	}
}

int pool_load(struct pool *en, const char *path, const char *name, json_t **out, struct err *e)
{
	const char *label = name && *name ? name : "the upload";
	struct sniff sn;
	*out = NULL;
	if (en->engine)
		return err_set_code(e, ERR_USAGE, "this server reads an engine; load into it with 'finq --engine URL load'");
	/* refuse what is plainly no export before stopping the questions */
	if (sniff_file(path, &sn, e)) {
		err_rename(e, path, label);
		return err_recode(e, ERR_BAD_INPUT);
	}
	enum file_kind kind = sn.kind;
	sniff_release(&sn);
	if (kind != KIND_PARQUET && kind != KIND_TEXT)
		return err_set_code(e, ERR_BAD_INPUT, "'%s' is not a billing export: %s", label, kind_problem(kind));

	pthread_mutex_lock(&en->stat_lock);
	en->loading++;
	pthread_mutex_unlock(&en->stat_lock);
	pthread_rwlock_wrlock(&en->data_lock); /* questions in flight finish first */
	data_close(en);
	struct db w;
	struct load_options opt = { .progress = false };
	struct load_report rep;
	int rc = load_open_db(&w, en->db_path, en->memory_limit, en->duckdb_threads, e);
	if (rc == 0) {
		rc = load_paths(&w, &path, 1, &opt, &rep, e);
		db_close(&w);
		if (rc && e->code != ERR_DATABASE)
			err_recode(e, ERR_BAD_INPUT);
	}
	struct err reopen = { 0 };
	bool broken = data_open(en, &reopen) != 0;
	if (broken && rc == 0) {
		*e = reopen;
		err_recode(e, ERR_DATABASE);
		rc = -1;
	}
	if (rc == 0)
		cache_clear(en);
	pthread_mutex_lock(&en->stat_lock);
	if (rc == 0)
		en->version++;
	en->broken = broken;
	en->loading--;
	uint64_t version = en->version;
	pthread_mutex_unlock(&en->stat_lock);
	pthread_rwlock_unlock(&en->data_lock);
	if (rc) {
		err_rename(e, path, label);
		return -1;
	}
	*out = json_pack("{s:s, s:I, s:I, s:i, s:s, s:f, s:I}", "name", label, "rows", (json_int_t)rep.rows,
			 "replaced", (json_int_t)rep.replaced, "files", rep.files, "formats", rep.formats, "seconds",
			 rep.seconds, "data_version", (json_int_t)version);
	return 0;
}
