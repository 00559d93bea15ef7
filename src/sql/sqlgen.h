/*
 * sqlgen: compile a plan to one SELECT over the canonical `costs` table.
 *
 * Everything taken from the question reaches the SQL only as an escaped
 * literal (strbuf_add_sql_literal); identifiers come from finq's own
 * tables. The differences between engines are a `struct sql_dialect`;
 * DuckDB's is sql_dialect_duckdb (dialect_duckdb.c). Pure: builds text.
 */
#ifndef FINQ_SQLGEN_H
#define FINQ_SQLGEN_H

#include "plan.h"
#include "strbuf.h"

struct sql_dialect {
	const char *name;
	void (*date_literal)(struct strbuf *sql, int day);
	/* the first day of the bucket (grain) holding the DATE expression col */
	void (*date_bucket)(struct strbuf *sql, enum grain grain, const char *col);
	/* the value of tag `key` in the tags map, NULL when absent */
	void (*tag_value)(struct strbuf *sql, const char *key);
	/* true when a row carries no user tag (aws_* tags do not count) */
	void (*untagged)(struct strbuf *sql);
	/* col contains / starts with the text */
	void (*contains)(struct strbuf *sql, const char *col, const char *text);
	void (*starts_with)(struct strbuf *sql, const char *col, const char *text);
};

extern const struct sql_dialect sql_dialect_duckdb;

/* Append the plan's SQL to sql; -1 for plans that run no query
 * (clarify, refuse, help). */
int sqlgen_build(const struct plan *p, const struct sql_dialect *d, struct strbuf *sql);

/* Append the plan's filters (not its time range) as one condition joined
 * by AND, "TRUE" when there are none: the scope of an insight. */
void sqlgen_filters(const struct plan *p, const struct sql_dialect *d, struct strbuf *sql);

/* The result column holding a measure ("amortized_cost", "usage", ...). */
const char *sqlgen_measure_column(enum measure m);

/* The canonical column of a dimension (NULL for DIM_TAG / DIM_NONE). */
const char *sqlgen_column(enum dimension dim);

#endif
