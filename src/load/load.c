/*
 * load: `finq load` and the machinery behind it. See load.h.
 *
 * The steps: expand paths (files.c); sniff each file (sniff.c); learn its
 * columns (the header for text, DuckDB's DESCRIBE for Parquet); identify the
 * format (schema.c); group files that one DuckDB reader can take together;
 * then, in one transaction, insert each group through schema.c's mapping
 * and delete the rows of earlier loads for the same billing periods.
 * A failed insert is rolled back and then explained: the first value in
 * the first file that does not parse, with its line and column.
 */
#include "load.h"
#include "files.h"
#include "loadcheck.h"
#include "loaddup.h"
#include "loadlog.h"
#include "schema.h"
#include "sniff.h"
#include "summaries.h"
#include "strbuf.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct load_file {
	const char *path; /* borrowed from the file list */
	bool named;
	struct sniff sniff;
	bool headerless;  /* its first line is data (Athena TEXTFILE) */
	enum export_format format;
	char **names;     /* column names as DuckDB will see them */
	size_t nnames;
	size_t group;
	uint64_t max_line_size; /* --max-line-size; 0: DuckDB's default */
};

struct load_group {
	enum export_format format;
	bool parquet;
	struct load_file **files;
	size_t nfiles, alloc;
	struct source_column *cols; /* as the group's reader yields them */
	size_t ncols;
	uint64_t estimated_rows;
};

struct load_state {
	struct db *db;
	const struct load_options *opt;
	struct load_file *files;
	size_t nfiles;
	struct load_group *groups;
	size_t ngroups, alloc_groups;
	int skipped;
	/* progress */
	double started;
	uint64_t rows_before_group, estimated_total;
	uint64_t rows_in_group; /* of the current group, inserted by its slices so far */
	const struct load_group *current;
	int nfiles_loading;
	double earlier_rate; /* rows/s of earlier loads here, for estimates; 0 if none */
	bool progress_shown, progress_on_tty;
	double last_line; /* when the last line was printed off a terminal */
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int load_ensure_schema(struct db *db, struct err *e)
{
	if (db_exec(db, schema_ddl, e))
		return err_prefix(e, "cannot create the cost tables");
	return loadlog_ensure_schema(db, e);
}

/* finq_tag_key(VARCHAR) -> VARCHAR: tag_key_normalize for DuckDB. */
static void tag_key_function(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output)
{
	(void)info;
	idx_t n = duckdb_data_chunk_get_size(input);
	duckdb_vector in = duckdb_data_chunk_get_vector(input, 0);
	duckdb_string_t *keys = duckdb_vector_get_data(in);
	uint64_t *valid = duckdb_vector_get_validity(in);
	duckdb_vector_ensure_validity_writable(output);
	uint64_t *out_valid = duckdb_vector_get_validity(output);
	char raw[512], key[512];
	for (idx_t i = 0; i < n; i++) {
		if (valid && !duckdb_validity_row_is_valid(valid, i)) {
			duckdb_validity_set_row_invalid(out_valid, i);
			continue;
		}
		uint32_t len = duckdb_string_t_length(keys[i]);
		if (len >= sizeof(raw))
			len = sizeof(raw) - 1;
		memcpy(raw, duckdb_string_t_data(&keys[i]), len);
		raw[len] = '\0';
		tag_key_normalize(raw, key, sizeof(key));
		duckdb_vector_assign_string_element_len(output, i, key, strlen(key));
	}
}

static int register_functions(struct db *db, struct err *e)
{
	duckdb_scalar_function f = duckdb_create_scalar_function();
	duckdb_logical_type varchar = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
	duckdb_scalar_function_set_name(f, "finq_tag_key");
	duckdb_scalar_function_add_parameter(f, varchar);
	duckdb_scalar_function_set_return_type(f, varchar);
	duckdb_scalar_function_set_function(f, tag_key_function);
	int rc = duckdb_register_scalar_function(db->con, f) == DuckDBError ? -1 : 0;
	duckdb_destroy_logical_type(&varchar);
	duckdb_destroy_scalar_function(&f);
	if (rc)
		return err_set(e, "cannot register the function finq_tag_key");
	return 0;
}

int load_open_db(struct db *db, const char *path, const char *memory_limit, int threads, struct err *e)
{
	struct db_config cfg = { .path = path, .memory_limit = memory_limit, .threads = threads };
	if (db_open(db, &cfg, e))
		return err_recode(e, ERR_DATABASE);
	if (load_ensure_schema(db, e) || register_functions(db, e) || db_exec(db, schema_macros, e)) {
		db_close(db);
		return err_recode(e, ERR_DATABASE);
	}
	return 0;
}

/* ---- learning each file's columns ---- */

static void set_names(struct load_file *f, char **names, size_t n)
{
	/* DuckDB needs distinct names; a repeated header gets a suffix. */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < i; k++)
			if (strcmp(names[i], names[k]) == 0) {
				char *renamed = xasprintf("%s_%zu", names[i], i);
				free(names[i]);
				names[i] = renamed;
				break;
			}
	f->names = names;
	f->nnames = n;
}

