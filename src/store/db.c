/*
 * db: DuckDB connection handling and result conversion. See db.h.
 *
 * Results are read chunk by chunk; each column's vector is converted by its
 * logical type, nested types (LIST, STRUCT, MAP) recursively into text.
 */
#include "db.h"
#include "engine.h"
#include "spill.h"
#include "strbuf.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int set_option(duckdb_config cfg, const char *name, const char *value, struct err *e)
{
	if (duckdb_set_config(cfg, name, value) == DuckDBError)
		return err_set(e, "cannot set database option '%s' to '%s'", name, value);
	return 0;
}

/* Empty and remove the sandbox's spill folder and drop its owner lock. */
static void temp_dir_remove(struct db *db)
{
	struct spill_dir d = { db->temp_dir, db->temp_lock_fd };
	spill_dir_remove(&d);
	db->temp_dir = NULL;
}

/* DB_SANDBOX_MEMORY_SHARE of physical memory, as DuckDB reads a size. */
static void default_memory_limit(char *buf, size_t size)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	unsigned long long mb = pages > 0 && page > 0
					? (unsigned long long)((double)pages * (double)page * DB_SANDBOX_MEMORY_SHARE / (1 << 20))
					: 1024;
	snprintf(buf, size, "%lluMB", mb > 256 ? mb : 256);
}

/* The sandbox's settings: no file or network access, its own spill
 * folder and caps, and the configuration locked. */
static int set_sandbox_options(duckdb_config config, struct db *db, const struct db_config *cfg,
			       struct err *e)
{
	char memory[32];
	if (!cfg->memory_limit) {
		default_memory_limit(memory, sizeof(memory));
		if (set_option(config, "memory_limit", memory, e))
			return -1;
	}
	struct spill_dir spill;
	if (spill_dir_make(&spill, cfg->path, e))
		return -1;
	db->temp_dir = spill.path;
	db->temp_lock_fd = spill.lock_fd;
	return set_option(config, "temp_directory", db->temp_dir, e) ||
	       set_option(config, "max_temp_directory_size", DB_SANDBOX_MAX_SPILL, e) ||
	       set_option(config, "enable_external_access", "false", e) ||
	       set_option(config, "allow_community_extensions", "false", e) ||
	       set_option(config, "lock_configuration", "true", e) ? -1 : 0;
}

int db_open(struct db *db, const struct db_config *cfg, struct err *e)
{
	duckdb_config config = NULL;
	char *open_error = NULL;
	char threads[16];
	int rc = -1;

	memset(db, 0, sizeof(*db));
	if (duckdb_create_config(&config) == DuckDBError)
		return err_set(e, "cannot create database configuration");
	if (cfg->read_only && cfg->path && set_option(config, "access_mode", "READ_ONLY", e))
		goto out;
	if (cfg->memory_limit && set_option(config, "memory_limit", cfg->memory_limit, e))
		goto out;
	if (cfg->threads > 0) {
		snprintf(threads, sizeof(threads), "%d", cfg->threads);
		if (set_option(config, "threads", threads, e))
			goto out;
	}
	/* Extensions are built in; never reach for the network to fetch one. */
	if (set_option(config, "autoinstall_known_extensions", "false", e) ||
	    set_option(config, "autoload_known_extensions", "false", e))
		goto out;
	if (cfg->sandbox && set_sandbox_options(config, db, cfg, e))
		goto out;

	if (duckdb_open_ext(cfg->path, &db->handle, config, &open_error) == DuckDBError) {
		err_set(e, "cannot open database '%s': %s", cfg->path ? cfg->path : ":memory:",
			open_error ? open_error : "unknown error");
		duckdb_free(open_error);
		db->handle = NULL;
		goto out;
	}
	if (duckdb_connect(db->handle, &db->con) == DuckDBError) {
		duckdb_close(&db->handle);
		err_set(e, "cannot connect to database '%s'", cfg->path ? cfg->path : ":memory:");
		goto out;
	}
	db->read_only = cfg->read_only;
	rc = 0;
out:
	duckdb_destroy_config(&config);
	if (rc && db->temp_dir)
		temp_dir_remove(db);
	return rc;
}

