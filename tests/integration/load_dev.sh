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

# What the checks read from a database, as SQL scalar subqueries, so that
# one `finq sql` (sql_cols) answers all of a database state's values: a
# finq process costs 0.12 s before any work, 0.35 s under ASan.

# "YYYY-MM-DD rows unblended amortized" per billing period, a line each.
PER_MONTH="(SELECT string_agg(m, chr(10) ORDER BY m) FROM (SELECT strftime(billing_period, '%Y-%m-%d') || ' ' ||
	count(*) || ' ' || sum(unblended_cost) || ' ' || sum(amortized_cost) AS m FROM costs GROUP BY billing_period))"

# The same to the cent, for comparing two states of a database: DuckDB
# sums in parallel, so the last digits of a double sum differ from one run
# of the same query to the next.
PER_MONTH_CENTS="(SELECT string_agg(m, chr(10) ORDER BY m) FROM (SELECT strftime(billing_period, '%Y-%m-%d') || ' ' ||
	count(*) || ' ' || round(sum(unblended_cost), 2) || ' ' || round(sum(amortized_cost), 2) AS m
	FROM costs GROUP BY billing_period))"

# The distinct tag keys, sorted, '|'-separated.
KEYS="(SELECT string_agg(DISTINCT k, '|' ORDER BY k) FROM (SELECT unnest(map_keys(tags)) AS k FROM costs))"

# Rows carrying each tag key in November, and their cost: "key,rows,cost ..."
TAG_PROFILE="(SELECT string_agg(k || ',' || n || ',' || c, ' ' ORDER BY k) FROM (SELECT k, count(*) AS n,
	round(sum(amortized_cost), 4) AS c FROM (SELECT unnest(map_keys(tags)) AS k, amortized_cost
	FROM costs WHERE billing_period = DATE '$NOV') GROUP BY 1))"

