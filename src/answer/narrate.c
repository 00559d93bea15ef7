/*
 * narrate: the markdown narrative of an answer: the key figure, the parts
 * and their shares, the shape of a series, the change between periods,
 * movers; or a clarification, a refusal, help. answer_narrate() in
 * answer.h. Reads the plan and the table only; writes the strbuf. What
 * it says of fees booked once is fee_notes.c's (narration.h).
 */
#include "answer_parts.h"
#include "narration.h"
#include "date.h"
#include "sqlgen.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- narrative ---- */

void narration_value(struct narration *n, double v)
{
	char buf[600];
	fmt_value(&n->f, v, false, buf, sizeof(buf));
	strbuf_addstr(n->md, buf);
}

/* **$1,234.00**: a value in bold, without the compact form. */
void narration_bold_money(struct narration *n, double v)
{
	char buf[600];
	fmt_value(&n->f, v, false, buf, sizeof(buf));
	md_bold(n->md, buf);
}

/* **$1,234,567.89** (about $1.2M) */
static void add_key_value(struct narration *n, double v)
{
	char buf[600], compact[64];
	fmt_value(&n->f, v, false, buf, sizeof(buf));
	md_bold(n->md, buf);
	if (!n->f.usage && format_money_compact(v, n->f.currency, compact, sizeof(compact)))
		strbuf_addf(n->md, " (about %s)", compact);
}

/* "up $2,614.34 (4.2%) from $62,583.43 in October 2025"; without the
 * amount: "up 4.2% from ...". */
void narration_change(struct narration *n, double now, double before, bool amount, const char *before_when)
{
	char b[600], d[600], pct[64];
	double diff = now - before;
	fmt_value(&n->f, before, false, b, sizeof(b));
	fmt_value(&n->f, fabs(diff), false, d, sizeof(d));
	if (rounds_to_zero(diff)) {
		strbuf_addf(n->md, "unchanged from %s %s", b, before_when);
		return;
	}
	strbuf_addstr(n->md, diff > 0 ? "up " : "down ");
	if (rounds_to_zero(before)) {
		strbuf_addf(n->md, "%s from %s %s", d, b, before_when);
		return;
	}
	format_pct(100 * fabs(diff) / fabs(before), false, pct, sizeof(pct));
	if (amount)
		strbuf_addf(n->md, "%s (%s) from %s %s", d, pct, b, before_when);
	else
		strbuf_addf(n->md, "%s from %s %s", pct, b, before_when);
}

/* " That is up 4.2% from $62,583.43 in October 2025." when ctx knows. */
static void add_previous(struct narration *n, const char *subject, double now)
{
	char when[128];
	const char *label;
	if (!n->ctx || !n->ctx->has_previous)
		return;
	label = n->ctx->previous_label;
	if (!label[0]) {
		snprintf(when, sizeof(when), "in the previous period");
	} else {
		label_phrase(label, false, when, sizeof(when));
		/* not "from $X from 2025-10-01 to 2025-10-31" */
		if (strncmp(when, "from ", 5) == 0)
			snprintf(when, sizeof(when), "in the previous period (%.64s)", label);
	}
	strbuf_addf(n->md, " %s ", subject);
	narration_change(n, now, n->ctx->previous_total, false, when);
	strbuf_addch(n->md, '.');
	fee_note_compare(n, now, n->ctx->previous_total, when);
}

static void add_mixed_units_note(struct narration *n)
{
	if (n->f.mixed_units) {
		strbuf_addstr(n->md, " Note: this adds up usage in different units (");
		md_text(n->md, n->f.unit);
		strbuf_addstr(n->md, "); narrow the question to one usage type for a meaningful figure.");
	}
}

/* The group's label in bold, with the account's name: **123456789012** (Production). */
void narration_item(struct narration *n, size_t row)
{
	char buf[64], nbuf[64];
	const char *label = text(n->t, row, n->c.label, buf, sizeof(buf));
	md_bold(n->md, label);
	if (n->c.name >= 0 && n->p->group.dim == DIM_ACCOUNT && !is_null(n->t, row, n->c.name)) {
		const char *name = text(n->t, row, n->c.name, nbuf, sizeof(nbuf));
		if (*name && strcmp(name, label) != 0) {
			strbuf_addstr(n->md, " (");
			md_text(n->md, name);
			strbuf_addch(n->md, ')');
		}
	}
}

void measure_words(const struct plan *p, bool capital, char *buf, size_t size)
{
	char label[64];
	snprintf(label, sizeof(label), "%s", measure_label(p->measure));
	if (capital)
		capitalize(label, buf, size);
	else
		snprintf(buf, size, "%s", label);
}

