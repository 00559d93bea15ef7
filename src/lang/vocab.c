/*
 * vocab: building and matching the vocabulary. See vocab.h.
 *
 * Phrases are stored normalised (lexed, joined by one space) and sorted, so
 * a lookup is a binary search; the matcher tries the longest run of tokens
 * first. The synonym tables below are what FinOps people call things; each
 * is sorted by phrase.
 */
#include "vocab.h"
#include "dims.h"
#include "lexicon.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PHRASE_TOKENS 6

/* Other names for values; several values are separated by ';'. */
static const struct {
	const char *phrase;
	enum dimension dim;
	enum filter_op op;
	const char *values;
} value_synonyms[] = {
	{ "ai", DIM_CATEGORY, FILTER_IN, "AI and Machine Learning" },
	{ "alb", DIM_SERVICE, FILTER_IN, "AWSELB" },
	{ "api gateway", DIM_SERVICE, FILTER_IN, "AmazonApiGateway" },
	{ "azure", DIM_PROVIDER, FILTER_IN, "Microsoft" }, /* FOCUS ProviderName, only where the data has it */
	{ "bahrain", DIM_REGION, FILTER_IN, "me-south-1" },
	{ "block storage", DIM_USAGE_TYPE, FILTER_CONTAINS, "EBS:" },
	{ "business support", DIM_SERVICE, FILTER_IN, "AWSSupportBusiness" },
	{ "california", DIM_REGION, FILTER_IN, "us-west-1" },
	{ "canada", DIM_REGION, FILTER_IN, "ca-central-1" },
	{ "cape town", DIM_REGION, FILTER_IN, "af-south-1" },
	{ "cdn", DIM_SERVICE, FILTER_IN, "AmazonCloudFront" },
	{ "cloud watch", DIM_SERVICE, FILTER_IN, "AmazonCloudWatch" },
	{ "compute", DIM_CATEGORY, FILTER_IN, "Compute" },
	{ "container", DIM_SERVICE, FILTER_IN, "AmazonECS;AmazonEKS" },
	{ "credit", DIM_CHARGE_TYPE, FILTER_IN, "Credit" },
	{ "cross az", DIM_USAGE_TYPE, FILTER_CONTAINS, "DataTransfer-Regional" },
	{ "data transfer", DIM_USAGE_TYPE, FILTER_CONTAINS, "DataTransfer" },
	{ "data transfer out", DIM_USAGE_TYPE, FILTER_CONTAINS, "DataTransfer-Out" },
	{ "data transferred", DIM_USAGE_TYPE, FILTER_CONTAINS, "DataTransfer" },
	{ "data transferred out", DIM_USAGE_TYPE, FILTER_CONTAINS, "DataTransfer-Out" },
	{ "data warehouse", DIM_SERVICE, FILTER_IN, "AmazonRedshift" },
	{ "database", DIM_CATEGORY, FILTER_IN, "Databases" },
	{ "developer support", DIM_SERVICE, FILTER_IN, "AWSSupportDeveloper" },
	{ "dns", DIM_SERVICE, FILTER_IN, "AmazonRoute53" },
	{ "dynamo", DIM_SERVICE, FILTER_IN, "AmazonDynamoDB" },
	{ "ebs", DIM_USAGE_TYPE, FILTER_CONTAINS, "EBS:" },
	{ "elastic ip", DIM_USAGE_TYPE, FILTER_CONTAINS, "ElasticIP" },
	{ "elasticsearch", DIM_SERVICE, FILTER_IN, "AmazonES" },
	{ "elb", DIM_SERVICE, FILTER_IN, "AWSELB" },
	{ "enterprise support", DIM_SERVICE, FILTER_IN, "AWSSupportEnterprise" },
	{ "fargate", DIM_SERVICE, FILTER_IN, "AmazonECS" },
	{ "fee", DIM_CHARGE_TYPE, FILTER_IN, "Fee" },
	{ "frankfurt", DIM_REGION, FILTER_IN, "eu-central-1" },
	{ "gcp", DIM_PROVIDER, FILTER_IN, "Google Cloud" }, /* FOCUS ProviderName */
	{ "google cloud", DIM_PROVIDER, FILTER_IN, "Google Cloud" }, /* FOCUS ProviderName */
	{ "gst", DIM_CHARGE_TYPE, FILTER_IN, "Tax" }, /* goods and services tax */
	{ "hong kong", DIM_REGION, FILTER_IN, "ap-east-1" },
	{ "inter az", DIM_USAGE_TYPE, FILTER_CONTAINS, "DataTransfer-Regional" },
	{ "ip address", DIM_USAGE_TYPE, FILTER_CONTAINS, "PublicIPv4" },
	{ "ip address", DIM_USAGE_TYPE, FILTER_CONTAINS, "PublicIPv4" },
	{ "ipv4", DIM_USAGE_TYPE, FILTER_CONTAINS, "PublicIPv4" },
	{ "ipv4 address", DIM_USAGE_TYPE, FILTER_CONTAINS, "PublicIPv4" },
	{ "ireland", DIM_REGION, FILTER_IN, "eu-west-1" },
	{ "jakarta", DIM_REGION, FILTER_IN, "ap-southeast-3" },
	{ "k8s", DIM_SERVICE, FILTER_IN, "AmazonEKS" },
	{ "key management", DIM_SERVICE, FILTER_IN, "awskms;AWSKMS" },
	{ "kubernetes", DIM_SERVICE, FILTER_IN, "AmazonEKS" },
	{ "load balancer", DIM_SERVICE, FILTER_IN, "AWSELB" },
	{ "load balancing", DIM_SERVICE, FILTER_IN, "AWSELB" },
	{ "london", DIM_REGION, FILTER_IN, "eu-west-2" },
	{ "machine learning", DIM_CATEGORY, FILTER_IN, "AI and Machine Learning" },
	{ "memcached", DIM_SERVICE, FILTER_IN, "AmazonElastiCache" },
	{ "microsoft azure", DIM_PROVIDER, FILTER_IN, "Microsoft" }, /* FOCUS ProviderName */
	{ "milan", DIM_REGION, FILTER_IN, "eu-south-1" },
	{ "ml", DIM_CATEGORY, FILTER_IN, "AI and Machine Learning" },
	{ "montreal", DIM_REGION, FILTER_IN, "ca-central-1" },
	{ "mumbai", DIM_REGION, FILTER_IN, "ap-south-1" },
	{ "n california", DIM_REGION, FILTER_IN, "us-west-1" },
	{ "n virginia", DIM_REGION, FILTER_IN, "us-east-1" },
	{ "nat", DIM_USAGE_TYPE, FILTER_CONTAINS, "NatGateway" },
	{ "nat gateway", DIM_USAGE_TYPE, FILTER_CONTAINS, "NatGateway" },
	{ "network", DIM_CATEGORY, FILTER_IN, "Networking" },
	{ "networking", DIM_CATEGORY, FILTER_IN, "Networking" },
	{ "nlb", DIM_SERVICE, FILTER_IN, "AWSELB" },
	{ "northern california", DIM_REGION, FILTER_IN, "us-west-1" },
	{ "northern virginia", DIM_REGION, FILTER_IN, "us-east-1" },
	{ "object storage", DIM_SERVICE, FILTER_IN, "AmazonS3" },
	{ "oci", DIM_PROVIDER, FILTER_IN, "Oracle" }, /* FOCUS ProviderName */
	{ "ohio", DIM_REGION, FILTER_IN, "us-east-2" },
	{ "opensearch", DIM_SERVICE, FILTER_IN, "AmazonES" },
	{ "oracle cloud", DIM_PROVIDER, FILTER_IN, "Oracle" }, /* FOCUS ProviderName */
	{ "oregon", DIM_REGION, FILTER_IN, "us-west-2" },
	{ "osaka", DIM_REGION, FILTER_IN, "ap-northeast-3" },
	{ "paris", DIM_REGION, FILTER_IN, "eu-west-3" },
	{ "public ip", DIM_USAGE_TYPE, FILTER_CONTAINS, "PublicIPv4" },
	{ "public ip address", DIM_USAGE_TYPE, FILTER_CONTAINS, "PublicIPv4" },
	{ "public ipv4", DIM_USAGE_TYPE, FILTER_CONTAINS, "PublicIPv4" },
	{ "public ipv4 address", DIM_USAGE_TYPE, FILTER_CONTAINS, "PublicIPv4" },
	{ "queue", DIM_SERVICE, FILTER_IN, "AWSQueueService" },
	{ "redis", DIM_SERVICE, FILTER_IN, "AmazonElastiCache" },
	{ "refund", DIM_CHARGE_TYPE, FILTER_IN, "Refund" },
	{ "reserved instance", DIM_CHARGE_TYPE, FILTER_IN, "DiscountedUsage;RIFee" },
	{ "reserved instance fee", DIM_CHARGE_TYPE, FILTER_IN, "RIFee" },
	{ "ri", DIM_CHARGE_TYPE, FILTER_IN, "DiscountedUsage;RIFee" },
	{ "ri fee", DIM_CHARGE_TYPE, FILTER_IN, "RIFee" },
	{ "route 53", DIM_SERVICE, FILTER_IN, "AmazonRoute53" },
	{ "sales tax", DIM_CHARGE_TYPE, FILTER_IN, "Tax" },
	{ "sao paulo", DIM_REGION, FILTER_IN, "sa-east-1" },
	{ "savings plan", DIM_CHARGE_TYPE, FILTER_IN, "SavingsPlanCoveredUsage;SavingsPlanRecurringFee;SavingsPlanNegation;SavingsPlanUpfrontFee" },
	{ "savings plan covered", DIM_CHARGE_TYPE, FILTER_IN, "SavingsPlanCoveredUsage" },
	{ "savings plan fee", DIM_CHARGE_TYPE, FILTER_IN, "SavingsPlanRecurringFee;SavingsPlanUpfrontFee" },
	{ "savings plan recurring fee", DIM_CHARGE_TYPE, FILTER_IN, "SavingsPlanRecurringFee" },
	{ "savings plan upfront fee", DIM_CHARGE_TYPE, FILTER_IN, "SavingsPlanUpfrontFee" },
	{ "secrets", DIM_SERVICE, FILTER_IN, "AWSSecretsManager" },
	{ "seoul", DIM_REGION, FILTER_IN, "ap-northeast-2" },
	{ "serverless", DIM_SERVICE, FILTER_IN, "AWSLambda" },
	{ "singapore", DIM_REGION, FILTER_IN, "ap-southeast-1" },
	{ "singapur", DIM_REGION, FILTER_IN, "ap-southeast-1" },
	{ "snapshot", DIM_USAGE_TYPE, FILTER_CONTAINS, "Snapshot" },
	{ "sp", DIM_CHARGE_TYPE, FILTER_IN, "SavingsPlanCoveredUsage;SavingsPlanRecurringFee;SavingsPlanNegation;SavingsPlanUpfrontFee" },
	{ "sp fee", DIM_CHARGE_TYPE, FILTER_IN, "SavingsPlanRecurringFee;SavingsPlanUpfrontFee" },
	{ "spot", DIM_USAGE_TYPE, FILTER_CONTAINS, "SpotUsage" },
	{ "sqs", DIM_SERVICE, FILTER_IN, "AWSQueueService" },
	{ "stockholm", DIM_REGION, FILTER_IN, "eu-north-1" },
	{ "storage", DIM_CATEGORY, FILTER_IN, "Storage" },
	{ "support", DIM_SERVICE, FILTER_PREFIX, "AWSSupport" },
	{ "sydney", DIM_REGION, FILTER_IN, "ap-southeast-2" },
	{ "tax", DIM_CHARGE_TYPE, FILTER_IN, "Tax" },
	{ "tokyo", DIM_REGION, FILTER_IN, "ap-northeast-1" },
	{ "transfer out", DIM_USAGE_TYPE, FILTER_CONTAINS, "DataTransfer-Out" },
	{ "us east", DIM_REGION, FILTER_IN, "us-east-1" },
	{ "us west", DIM_REGION, FILTER_IN, "us-west-2" },
	{ "vat", DIM_CHARGE_TYPE, FILTER_IN, "Tax" }, /* value added tax, as CUR's Tax line items carry it */
	{ "virginia", DIM_REGION, FILTER_IN, "us-east-1" },
};

