/*
 * pricing: the few public prices and stated assumptions that the savings
 * rules (recommend_rules.c) need beyond what the bill itself says.
 *
 * The bill gives each line's cost and usage, hence the rate actually paid;
 * it does not give the price of what the resource could be instead. That
 * is all this module holds: ratios between an option and the current one
 * (gp3 against gp2, a current instance generation against a previous one)
 * and the shares a rule must assume because the bill cannot show them (how
 * much NAT traffic is bound for S3). Every entry names its source. Savings
 * are then "rate paid × (1 − ratio)", so regional prices and discounts
 * carry over from the bill.
 *
 * Pure: constant tables and lookups, no I/O.
 */
#ifndef FINQ_PRICING_H
#define FINQ_PRICING_H

#include <stdbool.h>
#include <stddef.h>

/* One stated assumption: a number, what it means, and where it comes from. */
struct assumption {
	double value;
	const char *what;   /* "share of NAT gateway traffic bound for S3 or DynamoDB" */
	const char *source; /* "AWS EBS pricing, us-east-1: gp3 $0.08, gp2 $0.10 per GB-month" */
};

/* gp3 price ÷ gp2 price per GB-month (0.8 in every region AWS lists). */
extern const struct assumption pricing_gp3_over_gp2;
/* Share of NAT gateway processed bytes assumed bound for S3 or DynamoDB. */
extern const struct assumption pricing_nat_gateway_endpoint_share;
/* Share of cross-AZ bytes assumed avoidable with zone-aware routing. */
extern const struct assumption pricing_cross_az_avoidable_share;
/* Compute Savings Plan (1 year, no upfront) price ÷ on-demand price. */
extern const struct assumption pricing_savings_plan_ratio;
/* Spot price ÷ on-demand price, typical for current generations. */
extern const struct assumption pricing_spot_ratio;
/* S3 Standard-IA ÷ S3 Standard per GB-month, and the share of bytes assumed cold. */
extern const struct assumption pricing_s3_ia_ratio;
extern const struct assumption pricing_s3_cold_share;
/* CloudWatch Logs Infrequent Access ÷ Standard ingestion, and the share
 * of ingested logs assumed not to need Standard's features. */
extern const struct assumption pricing_logs_ia_ratio;
extern const struct assumption pricing_logs_ia_share;
/* Months of log ingestion a sensible retention keeps in storage. */
extern const struct assumption pricing_logs_retention_months;
/* EBS snapshot archive tier ÷ standard snapshot price per GB-month. */
extern const struct assumption pricing_snapshot_archive_ratio;

/* A previous instance generation and what replaces it. Prices are on-demand
 * Linux us-east-1 per hour at reference_size; the ratios hold closely at
 * other sizes, since AWS prices a family linearly in its size. */
struct generation {
	const char *family;          /* "m4" */
	const char *current;         /* "m5": same architecture, no rebuild */
	const char *graviton;        /* "m6g", or NULL when none fits */
	const char *reference_size;  /* "xlarge" */
	double price, current_price, graviton_price; /* $/hour at reference_size */
};

extern const char pricing_generation_source[];

/* The previous-generation entry for an EC2 instance type ("m4.large" reads
 * its family "m4"), or NULL when the type is current or unknown. */
const struct generation *pricing_generation_find(const char *instance_type);

/* The type one generation on: "m4.large" -> "m5.large" into buf
 * (graviton: "m6g.large"); false when there is none. */
bool pricing_generation_target(const struct generation *g, const char *instance_type, bool graviton,
			       char *buf, size_t size);

/* current_price / price (or graviton_price / price): what a replacement costs
 * for each dollar paid now. */
double pricing_generation_ratio(const struct generation *g, bool graviton);

#endif
