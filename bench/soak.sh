#!/usr/bin/env bash
# Soak test of `finq serve`: bench/serve.sh with 50 concurrent
# conversations for ROUNDS rounds of 1 + 3 questions (50 rounds: 10,000
# POST /api/v1/chat), zero errors required, and memory flat: the server's
# RSS at the end may exceed its RSS after the first fifth of the requests
# by at most RSS_GROWTH_MAX percent (default 10). Prints requests/s,
# latencies and the RSS when ready, every tenth, at the end and the peak.
#
#   bench/soak.sh                       # 50 x 50 x 4 = 10,000 requests
#   ROUNDS=100 bench/soak.sh            # 20,000
#   FINQ=./finq-asan bench/soak.sh      # under the sanitizers (slower)
set -euo pipefail
cd "$(dirname "$0")/.."
export CONVERSATIONS=${CONVERSATIONS:-50} ROUNDS=${ROUNDS:-50} FOLLOWUPS=${FOLLOWUPS:-3}
export RSS_GROWTH_MAX=${RSS_GROWTH_MAX:-10}
exec bench/serve.sh
