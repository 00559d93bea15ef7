/*
 * forecast: `finq forecast` (insight_forecast): the cost of this month
 * (month-to-date actual plus a forecast of the remaining days) and of the
 * months after it, with an interval, from a trend with a weekday pattern
 * fitted to the daily charges (series.c) plus the once-a-month charges.
 * Optionally a backtest on the loaded data with its error (MAPE).
 *
 * The module's only export is its descriptor, declared in insight.h.
 */
#ifndef FINQ_FORECAST_H
#define FINQ_FORECAST_H

#include "insight.h"

#endif
