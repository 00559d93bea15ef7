/*
 * fuzz_lexparse: a question through the lexer and the parser, with the
 * dev data's vocabulary, then the plan it produced through the SQL
 * generator, words, and a JSON round trip. The input is a question; a
 * line break splits it into a question and a follow-up that edits the
 * first plan (the way a conversation goes).
 */
#include "fuzz.h"

#include "date.h"
#include "lexer.h"
#include "parse.h"
#include "sqlgen.h"
#include "strbuf.h"

#include <jansson.h>

static struct vocab vocab;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_load_vocab(&vocab);
	return 0;
}

/* Everything a finished plan goes through after parsing. */
static void use_plan(const struct plan *p)
{
	struct strbuf sql;
	char words[1024];
	strbuf_init(&sql, 0);
	sqlgen_build(p, &sql_dialect_duckdb, &sql);
	strbuf_release(&sql);
	plan_describe(p, words, sizeof(words));
	json_t *j = plan_to_json(p);
	struct plan back;
	if (plan_from_json(j, &back) != 0 && (p->intent != INTENT_CLARIFY && p->intent != INTENT_REFUSE &&
					      p->intent != INTENT_HELP))
		abort(); /* an answerable plan must survive being stored */
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char *followup = strchr(text, '\n');
	if (followup)
		*followup++ = '\0';

	struct token_list toks = { 0 };
	lex(text, &toks);
	token_list_release(&toks);

	struct parse_result first, second;
	struct parse_input in = { .question = text, .today = date_from_ymd(2025, 12, 4), .vocab = &vocab };
	parse_question(&in, &first);
	use_plan(&first.plan);
	if (followup) {
		in.question = followup;
		in.previous = &first.plan;
		in.previous_top_label = "AmazonEC2";
		parse_question(&in, &second);
		use_plan(&second.plan);
	}
	free(text);
	return 0;
}
