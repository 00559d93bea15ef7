#!/usr/bin/env bash
# summaries.sh: the daily summary tables a load builds (costs_day,
# costs_day_detail, costs_day_tag; src/load/schema.c) answer exactly what
# the line items answer (src/sql/sqlgen.c picks the smallest table that
# holds a plan's columns).
#   - a load builds them, with summary_state naming the loads they reflect;
#     their sums equal the line items' by month; every slice of the tag
#     summary holds all the cost, and each tag value the cost of its rows
#   - the vocabulary, read from the summaries, equals the one read from
#     the line items
#   - every answerable question of tests/data/questions.txt (follow-ups
#     aside) and the tag questions below gets the same rows from a server
#     reading the summaries and from one told not to (FINQ_SUMMARIES=off);
#     most of them do read a summary; questions on one tag key or
#     "untagged" read costs_day_tag_value (nothing but dates and charge
#     types beside) or costs_day_tag, two keys and resources the line items
#   - `loads undo` rebuilds them; a database whose summaries are stale
#     (summary_state behind the load log) answers from the line items
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=http.sh
. "$(dirname "$0")/http.sh"

DB=$WORK/sum.duckdb
QUESTIONS=$(cd "$(dirname "$0")/../data" && pwd -P)/questions.txt

dev_data "$DB" cur2.parquet # a load of cur2.parquet by the binary under test
# What the checks below read, in one finq process (a process costs 0.12 s
# before any work, 0.35 s under ASan): one scalar subquery a check.
sql_cols "$DB" "SELECT (SELECT loads || ',' || undos FROM summary_state),
	(SELECT count(*) FROM (SELECT billing_period, sum(amortized_cost) a, sum(unblended_cost) u, sum(coalesce(usage_amount, 0)) q FROM costs GROUP BY 1) c FULL JOIN (SELECT billing_period, sum(amortized_cost) a, sum(unblended_cost) u, sum(coalesce(usage_amount, 0)) q FROM costs_day GROUP BY 1) s USING (billing_period) WHERE s.a IS NULL OR c.a IS NULL OR abs(c.a - s.a) > 1e-9 * greatest(1, abs(c.a)) OR abs(c.u - s.u) > 1e-9 * greatest(1, abs(c.u)) OR abs(c.q - s.q) > 1e-9 * greatest(1, abs(c.q))),
	(SELECT count(*) FROM (SELECT billing_period, sum(amortized_cost) a, sum(unblended_cost) u, sum(coalesce(usage_amount, 0)) q FROM costs GROUP BY 1) c FULL JOIN (SELECT billing_period, sum(amortized_cost) a, sum(unblended_cost) u, sum(coalesce(usage_amount, 0)) q FROM costs_day_detail GROUP BY 1) s USING (billing_period) WHERE s.a IS NULL OR c.a IS NULL OR abs(c.a - s.a) > 1e-9 * greatest(1, abs(c.a)) OR abs(c.u - s.u) > 1e-9 * greatest(1, abs(c.u)) OR abs(c.q - s.q) > 1e-9 * greatest(1, abs(c.q))),
	(SELECT (SELECT count(*) FROM costs_day) < (SELECT count(*) FROM costs)),
	(SELECT count(DISTINCT k) + 1 FROM (SELECT unnest(map_keys(tags)) AS k FROM costs)),
	(SELECT count(DISTINCT coalesce(tag_key, '')) FROM costs_day_tag),
	(SELECT count(*) FROM (SELECT DISTINCT tag_key FROM costs_day_tag) k CROSS JOIN (SELECT billing_period, sum(amortized_cost) a, sum(coalesce(usage_amount, 0)) q, count(*) n FROM costs GROUP BY 1) c LEFT JOIN (SELECT tag_key, billing_period, sum(amortized_cost) a, sum(coalesce(usage_amount, 0)) q, sum(line_items) n FROM costs_day_tag GROUP BY 1, 2) s ON s.tag_key IS NOT DISTINCT FROM k.tag_key AND s.billing_period = c.billing_period WHERE s.a IS NULL OR abs(c.a - s.a) > 1e-9 * greatest(1, abs(c.a)) OR abs(c.q - s.q) > 1e-9 * greatest(1, abs(c.q)) OR c.n <> s.n),
	(SELECT count(*) FROM (SELECT k, tags[k] AS v, sum(amortized_cost) a FROM (SELECT unnest(map_keys(tags)) AS k, tags, amortized_cost FROM costs) GROUP BY 1, 2 UNION ALL SELECT NULL, 'untagged', sum(amortized_cost) FROM costs WHERE len(list_filter(map_keys(tags), k -> NOT starts_with(k, 'aws_'))) = 0) c FULL JOIN (SELECT tag_key AS k, tag_value AS v, sum(amortized_cost) a FROM costs_day_tag WHERE tag_value IS NOT NULL GROUP BY 1, 2 UNION ALL SELECT NULL, 'untagged', sum(amortized_cost) FROM costs_day_tag WHERE tag_key IS NULL AND untagged) s ON s.k IS NOT DISTINCT FROM c.k AND s.v = c.v WHERE s.a IS NULL OR c.a IS NULL OR abs(c.a - s.a) > 1e-9 * greatest(1, abs(c.a))),
	(SELECT count(*) FROM (SELECT tag_key, tag_value, untagged, usage_date, charge_type, sum(amortized_cost) a, sum(line_items) n FROM costs_day_tag GROUP BY ALL) t FULL JOIN costs_day_tag_value v ON v.tag_key IS NOT DISTINCT FROM t.tag_key AND v.tag_value IS NOT DISTINCT FROM t.tag_value AND v.untagged = t.untagged AND v.usage_date = t.usage_date AND v.charge_type IS NOT DISTINCT FROM t.charge_type WHERE v.amortized_cost IS NULL OR t.a IS NULL OR abs(v.amortized_cost - t.a) > 1e-9 * greatest(1, abs(t.a)) OR v.line_items <> t.n),
	(SELECT (SELECT count(*) FROM costs_day_tag_value WHERE tag_key = 'team') < (SELECT count(*) FROM costs_day_tag WHERE tag_key = 'team')),
	(WITH old AS (
SELECT 'service' d, NULL k, service_code v, sum(amortized_cost) c FROM costs WHERE service_code IS NOT NULL GROUP BY 3
UNION ALL SELECT 'account', NULL, account_id, sum(amortized_cost) FROM costs WHERE account_id IS NOT NULL GROUP BY 3
UNION ALL SELECT 'region', NULL, region, sum(amortized_cost) FROM costs WHERE region IS NOT NULL GROUP BY 3
UNION ALL SELECT 'availability_zone', NULL, availability_zone, sum(amortized_cost) FROM costs WHERE availability_zone IS NOT NULL GROUP BY 3
UNION ALL SELECT 'usage_type', NULL, usage_type, sum(amortized_cost) FROM costs WHERE usage_type IS NOT NULL GROUP BY 3
UNION ALL SELECT 'operation', NULL, operation, sum(amortized_cost) FROM costs WHERE operation IS NOT NULL GROUP BY 3
UNION ALL SELECT 'instance_type', NULL, instance_type, sum(amortized_cost) FROM costs WHERE instance_type IS NOT NULL GROUP BY 3
UNION ALL SELECT 'charge_type', NULL, charge_type, sum(amortized_cost) FROM costs WHERE charge_type IS NOT NULL GROUP BY 3
UNION ALL SELECT 'service_category', NULL, service_category, sum(amortized_cost) FROM costs WHERE service_category IS NOT NULL GROUP BY 3
UNION ALL SELECT 'pricing_term', NULL, pricing_term, sum(amortized_cost) FROM costs WHERE pricing_term IS NOT NULL GROUP BY 3
UNION ALL SELECT 'provider', NULL, provider, sum(amortized_cost) FROM costs GROUP BY 3
UNION ALL SELECT 'currency', NULL, currency, sum(amortized_cost) FROM costs WHERE currency IS NOT NULL GROUP BY 3
UNION ALL SELECT 'usage_unit', NULL, usage_unit, sum(amortized_cost) FROM costs WHERE usage_unit IS NOT NULL GROUP BY 3
UNION ALL SELECT 'tag', k, v, sum(amortized_cost) FROM (SELECT unnest(map_keys(tags)) AS k, unnest(map_values(tags)) AS v, amortized_cost FROM costs) GROUP BY 2, 3
UNION ALL SELECT 'tag_key', k, NULL, sum(amortized_cost) FROM (SELECT unnest(map_keys(tags)) AS k, amortized_cost FROM costs) GROUP BY 2)
SELECT count(*) FROM old FULL JOIN vocabulary n ON n.dim = old.d AND n.tag_key IS NOT DISTINCT FROM old.k AND n.value IS NOT DISTINCT FROM old.v
WHERE n.dim IS NULL OR old.d IS NULL OR abs(n.cost - old.c) > 1e-9 * greatest(1, abs(old.c))),
	(SELECT count(*) FILTER (WHERE dim = 'tag') > 10 AND count(*) FILTER (WHERE dim = 'tag_key') > 2 FROM vocabulary),
	(SELECT count(*) FROM vocabulary n WHERE dim IN ('service', 'account') AND name IS DISTINCT FROM (SELECT any_value(CASE WHEN n.dim = 'service' THEN service_name ELSE account_name END) FROM costs WHERE (n.dim = 'service' AND service_code = n.value) OR (n.dim = 'account' AND account_id = n.value)))"
