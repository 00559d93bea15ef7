/*
 * test_safetext: terminal text loses ESC, other C0 and C1 controls, DEL
 * and bidi marks (line breaks kept only when asked), keeps UTF-8 text;
 * JSON is cleaned throughout; the CSV guard catches =, +, -, @, tab and
 * CR only at the start; HTML entities for <, > and &.
 */
#include "unit.h"

#include "safetext.h"

#include <jansson.h>

static void test_terminal(void **state)
{
	char a[] = "\x1b]0;pwned\x07\x1b[2Jteam";
	char b[] = "line\none\ttab\r\x7f";
	char c[] = "caf\xc3\xa9 \xc2\x9b" "31m \xe2\x80\xae" "gnp.exe \xe2\x81\xa6x";
	char d[] = "line\none";
	(void)state;
	assert_int_equal(safetext_terminal(a, false), strlen("?]0;pwned??[2Jteam"));
	assert_string_equal(a, "?]0;pwned??[2Jteam");
	safetext_terminal(b, false);
	assert_string_equal(b, "line?one tab??");
	safetext_terminal(c, false);
	assert_string_equal(c, "caf\xc3\xa9 ?31m ?gnp.exe ?x");
	safetext_terminal(d, true);
	assert_string_equal(d, "line\none");
}

static void test_json(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:[s, i], s:{s:s}}", "rows", "\x1b[31mred", 5, "o", "k", "ok");
	safetext_terminal_json(v, false);
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "rows"), 0)), "?[31mred");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(v, "rows"), 1)), 5);
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "o"), "k")), "ok");
	json_decref(v);
}

static void test_csv_and_html(void **state)
{
	(void)state;
	static const char *const guarded[] = { "=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx" };
	static const char *const plain[] = { "", "a=1", "EC2", " =1", "1-2" };
	for (size_t i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++)
		assert_true(safetext_csv_guard(guarded[i]));
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		assert_false(safetext_csv_guard(plain[i]));
	assert_false(safetext_csv_guard(NULL));
	assert_string_equal(safetext_html_entity('<'), "&lt;");
	assert_string_equal(safetext_html_entity('>'), "&gt;");
	assert_string_equal(safetext_html_entity('&'), "&amp;");
	assert_null(safetext_html_entity('a'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv_and_html),
	};
	return cmocka_run_group_tests_name("safetext", tests, NULL, NULL);
}
