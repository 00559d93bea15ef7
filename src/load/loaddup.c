/*
 * loaddup: find and drop sources of one load that hold the same charges.
 * See loaddup.h for the contract; docs/data.md for the rules in words.
 *
 * The unit compared is one file's rows of one key (billing period,
 * provider, payer). Two files of the same export format are compared row
 * by row through a fingerprint of the canonical row (every column but
 * `source` and `load_id`): the canonical row of a CUR line item carries
 * its usage interval, account, resource, usage type, operation,
 * description and costs, which is what identifies it once mapped. Files of
 * different formats covering one key are two exports of the same bill.
 * Which delivery to keep is decided by the rules of keep_rules[], tried in
 * order.
 */
#include "loaddup.h"
#include "err.h"
#include "strbuf.h"
#include "xalloc.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Shares of rows in common (of the smaller file's distinct rows) below
 * which two files are parts of one delivery, and from which they are two
 * deliveries of the same charges; in between, finq cannot tell. Parts of
 * one delivery share no line item; a copy shares all; a later cumulative
 * snapshot shares the days both cover. The low bound allows rare rows
 * that are identical once mapped (say, two equal tax lines). */
#define PARTS_BELOW 0.01
#define SAME_FROM 0.5

struct cand {
	char *period, *provider, *payer; /* the key */
	char *source;
	int file;                        /* index into the files, -1 unknown */
	int64_t rows, distinct, periods;
	double unblended, amortized;     /* to the cent */
	char *first_usage, *last_usage;  /* min and max(charge_start) as text */
	struct timespec mtime;
	bool dropped;
	size_t nmembers;                 /* files of a delivery (resolve_deliveries); 1 for a file */
};

struct pair {
	size_t a, b; /* cands of one key */
	int64_t common;
};

struct drop {
	size_t dropped, kept;
	const char *rule;
	char why[512];
};

/* Two time slices of the usage that overlap (an Athena query per day, say):
 * the rows of `other` that `kept` also holds, in the hours both cover. */
struct timeslice {
	size_t kept, other;
	char from[32], to[32];
};

struct dup {
	struct db *db;
	long long load_id;
	const struct loaddup_file *files;
	size_t nfiles;
	struct cand *cands;
	size_t ncands;
	struct pair *pairs;
	size_t npairs, alloc_pairs;
	struct drop *drops;
	size_t ndrops, alloc_drops;
	struct timeslice *slices;
	size_t nslices, alloc_slices;
};

/* ---- the keep rules ---- */

static bool same_key(const struct cand *a, const struct cand *b)
{
	return strcmp(a->period, b->period) == 0 && strcmp(a->provider, b->provider) == 0 &&
	       strcmp(a->payer, b->payer) == 0;
}

static enum export_format cand_format(const struct dup *d, const struct cand *c)
{
	return c->file >= 0 ? d->files[c->file].format : FORMAT_UNKNOWN;
}

static int64_t common_rows(const struct dup *d, size_t a, size_t b)
{
	for (size_t i = 0; i < d->npairs; i++)
		if ((d->pairs[i].a == a && d->pairs[i].b == b) || (d->pairs[i].a == b && d->pairs[i].b == a))
			return d->pairs[i].common;
	return 0;
}

static bool same_format(const struct dup *d, size_t a, size_t b)
{
	enum export_format fa = cand_format(d, &d->cands[a]);
	return fa != FORMAT_UNKNOWN && fa == cand_format(d, &d->cands[b]);
}

/*
 * A keep rule compares kept (met first) with other: > 0 keeps kept, < 0
 * keeps other, 0 cannot tell. It writes why into a buffer, naming the
 * loser first (the message reads "skipped LOSER ...: WHY").
 */
typedef int (*keep_rule_fn)(const struct dup *d, size_t kept, size_t other, char *why, size_t size);

/* The same charges (a copy, or the same bill in another format): keep the
 * one met first; nothing is lost either way. */
