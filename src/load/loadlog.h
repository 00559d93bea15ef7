/*
 * loadlog: what each load replaced, and undoing a load.
 *
 * A load replaces the rows of earlier loads for its billing periods (CUR
 * deliveries are cumulative). Instead of deleting them, load.c calls
 * loadlog_replace(), which moves them to `costs_replaced` and records the
 * load's periods in `load_periods`. The replaced rows of a period are kept
 * until the next load of that period: one level of history per period, so
 * the storage a load log costs is bounded by one copy of each period.
 * loadlog_undo() puts a load's replaced rows back and removes its own;
 * loadlog_list() describes the loads for `finq loads`.
 * It does not read files or decide what a load holds: that is load.c.
 */
#ifndef FINQ_LOADLOG_H
#define FINQ_LOADLOG_H

#include "db.h"
#include "err.h"

#include <stdint.h>

struct json_t;

/* Create the load log's tables if missing (idempotent). */
int loadlog_ensure_schema(struct db *db, struct err *e);

/* Inside the load's transaction, once load_id's rows are in `costs`: move
 * the rows of earlier loads for the same (billing period, provider, payer)
 * to `costs_replaced`, drop the history those periods had, and record the
 * load's periods. *replaced is the number of rows moved. */
int loadlog_replace(struct db *db, long long load_id, int64_t *replaced, struct err *e);

/* Undo load_id in a transaction of its own: its rows go, the rows it
 * replaced come back. Refused (ERR_USAGE class, e says why) when a later
 * load holds one of its periods, when its replaced rows are no longer kept,
 * or when it was undone already. *removed and *restored count rows. */
int loadlog_undo(struct db *db, long long load_id, int64_t *removed, int64_t *restored, struct err *e);

/* Every load, newest first, as a JSON array the caller owns (`finq loads
 * --json` prints it as {"loads": [...]}):
 * {"id", "loaded_at", "rows", "replaced", "seconds", "files": [{"path",
 * "format"}], "periods": [{"billing_period", "provider",
 * "payer_account_id", "rows", "replaced_rows", "replaced_loads": [id]}],
 * "undone_at", "undoable", "why_not"}. */
int loadlog_list(struct db *db, struct json_t **out, struct err *e);

#endif
