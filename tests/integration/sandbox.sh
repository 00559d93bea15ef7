#!/usr/bin/env bash
# sandbox.sh: `finq sql` runs one read-only SELECT and nothing else.
#   - refused with exit 5 and a clear message: INSERT, UPDATE, DELETE, DROP,
#     CREATE, ALTER, COPY, ATTACH, PRAGMA, SET, INSTALL, LOAD, EXPORT,
#     transactions, two statements, a second statement hidden behind
#     comments, and reading files (read_csv, read_parquet, glob); the data
#     is unchanged afterwards and no file was written
#   - output: --json is {"columns":[...],"rows":[[...]]} with numbers as
#     JSON numbers and dates as YYYY-MM-DD; --csv parses back; --max-rows
#     truncates and says so; a statement on stdin
#   - --timeout 0.5 cuts a long query (exit 5, a message about the limit)
#   - a missing database: exit 6 and a hint to run `finq load`
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

DB=$WORK/sandbox.duckdb
dev_data "$DB" focus.csv.gz
check_eq "the test database loads" 0 "$RC"
ROWS=$(sql_row "$DB" "SELECT count(*) FROM costs")
check_eq "the test database holds November's rows" 12498 "$ROWS"
BASE=$(snapshot "$DB")
DB_BYTES=$(cksum <"$DB")

# refused LABEL SQL [ERE]: exit 5, a message saying why (matching ERE),
# nothing on stdout.
refused() {
	run finq "$DB" sql "$2"
	check_eq "$1: exit 5" 5 "$RC"
	check_eq "$1: no rows printed" "" "$OUT"
	check_match "$1: a clear message" "$ERR" \
		"^finq: .*(${3:-refused|only (one )?SELECT|not allowed|disabled|permission})"
}

refused "INSERT" "INSERT INTO costs SELECT * FROM costs"
refused "UPDATE" "UPDATE costs SET unblended_cost = 0"
refused "DELETE" "DELETE FROM costs"
refused "DROP" "DROP TABLE costs"
refused "CREATE" "CREATE TABLE t AS SELECT 1 AS x"
refused "CREATE VIEW" "CREATE VIEW v AS SELECT 1 AS x"
refused "ALTER" "ALTER TABLE costs ADD COLUMN x INTEGER"
refused "COPY TO a file" "COPY costs TO '$WORK/copied.csv'"
refused "COPY FROM a file" "COPY costs FROM '$DATA/cur-dev/focus.csv.gz'"
refused "ATTACH" "ATTACH '$WORK/attached.duckdb' AS other"
refused "DETACH" "DETACH sandbox"
# [src bug: sandbox.c takes the statement type after duckdb_prepare, when
#  DuckDB has rewritten call-style PRAGMAs into SELECTs: they run]
BUG="sandbox.c: PRAGMA database_list/show_tables/version run as SELECT"
refused "PRAGMA database_list" "PRAGMA database_list"
refused "PRAGMA table_info" "PRAGMA table_info('costs')"
BUG=
refused "PRAGMA setting" "PRAGMA threads = 1"
refused "PRAGMA enable_profiling" "PRAGMA enable_profiling"
refused "SET" "SET threads = 1"
refused "SET enable_external_access" "SET enable_external_access = true"
refused "RESET" "RESET threads"
refused "INSTALL" "INSTALL httpfs"
refused "LOAD" "LOAD httpfs"
refused "EXPORT DATABASE" "EXPORT DATABASE '$WORK/exported'"
refused "BEGIN" "BEGIN TRANSACTION"
refused "CHECKPOINT" "CHECKPOINT"
refused "two statements" "SELECT 1; SELECT 2"
refused "SELECT then DROP" "SELECT count(*) FROM costs; DROP TABLE costs"
refused "a second statement after a block comment" "SELECT 1 /* harmless; */; DROP TABLE costs"
refused "a second statement after a line comment" "SELECT 1 -- harmless
; DELETE FROM costs"
refused "a statement inside a comment-split keyword" "SELECT 1; DE/**/LETE FROM costs" "syntax error|refused"
refused "read_csv of /etc/passwd" "SELECT * FROM read_csv('/etc/passwd')"
refused "read_parquet of the raw data" "SELECT * FROM read_parquet('$DATA/cur-dev/cur2.parquet')"
refused "read_parquet in a subquery" "SELECT count(*) FROM costs WHERE EXISTS (SELECT 1 FROM read_parquet('$DATA/cur-dev/cur2.parquet'))"
refused "read_text" "SELECT * FROM read_text('/etc/hostname')"
refused "glob" "SELECT * FROM glob('/etc/*')"
refused "a file path as a table" "SELECT * FROM '$DATA/cur-dev/cur2.parquet'"
refused "not SQL" "this is not SQL" "syntax error"
refused "nothing" "" "no SQL statement"
refused "only a comment" "/* SELECT 1 */" "no SQL statement"

