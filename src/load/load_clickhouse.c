/*
 * load_clickhouse: a load into a ClickHouse cluster. See load_clickhouse.h.
 *
 * The protocol (docs/engines.md):
 * 1. DuckDB loads the exports into a staging file (load.c, unchanged: the
 *    same canonical rows, checks and duplicate rules as a local load).
 * 2. The shards are read from system.clusters; each declares its HTTP port
 *    as the macro http_port (scripts/cluster.sh writes it). Tables are made
 *    where missing: costs_local (MergeTree, partitioned by month of the
 *    billing period, payer and generation) on every shard, costs_all
 *    (Distributed over them) and, on the node of the address, generations,
 *    the costs view and the vocabulary.
 * 3. The rows go, as CSV that DuckDB writes (one file per shard), straight
 *    into each shard's costs_local under a new generation number, the
 *    shards in parallel; a shard that is down fails the load. Their count
 *    over costs_all is checked.
 * 4. One INSERT into generations makes the generation current for its
 *    billing periods and payers: the costs view reads, per (period, payer),
 *    only the newest generation listed there. Before that INSERT nothing
 *    new is visible; after it the old rows are not. A failed load never
 *    gets there.
 * 5. The vocabulary is rebuilt as a new version; the partitions of the
 *    generations replaced are dropped (a query still reading them keeps
 *    its parts until it ends).
 */
#include "load_clickhouse.h"

