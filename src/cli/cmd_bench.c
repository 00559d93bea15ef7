/*
 * cmd_bench: `finq bench ask`: how fast questions are understood and
 * answered on the loaded data. Reports parse-to-plan time per question
 * (microseconds, many repetitions) and end-to-end answer time in this
 * process (milliseconds: parse, SQL, DuckDB, narrative), as percentiles.
 * A benchmark, not a test: it prints numbers and asserts nothing. The
 * start-to-exit time of a one-shot `finq ask` is bench/ask.sh's job.
 */
#include "ask.h"
#include "cli.h"
#include "date.h"
#include "parse.h"
#include "sandbox.h"
#include "state.h"
#include "xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Used when no --questions file is given: one of each kind. */
static const char *const default_questions[] = {
	"What did we spend last month?",
	"Top 5 services by cost last month",
	"Break down EC2 cost by region for October",
	"Show the daily cost trend",
	"Monthly S3 spend over the last 12 months",
	"Compare September and October by account",
	"Which service increased the most from September to October?",
	"How much untagged spend did we have last month?",
	"What was our spend in March excluding taxes and credits?",
	"Show cost by team for last month",
	"Average daily cost last quarter",
	"Which services cost more than $2,000 last month?",
};

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Linear interpolation between closest ranks. */
static double percentile(double *v, size_t n, double pct)
{
	if (!n)
		return 0;
	sort_array(v, n, sizeof(*v), compare_doubles);
	double rank = pct / 100.0 * (double)(n - 1);
	size_t lo = (size_t)floor(rank), hi = (size_t)ceil(rank);
	return v[lo] + (v[hi] - v[lo]) * (rank - (double)lo);
}

/* Questions from a file: one a line, or the question field of a
 * "today | question | ..." line (tests/data/questions.txt). */
static char **read_questions(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char **out = NULL;
	size_t alloc = 0;
	char line[2048];
	*n = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *q = line;
		if (!*q || *q == '#')
			continue;
		char *bar = strchr(q, '|');
		if (bar) {
			q = bar + 1;
			char *end = strchr(q, '|');
			if (end)
				*end = '\0';
		}
		char *turn = strstr(q, ">>"); /* first turn only */
		if (turn)
			*turn = '\0';
		while (*q == ' ')
			q++;
		size_t len = strlen(q);
		while (len && q[len - 1] == ' ')
			q[--len] = '\0';
		if (!len)
			continue;
		ALLOC_GROW(out, *n + 1, alloc);
		out[(*n)++] = xstrdup(q);
	}
	fclose(f);
	return out;
}

static void bench_usage(FILE *out)
{
	fprintf(out,
		"usage: finq bench ask [--questions FILE] [--rounds N] [--json]\n\n"
		"Times parse-to-plan (us) and in-process answers (ms) over the loaded data.\n"
		"FILE holds one question a line (or tests/data/questions.txt's format).\n");
}

int cmd_bench(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "questions", required_argument, NULL, 'q' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL;
	int rounds = 5;
	bool json = cli->json;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'q': file = optarg; break;
		case 'r': rounds = atoi(optarg); break;
		case 'j': json = true; break;
		case 'h': bench_usage(stdout); return EXIT_OK;
		default: bench_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc || strcmp(argv[optind], "ask") != 0 || rounds < 1) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	size_t nq = sizeof(default_questions) / sizeof(default_questions[0]);
	char **questions = NULL;
	if (file && !(questions = read_questions(file, &nq))) {
		fprintf(stderr, "finq: cannot read questions from '%s'\n", file);
		return EXIT_USAGE;
	}
	struct err e = { 0 };
	int today;
	struct db db;
	struct ask_context ctx;
	double started = now_us();
	int rc = cli_open_for_questions(cli, &today, &db, &ctx);
	if (rc != EXIT_OK) {
		for (size_t i = 0; questions && i < nq; i++)
			free(questions[i]);
		free(questions);
		return rc;
	}
	/* the knowledge analysis reads the state file, as `finq ask` lets it */
	char *state_path = state_path_for(cli->db_path);
	struct state *st = NULL;
	if (state_open(&st, state_path, &e) == 0)
		ctx.state = st;
	free(state_path);
	double parse_reps = 200;
	double *parse_us = xcalloc(nq, sizeof(double));
	double *answer_ms = xcalloc(nq * (size_t)rounds, sizeof(double));
	size_t nanswers = 0;
	int64_t rows = 0;
	db_query_int(&db, "SELECT count(*) FROM costs", &rows, &e);
	/* the first answer also finishes the vocabulary: time it apart */
	struct plan plan;
	json_t *warm = NULL;
	struct ask_previous none = { 0 };
	if (ask_answer(&ctx, "total last month", today, &none, &warm, &plan, &e) == 0)
		json_decref(warm);
	double setup_ms = (now_us() - started) / 1e3;
	for (size_t i = 0; i < nq && rc == EXIT_OK; i++) {
		const char *q = questions ? questions[i] : default_questions[i];
		struct parse_input in = { .question = q, .today = today, .vocab = &ctx.vocab };
		struct parse_result res;
		double t0 = now_us();
		for (int k = 0; k < (int)parse_reps; k++)
			parse_question(&in, &res);
		parse_us[i] = (now_us() - t0) / parse_reps;
		for (int k = 0; k < rounds; k++) {
			json_t *answer = NULL;
			double a0 = now_us();
			if (ask_answer(&ctx, q, today, &none, &answer, &plan, &e)) {
				rc = cli_fail(&e, ERR_FAILED);
				break;
			}
			answer_ms[nanswers++] = (now_us() - a0) / 1e3;
			json_decref(answer);
		}
	}
	double p50 = percentile(parse_us, nq, 50), p99 = percentile(parse_us, nq, 99), pmax = parse_us[nq - 1];
	double a50 = percentile(answer_ms, nanswers, 50), a90 = percentile(answer_ms, nanswers, 90),
	       a99 = percentile(answer_ms, nanswers, 99);
	if (rc == EXIT_OK && json) {
		json_t *o = json_pack("{s:I, s:i, s:i, s:f, s:{s:f, s:f, s:f}, s:{s:f, s:f, s:f}}", "rows", (json_int_t)rows,
				      "questions", (int)nq, "rounds", rounds, "setup_ms", setup_ms, "parse_us", "p50", p50,
				      "p99", p99, "max", pmax, "answer_ms", "p50", a50, "p90", a90, "p99", a99);
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o);
	} else if (rc == EXIT_OK) {
		printf("data: %lld rows; %zu questions x %d rounds\n", (long long)rows, nq, rounds);
		printf("setup (open, vocabulary, first answer): %.1f ms\n", setup_ms);
		printf("parse to plan:      p50 %7.1f us   p99 %7.1f us   max %7.1f us\n", p50, p99, pmax);
		printf("answer in process:  p50 %7.2f ms   p90 %7.2f ms   p99 %7.2f ms\n", a50, a90, a99);
	}
	for (size_t i = 0; questions && i < nq; i++)
		free(questions[i]);
	free(questions);
	free(parse_us);
	free(answer_ms);
	ask_context_release(&ctx);
	if (st)
		state_close(st);
	db_close(&db);
	return rc;
}
