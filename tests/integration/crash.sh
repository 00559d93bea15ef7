#!/usr/bin/env bash
# crash.sh: crash safety. kill -9 of a load part-way, then the database
# opens and every billing period holds either its rows from before or all
# of the new ones (a load is one transaction); kill -9 of the server while
# 50 clients post /api/v1/chat, then the state file opens and every
# conversation that got a 200 is there with its messages; a full disk
# (RLIMIT_FSIZE, and a tiny tmpfs when mounting is possible) and a
# read-only file system give a clear error and lose nothing.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

BASE=$DATA/cur-dev/cur1.csv.gz # loaded first
BIG=$DATA/cur-dev/cur2.csv.gz  # 16 MB compressed: long enough to kill mid-way
periods() {
	"$FINQ" --db "$1" sql --csv --max-rows 0 "SELECT billing_period, provider, count(*), round(sum(unblended_cost), 4) FROM costs GROUP BY ALL ORDER BY ALL" 2>&1
}

# ---- kill -9 during a load ----
DB=$WORK/crash.duckdb
run "$FINQ" --db "$DB" load --no-progress "$BASE"
check_eq "the first file loads" 0 "$RC"
cp "$DB" "$WORK/full.duckdb"
cp "$DB" "$WORK/base.duckdb"
before=$(periods "$DB")
started=$(date +%s%N)
run "$FINQ" --db "$WORK/full.duckdb" load --no-progress "$BIG"
check_eq "the big file loads when not interrupted" 0 "$RC"
# kill the next load half-way through, measured on this machine: a fixed
# delay fails on a machine faster or slower than the one it was set on
load_ns=$(($(date +%s%N) - started))
after=$(periods "$WORK/full.duckdb")
check_ne "the big file changes billing periods" "$before" "$after"

"$FINQ" --db "$DB" load --no-progress "$BIG" >/dev/null 2>&1 &
loader=$!
sleep "${CRASH_LOAD_DELAY:-$(awk -v ns="$load_ns" 'BEGIN { printf "%.3f", ns / 2e9 }')}"
if kill -0 "$loader" 2>/dev/null; then
	kill -9 "$loader"
	wait "$loader" 2>/dev/null
	ok "the load was killed while running"
else
	wait "$loader"
	not_ok "the load was killed while running" "it had finished already, within half the time an uninterrupted load took"
fi
run "$FINQ" --db "$DB" info
check_eq "finq info works after the kill" 0 "$RC"
got=$(periods "$DB")
# each period's line must be in the before or the after state
half=$(comm -23 <(sort <<<"$got") <(sort <<<"$before"$'\n'"$after"))
check_eq "no billing period is half loaded" "" "$half"
run "$FINQ" --db "$DB" load --no-progress "$BIG"
check_eq "the load runs again after the kill" 0 "$RC"
check_eq "and then the periods are the complete ones" "$after" "$(periods "$DB")"

# ---- kill -9 of the server during chat writes ----
export FINQ_STATE=$WORK/state.sqlite
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$FINQ" --db "$DB" --today 2025-12-04 serve --port "$port" 2>"$WORK/serve.log" &
server=$!
for _ in $(seq 1 300); do
	curl -s -o /dev/null "http://127.0.0.1:$port/health" && break
	sleep 0.1
done
# 50 clients post in a loop; after a while the server is killed; each
# client records the conversations and message counts it got a 200 for.
python3 - "$port" "$server" "$WORK/acked.json" <<'PY' >"$WORK/chat.out" 2>&1
import http.client, json, os, signal, sys, threading, time
port, server, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
acked, lock = {}, threading.Lock()
QUESTIONS = ["total cost last month", "break it down by service", "what about S3?", "top 3 only"]
def client(i):
    conv = None
    while True:
        body = {"message": QUESTIONS[len(acked.get(conv, [])) % 4] if conv else QUESTIONS[0]}
        if conv:
            body["conversation_id"] = conv
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("POST", "/api/v1/chat", json.dumps(body), {"Content-Type": "application/json"})
            r = c.getresponse()
            a = json.loads(r.read())
        except Exception:
            return  # the server is gone
        if r.status == 200:
            with lock:
                conv = a["conversation_id"]
                acked.setdefault(conv, []).append(a.get("message_id"))
threads = [threading.Thread(target=client, args=(i,)) for i in range(50)]
for t in threads:
    t.start()
time.sleep(float(os.environ.get("CRASH_CHAT_SECONDS", "4")))
os.kill(server, signal.SIGKILL)
for t in threads:
    t.join()
