/*
 * parse_internal: what the files of the parser share (parse.c, reading.c,
 * understand.c, assemble.c, followup.c): a question's reading (its tokens
 * with a role each, the cues and names found, the time expressions) and
 * the steps over it. Not for use outside src/lang/: parse.h is the
 * parser's interface.
 */
#ifndef FINQ_PARSE_INTERNAL_H
#define FINQ_PARSE_INTERNAL_H

#include "lexicon.h"
#include "parse.h"
#include "strbuf.h"
#include "timex.h"
#include "vocab.h"

#include <stdbool.h>
#include <stddef.h>

enum token_role { ROLE_FREE, ROLE_TIME, ROLE_CUE, ROLE_NAME };

#define MAX_ITEMS 48

struct cue_hit {
	size_t first, last;
	enum cue cue;
};

struct name_hit {
	struct vocab_match m;
	const struct vocab_entry *reading; /* the chosen reading */
	bool qualifier;                    /* a dimension word that named a value's column */
	bool excluded;                     /* after "excluding ..." */
	bool plural;                       /* "services" rather than "service" */
	bool grouping;                     /* used as the plan's grouping */
	bool scope;                        /* "across all accounts": all of them, summed */
	bool qualified;                    /* its column was named by a dimension word next to it */
	char resource[PLAN_NAME_MAX];      /* a resource id recognised by its shape */
};

struct reading {
	const struct parse_input *in;
	const char *text; /* the question as read: typos in the parser's own words corrected */
	bool fuzzy_names; /* names may be typos: only once exact words left some unread */
	struct token_list toks;
	enum token_role *role;
	struct time_mention times[8];
	size_t ntimes;
	struct cue_hit cues[MAX_ITEMS];
	size_t ncues;
	struct name_hit names[MAX_ITEMS];
	size_t nnames;
	struct {
		size_t tok;
		const struct resource_noun *noun;
	} nouns[4]; /* "buckets", "functions": resources of a service */
	size_t nnouns;
	enum grain time_noun; /* "which day", "days when ... above $5", "the peak month": the days themselves */
	size_t counted;       /* the token naming what "how many" counts; SIZE_MAX: none */
	bool count_previous;  /* "how many are there": a count of what the last answer listed */
	bool refers_to_top;   /* "its", "that team": the first item of the last answer */
	struct strbuf notes;
};

#define MAX_FIXES 8

/* Typos in the parser's own words, months and time words, corrected
 * before the question is read again. */
struct spelling {
	char from[MAX_FIXES][48], to[MAX_FIXES][48];
	int n;
};

bool parse_has_cue(const struct reading *r, enum cue c);
/* clauses.c: two questions in one message; their texts when so */
bool parse_two_questions(const struct reading *r, char *first, size_t first_size, char *second, size_t second_size);
/* clauses.c: "if we moved everything to Spot", "what if prices rose 5%" */
bool parse_what_if(const struct reading *r);
/* "SP", "RI", "savings", "reserved", "commitment": a commitment is named */
bool parse_says_commitment(const struct reading *r);
const struct cue_hit *parse_find_cue(const struct reading *r, enum cue c);
enum cue parse_cue_before(const struct reading *r, size_t i);
double parse_number_at(const struct reading *r, size_t i);
void parse_note(struct reading *r, const char *fmt, const char *a, const char *b);
bool parse_is_dimension_hit(const struct name_hit *h);
int parse_choose_readings(struct reading *r, struct plan *p);
void parse_mark_exclusions(struct reading *r);
bool parse_has_unread_word(const struct reading *r);
void parse_refuse(struct plan *p, const char *why);
bool parse_check_refusal(struct reading *r, struct plan *p);
bool parse_about_costs(const struct reading *r);
bool parse_looks_like_followup(const struct reading *r);
/* followup.c: "drop the region filter", "clear the filters": an edit that
 * takes filters off the last answer */
bool parse_removes_filters(const struct reading *r);
bool parse_removal_verb_at(const struct reading *r, size_t i);
bool parse_has_any_cue(const struct reading *r, const enum cue *list, size_t n);
const char *parse_insight_of(const struct reading *r, bool ranked, bool grouped, bool compare);
int parse_forecast_months(const struct reading *r, int today);
void parse_plan_standalone(struct reading *r, struct plan *p, bool *group_mentioned, bool *measure_mentioned,
			    bool *limit_mentioned);
void parse_apply_followup(struct reading *r, const struct plan *prev, struct plan *now, bool group_mentioned,
			   bool measure_mentioned, bool limit_mentioned);
bool parse_answer_clarification(const struct parse_input *in, struct parse_result *out);
bool parse_previous_answered(const struct plan *prev);
/* "list", "name", "show": the question asks to see the rows */
bool parse_asks_to_list(const struct reading *r);
/* "list them" after an answered count by a dimension: the things counted */
bool parse_lists_what_was_counted(const struct reading *r);
/* "costing us per day", "average", "run rate": "per day" is a rate, not each day */
bool parse_per_day_rate_words(const struct reading *r);
char *parse_correct_spelling(const struct reading *r, struct spelling *fix);
bool parse_check_offtopic(struct reading *r, struct plan *p);
bool parse_check_unknown(struct reading *r, struct plan *p);
bool parse_says_nothing(const struct reading *r);
bool parse_check_ambiguity(struct reading *r, struct plan *p);
/* "and tax" after an exclusion: add to it or make it the subject? Ask. */
bool parse_check_followup_and(const struct reading *r, const struct plan *prev, struct plan *p);
bool parse_check_followup_possessive(struct reading *r, const struct plan *prev, struct plan *p);
/* Two different measures named ("on-demand price ... usage"): ask which. */
bool parse_check_measure_conflict(struct reading *r, struct plan *p);
struct measure_cue {
	enum cue cue;
	enum measure measure;
	const char *unit; /* of a usage measure ("GB"), else NULL */
};
/* The measure cue hit c names, NULL for none. */
const struct measure_cue *parse_measure_of_cue(const struct reading *r, size_t c);
size_t parse_counted_token(const struct reading *r);
bool parse_counts_previous(const struct reading *r);
bool parse_check_unused_dimensions(struct reading *r, struct plan *p);
bool parse_followup_says_something(const struct reading *r, const struct plan *now, bool group_mentioned,
				    bool measure_mentioned, bool limit_mentioned);
void reading_start(struct reading *r, const struct parse_input *in, const char *text, bool fuzzy_names);
void reading_release(struct reading *r);
void parse_question(const struct parse_input *in, struct parse_result *out);

#endif
