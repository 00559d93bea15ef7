#!/usr/bin/env bash
# serve_limits.sh: `finq serve --max-statement` and `--max-result` (issue 14,
# "Limits that hold"), against the real server on loopback:
#   1. /api/v1/sql: a statement past --max-statement is 413
#      statement_too_large (field sql) before it takes a slot; one under it
#      runs; a result past --max-result is 422 limit_exceeded; too many
#      CTEs or too deep a nesting is 422 limit_exceeded; every error is
#      finq's JSON shape, never an HTML page
#   2. generated answers: a question whose SQL is longer than
#      --max-statement is 422 limit_exceeded on /chat and an "error" event
#      on /chat/stream, and the next question under the cap is answered
#   3. the body cap of /sql follows --max-statement: a 100 kB statement
#      runs with --max-statement 200000; with the default, a 100 kB one is
#      413 statement_too_large and a 200 kB body the adapter's 413 too_large
#   4. the options' values are checked (exit 2 with a message), and
#      `serve --help` documents both with their defaults
#   5. a question's answer past --max-result (12,000 resources with 250-byte
#      ids, "cost by resource"): 422 limit_exceeded on /chat and an "error"
#      event on /chat/stream; a new conversation is not kept (before, it
#      stayed with no owner and only the failed turn); in a conversation
#      that goes on, the turn is kept as "failed" with no answer, the
#      answered turn stays its context, and the server answers the next
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"

TODAY=2025-12-04
DB=$WORK/limits.duckdb
dev_data "$DB" focus.csv.gz
check_eq "the test database loads" 0 "$RC"

# the JSON body of /sql for a statement
sql_body() { python3 -c 'import json, sys; print(json.dumps({"sql": sys.argv[1]}))' "$1"; }
check_json_error() {
	check_error "$@"
	check_contains "$1: JSON, not HTML" "$(header Content-Type)" "application/json"
}

# ---- 4. the options --------------------------------------------------------------------------
run finq "$DB" serve --help
check_match "--help documents --max-statement and its default" "$OUT" "--max-statement BYTES.*default 65536"
check_match "--help documents --max-result and its default" "$OUT" "--max-result MB.*default 64"
for bad in "--max-statement 0" "--max-statement 2000000" "--max-statement 1k" "--max-result 0" \
	"--max-result lots" "--max-result 70000"; do
	# shellcheck disable=SC2086 # the option and its value are two words
	run finq "$DB" serve --port 0 $bad
	check_eq "serve $bad: exit 2" 2 "$RC"
	check_match "serve $bad: says what it takes" "$ERR" "takes (bytes|megabytes) from 1 to"
done

# ---- 1 and 2: a server with low caps -----------------------------------------------------------
start_server "$DB" --max-statement 300 --max-result 1 || finish
long="SELECT '$(printf 'x%.0s' $(seq 1 400))' AS s"
post_json /api/v1/sql "$(sql_body "$long")"
check_json_error "sql: 420 bytes past --max-statement 300" 413 statement_too_large sql
check_match "sql: the message gives the size, the limit and the option" "$(jget 'd["error"]["message"]')" \
	"statement is 4[0-9][0-9] bytes, more than the limit of 300 \(finq serve --max-statement\)"
post_json /api/v1/sql "$(sql_body "SELECT 41 + 1 AS n")"
check_eq "sql: a statement under the cap runs" '[[42]]' "$(jget 'd["rows"]')"
post_json /api/v1/sql "$(sql_body "SELECT repeat('x', 100000) AS s FROM range(20)")"
check_json_error "sql: a 2 MB result past --max-result 1" 422 limit_exceeded
check_match "sql: the message says the result is larger than 1 MB" "$(jget 'd["error"]["message"]')" \
	"result is larger than 1 MB"
post_json /api/v1/sql "$(sql_body "SELECT repeat('x', 1000) AS s FROM range(20)")"
check_eq "sql: a 20 kB result under the cap is answered" 200 "$STATUS"
nested="SELECT $(printf '(%.0s' $(seq 1 100))1$(printf ')%.0s' $(seq 1 100)) AS n"
post_json /api/v1/sql "$(sql_body "$nested")"
check_json_error "sql: 100 nested parentheses" 422 limit_exceeded
check_match "sql: the message says how deep" "$(jget 'd["error"]["message"]')" "nests parentheses 100 deep"

# a question whose generated statement is longer than the cap (read, not run, by /plan)
QUESTION="EC2, S3, Lambda, CloudWatch and RDS cost by account excluding Ireland in November 2025"
post_json /api/v1/plan "$(python3 -c 'import json, sys; print(json.dumps({"message": sys.argv[1]}))' "$QUESTION")"
gen_len=$(jget 'len(d["sql"] or "")')
check "the question's SQL is longer than 300 bytes (${gen_len:-?})" test "${gen_len:-0}" -gt 300
body=$(python3 -c 'import json, sys; print(json.dumps({"message": sys.argv[1]}))' "$QUESTION")
post_json /api/v1/chat "$body"
check_json_error "chat: a generated statement past --max-statement" 422 limit_exceeded
check_match "chat: the message gives the limit" "$(jget 'd["error"]["message"]')" "more than the limit of 300"
req POST /api/v1/chat/stream -H 'Content-Type: application/json' --data-binary "$body"
last=$(tail -1 <<<"$BODY")
check_eq "stream: the same ends with an error event" "error limit_exceeded" \
	"$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["event"], d["error"]["code"])' "$last" 2>&1)"
