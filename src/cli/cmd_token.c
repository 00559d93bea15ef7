/*
 * cmd_token: `finq token create|add NAME [--role ROLE] | list | role NAME
 * ROLE | revoke NAME`: the API tokens that `finq serve` asks for
 * (Authorization: Bearer) when it listens beyond loopback, and their roles
 * (access.h). Every change is written to the audit log as done by "cli".
 *
 * The command line and the printing only: apitoken.c makes and hashes a
 * token, state.c keeps its name and hash in the state file beside the
 * cost database (state_path_for). `create` prints the token once, on
 * stdout alone (so that TOKEN=$(finq token create ci) works), and a
 * reminder on stderr; nothing can show it again. `list` shows names and
 * times, never a secret or a hash. A server that is running sees a new or
 * revoked token on its next request.
 */
#include "access.h"
#include "cli.h"
#include "state.h"
#include "apitoken.h"

#include <getopt.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void json_print(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(v);
}

/* A change by the command line, in the audit log; a failure to write it
 * is said, not fatal: the change is made. */
static void audit_cli(struct state *s, const char *action, const char *object, const char *detail)
{
	struct err e = { 0 };
	struct state_audit a = { "cli", NULL, action, object, detail };
	if (state_audit_add(s, &a, &e))
		fprintf(stderr, "finq: %s\n", e.msg);
}

/* The --role value, or an ERR_USAGE error. */
static int role_of(const char *name, enum access_role *role, struct err *e)
{
	if (!access_role_parse(name ? name : "read", role))
		return err_set_code(e, ERR_USAGE, "unknown role '%s' (read, upload or admin)", name);
	return 0;
}

/* create NAME [--role ROLE] (also: add) */
static int token_create(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	(void)argc; /* one, checked by cli_run_state_action() */
	char token[TOKEN_SIZE], hash[TOKEN_HASH_SIZE];
	enum access_role role;
	if (role_of(opt->role, &role, e) || state_token_name_check(argv[0], e) || token_generate(token, e))
		return -1;
	token_hash(token, TOKEN_LEN, hash);
	int rc = state_token_add(s, argv[0], hash, e);
	/* made admin, as tokens were before roles; if lowering it fails the
	 * token goes, rather than stay admin */
	if (rc == 0 && state_token_set_role(s, argv[0], access_role_name(role), e)) {
		struct err ignored = { 0 };
		state_token_revoke(s, argv[0], &ignored);
		rc = -1;
	}
	if (rc == 0)
		audit_cli(s, "token.create", argv[0], access_role_name(role));
	if (rc == 0) {
		if (opt->json)
			json_print(json_pack("{s:s, s:s, s:s}", "name", argv[0], "token", token, "role", access_role_name(role)));
		else
			printf("%s\n", token);
		fprintf(stderr,
			"finq: token '%s' created; it is shown only this once: keep it somewhere safe and send it "
			"as 'Authorization: Bearer <token>'\n",
			argv[0]);
	}
	OPENSSL_cleanse(token, sizeof(token));
	return rc;
}

/* list */
static int token_list(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	struct state_tokens all = { 0 };
	(void)argc;
	(void)argv;
	if (state_token_list(s, &all, e))
		return -1;
	if (opt->json) {
		json_t *list = json_array();
		for (size_t i = 0; i < all.n; i++) {
			const struct state_token *t = &all.items[i];
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o}", "name", t->name, "role", t->role,
							      "created_at", t->created_at, "last_used_at",
							      t->last_used_at[0] ? json_string(t->last_used_at) : json_null()));
		}
		json_print(json_pack("{s:o}", "tokens", list));
	} else if (all.n == 0) {
		printf("no API tokens yet: make one with 'finq token create NAME'\n");
	} else {
		int width = 4;
		for (size_t i = 0; i < all.n; i++)
			if ((int)strlen(all.items[i].name) > width)
				width = (int)strlen(all.items[i].name);
		printf("%-*s  %-6s  %-24s  %s\n", width, "NAME", "ROLE", "CREATED", "LAST USED");
		for (size_t i = 0; i < all.n; i++)
			printf("%-*s  %-6s  %-24s  %s\n", width, all.items[i].name, all.items[i].role,
			       all.items[i].created_at, all.items[i].last_used_at[0] ? all.items[i].last_used_at : "never");
	}
	state_tokens_release(&all);
	return 0;
}

