/*
 * lexicon: the closed word lists of finq's language. See lexicon.h.
 *
 * Every list is sorted (binary search; a unit test checks the order) and
 * holds lower-case words as the lexer writes them. To teach finq a word:
 * a cue when the parser must act on it, a function word only when it
 * carries no meaning a plan could lose ("the", "please"); a word that
 * qualifies what is asked ("weekends", "euros") is neither, so that finq
 * asks about it instead of dropping it.
 */
#include "lexicon.h"
#include "dims.h"
#include "vocab.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The parser's words, sorted by phrase (multi-word phrases are matched
 * before their first word alone). */
static const struct {
	const char *phrase;
	enum cue cue;
} cues[] = {
	{ "!=", CUE_EXCLUDE }, { "<", CUE_LESS_THAN }, { "<>", CUE_EXCLUDE }, { ">", CUE_MORE_THAN }, { "a", CUE_FILLER }, { "a day", CUE_PER_DAY }, { "a full year", CUE_RUN_RATE },
	{ "a line each", CUE_COMPARE }, { "a month earlier", CUE_PERIOD_BEFORE }, { "a row each", CUE_COMPARE }, { "a year earlier", CUE_PERIOD_BEFORE },
	{ "abnormal", CUE_ANOMALY }, { "about", CUE_FILLER }, { "above", CUE_MORE_THAN }, { "across", CUE_EACH },
	{ "actual", CUE_FILLER }, { "add", CUE_FILLER }, { "after credit", CUE_FILLER }, { "after discounts", CUE_NET }, { "after refund", CUE_FILLER }, { "against", CUE_VERSUS }, { "aggregate", CUE_TOTAL }, { "all", CUE_FILLER },
	{ "all but", CUE_EXCLUDE }, { "altogether", CUE_TOTAL }, { "amortised", CUE_AMORTIZED },
	{ "amortized", CUE_AMORTIZED }, { "amount", CUE_COST }, { "an", CUE_FILLER }, { "and", CUE_FILLER },
	{ "and what about", CUE_FOLLOWUP }, { "annual", CUE_YEARLY }, { "annual review", CUE_FILLER }, { "annualised", CUE_RUN_RATE },
	{ "annualized", CUE_RUN_RATE }, { "annually", CUE_YEARLY }, { "anomalies", CUE_ANOMALY },
	{ "anomalous", CUE_ANOMALY }, { "anomaly", CUE_ANOMALY }, { "any", CUE_FILLER },
	{ "apart from", CUE_EXCLUDE }, { "architecture", CUE_ARCHITECTURE }, { "are", CUE_FILLER },
	{ "area", CUE_CHART_AREA }, { "as", CUE_FILLER }, { "asc", CUE_ASCENDING }, { "ascending", CUE_ASCENDING }, { "at", CUE_FILLER }, { "at least", CUE_MORE_THAN },
	{ "at most", CUE_LESS_THAN }, { "at the current rate", CUE_RUN_RATE }, { "at the same rate", CUE_RUN_RATE }, { "at this pace", CUE_RUN_RATE }, { "at this rate", CUE_RUN_RATE }, { "average", CUE_AVERAGE }, { "avg", CUE_AVERAGE }, { "back to", CUE_FOLLOWUP }, { "bar", CUE_CHART_BAR },
	{ "be", CUE_FILLER }, { "been", CUE_FILLER }, { "been paid", CUE_NOT_BILLING }, { "before that", CUE_PERIOD_BEFORE },
	{ "begin with", CUE_STARTS_WITH }, { "beginning with", CUE_STARTS_WITH }, { "begins with", CUE_STARTS_WITH }, { "behind", CUE_DRIVER }, { "being used", CUE_UTILIZATION }, { "belong to", CUE_OWNER }, { "belongs to", CUE_OWNER },
	{ "below", CUE_LESS_THAN }, { "besides", CUE_EXCLUDE }, { "biggest", CUE_MOST }, { "bill", CUE_COST },
	{ "billed", CUE_UNBLENDED }, { "billing", CUE_COST }, { "billing period", CUE_FILLER }, { "blew up", CUE_SPIKE }, { "blow up", CUE_SPIKE }, { "blown up", CUE_SPIKE }, { "bottom", CUE_BOTTOM }, { "break", CUE_BREAKDOWN },
	{ "break down", CUE_BREAKDOWN }, { "breakdown", CUE_BREAKDOWN }, { "breakup", CUE_BREAKDOWN }, { "bring", CUE_FILLER }, { "bring down", CUE_REDUCE }, { "bring it down", CUE_REDUCE }, { "bring that down", CUE_REDUCE }, { "bring this down", CUE_REDUCE },
	{ "broken down", CUE_BREAKDOWN }, { "bucks", CUE_COST }, { "burn", CUE_COST },
	{ "burn rate", CUE_RUN_RATE }, { "burning", CUE_COST }, { "but not", CUE_EXCLUDE }, { "by", CUE_BY },
	{ "by billing period", CUE_MONTHLY }, { "by day", CUE_DAILY }, { "by month", CUE_MONTHLY }, { "by quarter", CUE_QUARTERLY },
	{ "by week", CUE_WEEKLY }, { "by year", CUE_YEARLY }, { "can", CUE_FILLER }, { "carbon", CUE_NOT_BILLING },
	{ "cause", CUE_DRIVER }, { "caused", CUE_DRIVER }, { "causing", CUE_DRIVER }, { "change", CUE_CHANGE },
	{ "changed", CUE_CHANGE }, { "charge", CUE_COST }, { "chargeback", CUE_COST }, { "chargebacks", CUE_COST }, { "charged", CUE_COST }, { "charges", CUE_COST },
	{ "chart", CUE_FILLER }, { "cheaper than", CUE_LESS_THAN }, { "cheapest", CUE_LEAST },
	{ "cheapest first", CUE_ASCENDING }, { "climb", CUE_INCREASE }, { "climbed", CUE_INCREASE }, { "combined", CUE_TOTAL }, { "coming", CUE_NEXT },
	{ "commitment", CUE_COMMITMENT }, { "commitment discount", CUE_COMMITMENT }, { "commitment discounts", CUE_COMMITMENT }, { "commitments", CUE_COMMITMENT },
	{ "compare", CUE_COMPARE }, { "compared", CUE_VERSUS }, { "compared to", CUE_VERSUS },
	{ "compared with", CUE_VERSUS }, { "comparison", CUE_COMPARE }, { "compute model", CUE_ARCHITECTURE }, { "consumed", CUE_FILLER }, { "consumed quantity", CUE_USAGE },
	{ "contributed", CUE_DRIVER }, { "cost", CUE_COST }, { "costed", CUE_COST }, { "costing", CUE_COST },
	{ "costliest", CUE_MOST }, { "could", CUE_FILLER }, { "count", CUE_COUNT }, { "count of", CUE_COUNT },
	{ "cover", CUE_COMMITMENT }, { "coverage", CUE_COMMITMENT },
	{ "cpu", CUE_NOT_BILLING }, { "customers", CUE_NOT_BILLING }, { "cut", CUE_REDUCE },
	{ "cutting", CUE_REDUCE }, { "daily", CUE_DAILY }, { "data processed", CUE_USAGE }, { "data scanned", CUE_USAGE }, { "data stored", CUE_USAGE }, { "day after", CUE_PERIOD_AFTER }, { "day before", CUE_PERIOD_BEFORE }, { "day by day", CUE_DAILY }, { "day of the week", CUE_NOT_BILLING }, { "decline", CUE_DECREASE },
	{ "declined", CUE_DECREASE }, { "decrease", CUE_DECREASE }, { "decreased", CUE_DECREASE },
	{ "decreasing", CUE_DECREASE }, { "define", CUE_EXPLAIN }, { "definition", CUE_EXPLAIN }, { "desc", CUE_FILLER },
	{ "descending", CUE_FILLER }, { "develop", CUE_TREND }, { "developed", CUE_TREND }, { "did", CUE_FILLER }, { "difference", CUE_DIFFERENCE }, { "dig into", CUE_DRILL },
	{ "disk space", CUE_NOT_BILLING }, { "display", CUE_ASK }, { "do", CUE_FILLER }, { "does", CUE_FILLER },
	{ "dollar", CUE_COST }, { "donut", CUE_CHART_DOUGHNUT }, { "doughnut", CUE_CHART_DOUGHNUT },
	{ "down", CUE_FILLER }, { "drill", CUE_DRILL }, { "drill down", CUE_DRILL }, { "drill into", CUE_DRILL },
	{ "drive", CUE_DRIVER }, { "driven", CUE_DRIVER }, { "driver", CUE_DRIVER }, { "driving", CUE_DRIVER },
	{ "drop", CUE_DECREASE }, { "dropped", CUE_DECREASE }, { "drove", CUE_DRIVER }, { "each", CUE_EACH },
	{ "each billing period", CUE_MONTHLY }, { "each day", CUE_DAILY }, { "each month", CUE_MONTHLY }, { "each week", CUE_WEEKLY },
	{ "effective", CUE_AMORTIZED }, { "eligible", CUE_COMMITMENT }, { "emissions", CUE_NOT_BILLING }, { "end of month", CUE_END_OF_MONTH },
	{ "end of quarter", CUE_END_OF_QUARTER }, { "end of the current month", CUE_END_OF_MONTH }, { "end of the current year", CUE_END_OF_YEAR }, { "end of the month", CUE_END_OF_MONTH },
	{ "end of the quarter", CUE_END_OF_QUARTER }, { "end of the year", CUE_END_OF_YEAR },
	{ "end of this month", CUE_END_OF_MONTH }, { "end of this year", CUE_END_OF_YEAR }, { "end of year", CUE_END_OF_YEAR }, { "engineers", CUE_NOT_BILLING }, { "eom", CUE_END_OF_MONTH },
	{ "error rate", CUE_NOT_BILLING }, { "estimate", CUE_FORECAST }, { "estimation", CUE_FORECAST }, { "eventually", CUE_FILLER }, { "every", CUE_EACH }, { "every month", CUE_MONTHLY }, { "everything but", CUE_EXCLUDE },
	{ "evolution", CUE_TREND }, { "evolve", CUE_TREND }, { "evolved", CUE_TREND }, { "ex", CUE_EXCLUDE },
	{ "exceed", CUE_MORE_THAN }, { "exceeded", CUE_MORE_THAN }, { "exceeding", CUE_MORE_THAN },
	{ "exceeds", CUE_MORE_THAN }, { "except", CUE_EXCLUDE }, { "excepted", CUE_EXCLUDE }, { "excepting", CUE_EXCLUDE }, { "excl", CUE_EXCLUDE },
	{ "exclude", CUE_EXCLUDE }, { "excluded", CUE_EXCLUDE }, { "excluding", CUE_EXCLUDE }, { "expected to", CUE_FORECAST },
	{ "expense", CUE_COST }, { "expensive", CUE_COST }, { "explain", CUE_EXPLAIN }, { "explains", CUE_DRIVER },
	{ "fall", CUE_DECREASE }, { "falling", CUE_DECREASE }, { "fastest", CUE_MOST }, { "fell", CUE_DECREASE },
	{ "fewer than", CUE_LESS_THAN }, { "flag", CUE_ASK }, { "flip it", CUE_ASCENDING }, { "flip the order", CUE_ASCENDING }, { "focus on", CUE_ONLY }, { "following day", CUE_PERIOD_AFTER }, { "following month", CUE_PERIOD_AFTER }, { "following quarter", CUE_PERIOD_AFTER }, { "following week", CUE_PERIOD_AFTER }, { "footprint", CUE_NOT_BILLING }, { "for", CUE_FILLER },
	{ "for each", CUE_EACH }, { "forecast", CUE_FORECAST }, { "forecasted", CUE_FORECAST },
	{ "fraction", CUE_SHARE }, { "from", CUE_FILLER }, { "gb", CUE_UNIT_GB }, { "get", CUE_ASK },
	{ "gib", CUE_UNIT_GB }, { "gigabyte", CUE_UNIT_GB }, { "give", CUE_ASK }, { "go", CUE_FILLER },
	{ "go down", CUE_DECREASE }, { "go up", CUE_INCREASE }, { "goes down", CUE_DECREASE },
	{ "goes up", CUE_INCREASE }, { "going down", CUE_DECREASE }, { "going to", CUE_FUTURE },
	{ "going up", CUE_INCREASE }, { "gone down", CUE_DECREASE }, { "gone up", CUE_INCREASE },
	{ "grand total", CUE_TOTAL }, { "graph", CUE_FILLER }, { "greater than", CUE_MORE_THAN }, { "grew", CUE_INCREASE },
	{ "group by", CUE_BY }, { "grouped by", CUE_BY }, { "grow", CUE_INCREASE }, { "growing", CUE_INCREASE },
	{ "grown", CUE_INCREASE }, { "growth", CUE_INCREASE }, { "had", CUE_FILLER }, { "hang on", CUE_FILLER }, { "has", CUE_FILLER },
	{ "have", CUE_FILLER }, { "having", CUE_FILLER }, { "having sum", CUE_FILLER }, { "having the sum", CUE_FILLER }, { "having total", CUE_FILLER }, { "headcount", CUE_NOT_BILLING }, { "healthy", CUE_NOT_BILLING },
	{ "help", CUE_HELP }, { "higher than", CUE_MORE_THAN }, { "highest", CUE_MOST }, { "history", CUE_TREND }, { "holds", CUE_RUN_RATE },
	{ "horizontal bar", CUE_CHART_HBAR }, { "horizontal bars", CUE_CHART_HBAR }, { "hour", CUE_UNIT_HOURS },
	{ "how", CUE_ASK }, { "how about", CUE_FOLLOWUP }, { "how can", CUE_HOW_TO }, { "how come", CUE_WHY },
	{ "how could", CUE_HOW_TO }, { "how do", CUE_HOW_TO }, { "how does", CUE_HOW_TO },
	{ "how many", CUE_USAGE }, { "how much", CUE_ASK }, { "how should", CUE_HOW_TO }, { "how to", CUE_HOW_TO },
	{ "hr", CUE_UNIT_HOURS }, { "hrs", CUE_UNIT_HOURS }, { "i", CUE_FILLER }, { "i mean", CUE_FILLER }, { "i meant", CUE_INSTEAD }, { "i said", CUE_FILLER }, { "ignore", CUE_EXCLUDE },
	{ "ignoring", CUE_EXCLUDE }, { "in", CUE_FILLER }, { "in ascending order", CUE_ASCENDING }, { "in total", CUE_TOTAL }, { "incl untagged", CUE_FILLER }, { "including untagged", CUE_FILLER }, { "income", CUE_NOT_BILLING },
	{ "increase", CUE_INCREASE }, { "increased", CUE_INCREASE }, { "increasing", CUE_INCREASE },
	{ "individually", CUE_COMPARE }, { "inside", CUE_DRILL }, { "instead", CUE_INSTEAD }, { "into", CUE_FILLER }, { "invoice", CUE_UNBLENDED },
	{ "invoiced", CUE_UNBLENDED }, { "irregular", CUE_ANOMALY }, { "is", CUE_FILLER }, { "it", CUE_PRONOUN },
	{ "its", CUE_FILLER }, { "jump", CUE_SPIKE }, { "jumped", CUE_SPIKE }, { "just", CUE_ONLY },
	{ "lacking tag", CUE_UNTAGGED }, { "largest", CUE_MOST }, { "latency", CUE_NOT_BILLING },
	{ "least", CUE_LEAST }, { "least expensive", CUE_LEAST }, { "least first", CUE_ASCENDING }, { "leave out", CUE_EXCLUDE },
	{ "leaving out", CUE_EXCLUDE }, { "led to", CUE_DRIVER }, { "left out", CUE_EXCLUDE }, { "less than", CUE_LESS_THAN }, { "less then", CUE_LESS_THAN },
	{ "let", CUE_FILLER }, { "likely owner", CUE_OWNER }, { "likely team", CUE_OWNER },
	{ "line", CUE_CHART_LINE }, { "line item", CUE_FILLER }, { "list", CUE_ASK }, { "list cost", CUE_LIST }, { "list price", CUE_LIST },
	{ "lower", CUE_REDUCE }, { "lower than", CUE_LESS_THAN }, { "lower the bar to", CUE_MORE_THAN }, { "lower the cutoff to", CUE_MORE_THAN }, { "lower the threshold to", CUE_MORE_THAN }, { "lowest", CUE_LEAST },
	{ "lowest first", CUE_ASCENDING }, { "margin", CUE_NOT_BILLING }, { "me", CUE_FILLER }, { "mean", CUE_AVERAGE }, { "meaning", CUE_EXPLAIN }, { "means what", CUE_EXPLAIN }, { "meant", CUE_INSTEAD },
	{ "memory", CUE_NOT_BILLING }, { "minus", CUE_EXCLUDE }, { "missing", CUE_EXCLUDE },
	{ "missing tag", CUE_UNTAGGED }, { "mom", CUE_MOM }, { "money", CUE_COST }, { "month after", CUE_PERIOD_AFTER },
	{ "month before", CUE_PERIOD_BEFORE }, { "month by month", CUE_MONTHLY }, { "month end", CUE_END_OF_MONTH },
	{ "month over month", CUE_MOM }, { "monthly", CUE_MONTHLY }, { "more than", CUE_MORE_THAN }, { "more then", CUE_MORE_THAN },
	{ "most", CUE_MOST }, { "most expensive", CUE_MOST }, { "move", CUE_CHANGE }, { "move the bar to", CUE_MORE_THAN }, { "move the cutoff to", CUE_MORE_THAN }, { "move the threshold to", CUE_MORE_THAN }, { "moved", CUE_CHANGE },
	{ "movers", CUE_INCREASE }, { "my", CUE_FILLER }, { "my bad", CUE_FILLER }, { "net", CUE_NET }, { "net of credit", CUE_FILLER }, { "net of refund", CUE_FILLER }, { "net savings", CUE_COMMITMENT },
	{ "never mind", CUE_FILLER },
	{ "nevermind", CUE_FILLER }, { "next", CUE_NEXT }, { "next month", CUE_HORIZON_MONTH },
	{ "next quarter", CUE_HORIZON_QUARTER }, { "next year", CUE_HORIZON_YEAR }, { "no", CUE_EXCLUDE },
	{ "no tag", CUE_UNTAGGED }, { "not", CUE_EXCLUDE }, { "not counting", CUE_EXCLUDE }, { "not included", CUE_EXCLUDE },
	{ "not including", CUE_EXCLUDE }, { "not tagged", CUE_UNTAGGED }, { "now", CUE_FILLER },
	{ "number of", CUE_COUNT }, { "of", CUE_FILLER }, { "omitted", CUE_EXCLUDE }, { "on", CUE_FILLER },
	{ "on demand equivalent", CUE_LIST }, { "on demand price", CUE_LIST }, { "on demand pricing", CUE_LIST },
	{ "on demand rate", CUE_LIST }, { "on the bill", CUE_UNBLENDED }, { "on track", CUE_FORECAST },
	{ "one", CUE_ONE }, { "one line each", CUE_COMPARE }, { "one number", CUE_TOTAL }, { "one row each", CUE_COMPARE }, { "ones", CUE_PRONOUN }, { "only", CUE_ONLY }, { "opportunities to save", CUE_RECOMMEND },
	{ "optimisation", CUE_RECOMMEND }, { "optimise", CUE_REDUCE }, { "optimising", CUE_REDUCE }, { "optimization", CUE_RECOMMEND }, { "optimizations", CUE_RECOMMEND }, { "optimize", CUE_REDUCE },
	{ "optimizing", CUE_REDUCE }, { "or", CUE_FILLER }, { "order", CUE_ASK }, { "order by cost", CUE_FILLER }, { "order by cost asc", CUE_ASCENDING }, { "order by cost desc", CUE_FILLER }, { "ordered by", CUE_BY },
	{ "other than", CUE_EXCLUDE }, { "our", CUE_FILLER }, { "outlier", CUE_ANOMALY },
	{ "outlook", CUE_FORECAST }, { "outside", CUE_EXCLUDE }, { "over", CUE_MORE_THAN },
	{ "over time", CUE_TREND }, { "overall", CUE_TOTAL }, { "owned by", CUE_OWNER }, { "owner of", CUE_OWNER },
	{ "ownership", CUE_OWNER }, { "owns", CUE_OWNER }, { "pace", CUE_RUN_RATE }, { "paid", CUE_COST },
	{ "paid yet", CUE_NOT_BILLING }, { "pay", CUE_COST }, { "paying", CUE_COST }, { "payment status", CUE_NOT_BILLING }, { "pct", CUE_SHARE }, { "peak", CUE_MOST },
	{ "peaked", CUE_MOST }, { "per", CUE_BY }, { "per billing period", CUE_MONTHLY }, { "per day", CUE_PER_DAY }, { "per month", CUE_MONTHLY },
	{ "per quarter", CUE_QUARTERLY }, { "per week", CUE_WEEKLY }, { "per year", CUE_YEARLY },
	{ "percent", CUE_SHARE }, { "percent of", CUE_SHARE }, { "percentage", CUE_SHARE },
	{ "period before", CUE_PERIOD_BEFORE }, { "pie", CUE_CHART_PIE }, { "please", CUE_FILLER },
	{ "plot", CUE_FILLER }, { "portion", CUE_SHARE }, { "predict", CUE_FORECAST },
	{ "predicted", CUE_FORECAST }, { "prediction", CUE_FORECAST }, { "prefixed with", CUE_STARTS_WITH }, { "previous period", CUE_PERIOD_BEFORE },
	{ "priciest", CUE_MOST }, { "pricing", CUE_FILLER }, { "prior period", CUE_PERIOD_BEFORE },
	{ "process", CUE_FILLER }, { "processed", CUE_FILLER }, { "profit", CUE_NOT_BILLING },
	{ "projected", CUE_FORECAST }, { "projection", CUE_FORECAST }, { "proportion", CUE_SHARE },
	{ "public price", CUE_LIST }, { "qoq", CUE_QOQ }, { "quarter after", CUE_PERIOD_AFTER }, { "quarter before", CUE_PERIOD_BEFORE },
	{ "quarter over quarter", CUE_QOQ }, { "quarterly", CUE_QUARTERLY }, { "quarterly review", CUE_FILLER }, { "raise the bar to", CUE_MORE_THAN }, { "raise the cutoff to", CUE_MORE_THAN }, { "raise the threshold to", CUE_MORE_THAN }, { "ram", CUE_NOT_BILLING }, { "ran", CUE_FILLER },
	{ "rank", CUE_ASK }, { "ranked by", CUE_BY }, { "reason", CUE_DRIVER }, { "recommend", CUE_RECOMMEND },
	{ "recommendation", CUE_RECOMMEND }, { "record", CUE_FILLER }, { "reduce", CUE_REDUCE },
	{ "reducing", CUE_REDUCE }, { "reduction", CUE_DECREASE }, { "relative to", CUE_VERSUS }, { "report", CUE_ASK },
	{ "request", CUE_UNIT_REQUESTS }, { "response time", CUE_NOT_BILLING },
	{ "rest of month", CUE_END_OF_MONTH }, { "rest of the month", CUE_END_OF_MONTH },
	{ "rest of the quarter", CUE_END_OF_QUARTER }, { "rest of the year", CUE_END_OF_YEAR },
	{ "revenue", CUE_NOT_BILLING }, { "reverse the order", CUE_ASCENDING }, { "revert with", CUE_ASK }, { "rightsize", CUE_REDUCE }, { "rightsizing", CUE_REDUCE },
	{ "rise", CUE_INCREASE }, { "risen", CUE_INCREASE }, { "rose", CUE_INCREASE }, { "run", CUE_FILLER }, { "run in aws", CUE_ARCHITECTURE }, { "run on aws", CUE_ARCHITECTURE },
	{ "run rate", CUE_RUN_RATE }, { "running", CUE_FILLER }, { "running on aws", CUE_ARCHITECTURE }, { "runs on aws", CUE_ARCHITECTURE }, { "salary", CUE_NOT_BILLING }, { "sale", CUE_NOT_BILLING },
	{ "same", CUE_SAME }, { "same days last month", CUE_MOM }, { "same days of last month", CUE_MOM }, { "same month last year", CUE_YOY }, { "same period last month", CUE_MOM }, { "same period last quarter", CUE_QOQ }, { "same period last year", CUE_YOY }, { "same quarter last year", CUE_YOY }, { "same time last month", CUE_MOM }, { "same time last quarter", CUE_QOQ }, { "same time last week", CUE_WOW }, { "same time last year", CUE_YOY }, { "save", CUE_REDUCE },
	{ "savings opportunities", CUE_RECOMMEND }, { "savings opportunity", CUE_RECOMMEND }, { "scan", CUE_USAGE }, { "scanned", CUE_USAGE }, { "see", CUE_ASK }, { "send me", CUE_ASK }, { "separately", CUE_COMPARE }, { "series", CUE_TREND },
	{ "set the bar to", CUE_MORE_THAN }, { "set the cutoff to", CUE_MORE_THAN }, { "set the threshold to", CUE_MORE_THAN }, { "share", CUE_SHARE }, { "show", CUE_ASK }, { "showback", CUE_COST }, { "shrank", CUE_DECREASE }, { "shrink", CUE_DECREASE },
	{ "shrinking", CUE_DECREASE }, { "side by side", CUE_COMPARE }, { "smallest", CUE_LEAST },
	{ "smallest first", CUE_ASCENDING }, { "so", CUE_FILLER }, { "so far", CUE_TO_DATE }, { "so high", CUE_FILLER }, { "solely", CUE_ONLY }, { "sort", CUE_ASK },
	{ "sorted by", CUE_BY }, { "spend", CUE_COST }, { "spending", CUE_COST }, { "spends", CUE_COST },
	{ "spent", CUE_COST }, { "spike", CUE_SPIKE }, { "spiked", CUE_SPIKE }, { "split", CUE_BREAKDOWN },
	{ "split by", CUE_BY }, { "stack", CUE_ARCHITECTURE }, { "stack up", CUE_COMPARE }, { "stack up against", CUE_VERSUS }, { "stacked up against", CUE_VERSUS }, { "stacks up", CUE_COMPARE }, { "start with", CUE_STARTS_WITH }, { "starting with", CUE_STARTS_WITH }, { "starts with", CUE_STARTS_WITH }, { "stored", CUE_USAGE }, { "strange", CUE_ANOMALY }, { "sum", CUE_TOTAL }, { "sum of", CUE_TOTAL }, { "surge", CUE_SPIKE }, { "surged", CUE_SPIKE }, { "table", CUE_CHART_TABLE },
	{ "tag", CUE_TAG }, { "tagged", CUE_TAG }, { "teach me", CUE_ASK }, { "tech stack", CUE_ARCHITECTURE }, { "tell", CUE_ASK },
	{ "than", CUE_FILLER }, { "that", CUE_PRONOUN }, { "the", CUE_FILLER }, { "the one after", CUE_PERIOD_AFTER },
	{ "the one before", CUE_PERIOD_BEFORE }, { "their", CUE_FILLER }, { "them", CUE_PRONOUN },
	{ "then", CUE_FILLER }, { "there", CUE_FILLER }, { "these", CUE_PRONOUN }, { "this high", CUE_FILLER }, { "those", CUE_PRONOUN },
	{ "through", CUE_FILLER }, { "time series", CUE_TREND }, { "to", CUE_FILLER }, { "to date", CUE_TO_DATE },
	{ "together", CUE_TOTAL }, { "too high", CUE_FILLER }, { "top", CUE_TOP },
	{ "total", CUE_TOTAL }, { "transferred", CUE_USAGE }, { "trend", CUE_TREND }, { "trended", CUE_TREND }, { "trended down", CUE_DECREASE }, { "trended up", CUE_INCREASE }, { "trending", CUE_TREND },
	{ "trending down", CUE_DECREASE }, { "trending up", CUE_INCREASE }, { "trim", CUE_REDUCE }, { "unallocated", CUE_UNTAGGED }, { "unblended", CUE_UNBLENDED },
	{ "under", CUE_LESS_THAN }, { "unexpected", CUE_ANOMALY }, { "untagged", CUE_UNTAGGED },
	{ "untagged included", CUE_FILLER }, { "unusual", CUE_ANOMALY }, { "up", CUE_FILLER }, { "uptime", CUE_NOT_BILLING }, { "us", CUE_FILLER },
	{ "usage", CUE_USAGE }, { "users", CUE_NOT_BILLING }, { "utilisation", CUE_UTILIZATION },
	{ "utilization", CUE_UTILIZATION }, { "versus", CUE_VERSUS }, { "vs", CUE_VERSUS }, { "w/o", CUE_EXCLUDE },
	{ "was", CUE_FILLER }, { "waste", CUE_REDUCE }, { "wasted", CUE_REDUCE }, { "way to", CUE_HOW_TO },
	{ "ways to", CUE_HOW_TO }, { "we", CUE_FILLER }, { "week after", CUE_PERIOD_AFTER }, { "week before", CUE_PERIOD_BEFORE },
	{ "week by week", CUE_WEEKLY }, { "week over week", CUE_WOW }, { "weekly", CUE_WEEKLY },
	{ "weird", CUE_ANOMALY }, { "went down", CUE_DECREASE }, { "went up", CUE_INCREASE }, { "were", CUE_FILLER }, { "what", CUE_WHICH },
	{ "what about", CUE_FOLLOWUP }, { "what can you do", CUE_HELP }, { "what mean", CUE_EXPLAIN }, { "what means", CUE_EXPLAIN }, { "what part of", CUE_SHARE }, { "what should", CUE_HOW_TO },
	{ "when", CUE_FILLER }, { "where", CUE_FILLER }, { "where can", CUE_HOW_TO }, { "where could", CUE_HOW_TO },
	{ "which", CUE_WHICH }, { "who", CUE_WHICH }, { "who own", CUE_OWNER }, { "who owns", CUE_OWNER },
	{ "why", CUE_WHY }, { "will", CUE_FUTURE }, { "with", CUE_FILLER }, { "with no", CUE_EXCLUDE },
	{ "with untagged", CUE_FILLER }, { "without", CUE_EXCLUDE }, { "without any tag", CUE_UNTAGGED }, { "without tag", CUE_UNTAGGED },
	{ "worst", CUE_MOST }, { "would", CUE_FILLER }, { "wow", CUE_WOW }, { "year after", CUE_PERIOD_AFTER }, { "year before", CUE_PERIOD_BEFORE },
	{ "year end", CUE_END_OF_YEAR }, { "year end review", CUE_FILLER }, { "year over year", CUE_YOY }, { "yearly", CUE_YEARLY },
	{ "you", CUE_FILLER }, { "your", CUE_FILLER }, { "yoy", CUE_YOY }, { "zoom in on", CUE_ONLY }, { "zoom into", CUE_ONLY },
};

