/*
 * periods: a question's time range against the loaded days (see periods.h).
 * ask.c reads the loaded days once per context and calls these around the
 * query; the words they write go into the answer's message.
 */
#include "periods.h"

#include "ask.h"

#include "date.h"
#include "dialect.h"
#include "timex.h"

#include <stdio.h>
#include <string.h>

int loaded_days_read(const struct sql_dialect *dialect, struct db *db, const char *table, struct loaded_days *out,
		     struct err *e)
{
	struct table t;
	table_init(&t);
	memset(out, 0, sizeof(*out));
	int rc = ask_queryf(dialect, db, &t, e, "SELECT $day_number(min(usage_date)), $day_number(max(usage_date)) FROM %s",
			    table);
	if (rc == 0 && t.nrows == 1 && table_at(&t, 0, 0)->kind != CELL_NULL) {
		out->known = true;
		out->first = (int)cell_number(table_at(&t, 0, 0));
		out->last = (int)cell_number(table_at(&t, 0, 1));
	}
	table_release(&t);
	return rc;
}

int loaded_overlap(const struct loaded_days *d, int start, int end, int *from, int *to)
{
	*from = start > d->first ? start : d->first;
	*to = end < d->last + 1 ? end : d->last + 1;
	return d->known && *to > *from ? *to - *from : 0;
}

void loaded_span_words(int from, int to, char *buf, size_t size)
{
	int last = to - 1;
	if (from == date_month_start(from) && to == date_month_start(to)) {
		char a[32], b[32];
		date_month_label(from, a, sizeof(a));
		date_month_label(last, b, sizeof(b));
		int y1, m1, d1, y2, m2, d2;
		date_to_ymd(from, &y1, &m1, &d1);
		date_to_ymd(last, &y2, &m2, &d2);
		if (y1 == y2 && m1 == m2)
			snprintf(buf, size, "%s", a);
		else if (y1 == y2)
			snprintf(buf, size, "%s to %s", date_month_name(m1), b);
		else
			snprintf(buf, size, "%s to %s", a, b);
		return;
	}
	struct period p = { .start_day = from, .end_day = to };
	period_describe_dates(&p, buf, size);
}

/* ---- moving relative dates to the data's own time ---------------------- */

/* Months in one period of a month-based unit; 0 for the others. */
static int unit_months(enum time_unit u)
{
	static const int months[] = { [UNIT_MONTH] = 1, [UNIT_QUARTER] = 3, [UNIT_HALF] = 6, [UNIT_YEAR] = 12 };
	return (size_t)u < sizeof(months) / sizeof(months[0]) ? months[u] : 0;
}

/* How far a period moves: whole months, or days. */
struct shift {
	int months, days;
};

static int add_months_keep_day(int day, int months)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	int start = date_add_months(date_month_start(day), months);
	int sy, sm, sd;
	date_to_ymd(start, &sy, &sm, &sd);
	int dim = date_days_in_month(sy, sm);
	return start + (d <= dim ? d : dim) - 1;
}

static void period_shift(struct period *p, struct shift s)
{
	if (s.months) {
		bool whole = p->start_day == date_month_start(p->start_day) && p->end_day == date_month_start(p->end_day);
		int len = p->end_day - p->start_day;
		p->start_day = add_months_keep_day(p->start_day, -s.months);
		p->end_day = whole ? date_add_months(p->end_day, -s.months) : p->start_day + len;
	} else {
		p->start_day -= s.days;
		p->end_day -= s.days;
	}
}

/* The label of a moved period: its name when it is one month, quarter or
 * year; "the last 30 days of the data" for a rolling range; else dates. */
static void label_moved(struct period *p, const char *old_label, bool primary)
{
	int y, m, d;
	date_to_ymd(p->start_day, &y, &m, &d);
	int months = unit_months(p->unit) * (p->count > 0 ? p->count : 1);
	bool whole = p->start_day == date_month_start(p->start_day) && months &&
		     p->end_day == date_add_months(p->start_day, months);
	if (whole && months == 1)
		date_month_label(p->start_day, p->label, sizeof(p->label));
	else if (whole && p->unit == UNIT_QUARTER && p->count <= 1)
		snprintf(p->label, sizeof(p->label), "Q%d %d", (m - 1) / 3 + 1, y);
	else if (whole && p->unit == UNIT_YEAR && p->count <= 1 && m == 1)
		snprintf(p->label, sizeof(p->label), "%d", y);
	else if (primary && strncmp(old_label, "the last ", 9) == 0)
		snprintf(p->label, sizeof(p->label), "%.40s of the data", old_label);
	else
		period_describe_dates(p, p->label, sizeof(p->label));
}

/* The shift that puts p at the data's latest period of p's kind: whole
 * months, quarters or years ending with the data's last month (the month,
 * quarter or year it is in), or days ending on its last day (whole weeks
 * for weeks); a span ("since June") moves by whole years. */