void db_attach_engine(struct db *db, const struct db_engine *engine, void *state)
{
	db->engine = engine;
	db->engine_state = state;
}

void db_close(struct db *db)
{
	if (db->engine && db->engine->close)
		db->engine->close(db->engine_state);
	if (db->con)
		duckdb_disconnect(&db->con);
	if (db->handle)
		duckdb_close(&db->handle);
	if (db->temp_dir)
		temp_dir_remove(db);
	memset(db, 0, sizeof(*db));
}

static bool trace_sql(void);
static double now_seconds(void);

int db_exec(struct db *db, const char *sql, struct err *e)
{
	duckdb_result res;
	double started = now_seconds();
	int rc = 0;
	if (duckdb_query(db->con, sql, &res) == DuckDBError) {
		const char *msg = duckdb_result_error(&res);
		rc = err_set(e, "%s", msg ? msg : "query failed");
	}
	duckdb_destroy_result(&res);
	if (trace_sql())
		fprintf(stderr, "-- %.3f s%s\n%s\n", now_seconds() - started, rc ? " (failed)" : "", sql);
	return rc;
}

int db_execf(struct db *db, struct err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	int rc = db_exec(db, sql, e);
	free(sql);
	return rc;
}

int db_queryf(struct db *db, struct table *out, struct err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	int rc = db_query(db, sql, out, 0, e);
	free(sql);
	return rc;
}

/* ---- converting vectors to cells ---- */

static enum cell_kind kind_of(duckdb_type t)
{
	switch (t) {
	case DUCKDB_TYPE_BOOLEAN: return CELL_BOOL;
	case DUCKDB_TYPE_TINYINT: case DUCKDB_TYPE_SMALLINT: case DUCKDB_TYPE_INTEGER:
	case DUCKDB_TYPE_BIGINT: case DUCKDB_TYPE_UTINYINT: case DUCKDB_TYPE_USMALLINT:
	case DUCKDB_TYPE_UINTEGER: case DUCKDB_TYPE_UBIGINT:
		return CELL_INT;
	case DUCKDB_TYPE_HUGEINT: case DUCKDB_TYPE_UHUGEINT: case DUCKDB_TYPE_FLOAT:
	case DUCKDB_TYPE_DOUBLE: case DUCKDB_TYPE_DECIMAL:
		return CELL_REAL;
	case DUCKDB_TYPE_DATE: return CELL_DATE;
	default: return CELL_TEXT;
	}
}

static double decimal_to_double(const void *data, idx_t row, duckdb_logical_type type)
{
	uint8_t scale = duckdb_decimal_scale(type);
	double v = 0;
	switch (duckdb_decimal_internal_type(type)) {
	case DUCKDB_TYPE_SMALLINT: v = ((const int16_t *)data)[row]; break;
	case DUCKDB_TYPE_INTEGER: v = ((const int32_t *)data)[row]; break;
	case DUCKDB_TYPE_BIGINT: v = (double)((const int64_t *)data)[row]; break;
	case DUCKDB_TYPE_HUGEINT: v = duckdb_hugeint_to_double(((const duckdb_hugeint *)data)[row]); break;
	default: break;
	}
	return v / pow(10.0, scale);
}

static void add_date(struct strbuf *sb, duckdb_date d)
{
	duckdb_date_struct ds = duckdb_from_date(d);
	strbuf_addf(sb, "%04d-%02d-%02d", ds.year, ds.month, ds.day);
}