/* Verbs that would change data; a question starting with one is refused. */
static const char *const mutation_verbs[] = {
	"alter", "change", "clear", "create", "delete", "drop", "erase", "insert", "modify", "purge",
	"remove", "set", "truncate", "update", "wipe", NULL,
};

/* Verbs that take a filter off the last answer ("drop the region
 * filter", "clear the filters"). Sorted. */
static const char *const removal_verbs[] = { "clear", "delete", "drop", "lose", "remove", "reset", "undo" };

static const struct {
	const char *word;
	int value;
} number_words[] = {
	{ "one", 1 }, { "two", 2 }, { "three", 3 }, { "four", 4 }, { "five", 5 }, { "six", 6 }, { "seven", 7 },
	{ "eight", 8 }, { "nine", 9 }, { "ten", 10 }, { "eleven", 11 }, { "twelve", 12 }, { "thirteen", 13 },
	{ "fourteen", 14 }, { "fifteen", 15 }, { "sixteen", 16 }, { "eighteen", 18 }, { "twenty", 20 },
	{ "thirty", 30 }, { "forty", 40 }, { "fifty", 50 }, { "sixty", 60 }, { "ninety", 90 }, { "hundred", 100 },
};

/* Words that may stand in a question without naming anything: articles,
 * auxiliaries, prepositions, pronouns, conjunctions, polite and request
 * words. Sorted. */