# check_months LABEL PER_MONTH [MONTH]: a database's months (or one month),
# as $PER_MONTH gives them, against the manifest.
check_months() {
	local label=$1 got=$2 only=${3:-} want month rows unblended amortized line
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

# ---- CUR 2.0 Parquet ----
P=$WORK/parquet.duckdb
run finq "$P" load --json "$DEV/cur2.parquet"
check_eq "cur2.parquet loads" 0 "$RC"
check_eq "cur2.parquet: rows reported" "$TOTAL_ROWS" "$(json_get rows "$OUT")"
check_eq "cur2.parquet: nothing replaced on a first load" 0 "$(json_get replaced "$OUT")"
check_eq "cur2.parquet: format reported" "cur2-parquet" "$(json_get formats "$OUT")"
sql_cols "$P" "SELECT $PER_MONTH, (SELECT count(*) FROM costs), $KEYS,
	(SELECT count(*) FROM (SELECT unnest(map_keys(tags)) AS k FROM costs) WHERE k LIKE 'user%'),
	(SELECT string_agg(DISTINCT account_id, '|' ORDER BY account_id) FROM costs),
	(SELECT string_agg(DISTINCT payer_account_id, '|') FROM costs),
	(SELECT min(usage_date) || ',' || max(usage_date) FROM costs),
	(SELECT count(*) FROM costs WHERE service_code IS NULL OR provider <> 'AWS'),
	$TAG_PROFILE,
	(SELECT sum(unblended_cost) FROM costs WHERE billing_period = DATE '$NOV'),
	(SELECT sum(amortized_cost) FROM costs WHERE billing_period = DATE '$NOV'), $PER_MONTH_CENTS"
check_months "cur2.parquet" "${COLS[0]:-}"
check_eq "cur2.parquet: total rows" "$TOTAL_ROWS" "${COLS[1]:-}"
check_eq "cur2.parquet: tag keys normalised" "$TAG_KEYS" "$(tr '|' ',' <<<"${COLS[2]:-}")"
check_eq "cur2.parquet: no user prefix on any key" 0 "${COLS[3]:-}"
check_eq "cur2.parquet: the manifest's accounts" "$ACCOUNTS" "$(tr '|' ',' <<<"${COLS[4]:-}")"
check_eq "cur2.parquet: payer" "$(manifest_value payer)" "${COLS[5]:-}"
check_eq "cur2.parquet: first and last day" "$(manifest_value start),$(manifest_value end)" "${COLS[6]:-}"
check_eq "cur2.parquet: every row has a service and provider AWS" 0 "${COLS[7]:-}"
PARQUET_NOV_TAGS=${COLS[8]:-}
PARQUET_NOV_UNBLENDED=${COLS[9]:-}
PARQUET_NOV_AMORTIZED=${COLS[10]:-}
BEFORE=${COLS[11]:-}

# The same file again: idempotent, and it says what it replaced.
run finq "$P" load --json "$DEV/cur2.parquet"
check_eq "cur2.parquet again loads" 0 "$RC"
check_eq "cur2.parquet again: rows reported" "$TOTAL_ROWS" "$(json_get rows "$OUT")"
check_eq "cur2.parquet again: replaced every earlier row" "$TOTAL_ROWS" "$(json_get replaced "$OUT")"
sql_cols "$P" "SELECT $PER_MONTH_CENTS, (SELECT count(*) FROM costs),
	(SELECT string_agg(DISTINCT load_id::VARCHAR, '|') FROM costs), (SELECT count(*) FROM loads),
	(SELECT count(*) FROM costs WHERE billing_period <> DATE '$NOV'), (SELECT max(load_id) FROM costs)"
check_eq "cur2.parquet again: same months, rows and totals" "$BEFORE" "${COLS[0]:-}"
check_eq "cur2.parquet again: total rows unchanged" "$TOTAL_ROWS" "${COLS[1]:-}"
check_eq "cur2.parquet again: only the second load's rows remain" "2" "${COLS[2]:-}"
check_eq "cur2.parquet again: two loads recorded" "2" "${COLS[3]:-}"

# CUR 1.0 of November over it: November replaced, the rest untouched.
NOT_NOV=${COLS[4]:-}
OTHER_MONTHS=$(grep -v "^$NOV " <<<"${COLS[0]:-}")
LAST_LOAD=${COLS[5]:-}
run finq "$P" load --json "$DEV/cur1.csv.gz"
check_eq "cur1.csv.gz over cur2.parquet loads" 0 "$RC"
check_eq "cur1.csv.gz over cur2.parquet: rows reported" "$NOV_ROWS" "$(json_get rows "$OUT")"
check_eq "cur1.csv.gz over cur2.parquet: replaced November's CUR 2.0 rows" "$NOV_ROWS" "$(json_get replaced "$OUT")"
# (and, for the CSV and FOCUS checks below, two values of the Parquet's
# months other than November, which this load leaves as they were)
sql_cols "$P" "SELECT (SELECT count(*) FROM costs), $PER_MONTH_CENTS,
	(SELECT string_agg(DISTINCT load_id::VARCHAR, '|') FROM costs WHERE billing_period <> DATE '$NOV'),
	(SELECT string_agg(DISTINCT load_id::VARCHAR, '|') FROM costs WHERE billing_period = DATE '$NOV'),
	$PER_MONTH,
	(SELECT count(DISTINCT service_name) FROM costs WHERE billing_period <> DATE '$NOV'),
	(SELECT string_agg(DISTINCT service_code, '|' ORDER BY service_code) FROM costs WHERE billing_period = DATE '$NOV')"
check_eq "cur1.csv.gz over cur2.parquet: total = other months + cur1 rows" "$((NOT_NOV + NOV_ROWS))" "${COLS[0]:-}"
check_eq "cur1.csv.gz over cur2.parquet: other months untouched" "$OTHER_MONTHS" "$(grep -v "^$NOV " <<<"${COLS[1]:-}")"
check_eq "cur1.csv.gz over cur2.parquet: other months keep their load" "$LAST_LOAD" "${COLS[2]:-}"
check_eq "cur1.csv.gz over cur2.parquet: November is all from the new load" "$((LAST_LOAD + 1))" "${COLS[3]:-}"
check_months "cur1.csv.gz over cur2.parquet" "${COLS[4]:-}"
PARQUET_SERVICE_NAMES=${COLS[5]:-}
PARQUET_NOV_SERVICES=${COLS[6]:-}

# ---- CUR 2.0 CSV.gz (maps as JSON text) ----
C=$WORK/csv.duckdb
run finq "$C" load --json "$DEV/cur2.csv.gz"
check_eq "cur2.csv.gz loads" 0 "$RC"
check_eq "cur2.csv.gz: format reported" "cur2-csv.gz" "$(json_get formats "$OUT")"
sql_cols "$C" "SELECT $PER_MONTH, $KEYS, $TAG_PROFILE,
	(SELECT count(DISTINCT service_name) FROM costs WHERE billing_period <> DATE '$NOV')"
check_months "cur2.csv.gz" "${COLS[0]:-}"
check_eq "cur2.csv.gz: tag keys normalised" "$TAG_KEYS" "$(tr '|' ',' <<<"${COLS[1]:-}")"
check_eq "cur2.csv.gz: November tags as in the Parquet" "$PARQUET_NOV_TAGS" "${COLS[2]:-}"
check_eq "cur2.csv.gz: service names from the product map as in the Parquet" "$PARQUET_SERVICE_NAMES" "${COLS[3]:-}"

# ---- CUR 1.0 CSV.gz alone (November) ----
ONE=$WORK/cur1.duckdb
run finq "$ONE" load --json "$DEV/cur1.csv.gz"
check_eq "cur1.csv.gz loads" 0 "$RC"
check_eq "cur1.csv.gz: format reported" "cur1-csv.gz" "$(json_get formats "$OUT")"
sql_cols "$ONE" "SELECT $PER_MONTH, (SELECT sum(unblended_cost) FROM costs), (SELECT sum(amortized_cost) FROM costs),
	$KEYS, $TAG_PROFILE"
check_months "cur1.csv.gz" "${COLS[0]:-}" "$NOV"
check_rel "cur1.csv.gz: November unblended as the CUR 2.0 rows" "$PARQUET_NOV_UNBLENDED" "${COLS[1]:-}" 1e-9
check_rel "cur1.csv.gz: November amortized as the CUR 2.0 rows" "$PARQUET_NOV_AMORTIZED" "${COLS[2]:-}" 1e-9
check_eq "cur1.csv.gz: tag keys normalised" "$TAG_KEYS" "$(tr '|' ',' <<<"${COLS[3]:-}")"
check_eq "cur1.csv.gz: November tags as in the Parquet" "$PARQUET_NOV_TAGS" "${COLS[4]:-}"
run finq "$ONE" load --no-progress "$DEV/cur1.csv.gz"
check_eq "cur1.csv.gz again: loads" 0 "$RC"
check_match "cur1.csv.gz again: the text report says what it replaced" "$OUT" "^loaded $NOV_ROWS rows .*replaced $NOV_ROWS rows"
check_eq "cur1.csv.gz again: November once" "$NOV_ROWS" "$(sql_row "$ONE" "SELECT count(*) FROM costs")"

# ---- FOCUS CSV.gz alone (November) ----
F=$WORK/focus.duckdb
run finq "$F" load --json "$DEV/focus.csv.gz"
check_eq "focus.csv.gz loads" 0 "$RC"
check_eq "focus.csv.gz: format reported" "focus-csv.gz" "$(json_get formats "$OUT")"
sql_cols "$F" "SELECT $PER_MONTH, (SELECT sum(unblended_cost) FROM costs), (SELECT sum(amortized_cost) FROM costs),
	$KEYS, $TAG_PROFILE, (SELECT string_agg(DISTINCT provider, '|') FROM costs),
	(SELECT string_agg(DISTINCT service_code, '|' ORDER BY service_code) FROM costs)"
check_months "focus.csv.gz" "${COLS[0]:-}" "$NOV"
check_rel "focus.csv.gz: November billed cost as the CUR 2.0 unblended" "$PARQUET_NOV_UNBLENDED" "${COLS[1]:-}" 1e-9
check_rel "focus.csv.gz: November effective cost as the CUR 2.0 amortized" "$PARQUET_NOV_AMORTIZED" "${COLS[2]:-}" 1e-9
check_eq "focus.csv.gz: tag keys normalised" "$TAG_KEYS" "$(tr '|' ',' <<<"${COLS[3]:-}")"
check_eq "focus.csv.gz: November tags as in the Parquet" "$PARQUET_NOV_TAGS" "${COLS[4]:-}"
check_eq "focus.csv.gz: provider AWS" "AWS" "${COLS[5]:-}"
check_eq "focus.csv.gz: x_ServiceCode gives the same services as the CUR" "$PARQUET_NOV_SERVICES" "${COLS[6]:-}"

finish
