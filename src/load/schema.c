/*
 * schema: export formats, their recognition and their mapping onto the
 * canonical `costs` table. See schema.h.
 *
 * The mapping is two SELECTs. The inner one ("stage 1") is generated from
 * the file's actual columns: it names every source column a format's mapping
 * needs, typed (text parsed into numbers and timestamps, JSON into maps), and
 * NULL when the file lacks it, which is how drifting CUR column sets load.
 * The outer one ("stage 2") is fixed SQL per format family, written over
 * those normalized names, so each family's meaning reads in one place.
 */
#include "schema.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The names the language engine matches words against, refreshed by every
 * load: one row per distinct value of each dimension (with the service's or
 * account's name), per tag key, and per tag value (the 1,000 costliest of
 * each key). Resource ids are left out: there can be millions, and they are
 * recognised by their shape instead.
 *
 * Read from the daily summaries (summaries.c, built first), not
 * from the line items: the same values and sums from tables several times
 * smaller, and no unnesting of every row's tags MAP (0.6 s per 1M rows
 * before; docs/performance.md). A tag key's cost is the cost of the rows
 * that carry it, as before.
 */
const char schema_vocabulary_sql[] =
	"DELETE FROM vocabulary;\n"
	"INSERT INTO vocabulary\n"
	"SELECT 'service', NULL, service_code, any_value(service_name), sum(amortized_cost) FROM costs_day WHERE service_code IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'account', NULL, account_id, any_value(account_name), sum(amortized_cost) FROM costs_day WHERE account_id IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'region', NULL, region, NULL, sum(amortized_cost) FROM costs_day WHERE region IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'availability_zone', NULL, availability_zone, NULL, sum(amortized_cost) FROM costs_day_detail WHERE availability_zone IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'usage_type', NULL, usage_type, NULL, sum(amortized_cost) FROM costs_day_detail WHERE usage_type IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'operation', NULL, operation, NULL, sum(amortized_cost) FROM costs_day_detail WHERE operation IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'instance_type', NULL, instance_type, NULL, sum(amortized_cost) FROM costs_day_detail WHERE instance_type IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'charge_type', NULL, charge_type, NULL, sum(amortized_cost) FROM costs_day WHERE charge_type IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'service_category', NULL, service_category, NULL, sum(amortized_cost) FROM costs_day WHERE service_category IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'pricing_term', NULL, pricing_term, NULL, sum(amortized_cost) FROM costs_day WHERE pricing_term IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'provider', NULL, provider, NULL, sum(amortized_cost) FROM costs_day GROUP BY 3\n"
	"UNION ALL SELECT 'currency', NULL, currency, NULL, sum(amortized_cost) FROM costs_day WHERE currency IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'usage_unit', NULL, usage_unit, NULL, sum(amortized_cost) FROM costs_day WHERE usage_unit IS NOT NULL GROUP BY 3\n"
	"UNION ALL SELECT 'tag', k, v, NULL, cost FROM (\n"
	"  SELECT tag_key AS k, tag_value AS v, sum(amortized_cost) AS cost FROM costs_day_tag\n"
	"  WHERE tag_key IS NOT NULL AND tag_value IS NOT NULL\n"
	"  GROUP BY k, v QUALIFY row_number() OVER (PARTITION BY k ORDER BY cost DESC, v) <= 1000)\n"
	"UNION ALL SELECT 'tag_key', tag_key, NULL, NULL, sum(amortized_cost) FROM costs_day_tag\n"
	"  WHERE tag_key IS NOT NULL AND tag_value IS NOT NULL GROUP BY tag_key;\n";

const char *const costs_columns[] = {
	"usage_date", "charge_start", "billing_period", "provider", "payer_account_id",
	"account_id", "account_name", "service_code", "service_name", "service_category",
	"region", "availability_zone", "usage_type", "operation", "resource_id",
	"instance_type", "charge_type", "pricing_term", "usage_amount", "usage_unit",
	"unblended_cost", "net_cost", "amortized_cost", "list_cost", "currency", "tags",
	"source", "description", "product_family", "commitment_id", "commitment_kind",
	"commitment_cost", "commitment_used", "load_id", NULL,
};

