/*
 * answer: narrative, chart, suggestions and terminal rendering of one
 * answer. See answer.h.
 *
 * Every part starts from the same two readings of the input: the shape of
 * the answer (one number, parts of a whole, a time series, two periods...)
 * from the plan, and where the figures are in the table (struct cols) from
 * the column names sqlgen.c gives. The choices that are rules (chart types,
 * follow-ups, prepositions, column formats) are tables near the top.
 */
#include "answer.h"
#include "sqlgen.h"
#include "date.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- shapes and columns ---- */

enum shape {
	SHAPE_NONE,            /* no table: clarify, refuse, help */
	SHAPE_NUMBER,          /* one figure: a total, an average */
	SHAPE_PARTS,           /* one row per group: a breakdown */
	SHAPE_SERIES,          /* one row per time bucket */
	SHAPE_SPLIT_SERIES,    /* one row per bucket and group */
	SHAPE_PERIODS,         /* one row per period of a comparison */
	SHAPE_PERIODS_BY_ITEM, /* one row per group, a column per period */
	SHAPE_COUNT
};

static enum shape shape_of(const struct plan *p)
{
	bool grouped = p->group.dim != DIM_NONE;
	switch (p->intent) {
	case INTENT_TOTAL:
	case INTENT_BREAKDOWN:
	case INTENT_AVERAGE_DAILY: return grouped ? SHAPE_PARTS : SHAPE_NUMBER;
	case INTENT_TREND: return grouped ? SHAPE_SPLIT_SERIES : SHAPE_SERIES;
	case INTENT_COMPARE_PERIODS:
	case INTENT_MOVERS: return grouped ? SHAPE_PERIODS_BY_ITEM : SHAPE_PERIODS;
	case INTENT_CLARIFY:
	case INTENT_REFUSE:
	case INTENT_HELP:
	case INTENT_INSIGHT: break;
	}
	return SHAPE_NONE;
}

/* Where the figures are; -1 where the table has no such column. */
struct cols {
	int label;        /* the group label ("service", "team") */
	int name;         /* account_name / service_name next to the label */
	int value;        /* the measure (average_daily_* for averages) */
	int share;        /* share_pct */
	int unit;         /* usage unit */
	int period;       /* trend bucket, or period start of a comparison */
	int period_label; /* "October 2025" of an ungrouped comparison */
	int total, days;  /* averages: total_* and days */
	int before, after, change, change_pct; /* grouped comparisons */
};

static const struct cols no_cols = {
	.label = -1, .name = -1, .value = -1, .share = -1, .unit = -1, .period = -1, .period_label = -1,
	.total = -1, .days = -1, .before = -1, .after = -1, .change = -1, .change_pct = -1,
};

static bool col_taken(const struct cols *c, int col)
{
	const int all[] = { c->label, c->name,  c->value,  c->share, c->unit,   c->period,     c->period_label,
			    c->total, c->days, c->before, c->after, c->change, c->change_pct };
	for (size_t i = 0; i < COUNT(all); i++)
		if (all[i] == col)
			return true;
	return false;
}

static bool kind_is_number(enum cell_kind k)
{
	return k == CELL_INT || k == CELL_REAL;
}

static const char *label_column_name(const struct dim_ref *d)
{
	return d->dim == DIM_TAG ? d->tag_key : dimension_name(d->dim);
}

static void find_cols(const struct plan *p, const struct table *t, struct cols *c)
{
	*c = no_cols;
	if (!t || !t->ncols)
		return;
	enum shape s = shape_of(p);
	const char *m = sqlgen_measure_column(p->measure);
	char name[64];
	if (p->intent == INTENT_AVERAGE_DAILY) {
		snprintf(name, sizeof(name), "average_daily_%s", m);
		c->value = table_column(t, name);
		snprintf(name, sizeof(name), "total_%s", m);
		c->total = table_column(t, name);
		c->days = table_column(t, "days");
	} else if (s != SHAPE_PERIODS_BY_ITEM) {
		c->value = table_column(t, m);
	}
	if (p->group.dim != DIM_NONE)
		c->label = table_column(t, label_column_name(&p->group));
	if (p->group.dim == DIM_ACCOUNT)
		c->name = table_column(t, "account_name");
	else if (p->group.dim == DIM_SERVICE)
		c->name = table_column(t, "service_name");
	c->share = table_column(t, "share_pct");
	c->unit = table_column(t, "unit");
	if (s == SHAPE_SERIES || s == SHAPE_SPLIT_SERIES || s == SHAPE_PERIODS)
		c->period = table_column(t, "period");
	if (s == SHAPE_PERIODS)
		c->period_label = table_column(t, "label");
	if (s == SHAPE_PERIODS_BY_ITEM) {
		c->change = table_column(t, "change");
		c->change_pct = table_column(t, "change_pct");
		c->before = table_column(t, p->periods[0].label);
		c->after = table_column(t, p->periods[1].label);
		if ((c->before < 0 || c->after < 0 || c->before == c->after) && c->change >= 2) {
			c->before = c->change - 2;
			c->after = c->change - 1;
		}
		c->value = c->after;
	}
	/* Fallbacks by kind, so that a renamed column degrades gracefully. */
	for (size_t i = 0; c->value < 0 && s != SHAPE_PERIODS_BY_ITEM && i < t->ncols; i++)
		if (kind_is_number(t->kinds[i]) && !col_taken(c, (int)i) &&
		    strcmp(t->names[i], "days") != 0 && !strstr(t->names[i], "_pct"))
			c->value = (int)i;
	for (size_t i = 0; c->label < 0 && p->group.dim != DIM_NONE && i < t->ncols; i++)
		if (t->kinds[i] == CELL_TEXT && !col_taken(c, (int)i))
			c->label = (int)i;
}

static double num(const struct table *t, size_t row, int col)
{
	return col < 0 ? 0 : cell_number(table_at(t, row, col));
}

static bool is_null(const struct table *t, size_t row, int col)
{
	return col < 0 || table_at(t, row, col)->kind == CELL_NULL;
}

/* A cell as text: borrowed for text cells, else formatted into buf. */
static const char *text(const struct table *t, size_t row, int col, char *buf, size_t size)
{
	if (col < 0)
		return "";
	const struct cell *c = table_at(t, row, col);
	if (c->kind == CELL_TEXT || c->kind == CELL_DATE || c->kind == CELL_JSON)
		return c->v.s;
	if (c->kind == CELL_NULL)
		return "(none)";
	return cell_format(c, buf, size);
}

/* No figure to show: no rows, or the lone total is NULL (a sum over nothing). */
static bool table_empty(const struct plan *p, const struct table *t, const struct cols *c)
{
	if (!t || !t->ncols || !t->nrows)
		return true;
	if (shape_of(p) == SHAPE_NUMBER && t->nrows == 1)
		return is_null(t, 0, c->value);
	return false;
}

void answer_context_init(struct answer_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

/* ---- numbers ---- */

/* |v| with thousands separators and `decimals` decimals; *zero when it
 * rounds to zero. */
static void format_digits(double v, int decimals, char *buf, size_t size, bool *zero)
{
	format_grouped(v, decimals, buf, size);
	*zero = strspn(buf, "0.,") == strlen(buf);
}

/* Hand a composed text to a caller's buffer (cut to fit) and release it. */
static void move_text(struct strbuf *sb, char *buf, size_t size)
{
	snprintf(buf, size, "%s", sb->buf);
	strbuf_release(sb);
}

/* 1,234.5 / -3.0 / +12.25 (plus: a sign on positive values too). */
static void format_number(double v, int decimals, bool plus, char *buf, size_t size)
{
	char digits[512];
	bool zero;
	struct strbuf sb;
	if (!isfinite(v)) {
		snprintf(buf, size, "n/a");
		return;
	}
	format_digits(v, decimals, digits, sizeof(digits), &zero);
	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, zero ? "" : v < 0 ? "-" : plus ? "+" : "");
	strbuf_addstr(&sb, digits);
	move_text(&sb, buf, size);
}

static bool is_dollar(const char *currency)
{
	return !currency || !*currency || strcmp(currency, "USD") == 0;
}

static void format_money_signed(double v, const char *currency, bool plus, char *buf, size_t size)
{
	char digits[512];
	bool zero;
	struct strbuf sb;
	if (!size)
		return;
	if (!isfinite(v)) {
		snprintf(buf, size, "n/a");
		return;
	}
	format_digits(v, 2, digits, sizeof(digits), &zero);
	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, zero ? "" : v < 0 ? "-" : plus ? "+" : "");
	if (is_dollar(currency))
		strbuf_addch(&sb, '$');
	else
		strbuf_addf(&sb, "%.8s ", currency);
	strbuf_addstr(&sb, digits);
	move_text(&sb, buf, size);
}

void format_money(double v, const char *currency, char *buf, size_t size)
{
	format_money_signed(v, currency, false, buf, size);
}

