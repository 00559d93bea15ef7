/*
 * dims: the one table of what finq knows about each dimension of the
 * bill: its name in plans and result columns, its words in sentences, its
 * column in the costs table, the words people use for it, how a word that
 * names values in several dimensions is read, and where to look inside
 * one of its items. Every module that needs such a fact reads it here
 * (plan, vocab, the parser, sqlgen, answer), so they cannot disagree.
 */
#ifndef FINQ_DIMS_H
#define FINQ_DIMS_H

#include "plan.h"

#include <stdbool.h>

#define DIM_MAX_WORDS 12
#define DIM_MAX_DRILL 3

struct dim_info {
	enum dimension dim;
	const char *name;   /* "service": in plans, JSON and result column names */
	const char *label;  /* "service": in sentences */
	const char *plural; /* "services" */
	const char *column; /* "service_code": in the costs table; NULL for none and tags */
	int reading_rank;   /* a word naming values of several dimensions is read as the lowest rank's */
	bool owner;         /* its values are things people name: two such sharing a word is ambiguous */
	enum dimension drill[DIM_MAX_DRILL]; /* inside one item, where to look, best first */
	const char *words[DIM_MAX_WORDS];    /* what people call it ("acct", "linked account") */
};

/* The facts of d (DIM_NONE's for a value out of range). */
const struct dim_info *dim_info(enum dimension d);

#endif