/* AWS's region codes, for a region the data does not hold: "cost of
 * ap-northeast-1" is then an honest $0, not an unknown word. Sorted. */
static const char *const aws_regions[] = {
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
	"ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
	"ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1",
	"eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
	"us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2",
};

/* Tag keys people name in other words; each group is one meaning. */
static const char *const tag_key_groups[][6] = {
	{ "app", "application", "service name", NULL },
	{ "cost_center", "cost centre", "costcenter", "cost code", NULL },
	{ "env", "environment", "stage", NULL },
	{ "owner", "owned by", NULL },
	{ "project", "workload", NULL },
	{ "team", "owner team", NULL }, /* not "squad": a squad is not always a team */
};

void vocab_init(struct vocab *v)
{
	memset(v, 0, sizeof(*v));
}

static void entry_release(struct vocab_entry *e)
{
	for (int k = 0; k < e->nvalues; k++)
		free(e->values[k]);
	free(e->values);
	free(e->phrase);
	free(e->display);
}

void vocab_release(struct vocab *v)
{
	for (size_t i = 0; i < v->n; i++)
		entry_release(&v->items[i]);
	free(v->items);
	vocab_init(v);
}

void vocab_normalize(const char *text, char *out, size_t size)
{
	struct token_list toks;
	lex(text, &toks);
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < toks.n; i++) {
		const struct token *t = &toks.items[i];
		if (t->kind == TOK_PUNCT)
			continue;
		if (o && o + 1 < size)
			out[o++] = ' ';
		size_t n = t->text.n < size - o - 1 ? t->text.n : size - o - 1;
		memcpy(out + o, t->text.p, n);
		o += n;
		out[o] = '\0';
	}
	token_list_release(&toks);
}