static int rule_same_charges(const struct dup *d, size_t k, size_t o, char *why, size_t size)
{
	const struct cand *a = &d->cands[k], *b = &d->cands[o];
	if (a->rows != b->rows || fabs(a->unblended - b->unblended) >= 0.005 || fabs(a->amortized - b->amortized) >= 0.005)
		return 0;
	if (same_format(d, k, o)) {
		if (a->distinct != b->distinct || common_rows(d, k, o) != a->distinct)
			return 0;
		snprintf(why, size, "the same rows as '%s', which is loaded (decided by: same charges)", a->source);
	} else {
		snprintf(why, size, "the same charges as '%s' (%s), which is loaded: as many rows, the same totals "
			 "(decided by: same charges)",
			 a->source, export_format_name(cand_format(d, a)));
	}
	return 1;
}

/* CUR deliveries are cumulative month-to-date: the later one has charges
 * for later hours. */
static int rule_latest_usage(const struct dup *d, size_t k, size_t o, char *why, size_t size)
{
	const struct cand *a = &d->cands[k], *b = &d->cands[o];
	int c = strcmp(a->last_usage, b->last_usage);
	if (c == 0)
		return 0;
	const struct cand *win = c > 0 ? a : b, *lose = c > 0 ? b : a;
	snprintf(why, size, "'%s' is a later month-to-date delivery: its charges run to %s, "
		 "those skipped to %s (decided by: latest usage)", win->source, win->last_usage, lose->last_usage);
	return c > 0 ? 1 : -1;
}