/* Is this a series cut to some of its buckets: the peak ("which day was
 * the highest") or those over a threshold ("days above $5")? */
static bool selected_buckets(const struct plan *p)
{
	return p->intent == INTENT_TREND && p->group.dim == DIM_NONE && (p->limit > 0 || p->has_threshold);
}

/* "The highest day of amortized cost for AmazonEC2 in October 2025 was
 * 2025-10-14 at $1,394.28." / "3 days had amortized cost over $30 ...: " */
static void narrate_selected_buckets(struct narration *n)
{
	const struct plan *p = n->p;
	char m[64], label[64];
	measure_words(p, false, m, sizeof(m));
	const char *unit = grain_name(p->grain);
	size_t listed = n->t->nrows < 5 ? n->t->nrows : 5;
	if (p->has_threshold) {
		strbuf_addf(n->md, "%zu %s%s had %s %s ", n->t->nrows, unit, n->t->nrows == 1 ? "" : "s", m,
			    p->threshold_below ? "under" : "over");
		narration_value(n, p->threshold);
	} else if (p->limit == 1) {
		strbuf_addf(n->md, "The %s %s of %s", p->ascending ? "lowest" : "highest", unit, m);
	} else {
		strbuf_addf(n->md, "The %zu %s %ss of %s", n->t->nrows, p->ascending ? "lowest" : "highest", unit, m);
	}
	add_filters(n->md, p);
	if (!p->has_threshold && p->limit == 1) {
		strbuf_addf(n->md, " %s was ", n->when);
		md_bold(n->md, text(n->t, 0, n->c.period, label, sizeof(label)));
		strbuf_addstr(n->md, " at ");
		narration_value(n, num(n->t, 0, n->c.value));
		strbuf_addch(n->md, '.');
		return;
	}
	strbuf_addf(n->md, " %s: ", n->when);
	for (size_t r = 0; r < listed; r++) {
		strbuf_addstr(n->md, r == 0 ? "" : r + 1 == listed && listed == n->t->nrows ? " and " : ", ");
		md_bold(n->md, text(n->t, r, n->c.period, label, sizeof(label)));
		strbuf_addstr(n->md, " (");
		narration_value(n, num(n->t, r, n->c.value));
		strbuf_addch(n->md, ')');
	}
	if (listed < n->t->nrows)
		strbuf_addf(n->md, " and %zu more", n->t->nrows - listed);
	strbuf_addch(n->md, '.');
}

static void narrate_empty(struct narration *n)
{
	const struct plan *p = n->p;
	char m[64], w0[200], w1[200], threshold[600];
	measure_words(p, false, m, sizeof(m));
	if (selected_buckets(p) && p->has_threshold) {
		/* no bucket over the threshold is not the same as no cost */
		strbuf_addf(n->md, "No %s had %s %s ", grain_name(p->grain), m, p->threshold_below ? "under" : "over");
		narration_value(n, p->threshold);
		add_filters(n->md, p);
		strbuf_addf(n->md, " %s.", n->when);
		return;
	}
	if (p->has_threshold && p->group.dim != DIM_NONE) {
		const char *plural = plural_of(&p->group);
		fmt_value(&n->f, p->threshold, false, threshold, sizeof(threshold));
		strbuf_addstr(n->md, "No ");
		if (plural)
			strbuf_addstr(n->md, plural);
		else
			strbuf_addf(n->md, "%s value", dimension_label(&p->group));
		strbuf_addf(n->md, " had %s %s %s", m, p->threshold_below ? "under" : "over", threshold);
	} else {
		strbuf_addf(n->md, "There is no %s", m);
	}
	add_filters(n->md, p);
	if (shape_of(p) == SHAPE_PERIODS || shape_of(p) == SHAPE_PERIODS_BY_ITEM) {
		period_phrase(&p->periods[0], w0, sizeof(w0));
		period_phrase(&p->periods[1], w1, sizeof(w1));
		strbuf_addf(n->md, " %s or %s.", w0, w1);
	} else {
		strbuf_addf(n->md, " %s.", n->when);
	}
	/* "us-east-2" with no cost there is as likely as a period not loaded */
	if (p->nfilters > 0)
		strbuf_addstr(n->md, " No line item matches that in the period, or the period is not loaded: "
				     "`finq info` lists what is.");
	else
		strbuf_addstr(n->md, " Check which billing periods are loaded with `finq info`.");
}

