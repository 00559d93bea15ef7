#!/usr/bin/env bash
# load_dup.sh: one `finq load` never counts the same charges twice
# (src/loaddup.c, docs/data.md "Duplicate sources within one load").
#   - the whole cur-dev folder (cur2.parquet, cur2.csv.gz, cur1.csv.gz and
#     focus.csv.gz, four exports that all hold November 2025): every month
#     once, to the cent of manifest.json; stderr names what was skipped
#   - `load x.csv.gz x-copy.csv.gz`: not doubled
#   - two month-to-date deliveries in two folders: the later one (by its
#     usage, even when the earlier file was modified last) is kept
#   - two parts of one delivery (disjoint rows): both kept, nothing said;
#     two deliveries in parts with other boundaries: compared as wholes
#   - two deliveries that cannot be told apart (same last usage hour, same
#     modification time, different charges): refused, nothing loaded
#   - files sharing some but not most rows: refused, nothing loaded
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

DEV=$DATA/cur-dev
MANIFEST=$DEV/manifest.json
CENT=0.005
SMALL=$DATA/real/focusconv-aws-cur-csv/sample-anonymous-aws-export-dataset.csv
IN=$WORK/in
mkdir -p "$IN"

MONTHS=$(python3 - "$MANIFEST" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for month, v in sorted(m["months"].items()):
    print(month, v["rows"], repr(v["unblended"]), repr(v["amortized"]))
EOF
)
NOV=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["last_full_month"])' "$MANIFEST")
read -r _ NOV_ROWS NOV_UNBLENDED NOV_AMORTIZED < <(grep "^$NOV " <<<"$MONTHS")

# ---- the whole cur-dev folder ----
D=$WORK/dev.duckdb
run finq "$D" load --json --no-progress "$DEV"
check_eq "cur-dev folder: loads" 0 "$RC"
check_eq "cur-dev folder: rows = the manifest's, each month once" \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["rows"])' "$MANIFEST")" "$(json_get rows "$OUT")"
check_contains "cur-dev folder: says it skipped cur2.parquet" "$ERR" "cur2.parquet' for 13 billing periods"
check_contains "cur-dev folder: says it skipped cur1.csv.gz" "$ERR" "cur1.csv.gz' for billing period 2025-11"
check_contains "cur-dev folder: says it skipped focus.csv.gz" "$ERR" "focus.csv.gz' for billing period 2025-11"
check_contains "cur-dev folder: says which rule decided" "$ERR" "decided by: same charges"
check_eq "cur-dev folder: November rows once" "$NOV_ROWS" \
	"$(sql_row "$D" "SELECT count(*) FROM costs WHERE billing_period = DATE '$NOV'")"
check_close "cur-dev folder: November unblended once, to the cent" "$NOV_UNBLENDED" \
	"$(sql_row "$D" "SELECT sum(unblended_cost) FROM costs WHERE billing_period = DATE '$NOV'")" $CENT
check_close "cur-dev folder: November amortized once, to the cent" "$NOV_AMORTIZED" \
	"$(sql_row "$D" "SELECT sum(amortized_cost) FROM costs WHERE billing_period = DATE '$NOV'")" $CENT
got=$(sql_rows "$D" "SELECT strftime(billing_period, '%Y-%m-%d'), count(*), sum(unblended_cost) FROM costs GROUP BY 1 ORDER BY 1" | tr ',' ' ')
while read -r month rows unblended _; do
	line=$(grep "^$month " <<<"$got")
	check_eq "cur-dev folder: $month rows" "$rows" "$(cut -d' ' -f2 <<<"$line")"
	check_close "cur-dev folder: $month unblended" "$unblended" "$(cut -d' ' -f3 <<<"$line")" $CENT
done <<<"$MONTHS"
check_eq "cur-dev folder: one source per month" 1 \
	"$(sql_row "$D" "SELECT max(n) FROM (SELECT count(DISTINCT source) AS n FROM costs GROUP BY billing_period)")"

