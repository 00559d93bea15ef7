/*
 * answercap: an answer made small enough to store. An answer carries its
 * result rows (up to the row limit, 10,000, of values that may be long
 * tag strings), and every answer is kept in the state file with its
 * conversation: without a cap one question could add megabytes to the
 * file and to every later read of the conversation.
 *
 * A stored answer over the cap keeps as many leading rows as fit and
 * says so ("stored_rows", "rows_total", "stored_truncated": true); if
 * even no rows do not fit, only its message (cut) and those marks are
 * kept. Pure; used by state.c (state_message_add); tested by
 * tests/unit/test_answercap.c.
 */
#ifndef FINQ_ANSWERCAP_H
#define FINQ_ANSWERCAP_H

#include <stddef.h>

#define ANSWERCAP_MAX (2u << 20) /* bytes of a stored answer */

/* answer_json (a JSON text) as at most max bytes of JSON: a new string
 * the caller frees, or NULL when answer_json already fits (store it as
 * it is) or is not a JSON object. */
char *answercap_apply(const char *answer_json, size_t max);

#endif
