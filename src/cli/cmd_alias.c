/*
 * cmd_alias: `finq alias add|remove|list`: names for groups of things in the
 * bill ("compute" = AmazonEC2, AWSLambda, AmazonECS) that questions can use.
 *
 * The command line and the printing only: the aliases live in the state
 * file beside the cost database (state_path_for), and state.c validates
 * and stores them. The language engine reads them with state_alias_list().
 * The actions are a table; a wrong argument count is a usage error caught
 * before the state file is opened (or created).
 */
#include "cli.h"
#include "state.h"
#include "xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *alias_to_json(const struct state_alias *a)
{
	json_t *o = json_object(), *targets = json_array();
	json_object_set_new(o, "name", json_string(a->name));
	for (int i = 0; i < a->ntargets; i++)
		json_array_append_new(targets, json_string(a->targets[i]));
	json_object_set_new(o, "targets", targets);
	return o;
}

static void json_print(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(v);
}

/* "AmazonEC2, AWSLambda, AmazonECS" */
static void targets_print(const struct state_alias *a)
{
	for (int i = 0; i < a->ntargets; i++)
		printf("%s%s", i ? ", " : "", a->targets[i]);
	putchar('\n');
}

/* add NAME TARGET[,TARGET...] [TARGET...]: every argument split at commas. */
static int alias_add(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	struct state_aliases stored = STATE_ALIASES_INIT;
	const char **targets = NULL;
	size_t n = 0, alloc = 0;
	int rc = -1;
	for (int i = 1; i < argc; i++) {
		for (const char *p = argv[i];; p++) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			ALLOC_GROW(targets, n + 1, alloc);
			targets[n++] = xstrndup(p, len);
			if (!comma)
				break;
			p = comma;
		}
	}
	int ntargets = n > INT_MAX ? INT_MAX : (int)n; /* state.c refuses more than it keeps */
	if (state_alias_set(s, argv[0], targets, ntargets, e) || state_alias_get(s, argv[0], &stored, e))
		goto out;
	if (opt->json) {
		json_print(alias_to_json(&stored.items[0]));
	} else {
		printf("alias '%s' = ", stored.items[0].name);
		targets_print(&stored.items[0]);
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free((char *)targets[i]);
	free(targets);
	state_aliases_release(&stored);
	return rc;
}

/* remove NAME */
static int alias_remove(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	struct state_aliases gone = STATE_ALIASES_INIT;
	(void)argc;
	/* Read it first to print the name as it was stored. */
	if (state_alias_get(s, argv[0], &gone, e) || state_alias_remove(s, argv[0], e)) {
		state_aliases_release(&gone);
		return -1;
	}
	if (opt->json) {
		json_t *o = json_object();
		json_object_set_new(o, "removed", json_string(gone.items[0].name));
		json_print(o);
	} else {
		printf("removed alias '%s'\n", gone.items[0].name);
	}
	state_aliases_release(&gone);
	return 0;
}

/* list */
static int alias_list(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	struct state_aliases all = STATE_ALIASES_INIT;
	(void)argc;
	(void)argv;
	if (state_alias_list(s, &all, e))
		return -1;
	if (opt->json) {
		json_t *o = json_object(), *list = json_array();
		for (size_t i = 0; i < all.n; i++)
			json_array_append_new(list, alias_to_json(&all.items[i]));
		json_object_set_new(o, "aliases", list);
		json_print(o);
	} else if (all.n == 0) {
		printf("no aliases yet: add one with 'finq alias add NAME TARGET[,TARGET...]'\n");
	} else {
		int width = 0;
		for (size_t i = 0; i < all.n; i++)
			if ((int)strlen(all.items[i].name) > width)
				width = (int)strlen(all.items[i].name);
		for (size_t i = 0; i < all.n; i++) {
			printf("%-*s = ", width, all.items[i].name);
			targets_print(&all.items[i]);
		}
	}
	state_aliases_release(&all);
	return 0;
}

/* Sorted by name. min_args and max_args count the arguments after the
 * action's name; max_args < 0: no limit. */
static const struct state_action actions[] = {
	{ "add", "NAME TARGET[,TARGET...] [TARGET...]", alias_add, 2, -1 },
	{ "list", "[--json]", alias_list, 0, 0 },
	{ "remove", "NAME", alias_remove, 1, 1 },
};

/* The usage lines, and with full the explanation too. */
static void alias_usage(FILE *out, bool full)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		fprintf(out, "%s finq alias %s %s\n", i ? "      " : "usage:", actions[i].name, actions[i].args);
	if (!full) {
		fprintf(out, "'finq alias --help' says more.\n");
		return;
	}
	fprintf(out,
		"\nAn alias names a group of things in your bill so that questions can use the\n"
		"name: 'finq alias add compute AmazonEC2,AWSLambda,AmazonECS' makes \"compute\"\n"
		"mean those three services. Names are case-insensitive (at most %d bytes);\n"
		"adding a name again replaces it; 1 to %d targets of at most %d bytes each.\n"
		"Aliases are kept in the state file beside the database (finq.duckdb ->\n"
		"finq.state.sqlite), or in $FINQ_STATE.\n\n"
		"  --json   machine-readable output (every action)\n",
		STATE_ALIAS_NAME_MAX, STATE_ALIAS_TARGETS_MAX, STATE_ALIAS_TARGET_MAX);
}

int cmd_alias(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct state_action_options opt = { .json = cli->json };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': opt.json = true; break;
		case 'h': alias_usage(stdout, true); return EXIT_OK;
		default: alias_usage(stderr, false); return EXIT_USAGE;
		}
	}
	return cli_run_state_action(cli, "alias", actions, sizeof(actions) / sizeof(actions[0]), argc, argv, optind, &opt,
				    alias_usage);
}