static struct shift shift_to(const struct period *p, int last)
{
	struct shift s = { 0, 0 };
	int um = unit_months(p->unit);
	if (um) {
		int y, m, d;
		date_to_ymd(last, &y, &m, &d);
		int first_of_unit = date_from_ymd(y, ((m - 1) / um) * um + 1, 1);
		int ly, lm, ld, sy, sm, sd;
		date_to_ymd(first_of_unit, &ly, &lm, &ld);
		date_to_ymd(p->start_day, &sy, &sm, &sd);
		int count = p->count > 0 ? p->count : 1;
		/* the period's last unit lands on the data's */
		s.months = (sy * 12 + sm) - (ly * 12 + lm) + (count - 1) * um;
	} else if (p->unit == UNIT_SPAN) {
		int y, m, d, ly, lm, ld;
		date_to_ymd(p->start_day, &y, &m, &d);
		date_to_ymd(last, &ly, &lm, &ld);
		int years = y - ly + ((m * 100 + d) > (lm * 100 + ld) ? 1 : 0);
		s.months = 12 * years;
	} else {
		/* weeks: whole ones, the last ending on or before the data's end */
		int end = p->unit == UNIT_WEEK ? date_week_start(last + 1) : last + 1;
		s.days = p->end_day - end;
	}
	return s;
}

bool periods_move_to_data(const struct loaded_days *d, int today, struct plan *p, bool year_written, char *note,
			  size_t size)
{
	/* "long before": the data does not reach into last month; a data set
	 * a few days behind today is asked about as it is */
	if (!d->known || year_written || d->last + 1 >= date_add_months(date_month_start(today), -1) || p->intent == INTENT_CLARIFY || p->intent == INTENT_REFUSE ||
	    p->intent == INTENT_HELP || p->intent == INTENT_INSIGHT)
		return false;
	bool two = p->intent == INTENT_COMPARE_PERIODS || p->intent == INTENT_MOVERS;
	struct period *primary = two ? &p->periods[1] : &p->range;
	if (primary->start_day <= d->last || (two && p->periods[0].start_day <= d->last))
		return false;
	struct shift s = shift_to(primary, d->last);
	if (s.months <= 0 && s.days <= 0)
		return false;
	char was[64], last[16];
	snprintf(was, sizeof(was), "%s", primary->label);
	struct period *all[] = { &p->range, &p->periods[0], &p->periods[1] };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (all[i]->end_day <= all[i]->start_day)
			continue;
		char old[64];
		snprintf(old, sizeof(old), "%s", all[i]->label);
		period_shift(all[i], s);
		/* "this month" so far becomes the data's whole month */
		int months = unit_months(all[i]->unit) * (all[i]->count > 0 ? all[i]->count : 1);
		if (all[i] == primary && months && all[i]->start_day == date_month_start(all[i]->start_day))
			all[i]->end_day = date_add_months(all[i]->start_day, months);
		label_moved(all[i], old, all[i] == primary);
	}
	date_format(d->last, last, sizeof(last));
	char dates[48];
	period_describe_dates(primary, dates, sizeof(dates));
	if (p->range_defaulted)
		snprintf(note, size, "Your data ends on %s, long before today: with no dates given, this is %s (%s), "
			 "the data's own latest period.", last, primary->label, dates);
	else
		snprintf(note, size, "Your data ends on %s, long before today: \"%s\" is read as %s (%s), the data's "
			 "own latest period. Name a year to ask about another.", last, was, primary->label, dates);
	return true;
}

/* ---- partial periods ------------------------------------------------------ */

/* " Only October to December 2018 of 2018 is loaded." when p is partial. */
static bool partial_note(const struct loaded_days *d, const struct period *p, struct strbuf *note)
{
	int from, to;
	int days = loaded_overlap(d, p->start_day, p->end_day, &from, &to);
	if (days == p->end_day - p->start_day || p->end_day <= p->start_day)
		return false;
	char name[72], loaded[48];
	if (p->label[0])
		snprintf(name, sizeof(name), "%s", p->label);
	else
		period_describe_dates(p, name, sizeof(name));
	if (!days) {
		char edge[16];
		date_format(p->start_day > d->last ? d->last : d->first, edge, sizeof(edge));
		strbuf_addf(note, "%sNothing of %s is loaded: the data %s on %s.", note->len ? " " : "", name,
			    p->start_day > d->last ? "ends" : "starts", edge);
		return true;
	}
	loaded_span_words(from, to, loaded, sizeof(loaded));
	strbuf_addf(note, "%sOnly %s of %s is loaded (%d of %d days).", note->len ? " " : "", loaded, name, days,
		    p->end_day - p->start_day);
	return true;
}

void periods_coverage_note(const struct loaded_days *d, const struct plan *p, bool same_days, struct strbuf *note)
{
	if (!d->known || p->intent == INTENT_CLARIFY || p->intent == INTENT_REFUSE || p->intent == INTENT_HELP ||
	    p->intent == INTENT_INSIGHT)
		return;
	if (p->intent == INTENT_COMPARE_PERIODS || p->intent == INTENT_MOVERS) {
		bool a = partial_note(d, &p->periods[0], note);
		bool b = partial_note(d, &p->periods[1], note);
		if (a || (b && !same_days))
			strbuf_addstr(note, " The comparison is not like for like: read its change with that in mind.");
		return;
	}
	partial_note(d, &p->range, note);
}