const char schema_ddl[] =
	"CREATE TABLE IF NOT EXISTS costs (\n"
	"  usage_date DATE NOT NULL,\n"
	"  charge_start TIMESTAMP,\n"
	"  billing_period DATE NOT NULL,\n"
	"  provider VARCHAR NOT NULL,\n"
	"  payer_account_id VARCHAR,\n"
	"  account_id VARCHAR,\n"
	"  account_name VARCHAR,\n"
	"  service_code VARCHAR,\n"
	"  service_name VARCHAR,\n"
	"  service_category VARCHAR,\n"
	"  region VARCHAR,\n"
	"  availability_zone VARCHAR,\n"
	"  usage_type VARCHAR,\n"
	"  operation VARCHAR,\n"
	"  resource_id VARCHAR,\n"
	"  instance_type VARCHAR,\n"
	"  charge_type VARCHAR,\n"
	"  pricing_term VARCHAR,\n"
	"  usage_amount DOUBLE,\n"
	"  usage_unit VARCHAR,\n"
	"  unblended_cost DOUBLE NOT NULL,\n"
	"  net_cost DOUBLE NOT NULL,\n"
	"  amortized_cost DOUBLE NOT NULL,\n"
	"  list_cost DOUBLE,\n"
	"  currency VARCHAR,\n"
	"  tags MAP(VARCHAR, VARCHAR),\n"
	"  source VARCHAR,\n"
	"  description VARCHAR,\n"
	"  product_family VARCHAR,\n"
	"  commitment_id VARCHAR,\n"
	"  commitment_kind VARCHAR,\n"
	"  commitment_cost DOUBLE,\n"
	"  commitment_used DOUBLE,\n"
	"  load_id INTEGER NOT NULL\n"
	");\n"
	/* a database made before the commitment columns gains them */
	"ALTER TABLE costs ADD COLUMN IF NOT EXISTS commitment_kind VARCHAR;\n"
	"ALTER TABLE costs ADD COLUMN IF NOT EXISTS commitment_cost DOUBLE;\n"
	"ALTER TABLE costs ADD COLUMN IF NOT EXISTS commitment_used DOUBLE;\n"
	"CREATE TABLE IF NOT EXISTS loads (\n"
	"  load_id INTEGER PRIMARY KEY,\n"
	"  loaded_at TIMESTAMP NOT NULL,\n"
	"  files INTEGER NOT NULL,\n"
	"  rows BIGINT NOT NULL,\n"
	"  replaced BIGINT NOT NULL,\n"
	"  seconds DOUBLE NOT NULL\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS vocabulary (\n"
	"  dim VARCHAR NOT NULL,\n"
	"  tag_key VARCHAR,\n"
	"  value VARCHAR,\n"
	"  name VARCHAR,\n"
	"  cost DOUBLE\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS load_files (\n"
	"  load_id INTEGER NOT NULL,\n"
	"  path VARCHAR NOT NULL,\n"
	"  format VARCHAR NOT NULL,\n"
	"  bytes BIGINT\n"
	");\n";

/*
 * finq_ts: CUR writes 2025-11-01T00:00:00.000Z, Athena 2019-11-27 05:00:00,
 * Azure EA 09/21/2023 (month first); DuckDB's cast takes the first two.
 * finq_json_map: CUR 2.0 CSV and FOCUS carry maps as JSON text; Azure EA
 * writes the object's members without the braces.
 * finq_tag_entries: a tag map's entries with keys normalised by the
 * finq_tag_key function (tag_key_normalize, registered by load.c) and
 * empty values dropped.
 */
const char schema_macros[] =
	"SET TimeZone = 'UTC';\n"
	"CREATE OR REPLACE TEMP MACRO finq_ts(x) AS CASE\n"
	"  WHEN x IS NULL THEN NULL\n"
	"  WHEN contains(x, '/') THEN strptime(split_part(x, ' ', 1), '%m/%d/%Y')\n"
	"  ELSE CAST(x AS TIMESTAMP) END;\n"
	"CREATE OR REPLACE TEMP MACRO finq_json_map(x) AS CASE\n"
	"  WHEN x IS NULL OR trim(x) = '' THEN NULL\n"
	"  WHEN json_valid(x) THEN TRY_CAST(CAST(x AS JSON) AS MAP(VARCHAR, VARCHAR))\n"
	"  WHEN json_valid('{' || x || '}') THEN TRY_CAST(CAST('{' || x || '}' AS JSON) AS MAP(VARCHAR, VARCHAR))\n"
	"  END;\n"
	"CREATE OR REPLACE TEMP MACRO finq_tag_entries(m) AS list_filter(\n"
	"  list_transform(map_entries(coalesce(m, MAP {})), e -> {'key': finq_tag_key(e.key), 'value': e.value}),\n"
	"  e -> e.value IS NOT NULL AND e.value <> '' AND e.key <> '');\n"
	/* Keys that meet after normalisation (user:Team, user:team): the first
	 * wins. The quadratic filter runs only on rows that have such keys. */
	"CREATE OR REPLACE TEMP MACRO finq_tags_from_entries(l) AS CASE\n"
	"  WHEN len(list_distinct(list_transform(l, x -> x.key))) = len(l) THEN map_from_entries(l)\n"
	"  ELSE map_from_entries(list_filter(l,\n"
	"    (e, i) -> NOT list_contains(list_transform(list_slice(l, 1, i - 1), x -> x.key), e.key))) END;\n";

static const struct {
	enum export_format format;
	const char *name;
	enum format_family family;
} format_table[] = {
	{ FORMAT_UNKNOWN, "unknown", FAMILY_NONE },
	{ FORMAT_CUR2, "cur2", FAMILY_CUR },
	{ FORMAT_CUR1, "cur1", FAMILY_CUR },
	{ FORMAT_CUR1_ATHENA, "cur1-athena", FAMILY_CUR },
	{ FORMAT_FOCUS, "focus", FAMILY_FOCUS },
	{ FORMAT_AZURE, "azure", FAMILY_AZURE },
};

const char *export_format_name(enum export_format f)
{
	for (size_t i = 0; i < sizeof(format_table) / sizeof(format_table[0]); i++)
		if (format_table[i].format == f)
			return format_table[i].name;
	return "unknown";
}

enum format_family export_format_family(enum export_format f)
{
	for (size_t i = 0; i < sizeof(format_table) / sizeof(format_table[0]); i++)
		if (format_table[i].format == f)
			return format_table[i].family;
	return FAMILY_NONE;
}

