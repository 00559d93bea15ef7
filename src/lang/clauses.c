/*
 * clauses: a message that asks two questions at once ("what was EC2 in
 * November and what's the forecast for December?", "top 5 services last
 * month, plus any anomalies"). A plan answers one question: answering
 * either half would drop the other without a word, so the parser asks
 * for them one at a time. And a what-if ("how much would EC2 cost if we
 * moved everything to Spot"): the bill holds what was charged, not what
 * a change would cost. Pure: reads the tokens and their roles only.
 */
#include "parse_internal.h"
#include "lexicon.h"

#include <stdio.h>

/* Words that join two clauses; "and" inside a time ("between October and
 * November") or a name ("Management and Governance") has another role. */
static const char *const joiners[] = { "and", "plus", "also", "then", NULL };

/* Words that open a clause leading into the question, not a question:
 * "since S3 is our biggest service, how much was it last month". */
static const char *const subordinators[] = { "since", "because", "as", "given", "if", "although", "though", "while", NULL };

/* Words that open a question of their own. */
static const char *const question_words[] = { "what", "how", "why", "which", "who", "when", "where", NULL };

/* Analyses a clause asks for without a question word: "plus any
 * anomalies", "and also the forecast", "and how can I reduce it". */
static const enum cue analyses[] = { CUE_ANOMALY, CUE_FORECAST, CUE_RECOMMEND, CUE_REDUCE };

/* Words that ask about the bill: a name, a time, a cost or a way to rank. */
static const enum cue bill_words[] = { CUE_COST, CUE_TOP, CUE_TOTAL, CUE_USAGE, CUE_MOST, CUE_LEAST, CUE_COUNT,
					 CUE_MORE_THAN, CUE_LESS_THAN };

/* What a stretch of tokens [lo, hi) holds. */
struct clause {
	bool names, times, bill, analysis, compares;
};

static struct clause read_clause(const struct reading *r, size_t lo, size_t hi)
{
	static const enum cue compare_words[] = { CUE_COMPARE, CUE_VERSUS, CUE_CHANGE, CUE_INCREASE, CUE_DECREASE };
	struct clause c = { 0 };
	for (size_t i = lo; i < hi; i++) {
		c.names |= r->role[i] == ROLE_NAME;
		c.times |= r->role[i] == ROLE_TIME;
	}
	for (size_t k = 0; k < r->ncues; k++) {
		if (r->cues[k].first < lo || r->cues[k].first >= hi)
			continue;
		for (size_t a = 0; a < sizeof(bill_words) / sizeof(bill_words[0]); a++)
			c.bill |= r->cues[k].cue == bill_words[a];
		for (size_t a = 0; a < sizeof(analyses) / sizeof(analyses[0]); a++)
			c.analysis |= r->cues[k].cue == analyses[a];
		for (size_t a = 0; a < sizeof(compare_words) / sizeof(compare_words[0]); a++)
			c.compares |= r->cues[k].cue == compare_words[a];
	}
	return c;
}

/* The message's text from token lo to token hi - 1. */
static void clause_text(const struct reading *r, size_t lo, size_t hi, char *out, size_t size)
{
	while (hi > lo && r->toks.items[hi - 1].kind == TOK_PUNCT)
		hi--;
	if (hi <= lo) {
		snprintf(out, size, "%s", "");
		return;
	}
	const struct token *a = &r->toks.items[lo], *b = &r->toks.items[hi - 1];
	snprintf(out, size, "%.*s", (int)(b->offset + b->text.n - a->offset), r->text + a->offset);
}

bool parse_two_questions(const struct reading *r, char *first, size_t first_size, char *second, size_t second_size)
{
	for (size_t i = 1; i + 1 < r->toks.n; i++) {
		bool comma = r->toks.items[i].kind == TOK_PUNCT && r->toks.items[i].text.n == 1 &&
			     r->toks.items[i].text.p[0] == ',';
		if (!comma && (!tok_in(&r->toks, i, joiners) || r->role[i] == ROLE_TIME || r->role[i] == ROLE_NAME))
			continue;
		size_t j = i + 1;
		while (j < r->toks.n && (tok_in(&r->toks, j, joiners) || r->toks.items[j].kind == TOK_PUNCT))
			j++;
		if (j >= r->toks.n)
			return false;
		struct clause before = read_clause(r, 0, i), after = read_clause(r, j + 1, r->toks.n);
		struct clause head = read_clause(r, j, j + 1);
		if (!(before.names || before.times || before.bill))
			continue;
		/* "In October, what did we spend on S3?": a comma after a time,
		 * a name or "by team" sets the scene of one question; a clause
		 * with a question of its own before it asks a second */
		if (comma && (tok_in(&r->toks, 0, subordinators) || (!before.bill && !tok_in(&r->toks, 0, question_words))))
			continue;
		/* "how much was Redshift in September and what about October":
		 * the same question again for another period or thing */
		struct clause about = read_clause(r, j + 2, r->toks.n);
		if (tok_is(&r->toks, j, "what") && tok_is(&r->toks, j + 1, "about") && !about.bill && !about.analysis)
			continue;
		/* "... and what's the forecast", "... and how can I reduce it":
		 * a question word with something to ask after it; not "and why"
		 * alone, nor "and how does that compare" (one comparison) */
		bool asks = tok_in(&r->toks, j, question_words) &&
			    (after.names || after.times || after.bill || after.analysis) && !after.compares;
		/* "..., plus any anomalies", "and also the forecast" */
		struct clause tail = read_clause(r, j, r->toks.n);
		bool analysis = !before.analysis && tail.analysis && !tail.compares && (before.bill || before.times || before.names);
		/* "daily cost last week and weekly cost last quarter": each half
		 * a question of its own, with its cost and its time */
		bool whole = before.times && before.bill && tail.times && (tail.bill || head.bill);
		if (asks || analysis || whole) {
			clause_text(r, 0, i, first, first_size);
			clause_text(r, j, r->toks.n, second, second_size);
			return true;
		}
	}
	return false;
}

/* Verbs that make an "if" clause a change to the world rather than a
 * condition on the data ("if November's spend holds" is a run rate). */
static const char *const change_verbs[] = {
	"bought", "buy", "commit", "committed", "cut", "double", "doubled", "drop", "dropped", "go", "goes",
	"increase", "increased", "migrate", "migrated", "move", "moved", "purchase", "purchased", "raise",
	"raised", "reduce", "reduced", "rise", "rises", "rose", "shut", "switch", "switched", "triple",
	"tripled", "turn", "turned", "went", NULL,
};

bool parse_what_if(const struct reading *r)
{
	for (size_t i = 0; i < r->toks.n; i++) {
		if (!tok_is(&r->toks, i, "if"))
			continue;
		if (i > 0 && tok_is(&r->toks, i - 1, "what"))
			return true; /* "what if we ..." */
		for (size_t j = i + 1; j < r->toks.n && j <= i + 6 && r->toks.items[j].kind != TOK_PUNCT; j++)
			if (tok_in(&r->toks, j, change_verbs) || (r->toks.items[j].kind == TOK_NUMBER && r->toks.items[j].percent))
				return true;
	}
	return false;
}
