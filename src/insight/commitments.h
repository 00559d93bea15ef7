/*
 * commitments: Savings Plan and RI utilization, coverage and net savings
 * (insight_commitments, declared in insight.h; docs/commitments.md).
 * This header adds what the golden SQL tests need: the analysis' main
 * query for a plan, without running it.
 */
#ifndef FINQ_COMMITMENTS_H
#define FINQ_COMMITMENTS_H

#include "dialect.h"
#include "insight.h"
#include "plan.h"
#include "strbuf.h"

/* Append the query the analysis runs first for a question's plan: the
 * figures of every kind over plan->range, by month, or by plan->group when
 * it groups; a charge-type filter naming SP or RI lines selects the kind
 * and filters nothing. Pure: builds text. */
void commitments_plan_sql(const struct plan *scope, const struct sql_dialect *d, struct strbuf *sql);

#endif