void column_name_normalize(const char *raw, char *out, size_t size)
{
	size_t o = 0;
	if (!size)
		return;
	for (const unsigned char *p = (const unsigned char *)raw; *p && o + 2 < size; p++) {
		bool separator = strchr("/: -.", *p) != NULL;
		if (isupper(*p) || separator) {
			if (o && out[o - 1] != '_')
				out[o++] = '_';
			if (!separator)
				out[o++] = (char)tolower(*p);
		} else {
			out[o++] = (char)tolower(*p);
		}
	}
	while (o && out[o - 1] == '_')
		o--;
	out[o] = '\0';
}

void tag_key_normalize(const char *raw, char *out, size_t size)
{
	size_t o = 0;
	if (!size)
		return;
	if (strncmp(raw, "user:", 5) == 0 || strncmp(raw, "user_", 5) == 0)
		raw += 5;
	for (const unsigned char *p = (const unsigned char *)raw; *p && o + 2 < size; p++) {
		bool camel_hump = isupper(*p) && p > (const unsigned char *)raw &&
				  (islower(p[-1]) || isdigit(p[-1]));
		if (strchr(":/ .-_", *p) || camel_hump) {
			if (o && out[o - 1] != '_')
				out[o++] = '_';
			if (!camel_hump)
				continue;
		}
		out[o++] = (char)tolower(*p);
	}
	while (o && out[o - 1] == '_')
		o--;
	out[o] = '\0';
}

/* ---- recognition ---- */

struct name_set {
	const char *const *raw;
	size_t n;
};

static bool has_column(const struct name_set *s, const char *normalized)
{
	char buf[256];
	for (size_t i = 0; i < s->n; i++) {
		column_name_normalize(s->raw[i], buf, sizeof(buf));
		if (strcmp(buf, normalized) == 0)
			return true;
	}
	return false;
}

/* A format is recognised when all of its required columns are present
 * (alternatives separated by '|'). */
static const struct {
	enum export_format format;
	const char *required[4];
} signatures[] = {
	{ FORMAT_CUR2, { "line_item_usage_start_date", "line_item_unblended_cost", "line_item_line_item_type" } },
	{ FORMAT_FOCUS, { "billed_cost", "charge_period_start", "effective_cost|billing_currency" } },
	{ FORMAT_AZURE, { "meter_category|meter_id", "cost|cost_in_billing_currency", "date|usage_date_time" } },
};

static bool has_any(const struct name_set *s, const char *alternatives)
{
	char one[128];
	const char *p = alternatives;
	while (*p) {
		size_t n = strcspn(p, "|");
		if (n >= sizeof(one))
			n = sizeof(one) - 1;
		memcpy(one, p, n);
		one[n] = '\0';
		if (has_column(s, one))
			return true;
		p += n;
		if (*p == '|')
			p++;
	}
	return false;
}

enum export_format schema_identify(const char *const *raw_names, size_t n)
{
	struct name_set s = { raw_names, n };
	for (size_t i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++) {
		bool all = true;
		for (size_t k = 0; k < 4 && signatures[i].required[k]; k++)
			all = all && has_any(&s, signatures[i].required[k]);
		if (!all)
			continue;
		if (signatures[i].format != FORMAT_CUR2)
			return signatures[i].format;
		/* Three layouts of the CUR: told apart by spelling and maps. */
		for (size_t k = 0; k < n; k++)
			if (strchr(raw_names[k], '/'))
				return FORMAT_CUR1;
		if (has_column(&s, "resource_tags") || has_column(&s, "product"))
			return FORMAT_CUR2;
		return FORMAT_CUR1_ATHENA;
	}
	return FORMAT_UNKNOWN;
}

/* ---- mapping ---- */

enum value_kind { V_TEXT, V_NUMBER, V_TIMESTAMP };

struct needed_column {
	const char *name;
	enum value_kind kind;
	bool required; /* a row without it cannot be placed in time */
	const char *fallback_of; /* read only when the file lacks this column */
};

/* Sorted by name within each family; the stage-2 SQL below uses exactly these. */
static const struct needed_column cur_needs[] = {
	{ "bill_billing_period_start_date", V_TIMESTAMP, false, NULL },
	{ "bill_payer_account_id", V_TEXT, false, NULL },
	{ "line_item_availability_zone", V_TEXT, false, NULL },
	{ "line_item_currency_code", V_TEXT, false, NULL },
	{ "line_item_line_item_description", V_TEXT, false, NULL },
	{ "line_item_line_item_type", V_TEXT, false, NULL },
	{ "line_item_net_unblended_cost", V_NUMBER, false, NULL },
	{ "line_item_operation", V_TEXT, false, NULL },
	{ "line_item_product_code", V_TEXT, false, NULL },
	{ "line_item_resource_id", V_TEXT, false, NULL },
	{ "line_item_unblended_cost", V_NUMBER, false, NULL },
	{ "line_item_usage_account_id", V_TEXT, false, NULL },
	{ "line_item_usage_account_name", V_TEXT, false, NULL },
	{ "line_item_usage_amount", V_NUMBER, false, NULL },
	{ "line_item_usage_start_date", V_TIMESTAMP, true, NULL },
	{ "line_item_usage_type", V_TEXT, false, NULL },
	{ "pricing_public_on_demand_cost", V_NUMBER, false, NULL },
	{ "pricing_term", V_TEXT, false, NULL },
	{ "pricing_unit", V_TEXT, false, NULL },
	{ "product_instance_type", V_TEXT, false, NULL },
	{ "product_product_family", V_TEXT, false, NULL },
	{ "product_product_name", V_TEXT, false, NULL },
	{ "product_region", V_TEXT, false, "product_region_code" },
	{ "product_region_code", V_TEXT, false, NULL },
	{ "product_servicename", V_TEXT, false, "product_product_name" },
	{ "reservation_amortized_upfront_fee_for_billing_period", V_NUMBER, false, NULL },
	{ "reservation_effective_cost", V_NUMBER, false, NULL },
	{ "reservation_reservation_a_r_n", V_TEXT, false, NULL },
	{ "reservation_unused_amortized_upfront_fee_for_billing_period", V_NUMBER, false, NULL },
	{ "reservation_unused_recurring_fee", V_NUMBER, false, NULL },
	{ "savings_plan_savings_plan_a_r_n", V_TEXT, false, NULL },
	{ "savings_plan_savings_plan_effective_cost", V_NUMBER, false, NULL },
	{ "savings_plan_total_commitment_to_date", V_NUMBER, false, NULL },
	{ "savings_plan_used_commitment", V_NUMBER, false, NULL },
	{ NULL, V_TEXT, false, NULL },
};

