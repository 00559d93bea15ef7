/*
 * info: the sections of `finq info` and their JSON. See info.h.
 */
#include "info.h"
#include "ask.h"

#include <jansson.h>

const struct info_section info_sections[] = {
	{ "summary", "Summary",
	  "SELECT count(*) AS rows, min(usage_date) AS first_day, max(usage_date) AS last_day,"
	  " count(DISTINCT billing_period) AS billing_periods, count(DISTINCT account_id) AS accounts,"
	  " count(DISTINCT service_code) AS services, sum(unblended_cost) AS unblended_cost,"
	  " sum(amortized_cost) AS amortized_cost, $any(currency) AS currency FROM costs" },
	{ "months", "Totals by month",
	  "SELECT billing_period AS month, count(*) AS rows, sum(unblended_cost) AS unblended_cost,"
	  " sum(amortized_cost) AS amortized_cost FROM costs GROUP BY 1 ORDER BY 1" },
	{ "accounts", "Accounts",
	  "SELECT account_id, $any(account_name) AS account_name, sum(amortized_cost) AS amortized_cost"
	  " FROM costs GROUP BY 1 ORDER BY amortized_cost DESC, account_id" },
	{ "top_services", "Top services",
	  "SELECT service_code, $any(service_name) AS service_name, sum(amortized_cost) AS amortized_cost,"
	  " round(100 * sum(amortized_cost) / nullif((SELECT sum(amortized_cost) FROM costs), 0), 1) AS share_pct"
	  " FROM costs GROUP BY 1 ORDER BY amortized_cost DESC, service_code LIMIT 10" },
	{ "regions", "Regions",
	  "SELECT coalesce(region, '(none)') AS region, sum(amortized_cost) AS amortized_cost FROM costs"
	  " GROUP BY 1 ORDER BY amortized_cost DESC, region" },
	{ "tag_keys", "Tag keys (share of cost carrying the key)",
	  "WITH total AS (SELECT sum(amortized_cost) AS t FROM costs WHERE amortized_cost > 0),"
	  " keyed AS (SELECT $each_tag_key() AS tag_key, amortized_cost FROM costs WHERE amortized_cost > 0)"
	  " SELECT tag_key, count(*) AS rows, round(100 * sum(amortized_cost) / (SELECT t FROM total), 1) AS coverage_pct"
	  " FROM keyed GROUP BY 1 ORDER BY coverage_pct DESC, tag_key" },
	{ "sources", "Sources",
	  "SELECT f.format, f.path, count(DISTINCT c.load_id) AS loads FROM load_files f"
	  " JOIN (SELECT DISTINCT load_id, source FROM costs) c ON c.load_id = f.load_id AND c.source = f.path"
	  " GROUP BY 1, 2 ORDER BY 2" },
};

const size_t info_sections_count = sizeof(info_sections) / sizeof(info_sections[0]);

int info_section_query(struct db *db, size_t i, struct table *out, struct err *e)
{
	return ask_queryf(ask_dialect(db), db, out, e, "%s", info_sections[i].sql);
}

int info_collect(struct db *db, json_t **out, struct err *e)
{
	json_t *o = json_object();
	*out = NULL;
	for (size_t i = 0; i < info_sections_count; i++) {
		struct table t;
		table_init(&t);
		if (info_section_query(db, i, &t, e)) {
			table_release(&t);
			json_decref(o);
			return -1;
		}
		json_t *section;
		if (i == 0) { /* the summary is one row: an object reads better */
			section = json_object();
			for (size_t col = 0; col < t.ncols && t.nrows; col++)
				json_object_set_new(section, t.names[col], cell_to_json(table_at(&t, 0, col)));
		} else {
			section = table_to_json(&t);
		}
		json_object_set_new(o, info_sections[i].key, section);
		table_release(&t);
	}
	*out = o;
	return 0;
}