static struct vocab_entry *add_entry(struct vocab *v, const char *phrase_text, enum vocab_kind kind,
				     const struct dim_ref *col, enum filter_op op, double cost, bool from_data)
{
	char phrase[256];
	vocab_normalize(phrase_text, phrase, sizeof(phrase));
	if (!phrase[0])
		return NULL;
	ALLOC_GROW(v->items, v->n + 1, v->alloc);
	struct vocab_entry *e = &v->items[v->n++];
	memset(e, 0, sizeof(*e));
	e->phrase = xstrdup(phrase);
	e->phrase_len = strlen(phrase);
	e->first_space = strcspn(phrase, " ");
	e->kind = kind;
	e->col = *col;
	e->op = op;
	e->cost = cost;
	e->from_data = from_data;
	v->sorted = false;
	return e;
}

static void entry_add_value(struct vocab_entry *e, const char *value)
{
	e->values = xrealloc(e->values, (size_t)(e->nvalues + 1) * sizeof(*e->values));
	e->values[e->nvalues++] = xstrdup(value);
	if (!e->display)
		e->display = xstrdup(value);
}

static struct vocab_entry *add_value(struct vocab *v, const char *phrase, const struct dim_ref *col,
				     const char *value, double cost, bool from_data)
{
	struct vocab_entry *e = add_entry(v, phrase, VOCAB_VALUE, col, FILTER_IN, cost, from_data);
	if (e)
		entry_add_value(e, value);
	return e;
}

/* "SavingsPlanCoveredUsage" -> "savings plan covered usage"; false when
 * the text has no inner capital. */
static bool decamel(const char *s, char *out, size_t size)
{
	size_t o = 0;
	bool changed = false;
	for (const char *p = s; *p && o + 2 < size; p++) {
		if (isupper((unsigned char)*p) && p > s && islower((unsigned char)p[-1])) {
			out[o++] = ' ';
			changed = true;
		}
		out[o++] = (char)tolower((unsigned char)*p);
	}
	out[o] = '\0';
	return changed;
}

/* A service's code and name without the vendor: "AmazonEC2" -> "EC2",
 * "Amazon Simple Storage Service" -> "Simple Storage Service". */
static const char *strip_vendor(const char *s)
{
	static const char *const vendors[] = { "Amazon ", "AWS ", "Amazon", "AWS", "aws", NULL };
	for (const char *const *p = vendors; *p; p++) {
		size_t n = strlen(*p);
		if (strncmp(s, *p, n) == 0 && strlen(s) > n + 1)
			return s + n;
	}
	return NULL;
}

