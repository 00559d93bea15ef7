#!/usr/bin/env bash
# load_dev.sh: the synthetic CUR of shared/data/cur-dev against its ground
# truth, manifest.json (read with python3's json module).
#   - cur2.parquet and cur2.csv.gz: per-month row counts, unblended and
#     amortized totals equal the manifest's `months` to the cent
#   - cur1.csv.gz (CUR 1.0 headers) and focus.csv.gz (FOCUS), which hold
#     2025-11 only: the same as the CUR 2.0 rows of 2025-11
#   - tag keys normalised (the manifest's keys: team, env, project,
#     cost_center; no user_ prefix), the same tags whatever the format
#   - loading cur2.parquet twice is idempotent and reports replaced rows
#   - cur1.csv.gz after cur2.parquet replaces November only
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

DEV=$DATA/cur-dev
MANIFEST=$DEV/manifest.json
CENT=0.005

# "YYYY-MM-DD rows unblended amortized" per month of the manifest.
manifest_months() {
	python3 - "$MANIFEST" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for month, v in sorted(m["months"].items()):
    print(month, v["rows"], repr(v["unblended"]), repr(v["amortized"]))
EOF
}

manifest_value() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$MANIFEST" "$1"
}

MONTHS=$(manifest_months)
TOTAL_ROWS=$(manifest_value rows)
NOV=$(manifest_value last_full_month)
read -r _ NOV_ROWS _ < <(grep "^$NOV " <<<"$MONTHS")
TAG_KEYS=$(python3 -c 'import json, sys; print(",".join(sorted(json.load(open(sys.argv[1]))["tag_keys"])))' "$MANIFEST")
ACCOUNTS=$(python3 -c 'import json, sys; print(",".join(sorted(json.load(open(sys.argv[1]))["accounts"].values())))' "$MANIFEST")

check_eq "manifest has 13 months" 13 "$(wc -l <<<"$MONTHS")"
check_eq "manifest tag keys are the four of DESIGN.md" "cost_center,env,project,team" "$TAG_KEYS"

# per_month DB: "YYYY-MM-DD rows unblended amortized" per billing period.
per_month() {
	sql_rows "$1" "SELECT strftime(billing_period, '%Y-%m-%d'), count(*), sum(unblended_cost), sum(amortized_cost)
		FROM costs GROUP BY 1 ORDER BY 1" | tr ',' ' '
}

# per_month_cents DB: the same to the cent, for comparing two states of a
# database: DuckDB sums in parallel, so the last digits of a double sum
# differ from one run of the same query to the next.
per_month_cents() {
	sql_rows "$1" "SELECT strftime(billing_period, '%Y-%m-%d'), count(*), round(sum(unblended_cost), 2),
		round(sum(amortized_cost), 2) FROM costs GROUP BY 1 ORDER BY 1" | tr ',' ' '
}

# check_months LABEL DB [MONTH]: DB's months (or one month) against the manifest.
check_months() {
	local label=$1 db=$2 only=${3:-} got want month rows unblended amortized line
	got=$(per_month "$db")
	want=$MONTHS
	[ -n "$only" ] && want=$(grep "^$only " <<<"$MONTHS")
	check_eq "$label: billing periods" "$(cut -d' ' -f1 <<<"$want" | tr '\n' ' ')" "$(cut -d' ' -f1 <<<"$got" | tr '\n' ' ')"
	while read -r month rows unblended amortized; do
		line=$(grep "^$month " <<<"$got")
		check_eq "$label: $month rows" "$rows" "$(cut -d' ' -f2 <<<"$line")"
		check_close "$label: $month unblended to the cent" "$unblended" "$(cut -d' ' -f3 <<<"$line")" $CENT
		check_close "$label: $month amortized to the cent" "$amortized" "$(cut -d' ' -f4 <<<"$line")" $CENT
	done <<<"$want"
}

# tag_keys DB [WHERE]: the distinct tag keys, sorted, comma-separated.
tag_keys() {
	sql_row "$1" "SELECT string_agg(DISTINCT k, '|' ORDER BY k) FROM (SELECT unnest(map_keys(tags)) AS k FROM costs ${2:-})" | tr '|' ','
}

# tag_profile DB: rows carrying each tag key in November, and their cost.
tag_profile() {
	sql_rows "$1" "SELECT k, count(*), round(sum(amortized_cost), 4) FROM (SELECT unnest(map_keys(tags)) AS k, amortized_cost
		FROM costs WHERE billing_period = DATE '$NOV') GROUP BY 1 ORDER BY 1" | tr '\n' ' '
}

