/*
 * ask: the question-to-answer pipeline. See ask.h.
 */
#include "ask.h"
#include "answer.h"
#include "date.h"
#include "dialect.h"
#include "engine.h"
#include "insight.h"
#include "lumps.h"
#include "parse.h"
#include "sandbox.h"
#include "sqlgen.h"
#include "strbuf.h"
#include "summaries.h"
#include "xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int load_vocabulary(struct ask_context *ctx, struct err *e)
{
	struct table t;
	table_init(&t);
	if (db_query(ctx->db, "SELECT dim, tag_key, value, name, cost FROM vocabulary", &t, 0, e)) {
		table_release(&t);
		return err_prefix(e, "cannot read the vocabulary (load data first)");
	}
	double best_currency_cost = -1;
	snprintf(ctx->currency, sizeof(ctx->currency), "USD");
	for (size_t r = 0; r < t.nrows; r++) {
		const struct cell *c = table_at(&t, r, 0);
		const char *text[4];
		for (int k = 0; k < 4; k++) {
			c = table_at(&t, r, (size_t)k);
			text[k] = c->kind == CELL_TEXT ? c->v.s : NULL;
		}
		double cost = cell_number(table_at(&t, r, 4));
		/* the currency of most of the cost, for formatting money */
		if (text[0] && strcmp(text[0], "currency") == 0 && text[2] && cost > best_currency_cost) {
			snprintf(ctx->currency, sizeof(ctx->currency), "%s", text[2]);
			best_currency_cost = cost;
		}
		vocab_add_data(&ctx->vocab, text[0], text[1], text[2], text[3], cost);
	}
	table_release(&t);
	return 0;
}

/* The dialects finq speaks, by the name of the engine that reads them. */
static const struct sql_dialect *const dialects[] = { &sql_dialect_duckdb, &sql_dialect_clickhouse,
								 &sql_dialect_trino };

const struct sql_dialect *ask_dialect(const struct db *db)
{
	/* The one place the engine's dialect is chosen: the embedded DuckDB,
	 * or the one named like the engine attached to db (engine.h).
	 * Everything else gets it from here. */
	const char *name = db->engine ? db->engine->name : "duckdb";
	for (size_t i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++)
		if (strcmp(dialects[i]->name, name) == 0)
			return dialects[i];
	return NULL;
}

int ask_queryf(const struct sql_dialect *dialect, struct db *db, struct table *out, struct err *e, const char *fmt,
	       ...)
{
	if (!dialect)
		return err_set_code(e, ERR_USAGE, "finq has no SQL dialect for the engine '%s'",
				    db->engine ? db->engine->name : "duckdb");
	va_list ap;
	va_start(ap, fmt);
	struct strbuf sql = STRBUF_INIT;
	int rc = sql_expandv(dialect, &sql, e, fmt, ap);
	va_end(ap);
	if (rc == 0)
		rc = db_query(db, sql.buf, out, 0, e);
	strbuf_release(&sql);
	return rc;
}

/* The daily summaries (sqlgen.h) that reflect every load and undo so far;
 * none when the database predates them or FINQ_SUMMARIES=off (to compare
 * answers with and without them). */
static unsigned fresh_summaries(struct db *db)
{
	const char *setting = getenv("FINQ_SUMMARIES");
	if (setting && strcmp(setting, "off") == 0)
		return 0;
	int64_t fresh = 0;
	struct err ignored = { 0 };
	if (db_query_int(db,
			 "SELECT count(*) FROM summary_state WHERE loads = (SELECT count(*) FROM loads)"
			 " AND undos = (SELECT count(*) FROM load_undos)",
			 &fresh, &ignored) || fresh != 1)
		return 0;
	/* a database loaded before costs_day_tag existed has no tag_summary
	 * column until its next load or undo */
	int64_t tags = 0;
	if (db_query_int(db, "SELECT count(*) FROM summary_state WHERE tag_summary", &tags, &ignored) || tags != 1)
		return SQL_SUMMARY_DAY | SQL_SUMMARY_DAY_DETAIL;
	/* costs_day_tag_value came with the layout column */
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM summary_state WHERE layout >= %d", SUMMARIES_LAYOUT);
	if (db_query_int(db, sql, &tags, &ignored) || tags != 1)
		return SQL_SUMMARY_DAY | SQL_SUMMARY_DAY_DETAIL | SQL_SUMMARY_DAY_TAG;
	return SQL_SUMMARY_DAY | SQL_SUMMARY_DAY_DETAIL | SQL_SUMMARY_DAY_TAG | SQL_SUMMARY_DAY_TAG_VALUE;
}

