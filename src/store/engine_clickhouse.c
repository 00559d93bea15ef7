/*
 * engine_clickhouse: finq's questions on a ClickHouse cluster (engine.h).
 *
 * run() sends one statement, written in the clickhouse dialect
 * (sql/dialect_clickhouse.c), as the read-only user over HTTP with
 * FORMAT JSONCompact, and turns the reply into a `struct table`: the
 * column kinds come from the types ClickHouse declares (Float64 money stays
 * the same double DuckDB gives, Date stays a date, arrays become JSON).
 * The server enforces read-only, its time, memory and result limits
 * (scripts/cluster.sh's reader profile); finq adds the caller's row cap,
 * time limit, byte cap and cancellation on its side of the wire. A shard
 * that is down fails the Distributed read on the server
 * (skip_unavailable_shards is off), and the error says so.
 * Loads do not come through here: load/load_clickhouse.c.
 */
#include "engine_clickhouse.h"

#include "clickhouse.h"
#include "engine.h"
#include "xalloc.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct clickhouse_engine {
	struct clickhouse_url url;
};

/* A declared ClickHouse type to the kind of cell it fills; the wrappers
 * Nullable(...) and LowCardinality(...) are taken off first. First match
 * by prefix wins. */
static const struct {
	const char *prefix;
	enum cell_kind kind;
} type_kinds[] = {
	{ "Int", CELL_INT },      { "UInt", CELL_INT },   { "Float", CELL_REAL }, { "Decimal", CELL_REAL },
	{ "DateTime", CELL_TEXT }, { "Date", CELL_DATE }, { "Array", CELL_JSON }, { "Tuple", CELL_JSON },
	{ "Nothing", CELL_NULL },
};

static const char *unwrap_type(const char *t)
{
	static const char *const wrappers[] = { "Nullable(", "LowCardinality(" };
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++)
			if (strncmp(t, wrappers[i], strlen(wrappers[i])) == 0) {
				t += strlen(wrappers[i]);
				again = true;
			}
	}
	return t;
}

static enum cell_kind kind_of_type(const char *type)
{
	const char *t = unwrap_type(type);
	for (size_t i = 0; i < sizeof(type_kinds) / sizeof(type_kinds[0]); i++)
		if (strncmp(t, type_kinds[i].prefix, strlen(type_kinds[i].prefix)) == 0)
			return type_kinds[i].kind;
	return CELL_TEXT;
}

/* One JSON value of a column of kind k into a cell. 64-bit integers come
 * quoted (ClickHouse's default, which a read-only user cannot change). */
static void fill_cell(struct cell *c, enum cell_kind k, const json_t *v)
{
	if (!v || json_is_null(v))
		return;
	switch (k) {
	case CELL_INT: {
		const char *s = json_is_string(v) ? json_string_value(v) : NULL;
		char *end = NULL;
		if (json_is_integer(v)) {
			c->kind = CELL_INT;
			c->v.i = json_integer_value(v);
		} else if (s) {
			long long i = strtoll(s, &end, 10);
			if (end && !*end && !(i == LLONG_MAX && strcmp(s, "9223372036854775807") != 0)) {
				c->kind = CELL_INT;
				c->v.i = i;
			} else { /* a UInt64 past INT64_MAX */
				c->kind = CELL_REAL;
				c->v.r = strtod(s, NULL);
			}
		} else if (json_is_real(v)) {
			c->kind = CELL_REAL;
			c->v.r = json_real_value(v);
		}
		return;
	}
	case CELL_REAL:
		c->kind = CELL_REAL;
		c->v.r = json_is_string(v) ? strtod(json_string_value(v), NULL) : json_number_value(v);
		return;
	case CELL_JSON: {
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		c->kind = CELL_JSON;
		c->v.s = text ? xstrdup(text) : xstrdup("null");
		free(text);
		return;
	}
	default:
		if (json_is_string(v)) {
			c->kind = k == CELL_DATE ? CELL_DATE : CELL_TEXT;
			c->v.s = xstrdup(json_string_value(v));
		} else {
			char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
			c->kind = CELL_TEXT;
			c->v.s = xstrdup(text ? text : "");
			free(text);
		}
		return;
	}
}

