/*
 * summaries: the daily summary tables of `costs` that most questions are
 * answered from (sql/sqlgen.c picks the smallest that holds a plan's
 * columns), kept up to date by every load and undo for the billing periods
 * it changed. Called by load.c and loadlog.c inside their transaction; it does
 * not build the vocabulary (schema_vocabulary_sql, which reads these).
 * docs/performance.md has the tables' sizes and why they hold what they do.
 */
#ifndef FINQ_SUMMARIES_H
#define FINQ_SUMMARIES_H

#include "db.h"
#include "err.h"

#include <stdbool.h>
#include <stdint.h>

/* What summaries_refresh() changed in the database instance's settings. */
struct summaries_tuning {
	int64_t threads; /* the thread count to put back; 0: unchanged */
	bool fsst_off;   /* FSST compression was turned off */
};

/*
 * Brings costs_day_detail, costs_day, costs_day_tag, costs_day_tag_value,
 * summary_tag_keys and summary_state up to date after a change to costs
 * confined to the billing periods that `changed_periods` (a SELECT whose
 * first column is billing_period; the caller's own SQL) returns. Run it
 * after the `loads` or `load_undos` row of the change is written.
 *
 * Only those periods are rebuilt (plus, in other periods, the tag slices
 * of a tag key the change brought in) when the summaries reflected every
 * load and undo before this one in the current layout; otherwise all of
 * them are, as after a first load or a load by an older finq. Either way
 * the tables equal a rebuild from scratch. 0, or -1 with e set.
 *
 * Runs with fewer DuckDB threads for fewer line items and with FSST
 * compression off, for the database instance, and leaves them so in
 * *tuning's keeping: the vocabulary and the caller's COMMIT, which writes
 * the tables' last row groups, are cheaper under them too. Call
 * summaries_finish() after that COMMIT (or the ROLLBACK), whatever this
 * returned.
 */
int summaries_refresh(struct db *db, const char *changed_periods, struct summaries_tuning *tuning, struct err *e);

/* Puts back the thread count and FSST compression summaries_refresh()
 * changed. */
void summaries_finish(struct db *db, const struct summaries_tuning *tuning);

/* The value summary_state.layout has when the tables are those of this
 * finq (ask.c reads costs_day_tag_value only then). */
enum { SUMMARIES_LAYOUT = 2 };

#endif
