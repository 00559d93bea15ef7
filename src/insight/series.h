/*
 * series: the statistics of one daily cost series, for anomalies (anomaly.c)
 * and forecasts (forecast.c).
 *
 * A series is an array of daily values x[0..n-1] on consecutive days, the
 * first on ISO weekday first_weekday (0 = Monday); missing days are 0. The
 * maths is robust where costs are messy: medians and MADs rather than means
 * and standard deviations, a weekday profile taken as ratios to a centred
 * 7-day mean (so trends and steps do not bend it), level shifts found as a
 * lasting step between the medians of the weeks either side.
 *
 * Pure: no I/O, no clock, no database; every array returned is owned by the
 * struct that holds it and freed by its _release.
 */
#ifndef FINQ_SERIES_H
#define FINQ_SERIES_H

#include <stdbool.h>
#include <stddef.h>

/* The median of x[0..n-1] (x is not modified); NaN when n == 0. */
double series_median(const double *x, size_t n);
/* The median absolute deviation from the median (unscaled); NaN when n == 0. */
double series_mad(const double *x, size_t n);

/* The weekday profile: factor[w] multiplies the level on ISO weekday w
 * (a weekend at 55% of a weekday reads factor[5] ~ 0.55 * factor[0]); the
 * factors average 1. A series too short or too flat to tell has all 1. */
void series_weekday_factors(const double *x, size_t n, int first_weekday, double factor[7]);

struct series_params {
	int level_halfwidth;     /* the baseline is the median of this many days either side: 14 */
	double threshold;        /* a day is unusual at this robust z-score or more: 4 */
	double min_impact;       /* events smaller than this in money are noise, and
	                            level shifts smaller than this per day: 0 */
	int shift_window;        /* days compared either side of a level shift: 28 */
	double shift_min_ratio;  /* smallest step, as a share of the larger level: 0.2 */
	double shift_threshold;  /* smallest step in units of daily noise: 3 */
};

/* The defaults above. */
void series_params_init(struct series_params *p);

enum series_kind { SERIES_SPIKE, SERIES_DROP, SERIES_LEVEL_SHIFT };

/* "spike", "drop", "level_shift" */
const char *series_kind_name(enum series_kind k);

struct series_event {
	enum series_kind kind;
	size_t start, end;      /* day indexes, inclusive; a level shift ends at n - 1 */
	double actual;          /* sum of x over start..end */
	double expected;        /* sum of the baseline over start..end */
	double impact;          /* actual - expected */
	double score;           /* largest |robust z| of its days; a shift: step / daily noise */
	double level_before;    /* a level shift: the daily level before and after */
	double level_after;     /*   (weekday-adjusted medians of shift_window days) */
};

struct series_analysis {
	double factor[7];             /* weekday profile */
	double *expected;             /* n: what each day would cost without events */
	double noise;                 /* robust relative spread of a day around expected */
	struct series_event *events;  /* in order of start */
	size_t nevents, alloc;
};

/*
 * Find level shifts, then spikes and drops against a baseline that follows
 * the weekday pattern, trends and the shifts found. Spikes and drops whose
 * |impact| is below p->min_impact, and level shifts whose step moves the
 * daily cost by less than that, are dropped: a lasting change of the same
 * size as a one-off is material.
 * out is overwritten; release it with series_analysis_release.
 */
void series_analyze(const double *x, size_t n, int first_weekday, const struct series_params *p,
		    struct series_analysis *out);
void series_analysis_release(struct series_analysis *a);

/*
 * A linear trend with a weekday effect fitted by least squares:
 *   y[t] = a + b t + w[weekday(t)] (+ c [t >= step_at])   (w[0] = 0, Monday the reference)
 * with the residual spread, for forecasts with an interval. The step term
 * is there only when the fit was given (or found) a step day: a level
 * shift, which a straight line would read as a slope.
 */
#define SERIES_TREND_PARAMS 9
struct series_trend {
	double coef[SERIES_TREND_PARAMS];  /* a, b, w[1..6], c */
	double inv[SERIES_TREND_PARAMS][SERIES_TREND_PARAMS]; /* (X'X)^-1, k x k */
	double sigma;                      /* residual standard deviation */
	size_t n;
	int first_weekday;
	int k;                             /* parameters used: 8, or 9 with a step */
	long step_at;                      /* the step's first day index; -1: none */
};

/* Fit on y[0..n-1]; -1 when n < 21 (three weeks) or the system is singular. */
int series_trend_fit(const double *y, size_t n, int first_weekday, struct series_trend *fit);
/* The same with a step from day index step_at (-1: none). */
int series_trend_fit_step(const double *y, size_t n, int first_weekday, long step_at, struct series_trend *fit);
/*
 * The fit with a step on the day among the last search days (with at
 * least 7 days after it and 21 before) that leaves the smallest residuals,
 * when the step earns its two parameters by the Bayesian information
 * criterion; else the plain fit. -1 as series_trend_fit.
 */
int series_trend_fit_auto(const double *y, size_t n, int first_weekday, size_t search, struct series_trend *fit);
/* The fitted value on day index t (t >= n extrapolates). */
double series_trend_at(const struct series_trend *fit, long t);
/* The lag-1 autocorrelation of the fit's residuals over y[0..n), clamped
 * to [0, 0.9]: how much the days' errors run in streaks. */
double series_residual_autocorrelation(const struct series_trend *fit, const double *y, size_t n);
/* The sum of the fitted values over day indexes [from, to), and in *sd the
 * standard deviation of the actual sum (noise of each day plus the
 * uncertainty of the coefficients). */
double series_trend_sum(const struct series_trend *fit, long from, long to, double *sd);

/*
 * Rolling-origin backtest: fold i fits the `window` days before
 * fold_start[i] and forecasts the sum over [fold_start[i], fold_end[i]);
 * forecast[i] and actual[i] receive both (NaN when the fold has too little
 * history). Returns the mean absolute percentage error over the folds
 * with a forecast and a non-zero actual, NaN when there are none.
 */
double series_backtest(const double *y, size_t n, int first_weekday, size_t window, const size_t *fold_start,
		       const size_t *fold_end, size_t nfolds, double *forecast, double *actual);

/*
 * The errors of one forecast made from many past origins, for an interval
 * calibrated on the series itself: for each origin o in [origin_from,
 * origin_to] (o days of data known, o + to <= n, at least min_history of
 * them), fit the `window` days before o (fewer when there are fewer) and
 * forecast the sum over [o + from, o + to), the same days ahead as the
 * forecast being calibrated. score[k] receives |actual - forecast| /
 * |forecast| (caller-allocated, at least origin_to - origin_from + 1).
 * Returns how many scores were written.
 */
size_t series_rolling_errors(const double *y, size_t n, int first_weekday, size_t window, size_t min_history,
			     size_t origin_from, size_t origin_to, size_t from, size_t to, double *score);

/* The split-conformal quantile of scores (sorted in place): the
 * ceil(level * (n + 1))-th smallest, which bounds a new exchangeable score
 * with probability at least level; NaN when n is too small for that. */
double series_conformal_quantile(double *score, size_t n, double level);

/* Mean absolute percentage error of forecast against actual over the pairs
 * that have both and a non-zero actual; NaN when none. */
double series_mape(const double *forecast, const double *actual, size_t n);

#endif
