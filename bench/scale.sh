#!/usr/bin/env bash
# Scale benchmark (issue: fast at any size): one line per figure, over a
# `finq demo` database of ROWS line items (generated and loaded here unless
# DB names one already loaded).
#
#   load        rows/s of `finq load` from the demo's Parquet and CSV.gz and
#               peak memory, against DuckDB's own CREATE TABLE AS SELECT *
#               FROM read_parquet() of the same file in the same run
#   size        the database on disk against the Parquet file
#   server      first answers of `finq serve` (every question distinct: no
#               cache hit), p50 and p99, for column and tag questions
#   bare SQL    the same questions' SQL over the line items (as finq writes
#               it with FINQ_SUMMARIES=off) run through POST /api/v1/sql in
#               the same warm server: the ratio to finq
#   one-shot    `finq ask` processes, start to exit, median
# A benchmark, not a test: it asserts nothing about time. The machine's
# load average is printed first and last: figures on a busy machine are
# not comparable.
#
#   ROWS=10000000 bench/scale.sh
#   DB=big.duckdb PARQUET=big.parquet bench/scale.sh     # skip generation
#   ROUNDS=3 ONESHOT=15 bench/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
FINQ=${FINQ:-$PWD/finq}
ROWS=${ROWS:-1000000}
ONESHOT=${ONESHOT:-15}
TODAY=${TODAY:-}
MEMORY_LIMIT=${MEMORY_LIMIT:-2GB}
work=$(mktemp -d "${TMPDIR:-/tmp}/finq-bench-scale-XXXXXX")
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

peak_kb() { # peak resident KB of a command (GNU time's %M), the command's output discarded
	local out=$1
	shift
	/usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>&1
}

if [ -z "${DB:-}" ]; then
	DB=$work/scale.duckdb
	PARQUET=$work/scale.parquet
	echo "generating $ROWS rows (finq demo) ..."
	"$FINQ" --db "$DB" --memory-limit "$MEMORY_LIMIT" demo --rows "$ROWS" --out "$PARQUET" >/dev/null
fi
PARQUET=${PARQUET:-}
rows=$("$FINQ" --db "$DB" sql --csv "SELECT count(*) FROM costs" | tail -1 | tr -d "\r")
TODAY=${TODAY:-$("$FINQ" --db "$DB" sql --csv "SELECT max(usage_date) + 1 FROM costs" | tail -1 | tr -d "\r")}
echo "data: $rows line items, today $TODAY"

# ---- load, against DuckDB's own copy ----
if [ -n "$PARQUET" ] && [ -f "$PARQUET" ]; then
	peak_kb "$work/t.load" "$FINQ" --db "$work/load.duckdb" --memory-limit "$MEMORY_LIMIT" load --no-progress "$PARQUET"
	read -r secs kb <"$work/t.load"
	awk -v r="$rows" -v s="$secs" -v k="$kb" 'BEGIN { printf "load parquet: %.0f rows/s (%.1f s), peak %.0f MB\n", r / s, s, k / 1024 }'
	duckexec=$work/duckexec
	flags=()
	[ -f deps/duckdb/include/duckdb.h ] && flags=(-isystem deps/duckdb/include -Ldeps/duckdb "-Wl,-rpath,$PWD/deps/duckdb")
	if cc -std=c17 -O1 -o "$duckexec" tests/tools/duckexec.c "${flags[@]}" -lduckdb 2>/dev/null; then
		peak_kb "$work/t.ctas" "$duckexec" "$work/ctas.duckdb" "SET memory_limit = '$MEMORY_LIMIT'" \
			"CREATE TABLE t AS SELECT * FROM read_parquet('$PARQUET')"
		read -r csecs ckb <"$work/t.ctas"
		awk -v r="$rows" -v s="$csecs" -v k="$ckb" -v f="$secs" 'BEGIN {
			printf "duckdb CTAS parquet: %.0f rows/s (%.1f s), peak %.0f MB; finq/duckdb speed %.2fx\n", r / s, s, k / 1024, s / f }'
	fi
	gz=$work/scale.csv.gz
	"$FINQ" --db "$DB" demo --rows "$ROWS" --format csv --out "$gz" --no-load >/dev/null
	peak_kb "$work/t.csv" "$FINQ" --db "$work/csv.duckdb" --memory-limit "$MEMORY_LIMIT" load --no-progress "$gz"
	read -r secs kb <"$work/t.csv"
	awk -v r="$rows" -v s="$secs" -v k="$kb" 'BEGIN { printf "load csv.gz: %.0f rows/s (%.1f s), peak %.0f MB\n", r / s, s, k / 1024 }'
	dbsize=$(du -b "$DB" | cut -f1)
	psize=$(du -b "$PARQUET" | cut -f1)
	awk -v d="$dbsize" -v p="$psize" 'BEGIN { printf "size: database %.0f MB, parquet %.0f MB (%.2fx)\n", d / 1e6, p / 1e6, d / p }'
