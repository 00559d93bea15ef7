/*
 * test_pricing: the pure tables behind the bill analyses: pricing.c's
 * previous-generation map and ratios, and owners.c's launch hour read from
 * a partial first day.
 */
#include "unit.h"

#include "owners.h"
#include "pricing.h"

static void test_generation_map(void **state)
{
	(void)state;
	const struct generation *g = pricing_generation_find("m4.large");
	assert_non_null(g);
	assert_string_equal(g->current, "m5");
	char buf[32];
	assert_true(pricing_generation_target(g, "m4.large", false, buf, sizeof(buf)));
	assert_string_equal(buf, "m5.large");
	assert_true(pricing_generation_target(g, "m4.2xlarge", true, buf, sizeof(buf)));
	assert_string_equal(buf, "m6g.2xlarge");
	g = pricing_generation_find("t2.medium");
	assert_non_null(g);
	assert_true(pricing_generation_target(g, "t2.medium", false, buf, sizeof(buf)));
	assert_string_equal(buf, "t3.medium");
	assert_close(pricing_generation_ratio(g, false), 0.0416 / 0.0464, 1e-12);
	g = pricing_generation_find("c4.xlarge");
	assert_non_null(g);
	assert_close(pricing_generation_ratio(g, false), 0.17 / 0.199, 1e-12);
	assert_true(pricing_generation_ratio(g, true) < pricing_generation_ratio(g, false));
	/* current generations, look-alikes and junk have no entry */
	assert_null(pricing_generation_find("m5.large"));
	assert_null(pricing_generation_find("c6g.xlarge"));
	assert_null(pricing_generation_find("m4"));
	assert_null(pricing_generation_find("m4."));
	assert_null(pricing_generation_find("m45.large"));
	assert_null(pricing_generation_find(""));
	assert_null(pricing_generation_find(NULL));
	/* no Graviton successor: no target, ratio of the current generation only */
	g = pricing_generation_find("i2.xlarge");
	assert_non_null(g);
	assert_false(pricing_generation_target(g, "i2.xlarge", true, buf, sizeof(buf)));
}

static void test_every_generation_saves(void **state)
{
	(void)state;
	static const char *const types[] = { "c3.large", "c4.large", "d2.xlarge", "i2.xlarge", "m3.large",
					     "m4.large", "r3.large", "r4.large", "t1.micro", "t2.micro" };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct generation *g = pricing_generation_find(types[i]);
		assert_non_null(g);
		double r = pricing_generation_ratio(g, false);
		assert_true(r > 0 && r < 1);
	}
}

static void test_assumptions(void **state)
{
	(void)state;
	assert_close(pricing_gp3_over_gp2.value, 0.08 / 0.10, 1e-12);
	assert_true(pricing_nat_gateway_endpoint_share.value > 0 && pricing_nat_gateway_endpoint_share.value < 1);
	assert_non_null(strstr(pricing_gp3_over_gp2.source, "$0.08"));
}

static void test_launch_hour(void **state)
{
	(void)state;
	/* a 100 GB volume: 3.333 GB-month a full day; 14 of 24 hours ran -> started 10:00 */
	assert_int_equal(owners_launch_hour(100.0 / 30 * 14 / 24, 100.0 / 30), 10);
	/* an instance: 13.87 of a full day's 24.18 hours (usage is noisy) -> 10:00 */
	assert_int_equal(owners_launch_hour(13.86846857, 24.18527239), 10);
	assert_int_equal(owners_launch_hour(24.0, 24.0), 0);    /* all day */
	assert_int_equal(owners_launch_hour(23.8, 24.0), 0);    /* within 2% */
	assert_int_equal(owners_launch_hour(1.0, 24.0), 23);    /* the last hour */
	assert_int_equal(owners_launch_hour(0.0, 24.0), 23);    /* clamped */
	assert_int_equal(owners_launch_hour(12.0, 24.0), 12);
	assert_int_equal(owners_launch_hour(5.0, 0.0), -1);     /* no full day to compare */
	assert_int_equal(owners_launch_hour(5.0, -1.0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generation_map),
		cmocka_unit_test(test_every_generation_saves),
		cmocka_unit_test(test_assumptions),
		cmocka_unit_test(test_launch_hour),
	};
	return cmocka_run_group_tests_name("pricing", tests, NULL, NULL);
}