static void format_mtime(const struct timespec *t, char *buf, size_t size)
{
	struct tm tm;
	time_t s = t->tv_sec;
	gmtime_r(&s, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%SZ", &tm);
}

static int rule_mtime(const struct dup *d, size_t k, size_t o, char *why, size_t size)
{
	const struct cand *a = &d->cands[k], *b = &d->cands[o];
	int c = a->mtime.tv_sec != b->mtime.tv_sec ? (a->mtime.tv_sec > b->mtime.tv_sec ? 1 : -1)
		: a->mtime.tv_nsec != b->mtime.tv_nsec ? (a->mtime.tv_nsec > b->mtime.tv_nsec ? 1 : -1) : 0;
	if (c == 0)
		return 0;
	const struct cand *win = c > 0 ? a : b, *lose = c > 0 ? b : a;
	char tw[32], tl[32];
	format_mtime(&win->mtime, tw, sizeof(tw));
	format_mtime(&lose->mtime, tl, sizeof(tl));
	snprintf(why, size, "'%s' is the newer delivery: modified %s, the one skipped %s, "
		 "both run to the same usage hour (decided by: modification time)", win->source, tw, tl);
	return c;
}

static const struct keep_rule {
	const char *name;
	keep_rule_fn decide;
} keep_rules[] = {
	{ "same charges", rule_same_charges },
	{ "latest usage", rule_latest_usage },
	{ "modification time", rule_mtime },
};

/* ---- reading the load's rows ---- */

static int find_file(const struct dup *d, const char *source)
{
	for (size_t i = 0; i < d->nfiles; i++)
		if (strcmp(d->files[i].path, source) == 0)
			return (int)i;
	return -1;
}

static char *cell_text(const struct table *t, size_t r, size_t c)
{
	const struct cell *v = table_at(t, r, c);
	char buf[64];
	if (v->kind == CELL_TEXT || v->kind == CELL_DATE || v->kind == CELL_JSON)
		return xstrdup(v->v.s); /* whole: a path is longer than buf */
	return xstrdup(v->kind == CELL_NULL ? "" : cell_format(v, buf, sizeof(buf)));
}

/* A row's fingerprint: every canonical column but where it came from. */
static void add_fingerprint(struct strbuf *sql)
{
	bool first = true;
	strbuf_addstr(sql, "hash(");
	for (const char *const *c = costs_columns; *c; c++) {
		if (strcmp(*c, "source") == 0 || strcmp(*c, "load_id") == 0)
			continue;
		strbuf_addf(sql, "%s%s", first ? "" : ", ", *c);
		first = false;
	}
	strbuf_addch(sql, ')');
}

/* Fingerprints of this load's rows of keys that more than one file
 * covers, in a temp table dropped by dup_release(). */
static int make_fingerprints(struct dup *d, struct err *e)
{
	struct strbuf sql;
	strbuf_init(&sql, 0);
	strbuf_addstr(&sql, "CREATE OR REPLACE TEMP TABLE finq_dup AS WITH r AS (SELECT billing_period, provider, "
		      "coalesce(payer_account_id, '') AS payer, source, unblended_cost, amortized_cost, charge_start, ");
	add_fingerprint(&sql);
	strbuf_addf(&sql, " AS fp FROM costs WHERE load_id = %lld), "
		    "multi AS (SELECT billing_period, provider, payer FROM r GROUP BY ALL HAVING count(DISTINCT source) > 1), "
		    "ps AS (SELECT source, count(DISTINCT (billing_period, provider, payer)) AS periods FROM r GROUP BY source) "
		    "SELECT r.*, ps.periods FROM r JOIN ps USING (source) "
		    "WHERE (billing_period, provider, payer) IN (SELECT * FROM multi)",
		    d->load_id);
	int rc = db_exec(d->db, sql.buf, e);
	strbuf_release(&sql);
	return rc;
}

static int read_cands(struct dup *d, struct err *e)
{
	struct table t;
	table_init(&t);
	int rc = db_query(d->db,
			  "SELECT strftime(billing_period, '%Y-%m'), provider, payer, source, count(*), count(DISTINCT fp), "
			  "round(sum(unblended_cost), 2), round(sum(amortized_cost), 2), "
			  "coalesce(strftime(max(charge_start), '%Y-%m-%d %H:%M'), ''), any_value(periods), "
			  "coalesce(strftime(min(charge_start), '%Y-%m-%d %H:%M'), '') "
			  "FROM finq_dup GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 10 DESC, 4",
			  &t, 0, e);
	if (rc == 0) {
		d->ncands = t.nrows;
		d->cands = xcalloc(t.nrows ? t.nrows : 1, sizeof(*d->cands));
		for (size_t r = 0; r < t.nrows; r++) {
			struct cand *c = &d->cands[r];
			struct stat st;
			c->period = cell_text(&t, r, 0);
			c->provider = cell_text(&t, r, 1);
			c->payer = cell_text(&t, r, 2);
			c->source = cell_text(&t, r, 3);
			c->rows = (int64_t)cell_number(table_at(&t, r, 4));
			c->distinct = (int64_t)cell_number(table_at(&t, r, 5));
			c->unblended = cell_number(table_at(&t, r, 6));
			c->amortized = cell_number(table_at(&t, r, 7));
			c->last_usage = cell_text(&t, r, 8);
			c->periods = (int64_t)cell_number(table_at(&t, r, 9));
			c->first_usage = cell_text(&t, r, 10);
			c->file = find_file(d, c->source);
			c->nmembers = 1;
			if (stat(c->source, &st) == 0)
				c->mtime = st.st_mtim;
		}
	}
	table_release(&t);
	return rc;
}

static size_t cand_index(const struct dup *d, const char *period, const char *provider, const char *payer,
			 const char *source)
{
	for (size_t i = 0; i < d->ncands; i++) {
		const struct cand *c = &d->cands[i];
		if (strcmp(c->period, period) == 0 && strcmp(c->provider, provider) == 0 &&
		    strcmp(c->payer, payer) == 0 && strcmp(c->source, source) == 0)
			return i;
	}
	return d->ncands;
}

static int read_pairs(struct dup *d, struct err *e)
{
	struct table t;
	table_init(&t);
	int rc = db_query(d->db,
			  "WITH f AS (SELECT DISTINCT billing_period, provider, payer, source, fp FROM finq_dup) "
			  "SELECT strftime(a.billing_period, '%Y-%m'), a.provider, a.payer, a.source, b.source, count(*) "
			  "FROM f a JOIN f b ON a.billing_period = b.billing_period AND a.provider = b.provider "
			  "AND a.payer = b.payer AND a.fp = b.fp AND a.source < b.source GROUP BY 1, 2, 3, 4, 5",
			  &t, 0, e);
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		char *k[5];
		for (size_t c = 0; c < 5; c++)
			k[c] = cell_text(&t, r, c);
		size_t a = cand_index(d, k[0], k[1], k[2], k[3]), b = cand_index(d, k[0], k[1], k[2], k[4]);
		if (a < d->ncands && b < d->ncands) {
			ALLOC_GROW(d->pairs, d->npairs + 1, d->alloc_pairs);
			d->pairs[d->npairs++] = (struct pair){ a, b, (int64_t)cell_number(table_at(&t, r, 5)) };
		}
		for (size_t c = 0; c < 5; c++)
			free(k[c]);
	}
	table_release(&t);
	return rc;
}

