/*
 * series: robust statistics of daily cost series (see series.h).
 *
 * The anomaly pipeline, in order:
 *   1. weekday profile: per weekday, the median ratio of a day to the mean
 *      of the 7 days centred on it;
 *   2. y = x / factor: the series with the weekday pattern taken out;
 *   3. level shifts: a step between the medians of shift_window days either
 *      side that is large against the level and the daily noise, and still
 *      there in the later half of the window ("lasting");
 *   4. baseline: a centred rolling median of y inside each segment between
 *      shifts, times the weekday factor, so trends are followed and steps
 *      are not smeared;
 *   5. spikes and drops: runs of days whose robust z-score (residual over
 *      the weekday's MAD of relative residuals) passes the threshold.
 */
#include "series.h"

#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The MAD of a normal distribution is 0.6745 sigma. */
#define MAD_TO_SIGMA 1.4826
/* Weekday factors below this are treated as this when dividing by them. */
#define FACTOR_FLOOR 0.05
/* Spikes this close to a level shift are the shift's edge, not events. */
#define SHIFT_EDGE_DAYS 3

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of buf[0..n-1], reordering buf. */
static double median_inplace(double *buf, size_t n)
{
	if (n == 0)
		return NAN;
	sort_array(buf, n, sizeof(*buf), cmp_double);
	return n % 2 ? buf[n / 2] : 0.5 * (buf[n / 2 - 1] + buf[n / 2]);
}

double series_median(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double *buf = xmalloc(n * sizeof(*buf));
	memcpy(buf, x, n * sizeof(*buf));
	double m = median_inplace(buf, n);
	free(buf);
	return m;
}

double series_mad(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double m = series_median(x, n);
	double *buf = xmalloc(n * sizeof(*buf));
	for (size_t i = 0; i < n; i++)
		buf[i] = fabs(x[i] - m);
	double mad = median_inplace(buf, n);
	free(buf);
	return mad;
}

static int weekday_of(int first_weekday, size_t t)
{
	return (int)(((size_t)first_weekday + t) % 7);
}

void series_weekday_factors(const double *x, size_t n, int first_weekday, double factor[7])
{
	for (int w = 0; w < 7; w++)
		factor[w] = 1;
	if (n < 21)
		return;
	/* the ratios of each weekday, in a bucket of its own */
	size_t count[7] = { 0 }, total = 0;
	double *bucket[7];
	size_t per = n / 7 + 2;
	double *store = xmalloc(7 * per * sizeof(*store));
	for (int w = 0; w < 7; w++)
		bucket[w] = store + (size_t)w * per;
	for (size_t t = 3; t + 3 < n; t++) {
		double mean = 0;
		for (size_t k = t - 3; k <= t + 3; k++)
			mean += x[k];
		mean /= 7;
		if (mean <= 0)
			continue;
		int w = weekday_of(first_weekday, t);
		bucket[w][count[w]++] = x[t] / mean;
		total++;
	}
	if (total >= 14) {
		double sum = 0;
		for (int w = 0; w < 7; w++) {
			factor[w] = count[w] ? median_inplace(bucket[w], count[w]) : 1;
			sum += factor[w];
		}
		if (sum > 0)
			for (int w = 0; w < 7; w++)
				factor[w] *= 7 / sum;
		else
			for (int w = 0; w < 7; w++)
				factor[w] = 1;
	}
	free(store);
}

void series_params_init(struct series_params *p)
{
	p->level_halfwidth = 14;
	p->threshold = 4;
	p->min_impact = 0;
	p->shift_window = 28;
	p->shift_min_ratio = 0.2;
	p->shift_threshold = 3;
}

const char *series_kind_name(enum series_kind k)
{
	static const char *const names[] = {
		[SERIES_SPIKE] = "spike",
		[SERIES_DROP] = "drop",
		[SERIES_LEVEL_SHIFT] = "level_shift",
	};
	return names[k];
}

static struct series_event *add_event(struct series_analysis *a)
{
	ALLOC_GROW(a->events, a->nevents + 1, a->alloc);
	struct series_event *ev = &a->events[a->nevents++];
	memset(ev, 0, sizeof(*ev));
	return ev;
}

