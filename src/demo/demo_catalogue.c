/*
 * demo_catalogue: the whole model of the demo data, as tables: the
 * accounts, regions and where each kind of resource runs, the resource
 * types and kinds, the meters each kind is billed by, the injected events,
 * the adjustments and fees, and the columns of a CUR 2.0 export; and
 * sql_catalogue(), which turns them into the SQL tables the rest of the
 * generator joins. Keep a table's size in demo_parts.h in step with it.
 */
#define DEMO_CATALOGUE_DEFINITIONS
#include "demo_parts.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct account accounts[] = {
	{ "210987654321", "prod", "prod", "Product", 0.35, 0.90, false, true },
	{ "310987654321", "staging", "staging", "Product", 0.12, 0.75, true, false },
	{ "410987654321", "dev", "dev", "Product", 0.15, 0.50, true, false },
	{ "510987654321", "data", "prod", "Data & Analytics", 0.18, 0.80, true, true },
	{ "610987654321", "sandbox", "dev", "R&D", 0.05, 0.20, true, false },
	{ "710987654321", "shared-services", "prod", "Platform", 0.15, 0.70, false, true },
};

const struct region regions[] = {
	{ "us-east-1", "US East (N. Virginia)", "USE1", true, 1.00 },
	{ "us-west-2", "US West (Oregon)", "USW2", false, 1.00 },
	{ "eu-west-1", "EU (Ireland)", "EU", false, 1.08 },
	{ "eu-central-1", "EU (Frankfurt)", "EUC1", false, 1.15 },
	{ "ap-southeast-1", "Asia Pacific (Singapore)", "APS1", false, 1.20 },
};

const struct presence presences[] = {
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
const char *const teams[] = { "payments", "search", "mobile", "platform", "data" };
const char *const cost_centers[] = { "CC-1010", "CC-1020", "CC-1030", "CC-1040", "CC-1050" };
const char *const projects[] = { "api", "web", "worker", "etl" };
/* The middle part of generated resource names. */
const char *const apps[] = { "api", "web", "worker", "etl", "auth", "checkout",
				    "search", "reports", "ingest", "ml" };

#define GP "General purpose"
#define CO "Compute optimized"
#define MO "Memory optimized"
#define G2 "AWS Graviton2 Processor"
const struct rtype rtypes[] = {
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

#define EC2 "AmazonEC2", "Amazon Elastic Compute Cloud"
const struct kind kinds[] = {
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

const struct meter meters[] = {
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

const struct event events[] = {
	{ "spike", "cloudwatch", "DataProcessing-Bytes", "data", "us-east-1", 0.88, 3, 6.0 },
	{ "level_shift", "nat", "NatGateway-Bytes", "prod", NULL, 0.70, 0, 1.8 },
};

const struct adjustment adjustments[] = {
	{ "Credit", "dev", "AmazonEC2", "AWS Promotional Credit", 0.35, -500.00 },
	{ "Refund", "prod", "AmazonS3", "Refund for service disruption (case 11838291761)", 0.50, -123.45 },
};

const struct service fee_services[] = {
	{ "ComputeSavingsPlans", "Savings Plans for AWS Compute usage" },
	{ "AWSSupportBusiness", "AWS Support (Business)" },
};

const struct tier support_tiers[] = {
	{ 10000, 0.10 }, { 80000, 0.07 }, { 250000, 0.05 }, { 0, 0.03 }, /* 0: the rest */
};

const struct column columns[] = {
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

/* Each table has the size demo_parts.h gives the other files. */
_Static_assert(ARRAY_SIZE(accounts) == DEMO_N_ACCOUNTS, "DEMO_N_ACCOUNTS in demo_parts.h");
_Static_assert(ARRAY_SIZE(regions) == DEMO_N_REGIONS, "DEMO_N_REGIONS in demo_parts.h");
_Static_assert(ARRAY_SIZE(presences) == DEMO_N_PRESENCES, "DEMO_N_PRESENCES in demo_parts.h");
_Static_assert(ARRAY_SIZE(teams) == DEMO_N_TEAMS, "DEMO_N_TEAMS in demo_parts.h");
_Static_assert(ARRAY_SIZE(cost_centers) == DEMO_N_COST_CENTERS, "DEMO_N_COST_CENTERS in demo_parts.h");
_Static_assert(ARRAY_SIZE(projects) == DEMO_N_PROJECTS, "DEMO_N_PROJECTS in demo_parts.h");
_Static_assert(ARRAY_SIZE(apps) == DEMO_N_APPS, "DEMO_N_APPS in demo_parts.h");
_Static_assert(ARRAY_SIZE(rtypes) == DEMO_N_RTYPES, "DEMO_N_RTYPES in demo_parts.h");
_Static_assert(ARRAY_SIZE(kinds) == DEMO_N_KINDS, "DEMO_N_KINDS in demo_parts.h");
_Static_assert(ARRAY_SIZE(meters) == DEMO_N_METERS, "DEMO_N_METERS in demo_parts.h");
_Static_assert(ARRAY_SIZE(events) == DEMO_N_EVENTS, "DEMO_N_EVENTS in demo_parts.h");
_Static_assert(ARRAY_SIZE(adjustments) == DEMO_N_ADJUSTMENTS, "DEMO_N_ADJUSTMENTS in demo_parts.h");
_Static_assert(ARRAY_SIZE(fee_services) == DEMO_N_FEE_SERVICES, "DEMO_N_FEE_SERVICES in demo_parts.h");
_Static_assert(ARRAY_SIZE(support_tiers) == DEMO_N_SUPPORT_TIERS, "DEMO_N_SUPPORT_TIERS in demo_parts.h");
_Static_assert(ARRAY_SIZE(columns) == DEMO_N_COLUMNS, "DEMO_N_COLUMNS in demo_parts.h");

void sql_catalogue(struct script *s, const struct plan *p)
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