static const char *const function_words[] = {
	"able", "actually", "after", "again", "ago", "ahead", "already", "also", "am", "amazon", "among", "analyse",
	"analyze", "another", "anything", "applied", "approximately", "around", "attributable", "attributed",
	"awesome", "based", "because", "before", "being", "between", "but", "bye", "calculate", "came", "carried",
	"carries", "carry", "cc", "check", "cheers", "come", "comes", "company", "confirm", "cool", "curious",
	"current", "currently", "d", "different", "distinct", "doing", "done", "draw", "during", "either", "else", "erm", "even",
	"ever", "everything", "exactly", "fantastic", "fetch", "figure", "figures", "filter", "filters", "final",
	"find", "first", "full", "gimme", "goes", "gone", "goodbye", "got", "great", "happen", "happened", "he",
	"hello", "her", "here", "hey", "hi", "him", "his", "hmm", "hmmm", "however", "idea", "ideas", "if", "incur",
	"incurred", "incurring", "interested", "interesting", "itself", "k", "keep", "kindly", "know", "let", "like",
	"likely", "ll", "look", "looking", "make", "may", "might", "mine", "much", "must", "myself", "need",
	"needful", "nice", "nor", "numbers", "ok", "okay", "once", "onto", "opportunities", "opportunity",
	"organisation", "organisations", "organization", "organizations", "ours", "ourselves", "out", "own",
	"perfect", "perhaps", "pls", "plus", "plz", "possible", "precisely", "priced", "probably", "provide", "pull",
	"put", "quick", "quickly", "quite", "rather", "really", "receive", "received", "receiving", "regarding",
	"review", "roughly", "row", "rows", "saw", "shall", "she", "should", "since", "single", "some", "someone",
	"sorted", "such", "summarise", "summarize", "sure", "switch", "terms", "thank", "thanks", "thats", "theirs",
	"themselves", "they", "this", "though", "thru", "thx", "too", "toward", "towards", "traffic", "turn", "uh",
	"um", "umm", "unique", "upon", "use", "used", "using", "value", "values", "ve", "very", "via", "visible", "wait",
	"wanna", "want", "wanted", "went", "whatever", "whats", "whether", "which", "while", "whilst", "whole",
	"whom", "whose", "within", "wonder", "wondering", "work", "works", "yeah", "yes", "yet", "yours",
};