static void narrate_number(struct narration *n)
{
	const struct plan *p = n->p;
	char m[64];
	double v = num(n->t, 0, n->c.value);
	if (p->intent == INTENT_COUNT) {
		/* "3 S3 resources had cost in November 2025" */
		long long count = isfinite(v) && fabs(v) < 1e15 ? (long long)v : 0;
		const char *what = p->group.dim != DIM_NONE ? dimension_label(&p->group) : "day";
		strbuf_addf(n->md, "**%lld** %s%s had %s", count, what, count == 1 ? "" : "s",
			    measure_label(p->measure));
		if (p->has_threshold) {
			strbuf_addf(n->md, " %s ", p->threshold_below ? "under" : "over");
			narration_value(n, p->threshold);
		}
		add_filters(n->md, p);
		strbuf_addf(n->md, " %s.", n->when);
		return;
	}
	if (p->intent == INTENT_AVERAGE_DAILY && p->grain == GRAIN_MONTH) {
		measure_words(p, false, m, sizeof(m));
		strbuf_addf(n->md, "Average monthly %s", m);
		add_filters(n->md, p);
		strbuf_addf(n->md, " %s was ", n->when);
		add_key_value(n, v);
		if (n->c.total >= 0) {
			strbuf_addstr(n->md, " (");
			narration_value(n, num(n->t, 0, n->c.total));
			if (n->c.days >= 0)
				strbuf_addf(n->md, " over %.2f months", num(n->t, 0, n->c.days));
			strbuf_addstr(n->md, ")");
		}
		strbuf_addch(n->md, '.');
		return;
	}
	if (p->intent == INTENT_AVERAGE_DAILY) {
		measure_words(p, false, m, sizeof(m));
		strbuf_addf(n->md, "Average daily %s", m);
		add_filters(n->md, p);
		strbuf_addf(n->md, " %s was ", n->when);
		add_key_value(n, v);
		int monthly = table_column(n->t, "monthly_run_rate"), annual = table_column(n->t, "annual_run_rate");
		if (monthly >= 0 && annual >= 0) {
			strbuf_addstr(n->md, ": a run rate of ");
			add_key_value(n, num(n->t, 0, monthly));
			strbuf_addstr(n->md, " a month and ");
			narration_value(n, num(n->t, 0, annual));
			strbuf_addstr(n->md, " a year");
		}
		if (n->c.total >= 0) {
			double total = num(n->t, 0, n->c.total);
			double d = num(n->t, 0, n->c.days);
			long long days = isfinite(d) && fabs(d) < 1e9 ? (long long)d : 0;
			strbuf_addstr(n->md, " (");
			narration_value(n, total);
			if (n->c.days >= 0)
				strbuf_addf(n->md, " over %lld day%s", days, days == 1 ? "" : "s");
			strbuf_addstr(n->md, ").");
			add_previous(n, "The total is", total);
		} else {
			strbuf_addch(n->md, '.');
		}
		/* what the run rate is made of: fees are a lump, not a daily rate */
		int with_data = table_column(n->t, "days_with_data"), fees = table_column(n->t, "monthly_fees");
		if (with_data >= 0 && fees >= 0 && n->t->nrows == 1) {
			double d = num(n->t, 0, with_data);
			strbuf_addf(n->md, " The run rate is the daily charges of the %lld day%s with data at a month of "
				    "30.4 days, plus one month of fees (", isfinite(d) ? (long long)d : 0LL, d == 1 ? "" : "s");
			narration_value(n, num(n->t, 0, fees));
			strbuf_addstr(n->md, ").");
			fee_note_one_off(n);
		}
	} else if (p->measure == MEASURE_USAGE && n->t->nrows > 1 && n->c.unit >= 0) {
		/* one total a unit: usage in different units does not add up */
		strbuf_addstr(n->md, "Usage");
		add_filters(n->md, p);
		strbuf_addf(n->md, " %s was in %zu units: ", n->when, n->t->nrows);
		for (size_t r = 0; r < n->t->nrows; r++) {
			char amount[64], unit[64];
			format_number(num(n->t, r, n->c.value), 2, false, amount, sizeof(amount));
			strbuf_addstr(n->md, r == 0 ? "" : r + 1 == n->t->nrows ? " and " : ", ");
			md_bold(n->md, amount);
			strbuf_addch(n->md, ' ');
			md_text(n->md, text(n->t, r, n->c.unit, unit, sizeof(unit)));
		}
		strbuf_addstr(n->md, ". Name a unit or a usage type for one figure (\"EC2 hours\").");
		return;
	} else {
		measure_words(p, false, m, sizeof(m));
		strbuf_addf(n->md, "Total %s", m);
		add_filters(n->md, p);
		strbuf_addf(n->md, " %s was ", n->when);
		add_key_value(n, v);
		strbuf_addch(n->md, '.');
		int all = n->c.whole;
		if (all >= 0 && n->c.share >= 0) {
			char pct[32];
			format_pct(num(n->t, 0, n->c.share), false, pct, sizeof(pct));
			strbuf_addstr(n->md, " That is ");
			md_bold(n->md, pct);
			strbuf_addstr(n->md, " of all cost in that period (");
			narration_value(n, num(n->t, 0, all));
			strbuf_addstr(n->md, ").");
		} else {
			add_previous(n, "That is", v);
		}
	}
	add_mixed_units_note(n);
}

