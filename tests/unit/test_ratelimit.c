/*
 * test_ratelimit: token buckets with the clock passed in: a minute's
 * allowance goes through at once and the next request is refused with the
 * seconds until one fits; the bucket refills at the allowance per minute;
 * clients do not share buckets; a full table drops idle clients and,
 * when none is idle, puts newcomers in one shared bucket.
 */
#include "unit.h"

#include "ratelimit.h"

static void test_burst_then_refuse(void **state)
{
	struct ratelimit *rl = ratelimit_new(6, 0); /* one every 10 s */
	unsigned retry = 0;
	(void)state;
	for (int i = 0; i < 6; i++)
		assert_true(ratelimit_take(rl, "addr:10.0.0.1", 100.0, &retry));
	assert_false(ratelimit_take(rl, "addr:10.0.0.1", 100.0, &retry));
	assert_int_equal(retry, 10);
	assert_false(ratelimit_take(rl, "addr:10.0.0.1", 104.5, &retry));
	assert_int_equal(retry, 6); /* 5.5 s left, rounded up */
	assert_true(ratelimit_take(rl, "addr:10.0.0.1", 111.0, &retry));
	assert_false(ratelimit_take(rl, "addr:10.0.0.1", 111.0, &retry));
	ratelimit_free(rl);
}

static void test_refill_is_capped(void **state)
{
	struct ratelimit *rl = ratelimit_new(60, 0);
	unsigned retry = 0;
	(void)state;
	assert_true(ratelimit_take(rl, "k", 0, &retry));
	/* an hour idle refills one minute's allowance, not sixty */
	int allowed = 0;
	while (ratelimit_take(rl, "k", 3600, &retry))
		allowed++;
	assert_int_equal(allowed, 60);
	assert_int_equal(retry, 1);
	ratelimit_free(rl);
}

static void test_clients_apart(void **state)
{
	struct ratelimit *rl = ratelimit_new(2, 0);
	unsigned retry = 0;
	(void)state;
	assert_true(ratelimit_take(rl, "token:ci", 0, &retry));
	assert_true(ratelimit_take(rl, "token:ci", 0, &retry));
	assert_false(ratelimit_take(rl, "token:ci", 0, &retry));
	assert_true(ratelimit_take(rl, "token:grafana", 0, &retry));
	assert_true(ratelimit_take(rl, "addr:127.0.0.1", 0, &retry));
	ratelimit_free(rl);
}

static void test_full_table(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 2); /* one a minute, two clients */
	unsigned retry = 0;
	(void)state;
	assert_true(ratelimit_take(rl, "a", 0, &retry));
	assert_true(ratelimit_take(rl, "b", 0, &retry));
	/* the table is full and nobody is idle: newcomers share a bucket */
	assert_true(ratelimit_take(rl, "c", 1, &retry));
	assert_false(ratelimit_take(rl, "d", 1, &retry));
	assert_false(ratelimit_take(rl, "a", 1, &retry)); /* a keeps its own, empty, bucket */
	/* a minute on, a and b have refilled: they are dropped for newcomers */
	assert_true(ratelimit_take(rl, "e", 61, &retry));
	assert_true(ratelimit_take(rl, "f", 61, &retry));
	assert_false(ratelimit_take(rl, "e", 61, &retry));
	ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_refuse),
		cmocka_unit_test(test_refill_is_capped),
		cmocka_unit_test(test_clients_apart),
		cmocka_unit_test(test_full_table),
	};
	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