static const struct needed_column focus_needs[] = {
	{ "availability_zone", V_TEXT, false, NULL },
	{ "billed_cost", V_NUMBER, false, NULL },
	{ "billing_account_id", V_TEXT, false, NULL },
	{ "billing_currency", V_TEXT, false, NULL },
	{ "billing_period_start", V_TIMESTAMP, false, NULL },
	{ "charge_category", V_TEXT, false, NULL },
	{ "charge_description", V_TEXT, false, NULL },
	{ "charge_frequency", V_TEXT, false, NULL },
	{ "charge_period_start", V_TIMESTAMP, true, NULL },
	{ "commitment_discount_id", V_TEXT, false, NULL },
	{ "commitment_discount_type", V_TEXT, false, NULL },
	{ "consumed_quantity", V_NUMBER, false, NULL },
	{ "consumed_unit", V_TEXT, false, NULL },
	{ "effective_cost", V_NUMBER, false, NULL },
	{ "list_cost", V_NUMBER, false, NULL },
	{ "pricing_category", V_TEXT, false, NULL },
	{ "provider_name", V_TEXT, false, NULL },
	{ "region", V_TEXT, false, NULL },
	{ "region_id", V_TEXT, false, NULL },
	{ "resource_id", V_TEXT, false, NULL },
	{ "resource_type", V_TEXT, false, NULL },
	{ "service_category", V_TEXT, false, NULL },
	{ "service_name", V_TEXT, false, NULL },
	{ "service_provider_name", V_TEXT, false, NULL },
	{ "sub_account_id", V_TEXT, false, NULL },
	{ "sub_account_name", V_TEXT, false, NULL },
	{ "x_instance_type", V_TEXT, false, NULL },
	{ "x_operation", V_TEXT, false, NULL },
	{ "x_service_code", V_TEXT, false, NULL },
	{ "x_usage_type", V_TEXT, false, NULL },
	{ NULL, V_TEXT, false, NULL },
};

static const struct needed_column azure_needs[] = {
	{ "additional_info", V_TEXT, false, NULL },
	{ "availability_zone", V_TEXT, false, NULL },
	{ "billing_account_id", V_TEXT, false, NULL },
	{ "billing_currency", V_TEXT, false, NULL },
	{ "billing_period_start_date", V_TIMESTAMP, false, NULL },
	{ "charge_type", V_TEXT, false, NULL },
	{ "consumed_service", V_TEXT, false, NULL },
	{ "cost", V_NUMBER, false, NULL },
	{ "cost_in_billing_currency", V_NUMBER, false, NULL },
	{ "date", V_TIMESTAMP, true, NULL },
	{ "meter_category", V_TEXT, false, NULL },
	{ "meter_name", V_TEXT, false, NULL },
	{ "meter_region", V_TEXT, false, NULL },
	{ "meter_sub_category", V_TEXT, false, NULL },
	{ "pay_g_price", V_NUMBER, false, NULL },
	{ "pricing_model", V_TEXT, false, NULL },
	{ "product", V_TEXT, false, NULL },
	{ "quantity", V_NUMBER, false, NULL },
	{ "reservation_id", V_TEXT, false, NULL },
	{ "resource_id", V_TEXT, false, NULL },
	{ "resource_location", V_TEXT, false, NULL },
	{ "service_family", V_TEXT, false, NULL },
	{ "subscription_id", V_TEXT, false, NULL },
	{ "subscription_name", V_TEXT, false, NULL },
	{ "unit_of_measure", V_TEXT, false, NULL },
	{ "usage_date_time", V_TIMESTAMP, false, NULL },
	{ NULL, V_TEXT, false, NULL },
};

/*
 * AWS product codes by FOCUS service category, so that "compute" or
 * "storage" can be asked of a CUR too. FOCUS files carry their own.
 */