/* The JSONCompact reply {"meta": [{name, type}], "data": [[...]]} into out. */
static int reply_to_table(const char *reply, size_t max_rows, struct table *out, struct err *e)
{
	json_error_t jerr;
	json_t *root = json_loads(reply, JSON_DECODE_ANY, &jerr);
	json_t *meta = json_object_get(root, "meta"), *data = json_object_get(root, "data");
	if (!json_is_array(meta) || !json_is_array(data)) {
		/* an exception after the reply began comes as text inside it */
		const char *ex = strstr(reply, "DB::Exception: ");
		if (ex)
			err_set_code(e, ERR_DATABASE, "clickhouse: %.*s", (int)strcspn(ex + 15, "\n"), ex + 15);
		else
			err_set_code(e, ERR_DATABASE, "clickhouse: a reply finq cannot read: %s", jerr.text);
		json_decref(root);
		return -1;
	}
	size_t ncols = json_array_size(meta);
	const char **names = xcalloc(ncols + 1, sizeof(*names));
	enum cell_kind *kinds = xcalloc(ncols + 1, sizeof(*kinds));
	for (size_t c = 0; c < ncols; c++) {
		json_t *m = json_array_get(meta, c);
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *type = json_string_value(json_object_get(m, "type"));
		names[c] = name ? name : "";
		kinds[c] = kind_of_type(type ? type : "String");
	}
	table_set_columns(out, ncols, names, kinds);
	for (size_t r = 0; r < json_array_size(data); r++) {
		if (max_rows && out->nrows >= max_rows) {
			out->truncated = true;
			break;
		}
		json_t *row = json_array_get(data, r);
		struct cell *cells = table_add_row(out);
		for (size_t c = 0; c < ncols; c++)
			fill_cell(&cells[c], kinds[c], json_array_get(row, c));
	}
	free(names);
	free(kinds);
	json_decref(root);
	return 0;
}

/* The statement without its trailing semicolons and blanks, with the
 * reply format finq reads. */
static char *with_format(const char *sql)
{
	size_t n = strlen(sql);
	while (n && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n' || sql[n - 1] == '\t' ||
		     sql[n - 1] == '\r'))
		n--;
	return xasprintf("%.*s\nFORMAT JSONCompact", (int)n, sql);
}

/* "All connection tries failed" and its kin: say which engine and why. */
static int clarify(int rc, struct err *e)
{
	static const char *const shard_down[] = { "All connection tries failed", "Connection refused",
						  "NETWORK_ERROR", "Timeout exceeded while reading from socket" };
	if (rc == 0)
		return 0;
	for (size_t i = 0; i < sizeof(shard_down) / sizeof(shard_down[0]); i++)
		if (strstr(e->msg, shard_down[i]))
			return err_prefix(e, "a shard of the ClickHouse cluster is unavailable, so there is no complete "
					     "answer");
	return rc;
}

static int clickhouse_run(void *state, const char *sql, const struct db_run_options *opt, struct table *out,
			  struct err *e)
{
	struct clickhouse_engine *ch = state;
	struct clickhouse_limits lim = {
		.timeout_seconds = opt ? opt->timeout_seconds : 0,
		.max_reply_bytes = opt ? opt->max_result_bytes : 0,
		.cancelled = opt ? opt->cancelled : NULL,
		.cancel_arg = opt ? opt->cancel_arg : NULL,
	};
	char *query = with_format(sql);
	struct strbuf reply = STRBUF_INIT;
	int rc = clickhouse_post(ch->url.host, ch->url.port, ch->url.reader, ch->url.reader_password, ch->url.database,
				 query, NULL, &lim, &reply, e);
	if (rc == 0)
		rc = reply_to_table(reply.buf, opt ? opt->max_rows : 0, out, e);
	free(query);
	strbuf_release(&reply);
	if (getenv("FINQ_TRACE_SQL") && strcmp(getenv("FINQ_TRACE_SQL"), "0") != 0)
		fprintf(stderr, "-- clickhouse%s\n%s\n", rc ? " (failed)" : "", sql);
	return clarify(rc, e);
}

static void clickhouse_close(void *state)
{
	struct clickhouse_engine *ch = state;
	clickhouse_url_release(&ch->url);
	free(ch);
}

static const struct db_engine clickhouse_engine = {
	.name = "clickhouse",
	.run = clickhouse_run,
	.close = clickhouse_close,
};

int engine_clickhouse_attach(struct db *db, const char *url, struct err *e)
{
	struct clickhouse_engine *ch = xcalloc(1, sizeof(*ch));
	if (clickhouse_url_parse(&ch->url, url, e)) {
		free(ch);
		return -1;
	}
	db_attach_engine(db, &clickhouse_engine, ch);
	return 0;
}
