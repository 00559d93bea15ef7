#!/usr/bin/env bash
# Question-answering benchmark on a loaded database:
#  1. `finq bench ask`: parse-to-plan time and in-process answer time
#     over tests/data/questions.txt (percentiles);
#  2. one-shot `finq ask` processes, start to exit (open, vocabulary,
#     answer, state write), RUNS times, median and p90.
# A benchmark, not a test: it asserts nothing about time.
#   DB=dev.duckdb TODAY=2025-12-04 RUNS=30 bench/ask.sh
set -euo pipefail
cd "$(dirname "$0")/.."
FINQ=${FINQ:-./finq}
DB=${DB:-finq.duckdb}
TODAY=${TODAY:-$(date -u +%F)}
RUNS=${RUNS:-30}

echo "== in process ($DB)"
"$FINQ" --db "$DB" --today "$TODAY" bench ask --questions tests/data/questions.txt

echo "== one-shot finq ask, start to exit ($RUNS runs)"
times=()
for ((i = 0; i < RUNS; i++)); do
	start=$(date +%s%N)
	"$FINQ" --db "$DB" --today "$TODAY" ask --json "top 5 services last month" >/dev/null
	end=$(date +%s%N)
	times+=($(((end - start) / 1000)))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END {
	printf "one-shot ask: median %.1f ms, p90 %.1f ms, min %.1f ms\n", a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.9 + 0.5)] / 1000, a[1] / 1000 }'