#include "clickhouse.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* The columns of costs on ClickHouse, their types there, and how the
 * staging DuckDB writes each into the CSV (tags: a map becomes two arrays
 * in ClickHouse's text form). Order is the CSV's. The payer is stored as
 * `payer`, never NULL (''): 18.16 crashes inserting into a partition that
 * exists when a Nullable column is in the partition key; the costs view
 * gives it back as payer_account_id. */
static const struct {
	const char *name;   /* in costs_local */
	const char *type;
	const char *export; /* NULL: the column itself */
	const char *read;   /* in the costs view; NULL: the column itself */
} ch_columns[] = {
	{ "usage_date", "Date", NULL, NULL },
	{ "charge_start", "Nullable(DateTime)", "strftime(charge_start, '%Y-%m-%d %H:%M:%S')", NULL },
	{ "billing_period", "Date", NULL, NULL },
	{ "provider", "String", NULL, NULL },
	{ "payer", "String", "coalesce(payer_account_id, '')", "nullIf(payer, '') AS payer_account_id" },
	{ "account_id", "Nullable(String)", NULL, NULL },
	{ "account_name", "Nullable(String)", NULL, NULL },
	{ "service_code", "Nullable(String)", NULL, NULL },
	{ "service_name", "Nullable(String)", NULL, NULL },
	{ "service_category", "Nullable(String)", NULL, NULL },
	{ "region", "Nullable(String)", NULL, NULL },
	{ "availability_zone", "Nullable(String)", NULL, NULL },
	{ "usage_type", "Nullable(String)", NULL, NULL },
	{ "operation", "Nullable(String)", NULL, NULL },
	{ "resource_id", "Nullable(String)", NULL, NULL },
	{ "instance_type", "Nullable(String)", NULL, NULL },
	{ "charge_type", "Nullable(String)", NULL, NULL },
	{ "pricing_term", "Nullable(String)", NULL, NULL },
	{ "usage_amount", "Nullable(Float64)", NULL, NULL },
	{ "usage_unit", "Nullable(String)", NULL, NULL },
	{ "unblended_cost", "Float64", NULL, NULL },
	{ "net_cost", "Float64", NULL, NULL },
	{ "amortized_cost", "Float64", NULL, NULL },
	{ "list_cost", "Nullable(Float64)", NULL, NULL },
	{ "currency", "Nullable(String)", NULL, NULL },
	{ "tag_keys", "Array(String)", "finq_ch_array(map_keys(tags))", NULL },
	{ "tag_values", "Array(String)", "finq_ch_array(map_values(tags))", NULL },
	{ "source", "Nullable(String)", NULL, NULL },
	{ "description", "Nullable(String)", NULL, NULL },
	{ "product_family", "Nullable(String)", NULL, NULL },
	{ "commitment_id", "Nullable(String)", NULL, NULL },
	{ "commitment_kind", "Nullable(String)", NULL, NULL },
	{ "commitment_cost", "Nullable(Float64)", NULL, NULL },
	{ "commitment_used", "Nullable(Float64)", NULL, NULL },
	{ "load_id", "Int32", NULL, NULL },
};
#define NCOLUMNS (sizeof(ch_columns) / sizeof(ch_columns[0]))

/* A list of text as ClickHouse writes an Array(String): ['a','b\'c']. */
static const char array_macro[] =
	"CREATE OR REPLACE TEMP MACRO finq_ch_array(l) AS '[' || coalesce(array_to_string(list_transform(l,\n"
	"  x -> '''' || replace(replace(x, '\\', '\\\\'), '''', '\\''') || ''''), ','), '') || ']';\n";

struct shard {
	int num;
	char *host;
	int http_port;
};

struct target {
	struct clickhouse_url url;
	struct shard *shards;
	size_t nshards;
};

/* One statement as the writer on host:port; the reply (if wanted) appended. */
static int exec_on(const struct target *t, const char *host, int port, const char *sql, FILE *body,
		   struct strbuf *reply, struct err *e)
{
	struct strbuf ignored = STRBUF_INIT;
	const char *trace = getenv("FINQ_TRACE_SQL");
	if (trace && *trace && strcmp(trace, "0") != 0)
		fprintf(stderr, "-- clickhouse %s:%d\n%s\n", host, port, sql);
	int rc = clickhouse_post(host, port, t->url.writer, t->url.writer_password, NULL, sql, body, NULL,
				 reply ? reply : &ignored, e);
	strbuf_release(&ignored);
	return rc;
}

static int exec_entry(const struct target *t, const char *sql, struct strbuf *reply, struct err *e)
{
	return exec_on(t, t->url.host, t->url.port, sql, NULL, reply, e);
}

static int exec_all_shards(const struct target *t, const char *sql, struct err *e)
{
	for (size_t i = 0; i < t->nshards; i++)
		if (exec_on(t, t->shards[i].host, t->shards[i].http_port, sql, NULL, NULL, e))
			return err_prefix(e, "shard %d", t->shards[i].num);
	return 0;
}

/* The cluster's shards and the HTTP port each declares. */
static int find_shards(struct target *t, struct err *e)
{
	struct strbuf reply = STRBUF_INIT;
	char *sql = xasprintf("SELECT shard_num, host_address, port FROM system.clusters WHERE cluster = '%s'"
			      " AND replica_num = 1 ORDER BY shard_num FORMAT TSV",
			      t->url.cluster);
	int rc = exec_entry(t, sql, &reply, e);
	free(sql);
	for (char *line = reply.buf; rc == 0 && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		int num = 0, tcp = 0;
		char host[256];
		if (sscanf(line, "%d\t%255s\t%d", &num, host, &tcp) == 3) {
			struct strbuf port = STRBUF_INIT;
			char *q = xasprintf("SELECT substitution FROM remote('%s:%d', system, macros)"
					    " WHERE macro = 'http_port' FORMAT TSV",
					    host, tcp);
			rc = exec_entry(t, q, &port, e);
			free(q);
			if (rc)
				err_prefix(e, "shard %d (%s:%d) cannot be reached", num, host, tcp);
			int http = rc == 0 ? atoi(port.buf) : 0;
			strbuf_release(&port);
			if (rc == 0 && http <= 0)
				rc = err_set_code(e, ERR_DATABASE,
						  "shard %d (%s:%d) declares no macro http_port, which finq needs to load "
						  "into it (see scripts/cluster.sh)",
						  num, host, tcp);
			if (rc)
				break;
			t->shards = xrealloc(t->shards, (t->nshards + 1) * sizeof(*t->shards));
			t->shards[t->nshards++] = (struct shard){ num, xstrdup(host), http };
		}
		line = nl ? nl + 1 : line + strlen(line);
	}
	strbuf_release(&reply);
	if (rc == 0 && t->nshards == 0)
		rc = err_set_code(e, ERR_DATABASE, "the ClickHouse server at %s:%d has no cluster '%s' in remote_servers",
				  t->url.host, t->url.port, t->url.cluster);
	return rc;
}

static int make_tables(const struct target *t, struct err *e)
{
	const char *db = t->url.database;
	struct strbuf cols = STRBUF_INIT, sql = STRBUF_INIT;
	for (size_t i = 0; i < NCOLUMNS; i++)
		strbuf_addf(&cols, "%s%s %s", i ? ", " : "", ch_columns[i].name, ch_columns[i].type);
	strbuf_addf(&sql, "CREATE DATABASE IF NOT EXISTS %s", db);
	int rc = exec_all_shards(t, sql.buf, e);
	strbuf_reset(&sql);
	strbuf_addf(&sql,
		    "CREATE TABLE IF NOT EXISTS %s.costs_local (%s, generation UInt64) ENGINE = MergeTree"
		    " PARTITION BY (toYYYYMM(billing_period), payer, generation)"
		    " ORDER BY (usage_date, billing_period)",
		    db, cols.buf);
	if (rc == 0)
		rc = exec_all_shards(t, sql.buf, e);
	strbuf_reset(&sql);
	/* rand(): rows spread evenly; which shard holds a row never matters */
	strbuf_addf(&sql,
		    "CREATE TABLE IF NOT EXISTS %s.costs_all AS %s.costs_local"
		    " ENGINE = Distributed(%s, %s, costs_local, rand())",
		    db, db, t->url.cluster, db);
	if (rc == 0)
		rc = exec_all_shards(t, sql.buf, e);
	strbuf_reset(&sql);
	strbuf_addf(&sql,
		    "CREATE TABLE IF NOT EXISTS %s.generations (billing_period Date, payer String, generation UInt64,"
		    " loaded_at DateTime, rows UInt64) ENGINE = MergeTree ORDER BY (billing_period, payer)",
		    db);
	if (rc == 0)
		rc = exec_entry(t, sql.buf, NULL, e);
	strbuf_reset(&sql);
	strbuf_addf(&sql, "CREATE VIEW IF NOT EXISTS %s.costs AS SELECT ", db);
	for (size_t i = 0; i < NCOLUMNS; i++)
		strbuf_addf(&sql, "%s%s", i ? ", " : "", ch_columns[i].read ? ch_columns[i].read : ch_columns[i].name);
	strbuf_addf(&sql,
		    " FROM %s.costs_all WHERE (billing_period, payer, generation) GLOBAL IN"
		    " (SELECT billing_period, payer, max(generation) FROM %s.generations GROUP BY billing_period, payer)",
		    db, db);
	if (rc == 0)
		rc = exec_entry(t, sql.buf, NULL, e);
	strbuf_reset(&sql);
	/* the files each load read, for finq info's sources (load.c's load_files) */
	strbuf_addf(&sql,
		    "CREATE TABLE IF NOT EXISTS %s.load_files (load_id Int32, path String, format String,"
		    " bytes Nullable(Int64)) ENGINE = MergeTree ORDER BY path",
		    db);
	if (rc == 0)
		rc = exec_entry(t, sql.buf, NULL, e);
	strbuf_reset(&sql);
	strbuf_addf(&sql,
		    "CREATE TABLE IF NOT EXISTS %s.vocabulary_store (version UInt64, dim String, tag_key Nullable(String),"
		    " value Nullable(String), name Nullable(String), cost Float64) ENGINE = MergeTree ORDER BY (version, dim)",
		    db);
	if (rc == 0)
		rc = exec_entry(t, sql.buf, NULL, e);
	strbuf_reset(&sql);
	strbuf_addf(&sql,
		    "CREATE VIEW IF NOT EXISTS %s.vocabulary AS SELECT dim, tag_key, value, name, cost FROM"
		    " %s.vocabulary_store WHERE version = (SELECT max(version) FROM %s.vocabulary_store)",
		    db, db, db);
	if (rc == 0)
		rc = exec_entry(t, sql.buf, NULL, e);
	strbuf_release(&cols);
	strbuf_release(&sql);
	return rc;
}

/* Shard `shard` of `nshards`'s share of the staged rows as CSV in path,
 * with the generation as the last column. Rows are dealt by a hash of
 * their position: an even spread, and each row to exactly one shard. */
static int export_rows(struct db *stage, const char *path, uint64_t generation, size_t shard, size_t nshards,
		       struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, array_macro);
	strbuf_addstr(&sql, "COPY (SELECT ");
	for (size_t i = 0; i < NCOLUMNS; i++)
		strbuf_addf(&sql, "%s%s", i ? ", " : "", ch_columns[i].export ? ch_columns[i].export : ch_columns[i].name);
	strbuf_addf(&sql, ", %" PRIu64 " FROM costs WHERE hash(rowid) %% %zu = %zu) TO ", generation, nshards, shard);
	strbuf_add_sql_literal(&sql, path);
	strbuf_addstr(&sql, " (FORMAT csv, HEADER false, NULLSTR '\\N')");
	int rc = db_exec(stage, sql.buf, e);
	strbuf_release(&sql);
	return rc ? err_prefix(e, "cannot write the rows for ClickHouse") : 0;
}