/* The median of y[from..to) using buf as scratch. */
static double window_median(const double *y, size_t from, size_t to, double *buf)
{
	memcpy(buf, y + from, (to - from) * sizeof(*buf));
	return median_inplace(buf, to - from);
}

/* Robust standard deviation of one day's value around its neighbours:
 * from the day-to-day differences, which steps and trends barely move. */
static double daily_noise(const double *y, size_t n)
{
	if (n < 3)
		return 0;
	double *d = xmalloc((n - 1) * sizeof(*d));
	for (size_t t = 1; t < n; t++)
		d[t - 1] = y[t] - y[t - 1];
	double sigma = MAD_TO_SIGMA * series_mad(d, n - 1) / sqrt(2);
	free(d);
	return sigma;
}

struct step {
	size_t at;
	double before, after;
};

/* The step at k: medians of up to w days before and from k. */
static struct step step_at(const double *y, size_t n, size_t k, size_t w, double *buf)
{
	size_t b0 = k > w ? k - w : 0, a1 = k + w < n ? k + w : n;
	return (struct step){ k, window_median(y, b0, k, buf), window_median(y, k, a1, buf) };
}

/* Does the step at s.at pass the tests of a level shift? */
static bool is_level_shift(const double *y, size_t n, struct step s, size_t w, double noise,
			   const struct series_params *p, double *buf)
{
	double step = s.after - s.before;
	double larger = fmax(fabs(s.before), fabs(s.after));
	if (larger <= 0 || fabs(step) < p->shift_min_ratio * larger)
		return false;
	if (fabs(step) < p->shift_threshold * noise)
		return false;
	/* Lasting: the later half of the window after it is still moved by at
	 * least half the step in the same direction. */
	size_t a1 = s.at + w < n ? s.at + w : n;
	size_t late = s.at + (a1 - s.at) / 2;
	double late_level = window_median(y, late, a1, buf);
	if ((late_level - s.before) * step <= 0 || fabs(late_level - s.before) < 0.5 * fabs(step))
		return false;
	return true;
}

/* The split in [lo, hi] that fits two constant levels to y[lo - w, hi + w)
 * best in absolute deviation. */
static size_t refine_split(const double *y, size_t n, size_t k, size_t w, struct step s)
{
	size_t radius = w / 4;
	size_t lo = k > radius ? k - radius : 1, hi = k + radius < n - 1 ? k + radius : n - 1;
	size_t from = k > w ? k - w : 0, to = k + w < n ? k + w : n;
	size_t best = k;
	double best_cost = INFINITY;
	for (size_t c = lo; c <= hi; c++) {
		double cost = 0;
		for (size_t t = from; t < to; t++)
			cost += fabs(y[t] - (t < c ? s.before : s.after));
		if (cost < best_cost) {
			best_cost = cost;
			best = c;
		}
	}
	return best;
}

/* Level shifts of y, in order of start, into shifts[]; returns how many. */
static size_t find_level_shifts(const double *y, size_t n, const struct series_params *p, double noise,
				struct step *shifts, size_t max)
{
	size_t w = (size_t)p->shift_window, m = w / 2;
	if (n < 2 * m + 1 || max == 0)
		return 0;
	double *buf = xmalloc(n * sizeof(*buf));
	double *gap = xcalloc(n, sizeof(*gap));
	for (size_t k = m; k + m <= n; k++) {
		struct step s = step_at(y, n, k, w, buf);
		if (fabs(s.after - s.before) >= p->min_impact && is_level_shift(y, n, s, w, noise, p, buf))
			gap[k] = fabs(s.after - s.before);
	}
	size_t count = 0;
	while (count < max) {
		size_t best = 0;
		for (size_t k = 1; k < n; k++)
			if (gap[k] > gap[best])
				best = k;
		if (gap[best] <= 0)
			break;
		struct step s = step_at(y, n, best, w, buf);
		size_t at = refine_split(y, n, best, w, s);
		shifts[count] = step_at(y, n, at, w, buf);
		count++;
		for (size_t k = best > w ? best - w : 0; k < n && k <= best + w; k++)
			gap[k] = 0;
	}
	free(gap);
	free(buf);
	/* in order of start */
	for (size_t i = 1; i < count; i++)
		for (size_t j = i; j > 0 && shifts[j - 1].at > shifts[j].at; j--) {
			struct step tmp = shifts[j];
			shifts[j] = shifts[j - 1];
			shifts[j - 1] = tmp;
		}
	return count;
}

