/*
 * architecture: what the bill implies about the architecture (`finq
 * architecture`, insight_architecture): where the money goes by layer
 * (compute, storage, database, network, observability, ...), the compute
 * model (instances, containers, serverless), the data stores, the regions,
 * and traffic patterns (chatty services across zones, NAT gateways without
 * VPC endpoints), each with a confidence and its evidence lines.
 *
 * One grouped query (cost by service, usage type and region over the
 * window) feeds two tables: layers[] maps a service and usage type to a
 * layer, signals[] names what a matching line implies. Reasoning in C.
 */
#include "architecture.h"

#include "analysis.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* First match wins: a usage-type fragment (NULL: any) within a service
 * (NULL: any), so EC2's volumes are storage and its NAT bytes network. */
static const struct {
	const char *service, *usage, *layer;
} layers[] = {
	{ NULL, "NatGateway", "network" },
	{ NULL, "DataTransfer", "network" },
	{ NULL, "PublicIPv4", "network" },
	{ NULL, "VpcEndpoint", "network" },
	{ NULL, "EBS:", "storage" },
	{ "AmazonEC2", NULL, "compute" },
	{ "AWSLambda", NULL, "compute" },
	{ "AmazonECS", NULL, "compute" },
	{ "AmazonEKS", NULL, "compute" },
	{ "AmazonS3", NULL, "storage" },
	{ "AmazonEFS", NULL, "storage" },
	{ "AWSBackup", NULL, "storage" },
	{ "AmazonRDS", NULL, "database" },
	{ "AmazonDynamoDB", NULL, "database" },
	{ "AmazonElastiCache", NULL, "database" },
	{ "AmazonRedshift", NULL, "database" },
	{ "AmazonES", NULL, "database" },
	{ "AmazonDocDB", NULL, "database" },
	{ "AmazonAthena", NULL, "analytics" },
	{ "AWSGlue", NULL, "analytics" },
	{ "AmazonKinesis", NULL, "analytics" },
	{ "ElasticMapReduce", NULL, "analytics" },
	{ "AWSELB", NULL, "network" },
	{ "AmazonCloudFront", NULL, "network" },
	{ "AmazonRoute53", NULL, "network" },
	{ "AmazonVPC", NULL, "network" },
	{ "AWSDataTransfer", NULL, "network" },
	{ "AmazonCloudWatch", NULL, "observability" },
	{ "AWSCloudTrail", NULL, "observability" },
	{ "AWSXRay", NULL, "observability" },
	{ "AWSQueueService", NULL, "messaging" },
	{ "AmazonSNS", NULL, "messaging" },
	{ "AmazonMQ", NULL, "messaging" },
	{ "awskms", NULL, "security" },
	{ "AWSSecretsManager", NULL, "security" },
	{ "awswaf", NULL, "security" },
	{ "AmazonGuardDuty", NULL, "security" },
	{ "ComputeSavingsPlans", NULL, "commitments" },
	{ "AWSCostExplorer", NULL, "management" },
	{ "AWSConfig", NULL, "management" },
	{ "AWSSupport", NULL, "support" },
};

enum signal_kind {
	SIGNAL_PRESENT, /* the matching lines have cost */
	SIGNAL_NO_ENDPOINTS, /* NAT bytes and S3/DynamoDB, but no VPC endpoint lines */
};

/* What lines of a service (and usage-type fragment) imply. Confidence is
 * the signal's when its lines hold at least 1% of the window's cost, less
 * when they are a trace. */
