/*
 * test_loadcheck: a text export cut short and the first over-long line,
 * on small files written to a private temp folder, plain and gzip: a
 * file ending mid-line with fewer fields than the header fails naming it;
 * a whole last line without its line break passes; the long-line finder
 * reports the right line and length, CRLF or LF, and the last line too.
 */
#include "unit.h"

#include "err.h"
#include "loadcheck.h"
#include "sniff.h"

#include <unistd.h>

static char dir[256];

static int dir_setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/finq-loadcheck-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int dir_teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Write text to dir/name, gzip-compressed when gz; the caller frees the path. */
static char *write_text(const char *name, const char *text, bool gz)
{
	char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	char *cmd = NULL;
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	if (gz) {
		assert_true(asprintf(&cmd, "gzip -nc '%s' > '%s.gz' && mv '%s.gz' '%s'", path, path, path, path) > 0);
		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	return path;
}

/* loadcheck_tail through sniff_file and sniff_gzip_check, as load.c
 * calls them. */
static int tail_check(const char *path, struct err *e)
{
	struct sniff s;
	assert_int_equal(sniff_file(path, &s, e), 0);
	if (s.gzip)
		assert_int_equal(sniff_gzip_check(path, &s, e), 0);
	int rc = loadcheck_tail(path, s.gzip, s.tail, s.tail_len, s.nfields, s.delimiter, e);
	sniff_release(&s);
	return rc;
}

static void test_tail(void **state)
{
	(void)state;
	static const struct {
		const char *name, *text;
		bool gz, ok;
	} cases[] = {
		{ "whole.csv", "a,b,c\n1,2,3\n4,5,6\n", false, true },
		{ "no-final-break.csv", "a,b,c\n1,2,3\n4,5,6", false, true },
		{ "cut.csv", "a,b,c\n1,2,3\n4,5", false, false },
		{ "cut-quoted.csv", "a,b,c\n1,2,3\n\"4,x\",5", false, false },
		{ "whole.csv.gz", "a,b,c\n1,2,3\n", true, true },
		{ "cut.csv.gz", "a,b,c\n1,2,3\n4,", true, false },
		{ "crlf.csv", "a,b,c\r\n1,2,3\r\n", false, true },
		{ "athena.gz", "a\x01" "b\x01" "c\n1\x01" "2", true, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_text(cases[i].name, cases[i].text, cases[i].gz);
		struct err e = { 0 };
		int rc = tail_check(path, &e);
		if ((rc == 0) != cases[i].ok)
			print_error("%s: rc %d (%s)\n", cases[i].name, rc, e.msg);
		assert_int_equal(rc == 0, cases[i].ok);
		if (!cases[i].ok) {
			assert_non_null(strstr(e.msg, cases[i].name));
			assert_non_null(strstr(e.msg, "cut short"));
		}
		free(path);
	}
}

static void test_long_line(void **state)
{
	(void)state;
	char text[4096];
	snprintf(text, sizeof(text), "a,b\r\n1,2\r\n%0300d,3\r\n4,5\r\n", 7);
	char *path = write_text("long.csv", text, false);
	uint64_t line = 0, len = 0;
	struct err e = { 0 };
	assert_int_equal(loadcheck_long_line(path, 100, &line, &len, &e), 1);
	assert_int_equal(line, 3);
	assert_int_equal(len, 302); /* 300 digits, ',', '3'; the CR is not counted */
	assert_int_equal(loadcheck_long_line(path, 302, &line, &len, &e), 0);
	free(path);

	path = write_text("long-last.csv.gz", "a,b\n1,2\nxxxxxxxxxxxxxxxxxxxxxxxx,3", true);
	assert_int_equal(loadcheck_long_line(path, 10, &line, &len, &e), 1);
	assert_int_equal(line, 3);
	assert_int_equal(len, 26);
	free(path);

	assert_int_equal(loadcheck_long_line("/nonexistent/finq.csv", 10, &line, &len, &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/finq.csv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_long_line),
	};
	return cmocka_run_group_tests(tests, dir_setup, dir_teardown);
}
