/*
 * demo: `finq demo`, the deterministic generator of realistic AWS CUR 2.0
 * sample data. See demo.h.
 *
 * The catalogue below (accounts, regions, resource types, resource kinds,
 * the meters each kind is billed by, injected events, a credit and a
 * refund) is the whole model. It is loaded into an in-memory DuckDB, and SQL
 * does the rest:
 *   res    one row per resource: kind, account, region, AZ, type, lifetime,
 *          tags, resource id, Savings Plan / RI coverage
 *   rm     resource x meter: usage type, operation, rates, product attributes
 *   u      (a view) rm x day: one line item per resource, meter and day,
 *          its usage amount = base x trend x weekday x noise x event
 *   agg    u summed by account, service, day and line type (one pass)
 *   extra  the month-level lines computed from agg: Savings Plan and RI fees,
 *          RI upfront fees, support, taxes, a credit and a refund
 * and COPY writes u, the Savings Plan negations of u, and extra in the
 * column names and types of a CUR 2.0 export.
 *
 * Determinism: randomness is hash(seed, resource, meter, day) mapped to
 * [0,1), sums are exact integers, and the line items reach COPY in a fixed
 * order (see sql_usage_view), so the same seed and dates give the same rows
 * in the same order on any number of threads, and the same bytes on the
 * same number of threads (Parquet page boundaries follow the threads).
 *
 * cmd_demo() parses the options, calls demo_generate() and loads the file
 * with load_paths(), exactly as `finq load` would; this file knows nothing
 * of the canonical table.
 */
#include "cli.h"
#include "db.h"
#include "demo.h"
#include "load.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the catalogue ---- */

#define PAYER_ID "111122223333"
#define PAYER_NAME "Acme Corp"
#define LEGAL_ENTITY "Amazon Web Services, Inc."
#define WEEKEND_FACTOR 0.55 /* usage at weekends in seasonal accounts */
#define EDP_DISCOUNT 0.03   /* private pricing: net = 97% of unblended usage */
#define SP_HEADROOM 1.03    /* commitment = busiest day's covered cost x this */
#define TAX_RATE 0.0625
#define RI_TERM_HOURS 26280 /* 3 years */
#define P_FROM_START 0.70   /* resources that exist on the first day */
#define P_TO_END 0.80       /* resources still running on the last day */
#define ROWS_DAYS 395.0     /* the period DEMO_ROWS_PER_SCALE is for */
#define EVENT_PINNED 2      /* resources of an event's kind placed where it happens */
#define SPIKE_MINIMUM 5     /* resources of a LIFE_SPIKE kind, at least */
#define ORPHAN_AT 0.60      /* see LIFE_ORPHANED */

struct account {
	const char *id, *name;
	const char *env;           /* the user_env tag of its resources */
	const char *business_unit; /* its cost category */
	double weight;             /* share of the resources */
	double tagged;             /* share of its taggable resources with tags */
	bool seasonal;             /* quieter at weekends */
	bool commitments;          /* covered by the Savings Plan and RIs */
};

static const struct account accounts[] = {
	{ "210987654321", "prod", "prod", "Product", 0.35, 0.90, false, true },
	{ "310987654321", "staging", "staging", "Product", 0.12, 0.75, true, false },
	{ "410987654321", "dev", "dev", "Product", 0.15, 0.50, true, false },
	{ "510987654321", "data", "prod", "Data & Analytics", 0.18, 0.80, true, true },
	{ "610987654321", "sandbox", "dev", "R&D", 0.05, 0.20, true, false },
	{ "710987654321", "shared-services", "prod", "Platform", 0.15, 0.70, false, true },
};

struct region {
	const char *code, *location;
	const char *ut; /* usage type prefix without the dash */
	bool bare;      /* most usage types carry no prefix here (us-east-1) */
	double price;   /* price relative to us-east-1 */
};

static const struct region regions[] = {
	{ "us-east-1", "US East (N. Virginia)", "USE1", true, 1.00 },
	{ "us-west-2", "US West (Oregon)", "USW2", false, 1.00 },
	{ "eu-west-1", "EU (Ireland)", "EU", false, 1.08 },
	{ "eu-central-1", "EU (Frankfurt)", "EUC1", false, 1.15 },
	{ "ap-southeast-1", "Asia Pacific (Singapore)", "APS1", false, 1.20 },
};

/* Where each account runs, and its share there. */
struct presence {
	const char *account, *region;
	double share;
};

static const struct presence presences[] = {
	{ "prod", "us-east-1", 0.55 }, { "prod", "us-west-2", 0.20 },
	{ "prod", "eu-west-1", 0.15 }, { "prod", "ap-southeast-1", 0.10 },
	{ "staging", "us-east-1", 0.70 }, { "staging", "eu-west-1", 0.30 },
	{ "dev", "us-east-1", 1.00 },
	{ "data", "us-east-1", 0.70 }, { "data", "us-west-2", 0.30 },
	{ "sandbox", "us-east-1", 0.60 }, { "sandbox", "eu-central-1", 0.40 },
	{ "shared-services", "us-east-1", 0.80 }, { "shared-services", "us-west-2", 0.20 },
};

/* Tag values: a tagged resource belongs to a team, which owns a cost
 * centre; its project is the team plus one of the suffixes. */
static const char *const teams[] = { "payments", "search", "mobile", "platform", "data" };
static const char *const cost_centers[] = { "CC-1010", "CC-1020", "CC-1030", "CC-1040", "CC-1050" };
static const char *const projects[] = { "api", "web", "worker", "etl" };
/* The middle part of generated resource names. */
static const char *const apps[] = { "api", "web", "worker", "etl", "auth", "checkout",
				    "search", "reports", "ingest", "ml" };

/* Resource types: a resource of a kind with a type group picks one of the
 * group's types by weight. Instance types carry vcpu/memory. Prices are
 * us-east-1 on-demand (Linux, PostgreSQL, Redis). */
struct rtype {
	const char *group, *name;
	const char *ut;        /* name in the usage type, NULL: name */
	const char *family;    /* product_instance_family, or EBS volume name */
	const char *op;        /* operation, for {op} */
	double rate, weight;
	double nf;             /* normalization factor, 0: none */
	bool current;          /* current generation */
	const char *vcpu, *memory, *processor;
};

#define GP "General purpose"
#define CO "Compute optimized"
#define MO "Memory optimized"
#define G2 "AWS Graviton2 Processor"
static const struct rtype rtypes[] = {
	{ "ec2", "t2.medium", NULL, GP, NULL, 0.0464, 0.05, 2, false, "2", "4 GiB", "Intel Xeon Family" },
	{ "ec2", "t3.medium", NULL, GP, NULL, 0.0416, 0.10, 2, true, "2", "4 GiB", "Intel Skylake E5 2686 v5" },
	{ "ec2", "t3.large", NULL, GP, NULL, 0.0832, 0.06, 4, true, "2", "8 GiB", "Intel Skylake E5 2686 v5" },
	{ "ec2", "m4.large", NULL, GP, NULL, 0.10, 0.05, 4, false, "2", "8 GiB", "Intel Xeon E5-2676 v3 (Haswell)" },
	{ "ec2", "m4.xlarge", NULL, GP, NULL, 0.20, 0.03, 8, false, "4", "16 GiB", "Intel Xeon E5-2676 v3 (Haswell)" },
	{ "ec2", "m5.large", NULL, GP, NULL, 0.096, 0.10, 4, true, "2", "8 GiB", "Intel Xeon Platinum 8175" },
	{ "ec2", "m5.xlarge", NULL, GP, NULL, 0.192, 0.10, 8, true, "4", "16 GiB", "Intel Xeon Platinum 8175" },
	{ "ec2", "m5.2xlarge", NULL, GP, NULL, 0.384, 0.05, 16, true, "8", "32 GiB", "Intel Xeon Platinum 8175" },
	{ "ec2", "m6i.xlarge", NULL, GP, NULL, 0.192, 0.06, 8, true, "4", "16 GiB", "Intel Xeon 8375C (Ice Lake)" },
	{ "ec2", "m6g.large", NULL, GP, NULL, 0.077, 0.05, 4, true, "2", "8 GiB", G2 },
	{ "ec2", "m6g.xlarge", NULL, GP, NULL, 0.154, 0.04, 8, true, "4", "16 GiB", G2 },
	{ "ec2", "m7g.xlarge", NULL, GP, NULL, 0.1632, 0.03, 8, true, "4", "16 GiB", "AWS Graviton3 Processor" },
	{ "ec2", "c4.xlarge", NULL, CO, NULL, 0.199, 0.04, 8, false, "4", "7.5 GiB", "Intel Xeon E5-2666 v3 (Haswell)" },
	{ "ec2", "c5.xlarge", NULL, CO, NULL, 0.17, 0.06, 8, true, "4", "8 GiB", "Intel Xeon Platinum 8124M" },
	{ "ec2", "c5.2xlarge", NULL, CO, NULL, 0.34, 0.03, 16, true, "8", "16 GiB", "Intel Xeon Platinum 8124M" },
	{ "ec2", "c6g.xlarge", NULL, CO, NULL, 0.136, 0.03, 8, true, "4", "8 GiB", G2 },
	{ "ec2", "r4.large", NULL, MO, NULL, 0.133, 0.03, 4, false, "2", "15.25 GiB", "Intel Xeon E5-2686 v4 (Broadwell)" },
	{ "ec2", "r5.large", NULL, MO, NULL, 0.126, 0.05, 4, true, "2", "16 GiB", "Intel Xeon Platinum 8175" },
	{ "ec2", "r5.xlarge", NULL, MO, NULL, 0.252, 0.03, 8, true, "4", "32 GiB", "Intel Xeon Platinum 8175" },
	{ "ec2", "r6g.xlarge", NULL, MO, NULL, 0.2016, 0.02, 8, true, "4", "32 GiB", G2 },
	{ "ec2big", "c5.4xlarge", NULL, CO, NULL, 0.68, 0.5, 32, true, "16", "32 GiB", "Intel Xeon Platinum 8124M" },
	{ "ec2big", "c5.9xlarge", NULL, CO, NULL, 1.53, 0.3, 72, true, "36", "72 GiB", "Intel Xeon Platinum 8124M" },
	{ "ec2big", "p3.2xlarge", NULL, "GPU instance", NULL, 3.06, 0.2, 16, true, "8", "61 GiB", "Intel Xeon E5-2686 v4 (Broadwell)" },
	{ "ebs", "gp2", NULL, "General Purpose", "CreateVolume-Gp2", 0.10, 0.40, 0, true, NULL, NULL, NULL },
	{ "ebs", "gp3", NULL, "General Purpose", "CreateVolume-Gp3", 0.08, 0.52, 0, true, NULL, NULL, NULL },
	{ "ebs", "st1", NULL, "Throughput Optimized HDD", "CreateVolume-St1", 0.045, 0.08, 0, true, NULL, NULL, NULL },
	{ "rds", "db.t3.medium", NULL, GP, NULL, 0.072, 0.30, 2, true, "2", "4 GiB", "Intel Xeon Platinum 8175" },
	{ "rds", "db.m5.large", NULL, GP, NULL, 0.178, 0.25, 4, true, "2", "8 GiB", "Intel Xeon Platinum 8175" },
	{ "rds", "db.m4.large", NULL, GP, NULL, 0.182, 0.10, 4, false, "2", "8 GiB", "Intel Xeon E5-2676 v3 (Haswell)" },
	{ "rds", "db.r5.large", NULL, MO, NULL, 0.25, 0.20, 4, true, "2", "16 GiB", "Intel Xeon Platinum 8175" },
	{ "rds", "db.r6g.large", NULL, MO, NULL, 0.225, 0.10, 4, true, "2", "16 GiB", G2 },
	{ "rds", "db.r5.xlarge", NULL, MO, NULL, 0.50, 0.05, 8, true, "4", "32 GiB", "Intel Xeon Platinum 8175" },
	{ "cache", "cache.t3.medium", NULL, "Standard", NULL, 0.068, 0.30, 0, true, "2", "3.09 GiB", NULL },
	{ "cache", "cache.m6g.large", NULL, "Standard", NULL, 0.149, 0.30, 0, true, "2", "6.38 GiB", G2 },
	{ "cache", "cache.r6g.large", NULL, MO, NULL, 0.206, 0.30, 0, true, "2", "13.07 GiB", G2 },
	{ "cache", "cache.r5.large", NULL, MO, NULL, 0.216, 0.10, 0, true, "2", "13.07 GiB", NULL },
	{ "es", "r6g.large.search", "r6g.large", MO, NULL, 0.167, 0.5, 0, true, "2", "16 GiB", G2 },
	{ "es", "m6g.large.search", "m6g.large", GP, NULL, 0.128, 0.3, 0, true, "2", "8 GiB", G2 },
	{ "es", "r5.large.search", "r5.large", MO, NULL, 0.186, 0.2, 0, true, "2", "16 GiB", NULL },
	{ "redshift", "ra3.xlplus", NULL, "Compute Instance", NULL, 1.086, 0.6, 0, true, "4", "32 GiB", NULL },
	{ "redshift", "dc2.large", NULL, "Compute Instance", NULL, 0.25, 0.4, 0, false, "2", "15 GiB", NULL },
};
#undef GP
#undef CO
#undef MO
#undef G2

enum life {
	LIFE_VARIES = 1, /* starts and ends at random, mostly spans the range */
	LIFE_ALWAYS,     /* spans the range */
	LIFE_SPIKE,      /* lives one day, at `at` of the range: an anomaly */
	LIFE_ACCOUNT,    /* no resource: one per account and region (CloudWatch...) */
	LIFE_ORPHANED,   /* reserved, deleted at ORPHAN_AT of the range: its RI runs on unused */
};
enum cover { COVER_NONE, COVER_SP, COVER_RI };

/* Resource kinds. `weight` is the share of the pooled resources (the
 * count follows from --rows); LIFE_ACCOUNT kinds are per account and
 * region and their meters' quantities are organisation-wide. */
struct kind {
	const char *name, *product_code, *service_name;
	enum life life;
	double weight;
	const char *types;   /* type group, or NULL */
	const char *id;      /* resource id template: {acct} {region} {name} {hex} {hex6} {hex8} {HEX} {uuid} */
	const char *account; /* only in this account */
	const char *region;  /* only in this region; "global": none */
	bool az, taggable;
	enum cover cover;
	double covered;      /* share of resources in committed accounts covered */
	double discount;     /* Savings Plan / RI discount on on-demand */
	const char *ri_id;   /* reservation ARN template */
	double at;           /* LIFE_SPIKE: where in the range, 0..1 */
};

