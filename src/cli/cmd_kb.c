/*
 * cmd_kb: `finq kb search|add|list|remove`: the FinOps knowledge base from
 * the command line.
 *
 * The command line and the printing only: kb.c stores, checks and searches
 * the entries in the state file beside the cost database (state_path_for).
 * No cost data is needed. The actions are a table; a wrong argument count
 * is a usage error caught before the state file is opened (or created).
 */
#include "cli.h"
#include "kb.h"
#include "state.h"
#include "strbuf.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JSON string; text that is not UTF-8 (a question typed in Latin-1)
 * becomes null rather than failing the whole object. */
static json_t *json_text(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

static json_t *entry_to_json(const struct kb_entry *entry)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(entry->id));
	json_object_set_new(o, "title", json_text(entry->title));
	json_object_set_new(o, "source", json_text(entry->source));
	json_object_set_new(o, "builtin", json_boolean(entry->builtin));
	json_object_set_new(o, "tags", json_text(entry->tags));
	json_object_set_new(o, "bytes", json_integer(entry->bytes));
	if (!entry->builtin)
		json_object_set_new(o, "path", json_text(entry->origin));
	if (entry->snippet) {
		json_object_set_new(o, "snippet", json_text(entry->snippet));
		json_object_set_new(o, "score", json_real(entry->score));
	}
	return o;
}

static void json_print(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	fputc('\n', stdout);
	json_decref(v);
}

/* Markdown's **bold** without its stars, for a terminal. */
static void print_plain(const char *md)
{
	for (const char *p = md; *p; p++) {
		if (p[0] == '*' && p[1] == '*')
			p++;
		else
			putchar(*p);
	}
}

/* The arguments joined by single spaces. */
static char *words_join(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < argc; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", argv[i]);
	return strbuf_detach(&sb);
}

/* search WORDS... */
static int kb_cmd_search(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	struct kb_entries hits = KB_ENTRIES_INIT;
	char *question = words_join(argc, argv);
	int rc = kb_search(s, question, opt->limit, &hits, e);
	if (rc)
		goto out;
	if (opt->json) {
		json_t *o = json_object(), *list = json_array();
		json_object_set_new(o, "query", json_text(question));
		for (size_t i = 0; i < hits.n; i++)
			json_array_append_new(list, entry_to_json(&hits.items[i]));
		json_object_set_new(o, "results", list);
		json_print(o);
	} else if (hits.n == 0) {
		printf("no knowledge base entry matches '%s' ('finq kb list' lists them)\n", question);
	} else {
		for (size_t i = 0; i < hits.n; i++) {
			printf("%s%zu. %s  (%s)\n   ", i ? "\n" : "", i + 1, hits.items[i].title, hits.items[i].source);
			print_plain(hits.items[i].snippet);
			putchar('\n');
		}
	}
out:
	kb_entries_release(&hits);
	free(question);
	return rc;
}

/* add FILE... */
static int kb_cmd_add(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	struct kb_entries added = KB_ENTRIES_INIT;
	if (kb_add_files(s, (const char *const *)argv, (size_t)argc, &added, e))
		return -1;
	if (opt->json) {
		json_t *o = json_object(), *list = json_array();
		for (size_t i = 0; i < added.n; i++) {
			json_t *entry = entry_to_json(&added.items[i]);
			json_object_set_new(entry, "replaced", json_boolean(added.items[i].replaced));
			json_array_append_new(list, entry);
		}
		json_object_set_new(o, "added", list);
		json_print(o);
	} else {
		for (size_t i = 0; i < added.n; i++)
			printf("%s '%s' (id %lld) from %s\n", added.items[i].replaced ? "replaced" : "added",
			       added.items[i].title, added.items[i].id, added.items[i].origin);
	}
	kb_entries_release(&added);
	return 0;
}

