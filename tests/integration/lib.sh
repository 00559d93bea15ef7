# shellcheck shell=bash
# lib.sh: what every integration script sources.
#
# Counts checks and prints them TAP-style ("ok - name", "not ok - name:
# details"); `finish` prints "N passed, N failed" (run.sh sums those lines)
# and exits 1 if anything failed. Also: where finq and the data are, a
# private work folder, and small wrappers around finq.
#
# Environment:
#   FINQ          the finq binary under test (required; an absolute path)
#   FINQ_SHARED   the shared folder (default: <repo>/../shared); data is $FINQ_SHARED/data
#   TMPDIR_TEST   this script's private work folder (run.sh makes a fresh one)

# The variables set here are used by the scripts that source it:
# shellcheck disable=SC2034
set -u

: "${FINQ:?set FINQ to the finq binary under test}"
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHARED=${FINQ_SHARED:-$REPO/../shared}
DATA=$SHARED/data
TOOLS=$REPO/tests/tools
if [ -z "${TMPDIR_TEST:-}" ]; then
	TMPDIR_TEST=$(mktemp -d "${TMPDIR:-/tmp}/finq-test-XXXXXX")
	trap 'rm -rf "$TMPDIR_TEST"' EXIT
fi
WORK=$TMPDIR_TEST
export TZ=UTC LC_ALL=C

PASSED=0
FAILED=0
# Set BUG to a short description around checks that fail because of a
# known bug in src/; their "not ok" lines then say so. Clear it after.
BUG=

ok() {
	PASSED=$((PASSED + 1))
	printf 'ok - %s\n' "$1"
}

# not_ok NAME DETAILS (line breaks in DETAILS are shown as " | ")
not_ok() {
	local details=${2:-failed}
	FAILED=$((FAILED + 1))
	printf 'not ok - %s: %s%s\n' "$1" "${details//$'\n'/ | }" "${BUG:+ [known src bug: $BUG]}"
}

# check NAME COMMAND...: ok when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name" "'$*' failed"; fi
}

# check_eq NAME WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want '${2:0:300}', got '${3:0:300}'"; fi
}

# check_ne NAME UNWANTED GOT
check_ne() {
	if [ "$2" != "$3" ]; then ok "$1"; else not_ok "$1" "got '$3', which it must not be"; fi
}

is_number() {
	[[ $1 =~ ^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$ ]]
}

# check_close NAME A B TOL: |A - B| <= TOL
check_close() {
	if ! is_number "$2" || ! is_number "$3"; then
		not_ok "$1" "not numbers: '$2' and '$3'"
	elif awk -v a="$2" -v b="$3" -v t="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; then
		ok "$1"
	else
		not_ok "$1" "$2 and $3 differ by more than $4"
	fi
}

# check_rel NAME A B REL: |A - B| <= REL * max(|A|, |B|) (or both tiny)
check_rel() {
	if ! is_number "$2" || ! is_number "$3"; then
		not_ok "$1" "not numbers: '$2' and '$3'"
	elif awk -v a="$2" -v b="$3" -v r="$4" 'BEGIN {
			d = a - b; if (d < 0) d = -d
			m = a < 0 ? -a : a; n = b < 0 ? -b : b; if (n > m) m = n
			exit !(d <= r * m || d < 1e-12) }'; then
		ok "$1"
	else
		not_ok "$1" "$2 and $3 differ by more than $4 relative"
	fi
}

# check_contains NAME HAYSTACK NEEDLE (case-insensitive)
check_contains() {
	if [[ ${2,,} == *"${3,,}"* ]]; then ok "$1"; else not_ok "$1" "'$3' not in: ${2:0:400}"; fi
}

# check_not_contains NAME HAYSTACK NEEDLE (case-insensitive)
check_not_contains() {
	if [[ ${2,,} != *"${3,,}"* ]]; then ok "$1"; else not_ok "$1" "'$3' found in: ${2:0:400}"; fi
}

# check_match NAME TEXT ERE (case-insensitive)
check_match() {
	if grep -qiE -- "$3" <<<"$2"; then ok "$1"; else not_ok "$1" "/$3/ does not match: ${2:0:400}"; fi
}

# finish: the script's summary line; exit 1 on any failure.
finish() {
	printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
	[ "$FAILED" -eq 0 ]
	exit
}

# run COMMAND...: sets RC, OUT (stdout) and ERR (stderr) without stopping.
RC=0
OUT=
ERR=
run() {
	"$@" >"$WORK/.run.out" 2>"$WORK/.run.err"
	RC=$?
	OUT=$(cat "$WORK/.run.out")
	ERR=$(cat "$WORK/.run.err")
}

# finq DB ARGS...: finq on database DB.
finq() {
	local db=$1
	shift
	"$FINQ" --db "$db" "$@"
}

# dev_cases: the dev evaluation's cases to run, as a file. Every case on
# the plain binary; under the sanitizers (FINQ_IT_SANITIZED=1, set by `make
# asan`) every third one: the others take the same code paths again, each a
# finq process that costs 0.3-0.5 s there, and the plain pass runs them all.
dev_cases() {
	local all=$SHARED/eval/dev.jsonl out=$WORK/dev-cases.jsonl
	if [ -n "${FINQ_IT_SANITIZED:-}" ]; then
		grep -v '^#' "$all" | grep . | awk 'NR % 3 == 1' >"$out"
	else
		cp "$all" "$out"
	fi
	echo "$out"
}

