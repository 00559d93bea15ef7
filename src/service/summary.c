/*
 * summary: the data at a glance for the web UI's first screen (the API's
 * GET /api/v1/data/summary): info.c's sections, the date range, this
 * month to date (daily charges against the same days of last month, fees
 * apart), and starter
 * questions that this data answers (each read by the parser to be sure).
 * Queries only; pool.c caches the result per data version.
 */
#include "summary.h"
#include "ask.h"
#include "charges.h"
#include "date.h"
#include "info.h"
#include "parse.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void month_name(int month_start, char *buf, size_t size)
{
	date_month_label(month_start, buf, size);
}

static json_t *date_json(int day)
{
	char buf[16];
	date_format(day, buf, sizeof(buf));
	return json_string(buf);
}

/* Day numbers as 'YYYY-MM-DD' texts. */
struct day_text {
	char s[16];
};

static struct day_text day_text(int day)
{
	struct day_text d;
	date_format(day, d.s, sizeof(d.s));
	return d;
}

/* Month to date like for like: fees (charges_monthly_sql's once-a-month
 * charges, booked on the 1st) would make the 1st of any month look like a
 * spike, so the change compares the daily charges of [m0, as_of] with those
 * of the same days a month earlier, and the fees booked this month with the
 * whole of last month's (a month's fees are known once booked). The total
 * (amount) still counts both. */
static int summary_month_to_date(struct ask_context *ctx, int as_of, int today, json_t *o, struct err *e)
{
	int m0 = date_month_start(as_of), p0 = date_add_months(m0, -1);
	int py, pm, pd;
	date_to_ymd(p0, &py, &pm, &pd);
	int offset = as_of - m0, plen = date_days_in_month(py, pm);
	int p_end = p0 + (offset < plen - 1 ? offset : plen - 1);
	struct strbuf daily = STRBUF_INIT;
	charges_monthly_sql(&daily, true);
	struct table t;
	table_init(&t);
	int rc = ask_queryf(ctx->dialect, ctx->db, &t, e, /* dates finq wrote itself; the predicate is finq's own */
			   "SELECT coalesce($sum_if(amortized_cost, usage_date >= $date('%s')), 0),"
			   " coalesce($sum_if(amortized_cost, usage_date >= $date('%s') AND %s), 0),"
			   " coalesce($sum_if(amortized_cost, usage_date <= $date('%s') AND %s), 0),"
			   " coalesce($sum_if(amortized_cost, usage_date < $date('%s') AND NOT (%s)), 0)"
			   " FROM costs WHERE usage_date BETWEEN $date('%s') AND $date('%s')",
			   day_text(m0).s, day_text(m0).s, daily.buf, day_text(p_end).s, daily.buf, day_text(m0).s,
			   daily.buf, day_text(p0).s, day_text(as_of).s);
	strbuf_release(&daily);
	if (rc) {
		table_release(&t);
		return -1;
	}
	double amount = cell_number(table_at(&t, 0, 0)), usage = cell_number(table_at(&t, 0, 1));
	double usage_before = cell_number(table_at(&t, 0, 2)), fees_last_month = cell_number(table_at(&t, 0, 3));
	char now[32], then[32], compared[96], label[32];
	date_span_label(m0, as_of, now, sizeof(now));
	date_span_label(p0, p_end, then, sizeof(then));
	snprintf(compared, sizeof(compared), "%s vs %s, fees excluded", now, then);
	month_name(m0, label, sizeof(label));
	json_t *mtd = json_object();
	json_object_set_new(mtd, "as_of", date_json(as_of));
	json_object_set_new(mtd, "month", date_json(m0));
	json_object_set_new(mtd, "month_label", json_string(label));
	/* the data ended before this month began: the header names its month */
	json_object_set_new(mtd, "past_month", json_boolean(m0 < date_month_start(today)));
	json_object_set_new(mtd, "amount", json_real(amount));
	json_object_set_new(mtd, "usage", json_real(usage));
	json_object_set_new(mtd, "same_days_last_month", json_real(usage_before));
	json_object_set_new(mtd, "fees", json_real(amount - usage));
	json_object_set_new(mtd, "fees_last_month", json_real(fees_last_month));
	json_object_set_new(mtd, "compared", json_string(compared));
	json_object_set_new(mtd, "change_pct", usage_before != 0
						       ? json_real(round((usage - usage_before) / fabs(usage_before) * 1000) / 10)
						       : json_null());
	json_object_set_new(o, "month_to_date", mtd);
	table_release(&t);

	table_init(&t);
	rc = ask_queryf(ctx->dialect, ctx->db, &t, e, /* dates finq wrote itself */
		       "SELECT service_code, $any(service_name), sum(amortized_cost) AS cost FROM costs"
		       " WHERE usage_date BETWEEN $date('%s') AND $date('%s') AND service_code IS NOT NULL"
		       " GROUP BY 1 ORDER BY cost DESC, 1 LIMIT 1",
		       day_text(m0).s, day_text(as_of).s);
	if (rc == 0 && t.nrows == 1) {
		double cost = cell_number(table_at(&t, 0, 2));
		json_t *top = json_object();
		json_object_set_new(top, "service", cell_to_json(table_at(&t, 0, 0)));
		json_object_set_new(top, "name", cell_to_json(table_at(&t, 0, 1)));
		json_object_set_new(top, "amount", json_real(cost));
		json_object_set_new(top, "share_pct", amount != 0 ? json_real(round(cost / amount * 1000) / 10) : json_null());
		json_object_set_new(top, "month", date_json(m0));
		json_object_set_new(o, "top_service", top);
	} else if (rc == 0) {
		json_object_set_new(o, "top_service", json_null());
	}
	table_release(&t);
	return rc;
}