check_eq "after all refusals: the data is unchanged" "$BASE" "$(snapshot "$DB")"
check_eq "after all refusals: the database file is byte-for-byte the same" "$DB_BYTES" "$(cksum <"$DB")"
check "COPY wrote no file" test ! -e "$WORK/copied.csv"
check "ATTACH created no database" test ! -e "$WORK/attached.duckdb"
check "EXPORT wrote nothing" test ! -e "$WORK/exported"

# Comments and strings are not statements.
run finq "$DB" sql --csv "SELECT count(*) AS n /* ; DROP TABLE costs */ FROM costs -- ; DELETE FROM costs"
check_eq "a SELECT with comments holding other statements runs" 0 "$RC"
check_eq "a SELECT with comments holding other statements: its answer" "$ROWS" "$(sed -n 2p <<<"$OUT" | tr -d '\r')"
run finq "$DB" sql --csv "SELECT 'DROP TABLE costs; DELETE FROM costs' AS s"
check_eq "a SELECT of a string holding statements runs" 0 "$RC"
run finq "$DB" sql --csv "WITH m AS (SELECT billing_period, sum(unblended_cost) AS c FROM costs GROUP BY 1) SELECT count(*) FROM m"
check_eq "a WITH ... SELECT runs" 0 "$RC"

# ---- --json ----
SQL="SELECT usage_date, count(*) AS n, sum(unblended_cost) AS unblended, any_value(provider) AS provider,
	NULL AS nothing, true AS yes, 1.5::DECIMAL(10,2) AS dec
	FROM costs GROUP BY usage_date ORDER BY usage_date"
run finq "$DB" sql --json "$SQL"
check_eq "--json: exit 0" 0 "$RC"
JSON=$OUT
verdict=$(python3 - "$JSON" <<'EOF'
import json, re, sys
try:
    d = json.loads(sys.argv[1])
except ValueError as e:
    print("not JSON: %s" % e)
    sys.exit()
problems = []
if set(d) - {"truncated"} != {"columns", "rows"}:
    problems.append("keys %s" % sorted(d))
if d.get("columns") != ["usage_date", "n", "unblended", "provider", "nothing", "yes", "dec"]:
    problems.append("columns %s" % d.get("columns"))
rows = d.get("rows", [])
if not isinstance(rows, list) or len(rows) != 30:
    problems.append("%s rows, want 30 (the days of November)" % len(rows))
for r in rows:
    if not (isinstance(r, list) and len(r) == 7):
        problems.append("row %r" % (r,)); break
    day, n, cost, provider, nothing, yes, dec = r
    if not (isinstance(day, str) and re.fullmatch(r"2025-11-\d\d", day)):
        problems.append("date %r" % (day,)); break
    if type(n) is not int:
        problems.append("count %r is not a JSON integer" % (n,)); break
    if type(cost) not in (int, float):
        problems.append("sum %r is not a JSON number" % (cost,)); break
    if provider != "AWS" or nothing is not None or yes is not True:
        problems.append("row %r" % (r,)); break
    if type(dec) not in (int, float) or abs(dec - 1.5) > 1e-12:
        problems.append("decimal %r is not the number 1.5" % (dec,)); break
print("; ".join(problems) or "valid")
EOF
)
check_eq "--json: columns, rows, numbers as numbers, dates as YYYY-MM-DD" valid "$verdict"
total=$(python3 -c 'import json, sys; print(repr(sum(r[2] for r in json.loads(sys.argv[1])["rows"])))' "$JSON")
check_rel "--json: the numbers add up to the total" "$(sql_row "$DB" "SELECT sum(unblended_cost) FROM costs")" "$total" 1e-9
run "$FINQ" --json --db "$DB" sql "SELECT DATE '2025-11-01' AS d"
check_eq "--json as a global option" '{"columns":["d"],"rows":[["2025-11-01"]]}' "$OUT"

