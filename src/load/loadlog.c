/*
 * loadlog: the load log and undo. See loadlog.h; docs/data.md ("Undoing a
 * load") says the same in words.
 *
 * Tables (created here, beside schema.c's):
 *   costs_replaced  the rows a load replaced, with `replaced_by` its id
 *   load_periods    one row per (load, billing period, provider, payer):
 *                   rows loaded, rows replaced, the loads they came from,
 *                   and whether those replaced rows are still kept
 *   load_undos      the loads undone, and when
 * A period key is (billing_period, provider, coalesce(payer_account_id,
 * '')); load_periods stores '' for a missing payer.
 */
#include "loadlog.h"
#include "err.h"
#include "schema.h"
#include "strbuf.h"
#include "summaries.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char loadlog_ddl[] =
	"CREATE TABLE IF NOT EXISTS load_periods (\n"
	"  load_id INTEGER NOT NULL,\n"
	"  billing_period DATE NOT NULL,\n"
	"  provider VARCHAR NOT NULL,\n"
	"  payer_account_id VARCHAR NOT NULL,\n"
	"  rows BIGINT NOT NULL,\n"
	"  replaced_rows BIGINT NOT NULL,\n"
	"  replaced_loads VARCHAR,\n"
	"  history_kept BOOLEAN NOT NULL\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS load_undos (\n"
	"  load_id INTEGER NOT NULL,\n"
	"  undone_at TIMESTAMP NOT NULL\n"
	");\n";

/* The key of a costs row, and the same key in load_periods. */
#define COSTS_KEY "(billing_period, provider, coalesce(payer_account_id, ''))"
#define PERIODS_KEY "(billing_period, provider, payer_account_id)"

static void add_columns(struct strbuf *sql)
{
	for (const char *const *c = costs_columns; *c; c++)
		strbuf_addf(sql, "%s%s", c == costs_columns ? "" : ", ", *c);
}

int loadlog_ensure_schema(struct db *db, struct err *e)
{
	if (db_exec(db, loadlog_ddl, e))
		return err_prefix(e, "cannot create the load log tables");
	/* costs_replaced has costs' columns, in costs_columns' order. */
	struct strbuf sql;
	strbuf_init(&sql, 0);
	strbuf_addstr(&sql, "CREATE TABLE IF NOT EXISTS costs_replaced AS SELECT ");
	add_columns(&sql);
	strbuf_addstr(&sql, ", CAST(NULL AS INTEGER) AS replaced_by FROM costs LIMIT 0");
	int rc = db_exec(db, sql.buf, e);
	strbuf_release(&sql);
	if (rc)
		return err_prefix(e, "cannot create the load log tables");
	/* A column costs gained after costs_replaced was made is added to it,
	 * or moving rows there would fail. */
	struct table t;
	table_init(&t);
	rc = db_query(db,
		      "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'costs' AND schema_name = 'main' "
		      "AND column_name NOT IN (SELECT column_name FROM duckdb_columns() WHERE table_name = 'costs_replaced' "
		      "AND schema_name = 'main')",
		      &t, 0, e);
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		strbuf_init(&sql, 0);
		strbuf_addstr(&sql, "ALTER TABLE costs_replaced ADD COLUMN ");
		strbuf_add_sql_ident(&sql, table_at(&t, r, 0)->v.s);
		strbuf_addf(&sql, " %s", table_at(&t, r, 1)->v.s);
		rc = db_exec(db, sql.buf, e);
		strbuf_release(&sql);
	}
	table_release(&t);
	if (rc)
		return err_prefix(e, "cannot update the load log tables");
	return 0;
}

