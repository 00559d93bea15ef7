# http.sh: helpers for the scripts that drive the real `finq serve` over
# HTTP (api.sh, auth.sh, insights_api.sh). Sourced after lib.sh, so not in
# run.sh's list. Uses $WORK, $FINQ and $TODAY (a --today for the server
# when set); LOG is the servers' stderr ($WORK/serve.log by default);
# FINQ_TEST_PORTS="LOW-HIGH" keeps the servers' ports in that range.
#
#   start_server DB [serve options...]   on a free loopback port; BASE is its URL
#   stop_server                          SIGTERM and wait; SERVER_RC is its status
#   req METHOD PATH [curl options...]    sets STATUS, BODY and HEADERS
#   post_json PATH JSON
#   jget EXPR                            a Python expression over the body d
#   header NAME                          a response header's value
#   check_py NAME PYTHON [ARGS...]       ok when the code raises nothing
#   check_error NAME STATUS CODE [FIELD] an error response of finq's shape
#
# The EXIT trap stops the server, then runs the one lib.sh set (which
# removes the temp folder).

if ! command -v curl >/dev/null 2>&1; then
	not_ok "curl is installed" "$(basename "$0") drives the server with curl"
	finish
fi

: "${LOG:=$WORK/serve.log}"
SERVER_PID=
SERVER_RC=
STATUS=
BODY=
HEADERS=
lib_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")

stop_server() {
	SERVER_RC=
	if [ -n "$SERVER_PID" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_RC=$?
	fi
	SERVER_PID=
}
trap 'stop_server; eval "$lib_trap"' EXIT
trap 'exit 130' INT TERM

# Any free port, or one from $FINQ_TEST_PORTS ("19500-19599") when set:
# sessions that share a machine give each its own range.
free_port() {
	python3 -c '
import random, socket, sys
lo, _, hi = sys.argv[1].partition("-")
ports = list(range(int(lo), int(hi) + 1)) if lo else [0]
random.shuffle(ports)
for p in ports:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        print(s.getsockname()[1])
        break
    except OSError:
        continue
    finally:
        s.close()' "${FINQ_TEST_PORTS:-}"
}

# Reached at 127.0.0.1 whatever --host says.
start_server() {
	local db=$1
	shift
	PORT=$(free_port)
	BASE=http://127.0.0.1:$PORT
	local started
	started=$(grep -c "finq: serving" "$LOG" 2>/dev/null || true)
	"$FINQ" --db "$db" ${TODAY:+--today "$TODAY"} serve --port "$PORT" "$@" 2>>"$LOG" &
	SERVER_PID=$!
	for _ in $(seq 1 300); do
		if curl -s -o /dev/null "$BASE/health"; then
			# it answers as soon as it listens; its start line may follow a moment later
			for _ in $(seq 1 50); do
				[ "$(grep -c "finq: serving" "$LOG" 2>/dev/null || true)" -gt "${started:-0}" ] && break
				sleep 0.1
			done
			return 0
		fi
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	not_ok "the server starts" "$(tail -5 "$LOG")"
	return 1
}

# Carriage returns are removed from HEADERS.
req() {
	local method=$1 path=$2
	shift 2
	STATUS=$(curl -s -o "$WORK/.body" -D "$WORK/.headers" -w '%{http_code}' -X "$method" "$@" "$BASE$path")
	BODY=$(cat "$WORK/.body")
	HEADERS=$(tr -d '\r' <"$WORK/.headers")
}

post_json() {
	req POST "$1" -H 'Content-Type: application/json' --data-binary "$2"
}

# Strings print bare, anything else as JSON; nothing when the body is not JSON.
jget() {
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))' "$BODY" "$1" 2>/dev/null
}

header() {
	grep -i "^$1:" <<<"$HEADERS" | head -1 | sed 's/^[^:]*: *//'
}

# d is the body and ARGS are sys.argv[3:]; the exception's last line and
# the start of the body are the detail of a failure.
check_py() {
	local name=$1 code=$2 why
	shift 2
	if why=$(python3 -c '
import json, sys
d = json.loads(sys.argv[1])
exec(sys.argv[2])' "$BODY" "$code" "$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "$(tail -1 <<<"$why") in ${BODY:0:200}"
	fi
}

# {"error": {"code": CODE, "message": non-empty[, "field": FIELD]}} with STATUS.
check_error() {
	local want_field=${4:-}
	if [ "$STATUS" = "$2" ] && [ "$(jget 'd["error"]["code"]')" = "$3" ] &&
		[ -n "$(jget 'd["error"]["message"]')" ] &&
		{ [ -z "$want_field" ] || [ "$(jget 'd["error"].get("field")')" = "$want_field" ]; }; then
		ok "$1"
	else
		not_ok "$1" "want $2 $3${want_field:+ field $want_field}, got $STATUS ${BODY:0:300}"
	fi
}
