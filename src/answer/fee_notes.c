/*
 * fee_notes: what a narrative says of lumps (sql/charges.c: fees, taxes,
 * credits, purchases, booked once rather than by the day) so that a figure
 * is not read as usage: the fees on one side of a comparison and the
 * change without them, an item of a grouped comparison whose change is
 * mostly fees, a run rate's one-off charges. narrate.c calls these where
 * the figures are written; service/lumps.c finds the lumps
 * (answer_context). The one place these sentences are written.
 */
#include "narration.h"

#include "charges.h"
#include "date.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The days lumps were charged: "on 2025-11-01", "on 2 days from
 * 2025-10-01 to 2025-10-03". */
static void charged_when(const struct answer_lumps *l, char *buf, size_t size)
{
	char first[16], last[16];
	date_format(l->first_day, first, sizeof(first));
	date_format(l->last_day, last, sizeof(last));
	if (l->ndays == 1)
		snprintf(buf, size, "on %s", first);
	else
		snprintf(buf, size, "on %d days from %s to %s", l->ndays, first, last);
}

/* When the lumps of a comparison are on one side only (answer_lumps): "
 * **$8,898.03** of it is fees charged on 2025-11-01 (booked once, not by
 * the day), which the earlier period does not have; without them it is up
 * 1.1% from $13,138.75 in ...". now and before are the two totals;
 * before_when names the earlier period as narration_change() wants it. */
bool fee_note_compare_applies(const struct narration *n)
{
	return n->ctx && n->ctx->lumps.one_sided && !n->f.usage;
}

void fee_note_compare(struct narration *n, double now, double before, const char *before_when)
{
	if (!fee_note_compare_applies(n))
		return;
	const struct answer_lumps *l = &n->ctx->lumps;
	bool later = fabs(l->later) >= fabs(l->earlier);
	char when[64];
	charged_when(l, when, sizeof(when));
	double other = later ? l->earlier : l->later;
	strbuf_addch(n->md, ' ');
	if (later) {
		narration_bold_money(n, l->later);
		strbuf_addf(n->md, " of it is fees charged %s (booked once, not by the day), ", when);
	} else {
		strbuf_addstr(n->md, "The earlier period holds ");
		narration_bold_money(n, l->earlier);
		strbuf_addf(n->md, " of fees charged %s (booked once, not by the day), ", when);
	}
	if (rounds_to_zero(other)) {
		strbuf_addf(n->md, "which %s does not have", later ? "the earlier period" : "this one");
	} else {
		strbuf_addstr(n->md, "against ");
		narration_value(n, other);
		strbuf_addf(n->md, " in %s", later ? "the earlier period" : "this one");
	}
	strbuf_addstr(n->md, "; without them it is ");
	narration_value(n, now - l->later);
	strbuf_addstr(n->md, ", ");
	narration_change(n, now - l->later, before - l->earlier, true, before_when);
	strbuf_addch(n->md, '.');
}

/* A run rate leaves the range's one-off lumps out (sqlgen's
 * one_off_charges): " **$3,000.00** of one-off charges (one-time
 * purchases, refunds and upfront fees) in the period is left out: it does
 * not recur." Nothing when there are none. */
void fee_note_one_off(struct narration *n)
{
	int col = table_column(n->t, "one_off_charges");
	if (col < 0 || n->f.usage)
		return;
	double v = num(n->t, 0, col);
	if (!isfinite(v) || rounds_to_zero(v))
		return;
	strbuf_addch(n->md, ' ');
	narration_bold_money(n, v);
	strbuf_addstr(n->md, " of one-off charges (");
	charges_words(n->md, CHARGES_ONE_OFF);
	strbuf_addstr(n->md, ") in the period is in its total and left out of the run rate: it does not recur.");
}

/* The items whose change is mostly lumps on one side, largest lumps first,
 * the rows of the table they are; returns how many. The caller frees
 * *rows. */
static size_t lump_items(const struct narration *n, size_t **rows, const struct answer_lumps ***lumps)
{
	size_t count = 0;
	*rows = xcalloc(n->t->nrows + 1, sizeof(**rows));
	*lumps = xcalloc(n->t->nrows + 1, sizeof(**lumps));
	for (size_t r = 0; n->ctx && r < n->t->nrows; r++) {
		char buf[256];
		const char *label = text(n->t, r, n->c.label, buf, sizeof(buf));
		for (size_t i = 0; i < n->ctx->nitem_lumps; i++) {
			const struct answer_item_lumps *l = &n->ctx->item_lumps[i];
			if (!l->lumps.one_sided || strcmp(l->label, label) != 0)
				continue;
			/* insertion by |later - earlier|, largest first */
			double size = fabs(l->lumps.later - l->lumps.earlier);
			size_t at = count;
			while (at > 0 && fabs((*lumps)[at - 1]->later - (*lumps)[at - 1]->earlier) < size) {
				(*rows)[at] = (*rows)[at - 1];
				(*lumps)[at] = (*lumps)[at - 1];
				at--;
			}
			(*rows)[at] = r;
			(*lumps)[at] = &l->lumps;
			count++;
			break;
		}
	}
	return count;
}