static int64_t query_count(const struct target *t, const char *sql, struct err *e)
{
	struct strbuf reply = STRBUF_INIT;
	int64_t n = exec_entry(t, sql, &reply, e) ? -1 : strtoll(reply.buf, NULL, 10);
	strbuf_release(&reply);
	return n;
}

/* The vocabulary of ask.c (schema.c's, in ClickHouse's words) as version v. */
static int rebuild_vocabulary(const struct target *t, uint64_t v, struct err *e)
{
	static const char *const dims[] = {
		"service", "account", "region", "availability_zone", "usage_type", "operation", "instance_type",
		"charge_type", "service_category", "pricing_term", "provider", "currency", "usage_unit",
	};
	static const char *const columns[] = {
		"service_code", "account_id", "region", "availability_zone", "usage_type", "operation", "instance_type",
		"charge_type", "service_category", "pricing_term", "provider", "currency", "usage_unit",
	};
	const char *db = t->url.database;
	struct strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "INSERT INTO %s.vocabulary_store SELECT %" PRIu64 ", dim, tag_key, value, name, cost FROM (", db, v);
	for (size_t i = 0; i < sizeof(dims) / sizeof(dims[0]); i++) {
		const char *name = strcmp(dims[i], "service") == 0   ? "any(service_name)"
				   : strcmp(dims[i], "account") == 0 ? "any(account_name)"
								     : "NULL";
		strbuf_addf(&sql,
			    "%sSELECT '%s' AS dim, CAST(NULL AS Nullable(String)) AS tag_key,"
			    " CAST(%s AS Nullable(String)) AS value, CAST(%s AS Nullable(String)) AS name,"
			    " sum(amortized_cost) AS cost FROM %s.costs WHERE %s IS NOT NULL GROUP BY %s",
			    i ? " UNION ALL " : "", dims[i], columns[i], name, db, columns[i], columns[i]);
	}
	strbuf_addf(&sql,
		    " UNION ALL SELECT 'tag', CAST(k AS Nullable(String)), CAST(v AS Nullable(String)),"
		    " CAST(NULL AS Nullable(String)), c FROM (SELECT k, v, sum(amortized_cost) AS c FROM %s.costs"
		    " ARRAY JOIN tag_keys AS k, tag_values AS v GROUP BY k, v ORDER BY k, c DESC, v LIMIT 1000 BY k)"
		    " UNION ALL SELECT 'tag_key', CAST(k AS Nullable(String)), CAST(NULL AS Nullable(String)),"
		    " CAST(NULL AS Nullable(String)), sum(amortized_cost) FROM %s.costs ARRAY JOIN tag_keys AS k GROUP BY k)",
		    db, db);
	int rc = exec_entry(t, sql.buf, NULL, e);
	strbuf_reset(&sql);
	/* older versions: nobody reads them once v is there */
	strbuf_addf(&sql, "ALTER TABLE %s.vocabulary_store DELETE WHERE version < %" PRIu64, db, v);
	if (rc == 0)
		rc = exec_entry(t, sql.buf, NULL, e);
	strbuf_release(&sql);
	return rc ? err_prefix(e, "cannot rebuild the vocabulary") : 0;
}

