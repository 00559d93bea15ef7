/*
 * forecast: `finq forecast` (insight_forecast; see forecast.h).
 *
 * Two parts, forecast separately because they behave differently:
 *   - the daily charges (anomaly_charges_sql): a least-squares linear trend
 *     with a day-of-week effect (series.c) fitted to the last W days, W
 *     chosen among a few window lengths by the lowest one-month-ahead
 *     backtest error on the loaded data, with a step where a level shift
 *     in the window fits (series_trend_fit_auto);
 *   - the once-a-month charges (fees, taxes, credits, refunds), booked on
 *     the 1st: the average of the last three months.
 * The forecast starts the day after the last data day; when the data ends
 * before today that is said, and "this month" is its actual to date plus
 * the forecast of its remaining days. A month's fees are final once
 * booked; a month in progress whose fees are not in yet gets the usual
 * lump, and its spread widens the interval. The interval (80%) combines
 * the daily noise, the uncertainty of the fitted trend and the spread of
 * the monthly charges, and is never narrower than the backtest's errors.
 * `--backtest` also runs the month-end forecast with each 1st to 10th of
 * the last six full months as today and reports its error and how often
 * the truth fell inside the interval (docs/forecast.md has the figures).
 */
#include "forecast.h"

#include "anomaly.h"
#include "charges.h"
#include "date.h"
#include "series.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Candidate fitting windows, in days; the backtest picks one. */
static const size_t windows[] = { 56, 91, 182, 364 };
/* Backtest folds: up to this many of the last full months (the window
 * choice and the interval's error spread); the month-end backtest
 * reports on the last REPORT_MONTHS of them. */
#define BACKTEST_MONTHS 12
#define REPORT_MONTHS 6
/* A fold needs this much history before it. */
#define MIN_HISTORY 28
/* The interval comes from past errors when there are at least this many
 * past forecasts of the same days ahead (eight weeks of origins); else
 * from the model. */
#define MIN_CALIBRATION 56
/* Once-a-month charges are forecast as the mean of this many months. */
#define PERIOD_MONTHS 3
/* z of a two-sided 80% normal interval. */
#define Z80 1.2816
/* The same for an error spread measured on only n backtest months: the
 * 90% quantile of Student's t with n degrees of freedom (the errors are
 * about zero), so that few folds widen the interval instead of pretending
 * to know the spread; t80[0] is unused. */
static const double t80[] = { 0, 3.078, 1.886, 1.638, 1.533, 1.476, 1.440, 1.415, 1.397, 1.383, 1.372 };
/* Days of history drawn before the forecast in the chart. */
#define CHART_HISTORY 91

struct monthly {
	int month_start; /* day number of the 1st */
	int day;         /* the day they were charged (rows are per day, in order) */
	double amount;   /* every lump of the month */
	double one_off;  /* the one-off ones among them (charges_one_off_sql): not expected again */
};

struct forecast_run {
	const struct insight_request *req;
	json_t *result;
	const char *cost;
	int first_day, last_day; /* the daily series' days (last_day: the last used) */
	size_t n;
	double *y;               /* daily charges, n days */
	struct monthly *period;  /* once-a-month charges per month, in order */
	size_t nperiod;
	size_t window;           /* chosen fitting window */
	double error_sd;         /* RMS relative error of the backtest, one month ahead (0: none) */
	size_t error_folds;      /* the backtest months it was measured on */
	double noise_inflation;  /* residual_inflation() of the fit */
	struct series_trend fit;
};

/* Mean and standard deviation of the once-a-month charges (one-off lumps
 * left out: a refund or an upfront purchase does not recur) of the
 * PERIOD_MONTHS months before the month starting at month_start, among the
 * months of the data (a month with none counts as 0). */
static double period_estimate(const struct forecast_run *r, int month_start, double *sd)
{
	int first_month = date_month_start(r->first_day), last_month = date_month_start(r->last_day);
	double v[PERIOD_MONTHS];
	int count = 0;
	for (int k = 1; k <= PERIOD_MONTHS; k++) {
		int m = date_add_months(month_start, -k);
		if (m > last_month) {
			/* a month after the data: step back to the data's months */
			month_start = date_add_months(month_start, -1);
			k--;
			continue;
		}
		if (m < first_month)
			break;
		v[count] = 0;
		for (size_t i = 0; i < r->nperiod; i++)
			if (r->period[i].month_start == m)
				v[count] += r->period[i].amount - r->period[i].one_off;
		count++;
	}
	double mean = 0, var = 0;
	for (int i = 0; i < count; i++)
		mean += v[i];
	mean = count ? mean / count : 0;
	for (int i = 0; i < count; i++)
		var += (v[i] - mean) * (v[i] - mean);
	if (sd)
		*sd = count > 1 ? sqrt(var / (count - 1)) : 0;
	return mean;
}