static void add_timestamp_micros(struct strbuf *sb, int64_t micros)
{
	duckdb_timestamp ts = { micros };
	duckdb_timestamp_struct s = duckdb_from_timestamp(ts);
	strbuf_addf(sb, "%04d-%02d-%02d %02d:%02d:%02d", s.date.year, s.date.month, s.date.day,
		    s.time.hour, s.time.min, s.time.sec);
	if (s.time.micros)
		strbuf_addf(sb, ".%06d", s.time.micros);
}

static uint64_t enum_index(const void *data, idx_t row, duckdb_type internal)
{
	switch (internal) {
	case DUCKDB_TYPE_UTINYINT: return ((const uint8_t *)data)[row];
	case DUCKDB_TYPE_USMALLINT: return ((const uint16_t *)data)[row];
	default: return ((const uint32_t *)data)[row];
	}
}

/* A JSON string literal, for nested values rendered as JSON. */
static void add_json_string(struct strbuf *sb, const char *p, size_t n)
{
	strbuf_addch(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20)
			strbuf_addf(sb, "\\u%04x", c);
		else
			strbuf_addch(sb, (char)c);
	}
	strbuf_addch(sb, '"');
}

static bool is_json_native(duckdb_type t)
{
	switch (t) {
	case DUCKDB_TYPE_BOOLEAN: case DUCKDB_TYPE_TINYINT: case DUCKDB_TYPE_SMALLINT:
	case DUCKDB_TYPE_INTEGER: case DUCKDB_TYPE_BIGINT: case DUCKDB_TYPE_UTINYINT:
	case DUCKDB_TYPE_USMALLINT: case DUCKDB_TYPE_UINTEGER: case DUCKDB_TYPE_UBIGINT:
	case DUCKDB_TYPE_HUGEINT: case DUCKDB_TYPE_UHUGEINT: case DUCKDB_TYPE_FLOAT:
	case DUCKDB_TYPE_DOUBLE: case DUCKDB_TYPE_DECIMAL: case DUCKDB_TYPE_LIST:
	case DUCKDB_TYPE_MAP: case DUCKDB_TYPE_STRUCT:
		return true;
	default:
		return false;
	}
}

static void add_value_text(struct strbuf *sb, duckdb_vector vec, duckdb_logical_type type, idx_t row);

/* Append a value as JSON: inside nested values, scalars keep their JSON
 * type and everything else becomes a string. */
static void add_value_json(struct strbuf *sb, duckdb_vector vec, duckdb_logical_type type, idx_t row)
{
	uint64_t *validity = duckdb_vector_get_validity(vec);
	if (validity && !duckdb_validity_row_is_valid(validity, row)) {
		strbuf_addstr(sb, "null");
		return;
	}
	duckdb_type t = duckdb_get_type_id(type);
	if (is_json_native(t)) {
		add_value_text(sb, vec, type, row);
		return;
	}
	struct strbuf text;
	strbuf_init(&text, 0);
	add_value_text(&text, vec, type, row);
	add_json_string(sb, text.buf, text.len);
	strbuf_release(&text);
}

/* Append the value at row of vec, of logical type type, as text; nested
 * values are written as JSON. */
