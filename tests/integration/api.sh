#!/usr/bin/env bash
# api.sh: the HTTP API of the real `finq serve` on a free loopback port,
# over the dev data loaded in this script's work folder, with curl: every
# endpoint and its errors (malformed JSON, missing and wrong-typed fields,
# wrong content type, unknown conversation, wrong method, unknown route,
# oversize bodies, bad uploads that leave the data unchanged), the chat
# answer against `finq ask --json`, a follow-up that keeps its context,
# the stream's four events in order, conversations across a restart,
# exports, feedback and stats, the OpenAPI document against the router's
# table, security headers, the access log, a good upload that bumps the
# data version, a server started with no data, refusals to start (port in
# use, beyond loopback without a token), and SIGTERM while a request is in flight: the
# request completes and the server exits 0. The trap always stops the
# server it started.
set -u
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

DB=$WORK/dev.duckdb
TODAY=2025-12-04
SRC=$REPO/src
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"

dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"

# ---- 1. start, health, headers, web UI ----------------------------------------
start_server "$DB" || finish
check_contains "says where it serves" "$(cat "$LOG")" "finq: serving $DB at http://127.0.0.1:$PORT/ (Ctrl-C to stop)"

req GET /health
check_eq "health is 200" 200 "$STATUS"
check_py "health says ok, data loaded, version 1" '
assert d["status"] == "ok" and d["engine"] is True and d["state"] is True, d
assert d["data_loaded"] is True and d["rows"] == 161869 and d["data_version"] == 1, d'
CSP="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
for path in /health /nope /; do
	req GET "$path"
	check_eq "nosniff on $path" "nosniff" "$(header X-Content-Type-Options)"
	check_eq "frame DENY on $path" "DENY" "$(header X-Frame-Options)"
	check_eq "CSP on $path" "$CSP" "$(header Content-Security-Policy)"
done
req GET /
check_eq "GET / is 200" 200 "$STATUS"
check_contains "GET / is HTML" "$(header Content-Type)" "text/html"
etag=$(header ETag)
check_match "GET / has an ETag" "$etag" '^"[0-9a-f]+"$'
check_eq "GET / is revalidated" "no-cache" "$(header Cache-Control)"
req GET / -H "If-None-Match: $etag"
check_eq "GET / with its ETag is 304" 304 "$STATUS"
req GET / && asset=$(grep -oE '(src|href)="/assets/[^"]*"' "$WORK/.body" | head -1 | sed -E 's/^(src|href)="//; s/"$//')
if [ -n "$asset" ]; then
	req GET "$asset"
	check_eq "the page's first asset ($asset) is served" 200 "$STATUS"
fi
req GET /assets/no-such-file.js
check_error "a missing asset is 404" 404 not_found

# ---- 2. routing errors -------------------------------------------------------------
req GET /api/v1/nope
check_error "an unknown route is 404" 404 not_found
req GET /api/v1/chat
check_error "a wrong method is 405" 405 method_not_allowed
check_eq "405 says what is allowed" "POST" "$(header Allow)"
req PUT /api/v1/conversations
check_eq "405 on conversations allows GET and POST" "GET, HEAD, POST" "$(header Allow)"

# ---- 3. bad bodies ------------------------------------------------------------------
post_json /api/v1/chat '{"message": "top 3'
check_error "malformed JSON is 400" 400 invalid_json
post_json /api/v1/chat '{"conversation_id": null}'
check_error "a missing message is 400 naming it" 400 missing_field message
post_json /api/v1/chat '{"message": ["top", 3]}'
check_error "a message that is not a string is 400 naming it" 400 invalid_field message
post_json /api/v1/chat '{"message": "total", "today": "04/12/2025"}'
check_error "a bad today is 400 naming it" 400 invalid_field today
req POST /api/v1/chat -H 'Content-Type: text/plain' --data-binary '{"message": "total"}'
check_error "a JSON endpoint sent text/plain is 415" 415 unsupported_media_type
python3 -c 'import json; print(json.dumps({"message": "x" * 100000}))' >"$WORK/big.json"
req POST /api/v1/chat -H 'Content-Type: application/json' --data-binary "@$WORK/big.json"
check_error "a 100 KB JSON body is 413" 413 too_large
post_json /api/v1/chat '{"message": "and S3?", "conversation_id": "0123456789abcdef0123456789abcdef"}'
check_error "an unknown conversation is 404" 404 not_found