int ask_context_init(struct ask_context *ctx, struct db *db, struct err *e)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->db = db;
	ctx->dialect = ask_dialect(db);
	if (!ctx->dialect)
		return err_set_code(e, ERR_USAGE, "finq has no SQL dialect for the engine '%s'", db->engine->name);
	ctx->summaries = fresh_summaries(db);
	ctx->timeout_seconds = SANDBOX_DEFAULT_TIMEOUT;
	ctx->max_rows = SANDBOX_DEFAULT_MAX_ROWS;
	vocab_init(&ctx->vocab);
	const char *days_from = ctx->summaries & SQL_SUMMARY_DAY ? "costs_day" : "costs";
	if (load_vocabulary(ctx, e) || loaded_days_read(ctx->dialect, db, days_from, &ctx->loaded, e)) {
		vocab_release(&ctx->vocab);
		return -1;
	}
	return 0;
}

void ask_context_add_alias(struct ask_context *ctx, const char *name, const char *const *targets, int n)
{
	vocab_add_alias(&ctx->vocab, name, targets, n);
}

void ask_context_release(struct ask_context *ctx)
{
	vocab_release(&ctx->vocab);
}

void ask_context_ready(struct ask_context *ctx)
{
	if (!ctx->vocab_loaded) {
		vocab_finish(&ctx->vocab);
		ctx->vocab_loaded = true;
	}
}

/* "How I read it" of a plan with the parser's notes. */
static void interpretation_of(const struct plan *p, const char *notes, char *buf, size_t size)
{
	plan_describe(p, buf, size);
	if (notes[0]) {
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, " (%s)", notes);
	}
}

void ask_interpretation(const struct parse_result *parsed, char *buf, size_t size)
{
	interpretation_of(&parsed->plan, parsed->notes, buf, size);
}

/* A year among the question's words ("2018", "2018-10-01"): its dates are
 * meant as written, never moved to the data's own time. */
static bool year_written(const struct parse_result *parsed)
{
	for (size_t i = 0; i < parsed->nwords; i++) {
		const char *w = parsed->words[i].word;
		if ((w[0] == '1' || w[0] == '2') && isdigit((unsigned char)w[1]) && isdigit((unsigned char)w[2]) &&
		    isdigit((unsigned char)w[3]) && (w[4] == '\0' || w[4] == '-')) {
			int year = (w[0] - '0') * 1000 + (w[1] - '0') * 100 + (w[2] - '0') * 10 + (w[3] - '0');
			if (year >= 1990 && year <= 2100)
				return true;
		}
	}
	return false;
}

/* The sandbox's limits on a statement generated for ctx (the server's
 * --timeout, --max-statement, --max-result; its client's cancel). */
static struct sandbox_limits ask_limits(const struct ask_context *ctx, size_t max_rows)
{
	struct sandbox_limits limits = {
		.max_rows = max_rows,
		.timeout_seconds = ctx->timeout_seconds,
		.max_text_bytes = ctx->max_text_bytes,
		.max_result_bytes = ctx->max_result_bytes,
		.cancelled = ctx->cancelled,
		.cancel_arg = ctx->cancel_arg,
	};
	return limits;
}

