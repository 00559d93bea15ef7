#!/usr/bin/env bash
# load_undo.sh: `finq loads` and `finq loads undo ID` (src/loadlog.c).
#   - a load that replaces a billing period records what it replaced:
#     `loads --json` gives each load's files, periods, rows and the rows and
#     loads it replaced; the text listing says the same
#   - undoing it restores the database exactly (row hash) as before it
#   - a load whose period was loaded again cannot be undone (exit 5, says
#     which load to undo first); nor one undone already
#   - history is bounded: a period's replaced rows are kept until the next
#     load of that period, then an undo of the older load is refused
#   - an unknown id is a usage error; no database, no data
#   - a database from before the load log (its tables missing, or
#     costs_replaced without columns costs gained): loads and undoes
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

DEV=$(cd "$DATA/cur-dev" && pwd -P)
NOV=2025-11
NOV_ROWS=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["months"]["2025-11-01"]["rows"])' "$DEV/manifest.json")
DB=$WORK/undo.duckdb

# state DB: row count and an order-independent hash of every row.
state() {
	sql_row "$1" "SELECT count(*), bit_xor(hash(c)) FROM costs c"
}
# jq-free: the value at a python expression over the `loads --json` kept
# in LOADS (one listing read by several checks: a finq process costs 0.12
# s before any work, 0.35 s under ASan).
LOADS=
loads_json() {
	python3 -c "import json, sys; l = json.loads(sys.argv[1])[\"loads\"]; print($1)" "$LOADS"
}

run "$FINQ" --db "$WORK/none.duckdb" loads
check_eq "no database: exit 6" 6 "$RC"
check_contains "no database: says so" "$ERR" "nothing has been loaded"
check_eq "no database: none created" no "$([ -e "$WORK/none.duckdb" ] && echo yes || echo no)"

dev_data "$DB" cur2.parquet # load 1, by the binary under test
check_eq "load 1 (cur2.parquet, 13 months)" 0 "$RC"
S1=$(state "$DB")
run finq "$DB" load --no-progress --json "$DEV/cur1.csv.gz"
check_eq "load 2 (cur1.csv.gz, November again)" 0 "$RC"
LOAD2_SECONDS=$(json_get seconds "$OUT")
S2=$(state "$DB")
check_ne "load 2 changed the rows" "$S1" "$S2"

run finq "$DB" loads --json
check_eq "loads --json: exit 0" 0 "$RC"
LOADS=$OUT
check_eq "loads --json: two loads, newest first" "2 1" "$(loads_json '" ".join(str(x["id"]) for x in l)')"
check_eq "loads --json: load 2's file" "$DEV/cur1.csv.gz cur1" \
	"$(loads_json '" ".join(f["path"] + " " + f["format"] for f in l[0]["files"])')"
check_eq "loads --json: load 2's period, rows, replaced rows and load" "$NOV AWS 111122223333 $NOV_ROWS $NOV_ROWS [1]" \
	"$(loads_json '" ".join("%s %s %s %d %d %s" % (p["billing_period"], p["provider"], p["payer_account_id"], p["rows"], p["replaced_rows"], p["replaced_loads"]) for p in l[0]["periods"])')"
check_eq "loads --json: load 1 has 13 periods, replaced nothing" "13 0" \
	"$(loads_json '"%d %d" % (len(l[1]["periods"]), sum(p["replaced_rows"] for p in l[1]["periods"]))')"
check_eq "loads --json: load 2 can be undone, load 1 not" "True False" "$(loads_json '"%s %s" % (l[0]["undoable"], l[1]["undoable"])')"
check_contains "loads --json: why not" "$(loads_json 'l[1]["why_not"]')" "loaded again by load 2"
# the log's seconds are the time the load's user waited, its COMMIT
# included: the same as `load --json` says, but the few milliseconds
# between the last UPDATE and the report
check_eq "loads --json: load 2's seconds are the load's whole time" ok \
	"$(loads_json '"ok" if 0 <= '"${LOAD2_SECONDS:-0}"' - l[0]["seconds"] < 0.05 else "%s against %s" % (l[0]["seconds"], '"${LOAD2_SECONDS:-0}"')')"
run finq "$DB" loads
check_contains "loads (text): load 2 replaced November of load 1" "$OUT" "period  $NOV AWS payer 111122223333: $NOV_ROWS rows, replaced $NOV_ROWS rows of load 1"
check_contains "loads (text): names the file" "$OUT" "file    $DEV/cur1.csv.gz (cur1)"