#define EC2 "AmazonEC2", "Amazon Elastic Compute Cloud"
static const struct kind kinds[] = {
	{ "ec2", EC2, LIFE_VARIES, 0.20, "ec2", "i-0{hex}", NULL, NULL, true, true, COVER_SP, 0.60, 0.28, NULL, 0 },
	{ "ec2-spot", EC2, LIFE_VARIES, 0.03, "ec2", "i-0{hex}", NULL, NULL, true, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "ec2-batch", EC2, LIFE_SPIKE, 0.012, "ec2big", "i-0{hex}", "dev", "us-east-1", true, true, COVER_NONE, 0, 0, NULL, 0.62 },
	{ "ebs", EC2, LIFE_VARIES, 0.22, "ebs", "vol-0{hex}", NULL, NULL, true, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "snapshot", EC2, LIFE_VARIES, 0.05, NULL, "snap-0{hex}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "nat", EC2, LIFE_ALWAYS, 0.012, NULL, "nat-0{hex}", NULL, NULL, true, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "ec2-transfer", EC2, LIFE_ACCOUNT, 0, NULL, NULL, NULL, NULL, false, false, COVER_NONE, 0, 0, NULL, 0 },
	{ "eip", "AmazonVPC", "Amazon Virtual Private Cloud", LIFE_VARIES, 0.04, NULL, "eipalloc-0{hex}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "eip-idle", "AmazonVPC", "Amazon Virtual Private Cloud", LIFE_VARIES, 0.01, NULL, "eipalloc-0{hex}", NULL, NULL, false, false, COVER_NONE, 0, 0, NULL, 0 },
	{ "s3", "AmazonS3", "Amazon Simple Storage Service", LIFE_ALWAYS, 0.04, NULL, "acme-{name}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "rds", "AmazonRDS", "Amazon Relational Database Service", LIFE_VARIES, 0.04, "rds", "arn:aws:rds:{region}:{acct}:db:{name}", NULL, NULL, true, true, COVER_RI, 0.50, 0.40, "arn:aws:rds:{region}:{acct}:ri:ri-{hex8}", 0 },
	{ "lambda", "AWSLambda", "AWS Lambda", LIFE_VARIES, 0.07, NULL, "arn:aws:lambda:{region}:{acct}:function:{name}", NULL, NULL, false, true, COVER_SP, 0.50, 0.12, NULL, 0 },
	{ "dynamodb", "AmazonDynamoDB", "Amazon DynamoDB", LIFE_VARIES, 0.03, NULL, "arn:aws:dynamodb:{region}:{acct}:table/{name}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "fargate", "AmazonECS", "Amazon Elastic Container Service", LIFE_VARIES, 0.03, NULL, "arn:aws:ecs:{region}:{acct}:service/{name}", NULL, NULL, false, true, COVER_SP, 0.60, 0.20, NULL, 0 },
	{ "eks", "AmazonEKS", "Amazon Elastic Kubernetes Service", LIFE_ALWAYS, 0.01, NULL, "arn:aws:eks:{region}:{acct}:cluster/{name}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "elasticache", "AmazonElastiCache", "Amazon ElastiCache", LIFE_VARIES, 0.02, "cache", "arn:aws:elasticache:{region}:{acct}:cluster:{name}", NULL, NULL, true, true, COVER_RI, 0.50, 0.35, "arn:aws:elasticache:{region}:{acct}:reserved-instance:ri-{hex8}", 0 },
	{ "opensearch", "AmazonES", "Amazon OpenSearch Service", LIFE_ALWAYS, 0.012, "es", "arn:aws:es:{region}:{acct}:domain/{name}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "route53", "AmazonRoute53", "Amazon Route 53", LIFE_ALWAYS, 0.01, NULL, "arn:aws:route53:::hostedzone/Z{HEX}", NULL, "global", false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "cloudfront", "AmazonCloudFront", "Amazon CloudFront", LIFE_ALWAYS, 0.008, NULL, "arn:aws:cloudfront::{acct}:distribution/E{HEX}", NULL, "global", false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "alb", "AWSELB", "Elastic Load Balancing", LIFE_VARIES, 0.03, NULL, "arn:aws:elasticloadbalancing:{region}:{acct}:loadbalancer/app/{name}/{hex}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "sqs", "AWSQueueService", "Amazon Simple Queue Service", LIFE_VARIES, 0.02, NULL, "arn:aws:sqs:{region}:{acct}:{name}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "sns", "AmazonSNS", "Amazon Simple Notification Service", LIFE_VARIES, 0.01, NULL, "arn:aws:sns:{region}:{acct}:{name}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "kms", "awskms", "AWS Key Management Service", LIFE_VARIES, 0.03, NULL, "arn:aws:kms:{region}:{acct}:key/{uuid}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "secrets", "AWSSecretsManager", "AWS Secrets Manager", LIFE_VARIES, 0.03, NULL, "arn:aws:secretsmanager:{region}:{acct}:secret:{name}-{hex6}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "ecr", "AmazonECR", "Amazon EC2 Container Registry (ECR)", LIFE_VARIES, 0.01, NULL, "arn:aws:ecr:{region}:{acct}:repository/{name}", NULL, NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "redshift", "AmazonRedshift", "Amazon Redshift", LIFE_ALWAYS, 0.004, "redshift", "arn:aws:redshift:{region}:{acct}:cluster:{name}", "data", NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "glue", "AWSGlue", "AWS Glue", LIFE_VARIES, 0.008, NULL, "arn:aws:glue:{region}:{acct}:job/{name}", "data", NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "athena", "AmazonAthena", "Amazon Athena", LIFE_VARIES, 0.006, NULL, "arn:aws:athena:{region}:{acct}:workgroup/{name}", "data", NULL, false, true, COVER_NONE, 0, 0, NULL, 0 },
	{ "cloudwatch", "AmazonCloudWatch", "AmazonCloudWatch", LIFE_ACCOUNT, 0, NULL, NULL, NULL, NULL, false, false, COVER_NONE, 0, 0, NULL, 0 },
	{ "transfer", "AWSDataTransfer", "AWS Data Transfer", LIFE_ACCOUNT, 0, NULL, NULL, NULL, NULL, false, false, COVER_NONE, 0, 0, NULL, 0 },
	{ "guardduty", "AmazonGuardDuty", "Amazon GuardDuty", LIFE_ACCOUNT, 0, NULL, NULL, NULL, NULL, false, false, COVER_NONE, 0, 0, NULL, 0 },
	{ "config", "AWSConfig", "AWS Config", LIFE_ACCOUNT, 0, NULL, NULL, NULL, NULL, false, false, COVER_NONE, 0, 0, NULL, 0 },
};
#undef EC2

enum prefix {
	PFX_NONE, /* never a region prefix (global services) */
	PFX_STD,  /* a prefix except in us-east-1: BoxUsage, USW2-BoxUsage */
	PFX_ALL,  /* a prefix everywhere: USE1-Fargate-GB-Hours */
};

/* What a kind is billed by. qty is a day's usage of one resource (of the
 * whole organisation for LIFE_ACCOUNT kinds), or a month's for monthly
 * meters (GB-Mo, keys), spread over the days; spread widens it from one
 * resource to the next (log-normal), noise from one day to the next; trend
 * is the linear change per month. {type}, {op} and {rate} are filled in. */
struct meter {
	const char *kind, *usage_type, *operation, *unit, *family, *description;
	double rate;       /* us-east-1 price per unit; 0: the type's price */
	double rate_mult;  /* of the on-demand price (spot) */
	enum prefix prefix;
	double qty, spread, noise, trend;
	bool monthly, seasonal, coverable;
	const char *term;  /* NULL: OnDemand */
	const char *location; /* for global services */
	const char *to;    /* data transfer destination: "External", "same" */
};

static const struct meter meters[] = {
	{ "ec2", "BoxUsage:{type}", "RunInstances", "Hrs", "Compute Instance",
	  "${rate} per On Demand Linux {type} Instance Hour", 0, 1, PFX_STD, 24, 0, 0, 0, false, true, true, NULL, NULL, NULL },
	{ "ec2-spot", "SpotUsage:{type}", "RunInstances:SV001", "Hrs", "Compute Instance",
	  "{type} Linux/UNIX Spot Instance-hour", 0, 0.32, PFX_STD, 24, 0, 0, 0, false, false, false, "Spot", NULL, NULL },
	{ "ec2-batch", "BoxUsage:{type}", "RunInstances", "Hrs", "Compute Instance",
	  "${rate} per On Demand Linux {type} Instance Hour", 0, 1, PFX_STD, 21, 0, 0.1, 0, false, false, false, NULL, NULL, NULL },
	{ "ebs", "EBS:VolumeUsage.{type}", "{op}", "GB-Mo", "Storage",
	  "${rate} per GB-month of {type} provisioned storage", 0, 1, PFX_STD, 150, 0.8, 0, 0, true, false, false, NULL, NULL, NULL },
	{ "snapshot", "EBS:SnapshotUsage", "CreateSnapshot", "GB-Mo", "Storage Snapshot",
	  "${rate} per GB-Month of snapshot data stored", 0.05, 1, PFX_STD, 200, 1.0, 0, 0.02, true, false, false, NULL, NULL, NULL },
	{ "nat", "NatGateway-Hours", "NatGateway", "Hrs", "NAT Gateway",
	  "${rate} per NAT Gateway Hour", 0.045, 1, PFX_STD, 24, 0, 0, 0, false, false, false, NULL, NULL, NULL },
	{ "nat", "NatGateway-Bytes", "NatGateway", "GB", "NAT Gateway",
	  "${rate} per GB Data Processed by NAT Gateways", 0.045, 1, PFX_STD, 400, 0.9, 0.25, 0, false, false, false, NULL, NULL, NULL },
	{ "ec2-transfer", "DataTransfer-Regional-Bytes", "InterZone-In", "GB", "Data Transfer",
	  "${rate} per GB - regional data transfer - in/out/between EC2 AZs or using elastic IPs or ELB",
	  0.01, 1, PFX_ALL, 1500, 0, 0.2, 0.01, false, false, false, NULL, NULL, "same" },
	{ "eip", "PublicIPv4:InUseAddress", "AssociateAddressVPC", "Hrs", "VPC Public IPv4 Address",
	  "${rate} per In-use public IPv4 address per hour", 0.005, 1, PFX_STD, 24, 0, 0, 0, false, false, false, NULL, NULL, NULL },
	{ "eip-idle", "PublicIPv4:IdleAddress", "AllocateAddressVPC", "Hrs", "VPC Public IPv4 Address",
	  "${rate} per Idle public IPv4 address per hour", 0.005, 1, PFX_STD, 24, 0, 0, 0, false, false, false, NULL, NULL, NULL },
	{ "s3", "TimedStorage-ByteHrs", "StandardStorage", "GB-Mo", "Storage",
	  "${rate} per GB - first 50 TB / month of storage used", 0.023, 1, PFX_STD, 2500, 1.2, 0, 0.03, true, false, false, NULL, NULL, NULL },
	{ "s3", "Requests-Tier1", "PutObject", "Requests", "API Request",
	  "$0.005 per 1,000 PUT, COPY, POST, or LIST requests", 0.000005, 1, PFX_STD, 2e5, 1.2, 0.3, 0.03, false, false, false, NULL, NULL, NULL },
	{ "s3", "Requests-Tier2", "GetObject", "Requests", "API Request",
	  "$0.0004 per 1,000 GET and all other requests", 0.0000004, 1, PFX_STD, 2e6, 1.2, 0.3, 0.03, false, false, false, NULL, NULL, NULL },
	{ "rds", "InstanceUsage:{type}", "CreateDBInstance:0014", "Hrs", "Database Instance",
	  "${rate} per RDS {type} instance hour (or partial hour) running PostgreSQL", 0, 1, PFX_STD, 24, 0, 0, 0, false, false, true, NULL, NULL, NULL },
	{ "rds", "RDS:GP2-Storage", "CreateDBInstance:0014", "GB-Mo", "Database Storage",
	  "${rate} per GB-month of provisioned GP2 storage running PostgreSQL", 0.115, 1, PFX_STD, 300, 0.8, 0, 0.01, true, false, false, NULL, NULL, NULL },
	{ "lambda", "Request", "Invoke", "Requests", "Serverless",
	  "AWS Lambda - Total Requests", 0.0000002, 1, PFX_STD, 1e6, 1.2, 0.3, 0.02, false, true, false, NULL, NULL, NULL },
	{ "lambda", "Lambda-GB-Second", "Invoke", "Lambda-GB-Second", "Serverless",
	  "AWS Lambda - Total Compute", 0.0000166667, 1, PFX_STD, 8e4, 1.2, 0.3, 0.02, false, true, true, NULL, NULL, NULL },
	{ "dynamodb", "ReadRequestUnits", "PayPerRequestThroughput", "ReadRequestUnits", "Amazon DynamoDB PayPerRequest Throughput",
	  "$0.125 per million read request units", 0.000000125, 1, PFX_STD, 1e7, 1.3, 0.3, 0, false, false, false, NULL, NULL, NULL },
	{ "dynamodb", "WriteRequestUnits", "PayPerRequestThroughput", "WriteRequestUnits", "Amazon DynamoDB PayPerRequest Throughput",
	  "$0.625 per million write request units", 0.000000625, 1, PFX_STD, 2e6, 1.3, 0.3, 0, false, false, false, NULL, NULL, NULL },
	{ "dynamodb", "TimedStorage-ByteHrs", "StandardStorage", "GB-Mo", "Database Storage",
	  "${rate} per GB-Month of storage used beyond first 25 free GB-Months", 0.25, 1, PFX_STD, 30, 1.0, 0, 0.02, true, false, false, NULL, NULL, NULL },
	{ "fargate", "Fargate-vCPU-Hours:perCPU", "FargateTask", "hours", "Compute",
	  "AWS Fargate - vCPU", 0.04048, 1, PFX_ALL, 48, 0.8, 0.1, 0, false, true, true, NULL, NULL, NULL },
	{ "fargate", "Fargate-GB-Hours", "FargateTask", "hours", "Compute",
	  "AWS Fargate - Memory", 0.004445, 1, PFX_ALL, 192, 0.8, 0.1, 0, false, true, true, NULL, NULL, NULL },
	{ "eks", "AmazonEKS-Hours:perCluster", "CreateOperation", "Hrs", "Compute",
	  "${rate} per hour per Amazon EKS cluster", 0.10, 1, PFX_ALL, 24, 0, 0, 0, false, false, false, NULL, NULL, NULL },
	{ "elasticache", "NodeUsage:{type}", "CreateCacheCluster:0002", "Hrs", "Cache Instance",
	  "${rate} per Redis {type} node hour (or partial hour)", 0, 1, PFX_STD, 24, 0, 0, 0, false, false, true, NULL, NULL, NULL },
	{ "opensearch", "ESInstance:{type}", "ESDomain", "Hrs", "Amazon OpenSearch Service Instance",
	  "${rate} per {type} instance hour (or partial hour)", 0, 1, PFX_STD, 72, 0.3, 0, -0.05, false, false, false, NULL, NULL, NULL },
	{ "opensearch", "ES:GP3-Storage", "ESDomain", "GB-Mo", "Amazon OpenSearch Service Volume",
	  "${rate} per GB-month of GP3 storage", 0.122, 1, PFX_STD, 500, 0.5, 0, -0.04, true, false, false, NULL, NULL, NULL },
	{ "route53", "HostedZone", NULL, "HostedZone", "DNS Zone",
	  "$0.50 per Hosted Zone for the first 25 Hosted Zones", 0.50, 1, PFX_NONE, 1, 0, 0, 0, true, false, false, NULL, "Global", NULL },
	{ "route53", "DNS-Queries", NULL, "Queries", "DNS Query",
	  "$0.40 per 1,000,000 queries for the first 1 Billion queries", 0.0000004, 1, PFX_NONE, 2e6, 1.2, 0.2, 0, false, false, false, NULL, "Global", NULL },
	{ "cloudfront", "US-DataTransfer-Out-Bytes", "GET", "GB", "Data Transfer",
	  "$0.085 per GB - first 10 TB / month data transfer out", 0.085, 1, PFX_NONE, 60, 1.0, 0.2, 0.01, false, false, false, NULL, "United States", "External" },
	{ "cloudfront", "US-Requests-Tier1", "GET", "Requests", "Request",
	  "$0.0075 per 10,000 HTTP requests", 0.00000075, 1, PFX_NONE, 5e6, 1.2, 0.2, 0.01, false, false, false, NULL, "United States", NULL },
	{ "cloudfront", "EU-DataTransfer-Out-Bytes", "GET", "GB", "Data Transfer",
	  "$0.085 per GB - first 10 TB / month data transfer out", 0.085, 1, PFX_NONE, 40, 1.2, 0.2, 0.01, false, false, false, NULL, "Europe", "External" },
	{ "alb", "LoadBalancerUsage", "LoadBalancing:Application", "Hrs", "Load Balancer-Application",
	  "${rate} per Application LoadBalancer-hour (or partial hour)", 0.0225, 1, PFX_STD, 24, 0, 0, 0, false, false, false, NULL, NULL, NULL },
	{ "alb", "LCUUsage", "LoadBalancing:Application", "LCU-Hrs", "Load Balancer-Application",
	  "${rate} per used Application load balancer capacity unit-hour (or partial hour)", 0.008, 1, PFX_STD, 20, 1.0, 0.2, 0, false, true, false, NULL, NULL, NULL },
	{ "sqs", "Requests-RBP", NULL, "Requests", "API Request",
	  "$0.40 per 1,000,000 Amazon SQS requests", 0.0000004, 1, PFX_STD, 3e6, 1.5, 0.3, 0, false, false, false, NULL, NULL, NULL },
	{ "sns", "Requests-Tier1", NULL, "Requests", "API Request",
	  "$0.50 per 1 million Amazon SNS API Requests", 0.0000005, 1, PFX_STD, 1e6, 1.5, 0.3, 0, false, false, false, NULL, NULL, NULL },
	{ "sns", "DeliveryAttempts-HTTP", NULL, "Notifications", "Message Delivery",
	  "$0.60 per 1 million notifications delivered over HTTP/S", 0.0000006, 1, PFX_STD, 1e6, 1.5, 0.3, 0, false, false, false, NULL, NULL, NULL },
	{ "kms", "KMS-Keys", "CreateKey", "Keys", "Encryption Key",
	  "$1 per customer master key (CMK) per month", 1.0, 1, PFX_STD, 1, 0, 0, 0, true, false, false, NULL, NULL, NULL },
	{ "kms", "KMS-Requests", "Decrypt", "Requests", "API Request",
	  "$0.03 per 10,000 requests", 0.000003, 1, PFX_STD, 2e5, 1.5, 0.3, 0, false, false, false, NULL, NULL, NULL },
	{ "secrets", "AWSSecretsManager-Secrets", NULL, "Secrets", "Secret",
	  "$0.40 per secret per month", 0.40, 1, PFX_STD, 1, 0, 0, 0, true, false, false, NULL, NULL, NULL },
	{ "secrets", "AWSSecretsManager-APIRequest", NULL, "API Requests", "API Request",
	  "$0.05 per 10,000 API requests", 0.000005, 1, PFX_STD, 1e4, 1.5, 0.3, 0, false, false, false, NULL, NULL, NULL },
	{ "ecr", "TimedStorage-ByteHrs", NULL, "GB-Mo", "EC2 Container Registry",
	  "${rate} per GB-month of data storage", 0.10, 1, PFX_STD, 40, 1.0, 0, 0.02, true, false, false, NULL, NULL, NULL },
	{ "redshift", "Node:{type}", "RunComputeNode:0001", "Hrs", "Compute Instance",
	  "${rate} per {type} node-hour (or partial hour)", 0, 1, PFX_STD, 48, 0, 0, 0, false, false, false, NULL, NULL, NULL },
	{ "glue", "ETL-DPU-Hour", "Jobrun", "DPU-Hour", "AWS Glue",
	  "${rate} per DPU-Hour, billed per second, with a 1-minute minimum", 0.44, 1, PFX_ALL, 6, 0.8, 0.5, 0, false, true, false, NULL, NULL, NULL },
	{ "athena", "DataScannedInTB", "RunQuery", "Terabytes", "Data Scanned",
	  "$5.00 per TB of data scanned", 5.0, 1, PFX_ALL, 0.3, 1.0, 0.6, 0, false, true, false, NULL, NULL, NULL },
	{ "cloudwatch", "DataProcessing-Bytes", "PutLogEvents", "GB", "Data Payload",
	  "$0.50 per GB custom log data ingested", 0.50, 1, PFX_STD, 60, 0, 0.15, 0.01, false, false, false, NULL, NULL, NULL },
	{ "cloudwatch", "TimedStorage-ByteHrs", "HourlyStorageMetering", "GB-Mo", "Storage Snapshot",
	  "$0.03 per GB-mo of log storage", 0.03, 1, PFX_STD, 3000, 0, 0, 0.04, true, false, false, NULL, NULL, NULL },
	{ "cloudwatch", "CW:MetricMonitorUsage", "MetricStorage", "Metrics", "Metric",
	  "$0.30 per metric-month - first 10,000 metrics", 0.30, 1, PFX_STD, 2000, 0, 0.02, 0.01, true, false, false, NULL, NULL, NULL },
	{ "transfer", "DataTransfer-Out-Bytes", NULL, "GB", "Data Transfer",
	  "$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier", 0.09, 1, PFX_STD, 300, 0, 0.2, 0.01, false, false, false, NULL, NULL, "External" },
	{ "guardduty", "PaidEventsAnalyzed", NULL, "Events", "Security Services",
	  "$4.00 per one million CloudTrail management events analyzed", 0.000004, 1, PFX_ALL, 2e6, 0, 0.2, 0, false, false, false, NULL, NULL, NULL },
	{ "config", "ConfigurationItemRecorded", NULL, "ConfigurationItemRecorded", "Management Tools - AWS Config",
	  "$0.003 per configuration item recorded", 0.003, 1, PFX_ALL, 3000, 0, 0.3, 0, false, false, false, NULL, NULL, NULL },
};

/* Injected events: usage of a kind's meter in an account (and region)
 * multiplied by factor for `days` days (0: to the end) from `at` of the
 * range, give or take three days depending on the seed. LIFE_SPIKE kinds
 * are events too. */
struct event {
	const char *what, *kind, *usage_type, *account, *region;
	double at;
	int days;
	double factor;
};

static const struct event events[] = {
	{ "spike", "cloudwatch", "DataProcessing-Bytes", "data", "us-east-1", 0.88, 3, 6.0 },
	{ "level_shift", "nat", "NatGateway-Bytes", "prod", NULL, 0.70, 0, 1.8 },
};

/* One-off lines, in the month at `at` of the range; amounts at --scale 1. */
struct adjustment {
	const char *type, *account, *product_code, *description;
	double at, amount;
};

static const struct adjustment adjustments[] = {
	{ "Credit", "dev", "AmazonEC2", "AWS Promotional Credit", 0.35, -500.00 },
	{ "Refund", "prod", "AmazonS3", "Refund for service disruption (case 11838291761)", 0.50, -123.45 },
};

/* Services that only month-level lines carry. */
struct service {
	const char *product_code, *name;
};

static const struct service fee_services[] = {
	{ "ComputeSavingsPlans", "Savings Plans for AWS Compute usage" },
	{ "AWSSupportBusiness", "AWS Support (Business)" },
};

/* AWS Business support: a share of each slice of the month's charges. */
struct tier {
	double upto, share;
};

static const struct tier support_tiers[] = {
	{ 10000, 0.10 }, { 80000, 0.07 }, { 250000, 0.05 }, { 0, 0.03 }, /* 0: the rest */
};
#define SUPPORT_MINIMUM 100.0

/* The columns of a CUR 2.0 export (cur-dev/cur2.parquet), in order, and
 * how a usage row fills them from the view u; NULL: no value. `negation`
 * overrides usage for the SavingsPlanNegation copy of a covered row. */
struct column {
	const char *name, *type, *usage, *negation;
};

#define MAP_VV "MAP(VARCHAR, VARCHAR)"
static const struct column columns[] = {
	{ "bill_bill_type", "VARCHAR", "'Anniversary'", NULL },
	{ "bill_billing_entity", "VARCHAR", "'AWS'", NULL },
	{ "bill_billing_period_end_date", "TIMESTAMP", "bp1", NULL },
	{ "bill_billing_period_start_date", "TIMESTAMP", "bp0", NULL },
	{ "bill_invoice_id", "VARCHAR", "invoice", NULL },
	{ "bill_invoicing_entity", "VARCHAR", "'" LEGAL_ENTITY "'", NULL },
	{ "bill_payer_account_id", "VARCHAR", "'" PAYER_ID "'", NULL },
	{ "bill_payer_account_name", "VARCHAR", "'" PAYER_NAME "'", NULL },
	{ "cost_category", MAP_VV, "cost_category", NULL },
	{ "discount_total_discount", "DOUBLE", "discount", "-discount" },
	{ "identity_line_item_id", "VARCHAR", "line_id", "negation_id" },
	{ "identity_time_interval", "VARCHAR", "ivl", NULL },
	{ "line_item_availability_zone", "VARCHAR", "az", NULL },
	{ "line_item_blended_cost", "DOUBLE", "cost", "-cost" },
	{ "line_item_blended_rate", "VARCHAR", "rate_s", NULL },
	{ "line_item_currency_code", "VARCHAR", "'USD'", NULL },
	{ "line_item_legal_entity", "VARCHAR", "'" LEGAL_ENTITY "'", NULL },
	{ "line_item_line_item_description", "VARCHAR", "description", NULL },
	{ "line_item_line_item_type", "VARCHAR", "line_type", "'SavingsPlanNegation'" },
	{ "line_item_net_unblended_cost", "DOUBLE", "cost + discount", "-(cost + discount)" },
	{ "line_item_normalization_factor", "DOUBLE", "nf", NULL },
	{ "line_item_normalized_usage_amount", "DOUBLE", "amount * nf", NULL },
	{ "line_item_operation", "VARCHAR", "operation", NULL },
	{ "line_item_product_code", "VARCHAR", "product_code", NULL },
	{ "line_item_resource_id", "VARCHAR", "resource_id", NULL },
	{ "line_item_tax_type", "VARCHAR", NULL, NULL },
	{ "line_item_unblended_cost", "DOUBLE", "cost", "-cost" },
	{ "line_item_unblended_rate", "VARCHAR", "rate_s", NULL },
	{ "line_item_usage_account_id", "VARCHAR", "account_id", NULL },
	{ "line_item_usage_account_name", "VARCHAR", "account_name", NULL },
	{ "line_item_usage_amount", "DOUBLE", "amount", NULL },
	{ "line_item_usage_end_date", "TIMESTAMP", "ts1", NULL },
	{ "line_item_usage_start_date", "TIMESTAMP", "ts0", NULL },
	{ "line_item_usage_type", "VARCHAR", "usage_type", NULL },
	{ "pricing_currency", "VARCHAR", "'USD'", NULL },
	{ "pricing_public_on_demand_cost", "DOUBLE", "od_cost", "0.0" },
	{ "pricing_public_on_demand_rate", "VARCHAR", "od_rate_s", NULL },
	{ "pricing_purchase_option", "VARCHAR", "purchase_option", NULL },
	{ "pricing_term", "VARCHAR", "term", NULL },
	{ "pricing_unit", "VARCHAR", "unit", NULL },
	{ "product", MAP_VV, "product", NULL },
	{ "product_from_location", "VARCHAR", "from_location", NULL },
	{ "product_instance_family", "VARCHAR", "instance_family", NULL },
	{ "product_instance_type", "VARCHAR", "instance_type", NULL },
	{ "product_location", "VARCHAR", "location", NULL },
	{ "product_operation", "VARCHAR", "operation", NULL },
	{ "product_product_family", "VARCHAR", "family", NULL },
	{ "product_region_code", "VARCHAR", "region_code", NULL },
	{ "product_servicecode", "VARCHAR", "product_code", NULL },
	{ "product_sku", "VARCHAR", "sku", NULL },
	{ "product_to_location", "VARCHAR", "to_location", NULL },
	{ "product_usagetype", "VARCHAR", "usage_type", NULL },
	{ "reservation_amortized_upfront_cost_for_usage", "DOUBLE", "ri_upfront", NULL },
	{ "reservation_amortized_upfront_fee_for_billing_period", "DOUBLE", NULL, NULL },
	{ "reservation_effective_cost", "DOUBLE", "ri_upfront + ri_recurring", NULL },
	{ "reservation_end_time", "VARCHAR", "ri_end", NULL },
	{ "reservation_recurring_fee_for_usage", "DOUBLE", "ri_recurring", NULL },
	{ "reservation_reservation_a_r_n", "VARCHAR", "ri_arn", NULL },
	{ "reservation_start_time", "VARCHAR", "ri_start", NULL },
	{ "reservation_unused_amortized_upfront_fee_for_billing_period", "DOUBLE", NULL, NULL },
	{ "reservation_unused_quantity", "DOUBLE", NULL, NULL },
	{ "reservation_unused_recurring_fee", "DOUBLE", NULL, NULL },
	{ "reservation_upfront_value", "DOUBLE", NULL, NULL },
	{ "resource_tags", MAP_VV, "tags", NULL },
	{ "savings_plan_amortized_upfront_commitment_for_billing_period", "DOUBLE", NULL, NULL },
	{ "savings_plan_offering_type", "VARCHAR", "sp_offering", NULL },
	{ "savings_plan_payment_option", "VARCHAR", "sp_payment", NULL },
	{ "savings_plan_recurring_commitment_for_billing_period", "DOUBLE", NULL, NULL },
	{ "savings_plan_savings_plan_a_r_n", "VARCHAR", "sp_arn", NULL },
	{ "savings_plan_savings_plan_effective_cost", "DOUBLE", "sp_effective", "NULL" },
	{ "savings_plan_savings_plan_rate", "DOUBLE", "sp_rate", NULL },
	{ "savings_plan_total_commitment_to_date", "DOUBLE", NULL, NULL },
	{ "savings_plan_used_commitment", "DOUBLE", NULL, NULL },
};

/* ---- dates ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

int demo_parse_date(const char *s, int *days)
{
	int y, m, d, n = 0;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return -1;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int z = days_from_civil(y, m, d);
	int y2, m2, d2;
	civil_from_days(z, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d) /* 2025-02-30 */
		return -1;
	*days = z;
	return 0;
}

void demo_format_date(int days, char out[11])
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* The first day of the month `back` months before the month of day z. */
static int month_start_before(int z, int back)
{
	int y, m, d;
	civil_from_days(z, &y, &m, &d);
	int months = y * 12 + (m - 1) - back;
	return days_from_civil(months / 12, months % 12 + 1, 1);
}

/* ---- the plan: counts and positions computed in C ---- */

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

struct plan {
	const struct demo_options *opt;
	int ndays, nmonths;
	double scale;              /* of the per-account meters and the adjustments */
	int64_t count[ARRAY_SIZE(kinds)];
	int kind_lo[ARRAY_SIZE(kinds)], kind_hi[ARRAY_SIZE(kinds)]; /* LIFE_SPIKE days */
	int event_lo[ARRAY_SIZE(events)], event_hi[ARRAY_SIZE(events)];
	const char *stage;         /* where rm is staged as Parquet (see sql_usage_view) */
};

static int account_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(accounts); i++)
		if (strcmp(accounts[i].name, name) == 0)
			return (int)i;
	abort(); /* the catalogue names an account it does not define */
}

static int region_index(const char *code)
{
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++)
		if (strcmp(regions[i].code, code) == 0)
			return (int)i;
	abort();
}

static int kind_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return (int)i;
	abort();
}

