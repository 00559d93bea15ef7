#!/usr/bin/env bash
# run.sh: run every integration script in this folder (all *.sh but run.sh,
# lib.sh and http.sh), each in a fresh temp folder given as TMPDIR_TEST, and sum
# their "N passed, N failed" lines into one closing line of the same form.
# Exits 1 when any check failed or any script did not finish.
#
#   FINQ=/abs/path/finq tests/integration/run.sh [script.sh ...]
#
# Naming scripts runs only those. FINQ_KEEP_TMP=1 keeps the temp folders.
# FINQ_IT_JOBS=N runs N scripts at a time (default 2: most of a script's
# time is spent waiting on finq processes and sockets, so two share the
# two cores well); each script's output is printed whole when it ends. A
# script whose timing a neighbour could disturb says so in a line
# "# run.sh: alone" and runs with nothing beside it.
set -u

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${FINQ:-}" ]; then
	echo "run.sh: set FINQ to the finq binary under test" >&2
	exit 2
fi
case $FINQ in
/*) ;;
*) FINQ=$(cd "$(dirname "$FINQ")" && pwd)/$(basename "$FINQ") ;;
esac
if [ ! -x "$FINQ" ]; then
	echo "run.sh: FINQ='$FINQ' is not an executable" >&2
	exit 2
fi
export FINQ

scripts=()
if [ $# -gt 0 ]; then
	for name in "$@"; do
		scripts+=("$here/$(basename "$name")")
	done
else
	for t in "$here"/*.sh; do
		case $(basename "$t") in
		run.sh | lib.sh | http.sh) ;;
		*) scripts+=("$t") ;;
		esac
	done
fi

passed=0
failed=0
broken=()
started=$(date +%s)
jobs_max=${FINQ_IT_JOBS:-2}
case $jobs_max in '' | *[!0-9]* | 0) jobs_max=1 ;; esac

declare -A work_of=() name_of=() t0_of=()

# One script's run: output to its log, exit status beside it.
launch() {
	local t=$1 name work
	name=$(basename "$t")
	work=$(mktemp -d "${TMPDIR:-/tmp}/finq-it-${name%.sh}-XXXXXX")
	(
		TMPDIR_TEST=$work bash "$t" >"$work.log" 2>&1
		echo $? >"$work.rc"
	) &
	work_of[$!]=$work
	name_of[$!]=$name
	t0_of[$!]=$(date +%s)
}

# Print a finished script's output and add up its closing line.
collect() {
	local pid=$1 work=${work_of[$1]} name=${name_of[$1]} rc summary p=0 f=0
	rc=$(cat "$work.rc" 2>/dev/null || echo 99)
	echo "# $name"
	cat "$work.log"
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work.log" | tail -n 1)
	if [ -n "$summary" ]; then
		read -r p _ f _ <<<"$summary"
		passed=$((passed + p))
		failed=$((failed + f))
	fi
	if [ -z "$summary" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		# It stopped before its summary, or failed without saying so.
		failed=$((failed + 1))
		echo "not ok - $name finished: exit status $rc, no clean summary"
	fi
	[ "$rc" -eq 0 ] || broken+=("$name")
	echo "# $name: $(($(date +%s) - ${t0_of[$pid]})) s"
	if [ -z "${FINQ_KEEP_TMP:-}" ]; then
		rm -rf "$work" "$work.log" "$work.rc"
	else
		echo "# kept $work"
	fi
	unset "work_of[$pid]" "name_of[$pid]" "t0_of[$pid]"
}

# Wait for one running script to end and collect it.
reap() {
	local pid
	wait -n -p pid
	collect "$pid"
}

for t in "${scripts[@]}"; do
	if grep -q '^# run.sh: alone' "$t"; then
		while [ ${#work_of[@]} -gt 0 ]; do reap; done
		launch "$t"
		reap
		continue
	fi
	while [ ${#work_of[@]} -ge "$jobs_max" ]; do reap; done
	launch "$t"
done
while [ ${#work_of[@]} -gt 0 ]; do reap; done
echo "# ${#scripts[@]} scripts in $(($(date +%s) - started)) s${broken[*]:+; failing: ${broken[*]}}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