int loadlog_replace(struct db *db, long long load_id, int64_t *replaced, struct err *e)
{
	struct strbuf sql;
	strbuf_init(&sql, 0);
	*replaced = 0;
	/* the load's periods */
	strbuf_addf(&sql,
		    "INSERT INTO load_periods SELECT %lld, billing_period, provider, coalesce(payer_account_id, ''), "
		    "count(*), 0, NULL, true FROM costs WHERE load_id = %lld GROUP BY ALL;\n",
		    load_id, load_id);
	/* one level of history: what earlier loads of these periods replaced
	 * goes now */
	strbuf_addf(&sql,
		    "DELETE FROM costs_replaced WHERE " COSTS_KEY " IN (SELECT " PERIODS_KEY
		    " FROM load_periods WHERE load_id = %lld);\n"
		    "UPDATE load_periods SET history_kept = false WHERE load_id <> %lld AND " PERIODS_KEY
		    " IN (SELECT " PERIODS_KEY " FROM load_periods WHERE load_id = %lld);\n",
		    load_id, load_id, load_id);
	/* what this load replaces, per period */
	strbuf_addf(&sql,
		    "UPDATE load_periods SET replaced_rows = r.n, replaced_loads = r.ids FROM (SELECT billing_period AS bp, "
		    "provider AS pr, coalesce(payer_account_id, '') AS pa, count(*) AS n, "
		    "array_to_string(list_sort(list(DISTINCT load_id)), ',') AS ids FROM costs WHERE load_id <> %lld AND "
		    COSTS_KEY " IN (SELECT " PERIODS_KEY " FROM load_periods WHERE load_id = %lld) GROUP BY ALL) r "
		    "WHERE load_periods.load_id = %lld AND billing_period = r.bp AND provider = r.pr AND payer_account_id = r.pa;\n",
		    load_id, load_id, load_id);
	/* by name: columns added to costs_replaced later come last */
	strbuf_addstr(&sql, "INSERT INTO costs_replaced (");
	add_columns(&sql);
	strbuf_addstr(&sql, ", replaced_by) SELECT ");
	add_columns(&sql);
	strbuf_addf(&sql, ", %lld FROM costs WHERE load_id <> %lld AND " COSTS_KEY " IN (SELECT " PERIODS_KEY
		    " FROM load_periods WHERE load_id = %lld)",
		    load_id, load_id, load_id);
	int rc = db_exec(db, sql.buf, e);
	if (rc == 0) {
		strbuf_reset(&sql);
		strbuf_addf(&sql, "DELETE FROM costs WHERE load_id <> %lld AND " COSTS_KEY " IN (SELECT " PERIODS_KEY
			    " FROM load_periods WHERE load_id = %lld)", load_id, load_id);
		rc = db_query_int(db, sql.buf, replaced, e);
	}
	strbuf_release(&sql);
	return rc;
}

/* The first row's first column as text into buf; 1 if there was a row. */
static int query_text(struct db *db, const char *sql, char *buf, size_t size, char *buf2, size_t size2,
		      struct err *e)
{
	struct table t;
	table_init(&t);
	int rc = db_query(db, sql, &t, 1, e);
	if (rc == 0 && t.nrows == 1) {
		char tmp[64];
		const struct cell *c = table_at(&t, 0, 0);
		snprintf(buf, size, "%s", c->kind == CELL_NULL ? "" : cell_format(c, tmp, sizeof(tmp)));
		if (buf2 && t.ncols > 1) {
			c = table_at(&t, 0, 1);
			snprintf(buf2, size2, "%s", c->kind == CELL_NULL ? "" : cell_format(c, tmp, sizeof(tmp)));
		}
		rc = 1;
	}
	table_release(&t);
	return rc;
}

/* Why load_id cannot be undone: 0 and why[0] = '\0' if it can, 1 with
 * why filled (and *code the exit class) if not, -1 on a database error. */