/* ---- deciding ---- */

static void key_words(const struct cand *c, char *buf, size_t size)
{
	snprintf(buf, size, "billing period %s of %s payer %s", c->period, c->provider, *c->payer ? c->payer : "(none)");
}

static void add_key_filter(struct strbuf *sql, const struct cand *c)
{
	strbuf_addstr(sql, "strftime(billing_period, '%Y-%m') = ");
	strbuf_add_sql_literal(sql, c->period);
	strbuf_addstr(sql, " AND provider = ");
	strbuf_add_sql_literal(sql, c->provider);
	strbuf_addstr(sql, " AND coalesce(payer_account_id, '') = ");
	strbuf_add_sql_literal(sql, c->payer);
}

/*
 * Two files sharing some rows are overlapping time slices when, in the
 * hours both cover, each holds exactly the rows of the other: then only
 * the shared rows are counted once. 1 if so (*out filled), 0 if not.
 */
static int is_slice(const struct dup *d, size_t k, size_t o, struct timeslice *out, struct err *e)
{
	const struct cand *a = &d->cands[k], *b = &d->cands[o];
	if (a->nmembers != 1 || b->nmembers != 1)
		return 0; /* compared by source name below */
	const char *from = strcmp(a->first_usage, b->first_usage) > 0 ? a->first_usage : b->first_usage;
	const char *to = strcmp(a->last_usage, b->last_usage) < 0 ? a->last_usage : b->last_usage;
	if (strcmp(from, to) > 0)
		return 0;
	struct strbuf sql;
	strbuf_init(&sql, 0);
	strbuf_addstr(&sql, "WITH w AS (SELECT DISTINCT source, fp FROM finq_dup WHERE strftime(billing_period, '%Y-%m') = ");
	strbuf_add_sql_literal(&sql, a->period);
	strbuf_addstr(&sql, " AND provider = ");
	strbuf_add_sql_literal(&sql, a->provider);
	strbuf_addstr(&sql, " AND payer = ");
	strbuf_add_sql_literal(&sql, a->payer);
	strbuf_addstr(&sql, " AND strftime(charge_start, '%Y-%m-%d %H:%M') BETWEEN ");
	strbuf_add_sql_literal(&sql, from);
	strbuf_addstr(&sql, " AND ");
	strbuf_add_sql_literal(&sql, to);
	strbuf_addstr(&sql, "), a AS (SELECT fp FROM w WHERE source = ");
	strbuf_add_sql_literal(&sql, a->source);
	strbuf_addstr(&sql, "), b AS (SELECT fp FROM w WHERE source = ");
	strbuf_add_sql_literal(&sql, b->source);
	strbuf_addstr(&sql, ") SELECT (SELECT count(*) FROM a) = (SELECT count(*) FROM b) AND "
		      "(SELECT count(*) FROM a) = (SELECT count(*) FROM (SELECT fp FROM a INTERSECT SELECT fp FROM b)) "
		      "AND (SELECT count(*) FROM a) = ");
	strbuf_addf(&sql, "%lld", (long long)common_rows(d, k, o));
	int64_t yes = 0;
	int rc = db_query_int(d->db, sql.buf, &yes, e);
	strbuf_release(&sql);
	if (rc)
		return -1;
	if (!yes)
		return 0;
	*out = (struct timeslice){ .kept = k, .other = o };
	snprintf(out->from, sizeof(out->from), "%s", from);
	snprintf(out->to, sizeof(out->to), "%s", to);
	return 1;
}

