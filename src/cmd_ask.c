/*
 * cmd_ask: `finq ask "question"`: one answer, as text for people or as
 * the JSON object of DESIGN.md (--json). With --conversation ID the
 * question continues that conversation (kept in the state database).
 */
#include "answer.h"
#include "ask.h"
#include "cli.h"
#include "date.h"
#include "sandbox.h"
#include "state.h"
#include "strbuf.h"
#include "xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void ask_usage(FILE *out)
{
	fprintf(out,
		"usage: finq ask [--json] [--today YYYY-MM-DD] [--conversation ID] \"question\"\n\n"
		"Answers a question about the loaded bill: \"top 5 services last month\",\n"
		"\"EC2 by region in October\", \"compare September and October by account\".\n"
		"--conversation ID continues a conversation (\"what about S3?\"); the id of a\n"
		"new one is printed with --json (conversation_id) or on stderr.\n");
}

/* Today from --today, or the clock. */
int cli_today(const struct cli *cli, int *today, struct err *e)
{
	if (!cli->today) {
		*today = date_today();
		return 0;
	}
	if (!date_parse(cli->today, today))
		return err_set_code(e, EXIT_USAGE, "--today takes a date as YYYY-MM-DD, not '%s'", cli->today);
	return 0;
}

/* Print a JSON answer for people. */
static void print_answer(const json_t *answer, const struct plan *p, bool color)
{
	struct table t;
	table_init(&t);
	json_t *cols = json_object_get(answer, "columns"), *rows = json_object_get(answer, "rows");
	size_t ncols = json_array_size(cols);
	if (ncols) {
		const char *names[64];
		enum cell_kind kinds[64];
		for (size_t c = 0; c < ncols && c < 64; c++) {
			names[c] = json_string_value(json_array_get(cols, c));
			kinds[c] = CELL_TEXT;
		}
		table_set_columns(&t, ncols < 64 ? ncols : 64, names, kinds);
		for (size_t r = 0; r < json_array_size(rows); r++) {
			struct cell *row = table_add_row(&t);
			json_t *jr = json_array_get(rows, r);
			for (size_t c = 0; c < t.ncols; c++) {
				json_t *v = json_array_get(jr, c);
				if (json_is_integer(v)) {
					row[c].kind = CELL_INT;
					row[c].v.i = json_integer_value(v);
				} else if (json_is_number(v)) {
					row[c].kind = CELL_REAL;
					row[c].v.r = json_number_value(v);
				} else if (json_is_string(v)) {
					row[c].kind = CELL_TEXT;
					row[c].v.s = xstrdup(json_string_value(v));
				}
			}
		}
	}
	answer_print_terminal(p, ncols ? &t : NULL, json_string_value(json_object_get(answer, "message")),
			      json_string_value(json_object_get(answer, "interpretation")), stdout, color);
	json_t *sugg = json_object_get(answer, "suggestions");
	if (json_array_size(sugg)) {
		printf("\nYou could ask:\n");
		for (size_t i = 0; i < json_array_size(sugg); i++)
			printf("  - %s\n", json_string_value(json_array_get(sugg, i)));
	}
	table_release(&t);
}

/* The user's aliases join the vocabulary. */
static int add_aliases(struct state *state, struct ask_context *ctx, struct err *e)
{
	struct state_aliases aliases;
	state_aliases_init(&aliases);
	if (state_alias_list(state, &aliases, e))
		return -1;
	for (size_t i = 0; i < aliases.n; i++)
		ask_context_add_alias(ctx, aliases.items[i].name, (const char *const *)aliases.items[i].targets,
				      aliases.items[i].ntargets);
	state_aliases_release(&aliases);
	return 0;
}

/* Continue conversation `id` (its last turn into *prev), or start one. */
static int continue_conversation(struct state *state, const char *id, char out_id[STATE_ID_SIZE],
				 struct ask_previous *prev, struct err *e)
{
	if (!id)
		return state_conversation_create(state, NULL, out_id, e);
	bool exists = false;
	if (state_conversation_exists(state, id, &exists, e))
		return -1;
	if (!exists)
		return err_set(e, "no conversation '%s' (start one without --conversation)", id);
	snprintf(out_id, STATE_ID_SIZE, "%s", id);
	char *plan_json = NULL, *answer_json = NULL;
	if (state_last_turn(state, id, &plan_json, &answer_json, e))
		return -1;
	ask_previous_from_json(plan_json, answer_json, prev);
	free(plan_json);
	free(answer_json);
	return 0;
}