/* list */
static int kb_cmd_list(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	struct kb_entries all = KB_ENTRIES_INIT;
	(void)argc;
	(void)argv;
	if (kb_list(s, &all, e))
		return -1;
	if (opt->json) {
		json_t *o = json_object(), *list = json_array();
		for (size_t i = 0; i < all.n; i++)
			json_array_append_new(list, entry_to_json(&all.items[i]));
		json_object_set_new(o, "entries", list);
		json_print(o);
	} else {
		size_t users = 0;
		for (size_t i = 0; i < all.n; i++) {
			const struct kb_entry *entry = &all.items[i];
			users += !entry->builtin;
			printf("%5lld  %-9s %s  (%s)\n", entry->id, entry->builtin ? "built-in" : "yours", entry->title,
			       entry->builtin ? entry->source : entry->origin);
		}
		printf("%zu entries: %zu built-in, %zu added ('finq kb add FILE' adds yours)\n", all.n, all.n - users,
		       users);
	}
	kb_entries_release(&all);
	return 0;
}

/* remove TITLE|ID */
static int kb_cmd_remove(struct state *s, int argc, char **argv, const struct state_action_options *opt, struct err *e)
{
	struct kb_entry gone = { 0 };
	char *key = words_join(argc, argv);
	int rc = kb_remove(s, key, &gone, e);
	free(key);
	if (rc)
		return -1;
	if (opt->json) {
		json_t *o = json_object();
		json_object_set_new(o, "removed", entry_to_json(&gone));
		json_print(o);
	} else {
		printf("removed '%s' (id %lld)\n", gone.title, gone.id);
	}
	kb_entry_release(&gone);
	return 0;
}

/* Sorted by name. min_args and max_args count the arguments after the
 * action's name; max_args < 0: no limit. */
static const struct state_action actions[] = {
	{ "add", "FILE...", kb_cmd_add, 1, -1 },
	{ "list", "", kb_cmd_list, 0, 0 },
	{ "remove", "TITLE|ID", kb_cmd_remove, 1, -1 },
	{ "search", "[--limit N] WORDS...", kb_cmd_search, 1, -1 },
};

static void kb_usage(FILE *out, bool full)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		fprintf(out, "%s finq kb %s [--json] %s\n", i ? "      " : "usage:", actions[i].name, actions[i].args);
	if (!full) {
		fprintf(out, "'finq kb --help' says more.\n");
		return;
	}
	fprintf(out,
		"\nThe FinOps knowledge base: short entries on Savings Plans, Reserved Instances,\n"
		"amortized cost, NAT gateways, tagging, CUR and FOCUS columns and more, built\n"
		"into finq, plus the documents you add. Answers cite the entry they come from.\n\n"
		"  search WORDS   the best matching entries, with a passage of each\n"
		"  add FILE       add a markdown or plain-text document (UTF-8, at most %d bytes);\n"
		"                 its title is its first '# ' heading, else the file name;\n"
		"                 adding the same file again replaces it\n"
		"  list           every entry, with its id\n"
		"  remove         remove a document you added, by title or id\n"
		"  --limit N      search: at most N entries (default %d)\n"
		"  --json         machine-readable output (every action)\n\n"
		"Entries are kept in the state file beside the database (finq.duckdb ->\n"
		"finq.state.sqlite), or in $FINQ_STATE. See docs/knowledge.md.\n",
		KB_FILE_MAX, KB_SEARCH_DEFAULT);
}

int cmd_kb(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct state_action_options opt = { .json = cli->json, .limit = 0 };
	char *end;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': opt.json = true; break;
		case 'l':
			opt.limit = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || opt.limit < 1 || opt.limit > 100) {
				fprintf(stderr, "finq: --limit takes a whole number from 1 to 100, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h': kb_usage(stdout, true); return EXIT_OK;
		default: kb_usage(stderr, false); return EXIT_USAGE;
		}
	}
	return cli_run_state_action(cli, "kb", actions, sizeof(actions) / sizeof(actions[0]), argc, argv, optind, &opt,
				    kb_usage);
}
