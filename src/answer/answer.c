/*
 * answer: what every part of an answer starts from (see answer_parts.h):
 * the shape, the columns, numbers, words, ranking and pivots. The parts
 * themselves are narrate.c, chart.c, suggest.c and terminal.c. See
 * answer.h.
 *
 * Every part starts from the same two readings of the input: the shape of
 * the answer (one number, parts of a whole, a time series, two periods...)
 * from the plan, and where the figures are in the table (struct cols) from
 * the column names sqlgen.c gives. The choices that are rules (chart types,
 * follow-ups, prepositions, column formats) are tables near the top.
 */
#include "answer_parts.h"
#include "dims.h"
#include "sqlgen.h"
#include "date.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


/* ---- shapes and columns ---- */


enum shape shape_of(const struct plan *p)
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
	case INTENT_COUNT: return SHAPE_NUMBER;
	}
	return SHAPE_NONE;
}


static const struct cols no_cols = {
	.label = -1, .name = -1, .value = -1, .share = -1, .unit = -1, .period = -1, .period_label = -1,
	.total = -1, .days = -1, .whole = -1, .before = -1, .after = -1, .change = -1, .change_pct = -1,
	.change_without_fees = -1,
};

static bool col_taken(const struct cols *c, int col)
{
	const int all[] = { c->label, c->name,  c->value,  c->share, c->unit,   c->period,     c->period_label,
			    c->total, c->days, c->whole, c->before, c->after, c->change, c->change_pct,
			    c->change_without_fees };
	for (size_t i = 0; i < COUNT(all); i++)
		if (all[i] == col)
			return true;
	return false;
}

bool kind_is_number(enum cell_kind k)
{
	return k == CELL_INT || k == CELL_REAL;
}

static const char *label_column_name(const struct dim_ref *d)
{
	return d->dim == DIM_TAG ? d->tag_key : dimension_name(d->dim);
}

