#!/usr/bin/env bash
# spill_stale.sh: a spill folder left by a killed process is removed at the
# next start, and nothing else is (issue 14; docs/security.md, "Anyone who
# may run SQL").
#   1. `finq serve` spills into <db>.tmp/sandbox-XXXXXX, whose owner file
#      holds its pid; kill -9 leaves the folder (with a file in it, as
#      DuckDB's spill would)
#   2. the next `finq serve` removes it, and leaves: the folder of a live
#      `finq sql` still running a statement, a folder without an owner file,
#      and a "sandbox-" symlink to another folder with a dead owner (not
#      followed: the folder it names and its files stay)
#   3. the same for the command line: a `finq sql` killed with -9 leaves
#      its folder; the next `finq sql` removes it
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"

DB=$WORK/spill.duckdb
TMP=$DB.tmp
run finq "$DB" load --no-progress "$DATA/cur-dev/focus.csv.gz"
check_eq "the test database loads" 0 "$RC"
SLOW="SELECT count(*) FROM range(1000000000) a, range(100) b WHERE (a.range * b.range) % 7 = 3"

folders() { find "$TMP" -mindepth 1 -maxdepth 1 -name 'sandbox-*' | sort; }
# a pid that is no live process: a child's, reaped
dead_pid() {
	sh -c 'exit 0' &
	local pid=$!
	wait "$pid"
	echo "$pid"
}
# the sandbox folder a process holds (its owner file names its pid)
folder_of() {
	local d
	for d in "$TMP"/sandbox-*; do
		[ -f "$d/owner" ] && [ ! -L "$d/owner" ] && [ "$(cat "$d/owner")" = "$1" ] && echo "$d"
	done
}
wait_folder_of() {
	local d=
	for _ in $(seq 1 100); do
		d=$(folder_of "$1")
		[ -n "$d" ] && break
		sleep 0.1
	done
	echo "$d"
}

# ---- 1. a killed server leaves its folder ------------------------------------------------------
start_server "$DB" || finish
killed=$(wait_folder_of "$SERVER_PID")
check "the server's spill folder names its pid" test -n "$killed"
check_eq "it is private" 700 "$(stat -c %a "$killed" 2>&1)"
echo spilled >"$killed/duckdb_temp_block-1.block"
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
check "kill -9 leaves it behind" test -f "$killed/duckdb_temp_block-1.block"

# ---- 2. the next start removes it and nothing else ---------------------------------------------
"$FINQ" --db "$DB" sql --timeout 60 "$SLOW" >/dev/null 2>&1 &
live_pid=$!
live=$(wait_folder_of "$live_pid")
check "a running finq sql has its own folder" test -n "$live"
mkdir -m 700 "$TMP/sandbox-old123"
mkdir -m 700 "$WORK/elsewhere"
echo "$(dead_pid)" >"$WORK/elsewhere/owner"
echo precious >"$WORK/elsewhere/data"
ln -s "$WORK/elsewhere" "$TMP/sandbox-link12"

start_server "$DB" || finish
check "the next start removes the killed server's folder" test ! -e "$killed"
check "... and leaves the live finq sql's" test -f "$live/owner"
check "... a folder without an owner file" test -d "$TMP/sandbox-old123"
check "... a sandbox- symlink" test -L "$TMP/sandbox-link12"
check "... and what it names" test -f "$WORK/elsewhere/data"
check "the new server has its folder" test -n "$(folder_of "$SERVER_PID")"
post_json /api/v1/sql '{"sql": "SELECT 41 + 1 AS n"}'
check_eq "and answers" '[[42]]' "$(jget 'd["rows"]')"
second=$(folder_of "$SERVER_PID")
stop_server
check "a server stopped cleanly removes its own folder" test -n "$second" -a ! -e "$second"

# ---- 3. the command line ------------------------------------------------------------------------
kill -9 "$live_pid"
wait "$live_pid" 2>/dev/null
check "a finq sql killed with -9 leaves its folder" test -d "$live"
run finq "$DB" sql "SELECT 41 + 1 AS n"
check_eq "the next finq sql answers" $'n \n--\n42\n(1 row)' "$OUT"
check "... and has removed it" test ! -e "$live"
check_eq "what is left: the folder without an owner and the symlink" \
	"$TMP/sandbox-link12 $TMP/sandbox-old123" "$(folders | tr '\n' ' ' | sed 's/ $//')"

finish
