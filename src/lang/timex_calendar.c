/*
 * timex_calendar: time expressions that name the calendar: months
 * ("October 10th, 2025", "10 Oct", "March 2025"), quarters and halves
 * ("Q3", "the second half of 2024") and parts of a month ("the last week
 * of October"). Resolved from the reader's today when no year is written.
 */
#include "timex_reader.h"
#include "lexicon.h"
#include "date.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

int tx_month_of_word(const struct token *tok)
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

/* A four-digit year between 1990 and 2100 written as a plain number, or a
 * two-digit one after an apostrophe ("'25"). */
bool tx_year_at(const struct reader *r, size_t ahead, int *year)
{
	const struct token *tok = tx_peek(r, ahead);
	if (!tok || tok->kind != TOK_NUMBER || tok->money || tok->percent || tok->ordinal)
		return false;
	if (tok->short_year) { /* "'25" */
		*year = (int)tok->number;
		return true;
	}
	if (tok->number != floor(tok->number) || tok->number < 1990 || tok->number > 2100 || tok->text.n != 4)
		return false;
	*year = (int)tok->number;
	return true;
}

/* "two weeks", "twelve months": small counts written as words. */
double tx_count_at(const struct reader *r, size_t ahead)
{
	const struct token *tok = tx_peek(r, ahead);
	if (!tok)
		return -1;
	if (tok->kind == TOK_NUMBER && !tok->money && !tok->percent)
		return tok->number;
	return tok->kind == TOK_WORD ? lexicon_number_word(&tok->text) : -1;
}

void tx_set_period(struct period *p, int start, int end, enum time_unit unit, int count)
{
	p->start_day = start;
	p->end_day = end;
	p->unit = unit;
	p->count = count;
	p->label[0] = '\0';
}

void tx_label_month(struct period *p)
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

/* "1-15": two days of a month written as one word; false otherwise. */
static bool day_pair(const struct token *tok, int *a, int *b)
{
	if (!tok || tok->kind != TOK_WORD)
		return false;
	int x = 0, y = 0, digits_x = 0, digits_y = 0;
	size_t i = 0;
	/* at most two digits each: a longer number is no day (nor overflows) */
	for (; i < tok->text.n && tok->text.p[i] >= '0' && tok->text.p[i] <= '9' && digits_x <= 2; i++, digits_x++)
		x = x * 10 + (tok->text.p[i] - '0');
	if (i >= tok->text.n || tok->text.p[i] != '-')
		return false;
	for (i++; i < tok->text.n && tok->text.p[i] >= '0' && tok->text.p[i] <= '9' && digits_y <= 2; i++, digits_y++)
		y = y * 10 + (tok->text.p[i] - '0');
	if (i != tok->text.n || digits_x < 1 || digits_x > 2 || digits_y < 1 || digits_y > 2)
		return false;
	*a = x;
	*b = y;
	return true;
}

/* A day of the month written alone: 1..31, "3", "3rd". */
static bool day_number(const struct token *tok, int *day)
{
	if (!tok || tok->kind != TOK_NUMBER || tok->money || tok->percent || tok->number < 1 || tok->number > 31 ||
	    tok->number != floor(tok->number) || tok->text.n > 4)
		return false;
	*day = (int)tok->number;
	return true;
}

/*
 * day_range := DAYS ["of"] MONTH [[","] YEAR]          "1-15 Nov", "1-15 of November 2025"
 *            | MONTH DAYS [[","] YEAR]                 "Nov 1-15", "November 1-15, 2025"
 *            | MONTH DAY ("-"|"to"|"through"|"until"|"till"|"thru") DAY [[","] YEAR]
 * DAYS is "1-15" in one word. The days of one month, both included; the
 * month without a year is the latest begun on or before today.
 */
