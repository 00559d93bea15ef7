#!/usr/bin/env bash
# Load benchmark of `finq serve`: CONVERSATIONS concurrent clients, each
# holding one keep-alive connection and running ROUNDS conversations in a
# row; a conversation is a first question and FOLLOWUPS follow-ups that
# carry its conversation_id, all POST /api/v1/chat. Each conversation reads
# its questions from its own `today` (a month of the sample data), so plans
# vary as they would between users and the answer cache sees both hits and
# misses. Zero errors are required (a non-200 or a failed answer exits 1).
# Reports requests/s and the latency percentiles of /api/v1/chat seen by
# the clients, the server's cache hits and its answers by outcome.
# Also the server's resident memory (VmRSS): when it is ready, after each
# tenth of the requests, at the end, and the peak (VmHWM).
# A benchmark, not a test: it asserts nothing about time.
#
#   bench/serve.sh                      # the sample data, 50 x 1 x (1 + 3)
#   CONVERSATIONS=50 ROUNDS=5 THREADS=4 bench/serve.sh
#   DB=big.duckdb TODAY=2025-12-04 bench/serve.sh
#
# DB: a loaded database (default: a temp one loaded from the shared
# cur-dev/cur2.parquet); THREADS: the server's --threads (engine slots;
# default: the server's); FINQ: the binary (default ./finq).
# RSS_GROWTH_MAX: fail when the RSS at the end exceeds the RSS after the
# first fifth of the requests (caches warm) by more than this many percent
# (bench/soak.sh sets it; default: report only).
set -euo pipefail
cd "$(dirname "$0")/.."
FINQ=${FINQ:-./finq}
CONVERSATIONS=${CONVERSATIONS:-50}
ROUNDS=${ROUNDS:-1}
FOLLOWUPS=${FOLLOWUPS:-3}
THREADS=${THREADS:-}
TODAY=${TODAY:-2025-12-04}

work=$(mktemp -d "${TMPDIR:-/tmp}/finq-bench-serve-XXXXXX")
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${DB:-}" ]; then
	DB=$work/dev.duckdb
	"$FINQ" --db "$DB" load --no-progress ../shared/data/cur-dev/cur2.parquet >/dev/null
fi
export FINQ_STATE=$work/bench.state.sqlite # the benchmark's conversations stay out of the user's
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$FINQ" --db "$DB" --today "$TODAY" ${THREADS:+--threads "$THREADS"} serve --port "$port" --rate-limit 0 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 300); do
	curl -s -o /dev/null "http://127.0.0.1:$port/health" && break
	sleep 0.1
done
echo "== finq serve on $DB, ${THREADS:-default} threads: $CONVERSATIONS concurrent conversations x $ROUNDS, 1 + $FOLLOWUPS questions each"

python3 - "$port" "$CONVERSATIONS" "$ROUNDS" "$FOLLOWUPS" "$pid" "${RSS_GROWTH_MAX:-}" <<'EOF'
import http.client, json, random, sys, threading, time

port, nconv, rounds, nfollow, pid = (int(x) for x in sys.argv[1:6])
growth_max = float(sys.argv[6]) if sys.argv[6] else None

def memory(field):
    """The server's VmRSS or VmHWM in MB."""
    for line in open("/proc/%d/status" % pid):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0

total = nconv * rounds * (1 + nfollow)
rss = [("ready", memory("VmRSS"))]
FIRST = [
    "top 5 services last month", "cost by account last month", "EC2 by region last month",
    "spend by team last month", "total cost last month", "S3 cost by usage type last month",
    "compare last month and the month before by service", "daily cost trend last month",
]
FOLLOW = [
    "break it down by region", "what about S3?", "top 3 only", "same for the month before",
    "by account instead", "unblended instead", "only EC2", "drill into the top one",
]
TODAYS = ["2025-%02d-05" % m for m in range(3, 13)]
lat, errors, lock = [], [], threading.Lock()

def client(seed):
    rnd = random.Random(seed)
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for _ in range(rounds):
        today, conv = rnd.choice(TODAYS), None
        for q in [rnd.choice(FIRST)] + rnd.sample(FOLLOW, nfollow):
            body = {"message": q, "today": today}
            if conv:
                body["conversation_id"] = conv
            t0 = time.perf_counter()
            try:
                con.request("POST", "/api/v1/chat", json.dumps(body), {"Content-Type": "application/json"})
                r = con.getresponse()
                data = r.read()
                ms = (time.perf_counter() - t0) * 1e3
                a = json.loads(data)
                ok = r.status == 200 and a.get("outcome") != "failed" and (conv is None or a["conversation_id"] == conv)
            except Exception as e:  # a broken connection is an error too
                ok, ms, a = False, (time.perf_counter() - t0) * 1e3, {"exception": repr(e)}
                con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            with lock:
                lat.append(ms)
                if not ok:
                    errors.append((q, a))
                if len(lat) % max(1, total // 10) == 0:
                    rss.append(("%d requests" % len(lat), memory("VmRSS")))
            if ok and conv is None:
                conv = a["conversation_id"]

threads = [threading.Thread(target=client, args=(i,)) for i in range(nconv)]
t0 = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - t0
lat.sort()
def pct(p):
    return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))]
print("requests %d, errors %d, %.2f s: %.1f requests/s" % (len(lat), len(errors), wall, len(lat) / wall))
print("POST /api/v1/chat latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms" % (pct(50), pct(90), pct(99), lat[-1]))
con = http.client.HTTPConnection("127.0.0.1", port)
con.request("GET", "/metrics")
metrics = con.getresponse().read().decode()
want = ("finq_answer_cache_hits_total", "finq_answer_cache_misses_total", "finq_answers_total")
print("server: " + ", ".join(l for l in metrics.splitlines() if l.startswith(want)))
rss.append(("end", memory("VmRSS")))
print("server RSS (MB): " + ", ".join("%s %.0f" % r for r in rss) + "; peak %.0f" % memory("VmHWM"))
for q, a in errors[:5]:
    print("error: %s -> %s" % (q, json.dumps(a)[:300]))
grew = False
if growth_max is not None and len(rss) > 3:
    warm = rss[2][1]  # after a fifth of the requests
    growth = 100 * (rss[-1][1] - warm) / warm
    grew = growth > growth_max
    print("RSS from %s to the end: %+.1f%% (at most %+.0f%% allowed)%s" % (rss[2][0], growth, growth_max,
          ": NOT FLAT" if grew else ""))
sys.exit(1 if errors or grew else 0)
EOF
