/*
 * safetext: data made safe for whoever reads it. Values in a bill (tag
 * values, account names, resource ids) are chosen by whoever can tag a
 * resource, and reach three readers who would act on them:
 *
 *   - a terminal, which runs escape sequences (ESC [ ... retitles the
 *     window, moves the cursor, hides text; C1 controls; bidi overrides
 *     reorder what is shown): safetext_terminal() turns them into '?';
 *   - a spreadsheet opening CSV, which runs a cell that starts with =, +,
 *     -, @, tab or CR as a formula: safetext_csv_guard() says when a text
 *     cell needs a leading apostrophe (numbers are left as numbers);
 *   - a Markdown viewer, which renders HTML: safetext_html_entity() names
 *     the entity for <, > and &.
 *
 * Pure. Used by table.c (finq sql), session.c (finq ask and chat),
 * api.c (the Markdown export), and for engine addresses by main.c,
 * engines.c and clickhouse.c; tested by tests/unit/test_safetext.c.
 */
#ifndef FINQ_SAFETEXT_H
#define FINQ_SAFETEXT_H

#include <stdbool.h>
#include <stddef.h>

struct json_t;

/* Rewrite s in place: C0 controls (but line breaks when keep_newlines),
 * DEL, C1 controls and the bidi embedding, override and isolate marks
 * each become '?'; a tab becomes a space. Returns the new length. */
size_t safetext_terminal(char *s, bool keep_newlines);
/* The same over every string in v (objects and arrays, recursively). */
void safetext_terminal_json(struct json_t *v, bool keep_newlines);

/* Whether a text cell would start a formula in a spreadsheet. */
bool safetext_csv_guard(const char *s);

/* "&lt;" for '<', "&gt;" for '>', "&amp;" for '&', else NULL. */
const char *safetext_html_entity(char c);

/*
 * A fourth reader: whoever sees an error, a log or `ps`. An engine address
 * may carry a password (clickhouse://USER:PASSWORD@HOST:PORT/...): the
 * userinfo runs from "://" to the last '@' (so an '@', '/' or '?' left
 * unencoded in the password stays inside it), the password from its
 * first ':'. safetext_url_password() gives where it starts in *start and
 * its length (0: none); safetext_url_shown() returns a copy (the
 * caller's) with it replaced by "***".
 */
size_t safetext_url_password(const char *url, size_t *start);
char *safetext_url_shown(const char *url);

#endif