static void add_value_text(struct strbuf *sb, duckdb_vector vec, duckdb_logical_type type, idx_t row)
{
	uint64_t *validity = duckdb_vector_get_validity(vec);
	if (validity && !duckdb_validity_row_is_valid(validity, row)) {
		strbuf_addstr(sb, "null");
		return;
	}
	const void *data = duckdb_vector_get_data(vec);
	duckdb_type t = duckdb_get_type_id(type);
	switch (t) {
	case DUCKDB_TYPE_BOOLEAN: strbuf_addstr(sb, ((const bool *)data)[row] ? "true" : "false"); break;
	case DUCKDB_TYPE_TINYINT: strbuf_addf(sb, "%d", ((const int8_t *)data)[row]); break;
	case DUCKDB_TYPE_SMALLINT: strbuf_addf(sb, "%d", ((const int16_t *)data)[row]); break;
	case DUCKDB_TYPE_INTEGER: strbuf_addf(sb, "%d", ((const int32_t *)data)[row]); break;
	case DUCKDB_TYPE_BIGINT: strbuf_addf(sb, "%lld", (long long)((const int64_t *)data)[row]); break;
	case DUCKDB_TYPE_UTINYINT: strbuf_addf(sb, "%u", ((const uint8_t *)data)[row]); break;
	case DUCKDB_TYPE_USMALLINT: strbuf_addf(sb, "%u", ((const uint16_t *)data)[row]); break;
	case DUCKDB_TYPE_UINTEGER: strbuf_addf(sb, "%u", ((const uint32_t *)data)[row]); break;
	case DUCKDB_TYPE_UBIGINT: strbuf_addf(sb, "%llu", (unsigned long long)((const uint64_t *)data)[row]); break;
	case DUCKDB_TYPE_HUGEINT: strbuf_addf(sb, "%.17g", duckdb_hugeint_to_double(((const duckdb_hugeint *)data)[row])); break;
	case DUCKDB_TYPE_UHUGEINT: strbuf_addf(sb, "%.17g", duckdb_uhugeint_to_double(((const duckdb_uhugeint *)data)[row])); break;
	case DUCKDB_TYPE_FLOAT: strbuf_addf(sb, "%.9g", ((const float *)data)[row]); break;
	case DUCKDB_TYPE_DOUBLE: {
		double d = ((const double *)data)[row];
		if (isfinite(d))
			strbuf_addf(sb, "%.17g", d);
		else
			strbuf_addstr(sb, "null"); /* JSON has no NaN or infinity */
		break;
	}
	case DUCKDB_TYPE_DECIMAL: strbuf_addf(sb, "%.17g", decimal_to_double(data, row, type)); break;
	case DUCKDB_TYPE_DATE: add_date(sb, ((const duckdb_date *)data)[row]); break;
	case DUCKDB_TYPE_TIMESTAMP:
	case DUCKDB_TYPE_TIMESTAMP_TZ: add_timestamp_micros(sb, ((const duckdb_timestamp *)data)[row].micros); break;
	case DUCKDB_TYPE_TIMESTAMP_S: add_timestamp_micros(sb, ((const int64_t *)data)[row] * 1000000); break;
	case DUCKDB_TYPE_TIMESTAMP_MS: add_timestamp_micros(sb, ((const int64_t *)data)[row] * 1000); break;
	case DUCKDB_TYPE_TIMESTAMP_NS: add_timestamp_micros(sb, ((const int64_t *)data)[row] / 1000); break;
	case DUCKDB_TYPE_TIME: {
		duckdb_time_struct ts = duckdb_from_time(((const duckdb_time *)data)[row]);
		strbuf_addf(sb, "%02d:%02d:%02d", ts.hour, ts.min, ts.sec);
		break;
	}
	case DUCKDB_TYPE_INTERVAL: {
		duckdb_interval iv = ((const duckdb_interval *)data)[row];
		strbuf_addf(sb, "%d months %d days %lld us", iv.months, iv.days, (long long)iv.micros);
		break;
	}
	case DUCKDB_TYPE_VARCHAR: {
		duckdb_string_t s = ((duckdb_string_t *)data)[row];
		strbuf_add(sb, duckdb_string_t_data(&s), duckdb_string_t_length(s));
		break;
	}
	case DUCKDB_TYPE_BLOB: {
		duckdb_string_t s = ((duckdb_string_t *)data)[row];
		strbuf_addf(sb, "<%u bytes>", duckdb_string_t_length(s));
		break;
	}
	case DUCKDB_TYPE_ENUM: {
		uint64_t idx = enum_index(data, row, duckdb_enum_internal_type(type));
		char *name = duckdb_enum_dictionary_value(type, idx);
		strbuf_addstr(sb, name);
		duckdb_free(name);
		break;
	}
	case DUCKDB_TYPE_LIST:
	case DUCKDB_TYPE_MAP: {
		duckdb_list_entry entry = ((const duckdb_list_entry *)data)[row];
		duckdb_vector child = duckdb_list_vector_get_child(vec);
		bool is_map = t == DUCKDB_TYPE_MAP;
		duckdb_logical_type child_type = is_map ? NULL : duckdb_list_type_child_type(type);
		duckdb_logical_type key_type = is_map ? duckdb_map_type_key_type(type) : NULL;
		duckdb_logical_type value_type = is_map ? duckdb_map_type_value_type(type) : NULL;
		strbuf_addch(sb, is_map ? '{' : '[');
		for (idx_t i = 0; i < entry.length; i++) {
			if (i)
				strbuf_addstr(sb, ", ");
			if (is_map) {
				/* JSON keys are strings, whatever the map's key type. */
				struct strbuf key;
				strbuf_init(&key, 0);
				add_value_text(&key, duckdb_struct_vector_get_child(child, 0), key_type, entry.offset + i);
				add_json_string(sb, key.buf, key.len);
				strbuf_release(&key);
				strbuf_addstr(sb, ": ");
				add_value_json(sb, duckdb_struct_vector_get_child(child, 1), value_type, entry.offset + i);
			} else {
				add_value_json(sb, child, child_type, entry.offset + i);
			}
		}
		strbuf_addch(sb, is_map ? '}' : ']');
		if (child_type)
			duckdb_destroy_logical_type(&child_type);
		if (key_type)
			duckdb_destroy_logical_type(&key_type);
		if (value_type)
			duckdb_destroy_logical_type(&value_type);
		break;
	}
	case DUCKDB_TYPE_STRUCT: {
		idx_t n = duckdb_struct_type_child_count(type);
		strbuf_addch(sb, '{');
		for (idx_t i = 0; i < n; i++) {
			char *name = duckdb_struct_type_child_name(type, i);
			duckdb_logical_type ct = duckdb_struct_type_child_type(type, i);
			if (i)
				strbuf_addstr(sb, ", ");
			add_json_string(sb, name, strlen(name));
			strbuf_addstr(sb, ": ");
			add_value_json(sb, duckdb_struct_vector_get_child(vec, i), ct, row);
			duckdb_destroy_logical_type(&ct);
			duckdb_free(name);
		}
		strbuf_addch(sb, '}');
		break;
	}
	default:
		strbuf_addstr(sb, "<unsupported type>");
		break;
	}
}