# ---- 4. chat: the same answer as finq ask --json, a follow-up --------------------------
Q="top 3 services last month"
post_json /api/v1/chat "{\"message\": \"$Q\"}"
check_eq "chat is 200" 200 "$STATUS"
check_contains "chat answers JSON" "$(header Content-Type)" "application/json"
chat_answer=$BODY
run finq "$DB" ask --json --today "$TODAY" "$Q"
check_eq "finq ask runs beside the server" 0 "$RC"
check "the chat answer is finq ask --json's (rows, columns, plan, sql, message, charts)" python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for k in ["rows", "columns", "plan", "sql", "message", "interpretation", "charts", "suggestions", "outcome"]:
    assert a[k] == b[k], (k, a[k], b[k])
assert set(a) == set(b), set(a) ^ set(b)
assert a["conversation_id"] != b["conversation_id"]
' "$chat_answer" "$OUT"
BODY=$chat_answer
conv=$(jget 'd["conversation_id"]')
msg1=$(jget 'd["message_id"]')
post_json /api/v1/chat "{\"message\": \"what about by account\", \"conversation_id\": \"$conv\"}"
check_py "a follow-up keeps the period and the top 3" '
p = d["plan"]
assert p["group_by"]["dimension"] == "account" and p["limit"] == 3, p
assert p["range"]["start"] == "2025-11-01" and d["followup"] is True, p'
check_eq "the follow-up stays in the conversation" "$conv" "$(jget 'd["conversation_id"]')"
post_json /api/v1/chat "{\"message\": \"unblended instead\", \"conversation_id\": \"$conv\", \"today\": \"$TODAY\"}"
check_py "a third turn changes the measure only" '
assert d["plan"]["measure"] == "unblended" and d["plan"]["group_by"]["dimension"] == "account", d["plan"]'

# ---- 5. the stream --------------------------------------------------------------------
curl -s -N -D "$WORK/.sh" -o "$WORK/stream.out" -X POST -H 'Content-Type: application/json' \
	--data-binary "{\"message\": \"cost by region in October\", \"conversation_id\": \"$conv\"}" "$BASE/api/v1/chat/stream"
check_contains "the stream is NDJSON" "$(tr -d '\r' <"$WORK/.sh")" "Content-Type: application/x-ndjson"
check "the stream sends understood, sql, rows, answer, in order" python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert [l["event"] for l in lines] == ["understood", "sql", "rows", "answer"], [l["event"] for l in lines]
u, s, r, a = lines
assert "October 2025" in u["interpretation"] and u["plan"]["group_by"]["dimension"] == "region", u
assert s["sql"].startswith("SELECT"), s
assert r["columns"] and r["rows"] == a["rows"], r
assert a["conversation_id"] == sys.argv[2] and a["message_id"] and a["message"], a
' "$WORK/stream.out" "$conv"

# ---- 6. plan and sql --------------------------------------------------------------------
post_json /api/v1/plan '{"message": "EC2 by region in October"}'
check_eq "plan is 200" 200 "$STATUS"
check_py "plan reads without running" '
assert d["plan"]["intent"] == "breakdown" and "AmazonEC2" in d["sql"], d
assert "2025-10-01 to 2025-10-31" in d["interpretation"] and "rows" not in d, d
assert d["status"] == "answered" and {"word": "ec2", "role": "name", "read_as": "service AmazonEC2"} in d["reading"], d'
post_json /api/v1/plan '{"message": "EC2 by region in euros"}'
check_py "plan says what it did not read" '
assert d["status"] == "unknown" and d["sql"] is None, d
assert {"word": "euros", "role": "unknown"} in d["reading"], d["reading"]'
post_json /api/v1/sql '{"sql": "SELECT count(*) AS n, round(sum(amortized_cost), 2) AS cost FROM costs"}'
check_eq "sql is 200" 200 "$STATUS"
expected=$(sql_row "$DB" "SELECT count(*), round(sum(amortized_cost), 2) FROM costs")
check_eq "sql counts the rows finq sql counts" "$(field 1 "$expected")" "$(jget 'd["rows"][0][0]')"
check_close "sql sums what finq sql sums" "$(field 2 "$expected")" "$(jget 'd["rows"][0][1]')" 0.005
post_json /api/v1/sql '{"sql": "DROP TABLE costs"}'
check_error "DROP is refused with 400" 400 refused
check_contains "and says why" "$(jget 'd["error"]["message"]')" "only SELECT"
post_json /api/v1/sql '{"sql": "SELECT 1; SELECT 2"}'
check_error "two statements are refused" 400 refused
post_json /api/v1/sql '{"sql": "SELECT * FROM costs", "max_rows": 3}'
check_py "max_rows keeps that many and says truncated" 'assert len(d["rows"]) == 3 and d["truncated"] is True'
post_json /api/v1/sql '{"sql": "SELECT 1", "max_rows": "3"}'
check_error "a max_rows that is not an integer is 400" 400 invalid_field max_rows

