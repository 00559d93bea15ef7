/*
 * analysis: the window and the money chart shared by the bill analyses.
 * See analysis.h.
 */
#include "analysis.h"

#include "date.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

int analysis_window_read(const struct insight_request *req, json_t *result, struct analysis_window *w, struct err *e)
{
	memset(w, 0, sizeof(*w));
	struct table t;
	table_init(&t);
	if (insight_query(req, result, &t, e, "SELECT min(usage_date), max(usage_date) FROM costs") < 0) {
		table_release(&t);
		return -1;
	}
	const struct cell *first = t.nrows ? table_at(&t, 0, 0) : NULL;
	const struct cell *last = t.nrows ? table_at(&t, 0, 1) : NULL;
	int first_day, last_day;
	bool have = first && last && first->kind == CELL_DATE && last->kind == CELL_DATE &&
		    date_parse(first->v.s, &first_day) && date_parse(last->v.s, &last_day);
	table_release(&t);
	if (!have)
		return err_set_code(e, ERR_NO_DATA, "no cost data is loaded (run 'finq load FILE' first)");
	w->data_first_day = first_day;
	if (req->scope.range_defaulted) {
		w->end_day = date_month_start(last_day + 1);
		w->start_day = date_add_months(w->end_day, -1);
		if (w->start_day < first_day) /* less than a month of data: all of it */
			w->start_day = first_day, w->end_day = last_day + 1;
	} else {
		w->start_day = req->scope.range.start_day;
		w->end_day = req->scope.range.end_day;
	}
	w->last_day = w->end_day - 1 < last_day ? w->end_day - 1 : last_day;
	date_format(w->start_day, w->start, sizeof(w->start));
	date_format(w->end_day, w->end, sizeof(w->end));
	char end_incl[11], data_first[11], data_last[11];
	date_format(w->end_day - 1, end_incl, sizeof(end_incl));
	snprintf(w->label, sizeof(w->label), "%s to %s", w->start, end_incl);
	if (w->last_day < w->start_day || w->end_day <= first_day) {
		date_format(first_day, data_first, sizeof(data_first));
		date_format(last_day, data_last, sizeof(data_last));
		return err_set_code(e, ERR_NO_DATA, "no cost data between %s and %s (the data covers %s to %s)", w->start, end_incl,
			       data_first, data_last);
	}
	date_format(w->last_day, w->last, sizeof(w->last));
	int months = 0;
	for (int d = w->start_day; d < w->end_day && date_month_start(d) == d; d = date_add_months(d, 1))
		if (date_add_months(d, 1) <= w->end_day)
			months++;
	bool whole = date_month_start(w->start_day) == w->start_day && date_month_start(w->end_day) == w->end_day;
	w->months = whole && months > 0 ? months : (w->end_day - w->start_day) / 30.4375;
	return 0;
}

json_t *analysis_money_chart(const char *type, const char *title, const char *dataset_label, const char *currency,
			     const char *const *labels, const double *values, size_t n)
{
	json_t *fmt = json_pack("{s:s, s:s}", "format", "currency", "currency", currency ? currency : "USD");
	json_t *jl = json_array(), *jv = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(jl, json_string(labels[i]));
		json_array_append_new(jv, json_real(values[i]));
	}
	json_t *plugins = json_pack("{s:{s:b, s:s}, s:O}", "title", "display", 1, "text", title, "tooltip", fmt);
	json_t *options = json_pack("{s:o}", "plugins", plugins);
	if (strcmp(type, "bar") == 0)
		json_object_set_new(options, "scales",
				    json_pack("{s:{s:b, s:O}}", "y", "beginAtZero", 1, "ticks", fmt));
	else
		json_object_set_new(plugins, "legend", json_pack("{s:s}", "position", "right"));
	json_t *chart = json_pack("{s:s, s:s, s:{s:o, s:[{s:s, s:o}]}, s:o}", "type", type, "title", title, "data",
				  "labels", jl, "datasets", "label", dataset_label, "data", jv, "options", options);
	json_decref(fmt);
	return chart;
}

void analysis_add_scope(const struct insight_request *req, struct strbuf *sql)
{
	if (!req->scope.nfilters)
		return;
	strbuf_addstr(sql, " AND (");
	insight_scope_sql(req, sql);
	strbuf_addstr(sql, ")");
}
