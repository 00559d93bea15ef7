/*
 * timex_numeric: dates and periods written in digits, the way exports,
 * spreadsheets and other countries write them: months ("11/2025",
 * "2025/11", "Nov-25", "Oct-2025"), days ("3/14", "14.03.2025",
 * "25/04/2025", "2025/11/05", "3/14/25") and halves and quarters glued to
 * a year ("1H25", "Q3-2025"). A day whose month and day could be either
 * way round ("04/05/2025") is not read: the parser asks which it is
 * (timex_ambiguous_date).
 */
#include "timex_reader.h"
#include "date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

enum { MAX_PARTS = 3 };

/* Numbers separated by one kind of separator ("14.03.2025" -> 14 03 2025),
 * with how many digits each had; 0 when text is anything else. */
static int split_digits(const struct slice *text, const char *separators, int value[MAX_PARTS],
			int digits[MAX_PARTS])
{
	char sep = 0;
	int n = 0;
	size_t i = 0;
	while (i < text->n) {
		if (n == MAX_PARTS)
			return 0;
		int v = 0, d = 0;
		while (i < text->n && isdigit((unsigned char)text->p[i]) && d < 5)
			v = v * 10 + (text->p[i++] - '0'), d++;
		if (d == 0 || d > 4)
			return 0;
		value[n] = v;
		digits[n++] = d;
		if (i == text->n)
			break;
		char c = text->p[i++];
		if (!strchr(separators, c) || (sep && c != sep) || i == text->n)
			return 0;
		sep = c;
	}
	return n >= 2 ? n : 0;
}

static int full_year(int value, int digits)
{
	return digits == 2 ? 2000 + value : digits == 4 ? value : 0;
}

static bool year_ok(int year)
{
	return year >= 1990 && year <= 2100;
}

/* The most recent month/day on or before today. */
static int recent_day(int today, int month, int day)
{
	int y, m, d;
	date_to_ymd(today, &y, &m, &d);
	if (day > date_days_in_month(y, month))
		return -1;
	int at = date_from_ymd(y, month, day);
	if (at > today && day <= date_days_in_month(y - 1, month))
		at = date_from_ymd(y - 1, month, day);
	return at;
}

struct numeric_reading {
	enum { NUMERIC_NONE, NUMERIC_MONTH, NUMERIC_DAY, NUMERIC_EITHER_WAY } kind;
	int start;           /* NUMERIC_MONTH: its first day; NUMERIC_DAY: the day */
	int first, second;   /* NUMERIC_EITHER_WAY: the day read month-first, then day-first */
	bool second_is_month; /* NUMERIC_EITHER_WAY: "11/25", the 25th or 2025 */
};

/* A day from two numbers either way round: month-first when only that
 * reads ("3/14"), day-first when only that does ("25/04"), the same
 * when both are equal, else either. year 0: the most recent. */
static struct numeric_reading day_of(int a, int b, int year, int today)
{
	struct numeric_reading out = { .kind = NUMERIC_NONE };
	int month_first = -1, day_first = -1;
	if (a >= 1 && a <= 12 && b >= 1 && b <= 31)
		month_first = year ? (b <= date_days_in_month(year, a) ? date_from_ymd(year, a, b) : -1)
				   : recent_day(today, a, b);
	if (b >= 1 && b <= 12 && a >= 1 && a <= 31)
		day_first = year ? (a <= date_days_in_month(year, b) ? date_from_ymd(year, b, a) : -1)
				 : recent_day(today, b, a);
	if (month_first >= 0 && day_first >= 0 && month_first != day_first) {
		out.kind = NUMERIC_EITHER_WAY;
		out.first = month_first;
		out.second = day_first;
	} else if (month_first >= 0 || day_first >= 0) {
		out.kind = NUMERIC_DAY;
		out.start = month_first >= 0 ? month_first : day_first;
	}
	return out;
}

