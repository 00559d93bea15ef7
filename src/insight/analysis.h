/*
 * analysis: what the bill analyses recommend.c, architecture.c and owners.c
 * share: the window of billing data they read and a chart of money by label.
 *
 * The window is the last full calendar month of data, or the scope's range
 * when the question gave one (!scope.range_defaulted), clipped to the data.
 * "Still running" means a line on the window's last day of data.
 */
#ifndef FINQ_ANALYSIS_H
#define FINQ_ANALYSIS_H

#include "err.h"
#include "insight.h"

#include <stddef.h>

struct json_t;

struct analysis_window {
	int start_day, end_day;  /* [start, end) */
	int last_day;            /* the last day with data in the window */
	int data_first_day;      /* the first day of all loaded data */
	double months;           /* length in months: whole months, else days / 30.4375 */
	char start[11], end[11]; /* "YYYY-MM-DD" of start_day and end_day (exclusive) */
	char last[11];           /* of last_day */
	char label[64];          /* "2025-11-01 to 2025-11-30" */
};

/* Read the window for req (one query, recorded in result's "sql"). Fails with
 * a clear message when no data is loaded or the scope's range has none. */
int analysis_window_read(const struct insight_request *req, struct json_t *result, struct analysis_window *w,
			 struct err *e);

/* A Chart.js spec (answer.h's conventions): type "bar" or "doughnut", one
 * dataset of money values. labels and values are borrowed. */
struct json_t *analysis_money_chart(const char *type, const char *title, const char *dataset_label,
				    const char *currency, const char *const *labels, const double *values, size_t n);

/* Append the scope's filters as " AND (...)", or nothing without filters. */
void analysis_add_scope(const struct insight_request *req, struct strbuf *sql);

#endif
