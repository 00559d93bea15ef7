#!/usr/bin/env bash
# fees_grouped.sh: a comparison grouped by a dimension names the fees that
# fall on one side only, as the ungrouped one does (fees_compare.sh):
# "compare services last week vs the week before" asked on 2025-11-05 is
# Oct 27 - Nov 2, which holds Nov 1's support fee and taxes, against a
# week with none. The headline names the whole's fees and the change
# without them; each service (account) whose change is mostly fees is
# named with its fees and its change without them (src/service/lumps.c
# lumps_compare_items, src/answer/narrate.c), also in the JSON
# (lumps_by_item). Every figure is recomputed here with `finq sql`. Weeks
# without a 1st say nothing. A month to date by service compares the same
# days of last month, as the total does, and a follow-up keeps them.
# Movers rank by the change without the fees of one side only (sqlgen's
# change_without_fees), so Nov 1's fees make no service the top mover.
. "$(dirname "$0")/lib.sh"

DB=$WORK/dev.duckdb
dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"

# the day range's amortized cost (lib.sh's amortized_between, on this database)
sum_sql() { amortized_between "$DB" "$@"; }
# by_item LABEL KEY: a value of lumps_by_item's entry for LABEL in the last --json answer
by_item() {
	python3 -c '
import json, sys
d = json.loads(sys.argv[3])
print(next((i[sys.argv[2]] for i in d.get("lumps_by_item", []) if i["label"] == sys.argv[1]), ""))' "$1" "$2" "$OUT" 2>/dev/null
}

# --- services: the whole and the items --------------------------------
run finq "$DB" --today 2025-11-05 ask --json "compare services last week vs the week before"
check_eq "compare by service exits 0" 0 "$RC"
message=$(json_get message "$OUT")
fees=$(sum_sql 2025-10-27 2025-11-02 "AND charge_type IN $LUMPS")
check_close "the week before holds no fees" 0 "$(sum_sql 2025-10-20 2025-10-26 "AND charge_type IN $LUMPS")" 0.005
check_contains "the whole's fees are named with their amount and date" "$message" \
	"**$(money "$fees")** of it is fees charged on 2025-11-01 (booked once, not by the day), which the earlier period does not have"
usage=$(sum_sql 2025-10-27 2025-11-02 "AND charge_type NOT IN $LUMPS")
check_contains "and the whole's change without them" "$message" "without them it is $(money "$usage"), up"
support=$(sum_sql 2025-10-27 2025-11-02 "AND service_code = 'AWSSupportBusiness' AND charge_type IN $LUMPS")
check_contains "the support fee, all of its service's change, is named" "$message" \
	"**AWSSupportBusiness**, $(money "$support") of fees charged on 2025-11-01 in the later period, without them unchanged at \$0.00"
ec2_fees=$(sum_sql 2025-10-27 2025-11-02 "AND service_code = 'AmazonEC2' AND charge_type IN $LUMPS")
ec2_before=$(sum_sql 2025-10-20 2025-10-26 "AND service_code = 'AmazonEC2'")
ec2_usage=$(sum_sql 2025-10-27 2025-11-02 "AND service_code = 'AmazonEC2' AND charge_type NOT IN $LUMPS")
check_contains "EC2's taxes are named, with its change without them" "$message" \
	"**AmazonEC2**, $(money "$ec2_fees") of fees charged on 2025-11-01 in the later period, without them"
check_contains "EC2 without its taxes, from and to" "$message" "from $(money "$ec2_before") to $(money "$ec2_usage")"
check_match "the rest are counted, not listed" "$message" "; and [0-9]+ more services\\."
check_close "lumps_by_item: the support fee" "$support" "$(by_item AWSSupportBusiness later)" 0.01
check_eq "lumps_by_item: its day" 2025-11-01 "$(by_item AWSSupportBusiness first_day)"

# --- accounts that grew: the top one's growth is its fees ---------------
run finq "$DB" --today 2025-11-05 ask --json "which accounts grew last week"
check_eq "movers by account exits 0" 0 "$RC"
message=$(json_get message "$OUT")
shared=710987654321
shared_fees=$(sum_sql 2025-10-27 2025-11-02 "AND account_id = '$shared' AND charge_type IN $LUMPS")
shared_before=$(sum_sql 2025-10-20 2025-10-26 "AND account_id = '$shared'")
shared_usage=$(sum_sql 2025-10-27 2025-11-02 "AND account_id = '$shared' AND charge_type NOT IN $LUMPS")
check_contains "the biggest grower's fees are named" "$message" \
	"**$shared** (shared-services), $(money "$shared_fees") of fees charged on 2025-11-01 in the later period, without them"
