/*
 * timex: a recursive-descent reader of time expressions over tokens: one
 * period (a date, a month, a relative period, read by timex_calendar.c and
 * timex_relative.c) or a span of two ("from X to Y", "since X"), and the
 * arithmetic of periods (the one before, the same a year earlier).
 */
#include "timex_reader.h"
#include "date.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * edge_of_period := ["the"] ("first"|"last"|"final") [NUMBER] UNIT "of" period
 * "the last 3 days of October", "the last day of October", "the first two
 * weeks of November", "the last two months of 2024": that many units at
 * the start or the end of the period (weeks as 7 days, as a month's
 * weeks are in part_of_month).
 */
static bool read_period(struct reader *r, struct period *p, bool *explicit_year);

static bool read_edge_of_period(struct reader *r, struct period *p, bool *explicit_year)
{
	size_t save = r->pos, at = tx_is(r, 0, "the") ? 1 : 0;
	bool first = tx_is(r, at, "first"), last = tx_is(r, at, "last") || tx_is(r, at, "final");
	if (!first && !last)
		return false;
	at++;
	double n = tx_count_at(r, at);
	int count = 1;
	if (n >= 1 && n <= 366 && n == floor(n)) {
		count = (int)n;
		at++;
	}
	enum time_unit unit;
	if (!tx_unit_at(r, at, &unit) || unit == UNIT_QUARTER || unit == UNIT_YEAR || !tx_is(r, at + 1, "of"))
		return false;
	r->pos += at + 2;
	struct period whole;
	if (!read_period(r, &whole, explicit_year) || whole.end_day - whole.start_day < 2) {
		r->pos = save;
		return false;
	}
	int start, end;
	if (unit == UNIT_MONTH) {
		start = first ? whole.start_day : date_add_months(date_month_start(whole.end_day - 1), 1 - count);
		end = first ? date_add_months(date_month_start(whole.start_day), count) : whole.end_day;
	} else {
		int days = unit == UNIT_WEEK ? 7 * count : count;
		start = first ? whole.start_day : whole.end_day - days;
		end = first ? whole.start_day + days : whole.end_day;
	}
	if (start < whole.start_day || end > whole.end_day || start >= end) {
		r->pos = save;
		return false;
	}
	tx_set_period(p, start, end, count == 1 && unit == UNIT_DAY ? UNIT_DAY : UNIT_SPAN, 1);
	period_describe_dates(p, p->label, sizeof(p->label));
	return true;
}

/*
 * anchored := ["the"] ("week"|"wk") ("of"|"starting"|"beginning"|"commencing"|"ending"|"ended") DAY
 *           | ("w/c"|"w/e") DAY
 *           | ["the"] ("month"|"quarter"|"year") ("ending"|"ended") DAY
 * "the week of Oct 6" is the Monday-to-Sunday week holding it; "starting
 * X" the 7 days from X, "ending X" the 7 days to X; "the year ending 30
 * September 2025" the 12 months to it, as a fiscal year is written.
 */
static bool read_anchored(struct reader *r, struct period *p, bool *explicit_year)
{
	static const char *const week_words[] = { "week", "wk", NULL };
	static const char *const from_words[] = { "starting", "beginning", "commencing", "from", NULL };
	static const char *const to_words[] = { "ending", "ended", NULL };
	size_t save = r->pos, at = tx_is(r, 0, "the") ? 1 : 0;
	enum { WEEK_OF, STARTING, ENDING } how;
	enum time_unit unit = UNIT_WEEK;
	size_t skip;
	if (tx_is(r, at, "w/c")) {
		how = STARTING, skip = at + 1;
	} else if (tx_is(r, at, "w/e")) {
		how = ENDING, skip = at + 1;
	} else if (tx_is_any(r, at, week_words) && tx_is(r, at + 1, "of")) {
		how = WEEK_OF, skip = at + 2;
	} else if (tx_is_any(r, at, week_words) && tx_is_any(r, at + 1, from_words)) {
		how = STARTING, skip = at + 2;
	} else if ((tx_is_any(r, at, week_words) || (tx_unit_at(r, at, &unit) && unit != UNIT_DAY)) &&
		   tx_is_any(r, at + 1, to_words)) {
		if (tx_is_any(r, at, week_words))
			unit = UNIT_WEEK;
		how = ENDING, skip = at + 2;
	} else {
		return false;
	}
	r->pos += skip;
	struct period day;
	if (!read_period(r, &day, explicit_year) || day.unit != UNIT_DAY) {
		r->pos = save;
		return false;
	}
	int start, end;
	if (unit == UNIT_WEEK) {
		start = how == WEEK_OF ? date_week_start(day.start_day) : how == STARTING ? day.start_day : day.start_day - 6;
		end = start + 7;
	} else {
		/* only a month's last day ends whole months ("the month ending
		 * November 30"); any other day is left unread */
		int months = unit == UNIT_MONTH ? 1 : unit == UNIT_QUARTER ? 3 : 12;
		end = day.end_day;
		if (end != date_month_start(end)) {
			r->pos = save;
			return false;
		}
		start = date_add_months(end, -months);
	}
	tx_set_period(p, start, end, UNIT_SPAN, 1);
	period_describe_dates(p, p->label, sizeof(p->label));
	if (unit == UNIT_WEEK)
		snprintf(p->label, sizeof(p->label), "the week %s %.40s",
			 how == WEEK_OF ? "of" : how == STARTING ? "starting" : "ending", day.label);
	return true;
}