/* Rolling median of y within [seg_from, seg_to), half-width h, into level. */
static void segment_levels(const double *y, size_t seg_from, size_t seg_to, size_t h, double *level,
			   double *buf)
{
	for (size_t t = seg_from; t < seg_to; t++) {
		size_t from = t > seg_from + h ? t - h : seg_from;
		size_t to = t + h + 1 < seg_to ? t + h + 1 : seg_to;
		level[t] = window_median(y, from, to, buf);
	}
}

static bool near_shift(const struct step *shifts, size_t nshifts, size_t start, size_t end)
{
	for (size_t i = 0; i < nshifts; i++)
		if (start <= shifts[i].at + SHIFT_EDGE_DAYS && shifts[i].at <= end + SHIFT_EDGE_DAYS)
			return true;
	return false;
}

void series_analyze(const double *x, size_t n, int first_weekday, const struct series_params *p,
		    struct series_analysis *out)
{
	memset(out, 0, sizeof(*out));
	series_weekday_factors(x, n, first_weekday, out->factor);
	if (n == 0)
		return;
	out->expected = xcalloc(n, sizeof(*out->expected));
	double *y = xmalloc(n * sizeof(*y));
	double *level = xmalloc(n * sizeof(*level));
	double *buf = xmalloc(n * sizeof(*buf));
	for (size_t t = 0; t < n; t++)
		y[t] = x[t] / fmax(out->factor[weekday_of(first_weekday, t)], FACTOR_FLOOR);

	/* level shifts first: the baseline must not straddle them */
	double noise_abs = daily_noise(y, n);
	size_t max_shifts = n / (size_t)p->shift_window + 1;
	struct step *shifts = xcalloc(max_shifts, sizeof(*shifts));
	size_t nshifts = find_level_shifts(y, n, p, noise_abs, shifts, max_shifts);

	size_t seg_from = 0;
	for (size_t i = 0; i <= nshifts; i++) {
		size_t seg_to = i < nshifts ? shifts[i].at : n;
		segment_levels(y, seg_from, seg_to, (size_t)p->level_halfwidth, level, buf);
		seg_from = seg_to;
	}
	for (size_t t = 0; t < n; t++)
		out->expected[t] = level[t] * out->factor[weekday_of(first_weekday, t)];

	/* relative spread per weekday: weekends can be noisier than weekdays */
	double noise_rel[7];
	double *rel = xmalloc(n * sizeof(*rel));
	size_t nrel = 0;
	for (size_t t = 0; t < n; t++)
		if (out->expected[t] > 0)
			rel[nrel++] = (x[t] - out->expected[t]) / out->expected[t];
	out->noise = nrel ? MAD_TO_SIGMA * series_mad(rel, nrel) : 0;
	for (int w = 0; w < 7; w++) {
		nrel = 0;
		for (size_t t = (size_t)((w - first_weekday + 7) % 7); t < n; t += 7)
			if (out->expected[t] > 0)
				rel[nrel++] = (x[t] - out->expected[t]) / out->expected[t];
		noise_rel[w] = nrel >= 8 ? MAD_TO_SIGMA * series_mad(rel, nrel) : out->noise;
	}
	free(rel);
	double typical = series_median(x, n);
	double floor_abs = fmax(0.01, 0.01 * fabs(typical));

