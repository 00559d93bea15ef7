/*
 * today: the window a question's "today" must fall in. Every relative
 * time word is resolved from today, and date spines, forecasts and
 * comparisons span from the data to it: a "today" of 9999-12-31 made one
 * request take 32 s and 3 GB. A real date (date_parse) in
 * [TODAY_FIRST_YEAR-01-01, TODAY_LAST_YEAR-12-31] is taken; billing
 * exports exist for no other years.
 *
 * Pure. Checked by cmd_ask.c (--today of the question commands),
 * cmd_serve.c (the server's --today) and api.c (a request's "today").
 */
#ifndef FINQ_TODAY_H
#define FINQ_TODAY_H

#include <stdbool.h>

#define TODAY_FIRST_YEAR 2000
#define TODAY_LAST_YEAR 2099

/* Whether day (date.h's day number) is inside the window. */
bool today_in_window(int day);

#endif
