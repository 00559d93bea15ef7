#!/usr/bin/env bash
# A two-shard ClickHouse cluster on loopback for finq's tests, benchmarks and
# `make demo-cluster`, run as the calling user with its own config files and
# all its data under DIR (never the packaged system server).
#
#   scripts/cluster.sh up DIR          start both shards; prints the engine address
#   scripts/cluster.sh down DIR        stop both shards (DIR stays)
#   scripts/cluster.sh stop-shard DIR N  stop shard N (1 or 2) alone
#   scripts/cluster.sh url DIR         print the engine address again
#
# Ports: the first free block of 6 in FINQ_CLUSTER_PORTS (default
# 19100-19199): shard N listens on tcp BASE+3(N-1), http +1, interserver +2.
# Users (loopback only, no password): finq_reader (profile readonly=1 with
# server-side time, memory and result-size limits) for questions, and
# finq_writer for loads. With FINQ_CLUSTER_PASSWORD set at `up`, also
# finq_reader_pw and finq_writer_pw, the same with that password (stored
# as its SHA-256), for the tests of finq's passwords (tests/integration/
# cluster_auth.sh). The cluster is named `finq` in remote_servers; the
# Distributed table of finq's load never skips an unavailable shard.
# docs/engines.md describes the layout.
set -euo pipefail

SHARDS=2
SERVER=${CLICKHOUSE_SERVER:-$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)}
RANGE=${FINQ_CLUSTER_PORTS:-19100-19199}

die() { echo "cluster: $*" >&2; exit 1; }

port_busy() { # port -> 0 when something listens on it
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_base() {
	local lo=${RANGE%-*} hi=${RANGE#*-} base p busy
	for ((base = lo; base + 3 * SHARDS - 1 <= hi; base += 3 * SHARDS)); do
		busy=0
		for ((p = base; p < base + 3 * SHARDS; p++)); do
			if port_busy "$p"; then busy=1; break; fi
		done
		((busy)) || { echo "$base"; return 0; }
	done
	die "no free block of $((3 * SHARDS)) ports in $RANGE"
}

tcp_port() { echo $(($1 + 3 * ($2 - 1))); }
http_port() { echo $(($1 + 3 * ($2 - 1) + 1)); }

write_users() { # file
	cat >"$1" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <!-- a shard that is down fails the query: never a partial sum -->
      <skip_unavailable_shards>0</skip_unavailable_shards>
      <connect_timeout_with_failover_ms>500</connect_timeout_with_failover_ms>
    </default>
    <writer>
      <max_memory_usage>4000000000</max_memory_usage>
      <skip_unavailable_shards>0</skip_unavailable_shards>
    </writer>
    <reader>
      <readonly>1</readonly>
      <skip_unavailable_shards>0</skip_unavailable_shards>
      <connect_timeout_with_failover_ms>500</connect_timeout_with_failover_ms>
      <max_execution_time>60</max_execution_time>
      <max_memory_usage>2000000000</max_memory_usage>
      <max_result_rows>1000000</max_result_rows>
      <result_overflow_mode>throw</result_overflow_mode>
    </reader>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <finq_writer>
      <password></password>
      <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
      <profile>writer</profile>
      <quota>default</quota>
    </finq_writer>
    <finq_reader>
      <password></password>
      <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
      <profile>reader</profile>
      <quota>default</quota>
    </finq_reader>
PASSWORD_USERS
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
EOF
	local users='' hash
	if [ -n "${FINQ_CLUSTER_PASSWORD:-}" ]; then
		hash=$(printf '%s' "$FINQ_CLUSTER_PASSWORD" | sha256sum | cut -d' ' -f1)
		for who in reader writer; do
			users+="    <finq_${who}_pw><password_sha256_hex>$hash</password_sha256_hex>"
			users+="<networks><ip>::1</ip><ip>127.0.0.1</ip></networks><profile>$who</profile>"
			users+="<quota>default</quota></finq_${who}_pw>"$'\n'
		done
	fi
	local text
	text=$(cat "$1")
	printf '%s\n' "${text/PASSWORD_USERS$'\n'/$users}" >"$1"
}

write_config() { # dir base shard
	local dir=$1 base=$2 n=$3 s
	{
		cat <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog><size>10M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>$(tcp_port "$base" "$n")</tcp_port>
  <http_port>$(http_port "$base" "$n")</http_port>
  <interserver_http_port>$((base + 3 * (n - 1) + 2))</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>32</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
  <remote_servers>
    <finq>
EOF
		for ((s = 1; s <= SHARDS; s++)); do
			echo "      <shard><replica><host>127.0.0.1</host><port>$(tcp_port "$base" "$s")</port><user>finq_writer</user></replica></shard>"
		done
		cat <<EOF
    </finq>
  </remote_servers>
  <macros><shard>$n</shard><http_port>$(http_port "$base" "$n")</http_port></macros>
</yandex>
EOF
	} >"$dir/config.xml"
}

wait_up() { # port
	local i
	for ((i = 0; i < 100; i++)); do
		if curl -fsS "http://127.0.0.1:$1/ping" >/dev/null 2>&1; then return 0; fi
		sleep 0.2
	done
	return 1
}

up() {
	local root=$1 base n dir
	[ -x "$SERVER" ] || die "clickhouse-server is not installed (scripts/deps.sh installs it)"
	mkdir -p "$root"
	root=$(cd "$root" && pwd)
	[ -f "$root/base" ] && die "a cluster already runs in '$root' ('$0 down $root' first)"
	base=$(pick_base)
	echo "$base" >"$root/base"
	for ((n = 1; n <= SHARDS; n++)); do
		dir=$root/shard$n
		mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$dir/log"
		write_users "$dir/users.xml"
		write_config "$dir" "$base" "$n"
		"$SERVER" --config-file="$dir/config.xml" --pid-file="$dir/pid" --daemon \
			>"$dir/log/stdout.log" 2>&1 || die "shard $n did not start (see $dir/log)"
	done
	for ((n = 1; n <= SHARDS; n++)); do
		wait_up "$(http_port "$base" "$n")" || { down "$root"; die "shard $n did not answer (see $root/shard$n/log)"; }
	done
	url "$root"
}

url() {
	local root=$1
	[ -f "$root/base" ] || die "no cluster in '$root'"
	echo "clickhouse://127.0.0.1:$(http_port "$(cat "$root/base")" 1)/finq?cluster=finq"
}

stop_pid() { # pidfile
	local pid i
	[ -f "$1" ] || return 0
	pid=$(cat "$1")
	if kill "$pid" 2>/dev/null; then
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$1"
}

down() {
	local root=$1 n
	for ((n = 1; n <= SHARDS; n++)); do stop_pid "$root/shard$n/pid"; done
	rm -f "$root/base"
}

stop_shard() {
	local root=$1 n=$2
	if ! [[ "$n" =~ ^[0-9]+$ ]] || ((n < 1 || n > SHARDS)); then die "no shard '$n' (1..$SHARDS)"; fi
	stop_pid "$root/shard$n/pid"
}

case "${1:-}" in
up) [ $# -eq 2 ] || die "usage: $0 up DIR"; up "$2" ;;
down) [ $# -eq 2 ] || die "usage: $0 down DIR"; down "$2" ;;
stop-shard) [ $# -eq 3 ] || die "usage: $0 stop-shard DIR N"; stop_shard "$2" "$3" ;;
url) [ $# -eq 2 ] || die "usage: $0 url DIR"; url "$2" ;;
*) die "usage: $0 up DIR | down DIR | stop-shard DIR N | url DIR" ;;
esac
