/*
 * summary: the data at a glance, for GET /api/v1/data/summary. See
 * summary.c.
 */
#ifndef FINQ_SUMMARY_H
#define FINQ_SUMMARY_H

#include "ask.h"
#include "err.h"

struct json_t;

/* Build the summary of ctx's data as of today into *out (the caller's):
 * info_collect()'s sections, "date_range", the month to date and
 * "starter_questions". ERR_NO_DATA when the data has no dates,
 * ERR_DATABASE when a query fails. */
int summary_build(struct ask_context *ctx, int today, struct json_t **out, struct err *e);

#endif
