/*
 * demo_parts: what the files of src/demo/ share, and nothing outside it
 * may use. demo_catalogue.c holds the catalogue (accounts, regions,
 * resource kinds, meters, events, the CUR 2.0 columns) and the SQL that
 * loads it; demo_sql.c writes the rest of the generator's SQL; demo.c
 * plans the counts and runs it all (demo.h is the public interface).
 */
#ifndef FINQ_DEMO_PARTS_H
#define FINQ_DEMO_PARTS_H

#include "demo.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the catalogue (demo_catalogue.c) ---- */

/* The sizes of the catalogue's tables: declared here so that the other
 * files can count them and size arrays by them. demo_catalogue.c checks
 * each against its table when it compiles. */
#define DEMO_N_ACCOUNTS 6
#define DEMO_N_REGIONS 5
#define DEMO_N_PRESENCES 13
#define DEMO_N_TEAMS 5
#define DEMO_N_COST_CENTERS 5
#define DEMO_N_PROJECTS 4
#define DEMO_N_APPS 10
#define DEMO_N_RTYPES 41
#define DEMO_N_KINDS 32
#define DEMO_N_METERS 50
#define DEMO_N_EVENTS 2
#define DEMO_N_ADJUSTMENTS 2
#define DEMO_N_FEE_SERVICES 2
#define DEMO_N_SUPPORT_TIERS 4
#define DEMO_N_COLUMNS 73

/* ---- the catalogue ---- */

#define PAYER_ID "111122223333"
#define PAYER_NAME "Acme Corp"
#define LEGAL_ENTITY "Amazon Web Services, Inc."
#define WEEKEND_FACTOR 0.55 /* usage at weekends in seasonal accounts */
#define EDP_DISCOUNT 0.03   /* private pricing: net = 97% of unblended usage */
#define SP_HEADROOM 1.03    /* commitment = busiest day's covered cost x this */
#define TAX_RATE 0.0625
#define RI_TERM_HOURS 26280 /* 3 years */
/* Usage types a Savings Plan / a reservation could cover (regular
 * expressions over the usage type), for the manifest's coverage: AWS's
 * rules as docs/commitments.md states them; Spot is neither. */
#define SP_ELIGIBLE "BoxUsage|DedicatedUsage|HostUsage|Fargate-vCPU-Hours|Fargate-GB-Hours|Lambda-GB-Second"
#define RI_ELIGIBLE "BoxUsage|DedicatedUsage|HostUsage|InstanceUsage|Multi-AZUsage|NodeUsage|ESInstance|Node:"
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

struct region {
	const char *code, *location;
	const char *ut; /* usage type prefix without the dash */
	bool bare;      /* most usage types carry no prefix here (us-east-1) */
	double price;   /* price relative to us-east-1 */
};

/* Where each account runs, and its share there. */
struct presence {
	const char *account, *region;
	double share;
};

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

/* One-off lines, in the month at `at` of the range; amounts at --scale 1. */
struct adjustment {
	const char *type, *account, *product_code, *description;
	double at, amount;
};

/* Services that only month-level lines carry. */
struct service {
	const char *product_code, *name;
};

/* AWS Business support: a share of each slice of the month's charges. */
struct tier {
	double upto, share;
};

#define SUPPORT_MINIMUM 100.0

/* The columns of a CUR 2.0 export (cur-dev/cur2.parquet), in order, and
 * how a usage row fills them from the view u; NULL: no value. `negation`
 * overrides usage for the SavingsPlanNegation copy of a covered row. */
struct column {
	const char *name, *type, *usage, *negation;
};

#define MAP_VV "MAP(VARCHAR, VARCHAR)"

/* demo_catalogue.c defines these (without the declarations, so that its
 * tables take their sizes from their rows and the checks mean something). */
#ifndef DEMO_CATALOGUE_DEFINITIONS
extern const struct account accounts[DEMO_N_ACCOUNTS];
extern const struct region regions[DEMO_N_REGIONS];
extern const struct presence presences[DEMO_N_PRESENCES];
extern const char *const teams[DEMO_N_TEAMS];
extern const char *const cost_centers[DEMO_N_COST_CENTERS];
extern const char *const projects[DEMO_N_PROJECTS];
extern const char *const apps[DEMO_N_APPS];
extern const struct rtype rtypes[DEMO_N_RTYPES];
extern const struct kind kinds[DEMO_N_KINDS];
extern const struct meter meters[DEMO_N_METERS];
extern const struct event events[DEMO_N_EVENTS];
extern const struct adjustment adjustments[DEMO_N_ADJUSTMENTS];
extern const struct service fee_services[DEMO_N_FEE_SERVICES];
extern const struct tier support_tiers[DEMO_N_SUPPORT_TIERS];
extern const struct column columns[DEMO_N_COLUMNS];
#endif

/* ---- the plan: counts and positions computed in C (demo.c) ---- */

struct plan {
	const struct demo_options *opt;
	int ndays, nmonths;
	double scale;              /* of the per-account meters and the adjustments */
	int64_t count[DEMO_N_KINDS];
	int kind_lo[DEMO_N_KINDS], kind_hi[DEMO_N_KINDS]; /* LIFE_SPIKE days */
	int event_lo[DEMO_N_EVENTS], event_hi[DEMO_N_EVENTS];
	const char *stage;         /* where rm is staged as Parquet (see sql_usage_view) */
};

/* ---- SQL text (demo_sql.c) ---- */

/* A list of statements, run one by one. */
struct script {
	char **stmt;
	size_t n, alloc;
};

int days_from_civil(int y, int m, int d);
void civil_from_days(int z, int *y, int *m, int *d);
uint64_t splitmix64(uint64_t x);
int account_index(const char *name);
int region_index(const char *code);
int kind_index(const char *name);
int meter_index(const char *kind, const char *usage_type);
int clamp(int v, int lo, int hi);
void demo_plan_init(struct plan *p, const struct demo_options *opt);
void script_add(struct script *s, struct strbuf *sb);
void script_release(struct script *s);
void add_lit(struct strbuf *sb, const char *s);
void add_num(struct strbuf *sb, double v);
void add_bool(struct strbuf *sb, bool v);
void add_index_or_null(struct strbuf *sb, int i);
int orphan_end(const struct plan *p);
void sql_usage_view(struct script *s, const struct plan *p);
void sql_copy(struct strbuf *sb, const struct plan *p, const char *path);
void sql_summary(struct strbuf *sb);
void sql_commitments(struct strbuf *sb);
void build_script(struct script *s, const struct plan *p);
void sql_catalogue(struct script *s, const struct plan *p);

#endif
