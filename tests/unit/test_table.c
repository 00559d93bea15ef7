/*
 * test_table: result tables and their renderings, without a database:
 * JSON (numbers are JSON numbers, dates "YYYY-MM-DD" strings, NULL null,
 * NaN null, the truncated flag), CSV (RFC 4180 quoting, full precision),
 * text (money with thousands separators, the row count line), and the
 * small accessors.
 */
#include "unit.h"

#include "sniff.h"
#include "table.h"
#include "xalloc.h"

#include <jansson.h>

/* A table of every cell kind:
 *   month (DATE) | service (TEXT) | rows (INT) | unblended_cost (REAL) | flag (BOOL) | note (TEXT)
 */
static void make_table(struct table *t)
{
	static const char *const names[] = { "month", "service", "rows", "unblended_cost", "flag", "note" };
	static const enum cell_kind kinds[] = { CELL_DATE, CELL_TEXT, CELL_INT, CELL_REAL, CELL_BOOL, CELL_TEXT };
	table_init(t);
	table_set_columns(t, 6, names, kinds);
	struct cell *r = table_add_row(t);
	r[0] = (struct cell){ .kind = CELL_DATE, .v.s = xstrdup("2025-11-01") };
	r[1] = (struct cell){ .kind = CELL_TEXT, .v.s = xstrdup("AmazonEC2") };
	r[2] = (struct cell){ .kind = CELL_INT, .v.i = 12498 };
	r[3] = (struct cell){ .kind = CELL_REAL, .v.r = 1234567.891 };
	r[4] = (struct cell){ .kind = CELL_BOOL, .v.b = true };
	r[5] = (struct cell){ .kind = CELL_TEXT, .v.s = xstrdup("has, a comma") };
	r = table_add_row(t);
	r[0] = (struct cell){ .kind = CELL_DATE, .v.s = xstrdup("2025-10-01") };
	r[1] = (struct cell){ .kind = CELL_TEXT, .v.s = xstrdup("say \"hi\"") };
	r[2] = (struct cell){ .kind = CELL_INT, .v.i = -3 };
	r[3] = (struct cell){ .kind = CELL_REAL, .v.r = -0.1 };
	r[4] = (struct cell){ .kind = CELL_BOOL, .v.b = false };
	/* r[5] stays NULL: table_add_row gives NULL cells. */
}

static void test_accessors(void **state)
{
	(void)state;
	struct table t;
	make_table(&t);
	assert_int_equal(t.ncols, 6);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(table_column(&t, "unblended_cost"), 3);
	assert_int_equal(table_column(&t, "month"), 0);
	assert_int_equal(table_column(&t, "nope"), -1);
	assert_int_equal(table_at(&t, 1, 5)->kind, CELL_NULL);
	assert_close(cell_number(table_at(&t, 0, 2)), 12498, 0);
	assert_close(cell_number(table_at(&t, 0, 3)), 1234567.891, 1e-9);
	assert_close(cell_number(table_at(&t, 0, 4)), 1, 0);
	assert_close(cell_number(table_at(&t, 0, 1)), 0, 0); /* text -> 0 */
	assert_close(cell_number(table_at(&t, 1, 5)), 0, 0); /* NULL -> 0 */
	char buf[64];
	assert_string_equal(cell_format(table_at(&t, 0, 0), buf, sizeof(buf)), "2025-11-01");
	assert_string_equal(cell_format(table_at(&t, 1, 2), buf, sizeof(buf)), "-3");
	assert_string_equal(cell_format(table_at(&t, 0, 4), buf, sizeof(buf)), "true");
	assert_string_equal(cell_format(table_at(&t, 1, 5), buf, sizeof(buf)), "");
	assert_string_equal(cell_format(table_at(&t, 1, 3), buf, sizeof(buf)), "-0.1");
	/* A small buffer truncates, still terminated. */
	char tiny[4];
	cell_format(table_at(&t, 0, 1), tiny, sizeof(tiny));
	assert_string_equal(tiny, "Ama");
	table_release(&t);
	assert_int_equal(t.nrows, 0);
	assert_null(t.cells);
}

static void test_many_rows(void **state)
{
	(void)state;
	static const char *const names[] = { "n", "s" };
	struct table t;
	table_init(&t);
	table_set_columns(&t, 2, names, NULL);
	assert_int_equal(t.kinds[0], CELL_TEXT); /* no kinds given */
	for (int i = 0; i < 5000; i++) {
		struct cell *r = table_add_row(&t);
		assert_int_equal(r[0].kind, CELL_NULL);
		assert_int_equal(r[1].kind, CELL_NULL);
		r[0] = (struct cell){ .kind = CELL_INT, .v.i = i };
		r[1] = (struct cell){ .kind = CELL_TEXT, .v.s = xasprintf("row %d", i) };
	}
	assert_int_equal(t.nrows, 5000);
	assert_int_equal(table_at(&t, 4321, 0)->v.i, 4321);
	assert_string_equal(table_at(&t, 4321, 1)->v.s, "row 4321");
	assert_int_equal(table_at(&t, 0, 0)->v.i, 0);
	table_release(&t);
}

