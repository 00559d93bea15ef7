/*
 * charges: which line item types are booked once a month (fees, taxes, RI
 * fees, credits, refunds, upfront fees: the lumps on the 1st) and which
 * accrue day by day, as a SQL condition on costs.charge_type. The one copy
 * of the list: sqlgen's run rate, the header's month to date (summary.c)
 * and the analyses (anomaly_charges_sql) all read it.
 */
#ifndef FINQ_CHARGES_H
#define FINQ_CHARGES_H

#include "strbuf.h"

#include <stdbool.h>

/* Appends "coalesce(charge_type, '') [NOT ]IN ('Credit', ...)": the daily
 * charges when daily, else the monthly ones. */
void charges_monthly_sql(struct strbuf *sql, bool daily);

#endif