# ---- 7. conversations --------------------------------------------------------------------
post_json /api/v1/conversations '{"title": "Budget review"}'
check_eq "create is 201" 201 "$STATUS"
conv2=$(jget 'd["id"]')
check_eq "Location names it" "/api/v1/conversations/$conv2" "$(header Location)"
req POST /api/v1/conversations
check_eq "create with no body is 201" 201 "$STATUS"
post_json /api/v1/chat "{\"message\": \"top 2 accounts last month\", \"conversation_id\": \"$conv2\"}"
check_eq "chat in the new conversation" 200 "$STATUS"
req GET /api/v1/conversations
check_py "the list has both conversations" "
ids = [c['id'] for c in d['conversations']]
assert '$conv' in ids and '$conv2' in ids, ids
assert [c for c in d['conversations'] if c['id'] == '$conv'][0]['messages'] == 4"
req GET "/api/v1/conversations/$conv"
check_py "a conversation has its messages with plans and answers" '
m = d["messages"]
assert [x["question"] for x in m] == ["top 3 services last month", "what about by account", "unblended instead", "cost by region in October"], m
assert all(isinstance(x["plan"], dict) and isinstance(x["answer"], dict) for x in m)
assert m[0]["answer"]["rows"][0][0] == "AmazonEC2"'
req PATCH "/api/v1/conversations/$conv2" -H 'Content-Type: application/json' --data-binary '{"title": "Accounts in November"}'
check_py "rename" 'assert d["title"] == "Accounts in November"'
req PATCH "/api/v1/conversations/$conv2" -H 'Content-Type: application/json' --data-binary '{"title": 5}'
check_error "rename with a number is 400" 400 invalid_field title
req PATCH /api/v1/conversations/0123456789abcdef0123456789abcdef -H 'Content-Type: application/json' --data-binary '{"title": "x"}'
check_error "rename an unknown conversation is 404" 404 not_found
req GET "/api/v1/conversations/$conv/export?format=md"
check_eq "export md is 200" 200 "$STATUS"
check_contains "export md is markdown" "$(header Content-Type)" "text/markdown"
check_eq "export md is an attachment" "attachment; filename=\"finq-conversation-$conv.md\"" "$(header Content-Disposition)"
check_contains "export md has the questions" "$BODY" "## 2. what about by account"
check_contains "export md has how it was read" "$BODY" "**How I read it:** amortized cost by service, November 2025"
check_contains "export md has the SQL in a code block" "$BODY" '```sql'
check_contains "export md has the table" "$BODY" "| AmazonEC2 | Amazon Elastic Compute Cloud | 14889.01 |"
req GET "/api/v1/conversations/$conv/export?format=json"
check_eq "export json is an attachment" "attachment; filename=\"finq-conversation-$conv.json\"" "$(header Content-Disposition)"
check_py "export json is the conversation" 'assert len(d["messages"]) == 4'
req GET "/api/v1/conversations/$conv/export?format=pdf"
check_error "export in another format is 400" 400 invalid_field format
req DELETE "/api/v1/conversations/$conv2"
check_eq "delete is 204" 204 "$STATUS"
req GET "/api/v1/conversations/$conv2"
check_error "a deleted conversation is 404" 404 not_found