/* Drop, on every shard, the partitions of costs_local that `where` (a
 * condition on system.parts.partition) picks: a failed load's generation,
 * or the generations a load replaced. Best effort: what stays is never
 * read (the costs view reads current generations only). */
static void drop_generations(const struct target *t, const char *where)
{
	const char *db = t->url.database;
	struct strbuf reply = STRBUF_INIT;
	struct err ignored = { 0 };
	for (size_t s = 0; s < t->nshards; s++) {
		strbuf_reset(&reply);
		char *q = xasprintf("SELECT DISTINCT partition FROM system.parts WHERE database = '%s' AND table ="
				    " 'costs_local' AND active AND (%s) FORMAT TSV",
				    db, where);
		int rc = exec_on(t, t->shards[s].host, t->shards[s].http_port, q, NULL, &reply, &ignored);
		free(q);
		for (char *line = reply.buf; rc == 0 && *line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			/* TSV escapes quotes in the partition's text: \' */
			struct strbuf part = STRBUF_INIT;
			for (const char *p = line; *p; p++)
				if (!(p[0] == '\\' && p[1] == '\''))
					strbuf_addch(&part, *p);
			char *drop = xasprintf("ALTER TABLE %s.costs_local DROP PARTITION %s", db, part.buf);
			exec_on(t, t->shards[s].host, t->shards[s].http_port, drop, NULL, NULL, &ignored);
			free(drop);
			strbuf_release(&part);
			line = nl ? nl + 1 : line + strlen(line);
		}
	}
	strbuf_release(&reply);
}