/* The total of the period before the plan's range, for "up 4% from ...":
 * of the same days when the range is loaded only in part (*same_days),
 * none when the period before is not all loaded (periods_previous); why
 * says so. */
static bool previous_total(struct ask_context *ctx, const struct plan *p, struct answer_context *actx, char *why,
			   size_t why_size, bool *same_days)
{
	*same_days = false;
	if (p->intent != INTENT_TOTAL || p->group.dim != DIM_NONE || p->range.unit == UNIT_SPAN)
		return false;
	struct plan prev = *p;
	if (!periods_previous(&ctx->loaded, &p->range, &prev.range, same_days, why, why_size))
		return false;
	struct strbuf sql;
	strbuf_init(&sql, 0);
	struct table t;
	table_init(&t);
	struct err ignored = { 0 };
	struct sandbox_limits limits = ask_limits(ctx, 1);
	bool ok = sqlgen_build_on(&prev, ctx->dialect, ctx->summaries, &sql) == 0 &&
		  sandbox_query(ctx->db, sql.buf, &limits, &t, &ignored) == 0 && t.nrows == 1 &&
		  table_at(&t, 0, 0)->kind != CELL_NULL;
	if (ok) {
		actx->has_previous = true;
		actx->previous_total = cell_number(table_at(&t, 0, 0));
		snprintf(actx->previous_label, sizeof(actx->previous_label), "%s", prev.range.label);
		/* fees booked on one side only: the narrative says so */
		lumps_compare(ctx, p, &prev.range, &p->range, &actx->lumps);
	}
	table_release(&t);
	strbuf_release(&sql);
	return ok;
}

/*
 * "context": the plan a follow-up edits, when the answer used other dates
 * than the question's: the range moved to the data's own latest period
 * (periods_move_to_data), a comparison whose earlier period was cut to
 * the later one's days ("this month" on the 12th against Oct 1-12:
 * periods_compare_same_days; moved is true for both), or a total compared
 * by the same days because
 * its range runs past the loaded days ("the last 30 days" four days after
 * the data ended: Nov 4-30 against Oct 5-31), whose range becomes those
 * loaded days ("the last 30 days as loaded"). Re-reading the question's
 * dates instead moved them again, or compared 27 days against 30 after
 * "compare with the previous period". ask_previous_from_json() reads it.
 */
static void context_json(const struct ask_context *ctx, const struct plan *p, bool moved, bool same_days, json_t *o)
{
	struct plan context = *p;
	int from, to;
	bool clipped = same_days && loaded_overlap(&ctx->loaded, p->range.start_day, p->range.end_day, &from, &to) > 0 &&
		       (from > p->range.start_day || to < p->range.end_day);
	if (clipped) {
		char label[sizeof(context.range.label)];
		snprintf(label, sizeof(label), "%.50s as loaded", p->range.label);
		snprintf(context.range.label, sizeof(context.range.label), "%s", label);
		context.range.start_day = from;
		context.range.end_day = to;
	}
	if (!moved && !clipped)
		return;
	json_object_set_new(o, "context", plan_to_json(&context));
}

/* "lumps_by_item": the items of a grouped comparison whose change is
 * mostly lumps on one side, with their lumps by side and their days. */
static void lumps_items_json(const struct answer_context *actx, json_t *o)
{
	json_t *items = json_array();
	for (size_t i = 0; i < actx->nitem_lumps; i++) {
		const struct answer_item_lumps *l = &actx->item_lumps[i];
		if (!l->lumps.one_sided)
			continue;
		char first[16], last[16];
		date_format(l->lumps.first_day, first, sizeof(first));
		date_format(l->lumps.last_day, last, sizeof(last));
		json_array_append_new(items, json_pack("{s:s, s:f, s:f, s:s, s:s, s:i}", "label", l->label, "earlier",
						       l->lumps.earlier, "later", l->lumps.later, "first_day", first,
						       "last_day", last, "days", l->lumps.ndays));
	}
	if (json_array_size(items))
		json_object_set_new(o, "lumps_by_item", items);
	else
		json_decref(items);
}