json.dump(acked, open(out, "w"))
print("acked conversations %d, messages %d" % (len(acked), sum(len(v) for v in acked.values())))
PY
wait "$server" 2>/dev/null
check_match "chat requests were answered before the kill" "$(cat "$WORK/chat.out")" 'acked conversations [1-9][0-9]*, messages [1-9]'
result=$(python3 - "$FINQ_STATE" "$WORK/acked.json" <<'PY'
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print("integrity", con.execute("PRAGMA integrity_check").fetchone()[0])
acked = json.load(open(sys.argv[2]))
missing = []
for conv, ids in acked.items():
    have = {r[0] for r in con.execute("SELECT id FROM messages WHERE conversation_id = ?", (conv,))}
    missing += [m for m in ids if m not in have]
print("missing", len(missing), " ".join(missing[:5]))
PY
)
check_contains "the state file is intact after the kill" "$result" "integrity ok"
check_contains "every acknowledged message is there" "$result" "missing 0"
"$FINQ" --db "$DB" --today 2025-12-04 serve --port "$port" 2>>"$WORK/serve.log" &
server=$!
for _ in $(seq 1 300); do
	curl -s -o /dev/null "http://127.0.0.1:$port/health" && break
	sleep 0.1
done
conv=$(python3 -c 'import json, sys; print(next(iter(json.load(open(sys.argv[1])))))' "$WORK/acked.json" 2>/dev/null)
check_eq "the restarted server serves an acknowledged conversation" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/conversations/$conv")"
kill -TERM "$server"
wait "$server" 2>/dev/null
unset FINQ_STATE

# ---- a full disk: RLIMIT_FSIZE ----
cp "$WORK/base.duckdb" "$WORK/limited.duckdb"
snap=$(snapshot "$WORK/limited.duckdb")
size_kb=$(($(stat -c %s "$WORK/limited.duckdb") / 1024))
# a little room beyond the current file, far less than the load needs
(
	ulimit -f $((size_kb + 512))
	trap '' XFSZ
	exec "$FINQ" --db "$WORK/limited.duckdb" load --no-progress "$BIG"
) >"$WORK/fsize.out" 2>"$WORK/fsize.err"
rc=$?
check_match "a load past the file size limit fails with an exit status" "$rc" '^([1-9]|[1-9][0-9]|1[01][0-9]|12[0-5])$'
check_match "and says why" "$(cat "$WORK/fsize.err")" '(too large|file size|no space|write|I/O|Could not)'
check_eq "and loses nothing" "$snap" "$(snapshot "$WORK/limited.duckdb")"

# ---- a tiny tmpfs, then the same file system read-only ----
mnt=$WORK/mnt
mkdir -p "$mnt"
# 12 MB: the November load peaks at about 8 MB on disk (its write-ahead log
# holds the rows, the vocabulary and the daily summaries until the
# checkpoint); the whole year (BIG) needs several times that.
if mount -t tmpfs -o size=${CRASH_TMPFS_SIZE:-12m} tmpfs "$mnt" 2>/dev/null; then
	run "$FINQ" --db "$mnt/small.duckdb" load --no-progress "$BASE"
	check_eq "a small load fits on the tmpfs" 0 "$RC"
	snap=$(snapshot "$mnt/small.duckdb")
	run "$FINQ" --db "$mnt/small.duckdb" load --no-progress "$BIG"
	check_match "a load on a full disk fails with an exit status" "$RC" '^([1-9]|[1-9][0-9]|1[01][0-9]|12[0-5])$'
	check_match "and says why" "$ERR" '(space|write|I/O|Could not|full)'
	check_eq "and loses nothing" "$snap" "$(snapshot "$mnt/small.duckdb")"
	if mount -o remount,ro "$mnt" 2>/dev/null; then
		run "$FINQ" --db "$mnt/small.duckdb" sql "SELECT count(*) FROM costs"
		check_eq "finq sql reads a database on a read-only file system" 0 "$RC"
		run "$FINQ" --db "$mnt/small.duckdb" load --no-progress "$BASE"
		check_match "a load into it fails with an exit status" "$RC" '^([1-9]|[1-9][0-9]|1[01][0-9]|12[0-5])$'
		check_match "and says why" "$ERR" '(read-only|read only|permission|cannot open|could not)'
		check_eq "and loses nothing" "$snap" "$(snapshot "$mnt/small.duckdb")"
	else
		echo "# skipped: cannot remount the tmpfs read-only"
	fi
	umount "$mnt"
else
	echo "# skipped: cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): the full-disk and read-only file system checks"
fi
finish