# ---- 8. feedback and stats -------------------------------------------------------------------
post_json /api/v1/feedback "{\"message_id\": \"$msg1\", \"helpful\": true, \"comment\": \"spot on\"}"
check_eq "feedback is 201" 201 "$STATUS"
post_json /api/v1/feedback "{\"message_id\": \"$msg1\", \"helpful\": \"yes\"}"
check_error "feedback with helpful not a boolean is 400" 400 invalid_field helpful
post_json /api/v1/feedback '{"message_id": "0123456789abcdef0123456789abcdef", "helpful": false}'
check_error "feedback on an unknown message is 404" 404 not_found
req GET /api/v1/stats
check_eq "stats is 200" 200 "$STATUS"
check_py "stats count the questions, outcomes, latency, feedback and requests" '
assert d["messages"] >= 5 and d["outcomes"]["answered"] >= 5, d
assert d["latency_ms"]["p50"] > 0 and d["feedback"]["helpful"] == 1, d
assert d["top_intents"] and d["slowest"], d
s = d["server"]
assert s["requests"] > 30 and s["requests_by_status"]["200"] > 10 and s["requests_by_status"]["400"] >= 5, s
assert s["answers"]["answered"] >= 5 and s["data_version"] == 1, s'

# ---- 9. summary, metrics, OpenAPI --------------------------------------------------------------
req GET /api/v1/data/summary
check_eq "summary is 200" 200 "$STATUS"
check_py "summary has info, month to date, top service, dates, 5 starter questions" '
assert d["summary"]["rows"] == 161869 and d["months"]["rows"], d["summary"]
assert d["date_range"] == {"first_day": "2024-11-01", "last_day": "2025-11-30"}, d["date_range"]
m = d["month_to_date"]
assert m["as_of"] == "2025-11-30" and abs(m["amount"] - 65197.77) < 0.01 and m["change_pct"] is not None, m
assert d["top_service"]["service"] == "AmazonEC2", d["top_service"]
q = d["starter_questions"]
assert len(q) == 5 and len(set(q)) == 5 and all(isinstance(x, str) and x for x in q), q
assert any("AmazonEC2" in x for x in q) and any("team" in x for x in q), q'
# every starter question is answered, not clarified
starters=$(jget '"\n".join(d["starter_questions"])')
while IFS= read -r q; do
	post_json /api/v1/chat "$(python3 -c 'import json, sys; print(json.dumps({"message": sys.argv[1]}))' "$q")"
	check_eq "starter question answered: $q" "answered" "$(jget 'd["outcome"]')"
done <<<"$starters"
req GET "/api/v1/data/summary?today=yesterday"
check_error "summary with a bad today is 400" 400 invalid_field today

# the first question again, in words of its own and a new conversation: the same plan
post_json /api/v1/chat '{"message": "which 3 services cost the most last month"}'
check_py "another wording of a plan already answered gives the same rows" "
import json
assert d['rows'] == json.loads(sys.argv[3])['rows'] and d['conversation_id'] != '$conv'" "$chat_answer"
req GET /metrics
check_eq "metrics is 200" 200 "$STATUS"
check_contains "metrics is Prometheus text" "$(header Content-Type)" "text/plain; version=0.0.4"
check_match "metrics count chat requests by route and status" "$BODY" '^finq_http_requests_total\{route="/api/v1/chat",status="200"\} [0-9]+$'
check_match "metrics count 404s of unknown routes" "$BODY" '^finq_http_requests_total\{route="unmatched",status="404"\} [0-9]+$'
check_match "metrics have a latency histogram" "$BODY" '^finq_http_request_duration_seconds_bucket\{route="/api/v1/chat",le="\+Inf"\} [0-9]+$'
check_match "metrics count answers by outcome" "$BODY" '^finq_answers_total\{outcome="answered"\} [0-9]+$'
check_match "metrics count cache hits" "$BODY" '^finq_answer_cache_hits_total [1-9][0-9]*$'
check_match "metrics count cache misses" "$BODY" '^finq_answer_cache_misses_total [1-9][0-9]*$'
check_match "metrics say the data version" "$BODY" '^finq_data_version 1$'