run finq "$DB" loads undo 1
check_eq "undo 1 (its November loaded again): exit 5" 5 "$RC"
check_contains "undo 1: says which load to undo first" "$ERR" "undo load 2 first"
check_eq "undo 1: nothing changed" "$S2" "$(state "$DB")"

run finq "$DB" loads undo 2 --json
check_eq "undo 2: exit 0" 0 "$RC"
check_eq "undo 2: rows removed and restored" "$NOV_ROWS $NOV_ROWS" "$(json_get removed "$OUT") $(json_get restored "$OUT")"
# state's two values and two more, in one finq process
sql_cols "$DB" "SELECT count(*), bit_xor(hash(c)),
	(SELECT string_agg(DISTINCT load_id::VARCHAR, '|') FROM costs WHERE billing_period = DATE '$NOV-01'),
	(SELECT count(*) FROM costs_replaced) FROM costs c"
check_eq "undo 2: the database is exactly as after load 1" "$S1" "${COLS[0]:-},${COLS[1]:-}"
check_eq "undo 2: November answers from load 1 again" 1 "${COLS[2]:-}"
check_eq "undo 2: no replaced rows left" 0 "${COLS[3]:-}"
LOADS=$("$FINQ" --db "$DB" loads --json)
check_eq "undo 2: listed as undone" "True False" "$(loads_json '"%s %s" % (l[0]["undone_at"] is not None, l[0]["undoable"])')"
check_eq "undo 2: load 1 can now be undone" True "$(loads_json 'l[1]["undoable"]')"
run finq "$DB" loads undo 2
check_eq "undo 2 again: exit 5" 5 "$RC"
check_contains "undo 2 again: says it was undone" "$ERR" "undone already"

# Bounded history: load 3 and load 4 both load November; load 4 drops what
# load 3 replaced (load 1's November), so load 3 cannot be undone after 4.
run finq "$DB" load --no-progress "$DEV/cur1.csv.gz"
check_eq "load 3" 0 "$RC"
S3=$(state "$DB")
run finq "$DB" load --no-progress "$DEV/focus.csv.gz"
check_eq "load 4" 0 "$RC"
check_eq "load 4: one period's replaced rows kept, not two" "$NOV_ROWS" "$(sql_row "$DB" "SELECT count(*) FROM costs_replaced")"
run finq "$DB" loads undo 4
check_eq "undo 4: exit 0" 0 "$RC"
check_eq "undo 4: exactly as after load 3" "$S3" "$(state "$DB")"
run finq "$DB" loads undo 3
check_eq "undo 3 (its replaced rows dropped by load 4): exit 5" 5 "$RC"
check_contains "undo 3: says the rows are no longer kept" "$ERR" "no longer kept"
check_eq "undo 3: nothing changed" "$S3" "$(state "$DB")"

run finq "$DB" loads undo 99
check_eq "undo 99: exit 2" 2 "$RC"
check_contains "undo 99: no such load" "$ERR" "there is no load 99"
run finq "$DB" loads undo x
check_eq "undo x: exit 2" 2 "$RC"

# ---- a database written before the load log ----
# No load_periods, load_undos or costs_replaced; then costs_replaced made
# without two of costs' columns (as if costs had gained them since).
build_duckexec
OLD=$WORK/old.duckdb
run finq "$OLD" load --no-progress "$DEV/focus.csv.gz"
check_eq "old database: load 1" 0 "$RC"
O1=$(state "$OLD")
run "$DUCKEXEC" "$OLD" "DROP TABLE costs_replaced" "DROP TABLE load_periods" "DROP TABLE load_undos" \
	"CREATE TABLE costs_replaced AS SELECT * EXCLUDE (commitment_id, load_id), 1 AS replaced_by FROM costs LIMIT 0"
check_eq "old database: made old" 0 "$RC"
run finq "$OLD" load --no-progress "$DEV/cur1.csv.gz"
check_eq "old database: load 2 over it" 0 "$RC"
run finq "$OLD" loads undo 1
check_eq "old database: load 1, from before the log, cannot be undone: exit 5" 5 "$RC"
check_contains "old database: says why" "$ERR" "made before finq recorded what loads replace"
run finq "$OLD" loads undo 2
check_eq "old database: load 2 undone" 0 "$RC"
check_eq "old database: exactly as after load 1, the columns costs_replaced lacked too" "$O1" "$(state "$OLD")"

run "$FINQ" --help
check_contains "finq --help lists loads" "$OUT" "loads "
run "$FINQ" loads --help
check_eq "loads --help: exit 0" 0 "$RC"
check_contains "loads --help: describes undo" "$OUT" "finq loads undo ID"

finish