/* The staging load's load_files rows into the cluster's (for finq info);
 * a file loaded again is listed once. */
static int record_files(const struct target *t, struct db *stage, struct err *e)
{
	struct table files;
	table_init(&files);
	int rc = db_query(stage, "SELECT load_id, path, format, bytes FROM load_files", &files, 0, e);
	struct strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "ALTER TABLE %s.load_files DELETE WHERE path IN (''", t->url.database);
	for (size_t r = 0; rc == 0 && r < files.nrows; r++) {
		strbuf_addstr(&sql, ", ");
		strbuf_add_sql_literal(&sql, table_at(&files, r, 1)->v.s);
	}
	strbuf_addch(&sql, ')');
	if (rc == 0 && files.nrows)
		rc = exec_entry(t, sql.buf, NULL, e);
	strbuf_reset(&sql);
	strbuf_addf(&sql, "INSERT INTO %s.load_files VALUES ", t->url.database);
	for (size_t r = 0; rc == 0 && r < files.nrows; r++) {
		strbuf_addf(&sql, "%s(%lld, ", r ? ", " : "", (long long)cell_number(table_at(&files, r, 0)));
		strbuf_add_sql_literal(&sql, table_at(&files, r, 1)->v.s);
		strbuf_addstr(&sql, ", ");
		strbuf_add_sql_literal(&sql, table_at(&files, r, 2)->v.s);
		strbuf_addf(&sql, ", %lld)", (long long)cell_number(table_at(&files, r, 3)));
	}
	if (rc == 0 && files.nrows)
		rc = exec_entry(t, sql.buf, NULL, e);
	strbuf_release(&sql);
	table_release(&files);
	return rc ? err_prefix(e, "cannot record the files loaded") : 0;
}

/* One shard's INSERT of its CSV, on a thread of its own. */
struct send_job {
	const struct target *t;
	const struct shard *shard;
	const char *sql;
	char *path;
	pthread_t thread;
	bool started;
	int rc;
	struct err e;
};

static void *send_main(void *arg)
{
	struct send_job *job = arg;
	FILE *body = fopen(job->path, "rb");
	if (!body) {
		job->rc = err_set(&job->e, "cannot read '%s': %s", job->path, strerror(errno));
		return NULL;
	}
	job->rc = exec_on(job->t, job->shard->host, job->shard->http_port, job->sql, body, NULL, &job->e);
	fclose(body);
	if (job->rc)
		err_prefix(&job->e, "shard %d", job->shard->num);
	return NULL;
}