void vocab_add_data(struct vocab *v, const char *dim_name, const char *tag_key, const char *value,
		    const char *name, double cost)
{
	struct dim_ref col = { 0 };
	char buf[256];
	if (strcmp(dim_name, "tag_key") == 0) {
		if (!tag_key)
			return;
		col.dim = DIM_TAG;
		snprintf(col.tag_key, sizeof(col.tag_key), "%s", tag_key);
		snprintf(buf, sizeof(buf), "%s", tag_key);
		for (char *p = buf; *p; p++)
			if (*p == '_')
				*p = ' ';
		struct vocab_entry *e = add_entry(v, buf, VOCAB_DIMENSION, &col, FILTER_IN, cost, true);
		if (e)
			e->display = xstrdup(tag_key);
		/* Its other names, from the groups above. */
		for (size_t g = 0; g < sizeof(tag_key_groups) / sizeof(tag_key_groups[0]); g++) {
			bool member = false;
			for (const char *const *w = tag_key_groups[g]; *w; w++)
				member |= strcmp(*w, tag_key) == 0;
			for (const char *const *w = tag_key_groups[g]; member && *w; w++)
				if (strcmp(*w, tag_key) != 0 && (e = add_entry(v, *w, VOCAB_DIMENSION, &col, FILTER_IN, cost, false)))
					e->display = xstrdup(tag_key);
		}
		return;
	}
	if (!value || !*value)
		return;
	if (strcmp(dim_name, "usage_unit") == 0) {
		/* the data's own units: "GB-Mo", "Lambda-GB-Second", "DPU-Hour" */
		struct dim_ref none = { .dim = DIM_NONE };
		struct vocab_entry *e = add_entry(v, value, VOCAB_UNIT, &none, FILTER_IN, cost, true);
		if (e)
			entry_add_value(e, value);
		/* its last part spelled out: "GB-months", "Lambda-GB-seconds" */
		static const struct {
			const char *abbrev, *spelled[2];
		} unit_words[] = {
			{ "Mo", { "month", "months" } }, { "Second", { "seconds", NULL } },
			{ "Hrs", { "hour", "hours" } }, { "Hour", { "hours", NULL } },
		};
		/* a whole unit's spoken names: "TB" for "Terabytes" */
		static const struct {
			const char *unit, *spoken[3];
		} spoken_units[] = {
			{ "Terabytes", { "tb", "terabyte", "tbs" } },
			{ "Gigabytes", { "gigabyte", NULL, NULL } },
		};
		for (size_t u = 0; u < sizeof(spoken_units) / sizeof(spoken_units[0]); u++)
			for (int k = 0; k < 3 && spoken_units[u].spoken[k] && strcmp(value, spoken_units[u].unit) == 0; k++)
				if ((e = add_entry(v, spoken_units[u].spoken[k], VOCAB_UNIT, &none, FILTER_IN, cost, false)))
					entry_add_value(e, value);
		const char *dash = strrchr(value, '-');
		for (size_t u = 0; dash && u < sizeof(unit_words) / sizeof(unit_words[0]); u++) {
			if (strcmp(dash + 1, unit_words[u].abbrev) != 0)
				continue;
			for (int k = 0; k < 2 && unit_words[u].spelled[k]; k++) {
				char spelled[128];
				snprintf(spelled, sizeof(spelled), "%.*s-%s", (int)(dash - value), value, unit_words[u].spelled[k]);
				if ((e = add_entry(v, spelled, VOCAB_UNIT, &none, FILTER_IN, cost, false)))
					entry_add_value(e, value);
			}
		}
		return;
	}
	if (strcmp(dim_name, "tag") == 0) {
		if (!tag_key)
			return;
		col.dim = DIM_TAG;
		snprintf(col.tag_key, sizeof(col.tag_key), "%s", tag_key);
	} else {
		col.dim = dimension_from_name(dim_name);
		if (col.dim == DIM_NONE)
			return;
	}
	add_value(v, value, &col, value, cost, true);
	if (name && *name && strcmp(name, value) != 0)
		add_value(v, name, &col, value, cost, true);
	if (col.dim == DIM_SERVICE) {
		const char *short_code = strip_vendor(value);
		if (short_code)
			add_value(v, short_code, &col, value, cost, true);
		const char *short_name = name ? strip_vendor(name) : NULL;
		if (short_name)
			add_value(v, short_name, &col, value, cost, true);
	}
	/* The short names people use for environment-like values: "prod"
	 * for a tag value "production" is a reading of its own, so a "prod"
	 * account and a "production" env tag make "prod" ambiguous. */
	static const struct {
		const char *value, *short_name;
	} abbreviations[] = {
		{ "development", "dev" }, { "production", "prod" }, { "production", "prd" }, { "staging", "stg" },
	};
	for (size_t a = 0; a < sizeof(abbreviations) / sizeof(abbreviations[0]); a++)
		if (strcasecmp(value, abbreviations[a].value) == 0)
			add_value(v, abbreviations[a].short_name, &col, value, cost, false);
	/* A derived spelling is weaker evidence than the value itself: a
	 * synonym of the same words wins over it. */
	if (decamel(value, buf, sizeof(buf)) && col.dim != DIM_SERVICE)
		add_value(v, buf, &col, value, cost, false);
}

/* The data entries whose value is exactly target (case aside). */
static const struct vocab_entry *find_data_value(const struct vocab *v, const char *target)
{
	const struct vocab_entry *best = NULL;
	for (size_t i = 0; i < v->n; i++) {
		const struct vocab_entry *e = &v->items[i];
		if (e->kind == VOCAB_VALUE && e->from_data && e->nvalues == 1 && strcasecmp(e->values[0], target) == 0 &&
		    (!best || e->cost > best->cost))
			best = e;
	}
	return best;
}

