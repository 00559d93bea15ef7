/*
 * sqlgen: compile a plan to one SELECT over the canonical `costs` table.
 *
 * Everything taken from the question reaches the SQL only as an escaped
 * literal (strbuf_add_sql_literal); identifiers come from finq's own
 * tables. The differences between engines are a `struct sql_dialect`
 * (dialect.h), which the caller passes in: the service layer picks it
 * once, with the backend. Pure: builds text.
 */
#ifndef FINQ_SQLGEN_H
#define FINQ_SQLGEN_H

#include "dialect.h"
#include "plan.h"
#include "strbuf.h"


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