/* 1: the two hold the same charges, 0: parts of one delivery, 2:
 * overlapping time slices (added to d->slices), -1: cannot tell (e says
 * why). */
static int overlap(struct dup *d, size_t k, size_t o, struct err *e)
{
	if (!same_format(d, k, o))
		return 1;
	const struct cand *a = &d->cands[k], *b = &d->cands[o];
	int64_t smaller = a->distinct < b->distinct ? a->distinct : b->distinct;
	double share = smaller > 0 ? (double)common_rows(d, k, o) / (double)smaller : 0;
	if (share < PARTS_BELOW)
		return 0;
	if (share >= SAME_FROM)
		return 1;
	struct timeslice sl;
	int sliced = is_slice(d, k, o, &sl, e);
	if (sliced < 0)
		return -1;
	if (sliced) {
		ALLOC_GROW(d->slices, d->nslices + 1, d->alloc_slices);
		d->slices[d->nslices++] = sl;
		return 2;
	}
	char key[256];
	key_words(a, key, sizeof(key));
	return err_set_code(e, ERR_BAD_INPUT,
			    "'%s' and '%s' share %lld of their rows of %s: too many for parts of one delivery "
			    "(which share none), too few for two deliveries of the same charges; load them separately",
			    a->source, b->source, (long long)common_rows(d, k, o), key);
}

/* Which of kept and other to keep: > 0 kept, < 0 other; -1 with e set
 * when no rule decides. */
static int decide(struct dup *d, size_t k, size_t o, struct drop *out, struct err *e)
{
	for (size_t r = 0; r < sizeof(keep_rules) / sizeof(keep_rules[0]); r++) {
		int v = keep_rules[r].decide(d, k, o, out->why, sizeof(out->why));
		if (v == 0)
			continue;
		out->rule = keep_rules[r].name;
		out->kept = v > 0 ? k : o;
		out->dropped = v > 0 ? o : k;
		return 0;
	}
	const struct cand *a = &d->cands[k], *b = &d->cands[o];
	char key[256], when[32];
	key_words(a, key, sizeof(key));
	format_mtime(&a->mtime, when, sizeof(when));
	return err_set_code(e, ERR_BAD_INPUT,
			    "'%s' and '%s' both hold %s with different charges, and finq cannot tell which delivery "
			    "is the newer: both run to the same usage hour (%s) and were modified at the same time (%s); "
			    "load only the one you want",
			    a->source, b->source, key, a->last_usage, when);
}

static void add_drop(struct dup *d, const struct drop *dr)
{
	ALLOC_GROW(d->drops, d->ndrops + 1, d->alloc_drops);
	d->drops[d->ndrops++] = *dr;
	d->cands[dr->dropped].dropped = true;
}

/* Keys' candidates come in order: more billing periods first (the fuller
 * export), then by name. Each either joins the kept ones (no overlap:
 * another part of a delivery), replaces those it beats, or is dropped. */
static int resolve_key(struct dup *d, size_t from, size_t to, struct err *e)
{
	bool *same = xcalloc(to - from, sizeof(*same)); /* overlaps the candidate o */
	int rc = -1;
	for (size_t o = from + 1; o < to; o++) {
		int wins = 0, losses = 0;
		struct drop first_loss = { 0 };
		for (size_t k = from; k < o; k++) {
			same[k - from] = false;
			if (d->cands[k].dropped)
				continue;
			int ov = overlap(d, k, o, e);
			if (ov < 0)
				goto out;
			if (ov != 1)
				continue;
			same[k - from] = true;
			struct drop dr = { 0 };
			if (decide(d, k, o, &dr, e))
				goto out;
			if (dr.kept == k) {
				if (losses++ == 0)
					first_loss = dr;
			} else {
				wins++;
			}
		}
		if (wins && losses) {
			char key[256];
			key_words(&d->cands[o], key, sizeof(key));
			err_set_code(e, ERR_BAD_INPUT,
				     "cannot tell which delivery of %s to keep: '%s' is newer than some files "
				     "of another delivery and older than others; load one delivery at a time",
				     key, d->cands[o].source);
			goto out;
		}
		if (losses) {
			add_drop(d, &first_loss);
			continue;
		}
		for (size_t k = from; wins && k < o; k++) {
			if (d->cands[k].dropped || !same[k - from])
				continue;
			struct drop dr = { 0 };
			decide(d, k, o, &dr, e);
			add_drop(d, &dr);
		}
	}
	rc = 0;
out:
	free(same);
	return rc;
}

