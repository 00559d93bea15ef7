/*
 * timex_reader: what the readers of time expressions share (timex.c and
 * the timex_*.c files): a cursor over the tokens, the words of months and
 * units, and each production's reader. Internal to src/lang/timex*.c.
 * Every reader tries one production at r->pos; on success it fills a
 * period and moves r->pos past what it read, on failure it leaves r->pos
 * where it was and returns false.
 */
#ifndef FINQ_TIMEX_READER_H
#define FINQ_TIMEX_READER_H

#include "timex.h"
#include "lexer.h"

#include <stdbool.h>
#include <stddef.h>

struct reader {
	const struct token_list *t;
	size_t pos;
	int today;
};

static inline bool tx_is(const struct reader *r, size_t ahead, const char *w)
{
	return tok_is(r->t, r->pos + ahead, w);
}

static inline bool tx_is_any(const struct reader *r, size_t ahead, const char *const *words)
{
	return tok_in(r->t, r->pos + ahead, words);
}

static inline const struct token *tx_peek(const struct reader *r, size_t ahead)
{
	return r->pos + ahead < r->t->n ? &r->t->items[r->pos + ahead] : NULL;
}

/* Is the token ahead w, as a word or as an ordinal number ("3rd" is a
 * number token)? */
static inline bool tx_is_text(const struct reader *r, size_t ahead, const char *w)
{
	const struct token *t = tx_peek(r, ahead);
	return t && (t->kind == TOK_WORD || (t->kind == TOK_NUMBER && t->ordinal)) && slice_eq(t->text, w);
}

/* timex_calendar.c: named months, quarters, halves and their parts */
int tx_month_of_word(const struct token *tok); /* 1..12, or 0 */
bool tx_year_at(const struct reader *r, size_t ahead, int *year);
double tx_count_at(const struct reader *r, size_t ahead); /* "two", 3; -1 if none */
void tx_set_period(struct period *p, int start, int end, enum time_unit unit, int count);
void tx_label_month(struct period *p);
void tx_label_quarter(struct period *p);
bool tx_read_month(struct reader *r, struct period *p, bool *explicit_year);
bool tx_read_quarter_or_half(struct reader *r, struct period *p, bool *explicit_year);
bool tx_read_part_of_month(struct reader *r, struct period *p, bool *explicit_year);
bool tx_latest_day_of_month(int today, int day, struct period *p);
bool tx_read_day_range(struct reader *r, struct time_mention *m); /* "1-15 Nov", "Nov 1 - 15" */

/* timex_numeric.c: dates and periods written in digits ("11/2025", "Nov-25") */
bool tx_read_numeric(struct reader *r, struct period *p, bool *explicit_year);

/* timex_relative.c: periods told from today ("last 3 months", "mtd") */
extern const char *const tx_unit_names[];
bool tx_unit_at(const struct reader *r, size_t ahead, enum time_unit *unit);
int tx_unit_start(int today, enum time_unit unit);
int tx_unit_add(int start, enum time_unit unit, int n);
void tx_label_unit(struct period *p, enum time_unit unit, const char *other);
bool tx_read_relative(struct reader *r, struct period *p);
int tx_weekday_of(const struct token *tok); /* 0 Monday .. 6 Sunday, -1 when not a weekday's name */
const char *tx_weekday_name(int weekday);    /* "Monday" .. "Sunday" */

#endif
