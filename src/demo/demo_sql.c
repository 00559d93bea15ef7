/*
 * demo_sql: the SQL text of the demo generator, written from the plan
 * (demo.c) and the catalogue (demo_catalogue.c): the calendar, the
 * resources and their meters, the usage view, the month-level extras
 * (fees, support, taxes, a credit and a refund), the COPY in CUR 2.0's
 * columns and the summary. Pure: builds text; demo.c runs it.
 */
#include "demo_parts.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SQL text ---- */

void script_add(struct script *s, struct strbuf *sb)
{
	ALLOC_GROW(s->stmt, s->n + 1, s->alloc);
	s->stmt[s->n++] = strbuf_detach(sb);
}

void script_release(struct script *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->stmt[i]);
	free(s->stmt);
	memset(s, 0, sizeof(*s));
}

void add_lit(struct strbuf *sb, const char *s)
{
	if (s)
		strbuf_add_sql_literal(sb, s);
	else
		strbuf_addstr(sb, "NULL");
}

void add_num(struct strbuf *sb, double v)
{
	strbuf_addf(sb, "%.17g", v);
}

void add_bool(struct strbuf *sb, bool v)
{
	strbuf_addstr(sb, v ? "true" : "false");
}

void add_index_or_null(struct strbuf *sb, int i)
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
int orphan_end(const struct plan *p)
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
void sql_usage_view(struct script *s, const struct plan *p)
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
	/* sp_ok, ri_ok and od_n (on-demand equivalent) are for the manifest's
	 * coverage; every other reader sums over them. */
	strbuf_addstr(&sb, "CREATE TABLE agg AS\n"
			   "SELECT a, product_code, d, lt,\n"
			   "  regexp_matches(usage_type, '" SP_ELIGIBLE "') AS sp_ok,\n"
			   "  regexp_matches(usage_type, '" RI_ELIGIBLE "') AS ri_ok,\n"
			   "  count(*) AS n, sum(nano(cost)) AS cost_n,\n"
			   "  sum(nano(sp_effective)) AS sp_n, sum(nano(ri_upfront + ri_recurring)) AS ri_n,\n"
			   "  sum(nano(od_cost)) AS od_n\n"
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

void sql_copy(struct strbuf *sb, const struct plan *p, const char *path)
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

void sql_summary(struct strbuf *sb)
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

/*
 * The commitments the generator made, per month and kind (the manifest's
 * ground truth for `finq commitments`), from its own model rather than
 * from the lines it wrote: the Savings Plan's hourly commitment and the
 * covered cost it absorbed each day; each reservation's fees and the hours
 * its resource ran; the on-demand equivalent of covered and of eligible
 * usage (SP_ELIGIBLE, RI_ELIGIBLE). Rows: month, kind, commitment, used,
 * covered, eligible.
 */
void sql_commitments(struct strbuf *sb)
{
	strbuf_addstr(sb,
		      "WITH usage_by_month AS (\n"
		      "  SELECT dy.m,\n"
		      "    sum(CASE WHEN lt = 1 THEN od_n ELSE 0 END) / 1e9 AS sp_covered,\n"
		      "    sum(CASE WHEN lt = 2 THEN od_n ELSE 0 END) / 1e9 AS ri_covered,\n"
		      "    sum(CASE WHEN sp_ok OR lt = 1 THEN od_n ELSE 0 END) / 1e9 AS sp_eligible,\n"
		      "    sum(CASE WHEN ri_ok OR lt = 2 THEN od_n ELSE 0 END) / 1e9 AS ri_eligible\n"
		      "  FROM agg JOIN days dy USING (d) GROUP BY dy.m),\n"
		      "sp_by_month AS (\n"
		      "  SELECT dy.m, sum(24 * sp.hourly) AS commitment, sum(least(coalesce(us.used, 0), 24 * sp.hourly)) AS used\n"
		      "  FROM days dy CROSS JOIN sp\n"
		      "    LEFT JOIN (SELECT d, sum(sp_n) / 1e9 AS used FROM agg WHERE lt = 1 GROUP BY d) us ON us.d = dy.d\n"
		      "  WHERE sp.hourly > 0 GROUP BY dy.m),\n"
		      "ri_by_month AS (\n"
		      "  SELECT mo.m, sum((ri.uh + ri.rh) * mo.days_in * 24.0) AS commitment,\n"
		      "    sum((ri.uh + ri.rh) * greatest(0, least(ri.end_day, mo.first_d + mo.days_in)\n"
		      "      - greatest(ri.start_day, mo.first_d)) * 24.0) AS used\n"
		      "  FROM ri CROSS JOIN months mo GROUP BY mo.m)\n"
		      "SELECT strftime(mo.bp0, '%Y-%m-%d') AS month, 'Savings Plan' AS kind,\n"
		      "  coalesce(s.commitment, 0), coalesce(s.used, 0), coalesce(u.sp_covered, 0), coalesce(u.sp_eligible, 0)\n"
		      "FROM months mo LEFT JOIN sp_by_month s USING (m) LEFT JOIN usage_by_month u USING (m)\n"
		      "UNION ALL\n"
		      "SELECT strftime(mo.bp0, '%Y-%m-%d'), 'Reservation',\n"
		      "  coalesce(r.commitment, 0), coalesce(r.used, 0), coalesce(u.ri_covered, 0), coalesce(u.ri_eligible, 0)\n"
		      "FROM months mo LEFT JOIN ri_by_month r USING (m) LEFT JOIN usage_by_month u USING (m)\n"
		      "ORDER BY 1, 2 DESC");
}

void build_script(struct script *s, const struct plan *p)
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
	demo_plan_init(&p, opt);
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
