/*
 * test_timex: runs tests/data/timex.txt, one case per line:
 *   today | text | FIRST..LAST[; FIRST..LAST] or '-'
 * and checks every time expression timex_find reads in the text.
 */
#include "unit.h"

#include "date.h"
#include "lexer.h"
#include "timex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void format_found(const struct time_mention *m, size_t n, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	if (!n)
		snprintf(buf, size, "-");
	for (size_t i = 0; i < n && used < size; i++) {
		char a[16], b[16];
		date_format(m[i].period.start_day, a, sizeof(a));
		date_format(m[i].period.end_day - 1, b, sizeof(b));
		used += (size_t)snprintf(buf + used, size - used, "%s%s..%s", i ? "; " : "", a, b);
	}
}

static void test_timex_file(void **state)
{
	(void)state;
	const char *path = TEST_DATA_DIR "/timex.txt";
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[1024];
	int cases = 0, failures = 0, lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *today_text, *text, *expect;
		if (!unit_case_line(line, &today_text, &text, &expect))
			continue;
		int today;
		assert_true(date_parse(today_text, &today));
		struct token_list toks;
		lex(text, &toks);
		struct time_mention found[8];
		size_t n = timex_find(&toks, today, found, 8);
		char got[512];
		format_found(found, n, got, sizeof(got));
		cases++;
		if (strcmp(got, expect) != 0) {
			failures++;
			print_message("%s:%d: '%s' (today %s): expected %s, got %s\n", path, lineno, text,
				      today_text, expect, got);
		}
		token_list_release(&toks);
	}
	fclose(f);
	print_message("timex: %d cases, %d failed\n", cases, failures);
	assert_true(cases > 50);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timex_file),
	};
	return cmocka_run_group_tests_name("timex", tests, NULL, NULL);
}
