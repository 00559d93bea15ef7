/*
 * parse: a question (and the conversation so far) -> a plan.
 *
 * The steps: tokens (lexer.c); time expressions (timex.c); the parser's own
 * words ("top", "by", "compare", "excluding", ...) from the cue table in
 * parse.c; names of things from the vocabulary (vocab.c); then the plan is
 * assembled, or, for a follow-up ("what about S3?", "break it down by
 * region", "top 3 only"), the previous plan is edited. Pure: the clock and
 * the vocabulary come in, nothing is read or written.
 */
#ifndef FINQ_PARSE_H
#define FINQ_PARSE_H

#include "plan.h"
#include "vocab.h"

struct parse_input {
	const char *question;
	int today;                      /* day number (date.h) */
	const struct vocab *vocab;
	const struct plan *previous;    /* the conversation's last plan, or NULL */
	const char *previous_top_label; /* first label of the last answer ("drill into the top one") */
	/* when previous is a question asked back: the conversation's last
	 * answered plan and its first label, which a turn that does not
	 * answer the question back leans on ("no, I meant October") */
	const struct plan *answered;
	const char *answered_top_label;
};

/* What became of a question. Only PARSE_ANSWERED runs a query. */
enum parse_status {
	PARSE_ANSWERED,  /* every word was read: the plan answers it */
	PARSE_UNKNOWN,   /* a content word means nothing here: ask back, naming it */
	PARSE_AMBIGUOUS, /* a name has several readings and nothing decides: ask, with choices */
	PARSE_OFFTOPIC,  /* not a question about the bill, or one finq must refuse */
};

/* The role of one word of the question: the user's view of why. */
enum word_role {
	WORD_FUNCTION,  /* "the", "please": carries nothing a plan could lose */
	WORD_PUNCT,
	WORD_TIME,      /* part of a time expression */
	WORD_NUMBER,    /* a number or an amount */
	WORD_PARSER,    /* one of the parser's own words ("top", "by", "excluding") */
	WORD_NAME,      /* a name from the data, a synonym or a user alias */
	WORD_RESOURCE,  /* a resource id recognised by its shape */
	WORD_UNKNOWN,   /* no role: the question is not answered */
	WORD_OFFTOPIC,  /* makes the request something finq does not do */
};

#define PARSE_MAX_WORDS 48

struct word_reading {
	char word[48];      /* as the lexer wrote it (lower case) */
	char corrected[48]; /* the word it was read as, when it was a typo; else empty */
	enum word_role role;
	char detail[96];    /* what it was read as: "AmazonEC2 (service)", "2025-10-01..2025-10-31" */
};

struct parse_result {
	struct plan plan;
	bool followup;    /* the question edited the previous plan */
	char notes[512];  /* how uncertain words were read ("'cloudwach' read as AmazonCloudWatch") */
	enum parse_status status;
	struct word_reading words[PARSE_MAX_WORDS]; /* each word of the question and its role */
	size_t nwords;
};

/* Always fills out->plan: an answerable plan (status PARSE_ANSWERED, or
 * INTENT_HELP), or INTENT_CLARIFY / INTENT_REFUSE with a message, and the
 * role of every word. */
void parse_question(const struct parse_input *in, struct parse_result *out);

const char *parse_status_name(enum parse_status s); /* "answered", "unknown", ... */
const char *word_role_name(enum word_role r);       /* "function", "time", ... */

/* For tests: 0 when the cue table is sorted, else the first entry out of
 * order (binary search needs the order). */
size_t parse_cue_table_disorder(void);

/* True for the parser's own words, which never name things in the bill. */
bool parse_is_reserved(const struct slice *word);

#endif