/* Whole months from the month of a to that of b. */
static int months_between(int a, int b)
{
	int y1, m1, d1, y2, m2, d2;
	date_to_ymd(a, &y1, &m1, &d1);
	date_to_ymd(b, &y2, &m2, &d2);
	return (y2 * 12 + m2) - (y1 * 12 + m1);
}

/* Cut earlier to the days of it that match the loaded days of later, when
 * later is partial: "to date" (a month, quarter or year not over yet) or
 * loaded only in part. Dec 1-4 against Nov 1-4; whole months map to whole
 * months (January to November against January to November). Returns 1
 * when earlier was cut (and labelled "Nov 1-4"), 0 when later is whole or
 * none of it is loaded, -1 when no day of earlier is left. */
/* The end of p when it is whole: a month, quarter, year or ISO week "to
 * date" (its range ends today) is not. */
static int whole_end(const struct period *p)
{
	int count = p->count > 0 ? p->count : 1, um = unit_months(p->unit) * count;
	if (um && p->start_day == date_month_start(p->start_day))
		return date_add_months(p->start_day, um);
	if (p->unit == UNIT_WEEK && p->start_day == date_week_start(p->start_day))
		return p->start_day + 7 * count;
	return p->end_day;
}

static int same_days_as(const struct loaded_days *d, const struct period *later, struct period *earlier)
{
	int from, to;
	if (!loaded_overlap(d, later->start_day, later->end_day, &from, &to))
		return 0;
	if (from == later->start_day && to >= whole_end(later))
		return 0;
	struct period same = *earlier;
	if (unit_months(later->unit) && from == date_month_start(from) && to == date_month_start(to)) {
		same.start_day = date_add_months(earlier->start_day, months_between(later->start_day, from));
		same.end_day = date_add_months(earlier->start_day, months_between(later->start_day, to));
	} else {
		same.start_day = earlier->start_day + (from - later->start_day);
		same.end_day = earlier->start_day + (to - later->start_day);
	}
	if (same.end_day > earlier->end_day)
		same.end_day = earlier->end_day;
	if (same.start_day >= same.end_day)
		return -1;
	date_span_label(same.start_day, same.end_day - 1, same.label, sizeof(same.label));
	*earlier = same;
	return 1;
}

/* "The change compares the same days: Nov 1-4 against Oct 1-4." */
static void same_days_words(const struct loaded_days *d, const struct period *later, const struct period *earlier,
			    char *why, size_t size)
{
	int from, to;
	loaded_overlap(d, later->start_day, later->end_day, &from, &to);
	char now[32], then[32];
	date_span_label(from, to - 1, now, sizeof(now));
	date_span_label(earlier->start_day, earlier->end_day - 1, then, sizeof(then));
	snprintf(why, size, "The change compares the same days: %s against %s.", now, then);
}

bool periods_previous(const struct loaded_days *d, const struct period *range, struct period *prev, bool *same_days,
		      char *why, size_t size)
{
	*why = '\0';
	*same_days = false;
	*prev = period_previous(range);
	/* a week to date: the week before, then its same days (Mon-Wed against
	 * Mon-Wed, not against the Fri-Sun just before) */
	if (range->unit == UNIT_WEEK && whole_end(range) > range->end_day) {
		prev->start_day = range->start_day - (whole_end(range) - range->start_day);
		prev->end_day = range->start_day;
	}
	int from, to;
	if (!d->known)
		return true; /* nothing known: as before */
	if (!loaded_overlap(d, range->start_day, range->end_day, &from, &to))
		return false;
	int cut = same_days_as(d, range, prev);
	if (cut < 0)
		return false;
	*same_days = cut == 1;
	int pfrom, pto;
	int pdays = loaded_overlap(d, prev->start_day, prev->end_day, &pfrom, &pto);
	if (pdays < prev->end_day - prev->start_day) {
		char name[72], loaded[48];
		loaded_span_words(prev->start_day, prev->end_day, name, sizeof(name));
		if (pdays) {
			loaded_span_words(pfrom, pto, loaded, sizeof(loaded));
			snprintf(why, size, "Only %s of the period before (%s) is loaded: no change is given against it.",
				 loaded, name);
		}
		return false;
	}
	if (*same_days)
		same_days_words(d, range, prev, why, size);
	return true;
}

bool periods_compare_same_days(const struct loaded_days *d, struct plan *p, char *why, size_t size)
{
	/* periods of one kind: this month to date against Q3 has no same days */
	if (!d->known || (p->intent != INTENT_COMPARE_PERIODS && p->intent != INTENT_MOVERS) ||
	    p->periods[0].end_day > p->periods[1].start_day || p->periods[0].unit != p->periods[1].unit ||
	    p->periods[0].count != p->periods[1].count)
		return false;
	if (same_days_as(d, &p->periods[1], &p->periods[0]) != 1)
		return false;
	same_days_words(d, &p->periods[1], &p->periods[0], why, size);
	return true;
}
