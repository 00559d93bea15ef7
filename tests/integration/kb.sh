#!/usr/bin/env bash
# kb.sh: `finq kb search|add|list|remove` on the real binary, in a private
# folder (no cost data needed: the knowledge base lives in the state file
# beside the DuckDB path, finq.duckdb -> finq.state.sqlite).
#   - list: every built-in entry (one per kb/*.md), as text and as JSON
#   - search: the Savings Plans entry first for "what is a savings plan",
#     the citation, hostile FTS5 syntax read as words, no match said so,
#     no usable words refused (exit 2)
#   - add a user file, find it by a word only it has, replace it (same id,
#     old words gone), remove it by title and by id
#   - a binary file, an invalid UTF-8 file, a too large file refused (exit 3)
#     with the state unchanged, even beside a good file
#   - --json shapes (checked with python3's json module), usage errors
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

DB=$WORK/finq.duckdb
unset FINQ_STATE
BUILTIN=$(find "$REPO/kb" -maxdepth 1 -name '*.md' | wc -l)

# py JSON EXPR: evaluate a Python expression over the parsed JSON `d`.
py() {
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
print(eval(sys.argv[2]))' "$1" "$2" 2>&1
}

run finq "$DB" kb list
check_eq "list: exit 0" 0 "$RC"
check_eq "list: every built-in entry, none added" \
	"$BUILTIN entries: $BUILTIN built-in, 0 added ('finq kb add FILE' adds yours)" "$(tail -n 1 <<<"$OUT")"
check "the state file is created beside the database" test -f "$WORK/finq.state.sqlite"

run finq "$DB" kb search what is a savings plan
check_eq "search: exit 0" 0 "$RC"
check_eq "search: Savings Plans first, with its citation" \
	"1. Savings Plans  (finq knowledge base: savings-plans.md)" "$(head -n 1 <<<"$OUT")"

run finq "$DB" kb search --json how do I reduce NAT gateway costs
check_eq "search --json: exit 0" 0 "$RC"
check_eq "search --json: shape" "True" \
	"$(py "$OUT" 'isinstance(d["query"], str) and len(d["results"]) == 5 and all(set(r) >= {"id", "title", "source", "snippet", "score", "builtin"} for r in d["results"])')"
check_eq "search --json: best first" "True" \
	"$(py "$OUT" 'all(a["score"] >= b["score"] for a, b in zip(d["results"], d["results"][1:]))')"
check_eq "search --json: NAT gateway entry first" "NAT gateway costs" "$(py "$OUT" 'd["results"][0]["title"]')"

run finq "$DB" kb search '"NAT*' 'gateway)' 'NEAR(' OR -
check_eq "search with FTS5 syntax in the words: exit 0" 0 "$RC"
check_eq "search with FTS5 syntax: the words are searched" \
	"1. NAT gateway costs  (finq knowledge base: nat-gateway.md)" "$(head -n 1 <<<"$OUT")"

run finq "$DB" kb search zzqqxxv
check_eq "search with no match: exit 0" 0 "$RC"
check_contains "search with no match: says so" "$OUT" "no knowledge base entry matches 'zzqqxxv'"
run finq "$DB" kb search --json zzqqxxv
check_eq "search --json with no match: empty results" "0" "$(py "$OUT" 'len(d["results"])')"

run finq "$DB" kb search what is it
check_eq "search with no usable words: exit 2" 2 "$RC"
check_contains "search with no usable words: says so" "$ERR" "no words to search for in 'what is it'"

# --- a user's document -------------------------------------------------------
NOTES=$WORK/team-notes.md
printf '# Frobozz platform costs\ntags: platform, frobozz\n\nThe frobozz cluster is shared by data and search.\n' >"$NOTES"
LIST_BEFORE=$(finq "$DB" kb list --json)
run finq "$DB" kb add "$NOTES"
check_eq "add: exit 0" 0 "$RC"
check_match "add: confirmation with id and path" "$OUT" "^added 'Frobozz platform costs' \(id [0-9]+\) from $NOTES$"
ID=$(sed -n 's/.*(id \([0-9]*\)).*/\1/p' <<<"$OUT")

run finq "$DB" kb search frobozz
check_eq "find the document by a word only it has" \
	"1. Frobozz platform costs  (team-notes.md)" "$(head -n 1 <<<"$OUT")"
check_eq "only it has that word" 1 "$(grep -c '^[0-9]*\. ' <<<"$OUT")"

printf '# Gnusto platform costs\n\nThe gnusto cluster replaced frobozz.\n' >"$NOTES"
run finq "$DB" --json kb add "$NOTES"
check_eq "add again: exit 0" 0 "$RC"
check_eq "add again --json: replaced, same id, new title" "True $ID Gnusto platform costs" \
	"$(py "$OUT" '" ".join(map(str, [d["added"][0]["replaced"], d["added"][0]["id"], d["added"][0]["title"]]))')"