/* The lumps booked in the month starting at month_start; in *one_off
 * (when not NULL) the one-off ones among them. */
static double period_actual(const struct forecast_run *r, int month_start, double *one_off)
{
	double v = 0, once = 0;
	for (size_t i = 0; i < r->nperiod; i++)
		if (r->period[i].month_start == month_start) {
			v += r->period[i].amount;
			once += r->period[i].one_off;
		}
	if (one_off)
		*one_off = once;
	return v;
}

struct folds {
	size_t start[BACKTEST_MONTHS], end[BACKTEST_MONTHS];
	int month[BACKTEST_MONTHS];
	size_t n;
};

/* The last full months of the data with MIN_HISTORY days before them. */
static void backtest_folds(const struct forecast_run *r, struct folds *f)
{
	f->n = 0;
	int m = date_month_start(r->last_day + 1);
	if (m != r->last_day + 1) /* the last month is partial */
		m = date_month_start(r->last_day);
	else
		m = r->last_day + 1;
	/* m is now the first day after the last full month */
	int months[BACKTEST_MONTHS];
	size_t count = 0;
	for (int start = date_add_months(m, -1); count < BACKTEST_MONTHS && start >= r->first_day + MIN_HISTORY;
	     start = date_add_months(start, -1))
		months[count++] = start;
	for (size_t i = 0; i < count; i++) {
		int start = months[count - 1 - i];
		f->month[i] = start;
		f->start[i] = (size_t)(start - r->first_day);
		f->end[i] = (size_t)(date_add_months(start, 1) - r->first_day);
	}
	f->n = count;
}

/* The one-month-ahead error of the whole forecast (daily + monthly charges, one-offs apart)
 * with a given window: per fold forecast and actual, and the MAPE. */
static double backtest(const struct forecast_run *r, size_t window, const struct folds *f, double *forecast,
		       double *actual)
{
	series_backtest(r->y, r->n, date_weekday(r->first_day), window, f->start, f->end, f->n, forecast, actual);
	/* One-off lumps are not forecast (period_estimate), so they are not
	 * counted as its error either: a purchase would otherwise blow the
	 * interval of every later month up. */
	for (size_t i = 0; i < f->n; i++) {
		double once;
		forecast[i] += period_estimate(r, f->month[i], NULL);
		actual[i] += period_actual(r, f->month[i], &once) - once;
	}
	return series_mape(forecast, actual, f->n);
}

static json_t *jmoney(double v)
{
	return isfinite(v) ? json_real(round(v * 100) / 100) : json_null();
}

static json_t *jday(int day)
{
	char buf[16];
	date_format(day, buf, sizeof(buf));
	return json_string(buf);
}

struct month_forecast {
	int month_start, month_end;  /* [start, end) */
	double actual;               /* to date: the data's days of the month */
	int days_actual, days_forecast;
	double remaining, sd;        /* forecast of the days after the data (and pending fees) */
	double fees_pending;         /* the month's fees not booked yet, in remaining */
	double total, lower, upper;
	size_t calibration_errors;   /* past forecasts of the same days ahead the interval came from (0: the model's) */
	double calibration_quantile; /* their conformal 80% relative error */
	const char *interval_basis;  /* which spread set the interval: "model", "past_errors", "monthly_backtest" */
	double half[3];              /* the three half-widths: model, past errors, monthly backtest */
};

/* Forecast the month [start, end): actual days from the data, the rest from the fit. */
/* The interval of a forecast of the daily charges over [from, to) from the
 * errors of the same forecast (the same window, the same days ahead of the
 * data) made from every earlier day whose outcome the data holds: their
 * split-conformal 80% quantile, as a share of the forecast (0 when there
 * are fewer than MIN_CALIBRATION of them). This is what the forecast did
 * on this very series, spikes, level shifts, weekday effects and the
 * parameters' own uncertainty included, with no distribution assumed. */
static double past_error_quantile(const struct forecast_run *r, int from, int to, size_t *count)
{
	size_t ahead_from = (size_t)(from - (r->last_day + 1)), ahead_to = (size_t)(to - (r->last_day + 1));
	double *score = xmalloc(COUNT(windows) * (r->n + 1) * sizeof(*score));
	*count = 0;
	for (size_t i = 0; i < COUNT(windows); i++)
		*count += series_rolling_errors(r->y, r->n, date_weekday(r->first_day), windows[i], MIN_HISTORY, 0, r->n,
				       ahead_from, ahead_to, score + *count);
	double q = *count >= MIN_CALIBRATION ? series_conformal_quantile(score, *count, 0.8) : NAN;
	free(score);
	if (!isfinite(q))
		*count = 0;
	return isfinite(q) ? q : 0;
}

