#!/usr/bin/env bash
# alias.sh: `finq alias add|remove|list` on the real binary, in a private
# folder (no cost data needed: aliases live in the state file beside the
# DuckDB path, finq.duckdb -> finq.state.sqlite).
#   - add (targets comma-separated or as several arguments), the
#     confirmation line, the state file created beside the database
#   - list as text and as JSON (checked with python3's json module), with
#     the command's --json and the global --json
#   - replace, remove, remove of an unknown name (exit 1, message)
#   - validation errors and bad usage (exit 2), --help (exit 0)
#   - twenty processes adding at once to a new file: all succeed
#   - $FINQ_STATE, a corrupt state file (exit 4, the path in the message),
#     and the file itself: WAL mode, schema version 1 (python3's sqlite3)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

DB=$WORK/finq.duckdb
STATE=$WORK/finq.state.sqlite
unset FINQ_STATE

# aliases_json JSON: "name=t1|t2;name=t1" from `alias list --json` output.
aliases_json() {
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
assert isinstance(d["aliases"], list)
print(";".join(a["name"] + "=" + "|".join(a["targets"]) for a in d["aliases"]))' "$1" 2>&1
}

run finq "$DB" alias list
check_eq "list with no aliases: exit 0" 0 "$RC"
check_contains "list with no aliases: says so" "$OUT" "no aliases yet"
check "the state file is created beside the database" test -f "$STATE"

run finq "$DB" alias add compute AmazonEC2,AWSLambda,AmazonECS
check_eq "add: exit 0" 0 "$RC"
check_eq "add: confirmation" "alias 'compute' = AmazonEC2, AWSLambda, AmazonECS" "$OUT"

run finq "$DB" alias add '  Storage ' AmazonS3 'AmazonEFS, AmazonGlacier' AmazonS3
check_eq "add with several arguments: exit 0" 0 "$RC"
check_eq "add: name lower-cased and trimmed, targets split, trimmed, repeats dropped" \
	"alias 'storage' = AmazonS3, AmazonEFS, AmazonGlacier" "$OUT"

run finq "$DB" alias list
check_eq "list: exit 0" 0 "$RC"
check_eq "list: text, sorted by name" \
	"compute = AmazonEC2, AWSLambda, AmazonECS
storage = AmazonS3, AmazonEFS, AmazonGlacier" "$OUT"

run finq "$DB" alias list --json
check_eq "list --json: exit 0" 0 "$RC"
check_eq "list --json: valid JSON with names and targets in order" \
	"compute=AmazonEC2|AWSLambda|AmazonECS;storage=AmazonS3|AmazonEFS|AmazonGlacier" "$(aliases_json "$OUT")"

run "$FINQ" --json --db "$DB" alias list
check_eq "global --json: the same JSON" \
	"compute=AmazonEC2|AWSLambda|AmazonECS;storage=AmazonS3|AmazonEFS|AmazonGlacier" "$(aliases_json "$OUT")"

run finq "$DB" alias add --json net AWSDataTransfer
check_eq "add --json: exit 0" 0 "$RC"
check_eq "add --json: the alias as stored" "net=AWSDataTransfer" \
	"$(python3 -c 'import json, sys; a = json.loads(sys.argv[1]); print(a["name"] + "=" + "|".join(a["targets"]))' "$OUT" 2>&1)"

# Replace: the old targets go.
run finq "$DB" alias add COMPUTE AmazonEC2 AWSFargate
check_eq "replace: exit 0" 0 "$RC"
check_eq "replace: confirmation" "alias 'compute' = AmazonEC2, AWSFargate" "$OUT"
run finq "$DB" alias list --json
check_eq "replace: list shows the new targets only" \
	"compute=AmazonEC2|AWSFargate;net=AWSDataTransfer;storage=AmazonS3|AmazonEFS|AmazonGlacier" \
	"$(aliases_json "$OUT")"

run finq "$DB" alias remove Compute
check_eq "remove: exit 0" 0 "$RC"
check_eq "remove: confirmation" "removed alias 'compute'" "$OUT"
run finq "$DB" alias list --json
check_eq "remove: gone from the list" "net=AWSDataTransfer;storage=AmazonS3|AmazonEFS|AmazonGlacier" \
	"$(aliases_json "$OUT")"

run finq "$DB" alias remove compute
check_eq "remove unknown: exit 1" 1 "$RC"
check_eq "remove unknown: message" "finq: unknown alias 'compute'" "$ERR"
check_eq "remove unknown: nothing on stdout" "" "$OUT"