/* "$1.2M" for prose next to the exact figure; false below a million. */
static bool format_money_compact(double v, const char *currency, char *buf, size_t size)
{
	static const struct {
		double at;
		const char *suffix;
	} scales[] = { { 1e12, "T" }, { 1e9, "B" }, { 1e6, "M" } }; /* largest first */
	for (size_t i = 0; isfinite(v) && i < COUNT(scales); i++)
		if (fabs(v) >= scales[i].at) {
			struct strbuf sb;
			strbuf_init(&sb, 0);
			strbuf_addstr(&sb, v < 0 ? "-" : "");
			if (is_dollar(currency))
				strbuf_addch(&sb, '$');
			else
				strbuf_addf(&sb, "%.8s ", currency);
			strbuf_addf(&sb, "%.1f%s", fabs(v) / scales[i].at, scales[i].suffix);
			move_text(&sb, buf, size);
			return true;
		}
	return false;
}

static void format_pct(double v, bool plus, char *buf, size_t size)
{
	char digits[512];
	struct strbuf sb;
	format_number(v, 1, plus, digits, sizeof(digits));
	strbuf_init(&sb, 0);
	strbuf_addf(&sb, "%s%%", digits);
	move_text(&sb, buf, size);
}

/* How values of the answer read: money in a currency, or usage in a unit. */
struct fmt {
	const char *currency; /* ISO code */
	bool usage;
	char unit[64];
	bool mixed_units; /* "Hrs, GB": usage summed across units */
};

static void fmt_init(struct fmt *f, const struct plan *p, const struct table *t, const struct cols *c,
		     const struct answer_context *ctx)
{
	memset(f, 0, sizeof(*f));
	f->currency = ctx && ctx->currency && *ctx->currency ? ctx->currency : "USD";
	f->usage = p->measure == MEASURE_USAGE;
	if (!f->usage)
		return;
	/* the table's units are the truth; the question's is the fallback */
	for (size_t r = 0; t && c->unit >= 0 && r < t->nrows; r++) {
		if (is_null(t, r, c->unit))
			continue;
		char buf[64];
		const char *u = text(t, r, c->unit, buf, sizeof(buf));
		if (!f->unit[0])
			snprintf(f->unit, sizeof(f->unit), "%s", u);
		else if (strcmp(f->unit, u) != 0)
			f->mixed_units = true;
		if (strchr(u, ','))
			f->mixed_units = true;
	}
	if (!f->unit[0])
		snprintf(f->unit, sizeof(f->unit), "%s", p->usage_unit);
}

static void fmt_value(const struct fmt *f, double v, bool plus, char *buf, size_t size)
{
	if (!f->usage) {
		format_money_signed(v, f->currency, plus, buf, size);
		return;
	}
	char digits[512];
	struct strbuf sb;
	format_number(v, 2, plus, digits, sizeof(digits));
	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, digits);
	if (f->unit[0] && !f->mixed_units)
		strbuf_addf(&sb, " %s", f->unit);
	move_text(&sb, buf, size);
}

/* ---- words ---- */

/* How a period label is introduced in a sentence; first match wins. */
enum match { MATCH_WHOLE, MATCH_PREFIX, MATCH_SUFFIX, MATCH_INSIDE };
static const struct {
	const char *text;
	enum match how;
	const char *preposition;
} period_prepositions[] = {
	{ "today", MATCH_WHOLE, "" },
	{ "yesterday", MATCH_WHOLE, "" },
	{ "last week", MATCH_WHOLE, "" },
	{ "this week", MATCH_PREFIX, "" },
	{ "since ", MATCH_PREFIX, "" },
	{ " ago", MATCH_SUFFIX, "" },
	{ " to date", MATCH_SUFFIX, "in " },
	{ " to ", MATCH_INSIDE, "from " },
};

static bool label_matches(const char *label, const char *s, enum match how)
{
	size_t n = strlen(label), k = strlen(s);
	switch (how) {
	case MATCH_WHOLE: return strcmp(label, s) == 0;
	case MATCH_PREFIX: return strncmp(label, s, k) == 0;
	case MATCH_SUFFIX: return n >= k && strcmp(label + n - k, s) == 0;
	case MATCH_INSIDE: return strstr(label, s) != NULL;
	}
	return false;
}

/* "in October 2025", "on 2025-11-05", "since June 2025", "yesterday". */
static void label_phrase(const char *label, bool one_day, char *buf, size_t size)
{
	const char *prep = one_day ? "on " : "in ";
	for (size_t i = 0; i < COUNT(period_prepositions); i++)
		if (label_matches(label, period_prepositions[i].text, period_prepositions[i].how)) {
			prep = period_prepositions[i].preposition;
			break;
		}
	snprintf(buf, size, "%s%s", prep, label);
}

/* "in November 2025 (2025-11-01 to 2025-11-30)", or the dates alone. */
static void period_phrase(const struct period *per, char *buf, size_t size)
{
	char dates[48], words[128];
	bool one_day = per->end_day - per->start_day == 1;
	period_describe_dates(per, dates, sizeof(dates));
	if (!per->label[0] || strcmp(per->label, dates) == 0) {
		snprintf(buf, size, "%s%s", one_day ? "on " : "from ", dates);
		return;
	}
	label_phrase(per->label, one_day, words, sizeof(words));
	snprintf(buf, size, "%s (%s)", words, dates);
}

/* Markdown: text with its markup characters escaped. */
static void md_text(struct strbuf *md, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>", *s))
			strbuf_addch(md, '\\');
		strbuf_addch(md, *s);
	}
}

static void md_bold(struct strbuf *md, const char *s)
{
	strbuf_addstr(md, "**");
	md_text(md, s);
	strbuf_addstr(md, "**");
}

/* Words for a filter; the first row for its operation and column kind
 * wins. An operation without a row is left out of the narrative (the
 * "How I read it" line still states it). */
static const struct {
	enum filter_op op;
	int tag;            /* 1: only for a tag column; -1: any column */
	const char *lead;   /* before the column or the values */
	bool column;        /* name the column */
	const char *after;  /* after the column */
	const char *joiner; /* between values; NULL: no values */
} filter_words[] = {
	{ FILTER_IN, 1, "for ", true, " ", " or " },
	{ FILTER_IN, -1, "for ", false, "", " or " },
	{ FILTER_NOT_IN, -1, "excluding ", false, "", " and " },
	{ FILTER_CONTAINS, -1, "for ", true, " containing ", " or " },
	{ FILTER_PREFIX, -1, "for ", true, " starting with ", " or " },
	{ FILTER_EXCLUDE_PREFIX, -1, "excluding ", true, " starting with ", " or " },
	{ FILTER_MISSING, 1, "without a ", true, " tag", NULL },
	{ FILTER_MISSING, -1, "with no ", true, "", NULL },
	{ FILTER_PRESENT, 1, "with a ", true, " tag", NULL },
	{ FILTER_PRESENT, -1, "with a ", true, "", NULL },
	{ FILTER_UNTAGGED, -1, "with no tags", false, "", NULL },
	{ FILTER_TAGGED, -1, "with at least one tag", false, "", NULL },
};

/* Text into markdown (escaped) or into plain text (a chart title). */
static void add_text(struct strbuf *sb, const char *s, bool markdown)
{
	if (markdown)
		md_text(sb, s);
	else
		strbuf_addstr(sb, s);
}

/* " for AmazonEC2, excluding us-east-1", or "". */
static void add_filters_as(struct strbuf *md, const struct plan *p, bool markdown)
{
	bool first = true;
	for (int i = 0; i < p->nfilters; i++) {
		const struct filter *f = &p->filters[i];
		size_t w = 0;
		while (w < COUNT(filter_words) &&
		       (filter_words[w].op != f->op || (filter_words[w].tag == 1 && f->col.dim != DIM_TAG)))
			w++;
		if (w == COUNT(filter_words))
			continue;
		strbuf_addstr(md, first ? " " : ", ");
		first = false;
		strbuf_addstr(md, filter_words[w].lead);
		if (filter_words[w].column) {
			add_text(md, dimension_label(&f->col), markdown);
			strbuf_addstr(md, filter_words[w].after);
		}
		for (int v = 0; filter_words[w].joiner && v < f->nvalues && v < PLAN_MAX_VALUES; v++) {
			if (v)
				strbuf_addstr(md, filter_words[w].joiner);
			add_text(md, f->values[v], markdown);
		}
	}
}

static void add_filters(struct strbuf *md, const struct plan *p)
{
	add_filters_as(md, p, true);
}

static const char *const dim_plurals[DIM_COUNT] = {
	[DIM_SERVICE] = "services", [DIM_ACCOUNT] = "accounts", [DIM_REGION] = "regions",
	[DIM_AZ] = "availability zones", [DIM_USAGE_TYPE] = "usage types", [DIM_OPERATION] = "operations",
	[DIM_INSTANCE_TYPE] = "instance types", [DIM_RESOURCE] = "resources", [DIM_CHARGE_TYPE] = "charge types",
	[DIM_CATEGORY] = "service categories", [DIM_PRICING_TERM] = "pricing terms", [DIM_PROVIDER] = "providers",
};

