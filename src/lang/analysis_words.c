/*
 * analysis_words: which analysis of insight.h a question asks for
 * (anomalies, drivers, forecast, commitments, recommend, owners,
 * architecture, knowledge) and how far ahead a forecast looks. Pure.
 */
#include "parse_internal.h"
#include "date.h"
#include "lexicon.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Does the question open by asking what something is or how it works
 * ("what is", "what are", "what's", "explain", "how does")? */
static bool asks_definition(const struct reading *r)
{
	static const struct {
		const char *first, *second;
	} openers[] = {
		{ "what", "a" }, { "what", "an" }, { "what", "are" }, { "what", "is" }, { "whats", NULL },
	};
	if (parse_has_cue(r, CUE_EXPLAIN) || parse_has_cue(r, CUE_HOW_TO))
		return true;
	if (r->toks.n == 0)
		return false;
	for (size_t i = 0; i < sizeof(openers) / sizeof(openers[0]); i++)
		if (tok_is(&r->toks, 0, openers[i].first) &&
		    (!openers[i].second || tok_is(&r->toks, 1, openers[i].second)))
			return true;
	/* the lexer drops a possessive "'s": "what's" is "what" and an apostrophe */
	const char *after = r->text + r->toks.items[0].offset + r->toks.items[0].text.n;
	return tok_is(&r->toks, 0, "what") && (after[0] == '\'' || strncmp(after, "\xe2\x80\x99", 3) == 0);
}

/* A question about a concept rather than about the data: "what is a
 * savings plan", "explain amortized cost", "how does spot pricing work".
 * Data vocabulary decides against it: a time, a grouping or ranking, a
 * question about "my"/"our" spend, cost words without a measure's name. */
static bool asks_knowledge(const struct reading *r)
{
	static const enum cue data_cues[] = {
		CUE_TOP, CUE_BOTTOM, CUE_MOST, CUE_LEAST, CUE_BY, CUE_EACH, CUE_BREAKDOWN, CUE_TOTAL, CUE_TREND,
		CUE_DAILY, CUE_WEEKLY, CUE_MONTHLY, CUE_QUARTERLY, CUE_YEARLY, CUE_COMPARE, CUE_VERSUS, CUE_MOM,
		CUE_WOW, CUE_QOQ, CUE_YOY, CUE_AVERAGE, CUE_PER_DAY, CUE_SHARE, CUE_RUN_RATE, CUE_MORE_THAN,
		CUE_LESS_THAN, CUE_USAGE, CUE_UNIT_GB, CUE_UNIT_HOURS, CUE_UNIT_REQUESTS, CUE_UNTAGGED,
		CUE_INCREASE, CUE_DECREASE, CUE_CHANGE, /* "what's trending up", "what's the change": the data moving */
	};
	static const enum cue concept_measures[] = { CUE_AMORTIZED, CUE_UNBLENDED, CUE_NET, CUE_LIST };
	static const char *const possessives[] = { "my", "our", "we", "us", NULL };
	if (!asks_definition(r) || r->ntimes > 0 || parse_has_any_cue(r, data_cues, sizeof(data_cues) / sizeof(data_cues[0])))
		return false;
	bool values = false, dimensions = false, possessive = false;
	for (size_t i = 0; i < r->nnames; i++) {
		if (parse_is_dimension_hit(&r->names[i]))
			dimensions = true;
		else
			values = true;
	}
	for (size_t i = 0; i < r->toks.n; i++)
		possessive |= tok_in(&r->toks, i, possessives);
	bool cost = parse_has_cue(r, CUE_COST);
	bool measure = parse_has_any_cue(r, concept_measures, sizeof(concept_measures) / sizeof(concept_measures[0]));
	if (possessive && (cost || values))
		return false;
	if (cost && !measure)
		return false;
	/* "what is 2+2": no word at all to look up */
	bool word = false;
	for (size_t i = 2; i < r->toks.n && !word; i++)
		word = r->toks.items[i].kind == TOK_WORD && !lexicon_is_function_word(&r->toks.items[i].text);
	if (!word && !values && !dimensions)
		return false;
	/* "what are the accounts" lists data; "how do I tag resources" asks how */
	return !dimensions || parse_has_cue(r, CUE_EXPLAIN) || parse_has_cue(r, CUE_HOW_TO);
}

/* The analysis a question asks for, or NULL. ranked, grouped and compare
 * say what the rest of the question asks: "which service spiked the
 * most" ranks movers, "did EC2 jump from September to October" compares. */
