/*
 * test_series: the daily-series statistics of series.c on synthetic series
 * with a known answer: a spike found with its dates, a step reported as a
 * level shift (and not as a run of spikes), weekend dips and gradual trends
 * not flagged, a linear trend with a weekly pattern recovered by the fit
 * and the backtest. The noise is a fixed pseudo-random sequence, so every
 * run sees the same series.
 */
#include "unit.h"

#include "series.h"

#define DAYS 364
#define WEEKEND 0.55

/* Deterministic noise in [-1, 1). */
static double noise(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return ((double)((*state >> 8) & 0xffff) / 32768.0) - 1;
}

/* level(t) * weekday factor * (1 + 3% noise); day 0 is a Monday. */
static void make_series(double *x, size_t n, double (*level)(size_t), unsigned seed)
{
	for (size_t t = 0; t < n; t++) {
		double f = t % 7 >= 5 ? WEEKEND : 1;
		x[t] = level(t) * f * (1 + 0.03 * noise(&seed));
	}
}

static double flat(size_t t)
{
	(void)t;
	return 100;
}

static double step_up(size_t t)
{
	return t < 200 ? 100 : 160;
}

static double growing(size_t t)
{
	return 100 * pow(1.03, (double)t / 30.44); /* +3% a month */
}

static double shrinking(size_t t)
{
	return 100 * (1 - 0.6 * (double)t / DAYS); /* -60% over the year */
}

static void analyze(const double *x, size_t n, double min_impact, struct series_analysis *a)
{
	struct series_params p;
	series_params_init(&p);
	p.min_impact = min_impact;
	series_analyze(x, n, 0, &p, a);
}

static void test_median_and_mad(void **state)
{
	(void)state;
	const double x[] = { 5, 1, 3, 100, 2 };
	assert_close(series_median(x, 5), 3, 1e-12);
	assert_close(series_median(x, 4), 4, 1e-12); /* 1 3 5 100 */
	assert_close(series_mad(x, 5), 2, 1e-12);     /* |.-3|: 2 2 0 97 1 */
	assert_true(isnan(series_median(x, 0)));
}

static void test_weekday_factors(void **state)
{
	(void)state;
	double x[DAYS], f[7];
	make_series(x, DAYS, growing, 7);
	series_weekday_factors(x, DAYS, 0, f);
	assert_close(f[5] / f[0], WEEKEND, 0.05);
	assert_close(f[6] / f[2], WEEKEND, 0.05);
	assert_close(f[1] / f[3], 1, 0.05);
}

static void test_spike_found_with_dates(void **state)
{
	(void)state;
	double x[DAYS];
	make_series(x, DAYS, flat, 11);
	for (size_t t = 150; t <= 152; t++)
		x[t] += 200;
	struct series_analysis a;
	analyze(x, DAYS, 20, &a);
	assert_int_equal(a.nevents, 1);
	assert_int_equal(a.events[0].kind, SERIES_SPIKE);
	assert_int_equal(a.events[0].start, 150);
	assert_int_equal(a.events[0].end, 152);
	assert_close(a.events[0].impact, 600, 30);
	assert_string_equal(series_kind_name(a.events[0].kind), "spike");
	series_analysis_release(&a);
}

static void test_drop_found(void **state)
{
	(void)state;
	double x[DAYS];
	make_series(x, DAYS, flat, 5);
	x[100] = 5; /* a Wednesday: expected about 100 */
	struct series_analysis a;
	analyze(x, DAYS, 20, &a);
	assert_int_equal(a.nevents, 1);
	assert_int_equal(a.events[0].kind, SERIES_DROP);
	assert_int_equal(a.events[0].start, 100);
	assert_int_equal(a.events[0].end, 100);
	series_analysis_release(&a);
}