/* " (22.8%)" from share_pct, or computed over the rows when the table has
 * every row and no credits. */
static void add_share(struct narration *n, size_t row, double total, bool computable)
{
	char pct[64];
	if (n->c.share >= 0 && !is_null(n->t, row, n->c.share))
		format_pct(num(n->t, row, n->c.share), false, pct, sizeof(pct));
	else if (computable && total > 0)
		format_pct(100 * num(n->t, row, n->c.value) / total, false, pct, sizeof(pct));
	else
		return;
	strbuf_addf(n->md, " (%s)", pct);
}

/* "$300.00 (30.0%) has no team tag", "$5,178.00 (19.6%) has no region" */
static void add_unlabelled(struct narration *n, size_t row, double v, const char *per, double total,
			   bool computable)
{
	narration_value(n, v);
	strbuf_addstr(n->md, per);
	add_share(n, row, total, computable);
	if (n->p->group.dim == DIM_TAG) {
		strbuf_addstr(n->md, " has no ");
		md_text(n->md, n->p->group.tag_key);
		strbuf_addstr(n->md, " tag");
	} else {
		strbuf_addf(n->md, " has no %s", dimension_label(&n->p->group));
	}
}

/* Append text to a fixed buffer, cut to fit. */
static void append_text(char *buf, size_t size, const char *text)
{
	size_t len = strlen(buf);
	if (len + 1 < size)
		snprintf(buf + len, size - len, "%s", text);
}