# dev_data DB FILE: DB holds the dev data's FILE (cur2.parquet or
# focus.csv.gz) as `finq load --no-progress` leaves it, for scripts whose
# subject is not the load. run.sh loads each file once per run with the
# binary under test and every script copies the result: a load is 5-11 s
# and twenty-three scripts need one. Run alone, a script loads it itself. Sets
# RC, OUT and ERR as run does.
dev_data() {
	local db=$1 file=$2 cached=${FINQ_IT_FIXTURES:-}/$2.duckdb
	if [ -n "${FINQ_IT_FIXTURES:-}" ] && [ -f "$cached" ]; then
		run cp "$cached" "$db"
	else
		run "$FINQ" --engine= --db "$db" load --no-progress "$DATA/cur-dev/$file" # DuckDB, whatever FINQ_ENGINE says
	fi
}

# sql_row DB SQL: the first row of a query as CSV (numbers at full precision).
sql_row() {
	"$FINQ" --db "$1" sql --csv "$2" 2>"$WORK/.sql.err" | sed -n '2p' | tr -d '\r'
}

# The charge types booked as lumps (fees, taxes, credits, purchases), as an
# SQL list: what the fee tests recompute from the line items themselves.
# shellcheck disable=SC2089 # the quotes are SQL's, kept literally
LUMPS="('Credit', 'Fee', 'Purchase', 'RIFee', 'Refund', 'SavingsPlanUpfrontFee', 'Tax')"

# amortized_between DB FROM TO [AND ...]: the amortized cost of the days
# FROM..TO (both inclusive) to the cent, from the line items
amortized_between() {
	sql_row "$1" "SELECT round(coalesce(sum(amortized_cost), 0), 2) FROM costs WHERE usage_date BETWEEN '$2' AND '$3' ${4:-}"
}

# money A: "$1,234.56", as a narrative writes an amount
money() {
	# shellcheck disable=SC2016 # the $ is Python's format, not the shell's
	python3 -c 'import sys; v = float(sys.argv[1]); print(("-" if v < 0 else "") + "${:,.2f}".format(abs(v)))' "$1"
}

# sql_rows DB SQL: every row as CSV, no header.
sql_rows() {
	"$FINQ" --db "$1" sql --csv --max-rows 0 "$2" 2>"$WORK/.sql.err" | sed '1d' | tr -d '\r'
}

# sql_cols DB SQL: the first row of a query as the array COLS, one element a
# column (parsed as CSV: a value may hold commas and quotes), each as
# sql_row prints it. For several values of one database in one finq
# process: one SELECT of scalar subqueries, (SELECT ...) AS a, (...) AS b,
# instead of one `finq sql` each (0.12 s a process, 0.35 s under ASan).
# COLS is empty when the query fails; its message is in $WORK/.sql.err. The
# time limit is the sum of the parts' (each would have had 30 s alone).
COLS=()
sql_cols() {
	COLS=()
	mapfile -d '' -t COLS < <("$FINQ" --db "$1" sql --csv --timeout 300 "$2" 2>"$WORK/.sql.err" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
sys.stdout.write("".join(v + "\0" for v in (rows[1] if len(rows) > 1 else [])))')
}

# field N LINE: the Nth comma-separated field (for rows without quoted commas).
field() {
	cut -d, -f"$1" <<<"$2"
}

# json_get KEY JSON: one top-level value of a JSON object, as Python prints it.
json_get() {
	python3 -c 'import json, sys; v = json.loads(sys.argv[2])[sys.argv[1]]; print(repr(v) if isinstance(v, float) else v)' "$1" "$2" 2>/dev/null
}

# snapshot DB: the content that must not change when a load fails.
snapshot() {
	"$FINQ" --db "$1" sql --json "SELECT (SELECT count(*) FROM costs) AS n,
		(SELECT sum(unblended_cost) FROM costs) AS unblended,
		(SELECT sum(amortized_cost) FROM costs) AS amortized,
		(SELECT count(*) FROM loads) AS loads,
		(SELECT count(*) FROM load_files) AS files,
		(SELECT max(load_id) FROM costs) AS last_load" 2>&1
}

# build_duckexec: compile tests/tools/duckexec.c (raw SQL on a database,
# to make the old or broken databases finq must cope with) into
# $WORK/duckexec and set DUCKEXEC; counts one check. Returns 1 when it
# does not compile.
build_duckexec() {
	DUCKEXEC=$WORK/duckexec
	local flags=()
	if [ -f "$REPO/deps/duckdb/include/duckdb.h" ]; then
		flags=(-isystem "$REPO/deps/duckdb/include" "-L$REPO/deps/duckdb" "-Wl,-rpath,$REPO/deps/duckdb")
	fi
	if cc -std=c17 -Wall -Wextra -Werror -O1 -o "$DUCKEXEC" "$TOOLS/duckexec.c" "${flags[@]}" -lduckdb 2>"$WORK/duckexec.err"; then
		ok "duckexec compiles against libduckdb"
	else
		not_ok "duckexec compiles against libduckdb" "$(head -c 400 "$WORK/duckexec.err")"
		return 1
	fi
}