/* ---- deliveries: the files of one folder that are parts of one ---- */

static void dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	snprintf(buf, size, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
}

static bool parts_of_one(const struct dup *d, size_t a, size_t b)
{
	char da[4096], db_[4096];
	dir_of(d->cands[a].source, da, sizeof(da));
	dir_of(d->cands[b].source, db_, sizeof(db_));
	if (strcmp(da, db_) != 0 || !same_format(d, a, b))
		return false;
	int64_t smaller = d->cands[a].distinct < d->cands[b].distinct ? d->cands[a].distinct : d->cands[b].distinct;
	return smaller == 0 || (double)common_rows(d, a, b) / (double)smaller < PARTS_BELOW;
}

/*
 * A delivery is split into parts (`-00001`, `-00002`, ...) in one folder,
 * and the part boundaries of two deliveries need not match: compared file
 * by file, each part of an older delivery shares only some rows with each
 * part of a newer one. So the files of a key are first gathered into
 * deliveries (same folder, same format, no rows in common; a copy in the
 * same folder stays apart), which are then compared as wholes by
 * resolve_key() over a dup of their own; its verdicts come back to the
 * files. Returns -1 with e set when resolve_key() refuses.
 */
static int resolve_deliveries(struct dup *d, size_t from, size_t to, struct err *e)
{
	size_t n = to - from, nunits = 0;
	size_t *unit = xcalloc(n, sizeof(*unit)); /* file from+i belongs to unit[i] */
	for (size_t i = 0; i < n; i++) {
		unit[i] = nunits;
		for (size_t u = 0; u < nunits && unit[i] == nunits; u++) {
			bool all = true;
			for (size_t j = 0; j < i && all; j++)
				if (unit[j] == u)
					all = parts_of_one(d, from + j, from + i);
			if (all)
				unit[i] = u;
		}
		if (unit[i] == nunits)
			nunits++;
	}
	if (nunits == n) {
		free(unit);
		return resolve_key(d, from, to, e);
	}
	struct dup u = { .db = d->db, .load_id = d->load_id, .files = d->files, .nfiles = d->nfiles };
	u.ncands = nunits;
	u.cands = xcalloc(nunits, sizeof(*u.cands));
	for (size_t k = 0; k < nunits; k++) {
		struct cand *c = &u.cands[k];
		for (size_t i = 0; i < n; i++) {
			const struct cand *f = &d->cands[from + i];
			if (unit[i] != k)
				continue;
			if (c->nmembers++ == 0) {
				c->period = xstrdup(f->period);
				c->provider = xstrdup(f->provider);
				c->payer = xstrdup(f->payer);
				c->source = xstrdup(f->source);
				c->first_usage = xstrdup(f->first_usage);
				c->last_usage = xstrdup(f->last_usage);
				c->file = f->file;
				c->mtime = f->mtime;
			} else {
				if (strcmp(f->first_usage, c->first_usage) < 0) {
					free(c->first_usage);
					c->first_usage = xstrdup(f->first_usage);
				}
				if (strcmp(f->last_usage, c->last_usage) > 0) {
					free(c->last_usage);
					c->last_usage = xstrdup(f->last_usage);
				}
				if (f->mtime.tv_sec > c->mtime.tv_sec ||
				    (f->mtime.tv_sec == c->mtime.tv_sec && f->mtime.tv_nsec > c->mtime.tv_nsec))
					c->mtime = f->mtime;
			}
			c->rows += f->rows;
			c->distinct += f->distinct;
			c->unblended += f->unblended;
			c->amortized += f->amortized;
			if (f->periods > c->periods)
				c->periods = f->periods;
		}
		if (c->nmembers > 1) {
			char dir[4096];
			dir_of(c->source, dir, sizeof(dir));
			free(c->source);
			c->source = xasprintf("%s/ (%zu files)", dir, c->nmembers);
		}
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			int64_t common = common_rows(d, from + i, from + j);
			if (unit[i] == unit[j] || common == 0)
				continue;
			size_t a = unit[i] < unit[j] ? unit[i] : unit[j], b = unit[i] < unit[j] ? unit[j] : unit[i];
			size_t p = 0;
			while (p < u.npairs && !(u.pairs[p].a == a && u.pairs[p].b == b))
				p++;
			if (p == u.npairs) {
				ALLOC_GROW(u.pairs, u.npairs + 1, u.alloc_pairs);
				u.pairs[u.npairs++] = (struct pair){ a, b, 0 };
			}
			u.pairs[p].common += common;
		}
	int rc = resolve_key(&u, 0, nunits, e);
	if (rc == 0) {
		/* each file of a dropped delivery is dropped, kept by the first
		 * file of the delivery that won */
		for (size_t k = 0; k < u.ndrops; k++)
			for (size_t i = 0; i < n; i++) {
				if (unit[i] != u.drops[k].dropped)
					continue;
				struct drop dr = u.drops[k];
				dr.dropped = from + i;
				for (size_t j = 0; j < n; j++)
					if (unit[j] == u.drops[k].kept) {
						dr.kept = from + j;
						break;
					}
				add_drop(d, &dr);
			}
		for (size_t k = 0; k < u.nslices; k++) {
			struct timeslice sl = u.slices[k];
			for (size_t i = 0; i < n; i++) {
				if (unit[i] == u.slices[k].kept)
					sl.kept = from + i;
				if (unit[i] == u.slices[k].other)
					sl.other = from + i;
			}
			ALLOC_GROW(d->slices, d->nslices + 1, d->alloc_slices);
			d->slices[d->nslices++] = sl;
		}
	}
	for (size_t k = 0; k < nunits; k++) {
		struct cand *c = &u.cands[k];
		free(c->period);
		free(c->provider);
		free(c->payer);
		free(c->source);
		free(c->first_usage);
		free(c->last_usage);
	}
	free(u.cands);
	free(u.pairs);
	free(u.drops);
	free(u.slices);
	free(unit);
	return rc;
}

