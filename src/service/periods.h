/*
 * periods: a question's time range against the days the data actually
 * holds, for ask.c (the one place that knows both; the parser stays pure).
 *
 *   - a range wholly after the data, asked with relative words ("last
 *     month" of a 2018 export asked in 2026), moves to the data's own latest
 *     period of the same kind, and the answer says so; a written year is
 *     kept ("October 2018" stays October 2018);
 *   - a range the data covers only in part is named ("only December 2025
 *     of 2025 is loaded");
 *   - "up 4% from the previous period" compares the same days of both when
 *     the range is partial ("Nov 4-30 against Oct 5-31"), and nothing
 *     when the previous period is not (fully) loaded;
 *   - a comparison of two periods whose later one is partial compares the
 *     same days of the earlier one, as the totals do; one whose earlier
 *     one is not fully loaded says so.
 * Pure functions over day numbers (date.h) but loaded_days_read().
 */
#ifndef FINQ_PERIODS_H
#define FINQ_PERIODS_H

#include "db.h"
#include "err.h"
#include "plan.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* The first and last day with cost rows (inclusive); known false when none. */
struct loaded_days {
	bool known;
	int first, last;
};

struct sql_dialect;
/* Read them from db's costs table, in dialect's SQL. */
/* The first and last loaded day, read from table ("costs", or a fresh
 * daily summary of it, which holds the same days and is smaller). */
int loaded_days_read(const struct sql_dialect *dialect, struct db *db, const char *table, struct loaded_days *out,
		     struct err *e);

/* [*from, *to) = [start, end) within the loaded days; returns its length
 * in days (0: none of it is loaded). */
int loaded_overlap(const struct loaded_days *d, int start, int end, int *from, int *to);

/* Words for the days [from, to): "December 2025", "October to December
 * 2018", "2025-11-04 to 2025-11-30". */
void loaded_span_words(int from, int to, char *buf, size_t size);

/* Move a plan whose range (and compared periods) lie wholly after the data
 * to the data's latest period of the same kind, when the data ends long
 * before today (it does not reach into last month) and no year was
 * written. On a move, note gets the sentence that says so and true is
 * returned. */
bool periods_move_to_data(const struct loaded_days *d, int today, struct plan *p, bool year_written, char *note,
			  size_t size);

/* Sentences for the parts of the plan's range or compared periods that are
 * not loaded (appended to note; nothing when all is loaded). same_days: the
 * compared periods were cut to the same days (periods_compare_same_days),
 * so the comparison is like for like and not said to be otherwise. */
void periods_coverage_note(const struct loaded_days *d, const struct plan *p, bool same_days, struct strbuf *note);

/* The previous period to compare range with: the same days of it when range
 * is loaded only in part. False (and why, when there is something to say,
 * in *why) when there is nothing to compare with: no loaded day in range, or
 * the previous days not all loaded. *same_days: the comparison is of the
 * loaded part only. */
bool periods_previous(const struct loaded_days *d, const struct period *range, struct period *prev, bool *same_days,
		      char *why, size_t size);

/* A comparison of two periods (INTENT_COMPARE_PERIODS, INTENT_MOVERS)
 * whose later one is partial ("this month" on the 12th, "this quarter",
 * or loaded only in part) compares the same days of the earlier one:
 * p->periods[0] is cut to them ("Oct 1-12") and why gets the sentence the
 * totals use ("The change compares the same days: Nov 1-12 against Oct
 * 1-12."). True when it was cut. */
bool periods_compare_same_days(const struct loaded_days *d, struct plan *p, char *why, size_t size);

#endif
