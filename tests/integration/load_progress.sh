#!/usr/bin/env bash
# load_progress.sh: `finq load`'s progress on stderr (src/load/load.c).
#   - --progress prints it off a terminal too: rows, share done, rows/s
#     and time left, rising to 100%, then the summaries step; stdout
#     keeps only the result line
#   - one Parquet file of many row groups is inserted in row-group slices
#     (DuckDB reports no progress within a file), and the slices load
#     exactly what one statement loads
#   - without --progress, off a terminal, and with --no-progress, nothing
#     but the result
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# the dev CUR 2.0 Parquet rewritten in row groups of 10,000 rows: 17 groups
if ! build_duckexec; then
	finish
fi
SMALL_GROUPS=$WORK/groups.parquet
run "$DUCKEXEC" "$WORK/scratch.duckdb" \
	"COPY (SELECT * FROM read_parquet('$DATA/cur-dev/cur2.parquet')) TO '$SMALL_GROUPS' (FORMAT parquet, ROW_GROUP_SIZE 10000)"
check_eq "the test file is written" 0 "$RC"

"$FINQ" --db "$WORK/sliced.duckdb" load --progress "$SMALL_GROUPS" >"$WORK/sliced.out" 2>"$WORK/sliced.err"
check_eq "a load with --progress succeeds" 0 "$?"
check_eq "stdout has one line" 1 "$(wc -l <"$WORK/sliced.out")"
check_match "... the result" "$(cat "$WORK/sliced.out")" '^loaded 161869 rows from 1 file \(cur2-parquet\) in [0-9.]+ s$'
err=$(cat "$WORK/sliced.err")
check_match "a progress line says rows, share, rate and time left" "$err" \
	'loading 162k rows from 1 file: [0-9]+ s, [0-9]+% done, [0-9.]+[kM]? rows/s, [0-9]+ s left'
check_contains "the inserts reach 100%" "$err" "100% done"
check_contains "the summaries step is named" "$err" "building the daily summaries and the vocabulary"
check_not_contains "no terminal control characters off a terminal" "$err" $'\r'
check_files() {
	if python3 -c "$2" "$3"; then ok "$1"; else not_ok "$1" "$(tail -3 "$3")"; fi
}
check_files "the share never goes back and ends at 100" '
import re, sys
shares = [int(m) for m in re.findall(r"(\d+)% done", open(sys.argv[1]).read())]
assert len(shares) >= 3, shares
assert shares == sorted(shares) and shares[-1] == 100, shares
' "$WORK/sliced.err"

# the slices load exactly what one statement loads
"$FINQ" --db "$WORK/whole.duckdb" load --no-progress "$SMALL_GROUPS" >"$WORK/whole.out" 2>"$WORK/whole.err"
check_eq "--no-progress: nothing on stderr" "" "$(cat "$WORK/whole.err")"
same="SELECT count(*), round(sum(amortized_cost), 6), round(sum(unblended_cost), 6), count(DISTINCT resource_id), sum(cardinality(tags)), min(usage_date), max(usage_date) FROM costs"
check_eq "the sliced load holds the same rows as one insert" "$(sql_row "$WORK/whole.duckdb" "$same")" "$(sql_row "$WORK/sliced.duckdb" "$same")"
summary="SELECT count(*), round(sum(amortized_cost), 6) FROM costs_day_tag"
check_eq "... and the same tag summary" "$(sql_row "$WORK/whole.duckdb" "$summary")" "$(sql_row "$WORK/sliced.duckdb" "$summary")"

# off a terminal, without --progress: quiet (the small CUR 1.0 export: what
# is checked is the output and that two loads agree, not the data)
"$FINQ" --db "$WORK/quiet.duckdb" load "$DATA/cur-dev/cur1.csv.gz" >/dev/null 2>"$WORK/quiet.err"
check_eq "off a terminal, no progress unless asked" "" "$(cat "$WORK/quiet.err")"
# a CSV.gz with --progress: the step lines at least, and the same result
"$FINQ" --db "$WORK/csv.duckdb" load --progress "$DATA/cur-dev/cur1.csv.gz" >/dev/null 2>"$WORK/csv.err"
check_contains "--progress on a CSV.gz names the summaries step" "$(cat "$WORK/csv.err")" "building the daily summaries"
check_eq "... and loads the same rows" "$(sql_row "$WORK/quiet.duckdb" "$same")" "$(sql_row "$WORK/csv.duckdb" "$same")"

# the option is an option, not a path
run finq "$WORK/none.duckdb" load --progress
check_eq "--progress without a path is a usage error" 2 "$RC"
finish