static const struct {
	const char *category;
	const char *codes;
} aws_categories[] = {
	{ "AI and Machine Learning", "AmazonBedrock AmazonSageMaker AmazonRekognition AmazonComprehend AmazonTextract" },
	{ "Analytics", "AmazonAthena AmazonEMR AmazonKinesis AmazonKinesisFirehose AWSGlue AmazonQuickSight AmazonRedshift AmazonES AmazonMSK" },
	{ "Compute", "AmazonEC2 AWSLambda AmazonECS AmazonEKS AmazonLightsail AWSBatch AWSFargate AmazonAppStream" },
	{ "Databases", "AmazonRDS AmazonDynamoDB AmazonElastiCache AmazonDocDB AmazonNeptune AmazonMemoryDB AmazonTimestream" },
	{ "Developer Tools", "AWSCodeBuild AWSCodePipeline AWSCodeCommit AWSCodeArtifact AWSXRay" },
	{ "Integration", "AmazonSQS AmazonSNS AmazonMQ AWSEvents AmazonApiGateway AWSStepFunctions AmazonSES" },
	{ "Management and Governance", "AmazonCloudWatch AWSCloudTrail AWSConfig AWSSystemsManager AWSCostExplorer awskms AWSSupportBusiness AWSSupportEnterprise AWSSupportDeveloper AWSCloudFormation" },
	{ "Networking", "AmazonVPC AWSDataTransfer AmazonCloudFront AmazonRoute53 AWSELB AWSDirectConnect AWSGlobalAccelerator AWSTransitGateway" },
	{ "Security", "AWSKMS awskms AWSSecretsManager AmazonGuardDuty AWSWAF AWSShield AmazonInspector AWSSecurityHub AmazonMacie AWSCertificateManager" },
	{ "Storage", "AmazonS3 AmazonEFS AmazonFSx AmazonS3GlacierDeepArchive AmazonGlacier AWSBackup AWSStorageGateway" },
};

static void add_aws_category_case(struct strbuf *sql)
{
	strbuf_addstr(sql, "CASE");
	for (size_t i = 0; i < sizeof(aws_categories) / sizeof(aws_categories[0]); i++) {
		strbuf_addstr(sql, " WHEN line_item_product_code IN (");
		const char *p = aws_categories[i].codes;
		bool first = true;
		while (*p) {
			size_t n = strcspn(p, " ");
			char code[64];
			if (n && n < sizeof(code)) {
				memcpy(code, p, n);
				code[n] = '\0';
				if (!first)
					strbuf_addstr(sql, ", ");
				strbuf_add_sql_literal(sql, code);
				first = false;
			}
			p += n;
			p += strspn(p, " ");
		}
		strbuf_addstr(sql, ") THEN ");
		strbuf_add_sql_literal(sql, aws_categories[i].category);
	}
	strbuf_addstr(sql, " WHEN line_item_product_code IS NOT NULL THEN 'Other' END");
}

static const struct source_column *find_column(const struct source_column *cols, size_t n, const char *normalized)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cols[i].normalized, normalized) == 0)
			return &cols[i];
	return NULL;
}

/* A map column as MAP(VARCHAR, VARCHAR), from a map or from JSON text. */
static void add_map_value(struct strbuf *sql, const struct source_column *c)
{
	if (c->is_map) {
		strbuf_addstr(sql, "CAST(");
		strbuf_add_sql_ident(sql, c->raw);
		strbuf_addstr(sql, " AS MAP(VARCHAR, VARCHAR))");
	} else if (c->is_text) {
		strbuf_addstr(sql, "finq_json_map(");
		strbuf_add_sql_ident(sql, c->raw);
		strbuf_addch(sql, ')');
	} else {
		strbuf_addstr(sql, "CAST(NULL AS MAP(VARCHAR, VARCHAR))");
	}
}

static const char *const null_of_kind[] = {
	[V_TEXT] = "CAST(NULL AS VARCHAR)",
	[V_NUMBER] = "CAST(NULL AS DOUBLE)",
	[V_TIMESTAMP] = "CAST(NULL AS TIMESTAMP)",
};

/* Append a stage-1 expression for one needed column. */
static void add_stage1_value(struct strbuf *sql, const struct source_column *cols, size_t n,
			     const struct needed_column *need)
{
	const struct source_column *c = find_column(cols, n, need->name);
	/* a fallback behind a column the file has would never be used: a
	 * lookup in the product map costs ~0.2 s per million rows */
	if (!c && need->fallback_of && find_column(cols, n, need->fallback_of)) {
		strbuf_addstr(sql, null_of_kind[need->kind]);
		return;
	}
	if (!c) {
		/* CUR 2.0 folds most product attributes into the `product` map. */
		const struct source_column *product = find_column(cols, n, "product");
		if (product && strncmp(need->name, "product_", 8) == 0 && need->kind == V_TEXT) {
			strbuf_addstr(sql, "nullif((");
			add_map_value(sql, product);
			strbuf_addstr(sql, ")[");
			strbuf_add_sql_literal(sql, need->name + 8);
			strbuf_addstr(sql, "], '')");
		} else {
			strbuf_addstr(sql, null_of_kind[need->kind]);
		}
		return;
	}
	switch (need->kind) {
	case V_TEXT:
		strbuf_addstr(sql, c->is_text ? "nullif(" : "nullif(CAST(");
		strbuf_add_sql_ident(sql, c->raw);
		strbuf_addstr(sql, c->is_text ? ", '')" : " AS VARCHAR), '')");
		break;
	case V_NUMBER:
		strbuf_addstr(sql, c->is_text ? "CAST(nullif(trim(" : "CAST(");
		strbuf_add_sql_ident(sql, c->raw);
		strbuf_addstr(sql, c->is_text ? "), '') AS DOUBLE)" : " AS DOUBLE)");
		break;
	case V_TIMESTAMP:
		strbuf_addstr(sql, c->is_text ? "finq_ts(" : "CAST(");
		strbuf_add_sql_ident(sql, c->raw);
		strbuf_addstr(sql, c->is_text ? ")" : " AS TIMESTAMP)");
		break;
	}
}