	for (size_t i = 0; i < nshifts; i++) {
		struct series_event *ev = add_event(out);
		ev->kind = SERIES_LEVEL_SHIFT;
		ev->start = shifts[i].at;
		ev->end = i + 1 < nshifts ? shifts[i + 1].at - 1 : n - 1;
		ev->level_before = shifts[i].before;
		ev->level_after = shifts[i].after;
		ev->score = noise_abs > 0 ? fabs(shifts[i].after - shifts[i].before) / noise_abs : INFINITY;
		for (size_t t = ev->start; t <= ev->end; t++) {
			double before = shifts[i].before * out->factor[weekday_of(first_weekday, t)];
			ev->actual += x[t];
			ev->expected += before;
		}
		ev->impact = ev->actual - ev->expected;
	}

	/* runs of unusual days of one sign */
	size_t t = 0;
	while (t < n) {
		int sign = 0;
		size_t start = t;
		double top = 0;
		while (t < n) {
			int w = weekday_of(first_weekday, t);
			double spread = fmax(noise_rel[w] * out->expected[t], floor_abs);
			double z = (x[t] - out->expected[t]) / spread;
			int s = z >= p->threshold ? 1 : z <= -p->threshold ? -1 : 0;
			if (!s || (sign && s != sign))
				break;
			if (!sign)
				start = t;
			sign = s;
			top = fmax(top, fabs(z));
			t++;
		}
		if (!sign) {
			t++;
			continue;
		}
		double actual = 0, expected = 0;
		for (size_t k = start; k < t; k++) {
			actual += x[k];
			expected += out->expected[k];
		}
		if (fabs(actual - expected) >= p->min_impact && !near_shift(shifts, nshifts, start, t - 1)) {
			struct series_event *ev = add_event(out);
			ev->kind = sign > 0 ? SERIES_SPIKE : SERIES_DROP;
			ev->start = start;
			ev->end = t - 1;
			ev->actual = actual;
			ev->expected = expected;
			ev->impact = actual - expected;
			ev->score = top;
		}
	}
	/* in order of start (shifts were added first) */
	for (size_t i = 1; i < out->nevents; i++)
		for (size_t j = i; j > 0 && out->events[j - 1].start > out->events[j].start; j--) {
			struct series_event tmp = out->events[j];
			out->events[j] = out->events[j - 1];
			out->events[j - 1] = tmp;
		}
	free(shifts);
	free(buf);
	free(level);
	free(y);
}

void series_analysis_release(struct series_analysis *a)
{
	free(a->expected);
	free(a->events);
	memset(a, 0, sizeof(*a));
}

/* --- trend ------------------------------------------------------------- */

/* The regressors of day t: 1, t, one indicator per weekday but Monday,
 * and the step's indicator. */
static void trend_row(int first_weekday, long step_at, long t, double row[SERIES_TREND_PARAMS])
{
	row[0] = 1;
	row[1] = (double)t;
	int w = (int)(((long)first_weekday + t) % 7 + 7) % 7;
	for (int k = 1; k < 7; k++)
		row[1 + k] = w == k;
	row[8] = step_at >= 0 && t >= step_at;
}

/* Invert the leading k x k block of a by Gauss-Jordan with partial
 * pivoting; -1 when singular. */
static int invert(int k, double a[SERIES_TREND_PARAMS][SERIES_TREND_PARAMS],
		  double inv[SERIES_TREND_PARAMS][SERIES_TREND_PARAMS])
{
	enum { N = SERIES_TREND_PARAMS };
	double m[N][2 * N];
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++) {
			m[i][j] = a[i][j];
			m[i][k + j] = i == j;
		}
	for (int c = 0; c < k; c++) {
		int pivot = c;
		for (int r = c + 1; r < k; r++)
			if (fabs(m[r][c]) > fabs(m[pivot][c]))
				pivot = r;
		if (fabs(m[pivot][c]) < 1e-12)
			return -1;
		if (pivot != c)
			for (int j = 0; j < 2 * k; j++) {
				double tmp = m[c][j];
				m[c][j] = m[pivot][j];
				m[pivot][j] = tmp;
			}
		double d = m[c][c];
		for (int j = 0; j < 2 * k; j++)
			m[c][j] /= d;
		for (int r = 0; r < k; r++) {
			if (r == c || m[r][c] == 0)
				continue;
			double f = m[r][c];
			for (int j = 0; j < 2 * k; j++)
				m[r][j] -= f * m[c][j];
		}
	}
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			inv[i][j] = m[i][k + j];
	return 0;
}

