/*
 * table: in-memory result tables and their text, JSON and CSV renderings.
 * JSON output goes through jansson so that escaping is never hand-rolled.
 */
#include "table.h"
#include "safetext.h"
#include "strbuf.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void table_init(struct table *t)
{
	memset(t, 0, sizeof(*t));
}

void table_release(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		if (t->cells[i].kind >= CELL_DATE)
			free(t->cells[i].v.s);
	for (size_t c = 0; c < t->ncols; c++)
		free(t->names[c]);
	free(t->names);
	free(t->kinds);
	free(t->cells);
	table_init(t);
}

void table_set_columns(struct table *t, size_t ncols, const char *const *names,
		       const enum cell_kind *kinds)
{
	t->ncols = ncols;
	t->names = xcalloc(ncols, sizeof(*t->names));
	t->kinds = xcalloc(ncols, sizeof(*t->kinds));
	for (size_t c = 0; c < ncols; c++) {
		t->names[c] = xstrdup(names[c]);
		t->kinds[c] = kinds ? kinds[c] : CELL_TEXT;
	}
}

struct cell *table_add_row(struct table *t)
{
	size_t need = (t->nrows + 1) * t->ncols;
	ALLOC_GROW(t->cells, need, t->alloc_rows);
	struct cell *row = t->cells + t->nrows * t->ncols;
	memset(row, 0, t->ncols * sizeof(*row));
	t->nrows++;
	return row;
}

const struct cell *table_at(const struct table *t, size_t row, size_t col)
{
	return &t->cells[row * t->ncols + col];
}

int table_column(const struct table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(t->names[c], name) == 0)
			return (int)c;
	return -1;
}

double cell_number(const struct cell *c)
{
	switch (c->kind) {
	case CELL_INT: return (double)c->v.i;
	case CELL_REAL: return c->v.r;
	case CELL_BOOL: return c->v.b;
	default: return 0;
	}
}

const char *cell_format(const struct cell *c, char *buf, size_t size)
{
	switch (c->kind) {
	case CELL_NULL: snprintf(buf, size, "%s", ""); break;
	case CELL_INT: snprintf(buf, size, "%lld", (long long)c->v.i); break;
	case CELL_REAL: snprintf(buf, size, "%.10g", c->v.r); break;
	case CELL_BOOL: snprintf(buf, size, "%s", c->v.b ? "true" : "false"); break;
	case CELL_DATE:
	case CELL_TEXT:
	case CELL_JSON: snprintf(buf, size, "%s", c->v.s); break;
	}
	return buf;
}

/* Money and shares get two decimals in text output; other reals keep more. */
static bool column_is_money(const char *name)
{
	static const char *const money_words[] = { "cost", "spend", "amount", "total", "saving", "unblended", "amortized", "net", "list", NULL };
	for (const char *const *w = money_words; *w; w++)
		if (strstr(name, *w))
			return !strstr(name, "usage_amount");
	return false;
}

void format_grouped(double value, int decimals, char *buf, size_t size)
{
	char raw[400];
	snprintf(raw, sizeof(raw), "%.*f", decimals, fabs(value));
	char *dot = strchr(raw, '.');
	size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
	struct strbuf sb;
	strbuf_init(&sb, 0);
	for (size_t i = 0; i < int_len; i++) {
		if (i && (int_len - i) % 3 == 0)
			strbuf_addch(&sb, ',');
		strbuf_addch(&sb, raw[i]);
	}
	if (dot)
		strbuf_addstr(&sb, dot);
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

/* -1,234.56; no sign when the value rounds to zero. */
static void format_thousands(double value, int decimals, char *buf, size_t size)
{
	char digits[400];
	format_grouped(value, decimals, digits, sizeof(digits));
	bool zero = strspn(digits, "0.,") == strlen(digits);
	snprintf(buf, size, "%s%s", value < 0 && !zero ? "-" : "", digits);
}

static const char *text_cell(const struct table *t, size_t col, const struct cell *c, char *buf, size_t size)
{
	if (c->kind == CELL_REAL && column_is_money(t->names[col]))
		format_thousands(c->v.r, 2, buf, size);
	else
		cell_format(c, buf, size);
	safetext_terminal(buf, false); /* a tag value must not drive the terminal */
	return buf;
}

static void print_text(const struct table *t, FILE *out)
{
	char buf[4096];
	size_t *width = xcalloc(t->ncols, sizeof(*width));
	char **names = xcalloc(t->ncols, sizeof(*names)); /* as shown: no escapes from a PIVOT's values */
	for (size_t c = 0; c < t->ncols; c++) {
		names[c] = xstrdup(t->names[c]);
		width[c] = safetext_terminal(names[c], false);
	}
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t n = strlen(text_cell(t, c, table_at(t, r, c), buf, sizeof(buf)));
			if (n > width[c])
				width[c] = n > 60 ? 60 : n;
		}
	for (size_t c = 0; c < t->ncols; c++)
		fprintf(out, "%s%-*s", c ? "  " : "", (int)width[c], names[c]);
	fputc('\n', out);
	for (size_t c = 0; c < t->ncols; c++) {
		fprintf(out, "%s", c ? "  " : "");
		for (size_t i = 0; i < width[c]; i++)
			fputc('-', out);
	}
	fputc('\n', out);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const struct cell *cell = table_at(t, r, c);
			text_cell(t, c, cell, buf, sizeof(buf));
			bool right = cell->kind == CELL_INT || cell->kind == CELL_REAL;
			fprintf(out, "%s%*.*s", c ? "  " : "", right ? (int)width[c] : -(int)width[c],
				(int)width[c], buf);
		}
		fputc('\n', out);
	}
	fprintf(out, "(%zu row%s%s)\n", t->nrows, t->nrows == 1 ? "" : "s",
		t->truncated ? ", truncated by the row limit" : "");
	for (size_t c = 0; c < t->ncols; c++)
		free(names[c]);
	free(names);
	free(width);
}

