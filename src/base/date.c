/*
 * date: civil-date conversions after Howard Hinnant's days_from_civil and
 * civil_from_days, which are exact for every Gregorian date.
 */
#include "date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int date_from_ymd(int year, int month, int day)
{
	year -= month <= 2;
	int era = (year >= 0 ? year : year - 399) / 400;
	int yoe = year - era * 400;
	int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(int d, int *year, int *month, int *day)
{
	int z = d + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = yoe + era * 400 + (*month <= 2);
}

int date_days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

bool date_parse(const char *s, int *out)
{
	int y, m, d, n = 0;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return false;
	if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

void date_format(int d, char *buf, size_t size)
{
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, day);
}

int date_weekday(int d)
{
	/* 1970-01-01 was a Thursday (3). */
	int w = (d + 3) % 7;
	return w < 0 ? w + 7 : w;
}

int date_month_start(int d)
{
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	return date_from_ymd(y, m, 1);
}

int date_add_months(int month_start, int months)
{
	int y, m, day;
	date_to_ymd(month_start, &y, &m, &day);
	int total = y * 12 + (m - 1) + months;
	int ny = total >= 0 ? total / 12 : (total - 11) / 12;
	return date_from_ymd(ny, total - ny * 12 + 1, 1);
}

int date_quarter_start(int d)
{
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	return date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
}

int date_year_start(int d)
{
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	return date_from_ymd(y, 1, 1);
}

int date_week_start(int d)
{
	return d - date_weekday(d);
}

int date_today(void)
{
	return (int)(time(NULL) / 86400);
}

const char *date_month_name(int month)
{
	static const char *const names[] = { "January", "February", "March",     "April",   "May",      "June",
					     "July",    "August",   "September", "October", "November", "December" };
	return month >= 1 && month <= 12 ? names[month - 1] : "?";
}

void date_month_label(int d, char *buf, size_t size)
{
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	snprintf(buf, size, "%s %d", date_month_name(m), y);
}

void date_span_label(int from, int to, char *buf, size_t size)
{
	int y1, m1, d1, y2, m2, d2;
	date_to_ymd(from, &y1, &m1, &d1);
	date_to_ymd(to, &y2, &m2, &d2);
	const char *a = date_month_name(m1), *b = date_month_name(m2);
	if (from == to)
		snprintf(buf, size, "%.3s %d", a, d1);
	else if (y1 == y2 && m1 == m2)
		snprintf(buf, size, "%.3s %d-%d", a, d1, d2);
	else
		snprintf(buf, size, "%.3s %d - %.3s %d", a, d1, b, d2);
}