/* "12 services", "1 region", "5 team values". */
static void count_phrase(const struct dim_ref *d, size_t n, char *buf, size_t size)
{
	if (d->dim == DIM_TAG)
		snprintf(buf, size, "%zu %s value%s", n, d->tag_key, n == 1 ? "" : "s");
	else if (n == 1 || d->dim <= DIM_NONE || d->dim >= DIM_TAG)
		snprintf(buf, size, "%zu %s", n, dimension_label(d));
	else
		snprintf(buf, size, "%zu %s", n, dim_plurals[d->dim]);
}

static const char *plural_of(const struct dim_ref *d)
{
	return d->dim > DIM_NONE && d->dim < DIM_TAG ? dim_plurals[d->dim] : NULL;
}

static const struct {
	const char *adjective, *noun, *plural;
} grain_words[] = {
	[GRAIN_NONE] = { "daily", "day", "days" },      [GRAIN_DAY] = { "daily", "day", "days" },
	[GRAIN_WEEK] = { "weekly", "week", "weeks" },   [GRAIN_MONTH] = { "monthly", "month", "months" },
	[GRAIN_QUARTER] = { "quarterly", "quarter", "quarters" }, [GRAIN_YEAR] = { "yearly", "year", "years" },
};

static const char *const month_names[] = { "January", "February", "March",     "April",   "May",      "June",
					   "July",    "August",   "September", "October", "November", "December" };

/* "on 2025-10-15", "in the week of 2025-10-06", "in October 2025", "in Q4 2025". */
static void bucket_phrase(enum grain g, const char *date, char *buf, size_t size)
{
	int day, y, m, d;
	if (!date_parse(date, &day)) {
		snprintf(buf, size, "in %s", date);
		return;
	}
	date_to_ymd(day, &y, &m, &d);
	switch (g) {
	case GRAIN_WEEK: snprintf(buf, size, "in the week of %s", date); break;
	case GRAIN_MONTH: snprintf(buf, size, "in %s %d", month_names[m - 1], y); break;
	case GRAIN_QUARTER: snprintf(buf, size, "in Q%d %d", (m - 1) / 3 + 1, y); break;
	case GRAIN_YEAR: snprintf(buf, size, "in %d", y); break;
	case GRAIN_NONE:
	case GRAIN_DAY: snprintf(buf, size, "on %s", date); break;
	}
}

static void capitalize(const char *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s", s);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

static bool rounds_to_zero(double v)
{
	return fabs(v) < 0.005;
}

/* ---- ranking and pivots ---- */

struct ranked {
	double key;
	size_t i;
};

static int ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Indices 0..n-1 by v, largest first (smallest first when ascending); ties
 * keep their order. The caller frees the array. */
static size_t *rank_values(const double *v, size_t n, bool ascending)
{
	struct ranked *r = xcalloc(n ? n : 1, sizeof(*r));
	size_t *out = xcalloc(n ? n : 1, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		double x = isnan(v[i]) ? (ascending ? HUGE_VAL : -HUGE_VAL) : v[i]; /* NaN last */
		r[i] = (struct ranked){ ascending ? x : -x, i };
	}
	qsort(r, n, sizeof(*r), ranked_cmp);
	for (size_t i = 0; i < n; i++)
		out[i] = r[i].i;
	free(r);
	return out;
}

static double *column_values(const struct table *t, int col)
{
	double *v = xcalloc(t->nrows ? t->nrows : 1, sizeof(*v));
	for (size_t r = 0; r < t->nrows; r++)
		v[r] = num(t, r, col);
	return v;
}

/* A time series and its split by group: the distinct buckets and series,
 * each row's place among them, and the sums. No dense grid: buckets times
 * series can be far more than rows. */
struct pivot {
	size_t nrows, nperiods, nseries;
	char **texts;         /* owned: per row, the period text then the series text */
	const char **periods; /* into texts, in date order */
	const char **series;  /* into texts; one "" series when not split */
	size_t *pid, *sid;    /* per row: its bucket and its series */
	double *totals;       /* per series */
	double *buckets;      /* per period, summed over the series */
	size_t *rank;         /* series by total, largest first */
};

struct keyed {
	const char *s;
	size_t row;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : x->row < y->row ? -1 : x->row > y->row;
}

/* Number the distinct strings of s[0..n-1] in sorted order: ids[i] gets
 * each one's number, *uniq the distinct strings (borrowed). Returns how many. */
static size_t number_distinct(char *const *s, size_t n, size_t *ids, const char ***uniq)
{
	struct keyed *k = xcalloc(n ? n : 1, sizeof(*k));
	const char **u = xcalloc(n ? n : 1, sizeof(*u));
	size_t nu = 0;
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){ s[i], i };
	qsort(k, n, sizeof(*k), keyed_cmp);
	for (size_t i = 0; i < n; i++) {
		if (!nu || strcmp(u[nu - 1], k[i].s) != 0)
			u[nu++] = k[i].s;
		ids[k[i].row] = nu - 1;
	}
	free(k);
	*uniq = u;
	return nu;
}

static void pivot_build(struct pivot *pv, const struct table *t, const struct cols *c)
{
	size_t n = t->nrows;
	char buf[64];
	char **ptexts = xcalloc(n ? n : 1, sizeof(*ptexts));
	char **stexts = xcalloc(n ? n : 1, sizeof(*stexts));
	memset(pv, 0, sizeof(*pv));
	size_t *pid = pv->pid = xcalloc(n ? n : 1, sizeof(*pid));
	size_t *sid = pv->sid = xcalloc(n ? n : 1, sizeof(*sid));
	pv->nrows = n;
	for (size_t r = 0; r < n; r++) {
		ptexts[r] = xstrdup(text(t, r, c->period, buf, sizeof(buf)));
		stexts[r] = xstrdup(c->label >= 0 ? text(t, r, c->label, buf, sizeof(buf)) : "");
	}
	pv->nperiods = number_distinct(ptexts, n, pid, &pv->periods);
	pv->nseries = number_distinct(stexts, n, sid, &pv->series);
	pv->texts = xcalloc(2 * n + 1, sizeof(*pv->texts));
	memcpy(pv->texts, ptexts, n * sizeof(*ptexts));
	memcpy(pv->texts + n, stexts, n * sizeof(*stexts));
	pv->totals = xcalloc(pv->nseries + 1, sizeof(*pv->totals));
	pv->buckets = xcalloc(pv->nperiods + 1, sizeof(*pv->buckets));
	for (size_t r = 0; r < n; r++) {
		double v = num(t, r, c->value);
		pv->totals[sid[r]] += v;
		pv->buckets[pid[r]] += v;
	}
	pv->rank = rank_values(pv->totals, pv->nseries, false);
	free(ptexts);
	free(stexts);
}

static void pivot_release(struct pivot *pv)
{
	for (size_t i = 0; pv->texts && pv->texts[i]; i++)
		free(pv->texts[i]);
	free(pv->texts);
	free(pv->periods);
	free(pv->series);
	free(pv->pid);
	free(pv->sid);
	free(pv->totals);
	free(pv->buckets);
	free(pv->rank);
	memset(pv, 0, sizeof(*pv));
}

/* ---- narrative ---- */

struct narration {
	const struct plan *p;
	const struct table *t;
	const struct answer_context *ctx;
	struct strbuf *md;
	struct cols c;
	struct fmt f;
	char when[200]; /* "in November 2025 (2025-11-01 to 2025-11-30)" */
};

