/*
 * engine_athena: one statement's run on Athena (engine.h's run()), with
 * the client of athena_client.c. See engine_athena.h.
 *
 * StartQueryExecution (with the client's WITH entries in front, a fresh
 * ClientRequestToken so a retried start never runs twice, the workgroup,
 * the catalog and database, and the output location when given), then
 * GetQueryExecution every 0.1 s growing to 2 s until SUCCEEDED, FAILED or
 * CANCELLED, then GetQueryResults 1,000 rows a page following NextToken.
 * Past the time limit, or when the caller cancels, StopQueryExecution is
 * sent and the run fails as DuckDB's does (db_guard_fail). The first row
 * of a SELECT's first page repeats the column labels (Athena does that);
 * it is skipped. Cells take their kind from the column's Athena type;
 * a missing VarCharValue is NULL.
 */
#include "athena_internal.h"

#include "engine.h"
#include "xalloc.h"

#include <ctype.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { PAGE_ROWS = 1000, FIRST_POLL_MS = 100, MAX_POLL_MS = 2000 };

/* Athena's result types and the cells they become (by prefix:
 * "decimal(12,2)", "array(varchar)"). */
static const struct {
	const char *type;
	enum cell_kind kind;
} result_kinds[] = {
	{ "bigint", CELL_INT }, { "boolean", CELL_BOOL }, { "date", CELL_DATE }, { "decimal", CELL_REAL },
	{ "double", CELL_REAL }, { "float", CELL_REAL }, { "int", CELL_INT }, { "integer", CELL_INT },
	{ "real", CELL_REAL }, { "smallint", CELL_INT }, { "tinyint", CELL_INT },
};

static enum cell_kind kind_of(const char *type)
{
	for (size_t i = 0; type && i < sizeof(result_kinds) / sizeof(result_kinds[0]); i++) {
		size_t n = strlen(result_kinds[i].type);
		if (strncasecmp(type, result_kinds[i].type, n) == 0 && (type[n] == '\0' || type[n] == '('))
			return result_kinds[i].kind;
	}
	return CELL_TEXT; /* varchar, char, timestamp, time, array, map, row, json, varbinary */
}

static void set_cell(struct cell *c, enum cell_kind kind, const char *text)
{
	if (!text)
		return;
	char *end;
	switch (kind) {
	case CELL_INT:
		c->v.i = strtoll(text, &end, 10);
		c->kind = *end ? CELL_TEXT : CELL_INT;
		break;
	case CELL_REAL:
		c->v.r = strtod(text, &end);
		c->kind = *end ? CELL_TEXT : CELL_REAL;
		break;
	case CELL_BOOL:
		c->kind = CELL_BOOL;
		c->v.b = strcmp(text, "true") == 0;
		return;
	case CELL_DATE:
		c->kind = CELL_DATE;
		c->v.s = xstrdup(text);
		return;
	default:
		break;
	}
	if (kind != CELL_INT && kind != CELL_REAL)
		cell_set_text(c, text);
	else if (c->kind == CELL_TEXT)
		c->v.s = xstrdup(text); /* a number Athena spelled otherwise ("NaN") stays as written */
}

/* 32 random bytes as hex: Athena takes 32 to 128 characters. */
static void request_token(char out[65])
{
	unsigned char bytes[32] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, bytes, sizeof(bytes)) != (ssize_t)sizeof(bytes)) {
		/* never the same twice in one process, at least */
		static unsigned long counter;
		snprintf((char *)bytes, sizeof(bytes), "%ld-%lu-%d", (long)time(NULL), ++counter, (int)getpid());
	}
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static int start_query(struct athena_client *c, const char *statement, char **id, struct err *e)
{
	char token[65];
	request_token(token);
	json_t *body = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "ClientRequestToken", token, "QueryString", statement,
				 "WorkGroup", c->target.workgroup, "QueryExecutionContext", "Catalog", c->target.catalog,
				 "Database", c->target.database);
	if (c->target.output)
		json_object_set_new(body, "ResultConfiguration", json_pack("{s:s}", "OutputLocation", c->target.output));
	json_t *answer;
	int rc = athena_call(c, "StartQueryExecution", body, &answer, e);
	json_decref(body);
	if (rc)
		return -1;
	const char *qid = json_string_value(json_object_get(answer, "QueryExecutionId"));
	if (!qid)
		rc = err_set_code(e, ERR_DATABASE, "athena StartQueryExecution: no QueryExecutionId in the answer");
	else
		*id = xstrdup(qid);
	json_decref(answer);
	return rc;
}

