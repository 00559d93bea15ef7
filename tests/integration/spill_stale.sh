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
#   4. folders without an owner file (an older finq's) and folders in
#      $TMPDIR ("finq-sandbox-XXXXXX", the fallback's): the next `finq sql`
#      removes those whose maker has gone (an old one holding only DuckDB's
#      files; one whose owner's pid is dead) and leaves: one made after a
#      DuckDB process still running started (the ownerless folder of
#      section 2, while a `finq sql` started before it runs), one whose
#      owner file is locked by a live process, one holding a file DuckDB
#      would not write or a symlink (not followed), a "finq-sandbox-"
#      symlink, another user's folder, and names finq does not make
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"

DB=$WORK/spill.duckdb
TMP=$DB.tmp
dev_data "$DB" focus.csv.gz
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
# another one, running to the end: it started before the ownerless folder
# below was made, so that folder could be its own and must stay
"$FINQ" --db "$DB" sql --timeout 60 "$SLOW" >/dev/null 2>&1 &
keeper_pid=$!
check "a second finq sql runs" test -n "$(wait_folder_of "$keeper_pid")"
sleep 3 # past the sweep's clock slack
mkdir -m 700 "$TMP/sandbox-old123"
mkdir -m 700 "$WORK/elsewhere"
dead_pid >"$WORK/elsewhere/owner"
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
# (the running one's name is random: both sides sorted, as folders() is)
check_eq "what is left: the running finq sql's, the folder without an owner and the symlink" \
	"$(printf '%s\n' "$(folder_of "$keeper_pid")" "$TMP/sandbox-link12" "$TMP/sandbox-old123" | sort | tr '\n' ' ' | sed 's/ $//')" \
	"$(folders | tr '\n' ' ' | sed 's/ $//')"

# ---- 4. folders without an owner file, and in $TMPDIR --------------------------------------------
TD=$WORK/tmpdir
mkdir -m 700 "$TD"
# mkdir -m 700 NAME [FILE...]: a folder holding spill-like files, last changed long ago
old_folder() {
	local d=$1
	shift
	mkdir -m 700 "$d"
	for f in "$@"; do echo spilled >"$d/$f"; done
	touch -h -d '2001-01-01' "$d"
}
old_folder "$TMP/sandbox-legacy" duckdb_temp_storage_S32K-0.tmp duckdb_temp_block-7.block
old_folder "$TMP/sandbox-emptyo"
old_folder "$TMP/sandbox-notesx" duckdb_temp_block-1.block notes.txt
mkdir -m 700 "$WORK/target"
echo precious >"$WORK/target/duckdb_temp_block-2.block"
old_folder "$TMP/sandbox-linked"
ln -s "$WORK/target/duckdb_temp_block-2.block" "$TMP/sandbox-linked/duckdb_temp_block-2.block"
touch -h -d '2001-01-01' "$TMP/sandbox-linked"
old_folder "$TMP/sandbox-toolong1" duckdb_temp_block-1.block
old_folder "$TD/finq-sandbox-legacy" duckdb_temp_block-3.block
old_folder "$TD/finq-sandbox-deadxx" duckdb_temp_block-4.block
dead_pid >"$TD/finq-sandbox-deadxx/owner"
touch -h -d '2001-01-01' "$TD/finq-sandbox-deadxx"
old_folder "$TD/finq-sandbox-livexx" duckdb_temp_block-5.block
echo 1 >"$TD/finq-sandbox-livexx/owner"
flock "$TD/finq-sandbox-livexx/owner" sleep 120 &
locker_pid=$!
touch -h -d '2001-01-01' "$TD/finq-sandbox-livexx"
old_folder "$TD/finq-sandbox-others" duckdb_temp_block-6.block
chown -R nobody "$TD/finq-sandbox-others" 2>/dev/null
old_folder "$TD/other-sandbox-abcdef" duckdb_temp_block-1.block
old_folder "$WORK/away" duckdb_temp_block-1.block
ln -s "$WORK/away" "$TD/finq-sandbox-linkxx"
old_folder "$TD/finq-sandbox-recent" duckdb_temp_block-8.block
touch -h "$TD/finq-sandbox-recent" # made now: the keeper, still running, started before
sleep 0.5 # the flock holds its lock

TMPDIR=$TD run finq "$DB" sql "SELECT 41 + 1 AS n"
check_eq "finq sql answers" $'n \n--\n42\n(1 row)' "$OUT"
check "an older finq's folder, changed before any DuckDB process started, is removed" test ! -e "$TMP/sandbox-legacy"
check "... and an empty one" test ! -e "$TMP/sandbox-emptyo"
check "... in \$TMPDIR too" test ! -e "$TD/finq-sandbox-legacy"
check "a \$TMPDIR folder whose owner's pid is dead is removed" test ! -e "$TD/finq-sandbox-deadxx"
check "left: one holding a file DuckDB would not write" test -f "$TMP/sandbox-notesx/notes.txt"
check "left: one holding a symlink" test -L "$TMP/sandbox-linked/duckdb_temp_block-2.block"
check "... and what it names" test -f "$WORK/target/duckdb_temp_block-2.block"
check "left: a name mkdtemp would not make" test -d "$TMP/sandbox-toolong1"
check "left: a \$TMPDIR folder whose owner file is locked" test -f "$TD/finq-sandbox-livexx/duckdb_temp_block-5.block"
if [ "$(stat -c %U "$TD/finq-sandbox-others")" = nobody ]; then
	check "left: another user's folder" test -d "$TD/finq-sandbox-others"
fi
check "left: another program's name" test -d "$TD/other-sandbox-abcdef"
check "left: a finq-sandbox- symlink" test -L "$TD/finq-sandbox-linkxx"
check "... and what it names" test -f "$WORK/away/duckdb_temp_block-1.block"
check "left: an ownerless folder made after a running DuckDB process started" \
	test -f "$TD/finq-sandbox-recent/duckdb_temp_block-8.block"
check "... and section 2's, for the same reason" test -d "$TMP/sandbox-old123"
kill "$locker_pid" "$keeper_pid" 2>/dev/null
wait "$locker_pid" "$keeper_pid" 2>/dev/null
chown -R "$(id -u)" "$TD/finq-sandbox-others" 2>/dev/null

finish