static int meter_index(const char *kind, const char *usage_type)
{
	for (size_t i = 0; i < ARRAY_SIZE(meters); i++)
		if (strcmp(meters[i].kind, kind) == 0 && strcmp(meters[i].usage_type, usage_type) == 0)
			return (int)i;
	abort();
}

static int kind_meters(const struct kind *k, bool coverable_only)
{
	int n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(meters); i++)
		if (strcmp(meters[i].kind, k->name) == 0 && (!coverable_only || meters[i].coverable))
			n++;
	return n;
}

static int kind_presences(const struct kind *k)
{
	int n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(presences); i++)
		if (!k->account || strcmp(k->account, presences[i].account) == 0)
			n++;
	return n;
}

/* The share of kind k's resources in accounts with commitments. */
static double committed_share(const struct kind *k)
{
	double share = 0, all = 0;
	for (size_t i = 0; i < ARRAY_SIZE(accounts); i++) {
		if (k->account && strcmp(k->account, accounts[i].name) != 0)
			continue;
		all += accounts[i].weight;
		if (accounts[i].commitments)
			share += accounts[i].weight;
	}
	return all > 0 ? share / all : 0;
}

/* Expected line items of one pooled resource of kind k per day of the
 * range: its meters, the days it lives, the negations of its covered rows. */
static double kind_rows_per_day(const struct kind *k, int ndays)
{
	double covered = k->cover != COVER_NONE ? k->covered * committed_share(k) : 0;
	double alive = 1.0;
	if (k->life == LIFE_VARIES) /* covered resources live throughout */
		alive = covered + (1 - covered) * (P_FROM_START + (1 - P_FROM_START) * 0.5) *
				  (P_TO_END + (1 - P_TO_END) * 0.5);
	else if (k->life == LIFE_SPIKE)
		alive = 1.0 / ndays;
	double rows = kind_meters(k, false);
	if (k->cover == COVER_SP)
		rows += kind_meters(k, true) * covered;
	return alive * rows;
}

/* Line items that do not depend on the number of pooled resources: the
 * per-account meters, the Savings Plan fee, taxes, RI fees, support. */
static double fixed_rows(int ndays, int nmonths)
{
	double fixed = ndays + nmonths * 100.0;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].life == LIFE_ACCOUNT)
			fixed += (double)kind_presences(&kinds[i]) * kind_meters(&kinds[i], false) * ndays;
	return fixed;
}

static double kind_weights(void)
{
	double weights = 0;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		weights += kinds[i].weight;
	return weights;
}

/* Resources of kind k for a pool of n: its share, and at least one (more
 * for spikes and the kinds of events). */
static int64_t kind_count(size_t k, double n)
{
	int64_t c = llround(n * kinds[k].weight / kind_weights());
	int64_t least = kinds[k].life == LIFE_SPIKE ? SPIKE_MINIMUM : 1;
	for (size_t i = 0; i < ARRAY_SIZE(events); i++)
		if ((size_t)kind_index(events[i].kind) == k && least < EVENT_PINNED)
			least = EVENT_PINNED;
	return kinds[k].life == LIFE_ACCOUNT ? 0 : c < least ? least : c;
}

static double expected_rows(double n, int ndays, int nmonths)
{
	double rows = fixed_rows(ndays, nmonths);
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
		rows += (double)kind_count(k, n) * kind_rows_per_day(&kinds[k], ndays) * ndays;
	return rows;
}

/* The pool of resources that makes about `rows` line items over ndays
 * (expected_rows grows with n: bisection). */
