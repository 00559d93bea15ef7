#!/usr/bin/env bash
# http_errors.sh: which error answers are finq's and which libmicrohttpd's
# (issue 14, "Strict HTTP"; docs/security.md, "Known limits").
#   1. odd requests that reach finq get finq's answer: the status, the
#      security headers, Cache-Control: no-store and a JSON error body (a
#      lowercase method, CONNECT, an absolute or "*" target, a space in
#      the path, an unknown Expect, a declared oversized body with
#      Expect: 100-continue, answered before the body)
#   2. the requests libmicrohttpd 0.9 refuses itself, before finq sees
#      them, get its fixed page with the status docs/security.md lists and
#      no finq headers: a header line without a colon, an HTTP/0.9 line,
#      HTTP/2.0, a malformed chunk, a chunk size past 64 bits, a
#      Content-Length that is no number or past 64 bits, a head or a
#      request line past 256 KB. If one of these starts to be finq's (a
#      newer libmicrohttpd, a reader of our own), move it to 1 and out of
#      the Known limits.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"

DB=$WORK/errors.duckdb
dev_data "$DB" focus.csv.gz
check_eq "the test database loads" 0 "$RC"
start_server "$DB" || finish

python3 - "$PORT" >"$WORK/errors.out" 2>&1 <<'PY'
import json, socket, sys
port = int(sys.argv[1])
H = b"Host: 127.0.0.1\r\n"
def send(raw):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(5)
    try:
        s.sendall(raw)
    except OSError:
        pass
    out = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except OSError:
        pass
    s.close()
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
    return status, headers, body
json_post = b"Content-Type: application/json\r\n"
HC = H + b"Connection: close\r\n"  # finq keeps a connection open otherwise
finqs = [
    ("a lowercase method", 405, b"get /health HTTP/1.1\r\n" + HC + b"\r\n"),
    ("CONNECT", 404, b"CONNECT 127.0.0.1:80 HTTP/1.1\r\n" + HC + b"\r\n"),
    ("an absolute target", 404, b"GET http://127.0.0.1/health HTTP/1.1\r\n" + HC + b"\r\n"),
    ("OPTIONS *", 404, b"OPTIONS * HTTP/1.1\r\n" + HC + b"\r\n"),
    ("a space in the path", 404, b"GET /he alth HTTP/1.1\r\n" + HC + b"\r\n"),
    ("an unknown Expect", 400, b"POST /api/v1/sql HTTP/1.1\r\n" + HC + json_post +
     b"Expect: something\r\nContent-Length: 2\r\n\r\n{}"),
    ("a declared 99 MB body with Expect: 100-continue", 413, b"POST /api/v1/sql HTTP/1.1\r\n" + HC + json_post +
     b"Expect: 100-continue\r\nContent-Length: 99999999\r\n\r\n"),
]
mhds = [
    ("a header line without a colon", 400, b"GET /health HTTP/1.1\r\n" + H + b"Bogus\r\n\r\n"),
    ("an HTTP/0.9 line", 400, b"GET /health\r\n\r\n"),
    ("HTTP/2.0", 505, b"GET /health HTTP/2.0\r\n" + H + b"\r\n"),
    ("a malformed chunk", 400, b"POST /api/v1/sql HTTP/1.1\r\n" + H + json_post +
     b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
    ("a chunk size past 64 bits", 413, b"POST /api/v1/sql HTTP/1.1\r\n" + H + json_post +
     b"Transfer-Encoding: chunked\r\n\r\n" + b"f" * 20 + b"\r\nabc\r\n0\r\n\r\n"),
    ("a Content-Length that is no number", 400, b"POST /api/v1/sql HTTP/1.1\r\n" + H + b"Content-Length: abc\r\n\r\n"),
    ("a Content-Length past 64 bits", 413, b"POST /api/v1/sql HTTP/1.1\r\n" + H +
     b"Content-Length: 99999999999999999999999\r\n\r\n"),
    ("a 300 KB head", 431, b"GET /health HTTP/1.1\r\n" + H + b"X-A: " + b"a" * 300000 + b"\r\n\r\n"),
    ("a 300 KB request line", 414, b"GET /" + b"a" * 300000 + b" HTTP/1.1\r\n" + H + b"\r\n"),
]
for name, want, raw in finqs:
    status, headers, body = send(raw)
    problems = []
    if status != want:
        problems.append("status %d, not %d" % (status, want))
    if headers.get("x-content-type-options") != "nosniff" or "frame-ancestors 'none'" not in headers.get("content-security-policy", ""):
        problems.append("no security headers")
    if headers.get("cache-control") != "no-store":
        problems.append("Cache-Control %r" % headers.get("cache-control"))
    if not headers.get("content-type", "").startswith("application/json"):
        problems.append("Content-Type %r" % headers.get("content-type"))
    try:
        err = json.loads(body)["error"]
        assert err["code"] and err["message"]
    except Exception:
        problems.append("body %r" % body[:100])
    print("finq: %s: %s" % (name, "; ".join(problems) or "ok"))
for name, want, raw in mhds:
    status, headers, body = send(raw)
    problems = []
    if status != want:
        problems.append("status %d, not %d" % (status, want))
    if "x-content-type-options" in headers or body.lstrip().startswith(b"{"):
        problems.append("finq answered it: move it to the finq cases and out of docs/security.md's Known limits")
    print("libmicrohttpd: %s: %s" % (name, "; ".join(problems) or "ok"))
PY
while IFS= read -r line; do
	case $line in
	"finq: "*": ok") ok "${line%: ok}: finq's JSON error with its headers" ;;
	"libmicrohttpd: "*": ok") ok "${line%: ok}: its own page, as docs/security.md says" ;;
	*) not_ok "$line" ;;
	esac
done <"$WORK/errors.out"
check_eq "every case was tried" 16 "$(wc -l <"$WORK/errors.out")"
post_json /api/v1/sql '{"sql": "SELECT 41 + 1 AS n"}'
check_eq "the server still answers" '[[42]]' "$(jget 'd["rows"]')"
stop_server

finish
