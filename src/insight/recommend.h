/*
 * recommend: savings recommendations from the bill (`finq recommend`,
 * insight_recommend). Each rule of recommend_rules.c finds the evidence lines
 * it concerns over the window (analysis.h) and turns them into an estimated
 * monthly saving with its arithmetic written out; recommend.c runs the rules
 * the scope concerns and assembles the result.
 *
 * A rule is data: its id, title, the services it concerns (a scope on
 * CloudWatch runs only the CloudWatch rules), a detector that fills a
 * finding with evidence lines (most share detect_lines, which takes the
 * rule's SQL condition), and a saving formula over those lines.
 */
#ifndef FINQ_RECOMMEND_H
#define FINQ_RECOMMEND_H

#include "analysis.h"
#include "insight.h"
#include "pricing.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* One evidence line: a resource's (or an account's) usage of one usage type
 * over the window. Strings are owned by the finding. */
struct evidence {
	char *resource_id; /* NULL for lines without a resource (cross-AZ bytes) */
	char *account_id;
	char *region;
	char *usage_type;
	char *instance_type;
	char *unit;
	double usage, cost;
	double extra; /* the rule's own figure for the line (request cost, earlier usage) */
};

struct finding {
	struct evidence *lines;
	size_t nlines, alloc;
	double cost;      /* the cost the rule concerns over the window */
	double saving;    /* estimated saving over the window */
	double confidence;
	struct strbuf arithmetic; /* "26 volumes, 4,150 GB-month × ($0.10 − $0.08) = $83.00" */
	struct strbuf note;       /* what else to know (alternatives, caveats); may be empty */
};

struct rule_context {
	const struct insight_request *req;
	struct json_t *result;            /* queries are recorded in its "sql" */
	const struct analysis_window *window;
	const char *cost;                 /* the cost column */
};

struct rule {
	const char *id;             /* "ebs-gp2-to-gp3" */
	const struct assumption *assumptions[3]; /* the figures it rests on (pricing.h), NULL-ended */
	const char *title;          /* "Move gp2 volumes to gp3" */
	const char *service;        /* the service shown */
	const char *services[5];    /* every service it concerns, NULL-terminated */
	const char *action;         /* what to do, one sentence */
	const char *basis;          /* what the estimate rests on, in one sentence */
	const char *where;          /* detect_lines: the condition on costs' rows */
	bool running_only;          /* detect_lines: resources with a line on the last day */
	double confidence;
	int (*detect)(const struct rule *r, const struct rule_context *ctx, struct finding *f, struct err *e);
	void (*saving)(const struct rule *r, const struct rule_context *ctx, struct finding *f);
};

/* The rules, sorted by id, and their count (recommend_rules.c). */
extern const struct rule recommend_rules[];
extern const size_t recommend_rule_count;

/* The generic detector: the rule's evidence lines over the window, one per
 * resource (or account) and usage type, costliest first. */
int detect_lines(const struct rule *r, const struct rule_context *ctx, struct finding *f, struct err *e);

void finding_init(struct finding *f);
void finding_release(struct finding *f);
struct evidence *finding_add(struct finding *f);

/* Does the rule concern the scope's services (true when there is no
 * service filter)? */
bool recommend_rule_in_scope(const struct rule *r, const struct plan *scope);

#endif