int series_trend_fit_step(const double *y, size_t n, int first_weekday, long step_at, struct series_trend *fit)
{
	enum { N = SERIES_TREND_PARAMS };
	memset(fit, 0, sizeof(*fit));
	int k = step_at >= 0 ? N : N - 1;
	if (n < 21)
		return -1;
	double xtx[N][N] = { { 0 } }, xty[N] = { 0 }, row[N];
	for (size_t t = 0; t < n; t++) {
		trend_row(first_weekday, step_at, (long)t, row);
		for (int i = 0; i < k; i++) {
			xty[i] += row[i] * y[t];
			for (int j = 0; j < k; j++)
				xtx[i][j] += row[i] * row[j];
		}
	}
	if (invert(k, xtx, fit->inv))
		return -1;
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			fit->coef[i] += fit->inv[i][j] * xty[j];
	fit->n = n;
	fit->first_weekday = first_weekday;
	fit->k = k;
	fit->step_at = step_at >= 0 ? step_at : -1;
	double rss = 0;
	for (size_t t = 0; t < n; t++) {
		double r = y[t] - series_trend_at(fit, (long)t);
		rss += r * r;
	}
	fit->sigma = n > (size_t)k ? sqrt(rss / (double)(n - (size_t)k)) : 0;
	return 0;
}

double series_residual_autocorrelation(const struct series_trend *fit, const double *y, size_t n)
{
	double sxx = 0, sxy = 0, prev = NAN;
	for (size_t t = 0; t < n; t++) {
		double res = y[t] - series_trend_at(fit, (long)t);
		sxx += res * res;
		if (isfinite(prev))
			sxy += res * prev;
		prev = res;
	}
	return sxx > 0 ? fmin(fmax(sxy / sxx, 0), 0.9) : 0;
}

int series_trend_fit(const double *y, size_t n, int first_weekday, struct series_trend *fit)
{
	return series_trend_fit_step(y, n, first_weekday, -1, fit);
}

/* Days a step needs after it (a full week of weekdays) and before it. */
#define STEP_MIN_AFTER 7
#define STEP_MIN_BEFORE 21

int series_trend_fit_auto(const double *y, size_t n, int first_weekday, size_t search, struct series_trend *fit)
{
	if (series_trend_fit(y, n, first_weekday, fit))
		return -1;
	double rss0 = fit->sigma * fit->sigma * (double)(n - (size_t)fit->k);
	double best_rss = INFINITY;
	long best = -1;
	size_t from = n > search ? n - search : 0;
	if (from < STEP_MIN_BEFORE)
		from = STEP_MIN_BEFORE;
	for (size_t s = from; s + STEP_MIN_AFTER <= n; s++) {
		struct series_trend f;
		if (series_trend_fit_step(y, n, first_weekday, (long)s, &f))
			continue;
		double rss = f.sigma * f.sigma * (double)(n - (size_t)f.k);
		if (rss < best_rss) {
			best_rss = rss;
			best = (long)s;
		}
	}
	/* BIC: n ln(RSS / n) + p ln n; the step costs two parameters (its
	 * size and its day). n is the effective number of days: residuals
	 * that run in streaks (lag-1 autocorrelation rho) carry less
	 * information than as many independent days, about n (1 - rho) /
	 * (1 + rho), and BIC on the raw n takes streaks for steps. */
	double rho = series_residual_autocorrelation(fit, y, n);
	double neff = (double)n * (1 - rho) / (1 + rho);
	if (best < 0 || rss0 <= 0 || best_rss <= 0 || neff < 2 || neff * log(best_rss / rss0) + 2 * log(neff) >= 0)
		return 0;
	struct series_trend step;
	if (series_trend_fit_step(y, n, first_weekday, best, &step))
		return 0;
	/* A level shift holds for the typical day after it: the median day
	 * after the step sits on the stepped line. A spike of a few days
	 * just after the step day also "earns" a step (its mean), but then
	 * the typical day after it sits a step below the line. */
	size_t after = n - (size_t)best;
	double *res = xmalloc(after * sizeof(*res));
	for (size_t t = (size_t)best; t < n; t++)
		res[t - (size_t)best] = y[t] - series_trend_at(&step, (long)t);
	double typical = series_median(res, after);
	free(res);
	if (fabs(typical) >= fabs(step.coef[8]) / 2)
		return 0;
	*fit = step;
	return 0;
}