/* The words of greetings, thanks and framing around a question ("Hi
 * there, hope you're well!", "Forwarding from the CFO:", "Kind
 * regards"): a clause made only of these, with at least one of the
 * courtesy_markers, says nothing about the bill. Each list sorted. */
static const char *const courtesy_words[] = {
	"a", "accountant", "advance", "afternoon", "all", "am", "analyst", "and", "apologies", "apology", "appreciate", "appreciated", "architect", "are", "ask", "asked", "asking",
	"asks", "basic", "best", "bother", "br", "but", "ceo", "cfo", "checking", "cheers", "controller", "coo", "cto", "curious", "day", "dear", "director",
	"doing", "dumb", "engineer", "evening", "everyone", "find", "finq", "folks", "for", "forwarding", "from", "fw", "fwd", "good", "great",
	"had", "happy", "have", "hello", "help", "here", "hey", "hi", "hope", "hoping", "how", "i", "if", "in", "intern", "is", "just", "kind",
	"kindly", "lead", "lovely", "m", "manager", "many", "me", "morning", "much", "my", "new", "nice", "not", "note", "obvious", "ok", "okay",
	"our", "out", "please", "pls", "q", "question", "quick", "re", "regards", "silly", "sincerely", "sorry", "sure", "ta", "team", "thank",
	"thanks", "thanx", "the", "there", "this", "thnx", "thx", "tks", "tnx", "to", "trouble", "ty", "us", "ve", "vp", "wants", "warm", "was", "we", "week",
	"weekend", "well", "wishes", "wondering", "you", "your", "yours",
};
static const char *const courtesy_markers[] = {
	"afternoon", "apologies", "apology", "appreciate", "appreciated", "asks", "best", "bother", "br", "checking", "cheers", "curious", "dear",
	"evening", "forwarding", "fw", "fwd", "hello", "here", "hey", "hi", "hope", "hoping", "morning", "q", "question",
	"regards", "sincerely", "sorry", "sure", "ta", "thank", "thanks", "thanx", "thnx", "thx", "tks", "tnx", "ty", "wishes", "wondering",
};

