#!/usr/bin/env bash
# athena_sql.sh: the Trino SQL finq sends to Athena parses in Trino's own
# grammar. The golden files (tests/data/athena/golden: the SQL of ~40
# plans, the costs relation over a CUR 1.0 and a CUR 2.0 table, the
# vocabulary) are what build/tests/test_athena_golden compares; here
# scripts/trino_parse.sh parses each with dt-sql-parser's TrinoSql grammar
# (from npm, installed on first use), and a broken statement must fail.
# No AWS is reached: nothing here runs on Athena (docs/engines.md).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
out=$("$ROOT/scripts/trino_parse.sh" "$ROOT/tests/data/athena/golden" 2>&1)
rc=$?
check_eq "every golden statement parses in Trino's grammar: exit 0" 0 "$rc"
check_contains "the parser saw the statements" "$out" "trino grammar (dt-sql-parser): "
check_contains "none failed" "$out" " passed, 0 failed"
count=$(printf '%s\n' "$out" | sed -n 's/^trino grammar (dt-sql-parser): \([0-9]*\) statements$/\1/p')
check_eq "at least 33 statements (30 plans, 2 layouts, the vocabulary)" 1 "$([ "${count:-0}" -ge 33 ] && echo 1 || echo 0)"

# the check can fail: a statement that is not Trino's
bad=$WORK/golden
mkdir -p "$bad"
cp "$ROOT"/tests/data/athena/golden/costs-cur*.sql "$ROOT"/tests/data/athena/golden/vocabulary.sql "$bad/"
printf 'SELECT tags[%s] FROM costs GROUP BY ALL\n' "'team'" >"$bad/duckdb-only.athena.sql"
out=$("$ROOT/scripts/trino_parse.sh" "$bad" 2>&1)
rc=$?
check_eq "DuckDB's GROUP BY ALL is refused: exit 1" 1 "$rc"
check_contains "the refused file is named" "$out" "duckdb-only.athena.sql:1:"

finish