/*
 * period := part_of_month | edge_of_period | anchored | relative | quarter_or_half | day_or_month | ISO_DATE | "yyyy-mm" | YEAR
 * A bare year needs a preposition before it ("in 2024", "for 2024") so that
 * "over 2000" stays an amount.
 */
static bool read_period(struct reader *r, struct period *p, bool *explicit_year)
{
	static const char *const year_preps[] = { "in", "for", "during", "of", "from", "to", "and", "between", "since", "through", "until", "vs", "versus", "year", "calendar", NULL };
	const struct token *tok = tx_peek(r, 0);
	int year;
	*explicit_year = false;
	if (!tok)
		return false;
	/* "Monday 27 October", "Fri, Nov 14": the date, when it falls on that
	 * weekday; "Tuesday 3 November" (a Monday) is left unread, so finq
	 * asks instead of choosing one of the two */
	int weekday = tx_weekday_of(tok);
	if (weekday >= 0) {
		size_t save = r->pos;
		r->pos += tx_peek(r, 1) && tx_peek(r, 1)->kind == TOK_PUNCT && tx_peek(r, 1)->text.p[0] == ',' ? 2 : 1;
		if (read_period(r, p, explicit_year) && p->unit == UNIT_DAY && date_weekday(p->start_day) == weekday)
			return true;
		r->pos = save;
	}
	/* before relative: "the last week of October" is not last week */
	if (tx_read_part_of_month(r, p, explicit_year))
		return true;
	if (read_edge_of_period(r, p, explicit_year))
		return true;
	if (read_anchored(r, p, explicit_year))
		return true;
	if (tx_read_relative(r, p))
		return true;
	if (tx_read_quarter_or_half(r, p, explicit_year))
		return true;
	if (tx_read_month(r, p, explicit_year))
		return true;
	/* "on the 3rd", "for the 12th": that day of this month, or of the month
	 * before when it has not come yet (a day with a month is read above) */
	if (tok->kind == TOK_NUMBER && tok->ordinal && tok->number >= 1 && tok->number <= 31 &&
	    tok->number == floor(tok->number) && r->pos >= 2 && tok_is(r->t, r->pos - 1, "the") &&
	    (tok_is(r->t, r->pos - 2, "on") || tok_is(r->t, r->pos - 2, "for"))) {
		if (tx_latest_day_of_month(r->today, (int)tok->number, p)) {
			r->pos++;
			return true;
		}
	}
	/* "calendar year 2024", "calendar 2024": the calendar year is the year */
	if (tx_is(r, 0, "calendar") && (tx_year_at(r, 1, &year) || (tx_is(r, 1, "year") && tx_year_at(r, 2, &year)))) {
		r->pos++;
		tok = tx_peek(r, 0);
	}
	/* "the year 2024", "of year 2024": the word is part of the period */
	if (tx_is(r, 0, "year") && tx_year_at(r, 1, &year)) {
		r->pos++;
		tok = tx_peek(r, 0);
	}
	if (tok->kind == TOK_DATE) {
		tx_set_period(p, tok->day, tok->day + 1, UNIT_DAY, 1);
		date_format(tok->day, p->label, sizeof(p->label));
		*explicit_year = true;
		r->pos++;
		return true;
	}
	/* "month 2025-08": the word names what follows */
	if (tx_is(r, 0, "month") && tx_peek(r, 1) && tx_peek(r, 1)->kind == TOK_WORD && tx_peek(r, 1)->text.n == 7 &&
	    tx_peek(r, 1)->text.p[4] == '-') {
		r->pos++;
		tok = tx_peek(r, 0);
	}
	/* "Oct-2025", "Nov-25", "2025-11", "11/2025", "3/14", "14.03.2025", "1H25" */
	if (tx_read_numeric(r, p, explicit_year))
		return true;
	if (tx_year_at(r, 0, &year) && r->pos > 0 && tok_in(r->t, r->pos - 1, year_preps)) {
		int start = date_from_ymd(year, 1, 1);
		tx_set_period(p, start, date_from_ymd(year + 1, 1, 1), UNIT_YEAR, 1);
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
/* How many tokens join a span's two ends: "to", "through", "-", ".."; 0
 * for a hyphen the lexer left out between two words ("jan-mar"); -1 when
 * nothing joins them. */
static int span_joiner(const struct reader *r, bool between)
{
	static const char *const to_words[] = { "to", "through", "thru", "until", "till", NULL };
	if (between)
		return tx_is(r, 0, "and") ? 1 : -1;
	if (tx_is_any(r, 0, to_words))
		return 1;
	const struct token *t = tx_peek(r, 0), *u = tx_peek(r, 1);
	if (!t)
		return -1;
	if (t->kind == TOK_PUNCT && t->text.p[0] == '-')
		return 1;
	if (u && t->kind == TOK_PUNCT && u->kind == TOK_PUNCT && t->text.p[0] == '.' && u->text.p[0] == '.' &&
	    u->text.p == t->text.p + 1)
		return 2;
	const struct token *before = r->pos > 0 ? &r->t->items[r->pos - 1] : NULL;
	if (before && before->kind == TOK_WORD && t->kind == TOK_WORD && before->text.p + before->text.n + 1 == t->text.p &&
	    before->text.p[before->text.n] == '-')
		return 0;
	return -1;
}

/* "between the 5th and the 12th of October", "from 3 to 9 November": a
 * bare day first takes the month (and year) of the day that ends the span.
 * r is past "between"/"from"; on failure r is left where it was. */
static bool read_day_span(struct reader *r, struct time_mention *m, bool between)
{
	size_t save = r->pos;
	size_t at = tx_is(r, 0, "the") ? 1 : 0;
	const struct token *day = tx_peek(r, at);
	if (!day || day->kind != TOK_NUMBER || day->money || day->percent || day->number < 1 || day->number > 31 ||
	    day->number != floor(day->number))
		return false;
	r->pos += at + 1;
	int join = span_joiner(r, between);
	if (join < 0) {
		r->pos = save;
		return false;
	}
	r->pos += (size_t)join;
	if (tx_is(r, 0, "the"))
		r->pos++;
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
	tx_set_period(&m->from, start, start + 1, UNIT_DAY, 1);
	snprintf(m->from.label, sizeof(m->from.label), "%s %d, %d", date_month_name(mo), (int)day->number, y);
	m->is_span = true;
	tx_set_period(&m->period, start, m->to.end_day, UNIT_SPAN, 1);
	describe_span(&m->period);
	return true;
}

static bool read_span(struct reader *r, struct time_mention *m)
{
	size_t save = r->pos;
	bool between = tx_is(r, 0, "between"), since = tx_is(r, 0, "since") || (tx_is(r, 0, "starting") && !tx_is(r, 1, "from"));
	/* "after the 15th of November": since the day after it */
	bool after = tx_is(r, 0, "after");
	since |= after;
	bool from = tx_is(r, 0, "from") || (tx_is(r, 0, "starting") && tx_is(r, 1, "from"));
	r->pos += between || since ? 1 : from ? (tx_is(r, 0, "starting") ? 2 : 1) : 0;
	bool start_year, end_year;
	/* "since the start of the year", "since the beginning of October" */
	size_t at = tx_is(r, 0, "the") ? 1 : 0;
	enum time_unit current;
	if ((since || from) && (tx_is(r, at, "start") || tx_is(r, at, "beginning") || tx_is(r, at, "begin")) && tx_is(r, at + 1, "of")) {
		r->pos += at + 2;
		if (tx_is(r, 0, "the") && tx_unit_at(r, 1, &current) && current != UNIT_DAY) {
			/* "the year": the one under way */
			int start = tx_unit_start(r->today, current);
			tx_set_period(&m->from, start, current == UNIT_WEEK ? start + 7 : date_add_months(start, current == UNIT_YEAR ? 12 : current == UNIT_QUARTER ? 3 : 1), current, 1);
			snprintf(m->from.label, sizeof(m->from.label), "the start of this %s", tx_unit_names[current]);
			r->pos += 2;
			start_year = true;
			goto read;
		}
	}
	if ((between || from) && read_day_span(r, m, between))
		return true;
	if (tx_read_day_range(r, m)) {
		describe_span(&m->period);
		return true;
	}
	/* "since the 15th of November", "after the 3rd" */
	if (since && tx_is(r, 0, "the") && tx_peek(r, 1) && tx_peek(r, 1)->kind == TOK_NUMBER)
		r->pos++;
	/* "since the 1st", "after the 15th": that day of this month, or of the
	 * month before when it has not come yet */
	const struct token *ord = tx_peek(r, 0);
	if (since && ord && ord->kind == TOK_NUMBER && ord->ordinal && ord->number >= 1 && ord->number <= 31 &&
	    ord->number == floor(ord->number) && !tx_month_of_word(tx_peek(r, 1)) && !(tx_is(r, 1, "of") && tx_month_of_word(tx_peek(r, 2)))) {
		if (tx_latest_day_of_month(r->today, (int)ord->number, &m->from)) {
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
		tx_set_period(&m->to, r->today, r->today + 1, UNIT_DAY, 1);
		/* "since 2026" asked in 2025 would end before it starts: it means
		 * that period, which has not begun yet. */
		int begin = after ? m->from.end_day : m->from.start_day;
		if (after && begin > r->today) { /* after a period still running: nothing yet to read */
			r->pos = save;
			return false;
		}
		int end = begin > r->today ? m->from.end_day : r->today + 1;
		tx_set_period(&m->period, begin, end, UNIT_SPAN, 1);
		snprintf(m->period.label, sizeof(m->period.label), "%s %.56s", after ? "after" : "since", m->from.label);
		return true;
	}
	int join = span_joiner(r, between);
	size_t before_join = r->pos;
	if (join < 0) {
		r->pos = save;
		return false;
	}
	r->pos += (size_t)join;
	/* "until the end of September": through September */
	size_t the_end = tx_is(r, 0, "the") ? 1 : 0;
	if (tx_is(r, the_end, "end") && tx_is(r, the_end + 1, "of") && !tx_is(r, the_end + 2, "the"))
		r->pos += the_end + 2;
	/* "last month", "yesterday": a period told from today keeps its year */
	static const char *const anchored[] = { "last", "past", "previous", "prior", "this", "current", "today",
						 "yesterday", "mtd", "qtd", "ytd", NULL };
	bool end_anchored = tx_is_any(r, 0, anchored) || (tx_is(r, 0, "the") && tx_is_any(r, 1, anchored));
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
	/* "compare Q3 to Q2": two periods, each the latest of its name, not a
	 * span that runs into next year */
	static const char *const comparing[] = { "compare", "comparing", "compared", "comparison", NULL };
	bool compares = false;
	for (size_t i = 0; i < save; i++)
		compares |= tok_in(r->t, i, comparing);
	if (compares && !between && !end_year && m->to.start_day < m->from.start_day) {
		r->pos = save;
		return false;
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
			tx_label_month(&m->to);
		else if (m->to.unit == UNIT_QUARTER)
			tx_label_quarter(&m->to);
	}
	/* "from March 2025 to May": May takes March's year when it has none. */
	if (start_year && !end_year && m->to.unit == UNIT_MONTH && m->from.unit == UNIT_MONTH) {
		int y1, m1, d1, y2, m2, d2;
		date_to_ymd(m->from.start_day, &y1, &m1, &d1);
		date_to_ymd(m->to.start_day, &y2, &m2, &d2);
		int start = date_from_ymd(m2 >= m1 ? y1 : y1 + 1, m2, 1);
		tx_set_period(&m->to, start, date_add_months(start, 1), UNIT_MONTH, 1);
		tx_label_month(&m->to);
	}
	/* "October to November 2018": October takes November's year (the year
	 * before when it would come after November). */
	if (!start_year && end_year && m->to.unit == UNIT_MONTH && m->from.unit == UNIT_MONTH) {
		int y1, m1, d1, y2, m2, d2;
		date_to_ymd(m->from.start_day, &y1, &m1, &d1);
		date_to_ymd(m->to.start_day, &y2, &m2, &d2);
		int start = date_from_ymd(m1 <= m2 ? y2 : y2 - 1, m1, 1);
		tx_set_period(&m->from, start, date_add_months(start, 1), UNIT_MONTH, 1);
		tx_label_month(&m->from);
	}
	if (m->to.end_day <= m->from.start_day) {
		r->pos = save;
		return false;
	}
	m->is_span = true;
	tx_set_period(&m->period, m->from.start_day, m->to.end_day, UNIT_SPAN, 1);
	describe_span(&m->period);
	return true;
}

/* "2024", "'24", "2025-11-03", "Nov-25", "11/2025", "1H25": a token that
 * writes a year ("Q1" and "the 3rd" do not). */
static bool writes_a_year(const struct token *t)
{
	if (t->kind == TOK_DATE || t->short_year)
		return true;
	if (t->kind == TOK_NUMBER)
		return t->number >= 1990 && t->number <= 2100 && !t->money && !t->ordinal;
	if (t->kind != TOK_WORD || t->text.n < 4)
		return false;
	bool digit = false, separator = false;
	for (size_t c = 0; c < t->text.n; c++) {
		digit |= t->text.p[c] >= '0' && t->text.p[c] <= '9';
		separator |= t->text.p[c] == '-' || t->text.p[c] == '/' || t->text.p[c] == '.';
	}
	bool glued_half = (t->text.p[0] == '1' || t->text.p[0] == '2') && t->text.p[1] == 'h';
	return digit && (separator || glued_half);
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
			for (size_t i = start; m.explicit_year && i < r.pos; i++)
				m.year_in_digits |= writes_a_year(&toks->items[i]);
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

bool timex_weekday_mismatch(const struct token_list *toks, size_t i, int today, char *message, size_t size)
{
	if (i >= toks->n)
		return false;
	int weekday = tx_weekday_of(&toks->items[i]);
	if (weekday < 0)
		return false;
	struct reader r = { toks, i + 1, today };
	if (tx_peek(&r, 0) && tx_peek(&r, 0)->kind == TOK_PUNCT && tx_peek(&r, 0)->text.p[0] == ',')
		r.pos++;
	struct period day;
	bool explicit_year;
	if (!read_period(&r, &day, &explicit_year) || day.unit != UNIT_DAY || date_weekday(day.start_day) == weekday)
		return false;
	snprintf(message, size, "%s is a %s, not a %s: which day did you mean?", day.label,
		 tx_weekday_name(date_weekday(day.start_day)), tx_weekday_name(weekday));
	return true;
}

/* The period after p of the same length: two steps back from the one
 * after the next is p itself, so period_previous labels it. */
struct period period_next(const struct period *p)
{
	struct period ahead = *p;
	int months = p->unit == UNIT_MONTH ? 1 : p->unit == UNIT_QUARTER ? 3 : p->unit == UNIT_HALF ? 6 : p->unit == UNIT_YEAR ? 12 : 0;
	months *= p->count > 0 ? p->count : 1;
	if (months && p->start_day == date_month_start(p->start_day)) {
		ahead.start_day = date_add_months(p->start_day, 2 * months);
		ahead.end_day = date_add_months(p->start_day, 3 * months);
	} else {
		int len = p->end_day - p->start_day;
		ahead.start_day = p->start_day + 2 * len;
		ahead.end_day = p->end_day + 2 * len;
	}
	return period_previous(&ahead);
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
		tx_label_month(&y);
	else if (y.unit == UNIT_QUARTER && y.count <= 1)
		tx_label_quarter(&y);
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