# ---- a file and its copy ----
cp "$DEV/cur1.csv.gz" "$IN/x.csv.gz"
cp "$DEV/cur1.csv.gz" "$IN/x-copy.csv.gz"
C=$WORK/copy.duckdb
run finq "$C" load --json --no-progress "$IN/x.csv.gz" "$IN/x-copy.csv.gz"
check_eq "x.csv.gz x-copy.csv.gz: loads" 0 "$RC"
check_eq "x.csv.gz x-copy.csv.gz: November once" "$NOV_ROWS" "$(sql_row "$C" "SELECT count(*) FROM costs")"
check_close "x.csv.gz x-copy.csv.gz: November unblended once" "$NOV_UNBLENDED" \
	"$(sql_row "$C" "SELECT sum(unblended_cost) FROM costs")" $CENT
check_eq "x.csv.gz x-copy.csv.gz: rows reported" "$NOV_ROWS" "$(json_get rows "$OUT")"
check_eq "x.csv.gz x-copy.csv.gz: duplicates reported" "$NOV_ROWS" "$(json_get duplicates_skipped "$OUT")"
check_contains "x.csv.gz x-copy.csv.gz: names the copy skipped" "$ERR" "skipped '$IN/x.csv.gz'"

# ---- month-to-date deliveries, parts, and the undecidable ----
# From the 1,281-row CUR 1.0 sample (November 2023): an early snapshot (usage
# before the 8th), the full month, two disjoint parts, a copy with other
# costs, and two files sharing a tenth of their rows.
python3 - "$SMALL" "$IN" <<'EOF'
import csv, os, sys
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(src, newline="", encoding="utf-8-sig")))
head, data = rows[0], rows[1:]
start = head.index("lineItem/UsageStartDate")
cost = head.index("lineItem/UnblendedCost")
def write(path, body):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    csv.writer(open(path, "w", newline="")).writerows([head] + body)
write(f"{out}/mtd/delivery-a/cur.csv", [r for r in data if r[start] < "2023-11-08"])
write(f"{out}/mtd/delivery-b/cur.csv", data)
half = len(data) // 2
write(f"{out}/parts/cur-00001.csv", data[:half])
write(f"{out}/parts/cur-00002.csv", data[half:])
other = [list(r) for r in data]
for r in other[::3]:
    r[cost] = str(float(r[cost] or 0) + 1.0)
write(f"{out}/same/a/cur.csv", data)
write(f"{out}/same/b/cur.csv", other)
write(f"{out}/some/a.csv", data[:600])
write(f"{out}/some/b.csv", data[540:])
early = [r for r in data if r[start] < "2023-11-08"]
third = len(early) // 3
write(f"{out}/mtd-parts/delivery-1/cur-00001.csv", early[:third])
write(f"{out}/mtd-parts/delivery-1/cur-00002.csv", early[third:])
write(f"{out}/mtd-parts/delivery-2/cur-00001.csv", data[:400])
write(f"{out}/mtd-parts/delivery-2/cur-00002.csv", data[400:900])
write(f"{out}/mtd-parts/delivery-2/cur-00003.csv", data[900:])
EOF
EARLY_ROWS=$(($(wc -l <"$IN/mtd/delivery-a/cur.csv") - 1))
# The early snapshot modified last: the usage, not the file time, decides.
touch -d '2024-01-02 00:00' "$IN/mtd/delivery-a/cur.csv"
touch -d '2024-01-01 00:00' "$IN/mtd/delivery-b/cur.csv"
M=$WORK/mtd.duckdb
run finq "$M" load --json --no-progress "$IN/mtd"
check_eq "month-to-date deliveries: loads" 0 "$RC"
check_eq "month-to-date deliveries: the later delivery's rows only" 1281 "$(sql_row "$M" "SELECT count(*) FROM costs")"
check_eq "month-to-date deliveries: from delivery-b" "$IN/mtd/delivery-b/cur.csv" \
	"$(sql_row "$M" "SELECT string_agg(DISTINCT source, '|') FROM costs")"