/* Forecast the month [start, end): actual days from the data, the rest from the fit. */
static void forecast_month(const struct forecast_run *r, int start, int end, struct month_forecast *mf)
{
	memset(mf, 0, sizeof(*mf));
	mf->month_start = start;
	mf->month_end = end;
	for (int d = start; d < end && d <= r->last_day; d++) {
		if (d >= r->first_day)
			mf->actual += r->y[d - r->first_day];
		mf->days_actual++;
	}
	double one_off = 0, booked = start <= r->last_day ? period_actual(r, start, &one_off) : 0;
	mf->actual += booked;
	booked -= one_off; /* the usual lump is compared with the recurring part */
	int from = start > r->last_day ? start : r->last_day + 1;
	mf->days_forecast = end > from ? end - from : 0;
	double daily_var = 0, fees_var = 0;
	if (mf->days_forecast) {
		/* the fit's day 0 is r->last_day + 1 - window */
		long origin = (long)r->last_day + 1 - (long)r->window;
		double sd;
		mf->remaining = series_trend_sum(&r->fit, from - origin, end - origin, &sd);
		daily_var = sd * sd * r->noise_inflation;
		mf->calibration_quantile = past_error_quantile(r, from, end, &mf->calibration_errors);
	}
	double daily_remaining = mf->remaining;
	/* The month's fees are known once booked; until then (a month ahead,
	 * or a month in progress whose fees are not in yet: less than half the
	 * usual lump) they are forecast as a lump of the usual size. */
	double psd, usual = period_estimate(r, start, &psd);
	if (start > r->last_day || fabs(booked) < fabs(usual) / 2) {
		mf->fees_pending = usual - booked;
		mf->remaining += mf->fees_pending;
		fees_var = psd * psd;
	}
	/* The wider of three spreads, each of which alone is too hopeful:
	 *   - the model's own (daily residuals, autocorrelation, the fitted
	 *     coefficients), right only if the trend is the truth;
	 *   - the past errors of the same forecast at the same days ahead
	 *     (conformal 80% quantile), right only if the future breaks as
	 *     often as the past did;
	 *   - the one-month-ahead backtest's RMS error, growing with the
	 *     square root of the months ahead, times Student's t for the
	 *     few months it was measured on.
	 * The pending fees' spread is added to the first two in quadrature
	 * (the third already holds the fee estimates' errors). */
	int horizon = 1;
	for (int m = date_month_start(r->last_day + 1); m < start; m = date_add_months(m, 1))
		horizon++;
	double model_half = Z80 * sqrt(daily_var + fees_var);
	double past_daily = mf->calibration_quantile * fabs(daily_remaining);
	double past_half = mf->calibration_errors ? sqrt(past_daily * past_daily + Z80 * Z80 * fees_var) : 0;
	double t = r->error_folds < COUNT(t80) ? t80[r->error_folds] : Z80;
	double backtest_half = t * r->error_sd * fabs(mf->remaining) * sqrt(horizon);
	double half = fmax(model_half, fmax(past_half, backtest_half));
	mf->half[0] = model_half;
	mf->half[1] = past_half;
	mf->half[2] = backtest_half;
	mf->interval_basis = half == past_half ? "past_errors" : half == backtest_half ? "monthly_backtest" : "model";
	mf->sd = half / Z80;
	mf->total = mf->actual + mf->remaining;
	mf->lower = mf->total - half;
	mf->upper = mf->total + half;
}

