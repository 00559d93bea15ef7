#!/usr/bin/env bash
# fees_compare.sh: a comparison whose fees are on one side only says so.
# "Last week" asked on 2025-11-05 is Oct 27 - Nov 2, which holds the
# monthly fees, taxes and RI fees booked on Nov 1; the week before holds
# none, so the total reads "up 68.8%" on flat usage. The answer must name
# the fees with their amount and date and give the change without them
# (src/service/lumps.c, src/answer/narrate.c), with every figure recomputed
# here with `finq sql`; and say nothing when both sides have their fees
# (month to date against the same days), when neither has (a week without
# a 1st) or when the question picks the charge types itself. A month to
# date compared with last month compares the same days of it, as the
# total does (src/service/periods.c periods_compare_same_days). A trend
# whose last week holds the 1st says so of its change from the first
# week (lumps_compare_series), and a peak that is the 1st's fees says so
# (lumps_peak). Last, the
# FOCUS fixture's August (a $3,000 purchase and the tax) against July
# (the tax alone).
. "$(dirname "$0")/lib.sh"

DB=$WORK/dev.duckdb
dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"

# Every day range's amortized cost the checks below recompute, asked in
# one finq process (a process costs 0.12 s before any work, 0.35 s under
# ASan): between FROM TO [AND ...] is lib.sh's amortized_between as a
# scalar subquery; the database does not change until the FOCUS part.
between() {
	echo "(SELECT round(coalesce(sum(amortized_cost), 0), 2) FROM costs WHERE usage_date BETWEEN '$1' AND '$2' ${3:-})"
}
sql_cols "$DB" "SELECT $(between 2025-10-27 2025-11-02 "AND charge_type IN $LUMPS"),
	$(between 2025-10-20 2025-10-26 "AND charge_type IN $LUMPS"), $(between 2025-10-27 2025-11-02),
	$(between 2025-10-20 2025-10-26), $(between 2025-11-03 2025-11-09), $(between 2025-11-01 2025-11-12),
	$(between 2025-10-01 2025-10-12), $(between 2025-11-03 2025-11-05),
	$(between 2025-09-08 2025-09-14 "AND charge_type IN $LUMPS"), $(between 2025-09-08 2025-09-14),
	$(between 2025-10-27 2025-11-02 "AND service_code = 'AmazonEC2' AND charge_type IN $LUMPS"),
	$(between 2025-11-01 2025-11-01), $(between 2025-11-01 2025-11-01 "AND charge_type IN $LUMPS")"
fees=${COLS[0]:-} fees_before=${COLS[1]:-} total=${COLS[2]:-} before=${COLS[3]:-}
usage_now=${COLS[4]:-} mtd=${COLS[5]:-} oct_same=${COLS[6]:-} week_before=${COLS[7]:-}
first_week_fees=${COLS[8]:-} first_week=${COLS[9]:-} ec2_week_fees=${COLS[10]:-}
nov1=${COLS[11]:-} nov1_fees=${COLS[12]:-}

# --- a total and the period before it ----------------------------------
run finq "$DB" --today 2025-11-05 ask --json "last week"
check_eq "last week exits 0" 0 "$RC"
message=$(json_get message "$OUT")
check_close "the week before holds no fees" 0 "$fees_before" 0.005
check_contains "the fees are named with their amount and date" "$message" \
	"**$(money "$fees")** of it is fees charged on 2025-11-01 (booked once, not by the day), which the earlier period does not have"
without=$(python3 -c "print(round($total - $fees, 2))")
check_contains "and the change without them" "$message" "without them it is $(money "$without"), up"
check_contains "against the week before" "$message" "from $(money "$before") in the previous period"
check_close "lumps.later in the JSON" "$fees" "$(json_get lumps "$OUT" | python3 -c 'import ast, sys; print(ast.literal_eval(sys.stdin.read())["later"])')" 0.01
check_eq "lumps.first_day in the JSON" 2025-11-01 \
	"$(json_get lumps "$OUT" | python3 -c 'import ast, sys; print(ast.literal_eval(sys.stdin.read())["first_day"])')"

# (without --json, finq ask prints the markdown without its ** marks)

# --- a comparison of two periods, the fees on the earlier side ---------
run finq "$DB" --today 2025-11-12 ask "compare last week with the week before"
check_eq "compare exits 0" 0 "$RC"
check_contains "the earlier week's fees are named" "$OUT" \
	"The earlier period holds $(money "$fees") of fees charged on 2025-11-01"
check_contains "the later week without fees, as it is" "$OUT" "without them it is $(money "$usage_now"),"

# --- month to date against last month: the same days, as the total ----
# "compare this month with last month" on the 12th compared Nov 1-12 with
# the whole of October ("down 53.7%"); now Oct 1-12, as "this month" does
run finq "$DB" --today 2025-11-12 ask --json "compare this month with last month"
message=$(json_get message "$OUT")
check_contains "month to date against the same days of last month" "$message" \
	"**$(money "$mtd")** in November 2025 to date (2025-11-01 to 2025-11-12)"