/* One tag column of a CUR 1.0 / Athena export, as text. */
static void add_tag_column_value(struct strbuf *sql, const struct source_column *c)
{
	strbuf_addstr(sql, "nullif(");
	if (!c->is_text)
		strbuf_addstr(sql, "CAST(");
	strbuf_add_sql_ident(sql, c->raw);
	strbuf_addstr(sql, c->is_text ? ", '')" : " AS VARCHAR), '')");
}

/* The tag key a CUR 1.0 ("resourceTags/user:team") or Athena
 * ("resource_tags_user_team") column carries, or false if none. */
static bool tag_column_key(const struct source_column *c, char *key, size_t size)
{
	static const char prefix[] = "resource_tags_";
	if (strncmp(c->normalized, prefix, sizeof(prefix) - 1) != 0)
		return false;
	const char *slash = strchr(c->raw, '/');
	tag_key_normalize(slash ? slash + 1 : c->normalized + sizeof(prefix) - 1, key, size);
	return key[0] != '\0';
}

void schema_group_tag_columns(const char (*keys)[SCHEMA_TAG_KEY_MAX], size_t n, size_t *first)
{
	for (size_t i = 0; i < n; i++) {
		first[i] = keys[i][0] ? i : SIZE_MAX;
		for (size_t k = 0; k < i && first[i] == i; k++)
			if (strcmp(keys[k], keys[i]) == 0)
				first[i] = first[k];
	}
}

/*
 * The tag entries (a list of {key, value} with normalised keys and no empty
 * values): from a map or JSON column through finq_tag_entries, or, when each
 * tag is a column of its own, built here with the keys normalised once and
 * columns that meet on one key merged (first non-empty wins).
 */
static void add_tag_entries(struct strbuf *sql, enum format_family family,
			    const struct source_column *cols, size_t n)
{
	static const char *const map_columns[] = {
		[FAMILY_CUR] = "resource_tags", [FAMILY_FOCUS] = "tags", [FAMILY_AZURE] = "tags",
	};
	const struct source_column *m = find_column(cols, n, map_columns[family]);
	if (m) {
		strbuf_addstr(sql, "finq_tag_entries(");
		add_map_value(sql, m);
		strbuf_addch(sql, ')');
		return;
	}
	bool any = false;
	char(*keys)[SCHEMA_TAG_KEY_MAX] = xcalloc(n ? n : 1, sizeof(*keys));
	size_t *first = xcalloc(n ? n : 1, sizeof(*first));
	for (size_t i = 0; family == FAMILY_CUR && i < n; i++)
		if (!tag_column_key(&cols[i], keys[i], sizeof(keys[i])))
			keys[i][0] = '\0';
	schema_group_tag_columns((const char(*)[SCHEMA_TAG_KEY_MAX])keys, n, first);
	for (size_t i = 0; i < n; i++) {
		if (first[i] != i)
			continue;
		strbuf_addstr(sql, any ? ", " : "list_filter([");
		strbuf_addstr(sql, "{'key': ");
		strbuf_add_sql_literal(sql, keys[i]);
		strbuf_addstr(sql, ", 'value': ");
		for (size_t k = i; k < n; k++)
			if (first[k] == i) {
				strbuf_addstr(sql, k == i ? "coalesce(" : ", ");
				add_tag_column_value(sql, &cols[k]);
			}
		strbuf_addstr(sql, ")}");
		any = true;
	}
	free(keys);
	free(first);
	strbuf_addstr(sql, any ? "], e -> e.value IS NOT NULL)" : "[]");
}

