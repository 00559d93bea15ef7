/*
 * charges: which line item types are lumps (fees, taxes, RI fees, credits,
 * refunds, upfront fees, FOCUS one-time purchases) and which accrue day by
 * day, as SQL conditions on costs.charge_type. The one copy of the list:
 * sqlgen's run rate, the header's month to date (summary.c), the analyses
 * (anomaly_charges_sql, the forecast) and the answers' fee notes all read
 * it.
 *
 * Lumps come in two kinds: monthly ones recur every month (a support fee,
 * taxes, RI fees, credits), so a month whose lump is not booked yet can
 * expect the usual one; one-off ones (a refund, a Savings Plan's upfront
 * fee, a FOCUS Purchase charged One-Time, and CUR's RI upfront fee, which
 * is a Fee: charges_upfront_fee_sql) happen once, count on their charge
 * date and are not expected again.
 */
#ifndef FINQ_CHARGES_H
#define FINQ_CHARGES_H

#include "strbuf.h"

#include <stdbool.h>

/* Lumps are "on one side only" of a comparison when the side with fewer
 * has less than this share of the other's: the fee notes
 * (service/lumps.c) and the ranking of movers (sqlgen) read it. */
#define CHARGES_ONE_SIDE_SHARE 0.1

enum charges_which { CHARGES_ALL, CHARGES_MONTHLY, CHARGES_ONE_OFF };

/* Appends "coalesce(charge_type, '') [NOT ]IN ('Credit', ...)": the daily
 * charges when daily, else every lump (monthly and one-off). */
void charges_monthly_sql(struct strbuf *sql, bool daily);

/* Appends "coalesce(charge_type, '') IN (...)": the one-off lumps only. */
void charges_one_off_sql(struct strbuf *sql);

/* Appends "coalesce(charge_type, '') IN (...)": the monthly lumps only,
 * those that recur (the run rate's month of fees). */
void charges_recurring_sql(struct strbuf *sql);

/* Appends "CASE WHEN coalesce(charge_type, '') = 'Fee' THEN unblended_cost
 * - amortized_cost ELSE 0 END": of a row's unblended (or net) cost, CUR's
 * RI upfront fee. It is a Fee line with a reservation ARN, which
 * CONVENTIONS.md amortizes to 0 (every other Fee's amortized cost is its
 * unblended cost), so the difference is that fee alone, also in a
 * summary row that sums it with other fees of its day; the summaries have
 * no reservation column. A one-off lump, paid once: not a monthly fee. */
void charges_upfront_fee_sql(struct strbuf *sql);

/* The i-th charge type that is a lump (static storage), NULL past the
 * last: for a plan's charge_type filter. */
const char *charges_lump_type(size_t i);

/* Appends the lumps of a kind in words ("credits, fees, RI fees and
 * taxes"), for narratives and methods. */
void charges_words(struct strbuf *out, enum charges_which which);

#endif
