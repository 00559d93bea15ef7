/*
 * info: what is loaded, at a glance: the queries behind `finq info` and the
 * API's GET /api/v1/data/summary. Each section is one query over the
 * canonical tables, listed in info_sections[]; cmd_info.c prints them as
 * text, info_collect() gathers them as JSON. No I/O besides the queries.
 */
#ifndef FINQ_INFO_H
#define FINQ_INFO_H

#include "db.h"
#include "err.h"

struct json_t;

struct info_section {
	const char *key;   /* the JSON key */
	const char *title; /* the heading of the text output */
	const char *sql; /* with dialect macros (dialect.h): run it with info_section_query() */
};

/* In the order they are shown; the first ("summary") is one row. */
extern const struct info_section info_sections[];
extern const size_t info_sections_count;

/* Run section i into *out (initialised by the caller). */
int info_section_query(struct db *db, size_t i, struct table *out, struct err *e);
/* Run every section on db into a new JSON object (the caller's):
 * {"summary": {...one row as an object...}, "months": {"columns", "rows"},
 *  ...}. Fails with e set when a query fails. */
int info_collect(struct db *db, struct json_t **out, struct err *e);

#endif