static void stop_query(struct athena_client *c, const char *id)
{
	json_t *body = json_pack("{s:s}", "QueryExecutionId", id), *answer = NULL;
	struct err ignored = { 0 };
	athena_call(c, "StopQueryExecution", body, &answer, &ignored);
	json_decref(answer);
	json_decref(body);
}

/* Why the caller wants the run to end now, if it does. */
static enum db_guard_verdict verdict(struct athena_client *c, const struct db_run_options *opt, double started)
{
	if (opt && opt->cancelled && opt->cancelled(opt->cancel_arg))
		return DB_GUARD_CANCELLED;
	if (opt && opt->timeout_seconds > 0 && athena_elapsed_clock(c) - started > opt->timeout_seconds)
		return DB_GUARD_TIMED_OUT;
	return DB_GUARD_QUIET;
}

/* Poll until the query ends; 0 when it SUCCEEDED. */
static int wait_for(struct athena_client *c, const char *id, const struct db_run_options *opt, double started,
		    struct err *e)
{
	int wait_ms = FIRST_POLL_MS;
	for (;;) {
		json_t *body = json_pack("{s:s}", "QueryExecutionId", id), *answer;
		int rc = athena_call(c, "GetQueryExecution", body, &answer, e);
		json_decref(body);
		if (rc)
			return -1;
		json_t *status = json_object_get(json_object_get(answer, "QueryExecution"), "Status");
		const char *state = json_string_value(json_object_get(status, "State"));
		const char *reason = json_string_value(json_object_get(status, "StateChangeReason"));
		if (!reason)
			reason = json_string_value(json_object_get(json_object_get(status, "AthenaError"), "ErrorMessage"));
		if (!state)
			rc = err_set_code(e, ERR_DATABASE, "athena GetQueryExecution: no state for query %s", id);
		else if (strcmp(state, "SUCCEEDED") == 0)
			rc = 1;
		else if (strcmp(state, "FAILED") == 0)
			rc = err_set_code(e, ERR_FAILED, "athena query %s failed: %s", id, reason ? reason : "no reason given");
		else if (strcmp(state, "CANCELLED") == 0)
			rc = err_set_code(e, ERR_FAILED, "athena query %s was cancelled: %s", id,
					  reason ? reason : "by someone else");
		json_decref(answer);
		if (rc)
			return rc > 0 ? 0 : -1;
		/* QUEUED or RUNNING (a transient error can put it back in the queue) */
		enum db_guard_verdict v = verdict(c, opt, started);
		if (v != DB_GUARD_QUIET) {
			stop_query(c, id);
			db_guard_fail(v, opt->timeout_seconds, e);
			return err_recode(e, ERR_REFUSED);
		}
		athena_sleep(c, wait_ms);
		wait_ms = wait_ms * 2 > MAX_POLL_MS ? MAX_POLL_MS : wait_ms * 2;
	}
}

/* The columns from the first page's metadata. */
static void set_columns(json_t *info, struct table *out)
{
	size_t n = json_array_size(info);
	const char **names = xcalloc(n + 1, sizeof(*names));
	enum cell_kind *kinds = xcalloc(n + 1, sizeof(*kinds));
	for (size_t i = 0; i < n; i++) {
		json_t *col = json_array_get(info, i);
		names[i] = json_string_value(json_object_get(col, "Label"));
		if (!names[i])
			names[i] = json_string_value(json_object_get(col, "Name"));
		if (!names[i])
			names[i] = "?";
		kinds[i] = kind_of(json_string_value(json_object_get(col, "Type")));
	}
	table_set_columns(out, n, names, kinds);
	free(names);
	free(kinds);
}

/* Whether a row repeats the column labels (a SELECT's first row). */
static bool is_label_row(json_t *data, const struct table *out)
{
	if (json_array_size(data) != out->ncols)
		return false;
	for (size_t i = 0; i < out->ncols; i++) {
		const char *v = json_string_value(json_object_get(json_array_get(data, i), "VarCharValue"));
		if (!v || strcmp(v, out->names[i]) != 0)
			return false;
	}
	return true;
}