static double pooled_resources(int64_t rows, int ndays, int nmonths)
{
	double lo = 0, hi = 1;
	while (expected_rows(hi, ndays, nmonths) < (double)rows && hi < 1e12)
		hi *= 2;
	for (int i = 0; i < 60; i++) {
		double mid = (lo + hi) / 2;
		if (expected_rows(mid, ndays, nmonths) < (double)rows)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Day of an event at `at` of the range, moved by -3..3 days by the seed. */
static int event_day(const struct plan *p, double at, uint64_t salt)
{
	int jitter = (int)(splitmix64(p->opt->seed ^ (salt * 0x9e3779b97f4a7c15ULL)) % 7) - 3;
	return clamp((int)floor(p->ndays * at) + jitter, 0, p->ndays - 1);
}

static void plan_init(struct plan *p, const struct demo_options *opt)
{
	memset(p, 0, sizeof(*p));
	p->opt = opt;
	p->ndays = opt->end - opt->start + 1;
	int y0, m0, d0, y1, m1, d1;
	civil_from_days(opt->start, &y0, &m0, &d0);
	civil_from_days(opt->end, &y1, &m1, &d1);
	p->nmonths = (y1 * 12 + m1) - (y0 * 12 + m0) + 1;

	/* scale: the pool against that of --scale 1, for what is not counted
	 * in resources (per-account meters, the credit and the refund). */
	double n = pooled_resources(opt->rows, p->ndays, p->nmonths);
	double n1 = pooled_resources((int64_t)(DEMO_ROWS_PER_SCALE * p->ndays / ROWS_DAYS), p->ndays, p->nmonths);
	p->scale = n1 > 0 ? fmax(n, 1.0) / n1 : 1.0;
	if (p->scale < 0.05)
		p->scale = 0.05;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		p->count[i] = kind_count(i, n);
		if (kinds[i].life == LIFE_SPIKE)
			p->kind_lo[i] = p->kind_hi[i] = event_day(p, kinds[i].at, 100 + i);
	}
	for (size_t i = 0; i < ARRAY_SIZE(events); i++) {
		p->event_lo[i] = event_day(p, events[i].at, i + 1);
		p->event_hi[i] = events[i].days > 0 ? clamp(p->event_lo[i] + events[i].days - 1, 0, p->ndays - 1)
						    : p->ndays - 1;
	}
}

/* ---- SQL text ---- */

/* A list of statements, run one by one. */
struct script {
	char **stmt;
	size_t n, alloc;
};

static void script_add(struct script *s, struct strbuf *sb)
{
	ALLOC_GROW(s->stmt, s->n + 1, s->alloc);
	s->stmt[s->n++] = strbuf_detach(sb);
}

static void script_release(struct script *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->stmt[i]);
	free(s->stmt);
	memset(s, 0, sizeof(*s));
}

static void add_lit(struct strbuf *sb, const char *s)
{
	if (s)
		strbuf_add_sql_literal(sb, s);
	else
		strbuf_addstr(sb, "NULL");
}

static void add_num(struct strbuf *sb, double v)
{
	strbuf_addf(sb, "%.17g", v);
}

static void add_bool(struct strbuf *sb, bool v)
{
	strbuf_addstr(sb, v ? "true" : "false");
}

static void add_index_or_null(struct strbuf *sb, int i)
{
	if (i < 0)
		strbuf_addstr(sb, "NULL");
	else
		strbuf_addf(sb, "%d", i);
}

/* ['a', 'b', ...] */
static void add_list(struct strbuf *sb, const char *const *items, size_t n)
{
	strbuf_addch(sb, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		strbuf_add_sql_literal(sb, items[i]);
	}
	strbuf_addch(sb, ']');
}

/* A hash of the seed and the arguments in [0, 1): the only randomness. */
static void sql_macros(struct script *s, const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE MACRO u01(x, y, z) AS\n"
			 "  (hash(%llu::UBIGINT, x, y, z) >> 11)::DOUBLE * 1.1102230246251565e-16",
		    (unsigned long long)p->opt->seed);
	script_add(s, &sb);
	/* 16 lowercase hex digits of a hash. */
	strbuf_addf(&sb, "CREATE MACRO hex16(x, y, z) AS\n"
			 "  lower(lpad(to_hex(hash(%llu::UBIGINT, x, y, z)), 16, '0'))",
		    (unsigned long long)p->opt->seed);
	script_add(s, &sb);
	/* CUR writes rates as text; keep up to 10 decimals, no exponent. */
	strbuf_addstr(&sb, "CREATE MACRO rate_text(x) AS\n"
			   "  CASE WHEN x = 0 THEN '0.0' ELSE\n"
			   "    regexp_replace(printf('%.10f', x), '(\\.[0-9]*[1-9])0+$|\\.0+$', '\\1') END");
	script_add(s, &sb);
}

static void sql_catalogue(struct script *s, const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	double lo = 0;

	strbuf_addstr(&sb, "CREATE TABLE account (a INTEGER, id VARCHAR, name VARCHAR, env VARCHAR,\n"
			   "  business_unit VARCHAR, weight DOUBLE, tagged DOUBLE, seasonal BOOLEAN,\n"
			   "  commitments BOOLEAN, lo DOUBLE, hi DOUBLE)");
	script_add(s, &sb);
	strbuf_addstr(&sb, "INSERT INTO account VALUES");
	for (size_t i = 0; i < ARRAY_SIZE(accounts); i++) {
		const struct account *a = &accounts[i];
		strbuf_addf(&sb, "%s\n  (%zu, ", i ? "," : "", i);
		add_lit(&sb, a->id), strbuf_addstr(&sb, ", ");
		add_lit(&sb, a->name), strbuf_addstr(&sb, ", ");
		add_lit(&sb, a->env), strbuf_addstr(&sb, ", ");
		add_lit(&sb, a->business_unit), strbuf_addstr(&sb, ", ");
		add_num(&sb, a->weight), strbuf_addstr(&sb, ", ");
		add_num(&sb, a->tagged), strbuf_addstr(&sb, ", ");
		add_bool(&sb, a->seasonal), strbuf_addstr(&sb, ", ");
		add_bool(&sb, a->commitments), strbuf_addstr(&sb, ", ");
		add_num(&sb, lo), strbuf_addstr(&sb, ", ");
		lo += a->weight;
		add_num(&sb, i + 1 == ARRAY_SIZE(accounts) ? 1.0 : lo), strbuf_addch(&sb, ')');
	}
	script_add(s, &sb);

	strbuf_addstr(&sb, "CREATE TABLE region (g INTEGER, code VARCHAR, location VARCHAR, ut VARCHAR,\n"
			   "  bare BOOLEAN, price DOUBLE)");
	script_add(s, &sb);
	strbuf_addstr(&sb, "INSERT INTO region VALUES");
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
		const struct region *r = &regions[i];
		strbuf_addf(&sb, "%s\n  (%zu, ", i ? "," : "", i);
		add_lit(&sb, r->code), strbuf_addstr(&sb, ", ");
		add_lit(&sb, r->location), strbuf_addstr(&sb, ", ");
		add_lit(&sb, r->ut), strbuf_addstr(&sb, ", ");
		add_bool(&sb, r->bare), strbuf_addstr(&sb, ", ");
		add_num(&sb, r->price), strbuf_addch(&sb, ')');
	}
	script_add(s, &sb);

	/* lo/hi: the slice of [0,1) that picks this region within the account. */
	strbuf_addstr(&sb, "CREATE TABLE presence (a INTEGER, g INTEGER, share DOUBLE, lo DOUBLE, hi DOUBLE)");
	script_add(s, &sb);
	strbuf_addstr(&sb, "INSERT INTO presence VALUES");
	for (size_t i = 0; i < ARRAY_SIZE(presences); i++) {
		const struct presence *pr = &presences[i];
		if (i == 0 || strcmp(pr->account, presences[i - 1].account) != 0)
			lo = 0;
		bool last = i + 1 == ARRAY_SIZE(presences) || strcmp(pr->account, presences[i + 1].account) != 0;
		strbuf_addf(&sb, "%s\n  (%d, %d, ", i ? "," : "", account_index(pr->account), region_index(pr->region));
		add_num(&sb, pr->share), strbuf_addstr(&sb, ", ");
		add_num(&sb, lo), strbuf_addstr(&sb, ", ");
		lo += pr->share;
		add_num(&sb, last ? 1.0 : lo), strbuf_addch(&sb, ')');
	}
	script_add(s, &sb);

	strbuf_addstr(&sb, "CREATE TABLE rtype (t INTEGER, grp VARCHAR, name VARCHAR, ut VARCHAR,\n"
			   "  family VARCHAR, op VARCHAR, rate DOUBLE, nf DOUBLE, current_gen BOOLEAN,\n"
			   "  vcpu VARCHAR, memory VARCHAR, processor VARCHAR, lo DOUBLE, hi DOUBLE)");
	script_add(s, &sb);
	strbuf_addstr(&sb, "INSERT INTO rtype VALUES");
	for (size_t i = 0; i < ARRAY_SIZE(rtypes); i++) {
		const struct rtype *t = &rtypes[i];
		double sum = 0;
		if (i == 0 || strcmp(t->group, rtypes[i - 1].group) != 0)
			lo = 0;
		for (size_t j = 0; j < ARRAY_SIZE(rtypes); j++)
			if (strcmp(rtypes[j].group, t->group) == 0)
				sum += rtypes[j].weight;
		bool last = i + 1 == ARRAY_SIZE(rtypes) || strcmp(t->group, rtypes[i + 1].group) != 0;
		strbuf_addf(&sb, "%s\n  (%zu, ", i ? "," : "", i);
		add_lit(&sb, t->group), strbuf_addstr(&sb, ", ");
		add_lit(&sb, t->name), strbuf_addstr(&sb, ", ");
		add_lit(&sb, t->ut ? t->ut : t->name), strbuf_addstr(&sb, ", ");
		add_lit(&sb, t->family), strbuf_addstr(&sb, ", ");
		add_lit(&sb, t->op), strbuf_addstr(&sb, ", ");
		add_num(&sb, t->rate), strbuf_addstr(&sb, ", ");
		if (t->nf > 0)
			add_num(&sb, t->nf);
		else
			strbuf_addstr(&sb, "NULL");
		strbuf_addstr(&sb, ", ");
		add_bool(&sb, t->current), strbuf_addstr(&sb, ", ");
		add_lit(&sb, t->vcpu), strbuf_addstr(&sb, ", ");
		add_lit(&sb, t->memory), strbuf_addstr(&sb, ", ");
		add_lit(&sb, t->processor), strbuf_addstr(&sb, ", ");
		add_num(&sb, lo), strbuf_addstr(&sb, ", ");
		lo += t->weight / sum;
		add_num(&sb, last ? 1.0 : lo), strbuf_addch(&sb, ')');
	}
	script_add(s, &sb);

	/* n: resources to make; a, g: the only account / region; d_lo, d_hi:
	 * the day of a LIFE_SPIKE kind. */
	strbuf_addstr(&sb, "CREATE TABLE kind (k INTEGER, name VARCHAR, product_code VARCHAR,\n"
			   "  service_name VARCHAR, life INTEGER, n BIGINT, grp VARCHAR, a INTEGER,\n"
			   "  g INTEGER, is_global BOOLEAN, az BOOLEAN, taggable BOOLEAN, cover INTEGER,\n"
			   "  covered DOUBLE, discount DOUBLE, d_lo INTEGER, d_hi INTEGER)");
	script_add(s, &sb);
	strbuf_addstr(&sb, "INSERT INTO kind VALUES");
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		const struct kind *k = &kinds[i];
		bool global = k->region && strcmp(k->region, "global") == 0;
		strbuf_addf(&sb, "%s\n  (%zu, ", i ? "," : "", i);
		add_lit(&sb, k->name), strbuf_addstr(&sb, ", ");
		add_lit(&sb, k->product_code), strbuf_addstr(&sb, ", ");
		add_lit(&sb, k->service_name), strbuf_addf(&sb, ", %d, %lld, ", (int)k->life, (long long)p->count[i]);
		add_lit(&sb, k->types), strbuf_addstr(&sb, ", ");
		add_index_or_null(&sb, k->account ? account_index(k->account) : -1), strbuf_addstr(&sb, ", ");
		add_index_or_null(&sb, k->region && !global ? region_index(k->region) : -1), strbuf_addstr(&sb, ", ");
		add_bool(&sb, global), strbuf_addstr(&sb, ", ");
		add_bool(&sb, k->az), strbuf_addstr(&sb, ", ");
		add_bool(&sb, k->taggable), strbuf_addf(&sb, ", %d, ", (int)k->cover);
		add_num(&sb, k->covered), strbuf_addstr(&sb, ", ");
		add_num(&sb, k->discount), strbuf_addf(&sb, ", %d, %d)", p->kind_lo[i], p->kind_hi[i]);
	}
	script_add(s, &sb);

	strbuf_addstr(&sb, "CREATE TABLE meter (mid INTEGER, k INTEGER, usage_type VARCHAR,\n"
			   "  operation VARCHAR, unit VARCHAR, family VARCHAR, description VARCHAR,\n"
			   "  rate DOUBLE, rate_mult DOUBLE, prefix INTEGER, qty DOUBLE, spread DOUBLE,\n"
			   "  noise DOUBLE, trend DOUBLE, monthly BOOLEAN, seasonal BOOLEAN,\n"
			   "  coverable BOOLEAN, term VARCHAR, location VARCHAR, to_location VARCHAR)");
	script_add(s, &sb);
	strbuf_addstr(&sb, "INSERT INTO meter VALUES");
	for (size_t i = 0; i < ARRAY_SIZE(meters); i++) {
		const struct meter *m = &meters[i];
		strbuf_addf(&sb, "%s\n  (%zu, %d, ", i ? "," : "", i, kind_index(m->kind));
		add_lit(&sb, m->usage_type), strbuf_addstr(&sb, ", ");
		add_lit(&sb, m->operation), strbuf_addstr(&sb, ", ");
		add_lit(&sb, m->unit), strbuf_addstr(&sb, ", ");
		add_lit(&sb, m->family), strbuf_addstr(&sb, ", ");
		add_lit(&sb, m->description), strbuf_addstr(&sb, ", ");
		add_num(&sb, m->rate), strbuf_addstr(&sb, ", ");
		add_num(&sb, m->rate_mult), strbuf_addf(&sb, ", %d, ", (int)m->prefix);
		add_num(&sb, m->qty), strbuf_addstr(&sb, ", ");
		add_num(&sb, m->spread), strbuf_addstr(&sb, ", ");
		add_num(&sb, m->noise), strbuf_addstr(&sb, ", ");
		add_num(&sb, m->trend), strbuf_addstr(&sb, ", ");
		add_bool(&sb, m->monthly), strbuf_addstr(&sb, ", ");
		add_bool(&sb, m->seasonal), strbuf_addstr(&sb, ", ");
		add_bool(&sb, m->coverable), strbuf_addstr(&sb, ", ");
		add_lit(&sb, m->term), strbuf_addstr(&sb, ", ");
		add_lit(&sb, m->location), strbuf_addstr(&sb, ", ");
		add_lit(&sb, m->to), strbuf_addch(&sb, ')');
	}
	script_add(s, &sb);

	strbuf_addstr(&sb, "CREATE TABLE event (mid INTEGER, a INTEGER, g INTEGER, d_lo INTEGER,\n"
			   "  d_hi INTEGER, factor DOUBLE)");
	script_add(s, &sb);
	strbuf_addstr(&sb, "INSERT INTO event VALUES");
	for (size_t i = 0; i < ARRAY_SIZE(events); i++) {
		const struct event *ev = &events[i];
		strbuf_addf(&sb, "%s\n  (%d, ", i ? "," : "", meter_index(ev->kind, ev->usage_type));
		add_index_or_null(&sb, ev->account ? account_index(ev->account) : -1), strbuf_addstr(&sb, ", ");
		add_index_or_null(&sb, ev->region ? region_index(ev->region) : -1);
		strbuf_addf(&sb, ", %d, %d, ", p->event_lo[i], p->event_hi[i]);
		add_num(&sb, ev->factor), strbuf_addch(&sb, ')');
	}
	script_add(s, &sb);

	strbuf_addstr(&sb, "CREATE TABLE service AS\n"
			   "SELECT DISTINCT product_code, service_name FROM kind");
	for (size_t i = 0; i < ARRAY_SIZE(fee_services); i++) {
		strbuf_addstr(&sb, "\nUNION ALL SELECT ");
		add_lit(&sb, fee_services[i].product_code), strbuf_addstr(&sb, ", ");
		add_lit(&sb, fee_services[i].name);
	}
	script_add(s, &sb);
}

/* The days of the range and the months they fall in. */
/* Month k of the range (0: the month of the first day). */
struct month {
	int start, next;      /* its first day and the next month's, days since 1970 */
	int first_d, days_in; /* its days in the range: [first_d, first_d + days_in) */
	bool open;            /* the range ends before the month does: no invoice yet */
	uint64_t invoice;
};

static void plan_month(const struct plan *p, int k, struct month *mo)
{
	int y, m, d;
	civil_from_days(p->opt->start, &y, &m, &d);
	int index = y * 12 + (m - 1) + k;
	mo->start = days_from_civil(index / 12, index % 12 + 1, 1);
	mo->next = days_from_civil((index + 1) / 12, (index + 1) % 12 + 1, 1);
	int first = mo->start > p->opt->start ? mo->start : p->opt->start;
	int last = mo->next - 1 < p->opt->end ? mo->next - 1 : p->opt->end;
	mo->first_d = first - p->opt->start;
	mo->days_in = last - first + 1;
	mo->open = p->opt->end < mo->next - 1;
	mo->invoice = 2000000000ULL + splitmix64(p->opt->seed ^ (0x1000u + (uint64_t)k)) % 900000000ULL;
}

static void add_timestamp(struct strbuf *sb, int days)
{
	char date[11];
	demo_format_date(days, date);
	strbuf_addf(sb, "TIMESTAMP '%s'", date);
}

