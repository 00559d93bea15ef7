/*
 * access: who may do what on `finq serve`. An API token has a role:
 *
 *   read    ask, plan, run SQL, read the summary and the analyses; keep
 *           conversations and feedback of its own
 *   upload  read, and load billing exports (POST /api/v1/data), which
 *           replace billing periods
 *   admin   upload, and see and change every conversation, /api/v1/stats
 *           (everyone's questions) and /metrics
 *
 * A request without a token (loopback, no --require-token) is the local
 * user and may do everything, as before tokens had roles; tokens made
 * before roles are admin. The table of routes that need more than read is
 * here (access.c); conversations are checked by owner in api.c.
 *
 * Pure: no I/O. Used by server.c (the role a route needs, before the
 * body), api.c (owners), cmd_token.c (parsing --role).
 */
#ifndef FINQ_ACCESS_H
#define FINQ_ACCESS_H

#include <stdbool.h>

/* Ranked: a role may do what every lower one may. ROLE_ADMIN is 0 so
 * that a struct req built without a token (local use, tests) may do
 * everything. */
enum access_role { ROLE_ADMIN = 0, ROLE_UPLOAD = 1, ROLE_READ = 2 };

/* "read", "upload", "admin". */
const char *access_role_name(enum access_role role);
/* The role called name; false when there is none. */
bool access_role_parse(const char *name, enum access_role *out);
/* Whether role may do what need asks. */
bool access_allows(enum access_role role, enum access_role need);
/* The role a route (api.c's pattern, or NULL) needs for method. */
enum access_role access_route_needs(const char *method, const char *route);

#endif
