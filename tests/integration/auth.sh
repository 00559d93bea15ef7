#!/usr/bin/env bash
# auth.sh: access control and hard limits of the real `finq serve`, with
# curl and a raw socket: `finq token create|list|revoke` (shown once, kept
# hashed, a duplicate name refused, list never shows a secret); a server
# bound beyond loopback refuses to start without a token, and once it has
# one answers 401 to requests without it, with a malformed, unknown or
# revoked one (revoked while it runs), and 200 to a valid one, while the
# web UI's files and a /health that says nothing else stay open; on
# loopback a token is optional but a bad one is still refused; the rate
# limit answers 429 with Retry-After per address and per token; CORS
# headers only for the configured origin (and its preflight), none by
# default; the security headers on the UI and the API; 413 for a big body
# and a long question; 400 naming the field; 404 and 405; and a request
# sent half-way and left hanging is timed out while the server keeps
# answering others. The servers start with no cost data: nothing here
# needs it. The trap always stops the server it started.
set -u
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

DB=$WORK/auth.duckdb
ORIGIN=https://app.example.com
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"

# with_token TOKEN METHOD PATH [curl options...]
with_token() {
	local token=$1
	shift
	req "$@" -H "Authorization: Bearer $token"
}

# ---- 1. tokens on the command line ---------------------------------------------------------
run finq "$DB" token list
check_eq "token list with none exits 0" 0 "$RC"
check_contains "and says how to make one" "$OUT" "finq token create"
run finq "$DB" token create ci
check_eq "token create exits 0" 0 "$RC"
TOKEN=$OUT
check_match "the token is printed alone on stdout, finq_ and 43 base64url characters" "$TOKEN" '^finq_[A-Za-z0-9_-]{43}$'
check_contains "stderr says it is shown once" "$ERR" "shown only this once"
run finq "$DB" token create ci
check_eq "a duplicate name exits 2" 2 "$RC"
check_contains "and says so" "$ERR" "a token named 'ci' exists already"
run finq "$DB" token create "two words"
check_eq "a bad name exits 2" 2 "$RC"
run finq "$DB" token create
check_eq "create without a name exits 2" 2 "$RC"
run finq "$DB" token frobnicate
check_eq "an unknown action exits 2" 2 "$RC"
run finq "$DB" token create old
OLD=$OUT
check_ne "two tokens differ" "$TOKEN" "$OLD"
run finq "$DB" token list
check_match "list shows the names, never used" "$OUT" '^ci +read +[0-9T:.-]+Z +never$'
check_not_contains "list never shows a token" "$OUT" "finq_"
run finq "$DB" --json token list
check "list --json has names and times, no secret or hash" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [t["name"] for t in d["tokens"]] == ["ci", "old"], d
assert all(set(t) == {"name", "role", "created_at", "last_used_at"} for t in d["tokens"]), d
' "$OUT"
STATE=$WORK/auth.state.sqlite
if grep -aq "$TOKEN" "$STATE"* 2>/dev/null; then
	not_ok "the state file does not hold the token" "found in $STATE"
else
	ok "the state file does not hold the token"
fi
hash=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
check_eq "it holds the token's SHA-256" "ci" \
	"$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT name FROM api_tokens WHERE hash = ?", (sys.argv[2],)).fetchone()[0])' "$STATE" "$hash")"
run finq "$DB" token revoke old
check_eq "revoke exits 0" 0 "$RC"
check_contains "and says so" "$OUT" "revoked token 'old'"
run finq "$DB" token revoke old
check_eq "revoking it again exits 1" 1 "$RC"
check_contains "and names it" "$ERR" "no token named 'old'"

# ---- 2. beyond loopback: no token, no server ----------------------------------------------------
run "$FINQ" --db "$WORK/none.duckdb" serve --host 0.0.0.0 --port 0
check_eq "serving on 0.0.0.0 without tokens exits 2" 2 "$RC"
check_contains "and says why" "$ERR" "refusing to serve on '0.0.0.0', beyond loopback, without an API token"
check_contains "and how" "$ERR" "finq token create NAME"
run "$FINQ" --db "$DB" serve --cors-origin '*'
check_eq "a wildcard CORS origin is refused" 2 "$RC"
run "$FINQ" --db "$DB" serve --rate-limit -3
check_eq "a negative rate limit is refused" 2 "$RC"
run "$FINQ" --db "$DB" serve --timeout 0
check_eq "a zero timeout is refused" 2 "$RC"