/* History and forecast per day, the interval as a band (lower, upper filled to it). */
static void add_chart(struct forecast_run *r, int horizon_end)
{
	int from = r->last_day + 1 - CHART_HISTORY < r->first_day ? r->first_day : r->last_day + 1 - CHART_HISTORY;
	int ndays = horizon_end - from;
	json_t *chart = anomaly_daily_chart("Daily cost and forecast (daily charges)", r->req->currency, from, ndays);
	double *actual = xmalloc((size_t)ndays * sizeof(*actual));
	double *point = xmalloc((size_t)ndays * sizeof(*point));
	double *lower = xmalloc((size_t)ndays * sizeof(*lower));
	double *upper = xmalloc((size_t)ndays * sizeof(*upper));
	long origin = (long)r->last_day + 1 - (long)r->window;
	for (int i = 0; i < ndays; i++) {
		int d = from + i;
		actual[i] = point[i] = lower[i] = upper[i] = NAN;
		if (d <= r->last_day) {
			actual[i] = r->y[d - r->first_day];
			if (d == r->last_day) /* join the lines */
				point[i] = lower[i] = upper[i] = actual[i];
			continue;
		}
		double sd;
		point[i] = series_trend_sum(&r->fit, d - origin, d - origin + 1, &sd);
		lower[i] = point[i] - Z80 * sd;
		upper[i] = point[i] + Z80 * sd;
	}
	json_t *ds = anomaly_chart_dataset(chart, "actual", actual, ndays);
	json_object_set_new(ds, "fill", json_false());
	json_object_set_new(ds, "pointRadius", json_integer(0));
	ds = anomaly_chart_dataset(chart, "forecast", point, ndays);
	json_object_set_new(ds, "fill", json_false());
	json_object_set_new(ds, "borderDash", json_pack("[i, i]", 6, 4));
	json_object_set_new(ds, "pointRadius", json_integer(0));
	ds = anomaly_chart_dataset(chart, "lower (80%)", lower, ndays);
	json_object_set_new(ds, "fill", json_false());
	json_object_set_new(ds, "pointRadius", json_integer(0));
	json_object_set_new(ds, "borderWidth", json_integer(0));
	ds = anomaly_chart_dataset(chart, "upper (80%)", upper, ndays);
	json_object_set_new(ds, "fill", json_string("-1"));
	json_object_set_new(ds, "pointRadius", json_integer(0));
	json_object_set_new(ds, "borderWidth", json_integer(0));
	json_array_append_new(json_object_get(r->result, "charts"), chart);
	free(actual);
	free(point);
	free(lower);
	free(upper);
}

static int load(struct forecast_run *r, struct err *e)
{
	struct strbuf daily = STRBUF_INIT, monthly = STRBUF_INIT;
	insight_scope_sql(r->req, &daily);
	strbuf_addstr(&daily, " AND ");
	strbuf_addstr(&monthly, daily.buf);
	anomaly_charges_sql(&daily, true);
	anomaly_charges_sql(&monthly, false);
	char today[16];
	date_format(r->req->today, today, sizeof(today));
	struct table t;
	table_init(&t);
	int rc = insight_query(r->req, r->result, &t, e,
			       "SELECT $day_number(usage_date) AS day, sum(%s) AS cost\n"
			       "FROM costs WHERE %s AND usage_date <= $date('%s')\nGROUP BY usage_date ORDER BY usage_date",
			       r->cost, daily.buf, today);
	if (rc == 0 && t.nrows) {
		r->first_day = (int)cell_number(table_at(&t, 0, 0));
		r->last_day = (int)cell_number(table_at(&t, t.nrows - 1, 0));
		r->n = (size_t)(r->last_day - r->first_day + 1);
		r->y = xcalloc(r->n, sizeof(*r->y));
		for (size_t i = 0; i < t.nrows; i++)
			r->y[(int)cell_number(table_at(&t, i, 0)) - r->first_day] = cell_number(table_at(&t, i, 1));
	}
	table_release(&t);
	if (rc == 0 && r->n) {
		table_init(&t);
		struct strbuf one_off = STRBUF_INIT;
		charges_one_off_sql(&one_off);
		/* per charge day, not per month: a one-off lump mid-month is not
		 * known to a backtest run on the 1st (forecast_as_of) */
		rc = insight_query(r->req, r->result, &t, e,
				   "SELECT $day_number($month_start(usage_date)) AS month, $day_number(usage_date) AS day,\n"
				   "  sum(%s) AS cost, sum(CASE WHEN %s THEN %s ELSE 0 END) AS one_off\n"
				   "FROM costs WHERE %s AND usage_date <= $date('%s')\n"
				   "GROUP BY usage_date ORDER BY usage_date",
				   r->cost, one_off.buf, r->cost, monthly.buf, today);
		strbuf_release(&one_off);
		if (rc == 0) {
			r->period = xcalloc(t.nrows + 1, sizeof(*r->period));
			for (size_t i = 0; i < t.nrows; i++) {
				r->period[i].month_start = (int)cell_number(table_at(&t, i, 0));
				r->period[i].day = (int)cell_number(table_at(&t, i, 1));
				r->period[i].amount = cell_number(table_at(&t, i, 2));
				r->period[i].one_off = cell_number(table_at(&t, i, 3));
			}
			r->nperiod = t.nrows;
		}
		table_release(&t);
	}
	strbuf_release(&daily);
	strbuf_release(&monthly);
	return rc;
}

