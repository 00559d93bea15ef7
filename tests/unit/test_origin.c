/*
 * test_origin: the Host, Origin and X-Forwarded-For rules of origin.h: a
 * rebound name is refused on loopback, the addresses and names of the
 * server pass, ports are ignored but must be digits; writes from another
 * origin, from "null" and from a browser that says cross-site are
 * refused, same-origin, the CORS origin and tools without Origin pass;
 * only the last X-Forwarded-For address counts and it must be one.
 */
#include "unit.h"

#include "origin.h"

static void test_host_on_loopback(void **state)
{
	struct origin_policy p = { .bound = "127.0.0.1" };
	(void)state;
	static const char *const good[] = { "127.0.0.1", "127.0.0.1:8080", "localhost:8080", "LOCALHOST",
					    "[::1]:8080", "127.0.0.2" };
	static const char *const bad[] = { "evil.example", "evil.example:8080", "127.0.0.1.nip.io",
					   "10.0.0.1:8080", "", "127.0.0.1:80x", "::1", "[::1", "127.0.0.1:123456",
					   "localhost.evil.example", "[evil]:80" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!origin_host_allowed(&p, good[i]))
			fail_msg("refused '%s'", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (origin_host_allowed(&p, bad[i]))
			fail_msg("allowed '%s'", bad[i]);
}

static void test_host_names_and_wildcard(void **state)
{
	struct origin_policy p = { .bound = "0.0.0.0", .hosts = { "finq.example.com" }, .nhosts = 1 };
	(void)state;
	assert_true(origin_host_allowed(&p, "10.1.2.3:8080"));
	assert_true(origin_host_allowed(&p, "FINQ.example.com"));
	assert_true(origin_host_allowed(&p, "finq.example.com:443"));
	assert_false(origin_host_allowed(&p, "other.example.com"));
	p.bound = "10.1.2.3";
	assert_true(origin_host_allowed(&p, "10.1.2.3:8080"));
	assert_false(origin_host_allowed(&p, "10.1.2.4:8080"));
	assert_false(origin_host_allowed(&p, "localhost")); /* not served on loopback */
	p.bound = "finq-box";
	assert_true(origin_host_allowed(&p, "finq-box:8080"));
}

static void test_writes(void **state)
{
	struct origin_policy p = { .bound = "127.0.0.1", .cors_origin = "https://app.example.com" };
	const char *why;
	(void)state;
	assert_true(origin_write_allowed(&p, NULL, "127.0.0.1:8080", NULL, &why));
	assert_true(origin_write_allowed(&p, NULL, "127.0.0.1:8080", "same-origin", &why));
	assert_true(origin_write_allowed(&p, NULL, "127.0.0.1:8080", "none", &why));
	assert_false(origin_write_allowed(&p, NULL, "127.0.0.1:8080", "cross-site", &why));
	assert_non_null(why);
	assert_true(origin_write_allowed(&p, "http://127.0.0.1:8080", "127.0.0.1:8080", "same-origin", &why));
	assert_true(origin_write_allowed(&p, "http://localhost:8080", "localhost:8080", NULL, &why));
	assert_true(origin_write_allowed(&p, "https://app.example.com", "127.0.0.1:8080", "cross-site", &why));
	assert_false(origin_write_allowed(&p, "https://evil.example", "127.0.0.1:8080", NULL, &why));
	assert_false(origin_write_allowed(&p, "http://127.0.0.1:9999", "127.0.0.1:8080", NULL, &why));
	assert_false(origin_write_allowed(&p, "null", "127.0.0.1:8080", NULL, &why));
	assert_false(origin_write_allowed(&p, "http://evil.example:8080", "evil.example:8080", NULL, &why));
	assert_false(origin_write_allowed(&p, "https://app.example.com.evil", "127.0.0.1:8080", NULL, &why));
	assert_false(origin_write_allowed(&p, "ftp://127.0.0.1:8080", "127.0.0.1:8080", NULL, &why));
	/* behind a proxy that rewrites Host: the public name, allowed by name */
	p.hosts[0] = "finq.example.com";
	p.nhosts = 1;
	assert_true(origin_write_allowed(&p, "https://finq.example.com", "127.0.0.1:8080", NULL, &why));
}

static void test_forwarded_for(void **state)
{
	char out[64];
	(void)state;
	assert_true(origin_forwarded_for("203.0.113.7", out, sizeof(out)));
	assert_string_equal(out, "203.0.113.7");
	assert_true(origin_forwarded_for("1.2.3.4, 203.0.113.7", out, sizeof(out)));
	assert_string_equal(out, "203.0.113.7");
	assert_true(origin_forwarded_for("1.2.3.4,2001:DB8::1 ", out, sizeof(out)));
	assert_string_equal(out, "2001:db8::1");
	assert_false(origin_forwarded_for(NULL, out, sizeof(out)));
	assert_false(origin_forwarded_for("", out, sizeof(out)));
	assert_false(origin_forwarded_for("1.2.3.4, unknown", out, sizeof(out)));
	assert_false(origin_forwarded_for("1.2.3.4, 5.6.7.8 9.9.9.9", out, sizeof(out)));
	assert_false(origin_forwarded_for("1.2.3.4,", out, sizeof(out)));
}

static void test_host_names(void **state)
{
	(void)state;
	assert_true(origin_host_name_valid("finq.example.com"));
	assert_false(origin_host_name_valid(""));
	assert_false(origin_host_name_valid("finq.example.com:8080"));
	assert_false(origin_host_name_valid("-x"));
	assert_false(origin_host_name_valid("a b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_on_loopback),
		cmocka_unit_test(test_host_names_and_wildcard),
		cmocka_unit_test(test_writes),
		cmocka_unit_test(test_forwarded_for),
		cmocka_unit_test(test_host_names),
	};
	return cmocka_run_group_tests_name("origin", tests, NULL, NULL);
}