# ---- 3. beyond loopback with a token --------------------------------------------------------------
start_server "$DB" --host 0.0.0.0 --cors-origin "$ORIGIN" --timeout 2 --rate-limit 0 || finish
check_contains "says tokens are required" "$(cat "$LOG")" "API tokens required (1 stored"
req GET /api/v1/conversations
check_error "no token: 401" 401 unauthorized
check_eq "with a Bearer challenge" 'Bearer realm="finq"' "$(header WWW-Authenticate)"
check_contains "saying how to send one" "$(jget 'd["error"]["message"]')" "Authorization: Bearer"
with_token "finq_$(printf 'A%.0s' $(seq 43))" GET /api/v1/conversations
check_error "an unknown token: 401" 401 unauthorized
check_contains "with invalid_token" "$(header WWW-Authenticate)" 'error="invalid_token"'
with_token "$OLD" GET /api/v1/conversations
check_error "a revoked token: 401" 401 unauthorized
with_token "not-a-token" GET /api/v1/conversations
check_error "a malformed token: 401" 401 unauthorized
req GET /api/v1/conversations -H "Authorization: Basic $(printf 'a:b' | base64)"
check_error "another scheme: 401" 401 unauthorized
with_token "$TOKEN" GET /api/v1/conversations
check_eq "a valid token: 200" 200 "$STATUS"
run finq "$DB" token list
check_match "the token's use is noted" "$OUT" '^ci +read +[0-9T:.-]+Z +[0-9T:.-]+Z$'
run finq "$DB" token create temp
TEMP=$OUT
with_token "$TEMP" GET /api/v1/conversations
check_eq "a token made while the server runs works at once" 200 "$STATUS"
finq "$DB" token revoke temp >/dev/null
with_token "$TEMP" GET /api/v1/conversations
check_error "and is refused once revoked" 401 unauthorized
# 'Expect: 100-continue': curl sends the 700 KB body only once the server
# says so. Without it curl may still be sending when the server answers 401
# and closes, and then reports status 000 (seen under ASan on a busy machine)
req POST /api/v1/data -H 'Content-Type: application/octet-stream' -H 'Expect: 100-continue' \
	--data-binary "@$DATA/cur-dev/focus.csv.gz"
check_error "an upload without a token is refused (before its body)" 401 unauthorized
req GET /metrics
check_eq "metrics need a token" 401 "$STATUS"
req GET /api/v1/nope
check_eq "an unknown route without a token is 401, not 404" 401 "$STATUS"
req GET /health
check_eq "health is open" 200 "$STATUS"
check "and says only whether it is up" python3 -c '
import json, sys
assert json.loads(sys.argv[1]) == {"status": "ok"}, sys.argv[1]' "$BODY"
with_token "$TOKEN" GET /health
check "with a token, health says more" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["status"] == "ok" and "rows" in d and "data_version" in d, d' "$BODY"
req GET /
check_eq "the web UI is open (it asks for the token)" 200 "$STATUS"
req GET /assets/auth.js
check_eq "and its files" 200 "$STATUS"
check_contains "including auth.js, which keeps the token in sessionStorage" "$BODY" "sessionStorage"

# security headers on the UI and the API, errors included
for path in / /api/v1/conversations /health; do
	with_token "$TOKEN" GET "$path"
	check_eq "nosniff on $path" nosniff "$(header X-Content-Type-Options)"
	check_eq "X-Frame-Options DENY on $path" DENY "$(header X-Frame-Options)"
	csp=$(header Content-Security-Policy)
	check_contains "CSP denies framing on $path" "$csp" "frame-ancestors 'none'"
	check_contains "CSP allows only our scripts on $path" "$csp" "script-src 'self'"
	check_not_contains "CSP has no inline script on $path" "$csp" "unsafe-inline"
	check_eq "Referrer-Policy on $path" no-referrer "$(header Referrer-Policy)"
