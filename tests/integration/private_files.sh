#!/usr/bin/env bash
# private_files.sh: finq's files are private to the user whatever the umask
# (src/main.c sets 077), and an upload folder left behind by a server that
# was killed is removed at the next start (src/uploaddir.c).
#   - under umask 022: the DuckDB file, the state file and every other file
#     finq made are 0600, the server's upload folder 0700
#   - `finq serve` killed with SIGKILL leaves its upload folder; the next
#     start removes it, and an old-style one unchanged for two days, and
#     one under $TMPDIR of a gone process; it keeps the folder of a process
#     still running, an old-style one changed recently and its own
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=http.sh
. "$(dirname "$0")/http.sh"

DIR=$WORK/data
mkdir -p "$DIR" "$WORK/tmp"
DB=$DIR/costs.duckdb
umask 022

mode() { stat -c %a "$1"; }

run finq "$DB" load --no-progress "$DATA/cur-dev/focus.csv.gz"
check_eq "load under umask 022" 0 "$RC"
check_eq "the database file is 0600" 600 "$(mode "$DB")"
run finq "$DB" alias add compute service AmazonEC2
check_eq "alias add (creates the state file)" 0 "$RC"
check_eq "the state file is 0600" 600 "$(mode "$DIR/costs.state.sqlite")"
check_eq "nothing finq made is readable by others" "" "$(find "$DIR" -perm /077 ! -path "$DIR" -printf '%P %m\n')"

# DuckDB's temp folder (DB.tmp) appears while a load spills to disk.
"$FINQ" --db "$WORK/spill.duckdb" --memory-limit 60MB load --no-progress "$DATA/cur-dev/cur2.csv.gz" >/dev/null 2>&1 &
spill=$!
tmpmode=
for _ in $(seq 1 100); do
	[ -d "$WORK/spill.duckdb.tmp" ] && tmpmode=$(mode "$WORK/spill.duckdb.tmp") && break
	kill -0 "$spill" 2>/dev/null || break
	sleep 0.05
done
wait "$spill"
if [ -n "$tmpmode" ]; then
	check_eq "DuckDB's temp folder is 0700" 700 "$tmpmode"
else
	echo "# DuckDB made no temp folder this time: its mode is not checked"
fi

# A dead server's folder (pid: a process that has exited), an old-style
# folder from before names carried a pid, unchanged for two days and one
# fresh, and the folder of a running process (this shell).
sh -c 'exit 0' &
gone=$!
wait "$gone"
mkdir -m 755 "$DIR/.finq-uploads-$gone-AbCdEf" "$DIR/.finq-uploads-oldOne" "$DIR/.finq-uploads-newOne" \
	"$DIR/.finq-uploads-$$-LiveIt" "$WORK/tmp/finq-uploads-$gone-InTmpX"
echo partial >"$DIR/.finq-uploads-$gone-AbCdEf/upload-123456"
touch -d '2 days ago' "$DIR/.finq-uploads-oldOne"

TMPDIR=$WORK/tmp start_server "$DB"
own=$(find "$DIR" -maxdepth 1 -name ".finq-uploads-$SERVER_PID-*")
check_ne "the server made its upload folder beside the database" "" "$own"
check_eq "the upload folder is 0700" 700 "$(mode "$own")"
check_eq "the dead server's folder is gone" no "$([ -e "$DIR/.finq-uploads-$gone-AbCdEf" ] && echo yes || echo no)"
check_eq "the old-style folder unchanged for two days is gone" no "$([ -e "$DIR/.finq-uploads-oldOne" ] && echo yes || echo no)"
check_eq "the dead process's folder under TMPDIR is gone" no "$([ -e "$WORK/tmp/finq-uploads-$gone-InTmpX" ] && echo yes || echo no)"
check_eq "a running process's folder is kept" yes "$([ -e "$DIR/.finq-uploads-$$-LiveIt" ] && echo yes || echo no)"
check_eq "a fresh old-style folder is kept" yes "$([ -e "$DIR/.finq-uploads-newOne" ] && echo yes || echo no)"
check_contains "the server says it removed them" "$(cat "$LOG")" "removed 3 upload folders"

# Killed: its folder stays; the next start removes it.
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
check_eq "a killed server leaves its folder" yes "$([ -e "$own" ] && echo yes || echo no)"
start_server "$DB"
check_eq "the next start removes the killed server's folder" no "$([ -e "$own" ] && echo yes || echo no)"
stop_server
check_eq "a server stopped cleanly removes its own folder" "" \
	"$(find "$DIR" -maxdepth 1 -name ".finq-uploads-*" ! -name "*LiveIt" ! -name "*newOne")"
check_eq "still nothing readable by others" "" \
	"$(find "$DIR" -perm /077 ! -path "$DIR" ! -name "*LiveIt" ! -name "*newOne" -printf '%P %m\n')"

finish
