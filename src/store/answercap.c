/*
 * answercap: cutting an answer down to the stored size. See answercap.h.
 * Rows are dropped from the end, halving the kept count until the text
 * fits, then growing it back by bisection: a few dumps of the answer.
 */
#include "answercap.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(17))

/* The answer with its first keep rows, dumped; *len its length. */
static char *dump_with_rows(json_t *answer, json_t *rows, size_t keep, size_t *len)
{
	json_t *cut = json_array();
	for (size_t i = 0; i < keep; i++)
		json_array_append(cut, json_array_get(rows, i));
	json_object_set_new(answer, "rows", cut);
	json_object_set_new(answer, "stored_rows", json_integer((json_int_t)keep));
	char *text = json_dumps(answer, DUMP_FLAGS);
	*len = text ? strlen(text) : 0;
	return text;
}

char *answercap_apply(const char *answer_json, size_t max)
{
	if (!answer_json || strlen(answer_json) <= max)
		return NULL;
	json_t *answer = json_loads(answer_json, 0, NULL);
	if (!json_is_object(answer)) {
		json_decref(answer);
		return NULL;
	}
	json_t *rows = json_incref(json_object_get(answer, "rows"));
	size_t total = json_array_size(rows), lo = 0, hi = total, len;
	json_object_set_new(answer, "rows_total", json_integer((json_int_t)total));
	json_object_set_new(answer, "stored_truncated", json_true());
	char *best = dump_with_rows(answer, rows, 0, &len);
	if (best && len <= max) {
		/* the most rows that fit: lo fits, hi + 1 does not */
		while (lo < hi) {
			size_t mid = lo + (hi - lo + 1) / 2;
			char *text = dump_with_rows(answer, rows, mid, &len);
			if (text && len <= max) {
				free(best);
				best = text;
				lo = mid;
			} else {
				free(text);
				hi = mid - 1;
			}
		}
	} else {
		/* no table fits: the message alone, cut on a character boundary */
		free(best);
		const char *message = json_string_value(json_object_get(answer, "message"));
		char *cut = xstrdup(message ? message : "");
		size_t n = strlen(cut), room = max > 256 ? max - 256 : 0;
		if (n > room) {
			n = room;
			while (n && ((unsigned char)cut[n] & 0xC0) == 0x80)
				n--;
			cut[n] = '\0';
		}
		json_t *small = json_pack("{s:s, s:I, s:i, s:b}", "message", cut, "rows_total", (json_int_t)total,
					  "stored_rows", 0, "stored_truncated", 1);
		best = json_dumps(small, DUMP_FLAGS);
		json_decref(small);
		free(cut);
	}
	json_decref(rows);
	json_decref(answer);
	return best;
}