# ---- CUR 2.0 Parquet ----
P=$WORK/parquet.duckdb
run finq "$P" load --json "$DEV/cur2.parquet"
check_eq "cur2.parquet loads" 0 "$RC"
check_eq "cur2.parquet: rows reported" "$TOTAL_ROWS" "$(json_get rows "$OUT")"
check_eq "cur2.parquet: nothing replaced on a first load" 0 "$(json_get replaced "$OUT")"
check_eq "cur2.parquet: format reported" "cur2-parquet" "$(json_get formats "$OUT")"
check_months "cur2.parquet" "$P"
check_eq "cur2.parquet: total rows" "$TOTAL_ROWS" "$(sql_row "$P" "SELECT count(*) FROM costs")"
check_eq "cur2.parquet: tag keys normalised" "$TAG_KEYS" "$(tag_keys "$P")"
check_eq "cur2.parquet: no user prefix on any key" 0 \
	"$(sql_row "$P" "SELECT count(*) FROM (SELECT unnest(map_keys(tags)) AS k FROM costs) WHERE k LIKE 'user%'")"
check_eq "cur2.parquet: the manifest's accounts" "$ACCOUNTS" \
	"$(sql_row "$P" "SELECT string_agg(DISTINCT account_id, '|' ORDER BY account_id) FROM costs" | tr '|' ',')"
check_eq "cur2.parquet: payer" "$(manifest_value payer)" \
	"$(sql_row "$P" "SELECT string_agg(DISTINCT payer_account_id, '|') FROM costs")"
check_eq "cur2.parquet: first and last day" "$(manifest_value start),$(manifest_value end)" \
	"$(sql_row "$P" "SELECT min(usage_date), max(usage_date) FROM costs")"
check_eq "cur2.parquet: every row has a service and provider AWS" 0 \
	"$(sql_row "$P" "SELECT count(*) FROM costs WHERE service_code IS NULL OR provider <> 'AWS'")"
PARQUET_NOV_TAGS=$(tag_profile "$P")
PARQUET_NOV=$(sql_row "$P" "SELECT sum(unblended_cost), sum(amortized_cost) FROM costs WHERE billing_period = DATE '$NOV'")

# The same file again: idempotent, and it says what it replaced.
BEFORE=$(per_month_cents "$P")
run finq "$P" load --json "$DEV/cur2.parquet"
check_eq "cur2.parquet again loads" 0 "$RC"
check_eq "cur2.parquet again: rows reported" "$TOTAL_ROWS" "$(json_get rows "$OUT")"
check_eq "cur2.parquet again: replaced every earlier row" "$TOTAL_ROWS" "$(json_get replaced "$OUT")"
check_eq "cur2.parquet again: same months, rows and totals" "$BEFORE" "$(per_month_cents "$P")"
check_eq "cur2.parquet again: total rows unchanged" "$TOTAL_ROWS" "$(sql_row "$P" "SELECT count(*) FROM costs")"
check_eq "cur2.parquet again: only the second load's rows remain" "2" "$(sql_row "$P" "SELECT string_agg(DISTINCT load_id::VARCHAR, '|') FROM costs")"
check_eq "cur2.parquet again: two loads recorded" "2" "$(sql_row "$P" "SELECT count(*) FROM loads")"

# CUR 1.0 of November over it: November replaced, the rest untouched.
NOT_NOV=$(sql_row "$P" "SELECT count(*) FROM costs WHERE billing_period <> DATE '$NOV'")
OTHER_MONTHS=$(per_month_cents "$P" | grep -v "^$NOV ")
LAST_LOAD=$(sql_row "$P" "SELECT max(load_id) FROM costs")
run finq "$P" load --json "$DEV/cur1.csv.gz"
check_eq "cur1.csv.gz over cur2.parquet loads" 0 "$RC"
check_eq "cur1.csv.gz over cur2.parquet: rows reported" "$NOV_ROWS" "$(json_get rows "$OUT")"
check_eq "cur1.csv.gz over cur2.parquet: replaced November's CUR 2.0 rows" "$NOV_ROWS" "$(json_get replaced "$OUT")"
check_eq "cur1.csv.gz over cur2.parquet: total = other months + cur1 rows" "$((NOT_NOV + NOV_ROWS))" \
	"$(sql_row "$P" "SELECT count(*) FROM costs")"
check_eq "cur1.csv.gz over cur2.parquet: other months untouched" "$OTHER_MONTHS" "$(per_month_cents "$P" | grep -v "^$NOV ")"
check_eq "cur1.csv.gz over cur2.parquet: other months keep their load" "$LAST_LOAD" \
	"$(sql_row "$P" "SELECT string_agg(DISTINCT load_id::VARCHAR, '|') FROM costs WHERE billing_period <> DATE '$NOV'")"