/* The rows of a slice's other file that its kept file also holds. */
static int delete_slices(struct dup *d, int64_t *skipped, FILE *report, struct err *e)
{
	for (size_t i = 0; i < d->nslices; i++) {
		const struct timeslice *sl = &d->slices[i];
		const struct cand *k = &d->cands[sl->kept], *o = &d->cands[sl->other];
		if (k->dropped || o->dropped)
			continue;
		struct strbuf sql;
		strbuf_init(&sql, 0);
		strbuf_addf(&sql, "DELETE FROM costs WHERE load_id = %lld AND source = ", d->load_id);
		strbuf_add_sql_literal(&sql, o->source);
		strbuf_addstr(&sql, " AND ");
		add_key_filter(&sql, o);
		strbuf_addstr(&sql, " AND ");
		add_fingerprint(&sql);
		strbuf_addstr(&sql, " IN (SELECT fp FROM finq_dup WHERE source = ");
		strbuf_add_sql_literal(&sql, k->source);
		strbuf_addstr(&sql, " AND strftime(billing_period, '%Y-%m') = ");
		strbuf_add_sql_literal(&sql, k->period);
		strbuf_addstr(&sql, " AND provider = ");
		strbuf_add_sql_literal(&sql, k->provider);
		strbuf_addstr(&sql, " AND payer = ");
		strbuf_add_sql_literal(&sql, k->payer);
		strbuf_addch(&sql, ')');
		int64_t n = 0;
		int rc = db_query_int(d->db, sql.buf, &n, e);
		strbuf_release(&sql);
		if (rc)
			return -1;
		*skipped += n;
		if (report)
			fprintf(report, "finq: skipped %lld rows of '%s' for billing period %s (%s payer %s): the same "
				"line items as '%s', which is loaded, in the hours both cover, %s to %s "
				"(decided by: overlapping time slices)\n", (long long)n, o->source, o->period,
				o->provider, *o->payer ? o->payer : "(none)", k->source, sl->from, sl->to);
	}
	return 0;
}