static void add_cur_stage2(struct strbuf *sql)
{
	strbuf_addstr(sql,
		"  CAST(line_item_usage_start_date AS DATE),\n"
		"  line_item_usage_start_date,\n"
		"  CAST(date_trunc('month', coalesce(bill_billing_period_start_date, line_item_usage_start_date)) AS DATE),\n"
		"  'AWS',\n"
		"  bill_payer_account_id,\n"
		"  line_item_usage_account_id,\n"
		"  line_item_usage_account_name,\n"
		"  line_item_product_code,\n"
		"  coalesce(product_product_name, product_servicename, line_item_product_code),\n  ");
	add_aws_category_case(sql);
	strbuf_addstr(sql,
		",\n"
		"  coalesce(product_region_code, product_region),\n"
		"  line_item_availability_zone,\n"
		"  line_item_usage_type,\n"
		"  line_item_operation,\n"
		"  line_item_resource_id,\n"
		"  product_instance_type,\n"
		"  line_item_line_item_type,\n"
		"  pricing_term,\n"
		"  line_item_usage_amount,\n"
		"  pricing_unit,\n"
		"  coalesce(line_item_unblended_cost, 0),\n"
		"  coalesce(line_item_net_unblended_cost, line_item_unblended_cost, 0),\n"
		/* Amortized (effective) cost by line item type: CONVENTIONS.md. */
		"  CASE line_item_line_item_type\n"
		"    WHEN 'SavingsPlanCoveredUsage' THEN coalesce(savings_plan_savings_plan_effective_cost, 0)\n"
		"    WHEN 'SavingsPlanRecurringFee' THEN coalesce(savings_plan_total_commitment_to_date, 0) - coalesce(savings_plan_used_commitment, 0)\n"
		"    WHEN 'SavingsPlanNegation' THEN 0\n"
		"    WHEN 'SavingsPlanUpfrontFee' THEN 0\n"
		"    WHEN 'DiscountedUsage' THEN coalesce(reservation_effective_cost, 0)\n"
		"    WHEN 'RIFee' THEN coalesce(reservation_unused_amortized_upfront_fee_for_billing_period, 0) + coalesce(reservation_unused_recurring_fee, 0)\n"
		"    WHEN 'Fee' THEN CASE WHEN reservation_reservation_a_r_n IS NOT NULL THEN 0 ELSE coalesce(line_item_unblended_cost, 0) END\n"
		"    ELSE coalesce(line_item_unblended_cost, 0) END,\n"
		"  pricing_public_on_demand_cost,\n"
		"  coalesce(line_item_currency_code, 'USD'),\n"
		"  finq_tags_from_entries(tag_entries),\n"
		"  source_file,\n"
		"  line_item_line_item_description,\n"
		"  product_product_family,\n"
		"  coalesce(savings_plan_savings_plan_a_r_n, reservation_reservation_a_r_n),\n"
		/* The commitment columns (docs/commitments.md): summed over any
		 * rows they give the commitment bought and the part of it used;
		 * in a CUR both sit on the fee lines. */
		"  CASE WHEN line_item_line_item_type LIKE 'SavingsPlan%' THEN 'Savings Plan'\n"
		"    WHEN line_item_line_item_type IN ('DiscountedUsage', 'RIFee') THEN 'Reservation'\n"
		"    WHEN line_item_line_item_type = 'Fee' AND reservation_reservation_a_r_n IS NOT NULL THEN 'Reservation' END,\n"
		"  CASE line_item_line_item_type\n"
		"    WHEN 'SavingsPlanRecurringFee' THEN savings_plan_total_commitment_to_date\n"
		"    WHEN 'RIFee' THEN coalesce(reservation_amortized_upfront_fee_for_billing_period, 0) + coalesce(line_item_unblended_cost, 0) END,\n"
		"  CASE line_item_line_item_type\n"
		"    WHEN 'SavingsPlanRecurringFee' THEN savings_plan_used_commitment\n"
		"    WHEN 'RIFee' THEN coalesce(reservation_amortized_upfront_fee_for_billing_period, 0) + coalesce(line_item_unblended_cost, 0)\n"
		"      - coalesce(reservation_unused_amortized_upfront_fee_for_billing_period, 0) - coalesce(reservation_unused_recurring_fee, 0) END,\n");
}

static void add_focus_stage2(struct strbuf *sql)
{
	strbuf_addstr(sql,
		"  CAST(charge_period_start AS DATE),\n"
		"  charge_period_start,\n"
		"  CAST(date_trunc('month', coalesce(billing_period_start, charge_period_start)) AS DATE),\n"
		"  coalesce(provider_name, service_provider_name, 'unknown'),\n"
		"  billing_account_id,\n"
		"  sub_account_id,\n"
		"  sub_account_name,\n"
		"  coalesce(x_service_code, service_name),\n"
		"  service_name,\n"
		"  service_category,\n"
		"  coalesce(region_id, region),\n"
		"  availability_zone,\n"
		"  x_usage_type,\n"
		"  x_operation,\n"
		"  resource_id,\n"
		"  x_instance_type,\n"
		/* A purchase charged One-Time (an upfront commitment, a support
		 * plan) is a lump on its charge date; a Recurring one accrues
		 * like CUR's Savings Plan recurring fee: sql/charges.c. */
		"  CASE WHEN charge_category = 'Purchase' AND lower(charge_frequency) = 'recurring' THEN 'RecurringPurchase'\n"
		"    ELSE charge_category END,\n"
		"  pricing_category,\n"
		"  consumed_quantity,\n"
		"  consumed_unit,\n"
		"  coalesce(billed_cost, 0),\n"
		"  coalesce(billed_cost, 0),\n"
		"  coalesce(effective_cost, billed_cost, 0),\n"
		"  list_cost,\n"
		"  coalesce(billing_currency, 'USD'),\n"
		"  finq_tags_from_entries(tag_entries),\n"
		"  source_file,\n"
		"  charge_description,\n"
		"  resource_type,\n"
		"  commitment_discount_id,\n"
		/* FOCUS 1.0 has no commitment totals: a commitment is what its
		 * usage used (EffectiveCost of covered usage) plus what went
		 * unused (EffectiveCost of its purchase rows). */
		"  CASE WHEN commitment_discount_id IS NULL THEN NULL\n"
		"    WHEN lower(commitment_discount_type) LIKE '%savings%' THEN 'Savings Plan'\n"
		"    WHEN lower(commitment_discount_type) LIKE '%reserv%' THEN 'Reservation'\n"
		"    ELSE commitment_discount_type END,\n"
		"  CASE WHEN commitment_discount_id IS NOT NULL AND charge_category IN ('Usage', 'Purchase') THEN coalesce(effective_cost, 0) END,\n"
		"  CASE WHEN commitment_discount_id IS NOT NULL AND charge_category = 'Usage' THEN coalesce(effective_cost, 0)\n"
		"    WHEN commitment_discount_id IS NOT NULL AND charge_category = 'Purchase' THEN 0 END,\n");
}

