/*
 * timex: time words in a question, resolved to exact date ranges.
 *
 * Implements the table of ../shared/eval/CONVENTIONS.md: every range is
 * [start_day, end_day) in day numbers (date.h), computed from the `today`
 * passed in, never from the clock. Finds every time expression in a token
 * list; the parser decides what they mean together (one range, or two
 * periods to compare). Pure.
 */
#ifndef FINQ_TIMEX_H
#define FINQ_TIMEX_H

#include "lexer.h"

#include <stdbool.h>
#include <stddef.h>

enum time_unit { UNIT_DAY, UNIT_WEEK, UNIT_MONTH, UNIT_QUARTER, UNIT_HALF, UNIT_YEAR, UNIT_SPAN };

struct period {
	int start_day, end_day; /* [start, end) */
	enum time_unit unit;     /* what one period of this kind is */
	int count;               /* "last 3 months": 3 units; else 1 */
	char label[64];          /* "November 2025", "Q3 2025", "the last 30 days" */
};

struct time_mention {
	size_t first, last;      /* tokens first..last (inclusive) were read */
	struct period period;    /* the whole range */
	bool is_span;            /* "from X to Y", "between X and Y", "since X" */
	struct period from, to;  /* a span's endpoints ("since X": to = up to today) */
	bool explicit_year;      /* not a span, and its year was given ("November 2018", "2018", "Q2 last year") */
	bool year_in_digits;     /* that year was written in digits ("Q2 2024", "Nov '24"), not told from today */
};

/* Find up to max time expressions, left to right; returns how many. */
size_t timex_find(const struct token_list *toks, int today, struct time_mention *out, size_t max);

/* The period of the same length just before p (the month before a month,
 * the 30 days before 30 days), labelled ("October 2025", "Q3 2025"). */
struct period period_previous(const struct period *p);
struct period period_next(const struct period *p); /* the same length just after p ("the week after") */
struct period period_year_earlier(const struct period *p); /* the same period a year earlier */

/* "04/05/2025": a date in digits that reads as two different days (month
 * first or day first). Writes the question to ask back and returns true;
 * false for any other token. */
bool timex_ambiguous_date(const struct token *tok, int today, char *message, size_t size);

/* "Tuesday 3 November" when 3 November is a Monday: token i is a
 * weekday that the date after it does not fall on. Writes the question
 * to ask back and returns true. */
bool timex_weekday_mismatch(const struct token_list *toks, size_t i, int today, char *message, size_t size);

/* Describe [start, end) as "2025-11-01 to 2025-11-30" (the end inclusive). */
void period_describe_dates(const struct period *p, char *buf, size_t size);

#endif