/* revoke NAME */
static int token_revoke(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	(void)argc; /* one, checked by cli_run_state_action() */
	if (state_token_revoke(s, argv[0], e))
		return -1;
	audit_cli(s, "token.revoke", argv[0], NULL);
	if (opt->json)
		json_print(json_pack("{s:s}", "revoked", argv[0]));
	else
		printf("revoked token '%s'\n", argv[0]);
	return 0;
}

/* role NAME ROLE */
static int token_role(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	enum access_role role;
	(void)argc; /* two, checked by cli_run_state_action() */
	if (role_of(argv[1], &role, e) || state_token_name_check(argv[0], e) ||
	    state_token_set_role(s, argv[0], access_role_name(role), e))
		return -1;
	audit_cli(s, "token.role", argv[0], access_role_name(role));
	if (opt->json)
		json_print(json_pack("{s:s, s:s}", "name", argv[0], "role", access_role_name(role)));
	else
		printf("token '%s' has the role %s\n", argv[0], access_role_name(role));
	return 0;
}

/* Sorted by name; nargs counts the arguments after the action's name. */
static const struct state_action actions[] = {
	{ "add", "NAME [--role read|upload|admin]", token_create, 1, 1 },
	{ "create", "NAME [--role read|upload|admin]", token_create, 1, 1 },
	{ "list", "", token_list, 0, 0 },
	{ "revoke", "NAME", token_revoke, 1, 1 },
	{ "role", "NAME read|upload|admin", token_role, 2, 2 },
};

static void token_usage(FILE *out, bool full)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		fprintf(out, "%s finq token %s%s%s [--json]\n", i ? "      " : "usage:", actions[i].name,
			actions[i].args[0] ? " " : "", actions[i].args);
	if (!full) {
		fprintf(out, "'finq token --help' says more.\n");
		return;
	}
	fprintf(out,
		"\nAPI tokens for 'finq serve'. A server listening beyond loopback (--host 0.0.0.0)\n"
		"needs at least one and refuses requests without a valid one; on loopback a\n"
		"request may come without a token (unless serve --require-token), but a wrong\n"
		"or revoked token is refused.\n"
		"Clients send 'Authorization: Bearer <token>'.\n\n"
		"  create NAME   make a token and print it once (only its SHA-256 is kept);\n"
		"                names are 1 to %d letters, digits, '.', '_' or '-'; 'add'\n"
		"                is the same\n"
		"  --role ROLE   what the new token may do (default read):\n"
		"                  read    ask, plan, SQL, summary, analyses; its own\n"
		"                          conversations and feedback only\n"
		"                  upload  read, and upload billing exports (replacing periods)\n"
		"                  admin   upload, every conversation, /api/v1/stats, /metrics\n"
		"                tokens made before roles are admin\n"
		"  list          the tokens' names, roles, when they were made and last used\n"
		"  role NAME ROLE  change a token's role\n"
		"  revoke NAME   delete a token; servers refuse it from their next request\n"
		"  --json        machine-readable output\n\n"
		"Tokens are kept in the state file beside the database (finq.duckdb ->\n"
		"finq.state.sqlite), or in $FINQ_STATE.\n",
		TOKEN_NAME_MAX);
}

int cmd_token(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct state_action_options opt = { .json = cli->json };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': opt.json = true; break;
		case 'r': opt.role = optarg; break;
		case 'h': token_usage(stdout, true); return EXIT_OK;
		default: token_usage(stderr, false); return EXIT_USAGE;
		}
	}
	return cli_run_state_action(cli, "token", actions, sizeof(actions) / sizeof(actions[0]), argc, argv, optind, &opt,
				    token_usage);
}