check_contains "with its change without them" "$message" "from $(money "$shared_before") to $(money "$shared_usage")"
check_close "lumps_by_item: the account's fees" "$shared_fees" "$(by_item $shared later)" 0.01
# ranked by the change without the fees of one side: the fees made it the top one
first_row() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])["rows"][0][0])' "$OUT" 2>/dev/null; }
check_ne "the fees do not make shared-services the top mover" "$shared" "$(first_row)"

# --- services that grew: ranked without the fees of one side -----------
# the week before holds no lumps, so without them is the daily charges
run finq "$DB" --today 2025-11-05 ask --json "which services grew the most last week"
message=$(json_get message "$OUT")
top=$(sql_row "$DB" "SELECT service_code, round(sum(CASE WHEN usage_date >= '2025-10-27' THEN amortized_cost ELSE -amortized_cost END), 2)
	FROM costs WHERE usage_date BETWEEN '2025-10-20' AND '2025-11-02' AND charge_type NOT IN $LUMPS
	GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
check_eq "the top mover is the one whose daily charges grew most" "$(field 1 "$top")" "$(first_row)"
check_ne "not the support fee" AWSSupportBusiness "$(first_row)"
check_close "its change_without_fees" "$(field 2 "$top")" \
	"$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["rows"][0][d["columns"].index("change_without_fees")])' "$OUT")" 0.01
check_contains "the headline gives its change without the fees" "$message" \
	"was **$(field 1 "$top")**: up $(money "$(field 2 "$top")") without its fees booked on one side only (with them up"
check_contains "and says how it ranked" "$message" "Ranked by the change without the fees booked on one side only"
check_contains "the fee note stays" "$message" "Mostly fees booked once, on one side only: **"
run finq "$DB" --today 2025-11-20 ask "which services grew the most last week"
check_not_contains "two weeks without a 1st: ranked as they are" "$OUT" "Ranked by the change without"

# --- month to date by service: the same days of last month -------------
# it compared Nov 1-12 with the whole of October (every service "down 58%")
run finq "$DB" --today 2025-11-12 ask --json "compare services this month with last month"
message=$(json_get message "$OUT")
check_contains "grouped: the same days, said" "$message" "The change compares the same days: Nov 1-12 against Oct 1-12."
check_contains "grouped: the whole against Oct 1-12" "$message" \
	"from $(money "$(sum_sql 2025-10-01 2025-10-12)") in Oct 1-12 (2025-10-01 to 2025-10-12)"
ec2_oct=$(python3 -c '
import json, sys
d = json.loads(sys.argv[1])
print(next(r[d["columns"].index("Oct 1-12")] for r in d["rows"] if r[0] == "AmazonEC2"))' "$OUT" 2>/dev/null)
check_close "grouped: EC2's Oct 1-12" "$(sum_sql 2025-10-01 2025-10-12 "AND service_code = 'AmazonEC2'")" "$ec2_oct" 0.01
conversation=$(json_get conversation_id "$OUT")
run finq "$DB" --today 2025-11-12 ask --conversation "$conversation" --json "by account"
check_contains "a follow-up keeps the same days" "$(json_get message "$OUT")" "in Oct 1-12 (2025-10-01 to 2025-10-12)"
run finq "$DB" --today 2025-11-12 ask "which services grew the most this month"
check_contains "movers: the same days" "$OUT" "The change compares the same days: Nov 1-12 against Oct 1-12."

# --- nothing to say ----------------------------------------------------
run finq "$DB" --today 2025-11-20 ask "compare services last week vs the week before"
check_not_contains "two weeks without a 1st: no fees named" "$OUT" "booked once"
run finq "$DB" --today 2025-11-05 ask --json "compare services last week vs the week before excluding taxes"
check_contains "an exclusion keeps the support fee apart" "$(json_get message "$OUT")" "**AWSSupportBusiness**, \$5,651.73 of fees"
run finq "$DB" --today 2025-11-05 ask "compare taxes by service last week vs the week before"
check_not_contains "the question picked the charge type" "$OUT" "booked once"

finish