check_eq "month-to-date deliveries: the early rows skipped" "$EARLY_ROWS" "$(json_get duplicates_skipped "$OUT")"
check_contains "month-to-date deliveries: names the skipped delivery" "$ERR" "skipped '$IN/mtd/delivery-a/cur.csv'"
check_contains "month-to-date deliveries: says which rule decided" "$ERR" "decided by: latest usage"

# Same data, same last usage hour: the modification time decides.
cp "$IN/same/b/cur.csv" "$IN/mtd/delivery-a/cur.csv"
touch -d '2024-01-03 00:00' "$IN/mtd/delivery-a/cur.csv"
M2=$WORK/mtd2.duckdb
run finq "$M2" load --no-progress "$IN/mtd"
check_eq "deliveries told apart by modification time: loads" 0 "$RC"
check_eq "deliveries told apart by modification time: the newer file kept" "$IN/mtd/delivery-a/cur.csv" \
	"$(sql_row "$M2" "SELECT string_agg(DISTINCT source, '|') FROM costs")"
check_contains "deliveries told apart by modification time: says which rule decided" "$ERR" "decided by: modification time"

# Deliveries in parts whose boundaries differ: compared as wholes.
MP=$WORK/mtd-parts.duckdb
run finq "$MP" load --json --no-progress "$IN/mtd-parts"
check_eq "deliveries in parts: loads" 0 "$RC"
check_eq "deliveries in parts: the later delivery's three parts whole" "1281,3" \
	"$(sql_row "$MP" "SELECT count(*), count(DISTINCT source) FROM costs WHERE source LIKE '%/delivery-2/%'")"
check_eq "deliveries in parts: nothing of the earlier delivery" 0 \
	"$(sql_row "$MP" "SELECT count(*) FROM costs WHERE source LIKE '%/delivery-1/%'")"
check_contains "deliveries in parts: names both parts skipped" "$ERR" "delivery-1/cur-00002.csv' for billing period 2023-11"
check_contains "deliveries in parts: names the delivery kept" "$ERR" "delivery-2/ (3 files)' is a later month-to-date delivery"

P=$WORK/parts.duckdb
run finq "$P" load --json --no-progress "$IN/parts"
check_eq "two parts of one delivery: loads" 0 "$RC"
check_eq "two parts of one delivery: both kept" 1281 "$(sql_row "$P" "SELECT count(*) FROM costs")"
check_eq "two parts of one delivery: nothing skipped" 0 "$(json_get duplicates_skipped "$OUT")"
check_not_contains "two parts of one delivery: nothing said" "$ERR" "skipped"

# The refusals leave a database exactly as it was.
B=$WORK/base.duckdb
run finq "$B" load --no-progress "$DEV/focus.csv.gz"
check_eq "the base database loads" 0 "$RC"
BASE=$(snapshot "$B")
touch -d '2024-01-01 00:00' "$IN/same/a/cur.csv" "$IN/same/b/cur.csv"
run finq "$B" load --no-progress "$IN/same"
check_eq "undecidable deliveries: exit 3" 3 "$RC"
check_contains "undecidable deliveries: names both files" "$ERR" "'$IN/same/a/cur.csv' and '$IN/same/b/cur.csv'"
check_contains "undecidable deliveries: says why" "$ERR" "cannot tell which delivery"
check_eq "undecidable deliveries: database unchanged" "$BASE" "$(snapshot "$B")"
run finq "$B" load --no-progress "$IN/some/a.csv" "$IN/some/b.csv"
check_eq "files sharing some rows: exit 3" 3 "$RC"
check_contains "files sharing some rows: names both files" "$ERR" "'$IN/some/a.csv' and '$IN/some/b.csv' share"
check_eq "files sharing some rows: database unchanged" "$BASE" "$(snapshot "$B")"

finish
