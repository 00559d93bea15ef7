/*
 * cmd_info: `finq info`: what is loaded, at a glance. Each section is one
 * query over the canonical tables, listed in a table below; text output
 * prints them in turn, --json puts each under its key.
 */
#include "cli.h"
#include "sandbox.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

static const struct info_section {
	const char *key;
	const char *title;
	const char *sql;
} sections[] = {
	{ "summary", "Summary",
	  "SELECT count(*) AS rows, min(usage_date) AS first_day, max(usage_date) AS last_day,"
	  " count(DISTINCT billing_period) AS billing_periods, count(DISTINCT account_id) AS accounts,"
	  " count(DISTINCT service_code) AS services, sum(unblended_cost) AS unblended_cost,"
	  " sum(amortized_cost) AS amortized_cost, any_value(currency) AS currency FROM costs" },
	{ "months", "Totals by month",
	  "SELECT billing_period AS month, count(*) AS rows, sum(unblended_cost) AS unblended_cost,"
	  " sum(amortized_cost) AS amortized_cost FROM costs GROUP BY 1 ORDER BY 1" },
	{ "accounts", "Accounts",
	  "SELECT account_id, any_value(account_name) AS account_name, sum(amortized_cost) AS amortized_cost"
	  " FROM costs GROUP BY 1 ORDER BY amortized_cost DESC, account_id" },
	{ "top_services", "Top services",
	  "SELECT service_code, any_value(service_name) AS service_name, sum(amortized_cost) AS amortized_cost,"
	  " round(100 * sum(amortized_cost) / nullif((SELECT sum(amortized_cost) FROM costs), 0), 1) AS share_pct"
	  " FROM costs GROUP BY 1 ORDER BY amortized_cost DESC, service_code LIMIT 10" },
	{ "regions", "Regions",
	  "SELECT coalesce(region, '(none)') AS region, sum(amortized_cost) AS amortized_cost FROM costs"
	  " GROUP BY 1 ORDER BY amortized_cost DESC, region" },
	{ "tag_keys", "Tag keys (share of cost carrying the key)",
	  "WITH total AS (SELECT sum(amortized_cost) AS t FROM costs WHERE amortized_cost > 0),"
	  " keyed AS (SELECT unnest(map_keys(tags)) AS tag_key, amortized_cost FROM costs WHERE amortized_cost > 0)"
	  " SELECT tag_key, count(*) AS rows, round(100 * sum(amortized_cost) / (SELECT t FROM total), 1) AS coverage_pct"
	  " FROM keyed GROUP BY 1 ORDER BY coverage_pct DESC, tag_key" },
	{ "sources", "Sources",
	  "SELECT f.format, f.path, count(DISTINCT c.load_id) AS loads FROM load_files f"
	  " JOIN (SELECT DISTINCT load_id, source FROM costs) c ON c.load_id = f.load_id AND c.source = f.path"
	  " GROUP BY 1, 2 ORDER BY 2" },
};

static void info_usage(FILE *out)
{
	fprintf(out, "usage: finq info [--json]\n\n"
		     "Rows, date range, billing periods, totals per month (unblended and amortized),\n"
		     "accounts, top services, regions, tag keys with their coverage, and sources.\n");
}

int cmd_info(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = cli->json;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'h': info_usage(stdout); return EXIT_OK;
		default: info_usage(stderr); return EXIT_USAGE;
		}
	}

	struct db db;
	struct err e = { 0 };
	if (sandbox_open(&db, cli->db_path, cli->memory_limit, cli->threads, &e))
		return cli_fail(&e, EXIT_DATABASE);
	int64_t rows = 0;
	if (db_query_int(&db, "SELECT count(*) FROM costs", &rows, &e) || rows == 0) {
		db_close(&db);
		fprintf(stderr, "finq: no cost data in '%s' yet: load some with 'finq load PATH' or 'finq demo'\n",
			cli->db_path);
		return EXIT_NO_DATA;
	}
	json_t *out = json_object();
	int rc = EXIT_OK;
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		struct table t;
		table_init(&t);
		if (db_query(&db, sections[i].sql, &t, 0, &e)) {
			rc = cli_fail(&e, EXIT_DATABASE);
			table_release(&t);
			break;
		}
		if (json) {
			json_t *section = table_to_json(&t);
			if (i == 0) { /* the summary is one row: an object reads better */
				json_t *obj = json_object();
				for (size_t col = 0; col < t.ncols; col++)
					json_object_set_new(obj, t.names[col], cell_to_json(table_at(&t, 0, col)));
				json_decref(section);
				section = obj;
			}
			json_object_set_new(out, sections[i].key, section);
		} else {
			printf("%s%s\n", i ? "\n" : "", sections[i].title);
			table_print(&t, TABLE_TEXT, stdout);
		}
		table_release(&t);
	}
	if (json && rc == EXIT_OK) {
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		fputc('\n', stdout);
	}
	json_decref(out);
	db_close(&db);
	return rc;
}