/* Fill one cell from a top-level vector. */
static void vector_cell(struct cell *c, duckdb_vector vec, duckdb_logical_type type, idx_t row)
{
	uint64_t *validity = duckdb_vector_get_validity(vec);
	if (validity && !duckdb_validity_row_is_valid(validity, row)) {
		c->kind = CELL_NULL;
		return;
	}
	const void *data = duckdb_vector_get_data(vec);
	duckdb_type t = duckdb_get_type_id(type);
	switch (t) {
	case DUCKDB_TYPE_BOOLEAN: c->kind = CELL_BOOL; c->v.b = ((const bool *)data)[row]; return;
	case DUCKDB_TYPE_TINYINT: c->kind = CELL_INT; c->v.i = ((const int8_t *)data)[row]; return;
	case DUCKDB_TYPE_SMALLINT: c->kind = CELL_INT; c->v.i = ((const int16_t *)data)[row]; return;
	case DUCKDB_TYPE_INTEGER: c->kind = CELL_INT; c->v.i = ((const int32_t *)data)[row]; return;
	case DUCKDB_TYPE_BIGINT: c->kind = CELL_INT; c->v.i = ((const int64_t *)data)[row]; return;
	case DUCKDB_TYPE_UTINYINT: c->kind = CELL_INT; c->v.i = ((const uint8_t *)data)[row]; return;
	case DUCKDB_TYPE_USMALLINT: c->kind = CELL_INT; c->v.i = ((const uint16_t *)data)[row]; return;
	case DUCKDB_TYPE_UINTEGER: c->kind = CELL_INT; c->v.i = ((const uint32_t *)data)[row]; return;
	case DUCKDB_TYPE_UBIGINT: {
		uint64_t u = ((const uint64_t *)data)[row];
		if (u <= INT64_MAX) {
			c->kind = CELL_INT;
			c->v.i = (int64_t)u;
		} else {
			c->kind = CELL_REAL;
			c->v.r = (double)u;
		}
		return;
	}
	case DUCKDB_TYPE_HUGEINT: c->kind = CELL_REAL; c->v.r = duckdb_hugeint_to_double(((const duckdb_hugeint *)data)[row]); return;
	case DUCKDB_TYPE_UHUGEINT: c->kind = CELL_REAL; c->v.r = duckdb_uhugeint_to_double(((const duckdb_uhugeint *)data)[row]); return;
	case DUCKDB_TYPE_FLOAT: c->kind = CELL_REAL; c->v.r = ((const float *)data)[row]; return;
	case DUCKDB_TYPE_DOUBLE: c->kind = CELL_REAL; c->v.r = ((const double *)data)[row]; return;
	case DUCKDB_TYPE_DECIMAL: c->kind = CELL_REAL; c->v.r = decimal_to_double(data, row, type); return;
	default: break;
	}
	struct strbuf sb;
	strbuf_init(&sb, 0);
	add_value_text(&sb, vec, type, row);
	c->kind = t == DUCKDB_TYPE_DATE ? CELL_DATE
		  : t == DUCKDB_TYPE_LIST || t == DUCKDB_TYPE_MAP || t == DUCKDB_TYPE_STRUCT ? CELL_JSON
		  : CELL_TEXT;
	c->v.s = strbuf_detach(&sb);
}

