#!/usr/bin/env bash
# cluster_auth.sh: finq on a ClickHouse cluster whose users have a password
# (issue 16; docs/engines.md, "Passwords").
#   - scripts/cluster.sh starts two shards with FINQ_CLUSTER_PASSWORD, which
#     adds finq_reader_pw and finq_writer_pw (always stopped at exit)
#   - the password from the address (clickhouse://USER:PASSWORD@..., with
#     '@', ':', '/' and '%' percent-encoded), from FINQ_CLICKHOUSE_PASSWORD
#     and from the file FINQ_CLICKHOUSE_PASSWORD_FILE names; a load's from
#     FINQ_CLICKHOUSE_WRITER_PASSWORD; the same rows each way, and as
#     the password-less finq_reader
#   - a wrong password, and none, fail with a message that says the login
#     was refused and where the password comes from
#   - the password is in no output: errors (a bad address, a mistyped
#     scheme, a wrong password), FINQ_TRACE_SQL, `finq serve`'s start line
#     and access log, and it is overwritten in the process's command line
# Skips (one "ok - skipped" line) only when clickhouse-server is missing.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"
# run.sh may run cluster.sh beside this script: a range of its own, so
# that the two never race for the same free block of ports
export FINQ_CLUSTER_PORTS=${FINQ_CLUSTER_AUTH_PORTS:-19200-19299}

if ! command -v clickhouse-server >/dev/null 2>&1 && [ ! -x /usr/sbin/clickhouse-server ]; then
	ok "skipped: clickhouse-server is not installed (scripts/deps.sh installs it)"
	finish
fi

CL=$WORK/cluster
STATE=$WORK/state.duckdb
PASSWORD='Sx9@pw:w/rd%'
ENCODED='Sx9%40pw%3Aw%2Frd%25'
previous_exit=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "\"$REPO/scripts/cluster.sh\" down \"$CL\" >/dev/null 2>&1; $previous_exit" EXIT

if ! URL=$(FINQ_CLUSTER_PASSWORD=$PASSWORD "$REPO/scripts/cluster.sh" up "$CL" 2>"$WORK/cluster.err"); then
	not_ok "the cluster starts" "$(cat "$WORK/cluster.err")"
	finish
