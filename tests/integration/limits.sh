#!/usr/bin/env bash
# limits.sh: the limits of issue 14 ("Limits that hold") on the real binary.
#   1. the time limit covers planning and constant folding: levenshtein of
#      two 40,000-character strings (folded while planning) is cancelled,
#      by `finq sql --timeout` and by `finq serve --timeout`, with a message
#      saying it took longer than the limit; the server answers afterwards
#   2. a statement whose HTTP client went away is interrupted: the server
#      logs the request as left long before the time limit
#   3. caps before a statement runs: text size (default and
#      --max-statement), 5,000 CTEs, deep nesting; and after: a result past
#      its byte cap fails (SELECT repeat('x', 10000000) FROM range(100)
#      killed the server out of memory); a memory limit by default
#   4. the temp folder: a symlink planted in <db>.tmp cannot be read; a
#      <db>.tmp that is a symlink is refused; <db>.tmp is made private;
#      DuckDB spills into a fresh private folder, capped, removed at exit
#   5. a gzip of junk (8 MB inflating to 8 GB) is refused from its head, by
#      `finq load` and by an upload; a truncated export still fails the
#      load, which keeps nothing
# Timing checks are generous: "returns within 4x the limit".
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

DB=$WORK/limits.duckdb
dev_data "$DB" focus.csv.gz
check_eq "the test database loads" 0 "$RC"

LEVENSHTEIN="SELECT levenshtein(repeat('a', 40000), repeat('b', 40000)) AS d"
# a long statement DuckDB can interrupt between chunks
SLOW="SELECT count(*) FROM range(1000000000) a, range(100) b WHERE (a.range * b.range) % 7 = 3"

now() { date +%s.%N; }
# within A B LIMIT: B - A <= LIMIT seconds
within() { awk -v a="$1" -v b="$2" -v l="$3" 'BEGIN { exit !(b - a <= l) }'; }

# ---- 1. the time limit, planning included ------------------------------------------------------
t0=$(now)
run finq "$DB" sql --timeout 1 "$LEVENSHTEIN"
t1=$(now)
check_eq "cli: levenshtein of long strings is cancelled: exit 5" 5 "$RC"
check_eq "cli: no row printed" "" "$OUT"
check_match "cli: the message says it took longer than the limit" "$ERR" "took longer than the time limit"
check "cli: it returns within 4x the limit" within "$t0" "$t1" 4
run finq "$DB" sql --timeout 1 "$SLOW"
check_eq "cli: a long scan is cancelled too: exit 5" 5 "$RC"
check_match "cli: with the same message" "$ERR" "took longer than the time limit of 1 s"
check_eq "cli: no spill folder left behind" "" "$(ls -A "$DB.tmp" 2>&1)"

# ---- 3. caps before and after -----------------------------------------------------------------
long=$(python3 -c 'print("SELECT \x27" + "x" * 70000 + "\x27 AS s")')
run finq "$DB" sql "$long"
check_eq "a 70 kB statement is refused: exit 5" 5 "$RC"
check_match "it says the text is over the limit" "$ERR" "statement is 70[0-9]+ bytes, more than the limit of 65536"
run finq "$DB" sql --max-statement 20 "SELECT 1 + 2 + 3 + 4 + 5 AS n"
check_match "--max-statement lowers it" "$ERR" "more than the limit of 20"
run finq "$DB" sql --max-statement 100 "SELECT 1 + 2 AS n"
check_eq "a statement under --max-statement runs" $'n\n-\n3\n(1 row)' "$OUT"

python3 -c 'print("WITH " + ", ".join("c%d AS (SELECT %d)" % (i, i) for i in range(5000)) + " SELECT 1")' >"$WORK/ctes.sql"
run finq "$DB" sql --max-statement 1000000 - <"$WORK/ctes.sql"
check_eq "5,000 unused CTEs are refused before planning: exit 5" 5 "$RC"
check_match "the message counts them" "$ERR" "5000 subqueries .*limit of 64"
run finq "$DB" sql "$(python3 -c 'print("SELECT " + "(" * 200 + "1" + ")" * 200)')"
check_match "200 nested parentheses are refused" "$ERR" "nests parentheses 200 deep"
run finq "$DB" sql "WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT y FROM b"
check_eq "a statement with a few CTEs runs" 0 "$RC"
run finq "$DB" sql "SELECT 'WITH a AS (' || repeat('(', 100) AS s"
check_eq "parentheses and AS ( inside a string do not count" 0 "$RC"