static const struct signal {
	const char *id, *group, *service, *usage, *implies;
	double confidence;
	enum signal_kind kind;
} signals[] = {
	{ "compute-ec2", "compute model", "AmazonEC2", "Usage:", "virtual machines (EC2 instances)", 0.95, SIGNAL_PRESENT },
	{ "compute-spot", "compute model", "AmazonEC2", "SpotUsage", "interruptible capacity on EC2 Spot", 0.9, SIGNAL_PRESENT },
	{ "compute-containers-ecs", "compute model", "AmazonECS", NULL, "containers on ECS (Fargate lines: serverless containers)", 0.9, SIGNAL_PRESENT },
	{ "compute-kubernetes", "compute model", "AmazonEKS", NULL, "Kubernetes clusters (EKS)", 0.9, SIGNAL_PRESENT },
	{ "compute-serverless", "compute model", "AWSLambda", NULL, "serverless functions (Lambda)", 0.9, SIGNAL_PRESENT },
	{ "store-relational", "data store", "AmazonRDS", NULL, "relational databases (RDS)", 0.95, SIGNAL_PRESENT },
	{ "store-key-value", "data store", "AmazonDynamoDB", NULL, "a key-value / document store (DynamoDB)", 0.95, SIGNAL_PRESENT },
	{ "store-cache", "data store", "AmazonElastiCache", NULL, "an in-memory cache (ElastiCache)", 0.95, SIGNAL_PRESENT },
	{ "store-warehouse", "data store", "AmazonRedshift", NULL, "a data warehouse (Redshift)", 0.95, SIGNAL_PRESENT },
	{ "store-search", "data store", "AmazonES", NULL, "a search / log analytics cluster (OpenSearch)", 0.9, SIGNAL_PRESENT },
	{ "store-object", "data store", "AmazonS3", NULL, "object storage (S3)", 0.95, SIGNAL_PRESENT },
	{ "store-block", "data store", "AmazonEC2", "EBS:", "block volumes attached to instances (EBS)", 0.9, SIGNAL_PRESENT },
	{ "traffic-cross-az", "traffic", NULL, "DataTransfer-Regional", "services talking across availability zones (chatty cross-AZ traffic)", 0.8, SIGNAL_PRESENT },
	{ "traffic-nat", "traffic", NULL, "NatGateway-Bytes", "private subnets reaching the internet or AWS APIs through NAT gateways", 0.9, SIGNAL_PRESENT },
	{ "traffic-no-endpoints", "traffic", NULL, "NatGateway-Bytes", "no VPC endpoints: S3/DynamoDB traffic likely goes through the NAT gateways", 0.5, SIGNAL_NO_ENDPOINTS },
	{ "edge-cdn", "edge", "AmazonCloudFront", NULL, "content served through a CDN (CloudFront)", 0.9, SIGNAL_PRESENT },
	{ "edge-load-balancer", "edge", "AWSELB", NULL, "load-balanced services (ELB)", 0.9, SIGNAL_PRESENT },
	{ "messaging-queues", "messaging", "AWSQueueService", NULL, "asynchronous work through queues (SQS)", 0.9, SIGNAL_PRESENT },
	{ "messaging-pubsub", "messaging", "AmazonSNS", NULL, "publish/subscribe notifications (SNS)", 0.9, SIGNAL_PRESENT },
	{ "analytics-etl", "analytics", "AWSGlue", NULL, "ETL jobs (Glue)", 0.9, SIGNAL_PRESENT },
	{ "analytics-query", "analytics", "AmazonAthena", NULL, "ad-hoc SQL over S3 (Athena)", 0.9, SIGNAL_PRESENT },
};

struct line {
	char *service, *usage_type, *region;
	double cost;
	long resources;
};

static const char *layer_of(const struct line *l)
{
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
		if (layers[i].service && (!l->service || strncmp(l->service, layers[i].service, strlen(layers[i].service)) != 0))
			continue;
		if (layers[i].usage && (!l->usage_type || !strstr(l->usage_type, layers[i].usage)))
			continue;
		return layers[i].layer;
	}
	return "other";
}

static bool matches(const struct signal *s, const struct line *l)
{
	if (s->service && (!l->service || strcmp(l->service, s->service) != 0))
		return false;
	return !s->usage || (l->usage_type && strstr(l->usage_type, s->usage));
}

static bool any_line(const struct line *lines, size_t n, const char *service, const char *usage)
{
	for (size_t i = 0; i < n; i++)
		if (lines[i].cost > 0 && (!service || (lines[i].service && strcmp(lines[i].service, service) == 0)) &&
		    (!usage || (lines[i].usage_type && strstr(lines[i].usage_type, usage))))
			return true;
	return false;
}

struct total {
	const char *name;
	double cost;
};

static int by_cost(const void *a, const void *b)
{
	const struct total *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost < y->cost ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void add_total(struct total *t, size_t *n, const char *name, double cost)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(t[i].name, name) == 0) {
			t[i].cost += cost;
			return;
		}
	t[(*n)++] = (struct total){ name, cost };
}

