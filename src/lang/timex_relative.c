/*
 * timex_relative: time expressions told from today: "last 3 months",
 * "this quarter", "mtd", "yesterday", "two weeks ago", "the week before
 * last". "Last N units" are the N whole units before the current one;
 * "last N days" are the N days before today (CONVENTIONS.md).
 */
#include "timex_reader.h"
#include "date.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *word;
	enum time_unit unit;
} unit_words[] = {
	{ "day", UNIT_DAY }, { "days", UNIT_DAY },
	{ "week", UNIT_WEEK }, { "weeks", UNIT_WEEK },
	{ "month", UNIT_MONTH }, { "months", UNIT_MONTH },
	{ "quarter", UNIT_QUARTER }, { "quarters", UNIT_QUARTER },
	{ "year", UNIT_YEAR }, { "years", UNIT_YEAR },
	/* how people abbreviate them */
	{ "wk", UNIT_WEEK }, { "wks", UNIT_WEEK }, { "mo", UNIT_MONTH }, { "mos", UNIT_MONTH },
	{ "mth", UNIT_MONTH }, { "mths", UNIT_MONTH }, { "qtr", UNIT_QUARTER }, { "qtrs", UNIT_QUARTER },
	{ "yr", UNIT_YEAR }, { "yrs", UNIT_YEAR }, { "d", UNIT_DAY },
};

bool tx_unit_at(const struct reader *r, size_t ahead, enum time_unit *unit)
{
	for (size_t i = 0; i < sizeof(unit_words) / sizeof(unit_words[0]); i++)
		if (tx_is(r, ahead, unit_words[i].word)) {
			*unit = unit_words[i].unit;
			return true;
		}
	return false;
}

const char *const tx_unit_names[] = {
	[UNIT_DAY] = "day", [UNIT_WEEK] = "week", [UNIT_MONTH] = "month",
	[UNIT_QUARTER] = "quarter", [UNIT_HALF] = "half", [UNIT_YEAR] = "year", [UNIT_SPAN] = "period",
};

/* The start of the current unit containing today, and its length. */
int tx_unit_start(int today, enum time_unit unit)
{
	switch (unit) {
	case UNIT_WEEK: return date_week_start(today);
	case UNIT_MONTH: return date_month_start(today);
	case UNIT_QUARTER: return date_quarter_start(today);
	case UNIT_YEAR: return date_year_start(today);
	default: return today;
	}
}

int tx_unit_add(int start, enum time_unit unit, int n)
{
	switch (unit) {
	case UNIT_DAY: return start + n;
	case UNIT_WEEK: return start + 7 * n;
	case UNIT_MONTH: return date_add_months(start, n);
	case UNIT_QUARTER: return date_add_months(start, 3 * n);
	case UNIT_YEAR: return date_add_months(start, 12 * n);
	default: return start + n;
	}
}

/* Label a period that is one whole unit: "November 2025", "Q3 2025",
 * "2025", or the given text for weeks and days. */
void tx_label_unit(struct period *p, enum time_unit unit, const char *other)
{
	int y, m, d;
	date_to_ymd(p->start_day, &y, &m, &d);
	if (unit == UNIT_MONTH)
		tx_label_month(p);
	else if (unit == UNIT_QUARTER)
		tx_label_quarter(p);
	else if (unit == UNIT_YEAR)
		snprintf(p->label, sizeof(p->label), "%d", y);
	else
		snprintf(p->label, sizeof(p->label), "%s", other);
}

static const char *const weekday_names[7][3] = {
	{ "monday", "mon", NULL }, { "tuesday", "tue", "tues" }, { "wednesday", "wed", NULL },
	{ "thursday", "thu", "thurs" }, { "friday", "fri", NULL }, { "saturday", "sat", NULL },
	{ "sunday", "sun", NULL },
};

const char *tx_weekday_name(int weekday)
{
	static const char *const names[7] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
	return weekday >= 0 && weekday < 7 ? names[weekday] : "";
}