/* The days of the range and the months they fall in, for the month-level
 * lines. Line items get the same values from the lists of
 * add_calendar_lists(). */
static void sql_calendar(struct script *s, const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	char start[11];
	demo_format_date(p->opt->start, start);

	strbuf_addstr(&sb, "CREATE TABLE months (m INTEGER, first_d INTEGER, days_in INTEGER, mdays INTEGER,\n"
			   "  bp0 TIMESTAMP, bp1 TIMESTAMP, invoice VARCHAR)");
	script_add(s, &sb);
	strbuf_addstr(&sb, "INSERT INTO months VALUES");
	for (int k = 0; k < p->nmonths; k++) {
		struct month mo;
		plan_month(p, k, &mo);
		strbuf_addf(&sb, "%s\n  (%d, %d, %d, %d, ", k ? "," : "", k, mo.first_d, mo.days_in, mo.next - mo.start);
		add_timestamp(&sb, mo.start), strbuf_addstr(&sb, ", ");
		add_timestamp(&sb, mo.next), strbuf_addstr(&sb, ", ");
		if (mo.open)
			strbuf_addstr(&sb, "NULL)");
		else
			strbuf_addf(&sb, "'%llu')", (unsigned long long)mo.invoice);
	}
	script_add(s, &sb);
	strbuf_addf(&sb,
		    "CREATE TABLE days AS\n"
		    "SELECT d, mo.m, (DATE '%s' + d)::TIMESTAMP AS ts0, (DATE '%s' + d + 1)::TIMESTAMP AS ts1,\n"
		    "  mo.mdays, mo.bp0, mo.bp1, mo.invoice\n"
		    "FROM (SELECT range::INTEGER AS d FROM range(%d)) r\n"
		    "  JOIN months mo ON r.d >= mo.first_d AND r.d < mo.first_d + mo.days_in\n"
		    "ORDER BY d",
		    start, start, p->ndays);
	script_add(s, &sb);
}

/* Per-day values as list literals indexed by d + 1 (month values by the
 * month index mi + 1): the line item pipeline reads them without a join,
 * which would cost it its row order. */
static void add_calendar_lists(struct strbuf *sb, const struct plan *p, const char *what)
{
	strbuf_addch(sb, '[');
	if (strcmp(what, "ivl") == 0 || strcmp(what, "mi") == 0) {
		int k = 0;
		struct month mo;
		plan_month(p, 0, &mo);
		for (int d = 0; d < p->ndays; d++) {
			char a[11], b[11];
			if (d) strbuf_addstr(sb, ", ");
			if (d % 8 == 0) strbuf_addstr(sb, "\n      ");
			if (strcmp(what, "mi") == 0) {
				while (d >= mo.first_d + mo.days_in)
					plan_month(p, ++k, &mo);
				strbuf_addf(sb, "%d", k);
				continue;
			}
			demo_format_date(p->opt->start + d, a);
			demo_format_date(p->opt->start + d + 1, b);
			strbuf_addf(sb, "'%sT00:00:00Z/%sT00:00:00Z'", a, b);
		}
	} else {
		for (int k = 0; k < p->nmonths; k++) {
			struct month mo;
			plan_month(p, k, &mo);
			if (k) strbuf_addstr(sb, ", ");
			if (strcmp(what, "bp0") == 0)
				add_timestamp(sb, mo.start);
			else if (strcmp(what, "bp1") == 0)
				add_timestamp(sb, mo.next);
			else if (strcmp(what, "mdays") == 0)
				strbuf_addf(sb, "%d", mo.next - mo.start);
			else if (mo.open)
				strbuf_addstr(sb, "NULL");
			else
				strbuf_addf(sb, "'%llu'", (unsigned long long)mo.invoice);
		}
	}
	strbuf_addch(sb, ']');
}

/* A resource id or ARN template as a SQL expression over the columns
 * acct, region, name, hx (16 hex digits) and hx2. */
static void add_template(struct strbuf *sb, const char *tmpl)
{
	static const struct {
		const char *name, *sql;
	} fields[] = {
		{ "{acct}", "acct" },
		{ "{region}", "region" },
		{ "{name}", "name" },
		{ "{hex}", "hx" },
		{ "{hex6}", "left(hx, 6)" },
		{ "{hex8}", "left(hx, 8)" },
		{ "{HEX}", "upper(left(hx, 13))" },
		{ "{uuid}", "left(hx, 8) || '-' || substr(hx, 9, 4) || '-4' || substr(hx, 13, 3) || '-a' || "
			    "substr(hx2, 1, 3) || '-' || substr(hx2, 4, 12)" },
	};
	const char *p = tmpl;
	bool first = true;
	while (*p) {
		const char *brace = strchr(p, '{');
		size_t lit = brace ? (size_t)(brace - p) : strlen(p);
		if (lit) {
			char *text = xstrndup(p, lit);
			strbuf_addstr(sb, first ? "" : " || ");
			strbuf_add_sql_literal(sb, text);
			free(text);
			first = false;
			p += lit;
			continue;
		}
		size_t i;
		for (i = 0; i < ARRAY_SIZE(fields); i++)
			if (strncmp(p, fields[i].name, strlen(fields[i].name)) == 0)
				break;
		if (i == ARRAY_SIZE(fields))
			abort(); /* a template with an unknown field */
		strbuf_addf(sb, "%s%s", first ? "" : " || ", fields[i].sql);
		first = false;
		p += strlen(fields[i].name);
	}
}

/* CASE k WHEN .. THEN <template> .. END for one template of each kind. */
static void add_kind_templates(struct strbuf *sb, bool ri)
{
	strbuf_addstr(sb, "CASE k");
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		const char *t = ri ? kinds[i].ri_id : kinds[i].id;
		if (!t)
			continue;
		strbuf_addf(sb, "\n      WHEN %zu THEN ", i);
		add_template(sb, t);
	}
	strbuf_addstr(sb, " END");
}

/* The day the LIFE_ORPHANED resource is deleted. */
static int orphan_end(const struct plan *p)
{
	return clamp((int)floor(p->ndays * ORPHAN_AT), 1, p->ndays);
}

/* The resources: pooled ones by kind and count, one per account and
 * region for LIFE_ACCOUNT kinds, and the LIFE_ORPHANED one. */
static void sql_resources(struct script *s, const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	int n = p->ndays;

	/* The first resources of a kind with an event live where the event
	 * happens, so that it happens whatever the counts. */
	struct strbuf pin_a = STRBUF_INIT, pin_g = STRBUF_INIT;
	strbuf_addstr(&pin_a, " WHEN false THEN NULL::INTEGER");
	strbuf_addstr(&pin_g, " WHEN false THEN NULL::INTEGER");
	for (size_t i = 0; i < ARRAY_SIZE(events); i++) {
		const struct event *ev = &events[i];
		int k = kind_index(ev->kind);
		if (kinds[k].life == LIFE_ACCOUNT)
			continue;
		if (ev->account)
			strbuf_addf(&pin_a, " WHEN k = %d AND i < %d THEN %d", k, EVENT_PINNED, account_index(ev->account));
		if (ev->region)
			strbuf_addf(&pin_g, " WHEN k = %d AND i < %d THEN %d", k, EVENT_PINNED, region_index(ev->region));
	}
	/* ... and the first resource of a kind that commitments can cover is
	 * a covered one (see `covered` below), whatever the counts. */
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
		if (kinds[k].cover != COVER_NONE && !kinds[k].account)
			strbuf_addf(&pin_a, " WHEN k = %zu AND i = 0 THEN %d", k, account_index("prod"));
	strbuf_addf(&sb,
		    "CREATE TABLE res AS\n"
		    "WITH draw AS (\n"
		    "  SELECT k, life, grp, is_global, az, taggable, cover, covered, d_lo, d_hi,\n"
		    "    coalesce(a, CASE%s END) AS fixed_a,\n"
		    "    coalesce(g, CASE%s END) AS fixed_g,\n"
		    "    (k::BIGINT << 32) + i AS rid, 1.0 AS mult\n"
		    "  FROM (SELECT *, unnest(range(n)) AS i FROM kind)\n"
		    "  WHERE life IN (%d, %d, %d)\n"
		    "  UNION ALL\n"
		    "  SELECT kd.k, kd.life, kd.grp, false, kd.az, kd.taggable, kd.cover, kd.covered, 0, 0,\n"
		    "    pr.a, pr.g, (kd.k::BIGINT << 32) + pr.a * 64 + pr.g, %.17g * ac.weight * pr.share\n"
		    "  FROM kind kd JOIN presence pr ON kd.a IS NULL OR kd.a = pr.a JOIN account ac ON ac.a = pr.a\n"
		    "  WHERE kd.life = %d\n"
		    "  UNION ALL\n"
		    "  SELECT k, %d, grp, false, az, taggable, cover, 1.0, 0, 0,\n"
		    "    %d, %d, (k::BIGINT << 32) + 4294967295, 1.0\n"
		    "  FROM kind WHERE k = (SELECT min(k) FROM kind WHERE cover = %d)\n"
		    "), drawn AS (\n"
		    "  SELECT *, u01(rid, 1, 0) AS ua, u01(rid, 2, 0) AS ug, u01(rid, 3, 0) AS ut,\n"
		    "    u01(rid, 4, 0) AS uz, u01(rid, 5, 0) AS us0, u01(rid, 6, 0) AS us1,\n"
		    "    u01(rid, 7, 0) AS ue0, u01(rid, 8, 0) AS ue1,\n"
		    "    CASE WHEN life = %d THEN 0.0\n"
		    "      ELSE (u01(rid, 9, 0) + u01(rid, 10, 0) + u01(rid, 11, 0) - 1.5) * 2 END AS z,\n"
		    "    u01(rid, 12, 0) AS utag, u01(rid, 13, 0) AS uteam, u01(rid, 14, 0) AS uproj,\n"
		    "    u01(rid, 15, 0) AS ucc, u01(rid, 16, 0) AS ucov, u01(rid, 17, 0) AS uapp,\n"
		    "    hex16(rid, 18, 0) AS hx, hex16(rid, 19, 0) AS hx2\n"
		    "  FROM draw\n",
		    pin_a.buf, pin_g.buf,
		    LIFE_VARIES, LIFE_ALWAYS, LIFE_SPIKE, p->scale, LIFE_ACCOUNT, LIFE_ORPHANED,
		    account_index("prod"), region_index("eu-west-1"), COVER_RI, LIFE_ACCOUNT);
	strbuf_release(&pin_a);
	strbuf_release(&pin_g);
	/* The account by weight, the region by the account's presence, the
	 * type by weight in its group. */
	strbuf_addstr(&sb,
		      "), placed AS (\n"
		      "  SELECT dr.*, coalesce(dr.fixed_a, ac.a) AS a\n"
		      "  FROM drawn dr LEFT JOIN account ac\n"
		      "    ON dr.fixed_a IS NULL AND dr.ua >= ac.lo AND dr.ua < ac.hi\n"
		      "), located AS (\n"
		      "  SELECT pl.*, CASE WHEN pl.is_global THEN NULL ELSE coalesce(pl.fixed_g, pr.g) END AS g\n"
		      "  FROM placed pl LEFT JOIN presence pr\n"
		      "    ON pl.fixed_g IS NULL AND NOT pl.is_global AND pr.a = pl.a AND pl.ug >= pr.lo AND pl.ug < pr.hi\n"
		      "), typed AS (\n"
		      "  SELECT lo.*, rt.t FROM located lo LEFT JOIN rtype rt\n"
		      "    ON rt.grp = lo.grp AND lo.ut >= rt.lo AND lo.ut < rt.hi\n"
		      "), covered AS (\n"
		      "  SELECT ty.*, ac.commitments AND ty.cover <> 0\n"
		      "    AND (ty.ucov < ty.covered OR (ty.rid & 4294967295) = 0) AS is_covered\n"
		      "  FROM typed ty JOIN account ac USING (a)\n");
	/* Lifetimes: [start_day, end_day). Commitments cover the steady
	 * baseline: covered resources run from the first day to the last,
	 * but for the one deleted while its reservation runs on. */
	strbuf_addf(&sb,
		    "), lived AS (\n"
		    "  SELECT *, CASE WHEN life = %d THEN 0 WHEN is_covered THEN 0\n"
		    "      WHEN life = %d THEN CASE WHEN us0 < %g THEN 0 ELSE floor(us1 * %d)::INTEGER END\n"
		    "      WHEN life = %d THEN d_lo ELSE 0 END AS start_day\n"
		    "  FROM covered\n"
		    "), ended AS (\n"
		    "  SELECT *, CASE WHEN life = %d THEN %d WHEN is_covered THEN %d\n"
		    "      WHEN life = %d THEN CASE WHEN ue0 < %g THEN %d\n"
		    "        ELSE start_day + 1 + floor(ue1 * (%d - start_day))::INTEGER END\n"
		    "      WHEN life = %d THEN d_hi + 1 ELSE %d END AS end_day\n"
		    "  FROM lived\n",
		    LIFE_ORPHANED, LIFE_VARIES, P_FROM_START, n, LIFE_SPIKE,
		    LIFE_ORPHANED, orphan_end(p), n, LIFE_VARIES, P_TO_END, n, n, LIFE_SPIKE, n);
	/* Names, tags, coverage. */
	strbuf_addstr(&sb,
		      "), named AS (\n"
		      "  SELECT en.*, ac.id AS acct, rg.code AS region,\n"
		      "    ac.name || '-' || ");
	add_list(&sb, apps, ARRAY_SIZE(apps));
	strbuf_addf(&sb, "[1 + floor(uapp * %zu)::INTEGER] || '-' || left(hx2, 6) AS name,\n", ARRAY_SIZE(apps));
	strbuf_addstr(&sb, "    en.taggable AND en.utag < ac.tagged AS tagged,\n    ");
	add_list(&sb, teams, ARRAY_SIZE(teams));
	strbuf_addf(&sb, "[1 + floor(uteam * %zu)::INTEGER] AS team,\n    ", ARRAY_SIZE(teams));
	add_list(&sb, cost_centers, ARRAY_SIZE(cost_centers));
	strbuf_addf(&sb, "[1 + floor(uteam * %zu)::INTEGER] AS cost_center,\n    ", ARRAY_SIZE(teams));
	add_list(&sb, projects, ARRAY_SIZE(projects));
	strbuf_addf(&sb, "[1 + floor(uapp * %zu)::INTEGER] AS project,\n", ARRAY_SIZE(projects));
	strbuf_addstr(&sb,
		      "    ac.env\n"
		      "  FROM ended en JOIN account ac USING (a) LEFT JOIN region rg USING (g)\n"
		      ")\n"
		      "SELECT rid, k, a, g, t, life, mult, z, start_day, end_day,\n"
		      "  CASE WHEN az THEN region || ['a', 'b', 'c'][1 + floor(uz * 3)::INTEGER] END AS az,\n"
		      "  CASE WHEN tagged THEN map_from_entries(list_filter([\n"
		      "      {'k': 'user_team', 'v': team},\n"
		      "      {'k': 'user_env', 'v': env},\n"
		      "      {'k': 'user_project', 'v': CASE WHEN uproj < 0.95 THEN team || '-' || project END},\n"
		      "      {'k': 'user_cost_center', 'v': CASE WHEN ucc < 0.88 THEN cost_center END}],\n"
		      "    e -> e.v IS NOT NULL))\n"
		      "    ELSE MAP {}::" MAP_VV " END AS tags,\n"
		      "  ");
	add_kind_templates(&sb, false);
	strbuf_addstr(&sb, " AS resource_id,\n"
			   "  is_covered AS covered,\n"
			   "  CASE WHEN is_covered AND cover = 2 THEN ");
	add_kind_templates(&sb, true);
	strbuf_addstr(&sb, " END AS ri_arn\n"
			   "FROM named ORDER BY rid");
	script_add(s, &sb);
}

/* Resource x meter: everything about a line item that does not change
 * from day to day. lt: 0 Usage, 1 SavingsPlanCoveredUsage, 2 DiscountedUsage. */
