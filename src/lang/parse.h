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
};

struct parse_result {
	struct plan plan;
	bool followup;    /* the question edited the previous plan */
	char notes[512];  /* how uncertain words were read ("'cloudwach' read as AmazonCloudWatch") */
};

/* Always fills out->plan: an answerable plan, or INTENT_CLARIFY /
 * INTENT_REFUSE / INTENT_HELP with a message. */
void parse_question(const struct parse_input *in, struct parse_result *out);

/* For tests: 0 when the cue table is sorted, else the first entry out of
 * order (binary search needs the order). */
size_t parse_cue_table_disorder(void);

/* True for the parser's own words, which never name things in the bill. */
bool parse_is_reserved(const struct slice *word);

#endif