static int undo_blocker(struct db *db, long long load_id, char *why, size_t size, int *code, struct err *e)
{
	char sql[1024], a[64], b[64];
	int rc;
	why[0] = '\0';
	*code = ERR_REFUSED;
	snprintf(sql, sizeof(sql), "SELECT load_id FROM loads WHERE load_id = %lld", load_id);
	if ((rc = query_text(db, sql, a, sizeof(a), NULL, 0, e)) <= 0) {
		if (rc == 0) {
			*code = ERR_USAGE;
			snprintf(why, size, "there is no load %lld: 'finq loads' lists them", load_id);
		}
		return rc < 0 ? -1 : 1;
	}
	snprintf(sql, sizeof(sql), "SELECT strftime(undone_at, '%%Y-%%m-%%d %%H:%%M:%%S') FROM load_undos WHERE load_id = %lld",
		 load_id);
	if ((rc = query_text(db, sql, a, sizeof(a), NULL, 0, e)) != 0) {
		if (rc > 0)
			snprintf(why, size, "load %lld was undone already, at %s", load_id, a);
		return rc < 0 ? -1 : 1;
	}
	snprintf(sql, sizeof(sql), "SELECT 1 FROM load_periods WHERE load_id = %lld", load_id);
	if ((rc = query_text(db, sql, a, sizeof(a), NULL, 0, e)) <= 0) {
		if (rc == 0)
			snprintf(why, size, "load %lld was made before finq recorded what loads replace", load_id);
		return rc < 0 ? -1 : 1;
	}
	snprintf(sql, sizeof(sql),
		 "SELECT q.load_id, strftime(p.billing_period, '%%Y-%%m') FROM load_periods p JOIN load_periods q "
		 "ON q.billing_period = p.billing_period AND q.provider = p.provider "
		 "AND q.payer_account_id = p.payer_account_id AND q.load_id > p.load_id "
		 "WHERE p.load_id = %lld AND q.load_id NOT IN (SELECT load_id FROM load_undos) "
		 "ORDER BY q.load_id DESC LIMIT 1", load_id);
	if ((rc = query_text(db, sql, a, sizeof(a), b, sizeof(b), e)) != 0) {
		if (rc > 0)
			snprintf(why, size, "billing period %s was loaded again by load %s: undo load %s first", b, a, a);
		return rc < 0 ? -1 : 1;
	}
	snprintf(sql, sizeof(sql),
		 "SELECT strftime(billing_period, '%%Y-%%m') FROM load_periods WHERE load_id = %lld "
		 "AND replaced_rows > 0 AND NOT history_kept ORDER BY 1 LIMIT 1", load_id);
	if ((rc = query_text(db, sql, a, sizeof(a), NULL, 0, e)) != 0) {
		if (rc > 0)
			snprintf(why, size, "the rows load %lld replaced in %s are no longer kept: finq keeps the rows "
				 "a load replaced only until the next load of that billing period", load_id, a);
		return rc < 0 ? -1 : 1;
	}
	return 0;
}

int loadlog_undo(struct db *db, long long load_id, int64_t *removed, int64_t *restored, struct err *e)
{
	char why[512];
	int code = 0;
	struct summaries_tuning tuning = { 0 };
	*removed = *restored = 0;
	int blocked = undo_blocker(db, load_id, why, sizeof(why), &code, e);
	if (blocked < 0)
		return -1;
	if (blocked)
		return err_set_code(e, code, "cannot undo load %lld: %s", load_id, why);
	struct strbuf sql;
	strbuf_init(&sql, 0);
	if (db_exec(db, "BEGIN TRANSACTION", e))
		goto fail_nobegin;
	strbuf_addf(&sql, "DELETE FROM costs WHERE load_id = %lld", load_id);
	if (db_query_int(db, sql.buf, removed, e))
		goto fail;
	strbuf_reset(&sql);
	strbuf_addstr(&sql, "INSERT INTO costs (");
	add_columns(&sql);
	strbuf_addstr(&sql, ") SELECT ");
	add_columns(&sql);
	strbuf_addf(&sql, " FROM costs_replaced WHERE replaced_by = %lld", load_id);
	if (db_query_int(db, sql.buf, restored, e))
		goto fail;
	strbuf_reset(&sql);
	strbuf_addf(&sql,
		    "DELETE FROM costs_replaced WHERE replaced_by = %lld;\n"
		    "INSERT INTO load_undos VALUES (%lld, now()::TIMESTAMP);\n",
		    load_id, load_id);
	if (db_exec(db, sql.buf, e))
		goto fail;
	/* the undone load's billing periods: its rows went, the ones it
	 * replaced came back */
	strbuf_reset(&sql);
	strbuf_addf(&sql, "SELECT billing_period FROM load_periods WHERE load_id = %lld", load_id);
	if (summaries_refresh(db, sql.buf, &tuning, e) ||
	    db_exec(db, schema_vocabulary_sql, e) /* reads the summaries */ || db_exec(db, "COMMIT", e))
		goto fail;
	summaries_finish(db, &tuning);
	strbuf_release(&sql);
	return 0;
fail: {
	struct err ignored = { 0 };
	db_exec(db, "ROLLBACK", &ignored);
	summaries_finish(db, &tuning);
}
fail_nobegin: {
	struct err cause = *e;
	strbuf_release(&sql);
	return err_set_code(e, ERR_DATABASE, "cannot undo load %lld: %s", load_id, cause.msg);
}
}