int tx_weekday_of(const struct token *tok)
{
	if (!tok || tok->kind != TOK_WORD)
		return -1;
	for (int d = 0; d < 7; d++)
		for (int k = 0; k < 3 && weekday_names[d][k]; k++)
			if (slice_eq(tok->text, weekday_names[d][k]))
				return d;
	return -1;
}

/* "last Tuesday", "on Friday", "this Monday", "last weekend": the most
 * recent such day before today ("this": of the current week). A
 * weekday's short name ("wed", "sun") counts only after one of those
 * words, where it cannot be anything else. */
static bool read_weekday(struct reader *r, struct period *p)
{
	static const char *const before[] = { "last", "past", "previous", "on", "this", "since", NULL };
	bool led = tx_is_any(r, 0, before) && !tx_is(r, 0, "since");
	const struct token *tok = tx_peek(r, led ? 1 : 0);
	int today = r->today;
	if (led && tx_is(r, 1, "weekend") && !tx_is(r, 0, "on")) {
		int saturday = tx_is(r, 0, "this") ? date_week_start(today) + 5 : date_week_start(today) - 2;
		if (saturday >= today)
			saturday -= 7;
		tx_set_period(p, saturday, saturday + 2, UNIT_SPAN, 1);
		snprintf(p->label, sizeof(p->label), "the weekend of %s", "");
		period_describe_dates(p, p->label, sizeof(p->label));
		r->pos += 2;
		return true;
	}
	int wd = tx_weekday_of(tok);
	if (wd < 0 || (!led && tok->text.n <= 4))
		return false;
	/* "on Monday 3 November": the weekday of a date (read_period) */
	const struct token *next = tx_peek(r, led ? 2 : 1);
	if (next && (next->kind == TOK_NUMBER || next->kind == TOK_DATE || tx_month_of_word(next) ||
		     (next->kind == TOK_PUNCT && next->text.p[0] == ',')))
		return false;
	int day = date_week_start(today) + wd;
	if (!(led && tx_is(r, 0, "this")) && day >= today)
		day -= 7; /* the most recent one before today */
	tx_set_period(p, day, day + 1, UNIT_DAY, 1);
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	snprintf(p->label, sizeof(p->label), "%s %s %d, %d", tx_weekday_name(wd), date_month_name(m), d, y);
	r->pos += led ? 2 : 1;
	return true;
}

/*
 * relative := ("last"|"past"|"previous"|"prior") NUMBER UNIT      the N full units before this one
 *           | ("last"|"previous"|"prior"|"past") UNIT             the one before this one
 *           | ("this"|"current") UNIT                             this one, to date
 *           | ("next") ...                                        not billing history: no
 *           | "today" | "yesterday"
 *           | ("month"|"quarter"|"year"|"week") "to" "date" | "mtd" | "qtd" | "ytd" | "wtd"
 *           | ["the"] UNIT ("so" "far" | "to" "date")               this one, to date
 *           | NUMBER UNIT "ago"                                     "3 weeks ago", "two months ago"
 *           | ["the"] UNIT "before" ("last"|"yesterday")          two units back
 * "last N days" are the N days before today: [today - N, today).
 */
