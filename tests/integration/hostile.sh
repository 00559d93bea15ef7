#!/usr/bin/env bash
# hostile.sh: the hostile and broken inputs of tests/data/hostile.tsv, one
# check each, against the CLI (ask, sql, chat, load, options) and the API
# of `finq serve` over the dev data. Each must get a clear error or a safe
# answer: no crash or sanitizer report, no 5xx unless the list expects it,
# `costs` unchanged (a checksum of every row via `finq sql`), and a failed
# request leaves the state file's row counts as they were. Then: the
# server survived all of it, nothing was written where an upload's name
# pointed, and the checksum and the conversations that existed before are
# the same after.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

DB=$WORK/dev.duckdb
export FINQ_STATE=$WORK/state.sqlite
TODAY=2025-12-04
CASES=$REPO/tests/data/hostile.tsv

dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"
checksum() {
	"$FINQ" --db "$DB" sql --csv "SELECT count(*) AS n, bit_xor(hash(c)) AS h FROM costs c" 2>&1 | tail -n 1
}
# one conversation that must survive everything below
run "$FINQ" --db "$DB" --today "$TODAY" ask --json "top 5 services last month"
check_eq "a conversation before the hostile inputs" 0 "$RC"
first_conversation=$(json_get conversation_id "$OUT")
before=$(checksum)
check_match "checksum of costs" "$before" '^161869,'

