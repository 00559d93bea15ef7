/*
 * table: a query result held in memory as typed cells, and its renderings.
 *
 * db.c fills a table from DuckDB chunks; the CLI and (later) the HTTP API
 * render it. A table owns its column names and text cells. It knows nothing
 * about DuckDB, so the renderers are testable without a database.
 */
#ifndef FINQ_TABLE_H
#define FINQ_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cell_kind {
	CELL_NULL,
	CELL_INT,
	CELL_REAL,
	CELL_BOOL,
	CELL_DATE, /* text "YYYY-MM-DD" */
	CELL_TEXT, /* anything else, including timestamps */
	CELL_JSON, /* a nested value (MAP, LIST, STRUCT) as JSON text */
};

struct cell {
	enum cell_kind kind;
	union {
		int64_t i;
		double r;
		bool b;
		char *s; /* owned, for CELL_DATE, CELL_TEXT and CELL_JSON */
	} v;
};

struct table {
	size_t ncols;
	char **names;           /* owned */
	enum cell_kind *kinds;  /* the column's kind as declared by the engine */
	size_t nrows, alloc_rows;
	struct cell *cells;     /* nrows * ncols, row-major */
	bool truncated;         /* more rows existed than were kept */
};

void table_init(struct table *t);
void table_release(struct table *t);
/* Declare the columns; names are copied. */
void table_set_columns(struct table *t, size_t ncols, const char *const *names,
		       const enum cell_kind *kinds);
/* Append one row of NULL cells and return it. */
struct cell *table_add_row(struct table *t);
const struct cell *table_at(const struct table *t, size_t row, size_t col);
/* Column index by name, or -1. */
int table_column(const struct table *t, const char *name);

/* Set a cell (from CELL_NULL): text is copied, NULL leaves the cell NULL;
 * money is rounded to cents. */
void cell_set_text(struct cell *c, const char *s);
void cell_set_money(struct cell *c, double v);

/* Helpers to read one cell as a number or as text (NULL -> 0 / ""). */
double cell_number(const struct cell *c);
/* Format a cell as plain text into buf; returns buf. */
const char *cell_format(const struct cell *c, char *buf, size_t size);

struct json_t;
/* New JSON references, owned by the caller: {"columns": [...], "rows": [[...]]}
 * with numbers as numbers and dates as "YYYY-MM-DD". */
struct json_t *table_to_json(const struct table *t);
struct json_t *cell_to_json(const struct cell *c);
/* The reverse, for renderers of a stored or received answer: the object's
 * "columns" and "rows" into an initialised, empty table (nothing when there
 * are no columns). Nested values become CELL_JSON text. */
void table_from_json(const struct json_t *obj, struct table *t);

/* |value| with thousands separators and `decimals` decimals: 1,234.57.
 * No sign; callers add their own. */
void format_grouped(double value, int decimals, char *buf, size_t size);

enum table_format { TABLE_TEXT, TABLE_JSON, TABLE_CSV };
/* Text: aligned columns, numbers right-aligned, money with thousands
 * separators where the column name says it is money. */
void table_print(const struct table *t, enum table_format fmt, FILE *out);

#endif
