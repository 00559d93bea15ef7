/*
 * narration: one narrative being written, and the phrases narrate.c and
 * fee_notes.c both write with it. Private to those two files (nothing
 * else in src/answer/ includes it); answer_narrate() in answer.h is the
 * way in.
 */
#ifndef FINQ_NARRATION_H
#define FINQ_NARRATION_H

#include "answer_parts.h"

#include <stddef.h>

struct narration {
	const struct plan *p;
	const struct table *t;
	const struct answer_context *ctx;
	struct strbuf *md;
	struct cols c;
	struct fmt f;
	char when[200]; /* "in November 2025 (2025-11-01 to 2025-11-30)" */
};

/* ---- phrases (narrate.c) ---- */

/* "$1,234.00": a value as the answer formats it. */
void narration_value(struct narration *n, double v);
/* **$1,234.00**: a value in bold, without the compact form. */
void narration_bold_money(struct narration *n, double v);
/* "up $2,614.34 (4.2%) from $62,583.43 in October 2025"; without the
 * amount: "up 4.2% from ...". */
void narration_change(struct narration *n, double now, double before, bool amount, const char *before_when);
/* The group's label of a row in bold, with the account's name. */
void narration_item(struct narration *n, size_t row);
/* The change of a row of a grouped comparison, with the table's change
 * and percentage: "up $436.03 (+27.0%), from $1,615.35 to $2,051.38". */
void narration_item_change(struct narration *n, size_t row);
/* "up $1,234.00 (+12.0%), from $10,000.00 to $11,234.00": a change from a
 * to b computed by the caller ("without them"). */
void narration_change_between(struct narration *n, double a, double b);

/* ---- the fee notes (fee_notes.c) ---- */

/* A comparison whose lumps are on one side only (ctx->lumps): the fees
 * with their amount and days, and the change without them. now and
 * before are the two totals, before_when names the earlier period as
 * narration_change() wants it. Nothing otherwise. */
void fee_note_compare(struct narration *n, double now, double before, const char *before_when);
/* Whether fee_note_compare() has something to say. */
bool fee_note_compare_applies(const struct narration *n);
/* A trend's peak that is its lumps (ctx->peak_is_lumps), the bucket
 * starting on peak ("2025-11-01"): "; **$9,042.86** of it is fees charged
 * on 2025-11-01 (booked once, not by the day)". */
void fee_note_peak(struct narration *n, const char *peak);
/* A run rate's one-off lumps, in its total and left out of the rate. */
void fee_note_one_off(struct narration *n);
/* A grouped comparison's items whose change is mostly lumps on one side
 * (ctx->item_lumps): the three with the largest lumps named, the rest
 * counted. */
void fee_note_items(struct narration *n);
/* Movers rank by the change without fees booked on one side only (sqlgen's
 * change_without_fees): *change gets a row's, true when the table has
 * them. */
bool fee_ranked_change(const struct narration *n, size_t row, double *change);
/* A mover whose fees on one side only make its change differ: "up $11.03
 * without its fees booked on one side only (with them up $436.03 (+27.0%),
 * from $1,615.35 to $2,051.38)"; false (and nothing written) otherwise. */
bool fee_note_ranked_change(struct narration *n, size_t row);
/* " Ranked by the change without fees booked on one side only." when that
 * ranking differs from the change of any row shown. */
void fee_note_ranking(struct narration *n);

#endif