/* What every request for an analysis of ctx's data starts from: its
 * statements run under the context's time limit, result cap and cancel. */
static void insight_request_start(struct ask_context *ctx, int today, struct insight_request *req)
{
	insight_request_init(req);
	req->db = ctx->db;
	req->dialect = ctx->dialect;
	req->state = ctx->state;
	req->today = today;
	req->currency = ctx->currency;
	req->timeout_seconds = ctx->timeout_seconds;
	req->max_result_bytes = ctx->max_result_bytes ? ctx->max_result_bytes : SANDBOX_DEFAULT_MAX_RESULT;
	req->cancelled = ctx->cancelled;
	req->cancel_arg = ctx->cancel_arg;
}

void ask_insight_request(struct ask_context *ctx, int today, const char *words, struct insight_request *req)
{
	insight_request_start(ctx, today, req);
	if (!words || !*words)
		return;
	req->text = words;
	ask_context_ready(ctx);
	struct parse_input in = { .question = words, .today = today, .vocab = &ctx->vocab };
	struct parse_result parsed;
	parse_question(&in, &parsed);
	const struct plan *p = &parsed.plan;
	if (p->intent == INTENT_CLARIFY || p->intent == INTENT_REFUSE || p->intent == INTENT_HELP)
		return;
	req->scope.nfilters = p->nfilters;
	for (int i = 0; i < p->nfilters; i++)
		req->scope.filters[i] = p->filters[i];
	req->scope.measure = p->measure == MEASURE_USAGE ? MEASURE_AMORTIZED : p->measure;
	if (!p->range_defaulted) {
		req->scope.range = p->range;
		req->scope.range_defaulted = false;
	}
	req->scope.periods[0] = p->periods[0];
	req->scope.periods[1] = p->periods[1];
	req->scope.intent = p->intent;
}

/* The request an analysis' plan makes: the plan is the scope. A drivers
 * plan that named two periods reads as a comparison of them, as the same
 * words would on the command line. */
static void insight_request_of(struct ask_context *ctx, const struct plan *p, int today, struct insight_request *req)
{
	insight_request_start(ctx, today, req);
	req->scope = *p;
	req->scope.intent = strcmp(p->insight, "drivers") == 0 && !p->range_defaulted ? INTENT_COMPARE_PERIODS
										     : INTENT_TOTAL;
	req->text = p->topic;
	req->months = p->months;
	req->limit = p->limit;
}

/* "How can I reduce CloudWatch costs?": the knowledge base's entries on the
 * question go under the recommendations, cited. Nothing when there is no
 * knowledge analysis or it finds nothing. */
static void add_knowledge(const struct insight_request *req, json_t *result, struct strbuf *md)
{
	const struct insight *kb = insight_find("knowledge");
	if (!kb || !req->text[0])
		return;
	struct insight_request kreq = *req;
	kreq.limit = 3;
	json_t *k = NULL;
	struct err ignored = { 0 };
	if (kb->run(&kreq, &k, &ignored) == 0 && json_array_size(json_object_get(k, "items"))) {
		strbuf_addstr(md, "\n\n**From the knowledge base**\n");
		size_t i;
		json_t *item;
		json_array_foreach(json_object_get(k, "items"), i, item) {
			const char *title = json_string_value(json_object_get(item, "title"));
			const char *url = json_string_value(json_object_get(item, "url"));
			const char *source = json_string_value(json_object_get(item, "source"));
			if (!title)
				continue;
			if (url && *url)
				strbuf_addf(md, "\n- [%s](%s)", title, url);
			else
				strbuf_addf(md, "\n- %s", title);
			if (source && *source)
				strbuf_addf(md, " (%s)", source);
		}
		json_object_set(result, "citations", json_object_get(k, "items"));
	}
	json_decref(k);
}

