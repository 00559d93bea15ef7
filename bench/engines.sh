#!/usr/bin/env bash
# The same questions timed on the embedded DuckDB and on a two-shard
# ClickHouse cluster (scripts/cluster.sh), over the same demo data:
#  1. `finq demo --no-load` writes ROWS line items as Parquet;
#  2. it is loaded into a DuckDB file and into the cluster (`load --json`:
#     seconds, rows/s);
#  3. `finq bench ask` answers tests/data/questions.txt ROUNDS times on
#     DuckDB (with its daily summaries, and without: FINQ_SUMMARIES=off,
#     line items like the cluster) and on the cluster: answer time p50/p90.
# A benchmark, not a test: it asserts nothing about time. The cluster is
# stopped at exit; everything lives under bench/out/engines/.
#   ROWS=1000000 ROUNDS=3 bench/engines.sh
set -euo pipefail
cd "$(dirname "$0")/.."
FINQ=${FINQ:-./finq}
ROWS=${ROWS:-1000000}
ROUNDS=${ROUNDS:-3}
TODAY=${TODAY:-2025-12-04}
OUT=bench/out/engines
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -rf "$OUT/cluster" "$OUT"/*.duckdb* "$OUT"/*.sqlite*
trap 'scripts/cluster.sh down "$OUT/cluster" >/dev/null 2>&1 || true' EXIT

echo "== $ROWS rows of demo data"
"$FINQ" --engine= --db "$OUT/duck.duckdb" --today "$TODAY" demo --rows "$ROWS" --no-load --out "$OUT/demo.parquet" >/dev/null

URL=$(scripts/cluster.sh up "$OUT/cluster")
echo "cluster: $URL"

load() { # label, then finq's global options
	local label=$1
	shift
	"$FINQ" "$@" load --json --no-progress "$OUT/demo.parquet" |
		python3 -c "import json, sys; r = json.load(sys.stdin); print(f'load {sys.argv[1]:<12} {r[\"rows\"]:>10,} rows  {r[\"seconds\"]:7.2f} s  {r[\"rows_per_second\"]:>9,.0f} rows/s')" "$label"
}
load duckdb --engine= --db "$OUT/duck.duckdb"
load clickhouse --engine "$URL" --db "$OUT/state.duckdb"

ask() { # label, then finq's global options
	local label=$1
	shift
	"$FINQ" "$@" --today "$TODAY" bench ask --json --rounds "$ROUNDS" --questions tests/data/questions.txt |
		python3 -c "import json, sys; r = json.load(sys.stdin); a = r['answer_ms']; print(f'ask  {sys.argv[1]:<22} {r[\"questions\"]} questions x {r[\"rounds\"]}: p50 {a[\"p50\"]:8.1f} ms  p90 {a[\"p90\"]:8.1f} ms  p99 {a[\"p99\"]:8.1f} ms')" "$label"
}
ask "duckdb (summaries)" --engine= --db "$OUT/duck.duckdb"
FINQ_SUMMARIES=off ask "duckdb (line items)" --engine= --db "$OUT/duck.duckdb"
ask "clickhouse (2 shards)" --engine "$URL" --db "$OUT/state.duckdb"