bool tx_read_relative(struct reader *r, struct period *p)
{
	static const char *const last_words[] = { "last", "past", "previous", "prev", "prior", "trailing", "rolling", NULL };
	/* "the actual month": a false friend (aktuell, actuel) for the current one */
	static const char *const this_words[] = { "this", "current", "actual", NULL };
	enum time_unit unit;
	const struct token *tok = tx_peek(r, 0);
	int today = r->today;

	if (read_weekday(r, p))
		return true;
	if (tx_is(r, 0, "today")) {
		tx_set_period(p, today, today + 1, UNIT_DAY, 1);
		snprintf(p->label, sizeof(p->label), "today");
		r->pos++;
		return true;
	}
	if (tx_is(r, 0, "yesterday")) {
		tx_set_period(p, today - 1, today, UNIT_DAY, 1);
		snprintf(p->label, sizeof(p->label), "yesterday");
		r->pos++;
		return true;
	}
	static const struct {
		const char *word;
		enum time_unit unit;
	} to_date_words[] = { { "mtd", UNIT_MONTH }, { "qtd", UNIT_QUARTER }, { "ytd", UNIT_YEAR }, { "wtd", UNIT_WEEK } };
	for (size_t i = 0; i < sizeof(to_date_words) / sizeof(to_date_words[0]); i++)
		if (tx_is(r, 0, to_date_words[i].word)) {
			unit = to_date_words[i].unit;
			r->pos++;
			goto to_date;
		}
	if (tx_unit_at(r, 0, &unit) && unit != UNIT_DAY && tx_is(r, 1, "to") && tx_is(r, 2, "date")) {
		r->pos += 3;
		goto to_date;
	}
	/* "this year till date", "this month until now", "the year up to now":
	 * to date (the "this" leads, read below) */
	static const char *const until_words[] = { "till", "until", "til", NULL };
	static const char *const now_words[] = { "date", "now", "today", NULL };
	if (tx_is_any(r, 0, this_words) && tx_unit_at(r, 1, &unit) && unit != UNIT_DAY &&
	    ((tx_is_any(r, 2, until_words) && tx_is_any(r, 3, now_words)) ||
	     (tx_is(r, 2, "up") && tx_is(r, 3, "to") && tx_is_any(r, 4, now_words)))) {
		r->pos += tx_is(r, 2, "up") ? 5 : 4;
		goto to_date;
	}
	if (tx_is_any(r, 0, this_words) && tx_unit_at(r, 1, &unit) && unit != UNIT_DAY) {
		r->pos += 2;
		goto to_date;
	}
	/* "the year so far", "the quarter to date" */
	size_t the = tx_is(r, 0, "the") ? 1 : 0;
	/* not "the biggest month so far this year": there the month is a
	 * thing ranked, and "so far" goes with the year */
	static const char *const before_bare_unit[] = { "for", "in", "over", "during", "of", NULL };
	bool bare_ok = the || r->pos == 0 || tok_in(r->t, r->pos - 1, before_bare_unit);
	if (bare_ok && tx_unit_at(r, the, &unit) && unit != UNIT_DAY &&
	    ((tx_is(r, the + 1, "so") && tx_is(r, the + 2, "far")) || (tx_is(r, the + 1, "to") && tx_is(r, the + 2, "date")))) {
		r->pos += the + 3;
		goto to_date;
	}
	/* "the last fortnight": 14 days, as "the last 14 days" (CONVENTIONS.md
	 * does not define it; readers take it as a stretch of days, not as
	 * two calendar weeks) */
	if (tx_is_any(r, 0, last_words) && tx_is(r, 1, "fortnight")) {
		tx_set_period(p, today - 14, today, UNIT_DAY, 14);
		snprintf(p->label, sizeof(p->label), "the last 14 days");
		r->pos += 2;
		return true;
	}
	/* "last full month", "the previous complete quarter": a finished unit
	 * is what "last" already means */
	static const char *const whole_words[] = { "full", "complete", "completed", "whole", "entire", "closed", NULL };
	/* "the last two full months": as "the last 2 months", which are whole */
	double whole_n = tx_is_any(r, 0, last_words) ? tx_count_at(r, 1) : -1;
	if (whole_n >= 1 && whole_n <= 120 && whole_n == floor(whole_n) && tx_is_any(r, 2, whole_words) &&
	    tx_unit_at(r, 3, &unit) && unit != UNIT_DAY) {
		int count = (int)whole_n, end = tx_unit_start(today, unit);
		tx_set_period(p, tx_unit_add(end, unit, -count), end, unit, count);
		snprintf(p->label, sizeof(p->label), "the last %d %s%s", count, tx_unit_names[unit], count == 1 ? "" : "s");
		r->pos += 4;
		return true;
	}
	if (tx_is_any(r, 0, last_words) && tx_is_any(r, 1, whole_words) && tx_unit_at(r, 2, &unit) && unit != UNIT_DAY) {
		r->pos += 3;
		int end = tx_unit_start(today, unit);
		tx_set_period(p, tx_unit_add(end, unit, -1), end, unit, 1);
		tx_label_unit(p, unit, "last week");
		return true;
	}
	if (tx_is_any(r, 0, last_words)) {
		double n = tx_count_at(r, 1);
		if (n >= 1 && n <= 3660 && n == floor(n) && tx_unit_at(r, 2, &unit)) {
			int count = (int)n;
			r->pos += 3;
			if (unit == UNIT_DAY) {
				tx_set_period(p, today - count, today, UNIT_DAY, count);
			} else {
				int end = tx_unit_start(today, unit);
				tx_set_period(p, tx_unit_add(end, unit, -count), end, unit, count);
			}
			snprintf(p->label, sizeof(p->label), "the last %d %s%s", count, tx_unit_names[unit], count == 1 ? "" : "s");
			return true;
		}
		if (tx_unit_at(r, 1, &unit)) {
			r->pos += 2;
			if (unit == UNIT_DAY) { /* "last day": yesterday */
				tx_set_period(p, today - 1, today, UNIT_DAY, 1);
				snprintf(p->label, sizeof(p->label), "yesterday");
				return true;
			}
			int end = tx_unit_start(today, unit);
			tx_set_period(p, tx_unit_add(end, unit, -1), end, unit, 1);
			tx_label_unit(p, unit, "last week");
			return true;
		}
	}
	/* "the month past", "the week past": the last one */
	if (the && tx_unit_at(r, 1, &unit) && unit != UNIT_DAY && tx_is(r, 2, "past")) {
		r->pos += 3;
		int end = tx_unit_start(today, unit);
		tx_set_period(p, tx_unit_add(end, unit, -1), end, unit, 1);
		tx_label_unit(p, unit, "last week");
		return true;
	}
	/* "the week before last", "the month before last", "the day before
	 * yesterday": two units back */
	if (tx_unit_at(r, the, &unit) && tx_is(r, the + 1, "before") &&
	    (unit == UNIT_DAY ? tx_is(r, the + 2, "yesterday") : tx_is(r, the + 2, "last"))) {
		int start = unit == UNIT_DAY ? today - 2 : tx_unit_add(tx_unit_start(today, unit), unit, -2);
		tx_set_period(p, start, tx_unit_add(start, unit, 1), unit, 1);
		char other[48];
		snprintf(other, sizeof(other), "the %s before %s", tx_unit_names[unit], unit == UNIT_DAY ? "yesterday" : "last");
		tx_label_unit(p, unit, other);
		r->pos += the + 3;
		return true;
	}
	/* NUMBER UNIT "ago": that one unit */
	double ago = tok && !tok->money && !tok->percent ? tx_count_at(r, 0) : -1; /* "3", "two" */
	if (ago >= 1 && ago <= 3660 && ago == floor(ago) && tx_unit_at(r, 1, &unit) && tx_is(r, 2, "ago")) {
		int count = (int)ago;
		int start = unit == UNIT_DAY ? today - count : tx_unit_add(tx_unit_start(today, unit), unit, -count);
		tx_set_period(p, start, tx_unit_add(start, unit, 1), unit, 1);
		snprintf(p->label, sizeof(p->label), "%d %s%s ago", count, tx_unit_names[unit], count == 1 ? "" : "s");
		r->pos += 3;
		return true;
	}
	return false;

to_date: {
		int start = tx_unit_start(today, unit);
		tx_set_period(p, start, today + 1, unit, 1);
		tx_label_unit(p, unit, "this week");
		size_t n = strlen(p->label);
		snprintf(p->label + n, sizeof(p->label) - n, " to date");
		return true;
	}
}
