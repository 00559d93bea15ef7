#!/usr/bin/env bash
# demo.sh: `finq demo`, the generator of sample CUR 2.0 data, end to end
# through the loader and the canonical `costs` table.
#   - the same seed twice: byte-identical files, identical totals in the
#     two databases; another seed: other data
#   - about --rows line items over the 13 months ending with --today
#   - 20+ services, 5+ accounts, every line type the conventions price
#     (Savings Plan, RI, tax, credit, refund, fees)
#   - tagged and untagged rows, tag keys normalised (`team`)
#   - what was loaded has the generator's own unblended and amortized
#     totals (the JSON summary), to the cent
#   - CSV.gz (maps as JSON text) loads to the same totals as Parquet
#   - --no-load, --help and bad options
#
#   FINQ=/abs/path/finq tests/integration/demo.sh     (FINQ defaults to ./finq)
# shellcheck source-path=SCRIPTDIR source=lib.sh
FINQ=${FINQ:-./finq}
case $FINQ in
/*) ;;
*) FINQ=$(cd "$(dirname "$FINQ")" && pwd)/$(basename "$FINQ") ;;
esac
. "$(dirname "$0")/lib.sh"

ROWS=50000
ARGS=(--seed 7 --rows $ROWS --today 2025-12-04)
CENT=0.005
mkdir -p "$WORK/1" "$WORK/2" "$WORK/csv"

# totals DB: what must be the same for the same seed, as one CSV line.
totals() {
	sql_row "$1" "SELECT count(*), sum(unblended_cost), sum(amortized_cost), sum(net_cost),
		sum(usage_amount), count(DISTINCT resource_id), min(usage_date), max(usage_date)
		FROM costs"
}

# --- the same seed twice, each into its own database ---------------------
run "$FINQ" --db "$WORK/1/d.duckdb" demo "${ARGS[@]}"
check_eq "demo --seed 7 --rows $ROWS exits 0" 0 "$RC"
[ "$RC" -eq 0 ] || printf '# %s\n' "$ERR"
check_match "demo prints a summary" "$OUT" "generated [0-9,]+ line items"
check "demo writes finq-demo.parquet next to the database" test -s "$WORK/1/finq-demo.parquet"

run "$FINQ" --db "$WORK/2/d.duckdb" --json demo "${ARGS[@]}"
check_eq "demo again, --json, exits 0" 0 "$RC"
JSON=$OUT
check "the same seed writes a byte-identical file" cmp -s "$WORK/1/finq-demo.parquet" "$WORK/2/finq-demo.parquet"

T1=$(totals "$WORK/1/d.duckdb")
T2=$(totals "$WORK/2/d.duckdb")
check_ne "totals can be read" "" "$T1"
check_eq "the same seed loads identical totals" "$T1" "$T2"

# --- size, dates, breadth ------------------------------------------------
N=$(field 1 "$T1")
check "row count $N within 20% of $ROWS" awk -v n="$N" -v w=$ROWS 'BEGIN { exit !(n >= 0.8 * w && n <= 1.2 * w) }'
check_eq "JSON rows equal the rows loaded" "$N" "$(json_get rows "$JSON")"
check_eq "JSON loaded_rows equal the rows loaded" "$N" "$(json_get loaded_rows "$JSON")"
check_eq "first day: 13 months back from --today" 2024-12-01 "$(field 7 "$T1")"
check_eq "last day: --today" 2025-12-04 "$(field 8 "$T1")"

BREADTH=$(sql_row "$WORK/1/d.duckdb" "SELECT count(DISTINCT service_code), count(DISTINCT account_id),
	count(DISTINCT region), count(DISTINCT payer_account_id) FROM costs")
check "20 or more services ($(field 1 "$BREADTH"))" test "$(field 1 "$BREADTH")" -ge 20
check "5 or more accounts ($(field 2 "$BREADTH"))" test "$(field 2 "$BREADTH")" -ge 5
check "3 or more regions ($(field 3 "$BREADTH"))" test "$(field 3 "$BREADTH")" -ge 3
check_eq "one payer" 1 "$(field 4 "$BREADTH")"

TYPES=$(sql_rows "$WORK/1/d.duckdb" "SELECT DISTINCT charge_type FROM costs ORDER BY 1" | tr '\n' ' ')
for t in Usage SavingsPlanCoveredUsage SavingsPlanNegation SavingsPlanRecurringFee \
	DiscountedUsage RIFee Tax Credit Refund Fee; do
	check_contains "line type $t present" " $TYPES" " $t "
done
check_eq "taxes carry a service and no region" 0 "$(field 1 "$(sql_row "$WORK/1/d.duckdb" \
	"SELECT count(*) FILTER (WHERE service_code IS NULL OR region IS NOT NULL) FROM costs WHERE charge_type = 'Tax'")")"

# --- tags ----------------------------------------------------------------
TAGS=$(sql_row "$WORK/1/d.duckdb" "SELECT count(*) FILTER (WHERE tags['team'] IS NOT NULL),
	count(*) FILTER (WHERE tags IS NULL OR cardinality(tags) = 0),
	count(*) FILTER (WHERE tags['user_team'] IS NOT NULL) FROM costs")
check "some rows have tags['team'] ($(field 1 "$TAGS"))" test "$(field 1 "$TAGS")" -gt 0
check "some rows have no tags ($(field 2 "$TAGS"))" test "$(field 2 "$TAGS")" -gt 0
check_eq "no row keeps the user_ prefix" 0 "$(field 3 "$TAGS")"

# --- the generator's ground truth against the loader ---------------------
check_close "loaded unblended = the generator's, to the cent" \
	"$(json_get unblended_cost "$JSON")" "$(field 2 "$T1")" $CENT
check_close "loaded amortized = the generator's, to the cent" \
	"$(json_get amortized_cost "$JSON")" "$(field 3 "$T1")" $CENT
SAVINGS=$(sql_row "$WORK/1/d.duckdb" "SELECT sum(unblended_cost) > sum(amortized_cost)
	FROM costs WHERE charge_type = 'SavingsPlanCoveredUsage'")
check_eq "Savings Plan coverage costs less amortized than on demand" true "$SAVINGS"

# --- another seed ----------------------------------------------------------
run "$FINQ" --db "$WORK/other.duckdb" demo --seed 8 --rows $ROWS --today 2025-12-04 \
	--no-load --out "$WORK/other.parquet"
check_eq "demo --seed 8 --no-load exits 0" 0 "$RC"
check "--no-load creates no database" test ! -e "$WORK/other.duckdb"
if cmp -s "$WORK/1/finq-demo.parquet" "$WORK/other.parquet"; then
	not_ok "another seed writes other data" "files identical"
else
	ok "another seed writes other data"
fi

# --- CSV.gz: same data, other format ---------------------------------------
run "$FINQ" --db "$WORK/csv/d.duckdb" demo "${ARGS[@]}" --format csv
check_eq "demo --format csv exits 0" 0 "$RC"
[ "$RC" -eq 0 ] || printf '# %s\n' "$ERR"
check "demo --format csv writes finq-demo.csv.gz" test -s "$WORK/csv/finq-demo.csv.gz"
check_eq "the CSV.gz starts like a gzip file" 1f8b "$(head -c 2 "$WORK/csv/finq-demo.csv.gz" | od -An -tx1 | tr -d ' \n')"
TC=$(totals "$WORK/csv/d.duckdb")
check_eq "CSV: same row count as Parquet" "$N" "$(field 1 "$TC")"
check_close "CSV: same unblended total as Parquet" "$(field 2 "$T1")" "$(field 2 "$TC")" $CENT
check_close "CSV: same amortized total as Parquet" "$(field 3 "$T1")" "$(field 3 "$TC")" $CENT
check_close "CSV: same net total as Parquet" "$(field 4 "$T1")" "$(field 4 "$TC")" $CENT
check_eq "CSV: same resources and dates" "$(cut -d, -f6- <<<"$T1")" "$(cut -d, -f6- <<<"$TC")"
check_eq "CSV: same tagged rows" "$TAGS" "$(sql_row "$WORK/csv/d.duckdb" "SELECT count(*) FILTER (WHERE tags['team'] IS NOT NULL),
	count(*) FILTER (WHERE tags IS NULL OR cardinality(tags) = 0),
	count(*) FILTER (WHERE tags['user_team'] IS NOT NULL) FROM costs")"

# --- the command line ------------------------------------------------------
run "$FINQ" demo --help
check_eq "demo --help exits 0" 0 "$RC"
check_contains "demo --help describes --seed" "$OUT" "--seed"
run "$FINQ" --db "$WORK/bad.duckdb" demo --bogus
check_eq "an unknown option exits 2" 2 "$RC"
check_contains "an unknown option is named" "$ERR" "--bogus"
run "$FINQ" --db "$WORK/bad.duckdb" demo --format xml
check_eq "--format xml exits 2" 2 "$RC"
run "$FINQ" --db "$WORK/bad.duckdb" demo --rows 10 --scale 2
check_eq "--rows with --scale exits 2" 2 "$RC"
run "$FINQ" --db "$WORK/bad.duckdb" demo --start 2025-02-30
check_eq "an impossible date exits 2" 2 "$RC"
run "$FINQ" --db "$WORK/bad.duckdb" demo --start 2025-06-01 --end 2025-05-01
check_eq "--end before --start exits 2" 2 "$RC"
check "bad options create no database" test ! -e "$WORK/bad.duckdb"

finish