req GET /api/v1/openapi.json
check_eq "openapi.json is 200" 200 "$STATUS"
routes=$(sed -n 's/^[[:space:]]*{ "\([A-Z]*\)", "\([^"]*\)", api_[a-z_]*, \(true\|false\) },$/\1 \2/p' "$SRC/serve/api.c")
check_ne "the router's table is readable from src/serve/api.c" "" "$routes"
check "the OpenAPI document lists every route of the router" python3 -c '
import json, sys
doc = json.loads(sys.argv[1])
assert doc["openapi"].startswith("3."), doc["openapi"]
missing = []
for line in sys.argv[2].splitlines():
    method, path = line.split()
    path = path.replace("*}", "}")
    if method.lower() not in doc["paths"].get(path, {}):
        missing.append(line)
assert not missing, missing
' "$BODY" "$routes"
check "the OpenAPI document gives the bearer scheme and 401/429 on every API operation" python3 -c '
import json, sys
doc = json.loads(sys.argv[1])
assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
lacking = [f"{m} {p}" for p, ops in doc["paths"].items() if p.startswith("/api/")
           for m, op in ops.items() if not {"401", "429"} <= set(op["responses"])]
assert not lacking, lacking
' "$BODY"

# ---- 10. uploads: bad ones change nothing, a good one bumps the version ---------------------
snapshot_api() {
	post_json /api/v1/sql '{"sql": "SELECT count(*), round(sum(amortized_cost), 4), (SELECT count(*) FROM loads) FROM costs"}'
	printf '%s' "$BODY"
}
before=$(snapshot_api)
printf 'hello,world\n1,2\n' >"$WORK/bad.csv"
req POST /api/v1/data -F "file=@$WORK/bad.csv"
check_error "an upload that is not an export is 422" 422 unprocessable
check_contains "and names the file as the client did" "$(jget 'd["error"]["message"]')" "'bad.csv'"
check_not_contains "not by the server's path" "$(jget 'd["error"]["message"]')" "finq-uploads"
head -c 4000 "$DATA/cur-dev/cur2.csv.gz" >"$WORK/truncated.csv.gz"
req POST /api/v1/data -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/truncated.csv.gz"
check_error "a truncated gzip is 422" 422 unprocessable
req POST /api/v1/data -H 'Content-Type: application/octet-stream'
check_error "an empty upload is 400" 400 invalid_body
req POST /api/v1/data -F "comment=no file"
check_error "a form without a file is 400" 400 invalid_body
req POST /api/v1/data -H 'Content-Type: application/json' --data-binary '{}'
check_error "an upload as JSON is 415" 415 unsupported_media_type
check_eq "bad uploads leave the data as it was" "$before" "$(snapshot_api)"
req GET /health
check_eq "bad uploads leave the data version" 1 "$(jget 'd["data_version"]')"

req POST /api/v1/data -F "file=@$DATA/cur-dev/focus.csv.gz"
check_eq "a FOCUS upload is 200" 200 "$STATUS"
check_py "the upload is loaded like finq load and the summary returned" '
l = d["load"]
assert l["name"] == "focus.csv.gz" and l["rows"] == 12498 and l["replaced"] == 12498, l
assert l["formats"] == "focus-csv.gz" and l["data_version"] == 2, l
assert d["summary"]["data_version"] == 2 and len(d["summary"]["starter_questions"]) == 5, d["summary"]'
req GET /health
check_py "health shows the new data version" 'assert d["data_version"] == 2 and d["rows"] == 161869, d'
req GET /metrics
misses_before=$(sed -n 's/^finq_answer_cache_misses_total //p' <<<"$BODY")
post_json /api/v1/chat "{\"message\": \"$Q\"}"
check_eq "chat after the upload" 200 "$STATUS"
req GET /metrics
check_eq "the load invalidated the cache: a miss" "$((misses_before + 1))" "$(sed -n 's/^finq_answer_cache_misses_total //p' <<<"$BODY")"
check_match "metrics say version 2" "$BODY" '^finq_data_version 2$'

# ---- 11. the access log, refusals to start ---------------------------------------------------------
check_match "one access-log line per request: method, path, status, ms" "$(cat "$LOG")" \
	'Z POST /api/v1/chat 200 [0-9.]+ ms$'