/* What a cell holds in memory, for the result's byte cap. */
static size_t cell_bytes(const struct cell *c)
{
	bool text = c->kind == CELL_TEXT || c->kind == CELL_DATE || c->kind == CELL_JSON;
	return sizeof(*c) + (text && c->v.s ? strlen(c->v.s) + 1 : 0);
}

int db_result_to_table(duckdb_result *res, struct table *out, size_t max_rows, size_t max_bytes)
{
	idx_t ncols = duckdb_column_count(res);
	const char **names = xcalloc(ncols, sizeof(*names));
	enum cell_kind *kinds = xcalloc(ncols, sizeof(*kinds));
	duckdb_logical_type *types = xcalloc(ncols, sizeof(*types));
	size_t bytes = 0;
	bool too_large = false;
	for (idx_t c = 0; c < ncols; c++) {
		names[c] = duckdb_column_name(res, c);
		types[c] = duckdb_column_logical_type(res, c);
		kinds[c] = kind_of(duckdb_get_type_id(types[c]));
	}
	table_set_columns(out, ncols, names, kinds);

	while (!too_large) {
		duckdb_data_chunk chunk = duckdb_fetch_chunk(*res);
		if (!chunk)
			break;
		idx_t n = duckdb_data_chunk_get_size(chunk);
		if (n == 0) {
			duckdb_destroy_data_chunk(&chunk);
			break;
		}
		for (idx_t r = 0; r < n && !too_large; r++) {
			if (max_rows && out->nrows >= max_rows) {
				out->truncated = true;
				break;
			}
			struct cell *row = table_add_row(out);
			for (idx_t c = 0; c < ncols; c++) {
				vector_cell(&row[c], duckdb_data_chunk_get_vector(chunk, c), types[c], r);
				bytes += cell_bytes(&row[c]);
			}
			too_large = max_bytes && bytes > max_bytes;
		}
		duckdb_destroy_data_chunk(&chunk);
		if (out->truncated)
			break;
	}
	for (idx_t c = 0; c < ncols; c++)
		duckdb_destroy_logical_type(&types[c]);
	free(types);
	free(kinds);
	free(names);
	return too_large ? -1 : 0;
}

