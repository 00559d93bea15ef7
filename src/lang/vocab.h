/*
 * vocab: the words a question can use for things in the bill.
 *
 * Built from the data (the `vocabulary` table that each load refreshes:
 * service codes and names, account ids and names, regions, usage types, tag
 * keys and values, ...), from synonym tables for what people say ("EC2",
 * "N. Virginia", "NAT", "compute", "by team") and from the user's own
 * aliases. Matching is longest-phrase-first over tokens, folds plurals, and
 * tolerates small typos. Pure once built: the parser receives a vocab and
 * never touches a database.
 */
#ifndef FINQ_VOCAB_H
#define FINQ_VOCAB_H

#include "lexer.h"
#include "plan.h"

#include <stdbool.h>
#include <stddef.h>

enum vocab_kind {
	VOCAB_VALUE,     /* a value of a column: a filter */
	VOCAB_DIMENSION, /* names a dimension ("service", "region", "team"): a grouping */
	VOCAB_UNIT,      /* a usage unit of the data ("GB-Mo", "Lambda-GB-Second"): usage in it */
};

struct vocab_entry {
	char *phrase;          /* lower-case tokens joined by single spaces */
	size_t phrase_len;     /* strlen(phrase), kept: fuzzy matching scans every entry */
	size_t first_space;    /* offset of the first space, phrase_len for a single word */
	enum vocab_kind kind;
	struct dim_ref col;    /* VALUE: its column; DIMENSION: the dimension */
	enum filter_op op;     /* VALUE: FILTER_IN, FILTER_CONTAINS or FILTER_PREFIX */
	char **values;         /* VALUE: the values in the data */
	int nvalues;
	char *display;         /* how to name it in answers ("AmazonEC2") */
	double cost;           /* total cost behind it: ranks ambiguous readings */
	bool from_data;        /* the phrase is a value or name found in the data */
	bool family;           /* the shared first word of several tag values ("checkout" for checkout-api,
				  checkout-web), read as a prefix only where a dimension word names its
				  column ("the checkout projects") or no other reading exists */
};

struct vocab {
	struct vocab_entry *items; /* sorted by phrase once vocab_finish() ran */
	size_t n, alloc;
	bool sorted;
};

void vocab_init(struct vocab *v);
void vocab_release(struct vocab *v);

/* One row of the `vocabulary` table: dim is "service", "account", ...,
 * "tag" (a value of tag_key) or "tag_key". Adds the value and every phrase
 * that names it (a service's name, its code without "Amazon"/"AWS", ...). */
void vocab_add_data(struct vocab *v, const char *dim, const char *tag_key, const char *value,
		    const char *name, double cost);
/* A user alias: name means these values (each resolved to its column by
 * the data already added). Returns false when no target is known. */
bool vocab_add_alias(struct vocab *v, const char *name, const char *const *targets, int ntargets);
/* Add the built-in synonyms and sort; call once after the data and aliases. */
void vocab_finish(struct vocab *v);

struct vocab_match {
	size_t first, last;        /* tokens matched */
	const struct vocab_entry *entries[6]; /* the readings, most costly first */
	int nentries;
	bool fuzzy;                /* matched despite a typo */
	int distance;              /* the typo's edits; 0 when exact */
};

/*
 * The longest phrase starting at token i, skipping nothing. Returns false
 * when none. With fuzzy, a typo is tolerated, only in single words of four
 * letters or more for which is_reserved returns false (the parser's own
 * words).
 */
bool vocab_match_at(const struct vocab *v, const struct token_list *toks, size_t i,
		    bool (*is_reserved)(const struct slice *word), bool fuzzy, struct vocab_match *out);

/* The entries whose phrase is exactly text (already normalised). */
size_t vocab_lookup(const struct vocab *v, const char *phrase, const struct vocab_entry **out, size_t max);

/* Normalise free text the way phrases are stored: lex, join with spaces. */
void vocab_normalize(const char *text, char *out, size_t size);

/* Damerau-Levenshtein distance, capped at limit + 1. Exposed for tests. */
int edit_distance(const char *a, size_t na, const char *b, size_t nb, int limit);

#endif
