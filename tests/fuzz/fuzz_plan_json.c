/*
 * fuzz_plan_json: a stored plan (the JSON kept with each answer in the
 * state file, read back for follow-ups and replays) through
 * plan_from_json, then, when accepted, everything a plan goes through:
 * SQL, words and JSON again. A plan read back must come out the same
 * when written and read a second time.
 */
#include "fuzz.h"

#include "plan.h"
#include "sqlgen.h"
#include "strbuf.h"

#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	struct plan p;
	if (j && plan_from_json(j, &p) == 0) {
		struct strbuf sql;
		char words[1024];
		strbuf_init(&sql, 0);
		sqlgen_build(&p, &sql_dialect_duckdb, &sql);
		strbuf_release(&sql);
		plan_describe(&p, words, sizeof(words));
		json_t *again = plan_to_json(&p);
		struct plan q;
		if (plan_from_json(again, &q) != 0)
			abort();
		json_t *third = plan_to_json(&q);
		if (!json_equal(again, third))
			abort();
		json_decref(third);
		json_decref(again);
	}
	json_decref(j);
	return 0;
}