check_eq "the load builds summary_state for its load" "1,0" "${COLS[0]:-}"
i=1
for t in costs_day costs_day_detail; do
	check_eq "$t sums equal the line items' by month" "0" "${COLS[$i]:-}"
	i=$((i + 1))
done
check "costs_day is smaller than the line items" test "${COLS[3]:-}" = true
check_eq "costs_day_tag: a slice per tag key of the data and one for untagged" "${COLS[4]:-}" "${COLS[5]:-}"
check_eq "costs_day_tag: every slice's sums equal the line items' by month" "0" "${COLS[6]:-}"
check_eq "costs_day_tag: each tag value's cost and untagged cost equal the line items'" "0" "${COLS[7]:-}"
check_eq "costs_day_tag_value: each slice's sums by value, untagged, day and charge type equal costs_day_tag's" "0" \
	"${COLS[8]:-}"
check "costs_day_tag_value is smaller than a costs_day_tag slice" test "${COLS[9]:-}" = true

# the vocabulary as it was read from the line items before the summaries
# held it: the same names, and the same costs
check_eq "the vocabulary from the summaries equals the one from the line items" "0" "${COLS[10]:-}"
check "the vocabulary has tag values and tag keys" test "${COLS[11]:-}" = true
check_eq "the vocabulary names each service and account as the line items do" "0" "${COLS[12]:-}"

