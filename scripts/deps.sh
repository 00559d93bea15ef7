#!/usr/bin/env bash
# Installs what the build needs, once: Debian packages (via apt-get, only the
# missing ones), the web UI's Chart.js (`npm ci` in web/) and DuckDB (a system
# libduckdb wins; otherwise libduckdb.so and duckdb.h come from the npm
# registry with `npm pack` into deps/duckdb).
# Called by the Makefile; safe to run again: it does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(gcc make pkg-config zlib1g-dev libsqlite3-dev libjansson-dev
                 libmicrohttpd-dev libcurl4-openssl-dev libedit-dev libcmocka-dev
                 libssl-dev libgnutls28-dev chromium curl wrk
                 clickhouse-server clickhouse-client)
# Commands, and the Debian package that provides each when it is missing
# (node's own npm counts: Debian's npm would conflict with it).
DEBIAN_COMMANDS=(npm:npm python3:python3 gzip:gzip openssl:openssl)
DUCKDB_LIB_PKG='@duckdb/node-bindings-linux-x64@1.4.4-r.4'
DUCKDB_HDR_PKG='duckdb@1.4.4'

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
for pair in "${DEBIAN_COMMANDS[@]}"; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if ((${#missing[@]})); then
	echo "deps: installing Debian packages: ${missing[*]}" >&2
	sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
	# clickhouse-server's package would start a system-wide server (ports
	# 8123 and 9000) that finq never uses: scripts/cluster.sh runs its own.
	# Where no policy says otherwise, deny service starts for this install.
	policy=/usr/sbin/policy-rc.d
	own_policy=""
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\n# written by finq scripts/deps.sh for one apt-get install\nexit 101\n' |
			$sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && own_policy=1
	fi
	status=0
	$sudo apt-get update -qq || status=$?
	if [ "$status" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || status=$?
	fi
	[ -z "$own_policy" ] || $sudo rm -f "$policy"
	[ "$status" = 0 ] || exit "$status"
fi

# Chart.js for the web UI, pinned by web/package-lock.json; embedded in the
# binary by scripts/embed_assets.py.
if [ -f web/package-lock.json ] && [ ! -f web/node_modules/chart.js/dist/chart.umd.min.js ]; then
	echo "deps: installing the web UI's npm packages (npm ci in web/)" >&2
	(cd web && npm ci --no-audit --no-fund --silent)
fi

mkdir -p deps
if [ -f /usr/include/duckdb.h ] && ldconfig -p | grep -q 'libduckdb\.so'; then
	echo system > deps/duckdb.source
	exit 0
fi
if [ ! -f deps/duckdb/libduckdb.so ] || [ ! -f deps/duckdb/include/duckdb.h ]; then
	echo "deps: fetching DuckDB 1.4.4 from the npm registry" >&2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && npm pack --silent "$DUCKDB_LIB_PKG" "$DUCKDB_HDR_PKG" >/dev/null 2>&1)
	mkdir -p deps/duckdb/include "$tmp/lib" "$tmp/hdr"
	tar -xzf "$tmp"/duckdb-node-bindings-linux-x64-*.tgz -C "$tmp/lib" package/libduckdb.so
	tar -xzf "$tmp"/duckdb-1.4.4.tgz -C "$tmp/hdr" package/src/duckdb/src/include/duckdb.h
	mv "$tmp/lib/package/libduckdb.so" deps/duckdb/
	mv "$tmp/hdr/package/src/duckdb/src/include/duckdb.h" deps/duckdb/include/
fi
echo npm > deps/duckdb.source