static void narrate_parts(struct narration *n)
{
	const struct plan *p = n->p;
	const struct table *t = n->t;
	bool average = p->intent == INTENT_AVERAGE_DAILY;
	const char *per = !average ? "" : p->grain == GRAIN_MONTH ? " a month" : " a day";
	const char *avg_low = p->grain == GRAIN_MONTH ? "average monthly " : "average daily ";
	const char *avg_cap = p->grain == GRAIN_MONTH ? "Average monthly " : "Average daily ";
	char m[64], cnt[200];
	double total = 0, negative = 0;
	size_t nneg = 0, special = SIZE_MAX;
	double *v = column_values(t, n->c.value);
	size_t *rank = rank_values(v, t->nrows, p->ascending);
	for (size_t r = 0; r < t->nrows; r++) {
		total += v[r];
		if (v[r] < 0) {
			nneg++;
			negative += v[r];
		}
		char buf[64];
		const char *label = text(t, r, n->c.label, buf, sizeof(buf));
		if (special == SIZE_MAX && (strcmp(label, "(untagged)") == 0 || strcmp(label, "(none)") == 0))
			special = r;
	}
	bool computable = p->limit == 0 && nneg == 0;
	if (p->group2.dim != DIM_NONE) {
		/* "19 team and env pairs" */
		char second[64];
		snprintf(second, sizeof(second), "%s", dimension_label(&p->group2));
		snprintf(cnt, sizeof(cnt), "%zu %s and %s pair%s", t->nrows, dimension_label(&p->group), second,
			 t->nrows == 1 ? "" : "s");
	} else if (special != SIZE_MAX && p->group.dim == DIM_TAG) {
		/* "(untagged)" is not a tag value: "across 6 team values and untagged cost" */
		count_phrase(&p->group, t->nrows - 1, cnt, sizeof(cnt));
		append_text(cnt, sizeof(cnt), " and untagged cost");
	} else {
		count_phrase(&p->group, t->nrows, cnt, sizeof(cnt));
	}

	/* the whole */
	measure_words(p, !average, m, sizeof(m));
	if (p->limit > 0) {
		strbuf_addf(n->md, "The %s %s by %s", p->ascending ? "bottom" : "top", cnt, average ? avg_low : "");
		measure_words(p, false, m, sizeof(m));
		strbuf_addstr(n->md, m);
		add_filters(n->md, p);
		strbuf_addf(n->md, " %s come to ", n->when);
		add_key_value(n, total);
		strbuf_addstr(n->md, per);
		if (n->c.share >= 0 && !average) {
			double shares = 0;
			char pct[64];
			for (size_t r = 0; r < t->nrows; r++)
				shares += num(t, r, n->c.share);
			format_pct(shares, false, pct, sizeof(pct));
			if (shares < 99.95)
				strbuf_addf(n->md, ", %s of the total", pct);
		}
		strbuf_addch(n->md, '.');
	} else {
		strbuf_addf(n->md, "%s%s", average ? avg_cap : "", m);
		add_filters(n->md, p);
		strbuf_addf(n->md, " %s was ", n->when);
		add_key_value(n, total);
		strbuf_addf(n->md, "%s across %s.", per, cnt);
	}

	/* the largest (or smallest) items; the cost without a value in the
	 * grouped column ("(untagged)", "(none)") is told apart, first when it
	 * ranks first */
	size_t listed[3], nlisted = 0;
	for (size_t i = 0; i < t->nrows && nlisted < 3; i++)
		if (rank[i] != special)
			listed[nlisted++] = rank[i];
	bool special_first = special != SIZE_MAX && rank[0] == special;
	if (special_first) {
		strbuf_addch(n->md, ' ');
		add_unlabelled(n, special, v[special], per, total, computable);
		strbuf_addstr(n->md, nlisted ? "; of the rest, " : ".");
	} else if (nlisted) {
		strbuf_addch(n->md, ' ');
	}
	if (nlisted == 1 && t->nrows == 1 && p->limit == 0) {
		strbuf_addstr(n->md, "All of it is ");
		narration_item(n, listed[0]);
		strbuf_addch(n->md, '.');
	} else {
		for (size_t i = 0; i < nlisted; i++) {
			size_t r = listed[i];
			if (i == 0) {
				narration_item(n, r);
				strbuf_addf(n->md, " is the %s at ", p->ascending ? "smallest" : "largest");
			} else {
				strbuf_addstr(n->md, i == 1 ? ", followed by " : " and ");
				narration_item(n, r);
				strbuf_addstr(n->md, " at ");
			}
			narration_value(n, v[r]);
			strbuf_addstr(n->md, per);
			add_share(n, r, total, computable);
		}
		if (nlisted)
			strbuf_addch(n->md, '.');
	}
	if (special != SIZE_MAX && !special_first) {
		strbuf_addch(n->md, ' ');
		add_unlabelled(n, special, v[special], per, total, computable);
		strbuf_addch(n->md, '.');
	}
	if (nneg == 1) {
		for (size_t r = 0; r < t->nrows; r++)
			if (v[r] < 0) {
				strbuf_addch(n->md, ' ');
				narration_item(n, r);
				strbuf_addstr(n->md, " is a net credit of ");
				narration_value(n, v[r]);
				strbuf_addf(n->md, "%s.", per);
			}
	} else if (nneg > 1) {
		char what[200];
		count_phrase(&p->group, nneg, what, sizeof(what));
		strbuf_addf(n->md, " %s are net credits, together ", what);
		narration_value(n, negative);
		strbuf_addf(n->md, "%s.", per);
	}
	if (p->limit == 0 && !average)
		add_previous(n, "The total is", total);
	add_mixed_units_note(n);
	free(rank);
	free(v);
}