static void test_step_is_a_level_shift(void **state)
{
	(void)state;
	double x[DAYS];
	make_series(x, DAYS, step_up, 3);
	struct series_analysis a;
	analyze(x, DAYS, 20, &a);
	assert_int_equal(a.nevents, 1); /* one shift, no string of spikes */
	const struct series_event *ev = &a.events[0];
	assert_int_equal(ev->kind, SERIES_LEVEL_SHIFT);
	assert_true(ev->start >= 198 && ev->start <= 202);
	assert_int_equal(ev->end, DAYS - 1);
	/* levels are average days: the weekday factors average 1 */
	double mean_factor = (5 + 2 * WEEKEND) / 7;
	assert_close(ev->level_before, 100 * mean_factor, 4);
	assert_close(ev->level_after, 160 * mean_factor, 6);
	assert_true(ev->impact > 0);
	series_analysis_release(&a);
}

static void test_weekends_and_trends_not_flagged(void **state)
{
	(void)state;
	double x[DAYS];
	double (*const shapes[])(size_t) = { flat, growing, shrinking };
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		make_series(x, DAYS, shapes[s], 17 + (unsigned)s);
		struct series_analysis a;
		analyze(x, DAYS, 10, &a);
		if (a.nevents)
			print_error("shape %zu: event at %zu (%s)\n", s, a.events[0].start,
				    series_kind_name(a.events[0].kind));
		assert_int_equal(a.nevents, 0);
		series_analysis_release(&a);
	}
}

static void test_small_events_ignored(void **state)
{
	(void)state;
	double x[DAYS];
	make_series(x, DAYS, flat, 23);
	x[80] += 40; /* unusual, but worth less than the minimum */
	struct series_analysis a;
	analyze(x, DAYS, 50, &a);
	assert_int_equal(a.nevents, 0);
	series_analysis_release(&a);
	analyze(x, DAYS, 10, &a);
	assert_int_equal(a.nevents, 1);
	series_analysis_release(&a);
}

/* y = 50 + 0.5 t, weekends 20 lower; first day a Wednesday. */
static double linear(long t)
{
	long weekday = (2 + t) % 7;
	return 50 + 0.5 * (double)t - (weekday >= 5 ? 20 : 0);
}

static void test_linear_trend_recovered(void **state)
{
	(void)state;
	double y[120];
	unsigned seed = 29;
	for (long t = 0; t < 120; t++)
		y[t] = linear(t) + 0.5 * noise(&seed);
	struct series_trend fit;
	assert_int_equal(series_trend_fit(y, 120, 2, &fit), 0);
	assert_close(fit.coef[1], 0.5, 0.01);
	assert_true(fit.sigma < 0.5);
	double want = 0;
	for (long t = 120; t < 150; t++)
		want += linear(t);
	double sd;
	double got = series_trend_sum(&fit, 120, 150, &sd);
	assert_close(got, want, 0.01 * want);
	assert_true(sd > 0 && fabs(got - want) < 3 * sd + 1);
	assert_close(series_trend_at(&fit, 200), linear(200), 2);

	/* too short to fit */
	assert_int_equal(series_trend_fit(y, 10, 2, &fit), -1);
}

/* Past errors of the same forecast: zero on an exact line, large after a
 * step the fits could not foresee; the conformal quantile is the
 * ceil(0.8 (n + 1))-th smallest, NaN when n is too small for that. */
static void test_rolling_errors(void **state)
{
	(void)state;
	double y[200], score[200];
	for (long t = 0; t < 200; t++)
		y[t] = 100 + 0.5 * (double)t;
	size_t n = series_rolling_errors(y, 200, 0, 56, 28, 0, 200, 0, 30, score);
	assert_int_equal(n, 200 - 30 - 28 + 1); /* origins 28 .. 170 */
	for (size_t i = 0; i < n; i++)
		assert_true(score[i] < 1e-9);
	/* a gap: the sum over days 31 to 60 after each origin */
	assert_int_equal(series_rolling_errors(y, 200, 0, 56, 28, 0, 200, 30, 60, score), 200 - 60 - 28 + 1);
	for (long t = 150; t < 200; t++)
		y[t] += 50; /* a step on day 150 */
	n = series_rolling_errors(y, 200, 0, 56, 28, 100, 200, 0, 30, score);
	assert_int_equal(n, 71); /* origins 100 .. 170 */
	assert_true(score[0] < 1e-9);      /* origin 100: days 100-129, before the step */
	assert_true(score[n - 1] > 0.05);  /* origin 170: the fit straddles the step */

	double s[] = { 5, 1, 4, 2, 3, 9, 8, 7, 6, 10 };
	assert_close(series_conformal_quantile(s, 10, 0.8), 9, 1e-12); /* ceil(8.8) = 9th */
	double few[] = { 1, 2, 3 };
	assert_true(isnan(series_conformal_quantile(few, 3, 0.8))); /* ceil(3.2) = 4 > 3 */
	assert_true(isnan(series_conformal_quantile(few, 0, 0.8)));
}

