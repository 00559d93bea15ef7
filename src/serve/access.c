/*
 * access: roles and the routes that need more than read. See access.h.
 */
#include "access.h"

#include <stddef.h>
#include <string.h>

static const char *const role_names[] = {
	[ROLE_ADMIN] = "admin",
	[ROLE_UPLOAD] = "upload",
	[ROLE_READ] = "read",
};

/* Every other route needs read. Patterns as in api.c's route table. */
static const struct {
	const char *method;
	const char *route;
	enum access_role need;
} route_needs[] = {
	{ "POST", "/api/v1/data", ROLE_UPLOAD }, /* replaces billing periods */
	{ "GET", "/api/v1/stats", ROLE_ADMIN },  /* everyone's questions */
	{ "GET", "/metrics", ROLE_ADMIN },
};

const char *access_role_name(enum access_role role)
{
	return (size_t)role < sizeof(role_names) / sizeof(role_names[0]) ? role_names[role] : "read";
}

bool access_role_parse(const char *name, enum access_role *out)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (name && strcmp(name, role_names[i]) == 0) {
			*out = (enum access_role)i;
			return true;
		}
	return false;
}

bool access_allows(enum access_role role, enum access_role need)
{
	return role <= need;
}

enum access_role access_route_needs(const char *method, const char *route)
{
	if (!route)
		return ROLE_READ;
	bool head = strcmp(method, "HEAD") == 0;
	for (size_t i = 0; i < sizeof(route_needs) / sizeof(route_needs[0]); i++)
		if (strcmp(route, route_needs[i].route) == 0 &&
		    (strcmp(method, route_needs[i].method) == 0 || (head && strcmp(route_needs[i].method, "GET") == 0)))
			return route_needs[i].need;
	return ROLE_READ;
}