check_eq "cur1.csv.gz over cur2.parquet: November is all from the new load" "$((LAST_LOAD + 1))" \
	"$(sql_row "$P" "SELECT string_agg(DISTINCT load_id::VARCHAR, '|') FROM costs WHERE billing_period = DATE '$NOV'")"
check_months "cur1.csv.gz over cur2.parquet" "$P"

# ---- CUR 2.0 CSV.gz (maps as JSON text) ----
C=$WORK/csv.duckdb
run finq "$C" load --json "$DEV/cur2.csv.gz"
check_eq "cur2.csv.gz loads" 0 "$RC"
check_eq "cur2.csv.gz: format reported" "cur2-csv.gz" "$(json_get formats "$OUT")"
check_months "cur2.csv.gz" "$C"
check_eq "cur2.csv.gz: tag keys normalised" "$TAG_KEYS" "$(tag_keys "$C")"
check_eq "cur2.csv.gz: November tags as in the Parquet" "$PARQUET_NOV_TAGS" "$(tag_profile "$C")"
check_eq "cur2.csv.gz: service names from the product map as in the Parquet" \
	"$(sql_row "$P" "SELECT count(DISTINCT service_name) FROM costs WHERE billing_period <> DATE '$NOV'")" \
	"$(sql_row "$C" "SELECT count(DISTINCT service_name) FROM costs WHERE billing_period <> DATE '$NOV'")"

# ---- CUR 1.0 CSV.gz alone (November) ----
ONE=$WORK/cur1.duckdb
run finq "$ONE" load --json "$DEV/cur1.csv.gz"
check_eq "cur1.csv.gz loads" 0 "$RC"
check_eq "cur1.csv.gz: format reported" "cur1-csv.gz" "$(json_get formats "$OUT")"
check_months "cur1.csv.gz" "$ONE" "$NOV"
check_rel "cur1.csv.gz: November unblended as the CUR 2.0 rows" "$(field 1 "$PARQUET_NOV")" \
	"$(sql_row "$ONE" "SELECT sum(unblended_cost) FROM costs")" 1e-9
check_rel "cur1.csv.gz: November amortized as the CUR 2.0 rows" "$(field 2 "$PARQUET_NOV")" \
	"$(sql_row "$ONE" "SELECT sum(amortized_cost) FROM costs")" 1e-9
check_eq "cur1.csv.gz: tag keys normalised" "$TAG_KEYS" "$(tag_keys "$ONE")"
check_eq "cur1.csv.gz: November tags as in the Parquet" "$PARQUET_NOV_TAGS" "$(tag_profile "$ONE")"
run finq "$ONE" load --no-progress "$DEV/cur1.csv.gz"
check_eq "cur1.csv.gz again: loads" 0 "$RC"
check_match "cur1.csv.gz again: the text report says what it replaced" "$OUT" "^loaded $NOV_ROWS rows .*replaced $NOV_ROWS rows"
check_eq "cur1.csv.gz again: November once" "$NOV_ROWS" "$(sql_row "$ONE" "SELECT count(*) FROM costs")"

# ---- FOCUS CSV.gz alone (November) ----
F=$WORK/focus.duckdb
run finq "$F" load --json "$DEV/focus.csv.gz"
check_eq "focus.csv.gz loads" 0 "$RC"
check_eq "focus.csv.gz: format reported" "focus-csv.gz" "$(json_get formats "$OUT")"
check_months "focus.csv.gz" "$F" "$NOV"
check_rel "focus.csv.gz: November billed cost as the CUR 2.0 unblended" "$(field 1 "$PARQUET_NOV")" \
	"$(sql_row "$F" "SELECT sum(unblended_cost) FROM costs")" 1e-9
check_rel "focus.csv.gz: November effective cost as the CUR 2.0 amortized" "$(field 2 "$PARQUET_NOV")" \
	"$(sql_row "$F" "SELECT sum(amortized_cost) FROM costs")" 1e-9
check_eq "focus.csv.gz: tag keys normalised" "$TAG_KEYS" "$(tag_keys "$F")"
check_eq "focus.csv.gz: November tags as in the Parquet" "$PARQUET_NOV_TAGS" "$(tag_profile "$F")"
check_eq "focus.csv.gz: provider AWS" "AWS" "$(sql_row "$F" "SELECT string_agg(DISTINCT provider, '|') FROM costs")"
check_eq "focus.csv.gz: x_ServiceCode gives the same services as the CUR" \
	"$(sql_row "$P" "SELECT string_agg(DISTINCT service_code, '|' ORDER BY service_code) FROM costs WHERE billing_period = DATE '$NOV'")" \
	"$(sql_row "$F" "SELECT string_agg(DISTINCT service_code, '|' ORDER BY service_code) FROM costs")"

finish
