/*
 * insight: the table of analyses and the helpers they share (the result
 * object, queries recorded as evidence, the scope as SQL and in words, the
 * terminal rendering). See insight.h for the contract.
 */
#include "insight.h"

#include "answer.h"
#include "dialect.h"
#include "sqlgen.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Sorted by name; each module defines its own descriptor. */
const struct insight *const insight_table[] = {
	&insight_anomalies,
	&insight_architecture,
	&insight_commitments,
	&insight_drivers,
	&insight_forecast,
	&insight_knowledge,
	&insight_owners,
	&insight_recommend,
	NULL,
};

const struct insight *insight_find(const char *name)
{
	for (size_t i = 0; name && insight_table[i]; i++)
		if (strcmp(insight_table[i]->name, name) == 0)
			return insight_table[i];
	return NULL;
}

void insight_request_init(struct insight_request *req)
{
	memset(req, 0, sizeof(*req));
	plan_init(&req->scope);
	req->scope.range_defaulted = true;
	req->text = "";
}

json_t *insight_result(const char *name, const char *title)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:[], s:[], s:[], s:[], s:[], s:[]}",
			 "insight", name, "title", title, "message", "", "method", "",
			 "items", "columns", "rows", "charts", "sql", "suggestions");
}

void insight_set_message(json_t *result, const char *markdown)
{
	json_object_set_new(result, "message", json_string(markdown));
}

void insight_set_method(json_t *result, const char *method)
{
	json_object_set_new(result, "method", json_string(method));
}

void insight_add_suggestion(json_t *result, const char *question)
{
	json_array_append_new(json_object_get(result, "suggestions"), json_string(question));
}

void insight_set_table(json_t *result, const struct table *t)
{
	json_t *j = table_to_json(t);
	json_object_set(result, "columns", json_object_get(j, "columns"));
	json_object_set(result, "rows", json_object_get(j, "rows"));
	json_decref(j);
}

int insight_query(const struct insight_request *req, json_t *result, struct table *out, struct err *e,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct strbuf sql = STRBUF_INIT;
	int rc = sql_expandv(req->dialect, &sql, e, fmt, ap);
	va_end(ap);
	/* a client that left stops the analysis before its next statement too,
	 * not only the one running when it went */
	if (rc == 0 && req->cancelled && req->cancelled(req->cancel_arg))
		rc = err_set_code(e, ERR_REFUSED, "statement cancelled: the client went away");
	if (rc == 0) {
		struct db_run_options opt = {
			.timeout_seconds = req->timeout_seconds,
			.max_result_bytes = req->max_result_bytes,
			.cancelled = req->cancelled,
			.cancel_arg = req->cancel_arg,
		};
		rc = db_run(req->db, sql.buf, &opt, out, e);
		/* interrupted because the client left: refused, not the engine's failure */
		if (rc && req->cancelled && req->cancelled(req->cancel_arg))
			err_recode(e, ERR_REFUSED);
	}
	if (result && sql.len)
		json_array_append_new(json_object_get(result, "sql"), json_string(sql.buf));
	strbuf_release(&sql);
	return rc;
}

const char *insight_cost_column(const struct insight_request *req)
{
	switch (req->scope.measure) {
	case MEASURE_UNBLENDED: return "unblended_cost";
	case MEASURE_NET: return "net_cost";
	case MEASURE_LIST: return "list_cost";
	case MEASURE_AMORTIZED:
	case MEASURE_USAGE:
		break;
	}
	return "amortized_cost";
}

void insight_scope_sql(const struct insight_request *req, struct strbuf *sql)
{
	sqlgen_filters(&req->scope, req->dialect, sql);
}

void insight_scope_words(const struct insight_request *req, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < req->scope.nfilters; i++) {
		const struct filter *f = &req->scope.filters[i];
		if (sb.len)
			strbuf_addstr(&sb, ", ");
		switch (f->op) {
		case FILTER_UNTAGGED: strbuf_addstr(&sb, "untagged"); continue;
		case FILTER_TAGGED: strbuf_addstr(&sb, "tagged"); continue;
		case FILTER_MISSING: strbuf_addf(&sb, "without %s", dimension_label(&f->col)); continue;
		case FILTER_PRESENT: strbuf_addf(&sb, "with a %s", dimension_label(&f->col)); continue;
		case FILTER_NOT_IN:
		case FILTER_EXCLUDE_PREFIX: strbuf_addstr(&sb, "not "); break;
		case FILTER_IN:
		case FILTER_CONTAINS:
		case FILTER_PREFIX: break;
		}
		/* A service reads as its name alone; other columns say what they are. */
		if (f->col.dim != DIM_SERVICE)
			strbuf_addf(&sb, "%s ", dimension_label(&f->col));
		for (int v = 0; v < f->nvalues; v++)
			strbuf_addf(&sb, "%s%s", v ? (v + 1 == f->nvalues ? " or " : ", ") : "", f->values[v]);
	}
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

void insight_money(const struct insight_request *req, double v, char *buf, size_t size)
{
	format_money(v, req->currency, buf, size);
}

/* Markdown for a terminal without colour: **bold** loses its stars. */
static void print_plain(const char *md, FILE *out)
{
	for (const char *p = md; *p; p++) {
		if (p[0] == '*' && p[1] == '*') {
			p++;
			continue;
		}
		fputc(*p, out);
	}
	if (*md && md[strlen(md) - 1] != '\n')
		fputc('\n', out);
}

void insight_print_text(const json_t *result, FILE *out)
{
	const char *title = json_string_value(json_object_get(result, "title"));
	const char *message = json_string_value(json_object_get(result, "message"));
	const char *method = json_string_value(json_object_get(result, "method"));
	if (title && *title)
		fprintf(out, "%s\n\n", title);
	if (message && *message) {
		print_plain(message, out);
		fputc('\n', out);
	}
	struct table t;
	table_init(&t);
	table_from_json(result, &t);
	if (t.nrows) {
		table_print(&t, TABLE_TEXT, out);
		fputc('\n', out);
	}
	table_release(&t);
	if (method && *method)
		fprintf(out, "Method: %s\n", method);
	const json_t *suggestions = json_object_get(result, "suggestions");
	if (json_array_size(suggestions)) {
		fprintf(out, "\nYou could ask:\n");
		size_t i;
		const json_t *s;
		json_array_foreach(suggestions, i, s)
			fprintf(out, "  - %s\n", json_string_value(s));
	}
}