static uint64_t now_micros(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

/* Steps 2-5 for the staged rows in stage. */
static int send_rows(struct target *t, struct db *stage, const char *csv, struct load_report *rep, struct err *e)
{
	const char *db = t->url.database;
	char sql[1024];
	int64_t staged = 0;
	if (db_query_int(stage, "SELECT count(*) FROM costs", &staged, e) || find_shards(t, e) || make_tables(t, e))
		return -1;
	/* a generation above every one already there, even with a clock set back */
	snprintf(sql, sizeof(sql), "SELECT max(generation) FROM %s.generations FORMAT TSV", db);
	int64_t newest = query_count(t, sql, e);
	if (newest < 0)
		return -1;
	uint64_t g = now_micros();
	if (g <= (uint64_t)newest)
		g = (uint64_t)newest + 1;
	/* each shard's rows straight into its costs_local: 18.16 crashes on a
	 * synchronous INSERT through the Distributed table (docs/engines.md) */
	struct strbuf insert = STRBUF_INIT;
	strbuf_addf(&insert, "INSERT INTO %s.costs_local (", db);
	for (size_t i = 0; i < NCOLUMNS; i++)
		strbuf_addf(&insert, "%s%s", i ? ", " : "", ch_columns[i].name);
	strbuf_addstr(&insert, ", generation) FORMAT CSV");
	/* DuckDB writes shard s+1's CSV while shard s's is on the wire */
	struct send_job *jobs = xcalloc(t->nshards, sizeof(*jobs));
	int rc = 0;
	for (size_t s = 0; rc == 0 && s < t->nshards; s++) {
		jobs[s] = (struct send_job){ .t = t, .shard = &t->shards[s], .sql = insert.buf };
		jobs[s].path = xasprintf("%s-%zu", csv, s);
		if ((rc = export_rows(stage, jobs[s].path, g, s, t->nshards, e)))
			break;
		if (pthread_create(&jobs[s].thread, NULL, send_main, &jobs[s]) != 0) {
			rc = err_set(e, "cannot start a thread to send shard %d its rows", t->shards[s].num);
			break;
		}
		jobs[s].started = true;
	}
	for (size_t s = 0; s < t->nshards; s++) {
		if (jobs[s].started) {
			pthread_join(jobs[s].thread, NULL);
			if (jobs[s].rc && rc == 0) {
				*e = jobs[s].e;
				rc = -1;
			}
		}
		if (jobs[s].path)
			unlink(jobs[s].path);
		free(jobs[s].path);
	}
	free(jobs);
	strbuf_release(&insert);
	/* system.parts names a partition as (202511,'payer',generation) */
	char where[128];
	snprintf(where, sizeof(where), "endsWith(partition, ',%" PRIu64 ")')", g);
	if (rc == 0) {
		snprintf(sql, sizeof(sql), "SELECT count() FROM %s.costs_all WHERE generation = %" PRIu64 " FORMAT TSV",
			 db, g);
		int64_t sent = query_count(t, sql, e);
		if (sent < 0)
			rc = -1;
		else if (sent != staged)
			rc = err_set_code(e, ERR_DATABASE, "the cluster holds %lld of the %lld rows sent; nothing was changed",
					  (long long)sent, (long long)staged);
	}
	if (rc) {
		drop_generations(t, where);
		return err_prefix(e, "loading into ClickHouse");
	}

	/* the switch: one INSERT, one part, seen whole or not at all */
	struct strbuf sw = STRBUF_INIT;
	struct table periods;
	table_init(&periods);
	strbuf_addf(&sw, "INSERT INTO %s.generations VALUES ", db);
	rc = db_query(stage,
		      "SELECT strftime(billing_period, '%Y-%m-%d'), coalesce(payer_account_id, ''), count(*) FROM costs"
		      " GROUP BY ALL ORDER BY ALL",
		      &periods, 0, e);
	for (size_t r = 0; rc == 0 && r < periods.nrows; r++) {
		strbuf_addf(&sw, "%s(toDate('%s'), ", r ? ", " : "", table_at(&periods, r, 0)->v.s);
		strbuf_add_sql_literal(&sw, table_at(&periods, r, 1)->v.s);
		strbuf_addf(&sw, ", %" PRIu64 ", now(), %lld)", g, (long long)cell_number(table_at(&periods, r, 2)));
	}
	/* the partitions this makes stale: the same month and payer, another generation */
	struct strbuf stale = STRBUF_INIT;
	for (size_t r = 0; rc == 0 && r < periods.nrows; r++) {
		const char *bp = table_at(&periods, r, 0)->v.s, *payer = table_at(&periods, r, 1)->v.s;
		char *prefix = xasprintf("(%.4s%.2s,'%s',", bp, bp + 5, payer);
		strbuf_addstr(&stale, r ? " OR (startsWith(partition, " : "(startsWith(partition, ");
		strbuf_add_sql_literal(&stale, prefix);
		strbuf_addf(&stale, ") AND NOT %s)", where);
		free(prefix);
	}
	/* the rows this replaces, for the report */
	struct strbuf replaced = STRBUF_INIT;
	strbuf_addf(&replaced, "SELECT count() FROM %s.costs WHERE (billing_period, ifNull(payer_account_id, '')) IN (", db);
	for (size_t r = 0; rc == 0 && r < periods.nrows; r++) {
		strbuf_addf(&replaced, "%s(toDate('%s'), ", r ? ", " : "", table_at(&periods, r, 0)->v.s);
		strbuf_add_sql_literal(&replaced, table_at(&periods, r, 1)->v.s);
		strbuf_addch(&replaced, ')');
	}
	strbuf_addstr(&replaced, ") FORMAT TSV");
	if (rc == 0 && periods.nrows) {
		rep->replaced = query_count(t, replaced.buf, e);
		rc = rep->replaced < 0 ? -1 : exec_entry(t, sw.buf, NULL, e);
	}
	table_release(&periods);
	strbuf_release(&sw);
	strbuf_release(&replaced);
	if (rc) {
		strbuf_release(&stale);
		drop_generations(t, where);
		return err_prefix(e, "loading into ClickHouse");
	}
	rep->rows = staged;
	/* after the switch the load has happened: what follows only tidies */
	rc = rebuild_vocabulary(t, g, e);
	if (rc == 0)
		rc = record_files(t, stage, e);
	if (rc == 0 && stale.len)
		drop_generations(t, stale.buf);
	strbuf_release(&stale);
	return rc;
}

int load_clickhouse(const char *url, const char *const *paths, int npaths, const struct load_options *opt,
		    const char *memory_limit, int threads, struct load_report *rep, struct err *e)
{
	struct target t = { 0 };
	if (clickhouse_url_parse(&t.url, url, e))
		return -1;
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/finq-stage-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int rc = -1;
	if (!mkdtemp(dir)) {
		err_set(e, "cannot make a staging folder '%s': %s", dir, strerror(errno));
		free(dir);
		clickhouse_url_release(&t.url);
		return -1;
	}
	char *stage_path = xasprintf("%s/stage.duckdb", dir), *csv = xasprintf("%s/rows.csv", dir);
	struct db stage;
	if (load_open_db(&stage, stage_path, memory_limit, threads, e) == 0) {
		rc = load_paths(&stage, paths, npaths, opt, rep, e);
		double started = (double)now_micros() / 1e6;
		if (rc == 0)
			rc = send_rows(&t, &stage, csv, rep, e);
		rep->seconds += (double)now_micros() / 1e6 - started;
		db_close(&stage);
	}
	unlink(csv);
	unlink(stage_path);
	char *wal = xasprintf("%s.wal", stage_path);
	unlink(wal);
	free(wal);
	rmdir(dir);
	free(dir);
	free(stage_path);
	free(csv);
	for (size_t i = 0; i < t.nshards; i++)
		free(t.shards[i].host);
	free(t.shards);
	clickhouse_url_release(&t.url);
	return rc;
}
