/*
 * sandbox: the read-only query path. See sandbox.h.
 *
 * The statement check uses DuckDB's own parser (duckdb_extract_statements)
 * and statement type, never a regex over the text: comments, string
 * literals and odd spacing cannot fool it.
 */
#include "sandbox.h"
#include "engine.h"
#include "sqlcost.h"

#include <string.h>
#include <sys/stat.h>

int sandbox_open(struct db *db, const char *path, const char *memory_limit, int threads,
		 struct err *e)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return err_set_code(e, ERR_NO_DATA,
				    "no database at '%s': load data first with 'finq load' or 'finq demo'", path);
	struct db_config cfg = {
		.path = path,
		.read_only = true,
		.sandbox = true,
		.memory_limit = memory_limit,
		.threads = threads,
	};
	if (db_open(db, &cfg, e))
		return err_recode(e, ERR_DATABASE);
	return 0;
}

static const char *statement_type_name(duckdb_statement_type t)
{
	static const struct {
		duckdb_statement_type type;
		const char *name;
	} names[] = {
		{ DUCKDB_STATEMENT_TYPE_INSERT, "INSERT" },
		{ DUCKDB_STATEMENT_TYPE_UPDATE, "UPDATE" },
		{ DUCKDB_STATEMENT_TYPE_DELETE, "DELETE" },
		{ DUCKDB_STATEMENT_TYPE_CREATE, "CREATE" },
		{ DUCKDB_STATEMENT_TYPE_DROP, "DROP" },
		{ DUCKDB_STATEMENT_TYPE_ALTER, "ALTER" },
		{ DUCKDB_STATEMENT_TYPE_COPY, "COPY" },
		{ DUCKDB_STATEMENT_TYPE_ATTACH, "ATTACH" },
		{ DUCKDB_STATEMENT_TYPE_DETACH, "DETACH" },
		{ DUCKDB_STATEMENT_TYPE_SET, "SET" },
		{ DUCKDB_STATEMENT_TYPE_PRAGMA, "PRAGMA" },
		{ DUCKDB_STATEMENT_TYPE_EXPLAIN, "EXPLAIN" },
		{ DUCKDB_STATEMENT_TYPE_EXPORT, "EXPORT" },
		{ DUCKDB_STATEMENT_TYPE_LOAD, "LOAD" },
		{ DUCKDB_STATEMENT_TYPE_CALL, "CALL" },
		{ DUCKDB_STATEMENT_TYPE_TRANSACTION, "transaction control" },
		{ DUCKDB_STATEMENT_TYPE_VARIABLE_SET, "SET VARIABLE" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == t)
			return names[i].name;
	return "this kind of statement";
}

/*
 * DuckDB rewrites call-style PRAGMAs (PRAGMA database_list, table_info,
 * version) into SELECTs while binding, so the prepared statement's type
 * says SELECT. Its parser-level serializer accepts true SELECTs only: ask it
 * first, with the text as a bound parameter. Returns 1 for a SELECT, 0 for
 * anything else, -1 when the check itself failed.
 */
static int parses_as_select(struct db *db, const char *sql)
{
	duckdb_prepared_statement stmt = NULL;
	int verdict = -1;
	if (duckdb_prepare(db->con, "SELECT json_serialize_sql($1::VARCHAR) ->> 'error'", &stmt) == DuckDBError ||
	    duckdb_bind_varchar(stmt, 1, sql) == DuckDBError)
		goto out;
	struct table t;
	table_init(&t);
	struct db_run_options opt = { .max_rows = 1 };
	struct err ignored = { 0 };
	if (db_run_prepared(db, stmt, &opt, &t, &ignored) == 0 && t.nrows == 1 && t.ncols == 1 &&
	    table_at(&t, 0, 0)->kind == CELL_TEXT)
		verdict = strcmp(table_at(&t, 0, 0)->v.s, "false") == 0;
	table_release(&t);
out:
	duckdb_destroy_prepare(&stmt);
	return verdict;
}

/* Refuse, before DuckDB parses it, a statement that could cost too much
 * to parse or plan. */
static int check_cost(const char *sql, const struct sandbox_limits *limits, struct err *e)
{
	size_t max_text = limits->max_text_bytes ? limits->max_text_bytes : SANDBOX_DEFAULT_MAX_TEXT;
	size_t len = strlen(sql);
	if (len > max_text)
		return err_set_code(e, ERR_TOO_LARGE, "refused: the statement is %zu bytes, more than the limit of %zu",
				    len, max_text);
	struct sqlcost cost;
	sqlcost_measure(sql, &cost);
	if (cost.ctes > SANDBOX_MAX_CTES)
		return err_set_code(e, ERR_TOO_LARGE, "refused: the statement names %zu subqueries (WITH ... AS), "
				    "more than the limit of %d", cost.ctes, SANDBOX_MAX_CTES);
	if (cost.max_depth > SANDBOX_MAX_DEPTH)
		return err_set_code(e, ERR_TOO_LARGE, "refused: the statement nests parentheses %zu deep, more than "
				    "the limit of %d", cost.max_depth, SANDBOX_MAX_DEPTH);
	return 0;
}

int sandbox_query(struct db *db, const char *sql, const struct sandbox_limits *limits,
		  struct table *out, struct err *e)
{
	duckdb_extracted_statements stmts = NULL;
	duckdb_prepared_statement stmt = NULL;
	struct db_guard *guard = NULL;
	int rc = -1;

	if (check_cost(sql, limits, e))
		return -1;
	if (db->engine) {
		/* the engine parses, limits and keeps it read-only itself */
		struct db_run_options opt = {
			.max_rows = limits->max_rows,
			.timeout_seconds = limits->timeout_seconds,
			.max_result_bytes = limits->max_result_bytes ? limits->max_result_bytes : SANDBOX_DEFAULT_MAX_RESULT,
			.cancelled = limits->cancelled,
			.cancel_arg = limits->cancel_arg,
		};
		if (db->engine->run(db->engine_state, sql, &opt, out, e))
			return err_recode(e, e->code == ERR_TOO_LARGE ? ERR_TOO_LARGE : ERR_REFUSED);
		return 0;
	}
	/* from here on: parsing and constant folding can take long too */
	guard = db_guard_start(db, limits->timeout_seconds, limits->cancelled, limits->cancel_arg);
	idx_t n = duckdb_extract_statements(db->con, sql, &stmts);
	if (n == 0) {
		const char *msg = duckdb_extract_statements_error(stmts);
		if (msg && *msg)
			err_set_code(e, ERR_REFUSED, "%s", msg);
		else
			err_set_code(e, ERR_REFUSED, "no SQL statement given");
		goto out;
	}
	if (n > 1) {
		err_set_code(e, ERR_REFUSED, "refused: %llu statements given, only one SELECT is allowed",
			     (unsigned long long)n);
		goto out;
	}
	if (duckdb_prepare_extracted_statement(db->con, stmts, 0, &stmt) == DuckDBError) {
		const char *msg = duckdb_prepare_error(stmt);
		err_set_code(e, ERR_REFUSED, "%s", msg ? msg : "cannot prepare the statement");
		goto out;
	}
	if (db_guard_fired(guard))
		goto out;
	duckdb_statement_type type = duckdb_prepared_statement_type(stmt);
	if (type == DUCKDB_STATEMENT_TYPE_SELECT && parses_as_select(db, sql) != 1)
		type = DUCKDB_STATEMENT_TYPE_PRAGMA;
	if (type != DUCKDB_STATEMENT_TYPE_SELECT) {
		err_set_code(e, ERR_REFUSED, "refused: only SELECT statements may run here, not %s",
			     statement_type_name(type));
		goto out;
	}
	struct db_run_options opt = {
		.max_rows = limits->max_rows,
		.max_result_bytes = limits->max_result_bytes ? limits->max_result_bytes : SANDBOX_DEFAULT_MAX_RESULT,
	};
	if (db_run_prepared(db, stmt, &opt, out, e)) {
		if (e->code != ERR_TOO_LARGE) /* the result's cap keeps its own status */
			e->code = ERR_REFUSED;
		goto out;
	}
	rc = 0;
out:
	if (stmt)
		duckdb_destroy_prepare(&stmt);
	duckdb_destroy_extracted(&stmts);
	enum db_guard_verdict v = db_guard_stop(guard);
	/* whatever else went wrong, an interrupted statement says why */
	if (v != DB_GUARD_QUIET) {
		table_release(out);
		table_init(out);
		db_guard_fail(v, limits->timeout_seconds, e);
		e->code = ERR_REFUSED;
		rc = -1;
	}
	return rc;
}
