/*
 * lexer: a question as a list of tokens.
 *
 * Words are lower-cased and keep inner punctuation that names things
 * ("us-east-1", "m5.xlarge", "boxusage:m5.xlarge"); hyphenated plain words
 * split ("month-over-month" -> month over month); a possessive "'s" is
 * dropped. Numbers understand "$2,000", "2k", "1.5m", "10%", "10th"; ISO
 * dates become dates. Pure: no allocation beyond the list itself.
 */
#ifndef FINQ_LEXER_H
#define FINQ_LEXER_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

enum token_kind { TOK_WORD, TOK_NUMBER, TOK_DATE, TOK_PUNCT };

struct token {
	enum token_kind kind;
	struct slice text; /* lower-cased, into token_list.lower */
	double number;     /* TOK_NUMBER */
	bool money;        /* written with a currency sign or k/m suffix */
	bool euro;         /* written with "€": not the bill's dollars, whatever the number */
	bool percent;
	bool ordinal;      /* 1st, 2nd, 10th */
	bool short_year;   /* '25: a year written with an apostrophe and two digits (number 2025) */
	int day;           /* TOK_DATE: day number (date.h) */
	size_t offset;     /* byte offset in the question */
};

struct token_list {
	struct token *items;
	size_t n, alloc;
	char *lower; /* the question lower-cased; tokens point into it */
};

void lex(const char *question, struct token_list *out);
void token_list_release(struct token_list *l);
/* Is token i a word equal to w? (false past the end) */
bool tok_is(const struct token_list *l, size_t i, const char *w);
/* Is token i a word among the NULL-terminated list? */
bool tok_in(const struct token_list *l, size_t i, const char *const *words);

#endif