post_json /api/v1/chat '{"message": "total cost in November 2025"}'
check_eq "chat: a question under the cap is answered" 200 "$STATUS"
check_match "chat: with its figure" "$(jget 'd["message"]')" "[0-9]"
stop_server

# ---- 3. the body cap follows --max-statement ---------------------------------------------------
printf '{"sql": "SELECT length(%s%s%s) AS n"}' "'" "$(head -c 100000 /dev/zero | tr '\0' x)" "'" >"$WORK/100k.json"
printf '{"sql": "SELECT length(%s%s%s) AS n"}' "'" "$(head -c 200000 /dev/zero | tr '\0' x)" "'" >"$WORK/200k.json"
start_server "$DB" --max-statement 200000 || finish
req POST /api/v1/sql -H 'Content-Type: application/json' --data-binary "@$WORK/100k.json"
check_eq "a 100 kB statement runs under --max-statement 200000" '[[100000]]' "$(jget 'd["rows"]')"
stop_server
start_server "$DB" || finish
req POST /api/v1/sql -H 'Content-Type: application/json' --data-binary "@$WORK/100k.json"
check_json_error "default: a 100 kB statement past 64 KiB" 413 statement_too_large sql
req POST /api/v1/sql -H 'Content-Type: application/json' --data-binary "@$WORK/200k.json"
check_json_error "default: a 200 kB body past the /sql body cap" 413 too_large
python3 -c 'import json; print(json.dumps({"sql": "WITH " + ", ".join("c%d AS (SELECT %d)" % (i, i) for i in range(100)) + " SELECT 1"}))' \
	>"$WORK/ctes.json"
req POST /api/v1/sql -H 'Content-Type: application/json' --data-binary "@$WORK/ctes.json"
check_json_error "default: 100 CTEs" 422 limit_exceeded
check_match "default: the message counts them" "$(jget 'd["error"]["message"]')" "100 subqueries"
stop_server

# ---- 5. a question's answer past --max-result -------------------------------------------------
# one November line of the FOCUS export, 12,000 times with a 250-byte
# resource id each: "cost by resource" is about 3 MB of cells (10,000 rows kept)
python3 - "$DATA/cur-dev/focus.csv.gz" "$WORK/wide.csv" <<'PY2'
import csv, gzip, sys
r = csv.reader(gzip.open(sys.argv[1], "rt", newline=""))
header = next(r)
day, cost, rid = (header.index(c) for c in ("ChargePeriodStart", "EffectiveCost", "ResourceId"))
base = next(row for row in r if row[day].startswith("2025-11") and float(row[cost] or 0) > 0)
w = csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n")
w.writerow(header)
for i in range(12000):
    base[rid] = "arn:aws:ec2:us-east-1:123456789012:instance/i-%06d-%s" % (i, "x" * 200)
    w.writerow(base)
PY2
WDB=$WORK/wide.duckdb
run finq "$WDB" load --no-progress "$WORK/wide.csv"
check_eq "the wide test database loads" 0 "$RC"
WIDE='{"message": "cost by resource in November 2025", "today": "2025-12-04"}'
conversations() { req GET /api/v1/conversations && jget 'len(d["conversations"])'; }
start_server "$WDB" --max-result 1 || finish
post_json /api/v1/chat "$WIDE"
check_json_error "chat: an answer past --max-result 1" 422 limit_exceeded
check_match "chat: the message says the result is larger than 1 MB" "$(jget 'd["error"]["message"]')" \
	"result is larger than 1 MB"
check_eq "chat: a failed first question keeps no conversation" 0 "$(conversations)"
req POST /api/v1/chat/stream -H 'Content-Type: application/json' --data-binary "$WIDE"
check_eq "stream: the same ends with an error event" "error limit_exceeded" \
	"$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["event"], d["error"]["code"])' \
		"$(tail -1 <<<"$BODY")" 2>&1)"
check_eq "stream: and keeps no conversation either" 0 "$(conversations)"
post_json /api/v1/chat '{"message": "total cost in November 2025", "today": "2025-12-04"}'
check_eq "chat: a question with a small answer is answered" 200 "$STATUS"
CONV=$(jget 'd["conversation_id"]')
post_json /api/v1/chat "$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); d["conversation_id"] = sys.argv[2]
print(json.dumps(d))' "$WIDE" "$CONV")"
check_json_error "chat: the wide question in that conversation" 422 limit_exceeded
req GET "/api/v1/conversations/$CONV"
check_eq "the conversation keeps both turns, the second failed with no answer" \
	"answered True failed None" \
	"$(jget '" ".join("%s %s" % (m["outcome"], m["answer"] if m["answer"] is None else True) for m in d["messages"])')"
post_json /api/v1/chat "$(python3 -c 'import json, sys; print(json.dumps({"message": "by service", "today": "2025-12-04",
"conversation_id": sys.argv[1]}))' "$CONV")"
check_eq "a follow-up after it is answered" 200 "$STATUS"
check_eq "from the answered turn's plan (November 2025)" "2025-11-01" "$(jget 'd["plan"]["range"]["start"]')"
check_eq "one conversation in all" 1 "$(conversations)"
stop_server

finish
