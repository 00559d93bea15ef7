/*
 * unit.h: what every tests/unit/test_*.c includes.
 *
 * cmocka's headers in the order it requires (stdarg, stddef, stdint, setjmp
 * before cmocka.h), and a few assertions cmocka lacks: doubles within a
 * tolerance (cmocka 1.1's assert_float_equal works in float), substrings,
 * and "this text does not occur". Each test binary is built by the Makefile
 * against every src object except main.o and run by `make unit`; it knows
 * nothing of the integration tests.
 */
#ifndef FINQ_TESTS_UNIT_H
#define FINQ_TESTS_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h" /* ERR_* statuses */

/* |a - b| <= tol, with both values in the failure message. */
#define assert_close(a, b, tol) unit_assert_close((a), (b), (tol), #a, #b, __FILE__, __LINE__)

static inline void unit_assert_close(double a, double b, double tol, const char *sa, const char *sb,
				     const char *file, int line)
{
	if (!(fabs(a - b) <= tol)) {
		print_error("%s (%.17g) != %s (%.17g) within %g\n", sa, a, sb, b, tol);
		_fail(file, line);
	}
}

/* haystack contains needle. */
#define assert_contains(haystack, needle) \
	unit_assert_contains((haystack), (needle), true, __FILE__, __LINE__)
/* haystack does not contain needle. */
#define assert_not_contains(haystack, needle) \
	unit_assert_contains((haystack), (needle), false, __FILE__, __LINE__)

static inline void unit_assert_contains(const char *haystack, const char *needle, bool want,
					const char *file, int line)
{
	if (!haystack) {
		print_error("string is NULL, looked for '%s'\n", needle);
		_fail(file, line);
		return;
	}
	if ((strstr(haystack, needle) != NULL) != want) {
		print_error("'%s' %s in:\n%s\n", needle, want ? "not found" : "found", haystack);
		_fail(file, line);
	}
}

/* How many times needle occurs in haystack (non-overlapping). */
static inline size_t unit_count(const char *haystack, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = haystack; len && (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

/* Leading and trailing blanks off, in place. */
static inline char *unit_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* One line of a case file (tests/data/\*.txt): "today | text | expected".
 * False for blank and '#' lines; the fields point into line, trimmed. */
static inline bool unit_case_line(char *line, char **today, char **text, char **expect)
{
	char *s = unit_trim(line);
	if (!*s || *s == '#')
		return false;
	*today = strtok(s, "|");
	*text = strtok(NULL, "|");
	*expect = strtok(NULL, "|");
	assert_non_null(*expect);
	*today = unit_trim(*today);
	*text = unit_trim(*text);
	*expect = unit_trim(*expect);
	return true;
}

/* Everything a callback wrote to a FILE *, as one malloc'd string. */
#define UNIT_CAPTURE(out, stmt)                                                   \
	do {                                                                      \
		char *unit_buf_ = NULL;                                           \
		size_t unit_len_ = 0;                                             \
		FILE *unit_f_ = open_memstream(&unit_buf_, &unit_len_);          \
		assert_non_null(unit_f_);                                         \
		{                                                                 \
			FILE *capture = unit_f_;                                  \
			stmt;                                                     \
		}                                                                 \
		fclose(unit_f_);                                                  \
		(out) = unit_buf_;                                                \
	} while (0)

#endif