/* Store the turn: the plan is what a follow-up edits. */
static int remember(struct state *state, const char *conversation_id, const char *question,
		    const struct plan *plan, json_t *answer, char message_id[STATE_ID_SIZE], struct err *e)
{
	json_t *plan_json = plan_to_json(plan);
	char *plan_text = json_dumps(plan_json, JSON_COMPACT);
	char *answer_text = json_dumps(answer, JSON_COMPACT | JSON_REAL_PRECISION(17));
	const char *outcome = json_string_value(json_object_get(answer, "outcome"));
	int rc = state_message_add(state, conversation_id, question, plan_text, answer_text, outcome,
				   intent_name(plan->intent), json_number_value(json_object_get(answer, "elapsed_ms")),
				   message_id, e);
	free(plan_text);
	free(answer_text);
	json_decref(plan_json);
	return rc;
}

int cmd_ask(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "conversation", required_argument, NULL, 'c' },
		{ "sql", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = cli->json, show_sql = false;
	const char *conversation = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'c': conversation = optarg; break;
		case 's': show_sql = true; break;
		case 'h': ask_usage(stdout); return EXIT_OK;
		default: ask_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		ask_usage(stderr);
		return EXIT_USAGE;
	}
	struct strbuf question;
	strbuf_init(&question, 4096);
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strbuf_addch(&question, ' ');
		strbuf_addstr(&question, argv[i]);
	}
	struct err e = { 0 };
	int today, rc = EXIT_OK;
	if (question.overflow) {
		fprintf(stderr, "finq: the question is longer than 4096 bytes\n");
		strbuf_release(&question);
		return EXIT_USAGE;
	}
	if (cli_today(cli, &today, &e)) {
		strbuf_release(&question);
		return cli_fail(&e, EXIT_USAGE);
	}
	struct db db;
	if (sandbox_open(&db, cli->db_path, cli->memory_limit, cli->threads, &e)) {
		strbuf_release(&question);
		return cli_fail(&e, EXIT_DATABASE);
	}
	struct ask_context ctx;
	struct ask_previous prev = { 0 };
	json_t *answer = NULL;
	struct plan plan;
	struct state *state = NULL;
	char conversation_id[STATE_ID_SIZE] = "", message_id[STATE_ID_SIZE] = "";
	char *state_path = state_path_for(cli->db_path);
	if (ask_context_init(&ctx, &db, &e)) {
		rc = cli_fail(&e, EXIT_NO_DATA);
		goto out_db;
	}
	if (state_open(&state, state_path, &e)) {
		rc = cli_fail(&e, EXIT_DATABASE);
		goto out_ctx;
	}
	if (add_aliases(state, &ctx, &e) || continue_conversation(state, conversation, conversation_id, &prev, &e)) {
		rc = cli_fail(&e, EXIT_USAGE);
		goto out_ctx;
	}
	if (ask_answer(&ctx, question.buf, today, &prev, &answer, &plan, &e)) {
		rc = cli_fail(&e, EXIT_ERROR);
		goto out_ctx;
	}
	if (remember(state, conversation_id, question.buf, &plan, answer, message_id, &e)) {
		rc = cli_fail(&e, EXIT_DATABASE);
		goto out_answer;
	}
	/* ids first, the way API clients read them */
	json_object_set_new(answer, "conversation_id", json_string(conversation_id));
	json_object_set_new(answer, "message_id", json_string(message_id));
	if (json) {
		json_dumpf(answer, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		fputc('\n', stdout);
	} else {
		print_answer(answer, &plan, isatty(STDOUT_FILENO));
		if (show_sql && json_is_string(json_object_get(answer, "sql")))
			printf("\nSQL:\n%s\n", json_string_value(json_object_get(answer, "sql")));
	}
	fflush(stdout);
	if (!json && !conversation)
		fprintf(stderr, "(conversation %s: continue it with --conversation %s)\n", conversation_id, conversation_id);
out_answer:
	json_decref(answer);
out_ctx:
	if (state)
		state_close(state);
	ask_context_release(&ctx);
out_db:
	free(state_path);
	db_close(&db);
	strbuf_release(&question);
	return rc;
}
