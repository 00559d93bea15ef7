#!/usr/bin/env bash
# Load throughput benchmark: generates ROWS rows of sample CUR 2.0 (finq demo)
# as Parquet and as CSV.gz, loads each into a fresh database under a memory
# limit, and reports rows/s and peak memory. A benchmark, not a test: it
# asserts nothing about time.
#   ROWS=5000000 MEMORY_LIMIT=4GB THREADS=2 bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-5000000}
MEMORY_LIMIT=${MEMORY_LIMIT:-4GB}
FINQ=${FINQ:-./finq}
out=bench/out
mkdir -p "$out"

for format in parquet csv; do
	ext=$([ "$format" = parquet ] && echo parquet || echo csv.gz)
	file="$out/bench-$ROWS.$ext"
	if [ ! -f "$file" ]; then
		echo "generating $ROWS rows as $format ..." >&2
		"$FINQ" --db "$out/gen.duckdb" demo --seed 1 --rows "$ROWS" --format "$format" --out "$file" --no-load >/dev/null
	fi
	rm -f "$out/load.duckdb" "$out/load.duckdb.wal"
	report=$("$FINQ" --db "$out/load.duckdb" --memory-limit "$MEMORY_LIMIT" ${THREADS:+--threads "$THREADS"} \
		load --no-progress --json "$file")
	python3 - "$format" "$file" "$report" "$MEMORY_LIMIT" <<'PY'
import json, os, sys
fmt, path, report, limit = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
size = os.path.getsize(path) / 1e6
print(f"{fmt:8} {report['rows']:>11,} rows  {size:8.1f} MB  {report['seconds']:7.2f} s  "
      f"{report['rows_per_second']:>11,.0f} rows/s  peak {report['peak_memory_mb']:7.0f} MB (limit {limit})")
PY
done
rm -f "$out/load.duckdb" "$out/load.duckdb.wal"