static void sql_resource_meters(struct script *s, const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	char start[11];
	demo_format_date(p->opt->start, start);

	strbuf_addf(&sb,
		    "CREATE TABLE rm AS\n"
		    "WITH joined AS (\n"
		    "  SELECT r.rid, m.mid, r.a, r.start_day, r.end_day, r.az, r.tags, r.resource_id, r.ri_arn,\n"
		    "    m.qty * r.mult * exp(m.spread * r.z) AS base, m.trend, m.noise, m.monthly,\n"
		    "    m.seasonal AND ac.seasonal AND NOT r.covered AS season,\n"
		    "    coalesce(ev.d_lo, -1) AS ev_lo, coalesce(ev.d_hi, -1) AS ev_hi, coalesce(ev.factor, 1.0) AS ev_factor,\n"
		    "    CASE WHEN r.covered AND m.coverable THEN kd.cover ELSE 0 END AS lt,\n"
		    "    kd.product_code, kd.service_name, kd.discount, m.unit, m.family, m.term, m.rate_mult,\n"
		    "    ac.id AS account_id, ac.name AS account_name,\n"
		    "    CASE WHEN ac.business_unit IS NULL THEN MAP {}::" MAP_VV "\n"
		    "      ELSE MAP {'BusinessUnit': ac.business_unit} END AS cost_category,\n"
		    "    CASE m.prefix WHEN 0 THEN '' WHEN 1 THEN CASE WHEN rg.bare THEN '' ELSE rg.ut || '-' END\n"
		    "      ELSE rg.ut || '-' END AS prefix,\n"
		    "    replace(m.usage_type, '{type}', coalesce(rt.ut, '')) AS ut_suffix,\n"
		    "    replace(m.operation, '{op}', coalesce(rt.op, '')) AS operation,\n"
		    "    m.description, rt.name AS type_name, rt.vcpu IS NOT NULL AS is_instance,\n"
		    "    rt.family AS type_family, rt.nf, rt.vcpu, rt.memory, rt.processor, rt.current_gen, kd.grp,\n"
		    "    rg.code AS region_code, coalesce(m.location, rg.location) AS location, m.to_location, rg.location AS region_location,\n"
		    "    rate_text(round(CASE WHEN m.rate > 0 THEN m.rate ELSE rt.rate END * coalesce(rg.price, 1.0), 10)) AS od_rate_s\n"
		    "  FROM res r JOIN kind kd ON kd.k = r.k JOIN meter m ON m.k = r.k JOIN account ac ON ac.a = r.a\n"
		    "    LEFT JOIN region rg ON rg.g = r.g LEFT JOIN rtype rt ON rt.t = r.t\n"
		    "    LEFT JOIN event ev ON ev.mid = m.mid AND (ev.a IS NULL OR ev.a = r.a) AND (ev.g IS NULL OR ev.g = r.g)\n"
		    "  WHERE r.end_day > r.start_day\n"
		    "), priced AS (\n"
		    "  SELECT *, od_rate_s::DOUBLE AS od_rate,\n"
		    "    CASE WHEN lt = 2 THEN '0.0' ELSE rate_text(round(od_rate_s::DOUBLE * rate_mult, 10)) END AS rate_s,\n"
		    "    CASE WHEN lt = 1 THEN round(od_rate_s::DOUBLE * (1 - discount), 10) END AS sp_rate,\n"
		    "    prefix || ut_suffix AS usage_type\n"
		    "  FROM joined\n"
		    ")\n"
		    "SELECT row_number() OVER (ORDER BY rid, mid)::INTEGER AS i,\n"
		    "  rid, mid, a, start_day, end_day, base, trend, noise, monthly, season,\n"
		    "  ev_lo, ev_hi, ev_factor, lt,\n"
		    "  ['Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage'][lt + 1] AS line_type,\n"
		    "  rate_s, rate_s::DOUBLE AS rate, od_rate_s, od_rate, sp_rate,\n"
		    "  hex16(rid, mid, 1) AS line_pre, hex16(rid, mid, 2) AS negation_pre,\n"
		    "  account_id, account_name, cost_category, az, resource_id, tags, product_code,\n"
		    "  usage_type, operation, unit, family,\n"
		    "  replace(replace(description, '{rate}', od_rate_s), '{type}', coalesce(type_name, '')) AS description,\n"
		    "  CASE WHEN lt = 2 THEN 'Reserved' ELSE coalesce(term, 'OnDemand') END AS term,\n"
		    "  CASE WHEN lt = 2 THEN 'Partial Upfront' END AS purchase_option,\n"
		    "  region_code, location,\n"
		    "  CASE WHEN to_location IS NOT NULL THEN region_location END AS from_location,\n"
		    "  CASE WHEN to_location = 'same' THEN region_location ELSE to_location END AS to_location,\n"
		    "  CASE WHEN is_instance THEN type_name END AS instance_type,\n"
		    "  CASE WHEN is_instance THEN type_family END AS instance_family,\n"
		    "  nf,\n"
		    "  upper(lpad(to_hex(hash(usage_type, operation, region_code)), 16, '0')) AS sku,\n"
		    "  map_from_entries(list_filter([\n"
		    "      {'k': 'product_name', 'v': service_name},\n"
		    "      {'k': 'servicename', 'v': service_name},\n"
		    "      {'k': 'region', 'v': region_code},\n"
		    "      {'k': 'instance_type', 'v': CASE WHEN is_instance THEN type_name END},\n"
		    "      {'k': 'vcpu', 'v': vcpu},\n"
		    "      {'k': 'memory', 'v': memory},\n"
		    "      {'k': 'physical_processor', 'v': processor},\n"
		    "      {'k': 'current_generation', 'v': CASE WHEN is_instance THEN CASE WHEN current_gen THEN 'Yes' ELSE 'No' END END},\n"
		    "      {'k': 'operating_system', 'v': CASE WHEN grp IN ('ec2', 'ec2big') THEN 'Linux' END},\n"
		    "      {'k': 'tenancy', 'v': CASE WHEN grp IN ('ec2', 'ec2big') THEN 'Shared' END},\n"
		    "      {'k': 'volume_api_name', 'v': CASE WHEN grp = 'ebs' THEN type_name END}],\n"
		    "    e -> e.v IS NOT NULL)) AS product,\n"
		    "  CASE WHEN lt = 1 THEN 'arn:aws:savingsplans::%s:savingsplan/' || hex16(0, 0, 3) END AS sp_arn,\n"
		    "  CASE WHEN lt = 1 THEN 'ComputeSavingsPlans' END AS sp_offering,\n"
		    "  CASE WHEN lt = 1 THEN 'No Upfront' END AS sp_payment,\n"
		    "  CASE WHEN lt = 2 THEN ri_arn END AS ri_arn,\n"
		    "  CASE WHEN lt = 2 THEN '%sT00:00:00.000Z' END AS ri_start,\n"
		    "  CASE WHEN lt = 2 THEN strftime(DATE '%s' + INTERVAL 3 YEAR, '%%Y-%%m-%%dT00:00:00.000Z') END AS ri_end,\n"
		    "  CASE WHEN lt = 2 THEN round(od_rate * (1 - discount) / 2, 6) END AS ri_rh,\n"
		    "  CASE WHEN lt = 2 THEN od_rate * (1 - discount) - round(od_rate * (1 - discount) / 2, 6) END AS ri_uh\n"
		    "FROM priced ORDER BY rid, mid",
		    accounts[account_index("prod")].id, start, start);
	script_add(s, &sb);
}

/* One line item per resource, meter and day, with its usage and costs.
 *
 * rm is staged as a Parquet file with small row groups and the days are
 * unnested from it: the Parquet scan runs on every thread and keeps its
 * order, and nothing in the pipeline joins (a join would lose the order),
 * so COPY writes the same bytes on any number of threads. A scan of the
 * small rm table would run on one thread. */
static void sql_usage_view(struct script *s, const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	char start[11];
	int dow0;
	demo_format_date(p->opt->start, start);
	dow0 = ((p->opt->start % 7) + 10) % 7; /* 0: Monday (1970-01-01 was a Thursday) */

	strbuf_addstr(&sb, "COPY rm TO ");
	strbuf_add_sql_literal(&sb, p->stage);
	strbuf_addstr(&sb, " (FORMAT parquet, ROW_GROUP_SIZE 512)");
	script_add(s, &sb);

	strbuf_addf(&sb,
		    "CREATE VIEW u AS\n"
		    "SELECT x.*, amount * rate AS cost, amount * od_rate AS od_cost,\n"
		    "  -%.17g * amount * rate AS discount,\n"
		    "  amount * sp_rate AS sp_effective,\n"
		    "  amount * ri_uh AS ri_upfront, amount * ri_rh AS ri_recurring,\n"
		    "  line_pre || lower(to_hex(hash(%llu::UBIGINT, rid, mid, d, 1) | (1::UBIGINT << 63))) AS line_id,\n"
		    "  negation_pre || lower(to_hex(hash(%llu::UBIGINT, rid, mid, d, 2) | (1::UBIGINT << 63))) AS negation_id\n"
		    "FROM (\n"
		    "  SELECT e.*,\n"
		    "    e.base * greatest(0.05, 1 + e.trend * e.d / 30.4375)\n"
		    "      * CASE WHEN e.season AND (e.d + %d) %% 7 >= 5 THEN %.17g ELSE 1.0 END\n"
		    "      * (1 + e.noise * (2 * u01(e.rid, e.mid, e.d) - 1))\n"
		    "      * CASE WHEN e.d BETWEEN e.ev_lo AND e.ev_hi THEN e.ev_factor ELSE 1.0 END\n"
		    "      / CASE WHEN e.monthly THEN e.mdays ELSE 1 END AS amount\n"
		    "  FROM (\n"
		    "    SELECT r.*,\n"
		    "      (DATE '%s' + r.d)::TIMESTAMP AS ts0, (DATE '%s' + r.d + 1)::TIMESTAMP AS ts1,\n",
		    EDP_DISCOUNT, (unsigned long long)p->opt->seed, (unsigned long long)p->opt->seed,
		    dow0, WEEKEND_FACTOR, start, start);
	static const char *const month_values[] = { "bp0", "bp1", "invoice", "mdays" };
	for (size_t i = 0; i < ARRAY_SIZE(month_values); i++) {
		strbuf_addstr(&sb, "      ");
		add_calendar_lists(&sb, p, month_values[i]);
		strbuf_addf(&sb, "[r.mi + 1] AS %s,\n", month_values[i]);
	}
	strbuf_addstr(&sb, "      ");
	add_calendar_lists(&sb, p, "ivl");
	strbuf_addstr(&sb, "[r.d + 1] AS ivl\n"
			   "    FROM (\n"
			   "      SELECT q.*, ");
	add_calendar_lists(&sb, p, "mi");
	strbuf_addstr(&sb, "[q.d + 1] AS mi\n"
			   "      FROM (SELECT *, unnest(range(start_day, end_day))::INTEGER AS d FROM read_parquet(");
	strbuf_add_sql_literal(&sb, p->stage);
	strbuf_addstr(&sb, ")) q\n"
			   "    ) r\n"
			   "  ) e\n"
			   ") x");
	script_add(s, &sb);
}

/* The sums the month-level lines are computed from. */
static void sql_aggregate(struct script *s)
{
	struct strbuf sb = STRBUF_INIT;
	/* Sums of nano-dollars as integers: exact, so the same on any number
	 * of threads (floating-point sums depend on the order). */
	strbuf_addstr(&sb, "CREATE MACRO nano(x) AS round(coalesce(x, 0) * 1e9)::BIGINT");
	script_add(s, &sb);
	strbuf_addstr(&sb, "CREATE TABLE agg AS\n"
			   "SELECT a, product_code, d, lt, count(*) AS n, sum(nano(cost)) AS cost_n,\n"
			   "  sum(nano(sp_effective)) AS sp_n, sum(nano(ri_upfront + ri_recurring)) AS ri_n\n"
			   "FROM u GROUP BY ALL ORDER BY ALL");
	script_add(s, &sb);
}

/* Insert the rows of `source` into extra, adding what every month-level
 * line shares. source has the columns a (account), d0 (its first day),
 * monthly (spans the billing period), svc (service name), the output
 * columns it fills, and at least line_item_line_item_type,
 * line_item_product_code, line_item_usage_type, line_item_resource_id,
 * product_region_code and line_item_unblended_cost. */
static void add_extra(struct script *s, const char *what, const char *source, const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb,
		    "-- %s\n"
		    "INSERT INTO extra BY NAME\n"
		    "SELECT s.* EXCLUDE (a, d0, monthly, svc),\n"
		    "  'Anniversary' AS bill_bill_type, 'AWS' AS bill_billing_entity,\n"
		    "  dy.bp1 AS bill_billing_period_end_date, dy.bp0 AS bill_billing_period_start_date,\n"
		    "  dy.invoice AS bill_invoice_id, '" LEGAL_ENTITY "' AS bill_invoicing_entity,\n"
		    "  '" PAYER_ID "' AS bill_payer_account_id, '" PAYER_NAME "' AS bill_payer_account_name,\n"
		    "  CASE WHEN ac.business_unit IS NULL THEN MAP {}::" MAP_VV "\n"
		    "    ELSE MAP {'BusinessUnit': ac.business_unit} END AS cost_category,\n"
		    "  0.0 AS discount_total_discount,\n"
		    "  lower(lpad(to_hex(hash(%llu::UBIGINT, s.line_item_line_item_type, s.a, s.d0,\n"
		    "    s.line_item_product_code, s.line_item_resource_id, 1)), 16, '0')) ||\n"
		    "  lower(lpad(to_hex(hash(%llu::UBIGINT, s.line_item_line_item_type, s.a, s.d0,\n"
		    "    s.line_item_product_code, s.line_item_resource_id, 2)), 16, '0')) AS identity_line_item_id,\n"
		    "  strftime(dy.ts0, '%%Y-%%m-%%dT%%H:%%M:%%SZ/') ||\n"
		    "    strftime(CASE WHEN s.monthly THEN dy.bp1 ELSE dy.ts1 END, '%%Y-%%m-%%dT%%H:%%M:%%SZ') AS identity_time_interval,\n"
		    "  s.line_item_unblended_cost AS line_item_blended_cost,\n"
		    "  s.line_item_unblended_rate AS line_item_blended_rate,\n"
		    "  'USD' AS line_item_currency_code, '" LEGAL_ENTITY "' AS line_item_legal_entity,\n"
		    "  s.line_item_unblended_cost AS line_item_net_unblended_cost,\n"
		    "  ac.id AS line_item_usage_account_id, ac.name AS line_item_usage_account_name,\n"
		    "  dy.ts0 AS line_item_usage_start_date,\n"
		    "  CASE WHEN s.monthly THEN dy.bp1 ELSE dy.ts1 END AS line_item_usage_end_date,\n"
		    "  'USD' AS pricing_currency,\n"
		    "  s.line_item_product_code AS product_servicecode,\n"
		    "  s.line_item_usage_type AS product_usagetype,\n"
		    "  map_from_entries(list_filter([\n"
		    "      {'k': 'product_name', 'v': s.svc},\n"
		    "      {'k': 'servicename', 'v': s.svc},\n"
		    "      {'k': 'region', 'v': s.product_region_code}],\n"
		    "    e -> e.v IS NOT NULL)) AS product,\n"
		    "  upper(lpad(to_hex(hash(s.line_item_product_code, s.line_item_usage_type,\n"
		    "    s.product_region_code, s.line_item_line_item_type)), 16, '0')) AS product_sku,\n"
		    "  MAP {}::" MAP_VV " AS resource_tags\n"
		    "FROM (\n%s\n) s JOIN account ac USING (a) JOIN days dy ON dy.d = s.d0\n"
		    "ORDER BY ALL",
		    what, (unsigned long long)p->opt->seed, (unsigned long long)p->opt->seed, source);
	script_add(s, &sb);
}

/* The SQL for the usage type prefix of region alias rg in a source. */
#define STD_PREFIX "CASE WHEN rg.bare THEN '' ELSE rg.ut || '-' END"

