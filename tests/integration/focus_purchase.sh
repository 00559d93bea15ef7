#!/usr/bin/env bash
# focus_purchase.sh: FOCUS "Purchase" rows (tests/data/focus-purchase,
# 120 days of flat usage with a weekday pattern, a $50 tax on each 1st, a
# Savings Plan's recurring fee by the day and one $3,000 reserved instance
# paid all upfront on 2025-08-14). A purchase charged One-Time is a lump
# (src/sql/charges.c): it counts on its charge date in totals, the
# anomalies do not flag it and the forecast neither bends its trend with it
# nor expects it again; a Recurring purchase accrues by the day. Also the
# dev data's own FOCUS file (November 2025), whose one-time purchase is
# the support fee CUR calls a Fee: its lumps match CUR's.
. "$(dirname "$0")/lib.sh"

DB=$WORK/focus.duckdb
TODAY=(--today 2025-09-29)

run finq "$DB" load "$REPO/tests/data/focus-purchase/focus.csv"
check_eq "the FOCUS fixture loads" 0 "$RC"
check_eq "one-time and recurring purchases are told apart" "Purchase:1,RecurringPurchase:120,Tax:4,Usage:240" \
	"$(sql_row "$DB" "SELECT string_agg(charge_type || ':' || n, ',' ORDER BY charge_type) FROM
		(SELECT charge_type, count(*) AS n FROM costs GROUP BY 1)" | tr -d '"')"

# totals: the purchase counts on its charge date, in its month
run finq "$DB" "${TODAY[@]}" ask --json "total cost in August 2025"
check_eq "August total exits 0" 0 "$RC"
august=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["rows"][0][-1])' <<<"$OUT" 2>/dev/null)
# 21 weekdays x $120 + 10 weekend days x $80 + $50 tax + $3,000 purchase
check_close "August holds the purchase" 6370 "${august:-x}" 0.01
check_close "on 2025-08-14" 3120 "$(sql_row "$DB" "SELECT sum(amortized_cost) FROM costs WHERE usage_date = '2025-08-14'")" 0.01

# anomalies: a lump is neither a spike nor a level shift
run finq "$DB" "${TODAY[@]}" anomalies --json
check_eq "anomalies exits 0" 0 "$RC"
events=$(python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))' <<<"$OUT" 2>/dev/null)
check_eq "no anomaly on flat usage with a purchase in it" 0 "${events:-x}"
check_contains "the method names one-time purchases among the lumps left out" "$(json_get method "$OUT")" \
	"one-time purchases"

# forecast: the trend is the usage's, the purchase is not expected again
run finq "$DB" "${TODAY[@]}" forecast --months 2 --json
check_eq "forecast exits 0" 0 "$RC"
read -r september october < <(python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
print(items[0]["forecast"], items[1]["forecast"])' <<<"$OUT" 2>/dev/null)
# September: 28 days booked (20 weekdays, 8 weekend days, the tax) + Mon 29 and Tue 30
check_close "September: actual to date plus two weekdays" 3330 "${september:-x}" 0.5
# October: 23 weekdays x $120 + 8 weekend days x $80 + the usual $50 tax
# (not a third of the purchase: $1,000 more)
check_close "October: usage and the usual tax, no purchase" 3450 "${october:-x}" 0.5
check_contains "the forecast says one-offs are not expected again" "$(json_get message "$OUT")" \
	"one-off ones (one-time purchases, refunds and upfront fees) count in the month they are charged"

# the dev data's FOCUS month against its CUR month: the same lumps
DEV=$WORK/dev-focus.duckdb
run finq "$DEV" load "$DATA/cur-dev/focus.csv.gz"
check_eq "the dev FOCUS file loads" 0 "$RC"
check_eq "its one-time purchase is the support fee" "Purchase 5651.73" \
	"$(sql_row "$DEV" "SELECT string_agg(charge_type || ' ' || round(unblended_cost, 2), ';') FROM costs
		WHERE charge_type = 'Purchase'" | tr -d '"')"
CUR=$WORK/dev-cur.duckdb
run finq "$CUR" load "$DATA/cur-dev/cur1.csv.gz"
lumps() {
	sql_row "$1" "SELECT round(sum(unblended_cost), 2) FROM costs WHERE charge_type IN ('Fee', 'Tax', 'Purchase')"
}
check_close "FOCUS fees and taxes equal CUR's (unblended)" "$(lumps "$CUR")" "$(lumps "$DEV")" 0.05

finish