/* Tag keys that name who spends, most telling first. */
static const char *const team_keys[] = { "team", "owner", "squad", "department", "business_unit",
					 "cost_center", "project", "application", "app" };

/* A candidate starter question and the intent it must be read as. */
struct starter {
	char text[256];
	enum intent intent;
	bool tag_group; /* grouped by a tag key */
};

static void starter_add(struct starter *list, int *n, int max, enum intent intent, bool tag_group, const char *fmt,
			...) __attribute__((format(printf, 6, 7)));

static void starter_add(struct starter *list, int *n, int max, enum intent intent, bool tag_group, const char *fmt,
			...)
{
	if (*n >= max)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(list[*n].text, sizeof(list[*n].text), fmt, ap);
	va_end(ap);
	list[*n].intent = intent;
	list[*n].tag_group = tag_group;
	(*n)++;
}

/* Five questions about this data: its top service last full month, its
 * biggest mover between the last two full months, the top team (when a
 * team-like tag exists), a trend and a comparison; each kept only when the
 * parser reads it as meant, with fallbacks to make five. */
static int summary_starters(struct ask_context *ctx, int as_of, int first_day, int today, const json_t *info,
			    json_t *o, struct err *e)
{
	int m0 = date_month_start(as_of), y, m, d;
	date_to_ymd(as_of, &y, &m, &d);
	int last_full = as_of == m0 + date_days_in_month(y, m) - 1 ? m0 : date_add_months(m0, -1);
	int before = date_add_months(last_full, -1), after = date_add_months(last_full, 1);
	char L[32], P[32], T[32];
	month_name(last_full, L, sizeof(L));
	month_name(before, P, sizeof(P));
	struct starter cand[16];
	int n = 0, max = (int)(sizeof(cand) / sizeof(cand[0]));
	struct table t;

	table_init(&t);
	if (ask_queryf(ctx->dialect, ctx->db, &t, e, /* dates finq wrote itself */
		  "SELECT service_code FROM costs WHERE usage_date >= $date('%s') AND usage_date < $date('%s')"
		  " AND service_code IS NOT NULL GROUP BY 1 ORDER BY sum(amortized_cost) DESC, 1 LIMIT 1",
		  day_text(last_full).s, day_text(after).s))
		goto fail;
	if (t.nrows == 1 && table_at(&t, 0, 0)->kind == CELL_TEXT)
		starter_add(cand, &n, max, INTENT_TOTAL, false, "How much did %s cost in %s?", table_at(&t, 0, 0)->v.s, L);
	table_release(&t);

	table_init(&t);
	struct day_text mid = day_text(last_full);
	if (ask_queryf(ctx->dialect, ctx->db, &t, e, /* dates finq wrote itself */
		  "SELECT service_code FROM costs WHERE usage_date >= $date('%s') AND usage_date < $date('%s')"
		  " AND service_code IS NOT NULL GROUP BY 1 ORDER BY abs("
		  "coalesce($sum_if(amortized_cost, usage_date >= $date('%s')), 0) -"
		  " coalesce($sum_if(amortized_cost, usage_date < $date('%s')), 0)) DESC, 1 LIMIT 1",
		  day_text(before).s, day_text(after).s, mid.s, mid.s))
		goto fail;
	if (t.nrows == 1 && table_at(&t, 0, 0)->kind == CELL_TEXT && before >= date_month_start(first_day))
		starter_add(cand, &n, max, INTENT_COMPARE_PERIODS, false, "Compare %s in %s and %s",
			    table_at(&t, 0, 0)->v.s, P, L);
	table_release(&t);

	/* the first team-like key among the data's tag keys */
	const json_t *keys = json_object_get(json_object_get(info, "tag_keys"), "rows");
	for (size_t k = 0; k < sizeof(team_keys) / sizeof(team_keys[0]); k++) {
		bool present = false;
		for (size_t i = 0; i < json_array_size(keys) && !present; i++) {
			const char *key = json_string_value(json_array_get(json_array_get(keys, i), 0));
			present = key && strcmp(key, team_keys[k]) == 0;
		}
		if (present) {
			char words[64];
			snprintf(words, sizeof(words), "%s", team_keys[k]);
			for (char *p = words; *p; p++)
				if (*p == '_')
					*p = ' ';
			starter_add(cand, &n, max, INTENT_BREAKDOWN, true, "Which %s spent the most in %s?", words, L);
			break;
		}
	}

	int from = date_add_months(last_full, -5);
	if (from < date_month_start(first_day))
		from = date_month_start(first_day);
	month_name(from, T, sizeof(T));
	if (from < last_full)
		starter_add(cand, &n, max, INTENT_TREND, false, "Monthly cost trend from %s to %s", T, L);
	else
		starter_add(cand, &n, max, INTENT_TREND, false, "Daily cost trend in %s", L);
	if (before >= date_month_start(first_day))
		starter_add(cand, &n, max, INTENT_COMPARE_PERIODS, false, "Compare %s and %s by account", P, L);
	/* fallbacks, in order */
	starter_add(cand, &n, max, INTENT_BREAKDOWN, false, "Top 5 services in %s", L);
	starter_add(cand, &n, max, INTENT_BREAKDOWN, false, "Cost by region in %s", L);
	starter_add(cand, &n, max, INTENT_TREND, false, "Daily cost trend in %s", L);
	starter_add(cand, &n, max, INTENT_BREAKDOWN, false, "Which accounts spent the most in %s?", L);
	starter_add(cand, &n, max, INTENT_TOTAL, false, "Total cost in %s", L);

	json_t *list = json_array();
	struct ask_previous none = { 0 };
	for (int i = 0; i < n && json_array_size(list) < 5; i++) {
		struct parse_result parsed;
		ask_read(ctx, cand[i].text, today, &none, &parsed);
		if (parsed.plan.intent != cand[i].intent || (cand[i].tag_group && parsed.plan.group.dim != DIM_TAG))
			continue;
		bool dup = false;
		for (size_t j = 0; j < json_array_size(list) && !dup; j++)
			dup = strcmp(json_string_value(json_array_get(list, j)), cand[i].text) == 0;
		if (!dup)
			json_array_append_new(list, json_string(cand[i].text));
	}
	json_object_set_new(o, "starter_questions", list);
	return 0;
fail:
	table_release(&t);
	return -1;
}

int summary_build(struct ask_context *ctx, int today, json_t **out, struct err *e)
{
	json_t *o = NULL;
	if (info_collect(ctx->db, &o, e))
		return err_recode(e, ERR_DATABASE);
	json_t *summary = json_object_get(o, "summary");
	int first_day, last_day;
	if (!date_parse(json_string_value(json_object_get(summary, "first_day")), &first_day) ||
	    !date_parse(json_string_value(json_object_get(summary, "last_day")), &last_day)) {
		json_decref(o);
		return err_set_code(e, ERR_NO_DATA, "the loaded data has no dates");
	}
	json_object_set_new(o, "date_range", json_pack("{s:o, s:o}", "first_day", date_json(first_day), "last_day",
						       date_json(last_day)));
	/* "to date": today, or the last day of data when that is earlier */
	int as_of = today < last_day && today >= first_day ? today : last_day;
	if (summary_month_to_date(ctx, as_of, today, o, e) || summary_starters(ctx, as_of, first_day, today, o, o, e)) {
		json_decref(o);
		return err_recode(e, ERR_DATABASE);
	}
	*out = o;
	return 0;
}
