/*
 * lexicon: the closed word lists of finq's language, kept as data.
 *
 * The parser's own words (cues: "top", "by", "excluding", ...), the
 * closed-class function words that carry no content of their own
 * (articles, auxiliaries, prepositions, pronouns, polite words), number
 * words, the words of time expressions, and the words that make a request
 * something other than a question about the bill ("write", "email",
 * "password"). With the data's vocabulary (vocab.c) they decide whether
 * every word of a question was read. Also the spelling dictionary of the
 * closed classes: typos in the parser's own words, months and time words
 * are corrected here; typos in names are vocab.c's. Pure: tables and
 * lookups, no I/O, no state.
 */
#ifndef FINQ_LEXICON_H
#define FINQ_LEXICON_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

enum cue {
	CUE_NONE,
	CUE_FILLER,      /* reserved words that mean nothing alone */
	CUE_COST,        /* money words: the question is about cost */
	CUE_AMORTIZED, CUE_UNBLENDED, CUE_NET, CUE_LIST, CUE_USAGE,
	CUE_UNIT_GB, CUE_UNIT_HOURS, CUE_UNIT_REQUESTS,
	CUE_TOP, CUE_BOTTOM, CUE_MOST, CUE_LEAST, CUE_ONE,
	CUE_WHICH, CUE_BY, CUE_EACH, CUE_BREAKDOWN, CUE_TOTAL,
	CUE_TREND, CUE_DAILY, CUE_WEEKLY, CUE_MONTHLY, CUE_QUARTERLY, CUE_YEARLY,
	CUE_COMPARE, CUE_VERSUS, CUE_MOM, CUE_WOW, CUE_QOQ, CUE_YOY,
	CUE_INCREASE, CUE_DECREASE, CUE_CHANGE,
	CUE_AVERAGE, CUE_PER_DAY,
	CUE_MORE_THAN, CUE_LESS_THAN,
	CUE_EXCLUDE, CUE_ONLY, CUE_UNTAGGED, CUE_TAG,
	CUE_CHART_PIE, CUE_CHART_DOUGHNUT, CUE_CHART_BAR, CUE_CHART_HBAR, CUE_CHART_LINE, CUE_CHART_AREA, CUE_CHART_TABLE,
	CUE_DRILL, CUE_FOLLOWUP, CUE_PRONOUN, CUE_INSTEAD, CUE_SAME,
	CUE_NOT_BILLING, CUE_HELP, CUE_ASK, CUE_SHARE, CUE_RUN_RATE, CUE_PERIOD_BEFORE, CUE_PERIOD_AFTER,
	/* the analyses of insight.h */
	CUE_ANOMALY,     /* "anomalies", "unusual" */
	CUE_SPIKE,       /* "spike", "jump": an increase, or an anomaly when nothing is ranked */
	CUE_WHY, CUE_DRIVER, CUE_EXPLAIN,
	CUE_FORECAST, CUE_FUTURE, CUE_NEXT,
	CUE_HORIZON_MONTH, CUE_HORIZON_QUARTER, CUE_HORIZON_YEAR,
	CUE_END_OF_MONTH, CUE_END_OF_QUARTER, CUE_END_OF_YEAR,
	CUE_REDUCE, CUE_RECOMMEND, CUE_HOW_TO,
	CUE_OWNER, CUE_ARCHITECTURE,
	CUE_COMMITMENT,  /* "coverage", "commitments": Savings Plans and RIs */
	CUE_UTILIZATION, /* a commitment's utilization; not billing data alone ("CPU utilization") */
	CUE_COUNT,       /* "number of", "count": how many things */
	CUE_TO_DATE,     /* "so far", "to date": a period that has begun ends today */
	CUE_STARTS_WITH, /* "projects starting with search": the values with that first word */
	CUE_DIFFERENCE,  /* "difference": between periods or things a comparison; alone, a concept */
	CUE_ASCENDING,   /* "lowest first", "ascending": the order, not a bottom N */
};

