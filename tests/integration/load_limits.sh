#!/usr/bin/env bash
# load_limits.sh: a file finq cannot read fails the whole load, naming the
# file, the line and what was wrong in words a user can act on, and no load
# keeps part of a file, whatever its size or compression.
#   - a CSV with one 32 MB field: "line 4", the line is longer than the
#     limit, and the option that raises it; with --max-line-size it loads
#   - CSV cut in the middle of a line, the same gzip-compressed (a complete
#     gzip of a cut text), a cut .csv.gz, a cut and a damaged Parquet: exit
#     3, the file named, the database exactly as before
#   - each of them after a good file in the same load: nothing of it stays
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

GOOD=$DATA/real/focusconv-aws-cur-csv/sample-anonymous-aws-export-dataset.csv
GOOD_ROWS=1281
DEV=$DATA/cur-dev
IN=$WORK/in
mkdir -p "$IN"
DB=$WORK/base.duckdb

dev_data "$DB" focus.csv.gz
check_eq "the base database loads" 0 "$RC"
BASE=$(snapshot "$DB")

# refused LABEL NEEDLE... -- ARGS...: as in load_errors.sh
refused() {
	local label=$1 needles=()
	shift
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		needles+=("$1")
		shift
	done
	shift
	run finq "$DB" load --no-progress "$@"
	check_eq "$label: exit 3 (bad input)" 3 "$RC"
	local needle
	for needle in "${needles[@]}"; do
		check_contains "$label: the message says '$needle'" "$ERR" "$needle"
	done
	check_not_contains "$label: no engine jargon" "$ERR" "pending query result"
	check_eq "$label: database unchanged" "$BASE" "$(snapshot "$DB")"
}

# ---- one 32 MB field on file line 4 ----
python3 - "$GOOD" "$IN/long.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
col = rows[0].index("lineItem/LineItemDescription")
rows[3][col] = "x" * (32 << 20)  # rows[3] is file line 4
csv.writer(open(sys.argv[2], "w", newline="")).writerows(rows)
PY
refused "a 32 MB field" "long.csv' line 4" "longer than the limit of 2097152 bytes" "--max-line-size" -- "$IN/long.csv"
refused "a 32 MB field after a good file" "long.csv' line 4" -- "$GOOD" "$IN/long.csv"
L=$WORK/long.duckdb
run finq "$L" load --no-progress --json --max-line-size 40000000 "$IN/long.csv"
check_eq "a 32 MB field with --max-line-size 40000000: loads" 0 "$RC"
check_eq "a 32 MB field with --max-line-size 40000000: every row" "$GOOD_ROWS" "$(json_get rows "$OUT")"
check_eq "the 32 MB description is whole" $((32 << 20)) "$(sql_row "$L" "SELECT max(length(description)) FROM costs")"
run finq "$L" load --no-progress --max-line-size 12x "$IN/long.csv"
check_eq "--max-line-size 12x: exit 2" 2 "$RC"
check_contains "--max-line-size 12x: says what it takes" "$ERR" "number of bytes"

# ---- files cut short ----
size=$(stat -c %s "$GOOD")
head -c $((size / 2)) "$GOOD" >"$IN/cut.csv"
refused "CSV cut in the middle of a line" "cut.csv" "cut short" -- "$IN/cut.csv"
refused "CSV cut short after a good file" "cut.csv" -- "$DEV/cur1.csv.gz" "$IN/cut.csv"
head -c $((size / 2)) "$GOOD" | gzip >"$IN/cut-text.csv.gz"
refused "a complete gzip of a cut CSV" "cut-text.csv.gz" "cut short" -- "$IN/cut-text.csv.gz"
gsize=$(stat -c %s "$DEV/cur2.csv.gz")
head -c $((gsize * 9 / 10)) "$DEV/cur2.csv.gz" >"$IN/cur2-cut.csv.gz"
refused "a 16 MB .csv.gz cut at 90%" "cur2-cut.csv.gz" "truncated" -- "$IN/cur2-cut.csv.gz"
psize=$(stat -c %s "$DEV/cur2.parquet")
head -c $((psize * 9 / 10)) "$DEV/cur2.parquet" >"$IN/cur2-cut.parquet"
refused "a Parquet file cut at 90%" "cur2-cut.parquet" -- "$IN/cur2-cut.parquet"
cp "$DEV/cur2.parquet" "$IN/damaged.parquet"
chmod u+w "$IN/damaged.parquet"
python3 - "$IN/damaged.parquet" <<'PY'
import os, sys
n = os.path.getsize(sys.argv[1])
with open(sys.argv[1], "r+b") as f:
    for off in range(4096, n - 200000, 65536):
        f.seek(off)
        f.write(b"\x5a" * 512)
PY
refused "a damaged Parquet file" "damaged.parquet" "damaged" -- "$IN/damaged.parquet"
refused "a damaged Parquet file after a good CSV" "damaged.parquet" -- "$GOOD" "$IN/damaged.parquet"

# A last line without its line break but with every field is whole.
head -c $((size - 1)) "$GOOD" >"$IN/no-final-newline.csv"
[ "$(tail -c 1 "$GOOD" | od -An -c | tr -d ' ')" = '\n' ] || echo "# note: the sample has no final line break"
N=$WORK/nl.duckdb
run finq "$N" load --no-progress --json "$IN/no-final-newline.csv"
check_eq "no final line break, last line whole: loads" 0 "$RC"
check_eq "no final line break, last line whole: every row" "$GOOD_ROWS" "$(json_get rows "$OUT")"

finish
