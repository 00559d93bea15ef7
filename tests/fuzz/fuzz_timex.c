/*
 * fuzz_timex: time words resolved against a today. The first line of the
 * input may be a date (YYYY-MM-DD) used as today, so the fuzzer reaches
 * leap years and year ends; the rest is the text. Every range found must
 * be well formed: it starts before it ends, and the period before it too.
 */
#include "fuzz.h"

#include "date.h"
#include "lexer.h"
#include "timex.h"

static void check_period(const struct period *p)
{
	if (p->start_day > p->end_day)
		abort();
	if (memchr(p->label, '\0', sizeof(p->label)) == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	const char *words = text;
	int today = date_from_ymd(2025, 12, 4);
	int y, m, d;
	char *nl = strchr(text, '\n');
	if (nl && sscanf(text, "%4d-%2d-%2d", &y, &m, &d) == 3 && y >= 1970 && y <= 2100 && m >= 1 && m <= 12 &&
	    d >= 1 && d <= date_days_in_month(y, m)) {
		today = date_from_ymd(y, m, d);
		words = nl + 1;
	}
	struct token_list toks = { 0 };
	struct time_mention found[8];
	char dates[64];
	lex(words, &toks);
	size_t n = timex_find(&toks, today, found, 8);
	for (size_t i = 0; i < n; i++) {
		if (found[i].first > found[i].last || found[i].last >= toks.n)
			abort();
		check_period(&found[i].period);
		struct period before = period_previous(&found[i].period);
		check_period(&before);
		period_describe_dates(&found[i].period, dates, sizeof(dates));
	}
	token_list_release(&toks);
	free(text);
	return 0;
}