/* Shorthand typed on a phone, too short for the spelling correction's
 * edit distance: the word meant. Sorted. */
static const struct {
	const char *typed, *meant;
} shorthand[] = {
	{ "amt", "amount" }, { "compair", "compare" }, { "gw", "gateway" }, { "hw", "how" }, { "lst", "last" }, { "mnth", "month" },
	{ "mnths", "months" }, { "mth", "month" }, { "mths", "months" }, { "pls", "please" },
	{ "qtr", "quarter" }, { "rec", "recommendation" }, { "recs", "recommendations" }, { "qtrs", "quarters" }, { "r", "are" }, { "til", "until" }, { "tot", "total" }, { "u", "you" }, { "ur", "your" },
	{ "w", "with" }, { "wat", "what" }, { "wek", "week" }, { "wht", "what" }, { "yday", "yesterday" },
	{ "yest", "yesterday" }, { "ystrday", "yesterday" },
};

/* Abbreviated units of time that are time words already ("2 wks",
 * "last yr"): in a phrase of ours they stand for the whole word ("by wk"
 * is "by week", "per mo" "per month"). Sorted. */
static const struct {
	const char *typed, *meant;
} unit_abbreviations[] = {
	{ "mo", "month" }, { "mos", "months" }, { "mth", "month" }, { "mths", "months" }, { "qtr", "quarter" },
	{ "qtrs", "quarters" }, { "wk", "week" }, { "wks", "weeks" }, { "yr", "year" }, { "yrs", "years" },
};

