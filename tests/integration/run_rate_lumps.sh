#!/usr/bin/env bash
# run_rate_lumps.sh: a run rate counts the fees that recur once a month
# and leaves one-off lumps out (src/sql/sqlgen.c build_run_rate,
# src/sql/charges.c), and the answer names the amount it left out
# (src/answer/narrate.c). The FOCUS fixture's $3,000 reserved instance paid
# upfront on 2025-08-14 made every month of August's run rate $3,000
# dearer; the dev data's $123.45 refund of May 2025 made May's cheaper,
# and its RI paid upfront ($178.70 on 2024-11-01, a Fee) was counted as a
# monthly fee by the unblended run rate.
# Every figure is recomputed here with `finq sql`.
. "$(dirname "$0")/lib.sh"

RECURRING="('Credit', 'Fee', 'RIFee', 'Tax')"
ONE_OFF="('Purchase', 'Refund', 'SavingsPlanUpfrontFee')"

# expected_run_rate DB FROM TO FEE_MONTH_FROM FEE_MONTH_TO: daily charges
# over the days with data at a month of 30.4375 days, plus the recurring
# lumps of the fee month
expected_run_rate() {
	sql_row "$1" "SELECT round(sum(CASE WHEN usage_date BETWEEN '$2' AND '$3' AND charge_type NOT IN $LUMPS
			THEN amortized_cost ELSE 0 END)
		/ count(DISTINCT CASE WHEN usage_date BETWEEN '$2' AND '$3' THEN usage_date END) * 30.4375
		+ sum(CASE WHEN usage_date BETWEEN '$4' AND '$5' AND charge_type IN $RECURRING
			THEN amortized_cost ELSE 0 END), 2) FROM costs"
}
sum_sql() { amortized_between "$@"; }
# column NAME: the first row's value of a column of the last --json answer
column() {
	python3 -c '
import json, sys
d = json.loads(sys.argv[2])
print(d["rows"][0][d["columns"].index(sys.argv[1])])' "$1" "$OUT" 2>/dev/null
}

# --- the FOCUS fixture: August holds a $3,000 one-time purchase --------
# ("this month" on 2025-08-20 is August 1 to 20, today included)
FOCUS=$WORK/focus.duckdb
run finq "$FOCUS" load "$REPO/tests/data/focus-purchase/focus.csv"
check_eq "the FOCUS fixture loads" 0 "$RC"
run finq "$FOCUS" --today 2025-08-20 ask --json "run rate this month"
check_eq "run rate this month exits 0" 0 "$RC"
check_close "one month of fees is the recurring tax, not the purchase" \
	"$(sum_sql "$FOCUS" 2025-08-01 2025-08-31 "AND charge_type IN $RECURRING")" "$(column monthly_fees)" 0.01
check_close "the monthly run rate leaves the purchase out" \
	"$(expected_run_rate "$FOCUS" 2025-08-01 2025-08-20 2025-08-01 2025-08-31)" "$(column monthly_run_rate)" 0.01
check_close "the annual run rate is twelve of those months" \
	"$(python3 -c "print(12 * $(column monthly_run_rate))")" "$(column annual_run_rate)" 0.01
check_close "one_off_charges is the purchase" 3000 "$(column one_off_charges)" 0.01
check_close "the total still holds it" "$(sum_sql "$FOCUS" 2025-08-01 2025-08-20)" "$(column total_amortized_cost)" 0.01
message=$(json_get message "$OUT")
check_contains "the answer names the amount left out" "$message" \
	"**\$3,000.00** of one-off charges (one-time purchases, refunds and upfront fees) in the period is in its total and left out of the run rate"

# "annualized" reads as a run rate too, and the default 30 days hold the purchase
run finq "$FOCUS" --today 2025-08-20 ask "annualized cost"
check_contains "annualized: the purchase is named as left out" "$OUT" "\$3,000.00 of one-off charges"

# July has no one-off charge: nothing to say
run finq "$FOCUS" --today 2025-08-20 ask --json "run rate last month"
check_not_contains "a month without one-off charges says nothing of them" "$(json_get message "$OUT")" "one-off"
check_close "July: usage plus July's tax" \
	"$(expected_run_rate "$FOCUS" 2025-07-01 2025-07-31 2025-07-01 2025-07-31)" "$(column monthly_run_rate)" 0.01

# --- the dev data: May 2025's refund -----------------------------------
DB=$WORK/dev.duckdb
dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"
refund=$(sum_sql "$DB" 2025-05-01 2025-05-31 "AND charge_type IN $ONE_OFF")
check_close "May 2025 holds the \$123.45 refund" -123.45 "$refund" 0.005
run finq "$DB" --today 2025-06-10 ask --json "run rate last month"
check_eq "dev run rate exits 0" 0 "$RC"
check_close "May's fees without the refund" \
	"$(sum_sql "$DB" 2025-05-01 2025-05-31 "AND charge_type IN $RECURRING")" "$(column monthly_fees)" 0.01
check_close "May's run rate without the refund" \
	"$(expected_run_rate "$DB" 2025-05-01 2025-05-31 2025-05-01 2025-05-31)" "$(column monthly_run_rate)" 0.01
check_contains "the refund is named as left out" "$(json_get message "$OUT")" "**-\$123.45** of one-off charges"

# --- the dev data: November 2024's RI paid upfront, unblended ----------
# CUR books it as a Fee with the reservation's ARN (commitment_id), $178.70
# on 2024-11-01; amortized it is 0 (CONVENTIONS.md), unblended it was read
# as a monthly fee, in every month of the run rate
unblended_between() {
	sql_row "$DB" "SELECT round(coalesce(sum(unblended_cost), 0), 2) FROM costs WHERE usage_date BETWEEN '$1' AND '$2' ${3:-}"
}
upfront=$(unblended_between 2024-11-01 2024-11-30 "AND charge_type = 'Fee' AND commitment_id IS NOT NULL")
check_close "November 2024 holds the \$178.70 RI upfront fee" 178.70 "$upfront" 0.005
run finq "$DB" --today 2024-12-05 ask --json "unblended run rate last month"
check_close "the unblended month of fees leaves the RI upfront fee out" \
	"$(python3 -c "print($(unblended_between 2024-11-01 2024-11-30 "AND charge_type IN $RECURRING") - $upfront)")" \
	"$(column monthly_fees)" 0.01
check_close "one_off_charges is the RI upfront fee" "$upfront" "$(column one_off_charges)" 0.01
check_contains "it is named as left out, as a purchase is" "$(json_get message "$OUT")" \
	"**\$178.70** of one-off charges (one-time purchases, refunds and upfront fees) in the period is in its total and left out"
run finq "$DB" --today 2024-12-05 ask --json "run rate by team last month"
check_eq "a run rate over the tag summaries still runs" 0 "$RC"
run finq "$DB" --today 2024-12-05 ask --json "run rate last month"
check_close "amortized, the fee is 0: nothing one-off" 0 "$(column one_off_charges)" 0.005
check_close "and the amortized fees are the recurring ones" \
	"$(sum_sql "$DB" 2024-11-01 2024-11-30 "AND charge_type IN $RECURRING")" "$(column monthly_fees)" 0.01

finish
