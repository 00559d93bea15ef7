#!/usr/bin/env bash
# run.sh: the browser tests of finq's web UI (see run.mjs for what they check).
#
#   FINQ=/abs/path/finq tests/browser/run.sh [SPEC.mjs...]
#
# Loads the sample CUR 2.0 data into a temp database, then runs each spec
# (default: run.mjs, the conversation, and honest.mjs, issue 15's honest
# labels, header and anomaly "Why?"; their helpers are lib.mjs), each of
# which starts `finq serve` on a free loopback port with --today 2025-12-04
# and drives Debian's chromium with playwright-core. Installs playwright-core
# from tests/browser/package-lock.json when it is missing (never a browser:
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1). Exits 77 (skipped) when
# /usr/bin/chromium or node is missing, 1 when a check failed.
# Screenshots and the server's log are left in tests/browser/out/.
#
# Environment: FINQ (default: <repo>/finq), FINQ_SHARED (default:
# <repo>/../shared), CHROMIUM (default /usr/bin/chromium), FINQ_URL (test an
# already running server instead of starting one), FINQ_KEEP_TMP=1.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
FINQ=${FINQ:-$repo/finq}
case $FINQ in /*) ;; *) FINQ=$(cd "$(dirname "$FINQ")" && pwd)/$(basename "$FINQ") ;; esac
SHARED=${FINQ_SHARED:-$repo/../shared}
DATA=$SHARED/data/cur-dev/cur2.parquet
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$CHROMIUM" ]; then
	echo "browser tests: skipped: no chromium at $CHROMIUM (Debian: apt-get install chromium)"
	exit 77
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "browser tests: skipped: node and npm are needed"
	exit 77
fi
if [ ! -x "$FINQ" ]; then
	echo "browser tests: FINQ='$FINQ' is not an executable (run make first)" >&2
	exit 2
fi
if [ ! -f "$DATA" ]; then
	echo "browser tests: the sample data '$DATA' is missing" >&2
	exit 2
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
	echo "browser tests: installing playwright-core (no browser download)" >&2
	(cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/finq-browser-XXXXXX")
if [ -n "${FINQ_KEEP_TMP:-}" ]; then
	echo "browser tests: keeping $tmp" >&2
else
	trap 'rm -rf "$tmp"' EXIT
fi
mkdir -p "$here/out"
if ! "$FINQ" --db "$tmp/finq.duckdb" load "$DATA" >"$here/out/load.log" 2>&1; then
	echo "browser tests: loading '$DATA' failed:" >&2
	cat "$here/out/load.log" >&2
	exit 1
fi

export FINQ CHROMIUM
export FINQ_DB=$tmp/finq.duckdb FINQ_TODAY=2025-12-04 FINQ_UPLOAD=$DATA
export FINQ_MANIFEST=$SHARED/data/cur-dev/manifest.json
export TMPDIR=$tmp
cd "$here"
[ $# -gt 0 ] || set -- run.mjs honest.mjs
status=0
for spec in "$@"; do
	echo "# $spec"
	node "$spec" || status=1
done
exit $status
