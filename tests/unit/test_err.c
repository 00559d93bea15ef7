/*
 * test_err: the error-message context: set, code, prefix, clear, the size
 * bound, and re-setting a message from itself with a new exit code, which
 * load.c and sandbox.c do (err_set_code(e, code, "%s", e->msg)) to give a
 * lower layer's message its class.
 */
#include "unit.h"

#include "err.h"

static void test_set_and_code(void **state)
{
	(void)state;
	struct err e = { 0 };
	assert_int_equal(err_set(&e, "unknown column '%s' in file '%s' line %d", "foo", "x.csv", 12), -1);
	assert_string_equal(e.msg, "unknown column 'foo' in file 'x.csv' line 12");
	assert_int_equal(e.code, 0);
	assert_int_equal(err_set_code(&e, ERR_BAD_INPUT, "'%s' is empty", "a.csv"), -1);
	assert_string_equal(e.msg, "'a.csv' is empty");
	assert_int_equal(e.code, ERR_BAD_INPUT);
	/* err_set keeps an earlier code. */
	err_set(&e, "again");
	assert_int_equal(e.code, ERR_BAD_INPUT);
	err_clear(&e);
	assert_string_equal(e.msg, "");
	assert_int_equal(e.code, 0);
}

static void test_prefix(void **state)
{
	(void)state;
	struct err e = { 0 };
	err_set_code(&e, ERR_DATABASE, "disk full");
	assert_int_equal(err_prefix(&e, "cannot create the %s", "cost tables"), -1);
	assert_string_equal(e.msg, "cannot create the cost tables: disk full");
	assert_int_equal(e.code, ERR_DATABASE);
}

static void test_bounds(void **state)
{
	(void)state;
	struct err e = { 0 };
	char big[ERR_MSG_MAX * 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err_set(&e, "%s", big);
	assert_int_equal(strlen(e.msg), ERR_MSG_MAX - 1);
	err_prefix(&e, "p");
	assert_true(strlen(e.msg) < ERR_MSG_MAX);
	assert_int_equal(strncmp(e.msg, "p: aaa", 6), 0);
	err_prefix(&e, "%s", big);
	assert_true(strlen(e.msg) < ERR_MSG_MAX);
}

static void test_reset_code_keeps_message(void **state)
{
	(void)state;
	/* load.c (load_open_db, inspect_file, load_paths) and sandbox.c
	 * (sandbox_open) give a lower layer's message its exit code with
	 * err_set_code(e, code, "%s", e->msg). The message must survive;
	 * with vsnprintf writing over its own argument it comes out empty
	 * ("finq: " and nothing else for a truncated gzip, a glob matching
	 * nothing, a missing path). */
	struct err e = { 0 };
	err_set(&e, "'/data/x.csv.gz' is a corrupt or truncated gzip file");
	err_set_code(&e, ERR_BAD_INPUT, "%s", e.msg);
	if (strcmp(e.msg, "'/data/x.csv.gz' is a corrupt or truncated gzip file") != 0)
		print_error("src bug (err.c err_set_code / callers in load.c, sandbox.c): message became '%s'\n", e.msg);
	assert_string_equal(e.msg, "'/data/x.csv.gz' is a corrupt or truncated gzip file");
	assert_int_equal(e.code, ERR_BAD_INPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_code),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_reset_code_keeps_message),
	};
	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