/* The cue a phrase (lower-case words joined by single spaces) is, or
 * CUE_NONE. */
enum cue lexicon_cue(const char *phrase);

/* For tests: 0 when the cue table is sorted, else the first entry out of
 * order (binary search needs the order). */
size_t lexicon_cue_disorder(void);

/* Articles, auxiliaries, prepositions, pronouns, conjunctions, polite
 * words: words that may stand in a question without naming anything. */
bool lexicon_is_function_word(const struct slice *word);

/* 2: a word that greets, thanks or frames ("hi", "regards", "asks"); 1: a
 * word such a clause may also hold ("you", "the", "team"); 0: neither. */
int lexicon_courtesy(const struct slice *word);

/* What a phone shorthand ("lst", "hw") stands for, or NULL. */
const char *lexicon_shorthand(const struct slice *word);

/* The unit of time an abbreviation ("wk", "yrs", "qtr") stands for in a
 * phrase of ours, or NULL. */
const char *lexicon_unit_abbreviation(const struct slice *word);

/* "three" -> 3; -1 when the word is not a number word. */
int lexicon_number_word(const struct slice *word);

/* Words of time expressions ("last", "october", "quarter", "ytd"): known
 * to the spelling dictionary; timex.c decides what they mean together. */
bool lexicon_is_time_word(const struct slice *word);

/* Words that make "utilization" a commitment's ("sp", "ri", "savings",
 * "reserved", "commitment"): without one it is not in a bill. */
bool lexicon_is_commitment_word(const struct slice *word);

/* Verbs that take a filter off the last answer ("drop", "remove", "undo"). */
bool lexicon_is_removal_verb(const struct slice *word);

/* Verbs that would change data ("delete", "update", ...). */
bool lexicon_is_mutation_verb(const struct slice *word);

/* What makes a request something other than a question about the bill. */
enum offtopic {
	OFFTOPIC_NONE,
	OFFTOPIC_COMPOSE,   /* "write", "poem", "limerick": compose text */
	OFFTOPIC_ACTION,    /* "email", "approve", "rename": act outside finq */
	OFFTOPIC_SECRET,    /* "token", "password": finq's own secrets */
	OFFTOPIC_INJECTION, /* "instructions", "prompt", "pretend": talk to a model */
	OFFTOPIC_CHITCHAT,  /* "joke", "weather": not about the bill */
};
enum offtopic lexicon_offtopic(const struct slice *word);
/* The sentence that refuses a request of that kind. */
const char *lexicon_offtopic_reason(enum offtopic kind);

/* Nouns for the resources of a service ("buckets", "functions", "EBS
 * volumes"): with a ranking they rank resource ids within the service. */
struct resource_noun {
	const char *noun;           /* singular */
	const char *service;        /* its service's product code; NULL: any */
	const char *usage_contains; /* narrows the service's rows ("EBS:Volume"), or NULL */
	bool after_service;         /* a resource only right after its service's name ("KMS keys"),
				       or any service's when service is NULL ("Redshift nodes"):
				       alone the word means something else ("the secret key") */
};
/* The noun a word (singular or plural) is, or NULL. */
const struct resource_noun *lexicon_resource_noun(const struct slice *word);

/* Is the word one of the closed classes above, or a word of a cue phrase
 * (plurals folded)? Names of things are vocab.c's business. */
bool lexicon_is_known_word(const struct slice *word);

/* Can a word of fewer than six letters be a typo of cand at one edit?
 * Only as two letters swapped, one left out or one doubled: "serch" is
 * "search", "terms" is not "team", "seat" is not "sept". */
bool lexicon_short_typo(const char *word, size_t n, const char *cand, size_t len);

/* Spelling: the closed-class word nearest to word (one edit for 4 to 7
 * letters, two from 8), when exactly one is nearest. Writes it to out
 * and returns the distance, or -1 when none. */
int lexicon_correct(const struct slice *word, char *out, size_t size);

#endif