static void sql_extras(struct script *s, const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	char start[11];
	demo_format_date(p->opt->start, start);
	const char *prod_id = accounts[account_index("prod")].id;

	strbuf_addstr(&sb, "CREATE TABLE extra (");
	for (size_t i = 0; i < ARRAY_SIZE(columns); i++)
		strbuf_addf(&sb, "%s\n  %s %s", i ? "," : "", columns[i].name, columns[i].type);
	strbuf_addstr(&sb, ")");
	script_add(s, &sb);

	/* The Savings Plan: an hourly commitment just above the busiest day's
	 * covered cost, so that some of it goes unused every day. */
	strbuf_addf(&sb,
		    "CREATE TABLE sp AS\n"
		    "SELECT coalesce(ceil(max(used) * %.17g / 24 * 1000) / 1000, 0) AS hourly\n"
		    "FROM (SELECT d, sum(sp_n) / 1e9 AS used FROM agg WHERE lt = 1 GROUP BY d)",
		    SP_HEADROOM);
	script_add(s, &sb);

	strbuf_addf(&sb,
		    "SELECT %d AS a, dy.d AS d0, false AS monthly, 'Savings Plans for AWS Compute usage' AS svc,\n"
		    "  'SavingsPlanRecurringFee' AS line_item_line_item_type,\n"
		    "  'ComputeSavingsPlans' AS line_item_product_code,\n"
		    "  'ComputeSP:3yrNoUpfront' AS line_item_usage_type, NULL::VARCHAR AS product_region_code,\n"
		    "  'arn:aws:savingsplans::%s:savingsplan/' || hex16(0, 0, 3) AS line_item_resource_id,\n"
		    "  '3 year No Upfront Compute Savings Plan' AS line_item_line_item_description,\n"
		    "  24.0 AS line_item_usage_amount, 'Hrs' AS pricing_unit,\n"
		    "  rate_text(sp.hourly) AS line_item_unblended_rate, rate_text(sp.hourly) AS pricing_public_on_demand_rate,\n"
		    "  24 * sp.hourly AS line_item_unblended_cost, 0.0 AS pricing_public_on_demand_cost,\n"
		    "  'arn:aws:savingsplans::%s:savingsplan/' || hex16(0, 0, 3) AS savings_plan_savings_plan_a_r_n,\n"
		    "  'ComputeSavingsPlans' AS savings_plan_offering_type, 'No Upfront' AS savings_plan_payment_option,\n"
		    "  24 * sp.hourly AS savings_plan_total_commitment_to_date,\n"
		    "  least(coalesce(us.used, 0), 24 * sp.hourly) AS savings_plan_used_commitment,\n"
		    "  24 * sp.hourly * dy.mdays AS savings_plan_recurring_commitment_for_billing_period,\n"
		    "  0.0 AS savings_plan_amortized_upfront_commitment_for_billing_period\n"
		    "FROM days dy CROSS JOIN sp\n"
		    "  LEFT JOIN (SELECT d, sum(sp_n) / 1e9 AS used FROM agg WHERE lt = 1 GROUP BY d) us ON us.d = dy.d\n"
		    "WHERE sp.hourly > 0",
		    account_index("prod"), prod_id, prod_id);
	char *src = strbuf_detach(&sb);
	add_extra(s, "Savings Plan recurring fee, daily", src, p);
	free(src);

	/* Reservations: those of covered resources and the one bought for
	 * nothing; each pays its recurring fee every hour of the month,
	 * used or not. */
	strbuf_addf(&sb,
		    "CREATE TABLE ri AS\n"
		    "SELECT r.rid, r.a, r.start_day, r.end_day,\n"
		    "  r.ri_arn AS arn,\n"
		    "  kd.product_code, kd.service_name, rg.code AS region_code, rg.location,\n"
		    "  " STD_PREFIX " || 'HeavyUsage:' || rt.name AS usage_type, rt.name AS type_name, rt.family,\n"
		    "  rate_text(round(rt.rate * rg.price, 10))::DOUBLE * (1 - kd.discount) AS effective,\n"
		    "  round(rate_text(round(rt.rate * rg.price, 10))::DOUBLE * (1 - kd.discount) / 2, 6) AS rh\n"
		    "FROM res r JOIN kind kd ON kd.k = r.k JOIN region rg ON rg.g = r.g JOIN rtype rt ON rt.t = r.t\n"
		    "WHERE r.covered AND kd.cover = %d ORDER BY r.rid",
		    COVER_RI);
	script_add(s, &sb);
	strbuf_addstr(&sb, "ALTER TABLE ri ADD COLUMN uh DOUBLE");
	script_add(s, &sb);
	strbuf_addstr(&sb, "UPDATE ri SET uh = effective - rh");
	script_add(s, &sb);

	strbuf_addf(&sb,
		    "SELECT ri.a, 0 AS d0, false AS monthly, ri.service_name AS svc,\n"
		    "  'Fee' AS line_item_line_item_type, ri.product_code AS line_item_product_code,\n"
		    "  ri.usage_type AS line_item_usage_type, ri.region_code AS product_region_code,\n"
		    "  ri.location AS product_location, ri.arn AS line_item_resource_id,\n"
		    "  'Sign up charge for subscription: ' || ri.arn AS line_item_line_item_description,\n"
		    "  1.0 AS line_item_usage_amount, 'Quantity' AS pricing_unit,\n"
		    "  rate_text(ri.uh * %d) AS line_item_unblended_rate, rate_text(ri.uh * %d) AS pricing_public_on_demand_rate,\n"
		    "  rate_text(ri.uh * %d)::DOUBLE AS line_item_unblended_cost, 0.0 AS pricing_public_on_demand_cost,\n"
		    "  'Reserved' AS pricing_term, 'Partial Upfront' AS pricing_purchase_option,\n"
		    "  ri.type_name AS product_instance_type, ri.family AS product_instance_family,\n"
		    "  ri.arn AS reservation_reservation_a_r_n, rate_text(ri.uh * %d)::DOUBLE AS reservation_upfront_value,\n"
		    "  '%sT00:00:00.000Z' AS reservation_start_time,\n"
		    "  strftime(DATE '%s' + INTERVAL 3 YEAR, '%%Y-%%m-%%dT00:00:00.000Z') AS reservation_end_time\n"
		    "FROM ri",
		    RI_TERM_HOURS, RI_TERM_HOURS, RI_TERM_HOURS, RI_TERM_HOURS, start, start);
	src = strbuf_detach(&sb);
	add_extra(s, "reservations bought on the first day: their upfront fee", src, p);
	free(src);

	strbuf_addf(&sb,
		    "SELECT ri.a, mo.first_d AS d0, true AS monthly, ri.service_name AS svc,\n"
		    "  'RIFee' AS line_item_line_item_type, ri.product_code AS line_item_product_code,\n"
		    "  ri.usage_type AS line_item_usage_type, ri.region_code AS product_region_code,\n"
		    "  ri.location AS product_location, ri.arn AS line_item_resource_id,\n"
		    "  'USD ' || rate_text(ri.rh) || ' hourly fee per ' || ri.type_name || ' instance' AS line_item_line_item_description,\n"
		    "  h AS line_item_usage_amount, 'Hrs' AS pricing_unit,\n"
		    "  rate_text(ri.rh) AS line_item_unblended_rate, rate_text(ri.rh) AS pricing_public_on_demand_rate,\n"
		    "  ri.rh * h AS line_item_unblended_cost, 0.0 AS pricing_public_on_demand_cost,\n"
		    "  'Reserved' AS pricing_term, 'Partial Upfront' AS pricing_purchase_option,\n"
		    "  ri.type_name AS product_instance_type, ri.family AS product_instance_family,\n"
		    "  ri.arn AS reservation_reservation_a_r_n,\n"
		    "  ri.uh * h AS reservation_amortized_upfront_fee_for_billing_period,\n"
		    "  h - used AS reservation_unused_quantity,\n"
		    "  ri.uh * (h - used) AS reservation_unused_amortized_upfront_fee_for_billing_period,\n"
		    "  ri.rh * (h - used) AS reservation_unused_recurring_fee,\n"
		    "  '%sT00:00:00.000Z' AS reservation_start_time,\n"
		    "  strftime(DATE '%s' + INTERVAL 3 YEAR, '%%Y-%%m-%%dT00:00:00.000Z') AS reservation_end_time\n"
		    "FROM (SELECT ri.*, mo.m, mo.days_in * 24.0 AS h,\n"
		    "        greatest(0, least(ri.end_day, mo.first_d + mo.days_in) - greatest(ri.start_day, mo.first_d)) * 24.0 AS used\n"
		    "      FROM ri CROSS JOIN months mo) ri\n"
		    "  JOIN months mo USING (m)",
		    start, start);
	src = strbuf_detach(&sb);
	add_extra(s, "reservations: the monthly recurring fee, used or not", src, p);
	free(src);

	/* Support: tiers of everything charged in the month so far. */
	strbuf_addf(&sb,
		    "SELECT %d AS a, mo.first_d AS d0, true AS monthly, 'AWS Support (Business)' AS svc,\n"
		    "  'Fee' AS line_item_line_item_type, 'AWSSupportBusiness' AS line_item_product_code,\n"
		    "  'Dollar' AS line_item_usage_type, NULL::VARCHAR AS product_region_code,\n"
		    "  NULL::VARCHAR AS line_item_resource_id, 'AWS Support (Business)' AS line_item_line_item_description,\n"
		    "  fee AS line_item_usage_amount, 'Dollar' AS pricing_unit,\n"
		    "  '1.0' AS line_item_unblended_rate, '1.0' AS pricing_public_on_demand_rate,\n"
		    "  fee AS line_item_unblended_cost, 0.0 AS pricing_public_on_demand_cost,\n"
		    "  'OnDemand' AS pricing_term\n"
		    "FROM (SELECT m, round(greatest(%.17g",
		    account_index("shared-services"), SUPPORT_MINIMUM);
	{
		double below = 0;
		strbuf_addstr(&sb, ",\n    ");
		for (size_t i = 0; i < ARRAY_SIZE(support_tiers); i++) {
			const struct tier *t = &support_tiers[i];
			if (i)
				strbuf_addstr(&sb, "\n    + ");
			if (t->upto > 0)
				strbuf_addf(&sb, "%g * greatest(0, least(base, %g) - %g)", t->share, t->upto, below);
			else
				strbuf_addf(&sb, "%g * greatest(0, base - %g)", t->share, below);
			below = t->upto;
		}
	}
	strbuf_addstr(&sb, "), 2) AS fee\n"
			   "  FROM (SELECT m, sum(c) / 1e9 AS base FROM (\n"
			   "      SELECT dy.m, ag.cost_n AS c FROM agg ag JOIN days dy USING (d) WHERE ag.lt <> 1\n"
			   "      UNION ALL\n"
			   "      SELECT mo.m, nano(e.line_item_unblended_cost) FROM extra e\n"
			   "        JOIN months mo ON mo.bp0 = e.bill_billing_period_start_date)\n"
			   "    GROUP BY m)) f\n"
			   "  JOIN months mo USING (m)");
	src = strbuf_detach(&sb);
	add_extra(s, "AWS Business support, monthly", src, p);
	free(src);

	/* Tax: one line per account, service and month, on what was charged. */
	strbuf_addf(&sb,
		    "SELECT b.a, mo.first_d AS d0, true AS monthly, sv.service_name AS svc,\n"
		    "  'Tax' AS line_item_line_item_type, b.product_code AS line_item_product_code,\n"
		    "  'Tax' AS line_item_usage_type, NULL::VARCHAR AS product_region_code,\n"
		    "  NULL::VARCHAR AS line_item_resource_id,\n"
		    "  'Tax for product code ' || b.product_code AS line_item_line_item_description,\n"
		    "  'Sales tax' AS line_item_tax_type,\n"
		    "  0.0 AS line_item_usage_amount, '0.0' AS line_item_unblended_rate, '0.0' AS pricing_public_on_demand_rate,\n"
		    "  round(b.base * %.17g, 6) AS line_item_unblended_cost, 0.0 AS pricing_public_on_demand_cost\n"
		    "FROM (SELECT a, product_code, m, sum(c) / 1e9 AS base FROM (\n"
		    "      SELECT ag.a, ag.product_code, dy.m, ag.cost_n AS c FROM agg ag JOIN days dy USING (d) WHERE ag.lt <> 1\n"
		    "      UNION ALL\n"
		    "      SELECT ac.a, e.line_item_product_code, mo.m, nano(e.line_item_unblended_cost) FROM extra e\n"
		    "        JOIN account ac ON ac.id = e.line_item_usage_account_id\n"
		    "        JOIN months mo ON mo.bp0 = e.bill_billing_period_start_date)\n"
		    "    GROUP BY ALL HAVING sum(c) > 0) b\n"
		    "  JOIN months mo USING (m) JOIN service sv USING (product_code)",
		    TAX_RATE);
	src = strbuf_detach(&sb);
	add_extra(s, "tax per account, service and month", src, p);
	free(src);

	/* A credit and a refund. */
	strbuf_addstr(&sb, "SELECT * FROM (VALUES");
	for (size_t i = 0; i < ARRAY_SIZE(adjustments); i++) {
		const struct adjustment *ad = &adjustments[i];
		int m = clamp((int)floor(p->nmonths * ad->at), 0, p->nmonths - 1);
		strbuf_addf(&sb, "%s\n    (%d, %d, ", i ? "," : "", account_index(ad->account), m);
		add_lit(&sb, ad->type), strbuf_addstr(&sb, ", ");
		add_lit(&sb, ad->product_code), strbuf_addstr(&sb, ", ");
		add_lit(&sb, ad->description), strbuf_addstr(&sb, ", ");
		add_num(&sb, round(ad->amount * p->scale * 100) / 100), strbuf_addch(&sb, ')');
	}
	strbuf_addstr(&sb, ") AS t(a, m, type, product_code, description, amount)");
	src = strbuf_detach(&sb);
	strbuf_addf(&sb,
		    "SELECT ad.a, mo.first_d AS d0, true AS monthly, sv.service_name AS svc,\n"
		    "  ad.type AS line_item_line_item_type, ad.product_code AS line_item_product_code,\n"
		    "  NULL::VARCHAR AS line_item_usage_type, NULL::VARCHAR AS product_region_code,\n"
		    "  NULL::VARCHAR AS line_item_resource_id, ad.description AS line_item_line_item_description,\n"
		    "  0.0 AS line_item_usage_amount, '0.0' AS line_item_unblended_rate, '0.0' AS pricing_public_on_demand_rate,\n"
		    "  ad.amount AS line_item_unblended_cost, 0.0 AS pricing_public_on_demand_cost\n"
		    "FROM (%s) ad JOIN months mo USING (m) JOIN service sv USING (product_code)",
		    src);
	free(src);
	src = strbuf_detach(&sb);
	add_extra(s, "a credit and a refund", src, p);
	free(src);
}

/* The select list of a usage row (negation: of its SavingsPlanNegation). */
static void add_usage_select(struct strbuf *sb, bool negation)
{
	strbuf_addstr(sb, "SELECT");
	for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
		const struct column *c = &columns[i];
		const char *expr = negation && c->negation ? c->negation : c->usage;
		strbuf_addf(sb, "%s\n    CAST(%s AS %s) AS %s", i ? "," : "", expr ? expr : "NULL", c->type, c->name);
	}
	strbuf_addstr(sb, negation ? "\n  FROM u WHERE lt = 1" : "\n  FROM u");
}

static void sql_copy(struct strbuf *sb, const struct plan *p, const char *path)
{
	bool csv = p->opt->format == DEMO_CSV;
	strbuf_addstr(sb, "COPY (\nSELECT");
	for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
		const struct column *c = &columns[i];
		if (csv && strcmp(c->type, MAP_VV) == 0)
			strbuf_addf(sb, "%s\n  to_json(%s)::VARCHAR AS %s", i ? "," : "", c->name, c->name);
		else
			strbuf_addf(sb, "%s\n  %s", i ? "," : "", c->name);
	}
	strbuf_addstr(sb, "\nFROM (\n  ");
	add_usage_select(sb, false);
	strbuf_addstr(sb, "\n  UNION ALL\n  ");
	add_usage_select(sb, true);
	strbuf_addstr(sb, "\n  UNION ALL\n  SELECT * FROM extra\n)\n) TO ");
	strbuf_add_sql_literal(sb, path);
	if (csv)
		strbuf_addstr(sb, " (FORMAT csv, HEADER true, COMPRESSION gzip,\n"
				  "  TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%SZ')");
	else
		strbuf_addstr(sb, " (FORMAT parquet, COMPRESSION zstd)");
}

static void sql_summary(struct strbuf *sb)
{
	/* Amortized by CONVENTIONS.md; sums in exact nano-dollars. */
	strbuf_addstr(sb,
		      "SELECT\n"
		      "  (SELECT sum(n) FROM agg) + (SELECT coalesce(sum(n), 0) FROM agg WHERE lt = 1)\n"
		      "    + (SELECT count(*) FROM extra) AS line_items,\n"
		      "  (SELECT count(*) FROM res WHERE end_day > start_day) AS resources,\n"
		      "  (SELECT count(DISTINCT a) FROM agg) AS accounts,\n"
		      "  (SELECT count(*) FROM (SELECT product_code FROM agg\n"
		      "     UNION SELECT line_item_product_code FROM extra)) AS services,\n"
		      "  ((SELECT coalesce(sum(cost_n), 0) FROM agg WHERE lt <> 1)\n"
		      "    + (SELECT coalesce(sum(nano(line_item_unblended_cost)), 0) FROM extra)) / 1e9 AS unblended,\n"
		      "  ((SELECT coalesce(sum(CASE lt WHEN 0 THEN cost_n WHEN 1 THEN sp_n ELSE ri_n END), 0) FROM agg)\n"
		      "    + (SELECT coalesce(sum(nano(CASE\n"
		      "        WHEN line_item_line_item_type = 'SavingsPlanRecurringFee'\n"
		      "          THEN savings_plan_total_commitment_to_date - savings_plan_used_commitment\n"
		      "        WHEN line_item_line_item_type = 'RIFee'\n"
		      "          THEN reservation_unused_amortized_upfront_fee_for_billing_period + reservation_unused_recurring_fee\n"
		      "        WHEN line_item_line_item_type = 'Fee' AND reservation_reservation_a_r_n IS NOT NULL THEN 0\n"
		      "        ELSE line_item_unblended_cost END)), 0) FROM extra)) / 1e9 AS amortized");
}

static void build_script(struct script *s, const struct plan *p)
{
	sql_macros(s, p);
	sql_catalogue(s, p);
	sql_calendar(s, p);
	sql_resources(s, p);
	sql_resource_meters(s, p);
	sql_usage_view(s, p);
	sql_aggregate(s);
	sql_extras(s, p);
}