/* The answer object of an analysis' result: its narrative under its title,
 * its queries joined as the SQL, its table, charts and suggestions; the
 * result's own fields (title, method, items) under "insight". */
static json_t *insight_answer(const struct plan *p, json_t *result, const char *interpretation)
{
	struct strbuf md, sql;
	strbuf_init(&md, 0);
	strbuf_init(&sql, 0);
	const char *title = json_string_value(json_object_get(result, "title"));
	const char *message = json_string_value(json_object_get(result, "message"));
	if (title && *title)
		strbuf_addf(&md, "**%s**", title);
	if (message && *message)
		strbuf_addf(&md, "%s%s", md.len ? "\n\n" : "", message);
	json_t *citations = json_object_get(result, "citations");
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(result, "sql"), i, q)
		strbuf_addf(&sql, "%s%s;", i ? "\n\n" : "", json_string_value(q));
	json_t *o = json_object();
	json_object_set_new(o, "message", json_string(md.buf));
	json_object_set_new(o, "interpretation", json_string(interpretation));
	json_object_set_new(o, "plan", plan_to_json(p));
	json_object_set_new(o, "sql", sql.len ? json_string(sql.buf) : json_null());
	static const char *const copied[] = { "columns", "rows", "charts", "suggestions" };
	for (size_t k = 0; k < sizeof(copied) / sizeof(copied[0]); k++) {
		json_t *v = json_object_get(result, copied[k]);
		json_object_set_new(o, copied[k], json_is_array(v) ? json_incref(v) : json_array());
	}
	json_t *detail = json_object();
	json_object_set_new(detail, "name", json_string(p->insight));
	static const char *const kept[] = { "title", "method", "items" };
	for (size_t k = 0; k < sizeof(kept) / sizeof(kept[0]); k++) {
		json_t *v = json_object_get(result, kept[k]);
		if (v)
			json_object_set(detail, kept[k], v);
	}
	if (citations)
		json_object_set(detail, "citations", citations);
	json_object_set_new(o, "insight", detail);
	strbuf_release(&md);
	strbuf_release(&sql);
	return o;
}

/* An answer that says why the analysis gave none: message is a sentence. */
static json_t *insight_unanswered(const struct plan *p, const char *interpretation, const char *message)
{
	return json_pack("{s:s, s:s, s:o, s:n, s:[], s:[], s:[], s:[], s:s}", "message", message, "interpretation",
			 interpretation, "plan", plan_to_json(p), "sql", "columns", "rows", "charts", "suggestions",
			 "outcome", "refused");
}

/* Answer an INTENT_INSIGHT plan. An analysis this build lacks, or one that
 * finds nothing to analyse ("who owns vol-0…" for an id not in the bill),
 * is an answer that says so; only a failing engine is an error. */
static int ask_insight(struct ask_context *ctx, const struct parse_result *parsed, int today, json_t **answer,
		       struct err *e)
{
	const struct plan *p = &parsed->plan;
	char interpretation[1024], msg[ERR_MSG_MAX + 64];
	ask_interpretation(parsed, interpretation, sizeof(interpretation));
	const struct insight *in = insight_find(p->insight);
	if (!in) {
		snprintf(msg, sizeof(msg), "The %s analysis is not part of this build of finq.", p->insight);
		*answer = insight_unanswered(p, interpretation, msg);
		return 0;
	}
	struct insight_request req;
	insight_request_of(ctx, p, today, &req);
	json_t *result = NULL;
	if (in->run(&req, &result, e)) {
		if (e->code != ERR_NO_DATA && e->code != ERR_USAGE)
			return err_prefix(e, "the %s analysis failed", p->insight);
		snprintf(msg, sizeof(msg), "%c%s.", toupper((unsigned char)e->msg[0]), e->msg + 1);
		*answer = insight_unanswered(p, interpretation, msg);
		err_clear(e);
		return 0;
	}
	if (strcmp(p->insight, "recommend") == 0) {
		struct strbuf md;
		strbuf_init(&md, 0);
		strbuf_addstr(&md, json_string_value(json_object_get(result, "message")));
		add_knowledge(&req, result, &md);
		insight_set_message(result, md.buf);
		strbuf_release(&md);
	}
	*answer = insight_answer(p, result, interpretation);
	json_object_set_new(*answer, "outcome", json_string("answered"));
	json_decref(result);
	return 0;
}