run finq "$DB" kb search gnusto
check_eq "replaced: the new text is found" "1. Gnusto platform costs  (team-notes.md)" "$(head -n 1 <<<"$OUT")"
run finq "$DB" kb list --json
check_eq "replaced: one user entry" "1" "$(py "$OUT" 'sum(not e["builtin"] for e in d["entries"])')"
check_eq "list --json: shape" "True" \
	"$(py "$OUT" 'all(set(e) >= {"id", "title", "source", "builtin", "tags", "bytes"} for e in d["entries"])')"

# --- files that are not text: refused, nothing stored ---------------------------
LIST_WITH=$(finq "$DB" kb list --json)
printf 'ELF\0\1\2binary' >"$WORK/tool.bin"
printf 'caf\xe9 au lait\n' >"$WORK/latin1.txt"
head -c 1048577 /dev/zero | tr '\0' 'a' >"$WORK/big.txt"
printf '# Xyzzy\n\nxyzzy is a good word.\n' >"$WORK/good.md"
run finq "$DB" kb add "$WORK/good.md" "$WORK/tool.bin"
check_eq "binary file: exit 3" 3 "$RC"
check_contains "binary file: says why" "$ERR" "file '$WORK/tool.bin' is not text: it has a NUL byte at offset 3"
run finq "$DB" kb add "$WORK/latin1.txt"
check_eq "invalid UTF-8: exit 3" 3 "$RC"
check_contains "invalid UTF-8: says why" "$ERR" "is not UTF-8 text"
run finq "$DB" kb add "$WORK/big.txt"
check_eq "too large: exit 3" 3 "$RC"
check_contains "too large: says why" "$ERR" "is larger than 1048576 bytes"
run finq "$DB" kb add "$WORK/missing.md"
check_eq "missing file: exit 3" 3 "$RC"
check_eq "refused files leave the state unchanged" "$LIST_WITH" "$(finq "$DB" kb list --json)"
run finq "$DB" kb search xyzzy
check_contains "the good file beside a bad one was not stored" "$OUT" "no knowledge base entry matches"

# --- removing ------------------------------------------------------------------
run finq "$DB" kb remove savings plans
check_eq "remove a built-in entry: exit 1" 1 "$RC"
check_contains "remove a built-in entry: says why" "$ERR" "'Savings Plans' is a built-in entry"
run finq "$DB" kb remove gnusto PLATFORM costs
check_eq "remove by title: exit 0" 0 "$RC"
check_eq "remove by title: confirmation" "removed 'Gnusto platform costs' (id $ID)" "$OUT"
check_eq "after removal the state is as before the add" "$LIST_BEFORE" "$(finq "$DB" kb list --json)"
run finq "$DB" kb search gnusto
check_contains "removed: no longer found" "$OUT" "no knowledge base entry matches 'gnusto'"

printf 'Plain notes about the plugh account.\n' >"$WORK/plugh notes.txt"
run finq "$DB" kb add --json "$WORK/plugh notes.txt"
check_eq "plain text: titled by the file name" "plugh notes" "$(py "$OUT" 'd["added"][0]["title"]')"
ID2=$(py "$OUT" 'd["added"][0]["id"]')
run finq "$DB" kb remove --json "$ID2"
check_eq "remove by id --json" "$ID2 plugh notes" "$(py "$OUT" 'str(d["removed"]["id"]) + " " + d["removed"]["title"]')"
run finq "$DB" kb remove "$ID2"
check_eq "remove an unknown id: exit 1" 1 "$RC"
check_contains "remove an unknown id: says so" "$ERR" "no knowledge base entry has the id '$ID2'"

# --- usage ------------------------------------------------------------------------
run finq "$DB" kb
check_eq "no action: exit 2" 2 "$RC"
run finq "$DB" kb frob
check_eq "unknown action: exit 2" 2 "$RC"
check_contains "unknown action: says so" "$ERR" "unknown kb action 'frob'"
run finq "$DB" kb add
check_eq "add without a file: exit 2" 2 "$RC"
run finq "$DB" kb search --limit 0 nat
check_eq "bad --limit: exit 2" 2 "$RC"
run finq "$DB" kb search --limit 2 nat
check_eq "--limit 2: two entries" 2 "$(grep -c '^[0-9]*\. ' <<<"$OUT")"
run finq "$DB" kb --help
check_eq "--help: exit 0" 0 "$RC"
check_contains "--help: explains add" "$OUT" "adding the same file again replaces it"

finish
