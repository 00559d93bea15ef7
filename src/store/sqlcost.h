/*
 * sqlcost: what a statement may cost DuckDB before it is parsed, read from
 * its text alone: its named subqueries (WITH entries) and how deeply its
 * parentheses nest. sandbox.c refuses a statement past its caps before
 * DuckDB sees it (5,000 unused CTEs took 20 GB in DuckDB's planner).
 *
 * The scan knows DuckDB's lexical rules that can hide text: '...' strings
 * ('' inside), E'...' strings (backslash escapes), "..." identifiers,
 * $tag$...$tag$ strings, -- comments and nested block comments. Where it
 * could disagree with DuckDB it counts more, never less.
 */
#ifndef FINQ_SQLCOST_H
#define FINQ_SQLCOST_H

#include <stddef.h>

struct sqlcost {
	size_t ctes;      /* "AS (" and "AS [NOT] MATERIALIZED (" outside strings and comments */
	size_t max_depth; /* deepest nesting of parentheses and brackets */
};

void sqlcost_measure(const char *sql, struct sqlcost *out);

#endif
