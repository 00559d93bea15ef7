/*
 * cli: what every subcommand receives, and finq's exit codes.
 *
 * main.c parses the global options (--db, --today, --json) into a struct
 * cli and dispatches through its command table; each cmd_*() parses its own
 * options from argv (argv[0] is the subcommand name) and returns an exit code.
 */
#ifndef FINQ_CLI_H
#define FINQ_CLI_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Documented in README.md; scripts rely on them. Library code reports
 * failures as an enum err_status (err.h); cli_exit_code() maps one to the
 * other, here and nowhere else. */
enum exit_code {
	EXIT_OK = 0,
	EXIT_ERROR = 1,    /* an unexpected failure */
	EXIT_USAGE = 2,    /* bad command line */
	EXIT_BAD_INPUT = 3,/* a file could not be read or understood; nothing was loaded */
	EXIT_DATABASE = 4, /* the database could not be opened or written */
	EXIT_REFUSED = 5,  /* a query refused by the sandbox, or it timed out */
	EXIT_NO_DATA = 6,  /* no cost data yet, or none for what an analysis was asked */
};

struct cli {
	const char *db_path; /* --db, $FINQ_DB, or ./finq.duckdb */
	const char *today;   /* --today YYYY-MM-DD, or NULL for the system clock */
	bool json;           /* --json */
	const char *memory_limit; /* --memory-limit, or $FINQ_MEMORY_LIMIT */
	int threads;         /* --threads, 0 for DuckDB's default */
	/* --engine or $FINQ_ENGINE: the cost data lives there (engines.h);
	 * db_path then only says where the state file lives. NULL: db_path */
	const char *engine;
};

int cmd_alias(struct cli *cli, int argc, char **argv);
int cmd_ask(struct cli *cli, int argc, char **argv);
int cmd_bench(struct cli *cli, int argc, char **argv);
int cmd_chat(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_explain(struct cli *cli, int argc, char **argv);
int cmd_load(struct cli *cli, int argc, char **argv);
int cmd_loads(struct cli *cli, int argc, char **argv);
int cmd_insight(struct cli *cli, int argc, char **argv); /* argv[0] names the analysis */
int cmd_info(struct cli *cli, int argc, char **argv);
int cmd_kb(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_sql(struct cli *cli, int argc, char **argv);
int cmd_token(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);

/* The day questions are read from: --today, else the system clock. */
int cli_today(const struct cli *cli, int *today, struct err *e);

struct db;
struct ask_context;
/* What ask, chat and bench need before a question: today, the database
 * opened read-only in the sandbox, and the vocabulary. Returns EXIT_OK, or
 * an exit code after printing why (nothing is left open then). */
/* Open the cost data read-only: the engine when one is given, else the
 * DuckDB file in the sandbox. On failure db is closed and e says why. */
int cli_open_data(const struct cli *cli, struct db *db, struct err *e);
int cli_open_for_questions(const struct cli *cli, int *today, struct db *db, struct ask_context *ctx);

struct json_t;
/* Print an answer object (conversation.h) for people: narrative, how it
 * was read, the table with bars, suggestions. */
void cli_print_answer(const struct json_t *answer, FILE *out, bool color);

struct state;
/* What the actions of the state-file commands (alias, kb, token) receive. */
struct state_action_options {
	bool json;
	int limit; /* kb search: at most this many hits; 0 for the default */
	const char *role; /* token create: --role (access.h); NULL: read */
};

/* One action of a command that works on the state file. */
struct state_action {
	const char *name;
	const char *args; /* for the usage text */
	int (*run)(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e);
	int min_args, max_args; /* arguments after the action's name; max_args < 0: no limit */
};

/* `finq COMMAND ACTION ARGS...` once COMMAND's options are read (argv[first]
 * names the action): find the action, check its argument count, open the
 * state file beside cli->db_path, run it and close the file. A missing or
 * unknown action or a wrong count prints why and usage(stderr, false), and
 * returns EXIT_USAGE; a failed action returns its error's exit code. */
int cli_run_state_action(const struct cli *cli, const char *command, const struct state_action *actions,
			 size_t nactions, int argc, char **argv, int first, const struct state_action_options *opt,
			 void (*usage)(FILE *out, bool full));

/* The exit code for a status: ERR_OK is EXIT_OK, ERR_USAGE is EXIT_USAGE... */
int cli_exit_code(enum err_status status);

/* The options of a command that takes only --json and --help (info,
 * explain, loads): read from argv, optind left at the first operand.
 * Returns -1 to go on with *json set, or the exit code to return (after
 * printing usage to stdout for --help, to stderr for a bad option). */
int cli_json_options(const struct cli *cli, int argc, char **argv, void (*usage)(FILE *out), bool *json);

/* The question of `finq ask` and `finq explain`: the words of argv[first..]
 * joined by spaces into *out (initialised here, capped at CLI_QUESTION_MAX
 * bytes). EXIT_OK, or EXIT_USAGE after saying why (too long, or empty),
 * with *out released. */
#define CLI_QUESTION_MAX 4096
#define CLI_QUESTION_MAX_TEXT "4096"
struct strbuf;
int cli_question_from_args(int argc, char **argv, int first, struct strbuf *out);

struct json_t;
/* Print how a question was read (the "reading" array of an answer): one
 * line a word with its role and what it was read as. */
void cli_print_reading(const struct json_t *reading, FILE *out);

/* Print "finq: <message>" to stderr and return the exit code of the
 * error's status (of fallback when the error carries none). */
int cli_fail(const struct err *e, enum err_status fallback);

#endif