static struct numeric_reading read_digits(const struct slice *text, int today)
{
	struct numeric_reading none = { .kind = NUMERIC_NONE };
	int v[MAX_PARTS], d[MAX_PARTS];
	int n = split_digits(text, "/.-", v, d);
	bool dashed = memchr(text->p, '-', text->n) != NULL;
	if (n == 2) {
		/* "11/2025", "11-2025": month and year; "2025/11": year and month */
		int month = d[1] == 4 ? v[0] : d[0] == 4 ? v[1] : 0;
		int year = d[1] == 4 ? v[1] : d[0] == 4 ? v[0] : 0;
		if (month >= 1 && month <= 12 && year_ok(year) && (d[0] <= 2 || d[1] <= 2)) {
			struct numeric_reading out = { .kind = NUMERIC_MONTH, .start = date_from_ymd(year, month, 1) };
			return out;
		}
		/* "3/14", "25/04": a day of the most recent such month; not
		 * with a dot (an amount: "14.50") or a dash (a range: "3-5") */
		if (dashed || !memchr(text->p, '/', text->n) || d[0] > 2 || d[1] > 2)
			return none;
		struct numeric_reading day = day_of(v[0], v[1], 0, today);
		/* "11/25": November 25 or November 2025, a card's month and year */
		int this_year, m, dd;
		date_to_ymd(today, &this_year, &m, &dd);
		int card_year = 2000 + v[1];
		if (d[1] == 2 && day.kind == NUMERIC_DAY && v[0] >= 1 && v[0] <= 12 && card_year >= this_year - 3 &&
		    card_year <= this_year && date_from_ymd(card_year, v[0], 1) <= today) {
			day.kind = NUMERIC_EITHER_WAY;
			day.first = day.start;
			day.second = date_from_ymd(card_year, v[0], 1);
			day.second_is_month = true;
		}
		return day;
	}
	if (n == 3) {
		/* "2025/11/05", "2025.11.05" */
		if (d[0] == 4 && d[1] <= 2 && d[2] <= 2 && year_ok(v[0]) && v[1] >= 1 && v[1] <= 12 && v[2] >= 1 &&
		    v[2] <= date_days_in_month(v[0], v[1])) {
			struct numeric_reading out = { .kind = NUMERIC_DAY, .start = date_from_ymd(v[0], v[1], v[2]) };
			return out;
		}
		/* "14.03.2025", "3/14/25", "25/04/2025" */
		int year = full_year(v[2], d[2]);
		if (d[0] <= 2 && d[1] <= 2 && year_ok(year))
			return day_of(v[0], v[1], year, today);
	}
	return none;
}

/* "nov-25", "oct-2025", "1h25", "2h-2024", "q3-25", "q3/2025" */
static bool read_glued(const struct slice *w, struct period *p)
{
	const char *dash = memchr(w->p, '-', w->n);
	if (!dash)
		dash = memchr(w->p, '/', w->n);
	const char *digits = dash ? dash + 1 : NULL;
	size_t head = dash ? (size_t)(dash - w->p) : 0;
	/* "1h25", "2h2024": a half and a year with nothing between */
	if (!dash && w->n >= 4 && (w->p[0] == '1' || w->p[0] == '2') && w->p[1] == 'h') {
		head = 2;
		digits = w->p + 2;
	}
	if (!digits)
		return false;
	size_t nd = (size_t)(w->p + w->n - digits);
	if (nd != 2 && nd != 4)
		return false; /* a year is '25 or 2025 */
	int value = 0;
	for (size_t i = 0; i < nd; i++) {
		if (!isdigit((unsigned char)digits[i]))
			return false;
		value = value * 10 + (digits[i] - '0');
	}
	int year = full_year(value, (int)nd);
	if (!year_ok(year))
		return false;
	struct token part = { .kind = TOK_WORD, .text = { w->p, head } };
	int month = tx_month_of_word(&part);
	if (month) {
		int start = date_from_ymd(year, month, 1);
		tx_set_period(p, start, date_add_months(start, 1), UNIT_MONTH, 1);
		tx_label_month(p);
		return true;
	}
	if (head == 2 && ((w->p[0] == 'q' && w->p[1] >= '1' && w->p[1] <= '4') ||
			  (w->p[0] == 'h' && (w->p[1] == '1' || w->p[1] == '2')) ||
			  ((w->p[0] == '1' || w->p[0] == '2') && w->p[1] == 'h'))) {
		bool quarter = w->p[0] == 'q';
		int n = w->p[0] == 'q' || w->p[0] == 'h' ? w->p[1] - '0' : w->p[0] - '0';
		int months = quarter ? 3 : 6;
		int start = date_from_ymd(year, (n - 1) * months + 1, 1);
		tx_set_period(p, start, date_add_months(start, months), quarter ? UNIT_QUARTER : UNIT_HALF, 1);
		if (quarter)
			tx_label_quarter(p);
		else
			snprintf(p->label, sizeof(p->label), "H%d %d", n, year);
		return true;
	}
	return false;
}