done
req GET /api/v1/conversations
check_eq "security headers on a 401 too" nosniff "$(header X-Content-Type-Options)"

# CORS: the configured origin only
with_token "$TOKEN" GET /api/v1/conversations
check_eq "no Origin, no CORS header" "" "$(header Access-Control-Allow-Origin)"
with_token "$TOKEN" GET /api/v1/conversations -H "Origin: https://evil.example"
check_eq "another origin gets no CORS header" "" "$(header Access-Control-Allow-Origin)"
with_token "$TOKEN" GET /api/v1/conversations -H "Origin: $ORIGIN"
check_eq "the configured origin is allowed" "$ORIGIN" "$(header Access-Control-Allow-Origin)"
check_contains "and caches vary by Origin" "$(header Vary)" "Origin"
req GET /api/v1/conversations -H "Origin: $ORIGIN"
check_eq "its 401 is readable by it too" "$ORIGIN" "$(header Access-Control-Allow-Origin)"
req OPTIONS /api/v1/chat -H "Origin: $ORIGIN" -H "Access-Control-Request-Method: POST" \
	-H "Access-Control-Request-Headers: authorization, content-type"
check_eq "its preflight is 204 without a token" 204 "$STATUS"
check_eq "allowing it" "$ORIGIN" "$(header Access-Control-Allow-Origin)"
check_eq "the route's methods" "POST" "$(header Access-Control-Allow-Methods)"
check_contains "and the Authorization header" "$(header Access-Control-Allow-Headers)" "Authorization"
req OPTIONS /api/v1/chat -H "Origin: https://evil.example" -H "Access-Control-Request-Method: POST"
check_eq "another origin's preflight is not answered as one" "" "$(header Access-Control-Allow-Origin)"
check_ne "nor allowed" 204 "$STATUS"

# limits and bad input, with a token
python3 -c 'import json; print(json.dumps({"message": "x" * 100000}))' >"$WORK/big.json"
with_token "$TOKEN" POST /api/v1/chat -H 'Content-Type: application/json' --data-binary "@$WORK/big.json"
check_error "a 100 KB body is 413" 413 too_large
python3 -c 'import json; print(json.dumps({"message": "what did EC2 cost " * 300}))' >"$WORK/long.json"
with_token "$TOKEN" POST /api/v1/chat -H 'Content-Type: application/json' --data-binary "@$WORK/long.json"
check_error "a 5 KB question is 413 naming the field" 413 too_large message
with_token "$TOKEN" POST /api/v1/chat -H 'Content-Type: application/json' --data-binary '{"today": "2025-12-04"}'
check_error "a missing message is 400 naming it" 400 missing_field message
with_token "$TOKEN" POST /api/v1/chat -H 'Content-Type: application/json' --data-binary '{"message": "top 5", '
check_error "malformed JSON is 400" 400 invalid_json
with_token "$TOKEN" POST /api/v1/feedback -H 'Content-Type: application/json' \
	--data-binary '{"message_id": "0123456789abcdef0123456789abcdef", "helpful": "yes"}'
check_error "a wrong-typed field is 400 naming it" 400 invalid_field helpful
with_token "$TOKEN" GET /api/v1/nope
check_error "an unknown route is 404" 404 not_found
with_token "$TOKEN" DELETE /api/v1/chat
check_error "a wrong method is 405" 405 method_not_allowed
check_eq "with Allow" POST "$(header Allow)"

# a request sent half-way, then silence: the server hangs up after --timeout
# (2 s) and keeps answering others meanwhile
python3 - "$PORT" "$TOKEN" >"$WORK/stall.out" 2>&1 <<'PY' &
import socket, sys, time
port, token = int(sys.argv[1]), sys.argv[2]
results = []
for head in (b"POST /api/v1/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token.encode()
             + b"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"mess",
             b"GET /api/v1/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthor"):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(20)
    start = time.monotonic()
    s.sendall(head)
    try:
        data = s.recv(4096)
        while data:
            data = s.recv(4096)
        results.append("closed %.1f" % (time.monotonic() - start))
    except socket.timeout:
        results.append("open")
    except ConnectionResetError:
        results.append("closed %.1f" % (time.monotonic() - start))
    s.close()
