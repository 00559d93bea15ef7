/*
 * cmd_insight: `finq anomalies | architecture | drivers | forecast | owners |
 * recommend`: one analysis of insight.c's table, run from the command line.
 *
 * The command's name picks the analysis. Words after the options narrow it
 * the way a question would ("CloudWatch", "account prod in October"): they
 * are read by the same parser as questions, against the data's vocabulary,
 * and their filters, time range and measure become the request's scope; the
 * words themselves also go to the analysis as typed (owners looks for a
 * resource id in them).
 */
#include "ask.h"
#include "cli.h"
#include "insight.h"
#include "state.h"
#include "strbuf.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static void insight_usage(const struct insight *in, FILE *out)
{
	fprintf(out,
		"usage: finq %s [--json] [--months N] [--backtest] [--limit N] [WORDS...]\n\n"
		"%s.\n\n"
		"WORDS narrow it as in a question: a service, an account, a tag value, a\n"
		"time range (\"CloudWatch\", \"account prod in October\", \"vol-0abc...\").\n"
		"--months N    forecast: months ahead (default: to the end of this month)\n"
		"--backtest    forecast: also measure the method's error on the loaded data:\n"
		"              one month ahead, and the month-end forecast as on each 1st to\n"
		"              10th of the last six months (error, 80%% interval coverage)\n"
		"--limit N     at most N findings\n"
		"--json        the result object (insight, title, message, method, items,\n"
		"              columns, rows, charts, sql, suggestions)\n",
		in->name, in->summary);
}

static int parse_count(const char *arg, const char *option, int max, int *out)
{
	char *end = NULL;
	long v = strtol(arg, &end, 10);
	if (!*arg || *end || v < 0 || v > max) {
		fprintf(stderr, "finq: %s takes a whole number from 0 to %d, not '%s'\n", option, max, arg);
		return EXIT_USAGE;
	}
	*out = (int)v;
	return EXIT_OK;
}

int cmd_insight(struct cli *cli, int argc, char **argv)
{
	const struct insight *in = insight_find(argv[0]);
	if (!in) {
		fprintf(stderr, "finq: '%s' is not an analysis finq knows\n", argv[0]);
		return EXIT_USAGE;
	}
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "months", required_argument, NULL, 'm' },
		{ "backtest", no_argument, NULL, 'b' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = cli->json, backtest = false;
	int c, rc, months = 0, limit = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'b': backtest = true; break;
		case 'm':
			if ((rc = parse_count(optarg, "--months", PLAN_MONTHS_MAX, &months)) != EXIT_OK)
				return rc;
			break;
		case 'l':
			if ((rc = parse_count(optarg, "--limit", 10000, &limit)) != EXIT_OK)
				return rc;
			break;
		case 'h': insight_usage(in, stdout); return EXIT_OK;
		default: insight_usage(in, stderr); return EXIT_USAGE;
		}
	}
	struct strbuf words = STRBUF_INIT;
	for (int i = optind; i < argc; i++)
		strbuf_addf(&words, "%s%s", i > optind ? " " : "", argv[i]);

	struct db db;
	struct ask_context ctx;
	int today;
	rc = cli_open_for_questions(cli, &today, &db, &ctx);
	if (rc != EXIT_OK) {
		strbuf_release(&words);
		return rc;
	}
	/* The state file holds the knowledge base; analyses that need it say so. */
	struct err e = { 0 };
	char *state_path = state_path_for(cli->db_path);
	struct state *state = NULL;
	if (state_open(&state, state_path, &e) == 0)
		ctx.state = state;
	free(state_path);
	err_clear(&e);

	struct insight_request req;
	ask_insight_request(&ctx, today, words.buf, &req);
	req.months = months;
	req.backtest = backtest;
	req.limit = limit;

	json_t *result = NULL;
	if (in->run(&req, &result, &e)) {
		rc = cli_fail(&e, ERR_FAILED);
	} else if (json) {
		json_dumpf(result, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		fputc('\n', stdout);
	} else {
		insight_print_text(result, stdout);
	}
	json_decref(result);
	if (state)
		state_close(state);
	ask_context_release(&ctx);
	db_close(&db);
	strbuf_release(&words);
	return rc;
}
