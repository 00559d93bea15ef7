/*
 * timex: a recursive-descent reader of time expressions over tokens.
 * Each function tries one production at st->pos; on success it fills a
 * period and advances st->pos past what it read, on failure it leaves
 * st->pos where it was and returns false.
 */
#include "timex.h"
#include "lexicon.h"
#include "date.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct reader {
	const struct token_list *t;
	size_t pos;
	int today;
};

static const char *const month_names[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

/* Abbreviations, sorted by month. */
static const struct {
	const char *word;
	int month;
} month_abbrevs[] = {
	{ "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 }, { "jun", 6 }, { "jul", 7 },
	{ "aug", 8 }, { "sep", 9 }, { "sept", 9 }, { "oct", 10 }, { "nov", 11 }, { "dec", 12 },
};

static bool is(const struct reader *r, size_t ahead, const char *w)
{
	return tok_is(r->t, r->pos + ahead, w);
}

static bool is_any(const struct reader *r, size_t ahead, const char *const *words)
{
	return tok_in(r->t, r->pos + ahead, words);
}

static const struct token *peek(const struct reader *r, size_t ahead)
{
	return r->pos + ahead < r->t->n ? &r->t->items[r->pos + ahead] : NULL;
}

static int month_of_word(const struct token *tok)
{
	if (!tok || tok->kind != TOK_WORD)
		return 0;
	for (int m = 0; m < 12; m++)
		if (slice_eq(tok->text, month_names[m]))
			return m + 1;
	for (size_t i = 0; i < sizeof(month_abbrevs) / sizeof(month_abbrevs[0]); i++)
		if (slice_eq(tok->text, month_abbrevs[i].word))
			return month_abbrevs[i].month;
	return 0;
}

/* A four-digit year between 1990 and 2100 written as a plain number. */
static bool year_at(const struct reader *r, size_t ahead, int *year)
{
	const struct token *tok = peek(r, ahead);
	if (!tok || tok->kind != TOK_NUMBER || tok->money || tok->percent || tok->ordinal)
		return false;
	if (tok->number != floor(tok->number) || tok->number < 1990 || tok->number > 2100 || tok->text.n != 4)
		return false;
	*year = (int)tok->number;
	return true;
}

/* "two weeks", "twelve months": small counts written as words. */
static double count_at(const struct reader *r, size_t ahead)
{
	const struct token *tok = peek(r, ahead);
	if (!tok)
		return -1;
	if (tok->kind == TOK_NUMBER && !tok->money && !tok->percent)
		return tok->number;
	return tok->kind == TOK_WORD ? lexicon_number_word(&tok->text) : -1;
}

static void set_period(struct period *p, int start, int end, enum time_unit unit, int count)
{
	p->start_day = start;
	p->end_day = end;
	p->unit = unit;
	p->count = count;
	p->label[0] = '\0';
}

static void label_month(struct period *p)
{
	int y, m, d;
	date_to_ymd(p->start_day, &y, &m, &d);
	snprintf(p->label, sizeof(p->label), "%s %d", date_month_name(m), y);
}

/* The most recent month `month` that has begun on or before today. */
static int recent_month_start(int today, int month)
{
	int y, m, d;
	date_to_ymd(today, &y, &m, &d);
	return date_from_ymd(month <= m ? y : y - 1, month, 1);
}

/*
 * day_or_month := ["month" "of"] MONTH [ORDINAL|DAYNUM] [","] [YEAR | ["of"] ("last"|"this") "year"] ["month"]
 *              |  DAYNUM ["of"] MONTH [YEAR]
 * "October", "Oct 10", "October 10th, 2025", "10 October", "March 2025".
 */
static bool read_month(struct reader *r, struct period *p, bool *explicit_year)
{
	size_t save = r->pos;
	/* "the month of November", "in the month October" */
	if (is(r, 0, "month") && is(r, 1, "of") && month_of_word(peek(r, 2)))
		r->pos += 2;
	else if (is(r, 0, "month") && month_of_word(peek(r, 1)))
		r->pos += 1;
	int month = month_of_word(peek(r, 0)), day = 0, year = 0;
	const struct token *tok;
	if (month) {
		/* "may" is a month only where a date is expected. */
		if (month == 5 && is(r, 0, "may")) {
			static const char *const before_may[] = { "in", "since", "from", "to", "and", "of", "between", "through", "until", "for", "during", "vs", "versus", NULL };
			bool after_preposition = r->pos > 0 && tok_in(r->t, r->pos - 1, before_may);
			if (!after_preposition && !year_at(r, 1, &year))
				return false;
		}
		r->pos++;
		tok = peek(r, 0);
		if (tok && tok->kind == TOK_NUMBER && !tok->money && tok->number >= 1 && tok->number <= 31 &&
		    tok->number == floor(tok->number) && tok->text.n <= 4) {
			day = (int)tok->number;
			r->pos++;
			if (peek(r, 0) && peek(r, 0)->kind == TOK_PUNCT && peek(r, 0)->text.p[0] == ',' && year_at(r, 1, &year))
				r->pos++;
		}
	} else {
		tok = peek(r, 0);
		if (!tok || tok->kind != TOK_NUMBER || tok->money || tok->number < 1 || tok->number > 31 ||
		    tok->number != floor(tok->number)) {
			r->pos = save;
			return false;
		}
		size_t k = is(r, 1, "of") ? 2 : 1;
		month = month_of_word(peek(r, k));
		if (!month)
			return false;
		day = (int)tok->number;
		r->pos += k + 1;
	}
	*explicit_year = year_at(r, 0, &year);
	if (*explicit_year)
		r->pos++;
	/* "November last year", "March this year", "May of last year" */
	size_t of = is(r, 0, "of") ? 1 : 0;
	/* a year told relative to today: not a written year other months of
	 * the question would take ("November vs November last year") */
	bool relative_year = false;
	if (!*explicit_year && (is(r, of, "last") || is(r, of, "this")) && is(r, of + 1, "year")) {
		int y, m, d;
		date_to_ymd(r->today, &y, &m, &d);
		year = is(r, of, "last") ? y - 1 : y;
		relative_year = true;
		r->pos += of + 2;
	}
	if (!day && is(r, 0, "month")) /* "the August month" */
		r->pos++;
	int start = *explicit_year || relative_year ? date_from_ymd(year, month, 1) : recent_month_start(r->today, month);
	if (day) {
		int y, m, d;
		date_to_ymd(start, &y, &m, &d);
		if (day > date_days_in_month(y, m)) {
			r->pos = save;
			return false;
		}
		int at = date_from_ymd(y, m, day);
		set_period(p, at, at + 1, UNIT_DAY, 1);
		snprintf(p->label, sizeof(p->label), "%s %d, %d", date_month_name(m), day, y);
	} else {
		set_period(p, start, date_add_months(start, 1), UNIT_MONTH, 1);
		label_month(p);
	}
	return true;
}

static const struct {
	const char *word;
	int quarter;
} quarter_words[] = {
	{ "q1", 1 }, { "q2", 2 }, { "q3", 3 }, { "q4", 4 },
	{ "first", 1 }, { "second", 2 }, { "third", 3 }, { "fourth", 4 },
	{ "1st", 1 }, { "2nd", 2 }, { "3rd", 3 }, { "4th", 4 },
};

/* The most recent quarter q that has begun on or before today. */
static int recent_quarter_start(int today, int q)
{
	int y, m, d;
	date_to_ymd(today, &y, &m, &d);
	int start = date_from_ymd(y, (q - 1) * 3 + 1, 1);
	return start <= today ? start : date_from_ymd(y - 1, (q - 1) * 3 + 1, 1);
}

static void label_quarter(struct period *p)
{
	int y, m, d;
	date_to_ymd(p->start_day, &y, &m, &d);
	snprintf(p->label, sizeof(p->label), "Q%d %d", (m - 1) / 3 + 1, y);
}

/*
 * quarter := ("q1".."q4") [YEAR]
 *          | ("first".."fourth") "quarter" ["of"] [YEAR]
 *          | "quarter" NUMBER [YEAR]
 * half    := ("h1"|"h2") [YEAR] | ("first"|"second") "half" ["of"] [YEAR]
 * YEAR may also be ["of"] ("this"|"the"|"current"|"last"|"previous") "year"
 */
static bool read_quarter_or_half(struct reader *r, struct period *p, bool *explicit_year)
{
	size_t save = r->pos;
	int q = 0, half = 0, year = 0;
	const struct token *tok = peek(r, 0);
	if (is(r, 0, "h1") || is(r, 0, "h2")) {
		half = tok->text.p[1] - '0';
		r->pos++;
	} else if ((is(r, 0, "first") || is(r, 0, "second")) && is(r, 1, "half")) {
		half = is(r, 0, "first") ? 1 : 2;
		r->pos += 2;
	} else if (is(r, 0, "quarter") && count_at(r, 1) >= 1 && count_at(r, 1) <= 4 &&
		   count_at(r, 1) == floor(count_at(r, 1)) && !year_at(r, 1, &year)) {
		/* "quarter 3", "quarter three" */
		q = (int)count_at(r, 1);
		r->pos += 2;
	} else {
		for (size_t i = 0; i < sizeof(quarter_words) / sizeof(quarter_words[0]) && !q; i++) {
			if (!is(r, 0, quarter_words[i].word))
				continue;
			bool bare = quarter_words[i].word[0] == 'q';
			if (!bare && !is(r, 1, "quarter"))
				break;
			q = quarter_words[i].quarter;
			r->pos += bare ? 1 : 2;
		}
		if (!q && tok && tok->kind == TOK_NUMBER && tok->ordinal && tok->number >= 1 && tok->number <= 4 &&
		    is(r, 1, "quarter")) {
			q = (int)tok->number;
			r->pos += 2;
		}
		if (!q) {
			r->pos = save;
			return false;
		}
	}
	if (is(r, 0, "of") && year_at(r, 1, &year))
		r->pos++;
	*explicit_year = year_at(r, 0, &year);
	if (*explicit_year)
		r->pos++;
	int y, m, d;
	date_to_ymd(r->today, &y, &m, &d);
	/* "the first half of this year", "Q2 of last year" */
	size_t of = is(r, 0, "of") ? 1 : 0;
	if (!*explicit_year && (is(r, of, "this") || is(r, of, "the") || is(r, of, "current")) && is(r, of + 1, "year")) {
		year = y;
		*explicit_year = true;
		r->pos += of + 2;
	} else if (!*explicit_year && (is(r, of, "last") || is(r, of, "previous")) && is(r, of + 1, "year")) {
		year = y - 1;
		*explicit_year = true;
		r->pos += of + 2;
	}
	if (half) {
		int start = date_from_ymd(*explicit_year ? year : y, half == 1 ? 1 : 7, 1);
		if (!*explicit_year && start > r->today)
			start = date_add_months(start, -12);
		set_period(p, start, date_add_months(start, 6), UNIT_HALF, 1);
		date_to_ymd(start, &y, &m, &d);
		snprintf(p->label, sizeof(p->label), "H%d %d", half, y);
		return true;
	}
	int start = *explicit_year ? date_from_ymd(year, (q - 1) * 3 + 1, 1) : recent_quarter_start(r->today, q);
	set_period(p, start, date_add_months(start, 3), UNIT_QUARTER, 1);
	label_quarter(p);
	return true;
}

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

static bool unit_at(const struct reader *r, size_t ahead, enum time_unit *unit)
{
	for (size_t i = 0; i < sizeof(unit_words) / sizeof(unit_words[0]); i++)
		if (is(r, ahead, unit_words[i].word)) {
			*unit = unit_words[i].unit;
			return true;
		}
	return false;
}

static const char *const unit_names[] = {
	[UNIT_DAY] = "day", [UNIT_WEEK] = "week", [UNIT_MONTH] = "month",
	[UNIT_QUARTER] = "quarter", [UNIT_HALF] = "half", [UNIT_YEAR] = "year", [UNIT_SPAN] = "period",
};

/* The start of the current unit containing today, and its length. */
static int unit_start(int today, enum time_unit unit)
{
	switch (unit) {
	case UNIT_WEEK: return date_week_start(today);
	case UNIT_MONTH: return date_month_start(today);
	case UNIT_QUARTER: return date_quarter_start(today);
	case UNIT_YEAR: return date_year_start(today);
	default: return today;
	}
}

static int unit_add(int start, enum time_unit unit, int n)
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
static void label_unit(struct period *p, enum time_unit unit, const char *other)
{
	int y, m, d;
	date_to_ymd(p->start_day, &y, &m, &d);
	if (unit == UNIT_MONTH)
		label_month(p);
	else if (unit == UNIT_QUARTER)
		label_quarter(p);
	else if (unit == UNIT_YEAR)
		snprintf(p->label, sizeof(p->label), "%d", y);
	else
		snprintf(p->label, sizeof(p->label), "%s", other);
}

/*
 * relative := ("last"|"past"|"previous"|"prior") NUMBER UNIT      the N full units before this one
 *           | ("last"|"previous"|"prior"|"past") UNIT             the one before this one
 *           | ("this"|"current") UNIT                             this one, to date
 *           | ("next") ...                                        not billing history: no
 *           | "today" | "yesterday"
 *           | ("month"|"quarter"|"year"|"week") "to" "date" | "mtd" | "qtd" | "ytd" | "wtd"
 *           | ["the"] UNIT ("so" "far" | "to" "date")               this one, to date
 *           | NUMBER UNIT "ago"
 *           | ["the"] UNIT "before" ("last"|"yesterday")          two units back
 * "last N days" are the N days before today: [today - N, today).
 */
static bool read_relative(struct reader *r, struct period *p)
{
	static const char *const last_words[] = { "last", "past", "previous", "prior", "trailing", NULL };
	/* "the actual month": a false friend (aktuell, actuel) for the current one */
	static const char *const this_words[] = { "this", "current", "actual", NULL };
	enum time_unit unit;
	const struct token *tok = peek(r, 0);
	int today = r->today;

	if (is(r, 0, "today")) {
		set_period(p, today, today + 1, UNIT_DAY, 1);
		snprintf(p->label, sizeof(p->label), "today");
		r->pos++;
		return true;
	}
	if (is(r, 0, "yesterday")) {
		set_period(p, today - 1, today, UNIT_DAY, 1);
		snprintf(p->label, sizeof(p->label), "yesterday");
		r->pos++;
		return true;
	}
	static const struct {
		const char *word;
		enum time_unit unit;
	} to_date_words[] = { { "mtd", UNIT_MONTH }, { "qtd", UNIT_QUARTER }, { "ytd", UNIT_YEAR }, { "wtd", UNIT_WEEK } };
	for (size_t i = 0; i < sizeof(to_date_words) / sizeof(to_date_words[0]); i++)
		if (is(r, 0, to_date_words[i].word)) {
			unit = to_date_words[i].unit;
			r->pos++;
			goto to_date;
		}
	if (unit_at(r, 0, &unit) && unit != UNIT_DAY && is(r, 1, "to") && is(r, 2, "date")) {
		r->pos += 3;
		goto to_date;
	}
	if (is_any(r, 0, this_words) && unit_at(r, 1, &unit) && unit != UNIT_DAY) {
		r->pos += 2;
		goto to_date;
	}
	/* "the year so far", "the quarter to date" */
	size_t the = is(r, 0, "the") ? 1 : 0;
	/* not "the biggest month so far this year": there the month is a
	 * thing ranked, and "so far" goes with the year */
	static const char *const before_bare_unit[] = { "for", "in", "over", "during", "of", NULL };
	bool bare_ok = the || r->pos == 0 || tok_in(r->t, r->pos - 1, before_bare_unit);
	if (bare_ok && unit_at(r, the, &unit) && unit != UNIT_DAY &&
	    ((is(r, the + 1, "so") && is(r, the + 2, "far")) || (is(r, the + 1, "to") && is(r, the + 2, "date")))) {
		r->pos += the + 3;
		goto to_date;
	}
	/* "the last fortnight": 14 days, as "the last 14 days" (CONVENTIONS.md
	 * does not define it; readers take it as a stretch of days, not as
	 * two calendar weeks) */
	if (is_any(r, 0, last_words) && is(r, 1, "fortnight")) {
		set_period(p, today - 14, today, UNIT_DAY, 14);
		snprintf(p->label, sizeof(p->label), "the last 14 days");
		r->pos += 2;
		return true;
	}
	/* "last full month", "the previous complete quarter": a finished unit
	 * is what "last" already means */
	static const char *const whole_words[] = { "full", "complete", "completed", "whole", "entire", "closed", NULL };
	if (is_any(r, 0, last_words) && is_any(r, 1, whole_words) && unit_at(r, 2, &unit) && unit != UNIT_DAY) {
		r->pos += 3;
		int end = unit_start(today, unit);
		set_period(p, unit_add(end, unit, -1), end, unit, 1);
		label_unit(p, unit, "last week");
		return true;
	}
	if (is_any(r, 0, last_words)) {
		double n = count_at(r, 1);
		if (n >= 1 && n <= 3660 && n == floor(n) && unit_at(r, 2, &unit)) {
			int count = (int)n;
			r->pos += 3;
			if (unit == UNIT_DAY) {
				set_period(p, today - count, today, UNIT_DAY, count);
			} else {
				int end = unit_start(today, unit);
				set_period(p, unit_add(end, unit, -count), end, unit, count);
			}
			snprintf(p->label, sizeof(p->label), "the last %d %s%s", count, unit_names[unit], count == 1 ? "" : "s");
			return true;
		}
		if (unit_at(r, 1, &unit)) {
			r->pos += 2;
			if (unit == UNIT_DAY) { /* "last day": yesterday */
				set_period(p, today - 1, today, UNIT_DAY, 1);
				snprintf(p->label, sizeof(p->label), "yesterday");
				return true;
			}
			int end = unit_start(today, unit);
			set_period(p, unit_add(end, unit, -1), end, unit, 1);
			label_unit(p, unit, "last week");
			return true;
		}
	}
	/* "the month past", "the week past": the last one */
	if (the && unit_at(r, 1, &unit) && unit != UNIT_DAY && is(r, 2, "past")) {
		r->pos += 3;
		int end = unit_start(today, unit);
		set_period(p, unit_add(end, unit, -1), end, unit, 1);
		label_unit(p, unit, "last week");
		return true;
	}
	/* "the week before last", "the month before last", "the day before
	 * yesterday": two units back */
	if (unit_at(r, the, &unit) && is(r, the + 1, "before") &&
	    (unit == UNIT_DAY ? is(r, the + 2, "yesterday") : is(r, the + 2, "last"))) {
		int start = unit == UNIT_DAY ? today - 2 : unit_add(unit_start(today, unit), unit, -2);
		set_period(p, start, unit_add(start, unit, 1), unit, 1);
		char other[48];
		snprintf(other, sizeof(other), "the %s before %s", unit_names[unit], unit == UNIT_DAY ? "yesterday" : "last");
		label_unit(p, unit, other);
		r->pos += the + 3;
		return true;
	}
	/* NUMBER UNIT "ago": that one unit */
	if (tok && tok->kind == TOK_NUMBER && !tok->money && tok->number >= 1 && tok->number <= 3660 &&
	    unit_at(r, 1, &unit) && is(r, 2, "ago")) {
		int count = (int)tok->number;
		int start = unit == UNIT_DAY ? today - count : unit_add(unit_start(today, unit), unit, -count);
		set_period(p, start, unit_add(start, unit, 1), unit, 1);
		snprintf(p->label, sizeof(p->label), "%d %s%s ago", count, unit_names[unit], count == 1 ? "" : "s");
		r->pos += 3;
		return true;
	}
	return false;

to_date: {
		int start = unit_start(today, unit);
		set_period(p, start, today + 1, unit, 1);
		label_unit(p, unit, "this week");
		size_t n = strlen(p->label);
		snprintf(p->label + n, sizeof(p->label) - n, " to date");
		return true;
	}
}

/* "the 3rd", "since the 1st": that day of this month, or of the month
 * before when it has not come yet; false when that month has no such day. */
static bool latest_day_of_month(int today, int day, struct period *p)
{
	int y, mo, d;
	date_to_ymd(today, &y, &mo, &d);
	int start = date_month_start(today);
	if (day > d)
		start = date_add_months(start, -1);
	date_to_ymd(start, &y, &mo, &d);
	if (day > date_days_in_month(y, mo))
		return false;
	int first = date_from_ymd(y, mo, day);
	set_period(p, first, first + 1, UNIT_DAY, 1);
	snprintf(p->label, sizeof(p->label), "%s %d, %d", date_month_name(mo), day, y);
	return true;
}

/*
 * part_of_month := ["the"] ("first"|"second"|"last") "half" "of" MONTH
 *                | ["the"] ("first"|"second"|"third"|"fourth"|"last") "week" "of" MONTH
 * "the second half of October" is October 16-31, not H2 and October; a
 * month's weeks are its days 1-7, 8-14, 15-21, 22-28, and its last 7 days.
 */
static bool read_part_of_month(struct reader *r, struct period *p, bool *explicit_year)
{
	static const struct {
		const char *word;
		int nth; /* -1: the last */
	} ordinals[] = { { "first", 1 }, { "1st", 1 }, { "second", 2 }, { "2nd", 2 }, { "third", 3 }, { "3rd", 3 },
			 { "fourth", 4 }, { "4th", 4 }, { "last", -1 }, { "final", -1 } };
	size_t save = r->pos, at = is(r, 0, "the") ? 1 : 0;
	int nth = 0;
	for (size_t i = 0; i < sizeof(ordinals) / sizeof(ordinals[0]) && !nth; i++)
		if (is(r, at, ordinals[i].word))
			nth = ordinals[i].nth;
	bool half = is(r, at + 1, "half"), week = is(r, at + 1, "week");
	if (!nth || !(half || week) || !is(r, at + 2, "of") || !month_of_word(peek(r, at + 3)) || (half && nth > 2))
		return false;
	r->pos += at + 3;
	struct period month;
	if (!read_month(r, &month, explicit_year) || month.unit != UNIT_MONTH) {
		r->pos = save;
		return false;
	}
	int start, end;
	if (half) {
		start = nth == 1 ? month.start_day : month.start_day + 15;
		end = nth == 1 ? month.start_day + 15 : month.end_day;
	} else {
		start = nth < 0 ? month.end_day - 7 : month.start_day + 7 * (nth - 1);
		end = nth < 0 ? month.end_day : start + 7;
	}
	set_period(p, start, end, UNIT_SPAN, 1);
	snprintf(p->label, sizeof(p->label), "the %s %s of %.32s",
		 nth == 1 ? "first" : nth == 2 ? "second" : nth == 3 ? "third" : nth == 4 ? "fourth" : "last",
		 half ? "half" : "week", month.label);
	return true;
}

/*
 * period := part_of_month | relative | quarter_or_half | day_or_month | ISO_DATE | "yyyy-mm" | YEAR
 * A bare year needs a preposition before it ("in 2024", "for 2024") so that
 * "over 2000" stays an amount.
 */
static bool read_period(struct reader *r, struct period *p, bool *explicit_year)
{
	static const char *const year_preps[] = { "in", "for", "during", "of", "from", "to", "and", "between", "since", "through", "until", "vs", "versus", "year", "calendar", NULL };
	const struct token *tok = peek(r, 0);
	int year;
	*explicit_year = false;
	if (!tok)
		return false;
	/* before relative: "the last week of October" is not last week */
	if (read_part_of_month(r, p, explicit_year))
		return true;
	if (read_relative(r, p))
		return true;
	if (read_quarter_or_half(r, p, explicit_year))
		return true;
	if (read_month(r, p, explicit_year))
		return true;
	/* "on the 3rd", "for the 12th": that day of this month, or of the month
	 * before when it has not come yet (a day with a month is read above) */
	if (tok->kind == TOK_NUMBER && tok->ordinal && tok->number >= 1 && tok->number <= 31 &&
	    tok->number == floor(tok->number) && r->pos >= 2 && tok_is(r->t, r->pos - 1, "the") &&
	    (tok_is(r->t, r->pos - 2, "on") || tok_is(r->t, r->pos - 2, "for"))) {
		if (latest_day_of_month(r->today, (int)tok->number, p)) {
			r->pos++;
			return true;
		}
	}
	/* "calendar year 2024", "calendar 2024": the calendar year is the year */
	if (is(r, 0, "calendar") && (year_at(r, 1, &year) || (is(r, 1, "year") && year_at(r, 2, &year)))) {
		r->pos++;
		tok = peek(r, 0);
	}
	/* "the year 2024", "of year 2024": the word is part of the period */
	if (is(r, 0, "year") && year_at(r, 1, &year)) {
		r->pos++;
		tok = peek(r, 0);
	}
	if (tok->kind == TOK_DATE) {
		set_period(p, tok->day, tok->day + 1, UNIT_DAY, 1);
		date_format(tok->day, p->label, sizeof(p->label));
		*explicit_year = true;
		r->pos++;
		return true;
	}
	/* "month 2025-08": the word names what follows */
	if (is(r, 0, "month") && peek(r, 1) && peek(r, 1)->kind == TOK_WORD && peek(r, 1)->text.n == 7 &&
	    peek(r, 1)->text.p[4] == '-') {
		r->pos++;
		tok = peek(r, 0);
	}
	/* "Oct-2025", "november-2024": a spreadsheet's month */
	const char *dash = tok->kind == TOK_WORD ? memchr(tok->text.p, '-', tok->text.n) : NULL;
	if (dash && tok->text.p + tok->text.n - dash == 5) {
		struct token month_part = *tok;
		month_part.text.n = (size_t)(dash - tok->text.p);
		int month = month_of_word(&month_part), y;
		char digits[5];
		memcpy(digits, dash + 1, 4);
		digits[4] = '\0';
		if (month && sscanf(digits, "%4d", &y) == 1 && y >= 1990 && y <= 2100) {
			int start = date_from_ymd(y, month, 1);
			set_period(p, start, date_add_months(start, 1), UNIT_MONTH, 1);
			label_month(p);
			*explicit_year = true;
			r->pos++;
			return true;
		}
	}
	if (tok->kind == TOK_WORD && tok->text.n == 7 && tok->text.p[4] == '-') {
		int y, m;
		char buf[8];
		memcpy(buf, tok->text.p, 7);
		buf[7] = '\0';
		if (sscanf(buf, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12 && y >= 1990 && y <= 2100) {
			int start = date_from_ymd(y, m, 1);
			set_period(p, start, date_add_months(start, 1), UNIT_MONTH, 1);
			label_month(p);
			*explicit_year = true;
			r->pos++;
			return true;
		}
	}
	if (year_at(r, 0, &year) && r->pos > 0 && tok_in(r->t, r->pos - 1, year_preps)) {
		int start = date_from_ymd(year, 1, 1);
		set_period(p, start, date_from_ymd(year + 1, 1, 1), UNIT_YEAR, 1);
		snprintf(p->label, sizeof(p->label), "%d", year);
		*explicit_year = true;
		r->pos++;
		return true;
	}
	return false;
}

static void describe_span(struct period *whole)
{
	char a[16], b[16];
	date_format(whole->start_day, a, sizeof(a));
	date_format(whole->end_day - 1, b, sizeof(b));
	snprintf(whole->label, sizeof(whole->label), "%s to %s", a, b);
}

/*
 * span := ["from"] period ("to"|"through"|"until"|"till"|"-") period
 *       | "between" period "and" period
 *       | ("since"|"starting"|"after") period       after: from the day after it
 * The end's year follows the start's when it has none and would come first.
 */
/* "between the 5th and the 12th of October", "from 3 to 9 November": a
 * bare day first takes the month (and year) of the day that ends the span.
 * r is past "between"/"from"; on failure r is left where it was. */
static bool read_day_span(struct reader *r, struct time_mention *m, bool between)
{
	static const char *const to_words[] = { "to", "through", "thru", "until", "till", NULL };
	size_t save = r->pos;
	size_t at = is(r, 0, "the") ? 1 : 0;
	const struct token *day = peek(r, at);
	if (!day || day->kind != TOK_NUMBER || day->money || day->percent || day->number < 1 || day->number > 31 ||
	    day->number != floor(day->number))
		return false;
	r->pos += at + 1;
	bool joined = between ? is(r, 0, "and") : (is_any(r, 0, to_words) ||
		      (peek(r, 0) && peek(r, 0)->kind == TOK_PUNCT && peek(r, 0)->text.p[0] == '-'));
	if (!joined) {
		r->pos = save;
		return false;
	}
	r->pos += is(r, 1, "the") ? 2 : 1;
	bool end_year;
	if (!read_period(r, &m->to, &end_year) || m->to.unit != UNIT_DAY) {
		r->pos = save;
		return false;
	}
	int y, mo, d;
	date_to_ymd(m->to.start_day, &y, &mo, &d);
	if ((int)day->number > d) {
		r->pos = save;
		return false;
	}
	int start = date_from_ymd(y, mo, (int)day->number);
	set_period(&m->from, start, start + 1, UNIT_DAY, 1);
	snprintf(m->from.label, sizeof(m->from.label), "%s %d, %d", date_month_name(mo), (int)day->number, y);
	m->is_span = true;
	set_period(&m->period, start, m->to.end_day, UNIT_SPAN, 1);
	describe_span(&m->period);
	return true;
}

static bool read_span(struct reader *r, struct time_mention *m)
{
	static const char *const to_words[] = { "to", "through", "thru", "until", "till", NULL };
	size_t save = r->pos;
	bool between = is(r, 0, "between"), since = is(r, 0, "since") || (is(r, 0, "starting") && !is(r, 1, "from"));
	/* "after the 15th of November": since the day after it */
	bool after = is(r, 0, "after");
	since |= after;
	bool from = is(r, 0, "from") || (is(r, 0, "starting") && is(r, 1, "from"));
	r->pos += between || since ? 1 : from ? (is(r, 0, "starting") ? 2 : 1) : 0;
	bool start_year, end_year;
	/* "since the start of the year", "since the beginning of October" */
	size_t at = is(r, 0, "the") ? 1 : 0;
	enum time_unit current;
	if ((since || from) && (is(r, at, "start") || is(r, at, "beginning") || is(r, at, "begin")) && is(r, at + 1, "of")) {
		r->pos += at + 2;
		if (is(r, 0, "the") && unit_at(r, 1, &current) && current != UNIT_DAY) {
			/* "the year": the one under way */
			int start = unit_start(r->today, current);
			set_period(&m->from, start, current == UNIT_WEEK ? start + 7 : date_add_months(start, current == UNIT_YEAR ? 12 : current == UNIT_QUARTER ? 3 : 1), current, 1);
			snprintf(m->from.label, sizeof(m->from.label), "the start of this %s", unit_names[current]);
			r->pos += 2;
			start_year = true;
			goto read;
		}
	}
	if ((between || from) && read_day_span(r, m, between))
		return true;
	/* "since the 15th of November", "after the 3rd" */
	if (since && is(r, 0, "the") && peek(r, 1) && peek(r, 1)->kind == TOK_NUMBER)
		r->pos++;
	/* "since the 1st", "after the 15th": that day of this month, or of the
	 * month before when it has not come yet */
	const struct token *ord = peek(r, 0);
	if (since && ord && ord->kind == TOK_NUMBER && ord->ordinal && ord->number >= 1 && ord->number <= 31 &&
	    ord->number == floor(ord->number) && !month_of_word(peek(r, 1)) && !(is(r, 1, "of") && month_of_word(peek(r, 2)))) {
		if (latest_day_of_month(r->today, (int)ord->number, &m->from)) {
			r->pos++;
			start_year = true;
			goto read;
		}
	}
	if (!read_period(r, &m->from, &start_year)) {
		r->pos = save;
		return false;
	}
read:
	if (since) {
		m->is_span = true;
		set_period(&m->to, r->today, r->today + 1, UNIT_DAY, 1);
		/* "since 2026" asked in 2025 would end before it starts: it means
		 * that period, which has not begun yet. */
		int begin = after ? m->from.end_day : m->from.start_day;
		if (after && begin > r->today) { /* after a period still running: nothing yet to read */
			r->pos = save;
			return false;
		}
		int end = begin > r->today ? m->from.end_day : r->today + 1;
		set_period(&m->period, begin, end, UNIT_SPAN, 1);
		snprintf(m->period.label, sizeof(m->period.label), "%s %.56s", after ? "after" : "since", m->from.label);
		return true;
	}
	bool joined = between ? is(r, 0, "and") : (is_any(r, 0, to_words) ||
		      (peek(r, 0) && peek(r, 0)->kind == TOK_PUNCT && peek(r, 0)->text.p[0] == '-'));
	size_t before_join = r->pos;
	if (!joined) {
		r->pos = save;
		return false;
	}
	r->pos++;
	/* "until the end of September": through September */
	size_t the_end = is(r, 0, "the") ? 1 : 0;
	if (is(r, the_end, "end") && is(r, the_end + 1, "of") && !is(r, the_end + 2, "the"))
		r->pos += the_end + 2;
	/* "last month", "yesterday": a period told from today keeps its year */
	static const char *const anchored[] = { "last", "past", "previous", "prior", "this", "current", "today",
						 "yesterday", "mtd", "qtd", "ytd", NULL };
	bool end_anchored = is_any(r, 0, anchored) || (is(r, 0, "the") && is_any(r, 1, anchored));
	if (!read_period(r, &m->to, &end_year)) {
		r->pos = between || from ? save : before_join;
		return false;
	}
	/* "compare this month to last month": two periods, not a span */
	if (end_anchored && m->to.end_day <= m->from.start_day) {
		r->pos = between || from ? save : before_join;
		return false;
	}
	end_year |= end_anchored;
	/* "between November and October": between takes its ends in either
	 * order, within the year they share */
	if (between && !end_year && !start_year && m->to.start_day < m->from.start_day) {
		struct period first = m->to;
		m->to = m->from;
		m->from = first;
	}
	/* "from November 2024 to March": March follows November 2024. */
	if (!end_year && m->to.start_day < m->from.start_day) {
		int shift = date_add_months(date_month_start(m->to.start_day), 12) - date_month_start(m->to.start_day);
		int len = m->to.end_day - m->to.start_day;
		if (m->to.unit == UNIT_DAY || m->to.unit == UNIT_MONTH || m->to.unit == UNIT_QUARTER) {
			int y, mo, d;
			date_to_ymd(m->to.start_day, &y, &mo, &d);
			m->to.start_day = date_from_ymd(y + 1, mo, d);
			m->to.end_day = m->to.unit == UNIT_DAY ? m->to.start_day + 1 : date_add_months(m->to.start_day, m->to.unit == UNIT_MONTH ? 1 : 3);
		} else {
			m->to.start_day += shift;
			m->to.end_day = m->to.start_day + len;
		}
		if (m->to.unit == UNIT_MONTH)
			label_month(&m->to);
		else if (m->to.unit == UNIT_QUARTER)
			label_quarter(&m->to);
	}
	/* "from March 2025 to May": May takes March's year when it has none. */
	if (start_year && !end_year && m->to.unit == UNIT_MONTH && m->from.unit == UNIT_MONTH) {
		int y1, m1, d1, y2, m2, d2;
		date_to_ymd(m->from.start_day, &y1, &m1, &d1);
		date_to_ymd(m->to.start_day, &y2, &m2, &d2);
		int start = date_from_ymd(m2 >= m1 ? y1 : y1 + 1, m2, 1);
		set_period(&m->to, start, date_add_months(start, 1), UNIT_MONTH, 1);
		label_month(&m->to);
	}
	/* "October to November 2018": October takes November's year (the year
	 * before when it would come after November). */
	if (!start_year && end_year && m->to.unit == UNIT_MONTH && m->from.unit == UNIT_MONTH) {
		int y1, m1, d1, y2, m2, d2;
		date_to_ymd(m->from.start_day, &y1, &m1, &d1);
		date_to_ymd(m->to.start_day, &y2, &m2, &d2);
		int start = date_from_ymd(m1 <= m2 ? y2 : y2 - 1, m1, 1);
		set_period(&m->from, start, date_add_months(start, 1), UNIT_MONTH, 1);
		label_month(&m->from);
	}
	if (m->to.end_day <= m->from.start_day) {
		r->pos = save;
		return false;
	}
	m->is_span = true;
	set_period(&m->period, m->from.start_day, m->to.end_day, UNIT_SPAN, 1);
	describe_span(&m->period);
	return true;
}

size_t timex_find(const struct token_list *toks, int today, struct time_mention *out, size_t max)
{
	struct reader r = { toks, 0, today };
	size_t n = 0;
	while (r.pos < toks->n && n < max) {
		size_t start = r.pos;
		struct time_mention m;
		memset(&m, 0, sizeof(m));
		bool explicit_year;
		if (read_span(&r, &m) || (r.pos = start, read_period(&r, &m.period, &explicit_year))) {
			m.explicit_year = !m.is_span && explicit_year;
			m.first = start;
			m.last = r.pos - 1;
			out[n++] = m;
		} else {
			r.pos = start + 1;
		}
	}
	return n;
}

/* The period before p of the same length ("compare with the previous"). */
struct period period_previous(const struct period *p)
{
	struct period prev = *p;
	int y, m, d;
	switch (p->unit) {
	case UNIT_MONTH:
	case UNIT_QUARTER:
	case UNIT_HALF:
	case UNIT_YEAR: {
		int months = p->unit == UNIT_MONTH ? 1 : p->unit == UNIT_QUARTER ? 3 : p->unit == UNIT_HALF ? 6 : 12;
		months *= p->count > 0 ? p->count : 1;
		prev.start_day = date_add_months(date_month_start(p->start_day), -months);
		prev.end_day = date_month_start(p->start_day);
		break;
	}
	default:
		prev.end_day = p->start_day;
		prev.start_day = p->start_day - (p->end_day - p->start_day);
		break;
	}
	date_to_ymd(prev.start_day, &y, &m, &d);
	if (prev.unit == UNIT_MONTH && prev.count <= 1)
		snprintf(prev.label, sizeof(prev.label), "%s %d", date_month_name(m), y);
	else if (prev.unit == UNIT_QUARTER && prev.count <= 1)
		snprintf(prev.label, sizeof(prev.label), "Q%d %d", (m - 1) / 3 + 1, y);
	else if (prev.unit == UNIT_YEAR && prev.count <= 1)
		snprintf(prev.label, sizeof(prev.label), "%d", y);
	else
		period_describe_dates(&prev, prev.label, sizeof(prev.label));
	prev.count = p->count;
	return prev;
}

/* The same day a year earlier; February 29 becomes the 28th. */
static int year_earlier_day(int day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	int last = date_days_in_month(y - 1, m);
	return date_from_ymd(y - 1, m, d <= last ? d : last);
}

/* The same period a year earlier ("the same month last year"). */
struct period period_year_earlier(const struct period *p)
{
	struct period y = *p;
	int yy, m, d;
	/* date_add_months works on months' first days: a period that starts
	 * or ends inside a month ("this month to date") moves by its days */
	y.start_day = p->start_day == date_month_start(p->start_day) ? date_add_months(p->start_day, -12)
								    : year_earlier_day(p->start_day);
	y.end_day = p->end_day == date_month_start(p->end_day) ? date_add_months(p->end_day, -12)
								: year_earlier_day(p->end_day);
	date_to_ymd(y.start_day, &yy, &m, &d);
	if (y.unit == UNIT_MONTH && y.count <= 1)
		label_month(&y);
	else if (y.unit == UNIT_QUARTER && y.count <= 1)
		label_quarter(&y);
	else if (y.unit == UNIT_YEAR && y.count <= 1)
		snprintf(y.label, sizeof(y.label), "%d", yy);
	else
		period_describe_dates(&y, y.label, sizeof(y.label));
	return y;
}

void period_describe_dates(const struct period *p, char *buf, size_t size)
{
	char a[16], b[16];
	date_format(p->start_day, a, sizeof(a));
	date_format(p->end_day - 1, b, sizeof(b));
	if (p->end_day - p->start_day == 1)
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s to %s", a, b);
}