# ---- --csv ----
run finq "$DB" sql --csv "SELECT 'a,b' AS x, 'say \"hi\"' AS y, 12.25 AS z, DATE '2025-11-30' AS d, NULL AS n
	UNION ALL SELECT 'line
break', '', -1, NULL, 7"
check_eq "--csv: exit 0" 0 "$RC"
verdict=$(python3 - "$OUT" <<'EOF'
import csv, io, sys
rows = list(csv.reader(io.StringIO(sys.argv[1], newline="")))
want = [["x", "y", "z", "d", "n"], ["a,b", 'say "hi"', "12.25", "2025-11-30", ""], ["line\nbreak", "", "-1", "", "7"]]
got = [r[:2] + [str(float(r[2])).rstrip("0").rstrip(".") if r[2] and r[0] != "x" else r[2]] + r[3:] for r in rows]
print("valid" if got == want else "got %r" % rows)
EOF
)
check_eq "--csv: quoting round-trips through a CSV reader" valid "$verdict"
run finq "$DB" sql --csv "SELECT billing_period, count(*) AS n FROM costs GROUP BY 1"
check_eq "--csv: header and one row" "billing_period,n|2025-11-01,$ROWS|" "$(tr -d '\r' <<<"$OUT" | tr '\n' '|')"

# ---- --max-rows ----
run finq "$DB" sql --json --max-rows 3 "SELECT * FROM range(10) t(i)"
check_eq "--max-rows 3 --json: exit 0" 0 "$RC"
check_eq "--max-rows 3 --json: three rows, marked truncated" '{"columns":["i"],"rows":[[0],[1],[2]],"truncated":true}' "$OUT"
run finq "$DB" sql --max-rows 3 "SELECT * FROM costs"
check_match "--max-rows 3 text: three rows, said to be truncated" "$(tail -n 1 <<<"$OUT")" "^\(3 rows.*truncated"
check_eq "--max-rows 3 text: header, rule, three rows, count" 6 "$(wc -l <<<"$OUT")"
run finq "$DB" sql --json --max-rows 3 "SELECT * FROM range(3) t(i)"
check_eq "--max-rows 3 on 3 rows: not truncated" '{"columns":["i"],"rows":[[0],[1],[2]]}' "$OUT"

# ---- stdin ----
OUT=$(echo "SELECT count(*) AS n FROM costs" | "$FINQ" --db "$DB" sql --csv - 2>&1)
check_eq "a statement on stdin" "n|$ROWS|" "$(tr -d '\r' <<<"$OUT" | tr '\n' '|')"

# ---- --timeout ----
for q in "SELECT count(*) FROM range(100000000000) a" \
	"SELECT count(*) FROM range(1000000) a, range(1000000) b" \
	"WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"; do
	t0=$(date +%s%N)
	run finq "$DB" sql --timeout 0.5 "$q"
	ms=$((($(date +%s%N) - t0) / 1000000))
	label="--timeout 0.5 on '${q:0:40}...'"
	check_eq "$label: exit 5" 5 "$RC"
	check_match "$label: the message names the time limit" "$ERR" "time limit|timed out|timeout"
	if [ "$ms" -lt 5000 ]; then ok "$label: stopped in time (${ms} ms)"; else not_ok "$label: stopped in time" "took ${ms} ms"; fi
done
run finq "$DB" sql --timeout 5 --csv "SELECT count(*) FROM costs"
check_eq "a quick query under a timeout runs" 0 "$RC"

# ---- no database ----
run "$FINQ" --db "$WORK/missing.duckdb" sql "SELECT 1"
check_eq "missing database: exit 6" 6 "$RC"
check_contains "missing database: suggests finq load" "$ERR" "finq load"
check_contains "missing database: names the path" "$ERR" "missing.duckdb"
check "missing database: not created by a query" test ! -e "$WORK/missing.duckdb"

# ---- not a database ----
# [src bug: sandbox.c sandbox_open re-sets e->msg from itself; the message is empty]
BUG="sandbox.c sandbox_open: err_set_code(e, code, \"%s\", e->msg) empties the message"
echo "hello" >"$WORK/text.duckdb"
run "$FINQ" --db "$WORK/text.duckdb" sql "SELECT 1"
check_eq "a text file as the database: exit 4" 4 "$RC"
check_contains "a text file as the database: the message names it" "$ERR" "text.duckdb"
BUG=

check_eq "at the end: the data is unchanged" "$BASE" "$(snapshot "$DB")"

finish