json_t *ask_reading_json(const struct parse_result *parsed)
{
	json_t *words = json_array();
	for (size_t i = 0; i < parsed->nwords; i++) {
		const struct word_reading *w = &parsed->words[i];
		if (w->role == WORD_PUNCT)
			continue;
		json_t *o = json_pack("{s:s, s:s}", "word", w->word, "role", word_role_name(w->role));
		if (w->detail[0])
			json_object_set_new(o, "read_as", json_string(w->detail));
		if (w->corrected[0])
			json_object_set_new(o, "corrected", json_string(w->corrected));
		json_array_append_new(words, o);
	}
	return words;
}

/* What every answer says of how the question was read: its status and
 * the role of each word (`finq explain`, `\why`, the API). */
static void set_reading(json_t *answer, const struct parse_result *parsed)
{
	json_object_set_new(answer, "status", json_string(parse_status_name(parsed->status)));
	json_object_set_new(answer, "reading", ask_reading_json(parsed));
}

void ask_read(struct ask_context *ctx, const char *question, int today, const struct ask_previous *prev,
	      struct parse_result *parsed)
{
	ask_context_ready(ctx);
	struct parse_input in = {
		.question = question,
		.today = today,
		.vocab = &ctx->vocab,
		.previous = prev && prev->present ? &prev->plan : NULL,
		.previous_top_label = prev && prev->present && prev->top_label[0] ? prev->top_label : NULL,
		.answered = prev && prev->present && prev->has_answered ? &prev->answered : NULL,
		.answered_top_label = prev && prev->present && prev->has_answered && prev->answered_top_label[0]
					      ? prev->answered_top_label
					      : NULL,
	};
	parse_question(&in, parsed);
}

int ask_answer(struct ask_context *ctx, const char *question, int today, const struct ask_previous *prev,
	       json_t **answer, struct plan *plan_out, struct err *e)
{
	struct parse_result parsed;
	ask_read(ctx, question, today, prev, &parsed);
	*plan_out = parsed.plan;
	return ask_answer_parsed(ctx, &parsed, today, answer, e);
}

/* A usage question whose rows would add up different units: which unit? */
static json_t *mixed_units_answer(const struct plan *p, const struct parse_result *parsed, const char *units,
				  const char *sql)
{
	char interpretation[1024], message[1024];
	interpretation_of(p, parsed->notes, interpretation, sizeof(interpretation));
	snprintf(message, sizeof(message),
		 "That usage is measured in several units here (%s), and adding them up would mean nothing. "
		 "Which one should I show? Name a unit or a usage type, for example \"usage in %.*s\".",
		 units, (int)strcspn(units, ","), units);
	json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:[], s:[], s:[], s:[], s:s, s:b}", "message", message,
			      "interpretation", interpretation, "plan", plan_to_json(p), "sql", sql, "columns", "rows",
			      "charts", "suggestions", "outcome", "clarified", "followup", parsed->followup);
	set_reading(o, parsed);
	return o;
}