/* How much wider a sum of days spreads than independent days would: the
 * fit's residuals are autocorrelated (a level shift, a spike lasting days
 * leave runs of residuals of one sign), and for residuals with lag-1
 * autocorrelation rho the variance of a sum of many days is about
 * (1 + rho) / (1 - rho) times that of independent days. */
static double residual_inflation(const struct series_trend *fit, const double *y, size_t n)
{
	double rho = series_residual_autocorrelation(fit, y, n);
	return (1 + rho) / (1 - rho);
}

/* The window with the lowest backtest error (the longest that fits when
 * there are no folds); its fit on the last days of the data. */
static int choose_and_fit(struct forecast_run *r, const struct folds *f, double *best_mape)
{
	double forecast[BACKTEST_MONTHS], actual[BACKTEST_MONTHS];
	*best_mape = NAN;
	r->window = 0;
	/* The spread of the error is pooled over every candidate window, not
	 * taken from the one that did best on these very folds (that one's
	 * errors are the smallest by selection). */
	double sq = 0;
	size_t count = 0, tried = 0;
	for (size_t i = 0; i < COUNT(windows); i++) {
		size_t w = windows[i] < r->n ? windows[i] : r->n;
		double mape = f->n ? backtest(r, w, f, forecast, actual) : NAN;
		tried++;
		for (size_t k = 0; k < f->n; k++)
			if (isfinite(forecast[k]) && actual[k] != 0) {
				double rel = (forecast[k] - actual[k]) / actual[k];
				sq += rel * rel;
				count++;
			}
		if (!r->window || (isfinite(mape) && (!isfinite(*best_mape) || mape < *best_mape)) ||
		    (!isfinite(*best_mape) && !f->n)) {
			r->window = w;
			*best_mape = mape;
		}
		if (w == r->n)
			break;
	}
	r->error_sd = count ? sqrt(sq / (double)count) : 0;
	r->error_folds = tried ? count / tried : 0;
	const double *y = r->y + (r->n - r->window);
	if (series_trend_fit_auto(y, r->window, date_weekday(r->last_day + 1 - (int)r->window), r->window, &r->fit))
		return -1;
	r->noise_inflation = residual_inflation(&r->fit, y, r->window);
	return 0;
}

static void add_backtest(struct forecast_run *r, const struct folds *f, struct strbuf *md)
{
	double forecast[BACKTEST_MONTHS], actual[BACKTEST_MONTHS];
	double mape = backtest(r, r->window, f, forecast, actual);
	json_t *folds = json_array();
	strbuf_addf(md, "\n**Backtest**: each of the last %zu full months forecast from the data before it "
		    "(one month ahead, the same method): ", f->n);
	for (size_t i = 0; i < f->n; i++) {
		char month[32], fc[48], ac[48];
		anomaly_month_label(f->month[i], month, sizeof(month));
		insight_money(r->req, forecast[i], fc, sizeof(fc));
		insight_money(r->req, actual[i], ac, sizeof(ac));
		double err = actual[i] != 0 ? 100 * (forecast[i] - actual[i]) / fabs(actual[i]) : NAN;
		strbuf_addf(md, "%s%s %s vs %s actual (%+.1f%%)", i ? "; " : "", month, fc, ac, err);
		json_array_append_new(folds, json_pack("{s:o, s:o, s:o, s:o}", "month", jday(f->month[i]), "forecast",
						       jmoney(forecast[i]), "actual", jmoney(actual[i]), "error_pct",
						       isfinite(err) ? json_real(round(err * 100) / 100) : json_null()));
	}
	if (isfinite(mape))
		strbuf_addf(md, ". Mean absolute percentage error (MAPE): **%.2f%%**.\n", mape);
	else
		strbuf_addstr(md, ". Not enough history for a backtest.\n");
	json_object_set_new(r->result, "backtest",
			    json_pack("{s:o, s:s, s:I, s:o}", "mape",
				      isfinite(mape) ? json_real(round(mape * 1000) / 1000) : json_null(), "horizon",
				      "1 month", "window_days", (json_int_t)r->window, "folds", folds));
}

/* The month-end backtest: "today" is each of the first ASOF_DAYS days of
 * the last REPORT_MONTHS full months in turn; the forecast sees only the
 * data up to that day (its own window choice and interval, as on that
 * day) and is compared with the month's actual total. */
#define ASOF_DAYS 10

struct as_of_result {
	int today;
	double forecast, lower, upper, actual;
	const char *basis;
	double half[3]; /* month_forecast's */
};

