/*
 * cmd_chat: `finq chat`: an interactive conversation with the bill.
 *
 * One question a line; each follows on from the last ("what about S3?").
 * Backslash commands: \sql (the last answer's SQL), \why (how it was read,
 * and its plan), \reset (a new conversation), \help, \quit. On a terminal
 * the prompt has history (kept in ~/.finq_history) and tab completion of
 * the names in the loaded data (libedit); with input from a pipe it reads
 * questions line by line and prints the answers, so it can be scripted.
 */
#include "cli.h"
#include "sandbox.h"
#include "conversation.h"
#include "vocab.h"
#include "xalloc.h"

#include <editline/readline.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HISTORY_FILE ".finq_history"
#define HISTORY_MAX 1000

/* The vocabulary the completion reads from; set while the prompt runs. */
static const struct vocab *completion_vocab;

/* rl_completion_matches calls this with state 0 first, then 1, 2, ... */
static char *complete_name(const char *text, int state)
{
	static size_t next;
	static size_t len;
	static char last[PLAN_NAME_MAX];
	if (state == 0) {
		next = 0;
		len = strlen(text);
		last[0] = '\0';
	}
	for (; completion_vocab && next < completion_vocab->n; next++) {
		const struct vocab_entry *e = &completion_vocab->items[next];
		const char *word = e->display && strchr(e->display, ' ') == NULL ? e->display : e->phrase;
		if (strncasecmp(word, text, len) != 0 || strchr(word, ' ') || strcmp(word, last) == 0)
			continue;
		snprintf(last, sizeof(last), "%s", word);
		next++;
		return xstrdup(word);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	rl_attempted_completion_over = 1; /* no file names */
	return rl_completion_matches(text, complete_name);
}

static void chat_help(FILE *out)
{
	fprintf(out,
		"Ask about the loaded bill in plain English, one question a line:\n"
		"  top 5 services last month      break it down by region      what about S3?\n"
		"  daily EC2 cost in October      compare September and October by account\n"
		"Commands:\n"
		"  \\sql    the SQL behind the last answer\n"
		"  \\why    how the last question was read, word by word, and its plan\n"
		"  \\reset  start a new conversation\n"
		"  \\help   this text\n"
		"  \\quit   leave (or Ctrl-D)\n");
}

static void chat_usage(FILE *out)
{
	fprintf(out, "usage: finq chat [--today YYYY-MM-DD] [--conversation ID]\n\n");
	chat_help(out);
}

static char *history_path(void)
{
	const char *home = getenv("HOME");
	return home && *home ? xasprintf("%s/%s", home, HISTORY_FILE) : NULL;
}

/* Read one line: the editline prompt on a terminal, plain fgets otherwise.
 * Returns a malloc'd line without its newline, or NULL at the end. */
static char *read_question(bool interactive)
{
	if (interactive)
		return readline("finq> ");
	char buf[4096];
	if (!fgets(buf, sizeof(buf), stdin))
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	return xstrdup(buf);
}

/* A backslash command; returns false for \quit. */
static bool run_command(const char *line, struct conversation *session, json_t **last, FILE *out)
{
	struct err e = { 0 };
	if (strcmp(line, "\\quit") == 0 || strcmp(line, "\\q") == 0 || strcmp(line, "\\exit") == 0)
		return false;
	if (strcmp(line, "\\sql") == 0) {
		const char *sql = *last ? json_string_value(json_object_get(*last, "sql")) : NULL;
		fprintf(out, "%s\n", sql ? sql : "(no SQL: the last answer ran no query)");
	} else if (strcmp(line, "\\why") == 0) {
		if (!*last) {
			fprintf(out, "(nothing asked yet)\n");
		} else {
			json_t *reading = json_object_get(*last, "reading");
			if (json_is_array(reading)) {
				cli_print_reading(reading, out);
				fprintf(out, "status: %s\n", json_string_value(json_object_get(*last, "status")));
			}
			fprintf(out, "How I read it: %s\n", json_string_value(json_object_get(*last, "interpretation")));
			char *plan = json_dumps(json_object_get(*last, "plan"), JSON_INDENT(2));
			fprintf(out, "%s\n", plan ? plan : "");
			free(plan);
		}
	} else if (strcmp(line, "\\reset") == 0) {
		if (conversation_reset(session, &e))
			fprintf(out, "finq: %s\n", e.msg);
		else
			fprintf(out, "(new conversation %s)\n", session->id);
		json_decref(*last);
		*last = NULL;
	} else if (strcmp(line, "\\help") == 0 || strcmp(line, "\\?") == 0) {
		chat_help(out);
	} else {
		fprintf(out, "unknown command '%s' (\\help lists them)\n", line);
	}
	return true;
}

int cmd_chat(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "conversation", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conversation = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'c': conversation = optarg; break;
		case 'h': chat_usage(stdout); return EXIT_OK;
		default: chat_usage(stderr); return EXIT_USAGE;
		}
	}
	struct err e = { 0 };
	int today;
	struct db db;
	struct ask_context ctx;
	struct conversation session;
	int rc = cli_open_for_questions(cli, &today, &db, &ctx);
	if (rc != EXIT_OK)
		return rc;
	if (conversation_open(&session, cli->db_path, &ctx, conversation, &e)) {
		ask_context_release(&ctx);
		db_close(&db);
		return cli_fail(&e, ERR_DATABASE);
	}
	bool interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	char *history = interactive ? history_path() : NULL;
	if (interactive) {
		using_history();
		stifle_history(HISTORY_MAX);
		if (history)
			read_history(history);
		rl_attempted_completion_function = complete;
		printf("finq chat: ask about your bill (\\help for commands, Ctrl-D to leave). Conversation %s\n",
		       session.id);
	}
	json_t *last = NULL;
	char *line;
	while ((line = read_question(interactive))) {
		char *q = line + strspn(line, " \t");
		if (!*q) {
			free(line);
			continue;
		}
		if (interactive)
			add_history(q);
		if (*q == '\\') {
			bool go_on = run_command(q, &session, &last, stdout);
			free(line);
			if (!go_on)
				break;
			continue;
		}
		/* names for completion exist once the first answer finished the vocabulary */
		json_t *answer = NULL;
		if (conversation_ask(&session, q, today, &answer, &e)) {
			fprintf(stderr, "finq: %s\n", e.msg);
			rc = EXIT_ERROR;
		} else {
			cli_print_answer(answer, stdout, interactive);
			json_decref(last);
			last = answer;
			completion_vocab = &ctx.vocab;
		}
		if (!interactive)
			fputs("\n", stdout);
		fflush(stdout);
		free(line);
	}
	if (interactive && history)
		write_history(history);
	free(history);
	json_decref(last);
	conversation_close(&session);
	ask_context_release(&ctx);
	db_close(&db);
	return rc;
}
