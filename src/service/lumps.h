/*
 * lumps: how much of each side of a comparison of two periods is lumps
 * (sql/charges.c: fees, taxes, credits, purchases, booked once rather than
 * by the day), so that "last week", which holds the 1st and its monthly
 * fees, is not read as a jump against a week without them. ask.c calls it
 * for a total with its previous period, for a comparison of two
 * periods, grouped by a dimension or not, and for a trend's first and
 * last buckets; answer/narrate.c writes what it
 * finds (struct answer_lumps, struct answer_item_lumps).
 * It runs one statement of its own, the plan's measure and filters per day
 * of both periods, on the context's sandboxed connection; it does not
 * narrate.
 */
#ifndef FINQ_LUMPS_H
#define FINQ_LUMPS_H

#include "answer.h"
#include "ask.h"
#include "plan.h"

/*
 * Fill out (zeroed first) for plan p's measure and filters over the
 * periods earlier and later: out->one_sided when the lumps differ by at
 * least 1% of the larger total and the side with fewer has less than a
 * tenth of the other's. A plan whose filters pick charge types ("taxes
 * last week"), or that measures usage, is left alone (the user chose what
 * to count); one that excludes some keeps excluding them. Returns
 * 0; -1 when a query failed (out stays zeroed: no note is better than a
 * wrong one).
 */
int lumps_compare(struct ask_context *ctx, const struct plan *p, const struct period *earlier,
		  const struct period *later, struct answer_lumps *out);

/*
 * The same for a comparison grouped by a dimension (plan p's periods[0]
 * and [1], INTENT_COMPARE_PERIODS or INTENT_MOVERS), whose result is
 * answer (the label in column 0, a column per period named by its
 * label): *out gets a new array (the caller frees it) of the items with
 * lumps, each one_sided when its change is mostly lumps on one side only
 * (at least half of it, and lumps_compare's rule on the item's totals);
 * overall (zeroed first) the same as lumps_compare's for the items shown
 * together. Nothing for usage, two groupings or a plan that picks charge
 * types. Returns 0; -1 when a query failed or was cut short (no notes).
 */
int lumps_compare_items(struct ask_context *ctx, const struct plan *p, const struct table *answer,
			struct answer_lumps *overall, struct answer_item_lumps **out, size_t *nout);

/*
 * The same for a trend (INTENT_TREND, grouped or not), from its answer's
 * "period" and measure columns, with one statement: out->lumps for the
 * change it says it "went from" its first bucket with cost to its last
 * (lumps_compare's rule), so that a last week holding the 1st's fees is
 * not read as growth; and out->peak_is_lumps, peak_day and peak_lumps
 * when its peak bucket is its lumps: without them the next bucket is
 * higher ("the peak was $10,818.66 on 2025-11-01", $9,042.86 of it the
 * 1st's fees; not by month or longer, where every bucket holds its 1st).
 * Nothing for usage, a trend cut to some buckets (a top N, a threshold)
 * or one that picks charge types. Returns 0; -1 when the statement failed
 * (no notes).
 */
int lumps_series(struct ask_context *ctx, const struct plan *p, const struct table *answer, struct answer_context *out);

#endif