char *demo_sql(const struct demo_options *opt)
{
	struct plan p;
	struct script s = { 0 };
	struct strbuf out = STRBUF_INIT, sb = STRBUF_INIT;

	char *stage = xasprintf("%s.stage.parquet", opt->out ? opt->out : "finq-demo");
	plan_init(&p, opt);
	p.stage = stage;
	build_script(&s, &p);
	free(stage);
	for (size_t i = 0; i < s.n; i++)
		strbuf_addf(&out, "%s;\n\n", s.stmt[i]);
	sql_copy(&sb, &p, opt->out ? opt->out : "finq-demo.parquet");
	strbuf_addf(&out, "%s;\n\n", sb.buf);
	strbuf_reset(&sb);
	sql_summary(&sb);
	strbuf_addf(&out, "%s;\n", sb.buf);
	strbuf_release(&sb);
	script_release(&s);
	return strbuf_detach(&out);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void report_events(const struct plan *p, struct demo_report *rep)
{
	const struct demo_options *opt = p->opt;
	for (size_t i = 0; i < ARRAY_SIZE(kinds) && rep->nevents < DEMO_MAX_EVENTS; i++) {
		const struct kind *k = &kinds[i];
		if (k->life != LIFE_SPIKE)
			continue;
		struct demo_event *ev = &rep->events[rep->nevents++];
		copy_text(ev->kind, sizeof(ev->kind), "spike");
		copy_text(ev->service, sizeof(ev->service), k->product_code);
		copy_text(ev->usage_type, sizeof(ev->usage_type), "");
		copy_text(ev->account, sizeof(ev->account), k->account ? accounts[account_index(k->account)].id : "");
		ev->start = opt->start + p->kind_lo[i];
		ev->end = opt->start + p->kind_hi[i];
		ev->factor = 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(kinds) && rep->nevents < DEMO_MAX_EVENTS; i++) {
		const struct kind *k = &kinds[i];
		if (k->cover != COVER_RI)
			continue;
		struct demo_event *ev = &rep->events[rep->nevents++];
		copy_text(ev->kind, sizeof(ev->kind), "unused_ri");
		copy_text(ev->service, sizeof(ev->service), k->product_code);
		copy_text(ev->usage_type, sizeof(ev->usage_type), "");
		copy_text(ev->account, sizeof(ev->account), accounts[account_index("prod")].id);
		ev->start = opt->start + orphan_end(p);
		ev->end = opt->end;
		ev->factor = 0;
		break; /* one, of the first RI kind */
	}
	for (size_t i = 0; i < ARRAY_SIZE(events) && rep->nevents < DEMO_MAX_EVENTS; i++) {
		const struct event *e = &events[i];
		struct demo_event *ev = &rep->events[rep->nevents++];
		copy_text(ev->kind, sizeof(ev->kind), e->what);
		copy_text(ev->service, sizeof(ev->service), kinds[kind_index(e->kind)].product_code);
		copy_text(ev->usage_type, sizeof(ev->usage_type), e->usage_type);
		copy_text(ev->account, sizeof(ev->account), e->account ? accounts[account_index(e->account)].id : "");
		ev->start = opt->start + p->event_lo[i];
		ev->end = opt->start + p->event_hi[i];
		ev->factor = e->factor;
	}
}

int demo_generate(const struct demo_options *opt, struct demo_report *rep, struct err *e)
{
	struct plan p;
	struct script s = { 0 };
	struct strbuf sb = STRBUF_INIT;
	struct db db;
	struct table t;
	struct demo_report local;
	char *tmp = NULL, *stage = NULL;
	int rc = -1;
	double t0 = now_seconds();

	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	if (opt->end < opt->start)
		return err_set_code(e, EXIT_USAGE, "the range ends before it starts");
	table_init(&t);
	/* Both next to the output, so that they are on the same file system
	 * (rename) and in a directory we can write. */
	tmp = xasprintf("%s.tmp%ld", opt->out, (long)getpid());
	stage = xasprintf("%s.stage%ld", opt->out, (long)getpid());
	FILE *probe = fopen(tmp, "w");
	if (!probe) {
		err_set_code(e, EXIT_ERROR, "cannot write '%s': %s", opt->out, strerror(errno));
		free(tmp);
		free(stage);
		table_release(&t);
		return -1;
	}
	fclose(probe);
	plan_init(&p, opt);
	p.stage = stage;
	build_script(&s, &p);

	struct db_config cfg = { NULL, false, false, opt->memory_limit, opt->threads };
	if (db_open(&db, &cfg, e)) {
		e->code = EXIT_ERROR;
		goto out_script;
	}
	for (size_t i = 0; i < s.n; i++) {
		if (db_exec(&db, s.stmt[i], e)) {
			err_prefix(e, "generating the demo data");
			e->code = EXIT_ERROR;
			goto out;
		}
	}

	/* Write next to the file and rename, so that a failure never leaves
	 * half a file under the real name. */
	sql_copy(&sb, &p, tmp);
	int64_t rows = 0;
	if (db_query_int(&db, sb.buf, &rows, e)) {
		err_prefix(e, "cannot write '%s'", opt->out);
		e->code = EXIT_ERROR;
		goto out;
	}
	if (rename(tmp, opt->out)) {
		err_set_code(e, EXIT_ERROR, "cannot write '%s': %s", opt->out, strerror(errno));
		goto out;
	}

	strbuf_reset(&sb);
	sql_summary(&sb);
	if (db_query(&db, sb.buf, &t, 1, e) || t.nrows != 1) {
		err_prefix(e, "summarising the demo data");
		e->code = EXIT_ERROR;
		goto out;
	}
	rep->rows = rows;
	rep->resources = (int64_t)cell_number(table_at(&t, 0, 1));
	rep->accounts = (int)cell_number(table_at(&t, 0, 2));
	rep->services = (int)cell_number(table_at(&t, 0, 3));
	rep->unblended = cell_number(table_at(&t, 0, 4));
	rep->amortized = cell_number(table_at(&t, 0, 5));
	report_events(&p, rep);
	rep->seconds = now_seconds() - t0;
	rc = 0;
out:
	db_close(&db);
out_script:
	unlink(stage);
	if (rc)
		unlink(tmp);
	table_release(&t);
	strbuf_release(&sb);
	script_release(&s);
	free(tmp);
	free(stage);
	return rc;
}

/* ---- the command ---- */

static void demo_usage(FILE *out)
{
	fprintf(out,
		"usage: finq demo [--seed N] [--rows N | --scale X] [--start YYYY-MM-DD]\n"
		"                 [--end YYYY-MM-DD] [--format parquet|csv] [--out FILE]\n"
		"                 [--no-load] [--print-sql]\n\n"
		"Generates realistic AWS Cost and Usage Report 2.0 data (daily line items of\n"
		"six accounts under one payer, 25+ services, Savings Plan and RI coverage,\n"
		"support, taxes, a credit, a refund, tags, trends, weekly seasonality and\n"
		"injected anomalies), writes it as a CUR 2.0 file and loads it into the\n"
		"database. The same seed and dates always give the same data.\n\n"
		"  --seed N          randomness (default 42)\n"
		"  --rows N          about N line items\n"
		"  --scale X         size: 1.0 is about %d line items over 13 months (default)\n"
		"  --start DATE      first day (default: the 1st of the month a year before --end)\n"
		"  --end DATE        last day, included (default: today, or --today)\n"
		"  --format F        parquet (default; maps as MAP) or csv (gzip; maps as JSON)\n"
		"  --out FILE        where to write (default: finq-demo.parquet or\n"
		"                    finq-demo.csv.gz next to the --db database)\n"
		"  --no-load         write the file only\n"
		"  --print-sql       print the SQL that generates the data, and stop\n",
		DEMO_ROWS_PER_SCALE);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "finq: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see 'finq demo --help')\n");
	return EXIT_USAGE;
}

static int parse_int64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int today_days(const struct cli *cli, int *days)
{
	if (cli->today)
		return demo_parse_date(cli->today, days);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	*days = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return 0;
}

/* The default output: next to the database. */
static char *default_out(const char *db_path, enum demo_format format)
{
	const char *name = format == DEMO_CSV ? "finq-demo.csv.gz" : "finq-demo.parquet";
	const char *slash = db_path ? strrchr(db_path, '/') : NULL;
	if (!slash)
		return xstrdup(name);
	return xasprintf("%.*s/%s", (int)(slash - db_path), db_path, name);
}

static void print_json(const struct demo_options *opt, const struct demo_report *rep,
		       const struct load_report *load, bool loaded, const char *db_path)
{
	char start[11], end[11];
	demo_format_date(opt->start, start);
	demo_format_date(opt->end, end);
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(opt->out));
	json_object_set_new(o, "format", json_string(opt->format == DEMO_CSV ? "cur2-csv" : "cur2-parquet"));
	json_object_set_new(o, "seed", json_integer((json_int_t)opt->seed));
	json_object_set_new(o, "start", json_string(start));
	json_object_set_new(o, "end", json_string(end));
	json_object_set_new(o, "rows", json_integer(rep->rows));
	json_object_set_new(o, "resources", json_integer(rep->resources));
	json_object_set_new(o, "accounts", json_integer(rep->accounts));
	json_object_set_new(o, "services", json_integer(rep->services));
	json_object_set_new(o, "unblended_cost", json_real(round(rep->unblended * 100) / 100));
	json_object_set_new(o, "amortized_cost", json_real(round(rep->amortized * 100) / 100));
	json_object_set_new(o, "generate_seconds", json_real(round(rep->seconds * 1000) / 1000));
	json_t *evs = json_array();
	for (int i = 0; i < rep->nevents; i++) {
		const struct demo_event *ev = &rep->events[i];
		char s[11], en[11];
		demo_format_date(ev->start, s);
		demo_format_date(ev->end, en);
		json_t *j = json_object();
		json_object_set_new(j, "kind", json_string(ev->kind));
		json_object_set_new(j, "service", json_string(ev->service));
		if (ev->usage_type[0])
			json_object_set_new(j, "usage_type", json_string(ev->usage_type));
		if (ev->account[0])
			json_object_set_new(j, "account", json_string(ev->account));
		json_object_set_new(j, "start", json_string(s));
		json_object_set_new(j, "end", json_string(en));
		if (ev->factor > 0)
			json_object_set_new(j, "factor", json_real(ev->factor));
		json_array_append_new(evs, j);
	}
	json_object_set_new(o, "events", evs);
	if (loaded) {
		json_object_set_new(o, "database", json_string(db_path));
		json_object_set_new(o, "loaded_rows", json_integer(load->rows));
		json_object_set_new(o, "replaced_rows", json_integer(load->replaced));
		json_object_set_new(o, "load_seconds", json_real(round(load->seconds * 1000) / 1000));
	} else {
		json_object_set_new(o, "database", json_null());
	}
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
}

/* 1234567 -> "1,234,567" */
static const char *thousands(int64_t v, char *buf, size_t size)
{
	char digits[32];
	snprintf(digits, sizeof(digits), "%lld", (long long)(v < 0 ? -v : v));
	size_t n = strlen(digits), o = 0;
	if (v < 0 && o + 1 < size)
		buf[o++] = '-';
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static void print_text(const struct demo_options *opt, const struct demo_report *rep,
		       const struct load_report *load, bool loaded, const char *db_path)
{
	char start[11], end[11], a[32], b[32], c[32];
	struct stat st;
	demo_format_date(opt->start, start);
	demo_format_date(opt->end, end);
	printf("generated %s line items, %s to %s: %d accounts, %d services, %s resources (seed %llu)\n",
	       thousands(rep->rows, a, sizeof(a)), start, end, rep->accounts, rep->services,
	       thousands(rep->resources, b, sizeof(b)), (unsigned long long)opt->seed);
	printf("wrote %s (%.1f MB) in %.2f s, %s rows/s\n", opt->out,
	       stat(opt->out, &st) == 0 ? st.st_size / 1e6 : 0.0, rep->seconds,
	       thousands(rep->seconds > 0 ? (int64_t)(rep->rows / rep->seconds) : 0, c, sizeof(c)));
	printf("unblended $%s, amortized $%s\n", thousands(llround(rep->unblended), a, sizeof(a)),
	       thousands(llround(rep->amortized), b, sizeof(b)));
	if (loaded)
		printf("loaded %s rows into %s in %.2f s\n", thousands(load->rows, a, sizeof(a)), db_path,
		       load->seconds);
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
	enum { OPT_SEED = 256, OPT_ROWS, OPT_SCALE, OPT_START, OPT_END, OPT_FORMAT, OPT_OUT,
	       OPT_NO_LOAD, OPT_PRINT_SQL };
	static const struct option options[] = {
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "rows", required_argument, NULL, OPT_ROWS },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "start", required_argument, NULL, OPT_START },
		{ "end", required_argument, NULL, OPT_END },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "no-load", no_argument, NULL, OPT_NO_LOAD },
		{ "print-sql", no_argument, NULL, OPT_PRINT_SQL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct demo_options opt = { 42, 0, 0, 0, DEMO_PARQUET, NULL, cli->memory_limit, cli->threads };
	const char *start = NULL, *end = NULL;
	double scale = 0;
	bool no_load = false, print_sql = false;
	int64_t v;
	int c, today;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case OPT_SEED:
			if (parse_int64(optarg, 0, INT64_MAX, &v))
				return usage_error("--seed wants a non-negative integer, not '%s'", optarg);
			opt.seed = (uint64_t)v;
			break;
		case OPT_ROWS:
			if (parse_int64(optarg, 1, 2000000000, &v))
				return usage_error("--rows wants a number of rows from 1 to 2000000000, not '%s'", optarg);
			opt.rows = v;
			break;
		case OPT_SCALE: {
			char *endp;
			scale = strtod(optarg, &endp);
			if (endp == optarg || *endp || !(scale > 0) || scale > 10000)
				return usage_error("--scale wants a number above 0, not '%s'", optarg);
			break;
		}
		case OPT_START: start = optarg; break;
		case OPT_END: end = optarg; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "parquet") == 0)
				opt.format = DEMO_PARQUET;
			else if (strcmp(optarg, "csv") == 0)
				opt.format = DEMO_CSV;
			else
				return usage_error("--format is 'parquet' or 'csv', not '%s'", optarg);
			break;
		case OPT_OUT: opt.out = optarg; break;
		case OPT_NO_LOAD: no_load = true; break;
		case OPT_PRINT_SQL: print_sql = true; break;
		case 'h': demo_usage(stdout); return EXIT_OK;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (opt.rows && scale > 0)
		return usage_error("%s", "--rows and --scale exclude each other");

	if (today_days(cli, &today))
		return usage_error("--today wants a date YYYY-MM-DD, not '%s'", cli->today);
	opt.end = today;
	if (end && demo_parse_date(end, &opt.end))
		return usage_error("--end wants a date YYYY-MM-DD, not '%s'", end);
	opt.start = month_start_before(opt.end, 12);
	if (start && demo_parse_date(start, &opt.start))
		return usage_error("--start wants a date YYYY-MM-DD, not '%s'", start);
	if (opt.end < opt.start)
		return usage_error("%s", "--end is before --start");
	if (opt.end - opt.start + 1 > 3660)
		return usage_error("%s", "the range is longer than ten years");
	if (!opt.rows) {
		double days = opt.end - opt.start + 1;
		opt.rows = llround((scale > 0 ? scale : 1.0) * DEMO_ROWS_PER_SCALE * days / ROWS_DAYS);
		if (opt.rows < 1)
			opt.rows = 1;
	}

	char *out = NULL;
	if (!opt.out)
		opt.out = out = default_out(cli->db_path, opt.format);
	if (print_sql) {
		char *sql = demo_sql(&opt);
		fputs(sql, stdout);
		free(sql);
		free(out);
		return EXIT_OK;
	}

	struct err e = { 0 };
	struct demo_report rep;
	struct load_report load = { 0 };
	int rc = EXIT_OK;
	if (demo_generate(&opt, &rep, &e)) {
		rc = cli_fail(&e, EXIT_ERROR);
		goto out;
	}
	if (rep.rows > opt.rows * 3 / 2)
		fprintf(stderr, "finq: note: %lld line items is the smallest demo for these dates, "
				"more than --rows %lld\n", (long long)rep.rows, (long long)opt.rows);
	if (!no_load) {
		struct db db;
		const char *paths[] = { opt.out };
		struct load_options lo = { .progress = isatty(STDERR_FILENO) && !cli->json };
		if (load_open_db(&db, cli->db_path, cli->memory_limit, cli->threads, &e)) {
			rc = cli_fail(&e, EXIT_DATABASE);
			goto out;
		}
		if (load_paths(&db, paths, 1, &lo, &load, &e))
			rc = cli_fail(&e, EXIT_BAD_INPUT);
		db_close(&db);
		if (rc)
			goto out;
	}
	if (cli->json)
		print_json(&opt, &rep, &load, !no_load, cli->db_path);
	else
		print_text(&opt, &rep, &load, !no_load, cli->db_path);
out:
	free(out);
	return rc;
}