static char **copy_fields(char *const *fields, size_t n)
{
	char **out = xcalloc(n, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(fields[i][0] ? fields[i] : "unnamed");
	return out;
}

static void add_path_list(struct strbuf *sql, struct load_file *const *files, size_t n)
{
	strbuf_addch(sql, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(sql, ", ");
		strbuf_add_sql_literal(sql, files[i]->path);
	}
	strbuf_addch(sql, ']');
}

/* The DuckDB table function call that reads files (all of one group). */
static void add_reader(struct strbuf *sql, struct load_file *const *files, size_t n)
{
	const struct load_file *f = files[0];
	if (f->sniff.kind == KIND_PARQUET) {
		strbuf_addstr(sql, "read_parquet(");
		add_path_list(sql, files, n);
		strbuf_addstr(sql, ", union_by_name = true, filename = true)");
		return;
	}
	/* Every dialect option is given: nothing is guessed from the name. */
	char delim[8];
	if (f->sniff.delimiter == '\x01')
		snprintf(delim, sizeof(delim), "\\x01");
	else
		snprintf(delim, sizeof(delim), "%c", f->sniff.delimiter);
	strbuf_addstr(sql, "read_csv(");
	add_path_list(sql, files, n);
	strbuf_addf(sql, ", delim = %s'%s', header = %s, compression = '%s', auto_detect = false",
		    f->sniff.delimiter == '\x01' ? "E" : "", delim, f->headerless ? "false" : "true",
		    f->sniff.gzip ? "gzip" : "none");
	if (f->sniff.delimiter == '\x01')
		strbuf_addstr(sql, ", quote = '', escape = ''");
	else
		strbuf_addstr(sql, ", quote = '\"', escape = '\"'");
	if (f->max_line_size)
		strbuf_addf(sql, ", max_line_size = %llu", (unsigned long long)f->max_line_size);
	strbuf_addstr(sql, ", nullstr = ['', 'NULL', '\\N'], null_padding = true, filename = true, columns = {");
	for (size_t i = 0; i < f->nnames; i++) {
		if (i)
			strbuf_addstr(sql, ", ");
		strbuf_add_sql_literal(sql, f->names[i]);
		strbuf_addstr(sql, ": 'VARCHAR'");
	}
	strbuf_addstr(sql, "})");
}

/* Parquet column names and types from DuckDB. */
static int describe_parquet(struct load_state *st, struct load_file *f, struct err *e)
{
	struct strbuf sql;
	strbuf_init(&sql, 0);
	strbuf_addstr(&sql, "SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(");
	strbuf_add_sql_literal(&sql, f->path);
	strbuf_addstr(&sql, "))");
	struct table t;
	table_init(&t);
	int rc = db_query(st->db, sql.buf, &t, 0, e);
	if (rc == 0) {
		char **names = xcalloc(t.nrows ? t.nrows : 1, sizeof(*names));
		for (size_t r = 0; r < t.nrows; r++)
			names[r] = xstrdup(table_at(&t, r, 0)->v.s);
		f->names = names;
		f->nnames = t.nrows;
	} else {
		err_set_code(e, ERR_BAD_INPUT, "cannot read Parquet file '%s': %s", f->path, e->msg);
	}
	table_release(&t);
	strbuf_release(&sql);
	return rc;
}

static const char *kind_description(enum file_kind k)
{
	switch (k) {
	case KIND_EMPTY: return "it is empty";
	case KIND_JSON: return "it holds JSON (an export manifest?)";
	default: return "it is neither Parquet nor delimited text";
	}
}

/* A text file that will be loaded, read to its end: a gzip stream must
 * be whole (only now, not while sniffing: junk is refused from its head
 * without inflating it all), and DuckDB pads a short last line with
 * NULLs, so a file cut short would load its first part. */
static int check_text_whole(struct load_file *f, struct err *e)
{
	if (f->sniff.gzip && sniff_gzip_check(f->path, &f->sniff, e))
		return err_recode(e, ERR_BAD_INPUT);
	if (loadcheck_tail(f->path, f->sniff.gzip, f->sniff.tail, f->sniff.tail_len, f->sniff.nfields,
			   f->sniff.delimiter, e))
		return err_recode(e, ERR_BAD_INPUT);
	return 0;
}

/* First pass over a file: what is it, and what are its columns? */
static int inspect_file(struct load_state *st, struct load_file *f, struct err *e)
{
	if (sniff_file(f->path, &f->sniff, e))
		return err_recode(e, ERR_BAD_INPUT);
	switch (f->sniff.kind) {
	case KIND_PARQUET:
		if (describe_parquet(st, f, e))
			return -1;
		break;
	case KIND_TEXT:
		set_names(f, copy_fields(f->sniff.fields, f->sniff.nfields), f->sniff.nfields);
		break;
	default:
		if (f->named)
			return err_set_code(e, ERR_BAD_INPUT, "'%s' is not a billing export: %s",
					    f->path, kind_description(f->sniff.kind));
		return 0;
	}
	f->format = schema_identify((const char *const *)f->names, f->nnames);
	/* An Athena TEXTFILE export may come without its header: its first
	 * line is data, recognisable by the \x01 separators. */
	if (f->format == FORMAT_UNKNOWN && f->sniff.kind == KIND_TEXT &&
	    (f->sniff.delimiter == '\x01' || st->opt->header_from))
		f->headerless = true;
	if (f->sniff.kind == KIND_TEXT && (f->format != FORMAT_UNKNOWN || f->headerless))
		return check_text_whole(f, e);
	return 0;
}

/* What inspect_file() filled in (also after it failed part-way). */
static void file_release(struct load_file *f)
{
	for (size_t k = 0; k < f->nnames; k++)
		free(f->names[k]);
	free(f->names);
	f->names = NULL;
	f->nnames = 0;
	sniff_release(&f->sniff);
}

/* Give each headerless file the header of --header-from, or of a file of
 * the same load with as many columns. */
static int resolve_headers(struct load_state *st, struct err *e)
{
	struct load_file from = { 0 };
	if (st->opt->header_from) {
		from.path = st->opt->header_from;
		from.named = true;
		if (inspect_file(st, &from, e)) {
			file_release(&from);
			return -1;
		}
		if (from.format == FORMAT_UNKNOWN) {
			file_release(&from);
			return err_set_code(e, ERR_BAD_INPUT, "--header-from '%s' has no recognisable billing export header",
					    st->opt->header_from);
		}
	}
	int rc = 0;
	for (size_t i = 0; i < st->nfiles && rc == 0; i++) {
		struct load_file *f = &st->files[i];
		if (!f->headerless)
			continue;
		const struct load_file *donor = from.format != FORMAT_UNKNOWN && from.nnames == f->nnames ? &from : NULL;
		for (size_t k = 0; !donor && k < st->nfiles; k++) {
			const struct load_file *g = &st->files[k];
			if (!g->headerless && g->format != FORMAT_UNKNOWN && g->sniff.kind == KIND_TEXT &&
			    g->sniff.delimiter == f->sniff.delimiter && g->nnames == f->nnames)
				donor = g;
		}
		if (!donor) {
			rc = err_set_code(e, ERR_BAD_INPUT,
					  "'%s' has no header and no file of this load has a header with its %zu columns: "
					  "load it together with one that has, or name one with --header-from FILE",
					  f->path, f->nnames);
			break;
		}
		for (size_t k = 0; k < f->nnames; k++)
			free(f->names[k]);
		free(f->names);
		f->names = copy_fields(donor->names, donor->nnames);
		f->nnames = donor->nnames;
		f->format = donor->format;
	}
	file_release(&from);
	return rc;
}

/* ---- grouping ---- */

static bool same_reader(const struct load_file *a, const struct load_file *b)
{
	if (a->format != b->format || a->sniff.kind != b->sniff.kind)
		return false;
	if (a->sniff.kind == KIND_PARQUET)
		return true; /* union_by_name absorbs drifting column sets */
	if (a->sniff.gzip != b->sniff.gzip || a->sniff.delimiter != b->sniff.delimiter ||
	    a->headerless != b->headerless || a->nnames != b->nnames)
		return false;
	for (size_t i = 0; i < a->nnames; i++)
		if (strcmp(a->names[i], b->names[i]) != 0)
			return false;
	return true;
}

static void group_files(struct load_state *st)
{
	for (size_t i = 0; i < st->nfiles; i++) {
		struct load_file *f = &st->files[i];
		if (f->format == FORMAT_UNKNOWN)
			continue;
		size_t g = 0;
		while (g < st->ngroups && !same_reader(st->groups[g].files[0], f))
			g++;
		if (g == st->ngroups) {
			ALLOC_GROW(st->groups, st->ngroups + 1, st->alloc_groups);
			memset(&st->groups[g], 0, sizeof(st->groups[g]));
			st->groups[g].format = f->format;
			st->groups[g].parquet = f->sniff.kind == KIND_PARQUET;
			st->ngroups++;
		}
		struct load_group *grp = &st->groups[g];
		ALLOC_GROW(grp->files, grp->nfiles + 1, grp->alloc);
		grp->files[grp->nfiles++] = f;
		f->group = g;
	}
}

/* A line longer than the CSV reader takes (DuckDB's error names neither
 * the line nor the option); 1 if found, e says where and what to do. */
static int explain_long_line(const struct load_file *f, struct err *e)
{
	uint64_t limit = f->max_line_size ? f->max_line_size : LOADCHECK_DEFAULT_MAX_LINE;
	uint64_t line = 0, length = 0;
	struct err ignored = { 0 };
	if (loadcheck_long_line(f->path, limit, &line, &length, &ignored) != 1)
		return 0;
	err_set_code(e, ERR_BAD_INPUT,
		     "'%s' line %llu: the line is %llu bytes long, longer than the limit of %llu bytes a line may have; "
		     "if the file is right, raise the limit with 'finq load --max-line-size %llu' (or more)",
		     f->path, (unsigned long long)line, (unsigned long long)length, (unsigned long long)limit,
		     (unsigned long long)(length + 1024));
	return 1;
}

/* The group's columns with their types, as its reader yields them. */
static int describe_group(struct load_state *st, struct load_group *g, struct err *e)
{
	struct strbuf sql;
	strbuf_init(&sql, 0);
	strbuf_addstr(&sql, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ");
	add_reader(&sql, g->files, g->nfiles);
	strbuf_addstr(&sql, ") WHERE column_name <> 'filename'");
	struct table t;
	table_init(&t);
	int rc = db_query(st->db, sql.buf, &t, 0, e);
	if (rc == 0) {
		g->ncols = t.nrows;
		g->cols = xcalloc(t.nrows ? t.nrows : 1, sizeof(*g->cols));
		for (size_t r = 0; r < t.nrows; r++) {
			const char *name = table_at(&t, r, 0)->v.s;
			const char *type = table_at(&t, r, 1)->v.s;
			char normalized[256];
			column_name_normalize(name, normalized, sizeof(normalized));
			g->cols[r].raw = xstrdup(name);
			g->cols[r].normalized = xstrdup(normalized);
			g->cols[r].is_text = strcmp(type, "VARCHAR") == 0;
			g->cols[r].is_map = strncmp(type, "MAP(", 4) == 0;
		}
	} else {
		struct err cause = *e;
		bool explained = false;
		for (size_t i = 0; i < g->nfiles && !g->parquet && !explained; i++)
			explained = explain_long_line(g->files[i], e) == 1;
		if (!explained)
			err_set_code(e, ERR_BAD_INPUT, "cannot read '%s': %s", g->files[0]->path, cause.msg);
	}
	table_release(&t);
	strbuf_release(&sql);
	return rc;
}

/* ---- progress ---- */

static void format_count(double n, char *buf, size_t size)
{
	if (n >= 1e6)
		snprintf(buf, size, "%.2fM", n / 1e6);
	else if (n >= 1e3)
		snprintf(buf, size, "%.0fk", n / 1e3);
	else
		snprintf(buf, size, "%.0f", n);
}

/* Forget the progress line: clear it on a terminal (the next output
 * starts clean); off a terminal every line already ended. */
static void clear_progress(struct load_state *st)
{
	if (st->progress_shown && st->progress_on_tty)
		fprintf(stderr, "\r\033[K");
}

/* A step after the inserts, which DuckDB cannot measure: named. */
static void report_phase(struct load_state *st, const char *what)
{
	if (!st->progress_shown)
		return;
	fprintf(stderr, "%sloading: %.0f s, %s%s", st->progress_on_tty ? "\r\033[K" : "",
		now_seconds() - st->started, what, st->progress_on_tty ? " ..." : "\n");
	fflush(stderr);
}

/*
 * One progress line: rows, share done, rows per second and time left.
 * The share is DuckDB's percentage of the running insert (it counts whole
 * files: DuckDB 1.4 reports 0% within one file, CSV or Parquet) or the
 * rows of the Parquet slices inserted so far (insert_group), whichever is
 * further, placed within the load by the estimated rows of the groups
 * before; with neither yet, the time left comes from the rate of earlier
 * loads into this database, and says so. On a terminal the line is rewritten in
 * place; elsewhere (--progress) one line a second is written.
 */
static void report_progress(double percent, uint64_t rows_done, uint64_t rows_total, void *arg)
{
	struct load_state *st = arg;
	(void)rows_done;
	(void)rows_total;
	double now = now_seconds(), elapsed = now - st->started;
	if (!st->progress_on_tty) {
		if (now - st->last_line < 1.0)
			return;
		st->last_line = now;
	}
	char total[32], rate[32];
	format_count((double)st->estimated_total, total, sizeof(total));
	fprintf(stderr, "%sloading %s rows from %d file%s: %.0f s", st->progress_on_tty ? "\r" : "", total,
		st->nfiles_loading, st->nfiles_loading == 1 ? "" : "s", elapsed);
	double group_rows = percent > 0 && percent <= 100 ? (double)st->current->estimated_rows * percent / 100.0 : 0;
	if (group_rows < (double)st->rows_in_group)
		group_rows = (double)st->rows_in_group;
	if (group_rows > 0 && st->estimated_total > 0) {
		double done = (double)st->rows_before_group + group_rows;
		double per_second = elapsed > 0 ? done / elapsed : 0;
		format_count(per_second, rate, sizeof(rate));
		fprintf(stderr, ", %.0f%% done, %s rows/s, %.0f s left", 100.0 * done / (double)st->estimated_total, rate,
			per_second > 0 ? ceil(((double)st->estimated_total - done) / per_second) : 0.0);
	} else if (st->earlier_rate > 0) {
		double left = (double)st->estimated_total / st->earlier_rate - elapsed;
		format_count(st->earlier_rate, rate, sizeof(rate));
		fprintf(stderr, ", about %.0f s left at the %s rows/s of earlier loads", left > 1 ? left : 1.0, rate);
	}
	fputs(st->progress_on_tty ? "   " : "\n", stderr);
	fflush(stderr);
}

static int estimate_rows(struct load_state *st, struct load_group *g, struct err *e)
{
	if (!g->parquet) {
		for (size_t i = 0; i < g->nfiles; i++)
			g->estimated_rows += g->files[i]->sniff.estimated_rows;
		return 0;
	}
	struct strbuf sql;
	strbuf_init(&sql, 0);
	strbuf_addstr(&sql, "SELECT sum(num_rows) FROM parquet_file_metadata(");
	add_path_list(&sql, g->files, g->nfiles);
	strbuf_addch(&sql, ')');
	int64_t n = 0;
	int rc = db_query_int(st->db, sql.buf, &n, e);
	g->estimated_rows = (uint64_t)n;
	strbuf_release(&sql);
	return rc;
}

/* ---- explaining a failed insert ---- */

/* Find the first value of one file that does not parse; 1 if found (e
 * says where), 0 if not. Runs outside the failed transaction. */
static int explain_file(struct load_state *st, const struct load_group *g, struct load_file *f, struct err *e)
{
	struct typed_column typed[64];
	size_t n = schema_typed_columns(g->format, g->cols, g->ncols, typed, 64);
	struct load_file *one[1] = { f };
	int found = 0;
	for (size_t i = 0; i < n && !found; i++) {
		struct strbuf sql, col;
		strbuf_init(&sql, 0);
		strbuf_init(&col, 0);
		strbuf_add_sql_ident(&col, typed[i].raw);
		const char *parse = typed[i].is_timestamp ? (typed[i].is_text ? "finq_ts" : "CAST") : "CAST";
		const char *as = typed[i].is_timestamp ? (typed[i].is_text ? "" : " AS TIMESTAMP") : " AS DOUBLE";
		strbuf_addf(&sql, "SELECT n, CAST(v AS VARCHAR) FROM (SELECT row_number() OVER () AS n, %s AS v FROM ", col.buf);
		add_reader(&sql, one, 1);
		strbuf_addf(&sql, ") WHERE (v IS NOT NULL AND TRY(%s(v%s)) IS NULL)%s LIMIT 1", parse, as,
			    typed[i].required ? " OR v IS NULL" : "");
		struct table t;
		table_init(&t);
		struct err ignored = { 0 };
		if (db_query(st->db, sql.buf, &t, 1, &ignored) == 0 && t.nrows == 1) {
			long long row = (long long)cell_number(table_at(&t, 0, 0));
			const struct cell *v = table_at(&t, 0, 1);
			const char *where = f->sniff.kind == KIND_PARQUET ? "row" : "line";
			long long at = f->sniff.kind == KIND_PARQUET || f->headerless ? row : row + 1;
			if (v->kind == CELL_NULL)
				err_set_code(e, ERR_BAD_INPUT, "'%s' %s %lld: column '%s' is empty but required",
					     f->path, where, at, typed[i].raw);
			else
				err_set_code(e, ERR_BAD_INPUT, "'%s' %s %lld: column '%s' holds '%.80s', which is not a %s",
					     f->path, where, at, typed[i].raw, v->v.s,
					     typed[i].is_timestamp ? "date or timestamp" : "number");
			found = 1;
		}
		table_release(&t);
		strbuf_release(&sql);
		strbuf_release(&col);
	}
	return found;
}

static void explain_failure(struct load_state *st, const struct load_group *g, struct err *e)
{
	struct err original = *e;
	struct err ignored = { 0 };
	/* Row numbers need one thread: row_number() OVER () follows scan order. */
	db_exec(st->db, "SET threads = 1", &ignored);
	for (size_t i = 0; i < g->nfiles && !g->parquet; i++)
		if (explain_long_line(g->files[i], e) == 1)
			goto out;
	for (size_t i = 0; i < g->nfiles; i++)
		if (explain_file(st, g, g->files[i], e) == 1)
			goto out;
	if (g->nfiles == 1 && g->parquet && strstr(original.msg, "Failed to read file"))
		err_set_code(e, ERR_BAD_INPUT, "cannot load '%s': the Parquet file is damaged (%s)", g->files[0]->path,
			     original.msg);
	else if (g->nfiles == 1)
		err_set_code(e, ERR_BAD_INPUT, "cannot load '%s': %s", g->files[0]->path, original.msg);
	else
		err_set_code(e, ERR_BAD_INPUT, "cannot load %zu files starting with '%s': %s", g->nfiles,
			     g->files[0]->path, original.msg);
out:
	db_exec(st->db, "RESET threads", &ignored);
}

/* ---- the transaction ---- */

/*
 * The row-group-aligned file_row_number ranges that cut one Parquet file
 * into about LOAD_SLICES inserts: bounds[0] = 0 < ... < bounds[n] = its
 * rows; returns n, 0 when it cannot be cut (too few row groups, no
 * metadata). A range reads only its row groups (DuckDB prunes them by row
 * number: the last tenth of a 1M-row file read in 0.2 of the time of all
 * of it), but DuckDB reads a file in parallel by row group: a slice of one
 * row group loaded a 1M-row file at half the speed (measured), so a slice
 * holds at least LOAD_SLICE_MIN_GROUPS of them.
 */
#define LOAD_SLICES 20
#define LOAD_SLICE_MIN_GROUPS 4
static size_t parquet_slices(struct load_state *st, const struct load_group *g, int64_t *bounds)
{
	struct strbuf sql;
	struct table t;
	struct err ignored = { 0 };
	strbuf_init(&sql, 0);
	table_init(&t);
	strbuf_addstr(&sql, "SELECT row_group_id, any_value(row_group_num_rows) FROM parquet_metadata(");
	add_path_list(&sql, g->files, 1);
	strbuf_addstr(&sql, ") GROUP BY 1 ORDER BY 1");
	size_t n = 0;
	if (db_query(st->db, sql.buf, &t, 0, &ignored) == 0 && t.nrows >= 2 * LOAD_SLICE_MIN_GROUPS) {
		double total = 0;
		for (size_t r = 0; r < t.nrows; r++)
			total += cell_number(table_at(&t, r, 1));
		double per_slice = total / LOAD_SLICES, in_slice = 0, done = 0;
		size_t groups_in_slice = 0;
		bounds[0] = 0;
		for (size_t r = 0; r < t.nrows; r++) {
			double rows = cell_number(table_at(&t, r, 1));
			done += rows;
			in_slice += rows;
			groups_in_slice++;
			bool full = in_slice >= per_slice && groups_in_slice >= LOAD_SLICE_MIN_GROUPS;
			/* the last slice takes the rest, however few */
			bool rest_too_small = t.nrows - r - 1 < LOAD_SLICE_MIN_GROUPS;
			if ((full && !rest_too_small && n < LOAD_SLICES - 1) || r + 1 == t.nrows) {
				bounds[++n] = (int64_t)done;
				in_slice = 0;
				groups_in_slice = 0;
			}
		}
	}
	table_release(&t);
	strbuf_release(&sql);
	return n > 1 ? n : 0;
}

/*
 * Insert one group of files through its mapping: one statement, or, when
 * progress is shown and the group is one Parquet file, one statement per
 * slice of it (parquet_slices), since DuckDB reports no progress within a
 * file. Slicing is for progress only: --no-progress loads in one go.
 */
static int insert_group(struct load_state *st, struct load_group *g, long long load_id, struct err *e)
{
	struct strbuf from, sql;
	strbuf_init(&from, 0);
	strbuf_init(&sql, 0);
	int64_t bounds[LOAD_SLICES + 1];
	size_t nslices = st->progress_shown && g->parquet && g->nfiles == 1 ? parquet_slices(st, g, bounds) : 0;
	bool show = st->progress_shown;
	/* DuckDB measures progress only with its progress bar enabled;
	 * it must not print its own, finq prints rows, rate and time left */
	struct err ignored = { 0 };
	if (show)
		db_exec(st->db, "SET enable_progress_bar = true; SET enable_progress_bar_print = false", &ignored);
	struct db_run_options opt = { .progress = show ? report_progress : NULL, .progress_arg = st };
	st->current = g;
	st->rows_in_group = 0;
	int rc = 0;
	for (size_t s = 0; s < (nslices ? nslices : 1) && rc == 0; s++) {
		strbuf_reset(&from);
		strbuf_reset(&sql);
		if (nslices) {
			strbuf_addstr(&from, "(SELECT * FROM read_parquet(");
			add_path_list(&from, g->files, 1);
			strbuf_addf(&from, ", union_by_name = true, filename = true, file_row_number = true)\n"
				    "  WHERE file_row_number >= %lld AND file_row_number < %lld)",
				    (long long)bounds[s], (long long)bounds[s + 1]);
		} else {
			add_reader(&from, g->files, g->nfiles);
		}
		strbuf_addstr(&sql, "INSERT INTO costs (");
		for (const char *const *c = costs_columns; *c; c++)
			strbuf_addf(&sql, "%s%s", c == costs_columns ? "" : ", ", *c);
		strbuf_addstr(&sql, ")\n");
		rc = schema_build_select(g->format, g->cols, g->ncols, from.buf, load_id, &sql);
		if (rc == 0)
			rc = db_run(st->db, sql.buf, &opt, NULL, e);
		if (rc == 0 && nslices) {
			st->rows_in_group = (uint64_t)bounds[s + 1];
			st->last_line = 0; /* a line for every slice */
			report_progress(-1, 0, 0, st);
		}
	}
	strbuf_release(&from);
	strbuf_release(&sql);
	return rc;
}

static void record_formats(struct load_state *st, struct load_report *rep)
{
	rep->formats[0] = '\0';
	for (size_t g = 0; g < st->ngroups; g++) {
		char one[64];
		const char *fmt = export_format_name(st->groups[g].format);
		snprintf(one, sizeof(one), "%s-%s", fmt, st->groups[g].parquet ? "parquet" : st->groups[g].files[0]->sniff.gzip ? "csv.gz" : "csv");
		if (strstr(rep->formats, one))
			continue;
		size_t len = strlen(rep->formats);
		snprintf(rep->formats + len, sizeof(rep->formats) - len, "%s%s", len ? ", " : "", one);
	}
}

/* loaddup_resolve() over this load's files; its messages are kept in
 * *notes (the caller frees them) and printed only once the load commits. */
static int resolve_duplicates(struct load_state *st, int64_t load_id, struct load_report *rep, char **notes,
			      struct err *e)
{
	struct loaddup_file *files = xcalloc(st->nfiles ? st->nfiles : 1, sizeof(*files));
	for (size_t i = 0; i < st->nfiles; i++)
		files[i] = (struct loaddup_file){ st->files[i].path, st->files[i].format };
	size_t len = 0;
	FILE *out = open_memstream(notes, &len);
	int rc = loaddup_resolve(st->db, (long long)load_id, files, st->nfiles, out, &rep->duplicates, e);
	if (out)
		fclose(out);
	free(files);
	if (rc == 0 && len == 0) {
		free(*notes);
		*notes = NULL;
	}
	return rc;
}

static int run_transaction(struct load_state *st, struct load_report *rep, struct err *e)
{
	int64_t load_id = 0, replaced = 0, rows = 0;
	char *notes = NULL;
	struct summaries_tuning tuning = { 0 };
	if (db_exec(st->db, "BEGIN TRANSACTION", e))
		return -1;
	if (db_query_int(st->db, "SELECT coalesce(max(load_id), 0) + 1 FROM loads", &load_id, e))
		goto fail;
	for (size_t g = 0; g < st->ngroups; g++) {
		if (insert_group(st, &st->groups[g], load_id, e)) {
			struct err cause = *e;
			struct err ignored = { 0 };
			db_exec(st->db, "ROLLBACK", &ignored);
			*e = cause;
			explain_failure(st, &st->groups[g], e);
			return -1;
		}
		st->rows_before_group += st->groups[g].estimated_rows;
	}
	/* The same charges twice within this load (two deliveries of a month,
	 * one export in two formats, a copy): keep one, say which. */
	if (resolve_duplicates(st, load_id, rep, &notes, e)) {
		struct err cause = *e; /* keeps its exit code: bad input, not the database */
		struct err ignored = { 0 };
		free(notes);
		db_exec(st->db, "ROLLBACK", &ignored);
		*e = cause;
		return -1;
	}
	/* Cumulative deliveries: this load's billing periods replace earlier
	 * loads' rows of the same period, payer and provider; the load log
	 * keeps them for `finq loads undo`. */
	char sql[1024];
	if (loadlog_replace(st->db, (long long)load_id, &replaced, e))
		goto fail;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM costs WHERE load_id = %lld", (long long)load_id);
	if (db_query_int(st->db, sql, &rows, e))
		goto fail;
	rep->insert_seconds = now_seconds() - st->started;
	snprintf(sql, sizeof(sql), "INSERT INTO loads VALUES (%lld, now()::TIMESTAMP, %d, %lld, %lld, %.6f)",
		 (long long)load_id, rep->files, (long long)rows, (long long)replaced, rep->insert_seconds);
	if (db_exec(st->db, sql, e))
		goto fail;
	for (size_t i = 0; i < st->nfiles; i++) {
		const struct load_file *f = &st->files[i];
		if (f->format == FORMAT_UNKNOWN)
			continue;
		struct strbuf ins;
		strbuf_init(&ins, 0);
		strbuf_addf(&ins, "INSERT INTO load_files VALUES (%lld, ", (long long)load_id);
		strbuf_add_sql_literal(&ins, f->path);
		strbuf_addstr(&ins, ", ");
		strbuf_add_sql_literal(&ins, export_format_name(f->format));
		strbuf_addf(&ins, ", %llu)", (unsigned long long)f->sniff.bytes);
		int rc = db_exec(st->db, ins.buf, e);
		strbuf_release(&ins);
		if (rc)
			goto fail;
	}
	/* the summaries of this load's billing periods (the ones it replaced
	 * are among them), then the vocabulary, which reads them */
	report_phase(st, "building the daily summaries and the vocabulary");
	snprintf(sql, sizeof(sql), "SELECT billing_period FROM load_periods WHERE load_id = %lld", (long long)load_id);
	if (summaries_refresh(st->db, sql, &tuning, e) || db_exec(st->db, schema_vocabulary_sql, e))
		goto fail;
	/* the load log's seconds cover the summaries (earlier_rate's
	 * estimates read them) and, set again once it is done, the COMMIT,
	 * which writes the whole table: the time `finq loads` shows is the
	 * time the user waited */
	snprintf(sql, sizeof(sql), "UPDATE loads SET seconds = %.6f WHERE load_id = %lld", now_seconds() - st->started,
		 (long long)load_id);
	if (db_exec(st->db, sql, e) || db_exec(st->db, "COMMIT", e))
		goto fail;
	summaries_finish(st->db, &tuning);
	{
		/* after the COMMIT the load stands: a failure here leaves the
		 * seconds without the COMMIT, not the load undone */
		struct err ignored = { 0 };
		snprintf(sql, sizeof(sql), "UPDATE loads SET seconds = %.6f WHERE load_id = %lld",
			 now_seconds() - st->started, (long long)load_id);
		db_exec(st->db, sql, &ignored);
	}
	if (notes) {
		clear_progress(st);
		fputs(notes, stderr);
		free(notes);
	}
	rep->rows = rows;
	rep->replaced = replaced;
	return 0;
fail: {
	free(notes);
	struct err cause = *e;
	struct err ignored = { 0 };
	db_exec(st->db, "ROLLBACK", &ignored);
	summaries_finish(st->db, &tuning);
	*e = cause;
	return err_set_code(e, ERR_DATABASE, "%s", cause.msg);
}
}

static void state_release(struct load_state *st)
{
	for (size_t i = 0; i < st->nfiles; i++) {
		for (size_t k = 0; k < st->files[i].nnames; k++)
			free(st->files[i].names[k]);
		free(st->files[i].names);
		sniff_release(&st->files[i].sniff);
	}
	free(st->files);
	for (size_t g = 0; g < st->ngroups; g++) {
		for (size_t c = 0; c < st->groups[g].ncols; c++) {
			free((char *)st->groups[g].cols[c].raw);
			free((char *)st->groups[g].cols[c].normalized);
		}
		free(st->groups[g].cols);
		free(st->groups[g].files);
	}
	free(st->groups);
}

int load_paths(struct db *db, const char *const *paths, int npaths,
	       const struct load_options *opt, struct load_report *rep, struct err *e)
{
	struct file_list list;
	struct load_state st = { .db = db, .opt = opt };
	int rc = -1;

	memset(rep, 0, sizeof(*rep));
	st.started = now_seconds();
	file_list_init(&list);
	if (file_list_expand(&list, paths, npaths, e)) {
		err_recode(e, ERR_BAD_INPUT);
		goto out;
	}
	st.files = xcalloc(list.n ? list.n : 1, sizeof(*st.files));
	st.nfiles = list.n;
	for (size_t i = 0; i < list.n; i++) {
		st.files[i].path = list.items[i].path;
		st.files[i].named = list.items[i].named;
		st.files[i].max_line_size = opt->max_line_size;
		if (inspect_file(&st, &st.files[i], e))
			goto out;
	}
	if (resolve_headers(&st, e))
		goto out;
	for (size_t i = 0; i < st.nfiles; i++) {
		struct load_file *f = &st.files[i];
		if (f->format != FORMAT_UNKNOWN)
			continue;
		if (f->named && (f->sniff.kind == KIND_TEXT || f->sniff.kind == KIND_PARQUET)) {
			err_set_code(e, ERR_BAD_INPUT,
				     "'%s' is not a known billing export (CUR 1.0, CUR 2.0, FOCUS, Azure cost details): "
				     "its columns start with '%s'", f->path, f->nnames ? f->names[0] : "");
			goto out;
		}
		st.skipped++;
	}
	group_files(&st);
	if (st.ngroups == 0) {
		err_set_code(e, ERR_BAD_INPUT, "no billing export found in %s%s", paths[0], npaths > 1 ? " and the other paths" : "");
		goto out;
	}
	for (size_t g = 0; g < st.ngroups; g++) {
		if (describe_group(&st, &st.groups[g], e) || estimate_rows(&st, &st.groups[g], e))
			goto out;
		st.estimated_total += st.groups[g].estimated_rows;
		rep->files += (int)st.groups[g].nfiles;
	}
	record_formats(&st, rep);
	st.nfiles_loading = rep->files;
	st.progress_on_tty = isatty(STDERR_FILENO);
	st.progress_shown = (opt->progress && st.progress_on_tty) || opt->progress_always;
	if (st.progress_shown) {
		struct table t;
		struct err ignored = { 0 };
		table_init(&t);
		if (db_query(db, "SELECT sum(rows) / nullif(sum(seconds), 0) FROM loads WHERE rows >= 100000", &t, 1, &ignored) == 0 &&
		    t.nrows == 1)
			st.earlier_rate = cell_number(table_at(&t, 0, 0));
		table_release(&t);
	}
	if (run_transaction(&st, rep, e))
		goto out;
	rep->seconds = now_seconds() - st.started; /* what the user waited, the COMMIT included */
	clear_progress(&st);
	if (st.skipped)
		fprintf(stderr, "finq: skipped %d file%s that %s not billing exports\n", st.skipped,
			st.skipped == 1 ? "" : "s", st.skipped == 1 ? "is" : "are");
	rc = 0;
out:
	if (rc)
		clear_progress(&st);
	state_release(&st);
	file_list_release(&list);
	return rc;
}