static void add_azure_stage2(struct strbuf *sql)
{
	strbuf_addstr(sql,
		"  CAST(coalesce(date, usage_date_time) AS DATE),\n"
		"  coalesce(date, usage_date_time),\n"
		"  CAST(date_trunc('month', coalesce(billing_period_start_date, date, usage_date_time)) AS DATE),\n"
		"  'Azure',\n"
		"  billing_account_id,\n"
		"  subscription_id,\n"
		"  subscription_name,\n"
		"  coalesce(meter_category, consumed_service),\n"
		"  coalesce(meter_category, consumed_service),\n"
		"  service_family,\n"
		"  coalesce(resource_location, meter_region),\n"
		"  availability_zone,\n"
		"  meter_name,\n"
		"  meter_sub_category,\n"
		"  resource_id,\n"
		"  json_extract_string(additional_info, '$.ServiceType'),\n"
		"  charge_type,\n"
		"  pricing_model,\n"
		"  quantity,\n"
		"  unit_of_measure,\n"
		"  coalesce(cost, cost_in_billing_currency, 0),\n"
		"  coalesce(cost, cost_in_billing_currency, 0),\n"
		"  coalesce(cost, cost_in_billing_currency, 0),\n"
		"  pay_g_price * quantity,\n"
		"  coalesce(billing_currency, 'USD'),\n"
		"  finq_tags_from_entries(tag_entries),\n"
		"  source_file,\n"
		"  product,\n"
		"  service_family,\n"
		"  reservation_id,\n"
		"  CASE pricing_model WHEN 'Reservation' THEN 'Reservation' WHEN 'SavingsPlan' THEN 'Savings Plan' END,\n"
		"  CAST(NULL AS DOUBLE),\n"
		"  CAST(NULL AS DOUBLE),\n");
}

static const struct needed_column *family_needs(enum format_family family)
{
	switch (family) {
	case FAMILY_CUR: return cur_needs;
	case FAMILY_FOCUS: return focus_needs;
	case FAMILY_AZURE: return azure_needs;
	default: return NULL;
	}
}

size_t schema_typed_columns(enum export_format f, const struct source_column *cols, size_t ncols,
			    struct typed_column *out, size_t max)
{
	const struct needed_column *need = family_needs(export_format_family(f));
	size_t n = 0;
	for (; need && need->name && n < max; need++) {
		const struct source_column *c = find_column(cols, ncols, need->name);
		if (!c || (need->kind == V_TEXT && !need->required))
			continue;
		out[n].raw = c->raw;
		out[n].is_timestamp = need->kind == V_TIMESTAMP;
		out[n].is_text = c->is_text;
		out[n].required = need->required;
		n++;
	}
	return n;
}

int schema_build_select(enum export_format f, const struct source_column *cols, size_t ncols,
			const char *from_sql, long long load_id, struct strbuf *sql)
{
	static const struct {
		enum format_family family;
		void (*add_stage2)(struct strbuf *sql);
	} families[] = {
		{ FAMILY_CUR, add_cur_stage2 },
		{ FAMILY_FOCUS, add_focus_stage2 },
		{ FAMILY_AZURE, add_azure_stage2 },
	};
	enum format_family family = export_format_family(f);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (families[i].family != family)
			continue;
		strbuf_addstr(sql, "SELECT\n");
		families[i].add_stage2(sql);
		strbuf_addf(sql, "  %lld\nFROM (SELECT\n", load_id);
		for (const struct needed_column *need = family_needs(family); need->name; need++) {
			strbuf_addstr(sql, "  ");
			add_stage1_value(sql, cols, ncols, need);
			strbuf_addf(sql, " AS %s,\n", need->name);
		}
		strbuf_addstr(sql, "  ");
		add_tag_entries(sql, family, cols, ncols);
		strbuf_addstr(sql, " AS tag_entries,\n  filename AS source_file\nFROM ");
		strbuf_addstr(sql, from_sql);
		strbuf_addstr(sql, ") AS stage1");
		return 0;
	}
	return -1;
}

/* ---- the same facts for a CUR read where it lives (schema.h) ---- */

bool schema_cur_column(size_t i, const char **name, enum schema_kind *kind, const char **fallback_of)
{
	static const enum schema_kind kinds[] = {
		[V_TEXT] = SCHEMA_TEXT, [V_NUMBER] = SCHEMA_NUMBER, [V_TIMESTAMP] = SCHEMA_TIMESTAMP,
	};
	if (i >= sizeof(cur_needs) / sizeof(cur_needs[0]) || !cur_needs[i].name)
		return false;
	*name = cur_needs[i].name;
	*kind = kinds[cur_needs[i].kind];
	*fallback_of = cur_needs[i].fallback_of;
	return true;
}

void schema_cur_select_list(struct strbuf *sql)
{
	add_cur_stage2(sql);
}
