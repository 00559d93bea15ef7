/*
 * duckexec: run SQL statements on a DuckDB file with nothing of finq in
 * between, to make a database look like one an older finq wrote (a table
 * missing, a column missing). tests/integration/load_undo.sh compiles it
 * into its temp folder.
 *
 * usage: duckexec DB SQL...
 * runs each SQL in turn; exit 1, with DuckDB's message, on the first error.
 */
#include <duckdb.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	duckdb_database db;
	duckdb_connection con;
	if (argc < 2 || duckdb_open(argv[1], &db) == DuckDBError) {
		fprintf(stderr, "duckexec: cannot open '%s'\n", argc > 1 ? argv[1] : "");
		return 1;
	}
	if (duckdb_connect(db, &con) == DuckDBError) {
		duckdb_close(&db);
		return 1;
	}
	int rc = 0;
	for (int i = 2; i < argc && rc == 0; i++) {
		duckdb_result res;
		if (duckdb_query(con, argv[i], &res) == DuckDBError) {
			fprintf(stderr, "duckexec: %s\n", duckdb_result_error(&res));
			rc = 1;
		}
		duckdb_destroy_result(&res);
	}
	duckdb_disconnect(&con);
	duckdb_close(&db);
	return rc;
}