static int delete_dropped(struct dup *d, int64_t *skipped, struct err *e)
{
	for (size_t i = 0; i < d->ncands; i++) {
		const struct cand *c = &d->cands[i];
		if (!c->dropped)
			continue;
		struct strbuf sql;
		strbuf_init(&sql, 0);
		strbuf_addf(&sql, "DELETE FROM costs WHERE load_id = %lld AND source = ", d->load_id);
		strbuf_add_sql_literal(&sql, c->source);
		strbuf_addstr(&sql, " AND ");
		add_key_filter(&sql, c);
		int64_t n = 0;
		int rc = db_query_int(d->db, sql.buf, &n, e);
		strbuf_release(&sql);
		if (rc)
			return -1;
		*skipped += n;
	}
	return 0;
}

/* One line per (skipped file, kept file, rule), naming the periods. */
static void report_drops(const struct dup *d, FILE *out)
{
	bool *done = xcalloc(d->ndrops ? d->ndrops : 1, sizeof(*done));
	for (size_t i = 0; i < d->ndrops; i++) {
		if (done[i])
			continue;
		const struct drop *a = &d->drops[i];
		const struct cand *lose = &d->cands[a->dropped], *win = &d->cands[a->kept];
		size_t n = 0;
		const char *first = lose->period, *last = lose->period;
		for (size_t k = i; k < d->ndrops; k++) {
			const struct drop *b = &d->drops[k];
			if (done[k] || b->rule != a->rule || strcmp(d->cands[b->dropped].source, lose->source) != 0 ||
			    strcmp(d->cands[b->kept].source, win->source) != 0)
				continue;
			done[k] = true;
			n++;
			if (strcmp(d->cands[b->dropped].period, first) < 0)
				first = d->cands[b->dropped].period;
			if (strcmp(d->cands[b->dropped].period, last) > 0)
				last = d->cands[b->dropped].period;
		}
		char periods[96];
		if (n == 1)
			snprintf(periods, sizeof(periods), "billing period %s", first);
		else
			snprintf(periods, sizeof(periods), "%zu billing periods, %s to %s", n, first, last);
		fprintf(out, "finq: skipped '%s' for %s (%s payer %s): %s\n", lose->source, periods,
			lose->provider, *lose->payer ? lose->payer : "(none)", a->why);
	}
	free(done);
}

static void dup_release(struct dup *d)
{
	for (size_t i = 0; i < d->ncands; i++) {
		struct cand *c = &d->cands[i];
		free(c->period);
		free(c->provider);
		free(c->payer);
		free(c->source);
		free(c->first_usage);
		free(c->last_usage);
	}
	free(d->cands);
	free(d->pairs);
	free(d->drops);
	free(d->slices);
	struct err ignored = { 0 };
	db_exec(d->db, "DROP TABLE IF EXISTS finq_dup", &ignored);
}

int loaddup_resolve(struct db *db, long long load_id, const struct loaddup_file *files, size_t n,
		    FILE *report, int64_t *skipped_rows, struct err *e)
{
	struct dup d = { .db = db, .load_id = load_id, .files = files, .nfiles = n };
	int64_t sources = 0;
	int rc = -1;
	*skipped_rows = 0;
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT count(DISTINCT source) FROM costs WHERE load_id = %lld", load_id);
	if (db_query_int(db, sql, &sources, e))
		return -1;
	if (sources < 2)
		return 0; /* the common case costs one count */
	if (make_fingerprints(&d, e) || read_cands(&d, e) || read_pairs(&d, e))
		goto out;
	for (size_t from = 0, to; from < d.ncands; from = to) {
		for (to = from + 1; to < d.ncands && same_key(&d.cands[from], &d.cands[to]); to++)
			;
		if (resolve_deliveries(&d, from, to, e))
			goto out;
	}
	if (delete_dropped(&d, skipped_rows, e) || delete_slices(&d, skipped_rows, report, e))
		goto out;
	if (report)
		report_drops(&d, report);
	rc = 0;
out:
	dup_release(&d);
	return rc;
}
