/*
 * cmd_ask: `finq ask "question"`: one answer, as text for people or as
 * the JSON object of DESIGN.md (--json). Every question belongs to a
 * conversation in the state store; --conversation ID continues one.
 */
#include "cli.h"
#include "sandbox.h"
#include "conversation.h"
#include "strbuf.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>


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
	/* Refused before a conversation is created for it, or the state would
	 * keep an empty one. */
	struct strbuf question;
	if (cli_question_from_args(argc, argv, optind, &question) != EXIT_OK)
		return EXIT_USAGE;
	struct err e = { 0 };
	int today, rc = EXIT_OK;
	struct db db;
	struct ask_context ctx;
	struct conversation session;
	json_t *answer = NULL;

	rc = cli_open_for_questions(cli, &today, &db, &ctx);
	if (rc != EXIT_OK)
		goto out_question;
	if (conversation_open(&session, cli->db_path, &ctx, conversation, &e)) {
		rc = cli_fail(&e, ERR_DATABASE);
		goto out_ctx;
	}
	if (conversation_ask(&session, question.buf, today, &answer, &e)) {
		rc = cli_fail(&e, ERR_FAILED);
		goto out_session;
	}
	if (json) {
		json_dumpf(answer, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		fputc('\n', stdout);
	} else {
		cli_print_answer(answer, stdout, isatty(STDOUT_FILENO));
		if (show_sql && json_is_string(json_object_get(answer, "sql")))
			printf("\nSQL:\n%s\n", json_string_value(json_object_get(answer, "sql")));
		fflush(stdout);
		if (!conversation)
			fprintf(stderr, "(conversation %s: continue it with --conversation %s)\n",
				session.id, session.id);
	}
	json_decref(answer);
out_session:
	conversation_close(&session);
out_ctx:
	ask_context_release(&ctx);
	db_close(&db);
out_question:
	strbuf_release(&question);
	return rc;
}