static int read_results(struct athena_client *c, const char *id, const struct db_run_options *opt, double started,
			struct table *out, struct err *e)
{
	char *next = NULL;
	size_t bytes = 0;
	bool first = true;
	int rc = 0;
	do {
		json_t *body = json_pack("{s:s, s:i}", "QueryExecutionId", id, "MaxResults", PAGE_ROWS), *answer;
		if (next)
			json_object_set_new(body, "NextToken", json_string(next));
		rc = athena_call(c, "GetQueryResults", body, &answer, e);
		json_decref(body);
		free(next);
		next = NULL;
		if (rc)
			break;
		json_t *set = json_object_get(answer, "ResultSet");
		if (first)
			set_columns(json_object_get(json_object_get(set, "ResultSetMetadata"), "ColumnInfo"), out);
		json_t *rows = json_object_get(set, "Rows"), *row;
		size_t r;
		json_array_foreach(rows, r, row) {
			json_t *data = json_object_get(row, "Data");
			if (first && r == 0 && is_label_row(data, out))
				continue;
			if (opt && opt->max_rows && out->nrows >= opt->max_rows) {
				out->truncated = true;
				break;
			}
			struct cell *cells = table_add_row(out);
			for (size_t k = 0; k < out->ncols && k < json_array_size(data); k++) {
				const char *v = json_string_value(json_object_get(json_array_get(data, k), "VarCharValue"));
				set_cell(&cells[k], out->kinds[k], v);
				bytes += v ? strlen(v) + 1 : 1;
			}
		}
		const char *token = json_string_value(json_object_get(answer, "NextToken"));
		if (token && !out->truncated)
			next = xstrdup(token);
		json_decref(answer);
		first = false;
		if (opt && opt->max_result_bytes && bytes > opt->max_result_bytes) {
			rc = err_set_code(e, ERR_REFUSED, DB_RESULT_TOO_LARGE, (double)opt->max_result_bytes / (1 << 20));
			break;
		}
		enum db_guard_verdict v = next ? verdict(c, opt, started) : DB_GUARD_QUIET;
		if (v != DB_GUARD_QUIET) {
			db_guard_fail(v, opt->timeout_seconds, e);
			rc = err_recode(e, ERR_REFUSED);
			break;
		}
	} while (next);
	free(next);
	return rc;
}

/* The statement's first word, past white space, comments and opening
 * parentheses. */
static void first_word(const char *sql, char *word, size_t size)
{
	const char *p = sql;
	for (;;) {
		while (isspace((unsigned char)*p) || *p == '(')
			p++;
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else {
			break;
		}
	}
	size_t n = 0;
	while (n + 1 < size && isalpha((unsigned char)p[n])) {
		word[n] = (char)toupper((unsigned char)p[n]);
		n++;
	}
	word[n] = '\0';
}

/*
 * Read-only on Athena is the credentials' business (an IAM policy without
 * writes, docs/engines.md), but finq refuses what it can see first: a
 * statement that does not start as a query (CREATE, DROP, INSERT, UNLOAD,
 * MSCK, ...). Athena runs one statement per call, so nothing can follow
 * a SELECT.
 */
int athena_check_read_only(const char *sql, struct err *e)
{
	static const char *const queries[] = { "SELECT", "WITH", "VALUES", "TABLE", NULL };
	char word[32];
	first_word(sql, word, sizeof(word));
	for (size_t i = 0; queries[i]; i++)
		if (strcmp(word, queries[i]) == 0)
			return 0;
	return err_set_code(e, ERR_REFUSED, "refused: only SELECT statements may run on athena, not '%s'",
			    word[0] ? word : "(nothing)");
}

int athena_client_run(struct athena_client *c, const char *sql, const struct db_run_options *opt, struct table *out,
		      struct err *e)
{
	if (athena_check_read_only(sql, e))
		return -1;
	struct strbuf statement = STRBUF_INIT;
	athena_client_statement(c, sql, &statement);
	double started = athena_elapsed_clock(c);
	c->deadline = opt && opt->timeout_seconds > 0 ? started + opt->timeout_seconds : 0;
	char *id = NULL;
	int rc = start_query(c, statement.buf, &id, e);
	if (rc == 0)
		rc = wait_for(c, id, opt, started, e);
	if (rc == 0)
		rc = read_results(c, id, opt, started, out, e);
	if (getenv("FINQ_TRACE_SQL") && strcmp(getenv("FINQ_TRACE_SQL"), "0") != 0)
		fprintf(stderr, "-- athena %s %.3f s%s\n%s\n", id ? id : "(not started)",
			athena_elapsed_clock(c) - started, rc ? " (failed)" : "", statement.buf);
	free(id);
	strbuf_release(&statement);
	c->deadline = 0;
	return rc;
}

static int athena_run(void *state, const char *sql, const struct db_run_options *opt, struct table *out,
		      struct err *e)
{
	return athena_client_run(state, sql, opt, out, e);
}

static void athena_close(void *state)
{
	athena_client_free(state);
}

const struct db_engine engine_athena = { "athena", athena_run, athena_close };

void engine_athena_attach_client(struct db *db, struct athena_client *c)
{
	db_attach_engine(db, &engine_athena, c);
}
