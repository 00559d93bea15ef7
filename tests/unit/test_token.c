/*
 * test_token: API tokens as text: generated tokens have the documented
 * shape and differ, hashes are SHA-256 in hex (a known vector) and differ
 * for tokens one character apart, the constant-time comparison agrees
 * with strcmp on equal, different and differently long hashes, malformed
 * tokens and Authorization headers are refused, and token names are
 * checked.
 */
#include "unit.h"

#include "apitoken.h"

static void test_generate_shape_and_uniqueness(void **state)
{
	char a[TOKEN_SIZE], b[TOKEN_SIZE];
	struct err e = { 0 };
	(void)state;
	assert_int_equal(TOKEN_LEN, 48);
	assert_int_equal(token_generate(a, &e), 0);
	assert_int_equal(token_generate(b, &e), 0);
	assert_int_equal(strlen(a), TOKEN_LEN);
	assert_memory_equal(a, "finq_", 5);
	assert_true(token_well_formed(a, strlen(a)));
	assert_true(token_well_formed(b, strlen(b)));
	assert_string_not_equal(a, b);
	for (size_t i = 5; i < TOKEN_LEN; i++)
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", a[i]));
}

static void test_hash_known_vector(void **state)
{
	char h[TOKEN_HASH_SIZE];
	(void)state;
	/* SHA-256("abc"), FIPS 180-2 appendix B.1 */
	token_hash("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	token_hash("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_hash_and_verify(void **state)
{
	char tok[TOKEN_SIZE], h1[TOKEN_HASH_SIZE], h2[TOKEN_HASH_SIZE], other[TOKEN_HASH_SIZE];
	struct err e = { 0 };
	(void)state;
	assert_int_equal(token_generate(tok, &e), 0);
	token_hash(tok, strlen(tok), h1);
	token_hash(tok, strlen(tok), h2);
	assert_int_equal(strlen(h1), 64);
	assert_true(token_hash_equal(h1, h2));
	tok[TOKEN_LEN - 1] = tok[TOKEN_LEN - 1] == 'A' ? 'B' : 'A'; /* one character off */
	token_hash(tok, strlen(tok), other);
	assert_false(token_hash_equal(h1, other));
	assert_string_not_equal(h1, other);
}

static void test_constant_time_compare(void **state)
{
	(void)state;
	const char *a = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	const char *first = "10112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	const char *last = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeef0";
	assert_true(token_hash_equal(a, a));
	assert_false(token_hash_equal(a, first));
	assert_false(token_hash_equal(a, last));
	assert_false(token_hash_equal(a, "0011")); /* a prefix is not a match */
	assert_false(token_hash_equal("0011", a));
	assert_false(token_hash_equal(a, ""));
	assert_true(token_hash_equal("", ""));
}

static void test_malformed_tokens(void **state)
{
	char good[TOKEN_SIZE];
	struct err e = { 0 };
	(void)state;
	assert_int_equal(token_generate(good, &e), 0);
	char bad[TOKEN_SIZE + 8];
	const char *cases[] = {
		"",
		"finq_",
		"bearer",
		"FINQ_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* the prefix is case-sensitive */
		"fink_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"finq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",   /* one short */
		"finq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* one long */
		"finq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", /* padding */
		"finq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", /* base64, not base64url */
		"finq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_false(token_well_formed(cases[i], strlen(cases[i])));
	assert_true(token_well_formed("finq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TOKEN_LEN));
	/* an embedded NUL within the length */
	memcpy(bad, good, TOKEN_SIZE);
	bad[10] = '\0';
	assert_false(token_well_formed(bad, TOKEN_LEN));
	assert_false(token_well_formed(NULL, 0));
}

static void test_authorization_header(void **state)
{
	char good[TOKEN_SIZE], header[128];
	const char *tok;
	size_t n;
	struct err e = { 0 };
	(void)state;
	assert_int_equal(token_generate(good, &e), 0);
	const char *forms[] = { "Bearer %s", "bearer %s", "BEARER  %s ", "  Bearer\t%s" };
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(header, sizeof(header), forms[i], good);
		assert_true(token_from_authorization(header, &tok, &n));
		assert_int_equal(n, TOKEN_LEN);
		assert_memory_equal(tok, good, TOKEN_LEN);
	}
	const char *bad[] = { "Basic %s", "Bearer", "Bearer ", "Bearer%s", "%s", "Bearer %s extra", "Token %s" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(header, sizeof(header), bad[i], good);
		assert_false(token_from_authorization(header, &tok, &n));
	}
	assert_false(token_from_authorization("Bearer finq_short", &tok, &n));
	assert_false(token_from_authorization(NULL, &tok, &n));
}

static void test_names(void **state)
{
	struct err e = { 0 };
	char long_name[TOKEN_NAME_MAX + 2];
	(void)state;
	assert_int_equal(state_token_name_check("ci", &e), 0);
	assert_int_equal(state_token_name_check("grafana.prod_1-a", &e), 0);
	assert_int_equal(state_token_name_check("", &e), -1);
	assert_contains(e.msg, "needs a name");
	assert_int_equal(state_token_name_check("two words", &e), -1);
	assert_contains(e.msg, "'two words'");
	assert_int_equal(e.code, ERR_USAGE);
	assert_int_equal(state_token_name_check("a/b", &e), -1);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(state_token_name_check(long_name, &e), -1);
	assert_contains(e.msg, "longer than 64 bytes");
	long_name[TOKEN_NAME_MAX] = '\0';
	assert_int_equal(state_token_name_check(long_name, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate_shape_and_uniqueness),
		cmocka_unit_test(test_hash_known_vector),
		cmocka_unit_test(test_hash_and_verify),
		cmocka_unit_test(test_constant_time_compare),
		cmocka_unit_test(test_malformed_tokens),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_authorization_header),
	};
	return cmocka_run_group_tests_name("token", tests, NULL, NULL);
}
