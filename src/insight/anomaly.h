/*
 * anomaly: `finq anomalies`, the insight that finds unusual days and level
 * shifts in the daily cost per service, per account and per service x usage
 * type, and reports each event once (anomaly.c; the maths is series.c).
 *
 * Also the one definition of "daily" cost that anomaly.c and forecast.c
 * share: line items charged as they are used, as opposed to the charges
 * booked once per billing period on its first day (fees, taxes, credits,
 * refunds), which would read as a spike on every 1st of the month.
 */
#ifndef FINQ_ANOMALY_H
#define FINQ_ANOMALY_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

struct json_t;

/* Append a SQL condition on charge_type: the daily charges (daily) or the
 * once-a-period ones (!daily). */
void anomaly_charges_sql(struct strbuf *sql, bool daily);

/* "October 2025" for any day of that month. */
void anomaly_month_label(int day, char *buf, size_t size);

/* A new Chart.js line chart (answer.h's form) whose labels are the ndays
 * dates from first_day, with money axes in currency (NULL: USD) and no
 * datasets yet; the caller owns it. */
struct json_t *anomaly_daily_chart(const char *title, const char *currency, int first_day, int ndays);
/* Append a dataset {"label", "data": values} (NaN -> null) and return it
 * (borrowed) for the caller to style. */
struct json_t *anomaly_chart_dataset(struct json_t *chart, const char *label, const double *values, int n);

#endif
