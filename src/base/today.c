/*
 * today: the window of a sane "today". See today.h.
 */
#include "today.h"
#include "date.h"

bool today_in_window(int day)
{
	return day >= date_from_ymd(TODAY_FIRST_YEAR, 1, 1) && day <= date_from_ymd(TODAY_LAST_YEAR, 12, 31);
}