else
	echo "load: skipped (no PARQUET)"
	echo "size: database $(du -b "$DB" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
fi

# ---- the server: first answers, then the same SQL over the line items ----
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$FINQ" --db "$DB" serve --port "$port" --rate-limit 0 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 600); do
	curl -s -o /dev/null "http://127.0.0.1:$port/health" && break
	sleep 0.1
done
python3 - "http://127.0.0.1:$port" "$TODAY" "$DB" "$FINQ" <<'PY'
import json, os, subprocess, sys, time, urllib.error, urllib.request
base, today, db, finq = sys.argv[1:5]
errors = []
def post(path, body):
    req = urllib.request.Request(base + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            a = json.load(r)
    except urllib.error.HTTPError as x:
        errors.append(f"{path} {x.code}: {x.read()[:200]!r} for {body}")
        a = {}
    return a, (time.perf_counter() - t) * 1000
def csv(sql):
    out = subprocess.run([finq, "--db", db, "sql", "--csv", sql], capture_output=True, text=True).stdout.strip().splitlines()
    return [l.split(",")[0].strip() for l in out[1:]]
services = csv("SELECT service_code FROM vocabulary WHERE dim = 'service' ORDER BY cost DESC LIMIT 6")
accounts = csv("SELECT value FROM vocabulary WHERE dim = 'account' ORDER BY cost DESC LIMIT 3")
keys = csv("SELECT tag_key FROM vocabulary WHERE dim = 'tag_key' ORDER BY cost DESC LIMIT 3")
months = ["last month", "in the month before last", "last quarter", "this year", "the last 3 months"]
column, tag = [], []
for m in months:
    column.append("cost by service " + m)
    column.append("spend by account " + m)
    column.append("monthly cost by region " + m)
    for s in services:
        column.append(f"{s} spend {m}")
    for a in accounts:
        column.append(f"spend in account {a} by service {m}")
    for k in keys:
        tag.append(f"cost by {k} {m}")
        tag.append(f"spend without a {k} tag {m}")
    tag.append("untagged spend by service " + m)
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")
res = {}
for name, qs in (("column", column), ("tag", tag)):
    times, sqls = [], []
    for q in qs:
        a, ms = post("/api/v1/chat", {"message": q, "today": today})
        times.append(ms)
        if a.get("sql"):
            sqls.append(a["sql"])
    res[name] = (times, sqls)
    print(f"server first answers, {name} questions ({len(qs)}): p50 {pct(times, .5):.1f} ms, p99 {pct(times, .99):.1f} ms")
    # the tail, named: what to profile next (EXPLAIN ANALYZE its SQL)
    for ms, q in sorted(zip(times, qs), reverse=True)[:3]:
        print(f"  slowest {name}: {ms:.1f} ms  {q}")
allt = res["column"][0] + res["tag"][0]
print(f"server first answers, all: p50 {pct(allt, .5):.1f} ms, p99 {pct(allt, .99):.1f} ms")
print(f"tag/column p50 ratio: {pct(res['tag'][0], .5) / pct(res['column'][0], .5):.2f}")
# the line-item SQL of each question: what finq writes without its
# summaries (a tag summary's SQL names columns the line items lack)
bare = []
for q in column + tag:
    out = subprocess.run([finq, "--db", db, "--today", today, "ask", "--json", q], capture_output=True, text=True,
                         env=dict(os.environ, FINQ_SUMMARIES="off")).stdout
    sql = json.loads(out).get("sql") if out.strip() else None
    if not sql:
        continue
    _, ms = post("/api/v1/sql", {"sql": sql})
    bare.append(ms)
print(f"bare SQL on the line items, same questions: p50 {pct(bare, .5):.1f} ms, p99 {pct(bare, .99):.1f} ms; "
      f"finq is {pct(bare, .5) / pct(allt, .5):.1f}x faster at p50")
for x in errors[:5]:
    print("error:", x)
if errors:
    print(f"errors: {len(errors)} requests failed")
    sys.exit(1)
PY
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=

# ---- one-shot CLI ----
times=()
for ((i = 0; i < ONESHOT; i++)); do
	start=$(date +%s%N)
	"$FINQ" --db "$DB" --today "$TODAY" ask --json "cost by service last month" >/dev/null
	end=$(date +%s%N)
	times+=($(((end - start) / 1000)))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "one-shot finq ask: median %.1f ms (%d runs)\n", a[int((NR + 1) / 2)] / 1000, NR }'
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg)"
