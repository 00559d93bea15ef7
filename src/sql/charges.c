/*
 * charges: the line item types booked once a month (see charges.h).
 */
#include "charges.h"

/* Booked once per billing period; sorted. */
static const char *const monthly_charges[] = { "Credit", "Fee", "RIFee", "Refund", "SavingsPlanUpfrontFee", "Tax" };

void charges_monthly_sql(struct strbuf *sql, bool daily)
{
	strbuf_addf(sql, "coalesce(charge_type, '') %sIN (", daily ? "NOT " : "");
	for (size_t i = 0; i < sizeof(monthly_charges) / sizeof(monthly_charges[0]); i++) {
		if (i)
			strbuf_addstr(sql, ", ");
		strbuf_add_sql_literal(sql, monthly_charges[i]);
	}
	strbuf_addch(sql, ')');
}