bool tx_read_day_range(struct reader *r, struct time_mention *m)
{
	static const char *const to_words[] = { "to", "through", "thru", "until", "till", NULL };
	int a = 0, b = 0, month, year = 0;
	size_t k;
	const struct token *first = tx_peek(r, 0);
	if (day_pair(first, &a, &b)) {
		k = tx_is(r, 1, "of") ? 2 : 1;
		if (!(month = tx_month_of_word(tx_peek(r, k))))
			return false;
		k++;
	} else if ((month = tx_month_of_word(first)) && day_pair(tx_peek(r, 1), &a, &b)) {
		k = 2;
	} else if (month && day_number(tx_peek(r, 1), &a) &&
		   ((tx_peek(r, 2) && tx_peek(r, 2)->kind == TOK_PUNCT && tx_peek(r, 2)->text.p[0] == '-') ||
		    tx_is_any(r, 2, to_words)) &&
		   day_number(tx_peek(r, 3), &b) && !tx_month_of_word(tx_peek(r, 4))) {
		k = 4;
	} else {
		return false;
	}
	bool explicit_year = false;
	const struct token *comma = tx_peek(r, k);
	if (comma && comma->kind == TOK_PUNCT && comma->text.p[0] == ',' && tx_year_at(r, k + 1, &year)) {
		explicit_year = true;
		k += 2;
	} else if (tx_year_at(r, k, &year)) {
		explicit_year = true;
		k++;
	}
	int start = explicit_year ? date_from_ymd(year, month, 1) : recent_month_start(r->today, month);
	int y, mo, d;
	date_to_ymd(start, &y, &mo, &d);
	if (a < 1 || a > b || b > date_days_in_month(y, mo))
		return false;
	int from = date_from_ymd(y, mo, a), to = date_from_ymd(y, mo, b);
	tx_set_period(&m->from, from, from + 1, UNIT_DAY, 1);
	snprintf(m->from.label, sizeof(m->from.label), "%s %d, %d", date_month_name(mo), a, y);
	tx_set_period(&m->to, to, to + 1, UNIT_DAY, 1);
	snprintf(m->to.label, sizeof(m->to.label), "%s %d, %d", date_month_name(mo), b, y);
	m->is_span = true;
	tx_set_period(&m->period, from, to + 1, UNIT_SPAN, 1);
	r->pos += k;
	return true;
}

/*
 * day_or_month := ["month" "of"] MONTH [ORDINAL|DAYNUM] [","] [YEAR | ["of"] ("last"|"this") "year"] ["month"]
 *              |  DAYNUM ["of"] MONTH [YEAR]
 * "October", "Oct 10", "October 10th, 2025", "10 October", "March 2025".
 */