static void narrate_series(struct narration *n)
{
	const struct plan *p = n->p;
	struct pivot pv;
	char m[64], first[96], last[96], peak[96], pct[64];
	pivot_build(&pv, n->t, &n->c);
	double total = 0;
	size_t top = 0;
	for (size_t i = 0; i < pv.nperiods; i++) {
		total += pv.buckets[i];
		if (pv.buckets[i] > pv.buckets[top])
			top = i;
	}
	const char *adjective = grain_words[p->grain].adjective;
	char cap[32];
	capitalize(adjective, cap, sizeof(cap));
	measure_words(p, false, m, sizeof(m));
	strbuf_addf(n->md, "%s %s", cap, m);
	add_filters(n->md, p);
	strbuf_addf(n->md, " %s: ", n->when);
	add_key_value(n, total);
	int days = p->range.end_day - p->range.start_day;
	if ((p->grain == GRAIN_DAY || p->grain == GRAIN_NONE) && days > 1) {
		/* averages per day divide by the calendar days of the range */
		strbuf_addstr(n->md, " in total, an average of ");
		narration_value(n, total / days);
		strbuf_addf(n->md, " a day over %d days", days);
		if (pv.nperiods < (size_t)days)
			strbuf_addf(n->md, " (%zu of them with cost)", pv.nperiods);
	} else {
		strbuf_addf(n->md, " in total over %zu %s", pv.nperiods,
			    pv.nperiods == 1 ? grain_words[p->grain].noun : grain_words[p->grain].plural);
	}
	strbuf_addch(n->md, '.');

	bucket_phrase(p->grain, pv.periods[0], first, sizeof(first));
	bucket_phrase(p->grain, pv.periods[pv.nperiods - 1], last, sizeof(last));
	bucket_phrase(p->grain, pv.periods[top], peak, sizeof(peak));
	if (pv.nperiods > 1) {
		double a = pv.buckets[0], b = pv.buckets[pv.nperiods - 1];
		strbuf_addstr(n->md, " It went from ");
		narration_value(n, a);
		strbuf_addf(n->md, " %s to ", first);
		narration_value(n, b);
		strbuf_addf(n->md, " %s", last);
		if (!rounds_to_zero(a)) {
			format_pct(100 * (b - a) / fabs(a), true, pct, sizeof(pct));
			strbuf_addf(n->md, " (%s)", pct);
		}
		/* fees on one side of that change: said as a comparison says it */
		if (fee_note_compare_applies(n)) {
			strbuf_addch(n->md, '.');
			fee_note_compare(n, b, a, first);
			strbuf_addstr(n->md, " The peak was ");
		} else {
			strbuf_addstr(n->md, "; the peak was ");
		}
		narration_value(n, pv.buckets[top]);
		strbuf_addf(n->md, " %s", peak);
		fee_note_peak(n, pv.periods[top]);
		strbuf_addch(n->md, '.');
	} else {
		strbuf_addf(n->md, " All of it falls %s.", first);
	}

	if (n->c.label >= 0 && pv.nseries > 0) {
		size_t s = pv.rank[0];
		char cnt[200];
		count_phrase(&p->group, pv.nseries, cnt, sizeof(cnt));
		strbuf_addf(n->md, " Of the %s, ", cnt);
		md_bold(n->md, pv.series[s]);
		strbuf_addstr(n->md, " is the largest at ");
		narration_value(n, pv.totals[s]);
		if (total > 0) {
			format_pct(100 * pv.totals[s] / total, false, pct, sizeof(pct));
			strbuf_addf(n->md, " (%s)", pct);
		}
		strbuf_addch(n->md, '.');
	}
	add_previous(n, "The total is", total);
	add_mixed_units_note(n);
	pivot_release(&pv);
}

/* "October 2025 (2025-10-01 to 2025-10-31)", or the dates alone. */
static void period_name(const struct period *per, char *buf, size_t size)
{
	char dates[48];
	period_describe_dates(per, dates, sizeof(dates));
	if (!per->label[0] || strcmp(per->label, dates) == 0)
		snprintf(buf, size, "%s", dates);
	else
		snprintf(buf, size, "%s (%s)", per->label, dates);
}

/* The row of an ungrouped comparison that holds period i (by its first day,
 * else by its label), or -1 when that period had no cost. */
long period_row(const struct table *t, const struct cols *c, const struct period *per)
{
	char want[16], buf[64];
	date_format(per->start_day, want, sizeof(want));
	for (size_t r = 0; c->period >= 0 && r < t->nrows; r++)
		if (strcmp(text(t, r, c->period, buf, sizeof(buf)), want) == 0)
			return (long)r;
	for (size_t r = 0; c->period_label >= 0 && per->label[0] && r < t->nrows; r++)
		if (strcmp(text(t, r, c->period_label, buf, sizeof(buf)), per->label) == 0)
			return (long)r;
	return -1;
}

static void narrate_periods(struct narration *n)
{
	const struct plan *p = n->p;
	char m[64], w0[200], w1[200];
	long r0 = period_row(n->t, &n->c, &p->periods[0]), r1 = period_row(n->t, &n->c, &p->periods[1]);
	double a = r0 >= 0 ? num(n->t, (size_t)r0, n->c.value) : 0;
	double b = r1 >= 0 ? num(n->t, (size_t)r1, n->c.value) : 0;
	period_phrase(&p->periods[0], w0, sizeof(w0));
	period_phrase(&p->periods[1], w1, sizeof(w1));
	measure_words(p, true, m, sizeof(m));
	strbuf_addstr(n->md, m);
	add_filters(n->md, p);
	strbuf_addstr(n->md, " was ");
	add_key_value(n, b);
	strbuf_addf(n->md, " %s, ", w1);
	narration_change(n, b, a, true, w0);
	strbuf_addch(n->md, '.');
	fee_note_compare(n, b, a, w0);
	add_mixed_units_note(n);
}

/* "up $1,234.00 (+12.0%), from $10,000.00 to $11,234.00" from a to b;
 * pct_shown: the percentage the table shows, NAN when it has none. */