/* The run as it was on as_of: the series and the booked fees cut there. */
static int forecast_as_of(const struct forecast_run *full, int as_of, struct month_forecast *mf)
{
	struct forecast_run r = *full;
	r.last_day = as_of;
	r.n = (size_t)(as_of - full->first_day + 1);
	r.nperiod = 0;
	while (r.nperiod < full->nperiod && full->period[r.nperiod].day <= as_of)
		r.nperiod++;
	struct folds f;
	double mape;
	backtest_folds(&r, &f);
	if (r.n < 21 || choose_and_fit(&r, &f, &mape))
		return -1;
	int m = date_month_start(as_of);
	forecast_month(&r, m, date_add_months(m, 1), mf);
	return 0;
}

static void add_month_end_backtest(struct forecast_run *r, const struct folds *f, struct strbuf *md)
{
	struct as_of_result runs[REPORT_MONTHS * ASOF_DAYS];
	size_t n = 0, inside = 0, from = f->n > REPORT_MONTHS ? f->n - REPORT_MONTHS : 0;
	double abs_sum = 0, worst = 0, bias = 0;
	for (size_t i = from; i < f->n; i++) {
		int m = f->month[i], end = date_add_months(m, 1);
		double actual = period_actual(r, m, NULL);
		for (int d = m; d < end; d++)
			actual += r->y[d - r->first_day];
		for (int k = 0; k < ASOF_DAYS; k++) {
			struct month_forecast mf;
			if (m + k - MIN_HISTORY < r->first_day || forecast_as_of(r, m + k, &mf) || actual == 0)
				continue;
			runs[n] = (struct as_of_result){ m + k, mf.total, mf.lower, mf.upper, actual, mf.interval_basis,
							 { mf.half[0], mf.half[1], mf.half[2] } };
			double err = (mf.total - actual) / fabs(actual);
			abs_sum += fabs(err);
			bias += err;
			worst = fmax(worst, fabs(err));
			inside += actual >= mf.lower && actual <= mf.upper;
			n++;
		}
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:o, s:o, s:o, s:o, s:o, s:b, s:s, s:{s:o, s:o, s:o}}", "today",
					jday(runs[i].today), "forecast", jmoney(runs[i].forecast), "lower",
					jmoney(runs[i].lower), "upper", jmoney(runs[i].upper), "actual",
					jmoney(runs[i].actual), "inside",
					runs[i].actual >= runs[i].lower && runs[i].actual <= runs[i].upper,
					"interval_basis", runs[i].basis ? runs[i].basis : "model", "half_widths", "model",
					jmoney(runs[i].half[0]), "past_errors", jmoney(runs[i].half[1]),
					"monthly_backtest", jmoney(runs[i].half[2])));
	double mape = n ? 100 * abs_sum / (double)n : NAN, coverage = n ? 100.0 * (double)inside / (double)n : NAN;
	json_object_set_new(json_object_get(r->result, "backtest"), "month_end",
			    json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "forecasts", (json_int_t)n, "inside",
				      (json_int_t)inside, "mape", n ? json_real(round(mape * 1000) / 1000) : json_null(),
				      "bias_pct", n ? json_real(round(100000 * bias / (double)n) / 1000) : json_null(),
				      "max_abs_error_pct", n ? json_real(round(worst * 100000) / 1000) : json_null(),
				      "coverage_pct", n ? json_real(round(coverage * 10) / 10) : json_null(), "runs",
				      list));
	if (!n) {
		strbuf_addstr(md, "\n**Month-end backtest**: not enough history.\n");
		return;
	}
	char first[32], last[32];
	anomaly_month_label(f->month[from], first, sizeof(first));
	anomaly_month_label(f->month[f->n - 1], last, sizeof(last));
	strbuf_addf(md, "\n**Month-end backtest**: with each 1st to %dth of %s to %s as today (%zu forecasts, "
		    "each from the data up to that day), the month-end forecast was off by **%.2f%%** on average "
		    "(worst %.2f%%, bias %+.2f%%); the month's actual total fell inside the 80%% interval **%zu "
		    "times out of %zu (%.0f%%)**.\n",
		    ASOF_DAYS, first, last, n, mape, 100 * worst, 100 * bias / (double)n, inside, n, coverage);
}