bool vocab_add_alias(struct vocab *v, const char *name, const char *const *targets, int ntargets)
{
	/* The targets' values, all of the first target's column. (Value strings
	 * are allocated apart from the entries, so they stay put when
	 * add_entry grows the array.) */
	const struct vocab_entry *first = NULL;
	const char *values[PLAN_MAX_VALUES];
	int n = 0;
	double cost = 0;
	for (int i = 0; i < ntargets && n < PLAN_MAX_VALUES; i++) {
		const struct vocab_entry *e = find_data_value(v, targets[i]);
		if (!e || (first && !dim_ref_eq(&e->col, &first->col)))
			continue;
		if (!first)
			first = e;
		values[n++] = e->values[0];
		cost += e->cost;
	}
	if (!first)
		return false;
	struct dim_ref col = first->col;
	struct vocab_entry *e = add_entry(v, name, VOCAB_VALUE, &col, FILTER_IN, cost, false);
	if (!e)
		return false;
	for (int i = 0; i < n; i++)
		entry_add_value(e, values[i]);
	free(e->display);
	e->display = xstrdup(name);
	return true;
}

static int compare_entries(const void *a, const void *b)
{
	const struct vocab_entry *x = a, *y = b;
	int c = strcmp(x->phrase, y->phrase);
	if (c)
		return c;
	if (x->from_data != y->from_data)
		return x->from_data ? -1 : 1;
	return x->cost > y->cost ? -1 : x->cost < y->cost;
}

/* An entry equal to an earlier one (same phrase, column and values) adds nothing. */
static bool same_reading(const struct vocab_entry *a, const struct vocab_entry *b)
{
	if (strcmp(a->phrase, b->phrase) != 0 || a->kind != b->kind || !dim_ref_eq(&a->col, &b->col) ||
	    a->op != b->op || a->nvalues != b->nvalues)
		return false;
	for (int i = 0; i < a->nvalues; i++)
		if (strcmp(a->values[i], b->values[i]) != 0)
			return false;
	return true;
}

/* Two entries of the data that give one name to values of one column. */
static bool names_same_thing(const struct vocab_entry *a, const struct vocab_entry *b)
{
	return a->kind == VOCAB_VALUE && b->kind == VOCAB_VALUE && a->from_data && b->from_data && !a->family &&
	       !b->family && a->op == FILTER_IN && b->op == FILTER_IN && dim_ref_eq(&a->col, &b->col);
}

/* Tag values named by a convention ("checkout-api", "checkout-web",
 * "checkout-worker"): people call the set by its first word, "the checkout
 * projects". One family entry per tag key and first word shared by two or
 * more values, unless a value of that key is the word itself. */
struct family_member {
	struct dim_ref col;
	char word[64];  /* lower case; for a value with no first word, the whole value */
	char first[64]; /* the first word as written; empty: the value is a word alone, which vetoes */
	double cost;
};

static int compare_members(const void *a, const void *b)
{
	const struct family_member *x = a, *y = b;
	int c = strcmp(x->col.tag_key, y->col.tag_key);
	return c ? c : strcmp(x->word, y->word);
}

/* The first word of a tag value, if a separator ends it and it is long
 * enough to mean something ("cc-1001" has none). */
static size_t family_word(const char *value)
{
	size_t n = strcspn(value, "-_./: ");
	if (n < 3 || n >= 64 || !value[n] || !value[n + 1] || !isalpha((unsigned char)value[0]))
		return 0;
	return n;
}

static void add_families(struct vocab *v)
{
	struct family_member *m = NULL;
	size_t n = 0, alloc = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct vocab_entry *e = &v->items[i];
		if (e->kind != VOCAB_VALUE || !e->from_data || e->col.dim != DIM_TAG || e->nvalues != 1 ||
		    e->op != FILTER_IN)
			continue;
		ALLOC_GROW(m, n + 1, alloc);
		struct family_member *f = &m[n++];
		size_t len = family_word(e->values[0]);
		f->col = e->col;
		f->cost = e->cost;
		snprintf(f->first, sizeof(f->first), "%.*s", (int)len, e->values[0]);
		snprintf(f->word, sizeof(f->word), "%s", len ? f->first : e->values[0]);
		for (char *c = f->word; *c; c++)
			*c = (char)tolower((unsigned char)*c);
	}
	sort_array(m, n, sizeof(*m), compare_members);
	for (size_t i = 0, j; i < n; i = j) {
		size_t members = 0, named = i;
		bool vetoed = false;
		double cost = 0;
		for (j = i; j < n && compare_members(&m[i], &m[j]) == 0; j++) {
			if (m[j].first[0])
				members++, named = j;
			vetoed |= !m[j].first[0];
			cost += m[j].cost;
		}
		if (members < 2 || vetoed)
			continue;
		struct vocab_entry *e = add_entry(v, m[i].word, VOCAB_VALUE, &m[i].col, FILTER_PREFIX, cost, false);
		if (!e)
			continue;
		e->family = true;
		entry_add_value(e, m[named].first);
		free(e->display);
		char display[72];
		snprintf(display, sizeof(display), "%s*", m[named].first);
		e->display = xstrdup(display);
	}
	free(m);
}