static void test_json(void **state)
{
	(void)state;
	struct table t;
	make_table(&t);
	json_t *obj = table_to_json(&t);
	assert_non_null(obj);
	json_t *cols = json_object_get(obj, "columns");
	json_t *rows = json_object_get(obj, "rows");
	assert_true(json_is_array(cols));
	assert_int_equal(json_array_size(cols), 6);
	assert_string_equal(json_string_value(json_array_get(cols, 3)), "unblended_cost");
	assert_true(json_is_array(rows));
	assert_int_equal(json_array_size(rows), 2);
	json_t *r0 = json_array_get(rows, 0), *r1 = json_array_get(rows, 1);
	/* Dates are strings, numbers are numbers, booleans booleans. */
	assert_true(json_is_string(json_array_get(r0, 0)));
	assert_string_equal(json_string_value(json_array_get(r0, 0)), "2025-11-01");
	assert_true(json_is_integer(json_array_get(r0, 2)));
	assert_int_equal(json_integer_value(json_array_get(r0, 2)), 12498);
	assert_true(json_is_real(json_array_get(r0, 3)));
	assert_close(json_real_value(json_array_get(r0, 3)), 1234567.891, 1e-9);
	assert_true(json_is_true(json_array_get(r0, 4)));
	assert_true(json_is_false(json_array_get(r1, 4)));
	assert_true(json_is_null(json_array_get(r1, 5)));
	assert_string_equal(json_string_value(json_array_get(r1, 1)), "say \"hi\"");
	assert_null(json_object_get(obj, "truncated"));
	json_decref(obj);

	t.truncated = true;
	obj = table_to_json(&t);
	assert_true(json_is_true(json_object_get(obj, "truncated")));
	json_decref(obj);
	table_release(&t);
}

static void test_json_non_finite_is_null(void **state)
{
	(void)state;
	struct cell nan_cell = { .kind = CELL_REAL, .v.r = NAN };
	struct cell inf_cell = { .kind = CELL_REAL, .v.r = -INFINITY };
	json_t *j = cell_to_json(&nan_cell);
	assert_true(json_is_null(j));
	json_decref(j);
	j = cell_to_json(&inf_cell);
	assert_true(json_is_null(j));
	json_decref(j);
}

static void test_print_json_round_trips(void **state)
{
	(void)state;
	struct table t;
	make_table(&t);
	char *out;
	UNIT_CAPTURE(out, table_print(&t, TABLE_JSON, capture));
	json_error_t err;
	json_t *obj = json_loads(out, 0, &err);
	if (!obj)
		print_error("not JSON (%s): %s\n", err.text, out);
	assert_non_null(obj);
	json_t *r0 = json_array_get(json_object_get(obj, "rows"), 0);
	assert_true(json_is_number(json_array_get(r0, 3)));
	/* Full precision: the value reads back exactly. */
	assert_true(json_real_value(json_array_get(r0, 3)) == 1234567.891);
	assert_true(json_is_integer(json_array_get(r0, 2)));
	/* No text rendering of numbers: 12498, not "12,498". */
	assert_contains(out, ",12498,");
	assert_not_contains(out, "\"12498\"");
	assert_int_equal(out[strlen(out) - 1], '\n');
	json_decref(obj);
	free(out);
	table_release(&t);
}

/* Split CSV text (no line breaks inside fields) into rows of fields. */
static char **csv_line_fields(const char *line, size_t *n)
{
	return sniff_split_line(line, ',', n);
}

static void test_print_csv(void **state)
{
	(void)state;
	struct table t;
	make_table(&t);
	char *out;
	UNIT_CAPTURE(out, table_print(&t, TABLE_CSV, capture));
	/* RFC 4180: CRLF after every record, the last one too. */
	assert_int_equal(unit_count(out, "\r\n"), 3);
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_int_equal(out[strlen(out) - 2], '\r');
	const char *want[3][6] = {
		{ "month", "service", "rows", "unblended_cost", "flag", "note" },
		{ "2025-11-01", "AmazonEC2", "12498", NULL, "true", "has, a comma" },
		{ "2025-10-01", "say \"hi\"", "-3", NULL, "false", "" },
	};
	const double reals[3] = { 0, 1234567.891, -0.1 };
	char *line = out;
	for (int r = 0; r < 3; r++) {
		char *end = strstr(line, "\r\n");
		assert_non_null(end);
		*end = '\0';
		size_t n = 0;
		char **f = csv_line_fields(line, &n);
		assert_int_equal(n, 6);
		for (size_t c = 0; c < 6; c++) {
			if (want[r][c]) {
				assert_string_equal(f[c], want[r][c]);
			} else {
				/* Reals at full precision: they read back exactly. */
				char *stop = NULL;
				double v = strtod(f[c], &stop);
				assert_int_equal(*stop, '\0');
				assert_true(v == reals[r]);
			}
			free(f[c]);
		}
		free(f);
		line = end + 2;
	}
	free(out);
	/* Quoting exactly where needed, and the header first. */
	UNIT_CAPTURE(out, table_print(&t, TABLE_CSV, capture));
	assert_contains(out, ",\"has, a comma\"\r\n");
	assert_contains(out, ",\"say \"\"hi\"\"\",");
	assert_int_equal(strncmp(out, "month,service,rows,unblended_cost,flag,note\r\n", 45), 0);
	free(out);
	table_release(&t);
}

