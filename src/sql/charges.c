/*
 * charges: the line item types that are lumps, monthly or one-off (see
 * charges.h).
 */
#include "charges.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum charge_timing { CHARGE_MONTHLY, CHARGE_ONE_OFF };

/* The lumps; sorted by name. "Purchase" is what the FOCUS loader calls a
 * purchase charged One-Time (schema.c); recurring FOCUS purchases are
 * "RecurringPurchase" and accrue by the day, as CUR's Savings Plan
 * recurring fee does. */
static const struct {
	const char *charge_type;
	enum charge_timing timing;
	const char *words; /* in a sentence */
} lumps[] = {
	{ "Credit", CHARGE_MONTHLY, "credits" },
	{ "Fee", CHARGE_MONTHLY, "fees" },
	{ "Purchase", CHARGE_ONE_OFF, "one-time purchases" },
	{ "RIFee", CHARGE_MONTHLY, "RI fees" },
	{ "Refund", CHARGE_ONE_OFF, "refunds" },
	{ "SavingsPlanUpfrontFee", CHARGE_ONE_OFF, "upfront fees" },
	{ "Tax", CHARGE_MONTHLY, "taxes" },
};

static bool is_kind(size_t i, enum charges_which which)
{
	return which == CHARGES_ALL || (which == CHARGES_ONE_OFF) == (lumps[i].timing == CHARGE_ONE_OFF);
}

static void add_list(struct strbuf *sql, bool negate, enum charges_which which)
{
	strbuf_addf(sql, "coalesce(charge_type, '') %sIN (", negate ? "NOT " : "");
	bool first = true;
	for (size_t i = 0; i < COUNT(lumps); i++) {
		if (!is_kind(i, which))
			continue;
		if (!first)
			strbuf_addstr(sql, ", ");
		strbuf_add_sql_literal(sql, lumps[i].charge_type);
		first = false;
	}
	strbuf_addch(sql, ')');
}

const char *charges_lump_type(size_t i)
{
	return i < COUNT(lumps) ? lumps[i].charge_type : NULL;
}

void charges_monthly_sql(struct strbuf *sql, bool daily)
{
	add_list(sql, daily, CHARGES_ALL);
}

void charges_one_off_sql(struct strbuf *sql)
{
	add_list(sql, false, CHARGES_ONE_OFF);
}

void charges_recurring_sql(struct strbuf *sql)
{
	add_list(sql, false, CHARGES_MONTHLY);
}

void charges_upfront_fee_sql(struct strbuf *sql)
{
	strbuf_addstr(sql, "CASE WHEN coalesce(charge_type, '') = 'Fee' THEN unblended_cost - amortized_cost ELSE 0 END");
}

void charges_words(struct strbuf *out, enum charges_which which)
{
	size_t count = 0, total = 0;
	for (size_t i = 0; i < COUNT(lumps); i++)
		total += is_kind(i, which);
	for (size_t i = 0; i < COUNT(lumps); i++) {
		if (!is_kind(i, which))
			continue;
		if (count)
			strbuf_addstr(out, count + 1 == total ? " and " : ", ");
		strbuf_addstr(out, lumps[i].words);
		count++;
	}
}