fi
ok "the cluster starts: $URL"
HOSTPART=${URL#clickhouse://}
READER_URL="clickhouse://finq_reader_pw:$ENCODED@$HOSTPART&writer=finq_writer_pw"
PLAIN_URL="clickhouse://finq_reader_pw@$HOSTPART&writer=finq_writer_pw"
unset FINQ_ENGINE FINQ_CLICKHOUSE_PASSWORD FINQ_CLICKHOUSE_PASSWORD_FILE FINQ_CLICKHOUSE_WRITER_PASSWORD \
	FINQ_CLICKHOUSE_WRITER_PASSWORD_FILE
# no_password NAME TEXT: the password, raw or encoded, is nowhere in TEXT
no_password() {
	if grep -qF -e "$PASSWORD" -e "$ENCODED" -e 'Sx9' <<<"$2"; then not_ok "$1" "$(head -c 300 <<<"$2")"
	else ok "$1"; fi
}
count_rows() { "$FINQ" --db "$STATE" "$@" sql --csv "SELECT count(*) FROM costs" 2>&1 | tail -1 | tr -d '\r'; }

# ---- a load and questions with the password --------------------------------------------------------
FINQ_CLICKHOUSE_WRITER_PASSWORD=$PASSWORD FINQ_TRACE_SQL=1 \
	run finq "$STATE" --engine "$READER_URL" load --no-progress "$DATA/cur-dev/focus.csv.gz"
check_eq "a load as finq_writer_pw with FINQ_CLICKHOUSE_WRITER_PASSWORD" 0 "$RC"
check_contains "... reports its rows" "$OUT" "loaded 12498 rows"
no_password "... and prints no password, FINQ_TRACE_SQL included" "$OUT$ERR"
check_eq "the address's password (percent-encoded) reads the rows" 12498 "$(count_rows --engine "$READER_URL")"
check_eq "FINQ_CLICKHOUSE_PASSWORD reads them" 12498 \
	"$(FINQ_CLICKHOUSE_PASSWORD=$PASSWORD count_rows --engine "$PLAIN_URL")"
printf '%s\n' "$PASSWORD" >"$WORK/password"
chmod 600 "$WORK/password"
check_eq "FINQ_CLICKHOUSE_PASSWORD_FILE reads them" 12498 \
	"$(FINQ_CLICKHOUSE_PASSWORD_FILE=$WORK/password count_rows --engine "$PLAIN_URL")"
check_eq "\$FINQ_ENGINE with the password reads them" 12498 "$(FINQ_ENGINE=$READER_URL count_rows)"
check_eq "the address as cluster.sh prints it (finq_reader, no password) reads them too" 12498 \
	"$(count_rows --engine "$URL")"
FINQ_TRACE_SQL=1 run finq "$STATE" --engine "$READER_URL" --today 2025-12-04 ask "total cost in November 2025"
check_eq "a question is answered" 0 "$RC"
no_password "... and prints no password, FINQ_TRACE_SQL included" "$OUT$ERR"

# ---- refused logins ------------------------------------------------------------------------------------
run finq "$STATE" --engine "${READER_URL/$ENCODED/not-it}" sql "SELECT count(*) FROM costs"
check_ne "a wrong password fails" 0 "$RC"
check_contains "... saying the login was refused" "$ERR" "clickhouse refused the login: Wrong password for user finq_reader_pw"
check_contains "... and where the password comes from" "$ERR" "FINQ_CLICKHOUSE_PASSWORD_FILE"
run finq "$STATE" --engine "$PLAIN_URL" sql "SELECT count(*) FROM costs"
check_ne "no password fails" 0 "$RC"
check_contains "... saying one is required" "$ERR" "clickhouse refused the login: Password required for user finq_reader_pw"
run finq "$STATE" --engine "$READER_URL" load --no-progress "$DATA/cur-dev/focus.csv.gz"
check_ne "a load without the writer's password fails" 0 "$RC"
check_contains "... naming the writer" "$ERR" "Password required for user finq_writer_pw"
check_eq "... and changes nothing" 12498 "$(count_rows --engine "$READER_URL")"
run finq "$STATE" --engine "clickhouse://finq_reader_pw:$ENCODED@127.0.0.1:notaport/finq?cluster=finq" sql "SELECT 1"
check_eq "a bad address: exit 2" 2 "$RC"
check_contains "... shown with its password as ***" "$ERR" "finq_reader_pw:***@127.0.0.1:notaport"
no_password "... and nothing of it" "$ERR"
run finq "$STATE" --engine "clickhose://finq_reader_pw:$PASSWORD@$HOSTPART" sql "SELECT 1"
check_contains "a mistyped scheme: the address shown without its password" "$ERR" "'clickhose://finq_reader_pw:***@"
no_password "... and nothing of it" "$ERR"
run finq "$STATE" --engine "$READER_URL&user=finq_reader" sql "SELECT 1"
check_contains "USER@ and ?user= both: refused" "$ERR" "names its user twice"
no_password "... without the password" "$ERR"
FINQ_CLICKHOUSE_PASSWORD_FILE=$WORK/missing run finq "$STATE" --engine "$PLAIN_URL" sql "SELECT 1"
check_eq "a password file that is not there: exit 2" 2 "$RC"
check_contains "... naming it and its variable" "$ERR" "cannot read the ClickHouse password file '$WORK/missing' (FINQ_CLICKHOUSE_PASSWORD_FILE)"

# ---- the server and the command line --------------------------------------------------------------------
"$FINQ" --db "$STATE" --engine "$READER_URL" sql "SELECT sleep(2) AS s" >/dev/null 2>&1 &
slow=$!
sleep 0.5
cmdline=$(tr '\0' ' ' <"/proc/$slow/cmdline" 2>/dev/null)
check_contains "a running finq's command line has the address" "$cmdline" "finq_reader_pw:"
no_password "... with its password overwritten" "$cmdline"
kill "$slow" 2>/dev/null
wait "$slow" 2>/dev/null
start_server "$STATE" --engine "$READER_URL" || finish
post_json /api/v1/sql '{"sql": "SELECT count(*) AS n FROM costs"}'
check_eq "finq serve on the engine answers" '[[12498]]' "$(jget 'd["rows"]')"
post_json /api/v1/chat '{"message": "total cost in November 2025", "today": "2025-12-04"}'
check_eq "... and a question" 200 "$STATUS"
stop_server
no_password "its start line and log say nothing of the password" "$(cat "$LOG")"

finish