void vocab_finish(struct vocab *v)
{
	add_families(v);
	/* the words for each dimension (dims.c), in the singular: plurals fold;
	 * and its names as identifiers ("usage_type", "account_id"), which
	 * people who write SQL type */
	for (int d = DIM_NONE + 1; d < DIM_COUNT; d++) {
		const struct dim_info *info = dim_info((enum dimension)d);
		const char *identifiers[] = { info->name, info->column };
		struct dim_ref col = { .dim = (enum dimension)d };
		for (size_t w = 0; w < DIM_MAX_WORDS && info->words[w]; w++) {
			struct vocab_entry *e = add_entry(v, info->words[w], VOCAB_DIMENSION, &col, FILTER_IN, 0, false);
			if (e)
				e->display = xstrdup(dimension_name(col.dim));
		}
		for (size_t k = 0; k < 2; k++) {
			if (!identifiers[k] || !strchr(identifiers[k], '_'))
				continue;
			struct vocab_entry *e = add_entry(v, identifiers[k], VOCAB_DIMENSION, &col, FILTER_IN, 0, false);
			if (e)
				e->display = xstrdup(dimension_name(col.dim));
		}
	}
	for (size_t i = 0; i < sizeof(value_synonyms) / sizeof(value_synonyms[0]); i++) {
		struct dim_ref col = { .dim = value_synonyms[i].dim };
		/* another cloud is a word of the bill only where the bill has it:
		 * "Azure spend" on an AWS-only export is a word finq asks about
		 * (four blind corpora read it so), as a service it lacks is */
		if (col.dim == DIM_PROVIDER && !find_data_value(v, value_synonyms[i].values))
			continue;
		struct vocab_entry *e = add_entry(v, value_synonyms[i].phrase, VOCAB_VALUE, &col, value_synonyms[i].op, 0, false);
		if (!e)
			continue;
		char values[256];
		snprintf(values, sizeof(values), "%s", value_synonyms[i].values);
		char *save = NULL;
		for (char *tok = strtok_r(values, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
			entry_add_value(e, tok);
		/* The cost of what a synonym stands for ranks it among readings. */
		for (int k = 0; k < e->nvalues; k++) {
			const struct vocab_entry *d = find_data_value(v, e->values[k]);
			if (d && dim_ref_eq(&d->col, &e->col))
				e->cost += d->cost;
		}
		free(e->display);
		e->display = xstrdup(e->nvalues == 1 && e->op == FILTER_IN ? e->values[0] : value_synonyms[i].phrase);
	}
	for (size_t i = 0; i < sizeof(aws_regions) / sizeof(aws_regions[0]); i++) {
		struct dim_ref col = { .dim = DIM_REGION };
		if (find_data_value(v, aws_regions[i]))
			continue;
		struct vocab_entry *e = add_entry(v, aws_regions[i], VOCAB_VALUE, &col, FILTER_IN, 0, false);
		if (e)
			entry_add_value(e, aws_regions[i]); /* its display too */
	}
	sort_array(v->items, v->n, sizeof(*v->items), compare_entries);
	size_t out = 0;
	for (size_t i = 0; i < v->n; i++) {
		if (out && same_reading(&v->items[out - 1], &v->items[i])) {
			entry_release(&v->items[i]);
			continue;
		}
		/* "Atlas Orion" names two accounts (a FOCUS export's AWS account
		 * and Azure subscription): one reading with both values, never
		 * the costlier one alone */
		struct vocab_entry *twin = NULL, *e = &v->items[i];
		for (size_t k = out; k > 0 && !twin && strcmp(v->items[k - 1].phrase, e->phrase) == 0; k--)
			if (names_same_thing(&v->items[k - 1], e))
				twin = &v->items[k - 1];
		if (twin) {
			for (int x = 0; x < e->nvalues; x++) {
				bool have = false;
				for (int y = 0; y < twin->nvalues; y++)
					have |= strcmp(twin->values[y], e->values[x]) == 0;
				if (!have)
					entry_add_value(twin, e->values[x]);
			}
			twin->cost += e->cost;
			entry_release(e);
			continue;
		}
		v->items[out++] = v->items[i];
	}
	v->n = out;
	v->sorted = true;
}

size_t vocab_lookup(const struct vocab *v, const char *phrase, const struct vocab_entry **out, size_t max)
{
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(v->items[mid].phrase, phrase) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t n = 0;
	for (size_t i = lo; i < v->n && n < max && strcmp(v->items[i].phrase, phrase) == 0; i++)
		out[n++] = &v->items[i];
	return n;
}

/* English plurals of the last word: "services" -> "service",
 * "categories" -> "category", "taxes" -> "tax". Writes the singular into
 * out and returns true when there is one. */
static bool singular(const char *word, size_t n, char *out, size_t size)
{
	if (n < 3 || n >= size || word[n - 1] != 's' || word[n - 2] == 's')
		return false;
	memcpy(out, word, n);
	out[n] = '\0';
	if (n > 4 && strcmp(out + n - 3, "ies") == 0) {
		strcpy(out + n - 3, "y");
	} else if (n > 4 && (strcmp(out + n - 3, "xes") == 0 || strcmp(out + n - 4, "ches") == 0 ||
			     strcmp(out + n - 4, "shes") == 0 || strcmp(out + n - 4, "sses") == 0)) {
		out[n - 2] = '\0';
	} else {
		out[n - 1] = '\0';
	}
	return true;
}

int edit_distance(const char *a, size_t na, const char *b, size_t nb, int limit)
{
	if (na > 63 || nb > 63)
		return limit + 1;
	if ((na > nb ? na - nb : nb - na) > (size_t)limit)
		return limit + 1;
	/* Only cells within `limit` of the diagonal can stay within the limit:
	 * the band is computed, the cells beside it hold limit + 1. */
	int d[64][64];
	int far = limit + 1;
	for (size_t i = 0; i <= na; i++)
		d[i][0] = (int)i <= limit ? (int)i : far;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = (int)j <= limit ? (int)j : far;
	for (size_t i = 1; i <= na; i++) {
		int row_min = limit + 1;
		size_t lo = i > (size_t)limit ? i - (size_t)limit : 1, hi = i + (size_t)limit < nb ? i + (size_t)limit : nb;
		if (lo > 1)
			d[i][lo - 1] = far;
		if (hi < nb)
			d[i][hi + 1] = far;
		for (size_t j = lo; j <= hi; j++) {
			int cost = a[i - 1] != b[j - 1];
			int best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
			if (best < row_min)
				row_min = best;
		}
		if (row_min > limit)
			return limit + 1;
	}
	return d[na][nb] > limit ? limit + 1 : d[na][nb];
}

/* Phrase of tokens [i, i+len) (punctuation skipped); false if it would
 * cross something that is not a word or number. */
static bool phrase_at(const struct token_list *toks, size_t i, size_t len, char *out, size_t size, size_t *last)
{
	size_t o = 0, taken = 0, k = i;
	out[0] = '\0';
	for (; k < toks->n && taken < len; k++) {
		const struct token *t = &toks->items[k];
		if (t->kind == TOK_PUNCT) {
			if (taken == 0 || t->text.p[0] != '.')
				return false; /* only "N. Virginia" style dots are skipped */
			continue;
		}
		if (o + t->text.n + 2 >= size)
			return false;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, t->text.p, t->text.n);
		o += t->text.n;
		out[o] = '\0';
		taken++;
		*last = k;
	}
	return taken == len;
}

static bool strpbrk_n(const char *p, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (strchr(set, p[i]))
			return true;
	return false;
}

static void sort_readings(struct vocab_match *m)
{
	/* the data's own values before synonyms, then by cost */
	for (int i = 1; i < m->nentries; i++)
		for (int j = i; j > 0; j--) {
			const struct vocab_entry *a = m->entries[j - 1], *b = m->entries[j];
			bool swap = (!a->from_data && b->from_data) || (a->from_data == b->from_data && a->cost < b->cost);
			if (!swap)
				break;
			m->entries[j - 1] = b;
			m->entries[j] = a;
		}
}

/* Is word a typo of cand: one edit (two from nine letters), and below
 * six letters only the kinds lexicon_short_typo() allows? */
static int word_typo(const struct slice *word, const char *cand, size_t len)
{
	if (word->n < 4 || strpbrk_n(word->p, word->n, "0123456789"))
		return -1;
	int limit = word->n >= 9 ? 2 : 1;
	int d = edit_distance(word->p, word->n, cand, len, limit);
	if (d == 1 && word->n < 6 && !lexicon_short_typo(word->p, word->n, cand, len))
		return -1;
	return d >= 1 && d <= limit ? d : -1;
}

/* Does the token equal the phrase word w (n letters), or its plural when
 * it is the phrase's last word ("usgae types")? */
static bool word_exact(const struct slice *t, const char *w, size_t n, bool last)
{
	return (t->n == n || (last && t->n == n + 1 && t->p[n] == 's')) && memcmp(t->p, w, n) == 0;
}

/* A typo in one word of a phrase of several words whose other words are
 * exact: "instnace type", "usgae types", "shared servces", "reserverd
 * instance fees". The longest such phrases, then the closest, as a fuzzy
 * match over their tokens: a shorter phrase inside a longer one
 * ("reserved instance" in "reserved instance fee") would leave the rest
 * to be read on its own, as another name. */
static bool phrase_typo(const struct vocab *v, const struct token_list *toks, size_t i,
			bool (*is_reserved)(const struct slice *word), struct vocab_match *out)
{
	if (i + 1 >= toks->n || toks->items[i].kind != TOK_WORD)
		return false;
	/* the words a phrase here may take, once: a reserved word alone is
	 * the parser's ("by usgae" is no phrase), and so ends them */
	const struct slice *span[MAX_PHRASE_TOKENS];
	size_t nspan = 0;
	while (nspan < MAX_PHRASE_TOKENS && i + nspan < toks->n && toks->items[i + nspan].kind == TOK_WORD &&
	       !(is_reserved && is_reserved(&toks->items[i + nspan].text))) {
		span[nspan] = &toks->items[i + nspan].text;
		nspan++;
	}
	size_t best_words = 0;
	int best = 3;
	out->nentries = 0;
	for (size_t k = 0; k < v->n && nspan >= 2; k++) {
		const struct vocab_entry *e = &v->items[k];
		if (e->first_space >= e->phrase_len)
			continue;
		/* first the exact words, cheaply: exactly one may differ */
		size_t words = 0, typo_at = SIZE_MAX, typo_n = 0;
		const char *typo_word = NULL;
		bool ok = true, typo_last = false;
		for (const char *w = e->phrase; ok && *w; words++) {
			size_t n = strcspn(w, " ");
			size_t at = i + words;
			const struct slice *t = words < nspan ? span[words] : NULL;
			bool last = w[n] == '\0';
			if (!t)
				ok = false;
			else if (!word_exact(t, w, n, last)) {
				ok = typo_at == SIZE_MAX;
				typo_at = at;
				typo_word = w;
				typo_n = n;
				typo_last = last;
			}
			w += n;
			while (*w == ' ')
				w++;
		}
		if (!ok || typo_at == SIZE_MAX || words < best_words)
			continue;
		/* then the one that differs: a typo of its word, or of the last
		 * word's plural ("tpyes", "typs" for "types") */
		const struct slice *t = &toks->items[typo_at].text;
		int d = word_typo(t, typo_word, typo_n);
		char plural[64];
		if (d < 1 && typo_last && typo_n + 1 < sizeof(plural)) {
			snprintf(plural, sizeof(plural), "%.*ss", (int)typo_n, typo_word);
			d = word_typo(t, plural, typo_n + 1);
		}
		if (d < 1 || (words == best_words && d > best))
			continue;
		/* one of the words must be one nobody knows, or there is no typo here */
		bool unknown = false;
		for (size_t at = i; at < i + words; at++)
			unknown |= !lexicon_is_known_word(&toks->items[at].text);
		if (!unknown)
			continue;
		if (words > best_words || d < best) {
			best_words = words;
			best = d;
			out->nentries = 0;
		}
		if (out->nentries < 6)
			out->entries[out->nentries++] = e;
	}
	if (!out->nentries)
		return false;
	out->first = i;
	out->last = i + best_words - 1;
	out->fuzzy = true;
	out->distance = best;
	sort_readings(out);
	return true;
}

bool vocab_match_at(const struct vocab *v, const struct token_list *toks, size_t i,
		    bool (*is_reserved)(const struct slice *word), bool fuzzy, struct vocab_match *out)
{
	char phrase[512], folded[512];
	memset(out, 0, sizeof(*out));
	if (i >= toks->n || toks->items[i].kind == TOK_PUNCT)
		return false;
	for (size_t len = MAX_PHRASE_TOKENS; len >= 1; len--) {
		size_t last = i;
		if (!phrase_at(toks, i, len, phrase, sizeof(phrase), &last))
			continue;
		size_t n = vocab_lookup(v, phrase, out->entries, 6);
		if (!n) {
			/* fold a plural last word */
			const char *space = strrchr(phrase, ' ');
			const char *word = space ? space + 1 : phrase;
			size_t prefix = (size_t)(word - phrase);
			char one[128];
			if (singular(word, strlen(word), one, sizeof(one)) && prefix + strlen(one) < sizeof(folded)) {
				memcpy(folded, phrase, prefix);
				strcpy(folded + prefix, one);
				n = vocab_lookup(v, folded, out->entries, 6);
			}
		}
		if (n) {
			/* A lone reserved word is the parser's, unless a synonym claims it. */
			if (len == 1 && is_reserved && is_reserved(&toks->items[i].text)) {
				size_t keep = 0;
				for (size_t k = 0; k < n; k++)
					if (!out->entries[k]->from_data)
						out->entries[keep++] = out->entries[k];
				n = keep;
				if (!n)
					continue;
			}
			/* "service catgory", "nat gatway": a one-word match whose
			 * next word is a typo of the rest of a longer phrase reads
			 * as that phrase */
			struct vocab_match longer;
			if (fuzzy && len == 1 && phrase_typo(v, toks, i, is_reserved, &longer) && longer.distance <= 1) {
				*out = longer;
				return true;
			}
			out->first = i;
			out->last = last;
			out->nentries = (int)n;
			sort_readings(out);
			return true;
		}
	}
	if (fuzzy && phrase_typo(v, toks, i, is_reserved, out))
		return true;
	/* A typo in one word: the closest single-word phrases. Codes with
	 * digits are never typos of each other ("us-east-2" is not
	 * "us-east-1", "m5.24xlarge" not "m5.4xlarge"); two edits only from
	 * nine letters ("starting" is not "staging"), a plural compared as its
	 * singular ("servcies": "service"). */
	const struct token *t = &toks->items[i];
	if (!fuzzy || t->kind != TOK_WORD || t->text.n < 4 || (is_reserved && is_reserved(&t->text)) ||
	    strpbrk_n(t->text.p, t->text.n, "0123456789"))
		return false;
	/* the plural's singular, or the word less a final 's' ("servcies") */
	char one[64];
	bool has_one = t->text.n > 4 && t->text.n < sizeof(one) && t->text.p[t->text.n - 1] == 's';
	if (has_one) {
		memcpy(one, t->text.p, t->text.n - 1);
		one[t->text.n - 1] = '\0';
	}
	int limit = t->text.n >= 9 ? 2 : 1, best = limit + 1;
	for (size_t k = 0; k < v->n; k++) {
		const struct vocab_entry *e = &v->items[k];
		size_t pn = e->phrase_len;
		if (e->first_space < pn || pn < 4)
			continue;
		int d = edit_distance(t->text.p, t->text.n, e->phrase, pn, limit);
		if (has_one) {
			size_t on = t->text.n - 1;
			int ds = edit_distance(one, on, e->phrase, pn, limit);
			if (ds < d && (on >= 6 || lexicon_short_typo(one, on, e->phrase, pn)))
				d = ds;
		}
		if (d == 1 && t->text.n < 6 && !lexicon_short_typo(t->text.p, t->text.n, e->phrase, pn))
			d = limit + 1;
		if (d > limit || d > best)
			continue;
		if (d < best) {
			best = d;
			out->nentries = 0;
		}
		bool dup = false;
		for (int x = 0; x < out->nentries; x++)
			dup |= same_reading(out->entries[x], e) ||
			       (out->entries[x]->nvalues == 1 && e->nvalues == 1 &&
				dim_ref_eq(&out->entries[x]->col, &e->col) && strcmp(out->entries[x]->values[0], e->values[0]) == 0);
		if (!dup && out->nentries < 6)
			out->entries[out->nentries++] = e;
	}
	if (!out->nentries)
		return false;
	out->first = out->last = i;
	out->fuzzy = true;
	out->distance = best;
	sort_readings(out);
	return true;
}