run finq "$DB" sql "SELECT repeat('x', 10000000) AS s FROM range(100)"
check_eq "a 1 GB result fails: exit 5" 5 "$RC"
check_match "it says the result is over its byte cap" "$ERR" "result is larger than 64 MB"
check_eq "and prints nothing" "" "$OUT"
run finq "$DB" sql --max-result 1 "SELECT repeat('x', 100000) AS s FROM range(20)"
check_match "--max-result lowers the cap" "$ERR" "larger than 1 MB"

# DuckDB's own default is 80% of RAM; the sandbox's is half
half_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 2048 }' /proc/meminfo)
limit=$(sql_row "$DB" "SELECT current_setting('memory_limit')")
limit_mb=$(awk -v s="$limit" 'BEGIN { split(s, a, " "); m = a[2] == "GiB" ? 1024 : a[2] == "MiB" ? 1 : a[2] == "KiB" ? 1 / 1024 : 0; printf "%d", a[1] * m }')
check_rel "the sandbox's memory limit is half the RAM by default ($limit)" "$half_mb" "$limit_mb" 0.1
limit=$("$FINQ" --db "$DB" --memory-limit 300MB sql --csv "SELECT current_setting('memory_limit')" | sed -n 2p)
check_match "--memory-limit overrides it" "$limit" "^2[0-9]{2}\.[0-9] MiB|^300"
spill=$(sql_row "$DB" "SELECT current_setting('max_temp_directory_size')")
check_match "spill is capped (not DuckDB's 90% of the disk)" "$spill" "^3\.[0-9] GiB$"

# ---- 4. the temp folder -----------------------------------------------------------------------
mkdir -p "$DB.tmp"
chmod 755 "$DB.tmp"
printf 'secret-in-a-planted-file\n' >"$WORK/secret.txt"
ln -sf "$WORK/secret.txt" "$DB.tmp/s"
ln -sf /etc/passwd "$DB.tmp/p"
run finq "$DB" sql "SELECT content FROM read_text('$DB.tmp/s')"
check_eq "a symlink planted in <db>.tmp cannot be read: exit 5" 5 "$RC"
check_not_contains "the planted file's content is not printed" "$OUT$ERR" "secret-in-a-planted-file"
run finq "$DB" sql "SELECT content FROM read_text('$DB.tmp/p')"
check_not_contains "nor /etc/passwd through one" "$OUT$ERR" "root:"
run finq "$DB" sql "SELECT count(*) FROM glob('$DB.tmp/*')"
check_eq "nor can the folder be listed" 5 "$RC"
check_eq "<db>.tmp is made private" 700 "$(stat -c %a "$DB.tmp")"
tmpdir=$(sql_row "$DB" "SELECT current_setting('temp_directory')")
check_match "DuckDB spills into a fresh folder inside it" "$tmpdir" "^$DB\.tmp/sandbox-[A-Za-z0-9]{6}$"
check "which is gone after the command" test ! -e "$tmpdir"
run "$FINQ" --db "$DB" --memory-limit 64MB --threads 1 sql --csv \
	"SELECT count(*) AS n FROM (SELECT i, repeat('x', 100) AS s FROM range(3000000) t(i) ORDER BY s, i DESC)"
check_eq "a sort past the memory limit still spills and finishes" $'n\n3000000' "$(tr -d '\r' <<<"$OUT")"
rm -f "$DB.tmp/s" "$DB.tmp/p"
rmdir "$DB.tmp"
ln -s "$WORK" "$DB.tmp"
run finq "$DB" sql "SELECT 1"
check_eq "a <db>.tmp that is a symlink is refused: exit 4" 4 "$RC"
check_match "saying why" "$ERR" "refusing the temp folder .*symbolic link"
rm -f "$DB.tmp"