# Values that fail validation: exit 2, nothing changed.
run finq "$DB" alias add storage AmazonS3,,AmazonEFS
check_eq "empty target: exit 2" 2 "$RC"
check_eq "empty target: message" "finq: alias 'storage': target 2 is empty" "$ERR"
run finq "$DB" alias add "$(printf 'n%.0s' {1..65})" AmazonEC2
check_eq "name over 64 bytes: exit 2" 2 "$RC"
check_contains "name over 64 bytes: message" "$ERR" "is longer than 64 bytes"
run finq "$DB" alias add storage "$(printf 't%.0s' {1..129})"
check_eq "target over 128 bytes: exit 2" 2 "$RC"
check_contains "target over 128 bytes: message" "$ERR" "is longer than 128 bytes"
run finq "$DB" alias add many "$(seq -s, 1 33)"
check_eq "33 targets: exit 2" 2 "$RC"
check_eq "33 targets: message" "finq: alias 'many' needs 1 to 32 targets, not 33" "$ERR"
run finq "$DB" alias list
check_eq "failed adds changed nothing" \
	"net     = AWSDataTransfer
storage = AmazonS3, AmazonEFS, AmazonGlacier" "$OUT"

# Bad command lines: exit 2 with a usage text.
for args in "" "add" "add onlyname" "remove" "remove a b" "list extra" "frobnicate" "--bogus"; do
	# shellcheck disable=SC2086 # split on purpose
	run finq "$DB" alias $args
	check_eq "usage 'alias $args': exit 2" 2 "$RC"
	check_contains "usage 'alias $args': usage text" "$ERR" "usage: finq alias add NAME"
done
run finq "$DB" alias frobnicate
check_contains "unknown action: named" "$ERR" "unknown alias action 'frobnicate'"
run finq "$DB" alias add onlyname
check_contains "missing targets: says what is wrong" "$ERR" "finq: wrong number of arguments for 'alias add'"
check_contains "missing targets: says what is wanted" "$ERR" "finq alias add NAME TARGET[,TARGET...]"

run finq "$DB" alias --help
check_eq "--help: exit 0" 0 "$RC"
check_contains "--help: usage on stdout" "$OUT" "usage: finq alias add NAME TARGET[,TARGET...]"
check_contains "--help: explains" "$OUT" "case-insensitive"

# FINQ_STATE wins over the path next to the database.
FINQ_STATE=$WORK/elsewhere.sqlite run finq "$DB" alias add k8s AmazonEKS
check_eq "FINQ_STATE: exit 0" 0 "$RC"
check "FINQ_STATE: that file is used" test -f "$WORK/elsewhere.sqlite"
FINQ_STATE=$WORK/elsewhere.sqlite run finq "$DB" alias list
check_eq "FINQ_STATE: its aliases" "k8s = AmazonEKS" "$OUT"
run finq "$DB" alias list --json
check_eq "FINQ_STATE: the default file is untouched" "net=AWSDataTransfer;storage=AmazonS3|AmazonEFS|AmazonGlacier" \
	"$(aliases_json "$OUT")"

# Twenty processes writing at once (a fresh file: the first ones race to
# create the schema): WAL and the busy timeout let every one of them in.
PAR=$WORK/par.duckdb
for i in $(seq 1 20); do
	("$FINQ" --db "$PAR" alias add "a$i" "T$i" >/dev/null 2>"$WORK/par.err.$i"
		echo $? >"$WORK/par.rc.$i") &
done
wait
check_eq "parallel adds: every process exits 0" "20" "$(cat "$WORK"/par.rc.* | grep -c '^0$')"
check_eq "parallel adds: no errors" "" "$(cat "$WORK"/par.err.*)"
run finq "$PAR" alias list
check_eq "parallel adds: all 20 aliases" 20 "$(wc -l <<<"$OUT")"

# The file itself, read by another SQLite client.
check_eq "state file: WAL mode and the current schema version" "wal 3" \
	"$(python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("PRAGMA journal_mode").fetchone()[0], c.execute("PRAGMA user_version").fetchone()[0])' "$STATE" 2>&1)"

# A state file that is not a database: exit 4, the path named, the file kept.
BAD=$WORK/bad.duckdb
head -c 4096 /dev/urandom >"$WORK/bad.state.sqlite"
run finq "$BAD" alias list
check_eq "corrupt state file: exit 4" 4 "$RC"
check_eq "corrupt state file: message names the path" \
	"finq: cannot open state file '$WORK/bad.state.sqlite': file is not a database" "$ERR"
check_eq "corrupt state file: left as it was" 4096 "$(stat -c %s "$WORK/bad.state.sqlite")"

# A state path that is a folder.
mkdir -p "$WORK/dir.state.sqlite"
run finq "$WORK/dir.duckdb" alias list
check_eq "folder as state file: exit 4" 4 "$RC"
check_eq "folder as state file: message" "finq: state file '$WORK/dir.state.sqlite' is a folder, not a file" "$ERR"

finish