static void test_print_csv_quotes_line_breaks_and_header(void **state)
{
	(void)state;
	static const char *const names[] = { "a,b", "plain" };
	struct table t;
	table_init(&t);
	table_set_columns(&t, 2, names, NULL);
	struct cell *r = table_add_row(&t);
	r[0] = (struct cell){ .kind = CELL_TEXT, .v.s = xstrdup("two\nlines") };
	r[1] = (struct cell){ .kind = CELL_TEXT, .v.s = xstrdup("cr\rhere") };
	char *out;
	UNIT_CAPTURE(out, table_print(&t, TABLE_CSV, capture));
	assert_string_equal(out, "\"a,b\",plain\r\n\"two\nlines\",\"cr\rhere\"\r\n");
	free(out);
	table_release(&t);
}

static void test_print_text(void **state)
{
	(void)state;
	struct table t;
	make_table(&t);
	char *out;
	UNIT_CAPTURE(out, table_print(&t, TABLE_TEXT, capture));
	/* Money columns: two decimals and thousands separators. */
	assert_contains(out, "1,234,567.89");
	assert_contains(out, "-0.10");
	/* Integers as they are, no separators. */
	assert_contains(out, "12498");
	assert_contains(out, "2025-11-01");
	assert_contains(out, "say \"hi\"");
	assert_contains(out, "(2 rows)\n");
	/* The header line comes first. */
	assert_int_equal(strncmp(out, "month", 5), 0);
	free(out);

	t.truncated = true;
	UNIT_CAPTURE(out, table_print(&t, TABLE_TEXT, capture));
	assert_contains(out, "truncated");
	free(out);
	table_release(&t);
}

static void test_print_text_money_signs(void **state)
{
	(void)state;
	static const char *const names[] = { "amortized_cost", "usage_amount" };
	static const enum cell_kind kinds[] = { CELL_REAL, CELL_REAL };
	struct table t;
	table_init(&t);
	table_set_columns(&t, 2, names, kinds);
	const double costs[] = { -1234.5, -0.001, 999.999, 1000 };
	for (size_t i = 0; i < 4; i++) {
		struct cell *r = table_add_row(&t);
		r[0] = (struct cell){ .kind = CELL_REAL, .v.r = costs[i] };
		r[1] = (struct cell){ .kind = CELL_REAL, .v.r = 1234.5678 };
	}
	char *out;
	UNIT_CAPTURE(out, table_print(&t, TABLE_TEXT, capture));
	assert_contains(out, "-1,234.50");
	assert_not_contains(out, "-0.00"); /* a rounded-away negative is 0.00 */
	assert_contains(out, " 0.00");
	assert_contains(out, "1,000.00");
	/* 999.999 rounds up across the separator boundary. */
	assert_int_equal(unit_count(out, "1,000.00"), 2);
	/* usage_amount is not money: no separators. */
	assert_contains(out, "1234.5678");
	assert_contains(out, "(4 rows)");
	free(out);
	table_release(&t);
}

static void test_empty_table(void **state)
{
	(void)state;
	static const char *const names[] = { "x" };
	struct table t;
	table_init(&t);
	table_set_columns(&t, 1, names, NULL);
	char *out;
	UNIT_CAPTURE(out, table_print(&t, TABLE_JSON, capture));
	assert_string_equal(out, "{\"columns\":[\"x\"],\"rows\":[]}\n");
	free(out);
	UNIT_CAPTURE(out, table_print(&t, TABLE_TEXT, capture));
	assert_contains(out, "(0 rows)");
	free(out);
	UNIT_CAPTURE(out, table_print(&t, TABLE_CSV, capture));
	assert_string_equal(out, "x\r\n");
	free(out);
	table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_non_finite_is_null),
		cmocka_unit_test(test_print_json_round_trips),
		cmocka_unit_test(test_print_csv),
		cmocka_unit_test(test_print_csv_quotes_line_breaks_and_header),
		cmocka_unit_test(test_print_text),
		cmocka_unit_test(test_print_text_money_signs),
		cmocka_unit_test(test_empty_table),
	};
	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