const char *lexicon_unit_abbreviation(const struct slice *word)
{
	for (size_t i = 0; i < sizeof(unit_abbreviations) / sizeof(unit_abbreviations[0]); i++)
		if (slice_eq(*word, unit_abbreviations[i].typed))
			return unit_abbreviations[i].meant;
	return NULL;
}

const char *lexicon_shorthand(const struct slice *word)
{
	for (size_t i = 0; i < sizeof(shorthand) / sizeof(shorthand[0]); i++)
		if (slice_eq(*word, shorthand[i].typed))
			return shorthand[i].meant;
	return NULL;
}

/* Words of time expressions, for the spelling dictionary. Sorted. */
static const char *const time_words[] = {
	"apr", "april", "aug", "august", "beginning", "between", "calendar", "commencing", "current", "date", "day",
	"days", "dec", "december", "ended", "ending", "feb", "february", "first", "fiscal", "fourth", "fri", "friday",
	"half", "jan", "january", "jul", "july", "jun", "june", "last", "latest", "mar", "march", "may", "mo", "mon",
	"monday", "month", "months", "mos", "mtd", "mth", "mths", "next", "nov", "november", "oct", "october", "past",
	"period", "previous", "prior", "qtd", "qtr", "qtrs", "quarter", "quarters", "saturday", "second", "sep",
	"sept", "september", "since", "start", "starting", "sunday", "third", "this", "through", "thursday", "till",
	"today", "tomorrow", "trailing", "tuesday", "until", "w/c", "w/e", "wednesday", "week", "weekend", "weeks",
	"wk", "wks", "year", "years", "yesterday", "yr", "yrs", "ytd",
};

static const struct {
	const char *word;
	enum offtopic kind;
} offtopic_words[] = {
	{ "accrue", OFFTOPIC_ACTION }, { "apikey", OFFTOPIC_SECRET }, { "apply", OFFTOPIC_ACTION },
	{ "approve", OFFTOPIC_ACTION }, { "book", OFFTOPIC_ACTION }, { "buy", OFFTOPIC_ACTION },
	{ "cancel", OFFTOPIC_ACTION }, { "certify", OFFTOPIC_ACTION }, { "compose", OFFTOPIC_COMPOSE },
	{ "credential", OFFTOPIC_SECRET }, { "credentials", OFFTOPIC_SECRET },
	{ "deploy", OFFTOPIC_ACTION }, { "disregard", OFFTOPIC_INJECTION }, { "draft", OFFTOPIC_COMPOSE },
	{ "email", OFFTOPIC_ACTION }, { "essay", OFFTOPIC_COMPOSE }, { "football", OFFTOPIC_CHITCHAT },
	{ "forget", OFFTOPIC_INJECTION }, { "generate", OFFTOPIC_COMPOSE }, { "haha", OFFTOPIC_CHITCHAT },
	{ "haiku", OFFTOPIC_COMPOSE }, { "horoscope", OFFTOPIC_CHITCHAT },
	{ "instruction", OFFTOPIC_INJECTION }, { "instructions", OFFTOPIC_INJECTION },
	{ "jailbreak", OFFTOPIC_INJECTION }, { "joke", OFFTOPIC_CHITCHAT },
	{ "jokes", OFFTOPIC_CHITCHAT }, { "launch", OFFTOPIC_ACTION },
	{ "limerick", OFFTOPIC_COMPOSE }, { "lmao", OFFTOPIC_CHITCHAT }, { "lol", OFFTOPIC_CHITCHAT },
	{ "lyrics", OFFTOPIC_COMPOSE }, { "mail", OFFTOPIC_ACTION }, { "merge", OFFTOPIC_ACTION },
	{ "mute", OFFTOPIC_ACTION }, { "negotiate", OFFTOPIC_ACTION }, { "novel", OFFTOPIC_COMPOSE },
	{ "overwrite", OFFTOPIC_ACTION }, { "page", OFFTOPIC_ACTION }, { "passwd", OFFTOPIC_SECRET }, { "password", OFFTOPIC_SECRET },
	{ "passwords", OFFTOPIC_SECRET }, { "persona", OFFTOPIC_INJECTION }, { "ping", OFFTOPIC_ACTION },
	{ "pizza", OFFTOPIC_CHITCHAT }, { "poem", OFFTOPIC_COMPOSE }, { "poems", OFFTOPIC_COMPOSE },
	{ "poetry", OFFTOPIC_COMPOSE }, { "pretend", OFFTOPIC_INJECTION },
	{ "prompt", OFFTOPIC_INJECTION }, { "provision", OFFTOPIC_ACTION },
	{ "purchase", OFFTOPIC_ACTION }, { "quote", OFFTOPIC_COMPOSE }, { "rap", OFFTOPIC_COMPOSE },
	{ "reallocate", OFFTOPIC_ACTION }, { "rebill", OFFTOPIC_ACTION }, { "reboot", OFFTOPIC_ACTION },
	{ "recipe", OFFTOPIC_CHITCHAT }, { "reclassify", OFFTOPIC_ACTION }, { "reject", OFFTOPIC_ACTION },
	{ "rename", OFFTOPIC_ACTION }, { "reply", OFFTOPIC_ACTION }, { "restart", OFFTOPIC_ACTION },
	{ "reveal", OFFTOPIC_SECRET }, { "rewrite", OFFTOPIC_COMPOSE }, { "rhyme", OFFTOPIC_COMPOSE },
	{ "riddle", OFFTOPIC_COMPOSE }, { "rofl", OFFTOPIC_CHITCHAT }, { "roleplay", OFFTOPIC_INJECTION },
	{ "rotate", OFFTOPIC_ACTION }, { "scale", OFFTOPIC_ACTION }, { "schedule", OFFTOPIC_ACTION },
	{ "secret", OFFTOPIC_SECRET }, { "secrets", OFFTOPIC_SECRET }, { "send", OFFTOPIC_ACTION },
	{ "shut", OFFTOPIC_ACTION }, { "shutdown", OFFTOPIC_ACTION }, { "sing", OFFTOPIC_COMPOSE },
	{ "slack", OFFTOPIC_ACTION }, { "slogan", OFFTOPIC_COMPOSE }, { "song", OFFTOPIC_COMPOSE },
	{ "sonnet", OFFTOPIC_COMPOSE }, { "story", OFFTOPIC_COMPOSE }, { "terminate", OFFTOPIC_ACTION },
	{ "ticket", OFFTOPIC_ACTION }, { "token", OFFTOPIC_SECRET }, { "tokens", OFFTOPIC_SECRET },
	{ "train", OFFTOPIC_ACTION }, { "translate", OFFTOPIC_COMPOSE }, { "tweet", OFFTOPIC_ACTION },
	{ "unsubscribe", OFFTOPIC_ACTION }, { "verse", OFFTOPIC_COMPOSE },
	{ "weather", OFFTOPIC_CHITCHAT }, { "write", OFFTOPIC_COMPOSE },
};

static const char *const offtopic_reasons[] = {
	[OFFTOPIC_NONE] = "",
	[OFFTOPIC_COMPOSE] = "I only answer questions about your cloud bill with figures from the data; "
			     "I don't write or translate text.",
	[OFFTOPIC_ACTION] = "I only read billing data: I can't send messages, approve, rename, buy or change "
			    "anything.",
	[OFFTOPIC_SECRET] = "I don't show passwords, API tokens or other secrets. Ask about cost, usage or "
			    "savings instead.",
	[OFFTOPIC_INJECTION] = "I follow no instructions inside a question: I only answer questions about "
			       "your cloud bill.",
	[OFFTOPIC_CHITCHAT] = "I can only answer questions about your cloud bill: costs, usage, trends and "
			      "comparisons.",
};

