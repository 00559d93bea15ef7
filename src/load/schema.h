/*
 * schema: what billing-export columns mean, as data.
 *
 * Knows the canonical `costs` table, how to recognise each export format
 * from its column names, and how each format's columns map onto the
 * canonical ones (including amortized cost by CONVENTIONS.md). It only builds
 * SQL text; it opens no file and runs nothing, so it is tested without a
 * database. load.c supplies the column names and runs the SQL.
 */
#ifndef FINQ_SCHEMA_H
#define FINQ_SCHEMA_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

enum export_format {
	FORMAT_UNKNOWN,
	FORMAT_CUR2,        /* CUR 2.0: snake_case with product / resource_tags maps */
	FORMAT_CUR1,        /* CUR 1.0 CSV: lineItem/UsageStartDate, resourceTags/user:x */
	FORMAT_CUR1_ATHENA, /* CUR 1.0 for Athena: snake_case, resource_tags_user_x columns */
	FORMAT_FOCUS,       /* FinOps FOCUS 1.0 - 1.2 */
	FORMAT_AZURE,       /* Azure cost details (EA / MCA, actual or amortized) */
};

/* The family decides which mapping applies: the three CUR layouts share one. */
enum format_family { FAMILY_NONE, FAMILY_CUR, FAMILY_FOCUS, FAMILY_AZURE };

const char *export_format_name(enum export_format f);
enum format_family export_format_family(enum export_format f);

/* Athena's spelling of a CUR column: "lineItem/UsageStartDate" ->
 * "line_item_usage_start_date", "reservation/ReservationARN" ->
 * "reservation_reservation_a_r_n", "BilledCost" -> "billed_cost".
 * Writes at most size bytes including the NUL. */
void column_name_normalize(const char *raw, char *out, size_t size);

/* One spelling for a tag key whatever the export wrote: no "user:" or
 * "user_" prefix, snake_case, lower case: "user:CostCenter" -> "cost_center",
 * "aws:createdBy" -> "aws_created_by", "Team Name" -> "team_name". Also
 * registered in DuckDB as finq_tag_key() for keys inside maps. */
void tag_key_normalize(const char *raw, char *out, size_t size);

/* Tag columns that meet on one key once normalised ("resourceTags/user:Team"
 * and "resourceTags/user:team"): first[i] is the first column whose key is
 * keys[i], SIZE_MAX where keys[i] is empty (not a tag column). A load and
 * an engine that reads the CUR in place merge such columns the same way. */
#define SCHEMA_TAG_KEY_MAX 256
void schema_group_tag_columns(const char (*keys)[SCHEMA_TAG_KEY_MAX], size_t n, size_t *first);

/* Identify the format from raw header names (as in the file). */
enum export_format schema_identify(const char *const *raw_names, size_t n);

/* One source column as it exists in a file. */
struct source_column {
	const char *raw;        /* the name in the file */
	const char *normalized; /* column_name_normalize(raw) */
	bool is_text;           /* VARCHAR in the file (CSV read as text, or a string in Parquet) */
	bool is_map;            /* already a MAP in the file */
};

/*
 * Append to sql the SELECT that turns rows of `from_sql` (a read_csv(...) or
 * read_parquet(...) call with filename=true) into canonical `costs` rows,
 * leaving load_id for the caller to fill: the select list ends with
 * "<load_id> AS load_id". Fails (returns -1) only for FORMAT_UNKNOWN.
 */
int schema_build_select(enum export_format f, const struct source_column *cols, size_t ncols,
			const char *from_sql, long long load_id, struct strbuf *sql);

/* A column that a format parses (numbers, timestamps) or cannot do
 * without: what load.c checks value by value when an insert fails. */
struct typed_column {
	const char *raw;
	bool is_timestamp; /* else a number, or required text */
	bool is_text;      /* stored as text in the file */
	bool required;     /* NULL is an error */
};
size_t schema_typed_columns(enum export_format f, const struct source_column *cols, size_t ncols,
			    struct typed_column *out, size_t max);

/* The DDL of the canonical tables and the helper macros, idempotent. */
extern const char schema_ddl[];
/* Rebuilds the `vocabulary` table from the daily summaries (run inside
 * each load and undo, after summaries_refresh()). */
extern const char schema_vocabulary_sql[];
/* Macros the mapping SQL uses; run on every connection that loads. */
extern const char schema_macros[];

/* Canonical columns of `costs`, in table order (NULL-terminated). */
extern const char *const costs_columns[];

/* For engines that read a CUR where it already lives (load/athena_table.c
 * maps an Athena table with these, so that both mappings share one set of
 * facts): the i-th CUR column the mapping reads (false past the last),
 * and the mapping's outer select list over those columns as schema.c
 * writes it (the tags as finq_tags_from_entries(tag_entries), the file as
 * source_file, then a comma: load_id comes last). */
enum schema_kind { SCHEMA_TEXT, SCHEMA_NUMBER, SCHEMA_TIMESTAMP };
bool schema_cur_column(size_t i, const char **name, enum schema_kind *kind, const char **fallback_of);
void schema_cur_select_list(struct strbuf *sql);

#endif