int db_query(struct db *db, const char *sql, struct table *out, size_t max_rows, struct err *e)
{
	struct db_run_options opt = { .max_rows = max_rows };
	return db_run(db, sql, &opt, out, e);
}

int db_query_int(struct db *db, const char *sql, int64_t *out, struct err *e)
{
	struct table t;
	table_init(&t);
	int rc = db_query(db, sql, &t, 1, e);
	*out = 0;
	if (rc == 0 && t.nrows && t.ncols)
		*out = (int64_t)llround(cell_number(table_at(&t, 0, 0)));
	table_release(&t);
	return rc;
}

/* ---- running with a time limit and progress ---- */

/* How often the guard asks whether the client still wants the answer. */
#define GUARD_POLL_SECONDS 0.1

struct db_guard {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	bool done;
	enum db_guard_verdict verdict;
	double seconds; /* 0: no time limit */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
	duckdb_connection con;
};

static struct timespec timespec_after(double seconds)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	double whole = floor(seconds);
	t.tv_sec += (time_t)whole;
	t.tv_nsec += (long)((seconds - whole) * 1e9);
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static bool timespec_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *guard_main(void *arg)
{
	struct db_guard *g = arg;
	struct timespec deadline = timespec_after(g->seconds > 0 ? g->seconds : 86400.0 * 365);
	pthread_mutex_lock(&g->lock);
	while (!g->done) {
		struct timespec wake = deadline;
		if (g->cancelled) {
			struct timespec poll = timespec_after(GUARD_POLL_SECONDS);
			if (timespec_before(&poll, &wake))
				wake = poll;
		}
		int rc = pthread_cond_timedwait(&g->done_cond, &g->lock, &wake);
		if (g->done)
			break;
		if (rc == ETIMEDOUT && !timespec_before(&wake, &deadline) && g->seconds > 0)
			g->verdict = DB_GUARD_TIMED_OUT;
		else if (g->cancelled && g->cancelled(g->cancel_arg))
			g->verdict = DB_GUARD_CANCELLED;
		if (g->verdict != DB_GUARD_QUIET) {
			duckdb_interrupt(g->con);
			break;
		}
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct db_guard *db_guard_start(struct db *db, double timeout_seconds, bool (*cancelled)(void *arg),
				void *cancel_arg)
{
	if (timeout_seconds <= 0 && !cancelled)
		return NULL;
	struct db_guard *g = xcalloc(1, sizeof(*g));
	g->con = db->con;
	g->seconds = timeout_seconds;
	g->cancelled = cancelled;
	g->cancel_arg = cancel_arg;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->done_cond, NULL);
	pthread_create(&g->thread, NULL, guard_main, g);
	return g;
}

bool db_guard_fired(struct db_guard *g)
{
	if (!g)
		return false;
	pthread_mutex_lock(&g->lock);
	bool fired = g->verdict != DB_GUARD_QUIET;
	pthread_mutex_unlock(&g->lock);
	return fired;
}

enum db_guard_verdict db_guard_stop(struct db_guard *g)
{
	if (!g)
		return DB_GUARD_QUIET;
	pthread_mutex_lock(&g->lock);
	g->done = true;
	pthread_cond_signal(&g->done_cond);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	enum db_guard_verdict v = g->verdict;
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->done_cond);
	free(g);
	return v;
}