bool tx_read_month(struct reader *r, struct period *p, bool *explicit_year)
{
	size_t save = r->pos;
	/* "the month of November", "in the month October" */
	if (tx_is(r, 0, "month") && tx_is(r, 1, "of") && tx_month_of_word(tx_peek(r, 2)))
		r->pos += 2;
	else if (tx_is(r, 0, "month") && tx_month_of_word(tx_peek(r, 1)))
		r->pos += 1;
	int month = tx_month_of_word(tx_peek(r, 0)), day = 0, year = 0;
	const struct token *tok;
	if (month) {
		/* "may" is a month only where a date is expected. */
		if (month == 5 && tx_is(r, 0, "may")) {
			static const char *const before_may[] = { "in", "since", "from", "to", "and", "of", "between", "through", "until", "for", "during", "vs", "versus", NULL };
			bool after_preposition = r->pos > 0 && tok_in(r->t, r->pos - 1, before_may);
			/* "May-Jul", "May vs June", "May to July": a month beside it */
			static const char *const joins[] = { "vs", "versus", "and", "to", "through", "thru", "till", "until", NULL };
			const struct token *next = tx_peek(r, 1), *me = tx_peek(r, 0);
			bool hyphened = next && next->text.p == me->text.p + me->text.n + 1 && me->text.p[me->text.n] == '-';
			bool beside_month = (hyphened && tx_month_of_word(next)) ||
					    (tx_is_any(r, 1, joins) && tx_month_of_word(tx_peek(r, 2)));
			/* "the most expensive, May": a clause of its own after a comma,
			 * with nothing after it but the end or more punctuation */
			const struct token *before = r->pos > 0 ? &r->t->items[r->pos - 1] : NULL;
			bool alone_after_comma = before && before->kind == TOK_PUNCT && before->text.p[0] == ',' &&
						 (!next || next->kind == TOK_PUNCT);
			if (!after_preposition && !beside_month && !alone_after_comma && !tx_year_at(r, 1, &year))
				return false;
		}
		r->pos++;
		tok = tx_peek(r, 0);
		/* "October 8%" is no day */
		if (day_number(tok, &day)) {
			r->pos++;
			if (tx_peek(r, 0) && tx_peek(r, 0)->kind == TOK_PUNCT && tx_peek(r, 0)->text.p[0] == ',' && tx_year_at(r, 1, &year))
				r->pos++;
		}
	} else {
		tok = tx_peek(r, 0);
		if (!tok || tok->kind != TOK_NUMBER || tok->money || tok->percent || tok->number < 1 || tok->number > 31 ||
		    tok->number != floor(tok->number)) {
			r->pos = save;
			return false;
		}
		size_t k = tx_is(r, 1, "of") ? 2 : 1;
		month = tx_month_of_word(tx_peek(r, k));
		if (!month)
			return false;
		day = (int)tok->number;
		r->pos += k + 1;
	}
	*explicit_year = tx_year_at(r, 0, &year);
	if (*explicit_year)
		r->pos++;
	/* "November last year", "March this year", "May of last year" */
	size_t of = tx_is(r, 0, "of") ? 1 : 0;
	/* a year told relative to today: not a written year other months of
	 * the question would take ("November vs November last year") */
	bool relative_year = false;
	if (!*explicit_year && (tx_is(r, of, "last") || tx_is(r, of, "this")) && tx_is(r, of + 1, "year")) {
		int y, m, d;
		date_to_ymd(r->today, &y, &m, &d);
		year = tx_is(r, of, "last") ? y - 1 : y;
		relative_year = true;
		r->pos += of + 2;
	}
	if (!day && tx_is(r, 0, "month")) /* "the August month" */
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
		tx_set_period(p, at, at + 1, UNIT_DAY, 1);
		snprintf(p->label, sizeof(p->label), "%s %d, %d", date_month_name(m), day, y);
	} else {
		tx_set_period(p, start, date_add_months(start, 1), UNIT_MONTH, 1);
		tx_label_month(p);
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

void tx_label_quarter(struct period *p)
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
bool tx_read_quarter_or_half(struct reader *r, struct period *p, bool *explicit_year)
{
	static const char *const first_half_words[] = { "first", "front", "former", NULL };
	static const char *const second_half_words[] = { "second", "back", "latter", NULL };
	size_t save = r->pos;
	int q = 0, half = 0, year = 0;
	const struct token *tok = tx_peek(r, 0);
	if (tx_is(r, 0, "h1") || tx_is(r, 0, "h2")) {
		half = tok->text.p[1] - '0';
		r->pos++;
	} else if ((tx_is_any(r, 0, first_half_words) || tx_is_any(r, 0, second_half_words) ||
		    tx_is_text(r, 0, "1st") || tx_is_text(r, 0, "2nd")) && tx_is(r, 1, "half")) {
		/* "the second half", "the 2nd half", "the back half", "the latter half" */
		half = tx_is_any(r, 0, first_half_words) || tx_is_text(r, 0, "1st") ? 1 : 2;
		r->pos += 2;
	} else if (tx_is(r, 0, "quarter") && tx_count_at(r, 1) >= 1 && tx_count_at(r, 1) <= 4 &&
		   tx_count_at(r, 1) == floor(tx_count_at(r, 1)) && !tx_year_at(r, 1, &year)) {
		/* "quarter 3", "quarter three" */
		q = (int)tx_count_at(r, 1);
		r->pos += 2;
	} else {
		for (size_t i = 0; i < sizeof(quarter_words) / sizeof(quarter_words[0]) && !q; i++) {
			if (!tx_is(r, 0, quarter_words[i].word))
				continue;
			bool bare = quarter_words[i].word[0] == 'q';
			if (!bare && !tx_is(r, 1, "quarter"))
				break;
			q = quarter_words[i].quarter;
			r->pos += bare ? 1 : 2;
		}
		if (!q && tok && tok->kind == TOK_NUMBER && tok->ordinal && tok->number >= 1 && tok->number <= 4 &&
		    tx_is(r, 1, "quarter")) {
			q = (int)tok->number;
			r->pos += 2;
		}
		if (!q) {
			r->pos = save;
			return false;
		}
	}
	if (tx_is(r, 0, "of") && tx_year_at(r, 1, &year))
		r->pos++;
	*explicit_year = tx_year_at(r, 0, &year);
	if (*explicit_year)
		r->pos++;
	int y, m, d;
	date_to_ymd(r->today, &y, &m, &d);
	/* "the first half of this year", "Q2 of last year" */
	size_t of = tx_is(r, 0, "of") ? 1 : 0;
	if (!*explicit_year && (tx_is(r, of, "this") || tx_is(r, of, "the") || tx_is(r, of, "current")) && tx_is(r, of + 1, "year")) {
		year = y;
		*explicit_year = true;
		r->pos += of + 2;
	} else if (!*explicit_year && (tx_is(r, of, "last") || tx_is(r, of, "previous")) && tx_is(r, of + 1, "year")) {
		year = y - 1;
		*explicit_year = true;
		r->pos += of + 2;
	}
	if (half) {
		int start = date_from_ymd(*explicit_year ? year : y, half == 1 ? 1 : 7, 1);
		if (!*explicit_year && start > r->today)
			start = date_add_months(start, -12);
		tx_set_period(p, start, date_add_months(start, 6), UNIT_HALF, 1);
		date_to_ymd(start, &y, &m, &d);
		snprintf(p->label, sizeof(p->label), "H%d %d", half, y);
		return true;
	}
	int start = *explicit_year ? date_from_ymd(year, (q - 1) * 3 + 1, 1) : recent_quarter_start(r->today, q);
	tx_set_period(p, start, date_add_months(start, 3), UNIT_QUARTER, 1);
	tx_label_quarter(p);
	return true;
}

/* "the 3rd", "since the 1st": that day of this month, or of the month
 * before when it has not come yet; false when that month has no such day. */
bool tx_latest_day_of_month(int today, int day, struct period *p)
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
	tx_set_period(p, first, first + 1, UNIT_DAY, 1);
	snprintf(p->label, sizeof(p->label), "%s %d, %d", date_month_name(mo), day, y);
	return true;
}

