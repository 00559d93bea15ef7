/*
 * test_strict: the request-head rules of strict.h: a clean head passes;
 * whitespace before a colon, a NUL or a control character in a value, a
 * second Authorization or Host, two different Content-Lengths, a
 * non-numeric one, Transfer-Encoding other than chunked (501) and
 * Transfer-Encoding with Content-Length are refused, naming the header;
 * a request target or head over finq's size limits is 414 or 431; an
 * HTTP/1.1 request without Host is 400, an HTTP/1.0 one is not.
 */
#include "unit.h"

#include "strict.h"

#define H(name, value) { name, sizeof(name) - 1, value, sizeof(value) - 1 }

static int check(const struct strict_header *h, size_t n, int *status, char *msg)
{
	const char *code = NULL;
	return strict_head_check(h, n, status, &code, msg, 200);
}

static void test_clean(void **state)
{
	const struct strict_header h[] = {
		H("Host", "127.0.0.1:8080"), H("Content-Length", "12"), H("Content-Length", "12"),
		H("X-Tab", "a\tb"), H("Transfer-Encoding-Not", "x"),
	};
	int status = 0;
	char msg[200];
	(void)state;
	assert_int_equal(check(h, 5, &status, msg), 0);
	const struct strict_header chunked[] = { H("Transfer-Encoding", " Chunked ") };
	assert_int_equal(check(chunked, 1, &status, msg), 0);
}

static void test_refused(void **state)
{
	static const struct {
		struct strict_header h[2];
		size_t n;
		int status;
		const char *says;
	} cases[] = {
		{ { H("Authorization ", "Bearer x") }, 1, 400, "whitespace" },
		{ { H("X-A", "a\0b") }, 1, 400, "NUL" },
		{ { H("X-A", "a\rb") }, 1, 400, "control" },
		{ { H("X\x01", "a") }, 1, 400, "control" },
		{ { H("Authorization", "Bearer a"), H("authorization", "Bearer b") }, 2, 400, "'authorization'" },
		{ { H("Host", "127.0.0.1"), H("Host", "evil.example") }, 2, 400, "only once" },
		{ { H("Content-Length", "2"), H("Content-Length", "20") }, 2, 400, "different values" },
		{ { H("Content-Length", "-1") }, 1, 400, "a number" },
		{ { H("Content-Length", "") }, 1, 400, "a number" },
		{ { H("Transfer-Encoding", "gzip") }, 1, 501, "chunked" },
		{ { H("Transfer-Encoding", "chunked, gzip") }, 1, 501, "chunked" },
		{ { H("Transfer-Encoding", "chunked"), H("Content-Length", "5") }, 2, 400, "together" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int status = 0;
		char msg[200];
		if (check(cases[i].h, cases[i].n, &status, msg) != -1)
			fail_msg("case %zu passed", i);
		assert_int_equal(status, cases[i].status);
		assert_contains(msg, cases[i].says);
	}
}

static void test_sizes(void **state)
{
	static char big[STRICT_HEAD_MAX];
	const char *code = NULL;
	int status = 0;
	char msg[200];
	(void)state;
	memset(big, 'a', sizeof(big));
	const struct strict_header one[] = { H("Host", "127.0.0.1") };
	assert_int_equal(strict_size_check(STRICT_TARGET_MAX, one, 1, &status, &code, msg, sizeof(msg)), 0);
	assert_int_equal(strict_size_check(STRICT_TARGET_MAX + 1, one, 1, &status, &code, msg, sizeof(msg)), -1);
	assert_int_equal(status, 414);
	assert_string_equal(code, "uri_too_long");

	const struct strict_header fits[] = { { "X-Big", 5, big, STRICT_HEAD_MAX - 100 } };
	assert_int_equal(strict_size_check(10, fits, 1, &status, &code, msg, sizeof(msg)), 0);
	const struct strict_header over[] = { { "X-Big", 5, big, STRICT_HEAD_MAX } };
	assert_int_equal(strict_size_check(10, over, 1, &status, &code, msg, sizeof(msg)), -1);
	assert_int_equal(status, 431);
	assert_string_equal(code, "header_too_large");

	struct strict_header many[STRICT_HEADERS_MAX + 1];
	for (size_t i = 0; i < STRICT_HEADERS_MAX + 1; i++)
		many[i] = (struct strict_header){ "X-A", 3, "v", 1 };
	assert_int_equal(strict_size_check(10, many, STRICT_HEADERS_MAX, &status, &code, msg, sizeof(msg)), 0);
	status = 0;
	assert_int_equal(strict_size_check(10, many, STRICT_HEADERS_MAX + 1, &status, &code, msg, sizeof(msg)), -1);
	assert_int_equal(status, 431);
	assert_non_null(strstr(msg, "lines"));
}

static void test_version(void **state)
{
	const struct strict_header host[] = { H("Host", "127.0.0.1") }, other[] = { H("Accept", "*/*") };
	const char *code = NULL;
	int status = 0;
	char msg[200];
	(void)state;
	assert_int_equal(strict_version_check("HTTP/1.1", host, 1, &status, &code, msg, sizeof(msg)), 0);
	assert_int_equal(strict_version_check("HTTP/1.0", other, 1, &status, &code, msg, sizeof(msg)), 0);
	assert_int_equal(strict_version_check("HTTP/1.0", NULL, 0, &status, &code, msg, sizeof(msg)), 0);
	assert_int_equal(strict_version_check("HTTP/1.1", other, 1, &status, &code, msg, sizeof(msg)), -1);
	assert_int_equal(status, 400);
	assert_string_equal(msg, "an HTTP/1.1 request needs a Host header");
	status = 0;
	assert_int_equal(strict_version_check("HTTP/1.2", NULL, 0, &status, &code, msg, sizeof(msg)), -1);
	assert_int_equal(status, 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_version),
	};
	return cmocka_run_group_tests_name("strict", tests, NULL, NULL);
}
