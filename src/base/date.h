/*
 * date: calendar arithmetic on proleptic Gregorian dates held as a day
 * number (days since 1970-01-01), so that ranges are plain integers and
 * "the day after" is +1: an int named *_day throughout. Pure functions; no
 * time zones; only date_today reads the clock.
 */
#ifndef FINQ_DATE_H
#define FINQ_DATE_H

#include <stdbool.h>
#include <stddef.h>


int date_from_ymd(int year, int month, int day);
void date_to_ymd(int d, int *year, int *month, int *day);
/* "YYYY-MM-DD": true and *out set when s is a valid date. */
bool date_parse(const char *s, int *out);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void date_format(int d, char *buf, size_t size);
int date_days_in_month(int year, int month);
/* 0 = Monday .. 6 = Sunday (ISO). */
int date_weekday(int d);

int date_month_start(int d);
/* The first day of the month `months` months after d's month (may be < 0). */
int date_add_months(int month_start, int months);
int date_quarter_start(int d);
int date_year_start(int d);
int date_week_start(int d); /* the Monday of d's ISO week */
/* Today from the system clock (UTC). */
int date_today(void);

/* "January" for 1 .. "December" for 12: the one copy of the month names. */
const char *date_month_name(int month);
/* "November 2025": the month and year of day d. */
void date_month_label(int d, char *buf, size_t size);
/* "Nov 1-4", "Nov 30", "Nov 28 - Dec 3": the days [from, to], short, no year. */
void date_span_label(int from, int to, char *buf, size_t size);

#endif