/* ---- listing ---- */

static json_t *cell_json(const struct table *t, size_t r, size_t c)
{
	return cell_to_json(table_at(t, r, c));
}

static int list_files(struct db *db, long long id, json_t *load, struct err *e)
{
	struct table t;
	table_init(&t);
	int rc = db_queryf(db, &t, e, "SELECT path, format FROM load_files WHERE load_id = %lld ORDER BY path", id);
	json_t *files = json_array();
	for (size_t r = 0; rc == 0 && r < t.nrows; r++)
		json_array_append_new(files, json_pack("{s:o, s:o}", "path", cell_json(&t, r, 0), "format", cell_json(&t, r, 1)));
	json_object_set_new(load, "files", files);
	table_release(&t);
	return rc;
}

static int list_periods(struct db *db, long long id, json_t *load, struct err *e)
{
	struct table t;
	table_init(&t);
	int rc = db_queryf(db, &t, e,
			   "SELECT strftime(billing_period, '%%Y-%%m'), provider, payer_account_id, rows, replaced_rows, "
			   "coalesce(replaced_loads, '') FROM load_periods WHERE load_id = %lld ORDER BY 1, 2, 3", id);
	json_t *periods = json_array();
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		json_t *from = json_array();
		const struct cell *ids = table_at(&t, r, 5);
		for (const char *p = ids->kind == CELL_TEXT ? ids->v.s : ""; *p;) {
			json_array_append_new(from, json_integer(strtoll(p, NULL, 10)));
			p += strcspn(p, ",");
			p += *p == ',';
		}
		json_array_append_new(periods, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "billing_period",
							 cell_json(&t, r, 0), "provider", cell_json(&t, r, 1),
							 "payer_account_id", cell_json(&t, r, 2), "rows", cell_json(&t, r, 3),
							 "replaced_rows", cell_json(&t, r, 4), "replaced_loads", from));
	}
	json_object_set_new(load, "periods", periods);
	table_release(&t);
	return rc;
}

int loadlog_list(struct db *db, json_t **out, struct err *e)
{
	struct table t;
	table_init(&t);
	*out = NULL;
	int rc = db_query(db,
			  "SELECT l.load_id, strftime(l.loaded_at, '%Y-%m-%d %H:%M:%S'), l.rows, l.replaced, l.seconds, "
			  "strftime(u.undone_at, '%Y-%m-%d %H:%M:%S') FROM loads l LEFT JOIN load_undos u USING (load_id) "
			  "ORDER BY l.load_id DESC",
			  &t, 0, e);
	json_t *loads = json_array();
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		long long id = (long long)cell_number(table_at(&t, r, 0));
		char why[512];
		int code = 0;
		int blocked = undo_blocker(db, id, why, sizeof(why), &code, e);
		if (blocked < 0) {
			rc = -1;
			break;
		}
		json_t *load = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:b}", "id", (json_int_t)id, "loaded_at",
					 cell_json(&t, r, 1), "rows", cell_json(&t, r, 2), "replaced", cell_json(&t, r, 3),
					 "seconds", cell_json(&t, r, 4), "undone_at", cell_json(&t, r, 5), "undoable", !blocked);
		json_object_set_new(load, "why_not", blocked ? json_string(why) : json_null());
		json_array_append_new(loads, load);
		if (list_files(db, id, load, e) || list_periods(db, id, load, e)) {
			rc = -1;
			break;
		}
	}
	table_release(&t);
	if (rc) {
		json_decref(loads);
		return -1;
	}
	*out = loads;
	return 0;
}