# ---- 5. gzip judged by its head ----------------------------------------------------------------
# 8 MB of gzip that inflates to 8 GB of NUL bytes (128 members of 64 MB),
# its last trailer broken: sniffed from its head it is no export; only a
# sniff that inflated all of it would reach the break (22 s of CPU before).
python3 - "$WORK" <<'PY'
import gzip, sys
member = gzip.compress(bytes(64 << 20), compresslevel=9)
data = member * 128
open(sys.argv[1] + "/junk.csv.gz", "wb").write(data[:-8] + b"garbage!")
PY
before=$(snapshot "$DB")
t0=$(now)
run finq "$DB" load --no-progress "$WORK/junk.csv.gz"
t1=$(now)
check_eq "load: a gzip of junk is refused: exit 3" 3 "$RC"
check_match "load: judged by its head, not inflated to its broken end" "$ERR" "not a billing export: it is neither Parquet nor"
check "load: it returns within a few seconds, not after inflating 8 GB" within "$t0" "$t1" 8
# a real export cut short still fails the load, which reads it whole
python3 - "$WORK" "$DATA" <<'PY'
import sys
whole = open(sys.argv[2] + "/cur-dev/focus.csv.gz", "rb").read()
open(sys.argv[1] + "/cut.csv.gz", "wb").write(whole[: len(whole) * 2 // 3])
PY
run finq "$DB" load --no-progress "$WORK/cut.csv.gz"
check_eq "load: a truncated gzip export is refused: exit 3" 3 "$RC"
check_match "load: saying so" "$ERR" "corrupt or truncated gzip"
check_eq "load: nothing was kept" "$before" "$(snapshot "$DB")"

# ---- 1 and 2 through the server --------------------------------------------------------------
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"
start_server "$DB" --timeout 3 || finish
body=$(python3 -c 'import json, sys; print(json.dumps({"sql": sys.argv[1]}))' "$LEVENSHTEIN")
t0=$(now)
post_json /api/v1/sql "$body"
t1=$(now)
check_error "server: levenshtein of long strings is cancelled" 400 refused
check_match "server: the message says it took longer than the limit" "$(jget 'd["error"]["message"]')" \
	"took longer than the time limit of 3 s"
# The call itself cannot be interrupted (docs/security.md, Known limits):
# the server answers when it returns, about 4.5 s here on a quiet machine
# (before: 200 with the distance); the bound allows a loaded one, ASan too.
check "server: it returns when the call does (within 8x the limit)" within "$t0" "$t1" 24
post_json /api/v1/sql '{"sql": "SELECT 41 + 1 AS n"}'
check_eq "server: the next statement runs" '[[42]]' "$(jget 'd["rows"]')"
t0=$(now)
req POST /api/v1/data -H 'Content-Type: application/gzip' --data-binary "@$WORK/junk.csv.gz"
t1=$(now)
check_error "server: an upload of 8 MB of gzip junk is refused" 422 unprocessable
check_match "server: judged by its head" "$(jget 'd["error"]["message"]')" "neither Parquet nor"
check "server: at once, not after inflating 8 GB" within "$t0" "$t1" 8
stop_server

# The client leaves after a second; the server's limit is a minute.
start_server "$DB" --timeout 60 || finish
body=$(python3 -c 'import json, sys; print(json.dumps({"sql": sys.argv[1]}))' "$SLOW")
curl -s -o /dev/null --max-time 1 -H 'Content-Type: application/json' --data-binary "$body" "$BASE/api/v1/sql"
left=
for _ in $(seq 1 200); do
	left=$(grep -E 'POST /api/v1/sql (- |[0-9]+ )[0-9.]+ ms' "$LOG" | tail -1)
	[ -n "$left" ] && break
	sleep 0.1
done
check_match "server: a statement whose client left is interrupted" "$left" "POST /api/v1/sql"
ms=$(sed -E 's/.* ([0-9.]+) ms.*/\1/' <<<"$left")
check "server: well before its 60 s limit (${ms:-?} ms)" awk -v m="${ms:-99999999}" 'BEGIN { exit !(m < 20000) }'
cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
c0=$(cpu)
sleep 1
c1=$(cpu)
check "server: its CPU is idle afterwards ($((c1 - c0)) ticks in a second)" test $((c1 - c0)) -lt 10
post_json /api/v1/sql '{"sql": "SELECT 41 + 1 AS n"}'
check_eq "server: and it answers the next statement" '[[42]]' "$(jget 'd["rows"]')"
stop_server

finish
