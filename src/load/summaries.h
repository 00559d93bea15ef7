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
 */
int summaries_refresh(struct db *db, const char *changed_periods, struct err *e);

/* The value summary_state.layout has when the tables are those of this
 * finq (ask.c reads costs_day_tag_value only then). */
enum { SUMMARIES_LAYOUT = 2 };

#endif
