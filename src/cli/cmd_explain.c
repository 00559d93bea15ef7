/*
 * cmd_explain: `finq explain "question"`: how finq reads a question,
 * word by word, without running it: each word's role (time, number, the
 * parser's own word, a name from the data, a function word, or unknown),
 * what it was read as, typos corrected, then the status (answered,
 * unknown, ambiguous, offtopic) and the plan in words. The user's view of
 * why an answer is what it is; `\why` in chat prints the same table.
 */
#include "ask.h"
#include "cli.h"
#include "parse.h"
#include "sandbox.h"
#include "strbuf.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>


static void explain_usage(FILE *out)
{
	fprintf(out,
		"usage: finq explain [--json] [--today YYYY-MM-DD] \"question\"\n\n"
		"Shows how finq reads a question, without running it: the role of every\n"
		"word (time, number, parser, name, function, unknown, offtopic), what each\n"
		"was read as, the typos it corrected, whether it would be answered, and the\n"
		"plan in words. A question is answered only when every word has a role.\n");
}

int cmd_explain(struct cli *cli, int argc, char **argv)
{
	bool json;
	int rc = cli_json_options(cli, argc, argv, explain_usage, &json);
	if (rc >= 0)
		return rc;
	if (optind >= argc) {
		explain_usage(stderr);
		return EXIT_USAGE;
	}
	struct strbuf question;
	if (cli_question_from_args(argc, argv, optind, &question) != EXIT_OK)
		return EXIT_USAGE;
	int today;
	struct db db;
	struct ask_context ctx;
	rc = cli_open_for_questions(cli, &today, &db, &ctx);
	if (rc != EXIT_OK) {
		strbuf_release(&question);
		return rc;
	}
	ask_context_ready(&ctx);
	struct parse_input in = { .question = question.buf, .today = today, .vocab = &ctx.vocab };
	struct parse_result parsed;
	parse_question(&in, &parsed);
	char interpretation[1024];
	ask_interpretation(&parsed, interpretation, sizeof(interpretation));
	json_t *o = json_object();
	json_object_set_new(o, "question", json_string(question.buf));
	json_object_set_new(o, "status", json_string(parse_status_name(parsed.status)));
	json_object_set_new(o, "reading", ask_reading_json(&parsed));
	json_object_set_new(o, "interpretation", json_string(interpretation));
	json_object_set_new(o, "plan", plan_to_json(&parsed.plan));
	if (parsed.status != PARSE_ANSWERED)
		json_object_set_new(o, "message", json_string(parsed.plan.message));
	if (json) {
		char *text = json_dumps(o, JSON_INDENT(2));
		printf("%s\n", text ? text : "{}");
		free(text);
	} else {
		cli_print_reading(json_object_get(o, "reading"), stdout);
		printf("\nstatus: %s\n", parse_status_name(parsed.status));
		if (parsed.status == PARSE_ANSWERED)
			printf("how I read it: %s\n", interpretation);
		else
			printf("%s\n", parsed.plan.message);
	}
	json_decref(o);
	ask_context_release(&ctx);
	db_close(&db);
	strbuf_release(&question);
	return EXIT_OK;
}