/*
 * part_of_month := ["the"] ("first"|"second"|"last") "half" "of" MONTH
 *                | ["the"] ("first"|"second"|"third"|"fourth"|"last") "week" "of" MONTH
 * "the second half of October" is October 16-31, not H2 and October; a
 * month's weeks are its days 1-7, 8-14, 15-21, 22-28, and its last 7 days.
 */
bool tx_read_part_of_month(struct reader *r, struct period *p, bool *explicit_year)
{
	static const struct {
		const char *word;
		int nth; /* -1: the last */
	} ordinals[] = { { "first", 1 }, { "1st", 1 }, { "second", 2 }, { "2nd", 2 }, { "third", 3 }, { "3rd", 3 },
			 { "fourth", 4 }, { "4th", 4 }, { "last", -1 }, { "final", -1 } };
	size_t save = r->pos, at = tx_is(r, 0, "the") ? 1 : 0;
	int nth = 0;
	for (size_t i = 0; i < sizeof(ordinals) / sizeof(ordinals[0]) && !nth; i++)
		if (tx_is_text(r, at, ordinals[i].word))
			nth = ordinals[i].nth;
	static const char *const second_half_words[] = { "back", "latter", NULL };
	if (!nth && tx_is_any(r, at, second_half_words))
		nth = 2; /* "the latter half of September" */
	bool half = tx_is(r, at + 1, "half"), week = tx_is(r, at + 1, "week");
	if (!nth || !(half || week) || !tx_is(r, at + 2, "of") || !tx_month_of_word(tx_peek(r, at + 3)) || (half && nth > 2))
		return false;
	r->pos += at + 3;
	struct period month;
	if (!tx_read_month(r, &month, explicit_year) || month.unit != UNIT_MONTH) {
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
	tx_set_period(p, start, end, UNIT_SPAN, 1);
	snprintf(p->label, sizeof(p->label), "the %s %s of %.32s",
		 nth == 1 ? "first" : nth == 2 ? "second" : nth == 3 ? "third" : nth == 4 ? "fourth" : "last",
		 half ? "half" : "week", month.label);
	return true;
}
