/*
 * cmd_audit: `finq audit [--limit N] [--json]`: the audit log of the state
 * file (state.h): who (a token's name, "local" for a request without a
 * token, "cli" for this command line), from which address, did what to
 * which object: uploads and the billing periods they replaced,
 * conversations made, renamed and deleted, feedback, refused attempts,
 * tokens made, given roles and revoked. Oldest first.
 *
 * Reading only; the lines are written by api.c, server.c and cmd_token.c.
 * Values came from clients (titles, file names): control characters are
 * shown as '?' so that they cannot drive the terminal.
 */
#include "cli.h"
#include "state.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_DEFAULT_LIMIT 100

/* s with control characters (C0, DEL, C1 as UTF-8) as '?'. */
static void print_clean(const char *s, int width)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : "-"); *p; p++, n++) {
		if (*p < 0x20 || *p == 0x7f)
			putchar('?');
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)
			putchar('?'), p++;
		else
			putchar(*p);
	}
	for (; n < width; n++)
		putchar(' ');
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "limit", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = cli->json;
	long limit = AUDIT_DEFAULT_LIMIT;
	char *end;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'n':
			errno = 0;
			limit = strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || limit < 1 || limit > 1000000) {
				fprintf(stderr, "finq: --limit takes a number from 1 to 1000000, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			printf("usage: finq audit [--limit N] [--json]\n\n"
			       "The last N (default %d) lines of the audit log, oldest first: when, who\n"
			       "(a token's name, 'local' without one, 'cli'), from where, what, to which\n"
			       "object, details.\n", AUDIT_DEFAULT_LIMIT);
			return EXIT_OK;
		default: fprintf(stderr, "usage: finq audit [--limit N] [--json]\n"); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "finq: audit takes no arguments ('%s')\n", argv[optind]);
		return EXIT_USAGE;
	}
	struct err e = { 0 };
	struct state *s;
	json_t *list = NULL;
	char *path = state_path_for(cli->db_path);
	int rc = state_open(&s, path, &e);
	free(path);
	if (rc == 0) {
		rc = state_audit_list(s, (int)limit, &list, &e);
		state_close(s);
	}
	if (rc)
		return cli_fail(&e, ERR_DATABASE);
	if (json) {
		json_t *out = json_pack("{s:o}", "audit", list);
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(out);
		return EXIT_OK;
	}
	if (json_array_size(list) == 0)
		printf("the audit log is empty\n");
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *a = json_array_get(list, i);
		static const struct { const char *key; int width; } cols[] = {
			{ "at", 25 }, { "actor", 12 }, { "client", 16 }, { "action", 20 }, { "object", 34 }, { "detail", 0 },
		};
		for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
			print_clean(json_string_value(json_object_get(a, cols[k].key)), cols[k].width);
			putchar(k + 1 < sizeof(cols) / sizeof(cols[0]) ? ' ' : '\n');
		}
	}
	json_decref(list);
	return EXIT_OK;
}