static void add_value(struct narration *n, double v)
{
	char buf[600];
	fmt_value(&n->f, v, false, buf, sizeof(buf));
	strbuf_addstr(n->md, buf);
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
static void add_change(struct narration *n, double now, double before, bool amount, const char *before_when)
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
	add_change(n, now, n->ctx->previous_total, false, when);
	strbuf_addch(n->md, '.');
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
static void add_item(struct narration *n, size_t row)
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

static void measure_words(const struct plan *p, bool capital, char *buf, size_t size)
{
	char label[64];
	snprintf(label, sizeof(label), "%s", measure_label(p->measure));
	if (capital)
		capitalize(label, buf, size);
	else
		snprintf(buf, size, "%s", label);
}

static void narrate_empty(struct narration *n)
{
	const struct plan *p = n->p;
	char m[64], w0[200], w1[200], threshold[600];
	measure_words(p, false, m, sizeof(m));
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
	strbuf_addstr(n->md, " Check which billing periods are loaded with `finq info`.");
}

static void narrate_number(struct narration *n)
{
	const struct plan *p = n->p;
	char m[64];
	double v = num(n->t, 0, n->c.value);
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
			add_value(n, num(n->t, 0, annual));
			strbuf_addstr(n->md, " a year");
		}
		if (n->c.total >= 0) {
			double total = num(n->t, 0, n->c.total);
			double d = num(n->t, 0, n->c.days);
			long long days = isfinite(d) && fabs(d) < 1e9 ? (long long)d : 0;
			strbuf_addstr(n->md, " (");
			add_value(n, total);
			if (n->c.days >= 0)
				strbuf_addf(n->md, " over %lld day%s", days, days == 1 ? "" : "s");
			strbuf_addstr(n->md, ").");
			add_previous(n, "The total is", total);
		} else {
			strbuf_addch(n->md, '.');
		}
	} else {
		measure_words(p, false, m, sizeof(m));
		strbuf_addf(n->md, "Total %s", m);
		add_filters(n->md, p);
		strbuf_addf(n->md, " %s was ", n->when);
		add_key_value(n, v);
		strbuf_addch(n->md, '.');
		char all_name[64];
		snprintf(all_name, sizeof(all_name), "all_%s", sqlgen_measure_column(p->measure));
		int all = table_column(n->t, all_name);
		if (all >= 0 && n->c.share >= 0) {
			char pct[32];
			format_pct(num(n->t, 0, n->c.share), false, pct, sizeof(pct));
			strbuf_addstr(n->md, " That is ");
			md_bold(n->md, pct);
			strbuf_addstr(n->md, " of all cost in that period (");
			add_value(n, num(n->t, 0, all));
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
	add_value(n, v);
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

static void narrate_parts(struct narration *n)
{
	const struct plan *p = n->p;
	const struct table *t = n->t;
	bool average = p->intent == INTENT_AVERAGE_DAILY;
	const char *per = average ? " a day" : "";
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
	count_phrase(&p->group, t->nrows, cnt, sizeof(cnt));

	/* the whole */
	measure_words(p, !average, m, sizeof(m));
	if (p->limit > 0) {
		strbuf_addf(n->md, "The %s %s by %s", p->ascending ? "bottom" : "top", cnt, average ? "average daily " : "");
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
		strbuf_addf(n->md, "%s%s", average ? "Average daily " : "", m);
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
		add_item(n, listed[0]);
		strbuf_addch(n->md, '.');
	} else {
		for (size_t i = 0; i < nlisted; i++) {
			size_t r = listed[i];
			if (i == 0) {
				add_item(n, r);
				strbuf_addf(n->md, " is the %s at ", p->ascending ? "smallest" : "largest");
			} else {
				strbuf_addstr(n->md, i == 1 ? ", followed by " : " and ");
				add_item(n, r);
				strbuf_addstr(n->md, " at ");
			}
			add_value(n, v[r]);
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
				add_item(n, r);
				strbuf_addstr(n->md, " is a net credit of ");
				add_value(n, v[r]);
				strbuf_addf(n->md, "%s.", per);
			}
	} else if (nneg > 1) {
		char what[200];
		count_phrase(&p->group, nneg, what, sizeof(what));
		strbuf_addf(n->md, " %s are net credits, together ", what);
		add_value(n, negative);
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
		add_value(n, total / days);
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
		add_value(n, a);
		strbuf_addf(n->md, " %s to ", first);
		add_value(n, b);
		strbuf_addf(n->md, " %s", last);
		if (!rounds_to_zero(a)) {
			format_pct(100 * (b - a) / fabs(a), true, pct, sizeof(pct));
			strbuf_addf(n->md, " (%s)", pct);
		}
		strbuf_addstr(n->md, "; the peak was ");
		add_value(n, pv.buckets[top]);
		strbuf_addf(n->md, " %s.", peak);
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
		add_value(n, pv.totals[s]);
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
static long period_row(const struct table *t, const struct cols *c, const struct period *per)
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
	add_change(n, b, a, true, w0);
	strbuf_addch(n->md, '.');
	add_mixed_units_note(n);
}

/* "up $1,234.00 (+12.0%), from $10,000.00 to $11,234.00" for one row of a
 * grouped comparison. */
static void add_item_change(struct narration *n, size_t row)
{
	double a = num(n->t, row, n->c.before), b = num(n->t, row, n->c.after);
	double d = n->c.change >= 0 ? num(n->t, row, n->c.change) : b - a;
	char pct[64];
	if (rounds_to_zero(d)) {
		strbuf_addstr(n->md, "unchanged at ");
		add_value(n, b);
		return;
	}
	strbuf_addstr(n->md, d > 0 ? "up " : "down ");
	add_value(n, fabs(d));
	if (n->c.change_pct >= 0 && !is_null(n->t, row, n->c.change_pct)) {
		format_pct(num(n->t, row, n->c.change_pct), true, pct, sizeof(pct));
		strbuf_addf(n->md, " (%s)", pct);
	} else if (rounds_to_zero(a)) {
		strbuf_addstr(n->md, " (new)");
	} else {
		format_pct(100 * d / fabs(a), true, pct, sizeof(pct));
		strbuf_addf(n->md, " (%s)", pct);
	}
	strbuf_addstr(n->md, ", from ");
	add_value(n, a);
	strbuf_addstr(n->md, " to ");
	add_value(n, b);
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
		add_item(n, rank[0]);
		strbuf_addstr(n->md, ": ");
		add_item_change(n, rank[0]);
		strbuf_addch(n->md, '.');
		size_t more = 0;
		for (size_t i = 1; moved && i < t->nrows && more < 2; i++) {
			double di = changes[rank[i]];
			if (asc ? !(di < 0) : !(di > 0))
				break;
			strbuf_addstr(n->md, more ? " and " : " Next: ");
			add_item(n, rank[i]);
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
	add_change(n, b, a, true, w0);
	strbuf_addch(n->md, '.');
	if (up != SIZE_MAX) {
		strbuf_addstr(n->md, " The biggest increase was ");
		add_item(n, up);
		strbuf_addstr(n->md, ": ");
		add_item_change(n, up);
		strbuf_addch(n->md, '.');
	}
	if (down != SIZE_MAX) {
		strbuf_addstr(n->md, " The biggest decrease was ");
		add_item(n, down);
		strbuf_addstr(n->md, ": ");
		add_item_change(n, down);
		strbuf_addch(n->md, '.');
	}
	add_mixed_units_note(n);
}

/* What finq can be asked: HELP's examples, and suggestions when there is
 * nothing better to offer. */
static const char *const example_questions[] = {
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
	case SHAPE_SPLIT_SERIES: narrate_series(&n); break;
	case SHAPE_PERIODS: narrate_periods(&n); break;
	case SHAPE_PERIODS_BY_ITEM: narrate_by_item(&n); break;
	case SHAPE_NONE:
	case SHAPE_COUNT: break;
	}
}

/* ---- charts ---- */

/* The automatic choice: the first rule for the shape whose item range holds
 * the number of items (round charts only when no value is negative). */
static const struct {
	enum shape shape;
	size_t min_items, max_items;
	bool positive_only;
	enum chart_kind kind;
} chart_rules[] = {
	{ SHAPE_NUMBER, 0, SIZE_MAX, false, CHART_KPI },
	{ SHAPE_PARTS, 2, 8, true, CHART_DOUGHNUT },
	{ SHAPE_PARTS, 0, SIZE_MAX, false, CHART_HBAR },
	{ SHAPE_SERIES, 0, SIZE_MAX, false, CHART_LINE },
	{ SHAPE_SPLIT_SERIES, 0, SIZE_MAX, false, CHART_AREA },
	{ SHAPE_PERIODS, 0, SIZE_MAX, false, CHART_BAR },
	{ SHAPE_PERIODS_BY_ITEM, 0, SIZE_MAX, false, CHART_BAR },
};

/* The charts a user may ask for (plan.chart), by shape. A request not
 * listed does not fit that data, and the automatic choice stands. */
static const struct {
	enum shape shape;
	enum chart_kind asked;
	bool positive_only;
} chart_requests[] = {
	{ SHAPE_NUMBER, CHART_KPI, false },
	{ SHAPE_PARTS, CHART_KPI, false },
	{ SHAPE_PARTS, CHART_DOUGHNUT, true },
	{ SHAPE_PARTS, CHART_PIE, true },
	{ SHAPE_PARTS, CHART_BAR, false },
	{ SHAPE_PARTS, CHART_HBAR, false },
	{ SHAPE_SERIES, CHART_KPI, false },
	{ SHAPE_SERIES, CHART_BAR, false },
	{ SHAPE_SERIES, CHART_LINE, false },
	{ SHAPE_SERIES, CHART_AREA, false },
	{ SHAPE_SPLIT_SERIES, CHART_KPI, false },
	{ SHAPE_SPLIT_SERIES, CHART_BAR, false },
	{ SHAPE_SPLIT_SERIES, CHART_LINE, false },
	{ SHAPE_SPLIT_SERIES, CHART_AREA, false },
	{ SHAPE_PERIODS, CHART_KPI, false },
	{ SHAPE_PERIODS, CHART_BAR, false },
	{ SHAPE_PERIODS, CHART_HBAR, false },
	{ SHAPE_PERIODS_BY_ITEM, CHART_BAR, false },
	{ SHAPE_PERIODS_BY_ITEM, CHART_HBAR, false },
};

#define CHART_MAX_SLICES 8  /* doughnut, pie: the rest folds into "Other" */
#define CHART_MAX_BARS 20   /* bars of a breakdown */
#define CHART_MAX_SERIES 8  /* lines or areas of a split series */
#define CHART_MAX_GROUPS 15 /* groups of a grouped bar */

static enum chart_kind chart_choose(enum shape s, enum chart_kind asked, size_t items, bool negatives)
{
	for (size_t i = 0; asked != CHART_AUTO && i < COUNT(chart_requests); i++)
		if (chart_requests[i].shape == s && chart_requests[i].asked == asked &&
		    !(chart_requests[i].positive_only && negatives))
			return asked;
	for (size_t i = 0; i < COUNT(chart_rules); i++)
		if (chart_rules[i].shape == s && items >= chart_rules[i].min_items &&
		    items <= chart_rules[i].max_items && !(chart_rules[i].positive_only && negatives))
			return chart_rules[i].kind;
	return CHART_TABLE;
}

struct chart_in {
	const struct plan *p;
	const struct table *t;
	const struct answer_context *ctx;
	struct cols c;
	struct fmt f;
	char title[400];
};

/* A JSON string of text that may not be valid UTF-8 (jansson refuses
 * that): the bytes that could break it become '?'. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *copy = xstrdup(s);
	for (char *c = copy; *c; c++)
		if ((unsigned char)*c >= 0x80)
			*c = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/* A JSON number; null where the value is not finite (JSON has no NaN). */
static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* {"format": "currency", "currency": "USD"} or {"format": "number", "unit": "Hrs"} */
static json_t *value_format(const struct fmt *f)
{
	if (!f->usage)
		return json_pack("{s:s, s:o}", "format", "currency", "currency", jstr(f->currency));
	json_t *j = json_pack("{s:s}", "format", "number");
	if (f->unit[0] && !f->mixed_units)
		json_object_set_new(j, "unit", jstr(f->unit));
	return j;
}

static json_t *value_axis(const struct fmt *f, bool stacked)
{
	json_t *axis = json_pack("{s:b, s:o}", "beginAtZero", 1, "ticks", value_format(f));
	if (stacked)
		json_object_set_new(axis, "stacked", json_true());
	return axis;
}

/* {"type", "title", "data": {"labels": [], "datasets": []}, "options": {"plugins": ...}} */
static json_t *chart_new(const struct chart_in *in, const char *type)
{
	json_t *title = jstr(in->title);
	json_t *plugins = json_pack("{s:{s:b, s:O}, s:o}", "title", "display", 1, "text", title, "tooltip",
				    value_format(&in->f));
	return json_pack("{s:s, s:o, s:{s:[], s:[]}, s:{s:o}}", "type", type, "title", title, "data", "labels",
			 "datasets", "options", "plugins", plugins);
}

static json_t *chart_labels(json_t *chart)
{
	return json_object_get(json_object_get(chart, "data"), "labels");
}

/* Append a dataset {"label", "data": []}; returns its data array (borrowed). */
static json_t *chart_add_dataset(json_t *chart, const char *label)
{
	json_t *ds = json_pack("{s:o, s:[]}", "label", jstr(label), "data");
	json_array_append_new(json_object_get(json_object_get(chart, "data"), "datasets"), ds);
	return json_object_get(ds, "data");
}

static json_t *chart_options(json_t *chart)
{
	return json_object_get(chart, "options");
}

static void chart_set_alternatives(json_t *chart, const char *a, const char *b)
{
	json_t *alt = json_array();
	json_array_append_new(alt, json_string(a));
	if (b)
		json_array_append_new(alt, json_string(b));
	json_object_set_new(chart, "alternatives", alt);
}

/* Bars: vertical with the value axis y, or horizontal (indexAxis y) with x. */
static void chart_bar_options(json_t *chart, const struct fmt *f, bool horizontal, bool stacked)
{
	json_t *opts = chart_options(chart);
	json_t *scales = json_object();
	if (horizontal)
		json_object_set_new(opts, "indexAxis", json_string("y"));
	json_object_set_new(scales, horizontal ? "x" : "y", value_axis(f, stacked));
	if (stacked)
		json_object_set_new(scales, horizontal ? "y" : "x", json_pack("{s:b}", "stacked", 1));
	json_object_set_new(opts, "scales", scales);
}

static void chart_line_options(json_t *chart, const struct fmt *f, bool stacked)
{
	json_t *opts = chart_options(chart);
	json_object_set_new(opts, "scales", json_pack("{s:o}", "y", value_axis(f, stacked)));
	json_object_set_new(opts, "interaction", json_pack("{s:s, s:b}", "mode", "index", "intersect", 0));
}

static json_t *chart_kpi(const struct chart_in *in, double value, double previous, bool has_previous,
			 const char *previous_label)
{
	json_t *j = json_pack("{s:s, s:o, s:o, s:o}", "type", "kpi", "title", jstr(in->title), "value", jnum(value),
			      "label", jstr(in->title));
	json_t *fmt = value_format(&in->f);
	json_object_update(j, fmt);
	json_decref(fmt);
	if (has_previous) {
		json_object_set_new(j, "previous", jnum(previous));
		if (previous_label && *previous_label)
			json_object_set_new(j, "previous_label", jstr(previous_label));
		if (previous != 0)
			json_object_set_new(j, "change_pct", jnum(100 * (value - previous) / fabs(previous)));
	}
	return j;
}

static json_t *chart_kpi_ctx(const struct chart_in *in, double value)
{
	const struct answer_context *ctx = in->ctx;
	bool has = ctx && ctx->has_previous;
	return chart_kpi(in, value, has ? ctx->previous_total : 0, has, has ? ctx->previous_label : NULL);
}

/* A group's label for a chart: the value, with an account's name. */
static void item_label(const struct chart_in *in, size_t row, char *buf, size_t size)
{
	char b1[64], b2[64];
	const char *label = text(in->t, row, in->c.label, b1, sizeof(b1));
	const char *name = in->p->group.dim == DIM_ACCOUNT && !is_null(in->t, row, in->c.name)
				   ? text(in->t, row, in->c.name, b2, sizeof(b2))
				   : "";
	if (*name && strcmp(name, label) != 0)
		snprintf(buf, size, "%s (%s)", label, name);
	else
		snprintf(buf, size, "%s", label);
}

static json_t *chart_parts(const struct chart_in *in, enum chart_kind kind)
{
	const struct table *t = in->t;
	double *v = column_values(t, in->c.value);
	double total = 0, other = 0;
	for (size_t r = 0; r < t->nrows; r++)
		total += v[r];
	if (kind == CHART_KPI) {
		free(v);
		return chart_kpi_ctx(in, total);
	}
	bool round = kind == CHART_DOUGHNUT || kind == CHART_PIE;
	size_t cap = round ? CHART_MAX_SLICES : CHART_MAX_BARS;
	bool *keep = xcalloc(t->nrows, sizeof(*keep));
	if (t->nrows <= cap) {
		for (size_t r = 0; r < t->nrows; r++)
			keep[r] = true;
	} else {
		size_t *rank = rank_values(v, t->nrows, false);
		for (size_t i = 0; i < cap - 1; i++)
			keep[rank[i]] = true;
		free(rank);
	}
	json_t *chart = chart_new(in, kind == CHART_DOUGHNUT ? "doughnut" : kind == CHART_PIE ? "pie" : "bar");
	json_t *labels = chart_labels(chart);
	json_t *data = chart_add_dataset(chart, measure_label(in->p->measure));
	bool folded = false;
	for (size_t r = 0; r < t->nrows; r++) {
		char label[200];
		if (!keep[r]) {
			other += v[r];
			folded = true;
			continue;
		}
		item_label(in, r, label, sizeof(label));
		json_array_append_new(labels, jstr(label));
		json_array_append_new(data, jnum(v[r]));
	}
	if (folded) {
		json_array_append_new(labels, json_string("Other"));
		json_array_append_new(data, jnum(other));
	}
	if (kind == CHART_DOUGHNUT)
		chart_set_alternatives(chart, "bar", NULL);
	else if (kind == CHART_PIE)
		chart_set_alternatives(chart, "doughnut", "bar");
	if (round)
		json_object_set_new(json_object_get(chart_options(chart), "plugins"), "legend",
				    json_pack("{s:s}", "position", "right"));
	else
		chart_bar_options(chart, &in->f, kind == CHART_HBAR, false);
	free(keep);
	free(v);
	return chart;
}

static json_t *chart_series(const struct chart_in *in, enum chart_kind kind)
{
	struct pivot pv;
	pivot_build(&pv, in->t, &in->c);
	bool split = in->c.label >= 0;
	json_t *chart;
	if (kind == CHART_KPI) {
		double total = 0;
		for (size_t i = 0; i < pv.nperiods; i++)
			total += pv.buckets[i];
		chart = chart_kpi_ctx(in, total);
		pivot_release(&pv);
		return chart;
	}
	chart = chart_new(in, kind == CHART_BAR ? "bar" : "line");
	json_t *labels = chart_labels(chart);
	for (size_t i = 0; i < pv.nperiods; i++)
		json_array_append_new(labels, jstr(pv.periods[i]));
	/* the largest series get a dataset each, the rest one "Other" */
	size_t shown = pv.nseries > CHART_MAX_SERIES ? CHART_MAX_SERIES : pv.nseries;
	size_t nsets = shown + (pv.nseries > shown);
	size_t *slot = xcalloc(pv.nseries + 1, sizeof(*slot));
	double *grid = xcalloc(pv.nperiods * nsets + 1, sizeof(*grid));
	for (size_t k = 0; k < pv.nseries; k++)
		slot[pv.rank[k]] = k < shown ? k : shown;
	for (size_t r = 0; r < pv.nrows; r++)
		grid[pv.pid[r] * nsets + slot[pv.sid[r]]] += num(in->t, r, in->c.value);
	for (size_t k = 0; k < nsets; k++) {
		const char *name = !split ? measure_label(in->p->measure) : k == shown ? "Other" : pv.series[pv.rank[k]];
		json_t *data = chart_add_dataset(chart, name);
		json_t *ds = json_array_get(json_object_get(json_object_get(chart, "data"), "datasets"), k);
		for (size_t i = 0; i < pv.nperiods; i++)
			json_array_append_new(data, jnum(grid[i * nsets + k]));
		if (kind == CHART_AREA)
			json_object_set_new(ds, "fill", json_string(k == 0 || !split ? "origin" : "-1"));
		else if (kind == CHART_LINE)
			json_object_set_new(ds, "fill", json_false());
	}
	if (kind == CHART_BAR) {
		chart_bar_options(chart, &in->f, false, split);
		chart_set_alternatives(chart, split ? "area" : "line", NULL);
	} else {
		chart_line_options(chart, &in->f, kind == CHART_AREA && split);
		chart_set_alternatives(chart, kind == CHART_AREA ? "line" : "bar", NULL);
	}
	free(grid);
	free(slot);
	pivot_release(&pv);
	return chart;
}

static json_t *chart_periods(const struct chart_in *in, enum chart_kind kind)
{
	const struct plan *p = in->p;
	long r0 = period_row(in->t, &in->c, &p->periods[0]), r1 = period_row(in->t, &in->c, &p->periods[1]);
	double a = r0 >= 0 ? num(in->t, (size_t)r0, in->c.value) : 0;
	double b = r1 >= 0 ? num(in->t, (size_t)r1, in->c.value) : 0;
	char n0[64], n1[64];
	if (kind == CHART_KPI)
		return chart_kpi(in, b, a, true, p->periods[0].label);
	json_t *chart = chart_new(in, "bar");
	json_t *labels = chart_labels(chart);
	json_t *data = chart_add_dataset(chart, measure_label(p->measure));
	period_describe_dates(&p->periods[0], n0, sizeof(n0));
	period_describe_dates(&p->periods[1], n1, sizeof(n1));
	json_array_append_new(labels, jstr(p->periods[0].label[0] ? p->periods[0].label : n0));
	json_array_append_new(labels, jstr(p->periods[1].label[0] ? p->periods[1].label : n1));
	json_array_append_new(data, jnum(a));
	json_array_append_new(data, jnum(b));
	chart_bar_options(chart, &in->f, kind == CHART_HBAR, false);
	return chart;
}

static json_t *chart_by_item(const struct chart_in *in, enum chart_kind kind)
{
	const struct table *t = in->t;
	const struct plan *p = in->p;
	char n0[64], n1[64];
	json_t *chart = chart_new(in, "bar");
	json_t *labels = chart_labels(chart);
	period_describe_dates(&p->periods[0], n0, sizeof(n0));
	period_describe_dates(&p->periods[1], n1, sizeof(n1));
	json_t *before = chart_add_dataset(chart, p->periods[0].label[0] ? p->periods[0].label : n0);
	json_t *after = chart_add_dataset(chart, p->periods[1].label[0] ? p->periods[1].label : n1);
	size_t keep = t->nrows > CHART_MAX_GROUPS ? CHART_MAX_GROUPS - 1 : t->nrows;
	double other_a = 0, other_b = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		double a = num(t, r, in->c.before), b = num(t, r, in->c.after);
		char label[200];
		if (r >= keep) {
			other_a += a;
			other_b += b;
			continue;
		}
		item_label(in, r, label, sizeof(label));
		json_array_append_new(labels, jstr(label));
		json_array_append_new(before, jnum(a));
		json_array_append_new(after, jnum(b));
	}
	if (keep < t->nrows) {
		json_array_append_new(labels, json_string("Other"));
		json_array_append_new(before, jnum(other_a));
		json_array_append_new(after, jnum(other_b));
	}
	chart_bar_options(chart, &in->f, kind == CHART_HBAR, false);
	return chart;
}

/* "Amortized cost by service, November 2025" */
static void chart_title(const struct chart_in *in, char *buf, size_t size)
{
	const struct plan *p = in->p;
	enum shape s = shape_of(p);
	struct strbuf sb;
	char m[64], cap[96];
	strbuf_init(&sb, 0);
	measure_words(p, false, m, sizeof(m));
	if (p->intent == INTENT_MOVERS)
		strbuf_addf(&sb, "Biggest %s in %s", p->ascending ? "decreases" : "increases", m);
	else if (p->intent == INTENT_AVERAGE_DAILY)
		strbuf_addf(&sb, "Average daily %s", m);
	else if (s == SHAPE_SERIES || s == SHAPE_SPLIT_SERIES) {
		capitalize(grain_words[p->grain].adjective, cap, sizeof(cap));
		strbuf_addf(&sb, "%s %s", cap, m);
	} else {
		capitalize(m, cap, sizeof(cap));
		strbuf_addstr(&sb, cap);
	}
	if (p->group.dim != DIM_NONE)
		strbuf_addf(&sb, " by %s", dimension_label(&p->group));
	if (p->limit > 0 && s == SHAPE_PARTS)
		strbuf_addf(&sb, " (%s %d)", p->ascending ? "bottom" : "top", p->limit);
	add_filters_as(&sb, p, false);
	if (s == SHAPE_PERIODS || s == SHAPE_PERIODS_BY_ITEM) {
		char a[64], b[64];
		period_describe_dates(&p->periods[0], a, sizeof(a));
		period_describe_dates(&p->periods[1], b, sizeof(b));
		strbuf_addf(&sb, ", %s vs %s", p->periods[0].label[0] ? p->periods[0].label : a,
			    p->periods[1].label[0] ? p->periods[1].label : b);
	} else {
		char dates[64];
		period_describe_dates(&p->range, dates, sizeof(dates));
		strbuf_addf(&sb, ", %s", p->range.label[0] ? p->range.label : dates);
	}
	if (in->f.usage && in->f.unit[0] && !in->f.mixed_units)
		strbuf_addf(&sb, " (%s)", in->f.unit);
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

json_t *answer_chart_ctx(const struct plan *p, const struct table *t, const struct answer_context *ctx)
{
	struct chart_in in = { .p = p, .t = t, .ctx = ctx };
	enum shape s = shape_of(p);
	if (s == SHAPE_NONE || p->chart == CHART_TABLE)
		return NULL;
	find_cols(p, t, &in.c);
	if (table_empty(p, t, &in.c))
		return NULL;
	if (s == SHAPE_PERIODS_BY_ITEM ? in.c.before < 0 || in.c.after < 0 : in.c.value < 0)
		return NULL;
	if ((s == SHAPE_SERIES || s == SHAPE_SPLIT_SERIES) && in.c.period < 0)
		return NULL;
	fmt_init(&in.f, p, t, &in.c, ctx);
	chart_title(&in, in.title, sizeof(in.title));

	bool negatives = false;
	for (size_t r = 0; r < t->nrows; r++)
		if (num(t, r, in.c.value) < 0)
			negatives = true;
	enum chart_kind kind = chart_choose(s, p->chart, t->nrows, negatives);
	switch (s) {
	case SHAPE_NUMBER: return chart_kpi_ctx(&in, num(t, 0, in.c.value));
	case SHAPE_PARTS: return chart_parts(&in, kind);
	case SHAPE_SERIES:
	case SHAPE_SPLIT_SERIES: return chart_series(&in, kind);
	case SHAPE_PERIODS: return chart_periods(&in, kind);
	case SHAPE_PERIODS_BY_ITEM: return chart_by_item(&in, kind);
	case SHAPE_NONE:
	case SHAPE_COUNT: break;
	}
	return NULL;
}

json_t *answer_chart(const struct plan *p, const struct table *t)
{
	return answer_chart_ctx(p, t, NULL);
}

/* ---- suggestions ---- */

enum suggestion {
	SUG_END,
	SUG_DRILL,    /* Break down AmazonEC2 by usage type */
	SUG_REGROUP,  /* Break it down by account */
	SUG_TREND,    /* Show the daily trend for AmazonEC2 */
	SUG_PREVIOUS, /* Compare with the previous month */
	SUG_TOP_N,    /* Show the top 5 services */
	SUG_GRAIN,    /* Show the monthly trend */
	SUG_MOVERS,   /* Show the biggest increases by service */
};

/* What to offer, best first, by shape; inapplicable ones are skipped. */
static const enum suggestion suggestion_plans[SHAPE_COUNT][7] = {
	[SHAPE_NUMBER] = { SUG_REGROUP, SUG_TREND, SUG_PREVIOUS, SUG_REGROUP },
	[SHAPE_PARTS] = { SUG_DRILL, SUG_TOP_N, SUG_TREND, SUG_REGROUP, SUG_PREVIOUS, SUG_REGROUP },
	[SHAPE_SERIES] = { SUG_REGROUP, SUG_GRAIN, SUG_PREVIOUS, SUG_REGROUP },
	[SHAPE_SPLIT_SERIES] = { SUG_DRILL, SUG_GRAIN, SUG_REGROUP, SUG_PREVIOUS },
	[SHAPE_PERIODS] = { SUG_REGROUP, SUG_MOVERS, SUG_TREND, SUG_REGROUP },
	[SHAPE_PERIODS_BY_ITEM] = { SUG_DRILL, SUG_TREND, SUG_REGROUP, SUG_MOVERS },
};

/* Where to look inside one group, in order of preference. */
static const enum dimension drill_targets[DIM_COUNT][3] = {
	[DIM_SERVICE] = { DIM_USAGE_TYPE, DIM_REGION, DIM_ACCOUNT },
	[DIM_ACCOUNT] = { DIM_SERVICE, DIM_REGION, DIM_USAGE_TYPE },
	[DIM_REGION] = { DIM_SERVICE, DIM_USAGE_TYPE, DIM_ACCOUNT },
	[DIM_AZ] = { DIM_SERVICE, DIM_USAGE_TYPE, DIM_RESOURCE },
	[DIM_USAGE_TYPE] = { DIM_RESOURCE, DIM_OPERATION, DIM_ACCOUNT },
	[DIM_OPERATION] = { DIM_USAGE_TYPE, DIM_RESOURCE, DIM_ACCOUNT },
	[DIM_INSTANCE_TYPE] = { DIM_ACCOUNT, DIM_REGION, DIM_RESOURCE },
	[DIM_RESOURCE] = { DIM_USAGE_TYPE, DIM_OPERATION },
	[DIM_CHARGE_TYPE] = { DIM_SERVICE, DIM_ACCOUNT },
	[DIM_CATEGORY] = { DIM_SERVICE, DIM_ACCOUNT },
	[DIM_PRICING_TERM] = { DIM_SERVICE, DIM_INSTANCE_TYPE },
	[DIM_PROVIDER] = { DIM_SERVICE, DIM_ACCOUNT },
	[DIM_TAG] = { DIM_SERVICE, DIM_ACCOUNT, DIM_REGION },
};

/* Other groupings to offer, in order of preference. */
static const enum dimension regroup_targets[] = { DIM_SERVICE, DIM_ACCOUNT, DIM_REGION, DIM_USAGE_TYPE };

/* "Compare with the previous month": the ranges that have a previous one. */
static const struct {
	enum time_unit unit;
	const char *noun;
} previous_units[] = {
	{ UNIT_DAY, "day" }, { UNIT_WEEK, "week" }, { UNIT_MONTH, "month" }, { UNIT_QUARTER, "quarter" }, { UNIT_YEAR, "year" },
};

struct suggester {
	const struct plan *p;
	const struct table *t;
	struct cols c;
	enum shape s;
	char (*out)[ANSWER_SUGGESTION_MAX];
	int n, max;
	bool offered[DIM_COUNT]; /* groupings already offered */
	char top[PLAN_NAME_MAX]; /* the top item's label; "" when none fits */
};

static void suggest(struct suggester *sg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void suggest(struct suggester *sg, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	if (sg->n >= sg->max)
		return;
	va_start(ap, fmt);
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0 || len >= ANSWER_SUGGESTION_MAX)
		return; /* a label too long to type */
	for (int i = 0; i < sg->n; i++)
		if (strcmp(sg->out[i], buf) == 0)
			return;
	memcpy(sg->out[sg->n++], buf, (size_t)len + 1);
}

/* The question already fixes this dimension to one value. */
static bool dim_pinned(const struct plan *p, enum dimension d)
{
	for (int i = 0; i < p->nfilters; i++)
		if (p->filters[i].col.dim == d && p->filters[i].op == FILTER_IN && p->filters[i].nvalues == 1)
			return true;
	return false;
}

static bool dim_offerable(const struct suggester *sg, enum dimension d)
{
	return d != DIM_NONE && d != sg->p->group.dim && !sg->offered[d] && !dim_pinned(sg->p, d);
}

/* The label to drill into: the largest item with a value of its own. */
static void find_top(struct suggester *sg)
{
	const struct table *t = sg->t;
	sg->top[0] = '\0';
	if (sg->c.label < 0 || !t || !t->nrows)
		return;
	size_t *rank;
	double *v;
	if (sg->s == SHAPE_SPLIT_SERIES) {
		struct pivot pv;
		pivot_build(&pv, t, &sg->c);
		for (size_t i = 0; i < pv.nseries && !sg->top[0]; i++) {
			const char *label = pv.series[pv.rank[i]];
			if (label[0] != '(' && strlen(label) < 100)
				snprintf(sg->top, sizeof(sg->top), "%s", label);
		}
		pivot_release(&pv);
		return;
	}
	if (sg->s == SHAPE_PERIODS_BY_ITEM) {
		/* the table's own order: by the later period, or by the change */
		v = xcalloc(t->nrows, sizeof(*v));
		for (size_t r = 0; r < t->nrows; r++)
			v[r] = -(double)r;
	} else {
		v = column_values(t, sg->c.value);
	}
	rank = rank_values(v, t->nrows, false);
	for (size_t i = 0; i < t->nrows && !sg->top[0]; i++) {
		char buf[64];
		const char *label = text(t, rank[i], sg->c.label, buf, sizeof(buf));
		if (label[0] && label[0] != '(' && strlen(label) < 100)
			snprintf(sg->top, sizeof(sg->top), "%s", label);
	}
	free(rank);
	free(v);
}

/* "daily" for ranges up to about two months, else "monthly". */
static const char *trend_adjective(const struct plan *p)
{
	const struct period *a = &p->range, *b = &p->range;
	if (shape_of(p) == SHAPE_PERIODS || shape_of(p) == SHAPE_PERIODS_BY_ITEM) {
		a = &p->periods[0];
		b = &p->periods[1];
	}
	return b->end_day - a->start_day > 62 ? "monthly" : "daily";
}

static void suggest_one(struct suggester *sg, enum suggestion what)
{
	const struct plan *p = sg->p;
	switch (what) {
	case SUG_END: return;
	case SUG_DRILL: {
		if (!sg->top[0] || p->group.dim <= DIM_NONE || p->group.dim >= DIM_COUNT)
			return;
		for (size_t i = 0; i < COUNT(drill_targets[0]); i++) {
			enum dimension d = drill_targets[p->group.dim][i];
			if (dim_offerable(sg, d)) {
				struct dim_ref ref = { .dim = d };
				sg->offered[d] = true;
				suggest(sg, "Break down %s by %s", sg->top, dimension_label(&ref));
				return;
			}
		}
		return;
	}
	case SUG_REGROUP:
		for (size_t i = 0; i < COUNT(regroup_targets); i++) {
			enum dimension d = regroup_targets[i];
			if (dim_offerable(sg, d)) {
				struct dim_ref ref = { .dim = d };
				sg->offered[d] = true;
				suggest(sg, "Break it down by %s", dimension_label(&ref));
				return;
			}
		}
		return;
	case SUG_TREND:
		if (sg->top[0])
			suggest(sg, "Show the %s trend for %s", trend_adjective(p), sg->top);
		else
			suggest(sg, "Show the %s trend", trend_adjective(p));
		return;
	case SUG_PREVIOUS:
		for (size_t i = 0; i < COUNT(previous_units); i++)
			if (p->range.unit == previous_units[i].unit && p->range.count == 1) {
				suggest(sg, "Compare with the previous %s", previous_units[i].noun);
				return;
			}
		return;
	case SUG_TOP_N: {
		const char *plural = plural_of(&p->group);
		if (p->limit || !sg->t || sg->t->nrows <= 10)
			return;
		if (plural)
			suggest(sg, "Show the top 5 %s", plural);
		else
			suggest(sg, "Show the top 5 %s values", dimension_label(&p->group));
		return;
	}
	case SUG_GRAIN:
		if (p->grain == GRAIN_DAY || p->grain == GRAIN_NONE)
			suggest(sg, "Show the monthly trend");
		else
			suggest(sg, "Show the daily trend");
		return;
	case SUG_MOVERS: {
		struct dim_ref d = p->group;
		bool down = p->intent == INTENT_MOVERS && !p->ascending;
		if (d.dim == DIM_NONE)
			d.dim = DIM_SERVICE;
		suggest(sg, "Show the biggest %s by %s", down ? "decreases" : "increases", dimension_label(&d));
		return;
	}
	}
}

int answer_suggest(const struct plan *p, const struct table *t, char out[][ANSWER_SUGGESTION_MAX], int max)
{
	struct suggester sg = { .p = p, .t = t, .out = out, .max = max < 4 ? max : 4 };
	sg.s = shape_of(p);
	if (sg.max <= 0)
		return 0;
	find_cols(p, t, &sg.c);
	if (sg.s == SHAPE_NONE) {
		for (int i = 0; p->intent == INTENT_CLARIFY && i < p->nchoices && i < (int)COUNT(p->choices); i++)
			suggest(&sg, "%s", p->choices[i]);
	} else if (!table_empty(p, t, &sg.c)) {
		find_top(&sg);
		for (size_t i = 0; i < COUNT(suggestion_plans[0]) && suggestion_plans[sg.s][i] != SUG_END; i++)
			suggest_one(&sg, suggestion_plans[sg.s][i]);
	}
	for (size_t i = 0; sg.n < 2 && i < COUNT(example_questions); i++)
		suggest(&sg, "%s", example_questions[i]);
	return sg.n;
}

/* ---- terminal ---- */

#define TERM_MAX_ROWS 50
#define TERM_MAX_WIDTH 48 /* a cell wider than this is cut with "…" */
#define TERM_BAR_WIDTH 30

#define ANSI_BOLD "\033[1m"
#define ANSI_DIM "\033[2m"
#define ANSI_RED "\033[31m"
#define ANSI_CYAN "\033[36m"
#define ANSI_RESET "\033[0m"

/* How a column's numbers print, by its name; first match wins. */
enum col_format { COLF_DEFAULT, COLF_SIGNED, COLF_PCT, COLF_SIGNED_PCT, COLF_PLAIN };
static const struct {
	const char *name;
	enum match how;
	enum col_format format;
} column_formats[] = {
	{ "change_pct", MATCH_WHOLE, COLF_SIGNED_PCT },
	{ "change", MATCH_WHOLE, COLF_SIGNED },
	{ "_pct", MATCH_SUFFIX, COLF_PCT },
	{ "days", MATCH_WHOLE, COLF_PLAIN },
};

static enum col_format column_format(const char *name)
{
	for (size_t i = 0; i < COUNT(column_formats); i++)
		if (label_matches(name, column_formats[i].name, column_formats[i].how))
			return column_formats[i].format;
	return COLF_DEFAULT;
}

/* A cell for the terminal: reals as 1,234.56, shares as 22.8%, changes signed. */
static void term_cell(const struct table *t, size_t row, size_t col, char *buf, size_t size)
{
	const struct cell *c = table_at(t, row, col);
	enum col_format f = column_format(t->names[col]);
	if (c->kind == CELL_NULL) {
		snprintf(buf, size, "%s", f == COLF_SIGNED_PCT ? "new" : "");
		return;
	}
	if (!kind_is_number(c->kind) || f == COLF_PLAIN) {
		cell_format(c, buf, size);
		return;
	}
	double v = cell_number(c);
	switch (f) {
	case COLF_PCT:
	case COLF_SIGNED_PCT: format_pct(v, f == COLF_SIGNED_PCT, buf, size); break;
	case COLF_SIGNED: format_number(v, 2, true, buf, size); break;
	case COLF_DEFAULT:
		if (c->kind == CELL_INT)
			cell_format(c, buf, size);
		else
			format_number(v, 2, false, buf, size);
		break;
	case COLF_PLAIN: break;
	}
}

/* Display width: one column per UTF-8 character. */
static size_t utf8_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Cut s to at most max characters, ending with "…" when cut. */
static char *utf8_cut(const char *s, size_t max)
{
	if (utf8_width(s) <= max)
		return xstrdup(s);
	struct strbuf sb;
	strbuf_init(&sb, 0);
	size_t chars = 0;
	for (const char *q = s; *q; q++) {
		if (((unsigned char)*q & 0xC0) != 0x80 && ++chars > max - 1)
			break;
		strbuf_addch(&sb, *q);
	}
	strbuf_addstr(&sb, "…");
	return strbuf_detach(&sb);
}

/* A bar of |v| / max * TERM_BAR_WIDTH cells in eighths: "█████▍"; negative
 * values as light shade "░░", so credits stand apart. */
static void bar_text(double v, double max, char *buf, size_t size)
{
	static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	struct strbuf sb;
	buf[0] = '\0';
	if (!(max > 0) || !isfinite(v) || v == 0)
		return;
	long units = lround(fabs(v) / max * TERM_BAR_WIDTH * 8);
	strbuf_init(&sb, 0);
	if (v > 0) {
		if (units == 0)
			units = 1; /* tiny but not nothing */
		for (long i = 0; i < units / 8; i++)
			strbuf_addstr(&sb, "█");
		strbuf_addstr(&sb, eighths[units % 8]);
	} else {
		long cells = (units + 7) / 8;
		for (long i = 0; i < (cells ? cells : 1); i++)
			strbuf_addstr(&sb, "░");
	}
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

/* Markdown to the terminal: **bold** as ANSI bold or nothing, `code` and
 * backslash escapes unwrapped. */
static void print_markdown(const char *md, FILE *out, bool color)
{
	bool bold = false;
	for (const char *s = md; *s; s++) {
		if (s[0] == '\\' && s[1]) {
			fputc(*++s, out);
		} else if (s[0] == '*' && s[1] == '*') {
			bold = !bold;
			if (color)
				fputs(bold ? ANSI_BOLD : ANSI_RESET, out);
			s++;
		} else if (*s != '`') {
			fputc(*s, out);
		}
	}
	if (bold && color)
		fputs(ANSI_RESET, out);
	if (*md && md[strlen(md) - 1] != '\n')
		fputc('\n', out);
}

static void pad(FILE *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(' ', out);
}

static void print_table(const struct plan *p, const struct table *t, FILE *out, bool color)
{
	size_t shown = t->nrows < TERM_MAX_ROWS ? t->nrows : TERM_MAX_ROWS;
	size_t ncols = t->ncols;
	char **cells = xcalloc(shown * ncols + 1, sizeof(*cells));
	size_t *width = xcalloc(ncols, sizeof(*width));
	bool *right = xcalloc(ncols, sizeof(*right));
	char buf[600];
	struct cols c;
	enum shape s = shape_of(p);

	find_cols(p, t, &c);
	bool bars = (s == SHAPE_PARTS || s == SHAPE_SERIES || s == SHAPE_SPLIT_SERIES) && c.value >= 0;
	double max = 0;
	for (size_t r = 0; bars && r < t->nrows; r++)
		if (fabs(num(t, r, c.value)) > max)
			max = fabs(num(t, r, c.value));

	for (size_t k = 0; k < ncols; k++) {
		width[k] = utf8_width(t->names[k]);
		right[k] = kind_is_number(t->kinds[k]);
	}
	for (size_t r = 0; r < shown; r++)
		for (size_t k = 0; k < ncols; k++) {
			term_cell(t, r, k, buf, sizeof(buf));
			cells[r * ncols + k] = utf8_cut(buf, TERM_MAX_WIDTH);
			size_t w = utf8_width(cells[r * ncols + k]);
			if (w > width[k])
				width[k] = w;
			if (kind_is_number(table_at(t, r, k)->kind))
				right[k] = true;
		}

	/* header and rule */
	if (color)
		fputs(ANSI_BOLD, out);
	for (size_t k = 0; k < ncols; k++) {
		size_t w = utf8_width(t->names[k]);
		fputs(k ? "  " : "", out);
		if (right[k])
			pad(out, width[k] - w);
		fputs(t->names[k], out);
		if (!right[k] && k + 1 < ncols)
			pad(out, width[k] - w);
	}
	if (color)
		fputs(ANSI_RESET, out);
	fputc('\n', out);
	for (size_t k = 0; k < ncols; k++) {
		fputs(k ? "  " : "", out);
		for (size_t i = 0; i < width[k]; i++)
			fputs("─", out);
	}
	fputc('\n', out);

	/* rows */
	for (size_t r = 0; r < shown; r++) {
		for (size_t k = 0; k < ncols; k++) {
			const char *cell = cells[r * ncols + k];
			size_t w = utf8_width(cell);
			fputs(k ? "  " : "", out);
			if (right[k])
				pad(out, width[k] - w);
			fputs(cell, out);
			if (!right[k] && (k + 1 < ncols || bars))
				pad(out, width[k] - w);
		}
		if (bars) {
			double v = num(t, r, c.value);
			bar_text(v, max, buf, sizeof(buf));
			if (buf[0]) {
				fputs("  ", out);
				if (color)
					fputs(v < 0 ? ANSI_RED : ANSI_CYAN, out);
				fputs(buf, out);
				if (color)
					fputs(ANSI_RESET, out);
			}
		}
		fputc('\n', out);
	}
	if (t->nrows > shown)
		fprintf(out, "… %zu more row%s not shown\n", t->nrows - shown, t->nrows - shown == 1 ? "" : "s");
	fprintf(out, "(%zu row%s%s)\n", t->nrows, t->nrows == 1 ? "" : "s",
		t->truncated ? ", truncated by the row limit" : "");

	for (size_t i = 0; i < shown * ncols; i++)
		free(cells[i]);
	free(cells);
	free(width);
	free(right);
}

void answer_print_terminal(const struct plan *p, const struct table *t, const char *narrative_md,
			   const char *interpretation, FILE *out, bool color)
{
	if (narrative_md && *narrative_md)
		print_markdown(narrative_md, out, color);
	/* a clarification's reading is its message, already printed */
	bool same = p && (p->intent == INTENT_CLARIFY || p->intent == INTENT_REFUSE) && interpretation &&
		    strcmp(interpretation, p->message) == 0;
	if (interpretation && *interpretation && !same)
		fprintf(out, "%sHow I read it:%s %s\n", color ? ANSI_DIM : "", color ? ANSI_RESET : "",
			interpretation);
	if (!t || !t->ncols)
		return;
	fputc('\n', out);
	print_table(p, t, out, color);
}
