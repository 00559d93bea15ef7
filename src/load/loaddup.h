/*
 * loaddup: one load never counts the same charges twice.
 *
 * A folder may hold the same billing period more than once: several
 * deliveries of a month (CUR deliveries are cumulative month-to-date
 * snapshots), the same export in two formats, or a copy of a file.
 * load.c inserts every file of a load, then calls loaddup_resolve() inside
 * its transaction: it finds (billing period, provider, payer) keys that
 * more than one file covers with the same charges, keeps the newest
 * delivery, deletes the others' rows of that key and says on stderr what
 * was skipped and which rule decided. Files whose rows do not overlap are
 * parts of one delivery and all stay. When it cannot tell which delivery
 * is the newer it fails, and the caller rolls the load back.
 * It does not touch rows of earlier loads: that is load.c's replacement.
 */
#ifndef FINQ_LOADDUP_H
#define FINQ_LOADDUP_H

#include "db.h"
#include "err.h"
#include "schema.h"

#include <stdint.h>
#include <stdio.h>

struct loaddup_file {
	const char *path;          /* as the rows' `source` holds it; borrowed */
	enum export_format format;
};

/* Resolve overlapping sources of load load_id among files[0..n). Messages
 * go to report (NULL: none). *skipped_rows counts the rows removed. */
int loaddup_resolve(struct db *db, long long load_id, const struct loaddup_file *files, size_t n,
		    FILE *report, int64_t *skipped_rows, struct err *e);

#endif