static int forecast_run(const struct insight_request *req, json_t **out, struct err *e)
{
	struct forecast_run r = { .req = req, .cost = insight_cost_column(req) };
	r.result = insight_result("forecast", "Forecast");
	if (load(&r, e)) {
		json_decref(r.result);
		free(r.y);
		free(r.period);
		*out = NULL;
		return -1;
	}
	*out = r.result;
	if (r.n < 21) {
		insight_set_message(r.result, r.n ? "There are fewer than 21 days of cost in this scope: too few to "
						    "forecast from."
						  : "There is no cost in this scope to forecast.");
		goto done;
	}
	struct folds f;
	backtest_folds(&r, &f);
	double mape;
	if (choose_and_fit(&r, &f, &mape)) {
		insight_set_message(r.result, "The daily cost in this scope cannot be fitted (too few distinct days).");
		goto done;
	}

	int this_month = date_month_start(req->today);
	int nmonths = req->months > 0 ? req->months : 1;
	struct month_forecast *mf = xcalloc((size_t)nmonths, sizeof(*mf));
	for (int i = 0; i < nmonths; i++) {
		int start = date_add_months(this_month, i);
		forecast_month(&r, start, date_add_months(start, 1), &mf[i]);
	}

	char scope[512], last[16], today[16], title[700], month[32];
	insight_scope_words(req, scope, sizeof(scope));
	date_format(r.last_day, last, sizeof(last));
	date_format(req->today, today, sizeof(today));
	anomaly_month_label(this_month, month, sizeof(month));
	char total[48];
	insight_money(req, mf[0].total, total, sizeof(total));
	if (nmonths == 1)
		snprintf(title, sizeof(title), "%s%s%s forecast: %s", *scope ? scope : "", *scope ? ", " : "", month,
			 total);
	else
		snprintf(title, sizeof(title), "%s%sforecast for %d months from %s", *scope ? scope : "",
			 *scope ? ", " : "", nmonths, month);
	json_object_set_new(r.result, "title", json_string(title));

	struct strbuf md = STRBUF_INIT;
	if (r.last_day < req->today - 1)
		strbuf_addf(&md, "The data ends on **%s**, %d days before today (%s): the forecast starts from the "
			    "last data day.\n\n", last, req->today - r.last_day, today);
	json_t *items = json_object_get(r.result, "items");
	struct table t;
	table_init(&t);
	static const char *const columns[] = { "month", "actual_to_date_cost", "forecast_remaining_cost",
					       "forecast_cost", "lower_cost", "upper_cost" };
	enum cell_kind kinds[COUNT(columns)] = { CELL_TEXT, CELL_REAL, CELL_REAL, CELL_REAL, CELL_REAL, CELL_REAL };
	table_set_columns(&t, COUNT(columns), columns, kinds);
	for (int i = 0; i < nmonths; i++) {
		const struct month_forecast *m = &mf[i];
		char label[32], a[48], rem[48], tot[48], lo[48], hi[48], start[16];
		anomaly_month_label(m->month_start, label, sizeof(label));
		date_format(m->month_start, start, sizeof(start));
		insight_money(req, m->actual, a, sizeof(a));
		insight_money(req, m->remaining, rem, sizeof(rem));
		insight_money(req, m->total, tot, sizeof(tot));
		insight_money(req, m->lower, lo, sizeof(lo));
		insight_money(req, m->upper, hi, sizeof(hi));
		strbuf_addf(&md, "- **%s**%s: ", label, i == 0 ? " (this month)" : "");
		if (m->days_actual)
			strbuf_addf(&md, "%s actual for %d days + ", a, m->days_actual);
		strbuf_addf(&md, "%s forecast for %d days", rem, m->days_forecast);
		if (m->days_actual && m->fees_pending != 0) {
			char fees[48];
			insight_money(req, m->fees_pending, fees, sizeof(fees));
			strbuf_addf(&md, " (of which %s of monthly fees not booked yet)", fees);
		}
		strbuf_addf(&md, " = **%s** (80%% interval %s to %s)\n", tot, lo, hi);
		json_array_append_new(items,
				      json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:s, s:I, s:o}", "kind",
						i == 0 ? "this_month" : "month", "month", jday(m->month_start), "label",
						label, "actual_to_date", jmoney(m->actual), "forecast_remaining",
						jmoney(m->remaining), "forecast", jmoney(m->total), "lower",
						jmoney(m->lower), "upper", jmoney(m->upper), "days_actual",
						(json_int_t)m->days_actual, "days_forecast", (json_int_t)m->days_forecast,
						"interval_basis", m->interval_basis ? m->interval_basis : "model",
						"past_errors", (json_int_t)m->calibration_errors, "past_error_q80_pct",
						m->calibration_errors ? json_real(round(m->calibration_quantile * 1e5) / 1e3)
								      : json_null()));
		struct cell *c = table_add_row(&t);
		cell_set_text(&c[0], start);
		cell_set_money(&c[1], m->actual);
		cell_set_money(&c[2], m->remaining);
		cell_set_money(&c[3], m->total);
		cell_set_money(&c[4], m->lower);
		cell_set_money(&c[5], m->upper);
	}
	insight_set_table(r.result, &t);
	table_release(&t);

	/* the arithmetic behind it: the fitted week after the data, by weekday */
	double by_weekday[7];
	for (int k = 0; k < 7; k++)
		by_weekday[(date_weekday(r.last_day + 1) + k) % 7] = series_trend_at(&r.fit, (long)r.window + k);
	double weekday = (by_weekday[0] + by_weekday[1] + by_weekday[2] + by_weekday[3] + by_weekday[4]) / 5;
	double weekend = (by_weekday[5] + by_weekday[6]) / 2;
	char slope[48], level[48], psum[48];
	insight_money(req, r.fit.coef[1] * 30.44, slope, sizeof(slope));
	insight_money(req, series_trend_at(&r.fit, (long)r.window - 1), level, sizeof(level));
	double psd;
	insight_money(req, period_estimate(&r, date_add_months(date_month_start(r.last_day), 1), &psd), psum,
		      sizeof(psum));
	strbuf_addf(&md, "\nHow: the daily charges of the last %zu days change by %s a day each month "
		    "(fitted level %s on %s)", r.window, slope, level, last);
	if (weekday > 0)
		strbuf_addf(&md, ", weekends at %.0f%% of weekdays", 100 * weekend / weekday);
	if (r.fit.step_at >= 0) {
		char step_day[16], step[48];
		date_format(r.last_day + 1 - (int)r.window + (int)r.fit.step_at, step_day, sizeof(step_day));
		insight_money(req, fabs(r.fit.coef[8]), step, sizeof(step));
		strbuf_addf(&md, ", with a level shift on %s (%s %s a day) fitted as a step, not a slope", step_day,
			    r.fit.coef[8] >= 0 ? "up" : "down", step);
	}
	struct strbuf monthly = STRBUF_INIT, one_off = STRBUF_INIT;
	charges_words(&monthly, CHARGES_MONTHLY);
	charges_words(&one_off, CHARGES_ONE_OFF);
	strbuf_addf(&md, "; once-a-month charges (%s) average %s over the last %d months and are added on the 1st; "
		    "one-off ones (%s) count in the month they are charged and are not expected again.\n",
		    monthly.buf, psum, PERIOD_MONTHS, one_off.buf);
	strbuf_release(&monthly);
	strbuf_release(&one_off);
	if (req->backtest) {
		add_backtest(&r, &f, &md);
		add_month_end_backtest(&r, &f, &md);
	}
	insight_set_message(r.result, md.buf);
	strbuf_release(&md);

	struct strbuf method = STRBUF_INIT;
	strbuf_addf(&method,
		    "Least-squares linear trend with a day-of-week effect, fitted to the daily charges of the last "
		    "%zu days (the window among 56, 91, 182 and 364 days with the lowest one-month-ahead backtest "
		    "error on the loaded data), with a step at the one day in it (7 or more days before its end) "
		    "where a level shift fits best when the step earns its two parameters by the Bayesian "
		    "information criterion on the effective number of days (the residuals' autocorrelation "
		    "discounted), plus the month's once-a-month charges: as booked, or, until they are "
		    "booked, the mean of the last %d months'. The 80%% interval is the widest of three spreads: ±1.28 "
		    "standard deviations of the daily residuals (widened for their autocorrelation), the fitted trend "
		    "and the pending monthly charges; the 80th percentile (conformal) of the relative errors of the same "
		    "forecast made from each earlier day of the data (%zu past forecasts of this month's days, every "
		    "candidate window); and the backtest's RMS error (%.2f%% a month ahead over %zu months, pooled over "
		    "every candidate window, growing with the square root of the horizon) times Student's t for that "
		    "many months.",
		    r.window, PERIOD_MONTHS, mf[0].calibration_errors, 100 * r.error_sd, r.error_folds);
	insight_set_method(r.result, method.buf);
	strbuf_release(&method);
	add_chart(&r, mf[nmonths - 1].month_end);
	insight_add_suggestion(r.result, "what drove the change last month?");
	insight_add_suggestion(r.result, "anomalies this month");
	if (nmonths == 1)
		insight_add_suggestion(r.result, "forecast the next 3 months");
	free(mf);
done:
	free(r.y);
	free(r.period);
	return 0;
}

const struct insight insight_forecast = {
	.name = "forecast",
	.summary = "This month's cost (actual to date plus forecast) and the months ahead, with an interval",
	.run = forecast_run,
};