static void add_change_pct(struct narration *n, double a, double b, double pct_shown)
{
	double d = b - a;
	char pct[64];
	if (rounds_to_zero(d)) {
		strbuf_addstr(n->md, "unchanged at ");
		narration_value(n, b);
		return;
	}
	strbuf_addstr(n->md, d > 0 ? "up " : "down ");
	narration_value(n, fabs(d));
	if (!isnan(pct_shown)) {
		format_pct(pct_shown, true, pct, sizeof(pct));
		strbuf_addf(n->md, " (%s)", pct);
	} else if (rounds_to_zero(a)) {
		strbuf_addstr(n->md, " (new)");
	} else {
		format_pct(100 * d / fabs(a), true, pct, sizeof(pct));
		strbuf_addf(n->md, " (%s)", pct);
	}
	strbuf_addstr(n->md, ", from ");
	narration_value(n, a);
	strbuf_addstr(n->md, " to ");
	narration_value(n, b);
}

/* The same for one row of a grouped comparison, with the table's change
 * and percentage. */
void narration_item_change(struct narration *n, size_t row)
{
	double a = num(n->t, row, n->c.before), b = num(n->t, row, n->c.after);
	if (n->c.change >= 0 && !is_null(n->t, row, n->c.change))
		b = a + num(n->t, row, n->c.change);
	bool shown = n->c.change_pct >= 0 && !is_null(n->t, row, n->c.change_pct);
	add_change_pct(n, a, b, shown ? num(n->t, row, n->c.change_pct) : NAN);
}

/* A change from a to b computed here ("without them"). */
void narration_change_between(struct narration *n, double a, double b)
{
	add_change_pct(n, a, b, NAN);
}

static double row_change(const struct narration *n, size_t row)
{
	if (n->c.change >= 0 && !is_null(n->t, row, n->c.change))
		return num(n->t, row, n->c.change);
	return num(n->t, row, n->c.after) - num(n->t, row, n->c.before);
}

static void narrate_by_item(struct narration *n)
{
	const struct plan *p = n->p;
	const struct table *t = n->t;
	char m[64], w0[200], w1[200], cnt[200];
	double a = 0, b = 0;
	size_t up = SIZE_MAX, down = SIZE_MAX;
	for (size_t r = 0; r < t->nrows; r++) {
		double d = row_change(n, r);
		a += num(t, r, n->c.before);
		b += num(t, r, n->c.after);
		if (d > 0 && !rounds_to_zero(d) && (up == SIZE_MAX || d > row_change(n, up)))
			up = r;
		if (d < 0 && !rounds_to_zero(d) && (down == SIZE_MAX || d < row_change(n, down)))
			down = r;
	}
	period_phrase(&p->periods[0], w0, sizeof(w0));
	period_phrase(&p->periods[1], w1, sizeof(w1));
	count_phrase(&p->group, t->nrows, cnt, sizeof(cnt));
	measure_words(p, false, m, sizeof(m));

	if (p->intent == INTENT_MOVERS) {
		char n0[200], n1[200];
		bool asc = p->ascending;
		size_t *rank;
		double *changes = xcalloc(t->nrows, sizeof(*changes));
		for (size_t r = 0; r < t->nrows; r++)
			if (!fee_ranked_change(n, r, &changes[r]))
				changes[r] = row_change(n, r);
		rank = rank_values(changes, t->nrows, asc);
		period_name(&p->periods[0], n0, sizeof(n0));
		period_name(&p->periods[1], n1, sizeof(n1));
		double d = changes[rank[0]];
		bool moved = asc ? d < 0 && !rounds_to_zero(d) : d > 0 && !rounds_to_zero(d);
		if (moved) {
			strbuf_addf(n->md, "The biggest %s in %s", asc ? "decrease" : "increase", m);
			add_filters(n->md, p);
			strbuf_addf(n->md, " from %s to %s was ", n0, n1);
		} else {
			strbuf_addf(n->md, "Nothing %s in %s", asc ? "decreased" : "increased", m);
			add_filters(n->md, p);
			strbuf_addf(n->md, " from %s to %s; the smallest change was ", n0, n1);
		}
		narration_item(n, rank[0]);
		strbuf_addstr(n->md, ": ");
		if (!fee_note_ranked_change(n, rank[0]))
			narration_item_change(n, rank[0]);
		strbuf_addch(n->md, '.');
		size_t more = 0;
		for (size_t i = 1; moved && i < t->nrows && more < 2; i++) {
			double di = changes[rank[i]];
			if (asc ? !(di < 0) : !(di > 0))
				break;
			strbuf_addstr(n->md, more ? " and " : " Next: ");
			narration_item(n, rank[i]);
			strbuf_addstr(n->md, " (");
			char dv[600];
			fmt_value(&n->f, di, true, dv, sizeof(dv));
			strbuf_addf(n->md, "%s)", dv);
			more++;
		}
		if (more)
			strbuf_addch(n->md, '.');
		free(rank);
		free(changes);
		fee_note_ranking(n);
		fee_note_items(n);
		add_mixed_units_note(n);
		return;
	}

	strbuf_addf(n->md, "Across %s%s, %s", p->limit > 0 ? "the " : "", cnt, m);
	if (p->limit > 0)
		strbuf_addstr(n->md, " shown");
	add_filters(n->md, p);
	strbuf_addstr(n->md, " was ");
	add_key_value(n, b);
	strbuf_addf(n->md, " %s, ", w1);
	narration_change(n, b, a, true, w0);
	strbuf_addch(n->md, '.');
	fee_note_compare(n, b, a, w0);
	if (up != SIZE_MAX) {
		strbuf_addstr(n->md, " The biggest increase was ");
		narration_item(n, up);
		strbuf_addstr(n->md, ": ");
		narration_item_change(n, up);
		strbuf_addch(n->md, '.');
	}
	if (down != SIZE_MAX) {
		strbuf_addstr(n->md, " The biggest decrease was ");
		narration_item(n, down);
		strbuf_addstr(n->md, ": ");
		narration_item_change(n, down);
		strbuf_addch(n->md, '.');
	}
	fee_note_items(n);
	add_mixed_units_note(n);
}

