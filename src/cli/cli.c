/*
 * cli: helpers shared by the subcommands. See cli.h.
 */
#include "cli.h"
#include "answer.h"
#include "ask.h"
#include "date.h"
#include "sandbox.h"
#include "engines.h"
#include "state.h"
#include "strbuf.h"
#include "safetext.h"
#include "today.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Indexed by enum err_status; one row per status. */
static const int exit_codes[] = {
	[ERR_OK] = EXIT_OK,
	[ERR_FAILED] = EXIT_ERROR,
	[ERR_USAGE] = EXIT_USAGE,
	[ERR_BAD_INPUT] = EXIT_BAD_INPUT,
	[ERR_DATABASE] = EXIT_DATABASE,
	[ERR_REFUSED] = EXIT_REFUSED,
	[ERR_NO_DATA] = EXIT_NO_DATA,
	[ERR_TOO_LARGE] = EXIT_REFUSED,
};

int cli_exit_code(enum err_status status)
{
	if ((size_t)status >= sizeof(exit_codes) / sizeof(exit_codes[0]))
		return EXIT_ERROR;
	return exit_codes[status];
}

int cli_fail(const struct err *e, enum err_status fallback)
{
	fprintf(stderr, "finq: %s\n", e->msg);
	return cli_exit_code(e->code ? e->code : fallback);
}

int cli_today(const struct cli *cli, int *today, struct err *e)
{
	if (!cli->today) {
		*today = date_today();
		return 0;
	}
	if (!date_parse(cli->today, today))
		return err_set_code(e, ERR_USAGE, "--today takes a date as YYYY-MM-DD, not '%s'", cli->today);
	if (!today_in_window(*today))
		return err_set_code(e, ERR_USAGE, "--today must be a date from %d-01-01 to %d-12-31, not '%s'",
				    TODAY_FIRST_YEAR, TODAY_LAST_YEAR, cli->today);
	return 0;
}

int cli_open_data(const struct cli *cli, struct db *db, struct err *e)
{
	if (cli->engine)
		return engines_open(db, cli->engine, cli->memory_limit, cli->threads, e);
	return sandbox_open(db, cli->db_path, cli->memory_limit, cli->threads, e);
}

int cli_open_for_questions(const struct cli *cli, int *today, struct db *db, struct ask_context *ctx)
{
	struct err e = { 0 };
	if (cli_today(cli, today, &e))
		return cli_fail(&e, ERR_USAGE);
	if (cli_open_data(cli, db, &e))
		return cli_fail(&e, ERR_DATABASE);
	if (ask_context_init(ctx, db, &e)) {
		db_close(db);
		return cli_fail(&e, ERR_NO_DATA);
	}
	return EXIT_OK;
}

int cli_run_state_action(const struct cli *cli, const char *command, const struct state_action *actions,
			 size_t nactions, int argc, char **argv, int first, const struct state_action_options *opt,
			 void (*usage)(FILE *out, bool full))
{
	if (first >= argc) {
		usage(stderr, false);
		return EXIT_USAGE;
	}
	const struct state_action *act = NULL;
	for (size_t i = 0; i < nactions && !act; i++)
		if (strcmp(actions[i].name, argv[first]) == 0)
			act = &actions[i];
	if (!act) {
		struct strbuf names = STRBUF_INIT;
		for (size_t i = 0; i < nactions; i++)
			strbuf_addf(&names, "%s%s", i ? (i + 1 == nactions ? " or " : ", ") : "", actions[i].name);
		fprintf(stderr, "finq: unknown %s action '%s' (%s)\n", command, argv[first], names.buf);
		strbuf_release(&names);
		usage(stderr, false);
		return EXIT_USAGE;
	}
	int nargs = argc - first - 1;
	if (nargs < act->min_args || (act->max_args >= 0 && nargs > act->max_args)) {
		fprintf(stderr, "finq: wrong number of arguments for '%s %s' (%s %s %s)\n", command, act->name, command,
			act->name, act->args);
		usage(stderr, false);
		return EXIT_USAGE;
	}
	struct err e = { 0 };
	struct state *s;
	char *path = state_path_for(cli->db_path);
	int rc = EXIT_OK;
	if (state_open(&s, path, &e)) {
		rc = cli_fail(&e, ERR_DATABASE);
	} else {
		if (act->run(s, nargs, argv + first + 1, opt, &e))
			rc = cli_fail(&e, ERR_DATABASE);
		state_close(s);
	}
	free(path);
	return rc;
}

int cli_json_options(const struct cli *cli, int argc, char **argv, void (*usage)(FILE *out), bool *json)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*json = cli->json;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': *json = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	return -1;
}

int cli_question_from_args(int argc, char **argv, int first, struct strbuf *out)
{
	strbuf_init(out, CLI_QUESTION_MAX);
	for (int i = first; i < argc; i++) {
		if (i > first)
			strbuf_addch(out, ' ');
		strbuf_addstr(out, argv[i]);
	}
	const char *why = out->overflow ? "the question is longer than " CLI_QUESTION_MAX_TEXT " bytes"
			  : out->buf[strspn(out->buf, " \t\r\n")] == '\0' ? "the question is empty"
									: NULL;
	if (!why)
		return EXIT_OK;
	fprintf(stderr, "finq: %s\n", why);
	strbuf_release(out);
	return EXIT_USAGE;
}

void cli_print_reading(const json_t *reading, FILE *out)
{
	size_t i, width = 4;
	json_t *w;
	json_array_foreach(reading, i, w) {
		size_t n = strlen(json_string_value(json_object_get(w, "word")));
		if (n > width)
			width = n;
	}
	fprintf(out, "%-*s  %-9s  %s\n", (int)width, "word", "role", "read as");
	json_array_foreach(reading, i, w) {
		const char *corrected = json_string_value(json_object_get(w, "corrected"));
		const char *as = json_string_value(json_object_get(w, "read_as"));
		struct strbuf detail = STRBUF_INIT;
		if (corrected)
			strbuf_addf(&detail, "'%s' (typo corrected)%s", corrected, as ? "; " : "");
		if (as)
			strbuf_addstr(&detail, as);
		fprintf(out, "%-*s  %-9s  %s\n", (int)width, json_string_value(json_object_get(w, "word")),
			json_string_value(json_object_get(w, "role")), detail.len ? detail.buf : "");
		strbuf_release(&detail);
	}
}

void cli_print_answer(const json_t *given, FILE *out, bool color)
{
	/* Names and values from the bill are printed: no escape sequence in
	 * them may reach the terminal (safetext.h). The narrative keeps its
	 * line breaks. */
	json_t *answer = json_deep_copy(given);
	json_t *message = json_object_get(answer, "message");
	json_incref(message);
	json_object_del(answer, "message");
	safetext_terminal_json(answer, false);
	safetext_terminal_json(message, true);
	json_object_set_new(answer, "message", message ? message : json_null());
	struct plan plan;
	if (plan_from_json(json_object_get(answer, "plan"), &plan))
		plan_init(&plan);
	struct table t;
	table_init(&t);
	table_from_json(answer, &t);
	answer_print_terminal(&plan, t.ncols ? &t : NULL, json_string_value(json_object_get(answer, "message")),
			      json_string_value(json_object_get(answer, "interpretation")), out, color);
	json_t *suggestions = json_object_get(answer, "suggestions");
	if (json_array_size(suggestions)) {
		fprintf(out, "\nYou could ask:\n");
		for (size_t i = 0; i < json_array_size(suggestions); i++)
			fprintf(out, "  - %s\n", json_string_value(json_array_get(suggestions, i)));
	}
	table_release(&t);
	json_decref(answer);
}
