/*
 * test_strbuf: the owned buffer (growth, size cap, detach, reset, trim), the
 * SQL appenders (identifiers and literals with embedded quotes) and slices.
 */
#include "unit.h"

#include "strbuf.h"
#include "xalloc.h"

static void test_add_and_grow(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 0);
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&sb, (char)('a' + i % 26));
	assert_int_equal(sb.len, 1000);
	assert_int_equal(strlen(sb.buf), 1000);
	assert_true(sb.alloc > 1000);
	assert_int_equal(sb.buf[25], 'z');
	assert_int_equal(sb.buf[26], 'a');
	assert_false(sb.overflow);
	strbuf_release(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
}

static void test_addf_and_add(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 0);
	strbuf_addf(&sb, "%s=%d;", "rows", 42);
	strbuf_add(&sb, "abcdef", 3);
	strbuf_addstr(&sb, "|end");
	assert_string_equal(sb.buf, "rows=42;abc|end");
	assert_int_equal(sb.len, strlen("rows=42;abc|end"));
	/* A long formatted append grows the buffer in one go. */
	char big[5000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_addf(&sb, "[%s]", big);
	assert_int_equal(sb.len, strlen("rows=42;abc|end") + 2 + 4999);
	assert_int_equal(sb.buf[sb.len - 1], ']');
	assert_int_equal(sb.buf[sb.len], '\0');
	strbuf_release(&sb);
}

static void test_cap_exact_fit(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 10);
	strbuf_addstr(&sb, "0123456789"); /* exactly the cap */
	assert_false(sb.overflow);
	assert_int_equal(sb.len, 10);
	assert_string_equal(sb.buf, "0123456789");
	strbuf_addch(&sb, 'x'); /* one past: dropped */
	assert_true(sb.overflow);
	assert_int_equal(sb.len, 10);
	assert_string_equal(sb.buf, "0123456789");
	strbuf_release(&sb);
}

static void test_cap_drops_whole_append(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 8);
	strbuf_addstr(&sb, "abc");
	strbuf_addstr(&sb, "defghijk"); /* 3 + 8 > 8: all of it is dropped */
	assert_true(sb.overflow);
	assert_string_equal(sb.buf, "abc");
	strbuf_addf(&sb, "%d", 123456789);
	assert_string_equal(sb.buf, "abc");
	/* Reset clears the flag; the cap still holds. */
	strbuf_reset(&sb);
	assert_false(sb.overflow);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.max, 8);
	strbuf_addstr(&sb, "12345678");
	assert_false(sb.overflow);
	strbuf_addstr(&sb, "9");
	assert_true(sb.overflow);
	strbuf_release(&sb);
}

static void test_cap_sql_literal_sets_overflow(void **state)
{
	(void)state;
	/* A literal cut by the cap must be detectable: the caller refuses
	 * the input instead of running a half-quoted string. */
	struct strbuf sb;
	strbuf_init(&sb, 6);
	strbuf_add_sql_literal(&sb, "it's long");
	assert_true(sb.overflow);
	assert_true(sb.len <= 6);
	strbuf_release(&sb);
}

static void test_detach(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 100);
	strbuf_addstr(&sb, "owned");
	char *p = strbuf_detach(&sb);
	assert_string_equal(p, "owned");
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.max, 100);
	free(p);
	/* Detaching an empty buffer still gives a string to free(). */
	p = strbuf_detach(&sb);
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
	strbuf_release(&sb);
}

static void test_static_init_is_a_string(void **state)
{
	(void)state;
	/* strbuf.h: "always NUL-terminated". STRBUF_INIT must give a buffer
	 * that reads as "" before the first append, as strbuf_init does. */
	struct strbuf sb = STRBUF_INIT;
	if (!sb.buf)
		print_error("src bug (strbuf.h STRBUF_INIT): buf is NULL until the first append\n");
	assert_non_null(sb.buf);
	if (sb.buf)
		assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "ok");
	assert_string_equal(sb.buf, "ok");
	strbuf_release(&sb);
}

static void test_sql_ident(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 0);
	strbuf_add_sql_ident(&sb, "lineItem/UnblendedCost");
	assert_string_equal(sb.buf, "\"lineItem/UnblendedCost\"");
	strbuf_reset(&sb);
	strbuf_add_sql_ident(&sb, "a\"b\"\"c");
	assert_string_equal(sb.buf, "\"a\"\"b\"\"\"\"c\"");
	strbuf_reset(&sb);
	strbuf_add_sql_ident(&sb, "");
	assert_string_equal(sb.buf, "\"\"");
	strbuf_reset(&sb);
	/* Single quotes need no escaping inside an identifier. */
	strbuf_add_sql_ident(&sb, "it's");
	assert_string_equal(sb.buf, "\"it's\"");
	strbuf_release(&sb);
}

static void test_sql_literal(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 0);
	strbuf_add_sql_literal(&sb, "O'Brien's");
	assert_string_equal(sb.buf, "'O''Brien''s'");
	strbuf_reset(&sb);
	strbuf_add_sql_literal(&sb, "'; DROP TABLE costs; --");
	assert_string_equal(sb.buf, "'''; DROP TABLE costs; --'");
	strbuf_reset(&sb);
	strbuf_add_sql_literal(&sb, "");
	assert_string_equal(sb.buf, "''");
	strbuf_reset(&sb);
	/* Double quotes and backslashes pass through: DuckDB's standard
	 * strings have no backslash escapes. */
	strbuf_add_sql_literal(&sb, "a\"b\\c");
	assert_string_equal(sb.buf, "'a\"b\\c'");
	strbuf_release(&sb);
}

static void test_rtrim(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, "a, b,\n \n");
	strbuf_rtrim(&sb, " \n");
	assert_string_equal(sb.buf, "a, b,");
	assert_int_equal(sb.len, 5);
	strbuf_rtrim(&sb, ",");
	assert_string_equal(sb.buf, "a, b");
	strbuf_rtrim(&sb, "ab, ");
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	strbuf_rtrim(&sb, "x"); /* empty: nothing to do */
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_slice_eq(void **state)
{
	(void)state;
	const char *text = "top 5 services";
	struct slice s = { text + 6, 8 };
	assert_true(slice_eq(s, "services"));
	assert_false(slice_eq(s, "service"));
	assert_false(slice_eq(s, "services!"));
	struct slice empty = { text, 0 };
	assert_true(slice_eq(empty, ""));
	assert_false(slice_eq(empty, "t"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_grow),
		cmocka_unit_test(test_addf_and_add),
		cmocka_unit_test(test_cap_exact_fit),
		cmocka_unit_test(test_cap_drops_whole_append),
		cmocka_unit_test(test_cap_sql_literal_sets_overflow),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_static_init_is_a_string),
		cmocka_unit_test(test_sql_ident),
		cmocka_unit_test(test_sql_literal),
		cmocka_unit_test(test_rtrim),
		cmocka_unit_test(test_slice_eq),
	};
	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