check_contains "whose total is Oct 1-12's" "$message" "from $(money "$oct_same") in Oct 1-12 (2025-10-01 to 2025-10-12)"
check_contains "the answer says which days it compared" "$message" \
	"The change compares the same days: Nov 1-12 against Oct 1-12."
check_close "the row of the earlier period is Oct 1-12's" "$oct_same" \
	"$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["rows"][0][2])' "$OUT")" 0.01
check_eq "context: the dates used, for a follow-up" "2025-10-01 2025-10-13" \
	"$(python3 -c 'import json, sys; c = json.loads(sys.argv[1])["context"]["periods"][0]; print(c["start"], c["end"])' "$OUT")"
run finq "$DB" --today 2025-11-12 ask "this month"
check_contains "the total of this month compares the same days too" "$OUT" \
	"down 1.0% from $(money "$oct_same") in Oct 1-12"
# not_said NAME TODAY QUESTION WORDS: the answer does not say WORDS
not_said() {
	run finq "$DB" --today "$2" ask "$3"
	check_not_contains "$1" "$OUT" "$4"
}
not_said "whole months are compared whole" 2025-11-12 "compare October with September" "same days"
not_said "periods of two kinds have no same days" 2025-11-12 "compare this month with Q3" "same days"
# a week to date (Mon-Wed) against the same weekdays of last week; the
# total compared it with the Fri-Sun just before (Nov 7-9)
run finq "$DB" --today 2025-11-12 ask "this week"
check_contains "this week's total against Mon-Wed of last week" "$OUT" "from $(money "$week_before") in Nov 3-5."
run finq "$DB" --today 2025-11-12 ask "compare this week with last week"
check_contains "and so does the comparison" "$OUT" "The change compares the same days: Nov 10-12 against Nov 3-5."

# --- a trend "went from" its first week to its last, which holds Nov 1 --
run finq "$DB" --today 2025-11-05 ask --json "weekly trend of cost last 8 weeks"
message=$(json_get message "$OUT")
check_close "the trend's first week holds no fees" 0 "$first_week_fees" 0.005
check_contains "a trend names the fees of its last week, in the same words" "$message" \
	"**$(money "$fees")** of it is fees charged on 2025-11-01 (booked once, not by the day), which the earlier period does not have"
check_contains "and its change without them" "$message" \
	"without them it is $(money "$without"), up $(money "$(python3 -c "print(round($without - $first_week, 2))")")"
check_contains "from the first week" "$message" "from $(money "$first_week") in the week of 2025-09-08."
check_eq "lumps.later in the trend's JSON" "$(money "$fees")" \
	"$(money "$(json_get lumps "$OUT" | python3 -c 'import ast, sys; print(ast.literal_eval(sys.stdin.read())["later"])')")"
run finq "$DB" --today 2025-11-05 ask "weekly cost of EC2 by region last 8 weeks"
check_contains "a trend split by a second dimension, under its filter" "$OUT" \
	"$(money "$ec2_week_fees") of it is fees charged on 2025-11-01 (booked once, not by the day)"
not_said "a daily trend from Oct 6 to Nov 4: no fees on either end" 2025-11-05 "daily trend last 30 days" \
	"which the earlier period does not have"
# its peak, Nov 1, is the fees: without them it would be an ordinary day
check_contains "the peak that is fees says so" "$OUT" \
	"the peak was $(money "$nov1") on 2025-11-01; $(money "$nov1_fees") of it is fees charged on 2025-11-01 (booked once, not by the day)."
not_said "months each with their fees" 2025-11-05 "monthly trend last 6 months" "booked once"

# --- nothing to say ----------------------------------------------------
run finq "$DB" --today 2025-11-05 ask "this month"
check_not_contains "month to date against the same days: both have their fees" "$OUT" "booked once"
run finq "$DB" --today 2025-11-20 ask "last week"
check_not_contains "a week without a 1st against another" "$OUT" "booked once"
run finq "$DB" --today 2025-11-05 ask "taxes last week"
check_not_contains "the question picked the charge type" "$OUT" "booked once"
run finq "$DB" --today 2025-11-05 ask "last week excluding taxes"
check_contains "an exclusion keeps the other fees apart" "$OUT" "of it is fees charged on 2025-11-01"

# --- the FOCUS fixture: a purchase and the tax against the tax alone ---
FOCUS=$WORK/focus.duckdb
run finq "$FOCUS" load "$REPO/tests/data/focus-purchase/focus.csv"
run finq "$FOCUS" --today 2025-09-10 ask "last month"
check_contains "August's lumps against July's" "$OUT" \
	"\$3,050.00 of it is fees charged on 2 days from 2025-08-01 to 2025-08-14 (booked once, not by the day), against \$50.00 in the earlier period"
# 21 weekdays and 10 weekend days against 23 and 8: usage down $80
check_contains "usage alone is down" "$OUT" "without them it is \$3,320.00, down \$80.00 (2.4%) from \$3,400.00"

finish