int db_guard_fail(enum db_guard_verdict v, double timeout_seconds, struct err *e)
{
	if (v == DB_GUARD_CANCELLED)
		return err_set_code(e, ERR_REFUSED, "statement cancelled: the client went away");
	return err_set_code(e, ERR_REFUSED, "statement cancelled: it took longer than the time limit of %g s",
			    timeout_seconds);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int db_run_prepared(struct db *db, duckdb_prepared_statement stmt,
		    const struct db_run_options *opt, struct table *out, struct err *e)
{
	duckdb_pending_result pending = NULL;
	duckdb_result res;
	struct db_guard *guard = db_guard_start(db, opt->timeout_seconds, opt->cancelled, opt->cancel_arg);
	bool have_result = false;
	int rc = -1;

	if (duckdb_pending_prepared_streaming(stmt, &pending) == DuckDBError) {
		const char *msg = duckdb_pending_error(pending);
		err_set(e, "%s", msg ? msg : "cannot start the query");
		goto out;
	}
	double last_report = now_seconds();
	for (;;) {
		duckdb_pending_state st = duckdb_pending_execute_task(pending);
		if (st == DUCKDB_PENDING_RESULT_READY)
			break;
		if (st == DUCKDB_PENDING_ERROR) {
			/* the pending result's own error: executing it would only
			 * say "Attempting to execute an unsuccessful ... result" */
			const char *msg = duckdb_pending_error(pending);
			err_set(e, "%s", msg ? msg : "query failed");
			goto out;
		}
		if (st == DUCKDB_PENDING_NO_TASKS_AVAILABLE) {
			struct timespec pause = { 0, 1000000 };
			nanosleep(&pause, NULL);
		}
		if (opt->progress && now_seconds() - last_report > 0.25) {
			last_report = now_seconds();
			duckdb_query_progress_type p = duckdb_query_progress(db->con);
			opt->progress(p.percentage, p.rows_processed, p.total_rows_to_process, opt->progress_arg);
		}
	}
	if (duckdb_execute_pending(pending, &res) == DuckDBError) {
		have_result = true;
		const char *msg = duckdb_result_error(&res);
		err_set(e, "%s", msg ? msg : "query failed");
		goto out;
	}
	have_result = true;
	if (out && db_result_to_table(&res, out, opt->max_rows, opt->max_result_bytes)) {
		err_set_code(e, ERR_TOO_LARGE, DB_RESULT_TOO_LARGE, (double)opt->max_result_bytes / (1 << 20));
		goto out;
	}
	/* A streaming result can still fail while its chunks are fetched. */
	if (duckdb_result_error(&res)) {
		err_set(e, "%s", duckdb_result_error(&res));
		goto out;
	}
	rc = 0;
out:
	if (have_result)
		duckdb_destroy_result(&res);
	if (pending)
		duckdb_destroy_pending(&pending);
	enum db_guard_verdict v = db_guard_stop(guard);
	/* a statement that outlived its limit fails even when the call that
	 * overran (one long function call) finished after all */
	if (v != DB_GUARD_QUIET) {
		db_guard_fail(v, opt->timeout_seconds, e);
		rc = -1;
	}
	return rc;
}

/* FINQ_TRACE_SQL=1 prints every statement run through db_run and its time. */
static bool trace_sql(void)
{
	static int on = -1;
	if (on < 0) {
		const char *v = getenv("FINQ_TRACE_SQL");
		on = v && *v && strcmp(v, "0") != 0;
	}
	return on;
}

int db_run(struct db *db, const char *sql, const struct db_run_options *opt,
	   struct table *out, struct err *e)
{
	if (db->engine) {
		struct table ignored;
		table_init(&ignored);
		int rc = db->engine->run(db->engine_state, sql, opt, out ? out : &ignored, e);
		table_release(&ignored);
		return rc;
	}
	duckdb_prepared_statement stmt = NULL;
	double started = now_seconds();
	int rc;
	if (duckdb_prepare(db->con, sql, &stmt) == DuckDBError) {
		const char *msg = duckdb_prepare_error(stmt);
		rc = err_set(e, "%s", msg ? msg : "cannot prepare the query");
	} else {
		rc = db_run_prepared(db, stmt, opt, out, e);
	}
	duckdb_destroy_prepare(&stmt);
	if (trace_sql())
		fprintf(stderr, "-- %.3f s%s\n%s\n", now_seconds() - started, rc ? " (failed)" : "", sql);
	return rc;
}