int ask_answer_parsed(struct ask_context *ctx, const struct parse_result *parsed, int today, json_t **answer,
		      struct err *e)
{
	double started = now_ms();
	const struct plan *p = &parsed->plan;
	/* relative dates of data that ended long ago: its own latest period */
	struct plan moved = parsed->plan;
	char moved_note[512] = "";
	if (periods_move_to_data(&ctx->loaded, today, &moved, year_written(parsed), moved_note, sizeof(moved_note)))
		p = &moved;
	/* "compare this month with last month" on the 12th: Nov 1-12 against
	 * Oct 1-12, as a total against the period before does */
	char why[256] = "";
	bool compared_same_days = periods_compare_same_days(&ctx->loaded, &moved, why, sizeof(why));
	if (compared_same_days)
		p = &moved;
	if (p->intent == INTENT_INSIGHT) {
		if (ask_insight(ctx, parsed, today, answer, e))
			return -1;
		json_object_set_new(*answer, "followup", json_boolean(parsed->followup));
		set_reading(*answer, parsed);
		json_object_set_new(*answer, "elapsed_ms", json_real(now_ms() - started));
		return 0;
	}

	struct strbuf sql, md;
	strbuf_init(&sql, 0);
	strbuf_init(&md, 0);
	struct table t;
	table_init(&t);
	int rc = 0;
	bool runs = sqlgen_build_on(p, ctx->dialect, ctx->summaries, &sql) == 0;
	if (runs) {
		struct sandbox_limits limits = ask_limits(ctx, ctx->max_rows);
		if (sandbox_query(ctx->db, sql.buf, &limits, &t, e)) {
			rc = err_prefix(e, "the query failed");
			goto out;
		}
	}
	char units[256];
	if (runs && answer_mixed_units(p, &t, units, sizeof(units))) {
		*answer = mixed_units_answer(p, parsed, units, sql.buf);
		goto out;
	}
	struct answer_context actx;
	answer_context_init(&actx);
	actx.currency = ctx->currency;
	bool same_days = false;
	if (runs)
		previous_total(ctx, p, &actx, why, sizeof(why), &same_days);
	if (runs && p->intent == INTENT_COMPARE_PERIODS && p->group.dim == DIM_NONE)
		lumps_compare(ctx, p, &p->periods[0], &p->periods[1], &actx.lumps);
	if (runs && p->intent == INTENT_TREND)
		lumps_series(ctx, p, &t, &actx);
	struct answer_item_lumps *item_lumps = NULL;
	if (runs && (p->intent == INTENT_COMPARE_PERIODS || p->intent == INTENT_MOVERS) && p->group.dim != DIM_NONE)
		lumps_compare_items(ctx, p, &t, &actx.lumps, &item_lumps, &actx.nitem_lumps);
	actx.item_lumps = item_lumps;
	if (moved_note[0])
		strbuf_addf(&md, "%s\n\n", moved_note);
	answer_narrate(p, &t, &actx, &md);
	/* what the data does not cover, and what a change compares */
	struct strbuf coverage;
	strbuf_init(&coverage, 0);
	if (runs)
		periods_coverage_note(&ctx->loaded, p, compared_same_days, &coverage);
	if (why[0])
		strbuf_addf(&coverage, "%s%s", coverage.len ? " " : "", why);
	if (coverage.len)
		strbuf_addf(&md, "\n\n%s", coverage.buf);

