#!/usr/bin/env bash
# summaries_incremental.sh: a load or undo rebuilds the daily summaries
# (src/load/summaries.c) of its own billing periods only, and the tables
# then hold the same rows as a rebuild from scratch of the same line items.
#   - two periods loaded one at a time, then one reloaded with rows gone
#     and a tag key no other period has: every summary table equals that of
#     a fresh database loaded with the same two files at once (the new
#     key's slice reaches the other period too)
#   - undoing the reload: equal to a fresh load of the first two files (the
#     key's slices are gone again)
#   - a database whose summaries are an older layout gets them rebuilt
#     whole by its next load
#   - a load over current summaries deletes and inserts rows of its
#     periods and makes no table anew (FINQ_TRACE_SQL shows the statements)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

build_duckexec || {
	finish
	exit
}
SRC=$DATA/cur-dev/cur2.parquet
OCT=$WORK/oct.parquet NOV=$WORK/nov.parquet OCT2=$WORK/oct2.parquet
run "$DUCKEXEC" :memory: \
	"COPY (SELECT * FROM read_parquet('$SRC') WHERE bill_billing_period_start_date = TIMESTAMP '2025-10-01') TO '$OCT'" \
	"COPY (SELECT * FROM read_parquet('$SRC') WHERE bill_billing_period_start_date = TIMESTAMP '2025-11-01') TO '$NOV'" \
	"COPY (SELECT * REPLACE (CASE WHEN hash(line_item_usage_amount, identity_line_item_id) % 3 = 0 THEN map_concat(resource_tags, MAP {'user_squad': 'blue'}) ELSE resource_tags END AS resource_tags) FROM read_parquet('$SRC') WHERE bill_billing_period_start_date = TIMESTAMP '2025-10-01' AND hash(identity_line_item_id) % 10 <> 0) TO '$OCT2'"
check_eq "the period files are written" "0" "$RC"

TABLES="costs_day_detail costs_day costs_day_tag costs_day_tag_value summary_tag_keys"
MEASURES="CAST(usage_amount AS FLOAT) AS usage_amount, CAST(unblended_cost AS FLOAT) AS unblended_cost, CAST(net_cost AS FLOAT) AS net_cost, CAST(amortized_cost AS FLOAT) AS amortized_cost, CAST(list_cost AS FLOAT) AS list_cost"

# same_summaries NAME DB FRESH: every summary table of DB holds the rows of
# FRESH's (sums to single precision: they are added in another order, and
# rounding to decimals would split 8-digit usage amounts at the last digit)
same_summaries() {
	local name=$1 db=$2 fresh=$3 sql=() t cols
	sql+=("ATTACH '$fresh' AS fresh (READ_ONLY)" "CREATE OR REPLACE TABLE summary_diff (tbl VARCHAR, n BIGINT)")
	for t in $TABLES; do
		cols="* REPLACE ($MEASURES)"
		[ "$t" = summary_tag_keys ] && cols="*"
		sql+=("INSERT INTO summary_diff SELECT '$t', count(*) FROM ((SELECT $cols FROM main.$t EXCEPT ALL SELECT $cols FROM fresh.$t) UNION ALL (SELECT $cols FROM fresh.$t EXCEPT ALL SELECT $cols FROM main.$t))")
	done
	run "$DUCKEXEC" "$db" "${sql[@]}"
	check_eq "$name: compared" "0" "$RC"
	check_eq "$name: every summary table equals a rebuild from scratch" "" \
		"$(sql_rows "$db" "SELECT tbl || ' ' || n FROM summary_diff WHERE n <> 0")"
	check "$name: the tables are not empty" test "$(sql_row "$db" "SELECT count(*) FROM costs_day_tag_value")" -gt 0
}

DB=$WORK/inc.duckdb
run finq "$DB" load "$OCT"
run finq "$DB" load "$NOV"
check_eq "two periods loaded one at a time" "2,2" "$(sql_row "$DB" "SELECT count(DISTINCT billing_period), (SELECT loads FROM summary_state) FROM costs_day")"
FINQ_TRACE_SQL=1 "$FINQ" --db "$DB" load "$OCT2" >/dev/null 2>"$WORK/trace"
check_eq "the reload replaces October" "1" "$(sql_row "$DB" "SELECT count(*) FROM loads WHERE load_id = 3")"
# incremental: rows of the changed periods deleted and inserted, no table
# made anew (a rebuild from scratch creates every table)
check "October's reload rewrites the changed periods' summary rows" grep -q "DELETE FROM costs_day WHERE billing_period IN (SELECT billing_period FROM summary_changed)" "$WORK/trace"
check_eq "... and makes no summary table anew" "0" "$(grep -c "CREATE OR REPLACE TABLE costs_day" "$WORK/trace")"
check_eq "the new key has a slice in November too" "1" \
	"$(sql_row "$DB" "SELECT count(DISTINCT billing_period) FILTER (WHERE tag_value IS NULL) - count(DISTINCT billing_period) FILTER (WHERE tag_value IS NOT NULL) FROM costs_day_tag WHERE tag_key = 'squad'")"

FRESH=$WORK/fresh.duckdb
run finq "$FRESH" load "$NOV" "$OCT2"
same_summaries "after a reload" "$DB" "$FRESH"

run finq "$DB" loads undo 3
check_eq "the reload is undone" "0" "$RC"
check_eq "undone: the new key's slices are gone" "0" "$(sql_row "$DB" "SELECT count(*) FROM costs_day_tag WHERE tag_key = 'squad'")"
FRESH2=$WORK/fresh2.duckdb
run finq "$FRESH2" load "$OCT" "$NOV"
same_summaries "after an undo" "$DB" "$FRESH2"

# an older layout (no costs_day_tag_value): rebuilt whole by the next load
run "$DUCKEXEC" "$DB" "DROP TABLE costs_day_tag_value" "ALTER TABLE summary_state DROP COLUMN layout"
FINQ_TRACE_SQL=1 "$FINQ" --db "$DB" load "$OCT2" >/dev/null 2>"$WORK/trace"
check_eq "a load over an older layout" "1" "$(sql_row "$DB" "SELECT count(*) FROM loads WHERE load_id = 4")"
check "... makes the summary tables anew" grep -q "CREATE OR REPLACE TABLE costs_day_tag_value" "$WORK/trace"
same_summaries "an older layout, rebuilt" "$DB" "$FRESH"
finish
