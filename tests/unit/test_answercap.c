/*
 * test_answercap: an answer under the cap is stored as it is; one over it
 * keeps the most leading rows that fit, says how many of how many, and
 * fits; one whose message alone is over it keeps the message, cut on a
 * character boundary, and fits.
 */
#include "unit.h"

#include "answercap.h"
#include "xalloc.h"

#include <jansson.h>

static char *answer_text(size_t nrows, size_t cell, size_t message)
{
	json_t *rows = json_array();
	char *value = xcalloc(cell + 1, 1), *text = xcalloc(message + 1, 1);
	memset(value, 'v', cell);
	for (size_t i = 0; i < message; i++)
		text[i] = i % 3 == 2 ? '\xa9' : i % 3 == 1 ? '\xc3' : 'a'; /* "aé" repeated */
	for (size_t i = 0; i < nrows; i++)
		json_array_append_new(rows, json_pack("[s, i]", value, (json_int_t)i));
	json_t *a = json_pack("{s:s, s:[s, s], s:o, s:s}", "message", text, "columns", "team", "n", "rows", rows, "sql",
			      "SELECT 1");
	char *out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	free(value);
	free(text);
	return out;
}

static void test_fits(void **state)
{
	(void)state;
	char *small = answer_text(10, 10, 10);
	assert_null(answercap_apply(small, 1 << 20));
	assert_null(answercap_apply(NULL, 10));
	assert_null(answercap_apply("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", 10)); /* not an object: left alone */
	free(small);
}

static void test_rows_cut(void **state)
{
	(void)state;
	char *big = answer_text(1000, 100, 10);
	char *cut = answercap_apply(big, 10000);
	assert_non_null(cut);
	assert_true(strlen(cut) <= 10000);
	json_t *a = json_loads(cut, 0, NULL);
	assert_non_null(a);
	size_t kept = json_array_size(json_object_get(a, "rows"));
	assert_true(kept > 50 && kept < 1000);
	assert_int_equal(json_integer_value(json_object_get(a, "stored_rows")), kept);
	assert_int_equal(json_integer_value(json_object_get(a, "rows_total")), 1000);
	assert_true(json_is_true(json_object_get(a, "stored_truncated")));
	assert_string_equal(json_string_value(json_object_get(a, "sql")), "SELECT 1");
	/* the most that fit: one more row would not */
	assert_true(strlen(cut) + 120 > 10000);
	json_decref(a);
	free(cut);
	free(big);
}

static void test_message_only(void **state)
{
	(void)state;
	char *big = answer_text(10, 10, 30000);
	char *cut = answercap_apply(big, 10000);
	assert_non_null(cut);
	assert_true(strlen(cut) <= 10000);
	json_t *a = json_loads(cut, 0, NULL); /* valid JSON: the cut kept UTF-8 whole */
	assert_non_null(a);
	assert_true(json_string_length(json_object_get(a, "message")) > 9000);
	assert_int_equal(json_integer_value(json_object_get(a, "rows_total")), 10);
	json_decref(a);
	free(cut);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_rows_cut),
		cmocka_unit_test(test_message_only),
	};
	return cmocka_run_group_tests_name("answercap", tests, NULL, NULL);
}