/* How many items' lumps a narrative names; the JSON has them all. */
#define LUMP_ITEMS_NAMED 3

/*
 * A grouped comparison whose items' changes are mostly lumps booked on
 * one side (service/lumps.c): " Mostly fees booked once, on one side
 * only: **AWSSupportBusiness**, $5,651.73 of fees charged on 2025-11-01
 * in the later period, without them unchanged at $0.00; ... and 21 more
 * services." The first three by the size of their lumps.
 */
void fee_note_items(struct narration *n)
{
	if (!n->ctx || !n->ctx->nitem_lumps || n->f.usage)
		return;
	size_t *rows;
	const struct answer_lumps **lumps;
	size_t count = lump_items(n, &rows, &lumps);
	if (count)
		strbuf_addstr(n->md, " Mostly fees booked once, on one side only:");
	for (size_t k = 0; k < count && k < LUMP_ITEMS_NAMED; k++) {
		const struct answer_lumps *l = lumps[k];
		bool later = fabs(l->later) >= fabs(l->earlier);
		char when[64];
		charged_when(l, when, sizeof(when));
		strbuf_addstr(n->md, k ? "; " : " ");
		narration_item(n, rows[k]);
		strbuf_addstr(n->md, ", ");
		narration_value(n, later ? l->later : l->earlier);
		strbuf_addf(n->md, " of fees charged %s in the %s period, without them ", when, later ? "later" : "earlier");
		double a = num(n->t, rows[k], n->c.before) - l->earlier, b = num(n->t, rows[k], n->c.after) - l->later;
		narration_change_between(n, a, b);
	}
	if (count > LUMP_ITEMS_NAMED)
		strbuf_addf(n->md, "; and %zu more %s", count - LUMP_ITEMS_NAMED, plural_of(&n->p->group));
	if (count)
		strbuf_addch(n->md, '.');
	free(rows);
	free(lumps);
}

void fee_note_peak(struct narration *n, const char *peak)
{
	char day[16], when[64];
	if (!n->ctx || !n->ctx->peak_is_lumps || n->f.usage)
		return;
	date_format(n->ctx->peak_day, day, sizeof(day));
	if (strncmp(peak, day, 10) != 0)
		return;
	charged_when(&n->ctx->peak_lumps, when, sizeof(when));
	strbuf_addstr(n->md, "; ");
	narration_bold_money(n, n->ctx->peak_lumps.later);
	strbuf_addf(n->md, " of it is fees charged %s (booked once, not by the day)", when);
}

bool fee_ranked_change(const struct narration *n, size_t row, double *change)
{
	int col = n->c.change_without_fees;
	if (col < 0 || is_null(n->t, row, col))
		return false;
	*change = num(n->t, row, col);
	return true;
}

/* The row's fees on one side only, as the ranking left them out: its change
 * with them less its change without them. */
static double ranked_fees(const struct narration *n, size_t row)
{
	double without;
	if (n->c.change < 0 || is_null(n->t, row, n->c.change) || !fee_ranked_change(n, row, &without))
		return 0;
	double fees = num(n->t, row, n->c.change) - without;
	return rounds_to_zero(fees) ? 0 : fees;
}

bool fee_note_ranked_change(struct narration *n, size_t row)
{
	double fees = ranked_fees(n, row), without;
	if (fees == 0 || n->f.usage || !fee_ranked_change(n, row, &without))
		return false;
	if (rounds_to_zero(without)) {
		strbuf_addstr(n->md, "unchanged");
	} else {
		strbuf_addstr(n->md, without > 0 ? "up " : "down ");
		narration_value(n, fabs(without));
	}
	strbuf_addstr(n->md, " without its fees booked on one side only (with them ");
	narration_item_change(n, row);
	strbuf_addch(n->md, ')');
	return true;
}

void fee_note_ranking(struct narration *n)
{
	for (size_t r = 0; r < n->t->nrows; r++)
		if (ranked_fees(n, r) != 0) {
			strbuf_addstr(n->md, " Ranked by the change without the fees booked on one side only "
					     "(change_without_fees).");
			return;
		}
}