	char interpretation[1024];
	interpretation_of(p, parsed->notes, interpretation, sizeof(interpretation));
	json_t *o = json_object();
	json_object_set_new(o, "message", json_string(md.buf));
	json_object_set_new(o, "interpretation", json_string(interpretation));
	json_object_set_new(o, "plan", plan_to_json(p));
	json_object_set_new(o, "sql", runs ? json_string(sql.buf) : json_null());
	json_t *result = table_to_json(&t);
	json_object_set(o, "columns", json_object_get(result, "columns"));
	json_object_set(o, "rows", json_object_get(result, "rows"));
	if (t.truncated)
		json_object_set_new(o, "truncated", json_true());
	json_decref(result);
	json_t *charts = json_array();
	json_t *chart = runs ? answer_chart_ctx(p, &t, &actx) : NULL;
	if (chart)
		json_array_append_new(charts, chart);
	json_object_set_new(o, "charts", charts);
	char suggestions[4][ANSWER_SUGGESTION_MAX];
	int ns = answer_suggest(p, &t, suggestions, 4);
	json_t *js = json_array();
	for (int i = 0; i < ns; i++)
		json_array_append_new(js, json_string(suggestions[i]));
	json_object_set_new(o, "suggestions", js);
	json_object_set_new(o, "followup", json_boolean(parsed->followup));
	set_reading(o, parsed);
	json_object_set_new(o, "outcome", json_string(p->intent == INTENT_CLARIFY ? "clarified"
						       : p->intent == INTENT_REFUSE ? "refused" : "answered"));
	if (actx.lumps.one_sided) {
		char first[16], last[16];
		date_format(actx.lumps.first_day, first, sizeof(first));
		date_format(actx.lumps.last_day, last, sizeof(last));
		json_object_set_new(o, "lumps", json_pack("{s:f, s:f, s:s, s:s, s:i}", "earlier", actx.lumps.earlier,
							   "later", actx.lumps.later, "first_day", first, "last_day",
							   last, "days", actx.lumps.ndays));
	}
	lumps_items_json(&actx, o);
	context_json(ctx, p, p == &moved, same_days, o);
	free(item_lumps);
	if (moved_note[0] || coverage.len)
		json_object_set_new(o, "periods_note", json_pack("{s:s?, s:s?}", "moved", moved_note[0] ? moved_note : NULL,
								 "coverage", coverage.len ? coverage.buf : NULL));
	strbuf_release(&coverage);
	json_object_set_new(o, "elapsed_ms", json_real(now_ms() - started));
	*answer = o;
out:
	table_release(&t);
	strbuf_release(&sql);
	strbuf_release(&md);
	return rc;
}

void ask_previous_keep_answered(struct ask_previous *prev, const struct plan *answered, const char *top_label)
{
	prev->has_answered = true;
	prev->answered = *answered;
	snprintf(prev->answered_top_label, sizeof(prev->answered_top_label), "%s", top_label);
}

void ask_previous_advance(struct ask_previous *prev, const char *plan_json, const char *answer_json)
{
	struct ask_previous next;
	if (ask_previous_from_json(plan_json, answer_json, &next))
		return;
	/* a question asked back keeps the last answer as the context of a
	 * turn that does not answer it */
	if (next.present && !plan_answers(&next.plan)) {
		if (prev->present && plan_answers(&prev->plan))
			ask_previous_keep_answered(&next, &prev->plan, prev->top_label);
		else if (prev->present && prev->has_answered)
			ask_previous_keep_answered(&next, &prev->answered, prev->answered_top_label);
	}
	*prev = next;
}

int ask_previous_from_json(const char *plan_json, const char *answer_json, struct ask_previous *prev)
{
	memset(prev, 0, sizeof(*prev));
	if (!plan_json)
		return 0;
	json_t *plan = json_loads(plan_json, 0, NULL);
	if (!plan || plan_from_json(plan, &prev->plan)) {
		json_decref(plan);
		return -1;
	}
	json_decref(plan);
	prev->present = true;
	json_t *answer = answer_json ? json_loads(answer_json, 0, NULL) : NULL;
	/* the dates the answer used, when they were not the question's */
	struct plan context;
	json_t *context_json = json_object_get(answer, "context");
	if (context_json && plan_from_json(context_json, &context) == 0) {
		prev->plan = context;
		prev->carried = true;
	}
	/* "the top one": the first real label; a placeholder only when alone */
	json_t *rows = json_object_get(answer, "rows");
	const char *first = NULL, *real = NULL;
	for (size_t i = 0; i < json_array_size(rows) && !real; i++) {
		const char *label = json_string_value(json_array_get(json_array_get(rows, i), 0));
		if (!label)
			break;
		if (!first)
			first = label;
		if (strcmp(label, "(untagged)") != 0 && strcmp(label, "(none)") != 0)
			real = label;
	}
	snprintf(prev->top_label, sizeof(prev->top_label), "%s", real ? real : first ? first : "");
	json_decref(answer);
	return 0;
}