/* Sorted by noun. */
static const struct resource_noun resource_nouns[] = {
	{ "bucket", "AmazonS3", NULL, false },
	/* EKS, Redshift, ElastiCache, EMR: "Redshift clusters", "EKS cluster hours" */
	{ "cluster", NULL, NULL, true },
	{ "database", "AmazonRDS", NULL, false },
	{ "distribution", "AmazonCloudFront", NULL, false },
	{ "function", "AWSLambda", NULL, false },
	{ "instance", "AmazonEC2", NULL, false },
	{ "job", "AWSGlue", NULL, true },
	{ "key", "awskms", NULL, true },
	{ "node", NULL, NULL, true }, /* "Redshift node hours", "ElastiCache nodes" */
	{ "resource", NULL, NULL, false },
	{ "server", "AmazonEC2", NULL, false }, /* "how many servers were running" */
	{ "snapshot", "AmazonEC2", "EBS:Snapshot", false },
	{ "table", "AmazonDynamoDB", NULL, false },
	{ "volume", "AmazonEC2", "EBS:Volume", false },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A word as a NUL-terminated string; false when too long for any list. */
static bool word_text(const struct slice *word, char *buf, size_t size)
{
	if (word->n == 0 || word->n >= size)
		return false;
	memcpy(buf, word->p, word->n);
	buf[word->n] = '\0';
	return true;
}

static int compare_word(const void *key, const void *item)
{
	return strcmp(key, *(const char *const *)item);
}

static bool in_sorted(const char *const *list, size_t n, const struct slice *word)
{
	char buf[64];
	return word_text(word, buf, sizeof(buf)) && bsearch(buf, list, n, sizeof(*list), compare_word);
}

enum cue lexicon_cue(const char *phrase)
{
	size_t lo = 0, hi = COUNT(cues);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(phrase, cues[mid].phrase);
		if (c == 0)
			return cues[mid].cue;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return CUE_NONE;
}

static size_t list_disorder(const char *const *list, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(list[i - 1], list[i]) >= 0)
			return i;
	return 0;
}

size_t lexicon_cue_disorder(void)
{
	for (size_t i = 1; i < COUNT(cues); i++)
		if (strcmp(cues[i - 1].phrase, cues[i].phrase) >= 0)
			return i;
	for (size_t i = 1; i < COUNT(offtopic_words); i++)
		if (strcmp(offtopic_words[i - 1].word, offtopic_words[i].word) >= 0)
			return 10000 + i;
	size_t d = list_disorder(function_words, COUNT(function_words));
	if (d)
		return 20000 + d;
	d = list_disorder(time_words, COUNT(time_words));
	if (d)
		return 30000 + d;
	d = list_disorder(removal_verbs, COUNT(removal_verbs));
	if (d)
		return 70000 + d;
	d = list_disorder(courtesy_words, COUNT(courtesy_words));
	if (d)
		return 40000 + d;
	d = list_disorder(courtesy_markers, COUNT(courtesy_markers));
	if (d)
		return 50000 + d;
	for (size_t i = 0; i < COUNT(courtesy_markers); i++) /* a marker is a courtesy word too */
		if (!bsearch(courtesy_markers[i], courtesy_words, COUNT(courtesy_words), sizeof(*courtesy_words),
			     compare_word))
			return 60000 + i;
	return 0;
}

int lexicon_courtesy(const struct slice *word)
{
	if (in_sorted(courtesy_markers, COUNT(courtesy_markers), word))
		return 2;
	return in_sorted(courtesy_words, COUNT(courtesy_words), word) ? 1 : 0;
}

bool lexicon_is_function_word(const struct slice *word)
{
	if (in_sorted(function_words, COUNT(function_words), word))
		return true;
	char buf[64];
	return word_text(word, buf, sizeof(buf)) && lexicon_cue(buf) == CUE_FILLER;
}

int lexicon_number_word(const struct slice *word)
{
	for (size_t k = 0; k < COUNT(number_words); k++)
		if (slice_eq(*word, number_words[k].word))
			return number_words[k].value;
	return -1;
}

bool lexicon_is_removal_verb(const struct slice *word)
{
	return in_sorted(removal_verbs, COUNT(removal_verbs), word);
}

bool lexicon_is_time_word(const struct slice *word)
{
	return in_sorted(time_words, COUNT(time_words), word);
}

/* Sorted. */
static const char *const commitment_words[] = {
	"commitment", "commitments", "reservation", "reservations", "reserved", "ri", "ris", "savings", "sp", "sps",
};

bool lexicon_is_commitment_word(const struct slice *word)
{
	return in_sorted(commitment_words, COUNT(commitment_words), word);
}

bool lexicon_is_mutation_verb(const struct slice *word)
{
	for (const char *const *v = mutation_verbs; *v; v++)
		if (slice_eq(*word, *v))
			return true;
	return false;
}

enum offtopic lexicon_offtopic(const struct slice *word)
{
	char buf[64];
	if (!word_text(word, buf, sizeof(buf)))
		return OFFTOPIC_NONE;
	size_t lo = 0, hi = COUNT(offtopic_words);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(buf, offtopic_words[mid].word);
		if (c == 0)
			return offtopic_words[mid].kind;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return OFFTOPIC_NONE;
}

const char *lexicon_offtopic_reason(enum offtopic kind)
{
	return offtopic_reasons[kind];
}

const struct resource_noun *lexicon_resource_noun(const struct slice *word)
{
	size_t n = word->n;
	if (n > 3 && word->p[n - 1] == 's')
		n--;
	for (size_t i = 0; i < COUNT(resource_nouns); i++)
		if (strlen(resource_nouns[i].noun) == n && memcmp(resource_nouns[i].noun, word->p, n) == 0)
			return &resource_nouns[i];
	return NULL;
}

/* Is word one of the words of a cue phrase ("far" of "so far")? */
/* The words spelling correction compares a word with: the things finq
 * counts and ranks ("bukets", "instnces"), the words for dimensions
 * ("usage tpye"), the words of the cue phrases, function and time words.
 * Built once (the tables are constant); a word and its length each. */
static struct {
	const char *p;
	size_t n;
	bool cue_word; /* a word of a cue phrase */
} dictionary[4096];
static size_t dictionary_n;
static char noun_plurals[COUNT(resource_nouns)][32];
static pthread_once_t dictionary_once = PTHREAD_ONCE_INIT;

static void dictionary_add(const char *phrase, bool cue_word)
{
	while (*phrase && dictionary_n < COUNT(dictionary)) {
		size_t len = strcspn(phrase, " ");
		dictionary[dictionary_n].p = phrase;
		dictionary[dictionary_n].cue_word = cue_word;
		dictionary[dictionary_n++].n = len;
		phrase += len;
		while (*phrase == ' ')
			phrase++;
	}
}

static void dictionary_build(void)
{
	for (size_t i = 0; i < COUNT(resource_nouns); i++) {
		dictionary_add(resource_nouns[i].noun, false);
		snprintf(noun_plurals[i], sizeof(noun_plurals[i]), "%ss", resource_nouns[i].noun);
		dictionary_add(noun_plurals[i], false);
	}
	for (int d = DIM_NONE + 1; d < DIM_COUNT; d++)
		for (size_t w = 0; w < DIM_MAX_WORDS && dim_info((enum dimension)d)->words[w]; w++)
			dictionary_add(dim_info((enum dimension)d)->words[w], false);
	for (size_t i = 0; i < COUNT(cues); i++)
		dictionary_add(cues[i].phrase, true);
	for (size_t i = 0; i < COUNT(function_words); i++)
		dictionary_add(function_words[i], false);
	for (size_t i = 0; i < COUNT(time_words); i++)
		dictionary_add(time_words[i], false);
	/* "remvoe the region filter", "udpate the tags": a typo of a verb that
	 * edits or would change data is that verb, so it is read or refused */
	for (size_t i = 0; i < COUNT(removal_verbs); i++)
		dictionary_add(removal_verbs[i], false);
	for (size_t i = 0; mutation_verbs[i]; i++)
		dictionary_add(mutation_verbs[i], false);
}