check_match "the access log has errors too" "$(cat "$LOG")" 'Z GET /api/v1/nope 404 [0-9.]+ ms$'
run "$FINQ" --db "$DB" serve --port "$PORT"
check_eq "a port in use exits 4" 4 "$RC"
check_contains "and says the port is in use" "$ERR" "in use"
run "$FINQ" --db "$DB" serve --host 0.0.0.0 --port 0
check_eq "serving beyond loopback without an API token exits 2" 2 "$RC"
check_contains "and says how to make one" "$ERR" "finq token create"

# ---- 12. SIGTERM with a request in flight; a restart keeps conversations ------------------------------
# a slow upload is in flight from its headers until its last byte
curl -s -o "$WORK/slow.out" -w '%{http_code}' --limit-rate 150K -F "file=@$DATA/cur-dev/focus.csv.gz" \
	"$BASE/api/v1/data" >"$WORK/slow.status" 2>/dev/null &
slow=$!
sleep 1.5
kill -TERM "$SERVER_PID"
sleep 0.5
if curl -s -m 2 -o /dev/null "$BASE/health"; then
	not_ok "after SIGTERM, new connections are refused" "a new connection was answered"
else
	ok "after SIGTERM, new connections are refused"
fi
wait "$slow"
check_eq "the request in flight completes" 200 "$(cat "$WORK/slow.status")"
check_contains "and is answered in full" "$(cat "$WORK/slow.out")" '"data_version":3'
wait "$SERVER_PID"
SERVER_RC=$?
SERVER_PID=
check_eq "the server exits 0 after SIGTERM" 0 "$SERVER_RC"
check_contains "and says it stopped" "$(tail -3 "$LOG")" "finq: stopped"
check "the upload folder is removed" test -z "$(find "$WORK" -maxdepth 1 -name '.finq-uploads-*')"

start_server "$DB" --max-upload 1MB || finish
req GET "/api/v1/conversations/$conv"
check_eq "a conversation survives a restart" 200 "$STATUS"
check_py "with its four messages" 'assert len(d["messages"]) == 4, len(d["messages"])'
post_json /api/v1/chat "{\"message\": \"only EC2\", \"conversation_id\": \"$conv\"}"
check_py "and a follow-up after the restart keeps its context" '
f = d["plan"]["filters"]
assert d["followup"] is True and d["plan"]["group_by"]["dimension"] == "region", d["plan"]
assert any(x["values"] == ["AmazonEC2"] for x in f), f'
req POST /api/v1/data -H 'Content-Type: application/octet-stream' --data-binary "@$DATA/cur-dev/cur1.csv.gz"
check_error "an upload over --max-upload is 413" 413 too_large
check_contains "and says the limit" "$(jget 'd["error"]["message"]')" "1 MB"
req POST /api/v1/data -F "file=@$DATA/cur-dev/cur1.csv.gz"
check_error "a form over --max-upload is 413" 413 too_large
req GET /health
check_eq "the data version restarts at 1" 1 "$(jget 'd["data_version"]')"
stop_server
check_eq "SIGTERM on an idle server exits 0" 0 "$SERVER_RC"

# ---- 13. a server with no data yet ----------------------------------------------------------------
mkdir -p "$WORK/empty"
start_server "$WORK/empty/new.duckdb" || finish
check_contains "says there is no data yet" "$(cat "$LOG")" "no cost data in '$WORK/empty/new.duckdb' yet"
req GET /health
check_py "health says no data" 'assert d["status"] == "ok" and d["data_loaded"] is False and d["data_version"] == 0, d'
post_json /api/v1/chat '{"message": "total cost last month"}'
check_error "chat without data is 503" 503 no_data
req GET /api/v1/data/summary
check_error "summary without data is 503" 503 no_data
req GET /api/v1/conversations
check_py "conversations work without data" 'assert "conversations" in d'
req POST /api/v1/data -H 'Content-Type: application/octet-stream' --data-binary "@$DATA/cur-dev/focus.csv.gz"
check_eq "an upload creates the database" 200 "$STATUS"
post_json /api/v1/chat '{"message": "total cost in November 2025"}'
check_py "and questions are answered" 'assert d["outcome"] == "answered" and len(d["rows"]) == 1, d'
stop_server
check_eq "and it stops cleanly" 0 "$SERVER_RC"

finish