static json_t *signal_json(const struct insight_request *req, const struct signal *s, const struct line *lines,
			   size_t n, double all)
{
	json_t *evidence = json_array();
	double cost = 0;
	size_t nmatch = 0;
	for (size_t i = 0; i < n; i++) {
		if (!matches(s, &lines[i]) || lines[i].cost <= 0)
			continue;
		cost += lines[i].cost;
		nmatch++;
		if (json_array_size(evidence) < 8)
			json_array_append_new(evidence, json_pack("{s:s?, s:s?, s:s?, s:f, s:I}", "service",
								  lines[i].service, "usage_type", lines[i].usage_type,
								  "region", lines[i].region, "cost", lines[i].cost,
								  "resources", (json_int_t)lines[i].resources));
	}
	if (cost <= 0) {
		json_decref(evidence);
		return NULL;
	}
	double confidence = s->confidence * (all > 0 && cost / all >= 0.01 ? 1.0 : 0.7);
	char money[64];
	insight_money(req, cost, money, sizeof(money));
	char *finding = xasprintf("%s over %zu usage line%s", money, nmatch, nmatch == 1 ? "" : "s");
	json_t *j = json_pack("{s:s, s:s, s:s, s:f, s:f, s:f, s:o, s:s}", "signal", s->id, "group", s->group, "implies",
			      s->implies, "cost", cost, "share", all > 0 ? cost / all : 0, "confidence",
			      round(confidence * 100) / 100, "evidence", evidence, "finding", finding);
	if (s->service)
		json_object_set_new(j, "service", json_string(s->service));
	free(finding);
	return j;
}