double series_trend_at(const struct series_trend *fit, long t)
{
	double row[SERIES_TREND_PARAMS], v = 0;
	trend_row(fit->first_weekday, fit->step_at, t, row);
	for (int i = 0; i < fit->k; i++)
		v += row[i] * fit->coef[i];
	return v;
}

double series_trend_sum(const struct series_trend *fit, long from, long to, double *sd)
{
	enum { N = SERIES_TREND_PARAMS };
	double g[N] = { 0 }, row[N];
	for (long t = from; t < to; t++) {
		trend_row(fit->first_weekday, fit->step_at, t, row);
		for (int i = 0; i < fit->k; i++)
			g[i] += row[i];
	}
	double sum = 0, quad = 0;
	for (int i = 0; i < fit->k; i++) {
		sum += g[i] * fit->coef[i];
		for (int j = 0; j < fit->k; j++)
			quad += g[i] * fit->inv[i][j] * g[j];
	}
	double days = to > from ? (double)(to - from) : 0;
	if (sd)
		*sd = fit->sigma * sqrt(days + quad);
	return sum;
}

double series_mape(const double *forecast, const double *actual, size_t n)
{
	double sum = 0;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(forecast[i]) || !isfinite(actual[i]) || actual[i] == 0)
			continue;
		sum += fabs(forecast[i] - actual[i]) / fabs(actual[i]);
		count++;
	}
	return count ? 100 * sum / (double)count : NAN;
}

double series_backtest(const double *y, size_t n, int first_weekday, size_t window, const size_t *fold_start,
		       const size_t *fold_end, size_t nfolds, double *forecast, double *actual)
{
	for (size_t i = 0; i < nfolds; i++) {
		size_t start = fold_start[i], end = fold_end[i] < n ? fold_end[i] : n;
		forecast[i] = actual[i] = NAN;
		if (start >= end)
			continue;
		actual[i] = 0;
		for (size_t t = start; t < end; t++)
			actual[i] += y[t];
		size_t from = start > window ? start - window : 0;
		struct series_trend fit;
		if (series_trend_fit(y + from, start - from, weekday_of(first_weekday, from), &fit))
			continue;
		long h0 = (long)(start - from), h1 = (long)(end - from);
		forecast[i] = series_trend_sum(&fit, h0, h1, NULL);
	}
	return series_mape(forecast, actual, nfolds);
}

size_t series_rolling_errors(const double *y, size_t n, int first_weekday, size_t window, size_t min_history,
			     size_t origin_from, size_t origin_to, size_t from, size_t to, double *score)
{
	size_t count = 0;
	if (from >= to)
		return 0;
	for (size_t o = origin_from < min_history ? min_history : origin_from; o <= origin_to && o + to <= n; o++) {
		size_t start = o > window ? o - window : 0;
		struct series_trend fit;
		if (series_trend_fit(y + start, o - start, weekday_of(first_weekday, start), &fit))
			continue;
		double forecast = series_trend_sum(&fit, (long)(o + from - start), (long)(o + to - start), NULL);
		double actual = 0;
		for (size_t t = o + from; t < o + to; t++)
			actual += y[t];
		if (forecast != 0 && isfinite(forecast))
			score[count++] = fabs(actual - forecast) / fabs(forecast);
	}
	return count;
}

double series_conformal_quantile(double *score, size_t n, double level)
{
	size_t k = (size_t)ceil(level * (double)(n + 1));
	if (n == 0 || k > n)
		return NAN;
	qsort(score, n, sizeof(*score), cmp_double);
	return score[k - 1];
}
