/*
 * sqlgen: compile a plan to one SELECT over the canonical `costs` table,
 * or over the smallest daily summary of it that holds every column the
 * plan reads.
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
 * (clarify, refuse, help). Reads the line items (`costs`). */
int sqlgen_build(const struct plan *p, const struct sql_dialect *d, struct strbuf *sql);

/*
 * The daily summary tables a load builds (load/summaries.c), as bits of the
 * `summaries` argument: SQL_SUMMARY_DAY (costs_day: date, account,
 * service, category, region, charge type, pricing term, provider, unit)
 * and SQL_SUMMARY_DAY_DETAIL (costs_day_detail: those and usage type,
 * operation, instance type, zone), and SQL_SUMMARY_DAY_TAG
 * (costs_day_tag: costs_day's columns but region and unit, one slice per
 * tag key with its value, and the "untagged" flag), and
 * SQL_SUMMARY_DAY_TAG_VALUE (costs_day_tag_value: the same slices by
 * date, charge type and provider only). All hold the sums of
 * every measure, so a plan that reads only their columns gets the same
 * answer from them.
 */
enum { SQL_SUMMARY_DAY = 1, SQL_SUMMARY_DAY_DETAIL = 2, SQL_SUMMARY_DAY_TAG = 4, SQL_SUMMARY_DAY_TAG_VALUE = 8 };

/* The smallest table that answers p exactly, given the summaries that
 * exist and are fresh: "costs_day", "costs_day_detail",
 * "costs_day_tag_value" or "costs_day_tag" (a plan naming at most one tag
 * key, or "untagged", and no usage measure; the first with only date,
 * charge type and provider beside it, the second with columns of costs_day
 * but region and unit) or "costs"
 * (resources, two tag keys, a tag with a column the tag summary lacks). */
const char *sqlgen_source(const struct plan *p, unsigned summaries);
/* sqlgen_build() over sqlgen_source(p, summaries). */
int sqlgen_build_on(const struct plan *p, const struct sql_dialect *d, unsigned summaries, struct strbuf *sql);

/* Append the plan's filters (not its time range) as one condition joined
 * by AND, "TRUE" when there are none: the scope of an insight. */
void sqlgen_filters(const struct plan *p, const struct sql_dialect *d, struct strbuf *sql);
/* The same over sqlgen_source(p, summaries), the table a statement of
 * one's own reads the plan's rows from: a tag summary's columns and its
 * slice condition ("AND tag_key = 'team'") instead of the tags MAP. */
void sqlgen_source_filters(const struct plan *p, const struct sql_dialect *d, unsigned summaries, struct strbuf *sql);

/* The result column holding a measure ("amortized_cost", "usage", ...). */
const char *sqlgen_measure_column(enum measure m);

/* The canonical column of a dimension (NULL for DIM_TAG / DIM_NONE). */
const char *sqlgen_column(enum dimension dim);

#endif
