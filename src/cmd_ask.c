/*
 * cmd_ask: `finq ask "question"`: one answer, as text for people or as
 * the JSON object of DESIGN.md (--json). Every question belongs to a
 * conversation in the state store; --conversation ID continues one.
 */
#include "cli.h"
#include "today.h"
#include "date.h"
#include "sandbox.h"
#include "session.h"
#include "strbuf.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define QUESTION_MAX 4096

static void ask_usage(FILE *out)
{
	fprintf(out,
		"usage: finq ask [--json] [--sql] [--today YYYY-MM-DD] [--conversation ID] \"question\"\n\n"
		"Answers a question about the loaded bill: \"top 5 services last month\",\n"
		"\"EC2 by region in October\", \"compare September and October by account\".\n"
		"--conversation ID continues a conversation (\"what about S3?\"); the id of a\n"
		"new one is in the JSON (conversation_id) or printed on stderr.\n"
		"--sql also prints the SQL that produced the numbers.\n");
}

int cli_today(const struct cli *cli, int *today, struct err *e)
{
	if (!cli->today) {
		*today = date_today();
		return 0;
	}
	if (!date_parse(cli->today, today))
		return err_set_code(e, EXIT_USAGE, "--today takes a date as YYYY-MM-DD, not '%s'", cli->today);
	if (!today_in_window(*today))
		return err_set_code(e, EXIT_USAGE, "--today must be a date from %d-01-01 to %d-12-31, not '%s'",
				    TODAY_FIRST_YEAR, TODAY_LAST_YEAR, cli->today);
	return 0;
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
	strbuf_init(&question, QUESTION_MAX);
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strbuf_addch(&question, ' ');
		strbuf_addstr(&question, argv[i]);
	}
	struct err e = { 0 };
	int today, rc = EXIT_OK;
	struct db db;
	struct ask_context ctx;
	struct session session;
	json_t *answer = NULL;
	if (question.overflow) {
		fprintf(stderr, "finq: the question is longer than %d bytes\n", QUESTION_MAX);
		rc = EXIT_USAGE;
		goto out_question;
	}
	/* Refused before a conversation is created for it, or the state would
	 * keep an empty one. */
	if (question.buf[strspn(question.buf, " \t\r\n")] == '\0') {
		fprintf(stderr, "finq: the question is empty\n");
		rc = EXIT_USAGE;
		goto out_question;
	}
	rc = cli_open_for_questions(cli, &today, &db, &ctx);
	if (rc != EXIT_OK)
		goto out_question;
	if (session_open(&session, cli->db_path, &ctx, conversation, &e)) {
		rc = cli_fail(&e, EXIT_DATABASE);
		goto out_ctx;
	}
	if (session_ask(&session, question.buf, today, &answer, &e)) {
		rc = cli_fail(&e, EXIT_ERROR);
		goto out_session;
	}
	if (json) {
		json_dumpf(answer, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		fputc('\n', stdout);
	} else {
		session_print_answer(answer, stdout, isatty(STDOUT_FILENO));
		if (show_sql && json_is_string(json_object_get(answer, "sql")))
			printf("\nSQL:\n%s\n", json_string_value(json_object_get(answer, "sql")));
		fflush(stdout);
		if (!conversation)
			fprintf(stderr, "(conversation %s: continue it with --conversation %s)\n",
				session.conversation_id, session.conversation_id);
	}
	json_decref(answer);
out_session:
	session_close(&session);
out_ctx:
	ask_context_release(&ctx);
	db_close(&db);
out_question:
	strbuf_release(&question);
	return rc;
}