/* "01.10.2025 - 31.10.2025": another date of the question that reads one
 * way only tells the order of one that reads both ways. 1: month first,
 * -1: day first, 0: no such date. */
static int question_date_order(const struct reader *r)
{
	for (size_t i = 0; i < r->t->n; i++) {
		const struct token *tok = &r->t->items[i];
		int v[MAX_PARTS], d[MAX_PARTS];
		int n = split_digits(&tok->text, "/.", v, d);
		if (n < 2 || d[0] > 2 || d[1] > 2)
			continue;
		if (v[0] > 12 && v[0] <= 31 && v[1] >= 1 && v[1] <= 12)
			return -1;
		if (v[1] > 12 && v[1] <= 31 && v[0] >= 1 && v[0] <= 12 && (n == 3 || d[1] == 2))
			return 1;
	}
	return 0;
}

bool tx_read_numeric(struct reader *r, struct period *p, bool *explicit_year)
{
	const struct token *tok = tx_peek(r, 0);
	if (!tok || (tok->kind != TOK_WORD && tok->kind != TOK_NUMBER) || tok->money || tok->percent)
		return false;
	if (tok->kind == TOK_WORD && read_glued(&tok->text, p)) {
		*explicit_year = true;
		r->pos++;
		return true;
	}
	struct numeric_reading n = read_digits(&tok->text, r->today);
	int order = n.kind == NUMERIC_EITHER_WAY && !n.second_is_month ? question_date_order(r) : 0;
	if (order) {
		n.kind = NUMERIC_DAY;
		n.start = order > 0 ? n.first : n.second;
	}
	if (n.kind == NUMERIC_MONTH) {
		tx_set_period(p, n.start, date_add_months(n.start, 1), UNIT_MONTH, 1);
		tx_label_month(p);
	} else if (n.kind == NUMERIC_DAY) {
		tx_set_period(p, n.start, n.start + 1, UNIT_DAY, 1);
		int y, m, d;
		date_to_ymd(n.start, &y, &m, &d);
		snprintf(p->label, sizeof(p->label), "%s %d, %d", date_month_name(m), d, y);
	} else {
		return false;
	}
	*explicit_year = true;
	r->pos++;
	return true;
}

bool timex_ambiguous_date(const struct token *tok, int today, char *message, size_t size)
{
	if (!tok || (tok->kind != TOK_WORD && tok->kind != TOK_NUMBER))
		return false;
	struct numeric_reading n = read_digits(&tok->text, today);
	if (n.kind != NUMERIC_EITHER_WAY)
		return false;
	char a[16], b[16];
	date_format(n.first, a, sizeof(a));
	date_format(n.second, b, sizeof(b));
	if (n.second_is_month)
		snprintf(message, size, "Is '%.*s' the day %s or the month %.7s? Please write it as %s or %.7s.",
			 (int)tok->text.n, tok->text.p, a, b, a, b);
	else
		snprintf(message, size,
			 "Is '%.*s' %s (month first) or %s (day first)? Please write the date as %s or %s.",
			 (int)tok->text.n, tok->text.p, a, b, a, b);
	return true;
}