# tag questions of our own (the dev data's keys: team, env, project,
# cost_center), as lines of questions.txt; two keys read the line items
cat "$QUESTIONS" - >"$WORK/questions.txt" <<'QUESTIONS'
2025-12-04 | cost by team last quarter
2025-12-04 | cost by cost_center last month
2025-12-04 | what did team platform spend on EC2 last month
2025-12-04 | what did the payments team spend on S3 in october
2025-12-04 | daily cost of team search in november
2025-12-04 | monthly cost by team this year
2025-12-04 | weekly cost by env last month
2025-12-04 | untagged spend by account last month
2025-12-04 | untagged spend last quarter
2025-12-04 | tagged spend by service last month
2025-12-04 | spend without an env tag by service last month
2025-12-04 | spend without an env tag last month
2025-12-04 | top 3 teams last month
2025-12-04 | cost by team excluding taxes last month
2025-12-04 | production spend by service last month
2025-12-04 | cost by env in October vs November
2025-12-04 | biggest movers by team last month
2025-12-04 | average daily cost by team last month
2025-12-04 | run rate of team platform
2025-12-04 | unblended cost by project last month
2025-12-04 | net cost by team in november
2025-12-04 | cost by team for EC2 excluding us-east-1 last month
2025-12-04 | cost by team and env last month
2025-12-04 | EC2 usage by team last month
2025-12-04 | share of last month's spend without a team tag
QUESTIONS
QUESTIONS=$WORK/questions.txt

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
check_files "one tag key or untagged reads costs_day_tag; tags read from the MAP and resources read the line items" '
import json, sys
w = json.load(open(sys.argv[1]))
tagged = 0
for q, a in w.items():
    if "tags[" in a["sql"] or "resource_id" in a["sql"] or "map_keys" in a["sql"]:
        assert "costs_day" not in a["sql"], q
    if "FROM costs_day_tag" in a["sql"]:
        tagged += 1
for q in ("2025-12-04 cost by team last quarter", "2025-12-04 untagged spend by account last month",
          "2025-12-04 what did team platform spend on EC2 last month", "2025-12-04 cost by team excluding taxes last month"):
    assert "FROM costs_day_tag" in w[q]["sql"], (q, w[q]["sql"])
# a key with only dates and charge types beside it: the tag values table
for q in ("2025-12-04 cost by team last quarter", "2025-12-04 cost by team excluding taxes last month",
          "2025-12-04 untagged spend last quarter", "2025-12-04 spend without an env tag last month",
          "2025-12-04 monthly cost by team this year", "2025-12-04 run rate of team platform"):
    assert "FROM costs_day_tag_value" in w[q]["sql"], (q, w[q]["sql"])
for q in ("2025-12-04 untagged spend by account last month", "2025-12-04 what did team platform spend on EC2 last month"):
    assert "FROM costs_day_tag\n" in w[q]["sql"], (q, w[q]["sql"])
for q in ("2025-12-04 cost by team and env last month", "2025-12-04 cost by team for EC2 excluding us-east-1 last month",
          "2025-12-04 EC2 usage by team last month"):
    assert "costs_day" not in w[q]["sql"], (q, w[q]["sql"])
assert tagged >= 25, tagged
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
# the fees of one side (service/lumps.c) read with the tag summary's
# columns: they were lost when its statement spelled the tags MAP
"$FINQ" --db "$DB" --json ask --today 2025-12-04 "untagged spend this month vs last month" >"$WORK/lumps.json"
check_contains "a tag comparison from a tag summary reads its table" "$(json_get sql "$(cat "$WORK/lumps.json")")" "FROM costs_day_tag"
check_contains "... and tells one side's fees apart, as from the line items" "$(json_get message "$(cat "$WORK/lumps.json")")" "of fees charged on"

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