static int architecture_run(const struct insight_request *req, json_t **out, struct err *e)
{
	json_t *result = insight_result("architecture", "");
	struct analysis_window w;
	if (analysis_window_read(req, result, &w, e) < 0) {
		json_decref(result);
		return -1;
	}
	struct strbuf scope = STRBUF_INIT;
	analysis_add_scope(req, &scope);
	struct table t;
	table_init(&t);
	int rc = insight_query(req, result, &t, e,
			       "SELECT service_code, usage_type, region, sum(%s) AS cost, count(DISTINCT resource_id) AS resources\n"
			       "FROM costs WHERE usage_date >= $date('%s') AND usage_date < $date('%s') AND charge_type <> 'Tax'%s\n"
			       "GROUP BY service_code, usage_type, region HAVING sum(%s) <> 0 ORDER BY cost DESC, service_code, usage_type, region",
			       insight_cost_column(req), w.start, w.end, scope.buf, insight_cost_column(req));
	strbuf_release(&scope);
	if (rc < 0) {
		table_release(&t);
		json_decref(result);
		return -1;
	}
	size_t n = t.nrows;
	struct line *lines = xcalloc(n + 1, sizeof(*lines));
	struct total *by_layer = xcalloc(n + 1, sizeof(*by_layer)), *by_region = xcalloc(n + 1, sizeof(*by_region));
	size_t nlayers = 0, nregions = 0;
	double all = 0;
	for (size_t i = 0; i < n; i++) {
		char buf[256];
		const struct cell *c;
		c = table_at(&t, i, 0), lines[i].service = c->kind == CELL_NULL ? NULL : xstrdup(cell_format(c, buf, sizeof(buf)));
		c = table_at(&t, i, 1), lines[i].usage_type = c->kind == CELL_NULL ? NULL : xstrdup(cell_format(c, buf, sizeof(buf)));
		c = table_at(&t, i, 2), lines[i].region = c->kind == CELL_NULL ? NULL : xstrdup(cell_format(c, buf, sizeof(buf)));
		lines[i].cost = cell_number(table_at(&t, i, 3));
		lines[i].resources = (long)cell_number(table_at(&t, i, 4));
		all += lines[i].cost;
		add_total(by_layer, &nlayers, layer_of(&lines[i]), lines[i].cost);
		if (lines[i].region && *lines[i].region && strcmp(lines[i].region, "global") != 0)
			add_total(by_region, &nregions, lines[i].region, lines[i].cost);
	}
	table_release(&t);
	sort_array(by_layer, nlayers, sizeof(*by_layer), by_cost);
	sort_array(by_region, nregions, sizeof(*by_region), by_cost);

	json_t *items = json_object_get(result, "items");
	for (size_t s = 0; s < sizeof(signals) / sizeof(signals[0]); s++) {
		const struct signal *sig = &signals[s];
		if (sig->kind == SIGNAL_NO_ENDPOINTS &&
		    (any_line(lines, n, NULL, "VpcEndpoint") ||
		     !(any_line(lines, n, "AmazonS3", NULL) || any_line(lines, n, "AmazonDynamoDB", NULL))))
			continue;
		json_t *j = signal_json(req, sig, lines, n, all);
		if (j)
			json_array_append_new(items, j);
	}
	/* the footprint: regions holding at least 5% of the regional cost each */
	double regional = 0;
	for (size_t i = 0; i < nregions; i++)
		regional += by_region[i].cost;
	json_t *regions = json_array();
	size_t major = 0;
	for (size_t i = 0; i < nregions; i++) {
		json_array_append_new(regions, json_pack("{s:s, s:f, s:f}", "region", by_region[i].name, "cost",
							 by_region[i].cost, "share", regional > 0 ? by_region[i].cost / regional : 0));
		major += regional > 0 && by_region[i].cost >= 0.05 * regional;
	}
	char *finding = xasprintf("%zu regions with cost, %zu of them with at least 5%% of the regional spend", nregions, major);
	json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:f, s:f, s:f, s:o, s:s}", "signal",
					       major > 1 ? "footprint-multi-region" : "footprint-single-region", "group",
					       "footprint", "implies",
					       major > 1 ? "a multi-region deployment" : "a single-region deployment",
					       "cost", regional, "share", all > 0 ? regional / all : 0, "confidence",
					       major > 1 ? 0.9 : 0.7, "evidence", regions, "finding", finding));
	free(finding);

	/* layers: table, doughnut, JSON */
	static const char *const names[] = { "layer", "cost", "share_pct" };
	static const enum cell_kind kinds[] = { CELL_TEXT, CELL_REAL, CELL_REAL };
	struct table lt;
	table_init(&lt);
	table_set_columns(&lt, 3, names, kinds);
	json_t *jl = json_array();
	const char **labels = xcalloc(nlayers + 1, sizeof(*labels));
	double *values = xcalloc(nlayers + 1, sizeof(*values));
	struct strbuf md = STRBUF_INIT;
	char money[64];
	insight_money(req, all, money, sizeof(money));
	strbuf_addf(&md, "From **%s** of spend (%s), the bill implies:\n\n", money, w.label);
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
		strbuf_addf(&md, "- **%s** (%s, confidence %.2f): %s\n", json_string_value(json_object_get(item, "implies")),
			    json_string_value(json_object_get(item, "group")),
			    json_real_value(json_object_get(item, "confidence")),
			    json_string_value(json_object_get(item, "finding")));
	strbuf_addstr(&md, "\nWhere the money goes by layer:");
	for (size_t k = 0; k < nlayers; k++) {
		double share = all > 0 ? 100 * by_layer[k].cost / all : 0;
		struct cell *c = table_add_row(&lt);
		c[0] = (struct cell){ CELL_TEXT, { .s = xstrdup(by_layer[k].name) } };
		c[1] = (struct cell){ CELL_REAL, { .r = by_layer[k].cost } };
		c[2] = (struct cell){ CELL_REAL, { .r = round(share * 10) / 10 } };
		json_array_append_new(jl, json_pack("{s:s, s:f, s:f}", "layer", by_layer[k].name, "cost", by_layer[k].cost,
						    "share", all > 0 ? by_layer[k].cost / all : 0));
		labels[k] = by_layer[k].name;
		values[k] = by_layer[k].cost;
		insight_money(req, by_layer[k].cost, money, sizeof(money));
		strbuf_addf(&md, "%s %s %s (%.1f%%)", k ? "," : "", by_layer[k].name, money, share);
	}
	strbuf_addstr(&md, ".");
	json_object_set_new(result, "layers", jl);
	insight_set_table(result, &lt);
	table_release(&lt);
	if (nlayers)
		json_array_append_new(json_object_get(result, "charts"),
				      analysis_money_chart("doughnut", "Cost by layer", "Cost", req->currency, labels, values,
							   nlayers));
	char *title = xasprintf("Architecture implied by the bill: %zu signals, %zu layers, %s", json_array_size(items),
				nlayers, w.label);
	json_object_set_new(result, "title", json_string(title));
	free(title);
	insight_set_message(result, md.buf);
	insight_set_method(result, "Cost by service, usage type and region over the window, mapped to layers by a table "
				   "of services and usage types; each signal is a pattern of lines (a service, a usage "
				   "type) with a confidence, lower when its lines hold under 1% of the spend.");
	insight_add_suggestion(result, "How can I reduce costs?");
	insight_add_suggestion(result, "cost by region last month");
	insight_add_suggestion(result, "Who owns the untagged spend?");
	strbuf_release(&md);
	free(labels);
	free(values);
	for (size_t k = 0; k < n; k++)
		free(lines[k].service), free(lines[k].usage_type), free(lines[k].region);
	free(lines);
	free(by_layer);
	free(by_region);
	*out = result;
	return 0;
}

const struct insight insight_architecture = {
	"architecture",
	"What the bill implies about the architecture: layers, compute model, data stores, regions, traffic",
	architecture_run,
};
