/*
 * pricing: public price ratios and stated assumptions for the savings rules.
 * See pricing.h. Each figure carries its source; change one here and every
 * rule, message and test reads the new value.
 */
#include "pricing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct assumption pricing_gp3_over_gp2 = {
	0.8, "gp3 price per GB-month relative to gp2",
	"AWS EBS pricing: us-east-1 gp3 $0.08 and gp2 $0.10 per GB-month, gp3 20% lower in every listed region",
};

const struct assumption pricing_nat_gateway_endpoint_share = {
	0.25, "share of NAT gateway bytes bound for S3 or DynamoDB",
	"assumed: the bill does not show where NAT traffic goes; a quarter is a cautious share for an account "
	"that uses S3 or DynamoDB in the same region (VPC Flow Logs would measure it)",
};

const struct assumption pricing_cross_az_avoidable_share = {
	0.3, "share of cross-AZ bytes that zone-aware routing keeps in one zone",
	"assumed: the bill does not say which services talk across zones; 30% is a cautious share for "
	"zone-aware load balancing and topology-aware service routing (VPC Flow Logs would measure it)",
};

const struct assumption pricing_savings_plan_ratio = {
	0.72, "1-year no-upfront Compute Savings Plan rate relative to on-demand",
	"AWS Savings Plans pricing: about 28% below on-demand for current-generation EC2 in us-east-1 "
	"(m5.large $0.096 on-demand, about $0.069 under the plan)",
};

const struct assumption pricing_spot_ratio = {
	0.4, "Spot price relative to on-demand",
	"AWS Spot Instance Advisor: typical savings of 60-90% over on-demand; the low end is taken",
};

const struct assumption pricing_s3_ia_ratio = {
	0.5435, "S3 Standard-IA price per GB-month relative to S3 Standard",
	"AWS S3 pricing, us-east-1: Standard-IA $0.0125, Standard $0.023 per GB-month (first 50 TB)",
};

const struct assumption pricing_s3_cold_share = {
	0.5, "share of a quiet bucket's bytes not read for 30 days",
	"assumed: the bill shows requests, not object ages; S3 Intelligent-Tiering or Storage Lens would measure it",
};

const struct assumption pricing_logs_ia_ratio = {
	0.5, "CloudWatch Logs Infrequent Access ingestion price relative to Standard",
	"AWS CloudWatch pricing, us-east-1: $0.25 per GB (Infrequent Access) vs $0.50 per GB (Standard)",
};

const struct assumption pricing_logs_ia_share = {
	0.5, "share of ingested logs that need no Standard-class features (metric filters, Live Tail)",
	"assumed: the bill does not show which log groups feed alarms",
};

const struct assumption pricing_logs_retention_months = {
	3, "months of ingestion a retention policy keeps in storage",
	"assumed: a 90-day retention; log groups never expire by default",
};

const struct assumption pricing_snapshot_archive_ratio = {
	0.25, "EBS Snapshots Archive price per GB-month relative to standard snapshots",
	"AWS EBS pricing, us-east-1: archive $0.0125, standard $0.05 per GB-month",
};

const char pricing_generation_source[] =
	"AWS EC2 On-Demand pricing, Linux, us-east-1 (aws.amazon.com/ec2/pricing/on-demand), 2024-2025";

/* Sorted by family (bsearch). Prices at the reference size; see pricing.h. */
static const struct generation generations[] = {
	{ "c3", "c5", "c6g", "xlarge", 0.210, 0.170, 0.136 },
	{ "c4", "c5", "c6g", "xlarge", 0.199, 0.170, 0.136 },
	{ "d2", "d3", NULL, "xlarge", 0.690, 0.499, 0 },
	{ "i2", "i3", NULL, "xlarge", 0.853, 0.312, 0 },
	{ "m3", "m5", "m6g", "xlarge", 0.266, 0.192, 0.154 },
	{ "m4", "m5", "m6g", "xlarge", 0.200, 0.192, 0.154 },
	{ "r3", "r5", "r6g", "xlarge", 0.333, 0.252, 0.2016 },
	{ "r4", "r5", "r6g", "xlarge", 0.266, 0.252, 0.2016 },
	{ "t1", "t3", "t4g", "micro", 0.020, 0.0104, 0.0084 },
	{ "t2", "t3", "t4g", "medium", 0.0464, 0.0416, 0.0336 },
};

static int compare_family(const void *key, const void *entry)
{
	return strcmp(key, ((const struct generation *)entry)->family);
}

const struct generation *pricing_generation_find(const char *instance_type)
{
	if (!instance_type)
		return NULL;
	const char *dot = strchr(instance_type, '.');
	size_t n = dot ? (size_t)(dot - instance_type) : 0;
	char family[16];
	if (!n || n >= sizeof(family) || !dot[1])
		return NULL;
	memcpy(family, instance_type, n);
	family[n] = '\0';
	return bsearch(family, generations, sizeof(generations) / sizeof(generations[0]), sizeof(generations[0]),
		       compare_family);
}

bool pricing_generation_target(const struct generation *g, const char *instance_type, bool graviton, char *buf,
			       size_t size)
{
	const char *family = graviton ? g->graviton : g->current;
	const char *dot = instance_type ? strchr(instance_type, '.') : NULL;
	if (!family || !dot)
		return false;
	snprintf(buf, size, "%s%s", family, dot);
	return true;
}

double pricing_generation_ratio(const struct generation *g, bool graviton)
{
	double to = graviton ? g->graviton_price : g->current_price;
	return g->price > 0 && to > 0 ? to / g->price : 1.0;
}
