#!/usr/bin/env bash
# summaries.sh: the daily summary tables a load builds (costs_day,
# costs_day_detail; src/load/schema.c) answer exactly what the line items
# answer (src/sql/sqlgen.c picks the smallest table that holds a plan's
# columns).
#   - a load builds them, with summary_state naming the loads they reflect;
#     their sums equal the line items' by month
#   - every answerable question of tests/data/questions.txt (follow-ups
#     aside) gets the same rows from a server reading the summaries and
#     from one told not to (FINQ_SUMMARIES=off); most of them do read a
#     summary, and tag, resource and untagged questions read the line items
#   - `loads undo` rebuilds them; a database whose summaries are stale
#     (summary_state behind the load log) answers from the line items
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=http.sh
. "$(dirname "$0")/http.sh"

DB=$WORK/sum.duckdb
QUESTIONS=$(cd "$(dirname "$0")/../data" && pwd -P)/questions.txt

"$FINQ" --db "$DB" load "$DATA/cur-dev/cur2.parquet" >/dev/null 2>&1
check_eq "the load builds summary_state for its load" "1,0" "$(sql_row "$DB" "SELECT loads, undos FROM summary_state")"
for t in costs_day costs_day_detail; do
	check_eq "$t sums equal the line items' by month" "0" \
		"$(sql_row "$DB" "SELECT count(*) FROM (SELECT billing_period, sum(amortized_cost) a, sum(unblended_cost) u, sum(coalesce(usage_amount, 0)) q FROM costs GROUP BY 1) c FULL JOIN (SELECT billing_period, sum(amortized_cost) a, sum(unblended_cost) u, sum(coalesce(usage_amount, 0)) q FROM $t GROUP BY 1) s USING (billing_period) WHERE s.a IS NULL OR c.a IS NULL OR abs(c.a - s.a) > 1e-9 * greatest(1, abs(c.a)) OR abs(c.u - s.u) > 1e-9 * greatest(1, abs(c.u)) OR abs(c.q - s.q) > 1e-9 * greatest(1, abs(c.q))")"
done
check "costs_day is smaller than the line items" test \
	"$(sql_row "$DB" "SELECT (SELECT count(*) FROM costs_day) < (SELECT count(*) FROM costs)")" = true

# check_files NAME PYTHON FILE...: ok when the code (sys.argv[1..] are the
# files) raises nothing
check_files() {
	local name=$1 code=$2 why
	shift 2
	if why=$(python3 -c "$code" "$@" 2>&1); then ok "$name"; else not_ok "$name" "$(tail -1 <<<"$why")"; fi
}

# ask every single-turn question of questions.txt; write {question: {sql, rows}}
ask_all() {
	python3 - "$BASE" "$QUESTIONS" "$1" <<'PY'
import json, sys, urllib.request
base, path, out = sys.argv[1:4]
answers = {}
for line in open(path):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    today, question = [f.strip() for f in line.split("|")[:2]]
    if ">>" in question:
        continue
    body = json.dumps({"message": question, "today": today}).encode()
    req = urllib.request.Request(base + "/api/v1/chat", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        a = json.load(r)
    answers[today + " " + question] = {"sql": a.get("sql") or "", "rows": a.get("rows") or []}
json.dump(answers, open(out, "w"))
PY
}

start_server "$DB" --rate-limit 0
ask_all "$WORK/with.json" || not_ok "questions asked (summaries)" "$(tail -3 "$LOG")"
stop_server
FINQ_SUMMARIES=off start_server "$DB" --rate-limit 0
ask_all "$WORK/without.json" || not_ok "questions asked (line items)" "$(tail -3 "$LOG")"
stop_server

check_files "every question: the same rows from the summaries as from the line items" '
import json, sys
w = json.load(open(sys.argv[1])); wo = json.load(open(sys.argv[2]))
assert w.keys() == wo.keys() and len(w) > 100, (len(w), len(wo))
def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-6 * max(1, abs(a), abs(b))
    return a == b
bad = [q for q in w if len(w[q]["rows"]) != len(wo[q]["rows"]) or
       not all(len(r1) == len(r2) and all(same(x, y) for x, y in zip(r1, r2)) for r1, r2 in zip(w[q]["rows"], wo[q]["rows"]))]
assert not bad, bad[:5]
' "$WORK/with.json" "$WORK/without.json"
check_files "most questions read a summary; none does with FINQ_SUMMARIES=off" '
import json, sys
w = json.load(open(sys.argv[1])); wo = json.load(open(sys.argv[2]))
on = sum(1 for a in w.values() if "FROM costs_day" in a["sql"])
assert on * 2 > sum(1 for a in w.values() if a["sql"]), on
assert not any("costs_day" in a["sql"] for a in wo.values())
' "$WORK/with.json" "$WORK/without.json"
check_files "tags, resources and untagged read the line items" '
import json, sys
w = json.load(open(sys.argv[1]))
for q, a in w.items():
    if "tags[" in a["sql"] or "resource_id" in a["sql"] or "map_keys" in a["sql"]:
        assert "costs_day" not in a["sql"], q
' "$WORK/with.json"

# an undo rebuilds them; stale summaries are not read
"$FINQ" --db "$DB" load "$DATA/cur-dev/cur1.csv.gz" >/dev/null 2>&1
check_eq "a second load: summary_state follows" "2,0" "$(sql_row "$DB" "SELECT loads, undos FROM summary_state")"
"$FINQ" --db "$DB" loads undo 2 >/dev/null 2>&1
check_eq "an undo: summary_state follows" "2,1" "$(sql_row "$DB" "SELECT loads, undos FROM summary_state")"
check_eq "after the undo, November's summary equals the line items" "0" \
	"$(sql_row "$DB" "SELECT round(abs((SELECT sum(amortized_cost) FROM costs WHERE billing_period = DATE '2025-11-01') - (SELECT sum(amortized_cost) FROM costs_day WHERE billing_period = DATE '2025-11-01')), 6)")"
"$FINQ" --db "$DB" --json ask --today 2025-12-04 "cost by service last month" >"$WORK/fresh.json"
check_contains "fresh summaries are read" "$(json_get sql "$(cat "$WORK/fresh.json")")" "FROM costs_day"

# stale summaries, as an older finq leaves them (a load that did not
# rebuild them): summary_state behind the load log; no summaries at all
if build_duckexec; then
	run "$DUCKEXEC" "$DB" "UPDATE summary_state SET loads = loads - 1"
	"$FINQ" --db "$DB" --json ask --today 2025-12-04 "cost by service last month" >"$WORK/stale.json"
	check_contains "stale summaries are not read" "$(python3 -c 'import json,sys; print(repr(json.load(open(sys.argv[1]))["sql"]))' "$WORK/stale.json")" "FROM costs\n"
	run "$DUCKEXEC" "$DB" "DROP TABLE summary_state" "DROP TABLE costs_day"
	run finq "$DB" --today 2025-12-04 ask "cost by service last month"
	check_eq "a database without summaries answers" 0 "$RC"
	"$FINQ" --db "$DB" load "$DATA/cur-dev/cur1.csv.gz" >/dev/null 2>&1
	check_eq "the next load builds them again" "3,1" "$(sql_row "$DB" "SELECT loads, undos FROM summary_state")"
fi
finish