print(" ".join(results))
PY
stall=$!
sleep 0.5
with_token "$TOKEN" GET /api/v1/conversations
check_eq "while a request hangs half-sent, others are answered" 200 "$STATUS"
wait "$stall"
check_match "a half-sent body and a half-sent header are both cut off after the timeout" "$(cat "$WORK/stall.out")" \
	'^closed [2-5]\.[0-9] closed [2-5]\.[0-9]$'
with_token "$TOKEN" GET /api/v1/conversations
check_eq "and the server still answers after" 200 "$STATUS"
check_not_contains "the access log never holds a token" "$(cat "$LOG")" "$TOKEN"
stop_server

# ---- 4. loopback: tokens optional, rate limits, CORS off ------------------------------------------
# At 5 a minute a bucket refills one request every 12 s. Nothing below
# assumes how fast the machine is: the requests of a burst are counted
# against the 5 plus what can have refilled since the server started, as
# measured, and the 429s are checked on the burst's own refusals.
RL_STARTED=$(date +%s.%N)
start_server "$DB" --rate-limit 5 || finish
# the start-up probe took one of the address's 5
req GET /api/v1/conversations -H "Origin: $ORIGIN"
check_eq "on loopback a request without a token is served" 200 "$STATUS"
check_eq "CORS is off by default" "" "$(header Access-Control-Allow-Origin)"
with_token "finq_$(printf 'B%.0s' $(seq 43))" GET /api/v1/conversations
check_error "but a wrong token is refused" 401 unauthorized
with_token "$OLD" GET /api/v1/conversations
check_error "and a revoked one" 401 unauthorized
# burst KEY [TOKEN]: 30 requests in a row; prints served, refused, the
# refusals' (code, Retry-After) set, and the seconds since RL_STARTED
burst() {
	python3 - "$BASE" "$RL_STARTED" "${1:-}" <<'PY'
import json, sys, time, urllib.error, urllib.request
base, started, token = sys.argv[1], float(sys.argv[2]), sys.argv[3]
served = refused = 0
seen = set()
for _ in range(30):
    req = urllib.request.Request(base + "/api/v1/conversations")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req) as r:
            served += r.status == 200
    except urllib.error.HTTPError as x:
        if x.code == 429:
            refused += 1
            code = json.loads(x.read())["error"]["code"]
            seen.add((code, x.headers.get("Retry-After", "")))
print(served, refused, ";".join(sorted(c + ":" + r for c, r in seen)) or "-", round(time.time() - started, 3))
PY
}
read -r served refused why elapsed <<<"$(burst)"
# 5 a bucket, less the probe and the 3 requests above, plus refills
allowed=$(python3 -c 'import math, sys; print(5 - 4 + math.floor(float(sys.argv[1]) / 12) + 1)' "$elapsed")
check "at 5 a minute, a burst of 30 is served at most the bucket's rest and its refills ($served of 30, $allowed allowed in ${elapsed}s)" \
	test "$served" -le "$allowed"
check "the rest is refused: $refused of 30 with 429" test "$refused" -ge $((30 - allowed))
check_match "429 says why (rate_limited), with Retry-After in whole seconds, 1 to 12 at 5 a minute" "$why" \
	'^(rate_limited:([1-9]|1[0-2]);?)+$'
read -r tserved trefused twhy telapsed <<<"$(burst "$TOKEN")"
tallowed=$(python3 -c 'import math, sys; print(5 + math.floor(float(sys.argv[1]) / 12) + 1)' "$telapsed")
check "a token has a bucket of its own: it is served ($tserved) while the address is refused" test "$tserved" -ge 1
check "and its own limit: at most $tallowed of 30 in ${telapsed}s, the rest 429 ($trefused)" \
	test "$tserved" -le "$tallowed" -a "$trefused" -ge $((30 - tallowed))
check_match "its refusals say why too" "$twhy" '^(rate_limited:([1-9]|1[0-2]);?)+$'
stop_server

finish
