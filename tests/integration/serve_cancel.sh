#!/usr/bin/env bash
# serve_cancel.sh: /api/v1/insights/* and /api/v1/chat/stream stop their
# work when the client goes away (issue 14, "Limits that hold"), as /sql
# and /chat did; the server has one slot (--threads 1), so a request that
# ran on would hold up every other.
#   1. a client that sends its request and closes its sending side (which
#      counts as gone, docs/security.md) gets, on /insights/recommend, 400
#      refused "the client went away", and the analysis runs at most one
#      statement (FINQ_TRACE_SQL counts them; the same request with the
#      client there runs them all); on /chat/stream a question that runs
#      the same analysis ends with no answer and runs at most one
#      statement. Before: 30 statements and about 0.8 s each, with the
#      client long gone.
#      /chat's answer to that question is 400 refused (before: 500).
#   2. a client that disconnects mid-request (curl --max-time, a quarter
#      of the full request's time) frees the slot: the server logs the
#      request as done well before the full time, and answers the next
#      request at once
# Demo data of 300,000 line items makes the analysis long enough to
# measure. Timing checks are relative to the same request run in full.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"

DB=$WORK/demo.duckdb
run finq "$DB" demo --rows 300000 --out "$WORK/demo.parquet"
check_eq "300,000 rows of demo data load" 0 "$RC"
rm -f "$WORK/demo.parquet"

# the statements the server has run so far (FINQ_TRACE_SQL's "-- 0.012 s" lines)
statements() { grep -cE '^-- [0-9]+\.[0-9]{3} s( \(failed\))?$' "$LOG"; }
# the access-log line of the last request to PATH (a regex), or nothing
last_logged() { grep -E "Z [A-Z]+ $1 " "$LOG" | tail -1; }
# the access-log line of the last request to PATH once it is not BEFORE
logged() {
	local line
	for _ in $(seq 1 300); do
		line=$(grep -E "Z [A-Z]+ $1 " "$LOG" | tail -1)
		[ -n "$line" ] && [ "$line" != "$2" ] && break
		sleep 0.1
	done
	printf '%s' "$line"
}
ms_of() { sed -E 's/.* ([0-9.]+) ms.*/\1/' <<<"$1"; }
# half_close METHOD PATH BODY: send the request, shut down our sending side
# and read the answer; prints the answer
half_close() {
	python3 - "$PORT" "$1" "$2" "$3" <<'EOF'
import socket, sys
port, method, path, body = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].encode()
s = socket.create_connection(("127.0.0.1", port))
head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n" % (method, path, port)
if body:
    head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
s.sendall(head.encode() + b"\r\n" + body)
s.shutdown(socket.SHUT_WR)
s.settimeout(60)
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode("utf-8", "replace"))
EOF
}

FINQ_TRACE_SQL=1 start_server "$DB" --threads 1 || finish

# ---- 1. a client gone before the work starts ---------------------------------------------------
n0=$(statements)
answer=$(half_close GET "/api/v1/insights/recommend?limit=20" "")
n1=$(statements)
check_match "insights: a client gone gets 400" "$answer" "^HTTP/1.1 400"
# (a statement that started before the client's end arrived adds its analysis' name)
check_match "insights: refused, the client went away" "$answer" \
	'\{"error":\{"code":"refused","message":"([a-z]+: )?statement cancelled: the client went away"\}\}'
check "insights: at most one statement ran ($((n1 - n0)))" test $((n1 - n0)) -le 1
gone=$(logged '/api/v1/insights/recommend' '')

req GET "/api/v1/insights/recommend?limit=20"
n2=$(statements)
check_eq "insights: the same request with its client is answered" 200 "$STATUS"
check "insights: ... and runs every statement ($((n2 - n1)), more than 5)" test $((n2 - n1)) -gt 5
full=$(ms_of "$(logged '/api/v1/insights/recommend' "$gone")")

# slot_free KIND: the one slot answers the next statement at once
slot_free() {
	local t0 t1
	t0=$(date +%s%N)
	post_json /api/v1/sql '{"sql": "SELECT 41 + 1 AS n"}'
	t1=$(date +%s%N)
	check_eq "$1: the slot is free: the next statement is answered" '[[42]]' "$(jget 'd["rows"]')"
	check "$1: at once ($(((t1 - t0) / 1000000)) ms)" test $(((t1 - t0) / 1000000)) -lt 1000
}
# leaves after a quarter of the full analysis
leave=$(awk -v a="${full:-1000}" 'BEGIN { printf "%.3f", a / 4000 }')

QUESTION='{"message": "how can I save money"}'
# /chat: the same question, answered at once; its turn is refused, not failed (not 500)
n0=$(statements)
answer=$(half_close POST /api/v1/chat '{"message": "how can I save money?"}')
n1=$(statements)
check_match "chat: a client gone gets 400" "$answer" '^HTTP/1.1 400'
check_match "chat: refused, the client went away" "$answer" '"code":"refused","message":"[^"]*the client went away"'
check "chat: at most one statement ran ($((n1 - n0)))" test $((n1 - n0)) -le 1
before=$(last_logged '/api/v1/chat/stream')
n0=$(statements)
answer=$(half_close POST /api/v1/chat/stream "$QUESTION")
line=$(logged '/api/v1/chat/stream' "$before")
n1=$(statements)
check_contains "stream: it was read as the analysis" "$answer" '"insight":"recommend"'
check_not_contains "stream: a client gone gets no answer" "$answer" '"event":"answer"'
check "stream: at most one statement ran ($((n1 - n0)))" test $((n1 - n0)) -le 1

# ---- 2. a client that disconnects mid-request --------------------------------------------------
# the same question (nothing was kept: it never finished)
curl -s -o /dev/null --max-time "$leave" -H 'Content-Type: application/json' --data-binary "$QUESTION" \
	"$BASE/api/v1/chat/stream"
left=$(logged '/api/v1/chat/stream' "$line")
slot_free stream
req POST /api/v1/chat/stream -H 'Content-Type: application/json' --data-binary "$QUESTION"
n2=$(statements)
whole=$(logged '/api/v1/chat/stream' "$left")
check_contains "stream: with its client, the answer comes" "$BODY" '"event":"answer"'
check "stream: ... after every statement ($((n2 - n1)), more than 5)" test $((n2 - n1)) -gt 5
check "stream: the one that left at ${leave} s stopped well before the full time ($(ms_of "$left") of $(ms_of "$whole") ms)" \
	awk -v b="$(ms_of "$left")" -v a="$(ms_of "$whole")" 'BEGIN { exit !(b < a * 0.75) }'

before=$(last_logged '/api/v1/insights/recommend')
curl -s -o /dev/null --max-time "$leave" "$BASE/api/v1/insights/recommend?limit=21"
left=$(logged '/api/v1/insights/recommend' "$before")
slot_free insights
check "insights: the one that left at ${leave} s stopped well before the full time ($(ms_of "$left") of $full ms)" \
	awk -v b="$(ms_of "$left")" -v a="${full:-0}" 'BEGIN { exit !(b < a * 0.75) }'
stop_server

finish