/* A level shift is fitted as a step where it is, not as a slope; a line
 * with noise gets no step, nor does a spike of a few days. */
/* xorshift32 in [-1, 1): the LCG of noise() has low bits that run in
 * patterns a step search can fit. */
static double white(unsigned *state)
{
	unsigned x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return (double)(x >> 8) / 8388608.0 - 1;
}

static void test_trend_step(void **state)
{
	(void)state;
	double y[120];
	unsigned seed = 7;
	for (long t = 0; t < 120; t++)
		y[t] = 1000 + 0.5 * (double)t + (t >= 100 ? 60 : 0) + 5 * white(&seed);
	struct series_trend plain, fit;
	assert_int_equal(series_trend_fit(y, 120, 0, &plain), 0);
	assert_int_equal(series_trend_fit_auto(y, 120, 0, 56, &fit), 0);
	assert_int_equal(fit.step_at, 100);
	assert_close(fit.coef[8], 60, 6);
	double want = 0;
	for (long t = 120; t < 150; t++)
		want += 1000 + 0.5 * (double)t + 60;
	double got = series_trend_sum(&fit, 120, 150, NULL), line = series_trend_sum(&plain, 120, 150, NULL);
	assert_close(got, want, 0.005 * want);
	assert_true(fabs(line - want) > 2 * fabs(got - want)); /* the slope through the step overshoots */

	for (long t = 0; t < 120; t++)
		y[t] = 1000 + 0.5 * (double)t + 5 * white(&seed);
	assert_int_equal(series_trend_fit_auto(y, 120, 0, 56, &fit), 0);
	assert_int_equal(fit.step_at, -1);
	assert_int_equal(fit.k, 8);

	/* a three-day spike ten days before the end is not a level shift */
	for (long t = 0; t < 120; t++)
		y[t] = 1000 + 0.5 * (double)t + (t >= 110 && t < 113 ? 300 : 0) + 5 * white(&seed);
	assert_int_equal(series_trend_fit_auto(y, 120, 0, 56, &fit), 0);
	assert_int_equal(fit.step_at, -1);
}

static void test_backtest(void **state)
{
	(void)state;
	double y[200];
	unsigned seed = 31;
	for (long t = 0; t < 200; t++)
		y[t] = linear(t) + 0.5 * noise(&seed);
	size_t start[] = { 5, 140, 170 }, end[] = { 35, 170, 200 };
	double forecast[3], actual[3];
	double mape = series_backtest(y, 200, 2, 91, start, end, 3, forecast, actual);
	assert_true(isnan(forecast[0]));     /* 5 days of history: no forecast */
	assert_true(isfinite(actual[0]));
	assert_true(isfinite(mape));
	assert_true(mape < 1);
	assert_close(forecast[2], actual[2], 0.01 * actual[2]);

	const double f[] = { 110, 90, NAN }, a[] = { 100, 100, 100 };
	assert_close(series_mape(f, a, 3), 10, 1e-9);
	const double zero[] = { 0 };
	assert_true(isnan(series_mape(f, zero, 1)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_and_mad),
		cmocka_unit_test(test_weekday_factors),
		cmocka_unit_test(test_spike_found_with_dates),
		cmocka_unit_test(test_drop_found),
		cmocka_unit_test(test_step_is_a_level_shift),
		cmocka_unit_test(test_weekends_and_trends_not_flagged),
		cmocka_unit_test(test_small_events_ignored),
		cmocka_unit_test(test_linear_trend_recovered),
		cmocka_unit_test(test_backtest),
		cmocka_unit_test(test_rolling_errors),
		cmocka_unit_test(test_trend_step),
	};
	return cmocka_run_group_tests_name("series", tests, NULL, NULL);
}