json_t *cell_to_json(const struct cell *c)
{
	switch (c->kind) {
	case CELL_NULL: return json_null();
	case CELL_INT: return json_integer(c->v.i);
	case CELL_REAL: return isfinite(c->v.r) ? json_real(c->v.r) : json_null();
	case CELL_BOOL: return json_boolean(c->v.b);
	case CELL_DATE:
	case CELL_TEXT: return json_string(c->v.s);
	case CELL_JSON: {
		json_t *v = json_loads(c->v.s, JSON_DECODE_ANY, NULL);
		return v ? v : json_string(c->v.s);
	}
	}
	return json_null();
}

void cell_set_text(struct cell *c, const char *s)
{
	if (!s)
		return;
	c->kind = CELL_TEXT;
	c->v.s = xstrdup(s);
}

void cell_set_money(struct cell *c, double v)
{
	c->kind = CELL_REAL;
	c->v.r = round(v * 100) / 100;
}

void table_from_json(const json_t *obj, struct table *t)
{
	json_t *cols = json_object_get(obj, "columns"), *rows = json_object_get(obj, "rows");
	size_t ncols = json_array_size(cols);
	if (!ncols)
		return;
	const char **names = xcalloc(ncols, sizeof(*names));
	for (size_t c = 0; c < ncols; c++)
		names[c] = json_string_value(json_array_get(cols, c));
	table_set_columns(t, ncols, names, NULL);
	free(names);
	for (size_t r = 0; r < json_array_size(rows); r++) {
		struct cell *row = table_add_row(t);
		json_t *jr = json_array_get(rows, r);
		for (size_t c = 0; c < ncols; c++) {
			json_t *v = json_array_get(jr, c);
			if (json_is_integer(v)) {
				row[c].kind = CELL_INT;
				row[c].v.i = json_integer_value(v);
			} else if (json_is_number(v)) {
				row[c].kind = CELL_REAL;
				row[c].v.r = json_number_value(v);
			} else if (json_is_boolean(v)) {
				row[c].kind = CELL_BOOL;
				row[c].v.b = json_is_true(v);
			} else if (json_is_string(v)) {
				cell_set_text(&row[c], json_string_value(v));
			} else if (v && !json_is_null(v)) {
				row[c].kind = CELL_JSON;
				row[c].v.s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
			}
		}
	}
}

json_t *table_to_json(const struct table *t)
{
	json_t *cols = json_array(), *rows = json_array();
	for (size_t c = 0; c < t->ncols; c++)
		json_array_append_new(cols, json_string(t->names[c]));
	for (size_t r = 0; r < t->nrows; r++) {
		json_t *row = json_array();
		for (size_t c = 0; c < t->ncols; c++)
			json_array_append_new(row, cell_to_json(table_at(t, r, c)));
		json_array_append_new(rows, row);
	}
	json_t *obj = json_object();
	json_object_set_new(obj, "columns", cols);
	json_object_set_new(obj, "rows", rows);
	if (t->truncated)
		json_object_set_new(obj, "truncated", json_true());
	return obj;
}

/* RFC 4180: quote a field when it holds a separator, quote or line break.
 * Text that a spreadsheet would run as a formula gets a leading
 * apostrophe (safetext.h); numbers are never text here. */
static void csv_field(const char *s, bool text, FILE *out)
{
	bool guard = text && safetext_csv_guard(s);
	if (!guard && !strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (guard)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void print_csv(const struct table *t, FILE *out)
{
	char buf[4096];
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', out);
		csv_field(t->names[c], true, out);
	}
	fputs("\r\n", out);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', out);
			const struct cell *cell = table_at(t, r, c);
			if (cell->kind == CELL_REAL)
				snprintf(buf, sizeof(buf), "%.17g", cell->v.r);
			else
				cell_format(cell, buf, sizeof(buf));
			csv_field(buf, cell->kind != CELL_INT && cell->kind != CELL_REAL, out);
		}
		fputs("\r\n", out);
	}
}

void table_print(const struct table *t, enum table_format fmt, FILE *out)
{
	switch (fmt) {
	case TABLE_TEXT:
		print_text(t, out);
		break;
	case TABLE_CSV:
		print_csv(t, out);
		break;
	case TABLE_JSON: {
		json_t *obj = table_to_json(t);
		json_dumpf(obj, out, JSON_COMPACT | JSON_REAL_PRECISION(17));
		fputc('\n', out);
		json_decref(obj);
		break;
	}
	}
}