void find_cols(const struct plan *p, const struct table *t, struct cols *c)
{
	*c = no_cols;
	if (!t || !t->ncols)
		return;
	enum shape s = shape_of(p);
	const char *m = sqlgen_measure_column(p->measure);
	char name[64];
	if (p->intent == INTENT_AVERAGE_DAILY) {
		bool monthly = p->grain == GRAIN_MONTH;
		snprintf(name, sizeof(name), "average_%s_%s", monthly ? "monthly" : "daily", m);
		c->value = table_column(t, name);
		snprintf(name, sizeof(name), "total_%s", m);
		c->total = table_column(t, name);
		c->days = table_column(t, monthly ? "months" : "days");
	} else if (s != SHAPE_PERIODS_BY_ITEM) {
		c->value = table_column(t, m);
	}
	if (p->group.dim != DIM_NONE)
		c->label = table_column(t, p->group2.dim != DIM_NONE ? "item" : label_column_name(&p->group));
	if (p->group.dim == DIM_ACCOUNT)
		c->name = table_column(t, "account_name");
	else if (p->group.dim == DIM_SERVICE)
		c->name = table_column(t, "service_name");
	c->share = table_column(t, "share_pct");
	snprintf(name, sizeof(name), "all_%s", m);
	c->whole = table_column(t, name);
	c->unit = table_column(t, "unit");
	if (s == SHAPE_SERIES || s == SHAPE_SPLIT_SERIES || s == SHAPE_PERIODS)
		c->period = table_column(t, "period");
	if (s == SHAPE_PERIODS)
		c->period_label = table_column(t, "label");
	if (s == SHAPE_PERIODS_BY_ITEM) {
		c->change = table_column(t, "change");
		c->change_pct = table_column(t, "change_pct");
		c->change_without_fees = table_column(t, "change_without_fees");
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

double num(const struct table *t, size_t row, int col)
{
	return col < 0 ? 0 : cell_number(table_at(t, row, col));
}

bool is_null(const struct table *t, size_t row, int col)
{
	return col < 0 || table_at(t, row, col)->kind == CELL_NULL;
}

/* A cell as text: borrowed for text cells, else formatted into buf. */
const char *text(const struct table *t, size_t row, int col, char *buf, size_t size)
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
bool table_empty(const struct plan *p, const struct table *t, const struct cols *c)
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
void format_number(double v, int decimals, bool plus, char *buf, size_t size)
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
bool format_money_compact(double v, const char *currency, char *buf, size_t size)
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

void format_pct(double v, bool plus, char *buf, size_t size)
{
	char digits[512];
	struct strbuf sb;
	format_number(v, 1, plus, digits, sizeof(digits));
	strbuf_init(&sb, 0);
	strbuf_addf(&sb, "%s%%", digits);
	move_text(&sb, buf, size);
}


void fmt_init(struct fmt *f, const struct plan *p, const struct table *t, const struct cols *c,
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

bool answer_mixed_units(const struct plan *p, const struct table *t, char *units, size_t size)
{
	units[0] = '\0';
	if (p->measure != MEASURE_USAGE || p->usage_unit[0] || p->intent == INTENT_TOTAL)
		return false;
	/* mixed as the narration decides it (fmt_init); then the units named */
	struct cols c;
	struct fmt f;
	find_cols(p, t, &c);
	fmt_init(&f, p, t, &c, NULL);
	if (!f.mixed_units || c.unit < 0)
		return false;
	size_t col = (size_t)c.unit;
	/* the distinct units of every row's list, in first-seen order */
	char seen[16][64];
	int nseen = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		char buf[512];
		if (is_null(t, r, col))
			continue;
		const char *list = text(t, r, col, buf, sizeof(buf));
		while (*list) {
			size_t n = strcspn(list, ",");
			while (n && list[n - 1] == ' ')
				n--;
			bool known = false;
			for (int k = 0; k < nseen && !known; k++)
				known = strlen(seen[k]) == n && strncmp(seen[k], list, n) == 0;
			if (!known && nseen < 16 && n < sizeof(seen[0]))
				snprintf(seen[nseen++], sizeof(seen[0]), "%.*s", (int)n, list);
			list += strcspn(list, ",");
			while (*list == ',' || *list == ' ')
				list++;
		}
	}
	if (nseen < 2)
		return false;
	size_t o = 0;
	for (int k = 0; k < nseen && o + strlen(seen[k]) + 3 < size; k++)
		o += (size_t)snprintf(units + o, size - o, "%s%s", k ? ", " : "", seen[k]);
	return true;
}

void fmt_value(const struct fmt *f, double v, bool plus, char *buf, size_t size)
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

/* How a period label is introduced in a sentence; first match wins
 * (enum match: answer_parts.h). */
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

bool label_matches(const char *label, const char *s, enum match how)
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
void label_phrase(const char *label, bool one_day, char *buf, size_t size)
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
void period_phrase(const struct period *per, char *buf, size_t size)
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
void md_text(struct strbuf *md, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>", *s))
			strbuf_addch(md, '\\');
		strbuf_addch(md, *s);
	}
}

void md_bold(struct strbuf *md, const char *s)
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
void add_filters_as(struct strbuf *md, const struct plan *p, bool markdown)
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

void add_filters(struct strbuf *md, const struct plan *p)
{
	add_filters_as(md, p, true);
}

/* "12 services", "1 region", "5 team values". */
void count_phrase(const struct dim_ref *d, size_t n, char *buf, size_t size)
{
	if (d->dim == DIM_TAG)
		snprintf(buf, size, "%zu %s value%s", n, d->tag_key, n == 1 ? "" : "s");
	else if (n == 1 || d->dim <= DIM_NONE || d->dim >= DIM_TAG)
		snprintf(buf, size, "%zu %s", n, dimension_label(d));
	else
		snprintf(buf, size, "%zu %s", n, dim_info(d->dim)->plural);
}

const char *plural_of(const struct dim_ref *d)
{
	return d->dim > DIM_NONE && d->dim < DIM_TAG ? dim_info(d->dim)->plural : NULL;
}

const struct grain_word grain_words[GRAIN_YEAR + 1] = {
	[GRAIN_NONE] = { "daily", "day", "days" },      [GRAIN_DAY] = { "daily", "day", "days" },
	[GRAIN_WEEK] = { "weekly", "week", "weeks" },   [GRAIN_MONTH] = { "monthly", "month", "months" },
	[GRAIN_QUARTER] = { "quarterly", "quarter", "quarters" }, [GRAIN_YEAR] = { "yearly", "year", "years" },
};

/* "on 2025-10-15", "in the week of 2025-10-06", "in October 2025", "in Q4 2025". */
void bucket_phrase(enum grain g, const char *date, char *buf, size_t size)
{
	int day, y, m, d;
	if (!date_parse(date, &day)) {
		snprintf(buf, size, "in %s", date);
		return;
	}
	date_to_ymd(day, &y, &m, &d);
	switch (g) {
	case GRAIN_WEEK: snprintf(buf, size, "in the week of %s", date); break;
	case GRAIN_MONTH: snprintf(buf, size, "in %s %d", date_month_name(m), y); break;
	case GRAIN_QUARTER: snprintf(buf, size, "in Q%d %d", (m - 1) / 3 + 1, y); break;
	case GRAIN_YEAR: snprintf(buf, size, "in %d", y); break;
	case GRAIN_NONE:
	case GRAIN_DAY: snprintf(buf, size, "on %s", date); break;
	}
}

void capitalize(const char *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s", s);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

bool rounds_to_zero(double v)
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
size_t *rank_values(const double *v, size_t n, bool ascending)
{
	struct ranked *r = xcalloc(n ? n : 1, sizeof(*r));
	size_t *out = xcalloc(n ? n : 1, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		double x = isnan(v[i]) ? (ascending ? HUGE_VAL : -HUGE_VAL) : v[i]; /* NaN last */
		r[i] = (struct ranked){ ascending ? x : -x, i };
	}
	sort_array(r, n, sizeof(*r), ranked_cmp);
	for (size_t i = 0; i < n; i++)
		out[i] = r[i].i;
	free(r);
	return out;
}

double *column_values(const struct table *t, int col)
{
	double *v = xcalloc(t->nrows ? t->nrows : 1, sizeof(*v));
	for (size_t r = 0; r < t->nrows; r++)
		v[r] = num(t, r, col);
	return v;
}


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
	sort_array(k, n, sizeof(*k), keyed_cmp);
	for (size_t i = 0; i < n; i++) {
		if (!nu || strcmp(u[nu - 1], k[i].s) != 0)
			u[nu++] = k[i].s;
		ids[k[i].row] = nu - 1;
	}
	free(k);
	*uniq = u;
	return nu;
}

void pivot_build(struct pivot *pv, const struct table *t, const struct cols *c)
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

void pivot_release(struct pivot *pv)
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
