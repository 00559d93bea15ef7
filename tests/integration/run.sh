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

# The scripts call python3 hundreds of times (json_get, money, drivers).
# Behind a version manager's shim (pyenv's is a bash script that forks
# pyenv, its hooks and `which` on every call) each call cost 0.1-2 s on a
# loaded 2-core machine, a third of the suite's time. Resolve the
# interpreter once and put it first on PATH: the same Python, without the
# shim.
tools=$(mktemp -d "${TMPDIR:-/tmp}/finq-it-tools-XXXXXX")
trap 'rm -rf "$tools"' EXIT
if python=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) && [ -x "$python" ]; then
	mkdir "$tools/bin"
	ln -s "$python" "$tools/bin/python3"
	PATH=$tools/bin:$PATH
	export PATH
fi

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

started=$(date +%s)

# The dev data every script that is not about loading starts from, loaded
# once with the binary under test (lib.sh's dev_data copies it). A load
# that fails here is shown, and the scripts then load for themselves and
# report it. Only when a script to run uses it.
shared=${FINQ_SHARED:-$here/../../../shared}
mkdir "$tools/fixtures"
export FINQ_IT_FIXTURES=$tools/fixtures
if grep -q "dev_data " "${scripts[@]}"; then
	declare -A loading=()
	for file in cur2.parquet focus.csv.gz; do
		"$FINQ" --engine= --db "$tools/fixtures/$file.duckdb" load --no-progress \
			"$shared/data/cur-dev/$file" >"$tools/fixtures/$file.log" 2>&1 &
		loading[$file]=$!
	done
	for file in "${!loading[@]}"; do
		if ! wait "${loading[$file]}"; then
			echo "# the $file fixture did not load; scripts load it themselves:"
			sed 's/^/#   /' "$tools/fixtures/$file.log"
			rm -f "$tools/fixtures/$file.duckdb"
		fi
	done
fi

passed=0
failed=0
broken=()
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
