#!/usr/bin/env bash
# run.sh: run every integration script in this folder (all *.sh but run.sh,
# lib.sh and http.sh), each in a fresh temp folder given as TMPDIR_TEST, and sum
# their "N passed, N failed" lines into one closing line of the same form.
# Exits 1 when any check failed or any script did not finish.
#
#   FINQ=/abs/path/finq tests/integration/run.sh [script.sh ...]
#
# Naming scripts runs only those. FINQ_KEEP_TMP=1 keeps the temp folders.
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
for t in "${scripts[@]}"; do
	name=$(basename "$t")
	work=$(mktemp -d "${TMPDIR:-/tmp}/finq-it-${name%.sh}-XXXXXX")
	log=$work.log
	t0=$(date +%s)
	echo "# $name"
	TMPDIR_TEST=$work bash "$t" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	p=0
	f=0
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
	echo "# $name: $(($(date +%s) - t0)) s"
	if [ -z "${FINQ_KEEP_TMP:-}" ]; then
		rm -rf "$work" "$log"
	else
		echo "# kept $work"
	fi
done
echo "# ${#scripts[@]} scripts in $(($(date +%s) - started)) s${broken[*]:+; failing: ${broken[*]}}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