# Fixtures the list names as @NAME.
fx=$WORK/fixtures
mkdir -p "$fx"
python3 - "$fx" "$DATA" <<'PY'
import gzip, os, random, sys
fx, data = sys.argv[1], sys.argv[2]
whole = open(data + "/cur-dev/focus.csv.gz", "rb").read()
open(fx + "/truncated.csv.gz", "wb").write(whole[: len(whole) // 2])
random.seed(6)
open(fx + "/binary.bin", "wb").write(bytes(random.randrange(256) for _ in range(4096)))
open(fx + "/empty.csv", "wb").close()
header = gzip.open(data + "/cur-dev/focus.csv.gz").readline()
open(fx + "/header-only.csv", "wb").write(header)
open(fx + "/not-a-bill.csv", "w").write("name,age,city\nada,36,london\nalan,41,wilmslow\n")
open(fx + "/nul-bytes.csv", "wb").write(header.replace(b",", b"\x00,", 5) + b"1,2,3\n")
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The cases: the CLI ones first (the server holds the database while it
# runs), then the API ones with a server of their own. The driver prints
# "PASS name" or "FAIL name: details" per case.
python3 - "$CASES" "$FINQ" "$DB" "$TODAY" "$fx" "$port" "$FINQ_STATE" "$WORK" >"$WORK/cases.out" 2>&1 <<'PY'
import codecs, http.client, json, os, re, shlex, signal, sqlite3, subprocess, sys, time, uuid

cases_path, finq, db, today, fx, port, state, work = sys.argv[1:9]
port = int(port)
SAN = re.compile(rb"(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:)")

def decode(text):
    if text == "-":
        return b""
    text = re.sub(r"<(\d+)\*([^>]*)>", lambda m: m.group(2) * int(m.group(1)), text)
    return codecs.escape_decode(text.encode("utf-8"))[0]

def state_counts():
    if not os.path.exists(state):
        return {}
    con = sqlite3.connect("file:%s?mode=ro" % state, uri=True, timeout=30)
    try:
        # the audit log records failed attempts on purpose (docs/security.md)
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                           " AND name <> 'audit_log'")]
        return {n: con.execute('SELECT count(*) FROM "%s"' % n).fetchone()[0] for n in names}
    finally:
        con.close()

def expect_ok(expect, status, is_http):
    """expect: 0 | fail | any | 400 | 4xx | 2xx, then optionally :REGEX."""
    want = expect.split(":", 1)[0]
    if want == "any":
        return status < 500 if is_http else 0 <= status < 126
    if want == "fail":
        return 1 <= status < 126
    if want.endswith("xx"):
        return str(status)[0] == want[0]
    return status == int(want)

def verdict(name, expect, status, message, is_http, failed_request, counts_before, extra=""):
    problems = []
    if expect.split(":", 1)[0] == "any":
        problems.append("the case accepts any answer: say what it must get")
    if SAN.search(message):
        problems.append("sanitizer report")
    if not is_http and (status < 0 or status >= 126):
        problems.append("crashed (status %d)" % status)
    if is_http and status >= 500 and not expect.startswith("5"):
        problems.append("server error %d" % status)
    if not expect_ok(expect, status, is_http):
        problems.append("want %s, got %d" % (expect.split(":", 1)[0], status))
    if ":" in expect and not re.search(expect.split(":", 1)[1], message.decode("utf-8", "replace"), re.I):
        problems.append("message does not match /%s/" % expect.split(":", 1)[1])
    if failed_request and state_counts() != counts_before:
        problems.append("a failed request changed the state file")
    if extra:
        problems.append(extra)
    text = message.decode("utf-8", "replace").replace("\n", " | ")[:200]
    if problems:
        print("FAIL %s\t%s (got %d: %s)" % (name, "; ".join(problems), status, text), flush=True)
    else:
        print("PASS %s" % name, flush=True)

def run_cli(args, stdin=b""):
    env = dict(os.environ)
    p = subprocess.run([finq, "--db", db, "--today", today] + args, input=stdin, capture_output=True,
                       timeout=120, env=env)
    return p.returncode, p.stdout + p.stderr

def request(method, target, body, ctype, filename, extra=None):
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = list(extra or [])  # (name, value) pairs: a name may repeat
    if filename is not None:
        boundary = uuid.uuid4().hex
        body = (b"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                b"Content-Type: application/octet-stream\r\n\r\n" % (boundary.encode(), filename.encode())
                + body + b"\r\n--%s--\r\n" % boundary.encode())
        ctype = "multipart/form-data; boundary=" + boundary
    if ctype:
        headers.append(("Content-Type", ctype))
    names = {k.lower() for k, _ in headers}
    try:
        con.putrequest(method, target, skip_host="host" in names, skip_accept_encoding=True)
        for k, v in headers:
            con.putheader(k, v)
        if "content-length" not in names and "transfer-encoding" not in names and (body or method != "GET"):
            con.putheader("Content-Length", str(len(body or b"")))
        con.endheaders(body or None)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered before reading the whole body (413)
    try:
        r = con.getresponse()
        return r.status, r.read()
    except (ConnectionResetError, http.client.RemoteDisconnected) as e:
        return -1, repr(e).encode()
    finally:
        con.close()

cases = []
for line in open(cases_path, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    channel, target, payload, ctype, expect, what = line.split("\t")
    cases.append((channel, target, payload, ctype, expect, what))

def fixture_or(payload):
    if payload.startswith("@"):
        return open(os.path.join(fx, payload[1:]), "rb").read(), os.path.join(fx, payload[1:])
    return decode(payload), None

# CLI
for channel, target, payload, ctype, expect, what in cases:
    if channel == "api":
        continue
    name = "%s: %s" % (channel, what)
    before = state_counts()
    body, path = fixture_or(payload)
    if channel == "ask":
        status, msg = run_cli(["ask", os.fsdecode(body)] if body else ["ask", ""])
    elif channel == "sql":
        status, msg = run_cli(["sql", os.fsdecode(body)])
    elif channel == "chat":
        status, msg = run_cli(["chat"], stdin=body)
    elif channel == "load":
        status, msg = run_cli(["load", "--no-progress", path])
    elif channel == "cli":
        status, msg = run_cli(shlex.split(target))
    else:
        print("FAIL %s\tunknown channel" % name)
        continue
    verdict(name, expect, status, msg, False, status != 0, before)

# API
log = open(os.path.join(work, "serve.log"), "wb")
srv = subprocess.Popen([finq, "--db", db, "--today", today, "serve", "--port", str(port)], stdout=log, stderr=log)
for _ in range(300):
    try:
        if request("GET", "/health", b"", None, None)[0] == 200:
            break
    except OSError:
        pass
    time.sleep(0.1)
for channel, target, payload, ctype, expect, what in cases:
    if channel != "api":
        continue
    name = "api: %s" % what
    before = state_counts()
    method, rest = target.split(" ", 1)
    filename = None
    extra_headers = []
    while " header=" in rest:
        rest, h = rest.rsplit(" header=", 1)
        k, v = h.split(":", 1)
        extra_headers.insert(0, (k.strip(), v.strip()))
    if " filename=" in rest:
        rest, filename = rest.split(" filename=", 1)
    body, _ = fixture_or(payload)
    status, msg = request(method, rest, body, None if ctype == "-" else ctype, filename, extra_headers)
    extra = ""
    if srv.poll() is not None:
        extra = "the server exited (%d)" % srv.returncode
    elif status >= 400 and msg:
        try:
            err = json.loads(msg)["error"]
            if not err.get("code") or not err.get("message"):
                extra = "an error without code and message"
        except (ValueError, KeyError, TypeError):
            extra = "an error body that is not {\"error\": {...}}"
    verdict(name, expect, status, msg, True, status >= 400, before, extra)
    if srv.poll() is not None:
        break
alive = srv.poll() is None and request("GET", "/health", b"", None, None)[0] == 200
print(("PASS %s" if alive else "FAIL %s\tit is gone") % "the server answers /health after every case")
srv.send_signal(signal.SIGTERM)
try:
    rc = srv.wait(timeout=60)
except subprocess.TimeoutExpired:
    srv.kill()
    rc = srv.wait()
log.close()
served = open(os.path.join(work, "serve.log"), "rb").read()
print(("PASS %s" if rc == 0 and not SAN.search(served) else "FAIL %s\texit " + str(rc) + ", " +
       served[-300:].decode("utf-8", "replace").replace("\n", " | ")) % "the server stops cleanly")
PY
n=0
while IFS= read -r line; do
	case $line in
	"PASS "*) ok "${line#PASS }" ;;
	"FAIL "*)
		line=${line#FAIL }
		not_ok "${line%%$'\t'*}" "${line#*$'\t'}"
		;;
	*) continue ;;
	esac
	n=$((n + 1))
done <"$WORK/cases.out"
cases=$(grep -cv '^#' "$CASES")
if [ "$n" -lt $((cases + 2)) ]; then
	not_ok "every case ran" "$n results for $cases cases: $(tail -n 5 "$WORK/cases.out")"
fi

check "nothing written where an upload name pointed" test ! -e /tmp/finq-hostile-escape.csv
check "nothing written at an absolute upload name" test ! -e /tmp/finq-hostile-absolute.csv
check "no file copied out by SQL" test ! -e /tmp/finq-hostile-copy.csv
check_eq "costs unchanged (count and row hash)" "$before" "$(checksum)"
run "$FINQ" --db "$DB" info
check_eq "finq info works afterwards" 0 "$RC"
conv=$(python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute("SELECT count(*) FROM messages WHERE conversation_id = ?", (sys.argv[2],)).fetchone()[0])' "$FINQ_STATE" "$first_conversation" 2>&1)
check_eq "the first conversation keeps its message" 1 "$conv"
finish