static bool in_cue_phrase(const char *word, size_t n)
{
	pthread_once(&dictionary_once, dictionary_build);
	for (size_t i = 0; i < dictionary_n; i++)
		if (dictionary[i].cue_word && dictionary[i].n == n && memcmp(dictionary[i].p, word, n) == 0)
			return true;
	return false;
}

/* Words finq knows it cannot answer: never "corrected" into a word it can
 * ("percentile" is not "percentage"), so the question asks about them.
 * Sorted. */
static const char *const unanswerable_words[] = {
	"deviation", "hourly", "percentile", "quantile", "quartile", "stddev", "variance",
};

static bool known_exactly(const struct slice *word)
{
	return lexicon_is_function_word(word) || lexicon_is_time_word(word) || lexicon_number_word(word) >= 0 ||
	       in_cue_phrase(word->p, word->n) || in_sorted(unanswerable_words, COUNT(unanswerable_words), word);
}

bool lexicon_is_known_word(const struct slice *word)
{
	if (known_exactly(word))
		return true;
	/* a plural of a known word ("costs", "weeks") */
	if (word->n > 3 && word->p[word->n - 1] == 's') {
		struct slice one = { word->p, word->n - 1 };
		return known_exactly(&one);
	}
	return false;
}

struct nearest {
	const struct slice *word;
	int limit, best;
	const char *found; /* the nearest so far (in copy); NULL when two tie */
	size_t found_n;
	char copy[48];     /* candidates may live in a buffer that is reused */
	bool tie;
};

/* Is b a with two neighbouring letters swapped ("lsat", "Ocotber")? */
static bool transposed(const char *a, size_t na, const char *b, size_t nb)
{
	if (na != nb)
		return false;
	size_t i = 0;
	while (i < na && a[i] == b[i])
		i++;
	return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] && memcmp(a + i + 2, b + i + 2, na - i - 2) == 0;
}

/* Is a the word b with one inner letter left out ("agust" for "august")? */
static bool missing_letter(const char *a, size_t na, const char *b, size_t nb)
{
	if (nb != na + 1 || na < 4)
		return false;
	size_t i = 0;
	while (i < na && a[i] == b[i])
		i++;
	return i > 0 && memcmp(a + i, b + i + 1, na - i) == 0;
}

/* Is a the word b with one letter typed twice ("weeek")? Not any extra
 * letter: "raise" is not a typo of "rise", nor "stop" of "top". */
static bool doubled_letter(const char *a, size_t na, const char *b, size_t nb)
{
	if (na != nb + 1)
		return false;
	size_t i = 0;
	while (i < nb && a[i] == b[i])
		i++;
	return i > 0 && a[i] == a[i - 1] && memcmp(a + i + 1, b + i, nb - i) == 0;
}

bool lexicon_short_typo(const char *word, size_t n, const char *cand, size_t len)
{
	return transposed(word, n, cand, len) || missing_letter(word, n, cand, len) || doubled_letter(word, n, cand, len);
}

/* Two single words that are the same cue of ours ("invoice", "invoiced"). */
static bool same_cue(const char *a, size_t na, const char *b, size_t nb)
{
	char x[48], y[48];
	struct slice sa = { .p = a, .n = na }, sb = { .p = b, .n = nb };
	if (!word_text(&sa, x, sizeof(x)) || !word_text(&sb, y, sizeof(y)))
		return false;
	enum cue cx = lexicon_cue(x);
	return cx != CUE_NONE && cx == lexicon_cue(y);
}

/* A word that carries nothing a plan could lose: a function word or a
 * filler of ours. */
static bool reads_as_nothing(const char *w, size_t n)
{
	char x[48];
	struct slice s = { .p = w, .n = n };
	return word_text(&s, x, sizeof(x)) && (lexicon_is_function_word(&s) || lexicon_cue(x) == CUE_FILLER);
}

static void consider(struct nearest *n, const char *cand, size_t len)
{
	/* Short words are often real words of their own ("seat", "stop",
	 * "raise"): below six letters only a swap of two letters is a typo. */
	if (len < 4)
		return;
	int d = edit_distance(n->word->p, n->word->n, cand, len, n->limit);
	if (d > n->limit || d > n->best)
		return;
	if (n->word->n < 6 && !lexicon_short_typo(n->word->p, n->word->n, cand, len))
		return;
	/* two edits only when the first letter holds: "compair", not "weekends" -> "weeks" */
	if (d == 2 && cand[0] != n->word->p[0])
		return;
	if (d < n->best) {
		if (len >= sizeof(n->copy))
			return;
		n->best = d;
		memcpy(n->copy, cand, len);
		n->found = n->copy;
		n->found_n = len;
		n->tie = false;
	} else if (!(len == n->found_n && memcmp(cand, n->found, len) == 0) && !same_cue(cand, len, n->found, n->found_n) &&
		   !(reads_as_nothing(cand, len) && reads_as_nothing(n->found, n->found_n))) {
		/* "invoicd": invoice and invoiced are one cue, no tie; "actualy":
		 * actual and actually both carry nothing, no tie either */
		n->tie = true;
	}
}

/* "teh", "hte": three letters are a typo only as a swap of two of them,
 * and only of a function word ("the", "for", "and") */
static int correct_three_letters(const struct slice *word, char *out, size_t size)
{
	const char *found = NULL;
	for (size_t i = 0; i < COUNT(cues); i++)
		if (cues[i].cue == CUE_FILLER && strlen(cues[i].phrase) == 3 &&
		    transposed(word->p, word->n, cues[i].phrase, 3)) {
			if (found)
				return -1; /* two readings: not a typo we can mend */
			found = cues[i].phrase;
		}
	/* "Mya", "ocl": a month's short name */
	for (size_t i = 0; i < COUNT(time_words); i++)
		if (strlen(time_words[i]) == 3 && transposed(word->p, word->n, time_words[i], 3)) {
			if (found && strcmp(found, time_words[i]) != 0)
				return -1;
			found = time_words[i];
		}
	if (!found || size < 4)
		return -1;
	memcpy(out, found, 4);
	return 1;
}

/* "created" of "create", "updates" of "update": a real word in a form
 * the dictionary lacks, not a typo of it. Read as the base word, "who
 * created the NAT gateway" would be refused as a request to create. */
static bool is_inflection_of(const struct slice *word, const char *base, size_t n)
{
	static const char *const endings[] = { "d", "ed", "s", "es", "ing", NULL };
	if (word->n <= n || memcmp(word->p, base, n) != 0)
		return false;
	struct slice rest = { word->p + n, word->n - n };
	for (size_t i = 0; endings[i]; i++)
		if (slice_eq(rest, endings[i]))
			return true;
	return false;
}

int lexicon_correct(const struct slice *word, char *out, size_t size)
{
	if (word->n == 3)
		return correct_three_letters(word, out, size);
	if (word->n < 4 || word->n > 40)
		return -1;
	pthread_once(&dictionary_once, dictionary_build);
	struct nearest n = { .word = word, .limit = word->n >= 9 ? 2 : 1, .best = 99 };
	for (size_t i = 0; i < dictionary_n; i++)
		if ((dictionary[i].n > word->n ? dictionary[i].n - word->n : word->n - dictionary[i].n) <= (size_t)n.limit)
			consider(&n, dictionary[i].p, dictionary[i].n);
	if (!n.found || n.tie || n.best == 0 || n.found_n >= size || is_inflection_of(word, n.found, n.found_n))
		return -1;
	memcpy(out, n.found, n.found_n);
	out[n.found_n] = '\0';
	return n.best;
}
