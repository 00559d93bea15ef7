/*
 * demo: `finq demo`, the deterministic generator of realistic AWS CUR 2.0
 * sample data. See demo.h.
 *
 * The catalogue (demo_catalogue.c: accounts, regions, resource types, resource kinds,
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
 * cmd_demo() (cli/cmd_demo.c) parses the options, calls demo_generate()
 * and loads the file with load_paths(), exactly as `finq load` would; this
 * file knows nothing of the canonical table.
 */
#include "db.h"
#include "demo_parts.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- dates ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
int days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int z, int *y, int *m, int *d)
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

int demo_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int demo_default_start(int end)
{
	return month_start_before(end, 12);
}

int64_t demo_rows_for_scale(double scale, int start, int end)
{
	double days = end - start + 1;
	int64_t rows = llround(scale * DEMO_ROWS_PER_SCALE * days / ROWS_DAYS);
	return rows < 1 ? 1 : rows;
}

/* ---- the plan: counts and positions computed in C ---- */

uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

int account_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(accounts); i++)
		if (strcmp(accounts[i].name, name) == 0)
			return (int)i;
	abort(); /* the catalogue names an account it does not define */
}

int region_index(const char *code)
{
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++)
		if (strcmp(regions[i].code, code) == 0)
			return (int)i;
	abort();
}

int kind_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return (int)i;
	abort();
}

int meter_index(const char *kind, const char *usage_type)
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

int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Day of an event at `at` of the range, moved by -3..3 days by the seed. */
static int event_day(const struct plan *p, double at, uint64_t salt)
{
	int jitter = (int)(splitmix64(p->opt->seed ^ (salt * 0x9e3779b97f4a7c15ULL)) % 7) - 3;
	return clamp((int)floor(p->ndays * at) + jitter, 0, p->ndays - 1);
}

void demo_plan_init(struct plan *p, const struct demo_options *opt)
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

static int report_commitments(struct db *db, struct demo_report *rep, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	struct table t;
	table_init(&t);
	sql_commitments(&sb);
	int rc = db_query(db, sb.buf, &t, 0, e);
	strbuf_release(&sb);
	if (rc < 0) {
		err_prefix(e, "summarising the demo's commitments");
		e->code = ERR_FAILED;
	}
	for (size_t r = 0; rc == 0 && r < t.nrows && rep->ncommitments < DEMO_MAX_COMMITMENTS; r++) {
		struct demo_commitment *c = &rep->commitments[rep->ncommitments++];
		char buf[64];
		copy_text(c->month, sizeof(c->month), cell_format(table_at(&t, r, 0), buf, sizeof(buf)));
		copy_text(c->kind, sizeof(c->kind), cell_format(table_at(&t, r, 1), buf, sizeof(buf)));
		c->commitment = cell_number(table_at(&t, r, 2));
		c->used = cell_number(table_at(&t, r, 3));
		c->covered = cell_number(table_at(&t, r, 4));
		c->eligible = cell_number(table_at(&t, r, 5));
	}
	table_release(&t);
	return rc;
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
		return err_set_code(e, ERR_USAGE, "the range ends before it starts");
	table_init(&t);
	/* Both next to the output, so that they are on the same file system
	 * (rename) and in a directory we can write. */
	tmp = xasprintf("%s.tmp%ld", opt->out, (long)getpid());
	stage = xasprintf("%s.stage%ld", opt->out, (long)getpid());
	FILE *probe = fopen(tmp, "w");
	if (!probe) {
		err_set_code(e, ERR_FAILED, "cannot write '%s': %s", opt->out, strerror(errno));
		free(tmp);
		free(stage);
		table_release(&t);
		return -1;
	}
	fclose(probe);
	demo_plan_init(&p, opt);
	p.stage = stage;
	build_script(&s, &p);

	struct db_config cfg = { NULL, false, false, opt->memory_limit, opt->threads };
	if (db_open(&db, &cfg, e)) {
		e->code = ERR_FAILED;
		goto out_script;
	}
	for (size_t i = 0; i < s.n; i++) {
		if (db_exec(&db, s.stmt[i], e)) {
			err_prefix(e, "generating the demo data");
			e->code = ERR_FAILED;
			goto out;
		}
	}

	/* Write next to the file and rename, so that a failure never leaves
	 * half a file under the real name. */
	sql_copy(&sb, &p, tmp);
	int64_t rows = 0;
	if (db_query_int(&db, sb.buf, &rows, e)) {
		err_prefix(e, "cannot write '%s'", opt->out);
		e->code = ERR_FAILED;
		goto out;
	}
	if (rename(tmp, opt->out)) {
		err_set_code(e, ERR_FAILED, "cannot write '%s': %s", opt->out, strerror(errno));
		goto out;
	}

	strbuf_reset(&sb);
	sql_summary(&sb);
	if (db_query(&db, sb.buf, &t, 1, e) || t.nrows != 1) {
		err_prefix(e, "summarising the demo data");
		e->code = ERR_FAILED;
		goto out;
	}
	rep->rows = rows;
	rep->resources = (int64_t)cell_number(table_at(&t, 0, 1));
	rep->accounts = (int)cell_number(table_at(&t, 0, 2));
	rep->services = (int)cell_number(table_at(&t, 0, 3));
	rep->unblended = cell_number(table_at(&t, 0, 4));
	rep->amortized = cell_number(table_at(&t, 0, 5));
	report_events(&p, rep);
	if (report_commitments(&db, rep, e) < 0)
		goto out;
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