/* What finq can be asked: HELP's examples, and suggestions when there is
 * nothing better to offer. */
const char *const example_questions[ANSWER_EXAMPLES] = {
	"What did we spend last month?",
	"Show the top 5 services last month",
	"Show the daily trend for the last 30 days",
	"Compare last month with the previous month",
	"Break down last month's cost by account",
};

static const char *const default_messages[] = {
	[INTENT_CLARIFY] = "Could you say a little more about what you want to know?",
	[INTENT_REFUSE] = "finq can only answer questions about the billing data that is loaded.",
	[INTENT_HELP] = "finq answers questions about your cloud bill from the billing exports you loaded. Try:",
};

static void narrate_message(struct narration *n)
{
	const struct plan *p = n->p;
	const char *msg = p->message[0] ? p->message : "";
	if (!msg[0] && (size_t)p->intent < COUNT(default_messages) && default_messages[p->intent])
		msg = default_messages[p->intent];
	md_text(n->md, msg);
	if (p->nchoices > 0) {
		strbuf_addch(n->md, '\n');
		for (int i = 0; i < p->nchoices && i < (int)COUNT(p->choices); i++) {
			strbuf_addstr(n->md, "\n- ");
			md_text(n->md, p->choices[i]);
		}
	} else if (p->intent == INTENT_HELP) {
		strbuf_addch(n->md, '\n');
		for (size_t i = 0; i < COUNT(example_questions); i++) {
			strbuf_addstr(n->md, "\n- ");
			md_text(n->md, example_questions[i]);
		}
	}
}

void answer_narrate(const struct plan *p, const struct table *t, const struct answer_context *ctx,
		    struct strbuf *md)
{
	struct narration n = { .p = p, .t = t, .ctx = ctx, .md = md };
	enum shape s = shape_of(p);
	find_cols(p, t, &n.c);
	fmt_init(&n.f, p, t, &n.c, ctx);
	period_phrase(&p->range, n.when, sizeof(n.when));
	if (s == SHAPE_NONE) {
		narrate_message(&n);
		return;
	}
	if (table_empty(p, t, &n.c)) {
		narrate_empty(&n);
		return;
	}
	bool known = s == SHAPE_PERIODS_BY_ITEM ? n.c.before >= 0 && n.c.after >= 0 : n.c.value >= 0;
	if (s == SHAPE_SERIES || s == SHAPE_SPLIT_SERIES)
		known = known && n.c.period >= 0;
	if (!known) {
		strbuf_addf(md, "The answer has %zu row%s.", t->nrows, t->nrows == 1 ? "" : "s");
		return;
	}
	switch (s) {
	case SHAPE_NUMBER: narrate_number(&n); break;
	case SHAPE_PARTS: narrate_parts(&n); break;
	case SHAPE_SERIES:
	case SHAPE_SPLIT_SERIES:
		if (selected_buckets(p))
			narrate_selected_buckets(&n);
		else
			narrate_series(&n);
		break;
	case SHAPE_PERIODS: narrate_periods(&n); break;
	case SHAPE_PERIODS_BY_ITEM: narrate_by_item(&n); break;
	case SHAPE_NONE:
	case SHAPE_COUNT: break;
	}
}