const char *parse_insight_of(const struct reading *r, bool ranked, bool grouped, bool compare)
{
	static const enum cue changes[] = { CUE_INCREASE, CUE_DECREASE, CUE_CHANGE, CUE_SPIKE };
	static const enum cue horizons[] = {
		CUE_HORIZON_MONTH, CUE_HORIZON_QUARTER, CUE_HORIZON_YEAR,
		CUE_END_OF_MONTH, CUE_END_OF_QUARTER, CUE_END_OF_YEAR,
	};
	bool change = parse_has_any_cue(r, changes, sizeof(changes) / sizeof(changes[0]));
	/* "why is October 8% higher than September": a change between two
	 * periods told as a comparison */
	change |= parse_has_cue(r, CUE_WHY) && r->ntimes >= 2 &&
		  (parse_has_cue(r, CUE_MORE_THAN) || parse_has_cue(r, CUE_LESS_THAN));
	bool values = false;
	for (size_t i = 0; i < r->nnames; i++)
		values |= !parse_is_dimension_hit(&r->names[i]);
	bool subject = parse_has_cue(r, CUE_COST) || values;
	bool future = parse_has_cue(r, CUE_FUTURE) ||
		      parse_has_any_cue(r, horizons, sizeof(horizons) / sizeof(horizons[0]));
	const struct cue_hit *reduce = parse_find_cue(r, CUE_REDUCE);

	if (parse_has_cue(r, CUE_ANOMALY))
		return "anomalies";
	/* "which five services contributed the most to our spend in October":
	 * a ranking of one period's parts, not an explanation of a change */
	bool share_of_one_period = parse_has_cue(r, CUE_DRIVER) && !parse_has_cue(r, CUE_WHY) && !change && grouped &&
				   (parse_has_cue(r, CUE_MOST) || parse_has_cue(r, CUE_TOP) || parse_has_cue(r, CUE_WHICH));
	/* "which regions drove the increase", "which operations caused the
	 * change": the change ranked by the parts named, which the drivers
	 * analysis (accounts, usage, rates) would not show */
	bool movers_of_parts = parse_has_cue(r, CUE_DRIVER) && !parse_has_cue(r, CUE_WHY) && change && grouped &&
			       parse_has_cue(r, CUE_WHICH);
	if ((parse_has_cue(r, CUE_WHY) || parse_has_cue(r, CUE_DRIVER) || (parse_has_cue(r, CUE_EXPLAIN) && change)) &&
	    (change || subject) && !share_of_one_period && !movers_of_parts)
		return "drivers";
	/* "from September to October" names two periods to compare */
	bool two_periods = r->ntimes >= 2 || (r->ntimes == 1 && r->times[0].is_span &&
					      r->times[0].to.start_day > r->times[0].from.start_day);
	if (parse_has_cue(r, CUE_SPIKE) && !ranked && !grouped && !compare && !two_periods)
		return "anomalies";
	if (parse_has_cue(r, CUE_FORECAST) || (future && subject))
		return "forecast";
	/* "SP coverage", "RI utilization", "what did the reserved instances
	 * save us"; utilization without a commitment word was refused before */
	if (parse_has_cue(r, CUE_COMMITMENT) || parse_has_cue(r, CUE_UTILIZATION) ||
	    (reduce && !parse_has_cue(r, CUE_HOW_TO) && !parse_has_cue(r, CUE_RECOMMEND) && parse_says_commitment(r)))
		return "commitments";
	/* "what can we save on EC2", "where could we cut": a reduction that may
	 * be made, not one that was */
	static const char *const modals[] = { "can", "could", "should", "might", NULL };
	bool may_be_made = false;
	for (size_t i = reduce && reduce->first >= 3 ? reduce->first - 3 : 0; reduce && i < reduce->first; i++)
		may_be_made |= tok_in(&r->toks, i, modals);
	/* "reduce our bill", "please do the needful and cut EC2 costs": the
	 * verb leads, after nothing but function words */
	bool leads = reduce != NULL;
	for (size_t i = 0; reduce && i < reduce->first && leads; i++)
		leads = r->toks.items[i].kind == TOK_PUNCT || lexicon_is_function_word(&r->toks.items[i].text) ||
			tok_is(&r->toks, i, "do");
	if (parse_has_cue(r, CUE_RECOMMEND) || (reduce && (parse_has_cue(r, CUE_HOW_TO) || leads || may_be_made)))
		return "recommend";
	if (parse_has_cue(r, CUE_OWNER))
		return "owners";
	if (parse_has_cue(r, CUE_ARCHITECTURE))
		return "architecture";
	if (asks_knowledge(r))
		return "knowledge";
	return NULL;
}

/* Months ahead a forecast question asks about: "end of the month" 0,
 * "next quarter" 3, "next 6 months" 6, a named future period up to its
 * last month; 0 when it does not say. */
int parse_forecast_months(const struct reading *r, int today)
{
	static const struct {
		enum cue cue;
		int months; /* -1: to the end of this quarter, -2: of this year */
	} horizons[] = {
		{ CUE_END_OF_MONTH, 0 }, { CUE_END_OF_QUARTER, -1 }, { CUE_END_OF_YEAR, -2 },
		{ CUE_HORIZON_MONTH, 1 }, { CUE_HORIZON_QUARTER, 3 }, { CUE_HORIZON_YEAR, 12 },
	};
	static const struct {
		const char *unit;
		int months;
	} units[] = { { "month", 1 }, { "months", 1 }, { "quarter", 3 }, { "quarters", 3 }, { "year", 12 }, { "years", 12 } };
	int y, m, d, months = 0;
	date_to_ymd(today, &y, &m, &d);
	for (size_t i = 0; i < sizeof(horizons) / sizeof(horizons[0]); i++)
		if (parse_has_cue(r, horizons[i].cue)) {
			months = horizons[i].months == -1 ? 2 - (m - 1) % 3 : horizons[i].months == -2 ? 12 - m : horizons[i].months;
			goto out;
		}
	/* "the next 6 months", "the coming two quarters" */
	const struct cue_hit *next = parse_find_cue(r, CUE_NEXT);
	if (next) {
		double n = parse_number_at(r, next->last + 1);
		for (size_t u = 0; n >= 1 && n == floor(n) && u < sizeof(units) / sizeof(units[0]); u++)
			if (tok_is(&r->toks, next->last + 2, units[u].unit)) {
				months = (int)n * units[u].months;
				goto out;
			}
	}
	/* a period named in the future: up to its last month */
	for (size_t k = 0; k < r->ntimes; k++) {
		int ey, em, ed;
		if (r->times[k].period.end_day <= today + 1)
			continue;
		date_to_ymd(r->times[k].period.end_day - 1, &ey, &em, &ed);
		months = (ey * 12 + em) - (y * 12 + m);
		break;
	}
out:
	return months < 0 ? 0 : months > PLAN_MONTHS_MAX ? PLAN_MONTHS_MAX : months;
}
